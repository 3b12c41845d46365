"""The websocket_app fixture end to end: the JSON report against expected.json."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

RunCli = Callable[..., "tuple[int, str, str]"]

REPO = Path(__file__).resolve().parents[1]
FIXTURE = REPO / "fixtures" / "websocket_app"
FINDING_KEYS = ("code", "path", "line", "column", "symbol", "imported_from", "canonical")


def reduce(findings: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{key: finding[key] for key in FINDING_KEYS} for finding in findings]


@pytest.fixture(scope="module")
def expected() -> dict[str, Any]:
    data: dict[str, Any] = json.loads((FIXTURE / "expected.json").read_text(encoding="utf-8"))
    return data


@pytest.fixture
def scanned(run_cli: RunCli) -> tuple[int, dict[str, Any]]:
    code, out, _ = run_cli(["fixtures/websocket_app", "--no-cache", "-f", "json"], REPO)
    report: dict[str, Any] = json.loads(out)
    return code, report


def test_fixture_exits_1(scanned: tuple[int, dict[str, Any]]) -> None:
    assert scanned[0] == 1


def test_fixture_findings_match_expected(
    scanned: tuple[int, dict[str, Any]], expected: dict[str, Any]
) -> None:
    assert reduce(scanned[1]["findings"]) == expected["findings"]


def test_fixture_suppressed_match_expected(
    scanned: tuple[int, dict[str, Any]], expected: dict[str, Any]
) -> None:
    assert reduce(scanned[1]["suppressed"]) == expected["suppressed"]


def test_fixture_summary_matches_expected(
    scanned: tuple[int, dict[str, Any]], expected: dict[str, Any]
) -> None:
    summary = scanned[1]["summary"]
    assert {key: summary[key] for key in expected["summary"]} == expected["summary"]


def test_fixture_fragmentation_matches_expected(
    scanned: tuple[int, dict[str, Any]], expected: dict[str, Any]
) -> None:
    assert scanned[1]["fragmentation"] == expected["fragmentation"]


def test_excluded_and_gitignored_files_give_no_findings(
    scanned: tuple[int, dict[str, Any]],
) -> None:
    report = scanned[1]
    paths = {f["path"] for f in report["findings"] + report["suppressed"]}
    assert paths  # the scan did report findings, just none from these folders
    assert (FIXTURE / "build" / "stale_copy.py").is_file()
    assert (FIXTURE / "generated" / "junk.py").is_file()
    for path in paths:
        assert "build/" not in path
        assert "generated/" not in path


# -- the hand-written oracle ---------------------------------------------------------
# EXPECTED.md lists every finding as ``path:line CODE symbol — why`` under "## Findings"
# and every suppressed one under "## Suppressed": those lines, not the tool's own
# output, are what the fixture is held to. expected.json is a generated view (columns,
# symbols, summary) that must agree with them.

_ORACLE_LINE = re.compile(r"^(\S+):(\d+) (SSOT\d{3}) ")


def _oracle(section: str) -> list[tuple[str, int, str]]:
    text = (FIXTURE / "EXPECTED.md").read_text(encoding="utf-8")
    body = text.split(f"\n## {section}", 1)[1].split("\n## ", 1)[0]
    rows = []
    for line in body.splitlines():
        match = _ORACLE_LINE.match(line)
        if match:
            rows.append((match.group(1), int(match.group(2)), match.group(3)))
    return sorted(rows)


def _located(findings: list[dict[str, Any]]) -> list[tuple[str, int, str]]:
    return sorted((f["path"], f["line"], f["code"]) for f in findings)


def test_findings_match_the_hand_written_oracle(scanned: tuple[int, dict[str, Any]]) -> None:
    expected = _oracle("Findings")
    assert len(expected) == 45  # the count EXPECTED.md states in its totals
    assert _located(scanned[1]["findings"]) == expected


def test_suppressed_match_the_hand_written_oracle(scanned: tuple[int, dict[str, Any]]) -> None:
    assert _located(scanned[1]["suppressed"]) == _oracle("Suppressed") != []


def test_the_generated_view_agrees_with_the_oracle(expected: dict[str, Any]) -> None:
    assert _located(expected["findings"]) == _oracle("Findings")
    assert _located(expected["suppressed"]) == _oracle("Suppressed")
