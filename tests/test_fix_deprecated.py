"""``fix`` moves deprecated imports to a replacement proven to be the same object,
lists the rest, checks its work by scanning again, and restores everything on doubt."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from helpers import write_project

from ssot_scan import fix
from ssot_scan.config import load_config
from ssot_scan.discover import discover
from ssot_scan.fix import FileFix, Move
from ssot_scan.project_view import ProjectView

RunCli = Callable[..., "tuple[int, str, str]"]
WARN = "import warnings\n\nwarnings.warn({!r}, DeprecationWarning, stacklevel=2)\n"
PROJECT = {
    "pkg/__init__.py": "",
    "pkg/core.py": "class Thing:\n    pass\n",
    "pkg/shim.py": WARN.format("pkg.shim is deprecated") + "from pkg.core import Thing\n",
    "pkg/old_log.py": WARN.format("deprecated: use pkg.log.get_logger")
    + "central_logger = object()\n",
    "pkg/log.py": "def get_logger():\n    pass\n",
    "app/__init__.py": "",
    "app/main.py": "from pkg.shim import Thing\nfrom pkg.old_log import central_logger\n",
}


def test_fix_moves_a_deprecated_import_to_the_same_object_and_lists_the_rest(
    tmp_path: Path, run_cli: RunCli
) -> None:
    write_project(tmp_path, PROJECT)
    code, out, err = run_cli(["fix", "--no-cache"], tmp_path)
    assert code == 0, err
    assert (tmp_path / "app" / "main.py").read_text() == (
        "from pkg.core import Thing\nfrom pkg.old_log import central_logger\n"
    )
    assert (
        "app/main.py:2: not moved: `get_logger` from `pkg.log` is not shown to be the same "
        "object" in err
    )
    assert "moved 1 import in 1 file" in out
    code, out, _ = run_cli(["fix", "--no-cache"], tmp_path)  # idempotent
    assert code == 0 and "moved 0 imports in 0 files" in out


def test_a_failed_check_after_writing_restores_every_file(
    tmp_path: Path, run_cli: RunCli, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_project(tmp_path, PROJECT)
    before = (tmp_path / "app" / "main.py").read_bytes()
    monkeypatch.setattr(fix, "verify", lambda *args: ["a moved name reaches something else"])
    code, _, err = run_cli(["fix", "--no-cache"], tmp_path)
    assert code == 1
    assert "ssot-scan: error: a moved name reaches something else" in err
    assert "every file was restored" in err
    assert (tmp_path / "app" / "main.py").read_bytes() == before


def test_verify_sees_a_move_that_binds_another_object(tmp_path: Path) -> None:
    write_project(
        tmp_path,
        {**PROJECT, "pkg/other.py": "class Thing:\n    pass\n"},
    )
    view = ProjectView(discover([tmp_path], load_config([tmp_path])), "auto", None)
    item = FileFix(tmp_path / "app" / "main.py", "app/main.py", "", after="")
    item.moves = [Move(1, 1, "Thing", "Thing", "pkg.other", "Thing", "pkg.core.Thing")]
    assert fix.verify([item], view, 0, False) == [
        "app/main.py: `from pkg.other import Thing` reaches `pkg.other.Thing`, "
        "not `pkg.core.Thing`"
    ]
    item.moves = [Move(1, 1, "Thing", "Thing", "pkg.core", "Thing", "pkg.core.Thing")]
    assert fix.verify([item], view, 0, False) == []
