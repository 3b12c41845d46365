"""The monorepo fixture: module names as the import system gives them, on real layouts.

The oracle is ``fixtures/monorepo/EXPECTED.md``, written by hand: its fenced blocks
are parsed here and compared with what the CLI reports.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from helpers import cli_json

RunCli = Callable[..., "tuple[int, str, str]"]

REPO = Path(__file__).resolve().parents[1]
FIXTURE = REPO / "fixtures" / "monorepo"
ORACLE = (FIXTURE / "EXPECTED.md").read_text(encoding="utf-8")
FILES = sorted(p.relative_to(FIXTURE).as_posix() for p in FIXTURE.rglob("*.py"))


def _block(kind: str) -> list[str]:
    match = re.search(rf"```{kind}\n(.*?)```", ORACLE, re.S)
    assert match is not None, kind
    return [line for line in match.group(1).splitlines() if line.strip()]


def _expected_findings() -> list[tuple[str, str, int, int, str]]:
    rows = []
    for line in _block("findings"):
        code, where, symbol = line.split(" — ")[0].split(" ", 2)
        path, row, column = where.rsplit(":", 2)
        rows.append((code, path, int(row), int(column), symbol))
    return rows


def _found(report: dict[str, Any]) -> list[tuple[str, str, int, int, str]]:
    return [
        (f["code"], f["path"], f["line"], f["column"], f["symbol"]) for f in report["findings"]
    ]


def _scan(run_cli: RunCli, cwd: Path, *args: str) -> tuple[int, dict[str, Any]]:
    return cli_json(run_cli, cwd, *args)


@pytest.fixture(scope="module")
def full_report() -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, "-m", "ssot_scan", "--no-cache", "-f", "json", "."],
        cwd=FIXTURE,
        capture_output=True,
        text=True,
        check=False,
    )
    report: dict[str, Any] = json.loads(done.stdout)
    return report


@pytest.fixture
def copy(tmp_path: Path) -> Path:
    """A copy of the fixture to change."""
    target = tmp_path / "monorepo"
    shutil.copytree(FIXTURE, target, ignore=shutil.ignore_patterns(".ssot_cache"))
    return target


def test_findings_match_the_hand_written_oracle(full_report: dict[str, Any]) -> None:
    assert sorted(_found(full_report)) == sorted(_expected_findings())


def test_namespace_portions_and_the_library_named_folder_are_undecidable(
    full_report: dict[str, Any],
) -> None:
    assert full_report["summary"]["undecidable"] == int(_block("undecidable")[0])


def test_every_file_has_the_name_the_import_system_gives_it(run_cli: RunCli) -> None:
    code, out, _ = run_cli(["--show-files"], FIXTURE)
    assert code == 0
    shown = dict(line.split("\t", 1) for line in out.splitlines())
    expected = dict(line.split(" ", 1) for line in _block("names"))
    assert sorted(shown) == sorted(expected) == FILES
    for rel, name in expected.items():
        if name == "-":
            assert shown[rel].startswith("(not importable"), (rel, shown[rel])
        else:
            assert shown[rel] == name


def test_only_the_module_file_beside_its_package_is_shadowed(
    full_report: dict[str, Any],
) -> None:
    (shadowed,) = [f for f in full_report["findings"] if f["code"] == "SSOT006"]
    message = shadowed["message"]
    assert message.startswith("module file `services/billing/events.py` can never be imported")
    assert "the package folder `services/billing/events/`" in message


def test_settings_name_the_root_and_the_first_party_packages(run_cli: RunCli) -> None:
    code, out, _ = run_cli(["--show-settings"], FIXTURE)
    assert code == 0
    settings = dict(line.split(": ", 1) for line in out.splitlines())
    assert settings["project root"].startswith(f"{FIXTURE} (nearest folder with pyproject.toml")
    assert settings["config file"] == "none"
    assert settings["roots (sys.path entries, in order)"] == ". (project root)"
    first_party = "alembic, backups, frontend, scripts, services, tests, vendor_pkg"
    assert settings["first-party"] == first_party
    assert settings["report"] == "the whole project"


@pytest.mark.parametrize("rel", FILES)
def test_one_file_alone_gives_exactly_what_the_full_scan_gives_it(
    rel: str, run_cli: RunCli, full_report: dict[str, Any]
) -> None:
    _, report = _scan(run_cli, FIXTURE, rel)
    expected = [
        f
        for f in full_report["findings"]
        if f["path"] == rel
        or any(
            rel in c["files"]
            for c in full_report["cycles"]
            if f["code"] == "SSOT004" and f["path"] in c["files"]
        )
    ]
    assert report["findings"] == expected
    assert report["summary"]["files_scanned"] == 1
    assert report["summary"]["files_analysed"] == len(FILES)
    assert report["summary"]["scope"] == [rel]


def test_a_cycle_is_reported_when_it_touches_a_named_path(run_cli: RunCli) -> None:
    # The finding sits in service.py; naming api.py, the other module, reports it too.
    _, report = _scan(run_cli, FIXTURE, "services/billing/api.py")
    assert [f["code"] for f in report["findings"]] == ["SSOT004", "SSOT005"]
    assert report["findings"][0]["path"] == "services/billing/service.py"
    assert len(report["cycles"]) == 1
    _, report = _scan(run_cli, FIXTURE, "services/billing/models.py")
    assert report["findings"] == [] and report["cycles"] == []


def test_a_package_shipping_its_own_pyproject_is_not_the_project_root(
    run_cli: RunCli,
) -> None:
    # Its pyproject.toml has no [tool.ssot-scan] table, and its folder has an
    # __init__.py: the root stays the monorepo, `io` stays the standard library's.
    _, report = _scan(run_cli, FIXTURE, "vendor_pkg")
    assert _found(report) == [
        ("SSOT005", "vendor_pkg/core.py", 4, 1, "vendor_pkg.io.readers.write_csv")
    ]
    assert report["summary"]["project_root"] == str(FIXTURE)
    _, report = _scan(run_cli, FIXTURE / "vendor_pkg", ".")
    assert _found(report) == [
        ("SSOT005", "vendor_pkg/core.py", 4, 1, "vendor_pkg.io.readers.write_csv")
    ]


def test_a_git_folder_marks_the_root_when_there_is_no_pyproject(
    copy: Path, run_cli: RunCli, full_report: dict[str, Any]
) -> None:
    # Without any project file the old naming crawled up __init__.py files, so
    # frontend/tests and backups/old_tree/tests both became `tests` and one was
    # reported as shadowed (and never checked).
    (copy / "pyproject.toml").unlink()
    (copy / ".git").mkdir()
    _, report = _scan(run_cli, copy / "frontend", ".")
    assert report["summary"]["project_root"] == str(copy)
    _, report = _scan(run_cli, copy, ".")
    assert _found(report) == _found(full_report)


def test_a_configured_root_does_not_make_the_migrations_folder_hide_the_library(
    copy: Path, run_cli: RunCli, full_report: dict[str, Any]
) -> None:
    (copy / "ssot-scan.toml").write_text('roots = ["."]\n', encoding="utf-8")
    _, report = _scan(run_cli, copy, "alembic")
    assert report["findings"] == []
    _, report = _scan(run_cli, copy, ".")
    assert _found(report) == _found(full_report)


def test_a_baseline_judges_only_entries_under_the_reported_paths(
    copy: Path, run_cli: RunCli
) -> None:
    code, _, err = run_cli(["baseline", "--no-cache", "."], copy)
    assert code == 0, err
    args = ["--no-cache", "--baseline", ".ssot-baseline.json", "--fail-on-stale-baseline"]
    code, out, _ = run_cli([*args, "tests/test_billing.py", "-f", "json"], copy)
    report = json.loads(out)
    assert code == 0
    assert report["baseline"]["stale"] == 0
    assert report["baseline"]["entries"] == 0  # no entry lies under tests/test_billing.py
    code, out, _ = run_cli([*args, "services", "-f", "json"], copy)
    report = json.loads(out)
    assert (code, report["baseline"]["matched"], report["baseline"]["stale"]) == (0, 3, 0)


def test_rewriting_the_baseline_for_some_paths_keeps_the_rest(copy: Path, run_cli: RunCli) -> None:
    assert run_cli(["baseline", "--no-cache", "."], copy)[0] == 0
    before = json.loads((copy / ".ssot-baseline.json").read_text(encoding="utf-8"))
    assert before["total"] == 5
    assert run_cli(["baseline", "--no-cache", "tests"], copy)[0] == 0
    after = json.loads((copy / ".ssot-baseline.json").read_text(encoding="utf-8"))
    assert after["findings"] == before["findings"]
    (copy / "tests" / "test_scripts.py").write_text("", encoding="utf-8")
    assert run_cli(["baseline", "--no-cache", "--update", "tests"], copy)[0] == 0
    updated = json.loads((copy / ".ssot-baseline.json").read_text(encoding="utf-8"))
    assert updated["total"] == 4
    assert "tests/test_scripts.py" not in {e["path"] for e in updated["findings"]}


def _git(folder: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.email=t@example.com", "-c", "user.name=t", *args],
        cwd=folder,
        check=True,
        capture_output=True,
    )


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_diff_base_reports_only_files_changed_since_the_ref(copy: Path, run_cli: RunCli) -> None:
    _git(copy, "init", "-q")
    _git(copy, "add", "-A")
    _git(copy, "commit", "-q", "-m", "base")
    _, report = _scan(run_cli, copy, "--diff-base", "HEAD")
    assert report["findings"] == [] and report["summary"]["scope"] == []
    with (copy / "tests" / "test_scripts.py").open("a", encoding="utf-8") as handle:
        handle.write("\n# touched\n")
    (copy / "tests" / "test_new.py").write_text(
        "from tests.helpers import nothing\n", encoding="utf-8"
    )
    _, report = _scan(run_cli, copy, "--diff-base", "HEAD")
    assert sorted((f["path"], f["line"]) for f in report["findings"]) == [
        ("tests/test_new.py", 1),
        ("tests/test_scripts.py", 1),
    ]
    assert report["summary"]["scope"] == ["tests/test_new.py", "tests/test_scripts.py"]
    _, report = _scan(run_cli, copy, "--diff-base", "HEAD", "services")
    assert report["findings"] == []


def test_diff_base_outside_a_git_checkout_is_a_usage_error(copy: Path, run_cli: RunCli) -> None:
    if subprocess.run(["git", "-C", str(copy), "rev-parse"], capture_output=True).returncode == 0:
        pytest.skip("the temporary folder lies inside a git checkout")
    code, _, err = run_cli(["--no-cache", "--diff-base", "HEAD"], copy)
    assert code == 2
    assert err.strip() == (
        f"ssot-scan: error: --diff-base HEAD: {copy} is not inside a git work tree"
    )


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_diff_base_with_an_unknown_ref_is_a_usage_error(copy: Path, run_cli: RunCli) -> None:
    _git(copy, "init", "-q")
    code, _, err = run_cli(["--no-cache", "--diff-base", "no-such-ref"], copy)
    assert code == 2
    assert err.strip() == "ssot-scan: error: --diff-base no-such-ref: no such commit"
