"""GitLab Code Quality report: a JSON list of issues (the Code Climate subset GitLab reads).

Each active finding becomes ``{"description", "check_name", "fingerprint", "severity",
"location": {"path", "lines": {"begin"}}}``. The fingerprint is the baseline one, so
GitLab's merge-request widget tells new findings from old ones across edits.
"""

from __future__ import annotations

import json
from typing import Any

from ssot_scan.findings import Finding
from ssot_scan.result import ScanResult

# GitLab's scale: info, minor, major, critical, blocker.
SEVERITY = {"error": "critical", "warning": "major"}


def issue(finding: Finding) -> dict[str, Any]:
    return {
        "description": finding.message,
        "check_name": finding.code,
        "fingerprint": finding.fingerprint,
        "severity": SEVERITY.get(finding.severity, "major"),
        "location": {"path": finding.path, "lines": {"begin": max(finding.line, 1)}},
    }


def render_gitlab(result: ScanResult, quiet: bool = False) -> str:
    return json.dumps([issue(f) for f in result.findings], indent=2, ensure_ascii=False) + "\n"
