"""The previous run's folder walk, reused while nothing it read has changed.

On a warm run the walk was most of the work left (Django: 2,461 folders listed and
sorted, every entry matched against the ignore rules, for 885 files), yet its answer
changes only when a folder gains, loses or renames an entry, or an ignore file is
edited. A folder's mtime and ctime move on every such change, so one ``stat`` per
folder tells whether its listing still holds, as git's index does for files.

What a walk depends on, and how each is checked before its answer is reused:

- every folder it listed: its stat signature; every folder it skipped only because
  it holds no ``__init__.py`` (``build/``, ``.git/``): that it still holds none;
- every ignore file it read or looked for (``.gitignore``, ``.git/info/exclude``,
  a linked work tree's ``.git`` file): its signature, or that it is still absent;
- where the repository's ``.git`` is, looked for again (a few ``isdir`` calls);
- every link it met: what it points at (a link's target can change or vanish with
  no folder of the walk changing);
- the named paths: what each is (file, folder, link, missing);
- the settings and the tool itself: part of the key.

Racy changes (git's term): a folder changed within the same clock tick as the walk
may keep its mtime. A walk is therefore not stored when anything it depends on
changed less than ``RACY_NANOSECONDS`` before the walk began; the next run stores it.
The record is data only (JSON in the cache's results table), like everything cached.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Optional, Protocol

FORMAT = 1
# Two seconds: the coarsest timestamps in use (FAT) tick every two seconds.
RACY_NANOSECONDS = 2_000_000_000

Signature = Optional[list[int]]


def signature(path: str) -> Signature:
    """What changes when ``path`` (followed through links) changes: None if absent."""
    try:
        return signature_of(os.stat(path))
    except OSError:
        return None


def signature_of(st: os.stat_result) -> list[int]:
    return [st.st_mtime_ns, st.st_ctime_ns, st.st_ino, st.st_size]


def link_state(path: str) -> list[Any]:
    """What a link met in the walk resolves to: folder or not, present or not, where."""
    return [os.path.isdir(path), os.path.exists(path), os.path.realpath(path)]


def named_state(path: Path) -> list[bool]:
    return [path.is_symlink(), path.exists(), path.is_file(), path.is_dir()]


@dataclass
class WalkRecord:
    """Everything one discovery walk read, filled in by ``walk.walk_files`` and
    ``walk.Ignores`` as they go."""

    started: int = field(default_factory=time.time_ns)
    folders: dict[str, Signature] = field(default_factory=dict)
    files: dict[str, Signature] = field(default_factory=dict)  # ignore files, present or not
    links: dict[str, list[Any]] = field(default_factory=dict)
    repository: Optional[str] = None  # the ``.git`` found above the project root

    def folder(self, path: str) -> None:
        self.folders[path] = signature(path)

    def file(self, path: str) -> None:
        self.files[path] = signature(path)

    def link(self, path: str) -> None:
        self.links[path] = link_state(path)

    def racy(self) -> bool:
        """Did anything read change too close to the walk to trust its mtime? (A
        change of a listing moves mtime and ctime to the same moment; ctime alone
        moves on ``chmod`` or ``touch -d``, which the signature still compares.)"""
        limit = self.started - RACY_NANOSECONDS
        for sig in (*self.folders.values(), *self.files.values()):
            if sig is not None and sig[0] >= limit:
                return True
        return False


class Store(Protocol):
    """Where walks are kept: the facts cache's results table."""

    def result(self, key: str) -> Optional[dict[str, Any]]: ...

    def store_result(self, key: str, data: dict[str, Any]) -> None: ...


@dataclass
class Keeper:
    """Where to keep walks, and the identity of the code that walks: a walk stored
    by other code is not reused."""

    store: Store
    tool: str


@dataclass
class Walk:
    """What a walk found: the files in walk order, the compiled modules met, what it
    had to say, and the real path of every folder walked."""

    found: list[Path]
    opaque: list[Path]
    notices: list[str]
    reals: dict[str, str]


def walk_key(named: Sequence[Path], settings: dict[str, Any], tool: str) -> str:
    payload = json.dumps(
        {"format": FORMAT, "tool": tool, "named": [str(p) for p in named], **settings},
        sort_keys=True,
        default=str,
    )
    return "walk-" + hashlib.sha256(payload.encode("utf-8")).hexdigest()


def save(store: Store, key: str, walk: Walk, record: WalkRecord, named: Sequence[Path]) -> None:
    if record.racy():
        return
    store.store_result(
        key,
        {
            "format": FORMAT,
            "found": [str(p) for p in walk.found],
            "opaque": [str(p) for p in walk.opaque],
            "notices": walk.notices,
            # Every folder walked is in ``folders``; its real path is its own but
            # below a link, so only those differ (half the record on a plain tree).
            "reals": {folder: real for folder, real in walk.reals.items() if folder != real},
            "folders": record.folders,
            "files": record.files,
            "links": record.links,
            "repository": record.repository,
            "named": {str(p): named_state(p) for p in named},
        },
    )


def load(store: Store, key: str, repository: Optional[str]) -> Optional[Walk]:
    """The stored walk for ``key`` if everything it read is as it was, else None.
    ``repository``: where the ``.git`` above the project root is now."""
    data = store.result(key)
    if data is None or data.get("format") != FORMAT:
        return None
    try:
        if data["repository"] != repository:
            return None
        for path, state in data["named"].items():
            if named_state(Path(path)) != state:
                return None
        for path, sig in data["folders"].items():
            if signature(path) != sig:
                return None
        for path, sig in data["files"].items():
            if signature(path) != sig:
                return None
        for path, state in data["links"].items():
            if link_state(path) != state:
                return None
        return Walk(
            found=[Path(p) for p in data["found"]],
            opaque=[Path(p) for p in data["opaque"]],
            notices=list(data["notices"]),
            reals={folder: data["reals"].get(folder, folder) for folder in data["folders"]},
        )
    except (KeyError, TypeError, ValueError, AttributeError):
        return None
