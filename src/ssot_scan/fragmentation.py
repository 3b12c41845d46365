"""The fragmentation table: each definition, the paths it is imported through, and
which of them is canonical.

Computed once per scan and shared by SSOT002 (which reports the non-canonical sites)
and the reports (which print the table). Only *usage* sites are counted; re-export
sites build the paths (see ``is_reexport``).
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from functools import cached_property
from typing import TYPE_CHECKING, Optional

import msgspec

from ssot_scan import dotted
from ssot_scan.index import Usage
from ssot_scan.index.symbols import DEFINITION

if TYPE_CHECKING:
    from ssot_scan.config import Config
    from ssot_scan.index import Index


class Fragment(msgspec.Struct, dict=True):
    """A fragmented symbol. Complete once ``fragmentation`` returns it; the derived
    properties below are then asked for once per import site, so they are cached."""

    symbol: str  # the definition's dotted name
    paths: list[str]  # every module that exports it, sorted
    names: dict[str, list[str]]  # module -> names it exports the definition under
    canonical: str
    declared: bool
    policy: str
    published: set[str]  # modules that publish it on purpose (definition, re-exports)
    sites: list[Usage] = msgspec.field(default_factory=list)
    strict: bool = False  # [tool.ssot-scan.non-canonical] strict: only the canonical path
    deprecated_paths: frozenset[str] = frozenset()  # paths inside a deprecated module

    @cached_property
    def hierarchy(self) -> set[str]:
        """The defining module and the packages above it that export the symbol."""
        defining = dotted.parent(self.symbol)
        return {defining} | (set(dotted.ancestors(defining)) & set(self.paths))

    @cached_property
    def tolerated(self) -> set[str]:
        """Paths that are not a finding: the canonical one, and with a derived
        canonical path in the default (cautious) mode the package-facade hierarchy
        too (see SSOT002's docs) — never a deprecated package or module, though."""
        if self.declared or self.strict:
            return {self.canonical}
        return {self.canonical} | (self.hierarchy - self.deprecated_paths)

    @cached_property
    def counts(self) -> dict[str, int]:
        counts = dict.fromkeys(self.paths, 0)
        for usage in self.sites:
            counts[usage.path] = counts.get(usage.path, 0) + 1
        return counts


def _shortness(module: str) -> tuple[int, int, str]:
    return (module.count("."), len(module), module)


def fragmentation(
    index: Index,
    config: Config,
    uses: list[Usage],
    declared: dict[str, str],
    exports_of: Callable[[Collection[str]], dict[str, dict[str, list[str]]]],
) -> list[Fragment]:
    """Every definition imported through more than one path, with its canonical path
    and usage sites (``Analysis.fragments`` computes it once per scan). ``exports_of``:
    what ``SymbolTable.exports(names=...)`` says (``Analysis`` asks the kept answers,
    ``incremental.Answers.exports``)."""
    usages: dict[str, list[Usage]] = {}
    for usage in uses:
        usages.setdefault(usage.definition, []).append(usage)
    # ``usage.imported.name`` and ``.site.target``, not the properties: asked once per
    # import of a name (100,000 on a 10,000-module tree), a call each costs.
    in_use = {u.imported.name for u in uses} | {dotted.last(d) for d in usages}
    exports = exports_of(in_use)
    coiners = _Coiners(index)
    fragments: list[Fragment] = []
    for symbol, sites in sorted(usages.items()):
        exported = exports.get(symbol, {})
        if len(exported) < 2 and not _several_paths(exported, sites):
            continue  # most definitions: one path, nothing more to ask
        exporters = {m: list(n) for m, n in exported.items()}
        for usage in sites:  # a path in use is a path, published on purpose or not
            names = exporters.setdefault(usage.site.target or "", [])
            name = usage.imported.name
            if name not in names:
                names.append(name)
        published = set(exported)
        published.update(coiners.sole_coiners(symbol, sites))
        canonical = declared.get(symbol)
        policy = "declared" if canonical else config.canonical_policy
        if canonical is None:
            canonical = _derive(index, symbol, exporters, sites, config.canonical_policy)
        fragment = Fragment(
            symbol=symbol,
            paths=sorted({*exporters, canonical}),
            names={m: sorted(n) for m, n in exporters.items()},
            canonical=canonical,
            declared=symbol in declared,
            policy=policy,
            published=published,
            sites=sorted(sites, key=lambda u: (u.file, u.site.line, u.site.column, u.name)),
            strict=config.strict,
            deprecated_paths=frozenset(
                p for p in exporters if index.deprecations.inside_deprecated(p)
            ),
        )
        if {u.path for u in sites} - fragment.tolerated:
            fragments.append(fragment)
    return fragments


def _several_paths(exported: dict[str, list[str]], sites: list[Usage]) -> bool:
    """Is the definition, exported through one path at most, exported or imported
    through two paths or more? Asked of every definition in use (200,000 on a
    50,000-module tree): each path is compared with the first, no set is made."""
    first = next(iter(exported), None)
    for usage in sites:
        path = usage.site.target or ""
        if first is None:
            first = path
        elif path != first:
            return True
    return False


class _Coiners:
    """Which modules coin a name for an object by importing it under a new one
    (``from m import Sentinel as NoTokenSentinel``).

    A name exactly one module coins is that module's own word for the object: its
    importers depend on the module calling it that (the module may later give the
    name to something else), so the module publishes it, like an ``X = Y`` alias.
    A private name (``debug as _debug``) is kept for the module's own use.
    Abbreviations every user spells for itself (four modules each import
    ``DagAttributeTypes as DAT``) belong to nobody: taking one from a neighbour is
    still an accidental path.
    """

    def __init__(self, index: Index) -> None:
        self.index = index

    @cached_property
    def renames(self) -> dict[str, list[tuple[str, str, str]]]:
        """new name -> (module, target, imported name) for every module-level rename
        (built when a name in use differs from its definition's, which is rare)."""
        renames: dict[str, list[tuple[str, str, str]]] = {}
        for module, facts in self.index.symbols.modules.items():
            for site in facts.imports:
                for imported in site.names:  # a rename first: most imports have none
                    asname = imported.asname
                    if asname is None or asname == imported.name:
                        continue
                    if site.kind == "from" and site.target and site.module_level:
                        renames.setdefault(asname, []).append((module, site.target, imported.name))
        return renames

    def sole_coiners(self, symbol: str, sites: list[Usage]) -> set[str]:
        """The paths in use that are the one module coining the name used there."""
        own = dotted.last(symbol)
        resolve = self.index.symbols.resolve
        found: set[str] = set()
        for usage in sites:
            # A private coinage (``debug as _debug``) is for the module's own use.
            if usage.name == own or usage.name.startswith("_") or usage.path in found:
                continue
            coining = {
                module
                for module, target, name in self.renames.get(usage.name, ())
                if resolve(target, name).target == symbol
            }
            if coining == {usage.path}:
                found.add(usage.path)
        return found


def declared_canonical(index: Index, config: Config) -> dict[str, str]:
    """Definition -> the path a ``[[canonical]]`` rule declares for it (rules that
    name no definition of the scanned code are said, once, in a notice)."""
    declared: dict[str, str] = {}
    for rule in config.rules.canonical:
        resolution = index.symbols.resolve_dotted(rule.symbol)
        if resolution.kind == DEFINITION:
            declared.setdefault(resolution.target, rule.path)
        else:
            index.notices.append(
                f"{rule.source}: canonical symbol {rule.symbol!r} does not resolve to a "
                f"definition in the scanned code ({resolution.kind}); rule not applied"
            )
    return declared


def _derive(
    index: Index,
    symbol: str,
    exporters: dict[str, list[str]],
    sites: list[Usage],
    policy: str,
) -> str:
    """The canonical path ``policy`` derives among ``exporters``: each path, with
    the names it exports the symbol under."""
    paths = sorted(exporters)
    defining = dotted.parent(symbol)
    # A deprecated module is never canonical (its submodules may be: `import pkg.core`
    # is not an import of a deprecated `pkg`, as SSOT001 has it).
    live = [p for p in paths if index.deprecations.module(p) is None] or paths
    if policy == "definition":
        return defining
    public = [p for p in live if not any(part.startswith("_") for part in p.split("."))]
    if policy == "shortest-public":
        return min(public or live, key=_shortness)
    # A private module is never derived canonical while a public path exports the
    # same object: its importers are told to use the public one, not the reverse. An
    # object no path exports under a public name has no public home: omegaconf's
    # `_EscapedMissing` (defined in `_missing`, used through `_utils`) was told to move
    # to `resolvers.oc`, a package that imports it for its own use and that nobody
    # imports it from.
    every_name = [n for listed in exporters.values() for n in listed] or [dotted.last(symbol)]
    if not all(name.startswith("_") for name in every_name):
        live = public or live
    counts: dict[str, int] = dict.fromkeys(live, 0)
    for usage in sites:
        if usage.path in counts:
            counts[usage.path] += 1
    best: Optional[str] = None
    for path in sorted(live, key=_shortness):
        if best is None or counts[path] > counts[best]:
            best = path
    return best or defining
