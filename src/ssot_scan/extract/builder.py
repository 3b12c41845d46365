"""The front-end independent half of extraction.

Each parser front end walks its own tree and calls into ``FactsBuilder`` with plain
values; every decision about *what* is a fact (which ``try`` guards an import, which
call is a deprecation warning, how ``__all__`` is read, how relative imports resolve)
lives here once, so the two front ends cannot drift apart on meaning.
"""

from __future__ import annotations

import re
from typing import Any, Final, Literal, Optional

import msgspec

from ssot_scan.facts import (
    Definition,
    DefinitionKind,
    Handover,
    ImportedName,
    ImportSite,
    ModuleCall,
    ModuleFacts,
    Warning_,
)
from ssot_scan.hashing import blake2b

# Exception names whose handler makes the ``try`` body an import guard.
IMPORT_GUARDS = frozenset(
    {"ImportError", "ModuleNotFoundError", "Exception", "BaseException", "*bare*"}
)


def is_type_checking(test: Optional[str]) -> bool:
    """``TYPE_CHECKING``, ``typing.TYPE_CHECKING``, ``t.TYPE_CHECKING`` (any alias)."""
    return test is not None and test.rsplit(".", 1)[-1] == "TYPE_CHECKING"


def is_main_check(sides: tuple[Optional[str], Optional[str]]) -> bool:
    """``__name__ == "__main__"`` either way round: (a name, a string) pair."""
    return set(sides) == {"__name__", '"__main__"'}


# ``with contextlib.suppress(ImportError):`` guards its body like a ``try``.
SUPPRESS_CALLEES = frozenset({"suppress", "contextlib.suppress"})
# Context managers a test states an expected exception with: an import under
# ``with pytest.raises(ImportError):`` is meant to fail, never an SSOT005.
RAISES_CALLEES = frozenset(
    {"pytest.raises", "raises", "self.assertRaises", "self.assertRaisesRegex", "assertRaises"}
)
WARN_CALLEES = frozenset({"warn", "warnings.warn", "_warnings.warn"})
# Context managers of a test that checks a warning is raised; with a deprecation
# category (or ``deprecated_call``, which implies one) the test exercises a
# deprecation, and imports the deprecated thing on purpose.
WARNS_CALLEES = frozenset(
    {
        "pytest.warns",
        "warns",
        "pytest.deprecated_call",
        "deprecated_call",
        "self.assertWarns",
        "self.assertWarnsRegex",
        "assertWarns",
        "assertWarnsRegex",
    }
)
# What a body must spell to hold one of them (asked before its tree is searched).
WARNS_WORDS = tuple(sorted({callee.rsplit(".", 1)[-1] for callee in WARNS_CALLEES}))
# The standard warning categories that say "deprecated" (the index also counts a
# project's own subclasses of them).
DEPRECATION_CATEGORIES = frozenset(
    {"DeprecationWarning", "PendingDeprecationWarning", "FutureWarning"}
)


def checks_deprecation(callee: Optional[str], categories: set[str]) -> bool:
    """Is ``with <callee>(<categories>...)`` a test's check that a deprecation warns?"""
    if callee not in WARNS_CALLEES:
        return False
    if callee.endswith("deprecated_call"):
        return True
    return any(c in DEPRECATION_CATEGORIES or "Deprecat" in c for c in categories)


# Decorators that only wrap what they decorate; any other may register it somewhere
# (``@receiver(signal)``, ``@app.route``, ``@register``): a side effect of importing.
PURE_DECORATORS = frozenset(
    {
        "property",
        "staticmethod",
        "classmethod",
        "dataclass",
        "dataclasses.dataclass",
        "functools.wraps",
        "wraps",
        "functools.cache",
        "cache",
        "functools.lru_cache",
        "lru_cache",
        "functools.cached_property",
        "cached_property",
        "functools.total_ordering",
        "total_ordering",
        "functools.singledispatch",
        "singledispatch",
        "typing.overload",
        "overload",
        "typing.final",
        "final",
        "abc.abstractmethod",
        "abstractmethod",
        "contextlib.contextmanager",
        "contextmanager",
        "contextlib.asynccontextmanager",
        "asynccontextmanager",
        "typing.runtime_checkable",
        "runtime_checkable",
        "enum.unique",
        "unique",
    }
)


def is_pure_decorator(callee: Optional[str]) -> bool:
    return callee is not None and (callee in PURE_DECORATORS or is_deprecated_decorator(callee))


class Context(msgspec.Struct, frozen=True):
    """Where a statement sits; immutable so nested blocks derive their own."""

    in_function: bool = False
    in_class: bool = False
    type_checking: bool = False
    guarded: bool = False
    conditional: bool = False
    main_block: bool = False  # under ``if __name__ == "__main__":``: never on import
    expects_import_error: bool = False  # under ``with pytest.raises(ImportError):``
    # In a ``@deprecated`` function's or class's body, or in a test that checks a
    # deprecation warns: either goes when the deprecated thing goes.
    in_deprecated: bool = False
    # The function whose body this is, when a call can name it: a top-level
    # function (``f``), or a method of a top-level class (``Cls.m``: a decorator
    # ``@Cls.m`` or a call ``Cls.m(__name__)`` runs it); "" otherwise.
    function: str = ""
    branch_in_function: bool = False  # under a branch of that function's body
    class_name: str = ""  # the top-level class whose body this is, if any

    @property
    def top_level(self) -> bool:
        """A statement that binds a module attribute when the module runs."""
        return not (self.in_function or self.in_class)

    def entering(self, **changes: Any) -> Context:
        if changes.get("conditional") and self.in_function:
            changes["branch_in_function"] = True
        return self._with(changes)

    def entering_function(self, name: str) -> Context:
        """The body of ``def name``: known by name when the def is a module's own
        (a call of it at module level runs it) or a method of one of its classes
        (``Cls.name``), anonymous when nested deeper."""
        if self.top_level:
            function = name
        elif self.class_name and not self.in_function:
            function = f"{self.class_name}.{name}"
        else:
            function = ""
        return self._with({"in_function": True, "function": function, "branch_in_function": False})

    def entering_class(self, name: str, deprecated: bool) -> Context:
        """The body of ``class name``: its methods are known as ``name.method``
        when the class is a module's own."""
        return self._with(
            {
                "in_class": True,
                "class_name": name if self.top_level else "",
                "in_deprecated": self.in_deprecated or deprecated,
            }
        )

    def _with(self, changes: dict[str, Any]) -> Context:
        """A copy with ``changes`` (it runs for every block of every file)."""
        return msgspec.structs.replace(self, **changes)


def resolve_relative(module: str, is_package: bool, level: int, raw_module: str) -> Optional[str]:
    """Absolute module name of ``from <level dots><raw_module> import ...``.

    Returns None when the dots climb above the top-level package, which is an
    ImportError at run time.
    """
    if level == 0:
        return raw_module
    parts = module.split(".") if module else []
    package_parts = parts if is_package else parts[:-1]
    if level > len(package_parts):
        return None
    base = package_parts[: len(package_parts) - level + 1]
    if raw_module:
        base = [*base, raw_module]
    return ".".join(base)


# Keywords of deprecation decorators that name what to use instead
# (``@deprecated("...", replacement="pkg.new.make")``, ``alternative=`` in pandas).
REPLACEMENT_KEYWORDS = ("replacement", "alternative", "instead", "use_instead")


# Keywords of deprecation decorators that carry the message, in order of preference
# (dagster's ``@deprecated(breaking_version="2.0", additional_warn_text="Use X")``).
MESSAGE_KEYWORDS = ("reason", "message", "msg", "additional_warn_text")
# A version as a decorator's first argument: astropy's and matplotlib's ``since``.
_VERSION = re.compile(r"v?\d+(\.\d+)*(rc\d+)?")


def deprecation_message(first: Optional[str], keywords: dict[str, Optional[str]]) -> str:
    """What a deprecation decorator says: its first argument when that is a string
    (a version reads "deprecated since X", beside a message keyword if there is
    one), else a message keyword; then the replacement a keyword names."""
    message = next((keywords[k] for k in MESSAGE_KEYWORDS if keywords.get(k)), None)
    if first is not None and _VERSION.fullmatch(first.strip()):
        since = f"deprecated since {first.strip()}"
        message = f"{message} ({since})" if message else since
    elif first is not None:
        message = first
    replacement = next((keywords[k] for k in REPLACEMENT_KEYWORDS if keywords.get(k)), None)
    return with_replacement(message or "", replacement)


def with_replacement(message: str, replacement: Optional[str]) -> str:
    """A deprecation message that also names the replacement a decorator keyword
    gave, in the form the advice reads (``use `X` instead``)."""
    if not replacement:
        return message
    tail = f"use `{replacement}` instead"
    return f"{message} ({tail})" if message else tail


def member(name: str, lines: list[str]) -> str:
    """``name=digest``: a class member and a digest of its source (comments, blank
    lines and indentation left out), so that two classes can be told apart as
    copies (same members, same bodies) or as two implementations of one interface
    (same member names, other bodies)."""
    # A list, not a generator, for join; ``map`` for the strip: a fifth of the
    # walk goes here on code made of classes.
    text = "\n".join([line for line in map(str.strip, lines) if line and line[0] != "#"])
    digest = blake2b(text.encode("utf-8", "surrogatepass"), digest_size=6)
    return f"{name}={digest.hexdigest()}"


def is_deprecated_decorator(callee: Optional[str]) -> bool:
    """``@deprecated``, ``@typing_extensions.deprecated``, ``@warnings.deprecated``..."""
    return callee is not None and (callee == "deprecated" or callee.endswith(".deprecated"))


def is_overload(callee: Optional[str]) -> bool:
    """``@overload``, ``@typing.overload``: a deprecation beside it deprecates that
    signature only (PEP 702), not the function (setuptools deprecates
    ``get_config_var("SO")``, not ``get_config_var``)."""
    return callee is not None and (callee == "overload" or callee.endswith(".overload"))


# A call that returns a namespace, by what writing into it writes: at module level,
# ``locals()`` and ``vars()`` are the module's namespace too (see ``rewiring_store``).
NAMESPACE_CALLS = {"globals": "globals()", "locals": "locals()", "vars": "locals()"}

# What a module writes to make imports find what no file defines: a missing name or
# submodule of such a module is undecidable (counted), never SSOT005.
REWIRING_STORES = frozenset({"sys.modules[]", "globals()[]", "__path__"})
REWIRING_CALLEES = frozenset(
    {
        "sys.modules.update",
        "sys.modules.setdefault",
        "sys.meta_path.insert",
        "sys.meta_path.append",
        "sys.meta_path.extend",
        "sys.path_hooks.insert",
        "sys.path_hooks.append",
        "__path__.append",
        "__path__.extend",
        "__path__.insert",
        "pkgutil.extend_path",
        "extend_path",
        "globals().update",
    }
)
# A call that installs an import finder or path hook (anywhere in the module).
FINDER_INSTALLS = ("sys.meta_path.", "sys.path_hooks.")
# A class with one of these methods is an import finder (PEP 451, and the older
# PEP 302 protocol).
FINDER_METHODS = frozenset({"find_spec", "find_module"})
# A string a finder class spells that could name a package it serves: ``'ansible'``
# in Ansible's ``_AnsibleCollectionFinder`` (``toplevel_pkg == 'ansible'``). Read
# from the source text, so both front ends find the same strings.
_QUOTED_DOTTED = re.compile(r"""(['"])([A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*)\1""")


# What a call argument is, as far as handing a module over goes.
SELF: Final = "self"  # the module itself: ``__name__``, ``globals()``, ``find_current_module()``
LITERAL: Final = "literal"  # strings, numbers, and displays of them
NAME: Final = "name"  # a bare name
OTHER: Final = "other"
ArgumentKind = Literal["self", "literal", "name", "other"]


# ``sys.modules[__name__]``, as the front ends spell it for ``FactsBuilder.setattr_on``.
OWN_MODULE = "sys.modules[__name__]"
# A frame's namespace (``sys._getframe(1).f_globals``), as the front ends spell it for
# ``FactsBuilder.rewiring_store`` and ``function_call``: ``f_globals[]`` for a store
# into it, ``f_globals.update`` for a call of its method.
FRAME_NAMESPACE = "f_globals"
FRAME_ATTRIBUTES = frozenset({"f_globals", "f_locals"})


class Argument(msgspec.Struct, frozen=True):
    """One argument of a call, described alike by both front ends."""

    kind: ArgumentKind
    keyword: Optional[str] = None  # ``k=...``; "**" for ``**kw``, "*" for ``*args``
    name: str = ""  # the name, for NAME
    strings: tuple[str, ...] = ()  # every string in a LITERAL


def spelled_names(arguments: list[Argument]) -> Optional[list[str]]:
    """What a call that hands its module over spells out besides the module: every
    string and keyword, when the rest is literals or ``k=k`` pass-throughs of the
    module's own bindings; None when it passes anything that could name more."""
    names: set[str] = set()
    for argument in arguments:
        if argument.kind == SELF:
            continue
        if argument.keyword in ("*", "**"):
            return None
        if argument.kind == LITERAL:
            names.update(argument.strings)
        elif not (argument.kind == NAME and argument.keyword == argument.name):
            return None
        if argument.keyword is not None:
            names.add(argument.keyword)
    return sorted(names)


class FactsBuilder:
    """Accumulates facts as a front end reports statements."""

    def __init__(self, module: str, is_package: bool, engine: str) -> None:
        self.module = module
        self.is_package = is_package
        self.facts = ModuleFacts(engine=engine)
        self._all_dynamic = False
        # Top-level functions and methods (``Cls.m``) that rewrite a module.
        self._rewriting: set[str] = set()
        self._passes_on: dict[str, set[str]] = {}  # function -> functions it hands names to
        self._all_mutators: set[str] = set()  # top-level functions that change ``__all__``
        # Names bound to the module itself (``_me = sys.modules[__name__]``, or an
        # import of the module in its own code): see ``setattr_on``.
        self._own_names: set[str] = set()
        self._parent, _, self._last = module.rpartition(".")
        # Per function, the names bound to a frame's namespace in its body.
        self._frame_names: dict[str, set[str]] = {}
        # Names module-level imports bind, so far (``Handover.passed``).
        self._imported: set[str] = set()
        self._finder_strings: set[str] = set()  # what the module's finder classes spell
        self._installs_finder = False  # ``sys.meta_path.insert(...)`` somewhere
        self._true_flags: set[str] = set()  # top-level names bound to ``True``
        self._hidden_flags: set[str] = set()  # ... then rebound through ``globals()[...]``

    def finish(self) -> ModuleFacts:
        """The facts, with what needs the whole module worked out: which functions
        rewrite a module through another function of this module."""
        rewriting = set(self._rewriting)
        changed = True
        while changed:
            changed = False
            for function, callees in self._passes_on.items():
                if function not in rewriting and callees & rewriting:
                    rewriting.add(function)
                    changed = True
        self.facts.rewriting_functions = sorted(rewriting)
        if self._installs_finder:
            self.facts.finder_serves = sorted(self._finder_strings)
        return self.facts

    # imports -------------------------------------------------------------------
    def add_import(
        self,
        ctx: Context,
        modules: list[tuple[str, Optional[str]]],
        span: tuple[int, int, int, int],
    ) -> None:
        """``import a.b [as c], d`` — one site per module."""
        if ctx.top_level:
            self._imported.update(a or n.partition(".")[0] for n, a in modules)
        for name, asname in modules:
            if asname and name == self.module:  # ``import pkg.me as me`` in pkg/me.py
                self._own_names.add(asname)
            self.facts.imports.append(
                ImportSite(
                    kind="import",
                    target=name,
                    raw_module=name,
                    level=0,
                    names=[],
                    asname=asname,
                    line=span[0],
                    column=span[1],
                    end_line=span[2],
                    end_column=span[3],
                    **self._flags(ctx),
                )
            )

    def add_import_from(
        self,
        ctx: Context,
        level: int,
        raw_module: str,
        names: list[tuple[str, Optional[str]]],
        span: tuple[int, int, int, int],
        name_lines: Optional[list[int]] = None,
    ) -> None:
        """``name_lines``: each name's line, which the front ends give only for a
        statement over several lines."""
        star = len(names) == 1 and names[0][0] == "*"
        spread = name_lines if name_lines and span[0] != span[2] and not star else None
        target = resolve_relative(self.module, self.is_package, level, raw_module)
        if ctx.top_level and not star:
            self._imported.update(a or n for n, a in names)
        if target == self._parent:  # ``from pkg import me`` in pkg/me.py
            self._own_names.update(a or n for n, a in names if n == self._last)
        self.facts.imports.append(
            ImportSite(
                kind="from",
                target=target,
                raw_module=raw_module,
                level=level,
                names=[] if star else [ImportedName(n, a) for n, a in names],
                asname=None,
                line=span[0],
                column=span[1],
                end_line=span[2],
                end_column=span[3],
                is_star=star,
                name_lines=spread,
                **self._flags(ctx),
            )
        )

    @staticmethod
    def _flags(ctx: Context) -> dict[str, Any]:
        return {
            "in_function": ctx.in_function,
            "in_class": ctx.in_class,
            "type_checking": ctx.type_checking,
            "guarded": ctx.guarded,
            "conditional": ctx.conditional,
            "main_block": ctx.main_block,
            "expects_error": ctx.expects_import_error,
            "in_deprecated": ctx.in_deprecated,
        }

    # definitions ---------------------------------------------------------------
    def add_definition(
        self,
        ctx: Context,
        name: str,
        kind: DefinitionKind,
        line: int,
        column: int,
        *,
        alias_of: Optional[str] = None,
        bases: Optional[list[str]] = None,
        deprecated: Optional[str] = None,
        members: Optional[list[str]] = None,
    ) -> None:
        if not ctx.top_level:
            return
        if name == "__getattr__":
            # ``def __getattr__`` or ``__getattr__, __dir__, __all__ = lazy.attach(...)``
            # (scientific-python's lazy_loader): names resolved at run time.
            self.facts.has_getattr = True
        if name == "__all__":
            # Bound other than by ``__all__ = [...]`` (which never gets here): by tuple
            # unpacking, a loop, a ``with``: not a literal.
            self.set_all(None)
            return
        self.facts.definitions.append(
            Definition(
                name=name,
                kind=kind,
                line=line,
                column=column,
                alias_of=alias_of,
                bases=bases or [],
                members=sorted(set(members or [])),
                deprecated=deprecated,
                conditional=ctx.conditional or ctx.guarded or ctx.type_checking,
            )
        )

    def add_global(self, ctx: Context, name: str, line: int, column: int) -> None:
        """``global X`` in a function: the function binds the module's ``X`` when it
        runs (matplotlib's ``qt_compat`` sets ``QtCore``, ``QtGui``... this way from a
        function called at import time). A conditional binding: it may never run."""
        if name == "__all__":
            self.mutates_all(ctx)
        self.facts.definitions.append(
            Definition(name=name, kind="assign", line=line, column=column, conditional=True)
        )

    # __all__ -------------------------------------------------------------------
    def set_all(self, names: Optional[list[str]]) -> None:
        """``__all__ = [...]``; None when the value is not a literal of strings."""
        if names is None:
            self._all_dynamic = True
            self.facts.all_names = None
            self.facts.all_dynamic = True
            return
        self._all_dynamic = False
        self.facts.all_dynamic = False
        self.facts.all_names = list(names)

    def mutates_all(self, ctx: Context) -> None:
        """``__all__.append(...)``, ``__all__ += ...`` or ``global __all__`` in a
        top-level function's body: a module-level call of the function makes the
        module's ``__all__`` open, its literal names and any others (numpy's
        ``_core.numeric`` calls ``extend_all(umath)``, which appends every name of
        ``umath.__all__``; astropy's ``modeling.fitting`` appends its entry points)."""
        if ctx.function and not ctx.in_class:
            self._all_mutators.add(ctx.function)

    def extend_all(self, names: Optional[list[str]]) -> None:
        """``__all__ += [...]``, ``.extend([...])``, ``.append("x")``."""
        if self._all_dynamic:
            return
        if names is None:
            self.set_all(None)
            return
        self.facts.all_names = [*(self.facts.all_names or []), *names]

    # warnings ------------------------------------------------------------------
    def add_warning_call(
        self,
        ctx: Context,
        callee: Optional[str],
        message: Optional[str],
        category: Optional[str],
        line: int,
    ) -> None:
        """Keep ``warnings.warn`` calls that run when the module is imported, and
        those in a top-level function's body (they run when a module-level call of
        the function does)."""
        if ctx.main_block or callee not in WARN_CALLEES:
            return
        if ctx.top_level:
            conditional, function = ctx.conditional or ctx.guarded, ""
        elif ctx.function and not ctx.in_class:
            conditional, function = ctx.branch_in_function, ctx.function
        else:
            return
        self.facts.warnings.append(
            Warning_(
                message=message or "",
                category=category or "UserWarning",
                line=line,
                conditional=conditional,
                function=function,
            )
        )

    def bind_flag(self, ctx: Context, name: str, true: bool) -> None:
        """A top-level ``name = ...``; ``true`` when the value is the literal ``True``."""
        if ctx.top_level:
            self._hidden_flags.discard(name)
            if true:
                self._true_flags.add(name)
            else:
                self._true_flags.discard(name)

    def namespace_key_write(self, ctx: Context, key: Optional[str]) -> None:
        """A top-level ``globals()[key] = ...``; ``key`` None when it is computed."""
        if ctx.top_level:
            rebound = self._true_flags if key is None else self._true_flags & {key}
            self._hidden_flags |= rebound

    def hides_from_run_time(self, test: Optional[str]) -> bool:
        """Is ``if test:`` a block that static readers see and a running program
        skips? ``TYPE_CHECKING``; and a flag bound to ``True`` that the module then
        rebinds through ``globals()`` with a key no static reader can follow
        (Airflow's ``STATICA_HACK = True`` / ``globals()["kcah_acitats"[::-1].upper()]
        = False``: an import meant for IDEs only, not an import-time edge)."""
        return is_type_checking(test) or (test is not None and test in self._hidden_flags)

    def rewiring_store(self, ctx: Context, store: str) -> None:
        """An assignment to ``store``: ``sys.modules[...]``, ``globals()[...]``,
        ``__path__``: the module rewires what imports find. At module level
        ``locals()`` is the module's namespace (astropy's ``constants/si.py``); in a
        function writing it does nothing. A top-level function that writes
        ``sys.modules`` or an object's ``__dict__`` rewrites what it is handed."""
        if store in REWIRING_STORES or (store == "locals()[]" and ctx.top_level):
            self.facts.dynamic_imports = True
        if ctx.function and (
            store in ("sys.modules[]", f"{FRAME_NAMESPACE}[]")
            or store.endswith(".__dict__[]")
            or (store.endswith("[]") and store[:-2] in self._frame_names.get(ctx.function, ()))
        ):
            self._rewriting.add(ctx.function)

    def function_call(
        self, ctx: Context, callee: Optional[str], arguments: list[Argument]
    ) -> None:
        """A call in a top-level function's (or method's, see ``Context.function``)
        body: ``setattr(module, name, value)``
        with a computed name, ``module.__dict__.update(...)``, rewrite an object the
        function was handed; a call of another function of the module with a name
        may hand it on."""
        if not ctx.function or callee is None:
            return
        computed_setattr = callee == "setattr" and len(arguments) >= 2
        if (
            (computed_setattr and arguments[1].kind != LITERAL)
            or callee.endswith(".__dict__.update")
            or callee == f"{FRAME_NAMESPACE}.update"
            or (
                callee.endswith(".update")
                and callee[:-7] in self._frame_names.get(ctx.function, ())
            )
        ):
            self._rewriting.add(ctx.function)
        elif "." not in callee and not ctx.in_class and any(a.kind == NAME for a in arguments):
            # A top-level function's only: the ast front end walks only the methods
            # that spell a rewrite themselves.
            self._passes_on.setdefault(ctx.function, set()).add(callee)

    def module_call(
        self, ctx: Context, callee: Optional[str], arguments: list[Argument], line: int
    ) -> None:
        """A module-level call that hands the module itself over, or a module it
        imports (a name a module-level import bound): see ``Handover``."""
        if not ctx.top_level or ctx.main_block or callee is None:
            return
        if any(a.kind == SELF for a in arguments):
            self.facts.handovers.append(Handover(callee, line, spelled_names(arguments)))
        for argument in arguments:
            if argument.kind == NAME and argument.name in self._imported:
                self.facts.handovers.append(Handover(callee, line, passed=argument.name))

    def frame_namespace_name(self, ctx: Context, name: str) -> None:
        """``name = sys._getframe(1).f_globals`` (or anything spelling a frame's
        ``f_globals``) in a function's body: writing ``name[...]`` there writes the
        namespace of the module that called it. zope.interface's ``@_use_c_impl``
        binds ``FooPy`` and ``FooFallback`` in the module of the class it decorates
        this way."""
        if ctx.function:
            self._frame_names.setdefault(ctx.function, set()).add(name)

    def own_module_name(self, name: str) -> None:
        """``name = sys.modules[__name__]``: ``name`` is the module itself."""
        self._own_names.add(name)

    def setattr_on(self, ctx: Context, target: Optional[str]) -> None:
        """``setattr(target, ...)``, ``target`` as the front ends spell it (dotted,
        ``OWN_MODULE``, or None). Setting attributes of the module itself binds
        names no file spells out, as ``globals()[name] = ...`` does: in a loop at
        module level (``setattr(sys.modules[__name__], name, ...)``), or in a
        function others call (numpy's ``dtypes._add_dtype_helper``, called by the
        compiled core, does ``from numpy import dtypes; setattr(dtypes, ...)``).
        Nested functions are not looked at (the ast front end walks their bodies
        only when they spell an import or the like)."""
        if not (ctx.top_level or ctx.function):
            return
        if target is not None and (
            target in (OWN_MODULE, self.module) or target in self._own_names
        ):
            self.facts.dynamic_imports = True

    def rewiring_call(
        self, ctx: Context, callee: Optional[str], hands_over_namespace: bool = False
    ) -> None:
        """A call that rewires imports (``sys.meta_path.insert``, module-level
        ``exec``...), or that hands the module's own namespace to other code at
        module level (``def_unit(..., namespace=globals())``, astropy's units: the
        callee may bind any name). Reads (``sys.modules["x"]``) and words in
        docstrings do not."""
        if callee is not None and callee.startswith(FINDER_INSTALLS):
            self._installs_finder = True
        if (
            callee in REWIRING_CALLEES
            or (callee in ("exec", "locals().update") and ctx.top_level)
            or (hands_over_namespace and ctx.top_level)
        ):
            self.facts.dynamic_imports = True

    def class_source(self, members: list[str], lines: list[str]) -> None:
        """A class body (``members`` as ``name=digest``, ``lines`` its source): an
        import finder's strings are kept, in case the module installs it (see
        ``ModuleFacts.finder_serves``)."""
        if any(m.partition("=")[0] in FINDER_METHODS for m in members):
            text = "\n".join(lines)
            self._finder_strings.update(m.group(2) for m in _QUOTED_DOTTED.finditer(text))

    def decorators(
        self, ctx: Context, decorators: list[tuple[Optional[str], bool]], line: int
    ) -> None:
        """The decorators of a ``def`` or ``class`` at ``line``, each as its dotted
        name (of the callee, for ``@name(...)``) and whether it is a call. One that
        may register what it decorates is a side effect. One named without a call
        is handed what it decorates, whose ``__module__`` is this module: if it
        rewrites the module of what it is handed, the module holds names no file
        defines (matplotlib's backends: ``@_Backend.export`` sets ``FigureCanvas``
        and ``new_figure_manager`` with ``setattr(sys.modules[cls.__module__],
        ...)``)."""
        for callee, called in decorators:
            if is_pure_decorator(callee):
                continue
            self.add_side_effect(ctx, line)
            if callee and not called and ctx.top_level and not ctx.main_block:
                self.facts.handovers.append(Handover(callee, line))

    def add_side_effect(self, ctx: Context, line: int) -> None:
        """A top-level statement that does more than bind the module's own names."""
        if ctx.top_level and not ctx.main_block and line not in self.facts.side_effects:
            self.facts.side_effects.append(line)

    def add_call(self, ctx: Context, callee: Optional[str], line: int) -> None:
        """``name(...)`` as a module-level statement (a helper that may warn)."""
        if not ctx.top_level or ctx.main_block or not callee or "." in callee:
            return
        if callee in self._all_mutators:
            # Run now, it may add any name: ``__all__`` lists at least its literal
            # names (published on purpose), and any others may follow.
            self.facts.all_dynamic = True
        self.facts.module_calls.append(
            ModuleCall(callee, line, conditional=ctx.conditional or ctx.guarded)
        )
