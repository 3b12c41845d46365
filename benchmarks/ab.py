"""Two versions of ssot-scan side by side, alternating, on one corpus.

    python benchmarks/ab.py BASE [HEAD] --corpus PATH [--rounds 9]
                            [--what cold,first,warm,changed,edit] [--edit-module NAME]

On a shared machine the same command takes a third longer in one minute than in the
next, and whole benchmark runs an hour apart differ as much: ``run.py``'s ratios
travel between machines, but its seconds do not compare code. What does is timing
the two versions in turns, in one run, often enough for the medians to settle: this
script. It answers "is this change faster?" with each side's median and minimum and
their ratio.

BASE and HEAD are git revisions of this repository; HEAD defaults to the working tree
(the source as it is now, uncommitted changes included). A revision is exported with
``git archive`` into the scratch folder. Each side's bytecode is compiled first (an
interpreter run with ``PYTHONDONTWRITEBYTECODE`` would compile it again on every run,
and charge one side for it), each runs as ``python -m ssot_scan`` with ``PYTHONPATH``
at its source, and each has its own cache folder. Measurements, as in ``run.py``:
``cold`` (``--no-cache``), ``first`` (cache on, into an empty cache folder: a
project's first run as the CLI makes it), ``warm`` (nothing changed), ``changed``
(a comment appended to one file), ``edit`` (a first-party import added to it, under
a new name each time). In round ``r`` the sides take turns in alternating order, so a slow patch of
the machine hits both alike. Each measurement is shown in wall seconds and in CPU
seconds (the process and its pool's workers, user and system): see ``table``.
"""

from __future__ import annotations

import argparse
import compileall
import math
import os
import statistics
import subprocess
import sys
import tarfile
import tempfile
from collections.abc import Callable
from functools import partial
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from run import Tool, edit_target, first_run, import_edit, touched_run

HERE = Path(__file__).resolve().parent
REPOSITORY = HERE.parent
MEASUREMENTS = ("cold", "first", "warm", "changed", "edit")


def exported(revision: str, scratch: Path) -> Path:
    """The package source of ``revision`` (``src/``), exported once into ``scratch``."""
    commit = subprocess.run(
        ["git", "-C", str(REPOSITORY), "rev-parse", "--verify", f"{revision}^{{commit}}"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    folder = scratch / f"ab-{commit[:12]}"
    if not (folder / "src" / "ssot_scan").is_dir():
        with tempfile.TemporaryFile() as archive:
            subprocess.run(
                ["git", "-C", str(REPOSITORY), "archive", "--format=tar", commit, "src"],
                stdout=archive,
                check=True,
            )
            archive.seek(0)
            with tarfile.open(fileobj=archive) as tar:
                if hasattr(tarfile, "data_filter"):  # 3.11.4 and later
                    tar.extractall(folder, filter="data")
                else:  # our own repository's archive
                    tar.extractall(folder)
    return folder / "src"


def side(source: Path, corpus: Path, cache: Path) -> dict[str, Tool]:
    env = dict(os.environ, PYTHONPATH=str(source))
    scan = [sys.executable, "-m", "ssot_scan", str(corpus), "-q", "--exit-zero"]
    return {
        "cold": Tool([*scan, "--no-cache"], corpus, env),
        "first": Tool([*scan, "--cache-dir", f"{cache}-first"], corpus, env),
        "warm": Tool([*scan, "--cache-dir", str(cache)], corpus, env),
    }


def measure(
    tools: dict[str, Tool], what: str, touch: Path, module: str
) -> tuple[Callable[[], float], Tool]:
    """How to take the measurement ``what``, and the tool whose ``cpu`` it leaves."""
    if what == "cold":
        return tools["cold"].run, tools["cold"]
    if what == "first":
        return partial(first_run, tools["first"]), tools["first"]
    if what == "warm":
        return tools["warm"].run, tools["warm"]
    if what == "changed":
        return (lambda: touched_run(tools["warm"], touch)), tools["warm"]
    return (lambda: touched_run(tools["warm"], touch, import_edit(module))), tools["warm"]


# Per side, per measurement: (wall seconds, CPU seconds) of each round.
Samples = dict[str, dict[str, list[tuple[float, float]]]]


def compare(
    sources: dict[str, Path],
    corpus: Path,
    scratch: Path,
    rounds: int,
    what: list[str],
    module: str | None = None,
) -> Samples:
    """Wall and CPU seconds of each measurement for each side, ``rounds`` times, in
    turns."""
    # As run.py chooses them, below the corpus's src/ when it has one.
    touch, default_module = edit_target(corpus / "src" if (corpus / "src").is_dir() else corpus)
    module = module or default_module
    tools = {}
    for name, source in sources.items():
        compileall.compile_dir(str(source), quiet=1)
        tools[name] = side(source, corpus, scratch / f"cache-{name}-{corpus.name}")
        tools[name]["warm"].run()  # fills the cache: the first warm run is warm
    times: Samples = {n: {w: [] for w in what} for n in sources}
    names = list(sources)
    for number in range(rounds):
        for name in names if number % 2 == 0 else names[::-1]:
            for key in what:
                taken, tool = measure(tools[name], key, touch, module)
                wall = taken()
                times[name][key].append((wall, tool.cpu))
    return times


def table(times: Samples) -> str:
    """Each measurement's wall seconds (median, minimum) and CPU seconds (median) on
    both sides, and head/base of each median. Wall time is what a user waits; CPU
    time (user and system, of the process and its pool's workers) adds up the work,
    which for a parallel run (cold, first) shows a change that the scheduling of the
    workers blurs in wall time. Neighbours that slow every instruction of a shared
    machine slow both alike (a one-process warm run: CPU within 1 % of wall)."""
    base, head = list(times)
    lines = [
        f"{'':<8} {'base median':>12} {'min':>8} {'head median':>12} {'min':>8} "
        f"{'head/base':>10} {'cpu base':>9} {'cpu head':>9} {'head/base':>10}"
    ]
    for key in times[base]:
        b = [wall for wall, _ in times[base][key]]
        h = [wall for wall, _ in times[head][key]]
        cb = statistics.median(cpu for _, cpu in times[base][key])
        ch = statistics.median(cpu for _, cpu in times[head][key])
        lines.append(
            f"{key:<8} {statistics.median(b):>12.3f} {min(b):>8.3f} "
            f"{statistics.median(h):>12.3f} {min(h):>8.3f} "
            f"{statistics.median(h) / statistics.median(b):>9.2f}x "
            f"{cb:>9.3f} {ch:>9.3f} {ch / cb if cb else math.nan:>9.2f}x"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("base", help="a git revision")
    parser.add_argument("head", nargs="?", help="a git revision (default: the working tree)")
    parser.add_argument("--corpus", type=Path, required=True, help="the folder to scan")
    parser.add_argument("--rounds", type=int, default=9)
    parser.add_argument(
        "--what", default=",".join(MEASUREMENTS), help="measurements, comma-separated"
    )
    parser.add_argument(
        "--edit-module", help="the module the edit imports (default: one of the corpus's)"
    )
    parser.add_argument("--scratch", type=Path, default=HERE / ".work", help="scratch folder")
    args = parser.parse_args(argv)
    what = [w for w in args.what.split(",") if w]
    unknown = [w for w in what if w not in MEASUREMENTS]
    if unknown or args.rounds < 1:
        parser.error(f"--what takes {', '.join(MEASUREMENTS)}; --rounds at least 1")
    args.scratch.mkdir(parents=True, exist_ok=True)
    (args.scratch / ".gitignore").write_text("*\n", encoding="utf-8")  # as run.py does
    sources = {
        "base": exported(args.base, args.scratch),
        "head": exported(args.head, args.scratch) if args.head else REPOSITORY / "src",
    }
    corpus = args.corpus.resolve()
    times = compare(sources, corpus, args.scratch, args.rounds, what, args.edit_module)
    print(f"base {args.base} ({sources['base']}), head {args.head or 'the working tree'}")
    print(f"{corpus}: {args.rounds} rounds, medians and minima in seconds")
    print(table(times))


if __name__ == "__main__":
    main()
