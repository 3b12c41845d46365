"""What a cold scan's workers do per file, against what the floor's do: CPU, one process.

The parse floor (``floor.py``) reads and parses every file; a cold ssot-scan worker
reads, parses, walks the tree for facts, finds comment markers and packs the facts
for the cache (``parallel.extract_one`` and ``_shipped``). The parsing part of a cold
scan (every core busy) costs at least this ratio against the floor's, whatever the
rest of the scan does: the part of a cold-versus-floor ratio that only a cheaper
extraction can lower.

    python benchmarks/work_ratio.py FOLDER [--megabytes 8] [--rounds 3]

Both are timed in this process with ``time.process_time`` (CPU, not wall: another
process on the machine does not count), alternating, the minimum of ``--rounds``
kept, each as its workers run it (the floor's with the cyclic collector on, ours
with it off); a corpus of more than ``--megabytes`` is sampled evenly (every k-th
file in sorted order), so the figure costs seconds on a 10,000-file corpus too.
A sample too small for the clock is timed several times over. Prints ``<files>
files: parse <s> s, extraction <s> s, <ratio>x``.
"""

from __future__ import annotations

import argparse
import gc
import os
import time
import warnings
from collections.abc import Callable
from pathlib import Path

# The floor's own functions (a sibling script: this folder is on ``sys.path`` when
# this one runs), so what is timed as the floor's work per file is exactly that.
from floor import parse_all, python_files


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("folder")
    parser.add_argument("--megabytes", type=float, default=8.0, help="sample about this much")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    from ssot_scan.parallel import Job, _shipped, extract_one

    files = python_files(args.folder)
    size = sum(os.path.getsize(path) for path in files)
    step = max(1, -(-size // int(args.megabytes * 1_000_000)))
    sample = files[::step]
    # The module name only steers relative imports; the folder's own layout names it.
    top = Path(args.folder).resolve().parent
    jobs = []
    for path in sample:
        parts = Path(path).resolve().relative_to(top).with_suffix("").parts
        package = parts[-1] == "__init__"
        name = ".".join(parts[:-1] if package else parts)
        jobs.append(Job(path, name, package, 0))

    def extract_all() -> None:
        gc.disable()  # as ssot-scan's workers run (``parallel._extract_chunk``)
        try:
            for job in jobs:
                _shipped(extract_one(job, "auto"))
        finally:
            gc.enable()

    warnings.simplefilter("ignore")  # SyntaxWarnings, as the workers silence them
    extract_all()  # imports, and the OS's file cache, for both
    # A small sample is timed several times over in each round, so that each side
    # takes long enough (a fifth of a second) for the clock to tell them apart.
    start = time.process_time()
    parse_all(sample)
    once = time.process_time() - start
    repeats = max(1, min(1000, int(0.2 / once) + 1 if once > 0 else 1000))
    best = {"parse": float("inf"), "extraction": float("inf")}
    steps: list[tuple[str, Callable[[], None]]] = [
        ("parse", lambda: parse_all(sample)),
        ("extraction", extract_all),
    ]
    for _ in range(args.rounds):
        for key, run in steps:
            start = time.process_time()
            for _ in range(repeats):
                run()
            best[key] = min(best[key], (time.process_time() - start) / repeats)
    print(
        f"{len(sample)} files: parse {best['parse']:.6f} s, extraction "
        f"{best['extraction']:.6f} s, {best['extraction'] / best['parse']:.2f}x"
    )


if __name__ == "__main__":
    main()
