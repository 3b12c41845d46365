"""SARIF 2.1.0 output: for GitHub code scanning and any other SARIF viewer.

One run. ``tool.driver.rules`` holds every check, in registry order, with its
docstring as help; each result points at its rule by id and index. Paths are
relative to ``%SRCROOT%`` (the project root, left for the consumer to resolve), and
columns count Unicode code points, 1-based, the end exclusive — as in the findings.

What is in ``results``:

- active findings (with ``baselineState: "new"`` when a baseline was applied);
- findings the baseline tolerates, with ``baselineState: "unchanged"``;
- findings silenced by ``# ssot: ignore``, with ``suppressions: [{"kind": "inSource"}]``
  (and ``baselineState: "new"`` under a baseline: baselines never hold them).

``partialFingerprints["ssotScan/v1"]`` is the baseline fingerprint, so a viewer tracks
a finding across edits the way ``--baseline`` does.
"""

from __future__ import annotations

import json
import re
from typing import Any, Optional
from urllib.parse import quote

from ssot_scan import __version__
from ssot_scan.findings import Finding
from ssot_scan.result import ScanResult
from ssot_scan.rules import RULES

SARIF_VERSION = "2.1.0"
SARIF_SCHEMA = (
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
)
INFORMATION_URI = "https://pypi.org/project/ssot-scan/"
FINGERPRINT_KEY = "ssotScan/v1"
SRCROOT = "%SRCROOT%"


def _level(severity: str) -> str:
    return "error" if severity == "error" else "warning"


def _markdown(doc: str) -> str:
    """The docstring (reStructuredText-ish) as Markdown: ````x```` to ```x```, and a
    ``Example::`` block (already indented four spaces) to an indented code block."""
    return re.sub(r"::\n", ":\n", doc.replace("``", "`"))


def _rules() -> list[dict[str, Any]]:
    rules = []
    for rule in RULES:
        doc = rule.docs.strip()
        rules.append(
            {
                "id": rule.code,
                "name": rule.name,
                "shortDescription": {"text": rule.summary},
                "fullDescription": {"text": doc},
                "help": {"text": doc, "markdown": _markdown(doc)},
                "defaultConfiguration": {"level": _level(rule.severity)},
            }
        )
    return rules


def _artifact(path: str) -> dict[str, Any]:
    # Percent-encoded: a space, ``%`` or ``:`` in a file name must not break the URI.
    return {"uri": quote(path, safe="/"), "uriBaseId": SRCROOT}


def _region(
    line: int, column: int, end_line: Optional[int] = None, end_column: Optional[int] = None
) -> Optional[dict[str, int]]:
    """A text region; none for a position before line 1 (a whole-file finding).

    An empty span (end == start) is left open-ended: it then runs to the end of the
    line, which is what a viewer can show."""
    if line < 1:
        return None
    region = {"startLine": line}
    if column >= 1:
        region["startColumn"] = column
    if (
        end_line is not None
        and end_column is not None
        and column >= 1
        and end_column >= 1
        and (end_line, end_column) > (line, column)
    ):
        region["endLine"] = end_line
        region["endColumn"] = end_column
    return region


def _physical(path: str, region: Optional[dict[str, int]]) -> dict[str, Any]:
    physical: dict[str, Any] = {"artifactLocation": _artifact(path)}
    if region is not None:
        physical["region"] = region
    return physical


def _fixes(finding: Finding) -> list[dict[str, Any]]:
    statement = finding.rewrite.statement if finding.rewrite is not None else None
    if statement is None:
        return []
    if finding.line < 1 or finding.column < 1:
        return []
    deleted = {
        "startLine": finding.line,
        "startColumn": finding.column,
        "endLine": finding.end_line,
        "endColumn": finding.end_column,
    }
    return [
        {
            "description": {"text": f"Replace the import with `{statement}`"},
            "artifactChanges": [
                {
                    "artifactLocation": _artifact(finding.path),
                    "replacements": [
                        {"deletedRegion": deleted, "insertedContent": {"text": statement}}
                    ],
                }
            ],
        }
    ]


def _result(
    finding: Finding,
    rule_index: dict[str, int],
    baseline_state: Optional[str],
    suppressed: bool,
) -> dict[str, Any]:
    region = _region(finding.line, finding.column, finding.end_line, finding.end_column)
    result: dict[str, Any] = {
        "ruleId": finding.code,
        "ruleIndex": rule_index[finding.code],
        "level": _level(finding.severity),
        "message": {"text": finding.message},
        "locations": [{"physicalLocation": _physical(finding.path, region)}],
        "partialFingerprints": {FINGERPRINT_KEY: finding.fingerprint},
    }
    related = [
        {
            "id": number,
            "physicalLocation": _physical(
                str(item["path"]), _region(int(item.get("line", 0)), int(item.get("column", 0)))
            ),
        }
        for number, item in enumerate(finding.related, start=1)
        if isinstance(item, dict) and "path" in item
    ]
    if related:
        result["relatedLocations"] = related
    fixes = _fixes(finding)
    if fixes:
        result["fixes"] = fixes
    if suppressed:
        result["suppressions"] = [{"kind": "inSource"}]
    if baseline_state is not None:
        result["baselineState"] = baseline_state
    return result


def sarif_log(result: ScanResult) -> dict[str, Any]:
    rules = _rules()
    rule_index = {rule["id"]: number for number, rule in enumerate(rules)}
    under_baseline = result.baseline is not None
    new = "new" if under_baseline else None
    results = [_result(f, rule_index, new, suppressed=False) for f in result.findings]
    results += [_result(f, rule_index, "unchanged", suppressed=False) for f in result.baselined]
    results += [_result(f, rule_index, new, suppressed=True) for f in result.suppressed]
    return {
        "$schema": SARIF_SCHEMA,
        "version": SARIF_VERSION,
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "ssot-scan",
                        "version": __version__,
                        "semanticVersion": __version__,
                        "informationUri": INFORMATION_URI,
                        "rules": rules,
                    }
                },
                "originalUriBaseIds": {
                    SRCROOT: {
                        "description": {
                            "text": "The project root: the folder scanned paths are relative to."
                        }
                    }
                },
                "columnKind": "unicodeCodePoints",
                "results": results,
            }
        ],
    }


def render_sarif(result: ScanResult, quiet: bool = False) -> str:
    return json.dumps(sarif_log(result), indent=2, ensure_ascii=False) + "\n"
