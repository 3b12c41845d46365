"""Every rule's own VALID and INVALID examples, run as written (fixit's self-testing
rules): an example that stops matching what the rule reports fails here, and the same
examples are what ``--explain`` shows."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from helpers import scan_project

from ssot_scan.checks import all_checks
from ssot_scan.checks.base import Check, Example
from ssot_scan.rules import ALL_CODES

RunCli = Callable[..., "tuple[int, str, str]"]

CASES = [
    pytest.param(check, example, id=f"{check.code}-{kind}-{number}")
    for check in all_checks()
    for kind, examples in (("invalid", check.INVALID), ("valid", check.VALID))
    for number, example in enumerate(examples)
]


def test_every_rule_has_both_kinds_of_example() -> None:
    checks = all_checks()
    assert [c.code for c in checks] == list(ALL_CODES)
    for check in checks:
        assert check.INVALID and check.VALID, check.code
        assert all(example.expect for example in check.INVALID), check.code
        assert not any(example.expect for example in check.VALID), check.code


@pytest.mark.parametrize(("check", "example"), CASES)
def test_rule_example(tmp_path: Path, check: Check, example: Example) -> None:
    result = scan_project(tmp_path, example.files, example.config, select=[check.code])
    found = sorted(f"{f.path}:{f.line}" for f in result.findings)
    assert found == sorted(example.expect)


def test_explain_shows_the_examples(tmp_path: Path, run_cli: RunCli) -> None:
    code, out, _ = run_cli(["--explain", "SSOT006"], tmp_path)
    assert code == 0
    assert "Reported:\n  # pkg/__init__.py" in out
    assert "  -> SSOT006 at pkg/events.py:1" in out
    assert "Not reported (tests and frontend.tests are two names, not one):" in out
