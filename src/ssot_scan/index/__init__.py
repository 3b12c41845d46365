"""The index stage: import graph, symbol table and deprecation facts, built once."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Optional

from ssot_scan.discover import SourceFile
from ssot_scan.facts import ModuleFacts
from ssot_scan.index.deprecations import Deprecations
from ssot_scan.index.graph import ImportGraph
from ssot_scan.index.symbols import SymbolTable
from ssot_scan.rulepacks import Rules


@dataclass
class Index:
    files: list[tuple[SourceFile, ModuleFacts]]  # every scanned file, named or not
    modules: dict[str, ModuleFacts]  # importable modules only
    paths: dict[str, SourceFile]  # module -> its file
    symbols: SymbolTable
    graph: ImportGraph
    deprecations: Deprecations
    notices: list[str] = field(default_factory=list)  # one-line warnings for stderr
    cache: dict[str, Any] = field(default_factory=dict)  # results checks and reports share


def build_index(
    files: list[tuple[SourceFile, ModuleFacts]],
    first_party: set[str],
    rules: Rules,
    opaque_modules: Optional[set[str]] = None,
) -> Index:
    modules = {f.module: facts for f, facts in files if f.module is not None}
    paths = {f.module: f for f, _ in files if f.module is not None}
    symbols = SymbolTable(
        modules,
        first_party,
        {f.module for f, _ in files if f.module and f.is_package},
        opaque_modules,
    )
    return Index(
        files=files,
        modules=modules,
        paths=paths,
        symbols=symbols,
        graph=ImportGraph(modules, symbols),
        deprecations=Deprecations(symbols, rules, paths),
    )
