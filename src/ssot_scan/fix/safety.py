"""What keeps a program's behaviour: moves that would drop an import's side
effects are refused, and the written tree is checked again."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Optional

import msgspec

from ssot_scan import dotted
from ssot_scan.findings import Finding
from ssot_scan.fix.moves import FileFix, Move

if TYPE_CHECKING:
    from ssot_scan.facts import ImportSite, ModuleFacts
    from ssot_scan.project_view import ProjectView


def keep_side_effects(
    moves: dict[str, list[Move]], view: ProjectView
) -> tuple[dict[str, list[Move]], list[str]]:
    """The moves that keep the program's behaviour, and why the others are refused.

    Importing a module runs it. A move that stops a file from importing a module
    whose top level does more than bind names (a call, a registering decorator, an
    assignment into another object) would drop that effect, unless the file still
    imports the module some other way, or the new module's own import chain runs it.
    A deprecation warning is no such effect: dropping it is the point of the move.
    """
    kept: dict[str, list[Move]] = {}
    refused: list[str] = []
    view.preload([*moves, *(m.origin for file_moves in moves.values() for m in file_moves)])
    for rel, file_moves in moves.items():
        facts = view.facts_of(rel)
        for move in file_moves:
            origin = view.modules.get(move.origin)
            effects = origin.side_effects if origin is not None else []
            if not effects or _still_runs(move, file_moves, facts, view):
                kept.setdefault(rel, []).append(move)
                continue
            refused.append(
                f"{rel}:{move.line}: not moved: importing `{move.origin}` runs code "
                f"(line {effects[0]}) that `from {move.module} import {move.name}` would "
                "no longer run"
            )
    return kept, refused


def _still_runs(move: Move, moves: list[Move], facts: ModuleFacts, view: ProjectView) -> bool:
    """Does the file still run ``move.origin`` once the move is made?"""
    origin = move.origin
    if dotted.is_within(move.module, origin) or origin in dotted.ancestors(move.module):
        return True  # importing the new module runs its packages, the old one among them
    for site in facts.imports:
        if site.target is None or not dotted.is_within(site.target, origin):
            continue
        if (site.line, site.column) != (move.line, move.column):
            return True  # another import of the module stays
        moving = {m.imported for m in moves if (m.line, m.column) == (site.line, site.column)}
        if any(n.name not in moving for n in site.names):
            return True  # the statement keeps a name, so the import stays
    return view.runs(move.module, origin)


def refusals(findings: Sequence[Finding]) -> list[str]:
    """Why the SSOT001 findings ``fix`` leaves alone are left alone."""
    reasons = []
    for finding in findings:
        if finding.code != "SSOT001" or finding.rewrite is not None:
            continue
        replacement = finding.replacement
        if replacement is None:
            why = "no replacement is known"
        elif replacement.name is None:
            why = f"only a module is named (`{replacement.module}`): which name to use is unknown"
        else:
            why = (
                f"`{replacement.name}` from `{replacement.module}` is not shown to be the "
                "same object"
            )
        reasons.append(f"{finding.path}:{finding.line}: not moved: {why}")
    return reasons


def verify(
    fixes: Sequence[FileFix],
    view: ProjectView,
    unresolved_before: int,
    include_guarded: bool,
    changed: Optional[Mapping[str, ModuleFacts]] = None,
) -> list[str]:
    """What went wrong, read off the written tree: a moved name that no longer binds
    its definition, or more unresolved imports in the touched files (in their
    imports ``changed`` holds, when given: the statements the rewrite changed)."""
    problems = []
    view.preload(m.module for item in fixes for m in item.moves)
    for item in fixes:
        for move in item.moves:
            if not move.definition:
                continue
            found = view.symbols.resolve(move.module, move.name)
            if found.target != move.definition:
                problems.append(
                    f"{item.rel}: `from {move.module} import {move.name}` reaches "
                    f"`{found.target}`, not `{move.definition}`"
                )
    after = len(view.unresolved([f.rel for f in fixes], include_guarded, changed))
    if after > unresolved_before:
        problems.append(
            f"the rewritten files have {after} unresolved imports, {unresolved_before} before"
        )
    return problems


def changed_imports(old: ModuleFacts, new: ModuleFacts) -> tuple[ModuleFacts, ModuleFacts]:
    """``old`` and ``new`` with only the import statements the other lacks."""

    def signature(site: ImportSite) -> tuple[object, ...]:
        names = frozenset((n.name, n.asname) for n in site.names)
        return (site.kind, site.target, site.level, site.raw_module, site.asname, names)

    old_keys = {signature(site) for site in old.imports}
    new_keys = {signature(site) for site in new.imports}
    return (
        msgspec.structs.replace(
            old, imports=[s for s in old.imports if signature(s) not in new_keys]
        ),
        msgspec.structs.replace(
            new, imports=[s for s in new.imports if signature(s) not in old_keys]
        ),
    )
