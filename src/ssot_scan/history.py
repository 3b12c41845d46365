"""Trend: one JSON line per run, and a table of how the counts moved.

JSON Lines because appending is atomic enough for one line per CI run, a half-
written last line from a killed run can be skipped without losing the rest, and
every tool (jq, pandas, a spreadsheet import) reads it.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Optional

from ssot_scan import __version__
from ssot_scan.errors import UsageError
from ssot_scan.gitinfo import git_line
from ssot_scan.result import ScanResult
from ssot_scan.safe_read import NotReadable, parse_json, read_input


def git_commit(folder: Path) -> Optional[str]:
    """The checked-out commit of the repository holding ``folder``, if any."""
    return git_line(folder, ["rev-parse", "HEAD"], timeout=10)


def record(result: ScanResult, folder: Path) -> dict[str, Any]:
    """One run's counts. ``total`` and ``by_code`` count every current finding,
    baselined ones included: a trend is about how many remain, and with a baseline
    the new ones alone would read zero run after run. ``new`` is what the baseline
    did not tolerate."""
    every = [*result.findings, *result.baselined]
    counts = {code: 0 for code in result.by_code}
    for finding in every:
        counts[finding.code] = counts.get(finding.code, 0) + 1
    return {
        "timestamp": datetime.now(UTC).replace(microsecond=0).isoformat(),
        "commit": git_commit(folder),
        "tool_version": __version__,
        "files_scanned": result.files_scanned,
        "total": len(every),
        "by_code": counts,
        "new": result.total,
        "suppressed": len(result.suppressed),
        "baselined": len(result.baselined),
    }


def append(path: Path, entry: dict[str, Any]) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("a", encoding="utf-8") as handle:
            handle.write(json.dumps(entry, sort_keys=True) + "\n")
    except OSError as exc:
        raise UsageError(f"{path}: cannot append to the history: {exc.strerror or exc}") from None


def read(path: Path) -> tuple[list[dict[str, Any]], list[str]]:
    """Entries, and one notice per line that could not be read (skipped, not fatal)."""
    try:
        lines = read_input(str(path), f"{path}: cannot read the history").splitlines()
    except NotReadable as exc:
        raise UsageError(str(exc)) from None
    except FileNotFoundError:
        raise UsageError(f"{path}: no such history file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"{path}: cannot read the history: {exc}") from None
    entries: list[dict[str, Any]] = []
    notices: list[str] = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            entry = parse_json(line)
            if not isinstance(entry, dict) or not isinstance(entry.get("by_code"), dict):
                raise ValueError("not a run record")
            counts = [entry.get("total", 0), *entry["by_code"].values()]
            if any(isinstance(n, bool) or not isinstance(n, int) for n in counts):
                raise ValueError("a count is not a whole number")
            entries.append(entry)
        except ValueError as exc:
            notices.append(f"{path}:{number}: skipped: {exc}")
    return entries, notices


def trend_table(entries: list[dict[str, Any]]) -> str:
    """Runs as rows, codes as columns, with the change since the first and previous run."""
    if not entries:
        return "no runs recorded\n"
    codes = sorted({code for entry in entries for code in entry["by_code"]})
    header = ["run", "timestamp", "commit", *codes, "total", "vs previous", "vs first"]
    rows: list[list[str]] = []
    first_total = int(entries[0].get("total", 0))
    previous: Optional[int] = None
    for number, entry in enumerate(entries, start=1):
        total = int(entry.get("total", 0))
        rows.append(
            [
                str(number),
                str(entry.get("timestamp", ""))[:19],
                str(entry.get("commit") or "")[:10],
                *(str(entry["by_code"].get(code, 0)) for code in codes),
                str(total),
                _delta(total, previous),
                _delta(total, first_total) if number > 1 else "",
            ]
        )
        previous = total
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
    lines = [
        "  ".join(cell.rjust(width) for cell, width in zip(row, widths, strict=True))
        for row in [header, *rows]
    ]
    return "\n".join(lines) + "\n"


def _delta(now: int, before: Optional[int]) -> str:
    if before is None:
        return ""
    change = now - before
    return f"{change:+d}" if change else "0"
