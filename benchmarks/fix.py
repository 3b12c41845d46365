"""Time ``ssot-scan fix`` on a copy of the generated corpus against a warm scan.

Issue 10's target: fixing every SSOT001/SSOT002 finding of the 10,000-module corpus
costs at most 2x a warm scan plus 10 ms per rewritten file. Both are measured here,
in one run, on a copy (``fix`` rewrites it), with the cache warm for both.

    python benchmarks/fix.py [--scratch benchmarks/.work] [--modules 10000] [--megabytes 150]
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import time
from pathlib import Path

import synthetic

HERE = Path(__file__).resolve().parent


def run(command: list[str], cwd: Path) -> tuple[float, str, str]:
    start = time.perf_counter()
    done = subprocess.run(command, cwd=cwd, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - start
    if done.returncode not in (0, 1):
        raise SystemExit(f"`{' '.join(command)}` exited {done.returncode}:\n{done.stderr[-2000:]}")
    return elapsed, done.stdout, done.stderr


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--scratch", type=Path, default=HERE / ".work")
    parser.add_argument("--modules", type=int, default=10_000)
    parser.add_argument("--megabytes", type=float, default=150)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    corpus = args.scratch / "synthetic"
    if not synthetic.is_current(corpus, args.modules, args.megabytes, args.seed):
        synthetic.generate(corpus, args.modules, args.megabytes, args.seed)
    copy = args.scratch / "synthetic-fix"
    if copy.exists():
        shutil.rmtree(copy)
    shutil.copytree(corpus, copy)
    cache = args.scratch / "cache-fix"
    if cache.exists():
        shutil.rmtree(cache)
    ssot = [sys.executable, "-m", "ssot_scan"]
    scan = [*ssot, ".", "-q", "--exit-zero", "--cache-dir", str(cache)]
    run(scan, copy)  # fills the cache
    warm = min(run(scan, copy)[0] for _ in range(3))
    fixed, out, err = run([*ssot, "fix", ".", "--cache-dir", str(cache)], copy)
    words = out.split()
    files = int(words[words.index("in") + 1]) if "in" in words else 0
    moved = int(words[1]) if len(words) > 1 and words[1].isdigit() else 0
    limit = 2 * warm + 0.010 * files
    refused = err.count("not moved")
    print(f"corpus: {args.modules} modules / {args.megabytes:g} MB (seed {args.seed})")
    print(f"warm scan (best of 3): {warm:.2f} s")
    print(f"fix: {fixed:.2f} s, {moved} imports moved in {files} files, {refused} refused")
    print(
        f"target 2 x warm + 10 ms x files = {limit:.2f} s: {'pass' if fixed <= limit else 'FAIL'}"
    )


if __name__ == "__main__":
    main()
