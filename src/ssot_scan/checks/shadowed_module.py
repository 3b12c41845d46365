"""SSOT006 shadowed-module."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from ssot_scan.checks.base import Check
from ssot_scan.findings import Finding
from ssot_scan.rules import BY_CODE

if TYPE_CHECKING:
    from ssot_scan.analysis import Analysis


class ShadowedModule(Check):
    """One finding per module file a package folder beside it shadows (docs: the registry)."""

    rule = BY_CODE["SSOT006"]

    def run(self, analysis: Analysis) -> Iterator[Finding]:
        for source, _ in analysis.index.files:
            if source.shadowed_by is None:
                continue
            folder = source.shadowed_by.rsplit("/", 1)[0]
            yield self.finding(
                source.rel,
                1,
                1,
                f"module file `{source.rel}` can never be imported: the package folder "
                f"`{folder}/` shadows it (`{source.shadowed_by}` makes it a package)",
                symbol=source.rel,
                statement=source.shadowed_by,
                group=source.rel,
            )
