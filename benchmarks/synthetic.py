"""A seeded generator of a large, realistic synthetic Python codebase.

The speed targets of ssot-scan are stated for a 10,000-module, 150 MB codebase, and no
real project of that size can be downloaded from PyPI alone, so the benchmark builds
one. It has to look like real code to the scanner, or the figures mean nothing:

- packages nested 2-4 deep under ``src/``, about 50 modules each;
- every module has a docstring, standard-library and third-party imports, and 5-15
  first-party imports: mostly ``from pkg.sub.mod import Name``, some relative, some
  ``import pkg.mod as alias`` or ``from pkg import submodule``, a few inside functions
  and under ``if TYPE_CHECKING:``;
- classes and functions with real bodies (methods, docstrings, comprehensions,
  f-strings, dict literals, async code) up to a per-module size drawn so the whole
  tree reaches the requested megabytes;
- the patterns ssot-scan exists to find: package ``__init__`` re-exports (with
  ``__all__``, chained through parent packages), compat shims that re-export with
  ``X = Y`` aliases and warn with ``DeprecationWarning`` at module level, names
  imported through a module that only imports them for its own use, a few module-level
  import cycles and a handful of imports of names that do not exist.

Module-level first-party imports only point from a module to modules of lower "rank"
(a random order, with a package ``__init__`` ranked above what it re-exports), so the
import-time graph is acyclic except for the cycles added on purpose; otherwise a
random graph of 10,000 modules would be one giant cycle, which no real codebase is.

It is deterministic: one ``random.Random(seed)`` drives everything, nothing depends on
set or hash order, nothing writes a timestamp, so a seed gives the same bytes every
time (``--check`` generates twice and compares).

    python benchmarks/synthetic.py OUT [--modules 10000] [--megabytes 150] [--seed 7]
"""

from __future__ import annotations

import argparse
import functools
import hashlib
import itertools
import json
import random
import shutil
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

# Bumped whenever the output for a given seed changes (run.py reuses a corpus whose
# marker matches the parameters and this version).
GENERATOR_VERSION = 1
MARKER = ".synthetic.json"


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


TOPS = _words("atlas beacon cobalt dynamo ember fjord granite harbor iris juniper")
AREAS = _words(
    "accounts analytics audit auth billing catalog checkout compliance content core "
    "dispatch documents exports fulfilment geo identity imports insights integrations "
    "inventory ledger media messaging metering notifications onboarding orders partners "
    "payments platform pricing procurement profiles quotas ranking reporting returns risk "
    "routing scheduling search sessions shipping storage subscriptions support tax "
    "tenancy ticketing vendors webhooks workflow"
)
NOUNS = _words(
    "account address alert asset batch budget cart channel charge claim contract coupon "
    "credit customer device discount document entry event feature feed grant invoice item "
    "job label ledger limit listing member message meter note offer order parcel payment "
    "payout period plan policy price product profile quote rate receipt refund region "
    "reminder request reservation route rule segment session shipment slot snapshot "
    "statement stock tenant ticket token transfer user vendor voucher warehouse window"
)
ROLES = _words(
    "adapters admin api backends builders cache client constants events exceptions "
    "factory filters formatters forms handlers helpers hooks manager metrics mixins "
    "models parsers policies queries repository schemas serializers service signals store "
    "tasks types utils validators views"
)
VERBS = _words(
    "apply build cancel check collect compute convert count create decode encode ensure "
    "estimate expand fetch find flush group load lookup make merge normalise notify parse "
    "prepare publish rebuild refresh register render resolve schedule select split store "
    "summarise sync update validate"
)
KINDS = _words(
    "Adapter Backend Builder Client Config Error Event Factory Handler Manager Mixin "
    "Policy Provider Record Registry Repository Request Response Result Schema Serializer "
    "Service Snapshot Spec Store Summary Task Validator View Worker"
)
ADJECTIVES = _words(
    "active archived cached current default derived draft expired external failed "
    "internal latest local manual merged pending primary remote scheduled shared"
)
STDLIB = (
    "import json",
    "import os",
    "import re",
    "import time",
    "import uuid",
    "import hashlib",
    "import functools",
    "import itertools",
    "from collections import defaultdict",
    "from datetime import datetime, timedelta",
    "from decimal import Decimal",
    "from enum import Enum",
    "from pathlib import Path",
)
THIRD_PARTY = (
    "import requests",
    "import yaml",
    "import numpy as np",
    "from pydantic import BaseModel",
    "from sqlalchemy import Column, Integer, String",
    "import attr",
    "from dateutil import parser as date_parser",
)


@dataclass
class Export:
    """A public name a module defines (or, for ``__init__`` and shims, re-exports)."""

    name: str
    kind: str  # "class" or "function"


@dataclass
class Entry:
    """One way to import a name: ``from source import name``."""

    source: str
    name: str
    kind: str


@dataclass
class ImportSpec:
    """A first-party import of a planned module."""

    source: str  # the module the statement names
    name: str
    kind: str
    where: str  # "module", "lazy", "type_checking", "guarded"
    form: str = "absolute"  # "absolute", "relative", "module_alias", "submodule"
    prefix: str = ""  # for relative imports: "." or ".."


@dataclass
class Package:
    name: str
    depth: int
    parent: Optional[Package]
    children: list[Package] = field(default_factory=list)
    modules: list[Module] = field(default_factory=list)
    taken: set[str] = field(default_factory=set)  # module and subpackage names (membership only)
    init: Optional[Module] = None


@dataclass
class Module:
    name: str
    package: Package
    kind: str  # "regular", "shim", "init"
    rank: float = 0.0
    size: int = 0
    exports: list[Export] = field(default_factory=list)
    imports: list[ImportSpec] = field(default_factory=list)
    namespace: set[str] = field(default_factory=set)  # bound names (membership only)
    target: Optional[Module] = None  # shim: the module it stands in for
    reexports: list[tuple[str, Export]] = field(default_factory=list)  # init: (".child", name)
    aliases: list[tuple[str, str]] = field(default_factory=list)  # shim: (alias, original)
    sources: list[Module] = field(default_factory=list)  # init: what it re-exports from

    @property
    def leaf(self) -> str:
        return self.name.rsplit(".", 1)[-1]

    def relpath(self) -> str:
        parts = self.name.split(".")
        if self.kind == "init":
            return "src/" + "/".join(parts) + "/__init__.py"
        return "src/" + "/".join(parts) + ".py"


def _camel(*words: str) -> str:
    return "".join(word[:1].upper() + word[1:] for word in words)


class _Planner:
    """Decides the whole tree (packages, modules, names, imports) before writing."""

    def __init__(self, modules: int, megabytes: float, seed: int) -> None:
        self.rng = random.Random(seed)
        self.total_modules = modules
        self.total_bytes = int(megabytes * 1_000_000)
        self.packages: list[Package] = []
        self.modules: list[Module] = []
        self.by_name: dict[str, Module] = {}  # importable module names (packages: their init)
        self.class_names: dict[str, set[str]] = {}  # package -> class names (membership only)
        self.regulars: list[Module] = []  # plain modules (not __init__, not shims)

    # -- tree -------------------------------------------------------------------------

    def build_tree(self) -> None:
        rng = self.rng
        n_packages = max(2, self.total_modules // 50)
        n_tops = max(1, min(len(TOPS), n_packages // 40))
        for name in TOPS[:n_tops]:
            self.packages.append(Package(name, 1, None))
        while len(self.packages) < n_packages:
            depth = rng.choice((2, 2, 3, 3, 3, 4))
            parents = [pkg for pkg in self.packages if pkg.depth == depth - 1]
            if not parents:
                parents = [pkg for pkg in self.packages if pkg.depth == 1]
            parent = rng.choice(parents)
            name = self._fresh(parent, lambda: rng.choice(AREAS))
            child = Package(f"{parent.name}.{name}", parent.depth + 1, parent)
            child.taken.add(name)  # no atlas/billing/billing
            parent.children.append(child)
            self.packages.append(child)
        for pkg in self.packages:
            pkg.init = Module(pkg.name, pkg, "init")
            self.modules.append(pkg.init)
            self.by_name[pkg.name] = pkg.init

    def _fresh(self, pkg: Package, draw: Callable[[], str]) -> str:
        """A module or subpackage name not yet used in ``pkg`` (``draw()`` proposes)."""
        for _ in range(20):
            name = draw()
            if name not in pkg.taken:
                pkg.taken.add(name)
                return name
        base = draw()
        number = 2
        while f"{base}_{number}" in pkg.taken:
            number += 1
        pkg.taken.add(f"{base}_{number}")
        return f"{base}_{number}"

    def _shim_name(self, leaf: str) -> str:
        return self.rng.choice(("legacy_", "compat_", "old_")) + leaf

    def _class_name(self, pkg: Package, *stem: str) -> str:
        taken = self.class_names.setdefault(pkg.name, set())
        rng = self.rng
        for attempt in range(30):
            extra = (rng.choice(NOUNS),) if attempt >= 10 else ()
            name = _camel(*stem, *extra, rng.choice(KINDS))
            if name not in taken:
                taken.add(name)
                return name
        name = _camel(*stem, rng.choice(NOUNS), rng.choice(NOUNS), rng.choice(KINDS))
        taken.add(name)
        return name

    # -- modules and their names --------------------------------------------------------

    def build_modules(self) -> None:
        rng = self.rng
        n_shims = max(2, self.total_modules // 200)
        n_regular = self.total_modules - len(self.packages) - n_shims
        if n_regular < 10:
            raise ValueError("too few modules for the package tree: use at least 100")
        weights = [0.2 if pkg.depth == 1 else 1.0 for pkg in self.packages]
        homes = rng.choices(self.packages, weights=weights, k=n_regular)
        regulars: list[Module] = []
        for pkg in homes:
            name = self._fresh(pkg, lambda: f"{rng.choice(NOUNS)}_{rng.choice(ROLES)}")
            module = Module(f"{pkg.name}.{name}", pkg, "regular")
            stem = name.split("_")[0]
            for _ in range(rng.randint(1, 4)):
                module.exports.append(Export(self._class_name(pkg, stem), "class"))
            for _ in range(rng.randint(2, 6)):
                fname = f"{rng.choice(VERBS)}_{rng.choice(NOUNS)}"
                if rng.random() < 0.4:
                    fname += f"_{rng.choice(('items', 'totals', 'state', 'data', 'rows', 'ids'))}"
                if fname not in (export.name for export in module.exports):
                    module.exports.append(Export(fname, "function"))
            module.namespace.update(export.name for export in module.exports)
            pkg.modules.append(module)
            regulars.append(module)
        order = list(range(len(regulars)))
        rng.shuffle(order)
        for rank, index in enumerate(order):
            regulars[index].rank = float(rank)
        lognormal = [rng.lognormvariate(0.0, 0.7) for _ in regulars]
        # Inits and shims are small; the regular modules carry the rest of the bytes.
        budget = self.total_bytes - 700 * (len(self.packages) + n_shims)
        scale = budget / sum(lognormal)
        for module, weight in zip(regulars, lognormal, strict=True):
            module.size = max(1_500, int(weight * scale))
        self.regulars = regulars
        non_top = [pkg for pkg in self.packages if pkg.depth > 1] or self.packages
        for _ in range(n_shims):
            target = rng.choice(regulars)
            pkg = rng.choice(non_top)
            leaf = self._fresh(pkg, functools.partial(self._shim_name, target.leaf))
            shim = Module(
                f"{pkg.name}.{leaf}", pkg, "shim", rank=target.rank + 0.25, target=target
            )
            for export in target.exports[: rng.randint(1, 4)]:
                shim.exports.append(export)
                if export.kind == "class" and rng.random() < 0.6:
                    alias = rng.choice(("Legacy", "Old", "Deprecated")) + export.name
                    shim.aliases.append((alias, export.name))
                    shim.exports.append(Export(alias, "class"))
            pkg.modules.append(shim)
            self.modules.append(shim)
        self.modules.extend(regulars)
        for module in self.modules:
            self.by_name[module.name] = module

    def build_inits(self) -> None:
        """Package ``__init__`` re-exports, deepest packages first so a parent can
        re-export what a child package's ``__init__`` already re-exports (a chain)."""
        rng = self.rng
        for pkg in sorted(self.packages, key=lambda p: (-p.depth, p.name)):
            init = pkg.init
            assert init is not None
            sources: list[tuple[str, Module, Export]] = []
            plain = [m for m in pkg.modules if m.kind == "regular"]
            if plain and rng.random() < 0.75:
                for module in rng.sample(plain, min(len(plain), rng.randint(1, 4))):
                    for export in rng.sample(module.exports, min(2, len(module.exports))):
                        sources.append((f".{module.leaf}", module, export))
            for child in pkg.children:
                assert child.init is not None
                if child.init.exports and rng.random() < 0.5:
                    export = rng.choice(child.init.exports)
                    sources.append((f".{child.name.rsplit('.', 1)[-1]}", child.init, export))
            rank = -1.0
            for relative, module, export in sources:
                if export.name in init.namespace:
                    continue
                init.namespace.add(export.name)
                init.exports.append(export)
                init.reexports.append((relative, export))
                if module not in init.sources:
                    init.sources.append(module)
                rank = max(rank, module.rank + 0.5)
            init.rank = rank

    # -- imports ----------------------------------------------------------------------

    def plan_imports(self) -> None:
        """Each module picks its first-party imports among names of lower rank, so the
        import-time graph is a DAG (cycles are added afterwards, on purpose)."""
        everything = [Entry(m.name, e.name, e.kind) for m in self.regulars for e in m.exports]
        pool: list[Entry] = []
        by_package: dict[str, list[Entry]] = {}
        by_top: dict[str, list[Entry]] = {}
        accidental: list[Entry] = []
        for module in sorted(self.modules, key=lambda m: (m.rank, m.name)):
            if module.kind == "regular":
                self._plan_module(module, everything, pool, by_package, by_top, accidental)
            for export in module.exports:
                entry = Entry(module.name, export.name, export.kind)
                pool.append(entry)
                home = module.package.name if module.kind != "init" else module.name
                by_package.setdefault(home, []).append(entry)
                by_top.setdefault(home.split(".")[0], []).append(entry)

    def _plan_module(
        self,
        module: Module,
        everything: list[Entry],
        pool: list[Entry],
        by_package: dict[str, list[Entry]],
        by_top: dict[str, list[Entry]],
        accidental: list[Entry],
    ) -> None:
        rng = self.rng
        own_package = module.package.name
        for _ in range(rng.randint(5, 15)):
            roll = rng.random()
            where = "module"
            if roll < 0.07:
                where = "lazy"
            elif roll < 0.13:
                where = "type_checking"
            entry: Optional[Entry] = None
            if where == "module":
                local = rng.random()
                if local < 0.004 and accidental:
                    entry = rng.choice(accidental)
                elif local < 0.4 and by_package.get(own_package):
                    entry = rng.choice(by_package[own_package])
                elif local < 0.7 and by_top.get(own_package.split(".")[0]):
                    entry = rng.choice(by_top[own_package.split(".")[0]])
                elif pool:
                    entry = rng.choice(pool)
                if entry is None:
                    where = "lazy"
            if entry is None:
                entry = rng.choice(everything)
            if entry.source == module.name or entry.name in module.namespace:
                continue
            module.namespace.add(entry.name)
            module.imports.append(ImportSpec(entry.source, entry.name, entry.kind, where))
        self._choose_forms(module)
        for spec in module.imports:
            source = self.by_name[spec.source]
            bound = spec.form in ("absolute", "relative")  # the name itself is bound here
            if spec.where == "module" and bound and source.kind == "regular":
                accidental.append(Entry(module.name, spec.name, spec.kind))

    def _choose_forms(self, module: Module) -> None:
        """Absolute, relative, ``import a.b as c`` or ``from a import b``, per source."""
        rng = self.rng
        pkg = module.package
        decided: dict[str, tuple[str, str]] = {}
        for spec in module.imports:
            if spec.where != "module":
                continue
            if spec.source not in decided:
                source = self.by_name[spec.source]
                form, prefix = "absolute", ""
                roll = rng.random()
                if source.kind != "init" and source.package is pkg and roll < 0.5:
                    form, prefix = "relative", "."
                elif source.kind != "init" and source.package is pkg.parent and roll < 0.3:
                    form, prefix = "relative", ".."
                elif source.kind == "init" and source.package is pkg and roll < 0.4:
                    form, prefix = "relative", "."
                elif source.kind == "regular" and roll < 0.08:
                    form = "module_alias"
                elif source.kind == "regular" and roll < 0.12:
                    form = "submodule"
                if form in ("module_alias", "submodule"):
                    if source.leaf in module.namespace:
                        form = "absolute"
                    else:
                        module.namespace.add(source.leaf)
                decided[spec.source] = (form, prefix)
            spec.form, spec.prefix = decided[spec.source]

    def add_cycles(self) -> None:
        """A few small module-level cycles (2 and 3 modules) on top of the DAG.

        Adding ``a -> b`` where ``b -> a`` exists makes every module on any path from
        ``b`` to ``a`` part of the cycle, so a back edge is only added where the planned
        path is the only one: otherwise one "2-module cycle" swallows dozens of modules.
        """
        rng = self.rng
        wanted = max(2, self.total_modules // 1000)
        candidates = sorted(self.regulars, key=lambda m: m.rank)[
            : max(10, len(self.regulars) // 3)
        ]
        in_cycles: set[str] = set()  # membership only
        made = 0
        for _ in range(wanted * 200):
            if made == wanted:
                break
            b = rng.choice(candidates)
            sources = self._edges(b)
            regular = [m for m in sources if m.kind == "regular"]
            if not regular:
                continue
            a = rng.choice(regular)
            chain = [b, a]
            if made % 3 == 2:
                further = [m for m in self._edges(a) if m.kind == "regular"]
                if not further:
                    continue
                chain.append(rng.choice(further))  # b -> a -> c, closed by c -> b
            closer = chain[-1]
            if len({m.name for m in chain}) != len(chain) or any(
                m.name in in_cycles for m in chain
            ):
                continue
            if not self._only_path(chain):
                continue
            names = [e for e in b.exports if e.name not in closer.namespace]
            if not names:
                continue
            export = rng.choice(names)
            closer.namespace.add(export.name)
            closer.imports.append(ImportSpec(b.name, export.name, export.kind, "module"))
            in_cycles.update(m.name for m in chain)
            made += 1

    def _edges(self, module: Module) -> list[Module]:
        """Modules ``module`` imports at import time (what SSOT004 looks at)."""
        if module.kind == "init":
            return list(module.sources)
        if module.kind == "shim":
            return [module.target] if module.target is not None else []
        found: list[Module] = []
        for spec in module.imports:
            source = self.by_name.get(spec.source)
            if spec.where in ("module", "guarded") and source is not None and source not in found:
                found.append(source)
        return found

    def _reaches(self, start: Module, goal: Module) -> bool:
        seen = {start.name}
        stack = [start]
        while stack:
            for nxt in self._edges(stack.pop()):
                if nxt is goal:
                    return True
                if nxt.name not in seen:
                    seen.add(nxt.name)
                    stack.append(nxt)
        return False

    def _only_path(self, chain: list[Module]) -> bool:
        """Whether the chain's edges are the only way from its first to its last module."""
        last = chain[-1]
        for here, nxt in itertools.pairwise(chain):
            for other in self._edges(here):
                if other is not nxt and (other is last or self._reaches(other, last)):
                    return False
        return True

    def add_unresolved(self) -> None:
        """A handful of imports of names (or modules) that do not exist."""
        rng = self.rng
        for number in range(max(3, self.total_modules // 2000)):
            module = rng.choice(self.regulars)
            # An existing module of lower rank, not yet imported here: the edge must not
            # close a cycle by accident, nor merge into an ``import a.b as c``.
            others = [
                m
                for m in self.regulars[:200]
                if m.rank < module.rank and all(s.source != m.name for s in module.imports)
            ]
            if not others:
                continue
            other = rng.choice(others)
            if number % 3 == 0:
                source = f"{other.package.name}.retired_{rng.choice(NOUNS)}_{number}"
            else:
                source = other.name
            name = f"Removed{_camel(rng.choice(NOUNS))}{number}"
            where = "guarded" if number % 3 == 1 else "module"
            module.namespace.add(name)
            module.imports.append(ImportSpec(source, name, "class", where))


# -- rendering ------------------------------------------------------------------------


class _Writer:
    """Turns a planned module into source text; ``rng`` only varies the filler."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    def words(self, count: int) -> str:
        rng = self.rng
        pool = (NOUNS, VERBS, ADJECTIVES)
        return " ".join(rng.choice(rng.choice(pool)) for _ in range(count))

    def sentence(self) -> str:
        rng = self.rng
        text = (
            f"{rng.choice(VERBS).capitalize()} the {rng.choice(ADJECTIVES)} "
            f"{rng.choice(NOUNS)} {rng.choice(('records', 'entries', 'values', 'items'))} "
            f"for the {rng.choice(NOUNS)} {rng.choice(('pipeline', 'service', 'report', 'queue'))}"
        )
        if rng.random() < 0.5:
            text += f", {rng.choice(('unless', 'after', 'before', 'while'))} {self.words(4)}"
        return text + "."

    def ident(self) -> str:
        rng = self.rng
        return f"{rng.choice(ADJECTIVES)}_{rng.choice(NOUNS)}"

    # module-level functions -----------------------------------------------------------

    def function(self, name: str, use: Optional[tuple[str, str]]) -> str:
        rng = self.rng
        choice = rng.randrange(8)
        n, m = rng.randint(2, 500), rng.randint(0, 5)
        w1, w2, w3 = rng.choice(NOUNS), rng.choice(ADJECTIVES), rng.choice(VERBS)
        if use is not None and use[1] == "class":
            call = f"{use[0]}({w1}=value)"
        elif use is not None:
            call = f"{use[0]}(value)"
        else:
            call = f"_{w3}_{w1}(value)"
        if choice == 0:
            return (
                f"def {name}(items: Iterable[Mapping[str, Any]], *, limit: int = {n}) ->"
                " dict[str, int]:\n"
                f'    """{self.sentence()}\n\n'
                f'    Items past ``limit`` are ignored; keys are ``"{w1}:{w2}"`` pairs.\n'
                f'    """\n'
                f"    counts: dict[str, int] = {{}}\n"
                f"    for index, item in enumerate(items):\n"
                f"        if index >= limit:\n"
                f"            break\n"
                f"        key = f\"{{item.get('{w1}', 'none')}}:{{item.get('{w2}', 0)}}\"\n"
                f"        counts[key] = counts.get(key, 0) + 1\n"
                "    return {key: value for key, value in sorted(counts.items()) if value >"
                f" {m}}}\n"
            )
        if choice == 1:
            return (
                f"def {name}(value: Any, default: Optional[Any] = None) -> Any:\n"
                f'    """{self.sentence()}"""\n'
                f"    if value is None:\n"
                f"        return default\n"
                f"    try:\n"
                f"        result = {call}\n"
                f"    except (TypeError, ValueError) as exc:\n"
                f'        logger.debug("cannot {w3} %r: %s", value, exc)\n'
                f"        return default\n"
                f"    return result\n"
            )
        if choice == 2:
            return (
                f"def {name}(values: Sequence[float], window: int = {m + 2}) -> list[float]:\n"
                f'    """{self.sentence()}"""\n'
                f"    if window <= 0:\n"
                f'        raise ValueError(f"window must be positive, got {{window}}")\n'
                f"    out: list[float] = []\n"
                f"    total = 0.0\n"
                f"    for position, value in enumerate(values):\n"
                f"        total += value\n"
                f"        if position >= window:\n"
                f"            total -= values[position - window]\n"
                f"        out.append(round(total / min(position + 1, window), {m + 1}))\n"
                f"    return out\n"
            )
        if choice == 3:
            return (
                f"async def {name}(client: Any, ids: Sequence[int], *, retries: int = {m + 1}) ->"
                " list[dict[str, Any]]:\n"
                f'    """{self.sentence()}"""\n'
                f"    results: list[dict[str, Any]] = []\n"
                f"    for ident in ids:\n"
                f"        for attempt in range(retries):\n"
                f"            try:\n"
                f'                payload = await client.fetch("{w1}", ident, timeout={n / 10})\n'
                f"            except TimeoutError:\n"
                f"                if attempt == retries - 1:\n"
                f"                    raise\n"
                f"                continue\n"
                f'            results.append({{"id": ident, "{w2}": payload, "attempt":'
                " attempt})\n"
                f"            break\n"
                f"    return results\n"
            )
        if choice == 4:
            sep = rng.choice((",", ";", "|", ":"))
            return (
                f'def {name}(path: str, *, encoding: str = "utf-8") -> list[str]:\n'
                f'    """{self.sentence()}"""\n'
                f"    with open(path, encoding=encoding) as handle:\n"
                "        rows = [line.strip() for line in handle if line.strip() and not"
                ' line.startswith("#")]\n'
                f'    return [row.split("{sep}", 1)[0].lower() for row in rows if "{w1}" not in'
                " row]\n"
            )
        if choice == 5:
            n2, n3 = rng.randint(1, 9), rng.randint(1, 9)
            return (
                f"def {name}(records: Sequence[Mapping[str, Any]]) -> list[Mapping[str, Any]]:\n"
                f'    """{self.sentence()}"""\n'
                f'    weights = {{"{w1}": {m}, "{w2}": {n2}, "{w3}": {n3}}}\n'
                f"    return sorted(\n"
                f"        records,\n"
                '        key=lambda record: (-weights.get(record.get("kind", ""), 0),'
                ' str(record.get("name", ""))),\n'
                f"    )\n"
            )
        if choice == 6:
            return (
                f"def {name}(batches: Iterable[Sequence[str]], size: int = {n}) ->"
                " Iterator[list[str]]:\n"
                f'    """{self.sentence()}"""\n'
                f"    seen: set[str] = set()\n"
                f"    chunk: list[str] = []\n"
                f"    for batch in batches:\n"
                f"        for token in batch:\n"
                f"            if token in seen or token.startswith('{w1[:3]}'):\n"
                f"                continue\n"
                f"            seen.add(token)\n"
                f"            chunk.append(token)\n"
                f"            if len(chunk) == size:\n"
                f"                yield chunk\n"
                f"                chunk = []\n"
                f"    if chunk:\n"
                f"        yield chunk\n"
            )
        return (
            f"def {name}(payload: Mapping[str, Any], *keys: str) -> Optional[Any]:\n"
            f'    """{self.sentence()}"""\n'
            f"    current: Any = payload\n"
            f"    for key in keys or ({w1!r}, {w2!r}):\n"
            f"        if not isinstance(current, Mapping) or key not in current:\n"
            f"            return None\n"
            f"        current = current[key]\n"
            f"    value = current\n"
            f"    return {call} if value else None\n"
        )

    def lazy_function(self, name: str, spec: ImportSpec) -> str:
        call = f"{spec.name}(*args, **kwargs)"
        return (
            f"def {name}(*args: Any, **kwargs: Any) -> Any:\n"
            f'    """{self.sentence()} Imported late: the module is heavy and rarely needed."""\n'
            f"    from {spec.source} import {spec.name}\n\n"
            f"    return {call}\n"
        )

    def annotated_function(self, name: str, annotation: str) -> str:
        word = self.rng.choice(VERBS)
        return (
            f"def {name}(target: {annotation}, *, dry_run: bool = False) -> list[str]:\n"
            f'    """{self.sentence()}"""\n'
            f'    actions = [f"{{type(target).__name__}}.{word}", f"dry_run={{dry_run}}"]\n'
            f"    return actions if dry_run else [action.upper() for action in actions]\n"
        )

    # classes --------------------------------------------------------------------------

    def klass(self, name: str, base: str, use: Optional[tuple[str, str]], methods: int) -> str:
        rng = self.rng
        if name.endswith("Error") and not base:
            base = "Exception"
        if rng.random() < 0.2 and not base:
            return self.dataclass(name, methods)
        p1, p2, p3 = (
            rng.choice(NOUNS),
            rng.choice(NOUNS) + "_count",
            rng.choice(NOUNS) + "_options",
        )
        head = f"class {name}({base}):\n" if base else f"class {name}:\n"
        parts = [
            head,
            f'    """{self.sentence()}\n\n    {self.sentence()}\n    """\n\n',
            f'    {rng.choice(ADJECTIVES)}_label: ClassVar[str] = "{rng.choice(NOUNS)}"\n',
            f"    max_{rng.choice(NOUNS)}s: int = {rng.randint(1, 1000)}\n\n",
            f"    def __init__(self, {p1}: str, {p2}: int = {rng.randint(0, 99)}, *, "
            f"{p3}: Optional[Mapping[str, Any]] = None) -> None:\n",
            f"        self.{p1} = {p1}\n",
            f"        self.{p2} = {p2}\n",
            f"        self.{p3} = dict({p3} or {{}})\n",
            "        self._history: list[tuple[str, int]] = []\n",
        ]
        for index in range(methods):
            parts.append("\n")
            parts.append(self.method(name, p1, p2, p3, use if index == 0 else None))
        return "".join(parts)

    def method(self, cls: str, p1: str, p2: str, p3: str, use: Optional[tuple[str, str]]) -> str:
        rng = self.rng
        name = f"{rng.choice(VERBS)}_{rng.choice(NOUNS)}_{rng.randrange(100)}"
        word = rng.choice(NOUNS)
        if use is not None:
            return (
                f"    def {name}(self, payload: Mapping[str, Any]) -> Any:\n"
                f'        """{self.sentence()}"""\n'
                f"        handler = {use[0]}\n"
                f"        if handler is None:\n"
                f'            raise LookupError(f"no handler for {word} in {{self.{p1}!r}}")\n'
                "        return handler(**{key: payload[key] for key in sorted(payload) if not"
                ' key.startswith("_")})\n'
            )
        choice = rng.randrange(6)
        if choice == 0:
            return (
                f"    def {name}(self, key: str, value: int = 0) -> int:\n"
                f'        """{self.sentence()}"""\n'
                f"        self._history.append((key, value + self.{p2}))\n"
                f"        return sum(amount for label, amount in self._history if label == key)\n"
            )
        if choice == 1:
            return (
                "    @property\n"
                f"    def {name}(self) -> str:\n"
                f'        return f"{cls}({p1}={{self.{p1}!r}}, {p2}={{self.{p2}}},'
                f' {word}={{len(self.{p3})}})"\n'
            )
        if choice == 2:
            return (
                "    @classmethod\n"
                f"    def {name}(cls, data: Mapping[str, Any]) -> {cls}:\n"
                f'        """{self.sentence()}"""\n'
                "        options = {key: value for key, value in data.items() if"
                f' key.startswith("{word}_")}}\n'
                f'        return cls(str(data.get("{p1}", "")), int(data.get("{p2}", 0)),'
                f" {p3}=options)\n"
            )
        if choice == 3:
            return (
                "    @staticmethod\n"
                f"    def {name}(values: Iterable[int], *, floor: int = {rng.randint(0, 50)}) ->"
                " list[int]:\n"
                f'        """{self.sentence()}"""\n'
                f"        picked = sorted({{value * {rng.randint(2, 9)} for value in values if"
                f" value % {rng.randint(2, 7)}}})\n"
                f"        return [value for value in picked if value >= floor]\n"
            )
        if choice == 4:
            return (
                f"    def {name}(self, other: object) -> bool:\n"
                f'        """{self.sentence()}"""\n'
                f"        if not isinstance(other, type(self)):\n"
                f"            return NotImplemented\n"
                f"        return (self.{p1}, self.{p2}) == (other.{p1}, other.{p2}) and"
                f" self.{p3} == other.{p3}\n"
            )
        return (
            f"    def {name}(self, *, strict: bool = False) -> dict[str, Any]:\n"
            f'        """{self.sentence()}"""\n'
            f"        state = {{\n"
            f'            "{p1}": self.{p1},\n'
            f'            "{p2}": self.{p2},\n'
            f'            "{word}": [entry for entry, _ in self._history],\n'
            f'            "options": dict(sorted(self.{p3}.items())),\n'
            f"        }}\n"
            f'        if strict and not state["{p1}"]:\n'
            f'            raise ValueError(f"{cls} has no'
            f' {p1} (history={{len(self._history)}})")\n'
            f"        return state\n"
        )

    def dataclass(self, name: str, methods: int) -> str:
        rng = self.rng
        f1, f2, f3, f4 = (
            rng.choice(NOUNS) + suffix for suffix in ("", "_count", "_tags", "_extra")
        )
        body = [
            "@dataclass(frozen=True)\n",
            f"class {name}:\n",
            f'    """{self.sentence()}"""\n\n',
            f"    {f1}: str\n",
            f"    {f2}: int = {rng.randint(0, 100)}\n",
            f"    {f3}: tuple[str, ...] = ()\n",
            f"    {f4}: dict[str, Any] = field(default_factory=dict)\n\n",
            "    def as_dict(self) -> dict[str, Any]:\n",
            f'        return {{"{f1}": self.{f1}, "{f2}": self.{f2}, "{f3}": list(self.{f3}),'
            f" **self.{f4}}}\n",
        ]
        for _ in range(max(0, methods - 2)):
            word = rng.choice(NOUNS)
            body.append(
                f"\n    def with_{word}_{rng.randrange(100)}(self, value: str) -> {name}:\n"
                f'        """{self.sentence()}"""\n'
                f"        return {name}(self.{f1}, self.{f2} + 1, (*self.{f3}, value),"
                f" {{**self.{f4}, {word!r}: value}})\n"
            )
        return "".join(body)

    def constants(self) -> str:
        rng = self.rng
        upper = rng.choice(NOUNS).upper()
        keys = rng.sample(NOUNS, rng.randint(3, 8))
        lines = [
            f"DEFAULT_{upper}_TIMEOUT = {rng.randint(1, 300)}\n",
            f"{upper}_CHOICES: dict[str, str] = {{\n",
            *(f'    "{key}": "{key.replace("_", " ").title()}",\n' for key in keys),
            "}\n",
        ]
        return "".join(lines)


def _import_block(module: Module) -> tuple[list[str], list[tuple[str, str]], list[str]]:
    """Statements for the module-level first-party imports, the names they make usable
    (expression, kind), and the ``TYPE_CHECKING`` names."""
    absolute: dict[str, list[ImportSpec]] = {}
    for spec in module.imports:
        if spec.where == "module":
            absolute.setdefault(spec.source, []).append(spec)
    plain_imports: list[str] = []  # isort puts ``import x`` before ``from x import``
    lines: list[str] = []
    relative_lines: list[str] = []
    uses: list[tuple[str, str]] = []
    for source in sorted(absolute):
        specs = absolute[source]
        first = specs[0]
        leaf = source.rsplit(".", 1)[-1]
        if first.form == "module_alias":
            plain_imports.append(f"import {source} as {leaf}\n")
            uses.extend((f"{leaf}.{spec.name}", spec.kind) for spec in specs)
            continue
        if first.form == "submodule":
            lines.append(f"from {source.rsplit('.', 1)[0]} import {leaf}\n")
            uses.extend((f"{leaf}.{spec.name}", spec.kind) for spec in specs)
            continue
        names = sorted(spec.name for spec in specs)
        uses.extend((spec.name, spec.kind) for spec in specs)
        if first.form == "relative":
            own = (
                module.package.name
                if first.prefix == "."
                else module.package.name.rsplit(".", 1)[0]
            )
            rest = source[len(own) + 1 :] if source != own else ""
            where = first.prefix + rest
        else:
            where = source
        if len(names) > 3:
            statement = f"from {where} import (\n" + "".join(f"    {n},\n" for n in names) + ")\n"
        else:
            statement = f"from {where} import {', '.join(names)}\n"
        (relative_lines if first.form == "relative" else lines).append(statement)
    type_checking = [spec for spec in module.imports if spec.where == "type_checking"]
    block: list[str] = [*plain_imports, *lines, *relative_lines]
    tc_names: list[str] = []
    if type_checking:
        block.append("\nif TYPE_CHECKING:\n")
        for spec in sorted(type_checking, key=lambda s: (s.source, s.name)):
            block.append(f"    from {spec.source} import {spec.name}\n")
            tc_names.append(spec.name)
    guarded = [spec for spec in module.imports if spec.where == "guarded"]
    for spec in guarded:
        block.append(
            f"\ntry:\n    from {spec.source} import {spec.name}\n"
            f"except ImportError:  # older deployments\n    {spec.name} = None\n"
        )
        uses.append((spec.name, spec.kind))
    return block, uses, tc_names


def _isort_key(line: str) -> tuple[bool, str]:
    """isort's default order in a section: ``import x`` lines, then ``from x import``."""
    return (line.startswith("from "), line.split()[1])


def _render_regular(module: Module, writer: _Writer, target: int) -> str:
    """The module's text, padded with private helpers up to about ``target`` bytes."""
    rng = writer.rng
    parts: list[str] = [
        f'"""{module.leaf.replace("_", " ").capitalize()}: {writer.sentence()}\n\n',
        f"{writer.sentence()} {writer.sentence()}\n",
        '"""\n\n',
        "from __future__ import annotations\n\n",
    ]
    has_tc = any(spec.where == "type_checking" for spec in module.imports)
    typing_names = (
        "TYPE_CHECKING, Any, ClassVar, Optional" if has_tc else "Any, ClassVar, Optional"
    )
    stdlib = [
        *rng.sample(STDLIB, rng.randint(1, 4)),
        "import logging",
        "from collections.abc import Iterable, Iterator, Mapping, Sequence",
        "from dataclasses import dataclass, field",
        f"from typing import {typing_names}",
    ]
    parts.extend(line + "\n" for line in sorted(stdlib, key=_isort_key))
    if rng.random() < 0.5:
        third = sorted(rng.sample(THIRD_PARTY, rng.randint(1, 2)), key=_isort_key)
        parts.append("\n" + "".join(line + "\n" for line in third))
    block, uses, tc_names = _import_block(module)
    if block:
        parts.append("\n")
        parts.extend(block)
    parts.append("\nlogger = logging.getLogger(__name__)\n\n")
    parts.append(writer.constants())
    size = sum(map(len, parts))
    use_index = 0

    def next_use() -> Optional[tuple[str, str]]:
        nonlocal use_index
        if use_index < len(uses):
            use_index += 1
            return uses[use_index - 1]
        return None

    class_uses = [use for use in uses if use[1] == "class" and "." not in use[0]]
    body: list[str] = []
    for export in module.exports:
        if export.kind == "class":
            base = ""
            if class_uses and rng.random() < 0.3:
                base = rng.choice(class_uses)[0]
            text = writer.klass(export.name, base, next_use(), rng.randint(2, 5))
        else:
            text = writer.function(export.name, next_use())
        body.append(text)
        size += len(text) + 2
    for spec in module.imports:
        if spec.where == "lazy":
            text = writer.lazy_function(f"_load_{spec.name.lower()}", spec)
            body.append(text)
            size += len(text) + 2
    for name in tc_names:
        text = writer.annotated_function(f"describe_{name.lower()}", name)
        body.append(text)
        size += len(text) + 2
    # Padding: private helpers and more classes until the module reaches its size.
    counter = 0
    while size + 300 < target:
        counter += 1
        if rng.random() < 0.3:
            name = f"_{_camel(rng.choice(ADJECTIVES), rng.choice(NOUNS))}Helper{counter}"
            text = writer.klass(name, "", next_use(), rng.randint(2, 7))
        else:
            text = writer.function(f"_{writer.ident()}_{counter}", next_use())
        body.append(text)
        size += len(text) + 2
    if use_index < len(uses):
        rest = uses[use_index:]
        registry = "".join(f'    "{expr}": {expr},\n' for expr, _ in rest)
        body.append(f"_REGISTRY: dict[str, Any] = {{\n{registry}}}\n")
    parts.append("\n\n")
    parts.append("\n\n".join(body))
    return "".join(parts)


def _render_init(module: Module, writer: _Writer) -> str:
    title = module.name.rsplit(".", 1)[-1].replace("_", " ").capitalize()
    parts = [f'"""{title}: {writer.sentence()}"""\n']
    if module.reexports:
        parts.append("\n")
        for relative, export in sorted(module.reexports, key=lambda r: (r[0], r[1].name)):
            parts.append(f"from {relative} import {export.name}\n")
        names = sorted(export.name for _, export in module.reexports)
        parts.append("\n__all__ = [\n" + "".join(f'    "{n}",\n' for n in names) + "]\n")
    return "".join(parts)


def _render_shim(module: Module, writer: _Writer) -> str:
    target = module.target
    assert target is not None
    originals = [e.name for e in module.exports if e.name not in dict(module.aliases)]
    parts = [
        f'"""Backwards-compatible names for :mod:`{target.name}`.\n\n',
        f"Deprecated: import from ``{target.name}`` instead; {writer.sentence().lower()}\n",
        '"""\n\n',
        "import warnings\n\n",
        f"from {target.name} import {', '.join(sorted(originals))}\n\n",
    ]
    for alias, original in module.aliases:
        parts.append(f"{alias} = {original}\n")
    parts.append(
        "\nwarnings.warn(\n"
        f'    "{module.name} is deprecated; use {target.name} instead",\n'
        "    DeprecationWarning,\n"
        "    stacklevel=2,\n"
        ")\n"
    )
    names = sorted(e.name for e in module.exports)
    parts.append("\n__all__ = [\n" + "".join(f'    "{n}",\n' for n in names) + "]\n")
    return "".join(parts)


def _marker(modules: int, megabytes: float, seed: int) -> dict[str, object]:
    return {
        "generator_version": GENERATOR_VERSION,
        "modules": modules,
        "megabytes": megabytes,
        "seed": seed,
    }


def is_current(root: Path, modules: int, megabytes: float, seed: int) -> bool:
    """Whether ``root`` already holds the corpus these parameters would generate."""
    try:
        found = json.loads((root / MARKER).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return bool(found == _marker(modules, megabytes, seed))


def generate(root: Path, modules: int = 10_000, megabytes: float = 150, seed: int = 7) -> Path:
    """Write the synthetic project to ``root`` (replacing an earlier corpus there) and
    return ``root``. ``modules`` counts every ``.py`` file, ``__init__.py`` included."""
    if root.exists():
        if not (root / MARKER).is_file() and any(root.iterdir()):
            raise FileExistsError(f"{root} exists and is not a synthetic corpus: not replacing it")
        shutil.rmtree(root)
    planner = _Planner(modules, megabytes, seed)
    planner.build_tree()
    planner.build_modules()
    planner.build_inits()
    planner.plan_imports()
    planner.add_cycles()
    planner.add_unresolved()
    writer = _Writer(planner.rng)
    root.mkdir(parents=True)
    (root / "pyproject.toml").write_text(
        '[project]\nname = "synthetic-corpus"\nversion = "0.0.0"\n\n[tool.ssot-scan]\n',
        encoding="utf-8",
    )
    for pkg in planner.packages:
        (root / "src" / Path(*pkg.name.split("."))).mkdir(parents=True, exist_ok=True)
    planned = written = 0
    for module in sorted(planner.modules, key=lambda m: m.name):
        if module.kind == "init":
            text = _render_init(module, writer)
        elif module.kind == "shim":
            text = _render_shim(module, writer)
        else:
            # Steer each module by the running error so the total lands on the target
            # (headers and the last helper always overshoot a little).
            text = _render_regular(module, writer, module.size - (written - planned))
            planned += module.size
        written += len(text) if module.kind == "regular" else 0
        with open(root / module.relpath(), "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
    (root / MARKER).write_text(
        json.dumps(_marker(modules, megabytes, seed), sort_keys=True) + "\n", encoding="utf-8"
    )
    return root


def tree_digest(root: Path) -> str:
    """One hash over every file's path and bytes: equal digests, equal corpora."""
    digest = hashlib.blake2b(digest_size=16)
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        digest.update(path.relative_to(root).as_posix().encode() + b"\0")
        digest.update(path.read_bytes())
    return digest.hexdigest()


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("out", type=Path, help="folder to write the project to")
    parser.add_argument("--modules", type=int, default=10_000)
    parser.add_argument("--megabytes", type=float, default=150)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--check", action="store_true", help="generate twice and check the bytes are equal"
    )
    args = parser.parse_args()
    start = time.perf_counter()
    root = generate(args.out, args.modules, args.megabytes, args.seed)
    elapsed = time.perf_counter() - start
    files = sorted(root.rglob("*.py"))
    size = sum(path.stat().st_size for path in files)
    print(f"{root}: {len(files)} modules, {size / 1e6:.1f} MB in {elapsed:.1f} s")
    if args.check:
        first = tree_digest(root)
        generate(root, args.modules, args.megabytes, args.seed)
        second = tree_digest(root)
        print(f"digest {first} / {second}: {'same' if first == second else 'DIFFERENT'}")
        if first != second:
            sys.exit(1)


if __name__ == "__main__":
    main()
