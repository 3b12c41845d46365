"""The previous run's walk is reused while nothing it read has changed (``listing``).

Every test ages the tree first (mtimes ten seconds back), so the walk is not racy and
is stored; a change made afterwards then moves an mtime the reuse must notice. Each
change is one a user makes between two runs; the second run must find exactly what a
fresh walk finds.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from ssot_scan import discover as discover_module
from ssot_scan import listing
from ssot_scan.config import load_config, load_rule_packs
from ssot_scan.discover import Discovery, discover
from ssot_scan.scan import open_cache, scan_project
from ssot_scan.walk import walk_files


def _write(root: Path, files: dict[str, str]) -> None:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def _age(root: Path, seconds: int = 10) -> None:
    """Every entry's mtime ``seconds`` back: a walk of it is not racy."""
    past = time.time() - seconds
    for folder, dirs, files in os.walk(root):
        for name in [*dirs, *files]:
            os.utime(os.path.join(folder, name), (past, past), follow_symlinks=False)
    os.utime(root, (past, past))


@pytest.fixture
def walks(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The tops of the walks discovery really does (a reused walk does none)."""
    done: list[str] = []
    real = walk_files

    def counting(top: Path, *args: Any, **kwargs: Any) -> Iterator[Path]:
        done.append(str(top))
        return real(top, *args, **kwargs)

    monkeypatch.setattr(discover_module, "walk_files", counting)
    return done


def _scan(root: Path, cache: Path) -> tuple[Discovery, list[str]]:
    config = load_config([root])
    load_rule_packs(config, [])
    found, _ = scan_project([root], config, cache_dir=cache, use_cache=True)
    return found, sorted(f.rel for f in found.files)


def _fresh(root: Path) -> list[str]:
    config = load_config([root])
    load_rule_packs(config, [])
    return sorted(f.rel for f in discover([root], config).files)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "proj"
    _write(
        root,
        {
            "pyproject.toml": "[tool.ssot-scan]\n",
            "pkg/__init__.py": "",
            "pkg/a.py": "from pkg.b import x\n",
            "pkg/b.py": "x = 1\n",
            "pkg/sub/__init__.py": "",
            "pkg/sub/c.py": "",
            "build/gen.py": "",
            ".gitignore": "ignored.py\n",
            "pkg/ignored.py": "",
        },
    )
    _age(root)
    return root


def test_a_second_run_reuses_the_walk_and_finds_the_same(
    project: Path, tmp_path: Path, walks: list[str]
) -> None:
    _, first = _scan(project, tmp_path / "cache")
    assert walks == [str(project)]
    found, second = _scan(project, tmp_path / "cache")
    assert walks == [str(project)]  # no second walk
    assert second == first == _fresh(project)
    assert "pkg/ignored.py" not in second and "build/gen.py" not in second
    assert {f.module for f in found.files} == {"pkg", "pkg.a", "pkg.b", "pkg.sub", "pkg.sub.c"}


@pytest.mark.parametrize(
    "change",
    [
        "add a file",
        "remove a file",
        "add a folder",
        "rename a folder",
        "edit .gitignore in place",
        "add .gitignore below",
        "make build a package",
        "repoint a folder link",
    ],
)
def test_a_change_between_runs_is_seen(
    project: Path, tmp_path: Path, walks: list[str], change: str
) -> None:
    (project / "linked_a").mkdir()
    (project / "linked_a" / "one.py").write_text("", encoding="utf-8")
    (project / "linked_b").mkdir()
    (project / "linked_b" / "two.py").write_text("", encoding="utf-8")
    (project / "link").symlink_to(project / "linked_a", target_is_directory=True)
    _age(project)
    cache = tmp_path / "cache"
    _scan(project, cache)
    _scan(project, cache)
    assert len(walks) == 1  # stored, then reused
    gitignore = project / ".gitignore"
    if change == "add a file":
        (project / "pkg" / "sub" / "new.py").write_text("", encoding="utf-8")
    elif change == "remove a file":
        (project / "pkg" / "sub" / "c.py").unlink()
    elif change == "add a folder":
        _write(project, {"pkg/deep/er/new.py": ""})
    elif change == "rename a folder":
        (project / "pkg" / "sub").rename(project / "pkg" / "moved")
    elif change == "edit .gitignore in place":
        # Rewritten in place: the folder's stat does not move, only the file's.
        folder = os.stat(project)
        gitignore.write_text("b.py\n", encoding="utf-8")
        assert listing.signature(str(project)) == listing.signature_of(folder)
    elif change == "add .gitignore below":
        (project / "pkg" / ".gitignore").write_text("a.py\n", encoding="utf-8")
    elif change == "make build a package":
        (project / "build" / "__init__.py").write_text("", encoding="utf-8")
    elif change == "repoint a folder link":
        (project / "link").unlink()
        (project / "link").symlink_to(project / "linked_b", target_is_directory=True)
    _, after = _scan(project, cache)
    assert len(walks) == 2  # walked again
    assert after == _fresh(project)


def test_a_link_target_that_changes_elsewhere_is_seen(tmp_path: Path, walks: list[str]) -> None:
    # The link's own folder does not change when what it points at goes away.
    outside = tmp_path / "outside"
    _write(outside, {"mod.py": ""})
    root = tmp_path / "proj"
    _write(root, {"pyproject.toml": "[tool.ssot-scan]\n", "app/__init__.py": ""})
    (root / "app" / "mod.py").symlink_to(outside / "mod.py")
    _age(root)
    _age(outside)
    cache = tmp_path / "cache"
    assert "app/mod.py" in _scan(root, cache)[1]
    (outside / "mod.py").unlink()
    _, after = _scan(root, cache)
    assert len(walks) == 2
    assert after == _fresh(root) == ["app/__init__.py"]


def test_a_walk_of_a_tree_changed_just_before_is_not_kept(
    tmp_path: Path, walks: list[str]
) -> None:
    # Racy: a folder changed within the timestamp tick of the walk might change
    # again without its mtime moving, so such a walk is done again next time.
    root = tmp_path / "proj"
    _write(root, {"pyproject.toml": "[tool.ssot-scan]\n", "pkg/__init__.py": ""})
    cache = tmp_path / "cache"
    _scan(root, cache)
    _scan(root, cache)
    assert len(walks) == 2
    _age(root)
    _scan(root, cache)
    _scan(root, cache)
    assert len(walks) == 3


def test_other_settings_walk_again(project: Path, tmp_path: Path, walks: list[str]) -> None:
    cache = tmp_path / "cache"
    _scan(project, cache)
    (project / "pyproject.toml").write_text(
        '[tool.ssot-scan]\nexclude = ["pkg/sub/"]\n', encoding="utf-8"
    )
    _, after = _scan(project, cache)
    assert len(walks) == 2
    assert "pkg/sub/c.py" not in after
    assert after == _fresh(project)


def test_a_stored_walk_that_is_damaged_is_walked_again(
    project: Path, tmp_path: Path, walks: list[str]
) -> None:
    cache_dir = tmp_path / "cache"
    _scan(project, cache_dir)
    notices: list[str] = []
    cache = open_cache(load_config([project]), cache_dir, True, notices)
    assert cache is not None and cache._db is not None
    keys = [k for (k,) in cache._db.execute("SELECT key FROM results") if k.startswith("walk-")]
    assert len(keys) == 1
    stored = cache.result(keys[0])
    assert stored is not None
    cache.store_result(keys[0], {**stored, "folders": "not a mapping"})
    cache.close()
    _, after = _scan(project, cache_dir)
    assert len(walks) == 2
    assert after == _fresh(project)


def test_no_cache_keeps_no_walk(project: Path, tmp_path: Path) -> None:
    config = load_config([project])
    load_rule_packs(config, [])
    scan_project([project], config, cache_dir=tmp_path / "cache", use_cache=False)
    assert not (tmp_path / "cache").exists()


def test_signature_of_a_missing_path_is_none(tmp_path: Path) -> None:
    assert listing.signature(str(tmp_path / "nothing")) is None
    assert listing.signature(str(tmp_path)) is not None


def test_a_reused_walk_names_files_below_a_folder_link_as_a_fresh_one_does(
    tmp_path: Path, walks: list[str]
) -> None:
    root = tmp_path / "proj"
    _write(
        root,
        {
            "pyproject.toml": "[tool.ssot-scan]\n",
            "real_pkg/__init__.py": "",
            "real_pkg/mod.py": "",
            "app/__init__.py": "from app.linked.mod import x\n",
        },
    )
    (root / "app" / "linked").symlink_to(root / "real_pkg", target_is_directory=True)
    _age(root)

    def names(found: Discovery) -> list[tuple[object, ...]]:
        return [(f.rel, f.module, f.name, f.shadowed_by, f.hidden_by) for f in found.files]

    cache = tmp_path / "cache"
    first, _ = _scan(root, cache)
    second, _ = _scan(root, cache)
    assert len(walks) == 1
    config = load_config([root])
    load_rule_packs(config, [])
    assert names(second) == names(first) == names(discover([root], config))
    assert "app/linked/mod.py" in [f.rel for f in second.files]
