"""SSOT002 strict mode, and deprecated paths that are never a tolerated facade."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from helpers import located, scan_project

RunCli = Callable[..., "tuple[int, str, str]"]

FACADE = {
    "pkg/__init__.py": "from pkg.core import Thing\n",
    "pkg/core.py": "class Thing:\n    pass\n",
    "app/__init__.py": "",
    "app/a.py": "from pkg import Thing\n",
    "app/b.py": "from pkg import Thing\n",
    "app/c.py": "from pkg.core import Thing\n",
}


def test_cautious_mode_tolerates_the_package_facade(tmp_path: Path) -> None:
    assert located(scan_project(tmp_path, FACADE, select=["SSOT002"])) == set()


def test_strict_mode_reports_every_path_but_the_canonical_one(tmp_path: Path) -> None:
    config = "\n[tool.ssot-scan.non-canonical]\nstrict = true\n"
    result = scan_project(tmp_path, FACADE, config, select=["SSOT002"])
    # Derived canonical: the most used path, `pkg` (2 sites); the defining module's
    # one site is now a finding too.
    assert located(result) == {("app/c.py", 1, "SSOT002")}
    (finding,) = result.findings
    assert finding.canonical == "pkg"


def test_the_strict_flag_overrides_the_config(tmp_path: Path, run_cli: RunCli) -> None:
    scan_project(tmp_path, FACADE)
    code, out, _ = run_cli(["--no-cache", "--select", "SSOT002", "-q"], tmp_path)
    assert (code, out) == (0, "")
    code, out, _ = run_cli(["--no-cache", "--select", "SSOT002", "-q", "--strict"], tmp_path)
    assert code == 1 and out.startswith("app/c.py:1:1: SSOT002 import `Thing` from `pkg`")


@pytest.mark.parametrize("select", [["SSOT002"], ["SSOT001", "SSOT002"]])
def test_a_deprecated_package_is_never_a_tolerated_facade(
    tmp_path: Path, select: list[str]
) -> None:
    # The package warns on import: imports through it are SSOT001 when that is
    # selected, and SSOT002 (canonical pkg.core) when it is not; never nothing.
    files = {
        **FACADE,
        "pkg/__init__.py": (
            "import warnings\n\nfrom pkg.core import Thing\n\n"
            "warnings.warn('use pkg.core', DeprecationWarning, stacklevel=2)\n"
        ),
    }
    result = scan_project(tmp_path, files, select=select)
    code = "SSOT001" if "SSOT001" in select else "SSOT002"
    assert located(result) == {("app/a.py", 1, code), ("app/b.py", 1, code)}
