"""The benchmark scripts measure what they say (they are scripts, not the package)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

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
