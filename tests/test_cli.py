"""The command line, run in-process through the ``run_cli`` fixture (conftest.py)."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path
from typing import Any, Optional

import pytest
from helpers import THREE_FINDINGS

from ssot_scan import __version__

RunCli = Callable[..., "tuple[int, str, str]"]

REPO = Path(__file__).resolve().parents[1]
FIXTURE = "fixtures/websocket_app"

# Three findings in three of eight files (see helpers.THREE_FINDINGS).
PROJECT = THREE_FINDINGS
FINDINGS = {("pkg/a.py", 1, "SSOT001"), ("pkg/b.py", 1, "SSOT001"), ("pkg/c.py", 1, "SSOT002")}

FINDING_KEYS = {
    "code",
    "name",
    "severity",
    "path",
    "line",
    "column",
    "end_line",
    "end_column",
    "message",
    "symbol",
    "imported_from",
    "canonical",
    "context",
    "replacement",
    "related",
    "fingerprint",
}
SUMMARY_KEYS = {
    "files_scanned",
    "modules",
    "parse_errors",
    "total",
    "by_code",
    "suppressed",
    "fragmented_symbols",
    "files_with_findings",
    "compliance_pct",
    "undecidable",
    "cycles",
}
FINDING_LINE = re.compile(r"^(\S+):(\d+):(\d+): SSOT\d{3} ")


def write(root: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
    return root


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return write(tmp_path, PROJECT)


def scan_json(run_cli: RunCli, cwd: Path, *args: str) -> tuple[int, dict[str, Any]]:
    code, out, _ = run_cli(["--no-cache", "-f", "json", *args], cwd)
    return code, json.loads(out)


def located(report: dict[str, Any]) -> set[tuple[str, int, str]]:
    return {(f["path"], f["line"], f["code"]) for f in report["findings"]}


# -- exit codes and budgets ------------------------------------------------------------


def test_exit_0_when_there_are_no_findings(tmp_path: Path, run_cli: RunCli) -> None:
    write(tmp_path, {"pyproject.toml": "[tool.ssot-scan]\n", "pkg/__init__.py": "X = 1\n"})
    code, out, _ = run_cli(["."], tmp_path)
    assert code == 0
    assert "Found 0 findings" in out


def test_exit_1_with_findings_and_no_budget(project: Path, run_cli: RunCli) -> None:
    code, report = scan_json(run_cli, project, ".")
    assert code == 1
    assert located(report) == FINDINGS


def test_max_warnings_exactly_at_the_count_exits_0(project: Path, run_cli: RunCli) -> None:
    code, _, _ = run_cli(["--max-warnings", "3", "."], project)
    assert code == 0


def test_max_warnings_one_below_the_count_exits_1(project: Path, run_cli: RunCli) -> None:
    code, _, _ = run_cli(["--max-warnings", "2", "."], project)
    assert code == 1


@pytest.mark.parametrize(("budget", "expected"), [(3, 0), (2, 1)])
def test_max_warnings_from_config(
    project: Path, run_cli: RunCli, budget: int, expected: int
) -> None:
    pyproject = project / "pyproject.toml"
    pyproject.write_text(
        pyproject.read_text().replace(
            "[tool.ssot-scan]\n", f"[tool.ssot-scan]\nmax-warnings = {budget}\n", 1
        )
    )
    code, _, _ = run_cli(["."], project)
    assert code == expected


def test_max_warnings_flag_overrides_config(project: Path, run_cli: RunCli) -> None:
    pyproject = project / "pyproject.toml"
    pyproject.write_text(
        pyproject.read_text().replace("[tool.ssot-scan]\n", "[tool.ssot-scan]\nmax-warnings = 0\n")
    )
    code, _, _ = run_cli(["--max-warnings", "3", "."], project)
    assert code == 0


def test_exit_zero_exits_0_over_budget(project: Path, run_cli: RunCli) -> None:
    code, out, _ = run_cli(["--exit-zero", "."], project)
    assert code == 0
    assert "Found 3 findings" in out


# -- selecting codes ------------------------------------------------------------------


def test_select_keeps_only_the_selected_code(project: Path, run_cli: RunCli) -> None:
    _, report = scan_json(run_cli, project, "--select", "SSOT001", ".")
    assert located(report) == {f for f in FINDINGS if f[2] == "SSOT001"}
    assert report["summary"]["by_code"] == {"SSOT001": 2}


def test_ignore_leaves_out_the_ignored_code(project: Path, run_cli: RunCli) -> None:
    _, report = scan_json(run_cli, project, "--ignore", "SSOT002", ".")
    assert located(report) == {f for f in FINDINGS if f[2] == "SSOT001"}
    assert report["summary"]["total"] == 2


def test_select_unknown_code_exits_2(project: Path, run_cli: RunCli) -> None:
    code, _, err = run_cli(["--select", "BOGUS", "."], project)
    assert code == 2
    assert "BOGUS" in err


def test_nonexistent_path_exits_2(project: Path, run_cli: RunCli) -> None:
    code, _, _ = run_cli(["no/such/folder"], project)
    assert code == 2


# -- JSON -----------------------------------------------------------------------------


def test_json_report_shape(project: Path, run_cli: RunCli) -> None:
    _, report = scan_json(run_cli, project, ".")
    assert {"schema_version", "tool", "summary", "findings", "fragmentation"} <= set(report)
    assert isinstance(report["schema_version"], str)
    assert report["tool"] == {"name": "ssot-scan", "version": __version__}
    assert set(report["summary"]) >= SUMMARY_KEYS
    assert report["findings"]
    for finding in report["findings"]:
        assert set(finding) == FINDING_KEYS
    assert report["fragmentation"]
    for entry in report["fragmentation"]:
        assert set(entry) == {
            "symbol",
            "canonical",
            "canonical_source",
            "paths",
            "paths_in_use",
            "unused_exports",
        }
    assert report["fragmentation"] == [
        {
            "symbol": "pkg.core.Thing",
            "canonical": "pkg.core",
            "canonical_source": "derived",
            "paths": {"pkg.core": 2, "pkg.helpers": 1},
            "paths_in_use": [
                {"path": "pkg.core", "sites": 2, "names": ["Thing"], "role": "canonical"},
                {"path": "pkg.helpers", "sites": 1, "names": ["Thing"], "role": "accidental"},
            ],
            "unused_exports": [],
        }
    ]


def test_json_summary_counts(project: Path, run_cli: RunCli) -> None:
    _, report = scan_json(run_cli, project, ".")
    summary = report["summary"]
    assert summary["files_scanned"] == 8
    assert summary["modules"] == 8
    assert summary["parse_errors"] == 0
    assert summary["total"] == 3
    assert summary["by_code"] == {
        "SSOT000": 0,
        "SSOT001": 2,
        "SSOT002": 1,
        "SSOT003": 0,
        "SSOT004": 0,
        "SSOT005": 0,
        "SSOT006": 0,
        "SSOT007": 0,
        "SSOT008": 0,
    }
    assert summary["suppressed"] == 0
    assert summary["fragmented_symbols"] == 1
    assert summary["files_with_findings"] == 3


def test_json_paths_are_relative_with_forward_slashes(project: Path, run_cli: RunCli) -> None:
    _, out, _ = run_cli(["-f", "json", str(project)], project)
    report = json.loads(out)
    # The project root is named once, in the summary; every path is relative to it.
    assert report["summary"]["project_root"] == str(project)
    rest = json.dumps({**report, "summary": {}})
    assert str(project) not in rest
    assert project.as_posix() not in rest
    for finding in report["findings"]:
        assert not Path(finding["path"]).is_absolute()
        assert "\\" not in finding["path"]
    assert located(report) == FINDINGS


def test_json_output_is_deterministic(project: Path, run_cli: RunCli) -> None:
    _, first, _ = run_cli(["-f", "json", "."], project)
    _, second, _ = run_cli(["-f", "json", "."], project)
    assert first == second


def test_compliance_pct_is_clean_files_over_scanned_files(project: Path, run_cli: RunCli) -> None:
    _, report = scan_json(run_cli, project, ".")
    summary = report["summary"]
    # 8 files scanned, 3 with findings.
    assert summary["compliance_pct"] == pytest.approx(62.5)
    clean = summary["files_scanned"] - summary["files_with_findings"]
    assert summary["compliance_pct"] == pytest.approx(
        clean / summary["files_scanned"] * 100, abs=0.01
    )


def test_output_file_gets_the_report_and_stdout_stays_empty(
    project: Path, run_cli: RunCli
) -> None:
    target = project / "out" / "report.json"
    code, out, _ = run_cli(["-f", "json", "--output-file", str(target), "."], project)
    assert code == 1
    assert out == ""
    assert located(json.loads(target.read_text(encoding="utf-8"))) == FINDINGS


# -- text -----------------------------------------------------------------------------


def test_quiet_prints_finding_lines_only(project: Path, run_cli: RunCli) -> None:
    code, out, _ = run_cli(["--quiet", "."], project)
    assert code == 1
    lines = [line for line in out.splitlines() if line.strip()]
    assert len(lines) == 3
    assert all(FINDING_LINE.match(line) for line in lines)
    assert "Found" not in out


def test_text_finding_lines_have_path_line_column_code(project: Path, run_cli: RunCli) -> None:
    _, out, _ = run_cli(["."], project)
    finding_lines = [line for line in out.splitlines() if FINDING_LINE.match(line)]
    seen = set()
    for line in finding_lines:
        match = FINDING_LINE.match(line)
        assert match is not None
        seen.add((match.group(1), int(match.group(2)), line.split()[1]))
    assert seen == FINDINGS
    assert "Found 3 findings" in out


def test_text_output_prints_each_files_findings_in_line_order(
    tmp_path: Path, run_cli: RunCli
) -> None:
    # Seen: findings were grouped by code and symbol, so one file's findings came
    # out of line order, split between groups.
    write(
        tmp_path,
        {
            "pyproject.toml": "[tool.ssot-scan]\n",
            "pkg/__init__.py": "",
            "pkg/core.py": "class A:\n    pass\n\nclass B:\n    pass\n",
            "pkg/helpers.py": "from pkg.core import A, B\n\nDEFAULT = (A(), B())\n",
            "pkg/canon1.py": "from pkg.core import A\n",
            "pkg/canon2.py": "from pkg.core import B\n",
            "pkg/canon3.py": "from pkg.core import A, B\n",
            "pkg/f1.py": "from pkg.helpers import B\nfrom pkg import missing\n"
            "from pkg.helpers import A\n",
            "pkg/f2.py": "from pkg.helpers import A\nfrom pkg import gone\n"
            "from pkg.helpers import B\n",
        },
    )
    _, report = scan_json(run_cli, tmp_path, ".")
    # JSON keeps a code's and a symbol's findings together.
    assert [(f["code"], f["path"], f["line"]) for f in report["findings"]] == [
        ("SSOT002", "pkg/f1.py", 3),
        ("SSOT002", "pkg/f2.py", 1),
        ("SSOT002", "pkg/f1.py", 1),
        ("SSOT002", "pkg/f2.py", 3),
        ("SSOT005", "pkg/f1.py", 2),
        ("SSOT005", "pkg/f2.py", 2),
    ]
    _, out, _ = run_cli(["."], tmp_path)
    printed = [m.group(1, 2) for m in map(FINDING_LINE.match, out.splitlines()) if m]
    assert printed == [(f, str(n)) for f in ("pkg/f1.py", "pkg/f2.py") for n in (1, 2, 3)]
    # One blank line between files, none inside one.
    block = out.split("\n\n")[0].splitlines()
    assert [FINDING_LINE.match(line).group(1) for line in block] == ["pkg/f1.py"] * 3  # type: ignore[union-attr]


# -- informational flags -----------------------------------------------------------------


def test_version_prints_the_version(tmp_path: Path, run_cli: RunCli) -> None:
    code, out, _ = run_cli(["--version"], tmp_path)
    assert code == 0
    assert __version__ in out


def test_help_lists_the_commands(tmp_path: Path, run_cli: RunCli) -> None:
    code, out, _ = run_cli(["--help"], tmp_path)
    assert code == 0
    commands = out[out.index("Commands:") :]
    for name in ("check", "fix", "plan", "baseline", "trend", "graph", "clean", "rules"):
        assert f"\n  {name} " in commands, name
    # The scan's options are one step away, and the default command still takes -h.
    for args in (["check", "--help"], [".", "--help"]):
        code, out, _ = run_cli(args, tmp_path)
        assert code == 0 and "--max-warnings" in out and "--output-format" in out


def test_rules_lists_every_code_with_its_name_and_one_line(
    tmp_path: Path, run_cli: RunCli
) -> None:
    from ssot_scan.rules import RULES

    code, out, _ = run_cli(["rules"], tmp_path)
    assert code == 0
    lines = out.splitlines()
    assert [line.split()[:2] for line in lines] == [[r.code, r.name] for r in RULES]
    assert "``" not in out


def test_explain_prints_the_rule_documentation(tmp_path: Path, run_cli: RunCli) -> None:
    from ssot_scan.rules import BY_CODE

    code, out, _ = run_cli(["--explain", "SSOT002"], tmp_path)
    assert code == 0
    assert out.startswith("SSOT002 (non-canonical-import, warning)\n\n")
    # Clean text: the docs' reStructuredText quoting is shown as plain backticks.
    assert "``" not in out and "::\n" not in out
    first = BY_CODE["SSOT002"].docs.strip().split("\n\n")[0].replace("``", "`")
    assert first in out


@pytest.mark.parametrize(
    "spelled", ["ssot002", "Ssot002", "non-canonical-import", "NON-CANONICAL-IMPORT"]
)
def test_explain_and_rules_take_a_code_or_name_in_any_case(
    spelled: str, tmp_path: Path, run_cli: RunCli
) -> None:
    for args in (["--explain", spelled], ["rules", spelled]):
        code, out, _ = run_cli(args, tmp_path)
        assert code == 0 and out.startswith("SSOT002 (non-canonical-import, warning)"), args


def test_explain_unknown_code_exits_2(tmp_path: Path, run_cli: RunCli) -> None:
    code, _, err = run_cli(["--explain", "NOPE"], tmp_path)
    assert code == 2
    assert "NOPE" in err


def test_python_dash_m_version(tmp_path: Path) -> None:
    completed = subprocess.run(
        [sys.executable, "-m", "ssot_scan", "--version"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert completed.returncode == 0
    assert __version__ in completed.stdout


# -- fingerprints ---------------------------------------------------------------------


def test_fingerprint_survives_an_unrelated_edit_above_the_import(
    project: Path, run_cli: RunCli
) -> None:
    _, before = scan_json(run_cli, project, ".")
    (project / "pkg/a.py").write_text("def unrelated():\n    return 1\n\n\nimport pkg.old\n")
    _, after = scan_json(run_cli, project, ".")
    old = {(f["path"], f["code"]): f for f in before["findings"]}
    new = {(f["path"], f["code"]): f for f in after["findings"]}
    assert (old["pkg/a.py", "SSOT001"]["line"], new["pkg/a.py", "SSOT001"]["line"]) == (1, 5)
    assert old["pkg/a.py", "SSOT001"]["fingerprint"] == new["pkg/a.py", "SSOT001"]["fingerprint"]


def test_identical_imports_in_one_file_get_different_fingerprints(
    project: Path, run_cli: RunCli
) -> None:
    (project / "pkg/a.py").write_text("import pkg.old\nimport pkg.old\n")
    _, report = scan_json(run_cli, project, ".")
    prints = [f["fingerprint"] for f in report["findings"] if f["path"] == "pkg/a.py"]
    assert len(prints) == 2
    assert prints[0] != prints[1]


# -- parser engines -------------------------------------------------------------------

_REDUCED = ("code", "path", "line", "column", "symbol", "imported_from", "canonical")
_PY312_FILE = "app/py312_syntax.py"


def _reduced(findings: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{key: f[key] for key in _REDUCED} for f in findings]


def test_libcst_engine_gives_the_same_findings_as_ast_on_the_fixture(run_cli: RunCli) -> None:
    # Fixed bug (this test failed before the fix). The old behaviour:
    # with --engine libcst, a file no parser can read gets libcst's error
    # position, which is not where the error is: app/broken.py is reported at 7:24
    # (ast: 6:23). libcst's ParserSyntaxError.raw_line/raw_column point past the
    # error (for "x = 1\ndef f(:\n    pass\n" it says line 3, col 0; the error is on
    # line 2). Reproduction: `ssot-scan fixtures/websocket_app --engine libcst`.
    _, by_libcst = scan_json(run_cli, REPO, FIXTURE, "--engine", "libcst")
    _, by_ast = scan_json(run_cli, REPO, FIXTURE, "--engine", "ast")
    assert [f for f in _reduced(by_libcst["findings"]) if f["path"] != _PY312_FILE] == [
        f for f in _reduced(by_ast["findings"]) if f["path"] != _PY312_FILE
    ]
    assert _reduced(by_libcst["suppressed"]) == _reduced(by_ast["suppressed"])


def test_py312_file_is_read_by_libcst_and_by_ast_only_from_python_312(run_cli: RunCli) -> None:
    _, by_libcst = scan_json(run_cli, REPO, FIXTURE, "--engine", "libcst")
    _, by_ast = scan_json(run_cli, REPO, FIXTURE, "--engine", "ast")
    libcst_py312 = [f for f in _reduced(by_libcst["findings"]) if f["path"] == _PY312_FILE]
    ast_py312 = [f for f in _reduced(by_ast["findings"]) if f["path"] == _PY312_FILE]
    assert [(f["code"], f["line"]) for f in libcst_py312] == [("SSOT001", 3)]
    if sys.version_info >= (3, 12):
        assert ast_py312 == libcst_py312
    else:
        assert [f["code"] for f in ast_py312] == ["SSOT000"]


def test_a_folder_with_no_python_files_says_so(tmp_path: Path, run_cli: RunCli) -> None:
    (tmp_path / "pyproject.toml").write_text("")
    (tmp_path / "docs").mkdir()
    code, out, err = run_cli(["--no-cache", "docs"], tmp_path)
    assert code == 0
    assert "Scanned 0 files" in out
    assert "docs: no Python files to scan" in err


def test_one_file_is_one_file_in_the_summary(tmp_path: Path, run_cli: RunCli) -> None:
    (tmp_path / "pyproject.toml").write_text("")
    (tmp_path / "single.py").write_text("import os\n")
    code, out, _ = run_cli(["--no-cache", "single.py"], tmp_path)
    assert code == 0
    assert "Scanned 1 file (" in out


def test_a_named_folder_without_python_files_says_so_in_a_project_with_some(
    tmp_path: Path, run_cli: RunCli
) -> None:
    (tmp_path / "pyproject.toml").write_text("")
    (tmp_path / "docs").mkdir()
    (tmp_path / "app.py").write_text("import os\n")
    code, out, err = run_cli(["--no-cache", "docs"], tmp_path)
    assert code == 0
    assert "reported on 0" in out
    assert "docs: no Python files to scan" in err


def test_a_scoped_run_keeps_the_fragments_its_findings_are_about(
    tmp_path: Path, make_project: Any, run_cli: RunCli
) -> None:
    make_project(tmp_path, PROJECT)
    _, out, _ = run_cli(["--no-cache", "-f", "json", "pkg/c.py"], tmp_path)
    report = json.loads(out)
    assert [f["code"] for f in report["findings"]] == ["SSOT002"]
    assert [f["symbol"] for f in report["fragmentation"]] == ["pkg.core.Thing"]
    _, out, _ = run_cli(["--no-cache", "-f", "json", "pkg/a.py"], tmp_path)
    report = json.loads(out)
    assert [f["code"] for f in report["findings"]] == ["SSOT001"]
    assert report["fragmentation"] == []
    assert report["summary"]["fragmented_symbols"] == 0


@pytest.mark.parametrize(
    ("choice", "environ", "expected"),
    [
        ("auto", {}, None),
        ("auto", {"NO_COLOR": "1"}, False),
        ("auto", {"FORCE_COLOR": "1"}, True),
        ("auto", {"NO_COLOR": "1", "FORCE_COLOR": "1"}, False),
        ("auto", {"NO_COLOR": ""}, None),  # set but empty means unset (no-color.org)
        ("always", {"NO_COLOR": "1"}, True),
        ("never", {"FORCE_COLOR": "1"}, False),
    ],
)
def test_colour_choice(choice: str, environ: dict[str, str], expected: Optional[bool]) -> None:
    from ssot_scan.cli import use_colour

    assert use_colour(choice, environ) is expected


def test_colour_on_the_command_line_and_from_the_environment(
    tmp_path: Path, run_cli: RunCli, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "__init__.py").write_text("")
    (tmp_path / "pkg" / "a.py").write_text("from pkg import missing\n")
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    _, plain, _ = run_cli(["--no-cache", "."], tmp_path)  # not a terminal: no colour
    assert "\x1b[" not in plain and "SSOT005" in plain
    _, coloured, _ = run_cli(["--no-cache", "--color", "always", "."], tmp_path)
    assert "\x1b[" in coloured
    monkeypatch.setenv("FORCE_COLOR", "1")
    _, forced, _ = run_cli(["--no-cache", "."], tmp_path)
    assert "\x1b[" in forced
    _, never, _ = run_cli(["--no-cache", "--color", "never", "."], tmp_path)
    assert "\x1b[" not in never
    monkeypatch.setenv("NO_COLOR", "1")
    _, off, _ = run_cli(["--no-cache", "."], tmp_path)
    assert "\x1b[" not in off


@pytest.mark.parametrize(
    ("args", "names"),
    [
        (["--max-warnings", "abc", "."], "'--max-warnings'"),
        (["--bogus"], "'--bogus'"),
        (["fix", "--nope"], "`ssot-scan fix --help`"),
        (["no_such_folder"], "'no_such_folder'"),
        (["graph", "--format", "png"], "'png'"),
        (["--output-format"], "'--output-format'"),
    ],
)
def test_a_usage_error_is_one_line_naming_what_is_wrong(
    args: list[str], names: str, tmp_path: Path, run_cli: RunCli
) -> None:
    code, out, err = run_cli(args, tmp_path)
    assert code == 2 and out == ""
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("ssot-scan: error: "), err
    assert names in lines[0]
    assert "Usage:" not in err


def test_an_internal_error_is_one_line_and_exit_2_unless_debug(
    tmp_path: Path, run_cli: RunCli, monkeypatch: pytest.MonkeyPatch
) -> None:
    import ssot_scan.cli

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("the index lost\na module")

    monkeypatch.setattr(ssot_scan.cli, "_run", broken)
    code, out, err = run_cli(["--no-cache", "."], tmp_path)
    assert (code, out) == (2, "")  # never 1, which means "over budget"
    assert err.strip().splitlines() == [
        "ssot-scan: internal error: RuntimeError: the index lost a module "
        "(re-run with --debug for the traceback)"
    ]
    with pytest.raises(RuntimeError, match="the index lost"):
        run_cli(["--no-cache", "--debug", "."], tmp_path)
    # --debug after `--` is a path, not the flag.
    code, _, err = run_cli(["--no-cache", "--", "--debug"], tmp_path)
    assert code == 2 and "'--debug' does not exist" in err


def test_statistics_refuses_a_format_it_cannot_print(tmp_path: Path, run_cli: RunCli) -> None:
    code, out, err = run_cli(["--statistics", "-f", "sarif", "."], tmp_path)
    assert (code, out) == (2, "")
    assert err == "ssot-scan: error: --statistics prints text or json, not --output-format sarif\n"
    code, out, _ = run_cli(["--no-cache", "--statistics", "-f", "json", "."], tmp_path)
    assert code == 0 and json.loads(out)


def test_fix_refuses_a_selection_it_has_nothing_to_do_for(tmp_path: Path, run_cli: RunCli) -> None:
    code, out, err = run_cli(["fix", "--no-cache", "--diff", "--select", "SSOT004", "."], tmp_path)
    assert (code, out) == (2, "")
    assert "the selection (SSOT004) holds none of SSOT001, SSOT002 and SSOT008" in err


def test_fix_honours_the_selection(tmp_path: Path, run_cli: RunCli) -> None:
    root = tmp_path / "app"
    shutil.copytree(Path(__file__).resolve().parents[1] / "fixtures" / "websocket_app", root)
    counts = {}
    for selection in ("SSOT001", "SSOT002", "SSOT001,SSOT002"):
        code, _, err = run_cli(["fix", "--no-cache", "--diff", "--select", selection, "."], root)
        assert code == 1, err
        counts[selection] = err.strip().splitlines()[-1]
    assert counts == {
        "SSOT001": "would move 6 imports in 4 files",
        "SSOT002": "would move 17 imports in 9 files",
        "SSOT001,SSOT002": "would move 17 imports in 9 files",
    }
    code, _, err = run_cli(["fix", "--no-cache", "--diff", "--ignore", "SSOT002", "."], root)
    assert err.strip().splitlines()[-1] == counts["SSOT001"]
