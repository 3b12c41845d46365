"""Is a ``SyntaxError`` from this interpreter possibly valid code for a newer one?

``--engine auto`` hands a file to libcst only then. libcst accepts things no CPython
compiles (a NUL in a string, ``"\\N{NOT A NAME}"``, non-ASCII in a ``bytes`` literal,
a bad dedent after a backslash line): sent there, a broken file would get facts
instead of its SSOT000, and its importers' SSOT005 would vanish with it. So the
error must sit on a line that uses a grammar feature this interpreter lacks.
"""

from __future__ import annotations

import re
import sys

# (first version with the feature, pattern of a line that uses it)
_FEATURES: list[tuple[tuple[int, int], re.Pattern[str]]] = [
    ((3, 10), re.compile(r"^\s*(?:match|case)\b")),  # PEP 634 match statements
    ((3, 10), re.compile(r"^\s*(?:async\s+)?with\s*\(")),  # parenthesised context managers
    ((3, 11), re.compile(r"\bexcept\s*\*")),  # PEP 654 except*
    ((3, 12), re.compile(r"^\s*type\s+\w+\s*(?:\[|=)")),  # PEP 695 type aliases
    ((3, 12), re.compile(r"^\s*(?:async\s+)?(?:def|class)\s+\w+\s*\[")),  # PEP 695 generics
    ((3, 12), re.compile(r"(?i)(?<![\w])(?:f|rf|fr)['\"]")),  # PEP 701 f-strings
    ((3, 14), re.compile(r"^\s*except\s+[^\s(:*][^:]*,")),  # PEP 758 unparenthesised except
    ((3, 14), re.compile(r"(?i)(?<![\w])(?:t|rt|tr)['\"]")),  # PEP 750 template strings
]
# Errors no later grammar removes: the file is broken for every CPython.
_NEVER_NEWER = (
    "null bytes",
    "(unicode error)",
    "bytes can only contain ASCII",
    "unindent does not match",
    "unexpected indent",
    "expected an indented block",
    "inconsistent use of tabs",
    "EOF while scanning",
    "unterminated",
    "was never closed",
    "unmatched",
    "too many nested",
)


def newer_syntax_possible(exc: BaseException, text: str) -> bool:
    """True when the error is on a line (or the one before) that uses a grammar
    feature newer than the running interpreter."""
    if not isinstance(exc, SyntaxError):
        return False  # ValueError (a NUL byte), RecursionError, MemoryError
    message = str(exc.msg or "")
    if any(marker in message for marker in _NEVER_NEWER) and "f-string" not in message:
        return False
    newer = [pattern for since, pattern in _FEATURES if sys.version_info[:2] < since]
    if not newer:
        return False
    lines = text.splitlines()
    first = max(1, (exc.lineno or 1) - 1)
    last = min(len(lines), max(exc.end_lineno or 0, exc.lineno or 1))
    return any(pattern.search(line) for line in lines[first - 1 : last] for pattern in newer)
