"""A project's facts, read when first asked for: what ``fix`` checks its moves with.

``fix`` asks few questions of a big tree: what a moved import binds, whether
dropping an import drops a module's side effects, which imports of the rewritten
files break. A whole analysis would load every file's facts and build the import
graph first (seconds on a 10,000-module tree) to answer questions about a few
hundred modules. Here a module's facts are read the first time a question needs
them: from the cache when the file's size and mtime are what the cache saw, else by
parsing the file. Names resolve with the scan's own ``SymbolTable`` over this
mapping, so every answer is the one a full scan gives.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Optional

from ssot_scan import dotted
from ssot_scan.cache import (
    UNTRUSTED_MTIME,
    FactsCache,
    extraction_identity,
    is_racy,
    project_key,
)
from ssot_scan.discover import Discovery, SourceFile
from ssot_scan.facts import ModuleFacts, stored_form
from ssot_scan.index.graph import edge_targets
from ssot_scan.index.symbols import SymbolTable
from ssot_scan.parallel import Job, extract_one
from ssot_scan.safe_read import DEFAULT_MAX_BYTES
from ssot_scan.unresolved import Broken, find_unresolved


class FactsOnDemand(Mapping[str, ModuleFacts]):
    """Module name -> facts, every discovered module listed, each loaded on first use."""

    def __init__(
        self, files: Mapping[str, SourceFile], load: Callable[[SourceFile], ModuleFacts]
    ) -> None:
        self._files = files
        self._load = load

    def __getitem__(self, module: str) -> ModuleFacts:
        return self._load(self._files[module])

    def __contains__(self, module: object) -> bool:
        return module in self._files

    def __iter__(self) -> Iterator[str]:
        return iter(self._files)

    def __len__(self) -> int:
        return len(self._files)


class ProjectView:
    """The discovered files, their facts on demand, and the questions ``fix`` asks.

    ``known`` holds facts already in hand (the rewritten files, extracted from their
    new text before writing; facts read by an earlier view of unchanged files), which
    win over the cache and the disk.
    """

    def __init__(
        self,
        found: Discovery,
        engine: str,
        cache: Optional[FactsCache],
        known: Optional[Mapping[str, ModuleFacts]] = None,
        max_bytes: int = DEFAULT_MAX_BYTES,
    ) -> None:
        self._max_bytes = max_bytes
        self.found = found
        self._engine = engine
        self._cache = cache
        self._base = project_key(found.base)
        self._stats = cache.stat_hashes(self._base) if cache is not None else {}
        self._version = extraction_identity()
        self._facts: dict[str, ModuleFacts] = dict(known or {})  # rel -> facts
        self._reach: dict[str, set[str]] = {}  # module -> what importing it runs
        self._by_rel = {source.rel: source for source in found.files}
        self.source_of = {s.module: s for s in found.files if s.module is not None}
        self.modules = FactsOnDemand(self.source_of, self._load)
        self.symbols = SymbolTable(
            self.modules,
            found.first_party,
            {s.module for s in found.files if s.module and s.is_package},
            found.opaque_modules,
        )

    def facts_of(self, rel: str) -> ModuleFacts:
        return self._load(self._by_rel[rel])

    def loaded(self) -> dict[str, ModuleFacts]:
        """rel -> facts of every file read so far."""
        return dict(self._facts)

    def _load(self, source: SourceFile) -> ModuleFacts:
        facts = self._facts.get(source.rel)
        if facts is None:
            facts = self._from_cache(source)
            if facts is None:
                job = Job(
                    source.location, source.name or "", source.is_package, 0, self._max_bytes
                )
                facts = extract_one(job, self._engine).facts
            self._facts[source.rel] = facts
        return facts

    def preload(self, names: Iterable[str]) -> None:
        """Read the facts of the files and modules ``names`` (rel paths or module
        names) in one question to the cache: asked one by one, a few thousand
        lookups cost more than one pass over the whole cache."""
        if self._cache is None:
            return
        keys = {}
        for name in names:
            source = self._by_rel.get(name) or self.source_of.get(name)
            if source is None or source.rel in self._facts:
                continue
            key = self._cache_key(source)
            if key is not None:
                keys[key] = source.rel
        if len(keys) < 2:
            return
        # Not lazily: ``fix`` reads these facts outside any recovery from a damaged row.
        found = self._cache.facts(keys, self._engine, self._version, lazy=False)
        for key, (facts, _) in found.items():
            self._facts[keys[key]] = facts

    def _cache_key(self, source: SourceFile) -> Optional[tuple[str, str, bool]]:
        """The cache's key for the file's facts, if its size and mtime are what the
        cache saw (else its content may have changed since)."""
        seen = self._stats.get(source.rel)
        if seen is None:
            return None
        if source.stat() != (seen[0], seen[1]):
            return None
        return seen[2], source.name or "", source.is_package

    def _from_cache(self, source: SourceFile) -> Optional[ModuleFacts]:
        key = self._cache_key(source) if self._cache is not None else None
        if self._cache is None or key is None:
            return None
        hit = self._cache.facts([key], self._engine, self._version, lazy=False).get(key)
        return hit[0] if hit is not None else None

    def runs(self, start: str, target: str) -> bool:
        """Does importing ``start`` run ``target``'s top level? Importing a module
        runs its packages' ``__init__`` first, then the module, whose module-level
        imports (not those under ``TYPE_CHECKING`` or inside functions) run in turn."""
        reached = self._reach.get(start)
        if reached is None:
            reached = self._reach[start] = set()
            level = [start]
            while level:  # breadth first, each level's facts read in one go
                names = list(
                    dict.fromkeys(
                        name
                        for module in level
                        for name in (*dotted.ancestors(module), module)
                        if name not in reached
                    )
                )
                reached.update(names)
                self.preload(names)
                level = [
                    found
                    for name in names
                    if name in self.modules
                    for site in self.modules[name].imports
                    if site.runs_on_import(include_lazy=False)
                    for found in edge_targets(site, self.symbols)
                    if found not in reached
                ]
        return target in reached

    def unresolved(
        self,
        rels: Iterable[str],
        include_guarded: bool,
        facts: Optional[Mapping[str, ModuleFacts]] = None,
    ) -> list[Broken]:
        """The broken imports of the files ``rels``, as SSOT005 would report them;
        of their imports in ``facts`` when given (some of a file's imports)."""
        chosen = facts if facts is not None else {rel: self.facts_of(rel) for rel in rels}
        files = [(self._by_rel[rel], chosen[rel]) for rel in rels]
        return find_unresolved(self, files, include_guarded).broken

    def remember(self, rows: list[tuple[SourceFile, int, int, str, ModuleFacts]]) -> None:
        """Store the facts of files this run wrote (source, size, mtime, content
        hash, facts) in the cache, so the next scan does not parse them again."""
        if self._cache is None or not rows:
            return
        # Written just now: such a stat proves nothing (``cache.is_racy``) and is kept
        # unmatched; the hash keeps the facts.
        now = time.time_ns()
        self._cache.store(
            [
                (
                    source.rel,
                    size,
                    UNTRUSTED_MTIME if is_racy(mtime, now) else mtime,
                    digest,
                    self._base,
                )
                for source, size, mtime, digest, _ in rows
            ],
            [
                (digest, source.name or "", source.is_package, *stored_form(facts))
                for source, _, _, digest, facts in rows
            ],
            self._engine,
            self._version,
        )
