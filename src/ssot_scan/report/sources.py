"""Source lines for code frames (the text report's ``full`` style, the HTML report),
read as Python reads the file, each file once, and never a failure: a file that is
gone, unreadable or too large simply gets no frame."""

from __future__ import annotations

import io
import tokenize
from pathlib import Path
from typing import Optional

MAX_SOURCE_BYTES = 2_000_000  # a file larger than this gets no code frame
FRAME_CONTEXT = 2  # lines of source above and below the import


class Sources:
    """The project's files, by path relative to ``root``."""

    def __init__(self, root: str) -> None:
        self.root = Path(root) if root else None
        self._lines: dict[str, Optional[list[str]]] = {}

    def frame(self, path: str, line: int) -> list[tuple[int, str]]:
        """``(number, text)`` of the line and ``FRAME_CONTEXT`` around it; empty
        when the file cannot be read or has no such line."""
        lines = self.lines(path)
        if not lines or line < 1 or line > len(lines):
            return []
        first = max(1, line - FRAME_CONTEXT)
        last = min(len(lines), line + FRAME_CONTEXT)
        return [(n, lines[n - 1].rstrip()) for n in range(first, last + 1)]

    def lines(self, path: str) -> Optional[list[str]]:
        if path not in self._lines:
            found: Optional[list[str]] = None
            if self.root is not None:
                try:
                    file = self.root / path
                    if file.is_file() and file.stat().st_size <= MAX_SOURCE_BYTES:
                        found = decoded(file.read_bytes()).splitlines()
                except OSError:
                    found = None
            self._lines[path] = found
        return self._lines[path]


def decoded(data: bytes) -> str:
    """Source text as Python reads it: its coding cookie or BOM, else UTF-8; what
    does not decode is shown as U+FFFD, never an error."""
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
    except SyntaxError:  # an unknown or contradictory cookie
        encoding = "utf-8"
    try:
        return data.decode(encoding, errors="replace")
    except LookupError:  # a cookie naming a codec this Python lacks
        return data.decode("utf-8", errors="replace")
