"""How little of a file libcst reads. It parses far slower than ``ast``, and the
imports a rewrite touches are a few lines: the file's head, or a run of imports
inside a block, is parsed and rewritten, the rest of the text kept as it is."""

from __future__ import annotations

import ast
import contextlib
import itertools
import re
import warnings
from typing import Optional

import libcst as cst
import msgspec
from libcst.metadata import MetadataWrapper

from ssot_scan.fix.joining import merge_into_existing
from ssot_scan.fix.moves import FileFix, Move
from ssot_scan.fix.placement import DEFAULT_LINE_LENGTH, place_sorted, wrap_long
from ssot_scan.fix.rewriter import Rewriter


def rewrite_text(
    result: FileFix,
    text: str,
    moves: list[Move],
    package: str = "",
    first_party: frozenset[str] = frozenset(),
    line_length: int = DEFAULT_LINE_LENGTH,
) -> None:
    """Set ``result.after`` (and ``moved``) to ``text`` with ``moves`` made, or say
    in ``result.problems`` why a move cannot be made. ``package`` is where the
    file's relative imports resolve from ("" when the file has no name).

    libcst parses far slower than ``ast``, so it reads as little as it can: the
    imports inside functions and blocks below the file's top imports are rewritten
    block by block (``_rewrite_blocks``), and the rest in the file's head (up to the
    first statement after the last move that is not an import)."""
    rel = result.rel
    moved = 0
    blocks = _rewrite_blocks(text, moves, package, first_party, line_length)
    if blocks is not None:
        text, moved, moves = blocks
    if moves:
        head, tail = split_head(text, moves)
        unit: Optional[_Unit] = None
        if tail:
            with contextlib.suppress(cst.ParserSyntaxError):
                unit = _rewrite_module(head, moves, package, first_party, line_length)
        if unit is None:
            tail = ""
            try:
                unit = _rewrite_module(text, moves, package, first_party, line_length)
            except cst.ParserSyntaxError as exc:
                result.problems.append(
                    f"{rel}: not rewritten: libcst cannot parse it ({exc.message})"
                )
                return
        for line, column in sorted(unit.missing):
            result.problems.append(
                f"{rel}:{line}:{column}: not rewritten: the statement is not a plain "
                "from-import on a line of its own"
            )
        text = unit.text + tail
        moved += unit.moved
    if moved:
        result.after = text
        result.moved = moved


class _Unit(msgspec.Struct):
    """A piece of source with moves made: its new text, how many names moved, and
    the positions of the moves it could not make."""

    text: str
    moved: int
    missing: set[tuple[int, int]]


def _rewrite_module(
    text: str, moves: list[Move], package: str, first_party: frozenset[str], limit: int
) -> _Unit:
    """Make ``moves`` in ``text``, parsed as a module by libcst (which may raise
    ``ParserSyntaxError``): split, merge, place and wrap."""
    tree = cst.parse_module(text)
    rewriter = Rewriter(moves, package)
    new_tree = rewriter.rewrite_top_level(tree)
    if new_tree is None:
        rewriter = Rewriter(moves, package)
        new_tree = MetadataWrapper(tree).visit(rewriter)
    missing = set(rewriter.pending) - rewriter.done
    if not rewriter.moved:
        return _Unit(text, 0, missing)
    joined: list[cst.SimpleStatementLine] = []
    merged = merge_into_existing(new_tree, rewriter.created, package, joined)
    placed = place_sorted(merged, rewriter.created, first_party)
    code = wrap_long(placed, [*rewriter.created, *joined], limit).code
    return _Unit(code, rewriter.moved, missing)


_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+\Z")


def _rewrite_blocks(
    text: str, moves: list[Move], package: str, first_party: frozenset[str], limit: int
) -> Optional[tuple[str, int, list[Move]]]:
    """Make the moves of imports nested in a block (a function, ``if``, ``try``)
    below the file's head, one run of imports at a time: the run's lines, dedented,
    are a module libcst parses in a moment, where the enclosing class or ``if`` may
    be most of the file. Returns the new text, the names moved and the moves left
    for the head; None when nothing is nested there, or when any run cannot be cut
    out cleanly (then the whole job goes the head's way)."""
    top = [m for m in moves if m.column == 1]
    head_lines = len(_NEWLINE.findall(split_head(text, top)[0])) if top else 0
    nested = [m for m in moves if m.column > 1 and m.line > head_lines]
    if not nested:
        return None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            tree = ast.parse(text)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None
    runs = _import_runs(tree)
    windows: dict[int, tuple[int, list[Move]]] = {}  # first line -> (last line, moves)
    for move in nested:
        found = runs.get((move.line, move.column))
        if found is None:
            return None
        first, last = found
        windows.setdefault(first, (last, []))[1].append(move)
    lines = _LINE.findall(text)
    moved = 0
    for first, (last, window_moves) in sorted(windows.items(), reverse=True):
        segment = lines[first - 1 : last]
        indent = segment[0][: len(segment[0]) - len(segment[0].lstrip(" \t"))]
        if not indent:
            return None
        dedented = []
        for line in segment:
            if line.startswith(indent):
                dedented.append(line[len(indent) :])
            elif not line.strip():
                dedented.append(line)
            else:
                return None  # a continuation line left of the block: not cut out
        local = [
            Move(m.line - first + 1, 1, m.imported, m.bound, m.module, m.name, m.definition)
            for m in window_moves
        ]
        try:
            unit = _rewrite_module(
                "".join(dedented), local, package, first_party, limit - len(indent)
            )
        except cst.ParserSyntaxError:
            return None
        if unit.missing:
            return None
        lines[first - 1 : last] = [
            indent + line if line.strip() else line for line in _LINE.findall(unit.text)
        ]
        moved += unit.moved
    return "".join(lines), moved, [m for m in moves if m not in nested]


def _import_runs(tree: ast.Module) -> dict[tuple[int, int], tuple[int, int]]:
    """For every nested ``from`` import that starts its line, the lines of the run
    of import statements around it in its block: (line, column) -> (first, last).
    A run that shares a line with another statement (``a; b``) is left out."""
    runs: dict[tuple[int, int], tuple[int, int]] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Module):
            continue
        for field_name in ("body", "orelse", "finalbody"):
            body = getattr(node, field_name, None)
            if not isinstance(body, list):
                continue
            index = 0
            while index < len(body):
                if not isinstance(body[index], (ast.Import, ast.ImportFrom)):
                    index += 1
                    continue
                start = index
                while index < len(body) and isinstance(body[index], (ast.Import, ast.ImportFrom)):
                    index += 1
                run = body[start:index]
                first, last = run[0].lineno, run[-1].end_lineno or run[-1].lineno
                before = body[start - 1] if start > 0 else None
                after = body[index] if index < len(body) else None
                if (before is not None and (before.end_lineno or 0) >= first) or (
                    after is not None and after.lineno <= last
                ):
                    continue
                if any(a.end_lineno == b.lineno for a, b in itertools.pairwise(run)):
                    continue
                for statement in run:
                    if isinstance(statement, ast.ImportFrom):
                        runs[(statement.lineno, statement.col_offset + 1)] = (first, last)
    return runs


_NEWLINE = re.compile(r"\r\n|\r|\n")

# A line that may start a top-level statement other than an import: it begins in
# the first column with neither a comment, a closing bracket, nor a keyword that
# continues the statement above.
_STATEMENT_START = re.compile(r"(?!(?:from|import|else|elif|except|finally)\b)[^\s#)\]}]")


def split_head(text: str, moves: list[Move]) -> tuple[str, str]:
    """``text`` cut in two: the head a rewrite can touch, and the rest.

    Parsing is what a rewrite costs (libcst parses far slower than ``ast``), and
    imports sit at the top of a file. The head runs to the first line after the
    last move that starts a top-level statement other than an import (the imports
    that follow are kept in it: a moved name may be sorted among them). Whether the
    cut is really between two top-level statements is left to libcst: a head cut
    inside a string, brackets or a block does not parse, and the caller then
    parses the whole file.
    """
    last = max(move.line for move in moves)
    line = 1
    for newline in _NEWLINE.finditer(text):
        line += 1
        start = newline.end()
        if line > last and _STATEMENT_START.match(text, start):
            return text[:start], text[start:]
    return text, ""
