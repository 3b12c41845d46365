"""Rule packs: TOML files declaring deprecated modules/symbols and canonical paths.

A pack is named by path, or by the stem of a pack shipped with ssot-scan
(``--rules python-stdlib``). The same tables may also sit inline in the project's
``[tool.ssot-scan]`` config, so both are read by ``parse_rules``.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any, Optional

import msgspec

from ssot_scan.errors import UsageError
from ssot_scan.tomlcompat import load_toml
from ssot_scan.validate import (
    check_keys,
    expect_bool,
    expect_dotted,
    expect_int,
    expect_str,
    expect_table_list,
)


class DeprecatedRule(msgspec.Struct, frozen=True):
    """``module`` or ``symbol`` (exactly one) is deprecated; use ``replacement``."""

    module: Optional[str]
    symbol: Optional[str]
    replacement: Optional[str]
    reason: Optional[str]
    submodules: bool
    source: str  # "<file>: deprecated[i]", for messages

    @property
    def target(self) -> str:
        return self.module or self.symbol or ""


class CanonicalRule(msgspec.Struct, frozen=True):
    """Import ``symbol`` (a dotted path that resolves to a definition) from ``path``."""

    symbol: str
    path: str
    source: str


class WatchRule(msgspec.Struct, frozen=True):
    """At most ``max_definitions`` distinct classes/functions under names matching
    ``name`` (an fnmatch pattern, e.g. ``*WebSocketManager``)."""

    name: str
    max_definitions: int
    include_tests: bool
    source: str


class Rules(msgspec.Struct):
    """The rules of every loaded pack and of the config, merged in load order."""

    deprecated: list[DeprecatedRule] = msgspec.field(default_factory=list)
    canonical: list[CanonicalRule] = msgspec.field(default_factory=list)
    watch: list[WatchRule] = msgspec.field(default_factory=list)
    packs: list[str] = msgspec.field(default_factory=list)  # names/paths loaded, in order

    def extend(self, other: Rules) -> None:
        self.deprecated.extend(other.deprecated)
        self.canonical.extend(other.canonical)
        self.watch.extend(other.watch)
        self.packs.extend(other.packs)


RULE_TABLES = ("deprecated", "canonical", "watch")
PACK_KEYS = ("name", "description", *RULE_TABLES)


def shipped_packs_dir() -> Path:
    """Where packs shipped with ssot-scan live: inside the wheel, or the repo's rules/."""
    installed = Path(__file__).resolve().parent / "rules"
    if installed.is_dir():
        return installed
    return Path(__file__).resolve().parents[2] / "rules"


def shipped_pack_names() -> list[str]:
    folder = shipped_packs_dir()
    return sorted(p.stem for p in folder.glob("*.toml")) if folder.is_dir() else []


def parse_rules(data: dict[str, Any], label: str, table_prefix: str = "") -> Rules:
    """Read ``[[deprecated]]``, ``[[canonical]]`` and ``[[watch]]`` tables out of
    ``data``, one reader per kind.

    ``table_prefix`` is where the tables sit in the file (``tool.ssot-scan.`` in a
    pyproject.toml), so an error can show the header the user should write.
    """
    rules = Rules()

    def entries(kind: str) -> Iterator[tuple[str, dict[str, Any]]]:
        tables = expect_table_list(
            data.get(kind, []), f"{label}: {kind}", f"[[{table_prefix}{kind}]]"
        )
        for index, entry in enumerate(tables):
            yield f"{label}: {kind}[{index}]", entry

    rules.deprecated.extend(_deprecated(entry, where) for where, entry in entries("deprecated"))
    rules.canonical.extend(_canonical(entry, where) for where, entry in entries("canonical"))
    rules.watch.extend(_watch(entry, where) for where, entry in entries("watch"))
    return rules


def _deprecated(entry: dict[str, Any], where: str) -> DeprecatedRule:
    check_keys(entry, ("module", "symbol", "replacement", "reason", "submodules"), where)
    if ("module" in entry) == ("symbol" in entry):
        raise UsageError(f"{where}: give exactly one of 'module' or 'symbol'")
    module = expect_dotted(entry["module"], f"{where}.module") if "module" in entry else None
    symbol = expect_dotted(entry["symbol"], f"{where}.symbol") if "symbol" in entry else None
    if symbol is not None and "." not in symbol:
        raise UsageError(f"{where}.symbol: {symbol!r} needs a module part (module.name)")
    submodules = expect_bool(entry.get("submodules", False), f"{where}.submodules")
    if submodules and module is None:
        raise UsageError(f"{where}.submodules: only applies to a 'module' entry")
    replacement = entry.get("replacement")
    reason = entry.get("reason")
    return DeprecatedRule(
        module=module,
        symbol=symbol,
        replacement=None
        if replacement is None
        else expect_dotted(replacement, f"{where}.replacement"),
        reason=None if reason is None else expect_str(reason, f"{where}.reason"),
        submodules=submodules,
        source=where,
    )


def _canonical(entry: dict[str, Any], where: str) -> CanonicalRule:
    check_keys(entry, ("symbol", "path"), where)
    for key in ("symbol", "path"):
        if key not in entry:
            raise UsageError(f"{where}: missing key {key!r}")
    return CanonicalRule(
        symbol=expect_dotted(entry["symbol"], f"{where}.symbol"),
        path=expect_dotted(entry["path"], f"{where}.path"),
        source=where,
    )


def _watch(entry: dict[str, Any], where: str) -> WatchRule:
    check_keys(entry, ("name", "max-definitions", "include-tests"), where)
    if "name" not in entry:
        raise UsageError(f"{where}: missing key 'name'")
    pattern = expect_str(entry["name"], f"{where}.name")
    if not pattern.strip():
        raise UsageError(f"{where}.name: empty pattern")
    return WatchRule(
        name=pattern,
        max_definitions=expect_int(
            entry.get("max-definitions", 1), f"{where}.max-definitions", minimum=1
        ),
        include_tests=expect_bool(entry.get("include-tests", False), f"{where}.include-tests"),
        source=where,
    )


def locate_pack(spec: str, base: Path) -> Path:
    """A pack given as a path (relative to ``base``) or as a shipped pack's name."""
    candidate = Path(spec)
    if not candidate.is_absolute():
        candidate = base / candidate
    if candidate.is_file():
        return candidate
    if "/" not in spec and "\\" not in spec and not spec.endswith(".toml"):
        shipped = shipped_packs_dir() / f"{spec}.toml"
        if shipped.is_file():
            return shipped
        names = ", ".join(shipped_pack_names()) or "none"
        raise UsageError(
            f"rule pack {spec!r}: no such file, and no shipped pack by that name "
            f"(shipped: {names})"
        )
    raise UsageError(f"rule pack {spec!r}: file not found ({candidate})")


def load_pack(spec: str, base: Path) -> Rules:
    path = locate_pack(spec, base)
    label = spec if not Path(spec).is_absolute() else str(path)
    data = load_toml(path, label)
    check_keys(data, PACK_KEYS, label)
    for key in ("name", "description"):
        if key in data:
            expect_str(data[key], f"{label}: {key}")
    rules = parse_rules(data, label)
    rules.packs.append(spec)
    return rules
