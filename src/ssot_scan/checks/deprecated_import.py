"""SSOT001 deprecated-import: renders what ``deprecated_imports`` found."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Optional

from ssot_scan.checks.base import Check, Example
from ssot_scan.deprecated_imports import DeprecatedUse
from ssot_scan.facts import ImportedName, ImportSite
from ssot_scan.findings import Finding
from ssot_scan.index.deprecations import Deprecation
from ssot_scan.rules import BY_CODE

if TYPE_CHECKING:
    from ssot_scan.analysis import Analysis


class DeprecatedImport(Check):
    """One finding per import of a deprecated module or symbol (see the registry)."""

    rule = BY_CODE["SSOT001"]

    INVALID = (
        Example(
            {
                "pkg/__init__.py": "",
                "pkg/old.py": "X = 1\n",
                "pkg/app.py": "from pkg.old import X\n",
            },
            expect=("pkg/app.py:1",),
            config='[[tool.ssot-scan.deprecated]]\nmodule = "pkg.old"\nreplacement = "pkg.new"\n',
            note="a rule pack deprecates the module",
        ),
        Example(
            {
                "pkg/__init__.py": "",
                "pkg/core.py": "class Thing:\n    pass\n",
                "pkg/compat.py": (
                    "import warnings\n\nfrom pkg.core import Thing\n\n"
                    "warnings.warn('use pkg.core', DeprecationWarning, stacklevel=2)\n"
                ),
                "pkg/app.py": "from pkg.compat import Thing\n",
            },
            expect=("pkg/app.py:1",),
            note="the module warns when imported",
        ),
    )
    VALID = (
        Example(
            {
                "pkg/__init__.py": "",
                "pkg/tools.py": (
                    "import warnings\n\n\ndef old():\n"
                    "    warnings.warn('old', DeprecationWarning, stacklevel=2)\n"
                ),
                "pkg/app.py": "from pkg.tools import old\n",
            },
            note="a warning at call time deprecates the function's callers, not the import",
        ),
    )

    def run(self, analysis: Analysis) -> Iterator[Finding]:
        for use in analysis.deprecated_imports:
            if use.kind == "module":
                yield self._module_finding(
                    use.source.rel, use.site, use.target, use.deprecation, use.imported
                )
            else:
                assert use.imported is not None
                yield self._symbol_finding(
                    use.source.rel, use.site, use.target, use.deprecation, use.imported
                )

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
        return self.finding(
            path,
            site,
            message,
            symbol=module if imported is None else f"{site.target}.{imported.name}",
            imported_from=site.target,
            canonical=dep.replacement,
            statement=DeprecatedUse.statement_of(site, imported),
            group=dep.target,
        )

    def _symbol_finding(
        self, path: str, site: ImportSite, symbol: str, dep: Deprecation, imported: ImportedName
    ) -> Finding:
        via = f"{site.target}.{imported.name}"
        shown = f"`{imported.name}` (`{symbol}`)" if via != symbol else f"`{symbol}`"
        return self.finding(
            path,
            site,
            f"{shown} is deprecated" + _advice(dep),
            symbol=symbol,
            imported_from=site.target,
            canonical=dep.replacement,
            statement=DeprecatedUse.statement_of(site, imported),
            group=symbol,
        )


def _advice(dep: Deprecation) -> str:
    """Where to go instead, and why: the rule's reason, or where the code warns."""
    text = f"; use `{dep.replacement}` instead" if dep.replacement else ""
    if dep.declared_by == "rule-pack":
        reason = " ".join(dep.reason.split())
        if len(reason) > 160:
            reason = reason[:157] + "..."
        return f"{text} ({dep.origin}{': ' + reason if reason else ''})"
    if not dep.replacement and dep.reason.strip():
        # No pointer found in the message: quote it, it is the best advice there is.
        reason = " ".join(dep.reason.split())
        reason = reason if len(reason) <= 160 else reason[:157] + "..."
        return f" ({reason!r}, {dep.origin})"
    conditionally = "; it warns only under a condition" if dep.conditional else ""
    return f"{text} (deprecated at {dep.origin}{conditionally})"
