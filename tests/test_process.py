"""The one-shot process (``program``) ends at once, without freeing what the scan
built (``ssot_scan.process``): every byte of its output still arrives, its exit
status is the command's, and in-process callers keep nothing."""

from __future__ import annotations

import gc
import io
import json
import os
import subprocess
import sys
import weakref
from pathlib import Path
from typing import Optional

import pytest
from helpers import THREE_FINDINGS_CODE, scan_project, write_project

from ssot_scan import process


def command(
    *args: str, cwd: Path, closed: Optional[int] = None
) -> subprocess.CompletedProcess[str]:
    """``python -m ssot_scan ARGS``, its output captured; started with descriptor
    ``closed`` (1 or 2) closed, when given."""
    return subprocess.run(
        [sys.executable, "-m", "ssot_scan", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        preexec_fn=None if closed is None else (lambda: os.close(closed)),
    )


def test_every_byte_of_a_report_larger_than_a_pipe_arrives(tmp_path: Path) -> None:
    # Many findings: a JSON report of several pipe buffers (64 KiB each), whose
    # last block sits in the interpreter's buffer when the command returns.
    old = "import warnings\nwarnings.warn('pkg.old is deprecated', DeprecationWarning)\nX = 1\n"
    files = {"pkg/__init__.py": "", "pkg/old.py": old}
    for i in range(400):
        files[f"pkg/user_{i}.py"] = "from pkg.old import X\n"
    write_project(tmp_path, files)
    done = command("--no-cache", "-f", "json", ".", cwd=tmp_path)
    assert len(done.stdout) > 3 * 65536
    report = json.loads(done.stdout)
    assert report["summary"]["by_code"]["SSOT001"] == 400
    assert done.returncode == 1, done.stderr  # findings over the budget of 0


def test_the_exit_status_and_messages_are_the_commands(tmp_path: Path) -> None:
    write_project(tmp_path, {"pkg/__init__.py": "", "pkg/a.py": "x = 1\n"})
    assert command("--no-cache", "-q", ".", cwd=tmp_path).returncode == 0
    wrong = command("--no-such-option", cwd=tmp_path)
    assert wrong.returncode == 2
    assert wrong.stderr.startswith("ssot-scan: error: ")
    assert wrong.stdout == ""


def test_a_one_shot_process_keeps_the_last_scan_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(process, "_kept", [])  # as ``program`` starts
    scan_project(tmp_path, THREE_FINDINGS_CODE)
    first = [weakref.ref(kept) for kept in process._kept or []]
    assert len(first) == 2  # the index and the analysis
    gc.collect()
    assert all(ref() is not None for ref in first)  # held, not freed
    scan_project(tmp_path, THREE_FINDINGS_CODE)  # ``fix`` scans again to verify
    gc.collect()
    assert all(ref() is None for ref in first)  # the first is not held through the second
    assert len(process._kept or []) == 2


def test_an_in_process_run_keeps_nothing(tmp_path: Path) -> None:
    assert process._kept is None  # no test process has called ``program``
    result = scan_project(tmp_path, THREE_FINDINGS_CODE)
    assert result.findings
    assert process._kept is None


@pytest.mark.parametrize(
    ("code", "status", "printed"), [(None, 0, ""), (3, 3, ""), ("no", 1, "no\n")]
)
def test_exit_now_ends_with_the_status_systemexit_would_give(
    code: object, status: int, printed: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    ended: list[int] = []

    def _exit(value: int) -> None:
        ended.append(value)
        raise SystemExit(value)  # os._exit never returns

    stdout, stderr = io.StringIO(), io.StringIO()
    stdout.write("pending")
    monkeypatch.setattr(os, "_exit", _exit)
    monkeypatch.setattr(sys, "stdout", stdout)
    monkeypatch.setattr(sys, "stderr", stderr)
    with pytest.raises(SystemExit):
        process.exit_now(code)
    assert ended == [status]
    assert stderr.getvalue() == printed


def test_output_that_cannot_be_flushed_takes_the_ordinary_exit(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    class ClosedPipe(io.StringIO):
        def flush(self) -> None:
            raise BrokenPipeError(32, "Broken pipe")

    def _exit(value: int) -> None:
        raise AssertionError("os._exit would lose what Python reports of the pipe")

    monkeypatch.setattr(os, "_exit", _exit)
    monkeypatch.setattr(sys, "stdout", ClosedPipe())
    with pytest.raises(SystemExit) as raised:
        process.exit_now(1)
    assert raised.value.code == 1


@pytest.mark.skipif(os.name != "posix", reason="closes a descriptor before exec")
def test_a_scan_started_with_its_error_output_closed_ends_with_its_status(
    tmp_path: Path,
) -> None:
    # sys.stderr is None then: the progress bar asked it whether it was a terminal,
    # an "internal error" (exit 2) that could not even be said.
    write_project(tmp_path, THREE_FINDINGS_CODE)
    done = command("--no-cache", ".", cwd=tmp_path, closed=2)
    assert done.returncode == 1  # findings over the budget of 0
    assert "SSOT002" in done.stdout


CLOSED = "ssot-scan: error: cannot write the report to standard output: it is closed\n"


@pytest.mark.skipif(os.name != "posix", reason="closes a descriptor before exec")
@pytest.mark.parametrize(
    ("args", "status", "said"),
    [
        (["--version"], 0, ""),
        (["--no-cache", "-q", "."], 0, ""),
        (["--no-cache", "-o", "-", "."], 2, CLOSED),
        # The report printed by default is as lost: seen as a silent exit 0 with
        # --exit-zero, whatever the report held (a JSON tracker record among them).
        (["--no-cache", "."], 2, CLOSED),
        (["--no-cache", "--exit-zero", "-f", "json", "."], 2, CLOSED),
    ],
)
def test_a_command_started_with_its_output_closed_ends_as_it_would_have(
    tmp_path: Path, args: list[str], status: int, said: str
) -> None:
    # Started with descriptor 1 closed, Python has no sys.stdout (None): a command
    # with nothing to print ends with its own status (it was an "internal error:
    # AttributeError", and then a traceback about flushing); a report that cannot be
    # printed, asked for (``-o -``) or not, is a one-line error.
    write_project(tmp_path, {"pkg/__init__.py": "", "pkg/a.py": "x = 1\n"})
    done = command(*args, cwd=tmp_path, closed=1)
    assert (done.returncode, done.stderr) == (status, said)
