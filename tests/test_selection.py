"""Selecting rules never loses a finding: checks are independent of each other.

A check reads the analysis, never another check's findings. The one relation between
rules, "superseded by SSOT001" (an import of a deprecated path is SSOT001, not also
SSOT002/SSOT003), is declared in the registry and applies only when SSOT001 is
selected.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path
from typing import Any

import pytest
from helpers import scan_project

from ssot_scan.config import load_config, load_rule_packs
from ssot_scan.rules import ALL_CODES, BY_CODE
from ssot_scan.scan import run_scan

REPO = Path(__file__).resolve().parents[1]
Key = tuple[str, str, int, int, str]

SUPERSEDED = {
    "pkg/__init__.py": "",
    "pkg/core.py": "class Thing:\n    pass\n",
    "pkg/old.py": "from pkg.core import Thing\n",
    "pkg/user.py": "from pkg.old import Thing\n",
}
SUPERSEDED_CONFIG = """\
[[tool.ssot-scan.canonical]]
symbol = "pkg.core.Thing"
path = "pkg.core"

[[tool.ssot-scan.deprecated]]
module = "pkg.old"
replacement = "pkg.core"
"""


def _codes(root: Path, select: list[str]) -> list[tuple[str, str, int]]:
    result = scan_project(root, SUPERSEDED, SUPERSEDED_CONFIG, select=select)
    return [(f.code, f.path, f.line) for f in result.findings]


def test_an_import_of_a_deprecated_path_is_ssot001_not_also_ssot002(tmp_path: Path) -> None:
    assert _codes(tmp_path, list(ALL_CODES)) == [("SSOT001", "pkg/user.py", 1)]


@pytest.mark.parametrize(
    "select", [["SSOT002"], [c for c in ALL_CODES if c != "SSOT001"]], ids=["select", "ignore"]
)
def test_leaving_ssot001_out_shows_the_non_canonical_import(
    tmp_path: Path, select: list[str]
) -> None:
    # The bug: with SSOT001 left out (--select SSOT002, or --ignore SSOT001) the
    # SSOT002 finding was still dropped as "reported by SSOT001": 0 findings.
    assert _codes(tmp_path, select) == [("SSOT002", "pkg/user.py", 1)]


def test_every_declared_superseding_rule_has_sites_to_compare() -> None:
    from ssot_scan.analysis import Analysis

    for rule in BY_CODE.values():
        for other in rule.superseded_by:
            assert other in BY_CODE
            assert "sites_reported_by" in vars(Analysis)
            assert other == "SSOT001"  # the only code Analysis.sites_reported_by knows


def _keys(findings: list[Any]) -> set[Key]:
    return {(f.code, f.path, f.line, f.column, f.message) for f in findings}


def _selection_property(root: Path) -> None:
    """For every code C: ``--select C`` gives every C finding of a full run, and
    anything more is an import the full run reports as SSOT001 instead."""
    full_config = load_config([root])
    load_rule_packs(full_config, [])
    full = run_scan([root], full_config)
    assert full.findings, "the project must give findings for the property to mean much"
    everything = full.findings + full.suppressed
    deprecated_sites = {(f.path, f.line) for f in everything if f.code == "SSOT001"}
    for code in ALL_CODES:
        config = load_config([root])
        load_rule_packs(config, [])
        config.select = [code]
        result = run_scan([root], config)
        alone = _keys(result.findings + result.suppressed)
        in_full = _keys([f for f in everything if f.code == code])
        assert in_full <= alone, code
        extra = alone - in_full
        assert all((path, line) in deprecated_sites for _, path, line, _, _ in extra), code
        if not BY_CODE[code].superseded_by:
            assert alone == in_full, code


def test_selecting_one_code_never_loses_a_finding_on_the_fixture(tmp_path: Path) -> None:
    root = tmp_path / "websocket_app"
    shutil.copytree(REPO / "fixtures" / "websocket_app", root)
    _selection_property(root)


def test_selecting_one_code_never_loses_a_finding_on_a_generated_tree(tmp_path: Path) -> None:
    sys.path.insert(0, str(REPO / "benchmarks"))
    try:
        import synthetic
    finally:
        sys.path.pop(0)
    root = tmp_path / "generated"
    synthetic.generate(root, 250, 1.5, 11)
    _selection_property(root)
