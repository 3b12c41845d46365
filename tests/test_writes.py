"""Every file ssot-scan writes keeps its mode, owner and kind, and is all-or-nothing."""

from __future__ import annotations

import os
import stat
import threading
from collections.abc import Callable
from pathlib import Path

import pytest
from helpers import THREE_FINDINGS

from ssot_scan.errors import UsageError
from ssot_scan.writes import Change, write_all, write_text

RunCli = Callable[..., "tuple[int, str, str]"]
MakeProject = Callable[..., Path]


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_a_rewritten_file_keeps_its_mode(tmp_path: Path) -> None:
    path = tmp_path / "report.txt"
    path.write_text("old")
    path.chmod(0o640)
    write_text(path, "new")
    assert path.read_text() == "new"
    assert _mode(path) == 0o640


def test_a_new_file_gets_the_mode_the_umask_allows_not_0600(tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        write_text(tmp_path / "new.json", "{}")
    finally:
        os.umask(old)
    assert _mode(tmp_path / "new.json") == 0o644


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="needs root")
def test_a_rewritten_file_keeps_its_owner(tmp_path: Path) -> None:
    path = tmp_path / "owned.py"
    path.write_text("x = 1\n")
    os.chown(path, 1234, 4321)
    write_text(path, "x = 2\n")
    info = path.stat()
    assert (info.st_uid, info.st_gid) == (1234, 4321)


def test_a_symlink_is_written_through_and_stays_a_link(tmp_path: Path) -> None:
    target = tmp_path / "real.txt"
    target.write_text("old")
    link = tmp_path / "link.txt"
    link.symlink_to(target)
    write_text(link, "new")
    assert link.is_symlink()
    assert target.read_text() == "new"


def test_a_device_is_written_into_never_replaced(tmp_path: Path) -> None:
    write_text(Path(os.devnull), "into the void")
    assert stat.S_ISCHR(os.stat(os.devnull).st_mode)


def test_a_fifo_is_written_into_never_replaced(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()), daemon=True)
    reader.start()
    write_text(fifo, "through the pipe")
    reader.join(timeout=10)
    assert received == [b"through the pipe"]
    assert stat.S_ISFIFO(fifo.stat().st_mode)


def test_a_folder_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="it is a folder"):
        write_text(tmp_path, "x")


def test_a_dash_is_standard_output(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    write_text(Path("-"), "to stdout\n")
    assert capsys.readouterr().out == "to stdout\n"
    assert not (tmp_path / "-").exists()


def test_write_all_writes_every_file_or_none(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    one, two = tmp_path / "one.py", tmp_path / "two.py"
    one.write_bytes(b"one = 1\n")
    two.write_bytes(b"two = 2\n")
    real_replace = os.replace

    def failing(source: str, target: object) -> None:
        if str(target).endswith("two.py"):
            raise PermissionError(13, "Permission denied")
        real_replace(source, target)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "replace", failing)
    changes = [
        Change(one, b"one = 10\n", b"one = 1\n"),
        Change(two, b"two = 20\n", b"two = 2\n"),
    ]
    with pytest.raises(UsageError, match="restored"):
        write_all(changes)
    assert one.read_bytes() == b"one = 1\n"  # written, then put back
    assert two.read_bytes() == b"two = 2\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["one.py", "two.py"]  # no temp left


def test_write_all_writes_a_file_reached_through_a_link_once(tmp_path: Path) -> None:
    target = tmp_path / "mod.py"
    target.write_bytes(b"a = 1\n")
    link = tmp_path / "alias.py"
    link.symlink_to(target)
    write_all([Change(target, b"a = 2\n", b"a = 1\n"), Change(link, b"a = 2\n", b"a = 1\n")])
    assert target.read_bytes() == b"a = 2\n" and link.is_symlink()
    with pytest.raises(UsageError, match="two different rewrites"):
        write_all([Change(target, b"a = 3\n"), Change(link, b"a = 4\n")])
    assert target.read_bytes() == b"a = 2\n"


def test_the_cli_report_keeps_the_files_mode_and_writes_into_devices(
    tmp_path: Path, make_project: MakeProject, run_cli: RunCli
) -> None:
    make_project(tmp_path, THREE_FINDINGS)
    report = tmp_path / "out" / "report.json"
    report.parent.mkdir()
    report.write_text("{}")
    report.chmod(0o640)
    code, _, err = run_cli(["--no-cache", "-f", "json", "-o", str(report)], tmp_path)
    assert code == 1, err
    assert report.read_text().startswith("{") and _mode(report) == 0o640
    code, _, err = run_cli(["--no-cache", "--report", f"sarif:{os.devnull}"], tmp_path)
    assert code == 1, err
    assert stat.S_ISCHR(os.stat(os.devnull).st_mode)


def _fix_project(tmp_path: Path, make_project: MakeProject) -> Path:
    # pkg/c.py imports Thing through pkg.helpers; fix moves it to pkg.core.
    return make_project(tmp_path, THREE_FINDINGS)


def test_fix_keeps_the_mode_and_rewrites_a_symlinked_module_at_its_target(
    tmp_path: Path, make_project: MakeProject, run_cli: RunCli
) -> None:
    _fix_project(tmp_path, make_project)
    real = tmp_path / "elsewhere" / "c_real.py"
    real.parent.mkdir()
    (tmp_path / "pkg" / "c.py").rename(real)
    (tmp_path / "pkg" / "c.py").symlink_to(real)
    real.chmod(0o664)
    code, _, err = run_cli(["fix", "--no-cache"], tmp_path)
    assert code == 0, err
    assert (tmp_path / "pkg" / "c.py").is_symlink()
    assert real.read_text() == "from pkg.core import Thing\n"
    assert _mode(real) == 0o664


def test_fix_refuses_a_read_only_file_with_a_message(
    tmp_path: Path, make_project: MakeProject, run_cli: RunCli
) -> None:
    _fix_project(tmp_path, make_project)
    path = tmp_path / "pkg" / "c.py"
    path.chmod(0o444)
    code, out, err = run_cli(["fix", "--no-cache"], tmp_path)
    assert code == 0
    assert "pkg/c.py: not rewritten: the file is read-only" in err
    assert path.read_text() == "from pkg.helpers import Thing\n"
    assert "moved 0 imports in 0 files" in out
