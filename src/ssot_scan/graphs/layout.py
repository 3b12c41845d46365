"""A layered drawing of a small graph as inline SVG, with no Graphviz at run time.

The pictures the report needs are layered by nature: a symbol's map has three columns
(importer files, import paths, definitions), and a cycle without its breaker edges is
acyclic, so its modules fall into columns by longest path. Within a column, nodes are
ordered by the barycentre heuristic (Sugiyama et al.): a few sweeps that move each
node towards the mean position of its neighbours in the column before, which removes
most crossings. Edges are Bézier curves from the right side of one box to the left
side of the next; an edge that runs backwards or within a column (a cycle's breaker)
arcs below the boxes, so it never hides behind one.
"""

from __future__ import annotations

from collections.abc import Mapping
from html import escape
from typing import Any

import msgspec
import networkx as nx

from ssot_scan.graphs.style import BREAKER_COLOUR, fill

NODE_WIDTH = 250
NODE_HEIGHT = 26
GAP_X = 110
GAP_Y = 12
MARGIN = 16
LABEL_CHARS = 36  # what fits in a box at the font size below
_SWEEPS = 4


class Drawing(msgspec.Struct, frozen=True):
    """An SVG element (``svg``) and its size, for the page to place."""

    svg: str
    width: int
    height: int


def longest_path_layers(graph: Any, ignored: set[tuple[str, str]]) -> dict[str, int]:
    """Columns for a graph that is acyclic once ``ignored`` edges are left out: each
    node one column right of its furthest predecessor (sources in column 0)."""
    dag: Any = nx.DiGraph()
    dag.add_nodes_from(graph.nodes)
    dag.add_edges_from((u, v) for u, v in graph.edges if (u, v) not in ignored and u != v)
    if not nx.is_directed_acyclic_graph(dag):  # not what the caller promised: one column
        return dict.fromkeys(graph.nodes, 0)
    layers: dict[str, int] = {}
    for node in nx.topological_sort(dag):
        layers[node] = max((layers[p] + 1 for p in dag.predecessors(node)), default=0)
    return layers


def _order(graph: Any, layers: Mapping[str, int]) -> list[list[str]]:
    """Nodes per column, ordered to cross few edges (barycentre sweeps)."""
    columns: list[list[str]] = [[] for _ in range(max(layers.values(), default=-1) + 1)]
    for node in sorted(layers, key=lambda n: str(graph.nodes[n].get("label", n))):
        columns[layers[node]].append(node)
    undirected = graph.to_undirected(as_view=True)
    for sweep in range(_SWEEPS):
        forward = sweep % 2 == 0
        indices = range(1, len(columns)) if forward else range(len(columns) - 2, -1, -1)
        for index in indices:
            reference = columns[index - 1] if forward else columns[index + 1]
            position = {node: i for i, node in enumerate(reference)}
            current = {node: i for i, node in enumerate(columns[index])}
            keys = {
                node: (_barycentre(undirected, node, position, current[node]), current[node])
                for node in columns[index]
            }
            columns[index].sort(key=keys.__getitem__)
    return columns


def _barycentre(graph: Any, node: str, position: Mapping[str, int], fallback: int) -> float:
    """The mean position of ``node``'s neighbours in the reference column."""
    near = [position[m] for m in graph.neighbors(node) if m in position]
    return sum(near) / len(near) if near else float(fallback)


def shorten(label: str, limit: int = LABEL_CHARS) -> str:
    """``label`` in at most ``limit`` characters, cut in the middle (both ends of a
    dotted path say the most)."""
    if len(label) <= limit:
        return label
    keep = limit - 1
    return label[: keep // 2] + "…" + label[len(label) - (keep - keep // 2) :]


def draw(graph: Any, layers: Mapping[str, int], uid: str, css_class: str = "map") -> Drawing:
    """``graph`` drawn with its nodes in ``layers`` (node -> column). Nodes carry
    ``label`` and ``kind``/``role`` (see ``views``); edges ``sites`` and ``breaker``.
    ``uid`` prefixes the drawing's ids, unique within the page that holds it."""
    columns = _order(graph, layers)
    tallest = max((len(c) for c in columns), default=0)
    column_height = tallest * (NODE_HEIGHT + GAP_Y) - GAP_Y
    width = 2 * MARGIN + len(columns) * NODE_WIDTH + max(len(columns) - 1, 0) * GAP_X
    arcs = any(layers[u] >= layers[v] for u, v in graph.edges)
    height = 2 * MARGIN + column_height + (40 if arcs else 0)  # room below for arcs
    place: dict[str, tuple[int, int]] = {}
    for index, column in enumerate(columns):
        offset = (column_height - (len(column) * (NODE_HEIGHT + GAP_Y) - GAP_Y)) // 2
        for row, node in enumerate(column):
            x = MARGIN + index * (NODE_WIDTH + GAP_X)
            y = MARGIN + offset + row * (NODE_HEIGHT + GAP_Y)
            place[node] = (x, y)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="{escape(css_class)}" '
        f'width="{width}" height="{height}" viewBox="0 0 {width} {height}" role="img">',
        "<defs>"
        f'<marker id="{uid}-arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" '
        'markerHeight="7" orient="auto-start-reverse"><path d="M0,0L10,5L0,10z" '
        'fill="#666"/></marker>'
        f'<marker id="{uid}-arrow-red" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" '
        f'markerHeight="7" orient="auto-start-reverse"><path d="M0,0L10,5L0,10z" '
        f'fill="{BREAKER_COLOUR}"/></marker>'
        "</defs>",
    ]
    for source, target, data in graph.edges(data=True):
        parts.append(_edge(place[source], place[target], data, layers, source, target, uid))
    for node, data in graph.nodes(data=True):
        x, y = place[node]
        label = str(data.get("label", node))
        role = data.get("role") or data.get("kind") or ""
        parts.append(
            f'<g class="node {escape(str(role))}"><title>{escape(label)}'
            + (f" ({escape(str(data['role']))})" if data.get("role") else "")
            + f'</title><rect x="{x}" y="{y}" width="{NODE_WIDTH}" height="{NODE_HEIGHT}" '
            f'rx="5" fill="{fill(data)}" stroke="#777"/>'
            f'<text x="{x + 8}" y="{y + NODE_HEIGHT // 2 + 4}">{escape(shorten(label))}</text>'
            "</g>"
        )
    parts.append("</svg>")
    return Drawing("".join(parts), width, height)


def _edge(
    start: tuple[int, int],
    end: tuple[int, int],
    data: Mapping[str, Any],
    layers: Mapping[str, int],
    source: str,
    target: str,
    uid: str,
) -> str:
    breaker = bool(data.get("breaker"))
    colour = BREAKER_COLOUR if breaker else "#888"
    marker = f"{uid}-arrow-red" if breaker else f"{uid}-arrow"
    dash = ' stroke-dasharray="6 4"' if breaker else ""
    sites = data.get("sites")
    (x1, y1), (x2, y2) = start, end
    if layers[source] < layers[target]:
        ax, ay = x1 + NODE_WIDTH, y1 + NODE_HEIGHT // 2
        bx, by = x2, y2 + NODE_HEIGHT // 2
        bend = (bx - ax) // 2
        path = f"M{ax},{ay} C{ax + bend},{ay} {bx - bend},{by} {bx},{by}"
        mx, my = (ax + bx) // 2, (ay + by) // 2 - 3
    else:  # backwards, within a column, or a module importing itself: an arc below
        ax, ay = x1 + NODE_WIDTH // 2, y1 + NODE_HEIGHT
        bx, by = x2 + NODE_WIDTH // 2 + (12 if source == target else 0), y2 + NODE_HEIGHT
        depth = max(ay, by) + 28
        path = f"M{ax},{ay} C{ax},{depth} {bx},{depth} {bx},{by}"
        mx, my = (ax + bx) // 2, depth - 4
    title = f"{source} → {target}"
    if sites is not None:
        title += f": {sites} site{'s' if sites != 1 else ''}"
    title += " (suggested breaker)" if breaker else ""
    count = (
        f'<text class="sites" x="{mx}" y="{my}" text-anchor="middle">{int(sites)}</text>'
        if sites is not None
        else ""
    )
    return (
        f'<g class="edge{" breaker" if breaker else ""}"><title>{escape(title)}</title>'
        f'<path d="{path}" fill="none" stroke="{colour}" stroke-width="{2 if breaker else 1.2}"'
        f'{dash} marker-end="url(#{marker})"/>{count}</g>'
    )
