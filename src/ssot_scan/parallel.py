"""Extraction across processes: files in chunks, results in input order.

Parsing is CPU-bound and the GIL serialises it, so files go to a process pool. Each
task is a chunk of files (a few dozen), which makes the cost of shipping work and
results between processes negligible next to parsing. The results come back in
input order, so a scan with ``--jobs 4`` and one with ``--jobs 1`` are identical.

Results cross the process boundary with pickle: that is between this scan's own
processes and never touches disk (the cache stores JSON).
"""

from __future__ import annotations

import gc
import os
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any, Optional, TypeVar

import msgspec

from ssot_scan import hashing
from ssot_scan.facts import ModuleFacts, ParseError, stored_form, unpacked
from ssot_scan.safe_read import DEFAULT_MAX_BYTES, NotReadable, read_source

if TYPE_CHECKING:
    import multiprocessing.context
    from concurrent.futures import ProcessPoolExecutor


def __getattr__(name: str) -> Any:
    """``ProcessPoolExecutor`` and ``extract`` on first use: ``multiprocessing`` and
    ``concurrent.futures`` cost 15 ms to import, the parsers' modules a few more, and
    a warm run, whose files are all cached, needs neither (PEP 562; the tests
    replace both attributes)."""
    if name == "ProcessPoolExecutor":
        from concurrent.futures import ProcessPoolExecutor

        globals()[name] = ProcessPoolExecutor
        return ProcessPoolExecutor
    if name == "extract":
        from ssot_scan.extract import extract

        globals()[name] = extract
        return extract
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _lazy(name: str) -> Any:
    """The module attribute ``name``: as a test replaced it, or imported now."""
    return globals().get(name) or __getattr__(name)


def _pool(workers: int) -> ProcessPoolExecutor:
    executor: type[ProcessPoolExecutor] = _lazy("ProcessPoolExecutor")
    return executor(max_workers=workers, mp_context=_context())


# Below this much work a pool costs more to start than it saves.
_MIN_FILES_FOR_POOL = 48
_MIN_BYTES_FOR_POOL = 2_000_000


class Job(msgspec.Struct, frozen=True):
    """One file to extract, as a worker process needs it: picklable, and no more
    than the path, the module name and the limits."""

    path: str
    module: str
    is_package: bool
    size: int  # bytes, from stat: for scheduling only
    max_bytes: int = DEFAULT_MAX_BYTES  # a larger file is not read


class Extracted(msgspec.Struct):
    """One file's facts and content hash, as the scan stores them in the cache."""

    facts: ModuleFacts
    digest: Optional[str]  # content hash, None when the file could not be read
    # The facts as the cache stores them and their digest, when a worker made them
    # (see ``_shipped``); None: whoever stores them packs them.
    stored: Optional[tuple[str, str]] = None


def usable_cores() -> int:
    """Cores this process may run on (affinity- and cgroup-aware where possible)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


def extract_one(job: Job, engine: str) -> Extracted:
    """Read, hash and extract one file; whatever goes wrong becomes its SSOT000."""
    extract: Callable[[bytes, str, bool, str], ModuleFacts] = _lazy("extract")
    try:
        data = read_source(job.path, job.max_bytes)
    except NotReadable as exc:
        # What the file is, not a passing failure; not cached by content either.
        return Extracted(ModuleFacts(parse_error=ParseError(str(exc), 1, 1)), None)
    except OSError as exc:
        error = ParseError(f"cannot read: {exc.strerror or exc}", 1, 1, transient=True)
        return Extracted(ModuleFacts(parse_error=error), None)
    try:
        facts = extract(data, job.module, job.is_package, engine)
    except Exception as exc:  # one odd file must not stop a 10,000-file scan
        message = f"internal error while reading this file: {_described(exc)}"
        # No hash: a failure that may be passing (MemoryError) is not cached.
        error = ParseError(message, 1, 1, transient=True)
        return Extracted(ModuleFacts(parse_error=error), None)
    return Extracted(facts, hashing.content_hash(data))


def _described(exc: BaseException) -> str:
    """One short line about ``exc``, never a recursive ``str()`` (libcst's
    exceptions can print a whole syntax tree)."""
    from ssot_scan.extract.deep import from_recursion

    if from_recursion(exc):
        return "RecursionError: too deeply nested"
    try:
        text = str(exc).strip().splitlines()[0][:200] if str(exc).strip() else ""
    except Exception:  # a __str__ that fails, or recurses
        text = ""
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


# What a worker sends back for a file: its facts in the form the cache stores (JSON
# of ``pack``'s positional lists) and that text's digest, its content hash, and
# whether a failure is transient (which that form does not keep).
Shipped = tuple[str, str, Optional[str], bool]


def _extract_chunk(chunk: list[Job], engine: str) -> list[Shipped]:
    # Workers started by spawn (macOS, Windows) do not inherit the scan's disabled
    # cyclic collector; parsing makes no cycles, so it only costs time here.
    gc.disable()
    return [_shipped(extract_one(job, engine)) for job in chunk]


def _shipped(extracted: Extracted) -> Shipped:
    """Facts cross the process boundary in the form the cache stores, made and
    digested here. Positional lists had crossed at a third of the cost of
    dataclasses; a string crosses for next to nothing, so this process, which
    receives every worker's files, no longer unpickles nested lists (in the pool's
    result thread, which held the interpreter's lock against the scan's own), and a
    scan that stores the facts does not pack and digest them again. 10,000
    generated files, medians alternating: a ``--no-cache`` run 19.1 -> 18.4 s
    against the lists; a first run into an empty cache 29.1 -> 25.0 s against the
    lists packed again here (with the first run's look-up by content skipped too,
    see ``scan._facts_for``)."""
    error = extracted.facts.parse_error
    text, stored = stored_form(extracted.facts)
    return text, stored, extracted.digest, error is not None and error.transient


def _received(shipped: Shipped) -> Extracted:
    text, stored, digest, transient = shipped
    facts = unpacked(text)
    if transient and facts.parse_error is not None:
        facts.parse_error.transient = True
    return Extracted(facts, digest, (text, stored))


def _chunks(jobs: list[Job], workers: int) -> list[list[Job]]:
    """Chunks that shrink with the work left (guided scheduling): each a quarter of a
    worker's share of what is left, never below a sixty-fourth of its share of the
    whole, about fifteen per worker. The first are large, so shipping work costs
    nothing next to parsing it; the last are small, so the workers finish together.
    With equal chunks (eight per worker), one worker sat idle while another parsed
    its last chunk (4,000 generated files: 0.36 s of a 9.5 s pool)."""
    total = sum(job.size for job in jobs)
    smallest = max(1, total // (workers * 64))
    left = total
    chunks: list[list[Job]] = []
    current: list[Job] = []
    weight = 0
    for job in jobs:
        current.append(job)
        weight += job.size
        if weight >= max(smallest, left // (workers * 4)):
            chunks.append(current)
            left -= weight
            current, weight = [], 0
    if current:
        chunks.append(current)
    return chunks


def extract_all(
    jobs: list[Job],
    engine: str,
    workers: int,
    started: Optional[Callable[[], None]] = None,
) -> Iterator[Extracted]:
    """Facts for every job, in order; in-process when the pool would not pay.

    ``started`` is called once the pool's workers exist (forked, so a thread the
    caller starts then is not copied into them): while they parse, this process
    mostly waits, and can do other work."""
    total = sum(job.size for job in jobs)
    if workers <= 1 or (len(jobs) < _MIN_FILES_FOR_POOL and total < _MIN_BYTES_FOR_POOL):
        for job in jobs:
            yield extract_one(job, engine)
        return
    chunks = _chunks(jobs, workers)
    done = 0
    from concurrent.futures.process import BrokenProcessPool

    try:
        with _pool(min(workers, len(chunks))) as pool:
            # With fork, map() starts every worker before it returns (submit spawns
            # the whole pool when children cannot be spawned on demand).
            mapped = pool.map(_extract_chunk, chunks, [engine] * len(chunks))
            if started is not None:
                started()
            for results in mapped:
                done += 1
                for shipped in results:
                    yield _received(shipped)
    except BrokenProcessPool:
        # A worker died (a parser abort, the OOM killer): every file not yet done
        # is read again in a process of its own, so only the file that kills its
        # process costs an SSOT000, never the run.
        for chunk in chunks[done:]:
            for job in chunk:
                yield _extract_alone(job, engine)


def _extract_alone(job: Job, engine: str) -> Extracted:
    """``extract_one`` in a process of its own; its SSOT000 if that process dies."""
    from concurrent.futures.process import BrokenProcessPool

    try:
        with _pool(1) as pool:
            return _received(pool.submit(_extract_chunk, [job], engine).result()[0])
    except BrokenProcessPool:
        error = ParseError("the parser's process died reading this file", 1, 1)
        return Extracted(ModuleFacts(parse_error=error), None)


def _context() -> multiprocessing.context.BaseContext:
    import multiprocessing

    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("fork" if "fork" in methods else None)


Item = TypeVar("Item")
Outcome = TypeVar("Outcome")


def map_in_order(
    function: Callable[[Item], Outcome], items: list[Item], workers: int
) -> list[Outcome]:
    """``function`` over ``items``, results in input order: in a process pool when
    there is enough work to pay for one (``fix`` rewriting hundreds of files).
    ``function`` and the items must pickle; a module-level function does."""
    if workers <= 1 or len(items) < _MIN_FILES_FOR_POOL:
        return [function(item) for item in items]
    chunk = max(1, len(items) // (workers * 8))
    with _pool(workers) as pool:
        return list(pool.map(function, items, chunksize=chunk))
