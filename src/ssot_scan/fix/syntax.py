"""The libcst shapes ``fix`` reads and writes: a ``from`` import's module and names,
its spelling (absolute, or relative to the file's package), and whether the
statements between two places mention a name."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Optional, Union

import libcst as cst


def new_alias(name: str, bound: str) -> cst.ImportAlias:
    asname = None if bound == name else cst.AsName(name=cst.Name(bound))
    return cst.ImportAlias(name=cst.parse_expression(name), asname=asname)  # type: ignore[arg-type]


def module_expr(module: str) -> Union[cst.Attribute, cst.Name]:
    expr = cst.parse_expression(module)
    assert isinstance(expr, (cst.Attribute, cst.Name))
    return expr


def import_from_statement(
    module: str, aliases: list[cst.ImportAlias], package: str
) -> cst.ImportFrom:
    """``from <module> import <aliases>``; spelled relative to ``package`` when one is
    given and ``module`` is in the same top-level package (the statement it replaces
    was relative: the file's own preference)."""
    names = without_trailing_comma(aliases)
    level, rest = relative_spelling(module, package) if package else (0, module)
    if level == 0:
        return cst.ImportFrom(module=module_expr(module), names=names)
    return cst.ImportFrom(
        module=module_expr(rest) if rest else None,
        relative=[cst.Dot() for _ in range(level)],
        names=names,
    )


def relative_spelling(target: str, package: str) -> tuple[int, str]:
    """``target`` as ``from <dots><rest> import`` seen from ``package``: (dots, rest),
    or (0, target) when the two share no top-level package."""
    own, parts = package.split("."), target.split(".")
    common = 0
    while common < min(len(own), len(parts)) and own[common] == parts[common]:
        common += 1
    if common == 0:
        return 0, target
    return len(own) - common + 1, ".".join(parts[common:])


def absolute_module(node: cst.ImportFrom, package: str) -> Optional[str]:
    """The module a ``from`` import names, a relative one resolved from ``package``
    (None when it cannot be: no package known, or too many dots)."""
    raw = dotted_name(node.module) if node.module is not None else ""
    level = len(node.relative)
    if level == 0:
        return raw
    parts = package.split(".") if package else []
    if level > len(parts):
        return None
    base = parts[: len(parts) - level + 1]
    return ".".join([*base, raw] if raw else base)


def dotted_name(node: Optional[cst.BaseExpression]) -> str:
    if isinstance(node, cst.Name):
        return node.value
    if isinstance(node, cst.Attribute):
        return f"{dotted_name(node.value)}.{node.attr.value}"
    return ""


def aliases_of(node: cst.ImportFrom) -> list[cst.ImportAlias]:
    return list(node.names) if not isinstance(node.names, cst.ImportStar) else []


def without_trailing_comma(aliases: list[cst.ImportAlias]) -> list[cst.ImportAlias]:
    if aliases:
        aliases[-1] = aliases[-1].with_changes(comma=cst.MaybeSentinel.DEFAULT)
    return aliases


def single_import_from(statement: cst.BaseStatement) -> Optional[cst.ImportFrom]:
    """The ``from`` import of a line that holds it alone, else None: the only lines
    fix reads positions from, splits, merges or sorts (``a; b`` is left alone)."""
    if not isinstance(statement, cst.SimpleStatementLine) or len(statement.body) != 1:
        return None
    node = statement.body[0]
    return node if isinstance(node, cst.ImportFrom) else None


def leading_lines_of(statement: cst.BaseStatement) -> Sequence[cst.EmptyLine]:
    """The blank and comment lines above a statement."""
    if isinstance(statement, (cst.SimpleStatementLine, cst.BaseCompoundStatement)):
        return statement.leading_lines
    return ()


def single_import(statement: cst.BaseStatement) -> Optional[Union[cst.Import, cst.ImportFrom]]:
    """The import of a line that holds it alone, else None."""
    if not isinstance(statement, cst.SimpleStatementLine) or len(statement.body) != 1:
        return None
    node = statement.body[0]
    return node if isinstance(node, (cst.Import, cst.ImportFrom)) else None


def mentioned(module: cst.Module, statements: Sequence[cst.CSTNode], names: set[str]) -> bool:
    """Does any of ``statements`` bind or use one of ``names``? (A word match: it may
    say yes for a mere mention, never no for a real one.)"""
    pattern = re.compile(r"\b(?:" + "|".join(re.escape(n) for n in sorted(names)) + r")\b")
    return any(pattern.search(module.code_for_node(s)) for s in statements)
