"""The facts cache: SQLite in ``.ssot_cache/`` at the project root.

Why SQLite and JSON: a cache that CI restores may come from another branch, so it
must never be able to run code (no pickle, no marshal); SQLite gives atomic
transactions and safe concurrent writers for free, and ``ModuleFacts`` already has a
canonical JSON form.

What is stored:
- ``files``: path -> (size, mtime_ns, content hash), so an unchanged file is
  recognised by ``stat`` alone, without reading it;
- ``facts``: (content hash, module name, is-package, engine, extractor version) ->
  facts JSON. The module name is part of the key because relative imports resolve
  against it;
- ``results``: the last whole scan result for a (files, settings, version) key, so a
  re-run on an unchanged tree skips analysis entirely.

A corrupt, truncated or foreign cache file is not an error: the scan says so in one
line, deletes it and starts a fresh one.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import sqlite3
import sys
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any, Optional

from ssot_scan import __version__
from ssot_scan.facts import ModuleFacts, pack, unpack

SCHEMA = "ssot-scan-cache/1"
CACHE_DIR_NAME = ".ssot_cache"
DB_NAME = "cache.sqlite3"
_KEEP_RESULTS = 8
_FEW = 256  # up to this many files, facts are looked up one by one (see facts())
_LOCK_WAIT_SECONDS = 30.0
_GITIGNORE = "# Created by ssot-scan.\n*\n"

_TABLES = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS files (
    rel TEXT PRIMARY KEY, size INTEGER NOT NULL, mtime_ns INTEGER NOT NULL, hash TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS facts (
    hash TEXT NOT NULL, module TEXT NOT NULL, is_package INTEGER NOT NULL,
    engine TEXT NOT NULL, version TEXT NOT NULL, data TEXT NOT NULL,
    PRIMARY KEY (hash, module, is_package, engine, version)
);
CREATE TABLE IF NOT EXISTS results (
    key TEXT PRIMARY KEY, created INTEGER NOT NULL, data TEXT NOT NULL
);
"""


class FactsCache:
    """One open cache; every method degrades to "miss" rather than raising."""

    def __init__(self, folder: Path, notices: list[str]) -> None:
        self.folder = folder
        self.path = folder / DB_NAME
        self.notices = notices
        self._db: Optional[sqlite3.Connection] = None
        self._open()

    # -- opening, and recovering from a bad file --------------------------------------
    def _open(self) -> None:
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            ignore = self.folder / ".gitignore"
            if not ignore.exists():
                ignore.write_text(_GITIGNORE, encoding="utf-8")
        except OSError as exc:
            self.notices.append(f"{self.folder}: cache disabled: {exc.strerror or exc}")
            return
        rebuilt = False
        deadline = time.monotonic() + _LOCK_WAIT_SECONDS
        delay = 0.02
        while True:
            try:
                self._db = self._connect()
                return
            except sqlite3.OperationalError as exc:
                self._close_quietly()
                if _locked(exc):
                    # Another scan holds the cache: wait for it, never "repair" it.
                    if time.monotonic() < deadline:
                        time.sleep(delay)
                        delay = min(delay * 2, 0.5)
                        continue
                    self.notices.append(f"{self.path}: cache busy; not used for this run")
                    return
                if rebuilt:
                    break
                self.notices.append(f"{self.path}: {_describe(exc)}; rebuilding the cache")
                self._remove()
                rebuilt = True
            except (sqlite3.DatabaseError, _Foreign) as exc:
                self._close_quietly()
                if rebuilt:
                    break
                self.notices.append(f"{self.path}: {_describe(exc)}; rebuilding the cache")
                self._remove()
                rebuilt = True
            except OSError as exc:
                self.notices.append(f"{self.path}: cache disabled: {exc.strerror or exc}")
                return
        self.notices.append(f"{self.path}: cache disabled: it cannot be rebuilt")

    def _connect(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.path, timeout=30, isolation_level=None)
        try:
            db.execute("PRAGMA busy_timeout = 30000")
            db.execute("PRAGMA journal_mode = WAL")
            db.execute("PRAGMA synchronous = NORMAL")
            db.executescript(_TABLES)
            row = db.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone()
            if row is None:
                tables = {
                    r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")
                }
                if db.execute("SELECT COUNT(*) FROM files").fetchone()[0] or tables - {
                    "meta",
                    "files",
                    "facts",
                    "results",
                }:
                    raise _Foreign("not an ssot-scan cache")
                db.execute("INSERT OR IGNORE INTO meta VALUES ('schema', ?)", (SCHEMA,))
            elif row[0] != SCHEMA:
                raise _Foreign(f"cache schema {row[0]!r}, expected {SCHEMA!r}")
        except BaseException:
            db.close()
            raise
        return db

    def _remove(self) -> None:
        for suffix in ("", "-wal", "-shm", "-journal"):
            try:
                os.unlink(f"{self.path}{suffix}")
            except FileNotFoundError:
                pass
            except OSError as exc:
                self.notices.append(f"{self.path}{suffix}: cannot remove: {exc.strerror}")

    def _close_quietly(self) -> None:
        if self._db is not None:
            with contextlib.suppress(sqlite3.Error):
                self._db.close()
            self._db = None

    def _failed(self, exc: BaseException) -> None:
        """A read or write went wrong mid-scan: say so once, stop using the cache."""
        self.notices.append(f"{self.path}: {_describe(exc)}; cache disabled for this run")
        self._close_quietly()

    def close(self) -> None:
        self._close_quietly()

    # -- files ------------------------------------------------------------------------
    def stat_hashes(self) -> dict[str, tuple[int, int, str]]:
        """rel -> (size, mtime_ns, hash) for every file seen before."""
        if self._db is None:
            return {}
        try:
            rows = self._db.execute("SELECT rel, size, mtime_ns, hash FROM files").fetchall()
        except sqlite3.DatabaseError as exc:
            self._failed(exc)
            return {}
        return {rel: (size, mtime, digest) for rel, size, mtime, digest in rows}

    # -- facts ------------------------------------------------------------------------
    def facts(
        self, keys: Iterable[tuple[str, str, bool]], engine: str, version: str
    ) -> dict[tuple[str, str, bool], tuple[ModuleFacts, str]]:
        """Cached (facts, facts digest) for (hash, module, is_package) keys."""
        found: dict[tuple[str, str, bool], tuple[ModuleFacts, str]] = {}
        if self._db is None:
            return found
        wanted = set(keys)
        digests = {digest for digest, _, _ in wanted}
        try:
            # For a whole tree, one pass over this engine and version's rows beats a
            # query per file (rows of other hashes, files that changed since, are
            # skipped unparsed); for a few files (``fix`` asking on demand), the
            # primary key finds each row.
            if len(wanted) <= _FEW:
                rows: Iterable[tuple[str, str, int, str]] = [
                    row
                    for digest, module, is_package in wanted
                    for row in self._db.execute(
                        "SELECT hash, module, is_package, data FROM facts WHERE hash = ? "
                        "AND module = ? AND is_package = ? AND engine = ? AND version = ?",
                        (digest, module, int(is_package), engine, version),
                    )
                ]
            else:
                rows = self._db.execute(
                    "SELECT hash, module, is_package, data FROM facts "
                    "WHERE engine = ? AND version = ?",
                    (engine, version),
                )
            for digest, module, is_package, data in rows:
                if digest not in digests:
                    continue
                key = (digest, module, bool(is_package))
                if key in wanted:
                    found[key] = (unpack(json.loads(data)), facts_digest(data))
        except sqlite3.DatabaseError as exc:
            self._failed(exc)
            return {}
        except (ValueError, KeyError, TypeError) as exc:
            self.notices.append(f"{self.path}: unreadable entry ({exc}); rebuilding the cache")
            self._close_quietly()
            self._remove()
            self._open()
            return {}
        return found

    def store(
        self,
        files: Iterable[tuple[str, int, int, str]],
        facts: Iterable[tuple[str, str, bool, str]],
        engine: str,
        version: str,
    ) -> None:
        """Record file stats and new facts (already packed, see ``packed``) together."""
        if self._db is None:
            return
        try:
            self._db.execute("BEGIN IMMEDIATE")
            self._db.executemany("INSERT OR REPLACE INTO files VALUES (?, ?, ?, ?)", files)
            # Facts of an older extractor, or of content no file has any more, are
            # dead weight every later read would have to skip.
            self._db.execute("DELETE FROM facts WHERE version != ?", (version,))
            self._db.executemany(
                "INSERT OR REPLACE INTO facts VALUES (?, ?, ?, ?, ?, ?)",
                (
                    (digest, module, int(is_package), engine, version, data)
                    for digest, module, is_package, data in facts
                ),
            )
            self._db.execute("DELETE FROM facts WHERE hash NOT IN (SELECT hash FROM files)")
            self._db.execute("COMMIT")
        except sqlite3.DatabaseError as exc:
            with contextlib.suppress(sqlite3.Error):
                self._db.execute("ROLLBACK")
            self._failed(exc)

    # -- whole results ----------------------------------------------------------------
    def result(self, key: str) -> Optional[dict[str, Any]]:
        if self._db is None:
            return None
        try:
            row = self._db.execute("SELECT data FROM results WHERE key = ?", (key,)).fetchone()
            return json.loads(row[0]) if row else None
        except sqlite3.DatabaseError as exc:
            self._failed(exc)
        except ValueError:
            notice = f"{self.path}: unreadable stored result; recomputing"
            if notice not in self.notices:
                self.notices.append(notice)
        return None

    def store_result(self, key: str, data: dict[str, Any]) -> None:
        if self._db is None:
            return
        try:
            self._db.execute("BEGIN IMMEDIATE")
            self._db.execute(
                "INSERT OR REPLACE INTO results VALUES (?, strftime('%s','now'), ?)",
                (key, _dumps(data)),
            )
            self._db.execute(
                "DELETE FROM results WHERE key NOT IN "
                "(SELECT key FROM results ORDER BY created DESC, rowid DESC LIMIT ?)",
                (_KEEP_RESULTS,),
            )
            self._db.execute("COMMIT")
        except sqlite3.DatabaseError as exc:
            with contextlib.suppress(sqlite3.Error):
                self._db.execute("ROLLBACK")
            self._failed(exc)


def _dumps(data: Any) -> str:
    return json.dumps(data, separators=(",", ":"))


def packed(facts: ModuleFacts) -> str:
    """Facts as the cache stores them."""
    return _dumps(pack(facts))


def facts_digest(data: str) -> str:
    """Identifies a file's facts: equal facts, equal analysis (given equal settings)."""
    return hashlib.blake2b(data.encode("utf-8"), digest_size=16).hexdigest()


def _locked(exc: sqlite3.OperationalError) -> bool:
    text = str(exc).lower()
    return "locked" in text or "busy" in text


class _Foreign(Exception):
    """A valid SQLite file that is not (this version of) our cache."""


def _describe(exc: BaseException) -> str:
    if isinstance(exc, _Foreign):
        return str(exc)
    text = str(exc) or type(exc).__name__
    return f"corrupt cache ({text})"


def default_cache_dir(project_root: Optional[Path]) -> Path:
    return (project_root or Path.cwd()) / CACHE_DIR_NAME


def _code_signature(files: Iterable[Path]) -> str:
    """Size and mtime of our own source files: a development edit invalidates
    what was computed by the code before it, without anyone bumping a version."""
    digest = hashlib.blake2b(digest_size=8)
    for path in sorted(files):
        try:
            info = path.stat()
        except OSError:
            continue
        digest.update(f"{path.name}:{info.st_size}:{info.st_mtime_ns};".encode())
    return digest.hexdigest()


_PACKAGE = Path(__file__).resolve().parent


def extraction_identity() -> str:
    """What cached facts depend on: the extractor's version and code."""
    from ssot_scan.extract import EXTRACTOR_VERSION

    code = [*(_PACKAGE / "extract").glob("*.py"), _PACKAGE / "facts.py"]
    # What ``ast`` can parse depends on the interpreter: a cache written by 3.11
    # holds a parse error for a 3.12 f-string that 3.12 reads fine.
    python = "{}.{}".format(*sys.version_info[:2])
    return f"{EXTRACTOR_VERSION}-py{python}-{_code_signature(code)}"


def tool_identity() -> str:
    """What a stored whole result depends on besides files and settings."""
    return f"{__version__}-{extraction_identity()}-{_code_signature(_PACKAGE.rglob('*.py'))}"


def remove_cache(folder: Path) -> bool:
    """Delete the files ssot-scan keeps in ``folder``, then the folder if empty."""
    removed = False
    for name in (DB_NAME, f"{DB_NAME}-wal", f"{DB_NAME}-shm", f"{DB_NAME}-journal"):
        path = folder / name
        if path.is_file():
            path.unlink()
            removed = True
    ignore = folder / ".gitignore"
    with contextlib.suppress(OSError, UnicodeDecodeError):
        if ignore.is_file() and ignore.read_text(encoding="utf-8") == _GITIGNORE:
            ignore.unlink()  # ours; a .gitignore someone else wrote stays
            removed = True
    with contextlib.suppress(OSError):
        folder.rmdir()
    return removed
