"""SARIF 2.1.0 output: for GitHub code scanning and any other SARIF viewer.

One run. ``tool.driver.rules`` holds every check, in registry order, with its
documentation as help (no ``helpUri``: there is no published page per rule to point
at, and a link to nothing is worse than none); each result points at its rule by id
and index. Columns count Unicode code points, 1-based, the end exclusive, as in the
findings.

Paths resolve from the repository root, so that code scanning finds the file in a
monorepo whose config sits in a subfolder: each URI is the project root's path
inside the repository (``--path-prefix``, else asked of git) joined to the
finding's path, relative to ``%SRCROOT%``, which ``originalUriBaseIds`` gives as the
repository root's ``file:`` URI.

What is in ``results``: the active findings (``baselineState: "new"`` when a
baseline was applied). GitHub turns every uploaded result into an alert and honours
neither ``baselineState`` nor ``suppressions``, so findings the baseline tolerates
and findings silenced by ``# ssot: ignore`` are left out, unless
``--sarif-include-suppressed`` asks for them: then the first come with
``baselineState: "unchanged"``, the second with ``suppressions: [{"kind": "inSource"}]``.

A result's related locations (SSOT003's other imports) are linked from its message
(``[app/x.py:3](1)``), as SARIF viewers render them. ``partialFingerprints
["ssotScan/v1"]`` is the baseline fingerprint, so a viewer tracks a finding across
edits the way ``--baseline`` does.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any, Optional
from urllib.parse import quote

from ssot_scan import __version__
from ssot_scan.findings import Finding
from ssot_scan.report import ReportOptions
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


def _artifact(path: str, prefix: str) -> dict[str, Any]:
    # Percent-encoded: a space, ``%`` or ``:`` in a file name must not break the URI.
    joined = f"{prefix}/{path}" if prefix else path
    return {"uri": quote(joined, safe="/"), "uriBaseId": SRCROOT}


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


def _physical(path: str, region: Optional[dict[str, int]], prefix: str) -> dict[str, Any]:
    physical: dict[str, Any] = {"artifactLocation": _artifact(path, prefix)}
    if region is not None:
        physical["region"] = region
    return physical


def _fixes(finding: Finding, prefix: str) -> list[dict[str, Any]]:
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
                    "artifactLocation": _artifact(finding.path, prefix),
                    "replacements": [
                        {"deletedRegion": deleted, "insertedContent": {"text": statement}}
                    ],
                }
            ],
        }
    ]


def _escaped(text: str) -> str:
    """Message text with ``\\``, ``[`` and ``]`` escaped, so that only the links
    this report adds read as links."""
    return text.replace("\\", "\\\\").replace("[", "\\[").replace("]", "\\]")


def _result(
    finding: Finding,
    rule_index: dict[str, int],
    baseline_state: Optional[str],
    suppressed: bool,
    prefix: str,
) -> dict[str, Any]:
    region = _region(finding.line, finding.column, finding.end_line, finding.end_column)
    places = [item for item in finding.related if isinstance(item, dict) and "path" in item]
    related = [
        {
            "id": number,
            "physicalLocation": _physical(
                str(item["path"]),
                _region(int(item.get("line", 0)), int(item.get("column", 0))),
                prefix,
            ),
        }
        for number, item in enumerate(places, start=1)
    ]
    message = finding.message
    if related:
        links = ", ".join(
            f"[{_escaped(str(item['path']))}:{int(item.get('line', 0))}]({number})"
            for number, item in enumerate(places, start=1)
        )
        message = f"{_escaped(message)} Related: {links}."
    result: dict[str, Any] = {
        "ruleId": finding.code,
        "ruleIndex": rule_index[finding.code],
        "level": _level(finding.severity),
        "message": {"text": message},
        "locations": [{"physicalLocation": _physical(finding.path, region, prefix)}],
        "partialFingerprints": {FINGERPRINT_KEY: finding.fingerprint},
    }
    if related:
        result["relatedLocations"] = related
    fixes = _fixes(finding, prefix)
    if fixes:
        result["fixes"] = fixes
    if suppressed:
        result["suppressions"] = [{"kind": "inSource"}]
    if baseline_state is not None:
        result["baselineState"] = baseline_state
    return result


def sarif_log(result: ScanResult, options: Optional[ReportOptions] = None) -> dict[str, Any]:
    options = options or ReportOptions()
    prefix = options.path_prefix.strip("/")
    rules = _rules()
    rule_index = {rule["id"]: number for number, rule in enumerate(rules)}
    under_baseline = result.baseline is not None
    new = "new" if under_baseline else None
    results = [_result(f, rule_index, new, False, prefix) for f in result.findings]
    if options.include_suppressed:
        results += [_result(f, rule_index, "unchanged", False, prefix) for f in result.baselined]
        results += [_result(f, rule_index, new, True, prefix) for f in result.suppressed]
    root: dict[str, Any] = {
        "description": {
            "text": "The repository root: every path is relative to it."
            if options.repository_root is not None or prefix
            else "The project root: every path is relative to it."
        }
    }
    base = options.repository_root or (result.project_root if not prefix else None)
    if base:
        root["uri"] = Path(base).resolve().as_uri().rstrip("/") + "/"
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
                "originalUriBaseIds": {SRCROOT: root},
                "columnKind": "unicodeCodePoints",
                "results": results,
            }
        ],
    }


def render_sarif(
    result: ScanResult, quiet: bool = False, options: Optional[ReportOptions] = None
) -> str:
    return json.dumps(sarif_log(result, options), indent=2, ensure_ascii=False) + "\n"
