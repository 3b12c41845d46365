"""``ssot-scan plan``: a rule pack that makes the consolidation strict, for review."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

from ssot_scan.rulepacks import load_pack
from ssot_scan.tomlcompat import load_toml

RunCli = Callable[..., "tuple[int, str, str]"]
REPO = Path(__file__).resolve().parents[1]


def _copy(tmp_path: Path) -> Path:
    root = tmp_path / "websocket_app"
    shutil.copytree(REPO / "fixtures" / "websocket_app", root)
    return root


def test_the_plan_is_a_valid_rule_pack_with_every_fragment_and_code_deprecation(
    tmp_path: Path, run_cli: RunCli
) -> None:
    root = _copy(tmp_path)
    code, _, err = run_cli(["plan", "--no-cache", "-o", "ssot-plan.toml"], root)
    assert code == 0, err
    data = load_toml(root / "ssot-plan.toml", "plan")
    assert [c["symbol"] for c in data["canonical"]] == [
        "app.websocket_core.unified_manager.WebSocketMessage",
        "app.websocket_core.unified_manager._UnifiedWebSocketManagerImplementation",
        "app.websocket_core.unified_manager.create_websocket_manager",
    ]
    modules = {d.get("module") for d in data["deprecated"]}
    assert "app.websocket_core.manager" in modules  # warns on import
    assert {d.get("symbol") for d in data["deprecated"]} >= {
        "app.websocket_core.websocket_manager_factory.get_websocket_manager"  # @deprecated
    }
    rules = load_pack(str(root / "ssot-plan.toml"), root)
    assert len(rules.canonical) == 3
    assert "wrote ssot-plan.toml: " in err


def test_loading_the_plan_makes_the_declared_symbols_strict(
    tmp_path: Path, run_cli: RunCli
) -> None:
    root = _copy(tmp_path)
    assert run_cli(["plan", "--no-cache", "-o", "ssot-plan.toml"], root)[0] == 0
    select = ["--no-cache", "--select", "SSOT002", "-q", "--exit-zero"]
    _, before, _ = run_cli(select, root)
    _, after, _ = run_cli([*select, "--rules", "ssot-plan.toml"], root)
    before_lines = set(before.splitlines()) - {""}
    after_lines = set(after.splitlines()) - {""}
    assert len(after_lines) > len(before_lines)
    # create_websocket_manager's facade and factory paths were tolerated by the
    # cautious default; declared, every path but the canonical one is reported.
    assert any("create_websocket_manager" in line for line in after_lines - before_lines)


def test_the_plan_goes_to_stdout_by_default(tmp_path: Path, run_cli: RunCli) -> None:
    root = _copy(tmp_path)
    code, out, _ = run_cli(["plan", "--no-cache"], root)
    assert code == 0 and out.startswith("# Written by ssot-scan")
    assert not (root / ".ssot_cache").exists()
