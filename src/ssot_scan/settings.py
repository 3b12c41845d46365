"""``--show-settings`` and ``--show-files``: what the tool decided, before it scans.

Every wrong finding on an unfamiliar layout started as a wrong decision about the
project (its root, its roots, which names are first-party, which file a name
imports): these listings make each decision visible and cheap to check.
"""

from __future__ import annotations

from ssot_scan.config import Config
from ssot_scan.discover import Discovery
from ssot_scan.project import FROM_CONFIG, FROM_MARKER


def _root_reason(config: Config, found: Discovery) -> str:
    choice = found.root
    if choice is None:
        return ""
    if choice.how == FROM_CONFIG:
        return "the folder of the config file"
    if choice.how == FROM_MARKER:
        return f"nearest folder with {choice.marker} that is not inside a package"
    return "no project marker above: the folder above the top package"


def _list(values: list[str]) -> str:
    return ", ".join(values) if values else "(none)"


def settings_listing(config: Config, found: Discovery) -> str:
    base = found.base
    entries = []
    for entry in found.entries:
        try:
            rel = entry.relative_to(base).as_posix()
        except ValueError:
            rel = str(entry)
        entries.append(rel if rel != "." else ". (project root)")
    packs = config.rules.packs
    lines = [
        f"project root: {base} ({_root_reason(config, found)})",
        f"config file: {config.config_file if config.config_file else 'none'}",
        f"roots (sys.path entries, in order): {_list(entries)}",
        f"first-party: {_list(sorted(found.first_party))}",
        f"files: {len(found.files)} ({sum(1 for f in found.files if f.module)} importable)",
        f"report: {_list(found.scope) if found.scope is not None else 'the whole project'}",
        f"include: {_list(config.include)}",
        f"exclude: {_list(config.exclude)}",
        f"respect-gitignore: {'true' if config.respect_gitignore else 'false'}",
        f"rule packs: {_list(packs)}",
        f"select: {_list(config.select)}",
        f"ignore: {_list(config.ignore)}",
        f"engine: {config.engine}",
        f"canonical-policy: {config.canonical_policy}",
    ]
    return "\n".join(lines) + "\n"


def files_listing(found: Discovery) -> str:
    """One line per discovered file: ``rel<TAB>dotted name`` or why it has none."""
    return "".join(f"{f.rel}\t{f.status}\n" for f in found.files)
