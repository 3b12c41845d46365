"""SSOT003 competing-definitions."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from fnmatch import fnmatchcase
from typing import TYPE_CHECKING

from ssot_scan.checks.base import Check
from ssot_scan.discover import SourceFile, is_test_path
from ssot_scan.facts import Definition
from ssot_scan.findings import Finding, import_statement
from ssot_scan.index import Usage
from ssot_scan.index.symbols import DEFINITION, _FromBinding

if TYPE_CHECKING:
    from ssot_scan.config import Config
    from ssot_scan.index import Index
    from ssot_scan.rulepacks import WatchRule

_SHOWN = 6


@dataclass
class _Binding:
    """A module-level class, function or ``X = Y`` alias bound to a watched name."""

    source: SourceFile
    definition: Definition
    target: str  # the object it binds: its own qualname, or what the alias resolves to


def _parent(dotted: str) -> str:
    return dotted.rsplit(".", 1)[0] if "." in dotted else ""


class CompetingDefinitions(Check):
    """One name, several definitions competing to be "the" one.

    1. An imported name that reaches *different* definitions depending on the
       module it is imported from — ``WebSocketManager`` is the unified manager
       through the compat shim and a factory class through the canonical module.
       Reported once per name, at the first import that reaches a definition other
       than the canonical one (the one a ``[[canonical]]`` rule names, else the one
       most imports reach), with every other such import as a related location.
       Only where the definitions compete for one concept: two imports from
       sibling modules reach different definitions, and a path renames another
       module's object to the name (an ``X = Y`` alias of an imported ``Y``,
       ``import Y as X``), or is a deprecated or ``*compat*`` module, or both
       definitions are classes carrying the name themselves in modules of one
       package without one inheriting from the other. Namespaced homonyms such as
       ``django.forms.Field`` and ``django.db.models.Field`` are left alone, and
       so are imports that rename on the way in (``import Loader as
       FilesystemLoader`` knows which one it wants).
    2. Watched names: a rule pack's ``[[watch]] name = "*WebSocketManager"`` with
       ``max-definitions = 1`` (the default): every class or function definition
       beyond the limit, and every module-level ``X = Y`` alias that binds a
       watched name to another object, is reported at its definition, naming the
       others. Test modules are left out unless ``include-tests = true``. The
       definitions kept are the most imported ones outside tests.
    3. Without a watch list, class names defined in several modules are not
       reported (Django alone has dozens of legitimate ``Migration`` classes),
       unless ``[tool.ssot-scan.competing-definitions] all-classes = true``; then
       test modules and ``ignore-names`` (fnmatch patterns) are left out.

    Why it matters: code that imports "the" ``WebSocketManager`` gets a different
    class depending on the path it took; isinstance checks, registries and patches
    silently apply to one and miss the other.

    An import already reported as SSOT001 is not reported again.
    """

    code = "SSOT003"
    name = "competing-definitions"

    def run(self, index: Index, config: Config, earlier: list[Finding]) -> Iterator[Finding]:
        reported = {(f.path, f.line, f.statement) for f in earlier if f.code == "SSOT001"}
        uses = index.usages()
        yield from self._competing_imports(index, config, uses, reported)
        # "Most imported" counts application code: a mock imported by every test
        # must not become the definition to keep.
        imported_counts = Counter(
            use.definition for use in uses if not is_test_path(use.source.rel)
        )
        # A definition matched by two watch rules (or by one and all-classes) is
        # still one finding: the first rule that reports it wins.
        seen: set[tuple[str, int, int]] = set()
        watched = [
            finding
            for rule in config.rules.watch
            for finding in self._watched(index, rule, imported_counts)
        ]
        if config.all_classes:
            watched.extend(self._all_classes(index, config, imported_counts))
        for finding in watched:
            key = (finding.path, finding.line, finding.column)
            if key not in seen:
                seen.add(key)
                yield finding

    # -- 1: one imported name, several definitions ----------------------------------
    def _competing_imports(
        self,
        index: Index,
        config: Config,
        uses: list[Usage],
        reported: set[tuple[str, int, str]],
    ) -> Iterator[Finding]:
        by_name: dict[str, list[Usage]] = {}
        for use in uses:
            # ``import Loader as FilesystemLoader`` knows it is not "the" Loader.
            if use.imported.asname in (None, use.imported.name):
                by_name.setdefault(use.imported.name, []).append(use)
        declared = self._declared(index, config)
        for name, group in sorted(by_name.items()):
            definitions = Counter(use.definition for use in group)
            if len(definitions) < 2 or not self._compete(index, name, group):
                continue
            canonical = next((d for d in definitions if d in declared), None)
            if canonical is None:
                # The most imported, but never a deprecated one while another exists.
                canonical = min(
                    definitions,
                    key=lambda d: (
                        self._deprecated(index, d, group),
                        -definitions[d],
                        d.rsplit(".", 1)[-1] != name,
                        len(d),
                        d,
                    ),
                )
            others = sorted(
                (u for u in group if u.definition != canonical),
                key=lambda u: (u.source.rel, u.site.line, u.site.column),
            )
            others = [
                u
                for u in others
                if (u.source.rel, u.site.line, import_statement(u.site, [u.imported]))
                not in reported
            ]
            if not others:
                continue
            first = others[0]
            yield self.at_site(
                first.source.rel,
                first.site,
                self._message(name, group, canonical, first),
                symbol=name,
                imported_from=first.site.target,
                canonical=canonical,
                statement=import_statement(first.site, [first.imported]),
                group=name,
                related=[
                    {"path": u.source.rel, "line": u.site.line, "column": u.site.column}
                    for u in others[1:]
                ],
            )

    @staticmethod
    def _deprecated(index: Index, definition: str, group: list[Usage]) -> bool:
        """Deprecated itself, or reached only through deprecated paths."""
        if definition in index.deprecations.definitions:
            return True
        paths = {u.site.target or "" for u in group if u.definition == definition}
        return all(index.deprecations.inside_deprecated(p) for p in paths)

    def _declared(self, index: Index, config: Config) -> set[str]:
        declared: set[str] = set()
        for rule in config.rules.canonical:
            resolved = index.symbols.resolve_dotted(rule.symbol)
            if resolved.kind == DEFINITION:
                declared.add(resolved.target)
        return declared

    def _compete(self, index: Index, name: str, group: list[Usage]) -> bool:
        """Do these definitions compete for one concept, or merely share a name?

        They compete when two imports from *sibling* modules (one package) reach
        different definitions and one of these holds: a path renames another
        module's object to the name (``X = Y`` of an imported ``Y``, ``import Y as
        X``); a path is deprecated or a ``*compat*`` module; or both definitions
        are classes carrying the name themselves, in modules of one package,
        neither inheriting from the other (a class is a concept: isinstance checks
        and registries care which one; two helper functions that share a name
        are, at worst, interchangeable). A local nickname (``X = XGate`` beside
        ``class XGate``) is not a rename, and paths in different packages are
        namespaces, not rivals.
        """
        by_path: dict[str, str] = {}
        for use in group:
            by_path.setdefault(use.site.target or "", use.definition)
        paths = sorted(by_path)
        for i, first in enumerate(paths):
            for second in paths[i + 1 :]:
                one, two = by_path[first], by_path[second]
                if one == two or _parent(first) != _parent(second):
                    continue
                if (
                    first in index.symbols.package_modules
                    or second in index.symbols.package_modules
                ):
                    continue  # sibling packages are namespaces (sympy.core, sympy.stats)
                if self._suspect_path(index, first, name, one) or self._suspect_path(
                    index, second, name, two
                ):
                    return True
                if (
                    one.rsplit(".", 1)[-1] == name == two.rsplit(".", 1)[-1]
                    and self._is_class(index, one)
                    and self._is_class(index, two)
                    and _parent(_parent(one)) == _parent(_parent(two))
                    and two not in self._ancestors(index, one)
                    and one not in self._ancestors(index, two)
                ):
                    return True
        return False

    @staticmethod
    def _is_class(index: Index, qualname: str) -> bool:
        definition = index.symbols.definition(qualname)
        return definition is not None and definition.kind == "class"

    def _suspect_path(self, index: Index, path: str, name: str, definition: str) -> bool:
        """Deprecated or compat, or renames another module's object to ``name``."""
        if index.deprecations.inside_deprecated(path) or "compat" in path.rsplit(".", 1)[-1]:
            return True
        defining = definition.rsplit(".", 1)[0]
        module = path
        for _ in range(50):
            binding = index.symbols.bindings(module).get(name)
            if isinstance(binding, Definition):
                return binding.alias_of is not None and module != defining
            if not isinstance(binding, _FromBinding) or binding.module is None:
                return False
            if binding.name != name:
                return True
            if binding.module == module:
                return False
            module = binding.module
        return False

    def _ancestors(self, index: Index, qualname: str) -> set[str]:
        """Base classes of a class definition, transitively, as resolved qualnames."""
        found: set[str] = set()
        pending = [qualname]
        while pending and len(found) < 50:
            current = pending.pop()
            module = current.rsplit(".", 1)[0]
            definition = index.symbols.definition(current)
            if definition is None or definition.kind != "class":
                continue
            for base in definition.bases:
                resolved = index.symbols.resolve_expression(module, base)
                if (
                    resolved is not None
                    and resolved.kind == DEFINITION
                    and resolved.target not in found
                ):
                    found.add(resolved.target)
                    pending.append(resolved.target)
        return found

    def _message(self, name: str, group: list[Usage], canonical: str, here: Usage) -> str:
        paths: dict[str, tuple[str, int]] = {}
        for use in group:
            path = use.site.target or ""
            definition, count = paths.get(path, (use.definition, 0))
            paths[path] = (definition, count + 1)
        listed = sorted(paths.items(), key=lambda kv: (kv[1][0] != canonical, kv[0]))
        shown = "; ".join(
            f"{path} -> {definition} ({count} import{'s' if count != 1 else ''})"
            for path, (definition, count) in listed[:_SHOWN]
        )
        if len(listed) > _SHOWN:
            shown += f"; and {len(listed) - _SHOWN} more paths"
        n = len({u.definition for u in group})
        return (
            f"`{name}` names {n} different definitions depending on the import path; "
            f"this import reaches `{here.definition}`, not `{canonical}`: {shown}"
        )

    # -- 2: watched names -------------------------------------------------------------
    def _watched(self, index: Index, rule: WatchRule, imported: Counter[str]) -> Iterator[Finding]:
        bindings = self._bindings(
            index,
            lambda d: fnmatchcase(d.name, rule.name),
            include_tests=rule.include_tests,
            aliases=True,
        )
        yield from self._over_limit(
            index, bindings, rule.max_definitions, imported, f"watched `{rule.name}`"
        )

    def _all_classes(
        self, index: Index, config: Config, imported: Counter[str]
    ) -> Iterator[Finding]:
        by_name: dict[str, list[_Binding]] = {}
        for binding in self._bindings(
            index,
            lambda d: (
                d.kind == "class" and not any(fnmatchcase(d.name, p) for p in config.ignore_names)
            ),
            include_tests=False,
            aliases=False,
        ):
            by_name.setdefault(binding.definition.name, []).append(binding)
        for name, bindings in sorted(by_name.items()):
            yield from self._over_limit(index, bindings, 1, imported, f"class name `{name}`")

    def _bindings(
        self,
        index: Index,
        matches: object,
        include_tests: bool,
        aliases: bool,
    ) -> list[_Binding]:
        found: list[_Binding] = []
        for source, facts in index.files:
            if source.module is None or (not include_tests and is_test_path(source.rel)):
                continue
            for definition in facts.definitions:
                if not matches(definition):  # type: ignore[operator]
                    continue
                if definition.kind in ("class", "function"):
                    found.append(
                        _Binding(source, definition, f"{source.module}.{definition.name}")
                    )
                elif aliases and definition.alias_of:
                    resolved = index.symbols.resolve(source.module, definition.name)
                    if resolved.kind == DEFINITION and resolved.target != (
                        f"{source.module}.{definition.name}"
                    ):
                        found.append(_Binding(source, definition, resolved.target))
        return found

    def _over_limit(
        self,
        index: Index,
        bindings: list[_Binding],
        limit: int,
        imported: Counter[str],
        what: str,
    ) -> Iterator[Finding]:
        objects = sorted(
            {b.target for b in bindings},
            key=lambda t: (is_test_path(self._rel(index, t)), -imported[t], len(t), t),
        )
        if len(objects) <= limit:
            return
        kept = objects[:limit]
        for binding in sorted(bindings, key=lambda b: (b.source.rel, b.definition.line)):
            if binding.target in kept:
                continue
            definition = binding.definition
            others = [o for o in objects if o != binding.target and o not in kept]
            listed = ", ".join(f"`{o}`" for o in others[:_SHOWN]) or "none"
            if len(others) > _SHOWN:
                listed += f" and {len(others) - _SHOWN} more"
            if definition.kind == "assign":
                head = (
                    f"`{definition.name} = {definition.alias_of}` binds {what} to "
                    f"`{binding.target}`"
                )
            else:
                head = f"`{binding.target}` is another definition of {what}"
            keep = ", ".join(f"`{k}`" for k in kept)
            yield self.finding(
                binding.source.rel,
                definition.line,
                definition.column,
                f"{head}: {len(objects)} definitions where at most {limit} "
                f"{'is' if limit == 1 else 'are'} wanted (keep {keep}; others: {listed})",
                (definition.line, definition.column + len(definition.name)),
                symbol=binding.target,
                canonical=kept[0],
                statement=f"{definition.kind} {definition.name}",
                group=what,
            )

    @staticmethod
    def _rel(index: Index, qualname: str) -> str:
        source = index.paths.get(qualname.rsplit(".", 1)[0])
        return source.rel if source is not None else ""
