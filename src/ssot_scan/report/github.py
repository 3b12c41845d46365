"""GitHub Actions workflow commands: annotations for the findings, then notices.

``::warning file=app/a.py,line=3,col=1,endLine=3,endColumn=23,title=SSOT001
deprecated-import::message`` (``::error`` for an error-severity check). GitHub
shows each on the diff of a pull request and on the run's summary page, but at most
ten warnings and ten errors per step: the rest are dropped without a word. So the
most important come first (errors, then by rule, as the registry orders them), and
when some are left out a closing notice says how many and where the full report is.
Paths start at the repository root (``--path-prefix``, else asked of git), or GitHub
cannot place an annotation of a project in a subfolder.
"""

from __future__ import annotations

from typing import Optional

from ssot_scan.findings import Finding
from ssot_scan.report import ReportOptions
from ssot_scan.result import ScanResult
from ssot_scan.rules import RULES

# What GitHub shows per step and kind; more annotations are silently dropped.
ANNOTATION_LIMIT = 10
_RULE_ORDER = {rule.code: number for number, rule in enumerate(RULES)}


def escape_data(value: str) -> str:
    """A command's message: ``%``, carriage return and newline are percent-encoded."""
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(value: str) -> str:
    """A property value: as data, plus ``:`` and ``,``, which delimit properties."""
    return escape_data(value).replace(":", "%3A").replace(",", "%2C")


def _command(name: str, properties: dict[str, object], message: str) -> str:
    props = ",".join(f"{key}={escape_property(str(value))}" for key, value in properties.items())
    head = f"{name} {props}" if props else name
    return f"::{head}::{escape_data(message)}"


def annotation(finding: Finding, prefix: str = "") -> str:
    command = "error" if finding.severity == "error" else "warning"
    properties: dict[str, object] = {
        "file": f"{prefix}/{finding.path}" if prefix else finding.path
    }
    if finding.line >= 1:
        properties["line"] = finding.line
        if finding.column >= 1:
            properties["col"] = finding.column
        if (finding.end_line, finding.end_column) > (finding.line, finding.column):
            properties["endLine"] = finding.end_line
            properties["endColumn"] = finding.end_column
    properties["title"] = f"{finding.code} {finding.name}"
    return _command(command, properties, finding.message)


def summary_line(result: ScanResult) -> str:
    noun = "finding" if result.total == 1 else "findings"
    per_code = ", ".join(f"{code} {n}" for code, n in result.by_code.items() if n)
    parts = [f"{result.total} {noun}" + (f" ({per_code})" if per_code else "")]
    if result.suppressed:
        parts.append(f"{len(result.suppressed)} suppressed")
    if result.baseline is not None:
        stale = result.stale_baseline
        entries = "entry" if stale == 1 else "entries"
        parts.append(f"{len(result.baselined)} baselined; {stale} baseline {entries} fixed")
    budgets = result.budgets
    if budgets:
        parts.append(
            "budgets: "
            + ", ".join(
                f"{line.name} {line.count}/{line.limit} {'pass' if line.passed else 'FAIL'}"
                for line in budgets
            )
        )
    parts.append(f"{result.files_scanned} files scanned")
    parts.append("result: " + ("fail" if result.over_budget else "pass"))
    return "; ".join(parts)


def _importance(finding: Finding) -> tuple[int, str, int, int]:
    rank = _RULE_ORDER.get(finding.code, len(_RULE_ORDER))
    return (rank, finding.path, finding.line, finding.column)


def shown_annotations(findings: list[Finding]) -> list[Finding]:
    """The findings GitHub will show: the first ``ANNOTATION_LIMIT`` errors and
    warnings, most important first, errors before warnings."""
    errors = sorted((f for f in findings if f.severity == "error"), key=_importance)
    warnings = sorted((f for f in findings if f.severity != "error"), key=_importance)
    return errors[:ANNOTATION_LIMIT] + warnings[:ANNOTATION_LIMIT]


def render_github(
    result: ScanResult, quiet: bool = False, options: Optional[ReportOptions] = None
) -> str:
    options = options or ReportOptions()
    prefix = options.path_prefix.strip("/")
    shown = shown_annotations(result.findings)
    lines = [annotation(f, prefix) for f in shown]
    if not quiet:
        lines.append(_command("notice", {"title": "ssot-scan"}, summary_line(result)))
    hidden = len(result.findings) - len(shown)
    if hidden:
        where = (
            "the full report: " + ", ".join(options.full_reports)
            if options.full_reports
            else "add `--report sarif:FILE` (or run ssot-scan with `-f text`) for all of them"
        )
        noun = "finding is" if hidden == 1 else "findings are"
        lines.append(
            _command(
                "notice",
                {"title": "ssot-scan: more findings"},
                f"{hidden} more {noun} not annotated: GitHub shows at most "
                f"{ANNOTATION_LIMIT} warnings and {ANNOTATION_LIMIT} errors per step; {where}",
            )
        )
    return "\n".join(lines) + ("\n" if lines else "")
