"""The previous run's folder listings, reused while their folders have not changed.

On a warm run the walk was most of the work left (Django: 2,461 folders listed and
sorted, every entry matched against the ignore rules, for 885 files), yet a folder's
listing changes only when the folder gains, loses or renames an entry, and then its
mtime and ctime move: one ``stat`` tells whether the listing still holds, as git's
index does for files. So each folder's listing is kept, and the next walk lists only
the folders that changed (an editor that saves by renaming changes one folder).

What a folder's kept listing depends on, and how each is checked:

- the folder itself: its stat signature (followed through a link, so a link that
  points elsewhere now is another folder);
- the links among its entries: what each points at (a target can change or vanish
  with no folder of the walk changing);
- its skipped folders (``build/``, ``.git/``), skipped for holding no
  ``__init__.py``: that they still hold none;
- the ignore rules that applied to it: any ignore file read or looked for
  (``.gitignore``, ``.git/info/exclude``, a linked work tree's ``.git`` and
  ``commondir``) that changed, or a ``.git`` that moved, makes every listing stale;
  a folder whose own ``.gitignore`` came or went is listed again with everything
  below it;
- the settings and the tool itself: part of the key.

Racy changes (git's term): a folder changed within the same clock tick as its
listing may keep its mtime, so a listing taken less than ``RACY_NANOSECONDS`` after
its folder last changed is kept untrusted, and the next walk lists that folder
again. Listings are data only (JSON in the cache's results table).
"""

from __future__ import annotations

import json
import os
import stat
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any, Optional, Protocol

import msgspec

from ssot_scan.hashing import hex_digest

FORMAT = 2
# Two seconds: the coarsest timestamps in use (FAT) tick every two seconds.
RACY_NANOSECONDS = 2_000_000_000

Signature = Optional[list[int]]
# What one folder's listing gave, in walk order: ["file", name], ["folder", name,
# real path or None when it is the parent's plus the name], ["opaque", name],
# ["notice", text].
Entry = list[Any]


def signature(path: str) -> Signature:
    """What changes when ``path`` (followed through links) changes: None if absent."""
    try:
        return signature_of(os.stat(path))
    except OSError:
        return None


def signature_of(st: os.stat_result) -> list[int]:
    return [st.st_mtime_ns, st.st_ctime_ns, st.st_ino, st.st_size]


Presence = list[bool]  # there (a dangling link is), a file, a folder (through links)
There = Callable[[str], Presence]


def presence(path: str) -> Presence:
    """Whether ``path`` is there, a file, a folder: all that a lookup for a project
    marker, ``.git`` or ``__init__.py`` asks of it (its content and times do not
    matter to it)."""
    try:
        st = os.lstat(path)
    except OSError:
        return [False, False, False]
    if stat.S_ISLNK(st.st_mode):
        return [True, os.path.isfile(path), os.path.isdir(path)]
    return [True, stat.S_ISREG(st.st_mode), stat.S_ISDIR(st.st_mode)]


def link_state(path: str) -> list[Any]:
    """What a link met in the walk resolves to: folder or not, present or not, where."""
    return [os.path.isdir(path), os.path.exists(path), os.path.realpath(path)]


def unchanged(signatures: Mapping[str, Signature]) -> bool:
    """Does each path still have the signature recorded for it?"""
    return all(signature(path) == sig for path, sig in signatures.items())


def watched_unchanged(watched: Sequence[Sequence[Any]]) -> bool:
    """Does each watched entry (``Listing.watched``) still stand as recorded?"""
    return all(
        (link_state(path) if kind == "link" else signature(path)) == value
        for kind, path, value in watched
    )


class Listing(msgspec.Struct):
    """One folder's listing and what it depends on besides the folder."""

    signature: Signature  # None: not to be trusted (racy, unreadable)
    has_gitignore: bool = False
    entries: list[Entry] = msgspec.field(default_factory=list)
    # ["link", path, state] for a link among the entries, ["file", path, signature]
    # for the ``__init__.py`` of a folder skipped for lacking one.
    watched: list[list[Any]] = msgspec.field(default_factory=list)

    def still_holds(self, now: Signature) -> bool:
        if self.signature is None or now != self.signature:
            return False
        try:
            return watched_unchanged(self.watched)
        except (TypeError, ValueError):  # written by another version or a bug
            return False


class WalkRecord(msgspec.Struct):
    """What one walk listed and read, filled in by ``walk.walk_files`` and
    ``walk.Ignores`` as they go; ``previous`` is what the last walk left."""

    started: int = msgspec.field(default_factory=time.time_ns)
    folders: dict[str, Listing] = msgspec.field(default_factory=dict)
    # Ignore files, present or not.
    files: dict[str, Signature] = msgspec.field(default_factory=dict)
    repository: Optional[str] = None  # the ``.git`` found above the project root
    previous: dict[str, Listing] = msgspec.field(default_factory=dict)
    listed: int = 0  # folders listed afresh (not reused)

    def file(self, path: str) -> None:
        self.files[path] = signature(path)

    def begin(self, folder: str, has_gitignore: bool, now: Signature) -> Listing:
        """A new listing of ``folder``, whose signature was taken before listing it
        (a change made after shows next time)."""
        self.listed += 1
        listing = Listing(now, has_gitignore)
        self.folders[folder] = listing
        return listing

    def reusable(self, folder: str, now: Signature) -> Optional[Listing]:
        kept = self.previous.get(folder)
        if kept is None or not kept.still_holds(now):
            return None
        self.folders[folder] = kept
        return kept

    def changed(self) -> bool:
        return self.listed > 0 or self.folders.keys() != self.previous.keys()


class Store(Protocol):
    """Where listings are kept: the facts cache's results table."""

    def result(self, key: str) -> Optional[dict[str, Any]]: ...

    def store_result(self, key: str, data: dict[str, Any]) -> None: ...


class Keeper(msgspec.Struct):
    """Where to keep listings, and the identity of the code that walks: listings
    stored by other code are not reused."""

    store: Store
    tool: str


def walk_key(named: Sequence[Path], settings: dict[str, Any], tool: str) -> str:
    payload = json.dumps(
        {"format": FORMAT, "tool": tool, "named": [str(p) for p in named], **settings},
        sort_keys=True,
        default=str,
    )
    return "walk-" + hex_digest(payload)


def save(store: Store, key: str, record: WalkRecord) -> None:
    """Keep the walk's listings (a listing of a folder changed too close to the walk
    untrusted); nothing when no listing changed, or an ignore file is racy."""
    if not record.changed():
        return
    limit = record.started - RACY_NANOSECONDS
    if any(sig is not None and sig[0] >= limit for sig in record.files.values()):
        return
    folders = {}
    for folder, listing in record.folders.items():
        sig = listing.signature
        trusted = sig if sig is not None and sig[0] < limit else None
        folders[folder] = [trusted, listing.has_gitignore, listing.entries, listing.watched]
    store.store_result(
        key,
        {
            "format": FORMAT,
            "folders": folders,
            "files": record.files,
            "repository": record.repository,
        },
    )


def load(store: Store, key: str, repository: Optional[str]) -> WalkRecord:
    """A record to walk with: the kept listings when the ignore rules they were
    taken under still hold, else none. ``repository``: where ``.git`` is now."""
    record = WalkRecord(repository=repository)
    data = store.result(key)
    if data is None or data.get("format") != FORMAT:
        return record
    try:
        if data["repository"] != repository:
            return record
        files = dict(data["files"])
        if not unchanged(files):
            return record
        previous = {
            folder: Listing(sig, bool(has_gitignore), list(entries), list(watched))
            for folder, (sig, has_gitignore, entries, watched) in data["folders"].items()
        }
    except (KeyError, TypeError, ValueError, AttributeError):
        return record
    record.previous = previous
    record.files = files  # read by the walks that made the kept listings
    return record
