"""A moved name joins an earlier import of its module, when that keeps what every
statement between sees, at the place isort gives it among the names."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any, Optional, Union

import libcst as cst

from ssot_scan.fix.syntax import absolute_module, aliases_of, mentioned, single_import_from


def merge_into_existing(
    module: cst.Module,
    created: list[cst.SimpleStatementLine],
    package: str = "",
    joined: Optional[list[cst.SimpleStatementLine]] = None,
) -> cst.Module:
    """Fold a statement this fix wrote into an earlier module-level ``from M import``
    of the same module, however spelled (``from ..api`` is ``pkg.api`` seen from
    ``pkg.sub``). Statements the author wrote are never merged or removed."""
    ours = {id(statement): statement for statement in created}
    first_at: dict[str, int] = {}
    body = list(module.body)
    remove: set[int] = set()
    for index, statement in enumerate(body):
        node = single_import_from(statement)
        if node is None or isinstance(node.names, cst.ImportStar):
            continue
        name = absolute_module(node, package)
        if name is None:
            continue
        if name not in first_at:
            first_at[name] = index
            continue
        written = ours.get(id(statement))
        if written is None:
            continue
        target_index = first_at[name]
        target = body[target_index]
        assert isinstance(target, cst.SimpleStatementLine)
        target_node = target.body[0]
        assert isinstance(target_node, cst.ImportFrom)
        existing = {(a.evaluated_name, a.evaluated_alias) for a in aliases_of(target_node)}
        extra = [
            a for a in aliases_of(node) if (a.evaluated_name, a.evaluated_alias) not in existing
        ]
        if written.trailing_whitespace.comment is not None:
            continue  # a comment belongs to its line: keep the statement
        bound = {a.evaluated_alias or a.evaluated_name for a in aliases_of(node)}
        if mentioned(module, body[target_index + 1 : index], bound):
            continue  # binding earlier would change what the statements between see
        if extra:
            body[target_index] = target.with_changes(
                body=[target_node.with_changes(names=_joined(target_node, extra))]
            )
            if joined is not None:
                joined.append(body[target_index])  # type: ignore[arg-type]
        remove.add(index)
    if not remove:
        return module
    return module.with_changes(body=[s for i, s in enumerate(body) if i not in remove])


def _joined(node: cst.ImportFrom, extra: list[cst.ImportAlias]) -> list[cst.ImportAlias]:
    """``node``'s names with ``extra`` among them: in isort's order when the names
    were in it (so ``ruff check --select I`` still passes), else after them. The
    punctuation stays where it was, so only names without a comment of their own
    are reordered; with a comment they are appended."""
    appended = _appended(node, extra)
    if not _sorted_members(aliases_of(node)) or any(_has_comment(a) for a in appended):
        return appended
    ordered = sorted(appended, key=_member_key)
    return [a.with_changes(comma=b.comma) for a, b in zip(ordered, appended, strict=True)]


def _has_comment(alias: cst.ImportAlias) -> bool:
    comma = alias.comma
    return (
        isinstance(comma, cst.Comma)
        and isinstance(comma.whitespace_after, cst.ParenthesizedWhitespace)
        and comma.whitespace_after.first_line.comment is not None
    )


def _sorted_members(aliases: Sequence[cst.ImportAlias]) -> bool:
    keys = [_member_key(a) for a in aliases]
    return keys == sorted(keys)


_DIGITS = re.compile(r"(\d+)")


def _member_key(alias: cst.ImportAlias) -> tuple[int, list[Any], list[Any], str]:
    """isort's (ruff ``I``, default ``order-by-type``) order of imported names:
    CONSTANTS, then Classes, then variables; within each, case-insensitively with
    numbers in numeric order (``a2`` before ``a10``), then by alias."""
    name = alias.evaluated_name
    letters = [c for c in name if c.isalpha()]
    if len(name) > 1 and letters and all(c.isupper() for c in letters):
        kind = 0
    elif name[:1].isupper():
        kind = 1
    else:
        kind = 2
    return kind, _natural(name.lower()), _natural(name), alias.evaluated_alias or ""


def _natural(text: str) -> list[Any]:
    return [int(part) if part.isdigit() else part for part in _DIGITS.split(text)]


def _appended(node: cst.ImportFrom, extra: list[cst.ImportAlias]) -> list[cst.ImportAlias]:
    """``node``'s names with ``extra`` after them, in the layout the statement has:
    ``a, b`` on one line, or one name per line inside parentheses."""
    aliases = aliases_of(node)
    last = aliases[-1]
    one_per_line = node.lpar is not None and isinstance(
        node.lpar.whitespace_after, cst.ParenthesizedWhitespace
    )
    if not one_per_line:
        between = cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))
        return [
            *aliases[:-1],
            last.with_changes(comma=between),
            *(a.with_changes(comma=between) for a in extra[:-1]),
            extra[-1].with_changes(
                comma=last.comma if node.lpar is not None else cst.MaybeSentinel.DEFAULT
            ),
        ]
    assert node.lpar is not None and isinstance(
        node.lpar.whitespace_after, cst.ParenthesizedWhitespace
    )
    indent = node.lpar.whitespace_after.last_line  # before each name
    newline = cst.ParenthesizedWhitespace(
        first_line=cst.TrailingWhitespace(), indent=True, last_line=indent
    )
    between = cst.Comma(whitespace_after=newline)
    if isinstance(last.comma, cst.Comma) and isinstance(
        last.comma.whitespace_after, cst.ParenthesizedWhitespace
    ):
        # ``b,  # note`` then ``)``: b keeps its comma and comment; the new last name
        # ends the way b did, so the closing parenthesis stays where it was.
        closing = last.comma.whitespace_after.last_line
        head = last.with_changes(
            comma=last.comma.with_changes(
                whitespace_after=last.comma.whitespace_after.with_changes(last_line=indent)
            )
        )
        tail: Union[cst.Comma, cst.MaybeSentinel] = cst.Comma(
            whitespace_after=newline.with_changes(last_line=closing)
        )
    else:
        head = last.with_changes(comma=between)
        tail = last.comma  # no trailing comma before ``)``: none after the new last
    return [
        *aliases[:-1],
        head,
        *(a.with_changes(comma=between) for a in extra[:-1]),
        extra[-1].with_changes(comma=tail),
    ]
