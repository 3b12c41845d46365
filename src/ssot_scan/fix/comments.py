"""SSOT008's fix: take out what an unused ``# ssot: ignore`` names, or the comment.

An edit stays inside one comment, so the file's code (and what it does) cannot
change; the file is still checked to parse before it is written, with the rest of
``fix``. The comment is found again in the text the import moves produced (they may
have moved it): the same suppression, by its place among the file's suppressions of
that exact text. When that is not certain, the comment is left alone and said so.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import msgspec

from ssot_scan.extract.comments import suppression_comments
from ssot_scan.findings import Finding
from ssot_scan.suppressions import BARE, suppression_text

# The suppression inside a comment: ``ssot: ignore`` and its list, with the ``#``
# and the space before it when it starts the comment (or a later one on the line).
_MARKER = re.compile(r"(?:#\s*)?ssot:\s*ignore\b\s*(?:\[(?P<codes>[^\]]*)\])?", re.IGNORECASE)


class Unused(msgspec.Struct, frozen=True):
    """One SSOT008 finding: the comment's line, its normalised text, what is unused."""

    line: int
    text: str  # "ssot: ignore[SSOT001, SSOT004]"
    idle: tuple[str, ...]  # the selectors to take out; (BARE,) for a bare comment


def unused_by_file(findings: Sequence[Finding]) -> dict[str, list[Unused]]:
    grouped: dict[str, list[Unused]] = {}
    for finding in findings:
        if finding.code != "SSOT008" or not finding.symbol:
            continue
        idle = tuple(s.strip() for s in finding.symbol.split(","))
        grouped.setdefault(finding.path, []).append(Unused(finding.line, finding.statement, idle))
    return grouped


def _suppressions(text: str) -> list[tuple[int, int, str, str]]:
    """(line, 0-based column, comment, normalised suppression) of each suppression
    comment, read as the scan reads them (``extract.comments``)."""
    return [
        (line, column - 1, comment, suppression_text(selectors))
        for line, column, comment, selectors in suppression_comments(text)
    ]


def _edited(comment: str, idle: Sequence[str]) -> str:
    """The comment with ``idle`` taken out of its suppression ("" if nothing is left)."""
    match = _MARKER.search(comment)
    assert match is not None
    codes = match.group("codes")
    selectors = [c.strip() for c in re.split(r"[,\s]+", codes or "") if c.strip()]
    kept = [s for s in selectors if s not in idle] if BARE not in idle else []
    if kept:
        replacement = f"ssot: ignore[{', '.join(kept)}]"
        if match.group(0).startswith("#"):
            replacement = "# " + replacement
        return comment[: match.start()] + replacement + comment[match.end() :]
    rest = (comment[: match.start()] + comment[match.end() :]).strip()
    rest = rest.rstrip(",;").strip()
    if not rest or rest == "#":
        return ""
    return rest if rest.startswith("#") else "# " + rest


def remove_unused(before: str, after: str, unused: Sequence[Unused]) -> tuple[str, int, list[str]]:
    """``after`` with the unused suppressions taken out: (text, how many comments
    were edited, why some were left alone)."""
    old = _suppressions(before)
    new = _suppressions(after)
    lines = after.splitlines(keepends=True)
    edits: dict[int, tuple[int, str, str]] = {}
    problems: list[str] = []
    for item in unused:
        same = [entry for entry in old if entry[3] == item.text]
        place = next((i for i, entry in enumerate(same) if entry[0] == item.line), None)
        now = [entry for entry in new if entry[3] == item.text]
        if place is None or len(now) != len(same):
            problems.append(
                f"line {item.line}: `# {item.text}` could not be found again after the "
                "imports moved; left as it is (run `ssot-scan fix` again)"
            )
            continue
        line, column, comment, _ = now[place]
        edits[line] = (column, comment, _edited(comment, item.idle))
    done = 0
    for line, (column, comment, replacement) in edits.items():
        text = lines[line - 1]
        body = text.rstrip("\r\n")
        ending = text[len(body) :]
        if body[column : column + len(comment)] != comment:  # a comment token spans one line
            problems.append(f"line {line}: `{comment}` is not where it was read; left as it is")
            continue
        head = body[:column]
        tail = body[column + len(comment) :]
        new_body = head + replacement + tail if replacement else (head.rstrip() + tail)
        lines[line - 1] = new_body + ending
        done += 1
    return "".join(lines), done, problems
