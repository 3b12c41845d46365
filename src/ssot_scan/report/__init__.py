"""Output formats: one module each, each a pure rendering of a ``ScanResult``.

Modules are imported on demand: a run pays only for the format it prints.
"""

from __future__ import annotations

from collections.abc import Callable

from ssot_scan.result import ScanResult

Renderer = Callable[[ScanResult, bool], str]
FORMATS = ("text", "json", "sarif", "github", "gitlab", "junit", "markdown", "html")


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
    if name == "markdown":
        from ssot_scan.report.markdown import render_markdown

        return render_markdown
    from ssot_scan.report.text import render_text

    return render_text
