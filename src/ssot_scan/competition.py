"""Competing definitions: one name reaching different definitions, and watched
names defined more often than a rule allows. Detection only: SSOT003 renders it.

A name competes only with evidence that the definitions are rivals for one concept
(see ``_compete``), and the definition to keep is declared (``[[canonical]]``) or the
most imported one outside tests, never a deprecated one while another exists.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from fnmatch import fnmatchcase
from itertools import islice
from typing import TYPE_CHECKING, Optional

import msgspec

from ssot_scan import dotted
from ssot_scan.discover import SourceFile, is_backup_path, is_test_path
from ssot_scan.facts import Definition
from ssot_scan.index import Usage
from ssot_scan.index.symbols import DEFINITION, _FromBinding

if TYPE_CHECKING:
    from ssot_scan.config import Config
    from ssot_scan.index import Index


class CompetingName(msgspec.Struct, frozen=True):
    """An imported name that reaches several definitions, depending on the path."""

    name: str
    group: list[Usage]  # every import of the name that does not rename it
    canonical: str  # the definition to keep
    others: list[Usage]  # imports that reach another one, by file and position


class Binding(msgspec.Struct, frozen=True):
    """A module-level class, function or ``X = Y`` alias bound to a matching name."""

    source: SourceFile
    definition: Definition
    target: str  # the object it binds: its own qualname, or what the alias resolves to


class ExtraDefinition(msgspec.Struct, frozen=True):
    """A binding beyond what a watch rule (or all-classes) allows for its name."""

    binding: Binding
    what: str  # "watched `*Manager`", "class name `Request`"
    objects: list[str]  # every object bound to a matching name, the kept ones first
    kept: list[str]
    limit: int


def competing_names(index: Index, uses: list[Usage], declared: set[str]) -> list[CompetingName]:
    by_name: dict[str, list[Usage]] = {}
    for use in uses:
        # An import that goes when a deprecated thing goes (in a ``@deprecated``
        # body, or a test checking that a deprecation warns) neither competes nor
        # needs changing: statsmodels tests that its old ``lowess`` warns.
        if use.site.in_deprecated:
            continue
        # ``import Loader as FilesystemLoader`` knows it is not "the" Loader.
        if use.imported.asname in (None, use.imported.name):
            by_name.setdefault(use.imported.name, []).append(use)
    found: list[CompetingName] = []
    for name, everywhere in sorted(by_name.items()):
        if len({use.definition for use in everywhere}) < 2:
            continue
        home = _compete(index, name, everywhere)
        if home is None:
            continue
        # The concept's home is the package whose sibling modules compete: the
        # definition to keep is chosen there, never in another service or package
        # that merely uses the same name.
        group = [u for u in everywhere if dotted.parent(u.site.target or "") == home]
        definitions = Counter(use.definition for use in group)
        canonical = next((d for d in definitions if d in declared), None)
        if canonical is None:
            # The most imported, but never a deprecated one while another exists.
            canonical = min(
                definitions,
                key=lambda d: (
                    _deprecated(index, d, group),
                    -definitions[d],
                    dotted.last(d) != name,
                    len(d),
                    d,
                ),
            )
        # The finding sits at the import that most needs changing: live code before
        # tests, and never in a backup copy while a live site exists.
        others = sorted(
            (u for u in group if u.definition != canonical),
            key=lambda u: (
                is_backup_path(u.source.rel),
                is_test_path(u.source.rel),
                u.source.rel,
                u.site.line,
                u.site.column,
            ),
        )
        found.append(CompetingName(name, group, canonical, others))
    return found


def extra_definitions(index: Index, config: Config, uses: list[Usage]) -> list[ExtraDefinition]:
    # "Most imported" counts application code: a mock imported by every test must
    # not become the definition to keep.
    imported = Counter(use.definition for use in uses if not is_test_path(use.source.rel))
    found: list[ExtraDefinition] = []
    for rule in config.rules.watch:

        def watched(definition: Definition, pattern: str = rule.name) -> bool:
            return fnmatchcase(definition.name, pattern)

        bindings = _bindings(index, watched, include_tests=rule.include_tests, aliases=True)
        found.extend(
            _over_limit(index, bindings, rule.max_definitions, imported, f"watched `{rule.name}`")
        )
    if config.all_classes:
        by_name: dict[str, list[Binding]] = {}
        for binding in _bindings(
            index,
            lambda d: (
                d.kind == "class" and not any(fnmatchcase(d.name, p) for p in config.ignore_names)
            ),
            include_tests=False,
            aliases=False,
        ):
            by_name.setdefault(binding.definition.name, []).append(binding)
        for name, bindings in sorted(by_name.items()):
            found.extend(_over_limit(index, bindings, 1, imported, f"class name `{name}`"))
    # A definition matched by two watch rules (or by one and all-classes) is still
    # one finding: the first rule that reports it wins.
    seen: set[tuple[str, int, int]] = set()
    unique: list[ExtraDefinition] = []
    for extra in found:
        definition = extra.binding.definition
        key = (extra.binding.source.rel, definition.line, definition.column)
        if key not in seen:
            seen.add(key)
            unique.append(extra)
    return unique


def _over_limit(
    index: Index,
    bindings: list[Binding],
    limit: int,
    imported: Counter[str],
    what: str,
) -> list[ExtraDefinition]:
    objects = sorted(
        {b.target for b in bindings},
        key=lambda t: (is_test_path(_rel(index, t)), -imported[t], len(t), t),
    )
    if len(objects) <= limit:
        return []
    kept = objects[:limit]
    return [
        ExtraDefinition(binding, what, objects, kept, limit)
        for binding in sorted(bindings, key=lambda b: (b.source.rel, b.definition.line))
        if binding.target not in kept
    ]


def _deprecated(index: Index, definition: str, group: list[Usage]) -> bool:
    """Deprecated itself, or reached only through deprecated paths."""
    if definition in index.deprecations.definitions:
        return True
    paths = {u.site.target or "" for u in group if u.definition == definition}
    return all(index.deprecations.inside_deprecated(p) for p in paths)


def _compete(index: Index, name: str, group: list[Usage]) -> Optional[str]:
    """The package whose sibling modules hold competing definitions of ``name``,
    or None when the definitions merely share a name.

    They compete when two imports from *sibling* modules (one package) reach
    different definitions and one of these holds: a path renames another
    module's object to the name (``X = Y`` of an imported ``Y``, ``import Y as
    X``); a path is deprecated or named as a kept old copy; or the two are
    near-copies (see ``_near_copies``). A local nickname (``X = XGate`` beside
    ``class XGate``) is not a rename, and paths in different packages are
    namespaces, not rivals.
    """
    by_path: dict[str, str] = {}
    for use in group:
        by_path.setdefault(use.site.target or "", use.definition)
    # Only siblings compete: each path is paired with the later paths of its own
    # package, in the order of the pairs of all paths (so the first pair that
    # competes is the same), not with every later path. A name imported from
    # thousands of packages cost a comparison per pair: quadratic in the project.
    paths = sorted(by_path)
    siblings: dict[str, list[str]] = {}
    place: dict[str, tuple[list[str], int]] = {}  # a path's siblings, and where it sits
    for path in paths:
        kin = siblings.setdefault(dotted.parent(path), [])
        place[path] = (kin, len(kin))
        kin.append(path)
    for first in paths:
        kin, position = place[first]
        for second in islice(kin, position + 1, None):
            one, two = by_path[first], by_path[second]
            if one == two:
                continue
            if first in index.symbols.package_modules or second in index.symbols.package_modules:
                continue  # sibling packages are namespaces (sympy.core, sympy.stats)
            if _suspect_path(index, first, name, one) or _suspect_path(index, second, name, two):
                return dotted.parent(first)
            if dotted.parent(dotted.parent(one)) == dotted.parent(
                dotted.parent(two)
            ) and _near_copies(index, one, two):
                return dotted.parent(first)
    return None


def _near_copies(index: Index, one: str, two: str) -> bool:
    """Two classes that are one concept written twice: the same bases and most of
    their members in common, neither inheriting from the other. Two classes that
    merely share a name (a client's and a server's ``Request``, two parsers'
    ``ParseError``) are not; nor are alternatives chosen by platform or by a
    fallback import (a conditional definition)."""
    first, second = index.symbols.definition(one), index.symbols.definition(two)
    if first is None or second is None or first.kind != "class" or second.kind != "class":
        return False
    if first.conditional or second.conditional:
        return False
    if two in _ancestors(index, one) or one in _ancestors(index, two):
        return False
    if {dotted.last(b) for b in first.bases} != {dotted.last(b) for b in second.bases}:
        return False
    # Members are ``name=digest``: one in common is the same name with the same body.
    # Two implementations of one interface (session backends, PDF writers) share
    # member names, not bodies.
    common = set(first.members) & set(second.members)
    largest = max(len(first.members), len(second.members))
    return len(common) >= _MIN_COMMON_MEMBERS and len(common) >= _COMMON_SHARE * largest


_MIN_COMMON_MEMBERS = 2  # two empty ``class ParseError(Exception)`` are not copies
_COMMON_SHARE = 0.6


# A module named as the old, kept copy of something: ``compat``, ``_compat``,
# ``legacy_x``, ``old_fractionfield``, ``backports``.
_LEGACY = re.compile(r"compat|(?:^|_)(?:legacy|old|deprecated|backports?)(?:_|$)")


def _suspect_path(index: Index, path: str, name: str, definition: str) -> bool:
    """Deprecated or compat, or renames another module's object to ``name``."""
    if index.deprecations.inside_deprecated(path) or _LEGACY.search(dotted.last(path)):
        return True
    defining = dotted.parent(definition)
    module = path
    for _ in range(50):
        binding = index.symbols.bindings(module).get(name)
        if isinstance(binding, Definition):
            # ``install = module.install`` binds the same name: no rename.
            renamed = binding.alias_of is not None and dotted.last(binding.alias_of) != name
            return renamed and module != defining and not binding.conditional
        if not isinstance(binding, _FromBinding) or binding.module is None:
            return False
        if binding.name != name:
            return True
        if binding.module == module:
            return False
        module = binding.module
    return False


def _ancestors(index: Index, qualname: str) -> set[str]:
    """Base classes of a class definition, transitively, as resolved qualnames."""
    found: set[str] = set()
    pending = [qualname]
    while pending and len(found) < 50:
        current = pending.pop()
        module = dotted.parent(current)
        definition = index.symbols.definition(current)
        if definition is None or definition.kind != "class":
            continue
        for base in definition.bases:
            resolved = index.symbols.resolve_expression(module, base)
            if (
                resolved is not None
                and resolved.kind == DEFINITION
                and resolved.target not in found
            ):
                found.add(resolved.target)
                pending.append(resolved.target)
    return found


def _bindings(
    index: Index,
    matches: Callable[[Definition], bool],
    include_tests: bool,
    aliases: bool,
) -> list[Binding]:
    found: list[Binding] = []
    for source, facts in index.files:
        if source.module is None or (not include_tests and is_test_path(source.rel)):
            continue
        for definition in facts.definitions:
            if not matches(definition):
                continue
            if definition.kind in ("class", "function"):
                found.append(Binding(source, definition, f"{source.module}.{definition.name}"))
            elif aliases and definition.alias_of:
                resolved = index.symbols.resolve(source.module, definition.name)
                if resolved.kind == DEFINITION and resolved.target != (
                    f"{source.module}.{definition.name}"
                ):
                    found.append(Binding(source, definition, resolved.target))
    return found


def _rel(index: Index, qualname: str) -> str:
    source = index.source_of.get(dotted.parent(qualname))
    return source.rel if source is not None else ""
