"""SSOT004 import-cycle."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from ssot_scan.checks.base import Check
from ssot_scan.cycles import edge_sites, find_cycles, runtime_graph
from ssot_scan.findings import Finding, import_statement
from ssot_scan.result import Cycle

if TYPE_CHECKING:
    from ssot_scan.config import Config
    from ssot_scan.index import Index

_SHOWN_BREAKERS = 5


def cycles(index: Index, config: Config) -> list[Cycle]:
    """The import cycles of a scan, computed once and shared with the reports."""
    cached = index.cache.get("cycles")
    if cached is None:
        cached = find_cycles(runtime_graph(index.graph, config.include_lazy))
        for cycle in cached:
            cycle.files = sorted(index.paths[m].rel for m in cycle.modules if m in index.paths)
        index.cache["cycles"] = cached
    return list(cached)


class ImportCycle(Check):
    """A cycle among the modules' import-time imports.

    One finding per strongly connected component of the graph of runtime,
    module-level imports (a module importing itself counts). Imports under
    ``if TYPE_CHECKING:`` never run and do not count; imports inside functions run
    late and count only with ``[tool.ssot-scan.cycles] include-lazy = true``;
    imports inside ``try:`` run and count.

    The finding lists the modules, one shortest cycle as a readable chain, and the
    imports to remove: a small feedback arc set found by the Eades-Lin-Smyth
    ordering heuristic (grimp nominates cycle breakers in the same spirit), pruned of
    every edge not needed once the others are cut. It is located at the first of
    those imports. The whole computation is near-linear: no enumeration of cycles.

    Why it matters: a cycle makes import order matter, turns a moved import into an
    ``ImportError: cannot import name`` at start-up, and keeps modules that should be
    separable welded together.

    Example::

        # app/a.py: from app.b import g      app/b.py: from app.a import f
        # SSOT004 import cycle of 2 modules: app.a -> app.b (app/a.py:1)
        #   -> app.a (app/b.py:1); to break it, remove app.a -> app.b
    """

    code = "SSOT004"
    name = "import-cycle"

    def run(self, index: Index, config: Config, earlier: list[Finding]) -> Iterator[Finding]:
        for cycle in cycles(index, config):
            first = cycle.breakers[0]
            sites = edge_sites(index.graph, first, config.include_lazy)
            if not sites:
                continue
            path = index.paths[first[0]].rel
            yield self.at_site(
                path,
                sites[0],
                self._message(index, config, cycle),
                symbol=f"{first[0]} -> {first[1]}",
                imported_from=first[1],
                statement=import_statement(sites[0]),
                group=cycle.modules[0],
                files=cycle.files,
                extra={"modules": cycle.modules, "breakers": [list(e) for e in cycle.breakers]},
            )

    def _message(self, index: Index, config: Config, cycle: Cycle) -> str:
        hops = []
        for source, target in zip(cycle.chain, cycle.chain[1:]):
            sites = edge_sites(index.graph, (source, target), config.include_lazy)
            where = f"{index.paths[source].rel}:{sites[0].line}" if sites else "?"
            hops.append(f"{target} ({where})")
        chain = " -> ".join([cycle.chain[0], *hops])
        shown = ", ".join(f"{u} -> {v}" for u, v in cycle.breakers[:_SHOWN_BREAKERS])
        more = len(cycle.breakers) - _SHOWN_BREAKERS
        if more > 0:
            shown += f" and {more} more"
        size = len(cycle.modules)
        noun = "import" if len(cycle.breakers) == 1 else "imports"
        head = "module imports itself" if size == 1 else f"import cycle of {size} modules"
        return f"{head}: {chain}; to break it, remove the {noun} {shown}"
