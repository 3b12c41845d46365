"""Bytes to text the way CPython does it: BOM, PEP 263 coding line, else UTF-8.

A file that cannot be decoded is not a crash: the caller reports it as a parse error
naming the encoding that failed.
"""

from __future__ import annotations

import io
import tokenize


class DecodeError(Exception):
    """The file's bytes are not valid in the encoding it declares (or UTF-8)."""

    def __init__(self, message: str, line: int = 1, column: int = 1) -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.column = column


def decode_source(data: bytes) -> str:
    """Decode Python source bytes; raise ``DecodeError`` with a one-line reason."""
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
    except SyntaxError as exc:  # unknown codec or a BOM that contradicts the coding line
        raise DecodeError(str(exc.msg if hasattr(exc, "msg") else exc)) from None
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise DecodeError(
            f"cannot decode as {encoding}: byte 0x{data[exc.start]:02x} is invalid"
            " (declare the encoding with a PEP 263 coding line)",
            line,
            column,
        ) from None
    except LookupError:
        raise DecodeError(f"unknown encoding {encoding!r}") from None
    if text.startswith("\ufeff"):
        text = text[1:]
    return text
