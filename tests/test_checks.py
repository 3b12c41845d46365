"""SSOT001 (deprecated-import) and SSOT002 (non-canonical-import) on small projects.

Each test writes a project into ``tmp_path`` (``pyproject.toml`` with
``[tool.ssot-scan]`` at the root, code under ``pkg/``), runs the full scan and
compares the exact ``(path, line, code)`` set.
"""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import pytest
from helpers import Located, located, scan_project

from ssot_scan.config import Config
from ssot_scan.findings import Replacement
from ssot_scan.fragmentation import Fragment
from ssot_scan.report.json_report import result_json
from ssot_scan.result import ScanResult


def scan(
    root: Path,
    files: dict[str, str],
    config: str = "",
    canonical_policy: Optional[str] = None,
) -> ScanResult:
    """Write ``files`` plus a pyproject (``config`` appended to its table) and scan.

    These tests pin SSOT001/SSOT002 semantics; the other checks have their own.
    """

    def policy(loaded: Config) -> None:
        if canonical_policy is not None:
            loaded.canonical_policy = canonical_policy

    return scan_project(root, files, config, ["SSOT000", "SSOT001", "SSOT002"], policy)


def suppressed(result: ScanResult) -> Located:
    return {(f.path, f.line, f.code) for f in result.suppressed}


def fragment(result: ScanResult, symbol: str) -> Fragment:
    matches = [f for f in result.fragments if f.symbol == symbol]
    assert len(matches) == 1, [f.symbol for f in result.fragments]
    return matches[0]


# =====================================================================================
# SSOT001 deprecated-import
# =====================================================================================

_DEPRECATED_MODULE_RULE = """\
    [[tool.ssot-scan.deprecated]]
    module = "pkg.old"
    replacement = "pkg.new"
    """


def test_rule_pack_module_inline_in_pyproject_is_flagged(tmp_path: Path) -> None:
    result = scan(
        tmp_path,
        {
            "pkg/__init__.py": "",
            "pkg/old.py": "X = 1\n",
            "pkg/new.py": "X = 1\n",
            "pkg/a.py": "import pkg.old\n",
            "pkg/b.py": "from pkg.old import X\n",
            "pkg/c.py": "from pkg import old\n",
            "pkg/d.py": "from pkg.new import X\n",
        },
        _DEPRECATED_MODULE_RULE,
    )
    assert located(result) == {
        ("pkg/a.py", 1, "SSOT001"),
        ("pkg/b.py", 1, "SSOT001"),
        ("pkg/c.py", 1, "SSOT001"),
    }
    assert {f.canonical for f in result.findings} == {"pkg.new"}


def test_a_function_with_one_deprecated_overload_is_no_ssot001(tmp_path: Path) -> None:
    files = {
        "pkg/__init__.py": "",
        "pkg/sysconfig.py": (
            "from typing import overload\nfrom warnings import deprecated\n\n"
            "@overload\n@deprecated('SO is deprecated, use EXT_SUFFIX')\n"
            "def get_config_var(name: Literal['SO']) -> str: ...\n"
            "@overload\ndef get_config_var(name: str) -> str: ...\n"
            "def get_config_var(name):\n    return name\n\n"
            "@deprecated('use get_config_var')\ndef get_var(name):\n    return name\n"
        ),
        "pkg/a.py": "from pkg.sysconfig import get_config_var\n",
        "pkg/b.py": "from pkg.sysconfig import get_var\n",
    }
    assert located(scan(tmp_path, files)) == {("pkg/b.py", 1, "SSOT001")}


def test_rule_pack_file_named_in_rule_packs_is_applied(tmp_path: Path) -> None:
    result = scan(
        tmp_path,
        {
            "rules.toml": '[[deprecated]]\nmodule = "pkg.old"\nreplacement = "pkg.new"\n',
            "pkg/__init__.py": "",
            "pkg/old.py": "X = 1\n",
            "pkg/new.py": "X = 1\n",
            "pkg/a.py": "import pkg.old\n",
        },
        'rule-packs = ["rules.toml"]\n',
    )
    assert located(result) == {("pkg/a.py", 1, "SSOT001")}


def test_rule_pack_symbol_is_matched_through_a_reexport_chain(tmp_path: Path) -> None:
    result = scan(
        tmp_path,
        {
            "pkg/__init__.py": "",
            "pkg/impl.py": "class Router:\n    pass\n\nclass Other:\n    pass\n",
            "pkg/api/__init__.py": "from pkg.impl import Router, Other\n",
            "pkg/mid.py": '__all__ = ["Router"]\nfrom pkg.api import Router\n',
            "pkg/a.py": "from pkg.mid import Router\n",
            "pkg/b.py": "from pkg.impl import Router\n",
            "pkg/c.py": "from pkg.api import Other\n",
        },
        """\
        [[tool.ssot-scan.deprecated]]
        symbol = "pkg.impl.Router"
        """,
    )
    assert located(result) == {("pkg/a.py", 1, "SSOT001"), ("pkg/b.py", 1, "SSOT001")}
    assert {f.symbol for f in result.findings} == {"pkg.impl.Router"}


@pytest.mark.parametrize(
    "call",
    [
        'warnings.warn("pkg.dep is deprecated", DeprecationWarning)',
        'warnings.warn("pkg.dep is deprecated", PendingDeprecationWarning, stacklevel=2)',
        'warnings.warn("pkg.dep is deprecated", FutureWarning)',
        'warnings.warn("pkg.dep is deprecated", category=DeprecationWarning)',
        'warnings.warn(message="pkg.dep is deprecated", category=FutureWarning)',
    ],
)
def test_module_level_deprecation_warning_deprecates_the_module(tmp_path: Path, call: str) -> None:
    result = scan(
        tmp_path,
        {
            "pkg/__init__.py": "",
            "pkg/dep.py": f"import warnings\n\n{call}\n",
            "pkg/user.py": "import pkg.dep\n",
        },
    )
    assert located(result) == {("pkg/user.py", 1, "SSOT001")}


def test_project_subclass_of_deprecation_warning_from_another_module_counts(
    tmp_path: Path,
) -> None:
    result = scan(
        tmp_path,
        {
            "pkg/__init__.py": "",
            "pkg/errors.py": "class OurWarning(DeprecationWarning):\n    pass\n",
            "pkg/dep.py": (
                "import warnings\n"
                "from pkg.errors import OurWarning\n"
                'warnings.warn("going away", OurWarning)\n'
            ),
            "pkg/user.py": "import pkg.dep\n",
        },
    )
    assert located(result) == {("pkg/user.py", 1, "SSOT001")}


def test_class_named_deprecation_warning_deriving_user_warning_counts(tmp_path: Path) -> None:
    result = scan(
        tmp_path,
        {
            "pkg/__init__.py": "",
            "pkg/errors.py": "class RemovedDeprecationWarning(UserWarning):\n    pass\n",
            "pkg/dep.py": (
                "import warnings\n"
                "from pkg import errors\n"
                'warnings.warn("going away", errors.RemovedDeprecationWarning)\n'
            ),
            "pkg/user.py": "import pkg.dep\n",
        },
    )
    assert located(result) == {("pkg/user.py", 1, "SSOT001")}


def test_plain_user_warning_subclass_does_not_deprecate(tmp_path: Path) -> None:
    result = scan(
        tmp_path,
        {
            "pkg/__init__.py": "",
            "pkg/errors.py": "class Notice(UserWarning):\n    pass\n",
            "pkg/dep.py": (
                "import warnings\n"
                "from pkg.errors import Notice\n"
                'warnings.warn("pkg.dep is deprecated", Notice)\n'
            ),
            "pkg/user.py": "import pkg.dep\n",
        },
    )
    assert located(result) == set()


def test_warning_inside_a_function_does_not_deprecate_the_module(tmp_path: Path) -> None:
    result = scan(
        tmp_path,
        {
            "pkg/__init__.py": "",
            "pkg/dep.py": """\
                import warnings

                def old():
                    warnings.warn("pkg.dep.old is deprecated", DeprecationWarning)

                class Thing:
                    def method(self):
                        warnings.warn("pkg.dep is deprecated", DeprecationWarning)
                """,
            "pkg/user.py": "import pkg.dep\nfrom pkg.dep import old\n",
        },
    )
    assert located(result) == set()


def test_warning_under_module_level_if_or_import_guard_counts(tmp_path: Path) -> None:
    result = scan(
        tmp_path,
        {
            "pkg/__init__.py": "",
            "pkg/under_if.py": """\
                import sys
                import warnings

                if sys.version_info >= (3,):
                    warnings.warn("pkg.under_if is deprecated", DeprecationWarning)
                """,
            "pkg/under_except.py": """\
                import warnings

                try:
                    import fastjson
                except ImportError:
                    warnings.warn(
                        "pkg.under_except is deprecated", PendingDeprecationWarning
                    )
                """,
            "pkg/user.py": "import pkg.under_if\nimport pkg.under_except\n",
        },
    )
    assert located(result) == {("pkg/user.py", 1, "SSOT001"), ("pkg/user.py", 2, "SSOT001")}


def test_conditional_warning_about_something_else_does_not_deprecate(tmp_path: Path) -> None:
    result = scan(
        tmp_path,
        {
            "pkg/__init__.py": "",
            "pkg/db.py": """\
                import warnings

                try:
                    import cx_Oracle
                except ImportError:
                    warnings.warn("cx_Oracle 7 is deprecated", DeprecationWarning)
                """,
            "pkg/user.py": "import pkg.db\n",
        },
    )
    assert located(result) == set()


_DEPRECATED_FUNCTION_PROJECT = {
    "pkg/__init__.py": "",
    "pkg/new.py": "def func():\n    pass\n",
    "pkg/old.py": """\
        from typing_extensions import deprecated

        @deprecated("use pkg.new.func")
        def func():
            pass

        @deprecated("use pkg.gone.func instead")
        def vanished():
            pass

        @deprecated("was pkg.gone.Klass, now pkg.new.func")
        class Klass:
            pass
        """,
    "pkg/reexport.py": '__all__ = ["func"]\nfrom pkg.old import func\n',
    "pkg/alias.py": "from pkg.old import func\n\nget = func\n",
    "pkg/direct_user.py": "from pkg.old import func\n",
    "pkg/reexport_user.py": "from pkg.reexport import func\n",
    "pkg/alias_user.py": "from pkg.alias import get\n",
    "pkg/vanished_user.py": "from pkg.old import vanished\n",
    "pkg/klass_user.py": "from pkg.old import Klass\n",
}


def test_deprecated_function_is_caught_directly_via_reexport_and_via_alias(
    tmp_path: Path,
) -> None:
    result = scan(tmp_path, _DEPRECATED_FUNCTION_PROJECT)
    users = {(f.path, f.line, f.code) for f in result.findings if f.symbol == "pkg.old.func"}
    assert users == {
        ("pkg/direct_user.py", 1, "SSOT001"),
        ("pkg/reexport_user.py", 1, "SSOT001"),
        ("pkg/alias_user.py", 1, "SSOT001"),
    }


def test_deprecated_function_canonical_is_the_replacement_named_in_the_message(
    tmp_path: Path,
) -> None:
    result = scan(tmp_path, _DEPRECATED_FUNCTION_PROJECT)
    advice = {f.path: f.replacement for f in result.findings if f.code == "SSOT001"}
    # The message names the successor `pkg.new.func`: import `func` from `pkg.new`
    # (canonical is the module to import from, as for SSOT002).
    successor = ("pkg.new", "func", False)
    assert _triple(advice["pkg/direct_user.py"]) == successor
    assert _triple(advice["pkg/reexport_user.py"]) == successor
    assert _triple(advice["pkg/alias_user.py"]) == successor
    canonical = {f.path: f.canonical for f in result.findings if f.code == "SSOT001"}
    assert canonical["pkg/direct_user.py"] == "pkg.new"


def test_dotted_path_in_message_that_does_not_exist_is_not_the_replacement(
    tmp_path: Path,
) -> None:
    result = scan(tmp_path, _DEPRECATED_FUNCTION_PROJECT)
    advice = {f.path: f.replacement for f in result.findings if f.code == "SSOT001"}
    assert advice["pkg/vanished_user.py"] is None
    assert _triple(advice["pkg/klass_user.py"]) == ("pkg.new", "func", False)


def test_reexport_in_package_init_is_not_a_finding_but_its_uses_are(tmp_path: Path) -> None:
    result = scan(
        tmp_path,
        {
            "pkg/__init__.py": "",
            "pkg/impl.py": "class Router:\n    pass\n",
            "pkg/api/__init__.py": "from pkg.impl import Router\n",
            "pkg/user.py": "from pkg.api import Router\n",
        },
        """\
        [[tool.ssot-scan.deprecated]]
        symbol = "pkg.impl.Router"
        """,
    )
    assert located(result) == {("pkg/user.py", 1, "SSOT001")}


_DEPRECATED_PACKAGE = {
    "dep/__init__.py": "from dep.sub import helper\nimport dep.tools\n",
    "dep/sub.py": "def helper():\n    pass\n",
    "dep/tools.py": "from dep.sub import helper\nfrom dep import sub\nimport dep\n",
    "pkg/__init__.py": "",
    "pkg/import_sub.py": "import dep.sub\n",
    "pkg/from_dep_import_sub.py": "from dep import sub\n",
    "pkg/from_sub_import.py": "from dep.sub import helper\n",
}


def test_submodule_of_deprecated_package_is_not_deprecated_but_from_import_is(
    tmp_path: Path,
) -> None:
    result = scan(
        tmp_path,
        _DEPRECATED_PACKAGE,
        '[[tool.ssot-scan.deprecated]]\nmodule = "dep"\n',
    )
    assert located(result) == {("pkg/from_dep_import_sub.py", 1, "SSOT001")}


def test_submodules_true_makes_submodule_imports_findings(tmp_path: Path) -> None:
    result = scan(
        tmp_path,
        _DEPRECATED_PACKAGE,
        '[[tool.ssot-scan.deprecated]]\nmodule = "dep"\nsubmodules = true\n',
    )
    assert located(result) == {
        ("pkg/import_sub.py", 1, "SSOT001"),
        ("pkg/from_dep_import_sub.py", 1, "SSOT001"),
        ("pkg/from_sub_import.py", 1, "SSOT001"),
    }


def test_imports_between_modules_inside_a_deprecated_package_are_not_findings(
    tmp_path: Path,
) -> None:
    result = scan(
        tmp_path,
        _DEPRECATED_PACKAGE,
        '[[tool.ssot-scan.deprecated]]\nmodule = "dep"\nsubmodules = true\n',
    )
    assert {path for path, _, _ in located(result)} == {
        "pkg/import_sub.py",
        "pkg/from_dep_import_sub.py",
        "pkg/from_sub_import.py",
    }


def test_imports_made_by_a_deprecated_module_are_not_findings(tmp_path: Path) -> None:
    # Fixed bug (this test failed before the fix). The old behaviour:
    # DeprecatedImport exempts a deprecated module's imports only when they
    # target the module itself (or, for a package, its own submodules), so a
    # deprecated shim that imports another deprecated module is reported, although
    # the check's docstring says "Not reported: ... imports made by a deprecated
    # module". Reproduction: this project gives SSOT001 at pkg/old.py:2 and :3.
    result = scan(
        tmp_path,
        {
            "pkg/__init__.py": "",
            "pkg/older.py": "X = 1\n",
            "pkg/old.py": """\
                import warnings
                from pkg.older import X
                import pkg.older

                warnings.warn("pkg.old is deprecated", DeprecationWarning)
                """,
            "pkg/user.py": "import pkg.old\n",
        },
        '[[tool.ssot-scan.deprecated]]\nmodule = "pkg.older"\n',
    )
    assert located(result) == {("pkg/user.py", 1, "SSOT001")}


def test_stdlib_rule_pack_by_name(tmp_path: Path) -> None:
    result = scan(
        tmp_path,
        {
            "pkg/__init__.py": "",
            "pkg/uses_imp.py": "import imp\n",
            "pkg/old_abc.py": "from collections import Mapping\n",
            "pkg/new_abc.py": "from collections.abc import Mapping\n",
            "pkg/plain.py": "import collections\nfrom collections import OrderedDict\n",
        },
        'rule-packs = ["python-stdlib"]\n',
    )
    assert located(result) == {
        ("pkg/uses_imp.py", 1, "SSOT001"),
        ("pkg/old_abc.py", 1, "SSOT001"),
    }
    by_path = {f.path: f for f in result.findings}
    assert by_path["pkg/old_abc.py"].canonical == "collections.abc.Mapping"


def test_reexported_stdlib_deprecated_symbol_is_caught_at_its_uses(tmp_path: Path) -> None:
    # Fixed bug (this test failed before the fix). The old behaviour:
    # the re-export in pkg/compat.py is (by design) not a finding, but the use in
    # pkg/user.py is not one either: for a symbol outside the scanned code,
    # DeprecatedImport looks up only the literal `pkg.compat.Mapping`, never the
    # resolved `collections.Mapping` (SymbolTable resolves it to external
    # `collections.Mapping`). So the deprecated import escapes entirely.
    # Reproduction: this project, with rule-packs = ["python-stdlib"], gives no finding.
    result = scan(
        tmp_path,
        {
            "pkg/__init__.py": "",
            "pkg/compat.py": '__all__ = ["Mapping"]\nfrom collections import Mapping\n',
            "pkg/user.py": "from pkg.compat import Mapping\n",
        },
        'rule-packs = ["python-stdlib"]\n',
    )
    assert located(result) == {("pkg/user.py", 1, "SSOT001")}


def test_module_shadowed_by_a_package_is_not_deprecated(tmp_path: Path) -> None:
    result = scan(
        tmp_path,
        {
            "pkg/__init__.py": "",
            "pkg/old.py": (
                'import warnings\nwarnings.warn("pkg.old is deprecated", DeprecationWarning)\n'
            ),
            "pkg/old/__init__.py": "X = 1\n",
            "pkg/user.py": "import pkg.old\nfrom pkg.old import X\n",
        },
    )
    assert located(result) == set()


# =====================================================================================
# SSOT002 non-canonical-import
# =====================================================================================

# `Thing` is defined in pkg.core.thing, published by pkg.impl and pkg.facade
# (`X as X`), and reachable by accident through pkg.helpers, which imports it for its
# own use. Usage: 3 sites via pkg.impl, 2 via pkg.facade, 1 via the defining module,
# 1 via pkg.helpers.
_FRAGMENTED = {
    "pkg/__init__.py": "",
    "pkg/core/__init__.py": "",
    "pkg/core/thing.py": "class Thing:\n    pass\n",
    "pkg/impl.py": "from pkg.core.thing import Thing as Thing\n",
    "pkg/facade.py": "from pkg.core.thing import Thing as Thing\n",
    "pkg/helpers.py": "from pkg.core.thing import Thing\n\ndef make():\n    return Thing()\n",
    "pkg/u1.py": "from pkg.impl import Thing\n",
    "pkg/u2.py": "from pkg.impl import Thing\n",
    "pkg/u3.py": "from pkg.impl import Thing\n",
    "pkg/u4.py": "from pkg.facade import Thing\n",
    "pkg/u5.py": "from pkg.facade import Thing\n",
    "pkg/u6.py": "from pkg.core.thing import Thing\n",
    "pkg/u7.py": "from pkg.helpers import Thing\n",
}
_THING = "pkg.core.thing.Thing"
_REPORT_PUBLISHED = "[tool.ssot-scan.non-canonical]\nreport-published = true\n"


def test_most_used_policy_picks_the_path_with_most_sites(tmp_path: Path) -> None:
    result = scan(tmp_path, _FRAGMENTED)
    assert fragment(result, _THING).canonical == "pkg.impl"
    assert located(result) == {("pkg/u7.py", 1, "SSOT002")}
    assert result.findings[0].canonical == "pkg.impl"


def test_most_used_tie_goes_to_the_shortest_dotted_path(tmp_path: Path) -> None:
    result = scan(
        tmp_path,
        {
            "pkg/__init__.py": "",
            "pkg/core/__init__.py": "",
            "pkg/core/thing.py": "class Thing:\n    pass\n",
            "pkg/compat/__init__.py": "",
            "pkg/compat/shim.py": "from pkg.core.thing import Thing as Thing\n",
            "pkg/abc.py": "from pkg.core.thing import Thing as Thing\n",
            "pkg/ab.py": "from pkg.core.thing import Thing as Thing\n",
            "pkg/helpers.py": "from pkg.core.thing import Thing\n\nDEFAULT = Thing()\n",
            "pkg/u1.py": "from pkg.compat.shim import Thing\n",
            "pkg/u2.py": "from pkg.abc import Thing\n",
            "pkg/u3.py": "from pkg.ab import Thing\n",
            "pkg/u4.py": "from pkg.helpers import Thing\n",
        },
    )
    assert fragment(result, _THING).canonical == "pkg.ab"
    assert located(result) == {("pkg/u4.py", 1, "SSOT002")}


def test_definition_policy_picks_the_defining_module(tmp_path: Path) -> None:
    result = scan(tmp_path, _FRAGMENTED, canonical_policy="definition")
    assert fragment(result, _THING).canonical == "pkg.core.thing"
    assert located(result) == {("pkg/u7.py", 1, "SSOT002")}
    assert result.findings[0].canonical == "pkg.core.thing"


def test_definition_policy_from_config(tmp_path: Path) -> None:
    result = scan(tmp_path, _FRAGMENTED, 'canonical-policy = "definition"\n')
    assert fragment(result, _THING).canonical == "pkg.core.thing"


def _private_fragmented() -> dict[str, str]:
    """``_FRAGMENTED`` with its most-used publisher private: ``pkg._impl``."""
    return {
        name.replace("pkg/impl.py", "pkg/_impl.py"): text.replace("pkg.impl", "pkg._impl")
        for name, text in _FRAGMENTED.items()
    }


def test_shortest_public_policy_skips_the_private_path(tmp_path: Path) -> None:
    result = scan(tmp_path, _private_fragmented(), canonical_policy="shortest-public")
    assert fragment(result, _THING).canonical == "pkg.facade"
    assert located(result) == {("pkg/u7.py", 1, "SSOT002")}
    assert result.findings[0].canonical == "pkg.facade"


def test_derived_canonical_does_not_report_published_paths_by_default(tmp_path: Path) -> None:
    result = scan(tmp_path, _FRAGMENTED)
    assert {path for path, _, _ in located(result)} == {"pkg/u7.py"}


def test_report_published_reports_sites_through_published_paths(tmp_path: Path) -> None:
    result = scan(tmp_path, _FRAGMENTED, _REPORT_PUBLISHED)
    assert located(result) == {
        ("pkg/u4.py", 1, "SSOT002"),
        ("pkg/u5.py", 1, "SSOT002"),
        ("pkg/u7.py", 1, "SSOT002"),
    }


def test_derived_canonical_tolerates_defining_module_and_reexporting_parent_package(
    tmp_path: Path,
) -> None:
    result = scan(
        tmp_path,
        {
            **_FRAGMENTED,
            "pkg/core/__init__.py": "from pkg.core.thing import Thing\n",
            "pkg/u8.py": "from pkg.core import Thing\n",
        },
        _REPORT_PUBLISHED,
    )
    assert fragment(result, _THING).canonical == "pkg.impl"
    assert located(result) == {
        ("pkg/u4.py", 1, "SSOT002"),
        ("pkg/u5.py", 1, "SSOT002"),
        ("pkg/u7.py", 1, "SSOT002"),
    }


def test_declared_canonical_wins_over_most_used_and_is_strict(tmp_path: Path) -> None:
    result = scan(
        tmp_path,
        _FRAGMENTED,
        """\
        [[tool.ssot-scan.canonical]]
        symbol = "pkg.core.thing.Thing"
        path = "pkg.facade"
        """,
    )
    found = fragment(result, _THING)
    assert (found.canonical, found.declared) == ("pkg.facade", True)
    assert located(result) == {
        ("pkg/helpers.py", 1, "SSOT002"),  # imports from the defining module
        ("pkg/u1.py", 1, "SSOT002"),
        ("pkg/u2.py", 1, "SSOT002"),
        ("pkg/u3.py", 1, "SSOT002"),
        ("pkg/u6.py", 1, "SSOT002"),
        ("pkg/u7.py", 1, "SSOT002"),
    }


def test_reexport_sites_are_not_findings_and_not_counted(tmp_path: Path) -> None:
    result = scan(
        tmp_path,
        {
            **_FRAGMENTED,
            # Five re-exports through the accidental pkg.helpers path.
            "pkg/sub/__init__.py": "from pkg.helpers import Thing\n",
            "pkg/listed.py": '__all__ = ["Thing"]\nfrom pkg.helpers import Thing\n',
            "pkg/explicit.py": "from pkg.helpers import Thing as Thing\n",
            "pkg/starred.py": "from pkg.helpers import *\n",
            "pkg/republished.py": "from pkg.helpers import Thing\n\nManager = Thing\n",
        },
        _REPORT_PUBLISHED,
    )
    found = fragment(result, _THING)
    assert found.canonical == "pkg.impl"
    assert found.counts["pkg.helpers"] == 1
    assert found.counts["pkg.facade"] == 2
    assert found.counts["pkg.impl"] == 3
    assert located(result) == {
        ("pkg/u4.py", 1, "SSOT002"),
        ("pkg/u5.py", 1, "SSOT002"),
        ("pkg/u7.py", 1, "SSOT002"),
    }


def test_site_reported_as_ssot001_is_not_also_ssot002(tmp_path: Path) -> None:
    result = scan(
        tmp_path,
        {
            **_FRAGMENTED,
            "pkg/oldshim.py": "from pkg.core.thing import Thing\n\nDEFAULT = Thing()\n",
            "pkg/u8.py": "from pkg.oldshim import Thing\n",
        },
        '[[tool.ssot-scan.deprecated]]\nmodule = "pkg.oldshim"\n',
    )
    assert fragment(result, _THING).canonical == "pkg.impl"
    assert located(result) == {("pkg/u7.py", 1, "SSOT002"), ("pkg/u8.py", 1, "SSOT001")}


def test_import_inside_canonical_package_from_its_own_submodule_is_not_a_finding(
    tmp_path: Path,
) -> None:
    result = scan(
        tmp_path,
        {
            "pkg/__init__.py": "",
            "pkg/core/__init__.py": "from pkg.core.thing import Thing\n",
            "pkg/core/thing.py": "class Thing:\n    pass\n",
            "pkg/core/user.py": "from pkg.core.thing import Thing\n",
            "pkg/outside.py": "from pkg.core.thing import Thing\n",
            "pkg/good.py": "from pkg.core import Thing\n",
        },
        """\
        [[tool.ssot-scan.canonical]]
        symbol = "pkg.core.thing.Thing"
        path = "pkg.core"
        """,
    )
    assert fragment(result, _THING).canonical == "pkg.core"
    assert located(result) == {("pkg/outside.py", 1, "SSOT002")}


def test_symbol_imported_through_one_path_produces_nothing(tmp_path: Path) -> None:
    result = scan(
        tmp_path,
        {
            "pkg/__init__.py": "",
            "pkg/solo.py": "class Thing:\n    pass\n",
            "pkg/facade.py": "from pkg.solo import Thing as Thing\n",
            "pkg/u1.py": "from pkg.solo import Thing\n",
            "pkg/u2.py": "from pkg.solo import Thing\n",
        },
        'canonical-policy = "shortest-public"\n' + _REPORT_PUBLISHED,
    )
    assert located(result) == set()
    assert result.fragments == []


def test_message_names_the_canonical_path_and_the_site_counts(tmp_path: Path) -> None:
    result = scan(tmp_path, _FRAGMENTED, _REPORT_PUBLISHED)
    by_path = {f.path: f for f in result.findings}
    message = by_path["pkg/u4.py"].message
    assert "`pkg.impl`" in message
    assert "`pkg.facade`" in message
    assert "3 sites" in message  # the canonical path's count
    assert "2 sites" in message  # this path's count
    assert by_path["pkg/u4.py"].canonical == "pkg.impl"
    assert by_path["pkg/u4.py"].imported_from == "pkg.facade"


# =====================================================================================
# Suppression
# =====================================================================================

# pkg.mixed imports Thing and the deprecated oldfunc for its own use, so importing
# them from it is an SSOT002 (accidental path) and an SSOT001 in one statement.
_MIXED = {
    **_FRAGMENTED,
    "pkg/gone.py": "def oldfunc():\n    pass\n",
    "pkg/mixed.py": """\
        from pkg.core.thing import Thing
        from pkg.gone import oldfunc  # ssot: ignore

        def run():
            return oldfunc(Thing())
        """,
}
_GONE_RULE = '[[tool.ssot-scan.deprecated]]\nsymbol = "pkg.gone.oldfunc"\n'


def test_coded_ignore_on_second_line_suppresses_only_that_code(tmp_path: Path) -> None:
    result = scan(
        tmp_path,
        {
            **_MIXED,
            "pkg/site.py": """\
                from pkg.mixed import (
                    Thing,  # ssot: ignore[SSOT002]
                    oldfunc,
                )
                """,
        },
        _GONE_RULE,
    )
    site = {(path, line, code) for path, line, code in located(result) if path == "pkg/site.py"}
    assert site == {("pkg/site.py", 1, "SSOT001")}
    assert ("pkg/site.py", 1, "SSOT002") in suppressed(result)
    assert ("pkg/site.py", 1, "SSOT001") not in suppressed(result)


def test_bare_ignore_suppresses_every_code(tmp_path: Path) -> None:
    result = scan(
        tmp_path,
        {
            **_MIXED,
            "pkg/site.py": """\
                from pkg.mixed import (  # ssot: ignore
                    Thing,
                    oldfunc,
                )
                """,
        },
        _GONE_RULE,
    )
    assert {path for path, _, _ in located(result)} == {"pkg/u7.py"}
    assert suppressed(result) == {
        ("pkg/mixed.py", 2, "SSOT001"),
        ("pkg/site.py", 1, "SSOT001"),
        ("pkg/site.py", 1, "SSOT002"),
    }


def test_suppressed_findings_are_counted_in_json_summary(tmp_path: Path) -> None:
    result = scan(
        tmp_path,
        {**_FRAGMENTED, "pkg/u7.py": "from pkg.helpers import Thing  # ssot: ignore[SSOT002]\n"},
    )
    data = result_json(result)
    assert data["summary"]["suppressed"] == 1
    assert data["summary"]["total"] == 0
    assert [(f["path"], f["code"]) for f in data["suppressed"]] == [("pkg/u7.py", "SSOT002")]


# ---- re-export markers -----------------------------------------------------------------


_NOQA_FILES = {
    "pkg/__init__.py": "",
    "pkg/exc.py": "def ignore_warnings():\n    pass\n",
    "pkg/testing.py": "from pkg.exc import ignore_warnings{marker}\n",
    "pkg/a.py": "from pkg.exc import ignore_warnings\n",
    "pkg/b.py": "from pkg.exc import ignore_warnings\n",
    "pkg/c.py": "from pkg.testing import ignore_warnings\n",
}


def test_import_marked_noqa_f401_publishes_the_name(tmp_path: Path) -> None:
    # sympy's testing/pytest.py re-exports ignore_warnings this way; before the marker
    # was read, every test importing it from there was an "accidental path" SSOT002.
    files = {k: v.format(marker="  # noqa: F401") for k, v in _NOQA_FILES.items()}
    result = scan(tmp_path, files)
    assert located(result, "SSOT002") == set()
    assert "pkg.testing" in fragment(result, "pkg.exc.ignore_warnings").published


def test_bare_noqa_also_marks_a_reexport(tmp_path: Path) -> None:
    files = {k: v.format(marker="  # noqa") for k, v in _NOQA_FILES.items()}
    assert located(scan(tmp_path, files), "SSOT002") == set()


def test_noqa_for_another_code_does_not_mark_a_reexport(tmp_path: Path) -> None:
    files = {k: v.format(marker="  # noqa: E501") for k, v in _NOQA_FILES.items()}
    assert located(scan(tmp_path, files), "SSOT002") == {("pkg/c.py", 1, "SSOT002")}


def test_unmarked_import_is_an_accidental_path(tmp_path: Path) -> None:
    files = {k: v.format(marker="") for k, v in _NOQA_FILES.items()}
    assert located(scan(tmp_path, files), "SSOT002") == {("pkg/c.py", 1, "SSOT002")}


def _triple(replacement: Optional[Replacement]) -> Optional[tuple[str, Optional[str], bool]]:
    """(module, name, same_object) of a replacement: what a reader acts on."""
    if replacement is None:
        return None
    return (replacement.module, replacement.name, replacement.same_object)


def test_a_private_module_is_never_derived_canonical_while_a_public_path_exports_it(
    tmp_path: Path,
) -> None:
    # Seen: users of the public `pkg.facade` were told to import from `pkg._impl`
    # because more sites used the private path.
    result = scan(tmp_path, _private_fragmented(), _REPORT_PUBLISHED)
    assert fragment(result, _THING).canonical == "pkg.facade"
    reported = {path for path, _, code in located(result) if code == "SSOT002"}
    assert {"pkg/u1.py", "pkg/u2.py", "pkg/u3.py"} <= reported
    assert not {"pkg/u4.py", "pkg/u5.py"} & reported


def test_an_object_with_no_public_name_is_not_sent_to_an_unused_public_path(
    tmp_path: Path,
) -> None:
    # omegaconf: `_EscapedMissing` is defined in `_missing`, imported through `_utils`,
    # and imported by the package `resolvers.oc` for its own use; its users were told
    # to import it from `resolvers.oc`, which nobody does.
    files = {
        "pkg/__init__.py": "",
        "pkg/_missing.py": "class _Escaped(str):\n    pass\n",
        "pkg/_utils.py": (
            "from pkg._missing import _Escaped\n\n\ndef f(x):\n"
            "    return isinstance(x, _Escaped)\n"
        ),
        "pkg/resolvers/__init__.py": (
            "from pkg._utils import _Escaped\n\n\ndef g(x):\n    return _Escaped(x)\n"
        ),
        "pkg/a.py": "from pkg._missing import _Escaped\n",
        "pkg/b.py": "from pkg._missing import _Escaped\n",
        "pkg/c.py": "from pkg._missing import _Escaped\n",
        "pkg/d.py": "from pkg._utils import _Escaped\n",
    }
    result = scan(tmp_path, files)
    assert fragment(result, "pkg._missing._Escaped").canonical == "pkg._missing"
    assert located(result) == {("pkg/d.py", 1, "SSOT002")}


def test_a_private_name_given_a_public_one_is_published_not_used(tmp_path: Path) -> None:
    # `from ._impl import _thing as thing` publishes `thing`, as `X as X` does: the
    # facade's own import is no usage site, and its users are not told to go private.
    files = {
        "pkg/__init__.py": "",
        "pkg/_impl.py": "def _thing():\n    pass\n",
        "pkg/api.py": "from pkg._impl import _thing as thing\n",
        "pkg/a.py": "from pkg.api import thing\n",
        "pkg/b.py": "from pkg.api import thing\n",
        "pkg/c.py": "from pkg._impl import _thing\n",
        "pkg/d.py": "from pkg._impl import _thing as thing\n",
    }
    result = scan(tmp_path, files)
    assert not [f for f in result.findings if f.path in ("pkg/a.py", "pkg/b.py", "pkg/api.py")]
