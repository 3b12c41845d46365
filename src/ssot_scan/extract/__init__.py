"""Extraction: ``(module, bytes) -> ModuleFacts``, a pure function.

The fast path is CPython's ``ast``; libcst takes over where the running interpreter
cannot parse the file because it uses newer syntax (``newer_syntax.py``), for files
small enough for it, or when forced with ``--engine libcst``. A file
that neither can read yields facts carrying a ``ParseError`` instead of an exception:
the scan goes on and the file is reported as SSOT000.
"""

from __future__ import annotations

import ast
import warnings
from typing import Optional

from ssot_scan.extract.comments import find_markers
from ssot_scan.extract.decode import DecodeError, decode_source
from ssot_scan.extract.deep import run_deep
from ssot_scan.extract.guard import libcst_hazard
from ssot_scan.extract.mentions import unused_imports
from ssot_scan.facts import ModuleFacts, ParseError


def _ast_error(exc: BaseException, text: Optional[str] = None) -> ParseError:
    if "null bytes" in str(exc) and text is not None and "\0" in text:
        # CPython reports no position for this one (or line 1): find the byte.
        at = text.index("\0")
        line = text.count("\n", 0, at) + 1
        column = at - (text.rfind("\n", 0, at) + 1) + 1
        return ParseError("SyntaxError: source code cannot contain null bytes", line, column)
    if isinstance(exc, SyntaxError):
        return ParseError(
            message=f"{type(exc).__name__}: {exc.msg}",
            line=exc.lineno or 1,
            column=exc.offset or 1,
        )
    if isinstance(exc, RecursionError):
        return ParseError("too deeply nested for the parser", 1, 1)
    return ParseError(f"{type(exc).__name__}: {exc}", 1, 1)


def _libcst_sized(
    text: str, size: int, module: str, is_package: bool, ast_exc: Optional[BaseException]
) -> ModuleFacts:
    """libcst's facts for a file small enough for it; else the file's SSOT000."""
    if size > LIBCST_MAX_BYTES:
        why = f"{size // 1024} KB is too large for the libcst parser"
        if ast_exc is not None:
            error = _ast_error(ast_exc, text)
            return ModuleFacts(
                parse_error=ParseError(f"{error.message} ({why})", error.line, error.column),
                engine="ast",
            )
        return ModuleFacts(parse_error=ParseError(why, 1, 1), engine="libcst")
    facts = _libcst_facts(text, module, is_package)
    if ast_exc is not None and facts.parse_error is not None:
        # Neither can read it: CPython's message is the one users know.
        return ModuleFacts(parse_error=_ast_error(ast_exc, text), engine="ast")
    return facts


def _libcst_facts(text: str, module: str, is_package: bool) -> ModuleFacts:
    """Parse with libcst; a ``ParseError`` fact if it cannot."""
    hazard = libcst_hazard(text)
    if hazard is not None:
        return ModuleFacts(
            parse_error=ParseError(f"too deeply nested for the libcst parser: {hazard}", 1, 1),
            engine="libcst",
        )
    import libcst  # imported lazily: the fast path never pays for it

    from ssot_scan.extract.cst_frontend import extract_with_libcst

    try:
        tree = libcst.parse_module(text)
    except (libcst.ParserSyntaxError, libcst.CSTValidationError) as exc:
        # A validation error is the parser rejecting a node it built (a str literal
        # concatenated with a bytes literal): a syntax error by another name.
        try:  # CPython's position is the one users know, when it sees the error too
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                ast.parse(text)
        except (SyntaxError, ValueError) as ast_exc:
            return ModuleFacts(parse_error=_ast_error(ast_exc), engine="libcst")
        except (RecursionError, MemoryError):
            pass
        if isinstance(exc, libcst.CSTValidationError):
            return ModuleFacts(
                parse_error=ParseError(f"SyntaxError: {exc}", 1, 1), engine="libcst"
            )
        message = str(exc.message).strip().splitlines()[0] if exc.message else "invalid syntax"
        return ModuleFacts(
            parse_error=ParseError(f"SyntaxError: {message}", exc.raw_line, exc.raw_column + 1),
            engine="libcst",
        )
    except RecursionError as exc:
        return ModuleFacts(parse_error=_ast_error(exc), engine="libcst")
    try:
        # libcst's position pass and the walker recurse per nesting level, 500
        # ``elif``s included: a walk that hits the limit runs again on a deep stack.
        return run_deep(lambda: extract_with_libcst(tree, text, module, is_package))
    except RecursionError:
        return ModuleFacts(
            parse_error=ParseError("too deeply nested for the libcst parser", 1, 1),
            engine="libcst",
        )


# Above this size libcst is not asked: its parser needs about 2 KB per token (an
# 800 KB file took 67 s and 1.6 GB; 5 MB aborted the process).
LIBCST_MAX_BYTES = 256 * 1024


def extract(data: bytes, module: str, is_package: bool, engine: str = "auto") -> ModuleFacts:
    """Everything the index needs from one file's bytes.

    ``module`` is the file's dotted name (needed to resolve relative imports) and
    ``is_package`` whether it is an ``__init__`` file.
    """
    try:
        text = decode_source(data)
    except DecodeError as exc:
        return ModuleFacts(parse_error=ParseError(exc.message, exc.line, exc.column))

    if engine == "libcst":
        facts = _libcst_sized(text, len(data), module, is_package, None)
    else:
        from ssot_scan.extract.ast_frontend import extract_with_ast

        def parse_and_walk() -> ModuleFacts:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # SyntaxWarnings are not ours to print
                tree = ast.parse(text)
            return extract_with_ast(tree, text, module, is_package)

        try:
            facts = run_deep(parse_and_walk)
        except (SyntaxError, ValueError, RecursionError, MemoryError) as exc:
            # Imported here: its patterns cost 1.5 ms to compile, in every process that
            # parses, for the rare file the interpreter cannot.
            from ssot_scan.extract.newer_syntax import newer_syntax_possible

            if engine == "ast" or not newer_syntax_possible(exc, text):
                facts = ModuleFacts(parse_error=_ast_error(exc, text))
            else:
                facts = _libcst_sized(text, len(data), module, is_package, exc)
    facts.suppressions, facts.suppression_columns, facts.reexport_lines = find_markers(text)
    if not is_package and facts.parse_error is None:
        facts.unused_imports = unused_imports(text, facts)
    return facts
