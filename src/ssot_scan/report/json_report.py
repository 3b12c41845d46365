"""JSON output: stable, versioned, documented in the README.

Bump ``SCHEMA_VERSION`` on any change a consumer could notice; adding a key is a
minor change, renaming or removing one a major one.
"""

from __future__ import annotations

import json
from importlib import resources
from typing import Any, Optional, cast

from ssot_scan import __version__
from ssot_scan.findings import Finding
from ssot_scan.result import ScanResult

SCHEMA_VERSION = "1.5"


def finding_json(finding: Finding) -> dict[str, Any]:
    return {
        "code": finding.code,
        "name": finding.name,
        "severity": finding.severity,
        "path": finding.path,
        "line": finding.line,
        "column": finding.column,
        "end_line": finding.end_line,
        "end_column": finding.end_column,
        "message": finding.message,
        "symbol": finding.symbol,
        "imported_from": finding.imported_from,
        "canonical": finding.canonical,
        "context": finding.context,
        "replacement": (
            None
            if finding.replacement is None
            else {
                "module": finding.replacement.module,
                "name": finding.replacement.name,
                "same_object": finding.replacement.same_object,
            }
        ),
        "related": finding.related,
        "fingerprint": finding.fingerprint,
    }


def _baseline_json(result: ScanResult) -> Optional[dict[str, Any]]:
    status = result.baseline
    if status is None:
        return None
    return {
        "path": status.path,
        "entries": status.entries,
        "matched": status.matched,
        "stale": len(status.stale),
        "stale_findings": list(status.stale),
    }


def result_json(result: ScanResult) -> dict[str, Any]:
    return {
        "schema_version": SCHEMA_VERSION,
        "tool": {"name": "ssot-scan", "version": __version__},
        "summary": {
            "files_scanned": result.files_scanned,
            "modules": result.modules,
            "parse_errors": result.parse_errors,
            "total": result.total,
            "by_code": result.by_code,
            "suppressed": len(result.suppressed),
            "baselined": len(result.baselined),
            "fragmented_symbols": len(result.fragments),
            "files_with_findings": result.files_with_findings,
            "compliance_pct": result.compliance_pct,
            "undecidable": result.undecidable,
            "cycles": len(result.cycles),
            "max_warnings": result.max_warnings,
            "over_budget": result.over_budget,
            "project_root": result.project_root,
            "files_analysed": result.files_analysed,
            "scope": result.scope,
        },
        "budget": {
            "over_budget": result.over_budget,
            "budgets": [
                {
                    "name": line.name,
                    "limit": line.limit,
                    "count": line.count,
                    "passed": line.passed,
                }
                for line in result.budgets
            ],
        },
        "baseline": _baseline_json(result),
        "findings": [finding_json(f) for f in result.findings],
        "suppressed": [finding_json(f) for f in result.suppressed],
        "fragmentation": [
            {
                "symbol": fragment.symbol,
                "canonical": fragment.canonical,
                "canonical_source": "declared" if fragment.declared else "derived",
                "paths": fragment.counts,
                "paths_in_use": [
                    {"path": p.path, "sites": p.sites, "names": p.names, "role": p.role}
                    for p in fragment.paths_in_use
                ],
                "unused_exports": fragment.unused_exports,
            }
            for fragment in result.fragments
        ],
        "cycles": [
            {
                "modules": cycle.modules,
                "chain": cycle.chain,
                "breakers": [list(edge) for edge in cycle.breakers],
                "files": cycle.files,
            }
            for cycle in result.cycles
        ],
    }


def report_schema() -> dict[str, Any]:
    """The JSON Schema of this report (shipped in the package)."""
    schema = resources.files("ssot_scan.report").joinpath("schema").joinpath("report.schema.json")
    text = schema.read_text(encoding="utf-8")
    return cast(dict[str, Any], json.loads(text))


def render_json(result: ScanResult, quiet: bool = False) -> str:
    return json.dumps(result_json(result), indent=2, sort_keys=False) + "\n"
