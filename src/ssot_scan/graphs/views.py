"""Graph views of an analysis: every writer and drawing reads the same attributes.

A view is a ``networkx.DiGraph``. Every node has ``label`` and ``kind`` (``module``,
``package``, ``file``, ``path`` or ``definition``); an import path also has ``role``
(see ``result.path_role``) and a module in a cycle its ``component`` (1, 2, ...).
Every edge has ``sites``, the import statements behind it; a cycle's edge also has
``breaker``, true for the imports the cycle check suggests removing. Views hold
only strings, integers and booleans, so GraphML can write them as they are.
"""

from __future__ import annotations

from collections import Counter
from typing import Any, Optional

import networkx as nx

from ssot_scan import dotted
from ssot_scan.analysis import Analysis
from ssot_scan.cycles import runtime_graph
from ssot_scan.errors import UsageError
from ssot_scan.index.symbols import DEFINITION
from ssot_scan.result import path_role

WHATS = ("imports", "cycles", "symbol:NAME")


def parse_what(what: str) -> tuple[str, str]:
    """``imports``, ``cycles`` or ``symbol:NAME`` as (view, argument)."""
    if what in ("imports", "cycles"):
        return what, ""
    view, _, name = what.partition(":")
    if view == "symbol" and name.strip():
        return "symbol", name.strip()
    raise UsageError(f"--what {what!r}: expected one of {', '.join(WHATS)}")


def build_view(analysis: Analysis, what: str, depth: Optional[int] = None) -> Any:
    """The view ``what`` names (see ``parse_what``)."""
    view, name = parse_what(what)
    if view == "imports":
        return import_view(analysis, depth)
    if depth is not None:
        raise UsageError("--depth applies to --what imports only")
    if view == "cycles":
        return cycles_view(analysis)
    return symbol_view(analysis, name)


def import_view(analysis: Analysis, depth: Optional[int] = None) -> Any:
    """First-party modules and the imports between them; with ``depth``, modules
    collapsed to their first ``depth`` name parts (``pkg.sub``), imports between
    the groups summed and imports inside a group left out."""
    full = analysis.index.graph.graph
    view: Any = nx.DiGraph()

    def group(module: str) -> str:
        return module if depth is None else ".".join(module.split(".")[:depth])

    members: Counter[str] = Counter()
    for node, first_party in full.nodes(data="first_party"):
        if first_party:
            members[group(node)] += 1
    for node, count in sorted(members.items()):
        collapsed = depth is not None and (count > 1 or node not in full)
        view.add_node(node, label=node, kind="package" if collapsed else "module", modules=count)
    for source, target, sites in full.edges(data="sites"):
        a, b = group(source), group(target)
        if a not in members or b not in members or (depth is not None and a == b):
            continue
        if view.has_edge(a, b):
            view.edges[a, b]["sites"] += len(sites)
        else:
            view.add_edge(a, b, sites=len(sites))
    return view


def cycles_view(analysis: Analysis) -> Any:
    """Each import cycle's modules (``component`` numbered from 1, largest first, as
    the cycle check reports them) and the import-time edges among them, the
    suggested breakers marked."""
    runtime = runtime_graph(analysis.index.graph, analysis.config.include_lazy)
    full = analysis.index.graph
    view: Any = nx.DiGraph()
    for number, cycle in enumerate(analysis.cycles, start=1):
        members = set(cycle.modules)
        breakers = set(cycle.breakers)
        for module in cycle.modules:
            view.add_node(module, label=module, kind="module", component=number)
        for module in cycle.modules:
            for target in runtime[module]:
                if target in members:
                    view.add_edge(
                        module,
                        target,
                        sites=len(full.sites(module, target)),
                        breaker=(module, target) in breakers,
                    )
    return view


def symbol_definitions(analysis: Analysis, name: str) -> list[str]:
    """The definitions ``name`` means: a dotted path resolved as a rule pack's is,
    or every definition of that name or imported under it (``UnifiedWebSocketManager``
    for a class defined as ``_Implementation``); two of them are competing
    definitions, and the map shows both."""
    symbols = analysis.index.symbols
    if "." in name:
        resolution = symbols.resolve_dotted(name)
        if resolution.kind == DEFINITION:
            return [resolution.target]
    found = sorted(
        {
            u.definition
            for u in analysis.usages
            if name in (dotted.last(u.definition), u.name, u.imported.bound)
        }
    )
    if not found and "." in name:
        found = sorted({u.definition for u in analysis.usages if u.definition == name})
    if not found:
        raise UsageError(
            f"--what symbol:{name}: no first-party definition of that name is imported "
            "in the scanned code"
        )
    return found


def symbol_view(analysis: Analysis, name: str) -> Any:
    """Importer files -> the paths they import the symbol through -> its
    definitions, with site counts on the edges (the map of one fragmentation)."""
    definitions = symbol_definitions(analysis, name)
    wanted = set(definitions)
    fragments = {f.symbol: f for f in analysis.fragments if f.symbol in wanted}
    deprecations = analysis.deprecations
    view: Any = nx.DiGraph()
    for definition in definitions:
        view.add_node(f"def:{definition}", label=definition, kind="definition")
    files: Counter[tuple[str, str]] = Counter()
    paths: Counter[tuple[str, str]] = Counter()
    for usage in analysis.usages:
        if usage.definition not in wanted:
            continue
        files[(usage.file, usage.path)] += 1
        paths[(usage.path, usage.definition)] += 1
    for (path, definition), count in sorted(paths.items()):
        fragment = fragments.get(definition)
        canonical = fragment.canonical if fragment else path
        published = fragment.published if fragment else {path}
        deprecated = deprecations.inside_deprecated(path) is not None
        role = path_role(path, definition, canonical, deprecated, published)
        view.add_node(f"path:{path}", label=path, kind="path", role=role)
        view.add_edge(f"path:{path}", f"def:{definition}", sites=count)
    for (file, path), count in sorted(files.items()):
        view.add_node(f"file:{file}", label=file, kind="file")
        view.add_edge(f"file:{file}", f"path:{path}", sites=count)
    return view
