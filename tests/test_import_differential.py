"""SSOT005 against CPython's own import system, on generated package trees.

Each seeded tree has regular packages, a namespace folder, modules that define
names, re-export them (``from .m import X``, ``X as Y``, ``import pkg.m``), star
imports with and without ``__all__``, and probe modules of one import statement
each, some of which name a module or a name that does not exist, or a package by
its own file (``pkg.__init__``). One subprocess runs every probe of every tree;
the tool must report SSOT005 exactly for the probes CPython fails.
The library modules' own imports are always valid and acyclic (a re-export only
reaches modules generated before it), so a probe's fate is its own statement's.
"""

from __future__ import annotations

import json
import random
import subprocess
import sys
from pathlib import Path

import pytest

from ssot_scan.config import load_config
from ssot_scan.scan import run_scan

TREES = 300
NAMES = ["alpha", "beta", "gamma", "delta", "Thing", "make"]


def _tree(rng: random.Random) -> tuple[dict[str, str], list[str]]:
    """Files of one tree, and the import statements to probe."""
    files: dict[str, str] = {"top/__init__.py": ""}
    modules: list[tuple[str, set[str]]] = []  # (dotted name, names it binds), in order
    packages = ["top"]
    if rng.random() < 0.6:
        files["top/sub/__init__.py"] = ""
        packages.append("top.sub")
    namespace = rng.random() < 0.5
    if namespace:
        packages.append("top.ns")  # a folder without __init__.py
    for number in range(rng.randint(3, 6)):
        package = rng.choice(packages)
        name = f"{package}.m{number}"
        lines: list[str] = []
        bound: set[str] = set()
        for own in rng.sample(NAMES, rng.randint(0, 3)):
            lines.append(f"{own} = {number}")
            bound.add(own)
        earlier = [m for m in modules if m[1]]
        if earlier and rng.random() < 0.7:
            source, names = rng.choice(earlier)
            picked = rng.choice(sorted(names))
            form = rng.randrange(4)
            if form == 0:
                lines.insert(0, f"from {source} import {picked}")
                bound.add(picked)
            elif form == 1:
                lines.insert(0, f"from {source} import {picked} as re_{picked}")
                bound.add(f"re_{picked}")
            elif form == 2:
                lines.insert(0, f"from {source} import *")
                exported = names
                if any(line.startswith("__all__") for line in files[_path(source)].splitlines()):
                    exported = set(_all(files[_path(source)]))
                bound |= {n for n in exported if not n.startswith("_")}
            else:
                lines.insert(0, f"import {source}")
                bound.add(source.split(".")[0])
        if bound and rng.random() < 0.3:
            kept = sorted(rng.sample(sorted(bound), rng.randint(1, len(bound))))
            lines.append(f"__all__ = {kept!r}")
        files[_path(name)] = "\n".join(lines) + "\n"
        modules.append((name, bound))
    probes: list[str] = []
    for _ in range(8):
        module, names = rng.choice(modules)
        kind = rng.randrange(7)
        if kind == 0 and names:
            probes.append(f"from {module} import {rng.choice(sorted(names))}")
        elif kind == 1:
            probes.append(f"from {module} import missing_{rng.randrange(9)}")
        elif kind == 2:
            probes.append(f"import {module}")
        elif kind == 3:
            parent, _, last = module.rpartition(".")
            probes.append(f"from {parent} import {last}")
        elif kind == 4:
            probes.append(f"import {rng.choice(packages)}.nosuch{rng.randrange(9)}")
        elif kind == 5:
            # A package's own file by its name (statsmodels' ``from .__init__ import
            # test``): only a regular package has one.
            package = rng.choice(packages)
            probes.append(f"import {package}.__init__")
        else:
            package = rng.choice(packages)
            name = rng.choice(NAMES)
            probes.append(f"from {package}.__init__ import {name}")
    return files, probes


def _path(module: str) -> str:
    return module.replace(".", "/") + ".py"


def _all(text: str) -> list[str]:
    line = next(line for line in text.splitlines() if line.startswith("__all__"))
    return list(eval(line.split("=", 1)[1]))  # our own generated literal


def _cpython_verdicts(trees: dict[int, tuple[Path, list[str]]]) -> dict[int, list[bool]]:
    """Which probes of every tree CPython imports, in one interpreter: each tree on
    ``sys.path`` in turn, its modules forgotten before the next (all are ``top``)."""
    program = (
        "import importlib, json, sys\n"
        "verdicts = {}\n"
        "for seed, (root, probes) in json.loads(sys.stdin.read()).items():\n"
        "    sys.path.insert(0, root)\n"
        "    importlib.invalidate_caches()\n"
        "    ok = []\n"
        "    for statement in probes:\n"
        "        try:\n"
        "            exec(statement, {})\n"
        "            ok.append(True)\n"
        "        except ImportError:\n"
        "            ok.append(False)\n"
        "    verdicts[seed] = ok\n"
        "    sys.path.remove(root)\n"
        "    for name in [m for m in sys.modules if m == 'top' or m.startswith('top.')]:\n"
        "        del sys.modules[name]\n"
        "print(json.dumps(verdicts))\n"
    )
    given = {seed: [str(root), probes] for seed, (root, probes) in trees.items()}
    done = subprocess.run(
        [sys.executable, "-c", program],
        input=json.dumps(given),
        capture_output=True,
        text=True,
        check=True,
        timeout=300,
    )
    return {int(seed): [bool(v) for v in ok] for seed, ok in json.loads(done.stdout).items()}


@pytest.fixture(scope="module")
def trees(
    tmp_path_factory: pytest.TempPathFactory,
) -> dict[int, tuple[Path, dict[str, str], list[str], list[bool]]]:
    """Every generated tree, written out, with CPython's verdict on each probe."""
    made: dict[int, tuple[Path, dict[str, str], list[str]]] = {}
    base = tmp_path_factory.mktemp("trees")
    for seed in range(TREES):
        files, probes = _tree(random.Random(seed))
        root = base / f"tree{seed}"
        for rel, text in files.items():
            (root / rel).parent.mkdir(parents=True, exist_ok=True)
            (root / rel).write_text(text)
        for number, statement in enumerate(probes):
            (root / f"probe_{number}.py").write_text(statement + "\n")
        (root / "pyproject.toml").write_text("[tool.ssot-scan]\n")
        made[seed] = (root, files, probes)
    verdicts = _cpython_verdicts(
        {seed: (root, probes) for seed, (root, _, probes) in made.items()}
    )
    return {seed: (*made[seed], verdicts[seed]) for seed in made}


@pytest.mark.parametrize("seed", range(TREES))
def test_ssot005_agrees_with_cpython_on_a_generated_tree(
    trees: dict[int, tuple[Path, dict[str, str], list[str], list[bool]]], seed: int
) -> None:
    root, files, probes, expected = trees[seed]
    config = load_config([root])
    config.select = ["SSOT005"]
    result = run_scan([root], config)
    assert not any(not f.path.startswith("probe_") for f in result.findings), (
        files,
        [(f.path, f.message) for f in result.findings],
    )
    reported = {f.path for f in result.findings}
    for number, (statement, ok) in enumerate(zip(probes, expected, strict=True)):
        tool_ok = f"probe_{number}.py" not in reported
        assert tool_ok == ok, (statement, ok, files)
