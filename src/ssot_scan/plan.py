"""``ssot-scan plan``: a rule pack for people to review, from what the scan found.

A ``[[canonical]]`` entry for every fragmented symbol (its derived canonical path,
a public path that is not deprecated preferred over a ``_private`` one), with the
paths in use and their site counts as a comment, and a ``[[deprecated]]`` entry for
every deprecation the code itself declares (a warning on import, ``@deprecated``),
with the replacement its message names. Loaded as a rule pack it makes every
declared symbol strict: each path but the declared one is then SSOT002.
"""

from __future__ import annotations

import json

from ssot_scan import __version__
from ssot_scan.analysis import Analysis
from ssot_scan.fragmentation import Fragment


def _string(value: str) -> str:
    """A TOML basic string (JSON's escapes are TOML's)."""
    return json.dumps(value, ensure_ascii=False)


def _public(path: str) -> bool:
    return not any(part.startswith("_") for part in path.split("."))


def planned_canonical(analysis: Analysis, fragment: Fragment) -> str:
    """The derived canonical path, unless it is private and a public path that is
    not deprecated exports the symbol too (the shortest of those, then)."""
    if _public(fragment.canonical):
        return fragment.canonical
    deprecations = analysis.deprecations
    public = [
        p
        for p in fragment.paths
        if _public(p) and deprecations.inside_deprecated(p) is None and p in fragment.names
    ]
    return min(public, key=lambda p: (p.count("."), len(p), p)) if public else fragment.canonical


def render_plan(analysis: Analysis) -> str:
    lines = [
        f"# Written by ssot-scan {__version__} `plan`: review every entry before loading",
        '# it as a rule pack (rule-packs = ["<this file>"]); declared canonical paths',
        "# are strict: every other path to the symbol becomes an SSOT002 finding.",
        'name = "ssot-plan"',
        'description = "Canonical paths and deprecations found by ssot-scan plan"',
    ]
    for fragment in analysis.fragments:
        canonical = planned_canonical(analysis, fragment)
        in_use = sorted(
            ((n, p) for p, n in fragment.counts.items() if n), key=lambda t: (-t[0], t[1])
        )
        used = ", ".join(f"{p} ({n} site{'s' if n != 1 else ''})" for n, p in in_use)
        lines += [
            "",
            f"# paths in use: {used}",
            "[[canonical]]",
            f"symbol = {_string(fragment.symbol)}",
            f"path = {_string(canonical)}",
        ]
    deprecations = analysis.deprecations
    found = [
        ("module", target, dep)
        for target, dep in sorted(deprecations.modules.items())
        if dep.declared_by == "code"
    ] + [
        ("symbol", target, dep)
        for target, dep in sorted(deprecations.definitions.items())
        if dep.declared_by == "code"
    ]
    for key, target, dep in found:
        lines += ["", f"# declared by the code at {dep.origin}", "[[deprecated]]"]
        lines.append(f"{key} = {_string(target)}")
        if dep.replacement:
            lines.append(f"replacement = {_string(dep.replacement)}")
        reason = " ".join(dep.reason.split())
        if reason:
            lines.append(f"reason = {_string(reason)}")
    return "\n".join(lines) + "\n"
