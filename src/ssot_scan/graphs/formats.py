"""Writers for a graph view (see ``views``): DOT, Mermaid, GraphML, node-link JSON.

GraphML and JSON come from networkx's own writers, so any tool that reads networkx's
output reads these. DOT and Mermaid are written here, since networkx writes DOT only
through pydot or pygraphviz (neither is a dependency) and Mermaid not at all; both
quote every identifier and label, so module names, file paths and odd characters
cannot break the syntax.
"""

from __future__ import annotations

import json
from typing import Any

import networkx as nx

from ssot_scan.graphs import GRAPH_FORMATS
from ssot_scan.graphs.style import BREAKER_COLOUR, FILLS, fill


def render_graph(graph: Any, fmt: str) -> str:
    """``graph`` written as ``fmt`` (one of ``GRAPH_FORMATS``)."""
    if fmt == "dot":
        return to_dot(graph)
    if fmt == "mermaid":
        return to_mermaid(graph)
    if fmt == "graphml":
        return "\n".join(nx.generate_graphml(graph, prettyprint=True)) + "\n"
    if fmt == "json":
        data = nx.node_link_data(graph, edges="links")
        return json.dumps(data, indent=2, sort_keys=True) + "\n"
    raise ValueError(f"unknown graph format {fmt!r}: expected one of {', '.join(GRAPH_FORMATS)}")


def _edge_label(attributes: dict[str, Any]) -> str:
    sites = attributes.get("sites", 0)
    label = f"{sites} site" if sites == 1 else f"{sites} sites"
    return label + (", breaker" if attributes.get("breaker") else "")


def dot_quote(text: str) -> str:
    """A DOT double-quoted string: backslashes and quotes escaped, newlines kept."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{escaped}"'


def to_dot(graph: Any) -> str:
    """Graphviz DOT: left to right, cycles as clusters, breakers red and dashed."""
    lines = [
        "digraph ssot {",
        "  rankdir=LR;",
        '  node [shape=box, style="rounded,filled", fontname="Helvetica", fontsize=10];',
        '  edge [fontname="Helvetica", fontsize=9];',
    ]
    clusters: dict[int, list[str]] = {}
    for node, attributes in graph.nodes(data=True):
        component = attributes.get("component")
        line = (
            f"{dot_quote(node)} [label={dot_quote(attributes.get('label', node))}, "
            f"fillcolor={dot_quote(fill(attributes))}];"
        )
        if component is None:
            lines.append(f"  {line}")
        else:
            clusters.setdefault(component, []).append(line)
    for component, members in sorted(clusters.items()):
        lines.append(f"  subgraph cluster_{component} {{")
        lines.append(f"    label={dot_quote(f'cycle {component} ({len(members)} modules)')};")
        lines.extend(f"    {member}" for member in members)
        lines.append("  }")
    for source, target, attributes in graph.edges(data=True):
        extra = ""
        if attributes.get("breaker"):
            extra = f", color={dot_quote(BREAKER_COLOUR)}, style=dashed, penwidth=2"
        lines.append(
            f"  {dot_quote(source)} -> {dot_quote(target)} "
            f"[label={dot_quote(_edge_label(attributes))}{extra}];"
        )
    lines.append("}")
    return "\n".join(lines) + "\n"


def mermaid_text(text: str) -> str:
    """Text for a quoted Mermaid label: quotes and markup characters as entities,
    line breaks as spaces (a label is one line)."""
    replacements = {
        "&": "#amp;",
        '"': "#quot;",
        "<": "#lt;",
        ">": "#gt;",
        "|": "#124;",
        "\n": " ",
        "\r": " ",
    }
    return "".join(replacements.get(character, character) for character in text)


def to_mermaid(graph: Any) -> str:
    """A Mermaid flowchart: nodes numbered (``n0``...), labels quoted, cycles as
    subgraphs, breaker links red and dashed (``linkStyle``)."""
    ids = {node: f"n{number}" for number, node in enumerate(graph.nodes)}
    lines = ["flowchart LR"]
    clusters: dict[int, list[str]] = {}
    classes: dict[str, list[str]] = {}
    for node, attributes in graph.nodes(data=True):
        label = mermaid_text(str(attributes.get("label", node)))
        declaration = f'{ids[node]}["{label}"]'
        component = attributes.get("component")
        if component is None:
            lines.append(f"  {declaration}")
        else:
            clusters.setdefault(component, []).append(declaration)
        style = str(attributes.get("role") or attributes.get("kind") or "")
        if style:
            classes.setdefault(style, []).append(ids[node])
    for component, members in sorted(clusters.items()):
        title = mermaid_text(f"cycle {component} ({len(members)} modules)")
        lines.append(f'  subgraph c{component}["{title}"]')
        lines.extend(f"    {member}" for member in members)
        lines.append("  end")
    breakers = []
    for number, (source, target, attributes) in enumerate(graph.edges(data=True)):
        arrow = "-.->" if attributes.get("breaker") else "-->"
        label = mermaid_text(_edge_label(attributes))
        lines.append(f'  {ids[source]} {arrow}|"{label}"| {ids[target]}')
        if attributes.get("breaker"):
            breakers.append(str(number))
    if breakers:
        lines.append(f"  linkStyle {','.join(breakers)} stroke:{BREAKER_COLOUR},stroke-width:2px")
    for style, members in sorted(classes.items()):
        colour = fill({"role": style} if style in FILLS else {"kind": style})
        lines.append(f"  classDef {_class_name(style)} fill:{colour},stroke:#555")
        lines.append(f"  class {','.join(members)} {_class_name(style)}")
    return "\n".join(lines) + "\n"


def _class_name(style: str) -> str:
    """A class name Mermaid accepts (``definition`` is also a role: one class)."""
    return "k_" + "".join(c if c.isalnum() else "_" for c in style)
