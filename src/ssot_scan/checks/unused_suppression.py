"""SSOT008 unused-suppression."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from ssot_scan.checks.base import CommentCheck, Example
from ssot_scan.findings import Finding
from ssot_scan.rules import BY_CODE
from ssot_scan.suppressions import BARE, Comment, unused

_DEPRECATED = {
    "pkg/__init__.py": "",
    "pkg/old.py": "import warnings\nwarnings.warn('use pkg.new', DeprecationWarning)\n",
    "pkg/new.py": "",
}


class UnusedSuppression(CommentCheck):
    """One finding per comment that silences nothing, or names codes that match
    nothing (docs: the registry)."""

    rule = BY_CODE["SSOT008"]

    INVALID = (
        Example(
            {
                **_DEPRECATED,
                "pkg/a.py": "import os  # ssot: ignore\n",
                "pkg/b.py": "import pkg.old  # ssot: ignore[SSOT001, SSOT004]\n",
            },
            expect=("pkg/a.py:1", "pkg/b.py:1"),
            note="b.py: SSOT001 is used, SSOT004 is not",
        ),
    )
    VALID = (
        Example(
            {
                **_DEPRECATED,
                "pkg/a.py": "import pkg.old  # ssot: ignore[deprecated-import]\n",
                "pkg/b.py": "import os  # ssot: ignore[SSOT002, SSOT008]\n",
            },
            note="b.py names SSOT008: it may be unused, on purpose",
        ),
    )

    def review(self, comments: Iterable[Comment]) -> Iterator[Finding]:
        for comment in comments:
            idle = unused(comment)
            if not idle:
                continue
            if idle == [BARE]:
                message = f"`# {comment.text}` silences nothing here: delete it"
            elif len(idle) == len(comment.selectors):
                message = (
                    f"`# {comment.text}` silences nothing here (no finding of "
                    f"{', '.join(idle)} on this statement): delete it"
                )
            else:
                message = (
                    f"`# {comment.text}`: {', '.join(f'`{s}`' for s in idle)} "
                    "silences nothing here: take it out of the list"
                )
            yield self.finding(
                comment.path,
                (comment.line, comment.column),
                message,
                symbol=", ".join(idle),
                statement=comment.text,
                group=comment.path,
            )
