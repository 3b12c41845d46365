"""Configuration: ``[tool.ssot-scan]`` in pyproject.toml, or ssot-scan.toml.

Which file is the config, and which folder is the project root, is decided in
``project.py`` (like ruff: a pyproject.toml counts only with a ``[tool.ssot-scan]``
table). Every relative path in the config (roots, rule packs) is relative to the
root, and so are the paths in the output, so a report reads the same wherever CI
runs it from.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, Optional

import msgspec

from ssot_scan import structjson
from ssot_scan.errors import UsageError
from ssot_scan.options import CANONICAL_POLICIES, ENGINES
from ssot_scan.project import (
    FROM_CONFIG,
    FROM_MARKER,
    RootChoice,
    explicit_config,
    find_config_file,
    find_project_root,
    start_folder,
)
from ssot_scan.rulepacks import RULE_TABLES, Rules, load_pack, parse_rules
from ssot_scan.rules import ALL_CODES, expand_codes
from ssot_scan.tomlcompat import load_toml
from ssot_scan.validate import (
    check_keys,
    expect_bool,
    expect_gitignore_patterns,
    expect_int,
    expect_size,
    expect_str,
    expect_str_list,
)

# What a key reads into: the Config attribute, and the reader that checks its value
# (``where`` names the key in an error). Declared once, validated the same way.
Reader = Callable[[Any, str], Any]


class _Key(msgspec.Struct, frozen=True):
    """One ``[tool.ssot-scan]`` key: the ``Config`` attribute it sets and how its
    value is read and checked (a wrong type is an error naming the file and key)."""

    attr: str
    read: Reader


def _choice_of(options: tuple[str, ...]) -> Reader:
    return lambda value, where: choice(value, options, where)


def _codes(value: Any, where: str) -> list[str]:
    return codes(value, where)


def _selection(value: Any, where: str) -> list[str]:
    """``select``: codes, never none (an empty list would pass every gate silently)."""
    chosen = codes(value, where)
    if not chosen:
        raise UsageError(f"{where}: selects no rule; leave it out for all, or name codes")
    return chosen


def _budgets(value: Any, where: str) -> dict[str, int]:
    return budgets(value, where)


def _per_file_ignores(value: Any, where: str) -> dict[str, list[str]]:
    """``[tool.ssot-scan.per-file-ignores]``: gitignore-style globs (from the
    project root) -> the codes, prefixes or names to drop for the files they match."""
    if not isinstance(value, dict):
        raise UsageError(f"{where}: expected a table of glob = [codes]")
    table: dict[str, list[str]] = {}
    for pattern, selectors in value.items():
        expect_gitignore_patterns([pattern], where)
        if isinstance(selectors, str):
            selectors = [selectors]
        table[pattern] = codes(selectors, f"{where}.{pattern!r}")
    return table


TOP_KEYS: dict[str, _Key] = {
    "roots": _Key("roots", expect_str_list),
    "include": _Key("include", expect_str_list),
    "exclude": _Key("exclude", expect_gitignore_patterns),
    "respect-gitignore": _Key("respect_gitignore", expect_bool),
    "rule-packs": _Key("rule_packs", expect_str_list),
    "select": _Key("select", _selection),
    "ignore": _Key("ignore", _codes),
    "max-warnings": _Key("max_warnings", expect_int),
    "canonical-policy": _Key("canonical_policy", _choice_of(CANONICAL_POLICIES)),
    "engine": _Key("engine", _choice_of(ENGINES)),
    "max-file-size": _Key("max_file_size", expect_size),
    "budget": _Key("budget", _budgets),
    "baseline": _Key("baseline", expect_str),
    "per-file-ignores": _Key("per_file_ignores", _per_file_ignores),
}
# Per-check settings, as [tool.ssot-scan.<table>] key = value.
CHECK_TABLES: dict[str, dict[str, _Key]] = {
    "non-canonical": {
        "report-published": _Key("report_published", expect_bool),
        "strict": _Key("strict", expect_bool),
    },
    "competing-definitions": {
        "all-classes": _Key("all_classes", expect_bool),
        "ignore-names": _Key("ignore_names", expect_str_list),
    },
    "cycles": {"include-lazy": _Key("include_lazy", expect_bool)},
    "unresolved": {"include-guarded": _Key("include_guarded", expect_bool)},
}
KEYS = (*TOP_KEYS, *CHECK_TABLES, *RULE_TABLES)


class Config(msgspec.Struct):
    """Every setting of a run, from the config file, rule packs and the command line.

    One object, so the whole of what a result depends on can be serialised into the
    cache key (``scan._result_key``): a setting added here is keyed automatically."""

    # The sys.path entry everything is named from; None: decided from the scanned
    # paths by ``discover`` (``load_config`` always sets it).
    project_root: Optional[Path] = None
    config_file: Optional[Path] = None  # None: no config file, defaults throughout
    root_how: str = ""  # project.FROM_CONFIG / FROM_MARKER / FROM_PACKAGES
    root_marker: Optional[str] = None  # the marker that made the root, if one did
    roots: Optional[list[str]] = None
    include: list[str] = msgspec.field(default_factory=lambda: ["*.py"])
    exclude: list[str] = msgspec.field(default_factory=list)
    respect_gitignore: bool = True
    rule_packs: list[str] = msgspec.field(default_factory=list)
    select: list[str] = msgspec.field(default_factory=lambda: list(ALL_CODES))
    ignore: list[str] = msgspec.field(default_factory=list)
    max_warnings: Optional[int] = None
    canonical_policy: str = "most-used"
    engine: str = "auto"
    # A file larger than this is not read: it is an SSOT000 ("too large").
    max_file_size: int = 10_000_000
    # SSOT002 with a derived canonical path: also report imports through other paths
    # that publish the symbol (re-exports), not only through accidental ones.
    report_published: bool = False
    # SSOT002 strict: every usage through a path other than the canonical one is a
    # finding, derived canonical paths included (facades and defining modules too).
    strict: bool = False
    # SSOT003 without a watch list: report every class name defined in several
    # (non-test) modules, except these fnmatch patterns.
    all_classes: bool = False
    ignore_names: list[str] = msgspec.field(default_factory=list)
    include_lazy: bool = False  # SSOT004: count imports inside functions too
    include_guarded: bool = True  # SSOT005: report imports guarded by except ImportError
    budget: dict[str, int] = msgspec.field(default_factory=dict)  # code -> most findings allowed
    # glob (gitignore-style, from the project root) -> codes dropped in matching files
    per_file_ignores: dict[str, list[str]] = msgspec.field(default_factory=dict)
    baseline: Optional[str] = None  # a baseline file, relative to the project root
    rules: Rules = msgspec.field(default_factory=Rules)

    @property
    def root_choice(self) -> Optional[RootChoice]:
        if self.project_root is None:
            return None
        return RootChoice(self.project_root, self.root_how or FROM_CONFIG, self.root_marker)

    @property
    def cache_home(self) -> Optional[Path]:
        """Where ``.ssot_cache`` goes by default: the root of a real project (a config
        or a project marker decided it); None (the current folder) for packages
        with no project around them, so a scan of site-packages writes nothing there."""
        return self.project_root if self.root_how in (FROM_CONFIG, FROM_MARKER, "") else None

    @property
    def enabled_codes(self) -> list[str]:
        ignored = set(self.ignore)
        return [code for code in ALL_CODES if code in self.select and code not in ignored]

    def settings_text(self) -> str:
        """Every setting as one JSON text, keys sorted: equal settings, equal text, in
        any process (the cache keys discovery's and the whole result's answers by it)."""
        return structjson.canonical(self)


def _table(path: Path, label: str) -> dict[str, Any]:
    data = load_toml(path, label)
    if path.name == "pyproject.toml":
        tool = data.get("tool", {})
        table = tool.get("ssot-scan", {}) if isinstance(tool, dict) else {}
        if not isinstance(table, dict):
            raise UsageError(f"{label}: [tool.ssot-scan] must be a table")
        return table
    return data


def load_config(paths: list[Path], explicit: Optional[Path] = None) -> Config:
    """Find and read the project's configuration; raise ``UsageError`` on any flaw."""
    start = start_folder(paths)
    config_file = explicit_config(explicit) if explicit is not None else find_config_file(start)
    config = Config()
    if config_file is None:
        choice = find_project_root(start)
        config.project_root, config.root_how, config.root_marker = (
            choice.root,
            choice.how,
            choice.marker,
        )
        return config
    config.config_file = config_file
    config.project_root = config_file.parent
    config.root_how = FROM_CONFIG
    label = config_file.name if explicit is None else str(explicit)
    table = _table(config_file, label)
    prefix = f"{label}: [tool.ssot-scan]" if config_file.name == "pyproject.toml" else label
    apply_table(
        config, table, prefix, "tool.ssot-scan." if config_file.name == "pyproject.toml" else ""
    )
    return config


def apply_table(config: Config, table: dict[str, Any], where: str, table_prefix: str) -> None:
    """Read a ``[tool.ssot-scan]`` table into ``config``; every flaw is a
    ``UsageError`` naming the file and the key."""
    check_keys(table, KEYS, where)
    for key, spec in TOP_KEYS.items():
        if key in table:
            setattr(config, spec.attr, spec.read(table[key], f"{where}.{key}"))
    for name, keys in CHECK_TABLES.items():
        if name not in table:
            continue
        sub = table[name]
        if not isinstance(sub, dict):
            raise UsageError(f"{where}.{name}: expected a table ([tool.ssot-scan.{name}])")
        check_keys(sub, tuple(keys), f"{where}.{name}")
        for key, spec in keys.items():
            if key in sub:
                setattr(config, spec.attr, spec.read(sub[key], f"{where}.{name}.{key}"))
    config.rules.extend(parse_rules(table, where, table_prefix))


def budgets(value: Any, where: str) -> dict[str, int]:
    """``[tool.ssot-scan.budget] SSOT001 = 0``: exact codes to whole numbers."""
    if not isinstance(value, dict):
        raise UsageError(f"{where}: expected a table ([tool.ssot-scan.budget])")
    result: dict[str, int] = {}
    for key, limit in value.items():
        code = key.upper()
        if code not in ALL_CODES:
            known = ", ".join(ALL_CODES)
            raise UsageError(f"{where}: unknown rule code {key!r} (known: {known})")
        result[code] = expect_int(limit, f"{where}.{key}")
    return result


def codes(value: Any, where: str) -> list[str]:
    """Rule codes or prefixes (``SSOT00``), each checked against the registry."""
    items = expect_str_list(value, where) if not isinstance(value, str) else [value]
    return expand_codes(items, where)


def choice(value: Any, options: tuple[str, ...], where: str) -> str:
    text = expect_str(value, where)
    if text not in options:
        raise UsageError(f"{where}: {text!r} is not one of {', '.join(options)}")
    return text


def load_rule_packs(config: Config, cli_packs: list[str]) -> None:
    """Load the config's packs (relative to the project root) then the CLI's (to cwd)."""
    base = config.project_root or Path.cwd()
    where = config.config_file.name if config.config_file else "config"
    for spec in config.rule_packs:
        try:
            config.rules.extend(load_pack(spec, base))
        except UsageError as exc:
            raise UsageError(f"{where}: rule-packs: {exc}") from None
    for spec in cli_packs:
        try:
            config.rules.extend(load_pack(spec, Path.cwd()))
        except UsageError as exc:
            raise UsageError(f"--rules: {exc}") from None
