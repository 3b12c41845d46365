"""A run in which nothing discovery read has changed takes the last discovery whole
(``snapshot``); any change to what it read, inside the walk or outside it, makes
the run discover afresh and find what a fresh discovery finds.

Every project lies in a folder holding a ``.git`` (where the lookups upward stop),
and the whole of it is aged first (mtimes ten seconds back), so what the first run
read is not racy; each change is one a user makes between two runs, and most of
them move no folder of the walk, so only the snapshot's own checks can see them.
"""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from helpers import write_files

from ssot_scan import discover as discover_module
from ssot_scan import snapshot
from ssot_scan.cache import FactsCache
from ssot_scan.config import load_config, load_rule_packs
from ssot_scan.discover import Discovery, discover
from ssot_scan.scan import scan_project


def _age(top: Path, seconds: int = 10) -> None:
    """Every entry's mtime below ``top``, ``top``'s and its folder's ``seconds``
    back (the folder above a root is looked into: see ``discover._crawl_root``)."""
    past = time.time() - seconds
    for folder, dirs, files in os.walk(top):
        for name in [*dirs, *files]:
            os.utime(os.path.join(folder, name), (past, past), follow_symlinks=False)
    os.utime(top, (past, past))
    os.utime(top.parent, (past, past))


@pytest.fixture
def outer(tmp_path: Path) -> Path:
    """The folder the projects lie in: a work tree (lookups upward stop here)."""
    folder = tmp_path / "outer"
    (folder / ".git").mkdir(parents=True)
    (tmp_path / "cache").mkdir()  # made now: the folder above the root is looked into
    return folder


@pytest.fixture
def walks(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """One entry per discovery that walked the tree (a snapshot taken walks none)."""
    done: list[int] = []
    real = discover_module._collect

    def counting(*args: Any, **kwargs: Any) -> Any:
        done.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(discover_module, "_collect", counting)
    return done


def _scan(paths: list[Path], cache: Path) -> Discovery:
    config = load_config(paths)
    load_rule_packs(config, [])
    found, _ = scan_project(paths, config, cache_dir=cache, use_cache=True)
    return found


def _fresh(paths: list[Path]) -> Discovery:
    config = load_config(paths)
    load_rule_packs(config, [])
    return discover(paths, config)


def _edit_kept(cache: Path, edit: Callable[[dict[str, Any]], object]) -> None:
    """``edit`` the one discovery kept in ``cache`` (as a damaged or planted cache)."""
    store = FactsCache(cache, [])
    assert store._db is not None
    query = "SELECT key FROM results WHERE key LIKE 'discovery-%'"
    (key,) = [key for (key,) in store._db.execute(query)]
    data = store.result(key)
    assert data is not None
    edit(data)
    store.store_result(key, data)
    store.close()


def _seen(found: Discovery) -> dict[str, Any]:
    """Everything a discovery answers."""
    return {
        "files": [
            (str(f.path), f.rel, f.module, f.name, f.is_package, f.shadowed_by, f.hidden_by)
            for f in found.files
        ],
        "base": found.base,
        "root": found.root,
        "first_party": found.first_party,
        "opaque": found.opaque_modules,
        "entries": found.entries,
        "notices": found.notices,
        "scope": found.scope,
    }


def test_a_second_run_takes_the_discovery_whole(
    outer: Path, tmp_path: Path, walks: list[int]
) -> None:
    root = outer / "proj"
    write_files(
        root, {"pyproject.toml": "[tool.ssot-scan]\n", "pkg/__init__.py": "", "pkg/a.py": ""}
    )
    (root / "link").symlink_to(root / "pkg", target_is_directory=True)
    _age(outer)
    first = _scan([root / "pkg"], tmp_path / "cache")
    second = _scan([root / "pkg"], tmp_path / "cache")
    assert walks == [1]
    assert _seen(second) == _seen(first) == _seen(_fresh([root / "pkg"]))


def test_other_named_paths_or_settings_discover_afresh(
    outer: Path, tmp_path: Path, walks: list[int]
) -> None:
    root = outer / "proj"
    write_files(
        root, {"pyproject.toml": "[tool.ssot-scan]\n", "pkg/__init__.py": "", "lib/b.py": ""}
    )
    _age(outer)
    cache = tmp_path / "cache"
    _scan([root], cache)
    _scan([root / "pkg"], cache)
    assert walks == [1, 1]
    (root / "pyproject.toml").write_text('[tool.ssot-scan]\nexclude = ["lib/"]\n')
    found = _scan([root], cache)
    assert walks == [1, 1, 1]
    assert "lib/b.py" not in [f.rel for f in found.files]


# (files of the project, the change a user makes)
Change = Callable[[Path], None]

_PACKAGED = {
    "pyproject.toml": '[project]\nname = "mylib"\n',
    "lib/mylib/__init__.py": "",
    "lib/mylib/core.py": "",
    "vendor/README": "",
}


def _edit(rel: str, text: str) -> Change:
    def change(root: Path) -> None:
        (root / rel).write_text(text, encoding="utf-8")

    return change


def _make(rel: str) -> Change:
    def change(root: Path) -> None:
        write_files(root, {rel: ""})

    return change


_ROOTS = '[tool.ssot-scan]\nroots = ["."]\n'

CASES: dict[str, tuple[dict[str, str], Change]] = {
    # setuptools' source folder moves: the modules' names change, no folder does.
    "pyproject declares another root": (
        {
            "pyproject.toml": "",
            "src/pkg/__init__.py": "",
            "lib/pkg2/__init__.py": "",
        },
        _edit("pyproject.toml", '[tool.setuptools.packages.find]\nwhere = ["lib"]\n'),
    ),
    "setup.cfg edited in place": (
        {
            "setup.cfg": "[metadata]\nname = x\n",
            "lib/pkg/__init__.py": "",
            "lib/pkg/m.py": "",
        },
        _edit("setup.cfg", "[options]\npackage_dir =\n    = lib\n"),
    ),
    # The package named like the project shows up in a folder the walk excludes.
    "the project's package appears in an excluded folder": (
        {
            **_PACKAGED,
            "pyproject.toml": (
                '[project]\nname = "other"\n[tool.ssot-scan]\nexclude = ["vendor/"]\n'
            ),
            "vendor/other/README": "",
            "lib/other_pkg/__init__.py": "",
        },
        _make("vendor/other/__init__.py"),
    ),
    # A build script now declares a C extension: a module no file holds.
    "setup.py declares an extension": (
        {"setup.py": "from setuptools import setup\n", "pkg/__init__.py": ""},
        _edit("setup.py", 'from setuptools import Extension\nExtension("pkg._speed", [])\n'),
    ),
    # build/ is skipped for holding no __init__.py: that it still holds none is watched.
    "a skipped build folder becomes a package": (
        {"pyproject.toml": "", "pkg/__init__.py": "", "build/gen.py": ""},
        _make("build/__init__.py"),
    ),
    "a .gitignore edited in place": (
        {".gitignore": "", "pyproject.toml": "", "pkg/__init__.py": "", "pkg/gone.py": ""},
        _edit(".gitignore", "gone.py\n"),
    ),
    "git's info/exclude edited": (
        {".git/info/exclude": "", "pyproject.toml": "", "pkg/__init__.py": "", "pkg/gone.py": ""},
        _edit(".git/info/exclude", "gone.py\n"),
    ),
    # The root was the work tree above; a marker between it and the package moves it.
    "a project marker appears above": (
        {"pkg/__init__.py": "", "pkg/sub/__init__.py": "", "pkg/sub/m.py": ""},
        _make("setup.py"),
    ),
    "a version file is declared": (
        {"pyproject.toml": "", "pkg/__init__.py": "", "pkg/m.py": ""},
        _edit("pyproject.toml", '[tool.setuptools_scm]\nversion_file = "pkg/_version.py"\n'),
    ),
    # With roots configured the packaging is not read for them; the version file is.
    "a version file is declared, roots configured": (
        {"pyproject.toml": _ROOTS, "pkg/__init__.py": "", "pkg/m.py": ""},
        _edit(
            "pyproject.toml", _ROOTS + '[tool.setuptools_scm]\nversion_file = "pkg/_version.py"\n'
        ),
    ),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_a_change_to_what_discovery_read_is_seen(
    outer: Path, tmp_path: Path, walks: list[int], case: str
) -> None:
    files, change = CASES[case]
    root = outer / "proj"
    write_files(root, files)
    named = [root / "pkg" / "sub"] if case == "a project marker appears above" else [root]
    _age(outer)
    cache = tmp_path / "cache"
    before = _scan(named, cache)
    _scan(named, cache)
    assert walks == [1]  # the snapshot was taken: the change is what it must see
    change(root)  # not aged: the check must see it, however close in time
    after = _scan(named, cache)
    assert walks == [1, 1]
    assert _seen(after) == _seen(_fresh(named))
    assert _seen(after) != _seen(before)  # the change mattered: a stale answer fails


def test_a_link_above_the_root_that_leads_elsewhere_is_seen(
    outer: Path, tmp_path: Path, walks: list[int]
) -> None:
    for side in ("first", "other"):
        write_files(
            outer / side, {"pyproject.toml": "", "pkg/__init__.py": "", f"pkg/{side}.py": ""}
        )
    link = tmp_path / "current"
    link.symlink_to(outer / "first", target_is_directory=True)
    _age(outer)
    cache = tmp_path / "cache"
    _scan([link], cache)
    _scan([link], cache)
    assert walks == [1]
    link.unlink()
    link.symlink_to(outer / "other", target_is_directory=True)
    after = _scan([link], cache)
    assert walks == [1, 1]
    assert [f.rel for f in after.files] == ["pkg/__init__.py", "pkg/other.py"]
    assert _seen(after) == _seen(_fresh([link]))


def test_a_discovery_that_read_something_just_changed_is_not_kept(
    outer: Path, tmp_path: Path, walks: list[int]
) -> None:
    root = outer / "proj"
    write_files(root, {"pyproject.toml": "", "pkg/__init__.py": ""})
    _age(outer)
    (root / "pkg" / "new.py").write_text("", encoding="utf-8")  # within the racy window
    cache = tmp_path / "cache"
    _scan([root], cache)
    _scan([root], cache)
    assert walks == [1, 1]


@pytest.mark.parametrize(
    "damage",
    [
        lambda data: data.update(answer={"files": [["x"]]}),
        lambda data: data.update(folders=[["/", "not a signature"]]),
        lambda data: data.update(format=0),
        lambda data: data["answer"].pop("base"),
    ],
)
def test_a_damaged_snapshot_is_discovered_afresh(
    outer: Path, tmp_path: Path, walks: list[int], damage: Callable[[dict[str, Any]], None]
) -> None:
    root = outer / "proj"
    write_files(root, {"pyproject.toml": "", "pkg/__init__.py": "", "pkg/m.py": ""})
    _age(outer)
    cache = tmp_path / "cache"
    _scan([root], cache)
    _edit_kept(cache, damage)
    found = _scan([root], cache)
    assert walks == [1, 1]
    assert _seen(found) == _seen(_fresh([root]))


def test_a_marker_above_a_root_found_by_packages_is_seen(
    tmp_path: Path, walks: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    # No marker anywhere: the root is the top package, found by looking up to the
    # top of the file system (whose folders change all the time under a test run:
    # nothing is racy here, so that the snapshot is taken at all).
    monkeypatch.setattr(snapshot, "RACY_NANOSECONDS", 0)
    proj = tmp_path / "outer" / "proj"
    write_files(proj, {"pkg/__init__.py": "", "pkg/sub/__init__.py": "", "pkg/sub/m.py": ""})
    named = [proj / "pkg" / "sub"]
    cache = tmp_path / "cache"
    before = _scan(named, cache)
    _scan(named, cache)
    assert walks == [1]
    assert before.base == proj.resolve()  # the folder holding the top package
    (proj.parent / "setup.py").write_text("", encoding="utf-8")
    after = _scan(named, cache)
    assert walks == [1, 1]
    assert after.base == proj.parent.resolve()
    assert _seen(after) == _seen(_fresh(named))


@pytest.mark.parametrize(
    "planted",
    [
        ["../../outside.py", None, False, None, None, None, None],  # a rel path that climbs
        ["x.py", None, False, None, None, None, "/etc/hostname"],  # a path outside the walk
    ],
)
def test_a_kept_discovery_naming_a_file_outside_its_walk_is_discovered_afresh(
    outer: Path, tmp_path: Path, walks: list[int], planted: list[Any]
) -> None:
    # A cache restored from elsewhere must not make a scan read a file of its choosing.
    root = outer / "proj"
    write_files(root, {"pyproject.toml": "", "pkg/__init__.py": ""})
    (tmp_path / "outside.py").write_text("import os\n", encoding="utf-8")
    _age(outer)
    cache = tmp_path / "cache"
    _scan([root], cache)
    _edit_kept(cache, lambda data: data["answer"]["files"].append(planted))
    found = _scan([root], cache)
    assert walks == [1, 1]
    assert [f.rel for f in found.files] == ["pkg/__init__.py"]


def test_a_work_tree_made_above_the_project_is_seen(
    tmp_path: Path, walks: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    # No .git anywhere: the lookup went up to the top. A work tree made two folders
    # above the root brings its info/exclude into play; no folder the walk went
    # through, and not the folder above the root, changes.
    monkeypatch.setattr(snapshot, "RACY_NANOSECONDS", 0)  # see the test above
    proj = tmp_path / "tree" / "outer" / "proj"
    write_files(proj, {"pyproject.toml": "", "pkg/__init__.py": "", "pkg/gone.py": ""})
    cache = tmp_path / "cache"
    _scan([proj], cache)
    _scan([proj], cache)
    assert walks == [1]
    write_files(tmp_path / "tree", {".git/info/exclude": "gone.py\n"})
    after = _scan([proj], cache)
    assert walks == [1, 1]
    assert [f.rel for f in after.files] == ["pkg/__init__.py"]
    assert _seen(after) == _seen(_fresh([proj]))


_PLAIN = {"pyproject.toml": "", "pkg/__init__.py": "", "pkg/m.py": ""}


def _kept(
    outer: Path, tmp_path: Path, walks: list[int], files: dict[str, str], named: list[Path]
) -> tuple[Path, Discovery]:
    """Write ``files`` into ``outer/proj``, age the tree, and scan ``named`` twice with
    one cache: the second run takes the kept discovery. The cache and the first
    run's discovery."""
    write_files(outer / "proj", files)
    _age(outer)
    cache = tmp_path / "cache"
    first = _scan(named, cache)
    _scan(named, cache)
    assert walks == [1]
    return cache, first


def test_what_is_made_beside_the_project_keeps_the_discovery(
    outer: Path, tmp_path: Path, walks: list[int]
) -> None:
    # Seen in the benchmark: its cache folders, made and removed beside the project,
    # moved the signature of the folder above the root (looked into for .git), and
    # every warm run after them walked the whole tree again. A sibling checkout, an
    # editor's file or git's own bookkeeping did the same to a user's warm runs.
    root = outer / "proj"
    cache, _ = _kept(outer, tmp_path, walks, _PLAIN, [root])
    write_files(outer, {"sibling/pkg/__init__.py": "", "notes.txt": "", "setup.py": ""})
    (outer / ".git" / "index.lock").write_text("", encoding="utf-8")
    (tmp_path / "cache-first").mkdir()
    found = _scan([root], cache)
    assert walks == [1]
    assert _seen(found) == _seen(_fresh([root]))


@pytest.mark.parametrize("change", ["a package made above the root", "the work tree removed"])
def test_what_a_lookup_upward_finds_is_seen(
    outer: Path, tmp_path: Path, walks: list[int], change: str
) -> None:
    root = outer / "proj"
    write_files(outer, {".git/info/exclude": "m.py\n"})
    cache, before = _kept(outer, tmp_path, walks, _PLAIN, [root])
    if change == "a package made above the root":
        write_files(outer, {"__init__.py": ""})
    else:
        shutil.rmtree(outer / ".git")
    after = _scan([root], cache)
    assert walks == [1, 1]
    assert _seen(after) == _seen(_fresh([root]))
    if change == "the work tree removed":  # its info/exclude no longer hides m.py
        assert _seen(after) != _seen(before)


def test_a_named_path_that_goes_is_seen(outer: Path, tmp_path: Path, walks: list[int]) -> None:
    root = outer / "proj"
    named = [root / "pkg" / "m.py"]
    cache, before = _kept(outer, tmp_path, walks, _PLAIN, named)
    (root / "pkg" / "m.py").unlink()
    (root / "pkg" / "m.py").mkdir()  # a folder now, where the file was
    after = _scan(named, cache)
    assert walks == [1, 1]
    assert _seen(after) == _seen(_fresh(named))
    assert _seen(after) != _seen(before)


def test_an_edit_to_a_named_file_keeps_the_discovery(
    outer: Path, tmp_path: Path, walks: list[int]
) -> None:
    # An editor runs the scan on the file just saved. Where a named file is and what
    # it is are discovery's; its content and times are not (every run after an edit
    # had walked the whole project again).
    root = outer / "proj"
    named = [root / "pkg" / "m.py"]
    cache, before = _kept(outer, tmp_path, walks, _PLAIN, named)
    (root / "pkg" / "m.py").write_text("import os\n")
    old = time.time() - 5  # past the racy window: the edit, not its timing, is tested
    os.utime(root / "pkg" / "m.py", (old, old))
    after = _scan(named, cache)
    assert walks == [1]
    assert _seen(after) == _seen(before) == _seen(_fresh(named))


def test_a_declared_version_file_in_the_walk_keeps_the_discovery_through_changes_above(
    outer: Path, tmp_path: Path, walks: list[int]
) -> None:
    # setuptools-scm's version_file is named from its folder's real path; that folder
    # is walked, so what is made above the project does not concern it.
    root = outer / "proj"
    pyproject = '[tool.setuptools_scm]\nversion_file = "pkg/_version.py"\n'
    cache, before = _kept(outer, tmp_path, walks, {**_PLAIN, "pyproject.toml": pyproject}, [root])
    assert "pkg._version" in before.opaque_modules
    write_files(outer, {"notes.txt": ""})
    os.utime(outer.parent)  # the folders above the work tree move too
    found = _scan([root], cache)
    assert walks == [1]
    assert _seen(found) == _seen(_fresh([root]))


def test_a_package_made_above_a_named_folder_outside_the_root_is_seen(
    outer: Path, tmp_path: Path, walks: list[int]
) -> None:
    # The project's config names its root; the package named beside it lies outside,
    # and is named from its own package chain, which a new __init__.py lengthens.
    root = outer / "proj"
    write_files(root, {"ssot-scan.toml": "", "pkg/__init__.py": ""})
    write_files(outer, {"other/lib/__init__.py": "", "other/lib/m.py": ""})
    _age(outer)
    named = [root, outer / "other" / "lib"]
    cache = tmp_path / "cache"
    config = load_config(named, root / "ssot-scan.toml")
    load_rule_packs(config, [])

    def scan() -> Discovery:
        return scan_project(named, config, cache_dir=cache, use_cache=True)[0]

    before = scan()
    scan()
    assert walks == [1]
    write_files(outer, {"other/__init__.py": ""})
    after = scan()
    assert walks == [1, 1]
    fresh = _seen(discover(named, config))
    assert _seen(after) == fresh
    assert _seen(before) != fresh
