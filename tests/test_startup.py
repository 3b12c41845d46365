"""What start-up imports: the parts a run does not need must stay unimported.

Timing belongs in benchmarks/, not in unit tests; what keeps start-up fast is not
importing libcst (needed only for files the interpreter cannot parse), networkx
(needed only to draw graphs: a scan finds its cycles with plain dicts) and the checks
(not needed by --version, --help, or a warm run).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

PROBE = """
import json, sys
from click.testing import CliRunner
from ssot_scan.cli import main
result = CliRunner().invoke(main, sys.argv[1:], catch_exceptions=False)
heavy = sorted(m for m in ("libcst", "networkx", "ssot_scan.checks.import_cycle", "_hashlib",
                            "ssot_scan.extract.newer_syntax")
               if m in sys.modules)
print(json.dumps({"exit": result.exit_code, "heavy": heavy}))
"""


def probe(*args: str, cwd: Path, script: str = PROBE) -> dict[str, object]:
    """Run ``script`` with ``args`` in a fresh interpreter; its last line, as JSON."""
    done = subprocess.run(
        [sys.executable, "-c", script, *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=120,
        check=True,
    )
    data: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    return data


def test_version_imports_nothing_heavy(tmp_path: Path) -> None:
    assert probe("--version", cwd=tmp_path) == {"exit": 0, "heavy": []}


def test_a_scan_of_ordinary_files_never_imports_libcst(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("")
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "__init__.py").write_text("from pkg.a import x\n")
    (tmp_path / "pkg" / "a.py").write_text("x = 1\n")
    data = probe("--no-cache", "-q", ".", cwd=tmp_path)
    assert data["exit"] == 0
    assert "libcst" not in data["heavy"]  # type: ignore[operator]
    # Nor the patterns that tell newer syntax from a broken file: only a file the
    # interpreter cannot parse needs them.
    assert "ssot_scan.extract.newer_syntax" not in data["heavy"]  # type: ignore[operator]


def test_a_file_the_interpreter_cannot_parse_is_checked_for_newer_syntax(
    tmp_path: Path,
) -> None:
    (tmp_path / "pyproject.toml").write_text("")
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "__init__.py").write_text("")
    (tmp_path / "pkg" / "a.py").write_text("def broken(:\n")
    data = probe("--no-cache", "-q", "--exit-zero", ".", cwd=tmp_path)
    assert data["exit"] == 0
    assert "ssot_scan.extract.newer_syntax" in data["heavy"]  # type: ignore[operator]


def test_a_warm_run_skips_the_analysis_imports(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("")
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "__init__.py").write_text("")
    first = probe("-q", ".", cwd=tmp_path)
    assert "ssot_scan.checks.import_cycle" in first["heavy"]  # type: ignore[operator]
    assert probe("-q", ".", cwd=tmp_path) == {"exit": 0, "heavy": []}


def _cycle(root: Path) -> None:
    (root / "pyproject.toml").write_text("")
    (root / "pkg").mkdir()
    (root / "pkg" / "__init__.py").write_text("")
    (root / "pkg" / "a.py").write_text("from pkg.b import y\nx = 1\n")
    (root / "pkg" / "b.py").write_text("from pkg.a import x\ny = 2\n")


def test_a_scan_that_finds_a_cycle_never_imports_networkx_or_openssl(tmp_path: Path) -> None:
    # networkx costs more to import than a warm scan of Django takes; a scan needs
    # only the components of the import graph (``cycles``), never a drawing. Nor
    # does it load OpenSSL (``_hashlib``) for its fingerprints' SHA-256.
    _cycle(tmp_path)
    data = probe("--no-cache", "--exit-zero", "--output-format", "json", ".", cwd=tmp_path)
    assert data["exit"] == 0
    assert data["heavy"] == ["ssot_scan.checks.import_cycle"]


def test_drawing_the_cycles_imports_networkx(tmp_path: Path) -> None:
    _cycle(tmp_path)
    data = probe("graph", "--what", "cycles", "--no-cache", "-q", ".", cwd=tmp_path)
    assert data["exit"] == 0
    assert "networkx" in data["heavy"]  # type: ignore[operator]


PROGRAM = """
import gc, json, os, sys
from ssot_scan.cli import program
def _exit(status):  # program ends the process with os._exit: let the probe report first
    raise SystemExit(status)
os._exit = _exit
sys.argv = ["ssot-scan", *sys.argv[1:]]
try:
    program()
except SystemExit as exc:
    code = exc.code
loaded = sorted(m for m in ("multiprocessing", "concurrent.futures", "tempfile", "pathspec",
                            "ssot_scan.extract", "hashlib", "ssot_scan.facts",
                            "ssot_scan.parallel", "ssot_scan.naming") if m in sys.modules)
print(json.dumps({"exit": code or 0, "loaded": loaded, "collector": gc.isenabled()}))
"""


def run_program(*args: str, cwd: Path) -> dict[str, object]:
    return probe(*args, cwd=cwd, script=PROGRAM)


def _backdate(root: Path) -> float:
    """Date ``root``, its folders and its files ten seconds back (past the racy
    window of listings and stats); the time they now carry."""
    import os
    import time

    past = time.time() - 10
    for folder, _, files in os.walk(root):
        for path in [folder, *(os.path.join(folder, f) for f in files)]:
            os.utime(path, (past, past))
    return past


def test_a_warm_run_imports_no_pool_no_temporary_files_no_ignore_matcher_no_parser_no_openssl(
    tmp_path: Path,
) -> None:
    """Nor the facts' dataclasses, nor the namer: the discovery is taken whole."""
    import os

    (tmp_path / ".git").mkdir()  # the lookup of .git stops here (see snapshot)
    (tmp_path / "pyproject.toml").write_text("")
    (tmp_path / ".gitignore").write_text("generated/\n")
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "__init__.py").write_text("")
    first = run_program("-q", ".", cwd=tmp_path)  # creates the cache folder
    assert first["exit"] == 0 and "pathspec" in first["loaded"]  # type: ignore[operator]
    assert {"ssot_scan.extract", "ssot_scan.facts", "ssot_scan.naming"} <= set(first["loaded"])  # type: ignore[call-overload]
    # The one-shot process leaves the collector off after the scan (see program).
    assert first["collector"] is False
    past = _backdate(tmp_path)  # not racy: the next walk is kept (see listing)
    os.utime(tmp_path.parent, (past, past))  # looked into: see discover._crawl_root
    assert "pathspec" in run_program("-q", ".", cwd=tmp_path)["loaded"]  # type: ignore[operator]
    assert run_program("-q", ".", cwd=tmp_path) == {"exit": 0, "loaded": [], "collector": False}


def test_a_run_that_finds_every_file_by_its_content_imports_no_parser_pool_or_facts(
    tmp_path: Path,
) -> None:
    """A touched file (its stat changed, its content did not) is hashed and found
    by its content; its facts' digest names the stored result: nothing is parsed,
    so neither the pool, the facts' dataclasses nor the parsers are imported."""
    import os

    (tmp_path / ".git").mkdir()
    (tmp_path / "pyproject.toml").write_text("")
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "__init__.py").write_text("")
    (tmp_path / "pkg" / "a.py").write_text("from pkg import b\n")
    (tmp_path / "pkg" / "b.py").write_text("X = 1\n")
    past = _backdate(tmp_path)  # not racy: stats the next run trusts
    assert run_program("-q", ".", cwd=tmp_path)["exit"] == 0
    os.utime(tmp_path / "pkg" / "a.py", (past + 1, past + 1))  # touched, same content
    touched = run_program("-q", ".", cwd=tmp_path)
    assert touched["exit"] == 0
    assert not {"ssot_scan.extract", "ssot_scan.facts", "ssot_scan.parallel"} & set(
        touched["loaded"]  # type: ignore[call-overload]
    )


ENTRY = """
import gc, importlib, json, os, sys
sys.argv = ["ssot-scan", *sys.argv[1:]]
module, _, name = sys.argv.pop().partition(":")  # the console script's entry point
entry = getattr(importlib.import_module(module), name)
imported = sorted(m for m in ("click", "ssot_scan.cli") if m in sys.modules)
def _exit(status):  # program ends the process with os._exit: let the probe report first
    raise SystemExit(status)
os._exit = _exit
seen = []
gc.callbacks.append(lambda phase, info: seen.append(phase))
gc.set_threshold(1)  # while it is on, the collector runs at every allocation
try:
    entry()
except SystemExit as exc:
    code = exc.code
print(json.dumps({"exit": code or 0, "imported": imported, "collections": len(seen)}))
"""


def test_the_console_script_imports_the_command_line_with_the_collector_off(
    tmp_path: Path,
) -> None:
    """Start-up is mostly imports, whose objects would set the collector off again
    and again for nothing (see ``console``): the entry point imports nothing
    before it turns the collector off, and nothing collects after."""
    from ssot_scan.tomlcompat import load_toml

    repo = Path(__file__).resolve().parent.parent
    entry = load_toml(repo / "pyproject.toml", "pyproject.toml")["project"]["scripts"]["ssot-scan"]
    data = probe("--version", entry, cwd=tmp_path, script=ENTRY)
    assert data == {"exit": 0, "imported": [], "collections": 0}
