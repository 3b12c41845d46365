"""The mutation fuzz harness (benchmarks/fuzz.py) for a fixed, seeded budget: no
crash, no hang, no disagreement between the front ends on mutants both parse.
``SSOT_FUZZ_SECONDS`` sets the budget (default 45; 0 skips)."""

from __future__ import annotations

import importlib.util
import os
import sys
from pathlib import Path
from types import ModuleType

import pytest

REPO = Path(__file__).resolve().parents[2]
SECONDS = float(os.environ.get("SSOT_FUZZ_SECONDS", "45"))


def _harness() -> ModuleType:
    spec = importlib.util.spec_from_file_location("fuzz", REPO / "benchmarks" / "fuzz.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["fuzz"] = module  # dataclasses, and workers unpickling check_batch
    spec.loader.exec_module(module)
    return module


@pytest.mark.skipif(SECONDS <= 0, reason="SSOT_FUZZ_SECONDS=0")
@pytest.mark.skipif(sys.platform == "win32", reason="the harness times mutants with SIGALRM")
def test_mutants_of_real_files_never_crash_hang_or_split_the_front_ends(
    tmp_path: Path,
) -> None:
    fuzz = _harness()
    tally = fuzz.run(SECONDS, 7, [REPO / "src", REPO / "fixtures"], tmp_path)
    assert tally.mutants > 100
    assert tally.both_parsed > 0
    assert tally.crashes == []
    assert tally.hangs == []
    assert tally.differences == []


def test_the_harness_counts_a_crash(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    # A harness that cannot fail proves nothing: make extract raise on one mutant.
    fuzz = _harness()
    problems = fuzz.check_batch([("x", b"import os\n"), ("y", b"\x00")], 5.0)
    assert ("crash", "x", "") not in problems
    import ssot_scan.extract as extract_module

    def broken(data: bytes, *args: object) -> object:
        raise RuntimeError("boom")

    monkeypatch.setattr(extract_module, "extract", broken)
    problems = fuzz.check_batch([("x", b"import os\n")], 5.0)
    assert problems == [("crash", "x", "RuntimeError: boom")]
