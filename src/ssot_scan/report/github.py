"""GitHub Actions workflow commands: one annotation per finding, then a notice.

``::warning file=app/a.py,line=3,col=1,endLine=3,endColumn=23,title=SSOT001
deprecated-import::message`` (``::error`` for an error-severity check). GitHub
shows each on the diff of a pull request and on the run's summary page.
"""

from __future__ import annotations

from ssot_scan.findings import Finding
from ssot_scan.result import ScanResult


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


def annotation(finding: Finding) -> str:
    command = "error" if finding.severity == "error" else "warning"
    properties: dict[str, object] = {"file": finding.path}
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


def render_github(result: ScanResult, quiet: bool = False) -> str:
    lines = [annotation(f) for f in result.findings]
    if not quiet:
        lines.append(_command("notice", {"title": "ssot-scan"}, summary_line(result)))
    return "\n".join(lines) + ("\n" if lines else "")
