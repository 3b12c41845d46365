"""Output formats: one module each, each a pure rendering of a ``ScanResult``.

Modules are imported on demand: a run pays only for the format it prints.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Optional

import msgspec

from ssot_scan.result import ScanResult

Renderer = Callable[[ScanResult, bool], str]
FORMATS = (
    "text",
    "json",
    "sarif",
    "github",
    "gitlab",
    "junit",
    "markdown",
    "html",
    "concise",
    "full",
    "grouped",
)


class ReportOptions(msgspec.Struct, frozen=True):
    """What some formats need beyond the result, from the command line."""

    # html: the entries of ``--history FILE`` (this run included), for the trend chart.
    history: Optional[list[dict[str, Any]]] = None
    # sarif: keep baselined and ``# ssot: ignore``d findings (GitHub makes every
    # uploaded result an alert, whatever its baselineState or suppressions say).
    include_suppressed: bool = False
    # sarif, github: the project root's path inside the repository ("" at its top),
    # so that paths resolve from the repository root in a monorepo.
    path_prefix: str = ""
    # sarif: the repository root as an absolute path, for ``originalUriBaseIds``.
    repository_root: Optional[str] = None
    # github: the other reports this run writes, named where annotations stop.
    full_reports: tuple[str, ...] = ()


def render(fmt: str, result: ScanResult, quiet: bool, options: ReportOptions) -> str:
    """A report in ``fmt``, with what the command line adds for the formats that read it."""
    if fmt == "html":
        from ssot_scan.report.html import render_html

        return render_html(result, quiet, options.history)
    if fmt == "sarif":
        from ssot_scan.report.sarif import render_sarif

        return render_sarif(result, quiet, options)
    if fmt == "github":
        from ssot_scan.report.github import render_github

        return render_github(result, quiet, options)
    return renderer(fmt)(result, quiet)


def renderer(name: str) -> Renderer:
    """The renderer of an ``--output-format``; unknown names get ``text``."""
    if name == "json":
        from ssot_scan.report.json_report import render_json

        return render_json
    if name == "sarif":
        from ssot_scan.report.sarif import render_sarif

        return render_sarif
    if name == "github":
        from ssot_scan.report.github import render_github

        return render_github
    if name == "gitlab":
        from ssot_scan.report.gitlab import render_gitlab

        return render_gitlab
    if name == "junit":
        from ssot_scan.report.junit import render_junit

        return render_junit
    if name == "html":
        from ssot_scan.report.html import render_html

        return render_html
    if name in ("concise", "full", "grouped"):
        from ssot_scan.report import text

        return {"concise": text.render_concise, "full": text.render_full}.get(
            name, text.render_grouped
        )
    if name == "markdown":
        from ssot_scan.report.markdown import render_markdown

        return render_markdown
    from ssot_scan.report.text import render_text

    return render_text
