"""SSOT002 non-canonical-import."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from ssot_scan import dotted
from ssot_scan.checks.base import Check, Example
from ssot_scan.discover import is_test_path
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
        Example(
            {
                "pkg/__init__.py": "",
                "pkg/enums.py": "class DagAttributeTypes:\n    pass\n",
                "pkg/encoders.py": "from pkg.enums import DagAttributeTypes as DAT\n\nf = [DAT]\n",
                "pkg/decoders.py": "from pkg.enums import DagAttributeTypes as DAT\n\ng = [DAT]\n",
                "pkg/dag.py": "from pkg.encoders import DAT\n",
                "pkg/meijerint.py": "from pkg.enums import DagAttributeTypes as _types\n",
                "pkg/integrals.py": "from pkg.meijerint import _types\n",
                "pkg/other.py": "from pkg.enums import DagAttributeTypes\n",
            },
            expect=("pkg/dag.py:1", "pkg/integrals.py:1"),
            note=(
                "an abbreviation several modules spell for themselves belongs to none of "
                "them; a private name one module coins is for its own use"
            ),
        ),
        Example(
            {
                "pkg/__init__.py": "",
                "pkg/sys_info.py": "def get_distribution(): ...\ndef get_platform(): ...\n",
                "pkg/basic.py": (
                    "from pkg.sys_info import get_distribution, get_platform\n\n"
                    "PLATFORM = get_platform()\n"
                ),
                "pkg/other.py": "from pkg.sys_info import get_distribution, get_platform\n",
                "pkg/more.py": "from pkg.sys_info import get_distribution, get_platform\n",
                "pkg/tool.py": "from pkg.basic import get_distribution\n",
                "tests/basic/test_platform.py": (
                    "from pkg.basic import get_distribution\nfrom pkg.basic import get_platform\n"
                ),
            },
            expect=("pkg/tool.py:1", "tests/basic/test_platform.py:2"),
            note=(
                "basic keeps get_distribution for others: only its own tests may import it "
                "there; it uses get_platform itself, so that import is an accidental path"
            ),
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
        Example(
            {
                "pkg/__init__.py": "",
                "pkg/sentinel.py": "class Sentinel:\n    pass\n",
                "pkg/token.py": (
                    "from pkg.sentinel import Sentinel as NoTokenSentinel\n\n"
                    "def get(token):\n    return None if token is NoTokenSentinel else token\n"
                ),
                "pkg/cli.py": "from pkg.token import NoTokenSentinel\n",
                "pkg/other.py": "from pkg.sentinel import Sentinel\n",
            },
            note="a name one module alone coins for an object is that module's word for it",
        ),
        Example(
            {
                "pkg/__init__.py": "",
                "pkg/sys_info.py": "def get_distribution():\n    pass\n",
                "pkg/basic.py": "from pkg.sys_info import get_distribution\n",
                "pkg/other.py": "from pkg.sys_info import get_distribution\n",
                "pkg/more.py": "from pkg.sys_info import get_distribution\n",
                "pkg/most.py": "from pkg.sys_info import get_distribution\n",
                "tests/basic/test_platform.py": "from pkg.basic import get_distribution\n",
                "tests/test_basic.py": "from pkg.basic import get_distribution\n",
            },
            note="the module's own tests check the name it keeps for others where it keeps it",
        ),
        Example(
            {
                "pkg/__init__.py": "",
                "pkg/variable.py": "def calculate_dimensions():\n    pass\n",
                "pkg/dataset.py": "from pkg.variable import calculate_dimensions\n\nX = 1\n",
                "pkg/a.py": "from pkg.variable import calculate_dimensions\n",
                "pkg/b.py": "from pkg.variable import calculate_dimensions\n",
                "pkg/tree.py": (
                    "try:\n"
                    "    from pkg.variable import calculate_dimensions\n"
                    "except ImportError:\n"
                    "    from pkg.dataset import calculate_dimensions\n"
                ),
            },
            note="a fallback for versions without the good path, which is tried first",
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
    if _tests_what_it_keeps(index, usage) or _fallback(index, fragment, usage):
        return False
    # Inside a canonical package, importing from its submodules is how cycles are
    # avoided: `pkg/a.py` must not import from `pkg/__init__.py`.
    return not (
        canonical in index.symbols.packages
        and dotted.is_below(importer, canonical)
        and dotted.is_below(usage.path, canonical)
    )


def _fallback(index: Index, fragment: Fragment, usage: Usage) -> bool:
    """The ``except ImportError:`` branch of a module that already tries the good
    path first (xarray: ``try: from xarray.core.variable import calculate_dimensions``
    / ``except ImportError: from xarray.core.dataset import ...`` for old versions):
    the advice is followed already, the fallback is for versions without it."""
    site = usage.site
    if not site.conditional or site.guarded:
        return False
    facts = index.symbols.modules.get(usage.importer)
    if facts is None:
        return False
    bound = usage.imported.bound
    return any(
        other.guarded
        and other.line < site.line
        and other.target in fragment.tolerated
        and any(n.bound == bound for n in other.names)
        for other in facts.imports
    )


def _tests_what_it_keeps(index: Index, usage: Usage) -> bool:
    """A module's own test importing a name the module keeps only for others (it
    imports the name and never uses it): the test checks that the module still
    offers it, so the canonical path would defeat it. Other importers of the kept
    name are still told to move."""
    path = usage.path
    facts = index.symbols.modules.get(path)
    if facts is None or usage.name not in facts.unused_imports:
        return False
    if not is_test_path(usage.file):
        return False
    tested = dotted.last(path)
    *folders, name = usage.file.split("/")
    stem = name.removesuffix(".py")
    return tested in folders or stem in (f"test_{tested}", f"{tested}_test")


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
