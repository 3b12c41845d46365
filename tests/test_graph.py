"""``ssot-scan graph``: the views (imports, cycles, one symbol) on the bundled fixture,
and the writers (DOT, Mermaid, GraphML, node-link JSON) checked by parsing what they
write: pydot always, Graphviz's ``dot`` when it is installed."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import networkx as nx
import pydot
import pytest

from ssot_scan.analysis import Analysis
from ssot_scan.config import load_config, load_rule_packs
from ssot_scan.errors import UsageError
from ssot_scan.graphs.formats import render_graph, to_dot, to_mermaid
from ssot_scan.graphs.views import build_view, cycles_view, import_view, symbol_view
from ssot_scan.scan import analyse_project

RunCli = Callable[..., "tuple[int, str, str]"]
FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "websocket_app"
MESSAGE = "app.websocket_core.unified_manager.WebSocketMessage"


@pytest.fixture(scope="module")
def analysis() -> Analysis:
    config = load_config([FIXTURE])
    load_rule_packs(config, [])
    return analyse_project([FIXTURE], config)[1]


def test_cycles_view_holds_each_cycle_with_its_breakers_marked(analysis: Analysis) -> None:
    view = cycles_view(analysis)
    components = {data["component"] for _, data in view.nodes(data=True)}
    assert components == {1, 2}
    for number, cycle in enumerate(analysis.cycles, start=1):
        members = {n for n, data in view.nodes(data=True) if data["component"] == number}
        assert members == set(cycle.modules)
        marked = {(u, v) for u, v, data in view.edges(data=True) if data["breaker"]}
        assert set(cycle.breakers) <= marked
    marked = {(u, v) for u, v, data in view.edges(data=True) if data["breaker"]}
    assert marked == {edge for cycle in analysis.cycles for edge in cycle.breakers}
    # Every edge lies inside one cycle and is an import-time import.
    for source, target in view.edges:
        assert view.nodes[source]["component"] == view.nodes[target]["component"]


def test_symbol_view_maps_files_to_paths_to_the_definition(analysis: Analysis) -> None:
    view = symbol_view(analysis, "WebSocketMessage")
    definition = f"def:{MESSAGE}"
    into = {u: data["sites"] for u, _, data in view.in_edges(definition, data=True)}
    assert into == {
        "path:app.websocket_core.websocket_manager": 3,
        "path:app.websocket_core": 2,
        "path:app.websocket_core.__init___compat": 1,
        "path:app.websocket_core.canonical_imports": 1,
    }
    roles = {n: d["role"] for n, d in view.nodes(data=True) if d["kind"] == "path"}
    assert roles["path:app.websocket_core.websocket_manager"] == "canonical"
    assert roles["path:app.websocket_core.__init___compat"] == "deprecated"
    # Each path's sites are the sum of what its importer files import through it.
    for path, sites in into.items():
        assert sum(d["sites"] for _, _, d in view.in_edges(path, data=True)) == sites
    assert all(view.nodes[u]["kind"] == "file" for u, _ in view.in_edges(list(into)))
    # The dotted path names the same map.
    dotted = symbol_view(analysis, MESSAGE)
    assert set(dotted.edges) == set(view.edges)


def test_a_symbol_nobody_imports_is_a_usage_error(analysis: Analysis) -> None:
    with pytest.raises(UsageError, match="no first-party definition"):
        symbol_view(analysis, "NoSuchThing")
    with pytest.raises(UsageError, match="--what"):
        build_view(analysis, "symbols")
    with pytest.raises(UsageError, match="--depth"):
        build_view(analysis, "cycles", depth=1)


def test_import_view_collapses_to_packages_at_a_depth(analysis: Analysis) -> None:
    full = import_view(analysis)
    assert "app.websocket_core.manager" in full
    assert all(data["kind"] == "module" for _, data in full.nodes(data=True))
    collapsed = import_view(analysis, depth=2)
    assert "app.websocket_core" in collapsed and "app.websocket_core.manager" not in collapsed
    assert collapsed.nodes["app.websocket_core"]["kind"] == "package"
    assert not any(u == v for u, v in collapsed.edges)
    # Sites are summed, never lost: every cross-package import is counted once.
    crossing = sum(
        data["sites"]
        for u, v, data in full.edges(data=True)
        if u.split(".")[:2] != v.split(".")[:2]
    )
    assert sum(data["sites"] for _, _, data in collapsed.edges(data=True)) == crossing


def _views(analysis: Analysis) -> list[Any]:
    return [
        import_view(analysis),
        import_view(analysis, depth=2),
        cycles_view(analysis),
        symbol_view(analysis, "UnifiedWebSocketManager"),
    ]


def test_dot_parses_with_pydot_and_keeps_every_node_and_edge(analysis: Analysis) -> None:
    for view in _views(analysis):
        (parsed,) = pydot.graph_from_dot_data(to_dot(view))
        nodes = {n.get_name().strip('"') for n in parsed.get_nodes()}
        for subgraph in parsed.get_subgraphs():
            nodes |= {n.get_name().strip('"') for n in subgraph.get_nodes()}
        nodes -= {"node", "edge", "graph"}
        assert nodes == set(view.nodes)
        edges = {
            (e.get_source().strip('"'), e.get_destination().strip('"')) for e in parsed.get_edges()
        }
        assert edges == set(view.edges)


@pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz is not installed")
def test_dot_renders_with_graphviz(analysis: Analysis) -> None:
    for view in _views(analysis):
        done = subprocess.run(
            ["dot", "-Tsvg"], input=to_dot(view), capture_output=True, text=True, check=False
        )
        assert done.returncode == 0, done.stderr
        assert "<svg" in done.stdout and not done.stderr.strip()


# Mermaid flowchart statements this writer uses, and nothing else.
_MERMAID_LINE = re.compile(
    r"""
    flowchart\ LR
    | \ {2,4}n\d+\["[^"\n]*"\]
    | \ {2}subgraph\ c\d+\["[^"\n]*"\]
    | \ {2}end
    | \ {2}n\d+\ (-->|-\.->)\|"[^"|\n]*"\|\ n\d+
    | \ {2}linkStyle\ \d+(,\d+)*\ stroke:\#[0-9a-f]{6},stroke-width:2px
    | \ {2}classDef\ k_\w+\ fill:\#[0-9a-f]{6},stroke:\#555
    | \ {2}class\ n\d+(,n\d+)*\ k_\w+
    """,
    re.VERBOSE,
)


def test_mermaid_follows_the_flowchart_grammar(analysis: Analysis) -> None:
    for view in _views(analysis):
        text = to_mermaid(view)
        declared: set[str] = set()
        links = 0
        for line in text.splitlines():
            assert _MERMAID_LINE.fullmatch(line), line
            declared.update(re.findall(r"(n\d+)\[", line))
            link = re.fullmatch(r"\s+(n\d+) \S+\|\"[^\"]*\"\| (n\d+)", line)
            if link:
                links += 1
                assert set(link.groups()) <= declared  # nodes come before links
        assert len(declared) == view.number_of_nodes()
        assert links == view.number_of_edges()
        assert text.count("subgraph") == text.count("\n  end")


def test_hostile_labels_cannot_break_dot_or_mermaid() -> None:
    graph: Any = nx.DiGraph()
    odd = 'we"ird\\name\n<b>|x&y'
    graph.add_node(odd, label=odd, kind="file")
    graph.add_node("plain", label="plain", kind="module")
    graph.add_edge(odd, "plain", sites=2, breaker=True)
    (parsed,) = pydot.graph_from_dot_data(to_dot(graph))
    assert len(parsed.get_edges()) == 1
    mermaid = to_mermaid(graph)
    for line in mermaid.splitlines():
        assert _MERMAID_LINE.fullmatch(line), line
    assert "#quot;" in mermaid and "#124;" in mermaid


def test_graphml_and_json_read_back_into_the_same_graph(
    analysis: Analysis, tmp_path: Path
) -> None:
    for view in _views(analysis):
        path = tmp_path / "g.graphml"
        path.write_text(render_graph(view, "graphml"))
        back = nx.read_graphml(path)
        assert set(back.nodes) == set(view.nodes) and set(back.edges) == set(view.edges)
        assert dict(back.nodes(data=True)) == dict(view.nodes(data=True))
        data = json.loads(render_graph(view, "json"))
        again = nx.node_link_graph(data, edges="links")
        assert nx.utils.graphs_equal(again, view)


def test_graph_command_writes_a_file_and_refuses_bad_options(
    tmp_path: Path, run_cli: RunCli
) -> None:
    root = tmp_path / "app"
    shutil.copytree(FIXTURE, root)
    code, out, err = run_cli(
        ["graph", "--no-cache", "--what", "cycles", "--format", "mermaid", "-o", "c.mmd"], root
    )
    assert code == 0 and out == ""
    assert "wrote c.mmd:" in err
    text = (root / "c.mmd").read_text()
    assert text.startswith("flowchart LR\n") and "cycle 1 (3 modules)" in text
    code, out, err = run_cli(["graph", "--no-cache", "--what", "symbol:Nope"], root)
    assert code == 2 and out == ""
    assert err.strip().splitlines() == [
        "ssot-scan: error: --what symbol:Nope: no first-party definition of that name is "
        "imported in the scanned code"
    ]
    code, _, err = run_cli(["graph", "--what", "everything"], root)
    assert code == 2 and "--what 'everything'" in err
    code, _, err = run_cli(["graph", "--format", "png"], root)
    assert code == 2 and "png" in err


def test_import_edges_reach_submodules_only_where_a_module_can_hold_them(
    tmp_path: Path, make_project: Callable[..., Path]
) -> None:
    # ``from p import n`` reaches ``p.n`` when that is a module, else ``p``; only a
    # folder of modules (or ``pkg.__init__`` of a package) can hold one, and a plain
    # module's names are not looked up.
    files = {
        "pyproject.toml": "",
        "pkg/__init__.py": "",
        "pkg/sub.py": "",
        "lone/__init__.py": "",
        "plain.py": "thing = 1\n",
        "user.py": (
            "from pkg import sub, name\n"
            "from lone import __init__\n"
            "from plain import thing\n"
            "from os import path\n"
            "from ns import mod\n"
        ),
        "ns/mod.py": "",
    }
    root = make_project(tmp_path, files)
    config = load_config([root])
    load_rule_packs(config, [])
    index = analyse_project([root], config)[1].index
    assert list(index.graph.imports["user"]) == [
        "pkg.sub",
        "pkg",
        "lone.__init__",
        "plain",
        "os",
        "ns.mod",
    ]
