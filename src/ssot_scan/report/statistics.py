"""``--statistics``: counts per code only, as a small table or as JSON."""

from __future__ import annotations

import json

from ssot_scan.result import ScanResult
from ssot_scan.rules import CHECK_NAMES


def render_statistics_text(result: ScanResult, quiet: bool = False) -> str:
    rows = [(code, CHECK_NAMES.get(code, ""), str(n)) for code, n in result.by_code.items()]
    rows.append(("total", "", str(result.total)))
    header = ("code", "name", "count")
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(3)]
    lines = [
        f"{code:<{widths[0]}}  {name:<{widths[1]}}  {count:>{widths[2]}}"
        for code, name, count in [header, *rows]
    ]
    return "\n".join(line.rstrip() for line in lines) + "\n"


def render_statistics_json(result: ScanResult, quiet: bool = False) -> str:
    data = {"total": result.total, "by_code": dict(result.by_code)}
    return json.dumps(data, indent=2) + "\n"
