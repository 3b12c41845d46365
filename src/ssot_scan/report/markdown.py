"""Markdown: a summary for a pull-request comment or ``$GITHUB_STEP_SUMMARY``.

A heading with the total and the verdict, the count per enabled code, the budgets,
the baseline, and the most fragmented symbols.
"""

from __future__ import annotations

from ssot_scan.result import ScanResult
from ssot_scan.rules import CHECK_NAMES

TOP_FRAGMENTS = 10


def cell(value: object) -> str:
    """A table cell: ``|`` escaped (GitHub unescapes it in code spans too), one line."""
    text = str(value).replace("|", "\\|")
    return " ".join(text.split())


def code(value: str) -> str:
    """Inline code, unless the text itself holds a backtick."""
    return f"`{cell(value)}`" if "`" not in value else cell(value)


def _table(header: list[str], rows: list[list[str]], right: set[int]) -> list[str]:
    align = ["---:" if i in right else "---" for i in range(len(header))]
    lines = ["| " + " | ".join(header) + " |", "| " + " | ".join(align) + " |"]
    lines.extend("| " + " | ".join(row) + " |" for row in rows)
    return lines


def render_markdown(result: ScanResult, quiet: bool = False) -> str:
    noun = "finding" if result.total == 1 else "findings"
    verdict = "failed" if result.over_budget else "passed"
    lines = [f"## ssot-scan: {result.total} {noun}, {verdict}", ""]
    facts = [
        f"Scanned {result.files_scanned} files ({result.modules} modules); "
        f"{result.compliance_pct}% of files clean"
    ]
    if result.suppressed:
        facts.append(f"{len(result.suppressed)} suppressed")
    lines += ["; ".join(facts) + ".", ""]

    rows = [[code(c), cell(CHECK_NAMES.get(c, "")), str(n)] for c, n in result.by_code.items()]
    rows.append(["**total**", "", f"**{result.total}**"])
    lines += _table(["code", "name", "findings"], rows, right={2})

    budgets = result.budgets
    if budgets:
        lines += ["", "### Budgets", ""]
        lines += _table(
            ["budget", "limit", "count", "result"],
            [
                [
                    cell(line.name),
                    str(line.limit),
                    str(line.count),
                    "pass" if line.passed else "**fail**",
                ]
                for line in budgets
            ],
            right={1, 2},
        )

    if result.baseline is not None:
        status = result.baseline
        lines += [
            "",
            f"Baseline {code(status.path)}: {len(result.baselined)} findings baselined; "
            f"{result.stale_baseline} of its {status.entries} entries no longer occur (fixed).",
        ]

    if result.fragments:
        ranked = sorted(result.fragments, key=lambda f: (-f.site_count, f.symbol))
        lines += ["", "### Top fragmented symbols", ""]
        rows = []
        for fragment in ranked[:TOP_FRAGMENTS]:
            rows.append(
                [
                    code(fragment.symbol),
                    code(fragment.canonical),
                    str(len(fragment.paths_in_use)),
                    str(fragment.site_count),
                    str(len(fragment.unused_exports)),
                ]
            )
        lines += _table(
            ["symbol", "canonical", "paths in use", "sites", "unused exports"],
            rows,
            right={2, 3, 4},
        )
        if len(ranked) > TOP_FRAGMENTS:
            lines += ["", f"... and {len(ranked) - TOP_FRAGMENTS} more."]
    return "\n".join(lines) + "\n"
