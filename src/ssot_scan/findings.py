"""Finding: one thing a maintainer should fix, located at an import or a file."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal, Optional

import msgspec

from ssot_scan.rules import Severity

if TYPE_CHECKING:
    from ssot_scan.facts import ImportedName, ImportSite

ImportContext = Literal[
    "module", "function", "type_checking", "try_import_error", "conditional", "main"
]


class Rewrite(msgspec.Struct, frozen=True):
    """How ``ssot-scan fix`` moves one imported name to its canonical path (SSOT002):
    ``from <module> import <name> [as <bound>]`` replaces the import of ``imported``."""

    module: str
    name: str
    bound: str
    imported: str
    # The whole new statement, when the old one imports only this name (SARIF fix).
    statement: Optional[str] = None
    # The definition both statements bind: what ``fix`` checks again after writing.
    definition: str = ""


class Replacement(msgspec.Struct, frozen=True):
    """What to import instead (SSOT001): ``from <module> import <name>``, and whether
    the scan proved it is the very object the deprecated path gave (``same_object``)
    or only the successor the code names. ``name`` is None for ``import <module>``."""

    module: str
    name: Optional[str]
    same_object: bool
    definition: Optional[str] = None  # what it binds, when the scan knows


class Finding(msgspec.Struct):
    """One reported problem at one place, with what the reports, baselines and
    ``fix`` need: the rule, the message, the fingerprint a baseline matches on, and
    what the check knows beyond the message (the rewrite ``fix`` makes, the
    replacement to import, the cycle's modules)."""

    code: str
    name: str
    severity: Severity
    path: str  # relative, "/"-separated
    line: int
    column: int
    end_line: int
    end_column: int
    message: str
    symbol: Optional[str] = None  # dotted definition (or module) the finding is about
    imported_from: Optional[str] = None  # absolute module the site imports from
    canonical: Optional[str] = None  # where it should come from instead
    statement: str = ""  # the normalised import, for fingerprints
    group: str = ""  # findings with one group read together in text output
    fingerprint: str = ""
    suppressed: bool = False
    # Other places the same finding is about ({"path", "line", "column"}).
    related: list[dict[str, Any]] = msgspec.field(default_factory=list)
    # Every file a whole-program finding concerns (SSOT004: the cycle's modules): a
    # run that reports only some paths keeps the finding when any of them is named.
    files: list[str] = msgspec.field(default_factory=list)
    # What a check knows beyond the message, typed per kind of finding:
    rewrite: Optional[Rewrite] = None  # SSOT002: the move ``fix`` makes
    replacement: Optional[Replacement] = None  # SSOT001: what to import instead
    context: Optional[ImportContext] = None  # SSOT005: where the import sits
    missing: Optional[Literal["module", "name"]] = None  # SSOT005: what does not exist
    modules: list[str] = msgspec.field(default_factory=list)  # SSOT004: the component
    breakers: list[tuple[str, str]] = msgspec.field(default_factory=list)  # SSOT004: edges to cut

    def to_dict(self) -> dict[str, Any]:
        """The finding as a dict, nested records too, sharing its lists (a stored
        result in the cache, dumped at once)."""
        data = shallow_asdict(self)
        if self.rewrite is not None:
            data["rewrite"] = shallow_asdict(self.rewrite)
        if self.replacement is not None:
            data["replacement"] = shallow_asdict(self.replacement)
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Finding:
        """The inverse of ``to_dict`` (a stored result in the cache)."""
        values = dict(data)
        rewrite = values.pop("rewrite", None)
        replacement = values.pop("replacement", None)
        breakers = values.pop("breakers", [])
        return cls(
            **values,
            rewrite=Rewrite(**rewrite) if rewrite is not None else None,
            replacement=Replacement(**replacement) if replacement is not None else None,
            breakers=[(a, b) for a, b in breakers],
        )

    def sort_key(self) -> tuple[str, str, str, int, int, str]:
        return (self.code, self.group, self.path, self.line, self.column, self.message)


def shallow_asdict(record: Any) -> dict[str, Any]:
    """A record's fields as a dict, the values shared, not copied (one level deep,
    for what is dumped at once: a stored result)."""
    return msgspec.structs.asdict(record)


def import_statement(site: ImportSite, names: Optional[list[ImportedName]] = None) -> str:
    """The import normalised to one line: what a fingerprint may rely on."""
    if site.kind == "import":
        text = f"import {site.raw_module}"
        return f"{text} as {site.asname}" if site.asname else text
    module = "." * site.level + site.raw_module
    if site.is_star:
        return f"from {module} import *"
    chosen = names if names is not None else site.names
    listed = ", ".join(f"{n.name} as {n.asname}" if n.asname else n.name for n in chosen)
    return f"from {module} import {listed}"


def suggested_import(finding: Finding) -> str:
    """The import statement to write instead, when the finding knows it."""
    if finding.rewrite is not None:
        rewrite = finding.rewrite
        if rewrite.statement:
            return rewrite.statement
        alias = f" as {rewrite.bound}" if rewrite.bound != rewrite.name else ""
        return f"from {rewrite.module} import {rewrite.name}{alias}"
    if finding.replacement is not None:
        replacement = finding.replacement
        if replacement.name is None:
            return f"import {replacement.module}"
        return f"from {replacement.module} import {replacement.name}"
    return ""
