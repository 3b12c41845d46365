"""The one writer for every file ssot-scan produces or rewrites.

Reports, baselines and rewritten sources all go through here, so they all keep the
same promises:

- atomic: a temporary file beside the target, renamed over it, so a reader sees the
  old file or the new one, never half of one; ``write_all`` extends that to a set of
  files — all of them are written, or, on any failure, none stays changed;
- the file keeps its mode and owner (a new one gets the mode the umask allows, not
  the temporary file's 0600);
- a symbolic link is written through, at its target, and stays a link;
- a device, FIFO or other non-regular file is never replaced: it is written into
  (``-o /dev/stdout`` prints), and a folder is an error;
- ``-`` is standard output.
"""

from __future__ import annotations

import contextlib
import os
import stat
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Optional, TextIO

import msgspec

from ssot_scan.errors import UsageError

STDOUT = "-"


class Change(msgspec.Struct, frozen=True):
    """New content for one file; ``before`` is what to put back on a rollback
    (None: the file did not exist)."""

    path: Path
    data: bytes
    before: Optional[bytes] = None


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _fail(path: Path, what: str, exc: OSError) -> UsageError:
    return UsageError(f"{path}: cannot write the {what}: {exc.strerror or exc}")


def target_of(path: Path) -> Path:
    """Where writing ``path`` lands: the end of its chain of links."""
    return Path(os.path.realpath(path))


def require_stdout(what: str) -> TextIO:
    """Standard output, to write ``what`` to; a ``UsageError`` when it is closed (the
    process was started without descriptor 1: Python has no ``sys.stdout``), where
    ``what`` would have been lost without a word."""
    if sys.stdout is None:
        raise UsageError(f"cannot write the {what} to standard output: it is closed")
    return sys.stdout


def write_text(path: Path, text: str, what: str = "file") -> None:
    """Write ``text`` (UTF-8) to ``path`` with every promise of the module."""
    if str(path) == STDOUT:
        stream = require_stdout(what)
        stream.write(text)
        stream.flush()
        return
    write_bytes(path, text.encode("utf-8"), what)


def write_bytes(path: Path, data: bytes, what: str = "file") -> None:
    target = target_of(path)
    try:
        info: Optional[os.stat_result] = target.stat()
    except FileNotFoundError:
        info = None
    except OSError as exc:
        raise _fail(path, what, exc) from None
    if info is not None and stat.S_ISDIR(info.st_mode):
        raise UsageError(f"{path}: cannot write the {what}: it is a folder")
    if info is not None and not stat.S_ISREG(info.st_mode):
        # A device or a FIFO: write into it; replacing it would break whatever it is.
        try:
            with open(target, "wb") as handle:
                handle.write(data)
        except OSError as exc:
            raise _fail(path, what, exc) from None
        return
    temporary = _stage(target, data, info, path, what)
    try:
        os.replace(temporary, target)
    except OSError as exc:
        _discard(temporary)
        raise _fail(path, what, exc) from None


def _stage(
    target: Path, data: bytes, info: Optional[os.stat_result], shown: Path, what: str
) -> str:
    """A temporary file beside ``target`` holding ``data``, with the mode and owner
    the target has (or the umask's mode for a new file)."""
    temporary = None
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        import tempfile  # only a run that writes pays for it (and for shutil, lzma...)

        fd, temporary = tempfile.mkstemp(
            dir=target.parent, prefix=f".{target.name}.", suffix=".tmp"
        )
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        if info is None:
            os.chmod(temporary, 0o666 & ~_umask())
        else:
            os.chmod(temporary, stat.S_IMODE(info.st_mode))
            if hasattr(os, "chown") and (info.st_uid, info.st_gid) != _owner(temporary):
                # Only root may give a file away; the content lands all the same.
                with contextlib.suppress(PermissionError):
                    os.chown(temporary, info.st_uid, info.st_gid)
        return temporary
    except OSError as exc:
        if temporary is not None:
            _discard(temporary)
        raise _fail(shown, what, exc) from None


def _owner(path: str) -> tuple[int, int]:
    info = os.stat(path)
    return info.st_uid, info.st_gid


def _discard(temporary: str) -> None:
    with contextlib.suppress(OSError):
        os.unlink(temporary)


def write_all(changes: Sequence[Change], what: str = "file") -> None:
    """Write every change, or none: every file is staged first; if staging or any
    rename fails, the files already renamed get their old content back and the
    error names the file that failed. A file reached twice (a link and its target)
    is written once; two different contents for it are an error."""
    by_target: dict[Path, Change] = {}
    for change in changes:
        target = target_of(change.path)
        seen = by_target.get(target)
        if seen is not None and seen.data != change.data:
            raise UsageError(f"{change.path}: two different rewrites of {target}")
        by_target.setdefault(target, change)
    staged: list[tuple[Path, str, Change]] = []
    try:
        for target, change in by_target.items():
            try:
                info: Optional[os.stat_result] = target.stat()
            except FileNotFoundError:
                info = None
            if info is not None and not stat.S_ISREG(info.st_mode):
                raise UsageError(f"{change.path}: not rewritten: not a regular file")
            staged.append((target, _stage(target, change.data, info, change.path, what), change))
    except (OSError, UsageError):
        for _, temporary, _ in staged:
            _discard(temporary)
        raise
    done: list[tuple[Path, Change]] = []
    for index, (target, temporary, change) in enumerate(staged):
        try:
            os.replace(temporary, target)
        except OSError as exc:
            for _, rest, _ in staged[index:]:
                _discard(rest)
            _roll_back(done, what)
            raise UsageError(
                f"{change.path}: cannot write the {what}: {exc.strerror or exc}; "
                f"{len(done)} file(s) already written were restored"
            ) from None
        done.append((target, change))


def _roll_back(done: list[tuple[Path, Change]], what: str) -> None:
    for target, change in reversed(done):
        if change.before is None:
            with contextlib.suppress(OSError):
                target.unlink()
        else:
            write_bytes(target, change.before, what)
