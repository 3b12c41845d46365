"""The pipeline, in order: discover, extract (cached, parallel), index, check, tally.

Each stage is its own module; this one wires them and decides what can be skipped:
a file whose size and mtime match the cache is not read; a file whose content hash
matches is not parsed; and a tree where nothing changed (same files, settings and
tool version) reuses the whole previous result without importing the analysis at
all, which is what keeps a warm run fast.
"""

from __future__ import annotations

import contextlib
import functools
import gc
import os
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from collections.abc import Set as AbstractSet
from pathlib import Path
from typing import TYPE_CHECKING, Any, Optional

import msgspec

from ssot_scan import hashing, listing, process, stand_ins, structjson
from ssot_scan.cache import (
    UNTRUSTED_MTIME,
    FactsCache,
    default_cache_dir,
    extraction_identity,
    is_racy,
    project_key,
    tool_identity,
)
from ssot_scan.config import Config
from ssot_scan.discover import Discovery, SourceFile, discover
from ssot_scan.hashing import hex_digest
from ssot_scan.result import ScanResult
from ssot_scan.rules import ALL_CODES
from ssot_scan.safe_read import DEFAULT_MAX_BYTES, NotReadable, read_source

if TYPE_CHECKING:
    from ssot_scan.analysis import Analysis
    from ssot_scan.facts import ModuleFacts
    from ssot_scan.findings import Finding
    from ssot_scan.incremental import Keeper
    from ssot_scan.index import Index
    from ssot_scan.parallel import Extracted

Progress = Callable[[int, int], None]
Stat = tuple[int, int]  # size, mtime_ns


def read_and_extract(
    source: SourceFile, engine: str, max_bytes: int = DEFAULT_MAX_BYTES
) -> ModuleFacts:
    """Facts for one file, uncached; whatever goes wrong becomes that file's SSOT000."""
    from ssot_scan.parallel import Job, extract_one

    job = Job(source.location, source.name or "", source.is_package, 0, max_bytes)
    return extract_one(job, engine).facts


def run_scan(
    paths: list[Path],
    config: Config,
    progress: Optional[Progress] = None,
    jobs: Optional[int] = None,
    cache_dir: Optional[Path] = None,
    use_cache: bool = False,
    changed: Optional[list[Path]] = None,
) -> ScanResult:
    """Analyse the project holding ``paths``; report what concerns ``paths`` (and,
    given ``changed``, only those of its files). The cache is opt-in here and on by
    default in the CLI."""
    return scan_project(paths, config, progress, jobs, cache_dir, use_cache, changed)[1]


def scan_project(
    paths: list[Path],
    config: Config,
    progress: Optional[Progress] = None,
    jobs: Optional[int] = None,
    cache_dir: Optional[Path] = None,
    use_cache: bool = False,
    changed: Optional[list[Path]] = None,
) -> tuple[Discovery, ScanResult]:
    """``run_scan``, with the files it found: ``fix`` reads on from them."""
    # Parsing allocates millions of short-lived, acyclic objects (AST nodes, facts):
    # the cyclic collector would rescan the whole growing heap again and again for
    # nothing, which cost a third of a 10,000-file scan. Reference counting still
    # frees everything; the collector is back on when the scan returns.
    collecting = gc.isenabled()
    gc.disable()
    process.release()
    notices: list[str] = []
    cache = open_cache(config, cache_dir, use_cache, notices)
    try:
        found = discover(paths, config, _keeper(cache))
        result = _scan(found, paths, config, progress, jobs, cache, notices)
    finally:
        if cache is not None:
            cache.close()
        if collecting:
            gc.enable()
    result.project_root = str(found.base)
    scope = found.scope
    if changed is not None:
        scope = [rel for rel in _relative(changed, found.base) if found.in_scope(rel)]
    result.restrict(scope, [f.rel for f in found.files])
    if changed is None and found.files and scope is not None and not result.files_scanned:
        shown = ", ".join(str(p) for p in paths)
        result.notices.append(f"{shown}: no Python files to scan (see include and exclude)")
    return found, result


def _relative(files: list[Path], base: Path) -> list[str]:
    """``files`` as rel paths under ``base`` (those outside it are left out)."""
    rels = []
    for path in files:
        try:
            rels.append(Path(os.path.realpath(path)).relative_to(base).as_posix())
        except ValueError:
            continue
    return sorted(rels)


def _scan(
    found: Discovery,
    paths: list[Path],
    config: Config,
    progress: Optional[Progress],
    jobs: Optional[int],
    cache: Optional[FactsCache],
    notices: list[str],
) -> ScanResult:
    if not found.files:
        shown = ", ".join(str(p) for p in paths) or "."
        found.notices.append(f"{shown}: no Python files to scan (see include and exclude)")
    stats, racy = _stats(found.files)
    key = _result_key(found, stats, config)
    if cache is not None:
        stored = cache.result(key)
        if stored is not None:
            try:
                result = ScanResult.from_json(stored, [*found.notices, *notices])
                if stand_ins.still_as_seen(result.probed):
                    return result
            except (KeyError, TypeError, ValueError):
                notices.append(f"{cache.path}: unreadable stored result; recomputing")
    reused: list[ScanResult] = []
    # The facts key ``reuse`` looked up, for the facts it was worked out from: the
    # result is stored under it too (a 10,000-file key costs 15 ms to make).
    looked_up: list[tuple[dict[str, str], str]] = []

    def reuse(by_facts: dict[str, str]) -> bool:
        # Files changed but their facts did not (a comment, a function body):
        # the analysis reads only facts, so the result stored for them holds.
        assert cache is not None
        facts_key = _result_key(found, by_facts, config)
        looked_up.append((dict(by_facts), facts_key))
        stored = cache.result(facts_key)
        if stored is None:
            return False
        try:
            result = ScanResult.from_json(stored, [*found.notices, *notices])
        except (KeyError, TypeError, ValueError):
            return False
        if not stand_ins.still_as_seen(result.probed):
            return False
        reused.append(result)
        if not racy:
            cache.copy_result(facts_key, key)
        return True

    preload = _Preload()
    gathered, digests = _facts_for(
        found.files,
        stats,
        config.engine,
        jobs,
        cache,
        progress,
        config.max_file_size,
        started=preload.start,
        reuse=reuse if cache is not None else None,
        base=project_key(found.base),
        racy=racy,
    )
    preload.join()
    if gathered is None:
        return reused[0]
    files = gathered
    complete = cache is not None and len(digests) == len(files)
    facts_key = None
    if complete:
        facts_key = next((key for seen, key in looked_up if seen == digests), None)
        facts_key = facts_key or _result_key(found, digests, config)
    keeper = None
    if cache is not None and complete:
        from ssot_scan.incremental import Keeper

        # Answers hold for the same settings and tool, whatever the files and facts.
        context = _result_key(found, None, config)
        keeper = Keeper(cache, project_key(found.base), context, digests)
    before = len(notices)  # what the cache says from here on (its answers, storing)
    from ssot_scan.facts import DamagedFacts  # already imported: the facts are here

    repaired = False
    try:
        result = _analyse(found, files, config, [*found.notices, *notices], keeper)
    except DamagedFacts:
        assert cache is not None  # only facts read back from a cache decode late
        files = _repaired(files, stats, config, cache, digests)
        repaired = True  # nothing of this run is kept: the next one parses those files
        result = _analyse(found, files, config, [*found.notices, *notices], None)
    # A file that could not be read may be readable next time without its size or
    # mtime changing (chmod): such a result is not worth keeping.
    if cache is not None and not repaired and not any(_transient(f) for _, f in files):
        if not racy:
            cache.store_result(key, result.to_json())
            if facts_key is not None:
                cache.copy_result(key, facts_key)
        elif facts_key is not None:  # the files' content names it; their stats do not
            cache.store_result(facts_key, result.to_json())
    if cache is not None:
        result.notices.extend(notices[before:])  # what storing had to say
    return result


def _repaired(
    files: list[tuple[SourceFile, ModuleFacts]],
    stats: dict[str, Optional[Stat]],
    config: Config,
    cache: FactsCache,
    digests: Mapping[str, str],
) -> list[tuple[SourceFile, ModuleFacts]]:
    """``files`` with each file whose cached definitions do not decode (``DamagedFacts``:
    a row edited with its digest made to match, seen only when the definitions are
    first asked for) parsed again, here, and its row dropped from the cache."""
    from ssot_scan import facts as facts_module

    damaged: list[SourceFile] = []
    for source, facts in files:
        try:
            facts.definitions  # noqa: B018 - decoded here, or found damaged
        except facts_module.DamagedFacts:
            damaged.append(source)
    cache.drop_damaged([digests[s.rel] for s in damaged if s.rel in digests])
    extracted = _extracted(damaged, stats, config.engine, 1, config.max_file_size, None)
    fresh = {
        s.rel: facts_module.shared_strings(e.facts)
        for s, e in zip(damaged, extracted, strict=True)
    }
    return [(source, fresh.get(source.rel, facts)) for source, facts in files]


def _stats(files: list[SourceFile]) -> tuple[dict[str, Optional[Stat]], set[str]]:
    """Every file's (size, mtime), None where it cannot be stat'ed, and the files whose
    stats prove nothing about their content (``cache.is_racy``, against the time before
    the first stat): their stats are kept unmatched, and no result is stored by them."""
    began = time.time_ns()
    stats = {source.rel: source.stat() for source in files}
    racy = {rel for rel, stat in stats.items() if stat is not None and is_racy(stat[1], began)}
    return stats, racy


def _keeper(cache: Optional[FactsCache]) -> Optional[listing.Keeper]:
    """Where discovery keeps its walk: the cache, when one is in use (a read-only
    cache still offers the walks it holds)."""
    if cache is None:
        return None
    return listing.Keeper(cache, tool_identity())


def open_cache(
    config: Config, cache_dir: Optional[Path], use_cache: bool, notices: list[str]
) -> Optional[FactsCache]:
    """The facts cache the options ask for (``--cache-dir``, else at the project
    root), or None with ``--no-cache``; what opening it had to say goes to ``notices``."""
    if not use_cache:
        return None
    return FactsCache(cache_dir or default_cache_dir(config.cache_home), notices)


def _transient(facts: ModuleFacts) -> bool:
    """A failure that says nothing about the file's content (I/O, an internal error)."""
    return facts.parse_error is not None and facts.parse_error.transient


def _result_key(found: Discovery, stats: Optional[Mapping[str, object]], config: Config) -> str:
    """Everything a whole result depends on: files (by stat, or by the digest of
    their facts), settings, rules, tool version. ``stats`` None: all but the files
    (the context of each file's answers, ``incremental``)."""
    payload = {
        "tool": tool_identity(),
        "config": config.settings_text(),
        "files": None
        if stats is None
        else [
            (f.rel, f.module, f.name, f.is_package, f.shadowed_by, f.hidden_by, stats[f.rel])
            for f in found.files
        ],
        "opaque": sorted(found.opaque_modules),
        "first_party": sorted(found.first_party),
    }
    # Written in C: 10,000 files' stats in 0.7 ms, where ``json.dumps`` took 7.9 (a
    # run after an edit makes three keys, a warm run one).
    return hex_digest(structjson.canonical(payload))


Reuse = Callable[[dict[str, str]], bool]


def _facts_for(
    sources: list[SourceFile],
    stats: dict[str, Optional[Stat]],
    engine: str,
    jobs: Optional[int],
    cache: Optional[FactsCache],
    progress: Optional[Progress],
    max_bytes: int = DEFAULT_MAX_BYTES,
    started: Optional[Callable[[], None]] = None,
    reuse: Optional[Reuse] = None,
    *,
    base: str,
    racy: AbstractSet[str],
) -> tuple[Optional[list[tuple[SourceFile, ModuleFacts]]], dict[str, str]]:
    """Facts for every file: from the cache where it knows the content, else parsed;
    with the digest of each file's facts where the cache is in use. ``started``: see
    ``extract_all``; ``base``: the project's (``cache.project_key``), whose file stats the
    cache holds; ``racy``: the files whose stats prove nothing (``_stats``).

    In two steps: the files the cache does not know are parsed (and stored) first;
    then, once every file's facts digest is known, ``reuse`` may say that a result
    stored for those facts holds (an edit that changed no facts), and the files come
    back as None: the cached facts of the others are never built."""
    version = extraction_identity()
    known = cache.stat_hashes(base) if cache is not None else {}
    # Files the cache knows by content are found by it: worth hashing only if it
    # holds facts at all.
    findable = cache is not None and cache.holds_facts()
    digests = _content_digests(sources, stats, known, findable, max_bytes)
    facts_digests: dict[str, str] = {}
    if cache is not None:
        stored = cache.facts_digests(
            [_key(s, digests) for s in sources if s.rel in digests], engine, version
        )
        for source in sources:
            digest = stored.get(_key(source, digests)) if source.rel in digests else None
            if digest is not None:
                facts_digests[source.rel] = digest
    results: dict[str, ModuleFacts] = {}

    def parse(todo: list[SourceFile], started: Optional[Callable[[], None]]) -> None:
        """Parse ``todo``, store what the cache should keep, report progress (the
        files the cache knew count as done)."""
        new_facts: list[tuple[str, str, bool, str, str]] = []
        done = len(sources) - len(todo)
        if todo:  # the facts' records: imported only when something is parsed
            from ssot_scan import facts as facts_module
        extracting = _extracted(todo, stats, engine, jobs, max_bytes, started)
        for source, extracted in zip(todo, extracting, strict=True):
            results[source.rel] = facts_module.shared_strings(extracted.facts)
            if extracted.digest is not None and stats[source.rel] is not None and cache:
                digests[source.rel] = extracted.digest
                # A worker sends them packed; facts parsed here are packed now.
                data, stored = extracted.stored or facts_module.stored_form(extracted.facts)
                facts_digests[source.rel] = stored
                row = (extracted.digest, source.name or "", source.is_package, data, stored)
                new_facts.append(row)
            done += 1
            if progress is not None:
                progress(done, len(sources))
        if cache is not None:
            rows = _file_rows(sources, stats, digests, known, racy, base)
            cache.store(rows, new_facts, engine, version)

    parse([s for s in sources if s.rel not in facts_digests], started)
    if reuse is not None and len(facts_digests) == len(sources) and reuse(facts_digests):
        return None, facts_digests
    cached = [s for s in sources if s.rel not in results]
    if cache is not None and cached:
        hits = cache.facts([_key(s, digests) for s in cached], engine, version)
        for source in cached:
            hit = hits.get(_key(source, digests))
            if hit is not None:
                results[source.rel], facts_digests[source.rel] = hit
        missed = [s for s in cached if s.rel not in results]
        if missed:  # a row damaged since its digest was read, or a cache that failed
            parse(missed, None)
    return [(source, results[source.rel]) for source in sources], facts_digests


def _extracted(
    todo: list[SourceFile],
    stats: dict[str, Optional[Stat]],
    engine: str,
    jobs: Optional[int],
    max_bytes: int,
    started: Optional[Callable[[], None]],
) -> Iterator[Extracted]:
    """The facts of ``todo``, parsed (``parallel.extract_all``), in order. The pool,
    the parser and the facts' records are imported only here, when something is
    parsed: a run whose files all come from the cache by their content (a touch, a
    second look at a file changed just before the last run) needs none of them."""
    if not todo:
        return
    from ssot_scan.parallel import Job, extract_all, usable_cores

    workers = jobs if jobs is not None else usable_cores()
    job_list = [
        Job(s.location, s.name or "", s.is_package, (stats[s.rel] or (0, 0))[0], max_bytes)
        for s in todo
    ]
    yield from extract_all(job_list, engine, workers, started)


def _key(source: SourceFile, digests: dict[str, str]) -> tuple[str, str, bool]:
    """What cached facts are keyed by: content, the name relative imports resolve
    from, and whether the file is a package's ``__init__``."""
    return (digests.get(source.rel, ""), source.name or "", source.is_package)


def _content_digests(
    sources: list[SourceFile],
    stats: dict[str, Optional[Stat]],
    known: Mapping[str, tuple[int, int, str]],
    findable: bool,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> dict[str, str]:
    """The content hash of every file the cache may know: trusted from the cache
    when size and mtime match, else read (a touch leaves the content as it was)
    when the cache may hold its facts (``findable``)."""
    digests: dict[str, str] = {}
    for source in sources:
        seen = known.get(source.rel)
        stat = stats[source.rel]
        if seen is not None and stat is not None and (seen[0], seen[1]) == stat:
            digests[source.rel] = seen[2]
        elif findable and stat is not None:
            with contextlib.suppress(OSError, NotReadable):
                data = read_source(source.location, max_bytes)
                digests[source.rel] = hashing.content_hash(data)
    return digests


def _file_rows(
    sources: list[SourceFile],
    stats: dict[str, Optional[Stat]],
    digests: dict[str, str],
    known: Mapping[str, tuple[int, int, str]],
    racy: AbstractSet[str],
    base: str,
) -> list[tuple[str, int, int, str, str]]:
    """(rel, size, mtime, hash, base) rows the cache does not hold yet; a racy
    file's mtime is ``UNTRUSTED_MTIME`` (see ``_stats``): its hash keeps its facts in
    the cache, and no stat matches it."""
    rows = []
    for source in sources:
        stat = stats[source.rel]
        digest = digests.get(source.rel)
        if stat is None or digest is None:
            continue
        row = (stat[0], UNTRUSTED_MTIME if source.rel in racy else stat[1], digest)
        if known.get(source.rel) != row:
            rows.append((source.rel, *row, base))
    return rows


class _Preload:
    """Imports the analysis (the index, the checks, the tally: tens of milliseconds)
    in a thread while the parsing workers run, instead of after them. Started only once
    the workers are forked; a scan that parses in this process gains nothing by it."""

    def __init__(self) -> None:
        self.thread: Optional[threading.Thread] = None

    def start(self) -> None:
        if self.thread is None:
            self.thread = threading.Thread(target=_import_analysis, name="ssot-scan-preload")
            self.thread.daemon = True
            self.thread.start()

    def join(self) -> None:
        if self.thread is not None:
            self.thread.join()


def _import_analysis() -> None:
    # A failure here is the real import's to report, in the main thread.
    with contextlib.suppress(Exception):
        import ssot_scan.analysis
        import ssot_scan.checks
        import ssot_scan.index
        import ssot_scan.tally  # noqa: F401


def _analyse(
    found: Discovery,
    files: list[tuple[SourceFile, ModuleFacts]],
    config: Config,
    notices: list[str],
    keeper: Optional[Keeper] = None,
) -> ScanResult:
    """Index, analyse and check: the part that needs the index and the checks.
    ``keeper``: where each file's answers are kept between runs (``incremental``).

    Only the enabled checks run. No check reads another's findings: what makes one
    finding redundant (an SSOT002 import that SSOT001 reports) is declared in the
    registry and asked of the analysis, which knows the selection.
    """
    from ssot_scan.analysis import Analysis
    from ssot_scan.checks import all_checks
    from ssot_scan.index import build_index
    from ssot_scan.tally import tally

    index = build_index(
        files, found.first_party, config.rules, found.opaque_modules, keeper is not None
    )
    analysis = Analysis(index, config, keeper.answers(index) if keeper else None)
    enabled = set(config.enabled_codes)
    findings: list[Finding] = []
    for check in all_checks():
        if check.code in enabled:
            findings.extend(check.run(analysis))
    findings = _suppress(findings, index, analysis, config)
    process.keep(index, analysis)  # freed, if at all, when the process ends
    if keeper is not None:
        keeper.keep(analysis.answers)
    result = tally(
        findings,
        index,
        analysis.fragments if "SSOT002" in enabled else [],
        notices,
        config,
        analysis.cycles if "SSOT004" in enabled else [],
        analysis.undecidable if "SSOT005" in enabled else 0,
    )
    result.probed = dict(index.symbols.probed)
    return result


def _suppress(
    findings: list[Finding], index: Index, analysis: Analysis, config: Config
) -> list[Finding]:
    """``# ssot: ignore`` comments and ``per-file-ignores`` (see ``suppressions``):
    the findings marked suppressed or dropped, and SSOT007/SSOT008 added for the
    comments that name no rule or silence nothing."""
    from ssot_scan import suppressions
    from ssot_scan.analysis import Analysis
    from ssot_scan.checks import all_checks
    from ssot_scan.checks.base import CommentCheck

    enabled = set(config.enabled_codes)
    files = [(source.rel, facts) for source, facts in index.files]
    comments = suppressions.comments_of(files)
    if comments:
        spread = suppressions.name_lines(files)
        judges = [c for c in all_checks() if isinstance(c, CommentCheck) and c.code in enabled]
        analysed = [c for c in all_checks() if not isinstance(c, CommentCheck)]
        if judges and not all(c.code in enabled for c in analysed):
            # Judge every comment against every rule, whatever this run reports.
            everything = msgspec.structs.replace(config, select=list(ALL_CODES), ignore=[])
            full = Analysis(index, everything)
            judged = [f for check in analysed for f in check.run(full)]
            suppressions.apply(judged, comments, spread, mark=False)
        suppressions.apply(findings, comments, spread)
        every = [comment for in_file in comments.values() for comment in in_file.values()]
        for judge in judges:
            findings.extend(judge.review(every))
        suppressions.vouch(findings, comments)
    if config.per_file_ignores:
        findings = [f for f in findings if not _ignored_for_file(f, config)]
    return findings


def _ignored_for_file(finding: Finding, config: Config) -> bool:
    """Does a ``per-file-ignores`` glob matching the finding's file name its code?"""
    for pattern, codes in config.per_file_ignores.items():
        if finding.code in codes and _glob(pattern).match_file(finding.path):
            return True
    return False


@functools.lru_cache(maxsize=256)
def _glob(pattern: str) -> Any:
    import pathspec

    return pathspec.GitIgnoreSpec.from_lines([pattern])


def analyse_project(
    paths: list[Path],
    config: Config,
    jobs: Optional[int] = None,
    cache_dir: Optional[Path] = None,
    use_cache: bool = False,
) -> tuple[Discovery, Analysis]:
    """The analysis of the whole project holding ``paths``, for the commands that
    read more than findings (``plan``). Facts come from the cache where it knows
    them (when it is in use); no whole result is stored, since there is none."""
    from ssot_scan.analysis import Analysis
    from ssot_scan.index import build_index

    found = discover(paths, config)
    cache = open_cache(config, cache_dir, use_cache, [])
    try:
        stats, racy = _stats(found.files)
        gathered, digests = _facts_for(
            found.files,
            stats,
            config.engine,
            jobs,
            cache,
            None,
            config.max_file_size,
            base=project_key(found.base),
            racy=racy,
        )
        files = gathered if gathered is not None else []  # None only when reuse says so
        if cache is not None:  # the analysis is read later, outside any recovery
            files = _repaired(files, stats, config, cache, digests)
    finally:
        if cache is not None:
            cache.close()
    index = build_index(files, found.first_party, config.rules, found.opaque_modules)
    return found, Analysis(index, config)
