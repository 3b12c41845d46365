"""SymbolTable: what ``from M import N`` finally names, and every path that exports it.

Resolution follows what Python would do at run time, statically: a module's
bindings (``def``/``class``/assignments, ``from x import Y [as Z]``, ``import a.b
[as c]``, ``X = Y`` aliases), then its submodules, then its star imports, then a
module-level ``__getattr__`` (undecidable). Chains that loop or leave the scanned
code stop there and say so; nothing here raises on odd code.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping
from collections.abc import Set as AbstractSet
from functools import partial
from operator import itemgetter
from typing import Final, Literal, Optional, TypeVar, Union

import msgspec

from ssot_scan import dotted
from ssot_scan.extract.deep import run_deep
from ssot_scan.facts import Definition, Handover, ImportedName, ImportSite, ModuleFacts
from ssot_scan.index.reads import FINDERS, HANDED, Reads

Result = TypeVar("Result")

ResolutionKind = Literal["definition", "module", "external", "unresolved", "undecidable", "loop"]
DEFINITION: Final = "definition"  # target: "pkg.mod.Name", a class/function/value defined there
MODULE: Final = "module"  # target: "pkg.mod"
EXTERNAL: Final = "external"  # target: the dotted path outside the scanned code
UNRESOLVED: Final = "unresolved"  # detail: "module" (no such module) or "name"
UNDECIDABLE: Final = "undecidable"  # module __getattr__ or a star import of external code
LOOP: Final = "loop"


_NO_LOOP: Final = 1 << 62  # deeper than any listing (``SymbolTable.public_names``)

# Every module has these without binding them.
IMPLICIT_MODULE_ATTRIBUTES = frozenset(
    {"__name__", "__doc__", "__file__", "__path__", "__spec__", "__loader__", "__package__"}
)


class Resolution(msgspec.Struct, frozen=True):
    """What a name resolves to: its kind (a definition, a module, something
    external, unresolved or undecidable, a loop) and its target."""

    kind: ResolutionKind
    target: str  # for a loop, its least pair, "module.name": the same from any of them
    detail: str = ""
    # For a loop, its pairs ("module.name"): the same set from any of them. Not part
    # of what makes two answers equal (the target already names the loop): see
    # ``__eq__`` and ``__hash__``.
    loop: frozenset[str] = frozenset()

    def __eq__(self, other: object) -> bool:
        if type(other) is not Resolution:
            return NotImplemented
        return (
            self.kind == other.kind and self.target == other.target and self.detail == other.detail
        )

    def __hash__(self) -> int:
        return hash((self.kind, self.target, self.detail))

    @property
    def module(self) -> str:
        """For a definition, the module that defines it."""
        return dotted.parent(self.target) if self.kind == DEFINITION else self.target

    @property
    def name(self) -> str:
        return dotted.last(self.target)


# Compared by identity: a 10,000-module scan makes a quarter of a million.
class _FromBinding(msgspec.Struct, frozen=True, eq=False):
    """A name bound by ``from module import name``: followed on to what it names."""

    module: Optional[str]
    name: str
    publishes: bool  # a re-export (see ``is_reexport``), not an import for own use


class _ModuleBinding(msgspec.Struct, frozen=True, eq=False):
    """A name bound by ``import module``: names the module itself."""

    module: str


Binding = Union[Definition, _FromBinding, _ModuleBinding]


def is_reexport(
    facts: ModuleFacts, is_package: bool, site: ImportSite, imported: ImportedName
) -> bool:
    """An import that publishes a name rather than uses it.

    In a package ``__init__``; in the explicit ``X as X`` form, or ``_x as x`` (a
    private name given a public one is published on purpose); listed in the module's
    ``__all__``; marked ``# noqa: F401`` (the linters' re-export marker); or
    republished by a module-level ``Y = X`` alias.
    """
    if is_package:
        return True
    asname = imported.asname
    if asname is not None and (
        asname == imported.name or (imported.name.startswith("_") and not asname.startswith("_"))
    ):
        return True
    bound = asname or imported.name  # ``imported.bound``, without the call
    if facts.all_names is not None and bound in facts.all_name_set:
        return True
    marked = facts.reexport_line_set
    if marked and any(line in marked for line in range(site.line, site.end_line + 1)):
        return True
    return bound in facts.alias_heads


_first = itemgetter(0)


def _sort_key(site: ImportSite) -> tuple[int, int, int]:
    """Where an import's binding sorts among a module's bindings of one name, the one
    that should win last: by weight descending (TYPE_CHECKING only 2, conditional or
    guarded 1, unconditional 0), then unconditional ones in source order; among
    conditional ones, the *first* (a try-body beats its fallback). A definition's key
    is spelled out where ``bindings`` makes it: weight 1 when conditional, else 0."""
    if site.type_checking:
        return (-2, -site.line, site.column)
    if site.conditional or site.guarded:
        return (-1, -site.line, site.column)
    return (0, site.line, site.column)


def _modules_bound(site: ImportSite) -> list[tuple[str, str]]:
    """(name, module) for each name an import binds that may be a module: ``import
    a.b`` binds ``a`` (module ``a``), ``import a.b as c`` binds ``c`` (``a.b``),
    ``from a import b`` binds ``b`` (``a.b``, if that is a module)."""
    target = site.target or ""
    if site.kind == "import":
        if site.asname:
            return [(site.asname, target)]
        head = target.partition(".")[0]
        return [(head, head)]
    return [(n.asname or n.name, f"{target}.{n.name}") for n in site.names]


class SymbolTable:
    """Resolves names across the scanned modules; results are memoised."""

    def __init__(
        self,
        modules: Mapping[str, ModuleFacts],
        first_party: set[str],
        package_modules: Optional[set[str]] = None,
        opaque_modules: Optional[set[str]] = None,
        track_reads: bool = False,
    ) -> None:
        """``track_reads``: record which modules each answer was made from
        (``reads``); off, the table pays one test per answer for it."""
        self.modules = modules
        self.first_party = first_party
        self.opaque = opaque_modules or set()  # C extensions, stubs: exist, contents unknown
        self.package_modules = package_modules or set()  # modules that are __init__ files
        self.packages: set[str] = set()
        for name in (*modules, *self.opaque):
            self.packages.update(dotted.ancestors(name))
        # Every name ``module_exists`` says yes to but a ``pkg.__init__``: one set
        # look-up for the common case, asked a third of a million times (10,000
        # modules) by the graph, the resolution and the checks.
        self._existing: frozenset[str] = frozenset((*modules, *self.packages, *self.opaque))
        self._bindings: dict[str, dict[str, Binding]] = {}
        self._previous: dict[str, dict[str, Binding]] = {}
        self._alternatives: dict[str, dict[str, list[Binding]]] = {}
        self._memo: dict[tuple[str, str], Resolution] = {}
        self._public: dict[str, Optional[list[str]]] = {}
        # Listing star imports (``public_names``): the modules being listed, each with
        # its depth, and the depths an ``__all__`` led to; the loop's modules waiting
        # for its first one to be done; the outermost module still being listed that
        # the current listing's loops reach, and that a loop through an ``__all__`` does.
        self._listing: dict[str, int] = {}
        self._via_all: list[int] = []
        self._pending: dict[str, tuple[Optional[list[str]], int, AbstractSet[str]]] = {}
        self._low = _NO_LOOP
        self._unknown = _NO_LOOP
        # module -> each name's first definition there, built when the module is asked
        self._definitions: dict[str, dict[str, Definition]] = {}
        self._rewriters: dict[tuple[str, str], bool] = {}
        # The (module, name) pairs being resolved, outermost first (a dict for its
        # order): a pair met again is a loop. One mutable dict, not a copy per step: a
        # chain of n re-exports costs n steps, not n * n / 2.
        self._path: dict[tuple[str, str], None] = {}
        self._handing: set[str] = set()  # modules whose handovers are being looked at
        self._finders: Optional[dict[str, str]] = None  # built when first asked
        # Module -> the (module, call) pairs that hand it over (``_handed_modules``).
        self._handed: Optional[dict[str, list[tuple[str, Handover]]]] = None
        self.reads: Optional[Reads] = Reads() if track_reads else None
        # What answers saw of the file system beyond the facts: path -> whether a folder
        # or module stands there (``stand_ins``; SSOT005's overlays).
        self.probed: dict[str, bool] = {}
        # What each memoised answer read, when reads are tracked.
        self._memo_reads: dict[tuple[str, str], AbstractSet[str]] = {}
        self._public_reads: dict[str, AbstractSet[str]] = {}
        self._rewriter_reads: dict[tuple[str, str], AbstractSet[str]] = {}

    # -- basic facts ----------------------------------------------------------------
    def is_first_party(self, module: str) -> bool:
        return dotted.top(module) in self.first_party

    def module_exists(self, module: str) -> bool:
        """A scanned module, or a package folder (namespace packages included). Reads:
        whether ``module`` exists, which a file added or removed may change."""
        if self.reads is not None:
            self.reads.read(module)
        return self.has_module(module)

    def has_module(self, module: str) -> bool:
        """``module_exists``, not recorded as read: for what no kept answer rests on
        (the import graph, built again by every run, asks it once per import)."""
        if module in self._existing:
            return True
        return module.endswith(".__init__") and self.own_file(module) in self._existing

    def holds_modules(self, module: str) -> bool:
        """Could ``module.name`` be a module (``has_module``) for some name? Only
        below a folder that holds modules, or for ``pkg.__init__`` of a package."""
        return module in self.packages or module in self.package_modules

    def own_file(self, module: str) -> str:
        """``pkg`` for ``pkg.__init__``, which Python imports (as a second module run
        from the same file: statsmodels' ``from .__init__ import test``) when ``pkg``
        is a regular package; any other name as it is."""
        if module.endswith(".__init__"):
            package = module[: -len(".__init__")]
            if self.reads is not None:
                self.reads.read(package)  # whether it is a regular package
            if package in self.package_modules:
                return package
        return module

    def provides_dynamically(self, module: str) -> bool:
        """Could a missing ``module`` be provided at run time by the nearest existing
        package above it rewiring imports (``sys.meta_path``, ``sys.modules[...]``),
        by a plain module above it with a ``__getattr__``, by a compiled module above
        it (a PyO3 extension puts its submodules in ``sys.modules``: Hypothesis'
        ``hypothesis._native.internal.floats``), or by an import finder the project
        installs for a package above it?"""
        child = module
        for parent in dotted.ancestors(module):
            if self.module_exists(parent):
                if self.reads is not None:
                    self.reads.read(parent)
                facts = self.modules.get(parent)
                if facts is None and parent in self.opaque:
                    return True
                if facts is not None and facts.dynamic_imports:
                    return True
                # A plain module's ``__getattr__`` may hand out a ``__path__`` (dask's
                # ``dask.distributed`` forwards everything to ``distributed``), and the
                # import system then looks for submodules there; a package has a
                # ``__path__`` of its own, which its ``__getattr__`` is never asked for.
                if facts is not None and facts.has_getattr and parent not in self.package_modules:
                    return True
                return bool(
                    self.handed_over(parent, dotted.last(child)) or self.served_by_finder(module)
                )
            child = parent
        return bool(self.served_by_finder(module))

    def served_by_finder(self, module: str) -> str:
        """The first-party module whose import finder may serve ``module`` (a
        package it names is ``module`` or above it), or "": a custom finder can load
        what no file holds, so a module or name missing there is undecidable."""
        if self.reads is not None:
            self.reads.read(FINDERS)
        if self._finders is None:
            self._finders = {}
            for owner, facts in self.modules.items():
                for served in facts.finder_serves:
                    if self.is_first_party(served) and self.module_exists(served):
                        self._finders.setdefault(served, owner)
        if not self._finders:
            return ""
        for package in (module, *dotted.ancestors(module)):
            if package in self._finders:
                return self._finders[package]
        return ""

    def handed_over(self, module: str, name: str) -> str:
        """Why ``module`` may hold ``name`` once code it hands itself to has run (a
        function that rewrites the module it is handed: astropy's ``_set_c(...,
        find_current_module())``, Celery's ``recreate_module(__name__, ...)``); ""
        when no such call can bind it."""
        # Reads: every caller has recorded ``module`` (its bindings, its facts).
        facts = self.modules.get(module)
        if facts is None or module in self._handing:
            return ""
        handed = self._handed_modules().get(module, ())
        if not facts.handovers and not handed:
            return ""
        self._handing.add(module)
        try:
            for handover in facts.handovers:
                if handover.passed is not None:
                    continue  # hands another module over
                if handover.names is not None and name not in handover.names:
                    continue
                if self._rewrites(module, handover.callee):
                    return (
                        f"handed to `{handover.callee}` (line {handover.line}), which rewrites it"
                    )
            for caller, handover in handed:
                if self.reads is not None:
                    self.reads.read(caller)  # its imports and its call
                if self._rewrites(caller, handover.callee):
                    return (
                        f"handed to `{handover.callee}` by {caller} (line {handover.line}), "
                        "which rewrites it"
                    )
        finally:
            self._handing.discard(module)
        return ""

    def _handed_modules(self) -> dict[str, list[tuple[str, Handover]]]:
        """Module -> the module-level calls of other modules that hand it over
        (``Handover.passed``: pyqtgraph's ``_copy_attrs(PyQt5.QtCore, QtCore)``
        after ``from . import QtCore``). A passed name is a module when an import of
        the caller binds it to one; no resolution is asked (this is asked from
        inside resolutions). Reads: ``HANDED``, which changes whenever a module that
        hands one over, before or now, changes; ``handed_over`` reads the callers of
        the module it is asked about, not every caller the index was made from."""
        reads = self.reads
        if self._handed is None:
            if reads is not None:
                reads.open()  # what building the index reads is no answer's
            try:
                self._handed = self._index_handed()
            finally:
                if reads is not None:
                    reads.close()
        if reads is not None:
            reads.read(HANDED)
        return self._handed

    def _index_handed(self) -> dict[str, list[tuple[str, Handover]]]:
        index: dict[str, list[tuple[str, Handover]]] = {}
        for caller, facts in self.modules.items():
            passed: dict[str, list[Handover]] = {}
            for handover in facts.handovers:
                if handover.passed is not None:
                    passed.setdefault(handover.passed, []).append(handover)
            if not passed:
                continue
            for site in facts.imports:
                if not site.module_level or site.target is None:
                    continue
                for bound, module in _modules_bound(site):
                    if bound in passed and self.module_exists(module):
                        index.setdefault(module, []).extend((caller, h) for h in passed[bound])
        return index

    def _rewrites(self, module: str, callee: str) -> bool:
        """Is ``callee``, as ``module`` spells it, a function that rewrites a module:
        a function (``utils.set_all``) or a method of a class (``_Backend.export``)?"""
        key = (module, callee)
        reads = self.reads
        if key not in self._rewriters:
            if reads is not None:
                reads.open()
            try:
                self._rewriters[key] = self._rewriting_function(module, callee)
            finally:
                if reads is not None:
                    self._rewriter_reads[key] = reads.close()
        elif reads is not None:
            reads.add(self._rewriter_reads[key])
        return self._rewriters[key]

    def _rewriting_function(self, module: str, callee: str) -> bool:
        """``_rewrites``, uncached: is the definition ``callee`` names one its module
        lists among its rewriting functions?"""
        found = self.resolve_expression(module, callee)
        name = found.name if found else ""
        if found is None and "." in callee:  # an attribute of a class: ``Cls.method``
            owner_class, method = callee.rsplit(".", 1)
            found = self.resolve_expression(module, owner_class)
            name = f"{found.name}.{method}" if found else ""
        # Reads: a definition is found through its module's bindings.
        if found is None or found.kind != DEFINITION:
            return False
        owner = self.modules.get(found.module)
        return owner is not None and name in owner.rewriting_functions

    def is_namespace(self, module: str) -> bool:
        """A package folder without ``__init__.py`` (PEP 420)."""
        if self.reads is not None:
            self.reads.read(module)
        return module in self.packages and module not in self.modules and module not in self.opaque

    def namespace_may_provide(self, module: str) -> bool:
        """Could another portion supply ``module`` (or a name in it) at run time?

        A namespace package whose chain is namespace up to the top level has its
        ``__path__`` built from all of ``sys.path``: another portion, or a regular
        package of that name installed elsewhere (which wins outright), may well
        hold what this one lacks. Inside a regular package, the ``__path__`` is
        just the folder, and a missing submodule is really missing.
        """
        for existing in dotted.self_and_ancestors(module):
            if self.module_exists(existing):
                return all(self.is_namespace(p) for p in dotted.self_and_ancestors(existing))
        return False

    def definition(self, qualname: str) -> Optional[Definition]:
        """The first definition of ``qualname``'s name in its module. Each module's
        table is built when that module is asked, not every module's on the first
        question: ``modules`` may read facts on demand (``fix``), and a table of the
        whole project's definitions cost 0.15 s of a 10,000-module scan that asks
        about a few hundred."""
        module = dotted.parent(qualname)
        if self.reads is not None:
            self.reads.read(module)
        table = self._definitions.get(module)
        if table is None:
            table = {}
            facts = self.modules.get(module)
            for definition in facts.definitions if facts is not None else ():
                table.setdefault(definition.name, definition)
            self._definitions[module] = table
        return table.get(dotted.last(qualname))

    def bindings(self, module: str) -> dict[str, Binding]:
        """Module-level names bound by ``module``, the winning binding for each.

        Python keeps the last binding that ran; statically, an unconditional binding
        beats a guarded or conditional one, and TYPE_CHECKING-only ones come last.
        """
        if self.reads is not None:
            self.reads.read(module)
        cached = self._bindings.get(module)
        if cached is not None:
            return cached
        facts = self.modules.get(module)
        table: dict[str, Binding] = {}
        previous: dict[str, Binding] = {}  # what ``X = X`` reads on its right-hand side
        alternatives: dict[str, list[Binding]] = {}  # every binding, for resolve_any
        if facts is not None:
            # (sort key, bound name, binding), each key built once per statement;
            # the sort is stable, so ties keep source order.
            events: list[tuple[tuple[int, int, int], str, Binding]] = []
            is_package = module in self.package_modules
            for site in facts.imports:
                if not site.binds_module_name:
                    continue
                key = _sort_key(site)
                if site.kind == "import" and site.target:
                    if site.asname:
                        events.append((key, site.asname, _ModuleBinding(site.target)))
                    else:
                        top = dotted.top(site.target)
                        events.append((key, top, _ModuleBinding(top)))
                elif site.kind == "from" and not site.is_star:
                    for imported in site.names:
                        publishes = is_reexport(facts, is_package, site, imported)
                        from_binding = _FromBinding(site.target, imported.name, publishes)
                        events.append((key, imported.asname or imported.name, from_binding))
            for definition in facts.definitions:
                # A definition's ``_sort_key``, spelled out: a module has dozens.
                line, column = definition.line, definition.column
                key = (-1, -line, column) if definition.conditional else (0, line, column)
                events.append((key, definition.name, definition))
            events.sort(key=_first)
            for _, bound, binding in events:
                before = table.get(bound)
                if before is not None:  # bound again: the earlier one is kept aside
                    previous[bound] = before
                    others = alternatives.get(bound)
                    if others is None:
                        alternatives[bound] = [before, binding]
                    else:
                        others.append(binding)
                table[bound] = binding
        self._bindings[module] = table
        self._previous[module] = previous
        self._alternatives[module] = alternatives  # only names bound more than once
        return table

    def public_names(self, module: str, _via_all: bool = False) -> Optional[list[str]]:
        """What ``from module import *`` binds; None when it cannot be known.

        Star imports can loop (``a`` star-imports ``b``, which star-imports ``a``:
        what each binds depends on which Python imports first). Here every module of
        such a loop binds all that any of them does (its own names first, then the
        others' in sorted order), and a loop that runs through an ``__all__`` naming
        another module's (``*m``) cannot be known: the same answer whichever module
        of the loop is asked first, as an incremental scan needs. A module listed
        while the loop's first one is still being listed waits (``_pending``) until
        that one is done, and is then given the loop's answer (Tarjan's algorithm).
        ``_via_all``: reached through an ``__all__``, not a star import.
        """
        reads = self.reads
        if module in self._public:
            if reads is not None:
                reads.add(self._public_reads[module])
            return self._public[module]
        pending = self._pending.get(module)
        if pending is not None:  # of a loop being listed: its part until it is done
            names, low, kept = pending
            self._low = min(self._low, low)
            if reads is not None:
                reads.add(kept)
            return names
        depth = len(self._listing)
        self._listing[module] = depth
        if _via_all:
            self._via_all.append(depth)
        outer_low, self._low = self._low, depth
        outer_unknown, self._unknown = self._unknown, _NO_LOOP
        read: AbstractSet[str] = frozenset()  # kept only while reads are tracked
        if reads is not None:
            reads.open()
        try:
            names = self._public_names(module)
        except BaseException:
            if depth == 0:  # a listing cut short (a star chain too deep) keeps nothing
                self._pending.clear()
                self._low, self._unknown = _NO_LOOP, _NO_LOOP
            raise
        finally:
            del self._listing[module]
            if _via_all:
                self._via_all.pop()
            low, unknown = self._low, self._unknown
            self._low, self._unknown = outer_low, outer_unknown
            if reads is not None:
                read = reads.close()
        if low < depth:  # rests on a module still being listed: one of its loop
            self._low = min(outer_low, low)
            self._unknown = min(outer_unknown, unknown)
            self._pending[module] = (names, low, read)
            return names
        # Done, and so is any loop it closes: what that loop knew ends here.
        loop = [member for member, (_, at, _) in self._pending.items() if at >= depth]
        if loop:
            # A loop through an ``__all__`` anywhere in it: the whole loop unknowable.
            everything = None if unknown != _NO_LOOP or names is None else set(names)
            for member in [module, *loop]:
                self._pending.pop(member, None)
                self._public[member] = (
                    None if everything is None else self._loop_order(member, everything)
                )
        else:
            self._public[module] = names
        if reads is not None:
            for member in [module, *loop]:
                self._public_reads[member] = read
        return self._public[module]

    def _loop_order(self, module: str, names: set[str]) -> list[str]:
        """A star-import loop's names as ``module`` lists them: its own first."""
        own = self._own_public(module)
        return own + sorted(names.difference(own))

    def _own_public(self, module: str) -> list[str]:
        """The public names ``module`` binds itself (a star import of it, without
        ``__all__``, binds these and what its own star imports bind)."""
        return [n for n in self.bindings(module) if not n.startswith("_")]

    def _listing_hit(self, module: str, via_all: bool) -> None:
        """``module`` is being listed further up: a loop closes on it (by an
        ``__all__`` entry when ``via_all``). What is listed below it now is only its
        part of the loop, which ``module`` completes; and a loop any of whose steps is
        an ``__all__`` cannot be known."""
        if self.reads is not None:
            self.reads.read(module)
        at = self._listing[module]
        self._low = min(self._low, at)
        if via_all or (self._via_all and self._via_all[-1] > at):
            self._unknown = min(self._unknown, at)

    def _public_names(self, module: str) -> Optional[list[str]]:
        if self.reads is not None:
            self.reads.read(module)
        facts = self.modules.get(module)
        if facts is None:
            # A namespace package binds none; a compiled module or one outside the
            # scan binds what no one here can list.
            return [] if self.is_namespace(module) else None
        if facts.all_dynamic or (facts.all_names is None and facts.dynamic_imports):
            # ``__all__ += generate_dunder_all(globals())``, an ``__all__`` the module's
            # own function extends, or a module whose names are bound at run time: a
            # star import of it binds what no one can list.
            return None
        if facts.all_names is not None:
            return self._expand_all(module, facts.all_names)
        collected = self._own_public(module)
        for site in facts.imports:
            if not (site.is_star and site.module_level and site.target):
                continue
            if site.target in self._listing:
                self._listing_hit(site.target, False)
                continue
            extra = self.public_names(site.target)
            if extra is None:  # passes on what no one can list
                return None
            collected.extend(n for n in extra if n not in collected)
        return collected

    def _expand_all(self, module: str, listed: list[str]) -> Optional[list[str]]:
        """``__all__`` with each ``*m`` (``m.__all__``) replaced by what ``m``, a module
        this one imports, exports; None when one of them cannot be known."""
        names: list[str] = []
        for entry in listed:
            if not entry.startswith("*"):
                names.append(entry)
                continue
            found = self.resolve_expression(module, entry[1:])
            if found is None or found.kind != MODULE:
                return None
            if found.target in self._listing:
                self._listing_hit(found.target, True)
                return None
            exported = self.public_names(found.target, True)
            if exported is None:
                return None
            names.extend(exported)
        return names

    def exported_names(self, module: str, among: Optional[Collection[str]] = None) -> list[str]:
        """Names ``module`` publishes: its definitions, re-exports and star imports
        (only those ``among`` names, when given: asked first, it spares the rest).

        A name it merely imports for its own use can be imported from it too, but
        that is an accident, not a path; it becomes one only when someone uses it.
        """
        names = [
            name
            for name, binding in self.bindings(module).items()
            if (among is None or name in among)
            and (
                isinstance(binding, Definition)
                or (isinstance(binding, _FromBinding) and binding.publishes)
            )
        ]
        facts = self.modules.get(module)  # read: ``bindings`` above has recorded it
        if facts is not None:
            for site in facts.imports:
                if site.is_star and site.module_level and site.target:
                    for name in self.public_names(site.target) or []:
                        if (among is None or name in among) and name not in names:
                            names.append(name)
        return names

    # -- resolution -----------------------------------------------------------------
    def resolve(self, module: str, name: str) -> Resolution:
        """What ``from module import name`` names."""
        if module.endswith(".__init__"):  # ``own_file``, asked only where it can matter
            module = self.own_file(module)
        known = self._memo.get((module, name))
        if known is not None:  # the common case, by far: keep it cheap
            if self.reads is not None:
                self.reads.add(self._memo_reads[module, name])
            return known
        try:
            return self._fresh(lambda: self._resolve(module, name))
        except RecursionError:  # a re-export chain thousands of modules long
            pass
        try:
            return run_deep(lambda: self._fresh(lambda: self._resolve(module, name)))
        except RecursionError:
            return Resolution(UNDECIDABLE, f"{module}.{name}", "re-export chain too long")

    def _fresh(self, resolution: Callable[[], Result]) -> Result:
        """``resolution()`` on a path of its own: a public question asked in the middle
        of another resolution (a handover's callee) is not part of that one's path."""
        outer, self._path = self._path, {}
        try:
            return resolution()
        finally:
            self._path = outer

    def resolve_any(self, module: str, name: str) -> Resolution:
        """Like ``resolve``, but a name bound several ways (``if sys.version_info ...:
        from a import X`` / ``else: from b import X``) resolves if any way does.

        Which branch runs depends on the interpreter; an import that works on one of
        them is not broken, so "unresolved" needs every alternative to fail.
        """
        module = self.own_file(module)
        first = self.resolve(module, name)
        if first.kind not in (UNRESOLVED, LOOP) or not self.module_exists(module):
            return first
        self.bindings(module)
        for binding in self._alternatives.get(module, {}).get(name, []):
            try:
                other = self._fresh(partial(self._follow_from, module, name, binding))
            except RecursionError:
                continue
            if other.kind not in (UNRESOLVED, LOOP):
                return other
        return first

    def resolve_expression(self, module: str, expression: str) -> Optional[Resolution]:
        """A dotted expression (``Base``, ``mod.Base``) as ``module``'s code reads it."""
        try:
            return self._fresh(lambda: self._resolve_expression(module, expression))
        except RecursionError:
            return None

    def resolve_dotted(self, spelled: str) -> Resolution:
        """A dotted path as a rule pack writes it: a module, or module.name."""
        if self.module_exists(spelled):
            return Resolution(MODULE, spelled)
        if "." not in spelled:
            if self.is_first_party(spelled):
                return Resolution(UNRESOLVED, spelled, "module")
            return Resolution(EXTERNAL, spelled)
        module, name = dotted.parent(spelled), dotted.last(spelled)
        if not self.module_exists(module) and "." in module:
            owner = self.resolve_dotted(module)
            if owner.kind == DEFINITION:
                return Resolution(DEFINITION, f"{owner.target}.{name}", "attribute")
            if owner.kind != MODULE:
                return owner
            module = owner.target
        return self.resolve(module, name)

    def _resolve(self, module: str, name: str) -> Resolution:
        key = (module, name)
        reads = self.reads
        if key in self._memo:
            if reads is not None:
                reads.add(self._memo_reads[key])
            return self._memo[key]
        if key in self._path:
            # A loop through ``module``'s binding of ``name``: an edit there may
            # open it.
            if reads is not None:
                reads.read(module)
            return self._loop(key)
        self._path[key] = None
        if reads is not None:
            reads.open()
        try:
            result = self._resolve_uncached(module, name)
        finally:
            del self._path[key]
            if reads is not None:
                self._memo_reads[key] = reads.close()
        self._memo[key] = result
        return result

    def _follow_from(self, module: str, name: str, binding: Binding) -> Resolution:
        """``_follow`` with ``(module, name)`` on the path, as ``_resolve`` has it."""
        key = (module, name)
        added = key not in self._path
        if added:
            self._path[key] = None
        try:
            return self._follow(module, name, binding)
        finally:
            if added:
                del self._path[key]

    def _loop(self, key: tuple[str, str]) -> Resolution:
        """The loop the search has just closed by meeting ``key`` again: named by its
        least pair, so that every pair of it gives the same answer whichever was
        asked first (an incremental scan asks in another order than a full one)."""
        path = list(self._path)
        members = frozenset(f"{module}.{name}" for module, name in path[path.index(key) :])
        return Resolution(LOOP, min(members), loop=members)

    def _resolve_uncached(self, module: str, name: str) -> Resolution:
        if not self.module_exists(module):
            if self.provides_dynamically(module):
                return Resolution(UNDECIDABLE, f"{module}.{name}", "imports rewired at run time")
            if self.namespace_may_provide(module):
                return Resolution(UNDECIDABLE, f"{module}.{name}", "namespace package")
            if self.is_first_party(module):
                return Resolution(UNRESOLVED, module, "module")
            return Resolution(EXTERNAL, f"{module}.{name}")
        if module in self.opaque and module not in self.modules:
            return Resolution(UNDECIDABLE, f"{module}.{name}", "compiled or stub module")
        binding = self.bindings(module).get(name)
        if binding is not None:
            return self._follow(module, name, binding)
        submodule = f"{module}.{name}"
        if self.module_exists(submodule):
            return Resolution(MODULE, submodule)
        facts = self.modules.get(module)  # read: ``bindings`` above has recorded it
        if name in IMPLICIT_MODULE_ATTRIBUTES:
            return Resolution(DEFINITION, f"{module}.{name}", "implicit")
        if name == "__all__" and facts is not None:
            if facts.all_names is not None:
                return Resolution(DEFINITION, f"{module}.{name}", "implicit")
            if facts.all_dynamic:
                return Resolution(UNDECIDABLE, f"{module}.{name}", "__all__ not a literal")
        undecidable: Optional[str] = None
        if facts is not None:
            looped: list[str] = []
            loops: list[frozenset[str]] = []
            for site in reversed(facts.imports):
                if not (site.is_star and site.module_level and site.target):
                    continue
                provided = self.public_names(site.target)
                if provided is None:
                    undecidable = undecidable or f"star import of {site.target}"
                elif name in provided:
                    found = self._resolve(site.target, name)
                    if found.kind == LOOP and f"{module}.{name}" in found.loop:
                        # The later star's module took the name from this one, which
                        # an earlier star had already bound (networkx.utils: union_find
                        # imports ``groups`` back from the package misc's star filled).
                        # Whichever of the two was asked first, the loop runs through
                        # this pair: where the search met itself depends on that.
                        looped.append(site.target)
                        loops.append(found.loop)
                        continue
                    for target in looped:
                        self._memo[(target, name)] = found
                        if self.reads is not None:  # all this frame read so far
                            self._memo_reads[target, name] = frozenset(self.reads.current())
                    return found
            if looped:
                members = frozenset().union(*loops)
                return Resolution(LOOP, min(members), loop=members)
            if facts.has_getattr:
                return Resolution(UNDECIDABLE, f"{module}.{name}", "module __getattr__")
            if facts.dynamic_imports:
                return Resolution(UNDECIDABLE, f"{module}.{name}", "imports rewired at run time")
            handed = self.handed_over(module, name)
            if handed:
                return Resolution(UNDECIDABLE, f"{module}.{name}", handed)

        if undecidable:
            return Resolution(UNDECIDABLE, f"{module}.{name}", undecidable)
        if facts is None and self.namespace_may_provide(module):
            return Resolution(UNDECIDABLE, f"{module}.{name}", "namespace package")
        finder = self.served_by_finder(module)
        if finder:
            return Resolution(UNDECIDABLE, f"{module}.{name}", f"import finder in {finder}")
        return Resolution(UNRESOLVED, f"{module}.{name}", "name")

    def _follow(self, module: str, name: str, binding: Binding) -> Resolution:
        if isinstance(binding, _ModuleBinding):
            if self.module_exists(binding.module):
                return Resolution(MODULE, binding.module)
            if self.is_first_party(binding.module):
                return Resolution(UNRESOLVED, binding.module, "module")
            return Resolution(EXTERNAL, binding.module)
        if isinstance(binding, _FromBinding):
            if binding.module is None:
                return Resolution(UNRESOLVED, f"{module}.{name}", "module")
            if (binding.module, binding.name) == (module, name):
                # A module importing a name from itself: ``from . import sub`` in a
                # package's __init__ is the submodule; otherwise the name means
                # what it meant before this import (sympy's pycode does this).
                submodule = f"{module}.{name}"
                if self.module_exists(submodule):
                    return Resolution(MODULE, submodule)
                self.bindings(module)
                earlier = self._previous.get(module, {}).get(name)
                if earlier is not None and earlier is not binding:
                    return self._follow(module, name, earlier)
                return Resolution(UNRESOLVED, submodule, "name")
            return self._resolve(binding.module, binding.name)
        if binding.alias_of:
            aliased = self._resolve_expression(module, binding.alias_of, own=name)
            if aliased is not None:
                return aliased
        return Resolution(DEFINITION, f"{module}.{name}")

    def _resolve_expression(
        self,
        module: str,
        expression: str,
        own: Optional[str] = None,
    ) -> Optional[Resolution]:
        """``Y`` or ``a.b.Y`` evaluated in ``module``'s namespace; None if not a name.

        ``own`` is the name the expression is being assigned to: in ``X = X`` the
        right-hand side reads the binding ``X`` had before this statement.
        """
        head, *rest = expression.split(".")
        if head == own:
            self.bindings(module)
            binding = self._previous.get(module, {}).get(head)
        else:
            if (module, head) in self._path:
                # Reads: the frame following ``module``'s alias has read ``module``.
                return self._loop((module, head))
            binding = self.bindings(module).get(head)
        if binding is None:
            return None  # a builtin or something dynamic: the alias is its own definition
        current = self._follow_from(module, head, binding)
        for attribute in rest:
            if current.kind == MODULE:
                current = self._resolve(current.target, attribute)
            elif current.kind == EXTERNAL:
                current = Resolution(EXTERNAL, f"{current.target}.{attribute}")
            else:
                return None  # an attribute of a class or value: not a re-export
        return current

    # -- exports --------------------------------------------------------------------
    def exports(
        self,
        modules: Optional[Iterable[str]] = None,
        names: Optional[Collection[str]] = None,
    ) -> dict[str, dict[str, list[str]]]:
        """definition -> {module that exports it: [names it is exported under]}.

        ``names`` limits the work to names someone imports (or definitions' own
        names): resolving every public name of a 10,000-module tree costs seconds.
        """
        result: dict[str, dict[str, list[str]]] = {}
        for module in sorted(modules if modules is not None else self.modules):
            for name in self.exported_names(module, names):
                resolution = self.resolve(module, name)
                if resolution.kind == DEFINITION:
                    result.setdefault(resolution.target, {}).setdefault(module, []).append(name)
        return result
