"""SSOT002 non-canonical-import."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from ssot_scan.checks.base import Check
from ssot_scan.findings import Finding, import_statement
from ssot_scan.fragmentation import Fragment, fragmentation

if TYPE_CHECKING:
    from ssot_scan.config import Config
    from ssot_scan.index import Index, Usage


class NonCanonicalImport(Check):
    """A symbol exported by several module paths, imported here through the wrong one.

    The canonical path is declared (``[[canonical]]`` in a rule pack or the config) or
    derived by ``canonical-policy``: ``most-used`` (default: the non-deprecated path
    most import sites use, ties to the shortest), ``definition`` (the defining
    module) or ``shortest-public`` (the shortest path without a ``_private`` part).

    Why it matters: every extra path is a place the symbol can silently fork — a
    compat shim rebinds it, a re-export goes stale — and a reader cannot tell that
    two imports name the same thing.

    A declared canonical path is strict: every other path is reported. A derived
    one is cautious, because a maintainer must agree with every finding: only
    *accidental* paths are reported — modules that merely import the name for their
    own use and are imported from anyway. Paths the code publishes on purpose
    (package re-exports, ``__all__``, ``X as X``, aliases) are reported too with
    ``[tool.ssot-scan.non-canonical] report-published = true``, except the
    package-facade idiom: the defining module and the packages above it that
    re-export it (``django.db.models`` for ``django.db.models.fields.Field``).

    Re-export sites build paths but are not usage: imports in a package
    ``__init__``, of names the module lists in ``__all__``, in the ``X as X`` form,
    star imports, and imports a module-level ``Y = X`` alias republishes. Imports
    inside a canonical *package* may use its submodules (that avoids cycles).

    Example::

        from app.websocket_core import UnifiedWebSocketManager
        # SSOT002 import `UnifiedWebSocketManager` from
        # `app.websocket_core.websocket_manager` (declared canonical; ...)
    """

    code = "SSOT002"
    name = "non-canonical-import"

    def run(self, index: Index, config: Config, earlier: list[Finding]) -> Iterator[Finding]:
        reported = {(f.path, f.line, f.statement) for f in earlier if f.code == "SSOT001"}
        for fragment in fragmentation(index, config):
            for usage in fragment.sites:
                if not _actionable(index, config, fragment, usage):
                    continue
                statement = import_statement(usage.site, [usage.imported])
                if (usage.file, usage.site.line, statement) in reported:
                    continue
                yield self.at_site(
                    usage.file,
                    usage.site,
                    _message(fragment, usage),
                    symbol=fragment.symbol,
                    imported_from=usage.path,
                    canonical=fragment.canonical,
                    statement=statement,
                    group=fragment.symbol,
                    extra=_fix(fragment, usage),
                )


def _actionable(index: Index, config: Config, fragment: Fragment, usage: Usage) -> bool:
    importer = usage.importer
    canonical = fragment.canonical
    if importer == canonical or index.deprecations.inside_deprecated(importer):
        return False
    # A derived canonical path tolerates the package-facade idiom: the defining
    # module and the packages above it that re-export it are one path, not rivals.
    # Declaring a canonical path makes the rule strict.
    if usage.path in fragment.tolerated:
        return False
    # With a derived canonical path, a path the code publishes on purpose is a
    # choice the maintainers made; only accidental paths (modules that merely
    # import the name) are reported, unless `non-canonical.report-published`.
    if not (fragment.declared or config.report_published) and usage.path in fragment.published:
        return False
    # Inside a canonical package, importing from its submodules is how cycles are
    # avoided: `pkg/a.py` must not import from `pkg/__init__.py`.
    return not (
        canonical in index.symbols.packages
        and importer.startswith(canonical + ".")
        and usage.path.startswith(canonical + ".")
    )


def _canonical_import(fragment: Fragment, usage: Usage) -> str:
    """``Name`` or ``Name as local``: what to import from the canonical path so that
    the importing module's own name stays bound."""
    exported = fragment.names.get(fragment.canonical, [])
    name = usage.name if usage.name in exported or not exported else exported[0]
    bound = usage.imported.bound
    return name if bound == name else f"{name} as {bound}"


def _message(fragment: Fragment, usage: Usage) -> str:
    shown, path = _canonical_import(fragment, usage), usage.path
    counts = fragment.counts
    how = "declared canonical" if fragment.declared else f"canonical by {fragment.policy}"
    return (
        f"import `{shown}` from `{fragment.canonical}`, not `{path}` "
        f"({how}: {_sites(counts.get(fragment.canonical, 0))}; this path: "
        f"{_sites(counts.get(path, 0))}; {len(fragment.paths)} paths export `{fragment.symbol}`)"
    )


def _sites(count: int) -> str:
    return f"{count} site" if count == 1 else f"{count} sites"


def _fix(fragment: Fragment, usage: Usage) -> dict[str, Any]:
    """What ``ssot-scan fix`` needs to move this name to the canonical path, and, when
    the statement imports only this name, the whole rewritten statement (SARIF)."""
    site = usage.site
    exported = fragment.names.get(fragment.canonical, [])
    name = usage.name if usage.name in exported or not exported else exported[0]
    extra: dict[str, Any] = {
        "rewrite": {
            "module": fragment.canonical,
            "name": name,
            "bound": usage.imported.bound,
            "imported": usage.name,
        }
    }
    if not site.level and len(site.names) == 1:
        text = f"from {fragment.canonical} import {_canonical_import(fragment, usage)}"
        extra["fix"] = {"text": text}
    return extra
