"""SSOT000 parse-error."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from ssot_scan.checks.base import Check, Example
from ssot_scan.findings import Finding
from ssot_scan.rules import BY_CODE

if TYPE_CHECKING:
    from ssot_scan.analysis import Analysis


# Messages of files that were never parsed: said as they are.
_NOT_READ = ("cannot read:", "not read:")


class ParseErrorCheck(Check):
    """One finding per file that no front end could parse (docs: the registry)."""

    rule = BY_CODE["SSOT000"]

    INVALID = (
        Example(
            {"pkg/__init__.py": "", "pkg/broken.py": "def f(:\n    pass\n"},
            expect=("pkg/broken.py:1",),
            note="no Python version parses it",
        ),
    )
    VALID = (
        Example(
            {"pkg/__init__.py": "", "pkg/new.py": "x = f\"{'a' + f'{1}'}\"\n"},
            note="newer syntax than the interpreter's goes to libcst",
        ),
    )

    def run(self, analysis: Analysis) -> Iterator[Finding]:
        for source, facts in analysis.index.files:
            error = facts.parse_error
            if error is None:
                continue
            yield self.finding(
                source.rel,
                (error.line, error.column),
                error.message
                if error.message.startswith(_NOT_READ)
                else f"cannot parse: {error.message}",
                symbol=source.module,
                statement=error.message,
                group=source.rel,
            )
