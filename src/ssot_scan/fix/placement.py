"""Where isort (ruff ``I``) puts an import ``fix`` wrote: the run of its section,
its sorted place there, and wrapped when longer than the project's lines. A file
that passed ``ruff check --select I`` must pass it after."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any, Optional

import libcst as cst

from ssot_scan import dotted
from ssot_scan.fix.syntax import (
    aliases_of,
    dotted_name,
    leading_lines_of,
    mentioned,
    single_import,
    single_import_from,
)

Section = str  # "future", "first" (the project's own), "local" (relative), "other"


def _section(statement: cst.BaseStatement, first_party: frozenset[str]) -> Optional[Section]:
    """isort's section of an import line (standard library and third party are one
    here: a moved name always goes to a project module); None for any other line."""
    node = single_import(statement)
    if node is None:
        return None
    if isinstance(node, cst.ImportFrom):
        if node.relative:
            return "local"
        module = dotted_name(node.module)
    else:
        module = dotted_name(node.names[0].name)
    if module == "__future__":
        return "future"
    return "first" if dotted.top(module) in first_party else "other"


def _order_key(statement: cst.BaseStatement) -> tuple[int, int, int, str]:
    """Where isort (ruff ``I``, default settings) orders an import line within its
    section: ``import x`` lines first, then ``from`` lines; absolute before
    relative, relative ones furthest first (``..`` before ``.``); then by module
    name, case aside."""
    node = single_import(statement)
    if isinstance(node, cst.Import):
        return 0, 0, 0, dotted_name(node.names[0].name).lower()
    assert node is not None
    level = len(node.relative)
    module = dotted_name(node.module) if node.module is not None else ""
    return 1, 1 if level else 0, -level, module.lower()


def _runs(body: Sequence[cst.BaseStatement]) -> list[range]:
    """The runs of import lines in ``body``: consecutive ones, a blank line (or a
    comment line) starting a new run, as isort separates its sections."""
    runs: list[range] = []
    start: Optional[int] = None
    for index, statement in enumerate([*body, None]):
        is_import = statement is not None and single_import(statement) is not None
        if start is not None and (not is_import or (statement and leading_lines_of(statement))):
            runs.append(range(start, index))
            start = None
        if is_import and start is None:
            start = index
    return runs


def place_sorted(
    module: cst.Module, created: list[cst.SimpleStatementLine], first_party: frozenset[str]
) -> cst.Module:
    """Move each statement this fix wrote to where isort (ruff ``I``) would put it:
    into the run of imports of its own section (the project's modules, or relative
    imports) in the block of imports it sits in, at its sorted place, when that run
    is sorted already. A file whose imports were never sorted keeps the order it
    had. Statements inside functions and classes are placed within their block."""
    pending = list(created)
    body = _placed(module, list(module.body), pending, first_party)
    module = module.with_changes(body=body)
    at_top = {id(s) for s in module.body}
    if all(id(s) in at_top for s in pending):
        return module
    return module.visit(_BlockPlacer(module, pending, first_party))


class _BlockPlacer(cst.CSTTransformer):
    def __init__(
        self,
        module: cst.Module,
        pending: list[cst.SimpleStatementLine],
        first_party: frozenset[str],
    ) -> None:
        super().__init__()
        self.module, self.pending, self.first_party = module, pending, first_party

    def visit_SimpleStatementLine(self, node: cst.SimpleStatementLine) -> bool:
        return False  # not entered, so the very objects ``pending`` names stay in place

    def leave_IndentedBlock(
        self, original: cst.IndentedBlock, updated: cst.IndentedBlock
    ) -> cst.IndentedBlock:
        ours = {id(s) for s in self.pending}
        if not any(id(s) in ours for s in updated.body):
            return updated
        return updated.with_changes(
            body=_placed(self.module, list(updated.body), self.pending, self.first_party)
        )


def _placed(
    module: cst.Module,
    body: list[cst.BaseStatement],
    pending: list[cst.SimpleStatementLine],
    first_party: frozenset[str],
) -> list[cst.BaseStatement]:
    """``body`` with each of ``pending`` in it moved to its sorted place (see
    ``place_sorted``); ``pending`` is updated as its statements are replaced."""

    for k in range(len(pending)):
        statement = pending[k]
        index = next((i for i, s in enumerate(body) if s is statement), None)
        section = _section(statement, first_party)
        if index is None or section is None:
            continue
        rest = body[:index] + body[index + 1 :]
        swap: dict[int, cst.BaseStatement] = {}
        moved = statement
        if statement.leading_lines:
            # Its blank lines (and comments) stay where they were, on the next line.
            if (
                index >= len(rest)
                or single_import(rest[index]) is None
                or leading_lines_of(rest[index])
            ):
                continue
            follower = rest[index]
            rest[index] = follower.with_changes(leading_lines=statement.leading_lines)
            swap[id(follower)] = rest[index]
            moved = statement.with_changes(leading_lines=())
        runs = _runs(rest)
        # The block of imports around the statement: runs with nothing but blank or
        # comment lines between them.
        near = [r for r in runs if r.start <= index <= r.stop]
        if not near:
            continue
        block = [near[0]]
        for run in runs:
            if run.start == block[-1].stop:
                block.append(run)
        for run in reversed(runs):
            if run.stop == block[0].start:
                block.insert(0, run)
        own = [r for r in block if r.start < index <= r.stop and not statement.leading_lines]
        sections = [{_section(rest[i], first_party) for i in r} for r in block]
        target = next(
            (r for r, found in zip(block, sections, strict=True) if found == {section}), None
        )
        if target is None and own and len(sections[block.index(own[0])]) > 1:
            target = own[0]  # imports never split into sections: sort within the run
        if target is None:
            continue
        keys = [_order_key(rest[i]) for i in target]
        if keys != sorted(keys):
            continue
        key = _order_key(statement)
        position = target.start + sum(1 for k2 in keys if k2 <= key)
        if position == index and not statement.leading_lines:
            continue
        between = rest[min(position, index) : max(position, index)]
        bound = {
            a.evaluated_alias or a.evaluated_name
            for a in aliases_of(statement.body[0])  # type: ignore[arg-type]
        }
        if mentioned(module, between, bound):
            continue  # binding elsewhere would change what the statements between see
        if position == target.start and leading_lines_of(rest[position]):
            # The run's first line carries the blank lines above it: they go first.
            head = rest[position]
            rest[position] = head.with_changes(leading_lines=())
            moved = moved.with_changes(leading_lines=leading_lines_of(head))
            swap[id(head)] = rest[position]
        rest.insert(position, moved)
        swap[id(statement)] = moved
        body[:] = rest
        for j, item in enumerate(pending):
            swapped = swap.get(id(item))
            if swapped is not None:
                assert isinstance(swapped, cst.SimpleStatementLine)
                pending[j] = swapped
    return body


DEFAULT_LINE_LENGTH = 88  # ruff's and black's default


def isort_line_length(root: Path) -> int:
    """The line length isort wraps imports at in the project at ``root``: ruff's
    ``line-length`` (ruff.toml, .ruff.toml, pyproject.toml), else isort's
    ``line_length``, else black's ``line-length``, else 88."""
    from ssot_scan.tomlcompat import load_toml

    candidates = [
        (root / "ruff.toml", ("line-length",)),
        (root / ".ruff.toml", ("line-length",)),
        (root / "pyproject.toml", ("tool", "ruff", "line-length")),
        (root / "pyproject.toml", ("tool", "isort", "line_length")),
        (root / "pyproject.toml", ("tool", "black", "line-length")),
    ]
    for path, keys in candidates:
        if not path.is_file():
            continue
        try:
            value: Any = load_toml(path, str(path))
        except Exception:  # a broken file is the scan's to report, not fix's
            continue
        for key in keys:
            value = value.get(key) if isinstance(value, dict) else None
        if isinstance(value, int) and value > 0:
            return value
    return DEFAULT_LINE_LENGTH


def wrap_long(module: cst.Module, ours: list[cst.SimpleStatementLine], limit: int) -> cst.Module:
    """Each module-level ``from`` line this fix wrote or joined names to, wrapped the
    way isort (ruff ``I``) wraps one longer than ``limit``: in parentheses, one
    name per line, with a trailing comma. A line with a comment is left as it is."""
    ids = {id(statement) for statement in ours}
    body = list(module.body)
    changed = False
    for index, statement in enumerate(body):
        node = single_import_from(statement)
        if id(statement) not in ids or node is None or node.lpar is not None:
            continue
        assert isinstance(statement, cst.SimpleStatementLine)
        if statement.trailing_whitespace.comment is not None:
            continue
        line = module.code_for_node(statement.with_changes(leading_lines=()))
        if len(line.rstrip("\r\n")) <= limit:
            continue
        indent = cst.SimpleWhitespace(module.default_indent)

        def newline(last: str) -> cst.ParenthesizedWhitespace:
            return cst.ParenthesizedWhitespace(
                first_line=cst.TrailingWhitespace(),
                indent=True,
                last_line=cst.SimpleWhitespace(last),
            )

        names = aliases_of(node)
        aliases = [
            a.with_changes(
                comma=cst.Comma(
                    whitespace_after=newline(indent.value if k < len(names) - 1 else "")
                )
            )
            for k, a in enumerate(names)
        ]
        body[index] = statement.with_changes(
            body=[
                node.with_changes(
                    names=aliases,
                    lpar=cst.LeftParen(whitespace_after=newline(indent.value)),
                    rpar=cst.RightParen(),
                )
            ]
        )
        changed = True
    return module.with_changes(body=body) if changed else module
