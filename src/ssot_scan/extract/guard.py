"""Inputs libcst must not be given: its native parser overflows the C stack on very
deep expressions, which kills the whole process (a segfault, not an exception).

CPython refuses more than 200 nested brackets itself, so that is the bracket limit.
Chains without brackets (``a.a.a...``, ``- - - 1``, ``lambda: lambda: ...``,
``a[0][0]...``) are bounded by their length: the tokens of one comma-separated
segment of one logical line. Real code stays far below both limits; a generated
file that does not is reported as unparseable rather than taking the scan down.
Only the libcst path pays for this check.
"""

from __future__ import annotations

import io
import tokenize
from typing import Optional

MAX_BRACKET_DEPTH = 200
MAX_SEGMENT_TOKENS = 3000

_OPENERS = frozenset("([{")
_CLOSERS = frozenset(")]}")
_SEPARATORS = frozenset({",", ";"})
_ENDS = frozenset({tokenize.NEWLINE, tokenize.NL, tokenize.ENDMARKER})


def libcst_hazard(text: str) -> Optional[str]:
    """Why libcst must not parse ``text``, or None when it is safe."""
    depth = segment = 0
    try:
        for token in tokenize.generate_tokens(io.StringIO(text).readline):
            if token.type in _ENDS and depth == 0:
                segment = 0
                continue
            if token.type == tokenize.OP:
                if token.string in _OPENERS:
                    depth += 1
                    if depth > MAX_BRACKET_DEPTH:
                        return f"brackets nested deeper than {MAX_BRACKET_DEPTH}"
                elif token.string in _CLOSERS:
                    depth = max(0, depth - 1)
                elif token.string in _SEPARATORS:
                    segment = 0
                    continue
            segment += 1
            if segment > MAX_SEGMENT_TOKENS:
                return f"an expression longer than {MAX_SEGMENT_TOKENS} tokens"
    except (tokenize.TokenError, SyntaxError, IndentationError):
        return _rough_bracket_depth(text)
    return None


def _rough_bracket_depth(text: str) -> Optional[str]:
    """For text ``tokenize`` cannot read: brackets counted outside quotes, roughly."""
    depth = 0
    quote = ""
    for char in text:
        if quote:
            if char == quote or char == "\n":
                quote = ""
        elif char in "\"'":
            quote = char
        elif char in _OPENERS:
            depth += 1
            if depth > MAX_BRACKET_DEPTH:
                return f"brackets nested deeper than {MAX_BRACKET_DEPTH}"
        elif char in _CLOSERS:
            depth = max(0, depth - 1)
    return None
