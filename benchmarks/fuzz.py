"""Mutation fuzzing of the extractor: crashes, hangs, and front-end disagreements.

Real files are mutated (a line deleted, duplicated or swapped, a byte flipped or
inserted, the text cut short) and each mutant is extracted with ``--engine auto``,
then with ``ast`` and ``libcst``. Three things are counted, and all must be zero:

- crashes: ``extract`` raised (it must turn every failure into the file's SSOT000),
  or the process reading the mutant died;
- hangs: one mutant took longer than ``--hang-seconds``;
- differences: both front ends parsed the mutant and disagree on a fact.

    python benchmarks/fuzz.py [--seconds 60] [--seed 1] [--corpus DIR ...]

The corpus defaults to this repository's own sources and fixtures, so a fresh
checkout can run it; CI runs it for a fixed budget (tests/fuzz/). Findings are
written to ``--out`` (default ``benchmarks/.work/fuzz``) as the mutants themselves.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Optional

HERE = Path(__file__).resolve().parent
REPO = HERE.parent


@dataclass
class Tally:
    mutants: int = 0
    both_parsed: int = 0
    crashes: list[str] = field(default_factory=list)
    hangs: list[str] = field(default_factory=list)
    differences: list[str] = field(default_factory=list)

    def ok(self) -> bool:
        return not (self.crashes or self.hangs or self.differences)


def corpus(folders: list[Path]) -> list[bytes]:
    """The seed files: every ``.py`` file under ``folders`` up to 200 KB."""
    seeds = []
    for folder in folders:
        for path in sorted(folder.rglob("*.py")):
            try:
                data = path.read_bytes()
            except OSError:
                continue
            if 0 < len(data) <= 200_000:
                seeds.append(data)
    return seeds


def mutate(data: bytes, rng: random.Random) -> bytes:
    """One random mutation of ``data``."""
    lines = data.splitlines(keepends=True) or [b""]
    kind = rng.randrange(7)
    i, j = rng.randrange(len(lines)), rng.randrange(len(lines))
    if kind == 0:
        del lines[i]
    elif kind == 1:
        lines.insert(i, lines[j])
    elif kind == 2:
        lines[i], lines[j] = lines[j], lines[i]
    elif kind == 3 and data:
        at = rng.randrange(len(data))
        return data[:at] + bytes([data[at] ^ (1 << rng.randrange(8))]) + data[at + 1 :]
    elif kind == 4:
        at = rng.randrange(len(data) + 1)
        noise = bytes(rng.choice(b"()[]{}:\\'\"\n\t \x0c#@=\x00\xff\xc3") for _ in range(3))
        return data[:at] + noise + data[at:]
    elif kind == 5 and data:
        return data[: rng.randrange(len(data))]
    else:  # indentation shifted on one line
        lines[i] = rng.choice([b" ", b"\t", b""]) + lines[i].lstrip()
    return b"".join(lines)


def _comparable(facts: Any) -> dict[str, Any]:
    data: dict[str, Any] = facts.to_json()
    data.pop("engine")
    return data


def check_batch(batch: list[tuple[str, bytes]], hang_seconds: float) -> list[tuple[str, str, str]]:
    """Run in a worker: (kind, label, detail) for each problem in ``batch``."""
    import signal

    from ssot_scan.extract import extract

    problems: list[tuple[str, str, str]] = []

    def alarm(signum: int, frame: Any) -> None:
        raise TimeoutError

    signal.signal(signal.SIGALRM, alarm)
    for label, data in batch:
        signal.setitimer(signal.ITIMER_REAL, hang_seconds)
        try:
            extract(data, "pkg.mod", False, "auto")
            via_ast = extract(data, "pkg.mod", False, "ast")
            via_cst = extract(data, "pkg.mod", False, "libcst")
        except TimeoutError:
            problems.append(("hang", label, ""))
            continue
        except Exception as exc:  # the bug being looked for
            problems.append(("crash", label, f"{type(exc).__name__}: {str(exc)[:200]}"))
            continue
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
        if via_ast.parse_error is None and via_cst.parse_error is None:
            problems.append(("parsed", label, ""))
            if _comparable(via_ast) != _comparable(via_cst):
                problems.append(("difference", label, ""))
    return problems


def mutants(seeds: list[bytes], seed: int) -> Iterator[tuple[str, bytes]]:
    rng = random.Random(seed)
    number = 0
    while True:
        data = rng.choice(seeds)
        for _ in range(rng.randint(1, 3)):
            data = mutate(data, rng)
        number += 1
        yield f"{seed}-{number}", data


def run(
    seconds: float,
    seed: int,
    folders: list[Path],
    out: Optional[Path],
    hang_seconds: float = 10.0,
    batch_size: int = 40,
) -> Tally:
    seeds = corpus(folders)
    if not seeds:
        raise SystemExit(f"no seed files under {', '.join(map(str, folders))}")
    tally = Tally()
    deadline = time.monotonic() + seconds
    source = mutants(seeds, seed)
    pool = ProcessPoolExecutor(max_workers=1)
    kept: dict[str, bytes] = {}
    try:
        while time.monotonic() < deadline:
            batch = [next(source) for _ in range(batch_size)]
            try:
                problems = pool.submit(check_batch, batch, hang_seconds).result()
            except BrokenProcessPool:
                pool = ProcessPoolExecutor(max_workers=1)
                problems = _one_by_one(batch, hang_seconds)
            tally.mutants += len(batch)
            by_label = dict(batch)
            for kind, label, detail in problems:
                if kind == "parsed":
                    tally.both_parsed += 1
                    continue
                entry = f"{label} {detail}".strip()
                {"crash": tally.crashes, "hang": tally.hangs, "difference": tally.differences}[
                    kind
                ].append(entry)
                kept[f"{kind}-{label}.py"] = by_label[label]
    finally:
        pool.shutdown(cancel_futures=True)
    if out is not None and kept:
        out.mkdir(parents=True, exist_ok=True)
        for name, data in kept.items():
            (out / name).write_bytes(data)
    return tally


def _one_by_one(batch: list[tuple[str, bytes]], hang_seconds: float) -> list[tuple[str, str, str]]:
    """A worker died on this batch: find the mutant that kills it."""
    problems: list[tuple[str, str, str]] = []
    for item in batch:
        with ProcessPoolExecutor(max_workers=1) as pool:
            try:
                problems.extend(pool.submit(check_batch, [item], hang_seconds).result())
            except BrokenProcessPool:
                problems.append(("crash", item[0], "the process died"))
    return problems


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--corpus", type=Path, action="append")
    parser.add_argument("--out", type=Path, default=HERE / ".work" / "fuzz")
    parser.add_argument("--hang-seconds", type=float, default=10.0)
    args = parser.parse_args()
    folders = args.corpus or [REPO / "src", REPO / "fixtures", REPO / "tests"]
    started = time.monotonic()
    tally = run(args.seconds, args.seed, folders, args.out, args.hang_seconds)
    elapsed = time.monotonic() - started
    print(
        json.dumps(
            {
                "seconds": round(elapsed, 1),
                "seed": args.seed,
                "mutants": tally.mutants,
                "both_front_ends_parsed": tally.both_parsed,
                "crashes": len(tally.crashes),
                "hangs": len(tally.hangs),
                "differences": len(tally.differences),
                "examples": (tally.crashes + tally.hangs + tally.differences)[:10],
            },
            indent=2,
        )
    )
    sys.exit(0 if tally.ok() else 1)


if __name__ == "__main__":
    main()
