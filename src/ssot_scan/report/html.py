"""A self-contained HTML report: one file, no network, fit to keep as a CI artifact.

Everything is inline (CSS, a little JavaScript, SVG drawn by ``graphs.layout``), so
the file opens offline years later. The page works without JavaScript: the tables
are plain tables and the details are ``<details>``; the script only adds sorting,
filtering and, for tests, a record of what the browser rendered. Big projects keep
every count, but the detail stops at fixed limits, and the page says what it left out.
"""

from __future__ import annotations

from html import escape
from importlib import resources
from typing import Any, Optional

import msgspec

from ssot_scan import __version__
from ssot_scan.findings import Finding, suggested_import
from ssot_scan.graphs.layout import draw
from ssot_scan.graphs.result_maps import cycle_map, fragment_map
from ssot_scan.graphs.style import FILLS
from ssot_scan.report.sources import Sources
from ssot_scan.result import DRAWN_CYCLE_LIMIT, Cycle, FragmentSummary, ScanResult
from ssot_scan.rules import BY_CODE

TABLE_ROWS = 5000  # findings listed in the table
FRAMED = 400  # findings shown with a code frame, in the per-code sections
MAPS = 10  # fragmented symbols drawn
DRAWN_CYCLES = 10


class _Page(msgspec.Struct):
    """What the page left out, said at its foot."""

    left_out: list[str] = msgspec.field(default_factory=list)


def render_html(
    result: ScanResult, quiet: bool = False, history: Optional[list[dict[str, Any]]] = None
) -> str:
    """The report page. ``history``: the entries of ``--history FILE`` (oldest
    first), drawn as a trend chart when there are two or more."""
    page = _Page()
    sections = [
        _header(result),
        _trend(history or []),
        _table(result, page),
        _by_code(result, page),
        _fragmentation(result, page),
        _cycles(result, page),
    ]
    body = "\n".join(s for s in sections if s)
    foot = "".join(f"<li>{escape(line)}</li>" for line in page.left_out)
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>ssot-scan report: {result.total} findings</title>"
        f"<style>{_asset('report.css')}</style></head><body>\n{body}\n"
        "<footer>"
        + (f"<h2>Left out of this page</h2><ul class='left-out'>{foot}</ul>" if foot else "")
        + f"<p>ssot-scan {escape(__version__)}"
        + (
            f" · project root <code>{escape(result.project_root)}</code>"
            if result.project_root
            else ""
        )
        + "</p></footer>\n"
        f"<script>{_asset('report.js')}</script></body></html>\n"
    )


# -- header --------------------------------------------------------------------------
def _header(result: ScanResult) -> str:
    verdict = "over budget" if result.over_budget else "within budget"
    budgets = "".join(
        f"<li>{escape('findings' if b.name == 'total' else b.name)}: {b.count} of at most "
        f"{b.limit} — <strong class='{'fail' if not b.passed else 'pass'}'>"
        f"{'over budget' if not b.passed else 'ok'}</strong></li>"
        for b in result.budgets
    )
    cards = [
        ("findings", str(result.total)),
        ("files clean", f"{result.compliance_pct}%"),
        ("files scanned", str(result.files_scanned)),
        ("fragmented symbols", str(len(result.fragments))),
        ("import cycles", str(len(result.cycles))),
        ("suppressed", str(len(result.suppressed))),
    ]
    if result.baseline is not None:
        cards.append(("baselined", str(len(result.baselined))))
    codes = "".join(
        f"<tr><td><a href='#{code}'>{code}</a></td><td>{escape(BY_CODE[code].name)}</td>"
        f"<td class='num'>{count}</td></tr>"
        for code, count in result.by_code.items()
    )
    return (
        "<header><h1>ssot-scan report</h1>"
        f"<p class='verdict {'fail' if result.over_budget else 'pass'}' id='verdict'>"
        f"{escape(verdict)}</p>"
        "<div class='cards'>"
        + "".join(
            f"<div class='card'><b>{escape(v)}</b><span>{escape(k)}</span></div>" for k, v in cards
        )
        + "</div>"
        + (f"<ul class='budgets'>{budgets}</ul>" if budgets else "")
        + "<table class='codes'><thead><tr><th>code</th><th>rule</th><th>findings</th></tr>"
        f"</thead><tbody>{codes}</tbody></table>"
        + (
            f"<p class='muted'>{result.undecidable} first-party names could not be decided "
            "statically (counted, not reported).</p>"
            if result.undecidable
            else ""
        )
        + "<nav><a href='#trend'>trend</a> · <a href='#findings'>findings</a> · "
        "<a href='#fragmentation'>fragmentation</a> · <a href='#cycles'>cycles</a></nav>"
        "</header>"
    )


# -- trend -----------------------------------------------------------------------------
_LINE_COLOURS = (
    "#1f4e79",
    "#c00000",
    "#38761d",
    "#b45f06",
    "#741b47",
    "#0b8a8a",
    "#7f6000",
    "#5b5bd6",
    "#888888",
)


def _trend(history: list[dict[str, Any]]) -> str:
    if len(history) < 2:
        note = (
            "Record runs with <code>--history FILE</code> to see the counts move."
            if not history
            else "One run recorded so far; the chart needs two."
        )
        return f"<section id='trend'><h2>Trend</h2><p class='muted'>{note}</p></section>"
    series: dict[str, list[int]] = {"total": [int(e.get("total", 0)) for e in history]}
    codes = sorted({c for e in history for c in (e.get("by_code") or {})})
    for code in codes:
        series[code] = [int((e.get("by_code") or {}).get(code, 0)) for e in history]
    width, height, left, bottom = 720, 260, 48, 36
    top = max(max(v) for v in series.values()) or 1
    step = (width - left - 16) / (len(history) - 1)

    def x(i: int) -> float:
        return left + i * step

    def y(value: int) -> float:
        return height - bottom - (height - bottom - 12) * value / top

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="trend" width="{width}" '
        f'height="{height}" viewBox="0 0 {width} {height}" role="img">',
        f'<line x1="{left}" y1="{y(0)}" x2="{width - 8}" y2="{y(0)}" stroke="#999"/>',
        f'<line x1="{left}" y1="12" x2="{left}" y2="{y(0)}" stroke="#999"/>',
        f'<text x="{left - 6}" y="{y(top) + 4}" text-anchor="end">{top}</text>',
        f'<text x="{left - 6}" y="{y(0) + 4}" text-anchor="end">0</text>',
    ]
    one_day = len({str(e.get("timestamp", ""))[:10] for e in history}) == 1
    for i, entry in enumerate(history):
        if len(history) <= 12 or i in (0, len(history) - 1):
            stamp = _stamp(str(entry.get("timestamp", "")), one_day)
            anchor = "start" if i == 0 else "end" if i == len(history) - 1 else "middle"
            parts.append(
                f'<text x="{x(i):.1f}" y="{height - 14}" text-anchor="{anchor}">'
                f"{escape(stamp)}</text>"
            )
    legend = []
    for number, (name, values) in enumerate(series.items()):
        colour = _LINE_COLOURS[number % len(_LINE_COLOURS)]
        points = " ".join(f"{x(i):.1f},{y(v):.1f}" for i, v in enumerate(values))
        wide = 3 if name == "total" else 1.5
        parts.append(
            f'<polyline class="series" data-series="{escape(name)}" points="{points}" '
            f'fill="none" stroke="{colour}" stroke-width="{wide}"><title>{escape(name)}: '
            f"{' → '.join(str(v) for v in values)}</title></polyline>"
        )
        legend.append(
            f"<li><span style='background:{colour}'></span>{escape(name)} {values[-1]}</li>"
        )
    parts.append("</svg>")
    first, last = (escape(str(e.get("timestamp", ""))) for e in (history[0], history[-1]))
    return (
        "<section id='trend'><h2>Trend</h2>"
        f"<p class='muted'>{len(history)} runs, from {first} to {last}.</p>"
        + "".join(parts)
        + f"<ul class='legend'>{''.join(legend)}</ul></section>"
    )


def _stamp(timestamp: str, one_day: bool) -> str:
    """An axis label: the date, or the time of day when every run is on one day."""
    return timestamp[11:16] if one_day else timestamp[:10]


# -- the findings table ----------------------------------------------------------------
def _table(result: ScanResult, page: _Page) -> str:
    findings = sorted(result.findings, key=Finding.sort_key)
    shown = findings[:TABLE_ROWS]
    if len(findings) > len(shown):
        page.left_out.append(
            f"The findings table lists the first {len(shown)} of {len(findings)} findings "
            "(the JSON report has them all)."
        )
    rows = "".join(
        f"<tr data-code='{f.code}'><td><a href='#{f.code}'>{f.code}</a></td>"
        f"<td>{escape(f.path)}</td><td class='num'>{f.line}</td>"
        f"<td>{_code(f.symbol or '')}</td><td>{escape(f.message)}</td></tr>"
        for f in shown
    )
    options = "".join(
        f"<option value='{code}'>{code}</option>" for code, n in result.by_code.items() if n
    )
    return (
        "<section id='findings'><h2>Findings</h2>"
        "<div class='filters' hidden><label>Code <select data-filter='code'>"
        f"<option value=''>all</option>{options}</select></label> "
        "<label>Search <input type='search' data-filter='text' "
        "placeholder='path, symbol or message'></label> <span class='shown'></span></div>"
        "<table class='findings sortable'><thead><tr><th>code</th><th>path</th>"
        "<th>line</th><th>symbol</th><th>message</th></tr></thead>"
        f"<tbody>{rows}</tbody></table>"
        + ("<p class='muted'>No findings.</p>" if not findings else "")
        + "</section>"
    )


def _code(text: str) -> str:
    return f"<code>{escape(text)}</code>" if text else ""


# -- per code, grouped by target, with code frames ---------------------------------------
def _by_code(result: ScanResult, page: _Page) -> str:
    sources = Sources(result.project_root)
    budget = FRAMED
    parts = ["<section id='by-code'><h2>By rule</h2>"]
    for code, count in result.by_code.items():
        if not count:
            continue
        rule = BY_CODE[code]
        parts.append(
            f"<section id='{code}' class='rule'><h3>{code} {escape(rule.name)} "
            f"<span class='count'>{count}</span></h3><p class='muted'>{escape(rule.summary)}</p>"
        )
        groups: dict[str, list[Finding]] = {}
        for finding in sorted(result.findings, key=Finding.sort_key):
            if finding.code == code:
                groups.setdefault(_target(finding), []).append(finding)
        for target, members in groups.items():
            parts.append(
                f"<details class='group'><summary>{_code(target)} "
                f"<span class='count'>{len(members)}</span></summary>"
            )
            for finding in members:
                frame = ""
                if budget > 0:
                    frame = _frame(sources.frame(finding.path, finding.line), finding.line)
                    budget -= 1
                suggestion = suggested_import(finding)
                parts.append(
                    "<div class='finding'>"
                    f"<p><a class='loc'>{escape(finding.path)}:{finding.line}:"
                    f"{finding.column}</a> {escape(finding.message)}</p>{frame}"
                    + (
                        f"<p class='suggest'>Instead: <code>{escape(suggestion)}</code></p>"
                        if suggestion
                        else ""
                    )
                    + "</div>"
                )
            parts.append("</details>")
        parts.append("</section>")
    parts.append("</section>")
    shown = FRAMED - budget
    if result.total > shown:
        page.left_out.append(
            f"Code frames are shown for the first {shown} of {result.total} findings."
        )
    return "".join(parts)


def _frame(rows: list[tuple[int, str]], line: int) -> str:
    """A code frame as HTML: the finding's line marked."""
    if not rows:
        return ""
    spans = "".join(
        f"<span class='{'hit' if n == line else 'ctx'}'><i>{n}</i>{escape(text)}</span>\n"
        for n, text in rows
    )
    return f"<pre class='frame'>{spans}</pre>"


def _target(finding: Finding) -> str:
    """What a finding's group is about: its symbol, or the module it imports."""
    return finding.symbol or finding.imported_from or finding.path


# -- fragmentation ---------------------------------------------------------------------
def _fragmentation(result: ScanResult, page: _Page) -> str:
    if not result.fragments:
        return (
            "<section id='fragmentation'><h2>Fragmentation</h2>"
            "<p class='muted'>No symbol is imported through more than one path.</p></section>"
        )
    ranked = sorted(result.fragments, key=lambda f: (-f.site_count, f.symbol))
    if len(ranked) > MAPS:
        page.left_out.append(
            f"Maps are drawn for the {MAPS} most used of {len(ranked)} fragmented symbols."
        )
    parts = [
        "<section id='fragmentation'><h2>Fragmentation</h2>",
        _legend(),
        "<table class='fragments sortable'><thead><tr><th>symbol</th><th>canonical</th>"
        "<th>paths in use</th><th>sites</th><th>unused exports</th></tr></thead><tbody>",
    ]
    for fragment in ranked:
        parts.append(
            f"<tr><td>{_code(fragment.symbol)}</td><td>{_code(fragment.canonical)}</td>"
            f"<td class='num'>{len(fragment.paths_in_use)}</td>"
            f"<td class='num'>{fragment.site_count}</td>"
            f"<td class='num'>{len(fragment.unused_exports)}</td></tr>"
        )
    parts.append("</tbody></table>")
    for number, fragment in enumerate(ranked[:MAPS], start=1):
        parts.append(_fragment_detail(fragment, number))
    parts.append("</section>")
    return "".join(parts)


def _legend() -> str:
    roles = ("canonical", "facade", "definition-path", "deprecated", "accidental")
    names = {"definition-path": "definition"}
    items = "".join(
        f"<li><span style='background:{FILLS[r]}'></span>{names.get(r, r)}</li>" for r in roles
    )
    return f"<ul class='legend'>{items}</ul>"


def _fragment_detail(fragment: FragmentSummary, number: int) -> str:
    graph, layers = fragment_map(fragment)
    drawing = draw(graph, layers, uid=f"map{number}")
    rows = "".join(
        f"<tr><td>{_code(p.path)}</td><td>{escape(p.role)}</td><td class='num'>{p.sites}</td>"
        f"<td>{escape(', '.join(p.names))}</td></tr>"
        for p in fragment.paths_in_use
    )
    unused = ", ".join(f"<code>{escape(p)}</code>" for p in fragment.unused_exports)
    return (
        f"<article class='fragment'><h3>{_code(fragment.symbol)}</h3>"
        f"<p>Canonical: {_code(fragment.canonical)} "
        f"({'declared' if fragment.declared else 'derived'}); {fragment.site_count} sites.</p>"
        f"<div class='drawing'>{drawing.svg}</div>"
        "<table class='paths'><thead><tr><th>path in use</th><th>role</th><th>sites</th>"
        f"<th>imported as</th></tr></thead><tbody>{rows}</tbody></table>"
        + (f"<p>Unused exports (no site imports through them): {unused}</p>" if unused else "")
        + "</article>"
    )


# -- cycles ----------------------------------------------------------------------------
def _cycles(result: ScanResult, page: _Page) -> str:
    if not result.cycles:
        return "<section id='cycles'><h2>Import cycles</h2><p class='muted'>None.</p></section>"
    parts = ["<section id='cycles'><h2>Import cycles</h2>"]
    for number, cycle in enumerate(result.cycles, start=1):
        parts.append(_cycle_detail(cycle, number, page))
    parts.append("</section>")
    if len(result.cycles) > DRAWN_CYCLES:
        page.left_out.append(
            f"The {DRAWN_CYCLES} largest of {len(result.cycles)} import cycles are drawn."
        )
    return "".join(parts)


def _cycle_detail(cycle: Cycle, number: int, page: _Page) -> str:
    breakers = "".join(
        f"<li><code>{escape(a)}</code> → <code>{escape(b)}</code></li>" for a, b in cycle.breakers
    )
    drawing = ""
    if number <= DRAWN_CYCLES and (cycle.edges or len(cycle.modules) == 1):
        graph, layers = cycle_map(cycle)
        drawing = f"<div class='drawing'>{draw(graph, layers, uid=f'cycle{number}').svg}</div>"
    elif number <= DRAWN_CYCLES:
        why = (
            "is too large to draw"
            if len(cycle.modules) > DRAWN_CYCLE_LIMIT
            else "comes from a stored result that kept no edges (run with --no-cache to draw it)"
        )
        page.left_out.append(
            f"Cycle {number} ({len(cycle.modules)} modules) {why}; its shortest cycle and "
            "breakers are listed."
        )
    chain = " → ".join(cycle.chain)
    return (
        f"<article class='cycle'><h3>Cycle {number}: {len(cycle.modules)} modules</h3>"
        f"<p>Shortest cycle: <code>{escape(chain)}</code></p>{drawing}"
        f"<p>Remove these imports to break it (dashed red):</p><ul>{breakers}</ul></article>"
    )


def _asset(name: str) -> str:
    """An inlined file of ``report/assets`` (kept apart so it reads as CSS or JS)."""
    return resources.files("ssot_scan.report").joinpath("assets").joinpath(name).read_text("utf-8")
