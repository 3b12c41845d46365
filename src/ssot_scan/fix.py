"""``ssot-scan fix``: move imports to their canonical path, formatting kept.

SSOT002 findings are rewritten, and SSOT001 findings whose replacement the scan
proved to be the *same object* (a successor is a different object, and moving to it
stays a human's job): the new path binds what the old one did. After writing, the
command re-scans and checks every move; any doubt restores every file. A statement
that imports several names keeps the others; the moved names join an existing
``from <canonical> import ...`` at module level, or a new statement right after the
old one. libcst keeps comments and layout.

Safety: a file is rewritten only if its new text parses (with libcst, and with
``ast`` when the interpreter can read it), and it is written atomically, so no file
is ever left half-written or unparseable. Files whose statements cannot be matched
exactly (positions moved since the scan) are left alone and reported.
"""

from __future__ import annotations

import ast
import contextlib
import dataclasses
import difflib
import io
import os
import re
import stat
import tokenize
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Optional, Union

import libcst as cst
from libcst.metadata import MetadataWrapper, PositionProvider

from ssot_scan import dotted
from ssot_scan.extract.decode import DecodeError, decode_source
from ssot_scan.findings import Finding
from ssot_scan.parallel import content_hash, map_in_order
from ssot_scan.writes import Change
from ssot_scan.writes import write_all as write_all_changes

if TYPE_CHECKING:
    from ssot_scan.cache import FactsCache
    from ssot_scan.config import Config
    from ssot_scan.discover import Discovery, SourceFile
    from ssot_scan.facts import ImportSite, ModuleFacts
    from ssot_scan.project_view import ProjectView


@dataclass(frozen=True)
class Move:
    """Import ``imported`` (bound as ``bound``) from ``module`` as ``name`` instead."""

    line: int
    column: int
    imported: str
    bound: str
    module: str
    name: str
    definition: str = ""  # what the new import must bind, checked after writing
    origin: str = ""  # the module the statement imported from before


@dataclass
class FileFix:
    path: Path
    rel: str
    before: str
    after: Optional[str] = None
    moved: int = 0
    original: bytes = b""  # the file's bytes as read: what a rollback puts back
    moves: list[Move] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    # The facts of ``after``, extracted before writing: proof that it parses, and
    # what the check after writing reads instead of parsing the file again.
    facts: Optional[ModuleFacts] = None

    def diff(self) -> str:
        if self.after is None or self.after == self.before:
            return ""
        return "".join(
            difflib.unified_diff(
                self.before.splitlines(keepends=True),
                self.after.splitlines(keepends=True),
                f"a/{self.rel}",
                f"b/{self.rel}",
            )
        )


def moves_by_file(findings: Sequence[Finding]) -> dict[str, list[Move]]:
    """The findings a rewrite can act on (SSOT002, and SSOT001 to the same object),
    grouped by file."""
    grouped: dict[str, list[Move]] = {}
    for finding in findings:
        rewrite = finding.rewrite
        if finding.code not in ("SSOT001", "SSOT002") or rewrite is None:
            continue
        grouped.setdefault(finding.path, []).append(
            Move(
                finding.line,
                finding.column,
                rewrite.imported,
                rewrite.bound,
                rewrite.module,
                rewrite.name,
                rewrite.definition,
                finding.imported_from or "",
            )
        )
    return grouped


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
    for alias in _names(statement):
        bound = alias.evaluated_alias or alias.evaluated_name
        move = by_name.get((alias.evaluated_name, bound))
        if move is None:
            keep.append(alias)
            continue
        moved.setdefault(move.module, []).append(_alias(move.name, move.bound))
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
    aliases = _names(statement)
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


def _alias(name: str, bound: str) -> cst.ImportAlias:
    asname = None if bound == name else cst.AsName(name=cst.Name(bound))
    return cst.ImportAlias(name=cst.parse_expression(name), asname=asname)  # type: ignore[arg-type]


def _module_expr(module: str) -> Union[cst.Attribute, cst.Name]:
    expr = cst.parse_expression(module)
    assert isinstance(expr, (cst.Attribute, cst.Name))
    return expr


def _import_from(module: str, aliases: list[cst.ImportAlias], package: str) -> cst.ImportFrom:
    """``from <module> import <aliases>``; spelled relative to ``package`` when one is
    given and ``module`` is in the same top-level package (the statement it replaces
    was relative: the file's own preference)."""
    names = _without_trailing_comma(aliases)
    level, rest = _relative_spelling(module, package) if package else (0, module)
    if level == 0:
        return cst.ImportFrom(module=_module_expr(module), names=names)
    return cst.ImportFrom(
        module=_module_expr(rest) if rest else None,
        relative=[cst.Dot() for _ in range(level)],
        names=names,
    )


def _relative_spelling(target: str, package: str) -> tuple[int, str]:
    """``target`` as ``from <dots><rest> import`` seen from ``package``: (dots, rest),
    or (0, target) when the two share no top-level package."""
    own, parts = package.split("."), target.split(".")
    common = 0
    while common < min(len(own), len(parts)) and own[common] == parts[common]:
        common += 1
    if common == 0:
        return 0, target
    return len(own) - common + 1, ".".join(parts[common:])


def _absolute(node: cst.ImportFrom, package: str) -> Optional[str]:
    """The module a ``from`` import names, a relative one resolved from ``package``
    (None when it cannot be: no package known, or too many dots)."""
    raw = _dotted(node.module) if node.module is not None else ""
    level = len(node.relative)
    if level == 0:
        return raw
    parts = package.split(".") if package else []
    if level > len(parts):
        return None
    base = parts[: len(parts) - level + 1]
    return ".".join([*base, raw] if raw else base)


def _dotted(node: Optional[cst.BaseExpression]) -> str:
    if isinstance(node, cst.Name):
        return node.value
    if isinstance(node, cst.Attribute):
        return f"{_dotted(node.value)}.{node.attr.value}"
    return ""


def _names(node: cst.ImportFrom) -> list[cst.ImportAlias]:
    return list(node.names) if not isinstance(node.names, cst.ImportStar) else []


def _without_trailing_comma(aliases: list[cst.ImportAlias]) -> list[cst.ImportAlias]:
    if aliases:
        aliases[-1] = aliases[-1].with_changes(comma=cst.MaybeSentinel.DEFAULT)
    return aliases


class _Rewriter(cst.CSTTransformer):
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
            import_from = _single_import_from(statement)
            if import_from is not None:
                known[id(import_from)] = (line + len(statement.leading_lines), 1)
            line += tree.code_for_node(statement).count("\n")
        return known

    def leave_SimpleStatementLine(
        self, original: cst.SimpleStatementLine, updated: cst.SimpleStatementLine
    ) -> Union[cst.SimpleStatementLine, cst.FlattenSentinel[cst.BaseStatement]]:
        """Split the names that move out of this ``from M import ...`` into
        statements of their own, right below it (or in its place, if none stays)."""
        statement = _single_import_from(original)
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
                body=[_import_from(module, aliases, self.package if relative else "")],
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


def _merge_into_existing(
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
        node = _single_import_from(statement)
        if node is None or isinstance(node.names, cst.ImportStar):
            continue
        name = _absolute(node, package)
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
        existing = {(a.evaluated_name, a.evaluated_alias) for a in _names(target_node)}
        extra = [a for a in _names(node) if (a.evaluated_name, a.evaluated_alias) not in existing]
        if written.trailing_whitespace.comment is not None:
            continue  # a comment belongs to its line: keep the statement
        bound = {a.evaluated_alias or a.evaluated_name for a in _names(node)}
        if _mentioned(module, body[target_index + 1 : index], bound):
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


def _single_import_from(statement: cst.BaseStatement) -> Optional[cst.ImportFrom]:
    """The ``from`` import of a line that holds it alone, else None: the only lines
    fix reads positions from, splits, merges or sorts (``a; b`` is left alone)."""
    if not isinstance(statement, cst.SimpleStatementLine) or len(statement.body) != 1:
        return None
    node = statement.body[0]
    return node if isinstance(node, cst.ImportFrom) else None


Section = str  # "future", "first" (the project's own), "local" (relative), "other"


def _leading(statement: cst.BaseStatement) -> Sequence[cst.EmptyLine]:
    """The blank and comment lines above a statement."""
    if isinstance(statement, (cst.SimpleStatementLine, cst.BaseCompoundStatement)):
        return statement.leading_lines
    return ()


def _single_import(statement: cst.BaseStatement) -> Optional[Union[cst.Import, cst.ImportFrom]]:
    """The import of a line that holds it alone, else None."""
    if not isinstance(statement, cst.SimpleStatementLine) or len(statement.body) != 1:
        return None
    node = statement.body[0]
    return node if isinstance(node, (cst.Import, cst.ImportFrom)) else None


def _section(statement: cst.BaseStatement, first_party: frozenset[str]) -> Optional[Section]:
    """isort's section of an import line (standard library and third party are one
    here: a moved name always goes to a project module); None for any other line."""
    node = _single_import(statement)
    if node is None:
        return None
    if isinstance(node, cst.ImportFrom):
        if node.relative:
            return "local"
        module = _dotted(node.module)
    else:
        module = _dotted(node.names[0].name)
    if module == "__future__":
        return "future"
    return "first" if dotted.top(module) in first_party else "other"


def _order_key(statement: cst.BaseStatement) -> tuple[int, int, int, str]:
    """Where isort (ruff ``I``, default settings) orders an import line within its
    section: ``import x`` lines first, then ``from`` lines; absolute before
    relative, relative ones furthest first (``..`` before ``.``); then by module
    name, case aside."""
    node = _single_import(statement)
    if isinstance(node, cst.Import):
        return 0, 0, 0, _dotted(node.names[0].name).lower()
    assert node is not None
    level = len(node.relative)
    module = _dotted(node.module) if node.module is not None else ""
    return 1, 1 if level else 0, -level, module.lower()


def _runs(body: Sequence[cst.BaseStatement]) -> list[range]:
    """The runs of import lines in ``body``: consecutive ones, a blank line (or a
    comment line) starting a new run, as isort separates its sections."""
    runs: list[range] = []
    start: Optional[int] = None
    for index, statement in enumerate([*body, None]):
        is_import = statement is not None and _single_import(statement) is not None
        if start is not None and (not is_import or (statement and _leading(statement))):
            runs.append(range(start, index))
            start = None
        if is_import and start is None:
            start = index
    return runs


def _place_sorted(
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
    ``_place_sorted``); ``pending`` is updated as its statements are replaced."""

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
            if index >= len(rest) or _single_import(rest[index]) is None or _leading(rest[index]):
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
        target = next((r for r, found in zip(block, sections) if found == {section}), None)
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
            for a in _names(statement.body[0])  # type: ignore[arg-type]
        }
        if _mentioned(module, between, bound):
            continue  # binding elsewhere would change what the statements between see
        if position == target.start and _leading(rest[position]):
            # The run's first line carries the blank lines above it: they go first.
            head = rest[position]
            rest[position] = head.with_changes(leading_lines=())
            moved = moved.with_changes(leading_lines=_leading(head))
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


def _wrap_long(module: cst.Module, ours: list[cst.SimpleStatementLine], limit: int) -> cst.Module:
    """Each module-level ``from`` line this fix wrote or joined names to, wrapped the
    way isort (ruff ``I``) wraps one longer than ``limit``: in parentheses, one
    name per line, with a trailing comma. A line with a comment is left as it is."""
    ids = {id(statement) for statement in ours}
    body = list(module.body)
    changed = False
    for index, statement in enumerate(body):
        node = _single_import_from(statement)
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

        names = _names(node)
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


def _mentioned(module: cst.Module, statements: Sequence[cst.CSTNode], names: set[str]) -> bool:
    """Does any of ``statements`` bind or use one of ``names``? (A word match: it may
    say yes for a mere mention, never no for a real one.)"""
    pattern = re.compile(r"\b(?:" + "|".join(re.escape(n) for n in sorted(names)) + r")\b")
    return any(pattern.search(module.code_for_node(s)) for s in statements)


def _joined(node: cst.ImportFrom, extra: list[cst.ImportAlias]) -> list[cst.ImportAlias]:
    """``node``'s names with ``extra`` among them: in isort's order when the names
    were in it (so ``ruff check --select I`` still passes), else after them. The
    punctuation stays where it was, so only names without a comment of their own
    are reordered; with a comment they are appended."""
    appended = _appended(node, extra)
    if not _sorted_members(_names(node)) or any(_has_comment(a) for a in appended):
        return appended
    ordered = sorted(appended, key=_member_key)
    return [a.with_changes(comma=b.comma) for a, b in zip(ordered, appended)]


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
    aliases = _names(node)
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


@dataclass(frozen=True)
class FileJob:
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
        _rewrite(result, text, moves, package, known, line_length)
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
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                ast.parse(result.after)
        except (SyntaxError, ValueError) as exc:
            if _ast_reads(result.before):
                return f"ast: {exc}"
    result.facts = facts
    return None


def _ast_reads(text: str) -> bool:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            ast.parse(text)
    except (SyntaxError, ValueError):
        return False
    return True


def _rewrite(
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
        head, tail = _split_head(text, moves)
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


@dataclass
class _Unit:
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
    rewriter = _Rewriter(moves, package)
    new_tree = rewriter.rewrite_top_level(tree)
    if new_tree is None:
        rewriter = _Rewriter(moves, package)
        new_tree = MetadataWrapper(tree).visit(rewriter)
    missing = set(rewriter.pending) - rewriter.done
    if not rewriter.moved:
        return _Unit(text, 0, missing)
    joined: list[cst.SimpleStatementLine] = []
    merged = _merge_into_existing(new_tree, rewriter.created, package, joined)
    placed = _place_sorted(merged, rewriter.created, first_party)
    code = _wrap_long(placed, [*rewriter.created, *joined], limit).code
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
    head_lines = len(_NEWLINE.findall(_split_head(text, top)[0])) if top else 0
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
                if any(a.end_lineno == b.lineno for a, b in zip(run, run[1:])):
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


def _split_head(text: str, moves: list[Move]) -> tuple[str, str]:
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


def _utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def keep_side_effects(
    moves: dict[str, list[Move]], view: ProjectView
) -> tuple[dict[str, list[Move]], list[str]]:
    """The moves that keep the program's behaviour, and why the others are refused.

    Importing a module runs it. A move that stops a file from importing a module
    whose top level does more than bind names (a call, a registering decorator, an
    assignment into another object) would drop that effect, unless the file still
    imports the module some other way, or the new module's own import chain runs it.
    A deprecation warning is no such effect: dropping it is the point of the move.
    """
    kept: dict[str, list[Move]] = {}
    refused: list[str] = []
    view.preload([*moves, *(m.origin for file_moves in moves.values() for m in file_moves)])
    for rel, file_moves in moves.items():
        facts = view.facts_of(rel)
        for move in file_moves:
            origin = view.modules.get(move.origin)
            effects = origin.side_effects if origin is not None else []
            if not effects or _still_runs(move, file_moves, facts, view):
                kept.setdefault(rel, []).append(move)
                continue
            refused.append(
                f"{rel}:{move.line}: not moved: importing `{move.origin}` runs code "
                f"(line {effects[0]}) that `from {move.module} import {move.name}` would "
                "no longer run"
            )
    return kept, refused


def _still_runs(move: Move, moves: list[Move], facts: ModuleFacts, view: ProjectView) -> bool:
    """Does the file still run ``move.origin`` once the move is made?"""
    origin = move.origin
    if dotted.is_within(move.module, origin) or origin in dotted.ancestors(move.module):
        return True  # importing the new module runs its packages, the old one among them
    for site in facts.imports:
        if site.target is None or not dotted.is_within(site.target, origin):
            continue
        if (site.line, site.column) != (move.line, move.column):
            return True  # another import of the module stays
        moving = {m.imported for m in moves if (m.line, m.column) == (site.line, site.column)}
        if any(n.name not in moving for n in site.names):
            return True  # the statement keeps a name, so the import stays
    return view.runs(move.module, origin)


def refusals(findings: Sequence[Finding]) -> list[str]:
    """Why the SSOT001 findings ``fix`` leaves alone are left alone."""
    reasons = []
    for finding in findings:
        if finding.code != "SSOT001" or finding.rewrite is not None:
            continue
        replacement = finding.replacement
        if replacement is None:
            why = "no replacement is known"
        elif replacement.name is None:
            why = f"only a module is named (`{replacement.module}`): which name to use is unknown"
        else:
            why = (
                f"`{replacement.name}` from `{replacement.module}` is not shown to be the "
                "same object"
            )
        reasons.append(f"{finding.path}:{finding.line}: not moved: {why}")
    return reasons


def verify(
    fixes: Sequence[FileFix],
    view: ProjectView,
    unresolved_before: int,
    include_guarded: bool,
    changed: Optional[Mapping[str, ModuleFacts]] = None,
) -> list[str]:
    """What went wrong, read off the written tree: a moved name that no longer binds
    its definition, or more unresolved imports in the touched files (in their
    imports ``changed`` holds, when given: the statements the rewrite changed)."""
    problems = []
    view.preload(m.module for item in fixes for m in item.moves)
    for item in fixes:
        for move in item.moves:
            if not move.definition:
                continue
            found = view.symbols.resolve(move.module, move.name)
            if found.target != move.definition:
                problems.append(
                    f"{item.rel}: `from {move.module} import {move.name}` reaches "
                    f"`{found.target}`, not `{move.definition}`"
                )
    after = len(view.unresolved([f.rel for f in fixes], include_guarded, changed))
    if after > unresolved_before:
        problems.append(
            f"the rewritten files have {after} unresolved imports, {unresolved_before} before"
        )
    return problems


def restore(fixes: Sequence[FileFix]) -> None:
    """Put every written file back as it was."""
    write_all_changes(
        [Change(f.path, f.original) for f in fixes if f.after is not None], "restored file"
    )


def write_all(fixes: Sequence[FileFix]) -> None:
    """Write every rewritten file, or none (see ``writes.write_all``): a tree is
    never left half-migrated."""
    write_all_changes(
        [
            Change(f.path, f.after.encode("utf-8"), f.original)
            for f in fixes
            if f.after is not None and f.after != f.before
        ],
        "fixed file",
    )


def plan(
    findings: Sequence[Finding],
    base: Path,
    view: Optional[ProjectView] = None,
    workers: int = 1,
    engine: str = "auto",
    line_length: int = DEFAULT_LINE_LENGTH,
) -> tuple[list[FileFix], list[str]]:
    """One ``FileFix`` per file with movable findings, in path order, and why the
    moves that would drop an import's side effects are refused (given ``view``).
    Files are rewritten in a process pool when there are many."""
    moves = moves_by_file(findings)
    refused: list[str] = []
    sources = {}
    first_party: frozenset[str] = frozenset()
    if view is not None:
        moves, refused = keep_side_effects(moves, view)
        sources = {s.rel: s for s in view.found.files}
        first_party = frozenset(view.found.first_party)
    jobs = []
    for rel, file_moves in sorted(moves.items()):
        source = sources.get(rel)
        name, is_package = (source.name or "", source.is_package) if source else ("", False)
        jobs.append(
            FileJob(
                base / rel, rel, file_moves, name, is_package, engine, first_party, line_length
            )
        )
    return map_in_order(fix_job, jobs, workers), refused


@dataclass
class Outcome:
    """What ``fix`` did: the files it changed (or would), the warnings for each move
    it left alone, and, when the check after writing failed, why (every file was
    then restored)."""

    changed: list[FileFix]
    warnings: list[str]
    errors: list[str]

    @property
    def moved(self) -> int:
        return sum(f.moved for f in self.changed)


def run(
    found: Discovery,
    findings: Sequence[Finding],
    config: Config,
    cache: Optional[FactsCache],
    workers: int,
    write: bool,
) -> Outcome:
    """Plan every move, write the files all or none, check them, and roll back on
    any doubt. Facts come from ``cache`` where it knows a file (``ProjectView``):
    no whole analysis runs, so a fix costs little more than a warm scan."""
    from ssot_scan.project_view import ProjectView

    view = ProjectView(found, config.engine, cache)
    length = isort_line_length(found.base)
    fixes, refused = plan(findings, found.base, view, workers, config.engine, length)
    changed = [f for f in fixes if f.after is not None and f.after != f.before]
    warnings_ = [*refusals(findings), *refused, *(p for f in fixes for p in f.problems)]
    outcome = Outcome(changed, warnings_, [])
    if not write or not changed:
        return outcome
    touched = [f.rel for f in changed]
    # Only the import statements a rewrite changed can have broken: the others are
    # the same statements, judged the same before and after.
    old_sites, new_sites = {}, {}
    for item in changed:
        assert item.facts is not None  # a rewrite without facts did not parse
        old_sites[item.rel], new_sites[item.rel] = _changed_imports(
            view.facts_of(item.rel), item.facts
        )
    before = len(view.unresolved(touched, config.include_guarded, old_sites))
    write_all(changed)
    known = {rel: facts for rel, facts in view.loaded().items() if rel not in set(touched)}
    known.update({f.rel: f.facts for f in changed if f.facts is not None})
    after = ProjectView(found, config.engine, cache, known)
    outcome.errors = verify(changed, after, before, config.include_guarded, new_sites)
    if outcome.errors:
        restore(changed)
        return outcome
    after.remember(_written_rows(changed, {s.rel: s for s in found.files}))
    return outcome


def _changed_imports(old: ModuleFacts, new: ModuleFacts) -> tuple[ModuleFacts, ModuleFacts]:
    """``old`` and ``new`` with only the import statements the other lacks."""

    def signature(site: ImportSite) -> tuple[object, ...]:
        names = frozenset((n.name, n.asname) for n in site.names)
        return (site.kind, site.target, site.level, site.raw_module, site.asname, names)

    old_keys = {signature(site) for site in old.imports}
    new_keys = {signature(site) for site in new.imports}
    return (
        dataclasses.replace(old, imports=[s for s in old.imports if signature(s) not in new_keys]),
        dataclasses.replace(new, imports=[s for s in new.imports if signature(s) not in old_keys]),
    )


def _written_rows(
    fixes: Sequence[FileFix], sources: dict[str, SourceFile]
) -> list[tuple[SourceFile, int, int, str, ModuleFacts]]:
    """(source, size, mtime, content hash, facts) of each written file, for the cache."""
    rows = []
    for item in fixes:
        if item.after is None or item.facts is None:
            continue
        try:
            info = item.path.stat()
        except OSError:
            continue
        data = item.after.encode("utf-8")
        rows.append(
            (sources[item.rel], info.st_size, info.st_mtime_ns, content_hash(data), item.facts)
        )
    return rows
