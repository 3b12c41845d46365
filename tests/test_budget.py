"""Budgets: ``--max-warnings N`` and ``[tool.ssot-scan.budget]`` per code.

Counts are taken after suppressions and the baseline. With no budget at all any finding
fails the run; with budgets configured, only they decide the exit code. A bad budget is
exit 2 naming the key; ``--exit-zero`` overrides an exceeded budget, not a usage error.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from helpers import THREE_FINDINGS, cli_json, three_findings_pyproject

MakeProject = Callable[..., Path]
RunCli = Callable[..., "tuple[int, str, str]"]


def pyproject(budget: str = "", top: str = "") -> str:
    """Config with the deprecation rule; ``budget`` is the body of the budget table."""
    table = f"\n[tool.ssot-scan.budget]\n{budget}\n" if budget else ""
    return three_findings_pyproject(top, table)


# Three findings: SSOT001 in pkg/a.py and pkg/b.py, SSOT002 in pkg/c.py.
PROJECT = THREE_FINDINGS
BUDGET_LINE = re.compile(
    r"^Budget (?P<name>\S+): (?P<count>\d+) of at most (?P<limit>\d+): "
    r"(?P<verdict>ok|over budget)\.$",
    re.MULTILINE,
)


@pytest.fixture
def project(tmp_path: Path, make_project: MakeProject) -> Path:
    return make_project(tmp_path, PROJECT)


def with_budget(root: Path, make_project: MakeProject, budget: str, top: str = "") -> Path:
    return make_project(root, {"pyproject.toml": pyproject(budget, top)})


def check(run_cli: RunCli, cwd: Path, *args: str) -> tuple[int, str, str]:
    return run_cli(["check", "--no-cache", *args, "."], cwd)


def budget_lines(out: str) -> dict[str, tuple[int, int, str]]:
    """name -> (count, limit, verdict) from the text summary."""
    return {
        m["name"]: (int(m["count"]), int(m["limit"]), m["verdict"])
        for m in BUDGET_LINE.finditer(out)
    }


def report_json(run_cli: RunCli, cwd: Path, *args: str) -> tuple[int, dict[str, Any]]:
    return cli_json(run_cli, cwd, *args, ".")


# -- no budget --------------------------------------------------------------------------


def test_without_any_budget_a_single_finding_fails(project: Path, run_cli: RunCli) -> None:
    code, out, _ = check(run_cli, project)
    assert code == 1
    assert budget_lines(out) == {}


# -- --max-warnings ---------------------------------------------------------------------


@pytest.mark.parametrize(("limit", "expected"), [(3, 0), (4, 0), (2, 1), (0, 1)])
def test_max_warnings_against_the_total(
    project: Path, run_cli: RunCli, limit: int, expected: int
) -> None:
    code, out, _ = check(run_cli, project, "--max-warnings", str(limit))
    assert code == expected
    verdict = "ok" if expected == 0 else "over budget"
    assert budget_lines(out) == {"findings": (3, limit, verdict)}


def test_max_warnings_counts_after_suppression(
    project: Path, run_cli: RunCli, make_project: MakeProject
) -> None:
    make_project(project, {"pkg/a.py": "import pkg.old  # ssot: ignore[SSOT001]\n"})
    code, out, _ = check(run_cli, project, "--max-warnings", "2")
    assert code == 0, out
    assert budget_lines(out) == {"findings": (2, 2, "ok")}
    code, out, _ = check(run_cli, project, "--max-warnings", "1")
    assert code == 1
    assert budget_lines(out) == {"findings": (2, 1, "over budget")}


def test_max_warnings_counts_after_the_baseline(
    project: Path, run_cli: RunCli, make_project: MakeProject
) -> None:
    code, out, err = run_cli(["baseline", "--no-cache"], project)
    assert code == 0, (out, err)
    make_project(
        project,
        {"pkg/e.py": "from pkg.old import X\n", "pkg/f.py": "from pkg.helpers import Thing\n"},
    )
    args = ("--baseline", ".ssot-baseline.json", "--max-warnings")
    code, out, _ = check(run_cli, project, *args, "2")
    assert code == 0, out
    assert budget_lines(out) == {"findings": (2, 2, "ok")}
    code, out, _ = check(run_cli, project, *args, "1")
    assert code == 1
    assert budget_lines(out) == {"findings": (2, 1, "over budget")}


def test_max_warnings_option_overrides_the_config(
    project: Path, run_cli: RunCli, make_project: MakeProject
) -> None:
    make_project(project, {"pyproject.toml": pyproject(top="max-warnings = 0")})
    code, out, _ = check(run_cli, project)
    assert code == 1
    assert budget_lines(out) == {"findings": (3, 0, "over budget")}
    code, out, _ = check(run_cli, project, "--max-warnings", "5")
    assert code == 0
    assert budget_lines(out) == {"findings": (3, 5, "ok")}


def test_negative_max_warnings_is_a_usage_error(project: Path, run_cli: RunCli) -> None:
    code, out, err = check(run_cli, project, "--max-warnings", "-1")
    assert code == 2, (out, err)
    assert "--max-warnings" in err


# -- per-code budgets -------------------------------------------------------------------


def test_exceeding_one_code_budget_exits_1(
    project: Path, run_cli: RunCli, make_project: MakeProject
) -> None:
    with_budget(project, make_project, "SSOT001 = 0\nSSOT002 = 2")
    code, out, _ = check(run_cli, project)
    assert code == 1
    assert budget_lines(out) == {
        "SSOT001": (2, 0, "over budget"),
        "SSOT002": (1, 2, "ok"),
    }


def test_all_code_budgets_within_exits_0(
    project: Path, run_cli: RunCli, make_project: MakeProject
) -> None:
    with_budget(project, make_project, "SSOT001 = 2\nSSOT002 = 2")
    code, out, _ = check(run_cli, project)
    assert code == 0, out
    assert "Found 3 findings" in out  # findings are still reported
    assert budget_lines(out) == {"SSOT001": (2, 2, "ok"), "SSOT002": (1, 2, "ok")}


def test_a_budget_of_zero_for_a_clean_code_passes(
    project: Path, run_cli: RunCli, make_project: MakeProject
) -> None:
    with_budget(project, make_project, "SSOT001 = 2\nSSOT002 = 1\nSSOT004 = 0")
    code, out, _ = check(run_cli, project)
    assert code == 0, out
    assert budget_lines(out)["SSOT004"] == (0, 0, "ok")


def test_codes_without_a_budget_do_not_fail_the_run(
    project: Path, run_cli: RunCli, make_project: MakeProject
) -> None:
    """Observed behaviour (and the README's "only they decide the exit code"): once any
    budget is configured, findings of codes with no budget never fail the run -- not
    even SSOT000, a file that does not parse."""
    with_budget(project, make_project, "SSOT002 = 2")
    make_project(project, {"pkg/broken.py": "def broken(:\n"})
    code, out, _ = check(run_cli, project)
    assert code == 0, out
    assert "SSOT001 2" in out
    assert "SSOT000 1" in out
    assert budget_lines(out) == {"SSOT002": (1, 2, "ok")}


def test_code_budgets_and_max_warnings_both_apply(
    project: Path, run_cli: RunCli, make_project: MakeProject
) -> None:
    with_budget(project, make_project, "SSOT001 = 2\nSSOT002 = 2")
    code, out, _ = check(run_cli, project, "--max-warnings", "2")
    assert code == 1
    assert budget_lines(out) == {
        "findings": (3, 2, "over budget"),
        "SSOT001": (2, 2, "ok"),
        "SSOT002": (1, 2, "ok"),
    }
    # One summary line per budget, the total first.
    names = [m["name"] for m in BUDGET_LINE.finditer(out)]
    assert names == ["findings", "SSOT001", "SSOT002"]


def test_code_budgets_count_after_suppression_and_baseline(
    project: Path, run_cli: RunCli, make_project: MakeProject
) -> None:
    code, out, err = run_cli(["baseline", "--no-cache", "--select", "SSOT001"], project)
    assert code == 0, (out, err)
    with_budget(project, make_project, "SSOT001 = 0\nSSOT002 = 0")
    make_project(project, {"pkg/c.py": "from pkg.helpers import Thing  # ssot: ignore\n"})
    code, out, _ = check(run_cli, project, "--baseline", ".ssot-baseline.json")
    assert code == 0, out
    assert budget_lines(out) == {"SSOT001": (0, 0, "ok"), "SSOT002": (0, 0, "ok")}


def test_lowercase_code_in_the_budget_table_is_accepted(
    project: Path, run_cli: RunCli, make_project: MakeProject
) -> None:
    with_budget(project, make_project, "ssot001 = 1")
    code, out, _ = check(run_cli, project)
    assert code == 1
    assert budget_lines(out) == {"SSOT001": (2, 1, "over budget")}


def test_json_report_has_the_budget_block(
    project: Path, run_cli: RunCli, make_project: MakeProject
) -> None:
    with_budget(project, make_project, "SSOT001 = 0\nSSOT002 = 2")
    code, report = report_json(run_cli, project, "--max-warnings", "10")
    assert code == 1
    block = report["budget"]
    assert block["over_budget"] is True
    assert block["budgets"] == [
        {"name": "total", "limit": 10, "count": 3, "passed": True},
        {"name": "SSOT001", "limit": 0, "count": 2, "passed": False},
        {"name": "SSOT002", "limit": 2, "count": 1, "passed": True},
    ]


def test_json_report_without_budgets_has_an_empty_budget_block(
    project: Path, run_cli: RunCli
) -> None:
    code, report = report_json(run_cli, project)
    assert code == 1
    assert report["budget"]["budgets"] == []
    assert report["budget"]["over_budget"] is True  # no budget: any finding is too many


# -- bad budgets: exit 2 naming the key -------------------------------------------------

BAD_BUDGETS = [
    pytest.param("SSOT999 = 1", ["budget", "SSOT999"], id="unknown-code"),
    pytest.param("SSOT00 = 1", ["budget", "SSOT00"], id="a-prefix-is-not-a-code"),
    pytest.param("deprecated-import = 1", ["budget", "deprecated-import"], id="a-name"),
    pytest.param("SSOT001 = -1", ["budget.SSOT001", "-1"], id="negative"),
    pytest.param('SSOT001 = "3"', ["budget.SSOT001", "whole number"], id="string"),
    pytest.param("SSOT001 = 1.5", ["budget.SSOT001", "whole number"], id="float"),
    pytest.param("SSOT001 = true", ["budget.SSOT001", "whole number"], id="boolean"),
    pytest.param("SSOT001 = [1]", ["budget.SSOT001", "whole number"], id="list"),
]


@pytest.mark.parametrize(("budget", "needles"), BAD_BUDGETS)
def test_bad_budget_is_exit_2_naming_the_key(
    project: Path, run_cli: RunCli, make_project: MakeProject, budget: str, needles: list[str]
) -> None:
    with_budget(project, make_project, budget)
    code, out, err = check(run_cli, project)
    assert code == 2, (out, err)
    assert out == ""
    assert err.startswith("ssot-scan: error: pyproject.toml"), err
    assert len(err.strip().splitlines()) == 1, err
    for needle in needles:
        assert needle in err, (needle, err)


def test_budget_that_is_not_a_table_is_exit_2(
    project: Path, run_cli: RunCli, make_project: MakeProject
) -> None:
    make_project(project, {"pyproject.toml": pyproject(top="budget = 3")})
    code, out, err = check(run_cli, project)
    assert code == 2, (out, err)
    assert err.startswith("ssot-scan: error: pyproject.toml"), err
    assert "budget" in err


# -- --exit-zero ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("budget", "args"),
    [
        pytest.param("", [], id="no-budget"),
        pytest.param("", ["--max-warnings", "0"], id="max-warnings"),
        pytest.param("SSOT001 = 0", [], id="code-budget"),
    ],
)
def test_exit_zero_overrides_an_exceeded_budget(
    project: Path, run_cli: RunCli, make_project: MakeProject, budget: str, args: list[str]
) -> None:
    with_budget(project, make_project, budget)
    code, out, _ = check(run_cli, project, *args)
    assert code == 1
    code, out, _ = check(run_cli, project, *args, "--exit-zero")
    assert code == 0
    assert "Found 3 findings" in out  # still reported
    if args or budget:
        assert "over budget" in out


def test_exit_zero_does_not_hide_a_usage_error(
    project: Path, run_cli: RunCli, make_project: MakeProject
) -> None:
    with_budget(project, make_project, "SSOT999 = 0")
    code, _, err = check(run_cli, project, "--exit-zero")
    assert code == 2
    assert "SSOT999" in err
