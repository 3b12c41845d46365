"""Benchmark ssot-scan against the tools a user would otherwise run, on Django and on a
synthetic 10,000-module codebase, and check the speed targets of issue 4.

    python benchmarks/run.py [--repeat 5] [--modules 10000] [--megabytes 150]
                             [--skip-synthetic] [--skip-peers] [--json FILE]

What it does, and why:

- Installs Django, ruff and import-linter, pinned, with this interpreter's pip into
  ``--target`` folders of the scratch folder (default ``benchmarks/.work/``, ignored by
  git). Nothing else is downloaded: the synthetic corpus is generated locally
  (``benchmarks/synthetic.py``, seeded, so it is the same every time).
- Times, on each corpus, with ``time.perf_counter`` around ``subprocess.run`` (output
  to /dev/null), and reports medians over ``--repeat`` repetitions. Within a
  repetition every measurement runs once, in an order rotated per repetition, so a
  slow patch of the machine hits them all alike:
  ssot-scan cold (``--no-cache``, default ``--jobs``), cold ``--jobs 1``, first run (the
  CLI's default, cache on, into an empty cache folder), warm (cache filled by an
  earlier run, nothing changed), incremental (one file changed by
  appending a comment: the run right after the change is timed, then the file is
  restored and the cache refilled, untimed), ``python -c pass`` (the interpreter
  floor every Python tool pays), ``ruff check --no-cache --select TID251,I`` with a
  banned-api config (the closest per-file peer), and ``lint-imports --no-cache`` with
  one forbidden contract (the closest cross-file peer: it builds the import graph).
- Checks, untimed, that the cached runs report byte for byte what a cold
  ``--no-cache --jobs 1`` run of the same tree does: the warm run, and the run after
  the import edit (issue 13); the summary says "identical" or which differ.
- Measures ssot-scan's peak memory in a dedicated cold run: the sum of the
  proportional set size of its process tree (main process and workers), sampled, and
  the largest single process as the kernel reports it (``wait4`` ``ru_maxrss``).
- Measures, once per corpus, what a cold scan's worker does per file against what the
  floor's does, CPU in one process (``work_ratio.py``): the parsing part of a cold scan
  costs at least that much against the floor's, whatever the rest of the scan costs.
- Prints a table of medians and ratios, the issue's targets with pass/fail (a ratio
  target also with the median and range of the ratio within each repetition), and,
  with ``--json FILE``, writes every figure (samples included).

The warm and incremental runs use an explicit ``--cache-dir`` in the scratch folder, so
nothing is written into the corpora (and Django's folder has no project root of its own).
"""

from __future__ import annotations

import argparse
import contextlib
import itertools
import json
import math
import os
import platform
import secrets
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any, Optional

# synthetic.py is a sibling script, not an installed package.
sys.path.insert(0, str(Path(__file__).resolve().parent))
import synthetic

HERE = Path(__file__).resolve().parent
DJANGO = "django==5.2.19"  # the current 5.2.x when this benchmark was written
RUFF = "ruff==0.17.6"
IMPORT_LINTER = "import-linter==2.17"

# (key, column header) in table order.
MEASURES = (
    ("ssot_cold", "cold"),
    ("ssot_cold_jobs1", "cold -j1"),
    ("ssot_first", "1st run"),
    ("ssot_warm", "warm"),
    ("ssot_incremental", "1 changed"),
    ("ssot_import_edit", "1 import"),
    ("ssot_one_file", "1 named"),
    ("python_floor", "python -c"),
    ("parse_floor", "parse floor"),
    ("ruff", "ruff"),
    ("import_linter", "lint-imports"),
)
# (corpus, key, limit, unit): issue 4, "Targets" (2-core machine, medians).
TARGETS = (
    ("django", "ssot_cold", 1.5, "s"),
    ("django", "ssot_warm", 0.35, "s"),
    ("synthetic", "ssot_cold", 25.0, "s"),
    ("synthetic", "ssot_warm", 1.0, "s"),
    ("synthetic", "ssot_incremental", 2.5, "s"),
    ("synthetic", "peak_mb", 1500.0, "MB"),
)
TARGET_SIZE = (10_000, 150.0)  # the synthetic targets are stated for this corpus
# (corpus, measure, reference, limit): issue 13, ratios measured side by side in one
# run, so they travel between machines where seconds do not.
RATIO_TARGETS = (
    ("django", "ssot_cold", "parse_floor", 1.3),
    # A project's first run as the CLI makes it (cache on, empty): cold too.
    ("django", "ssot_first", "parse_floor", 1.3),
    ("django", "ssot_warm", "ruff", 1.0),
    ("django", "ssot_incremental", "ruff", 1.0),
    ("synthetic", "ssot_cold", "parse_floor", 1.3),
    ("synthetic", "ssot_first", "parse_floor", 1.3),
    ("synthetic", "ssot_warm", "ruff", 1.0),
    ("synthetic", "ssot_import_edit", "ssot_cold", 0.10),
)
FLOOR = HERE / "floor.py"
WORK_RATIO = HERE / "work_ratio.py"

RUFF_TOML = """\
# Written by benchmarks/run.py: the ruff peer's configuration (one banned api).
# The scratch folder is git-ignored; ruff must still see every file ssot-scan sees.
respect-gitignore = false

[lint.flake8-tidy-imports.banned-api]
"os.system".msg = "use subprocess.run"
"""


class BenchmarkError(RuntimeError):
    """A tool failed in a way that makes its timing meaningless."""


@dataclass
class Corpus:
    """One codebase, and how each tool is pointed at it."""

    name: str
    cwd: Path  # every tool runs from here
    scan: Path  # the folder given to ssot-scan and ruff
    import_path: Path  # put on PYTHONPATH so import-linter can find the package
    touch: Path  # the file the incremental run changes
    edit_import: str  # a first-party module the import-edit run adds an import of
    files: int
    megabytes: float
    importlinter_config: Optional[Path] = None
    importlinter_na: str = ""  # why import-linter was not timed, if it was not
    samples: dict[str, list[float]] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)

    def median(self, key: str) -> Optional[float]:
        values = self.samples.get(key)
        return statistics.median(values) if values else None


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# -- installing the peers ---------------------------------------------------------------


def pip_install(folder: Path, requirements: Sequence[str]) -> None:
    """``pip install --target folder``, skipped when the folder already holds exactly
    these pins (a stamp file records them)."""
    stamp = folder / ".benchmark-pins"
    wanted = "\n".join(requirements) + "\n"
    if stamp.is_file() and stamp.read_text(encoding="utf-8") == wanted:
        return
    if folder.exists():
        shutil.rmtree(folder)
    log(f"installing {' '.join(requirements)} into {folder}")
    command = [
        sys.executable,
        "-m",
        "pip",
        "install",
        "--quiet",
        "--disable-pip-version-check",
        "--no-input",
        "--target",
        str(folder),
        *requirements,
    ]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise BenchmarkError(f"pip failed ({done.returncode}):\n{done.stderr[-3000:]}")
    stamp.write_text(wanted, encoding="utf-8")


def ssot_command() -> list[str]:
    """The ``ssot-scan`` entry point of this interpreter's environment (what users run)."""
    script = Path(sys.executable).parent / "ssot-scan"
    if script.is_file():
        return [str(script)]
    found = shutil.which("ssot-scan")
    return [found] if found else [sys.executable, "-m", "ssot_scan"]


def python_files(folder: Path) -> list[Path]:
    return sorted(path for path in folder.rglob("*.py") if path.is_file())


def edit_target(src: Path) -> tuple[Path, str]:
    """Where the timed edits go in the modules below ``src`` (a sys.path entry): the
    middle ordinary module of the sorted list, the same on every run, and a module
    a third of the way down for it to import."""
    plain = [path for path in python_files(src) if path.name != "__init__.py"]
    if len(plain) < 3:
        raise BenchmarkError(f"{src}: too few modules to edit one")
    other = plain[len(plain) // 3].relative_to(src).with_suffix("")
    return plain[len(plain) // 2], ".".join(other.parts)


# -- corpora ------------------------------------------------------------------------------


def django_corpus(scratch: Path) -> Corpus:
    """Django's installed package folder, as it sits in a site-packages."""
    site = scratch / "django-site"
    pip_install(site, [DJANGO])
    # The scratch folder lies inside this repository, whose pyproject.toml (and the
    # scratch .gitignore) ssot-scan would otherwise take as Django's project: an empty
    # config makes the install folder the root, which scans exactly as a site-packages
    # with no config above it (same files, same module names, same findings).
    # ssot-scan analyses the whole project below its root (issue 8): the excludes keep
    # that to Django's own files, the same files ruff and import-linter read.
    (site / "ssot-scan.toml").write_text(
        "# Written by benchmarks/run.py: makes this folder the project root.\n"
        'exclude = ["asgiref/", "sqlparse/", "bin/"]\n',
        encoding="utf-8",
    )
    package = site / "django"
    files = python_files(package)
    config = scratch / "django.importlinter"
    config.write_text(
        "[importlinter]\n"
        "root_package = django\n\n"
        "[importlinter:contract:utils-not-db]\n"
        "name = django.utils must not import django.db\n"
        "type = forbidden\n"
        "source_modules =\n    django.utils\n"
        "forbidden_modules =\n    django.db\n",
        encoding="utf-8",
    )
    return Corpus(
        name="django",
        cwd=site,
        scan=package,
        import_path=site,
        touch=package / "utils" / "functional.py",
        edit_import="django.utils.text",
        files=len(files),
        megabytes=sum(path.stat().st_size for path in files) / 1e6,
        importlinter_config=config,
    )


def synthetic_corpus(
    scratch: Path, modules: int, megabytes: float, seed: int, folder: str = "synthetic"
) -> Corpus:
    """The generated project (reused when an earlier run made the same one)."""
    root = scratch / folder
    generated = 0.0
    if not synthetic.is_current(root, modules, megabytes, seed):
        log(f"generating {modules} modules / {megabytes:g} MB into {root}")
        start = time.perf_counter()
        synthetic.generate(root, modules, megabytes, seed)
        generated = time.perf_counter() - start
    src = root / "src"
    files = python_files(root)
    tops = sorted(p.name for p in src.iterdir() if (p / "__init__.py").is_file())
    subpackages = [
        f"{top}.{p.name}"
        for top in tops
        for p in sorted((src / top).iterdir())
        if (p / "__init__.py").is_file()
    ]
    source = subpackages[0]
    others = [s for s in subpackages if s.split(".")[0] != source.split(".")[0]]
    forbidden = (others or subpackages[1:])[0]
    config = scratch / "synthetic.importlinter"
    config.write_text(
        "[importlinter]\n"
        "root_packages =\n" + "".join(f"    {top}\n" for top in tops) + "\n"
        "[importlinter:contract:layers]\n"
        f"name = {source} must not import {forbidden}\n"
        "type = forbidden\n"
        f"source_modules =\n    {source}\n"
        f"forbidden_modules =\n    {forbidden}\n",
        encoding="utf-8",
    )
    touch, edit_import = edit_target(src)
    corpus = Corpus(
        name="synthetic",
        cwd=root,
        scan=root,
        import_path=src,
        touch=touch,
        edit_import=edit_import,
        files=len(files),
        megabytes=sum(path.stat().st_size for path in files) / 1e6,
        importlinter_config=config,
    )
    corpus.extra["generation_seconds"] = round(generated, 2) if generated else None
    corpus.extra["seed"] = seed
    return corpus


# -- running and timing -----------------------------------------------------------------


@dataclass
class Tool:
    """A command line and what counts as a normal exit."""

    command: list[str]
    cwd: Path
    env: Optional[dict[str, str]] = None
    ok: tuple[int, ...] = (0,)
    # CPU seconds of the last run (user and system, of the process and every process
    # it waited for: a pool's workers too); NaN where ``resource`` does not exist.
    cpu: float = math.nan

    def run(self) -> float:
        """Seconds for one run; a failing tool is an error, not a fast result.

        stderr goes to a temporary file rather than /dev/null (as cheap for the tool)
        so a failure can say why: a rerun may not fail the same way."""
        with tempfile.TemporaryFile() as errors:
            before = _children_cpu()
            start = time.perf_counter()
            done = subprocess.run(
                self.command,
                cwd=self.cwd,
                env=self.env,
                stdout=subprocess.DEVNULL,
                stderr=errors,
                check=False,
            )
            elapsed = time.perf_counter() - start
            self.cpu = _children_cpu() - before
            if done.returncode not in self.ok:
                errors.seek(0)
                tail = errors.read().decode(errors="replace").strip().splitlines()[-8:]
                raise BenchmarkError(
                    f"`{shlex.join(self.command)}` exited {done.returncode}:\n  "
                    + "\n  ".join(tail or ["(no output on stderr)"])
                )
        return elapsed


def _children_cpu() -> float:
    """CPU seconds of every child process this one has waited for so far."""
    try:
        import resource
    except ImportError:  # Windows
        return math.nan
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


_EDITS = itertools.count(1)
# Unique to this process: the caches outlive it, and a later invocation's edits,
# counted from 1 again, found the results an earlier one's had stored (ab.py run
# twice on the same code timed 0.33 s lookups for a 3 s analysis).
_EDIT_RUN = secrets.token_hex(4)


def import_edit(module: str) -> str:
    """A line importing ``module`` under a name no earlier edit used: the same edit
    made again would find the result the cache stored for it the first time (the
    file's facts are the same), and time a lookup, not the analysis."""
    name = f"_benchmark_edit_{_EDIT_RUN}_{next(_EDITS)}"
    return f"\nimport {module} as {name}  # added by benchmarks/run.py\n"


def first_run(tool: Tool) -> float:
    """Time ``tool`` on an empty cache folder (its ``--cache-dir``, removed first,
    untimed): a project's first run as the CLI makes it by default, which parses
    every file as a ``--no-cache`` run does and also stores every file's facts."""
    folder = Path(tool.command[tool.command.index("--cache-dir") + 1])
    if folder.exists():
        shutil.rmtree(folder)
    return tool.run()


@contextlib.contextmanager
def appended(path: Path, text: str) -> Iterator[None]:
    """``text`` appended to ``path`` for the block; then the file restored, its content
    and its times. Restored with a new mtime, the file would be one changed an instant
    before a run, whose stat the cache does not trust (see ``scan._racy``), and the
    next warm run would read it again."""
    original = path.read_bytes()
    times = path.stat()
    try:
        with open(path, "ab") as handle:
            handle.write(text.encode())
        yield
    finally:
        path.write_bytes(original)
        os.utime(path, ns=(times.st_atime_ns, times.st_mtime_ns))


def touched_run(tool: Tool, path: Path, text: str = "\n# touched by benchmarks/run.py\n") -> float:
    """Time ``tool`` right after appending ``text`` (a comment; or an import, which
    changes the import graph) to ``path``; then restore the file (``appended``) and
    refill the cache (untimed), so the next warm run is warm again: the tree is as the
    earlier runs left it."""
    with appended(path, text):
        elapsed = tool.run()
        cpu = tool.cpu
    tool.run()
    tool.cpu = cpu  # the timed run's, not the refill's
    return elapsed


def tree_memory(root_pid: int) -> int:
    """Bytes used by a process and its descendants now: the sum of their PSS (shared
    pages split between the processes sharing them, so forked workers are not counted
    twice), RSS where PSS is unreadable; 0 where /proc does not exist."""
    proc = Path("/proc")
    if not proc.is_dir():
        return 0
    children: dict[int, list[int]] = {}
    for entry in proc.iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        children.setdefault(ppid, []).append(int(entry.name))
    total = 0
    stack = [root_pid]
    page = os.sysconf("SC_PAGE_SIZE")
    while stack:
        pid = stack.pop()
        stack.extend(children.get(pid, []))
        try:
            for line in (proc / str(pid) / "smaps_rollup").read_text().splitlines():
                if line.startswith("Pss:"):
                    total += int(line.split()[1]) * 1024
                    break
        except (OSError, ValueError):
            with contextlib.suppress(OSError, ValueError, IndexError):
                total += int((proc / str(pid) / "statm").read_text().split()[1]) * page
    return total


def peak_memory(tool: Tool) -> tuple[float, float]:
    """(peak MB of the whole process tree, sampled every 20 ms; MB of the largest single
    process, from ``wait4``) for one run of ``tool``."""
    process = subprocess.Popen(
        tool.command,
        cwd=tool.cwd,
        env=tool.env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    peak = 0
    while True:
        pid, status, usage = os.wait4(process.pid, os.WNOHANG)
        if pid:
            break
        peak = max(peak, tree_memory(process.pid))
        time.sleep(0.02)
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode not in tool.ok:
        raise BenchmarkError(f"`{shlex.join(tool.command)}` exited {process.returncode}")
    # ru_maxrss: KiB on Linux, bytes on macOS.
    largest = usage.ru_maxrss * (1 if sys.platform == "darwin" else 1024)
    return max(peak, largest) / 1e6, largest / 1e6


def ssot_report(corpus: Corpus, ssot: list[str], cache: Path, scratch: Path) -> dict[str, Any]:
    """One scan with a JSON report (which also fills the cache): the sanity check that
    the corpus parses and yields a plausible number of findings."""
    report = scratch / f"{corpus.name}-report.json"
    options = ["-q", "--exit-zero", "--cache-dir", str(cache), "-f", "json", "-o", str(report)]
    Tool([*ssot, str(corpus.scan), *options], corpus.cwd).run()
    summary: dict[str, Any] = json.loads(report.read_text(encoding="utf-8"))["summary"]
    return summary


def json_report(command: list[str], cwd: Path) -> str:
    """The JSON report ``command`` (an ssot-scan run) prints; a failure is an error."""
    done = subprocess.run([*command, "-f", "json"], cwd=cwd, capture_output=True, text=True)
    if done.returncode != 0:
        raise BenchmarkError(f"`{shlex.join(command)}` exited {done.returncode}")
    return done.stdout


def check_reports(corpus: Corpus, scan: list[str], cache: Path) -> dict[str, bool]:
    """Do the cached runs report byte for byte what a cold ``--no-cache -j1`` run does
    (issue 13)? The warm run on the tree as it is, and the incremental run after the
    import edit, each against a cold run of the same tree; the file is restored after
    (content and times) and the cache refilled, as ``touched_run`` leaves it."""
    cold = [*scan, "--no-cache", "--jobs", "1"]
    cached = [*scan, "--cache-dir", str(cache)]
    same = {"warm": json_report(cached, corpus.cwd) == json_report(cold, corpus.cwd)}
    with appended(corpus.touch, import_edit(corpus.edit_import)):
        edited = json_report(cached, corpus.cwd)
        same["import_edit"] = edited == json_report(cold, corpus.cwd)
    json_report(cached, corpus.cwd)
    return same


def check_import_linter(tool: Tool) -> str:
    """Empty when lint-imports can analyse the corpus, else why not (it exits 1 for a
    broken contract, which is fine: it did all its work)."""
    done = subprocess.run(tool.command, cwd=tool.cwd, env=tool.env, capture_output=True, text=True)
    if done.returncode in tool.ok and "Analyzed" in done.stdout:
        return ""
    lines = (done.stderr or done.stdout).strip().splitlines()
    return f"exit {done.returncode}: {lines[-1] if lines else 'no output'}"


def benchmark(
    corpus: Corpus, scratch: Path, repeat: int, tools: Optional[Path], ssot: list[str]
) -> None:
    """Fill ``corpus.samples`` (and ``extra``) with every measurement."""
    cache = scratch / f"cache-{corpus.name}"
    if cache.exists():
        shutil.rmtree(cache)
    scan = [*ssot, str(corpus.scan), "-q", "--exit-zero"]
    steps: dict[str, Callable[[], float]] = {}
    steps["ssot_cold"] = Tool([*scan, "--no-cache"], corpus.cwd).run
    steps["ssot_cold_jobs1"] = Tool([*scan, "--no-cache", "--jobs", "1"], corpus.cwd).run
    first = scratch / f"cache-{corpus.name}-first"
    steps["ssot_first"] = partial(first_run, Tool([*scan, "--cache-dir", str(first)], corpus.cwd))
    warm = Tool([*scan, "--cache-dir", str(cache)], corpus.cwd)
    steps["ssot_warm"] = warm.run
    steps["ssot_incremental"] = lambda: touched_run(warm, corpus.touch)
    steps["ssot_import_edit"] = lambda: touched_run(
        warm, corpus.touch, import_edit(corpus.edit_import)
    )
    # One file named on a warm cache: the whole project is still analysed (issue 8),
    # so this must cost what a warm run costs, not what a cold one does.
    one = [*ssot, str(corpus.touch), "-q", "--exit-zero", "--cache-dir", str(cache)]
    steps["ssot_one_file"] = Tool(one, corpus.cwd).run
    steps["python_floor"] = Tool([sys.executable, "-c", "pass"], corpus.cwd).run
    # Read and parse every file in a pool the size ssot-scan's default, fresh interpreter.
    floor = [sys.executable, str(FLOOR), str(corpus.scan), "--jobs", str(os.cpu_count() or 1)]
    steps["parse_floor"] = Tool(floor, corpus.cwd).run
    if tools is not None:
        ruff_toml = scratch / "ruff.toml"
        ruff_toml.write_text(RUFF_TOML, encoding="utf-8")
        ruff = [str(tools / "bin" / "ruff"), "check", "--no-cache", "--select", "TID251,I"]
        ruff += ["--config", str(ruff_toml), "--exit-zero", str(corpus.scan)]
        steps["ruff"] = Tool(ruff, corpus.cwd).run
        shown = subprocess.run(
            [*ruff[:2], "--show-files", *ruff[2:]], cwd=corpus.cwd, capture_output=True, text=True
        )
        corpus.extra["ruff_files"] = sum(
            1 for line in shown.stdout.splitlines() if line.endswith(".py")
        )
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join([str(tools), str(corpus.import_path)])
        assert corpus.importlinter_config is not None
        lint_imports = [sys.executable, str(tools / "bin" / "lint-imports")]
        linter = Tool(
            [*lint_imports, "--no-cache", "--no-logo", str(corpus.importlinter_config)],
            corpus.cwd,
            env,
            ok=(0, 1),
        )
        corpus.importlinter_na = check_import_linter(linter)
        if corpus.importlinter_na:
            log(f"{corpus.name}: import-linter n/a ({corpus.importlinter_na})")
        else:
            steps["import_linter"] = linter.run
    # The report run reads every file once (so the OS cache is warm for everyone) and
    # fills the ssot-scan cache; the warm command then stores its own whole result.
    summary = ssot_report(corpus, ssot, cache, scratch)
    corpus.extra["findings"] = summary
    warm.run()
    names = list(steps)
    for rep in range(repeat):
        order = names[rep % len(names) :] + names[: rep % len(names)]
        for key in order:
            try:
                seconds = steps[key]()
            except BenchmarkError as exc:
                # Once is noise (the code under test changed mid-run, say); twice is not.
                log(f"{corpus.name} {rep + 1}/{repeat} {key} failed, retrying once: {exc}")
                corpus.extra.setdefault("failures", []).append(f"{key}: {exc}")
                seconds = steps[key]()
            corpus.samples.setdefault(key, []).append(seconds)
            log(f"{corpus.name} {rep + 1}/{repeat} {key}: {seconds:.3f} s")
    total, largest = peak_memory(Tool([*scan, "--no-cache"], corpus.cwd))
    corpus.extra["peak_mb"] = round(total, 1)
    corpus.extra["largest_process_mb"] = round(largest, 1)
    log(f"{corpus.name} peak memory: {total:.0f} MB (largest process {largest:.0f} MB)")
    # After the memory run: this one's reports, held here, must not be in what a
    # process started after them reports as its largest size.
    corpus.extra["reports_identical"] = check_reports(corpus, scan, cache)
    log(f"{corpus.name} reports identical to a cold -j1 run: {corpus.extra['reports_identical']}")
    corpus.extra["work_ratio"] = work_ratio(corpus)
    log(f"{corpus.name} per-file work against the floor's: {corpus.extra['work_ratio']}")


def work_ratio(corpus: Corpus) -> dict[str, float]:
    """What a cold scan's worker does per file against what the floor's does, CPU in
    one process (``work_ratio.py``): what the parsing part of a cold scan costs at
    least against the floor's."""
    shown = subprocess.run(
        [sys.executable, str(WORK_RATIO), str(corpus.scan)],
        cwd=corpus.cwd,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    # "<files> files: parse <s> s, extraction <s> s, <ratio>x"
    words = shown.replace(",", "").split()
    return {
        "files": float(words[0]),
        "parse": float(words[3]),
        "extraction": float(words[6]),
        "ratio": float(words[8].rstrip("x")),
    }


# -- reporting ----------------------------------------------------------------------------


def ratio(corpus: Corpus, key: str) -> Optional[float]:
    cold, other = corpus.median("ssot_cold"), corpus.median(key)
    return cold / other if cold is not None and other else None


def value_of(corpus: Corpus, key: str) -> Optional[float]:
    if key == "peak_mb":
        peak = corpus.extra.get("peak_mb")
        return float(peak) if peak is not None else None
    return corpus.median(key)


def table(corpora: list[Corpus]) -> str:
    def cell(value: Optional[float], digits: int = 2) -> str:
        return "-" if value is None else f"{value:.{digits}f}"

    header = ["corpus", "files", "MB"] + [title for _, title in MEASURES]
    header += ["cold/ruff", "cold/lint", "peak MB", "max proc MB"]
    rows = [header]
    for corpus in corpora:
        row = [corpus.name, str(corpus.files), f"{corpus.megabytes:.1f}"]
        for key, _ in MEASURES:
            if key == "import_linter" and corpus.importlinter_na:
                row.append("n/a")
            else:
                row.append(cell(corpus.median(key), 3))
        row += [cell(ratio(corpus, "ruff"), 1), cell(ratio(corpus, "import_linter"), 1)]
        row += [
            cell(corpus.extra.get("peak_mb"), 0),
            cell(corpus.extra.get("largest_process_mb"), 0),
        ]
        rows.append(row)
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    lines = []
    for index, row in enumerate(rows):
        text = "  ".join(
            value.ljust(width) if i == 0 else value.rjust(width)
            for i, (value, width) in enumerate(zip(row, widths, strict=True))
        )
        lines.append(text)
        if index == 0:
            lines.append("-" * len(text))
    return "\n".join(lines)


def target_results(corpora: list[Corpus], modules: int, megabytes: float) -> list[dict[str, Any]]:
    by_name = {corpus.name: corpus for corpus in corpora}
    results = []
    for name, key, limit, unit in TARGETS:
        corpus = by_name.get(name)
        if corpus is None:
            continue
        value = value_of(corpus, key)
        note = ""
        if name == "synthetic" and (modules, megabytes) != TARGET_SIZE:
            note = f"corpus is {modules} modules / {megabytes:g} MB, the target's is 10000 / 150"
        results.append(
            {
                "corpus": name,
                "measure": key,
                "limit": limit,
                "unit": unit,
                "value": value,
                "passed": None if value is None else value <= limit,
                "note": note,
            }
        )
    return results


def targets_table(results: list[dict[str, Any]]) -> str:
    lines = []
    for result in results:
        digits = 3 if result["unit"] == "s" else 0
        value = "-" if result["value"] is None else f"{result['value']:.{digits}f}"
        verdict = {True: "pass", False: "FAIL", None: "-"}[result["passed"]]
        label = f"{result['corpus']} {result['measure']} <= {result['limit']:g} {result['unit']}"
        line = f"  {label:<38} {value:>10}  {verdict}"
        if result["note"]:
            line += f"  ({result['note']})"
        lines.append(line)
    return "\n".join(lines)


def ratio_results(corpora: list[Corpus]) -> list[dict[str, Any]]:
    """Issue 13's targets: each a ratio of two medians of the same run."""
    by_name = {corpus.name: corpus for corpus in corpora}
    results = []
    for name, key, reference, limit in RATIO_TARGETS:
        corpus = by_name.get(name)
        if corpus is None:
            continue
        value, base = corpus.median(key), corpus.median(reference)
        found = value / base if value is not None and base else None
        paired = paired_ratios(corpus, key, reference)
        results.append(
            {
                "corpus": name,
                "measure": key,
                "reference": reference,
                "limit": limit,
                "value": found,
                "passed": None if found is None else found <= limit,
                "paired": paired,
            }
        )
    return results


def paired_ratios(corpus: Corpus, key: str, reference: str) -> list[float]:
    """``key`` over ``reference`` within each repetition, sorted. The two ran
    minutes apart at most, where the ratio of medians may take them from different
    repetitions: the spread says how far one verdict can be trusted on a machine
    whose speed drifts by a third within a run."""
    values, bases = corpus.samples.get(key, []), corpus.samples.get(reference, [])
    return sorted(v / b for v, b in zip(values, bases, strict=False) if b)


def ratio_table(results: list[dict[str, Any]]) -> str:
    lines = []
    for result in results:
        value = "-" if result["value"] is None else f"{result['value']:.2f}x"
        verdict = {True: "pass", False: "FAIL", None: "-"}[result["passed"]]
        label = f"{result['corpus']} {result['measure']} / {result['reference']}"
        label += f" <= {result['limit']:g}"
        line = f"  {label:<52} {value:>8}  {verdict}"
        paired = result.get("paired") or []
        if paired:
            line += (
                f"  (per repetition: median {statistics.median(paired):.2f}x,"
                f" {paired[0]:.2f}x-{paired[-1]:.2f}x)"
            )
        lines.append(line)
    return "\n".join(lines)


def compile_ssot_scan() -> None:
    """Byte-compile ssot-scan's modules, as ``pip install`` of a wheel does: an editable
    install from ``src/`` under ``PYTHONDONTWRITEBYTECODE`` (CI images set it) would
    otherwise compile every module again on every timed run."""
    found = subprocess.run(
        [sys.executable, "-c", "import os, ssot_scan; print(os.path.dirname(ssot_scan.__file__))"],
        capture_output=True,
        text=True,
        check=True,
    )
    subprocess.run([sys.executable, "-m", "compileall", "-q", found.stdout.strip()], check=True)


# -- scaling: the same kind of project at several sizes ------------------------------------


def scaling_benchmark(
    scratch: Path, sizes: list[int], kb_per_module: float, repeat: int, ssot: list[str]
) -> str:
    """Cold, warm, one import edited and peak memory of generated projects of each
    size (``kb_per_module`` each); the target: the cost per module of a cold scan grows
    no more than 1.5x from the smallest size to the largest."""
    rows = []
    for modules in sizes:
        megabytes = modules * kb_per_module / 1000
        corpus = synthetic_corpus(scratch, modules, megabytes, 7, folder=f"scaling-{modules}")
        cache = scratch / f"cache-scaling-{modules}"
        if cache.exists():
            shutil.rmtree(cache)
        scan = [*ssot, str(corpus.scan), "-q", "--exit-zero"]
        cold = Tool([*scan, "--no-cache"], corpus.cwd)
        warm = Tool([*scan, "--cache-dir", str(cache)], corpus.cwd)
        warm.run()
        times: dict[str, list[float]] = {"cold": [], "warm": [], "edit": []}
        for rep in range(repeat):
            times["cold"].append(cold.run())
            times["warm"].append(warm.run())
            times["edit"].append(touched_run(warm, corpus.touch, import_edit(corpus.edit_import)))
            log(
                f"scaling {modules} {rep + 1}/{repeat}: "
                + ", ".join(f"{k} {v[-1]:.2f} s" for k, v in times.items())
            )
        peak, largest = peak_memory(cold)
        medians = {key: statistics.median(values) for key, values in times.items()}
        rows.append((modules, corpus.megabytes, medians, peak, largest))
    lines = [
        f"  {'modules':>8} {'MB':>7} {'cold s':>8} {'ms/module':>10} {'warm s':>7} "
        f"{'edit s':>7} {'edit/cold':>9} {'peak MB':>8} {'max proc MB':>11}"
    ]
    for modules, megabytes, medians, peak, largest in rows:
        lines.append(
            f"  {modules:>8} {megabytes:>7.1f} {medians['cold']:>8.2f} "
            f"{1000 * medians['cold'] / modules:>10.2f} {medians['warm']:>7.2f} "
            f"{medians['edit']:>7.2f} {medians['edit'] / medians['cold']:>9.2f} "
            f"{peak:>8.0f} {largest:>11.0f}"
        )
    first, last = rows[0], rows[-1]
    growth = (last[2]["cold"] / last[0]) / (first[2]["cold"] / first[0])
    peaks = max(row[3] for row in rows)
    lines.append(
        f"  cold cost per module, {first[0]} -> {last[0]} modules: {growth:.2f}x (target <= 1.5)"
        f"  {'pass' if growth <= 1.5 else 'FAIL'}; largest peak {peaks:.0f} MB "
        f"(target < 2000)  {'pass' if peaks < 2000 else 'FAIL'}"
    )
    return "\n".join(lines)


# -- one strongly connected component against an acyclic tree of the same size ----------


def component_trees(scratch: Path, modules: int) -> dict[str, Path]:
    """Two projects of ``modules`` small modules each: a chain (module i imports
    module i+1 and re-exports its name: an acyclic graph, and a re-export chain as
    long as the project) and a ring (the same, with the last module importing the
    first: one strongly connected component). Reused when an earlier run made them."""
    trees = {}
    for kind in ("chain", "ring"):
        root = scratch / f"{kind}-{modules}"
        done = root / ".complete"
        if not done.is_file():
            if root.exists():
                shutil.rmtree(root)
            package = root / "pkg"
            package.mkdir(parents=True)
            (root / "ssot-scan.toml").write_text("# benchmarks/run.py\n", encoding="utf-8")
            (package / "__init__.py").write_text("", encoding="utf-8")
            for i in range(modules):
                nxt = i + 1
                if nxt == modules:
                    text = "NAME = 1\n"
                    if kind == "ring":
                        text = "from pkg import m000000\n\nNAME = 1\n"
                else:
                    text = f"from pkg.m{nxt:06d} import NAME\n\n\ndef use():\n    return NAME\n"
                (package / f"m{i:06d}.py").write_text(text, encoding="utf-8")
            done.write_text("", encoding="utf-8")
        trees[kind] = root
    return trees


def component_benchmark(scratch: Path, modules: int, repeat: int, ssot: list[str]) -> str:
    """Cold scans of the ring and the chain, medians; the issue-13 target is a ratio."""
    trees = component_trees(scratch, modules)
    times: dict[str, list[float]] = {kind: [] for kind in trees}
    for rep in range(repeat):
        for kind in sorted(trees, reverse=bool(rep % 2)):
            tool = Tool([*ssot, ".", "-q", "--exit-zero", "--no-cache"], trees[kind])
            seconds = tool.run()
            times[kind].append(seconds)
            log(f"components {modules} {rep + 1}/{repeat} {kind}: {seconds:.3f} s")
    ring, chain = statistics.median(times["ring"]), statistics.median(times["chain"])
    verdict = "pass" if ring <= 1.3 * chain else "FAIL"
    return (
        f"  {modules} modules: one component {ring:.2f} s, acyclic {chain:.2f} s, "
        f"ratio {ring / chain:.2f}x (target <= 1.3)  {verdict}"
    )


def versions(ssot: list[str], tools: Optional[Path]) -> dict[str, str]:
    found = {
        "python": platform.python_version(),
        "ssot-scan": subprocess.run([*ssot, "--version"], capture_output=True, text=True)
        .stdout.strip()
        .rsplit(" ", 1)[-1],
        "django": DJANGO.split("==")[1],
    }
    if tools is not None:
        found["ruff"] = RUFF.split("==")[1]
        found["import-linter"] = IMPORT_LINTER.split("==")[1]
    return found


def source_state() -> dict[str, Any]:
    """The commit of the checkout this benchmark sits in, and whether ``src/`` has
    uncommitted changes: ssot-scan is usually installed editable from it, so a change
    during a run means the figures mix two versions."""
    repo = HERE.parent

    def git(*args: str) -> str:
        done = subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True)
        return done.stdout.strip() if done.returncode == 0 else ""

    status = git("status", "--porcelain", "--", "src")
    return {"commit": git("rev-parse", "HEAD") or None, "src_dirty": bool(status)}


def machine() -> dict[str, Any]:
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:
        cores = os.cpu_count() or 1
    return {
        "platform": platform.platform(),
        "usable_cores": cores,
        "loadavg_at_start": [round(x, 2) for x in os.getloadavg()],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--scratch", type=Path, default=HERE / ".work", help="scratch folder")
    parser.add_argument("--repeat", type=int, default=5, help="repetitions (medians reported)")
    parser.add_argument("--modules", type=int, default=10_000, help="synthetic corpus modules")
    parser.add_argument("--megabytes", type=float, default=150, help="synthetic corpus size")
    parser.add_argument("--seed", type=int, default=7, help="synthetic corpus seed")
    parser.add_argument("--skip-synthetic", action="store_true")
    parser.add_argument("--skip-peers", action="store_true", help="no ruff, no import-linter")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    parser.add_argument(
        "--scaling",
        default="",
        metavar="SIZES",
        help="also time generated projects of these sizes, e.g. 1000,10000,50000",
    )
    parser.add_argument(
        "--kb-per-module",
        type=float,
        default=8.0,
        help="with --scaling: source size per module (the realistic 50,000-module tree "
        "of issue 13 is 394 MB: about 8 KB a module)",
    )
    parser.add_argument(
        "--skip-django", action="store_true", help="no Django corpus (with --scaling)"
    )
    parser.add_argument(
        "--components",
        type=int,
        default=0,
        metavar="N",
        help="also time one N-module import cycle against an N-module acyclic chain",
    )
    args = parser.parse_args()
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")

    scratch: Path = args.scratch.resolve()
    scratch.mkdir(parents=True, exist_ok=True)
    (scratch / ".gitignore").write_text("*\n", encoding="utf-8")
    info = machine()
    source_at_start = source_state()
    ssot = ssot_command()
    compile_ssot_scan()
    tools: Optional[Path] = None
    try:
        if not args.skip_peers:
            tools = scratch / "tools"
            pip_install(tools, [RUFF, IMPORT_LINTER])
        corpora = [] if args.skip_django else [django_corpus(scratch)]
        if not args.skip_synthetic:
            corpora.append(synthetic_corpus(scratch, args.modules, args.megabytes, args.seed))
        for corpus in corpora:
            benchmark(corpus, scratch, args.repeat, tools, ssot)
        components = (
            component_benchmark(scratch, args.components, args.repeat, ssot)
            if args.components
            else ""
        )
        sizes = [int(size) for size in args.scaling.split(",") if size.strip()]
        scaling = (
            scaling_benchmark(scratch, sizes, args.kb_per_module, args.repeat, ssot)
            if sizes
            else ""
        )
    except BenchmarkError as exc:
        sys.exit(f"benchmark failed: {exc}")
    info["loadavg_at_end"] = [round(x, 2) for x in os.getloadavg()]
    source = {"at_start": source_at_start, "at_end": source_state()}
    source_changed = source["at_start"] != source["at_end"] or source_at_start["src_dirty"]

    results = target_results(corpora, args.modules, args.megabytes)
    ratios = ratio_results(corpora)
    command = shlex.join([Path(sys.executable).name, *sys.argv])
    print(f"$ {command}")
    tool_versions = versions(ssot, tools)
    print(", ".join(f"{name} {version}" for name, version in tool_versions.items()))
    print(
        f"{info['usable_cores']} usable cores; load average {info['loadavg_at_start'][0]} "
        f"at start, {info['loadavg_at_end'][0]} at end; medians of {args.repeat} runs, seconds"
    )
    commit = source_at_start["commit"]
    print(f"ssot-scan source: {commit[:12] if commit else 'unknown commit'}", end="")
    if source_changed:
        print(
            f" -> {str(source['at_end']['commit'])[:12]}; WARNING: src/ was dirty or changed "
            "during the run, so the figures may mix versions"
        )
    else:
        print(" (clean, unchanged during the run)")
    print()
    print(table(corpora))
    print()
    print(
        "peak MB: ssot-scan cold, whole process tree (PSS, sampled); max proc MB: largest process"
    )
    for corpus in corpora:
        for failure in corpus.extra.get("failures", []):
            print(f"{corpus.name}: a run failed and was retried: {failure.splitlines()[0]}")
        found = corpus.extra.get("findings", {})
        ruff_files = corpus.extra.get("ruff_files")
        print(
            f"{corpus.name}: ssot-scan scanned {found.get('files_scanned')} files, "
            f"{found.get('parse_errors')} unparseable, {found.get('total')} findings "
            f"{found.get('by_code')}"
            + (f"; ruff checked {ruff_files} files" if ruff_files is not None else "")
            + (f"; import-linter n/a: {corpus.importlinter_na}" if corpus.importlinter_na else "")
        )
        identical = corpus.extra.get("reports_identical")
        if identical is not None:
            differing = [run for run, same in identical.items() if not same]
            print(
                f"{corpus.name}: reports of the cached runs (warm, import edit) against a cold "
                "--no-cache -j1 run: "
                + ("identical" if not differing else f"DIFFERENT ({', '.join(differing)})")
            )
        work = corpus.extra.get("work_ratio")
        if work is not None:
            print(
                f"{corpus.name}: per file, a worker's work (read, parse, facts, packed) costs "
                f"{work['ratio']:.2f}x the floor's (read, parse): CPU in one process, "
                f"{work['files']:.0f} files; the parsing part of a cold scan can cost no "
                "less than that against the floor"
            )
    print()
    print("targets (issue 13: ratios within this run):")
    print(ratio_table(ratios))
    if components:
        print(components)
    if scaling:
        print()
        print(f"scaling (generated projects, {args.kb_per_module:g} KB a module):")
        print(scaling)
    print()
    print("targets (issue 4: absolute seconds, stated for a 2-core machine):")
    print(targets_table(results))

    if args.json:
        data = {
            "command": command,
            "repeat": args.repeat,
            "machine": info,
            "ssot_scan_source": source,
            "versions": tool_versions,
            "corpora": [
                {
                    "name": corpus.name,
                    "files": corpus.files,
                    "megabytes": round(corpus.megabytes, 2),
                    "touched_file": corpus.touch.relative_to(corpus.cwd).as_posix(),
                    "medians": {key: corpus.median(key) for key in corpus.samples},
                    "samples": corpus.samples,
                    "ratios": {
                        "ssot_cold/ruff": ratio(corpus, "ruff"),
                        "ssot_cold/import_linter": ratio(corpus, "import_linter"),
                    },
                    "import_linter_na": corpus.importlinter_na or None,
                    **corpus.extra,
                }
                for corpus in corpora
            ],
            "targets": results,
            "ratio_targets": ratios,
            "components": components or None,
            "scaling": scaling or None,
        }
        args.json.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
