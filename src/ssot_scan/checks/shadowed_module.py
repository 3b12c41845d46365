"""SSOT006 shadowed-module."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from ssot_scan.checks.base import Check, Example
from ssot_scan.findings import Finding
from ssot_scan.rules import BY_CODE

if TYPE_CHECKING:
    from ssot_scan.analysis import Analysis


class ShadowedModule(Check):
    """One finding per module file a package folder beside it shadows (docs: the registry)."""

    rule = BY_CODE["SSOT006"]

    INVALID = (
        Example(
            {
                "pkg/__init__.py": "",
                "pkg/events.py": "OLD = 1\n",
                "pkg/events/__init__.py": "NEW = 1\n",
            },
            expect=("pkg/events.py:1",),
        ),
    )
    VALID = (
        Example(
            {
                "tests/__init__.py": "",
                "tests/helpers.py": "",
                "frontend/tests/__init__.py": "",
                "frontend/tests/helpers.py": "",
            },
            note="tests and frontend.tests are two names, not one",
        ),
    )

    def run(self, analysis: Analysis) -> Iterator[Finding]:
        for source, _ in analysis.index.files:
            if source.shadowed_by is None:
                continue
            folder = source.shadowed_by.rsplit("/", 1)[0]
            yield self.finding(
                source.rel,
                (1, 1),
                f"module file `{source.rel}` can never be imported: the package folder "
                f"`{folder}/` shadows it (`{source.shadowed_by}` makes it a package)",
                symbol=source.rel,
                statement=source.shadowed_by,
                group=source.rel,
            )
