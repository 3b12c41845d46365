"""SSOT005 unresolved-import."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Optional

from ssot_scan.checks.base import Check
from ssot_scan.discover import SourceFile
from ssot_scan.facts import CTX_TRY_IMPORT_ERROR, ImportedName, ImportSite
from ssot_scan.findings import Finding, import_statement
from ssot_scan.index.symbols import LOOP, MODULE, UNDECIDABLE, UNRESOLVED

if TYPE_CHECKING:
    from ssot_scan.config import Config
    from ssot_scan.index import Index

_CONTEXT_WORDS = {
    "module": "at module level",
    "function": "inside a function (fails when called)",
    "type_checking": "under TYPE_CHECKING (type checkers fail, runtime does not)",
    "try_import_error": "inside try/except ImportError (fails silently)",
    "conditional": "inside a conditional block",
    "main": 'under if __name__ == "__main__" (runs only as a script)',
}


def undecidable_count(index: Index) -> int:
    """First-party names a static tool cannot decide (module ``__getattr__``...)."""
    return int(index.cache.get("undecidable", 0))


class UnresolvedImport(Check):
    """A first-party import that cannot succeed.

    The module does not exist (no file, no package folder, no compiled extension or
    stub), or the name is neither defined, re-exported, a submodule, nor possibly
    provided by a star import. A target module with a module-level ``__getattr__``,
    a star import of code outside the scan, or a compiled extension makes a name
    undecidable: it is not reported, only counted (``summary.undecidable``). A
    target that does not parse is reported: whatever it held is unreachable.

    Each finding says what is missing (the module, or a name in it) and where the
    import sits: at module level, inside a function (fails late, when called),
    inside ``try/except ImportError`` (fails silently), under ``TYPE_CHECKING``.
    ``[tool.ssot-scan.unresolved] include-guarded = false`` leaves out imports
    guarded by ``except ImportError``. Imports of third-party modules are never
    checked: only the top-level packages found under the source roots are
    first-party.

    Why it matters: a broken import inside ``try/except`` or a function hides until
    the day it runs; after a consolidation moves code, these are the leftovers.

    Example::

        from app.websocket_core.manager import create_websocket_manager
        # SSOT005 cannot import `create_websocket_manager` from
        # `app.websocket_core.manager`: no such name (at module level)
    """

    code = "SSOT005"
    name = "unresolved-import"

    def run(self, index: Index, config: Config, earlier: list[Finding]) -> Iterator[Finding]:
        undecidable = 0
        for source, facts in index.files:
            if source.shadowed_by is not None:
                continue
            for site in facts.imports:
                if not config.include_guarded and site.context == CTX_TRY_IMPORT_ERROR:
                    continue
                if not source.judges(site):
                    continue
                for finding in self._site(index, source, site):
                    if finding is None:
                        undecidable += 1
                    else:
                        yield finding
        index.cache["undecidable"] = undecidable

    def _site(
        self, index: Index, source: SourceFile, site: ImportSite
    ) -> Iterator[Optional[Finding]]:
        symbols = index.symbols
        if site.target is None:
            yield self._finding(
                source,
                site,
                None,
                f"relative import `{'.' * site.level}{site.raw_module}` climbs above the "
                "top-level package",
                site.raw_module,
                "module",
            )
            return
        if not symbols.is_first_party(site.target):
            return
        missing = self._missing_module(index, site.target)
        if missing is not None:
            if symbols.provides_dynamically(site.target) or symbols.namespace_may_provide(
                site.target
            ):
                yield None  # a package that rewires imports, or another portion, may
            else:
                yield self._finding(source, site, None, missing, site.target, "module")
            return
        broken = index.modules.get(site.target)
        if broken is not None and broken.parse_error is not None:
            where = index.paths[site.target].rel
            yield self._finding(
                source,
                site,
                None,
                f"`{site.target}` cannot be imported: {where} does not parse",
                site.target,
                "module",
            )
            return
        if site.kind == "import" or site.is_star:
            return
        for imported in site.names:
            resolution = symbols.resolve_any(site.target, imported.name)
            if resolution.kind == MODULE:
                broken_sub = index.modules.get(resolution.target)
                if broken_sub is not None and broken_sub.parse_error is not None:
                    where = index.paths[resolution.target].rel
                    text = f"`{resolution.target}` cannot be imported: {where} does not parse"
                    yield self._finding(source, site, imported, text, resolution.target, "module")
                continue
            if resolution.kind == UNDECIDABLE:
                yield None
            elif resolution.kind == UNRESOLVED:
                if resolution.detail == "module":
                    text = f"`{imported.name}` from `{site.target}` leads to a missing module "
                    text += f"`{resolution.target}`"
                else:
                    text = f"cannot import `{imported.name}` from `{site.target}`: no such name"
                    if resolution.target != f"{site.target}.{imported.name}":
                        text += f" (its re-export chain ends at `{resolution.target}`)"
                yield self._finding(source, site, imported, text, resolution.target, "name")
            elif resolution.kind == LOOP:
                text = f"cannot import `{imported.name}` from `{site.target}`: its re-exports "
                text += f"loop back on themselves at `{resolution.target}`"
                yield self._finding(source, site, imported, text, resolution.target, "name")

    def _missing_module(self, index: Index, module: str) -> Optional[str]:
        symbols = index.symbols
        if symbols.module_exists(module):
            return None
        parts = module.split(".")
        for i in range(len(parts) - 1, 0, -1):
            parent = ".".join(parts[:i])
            if symbols.module_exists(parent):
                return f"no module `{module}`: `{parent}` has no submodule `{parts[i]}`"
        return f"no module `{module}`"

    def _finding(
        self,
        source: SourceFile,
        site: ImportSite,
        imported: Optional[ImportedName],
        text: str,
        symbol: str,
        missing: str,
    ) -> Finding:
        context = site.context
        return self.at_site(
            source.rel,
            site,
            f"{text} ({_CONTEXT_WORDS[context]})",
            symbol=symbol,
            imported_from=site.target,
            statement=import_statement(site, [imported] if imported else None),
            group=site.target or site.raw_module,
            extra={"context": context, "missing": missing},
        )
