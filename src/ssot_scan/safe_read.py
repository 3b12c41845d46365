"""Reading a file the user points at, whatever it turns out to be.

Sources, config, rule packs, baselines and histories are all read through here: only
a regular file (a FIFO cannot hang the run, ``/dev/zero`` cannot fill memory), up to
a size, opened without blocking and checked on the open descriptor, so the file
checked is the file read. Parsers of what comes back must expect hostility too:
``parse_json`` turns deep nesting, numbers out of range and bad JSON alike into one
``ValueError`` the caller words for its file.
"""

from __future__ import annotations

import json
import math
import os
import stat
from typing import Any

DEFAULT_MAX_BYTES = 10_000_000
MAX_INPUT_BYTES = 50_000_000  # a baseline of a 100,000-finding codebase is ~30 MB


class NotReadable(Exception):
    """A file that is not read at all: not a regular file, or too large."""


def read_source(path: str, max_bytes: int = DEFAULT_MAX_BYTES) -> bytes:
    """The bytes of a regular file of at most ``max_bytes``; raises ``NotReadable``
    (or ``OSError``)."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise NotReadable("not read: not a regular file (a FIFO, device or socket)")
        if info.st_size > max_bytes:
            raise NotReadable(_too_large(info.st_size, max_bytes))
        with os.fdopen(fd, "rb") as handle:
            fd = -1  # the file object closes it
            data = handle.read(max_bytes + 1)
    finally:
        if fd >= 0:
            os.close(fd)
    if len(data) > max_bytes:
        raise NotReadable(_too_large(len(data), max_bytes))
    return data


def _too_large(size: int, limit: int) -> str:
    return f"not read: too large, {size:,} bytes, more than max-file-size ({limit:,})"


def read_input(path: str, what: str) -> str:
    """The UTF-8 text of a config, rule pack, baseline or history file; raises
    ``OSError``, ``NotReadable`` (worded for ``what``) or ``UnicodeDecodeError``."""
    try:
        data = read_source(path, MAX_INPUT_BYTES)
    except NotReadable as exc:
        reason = str(exc).removeprefix("not read: ").replace("max-file-size", "the limit")
        raise NotReadable(f"{what}: {reason}") from None
    return data.decode("utf-8")


def parse_json(text: str) -> Any:
    """JSON from text that may be hostile: ``ValueError`` for anything that is not
    plain, finite JSON (bad syntax, nesting too deep, ``1e400``, ``NaN``)."""
    try:
        return json.loads(text, parse_constant=_no_constant, parse_float=_finite)
    except RecursionError:
        raise ValueError("nested too deeply") from None


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a number JSON allows")


def _finite(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(f"{text} is out of range")
    return value
