"""Time ``ssot_scan.cycles.find_cycles`` on a large synthetic import graph.

The design promises near-linear cycle breaking: a 10,000-module codebase with a
600-module strongly connected component costs seconds, not hours. Unit tests check
that such a graph *completes* and is broken correctly; they never assert wall-clock
time (project rule), so the figure lives here.

    python benchmarks/cycles.py [--modules 10000] [--core 600] [--chords 1000] [--seed 11]

Prints the elapsed seconds of ``find_cycles`` (graph construction excluded), the
number of cycles and the number of breakers, and checks that removing the breakers
leaves every component acyclic.

The cost is dominated by pruning, which re-checks acyclicity once per breaker and
is skipped above 300 breakers (``_PRUNE_LIMIT``): the default 1,000 chords give a
component just under that limit, the most expensive case; with ~1,100 chords or more
the heuristic's unpruned answer is kept and the run takes a few hundredths of a second.
"""

from __future__ import annotations

import argparse
import random
import time
from typing import Any

import networkx as nx

from ssot_scan.cycles import find_cycles


def build_graph(modules: int, core: int, chords: int, fan_out: int, seed: int) -> Any:
    """``modules`` nodes: a ring of ``core`` nodes plus ``chords`` random edges inside it
    (one strongly connected component), and every other module importing ``fan_out``
    modules numbered below it (a DAG around the core, so no other cycle forms)."""
    rng = random.Random(seed)
    names = [f"pkg.mod{i:05d}" for i in range(modules)]
    ring = names[:core]
    graph: Any = nx.DiGraph()
    graph.add_nodes_from(names)
    graph.add_edges_from(zip(ring, [*ring[1:], ring[0]], strict=True))
    while graph.number_of_edges() < core + chords:
        graph.add_edge(*rng.sample(ring, 2))
    for i in range(core, modules):
        for target in rng.sample(range(i), min(fan_out, i)):
            graph.add_edge(names[i], names[target])
    return graph


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--modules", type=int, default=10_000)
    parser.add_argument("--core", type=int, default=600)
    parser.add_argument("--chords", type=int, default=1_000)
    parser.add_argument("--fan-out", type=int, default=3)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--repeat", type=int, default=3, help="report the best of N runs")
    args = parser.parse_args()

    graph = build_graph(args.modules, args.core, args.chords, args.fan_out, args.seed)
    timings = []
    for _ in range(args.repeat):
        start = time.perf_counter()
        cycles = find_cycles(graph)
        timings.append(time.perf_counter() - start)

    broken = True
    for cycle in cycles:
        component = graph.subgraph(cycle.modules).copy()
        component.remove_edges_from(cycle.breakers)
        broken = broken and nx.is_directed_acyclic_graph(component)
    breakers = sum(len(c.breakers) for c in cycles)
    print(
        f"graph: {graph.number_of_nodes()} modules, {graph.number_of_edges()} imports, "
        f"core {args.core} modules + {args.chords} chords (seed {args.seed})"
    )
    print(f"find_cycles: {min(timings):.3f} s (best of {args.repeat})")
    print(f"cycles: {len(cycles)}, largest {max((len(c.modules) for c in cycles), default=0)}")
    print(f"breakers: {breakers}, leave components acyclic: {broken}")


if __name__ == "__main__":
    main()
