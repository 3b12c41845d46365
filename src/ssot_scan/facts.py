"""What extraction learns about one module: plain, serialisable records.

``ModuleFacts`` is the only thing that crosses from the extract stage to the index
stage. Both parser front ends (CPython ``ast`` and libcst) must build identical
facts, so everything here is plain data with a canonical JSON form: that is what the
differential test compares and what a cache can store without pickling.
"""

from __future__ import annotations

import functools
import sys
from typing import Any, Final, Generic, Literal, Optional, TypeVar

import msgspec

from ssot_scan import structjson
from ssot_scan.hashing import facts_digest

# The records a project holds hundreds of thousands of (a 50,000-module scan keeps
# about a million import sites and definitions in memory) are ``msgspec`` structs:
# slotted, left alone by the cyclic collector (``gc=False``: they hold no cycles),
# and stored as positional JSON arrays (``array_like``) that msgspec writes and
# reads in C, checking every field's type as it reads (a damaged cache row fails
# there). 5,000 generated files' stored facts, read back as a run after an edit
# reads them: 0.36 s through ``json`` and dataclasses, 0.14 s this way (eagerly 0.51
# and 0.23 s; packed 0.46 and 0.08 s); and a class costs microseconds to make, where
# a dataclass compiles its methods at import (0.3-0.7 ms each).

# Import contexts, from the most to the least specific. An import nested in several
# of these gets every flag; ``ImportSite.context`` names the dominant one.
DefinitionKind = Literal["class", "function", "assign"]
ImportContext = Literal[
    "module", "function", "type_checking", "try_import_error", "conditional", "main"
]
# Whenever ModuleFacts or what extraction fills it with changes, bump
# ``cache.EXTRACTOR_VERSION``: cached facts carry it.

CTX_MODULE: Final = "module"
CTX_FUNCTION: Final = "function"
CTX_TYPE_CHECKING: Final = "type_checking"
CTX_TRY_IMPORT_ERROR: Final = "try_import_error"
CTX_CONDITIONAL: Final = "conditional"
CTX_MAIN: Final = "main"  # under ``if __name__ == "__main__":``


class ImportedName(msgspec.Struct, array_like=True, gc=False):
    """One ``name [as alias]`` of a ``from M import ...`` statement."""

    name: str
    asname: Optional[str] = None

    @property
    def bound(self) -> str:
        return self.asname or self.name


class ImportSite(msgspec.Struct, array_like=True, gc=False):
    """One import statement (``import a.b`` of several modules yields one site each).

    ``target`` is the absolute module the statement imports from (relative imports
    already resolved); it is ``None`` when a relative import climbs above the top
    package, in which case ``raw_module`` and ``level`` say what was written.
    """

    kind: Literal["import", "from"]
    target: Optional[str]
    raw_module: str
    level: int
    names: list[ImportedName]
    asname: Optional[str]  # for ``import a.b as c``
    line: int
    column: int  # 1-based, in characters
    end_line: int
    end_column: int
    in_function: bool = False
    in_class: bool = False
    type_checking: bool = False
    guarded: bool = False  # inside ``try:`` whose handlers catch ImportError
    conditional: bool = False  # inside another ``if``/``try``/loop
    main_block: bool = False  # under ``if __name__ == "__main__":``
    is_star: bool = False
    # Under ``with pytest.raises(ImportError):`` or ``assertRaises``: meant to fail.
    expects_error: bool = False
    # In the body of a ``@deprecated`` function or class: goes when it goes.
    in_deprecated: bool = False
    # Each name's line, for a ``from`` import spread over several lines (None
    # otherwise): a suppression beside one name is about that name only.
    name_lines: Optional[list[int]] = None

    @property
    def context(self) -> ImportContext:
        """The dominant context, as reported to users."""
        if self.type_checking:
            return CTX_TYPE_CHECKING
        if self.in_function:
            return CTX_FUNCTION
        if self.main_block:
            return CTX_MAIN
        if self.guarded:
            return CTX_TRY_IMPORT_ERROR
        if self.conditional or self.in_class:
            return CTX_CONDITIONAL
        return CTX_MODULE

    @property
    def module_level(self) -> bool:
        """Runs when the module is imported (what import cycles are made of)."""
        return self.runs_on_import()

    def runs_on_import(self, include_lazy: bool = False) -> bool:
        """Does this import run when its module is imported? Never under
        ``TYPE_CHECKING`` or in a ``__main__`` block; inside a function only once
        called, which ``include_lazy`` counts as running. The one definition the
        cycle check and the module-level test share."""
        if self.type_checking or self.main_block:
            return False
        return include_lazy or not self.in_function

    @property
    def binds_module_name(self) -> bool:
        """Does the import bind a name in the module's namespace (however guarded)?"""
        return not (self.in_function or self.in_class or self.main_block)


class Definition(msgspec.Struct, array_like=True, gc=False):
    """A module-level binding made by a ``class``, ``def`` or assignment.

    ``alias_of`` holds the dotted expression of an ``X = Y`` / ``X = a.b.Y`` alias,
    as written (resolved later, in the index). ``bases`` are a class's base
    expressions, as written, so the index can tell which classes are warnings.
    """

    name: str
    kind: DefinitionKind
    line: int
    column: int
    alias_of: Optional[str] = None
    bases: list[str] = msgspec.field(default_factory=list)
    deprecated: Optional[str] = None  # the @deprecated(...) message ("" when none)
    conditional: bool = False
    # A class's own names (methods, attributes), sorted: what tells a near-copy of a
    # class from an unrelated class that shares its name (SSOT003).
    members: list[str] = msgspec.field(default_factory=list)


class Warning_(msgspec.Struct, array_like=True, gc=False):
    """A ``warnings.warn(message, Category)`` call at module level, or in the body of
    a top-level function (``function``), which warns when a module-level call of
    that function runs (a package that deprecates itself through a helper)."""

    message: str
    category: str  # the category expression as written, e.g. "DeprecationWarning"
    line: int
    conditional: bool = False  # under a branch (of the module, or of the function)
    function: str = ""  # the top-level function it sits in; "" at module level


class ModuleCall(msgspec.Struct, array_like=True, gc=False):
    """``name(...)`` as a statement at module level: it runs on import."""

    name: str
    line: int
    conditional: bool = False


class Handover(msgspec.Struct, array_like=True, gc=False):
    """A module-level call that hands the module itself to other code: its name
    (``__name__``), its namespace (``globals()``), or what a zero-argument call
    returns (astropy's ``find_current_module()``); or that hands over a module it
    imports (``passed``). If the callee rewrites what it is handed, the module
    handed over holds names no file defines."""

    callee: str  # as written: ``local.recreate_module``
    line: int
    # Every string and keyword the call spells out, when those are all it passes
    # (Celery's ``recreate_module(__name__, by_module={...}, VERSION=VERSION)``):
    # the names the rewritten module can hold. None: any name.
    names: Optional[list[str]] = None
    # The name of an imported module the call passes, handing that module over
    # instead of this one (pyqtgraph's ``Qt/__init__.py``: ``from . import QtCore``,
    # then ``_copy_attrs(PyQt5.QtCore, QtCore)`` fills ``pyqtgraph.Qt.QtCore``).
    passed: Optional[str] = None


class ParseError(msgspec.Struct, array_like=True, gc=False):
    """Why a file has no facts (SSOT000), and where: a syntax error, an encoding
    that cannot be decoded, a file that could not be read."""

    message: str
    line: int
    column: int
    # True when the failure says nothing about the content (the file could not be
    # read, an internal error): such a result is not worth caching.
    transient: bool = False


class ModuleFacts(msgspec.Struct, dict=True):
    """Everything the checks need to know about one file, and nothing they don't.
    (``dict``: for the cached properties below.)"""

    imports: list[ImportSite] = msgspec.field(default_factory=list)
    definitions: list[Definition] = msgspec.field(default_factory=list)
    all_names: Optional[list[str]] = None  # ``__all__``, when statically known
    # ``__all__`` exists but is not a literal (``all_names`` is None), or is one the
    # module's own functions extend when it runs (``all_names`` is its literal part).
    all_dynamic: bool = False
    has_getattr: bool = False  # a module-level ``def __getattr__``
    warnings: list[Warning_] = msgspec.field(default_factory=list)
    module_calls: list[ModuleCall] = msgspec.field(default_factory=list)
    # Lines where the module's top level does more than bind its own names (a call,
    # a registering decorator, an assignment into another object): importing the
    # module runs it, so ``fix`` must not silently stop importing it.
    side_effects: list[int] = msgspec.field(default_factory=list)
    # line -> what ``# ssot: ignore[...]`` names there, as written (codes, prefixes,
    # rule names); an empty list means every code (a bare ``# ssot: ignore``)
    suppressions: dict[int, list[str]] = msgspec.field(default_factory=dict)
    suppression_columns: dict[int, int] = msgspec.field(default_factory=dict)  # where ``ssot:`` is
    # The module rewires imports at run time (``sys.meta_path``, ``sys.modules[...]``):
    # what it or its submodules provide cannot be decided statically.
    dynamic_imports: bool = False
    # Top-level functions that rewrite a module they are handed (``setattr(module,
    # name, ...)``, ``sys.modules[name] = ...``), directly or through another such
    # function of this module; and the module's own calls that hand it over.
    rewriting_functions: list[str] = msgspec.field(default_factory=list)
    handovers: list[Handover] = msgspec.field(default_factory=list)
    # In a module that installs an import finder (``sys.meta_path.insert(...)``), the
    # strings its finder classes spell: those naming a first-party package are
    # packages the finder may serve (Ansible's collection loader redirects any
    # ``ansible.*`` import through a routing table), so what no file there provides
    # may still import.
    finder_serves: list[str] = msgspec.field(default_factory=list)
    # Lines with a noqa-F401 marker.
    reexport_lines: list[int] = msgspec.field(default_factory=list)
    # Public names a plain module imports at its top level and never mentions again:
    # kept there for other modules to import (a compatibility surface), not for use.
    unused_imports: list[str] = msgspec.field(default_factory=list)
    parse_error: Optional[ParseError] = None
    engine: str = "ast"  # which front end produced these facts

    def to_json(self) -> dict[str, Any]:
        """The facts as named JSON values, every record a dict of its fields: what
        the front ends' differential tests compare and ``from_json`` reads back."""
        data = {name: _plain(getattr(self, name)) for name in ModuleFacts.__struct_fields__}
        data["suppressions"] = {str(k): v for k, v in sorted(self.suppressions.items())}
        data["suppression_columns"] = {
            str(k): v for k, v in sorted(self.suppression_columns.items())
        }
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ModuleFacts:
        return cls(
            imports=[
                ImportSite(**{**i, "names": [ImportedName(**n) for n in i["names"]]})
                for i in data["imports"]
            ],
            definitions=[Definition(**d) for d in data["definitions"]],
            all_names=data["all_names"],
            all_dynamic=data["all_dynamic"],
            has_getattr=data["has_getattr"],
            warnings=[Warning_(**w) for w in data["warnings"]],
            module_calls=[ModuleCall(**c) for c in data["module_calls"]],
            side_effects=data["side_effects"],
            suppressions={int(k): v for k, v in data["suppressions"].items()},
            suppression_columns={int(k): v for k, v in data["suppression_columns"].items()},
            reexport_lines=data["reexport_lines"],
            dynamic_imports=data["dynamic_imports"],
            rewriting_functions=data["rewriting_functions"],
            handovers=[Handover(**h) for h in data["handovers"]],
            finder_serves=data["finder_serves"],
            unused_imports=data["unused_imports"],
            parse_error=ParseError(**data["parse_error"]) if data["parse_error"] else None,
            engine=data["engine"],
        )

    def declares_deprecated(self) -> bool:
        """Is a class or function defined here ``@deprecated``? (``Deprecations``
        asks every module; ``StoredFacts`` answers without decoding its definitions.)"""
        return any(d.deprecated is not None and d.kind != "assign" for d in self.definitions)

    @functools.cached_property
    def alias_heads(self) -> frozenset[str]:
        """First names of every ``X = a.b`` alias's right-hand side (``a``)."""
        return frozenset(d.alias_of.split(".")[0] for d in self.definitions if d.alias_of)

    @functools.cached_property
    def all_name_set(self) -> frozenset[str]:
        """``__all__`` as a set (asked of every import of a module with a long one)."""
        return frozenset(self.all_names or ())

    @functools.cached_property
    def reexport_line_set(self) -> frozenset[int]:
        return frozenset(self.reexport_lines)

    def suppressed_codes(self, first_line: int, last_line: int) -> Optional[list[str]]:
        """Codes suppressed on any line of a statement; ``[]`` means all, None none."""
        found: Optional[list[str]] = None
        for line in range(first_line, last_line + 1):
            codes = self.suppressions.get(line)
            if codes is None:
                continue
            if not codes:
                return []
            found = (found or []) + codes
        return found


# Where a ``ModuleFacts`` keeps its definitions: ``StoredFacts`` reads and writes it
# from behind its property.
_DEFINITIONS_SLOT: Any = ModuleFacts.__dict__["definitions"]


def _waiting(facts: ModuleFacts) -> Optional[msgspec.Raw]:
    """The definitions' JSON while it waits undecoded (``StoredFacts``), else None."""
    held = _DEFINITIONS_SLOT.__get__(facts, type(facts))
    return held if isinstance(held, msgspec.Raw) else None


def _plain(value: Any) -> Any:
    """``value`` with every record in it a dict of its fields (``to_json``)."""
    if isinstance(value, msgspec.Struct):
        return {name: _plain(getattr(value, name)) for name in value.__struct_fields__}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    return value


# -- the cache's compact form ------------------------------------------------------------
# Positional arrays instead of objects: the same JSON safety, about half the bytes, and
# what msgspec reads straight into the records.


_Definitions = TypeVar("_Definitions")


class _Stored(msgspec.Struct, Generic[_Definitions], array_like=True, gc=False):
    """The stored form as ``pack`` makes it and msgspec reads it, each value type
    checked, the definitions left as their JSON (``_Stored[msgspec.Raw]``:
    ``StoredFacts`` decodes them when asked) or read with the rest (a row written by
    ``json``: see ``structjson``)."""

    imports: list[ImportSite]
    definitions: _Definitions
    all_names: Optional[list[str]]
    all_dynamic: bool
    has_getattr: bool
    warnings: list[Warning_]
    suppressions: list[tuple[int, list[str]]]
    dynamic_imports: bool
    reexport_lines: list[int]
    parse_error: Optional[ParseError]
    engine: str
    module_calls: list[ModuleCall]
    side_effects: list[int]
    rewriting_functions: list[str]
    handovers: list[Handover]
    finder_serves: list[str]
    suppression_columns: list[tuple[int, int]]
    unused_imports: list[str]
    declares_deprecated: bool


def pack(facts: ModuleFacts) -> _Stored[Any]:
    """The stored form of ``facts``, each value named (written as an array)."""
    return _Stored(
        imports=facts.imports,
        definitions=_definitions_raw(facts),
        all_names=facts.all_names,
        all_dynamic=facts.all_dynamic,
        has_getattr=facts.has_getattr,
        warnings=facts.warnings,
        suppressions=sorted(facts.suppressions.items()),
        dynamic_imports=facts.dynamic_imports,
        reexport_lines=facts.reexport_lines,
        parse_error=facts.parse_error,
        engine=facts.engine,
        module_calls=facts.module_calls,
        side_effects=facts.side_effects,
        rewriting_functions=facts.rewriting_functions,
        handovers=facts.handovers,
        finder_serves=facts.finder_serves,
        suppression_columns=sorted(facts.suppression_columns.items()),
        unused_imports=facts.unused_imports,
        declares_deprecated=facts.declares_deprecated(),
    )


_ENCODER = msgspec.json.Encoder()


# msgspec's readers of the stored form, each made when first needed: making one
# evaluates the annotations of every record it reads (1 ms), which a run that parses
# one file and reads no stored facts back (a comment edited) never needs.


@functools.cache
def _stored_reader() -> msgspec.json.Decoder[_Stored[msgspec.Raw]]:
    return msgspec.json.Decoder(_Stored[msgspec.Raw])


@functools.cache
def _definitions_reader() -> msgspec.json.Decoder[list[Definition]]:
    return msgspec.json.Decoder(list[Definition])


def _definitions_raw(facts: ModuleFacts) -> Any:
    """The definitions as ``pack`` stores them: read back and never asked for, the
    JSON they came as; else the records (which the encoder writes as arrays)."""
    raw = _waiting(facts)
    return facts.definitions if raw is None else raw


def packed(facts: ModuleFacts) -> str:
    """Facts as the cache stores them: ``pack``'s values as compact JSON. A parsing
    worker makes it where the facts are, so the scan's own process, which every
    worker's results pass through, does not pack them a second time.

    Facts holding a lone surrogate are written by ``json`` (``structjson``)."""
    stored = pack(facts)

    def with_records() -> _Stored[Any]:
        stored.definitions = facts.definitions  # records, not the raw JSON kept
        return stored

    return structjson.dumps(stored, _ENCODER, with_records)


def stored_form(facts: ModuleFacts) -> tuple[str, str]:
    """``packed(facts)`` and its ``facts_digest``: what the cache stores of a file."""
    text = packed(facts)
    return text, facts_digest(text)


def unpacked(text: str | bytes, lazy: bool = False) -> ModuleFacts:
    """The inverse of ``packed``; raises ValueError (``msgspec.DecodeError``: not
    JSON, or a value of the wrong type) on bad input, RecursionError on input nested
    deeper than msgspec reads. ``lazy``: the definitions are
    decoded when first asked for (``StoredFacts``), and a fault in them raises
    ``DamagedFacts`` then."""
    stored: _Stored[Any] = structjson.loads(text, _stored_reader(), _Stored[list[Definition]])
    # Written by ``json`` (a lone surrogate), they are read whole: nothing is left raw.
    lazy = lazy and isinstance(stored.definitions, msgspec.Raw)
    made = StoredFacts if lazy else ModuleFacts
    # Read lazily, the slot holds the definitions' JSON (a copy: the slice alone, not
    # the whole row's text it would keep alive) until ``StoredFacts`` is asked for them.
    definitions: Any = stored.definitions.copy() if lazy else _definitions(stored.definitions)
    # Field by field, spelled out: a row at a time, 10,000 times a run.
    facts = made(
        imports=stored.imports,
        definitions=definitions,
        all_names=stored.all_names,
        all_dynamic=stored.all_dynamic,
        has_getattr=stored.has_getattr,
        warnings=stored.warnings,
        module_calls=stored.module_calls,
        side_effects=stored.side_effects,
        suppressions=dict(stored.suppressions),
        suppression_columns=dict(stored.suppression_columns),
        dynamic_imports=stored.dynamic_imports,
        rewriting_functions=stored.rewriting_functions,
        handovers=stored.handovers,
        finder_serves=stored.finder_serves,
        reexport_lines=stored.reexport_lines,
        unused_imports=stored.unused_imports,
        parse_error=stored.parse_error,
        engine=stored.engine,
    )
    if lazy:
        facts.__dict__["_deprecated"] = stored.declares_deprecated
    return facts


def shared_strings(facts: ModuleFacts) -> ModuleFacts:
    """``facts`` with its module paths and names interned: every file that imports
    ``pkg.core.Thing`` holds the same two strings, not a copy each (facts arrive from
    worker processes and from the cache one file at a time, as JSON, whose reader
    makes a string per occurrence). Kinds need nothing: msgspec gives every
    ``Literal`` field the one string object its type spells. Returns ``facts``."""
    intern = sys.intern
    facts.engine = intern(facts.engine)
    for site in facts.imports:
        target = site.target
        if target is not None:
            target = site.target = intern(target)
        # Nine sites in ten import the module as written: one string for both, and
        # one interning (10,000 files: 160,000 of 610,000).
        site.raw_module = target if site.raw_module == target else intern(site.raw_module)
        for imported in site.names:
            imported.name = intern(imported.name)
            if imported.asname is not None:
                imported.asname = intern(imported.asname)
    if _waiting(facts) is None:
        _share_definitions(facts.definitions)  # else shared when decoded
    facts.unused_imports = [intern(name) for name in facts.unused_imports]
    return facts


def _share_definitions(definitions: list[Definition]) -> None:
    """``shared_strings`` for definitions: their names interned."""
    intern = sys.intern
    for definition in definitions:
        definition.name = intern(definition.name)


def _definitions(raw: Any) -> list[Definition]:
    """Definitions of their stored JSON (raises ValueError on anything else); already
    read (a row written by ``json``), as they are."""
    if isinstance(raw, list):
        return raw
    return structjson.loads(raw, _definitions_reader(), list[Definition])


class DamagedFacts(Exception):
    """Stored facts whose definitions, decoded only when asked for, turned out not to
    be definitions: a row edited with its digest made to match (``scan`` parses the
    file again and analyses anew)."""


class StoredFacts(ModuleFacts, dict=True):
    """Facts read back from their stored form, whose definitions (two fifths of that
    form) stay JSON text until first asked for. A run over cached facts after an edit
    resolves names in a few hundred modules and builds no definition of the other
    thousands (10,000 generated modules: reading every file's facts in the run after
    an import edit, 0.92 -> 0.64 s). Equal to the ``ModuleFacts`` it was packed from,
    and used as one; a stored flag says whether a definition is deprecated.

    The JSON waits in the ``definitions`` slot itself (this property stands in front
    of it), so a copy (``msgspec.structs.replace``) is as lazy as its original."""

    @property  # type: ignore[misc]
    def definitions(self) -> list[Definition]:
        held = _DEFINITIONS_SLOT.__get__(self, StoredFacts)
        if not isinstance(held, msgspec.Raw):
            found: list[Definition] = held
            return found
        try:
            decoded = _definitions(held)
            _share_definitions(decoded)
        except (ValueError, RecursionError) as exc:  # msgspec.DecodeError, or too deep
            raise DamagedFacts(str(exc)) from exc
        _DEFINITIONS_SLOT.__set__(self, decoded)
        return decoded

    @definitions.setter
    def definitions(self, value: list[Definition]) -> None:
        _DEFINITIONS_SLOT.__set__(self, value)

    def declares_deprecated(self) -> bool:
        """Whether a definition is deprecated, known without decoding them (the flag
        stored with them; a copy, which has no flag, decodes them)."""
        flag = self.__dict__.get("_deprecated")
        if flag is not None and _waiting(self) is not None:
            return bool(flag)
        return super().declares_deprecated()

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, ModuleFacts):
            return NotImplemented
        return all(
            getattr(self, name) == getattr(other, name) for name in ModuleFacts.__struct_fields__
        )

    __hash__ = None  # type: ignore[assignment]
