"""SSOT001 advice that can be followed: a statement binding the same name, never a
module that lacks it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Optional

import pytest
from helpers import scan_project

from ssot_scan.findings import Finding, Replacement

RunCli = Callable[..., "tuple[int, str, str]"]
WARN = "import warnings\n\nwarnings.warn({message!r}, DeprecationWarning, stacklevel=2)\n"


def _one(tmp_path: Path, files: dict[str, str], config: str = "") -> Finding:
    result = scan_project(tmp_path, {"pkg/__init__.py": "", **files}, config, select=["SSOT001"])
    (finding,) = result.findings
    return finding


def test_a_module_the_warning_names_but_that_lacks_the_name_is_no_advice(
    tmp_path: Path,
) -> None:
    # The real case: importers take `central_logger`; the successor module has only
    # `get_logger`. Saying "use pkg.log" would send them to a module without the name.
    finding = _one(
        tmp_path,
        {
            "pkg/old_log.py": WARN.format(message="pkg.old_log is deprecated, use pkg.log")
            + "central_logger = object()\n",
            "pkg/log.py": "def get_logger():\n    pass\n",
            "pkg/app.py": "from pkg.old_log import central_logger\n",
        },
    )
    assert finding.replacement is None and finding.canonical is None
    assert (
        "; no replacement in the scanned code; its deprecation says "
        "'pkg.old_log is deprecated, use pkg.log'"
    ) in finding.message


def test_a_successor_symbol_the_warning_names_is_advice_by_its_own_name(tmp_path: Path) -> None:
    finding = _one(
        tmp_path,
        {
            "pkg/old_log.py": WARN.format(message="deprecated: use pkg.log.get_logger")
            + "central_logger = object()\n",
            "pkg/log.py": "def get_logger():\n    pass\n",
            "pkg/app.py": "from pkg.old_log import central_logger\n",
        },
    )
    assert _triple(finding.replacement) == ("pkg.log", "get_logger", False)
    assert "use `get_logger` from `pkg.log` instead (its successor)" in finding.message


def test_the_same_object_through_a_live_path_is_a_statement_binding_the_same_name(
    tmp_path: Path,
) -> None:
    finding = _one(
        tmp_path,
        {
            "pkg/core.py": "class Thing:\n    pass\n",
            "pkg/shim.py": WARN.format(message="pkg.shim is deprecated")
            + "from pkg.core import Thing as OldThing\n",
            "pkg/app.py": "from pkg.shim import OldThing as T\n",
        },
    )
    assert _triple(finding.replacement) == ("pkg.core", "Thing", True)
    assert "; use `from pkg.core import Thing as T` instead" in finding.message


def test_a_rule_packs_replacement_that_lacks_the_name_is_advice_by_module_only(
    tmp_path: Path,
) -> None:
    finding = _one(
        tmp_path,
        {
            "pkg/old.py": "helper = 1\n",
            "pkg/new.py": "other = 1\n",
            "pkg/app.py": "from pkg.old import helper\n",
        },
        '[[tool.ssot-scan.deprecated]]\nmodule = "pkg.old"\nreplacement = "pkg.new"\n',
    )
    assert _triple(finding.replacement) == ("pkg.new", None, False)
    assert "; use `pkg.new` instead (" in finding.message


def test_a_rule_packs_replacement_that_binds_the_name_is_a_from_import(tmp_path: Path) -> None:
    finding = _one(
        tmp_path,
        {
            "pkg/old.py": "from pkg.new import helper\n",
            "pkg/new.py": "def helper():\n    pass\n",
            "pkg/app.py": "from pkg.old import helper\n",
        },
        '[[tool.ssot-scan.deprecated]]\nmodule = "pkg.old"\nreplacement = "pkg.new"\n',
    )
    assert _triple(finding.replacement) == ("pkg.new", "helper", True)
    assert "; use `from pkg.new import helper` instead (" in finding.message


def _triple(replacement: Optional[Replacement]) -> Optional[tuple[str, Optional[str], bool]]:
    """(module, name, same_object) of a replacement: what a reader acts on."""
    if replacement is None:
        return None
    return (replacement.module, replacement.name, replacement.same_object)


@pytest.mark.parametrize("keyword", ["replacement", "alternative"])
@pytest.mark.parametrize("engine", ["ast", "libcst"])
def test_a_deprecation_decorators_replacement_keyword_feeds_the_advice(
    tmp_path: Path, run_cli: RunCli, keyword: str, engine: str
) -> None:
    files = {
        "pkg/__init__.py": "",
        "pkg/new.py": "def make():\n    pass\n",
        "pkg/old.py": "from typing_extensions import deprecated\n\n\n"
        f'@deprecated("old_make is going away", {keyword}="pkg.new.make")\n'
        "def old_make():\n    pass\n",
        "pkg/user.py": "from pkg.old import old_make\n",
    }
    for rel, text in files.items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(text)
    code, out, _ = run_cli(["--no-cache", "--engine", engine, "."], tmp_path)
    assert code == 1
    assert "use `make` from `pkg.new` instead (its successor)" in out


def test_a_deprecated_submodules_own_replacement_wins_over_its_packages(
    tmp_path: Path, run_cli: RunCli
) -> None:
    files = {
        "pkg/__init__.py": "import warnings\n"
        "warnings.warn('pkg is deprecated; use newpkg', DeprecationWarning)\n",
        "pkg/sub.py": "import warnings\n"
        "warnings.warn('pkg.sub is deprecated; use newpkg.tools.helper', DeprecationWarning)\n"
        "\n\ndef helper():\n    pass\n",
        "newpkg/__init__.py": "",
        "newpkg/tools.py": "def helper():\n    pass\n",
        "user.py": "from pkg.sub import helper\n",
    }
    for rel, text in files.items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(text)
    code, out, _ = run_cli(["--no-cache", "."], tmp_path)
    assert code == 1
    assert "use `from newpkg.tools import helper` instead" in out


def test_a_bare_name_the_deprecation_points_to_beside_it_is_advice(tmp_path: Path) -> None:
    # astropy: `@deprecated(since="7.2", alternative="is_rotation_or_reflection")`
    # on `is_O3`; the advice said "no replacement is known".
    finding = _one(
        tmp_path,
        {
            "pkg/matrix.py": "from typing_extensions import deprecated\n\n\n"
            '@deprecated("7.2", alternative="is_rotation_or_reflection")\n'
            "def is_O3(m):\n    pass\n\n\n"
            "def is_rotation_or_reflection(m):\n    pass\n",
            "pkg/app.py": "from pkg.matrix import is_O3\n",
        },
    )
    assert "; use `is_rotation_or_reflection` from `pkg.matrix` instead (its successor)" in (
        finding.message
    )


def test_a_bare_name_the_deprecation_points_to_is_looked_for_in_the_packages_above(
    tmp_path: Path,
) -> None:
    # dagster: `SourceAsset` says "Use AssetSpec instead"; its module does not import
    # `AssetSpec`, the package `dagster` exports it. The advice said "no replacement".
    finding = _one(
        tmp_path,
        {
            "pkg/__init__.py": "from pkg._core.spec import AssetSpec\n",
            "pkg/_core/__init__.py": "",
            "pkg/_core/spec.py": "class AssetSpec:\n    pass\n",
            "pkg/_core/source.py": "from typing_extensions import deprecated\n\n\n"
            '@deprecated(breaking_version="2.0", additional_warn_text="Use AssetSpec instead.")\n'
            "class SourceAsset:\n    pass\n",
            "pkg/app.py": "from pkg._core.source import SourceAsset\n",
        },
    )
    assert "; use `AssetSpec` from `pkg` instead (its successor)" in finding.message


def test_a_replacement_outside_the_scanned_code_is_quoted_not_denied(tmp_path: Path) -> None:
    # pydantic: "use `pydantic_core.to_jsonable_python` instead" read as "no
    # replacement is known".
    finding = _one(
        tmp_path,
        {
            "pkg/json.py": "from typing_extensions import deprecated\n\n\n"
            '@deprecated("use `pydantic_core.to_jsonable_python` instead")\n'
            "def encode(x):\n    pass\n",
            "pkg/app.py": "from pkg.json import encode\n",
        },
    )
    assert "no replacement is known" not in finding.message
    assert (
        "; no replacement in the scanned code; its deprecation says "
        "'use `pydantic_core.to_jsonable_python` instead'"
    ) in finding.message


@pytest.mark.parametrize(
    "importer",
    [
        # pydantic/main.py: the deprecated `schema_json` method imports deprecated code.
        "from typing_extensions import deprecated\n\n\nclass Model:\n"
        '    @deprecated("use model_dump_json")\n    def schema_json(self):\n'
        "        from pkg.old_log import central_logger\n\n        return central_logger\n",
        # The same in a deprecated class's method.
        "from typing_extensions import deprecated\n\n\n"
        '@deprecated("use New")\nclass Old:\n    def run(self):\n'
        "        from pkg.old_log import central_logger\n",
    ],
    ids=["deprecated-method", "method-of-a-deprecated-class"],
)
def test_deprecated_code_importing_deprecated_code_is_no_finding(
    tmp_path: Path, importer: str
) -> None:
    files = {
        "pkg/old_log.py": WARN.format(message="pkg.old_log is deprecated")
        + "central_logger = object()\n",
        "pkg/app.py": importer,
    }
    result = scan_project(tmp_path, {"pkg/__init__.py": "", **files}, "", select=["SSOT001"])
    assert result.findings == []


def test_a_package_named_deprecated_holds_deprecated_code(tmp_path: Path) -> None:
    # pydantic/deprecated/json.py imports the deprecated `Color` to encode it.
    files = {
        "pkg/old_log.py": WARN.format(message="pkg.old_log is deprecated")
        + "central_logger = object()\n",
        "pkg/deprecated/__init__.py": "",
        "pkg/deprecated/json.py": "from pkg.old_log import central_logger\n",
        "pkg/app.py": "from pkg.old_log import central_logger\n",
    }
    result = scan_project(tmp_path, {"pkg/__init__.py": "", **files}, "", select=["SSOT001"])
    assert [(f.path, f.line) for f in result.findings] == [("pkg/app.py", 1)]
