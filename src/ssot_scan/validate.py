"""Strict reading of TOML tables: a typo is an error, never a silent default.

Shared by the config loader and the rule-pack loader so both speak the same way:
``<file>: <table>.<key>: <problem>``, with a "did you mean" where one is close.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from ssot_scan.errors import UsageError


def check_keys(table: Mapping[str, Any], allowed: Iterable[str], where: str) -> None:
    allowed = list(allowed)
    for key in table:
        if key not in allowed:
            import difflib  # only for the message: 2 ms that a valid file never needs

            close = difflib.get_close_matches(key, allowed, n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            raise UsageError(f"{where}: unknown key {key!r}{hint}")


def expect_str(value: Any, where: str) -> str:
    if not isinstance(value, str):
        raise UsageError(f"{where}: expected a string, got {_kind(value)}")
    return value


def expect_bool(value: Any, where: str) -> bool:
    if not isinstance(value, bool):
        raise UsageError(f"{where}: expected true or false, got {_kind(value)}")
    return value


def expect_int(value: Any, where: str, minimum: int = 0) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise UsageError(f"{where}: expected a whole number, got {_kind(value)}")
    if value < minimum:
        raise UsageError(f"{where}: must be at least {minimum}, got {value}")
    return value


_UNITS = {"": 1, "b": 1, "kb": 1000, "mb": 1000**2, "gb": 1000**3, "kib": 1024, "mib": 1024**2}


def expect_size(value: Any, where: str) -> int:
    """A size in bytes: a whole number, or a string such as ``"10 MB"``/``"512 KiB"``."""
    if isinstance(value, int) and not isinstance(value, bool):
        number, unit = value, ""
    elif isinstance(value, str):
        text = value.strip().lower().replace(" ", "")
        digits = text.rstrip("abcdefghijklmnopqrstuvwxyz")
        number, unit = (int(digits) if digits.isdigit() else -1), text[len(digits) :]
        if number < 0 or unit not in _UNITS:
            raise UsageError(
                f'{where}: expected a size such as 10000000 or "10 MB", got {value!r}'
            )
    else:
        raise UsageError(
            f'{where}: expected a size such as 10000000 or "10 MB", got {_kind(value)}'
        )
    size = number * _UNITS[unit]
    if size < 1:
        raise UsageError(f"{where}: must be at least 1 byte, got {value!r}")
    return size


# Patterns of names, dots, dashes, stars and slashes, not starting with a slash or a
# star, optionally negated: pathspec accepts every one (checked on 100,000 random
# ones), so a config made of them does not pay 12 ms to import it on every run.
_PLAIN_PATTERN = re.compile(r"!?[\w.-][\w.*/-]*")


def expect_gitignore_patterns(value: Any, where: str) -> list[str]:
    """A list of gitignore-style patterns, each one that git (pathspec) accepts."""
    patterns = expect_str_list(value, where)
    if all(_PLAIN_PATTERN.fullmatch(p) for p in patterns):
        return patterns
    import pathspec

    for pattern in patterns:
        try:
            pathspec.GitIgnoreSpec.from_lines([pattern])
        except ValueError as exc:  # pathspec's GitIgnorePatternError is one
            reason = str(exc).splitlines()[0] if str(exc) else "invalid pattern"
            raise UsageError(f"{where}: invalid pattern {pattern!r} ({reason})") from None
    return patterns


def expect_str_list(value: Any, where: str) -> list[str]:
    if not isinstance(value, list):
        raise UsageError(f"{where}: expected a list of strings, got {_kind(value)}")
    for item in value:
        if not isinstance(item, str):
            raise UsageError(
                f"{where}: expected a list of strings, got a list containing {_kind(item)}"
            )
    return list(value)


def expect_table_list(value: Any, where: str, header: str) -> list[dict[str, Any]]:
    """An array of tables; ``header`` is how it is written, e.g. ``[[deprecated]]``."""
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        raise UsageError(f"{where}: expected an array of tables, written {header}")
    return list(value)


def expect_dotted(value: Any, where: str) -> str:
    text = expect_str(value, where)
    if not text or not all(part.isidentifier() for part in text.split(".")):
        raise UsageError(f"{where}: {text!r} is not a dotted Python path")
    return text


def _kind(value: Any) -> str:
    return {
        str: "a string",
        bool: "a boolean",
        int: "a number",
        float: "a number",
        list: "a list",
        dict: "a table",
    }.get(type(value), type(value).__name__)
