"""Human-readable output: ``path:line:col: CODE message``, then a summary.

Three styles, as ruff has them: ``grouped`` (the default, ``-f text``): a file's
findings in line order, as a reader walks the file and as editors jump through
``path:line:col`` lists, with a blank line between files; ``concise``: one line per
finding and nothing between them, for grep and editors' quickfix lists; ``full``:
each finding with its code frame (the import line marked, two lines around it) and
the import to write instead when the finding knows it. What ties a finding to others
elsewhere (a symbol's other import sites, a cycle's modules) is in its message; the
JSON and SARIF reports keep findings grouped by code and symbol.
"""

from __future__ import annotations

import click

from ssot_scan.findings import Finding, suggested_import
from ssot_scan.report.sources import Sources
from ssot_scan.result import ScanResult

_SEVERITY_COLOUR = {"error": "red", "warning": "yellow"}
_PATHS_SHOWN = 8  # per fragmented symbol in the summary; JSON has them all


def render_text(result: ScanResult, quiet: bool = False, style: str = "grouped") -> str:
    lines: list[str] = []
    previous = None
    sources = Sources(result.project_root) if style == "full" else None
    for finding in sorted(result.findings, key=_reading_order):
        if previous is not None and (
            (style == "grouped" and finding.path != previous) or style == "full"
        ):
            lines.append("")
        previous = finding.path
        location = click.style(f"{finding.path}:{finding.line}:{finding.column}:", bold=True)
        code = click.style(finding.code, fg=_SEVERITY_COLOUR.get(finding.severity), bold=True)
        lines.append(f"{location} {code} {finding.message}")
        if sources is not None:
            lines.extend(_frame(sources, finding))
    if quiet:
        return "\n".join(lines) + ("\n" if lines else "")
    if lines:
        lines.append("")
    lines.extend(_summary(result))
    return "\n".join(lines) + "\n"


def render_concise(result: ScanResult, quiet: bool = False) -> str:
    return render_text(result, quiet, "concise")


def render_full(result: ScanResult, quiet: bool = False) -> str:
    return render_text(result, quiet, "full")


def render_grouped(result: ScanResult, quiet: bool = False) -> str:
    return render_text(result, quiet, "grouped")


def _frame(sources: Sources, finding: Finding) -> list[str]:
    """The finding's code frame (its line marked ``>``, a caret under its column),
    then the import to write instead when the finding knows it."""
    rows = sources.frame(finding.path, finding.line)
    width = len(str(rows[-1][0])) if rows else 1
    lines: list[str] = []
    for number, text in rows:
        marker = ">" if number == finding.line else " "
        lines.append(f"  {marker} {number:>{width}} | {text}")
        if number == finding.line and finding.column >= 1:
            lines.append(f"    {' ' * width} | {' ' * (finding.column - 1)}^")
    suggestion = suggested_import(finding)
    if suggestion:
        lines.append(f"  help: write `{suggestion}` instead")
    return lines


def _reading_order(finding: Finding) -> tuple[str, int, int, str, str]:
    return (finding.path, finding.line, finding.column, finding.code, finding.message)


def _summary(result: ScanResult) -> list[str]:
    per_code = ", ".join(f"{code} {n}" for code, n in result.by_code.items() if n)
    noun = "finding" if result.total == 1 else "findings"
    head = f"Found {result.total} {noun}" + (f" ({per_code})" if per_code else "")
    if result.suppressed:
        head += f"; {len(result.suppressed)} suppressed"
    if result.scope is None or result.files_scanned == result.files_analysed:
        scanned = (
            f"Scanned {_count(result.files_scanned, 'file')} ({result.modules} modules, "
            f"{result.parse_errors} unparseable); {result.compliance_pct}% of files clean."
        )
    else:
        scanned = (
            f"Analysed {_count(result.files_analysed, 'file')} ({result.modules} modules); "
            f"reported on {result.files_scanned} ({result.parse_errors} unparseable), "
            f"{result.compliance_pct}% of them clean."
        )
    lines = [click.style(head + ".", bold=True), scanned]
    if result.fragments:
        lines.append(f"Fragmented symbols: {len(result.fragments)}")
        ranked = sorted(result.fragments, key=lambda f: (-f.site_count, f.symbol))
        for fragment in ranked[:10]:
            in_use = fragment.paths_in_use
            unused = fragment.unused_exports
            lines.append(
                f"  {fragment.symbol}: {len(in_use)} paths in use, {fragment.site_count} sites"
                + (f"; {_count(len(unused), 'unused export')}" if unused else "")
            )
            for path in in_use[:_PATHS_SHOWN]:
                names = ", ".join(path.names)
                lines.append(
                    f"    {path.path} ({path.role}): {_count(path.sites, 'site')}"
                    + (f", as {names}" if names else "")
                )
            if len(in_use) > _PATHS_SHOWN:
                lines.append(f"    ... and {len(in_use) - _PATHS_SHOWN} more paths in use")
        if len(ranked) > 10:
            lines.append(f"  ... and {len(ranked) - 10} more (see --output-format json)")
    if result.baseline is not None:
        status = result.baseline
        line = (
            f"Baseline {status.path}: {status.matched} findings tolerated, "
            f"{len(status.stale)} entries fixed"
        )
        if status.stale:
            line += " (shrink it with `ssot-scan baseline --update`)"
        lines.append(line + ".")
    for budget in result.budgets:
        verdict = "ok" if budget.passed else click.style("over budget", fg="red", bold=True)
        what = "findings" if budget.name == "total" else budget.name
        lines.append(f"Budget {what}: {budget.count} of at most {budget.limit}: {verdict}.")
    if result.project_root:
        line = f"Project root: {result.project_root}"
        if result.scope is not None:
            shown = ", ".join(result.scope[:5]) + (" ..." if len(result.scope) > 5 else "")
            line += f" (reported: {shown or 'no changed files'})"
        lines.append(line + ".")
    return lines


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"
