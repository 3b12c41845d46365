"""SSOT000 parse-error."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from ssot_scan.checks.base import Check
from ssot_scan.findings import Finding
from ssot_scan.rules import BY_CODE

if TYPE_CHECKING:
    from ssot_scan.analysis import Analysis


class ParseErrorCheck(Check):
    """One finding per file that no front end could parse (docs: the registry)."""

    rule = BY_CODE["SSOT000"]

    def run(self, analysis: Analysis) -> Iterator[Finding]:
        for source, facts in analysis.index.files:
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
