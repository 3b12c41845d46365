"""How much of a project's analysis one edited module can reach: the measurement that
sizes an incremental engine (issue 13's import edit).

An engine that keeps per-module results between runs must redo, after an edit, the
results the edit can change. Two ways to bound them, measured on a sample of modules:

- **by the import graph**: the modules that import the edited one, transitively (what
  invalidating along the reverse import graph would recompute);
- **by resolution**: the modules whose ``from X import N`` statements read the edited
  module's bindings or facts when resolved (``SymbolTable.reads``: what an engine
  that keeps each module's results with their reads would recompute); **with
  exports**, also the modules whose exported names (re-exports included) read it.

    python benchmarks/reach.py PATH [--sample 200] [--seed 1] [--cache-dir DIR]

It prints the median, 90th percentile and largest of each, as counts and as shares of
the project's modules. Facts come from the project's cache when it has them.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
from pathlib import Path
from typing import Optional

import networkx as nx

from ssot_scan.config import load_config, load_rule_packs
from ssot_scan.index import Index
from ssot_scan.index.symbols import SymbolTable
from ssot_scan.scan import analyse_project


def importers(index: Index) -> dict[str, int]:
    """Module -> how many modules import it, directly or not (first-party edges).

    Counted on the graph's strongly connected components, each once: a generated
    tree's modules nearly all sit in one, and a search from every module through
    it took minutes."""
    graph = nx.DiGraph()
    graph.add_nodes_from(index.modules)
    graph.add_edges_from(
        (a, b) for a, b in index.graph.edges if a in index.modules and b in index.modules
    )
    condensed = nx.condensation(graph.reverse(copy=False))
    members = condensed.graph["mapping"]  # module -> its component
    size = {node: len(data["members"]) for node, data in condensed.nodes(data=True)}
    reached: dict[int, int] = {}
    for node in condensed:
        reached[node] = size[node] - 1 + sum(size[n] for n in nx.descendants(condensed, node))
    return {module: reached[members[module]] for module in index.modules}


def resolvers(index: Index, exports: bool = False) -> dict[str, set[str]]:
    """Module -> the modules whose ``from`` imports read it when resolved (and, with
    ``exports``, whose exported names do: what a module contributes to the
    fragmentation table, which an incremental analysis keeps per module too).

    On a table that records what each answer was made from (``track_reads``): an
    answer taken from the memo brings the reads it was made from along, so each
    importing module's set is complete though the memo is shared.
    """
    old = index.symbols
    table = SymbolTable(
        old.modules, old.first_party, old.package_modules, old.opaque, track_reads=True
    )
    reads = table.reads
    assert reads is not None
    found: dict[str, set[str]] = {}
    for source, facts in index.files:
        if source.module is None:
            continue
        with reads.recording() as read:
            for site in facts.imports:
                if site.kind == "from" and site.target and not site.is_star:
                    for imported in site.names:
                        table.resolve(site.target, imported.name)
            for name in table.exported_names(source.module) if exports else ():
                table.resolve(source.module, name)
        for module in read - {source.module}:
            if module in index.modules:  # not ``reads.FINDERS``
                found.setdefault(module, set()).add(source.module)
    return found


def summary(counts: list[int], total: int) -> str:
    """Median, 90th percentile and largest of ``counts``, with shares of ``total``."""
    ordered = sorted(counts)
    figures = [
        ("median", statistics.median(ordered)),
        ("90th percentile", ordered[int(0.9 * (len(ordered) - 1))]),
        ("largest", ordered[-1]),
    ]
    return ", ".join(f"{label} {value:g} ({100 * value / total:.2f}%)" for label, value in figures)


def main(argv: Optional[list[str]] = None) -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("path", type=Path)
    parser.add_argument("--sample", type=int, default=200, help="modules measured")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--cache-dir", type=Path, help="the cache to read facts from")
    args = parser.parse_args(argv)
    config = load_config([args.path])
    load_rule_packs(config, [])
    _, analysis = analyse_project([args.path], config, None, args.cache_dir, use_cache=True)
    index = analysis.index
    modules = sorted(index.modules)
    if not modules:
        sys.exit(f"{args.path}: no modules")
    sample = random.Random(args.seed).sample(modules, min(args.sample, len(modules)))
    by_graph = importers(index)
    by_resolution = resolvers(index)
    with_exports = resolvers(index, exports=True)
    total = len(modules)
    print(f"{args.path}: {total} modules, {len(sample)} sampled (seed {args.seed})")
    print("by the import graph: " + summary([by_graph[m] for m in sample], total))
    print(
        "by resolution:       " + summary([len(by_resolution.get(m, ())) for m in sample], total)
    )
    print("with exports:        " + summary([len(with_exports.get(m, ())) for m in sample], total))


if __name__ == "__main__":
    main()
