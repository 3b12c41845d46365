"""Suppressions that do not rot: what a comment may name, which finding it silences
(a statement's, or one name's), SSOT007 for a name of no rule, SSOT008 for a comment
that silences nothing, and ``per-file-ignores``."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Optional

import pytest
from helpers import located, scan_project

from ssot_scan.result import ScanResult

RunCli = Callable[..., "tuple[int, str, str]"]

# pkg.old warns DeprecationWarning: importing it is SSOT001.
OLD = {
    "pkg/__init__.py": "",
    "pkg/old.py": "import warnings\nwarnings.warn('use pkg.new', DeprecationWarning)\nX = 1\n",
    "pkg/new.py": "X = 1\n",
}


def scan(root: Path, files: dict[str, str], select: Optional[list[str]] = None) -> ScanResult:
    return scan_project(root, {**OLD, **files}, select=select)


def silenced(result: ScanResult) -> set[tuple[str, int, str]]:
    return {(f.path, f.line, f.code) for f in result.suppressed}


@pytest.mark.parametrize(
    "selector",
    ["SSOT001", "ssot001", "SSOT00", "ssot", "deprecated-import", "Deprecated-Import", "ALL"],
)
def test_a_comment_may_name_a_code_a_prefix_or_a_rule_in_any_case(
    tmp_path: Path, selector: str
) -> None:
    result = scan(tmp_path, {"pkg/a.py": f"import pkg.old  # ssot: ignore[{selector}]\n"})
    assert silenced(result) == {("pkg/a.py", 1, "SSOT001")}
    assert located(result) == set()  # neither unknown nor unused


def test_a_name_of_no_rule_is_ssot007_and_silences_nothing(tmp_path: Path) -> None:
    result = scan(tmp_path, {"pkg/a.py": "import pkg.old  # ssot: ignore[SSOT01, deprecated]\n"})
    assert located(result) == {
        ("pkg/a.py", 1, "SSOT001"),
        ("pkg/a.py", 1, "SSOT007"),
    }
    (finding,) = [f for f in result.findings if f.code == "SSOT007"]
    assert finding.column == 19  # at "ssot:"
    assert finding.message.startswith(
        "`# ssot: ignore[SSOT01, deprecated]` names no rule: `SSOT01`, `deprecated`"
    )


def test_a_comment_that_silences_nothing_is_ssot008(tmp_path: Path) -> None:
    result = scan(
        tmp_path,
        {
            "pkg/a.py": "import os  # ssot: ignore\n",
            "pkg/b.py": "import pkg.old  # ssot: ignore[SSOT001, SSOT004]\n",
            "pkg/c.py": "import pkg.old  # ssot: ignore[SSOT001]\n",
        },
    )
    assert located(result, "SSOT008") == {("pkg/a.py", 1, "SSOT008"), ("pkg/b.py", 1, "SSOT008")}
    by_path = {f.path: f.message for f in result.findings if f.code == "SSOT008"}
    assert by_path["pkg/a.py"] == "`# ssot: ignore` silences nothing here: delete it"
    assert by_path["pkg/b.py"] == (
        "`# ssot: ignore[SSOT001, SSOT004]`: `SSOT004` silences nothing here: take it out "
        "of the list"
    )
    assert silenced(result) == {("pkg/b.py", 1, "SSOT001"), ("pkg/c.py", 1, "SSOT001")}


@pytest.mark.parametrize("select", [["SSOT008"], ["SSOT002", "SSOT008"], None])
def test_ssot008_judges_against_every_rule_whatever_the_selection(
    tmp_path: Path, select: Optional[list[str]]
) -> None:
    # The SSOT001 the comment silences is not reported in the first two runs, but it
    # is there: the comment is used, whatever the run selects.
    result = scan(
        tmp_path,
        {
            "pkg/a.py": "import pkg.old  # ssot: ignore[SSOT001]\n",
            "pkg/b.py": "import os  # ssot: ignore[SSOT001]\n",
        },
        select=select,
    )
    assert located(result, "SSOT008") == {("pkg/b.py", 1, "SSOT008")}


def test_a_comment_naming_ssot008_vouches_for_itself_and_nothing_else_does(
    tmp_path: Path,
) -> None:
    result = scan(
        tmp_path,
        {
            "pkg/a.py": "import os  # ssot: ignore[SSOT002, SSOT008]\n",
            "pkg/b.py": "import os  # ssot: ignore[SSOT00]\n",  # a prefix is no vouching
        },
    )
    assert located(result, "SSOT008") == {("pkg/b.py", 1, "SSOT008")}
    assert ("pkg/a.py", 1, "SSOT008") in silenced(result)


MULTI = """\
from pkg.old import (
    X,  # ssot: ignore[SSOT001]
    warnings,
)
"""


def test_a_comment_beside_one_name_silences_that_name_only(tmp_path: Path) -> None:
    result = scan(tmp_path, {"pkg/a.py": MULTI})
    statements = {(f.statement, f.suppressed) for f in result.findings + result.suppressed}
    assert ("from pkg.old import X", True) in statements
    assert ("from pkg.old import warnings", False) in statements
    # On the first line, it is about the whole statement.
    first = MULTI.replace(
        "(\n    X,  # ssot: ignore[SSOT001]", "(  # ssot: ignore[SSOT001]\n    X,"
    )
    result = scan(tmp_path, {"pkg/a.py": first})
    assert not [f for f in result.findings if f.code == "SSOT001"]


def test_per_file_ignores_drop_codes_in_matching_files(tmp_path: Path, run_cli: RunCli) -> None:
    files = {
        **OLD,
        "tests/test_a.py": "import pkg.old\n",
        "pkg/a.py": "import pkg.old\n",
    }
    config = '[tool.ssot-scan.per-file-ignores]\n"tests/**" = ["deprecated-import"]\n'
    result = scan_project(tmp_path, files, config="")
    assert len(located(result, "SSOT001")) == 2
    (tmp_path / "pyproject.toml").write_text("[tool.ssot-scan]\n" + config)
    code, out, _ = run_cli(["--no-cache", "-q", "."], tmp_path)
    assert code == 1
    assert [line.split(":")[0] for line in out.splitlines()] == ["pkg/a.py"]


def test_per_file_ignores_with_an_unknown_code_is_a_usage_error(
    tmp_path: Path, run_cli: RunCli
) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[tool.ssot-scan.per-file-ignores]\n"tests/*" = ["SSOT99"]\n'
    )
    code, out, err = run_cli(["--no-cache", "."], tmp_path)
    assert (code, out) == (2, "")
    assert "per-file-ignores" in err and "SSOT99" in err and len(err.strip().splitlines()) == 1


UNUSED = """\
import os  # ssot: ignore
import pkg.old  # ssot: ignore[SSOT001, SSOT004]  # kept for the old admin pages
from pkg.old import (
    X,  # ssot: ignore[SSOT002]
)
y = 1  # noqa: E501  # ssot: ignore
"""
CLEANED = """\
import os
import pkg.old  # ssot: ignore[SSOT001]  # kept for the old admin pages
from pkg.old import (
    X,
)
y = 1  # noqa: E501
"""


def _project(root: Path, files: dict[str, str]) -> Path:
    for rel, text in {**OLD, **files}.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text)
    return root


def test_fix_takes_out_what_an_unused_suppression_names(tmp_path: Path, run_cli: RunCli) -> None:
    root = _project(tmp_path, {"pkg/a.py": UNUSED})
    code, out, err = run_cli(["fix", "--no-cache", "--diff", "."], root)
    assert code == 1 and "-import os  # ssot: ignore\n" in out and "+import os\n" in out
    assert (root / "pkg/a.py").read_text() == UNUSED  # --diff writes nothing
    assert "would take out 4 unused suppressions" in err
    code, _, err = run_cli(["fix", "--no-cache", "."], root)
    assert code == 0, err
    assert (root / "pkg/a.py").read_text() == CLEANED
    code, out, _ = run_cli(["--no-cache", "--select", "SSOT007,SSOT008", "."], root)
    assert code == 0, out


def test_fix_cleans_a_file_whose_imports_it_also_moves(tmp_path: Path, run_cli: RunCli) -> None:
    root = _project(
        tmp_path,
        {
            "pkg/core.py": "class Thing:\n    pass\n",
            "pkg/helpers.py": "from pkg.core import Thing\n\ndef helper() -> Thing:\n"
            "    return Thing()\n",
            "pkg/b.py": "from pkg.core import Thing\n",
            "pkg/c.py": "from pkg.core import Thing\n",
            "pkg/d.py": "import os  # ssot: ignore[SSOT004]\n\nfrom pkg.helpers import Thing\n",
        },
    )
    code, out, err = run_cli(["fix", "--no-cache", "."], root)
    assert code == 0, err
    assert (root / "pkg/d.py").read_text() == "import os\n\nfrom pkg.core import Thing\n"
    assert out == "moved 1 import in 1 file; took out 1 unused suppression\n"


def test_fix_select_ssot008_only_cleans(tmp_path: Path, run_cli: RunCli) -> None:
    root = _project(tmp_path, {"pkg/a.py": UNUSED})
    code, _, err = run_cli(["fix", "--no-cache", "--select", "SSOT008", "."], root)
    assert code == 0, err
    assert (root / "pkg/a.py").read_text() == CLEANED


def test_an_unclosed_list_silences_nothing_and_is_named(tmp_path: Path) -> None:
    # ``ignore[SSOT002`` used to read as a bare comment and silence every code.
    result = scan(tmp_path, {"pkg/a.py": "import pkg.old  # ssot: ignore[SSOT002\n"})
    assert located(result) == {("pkg/a.py", 1, "SSOT001"), ("pkg/a.py", 1, "SSOT007")}
    (finding,) = [f for f in result.findings if f.code == "SSOT007"]
    assert "`[SSOT002`" in finding.message
