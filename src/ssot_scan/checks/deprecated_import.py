"""SSOT001 deprecated-import: renders what ``deprecated_imports`` found."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Optional

from ssot_scan.checks.base import Check, Example
from ssot_scan.deprecated_imports import DeprecatedUse
from ssot_scan.findings import Finding, Rewrite
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
                yield self._module_finding(use)
            else:
                yield self._symbol_finding(use)

    def _module_finding(self, use: DeprecatedUse) -> Finding:
        site, module, dep, imported = use.site, use.target, use.deprecation, use.imported
        if imported is None or f"{site.target}.{imported.name}" == module:
            message = f"`{module}` is deprecated"
        else:
            message = f"`{imported.name}` is imported from deprecated module `{module}`"
        if dep.target != module:
            message += f" (all of `{dep.target}` is)"
        message += _advice(use)
        return self.finding(
            use.source.rel,
            site,
            message,
            symbol=module if imported is None else f"{site.target}.{imported.name}",
            imported_from=site.target,
            canonical=use.replacement.module if use.replacement else None,
            replacement=use.replacement,
            rewrite=_rewrite(use),
            statement=use.statement,
            group=dep.target,
        )

    def _symbol_finding(self, use: DeprecatedUse) -> Finding:
        site, symbol, imported = use.site, use.target, use.imported
        assert imported is not None
        via = f"{site.target}.{imported.name}"
        shown = f"`{imported.name}` (`{symbol}`)" if via != symbol else f"`{symbol}`"
        return self.finding(
            use.source.rel,
            site,
            f"{shown} is deprecated" + _advice(use),
            symbol=symbol,
            imported_from=site.target,
            canonical=use.replacement.module if use.replacement else None,
            replacement=use.replacement,
            statement=use.statement,
            group=symbol,
        )


def _rewrite(use: DeprecatedUse) -> Optional[Rewrite]:
    """The move ``fix`` may make: only to a replacement proven to be the same object
    (a successor is a different object, and moving to it is a human's decision)."""
    replacement, imported = use.replacement, use.imported
    if replacement is None or imported is None or replacement.name is None:
        return None
    if not replacement.same_object or replacement.definition is None:
        return None
    bound = imported.bound
    name = replacement.name if replacement.name == bound else f"{replacement.name} as {bound}"
    statement = None
    if not use.site.level and len(use.site.names) == 1:
        statement = f"from {replacement.module} import {name}"
    return Rewrite(
        replacement.module,
        replacement.name,
        bound,
        imported.name,
        statement,
        replacement.definition,
    )


def _instead(use: DeprecatedUse) -> str:
    """The statement to write instead, binding the same name; or why there is none."""
    replacement = use.replacement
    if replacement is None:
        return "; no replacement is known"
    if replacement.name is None or use.imported is None:
        return f"; use `{replacement.module}` instead"
    bound = use.imported.bound
    if replacement.same_object:
        name = replacement.name if replacement.name == bound else f"{replacement.name} as {bound}"
        return f"; use `from {replacement.module} import {name}` instead"
    if replacement.name == use.imported.name:
        return (
            f"; use `from {replacement.module} import {replacement.name}` instead "
            "(not shown to be the same object)"
        )
    return f"; use `{replacement.name}` from `{replacement.module}` instead (its successor)"


def _advice(use: DeprecatedUse) -> str:
    """What to write instead, and why: the rule's reason, or where the code warns
    (quoted when it points nowhere that can be followed)."""
    dep = use.deprecation
    text = _instead(use)
    reason = " ".join(dep.reason.split())
    reason = reason if len(reason) <= 160 else reason[:157] + "..."
    if dep.declared_by == "rule-pack":
        return f"{text} ({dep.origin}{': ' + reason if reason else ''})"
    conditionally = "; it warns only under a condition" if dep.conditional else ""
    if use.replacement is None and reason:
        # The words may name a replacement outside the scanned code, or one that
        # lacks the imported name: quoted, never followed.
        return (
            f"; no replacement in the scanned code; its deprecation says {reason!r} "
            f"(deprecated at {dep.origin}{conditionally})"
        )
    return f"{text} (deprecated at {dep.origin}{conditionally})"
