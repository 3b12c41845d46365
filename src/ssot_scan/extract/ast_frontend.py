"""The fast front end: CPython's ``ast``.

It walks statements only (never expressions beyond the few it needs), which keeps it
an order of magnitude cheaper than a full visitor. Columns are converted from UTF-8
byte offsets to 1-based character columns so they agree with libcst's.
"""

from __future__ import annotations

import ast
import bisect
import re
import sys
from collections.abc import Callable, Iterable
from typing import Any, Optional

from ssot_scan.extract.builder import (
    FRAME_ATTRIBUTES,
    FRAME_NAMESPACE,
    IMPORT_GUARDS,
    LITERAL,
    NAME,
    NAMESPACE_CALLS,
    OTHER,
    OWN_MODULE,
    RAISES_CALLEES,
    SELF,
    SUPPRESS_CALLEES,
    WARN_CALLEES,
    WARNS_WORDS,
    Argument,
    Context,
    FactsBuilder,
    checks_deprecation,
    deprecation_message,
    is_deprecated_decorator,
    is_main_check,
    is_overload,
    member,
)
from ssot_scan.facts import ModuleFacts

_NEWLINE = re.compile(r"\r\n|\r|\n")
# What a function body must spell to hold a fact (see ``_Walker.may_hold_facts``):
# imports, warnings.warn, global, sys.modules/sys.meta_path/globals() writes, __path__,
# changes to __all__, writes into a frame's namespace.
# Words, not regular expressions: ``str.find`` skips to each one at C speed, an
# alternation is tried at every character (a third of the walk on generated code).
_BODY_FACT_WORDS = (
    "import",
    "warn",
    "global",
    "sys",
    "__path__",
    "extend_path",
    "__all__",
    "f_globals",
    "f_locals",
)
# What a module must spell for one of its functions to rewrite a module it is handed.
_REWRITE_WORDS = ("setattr", "__dict__", "sys.modules")
# ``try`` and ``except*`` share one shape.
_TRY_NODES: tuple[type[ast.Try] | type[ast.TryStar], ...] = (ast.Try, ast.TryStar)


def dotted(node: ast.AST) -> Optional[str]:
    """``a.b.c`` for a Name/Attribute chain, else None."""
    parts: list[str] = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        parts.append(node.id)
        return ".".join(reversed(parts))
    return None


def string_value(node: Optional[ast.AST]) -> Optional[str]:
    """A message as written: literals, f-strings (``{...}`` for fields), ``+``."""
    if node is None:
        return None
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(
            v.value if isinstance(v, ast.Constant) and isinstance(v.value, str) else _field(v)
            for v in node.values
        )
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        left, right = string_value(node.left), string_value(node.right)
        if left is not None and right is not None:
            return left + right
    return None


def _exception_names(node: Optional[ast.expr]) -> set[str]:
    """``ImportError`` of ``raises(ImportError)``, each of ``raises((A, B))``."""
    items = node.elts if isinstance(node, ast.Tuple) else [node] if node is not None else []
    return {name.rsplit(".", 1)[-1] for name in (dotted(i) for i in items) if name}


def _hands_over_namespace(call: ast.Call) -> bool:
    """Is ``globals()`` (or ``vars()``) one of the call's arguments?"""
    arguments = [*call.args, *(k.value for k in call.keywords)]
    return any(
        isinstance(a, ast.Call)
        and isinstance(a.func, ast.Name)
        and a.func.id in ("globals", "vars")
        and not a.args
        for a in arguments
    )


def _callee(func: ast.expr) -> Optional[str]:
    """A call's dotted name; ``globals().update`` for a method of ``globals()``,
    ``locals().update`` for one of ``locals()`` or ``vars()``."""
    if isinstance(func, ast.Attribute):
        namespace = _namespace(func.value)
        if namespace:
            return f"{namespace}.{func.attr}"
        if _frame_namespace(func.value):
            return f"{FRAME_NAMESPACE}.{func.attr}"
    return dotted(func)


def _is_globals(node: ast.expr) -> bool:
    return _namespace(node) == "globals()"


def _namespace(node: ast.expr) -> str:
    """``globals()`` for ``globals()``; ``locals()`` for ``locals()`` or ``vars()``."""
    if (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and not node.args
        and not node.keywords
    ):
        return NAMESPACE_CALLS.get(node.func.id, "")
    return ""


def _subject(node: ast.expr) -> Optional[str]:
    """What an expression names for ``FactsBuilder.setattr_on``: ``OWN_MODULE`` for
    ``sys.modules[__name__]``, a dotted name, or None."""
    if (
        isinstance(node, ast.Subscript)
        and isinstance(node.slice, ast.Name)
        and node.slice.id == "__name__"
        and dotted(node.value) == "sys.modules"
    ):
        return OWN_MODULE
    return dotted(node)


# Compound statements, with the fields that hold their statements.
_BLOCKS: dict[type[ast.AST], tuple[str, ...]] = {
    ast.If: ("body", "orelse"),
    ast.For: ("body", "orelse"),
    ast.AsyncFor: ("body", "orelse"),
    ast.While: ("body", "orelse"),
    ast.With: ("body",),
    ast.AsyncWith: ("body",),
    **dict.fromkeys(_TRY_NODES, ("body", "handlers", "orelse", "finalbody")),
    ast.ExceptHandler: ("body",),
    ast.Match: ("cases",),
    ast.match_case: ("body",),
}


def _may_leave(node: ast.AST) -> bool:
    """Can a compound statement leave the function it is in (a ``return`` or a
    ``raise`` in its blocks, not in a nested ``def``)? Then the statements after it
    may never run: prefect's ``_warn_on_deprecated_env_prefix`` returns unless a
    legacy variable is set, and warns only then."""
    fields = _BLOCKS.get(type(node))
    if fields is None:
        return False
    for field in fields:
        for child in getattr(node, field):
            if isinstance(child, (ast.Return, ast.Raise)) or _may_leave(child):
                return True
    return False


def _frame_namespace(node: ast.expr) -> bool:
    """Is ``node`` a frame's namespace (``sys._getframe(1).f_globals``)?"""
    return isinstance(node, ast.Attribute) and node.attr in FRAME_ATTRIBUTES


def _spells_frame_namespace(node: ast.expr) -> bool:
    """Does the expression read a frame's namespace anywhere (``globs or
    sys._getframe(1).f_globals``)?"""
    return any(_frame_namespace(sub) for sub in ast.walk(node) if isinstance(sub, ast.expr))


def _store(target: ast.expr) -> str:
    """What an assignment target writes: ``sys.modules[]`` for ``sys.modules[k]``,
    ``globals()[]``, ``locals()[]``, ``f_globals[]`` (a frame's), or a plain name."""
    if isinstance(target, ast.Subscript):
        namespace = _namespace(target.value)
        if namespace:
            return f"{namespace}[]"
        if _frame_namespace(target.value):
            return f"{FRAME_NAMESPACE}[]"
        return f"{dotted(target.value)}[]"
    # A plain name (``__path__``); an attribute target (``self.x``, in every method)
    # writes nothing the import machinery reads, and is not spelled out.
    return target.id if isinstance(target, ast.Name) else ""


def _arguments(call: ast.Call) -> list[Argument]:
    """The call's arguments as the builder reads them (see ``builder.Argument``)."""
    arguments = [
        Argument(OTHER, "*") if isinstance(a, ast.Starred) else _argument(a, None)
        for a in call.args
    ]
    arguments += [_argument(k.value, k.arg if k.arg is not None else "**") for k in call.keywords]
    return arguments


def _argument(value: ast.expr, keyword: Optional[str]) -> Argument:
    if isinstance(value, ast.Name):
        if value.id == "__name__":
            return Argument(SELF, keyword)
        return Argument(NAME, keyword, value.id)
    if (
        isinstance(value, ast.Call)
        and isinstance(value.func, (ast.Name, ast.Attribute))
        and not value.args
        and not value.keywords
    ):
        return Argument(SELF, keyword)  # ``find_current_module()``, ``globals()``
    if _subject(value) == OWN_MODULE:
        return Argument(SELF, keyword)
    strings = _literal_strings(value)
    if strings is None:
        return Argument(OTHER, keyword)
    return Argument(LITERAL, keyword, strings=tuple(strings))


def _literal_strings(node: Optional[ast.expr]) -> Optional[list[str]]:
    """The strings in a literal (a constant, or a display of literals); None else."""
    if isinstance(node, ast.Constant):
        return [node.value] if isinstance(node.value, str) else []
    if isinstance(node, ast.Dict):
        items: list[Optional[ast.expr]] = [*node.keys, *node.values]
        if None in node.keys:  # ``{**other}``
            return None
    elif isinstance(node, (ast.List, ast.Tuple, ast.Set)):
        items = list(node.elts)
    else:
        return None
    strings: list[str] = []
    for item in items:
        found = _literal_strings(item)
        if found is None:
            return None
        strings += found
    return strings


def _field(node: ast.expr) -> str:
    """An f-string field: ``{name}`` for a plain name (``{__name__}`` matters), else ``{...}``."""
    if isinstance(node, ast.FormattedValue) and isinstance(node.value, ast.Name):
        return "{" + node.value.id + "}"
    return "{...}"


def all_list(node: Optional[ast.AST]) -> Optional[list[str]]:
    """An ``__all__`` value: strings, and ``*m`` for another module's ``m.__all__``
    (``[*a.__all__, "x"]``, ``a.__all__ + b.__all__``); None when not static."""
    if node is None:
        return None
    reference = all_reference(node)
    if reference is not None:
        return [reference]
    if isinstance(node, (ast.List, ast.Tuple)):
        names: list[str] = []
        for element in node.elts:
            if isinstance(element, ast.Starred):
                part = all_list(element.value)
                if part is None:
                    return None
                names.extend(part)
                continue
            value = string_value(element)
            if value is None or not isinstance(element, ast.Constant):
                return None
            names.append(value)
        return names
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        left, right = all_list(node.left), all_list(node.right)
        if left is not None and right is not None:
            return left + right
    return None


def all_reference(node: ast.AST) -> Optional[str]:
    """``*a.b`` for the expression ``a.b.__all__``."""
    if isinstance(node, ast.Attribute) and node.attr == "__all__":
        module = dotted(node.value)
        if module:
            return f"*{module}"
    return None


def _is_main(test: ast.expr) -> bool:
    if not (
        isinstance(test, ast.Compare)
        and len(test.ops) == 1
        and isinstance(test.ops[0], ast.Eq)
        and len(test.comparators) == 1
    ):
        return False

    def side(node: ast.expr) -> Optional[str]:
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            return f'"{node.value}"'
        return dotted(node)

    return is_main_check((side(test.left), side(test.comparators[0])))


def _guard_names(handlers: list[ast.ExceptHandler]) -> set[str]:
    names: set[str] = set()
    for handler in handlers:
        if handler.type is None:
            names.add("*bare*")
        elif isinstance(handler.type, ast.Tuple):
            names.update(filter(None, (dotted(e) for e in handler.type.elts)))
        else:
            name = dotted(handler.type)
            if name:
                names.add(name)
    return {n.rsplit(".", 1)[-1] if n != "*bare*" else n for n in names}


class _Walker:
    def __init__(self, builder: FactsBuilder, text: str) -> None:
        self.b = builder
        self._text = text
        self._split: Optional[list[str]] = None
        self._rewrites = any(word in text for word in _REWRITE_WORDS)
        self._frames = "f_globals" in text or "f_locals" in text
        self._ascii = text.isascii()
        self._word_lines: dict[tuple[str, ...], list[int]] = {}

    @property
    def _lines(self) -> list[str]:
        """The source's lines, split once, when first needed."""
        if self._split is None:
            # ``str.split`` is exact where no ``\r`` ends a line, and three times
            # faster than the regular expression that handles one.
            text = self._text
            self._split = _NEWLINE.split(text) if "\r" in text else text.split("\n")
        return self._split

    def members(self, body: list[ast.stmt]) -> list[str]:
        """``name=digest`` of what a class body binds directly: methods, nested
        classes, attributes (see ``builder.member``)."""
        found = []
        for statement in body:
            lines = self._lines[statement.lineno - 1 : statement.end_lineno or statement.lineno]
            if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                found.append(member(statement.name, lines))
            elif isinstance(statement, ast.Assign):
                found.extend(
                    member(t.id, lines) for t in statement.targets if isinstance(t, ast.Name)
                )
            elif isinstance(statement, ast.AnnAssign) and isinstance(statement.target, ast.Name):
                found.append(member(statement.target.id, lines))
        return found

    def col(self, line: int, byte_offset: int) -> int:
        """1-based character column of a UTF-8 byte offset on ``line``."""
        if self._ascii:
            return byte_offset + 1
        text = self._lines[line - 1] if line - 1 < len(self._lines) else ""
        return len(text.encode("utf-8")[:byte_offset].decode("utf-8", "replace")) + 1

    def span(self, node: ast.stmt) -> tuple[int, int, int, int]:
        end_line = node.end_lineno or node.lineno
        end_col = node.end_col_offset if node.end_col_offset is not None else node.col_offset
        return (
            node.lineno,
            self.col(node.lineno, node.col_offset),
            end_line,
            self.col(end_line, end_col),
        )

    def body(self, stmts: Iterable[ast.stmt], ctx: Context) -> None:
        for stmt in stmts:
            self.stmt(stmt, ctx)
            if ctx.in_function and not ctx.branch_in_function and _may_leave(stmt):
                # What follows ``if not found: return`` runs on one branch only.
                ctx = ctx.entering(conditional=True)

    def stmt(self, node: ast.stmt, ctx: Context) -> None:
        """One statement, by its kind; statements that bind or import nothing (and
        hold no statement that does) are passed over."""
        visit = _VISITORS.get(type(node))
        if visit is not None:
            visit(self, node, ctx)

    # One method per kind of statement, in the order of cst_frontend's.
    def import_(self, node: ast.Import, ctx: Context) -> None:
        self.b.add_import(ctx, [(a.name, a.asname) for a in node.names], self.span(node))

    def import_from(self, node: ast.ImportFrom, ctx: Context) -> None:
        spread = node.end_lineno is not None and node.end_lineno > node.lineno
        self.b.add_import_from(
            ctx,
            node.level or 0,
            node.module or "",
            [(a.name, a.asname) for a in node.names],
            self.span(node),
            [a.lineno for a in node.names] if spread else None,
        )

    def function_def(self, node: ast.FunctionDef | ast.AsyncFunctionDef, ctx: Context) -> None:
        self.decorated(node.decorator_list, node.lineno, ctx)
        deprecated = self.deprecation(node.decorator_list)
        self.b.add_definition(
            ctx,
            node.name,
            "function",
            node.lineno,
            self.col(node.lineno, node.col_offset),
            deprecated=deprecated,
        )
        if not self.may_hold_facts(node, ctx):
            return
        inner = ctx.entering_function(node.name)
        if deprecated is not None or self.checks_deprecation(node):
            inner = inner.entering(in_deprecated=True)
        self.body(node.body, inner)

    def checks_deprecation(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
        """Does the function (a test) check that a deprecation warns, with
        ``pytest.warns(DeprecationWarning)``, ``pytest.deprecated_call()`` or
        ``assertWarns``? Only a body that spells one of them is searched."""
        if not self._spells(WARNS_WORDS, node):
            return False
        for sub in ast.walk(node):
            if isinstance(sub, (ast.With, ast.AsyncWith)):
                for item in sub.items:
                    call = item.context_expr
                    if isinstance(call, ast.Call) and checks_deprecation(
                        dotted(call.func), _exception_names(call.args[0] if call.args else None)
                    ):
                        return True
        return False

    def may_hold_facts(self, node: ast.FunctionDef | ast.AsyncFunctionDef, ctx: Context) -> bool:
        """Can the function's body hold a fact? Only an import, a warning, a
        ``global``, a write to the import machinery or a rewrite of a module it is
        handed can, and each spells one of a few words; a body without them (most
        bodies) is not walked. In a module that rewrites modules at all, every
        top-level function's body is: a call passing a name on may reach a
        rewriting function. Methods are spared that rule (Django spells
        ``setattr`` in most modules, which had every method walked): a method of a
        top-level class is walked when it spells ``setattr``, ``__dict__`` or
        ``sys.modules`` itself, so it is known as a rewriter (``Context.function``)
        as the libcst front end, which walks every body, knows it (matplotlib's
        ``_Backend.export``); it hands nothing on (``FactsBuilder.function_call``)."""
        if self._rewrites and ctx.top_level:
            return True
        if (
            self._rewrites
            and ctx.class_name
            and not ctx.in_function
            and self._spells(_REWRITE_WORDS, node)
        ):
            return True  # a method of a top-level class that may rewrite a module
        return self._spells(_BODY_FACT_WORDS, node)

    def _spells(self, words: tuple[str, ...], node: ast.stmt) -> bool:
        """Does one of ``words`` appear on one of the lines ``node`` spans? The file
        is searched once per set of words, then each question is a bisect (a search
        of each function's own lines cost more than the walk it saves)."""
        lines = self._word_lines.get(words)
        if lines is None:
            lines = self._word_lines[words] = self._lines_with(words)
        at = bisect.bisect_left(lines, node.lineno)
        return at < len(lines) and lines[at] <= (node.end_lineno or node.lineno)

    def _lines_with(self, words: tuple[str, ...]) -> list[int]:
        """The line of each occurrence of ``words`` from the first ``def`` on, in
        order (every question ``_spells`` answers is about a function, whose lines
        start at its ``def``: a file's imports above it answer none). Newlines are
        counted between one occurrence and the next: a list of every line's start,
        built in Python, had cost a fifth of the walk (Django). A lone ``\r``, which
        ends a line for the parser too, needs that list; it is rare."""
        text = self._text
        first = text.find("def")
        if first < 0:
            return []
        find = text.find
        found: list[int] = []
        for word in words:
            at = find(word, first)
            while at >= 0:
                found.append(at)
                at = find(word, at + 1)
        found.sort()
        if "\r" in text and text.count("\r") != text.count("\r\n"):
            starts = [m.end() for m in _NEWLINE.finditer(text)]
            return [bisect.bisect_right(starts, at) + 1 for at in found]
        count = text.count
        line, last = 1 + count("\n", 0, first), first
        lines: list[int] = []
        for at in found:
            line += count("\n", last, at)
            last = at
            lines.append(line)
        return lines

    def class_def(self, node: ast.ClassDef, ctx: Context) -> None:
        self.decorated(node.decorator_list, node.lineno, ctx)
        deprecated = self.deprecation(node.decorator_list)
        members = self.members(node.body)
        self.b.add_definition(
            ctx,
            node.name,
            "class",
            node.lineno,
            self.col(node.lineno, node.col_offset),
            bases=[d for d in (dotted(x) for x in node.bases) if d],
            deprecated=deprecated,
            members=members,
        )
        self.b.class_source(members, self._lines[node.lineno - 1 : node.end_lineno or node.lineno])
        self.body(node.body, ctx.entering_class(node.name, deprecated is not None))

    def global_(self, node: ast.Global, ctx: Context) -> None:
        column = self.col(node.lineno, node.col_offset)
        for name in node.names:
            self.b.add_global(ctx, name, node.lineno, column)

    def assign_statement(self, node: ast.Assign, ctx: Context) -> None:
        self.into_other_objects(node.targets, node.lineno, ctx)
        if isinstance(node.value, ast.Subscript) and _subject(node.value) == OWN_MODULE:
            for target in node.targets:
                if isinstance(target, ast.Name):
                    self.b.own_module_name(target.id)
        if ctx.function and self._frames and _spells_frame_namespace(node.value):
            for target in node.targets:
                if isinstance(target, ast.Name):
                    self.b.frame_namespace_name(ctx, target.id)
        if _is_globals(node.value) and ctx.top_level:
            self.b.rewiring_store(ctx, "globals()[]")  # ``_ns = globals()``: written through
        if isinstance(node.value, ast.Call):  # x = sys.modules.setdefault(...)
            self.call(node.value, ctx)
        if ctx.top_level:
            self.flags(node.targets, node.value, ctx)
        self.assign(node.targets, node.value, ctx)

    def flags(self, targets: list[ast.expr], value: ast.expr, ctx: Context) -> None:
        """Top-level flags and ``globals()[key]`` writes (see ``hides_from_run_time``)."""
        for target in targets:
            if isinstance(target, ast.Name):
                true = isinstance(value, ast.Constant) and value.value is True
                self.b.bind_flag(ctx, target.id, true)
            elif isinstance(target, ast.Subscript) and _is_globals(target.value):
                key = target.slice
                literal = isinstance(key, ast.Constant) and isinstance(key.value, str)
                self.b.namespace_key_write(ctx, key.value if literal else None)  # type: ignore[attr-defined]

    def ann_assign(self, node: ast.AnnAssign, ctx: Context) -> None:
        if node.value is not None:
            self.into_other_objects([node.target], node.lineno, ctx)
            self.assign([node.target], node.value, ctx)

    def type_alias(self, node: Any, ctx: Context) -> None:
        """``type X = ...`` (PEP 695) defines ``X``."""
        self.b.add_definition(
            ctx, node.name.id, "assign", node.lineno, self.col(node.lineno, node.col_offset)
        )

    def aug_assign(self, node: ast.AugAssign, ctx: Context) -> None:
        self.into_other_objects([node.target], node.lineno, ctx)
        if (
            ctx.top_level
            and isinstance(node.target, ast.Name)
            and isinstance(node.op, ast.Add)
            and node.target.id == "__all__"
        ):
            self.b.extend_all(all_list(node.value))
        elif isinstance(node.target, ast.Name) and node.target.id == "__all__":
            self.b.mutates_all(ctx)

    def expression(self, node: ast.Expr, ctx: Context) -> None:
        self.expression_statement(node.value, ctx)

    def if_(self, node: ast.If, ctx: Context) -> None:
        if isinstance(node.test, ast.NamedExpr):
            self.bind_target(node.test.target, ctx)
        if self.b.hides_from_run_time(dotted(node.test)):
            self.body(node.body, ctx.entering(type_checking=True))
        elif _is_main(node.test):
            self.body(node.body, ctx.entering(conditional=True, main_block=True))
        else:
            self.body(node.body, ctx.entering(conditional=True))
        self.body(node.orelse, ctx.entering(conditional=True))

    def try_(self, node: Any, ctx: Context) -> None:
        guards = _guard_names(node.handlers)
        try_ctx = ctx.entering(guarded=True) if guards & IMPORT_GUARDS else ctx
        self.body(node.body, try_ctx)
        for handler in node.handlers:
            self.body(handler.body, ctx.entering(conditional=True))
        self.body(node.orelse, ctx.entering(conditional=True))
        self.body(node.finalbody, ctx)

    def with_(self, node: ast.With | ast.AsyncWith, ctx: Context) -> None:
        suppressed: set[str] = set()
        expected: set[str] = set()
        for item in node.items:
            if item.optional_vars is not None:
                self.bind_target(item.optional_vars, ctx)
            call = item.context_expr
            if isinstance(call, ast.Call) and dotted(call.func) in SUPPRESS_CALLEES:
                suppressed.update(
                    n.rsplit(".", 1)[-1] for n in (dotted(a) for a in call.args) if n
                )
            if isinstance(call, ast.Call) and dotted(call.func) in RAISES_CALLEES:
                expected.update(_exception_names(call.args[0] if call.args else None))
        with_ctx = ctx.entering(guarded=True) if suppressed & IMPORT_GUARDS else ctx
        if expected & IMPORT_GUARDS:
            with_ctx = with_ctx.entering(expects_import_error=True)
        self.body(node.body, with_ctx)

    def loop(self, node: ast.For | ast.AsyncFor | ast.While, ctx: Context) -> None:
        if isinstance(node, (ast.For, ast.AsyncFor)):
            self.bind_target(node.target, ctx.entering(conditional=True))
        elif isinstance(node.test, ast.NamedExpr):
            self.bind_target(node.test.target, ctx)
        self.body(node.body, ctx.entering(conditional=True))
        self.body(node.orelse, ctx.entering(conditional=True))

    def match(self, node: Any, ctx: Context) -> None:
        for case in node.cases:
            self.body(case.body, ctx.entering(conditional=True))

    def assign(self, targets: list[ast.expr], value: ast.expr, ctx: Context) -> None:
        for target in targets:
            if isinstance(target, ast.Name):
                if target.id == "__all__":
                    if ctx.top_level:
                        self.b.set_all(all_list(value))
                    continue
                self.b.add_definition(
                    ctx,
                    target.id,
                    "assign",
                    target.lineno,
                    self.col(target.lineno, target.col_offset),
                    alias_of=dotted(value),
                )
            elif isinstance(target, (ast.Tuple, ast.List)):
                self.unpack(target, ctx)

    def bind_target(self, target: ast.expr, ctx: Context) -> None:
        """A name bound by ``for X in``, ``with ... as X`` or ``(X := ...)``."""
        if isinstance(target, ast.Name):
            self.b.add_definition(
                ctx, target.id, "assign", target.lineno, self.col(target.lineno, target.col_offset)
            )
        elif isinstance(target, (ast.Tuple, ast.List)):
            self.unpack(target, ctx)

    def unpack(self, target: ast.Tuple | ast.List, ctx: Context) -> None:
        """``a, (b, *c) = ...``: every name bound, however deep."""
        for element in target.elts:
            if isinstance(element, ast.Starred):
                element = element.value
            if isinstance(element, ast.Name):
                self.b.add_definition(
                    ctx,
                    element.id,
                    "assign",
                    element.lineno,
                    self.col(element.lineno, element.col_offset),
                )
            elif isinstance(element, (ast.Tuple, ast.List)):
                self.unpack(element, ctx)

    def expression_statement(self, value: ast.expr, ctx: Context) -> None:
        if isinstance(value, ast.NamedExpr):
            self.bind_target(value.target, ctx)
            return
        if not isinstance(value, ast.Call):
            return
        self.call(value, ctx)
        callee = dotted(value.func)
        if callee is not None and callee.startswith("__all__.") and not ctx.top_level:
            self.b.mutates_all(ctx)
        if callee in ("__all__.extend", "__all__.append") and ctx.top_level:
            arg = value.args[0] if value.args else None
            if callee == "__all__.append":
                single = string_value(arg)
                self.b.extend_all([single] if single is not None else None)
            else:
                self.b.extend_all(all_list(arg))
            return
        self.b.add_call(ctx, callee, value.lineno)
        if callee not in WARN_CALLEES:
            self.b.add_side_effect(ctx, value.lineno)
        keywords = {k.arg: k.value for k in value.keywords if k.arg}
        message = value.args[0] if value.args else keywords.get("message")
        category = value.args[1] if len(value.args) > 1 else keywords.get("category")
        self.b.add_warning_call(
            ctx,
            callee,
            string_value(message),
            dotted(category) if category is not None else None,
            value.lineno,
        )

    def call(self, value: ast.Call, ctx: Context) -> None:
        """A call as a statement or an assignment's value: does it rewire imports,
        rewrite a module it is handed, or hand this module over?"""
        callee = _callee(value.func)
        self.b.rewiring_call(ctx, callee, _hands_over_namespace(value))
        if callee == "setattr" and value.args:
            self.b.setattr_on(ctx, _subject(value.args[0]))
        if ctx.function or ctx.top_level:
            arguments = _arguments(value)
            self.b.function_call(ctx, callee, arguments)
            self.b.module_call(ctx, callee, arguments, value.lineno)

    def decorated(self, decorators: list[ast.expr], line: int, ctx: Context) -> None:
        """What the decorators of the ``def`` or ``class`` at ``line`` may do (see
        ``FactsBuilder.decorators``)."""
        if decorators:
            self.b.decorators(
                ctx,
                [
                    (dotted(d.func), True) if isinstance(d, ast.Call) else (dotted(d), False)
                    for d in decorators
                ],
                line,
            )

    def into_other_objects(self, targets: list[ast.expr], line: int, ctx: Context) -> None:
        """``x.y = ...`` or ``d[k] = ...``: the module changes an object it does not own."""
        if any(isinstance(t, (ast.Attribute, ast.Subscript)) for t in targets):
            self.b.add_side_effect(ctx, line)
        for target in targets:
            self.b.rewiring_store(ctx, _store(target))

    def deprecation(self, decorators: list[ast.expr]) -> Optional[str]:
        """The message of a deprecation decorator ("" without one); None if none."""
        for decorator in decorators:
            call = decorator if isinstance(decorator, ast.Call) else None
            if not is_deprecated_decorator(dotted(call.func if call else decorator)):
                continue
            if any(is_overload(dotted(d)) for d in decorators):
                return None
            if call is None:
                return ""
            return deprecation_message(
                string_value(call.args[0]) if call.args else None,
                {k.arg: string_value(k.value) for k in call.keywords if k.arg},
            )
        return None


# Statement kind -> the _Walker method that reads it.
_VISITORS: dict[type[ast.stmt], Callable[[_Walker, Any, Context], None]] = {
    ast.Import: _Walker.import_,
    ast.ImportFrom: _Walker.import_from,
    ast.FunctionDef: _Walker.function_def,
    ast.AsyncFunctionDef: _Walker.function_def,
    ast.ClassDef: _Walker.class_def,
    ast.Global: _Walker.global_,
    ast.Assign: _Walker.assign_statement,
    ast.AnnAssign: _Walker.ann_assign,
    ast.AugAssign: _Walker.aug_assign,
    ast.Expr: _Walker.expression,
    ast.If: _Walker.if_,
    **dict.fromkeys(_TRY_NODES, _Walker.try_),
    ast.With: _Walker.with_,
    ast.AsyncWith: _Walker.with_,
    ast.For: _Walker.loop,
    ast.AsyncFor: _Walker.loop,
    ast.While: _Walker.loop,
}
_VISITORS[ast.Match] = _Walker.match
if sys.version_info >= (3, 12):
    _VISITORS[ast.TypeAlias] = _Walker.type_alias  # type: ignore[attr-defined,unused-ignore]


def extract_with_ast(tree: ast.Module, text: str, module: str, is_package: bool) -> ModuleFacts:
    """Facts from an already parsed tree (parsing is the caller's, to time and guard)."""
    builder = FactsBuilder(module, is_package, engine="ast")
    _Walker(builder, text).body(tree.body, Context())
    return builder.finish()
