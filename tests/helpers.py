"""Shared by the test modules: build a small project in a folder and scan it."""

from __future__ import annotations

import textwrap
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Optional

from ssot_scan.config import Config, load_config, load_rule_packs
from ssot_scan.result import ScanResult
from ssot_scan.scan import run_scan


def write_project(root: Path, files: dict[str, str], config: str = "") -> Path:
    """Files (dedented) plus a pyproject whose ``[tool.ssot-scan]`` table holds ``config``."""
    files = {"pyproject.toml": "[tool.ssot-scan]\n" + textwrap.dedent(config), **files}
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
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
