"""Parallel extraction: ``--jobs N`` gives the same report as ``--jobs 1``.

The pool only starts above ``_MIN_FILES_FOR_POOL`` files (or 2 MB), so the
equivalence tests run on a generated project of ~200 modules and assert, with a spy
on the pool, that work really left the process. Chunking, ``--jobs 0`` and the
per-file error handling (an unreadable file, an extractor crash: that file's SSOT000,
the scan goes on) are covered below. The cache is off throughout (``run_scan``'s
default) so that nothing is written into the repository or shared between tests.
"""

from __future__ import annotations

import itertools
import multiprocessing
import os
import random
import shutil
import signal
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any, Optional

import pytest
from helpers import make_unreadable

from ssot_scan import parallel
from ssot_scan.config import load_config, load_rule_packs
from ssot_scan.facts import shared_strings
from ssot_scan.parallel import Job, _chunks
from ssot_scan.report.json_report import result_json
from ssot_scan.result import ScanResult
from ssot_scan.scan import run_scan

RunCli = Callable[..., "tuple[int, str, str]"]

REPO = Path(__file__).resolve().parents[1]
FIXTURE = REPO / "fixtures" / "websocket_app"
MODULES = 200


# -- helpers ---------------------------------------------------------------------------


def scan(root: Path, jobs: Optional[int], **kwargs: Any) -> ScanResult:
    config = load_config([root])
    load_rule_packs(config, [])
    return run_scan([root], config, jobs=jobs, **kwargs)


def write(root: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


PYPROJECT = """\
[tool.ssot-scan]

[[tool.ssot-scan.deprecated]]
module = "gen.old"
replacement = "gen.core"

[[tool.ssot-scan.canonical]]
symbol = "gen.core.base.Base"
path = "gen.core"

[[tool.ssot-scan.watch]]
name = "*Manager"
max-definitions = 1
"""


def generate(root: Path, modules: int = MODULES, seed: int = 7) -> Path:
    """A seeded project: ``modules`` modules in 5 subpackages importing each other
    (absolute and relative), a re-export chain, a shim, cycles, deprecated and
    unresolved imports, competing classes and one file that does not parse."""
    rng = random.Random(seed)
    files = {
        "pyproject.toml": PYPROJECT,
        "gen/__init__.py": "",
        "gen/core/__init__.py": "from gen.core.base import Base\n",
        "gen/core/base.py": "class Base:\n    pass\n",
        "gen/old.py": "from gen.core import Base as OldBase\n",  # the shim
        "gen/broken.py": "def broken(:\n    pass\n",
    }
    names = [f"gen.p{i % 5}.m{i:03d}" for i in range(modules)]
    for p in range(5):
        files[f"gen/p{p}/__init__.py"] = f'"""Subpackage {p}."""\n'
    for i, name in enumerate(names):
        lines = [f'"""Module {i}."""', "from __future__ import annotations", ""]
        if i % 3 == 0:
            lines.append("from gen.core.base import Base")  # SSOT002: not the canonical path
        else:
            lines.append("from gen.core import Base")
        targets = {names[i - 1]} if i else set()  # a chain through every module
        targets.update(rng.sample(names, 3))
        targets.discard(name)
        for target in sorted(targets):
            package, _, leaf = target.rpartition(".")
            number = leaf[1:]
            if package == name.rpartition(".")[0] and rng.random() < 0.5:
                lines.append(f"from .{leaf} import f{number}")
            else:
                lines.append(f"from {target} import f{number}")
        if i % 11 == 0:
            lines.append("from gen.old import OldBase  # deprecated")
        if i % 17 == 0:
            lines.append("import gen.missing  # unresolved")
        if i % 40 == 0:
            lines.append(f"from gen.p{(i + 1) % 5}.m{(i + 1):03d} import Base as Reexported")
        if i % 50 == 0:
            lines.append(f"class Session{i}Manager(Base):\n    pass")  # competing
        lines.append(f"def f{i:03d}() -> int:\n    return {i}")
        lines.append(f"class C{i:03d}(Base):\n    pass")
        package, _, leaf = name.rpartition(".")
        files[f"{package.replace('.', '/')}/{leaf}.py"] = "\n".join(lines) + "\n"
    return write(root, files)


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return generate(tmp_path_factory.mktemp("generated"))


@pytest.fixture(scope="module")
def serial_report(generated: Path) -> dict[str, Any]:
    result = scan(generated, jobs=1)
    # The project is only a good test if it exercises every kind of finding.
    assert {f.code for f in result.findings} >= {
        "SSOT000",
        "SSOT001",
        "SSOT002",
        "SSOT003",
        "SSOT004",
        "SSOT005",
    }
    assert result.files_scanned > parallel._MIN_FILES_FOR_POOL
    return result_json(result)


class PoolSpy:
    """Records each pool ``ssot_scan.parallel`` starts and the chunks it is given."""

    def __init__(self) -> None:
        self.pools: list[Optional[int]] = []  # max_workers of each pool started
        self.chunks: list[list[list[Job]]] = []  # per pool: the chunks mapped

    def install(self, monkeypatch: pytest.MonkeyPatch) -> None:
        spy = self
        real = parallel.ProcessPoolExecutor

        class SpyPool(real):  # type: ignore[misc,valid-type]
            def __init__(self, max_workers: Optional[int] = None, **kwargs: Any) -> None:
                spy.pools.append(max_workers)
                super().__init__(max_workers=max_workers, **kwargs)

            def map(
                self, fn: Callable[..., Any], *iterables: Iterable[Any], **kwargs: Any
            ) -> Iterator[Any]:
                first, *rest = (list(it) for it in iterables)
                spy.chunks.append(first)
                return super().map(fn, first, *rest, **kwargs)

        monkeypatch.setattr(parallel, "ProcessPoolExecutor", SpyPool)


@pytest.fixture
def pool_spy(monkeypatch: pytest.MonkeyPatch) -> PoolSpy:
    spy = PoolSpy()
    spy.install(monkeypatch)
    return spy


# -- identical results -----------------------------------------------------------------


@pytest.mark.parametrize("jobs", [2, 4])
def test_generated_project_is_identical_with_a_pool(
    generated: Path, serial_report: dict[str, Any], pool_spy: PoolSpy, jobs: int
) -> None:
    result = scan(generated, jobs=jobs)
    assert result_json(result) == serial_report
    assert len(pool_spy.pools) == 1, "the pool did not start"
    assert 1 < pool_spy.pools[0] <= jobs  # type: ignore[operator]
    chunks = pool_spy.chunks[0]
    assert len(chunks) > 1
    assert sum(len(chunk) for chunk in chunks) == result.files_scanned


def test_jobs_1_never_starts_a_pool(
    generated: Path, serial_report: dict[str, Any], pool_spy: PoolSpy
) -> None:
    assert result_json(scan(generated, jobs=1)) == serial_report
    assert pool_spy.pools == []


def test_default_jobs_gives_the_same_result(
    generated: Path, serial_report: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    # jobs=None means "the usable cores"; pin that to 3 so a pool really starts.
    monkeypatch.setattr("ssot_scan.parallel.usable_cores", lambda: 3)
    spy = PoolSpy()
    spy.install(monkeypatch)
    assert result_json(scan(generated, jobs=None)) == serial_report
    assert spy.pools == [3]


@pytest.mark.skipif(
    "fork" not in multiprocessing.get_all_start_methods(),
    reason="the patched function reaches the workers only through fork",
)
def test_the_pool_extracts_in_other_processes(
    generated: Path, serial_report: dict[str, Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each worker leaves a marker named after its pid: extraction left this process."""
    markers = tmp_path / "pids"
    markers.mkdir()
    real = parallel.extract_one

    def marking(job: Job, engine: str) -> parallel.Extracted:
        (markers / str(os.getpid())).touch()
        return real(job, engine)

    monkeypatch.setattr(parallel, "extract_one", marking)
    assert result_json(scan(generated, jobs=2)) == serial_report
    pids = {int(p.name) for p in markers.iterdir()}
    assert pids
    assert os.getpid() not in pids


@pytest.fixture(scope="module")
def websocket_copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture copied out of the repository, so no scan writes into it."""
    target = tmp_path_factory.mktemp("fixture") / "websocket_app"
    shutil.copytree(FIXTURE, target, ignore=shutil.ignore_patterns(".ssot_cache"))
    return target


@pytest.mark.parametrize("jobs", [2, 4])
def test_websocket_fixture_is_identical_across_jobs(
    websocket_copy: Path, pool_spy: PoolSpy, jobs: int
) -> None:
    serial = scan(websocket_copy, jobs=1, use_cache=False)
    assert serial.findings, "the fixture should have findings"
    assert pool_spy.pools == []
    pooled = scan(websocket_copy, jobs=jobs, use_cache=False)
    assert result_json(pooled) == result_json(serial)
    assert pooled.notices == serial.notices
    assert serial.files_scanned >= parallel._MIN_FILES_FOR_POOL, "too small to start a pool"
    assert len(pool_spy.pools) == 1
    assert not (websocket_copy / ".ssot_cache").exists()


# -- chunking --------------------------------------------------------------------------


def _jobs(sizes: list[int]) -> list[Job]:
    return [Job(f"/p/m{i}.py", f"m{i}", False, size) for i, size in enumerate(sizes)]


def _size_cases() -> list[list[int]]:
    rng = random.Random(1234)
    return [
        [],
        [0],
        [5],
        [0] * 10,  # all sizes unknown (0): still every job, once
        [1] * 100,
        [10_000_000],  # one huge file
        [1, 1, 1, 10_000_000, 1, 1],
        [rng.randint(0, 50_000) for _ in range(1_000)],
        [rng.choice([0, 10, 100_000]) for _ in range(333)],
    ]


@pytest.mark.parametrize("workers", [1, 2, 3, 4, 16])
@pytest.mark.parametrize("sizes", _size_cases())
def test_chunks_cover_every_job_once_in_order(sizes: list[int], workers: int) -> None:
    jobs = _jobs(sizes)
    chunks = _chunks(jobs, workers)
    assert all(chunks), "no empty chunk"
    flat = [job for chunk in chunks for job in chunk]
    assert flat == jobs  # every job, exactly once, in input order
    assert len({id(job) for job in flat}) == len(jobs)


@pytest.mark.parametrize("workers", [1, 2, 4, 8])
def test_chunks_are_few_and_shrink_toward_the_end(workers: int) -> None:
    """About fifteen per worker: enough to balance, few enough that scheduling is
    free; large first, and small at the end, so that no worker waits long for
    another to finish its last chunk."""
    rng = random.Random(workers)
    jobs = _jobs([rng.randint(2_000, 30_000) for _ in range(10_000)])
    total = sum(job.size for job in jobs)
    chunks = _chunks(jobs, workers)
    weights = [sum(job.size for job in chunk) for chunk in chunks]
    assert workers * 8 <= len(chunks) <= workers * 20
    assert weights[0] >= total // (workers * 4)
    assert all(later <= earlier + 30_000 for earlier, later in itertools.pairwise(weights))
    assert max(weights[-workers:]) <= total // (workers * 64) + 30_000


# -- --jobs on the command line --------------------------------------------------------


@pytest.mark.parametrize("value", ["0", "-1"])
@pytest.mark.parametrize("flag", ["--jobs", "-j"])
def test_jobs_below_1_is_a_usage_error(
    tmp_path: Path, run_cli: RunCli, flag: str, value: str
) -> None:
    write(tmp_path, {"pyproject.toml": "[tool.ssot-scan]\n", "pkg/__init__.py": "X = 1\n"})
    code, out, err = run_cli([flag, value, "--no-cache", "."], tmp_path)
    assert code == 2
    assert "jobs" in err
    assert out == ""


def test_jobs_flag_reaches_the_pool(generated: Path, run_cli: RunCli, pool_spy: PoolSpy) -> None:
    code, _, _ = run_cli(["--jobs", "2", "--no-cache", "-q", "."], generated)
    assert code == 1
    assert pool_spy.pools == [2]


# -- one bad file: its SSOT000, and the scan goes on -----------------------------------

SMALL = {
    "pyproject.toml": PYPROJECT,
    "gen/__init__.py": "",
    "gen/core/__init__.py": "from gen.core.base import Base\n",
    "gen/core/base.py": "class Base:\n    pass\n",
    "gen/old.py": "X = 1\n",
    "gen/a.py": "from gen.old import X\n",
    "gen/b.py": "from gen.old import X\n",
    "gen/bad.py": "from gen.old import X\n",
}


def _ssot000(result: ScanResult, path: str) -> list[str]:
    return [f.message for f in result.findings if f.code == "SSOT000" and f.path == path]


def test_an_extractor_crash_is_that_files_ssot000(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = write(tmp_path, SMALL)
    real = parallel.extract

    def crashing(data: bytes, module: str, is_package: bool, engine: str) -> Any:
        if module == "gen.bad":
            raise RuntimeError("boom")
        return real(data, module, is_package, engine)

    monkeypatch.setattr(parallel, "extract", crashing)
    result = scan(root, jobs=1)
    messages = _ssot000(result, "gen/bad.py")
    assert len(messages) == 1
    assert "RuntimeError" in messages[0]
    assert "boom" in messages[0]
    # The other files were still read and checked.
    assert {(f.path, f.code) for f in result.findings if f.path != "gen/bad.py"} == {
        ("gen/a.py", "SSOT001"),
        ("gen/b.py", "SSOT001"),
    }
    assert result.files_scanned == len(SMALL) - 1


def test_an_unreadable_file_is_that_files_ssot000(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Simulated (tests may run as root, for whom chmod 000 changes nothing)."""
    root = write(tmp_path, SMALL)

    make_unreadable(monkeypatch, "bad.py")
    result = scan(root, jobs=1)
    messages = _ssot000(result, "gen/bad.py")
    assert len(messages) == 1
    assert "cannot read" in messages[0]
    assert "Permission denied" in messages[0]
    assert {(f.path, f.code) for f in result.findings if f.path != "gen/bad.py"} == {
        ("gen/a.py", "SSOT001"),
        ("gen/b.py", "SSOT001"),
    }


@pytest.mark.skipif(
    not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root can read a chmod 000 file"
)
@pytest.mark.parametrize("jobs", [1, 2])
def test_a_chmod_000_file_is_that_files_ssot000(
    tmp_path: Path, pool_spy: PoolSpy, jobs: int
) -> None:
    root = generate(tmp_path, modules=60)
    bad = root / "gen" / "p1" / "m001.py"
    bad.chmod(0)
    try:
        result = scan(root, jobs=jobs)
    finally:
        bad.chmod(0o644)
    messages = _ssot000(result, "gen/p1/m001.py")
    assert len(messages) == 1
    assert "cannot read" in messages[0]
    assert _ssot000(result, "gen/broken.py")  # the rest of the scan went on
    assert len(pool_spy.pools) == (jobs > 1)


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_file_gone_before_extraction_is_its_ssot000(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, pool_spy: PoolSpy, jobs: int
) -> None:
    """A real read failure, in the pool too: the file is deleted after discovery."""
    root = generate(tmp_path, modules=60)
    victim = root / "gen" / "p1" / "m001.py"
    real = parallel.extract_all

    def deleting(job_list: list[Job], *args: Any, **kwargs: Any) -> Iterator[Any]:
        victim.unlink()
        return real(job_list, *args, **kwargs)

    monkeypatch.setattr("ssot_scan.parallel.extract_all", deleting)
    result = scan(root, jobs=jobs)
    messages = _ssot000(result, "gen/p1/m001.py")
    assert len(messages) == 1
    assert "cannot read" in messages[0]
    assert _ssot000(result, "gen/broken.py")  # the rest of the scan went on
    assert {f.code for f in result.findings} >= {"SSOT001", "SSOT002", "SSOT005"}
    assert len(pool_spy.pools) == (jobs > 1)


def test_a_crash_in_a_worker_is_that_files_ssot000(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, pool_spy: PoolSpy
) -> None:
    """The same as in-process, through the pool (fork carries the patch over)."""
    if "fork" not in multiprocessing.get_all_start_methods():
        pytest.skip("the patched function reaches the workers only through fork")
    root = generate(tmp_path, modules=60)
    real = parallel.extract

    def crashing(data: bytes, module: str, is_package: bool, engine: str) -> Any:
        if module == "gen.p2.m002":
            raise RecursionError("too deep")
        return real(data, module, is_package, engine)

    monkeypatch.setattr(parallel, "extract", crashing)
    result = scan(root, jobs=2)
    assert pool_spy.pools == [2]
    messages = _ssot000(result, "gen/p2/m002.py")
    assert len(messages) == 1
    assert "RecursionError" in messages[0]
    assert _ssot000(result, "gen/broken.py")


def test_a_worker_that_dies_costs_its_file_an_ssot000_not_the_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Seen: libcst's Rust parser aborting on a 5 MB file took the whole run down
    # with a BrokenProcessPool traceback. Simulated: a file whose reading kills
    # its process (the workers are forked, so they inherit the patch).
    real = parallel.extract_one

    def dying(job: Job, engine: str) -> parallel.Extracted:
        if job.path.endswith("killer.py"):
            os.kill(os.getpid(), signal.SIGKILL)  # as the OOM killer would
        return real(job, engine)

    monkeypatch.setattr(parallel, "extract_one", dying)
    if "fork" not in multiprocessing.get_all_start_methods():
        pytest.skip("needs fork: spawned workers would not inherit the patch")
    files = [tmp_path / f"m{i:03}.py" for i in range(60)]
    for path in files:
        path.write_text("import os\n")
    (tmp_path / "m030.py").rename(tmp_path / "killer.py")
    files[30] = tmp_path / "killer.py"
    jobs = [Job(str(path), path.stem, False, path.stat().st_size) for path in files]
    results = list(parallel.extract_all(jobs, "auto", 2))
    assert len(results) == 60
    broken = [
        job.path for job, r in zip(jobs, results, strict=True) if r.facts.parse_error is not None
    ]
    assert broken == [str(tmp_path / "killer.py")]
    (error,) = [r.facts.parse_error for r in results if r.facts.parse_error is not None]
    assert error.message == "the parser's process died reading this file"
    assert all(r.facts.imports[0].target == "os" for r in results if r.facts.parse_error is None)


@pytest.mark.parametrize(("workers", "calls"), [(1, 0), (2, 1)])
def test_started_is_heard_once_the_pool_runs(tmp_path: Path, workers: int, calls: int) -> None:
    """The scan imports the analysis in a thread while workers parse; it must hear
    when they exist (forked: a thread started before would be copied into them), and
    not at all when this process parses alone."""
    files = [tmp_path / f"m{i:03}.py" for i in range(60)]
    for path in files:
        path.write_text("import os\n")
    jobs = [Job(str(path), path.stem, False, path.stat().st_size) for path in files]
    heard: list[int] = []
    results = list(parallel.extract_all(jobs, "auto", workers, lambda: heard.append(1)))
    assert (len(results), len(heard)) == (60, calls)


def test_what_a_worker_sends_back_is_every_fact_it_found() -> None:
    # Workers send facts in the form the cache stores; what arrives must equal what
    # was extracted, field by field, for every fixture file, and come with exactly
    # the text and digest this process would have stored for it.
    from ssot_scan.facts import packed
    from ssot_scan.hashing import facts_digest

    fixtures = Path(__file__).resolve().parent.parent / "fixtures"
    files = sorted(fixtures.rglob("*.py"))
    assert len(files) > 50
    for path in files:
        job = Job(str(path), "pkg.mod", path.name == "__init__.py", path.stat().st_size)
        extracted = parallel.extract_one(job, "auto")
        received = parallel._received(parallel._shipped(extracted))
        assert (received.facts, received.digest) == (extracted.facts, extracted.digest), path
        text = packed(extracted.facts)
        assert received.stored == (text, facts_digest(text)), path


def test_facts_read_from_their_stored_form_share_their_strings() -> None:
    # Seen: JSON's reader makes a string per occurrence where pickled lists had
    # shared them, and 10,000 files held 40 MB more: a "class" or a "from" for every
    # definition and import. The facts a worker sends are as shared as before.
    fixtures = Path(__file__).resolve().parent.parent / "fixtures"
    one: dict[str, str] = {}

    def shared(text: str) -> bool:
        return one.setdefault(text, text) is text

    for path in sorted(fixtures.rglob("*.py")):
        job = Job(str(path), "pkg.mod", path.name == "__init__.py", path.stat().st_size)
        received = parallel._received(parallel._shipped(parallel.extract_one(job, "auto")))
        facts = shared_strings(received.facts)
        assert shared(facts.engine)
        assert all(shared(site.kind) for site in facts.imports)
        assert all(shared(d.kind) and shared(d.name) for d in facts.definitions)
        assert all(shared(name) for name in facts.unused_imports)
    assert {"import", "from", "class", "function", "assign"} <= set(one)


def test_a_transient_failure_stays_transient_across_the_process_boundary() -> None:
    from ssot_scan.facts import ModuleFacts, ParseError

    facts = ModuleFacts(parse_error=ParseError("cannot read", 1, 1, True))
    received = parallel._received(parallel._shipped(parallel.Extracted(facts, None)))
    assert received.facts.parse_error is not None and received.facts.parse_error.transient
    assert (received.facts, received.digest) == (facts, None)


def test_facts_read_lazily_are_equal_and_copies_stay_lazy() -> None:
    # Read back from the cache, a module's definitions wait as JSON in their own slot
    # until asked for. A copy (``fix`` compares facts copied with fewer imports) must
    # carry that JSON, not an empty list, and still say what is deprecated.
    import msgspec

    from ssot_scan.extract import extract
    from ssot_scan.facts import StoredFacts, packed, unpacked

    source = (
        b"from typing_extensions import deprecated\n"
        b"import os\n\n\n"
        b"@deprecated('use New')\nclass Old:\n    pass\n\n\n"
        b"class New:\n    size = 1\n"
    )
    facts = extract(source, "pkg.mod", False, "ast")
    assert [d.name for d in facts.definitions] == ["Old", "New"]
    text = packed(facts)
    lazy = unpacked(text, lazy=True)
    assert isinstance(lazy, StoredFacts)
    copied = msgspec.structs.replace(lazy, imports=[])
    assert packed(msgspec.structs.replace(lazy)) == text  # still the JSON: nothing decoded
    assert copied.declares_deprecated() and lazy.declares_deprecated()
    assert copied.definitions == facts.definitions and copied.imports == []
    assert lazy == facts and facts == lazy
    lazy.definitions = []
    assert lazy.definitions == [] and lazy != facts
