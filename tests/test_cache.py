"""The facts cache: reuse, invalidation, JSON-only storage, recovery, ``clean``.

What the cache promises (issue 4): facts per file keyed by content hash (a stat
check first), the whole result reused when no file and no setting changed, only the
changed file re-extracted otherwise; JSON in SQLite, never pickle; a corrupt,
truncated or foreign cache is ignored with a one-line notice and rebuilt; two scans
at once do not corrupt it. ``run_scan`` has the cache off by default; the CLI has it
on (``--no-cache``, ``--cache-dir``, ``ssot-scan clean``).

Which files were re-extracted is observed through a spy on
``ssot_scan.parallel.extract_all`` (the jobs it is handed), never through timing.
"""

from __future__ import annotations

import json
import os
import random
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, Optional

import pytest
from helpers import make_unreadable, settle

from ssot_scan import cache as cache_module
from ssot_scan import hashing, parallel
from ssot_scan import scan as scan_module
from ssot_scan.cache import CACHE_DIR_NAME, DB_NAME, SCHEMA, FactsCache
from ssot_scan.config import Config, load_config, load_rule_packs
from ssot_scan.parallel import Job
from ssot_scan.report.json_report import result_json
from ssot_scan.result import ScanResult
from ssot_scan.scan import run_scan

RunCli = Callable[..., "tuple[int, str, str]"]
Configure = Callable[[Config], None]

PYPROJECT = """\
[tool.ssot-scan]
rule-packs = ["team.toml"]

[[tool.ssot-scan.canonical]]
symbol = "pkg.core.base.Base"
path = "pkg.core"
"""

PACK = """\
name = "team"

[[deprecated]]
module = "pkg.old"
replacement = "pkg.core"
"""


def project_files(modules: int) -> dict[str, str]:
    files = {
        "pyproject.toml": PYPROJECT,
        "team.toml": PACK,
        "pkg/__init__.py": "",
        "pkg/core/__init__.py": "from pkg.core.base import Base\n",
        "pkg/core/base.py": "class Base:\n    pass\n",
        "pkg/old.py": "X = 1\n",
        "pkg/broken.py": "def broken(:\n",
        "pkg/sub/__init__.py": "",
        "pkg/sub/rel.py": "from .sibling import Y\n",
        "pkg/sub/sibling.py": "Y = 2\n",
        # helper is imported mostly through hub, which only happens to import it:
        # the canonical policy decides which imports are reported.
        "pkg/util.py": "def helper() -> int:\n    return 1\n",
        "pkg/hub.py": "from pkg.util import helper\n\nUSED = helper()\n",
        "pkg/a1.py": "from pkg.hub import helper\n",
        "pkg/a2.py": "from pkg.hub import helper\n",
        "pkg/a3.py": "from pkg.hub import helper\n",
        "pkg/a4.py": "from pkg.util import helper\n",
    }
    for i in range(modules):
        lines = [
            "from pkg.core.base import Base" if i % 3 == 0 else "from pkg.core import Base",
            f"from pkg.m{(i + 1) % modules:02d} import f{(i + 1) % modules:02d}",  # one cycle
        ]
        if i % 4 == 0:
            lines.append("from pkg.old import X")
        if i % 5 == 0:
            lines.append("import pkg.missing")
        lines.append(f"def f{i:02d}() -> int:\n    return {i}")
        lines.append(f"class C{i:02d}(Base):\n    pass")
        files[f"pkg/m{i:02d}.py"] = "\n".join(lines) + "\n"
    return files


def write(root: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return settle(write(tmp_path / "proj", project_files(12)))


def scan(
    root: Path,
    use_cache: bool = True,
    cache_dir: Optional[Path] = None,
    configure: Optional[Configure] = None,
) -> ScanResult:
    config = load_config([root])
    if configure is not None:
        configure(config)
    load_rule_packs(config, [])
    return run_scan([root], config, jobs=1, cache_dir=cache_dir, use_cache=use_cache)


def db_path(root: Path) -> Path:
    return root.resolve() / CACHE_DIR_NAME / DB_NAME


class ExtractSpy:
    """The files handed to extraction, one list per scan that got that far."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, root: Path) -> None:
        self.calls: list[list[str]] = []
        self.root = root.resolve()
        real = parallel.extract_all

        def spy(job_list: list[Job], *args: Any, **kwargs: Any) -> Iterator[Any]:
            self.calls.append([Path(j.path).relative_to(self.root).as_posix() for j in job_list])
            return real(job_list, *args, **kwargs)

        monkeypatch.setattr("ssot_scan.parallel.extract_all", spy)

    def take(self) -> list[list[str]]:
        calls, self.calls = self.calls, []
        return calls


@pytest.fixture
def spy(monkeypatch: pytest.MonkeyPatch, project: Path) -> ExtractSpy:
    return ExtractSpy(monkeypatch, project)


def same_as_uncached(
    result: ScanResult, root: Path, configure: Optional[Configure] = None
) -> None:
    fresh = scan(root, use_cache=False, configure=configure)
    assert result_json(result) == result_json(fresh)


# -- reuse and invalidation ------------------------------------------------------------


def test_run_scan_has_the_cache_off_by_default(project: Path) -> None:
    config = load_config([project])
    load_rule_packs(config, [])
    run_scan([project], config, jobs=1)
    assert not (project / CACHE_DIR_NAME).exists()


def test_a_cold_cached_run_equals_an_uncached_one(project: Path) -> None:
    cached = scan(project)
    assert cached.reused is False
    uncached = scan(project, use_cache=False)
    assert result_json(cached) == result_json(uncached)
    assert cached.notices == uncached.notices == []
    assert {f.code for f in cached.findings} >= {"SSOT000", "SSOT001", "SSOT002", "SSOT005"}


def test_an_unchanged_project_reuses_the_whole_result(project: Path, spy: ExtractSpy) -> None:
    first = scan(project)
    assert first.reused is False
    assert len(spy.take()[0]) == first.files_scanned
    second = scan(project)
    assert second.reused is True
    assert spy.take() == []  # nothing extracted, nothing even handed to extraction
    assert result_json(second) == result_json(first)
    assert second.findings == first.findings
    assert second.notices == []
    assert second.exit_code() == first.exit_code() == 1


def test_changing_one_file_reextracts_only_that_file(project: Path, spy: ExtractSpy) -> None:
    scan(project)
    spy.take()
    target = project / "pkg" / "m01.py"
    target.write_text(target.read_text() + "from pkg.old import X as Again\n")
    result = scan(project)
    assert spy.take() == [["pkg/m01.py"]]
    assert result.reused is False
    assert ("pkg/m01.py", "SSOT001") in {(f.path, f.code) for f in result.findings}
    same_as_uncached(result, project)
    spy.take()
    again = scan(project)
    assert again.reused is True
    assert spy.take() == []


def test_fixing_a_file_clears_its_finding(project: Path, spy: ExtractSpy) -> None:
    before = scan(project)
    assert any(f.path == "pkg/broken.py" for f in before.findings)
    spy.take()
    (project / "pkg" / "broken.py").write_text("def broken():\n    return 0\n")
    result = scan(project)
    assert spy.take() == [["pkg/broken.py"]]
    assert not any(f.path == "pkg/broken.py" for f in result.findings)
    same_as_uncached(result, project)


def test_a_new_file_is_the_only_one_extracted(project: Path, spy: ExtractSpy) -> None:
    scan(project)
    spy.take()
    write(project, {"pkg/extra.py": "from pkg.old import X\n"})
    result = scan(project)
    assert spy.take() == [["pkg/extra.py"]]
    assert ("pkg/extra.py", "SSOT001") in {(f.path, f.code) for f in result.findings}
    same_as_uncached(result, project)


def test_a_deleted_file_recomputes_without_extracting(project: Path, spy: ExtractSpy) -> None:
    scan(project)
    spy.take()
    (project / "pkg" / "m04.py").unlink()
    result = scan(project)
    assert spy.take() in ([], [[]])
    assert result.reused is False
    assert not any(f.path == "pkg/m04.py" for f in result.findings)
    same_as_uncached(result, project)


def test_the_same_content_under_another_module_is_extracted_again(
    project: Path, spy: ExtractSpy
) -> None:
    """The module name is part of the facts key: relative imports resolve against it."""
    scan(project)
    spy.take()
    write(project, {"pkg/other/__init__.py": "", "pkg/other/rel.py": "from .sibling import Y\n"})
    result = scan(project)
    assert sorted(spy.take()[0]) == ["pkg/other/__init__.py", "pkg/other/rel.py"]
    assert ("pkg/other/rel.py", "SSOT005") in {(f.path, f.code) for f in result.findings}
    same_as_uncached(result, project)


def test_edits_that_change_no_facts_keep_reusing_the_result_however_many(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Each such edit stores the result it found under the files' new stats; the
    # result its facts name, found again every time, was the oldest row after a few
    # edits and was evicted: every fourth comment edit analysed the whole tree.
    first = scan(project)
    analysed: list[int] = []
    real = scan_module._analyse
    monkeypatch.setattr(
        scan_module, "_analyse", lambda *a, **k: analysed.append(1) or real(*a, **k)
    )
    target = project / "pkg" / "m02.py"
    original = target.read_text()
    for edit in range(3 * cache_module._KEEP_RESULTS):
        target.write_text(f"{original}\n# edit {edit}\n")
        assert scan(project).reused is True, edit
        target.write_text(original)
        assert result_json(scan(project)) == result_json(first)
    assert analysed == []


def test_a_touched_file_is_not_reextracted_and_its_unchanged_facts_reuse_the_result(
    project: Path, spy: ExtractSpy, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = scan(project)
    spy.take()
    target = project / "pkg" / "m02.py"
    info = target.stat()
    os.utime(target, ns=(info.st_atime_ns, info.st_mtime_ns + 5_000_000_000))
    touched = scan(project)
    # A stat changed, so the stat-keyed result is not trusted; but the content hash
    # matched, so the facts are the same, and so is the analysis of them.
    assert touched.reused is True
    assert [call for call in spy.take() if call] == []  # the content hash matched
    assert result_json(touched) == result_json(first)

    # The new stat is recorded: the next run neither hashes nor extracts anything.
    hashed = _count_hashes(monkeypatch)
    again = scan(project)
    assert again.reused is True
    assert hashed == []
    assert spy.take() == []


def _count_hashes(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """A list that gets a 1 for each file the scan reads to hash from now on."""
    hashed: list[int] = []
    real_hash = hashing.content_hash
    monkeypatch.setattr(
        "ssot_scan.hashing.content_hash", lambda data: hashed.append(1) or real_hash(data)
    )
    return hashed


def _select(config: Config) -> None:
    config.select = ["SSOT000", "SSOT001"]


def _ignore(config: Config) -> None:
    config.ignore = ["SSOT005"]


def _policy(config: Config) -> None:
    config.canonical_policy = "definition"


def _budget(config: Config) -> None:
    config.max_warnings = 1000


Change = Callable[[Path], Optional[Configure]]


def _pack_content(root: Path) -> None:
    """The rule pack's file changes; the project's config does not."""
    (root / "team.toml").write_text(PACK + '\n[[deprecated]]\nmodule = "pkg.missing"\n')


def _inline_rule(root: Path) -> None:
    pyproject = root / "pyproject.toml"
    pyproject.write_text(pyproject.read_text() + "\n[[tool.ssot-scan.watch]]\nname = 'C0*'\n")


CHANGES: list[Change] = [
    lambda root: _select,
    lambda root: _ignore,
    lambda root: _policy,
    lambda root: _budget,
    _pack_content,
    _inline_rule,
]


@pytest.mark.parametrize(
    "change", CHANGES, ids=["select", "ignore", "policy", "budget", "pack-content", "inline-rule"]
)
def test_a_changed_setting_invalidates_the_stored_result(
    project: Path, spy: ExtractSpy, change: Change
) -> None:
    before = scan(project)
    spy.take()
    configure = change(project)
    changed = scan(project, configure=configure)
    assert changed.reused is False
    assert [call for call in spy.take() if call] == []  # facts do not depend on settings
    assert result_json(changed) != result_json(before)
    same_as_uncached(changed, project, configure=configure)


def test_the_engine_is_part_of_the_facts_key(project: Path, spy: ExtractSpy) -> None:
    def engine(config: Config) -> None:
        config.engine = "libcst"

    before = scan(project)
    spy.take()
    result = scan(project, configure=engine)
    assert result.reused is False
    assert len(spy.take()[0]) == before.files_scanned
    same_as_uncached(result, project, configure=engine)


def test_going_back_to_a_setting_reuses_its_result(project: Path, spy: ExtractSpy) -> None:
    first = scan(project)
    scan(project, configure=_select)
    back = scan(project)
    assert back.reused is True
    assert result_json(back) == result_json(first)


# -- what is stored: JSON, never pickle ------------------------------------------------


def test_the_cache_stores_json_only(project: Path) -> None:
    scan(project)
    db = sqlite3.connect(db_path(project))
    try:
        tables = {
            row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type='table'")
        }
        assert tables == {"meta", "files", "facts", "results", "answers"}
        assert db.execute("SELECT value FROM meta WHERE key='schema'").fetchone() == (SCHEMA,)
        facts = [row[0] for row in db.execute("SELECT data FROM facts")]
        assert len(facts) == scan(project, use_cache=False).files_scanned
        for data in facts:
            assert isinstance(data, str)
            assert isinstance(json.loads(data), (dict, list))  # packed facts are a JSON list
        rows = list(db.execute("SELECT key, data FROM results"))
        results = [data for key, data in rows if not key.startswith("walk-")]
        assert len(results) == 2  # one keyed by the files' stats, one by their facts
        assert len(rows) == 3  # and the folder listings (listing.py)
        assert all(isinstance(json.loads(data), dict) for _, data in rows)
        answers = [row[0] for row in db.execute("SELECT data FROM answers")]
        assert len(answers) == len(facts)  # every file's answers (incremental.py)
        assert all(isinstance(json.loads(data), dict) for data in answers)
        for table in tables:
            columns = [row[1] for row in db.execute(f"PRAGMA table_info({table})")]
            for column in columns:
                kinds = {row[0] for row in db.execute(f"SELECT typeof({column}) FROM {table}")}
                assert "blob" not in kinds, f"{table}.{column} holds bytes"
                for (value,) in db.execute(f"SELECT {column} FROM {table}"):
                    if isinstance(value, (str, bytes)):
                        raw = (
                            value.encode("latin-1", "replace") if isinstance(value, str) else value
                        )
                        assert not raw.startswith(b"\x80"), f"{table}.{column}: pickle?"
    finally:
        db.close()


# -- corrupt caches: one notice, rebuilt, same result ----------------------------------


def _random_bytes(db: Path) -> None:
    db.write_bytes(random.Random(4).randbytes(db.stat().st_size))


def _truncated_to_half(db: Path) -> None:
    data = db.read_bytes()
    db.write_bytes(data[: len(data) // 2])


def _foreign_sqlite(db: Path) -> None:
    db.unlink()
    other = sqlite3.connect(db)
    other.execute("CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT)")
    other.executemany("INSERT INTO users VALUES (?, ?)", [(1, "ada"), (2, "grace")])
    other.commit()
    other.close()


def _other_schema(db: Path) -> None:
    conn = sqlite3.connect(db)
    conn.execute("UPDATE meta SET value = 'ssot-scan-cache/0' WHERE key = 'schema'")
    conn.commit()
    conn.close()


def _older_version(db: Path) -> None:
    """The cache as the previous schema (``ssot-scan-cache/2``) left it: without the
    facts-digest index."""
    conn = sqlite3.connect(db)
    conn.execute("DROP INDEX facts_digests")
    conn.execute("UPDATE meta SET value = 'ssot-scan-cache/2' WHERE key = 'schema'")
    conn.commit()
    conn.close()


def _facts_not_json(db: Path) -> None:
    conn = sqlite3.connect(db)
    cursor = conn.execute("UPDATE facts SET data = 'not json {' WHERE module = 'pkg.m03'")
    assert cursor.rowcount == 1
    # A stored result would hide the facts (one found by the facts' digests holds
    # whatever befell their data since): without one, the facts are built.
    conn.execute("DELETE FROM results")
    conn.commit()
    conn.close()
    # Change m03's stat, not its content, so the scan looks its facts up by hash.
    target = db.parent.parent / "pkg" / "m03.py"
    info = target.stat()
    os.utime(target, ns=(info.st_atime_ns, info.st_mtime_ns + 5_000_000_000))


CORRUPTIONS = [
    _random_bytes,
    _truncated_to_half,
    _foreign_sqlite,
    _other_schema,
    _older_version,
    _facts_not_json,
]


@pytest.mark.parametrize("corrupt", CORRUPTIONS, ids=lambda f: f.__name__.strip("_"))
def test_a_corrupt_cache_is_rebuilt_with_one_notice(
    project: Path, corrupt: Callable[[Path], None]
) -> None:
    expected = scan(project, use_cache=False)
    assert expected.notices == []
    scan(project)
    db = db_path(project)
    corrupt(db)

    recovered = scan(project)
    assert result_json(recovered) == result_json(expected)
    assert len(recovered.notices) == 1, recovered.notices
    notice = recovered.notices[0]
    assert "\n" not in notice
    assert str(db) in notice
    if corrupt is _facts_not_json:
        assert "damaged or edited entries ignored" in notice  # a bad row is a miss
    else:
        assert "rebuild" in notice
    if corrupt is _older_version:  # said as what it is, not as a foreign file
        assert f"cache schema 'ssot-scan-cache/2', expected {SCHEMA!r}" in notice

    after = scan(project)
    assert after.notices == []
    assert after.reused is True
    assert result_json(after) == result_json(expected)


def _last_page_half_cut(db: Path) -> None:
    data = db.read_bytes()
    db.write_bytes(data[: len(data) - 1000])


def _result_not_json(db: Path) -> None:
    conn = sqlite3.connect(db)
    conn.execute("UPDATE results SET data = 'not json {'")
    conn.commit()
    conn.close()


def _result_wrong_shape(db: Path) -> None:
    conn = sqlite3.connect(db)
    conn.execute("""UPDATE results SET data = '{"findings": 3}'""")
    conn.commit()
    conn.close()


@pytest.mark.parametrize(
    "corrupt",
    [_last_page_half_cut, _result_not_json, _result_wrong_shape],
    ids=lambda f: f.__name__.strip("_"),
)
def test_a_damaged_stored_result_is_recovered_with_at_most_one_notice(
    project: Path, corrupt: Callable[[Path], None]
) -> None:
    # Two results are stored (keyed by stats and by facts); a damaged one is either
    # recomputed or replaced by the other, and either way said at most once.
    expected = scan(project, use_cache=False)
    scan(project)
    db = db_path(project)
    corrupt(db)
    recovered = scan(project)
    assert result_json(recovered) == result_json(expected)
    assert len(recovered.notices) <= 1, recovered.notices
    assert all(str(db) in notice for notice in recovered.notices)
    after = scan(project)
    assert after.notices == []
    assert after.reused is True


def test_the_cli_prints_one_line_about_a_corrupt_cache(project: Path, run_cli: RunCli) -> None:
    expected = run_cli(["-f", "json", "--no-cache", "."], project)
    run_cli(["-q", "."], project)
    _random_bytes(project / CACHE_DIR_NAME / DB_NAME)
    code, out, err = run_cli(["-f", "json", "."], project)
    assert (code, out) == expected[:2]
    lines = err.splitlines()
    assert len(lines) == 1, err
    assert DB_NAME in lines[0]
    assert "rebuild" in lines[0]
    assert run_cli(["-f", "json", "."], project) == (code, out, "")


# -- two scans at once -----------------------------------------------------------------


def test_two_scans_at_once_share_a_cache_safely(
    tmp_path: Path, run_cli: RunCli, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = write(tmp_path / "proj", project_files(50))
    cache = tmp_path / "shared-cache"
    args = ["-f", "json", "-j", "2", "--cache-dir", str(cache), "."]
    command = [sys.executable, "-m", "ssot_scan", *args]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    for round_ in range(3):
        if round_ == 1:  # a warm cache, one file changed
            write(root, {"pkg/m07.py": "from pkg.old import X\n"})
        if round_ == 2:  # cold again
            assert run_cli(["clean", "--cache-dir", str(cache)], root)[0] == 0
        expected_code, expected_out, _ = run_cli([*args, "--no-cache"], root)
        procs = [
            subprocess.Popen(
                command,
                cwd=root,
                env=env,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            for _ in range(2)
        ]
        outputs = [proc.communicate(timeout=120) for proc in procs]
        for proc, (out, err) in zip(procs, outputs, strict=True):
            assert proc.returncode == expected_code, err
            assert out == expected_out
            # No traceback, no error, and no cache taken for corrupt while the other
            # scan holds it (test_a_locked_cache_is_not_taken_for_a_corrupt_one pins
            # the cause): a locked cache is waited for, whatever the interleaving.
            assert "Traceback" not in err
            assert all(line.startswith("ssot-scan: warning: ") for line in err.splitlines())
            assert "corrupt" not in err and "rebuild" not in err, err
    after = scan(root, cache_dir=cache)
    assert after.notices == []
    assert after.reused is True
    db = sqlite3.connect(cache / DB_NAME)
    try:
        assert db.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    finally:
        db.close()


def test_a_locked_cache_is_not_taken_for_a_corrupt_one(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Fixed bug (this test failed before the fix). The old behaviour:
    # FactsCache._open treats every sqlite3.DatabaseError from _connect as
    # corruption, including OperationalError("database is locked") (SQLITE_BUSY).
    # `PRAGMA journal_mode = WAL` can return SQLITE_BUSY at once, without waiting for
    # the busy timeout, while another scan is opening the same fresh cache; the
    # scan then prints "corrupt cache (database is locked); rebuilding the cache"
    # and unlinks cache.sqlite3, -wal and -shm while the other scan is using them.
    # Seen about once in 15 rounds of two `ssot-scan` processes started together on
    # a cold cache (test_two_scans_at_once_share_a_cache_safely). Here the lock is
    # simulated, once, at that statement, so the test is deterministic.
    scan(project)
    db = db_path(project)
    marker = sqlite3.connect(db)
    marker.execute("INSERT INTO results VALUES ('marker', 0, '{}', 'x')")
    marker.commit()
    marker.close()

    real_connect = sqlite3.connect
    raised: list[str] = []

    class LockedOnce(sqlite3.Connection):
        def execute(self, sql: str, *args: Any) -> sqlite3.Cursor:
            if sql.startswith("PRAGMA journal_mode") and not raised:
                raised.append(sql)
                raise sqlite3.OperationalError("database is locked")
            return super().execute(sql, *args)

    def connect(*args: Any, **kwargs: Any) -> sqlite3.Connection:
        return real_connect(*args, factory=LockedOnce, **kwargs)

    monkeypatch.setattr(sqlite3, "connect", connect)
    result = scan(project)
    monkeypatch.setattr(sqlite3, "connect", real_connect)
    assert raised
    same_as_uncached(result, project)
    assert not any("corrupt" in n or "rebuild" in n for n in result.notices), result.notices
    check = sqlite3.connect(db)
    try:  # the cache another scan may be using was not deleted
        assert check.execute("SELECT key FROM results WHERE key = 'marker'").fetchall()
    finally:
        check.close()


# -- where the cache lives, and the CLI's switches -------------------------------------


def test_the_cli_caches_at_the_project_root_by_default(project: Path, run_cli: RunCli) -> None:
    code, _, err = run_cli(["pkg"], project)
    assert code == 1
    assert err == ""
    assert (project / CACHE_DIR_NAME / DB_NAME).is_file()
    assert not (project / "pkg" / CACHE_DIR_NAME).exists()


def test_the_cache_folder_ignores_itself(project: Path, run_cli: RunCli) -> None:
    run_cli(["-q", "."], project)
    ignore = project / CACHE_DIR_NAME / ".gitignore"
    assert "*" in ignore.read_text(encoding="utf-8").splitlines()


def test_no_cache_writes_nothing(project: Path, run_cli: RunCli, tmp_path: Path) -> None:
    before = sorted(tmp_path.rglob("*"))
    code, _, err = run_cli(["--no-cache", "."], project)
    assert code == 1
    assert err == ""
    assert sorted(tmp_path.rglob("*")) == before
    assert not (project / CACHE_DIR_NAME).exists()


def test_no_cache_ignores_an_existing_cache(
    project: Path, run_cli: RunCli, monkeypatch: pytest.MonkeyPatch
) -> None:
    run_cli(["-q", "."], project)
    spy = ExtractSpy(monkeypatch, project)
    run_cli(["-q", "--no-cache", "."], project)
    assert len(spy.take()[0]) > 1  # everything parsed again


def test_cache_dir_puts_the_cache_elsewhere(
    project: Path, run_cli: RunCli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    elsewhere = tmp_path / "caches" / "ssot"
    first = run_cli(["-f", "json", "--cache-dir", str(elsewhere), "."], project)
    assert (elsewhere / DB_NAME).is_file()
    assert "*" in (elsewhere / ".gitignore").read_text().splitlines()
    assert not (project / CACHE_DIR_NAME).exists()
    spy = ExtractSpy(monkeypatch, project)
    assert run_cli(["-f", "json", "--cache-dir", str(elsewhere), "."], project) == first
    assert spy.take() == []  # the stored result was reused
    assert first[:2] == run_cli(["-f", "json", "--no-cache", "."], project)[:2]


def test_an_uncreatable_cache_folder_is_one_notice(project: Path, run_cli: RunCli) -> None:
    blocker = project / "not-a-folder"
    blocker.write_text("a regular file\n")
    expected = run_cli(["-f", "json", "--no-cache", "."], project)
    code, out, err = run_cli(["-f", "json", "--cache-dir", str(blocker / "cache"), "."], project)
    assert (code, out) == expected[:2]
    lines = err.splitlines()
    assert len(lines) == 1, err
    assert str(blocker) in lines[0]
    assert "cache" in lines[0]


def test_run_scan_with_an_uncreatable_cache_folder(project: Path) -> None:
    blocker = project / "not-a-folder"
    blocker.write_text("a regular file\n")
    result = scan(project, cache_dir=blocker / "cache")
    assert len(result.notices) == 1
    assert str(blocker) in result.notices[0]
    same_as_uncached(result, project)


# -- ssot-scan clean -------------------------------------------------------------------


def test_clean_removes_the_cache_and_says_so(project: Path, run_cli: RunCli) -> None:
    run_cli(["-q", "."], project)
    folder = project / CACHE_DIR_NAME
    assert folder.is_dir()
    code, out, _ = run_cli(["clean"], project)
    assert code == 0
    assert "removed" in out
    assert CACHE_DIR_NAME in out
    assert not folder.exists()
    code, out, _ = run_cli(["clean"], project)
    assert code == 0
    assert "no cache" in out
    assert CACHE_DIR_NAME in out


def test_clean_finds_the_project_from_a_path(
    project: Path, run_cli: RunCli, tmp_path: Path
) -> None:
    run_cli(["-q", "."], project)
    code, out, _ = run_cli(["clean", str(project / "pkg")], tmp_path)
    assert code == 0
    assert "removed" in out
    assert not (project / CACHE_DIR_NAME).exists()


def test_clean_with_cache_dir_removes_only_cache_files(
    project: Path, run_cli: RunCli, tmp_path: Path
) -> None:
    shared = tmp_path / "shared"
    write(shared, {"notes.txt": "keep me\n", "sub/data.json": "{}\n"})
    run_cli(["-q", "--cache-dir", str(shared), "."], project)
    assert (shared / DB_NAME).is_file()
    code, out, _ = run_cli(["clean", "--cache-dir", str(shared)], project)
    assert code == 0
    assert "removed" in out
    assert not (shared / DB_NAME).exists()
    assert (shared / "notes.txt").read_text() == "keep me\n"
    assert (shared / "sub" / "data.json").read_text() == "{}\n"
    code, out, _ = run_cli(["clean", "--cache-dir", str(shared)], project)
    assert "no cache" in out
    assert (shared / "notes.txt").exists()


def test_clean_with_cache_dir_keeps_a_gitignore_it_did_not_write(
    project: Path, run_cli: RunCli
) -> None:
    # Fixed bug (this test failed before the fix). The old behaviour:
    # remove_cache() deletes any `.gitignore` in the folder, not only the one
    # FactsCache wrote, so `ssot-scan clean --cache-dir .` in a project deletes the
    # project's own .gitignore (and prints "removed ."), although `clean --help`
    # promises "pointing --cache-dir at the wrong folder deletes nothing else".
    (project / ".gitignore").write_text("build/\n*.egg-info/\n")
    code, _, _ = run_cli(["clean", "--cache-dir", "."], project)
    assert code == 0
    assert (project / ".gitignore").is_file(), "the project's own .gitignore was deleted"
    assert (project / ".gitignore").read_text() == "build/\n*.egg-info/\n"


# -- a stale whole result --------------------------------------------------------------


def test_a_file_that_could_not_be_read_is_read_again_next_time(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Fixed bug (this test failed before the fix). The old behaviour:
    # a result with a "cannot read" SSOT000 is stored and reused whole, keyed by
    # the file's size and mtime only. After `chmod 000 f.py; ssot-scan; chmod 644 f.py`
    # (chmod leaves the mtime alone) the next `ssot-scan` still reports "cannot read"
    # until the file is edited or the cache cleaned. Simulated here with a patched
    # read, because tests may run as root.
    readable_again = make_unreadable(monkeypatch, "m05.py")
    blocked = scan(project)
    assert any("cannot read" in f.message for f in blocked.findings if f.path == "pkg/m05.py")
    readable_again()  # "chmod 644"
    result = scan(project)
    assert not any("cannot read" in f.message for f in result.findings)
    same_as_uncached(result, project)


def test_an_edit_that_leaves_the_facts_unchanged_reuses_the_result(project: Path) -> None:
    # A comment at the end of a module changes its bytes, not its facts (imports,
    # definitions, warnings, markers): the analysis of the facts is reused.
    first = scan(project)
    target = project / "pkg" / "m03.py"
    target.write_text(target.read_text(encoding="utf-8") + "# a comment\n", encoding="utf-8")
    edited = scan(project)
    assert edited.reused is True
    assert result_json(edited) == result_json(first)
    same_as_uncached(edited, project)


def test_an_edit_that_changes_the_facts_is_analysed_again(project: Path) -> None:
    scan(project)
    target = project / "pkg" / "m03.py"
    target.write_text(
        "from pkg.nowhere import missing\n" + target.read_text(encoding="utf-8"),
        encoding="utf-8",
    )
    edited = scan(project)
    assert edited.reused is False
    assert ("pkg/m03.py", 1, "SSOT005") in {(f.path, f.line, f.code) for f in edited.findings}
    same_as_uncached(edited, project)


def test_cached_facts_are_keyed_by_the_interpreter_version() -> None:
    # What ``ast`` parses depends on the interpreter: facts cached by 3.11 held a parse
    # error for a 3.12 f-string that a 3.12 run then reused.
    from ssot_scan.cache import extraction_identity

    assert "-py{}.{}-".format(*sys.version_info[:2]) in extraction_identity()


def test_cached_facts_are_keyed_by_the_libcst_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A file this interpreter cannot parse is parsed by libcst; an upgrade that reads
    # it (a newer grammar) must not leave its cached facts, a parse error, in place.
    from ssot_scan.cache import extraction_identity

    site = tmp_path / "site"
    package = site / "libcst"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "_version.py").write_text("version = '1.0.0'\n")
    native = package / "native.cpython-311-x86_64-linux-gnu.so"
    native.write_bytes(b"old parser")
    monkeypatch.syspath_prepend(str(site))
    # Worked out once a process: each call here stands for a run of its own.
    extraction_identity.cache_clear()
    try:
        before = extraction_identity()
        extraction_identity.cache_clear()
        assert extraction_identity() == before  # nothing changed: the same key
        native.write_bytes(b"the new parser, larger")
        extraction_identity.cache_clear()
        assert extraction_identity() != before
    finally:
        extraction_identity.cache_clear()  # the real libcst for the tests after


def test_a_warm_run_repeats_what_the_analysis_noticed(tmp_path: Path) -> None:
    # A canonical rule that resolves to nothing is said by the analysis; a result
    # reused from the cache used to drop that notice.
    root = tmp_path / "proj"
    write(
        root,
        {
            "pyproject.toml": "[tool.ssot-scan]\n[[tool.ssot-scan.canonical]]\n"
            'symbol = "pkg.gone.Thing"\npath = "pkg"\n',
            "pkg/__init__.py": "",
        },
    )
    first = scan(root)
    again = scan(root)
    assert again.reused is True
    noticed = [n for n in first.notices if "pkg.gone.Thing" in n]
    assert len(noticed) == 1
    assert [n for n in again.notices if "pkg.gone.Thing" in n] == noticed


def test_a_package_with_no_project_around_it_keeps_its_cache_in_the_current_folder(
    tmp_path: Path, run_cli: Any
) -> None:
    # A scan of site-packages must not write .ssot_cache into it.
    site = tmp_path / "lib" / "site-packages"
    (site / "pkg").mkdir(parents=True)
    (site / "pkg" / "__init__.py").write_text("import os\n")
    work = tmp_path / "work"
    work.mkdir()
    code, _, err = run_cli([str(site / "pkg")], work)
    assert code == 0, err
    assert not (site / ".ssot_cache").exists()
    assert (work / ".ssot_cache").is_dir()


# -- the cache is a cache, not a source of truth --------------------------------------


def test_a_trigger_planted_in_the_cache_makes_it_foreign(project: Path) -> None:
    # Seen: a trigger that empties every stored result made later runs report 0
    # findings and pass the gate while --no-cache failed it.
    expected = scan(project, use_cache=False)
    scan(project)
    conn = sqlite3.connect(db_path(project))
    conn.execute(
        "CREATE TRIGGER forge AFTER INSERT ON results BEGIN "
        "UPDATE results SET data = '{}' WHERE key = NEW.key; END"
    )
    conn.commit()
    conn.close()
    (project / "pkg" / "m01.py").write_text("import os\n")  # a change: results are stored
    expected = scan(project, use_cache=False)
    first = scan(project)
    assert any("not an ssot-scan cache (it holds trigger forge)" in n for n in first.notices)
    assert result_json(first) == result_json(expected)
    conn = sqlite3.connect(db_path(project))
    assert conn.execute(
        "SELECT COUNT(*) FROM sqlite_master WHERE type = 'trigger'"
    ).fetchone() == (0,)
    conn.close()
    assert result_json(scan(project)) == result_json(expected)


def test_a_stored_result_whose_text_is_not_utf8_is_recomputed_not_a_corrupt_cache(
    project: Path,
) -> None:
    # As a facts row whose bytes are not UTF-8: read as text, it stopped the read of
    # the result ("Could not decode to UTF-8"), and the cache was turned off for the run.
    expected = scan(project, use_cache=False)
    scan(project)
    conn = sqlite3.connect(db_path(project))
    assert (
        conn.execute(
            "UPDATE results SET data = CAST(X'FF' || CAST(data AS BLOB) AS TEXT)"
        ).rowcount
        > 0
    )
    conn.commit()
    conn.close()
    result = scan(project)
    assert result_json(result) == result_json(expected)
    assert any("damaged or edited stored result" in n for n in result.notices)
    assert not any("corrupt cache" in n for n in result.notices)


def test_an_edited_stored_result_is_recomputed(project: Path) -> None:
    expected = scan(project, use_cache=False)
    scan(project)
    conn = sqlite3.connect(db_path(project))
    assert conn.execute("UPDATE results SET data = '{\"findings\": []}'").rowcount > 0
    conn.commit()
    conn.close()
    result = scan(project)
    assert result_json(result) == result_json(expected)
    assert any("damaged or edited stored result" in n for n in result.notices)


def test_a_row_of_deeply_nested_json_is_a_miss(project: Path) -> None:
    expected = scan(project, use_cache=False)
    scan(project)
    deep = "[" * 100_000 + "]" * 100_000
    conn = sqlite3.connect(db_path(project))
    conn.execute("UPDATE results SET data = ?", (deep,))
    conn.execute("UPDATE facts SET data = ?", (deep,))
    conn.commit()
    conn.close()
    (project / "pkg" / "m02.py").touch()  # the facts are looked up too
    info = (project / "pkg" / "m02.py").stat()
    os.utime(project / "pkg" / "m02.py", ns=(info.st_atime_ns, info.st_mtime_ns + 10**9))
    result = scan(project)
    assert result_json(result) == result_json(expected)


def test_a_consistent_row_nested_too_deep_where_definitions_go_is_a_miss(project: Path) -> None:
    # The definitions are kept as raw JSON, which the reader still walks to find
    # their end: nested too deep there (the digest made to match), the row is a miss.
    expected = scan(project, use_cache=False)
    scan(project)
    deep = "[" * 100_000 + "]" * 100_000

    def nested(data: str) -> str:
        listed = json.loads(data)
        head = json.dumps([listed[0]], separators=(",", ":"))[:-1]
        return (
            head + "," + deep + json.dumps(listed[2:], separators=(",", ":")).replace("[", ",", 1)
        )

    assert _forge_rows(project, nested) > 10
    result = scan(project)
    assert result_json(result) == result_json(expected)
    assert any("damaged or edited entries ignored" in notice for notice in result.notices)


def test_a_consistent_row_with_a_kind_no_front_end_makes_is_a_miss(project: Path) -> None:
    # Rows are checked against their digest; one rewritten with its digest to match
    # but an import kind no front end makes must be parsed again, not trusted.
    expected = scan(project, use_cache=False)
    scan(project)
    conn = sqlite3.connect(db_path(project))
    rows = conn.execute("SELECT rowid, data FROM facts WHERE data LIKE '%\"from\"%'").fetchall()
    assert rows
    for rowid, data in rows:
        bad = data.replace('"from"', '"frum"')
        conn.execute(
            "UPDATE facts SET data = ?, digest = ? WHERE rowid = ?",
            (bad, cache_module.facts_digest(bad), rowid),
        )
    conn.execute("DELETE FROM results")  # the analysis must read the facts again
    conn.commit()
    conn.close()
    result = scan(project)
    assert result_json(result) == result_json(expected)
    assert any("damaged or edited entries ignored" in notice for notice in result.notices)


def test_a_row_whose_text_is_not_utf8_is_one_miss_not_a_corrupt_cache(
    project: Path, spy: ExtractSpy
) -> None:
    # SQLite keeps whatever bytes a TEXT value was given. Read as text, one row of
    # bytes that are not UTF-8 stopped the whole read ("Could not decode to UTF-8"):
    # every file parsed again, and the cache called corrupt. Read as bytes, it is a
    # row that no longer matches its digest.
    expected = scan(project, use_cache=False)
    scan(project)
    conn = sqlite3.connect(db_path(project))
    (rowid,) = conn.execute("SELECT rowid FROM facts ORDER BY rowid LIMIT 1").fetchone()
    conn.execute(
        "UPDATE facts SET data = CAST(X'FF' || CAST(data AS BLOB) AS TEXT) WHERE rowid = ?",
        (rowid,),
    )
    conn.execute("DELETE FROM results")  # the analysis must read the facts again
    conn.commit()
    conn.close()
    spy.take()
    result = scan(project)
    assert result_json(result) == result_json(expected)
    assert [len(files) for files in spy.take()] == [1]  # that file parsed again, no other
    assert any("1 damaged or edited entries ignored" in n for n in result.notices)
    assert not any("corrupt cache" in n for n in result.notices)


def _deny_writes(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make the cache see its folder and database as not writable (the tests run as
    a user whom permissions do not stop)."""
    real_access = os.access
    monkeypatch.setattr(
        cache_module.os,
        "access",
        lambda path, mode: False if mode == os.W_OK else real_access(path, mode),
    )


# Whole scan results, not the kept walk and discovery the results table also holds.
_SCAN_RESULTS = (
    "SELECT COUNT(*) FROM results WHERE key NOT LIKE 'walk-%' AND key NOT LIKE 'discovery-%'"
)


def _forge_rows(project: Path, rewrite: Callable[[str], str]) -> int:
    """Rewrite every stored facts row that ``rewrite`` changes, with the row's
    digest made to match; drop the stored results and answers so that the next scan
    analyses those facts again. Returns the rows rewritten."""
    conn = sqlite3.connect(db_path(project))
    rows = conn.execute("SELECT rowid, data FROM facts").fetchall()
    forged = 0
    for rowid, data in rows:
        bad = rewrite(data)
        if bad == data:
            continue
        forged += 1
        conn.execute(
            "UPDATE facts SET data = ?, digest = ? WHERE rowid = ?",
            (bad, cache_module.facts_digest(bad), rowid),
        )
    conn.execute("DELETE FROM results")
    conn.execute("DELETE FROM answers")
    conn.commit()
    conn.close()
    return forged


def _forge_definitions(project: Path) -> int:
    """Every stored row holding a class rewritten so that its definitions (decoded
    only when asked for) name a kind no front end makes (``_forge_rows``)."""
    return _forge_rows(project, lambda data: data.replace('"class"', '"klass"'))


def test_definitions_found_damaged_only_when_decoded_are_parsed_again(project: Path) -> None:
    # Definitions are read back as text and decoded when first asked for, after the
    # row's other facts were checked: a row rewritten with its digest to match and a
    # definition kind no front end makes is found out only in the middle of the
    # analysis. That analysis starts again with those files parsed anew, nothing of
    # it is kept, their rows go, and the next run stores a whole result again.
    expected = scan(project, use_cache=False)
    scan(project)
    assert _forge_definitions(project) > 10
    result = scan(project)
    assert result_json(result) == result_json(expected)
    assert any("damaged or edited entries ignored" in notice for notice in result.notices)
    conn = sqlite3.connect(db_path(project))
    assert conn.execute(_SCAN_RESULTS).fetchone() == (0,)
    assert conn.execute("SELECT COUNT(*) FROM facts WHERE data LIKE '%klass%'").fetchone() == (0,)
    conn.close()
    again = scan(project)
    assert result_json(again) == result_json(expected)
    assert not any("damaged" in notice for notice in again.notices)
    conn = sqlite3.connect(db_path(project))
    assert conn.execute(_SCAN_RESULTS).fetchone()[0] > 0
    conn.close()


def test_damaged_definitions_in_a_read_only_cache_are_parsed_again_and_left(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A cache the run may not write: the damaged files are parsed again all the
    # same, the report is the cold one, and the cache is not touched.
    expected = scan(project, use_cache=False)
    scan(project)
    assert _forge_definitions(project) > 10
    db = db_path(project)
    data = db.read_bytes()
    _deny_writes(monkeypatch)
    result = scan(project)
    assert result_json(result) == result_json(expected)
    assert any("damaged or edited entries ignored" in notice for notice in result.notices)
    assert db.read_bytes() == data


def test_the_analysis_plan_reads_damaged_definitions_as_a_miss(project: Path) -> None:
    # ``analyse_project`` hands out an analysis read later, outside any recovery:
    # its definitions are all checked before, and damaged ones parsed again.
    config = load_config([project])
    load_rule_packs(config, [])
    _, cold = scan_module.analyse_project([project], config, jobs=1, use_cache=False)
    scan(project)
    assert _forge_definitions(project) > 10
    _, warm = scan_module.analyse_project([project], config, jobs=1, use_cache=True)
    assert sorted(f.symbol for f in warm.fragments) == sorted(f.symbol for f in cold.fragments)
    kinds = {d.kind for _, facts in warm.index.files for d in facts.definitions}
    assert "klass" not in kinds and "class" in kinds


def test_read_eagerly_a_row_with_damaged_definitions_is_a_miss(project: Path) -> None:
    # ``fix`` reads facts outside the scan's recovery: asked not to be lazy, the
    # cache decodes the definitions at once and a damaged row is a miss; read
    # lazily, the same row is a hit whose definitions raise DamagedFacts.
    from ssot_scan.facts import DamagedFacts

    scan(project)
    conn = sqlite3.connect(db_path(project))
    keys = [
        (h, m, bool(p)) for h, m, p in conn.execute("SELECT hash, module, is_package FROM facts")
    ]
    conn.close()
    assert _forge_definitions(project) > 10
    cache = FactsCache(db_path(project).parent, [])
    version = cache_module.extraction_identity()
    eager = cache.facts(keys, "auto", version, lazy=False)
    lazy = cache.facts(keys, "auto", version)
    cache.close()
    damaged = set(lazy) - set(eager)
    assert len(damaged) > 10
    for key in damaged:
        with pytest.raises(DamagedFacts):
            lazy[key][0].definitions  # noqa: B018
    for key in eager:
        assert lazy[key][0] == eager[key][0]


def test_facts_read_back_decode_only_the_definitions_asked_for(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Definitions are two fifths of the stored facts; after an edit that changes one
    # module's imports, the kept answers resolve names in a few modules only, and
    # the other modules' definitions are never decoded. The report is the same.
    from ssot_scan import facts as facts_module

    scan(project)
    decoded: list[int] = []
    definitions = facts_module._definitions

    def counting(raw: Any) -> Any:
        decoded.append(1)
        return definitions(raw)

    monkeypatch.setattr(facts_module, "_definitions", counting)
    target = project / "pkg" / "m03.py"
    target.write_text(target.read_text() + "import pkg.util\n", encoding="utf-8")
    settle(project)
    result = scan(project)
    monkeypatch.undo()
    assert result_json(result) == result_json(scan(project, use_cache=False))
    files = result.files_scanned
    assert 0 < len(decoded) < files // 2, (len(decoded), files)


@pytest.mark.parametrize("which", ["folder", "database", "gitignore"])
def test_a_symlink_planted_in_the_cache_is_not_followed(
    project: Path, tmp_path: Path, which: str
) -> None:
    # Seen: another application's SQLite database got our tables; a dangling
    # .gitignore link created a file elsewhere.
    victim = tmp_path / "victim"
    victim.mkdir()
    other_db = victim / "app.sqlite3"
    conn = sqlite3.connect(other_db)
    conn.execute("CREATE TABLE mine (x)")
    conn.commit()
    conn.close()
    before = other_db.read_bytes()
    cache = project / CACHE_DIR_NAME
    if which == "folder":
        cache.symlink_to(victim, target_is_directory=True)
    else:
        cache.mkdir()
        if which == "database":
            (cache / DB_NAME).symlink_to(other_db)
        else:
            (cache / ".gitignore").symlink_to(victim / "created-elsewhere")
    result = scan(project)
    assert any("a symbolic link, not followed" in n for n in result.notices)
    assert result_json(result) == result_json(scan(project, use_cache=False))
    assert other_db.read_bytes() == before
    assert sorted(p.name for p in victim.iterdir()) == ["app.sqlite3"]


def test_a_read_only_cache_is_used_read_only(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    scan(project)
    db = db_path(project)
    data = db.read_bytes()
    _deny_writes(monkeypatch)
    (project / "pkg" / "m04.py").write_text("import sys\n")
    result = scan(project)
    assert not any("rebuild" in n or "corrupt" in n for n in result.notices), result.notices
    assert result_json(result) == result_json(scan(project, use_cache=False))
    assert db.read_bytes() == data


def test_a_first_run_reads_no_file_to_look_it_up(
    project: Path, spy: ExtractSpy, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Seen: a first run read and hashed every file to look its facts up by content
    # in a cache that held none, before parsing (and so reading) each one again.
    from ssot_scan import scan as scan_module

    looked_up: list[str] = []
    real = scan_module.read_source

    def reading(path: str, max_bytes: int) -> bytes:
        looked_up.append(Path(path).name)
        return real(path, max_bytes)

    monkeypatch.setattr(scan_module, "read_source", reading)
    first = scan(project)
    assert looked_up == []
    assert len(spy.take()[0]) == first.files_scanned
    # Once the cache holds facts, a file whose stat changed is still found by its
    # content, not parsed again.
    target = project / "pkg" / "m02.py"
    info = target.stat()
    os.utime(target, ns=(info.st_atime_ns, info.st_mtime_ns + 5_000_000_000))
    touched = scan(project)
    assert looked_up == ["m02.py"]
    assert [call for call in spy.take() if call] == []
    assert result_json(touched) == result_json(first)


def test_facts_parsed_by_workers_are_stored_as_they_sent_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Seen: every file's facts, sent by a worker, were packed again in this process
    # to be stored (a tenth of a millisecond a file, on the cores the workers need).
    from ssot_scan import facts as facts_module

    root = write(tmp_path / "proj", project_files(60))
    packed_here: list[int] = []
    real = facts_module.pack
    monkeypatch.setattr(facts_module, "pack", lambda f: packed_here.append(1) or real(f))
    config = load_config([root])
    load_rule_packs(config, [])
    pooled = run_scan([root], config, jobs=2, use_cache=True)
    assert pooled.files_scanned > parallel._MIN_FILES_FOR_POOL
    assert packed_here == []  # forked workers packed them: their calls are not seen here
    rows = sqlite3.connect(db_path(root)).execute("SELECT data, digest FROM facts").fetchall()
    assert len(rows) == pooled.files_scanned
    assert all(cache_module.facts_digest(data) == digest for data, digest in rows)

    # The stored facts serve an analysis that has to read them all (another
    # setting): it parses nothing and agrees with an uncached run.
    def strict(config: Config) -> None:
        config.strict = True

    spy = ExtractSpy(monkeypatch, root)
    analysed = scan(root, configure=strict)
    assert analysed.reused is False
    assert [call for call in spy.take() if call] == []
    same_as_uncached(analysed, root, configure=strict)


def test_a_comment_edit_reads_only_the_edited_file(
    project: Path, spy: ExtractSpy, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Seen: one file's comment changed, and every other file's cached facts were
    # parsed and built only to find that the stored result still held.
    first = scan(project)
    spy.take()
    target = project / "pkg" / "m02.py"
    target.write_text(target.read_text() + "# a comment\n")
    asked: list[str] = []
    real_facts = FactsCache.facts

    def facts(self: FactsCache, keys: Any, engine: str, version: str, lazy: bool = True) -> Any:
        keys = list(keys)
        asked.extend(module for _, module, _ in keys)
        return real_facts(self, keys, engine, version, lazy)

    monkeypatch.setattr(FactsCache, "facts", facts)
    edited = scan(project)
    assert edited.reused is True
    assert spy.take() == [["pkg/m02.py"]]  # the edited file, and nothing else
    assert asked == []  # no cached facts were built, the edited file's were parsed
    assert result_json(edited) == result_json(first)


def test_a_comment_edit_checks_no_cached_facts(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Seen: looking the stored result up by facts digests read and hashed every
    # row's facts, a pass over the whole cache that only building the facts needs.
    first = scan(project)
    target = project / "pkg" / "m02.py"
    target.write_text(target.read_text() + "# a comment\n")
    checked: list[str] = []
    real = cache_module._intact

    def counting(data: Any, stored: Any) -> bool:
        checked.append(stored)
        return real(data, stored)

    monkeypatch.setattr(cache_module, "_intact", counting)
    edited = scan(project)
    assert edited.reused is True
    assert checked == []
    assert result_json(edited) == result_json(first)


def test_a_damaged_row_found_by_its_digest_is_parsed_again_when_its_facts_are_needed(
    project: Path, spy: ExtractSpy
) -> None:
    expected = scan(project, use_cache=False)
    scan(project)
    spy.take()
    conn = sqlite3.connect(db_path(project))
    conn.execute("UPDATE facts SET data = '[1]' WHERE module = 'pkg.m03'")
    conn.execute("DELETE FROM results")
    conn.commit()
    conn.close()
    result = scan(project)
    assert result_json(result) == result_json(expected)
    assert spy.take() == [["pkg/m03.py"]]
    assert any("damaged or edited entries ignored" in n for n in result.notices)


@pytest.mark.parametrize("few", [cache_module._FEW, 0], ids=["by-key", "whole-tree"])
def test_a_damaged_digest_is_a_miss_whichever_way_the_digests_are_read(
    project: Path, spy: ExtractSpy, monkeypatch: pytest.MonkeyPatch, few: int
) -> None:
    # Up to _FEW files, each digest is looked up by its key; above, one query reads
    # them all (through the facts_digests index): both find the same digests and
    # miss the same damaged one.
    monkeypatch.setattr(cache_module, "_FEW", few)
    expected = scan(project, use_cache=False)
    scan(project)
    spy.take()
    conn = sqlite3.connect(db_path(project))
    conn.execute("UPDATE facts SET digest = X'00' WHERE module = 'pkg.m03'")  # a blob
    conn.commit()
    conn.close()
    target = project / "pkg" / "m04.py"  # a touch: the digests are looked up
    info = target.stat()
    os.utime(target, ns=(info.st_atime_ns, info.st_mtime_ns + 5_000_000_000))
    result = scan(project)
    assert result_json(result) == result_json(expected)
    assert spy.take() == [["pkg/m03.py"]]  # its facts unknown: parsed again
    assert any("1 damaged or edited entries ignored" in n for n in result.notices)


def test_a_store_sweeps_facts_of_other_versions_and_of_content_no_file_has(
    project: Path,
) -> None:
    scan(project)
    conn = sqlite3.connect(db_path(project))
    old_hash = conn.execute("SELECT hash FROM files WHERE rel = 'pkg/m03.py'").fetchone()[0]
    row = conn.execute("SELECT * FROM facts WHERE hash = ?", (old_hash,)).fetchone()
    kept = conn.execute("SELECT COUNT(*) FROM facts").fetchone()[0]
    conn.execute(
        "INSERT INTO facts VALUES (?, ?, ?, ?, 'an older extractor', ?, ?)", row[:4] + row[5:]
    )
    conn.execute("INSERT INTO facts VALUES ('no file has it', ?, ?, ?, ?, ?, ?)", row[1:])
    conn.commit()
    conn.close()
    (project / "pkg" / "m03.py").write_text("import os\n")  # its old content: no file's
    scan(project)
    conn = sqlite3.connect(db_path(project))
    hashes = [h for (h,) in conn.execute("SELECT hash FROM facts")]
    versions = {v for (v,) in conn.execute("SELECT version FROM facts")}
    conn.close()
    assert len(hashes) == kept  # m03's new facts in place of its old ones
    assert old_hash not in hashes and "no file has it" not in hashes
    assert versions == {row[4]}


def test_the_digests_are_read_from_the_index_not_the_rows(project: Path) -> None:
    # The digest sits after each row's data (kilobytes, in overflow pages): read
    # from the table, a look-up of every digest read every row's data too.
    scan(project)
    conn = sqlite3.connect(db_path(project))
    plan = conn.execute(
        "EXPLAIN QUERY PLAN " + cache_module._DIGESTS, ("auto", "some version")
    ).fetchall()
    conn.close()
    assert any("COVERING INDEX facts_digests" in row[-1] for row in plan), plan


def test_rows_are_read_one_at_a_time_and_a_failure_midway_loses_nothing(
    project: Path, spy: ExtractSpy, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The stored facts are read as they are used (the whole table's data at once
    # held 250 MB more at 50,000 modules): each row is made into facts before the
    # next is fetched, and a damaged page met after some rows, an error in the
    # middle of the reading, costs a re-parse, not a file.
    expected = scan(project, use_cache=False)
    everything = spy.take()
    scan(project)
    spy.take()
    conn = sqlite3.connect(db_path(project))
    conn.execute("DELETE FROM results")  # so that the facts themselves are needed
    conn.commit()
    conn.close()
    events: list[str] = []

    class Fetching:
        """The cache's connection, saying when a facts row is fetched."""

        def __init__(self, db: sqlite3.Connection) -> None:
            self.db = db

        def execute(self, sql: str, *args: Any) -> Any:
            cursor = self.db.execute(sql, *args)
            if "CAST(data AS BLOB), digest FROM facts" not in sql:
                return cursor
            return self.logged(cursor)

        def logged(self, cursor: Any) -> Iterator[Any]:
            for row in cursor:
                if events.count("fetched") == 5:
                    raise sqlite3.DatabaseError("database disk image is malformed")
                events.append("fetched")
                yield row

        def __getattr__(self, name: str) -> Any:
            return getattr(self.db, name)

    rows = FactsCache._rows
    unpacked = cache_module._unpacked

    def fetching(self: FactsCache, *args: Any, **kwargs: Any) -> Any:
        if not isinstance(self._db, Fetching):
            self._db = Fetching(self._db)  # type: ignore[assignment]
        return rows(self, *args, **kwargs)

    def made(data: Any, stored: Any, lazy: bool = True) -> Any:
        events.append("made")
        return unpacked(data, stored, lazy)

    monkeypatch.setattr(FactsCache, "_rows", fetching)
    monkeypatch.setattr(cache_module, "_unpacked", made)
    result = scan(project)
    assert events[:4] == ["fetched", "made", "fetched", "made"]
    assert events.count("fetched") == 5
    assert result_json(result) == result_json(expected)
    assert spy.take() == everything  # every file parsed again
    assert any("corrupt cache" in n for n in result.notices)


def test_whole_results_do_not_push_out_the_kept_walk_and_discovery(tmp_path: Path) -> None:
    # An edit stores two results a run: the walk and the discovery, stored once
    # and then only read, were gone after four edits (the next run walked again).
    cache = FactsCache(tmp_path, [])
    cache.store_result("walk-1", {"kind": "walk"})
    cache.store_result("discovery-1", {"kind": "discovery"})
    for number in range(3 * cache_module._KEEP_RESULTS):
        cache.store_result(f"{number:064x}", {"number": number})
    for number in range(2, 2 + 2 * cache_module._KEEP_RESULTS):
        cache.store_result(f"discovery-{number}", {"kind": "discovery"})
    assert cache._db is not None
    keys = [key for (key,) in cache._db.execute("SELECT key FROM results")]
    cache.close()
    assert "walk-1" in keys
    kept = {kind: [k for k in keys if k.startswith(kind)] for kind in ("walk-", "discovery-")}
    plain = [key for key in keys if "-" not in key]
    assert len(plain) == len(kept["discovery-"]) == cache_module._KEEP_RESULTS
    assert f"{3 * cache_module._KEEP_RESULTS - 1:064x}" in plain  # the newest stay
    assert "discovery-1" not in kept["discovery-"]


def test_a_copied_result_is_the_stored_one_under_another_key(tmp_path: Path) -> None:
    # A run whose edit changed no facts finds the result its facts name and keeps
    # it under its files' stats too: the row as stored, not parsed and written again.
    cache = FactsCache(tmp_path, [])
    cache.store_result("a" * 64, {"findings": [1, 2, 3]})
    cache.copy_result("a" * 64, "b" * 64)
    cache.copy_result("c" * 64, "d" * 64)  # nothing stored there: nothing copied
    assert cache._db is not None
    rows = dict(cache._db.execute("SELECT key, data || digest FROM results"))
    cache.close()
    assert set(rows) == {"a" * 64, "b" * 64}
    assert rows["b" * 64] == rows["a" * 64]
    cache = FactsCache(tmp_path, [])
    assert cache.result("b" * 64) == {"findings": [1, 2, 3]}
    for number in range(cache_module._KEEP_RESULTS - 1):  # copies count as results
        cache.copy_result("b" * 64, f"{number:064x}")
    assert cache._db is not None
    kept = {key for (key,) in cache._db.execute("SELECT key FROM results")}
    cache.close()
    assert len(kept) == cache_module._KEEP_RESULTS and "a" * 64 not in kept


def test_a_stored_result_reads_back_equal_lone_surrogates_and_all(tmp_path: Path) -> None:
    # Whole results are written by msgspec, which writes only UTF-8: a finding's
    # message may quote a lone surrogate from a string literal ("\ud800"), which
    # json writes escaped instead. Either way a result reads back as it was stored.
    cache = FactsCache(tmp_path, [])
    plain = {"findings": [{"message": "caf\u00e9", "line": 3}], "files": 2, "none": None}
    odd = {"findings": [{"message": "\ud800 gone", "line": 1}], "ok": True}
    cache.store_result("a" * 64, plain)
    cache.store_result("b" * 64, odd)
    cache.close()
    cache = FactsCache(tmp_path, [])
    assert cache.result("a" * 64) == plain
    assert cache.result("b" * 64) == odd
    assert not cache.notices
    cache.close()


def test_a_read_only_cache_copies_nothing(tmp_path: Path) -> None:
    cache = FactsCache(tmp_path, [])
    cache.store_result("a" * 64, {"findings": []})
    cache.close()
    reader = FactsCache(tmp_path, [])
    reader.read_only = True
    reader.copy_result("a" * 64, "b" * 64)
    reader.close()
    assert FactsCache(tmp_path, []).result("b" * 64) is None


def test_projects_sharing_a_cache_folder_never_take_each_others_files(tmp_path: Path) -> None:
    # One --cache-dir for several projects (a monorepo's packages scanned one by
    # one, CI keeping one cache folder): a file at the same place in two projects,
    # of the same size and time (trees restored from one archive), must not be
    # taken for the other's. Keyed by the path within its project, the second
    # project's file was trusted to hold the first one's content, and its import
    # of a missing name went unreported.
    shared = tmp_path / "cache"
    broken = "from pkg import x\n"
    files = {"pyproject.toml": "", "pkg/__init__.py": ""}
    first = write(
        tmp_path / "first", {**files, "pkg/m.py": "import os".ljust(len(broken) - 1) + "\n"}
    )
    second = write(tmp_path / "second", {**files, "pkg/m.py": broken})
    assert (first / "pkg/m.py").stat().st_size == (second / "pkg/m.py").stat().st_size
    for root in (first, second):
        os.utime(root / "pkg" / "m.py", ns=(1_700_000_000_000_000_000,) * 2)
    expected = scan(second, use_cache=False)
    assert [f.code for f in expected.findings] == ["SSOT005"]
    scan(first, cache_dir=shared)
    assert result_json(scan(second, cache_dir=shared)) == result_json(expected)
    # A file's row is the last project's: the table holds a row a name, not a row
    # a project (CI folders named per job would make it grow without end).
    conn = sqlite3.connect(shared / DB_NAME)
    rows = conn.execute("SELECT rel FROM files").fetchall()
    conn.close()
    assert sorted(rows) == [("pkg/__init__.py",), ("pkg/m.py",)]


def test_a_file_rewritten_within_its_clock_tick_is_never_taken_for_its_old_content(
    project: Path,
) -> None:
    # Git's racy-clean problem: a file written again within the tick of its mtime
    # (a formatter right after a save; a filesystem whose clock ticks every second
    # or two) keeps its size and mtime. Stats taken that close to a scan prove
    # nothing: trusted, the next runs kept the first content's facts and result.
    target = project / "pkg" / "m03.py"
    before = "import os".ljust(len("from pkg import nothere") + 1) + "\n"
    after = "from pkg import nothere\n" + " "
    assert len(before) == len(after)
    target.write_text(before)
    tick = time.time_ns()  # the file's mtime: now, as a save right before a scan
    os.utime(target, ns=(tick, tick))
    scan(project)
    target.write_text(after)
    os.utime(target, ns=(tick, tick))  # rewritten within the same tick
    expected = scan(project, use_cache=False)
    assert "SSOT005" in [f.code for f in expected.findings]
    assert result_json(scan(project)) == result_json(expected)


def test_a_racy_file_is_read_again_next_run_but_never_parsed_again(
    project: Path, spy: ExtractSpy, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Its stat proves nothing, so the next run reads and hashes it; its content
    # (the hash) still finds its facts, and its facts the stored result.
    scan(project)
    spy.take()
    target = project / "pkg" / "m04.py"
    target.write_text(target.read_text() + "# edited\n")  # now: within the tick
    edited = scan(project)
    assert spy.take() == [["pkg/m04.py"]]
    hashed = _count_hashes(monkeypatch)
    again = scan(project)
    assert again.reused is True
    assert hashed == [1]  # the racy file, and no other
    assert spy.take() == []
    assert result_json(again) == result_json(edited)


def test_facts_and_answers_holding_lone_surrogates_are_kept_and_read_back(
    tmp_path: Path,
) -> None:
    # A string literal may spell a lone surrogate ("\ud800"), which is no UTF-8 and
    # which msgspec neither writes nor reads: such facts and answer rows (a
    # deprecation's message, kept with the imports it reaches) are written by json,
    # which escapes it. Seen: the first cached run stopped with an internal error
    # (UnicodeEncodeError) where a cold one reported.
    files = {
        "pyproject.toml": "",
        "legacy.py": (
            "import warnings\n"
            'warnings.warn("\\ud800 gone", DeprecationWarning)\n'
            '__all__ = ["thing", "\\udcff"]\n'
            "thing = 1\n"
        ),
        "core.py": (
            "from typing_extensions import deprecated\n"
            '@deprecated("\\udfff old")\n'
            "def old():\n"
            "    pass\n"
        ),
        "app/__init__.py": "",
        "app/user.py": "import legacy\nfrom core import old\n",
        "app/other.py": "from legacy import thing\n",
    }
    root = settle(write(tmp_path / "proj", files))
    expected = result_json(scan(root, use_cache=False))
    assert result_json(scan(root)) == expected  # stores the facts and the answers
    conn = sqlite3.connect(db_path(root))
    escaped = "SELECT COUNT(*) FROM {} WHERE data LIKE '%\\ud800%'"
    assert conn.execute(escaped.format("facts")).fetchone() == (1,)
    assert conn.execute(escaped.format("answers")).fetchone() == (2,)  # legacy's importers
    conn.close()
    # An import edit elsewhere: those facts and answers are read back.
    other = root / "app" / "other.py"
    other.write_text(other.read_text() + "import core\n", encoding="utf-8")
    settle(root)
    result = scan(root)
    assert result_json(result) == result_json(scan(root, use_cache=False))
    assert not any("damaged" in notice for notice in result.notices)
