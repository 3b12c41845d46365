"""Shared by the test modules: build a small project in a folder and scan it."""

from __future__ import annotations

import json
import os
import textwrap
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, Optional

from ssot_scan.config import Config, load_config, load_rule_packs
from ssot_scan.result import ScanResult
from ssot_scan.scan import run_scan


def write_files(root: Path, files: dict[str, str]) -> None:
    """Each file below ``root``, as given (folders made as needed)."""
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def write_project(root: Path, files: dict[str, str], config: str = "") -> Path:
    """Files (dedented) plus a pyproject whose ``[tool.ssot-scan]`` table holds ``config``."""
    files = {"pyproject.toml": "[tool.ssot-scan]\n" + textwrap.dedent(config), **files}
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
    return root


def settle(root: Path) -> Path:
    """Date every file under ``root`` an hour back: a project as a later run finds it,
    not one written an instant ago, whose stats the cache does not trust (a file
    changed within the clock tick of a scan may change again unseen: ``cache.is_racy``)."""
    then = time.time_ns() - 3_600_000_000_000
    for path in root.rglob("*"):
        if path.is_file() and not path.is_symlink():
            os.utime(path, ns=(then, then))
    return root


def scan_project(
    root: Path,
    files: dict[str, str],
    config: str = "",
    select: Optional[Iterable[str]] = None,
    configure: Optional[Callable[[Config], None]] = None,
) -> ScanResult:
    """Write the project, load its config (``select`` replaces the codes), scan it."""
    write_project(root, files, config)
    loaded = load_config([root])
    if select is not None:
        loaded.select = list(select)
    if configure is not None:
        configure(loaded)
    load_rule_packs(loaded, [])
    return run_scan([root], loaded)


# The small project several CLI-level test modules share. Three findings in three of
# its files: pkg/a.py:1 SSOT001 (import pkg.old), pkg/b.py:1 SSOT001 (from pkg.old
# import X), pkg/c.py:1 SSOT002 (Thing through pkg.helpers, which only imports it for
# its own use; canonical by most-used: pkg.core).
THREE_FINDINGS_CODE = {
    "pkg/__init__.py": "",
    "pkg/old.py": "X = 1\n",
    "pkg/core.py": "class Thing:\n    pass\n",
    "pkg/helpers.py": "from pkg.core import Thing\n\nDEFAULT = Thing()\n",
    "pkg/a.py": "import pkg.old\n",
    "pkg/b.py": "from pkg.old import X\n",
    "pkg/c.py": "from pkg.helpers import Thing\n",
    "pkg/d.py": "from pkg.core import Thing\n",
}


def three_findings_pyproject(top: str = "", tables: str = "") -> str:
    """Its config: ``top`` goes into [tool.ssot-scan] itself, ``tables`` after it."""
    return f"""\
[tool.ssot-scan]
{top}
{tables}
[[tool.ssot-scan.deprecated]]
module = "pkg.old"
replacement = "pkg.core"
"""


THREE_FINDINGS = {"pyproject.toml": three_findings_pyproject(), **THREE_FINDINGS_CODE}


Located = set[tuple[str, int, str]]


def located(result: ScanResult, code: Optional[str] = None) -> Located:
    """(path, line, code) of every active finding (of ``code`` only, when given)."""
    return {(f.path, f.line, f.code) for f in result.findings if code in (None, f.code)}


def cli_json(
    run_cli: Callable[..., tuple[int, str, str]], cwd: Path, *args: str
) -> tuple[int, dict[str, Any]]:
    """``ssot-scan check --no-cache -f json ARGS`` in ``cwd``: (exit code, report).
    A usage error (exit 2) fails the calling test with what was printed."""
    code, out, err = run_cli(["check", "--no-cache", "-f", "json", *args], cwd)
    assert code in (0, 1), (out, err)
    report: dict[str, Any] = json.loads(out)
    return code, report


def make_unreadable(monkeypatch: Any, name: str) -> Callable[[], None]:
    """Make files called ``name`` fail to read with EACCES, as ``chmod 000`` would
    for a user who is not root (tests may run as root). Returns the undo."""
    from ssot_scan import parallel

    real = parallel.read_source

    def read_source(path: str, *args: Any) -> bytes:
        if Path(path).name == name:
            raise PermissionError(13, "Permission denied", path)
        return real(path, *args)

    monkeypatch.setattr(parallel, "read_source", read_source)
    return lambda: monkeypatch.setattr(parallel, "read_source", real)


def websocket_findings(
    tmp_path: Path, select: Optional[list[str]] = None
) -> tuple[Path, list[Any]]:
    """A copy of the websocket_app fixture and its findings (with its rule packs),
    for tests that rewrite it."""
    import shutil

    from ssot_scan.config import load_config, load_rule_packs
    from ssot_scan.scan import run_scan

    root = tmp_path / "websocket_app"
    shutil.copytree(Path(__file__).resolve().parents[1] / "fixtures" / "websocket_app", root)
    config = load_config([root])
    load_rule_packs(config, [])
    if select is not None:
        config.select = select
    return root, run_scan([root], config).findings
