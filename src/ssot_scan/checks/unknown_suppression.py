"""SSOT007 unknown-suppression."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from ssot_scan.checks.base import CommentCheck, Example
from ssot_scan.findings import Finding
from ssot_scan.rules import BY_CODE
from ssot_scan.suppressions import Comment, unknown


class UnknownSuppression(CommentCheck):
    """One finding per comment naming a rule that does not exist (docs: the registry)."""

    rule = BY_CODE["SSOT007"]

    INVALID = (
        Example(
            {
                "pkg/__init__.py": "",
                "pkg/a.py": "import os  # ssot: ignore[SSOT02]\n",
                "pkg/b.py": "import os  # ssot: ignore[non-canonical-imports, SSOT002]\n",
            },
            expect=("pkg/a.py:1", "pkg/b.py:1"),
        ),
    )
    VALID = (
        Example(
            {
                "pkg/__init__.py": "",
                "pkg/a.py": "import os  # ssot: ignore[ssot002, SSOT00, Non-Canonical-Import]\n",
                "pkg/b.py": "import os  # ssot: ignore\n",
            },
            note="codes and prefixes in any case, rule names, or none at all",
        ),
    )

    def review(self, comments: Iterable[Comment]) -> Iterator[Finding]:
        for comment in comments:
            wrong = unknown(comment)
            if not wrong:
                continue
            named = ", ".join(f"`{s}`" for s in wrong)
            yield self.finding(
                comment.path,
                (comment.line, comment.column),
                f"`# {comment.text}` names no rule: {named} "
                f"(codes, prefixes or names as `ssot-scan rules` lists them), so "
                f"{'it silences' if len(wrong) == 1 else 'they silence'} nothing",
                symbol=", ".join(wrong),
                statement=comment.text,
                group=comment.path,
            )
