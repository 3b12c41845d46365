"""The benchmark scripts measure what they say (they are scripts, not the package)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

BENCHMARKS = Path(__file__).resolve().parent.parent / "benchmarks"


def _script(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(f"benchmark_{name}", BENCHMARKS / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def test_each_import_edit_is_one_no_earlier_run_made() -> None:
    # Seen: the same edit made in each repetition found, from the second on, the
    # result the cache had stored for it, and timed a lookup instead of the analysis.
    run = _script("run")
    edits = [run.import_edit("pkg.core") for _ in range(3)]
    assert len(set(edits)) == 3
    assert all(edit.startswith("\nimport pkg.core as _benchmark_edit_") for edit in edits)


def test_import_edits_differ_between_invocations() -> None:
    # Seen: ab.py run twice on the same code timed 0.33 s for an import edit that
    # costs 3 s: the second invocation counted its edits from 1 again, and the cache,
    # which outlives the process, held the results of the first one's.
    first = _script("run").import_edit("pkg.core")
    second = _script("run").import_edit("pkg.core")  # a fresh load: a new invocation
    assert first != second


def test_a_first_run_starts_from_an_empty_cache_folder(tmp_path: Path) -> None:
    run = _script("run")
    folder = tmp_path / "cache"
    (folder / "sub").mkdir(parents=True)
    (folder / "cache.sqlite3").write_text("filled by an earlier run")
    # Exits 1 (a BenchmarkError) if the folder it is handed exists when it starts.
    probe = "import pathlib, sys; sys.exit(pathlib.Path(sys.argv[2]).exists())"
    tool = run.Tool([sys.executable, "-c", probe, "--cache-dir", str(folder)], tmp_path)
    with pytest.raises(run.BenchmarkError):
        tool.run()
    assert run.first_run(tool) >= 0
    assert not folder.exists()


def test_ab_times_each_side_in_turns_with_a_cache_of_its_own(tmp_path: Path) -> None:
    ab = _script("ab")
    corpus = tmp_path / "corpus"
    (corpus / "pkg").mkdir(parents=True)
    (corpus / "pkg" / "__init__.py").write_text("")
    for name in ("a", "b", "c", "d"):
        (corpus / "pkg" / f"{name}.py").write_text("X = 1\n")
    touch, module = _script("run").edit_target(corpus)
    assert (touch.name, module) == ("c.py", "pkg.b")
    before = touch.read_bytes()
    source = BENCHMARKS.parent / "src"
    what = ["first", "warm", "edit"]
    times = ab.compare({"base": source, "head": source}, corpus, tmp_path, 2, what)
    assert {side: {k: len(v) for k, v in m.items()} for side, m in times.items()} == {
        "base": {"first": 2, "warm": 2, "edit": 2},
        "head": {"first": 2, "warm": 2, "edit": 2},
    }
    assert touch.read_bytes() == before  # every edit undone
    assert (tmp_path / "cache-base-corpus").is_dir() and (tmp_path / "cache-head-corpus").is_dir()
    # A first run has a cache folder of its own, emptied before each one.
    assert (tmp_path / "cache-head-corpus-first").is_dir()
    assert [line.split()[0] for line in ab.table(times).splitlines()[1:]] == what
    # Each round's CPU time is the timed run's: a process tree's, never nothing, and
    # for an edit not the refill run after it as well (which would make it the
    # larger of the two where wall time says otherwise).
    if sys.platform != "win32":
        assert all(cpu > 0 for m in times.values() for v in m.values() for _, cpu in v)


# 0.3 s of CPU, whatever the machine.
_BURN = "import time\nt = time.process_time()\nwhile time.process_time() - t < 0.3:\n    pass\n"


def test_a_tool_counts_the_cpu_of_its_run_and_of_the_processes_it_waited_for(
    tmp_path: Path,
) -> None:
    run = _script("run")
    if sys.platform == "win32":
        pytest.skip("no resource module")
    (tmp_path / "burn.py").write_text(_BURN)
    # CPU burnt in a grandchild the child waits for counts; the child's sleep does not.
    probe = (
        "import subprocess, sys, time; "
        "subprocess.run([sys.executable, 'burn.py'], check=True); time.sleep(0.3)"
    )
    tool = run.Tool([sys.executable, "-c", probe], tmp_path)
    wall = tool.run()
    assert 0.3 <= tool.cpu < wall


def test_an_edit_s_cpu_is_the_timed_run_s_not_the_refill_s(tmp_path: Path) -> None:
    run = _script("run")
    if sys.platform == "win32":
        pytest.skip("no resource module")
    (tmp_path / "burn.py").write_text(_BURN)
    touch = tmp_path / "m.py"
    touch.write_text("X = 1\n")
    # Quick while the edit is there (the timed run), 0.3 s of CPU once it is undone
    # (the refill run after it).
    probe = (
        "import pathlib, runpy; "
        "'edited' in pathlib.Path('m.py').read_text() or runpy.run_path('burn.py')"
    )
    tool = run.Tool([sys.executable, "-c", probe], tmp_path)
    run.touched_run(tool, touch, "\n# edited\n")
    assert tool.cpu < 0.3
    assert touch.read_text() == "X = 1\n"


def test_ab_exports_a_revision_of_the_package(tmp_path: Path) -> None:
    import shutil
    import subprocess

    inside = subprocess.run(
        ["git", "-C", str(BENCHMARKS.parent), "rev-parse", "--is-inside-work-tree"],
        capture_output=True,
        text=True,
        check=False,
    )
    if shutil.which("git") is None or inside.stdout.strip() != "true":
        import pytest

        pytest.skip("not a git checkout")
    source = _script("ab").exported("HEAD", tmp_path)
    assert (source / "ssot_scan" / "__init__.py").is_file()
    assert source.parent.name.startswith("ab-")


def test_reach_counts_importers_and_the_modules_whose_resolutions_read_a_module(
    tmp_path: Path,
) -> None:
    from ssot_scan.config import load_config, load_rule_packs
    from ssot_scan.scan import analyse_project

    reach = _script("reach")
    files = {
        "pyproject.toml": "",
        "pkg/__init__.py": "from pkg.api import *\n",  # publishes Thing: an export only
        "pkg/core.py": "class Thing:\n    pass\n",
        "pkg/api.py": "from pkg.core import Thing\n\n__all__ = ['Thing']\n",
        "pkg/user.py": "from pkg.api import Thing\n",
        "pkg/other.py": "import pkg.user\n",  # imports user, resolves no name through core
    }
    for rel, text in files.items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(text)
    config = load_config([tmp_path])
    load_rule_packs(config, [])
    _, analysis = analyse_project([tmp_path], config)
    assert reach.importers(analysis.index)["pkg.core"] == 4  # api, user, other, pkg
    assert reach.resolvers(analysis.index)["pkg.core"] == {"pkg.api", "pkg.user"}
    assert reach.resolvers(analysis.index, exports=True)["pkg.core"] == {
        "pkg",
        "pkg.api",
        "pkg.user",
    }
    assert reach.summary([0, 1, 2, 3], 4) == (
        "median 1.5 (37.50%), 90th percentile 2 (50.00%), largest 3 (75.00%)"
    )


def test_ratio_targets_show_the_spread_of_ratios_within_each_repetition(tmp_path: Path) -> None:
    run = _script("run")
    corpus = run.Corpus("django", tmp_path, tmp_path, tmp_path, tmp_path, "pkg", 1, 0.1)
    # The machine slowed down in the third repetition: both measures took longer.
    corpus.samples = {
        "ssot_warm": [0.10, 0.12, 0.30, 0.11],
        "ruff": [0.10, 0.10, 0.20, 0.08],
        "ssot_cold": [1.0, 1.0, 1.0, 1.0],
        "parse_floor": [0.5, 0.0, 0.5, 0.5],  # a failed sample is no ratio
    }
    results = {r["measure"]: r for r in run.ratio_results([corpus])}
    assert results["ssot_warm"]["paired"] == pytest.approx([1.0, 1.2, 1.375, 1.5])
    assert results["ssot_warm"]["value"] == pytest.approx(0.115 / 0.10)  # medians' ratio
    assert results["ssot_cold"]["paired"] == pytest.approx([2.0, 2.0, 2.0])
    line = next(x for x in run.ratio_table(list(results.values())).splitlines() if "warm" in x)
    assert line.endswith("(per repetition: median 1.29x, 1.00x-1.50x)")


def test_work_ratio_times_a_workers_extraction_against_the_floors_parse(tmp_path: Path) -> None:
    # What run.py prints as the bound of the cold ratio: both sides timed on the same
    # files, the floor's side with floor.py's own function, read back by run.py.
    run = _script("run")
    package = tmp_path / "pkg"
    package.mkdir()
    (package / "__init__.py").write_text("from pkg.core import Thing\n")
    (package / "core.py").write_text(
        "import os\n\n\nclass Thing:\n    def f(self):\n        pass\n"
    )
    (package / "broken.py").write_text("def (:\n")  # costs its parse on both sides
    corpus = run.Corpus(
        "tiny", tmp_path, package, tmp_path, package / "core.py", "pkg.core", 3, 0.0
    )
    work = run.work_ratio(corpus)
    assert work["files"] == 3
    assert work["parse"] > 0 and work["extraction"] > 0
    assert work["ratio"] == pytest.approx(work["extraction"] / work["parse"], rel=0.02)
