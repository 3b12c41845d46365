"""The consolidation loop on the fixture that reproduces CASE.md's tangle: ``plan``,
then ``fix`` with the plan loaded, leaves only the SSOT001/SSOT002 findings the fix
refused and listed; a second ``fix`` changes nothing."""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

RunCli = Callable[..., "tuple[int, str, str]"]
REPO = Path(__file__).resolve().parents[1]
SELECT = ["--no-cache", "--rules", "ssot-plan.toml", "--select", "SSOT001,SSOT002"]


def _findings(run_cli: RunCli, root: Path) -> list[dict[str, Any]]:
    _, out, _ = run_cli([*SELECT, "-f", "json", "--exit-zero"], root)
    findings: list[dict[str, Any]] = json.loads(out)["findings"]
    return findings


def test_plan_then_fix_leaves_only_what_the_fix_refused_and_listed(
    tmp_path: Path, run_cli: RunCli
) -> None:
    root = tmp_path / "websocket_app"
    shutil.copytree(REPO / "fixtures" / "websocket_app", root)
    assert run_cli(["plan", "--no-cache", "-o", "ssot-plan.toml"], root)[0] == 0
    before = _findings(run_cli, root)
    code, _, err = run_cli(["fix", *SELECT[:3]], root)
    assert code == 0, err
    listed = set(re.findall(r"warning: ([\w/.]+\.py):(\d+)", err))
    whole_files = set(re.findall(r"warning: ([\w/.]+\.py): not rewritten", err))
    refused = {
        (f["path"], f["code"], f["symbol"])
        for f in before
        if (f["path"], str(f["line"])) in listed or f["path"] in whole_files
    }
    after = _findings(run_cli, root)
    assert len(after) < len(before)
    assert {(f["path"], f["code"], f["symbol"]) for f in after} <= refused
    assert "moved 0 imports" in run_cli(["fix", *SELECT[:3]], root)[1]
