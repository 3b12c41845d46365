"""SSOT004 (import-cycle) on small projects, and ``ssot_scan.cycles`` on synthetic graphs.

The project tests write a project into ``tmp_path`` and run the full scan. The graph
tests build a ``networkx.DiGraph`` directly and hold ``find_cycles`` to its promise:
removing the breakers of a component leaves it acyclic. No test here measures time
(timing lives in ``benchmarks/cycles.py``).
"""

from __future__ import annotations

import itertools
import random
from pathlib import Path
from typing import Any

import networkx as nx
import pytest
from helpers import located, scan_project

from ssot_scan.cycles import Cycle, find_cycles, strongly_connected_components
from ssot_scan.extract import extract
from ssot_scan.findings import Finding
from ssot_scan.report.json_report import result_json
from ssot_scan.result import ScanResult


def scan(root: Path, files: dict[str, str], config: str = "") -> ScanResult:
    """Write ``files`` plus a pyproject (``config`` appended to its table) and scan."""
    return scan_project(root, files, config, select=["SSOT004"])


def only(result: ScanResult) -> Finding:
    assert len(result.findings) == 1, [(f.path, f.line, f.message) for f in result.findings]
    return result.findings[0]


def rotations(hops: list[tuple[str, str]]) -> set[str]:
    """Every way to write the cycle ``hops`` as a chain, starting anywhere.

    ``hops`` are ``(module, "path:line" of its import of the next module)``.
    """
    chains = set()
    for start in range(len(hops)):
        turned = hops[start:] + hops[:start]
        parts = [turned[0][0]]
        for (_, where), (target, _) in zip(turned, [*turned[1:], turned[0]], strict=True):
            parts.append(f"{target} ({where})")
        chains.add(" -> ".join(parts))
    return chains


# =====================================================================================
# SSOT004 on projects
# =====================================================================================

_TWO = {
    "pkg/__init__.py": "",
    "pkg/a.py": "import os\nfrom pkg.b import g\n\n\ndef f():\n    pass\n",
    "pkg/b.py": "from pkg.a import f\n\n\ndef g():\n    pass\n",
}
# Where each edge's import sits.
_TWO_SITES = {("pkg.a", "pkg.b"): ("pkg/a.py", 2), ("pkg.b", "pkg.a"): ("pkg/b.py", 1)}

_THREE = {
    "pkg/__init__.py": "",
    "pkg/a.py": "import pkg.b\n",
    "pkg/b.py": "import os\nimport pkg.c\n",
    "pkg/c.py": "import os\nimport sys\nimport pkg.a\n",
}
_THREE_SITES = {
    ("pkg.a", "pkg.b"): ("pkg/a.py", 1),
    ("pkg.b", "pkg.c"): ("pkg/b.py", 2),
    ("pkg.c", "pkg.a"): ("pkg/c.py", 3),
}


def _assert_at_breaker(finding: Finding, sites: dict[tuple[str, str], tuple[str, int]]) -> None:
    breakers = [tuple(edge) for edge in finding.breakers]
    assert breakers, finding
    assert all(edge in sites for edge in breakers), breakers
    assert (finding.path, finding.line) == sites[breakers[0]]  # type: ignore[index]


def test_two_module_cycle_is_one_finding_with_chain_and_breaker(tmp_path: Path) -> None:
    finding = only(scan(tmp_path, _TWO))
    assert finding.code == "SSOT004"
    chains = rotations([("pkg.a", "pkg/a.py:2"), ("pkg.b", "pkg/b.py:1")])
    assert any(chain in finding.message for chain in chains), finding.message
    assert "remove" in finding.message
    assert finding.modules == ["pkg.a", "pkg.b"]
    _assert_at_breaker(finding, _TWO_SITES)


def test_three_module_cycle_is_one_finding_with_chain_and_breaker(tmp_path: Path) -> None:
    finding = only(scan(tmp_path, _THREE))
    chains = rotations([("pkg.a", "pkg/a.py:1"), ("pkg.b", "pkg/b.py:2"), ("pkg.c", "pkg/c.py:3")])
    assert any(chain in finding.message for chain in chains), finding.message
    assert "import cycle of 3 modules" in finding.message
    assert "remove" in finding.message
    assert finding.modules == ["pkg.a", "pkg.b", "pkg.c"]
    _assert_at_breaker(finding, _THREE_SITES)


def test_two_separate_cycles_are_two_findings(tmp_path: Path) -> None:
    result = scan(
        tmp_path,
        {
            **_TWO,
            "pkg/x.py": "import pkg.y\n",
            "pkg/y.py": "import pkg.x\n",
            "pkg/free.py": "import pkg.a\nimport pkg.x\n",  # reaches both, in neither
        },
    )
    assert len(result.findings) == 2
    assert sorted(f.modules for f in result.findings) == [
        ["pkg.a", "pkg.b"],
        ["pkg.x", "pkg.y"],
    ]


@pytest.mark.parametrize("source", ["import pkg.a\n", "from pkg import a\n", "from . import a\n"])
def test_module_importing_itself_is_a_cycle(tmp_path: Path, source: str) -> None:
    finding = only(scan(tmp_path, {"pkg/__init__.py": "", "pkg/a.py": source}))
    assert (finding.path, finding.line) == ("pkg/a.py", 1)
    assert "imports itself" in finding.message
    assert "remove" in finding.message
    assert finding.modules == ["pkg.a"]
    assert finding.breakers == [("pkg.a", "pkg.a")]


@pytest.mark.parametrize(
    "back_edge",
    [
        "from typing import TYPE_CHECKING\n\nif TYPE_CHECKING:\n    import pkg.a\n",
        "import typing\n\nif typing.TYPE_CHECKING:\n    from pkg.a import f\n",
    ],
    ids=["TYPE_CHECKING", "typing.TYPE_CHECKING"],
)
def test_type_checking_only_back_edge_is_no_cycle(tmp_path: Path, back_edge: str) -> None:
    result = scan(
        tmp_path, {"pkg/__init__.py": "", "pkg/a.py": "import pkg.b\n", "pkg/b.py": back_edge}
    )
    assert located(result) == set()
    assert result.cycles == []


# Airflow's models/dag.py: a flag static readers see as True, turned off at run time
# through a key no static reader can follow, hides an import meant for IDEs.
_STATICA_HACK = (
    "STATICA_HACK = True\n"
    'globals()["kcah_acitats"[::-1].upper()] = False\n'
    "if STATICA_HACK:\n"
    "    import pkg.a\n"
)


@pytest.mark.parametrize("engine", ["ast", "libcst"])
@pytest.mark.parametrize(
    "back_edge",
    [
        _STATICA_HACK,
        'HIDE = True\nglobals()["HIDE"] = False\nif HIDE:\n    import pkg.a\n',
    ],
    ids=["computed-key", "literal-key"],
)
def test_a_flag_turned_off_through_globals_hides_its_import_from_run_time(
    back_edge: str, engine: str
) -> None:
    facts = extract(back_edge.encode(), "pkg.b", False, engine)
    assert [(s.target, s.type_checking) for s in facts.imports] == [("pkg.a", True)]


@pytest.mark.parametrize("engine", ["ast", "libcst"])
@pytest.mark.parametrize(
    "back_edge",
    [
        "FLAG = True\nif FLAG:\n    import pkg.a\n",  # never rewritten
        'FLAG = True\nglobals()["OTHER"] = False\nif FLAG:\n    import pkg.a\n',
        "FLAG = True\nglobals()[k] = False\nFLAG = True\nif FLAG:\n    import pkg.a\n",
        "FLAG = 1\nglobals()[k] = False\nif FLAG:\n    import pkg.a\n",  # not the literal True
    ],
    ids=["plain-flag", "other-key", "rebound-after", "not-true"],
)
def test_a_flag_not_hidden_that_way_guards_a_run_time_import(back_edge: str, engine: str) -> None:
    facts = extract(back_edge.encode(), "pkg.b", False, engine)
    assert [(s.target, s.type_checking) for s in facts.imports] == [("pkg.a", False)]


def test_a_back_edge_behind_a_hidden_flag_is_no_cycle(tmp_path: Path) -> None:
    files = {"pkg/__init__.py": "", "pkg/a.py": "import pkg.b\n", "pkg/b.py": _STATICA_HACK}
    assert scan(tmp_path, files).cycles == []
    files["pkg/b.py"] = _STATICA_HACK.replace("globals()", "dict()")
    assert len(scan(tmp_path, files).cycles) == 1


_TYPE_CHECKING_BACK_EDGE = (
    "from typing import TYPE_CHECKING\n\nif TYPE_CHECKING:\n    import pkg.a\n"
)

_LAZY = {
    "pkg/__init__.py": "",
    "pkg/a.py": "import pkg.b\n",
    "pkg/b.py": "def f():\n    import pkg.a\n",
}


def test_function_level_back_edge_is_no_cycle(tmp_path: Path) -> None:
    result = scan(tmp_path, _LAZY)
    assert located(result) == set()


def test_function_level_back_edge_is_a_cycle_with_include_lazy(tmp_path: Path) -> None:
    result = scan(tmp_path, _LAZY, "[tool.ssot-scan.cycles]\ninclude-lazy = true\n")
    finding = only(result)
    assert finding.modules == ["pkg.a", "pkg.b"]
    _assert_at_breaker(
        finding, {("pkg.a", "pkg.b"): ("pkg/a.py", 1), ("pkg.b", "pkg.a"): ("pkg/b.py", 2)}
    )


def test_type_checking_back_edge_stays_out_even_with_include_lazy(tmp_path: Path) -> None:
    result = scan(
        tmp_path,
        {
            "pkg/__init__.py": "",
            "pkg/a.py": "import pkg.b\n",
            "pkg/b.py": _TYPE_CHECKING_BACK_EDGE,
        },
        "[tool.ssot-scan.cycles]\ninclude-lazy = true\n",
    )
    assert located(result) == set()


def test_import_inside_try_counts(tmp_path: Path) -> None:
    result = scan(
        tmp_path,
        {
            "pkg/__init__.py": "",
            "pkg/a.py": "import pkg.b\n",
            "pkg/b.py": "try:\n    import pkg.a\nexcept ImportError:\n    pkg = None\n",
        },
    )
    finding = only(result)
    _assert_at_breaker(
        finding, {("pkg.a", "pkg.b"): ("pkg/a.py", 1), ("pkg.b", "pkg.a"): ("pkg/b.py", 2)}
    )


def test_edge_with_a_runtime_site_and_a_type_checking_site_counts(tmp_path: Path) -> None:
    result = scan(
        tmp_path,
        {
            "pkg/__init__.py": "",
            "pkg/a.py": "import pkg.b\n",
            "pkg/b.py": (
                "from typing import TYPE_CHECKING\n\nif TYPE_CHECKING:\n    import pkg.a\n"
                "\nfrom pkg.a import x\n"
            ),
        },
    )
    finding = only(result)
    # The message and the location point at the import that runs, not the TYPE_CHECKING one.
    assert "pkg/b.py:6" in finding.message
    assert "pkg/b.py:4" not in finding.message


def test_from_package_import_submodule_is_an_edge_to_the_submodule(tmp_path: Path) -> None:
    result = scan(
        tmp_path,
        {
            "pkg/__init__.py": "",
            "pkg/a.py": "from pkg import b\n",
            "pkg/b.py": "from pkg.a import f\n",
        },
    )
    assert only(result).modules == ["pkg.a", "pkg.b"]


def test_from_package_import_submodule_is_not_an_edge_to_the_package(tmp_path: Path) -> None:
    # pkg/__init__ imports pkg.a, and pkg.a does ``from pkg import b``: an edge
    # pkg.a -> pkg would close a cycle that does not exist.
    result = scan(
        tmp_path,
        {
            "pkg/__init__.py": "from pkg.a import f\n",
            "pkg/a.py": "from pkg import b\n\n\ndef f():\n    pass\n",
            "pkg/b.py": "X = 1\n",
        },
    )
    assert located(result) == set()


def test_from_package_import_name_is_an_edge_to_the_package(tmp_path: Path) -> None:
    result = scan(
        tmp_path,
        {
            "pkg/__init__.py": "from pkg.a import f\n\nVALUE = 1\n",
            "pkg/a.py": "from pkg import VALUE\n\n\ndef f():\n    pass\n",
        },
    )
    assert only(result).modules == ["pkg", "pkg.a"]


def test_self_import_inside_a_larger_cycle_is_among_the_breakers(tmp_path: Path) -> None:
    # Regression: the self-import (pkg/a.py:1) was dropped from the breakers of a
    # two-module cycle; the message said to remove only pkg.b -> pkg.a, after which
    # pkg.a still imports itself. See test_self_loop_inside_a_larger_component_...
    finding = only(
        scan(
            tmp_path,
            {
                "pkg/__init__.py": "",
                "pkg/a.py": "import pkg.a\nimport pkg.b\n",
                "pkg/b.py": "import pkg.a\n",
            },
        )
    )
    assert ("pkg.a", "pkg.a") in finding.breakers


def test_json_output_has_cycles_and_their_count(tmp_path: Path) -> None:
    result = scan(tmp_path, {**_THREE, "pkg/x.py": "import pkg.x\n"})
    document = result_json(result)
    assert document["summary"]["cycles"] == 2
    assert document["summary"]["by_code"]["SSOT004"] == 2
    cycles = document["cycles"]
    assert [sorted(c) for c in cycles] == [["breakers", "chain", "files", "modules"]] * 2
    by_modules = {tuple(c["modules"]): c for c in cycles}
    assert set(by_modules) == {("pkg.a", "pkg.b", "pkg.c"), ("pkg.x",)}

    three = by_modules[("pkg.a", "pkg.b", "pkg.c")]
    chain = three["chain"]
    assert chain[0] == chain[-1]
    assert len(chain) == 4
    assert {tuple(hop) for hop in itertools.pairwise(chain)} == set(_THREE_SITES)
    assert all(tuple(edge) in _THREE_SITES for edge in three["breakers"])
    assert by_modules[("pkg.x",)] == {
        "modules": ["pkg.x"],
        "chain": ["pkg.x", "pkg.x"],
        "breakers": [["pkg.x", "pkg.x"]],
        "files": ["pkg/x.py"],
    }


def test_json_output_without_cycles_is_an_empty_list(tmp_path: Path) -> None:
    document = result_json(scan(tmp_path, _LAZY))
    assert document["cycles"] == []
    assert document["summary"]["cycles"] == 0


# =====================================================================================
# find_cycles on synthetic graphs
# =====================================================================================


def _assert_breakers_break_every_cycle(graph: Any, cycles: list[Cycle]) -> None:
    """Each non-trivial component is reported once, and its breakers make it acyclic."""
    components = [
        sorted(c)
        for c in nx.strongly_connected_components(graph)
        if len(c) > 1 or graph.has_edge(next(iter(c)), next(iter(c)))
    ]
    assert sorted(c.modules for c in cycles) == sorted(components)
    for cycle in cycles:
        component = graph.subgraph(cycle.modules).copy()
        assert cycle.breakers, cycle.modules
        assert all(component.has_edge(*edge) for edge in cycle.breakers)
        component.remove_edges_from(cycle.breakers)
        assert nx.is_directed_acyclic_graph(component), cycle.modules[:5]
        # The chain is a real cycle through the first breaker.
        chain = cycle.chain
        assert chain[0] == chain[-1]
        assert all(graph.has_edge(u, v) for u, v in itertools.pairwise(chain))
        assert (chain[0], chain[1]) == cycle.breakers[0]


def _random_graph(nodes: int, probability: float, seed: int) -> Any:
    graph = nx.gnp_random_graph(nodes, probability, seed=seed, directed=True)
    return nx.relabel_nodes(graph, {n: f"m{n:04d}" for n in graph})


@pytest.mark.parametrize(
    ("probability", "seed"),
    [
        *((0.005, seed) for seed in range(6)),
        *((0.01, seed) for seed in range(6)),
        (0.02, 0),  # one dense graph: ~160 breakers, pruning does most of the work
    ],
)
def test_breakers_leave_random_graphs_acyclic(probability: float, seed: int) -> None:
    graph = _random_graph(200, probability, seed)
    _assert_breakers_break_every_cycle(graph, find_cycles(graph))


@pytest.mark.parametrize("seed", range(4))
def test_breakers_are_each_needed_once_the_others_are_cut(seed: int) -> None:
    graph = _random_graph(200, 0.01, seed)
    for cycle in find_cycles(graph):
        if len(cycle.modules) == 1:
            continue
        for breaker in cycle.breakers:
            component = graph.subgraph(cycle.modules).copy()
            component.remove_edges_from([e for e in cycle.breakers if e != breaker])
            assert not nx.is_directed_acyclic_graph(component), breaker


def _ring_with_chords(size: int, chords: int, seed: int) -> Any:
    rng = random.Random(seed)
    names = [f"ring{i:04d}" for i in range(size)]
    graph = nx.DiGraph()
    graph.add_edges_from(zip(names, [*names[1:], names[0]], strict=True))
    while graph.number_of_edges() < size + chords:
        u, v = rng.sample(names, 2)
        graph.add_edge(u, v)
    return graph


@pytest.mark.parametrize("chords", [0, 50, 200])
def test_ring_of_600_with_chords_is_one_component_broken_by_its_breakers(chords: int) -> None:
    graph = _ring_with_chords(600, chords, seed=7)
    cycles = find_cycles(graph)
    assert len(cycles) == 1
    assert len(cycles[0].modules) == 600
    _assert_breakers_break_every_cycle(graph, cycles)


def test_plain_ring_needs_exactly_one_breaker() -> None:
    graph = _ring_with_chords(600, 0, seed=0)
    (cycle,) = find_cycles(graph)
    assert len(cycle.breakers) == 1
    assert len(cycle.chain) == 601  # the only cycle: every module, back to the start


def test_self_loop_alone_is_a_cycle_of_one() -> None:
    graph = nx.DiGraph([("a", "a"), ("a", "b"), ("b", "c")])
    assert [(c.modules, c.breakers, c.chain) for c in find_cycles(graph)] == [
        (["a"], [("a", "a")], ["a", "a"])
    ]


def test_acyclic_graph_has_no_cycles() -> None:
    graph = nx.gnp_random_graph(200, 0.05, seed=3, directed=True)
    dag = nx.DiGraph((f"m{u}", f"m{v}") for u, v in graph.edges if u < v)
    assert find_cycles(dag) == []


def test_self_loop_inside_a_larger_component_is_among_the_breakers() -> None:
    # Regression: _feedback_arcs dropped self-loops (u != v) and find_cycles only
    # reported them for one-module components, so in a -> b -> a plus a -> a the
    # breakers were [(b, a)] and removing them left a importing itself. The same
    # self-loop also made every trial in _prune cyclic, so nothing was pruned.
    graph = nx.DiGraph([("a", "b"), ("b", "a"), ("a", "a")])
    _assert_breakers_break_every_cycle(graph, find_cycles(graph))


def test_the_chain_of_a_tangle_never_shows_a_module_importing_itself() -> None:
    # dask/array/__init__.py imports itself (a reload in a recovery branch) and is in
    # a tangle with dask.array.reductions: the chain shown was "dask.array ->
    # dask.array", which says nothing of the tangle a maintainer must untie.
    graph = nx.DiGraph([("array", "array"), ("array", "reductions"), ("reductions", "array")])
    (cycle,) = find_cycles(graph)
    assert cycle.chain in (["array", "reductions", "array"], ["reductions", "array", "reductions"])
    assert ("array", "array") in cycle.breakers


def test_breakers_leave_random_graphs_with_self_loops_acyclic() -> None:
    # Regression: as above, on a random graph where some modules in cycles import
    # themselves.
    graph = _random_graph(200, 0.01, seed=1)
    rng = random.Random(1)
    graph.add_edges_from((n, n) for n in rng.sample(sorted(graph), 20))
    _assert_breakers_break_every_cycle(graph, find_cycles(graph))


def test_self_loops_do_not_stop_pruning() -> None:
    # Every breaker is still needed once the others are cut, self-loops or not.
    graph = _random_graph(200, 0.01, seed=1)
    rng = random.Random(1)
    graph.add_edges_from((n, n) for n in rng.sample(sorted(graph), 20))
    (cycle,) = [c for c in find_cycles(graph) if len(c.modules) > 1]
    for breaker in cycle.breakers:
        if breaker[0] == breaker[1]:
            continue  # a self-import is always needed
        component = graph.subgraph(cycle.modules).copy()
        component.remove_edges_from(list(nx.selfloop_edges(component)))
        component.remove_edges_from([e for e in cycle.breakers if e != breaker])
        assert not nx.is_directed_acyclic_graph(component), breaker


def test_result_does_not_depend_on_edge_insertion_order() -> None:
    graph = _random_graph(200, 0.01, seed=5)
    edges = list(graph.edges)
    random.Random(5).shuffle(edges)
    shuffled = nx.DiGraph()
    shuffled.add_nodes_from(sorted(graph, reverse=True))
    shuffled.add_edges_from(edges)
    assert find_cycles(shuffled) == find_cycles(graph)


def _large_graph(seed: int) -> tuple[Any, list[str]]:
    """10,000 modules: a 600-module strongly connected core, everything else a DAG."""
    rng = random.Random(seed)
    names = [f"mod{i:05d}" for i in range(10_000)]
    core = names[:600]
    graph = nx.DiGraph()
    graph.add_nodes_from(names)
    graph.add_edges_from(zip(core, [*core[1:], core[0]], strict=True))
    for _ in range(1_200):
        graph.add_edge(*rng.sample(core, 2))
    for i in range(600, len(names)):
        # Forward edges only (to lower numbers, never into a later module), so no new cycle
        # forms: modules outside the core import the core and earlier modules.
        for target in rng.sample(range(i), 3):
            graph.add_edge(names[i], names[target])
    return graph, core


@pytest.mark.parametrize(
    ("nodes", "probability", "seed"),
    [(300, p, s) for p in (0.002, 0.005, 0.01, 0.03) for s in range(3)],
)
def test_components_are_networkx_components(nodes: int, probability: float, seed: int) -> None:
    # The scan's own Tarjan against networkx's, on plain dicts as the scan gives it
    # (``runtime_graph``), self-loops included.
    graph = _random_graph(nodes, probability, seed)
    graph.add_edges_from((n, n) for n in random.Random(seed).sample(sorted(graph), 10))
    adjacency = {n: list(graph.successors(n)) for n in graph}
    ours = sorted(sorted(c) for c in strongly_connected_components(adjacency))
    assert ours == sorted(sorted(c) for c in nx.strongly_connected_components(graph))


@pytest.mark.parametrize("ring", [True, False])
def test_a_chain_of_100000_imports_needs_no_recursion(ring: bool) -> None:
    # Each module imports the next: far deeper than Python's recursion limit.
    names = [f"m{i:06d}" for i in range(100_000)]
    adjacency = {name: [after] for name, after in itertools.pairwise(names)}
    adjacency[names[-1]] = [names[0]] if ring else []
    components = list(strongly_connected_components(adjacency))
    if ring:
        assert [len(c) for c in components] == [100_000]
    else:
        assert len(components) == 100_000  # every module its own component
        assert find_cycles(adjacency) == []


def test_10000_modules_with_a_600_module_component_completes() -> None:
    graph, core = _large_graph(seed=11)
    cycles = find_cycles(graph)
    assert [c.modules for c in cycles] == [sorted(core)]
    _assert_breakers_break_every_cycle(graph, cycles)


def test_a_tangle_larger_than_its_shortest_cycle_says_both(tmp_path: Path) -> None:
    # Seen: "import cycle of 9 modules: a -> b -> a" read as a contradiction.
    files = {
        "pkg/__init__.py": "",
        "pkg/a.py": "import pkg.b\n",
        "pkg/b.py": "import pkg.a\nimport pkg.c\n",
        "pkg/c.py": "import pkg.d\n",
        "pkg/d.py": "import pkg.b\n",
    }
    finding = only(scan(tmp_path, files))
    assert finding.message.startswith("a tangle of 4 modules; shortest cycle: "), finding.message
    assert finding.modules == ["pkg.a", "pkg.b", "pkg.c", "pkg.d"]
