"""Comments that carry meaning, read from tokens so strings never match.

- ``# ssot: ignore`` / ``# ssot: ignore[SSOT001,SSOT002]``: suppressions.
- ``# noqa`` / ``# noqa: F401`` on an import: the linters' way of saying "this
  unused import is a deliberate re-export", which makes the import publish its name.

Front-end independent on purpose: both parsers share this, so these facts cannot
differ between them.
"""

from __future__ import annotations

import io
import re
import tokenize
from collections.abc import Iterator
from typing import Optional

_SUPPRESSION = re.compile(r"#.*?\bssot:\s*ignore\b\s*(?:\[(?P<codes>[^\]]*)\])?", re.IGNORECASE)
_NOQA = re.compile(r"#.*?\bnoqa\b(?::\s*(?P<codes>[A-Z]+[0-9]+(?:[,\s]+[A-Z]+[0-9]+)*))?", re.I)
# A line that may hold a marker: a ``#`` with ``noqa`` or ``ssot:`` after it.
_MARKER_LINE = re.compile(r"#[^\n]*?(?:noqa|ssot:)", re.I)


def _codes(match: re.Match[str]) -> list[str]:
    raw = match.group("codes")
    if raw is None:
        return []
    return sorted({c.strip().upper() for c in re.split(r"[,\s]+", raw) if c.strip()})


def _selectors(match: re.Match[str]) -> list[str]:
    """What ``ignore[...]`` names, as written (codes, prefixes, rule names): an
    unknown one must be reported as written, so nothing is normalised here."""
    raw = match.group("codes")
    if raw is None:
        return []
    return sorted({c.strip() for c in re.split(r"[,\s]+", raw) if c.strip()})


def _comments(text: str, until: Optional[int] = None) -> Iterator[tuple[int, int, str]]:
    """(line, 1-based column, comment text) for every comment in the file, or only
    those up to line ``until``: the tokens stop there, exact as far as they go."""
    try:
        for tok in tokenize.generate_tokens(io.StringIO(text).readline):
            if until is not None and tok.start[0] > until:
                return
            if tok.type == tokenize.COMMENT:
                yield tok.start[0], tok.start[1] + 1, tok.string
    except (tokenize.TokenError, SyntaxError, IndentationError):
        # Untokenizable text: fall back to a line scan (a string may fool it, but a
        # file that cannot be tokenized has no findings beyond SSOT000 to suppress).
        for number, line in enumerate(text.splitlines(), start=1):
            hash_at = line.find("#")
            if hash_at >= 0:
                yield number, hash_at + 1, line[hash_at:]


def suppression(comment: str) -> Optional[tuple[list[str], int]]:
    """What a comment's ``ssot: ignore`` names (``[]``: every code) and where its
    ``ssot:`` starts in the comment; None when it holds no suppression (nor when its
    ``ignore[]`` names nothing)."""
    match = _SUPPRESSION.match(comment)
    if match is None:
        return None
    codes = _selectors(match)
    rest = comment[match.end() :].lstrip()
    if match.group("codes") is None and rest.startswith("["):
        # ``ignore[SSOT002`` (no ``]``) is a list gone wrong, not a bare comment:
        # it silences nothing, and SSOT007 names it.
        codes = [rest.split("#")[0].strip()]
    if not codes and match.group("codes") is not None:  # ``ignore[]`` names nothing
        return None
    return codes, match.group(0).lower().index("ssot:")


def suppression_comments(text: str) -> Iterator[tuple[int, int, str, list[str]]]:
    """(line, 1-based column of the comment, comment, what it names) of each
    suppression comment: what the scan records and ``fix`` finds again."""
    for line, column, comment in _comments(text):
        found = suppression(comment)
        if found is not None:
            yield line, column, comment, found[0]


def find_markers(text: str) -> tuple[dict[int, list[str]], dict[int, int], list[int]]:
    """Suppressions (line -> what they name, ``[]`` = every code), the column of
    each suppression comment, and re-export (noqa) lines."""
    lowered = text.lower()
    if "ssot:" not in lowered and "noqa" not in lowered:
        return {}, {}, []
    # Python's tokenizer is written in Python: a file with a marker is tokenized only
    # up to the last line that may hold one (usually an import near the top; on
    # Django, 24 files of 885, 40 ms of extraction -> ~3 ms). Lines end where the
    # tokenizer ends them only with ``\n``: any other line ending, the whole file.
    last = max((m.start() for m in _MARKER_LINE.finditer(text)), default=None)
    if last is None:
        return {}, {}, []
    until = text.count("\n", 0, last) + 1 if "\r" not in text else None
    suppressions: dict[int, list[str]] = {}
    columns: dict[int, int] = {}
    reexports: list[int] = []
    for line, column, comment in _comments(text, until):
        found = suppression(comment)
        if found is not None:
            suppressions[line], offset = found
            columns[line] = column + offset
        noqa = _NOQA.match(comment)
        if noqa:
            codes = _codes(noqa)
            if not codes or "F401" in codes:
                reexports.append(line)
    return suppressions, columns, reexports
