"""``# ssot: ignore[...]`` comments, read from tokens so strings never match.

Front-end independent on purpose: both parsers share this, so suppressions cannot
differ between them.
"""

from __future__ import annotations

import io
import re
import tokenize

_SUPPRESSION = re.compile(r"#.*?\bssot:\s*ignore\b(?:\[(?P<codes>[^\]]*)\])?", re.IGNORECASE)


def _codes(match: re.Match[str]) -> list[str]:
    raw = match.group("codes")
    if raw is None:
        return []
    return sorted({c.strip().upper() for c in raw.split(",") if c.strip()})


def find_suppressions(text: str) -> dict[int, list[str]]:
    """Map line numbers to suppressed codes (``[]`` = every code)."""
    if "ssot:" not in text and "SSOT:" not in text.upper():
        return {}
    found: dict[int, list[str]] = {}
    try:
        for tok in tokenize.generate_tokens(io.StringIO(text).readline):
            if tok.type == tokenize.COMMENT:
                match = _SUPPRESSION.match(tok.string)
                if match:
                    found[tok.start[0]] = _codes(match)
    except (tokenize.TokenError, SyntaxError, IndentationError):
        # Untokenizable text: fall back to a line scan (strings may fool it, but a
        # file that cannot be tokenized has no findings to suppress beyond SSOT000).
        for number, line in enumerate(text.splitlines(), start=1):
            hash_at = line.find("#")
            if hash_at >= 0:
                match = _SUPPRESSION.match(line, hash_at)
                if match:
                    found[number] = _codes(match)
    return found
