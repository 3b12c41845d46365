"""The fallback front end: libcst, for files the running interpreter cannot parse.

libcst's native parser reads Python 3.0 to 3.14 syntax (PEP 701 f-strings included),
so a scan on 3.11 still sees a 3.12 file's imports. It mirrors ``ast_frontend``
statement for statement; the differential test over every fixture holds them equal.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable, Iterable, Sequence
from typing import Any, Optional, Union

import libcst as cst
from libcst.metadata import MetadataWrapper, PositionProvider

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

# Names libcst parses as ``Name`` but ``ast`` as ``Constant``.
_CONSTANT_NAMES = frozenset({"None", "True", "False"})

_NEWLINE = re.compile(r"\r\n|\r|\n")

Block = Union[cst.BaseSuite, cst.SimpleStatementLine, cst.Module]


def dotted(node: Optional[cst.CSTNode]) -> Optional[str]:
    parts: list[str] = []
    while isinstance(node, cst.Attribute):
        parts.append(node.attr.value)
        node = node.value
    if isinstance(node, cst.Name) and node.value not in _CONSTANT_NAMES:
        parts.append(node.value)
        return ".".join(reversed(parts))
    return None


def _fstring_text(node: cst.FormattedString, raw: str) -> str:
    """Decode the text part of an f-string the way the compiler would."""
    prefix = "".join(c for c in node.prefix if c not in "fF")
    quote = node.end
    text = raw.replace("{{", "{").replace("}}", "}")
    try:
        value = ast.literal_eval(f"{prefix}{quote}{text}{quote}")
    except (SyntaxError, ValueError):
        return text
    return value if isinstance(value, str) else text


def _echo(part: cst.BaseFormattedStringContent) -> str:
    """A field as the compiler reads it: ``{x=}`` is the text ``x=`` (spaces as
    written) and then the value, so a message keeps the name it shows."""
    if isinstance(part, cst.FormattedStringExpression) and part.equal is not None:
        code = cst.Module(body=[]).code_for_node
        shown = (
            code(part.whitespace_before_expression)
            + code(part.expression)
            + code(part.whitespace_after_expression)
            + code(part.equal.whitespace_before)
            + "="
            + code(part.equal.whitespace_after)
        )
        return shown + _field(part)
    return _field(part)


def _exception_names(node: Optional[cst.BaseExpression]) -> set[str]:
    """``ImportError`` of ``raises(ImportError)``, each of ``raises((A, B))``."""
    if isinstance(node, cst.Tuple):
        items = [element.value for element in node.elements]
    else:
        items = [node] if node is not None else []
    return {name.rsplit(".", 1)[-1] for name in (dotted(i) for i in items) if name}


def _hands_over_namespace(call: cst.Call) -> bool:
    """Is ``globals()`` (or ``vars()``) one of the call's arguments?"""
    return any(
        isinstance(a.value, cst.Call)
        and isinstance(a.value.func, cst.Name)
        and a.value.func.value in ("globals", "vars")
        and not a.value.args
        for a in call.args
    )


def _callee(func: cst.BaseExpression) -> Optional[str]:
    """A call's dotted name; ``globals().update`` for a method of ``globals()``,
    ``locals().update`` for one of ``locals()`` or ``vars()``, ``f_globals.update``
    for one of a frame's namespace."""
    if isinstance(func, cst.Attribute):
        namespace = _namespace(func.value)
        if namespace:
            return f"{namespace}.{func.attr.value}"
        if _frame_namespace(func.value):
            return f"{FRAME_NAMESPACE}.{func.attr.value}"
    return dotted(func)


def _frame_namespace(node: cst.CSTNode) -> bool:
    """As ``ast_frontend._frame_namespace``."""
    return isinstance(node, cst.Attribute) and node.attr.value in FRAME_ATTRIBUTES


def _spells_frame_namespace(node: cst.CSTNode) -> bool:
    """As ``ast_frontend._spells_frame_namespace``."""
    pending = [node]
    while pending:
        current = pending.pop()
        if _frame_namespace(current):
            return True
        pending.extend(current.children)
    return False


def _is_globals(node: cst.BaseExpression) -> bool:
    return _namespace(node) == "globals()"


def _namespace(node: cst.BaseExpression) -> str:
    """``globals()`` for ``globals()``; ``locals()`` for ``locals()`` or ``vars()``."""
    if isinstance(node, cst.Call) and isinstance(node.func, cst.Name) and not node.args:
        return NAMESPACE_CALLS.get(node.func.value, "")
    return ""


def _subject(node: cst.BaseExpression) -> Optional[str]:
    """As ``ast_frontend._subject``."""
    if (
        isinstance(node, cst.Subscript)
        and len(node.slice) == 1
        and isinstance(node.slice[0].slice, cst.Index)
        and isinstance(node.slice[0].slice.value, cst.Name)
        and node.slice[0].slice.value.value == "__name__"
        and dotted(node.value) == "sys.modules"
    ):
        return OWN_MODULE
    return dotted(node)


def _store(target: cst.BaseExpression) -> str:
    """What an assignment target writes: ``sys.modules[]`` for ``sys.modules[k]``,
    ``globals()[]``, ``locals()[]``, or a plain name."""
    if isinstance(target, cst.Subscript):
        namespace = _namespace(target.value)
        if namespace:
            return f"{namespace}[]"
        if _frame_namespace(target.value):
            return f"{FRAME_NAMESPACE}[]"
        return f"{dotted(target.value)}[]"
    # A plain name (``__path__``); an attribute target (``self.x``, in every method)
    # writes nothing the import machinery reads, and is not spelled out.
    return target.value if isinstance(target, cst.Name) else ""


def _field(part: cst.BaseFormattedStringContent) -> str:
    """Mirror of the ast front end: ``{name}`` for a plain name, else ``{...}``."""
    if isinstance(part, cst.FormattedStringExpression) and isinstance(part.expression, cst.Name):
        return "{" + part.expression.value + "}"
    return "{...}"


def _evaluated(node: cst.SimpleString) -> Union[str, bytes, None]:
    """The string's value, or None where the compiler would reject it (a NUL, an
    unknown ``\\N{...}`` name): libcst parses such a literal, ``literal_eval`` raises."""
    try:
        return node.evaluated_value
    except (SyntaxError, ValueError, UnicodeError, MemoryError, RecursionError):
        return None


def string_value(node: Optional[cst.CSTNode]) -> Optional[str]:
    if node is None:
        return None
    if isinstance(node, cst.SimpleString):
        value = _evaluated(node)
        return value if isinstance(value, str) else None
    if isinstance(node, cst.FormattedString):
        return "".join(
            _fstring_text(node, p.value) if isinstance(p, cst.FormattedStringText) else _echo(p)
            for p in node.parts
        )
    if isinstance(node, cst.ConcatenatedString):
        left, right = string_value(node.left), string_value(node.right)
        return left + right if left is not None and right is not None else None
    if isinstance(node, cst.BinaryOperation) and isinstance(node.operator, cst.Add):
        left, right = string_value(node.left), string_value(node.right)
        if left is not None and right is not None:
            return left + right
    return None


def _folded(node: cst.CSTNode) -> Optional[type]:
    """``str`` or ``bytes``: the type of the one ``Constant`` ``ast`` folds a string
    literal (or a concatenation of them) into; None for an f-string or a mix."""
    if isinstance(node, cst.SimpleString):
        value = _evaluated(node)
        return type(value) if value is not None else None
    if isinstance(node, cst.ConcatenatedString):
        left = _folded(node.left)
        return left if left is _folded(node.right) else None
    return None


def _is_plain_string(node: cst.CSTNode) -> bool:
    return _folded(node) is str


def _is_bytes(node: cst.CSTNode) -> bool:
    return _folded(node) is bytes


def all_list(node: Optional[cst.CSTNode]) -> Optional[list[str]]:
    """An ``__all__`` value: strings, and ``*m`` for another module's ``m.__all__``
    (``[*a.__all__, "x"]``, ``a.__all__ + b.__all__``); None when not static."""
    if node is None:
        return None
    reference = all_reference(node)
    if reference is not None:
        return [reference]
    if isinstance(node, (cst.List, cst.Tuple)):
        names: list[str] = []
        for element in node.elements:
            if isinstance(element, cst.StarredElement):
                part = all_list(element.value)
                if part is None:
                    return None
                names.extend(part)
                continue
            if not isinstance(element, cst.Element) or not _is_plain_string(element.value):
                return None
            value = string_value(element.value)
            if value is None:
                return None
            names.append(value)
        return names
    if isinstance(node, cst.BinaryOperation) and isinstance(node.operator, cst.Add):
        left, right = all_list(node.left), all_list(node.right)
        if left is not None and right is not None:
            return left + right
    return None


def all_reference(node: cst.CSTNode) -> Optional[str]:
    """``*a.b`` for the expression ``a.b.__all__``."""
    if isinstance(node, cst.Attribute) and node.attr.value == "__all__":
        module = dotted(node.value)
        if module:
            return f"*{module}"
    return None


def _call_arguments(
    call: cst.Call,
) -> tuple[list[Optional[cst.BaseExpression]], dict[str, cst.BaseExpression]]:
    """Positional values (None for ``*args``) and keyword values, as ``ast`` splits them."""
    positional: list[Optional[cst.BaseExpression]] = []
    keywords: dict[str, cst.BaseExpression] = {}
    for arg in call.args:
        if arg.keyword is not None:
            keywords[arg.keyword.value] = arg.value
        elif arg.star == "*":
            positional.append(None)
        elif arg.star == "":
            positional.append(arg.value)
    return positional, keywords


def _arguments(call: cst.Call) -> list[Argument]:
    """The call's arguments as the builder reads them (see ``builder.Argument``)."""
    arguments: list[Argument] = []
    for arg in call.args:
        if arg.star == "*":
            arguments.append(Argument(OTHER, "*"))
            continue
        keyword = arg.keyword.value if arg.keyword is not None else None
        arguments.append(_argument(arg.value, "**" if arg.star == "**" else keyword))
    return arguments


def _argument(value: cst.BaseExpression, keyword: Optional[str]) -> Argument:
    if isinstance(value, cst.Name) and value.value not in _CONSTANT_NAMES:
        if value.value == "__name__":
            return Argument(SELF, keyword)
        return Argument(NAME, keyword, value.value)
    if (
        isinstance(value, cst.Call)
        and isinstance(value.func, (cst.Name, cst.Attribute))
        and not value.args
    ):
        return Argument(SELF, keyword)  # ``find_current_module()``, ``globals()``
    if _subject(value) == OWN_MODULE:
        return Argument(SELF, keyword)
    strings = _literal_strings(value)
    if strings is None:
        return Argument(OTHER, keyword)
    return Argument(LITERAL, keyword, strings=tuple(strings))


def _literal_strings(node: cst.BaseExpression) -> Optional[list[str]]:
    """The strings in a literal (a constant, or a display of literals); None else."""
    if isinstance(node, (cst.SimpleString, cst.ConcatenatedString)):
        if _is_plain_string(node):
            return [string_value(node) or ""]
        return [] if _is_bytes(node) else None  # an f-string is no literal to ``ast``
    if isinstance(node, (cst.Integer, cst.Float, cst.Imaginary)):
        return []
    if isinstance(node, cst.Name) and node.value in _CONSTANT_NAMES:
        return []
    items: list[cst.BaseExpression] = []
    if isinstance(node, cst.Dict):
        for pair in node.elements:
            if not isinstance(pair, cst.DictElement):  # ``{**other}``
                return None
            items += [pair.key, pair.value]
    elif isinstance(node, (cst.List, cst.Tuple, cst.Set)):
        for element in node.elements:
            if not isinstance(element, cst.Element):  # ``[*other]``
                return None
            items.append(element.value)
    else:
        return None
    strings: list[str] = []
    for item in items:
        found = _literal_strings(item)
        if found is None:
            return None
        strings += found
    return strings


def _is_main(test: cst.BaseExpression) -> bool:
    if not (
        isinstance(test, cst.Comparison)
        and len(test.comparisons) == 1
        and isinstance(test.comparisons[0].operator, cst.Equal)
    ):
        return False

    def side(node: cst.BaseExpression) -> Optional[str]:
        if _is_plain_string(node):
            value = string_value(node)
            return f'"{value}"' if value is not None else None
        return dotted(node)

    return is_main_check((side(test.left), side(test.comparisons[0].comparator)))


def _guard_names(handlers: Sequence[Union[cst.ExceptHandler, cst.ExceptStarHandler]]) -> set[str]:
    names: set[str] = set()
    for handler in handlers:
        if handler.type is None:
            names.add("*bare*")
        elif isinstance(handler.type, cst.Tuple):
            for element in handler.type.elements:
                name = dotted(element.value)
                if name:
                    names.add(name)
        else:
            name = dotted(handler.type)
            if name:
                names.add(name)
    return {n.rsplit(".", 1)[-1] if n != "*bare*" else n for n in names}


# Compound statements (and their parts that hold blocks of statements).
_COMPOUND = (
    cst.If,
    cst.Else,
    cst.For,
    cst.While,
    cst.With,
    cst.Try,
    cst.TryStar,
    cst.ExceptHandler,
    cst.ExceptStarHandler,
    cst.Finally,
    cst.Match,
    cst.MatchCase,
    cst.IndentedBlock,
    cst.SimpleStatementSuite,
    cst.SimpleStatementLine,
)


def _may_leave(node: cst.CSTNode) -> bool:
    """As ``ast_frontend._may_leave``: a ``return`` or ``raise`` in the blocks of a
    compound statement, not in a nested ``def``."""
    if not isinstance(node, _COMPOUND):
        return False
    for child in node.children:
        if isinstance(child, (cst.Return, cst.Raise)) or _may_leave(child):
            return True
    return False


def _statements(block: Optional[Block]) -> Iterable[cst.CSTNode]:
    """Every statement of a block, simple statements of a line flattened out."""
    if block is None:
        return
    items: Sequence[cst.CSTNode]
    if isinstance(
        block, (cst.IndentedBlock, cst.Module, cst.SimpleStatementSuite, cst.SimpleStatementLine)
    ):
        items = block.body
    else:
        items = ()
    for item in items:
        if isinstance(item, cst.SimpleStatementLine):
            yield from item.body
        else:
            yield item


class _Walker:
    def __init__(self, builder: FactsBuilder, wrapper: MetadataWrapper, text: str) -> None:
        self.b = builder
        self.positions = wrapper.resolve(PositionProvider)
        # libcst drops a form feed that precedes a module-level statement from its
        # positions; ``ast`` counts it. Only files with a form feed pay for this.
        self._form_feeds = "\x0c" in text
        self._shifts: dict[int, int] = {}
        self._text = text
        self._split: Optional[list[str]] = None
        self._frames = "f_globals" in text or "f_locals" in text

    @property
    def _lines(self) -> list[str]:
        """The source's lines, split once, when first needed."""
        if self._split is None:
            self._split = _NEWLINE.split(self._text)
        return self._split

    def _shift(self, line: int, column: int) -> int:
        if not self._form_feeds or line > len(self._lines):
            return 0
        if line not in self._shifts:
            text = self._lines[line - 1]
            indent = len(text) - len(text.lstrip(" \t\x0c"))
            self._shifts[line] = indent - column if column < indent else 0
        return self._shifts[line]

    def members(self, body: Iterable[cst.CSTNode]) -> list[str]:
        """``name=digest`` of what a class body binds directly: methods, nested
        classes, attributes (see ``builder.member``); the source of a def or class
        is read from its ``def``/``class`` line, as ``ast`` has it."""
        found = []
        for statement in body:
            if isinstance(statement, (cst.FunctionDef, cst.ClassDef)):
                first = self.positions[statement.name].start.line
                found.append(member(statement.name.value, self._source(first, statement)))
            elif isinstance(statement, cst.Assign):
                lines = self._source(self.positions[statement].start.line, statement)
                found.extend(
                    member(t.target.value, lines)
                    for t in statement.targets
                    if isinstance(t.target, cst.Name)
                )
            elif isinstance(statement, cst.AnnAssign) and isinstance(statement.target, cst.Name):
                lines = self._source(self.positions[statement].start.line, statement)
                found.append(member(statement.target.value, lines))
        return found

    def _source(self, first: int, node: cst.CSTNode) -> list[str]:
        return self._lines[first - 1 : self.positions[node].end.line]

    def start(self, node: cst.CSTNode) -> tuple[int, int]:
        pos = self.positions[node].start
        return pos.line, pos.column + 1 + self._shift(pos.line, pos.column)

    def span(self, node: cst.CSTNode) -> tuple[int, int, int, int]:
        rng = self.positions[node]
        line, column = self.start(node)
        end_shift = self._shifts.get(rng.end.line, 0)
        return line, column, rng.end.line, rng.end.column + 1 + end_shift

    def body(self, statements: Iterable[cst.CSTNode], ctx: Context) -> None:
        for statement in statements:
            self.stmt(statement, ctx)
            if ctx.in_function and not ctx.branch_in_function and _may_leave(statement):
                ctx = ctx.entering(conditional=True)  # as ast_frontend's

    def stmt(self, node: cst.CSTNode, ctx: Context) -> None:
        """One statement, by its kind; statements that bind or import nothing (and
        hold no statement that does) are passed over."""
        visit = _VISITORS.get(type(node))
        if visit is not None:
            visit(self, node, ctx)

    # One method per kind of statement, in the order of ast_frontend's.
    def import_(self, node: cst.Import, ctx: Context) -> None:
        modules = [
            (dotted(a.name) or "", dotted(a.asname.name) if a.asname else None) for a in node.names
        ]
        self.b.add_import(ctx, modules, self.span(node))

    def import_from(self, node: cst.ImportFrom, ctx: Context) -> None:
        if isinstance(node.names, cst.ImportStar):
            names: list[tuple[str, Optional[str]]] = [("*", None)]
        else:
            names = [
                (dotted(a.name) or "", dotted(a.asname.name) if a.asname else None)
                for a in node.names
            ]
        span = self.span(node)
        lines = (
            [self.positions[a].start.line for a in node.names]
            if span[0] != span[2] and not isinstance(node.names, cst.ImportStar)
            else None
        )
        self.b.add_import_from(
            ctx, len(node.relative), dotted(node.module) or "", names, span, lines
        )

    def function_def(self, node: cst.FunctionDef, ctx: Context) -> None:
        line, column = self.start(node)
        self.decorated(node.decorators, line, ctx)
        deprecated = self.deprecation(node.decorators)
        self.b.add_definition(
            ctx,
            node.name.value,
            "function",
            line,
            column,
            deprecated=deprecated,
        )
        inner = ctx.entering_function(node.name.value)
        if deprecated is not None or self.checks_deprecation(node, line):
            inner = inner.entering(in_deprecated=True)
        self.body(_statements(node.body), inner)

    def checks_deprecation(self, node: cst.FunctionDef, line: int) -> bool:
        """As ``ast_frontend._Walker.checks_deprecation``."""
        source = "\n".join(self._source(line, node))
        if not any(word in source for word in WARNS_WORDS):
            return False
        pending: list[cst.CSTNode] = [node.body]
        while pending:
            current = pending.pop()
            if isinstance(current, cst.With):
                for item in current.items:
                    call = item.item
                    if isinstance(call, cst.Call):
                        positional, _ = _call_arguments(call)
                        first = positional[0] if positional else None
                        if checks_deprecation(dotted(call.func), _exception_names(first)):
                            return True
            pending.extend(current.children)
        return False

    def class_def(self, node: cst.ClassDef, ctx: Context) -> None:
        line, column = self.start(node)
        self.decorated(node.decorators, line, ctx)
        deprecated = self.deprecation(node.decorators)
        members = self.members(_statements(node.body))
        self.b.add_definition(
            ctx,
            node.name.value,
            "class",
            line,
            column,
            bases=[d for d in (dotted(a.value) for a in node.bases) if d],
            deprecated=deprecated,
            members=members,
        )
        self.b.class_source(members, self._source(line, node))
        self.body(
            _statements(node.body), ctx.entering_class(node.name.value, deprecated is not None)
        )

    def global_(self, node: cst.Global, ctx: Context) -> None:
        line, column = self.start(node)
        for declared in node.names:
            self.b.add_global(ctx, declared.name.value, line, column)

    def assign_statement(self, node: cst.Assign, ctx: Context) -> None:
        self.into_other_objects([t.target for t in node.targets], node, ctx)
        if isinstance(node.value, cst.Subscript) and _subject(node.value) == OWN_MODULE:
            for target in node.targets:
                if isinstance(target.target, cst.Name):
                    self.b.own_module_name(target.target.value)
        if ctx.function and self._frames and _spells_frame_namespace(node.value):
            for target in node.targets:
                if isinstance(target.target, cst.Name):
                    self.b.frame_namespace_name(ctx, target.target.value)
        if _is_globals(node.value) and ctx.top_level:
            self.b.rewiring_store(ctx, "globals()[]")  # ``_ns = globals()``: written through
        if isinstance(node.value, cst.Call):  # x = sys.modules.setdefault(...)
            self.call(node.value, ctx)
        if ctx.top_level:
            self.flags([t.target for t in node.targets], node.value, ctx)
        self.assign([t.target for t in node.targets], node.value, ctx)

    def flags(
        self,
        targets: list[cst.BaseAssignTargetExpression],
        value: cst.BaseExpression,
        ctx: Context,
    ) -> None:
        """Top-level flags and ``globals()[key]`` writes (see ``hides_from_run_time``)."""
        for target in targets:
            if isinstance(target, cst.Name):
                true = isinstance(value, cst.Name) and value.value == "True"
                self.b.bind_flag(ctx, target.value, true)
            elif isinstance(target, cst.Subscript) and _is_globals(target.value):
                key: Optional[str] = None
                if len(target.slice) == 1:
                    index = target.slice[0].slice
                    if isinstance(index, cst.Index) and isinstance(index.value, cst.SimpleString):
                        value_ = _evaluated(index.value)
                        key = value_ if isinstance(value_, str) else None
                self.b.namespace_key_write(ctx, key)

    def ann_assign(self, node: cst.AnnAssign, ctx: Context) -> None:
        if node.value is not None:
            self.into_other_objects([node.target], node, ctx)
            self.assign([node.target], node.value, ctx)

    def type_alias(self, node: Any, ctx: Context) -> None:
        """``type X = ...`` (PEP 695) defines ``X``."""
        line, column = self.start(node)
        self.b.add_definition(ctx, node.name.value, "assign", line, column)

    def aug_assign(self, node: cst.AugAssign, ctx: Context) -> None:
        self.into_other_objects([node.target], node, ctx)
        if (
            ctx.top_level
            and isinstance(node.target, cst.Name)
            and isinstance(node.operator, cst.AddAssign)
            and node.target.value == "__all__"
        ):
            self.b.extend_all(all_list(node.value))
        elif isinstance(node.target, cst.Name) and node.target.value == "__all__":
            self.b.mutates_all(ctx)

    def expression(self, node: cst.Expr, ctx: Context) -> None:
        self.expression_statement(node.value, ctx)

    def if_(self, node: cst.If, ctx: Context) -> None:
        self.if_statement(node, ctx)

    def try_(self, node: cst.Try | cst.TryStar, ctx: Context) -> None:
        guards = _guard_names(node.handlers)
        try_ctx = ctx.entering(guarded=True) if guards & IMPORT_GUARDS else ctx
        self.body(_statements(node.body), try_ctx)
        for handler in node.handlers:
            self.body(_statements(handler.body), ctx.entering(conditional=True))
        if node.orelse is not None:
            self.body(_statements(node.orelse.body), ctx.entering(conditional=True))
        if node.finalbody is not None:
            self.body(_statements(node.finalbody.body), ctx)

    def with_(self, node: cst.With, ctx: Context) -> None:
        suppressed: set[str] = set()
        expected: set[str] = set()
        for item in node.items:
            if item.asname is not None:
                self.bind_target(item.asname.name, ctx)
            call = item.item
            if isinstance(call, cst.Call) and dotted(call.func) in SUPPRESS_CALLEES:
                positional, _ = _call_arguments(call)
                suppressed.update(
                    n.rsplit(".", 1)[-1] for n in (dotted(a) for a in positional) if n
                )
            if isinstance(call, cst.Call) and dotted(call.func) in RAISES_CALLEES:
                positional, _ = _call_arguments(call)
                expected.update(_exception_names(positional[0] if positional else None))
        with_ctx = ctx.entering(guarded=True) if suppressed & IMPORT_GUARDS else ctx
        if expected & IMPORT_GUARDS:
            with_ctx = with_ctx.entering(expects_import_error=True)
        self.body(_statements(node.body), with_ctx)

    def loop(self, node: cst.For | cst.While, ctx: Context) -> None:
        if isinstance(node, cst.For):
            self.bind_target(node.target, ctx.entering(conditional=True))
        elif isinstance(node.test, cst.NamedExpr):
            self.bind_target(node.test.target, ctx)
        self.body(_statements(node.body), ctx.entering(conditional=True))
        if node.orelse is not None:
            self.body(_statements(node.orelse.body), ctx.entering(conditional=True))

    def match(self, node: cst.Match, ctx: Context) -> None:
        for case in node.cases:
            self.body(_statements(case.body), ctx.entering(conditional=True))

    def if_statement(self, node: cst.If, ctx: Context) -> None:
        if isinstance(node.test, cst.NamedExpr):
            self.bind_target(node.test.target, ctx)
        if self.b.hides_from_run_time(dotted(node.test)):
            self.body(_statements(node.body), ctx.entering(type_checking=True))
        elif _is_main(node.test):
            self.body(_statements(node.body), ctx.entering(conditional=True, main_block=True))
        else:
            self.body(_statements(node.body), ctx.entering(conditional=True))
        orelse = node.orelse
        if isinstance(orelse, cst.If):
            self.if_statement(orelse, ctx.entering(conditional=True))
        elif isinstance(orelse, cst.Else):
            self.body(_statements(orelse.body), ctx.entering(conditional=True))

    def assign(
        self, targets: Sequence[cst.BaseExpression], value: cst.BaseExpression, ctx: Context
    ) -> None:
        for target in targets:
            if isinstance(target, cst.Name):
                if target.value == "__all__":
                    if ctx.top_level:
                        self.b.set_all(all_list(value))
                    continue
                line, column = self.start(target)
                self.b.add_definition(
                    ctx, target.value, "assign", line, column, alias_of=dotted(value)
                )
            elif isinstance(target, (cst.Tuple, cst.List)):
                self.unpack(target, ctx)

    def bind_target(self, target: cst.BaseExpression, ctx: Context) -> None:
        """A name bound by ``for X in``, ``with ... as X`` or ``(X := ...)``."""
        if isinstance(target, cst.Name):
            line, column = self.start(target)
            self.b.add_definition(ctx, target.value, "assign", line, column)
        elif isinstance(target, (cst.Tuple, cst.List)):
            self.unpack(target, ctx)

    def unpack(self, target: cst.Tuple | cst.List, ctx: Context) -> None:
        """``a, (b, *c) = ...``: every name bound, however deep."""
        for element in target.elements:
            value = element.value
            if isinstance(value, cst.Name):
                line, column = self.start(value)
                self.b.add_definition(ctx, value.value, "assign", line, column)
            elif isinstance(value, (cst.Tuple, cst.List)):
                self.unpack(value, ctx)

    def expression_statement(self, value: cst.BaseExpression, ctx: Context) -> None:
        if isinstance(value, cst.NamedExpr):
            self.bind_target(value.target, ctx)
            return
        if not isinstance(value, cst.Call):
            return
        self.call(value, ctx)
        callee = dotted(value.func)
        if callee is not None and callee.startswith("__all__.") and not ctx.top_level:
            self.b.mutates_all(ctx)
        positional, keywords = _call_arguments(value)
        if callee in ("__all__.extend", "__all__.append") and ctx.top_level:
            arg = positional[0] if positional else None
            if callee == "__all__.append":
                single = string_value(arg)
                self.b.extend_all([single] if single is not None else None)
            else:
                self.b.extend_all(all_list(arg))
            return
        message = positional[0] if positional else keywords.get("message")
        category = positional[1] if len(positional) > 1 else keywords.get("category")
        line, _ = self.start(value)
        self.b.add_call(ctx, callee, line)
        if callee not in WARN_CALLEES:
            self.b.add_side_effect(ctx, line)
        self.b.add_warning_call(
            ctx,
            callee,
            string_value(message),
            dotted(category) if category is not None else None,
            line,
        )

    def call(self, value: cst.Call, ctx: Context) -> None:
        """A call as a statement or an assignment's value: does it rewire imports,
        rewrite a module it is handed, or hand this module over?"""
        callee = _callee(value.func)
        self.b.rewiring_call(ctx, callee, _hands_over_namespace(value))
        if callee == "setattr":
            positional, _ = _call_arguments(value)
            if positional and positional[0] is not None:
                self.b.setattr_on(ctx, _subject(positional[0]))
        if ctx.function or ctx.top_level:
            arguments = _arguments(value)
            self.b.function_call(ctx, callee, arguments)
            self.b.module_call(ctx, callee, arguments, self.start(value)[0])

    def decorated(self, decorators: Sequence[cst.Decorator], line: int, ctx: Context) -> None:
        """As ``ast_frontend._Walker.decorated``."""
        if decorators:
            self.b.decorators(
                ctx,
                [
                    (dotted(d.decorator.func), True)
                    if isinstance(d.decorator, cst.Call)
                    else (dotted(d.decorator), False)
                    for d in decorators
                ],
                line,
            )

    def into_other_objects(
        self, targets: Sequence[cst.BaseExpression], node: cst.CSTNode, ctx: Context
    ) -> None:
        """``x.y = ...`` or ``d[k] = ...``: the module changes an object it does not own."""
        if any(isinstance(t, (cst.Attribute, cst.Subscript)) for t in targets):
            self.b.add_side_effect(ctx, self.start(node)[0])
        for target in targets:
            self.b.rewiring_store(ctx, _store(target))

    def deprecation(self, decorators: Sequence[cst.Decorator]) -> Optional[str]:
        """As ``ast_frontend._Walker.deprecation``."""
        for decorator in decorators:
            expr = decorator.decorator
            call = expr if isinstance(expr, cst.Call) else None
            if not is_deprecated_decorator(dotted(call.func if call else expr)):
                continue
            if any(is_overload(dotted(d.decorator)) for d in decorators):
                return None
            if call is None:
                return ""
            positional, keywords = _call_arguments(call)
            return deprecation_message(
                string_value(positional[0]) if positional else None,
                {k: string_value(v) for k, v in keywords.items()},
            )
        return None


# Statement kind -> the _Walker method that reads it.
_VISITORS: dict[type[cst.CSTNode], Callable[[_Walker, Any, Context], None]] = {
    cst.Import: _Walker.import_,
    cst.ImportFrom: _Walker.import_from,
    cst.FunctionDef: _Walker.function_def,
    cst.ClassDef: _Walker.class_def,
    cst.Global: _Walker.global_,
    cst.Assign: _Walker.assign_statement,
    cst.AnnAssign: _Walker.ann_assign,
    cst.AugAssign: _Walker.aug_assign,
    cst.Expr: _Walker.expression,
    cst.If: _Walker.if_,
    cst.Try: _Walker.try_,
    cst.TryStar: _Walker.try_,
    cst.With: _Walker.with_,
    cst.For: _Walker.loop,
    cst.While: _Walker.loop,
    cst.Match: _Walker.match,
}
if hasattr(cst, "TypeAlias"):  # libcst >= 1.1
    _VISITORS[cst.TypeAlias] = _Walker.type_alias


def extract_with_libcst(
    module_node: cst.Module, text: str, module: str, is_package: bool
) -> ModuleFacts:
    """Facts from a parsed module; ``text`` is the source it was parsed from."""
    builder = FactsBuilder(module, is_package, engine="libcst")
    wrapper = MetadataWrapper(module_node, unsafe_skip_copy=True)
    _Walker(builder, wrapper, text).body(_statements(module_node), Context())
    return builder.finish()
