"""The previous run's folder listings are reused while their folders are unchanged
(``listing``).

Every test ages the tree first (mtimes ten seconds back), so the listings are not
racy and are trusted; a change made afterwards then moves an mtime the reuse must
notice. Each change is one a user makes between two runs; the second run must list
again exactly the folders that changed, and find what a fresh walk finds.
"""

from __future__ import annotations

import os
import random
import shutil
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from helpers import write_files

from ssot_scan import listing
from ssot_scan import walk as walk_module
from ssot_scan.config import load_config, load_rule_packs
from ssot_scan.discover import Discovery, discover
from ssot_scan.scan import open_cache, scan_project


def _age(root: Path, seconds: int = 10) -> None:
    """Every entry's mtime ``seconds`` back: a listing of it is not racy."""
    past = time.time() - seconds
    for folder, dirs, files in os.walk(root):
        for name in [*dirs, *files]:
            os.utime(os.path.join(folder, name), (past, past), follow_symlinks=False)
    os.utime(root, (past, past))


@pytest.fixture
def listed(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The folders the walks really list (a kept listing is not listed again)."""
    done: list[str] = []
    real = walk_module._list

    def counting(folder: str) -> Any:
        done.append(folder)
        return real(folder)

    monkeypatch.setattr(walk_module, "_list", counting)
    return done


def _scan(root: Path, cache: Path) -> tuple[Discovery, list[str]]:
    config = load_config([root])
    load_rule_packs(config, [])
    found, _ = scan_project([root], config, cache_dir=cache, use_cache=True)
    return found, sorted(f.rel for f in found.files)


def _fresh(root: Path) -> Discovery:
    config = load_config([root])
    load_rule_packs(config, [])
    return discover([root], config)


def _names(found: Discovery) -> list[tuple[object, ...]]:
    return [(f.rel, f.module, f.name, f.shadowed_by, f.hidden_by) for f in found.files]


def _rel(root: Path, folders: list[str]) -> list[str]:
    return sorted(os.path.relpath(f, root) for f in folders)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "proj"
    write_files(
        root,
        {
            "pyproject.toml": "[tool.ssot-scan]\n",
            "pkg/__init__.py": "",
            "pkg/a.py": "from pkg.b import x\n",
            "pkg/b.py": "x = 1\n",
            "pkg/sub/__init__.py": "",
            "pkg/sub/c.py": "",
            "pkg/sub/deep/__init__.py": "",
            "pkg/sub/deep/d.py": "",
            "build/gen.py": "",
            ".gitignore": "ignored.py\n",
            "pkg/ignored.py": "",
            "linked_a/one.py": "",
            "linked_b/two.py": "",
        },
    )
    (root / "link").symlink_to(root / "linked_a", target_is_directory=True)
    _age(root)
    return root


def test_a_second_run_lists_no_folder_and_finds_the_same(
    project: Path, tmp_path: Path, listed: list[str]
) -> None:
    first, files = _scan(project, tmp_path / "cache")
    assert len(listed) == 6  # proj, pkg, sub, deep, link, linked_b (linked_a is link)
    listed.clear()
    second, again = _scan(project, tmp_path / "cache")
    assert listed == []
    assert again == files
    assert _names(second) == _names(first) == _names(_fresh(project))
    assert "pkg/ignored.py" not in again and "build/gen.py" not in again


@pytest.mark.parametrize(
    ("change", "relisted"),
    [
        ("add a file", ["pkg/sub"]),
        ("remove a file", ["pkg/sub"]),
        ("add a folder", ["pkg", "pkg/new"]),
        ("rename a folder", ["pkg", "pkg/moved", "pkg/moved/deep"]),
        ("edit .gitignore in place", None),  # every listing: the rules changed
        ("add .gitignore below", ["pkg", "pkg/sub", "pkg/sub/deep"]),
        ("make build a package", [".", "build"]),
        # linked_a was walked as ``link``; now it is walked under its own name.
        ("repoint a folder link", [".", "link", "linked_a"]),
        ("delete a folder", ["pkg"]),
    ],
)
def test_a_change_between_runs_lists_only_what_it_changed(
    project: Path, tmp_path: Path, listed: list[str], change: str, relisted: list[str] | None
) -> None:
    cache = tmp_path / "cache"
    _scan(project, cache)
    listed.clear()
    if change == "add a file":
        (project / "pkg" / "sub" / "new.py").write_text("", encoding="utf-8")
    elif change == "remove a file":
        (project / "pkg" / "sub" / "c.py").unlink()
    elif change == "add a folder":
        write_files(project, {"pkg/new/mod.py": ""})
    elif change == "rename a folder":
        (project / "pkg" / "sub").rename(project / "pkg" / "moved")
    elif change == "edit .gitignore in place":
        folder = os.stat(project)
        (project / ".gitignore").write_text("b.py\n", encoding="utf-8")
        assert listing.signature(str(project)) == listing.signature_of(folder)
    elif change == "add .gitignore below":
        (project / "pkg" / ".gitignore").write_text("a.py\n", encoding="utf-8")
    elif change == "make build a package":
        (project / "build" / "__init__.py").write_text("", encoding="utf-8")
    elif change == "repoint a folder link":
        (project / "link").unlink()
        (project / "link").symlink_to(project / "linked_b", target_is_directory=True)
    elif change == "delete a folder":
        shutil.rmtree(project / "pkg" / "sub")
    found, _ = _scan(project, cache)
    if relisted is None:
        assert len(listed) >= 6
    else:
        assert _rel(project, listed) == relisted
    assert _names(found) == _names(_fresh(project))


def test_a_link_target_that_changes_elsewhere_is_seen(tmp_path: Path, listed: list[str]) -> None:
    # The link's own folder does not change when what it points at goes away.
    outside = tmp_path / "outside"
    write_files(outside, {"mod.py": ""})
    root = tmp_path / "proj"
    write_files(root, {"pyproject.toml": "[tool.ssot-scan]\n", "app/__init__.py": ""})
    (root / "app" / "mod.py").symlink_to(outside / "mod.py")
    _age(root)
    _age(outside)
    cache = tmp_path / "cache"
    assert "app/mod.py" in _scan(root, cache)[1]
    (outside / "mod.py").unlink()
    listed.clear()
    _, after = _scan(root, cache)
    assert _rel(root, listed) == ["app"]
    assert after == sorted(f.rel for f in _fresh(root).files) == ["app/__init__.py"]


def test_a_folder_changed_just_before_its_listing_is_listed_again(
    tmp_path: Path, listed: list[str]
) -> None:
    # Racy: a folder changed within the timestamp tick of its listing might change
    # again without its mtime moving, so such a listing is not trusted next time.
    root = tmp_path / "proj"
    write_files(
        root, {"pyproject.toml": "[tool.ssot-scan]\n", "pkg/__init__.py": "", "old/m.py": ""}
    )
    _age(root / "old")
    cache = tmp_path / "cache"
    _scan(root, cache)
    listed.clear()
    _scan(root, cache)
    assert _rel(root, listed) == [".", "pkg"]  # old/ was aged: its listing is trusted
    _age(root)
    _scan(root, cache)
    listed.clear()
    _scan(root, cache)
    assert listed == []


def test_naming_another_path_of_the_project_lists_no_folder_again(
    project: Path, tmp_path: Path, listed: list[str]
) -> None:
    # The walk covers the project whatever paths are named (they choose what is
    # reported): an editor running the scan on one file, then another, lists nothing
    # the first run listed, and finds what a fresh discovery finds.
    cache = tmp_path / "cache"
    _scan(project, cache)
    for named in (project / "pkg" / "a.py", project / "pkg" / "sub", project / "pkg" / "b.py"):
        listed.clear()
        config = load_config([named])
        load_rule_packs(config, [])
        found, _ = scan_project([named], config, cache_dir=cache, use_cache=True)
        assert listed == [], named
        assert _names(found) == _names(discover([named], config))


def test_other_settings_list_everything_again(
    project: Path, tmp_path: Path, listed: list[str]
) -> None:
    cache = tmp_path / "cache"
    _scan(project, cache)
    (project / "pyproject.toml").write_text(
        '[tool.ssot-scan]\nexclude = ["pkg/sub/"]\n', encoding="utf-8"
    )
    listed.clear()
    found, after = _scan(project, cache)
    assert _rel(project, listed) == [".", "link", "linked_b", "pkg"]  # pkg/sub excluded
    assert "pkg/sub/c.py" not in after
    assert _names(found) == _names(_fresh(project))


def _edit_kept_walk(
    project: Path, cache_dir: Path, edit: Callable[[dict[str, Any]], None]
) -> None:
    """Scan ``project`` with a cache, then change the walk the cache kept (and drop
    the discovery kept whole, which would spare the next run its walk)."""
    _scan(project, cache_dir)
    cache = open_cache(load_config([project]), cache_dir, True, [])
    assert cache is not None and cache._db is not None
    with cache._db:
        cache._db.execute("DELETE FROM results WHERE key LIKE 'discovery-%'")
    (key,) = [k for (k,) in cache._db.execute("SELECT key FROM results") if k.startswith("walk-")]
    stored = cache.result(key)
    assert stored is not None
    edit(stored)
    cache.store_result(key, stored)
    cache.close()


@pytest.mark.parametrize(
    "damage",
    [
        {"folders": "not a mapping"},
        {"folders": {"/x": [None, False, "not a list", []]}},
        {"folders": {"/x": [None, False, [["file"]], []]}},
        {"folders": {"/x": [None, False, [], [["link", 1, []]]]}},
        {"format": 1},
    ],
)
def test_kept_listings_that_are_damaged_are_taken_afresh(
    project: Path, tmp_path: Path, listed: list[str], damage: dict[str, Any]
) -> None:
    cache_dir = tmp_path / "cache"
    _edit_kept_walk(project, cache_dir, lambda stored: stored.update(damage))
    listed.clear()
    found, _ = _scan(project, cache_dir)
    assert len(listed) == 6
    assert _names(found) == _names(_fresh(project))


@pytest.mark.parametrize("name", ["{outside}", "../outside.py", "..", "a/../../outside.py"])
def test_a_kept_listing_naming_a_path_is_taken_afresh(
    project: Path, tmp_path: Path, listed: list[str], name: str
) -> None:
    # A listing holds names, each joined to its folder: one edited to hold a path
    # (absolute, or climbing out) must not bring a file from elsewhere into the scan.
    outside = tmp_path / "outside.py"
    outside.write_text("import os\n")
    cache_dir = tmp_path / "cache"

    def misname(stored: dict[str, Any]) -> None:
        entries = stored["folders"][str(project / "pkg")][2]
        first = next(e for e in entries if e[0] == "file")
        first[1] = name.format(outside=outside)

    _edit_kept_walk(project, cache_dir, misname)
    listed.clear()
    found, after = _scan(project, cache_dir)
    assert str(project / "pkg") in listed
    assert _names(found) == _names(_fresh(project))
    assert not any("outside" in rel for rel in after)


def test_a_kept_listing_misplacing_a_linked_folder_is_taken_afresh(
    project: Path, tmp_path: Path, listed: list[str]
) -> None:
    cache_dir = tmp_path / "cache"

    def misplace(stored: dict[str, Any]) -> None:
        entries = stored["folders"][str(project)][2]
        link = next(e for e in entries if e[0] == "folder" and e[1] == "link")
        assert link[2] == str(project / "linked_a")
        link[2] = str(project / "linked_b")

    _edit_kept_walk(project, cache_dir, misplace)
    listed.clear()
    found, _ = _scan(project, cache_dir)
    assert str(project) in listed
    assert _names(found) == _names(_fresh(project))


def test_no_cache_keeps_no_listing(project: Path, tmp_path: Path) -> None:
    config = load_config([project])
    load_rule_packs(config, [])
    scan_project([project], config, cache_dir=tmp_path / "cache", use_cache=False)
    assert not (tmp_path / "cache").exists()


@pytest.mark.parametrize("seed", range(12))
def test_random_changes_between_runs_find_what_a_fresh_walk_finds(
    tmp_path: Path, seed: int
) -> None:
    rng = random.Random(seed)
    root = tmp_path / "proj"
    folders = ["pkg", "pkg/a", "pkg/a/b", "pkg/c", "lib", "lib/x", "lib/x/y"]
    files = {"pyproject.toml": "[tool.ssot-scan]\n"}
    for folder in folders:
        files[f"{folder}/__init__.py"] = ""
        for number in range(rng.randint(0, 3)):
            files[f"{folder}/m{number}.py"] = ""
    write_files(root, files)
    _age(root)
    cache = tmp_path / "cache"
    _scan(root, cache)
    for _ in range(rng.randint(1, 4)):
        folder = root / rng.choice(folders)
        action = rng.randrange(5)
        if not folder.exists():
            continue
        if action == 0:
            (folder / f"n{rng.randrange(99)}.py").write_text("", encoding="utf-8")
        elif action == 1:
            victims = sorted(folder.glob("m*.py"))
            if victims:
                rng.choice(victims).unlink()
        elif action == 2:
            write_files(folder, {f"new{rng.randrange(9)}/__init__.py": "", "x.py": ""})
        elif action == 3:
            (folder / ".gitignore").write_text("m0.py\n", encoding="utf-8")
        elif folder.name != "pkg" and folder.name != "lib":
            shutil.rmtree(folder)
    found, _ = _scan(root, cache)
    assert _names(found) == _names(_fresh(root))
    _age(root)
    _scan(root, cache)
    again, _ = _scan(root, cache)
    assert _names(again) == _names(_fresh(root))


def test_signature_of_a_missing_path_is_none(tmp_path: Path) -> None:
    assert listing.signature(str(tmp_path / "nothing")) is None
    assert listing.signature(str(tmp_path)) is not None
