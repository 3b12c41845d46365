"""SSOT000 parse-error."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from ssot_scan.checks.base import Check
from ssot_scan.findings import Finding

if TYPE_CHECKING:
    from ssot_scan.config import Config
    from ssot_scan.index import Index


class ParseErrorCheck(Check):
    """A file that no front end can read (syntax, encoding or I/O error).

    Why it matters: whatever the file imports or defines is invisible to every other
    check, and to Python itself; an import of it fails at run time.

    Example: ``def f(:`` in ``app/broken.py`` gives
    ``app/broken.py:1:7: SSOT000 cannot parse: SyntaxError: invalid syntax``.
    """

    code = "SSOT000"
    name = "parse-error"
    severity = "error"

    def run(self, index: Index, config: Config, earlier: list[Finding]) -> Iterator[Finding]:
        for source, facts in index.files:
            error = facts.parse_error
            if error is None:
                continue
            yield self.finding(
                source.rel,
                error.line,
                error.column,
                f"cannot parse: {error.message}",
                symbol=source.module,
                statement=error.message,
                group=source.rel,
            )
