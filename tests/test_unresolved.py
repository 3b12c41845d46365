"""SSOT005 (unresolved-import) and SSOT006 (shadowed-module) on small projects.

Each test writes a project into ``tmp_path`` (``pyproject.toml`` with
``[tool.ssot-scan]`` at the root, code under ``pkg/``), runs the full scan with only
SSOT005 and SSOT006 enabled, and compares the exact ``(path, line, code)`` set.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from helpers import located, scan_project

from ssot_scan.report.json_report import result_json
from ssot_scan.result import ScanResult


def scan(root: Path, files: dict[str, str], config: str = "") -> ScanResult:
    """Write ``files`` plus a pyproject (``config`` appended to its table) and scan."""
    return scan_project(root, files, config, select=["SSOT005", "SSOT006"])


def findings_json(result: ScanResult) -> list[dict[str, Any]]:
    findings: list[dict[str, Any]] = result_json(result)["findings"]
    return findings


def message_at(result: ScanResult, path: str, line: int) -> str:
    (message,) = [f.message for f in result.findings if (f.path, f.line) == (path, line)]
    return message


PKG = {"pkg/__init__.py": ""}


# =====================================================================================
# What is unresolved
# =====================================================================================


def test_missing_first_party_module_is_reported(tmp_path: Path) -> None:
    result = scan(
        tmp_path,
        {
            **PKG,
            "pkg/a.py": "import pkg.gone\nfrom pkg.gone import X\nimport pkg.sub.deep\n",
            "pkg/sub/__init__.py": "",
        },
    )
    assert located(result) == {
        ("pkg/a.py", 1, "SSOT005"),
        ("pkg/a.py", 2, "SSOT005"),
        ("pkg/a.py", 3, "SSOT005"),
    }
    assert "no module `pkg.gone`" in message_at(result, "pkg/a.py", 1)
    assert "`pkg.sub` has no submodule `deep`" in message_at(result, "pkg/a.py", 3)


def test_missing_top_level_first_party_package_is_not_first_party(tmp_path: Path) -> None:
    # Only top-level packages found under the roots are first-party: ``pkg2`` is an
    # unknown third-party distribution, not a missing module.
    result = scan(tmp_path, {**PKG, "pkg/a.py": "import pkg2\nfrom pkgextra import x\n"})
    assert located(result) == set()


def test_missing_name_is_reported(tmp_path: Path) -> None:
    result = scan(
        tmp_path,
        {**PKG, "pkg/m.py": "X = 1\n", "pkg/a.py": "from pkg.m import X, Y\n"},
    )
    assert located(result) == {("pkg/a.py", 1, "SSOT005")}
    message = message_at(result, "pkg/a.py", 1)
    assert "cannot import `Y` from `pkg.m`: no such name" in message
    assert result.findings[0].symbol == "pkg.m.Y"


def test_name_reexport_chain_ending_nowhere_is_reported_where_it_is_imported(
    tmp_path: Path,
) -> None:
    result = scan(
        tmp_path,
        {
            **PKG,
            "pkg/api.py": "from pkg.mid import Z\n",
            "pkg/mid.py": "from pkg.impl import Z\n",
            "pkg/impl.py": "Y = 1\n",
            "pkg/a.py": "from pkg.api import Z\n",
        },
    )
    # Every link of the chain is broken, and each is reported where it imports.
    assert located(result) == {
        ("pkg/a.py", 1, "SSOT005"),
        ("pkg/api.py", 1, "SSOT005"),
        ("pkg/mid.py", 1, "SSOT005"),
    }
    message = message_at(result, "pkg/a.py", 1)
    assert "cannot import `Z` from `pkg.api`" in message
    assert "its re-export chain ends at `pkg.impl.Z`" in message


def test_name_reexport_chain_to_a_missing_module_is_reported(tmp_path: Path) -> None:
    result = scan(
        tmp_path,
        {
            **PKG,
            "pkg/api.py": "from pkg.gone import Z\n",
            "pkg/a.py": "from pkg.api import Z\n",
        },
    )
    assert located(result) == {("pkg/a.py", 1, "SSOT005"), ("pkg/api.py", 1, "SSOT005")}
    assert "leads to a missing module `pkg.gone`" in message_at(result, "pkg/a.py", 1)


@pytest.mark.parametrize(
    ("files", "path"),
    [
        ({**PKG, "pkg/a.py": "from ... import x\n"}, "pkg/a.py"),
        (
            {**PKG, "pkg/sub/__init__.py": "", "pkg/sub/a.py": "from ...x import y\n"},
            "pkg/sub/a.py",
        ),
        ({**PKG, "pkg/__init__.py": "from .. import x\n"}, "pkg/__init__.py"),
        ({"mod.py": "from . import x\n"}, "mod.py"),
    ],
    ids=["module-three-dots", "subpackage-three-dots", "package-init-two-dots", "top-module"],
)
def test_relative_import_above_the_top_level_package_is_reported(
    tmp_path: Path, files: dict[str, str], path: str
) -> None:
    result = scan(tmp_path, files)
    assert located(result) == {(path, 1, "SSOT005")}
    assert "climbs above the top-level package" in result.findings[0].message


def test_relative_imports_within_the_package_resolve(tmp_path: Path) -> None:
    result = scan(
        tmp_path,
        {
            **PKG,
            "pkg/b.py": "Q = 1\n",
            "pkg/sub/__init__.py": "from . import a\n",
            "pkg/sub/a.py": "from .. import b\nfrom ..b import Q\nfrom . import c\n",
            "pkg/sub/c.py": "",
        },
    )
    assert located(result) == set()


def test_dotted_import_through_a_plain_module_is_reported(tmp_path: Path) -> None:
    result = scan(
        tmp_path,
        {**PKG, "pkg/mod.py": "sub = 1\n", "pkg/a.py": "import pkg.mod.sub\n"},
    )
    assert located(result) == {("pkg/a.py", 1, "SSOT005")}
    assert "`pkg.mod` has no submodule `sub`" in result.findings[0].message


# =====================================================================================
# Where the import sits
# =====================================================================================

_CONTEXTS = {
    **PKG,
    "pkg/m.py": "X = 1\n",
    "pkg/a.py": """\
        import sys
        from typing import TYPE_CHECKING

        from pkg.m import AtModule

        try:
            from pkg.m import InTry
        except ImportError:
            InTry = None


        def f():
            from pkg.m import InFunction


        if TYPE_CHECKING:
            from pkg.m import UnderTypeChecking

        if sys.platform == "win32":
            from pkg.m import InConditional
        """,
}


@pytest.mark.parametrize(
    ("line", "context", "words"),
    [
        (4, "module", "at module level"),
        (7, "try_import_error", "inside try/except ImportError"),
        (13, "function", "inside a function"),
        (17, "type_checking", "under TYPE_CHECKING"),
        (20, "conditional", "inside a conditional block"),
    ],
)
def test_json_context_and_message_say_where_the_import_sits(
    tmp_path: Path, line: int, context: str, words: str
) -> None:
    result = scan(tmp_path, _CONTEXTS)
    assert located(result) == {("pkg/a.py", n, "SSOT005") for n in (4, 7, 13, 17, 20)}
    (finding,) = [f for f in findings_json(result) if f["line"] == line]
    assert finding["context"] == context
    assert words in finding["message"]


def test_every_context_is_one_of_the_documented_values(tmp_path: Path) -> None:
    contexts = {f["context"] for f in findings_json(scan(tmp_path, _CONTEXTS))}
    assert contexts == {"module", "function", "try_import_error", "type_checking", "conditional"}


@pytest.mark.parametrize(
    "handler",
    ["ImportError", "ModuleNotFoundError", "(ImportError, AttributeError)"],
)
def test_include_guarded_false_leaves_out_try_except_import_error(
    tmp_path: Path, handler: str
) -> None:
    files = {
        **PKG,
        "pkg/a.py": f"try:\n    import pkg.gone\nexcept {handler}:\n    pass\n\nimport pkg.lost\n",
    }
    assert located(scan(tmp_path / "default", files)) == {
        ("pkg/a.py", 2, "SSOT005"),
        ("pkg/a.py", 6, "SSOT005"),
    }
    guarded = scan(
        tmp_path / "off", files, "[tool.ssot-scan.unresolved]\ninclude-guarded = false\n"
    )
    assert located(guarded) == {("pkg/a.py", 6, "SSOT005")}


def test_include_guarded_false_leaves_out_a_guarded_import_inside_a_function(
    tmp_path: Path,
) -> None:
    # Seen: the optional import of a plugin inside a function was still reported.
    files = {
        **PKG,
        "pkg/a.py": "def load():\n    try:\n        import pkg.gone\n    except ImportError:\n"
        "        return None\n    import pkg.lost\n",
    }
    guarded = scan(tmp_path, files, "[tool.ssot-scan.unresolved]\ninclude-guarded = false\n")
    assert located(guarded) == {("pkg/a.py", 6, "SSOT005")}


def test_include_guarded_false_keeps_try_without_an_import_error_handler(tmp_path: Path) -> None:
    result = scan(
        tmp_path,
        {**PKG, "pkg/a.py": "try:\n    import pkg.gone\nexcept ValueError:\n    pass\n"},
        "[tool.ssot-scan.unresolved]\ninclude-guarded = false\n",
    )
    assert located(result) == {("pkg/a.py", 2, "SSOT005")}


# =====================================================================================
# What cannot be decided, and what is fine
# =====================================================================================


def test_module_getattr_makes_names_undecidable_and_counted(tmp_path: Path) -> None:
    result = scan(
        tmp_path,
        {
            **PKG,
            "pkg/m.py": "def __getattr__(name):\n    return name\n",
            "pkg/a.py": "from pkg.m import Anything, Other\n",
        },
    )
    assert located(result) == set()
    assert result.undecidable == 2
    assert result_json(result)["summary"]["undecidable"] == 2


def test_star_import_from_first_party_provides_the_name(tmp_path: Path) -> None:
    result = scan(
        tmp_path,
        {
            **PKG,
            "pkg/impl.py": "Z = 1\n",
            "pkg/api.py": "from pkg.impl import *\n",
            "pkg/a.py": "from pkg.api import Z\n",
        },
    )
    assert located(result) == set()
    assert result.undecidable == 0


def test_star_import_from_first_party_does_not_provide_what_it_does_not_export(
    tmp_path: Path,
) -> None:
    result = scan(
        tmp_path,
        {
            **PKG,
            "pkg/impl.py": "__all__ = ['Z']\nZ = 1\nW = 2\n_private = 3\n",
            "pkg/api.py": "from pkg.impl import *\n",
            "pkg/a.py": (
                "from pkg.api import Z\nfrom pkg.api import W\nfrom pkg.api import _private\n"
            ),
        },
    )
    assert located(result) == {("pkg/a.py", 2, "SSOT005"), ("pkg/a.py", 3, "SSOT005")}


def test_star_import_from_third_party_makes_names_undecidable(tmp_path: Path) -> None:
    result = scan(
        tmp_path,
        {
            **PKG,
            "pkg/api.py": "from os.path import *\n",
            "pkg/a.py": "from pkg.api import join\n",
        },
    )
    assert located(result) == set()
    assert result.undecidable == 1
    assert result_json(result)["summary"]["undecidable"] == 1


def test_third_party_imports_are_never_checked(tmp_path: Path) -> None:
    result = scan(
        tmp_path,
        {
            **PKG,
            "pkg/a.py": (
                "import not_installed_anywhere\n"
                "from os import no_such_name\n"
                "from os.no_such_module import x\n"
                "def f():\n    import another_missing_dist\n"
            ),
        },
    )
    assert located(result) == set()
    assert result.undecidable == 0


@pytest.mark.parametrize("name", ["__name__", "__doc__", "__file__", "__all__"])
def test_implicit_module_attributes_are_importable(tmp_path: Path, name: str) -> None:
    result = scan(
        tmp_path,
        {
            **PKG,
            "pkg/m.py": "__all__ = ['X']\nX = 1\n",
            "pkg/a.py": f"from pkg.m import {name}\n",
            "pkg/b.py": f"from pkg import {name}\n" if name != "__all__" else "",
        },
    )
    assert located(result) == set()
    assert result.undecidable == 0


@pytest.mark.parametrize(
    "binding",
    [
        "for NAME in range(3):\n    pass\n",
        "with open(__file__) as NAME:\n    pass\n",
        "(NAME := 3)\n",
        "import sys\n\nif sys.platform:\n    for NAME in range(3):\n        pass\n",
    ],
    ids=["for-target", "with-as", "walrus", "for-under-if"],
)
def test_name_bound_by_a_module_level_statement_is_importable(
    tmp_path: Path, binding: str
) -> None:
    # Fixed bug (this test failed before the fix). The old behaviour:
    # the extractor records assignments, defs, classes and imports, but not
    # the other module-level binding statements (for targets, ``with ... as``,
    # ``:=``), so ``from pkg.m import NAME`` is reported "no such name" although
    # the import succeeds at runtime.
    result = scan(tmp_path, {**PKG, "pkg/m.py": binding, "pkg/a.py": "from pkg.m import NAME\n"})
    assert located(result) == set()


def test_annotation_without_a_value_binds_nothing(tmp_path: Path) -> None:
    result = scan(
        tmp_path, {**PKG, "pkg/m.py": "NAME: int\n", "pkg/a.py": "from pkg.m import NAME\n"}
    )
    assert located(result) == {("pkg/a.py", 1, "SSOT005")}


def test_import_of_a_module_that_does_not_parse_is_reported(tmp_path: Path) -> None:
    result = scan(
        tmp_path,
        {
            **PKG,
            "pkg/broken.py": "def (:\n",
            "pkg/a.py": "import pkg.broken\nfrom pkg.broken import X\n",
        },
    )
    assert located(result) == {("pkg/a.py", 1, "SSOT005"), ("pkg/a.py", 2, "SSOT005")}
    for finding in result.findings:
        assert "pkg/broken.py does not parse" in finding.message


def test_from_package_import_of_a_submodule_that_does_not_parse_is_reported(
    tmp_path: Path,
) -> None:
    # Fixed bug (this test failed before the fix). The old behaviour:
    # ``from pkg import broken`` imports the submodule pkg.broken, which raises
    # SyntaxError, but only ``import pkg.broken`` / ``from pkg.broken import X`` are
    # reported: the check tests the parse error of ``site.target`` (pkg) and never
    # of the submodule a name resolves to.
    result = scan(
        tmp_path,
        {**PKG, "pkg/broken.py": "def (:\n", "pkg/a.py": "from pkg import broken\n"},
    )
    assert located(result) == {("pkg/a.py", 1, "SSOT005")}


_EXTENSIONS = {
    **PKG,
    "pkg/_speedups.cpython-311-x86_64-linux-gnu.so": "",
    "pkg/_speedups2.abi3.so": "",
    "pkg/a.py": (
        "import pkg._speedups\n"
        "import pkg._speedups2\n"
        "from pkg import _speedups, _speedups2\n"
        "from pkg._speedups import fast\n"
        "from pkg._speedups2 import faster\n"
    ),
}


def test_compiled_extension_module_exists(tmp_path: Path) -> None:
    result = scan(tmp_path, _EXTENSIONS)
    assert located(result) == set()


def test_names_from_a_compiled_extension_are_undecidable(tmp_path: Path) -> None:
    result = scan(tmp_path, _EXTENSIONS)
    assert result.undecidable == 2
    assert result_json(result)["summary"]["undecidable"] == 2


def test_a_submodule_of_a_compiled_module_is_undecidable(tmp_path: Path) -> None:
    # Hypothesis: `hypothesis._native` is a PyO3 extension that puts
    # `hypothesis._native.internal.floats` in sys.modules itself.
    files = {
        **_EXTENSIONS,
        "pkg/b.py": (
            "from pkg._speedups.internal.floats import next_up\n"
            "import pkg._speedups2.sub\n"
            "import pkg._speedups3.sub\n"
        ),
    }
    result = scan(tmp_path, files)
    assert located(result) == {("pkg/b.py", 3, "SSOT005")}


def test_compiled_extension_does_not_make_its_siblings_exist(tmp_path: Path) -> None:
    result = scan(tmp_path, {**_EXTENSIONS, "pkg/b.py": "import pkg._speedups3\n"})
    assert located(result) == {("pkg/b.py", 1, "SSOT005")}


def test_stub_only_module_exists_and_its_names_are_undecidable(tmp_path: Path) -> None:
    result = scan(
        tmp_path,
        {
            **PKG,
            "pkg/stubbed.pyi": "def thing() -> int: ...\n",
            "pkg/a.py": "import pkg.stubbed\nfrom pkg.stubbed import thing, other\n",
        },
    )
    assert located(result) == set()
    assert result.undecidable == 2


def test_stub_beside_its_source_leaves_the_source_in_charge(tmp_path: Path) -> None:
    result = scan(
        tmp_path,
        {
            **PKG,
            "pkg/mod.py": "X = 1\n",
            "pkg/mod.pyi": "X: int\nY: int\n",
            "pkg/a.py": "from pkg.mod import X\nfrom pkg.mod import Y\n",
        },
    )
    assert located(result) == {("pkg/a.py", 2, "SSOT005")}
    assert result.undecidable == 0


# =====================================================================================
# SSOT006 shadowed-module
# =====================================================================================

_SHADOWED = {
    **PKG,
    "pkg/x.py": "import pkg.gone\n\nOLD = 1\n",
    "pkg/x/__init__.py": "NEW = 1\n",
    "pkg/a.py": "import pkg.x\nfrom pkg.x import NEW\nfrom pkg import x\n",
}


def test_module_beside_a_package_of_the_same_name_is_shadowed(tmp_path: Path) -> None:
    result = scan(tmp_path, _SHADOWED)
    assert located(result) == {("pkg/x.py", 1, "SSOT006")}
    message = result.findings[0].message
    assert "`pkg/x.py` can never be imported" in message
    assert "pkg/x/__init__.py" in message


def test_importing_the_shadowed_name_is_not_unresolved(tmp_path: Path) -> None:
    result = scan(tmp_path, _SHADOWED)
    assert [f for f in result.findings if f.code == "SSOT005"] == []


def test_names_only_in_the_shadowed_file_are_unresolved(tmp_path: Path) -> None:
    result = scan(tmp_path, {**_SHADOWED, "pkg/b.py": "from pkg.x import OLD\n"})
    assert located(result) == {("pkg/x.py", 1, "SSOT006"), ("pkg/b.py", 1, "SSOT005")}


def test_importing_a_missing_dunder_all_is_reported(tmp_path: Path) -> None:
    # No __all__ at all fails at run time; a non-literal one is undecidable.
    result = scan(
        tmp_path,
        {
            "pkg/__init__.py": "",
            "pkg/none.py": "X = 1\n",
            "pkg/dynamic.py": "__all__ = [n for n in dir() if n.isupper()]\n",
            "pkg/use.py": "from pkg.none import __all__ as a\n"
            "from pkg.dynamic import __all__ as b\n",
        },
    )
    assert located(result) == {("pkg/use.py", 1, "SSOT005")}
    assert result.undecidable == 1


def test_a_name_a_function_binds_with_global_is_a_module_attribute(tmp_path: Path) -> None:
    # matplotlib's qt_compat: `_setup()` declares `global QtCore, QtGui` and assigns
    # them; it runs at import time, and 25 imports of those names were SSOT005.
    result = scan(
        tmp_path,
        {
            "pkg/__init__.py": "",
            "pkg/compat.py": """\
                def _setup():
                    global QtCore, QtGui
                    import PyQt6.QtCore as QtCore
                    QtGui = None

                _setup()
            """,
            "pkg/use.py": "from pkg.compat import QtCore, QtGui, QtSvg\n",
        },
    )
    assert [(f.path, f.line, f.symbol) for f in result.findings] == [
        ("pkg/use.py", 1, "pkg.compat.QtSvg")
    ]
