"""What ``fix`` moves: one imported name per ``Move``, grouped by file, and the
``FileFix`` that holds one file's rewrite until it is written."""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Optional

import msgspec

from ssot_scan.findings import Finding

if TYPE_CHECKING:
    from ssot_scan.facts import ModuleFacts


class Move(msgspec.Struct, frozen=True):
    """Import ``imported`` (bound as ``bound``) from ``module`` as ``name`` instead."""

    line: int
    column: int
    imported: str
    bound: str
    module: str
    name: str
    definition: str = ""  # what the new import must bind, checked after writing
    origin: str = ""  # the module the statement imported from before


class FileFix(msgspec.Struct):
    """One file's rewrite: its text before and after, the bytes a rollback puts back,
    what was moved, and the facts of the new text (proof that it parses, had before
    anything is written)."""

    path: Path
    rel: str
    before: str
    after: Optional[str] = None
    moved: int = 0
    cleaned: int = 0  # unused suppressions taken out (SSOT008)
    original: bytes = b""  # the file's bytes as read: what a rollback puts back
    moves: list[Move] = msgspec.field(default_factory=list)
    problems: list[str] = msgspec.field(default_factory=list)
    # The facts of ``after``, extracted before writing: proof that it parses, and
    # what the check after writing reads instead of parsing the file again.
    facts: Optional[ModuleFacts] = None

    def diff(self) -> str:
        if self.after is None or self.after == self.before:
            return ""
        return "".join(
            difflib.unified_diff(
                self.before.splitlines(keepends=True),
                self.after.splitlines(keepends=True),
                f"a/{self.rel}",
                f"b/{self.rel}",
            )
        )


def moves_by_file(findings: Sequence[Finding]) -> dict[str, list[Move]]:
    """The findings a rewrite can act on (SSOT002, and SSOT001 to the same object),
    grouped by file."""
    grouped: dict[str, list[Move]] = {}
    for finding in findings:
        rewrite = finding.rewrite
        if finding.code not in ("SSOT001", "SSOT002") or rewrite is None:
            continue
        grouped.setdefault(finding.path, []).append(
            Move(
                finding.line,
                finding.column,
                rewrite.imported,
                rewrite.bound,
                rewrite.module,
                rewrite.name,
                rewrite.definition,
                finding.imported_from or "",
            )
        )
    return grouped
