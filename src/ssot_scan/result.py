"""ScanResult: findings after suppression, the counts, and the exit code.

Everything a report prints is computed here, once, so no two output formats can
disagree on a number.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Optional

from ssot_scan.checks.registry import ALL_CODES
from ssot_scan.cycles import Cycle
from ssot_scan.findings import Finding
from ssot_scan.fragmentation import Fragment

if TYPE_CHECKING:
    from ssot_scan.config import Config
    from ssot_scan.index import Index

EXIT_OK = 0
EXIT_OVER_BUDGET = 1
EXIT_USAGE = 2


@dataclass
class ScanResult:
    findings: list[Finding]  # active: not suppressed
    suppressed: list[Finding]
    files_scanned: int
    modules: int
    fragments: list[Fragment]
    notices: list[str]
    enabled_codes: list[str]
    max_warnings: Optional[int] = None
    by_code: dict[str, int] = field(default_factory=dict)
    cycles: list[Cycle] = field(default_factory=list)
    undecidable: int = 0  # first-party names no static tool can resolve

    @property
    def total(self) -> int:
        return len(self.findings)

    @property
    def parse_errors(self) -> int:
        return sum(1 for f in self.findings + self.suppressed if f.code == "SSOT000")

    @property
    def files_with_findings(self) -> int:
        return len({f.path for f in self.findings})

    @property
    def compliance_pct(self) -> float:
        if not self.files_scanned:
            return 100.0
        clean = self.files_scanned - self.files_with_findings
        return round(clean / self.files_scanned * 100, 2)

    @property
    def over_budget(self) -> bool:
        if self.max_warnings is None:
            return self.total > 0
        return self.total > self.max_warnings

    def exit_code(self, exit_zero: bool = False) -> int:
        return EXIT_OVER_BUDGET if self.over_budget and not exit_zero else EXIT_OK


def fingerprint(finding: Finding, occurrence: int) -> str:
    """Stable across unrelated edits: no line numbers, only what the finding is."""
    key = "\x1f".join(
        [finding.code, finding.path, finding.symbol or "", finding.statement, str(occurrence)]
    )
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:20]


def _apply_suppressions(findings: list[Finding], index: Index) -> None:
    facts_by_path = {source.rel: facts for source, facts in index.files}
    for finding in findings:
        facts = facts_by_path.get(finding.path)
        if facts is None:
            continue
        codes = facts.suppressed_codes(finding.line, finding.end_line)
        if codes is not None and (not codes or finding.code in codes):
            finding.suppressed = True


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
    _apply_suppressions(findings, index)
    active = [f for f in findings if not f.suppressed]
    counts = Counter(f.code for f in active)
    enabled = config.enabled_codes
    return ScanResult(
        findings=active,
        suppressed=[f for f in findings if f.suppressed],
        files_scanned=len(index.files),
        modules=len(index.modules),
        fragments=fragments,
        notices=notices,
        enabled_codes=enabled,
        max_warnings=config.max_warnings,
        by_code={code: counts.get(code, 0) for code in ALL_CODES if code in enabled},
        cycles=cycles or [],
        undecidable=undecidable,
    )
