"""SSOT005 unresolved-import."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Optional

from ssot_scan.checks.base import Check, Example
from ssot_scan.discover import SourceFile
from ssot_scan.facts import ImportedName, ImportSite
from ssot_scan.findings import Finding, import_statement
from ssot_scan.rules import BY_CODE
from ssot_scan.unresolved import Missing

if TYPE_CHECKING:
    from ssot_scan.analysis import Analysis

_CONTEXT_WORDS = {
    "module": "at module level",
    "function": "inside a function (fails when called)",
    "type_checking": "under TYPE_CHECKING (type checkers fail, runtime does not)",
    "try_import_error": "inside try/except ImportError (fails silently)",
    "conditional": "inside a conditional block",
    "main": 'under if __name__ == "__main__" (runs only as a script)',
}


class UnresolvedImport(Check):
    """One finding per import ``unresolved.find_unresolved`` found broken (docs: the registry)."""

    rule = BY_CODE["SSOT005"]

    INVALID = (
        Example(
            {
                "pkg/__init__.py": "",
                "pkg/core.py": "def make():\n    pass\n",
                "pkg/app.py": "from pkg.core import make, build\nfrom pkg import gone\n",
            },
            expect=("pkg/app.py:1", "pkg/app.py:2"),
        ),
    )
    VALID = (
        Example(
            {
                "pkg/__init__.py": "",
                "pkg/lazy.py": "def __getattr__(name):\n    return name\n",
                "pkg/app.py": "from pkg.lazy import anything\nfrom scripts.gone import x\n",
                "scripts/tool.py": "",
            },
            note="a module __getattr__, and a namespace package another portion may complete",
        ),
    )

    def run(self, analysis: Analysis) -> Iterator[Finding]:
        for broken in analysis.unresolved.broken:
            yield self._finding(
                broken.source,
                broken.site,
                broken.imported,
                broken.text,
                broken.symbol,
                broken.missing,
            )

    def _finding(
        self,
        source: SourceFile,
        site: ImportSite,
        imported: Optional[ImportedName],
        text: str,
        symbol: str,
        missing: Missing,
    ) -> Finding:
        context = site.context
        return self.finding(
            source.rel,
            site,
            f"{text} ({_CONTEXT_WORDS[context]})",
            symbol=symbol,
            imported_from=site.target,
            statement=import_statement(site, [imported] if imported else None),
            group=site.target or site.raw_module,
            context=context,
            missing=missing,
        )
