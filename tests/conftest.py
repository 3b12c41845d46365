"""Shared helpers: build a throwaway project on disk, run the CLI in it."""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Union

import pytest
from click.testing import CliRunner

from ssot_scan.cli import main

FileContents = Union[str, bytes]
MakeProject = Callable[..., Path]
RunCli = Callable[..., tuple[int, str, str]]


def _write_files(root: Path, files: Mapping[str, FileContents]) -> Path:
    for rel, content in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return root


@pytest.fixture
def make_project() -> MakeProject:
    """``make_project(tmp_path, {"pkg/mod.py": "...", ...}) -> tmp_path``.

    Folders are created as needed; ``bytes`` are written as-is, ``str`` as UTF-8.
    """
    return _write_files


@pytest.fixture
def run_cli() -> RunCli:
    """``run_cli(["--flag", "path"], cwd) -> (exit_code, stdout, stderr)``.

    Runs ``ssot_scan.cli.main`` in-process with ``cwd`` as the working folder.
    Exceptions propagate (``catch_exceptions=False``) so a crash fails the test with
    its traceback instead of hiding in an exit code.
    """

    def run(args: Sequence[str], cwd: Path) -> tuple[int, str, str]:
        try:
            runner = CliRunner(mix_stderr=False)  # type: ignore[call-arg]  # click < 8.2
        except TypeError:
            runner = CliRunner()  # click >= 8.2: stderr is always kept apart
        old = os.getcwd()
        os.chdir(cwd)
        try:
            result = runner.invoke(main, list(args), catch_exceptions=False)
        finally:
            os.chdir(old)
        return result.exit_code, result.stdout, result.stderr

    return run
