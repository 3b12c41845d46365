"""The report's pictures, built from a ``ScanResult`` alone (a stored result has no
analysis behind it): a fragmented symbol's map and a cycle's graph, each with the
columns ``layout.draw`` places them in."""

from __future__ import annotations

from collections import Counter
from typing import Any

import networkx as nx

from ssot_scan.graphs.layout import longest_path_layers
from ssot_scan.result import Cycle, FragmentSummary

MAP_FILES = 24  # importer files drawn per symbol; the rest are one "N more files" box


def fragment_map(fragment: FragmentSummary) -> tuple[Any, dict[str, int]]:
    """Importer files -> import paths in use -> the definition (columns 0, 1, 2)."""
    graph: Any = nx.DiGraph()
    layers: dict[str, int] = {}
    definition = f"def:{fragment.symbol}"
    graph.add_node(definition, label=fragment.symbol, kind="definition")
    layers[definition] = 2
    totals: Counter[str] = Counter()
    for files in fragment.importers.values():
        totals.update(files)
    shown = set(sorted(totals, key=lambda f: (-totals[f], f))[:MAP_FILES])
    hidden = len(totals) - len(shown)
    more = f"more:{fragment.symbol}"
    for used in fragment.paths_in_use:
        node = f"path:{used.path}"
        graph.add_node(node, label=used.path, kind="path", role=used.role)
        layers[node] = 1
        graph.add_edge(node, definition, sites=used.sites)
        for file, sites in fragment.importers.get(used.path, {}).items():
            source = f"file:{file}" if file in shown else more
            if source not in graph:
                label = file if file in shown else f"{hidden} more files"
                graph.add_node(source, label=label, kind="file")
                layers[source] = 0
            if graph.has_edge(source, node):
                graph.edges[source, node]["sites"] += sites
            else:
                graph.add_edge(source, node, sites=sites)
    return graph, layers


def cycle_map(cycle: Cycle) -> tuple[Any, dict[str, int]]:
    """A cycle's modules and import-time edges (no site counts: a stored cycle keeps
    its edges only), breakers marked; columns by longest path once the breakers are
    left out (which leaves it acyclic)."""
    graph: Any = nx.DiGraph()
    breakers = set(cycle.breakers)
    for module in cycle.modules:
        graph.add_node(module, label=module, kind="module")
    for source, target in cycle.edges:
        graph.add_edge(source, target, breaker=(source, target) in breakers)
    for source, target in breakers:  # always drawn, even for an older stored result
        if not graph.has_edge(source, target):
            graph.add_edge(source, target, breaker=True)
    return graph, longest_path_layers(graph, breakers)
