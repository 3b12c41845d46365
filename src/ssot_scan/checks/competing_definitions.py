"""SSOT003 competing-definitions."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from fnmatch import fnmatchcase
from typing import TYPE_CHECKING

from ssot_scan import dotted
from ssot_scan.checks.base import Check, Example
from ssot_scan.discover import SourceFile, is_test_path
from ssot_scan.facts import Definition
from ssot_scan.findings import Finding, import_statement
from ssot_scan.index import Usage
from ssot_scan.index.symbols import DEFINITION, _FromBinding
from ssot_scan.rules import BY_CODE

if TYPE_CHECKING:
    from ssot_scan.analysis import Analysis
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


class CompetingDefinitions(Check):
    """Competing imports of one name, watched names, and (opt-in) every class name
    defined in several modules (docs: the registry)."""

    rule = BY_CODE["SSOT003"]

    INVALID = (
        Example(
            {
                "pkg/__init__.py": "",
                "pkg/ws.py": "class WsManager:\n    pass\n",
                "pkg/http.py": "class HttpManager:\n    pass\n",
                "pkg/app.py": "from pkg.ws import WsManager\n",
            },
            expect=("pkg/http.py:1",),
            config='[[tool.ssot-scan.watch]]\nname = "*Manager"\n',
            note="a watched name allows one definition; the most imported one is kept",
        ),
    )
    VALID = (
        Example(
            {
                "pkg/__init__.py": "",
                "pkg/client.py": "class Request:\n    pass\n",
                "pkg/server.py": "class Request:\n    pass\n",
                "pkg/a.py": "from pkg.client import Request\n",
                "pkg/b.py": "from pkg.server import Request as ServerRequest\n",
            },
            note="an import that renames on the way in knows which one it wants",
        ),
    )

    def run(self, analysis: Analysis) -> Iterator[Finding]:
        index, config = analysis.index, analysis.config
        uses = analysis.usages
        yield from self._competing_imports(analysis, uses)
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
    def _competing_imports(self, analysis: Analysis, uses: list[Usage]) -> Iterator[Finding]:
        index = analysis.index
        by_name: dict[str, list[Usage]] = {}
        for use in uses:
            # ``import Loader as FilesystemLoader`` knows it is not "the" Loader.
            if use.imported.asname in (None, use.imported.name):
                by_name.setdefault(use.imported.name, []).append(use)
        declared = set(analysis.declared_canonical)
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
                        dotted.last(d) != name,
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
                if not analysis.superseded(
                    self.code, u.source.rel, u.site.line, import_statement(u.site, [u.imported])
                )
            ]
            if not others:
                continue
            first = others[0]
            yield self.finding(
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
                if one == two or dotted.parent(first) != dotted.parent(second):
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
                    dotted.last(one) == name == dotted.last(two)
                    and self._is_class(index, one)
                    and self._is_class(index, two)
                    and dotted.parent(dotted.parent(one)) == dotted.parent(dotted.parent(two))
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
        if index.deprecations.inside_deprecated(path) or "compat" in dotted.last(path):
            return True
        defining = dotted.parent(definition)
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
            module = dotted.parent(current)
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
                (definition.line, definition.column),
                f"{head}: {len(objects)} definitions where at most {limit} "
                f"{'is' if limit == 1 else 'are'} wanted (keep {keep}; others: {listed})",
                end=(definition.line, definition.column + len(definition.name)),
                symbol=binding.target,
                canonical=kept[0],
                statement=f"{definition.kind} {definition.name}",
                group=what,
            )

    @staticmethod
    def _rel(index: Index, qualname: str) -> str:
        source = index.source_of.get(dotted.parent(qualname))
        return source.rel if source is not None else ""
