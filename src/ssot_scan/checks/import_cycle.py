"""SSOT004 import-cycle."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from typing import TYPE_CHECKING

from ssot_scan.checks.base import Check, Example, shortened
from ssot_scan.cycles import edge_sites
from ssot_scan.findings import Finding, import_statement
from ssot_scan.result import Cycle
from ssot_scan.rules import BY_CODE

if TYPE_CHECKING:
    from ssot_scan.analysis import Analysis
    from ssot_scan.config import Config
    from ssot_scan.index import Index

_SHOWN_BREAKERS = 5


class ImportCycle(Check):
    """One finding per strongly connected component, at its first breaker (docs: the registry)."""

    rule = BY_CODE["SSOT004"]

    INVALID = (
        Example(
            {
                "pkg/__init__.py": "",
                "pkg/a.py": "from pkg.b import g\n\n\ndef f():\n    return g\n",
                "pkg/b.py": "from pkg.a import f\n\n\ndef g():\n    return f\n",
            },
            expect=("pkg/b.py:1",),
            note="reported at the import to remove (here b's, the first breaker)",
        ),
    )
    VALID = (
        Example(
            {
                "pkg/__init__.py": "",
                "pkg/a.py": "from pkg.b import g\n\n\ndef f():\n    return g\n",
                "pkg/b.py": (
                    "from typing import TYPE_CHECKING\n\nif TYPE_CHECKING:\n"
                    "    from pkg.a import f\n\n\ndef g():\n    from pkg.a import f\n\n"
                    "    return f\n"
                ),
            },
            note="imports under TYPE_CHECKING never run; inside a function they run late",
        ),
    )

    def run(self, analysis: Analysis) -> Iterator[Finding]:
        index, config = analysis.index, analysis.config
        for cycle in analysis.cycles:
            first = cycle.breakers[0]
            sites = edge_sites(index.graph, first, config.include_lazy)
            if not sites:
                continue
            path = index.source_of[first[0]].rel
            yield self.finding(
                path,
                sites[0],
                self._message(index, config, cycle),
                symbol=f"{first[0]} -> {first[1]}",
                imported_from=first[1],
                statement=import_statement(sites[0]),
                group=cycle.modules[0],
                files=cycle.files,
                modules=cycle.modules,
                breakers=list(cycle.breakers),
            )

    def _message(self, index: Index, config: Config, cycle: Cycle) -> str:
        hops = []
        for source, target in itertools.pairwise(cycle.chain):
            sites = edge_sites(index.graph, (source, target), config.include_lazy)
            where = f"{index.source_of[source].rel}:{sites[0].line}" if sites else "?"
            hops.append(f"{target} ({where})")
        chain = " -> ".join([cycle.chain[0], *hops])
        shown = shortened([f"{u} -> {v}" for u, v in cycle.breakers], _SHOWN_BREAKERS)
        size = len(cycle.modules)
        noun = "import" if len(cycle.breakers) == 1 else "imports"
        if size == 1:
            head = "module imports itself: "
        elif len(cycle.chain) - 1 == size:
            head = f"import cycle of {size} modules: "
        else:
            # The chain is one cycle through the tangle, not all of it: said so, or
            # "cycle of 9 modules: a -> b -> a" reads as a contradiction.
            head = f"a tangle of {size} modules; shortest cycle: "
        return f"{head}{chain}; to break it, remove the {noun} {shown}"
