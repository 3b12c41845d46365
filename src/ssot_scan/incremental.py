"""Each file's answers, kept between runs with the modules they were made from.

The analysis's per-file steps — which definitions a file's imports use (SSOT002,
SSOT003), which of its imports cannot succeed (SSOT005) or reach something
deprecated (SSOT001), what each module exports — are most of its cost on a large
project, and an edit to one file changes few other files' answers. Each file's
answers are kept with what they read (``SymbolTable.reads``: the modules whose facts
they rest on); a later run reuses them where the file's own facts and those of
every module they read are unchanged, and works out the others again. What every
answer rests on besides facts is either recorded too or part of the *context*.
Which modules and package folders exist is recorded (``module_exists``,
``is_namespace``, ``own_file`` read the name asked about), and each row keeps how
discovery named its file, so a file added, removed or renamed changes only the
answers that asked about its module or a package folder that came or went with it.
The settings, rules, tool, first-party packages and compiled modules are the context
(``scan._scan``: its result key without the files): rows of another context are
never read. Whether a module is deprecated is not recorded per answer: the
deprecated-import answers are kept with a digest of every deprecation the project
declares, and all worked out again when it changes. The folds over every file (the
fragmentation table, competing definitions, cycles) run whole each time, over these
answers; they cost a fraction of the steps.

A run without a cache records and keeps nothing (``Answers(index)``): the steps run
as they always have. Reports are the same either way; tests compare them after
random edits.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping
from collections.abc import Set as AbstractSet
from functools import partial
from typing import TYPE_CHECKING, Any, Literal, Optional, TypeVar, Union

import msgspec

from ssot_scan import dotted, structjson
from ssot_scan.deprecated_imports import DeprecatedUse, deprecated_in
from ssot_scan.hashing import hex_digest
from ssot_scan.index import Usage, usages_in, usages_of
from ssot_scan.index.deprecations import Deprecation
from ssot_scan.index.reads import FILE_SYSTEM, FINDERS, HANDED
from ssot_scan.index.symbols import DEFINITION
from ssot_scan.unresolved import (
    UNDECIDABLE_IMPORT,
    Broken,
    UnresolvedImports,
    Verdict,
    tally_verdicts,
    verdicts_in,
)

if TYPE_CHECKING:
    from ssot_scan.cache import FactsCache
    from ssot_scan.discover import SourceFile
    from ssot_scan.facts import ImportSite, ModuleFacts
    from ssot_scan.index import Index

Result = TypeVar("Result")
Exports = dict[str, dict[str, list[str]]]


class _Row(
    msgspec.Struct,
    omit_defaults=True,
    gc=False,
    rename={
        "facts": "f",
        "reads": "r",
        "finders": "x",
        "handing": "h",
        "naming": "n",
        "usages": "u",
        "verdicts": "v",
        "deprecated": "d",
        "deprecations": "p",
        "listed": "l",
        "resolved": "e",
    },
):
    """One file's answers as a run made them: what the cache keeps for the file,
    under one-letter keys. A step left None was not asked for in the run that made
    the row. msgspec checks every field's type as it reads a row (10,000 rows read
    in two thirds of the time ``json`` and checks in Python took); what the types do
    not say (a position in the file's facts) is checked where it is used."""

    facts: str  # the digest of the file's facts the answers were made from
    reads: set[str] = msgspec.field(default_factory=set)  # modules (and FINDERS...) read
    finders: bool = False  # the file's facts name import finders (FINDERS rests on them)
    handing: bool = False  # the file's facts hand a module over (HANDED rests on them)
    # How discovery named the file: module, name, package, shadowed by, hidden by.
    naming: list[Any] = msgspec.field(default_factory=list)
    usages: Optional[list[tuple[int, int, str]]] = None
    # Per verdict: 0 for one no tool can decide, else [site, name or -1, text, symbol,
    # what is missing].
    verdicts: Optional[list[Union[int, _VerdictRow]]] = None
    # [site, name or -1, target, kind, the deprecation's fields], and the digest of the
    # project's deprecations they were made under.
    deprecated: Optional[list[_DeprecatedRow]] = None
    deprecations: str = ""
    listed: Optional[list[str]] = None  # the names the module exports (all of them)
    # name -> the definition it resolves to ("=": the module's own ``module.name``; "":
    # none), for the listed names in use when asked.
    resolved: dict[str, str] = msgspec.field(default_factory=dict)

    def dumps(self) -> str:
        """The row as JSON (by ``json`` where it holds a lone surrogate, an
        ``__all__`` entry spelled ``"\\udcff"``: see ``structjson``)."""
        return structjson.dumps(self, _ENCODER)

    @classmethod
    def loads(cls, text: str | bytes) -> _Row:
        """The row ``dumps`` wrote; raises ValueError on one that does not have its
        shape (RecursionError on one nested deeper than msgspec reads)."""
        row = structjson.loads(text, _ROW, _Row)
        if len(row.naming) != 5:
            raise ValueError("naming: not the five things discovery names a file by")
        return row


_VerdictRow = tuple[int, int, str, str, Literal["module", "name"]]
_DeprecationRow = tuple[str, Optional[str], str, str, bool, Literal["rule-pack", "code"], bool]
_DeprecatedRow = tuple[int, int, str, Literal["module", "symbol"], _DeprecationRow]
_ENCODER = msgspec.json.Encoder(order="deterministic")  # a set's names sorted
_ROW = msgspec.json.Decoder(_Row)


def _checked(at: int, number: int) -> None:
    """A position in a list of the file's facts, and one in its names (-1: none;
    below, either would count from the end of the list)."""
    if at < 0 or number < -1:
        raise ValueError("not a position")


class Answers:
    """The per-file steps of one run's analysis, each file's answers reused where the
    rows kept for it still hold (see the module's docs), and what this run worked
    out afresh, to keep for the next (``made``)."""

    def __init__(
        self,
        index: Index,
        kept: Optional[Mapping[str, bytes]] = None,
        digests: Optional[Mapping[str, str]] = None,
    ) -> None:
        """``kept``: rel -> the row a cache kept (``_Row.dumps``, as UTF-8 bytes);
        ``digests``: rel -> the digest of each file's facts in this run. Rows are kept
        and used only while the index records what its answers read
        (``SymbolTable.reads``)."""
        self.index = index
        self._reads = index.symbols.reads
        self._digests: Mapping[str, str] = (digests or {}) if self._reads is not None else {}
        self._rows: dict[str, _Row] = {}  # rel -> a kept row that still holds
        self._made: dict[str, _Row] = {}  # rel -> a row this run made or completed
        self._deprecations: Optional[str] = None
        self.had_rows = bool(kept) and bool(self._digests)
        # Files a row was kept for that the project no longer has: their rows go.
        self.gone: list[str] = []
        if self.had_rows and kept is not None:
            present = {source.rel for source, _ in index.files}
            self._rows = _holding(index.files, present, _decoded(kept), self._digests, set(kept))
            self.gone = sorted(set(kept) - present)

    @property
    def reused(self) -> int:
        """How many files' rows held (for tests and timing)."""
        return len(self._rows)

    def made(self) -> dict[str, str]:
        """rel -> the row to keep for each file whose answers this run worked out."""
        return {rel: row.dumps() for rel, row in self._made.items()}

    # -- the steps --------------------------------------------------------------------
    def usages(self) -> list[Usage]:
        """``index.usages_in`` of every file, file by file."""
        symbols = self.index.symbols

        def work(source: SourceFile, facts: ModuleFacts) -> list[Any]:
            return usages_in(symbols, source, facts)

        return [use for found in self._each_file("usages", work, _usages) for use in found]

    def unresolved(self, include_guarded: bool) -> UnresolvedImports:
        """``unresolved.find_unresolved`` of every file, file by file."""

        def work(source: SourceFile, facts: ModuleFacts) -> list[Any]:
            found = verdicts_in(self.index, source, facts, include_guarded)
            return [_verdict_to_row(facts, verdict) for verdict in found]

        return tally_verdicts(self._each_file("verdicts", work, _verdicts))

    def deprecated(self) -> list[DeprecatedUse]:
        """``deprecated_imports.deprecated_in`` of every file, file by file, under the
        project's present deprecations."""
        current = self._deprecations_digest()

        def work(source: SourceFile, facts: ModuleFacts) -> list[Any]:
            uses = deprecated_in(self.index, source, facts)
            return [_deprecated_to_row(facts, use) for use in uses]

        return [
            use
            for found in self._each_file("deprecated", work, _deprecated, deprecations=current)
            for use in found
        ]

    def _each_file(
        self,
        step: str,
        work: Callable[[SourceFile, ModuleFacts], list[Any]],
        objects: Callable[[SourceFile, ModuleFacts, list[Any]], list[Result]],
        deprecations: Optional[str] = None,
    ) -> Iterator[list[Result]]:
        """One step's answers for each file, in order, as objects: from the file's
        kept row (``step`` names its attribute) where that holds, else worked out and
        put in the row this run keeps. ``deprecations``: the rows' answers hold only
        if made under these deprecations."""
        for source, facts in self.index.files:
            row = self._rows.get(source.rel)
            kept = None if row is None else getattr(row, step)
            if (
                row is not None
                and kept is not None
                and (deprecations is None or row.deprecations == deprecations)
            ):
                decoded = self._decode(source, partial(objects, source, facts, kept))
                if decoded is not None:
                    yield decoded
                    continue
            rows = self._work(source, facts, partial(work, source, facts))
            made = self._row_for(source, facts)
            if made is not None:
                setattr(made, step, rows)
                if deprecations is not None:
                    made.deprecations = deprecations
            yield objects(source, facts, rows)

    def exports(self, names: Collection[str]) -> Exports:
        """``SymbolTable.exports(names=names)``: module by module, from each module's
        list of exported names (kept whole, so the names in use may change) and the
        definitions of those in use; a module whose row lacks one of them works its
        exports out again."""
        symbols = self.index.symbols
        if self._reads is None:
            return symbols.exports(names=names)
        result: Exports = {}
        source_of, rows = self.index.source_of, self._rows
        for module in sorted(symbols.modules):
            source = source_of[module]
            row = rows.get(source.rel)
            found = None
            if row is not None and row.listed is not None:
                found = _in_use(row.listed, row.resolved, names)
            if found is None:
                facts = symbols.modules[module]
                listed, resolved = self._work(
                    source, facts, partial(self._exports_of, module, names)
                )
                found = _in_use(listed, resolved, names)
                assert found is not None  # ``_exports_of`` resolved every name in use
                made = self._row_for(source, facts)
                if made is not None:
                    made.listed, made.resolved = listed, resolved
            for name, target in found:
                if target == "=":
                    target = f"{module}.{name}"
                if target:
                    result.setdefault(target, {}).setdefault(module, []).append(name)
        return result

    def _exports_of(self, module: str, names: Collection[str]) -> tuple[list[str], dict[str, str]]:
        """Every name ``module`` exports, and what those in ``names`` resolve to (the
        form a row keeps: "=" for the module's own definition, "" for none)."""
        symbols = self.index.symbols
        listed = symbols.exported_names(module)
        resolved: dict[str, str] = {}
        for name in listed:
            if name in names:
                found = symbols.resolve(module, name)
                target = found.target if found.kind == DEFINITION else ""
                resolved[name] = "=" if target == f"{module}.{name}" else target
        return listed, resolved

    # -- bookkeeping ------------------------------------------------------------------
    def _work(self, source: SourceFile, facts: ModuleFacts, work: Callable[[], Result]) -> Result:
        """``work()``, what it read added to the file's row."""
        reads = self._reads
        if reads is None or source.rel not in self._digests:
            return work()
        reads.open()  # not ``recording()``: a generator's setup, per file and step
        try:
            value = work()
        finally:
            read = reads.close()
        row = self._row_for(source, facts)
        if row is not None:
            row.reads.update(read)
        return value

    def _row_for(self, source: SourceFile, facts: ModuleFacts) -> Optional[_Row]:
        """The row this run keeps for ``source``: the kept one, completed, or a new one
        (None where nothing is kept: no cache, or no digest of the file's facts)."""
        made = self._made.get(source.rel)
        if made is not None:
            return made
        digest = self._digests.get(source.rel)
        if digest is None:
            return None
        row = self._rows.get(source.rel) or _Row(
            digest,
            finders=bool(facts.finder_serves),
            handing=_hands_modules_over(facts),
            naming=_naming(source),
        )
        self._made[source.rel] = row
        return row

    def _decode(self, source: SourceFile, decode: Callable[[], Result]) -> Optional[Result]:
        """A kept row's answers as objects; None (and the row forgotten: the file's
        answers are worked out again) where the row does not fit the file's facts."""
        try:
            return decode()
        except (IndexError, TypeError, ValueError):
            self._rows.pop(source.rel, None)
            self._made.pop(source.rel, None)
            return None

    def _deprecations_digest(self) -> str:
        """Every deprecation the project declares, as one digest."""
        if self._deprecations is None:
            found = self.index.deprecations
            text = json.dumps(
                [
                    sorted((name, msgspec.structs.astuple(d)) for name, d in table.items())
                    for table in (found.modules, found.definitions, found.external_symbols)
                ],
                separators=(",", ":"),
            )
            self._deprecations = hex_digest(text, 16)
        return self._deprecations


def _in_use(
    listed: list[str], resolved: Mapping[str, str], names: Collection[str]
) -> Optional[list[tuple[str, str]]]:
    """(name, what it resolves to) for each of the module's ``listed`` exports that is
    in ``names``; None where ``resolved`` lacks one of them (a kept row made when that
    name was not in use)."""
    found = []
    for name in listed:
        if name in names:
            target = resolved.get(name)
            if target is None:
                return None
            found.append((name, target))
    return found


def _decoded(kept: Mapping[str, bytes]) -> dict[str, _Row]:
    """The kept rows that read as rows; a damaged one is left out (worked out again)."""
    rows: dict[str, _Row] = {}
    for rel, text in kept.items():
        try:
            rows[rel] = _Row.loads(text)
        except (ValueError, RecursionError):  # msgspec.DecodeError; nested too deep
            continue
    return rows


def _holding(
    files: Iterable[tuple[SourceFile, ModuleFacts]],
    present: AbstractSet[str],
    rows: Mapping[str, _Row],
    digests: Mapping[str, str],
    stored: AbstractSet[str],
) -> dict[str, _Row]:
    """The rows that still hold: made from the file's present facts under its present
    name, and having read nothing that changed. Changed: the module of each file whose
    facts or naming changed, or whose row is unreadable; the modules of files added or
    gone, and the package folders that appeared or went with them (what
    ``SymbolTable.module_exists`` and ``is_namespace`` answer); the import finders when
    a file that names one changed, before or now, or a package a finder names
    appeared or went; the modules handed over when a file that hands one changed,
    before or now; and the file system, always (an answer that looked at it is
    never kept). ``present``: the files' rels; ``stored``: every file a row was kept
    for: where one of them did not read, no row holds."""
    if len(rows) < len(stored):
        # A row that did not read: what its file was named and read is unknown.
        return {}
    changed: set[str] = {FILE_SYSTEM}
    finders = handing = False
    modules_now: set[str] = set()
    served: set[str] = set()
    for source, facts in files:
        served.update(facts.finder_serves)
        if source.module is not None:
            modules_now.add(source.module)
        row = rows.get(source.rel)
        naming = _naming(source)
        if row is None or row.facts != digests.get(source.rel) or row.naming != naming:
            changed.update(m for m in (source.module, source.name) if m is not None)
            if row is not None:
                changed.update(m for m in row.naming[:2] if isinstance(m, str))
            finders = finders or bool(facts.finder_serves) or (row is not None and row.finders)
            handing = handing or _hands_modules_over(facts) or (row is not None and row.handing)
    modules_then: set[str] = set()
    for rel, row in rows.items():
        if isinstance(row.naming[0], str):
            modules_then.add(row.naming[0])
        if rel not in present:  # a file gone
            changed.update(m for m in row.naming[:2] if isinstance(m, str))
            finders = finders or row.finders
            handing = handing or row.handing
    if modules_now != modules_then:
        appeared_or_gone = (modules_now ^ modules_then) | (
            _packages(modules_now) ^ _packages(modules_then)
        )
        changed.update(appeared_or_gone)
        finders = finders or not served.isdisjoint(appeared_or_gone)
    if finders:
        changed.add(FINDERS)
    if handing:
        changed.add(HANDED)
    return {
        rel: row
        for rel, row in rows.items()
        if rel in present and row.facts == digests.get(rel) and row.reads.isdisjoint(changed)
    }


def _naming(source: SourceFile) -> list[Any]:
    """How discovery named ``source`` (what a row keeps of it)."""
    return [source.module, source.name, source.is_package, source.shadowed_by, source.hidden_by]


def _hands_modules_over(facts: ModuleFacts) -> bool:
    """Does the module hand a module it imports to a function (``Handover.passed``)?"""
    return any(h.passed is not None for h in facts.handovers)


def _packages(modules: Iterable[str]) -> set[str]:
    """The packages above ``modules`` (namespace folders among them)."""
    found: set[str] = set()
    for module in modules:
        found.update(dotted.ancestors(module))
    return found


def _usages(source: SourceFile, facts: ModuleFacts, rows: list[Any]) -> list[Usage]:
    """``index.usages_of`` of kept rows, each position checked as it is read (the
    types are, as the row is: ``_Row``)."""
    for at, number, _ in rows:
        if at < 0 or number < 0:
            raise ValueError("not a usage")
    return usages_of(source, facts, rows)


def _positions(facts: ModuleFacts, site: ImportSite, imported: object) -> tuple[int, int]:
    """Where ``site`` is among the file's imports and ``imported`` among its names
    (-1: no name, the statement itself)."""
    at = next(i for i, s in enumerate(facts.imports) if s is site)
    number = -1 if imported is None else next(i for i, n in enumerate(site.names) if n is imported)
    return at, number


def _at(facts: ModuleFacts, at: int, number: int) -> tuple[ImportSite, Any]:
    site = facts.imports[at]
    return site, None if number == -1 else site.names[number]


def _verdict_to_row(facts: ModuleFacts, verdict: Verdict) -> Any:
    if not isinstance(verdict, Broken):
        return 0
    at, number = _positions(facts, verdict.site, verdict.imported)
    return [at, number, verdict.text, verdict.symbol, verdict.missing]


def _verdicts(source: SourceFile, facts: ModuleFacts, rows: list[Any]) -> list[Verdict]:
    found: list[Verdict] = []
    for row in rows:
        if row == 0:
            found.append(UNDECIDABLE_IMPORT)
            continue
        if isinstance(row, int):
            raise ValueError("not a verdict")
        at, number, text, symbol, missing = row
        _checked(at, number)
        site, imported = _at(facts, at, number)
        found.append(Broken(source, site, imported, text, symbol, missing))
    return found


def _deprecated_to_row(facts: ModuleFacts, use: DeprecatedUse) -> Any:
    at, number = _positions(facts, use.site, use.imported)
    return [at, number, use.target, use.kind, msgspec.structs.astuple(use.deprecation)]


def _deprecated(source: SourceFile, facts: ModuleFacts, rows: list[Any]) -> list[DeprecatedUse]:
    found: list[DeprecatedUse] = []
    for at, number, target, kind, deprecation in rows:
        _checked(at, number)
        site, imported = _at(facts, at, number)
        found.append(
            DeprecatedUse(source, site, imported, target, Deprecation(*deprecation), kind)
        )
    return found


class Keeper(msgspec.Struct):
    """Where one run's answers are kept: the cache, the project (``base``) and the
    analysis context; ``digests``: rel -> the digest of each file's facts."""

    cache: FactsCache
    base: str
    context: str
    digests: Mapping[str, str]

    def answers(self, index: Index) -> Answers:
        return Answers(index, self.cache.answers(self.base, self.context), self.digests)

    def keep(self, answers: Answers) -> None:
        """Keep what ``answers`` worked out afresh; where no row was kept before for
        this context, the project's rows are replaced whole."""
        self.cache.store_answers(
            self.base, self.context, answers.made(), not answers.had_rows, answers.gone
        )
