"""Rewrite a fixture's expected.json (columns, symbols, summary) from the tool's output.

The contract is the fixture's hand-written EXPECTED.md: ``tests/test_fixture.py``
holds the tool's findings to it, and expected.json to it too, so a regenerated view
that disagrees with the oracle still fails. Read the diff before committing one.

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
        [
            sys.executable,
            "-m",
            "ssot_scan",
            fixture,
            "--no-cache",
            "--output-format",
            "json",
            "-q",
        ],
        capture_output=True,
        text=True,
        check=False,
    ).stdout
    target = Path(fixture) / "expected.json"
    target.write_text(json.dumps(reduce(json.loads(out)), indent=2) + "\n", encoding="utf-8")
    print(f"wrote {target}")


if __name__ == "__main__":
    main(sys.argv[1])
