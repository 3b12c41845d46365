"""Which modules and definitions are deprecated, by rule pack or by the code itself.

The code deprecates a module with a module-level ``warnings.warn(msg, Category)``
(one under a module-level ``if``/``try`` only when its message names the module)
whose category is DeprecationWarning, PendingDeprecationWarning, FutureWarning, or a
project class derived from them (or named ``*Deprecat*``, since projects do subclass
``UserWarning`` for deprecations); it deprecates a class or function with
``@deprecated(...)``. A warning raised inside a function is a call-time deprecation
of that function, not of the module, and is left alone.
"""

from __future__ import annotations

import re
from functools import cached_property
from typing import Literal, Optional

import msgspec

from ssot_scan import dotted
from ssot_scan.discover import SourceFile
from ssot_scan.extract.builder import DEPRECATION_CATEGORIES
from ssot_scan.facts import ModuleFacts
from ssot_scan.index.symbols import DEFINITION, EXTERNAL, MODULE, SymbolTable
from ssot_scan.rulepacks import Rules

_POINTER = re.compile(r"\b(use|using|moved to|replaced by|in favou?r of|instead|see)\b[^.]*$")
_DOTTED = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)+")
_BARE = re.compile(r"(?<![\w.])([A-Za-z_][A-Za-z0-9_]*)(?!\w|\.\w)")


def names_module(message: str, module: str) -> bool:
    """Is the module itself the subject of a warning's "... is deprecated"?

    It must be named (its dotted name, a dotted tail of it such as
    ``urllib3.contrib.pyopenssl`` for a vendored copy, the last part of a top-level
    or package name, ``{__name__}`` or "this module") shortly before "deprecat" in
    the same sentence. "'urllib3[secure]' extra is deprecated" is about an extra,
    "cx_Oracle is deprecated" about a driver: neither deprecates the module.
    """
    parts = module.split(".")
    names = {".".join(parts[i:]) for i in range(len(parts))} | {"{__name__}", "this module"}
    lowered = message.lower()
    for name in sorted(names, key=len, reverse=True):
        for match in re.finditer(re.escape(name.lower()), lowered):
            before = lowered[match.start() - 1] if match.start() else " "
            after = lowered[match.end() : match.end() + 40]
            if (
                before.isalnum()
                or before in "._"
                or after[:1] in ("[", "_")
                or (after[:1].isalnum())
            ):
                continue
            if after[:1] == "." and after[1:2].isalpha():
                continue
            if re.match(r"^[^.;!?]{0,30}?deprecat", after):
                return True
    return False


class Deprecation(msgspec.Struct, frozen=True):
    """One deprecated module or symbol, with who declares it and its replacement:
    what SSOT001's message and advice quote."""

    target: str  # module, or definition qualname, or external dotted symbol
    replacement: Optional[str]
    reason: str  # the rule pack's reason or the warning's message
    origin: str  # where it is declared: "rule pack <file>" or "<path>:<line>"
    submodules: bool = False
    # Who says so: a rule pack (or the config), or the code itself (a warning, a
    # decorator): the advice quotes a pack's reason, and points at the code's line.
    declared_by: Literal["rule-pack", "code"] = "code"
    # The code warns only under a condition (the caller's frame, an environment
    # variable): some importers see the warning, not all.
    conditional: bool = False


class Deprecations:
    def __init__(
        self, symbols: SymbolTable, rules: Rules, source_of: dict[str, SourceFile]
    ) -> None:
        self.symbols = symbols
        self.modules: dict[str, Deprecation] = {}
        self.definitions: dict[str, Deprecation] = {}  # resolved first-party definitions
        self.external_symbols: dict[str, Deprecation] = {}  # literal dotted paths
        self._module_memo: dict[str, Optional[Deprecation]] = {}
        self._from_rules(rules)
        self._from_code(source_of)

    # -- sources --------------------------------------------------------------------
    def _from_rules(self, rules: Rules) -> None:
        for rule in rules.deprecated:
            origin = f"rule pack {rule.source.split(':')[0]}"
            entry = Deprecation(
                target=rule.target,
                replacement=rule.replacement,
                reason=rule.reason or "",
                origin=origin,
                submodules=rule.submodules,
                declared_by="rule-pack",
            )
            if rule.module is not None:
                self.modules.setdefault(rule.module, entry)
                continue
            resolved = self.symbols.resolve_dotted(rule.target)
            if resolved.kind == DEFINITION:
                self.definitions.setdefault(resolved.target, entry)
            elif resolved.kind == MODULE:
                self.modules.setdefault(resolved.target, entry)
            self.external_symbols.setdefault(rule.target, entry)

    def _from_code(self, source_of: dict[str, SourceFile]) -> None:
        for module, facts in self.symbols.modules.items():
            rel = source_of[module].rel
            for warning in facts.warnings:
                if self.modules.get(module) is not None:
                    break
                if warning.function:
                    continue  # runs only when called: see the module-level calls below
                if warning.conditional and not names_module(warning.message, module):
                    # A warning under `if`/`except` that names something else (Django's
                    # "cx_Oracle is deprecated" fallback) deprecates that, not the module.
                    continue
                if self.is_deprecation_category(module, warning.category):
                    self.modules[module] = Deprecation(
                        target=module,
                        replacement=self.replacement_in(warning.message, module),
                        reason=warning.message,
                        origin=f"{rel}:{warning.line}",
                    )
            if module not in self.modules:
                self._from_calls(module, facts, rel)
            if not facts.declares_deprecated():  # known without reading the definitions
                continue
            for definition in facts.definitions:
                if definition.deprecated is None or definition.kind == "assign":
                    continue
                qualname = f"{module}.{definition.name}"
                self.definitions.setdefault(
                    qualname,
                    Deprecation(
                        target=qualname,
                        replacement=self.replacement_in(definition.deprecated, qualname),
                        reason=definition.deprecated,
                        origin=f"{source_of[module].rel}:{definition.line}",
                    ),
                )

    def _from_calls(self, module: str, facts: ModuleFacts, rel: str) -> None:
        """A module-level call of the module's own function whose body warns with a
        deprecation category deprecates the module (one level of calls): the package
        that ends its ``__init__`` with ``_warn_on_import()``. A branch in that body
        (a look at the caller's frame, an early ``return``) makes it conditional, and
        the finding says so; such a warning must name the module, as a conditional
        one at module level must."""
        warn = {warning.function for warning in facts.warnings if warning.function}
        if not warn or not any(call.name in warn for call in facts.module_calls):
            return  # the definitions are read only for a call of a function that warns
        own = {d.name for d in facts.definitions if d.kind == "function" and not d.conditional}
        for call in facts.module_calls:
            if call.name not in own:
                continue
            for warning in facts.warnings:
                if warning.function != call.name:
                    continue
                if (call.conditional or warning.conditional) and not names_module(
                    warning.message, module
                ):
                    # A fallback's warning under `if`/`except`, as above; or one the
                    # helper gives only on a branch, about something else (prefect's
                    # legacy environment variables, after `if not found: return`).
                    continue
                if self.is_deprecation_category(module, warning.category):
                    self.modules[module] = Deprecation(
                        target=module,
                        replacement=self.replacement_in(warning.message, module),
                        reason=warning.message,
                        origin=f"{rel}:{call.line} (through {call.name}(), which warns "
                        f"at line {warning.line})",
                        conditional=warning.conditional or call.conditional,
                    )
                    return

    def is_deprecation_category(self, module: str, category: str, depth: int = 0) -> bool:
        """Does ``category`` (as written in ``module``) name a deprecation warning?"""
        if depth > 20:
            return False
        head = category.split(".")[0]
        resolved = None
        if head in self.symbols.bindings(module):
            resolved = self.symbols.resolve_expression(module, category)
        if resolved is None or resolved.kind == EXTERNAL:
            last = category.rsplit(".", 1)[-1]
            return last in DEPRECATION_CATEGORIES
        if resolved.kind != DEFINITION:
            return False
        definition = self.symbols.definition(resolved.target)
        if definition is None or definition.kind != "class":
            return False
        if "Deprecat" in definition.name and definition.bases:
            return True
        return any(
            self.is_deprecation_category(resolved.module, base, depth + 1)
            for base in definition.bases
        )

    def replacement_in(self, message: str, deprecated: str) -> Optional[str]:
        """The dotted path a message points to instead, if it names scanned code.

        Paths after "use", "moved to", "replaced by", "in favo(u)r of" win over the
        others; the deprecated thing itself and the modules containing it never
        count ("Importing X from a.b is deprecated" does not recommend ``a.b``).
        """
        preferred: Optional[str] = None
        fallback: Optional[str] = None
        for match in _DOTTED.finditer(message):
            candidate = match.group(0).rstrip(".")
            if dotted.is_within(deprecated, candidate):
                continue
            if not self.symbols.is_first_party(candidate):
                continue
            if self.symbols.resolve_dotted(candidate).kind not in (MODULE, DEFINITION):
                continue
            before = message[max(0, match.start() - 30) : match.start()].lower()
            if preferred is None and _POINTER.search(before):
                preferred = candidate
            fallback = fallback or candidate
        return preferred or fallback or self._sibling_in(message, deprecated)

    def _sibling_in(self, message: str, deprecated: str) -> Optional[str]:
        """A bare name the message points to (``use is_rotation_or_reflection``,
        astropy's ``@deprecated(alternative=...)``), found beside the deprecated
        thing: in its module, or else in the nearest package above it that has it
        (dagster's ``SourceAsset`` says "Use AssetSpec instead", which
        ``dagster._core.definitions.source_asset`` does not import and ``dagster``
        exports)."""
        home = dotted.parent(deprecated)
        if not home:
            return None
        for match in _BARE.finditer(message):
            name = match.group(1)
            if name == dotted.last(deprecated):
                continue
            before = message[max(0, match.start() - 30) : match.start()].lower()
            if not _POINTER.search(before):
                continue
            for place in dotted.self_and_ancestors(home):
                candidate = f"{place}.{name}"
                if self.symbols.resolve_dotted(candidate).kind in (MODULE, DEFINITION):
                    return candidate
        return None

    # -- queries --------------------------------------------------------------------
    def module(self, name: str) -> Optional[Deprecation]:
        """The deprecation covering importing ``name`` itself (not its submodules)."""
        try:  # asked of every import site: one look-up when known
            return self._module_memo[name]
        except KeyError:
            pass
        found = self.modules.get(name)
        covering = self._covering
        if found is None and covering:
            for package in dotted.ancestors(name):
                if package in covering:
                    found = self.modules[package]
                    break
        self._module_memo[name] = found
        return found

    @cached_property
    def _covering(self) -> frozenset[str]:
        """The deprecated packages whose submodules are deprecated with them: most
        projects have none, and then a name that is not itself a deprecated module
        needs no walk up its packages (asked of every name imported)."""
        return frozenset(module for module, found in self.modules.items() if found.submodules)

    def inside_deprecated(self, name: str) -> Optional[str]:
        """The deprecated module ``name`` is, or lies inside (a package), if any."""
        return next((p for p in dotted.self_and_ancestors(name) if p in self.modules), None)
