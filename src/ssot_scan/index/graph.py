"""ImportGraph: modules as nodes, every import site on the edge it makes.

Nodes are the scanned modules plus every external module they import (marked
``first_party=False``). An edge ``a -> b`` carries each ``(module, ImportSite)`` that
makes it, so a check can ask whether any site of an edge is a runtime,
module-level import (cycles) or only TYPE_CHECKING/lazy.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import networkx as nx

from ssot_scan.facts import ImportSite, ModuleFacts
from ssot_scan.index.symbols import SymbolTable


def edge_targets(site: ImportSite, symbols: SymbolTable) -> Iterator[str]:
    """The module(s) a site imports: ``from p import sub`` reaches ``p.sub`` if it exists."""
    if site.target is None:
        return
    if site.kind == "import" or site.is_star:
        yield site.target
        return
    plain = False
    for imported in site.names:
        submodule = f"{site.target}.{imported.name}"
        if symbols.module_exists(submodule):
            yield submodule  # as grimp does: the submodule, not the package, is imported
        else:
            plain = True
    if plain:
        yield site.target


class ImportGraph:
    def __init__(self, modules: dict[str, ModuleFacts], symbols: SymbolTable) -> None:
        # Plain dicts first, in the order networkx would have seen them, then one bulk
        # load: a quarter of a million ``add_edge`` calls cost a second on their own.
        nodes: dict[str, bool] = dict.fromkeys(modules, True)
        edges: dict[tuple[str, str], list[ImportSite]] = {}
        for module, facts in modules.items():
            for site in facts.imports:
                for target in edge_targets(site, symbols):
                    if target not in nodes:
                        nodes[target] = symbols.is_first_party(target)
                    sites = edges.get((module, target))
                    if sites is None:
                        edges[(module, target)] = [site]
                    else:
                        sites.append(site)
        graph: Any = nx.DiGraph()
        graph.add_nodes_from((node, {"first_party": first}) for node, first in nodes.items())
        graph.add_edges_from((u, v, {"sites": sites}) for (u, v), sites in edges.items())
        self.graph = graph

    @property
    def first_party_modules(self) -> list[str]:
        return sorted(n for n, first in self.graph.nodes(data="first_party") if first)

    def sites(self, source: str, target: str) -> list[ImportSite]:
        if not self.graph.has_edge(source, target):
            return []
        sites: list[ImportSite] = self.graph.edges[source, target]["sites"]
        return sites
