"""Discovery: paths to ``SourceFile``s with dotted module names, and what is skipped."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Optional

import pytest
from helpers import make_unreadable

from ssot_scan.config import find_config_file, load_config
from ssot_scan.discover import Discovery, SourceFile, discover
from ssot_scan.scan import run_scan

MakeProject = Callable[..., Path]


def _discover(paths: list[Path]) -> Discovery:
    return discover(paths, load_config(paths))


def _modules(found: Discovery) -> dict[str, Optional[str]]:
    """rel path -> module name, for the files a run reports (the named paths)."""
    return {f.rel: f.module for f in found.files if found.in_scope(f.rel)}


def _file(found: Discovery, rel: str) -> SourceFile:
    matches = [f for f in found.files if f.rel == rel]
    assert len(matches) == 1, (rel, [f.rel for f in found.files])
    return matches[0]


# --------------------------------------------------------------------------------------
# Source roots and module names
# --------------------------------------------------------------------------------------


def test_src_folder_is_the_default_root(tmp_path: Path, make_project: MakeProject) -> None:
    make_project(
        tmp_path,
        {
            "pyproject.toml": "",
            "src/pkg/__init__.py": "",
            "src/pkg/mod.py": "",
            "src/pkg/sub/__init__.py": "",
            "src/pkg/sub/deep.py": "",
        },
    )
    found = _discover([tmp_path / "src"])
    assert found.base == tmp_path.resolve()
    assert _modules(found) == {
        "src/pkg/__init__.py": "pkg",
        "src/pkg/mod.py": "pkg.mod",
        "src/pkg/sub/__init__.py": "pkg.sub",
        "src/pkg/sub/deep.py": "pkg.sub.deep",
    }
    assert _file(found, "src/pkg/__init__.py").is_package
    assert not _file(found, "src/pkg/mod.py").is_package
    assert found.first_party == {"pkg"}


def test_project_root_is_the_root_without_src(tmp_path: Path, make_project: MakeProject) -> None:
    make_project(
        tmp_path,
        {"pyproject.toml": "", "pkg/__init__.py": "", "pkg/mod.py": "", "script.py": ""},
    )
    found = _discover([tmp_path])
    assert _modules(found) == {
        "pkg/__init__.py": "pkg",
        "pkg/mod.py": "pkg.mod",
        "script.py": "script",
    }
    assert found.first_party == {"pkg", "script"}


def test_relative_scan_path_is_named_from_the_project_root(
    tmp_path: Path, make_project: MakeProject, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_project(tmp_path, {"pyproject.toml": "", "src/pkg/__init__.py": "", "src/pkg/m.py": ""})
    monkeypatch.chdir(tmp_path / "src" / "pkg")
    found = _discover([Path("m.py")])
    assert _modules(found) == {"src/pkg/m.py": "pkg.m"}


def test_configured_roots(tmp_path: Path, make_project: MakeProject) -> None:
    make_project(
        tmp_path,
        {
            "pyproject.toml": '[tool.ssot-scan]\nroots = ["lib", "plugins"]\n',
            "lib/pkg/__init__.py": "",
            "lib/pkg/mod.py": "",
            "plugins/extra/__init__.py": "",
            "plugins/extra/hook.py": "",
            # src/ exists but is not a configured root
            "src/other/__init__.py": "",
        },
    )
    found = _discover([tmp_path / "lib", tmp_path / "plugins"])
    assert _modules(found) == {
        "lib/pkg/__init__.py": "pkg",
        "lib/pkg/mod.py": "pkg.mod",
        "plugins/extra/__init__.py": "extra",
        "plugins/extra/hook.py": "extra.hook",
    }
    # The project root is a sys.path entry too (after the configured roots): src/ is
    # then a namespace portion, analysed though not reported.
    assert _file(found, "src/other/__init__.py").module == "src.other"
    assert found.first_party == {"pkg", "extra", "src"}


def test_nested_roots_pick_the_deepest(tmp_path: Path, make_project: MakeProject) -> None:
    make_project(
        tmp_path,
        {
            "pyproject.toml": '[tool.ssot-scan]\nroots = [".", "services/api"]\n',
            "services/api/apipkg/__init__.py": "",
            "services/api/apipkg/views.py": "",
        },
    )
    found = _discover([tmp_path / "services"])
    assert _modules(found)["services/api/apipkg/views.py"] == "apipkg.views"


def test_without_any_config_names_come_from_init_folders(
    tmp_path: Path, make_project: MakeProject
) -> None:
    if find_config_file(tmp_path) is not None:
        pytest.skip("a config file above the temporary folder would be found")
    make_project(
        tmp_path,
        {
            "site/pkg/__init__.py": "",
            "site/pkg/sub/__init__.py": "",
            "site/pkg/sub/mod.py": "",
        },
    )
    config = load_config([tmp_path / "site" / "pkg"])
    # No marker anywhere: the root is the folder above the top package.
    assert (config.project_root, config.config_file) == (tmp_path / "site", None)
    found = discover([tmp_path / "site" / "pkg"], config)
    # ``rel`` paths are relative to the package's parent folder
    assert found.base == tmp_path / "site"
    assert _modules(found) == {
        "pkg/__init__.py": "pkg",
        "pkg/sub/__init__.py": "pkg.sub",
        "pkg/sub/mod.py": "pkg.sub.mod",
    }
    assert found.first_party == {"pkg"}


def test_without_any_config_a_single_file_is_named_by_its_packages(
    tmp_path: Path, make_project: MakeProject
) -> None:
    if find_config_file(tmp_path) is not None:
        pytest.skip("a config file above the temporary folder would be found")
    make_project(
        tmp_path,
        {"site/pkg/__init__.py": "", "site/pkg/sub/__init__.py": "", "site/pkg/sub/mod.py": ""},
    )
    found = _discover([tmp_path / "site" / "pkg" / "sub" / "mod.py"])
    assert found.base == tmp_path / "site"
    assert _modules(found) == {"pkg/sub/mod.py": "pkg.sub.mod"}


def test_namespace_packages_get_dotted_names(tmp_path: Path, make_project: MakeProject) -> None:
    make_project(
        tmp_path,
        {
            "pyproject.toml": "",
            "src/ns/sub/mod.py": "",  # no __init__.py anywhere above (PEP 420)
            "src/ns/regular/__init__.py": "",
            "src/ns/regular/leaf.py": "",
            "src/ns/top.py": "",
            "src/other/thing.py": "",
        },
    )
    found = _discover([tmp_path])
    assert _modules(found) == {
        "src/ns/regular/__init__.py": "ns.regular",
        "src/ns/regular/leaf.py": "ns.regular.leaf",
        "src/ns/sub/mod.py": "ns.sub.mod",
        "src/ns/top.py": "ns.top",
        "src/other/thing.py": "other.thing",
    }
    assert found.first_party == {"ns", "other"}


def test_init_directly_in_a_root_has_no_module_name(
    tmp_path: Path, make_project: MakeProject
) -> None:
    make_project(tmp_path, {"pyproject.toml": "", "src/__init__.py": "", "src/pkg/m.py": ""})
    found = _discover([tmp_path])
    assert _modules(found) == {"src/__init__.py": None, "src/pkg/m.py": "pkg.m"}
    assert found.first_party == {"pkg"}


def test_package_shadows_a_same_named_module(tmp_path: Path, make_project: MakeProject) -> None:
    make_project(
        tmp_path,
        {
            "pyproject.toml": "",
            "pkg/__init__.py": "",
            "pkg/foo.py": "",
            "pkg/foo/__init__.py": "",
            "pkg/foo/x.py": "",
        },
    )
    found = _discover([tmp_path])
    shadowed = _file(found, "pkg/foo.py")
    assert shadowed.module is None
    assert shadowed.shadowed_by == "pkg/foo/__init__.py"
    winner = _file(found, "pkg/foo/__init__.py")
    assert (winner.module, winner.shadowed_by) == ("pkg.foo", None)
    assert _file(found, "pkg/foo/x.py").module == "pkg.foo.x"


def test_shadowed_module_is_reported_as_ssot006(tmp_path: Path, make_project: MakeProject) -> None:
    make_project(
        tmp_path,
        {"pyproject.toml": "", "pkg/__init__.py": "", "pkg/foo.py": "", "pkg/foo/__init__.py": ""},
    )
    result = run_scan([tmp_path], load_config([tmp_path]))
    shadowed = [f for f in result.findings if f.code == "SSOT006"]
    assert [(f.path, f.line) for f in shadowed] == [("pkg/foo.py", 1)]
    assert "pkg/foo/__init__.py" in shadowed[0].message


def test_file_with_a_dot_in_its_name_does_not_shadow_a_real_module(
    tmp_path: Path, make_project: MakeProject
) -> None:
    # Regression: ``pkg/a.gen.py`` was named ``pkg.a.gen`` (no import can reach it:
    # "a.gen" is not an identifier), collided with the real module ``pkg/a/gen.py``
    # and won on rel-path order, leaving the real module with ``module=None``.
    make_project(
        tmp_path,
        {
            "pyproject.toml": "",
            "pkg/__init__.py": "",
            "pkg/a/__init__.py": "",
            "pkg/a/gen.py": "",
            "pkg/a.gen.py": "",
        },
    )
    found = _discover([tmp_path])
    real = _file(found, "pkg/a/gen.py")
    assert (real.module, real.shadowed_by) == ("pkg.a.gen", None)
    assert _file(found, "pkg/a.gen.py").module is None


def test_paths_no_import_can_spell_get_no_module_name(
    tmp_path: Path, make_project: MakeProject
) -> None:
    make_project(
        tmp_path,
        {
            "pyproject.toml": "",
            "pkg/__init__.py": "",
            "pkg/0001_initial.py": "",
            "my-scripts/tool.py": "",
            ".hidden/x.py": "",
        },
    )
    found = _discover([tmp_path, tmp_path / ".hidden" / "x.py"])
    # A file stem that is not an identifier keeps its name: importlib imports it
    # (Django's migrations; grimp names them too). A folder that is not one cannot
    # be a package, so nothing below it has a name.
    assert _modules(found) == {
        ".hidden/x.py": None,
        "my-scripts/tool.py": None,
        "pkg/0001_initial.py": "pkg.0001_initial",
        "pkg/__init__.py": "pkg",
    }
    assert found.first_party == {"pkg"}


def test_symlinked_file_is_named_by_its_own_path(
    tmp_path: Path, make_project: MakeProject
) -> None:
    # Regression: module names were computed from ``path.resolve()``, so a file
    # symlink ``pkg/alias.py -> mod.py`` was named ``pkg.mod`` (its target's name) and
    # shadowed the real ``pkg/mod.py``. Python imports the link as ``pkg.alias``.
    make_project(tmp_path, {"pyproject.toml": "", "pkg/__init__.py": "", "pkg/mod.py": ""})
    os.symlink("mod.py", tmp_path / "pkg" / "alias.py")
    found = _discover([tmp_path])
    assert _file(found, "pkg/mod.py").module == "pkg.mod"
    assert _file(found, "pkg/mod.py").shadowed_by is None
    assert _file(found, "pkg/alias.py").module == "pkg.alias"


# --------------------------------------------------------------------------------------
# What is skipped
# --------------------------------------------------------------------------------------


def test_exclude_globs_use_gitignore_syntax(tmp_path: Path, make_project: MakeProject) -> None:
    make_project(
        tmp_path,
        {
            "pyproject.toml": (
                '[tool.ssot-scan]\nexclude = ["out/*", "**/generated/*.py", "pkg/skip_me.py"]\n'
            ),
            "pkg/__init__.py": "",
            "pkg/keep.py": "",
            "pkg/skip_me.py": "",
            "out/x.py": "",
            "out/sub/y.py": "",
            "generated/z.py": "",
            "pkg/generated/g.py": "",
            # ``*`` does not cross folders: a deeper file is kept
            "pkg/generated/deeper/h.py": "",
        },
    )
    found = _discover([tmp_path])
    assert sorted(_modules(found)) == [
        "pkg/__init__.py",
        "pkg/generated/deeper/h.py",
        "pkg/keep.py",
    ]


def test_gitignore_files_are_honoured(tmp_path: Path, make_project: MakeProject) -> None:
    make_project(
        tmp_path,
        {
            "pyproject.toml": "",
            ".gitignore": "ignored_dir/\n*_pb2.py\n",
            "pkg/__init__.py": "",
            "pkg/keep.py": "",
            "pkg/api_pb2.py": "",
            "pkg/.gitignore": "local.py\n",
            "pkg/local.py": "",
            "local.py": "",  # the nested .gitignore applies below its folder only
            "ignored_dir/i.py": "",
        },
    )
    found = _discover([tmp_path])
    assert sorted(_modules(found)) == ["local.py", "pkg/__init__.py", "pkg/keep.py"]


def test_respect_gitignore_false_turns_gitignore_off(
    tmp_path: Path, make_project: MakeProject
) -> None:
    make_project(
        tmp_path,
        {
            "pyproject.toml": "[tool.ssot-scan]\nrespect-gitignore = false\n",
            ".gitignore": "ignored_dir/\n*_pb2.py\n",
            "pkg/__init__.py": "",
            "pkg/api_pb2.py": "",
            "ignored_dir/i.py": "",
        },
    )
    found = _discover([tmp_path])
    assert sorted(_modules(found)) == ["ignored_dir/i.py", "pkg/__init__.py", "pkg/api_pb2.py"]


@pytest.mark.parametrize(
    "folder", [".venv", "venv", "__pycache__", "node_modules", ".git", ".tox", "build", "dist"]
)
def test_default_excluded_folders_are_skipped(
    tmp_path: Path, make_project: MakeProject, folder: str
) -> None:
    make_project(
        tmp_path,
        {
            "pyproject.toml": "",
            "pkg/__init__.py": "",
            f"{folder}/a.py": "",
            f"pkg/{folder}/b.py": "",
        },
    )
    found = _discover([tmp_path])
    assert sorted(_modules(found)) == ["pkg/__init__.py"]


def test_explicitly_named_file_is_scanned_even_if_excluded(
    tmp_path: Path, make_project: MakeProject
) -> None:
    make_project(
        tmp_path,
        {
            "pyproject.toml": '[tool.ssot-scan]\nexclude = ["vendored/*"]\n',
            ".gitignore": "*_pb2.py\n",
            "pkg/__init__.py": "",
            "pkg/__pycache__/cached.py": "",
            "pkg/api_pb2.py": "",
            "vendored/lib.py": "",
        },
    )
    paths = [
        tmp_path / "vendored" / "lib.py",
        tmp_path / "pkg" / "__pycache__" / "cached.py",
        tmp_path / "pkg" / "api_pb2.py",
    ]
    found = _discover(paths)
    assert _modules(found) == {
        "pkg/__pycache__/cached.py": "pkg.__pycache__.cached",
        "pkg/api_pb2.py": "pkg.api_pb2",
        "vendored/lib.py": "vendored.lib",
    }


def test_only_included_file_names_are_collected(tmp_path: Path, make_project: MakeProject) -> None:
    make_project(
        tmp_path,
        {
            "pyproject.toml": '[tool.ssot-scan]\ninclude = ["*.py", "*.pyw"]\n',
            "pkg/__init__.py": "",
            "pkg/gui.pyw": "",
            "pkg/notes.txt": "",
            "pkg/stub.pyi": "",
        },
    )
    found = _discover([tmp_path])
    assert sorted(_modules(found)) == ["pkg/__init__.py", "pkg/gui.pyw"]


def test_missing_path_is_a_notice(tmp_path: Path, make_project: MakeProject) -> None:
    make_project(tmp_path, {"pyproject.toml": "", "pkg/__init__.py": ""})
    found = _discover([tmp_path / "pkg", tmp_path / "nope.py"])
    assert [f.rel for f in found.files] == ["pkg/__init__.py"]
    assert any("nope.py" in n and "no such file" in n for n in found.notices)


def test_each_file_is_listed_once_when_paths_overlap(
    tmp_path: Path, make_project: MakeProject
) -> None:
    make_project(tmp_path, {"pyproject.toml": "", "pkg/__init__.py": "", "pkg/m.py": ""})
    found = _discover([tmp_path, tmp_path / "pkg", tmp_path / "pkg" / "m.py"])
    assert [f.rel for f in found.files] == ["pkg/__init__.py", "pkg/m.py"]


# --------------------------------------------------------------------------------------
# Links and unreadable files
# --------------------------------------------------------------------------------------


def test_symlink_loop_ends_with_a_notice(tmp_path: Path, make_project: MakeProject) -> None:
    make_project(tmp_path, {"pyproject.toml": "", "pkg/__init__.py": "", "pkg/sub/m.py": ""})
    os.symlink("..", tmp_path / "pkg" / "sub" / "loop")  # pkg/sub/loop -> pkg
    found = _discover([tmp_path])
    assert [f.rel for f in found.files] == ["pkg/__init__.py", "pkg/sub/m.py"]
    assert any("loop" in n for n in found.notices), found.notices


def test_symlink_to_own_folder_ends(tmp_path: Path, make_project: MakeProject) -> None:
    make_project(tmp_path, {"pyproject.toml": "", "pkg/__init__.py": ""})
    os.symlink(".", tmp_path / "pkg" / "self")
    found = _discover([tmp_path])
    assert [f.rel for f in found.files] == ["pkg/__init__.py"]
    assert any("self" in n and "loop" in n for n in found.notices), found.notices


def test_broken_symlink_is_a_notice(tmp_path: Path, make_project: MakeProject) -> None:
    make_project(tmp_path, {"pyproject.toml": "", "pkg/__init__.py": ""})
    os.symlink("nowhere.py", tmp_path / "pkg" / "dangling.py")
    found = _discover([tmp_path])
    assert [f.rel for f in found.files] == ["pkg/__init__.py"]
    assert any("dangling.py" in n and "broken symlink" in n for n in found.notices)


def test_explicit_broken_symlink_is_a_notice(tmp_path: Path, make_project: MakeProject) -> None:
    make_project(tmp_path, {"pyproject.toml": "", "pkg/__init__.py": ""})
    link = tmp_path / "pkg" / "dangling.py"
    os.symlink("nowhere.py", link)
    found = _discover([link])
    assert [f.rel for f in found.files] == ["pkg/__init__.py"]  # the project, not the link
    assert not any(found.in_scope(f.rel) for f in found.files)
    assert any("dangling.py" in n and "broken symlink" in n for n in found.notices)


def test_unreadable_file_is_ssot000_and_the_scan_goes_on(
    tmp_path: Path, make_project: MakeProject, monkeypatch: pytest.MonkeyPatch
) -> None:
    # chmod 000 does not stop root, so make the read fail the way it would for a user.
    make_project(
        tmp_path,
        {
            "pyproject.toml": "",
            "pkg/__init__.py": "",
            "pkg/secret.py": "import os\n",
            "pkg/ok.py": "import sys\n",
        },
    )
    secret = tmp_path / "pkg" / "secret.py"
    make_unreadable(monkeypatch, "secret.py")
    result = run_scan([tmp_path], load_config([tmp_path]))
    assert secret.exists()
    assert result.files_scanned == 3
    assert [(f.code, f.path) for f in result.findings] == [("SSOT000", "pkg/secret.py")]
    (finding,) = result.findings
    assert "cannot read" in finding.message
    assert "Permission denied" in finding.message


def test_first_party_is_every_top_level_name_under_the_entries(
    tmp_path: Path, make_project: MakeProject
) -> None:
    # The project root is a sys.path entry after src/: tests/ (a namespace portion)
    # and setup.py are importable from it, as pytest's ``pythonpath = ["."]`` makes them.
    make_project(
        tmp_path,
        {
            "pyproject.toml": "",
            "src/app/__init__.py": "",
            "tests/test_app.py": "import app\n",
            "setup.py": "",
        },
    )
    found = _discover([tmp_path])
    assert found.first_party == {"app", "tests", "setup"}
    assert _file(found, "tests/test_app.py").module == "tests.test_app"


def test_file_outside_the_project_root_gets_a_relative_path(
    tmp_path: Path, make_project: MakeProject
) -> None:
    make_project(
        tmp_path,
        {"conf/ssot-scan.toml": "", "pkg/__init__.py": "", "pkg/mod.py": ""},
    )
    config = load_config([tmp_path], tmp_path / "conf" / "ssot-scan.toml")
    found = discover([tmp_path / "pkg"], config)
    assert sorted(f.rel for f in found.files) == ["../pkg/__init__.py", "../pkg/mod.py"]


def test_test_folders_of_one_name_in_different_folders_are_not_shadowed(
    tmp_path: Path, make_project: MakeProject
) -> None:
    # A repository with only .git to mark it: the old naming crawled up __init__.py
    # files from each file, named both folders `tests` and reported one of them as
    # SSOT006 "shadowed" (and then never checked it).
    make_project(
        tmp_path,
        {
            "tests/__init__.py": "",
            "tests/test_a.py": "from tests import helpers\n",
            "tests/helpers.py": "",
            "frontend/tests/__init__.py": "",
            "frontend/tests/test_b.py": "from frontend.tests import gone\n",
        },
    )
    (tmp_path / ".git").mkdir()
    found = _discover([tmp_path])
    assert _modules(found) == {
        "frontend/tests/__init__.py": "frontend.tests",
        "frontend/tests/test_b.py": "frontend.tests.test_b",
        "tests/__init__.py": "tests",
        "tests/helpers.py": "tests.helpers",
        "tests/test_a.py": "tests.test_a",
    }
    assert all(f.shadowed_by is None and f.hidden_by is None for f in found.files)
    result = run_scan([tmp_path], load_config([tmp_path]))
    assert [(f.code, f.path) for f in result.findings] == [("SSOT005", "frontend/tests/test_b.py")]


def test_a_file_named_twice_from_two_roots_is_hidden_not_shadowed(
    tmp_path: Path, make_project: MakeProject
) -> None:
    # Two sys.path entries holding a regular package of one name: the earlier entry
    # wins every import, the other file is still checked but not importable.
    make_project(
        tmp_path,
        {
            "ssot-scan.toml": 'roots = ["a", "b"]\n',
            "a/common/__init__.py": "",
            "b/common/__init__.py": "from common import nothing_here\n",
        },
    )
    found = _discover([tmp_path])
    assert _file(found, "a/common/__init__.py").module == "common"
    loser = _file(found, "b/common/__init__.py")
    assert (loser.module, loser.shadowed_by) == (None, None)
    assert loser.hidden_by == "`common` is a/common/__init__.py"
    result = run_scan([tmp_path], load_config([tmp_path]))
    assert [(f.code, f.path) for f in result.findings] == [("SSOT005", "b/common/__init__.py")]


def test_a_namespace_portion_merges_across_roots_until_a_regular_package_wins(
    tmp_path: Path, make_project: MakeProject
) -> None:
    make_project(
        tmp_path,
        {
            "ssot-scan.toml": 'roots = ["a", "b", "c"]\n',
            "a/ns/one.py": "",
            "b/ns/two.py": "",
            "c/reg/__init__.py": "",
            "a/reg/three.py": "",  # a portion of `reg`, which c's regular package beats
        },
    )
    found = _discover([tmp_path])
    names = {f.rel: f.module for f in found.files}
    assert names == {
        "a/ns/one.py": "ns.one",
        "a/reg/three.py": None,
        "b/ns/two.py": "ns.two",
        "c/reg/__init__.py": "reg",
    }
    assert "`reg` is c/reg/__init__.py" in (_file(found, "a/reg/three.py").hidden_by or "")


@pytest.mark.parametrize(
    ("files", "where"),
    [
        ({"setup.cfg": "[options]\npackage_dir =\n    =lib\n"}, "setup.cfg package_dir"),
        ({"setup.cfg": "[options.packages.find]\nwhere = lib\n"}, "setup.cfg find"),
        ({"pyproject.toml": '[tool.setuptools]\npackage-dir = {"" = "lib"}\n'}, "setuptools"),
        (
            {"pyproject.toml": '[tool.setuptools.packages.find]\nwhere = ["lib"]\n'},
            "setuptools find",
        ),
        (
            {"pyproject.toml": '[tool.hatch.build.targets.wheel]\npackages = ["lib/pkg"]\n'},
            "hatch",
        ),
        (
            {"pyproject.toml": '[tool.poetry]\npackages = [{include = "pkg", from = "lib"}]\n'},
            "poetry",
        ),
        ({"pyproject.toml": '[tool.pytest.ini_options]\npythonpath = ["lib"]\n'}, "pytest"),
        ({"pyproject.toml": '[tool.ruff]\nsrc = ["lib"]\n'}, "ruff"),
        ({"pyproject.toml": '[tool.isort]\nsrc_paths = ["lib"]\n'}, "isort"),
        # matplotlib: meson-python declares nothing, but the package named like the
        # project lives in lib/.
        ({"pyproject.toml": '[project]\nname = "Pkg"\n'}, "project name"),
        ({"setup.cfg": "[metadata]\nname = pkg\n"}, "setup.cfg name"),
    ],
)
def test_source_folders_the_packaging_declares_are_roots(
    tmp_path: Path, make_project: MakeProject, files: dict[str, str], where: str
) -> None:
    # SQLAlchemy and matplotlib keep their package in lib/: it is `pkg`, not `lib.pkg`.
    make_project(
        tmp_path,
        {
            **files,
            "lib/pkg/__init__.py": "",
            "lib/pkg/mod.py": "from pkg import missing\n",
            "test/test_mod.py": "from pkg.mod import nothing\n",
        },
    )
    if "pyproject.toml" not in files:
        (tmp_path / ".git").mkdir()
    found = _discover([tmp_path])
    assert _file(found, "lib/pkg/mod.py").module == "pkg.mod", where
    assert found.first_party == {"pkg", "test"}
    result = run_scan([tmp_path], load_config([tmp_path]))
    assert sorted((f.code, f.path) for f in result.findings) == [
        ("SSOT005", "lib/pkg/mod.py"),
        ("SSOT005", "test/test_mod.py"),
    ]


@pytest.mark.parametrize("source", ["_fast.pyx", "_fast.pyx.tp", "_fast.pyx.in", "_fast.py.in"])
def test_cython_sources_are_modules_a_build_compiles(
    tmp_path: Path, make_project: MakeProject, source: str
) -> None:
    # scikit-learn's sdist: 185 imports of extension modules built from .pyx (and
    # Tempita .pyx.tp) sources were reported as missing modules.
    make_project(
        tmp_path,
        {
            "pyproject.toml": "",
            "pkg/__init__.py": "",
            f"pkg/{source}": "def f(): pass\n",
            "pkg/use.py": (
                "from pkg._fast import f\nfrom pkg import _fast\nfrom pkg._gone import g\n"
            ),
        },
    )
    result = run_scan([tmp_path], load_config([tmp_path]))
    assert [(f.code, f.line) for f in result.findings] == [("SSOT005", 3)]
    assert result.undecidable == 1  # the name in a compiled module


@pytest.mark.parametrize(
    "table",
    [
        '[tool.setuptools_scm]\nversion_file = "src/pkg/_version.py"\n',
        '[tool.setuptools_scm]\nwrite_to = "src/pkg/_version.py"\n',
        '[tool.hatch.build.hooks.vcs]\nversion-file = "src/pkg/_version.py"\n',
    ],
)
def test_a_version_module_the_build_writes_is_no_missing_module(
    tmp_path: Path, make_project: MakeProject, table: str
) -> None:
    # pytest's sdist: `from _pytest._version import version` was SSOT005 in four places.
    make_project(
        tmp_path,
        {
            "pyproject.toml": table,
            "src/pkg/__init__.py": "from pkg._version import version\nfrom pkg._gone import x\n",
        },
    )
    result = run_scan([tmp_path], load_config([tmp_path]))
    assert [(f.code, f.line) for f in result.findings] == [("SSOT005", 2)]


def test_a_git_ignored_version_module_the_build_writes_is_no_missing_module(
    tmp_path: Path, make_project: MakeProject
) -> None:
    # pytest's sdist ships _version.py, and its .gitignore leaves it out of the scan.
    make_project(
        tmp_path,
        {
            "pyproject.toml": '[tool.setuptools_scm]\nversion_file = "src/pkg/_version.py"\n',
            ".gitignore": "src/pkg/_version.py\n",
            "src/pkg/_version.py": "version = '1'\n",
            "src/pkg/__init__.py": "from pkg._version import version\n",
        },
    )
    result = run_scan([tmp_path], load_config([tmp_path]))
    assert result.findings == []


def test_standard_library_names_follow_the_import_system(
    tmp_path: Path, make_project: MakeProject
) -> None:
    # A namespace folder never beats the standard library's regular package; nothing
    # beats a module loaded at start-up (io); a regular package on the first sys.path
    # entry does win over a non-built-in one, as SQLAlchemy's test/ package does.
    make_project(
        tmp_path,
        {
            "pyproject.toml": "",
            "email/parser_notes.py": "",
            "io/__init__.py": "",
            "test/__init__.py": "",
            "test/helpers.py": "def fixture(): pass\n",
            "app.py": (
                "from email import message_from_string\n"
                "from io import StringIO\n"
                "from test.helpers import fixture, missing\n"
            ),
        },
    )
    found = _discover([tmp_path])
    assert _file(found, "email/parser_notes.py").module is None
    assert _file(found, "io/__init__.py").module is None
    assert "`io` is built in" in (_file(found, "io/__init__.py").hidden_by or "")
    assert _file(found, "test/helpers.py").module == "test.helpers"
    assert found.first_party == {"app", "test"}
    result = run_scan([tmp_path], load_config([tmp_path]))
    assert [(f.path, f.line, f.symbol) for f in result.findings] == [
        ("app.py", 3, "test.helpers.missing")
    ]


def test_a_named_folder_inside_the_project_is_walked_once(
    tmp_path: Path, make_project: MakeProject
) -> None:
    # The project walk already covers it: a second walk doubled the cost of a warm
    # run and said every notice about the folder twice.
    make_project(tmp_path, {"pyproject.toml": "", "pkg/__init__.py": "", "pkg/sub/m.py": ""})
    os.symlink(tmp_path / "pkg", tmp_path / "pkg" / "sub" / "loop")
    found = _discover([tmp_path / "pkg"])
    assert len([n for n in found.notices if "symlink loop" in n]) == 1
    assert [f.rel for f in found.files] == ["pkg/__init__.py", "pkg/sub/m.py"]


# .gitignore as git reads it: the deepest file with a matching pattern decides, its last
# matching pattern wins (``!`` re-includes), and .git/info/exclude is read last of all.
GIT_TREE = {
    ".gitignore": "generated_*.py\n*_tmp.py\nbuild/\n",
    "pkg/__init__.py": "",
    "pkg/generated_a.py": "",
    "pkg/keep_tmp.py": "",
    "pkg/sub/.gitignore": "!generated_*.py\nlocal.py\n",
    "pkg/sub/__init__.py": "",
    "pkg/sub/generated_b.py": "",
    "pkg/sub/local.py": "",
    "pkg/sub/deeper/.gitignore": "!local.py\n",
    "pkg/sub/deeper/__init__.py": "",
    "pkg/sub/deeper/local.py": "",
    "pkg/sub/deeper/x_tmp.py": "",
    "build/out.py": "",
    "private_notes.py": "",
    "kept.py": "",
}


def _git_tree(root: Path) -> None:
    for rel, text in GIT_TREE.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    (root / ".git" / "info").mkdir(exist_ok=True)
    (root / ".git" / "info" / "exclude").write_text("private_*.py\n")


def test_gitignore_negation_and_info_exclude_as_git_reads_them(tmp_path: Path) -> None:
    _git_tree(tmp_path)
    found = {s.rel for s in discover([tmp_path], load_config([tmp_path])).files}
    assert found == {
        "kept.py",
        "pkg/__init__.py",
        "pkg/sub/__init__.py",
        "pkg/sub/generated_b.py",  # re-included by pkg/sub/.gitignore
        "pkg/sub/deeper/__init__.py",
        "pkg/sub/deeper/local.py",  # ignored by pkg/sub, re-included deeper
    }


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_discovery_agrees_with_git_on_which_files_it_ignores(tmp_path: Path) -> None:
    _git_tree(tmp_path)
    listed = subprocess.run(
        ["git", "ls-files", "-co", "--exclude-standard", "-z"],
        cwd=tmp_path,
        capture_output=True,
        check=True,
    ).stdout.decode()
    by_git = {name for name in listed.split("\0") if name.endswith(".py")}
    found = {s.rel for s in discover([tmp_path], load_config([tmp_path])).files}
    assert found == by_git
