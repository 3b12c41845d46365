"""ScanResult: findings after suppression, the counts, and the exit code.

Everything a report prints is computed here, once, so no two output formats can
disagree on a number.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection
from datetime import datetime
from typing import Any, Optional

import msgspec

from ssot_scan.findings import Finding, shallow_asdict
from ssot_scan.project import in_scope


def _now() -> str:
    return datetime.now().replace(microsecond=0).isoformat()


def _probed(data: Any) -> dict[str, bool]:
    """A stored result's ``probed``; raises TypeError on any other shape."""
    if not isinstance(data, dict) or not all(
        isinstance(k, str) and isinstance(v, bool) for k, v in data.items()
    ):
        raise TypeError("probed: not paths and what stood there")
    return dict(data)


EXIT_OK = 0
EXIT_OVER_BUDGET = 1
EXIT_USAGE = 2


class Cycle(msgspec.Struct):
    """One strongly connected component of the import-time graph."""

    modules: list[str]  # sorted
    breakers: list[tuple[str, str]]  # edges whose removal leaves it acyclic
    chain: list[str]  # one shortest cycle, through the first breaker: [a, b, ..., a]
    files: list[str] = msgspec.field(default_factory=list)  # the modules' files, for scoping
    # Every import-time edge among the modules, for drawing; left empty above
    # DRAWN_CYCLE_LIMIT modules (no picture of that size reads, and a stored result
    # of a 50,000-module tangle would carry every edge).
    edges: list[tuple[str, str]] = msgspec.field(default_factory=list)


DRAWN_CYCLE_LIMIT = 60


def path_role(
    path: str, symbol: str, canonical: str, deprecated: bool, published: Collection[str]
) -> str:
    """What an import path is to a symbol: ``canonical``; ``deprecated`` (inside a
    deprecated module); ``definition`` (the defining module, not canonical);
    ``facade`` (it re-exports the symbol on purpose); or ``accidental`` (it only
    imports the symbol for itself, and someone imports it from there)."""
    if path == canonical:
        return "canonical"
    if deprecated:
        return "deprecated"
    if path == symbol.rpartition(".")[0]:
        return "definition"
    return "facade" if path in published else "accidental"


class FragmentSummary(msgspec.Struct):
    """What reports show of a fragmented symbol (the full ``Fragment`` holds sites)."""

    symbol: str
    canonical: str
    declared: bool
    counts: dict[str, int]  # every path that exports it -> usage sites
    site_count: int
    published: list[str]  # the paths that re-export it on purpose
    # Path in use -> the names its sites import the symbol under (``from p import n``).
    names: dict[str, list[str]] = msgspec.field(default_factory=dict)
    deprecated_paths: list[str] = msgspec.field(default_factory=list)  # inside a deprecated module
    # Path in use -> importer file -> sites: who imports it through which path.
    importers: dict[str, dict[str, int]] = msgspec.field(default_factory=dict)

    def role(self, path: str) -> str:
        """What ``path`` is to the symbol (see ``path_role``)."""
        return path_role(
            path, self.symbol, self.canonical, path in self.deprecated_paths, self.published
        )

    @property
    def paths_in_use(self) -> list[PathInUse]:
        """The paths some site imports the symbol through, and the canonical one
        even when nobody does yet: most used first."""
        used = [p for p, n in self.counts.items() if n or p == self.canonical]
        used.sort(key=lambda p: (-self.counts.get(p, 0), p))
        return [
            PathInUse(p, self.counts.get(p, 0), self.names.get(p, []), self.role(p)) for p in used
        ]

    @property
    def unused_exports(self) -> list[str]:
        """Modules that export the symbol but no site imports it through: a shim
        among them can be deleted."""
        return sorted(p for p, n in self.counts.items() if not n and p != self.canonical)


class PathInUse(msgspec.Struct, frozen=True):
    """One path a fragmented symbol is imported through (see ``FragmentSummary``)."""

    path: str
    sites: int
    names: list[str]
    role: str


class BudgetLine(msgspec.Struct):
    """One budget: ``total`` (``--max-warnings``) or a code's, its count and verdict."""

    name: str
    limit: int
    count: int

    @property
    def passed(self) -> bool:
        return self.count <= self.limit


class BaselineStatus(msgspec.Struct):
    """How this run compares with a baseline file."""

    path: str  # as given
    entries: int  # fingerprints in the file
    matched: int  # findings it tolerated (now in ``ScanResult.baselined``)
    stale: list[dict[str, Any]]  # entries no finding matched any more: fixed


class ScanResult(msgspec.Struct):
    """A scan's whole outcome, as every report renders it and the cache stores it:
    findings (active, suppressed, baselined), counts, fragments, cycles, budgets."""

    findings: list[Finding]  # active: not suppressed
    suppressed: list[Finding]
    files_scanned: int
    modules: int
    fragments: list[FragmentSummary]
    notices: list[str]
    enabled_codes: list[str]
    max_warnings: Optional[int] = None
    by_code: dict[str, int] = msgspec.field(default_factory=dict)
    cycles: list[Cycle] = msgspec.field(default_factory=list)
    undecidable: int = 0  # first-party names no static tool can resolve
    code_budgets: dict[str, int] = msgspec.field(default_factory=dict)  # [tool.ssot-scan.budget]
    baselined: list[Finding] = msgspec.field(default_factory=list)  # tolerated by the baseline
    baseline: Optional[BaselineStatus] = None
    reused: bool = False  # taken whole from the cache: nothing changed since
    # What the analysis itself had to say (a canonical rule that does not resolve):
    # kept with a stored result, so a warm run says it again.
    analysis_notices: list[str] = msgspec.field(default_factory=list)
    # The project this run analysed, and which of its paths it reports (None: all).
    project_root: str = ""
    files_analysed: int = 0
    scope: Optional[list[str]] = None
    # When this run produced the result (local time, to the second, no zone: what
    # JUnit's ``timestamp`` wants); a stored result reused gets its own run's.
    timestamp: str = msgspec.field(default_factory=lambda: _now())
    # Paths the analysis looked at beyond the scanned files, and whether a folder or
    # module stood there (``stand_ins``): a stored result holds while they still do.
    probed: dict[str, bool] = msgspec.field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        """The analysis, for the cache's whole-result reuse (before any baseline):
        its records as dicts, without deep copies of every list (made to be dumped
        at once, it shares them): 10,000 modules' result in a fifth of the time
        ``dataclasses.asdict`` took."""
        data = shallow_asdict(self)
        for transient in ("notices", "reused", "baselined", "baseline", "scope", "timestamp"):
            data.pop(transient)
        data["findings"] = [f.to_dict() for f in self.findings]
        data["suppressed"] = [f.to_dict() for f in self.suppressed]
        data["fragments"] = [shallow_asdict(f) for f in self.fragments]
        data["cycles"] = [shallow_asdict(c) for c in self.cycles]
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any], notices: list[str]) -> ScanResult:
        return cls(
            findings=[Finding.from_dict(f) for f in data["findings"]],
            suppressed=[Finding.from_dict(f) for f in data["suppressed"]],
            files_scanned=data["files_scanned"],
            modules=data["modules"],
            fragments=[FragmentSummary(**f) for f in data["fragments"]],
            notices=[*notices, *data.get("analysis_notices", [])],
            analysis_notices=list(data.get("analysis_notices", [])),
            probed=_probed(data.get("probed", {})),
            enabled_codes=data["enabled_codes"],
            max_warnings=data["max_warnings"],
            by_code=data["by_code"],
            cycles=[
                Cycle(
                    c["modules"],
                    [(a, b) for a, b in c["breakers"]],
                    c["chain"],
                    c["files"],
                    [(a, b) for a, b in c.get("edges", [])],
                )
                for c in data["cycles"]
            ],
            project_root=data["project_root"],
            files_analysed=data["files_analysed"],
            undecidable=data["undecidable"],
            code_budgets=data["code_budgets"],
            reused=True,
        )

    def restrict(self, scope: Optional[list[str]], files: list[str]) -> None:
        """Report only what concerns ``scope`` (rel paths, None = everything).

        The analysis always covers the whole project, so a finding in a named file
        is exactly what a full scan gives for it; a whole-program finding (a cycle)
        is kept when any file it concerns is named. ``files`` is every file of
        the project: the scanned count becomes the files in scope.
        """
        self.scope = scope
        self.files_analysed = len(files)
        if scope is None:
            return
        self.files_scanned = sum(1 for rel in files if in_scope(scope, rel))

        def concerned(finding: Finding) -> bool:
            return any(in_scope(scope, p) for p in (finding.path, *finding.files))

        self.findings = [f for f in self.findings if concerned(f)]
        self.suppressed = [f for f in self.suppressed if concerned(f)]
        self.cycles = [c for c in self.cycles if any(in_scope(scope, p) for p in c.files)]
        # The fragmentation table keeps the symbols a reported finding is about: the
        # whole project's table would bury a one-file run's answer.
        about = {f.symbol for f in [*self.findings, *self.suppressed] if f.code == "SSOT002"}
        self.fragments = [f for f in self.fragments if f.symbol in about]
        counts = Counter(f.code for f in self.findings)
        self.by_code = {code: counts.get(code, 0) for code in self.by_code}

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
    def budgets(self) -> list[BudgetLine]:
        """Every configured budget with its count; empty when none is configured."""
        lines = []
        if self.max_warnings is not None:
            lines.append(BudgetLine("total", self.max_warnings, self.total))
        counts = Counter(f.code for f in self.findings)
        for code, limit in sorted(self.code_budgets.items()):
            lines.append(BudgetLine(code, limit, counts.get(code, 0)))
        return lines

    @property
    def over_budget(self) -> bool:
        """Any budget exceeded; with no budget at all, any finding is too many."""
        lines = self.budgets
        if not lines:
            return self.total > 0
        return any(not line.passed for line in lines)

    @property
    def stale_baseline(self) -> int:
        return len(self.baseline.stale) if self.baseline is not None else 0

    def exit_code(self, exit_zero: bool = False, fail_on_stale: bool = False) -> int:
        if exit_zero:
            return EXIT_OK
        if self.over_budget or (fail_on_stale and self.stale_baseline):
            return EXIT_OVER_BUDGET
        return EXIT_OK
