"""The baseline: a ratchet that tolerates today's findings and fails on new ones.

A baseline file lists the fingerprints of the findings a team accepts for now.
Fingerprints are built from the code, the file, the symbol and the normalised import
(never line numbers), so moving or reformatting an import keeps them; two identical
findings in one file are told apart by their order. Matching is a multiset: a
baseline entry tolerates one finding. Entries that no longer match anything are
*stale* — the finding was fixed — and ``baseline --update`` drops them, so the file
can only shrink unless ``--add-new`` is asked for.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

from ssot_scan import __version__
from ssot_scan.errors import UsageError
from ssot_scan.findings import Finding
from ssot_scan.project import in_scope
from ssot_scan.result import BaselineStatus, ScanResult
from ssot_scan.safe_read import NotReadable, parse_json, read_input
from ssot_scan.writes import write_text

SCHEMA_VERSION = 1
DEFAULT_BASELINE = ".ssot-baseline.json"


def _entry(finding: Finding) -> dict[str, Any]:
    return {
        "fingerprint": finding.fingerprint,
        "code": finding.code,
        "path": finding.path,
        "symbol": finding.symbol,
        "message": finding.message,
    }


def baseline_document(entries: list[dict[str, Any]]) -> dict[str, Any]:
    entries = sorted(
        entries, key=lambda e: (str(e.get("path", "")), str(e.get("code", "")), e["fingerprint"])
    )
    return {
        "schema_version": SCHEMA_VERSION,
        "tool": {"name": "ssot-scan", "version": __version__},
        "counts": dict(sorted(Counter(str(e.get("code", "?")) for e in entries).items())),
        "total": len(entries),
        "findings": entries,
    }


def entries_for(findings: list[Finding]) -> list[dict[str, Any]]:
    return [_entry(f) for f in findings]


def rewritten(path: Path, result: ScanResult) -> list[dict[str, Any]]:
    """A new baseline of every current finding under the reported paths; a run over
    some paths keeps the existing file's entries for the rest of the project."""
    entries = entries_for(result.findings)
    if result.scope is None or not path.exists():
        return entries
    return [e for e in load(path) if not _judged(e, result)] + entries


def load(path: Path) -> list[dict[str, Any]]:
    """The entries of a baseline file; any flaw is a usage error naming the file."""
    try:
        text = read_input(str(path), f"{path}: cannot read the baseline")
    except NotReadable as exc:
        raise UsageError(str(exc)) from None
    except FileNotFoundError:
        raise UsageError(
            f"{path}: baseline not found (create it with `ssot-scan baseline`)"
        ) from None
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise UsageError(f"{path}: cannot read the baseline: {reason}") from None
    try:
        data = parse_json(text)
    except ValueError as exc:
        raise UsageError(f"{path}: not a baseline: invalid JSON ({exc})") from None
    if not isinstance(data, dict) or "schema_version" not in data:
        raise UsageError(f"{path}: not an ssot-scan baseline (no schema_version)")
    version = data["schema_version"]
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        raise UsageError(f"{path}: not an ssot-scan baseline (bad schema_version)")
    if version > SCHEMA_VERSION:
        tool = data.get("tool")
        writer = tool.get("version") if isinstance(tool, dict) else None
        writer = writer if isinstance(writer, str) else "a newer version"
        raise UsageError(
            f"{path}: written by ssot-scan {writer} with baseline schema {version}; this "
            f"is ssot-scan {__version__} (schema {SCHEMA_VERSION}): upgrade ssot-scan"
        )
    entries = data.get("findings")
    if not isinstance(entries, list):
        raise UsageError(f"{path}: malformed baseline: 'findings' must be a list")
    for number, entry in enumerate(entries):
        # Only the fingerprint matters for matching; the rest is for people to read.
        if not isinstance(entry, dict) or not isinstance(entry.get("fingerprint"), str):
            raise UsageError(
                f"{path}: malformed baseline: findings[{number}] has no string 'fingerprint'"
            )
    return entries


def write(path: Path, entries: list[dict[str, Any]]) -> None:
    """Write atomically: a reader never sees half a baseline."""
    write_text(path, json.dumps(baseline_document(entries), indent=2) + "\n", "baseline")


def _judged(entry: dict[str, Any], result: ScanResult) -> bool:
    """Does this run speak for the entry? Only for entries under the reported paths:
    a run over one folder says nothing about findings elsewhere (an entry without a
    path cannot be placed, so every run judges it)."""
    path = entry.get("path")
    return not isinstance(path, str) or in_scope(result.scope, path)


def apply(result: ScanResult, entries: list[dict[str, Any]], label: str) -> None:
    """Move findings the baseline tolerates out of ``result.findings``; entries
    under the reported paths that nothing matches are stale (fixed)."""
    entries = [e for e in entries if _judged(e, result)]
    remaining = Counter(e["fingerprint"] for e in entries)
    active: list[Finding] = []
    baselined: list[Finding] = []
    for finding in result.findings:
        if remaining[finding.fingerprint] > 0:
            remaining[finding.fingerprint] -= 1
            baselined.append(finding)
        else:
            active.append(finding)
    stale: list[dict[str, Any]] = []
    for entry in entries:
        if remaining[entry["fingerprint"]] > 0:
            remaining[entry["fingerprint"]] -= 1
            stale.append(entry)
    result.findings = active
    result.baselined = baselined
    result.baseline = BaselineStatus(label, len(entries), len(baselined), stale)
    counts = Counter(f.code for f in active)
    result.by_code = {code: counts.get(code, 0) for code in result.by_code}


def updated(
    entries: list[dict[str, Any]], result: ScanResult, add_new: bool
) -> tuple[list[dict[str, Any]], int, int]:
    """The baseline minus fixed entries (plus new findings with ``add_new``).

    Returns (entries, dropped, added). ``result`` must not have had the baseline
    applied: it holds every current finding.
    """
    current = Counter(f.fingerprint for f in result.findings)
    kept: list[dict[str, Any]] = []
    for entry in entries:
        if not _judged(entry, result):
            kept.append(entry)  # outside the paths this run reports: not its to drop
        elif current[entry["fingerprint"]] > 0:
            current[entry["fingerprint"]] -= 1
            kept.append(entry)
    dropped = len(entries) - len(kept)
    added = 0
    if add_new:
        for finding in result.findings:
            if current[finding.fingerprint] > 0:
                current[finding.fingerprint] -= 1
                kept.append(_entry(finding))
                added += 1
    return kept, dropped, added
