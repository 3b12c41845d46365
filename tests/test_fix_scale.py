"""What keeps ``fix`` fast on a big tree, each shown to change nothing it writes:
libcst parses only the head of a file, files are rewritten in a process pool, facts
are read on demand, and the rewritten files' facts go to the cache."""

from __future__ import annotations

import sys
import textwrap
from collections.abc import Callable
from pathlib import Path

import libcst
import pytest
from helpers import settle, websocket_findings, write_project

from ssot_scan import fix
from ssot_scan.fix import FileFix, Move, files, regions, syntax
from ssot_scan.fix.regions import split_head

RunCli = Callable[..., "tuple[int, str, str]"]

CONFIG = """\
[[tool.ssot-scan.canonical]]
symbol = "pkg.core.Thing"
path = "pkg.api"
"""
BASE = {
    "pkg/__init__.py": "",
    "pkg/core.py": "class Thing: ...\nclass Other: ...\n",
    "pkg/api.py": 'from pkg.core import Thing, Other\n__all__ = ["Thing", "Other"]\n',
}
MOVE = [Move(2, 1, "Thing", "Thing", "pkg.api", "Thing")]


def _record_parses(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The length of every text libcst is asked to parse, from now on."""
    parsed: list[int] = []
    real = libcst.parse_module

    def parse_module(source: str, *args: object, **kwargs: object) -> libcst.Module:
        parsed.append(len(source))
        return real(source, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(libcst, "parse_module", parse_module)
    return parsed


def test_the_head_ends_before_the_first_statement_that_is_not_an_import() -> None:
    text = 'import os\nfrom pkg.core import Thing\n\nfrom pkg.zzz import Z\n\nX = """\nY\n"""\n'
    head, tail = split_head(text, MOVE)
    assert head == "import os\nfrom pkg.core import Thing\n\nfrom pkg.zzz import Z\n\n"
    assert tail == 'X = """\nY\n"""\n'


def test_a_parenthesised_import_and_a_continued_block_stay_in_the_head() -> None:
    text = (
        "try:\n    from pkg.core import (\n    Thing,\n)\nexcept ImportError:\n    pass\nX = 1\n"
    )
    head, tail = split_head(text, [Move(2, 5, "Thing", "Thing", "pkg.api", "Thing")])
    assert tail == "X = 1\n"
    assert head + tail == text


def test_a_cut_that_is_not_between_statements_parses_the_whole_file(tmp_path: Path) -> None:
    # Line 3 starts in the first column, inside a string: libcst rejects the head,
    # and the whole file is parsed instead; the result is the same either way.
    text = 'from pkg.core import Thing\nS = """\nnot code\n"""\n'
    path = tmp_path / "use.py"
    path.write_text(text)
    result = fix.fix_file(path, "use.py", [Move(1, 1, "Thing", "Thing", "pkg.api", "Thing")])
    assert result.after == 'from pkg.api import Thing\nS = """\nnot code\n"""\n'


def test_libcst_reads_only_the_imports_of_a_long_file(
    tmp_path: Path, run_cli: RunCli, monkeypatch: pytest.MonkeyPatch
) -> None:
    body = "".join(f"def f{i}():\n    return {i}\n\n\n" for i in range(200))
    use = "import os\nfrom pkg.core import Thing\n\n\n" + body
    root = write_project(tmp_path, {**BASE, "pkg/use.py": use}, CONFIG)
    parsed = _record_parses(monkeypatch)
    code, _, err = run_cli(["fix", "--no-cache"], root)
    assert code == 0, err
    assert (root / "pkg" / "use.py").read_text() == use.replace("pkg.core", "pkg.api")
    assert parsed == [len("import os\nfrom pkg.core import Thing\n\n\n")]


def test_the_head_rewrites_exactly_as_the_whole_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root, findings = websocket_findings(tmp_path)
    heads, _ = fix.plan(findings, root)
    assert any(f.after is not None and f.after != f.before for f in heads)
    monkeypatch.setattr(regions, "split_head", lambda text, moves: (text, ""))
    wholes, _ = fix.plan(findings, root)
    assert [(f.rel, f.after, f.moved) for f in heads] == [
        (f.rel, f.after, f.moved) for f in wholes
    ]


def _many(count: int) -> dict[str, str]:
    files = dict(BASE)
    for i in range(count):
        files[f"app/m{i:03}.py"] = f"from pkg.core import Thing\n\nN = {i}\n"
    files["app/__init__.py"] = ""
    return files


def test_a_pool_of_processes_writes_what_one_process_does(tmp_path: Path, run_cli: RunCli) -> None:
    one = write_project(tmp_path / "one", _many(60), CONFIG)
    two = write_project(tmp_path / "two", _many(60), CONFIG)
    assert run_cli(["fix", "--no-cache", "--jobs", "1"], one)[:2] == (
        0,
        "moved 60 imports in 60 files\n",
    )
    assert run_cli(["fix", "--no-cache", "--jobs", "2"], two)[:2] == (
        0,
        "moved 60 imports in 60 files\n",
    )
    for path in sorted((one / "app").glob("*.py")):
        assert path.read_text() == (two / "app" / path.name).read_text()
    assert (one / "app" / "m007.py").read_text() == "from pkg.api import Thing\n\nN = 7\n"


def test_the_next_scan_reads_the_rewritten_files_from_the_cache(
    tmp_path: Path, run_cli: RunCli, monkeypatch: pytest.MonkeyPatch
) -> None:
    import ssot_scan.parallel as parallel

    root = write_project(tmp_path, _many(3), CONFIG)
    assert run_cli(["fix"], root)[0] == 0
    parsed: list[str] = []
    real = parallel.extract_all

    def extract_all(jobs: list, *args: object, **kwargs: object) -> object:  # type: ignore[type-arg]
        parsed.extend(job.path for job in jobs)
        return real(jobs, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(parallel, "extract_all", extract_all)
    code, out, _ = run_cli(["--select", "SSOT002", "-q", "."], root)
    assert (code, out) == (0, "")
    assert parsed == []


def test_a_result_no_python_compiles_is_refused(tmp_path: Path) -> None:
    # CPython rejects an unknown \N{...} name; libcst does not.
    item = FileFix(tmp_path / "x.py", "x.py", "X = 1\n", after='X = "\\N{NOT A REAL NAME}"\n')
    problem = files._check_parses(item, "x", False, "auto")
    assert problem is not None and "unknown Unicode character name" in problem
    assert item.facts is None


@pytest.mark.skipif(sys.version_info >= (3, 12), reason="this Python reads PEP 695")
def test_a_result_only_libcst_reads_is_refused_when_python_read_the_original(
    tmp_path: Path,
) -> None:
    item = FileFix(tmp_path / "x.py", "x.py", "X = 1\n", after="type X = int\n")
    problem = files._check_parses(item, "x", False, "auto")
    assert problem is not None and problem.startswith("ast: ")
    assert item.facts is None


def test_the_facts_of_a_rewritten_file_come_with_it(tmp_path: Path) -> None:
    path = tmp_path / "use.py"
    path.write_text(textwrap.dedent("from pkg.core import Thing\n"))
    result = fix.fix_file(path, "use.py", [Move(1, 1, "Thing", "Thing", "pkg.api", "Thing")])
    assert result.facts is not None
    assert [site.target for site in result.facts.imports] == ["pkg.api"]


def test_a_wide_import_graph_is_followed_reading_the_cache_a_level_at_a_time(
    tmp_path: Path, run_cli: RunCli, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Importing pkg.api runs pkg.hub, which imports 300 modules, one of which
    # imports the module the name moves away from: its side effect still runs, so
    # the move is made; the 300 are read from the cache in one question.
    from ssot_scan.cache import FactsCache

    files = {
        **BASE,
        "pkg/api.py": "import pkg.hub\n" + BASE["pkg/api.py"],
        "pkg/hub.py": "".join(f"import pkg.wide.m{i:03}\n" for i in range(300)),
        "pkg/wide/__init__.py": "",
        "pkg/plugins.py": 'from pkg.core import Thing\n\nprint("registered")\n',
        "app/__init__.py": "",
        "app/use.py": "from pkg.plugins import Thing\n",
    }
    for i in range(300):
        files[f"pkg/wide/m{i:03}.py"] = "import pkg.plugins\n" if i == 150 else "X = 1\n"
    root = settle(write_project(tmp_path, files, CONFIG))
    assert run_cli(["-q", "--exit-zero", "."], root)[0] == 0  # fills the cache
    calls: list[int] = []
    real = FactsCache.facts

    def facts(self: FactsCache, keys: object, *args: object, **options: object) -> object:
        keys = list(keys)  # type: ignore[call-overload]
        calls.append(len(keys))
        return real(self, keys, *args, **options)  # type: ignore[arg-type]

    monkeypatch.setattr(FactsCache, "facts", facts)
    code, _, err = run_cli(["fix"], root)
    assert code == 0, err
    assert (root / "app" / "use.py").read_text() == "from pkg.api import Thing\n"
    assert max(calls) >= 300
    assert len(calls) < 30


NESTED = (
    '''\
"""A long module whose imports sit inside functions and an if block."""
import os


class Printer:
    def one(self):
        from pkg.core import Other, Thing  # the run starts here
        from pkg.zeta import Z

        return Z, Other, Thing

    def two(self):
        if os:
            from pkg.core import (
                Thing as T,
            )
            return T
'''
    + "".join(f"\n    def f{i}(self):\n        return {i}\n" for i in range(300))
    + """

if os.name:
    from pkg.core import Thing
"""
)


def test_imports_nested_below_the_head_are_rewritten_block_by_block(
    tmp_path: Path, run_cli: RunCli, monkeypatch: pytest.MonkeyPatch
) -> None:
    files = {**BASE, "pkg/zeta.py": "Z = 1\n", "pkg/use.py": NESTED}
    root = write_project(tmp_path, files, CONFIG)
    parsed = _record_parses(monkeypatch)
    code, out, err = run_cli(["fix", "--no-cache"], root)
    assert code == 0, err
    assert out == "moved 3 imports in 1 file\n"
    text = (root / "pkg" / "use.py").read_text()
    assert text.startswith('''\
"""A long module whose imports sit inside functions and an if block."""
import os


class Printer:
    def one(self):
        from pkg.api import Thing
        from pkg.core import Other  # the run starts here
        from pkg.zeta import Z

        return Z, Other, Thing

    def two(self):
        if os:
            from pkg.api import Thing as T
            return T
''')
    assert text.endswith("\n\nif os.name:\n    from pkg.api import Thing\n")
    assert len(parsed) == 3 and max(parsed) < 100


def test_block_by_block_rewrites_exactly_as_the_whole_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "use.py"
    path.write_text(NESTED)
    moves = [
        Move(7, 9, "Thing", "Thing", "pkg.api", "Thing"),
        Move(14, 13, "Thing", "T", "pkg.api", "Thing"),
        Move(len(NESTED.splitlines()), 5, "Thing", "Thing", "pkg.api", "Thing"),
    ]
    blocks = fix.fix_file(path, "use.py", moves, first_party=frozenset({"pkg"}))
    monkeypatch.setattr(regions, "_rewrite_blocks", lambda *args: None)
    whole = fix.fix_file(path, "use.py", moves, first_party=frozenset({"pkg"}))
    assert blocks.moved == 3
    assert (blocks.after, blocks.moved) == (whole.after, whole.moved)


def test_a_block_that_cannot_be_cut_out_is_rewritten_with_the_whole_file(
    tmp_path: Path,
) -> None:
    # The parenthesised names run left of the block's indentation.
    text = "def f():\n    from pkg.core import (\nOther, Thing)\n    return Other, Thing\n"
    path = tmp_path / "use.py"
    path.write_text(text)
    result = fix.fix_file(path, "use.py", [Move(2, 5, "Thing", "Thing", "pkg.api", "Thing")])
    assert result.after == (
        "def f():\n    from pkg.api import Thing\n    from pkg.core import (\nOther)\n"
        "    return Other, Thing\n"
    )


def test_a_rewrite_that_breaks_an_import_is_undone(
    tmp_path: Path, run_cli: RunCli, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A wrong relative spelling (one dot too many) still names the right module to
    # the check of moved names; the check of the changed statements catches it.
    monkeypatch.setattr(syntax, "relative_spelling", lambda target, package: (2, "api"))
    use = "from .core import Thing\n"
    root = write_project(tmp_path, {**BASE, "pkg/use.py": use}, CONFIG)
    code, _, err = run_cli(["fix", "--no-cache"], root)
    assert code == 1
    assert "the rewritten files have 1 unresolved imports, 0 before" in err
    assert "every file was restored" in err
    assert (root / "pkg" / "use.py").read_text() == use
