"""Imports of deprecated modules and symbols, found once per scan.

Detection only: SSOT001 renders each ``DeprecatedUse`` as a finding, and the sites
are what SSOT002 and SSOT003 defer to ("superseded by SSOT001" in the registry),
whether or not SSOT001's findings were computed first.

Not reported: importing a submodule of a deprecated package (``import pkg.sub``
when only ``pkg`` is deprecated), imports made by a deprecated module, and imports
between modules inside one deprecated package.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Literal, Optional

import msgspec

from ssot_scan import dotted
from ssot_scan.discover import SourceFile
from ssot_scan.facts import ImportedName, ImportSite, ModuleFacts
from ssot_scan.findings import Replacement, import_statement
from ssot_scan.index.deprecations import Deprecation
from ssot_scan.index.symbols import DEFINITION, EXTERNAL, MODULE, is_reexport

if TYPE_CHECKING:
    from ssot_scan.index import Index


class DeprecatedUse(msgspec.Struct, frozen=True):
    """One import that reaches a deprecated module or symbol."""

    source: SourceFile
    site: ImportSite
    imported: Optional[ImportedName]  # None: the statement imports the module itself
    target: str  # the deprecated module, or the deprecated symbol's dotted name
    deprecation: Deprecation
    kind: Literal["module", "symbol"]
    replacement: Optional[Replacement] = None  # what to import instead, when known

    @property
    def statement(self) -> str:
        return self.statement_of(self.site, self.imported)

    @staticmethod
    def statement_of(site: ImportSite, imported: Optional[ImportedName]) -> str:
        """The normalised import a finding and a fingerprint rest on."""
        return import_statement(site, [imported] if imported else None)


# definition -> (its canonical path, module -> the names it exports it under)
Exporters = dict[str, tuple[str, dict[str, list[str]]]]


def find_deprecated_imports(
    index: Index, exporters: Exporters, found: list[DeprecatedUse]
) -> list[DeprecatedUse]:
    """Every deprecated import, each with the replacement advice can stand on.
    ``found``: what ``deprecated_in`` found in every file (``Analysis`` asks it of
    the kept answers)."""
    return [
        msgspec.structs.replace(use, replacement=_advice(index, use, exporters)) for use in found
    ]


def deprecated_in(index: Index, source: SourceFile, facts: ModuleFacts) -> list[DeprecatedUse]:
    """One file's deprecated imports, in order, without advice (which rests on the
    whole project's fragmentation table)."""
    deprecations = index.deprecations
    if not (deprecations.modules or deprecations.definitions or deprecations.external_symbols):
        return []
    if source.shadowed_by is not None or source.module in deprecations.modules:
        return []  # never imported, or a deprecated module (its imports go with it)
    own = deprecations.inside_deprecated(source.module) if source.module else None
    if source.module is not None and _named_deprecated(source.module):
        return []  # ``pkg.deprecated.json``: kept for deprecated API, goes with it
    found: list[DeprecatedUse] = []
    for site in facts.imports:
        if site.target is None or not source.judges(site) or site.in_deprecated:
            continue  # in a ``@deprecated`` function or class: goes when it goes
        _site(index, source, facts, own, site, found)
    return found


def _advice(index: Index, use: DeprecatedUse, exporters: Exporters) -> Optional[Replacement]:
    """What to import instead, in order: the rule pack's replacement; the same
    definition through a path that is not deprecated; the path the warning names,
    only if it binds the name. None: no advice can be followed.

    Advice never names a module that lacks the name: where a replacement module does
    not bind it, the advice is the module alone (``use x.y instead``)."""
    dep = use.deprecation
    name: Optional[str] = None
    given = None
    if use.imported is not None and use.site.target is not None:
        via = f"{use.site.target}.{use.imported.name}"
        if not (use.kind == "module" and via == use.target):  # not the module itself
            name = use.imported.name
            resolved = index.symbols.resolve(use.site.target, use.imported.name)
            if resolved.kind in (DEFINITION, MODULE):
                given = resolved.target
    same = None
    if use.kind == "module" and given is not None and name is not None:
        # The deprecated module merely passes the name on: the same object is
        # reachable elsewhere (a deprecated symbol has no such way out).
        same = _same_object(index, given, name, exporters)
    if dep.declared_by == "rule-pack" and dep.replacement:
        found = _pointing_at(index, dep.replacement, name, given)
        canonical = exporters.get(given, ("", {}))[0] if given is not None else ""
        # The rule's module may bind the name to another object (following it would
        # change the program), or to the same one off its canonical path (a second
        # move would follow): then go straight where the object belongs.
        astray = found is not None and (
            not found.same_object
            or (same is not None and same.module == canonical != found.module)
        )
        if same is not None and found is not None and found.name == name and astray:
            return same
        return found or _pointing_at(index, dep.replacement, None, given)
    if same is not None:
        return same
    if dep.replacement:
        return _pointing_at(index, dep.replacement, name, given)
    return None


def _same_object(
    index: Index, definition: str, name: str, exporters: Exporters
) -> Optional[Replacement]:
    """A path that is not deprecated and gives the very same definition: its
    canonical path, else the defining module, else any other exporter."""
    deprecations = index.deprecations
    canonical, names = exporters.get(definition, ("", {}))
    defining = dotted.parent(definition)
    names = {defining: [dotted.last(definition)], **names}
    order = [p for p in (canonical, defining) if p] + sorted(
        names, key=lambda p: (p.count("."), len(p), p)
    )
    for path in order:
        if path not in names or deprecations.inside_deprecated(path) is not None:
            continue
        exported = names[path]
        shown = name if name in exported else exported[0]
        if index.symbols.resolve(path, shown).target == definition:
            return Replacement(path, shown, True, definition)
    return None


def _pointing_at(
    index: Index, target: str, name: Optional[str], given: Optional[str]
) -> Optional[Replacement]:
    """A replacement named as a module (``use x.y``) or a symbol (``use x.y.f``):
    for a module, only if it binds ``name`` (``name`` None: the module itself)."""
    symbols = index.symbols
    resolved = symbols.resolve_dotted(target)
    if resolved.kind == DEFINITION and not symbols.module_exists(target):
        same = resolved.target == given
        return Replacement(dotted.parent(target), dotted.last(target), same, resolved.target)
    if resolved.kind == MODULE or symbols.module_exists(target):
        if name is None:
            return Replacement(target, None, False)
        found = symbols.resolve(target, name)
        if found.kind in (DEFINITION, MODULE):
            return Replacement(target, name, found.target == given, found.target)
        return None
    # Outside the scanned code: a rule pack may name it; nothing can be checked.
    return Replacement(target, name, False) if name is None else None


def _named_deprecated(module: str) -> bool:
    """A module in a package named as deprecated (``pydantic.deprecated.json``)."""
    return any(part.strip("_") == "deprecated" for part in module.split("."))


def _site(
    index: Index,
    source: SourceFile,
    facts: ModuleFacts,
    own: Optional[str],
    site: ImportSite,
    found: list[DeprecatedUse],
) -> None:
    """What one import statement reaches that is deprecated, added to ``found`` (a
    list passed in, not a generator: asked of every import site, most of which add
    nothing). ``own`` is the deprecated module the importing file belongs to: its
    imports, and those between modules of one deprecated package, are exempt."""
    deprecations = index.deprecations
    assert site.target is not None

    def exempt(module: str) -> bool:
        return own is not None and dotted.is_within(module, own)

    module_dep = deprecations.module(site.target)
    if site.kind == "import" or site.is_star:
        if module_dep is not None and not exempt(site.target):
            found.append(DeprecatedUse(source, site, None, site.target, module_dep, "module"))
        return
    for imported in site.names:
        if module_dep is not None and not exempt(site.target):
            found.append(DeprecatedUse(source, site, imported, site.target, module_dep, "module"))
            continue
        use = _imported_name(index, source, site, imported, exempt)
        # Re-exporting a deprecated symbol runs nothing; each use is reported.
        if use is not None and not (
            use.kind == "symbol" and is_reexport(facts, source.is_package, site, imported)
        ):
            found.append(use)


def _imported_name(
    index: Index,
    source: SourceFile,
    site: ImportSite,
    imported: ImportedName,
    exempt: Callable[[str], bool],
) -> Optional[DeprecatedUse]:
    """``from M import N`` where ``M`` itself is not deprecated: is ``N`` a
    deprecated submodule, or does it resolve to a deprecated symbol?"""
    deprecations = index.deprecations
    assert site.target is not None
    via = f"{site.target}.{imported.name}"
    if not (deprecations.definitions or deprecations.external_symbols):
        # Only module deprecations: no need to resolve the name, just to know
        # whether it is a deprecated submodule.
        found = deprecations.module(via)
        if found is not None and index.symbols.module_exists(via) and not exempt(via):
            return DeprecatedUse(source, site, imported, via, found, "module")
        return None
    resolution = index.symbols.resolve(site.target, imported.name)
    if resolution.kind == MODULE:
        found = deprecations.module(resolution.target)
        if found is not None and not exempt(resolution.target):
            return DeprecatedUse(source, site, imported, resolution.target, found, "module")
        return None
    found = None
    symbol = via
    if resolution.kind == DEFINITION:
        found = deprecations.definitions.get(resolution.target)
    elif resolution.kind == EXTERNAL:
        # A deprecated name outside the scanned code, maybe via a re-export.
        found = deprecations.external_symbols.get(resolution.target)
    if found is not None:
        symbol = resolution.target
    else:
        found = deprecations.external_symbols.get(via)
    if found is None or exempt(dotted.parent(symbol)):
        return None
    return DeprecatedUse(source, site, imported, symbol, found, "symbol")
