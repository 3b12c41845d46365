"""Import cycles: strongly connected components, and which imports to cut.

Everything here is linear or near-linear in the size of the graph, so a 10,000-module
codebase with a 600-module component costs seconds, not the hours an enumeration of
simple cycles would: an iterative Tarjan finds the components, the Eades-Lin-Smyth
heuristic orders each component so that few edges point backwards (those edges, a
feedback arc set, break every cycle), a pruning pass drops back edges that are not
needed once the others are cut, and one BFS shows the shortest cycle through the
first breaker.

The graph is plain dicts, not networkx: importing networkx costs more than a
warm scan of Django (60 ms of a 110 ms import of the analysis in a fresh
interpreter, on the benchmark machine), which every scan that analyses paid, for
one textbook algorithm. The graph exports (``graphs``), which draw with
networkx, still import it; the tests check the components against its own.
"""

from __future__ import annotations

import heapq
from collections import deque
from collections.abc import Iterable, Iterator, Mapping
from typing import Optional

from ssot_scan.facts import ImportSite
from ssot_scan.index.graph import ImportGraph
from ssot_scan.result import DRAWN_CYCLE_LIMIT, Cycle

Edge = tuple[str, str]
# Pruning re-checks acyclicity once per breaker; beyond this many breakers the
# heuristic's own answer is kept as it is.
_PRUNE_LIMIT = 300


def runtime_graph(graph: ImportGraph, include_lazy: bool) -> dict[str, list[str]]:
    """First-party modules, each with the modules it imports at import time, in the
    order of ``graph.imports`` (what the graph exports list them in).

    Imports under ``if TYPE_CHECKING:`` never run; imports inside functions run
    late (counted only with ``include_lazy``); imports inside ``try:`` do run.
    """
    runtime: dict[str, list[str]] = {n: [] for n, first in graph.nodes.items() if first}
    for source, imported in graph.imports.items():
        targets = runtime.get(source)
        if targets is None:
            continue
        for target, sites in imported.items():
            if target in runtime:
                for site in sites:
                    if site.runs_on_import(include_lazy):
                        targets.append(target)  # one edge per pair: ``imported`` is keyed by it
                        break
    return runtime


Adjacency = Mapping[str, Iterable[str]]  # module -> the modules it imports


def strongly_connected_components(graph: Adjacency) -> Iterator[set[str]]:
    """Tarjan's algorithm, with an explicit stack: a chain of 50,000 imports is far
    deeper than Python's recursion limit. Linear in nodes and edges; every target
    must be a node of ``graph``. Components come leaves first."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    for root in graph:
        if root in index:
            continue
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        work = [(root, iter(graph[root]))]
        while work:
            node, successors = work[-1]
            for target in successors:
                if target not in index:  # descend; this node's iterator resumes later
                    index[target] = low[target] = len(index)
                    stack.append(target)
                    on_stack.add(target)
                    work.append((target, iter(graph[target])))
                    break
                if target in on_stack and index[target] < low[node]:
                    low[node] = index[target]
            else:  # every successor seen: the node is done
                work.pop()
                if work and low[node] < low[work[-1][0]]:
                    low[work[-1][0]] = low[node]
                if low[node] == index[node]:
                    component: set[str] = set()
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.add(member)
                        if member == node:
                            break
                    yield component


def find_cycles(runtime: Adjacency) -> list[Cycle]:
    """Every import cycle of ``runtime`` (``runtime_graph``; a networkx ``DiGraph``
    reads the same), largest first, with the imports to cut."""
    cycles: list[Cycle] = []
    for component in strongly_connected_components(runtime):
        if len(component) == 1:
            (node,) = component
            if node not in runtime[node]:
                continue
            cycles.append(Cycle([node], [(node, node)], [node, node], edges=[(node, node)]))
            continue
        succ = {n: {m for m in runtime[n] if m in component} for n in component}
        breakers = _prune(succ, _feedback_arcs(succ))
        # The chain shown (through the first breaker) goes through two modules at
        # least: a module that also imports itself stays among the breakers, last,
        # since "a -> a" says nothing of the tangle around it.
        breakers.sort(key=lambda edge: edge[0] == edge[1])
        first = breakers[0]
        chain = [first[0], *_shortest_path(succ, first[1], first[0])]
        edges = (
            sorted((u, v) for u, targets in succ.items() for v in targets)
            if len(component) <= DRAWN_CYCLE_LIMIT
            else []
        )
        cycles.append(Cycle(sorted(component), breakers, chain, edges=edges))
    cycles.sort(key=lambda c: (-len(c.modules), c.modules[0]))
    return cycles


def _feedback_arcs(graph: dict[str, set[str]]) -> list[Edge]:
    """Eades-Lin-Smyth: an ordering with few backward edges; those edges break all cycles.

    Sinks go to the end, sources to the front, and otherwise the node with the
    largest out-degree minus in-degree goes to the front. The sinks and sources are
    kept as sets updated as nodes go (each round sorts only the current ones), and a
    heap with lazy entries finds the largest difference: O(E log V) in all, where
    rescanning the live nodes every round was quadratic on one long cycle.
    """
    succ = {n: set(targets) - {n} for n, targets in graph.items()}
    pred: dict[str, set[str]] = {n: set() for n in graph}
    for n, targets in succ.items():
        for m in targets:
            pred[m].add(n)
    alive = set(graph)
    sinks = {n for n in graph if not succ[n]}
    sources = {n for n in graph if not pred[n]}
    front: list[str] = []
    back: list[str] = []
    heap = [(-(len(succ[n]) - len(pred[n])), n) for n in sorted(graph)]
    heapq.heapify(heap)

    def remove(node: str) -> None:
        alive.discard(node)
        sinks.discard(node)
        sources.discard(node)
        for other in succ[node]:
            pred[other].discard(node)
            if not pred[other]:
                sources.add(other)
            heapq.heappush(heap, (-(len(succ[other]) - len(pred[other])), other))
        for other in pred[node]:
            succ[other].discard(node)
            if not succ[other]:
                sinks.add(other)
            heapq.heappush(heap, (-(len(succ[other]) - len(pred[other])), other))

    while alive:
        while sinks or sources:
            for node in sorted(sinks):
                if node in alive:
                    back.append(node)
                    remove(node)
            for node in sorted(sources):
                if node in alive:
                    front.append(node)
                    remove(node)
        while heap:
            delta, node = heapq.heappop(heap)
            if node in alive and -delta == len(succ[node]) - len(pred[node]):
                front.append(node)
                remove(node)
                break
    order = {node: i for i, node in enumerate([*front, *reversed(back)])}
    # Back edges break every longer cycle; a module importing itself is a cycle
    # no ordering can break, so its self-edge is always a breaker.
    arcs = [(u, v) for u in graph for v in graph[u] if order[v] < order[u] or u == v]
    return sorted(arcs, key=lambda e: (order[e[0]], order[e[1]]))


def _acyclic(graph: dict[str, set[str]], removed: set[Edge]) -> bool:
    """Kahn's algorithm on ``graph`` without ``removed``: no copy of the graph made."""
    indegree = dict.fromkeys(graph, 0)
    for u, targets in graph.items():
        for v in targets:
            if (u, v) not in removed:
                indegree[v] += 1
    ready = [n for n, d in indegree.items() if d == 0]
    seen = 0
    while ready:
        u = ready.pop()
        seen += 1
        for v in graph[u]:
            if (u, v) not in removed:
                indegree[v] -= 1
                if indegree[v] == 0:
                    ready.append(v)
    return seen == len(graph)


def _prune(graph: dict[str, set[str]], arcs: list[Edge]) -> list[Edge]:
    """Drop breakers that are not needed once the others are cut."""
    if len(arcs) > _PRUNE_LIMIT:
        return arcs
    kept = list(arcs)
    for arc in list(arcs):
        trial = {a for a in kept if a != arc}
        if _acyclic(graph, trial):
            kept = [a for a in kept if a != arc]
    return kept


def _shortest_path(graph: dict[str, set[str]], start: str, goal: str) -> list[str]:
    """Nodes of a shortest path from ``start`` to ``goal`` (BFS), both included."""
    parents: dict[str, Optional[str]] = {start: None}
    queue = deque([start])
    while queue:
        node = queue.popleft()
        if node == goal:
            break
        for nxt in sorted(graph[node]):
            if nxt not in parents:
                parents[nxt] = node
                queue.append(nxt)
    path: list[str] = []
    step: Optional[str] = goal
    while step is not None:
        path.append(step)
        step = parents.get(step)
    return list(reversed(path))


def edge_sites(graph: ImportGraph, edge: Edge, include_lazy: bool) -> list[ImportSite]:
    """The import sites that make an edge count, first in the file first."""
    sites: Iterable[ImportSite] = graph.sites(*edge)
    running = (s for s in sites if s.runs_on_import(include_lazy))
    return sorted(running, key=lambda s: (s.line, s.column))
