"""``ssot-scan fix``: move imports to their canonical path, formatting kept, and take
unused suppressions (SSOT008) out of their comments (``comments``).

SSOT002 findings are rewritten, and SSOT001 findings whose replacement the scan
proved to be the *same object* (a successor is a different object, and moving to it
stays a human's job): the new path binds what the old one did. After writing, the
command checks every move again; any doubt restores every file. A statement that
imports several names keeps the others; the moved names join an existing
``from <canonical> import ...``, or a new statement where isort would put it. libcst
keeps comments and layout.

Safety: a file is rewritten only if its new text parses (with libcst, and with
``ast`` when the interpreter can read it), and it is written atomically, so no file
is ever left half-written or unparseable. Files whose statements cannot be matched
exactly (positions moved since the scan) are left alone and reported.

The package, in the order a rewrite runs: ``moves`` (what moves), ``safety``
(which moves keep behaviour; the check after writing), ``files`` (one file's
rewrite in a worker), ``regions`` (how little of it libcst reads), ``rewriter``
(split the moved names out), ``joining`` (into an existing import), ``placement``
(where isort puts a new one), ``syntax`` (the libcst shapes they share).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Optional

import msgspec

from ssot_scan.findings import Finding
from ssot_scan.fix.comments import remove_unused, unused_by_file
from ssot_scan.fix.files import FileJob, fix_file, fix_job
from ssot_scan.fix.moves import FileFix, Move, moves_by_file
from ssot_scan.fix.placement import DEFAULT_LINE_LENGTH, isort_line_length
from ssot_scan.fix.safety import changed_imports, keep_side_effects, refusals, verify
from ssot_scan.hashing import content_hash
from ssot_scan.parallel import map_in_order
from ssot_scan.writes import Change
from ssot_scan.writes import write_all as write_all_changes

if TYPE_CHECKING:
    from ssot_scan.cache import FactsCache
    from ssot_scan.config import Config
    from ssot_scan.discover import Discovery, SourceFile
    from ssot_scan.facts import ModuleFacts
    from ssot_scan.project_view import ProjectView

__all__ = [
    "FileFix",
    "FileJob",
    "Move",
    "Outcome",
    "fix_file",
    "keep_side_effects",
    "plan",
    "refusals",
    "restore",
    "run",
    "verify",
    "write_all",
]


def restore(fixes: Sequence[FileFix]) -> None:
    """Put every written file back as it was."""
    write_all_changes(
        [Change(f.path, f.original) for f in fixes if f.after is not None], "restored file"
    )


def write_all(fixes: Sequence[FileFix]) -> None:
    """Write every rewritten file, or none (see ``writes.write_all``): a tree is
    never left half-migrated."""
    write_all_changes(
        [
            Change(f.path, f.after.encode("utf-8"), f.original)
            for f in fixes
            if f.after is not None and f.after != f.before
        ],
        "fixed file",
    )


def plan(
    findings: Sequence[Finding],
    base: Path,
    view: Optional[ProjectView] = None,
    workers: int = 1,
    engine: str = "auto",
    line_length: int = DEFAULT_LINE_LENGTH,
) -> tuple[list[FileFix], list[str]]:
    """One ``FileFix`` per file with movable findings, in path order, and why the
    moves that would drop an import's side effects are refused (given ``view``).
    Files are rewritten in a process pool when there are many."""
    moves = moves_by_file(findings)
    refused: list[str] = []
    sources = {}
    first_party: frozenset[str] = frozenset()
    if view is not None:
        moves, refused = keep_side_effects(moves, view)
        sources = {s.rel: s for s in view.found.files}
        first_party = frozenset(view.found.first_party)
    jobs = []
    for rel, file_moves in sorted(moves.items()):
        source = sources.get(rel)
        name, is_package = (source.name or "", source.is_package) if source else ("", False)
        jobs.append(
            FileJob(
                source.path if source else base / rel,
                rel,
                file_moves,
                name,
                is_package,
                engine,
                first_party,
                line_length,
            )
        )
    return map_in_order(fix_job, jobs, workers), refused


class Outcome(msgspec.Struct):
    """What ``fix`` did: the files it changed (or would), the warnings for each move
    it left alone, and, when the check after writing failed, why (every file was
    then restored)."""

    changed: list[FileFix]
    warnings: list[str]
    errors: list[str]

    @property
    def moved(self) -> int:
        return sum(f.moved for f in self.changed)

    @property
    def cleaned(self) -> int:
        """Unused suppressions taken out (SSOT008)."""
        return sum(f.cleaned for f in self.changed)


def run(
    found: Discovery,
    findings: Sequence[Finding],
    config: Config,
    cache: Optional[FactsCache],
    workers: int,
    write: bool,
) -> Outcome:
    """Plan every move, write the files all or none, check them, and roll back on
    any doubt. Facts come from ``cache`` where it knows a file (``ProjectView``):
    no whole analysis runs, so a fix costs little more than a warm scan."""
    from ssot_scan.project_view import ProjectView

    view = ProjectView(found, config.engine, cache, None, config.max_file_size)
    length = isort_line_length(found.base)
    fixes, refused = plan(findings, found.base, view, workers, config.engine, length)
    fixes = _clean_suppressions(fixes, findings, found, config.engine)
    changed = [f for f in fixes if f.after is not None and f.after != f.before]
    warnings_ = [*refusals(findings), *refused, *(p for f in fixes for p in f.problems)]
    outcome = Outcome(changed, warnings_, [])
    if not write or not changed:
        return outcome
    touched = [f.rel for f in changed]
    # Only the import statements a rewrite changed can have broken: the others are
    # the same statements, judged the same before and after.
    old_sites, new_sites = {}, {}
    for item in changed:
        assert item.facts is not None  # a rewrite without facts did not parse
        old_sites[item.rel], new_sites[item.rel] = changed_imports(
            view.facts_of(item.rel), item.facts
        )
    before = len(view.unresolved(touched, config.include_guarded, old_sites))
    write_all(changed)
    known = {rel: facts for rel, facts in view.loaded().items() if rel not in set(touched)}
    known.update({f.rel: f.facts for f in changed if f.facts is not None})
    after = ProjectView(found, config.engine, cache, known, config.max_file_size)
    outcome.errors = verify(changed, after, before, config.include_guarded, new_sites)
    if outcome.errors:
        restore(changed)
        return outcome
    after.remember(_written_rows(changed, {s.rel: s for s in found.files}))
    return outcome


def _clean_suppressions(
    fixes: list[FileFix], findings: Sequence[Finding], found: Discovery, engine: str
) -> list[FileFix]:
    """SSOT008: the unused suppressions taken out of the text the import moves left
    (see ``comments``), in the files with moves and in files of their own."""
    from ssot_scan.extract import extract
    from ssot_scan.safe_read import NotReadable, read_source

    cleanup = unused_by_file(findings)
    if not cleanup:
        return fixes
    by_rel = {f.rel: f for f in fixes}
    sources = {s.rel: s for s in found.files}
    for rel, unused in sorted(cleanup.items()):
        source = sources.get(rel)
        if source is None:
            continue
        item = by_rel.get(rel)
        if item is None:
            try:
                data = read_source(source.location)
                text = data.decode("utf-8")
            except (OSError, NotReadable, UnicodeDecodeError) as exc:
                reason = "not UTF-8" if isinstance(exc, UnicodeDecodeError) else str(exc)
                fixes.append(FileFix(source.path, rel, "", problems=[f"{rel}: {reason}"]))
                continue
            item = FileFix(source.path, rel, text, after=text, original=data)
            fixes.append(item)
        if item.after is None:  # its rewrite failed; its problems say why
            continue
        after, cleaned, problems = remove_unused(item.before, item.after, unused)
        item.problems.extend(f"{rel}: {problem}" for problem in problems)
        if not cleaned:
            continue
        facts = extract(after.encode("utf-8"), source.name or "", source.is_package, engine)
        if facts.parse_error is not None:  # cannot happen to a comment; checked anyway
            item.problems.append(f"{rel}: taking out a suppression broke the file; left alone")
            continue
        item.after, item.cleaned, item.facts = after, cleaned, facts
    return sorted(fixes, key=lambda f: f.rel)


def _written_rows(
    fixes: Sequence[FileFix], sources: dict[str, SourceFile]
) -> list[tuple[SourceFile, int, int, str, ModuleFacts]]:
    """(source, size, mtime, content hash, facts) of each written file, for the cache."""
    rows = []
    for item in fixes:
        if item.after is None or item.facts is None:
            continue
        try:
            info = item.path.stat()
        except OSError:
            continue
        data = item.after.encode("utf-8")
        rows.append(
            (sources[item.rel], info.st_size, info.st_mtime_ns, content_hash(data), item.facts)
        )
    return rows
