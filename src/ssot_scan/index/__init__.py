"""The index stage: import graph, symbol table and deprecation facts, built once."""

from __future__ import annotations

from typing import Optional

import msgspec

from ssot_scan.discover import SourceFile
from ssot_scan.facts import ImportedName, ImportSite, ModuleFacts
from ssot_scan.index.deprecations import Deprecations
from ssot_scan.index.graph import ImportGraph
from ssot_scan.index.symbols import DEFINITION, SymbolTable, is_reexport
from ssot_scan.rulepacks import Rules


class Usage(msgspec.Struct):
    """An import that uses a first-party definition (a re-export only publishes it)."""

    source: SourceFile
    site: ImportSite
    imported: ImportedName
    definition: str  # the dotted definition it resolves to

    @property
    def file(self) -> str:
        return self.source.rel

    @property
    def importer(self) -> str:
        return self.source.module or ""

    @property
    def path(self) -> str:
        """The module the import names."""
        return self.site.target or ""

    @property
    def name(self) -> str:
        return self.imported.name


# weakref: ``process`` holds the last scan's index, and a test watches it let go.
class Index(msgspec.Struct, weakref=True):
    """Everything the checks read about the project, built once per scan from the
    facts: the symbol table, the import graph and the deprecations."""

    files: list[tuple[SourceFile, ModuleFacts]]  # every scanned file, named or not
    modules: dict[str, ModuleFacts]  # importable modules only
    source_of: dict[str, SourceFile]  # importable module -> its file
    symbols: SymbolTable
    graph: ImportGraph
    deprecations: Deprecations
    notices: list[str] = msgspec.field(default_factory=list)  # one-line warnings for stderr


# A file's usages as ``usages_in`` finds them and the cache keeps them: the import
# statement's place among the file's imports, the name's among the statement's, and
# the definition it resolves to.
UsageRow = tuple[int, int, str]


def usages_in(symbols: SymbolTable, source: SourceFile, facts: ModuleFacts) -> list[UsageRow]:
    """Every ``from M import N`` of one file that uses a definition, as rows
    (``Analysis.usages`` folds them for the checks that need them: SSOT002, SSOT003)."""
    # A package's imports all publish (``is_reexport``): it uses nothing.
    if source.shadowed_by is not None or source.is_package:
        return []
    found: list[UsageRow] = []
    resolve = symbols.resolve
    for at, site in enumerate(facts.imports):
        if site.kind != "from" or site.is_star or site.target is None:
            continue
        if not source.judges(site):
            continue
        for number, imported in enumerate(site.names):
            if is_reexport(facts, False, site, imported):
                continue
            resolution = resolve(site.target, imported.name)
            if resolution.kind == DEFINITION:
                found.append((at, number, resolution.target))
    return found


def usages_of(source: SourceFile, facts: ModuleFacts, rows: list[UsageRow]) -> list[Usage]:
    """``Usage`` objects of rows ``usages_in`` made (raises IndexError on a row that
    does not fit the facts)."""
    found = []
    for at, number, definition in rows:
        site = facts.imports[at]
        found.append(Usage(source, site, site.names[number], definition))
    return found


def build_index(
    files: list[tuple[SourceFile, ModuleFacts]],
    first_party: set[str],
    rules: Rules,
    opaque_modules: Optional[set[str]] = None,
    track_reads: bool = False,
) -> Index:
    """The index of ``files``; ``track_reads``: its symbol table records what each
    answer read (``SymbolTable.reads``), as answers kept between runs need."""
    modules = {f.module: facts for f, facts in files if f.module is not None}
    source_of = {f.module: f for f, _ in files if f.module is not None}
    symbols = SymbolTable(
        modules,
        first_party,
        {f.module for f, _ in files if f.module and f.is_package},
        opaque_modules,
        track_reads,
    )
    return Index(
        files=files,
        modules=modules,
        source_of=source_of,
        symbols=symbols,
        graph=ImportGraph(modules, symbols),
        deprecations=Deprecations(symbols, rules, source_of),
    )
