"""SSOT003 (competing-definitions) on small projects.

Each test writes a project into ``tmp_path`` (``pyproject.toml`` with
``[tool.ssot-scan]`` at the root, code under ``pkg/``), runs the full scan and
compares the exact ``(path, line, code)`` set of SSOT003 findings (plus SSOT001
where the interplay of the two is the point).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from helpers import located as located_any
from helpers import scan_project

from ssot_scan.config import load_config, load_rule_packs
from ssot_scan.errors import UsageError
from ssot_scan.findings import Finding
from ssot_scan.result import ScanResult

Located = set[tuple[str, int, str]]


def scan(
    root: Path,
    files: dict[str, str],
    config: str = "",
    select: tuple[str, ...] = ("SSOT003",),
) -> ScanResult:
    """Write ``files`` plus a pyproject (``config`` appended to its table) and scan."""
    return scan_project(root, files, config, select=select)


def located(result: ScanResult, code: str = "SSOT003") -> Located:
    return located_any(result, code)


def only(result: ScanResult, code: str = "SSOT003") -> Finding:
    found = [f for f in result.findings if f.code == code]
    assert len(found) == 1, [(f.path, f.line, f.message) for f in found]
    return found[0]


def related(finding: Finding) -> set[tuple[str, int]]:
    return {(r["path"], r["line"]) for r in finding.related}


# =====================================================================================
# 1. One imported name, several definitions depending on the path
# =====================================================================================

# The CASE pattern: a manager module aliasing the unified implementation, and a
# sibling factory module binding the same name to a different class.
_CASE = {
    "pkg/__init__.py": "",
    "pkg/ws/__init__.py": "",
    "pkg/ws/impl.py": "class Impl:\n    pass\n",
    "pkg/ws/manager.py": "from pkg.ws.impl import Impl\n\nWebSocketManager = Impl\n",
    "pkg/ws/factory.py": "class Factory:\n    pass\n\n\nWebSocketManager = Factory\n",
}


def test_case_pattern_is_one_finding_at_the_first_non_canonical_import(
    tmp_path: Path,
) -> None:
    result = scan(
        tmp_path,
        {
            **_CASE,
            "pkg/a.py": "from pkg.ws.manager import WebSocketManager\n",
            "pkg/b.py": "from pkg.ws.manager import WebSocketManager\n",
            "pkg/c.py": "from pkg.ws.manager import WebSocketManager\n",
            # Path order puts pkg/d.py first although its import sits lower.
            "pkg/z.py": "from pkg.ws.factory import WebSocketManager\n",
            "pkg/d.py": "import os\n\nfrom pkg.ws.factory import WebSocketManager\n",
        },
    )
    finding = only(result)
    assert (finding.path, finding.line) == ("pkg/d.py", 3)
    assert related(finding) == {("pkg/z.py", 1)}
    assert finding.symbol == "WebSocketManager"
    assert finding.canonical == "pkg.ws.impl.Impl"
    assert "pkg.ws.factory.Factory" in finding.message


@pytest.mark.parametrize(
    "manager",
    [
        "from pkg.ws.impl import Impl as WebSocketManager\n",
        "from .impl import Impl\n\nWebSocketManager = Impl\n",
        "from . import impl\n\nWebSocketManager = impl.Impl\n",
        "import pkg.ws.impl\n\nWebSocketManager = pkg.ws.impl.Impl\n",
    ],
    ids=["import-as", "relative-alias", "module-attribute-alias", "dotted-alias"],
)
def test_case_pattern_fires_for_every_spelling_of_the_rename(tmp_path: Path, manager: str) -> None:
    result = scan(
        tmp_path,
        {
            **_CASE,
            "pkg/ws/manager.py": manager,
            "pkg/a.py": "from pkg.ws.manager import WebSocketManager\n",
            "pkg/b.py": "from pkg.ws.manager import WebSocketManager\n",
            "pkg/c.py": "from pkg.ws.factory import WebSocketManager\n",
        },
    )
    assert located(result) == {("pkg/c.py", 1, "SSOT003")}
    assert only(result).canonical == "pkg.ws.impl.Impl"


def test_every_other_non_canonical_import_is_a_related_location(tmp_path: Path) -> None:
    result = scan(
        tmp_path,
        {
            **_CASE,
            **{f"pkg/m{i}.py": "from pkg.ws.manager import WebSocketManager\n" for i in range(4)},
            **{f"pkg/f{i}.py": "from pkg.ws.factory import WebSocketManager\n" for i in range(3)},
        },
    )
    finding = only(result)
    assert (finding.path, finding.line) == ("pkg/f0.py", 1)
    assert related(finding) == {("pkg/f1.py", 1), ("pkg/f2.py", 1)}


def test_canonical_is_the_definition_most_imports_reach(tmp_path: Path) -> None:
    # Same layout, majority flipped: now the factory is canonical.
    result = scan(
        tmp_path,
        {
            **_CASE,
            "pkg/a.py": "from pkg.ws.manager import WebSocketManager\n",
            "pkg/b.py": "from pkg.ws.factory import WebSocketManager\n",
            "pkg/c.py": "from pkg.ws.factory import WebSocketManager\n",
            "pkg/d.py": "from pkg.ws.factory import WebSocketManager\n",
        },
    )
    finding = only(result)
    assert (finding.path, finding.line) == ("pkg/a.py", 1)
    assert finding.related == []
    assert finding.canonical == "pkg.ws.factory.Factory"


def test_canonical_rule_overrides_the_majority(tmp_path: Path) -> None:
    result = scan(
        tmp_path,
        {
            **_CASE,
            "pkg/a.py": "from pkg.ws.manager import WebSocketManager\n",
            "pkg/b.py": "from pkg.ws.manager import WebSocketManager\n",
            "pkg/c.py": "from pkg.ws.manager import WebSocketManager\n",
            "pkg/d.py": "from pkg.ws.factory import WebSocketManager\n",
        },
        """\
        [[tool.ssot-scan.canonical]]
        symbol = "pkg.ws.factory.WebSocketManager"
        path = "pkg.ws.factory"
        """,
    )
    finding = only(result)
    assert (finding.path, finding.line) == ("pkg/a.py", 1)
    assert related(finding) == {("pkg/b.py", 1), ("pkg/c.py", 1)}
    assert finding.canonical == "pkg.ws.factory.Factory"


# Two sibling modules define ``connect``; one is named as a kept old copy.
_COMPAT = {
    "pkg/__init__.py": "",
    "pkg/ws/__init__.py": "",
    "pkg/ws/core.py": "def connect():\n    pass\n",
    "pkg/ws/compat.py": "def connect():\n    pass\n",
    "pkg/a.py": "from pkg.ws.core import connect\n",
    "pkg/b.py": "from pkg.ws.core import connect\n",
    "pkg/c.py": "from pkg.ws.compat import connect\n",
}


def test_path_through_a_compat_module_fires_even_for_functions(tmp_path: Path) -> None:
    assert located(scan(tmp_path, _COMPAT)) == {("pkg/c.py", 1, "SSOT003")}


def test_path_through_a_deprecated_module_fires_even_for_functions(tmp_path: Path) -> None:
    # pkg.ws.old is deprecated (not its submodules), so importing from the
    # submodules is not SSOT001, but those paths are inside a deprecated module.
    result = scan(
        tmp_path,
        {
            "pkg/__init__.py": "",
            "pkg/ws/__init__.py": "",
            "pkg/ws/old/__init__.py": "",
            "pkg/ws/old/first.py": "def connect():\n    pass\n",
            "pkg/ws/old/second.py": "def connect():\n    pass\n",
            "pkg/a.py": "from pkg.ws.old.first import connect\n",
            "pkg/b.py": "from pkg.ws.old.first import connect\n",
            "pkg/c.py": "from pkg.ws.old.second import connect\n",
        },
        """\
        [[tool.ssot-scan.deprecated]]
        module = "pkg.ws.old"
        """,
        select=("SSOT001", "SSOT003"),
    )
    assert located(result, "SSOT001") == set()
    assert located(result) == {("pkg/c.py", 1, "SSOT003")}


def test_same_named_functions_in_sibling_modules_do_not_fire(tmp_path: Path) -> None:
    result = scan(
        tmp_path,
        {
            "pkg/__init__.py": "",
            "pkg/ws/__init__.py": "",
            "pkg/ws/core.py": "def connect():\n    pass\n",
            "pkg/ws/other.py": "def connect():\n    pass\n",
            "pkg/a.py": "from pkg.ws.core import connect\n",
            "pkg/b.py": "from pkg.ws.core import connect\n",
            "pkg/c.py": "from pkg.ws.other import connect\n",
        },
    )
    assert located(result) == set()


_SIBLING_CLASSES = {
    "pkg/__init__.py": "",
    "pkg/ws/__init__.py": "",
    "pkg/ws/manager.py": "class WebSocketManager:\n    pass\n",
    "pkg/a.py": "from pkg.ws.manager import WebSocketManager\n",
    "pkg/b.py": "from pkg.ws.manager import WebSocketManager\n",
    "pkg/c.py": "from pkg.ws.unified import WebSocketManager\n",
}


_MANAGER = (
    "class WebSocketManager:\n"
    "    def connect(self):\n        pass\n\n"
    "    def send(self, message):\n        pass\n\n"
    "    def close(self):\n        pass\n"
)


def test_a_near_copy_of_a_class_in_a_sibling_module_fires(tmp_path: Path) -> None:
    # Real codebases hold byte-identical duplicated classes: those compete.
    result = scan(
        tmp_path,
        {**_SIBLING_CLASSES, "pkg/ws/manager.py": _MANAGER, "pkg/ws/unified.py": _MANAGER},
    )
    assert located(result) == {("pkg/c.py", 1, "SSOT003")}
    assert only(result).canonical == "pkg.ws.manager.WebSocketManager"


@pytest.mark.parametrize(
    ("manager", "unified"),
    [
        ("class WebSocketManager:\n    pass\n", "class WebSocketManager:\n    pass\n"),
        (_MANAGER, "class WebSocketManager:\n    def route(self):\n        pass\n"),
        (_MANAGER, _MANAGER.replace("class WebSocketManager:", "class WebSocketManager(Base):")),
        (_MANAGER, _MANAGER.replace("pass", "return 1")),
    ],
    ids=["two-empty-classes", "different-members", "different-bases", "one-interface"],
)
def test_unrelated_classes_that_share_a_name_do_not_fire(
    tmp_path: Path, manager: str, unified: str
) -> None:
    # Seen: `ParseError` in two parsers, a client's and a server's `Request`, two
    # `DependencyType` enums with different members were all reported; and two
    # implementations of one interface (Django's cache and db `SessionStore`):
    # the same method names, other bodies.
    files = {**_SIBLING_CLASSES, "pkg/ws/manager.py": manager, "pkg/ws/unified.py": unified}
    assert located(scan(tmp_path, files)) == set()


def test_a_rename_onto_a_near_copy_in_a_sibling_module_fires(tmp_path: Path) -> None:
    # `Money = Cash` while a sibling defines `Money` with the same members.
    money = "class {0}:\n    def add(self):\n        pass\n\n    def split(self):\n        pass\n"
    files = {
        "pkg/__init__.py": "",
        "pkg/ws/__init__.py": "",
        "pkg/ws/manager.py": money.format("Money"),
        "pkg/ws/unified.py": money.format("Cash") + "\n\nMoney = Cash\n",
        "pkg/a.py": "from pkg.ws.manager import Money\n",
        "pkg/b.py": "from pkg.ws.manager import Money\n",
        "pkg/c.py": "from pkg.ws.unified import Money\n",
    }
    assert located(scan(tmp_path, files)) == {("pkg/c.py", 1, "SSOT003")}


def test_platform_alternatives_do_not_fire(tmp_path: Path) -> None:
    body = "    def spawn(self):\n        pass\n\n    def kill(self):\n        pass\n"
    files = {
        **_SIBLING_CLASSES,
        "pkg/ws/manager.py": "class WebSocketManager:\n" + body,
        "pkg/ws/unified.py": "import sys\n\nif sys.platform == 'win32':\n"
        + "    class WebSocketManager:\n"
        + body.replace("    ", "        "),
    }
    assert located(scan(tmp_path, files)) == set()


@pytest.mark.parametrize(
    "unified",
    [
        "from pkg.ws import manager\n\n\nclass WebSocketManager(manager.WebSocketManager):\n"
        "    pass\n",
        "from pkg.ws.manager import WebSocketManager as Base\n\n\n"
        "class WebSocketManager(Base):\n    pass\n",
    ],
    ids=["attribute-base", "renamed-base"],
)
def test_same_named_classes_where_one_subclasses_the_other_do_not_fire(
    tmp_path: Path, unified: str
) -> None:
    result = scan(tmp_path, {**_SIBLING_CLASSES, "pkg/ws/unified.py": unified})
    assert located(result) == set()


def test_subclass_through_an_intermediate_base_does_not_fire(tmp_path: Path) -> None:
    result = scan(
        tmp_path,
        {
            **_SIBLING_CLASSES,
            "pkg/ws/base.py": (
                "from pkg.ws.manager import WebSocketManager as Root\n\n\n"
                "class Middle(Root):\n    pass\n"
            ),
            "pkg/ws/unified.py": (
                "from pkg.ws.base import Middle\n\n\nclass WebSocketManager(Middle):\n    pass\n"
            ),
        },
    )
    assert located(result) == set()


def test_namespaced_homonyms_imported_plainly_do_not_fire(tmp_path: Path) -> None:
    result = scan(
        tmp_path,
        {
            "pkg/__init__.py": "",
            "pkg/forms/__init__.py": "",
            "pkg/forms/fields.py": "class Field:\n    pass\n",
            "pkg/db/__init__.py": "",
            "pkg/db/models/__init__.py": "",
            "pkg/db/models/fields.py": "class Field:\n    pass\n",
            "pkg/a.py": "from pkg.forms.fields import Field\n",
            "pkg/b.py": "from pkg.forms.fields import Field\n",
            "pkg/c.py": "from pkg.db.models.fields import Field\n",
        },
    )
    assert located(result) == set()


def test_imports_that_rename_on_the_way_in_do_not_fire(tmp_path: Path) -> None:
    result = scan(
        tmp_path,
        {
            "pkg/__init__.py": "",
            "pkg/loaders/__init__.py": "",
            "pkg/loaders/base.py": "class Loader:\n    pass\n",
            "pkg/loaders/fs.py": "class Loader:\n    pass\n",
            "pkg/a.py": "from pkg.loaders.base import Loader\n",
            "pkg/b.py": "from pkg.loaders.base import Loader\n",
            "pkg/c.py": "from pkg.loaders.fs import Loader as FsLoader\n",
        },
    )
    assert located(result) == set()


def test_local_nickname_beside_its_class_does_not_fire(tmp_path: Path) -> None:
    result = scan(
        tmp_path,
        {
            "pkg/__init__.py": "",
            "pkg/gates/__init__.py": "",
            "pkg/gates/x.py": "class XGate:\n    pass\n\n\nX = XGate\n",
            "pkg/gates/y.py": "X = 1\n",
            "pkg/a.py": "from pkg.gates.x import X\n",
            "pkg/b.py": "from pkg.gates.x import X\n",
            "pkg/c.py": "from pkg.gates.y import X\n",
        },
    )
    assert located(result) == set()


def test_sibling_packages_as_paths_do_not_fire(tmp_path: Path) -> None:
    result = scan(
        tmp_path,
        {
            "pkg/__init__.py": "",
            "pkg/core/__init__.py": "from pkg.core.impl import Basic\n",
            "pkg/core/impl.py": "class Basic:\n    pass\n",
            "pkg/stats/__init__.py": "from pkg.stats.impl import Basic\n",
            "pkg/stats/impl.py": "class Basic:\n    pass\n",
            "pkg/a.py": "from pkg.core import Basic\n",
            "pkg/b.py": "from pkg.core import Basic\n",
            "pkg/c.py": "from pkg.stats import Basic\n",
        },
    )
    assert located(result) == set()


@pytest.mark.parametrize("deprecated", [True, False])
def test_import_already_reported_as_ssot001_is_not_reported_again(
    tmp_path: Path, deprecated: bool
) -> None:
    warning = "import warnings\n\nwarnings.warn('use manager', DeprecationWarning)\n\n\n"
    result = scan(
        tmp_path,
        {
            **_SIBLING_CLASSES,
            "pkg/ws/manager.py": _MANAGER,
            "pkg/ws/unified.py": (warning if deprecated else "") + _MANAGER,
        },
        select=("SSOT001", "SSOT003"),
    )
    if deprecated:
        assert located(result, "SSOT001") == {("pkg/c.py", 1, "SSOT001")}
        assert located(result) == set()
    else:  # the same import, not deprecated: SSOT003 reports it
        assert located(result, "SSOT001") == set()
        assert located(result) == {("pkg/c.py", 1, "SSOT003")}


# =====================================================================================
# 2. Watched names
# =====================================================================================

_WATCHED = {
    "pkg/__init__.py": "",
    "pkg/ws.py": "class WsManager:\n    pass\n",
    "pkg/db.py": "class DbManager:\n    pass\n",
    "pkg/tasks.py": "import os\n\n\ndef TaskManager():\n    pass\n",
    # Aliases: one to a rival object, one to the object that is kept.
    "pkg/cache.py": "from pkg.db import DbManager\n\nCacheManager = DbManager\n",
    "pkg/app.py": "from pkg.ws import WsManager\n\nAppManager = WsManager\n",
    "pkg/u1.py": "from pkg.ws import WsManager\n",
    "pkg/u2.py": "from pkg.ws import WsManager\n",
    # Does not match the pattern (case-sensitive, suffix).
    "pkg/misc.py": "class ManagerBase:\n    pass\n\n\nclass Wsmanager:\n    pass\n",
}


def test_watch_reports_every_extra_definition_and_rival_alias(tmp_path: Path) -> None:
    result = scan(tmp_path, _WATCHED, '[[tool.ssot-scan.watch]]\nname = "*Manager"\n')
    assert located(result) == {
        ("pkg/db.py", 1, "SSOT003"),
        ("pkg/tasks.py", 4, "SSOT003"),
        ("pkg/cache.py", 3, "SSOT003"),
    }
    assert {f.canonical for f in result.findings} == {"pkg.ws.WsManager"}
    alias = next(f for f in result.findings if f.path == "pkg/cache.py")
    assert alias.symbol == "pkg.db.DbManager"
    assert "CacheManager = DbManager" in alias.message


def test_watch_max_definitions_two_keeps_the_two_most_imported(tmp_path: Path) -> None:
    result = scan(
        tmp_path,
        _WATCHED,
        '[[tool.ssot-scan.watch]]\nname = "*Manager"\nmax-definitions = 2\n',
    )
    assert located(result) == {("pkg/tasks.py", 4, "SSOT003")}


def test_watch_within_the_limit_is_quiet(tmp_path: Path) -> None:
    result = scan(
        tmp_path,
        {
            "pkg/__init__.py": "",
            "pkg/ws.py": "class WsManager:\n    pass\n",
            "pkg/app.py": "from pkg.ws import WsManager\n\nAppManager = WsManager\n",
        },
        '[[tool.ssot-scan.watch]]\nname = "*Manager"\n',
    )
    assert located(result) == set()


_WITH_TESTS = {
    "pkg/__init__.py": "",
    "pkg/ws.py": "class WsManager:\n    pass\n",
    "tests/helpers.py": "class FakeManager:\n    pass\n",
    "tests/test_one.py": "from tests.helpers import FakeManager\n",
    "tests/test_two.py": "from tests.helpers import FakeManager\n",
    "tests/test_three.py": "from tests.helpers import FakeManager\n",
    "pkg/test_local.py": "class LocalManager:\n    pass\n",
    "conftest.py": "class FixtureManager:\n    pass\n",
}


def test_watch_leaves_test_modules_out_by_default(tmp_path: Path) -> None:
    result = scan(tmp_path, _WITH_TESTS, '[[tool.ssot-scan.watch]]\nname = "*Manager"\n')
    assert located(result) == set()


def test_watch_include_tests_keeps_the_most_imported_outside_tests(tmp_path: Path) -> None:
    # FakeManager is imported three times, WsManager never: it is still kept,
    # because imports and definitions in tests do not make the canonical one.
    result = scan(
        tmp_path,
        _WITH_TESTS,
        '[[tool.ssot-scan.watch]]\nname = "*Manager"\ninclude-tests = true\n',
    )
    assert located(result) == {
        ("tests/helpers.py", 1, "SSOT003"),
        ("pkg/test_local.py", 1, "SSOT003"),
        ("conftest.py", 1, "SSOT003"),
    }
    assert {f.canonical for f in result.findings} == {"pkg.ws.WsManager"}


def test_watch_keeps_the_most_imported_definition(tmp_path: Path) -> None:
    result = scan(
        tmp_path,
        {
            "pkg/__init__.py": "",
            "pkg/a.py": "class AManager:\n    pass\n",
            "pkg/b.py": "class BManager:\n    pass\n",
            "pkg/u1.py": "from pkg.b import BManager\n",
            "pkg/u2.py": "from pkg.b import BManager\n",
            "pkg/u3.py": "from pkg.a import AManager\n",
        },
        '[[tool.ssot-scan.watch]]\nname = "*Manager"\n',
    )
    finding = only(result)
    assert (finding.path, finding.line) == ("pkg/a.py", 1)
    assert finding.canonical == "pkg.b.BManager"


def test_watch_imports_from_tests_do_not_decide_the_kept_definition(tmp_path: Path) -> None:
    # BManager is imported three times, but only by tests; AManager once by the app.
    result = scan(
        tmp_path,
        {
            "pkg/__init__.py": "",
            "pkg/a.py": "class AManager:\n    pass\n",
            "pkg/b.py": "class BManager:\n    pass\n",
            "pkg/u.py": "from pkg.a import AManager\n",
            **{f"tests/test_{i}.py": "from pkg.b import BManager\n" for i in range(3)},
        },
        '[[tool.ssot-scan.watch]]\nname = "*Manager"\n',
    )
    finding = only(result)
    assert (finding.path, finding.line) == ("pkg/b.py", 1)
    assert finding.canonical == "pkg.a.AManager"


def test_watch_in_a_rule_pack_file_applies(tmp_path: Path) -> None:
    result = scan(
        tmp_path,
        {**_WATCHED, "rules.toml": '[[watch]]\nname = "*Manager"\nmax-definitions = 2\n'},
        'rule-packs = ["rules.toml"]\n',
    )
    assert located(result) == {("pkg/tasks.py", 4, "SSOT003")}


@pytest.mark.parametrize(
    "config",
    [
        '[[tool.ssot-scan.watch]]\nname = "*Manager"\n'
        "[tool.ssot-scan.competing-definitions]\nall-classes = true\n",
        '[[tool.ssot-scan.watch]]\nname = "*Manager"\n[[tool.ssot-scan.watch]]\nname = "Ws*"\n',
    ],
    ids=["watch-and-all-classes", "two-watch-rules"],
)
def test_definition_matched_twice_is_reported_once(tmp_path: Path, config: str) -> None:
    # Fixed bug (this test failed before the fix). The old behaviour:
    # each watch rule and all-classes report independently, so one extra
    # definition becomes two SSOT003 findings on the same line (counted twice in
    # the totals, with two fingerprints).
    result = scan(
        tmp_path,
        {
            "pkg/__init__.py": "",
            "pkg/a.py": "class WsManager:\n    pass\n",
            "pkg/b.py": "class WsManager:\n    pass\n",
            "pkg/u1.py": "from pkg.a import WsManager\n",
        },
        config,
    )
    assert [(f.path, f.line) for f in result.findings] == [("pkg/b.py", 1)]


# =====================================================================================
# 3. all-classes
# =====================================================================================

_DUPLICATE_CLASSES = {
    "pkg/__init__.py": "",
    "pkg/a.py": "class Config:\n    pass\n",
    "pkg/b.py": "import os\n\n\nclass Config:\n    pass\n",
    "pkg/c.py": "class Config:\n    pass\n",
    "pkg/u1.py": "from pkg.b import Config\n",
    "pkg/u2.py": "from pkg.b import Config\n",
    "pkg/m1.py": "class Migration:\n    pass\n",
    "pkg/m2.py": "class Migration:\n    pass\n",
    "pkg/single.py": "class Unique:\n    pass\n",
    "tests/test_a.py": "class Config:\n    pass\n\n\nclass Unique:\n    pass\n",
}


def test_duplicate_class_names_are_not_reported_by_default(tmp_path: Path) -> None:
    result = scan(tmp_path, _DUPLICATE_CLASSES)
    assert located(result) == set()


def test_all_classes_reports_duplicates_keeping_the_most_imported(tmp_path: Path) -> None:
    result = scan(
        tmp_path,
        _DUPLICATE_CLASSES,
        "[tool.ssot-scan.competing-definitions]\nall-classes = true\n",
    )
    assert located(result) == {
        ("pkg/a.py", 1, "SSOT003"),
        ("pkg/c.py", 1, "SSOT003"),
        ("pkg/m2.py", 1, "SSOT003"),  # of two unimported ones, one is kept
    }
    config_findings = [f for f in result.findings if f.path in ("pkg/a.py", "pkg/c.py")]
    assert {f.canonical for f in config_findings} == {"pkg.b.Config"}


def test_all_classes_leaves_out_ignore_names_patterns(tmp_path: Path) -> None:
    result = scan(
        tmp_path,
        _DUPLICATE_CLASSES,
        """\
        [tool.ssot-scan.competing-definitions]
        all-classes = true
        ignore-names = ["Migr*"]
        """,
    )
    assert located(result) == {("pkg/a.py", 1, "SSOT003"), ("pkg/c.py", 1, "SSOT003")}


def test_all_classes_ignore_names_exact_name(tmp_path: Path) -> None:
    result = scan(
        tmp_path,
        _DUPLICATE_CLASSES,
        """\
        [tool.ssot-scan.competing-definitions]
        all-classes = true
        ignore-names = ["Migration", "Config"]
        """,
    )
    assert located(result) == set()


# =====================================================================================
# Configuration errors
# =====================================================================================


def _usage_error(root: Path, table: str) -> str:
    (root / "pyproject.toml").write_text("[tool.ssot-scan]\n" + table, encoding="utf-8")
    with pytest.raises(UsageError) as caught:
        config = load_config([root])
        load_rule_packs(config, [])
    return str(caught.value)


def test_unknown_key_in_watch_table_is_an_error_naming_the_key(tmp_path: Path) -> None:
    message = _usage_error(
        tmp_path, '[[tool.ssot-scan.watch]]\nname = "*Manager"\nmax-definition = 2\n'
    )
    assert "watch[0]" in message
    assert "'max-definition'" in message
    assert "max-definitions" in message  # the did-you-mean


def test_max_definitions_zero_is_an_error(tmp_path: Path) -> None:
    message = _usage_error(
        tmp_path, '[[tool.ssot-scan.watch]]\nname = "*Manager"\nmax-definitions = 0\n'
    )
    assert "max-definitions" in message
    assert "at least 1" in message


def test_watch_without_a_name_is_an_error(tmp_path: Path) -> None:
    message = _usage_error(tmp_path, "[[tool.ssot-scan.watch]]\nmax-definitions = 2\n")
    assert "watch[0]" in message
    assert "'name'" in message


def test_unknown_key_in_competing_definitions_table_is_an_error(tmp_path: Path) -> None:
    message = _usage_error(tmp_path, "[tool.ssot-scan.competing-definitions]\nall-class = true\n")
    assert "competing-definitions" in message
    assert "'all-class'" in message


def test_a_deprecated_definition_is_never_the_canonical_one(tmp_path: Path) -> None:
    # The deprecated path is imported more often. Choosing it as canonical made the
    # one import of the live class a finding ("move to the deprecated one"); now the
    # live class is canonical and the deprecated imports are SSOT001's business.
    result = scan(
        tmp_path,
        {
            "pkg/__init__.py": "",
            "pkg/ws/__init__.py": "",
            "pkg/ws/legacy.py": "import warnings\n"
            'warnings.warn("pkg.ws.legacy is deprecated", DeprecationWarning)\n'
            "class Manager: ...\n",
            "pkg/ws/core.py": "class Manager: ...\n",
            "pkg/a.py": "from pkg.ws.legacy import Manager\n",
            "pkg/b.py": "from pkg.ws.legacy import Manager\n",
            "pkg/c.py": "from pkg.ws.core import Manager\n",
        },
        select=("SSOT001", "SSOT003"),
    )
    assert {(f.path, f.code) for f in result.findings} == {
        ("pkg/a.py", "SSOT001"),
        ("pkg/b.py", "SSOT001"),
    }


@pytest.mark.parametrize("module", ["old_manager", "legacy_manager", "manager_compat"])
def test_a_legacy_module_defining_the_name_again_fires(tmp_path: Path, module: str) -> None:
    # sympy: `old_fractionfield.FractionField` beside `fractionfield.FractionField`,
    # a rewrite rather than a copy, kept under an "old" name.
    files = {
        **_SIBLING_CLASSES,
        "pkg/ws/manager.py": _MANAGER,
        f"pkg/ws/{module}.py": _MANAGER.replace("pass", "return 1"),
        "pkg/c.py": f"from pkg.ws.{module} import WebSocketManager\n",
    }
    assert located(scan(tmp_path, files)) == {("pkg/c.py", 1, "SSOT003")}


def test_the_finding_sits_at_live_code_before_tests_and_backups_and_lists_the_rest(
    tmp_path: Path,
) -> None:
    files = {
        **_SIBLING_CLASSES,
        "pkg/ws/manager.py": _MANAGER,
        "pkg/ws/unified.py": _MANAGER,
        "pkg/c.py": "from pkg.ws.manager import WebSocketManager\n",
        "pkg/d.py": "from pkg.ws.manager import WebSocketManager\n",
        "backups/old_tree/pkg_copy.py": "from pkg.ws.unified import WebSocketManager\n",
        "tests/test_ws.py": "from pkg.ws.unified import WebSocketManager\n",
        "pkg/z_live.py": "from pkg.ws.unified import WebSocketManager\n",
    }
    finding = only(scan(tmp_path, files))
    assert (finding.path, finding.line) == ("pkg/z_live.py", 1)
    assert finding.message.endswith(
        "; also imported so at tests/test_ws.py:1, backups/old_tree/pkg_copy.py:1"
    )


def test_the_definition_to_keep_is_chosen_in_the_concepts_home(tmp_path: Path) -> None:
    # Seen: a service's `HealthMonitor` "canonicalised" onto another service's class,
    # more imported, that merely shares the name.
    monitor = _MANAGER.replace("WebSocketManager", "HealthMonitor")
    other = monitor.replace("pass", "return None")
    files = {
        "svc_a/__init__.py": "",
        "svc_a/health.py": monitor,
        "svc_a/health_copy.py": monitor,
        "svc_a/app.py": "from svc_a.health import HealthMonitor\n",
        "svc_a/worker.py": "from svc_a.health_copy import HealthMonitor\n",
        "svc_a/cli.py": "from svc_a.health import HealthMonitor\n",
        "svc_b/__init__.py": "",
        "svc_b/monitor.py": other,
        **{f"svc_b/u{i}.py": "from svc_b.monitor import HealthMonitor\n" for i in range(5)},
    }
    finding = only(scan(tmp_path, files))
    assert (finding.path, finding.canonical) == ("svc_a/worker.py", "svc_a.health.HealthMonitor")
    assert "svc_b" not in finding.message


def test_a_test_checking_that_an_old_copy_warns_is_no_competition(tmp_path: Path) -> None:
    # statsmodels: smoothers_lowess_old.lowess warns FutureWarning when called, and
    # only test_smoothers_lowess_old_deprecated imports it, to check that it does.
    files = {
        "pkg/__init__.py": "",
        "pkg/smoothers_lowess.py": "def lowess(x):\n    return x\n",
        "pkg/smoothers_lowess_old.py": (
            "import warnings\n\ndef lowess(x):\n"
            "    warnings.warn('lowess_old.lowess is deprecated', FutureWarning)\n"
            "    return x\n"
        ),
        "pkg/a.py": "from pkg.smoothers_lowess import lowess\n",
        "pkg/b.py": "from pkg.smoothers_lowess import lowess\n",
        "tests/test_deprecated.py": (
            "import pytest\n\ndef test_old_lowess_warns():\n"
            "    from pkg.smoothers_lowess_old import lowess\n"
            "    with pytest.warns(FutureWarning):\n        lowess(1)\n"
        ),
    }
    assert located(scan(tmp_path / "one", files)) == set()
    # A test that only uses the old copy is still told which one to import.
    files["tests/test_deprecated.py"] = files["tests/test_deprecated.py"].replace(
        "pytest.warns(FutureWarning)", "pytest.warns(UserWarning)"
    )
    assert located(scan(tmp_path / "two", files)) == {("tests/test_deprecated.py", 4, "SSOT003")}


def test_paths_are_paired_with_their_siblings_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # ``connect`` defined in 120 packages, each imported from its own: only paths of
    # one package can compete, so the work grows with the paths, not with their
    # pairs (every pair of 120 paths was compared: 7,140 pairs, two parents each).
    files = {f"p{i:03d}/__init__.py": "" for i in range(120)}
    for i in range(120):
        files[f"p{i:03d}/core.py"] = "def connect():\n    pass\n"
        files[f"p{i:03d}/user.py"] = f"from p{i:03d}.core import connect\n"
    files.update(_COMPAT)  # ... and one package where a compat path competes
    from ssot_scan import analysis, competition

    asked: list[str] = []
    parent = competition.dotted.parent
    names = competition.competing_names
    counting = False

    def counted(name: str) -> str:
        if counting:
            asked.append(name)
        return parent(name)

    def competing_names(*args: Any) -> Any:
        nonlocal counting
        counting = True
        try:
            return names(*args)
        finally:
            counting = False

    monkeypatch.setattr(competition.dotted, "parent", counted)
    monkeypatch.setattr(analysis, "competing_names", competing_names)
    result = scan(tmp_path, files)
    assert located(result) == {("pkg/c.py", 1, "SSOT003")}
    assert 0 < len(asked) < 10 * 125, len(asked)  # was 2 per pair of paths: 14,895
