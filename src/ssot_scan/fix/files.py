"""One file's rewrite, checked to parse, with its new facts: what a worker process
runs (``FileJob`` pickles)."""

from __future__ import annotations

import ast
import io
import os
import stat
import tokenize
import warnings
from pathlib import Path
from typing import Optional

import msgspec

from ssot_scan import dotted
from ssot_scan.extract.decode import DecodeError, decode_source
from ssot_scan.fix.moves import FileFix, Move
from ssot_scan.fix.placement import DEFAULT_LINE_LENGTH
from ssot_scan.fix.regions import rewrite_text


class FileJob(msgspec.Struct, frozen=True):
    """One file to rewrite: what a worker process needs (it pickles)."""

    path: Path
    rel: str
    moves: list[Move]
    name: str = ""  # the module name its relative imports resolve from
    is_package: bool = False
    engine: str = "auto"
    first_party: frozenset[str] = frozenset()
    line_length: int = DEFAULT_LINE_LENGTH


def fix_job(job: FileJob) -> FileFix:
    return fix_file(
        job.path,
        job.rel,
        job.moves,
        job.name,
        job.is_package,
        job.engine,
        job.first_party,
        job.line_length,
    )


def fix_file(
    path: Path,
    rel: str,
    moves: list[Move],
    name: str = "",
    is_package: bool = False,
    engine: str = "auto",
    first_party: frozenset[str] = frozenset(),
    line_length: int = DEFAULT_LINE_LENGTH,
) -> FileFix:
    """The rewritten text of one file (not written), with its facts. ``first_party``
    names the project's top-level packages (isort's sections); the modules the
    names move to are always among them."""
    try:
        data = path.read_bytes()
        text = decode_source(data)
    except (OSError, DecodeError) as exc:
        result = FileFix(path, rel, "")
        result.problems.append(f"{rel}: cannot read: {exc}")
        return result
    result = FileFix(path, rel, text, original=data, moves=moves)
    if not os.stat(path).st_mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH):
        result.problems.append(f"{rel}: not rewritten: the file is read-only")
        return result
    encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
    if data.startswith(b"\xef\xbb\xbf") or not _utf8(data) or encoding != "utf-8":
        # Written back as UTF-8, a latin-1 file would change its string literals
        # even when its bytes happen to be valid UTF-8.
        result.problems.append(
            f"{rel}: not rewritten: only UTF-8 files without a BOM are (declared: {encoding})"
        )
        return result
    try:
        package = name if is_package else dotted.parent(name)
        known = first_party | {dotted.top(move.module) for move in moves}
        rewrite_text(result, text, moves, package, known, line_length)
    except Exception as exc:  # libcst's own errors on one file: leave it, go on
        result.problems.append(
            f"{rel}: not rewritten: libcst failed ({type(exc).__name__}: {exc})"
        )
        result.after = None
        return result
    if result.after is not None:
        problem = _check_parses(result, name, is_package, engine)
        if problem is not None:
            result.problems.append(f"{rel}: not rewritten: the result would not parse ({problem})")
            result.after = None
            result.moved = 0
    return result


def _check_parses(result: FileFix, name: str, is_package: bool, engine: str) -> Optional[str]:
    """None when the new text parses, and ``result.facts`` holds its facts; else why
    not. The new text must be readable by what read the old one: ``ast`` (what runs
    the file) whenever it could read the old text, libcst only when it could not."""
    from ssot_scan.extract import extract

    assert result.after is not None
    facts = extract(result.after.encode("utf-8"), name, is_package, engine)
    if facts.parse_error is not None:
        return f"line {facts.parse_error.line}: {facts.parse_error.message}"
    if facts.engine != "ast":
        error = _ast_error(result.after)
        if error is not None and _ast_error(result.before) is None:
            return f"ast: {error}"
    result.facts = facts
    return None


def _ast_error(text: str) -> Optional[Exception]:
    """Why ``ast`` cannot read ``text``, or None when it can."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            ast.parse(text)
    except (SyntaxError, ValueError) as exc:
        return exc
    return None


def _utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True
