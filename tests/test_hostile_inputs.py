"""Hostile config, rule packs, baselines and histories: each is a one-line error
naming the file (exit 2), or for a history line a skipped line with a warning;
never a traceback."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

RunCli = Callable[..., "tuple[int, str, str]"]
DEEP = 100_000


def _project(root: Path, table: str = "") -> Path:
    (root / "pkg").mkdir()
    (root / "pkg" / "__init__.py").write_text("")
    (root / "pkg" / "a.py").write_text("import os\n")
    (root / "pyproject.toml").write_text(f"[tool.ssot-scan]\n{table}")
    return root


def _one_line_error(run_cli: RunCli, args: list[str], root: Path, *parts: str) -> None:
    code, _, err = run_cli(args, root)
    assert code == 2, err
    assert len(err.strip().splitlines()) == 1, err[:500]
    assert err.startswith("ssot-scan: error: ")
    for part in parts:
        assert part in err


def test_a_deeply_nested_config_is_an_error(tmp_path: Path, run_cli: RunCli) -> None:
    root = _project(tmp_path, "budget = " + "[" * DEEP + "]" * DEEP + "\n")
    _one_line_error(run_cli, ["--no-cache", "."], root, "pyproject.toml")


def test_a_deeply_nested_rule_pack_is_an_error(tmp_path: Path, run_cli: RunCli) -> None:
    root = _project(tmp_path)
    (root / "pack.toml").write_text("x = " + "[" * DEEP + "]" * DEEP + "\n")
    _one_line_error(run_cli, ["--no-cache", "--rules", "pack.toml", "."], root, "pack.toml")


@pytest.mark.parametrize(
    "content",
    [
        '{"schema_version": 1, "findings": ' + "[" * DEEP + "]" * DEEP + "}",
        '{"schema_version": true, "findings": []}',
        '{"schema_version": -99, "findings": []}',
        '{"schema_version": 1e400, "findings": []}',
        '{"schema_version": NaN, "findings": []}',
    ],
    ids=["nested", "bool-version", "negative-version", "overflow", "nan"],
)
def test_a_hostile_baseline_is_an_error(tmp_path: Path, run_cli: RunCli, content: str) -> None:
    root = _project(tmp_path)
    (root / "base.json").write_text(content)
    _one_line_error(run_cli, ["--no-cache", "--baseline", "base.json", "."], root, "base.json")


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero here")
def test_an_endless_baseline_is_an_error_not_a_memory_blowup(
    tmp_path: Path, run_cli: RunCli
) -> None:
    root = _project(tmp_path)
    _one_line_error(
        run_cli, ["--no-cache", "--baseline", "/dev/zero", "."], root, "not a regular file"
    )


@pytest.mark.parametrize(
    "line",
    [
        '{"by_code": {"SSOT001": 1}, "total": "abc"}',
        '{"by_code": {"SSOT001": 1}, "total": 1e400}',
        '{"by_code": {"SSOT001": true}, "total": 1}',
        "[" * DEEP + "]" * DEEP,
    ],
    ids=["text-total", "overflow", "bool-count", "nested"],
)
def test_a_hostile_history_line_is_skipped_with_a_warning(
    tmp_path: Path, run_cli: RunCli, line: str
) -> None:
    history = tmp_path / "h.jsonl"
    good = '{"by_code": {"SSOT001": 2}, "total": 2, "timestamp": "2026-01-01"}'
    history.write_text(f"{good}\n{line}\n{good}\n")
    code, out, err = run_cli(["trend", str(history)], tmp_path)
    assert code == 0, err
    assert f"{history}:2: skipped:" in err
    assert len(out.strip().splitlines()) == 3  # the header and the two good runs


def test_a_root_that_does_not_exist_is_an_error(tmp_path: Path, run_cli: RunCli) -> None:
    root = _project(tmp_path, 'roots = ["nonexistent"]\n')
    _one_line_error(run_cli, ["--no-cache", "."], root, "'nonexistent' is not a folder")


def test_selecting_no_rule_is_an_error(tmp_path: Path, run_cli: RunCli) -> None:
    root = _project(tmp_path, "select = []\n")
    _one_line_error(run_cli, ["--no-cache", "."], root, "selects no rule")


def _cli(root: Path, stdout: object) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "ssot_scan", "--no-cache", "-f", "json", "."],
        cwd=root,
        stdout=stdout,  # type: ignore[arg-type]
        stderr=subprocess.PIPE,
    )


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="no /dev/full here")
def test_output_to_a_full_device_is_a_one_line_error(tmp_path: Path) -> None:
    root = _project(tmp_path)
    with open("/dev/full", "wb") as full:
        process = _cli(root, full)
        _, err = process.communicate(timeout=120)
    assert process.returncode == 2
    assert (
        err.decode().strip()
        == "ssot-scan: error: cannot write the output: No space left on device"
    )


def test_output_to_a_closed_pipe_is_a_one_line_error(tmp_path: Path) -> None:
    root = _project(tmp_path)
    process = _cli(root, subprocess.PIPE)
    assert process.stdout is not None
    process.stdout.close()  # the reader went away before anything was written
    _, err = process.communicate(timeout=120)
    assert process.returncode == 2
    assert err.decode().strip() == "ssot-scan: error: cannot write the output: Broken pipe"
