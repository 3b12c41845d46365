"""SSOT003 competing-definitions."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from ssot_scan.checks.base import Check, Example, shortened
from ssot_scan.competition import CompetingName, ExtraDefinition
from ssot_scan.findings import Finding, import_statement
from ssot_scan.rules import BY_CODE

if TYPE_CHECKING:
    from ssot_scan.analysis import Analysis
    from ssot_scan.index import Usage

_SHOWN = 6


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
        for competing in analysis.competing_names:
            # One finding for the name, at the first import that reaches another
            # definition and is not already an SSOT001 import; the rest are related.
            others = [
                u
                for u in competing.others
                if not analysis.superseded(
                    self.code, u.source.rel, u.site.line, import_statement(u.site, [u.imported])
                )
            ]
            if others:
                yield self._competing(competing, others)
        for extra in analysis.extra_definitions:
            yield self._extra(extra)

    def _competing(self, competing: CompetingName, others: list[Usage]) -> Finding:
        first = others[0]
        also = [f"{u.source.rel}:{u.site.line}" for u in others[1:]]
        listed = shortened(also, _SHOWN)
        return self.finding(
            first.source.rel,
            first.site,
            _message(competing, first) + (f"; also imported so at {listed}" if also else ""),
            symbol=competing.name,
            imported_from=first.site.target,
            canonical=competing.canonical,
            statement=import_statement(first.site, [first.imported]),
            group=competing.name,
            related=[
                {"path": u.source.rel, "line": u.site.line, "column": u.site.column}
                for u in others[1:]
            ],
        )

    def _extra(self, extra: ExtraDefinition) -> Finding:
        binding, definition, what = extra.binding, extra.binding.definition, extra.what
        others = [o for o in extra.objects if o != binding.target and o not in extra.kept]
        listed = shortened([f"`{o}`" for o in others], _SHOWN) or "none"
        if definition.kind == "assign":
            head = (
                f"`{definition.name} = {definition.alias_of}` binds {what} to `{binding.target}`"
            )
        else:
            head = f"`{binding.target}` is another definition of {what}"
        keep = ", ".join(f"`{k}`" for k in extra.kept)
        limit = extra.limit
        return self.finding(
            binding.source.rel,
            (definition.line, definition.column),
            f"{head}: {len(extra.objects)} definitions where at most {limit} "
            f"{'is' if limit == 1 else 'are'} wanted (keep {keep}; others: {listed})",
            end=(definition.line, definition.column + len(definition.name)),
            symbol=binding.target,
            canonical=extra.kept[0],
            statement=f"{definition.kind} {definition.name}",
            group=what,
        )


def _message(competing: CompetingName, here: Usage) -> str:
    name, canonical = competing.name, competing.canonical
    paths: dict[str, tuple[str, int]] = {}
    for use in competing.group:
        path = use.site.target or ""
        definition, count = paths.get(path, (use.definition, 0))
        paths[path] = (definition, count + 1)
    listed = sorted(paths.items(), key=lambda kv: (kv[1][0] != canonical, kv[0]))
    shown = shortened(
        [
            f"{path} -> {definition} ({count} import{'s' if count != 1 else ''})"
            for path, (definition, count) in listed
        ],
        _SHOWN,
        "; ",
        "; and {} more paths",
    )
    n = len({u.definition for u in competing.group})
    return (
        f"`{name}` names {n} different definitions depending on the import path; "
        f"this import reaches `{here.definition}`, not `{canonical}`: {shown}"
    )
