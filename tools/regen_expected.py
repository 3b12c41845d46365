"""Rewrite a fixture's expected.json from the tool's current output.

Run it only after reading the diff against the fixture's hand-written EXPECTED.md:
expected.json is the contract the fixture test holds the tool to, and regenerating it
blindly would turn every regression into the new truth.

    python tools/regen_expected.py fixtures/websocket_app
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

KEEP = ("code", "path", "line", "column", "symbol", "imported_from", "canonical")
SUMMARY = (
    "files_scanned",
    "modules",
    "parse_errors",
    "total",
    "by_code",
    "suppressed",
    "fragmented_symbols",
    "files_with_findings",
    "undecidable",
    "cycles",
)


def reduce(report: dict) -> dict:
    """The parts of a JSON report a fixture pins down exactly."""
    return {
        "summary": {k: report["summary"][k] for k in SUMMARY},
        "findings": [{k: f[k] for k in KEEP} for f in report["findings"]],
        "suppressed": [{k: f[k] for k in KEEP} for f in report["suppressed"]],
        "fragmentation": report["fragmentation"],
    }


def main(fixture: str) -> None:
    out = subprocess.run(
        [sys.executable, "-m", "ssot_scan", fixture, "--output-format", "json", "--quiet"],
        capture_output=True,
        text=True,
        check=False,
    ).stdout
    target = Path(fixture) / "expected.json"
    target.write_text(json.dumps(reduce(json.loads(out)), indent=2) + "\n", encoding="utf-8")
    print(f"wrote {target}")


if __name__ == "__main__":
    main(sys.argv[1])
