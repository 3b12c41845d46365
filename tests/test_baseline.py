"""The baseline ratchet: ``ssot-scan baseline`` and ``ssot-scan --baseline FILE``.

A baseline lists the fingerprints of today's findings; a check against it reports only
new ones. Fingerprints are built from the code, the path, the symbol, the normalised
import statement and the occurrence order -- never line numbers -- so unrelated edits
keep them. Every flaw in a baseline file is exit 2 with one ``ssot-scan: error:`` line.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from helpers import THREE_FINDINGS, cli_json, three_findings_pyproject

from ssot_scan import __version__
from ssot_scan.baseline import DEFAULT_BASELINE, SCHEMA_VERSION

MakeProject = Callable[..., Path]
RunCli = Callable[..., "tuple[int, str, str]"]


def pyproject(top: str = "") -> str:
    """The project's config; ``top`` goes into [tool.ssot-scan] itself."""
    return three_findings_pyproject(top)


# Three findings: pkg/a.py SSOT001 (import pkg.old), pkg/b.py SSOT001 (from pkg.old
# import X), pkg/c.py SSOT002 (Thing through pkg.helpers; canonical pkg.core).
PROJECT = THREE_FINDINGS
BASELINE_LINE = re.compile(
    r"^Baseline (?P<path>.+): (?P<tolerated>\d+) findings tolerated, "
    r"(?P<fixed>\d+) entries fixed",
    re.MULTILINE,
)
FINDING_LINE = re.compile(r"^(?P<path>\S+):(?P<line>\d+):(?P<col>\d+): (?P<code>SSOT\d{3}) ", re.M)


@pytest.fixture
def project(tmp_path: Path, make_project: MakeProject) -> Path:
    return make_project(tmp_path, PROJECT)


def check(run_cli: RunCli, cwd: Path, *args: str) -> tuple[int, str, str]:
    return run_cli(["check", "--no-cache", *args], cwd)


def make_baseline(run_cli: RunCli, cwd: Path, *args: str) -> str:
    code, out, err = run_cli(["baseline", "--no-cache", *args], cwd)
    assert code == 0, (out, err)
    return out


def baseline_counts(out: str) -> tuple[int, int]:
    """(tolerated, fixed) from the text summary's Baseline line."""
    match = BASELINE_LINE.search(out)
    assert match, out
    return int(match["tolerated"]), int(match["fixed"])


def reported(out: str) -> list[tuple[str, str]]:
    return [(m["path"], m["code"]) for m in FINDING_LINE.finditer(out)]


def report_json(run_cli: RunCli, cwd: Path, *args: str) -> tuple[int, dict[str, Any]]:
    return cli_json(run_cli, cwd, *args)


def fingerprints(run_cli: RunCli, cwd: Path) -> dict[tuple[str, str], list[str]]:
    """(path, code) -> fingerprints in report order."""
    _, report = report_json(run_cli, cwd, ".")
    found: dict[tuple[str, str], list[str]] = {}
    for finding in report["findings"]:
        found.setdefault((finding["path"], finding["code"]), []).append(finding["fingerprint"])
    return found


def read_baseline(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def assert_one_line_error(code: int, out: str, err: str, *needles: str) -> str:
    assert code == 2, (out, err)
    assert out == ""
    assert err.startswith("ssot-scan: error: "), err
    assert len(err.strip().splitlines()) == 1, err
    assert "Traceback" not in err
    for needle in needles:
        assert needle in err, (needle, err)
    return err


# -- writing a baseline -----------------------------------------------------------------


def test_baseline_writes_the_default_file_at_the_project_root(
    project: Path, run_cli: RunCli
) -> None:
    out = make_baseline(run_cli, project / "pkg")  # run from below the root
    path = project / DEFAULT_BASELINE
    assert path.is_file()
    assert not (project / "pkg" / DEFAULT_BASELINE).exists()
    assert str(path) in out
    assert "3 findings" in out


def test_baseline_document_has_schema_version_tool_counts_and_every_fingerprint(
    project: Path, run_cli: RunCli
) -> None:
    make_baseline(run_cli, project)
    data = read_baseline(project / DEFAULT_BASELINE)
    assert data["schema_version"] == SCHEMA_VERSION
    assert isinstance(data["schema_version"], int)
    assert data["tool"] == {"name": "ssot-scan", "version": __version__}
    assert data["counts"] == {"SSOT001": 2, "SSOT002": 1}
    assert data["total"] == 3
    entries = data["findings"]
    assert isinstance(entries, list)
    assert {(e["path"], e["code"]) for e in entries} == {
        ("pkg/a.py", "SSOT001"),
        ("pkg/b.py", "SSOT001"),
        ("pkg/c.py", "SSOT002"),
    }
    current = fingerprints(run_cli, project)
    assert sorted(e["fingerprint"] for e in entries) == sorted(
        fp for fps in current.values() for fp in fps
    )
    assert all(isinstance(e["fingerprint"], str) and e["fingerprint"] for e in entries)


def test_baseline_file_option_writes_there_instead(project: Path, run_cli: RunCli) -> None:
    make_baseline(run_cli, project, "--baseline", "ci/tolerated.json")
    assert read_baseline(project / "ci" / "tolerated.json")["total"] == 3
    assert not (project / DEFAULT_BASELINE).exists()


def test_baseline_leaves_no_temporary_files(project: Path, run_cli: RunCli) -> None:
    make_baseline(run_cli, project, "--baseline", "ci/b.json")
    make_baseline(run_cli, project, "--baseline", "ci/b.json")
    assert sorted(p.name for p in (project / "ci").iterdir()) == ["b.json"]


# -- checking against a baseline --------------------------------------------------------


def test_check_with_a_baseline_covering_everything_exits_0(project: Path, run_cli: RunCli) -> None:
    make_baseline(run_cli, project)
    code, out, err = check(run_cli, project, "--baseline", DEFAULT_BASELINE, ".")
    assert code == 0, (out, err)
    assert reported(out) == []
    assert "Found 0 findings" in out
    assert baseline_counts(out) == (3, 0)
    assert BASELINE_LINE.search(out)["path"] == DEFAULT_BASELINE  # type: ignore[index]


def test_check_with_a_baseline_reports_only_the_new_finding_and_exits_1(
    project: Path, run_cli: RunCli, make_project: MakeProject
) -> None:
    make_baseline(run_cli, project)
    make_project(project, {"pkg/e.py": "from pkg.old import X\n"})
    code, out, err = check(run_cli, project, "--baseline", DEFAULT_BASELINE, ".")
    assert code == 1, (out, err)
    assert reported(out) == [("pkg/e.py", "SSOT001")]
    assert "Found 1 finding " in out
    assert baseline_counts(out) == (3, 0)


def test_check_without_the_baseline_option_still_reports_everything(
    project: Path, run_cli: RunCli
) -> None:
    make_baseline(run_cli, project)  # the default file exists but nothing names it
    code, out, _ = check(run_cli, project, ".")
    assert code == 1
    assert len(reported(out)) == 3
    assert not BASELINE_LINE.search(out)


def test_json_report_has_the_baseline_block(
    project: Path, run_cli: RunCli, make_project: MakeProject
) -> None:
    make_baseline(run_cli, project)
    make_project(project, {"pkg/e.py": "from pkg.old import X\n", "pkg/a.py": "X = 2\n"})
    code, report = report_json(run_cli, project, "--baseline", DEFAULT_BASELINE, ".")
    assert code == 1
    block = report["baseline"]
    assert block["path"] == DEFAULT_BASELINE
    assert block["entries"] == 3
    assert block["matched"] == 2
    assert block["stale"] == 1
    assert [e["path"] for e in block["stale_findings"]] == ["pkg/a.py"]
    assert report["summary"]["baselined"] == 2
    assert report["summary"]["total"] == 1
    assert report["summary"]["by_code"]["SSOT001"] == 1
    assert [(f["path"], f["code"]) for f in report["findings"]] == [("pkg/e.py", "SSOT001")]


def test_json_report_without_a_baseline_has_no_baseline_status(
    project: Path, run_cli: RunCli
) -> None:
    _, report = report_json(run_cli, project, ".")
    assert report["baseline"] is None
    assert report["summary"]["baselined"] == 0


def test_baseline_survives_the_result_cache(project: Path, run_cli: RunCli) -> None:
    """Applying a baseline must not leak into the cached result the next run reuses."""
    make_baseline(run_cli, project)
    for _ in range(2):
        code, out, _ = run_cli(["--baseline", DEFAULT_BASELINE, "."], project)
        assert code == 0, out
        assert baseline_counts(out) == (3, 0)
    code, out, _ = run_cli(["."], project)  # cached, no baseline: everything again
    assert code == 1
    assert len(reported(out)) == 3


# -- fingerprints survive unrelated edits -----------------------------------------------

EDITS = [
    pytest.param(
        {"pkg/a.py": "import pkg.old\nA = 1\nB = 2\nC = 3\n"},
        {"pkg/a.py": "A = 1\nB = 2\nC = 3\nimport pkg.old\n"},
        id="import-moved-three-lines-down",
    ),
    pytest.param(
        {},
        {"pkg/b.py": "def helper():\n    return 42\n\n\nfrom pkg.old import X\n"},
        id="function-added-above",
    ),
    pytest.param(
        {"pkg/b.py": "from pkg.old import (X)\n"},
        {"pkg/b.py": "from pkg.old import (\n    X,\n)\n"},
        id="parenthesised-import-reformatted-across-lines",
    ),
    pytest.param(
        {},
        {"pkg/b.py": "from pkg.old import (\n    X\n)\n"},
        id="plain-import-wrapped-in-parentheses",
    ),
    pytest.param(
        {},
        {"pkg/a.py": "import   pkg.old   # a comment\n"},
        id="alias-free-import-whitespace",
    ),
    pytest.param(
        {},
        {"pkg/c.py": "from  pkg.helpers  import  Thing\n"},
        id="from-import-whitespace",
    ),
    pytest.param(
        {},
        {"pkg/e.py": "from pkg.core import Thing\n"},
        id="message-changes-when-another-file-uses-the-canonical-path",
    ),
]


@pytest.mark.parametrize(("before", "after"), EDITS)
def test_fingerprints_survive_unrelated_edits(
    tmp_path: Path,
    make_project: MakeProject,
    run_cli: RunCli,
    before: dict[str, str],
    after: dict[str, str],
) -> None:
    root = make_project(tmp_path, {**PROJECT, **before})
    old = fingerprints(run_cli, root)
    make_baseline(run_cli, root)
    make_project(root, after)
    assert fingerprints(run_cli, root) == old
    code, out, err = check(run_cli, root, "--baseline", DEFAULT_BASELINE, ".")
    assert code == 0, (out, err)
    assert reported(out) == []
    assert baseline_counts(out) == (3, 0)


def test_a_line_move_changes_the_line_but_not_the_fingerprint(
    project: Path, run_cli: RunCli, make_project: MakeProject
) -> None:
    _, before = report_json(run_cli, project, ".")
    make_project(project, {"pkg/a.py": "\n\n\nimport pkg.old\n"})
    _, after = report_json(run_cli, project, ".")

    def first_a(report: dict[str, Any]) -> dict[str, Any]:
        found: dict[str, Any] = next(f for f in report["findings"] if f["path"] == "pkg/a.py")
        return found

    assert first_a(before)["line"] == 1
    assert first_a(after)["line"] == 4
    assert first_a(before)["fingerprint"] == first_a(after)["fingerprint"]


def test_renaming_the_file_is_a_new_finding_and_a_fixed_entry(
    project: Path, run_cli: RunCli, make_project: MakeProject
) -> None:
    """The control: the path is part of the fingerprint, so the baseline is not lax."""
    make_baseline(run_cli, project)
    (project / "pkg" / "a.py").unlink()
    make_project(project, {"pkg/a2.py": "import pkg.old\n"})
    code, out, _ = check(run_cli, project, "--baseline", DEFAULT_BASELINE, ".")
    assert code == 1
    assert reported(out) == [("pkg/a2.py", "SSOT001")]
    assert baseline_counts(out) == (2, 1)


def test_changing_the_imported_name_is_a_new_finding(
    project: Path, run_cli: RunCli, make_project: MakeProject
) -> None:
    make_project(project, {"pkg/old.py": "X = 1\nY = 2\n"})
    make_baseline(run_cli, project)
    make_project(project, {"pkg/b.py": "from pkg.old import Y\n"})
    code, out, _ = check(run_cli, project, "--baseline", DEFAULT_BASELINE, ".")
    assert code == 1
    assert reported(out) == [("pkg/b.py", "SSOT001")]
    assert baseline_counts(out) == (2, 1)


# -- identical findings in one file -----------------------------------------------------

ONE_LAZY_IMPORT = "def f():\n    from pkg.old import X\n    return X\n"
TWO_LAZY_IMPORTS = ONE_LAZY_IMPORT + "\n\ndef g():\n    from pkg.old import X\n    return X\n"


def test_two_identical_findings_in_one_file_get_different_fingerprints(
    project: Path, run_cli: RunCli, make_project: MakeProject
) -> None:
    make_project(project, {"pkg/b.py": TWO_LAZY_IMPORTS})
    twins = fingerprints(run_cli, project)[("pkg/b.py", "SSOT001")]
    assert len(twins) == 2
    assert twins[0] != twins[1]


def test_a_baseline_holding_one_of_two_identical_findings_tolerates_exactly_one(
    project: Path, run_cli: RunCli, make_project: MakeProject
) -> None:
    make_project(project, {"pkg/b.py": ONE_LAZY_IMPORT})
    make_baseline(run_cli, project)
    make_project(project, {"pkg/b.py": TWO_LAZY_IMPORTS})
    code, out, err = check(run_cli, project, "--baseline", DEFAULT_BASELINE, ".")
    assert code == 1, (out, err)
    assert reported(out) == [("pkg/b.py", "SSOT001")]
    assert baseline_counts(out) == (3, 0)


def test_removing_one_of_two_identical_findings_leaves_one_fixed_entry(
    project: Path, run_cli: RunCli, make_project: MakeProject
) -> None:
    make_project(project, {"pkg/b.py": TWO_LAZY_IMPORTS})
    make_baseline(run_cli, project)
    assert read_baseline(project / DEFAULT_BASELINE)["counts"]["SSOT001"] == 3
    make_project(project, {"pkg/b.py": ONE_LAZY_IMPORT})
    code, out, _ = check(run_cli, project, "--baseline", DEFAULT_BASELINE, ".")
    assert code == 0
    assert reported(out) == []
    assert baseline_counts(out) == (3, 1)


# -- fixed findings: stale entries ------------------------------------------------------


def test_a_fixed_finding_is_a_stale_entry_and_exits_0_by_default(
    project: Path, run_cli: RunCli, make_project: MakeProject
) -> None:
    make_baseline(run_cli, project)
    make_project(project, {"pkg/a.py": "import pkg.core\n"})
    code, out, _ = check(run_cli, project, "--baseline", DEFAULT_BASELINE, ".")
    assert code == 0
    assert baseline_counts(out) == (2, 1)
    assert "ssot-scan baseline --update" in out  # the hint to shrink it


def test_fail_on_stale_baseline_exits_1_while_entries_are_fixed(
    project: Path, run_cli: RunCli, make_project: MakeProject
) -> None:
    make_baseline(run_cli, project)
    make_project(project, {"pkg/a.py": "import pkg.core\n"})
    code, out, _ = check(
        run_cli, project, "--baseline", DEFAULT_BASELINE, "--fail-on-stale-baseline", "."
    )
    assert code == 1
    assert reported(out) == []
    assert baseline_counts(out) == (2, 1)


def test_fail_on_stale_baseline_exits_0_when_nothing_is_stale(
    project: Path, run_cli: RunCli
) -> None:
    make_baseline(run_cli, project)
    code, out, _ = check(
        run_cli, project, "--baseline", DEFAULT_BASELINE, "--fail-on-stale-baseline", "."
    )
    assert code == 0, out
    assert baseline_counts(out) == (3, 0)


def test_fail_on_stale_baseline_and_exit_zero(
    project: Path, run_cli: RunCli, make_project: MakeProject
) -> None:
    make_baseline(run_cli, project)
    make_project(project, {"pkg/a.py": "import pkg.core\n"})
    code, _, _ = check(
        run_cli,
        project,
        "--baseline",
        DEFAULT_BASELINE,
        "--fail-on-stale-baseline",
        "--exit-zero",
        ".",
    )
    assert code == 0


# -- baseline --update ------------------------------------------------------------------


def _fix_one_and_add_one(root: Path, make_project: MakeProject) -> None:
    make_project(root, {"pkg/a.py": "import pkg.core\n", "pkg/e.py": "from pkg.old import X\n"})


def test_update_drops_fixed_entries_and_never_adds_new_findings(
    project: Path, run_cli: RunCli, make_project: MakeProject
) -> None:
    make_baseline(run_cli, project)
    _fix_one_and_add_one(project, make_project)
    out = make_baseline(run_cli, project, "--update")
    assert "2 entries (1 fixed removed, 0 added)" in out
    data = read_baseline(project / DEFAULT_BASELINE)
    assert {e["path"] for e in data["findings"]} == {"pkg/b.py", "pkg/c.py"}
    assert data["total"] == 2
    assert data["counts"] == {"SSOT001": 1, "SSOT002": 1}
    code, out, _ = check(
        run_cli, project, "--baseline", DEFAULT_BASELINE, "--fail-on-stale-baseline", "."
    )
    assert code == 1  # the new finding is still new
    assert reported(out) == [("pkg/e.py", "SSOT001")]
    assert baseline_counts(out) == (2, 0)


def test_update_with_add_new_adds_the_new_findings(
    project: Path, run_cli: RunCli, make_project: MakeProject
) -> None:
    make_baseline(run_cli, project)
    _fix_one_and_add_one(project, make_project)
    out = make_baseline(run_cli, project, "--update", "--add-new")
    assert "3 entries (1 fixed removed, 1 added)" in out
    data = read_baseline(project / DEFAULT_BASELINE)
    assert {e["path"] for e in data["findings"]} == {"pkg/b.py", "pkg/c.py", "pkg/e.py"}
    assert data["counts"] == {"SSOT001": 2, "SSOT002": 1}
    code, out, _ = check(
        run_cli, project, "--baseline", DEFAULT_BASELINE, "--fail-on-stale-baseline", "."
    )
    assert code == 0, out
    assert baseline_counts(out) == (3, 0)


def test_update_keeps_only_as_many_twins_as_still_occur(
    project: Path, run_cli: RunCli, make_project: MakeProject
) -> None:
    make_project(project, {"pkg/b.py": TWO_LAZY_IMPORTS})
    make_baseline(run_cli, project)
    make_project(project, {"pkg/b.py": ONE_LAZY_IMPORT})
    out = make_baseline(run_cli, project, "--update")
    assert "(1 fixed removed, 0 added)" in out
    assert read_baseline(project / DEFAULT_BASELINE)["counts"]["SSOT001"] == 2


def test_update_honours_the_baseline_option(
    project: Path, run_cli: RunCli, make_project: MakeProject
) -> None:
    make_baseline(run_cli, project, "--baseline", "ci/b.json")
    make_project(project, {"pkg/a.py": "import pkg.core\n"})
    make_baseline(run_cli, project, "--update", "--baseline", "ci/b.json")
    assert read_baseline(project / "ci" / "b.json")["total"] == 2
    assert not (project / DEFAULT_BASELINE).exists()


def test_add_new_without_update_is_a_usage_error(project: Path, run_cli: RunCli) -> None:
    make_baseline(run_cli, project)
    before = (project / DEFAULT_BASELINE).read_text(encoding="utf-8")
    code, out, err = run_cli(["baseline", "--no-cache", "--add-new"], project)
    assert_one_line_error(code, out, err, "--add-new", "--update")
    assert (project / DEFAULT_BASELINE).read_text(encoding="utf-8") == before


def test_update_of_a_missing_baseline_is_exit_2(project: Path, run_cli: RunCli) -> None:
    code, out, err = run_cli(["baseline", "--no-cache", "--update"], project)
    assert_one_line_error(code, out, err, DEFAULT_BASELINE)
    assert not (project / DEFAULT_BASELINE).exists()


# -- a missing, unreadable or malformed baseline: exit 2 --------------------------------


def test_missing_baseline_is_exit_2_naming_the_file(project: Path, run_cli: RunCli) -> None:
    code, out, err = check(run_cli, project, "--baseline", "nowhere.json", ".")
    assert_one_line_error(code, out, err, "nowhere.json", "not found")


def test_baseline_that_is_a_directory_is_exit_2(project: Path, run_cli: RunCli) -> None:
    # click rejects a directory for --baseline before ssot-scan reads it, in click's
    # own format ("Error: Invalid value for '--baseline': ..."), still exit 2.
    (project / "folder.json").mkdir()
    code, out, err = check(run_cli, project, "--baseline", "folder.json", ".")
    assert code == 2, (out, err)
    assert "folder.json" in err
    assert "Traceback" not in err


def test_configured_baseline_that_is_a_directory_is_exit_2(
    tmp_path: Path, make_project: MakeProject, run_cli: RunCli
) -> None:
    root = make_project(
        tmp_path, {**PROJECT, "pyproject.toml": pyproject('baseline = "ci/base.json"')}
    )
    (root / "ci" / "base.json").mkdir(parents=True)
    code, out, err = check(run_cli, root, ".")
    assert_one_line_error(code, out, err, "base.json", "cannot read")


@pytest.mark.skipif(
    not hasattr(os, "geteuid") or os.geteuid() == 0,
    reason="root reads files whatever their mode",
)
def test_unreadable_baseline_is_exit_2(project: Path, run_cli: RunCli) -> None:
    make_baseline(run_cli, project)
    path = project / DEFAULT_BASELINE
    path.chmod(0)
    try:
        code, out, err = check(run_cli, project, "--baseline", DEFAULT_BASELINE, ".")
    finally:
        path.chmod(0o644)
    assert_one_line_error(code, out, err, DEFAULT_BASELINE, "cannot read")


MALFORMED = [
    pytest.param(b"this is not json\n", "invalid JSON", id="not-json"),
    pytest.param(b"", "invalid JSON", id="empty"),
    pytest.param(b"\xff\xfe\x00garbage", "cannot read", id="not-utf8"),
    pytest.param(b"[]", "schema_version", id="json-list"),
    pytest.param(b'{"findings": []}', "schema_version", id="no-schema-version"),
    pytest.param(b'{"schema_version": "1", "findings": []}', "schema_version", id="str-version"),
    pytest.param(b'{"schema_version": 1}', "findings", id="no-findings"),
    pytest.param(b'{"schema_version": 1, "findings": {}}', "findings", id="findings-a-dict"),
    pytest.param(b'{"schema_version": 1, "findings": "abc"}', "findings", id="findings-a-string"),
    pytest.param(
        b'{"schema_version": 1, "findings": [{"code": "SSOT001"}]}',
        "findings",
        id="entry-without-fingerprint",
    ),
    pytest.param(
        b'{"schema_version": 1, "findings": ["abc"]}', "findings", id="entry-not-an-object"
    ),
]


@pytest.mark.parametrize(("content", "reason"), MALFORMED)
def test_malformed_baseline_is_exit_2_naming_the_file(
    project: Path, run_cli: RunCli, content: bytes, reason: str
) -> None:
    (project / "bad-baseline.json").write_bytes(content)
    code, out, err = check(run_cli, project, "--baseline", "bad-baseline.json", ".")
    assert_one_line_error(code, out, err, "bad-baseline.json", reason)


@pytest.mark.parametrize("command", [["check"], ["baseline", "--update"]])
def test_newer_schema_baseline_says_so(project: Path, run_cli: RunCli, command: list[str]) -> None:
    document = {
        "schema_version": SCHEMA_VERSION + 1,
        "tool": {"name": "ssot-scan", "version": "99.0.0"},
        "findings": [{"fingerprint": "x", "layout": "from the future"}],
    }
    (project / "future.json").write_text(json.dumps(document), encoding="utf-8")
    code, out, err = run_cli([*command, "--no-cache", "--baseline", "future.json", "."], project)
    assert_one_line_error(code, out, err, "future.json", "written by ssot-scan 99.0.0", "upgrade")


def test_newer_schema_baseline_without_a_tool_version_says_newer(
    project: Path, run_cli: RunCli
) -> None:
    (project / "future.json").write_text(
        json.dumps({"schema_version": SCHEMA_VERSION + 1, "entries": {}}), encoding="utf-8"
    )
    code, out, err = check(run_cli, project, "--baseline", "future.json", ".")
    assert_one_line_error(code, out, err, "future.json", "newer")


def test_newer_schema_baseline_with_a_malformed_tool_block_is_exit_2(
    project: Path, run_cli: RunCli
) -> None:
    # Regression (fixed in 7f13394): a "tool" that is not an object crashed load() with
    # AttributeError instead of exit 2.
    (project / "future.json").write_text(
        json.dumps({"schema_version": SCHEMA_VERSION + 1, "tool": "ssot-scan", "findings": []}),
        encoding="utf-8",
    )
    code, out, err = check(run_cli, project, "--baseline", "future.json", ".")
    assert_one_line_error(code, out, err, "future.json")


@pytest.mark.parametrize("missing", ["path", "code", "symbol", "message"])
def test_only_the_fingerprint_of_an_entry_is_required(
    project: Path, run_cli: RunCli, missing: str
) -> None:
    # Regression (fixed in 7f13394): load() validated only "fingerprint" but write()
    # sorted and counted by e["path"] and e["code"], so `baseline --update` on entries
    # lacking either crashed with KeyError (a traceback) instead of working or exit 2.
    make_baseline(run_cli, project)
    path = project / DEFAULT_BASELINE
    data = read_baseline(path)
    for entry in data["findings"]:
        del entry[missing]
    path.write_text(json.dumps(data), encoding="utf-8")
    code, out, _ = check(run_cli, project, "--baseline", DEFAULT_BASELINE, ".")
    assert code == 0, out
    assert baseline_counts(out) == (3, 0)
    code, out, err = run_cli(["baseline", "--no-cache", "--update"], project)
    assert code == 0, (out, err)
    assert "3 entries (0 fixed removed, 0 added)" in out
    assert read_baseline(path)["total"] == 3
    code, out, _ = check(run_cli, project, "--baseline", DEFAULT_BASELINE, ".")
    assert code == 0, out
    assert baseline_counts(out) == (3, 0)


# -- the baseline key in config ---------------------------------------------------------


def _configured(tmp_path: Path, make_project: MakeProject, value: str = "ci/base.json") -> Path:
    return make_project(
        tmp_path, {**PROJECT, "pyproject.toml": pyproject(f"baseline = {value!r}")}
    )


def test_configured_baseline_is_written_and_used_without_the_option(
    tmp_path: Path, make_project: MakeProject, run_cli: RunCli
) -> None:
    root = _configured(tmp_path, make_project)
    make_baseline(run_cli, root)
    assert read_baseline(root / "ci" / "base.json")["total"] == 3
    assert not (root / DEFAULT_BASELINE).exists()
    code, out, err = check(run_cli, root, ".")
    assert code == 0, (out, err)
    assert reported(out) == []
    assert baseline_counts(out) == (3, 0)
    assert BASELINE_LINE.search(out)["path"] == "ci/base.json"  # type: ignore[index]


def test_configured_baseline_is_relative_to_the_project_root(
    tmp_path: Path, make_project: MakeProject, run_cli: RunCli
) -> None:
    root = _configured(tmp_path, make_project)
    make_baseline(run_cli, root)
    make_project(root, {"pkg/e.py": "from pkg.old import X\n"})
    code, out, _ = check(run_cli, root / "pkg", ".")  # run from a subfolder
    assert code == 1
    assert reported(out) == [("pkg/e.py", "SSOT001")]
    assert baseline_counts(out) == (3, 0)


def test_baseline_option_overrides_the_configured_one(
    tmp_path: Path, make_project: MakeProject, run_cli: RunCli
) -> None:
    root = _configured(tmp_path, make_project)
    make_baseline(run_cli, root)  # ci/base.json: all three
    make_baseline(run_cli, root, "--select", "SSOT002", "--baseline", "other.json")
    code, out, _ = check(run_cli, root, "--baseline", "other.json", ".")
    assert code == 1
    assert sorted(reported(out)) == [("pkg/a.py", "SSOT001"), ("pkg/b.py", "SSOT001")]
    assert baseline_counts(out) == (1, 0)


def test_configured_baseline_that_is_missing_is_exit_2(
    tmp_path: Path, make_project: MakeProject, run_cli: RunCli
) -> None:
    root = _configured(tmp_path, make_project)
    code, out, err = check(run_cli, root, ".")
    assert_one_line_error(code, out, err, "base.json", "not found")


@pytest.mark.parametrize("value", ["3", "true", '["a.json"]'])
def test_configured_baseline_that_is_not_a_string_is_exit_2(
    tmp_path: Path, make_project: MakeProject, run_cli: RunCli, value: str
) -> None:
    root = make_project(tmp_path, {**PROJECT, "pyproject.toml": pyproject(f"baseline = {value}")})
    code, out, err = check(run_cli, root, ".")
    assert_one_line_error(code, out, err, "pyproject.toml", "baseline")
