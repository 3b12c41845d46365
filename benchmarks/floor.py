"""The floor of any cold scan written in Python: list, read and ``ast.parse`` every file.

A cold ssot-scan must at least start an interpreter, walk the tree, read every file
and parse it; the rest (facts, the index, the checks) is what it adds. Run as a fresh
interpreter with a process pool the size ssot-scan uses (``--jobs``, default the CPU
count, as ssot-scan's default), this is the reference ``benchmarks/run.py`` divides a
cold scan by: a ratio measured in one run travels between machines, seconds do not.

    python benchmarks/floor.py FOLDER [--jobs N]

Prints ``<files> files parsed in <seconds> s`` (the caller times the whole process).
"""

from __future__ import annotations

import argparse
import ast
import os
import time
from concurrent.futures import ProcessPoolExecutor


def parse_all(paths: list[str]) -> int:
    """Read and parse each file; a file that does not parse still cost its parse."""
    for path in paths:
        try:
            with open(path, "rb") as handle:
                ast.parse(handle.read())
        except (OSError, SyntaxError, ValueError, RecursionError, MemoryError):
            pass
    return len(paths)


def python_files(folder: str) -> list[str]:
    found: list[str] = []
    for parent, _, names in os.walk(folder):
        found.extend(os.path.join(parent, name) for name in names if name.endswith(".py"))
    return sorted(found)


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("folder")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args()
    start = time.perf_counter()
    files = python_files(args.folder)
    if args.jobs <= 1:
        done = parse_all(files)
    else:
        # Chunks of a few dozen files, as ssot-scan hands them out: few round trips,
        # and no worker left idle at the end by one large chunk.
        size = max(1, min(64, len(files) // (args.jobs * 4) or 1))
        chunks = [files[i : i + size] for i in range(0, len(files), size)]
        with ProcessPoolExecutor(args.jobs) as pool:
            done = sum(pool.map(parse_all, chunks))
    print(f"{done} files parsed in {time.perf_counter() - start:.3f} s")


if __name__ == "__main__":
    main()
