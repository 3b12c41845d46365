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
- ``results``: the last whole scan results for a (files, settings, version) key, so a
  re-run on an unchanged tree skips analysis entirely; beside them, under keys of their
  own kind, the last walks' folder listings (``walk-…``, see ``listing``) and
  discoveries (``discovery-…``, see ``snapshot``). The newest few of each kind are kept.

A corrupt, truncated or foreign cache file is not an error: the scan says so in one
line, deletes it and starts a fresh one.
"""

from __future__ import annotations

import contextlib
import functools
import os
import sqlite3
import sys
import time
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final, Optional, TypeVar

import msgspec

from ssot_scan import __version__, structjson
from ssot_scan.hashing import blake2b, facts_digest
from ssot_scan.listing import RACY_NANOSECONDS
from ssot_scan.printable import printable

if TYPE_CHECKING:
    from ssot_scan.facts import ModuleFacts
Value = TypeVar("Value")  # what a stored facts row is read into

# Bump whenever ModuleFacts or what extraction fills it with changes: cached facts
# carry it. Kept here, not in ``facts`` or ``extract``: a warm run, which reads no
# facts, checks it without importing them (or msgspec) or the parsers.
EXTRACTOR_VERSION: Final = "30"
SCHEMA = "ssot-scan-cache/4"
CACHE_DIR_NAME = ".ssot_cache"
DB_NAME = "cache.sqlite3"
# The mtime kept for a file whose stat proves nothing about its content (``is_racy``):
# no stat matches it.
UNTRUSTED_MTIME: Final = -1
_KEEP_RESULTS = 8
_FEW = 256  # up to this many files, facts are looked up one by one (see facts())
_LOCK_WAIT_SECONDS = 30.0
_GITIGNORE = "# Created by ssot-scan.\n*\n"

# ``facts_digests``: a run that reuses a stored result looks up every file's facts
# digest, which the facts table holds after each row's data (five to fifty
# kilobytes, in overflow pages): through this covering index, 10,000 digests cost
# 12 ms instead of 20, and the sweep of another version's rows reads no data.
_DIGESTS = "SELECT hash, module, is_package, digest FROM facts WHERE engine = ? AND version = ?"
_TABLES = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS files (
    rel TEXT PRIMARY KEY, size INTEGER NOT NULL, mtime_ns INTEGER NOT NULL, hash TEXT NOT NULL,
    base TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS facts (
    hash TEXT NOT NULL, module TEXT NOT NULL, is_package INTEGER NOT NULL,
    engine TEXT NOT NULL, version TEXT NOT NULL, data TEXT NOT NULL, digest TEXT NOT NULL,
    PRIMARY KEY (hash, module, is_package, engine, version)
);
CREATE INDEX IF NOT EXISTS facts_digests
    ON facts (version, engine, hash, module, is_package, digest);
CREATE TABLE IF NOT EXISTS results (
    key TEXT PRIMARY KEY, used INTEGER NOT NULL, data TEXT NOT NULL, digest TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS answers (
    base TEXT NOT NULL, rel TEXT NOT NULL, context TEXT NOT NULL, data TEXT NOT NULL,
    digest TEXT NOT NULL, PRIMARY KEY (base, rel)
);
"""


def _expected_schema() -> set[tuple[str, str, str, Optional[str]]]:
    """Every object a cache of ours holds (tables and their automatic indexes), as
    ``sqlite_master`` lists them: anything else (a trigger, a view, a changed
    table) makes the file foreign."""
    db = sqlite3.connect(":memory:")
    try:
        db.executescript(_TABLES)
        return set(db.execute("SELECT type, name, tbl_name, sql FROM sqlite_master"))
    finally:
        db.close()


_SCHEMA_OBJECTS = _expected_schema()


class FactsCache:
    """One open cache; every method degrades to "miss" rather than raising."""

    def __init__(self, folder: Path, notices: list[str]) -> None:
        self.folder = folder
        self.path = folder / DB_NAME
        self.notices = notices
        self._db: Optional[sqlite3.Connection] = None
        self.read_only = False
        self._open()

    # -- opening, and recovering from a bad file --------------------------------------
    def _open(self) -> None:
        linked = _linked([self.folder, self.path, *self._companions(), self.folder / ".gitignore"])
        if linked is not None:
            # A link planted in the cache would make the scan write somewhere else.
            self.notices.append(f"{linked}: cache disabled: a symbolic link, not followed")
            return
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            _create_new(self.folder / ".gitignore", _GITIGNORE)
        except OSError as exc:
            self.notices.append(f"{self.folder}: cache disabled: {exc.strerror or exc}")
            return
        if (self.path.exists() and not os.access(self.path, os.W_OK)) or not os.access(
            self.folder, os.W_OK
        ):
            self._open_read_only()
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
                if "readonly" in str(exc).lower() or "read-only" in str(exc).lower():
                    self._open_read_only()  # a read-only mount: use it, never remove it
                    return
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

    def _companions(self) -> list[Path]:
        return [Path(f"{self.path}{suffix}") for suffix in ("-wal", "-shm", "-journal")]

    def _connect(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.path, timeout=30, isolation_level=None)
        try:
            db.execute("PRAGMA busy_timeout = 30000")
            # Checked before anything is written: a foreign file is never touched.
            _check_ours(db)
            db.execute("PRAGMA journal_mode = WAL")
            db.execute("PRAGMA synchronous = NORMAL")
            db.execute("BEGIN IMMEDIATE")
            if not db.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()[0]:
                for statement in _TABLES.split(";"):  # executescript would commit
                    if statement.strip():
                        db.execute(statement)
                db.execute("INSERT OR IGNORE INTO meta VALUES ('schema', ?)", (SCHEMA,))
            db.execute("COMMIT")
            _check_ours(db)
        except BaseException:
            db.close()
            raise
        return db

    def _open_read_only(self) -> None:
        """A cache the user cannot write (a read-only mount, a CI cache restored
        read-only): used as it is, never "repaired" or removed."""
        self.read_only = True
        if not self.path.exists():
            return
        try:
            db = sqlite3.connect(f"{self.path.as_uri()}?mode=ro", uri=True, isolation_level=None)
            try:
                _check_ours(db)
            except BaseException:
                db.close()
                raise
            self._db = db
        except (sqlite3.DatabaseError, _Foreign) as exc:
            self.notices.append(f"{self.path}: {_describe(exc)}; read-only, not used")

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
    def stat_hashes(self, base: str) -> dict[str, tuple[int, int, str]]:
        """rel -> (size, mtime_ns, hash) for every file of the project at ``base`` seen
        before. Another project's rows are not this one's: projects that share a
        cache folder (``--cache-dir``) have files at the same place, and one of the
        same size and time as the other's (trees restored from one archive) was
        trusted to hold the other's content. A file's row is the last project's that
        stored it: projects that share a folder hash their common files again, and
        the table never holds more rows than names."""
        if self._db is None:
            return {}
        try:
            rows = self._db.execute(
                "SELECT rel, size, mtime_ns, hash FROM files WHERE base = ?", (base,)
            ).fetchall()
        except sqlite3.DatabaseError as exc:
            self._failed(exc)
            return {}
        return {rel: (size, mtime, digest) for rel, size, mtime, digest in rows}

    # -- facts ------------------------------------------------------------------------
    def holds_facts(self) -> bool:
        """Does the cache hold any file's facts? An empty one (a first run) can find
        none by a file's content, and a scan need not read and hash every file
        before it parses them (10,000 files: 0.8 s before the first worker starts)."""
        if self._db is None:
            return False
        try:
            return self._db.execute("SELECT 1 FROM facts LIMIT 1").fetchone() is not None
        except sqlite3.DatabaseError as exc:
            self._failed(exc)
            return False

    def facts(
        self,
        keys: Iterable[tuple[str, str, bool]],
        engine: str,
        version: str,
        lazy: bool = True,
    ) -> dict[tuple[str, str, bool], tuple[ModuleFacts, str]]:
        """Cached (facts, facts digest) for (hash, module, is_package) keys. ``lazy``:
        definitions decoded when first asked for (``facts.StoredFacts``), a damaged
        one found out then; else now, and such a row is a miss here."""

        def read(data: Any, stored: Any) -> Optional[tuple[ModuleFacts, str]]:
            facts = _unpacked(data, stored, lazy)
            return None if facts is None else (facts, stored)

        return self._checked(keys, engine, version, read)

    def facts_digests(
        self, keys: Iterable[tuple[str, str, bool]], engine: str, version: str
    ) -> dict[tuple[str, str, bool], str]:
        """The stored facts digest for (hash, module, is_package) keys: enough to
        look a result up by (see ``scan``), without parsing and building the facts.

        The facts themselves are neither read nor checked here (that cost a whole
        pass over every row's data, which ``facts`` makes again when it needs
        them): the digest names the facts stored for that content, and a result
        stored under it was computed from them, whatever befell the row's data
        since. ``facts`` checks the data, and a damaged row is parsed again.

        For a whole tree, one query, answered from the ``facts_digests`` index, and
        one plain loop over its rows, not the row-at-a-time reader ``facts`` needs
        (a generator and a call per row)."""
        wanted = set(keys)
        if len(wanted) <= _FEW or self._db is None:
            return self._checked(wanted, engine, version, _digest_only, with_data=False)
        found: dict[tuple[str, str, bool], str] = {}
        bad = 0
        try:
            rows = self._db.execute(_DIGESTS, (engine, version)).fetchall()
        except sqlite3.DatabaseError as exc:
            self._failed(exc)
            return {}
        for digest, module, is_package, stored in rows:
            key = (digest, module, bool(is_package))
            if key in wanted:
                if isinstance(stored, str):
                    found[key] = stored
                else:
                    bad += 1
        self._ignored(bad)
        return found

    def _checked(
        self,
        keys: Iterable[tuple[str, str, bool]],
        engine: str,
        version: str,
        read: Callable[[Any, Any], Optional[Value]],
        with_data: bool = True,
    ) -> dict[tuple[str, str, bool], Value]:
        """What ``read`` makes of each stored row of ``keys``; a row it cannot read
        (edited or damaged: ``read`` says None) is a miss, the file parsed again,
        and the cache says how many there were."""
        found: dict[tuple[str, str, bool], Value] = {}
        bad = 0
        try:
            for key, data, stored in self._rows(set(keys), engine, version, with_data):
                value = read(data, stored)
                if value is None:
                    bad += 1
                    continue
                found[key] = value
        except sqlite3.DatabaseError as exc:
            self._failed(exc)
            return {}
        self._ignored(bad)
        return found

    def _rows(
        self,
        wanted: set[tuple[str, str, bool]],
        engine: str,
        version: str,
        with_data: bool = True,
    ) -> Iterator[tuple[tuple[str, str, bool], Any, Any]]:
        """(key, data, digest) of the stored facts rows of ``wanted`` keys, unchecked
        (data None unless ``with_data``: SQLite then leaves the pages that hold it
        unread), one at a time: each row's data is read as it is used, not the whole
        table's first (250 MB at 50,000 modules). Raises ``sqlite3.DatabaseError``
        while iterating, for the callers to handle."""
        if self._db is None:
            return
        # The data as the UTF-8 bytes SQLite holds, which msgspec reads as well as
        # text: a row of bytes that are not UTF-8 is then one damaged row, where as
        # text it failed the whole read; and a row's digest is checked without
        # encoding it back (10,000 rows read: 171 -> 164 ms).
        column = "CAST(data AS BLOB)" if with_data else "NULL"
        digests = {digest for digest, _, _ in wanted}
        # For a whole tree, one pass over this engine and version's rows beats a
        # query per file (rows of other hashes, files that changed since, are
        # skipped unparsed); for a few files (``fix`` asking on demand, one edited
        # file), the primary key finds each row.
        if len(wanted) <= _FEW:
            rows: Iterable[tuple[str, str, int, Any, Any]] = (
                row
                for digest, module, is_package in wanted
                for row in self._db.execute(
                    f"SELECT hash, module, is_package, {column}, digest FROM facts WHERE "
                    "hash = ? AND module = ? AND is_package = ? AND engine = ? "
                    "AND version = ?",
                    (digest, module, int(is_package), engine, version),
                )
            )
        else:
            rows = self._db.execute(
                f"SELECT hash, module, is_package, {column}, digest FROM facts "
                "WHERE engine = ? AND version = ?",
                (engine, version),
            )
        for digest, module, is_package, data, stored in rows:
            if digest not in digests:
                continue
            key = (digest, module, bool(is_package))
            if key in wanted:
                yield key, data, stored

    def _ignored(self, bad: int) -> None:
        """Say how many stored facts rows were damaged or edited (a miss each)."""
        if bad:
            self._say(f"{self.path}: {bad} damaged or edited entries ignored")

    def _say(self, notice: str) -> None:
        if notice not in self.notices:
            self.notices.append(notice)

    def store(
        self,
        files: Iterable[tuple[str, int, int, str, str]],
        facts: Iterable[tuple[str, str, bool, str, str]],
        engine: str,
        version: str,
    ) -> None:
        """Record file stats, (rel, size, mtime, content hash, project base), and new
        facts together: (content hash, module, is_package, facts as ``facts.packed``
        made them, their ``facts_digest``)."""
        if self._db is None or self.read_only:
            return
        with self._writing() as db:
            db.executemany("INSERT OR REPLACE INTO files VALUES (?, ?, ?, ?, ?)", files)
            # Facts of an older extractor, or of content no file has any more, are
            # dead weight every later read would have to skip. Each sweep finds its
            # rows through an index (the rowid subquery): deleting straight from the
            # table, SQLite scanned every row (10,000 files: 26 ms of a run that
            # changed one file, against 8).
            db.execute(
                "DELETE FROM facts WHERE rowid IN (SELECT rowid FROM facts WHERE version != ?)",
                (version,),
            )
            db.executemany(
                "INSERT OR REPLACE INTO facts VALUES (?, ?, ?, ?, ?, ?, ?)",
                (
                    (digest, module, int(is_package), engine, version, data, stored)
                    for digest, module, is_package, data, stored in facts
                ),
            )
            db.execute(
                "DELETE FROM facts WHERE rowid IN "
                "(SELECT rowid FROM facts WHERE hash NOT IN (SELECT hash FROM files))"
            )

    @contextlib.contextmanager
    def _writing(self) -> Iterator[sqlite3.Connection]:
        """One write transaction. A database error rolls it back and disables the
        cache for the run (``_failed``), and is not raised: the scan goes on without
        what it would have kept."""
        assert self._db is not None
        try:
            self._db.execute("BEGIN IMMEDIATE")
            yield self._db
            self._db.execute("COMMIT")
        except sqlite3.DatabaseError as exc:
            with contextlib.suppress(sqlite3.Error):
                self._db.execute("ROLLBACK")
            self._failed(exc)

    def drop_damaged(self, digests: Collection[str]) -> None:
        """Drop the facts rows stored under these facts digests, found damaged only
        once they were decoded (``facts.DamagedFacts``), and say how many there were."""
        self._ignored(len(digests))
        if self._db is None or self.read_only or not digests:
            return
        with self._writing() as db:
            db.executemany("DELETE FROM facts WHERE digest = ?", [(d,) for d in digests])

    # -- whole results ----------------------------------------------------------------
    def result(self, key: str) -> Optional[dict[str, Any]]:
        if self._db is None:
            return None
        try:
            row = self._db.execute(  # as bytes, as ``_rows`` reads facts
                "SELECT CAST(data AS BLOB), digest FROM results WHERE key = ?", (key,)
            ).fetchone()
        except sqlite3.DatabaseError as exc:
            self._failed(exc)
            return None
        if row is None:
            return None
        data, stored = row
        try:
            # Not ``_intact``, which tests count as the facts rows a run checks.
            if not isinstance(data, bytes) or facts_digest(data) != stored:
                raise ValueError("its digest does not match")
            loaded = structjson.loads(data, _RESULT_READER, Any)
            if not isinstance(loaded, dict):
                raise ValueError("not an object")
            return loaded
        except (ValueError, RecursionError):
            self._say(f"{self.path}: damaged or edited stored result; recomputing")
        return None

    def store_result(self, key: str, data: dict[str, Any]) -> None:
        if self._db is None or self.read_only:
            return
        text = _dumps(data)
        self._keep_result(
            key,
            [
                (
                    "INSERT OR REPLACE INTO results VALUES (?, ?, ?, ?)",
                    (key, time.time_ns(), text, facts_digest(text)),
                )
            ],
        )

    def copy_result(self, source: str, key: str) -> None:
        """Store under ``key`` the result stored under ``source``, as it is stored, and
        count ``source`` as used now: an edit that changed no facts makes the files'
        stats name the result their facts already do. Written again from its parsed
        form (dumped and digested), it cost a run that reused it more than finding
        it; left as old as when it was stored, the result every such edit finds was
        soon the oldest and was evicted (every fourth comment edit, each storing two
        rows, analysed the whole tree again)."""
        if self._db is None or self.read_only:
            return
        now = time.time_ns()
        self._keep_result(
            key,
            [
                ("UPDATE results SET used = ? WHERE key = ?", (now, source)),
                (
                    "INSERT OR REPLACE INTO results "
                    "SELECT ?, ?, data, digest FROM results WHERE key = ?",
                    (key, now, source),
                ),
            ],
        )

    def _keep_result(self, key: str, writes: list[tuple[str, tuple[object, ...]]]) -> None:
        """Run ``writes`` (statements and their parameters) in one transaction, and
        evict the least recently used rows of ``key``'s kind."""
        with self._writing() as db:
            for statement, parameters in writes:
                db.execute(statement, parameters)
            # The most recently used few of each kind are kept: whole results, walks
            # ("walk-…") and discoveries ("discovery-…") do not push each other out
            # (a run that edits a file stores two results, and would soon evict the
            # walk).
            # A key's kind: what precedes its first "-", that "-" included ("" for a
            # whole result), in Python and in SQL (instr is 0 when there is none).
            kind = key[: key.find("-") + 1]
            db.execute(
                "DELETE FROM results WHERE substr(key, 1, instr(key, '-')) = ? AND key NOT IN "
                "(SELECT key FROM results WHERE substr(key, 1, instr(key, '-')) = ? "
                "ORDER BY used DESC, rowid DESC LIMIT ?)",
                (kind, kind, _KEEP_RESULTS),
            )

    # -- each file's answers (``incremental``) ------------------------------------------
    def answers(self, base: str, context: str) -> dict[str, bytes]:
        """rel -> the answers kept for that file of the project at ``base``, as
        stored (UTF-8, as ``_rows`` reads facts), for the analysis ``context`` names;
        a row that does not match its digest (damaged, edited) is left out, and the
        file's answers worked out again."""
        if self._db is None:
            return {}
        try:
            rows = self._db.execute(
                "SELECT rel, CAST(data AS BLOB), digest FROM answers "
                "WHERE base = ? AND context = ?",
                (base, context),
            ).fetchall()
        except sqlite3.DatabaseError as exc:
            self._failed(exc)
            return {}
        kept = {rel: data for rel, data, stored in rows if _intact(data, stored)}
        if len(kept) < len(rows):
            self._say(f"{self.path}: damaged or edited answers; working them out again")
        return kept

    def store_answers(
        self,
        base: str,
        context: str,
        rows: Mapping[str, str],
        whole: bool,
        gone: Iterable[str] = (),
    ) -> None:
        """Keep ``rows`` (rel -> answers) for the project at ``base``; ``whole``: they
        are every file's, and what was kept for the project before (another context)
        goes; ``gone``: files whose rows go."""
        gone = list(gone)
        if self._db is None or self.read_only or not (rows or gone):
            return
        with self._writing() as db:
            if whole:
                db.execute("DELETE FROM answers WHERE base = ?", (base,))
            db.executemany(
                "DELETE FROM answers WHERE base = ? AND rel = ?", ((base, rel) for rel in gone)
            )
            db.executemany(
                "INSERT OR REPLACE INTO answers VALUES (?, ?, ?, ?, ?)",
                ((base, rel, context, data, facts_digest(data)) for rel, data in rows.items()),
            )


def _digest_only(_: Any, stored: Any) -> Optional[str]:
    """A facts row read for its digest alone: the digest, None if it is no string."""
    return stored if isinstance(stored, str) else None


def _intact(data: Any, stored: Any) -> bool:
    """Does a row's data (its bytes) still match the digest stored with it?"""
    return isinstance(data, bytes) and facts_digest(data) == stored


def _unpacked(data: Any, stored: Any, lazy: bool = True) -> Optional[ModuleFacts]:
    """The facts of a row, or None when the row is damaged or was edited (its
    definitions checked too, unless ``lazy``: see ``FactsCache.facts``)."""
    try:
        if not _intact(data, stored):
            return None
        from ssot_scan.facts import shared_strings, unpacked

        return shared_strings(unpacked(data, lazy=lazy))
    except (ValueError, RecursionError):  # what ``unpacked`` raises on a bad row
        return None


def _check_ours(db: sqlite3.Connection) -> None:
    """Raise ``_Foreign`` unless the database is empty or holds exactly our schema."""
    objects = set(db.execute("SELECT type, name, tbl_name, sql FROM sqlite_master"))
    if not objects:
        return
    if objects != _SCHEMA_OBJECTS:
        older = _schema_of(db)
        if older is not None and older != SCHEMA and older.startswith("ssot-scan-cache/"):
            # Another version's cache (an index added, a table changed): no damage.
            raise _Foreign(f"cache schema {older!r}, expected {SCHEMA!r}")
        extra = sorted(f"{kind} {name}" for kind, name, _, _ in objects - _SCHEMA_OBJECTS)
        raise _Foreign(
            "not an ssot-scan cache" + (f" (it holds {', '.join(extra[:3])})" if extra else "")
        )
    schema = _schema_of(db)
    if schema != SCHEMA:
        raise _Foreign(f"cache schema {schema!r}, expected {SCHEMA!r}")


def _schema_of(db: sqlite3.Connection) -> Optional[str]:
    """What the ``meta`` table says the schema is; None where it says nothing."""
    try:
        row = db.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone()
    except sqlite3.DatabaseError:  # no meta table: not ours, or not a cache
        return None
    return row[0] if row is not None and isinstance(row[0], str) else None


def _linked(paths: list[Path]) -> Optional[Path]:
    """The first of ``paths`` that is a symbolic link, if any."""
    return next((path for path in paths if path.is_symlink()), None)


def _create_new(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` if there is nothing there, never through a link."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    try:
        fd = os.open(path, flags, 0o644)
    except FileExistsError:
        return
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(text)


# Whole results, walks and discoveries are plain JSON values (dicts, lists, strings,
# numbers), written and read by msgspec in C: the 10,000-module tree's discovery,
# 1.1 MB, is written in 0.5 ms where ``json`` took 5.
_RESULT_WRITER = msgspec.json.Encoder()
_RESULT_READER: msgspec.json.Decoder[Any] = msgspec.json.Decoder()


def _dumps(data: Any) -> str:
    return structjson.dumps(data, _RESULT_WRITER)


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


def is_racy(mtime_ns: int, now_ns: int) -> bool:
    """Does a stat taken at ``now_ns`` prove nothing about the file's content? Git's
    racy-clean files: a file changed less than ``RACY_NANOSECONDS`` before (or after)
    may change again within the same clock tick (a formatter right after a save; a
    filesystem whose clock ticks every second or two), keeping its size and mtime. Its
    row keeps ``UNTRUSTED_MTIME``, and the next run reads and hashes it again."""
    return mtime_ns >= now_ns - RACY_NANOSECONDS


def project_key(base: Path) -> str:
    """The project whose file stats a ``files`` row holds: its base folder, escaped
    where it is no text (``printable``), as SQLite stores only text."""
    return printable(str(base))


def default_cache_dir(project_root: Optional[Path]) -> Path:
    return (project_root or Path.cwd()) / CACHE_DIR_NAME


def _code_signature(files: Iterable[str]) -> str:
    """Size and mtime of our own source files: a development edit invalidates
    what was computed by the code before it, without anyone bumping a version."""
    digest = blake2b(digest_size=8)
    for path in sorted(files):
        try:
            info = os.stat(path)
        except OSError:
            continue
        digest.update(f"{os.path.basename(path)}:{info.st_size}:{info.st_mtime_ns};".encode())
    return digest.hexdigest()


def _python_files(folder: str) -> list[str]:
    """The ``.py`` files below ``folder`` (strings: every run asks, and pathlib's
    ``rglob`` cost a warm run 2 ms for a hundred files)."""
    found: list[str] = []
    for parent, _, names in os.walk(folder):
        found.extend(os.path.join(parent, name) for name in names if name.endswith(".py"))
    return found


_PACKAGE = os.path.dirname(os.path.realpath(__file__))


@functools.cache
def extraction_identity() -> str:
    """What cached facts depend on: the extractor's version and code, the
    interpreter's grammar, and the libcst build that parses what it cannot. Worked
    out once a process (a scan asks for it, and ``tool_identity`` again): none of it
    changes while one runs."""
    code = [*_python_files(os.path.join(_PACKAGE, "extract")), os.path.join(_PACKAGE, "facts.py")]
    # What ``ast`` can parse depends on the interpreter: a cache written by 3.11
    # holds a parse error for a 3.12 f-string that 3.12 reads fine.
    python = "{}.{}".format(*sys.version_info[:2])
    return f"{EXTRACTOR_VERSION}-py{python}-{_code_signature(code)}-{_libcst_build()}"


def _libcst_build() -> str:
    """Which libcst the scan would parse with, without importing it (a warm run never
    does): the size and time of its version file and its native parser. A file this
    interpreter cannot parse goes to libcst; after an upgrade that reads it (a newer
    grammar), its cached facts, a parse error, must not outlive the old build."""
    from importlib.machinery import PathFinder

    spec = PathFinder.find_spec("libcst")
    if spec is None or not spec.submodule_search_locations:
        return "no-libcst"
    folder = next(iter(spec.submodule_search_locations))
    files = [os.path.join(folder, "_version.py")]
    with contextlib.suppress(OSError), os.scandir(folder) as entries:
        files.extend(entry.path for entry in entries if entry.name.startswith("native."))
    return _code_signature(files)


@functools.cache
def tool_identity() -> str:
    """What a stored whole result depends on besides files and settings."""
    return f"{__version__}-{extraction_identity()}-{_code_signature(_python_files(_PACKAGE))}"


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
