"""Each file's answers kept between runs (``incremental``): an edit works out again
only the answers that read what it changed, and the report is exactly a cold scan's.

Checked after the benchmark's edit on a generated tree, after random edits of every
kind the analysis reads (imports added, removed and renamed, definitions added,
deprecations declared), after edits that change what answers rest on besides a
module's bindings (an import finder, a folder standing in for a package, the
settings), and with damaged rows in the cache.
"""

from __future__ import annotations

import random
import re
import sqlite3
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Optional

import pytest
from helpers import settle, write_files, write_project

from ssot_scan.cache import CACHE_DIR_NAME, DB_NAME
from ssot_scan.config import load_config, load_rule_packs
from ssot_scan.incremental import Answers, Keeper
from ssot_scan.report.json_report import result_json
from ssot_scan.result import ScanResult
from ssot_scan.scan import run_scan

REPO = Path(__file__).resolve().parent.parent

FINDER_MODULE = """\
import sys


class RedirectingFinder:
    def find_spec(self, fullname, path, target=None):
        if fullname.split(".")[0] != "pkg":
            return None
        return None


def install():
    sys.meta_path.insert(0, RedirectingFinder())
"""


class Kept:
    """How many files' answers each cached run reused, and how many it made."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.runs: list[tuple[int, int]] = []
        real = Keeper.keep

        def keep(keeper: Keeper, answers: Answers) -> None:
            self.runs.append((answers.reused, len(answers.made())))
            real(keeper, answers)

        monkeypatch.setattr(Keeper, "keep", keep)

    @property
    def last(self) -> tuple[int, int]:
        return self.runs[-1]


@pytest.fixture
def kept(monkeypatch: pytest.MonkeyPatch) -> Kept:
    return Kept(monkeypatch)


def scan(root: Path, use_cache: bool = True, select: Optional[list[str]] = None) -> ScanResult:
    config = load_config([root])
    if select is not None:
        config.select = select
    load_rule_packs(config, [])
    return run_scan([root], config, jobs=1, use_cache=use_cache)


def same_as_cold(root: Path, select: Optional[list[str]] = None) -> dict[str, Any]:
    """The cached run's report, checked against a run without the cache."""
    cached = result_json(scan(root, select=select))
    assert cached == result_json(scan(root, use_cache=False, select=select))
    return cached


def generated(root: Path, modules: int, seed: int) -> Path:
    sys.path.insert(0, str(REPO / "benchmarks"))
    try:
        import synthetic
    finally:
        sys.path.pop(0)
    return settle(synthetic.generate(root, modules, modules / 400, seed))


def module_files(root: Path) -> Iterator[tuple[Path, str]]:
    src = root / "src"
    for path in sorted(src.rglob("*.py")):
        parts = path.relative_to(src).with_suffix("").parts
        yield path, ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def test_the_benchmark_edit_works_out_few_answers_and_reports_what_a_cold_scan_does(
    tmp_path: Path, kept: Kept
) -> None:
    root = generated(tmp_path / "tree", 240, 3)
    before = same_as_cold(root)
    files = kept.last[1]
    assert kept.last == (0, files)  # the first run works out every file's answers
    plain = [(p, m) for p, m in module_files(root) if p.name != "__init__.py"]
    edited, imported = plain[len(plain) // 2][0], plain[len(plain) // 3][1]
    with open(edited, "a", encoding="utf-8") as handle:
        handle.write(f"\nimport {imported} as _benchmark_edit_1\n")
    after = same_as_cold(root)
    reused, made = kept.last
    assert reused + made == files
    assert 1 <= made < files / 10, kept.runs
    assert after != before  # the edit made a new import cycle or path: not a no-op
    # Unchanged again: the whole result is reused, no answers worked out.
    runs = len(kept.runs)
    assert result_json(scan(root)) == after
    assert len(kept.runs) == runs


EDITS = (
    *("import", "from", "alias", "define", "drop", "deprecate", "drop-definition", "star"),
    *("add-file", "remove-file", "rename-file", "add-package", "deprecate-definition"),
)


def _edit(rng: random.Random, root: Path, round_: int) -> str:
    """One random edit of a module of the generated tree; what it did, for messages."""
    files = list(module_files(root))
    path, _ = rng.choice(files)
    text = path.read_text(encoding="utf-8")
    other, module = rng.choice(files)
    names = re.findall(r"^(?:class|def) (\w+)", other.read_text(encoding="utf-8"), re.M)
    name = rng.choice(names or ["missing_name"])
    kind = rng.choice(EDITS)
    if kind == "add-file":  # a module beside this one: a new name in its package
        new = path.with_name(f"added{round_}.py")
        new.write_text(f"from {module} import {name}\n\n\nclass {name}:\n    pass\n")
        return f"{kind}: {new.relative_to(root)}"
    if kind == "add-package":  # a folder: a namespace package, or one above a module
        new = path.parent / f"pkg{round_}" / f"{name.lower()}.py"
        new.parent.mkdir()
        new.write_text(f"import {module}\n")
        return f"{kind}: {new.relative_to(root)}"
    if kind in ("remove-file", "rename-file") and path.name != "__init__.py":
        if kind == "remove-file":
            path.unlink()
        else:
            path.rename(path.with_name(f"renamed{round_}.py"))
        return f"{kind}: {path.relative_to(root)}"
    lines = text.splitlines(keepends=True)
    if kind == "import":
        lines.append(f"import {module} as _edit{round_}\n")
    elif kind == "from":
        lines.insert(0, f"from {module} import {name}\n")
    elif kind == "alias":
        lines.append(f"from {module} import {name} as Renamed{round_ % 3}\n")
    elif kind == "define":
        lines.append(f"\n\nclass {name}:\n    pass\n")
    elif kind == "drop":
        imports = [i for i, line in enumerate(lines) if line.startswith(("import ", "from "))]
        if imports and not lines[rng.choice(imports)].rstrip().endswith("("):
            del lines[rng.choice(imports)]
    elif kind == "deprecate":
        lines.append("\nimport warnings\nwarnings.warn('gone', DeprecationWarning)\n")
    elif kind == "deprecate-definition":
        # Cached facts say whether a module declares a deprecated definition without
        # decoding its definitions: the flag must follow the edit.
        lines = [re.sub(r"^(class|def) ", r"@deprecated('gone')\n\1 ", line) for line in lines]
        future = [i for i, line in enumerate(lines) if line.startswith("from __future__")]
        lines.insert(future[-1] + 1 if future else 0, "from typing_extensions import deprecated\n")
    elif kind == "drop-definition":
        lines = [re.sub(r"^(class|def) (\w+)", r"\1 \2_gone", line) for line in lines]
    elif kind == "star":
        lines.append(f"from {module} import *\n")
    path.write_text("".join(lines), encoding="utf-8")
    return f"{kind} in {path.relative_to(root)} ({module}.{name})"


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_random_edits_report_what_a_cold_scan_does(tmp_path: Path, kept: Kept, seed: int) -> None:
    root = generated(tmp_path / "tree", 120, 10 + seed)
    same_as_cold(root)
    rng = random.Random(seed)
    for round_ in range(12):
        done = _edit(rng, root, round_)
        cached = result_json(scan(root))
        assert cached == result_json(scan(root, use_cache=False)), done
    assert any(reused for reused, _ in kept.runs[1:])  # answers were reused, not remade


def test_a_file_added_or_removed_keeps_the_answers_it_cannot_change(
    tmp_path: Path, kept: Kept
) -> None:
    root = generated(tmp_path / "tree", 160, 8)
    same_as_cold(root)
    files = kept.last[1]
    plain = [(p, m) for p, m in module_files(root) if p.name != "__init__.py"]
    path, module = plain[len(plain) // 2]
    added = path.with_name("brand_new.py")
    added.write_text(f"import {module}\n\n\nclass BrandNew:\n    pass\n")
    same_as_cold(root)
    reused, made = kept.last
    assert reused > files / 2 and made < files / 2, kept.runs
    added.unlink()
    same_as_cold(root)
    assert kept.last[0] > files / 2, kept.runs


def test_an_import_finder_removed_or_installed_changes_what_its_readers_decide(
    tmp_path: Path,
) -> None:
    root = write_project(
        settle(tmp_path / "proj"),
        {
            "pkg/__init__.py": "",
            "pkg/loader.py": FINDER_MODULE,
            "pkg/utils/__init__.py": "",
            "app.py": "import pkg.utils.gone\nfrom pkg.utils import formerly_core\n",
        },
    )
    finding = ": SSOT005 "
    served = same_as_cold(root, ["SSOT005"])
    assert finding not in str(served)
    # The finder no longer installed: the loader's facts change, app.py's do not.
    loader = root / "pkg/loader.py"
    loader.write_text(
        FINDER_MODULE.replace("sys.meta_path.insert(0, RedirectingFinder())", "pass")
    )
    unserved = same_as_cold(root, ["SSOT005"])
    assert len(unserved["findings"]) == 2
    loader.write_text(FINDER_MODULE)  # and installed again
    assert same_as_cold(root, ["SSOT005"]) == served


QT_SHIM = """\
def _copy_attrs(src, dst):
    for name in dir(src):
        setattr(dst, name, getattr(src, name))


from . import QtCore

import PyQt5.QtCore
_copy_attrs(PyQt5.QtCore, QtCore)
"""


def test_a_module_handed_over_or_no_longer_changes_what_its_readers_decide(
    tmp_path: Path,
) -> None:
    # pyqtgraph's Qt/__init__.py fills its Qt/QtCore package from PyQt5's; app.py's
    # facts do not change when the shim stops doing so, its answers must.
    root = write_project(
        settle(tmp_path / "proj"),
        {
            "pkg/__init__.py": "",
            "pkg/Qt/__init__.py": "",
            "pkg/Qt/QtCore/__init__.py": "",
            "app.py": "from pkg.Qt.QtCore import QPointF\n",
        },
    )
    shim = root / "pkg/Qt/__init__.py"
    unhanded = QT_SHIM.replace("_copy_attrs(PyQt5.QtCore, QtCore)", "pass")
    shim.write_text(unhanded)
    missing = same_as_cold(root, ["SSOT005"])
    assert len(missing["findings"]) == 1
    shim.write_text(QT_SHIM)  # handed over: no module handed anything before
    handed = same_as_cold(root, ["SSOT005"])
    assert handed["findings"] == []
    shim.write_text(unhanded)  # and no longer
    assert same_as_cold(root, ["SSOT005"]) == missing


def test_a_folder_standing_in_for_a_missing_module_is_seen_by_a_cached_run(
    tmp_path: Path,
) -> None:
    root = tmp_path / "proj"
    write_files(
        root,
        {
            "pyproject.toml": "[tool.setuptools.package-dir]\n'' = 'lib'\n",
            "lib/pkg/__init__.py": "",
            "lib/pkg/module_utils/__init__.py": "",
            "test/targets/mu/library/check.py": "from pkg.module_utils.extra import thing\n",
        },
    )
    settle(root)
    assert len(same_as_cold(root, ["SSOT005"])["findings"]) == 1
    # No file's facts change: a folder beside the importer overlays the package.
    (root / "test/targets/mu/module_utils/extra").mkdir(parents=True)
    assert same_as_cold(root, ["SSOT005"])["findings"] == []


def test_other_settings_keep_other_answers(tmp_path: Path, kept: Kept) -> None:
    root = generated(tmp_path / "tree", 80, 5)
    same_as_cold(root)
    same_as_cold(root, ["SSOT002", "SSOT005"])
    assert kept.last[0] == 0  # another context: nothing the first run kept is used
    config = root / "pyproject.toml"
    assert config.read_text().rstrip().endswith("[tool.ssot-scan]")
    config.write_text(
        config.read_text() + "\n[tool.ssot-scan.unresolved]\ninclude-guarded = false\n"
    )
    same_as_cold(root)
    assert kept.last[0] == 0  # the settings changed: answers worked out again
    path = next(p for p, _ in module_files(root) if p.name != "__init__.py")
    path.write_text(path.read_text() + "\nimport os as _edited\n")
    same_as_cold(root)
    assert kept.last[0] > 0  # and kept under the new settings


def _rows(root: Path) -> sqlite3.Connection:
    return sqlite3.connect(root / CACHE_DIR_NAME / DB_NAME)


def test_a_damaged_row_is_worked_out_again(tmp_path: Path, kept: Kept) -> None:
    root = generated(tmp_path / "tree", 80, 6)
    same_as_cold(root)
    db = _rows(root)
    try:
        rels = [rel for (rel,) in db.execute("SELECT rel FROM answers ORDER BY rel")]
        # Edited: no longer its digest. Its digest made again: rows of the wrong shape.
        db.execute("UPDATE answers SET data = 'x' || data WHERE rel = ?", (rels[0],))
        from ssot_scan.hashing import facts_digest

        deep = "[" * 100_000 + "]" * 100_000  # deeper than any reader recurses
        for rel, data in [
            (rels[1], '{"f":1}'),
            (rels[2], '{"f":"x","r":[],"x":false,"u":[[-1,0,"a.b"]]}'),
            (rels[3], '{"f":"x","n":' + deep + "}"),
        ]:
            db.execute(
                "UPDATE answers SET data = ?, digest = ? WHERE rel = ?",
                (data, facts_digest(data), rel),
            )
        # Bytes that are not UTF-8 (SQLite keeps them as a TEXT value): read as text,
        # they had stopped the whole read of the cache.
        db.execute("UPDATE answers SET data = CAST(X'FF' AS TEXT) WHERE rel = ?", (rels[4],))
        # A row whose positions lie past its file's imports, its facts digest intact.
        rel, data = db.execute(
            "SELECT rel, data FROM answers WHERE data LIKE '%\"u\":[[%'"
        ).fetchone()
        bad = re.sub(r'"u":\[\[\d+', '"u":[[9999', data, count=1)
        db.execute(
            "UPDATE answers SET data = ?, digest = ? WHERE rel = ?", (bad, facts_digest(bad), rel)
        )
        db.commit()
    finally:
        db.close()
    # Any file edited, so the whole result is not reused and the answers are read.
    path = next(p for p, _ in module_files(root) if p.name != "__init__.py")
    path.write_text(path.read_text() + "\nimport os as _edited\n")
    result = scan(root)
    assert result_json(result) == result_json(scan(root, use_cache=False))
    assert any("damaged or edited answers" in notice for notice in result.notices)
    assert not any("corrupt cache" in notice for notice in result.notices)
    assert kept.last[1] >= 6  # the damaged rows' files, and the edited one, made again
