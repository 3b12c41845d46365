"""SSOT002 non-canonical-import."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from ssot_scan import dotted
from ssot_scan.checks.base import Check, Example
from ssot_scan.findings import Finding, Rewrite, import_statement
from ssot_scan.fragmentation import Fragment
from ssot_scan.rules import BY_CODE

if TYPE_CHECKING:
    from ssot_scan.analysis import Analysis
    from ssot_scan.config import Config
    from ssot_scan.index import Index, Usage


class NonCanonicalImport(Check):
    """One finding per usage site of a fragmented symbol through a path it should not use
    (docs: the registry)."""

    rule = BY_CODE["SSOT002"]

    INVALID = (
        Example(
            {
                "pkg/__init__.py": "",
                "pkg/core.py": "class Thing:\n    pass\n",
                "pkg/helpers.py": "from pkg.core import Thing\n\nDEFAULT = Thing()\n",
                "pkg/c.py": "from pkg.helpers import Thing\n",
                "pkg/d.py": "from pkg.core import Thing\n",
            },
            expect=("pkg/c.py:1",),
            note="helpers only imports Thing for its own use: an accidental path",
        ),
        Example(
            {
                "pkg/__init__.py": "from pkg.core import Thing\n",
                "pkg/core.py": "class Thing:\n    pass\n",
                "app/__init__.py": "",
                "app/a.py": "from pkg import Thing\n",
                "app/b.py": "from pkg import Thing\n",
                "app/c.py": "from pkg.core import Thing\n",
            },
            expect=("app/c.py:1",),
            config="\n[tool.ssot-scan.non-canonical]\nstrict = true\n",
            note="strict: the facade `pkg` is canonical (most used); the defining module is not",
        ),
    )
    VALID = (
        Example(
            {
                "pkg/__init__.py": "from pkg.core import Thing\n",
                "pkg/core.py": "class Thing:\n    pass\n",
                "pkg/a.py": "from pkg import Thing\n",
                "pkg/b.py": "from pkg.core import Thing\n",
            },
            note="a package re-exporting its own definition is one path (the facade idiom)",
        ),
    )

    def run(self, analysis: Analysis) -> Iterator[Finding]:
        index, config = analysis.index, analysis.config
        for fragment in analysis.fragments:
            for usage in fragment.sites:
                if not _actionable(index, config, fragment, usage):
                    continue
                statement = import_statement(usage.site, [usage.imported])
                if analysis.superseded(self.code, usage.file, usage.site.line, statement):
                    continue
                yield self.finding(
                    usage.file,
                    usage.site,
                    _message(fragment, usage),
                    symbol=fragment.symbol,
                    imported_from=usage.path,
                    canonical=fragment.canonical,
                    statement=statement,
                    group=fragment.symbol,
                    rewrite=_fix(fragment, usage),
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
    cautious = not (fragment.declared or config.report_published or config.strict)
    published = usage.path in fragment.published
    # A deprecated module's re-export is no choice to keep: never tolerated.
    if cautious and published and usage.path not in fragment.deprecated_paths:
        return False
    # Inside a canonical package, importing from its submodules is how cycles are
    # avoided: `pkg/a.py` must not import from `pkg/__init__.py`.
    return not (
        canonical in index.symbols.packages
        and dotted.is_below(importer, canonical)
        and dotted.is_below(usage.path, canonical)
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


def _fix(fragment: Fragment, usage: Usage) -> Rewrite:
    """What ``ssot-scan fix`` needs to move this name to the canonical path, and, when
    the statement imports only this name, the whole rewritten statement (SARIF)."""
    site = usage.site
    exported = fragment.names.get(fragment.canonical, [])
    name = usage.name if usage.name in exported or not exported else exported[0]
    statement = None
    if not site.level and len(site.names) == 1:
        statement = f"from {fragment.canonical} import {_canonical_import(fragment, usage)}"
    return Rewrite(
        fragment.canonical, name, usage.imported.bound, usage.name, statement, fragment.symbol
    )
