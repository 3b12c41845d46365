"""Split the names that move out of their ``from`` statements into statements of
their own, with the punctuation and comments each layout needs."""

from __future__ import annotations

from typing import Optional, Union

import libcst as cst
from libcst.metadata import PositionProvider

from ssot_scan.fix.moves import Move
from ssot_scan.fix.syntax import aliases_of, import_from_statement, new_alias, single_import_from


def _partition(
    statement: cst.ImportFrom, moves: list[Move]
) -> tuple[list[cst.ImportAlias], dict[str, list[cst.ImportAlias]], dict[str, list[str]]]:
    """The names that stay, those that move (by the module they move to), and the
    comments that end a moved name's own line (``# type: ignore[...]``): they go
    with the name."""
    keep: list[cst.ImportAlias] = []
    moved: dict[str, list[cst.ImportAlias]] = {}
    comments: dict[str, list[str]] = {}
    by_name = {(m.imported, m.bound): m for m in moves}
    for alias in aliases_of(statement):
        bound = alias.evaluated_alias or alias.evaluated_name
        move = by_name.get((alias.evaluated_name, bound))
        if move is None:
            keep.append(alias)
            continue
        moved.setdefault(move.module, []).append(new_alias(move.name, move.bound))
        comma = alias.comma
        if isinstance(comma, cst.Comma) and isinstance(
            comma.whitespace_after, cst.ParenthesizedWhitespace
        ):
            comment = comma.whitespace_after.first_line.comment
            if comment is not None:
                comments.setdefault(move.module, []).append(comment.value)
    return keep, moved, comments


def _close_after_removal(
    statement: cst.ImportFrom, keep: list[cst.ImportAlias]
) -> list[cst.ImportAlias]:
    """The kept names with the punctuation the statement's own layout needs once
    its last name may have moved away."""
    aliases = aliases_of(statement)
    if keep[-1] is aliases[-1]:
        return keep
    keep = list(keep)
    last, gone = keep[-1], aliases[-1]
    if statement.lpar is None:
        # ``from m import a, b`` without b: no comma may trail ``a``.
        keep[-1] = last.with_changes(comma=cst.MaybeSentinel.DEFAULT)
    elif not (
        isinstance(last.comma, cst.Comma)
        and isinstance(last.comma.whitespace_after, cst.ParenthesizedWhitespace)
    ):
        # The old last name moved away: the new last one takes its comma, so
        # ``(a, b)`` becomes ``(a)``. A comma ending its own line (maybe with a
        # comment) already has the right shape and stays.
        keep[-1] = last.with_changes(comma=gone.comma)
    elif isinstance(gone.comma, cst.Comma) and isinstance(
        gone.comma.whitespace_after, cst.ParenthesizedWhitespace
    ):
        # ...but the closing parenthesis keeps the indentation it had.
        own = last.comma.whitespace_after
        keep[-1] = last.with_changes(
            comma=last.comma.with_changes(
                whitespace_after=own.with_changes(last_line=gone.comma.whitespace_after.last_line)
            )
        )
    return keep


class Rewriter(cst.CSTTransformer):
    METADATA_DEPENDENCIES = (PositionProvider,)

    def __init__(self, moves: list[Move], package: str = "") -> None:
        super().__init__()
        self.package = package  # where the file's relative imports resolve from
        self.pending: dict[tuple[int, int], list[Move]] = {}
        for move in moves:
            self.pending.setdefault((move.line, move.column), []).append(move)
        self.done: set[tuple[int, int]] = set()
        self.moved = 0
        self.created: list[cst.SimpleStatementLine] = []  # the statements this run wrote
        # Positions of module-level statements, when the fast path counted them.
        self.known: Optional[dict[int, tuple[int, int]]] = None

    def _position(self, node: cst.CSTNode) -> tuple[int, int]:
        if self.known is not None:
            return self.known.get(id(node), (0, 0))
        start = self.get_metadata(PositionProvider, node).start
        return start.line, start.column + 1

    def rewrite_top_level(self, tree: cst.Module) -> Optional[cst.Module]:
        """The rewrite without a metadata pass over the whole tree, when every
        statement to move sits at module level (the common case): positions come
        from counting lines, and only the module's own statements are visited.
        None: some move is nested, or the count does not match (a line break libcst
        and Python count differently); take the slow path."""
        known = self._counted(tree)
        if not set(self.pending) <= set(known.values()):
            return None
        self.known = known
        body: list[cst.BaseStatement] = []
        for statement in tree.body:
            if isinstance(statement, cst.SimpleStatementLine):
                result = self.leave_SimpleStatementLine(statement, statement)
                if isinstance(result, cst.FlattenSentinel):
                    body.extend(result.nodes)
                    continue
                body.append(result)
            else:
                body.append(statement)
        return tree.with_changes(body=body)

    @staticmethod
    def _counted(tree: cst.Module) -> dict[int, tuple[int, int]]:
        """Positions of module-level ``from`` imports by counting generated lines."""
        known: dict[int, tuple[int, int]] = {}
        line = 1 + len(tree.header)
        for statement in tree.body:
            import_from = single_import_from(statement)
            if import_from is not None:
                known[id(import_from)] = (line + len(statement.leading_lines), 1)
            line += tree.code_for_node(statement).count("\n")
        return known

    def leave_SimpleStatementLine(
        self, original: cst.SimpleStatementLine, updated: cst.SimpleStatementLine
    ) -> Union[cst.SimpleStatementLine, cst.FlattenSentinel[cst.BaseStatement]]:
        """Split the names that move out of this ``from M import ...`` into
        statements of their own, right below it (or in its place, if none stays)."""
        statement = single_import_from(original)
        if statement is None:
            return updated
        key = self._position(statement)
        moves = self.pending.get(key)
        if not moves or isinstance(statement.names, cst.ImportStar):
            return updated
        keep, moved, comments = _partition(statement, moves)
        if not moved:
            return updated
        self.done.add(key)
        self.moved += sum(len(v) for v in moved.values())
        relative = bool(statement.relative) and bool(self.package)
        new_lines = [
            cst.SimpleStatementLine(
                body=[import_from_statement(module, aliases, self.package if relative else "")],
                trailing_whitespace=cst.TrailingWhitespace(
                    whitespace=cst.SimpleWhitespace("  "),
                    comment=cst.Comment("  ".join(comments[module])),
                )
                if module in comments
                else cst.TrailingWhitespace(),
            )
            for module, aliases in sorted(moved.items())
        ]
        if not keep:
            trailing = updated.trailing_whitespace
            first = new_lines[0].with_changes(
                leading_lines=updated.leading_lines,
                trailing_whitespace=trailing
                if trailing.comment is not None
                else new_lines[0].trailing_whitespace,
            )
            self.created.extend([first, *new_lines[1:]])
            return cst.FlattenSentinel([first, *new_lines[1:]])
        self.created.extend(new_lines)
        keep = _close_after_removal(statement, keep)
        kept = updated.with_changes(body=[updated.body[0].with_changes(names=keep)])
        return cst.FlattenSentinel([kept, *new_lines])
