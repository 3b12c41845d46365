"""From the checks' findings to a ``ScanResult``: fingerprints and counts.

Fingerprints rest on what a finding is (code, file, symbol, normalised import, and
its order among identical ones), never on line numbers. A finding a ``# ssot:
ignore[...]`` silenced (``suppressions``) goes to ``suppressed``: counted apart,
never dropped.
"""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING, Optional

from ssot_scan.findings import Finding
from ssot_scan.hashing import sha256_hex
from ssot_scan.result import Cycle, FragmentSummary, ScanResult
from ssot_scan.rules import ALL_CODES

if TYPE_CHECKING:
    from ssot_scan.config import Config
    from ssot_scan.fragmentation import Fragment
    from ssot_scan.index import Index


def fingerprint(finding: Finding, occurrence: int) -> str:
    """Stable across unrelated edits: no line numbers, only what the finding is."""
    key = "\x1f".join(
        [finding.code, finding.path, finding.symbol or "", finding.statement, str(occurrence)]
    )
    return sha256_hex(key.encode("utf-8"))[:20]


def tally(
    findings: list[Finding],
    index: Index,
    fragments: list[Fragment],
    notices: list[str],
    config: Config,
    cycles: Optional[list[Cycle]] = None,
    undecidable: int = 0,
) -> ScanResult:
    findings.sort(key=Finding.sort_key)
    seen: Counter[tuple[str, str, str, str]] = Counter()
    for finding in sorted(findings, key=lambda f: (f.path, f.line, f.column, f.code)):
        key = (finding.code, finding.path, finding.symbol or "", finding.statement)
        finding.fingerprint = fingerprint(finding, seen[key])
        seen[key] += 1
    active = [f for f in findings if not f.suppressed]
    counts = Counter(f.code for f in active)
    enabled = config.enabled_codes
    return ScanResult(
        findings=active,
        suppressed=[f for f in findings if f.suppressed],
        files_scanned=len(index.files),
        modules=len(index.modules),
        fragments=[
            FragmentSummary(
                f.symbol,
                f.canonical,
                f.declared,
                f.counts,
                len(f.sites),
                sorted(f.published),
                _names_in_use(f),
                sorted(f.deprecated_paths),
                _importers(f),
            )
            for f in fragments
        ],
        notices=[*notices, *index.notices],
        analysis_notices=list(index.notices),
        enabled_codes=enabled,
        max_warnings=config.max_warnings,
        code_budgets=dict(config.budget),
        by_code={code: counts.get(code, 0) for code in ALL_CODES if code in enabled},
        cycles=cycles or [],
        undecidable=undecidable,
    )


def _names_in_use(fragment: Fragment) -> dict[str, list[str]]:
    """Path -> the names its sites import the symbol under."""
    names: dict[str, set[str]] = {}
    for usage in fragment.sites:
        names.setdefault(usage.path, set()).add(usage.name)
    return {path: sorted(found) for path, found in sorted(names.items())}


def _importers(fragment: Fragment) -> dict[str, dict[str, int]]:
    """Path -> importer file -> sites (what the HTML report's map draws)."""
    found: dict[str, dict[str, int]] = {}
    for usage in fragment.sites:
        files = found.setdefault(usage.path, {})
        files[usage.file] = files.get(usage.file, 0) + 1
    return {path: dict(sorted(files.items())) for path, files in sorted(found.items())}
