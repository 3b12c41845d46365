"""Extraction: ``extract(bytes, module, is_package, engine) -> ModuleFacts``.

The two front ends (CPython ``ast`` and libcst) must agree on every fact; the
differential tests hold them together on every fixture file and on a hand-written
source that packs in the constructs most likely to make them drift apart.
"""

from __future__ import annotations

import ast
import subprocess
import sys
import warnings
from pathlib import Path
from typing import Any

import pytest

from ssot_scan.extract import extract
from ssot_scan.facts import (
    CTX_CONDITIONAL,
    CTX_FUNCTION,
    CTX_MODULE,
    CTX_TRY_IMPORT_ERROR,
    CTX_TYPE_CHECKING,
    ImportSite,
    ModuleFacts,
)

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


def _facts(
    source: str | bytes, module: str = "pkg.mod", is_package: bool = False, engine: str = "auto"
) -> ModuleFacts:
    data = source.encode("utf-8") if isinstance(source, str) else source
    return extract(data, module, is_package, engine=engine)


def _without_engine(facts: ModuleFacts) -> dict[str, Any]:
    data = facts.to_json()
    data.pop("engine")
    return data


def _ast_parses(text: str) -> bool:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            ast.parse(text)
    except (SyntaxError, ValueError):
        return False
    return True


def _import(facts: ModuleFacts, target: str | None, raw_module: str | None = None) -> ImportSite:
    sites = [
        i
        for i in facts.imports
        if i.target == target and (raw_module is None or i.raw_module == raw_module)
    ]
    assert len(sites) == 1, (target, raw_module, facts.imports)
    return sites[0]


def _definition(facts: ModuleFacts, name: str) -> Any:
    found = [d for d in facts.definitions if d.name == name]
    assert len(found) == 1, (name, facts.definitions)
    return found[0]


# --------------------------------------------------------------------------------------
# Differential: ast and libcst agree
# --------------------------------------------------------------------------------------


def _fixture_files() -> list[Path]:
    return sorted(FIXTURES.rglob("*.py"))


def _fixture_module(path: Path) -> tuple[str, bool]:
    """Dotted name relative to the fixture project, so relative imports resolve."""
    project = path.relative_to(FIXTURES).parts[0]
    parts = list(path.relative_to(FIXTURES / project).with_suffix("").parts)
    is_package = parts[-1] == "__init__"
    if is_package:
        parts = parts[:-1]
    return ".".join(parts), is_package


def test_fixture_tree_has_python_files() -> None:
    # Guards the parametrised test below against silently collecting nothing.
    assert len(_fixture_files()) >= 20


@pytest.mark.parametrize(
    "path", _fixture_files(), ids=lambda p: p.relative_to(FIXTURES).as_posix()
)
def test_ast_and_libcst_front_ends_agree_on_fixture(path: Path) -> None:
    data = path.read_bytes()
    module, is_package = _fixture_module(path)
    via_ast = extract(data, module, is_package, engine="ast")
    via_libcst = extract(data, module, is_package, engine="libcst")
    if via_ast.parse_error is None:
        assert via_ast.engine == "ast"
        assert via_libcst.engine == "libcst"
        assert _without_engine(via_ast) == _without_engine(via_libcst)
    elif via_libcst.parse_error is None:
        # Newer syntax than this interpreter reads: auto mode must fall back to libcst
        # and give exactly libcst's facts.
        auto = extract(data, module, is_package, engine="auto")
        assert auto.to_json() == via_libcst.to_json()
        assert auto.engine == "libcst"
    else:
        pytest.skip("no front end parses this file (an SSOT000 fixture)")


TRICKY_SOURCE = '''\
"""Tricky module: the constructs where two front ends could drift apart."""
café = "naïve ünïcödé"; import os.path as osp  # ssot: ignore
ñ = "日本語 😀"; from .sibling import (
\talpha,  # tab-indented
\tbeta as b2,
)
from ..parent_pkg import thing as t  # ssot: ignore[SSOT002, ssot001]
from ... import grand
from . import *
import a.b.c, d as dd
from typing import TYPE_CHECKING
import typing
import warnings
import typing_extensions
from typing_extensions import deprecated

msg = "# ssot: ignore"
other = 'not a comment # ssot: ignore[SSOT001]'

if TYPE_CHECKING:
    from tc.only import TCType
else:
    from runtime.only import TCType

if typing.TYPE_CHECKING:
    import tc.dotted

try:
    import fast_json as json
except ImportError:
    import json

try:
    from opt.mod import Optional1
except (ImportError, AttributeError):
    Optional1 = fallback.Optional1

try:
    import notguarded
except KeyError:
    pass
else:
    import in_else
finally:
    import in_finally

if os.environ.get("X"):
    import cond.mod
elif os.environ.get("Y"):
    import cond.elif_mod
else:
    import cond.else_mod

for _i in range(2):
    import loop.mod
else:
    import loop.else_mod

while False:
    import while_mod

with open(__file__) as fh:
    import with_mod

match os.name:
    case "posix":
        import posix_only
    case _:
        from nt_only import nt_thing


def func():
    import inside_func
    from .rel_in_func import helper
    warnings.warn("inside a function", DeprecationWarning)
    return helper


async def afunc():
    import inside_async


class Klass(Base, pkg.mod.Mixin):
    import in_class
    inner = 1

    def method(self):
        import in_method


@deprecated("Use NewThing instead")
class OldThing:
    pass


@typing_extensions.deprecated("old function, " "use new_function")
def old_function():
    pass


@deprecated
def bare_deprecated():
    pass


@some.other_decorator
def not_deprecated():
    pass


__all__ = ["café", "OldThing"]
__all__ += ["old_function"]
__all__.extend(["bare_deprecated"])
__all__.append("Alias")

Alias = OldThing
DeepAlias = a.b.c.Thing
first, second, *rest = 1, 2, 3, 4
[lx, ly] = 5, 6
annotated: int = 3
annotated_alias: type = OldThing
annotated_only: int
chained = also_chained = typing.Any
NotAlias = call()
tab_var\t= 1

warnings.warn("module is deprecated", DeprecationWarning)
warnings.warn(message="keyword form", category=PendingDeprecationWarning)
warnings.warn(f"f-string {café!r:>{width}} and {a.b} message", FutureWarning, stacklevel=2)
warnings.warn("concat " "implicit" + " plus", category=app.warnings.SSOTDeprecationWarning)
warnings.warn("no category")
if os.environ.get("Z"):
    warnings.warn("conditional warn", DeprecationWarning)


def __getattr__(name):
    raise AttributeError(name)
'''


@pytest.mark.skipif(
    sys.version_info < (3, 10), reason="the source has a match statement (Python 3.10+)"
)
def test_front_ends_agree_on_tricky_source() -> None:
    data = TRICKY_SOURCE.encode("utf-8")
    via_ast = extract(data, "pkg.sub.tricky", False, engine="ast")
    via_libcst = extract(data, "pkg.sub.tricky", False, engine="libcst")
    assert via_ast.parse_error is None
    assert via_libcst.parse_error is None
    assert (via_ast.engine, via_libcst.engine) == ("ast", "libcst")
    assert _without_engine(via_ast) == _without_engine(via_libcst)
    # ...and what they agree on is not empty.
    assert len(via_ast.imports) == 35
    assert len(via_ast.warnings) == 7  # six at module level, one in a function
    assert via_ast.has_getattr


def test_columns_count_characters_not_utf8_bytes() -> None:
    # ``café = "naïve ünïcödé"; `` is 24 characters but 29 UTF-8 bytes.
    for engine in ("ast", "libcst"):
        facts = _facts(TRICKY_SOURCE, "pkg.sub.tricky", engine=engine)
        site = _import(facts, "os.path")
        assert (site.line, site.column, site.end_line, site.end_column) == (2, 25, 2, 46)
        # a multi-line parenthesised import after a non-ASCII string (with an emoji,
        # 4 bytes, one character) ends on the line of its closing parenthesis
        sibling = _import(facts, "pkg.sub.sibling")
        assert (sibling.line, sibling.column, sibling.end_line, sibling.end_column) == (
            3,
            14,
            6,
            2,
        )
        assert [(n.name, n.asname) for n in sibling.names] == [("alpha", None), ("beta", "b2")]


def test_columns_agree_with_crlf_and_lone_cr_line_endings() -> None:
    for source in (
        b"s = '\xc3\xa9'; import x\r\nimport y\r\n",
        b"s = '\xc3\xa9'\rimport x; import y\r",
    ):
        via_ast = extract(source, "m", False, engine="ast")
        via_libcst = extract(source, "m", False, engine="libcst")
        assert via_ast.imports, source
        assert _without_engine(via_ast) == _without_engine(via_libcst)


def test_front_ends_agree_on_literal_constant_assignment() -> None:
    # Regression: ``X = None`` (or True/False) gave alias_of=None through ast (a
    # Constant) but alias_of="None" through libcst (where they are Name nodes), so the
    # front ends disagreed on ``try: import x / except ImportError: x = None``, a
    # pattern all over real code (json/decoder.py, asyncio/base_events.py...).
    for source in ("X = None\n", "X = True\n", "flag = False\n"):
        via_ast = _facts(source, engine="ast")
        via_libcst = _facts(source, engine="libcst")
        assert via_ast.definitions[0].alias_of is None
        assert _without_engine(via_ast) == _without_engine(via_libcst), source


def test_front_ends_agree_on_form_feed_before_statement() -> None:
    # Regression: a form feed (^L, allowed in Python source) before a statement on
    # the same line: ast gives the import column 2 (the ^L counts as a character),
    # libcst gave column 1 and end_column one short (libcst drops the ^L altogether:
    # ``libcst.parse_module("\x0cimport x\n").code == "import x\n"``).
    for source in (
        "\x0cimport x\n",
        "\x0c\x0cfrom a import (b,\n    c)\n",
        "if x:\n\x0c    import y\n",
        "x = 1\n\x0c\nimport z; import w\n",
    ):
        via_ast = _facts(source, engine="ast")
        via_libcst = _facts(source, engine="libcst")
        assert via_ast.imports, source
        assert _without_engine(via_ast) == _without_engine(via_libcst), source


# --------------------------------------------------------------------------------------
# Relative imports
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize("engine", ["ast", "libcst"])
@pytest.mark.parametrize(
    ("module", "is_package", "statement", "target"),
    [
        ("pkg", True, "from . import x", "pkg"),
        ("pkg.mod", False, "from . import x", "pkg"),
        ("pkg.sub", True, "from . import x", "pkg.sub"),
        ("pkg.sub", True, "from .a import b", "pkg.sub.a"),
        ("pkg.sub.mod", False, "from ..a import b", "pkg.a"),
        ("pkg.sub", True, "from ..a import b", "pkg.a"),
        ("pkg.sub.deep.mod", False, "from ...a.b import c", "pkg.a.b"),
        ("pkg.mod", False, "from .. import x", None),
        ("pkg", True, "from .. import x", None),
        ("mod", False, "from . import x", None),
        ("pkg.sub.mod", False, "from .... import x", None),
    ],
)
def test_relative_import_resolves_to_absolute_target(
    engine: str, module: str, is_package: bool, statement: str, target: str | None
) -> None:
    facts = _facts(statement + "\n", module, is_package, engine=engine)
    (site,) = facts.imports
    assert site.target == target
    assert site.level == statement.split()[1].count(".") - site.raw_module.count(".")


def test_relative_import_above_top_package_keeps_what_was_written() -> None:
    (site,) = _facts("from ...up import x\n", "pkg.mod", False).imports
    assert site.target is None
    assert (site.raw_module, site.level) == ("up", 3)
    assert [n.name for n in site.names] == ["x"]


def test_absolute_imports_record_aliases_and_one_site_per_module() -> None:
    facts = _facts("import a.b as c, d\nfrom e import f as g, h\n")
    assert [(i.kind, i.target, i.asname) for i in facts.imports] == [
        ("import", "a.b", "c"),
        ("import", "d", None),
        ("from", "e", None),
    ]
    assert [(n.name, n.asname, n.bound) for n in facts.imports[2].names] == [
        ("f", "g", "g"),
        ("h", None, "h"),
    ]


def test_star_import_is_flagged_with_no_names() -> None:
    (site,) = _facts("from .helpers import *\n", "pkg.mod", False).imports
    assert site.is_star
    assert site.names == []
    assert site.target == "pkg.helpers"


# --------------------------------------------------------------------------------------
# Import contexts
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize("engine", ["ast", "libcst"])
@pytest.mark.parametrize(
    ("target", "context"),
    [
        ("os.path", CTX_MODULE),
        ("a.b.c", CTX_MODULE),
        ("tc.only", CTX_TYPE_CHECKING),
        ("tc.dotted", CTX_TYPE_CHECKING),
        ("runtime.only", CTX_CONDITIONAL),  # the ``else:`` of ``if TYPE_CHECKING``
        ("fast_json", CTX_TRY_IMPORT_ERROR),
        ("json", CTX_CONDITIONAL),  # the ``except ImportError:`` fallback
        ("opt.mod", CTX_TRY_IMPORT_ERROR),  # except (ImportError, AttributeError)
        ("notguarded", CTX_MODULE),  # except KeyError does not guard an import
        ("in_else", CTX_CONDITIONAL),
        ("in_finally", CTX_MODULE),
        ("cond.mod", CTX_CONDITIONAL),
        ("cond.elif_mod", CTX_CONDITIONAL),
        ("cond.else_mod", CTX_CONDITIONAL),
        ("loop.mod", CTX_CONDITIONAL),
        ("loop.else_mod", CTX_CONDITIONAL),
        ("while_mod", CTX_CONDITIONAL),
        ("posix_only", CTX_CONDITIONAL),
        ("nt_only", CTX_CONDITIONAL),
        ("inside_func", CTX_FUNCTION),
        ("pkg.sub.rel_in_func", CTX_FUNCTION),
        ("inside_async", CTX_FUNCTION),
        ("in_class", CTX_CONDITIONAL),
        ("in_method", CTX_FUNCTION),
    ],
)
def test_import_context(engine: str, target: str, context: str) -> None:
    facts = _facts(TRICKY_SOURCE, "pkg.sub.tricky", engine=engine)
    assert _import(facts, target).context == context


def test_type_checking_dominates_function_and_guard() -> None:
    source = (
        "def f():\n"
        "    if TYPE_CHECKING:\n"
        "        import a\n"
        "try:\n"
        "    if TYPE_CHECKING:\n"
        "        import b\n"
        "except ImportError:\n"
        "    pass\n"
    )
    facts = _facts(source)
    a, b = facts.imports
    assert (a.context, a.in_function, a.type_checking) == (CTX_TYPE_CHECKING, True, True)
    assert (b.context, b.guarded, b.type_checking) == (CTX_TYPE_CHECKING, True, True)
    assert not a.module_level
    assert not b.module_level


def test_module_level_excludes_function_and_type_checking_imports() -> None:
    facts = _facts(TRICKY_SOURCE, "pkg.sub.tricky")
    assert _import(facts, "fast_json").module_level
    assert _import(facts, "cond.mod").module_level
    assert not _import(facts, "inside_func").module_level
    assert not _import(facts, "tc.only").module_level


@pytest.mark.parametrize("engine", ["ast", "libcst"])
def test_bare_except_and_except_exception_guard_imports(engine: str) -> None:
    source = (
        "try:\n    import a\nexcept:\n    pass\n"
        "try:\n    import b\nexcept Exception:\n    pass\n"
        "try:\n    import c\nexcept builtins.ModuleNotFoundError:\n    pass\n"
    )
    facts = _facts(source, engine=engine)
    assert [i.context for i in facts.imports] == [CTX_TRY_IMPORT_ERROR] * 3


# --------------------------------------------------------------------------------------
# Definitions, __all__, aliases, deprecations, warnings, __getattr__
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize("engine", ["ast", "libcst"])
@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ('__all__ = ["a", "b"]\n', ["a", "b"]),
        ('__all__ = ("a",)\n', ["a"]),
        ('__all__: list[str] = ["a"]\n', ["a"]),
        ('__all__ = ["a"] + ["b"]\n', ["a", "b"]),
        ('__all__ = ["a", "b" "c"]\n', ["a", "bc"]),
        ('__all__ = ["a"]\n__all__ += ["b"]\n', ["a", "b"]),
        ('__all__ = ["a"]\n__all__.extend(["b", "c"])\n', ["a", "b", "c"]),
        ('__all__ = ["a"]\n__all__.append("b")\n', ["a", "b"]),
        ('__all__ = ["a"]\n__all__ = ["b"]\n', ["b"]),
        ("__all__ = []\n", []),
        ('__all__ = ["a"]\ndef f():\n    __all__.append("x")\n', ["a"]),
        ('__all__ = ["a"]\nclass C:\n    __all__ = ["z"]\n', ["a"]),
        ("x = 1\n", None),
        ("__all__ = [*other]\n", None),
        ('__all__ = [f"a"]\n', None),
        ("__all__ = list(names)\n", None),
        ('__all__ = [b"a"]\n', None),
        ('__all__ = names\n__all__ += ["b"]\n', None),  # dynamic stays dynamic
        ('__all__ = ["a"]\n__all__.extend(more)\n', None),
        ('__all__ = ["a"]\n__all__.append(name)\n', None),
    ],
)
def test_dunder_all(engine: str, source: str, expected: list[str] | None) -> None:
    facts = _facts(source, engine=engine)
    assert facts.all_names == expected
    assert all(d.name != "__all__" for d in facts.definitions)


def test_dunder_all_from_tricky_source() -> None:
    facts = _facts(TRICKY_SOURCE, "pkg.sub.tricky")
    assert facts.all_names == ["café", "OldThing", "old_function", "bare_deprecated", "Alias"]


@pytest.mark.parametrize("engine", ["ast", "libcst"])
def test_definitions_and_aliases(engine: str) -> None:
    facts = _facts(TRICKY_SOURCE, "pkg.sub.tricky", engine=engine)
    assert _definition(facts, "Alias").alias_of == "OldThing"
    assert _definition(facts, "DeepAlias").alias_of == "a.b.c.Thing"
    assert _definition(facts, "annotated_alias").alias_of == "OldThing"
    assert _definition(facts, "chained").alias_of == "typing.Any"
    assert _definition(facts, "also_chained").alias_of == "typing.Any"
    assert _definition(facts, "NotAlias").alias_of is None
    assert _definition(facts, "annotated").alias_of is None
    for name in ("first", "second", "rest", "lx", "ly"):
        definition = _definition(facts, name)
        assert (definition.kind, definition.alias_of) == ("assign", None)
    # an annotation without a value binds nothing
    assert not [d for d in facts.definitions if d.name == "annotated_only"]
    # names bound inside functions and classes are not module attributes
    assert not [d for d in facts.definitions if d.name in ("inner", "method", "helper")]
    klass = _definition(facts, "Klass")
    assert (klass.kind, klass.bases) == ("class", ["Base", "pkg.mod.Mixin"])
    assert _definition(facts, "func").kind == "function"
    assert _definition(facts, "afunc").kind == "function"
    # a fallback binding in an except handler is conditional
    assert _definition(facts, "Optional1").conditional
    assert not _definition(facts, "Alias").conditional


@pytest.mark.parametrize("engine", ["ast", "libcst"])
def test_deprecated_decorator_message(engine: str) -> None:
    facts = _facts(TRICKY_SOURCE, "pkg.sub.tricky", engine=engine)
    assert _definition(facts, "OldThing").deprecated == "Use NewThing instead"
    assert _definition(facts, "old_function").deprecated == "old function, use new_function"
    assert _definition(facts, "bare_deprecated").deprecated == ""
    assert _definition(facts, "not_deprecated").deprecated is None
    assert _definition(facts, "func").deprecated is None


@pytest.mark.parametrize("engine", ["ast", "libcst"])
def test_deprecated_decorator_keyword_and_dotted_forms(engine: str) -> None:
    source = (
        '@warnings.deprecated(message="use g")\nclass C: pass\n'
        '@deprecated(reason="use k")\nasync def f(): pass\n'
        "@deprecated(msg_variable)\ndef h(): pass\n"
    )
    facts = _facts(source, engine=engine)
    assert [(d.name, d.deprecated) for d in facts.definitions] == [
        ("C", "use g"),
        ("f", "use k"),
        ("h", ""),
    ]


@pytest.mark.parametrize("engine", ["ast", "libcst"])
def test_deprecated_decorator_versions_and_message_keywords(engine: str) -> None:
    source = (
        # dagster
        '@deprecated(breaking_version="2.0", additional_warn_text="Use AssetSpec instead.")\n'
        "class SourceAsset: pass\n"
        # astropy, matplotlib: the first argument is the version it was deprecated in
        '@deprecated("7.2", alternative="np.concatenate")\ndef concatenate(): pass\n'
        '@_api.deprecated("3.11")\ndef is_cff(): pass\n'
        '@deprecated("6.0", message="use the new API")\ndef old(): pass\n'
        # the `Deprecated` package
        '@deprecated(version="1.2", reason="use g")\ndef f(): pass\n'
    )
    facts = _facts(source, engine=engine)
    assert [(d.name, d.deprecated) for d in facts.definitions] == [
        ("SourceAsset", "Use AssetSpec instead."),
        ("concatenate", "deprecated since 7.2 (use `np.concatenate` instead)"),
        ("is_cff", "deprecated since 3.11"),
        ("old", "use the new API (deprecated since 6.0)"),
        ("f", "use g"),
    ]


@pytest.mark.parametrize("engine", ["ast", "libcst"])
def test_a_deprecated_overload_deprecates_that_signature_not_the_function(engine: str) -> None:
    # setuptools' _distutils/sysconfig.py (PEP 702): only get_config_var("SO") is.
    source = (
        "from typing import Literal, overload\n"
        "import typing\n"
        "@overload\n@deprecated('SO is deprecated')\n"
        "def get(name: Literal['SO']) -> str: ...\n"
        "@overload\ndef get(name: str) -> str: ...\n"
        "def get(name): return name\n"
        "@deprecated('use other')\n@typing.overload\ndef old(x: int) -> int: ...\n"
        "@deprecated('gone')\ndef gone(): pass\n"
    )
    facts = _facts(source, engine=engine)
    assert [(d.name, d.deprecated) for d in facts.definitions if d.kind == "function"] == [
        ("get", None),
        ("get", None),
        ("get", None),
        ("old", None),
        ("gone", "gone"),
    ]


@pytest.mark.parametrize("engine", ["ast", "libcst"])
def test_a_warning_after_a_way_out_of_the_function_is_conditional(engine: str) -> None:
    source = (
        "import warnings\n"
        "def plain():\n    x = 1\n    warnings.warn('a', DeprecationWarning)\n"
        "def early():\n    if not found():\n        return\n"
        "    warnings.warn('b', DeprecationWarning)\n"
        "def raising():\n    for k in keys:\n        if k:\n            raise ValueError\n"
        "    warnings.warn('c', DeprecationWarning)\n"
        "def guarded():\n    try:\n        import x\n    except ImportError:\n"
        "        return None\n    warnings.warn('d', DeprecationWarning)\n"
        "def nested():\n    def inner():\n        return 1\n"
        "    class C:\n        def m(self):\n            return 2\n"
        "    warnings.warn('e', DeprecationWarning)\n"
        "def before():\n    warnings.warn('f', DeprecationWarning)\n    if x:\n        return\n"
    )
    facts = _facts(source, engine=engine)
    assert [(w.message, w.function, w.conditional) for w in facts.warnings] == [
        ("a", "plain", False),
        ("b", "early", True),
        ("c", "raising", True),
        ("d", "guarded", True),
        ("e", "nested", False),
        ("f", "before", False),
    ]


@pytest.mark.parametrize("engine", ["ast", "libcst"])
def test_module_level_warnings_record_message_and_category(engine: str) -> None:
    facts = _facts(TRICKY_SOURCE, "pkg.sub.tricky", engine=engine)
    module_level = [w for w in facts.warnings if not w.function]
    assert [(w.message, w.category, w.conditional) for w in module_level] == [
        ("module is deprecated", "DeprecationWarning", False),
        ("keyword form", "PendingDeprecationWarning", False),
        ("f-string {café} and {...} message", "FutureWarning", False),
        ("concat implicit plus", "app.warnings.SSOTDeprecationWarning", False),
        ("no category", "UserWarning", False),
        ("conditional warn", "DeprecationWarning", True),
    ]
    assert all("inside a function" not in w.message for w in module_level)
    # The one in a top-level function is kept apart, by the function's name.
    assert [(w.message, w.function) for w in facts.warnings if w.function] == [
        ("inside a function", "func")
    ]


@pytest.mark.parametrize("engine", ["ast", "libcst"])
def test_warn_in_a_function_is_kept_by_its_name_and_in_a_class_not_at_all(engine: str) -> None:
    source = (
        "import warnings\n"
        "def f():\n    warnings.warn('in f', DeprecationWarning)\n"
        "class C:\n    warnings.warn('in class', DeprecationWarning)\n"
        "    def m(self):\n        warnings.warn('in a method', DeprecationWarning)\n"
        "def g():\n    def inner():\n        warnings.warn('nested', DeprecationWarning)\n"
        "    if sys._getframe(1):\n        warnings.warn('in g', DeprecationWarning)\n"
        "warnings.warn('top', DeprecationWarning)\n"
        "f()\ng()\nos.path.join('a')\nif True:\n    f()\n"
    )
    facts = _facts(source, engine=engine)
    assert [(w.message, w.line, w.function, w.conditional) for w in facts.warnings] == [
        ("in f", 3, "f", False),
        ("in g", 12, "g", True),
        ("top", 13, "", False),
    ]
    assert [(c.name, c.line, c.conditional) for c in facts.module_calls] == [
        ("f", 14, False),
        ("g", 15, False),
        ("f", 18, True),
    ]


@pytest.mark.parametrize("engine", ["ast", "libcst"])
def test_has_getattr_only_for_a_module_level_binding(engine: str) -> None:
    assert _facts("def __getattr__(name):\n    pass\n", engine=engine).has_getattr
    # A module-level assignment counts too (lazy_loader's ``__getattr__, ... = attach()``).
    assert _facts("__getattr__ = make_getattr()\n", engine=engine).has_getattr
    assert not _facts(
        "class C:\n    def __getattr__(self, name):\n        pass\n", engine=engine
    ).has_getattr
    assert not _facts("def f():\n    def __getattr__(n): pass\n", engine=engine).has_getattr


# --------------------------------------------------------------------------------------
# Suppression comments
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize("engine", ["ast", "libcst"])
def test_suppression_map_from_tricky_source(engine: str) -> None:
    facts = _facts(TRICKY_SOURCE, "pkg.sub.tricky", engine=engine)
    # line 2: bare; line 7: what it names, as written, sorted; lines 17-18: in strings
    assert facts.suppressions == {2: [], 7: ["SSOT002", "ssot001"]}


def test_suppression_comment_forms() -> None:
    source = (
        "import a  # ssot: ignore\n"
        "import b  # noqa: E402  # ssot: ignore[SSOT002,SSOT001]\n"
        "import c  # SSOT: IGNORE[ssot001]\n"
        "import d  # ssot:ignore[SSOT001, SSOT001]\n"
        "import e  # ssot: ignored\n"
        's = "# ssot: ignore"\n'
        "t = '''\n# ssot: ignore\n'''\n"
    )
    # What a comment names is kept as written (an unknown one is reported so), and
    # matched to codes in any case later (``suppressions``).
    facts = _facts(source)
    assert facts.suppressions == {
        1: [],
        2: ["SSOT001", "SSOT002"],
        3: ["ssot001"],
        4: ["SSOT001"],
    }
    assert facts.suppression_columns == {1: 13, 2: 27, 3: 13, 4: 13}  # at "ssot:"


def test_markers_are_read_from_tokens_up_to_the_last_marker_line() -> None:
    # The file cannot be tokenized to its end (an unterminated string, after the
    # markers): the markers above it are still told from strings exactly, not by a
    # line scan that takes the ``#`` inside line 1's string for a comment.
    source = (
        's = "# noqa  # ssot: ignore"\n'
        "import os  # noqa\n"
        "import sys  # ssot: ignore[SSOT001]\n"
        "x = '''\nunterminated\n"
    )
    facts = extract(source.encode(), "m", False)
    assert facts.reexport_lines == [2]
    assert facts.suppressions == {3: ["SSOT001"]}
    # Markers after a multi-line string are where the tokens put them.
    facts = _facts("t = '''\n# noqa\n'''\nimport os  # noqa\n")
    assert facts.reexport_lines == [4]


def test_suppressed_codes_over_a_statement_span() -> None:
    facts = _facts(
        "from x import (  # ssot: ignore[SSOT001]\n    a,  # ssot: ignore[SSOT002]\n)\n"
    )
    assert facts.suppressed_codes(1, 3) == ["SSOT001", "SSOT002"]
    assert facts.suppressed_codes(3, 3) is None
    assert _facts("import a  # ssot: ignore\n").suppressed_codes(1, 1) == []


# --------------------------------------------------------------------------------------
# Parse failures
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize("engine", ["auto", "ast", "libcst"])
def test_unparseable_file_gives_parse_error_with_position(engine: str) -> None:
    source = "import os\n\ndef broken(:\n    pass\n"
    facts = _facts(source, engine=engine)
    assert facts.parse_error is not None
    assert facts.parse_error.message.startswith("SyntaxError")
    assert facts.parse_error.line >= 1
    assert facts.parse_error.column >= 1
    assert facts.imports == []
    assert facts.definitions == []


@pytest.mark.parametrize("engine", ["auto", "ast", "libcst"])
def test_unparseable_file_reports_cpython_position(engine: str) -> None:
    # libcst's own ParserSyntaxError position is off (raw_line one too far here);
    # where CPython sees the error too, its position is the one reported.
    facts = _facts("import os\n\ndef broken(:\n    pass\n", engine=engine)
    assert facts.parse_error is not None
    assert (facts.parse_error.line, facts.parse_error.column) == (3, 12)


def test_unparseable_file_does_not_stop_the_scan(tmp_path: Path) -> None:
    from ssot_scan.config import load_config
    from ssot_scan.scan import run_scan

    (tmp_path / "pyproject.toml").write_text("")
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "__init__.py").write_text("")
    (tmp_path / "pkg" / "bad.py").write_text("def f(:\n")
    (tmp_path / "pkg" / "good.py").write_text("import pkg.bad\n")
    result = run_scan([tmp_path], load_config([tmp_path]))
    assert result.files_scanned == 3
    # The scan went on: good.py was read, and its import of the broken module is
    # reported as one that cannot succeed.
    assert [(f.code, f.path) for f in result.findings] == [
        ("SSOT000", "pkg/bad.py"),
        ("SSOT005", "pkg/good.py"),
    ]


PEP701_SOURCE = 'import os\nfrom .sibling import thing\nx = f"{"a"}"\nimport json\n'


@pytest.mark.skipif(sys.version_info >= (3, 12), reason="ast reads PEP 701 from 3.12 on")
def test_pep701_file_parses_via_libcst_in_auto_mode() -> None:
    facts = _facts(PEP701_SOURCE, "pkg.mod")
    assert facts.parse_error is None
    assert facts.engine == "libcst"
    assert [i.target for i in facts.imports] == ["os", "pkg.sibling", "json"]
    assert [d.name for d in facts.definitions] == ["x"]


def test_pep701_file_extracts_imports_in_auto_mode() -> None:
    facts = _facts(PEP701_SOURCE, "pkg.mod")
    assert facts.parse_error is None
    assert [i.target for i in facts.imports] == ["os", "pkg.sibling", "json"]


@pytest.mark.skipif(sys.version_info >= (3, 12), reason="ast reads PEP 701 from 3.12 on")
def test_pep701_file_with_ast_engine_is_a_parse_error() -> None:
    facts = _facts(PEP701_SOURCE, "pkg.mod", engine="ast")
    assert facts.parse_error is not None
    assert facts.parse_error.line == 3
    assert facts.imports == []


# --------------------------------------------------------------------------------------
# Encodings and odd bytes
# --------------------------------------------------------------------------------------


def test_latin1_file_with_coding_line_decodes() -> None:
    data = '# -*- coding: latin-1 -*-\nGREETING = "Bienvenue, café"\nfrom a import b\n'.encode(
        "latin-1"
    )
    assert b"\xe9" in data
    for engine in ("ast", "libcst"):
        facts = extract(data, "m", False, engine=engine)
        assert facts.parse_error is None
        assert [i.target for i in facts.imports] == ["a"]
        assert [d.name for d in facts.definitions] == ["GREETING"]


def test_latin1_fixture_extracts() -> None:
    data = (FIXTURES / "websocket_app" / "app" / "latin1_module.py").read_bytes()
    facts = extract(data, "app.latin1_module", False)
    assert facts.parse_error is None
    assert [i.target for i in facts.imports] == ["app.websocket_core"]


def test_invalid_utf8_without_coding_line_is_a_decode_parse_error() -> None:
    data = b"import os\n\nname = 'caf\xe9'\n"
    facts = extract(data, "m", False)
    assert facts.parse_error is not None
    assert "cannot decode" in facts.parse_error.message
    assert "utf-8" in facts.parse_error.message
    assert facts.parse_error.line == 3
    assert facts.parse_error.column == 12
    assert facts.imports == []


def test_utf8_bom_file_extracts() -> None:
    data = b"\xef\xbb\xbfimport os\nname = '\xc3\xa9'; import sys\n"
    for engine in ("ast", "libcst"):
        facts = extract(data, "m", False, engine=engine)
        assert facts.parse_error is None
        assert [(i.target, i.line, i.column) for i in facts.imports] == [
            ("os", 1, 1),
            ("sys", 2, 13),
        ]


def test_unknown_coding_line_is_a_parse_error() -> None:
    facts = extract(b"# coding: no-such-codec\nimport os\n", "m", False)
    assert facts.parse_error is not None
    assert "no-such-codec" in facts.parse_error.message


@pytest.mark.parametrize("engine", ["auto", "ast", "libcst"])
def test_empty_file_gives_empty_facts(engine: str) -> None:
    facts = extract(b"", "pkg.empty", False, engine=engine)
    assert facts.parse_error is None
    assert _without_engine(facts) == _without_engine(ModuleFacts())


@pytest.mark.parametrize("engine", ["auto", "ast", "libcst"])
def test_nul_byte_gives_parse_error_not_exception(engine: str) -> None:
    facts = extract(b"import os\nx = 1\x00\n", "m", False, engine=engine)
    assert facts.parse_error is not None
    assert facts.imports == []


def test_deeply_nested_expression_gives_parse_error_not_a_crash() -> None:
    # Regression: CPython rejects more than 200 nested parentheses ("too many nested
    # parentheses"), so auto mode fell back to libcst, whose native parser overflows
    # its stack and killed the whole process with SIGSEGV from ~1500 levels on.
    # Run in a child process so a crash fails this test instead of the test run.
    code = (
        "from ssot_scan.extract import extract\n"
        "facts = extract(b'x = ' + b'(' * 2000 + b')' * 2000 + b'\\n', 'm', False)\n"
        "print('parse_error' if facts.parse_error else 'parsed')\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, f"exit {done.returncode}: {done.stderr[-500:]}"
    assert done.stdout.strip() in ("parse_error", "parsed")


def _extract_in_child(source: str, engine: str) -> subprocess.CompletedProcess[str]:
    """Extract in a child process: a segfault there fails the test, not the run."""
    code = (
        "import sys\n"
        "from ssot_scan.extract import extract\n"
        f"facts = extract({source}, 'm', False, {engine!r})\n"
        "print('parse_error' if facts.parse_error else 'parsed')\n"
    )
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)


def test_libcst_engine_on_deep_chain_gives_parse_error_not_a_crash() -> None:
    # Fixed bug (this test failed before the fix). The old behaviour:
    # the guard against libcst's stack overflow counts brackets only. A deep
    # chain without brackets still kills the process with SIGSEGV under
    # ``--engine libcst``: 6000 nested ``lambda:`` (crashes at once), or about 10000
    # unary minus signs, attribute dots or conditional expressions (after 10-15 s):
    #   python -c "from ssot_scan.extract import extract;
    #              extract(b'x = ' + b'lambda: ' * 6000 + b'0\n', 'm', False, 'libcst')"
    # -> "Segmentation fault", exit 139. (ast raises MemoryError/RecursionError on
    # these, so auto mode is safe unless the file also has newer syntax; see below.)
    done = _extract_in_child("b'x = ' + b'lambda: ' * 6000 + b'0\\n'", "libcst")
    assert done.returncode == 0, f"exit {done.returncode}: {done.stderr[-500:]}"
    assert done.stdout.strip() in ("parse_error", "parsed")


def test_auto_fallback_on_newer_syntax_with_deep_chain_does_not_crash() -> None:
    # Fixed bug (this test failed before the fix). The old behaviour:
    # a file with newer syntax than the interpreter (here a PEP 701 f-string, on
    # Python < 3.12) falls back to libcst; if it also holds a deep bracket-free chain,
    # libcst segfaults and the whole scan dies:
    #   python -c "from ssot_scan.extract import extract; extract(
    #       b'x = f\"{\"a\"}\"\ny = ' + b'lambda: ' * 6000 + b'0\n', 'm', False)"
    # -> "Segmentation fault", exit 139.
    source = "b'x = f\"{\"a\"}\"\\ny = ' + b'lambda: ' * 6000 + b'0\\n'"
    done = _extract_in_child(source, "auto")
    assert done.returncode == 0, f"exit {done.returncode}: {done.stderr[-500:]}"
    assert done.stdout.strip() in ("parse_error", "parsed")


@pytest.mark.parametrize("engine", ["auto", "libcst"])
def test_brackets_inside_strings_are_not_nesting(engine: str) -> None:
    # Fixed bug (this test failed before the fix). The old behaviour:
    # the libcst nesting guard (``_bracket_depth``) counts brackets inside
    # strings and comments, so a file CPython reads fine becomes a parse error
    # ("too deeply nested for the libcst parser") under ``--engine libcst``, and so
    # does any file that needs the libcst fallback (here: a PEP 701 f-string on
    # Python < 3.12). Reproduce:
    #   extract(b's = "' + b'(' * 201 + b'"\nimport os\n', 'm', False, 'libcst')
    # -> parse_error, no imports; ``engine='ast'`` reads it.
    opening = "(" * 201
    source = f's = "{opening}"\nt = f"{{"a"}}"\nimport os\n'
    if engine == "libcst":
        source = f's = "{opening}"\nimport os\n'
        via_ast = _facts(source, engine="ast")
        assert via_ast.parse_error is None
    facts = _facts(source, engine=engine)
    assert facts.parse_error is None, facts.parse_error
    assert [i.target for i in facts.imports] == ["os"]


# --------------------------------------------------------------------------------------
# Serialisation
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize("engine", ["ast", "libcst"])
def test_module_facts_json_round_trip(engine: str) -> None:
    facts = _facts(TRICKY_SOURCE, "pkg.sub.tricky", engine=engine)
    data = facts.to_json()
    again = ModuleFacts.from_json(data)
    assert again.to_json() == data
    assert again == facts


def test_module_facts_json_round_trip_with_parse_error() -> None:
    import json

    facts = _facts("def f(:\n")
    assert facts.parse_error is not None
    data = json.loads(json.dumps(facts.to_json()))  # through real JSON: int keys become str
    assert ModuleFacts.from_json(data).to_json() == facts.to_json()


def test_module_facts_json_round_trip_through_json_text() -> None:
    import json

    facts = _facts(TRICKY_SOURCE, "pkg.sub.tricky")
    data = json.loads(json.dumps(facts.to_json()))
    assert ModuleFacts.from_json(data) == facts


def test_libcst_position_pass_on_a_long_operator_chain_is_a_parse_error() -> None:
    # Found on sympy: libcst parses a long ``a + a + ...`` chain, then its position
    # pass recurses once per operand and raised RecursionError out of extract().
    source = b"x = " + b" + ".join([b"a"] * 3000) + b"\n"
    facts = extract(source, "m", False, engine="libcst")
    assert facts.parse_error is not None
    assert "too deeply nested" in facts.parse_error.message


# --------------------------------------------------------------------------------------
# Regressions from the helper review of the first version
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize("engine", ["ast", "libcst"])
def test_with_contextlib_suppress_importerror_guards_its_imports(engine: str) -> None:
    source = (
        "import contextlib\n"
        "with contextlib.suppress(ImportError):\n    import ujson\n"
        "with suppress(ModuleNotFoundError, AttributeError):\n    from x import y\n"
        "with suppress(KeyError):\n    import z\n"
        "with open('f') as handle:\n    import w\n"
    )
    facts = _facts(source, engine=engine)
    assert [(i.target, i.context) for i in facts.imports] == [
        ("contextlib", "module"),
        ("ujson", "try_import_error"),
        ("x", "try_import_error"),
        ("z", "module"),
        ("w", "module"),
    ]


@pytest.mark.parametrize("engine", ["ast", "libcst"])
def test_nested_tuple_assignment_binds_every_name(engine: str) -> None:
    facts = _facts("(a, b), [c, *d] = value\n", engine=engine)
    assert [d.name for d in facts.definitions] == ["a", "b", "c", "d"]


def test_suppression_allows_a_space_before_the_codes() -> None:
    facts = _facts("import x  # ssot: ignore [SSOT001]\n")
    assert facts.suppressions == {1: ["SSOT001"]}


def test_suppression_with_an_empty_code_list_suppresses_nothing() -> None:
    facts = _facts("import x  # ssot: ignore[]\n")
    assert facts.suppressions == {}


def test_nul_byte_parse_error_points_at_the_byte() -> None:
    facts = extract(b"import os\nx = 1\x00\n", "m", False)
    assert facts.parse_error is not None
    assert (facts.parse_error.line, facts.parse_error.column) == (2, 6)


def test_both_front_ends_record_global_bindings_alike() -> None:
    from ssot_scan.extract import extract

    code = (
        b"def f():\n    global A, B\n    A = 1\n\nclass C:\n    def m(self):\n        global D\n"
    )
    facts = {engine: extract(code, "m", False, engine) for engine in ("ast", "libcst")}
    for engine, found in facts.items():
        names = [(d.name, d.line, d.column, d.conditional) for d in found.definitions]
        assert ("A", 2, 5, True) in names and ("D", 7, 9, True) in names, engine
    assert facts["ast"].definitions == facts["libcst"].definitions


@pytest.mark.parametrize("engine", ["ast", "libcst"])
def test_side_effects_of_importing_a_module_are_recorded_by_line(engine: str) -> None:
    source = (
        "import warnings\n"  # 1
        "from dataclasses import dataclass\n"  # 2
        "X = 1\n"  # 3
        "REGISTRY['a'] = X\n"  # 4
        "obj.attr = 2\n"  # 5
        "@dataclass(frozen=True)\nclass A:\n    pass\n"  # 6-8
        "@register\ndef f():\n    pass\n"  # 9-11
        "warnings.warn('old', DeprecationWarning)\n"  # 12
        "setup()\n"  # 13
        "def g():\n    call()\n"  # 14-15
        "if __name__ == '__main__':\n    main()\n"  # 16-17
    )
    facts = _facts(source, engine=engine)
    assert facts.side_effects == [4, 5, 10, 13]


def test_a_type_statement_defines_its_name() -> None:
    # sphinx 9: `type _DocutilsSettings = ...` under TYPE_CHECKING; 50 false SSOT005.
    source = b"import os\ntype Alias = int\nif os:\n    type Other = str\n"
    facts = extract(source, "m", False, "auto")
    assert facts.parse_error is None
    assert [(d.name, d.kind) for d in facts.definitions] == [
        ("Alias", "assign"),
        ("Other", "assign"),
    ]


@pytest.mark.parametrize("engine", ["ast", "libcst"])
def test_names_a_module_imports_and_never_mentions_again(engine: str) -> None:
    # ansible.module_utils.basic keeps get_distribution_version for old modules.
    source = (
        "from __future__ import annotations\n"
        "from pkg.sys_info import get_distribution, get_distribution_version, used\n"
        "from pkg.conv import to_bytes as json_to_bytes, to_text as text\n"
        "from pkg.other import _private, in_comment, attribute, Same as Same\n"
        "import pkg.mod\n"
        "try:\n"
        "    from pkg.fallback import guarded\n"
        "except ImportError:\n"
        "    guarded = None\n"
        "\n"
        "def f():\n"
        "    from pkg.local import local_only\n"
        "    return used(), text, pkg.mod.get_distribution_version\n"
        "\n"
        "# in_comment is mentioned here (a mention counts: the count never errs the other way)\n"
        "X = obj.attribute\n"
    )
    facts = extract(source.encode(), "pkg.basic", False, engine=engine)
    # ``obj.attribute`` is not the imported name; ``Same as Same`` is unused too (and
    # published by its form); a name inside a longer one is no mention of it.
    assert facts.unused_imports == [
        "get_distribution",
        "get_distribution_version",
        "json_to_bytes",
        "attribute",
        "Same",
    ]
    # A package's imports publish what they import: nothing there is "unused".
    assert extract(source.encode(), "pkg", True, engine=engine).unused_imports == []


@pytest.mark.parametrize("engine", ["ast", "libcst"])
def test_an_import_in_a_test_checking_a_deprecation_goes_with_it(engine: str) -> None:
    # statsmodels' test_smoothers_lowess_old_deprecated imports the old lowess to
    # check that it warns: the import goes when the deprecated function goes.
    source = (
        "import pytest\n"
        "def test_old():\n"
        "    from pkg.old import a\n"
        "    with pytest.warns(FutureWarning, match='deprecated'):\n"
        "        a()\n"
        "def test_call():\n"
        "    from pkg.old import b\n"
        "    with pytest.deprecated_call():\n"
        "        b()\n"
        "class T:\n"
        "    def test_m(self):\n"
        "        from pkg.old import c\n"
        "        with self.assertWarns((UserWarning, PendingDeprecationWarning)):\n"
        "            c()\n"
        "def test_user_warning():\n"
        "    from pkg.old import d\n"
        "    with pytest.warns(UserWarning):\n"
        "        d()\n"
        "def test_plain():\n"
        "    from pkg.old import e  # warns is only a word here\n"
        "    e()\n"
    )
    facts = extract(source.encode(), "tests.test_old", False, engine=engine)
    flagged = {s.names[0].name: s.in_deprecated for s in facts.imports if s.names}
    assert flagged == {"a": True, "b": True, "c": True, "d": False, "e": False}


_SKIPPED_BODIES = '''"""A module that spells setattr: each top-level function's body is walked."""
import os


def install(module, name):
    setattr(module, name, os)


def hand_on(target):
    install(target, "path")


class Plugin:
    def load(self):
        import json
        return json

    def quiet(self):
        return setattr


def default():
    value = "def in a string, then import"
    warnings.warn("old", DeprecationWarning)
    return value


class Methods:
    def one(self): import csv

    def last(self):
        value = 1
        import io
'''


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
def test_function_bodies_are_read_alike_whatever_ends_their_lines(newline: str) -> None:
    """The ast front end walks only the bodies that can hold a fact (a method's,
    in a module spelling ``setattr``, only when it spells a word such as
    ``import``), found by the line of each match of a few words, counted from the
    first ``def`` (a lone ``\\r`` ends a line too); libcst walks every body.
    Both must find the same facts at the same lines."""
    source = _SKIPPED_BODIES.replace("\n", newline)
    by_ast = _facts(source, engine="ast")
    assert _without_engine(by_ast) == _without_engine(_facts(source, engine="libcst"))
    found = [(s.target, s.line) for s in by_ast.imports]
    assert found == [("os", 2), ("json", 15), ("csv", 29), ("io", 33)]
    assert [w.line for w in by_ast.warnings] == [24]
    assert by_ast.rewriting_functions == ["hand_on", "install"]
