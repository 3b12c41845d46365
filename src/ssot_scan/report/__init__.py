"""Output formats: one module each, each a pure rendering of a ``ScanResult``."""

from __future__ import annotations

from collections.abc import Callable

from ssot_scan.result import ScanResult

Renderer = Callable[[ScanResult, bool], str]
FORMATS = ("text", "json")


def renderer(name: str) -> Renderer:
    if name == "json":
        from ssot_scan.report.json_report import render_json

        return render_json
    from ssot_scan.report.text import render_text

    return render_text
