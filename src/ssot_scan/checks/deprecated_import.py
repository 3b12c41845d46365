"""SSOT001 deprecated-import."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Optional

from ssot_scan.checks.base import Check
from ssot_scan.discover import SourceFile
from ssot_scan.facts import ImportedName, ImportSite, ModuleFacts
from ssot_scan.findings import Finding, import_statement
from ssot_scan.index.deprecations import Deprecation
from ssot_scan.index.symbols import DEFINITION, EXTERNAL, MODULE, is_reexport

if TYPE_CHECKING:
    from ssot_scan.config import Config
    from ssot_scan.index import Index


def _is_within(module: str, package: str) -> bool:
    return module == package or module.startswith(package + ".")


class DeprecatedImport(Check):
    """An import of a deprecated module or symbol.

    Deprecated means: declared in a rule pack (``[[deprecated]] module = ...`` or
    ``symbol = ...``), or deprecated by the code itself — a module-level
    ``warnings.warn(..., DeprecationWarning)`` (also PendingDeprecationWarning,
    FutureWarning and project subclasses) deprecates its module, ``@deprecated(...)``
    its class or function. A symbol is matched by resolution, so a re-export of a
    deprecated function is caught wherever it is imported from.

    Why it matters: every import of a deprecated path is one more place to migrate
    before the old path can be deleted, and a count that should only go down.

    Not reported: importing a submodule of a deprecated package (``import pkg.sub``
    when only ``pkg`` is deprecated), imports made by a deprecated module, and imports
    between modules inside one deprecated package.

    Example::

        from app.websocket_core.manager import WebSocketManager
        # SSOT001 `app.websocket_core.manager` is deprecated; import from
        # `app.websocket_core.websocket_manager` instead
    """

    code = "SSOT001"
    name = "deprecated-import"

    def run(self, index: Index, config: Config, earlier: list[Finding]) -> Iterator[Finding]:
        deprecations = index.deprecations
        if not (deprecations.modules or deprecations.definitions or deprecations.external_symbols):
            return
        for source, facts in index.files:
            if source.shadowed_by is not None or source.module in deprecations.modules:
                continue  # never imported, or a deprecated module (its imports go with it)
            own = deprecations.inside_deprecated(source.module) if source.module else None
            for site in facts.imports:
                if site.target is None or not source.judges(site):
                    continue
                yield from self._site(index, source, facts, own, site)

    def _site(
        self,
        index: Index,
        source: SourceFile,
        facts: ModuleFacts,
        own: Optional[str],
        site: ImportSite,
    ) -> Iterator[Finding]:
        deprecations = index.deprecations
        path, is_package = source.rel, source.is_package
        assert site.target is not None

        def exempt(module: str) -> bool:
            # A deprecated module's own imports, and imports inside a deprecated package.
            return own is not None and _is_within(module, own)

        if site.kind == "import":
            found = deprecations.module(site.target)
            if found is not None and not exempt(site.target):
                yield self._module_finding(path, site, site.target, found, None)
            return
        module_dep = deprecations.module(site.target)
        if site.is_star:
            if module_dep is not None and not exempt(site.target):
                yield self._module_finding(path, site, site.target, module_dep, None)
            return
        for imported in site.names:
            if module_dep is not None and not exempt(site.target):
                yield self._module_finding(path, site, site.target, module_dep, imported)
                continue
            if not (deprecations.definitions or deprecations.external_symbols):
                # Only module deprecations: no need to resolve the name, just to
                # know whether it is a deprecated submodule.
                submodule = f"{site.target}.{imported.name}"
                found = deprecations.module(submodule)
                if (
                    found is not None
                    and index.symbols.module_exists(submodule)
                    and not exempt(submodule)
                ):
                    yield self._module_finding(path, site, submodule, found, imported)
                continue
            resolution = index.symbols.resolve(site.target, imported.name)
            if resolution.kind == MODULE:
                found = deprecations.module(resolution.target)
                if found is not None and not exempt(resolution.target):
                    yield self._module_finding(path, site, resolution.target, found, imported)
                continue
            found = None
            symbol = f"{site.target}.{imported.name}"
            if resolution.kind == DEFINITION:
                found = deprecations.definitions.get(resolution.target)
                symbol = resolution.target if found else symbol
            elif resolution.kind == EXTERNAL:
                # A deprecated name outside the scanned code, maybe via a re-export.
                found = deprecations.external_symbols.get(resolution.target)
                symbol = resolution.target if found else symbol
            if found is None:
                found = deprecations.external_symbols.get(f"{site.target}.{imported.name}")
            if found is None or exempt(symbol.rsplit(".", 1)[0]):
                continue
            # Re-exporting a deprecated symbol runs nothing; each use is reported.
            if is_reexport(facts, is_package, site, imported):
                continue
            yield self._symbol_finding(path, site, symbol, found, imported)

    def _module_finding(
        self,
        path: str,
        site: ImportSite,
        module: str,
        dep: Deprecation,
        imported: Optional[ImportedName],
    ) -> Finding:
        if imported is None or f"{site.target}.{imported.name}" == module:
            message = f"`{module}` is deprecated"
        else:
            message = f"`{imported.name}` is imported from deprecated module `{module}`"
        if dep.target != module:
            message += f" (all of `{dep.target}` is)"
        message += _advice(dep)
        return self.at_site(
            path,
            site,
            message,
            symbol=module if imported is None else f"{site.target}.{imported.name}",
            imported_from=site.target,
            canonical=dep.replacement,
            statement=import_statement(site, [imported] if imported else None),
            group=dep.target,
        )

    def _symbol_finding(
        self, path: str, site: ImportSite, symbol: str, dep: Deprecation, imported: ImportedName
    ) -> Finding:
        via = f"{site.target}.{imported.name}"
        shown = f"`{imported.name}` (`{symbol}`)" if via != symbol else f"`{symbol}`"
        return self.at_site(
            path,
            site,
            f"{shown} is deprecated" + _advice(dep),
            symbol=symbol,
            imported_from=site.target,
            canonical=dep.replacement,
            statement=import_statement(site, [imported]),
            group=symbol,
        )


def _advice(dep: Deprecation) -> str:
    """Where to go instead, and why: the rule's reason, or where the code warns."""
    text = f"; use `{dep.replacement}` instead" if dep.replacement else ""
    if dep.origin.startswith("rule pack"):
        reason = " ".join(dep.reason.split())
        if len(reason) > 160:
            reason = reason[:157] + "..."
        return f"{text} ({dep.origin}{': ' + reason if reason else ''})"
    if not dep.replacement and dep.reason.strip():
        # No pointer found in the message: quote it, it is the best advice there is.
        reason = " ".join(dep.reason.split())
        reason = reason if len(reason) <= 160 else reason[:157] + "..."
        return f" ({reason!r}, {dep.origin})"
    return f"{text} (deprecated at {dep.origin})"
