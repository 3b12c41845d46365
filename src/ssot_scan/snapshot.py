"""The previous run's whole discovery, reused while nothing it read has changed.

``listing`` spares a warm run the folder listings, but the run still walked the kept
listings folder by folder, named every file and judged every name: 30 of a warm
Django run's 39 ms in process, to find what the last run found. Discovery is a
function of what it reads, so its answer is kept with the state of everything it
read, and taken whole when all of it still holds: one ``stat`` per path, no walk.

What a discovery reads, and how each is checked here:

- every folder the walk went through: its signature, and what its listing watched
  (links among its entries, the ``__init__.py`` of a skipped folder), as ``listing``
  checks them; the ignore files read or looked for;
- outside the walk (``probes``): the packaging files read (``pyproject.toml``,
  ``setup.cfg``, build scripts) and the folders ``declared_roots`` looked into. A
  path's signature moves when its content does, a folder's when an entry comes, goes
  or is renamed (a link pointed elsewhere is a new entry);
- the named paths, and the names looked for in the folders above the start folder
  and the root (project markers, ``.git``, ``__init__.py``): only whether each is
  there, and as what (``present``). Those folders' signatures had moved with
  anything made beside the project (the benchmark's own cache folders, an editor's
  files, a sibling checkout), and a warm run then walked the whole tree again;
- the real path of the root and of the named paths, asked again (a link above the
  root may lead elsewhere with no folder here changing);
- the settings, the named paths, the current folder and the tool: the key.

Racy changes, as in ``listing``: a discovery during which anything it read changed,
or that read something changed less than ``RACY_NANOSECONDS`` before it started, is
not kept. The kept answer is data only (JSON in the cache's results table).
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any, Optional

import msgspec

from ssot_scan.hashing import hex_digest
from ssot_scan.listing import (
    RACY_NANOSECONDS,
    Listing,
    Presence,
    Signature,
    Store,
    presence,
    signature,
    signature_of,
    unchanged,
    watched_unchanged,
)

FORMAT = 3


class Reads(msgspec.Struct):
    """What a discovery read outside its walk: the paths whose state its answer rests
    on, and the real paths it took."""

    paths: set[str] = msgspec.field(default_factory=set)
    reals: dict[str, str] = msgspec.field(default_factory=dict)
    # What the lookups for markers, ``.git`` and ``__init__.py`` found, as they found it.
    present: dict[str, Presence] = msgspec.field(default_factory=dict)
    unstable: bool = False  # a path asked twice was found two ways: keep nothing

    def look(self, *paths: str) -> None:
        """The answer depends on these paths: a file's content, a folder's entries,
        whether either exists."""
        self.paths.update(paths)

    def there(self, path: str) -> Presence:
        """``presence(path)``, for a lookup to decide by: the answer rests on it.

        The lookups are given this in place of the file system, so what is kept is
        exactly what they saw, when they saw it: a later run whose lookups would see
        the same finds the same, whatever else changed beside them."""
        found = presence(path)
        if self.present.setdefault(path, found) != found:
            self.unstable = True
        return found

    def upward(self, path: str, stop: Optional[str] = None) -> None:
        """The answer depends on ``path`` and the folders above it, up to ``stop``
        (where a lookup upward found what it looked for), else up to the top."""
        for folder in chain(path):
            self.paths.add(folder)
            if folder == stop:
                break

    def resolve(self, path: Path) -> Path:
        """``path.resolve()``, remembered, with the state of where it leads: a
        folder's entries; a file's presence only (a named file's content and times
        are the scan's, not discovery's: an editor names the file just saved, and
        each such run had walked the whole project again)."""
        real = path.resolve()
        self.reals[str(path)] = str(real)
        if not self.there(str(real))[1]:  # a folder, or nothing there
            self.paths.add(str(real))
        return real


def key(named: Iterable[str], settings: str, tool: str) -> str:
    """Where the discovery of ``named`` paths under these settings is kept."""
    payload = {
        "format": FORMAT,
        "tool": tool,
        "named": list(named),
        "cwd": os.getcwd(),
        "settings": settings,
    }
    return "discovery-" + hex_digest(json.dumps(payload, sort_keys=True))


def chain(path: str) -> list[str]:
    """``path`` and every folder above it: where a lookup upward from it looks."""
    found = [path]
    parent = os.path.dirname(path)
    while parent != path:
        found.append(parent)
        path, parent = parent, os.path.dirname(parent)
    return found


def save(
    store: Store,
    key: str,
    answer: dict[str, Any],
    started: int,
    folders: Mapping[str, Listing],
    files: Mapping[str, Signature],
    reads: Reads,
) -> None:
    """Keep ``answer`` with the state of what it was made from: the walk's
    ``folders`` and ignore ``files`` (from its ``WalkRecord``) and its ``reads``
    outside the walk. Nothing is kept when any of it is untrusted (a listing that
    could not be taken) or racy."""
    limit = started - RACY_NANOSECONDS
    walked: list[Signature] = []
    watched: list[list[Any]] = []
    for listing in folders.values():
        if listing.signature is None:
            return
        walked.append(listing.signature)
        watched.extend(listing.watched)
    if reads.unstable:
        return
    kept_probes = {path: signature(path) for path in sorted(reads.paths)}
    signatures = [
        *walked,
        *files.values(),
        *kept_probes.values(),
        *(value for kind, _, value in watched if kind == "file"),
    ]
    if any(sig is not None and sig[0] >= limit for sig in signatures):
        return
    # The folders as names below their common folder, and their signatures (as the
    # walk took them, before listing each) as one digest: a tenth of the data to
    # read back, and a change anywhere is all a run needs to know.
    top = os.path.commonpath(list(folders)) if folders else ""
    # Each is ``top`` or below it: cut, not ``os.path.relpath`` (which made both
    # absolute and compared them part by part: 10 ms for Django's 2,649 folders).
    prefix = top if top.endswith(os.sep) else top + os.sep
    below = [folder[len(prefix) :] if folder != top else "." for folder in folders]
    store.store_result(
        key,
        {
            "format": FORMAT,
            "answer": answer,
            "top": top,
            "folders": below,
            "state": _state(walked),
            "watched": watched,
            "files": dict(files),
            "probes": kept_probes,
            "present": reads.present,
            "reals": dict(reads.reals),
        },
    )


def _state(signatures: list[Signature]) -> str:
    return hex_digest(repr(signatures), 16)


def _folder_state(top: str, names: list[str]) -> str:
    """``_state`` of the folders ``names`` below ``top`` now; "" when one is gone.

    Each is asked from an open ``top`` where the platform allows (``dir_fd``): the
    kernel walks a short path, and Python joins none (Django: 2,661 folders, 13 ms
    with joined paths, 9 ms this way)."""
    try:
        if os.stat in os.supports_dir_fd:
            fd = os.open(top, os.O_RDONLY)
            try:
                stats = [os.stat(name, dir_fd=fd) for name in names]
            finally:
                os.close(fd)
        else:
            stats = [os.stat(os.path.join(top, name)) for name in names]
    except OSError:
        return ""
    return _state([signature_of(st) for st in stats])


class Kept(msgspec.Struct):
    """A kept answer whose sources all hold, and the folders its walk went through."""

    answer: dict[str, Any]
    top: str
    folders: set[str]  # below ``top``; "." is ``top`` itself

    def walked(self, folder: str) -> bool:
        """Did the walk the answer rests on go through ``folder``? A file of the
        answer lies in one, or the answer was edited (the file is not read)."""
        if folder == self.top:
            return "." in self.folders
        prefix = self.top if self.top.endswith(os.sep) else self.top + os.sep
        return folder.startswith(prefix) and folder[len(prefix) :] in self.folders


def load(store: Store, key: str) -> Optional[Kept]:
    """The kept answer when everything it was made from still holds, else None."""
    data = store.result(key)
    if data is None or data.get("format") != FORMAT:
        return None
    try:
        for path, real in data["reals"].items():
            if os.path.realpath(path) != real:
                return None
        if not (unchanged(data["probes"]) and unchanged(data["files"])):
            return None
        if any(presence(path) != was for path, was in data["present"].items()):
            return None
        if _folder_state(data["top"], data["folders"]) != data["state"]:
            return None
        if not watched_unchanged(data["watched"]):
            return None
        answer = data["answer"]
        kept = Kept(answer, data["top"], set(data["folders"]))
    except (KeyError, TypeError, ValueError, AttributeError):  # another version, or a bug
        return None
    return kept if isinstance(answer, dict) else None
