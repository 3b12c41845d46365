"""Text that is safe to store and to print: a file name may hold anything.

A name that is not valid UTF-8 reaches Python with surrogate escapes, which SQLite,
hashing and every output refuse (``UnicodeEncodeError``); a newline or an ANSI
escape in a name would forge lines or colours in a terminal or a CI log. Such
characters are written as escapes (``\\xff``, ``\\n``, ``\\x1b``). Ordinary names
are unchanged, so the escaped form is what reports, baselines and the cache carry.
"""

from __future__ import annotations

import re

_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def printable(text: str) -> str:
    """``text`` with control characters and undecodable bytes escaped."""
    if not _UNSAFE.search(text):
        return text
    return _UNSAFE.sub(_escape, text)


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    if char in _NAMED:
        return _NAMED[char]
    code = ord(char)
    if 0xDC80 <= code <= 0xDCFF:  # a byte that was not UTF-8 (surrogateescape)
        return f"\\x{code - 0xDC00:02x}"
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"
