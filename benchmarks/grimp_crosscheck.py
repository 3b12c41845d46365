"""Cross-check ssot-scan's import graph against grimp's on an installed package.

    pip install grimp django
    python benchmarks/grimp_crosscheck.py django

Prints both edge counts, the edges only one of them has (with the import lines
behind them), and how many of ssot-scan's edges run at import time (module level,
not under TYPE_CHECKING), which is the graph SSOT004 looks for cycles in. grimp is
not a dependency of ssot-scan; this script is run by hand.
"""

from __future__ import annotations

import importlib
import sys
from pathlib import Path


def grimp_edges(package: str) -> set[tuple[str, str]]:
    import grimp

    graph = grimp.build_graph(package, cache_dir=None)
    return {
        (module, imported)
        for module in graph.modules
        for imported in graph.find_modules_directly_imported_by(module)
    }


def ssot_edges(package: str) -> tuple[set[tuple[str, str]], set[tuple[str, str]], object]:
    from ssot_scan.config import load_config
    from ssot_scan.discover import discover
    from ssot_scan.index import build_index
    from ssot_scan.scan import read_and_extract

    folder = Path(importlib.import_module(package).__file__ or "").parent
    config = load_config([folder])
    found = discover([folder], config)
    files = [(source, read_and_extract(source, "auto")) for source in found.files]
    index = build_index(files, found.first_party, config.rules, found.opaque_modules)
    graph = index.graph.graph
    every: set[tuple[str, str]] = set()
    runtime: set[tuple[str, str]] = set()
    for source, target, sites in graph.edges(data="sites"):
        if not (graph.nodes[source]["first_party"] and graph.nodes[target]["first_party"]):
            continue
        every.add((source, target))
        if any(site.module_level for site in sites):
            runtime.add((source, target))
    return every, runtime, graph


def main(package: str) -> int:
    theirs = grimp_edges(package)
    ours, runtime, graph = ssot_edges(package)
    print(f"grimp edges:                    {len(theirs)}")
    print(f"ssot-scan edges (any context):  {len(ours)}")
    print(f"ssot-scan edges (import time):  {len(runtime)}")
    only_theirs, only_ours = sorted(theirs - ours), sorted(ours - theirs)
    print(f"only grimp: {len(only_theirs)}   only ssot-scan: {len(only_ours)}")
    for edge in only_theirs[:20]:
        print("  grimp only:", " -> ".join(edge))
    for edge in only_ours[:20]:
        sites = graph.edges[edge]["sites"]  # type: ignore[attr-defined]
        lines = ", ".join(f"line {s.line} ({s.context})" for s in sites[:3])
        print("  ssot-scan only:", " -> ".join(edge), lines)
    return 0 if not (only_theirs or only_ours) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "django"))
