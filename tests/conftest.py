"""Shared helpers: build a throwaway project on disk, run the CLI in it."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Mapping, Sequence
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


_SOURCE_TREE = Path(__file__).resolve().parents[1]


def _snapshot() -> set[str]:
    """Every file and folder under fixtures/, src/ and rules/ (caches of Python's own
    left out): what the suite must leave as it found it."""
    found: set[str] = set()
    for top in ("fixtures", "src", "rules"):
        for path in (_SOURCE_TREE / top).rglob("*"):
            if "__pycache__" not in path.parts and ".egg-info" not in str(path):
                found.add(path.relative_to(_SOURCE_TREE).as_posix())
    return found


@pytest.fixture(scope="session", autouse=True)
def _no_test_writes_into_the_source_tree() -> Iterator[None]:
    """A test that scans a fixture in place must not leave a cache (or anything
    else) behind: the suite fails at the end if one did."""
    before = _snapshot()
    yield
    added = sorted(_snapshot() - before)
    assert not added, f"tests wrote into the source tree: {added[:5]}"
