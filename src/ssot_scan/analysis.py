"""The analysis: one typed object over the index, whose results are computed once.

Checks share work through it — usages, fragments, cycles, unresolved imports — never
through each other's findings or an untyped dict. Every property is lazy: a run that
selects only SSOT004 never resolves a usage, and a property's value does not depend
on which checks asked for it first.
"""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING, Optional

import msgspec

from ssot_scan.competition import (
    CompetingName,
    ExtraDefinition,
    competing_names,
    extra_definitions,
)
from ssot_scan.cycles import find_cycles, runtime_graph
from ssot_scan.deprecated_imports import DeprecatedUse, find_deprecated_imports
from ssot_scan.fragmentation import Fragment, declared_canonical, fragmentation
from ssot_scan.incremental import Answers
from ssot_scan.rules import BY_CODE
from ssot_scan.unresolved import UnresolvedImports

if TYPE_CHECKING:
    from ssot_scan.config import Config
    from ssot_scan.index import Index, Usage
    from ssot_scan.index.deprecations import Deprecations
    from ssot_scan.result import Cycle


# dict: the steps are cached properties; weakref: as ``Index``'s.
class Analysis(msgspec.Struct, dict=True, weakref=True):
    index: Index
    config: Config
    # The per-file steps with what an earlier run kept of them (``incremental``);
    # None: nothing kept, every step worked out.
    kept: Optional[Answers] = None

    @cached_property
    def answers(self) -> Answers:
        """The per-file steps every property below folds."""
        return self.kept if self.kept is not None else Answers(self.index)

    @property
    def deprecations(self) -> Deprecations:
        return self.index.deprecations

    @cached_property
    def deprecated_imports(self) -> list[DeprecatedUse]:
        """Every import that reaches a deprecated module or symbol (SSOT001)."""
        exporters = {f.symbol: (f.canonical, f.names) for f in self.fragments}
        return find_deprecated_imports(self.index, exporters, self.answers.deprecated())

    @cached_property
    def _deprecated_sites(self) -> set[tuple[str, int, str]]:
        return {(u.source.rel, u.site.line, u.statement) for u in self.deprecated_imports}

    def superseded(self, code: str, path: str, line: int, statement: str) -> bool:
        """Is a ``code`` finding at this import redundant because a rule that
        supersedes it (``Rule.superseded_by``) is selected and reports the same
        import? A rule left out of the selection never hides another."""
        enabled = self.config.enabled_codes
        return any(
            other in enabled and (path, line, statement) in self.sites_reported_by(other)
            for other in BY_CODE[code].superseded_by
        )

    def sites_reported_by(self, code: str) -> set[tuple[str, int, str]]:
        """(path, line, normalised import) of every import ``code`` reports, for the
        codes the registry lets supersede others."""
        if code == "SSOT001":
            return self._deprecated_sites
        raise ValueError(f"{code} supersedes no rule: no import sites to compare")

    @cached_property
    def usages(self) -> list[Usage]:
        """Every ``from M import N`` that uses a definition (not a re-export)."""
        return self.answers.usages()

    @cached_property
    def declared_canonical(self) -> dict[str, str]:
        """Definition -> its canonical path, as ``[[canonical]]`` rules declare it."""
        return declared_canonical(self.index, self.config)

    @cached_property
    def fragments(self) -> list[Fragment]:
        """Definitions imported through several paths, each with its canonical path."""
        return fragmentation(
            self.index, self.config, self.usages, self.declared_canonical, self.answers.exports
        )

    @cached_property
    def competing_names(self) -> list[CompetingName]:
        """Names that reach different definitions depending on the import path."""
        return competing_names(self.index, self.usages, set(self.declared_canonical))

    @cached_property
    def extra_definitions(self) -> list[ExtraDefinition]:
        """Definitions beyond what watch rules (and all-classes) allow."""
        return extra_definitions(self.index, self.config, self.usages)

    @cached_property
    def cycles(self) -> list[Cycle]:
        """Strongly connected components of the import-time graph, with their files."""
        found = find_cycles(runtime_graph(self.index.graph, self.config.include_lazy))
        paths = self.index.source_of
        for cycle in found:
            cycle.files = sorted(paths[m].rel for m in cycle.modules if m in paths)
        return found

    @cached_property
    def unresolved(self) -> UnresolvedImports:
        """First-party imports that cannot succeed, and the undecidable count."""
        return self.answers.unresolved(self.config.include_guarded)

    @property
    def undecidable(self) -> int:
        return self.unresolved.undecidable
