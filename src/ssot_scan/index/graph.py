"""ImportGraph: modules as nodes, every import site on the edge it makes.

Nodes are the scanned modules plus every external module they import (marked
``first_party=False``). An edge ``a -> b`` carries each ``(module, ImportSite)`` that
makes it, so a check can ask whether any site of an edge is a runtime,
module-level import (cycles) or only TYPE_CHECKING/lazy.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import cached_property
from typing import Any

from ssot_scan.facts import ImportSite, ModuleFacts
from ssot_scan.index.symbols import SymbolTable


def edge_targets(site: ImportSite, symbols: SymbolTable) -> Iterator[str]:
    """The module(s) a site imports: ``from p import sub`` reaches ``p.sub`` if it exists."""
    if site.target is None:
        return
    if site.kind == "import" or site.is_star or not symbols.holds_modules(site.target):
        # Most ``from m import a, b`` name a plain module, which holds no submodule:
        # no name to look up (10,000 generated modules: 212,000 names, 0.26 s of 0.54
        # in the profile of building the graph).
        yield site.target
        return
    plain = False
    for imported in site.names:
        submodule = f"{site.target}.{imported.name}"
        if symbols.has_module(submodule):
            yield submodule  # as grimp does: the submodule, not the package, is imported
        else:
            plain = True
    if plain:
        yield site.target


class ImportGraph:
    """The graph as plain dicts, which every scan reads (``nodes``: module ->
    first-party; ``imports``: module -> each module it imports -> the sites that
    import it, in the order networkx would list the edges), and as a networkx
    ``DiGraph`` for the graph exports, built when first asked: the bulk load of a
    quarter of a million edges cost a tenth of a second that a scan does not need.

    Edges are kept per importing module, not keyed by (importer, imported) pairs:
    a pair made and hashed per import site cost a third of building the graph
    (10,000 generated modules, 174,000 sites: 0.25 -> 0.18 s)."""

    def __init__(self, modules: dict[str, ModuleFacts], symbols: SymbolTable) -> None:
        nodes: dict[str, bool] = dict.fromkeys(modules, True)
        imports: dict[str, dict[str, list[ImportSite]]] = {}
        for module, facts in modules.items():
            targets: dict[str, list[ImportSite]] = {}
            for site in facts.imports:
                for target in edge_targets(site, symbols):
                    sites = targets.get(target)
                    if sites is None:
                        targets[target] = [site]
                    else:
                        sites.append(site)
            imports[module] = targets
        for targets in imports.values():
            for target in targets:
                if target not in nodes:
                    nodes[target] = symbols.is_first_party(target)
        self.nodes = nodes
        self.imports = imports

    @cached_property
    def edges(self) -> dict[tuple[str, str], list[ImportSite]]:
        """(importer, imported) -> the sites that make the edge, in ``imports``'
        order: for the graph exports."""
        return {
            (source, target): sites
            for source, targets in self.imports.items()
            for target, sites in targets.items()
        }

    @cached_property
    def graph(self) -> Any:
        """Every module (``first_party`` on each node) and import (its ``sites``).
        networkx is imported here, for the graph exports: a scan never asks."""
        import networkx as nx

        graph: Any = nx.DiGraph()
        graph.add_nodes_from((node, {"first_party": first}) for node, first in self.nodes.items())
        graph.add_edges_from((u, v, {"sites": sites}) for (u, v), sites in self.edges.items())
        return graph

    @property
    def first_party_modules(self) -> list[str]:
        return sorted(n for n, first in self.nodes.items() if first)

    def sites(self, source: str, target: str) -> list[ImportSite]:
        return self.imports.get(source, {}).get(target, [])
