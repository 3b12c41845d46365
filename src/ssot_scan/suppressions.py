"""``# ssot: ignore[...]``: which findings a comment silences, and which comments
silence nothing, so that suppressions do not rot.

A comment names codes (``SSOT002``), code prefixes (``SSOT00``) or rule names
(``non-canonical-import``), in any case, or nothing (a bare ``# ssot: ignore``
silences every code). It silences a finding when it sits on any line of the
finding's statement, except that in a statement spread over several lines, a
comment beside one name (``    A,  # ssot: ignore``) silences only the findings
about the names on that line (one on the first or the last line is about all).

Afterwards every comment is judged: a selector that names no rule is SSOT007; a
selector (or a bare comment) that silenced nothing is SSOT008. A comment is judged
against every analysis rule's findings, whatever the selection, so its verdict does
not depend on which codes a run reports. SSOT007 and SSOT008 findings are silenced
only by their own comment naming their code or name exactly (``# ssot:
ignore[SSOT002, SSOT008]``: "this may be unused, I know"), never by a bare comment
or a prefix: a comment cannot vouch for itself by accident.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

import msgspec

from ssot_scan.findings import Finding
from ssot_scan.rules import BY_CODE, codes_for

if TYPE_CHECKING:
    from ssot_scan.facts import ModuleFacts

# The rules that judge the comments themselves.
SUPPRESSION_CODES = ("SSOT007", "SSOT008")
BARE = "*"  # what a bare comment records as used


class Comment(msgspec.Struct):
    """One suppression comment, and which of its selectors silenced a finding."""

    path: str
    line: int
    column: int
    selectors: list[str]  # as written; [] for a bare ``# ssot: ignore``
    used: set[str] = msgspec.field(default_factory=set)  # selectors that silenced something

    @property
    def text(self) -> str:
        """The comment as a normalised statement (what its fingerprint rests on)."""
        return suppression_text(self.selectors)

    def vouches_for(self, code: str) -> bool:
        """Does the comment name ``code`` (SSOT007/SSOT008) exactly, by code or name?"""
        return any(names_exactly(s, code) for s in self.selectors)


def suppression_text(selectors: list[str]) -> str:
    """``ssot: ignore[A, B]`` (or ``ssot: ignore``): a comment, normalised."""
    return "ssot: ignore" + (f"[{', '.join(selectors)}]" if selectors else "")


def names_exactly(selector: str, code: str) -> bool:
    """Does ``selector`` name ``code`` itself, by code or rule name (no prefix)?"""
    return selector.upper() == code or selector.lower() == BY_CODE[code].name


def name_lines(
    files: Iterable[tuple[str, ModuleFacts]],
) -> dict[tuple[str, int], dict[int, set[str]]]:
    """(file, statement line) -> line -> the names imported on it, for the ``from``
    imports spread over several lines (see ``apply``)."""
    spread: dict[tuple[str, int], dict[int, set[str]]] = {}
    for path, facts in files:
        for site in facts.imports:
            if site.name_lines:
                lines = spread.setdefault((path, site.line), {})
                for imported, line in zip(site.names, site.name_lines, strict=False):
                    lines.setdefault(line, set()).add(imported.name)
    return spread


def comments_of(files: Iterable[tuple[str, ModuleFacts]]) -> dict[str, dict[int, Comment]]:
    """Every file's suppression comments, by line."""
    found: dict[str, dict[int, Comment]] = {}
    for path, facts in files:
        if facts.suppressions:
            found[path] = {
                line: Comment(path, line, facts.suppression_columns.get(line, 1), selectors)
                for line, selectors in facts.suppressions.items()
            }
    return found


def _lines(
    finding: Finding, name_lines: dict[tuple[str, int], dict[int, set[str]]]
) -> Iterable[int]:
    """The lines whose comments apply to ``finding``: every line of its statement;
    but when the statement spreads its names over several lines and the finding is
    about one name, only that name's line and the statement's first and last (a
    comment there is about the whole statement)."""
    names = name_lines.get((finding.path, finding.line))
    if names and finding.statement:
        for line, on_line in names.items():
            if _about(finding, on_line):
                return sorted({finding.line, line, finding.end_line})
    return range(finding.line, finding.end_line + 1)


def _about(finding: Finding, names: set[str]) -> bool:
    """Is the finding about one of ``names`` (its normalised import names them)?"""
    imported = finding.statement.rpartition(" import ")[2]
    return bool(imported) and imported.split(" as ")[0] in names


def apply(
    findings: Iterable[Finding],
    comments: dict[str, dict[int, Comment]],
    name_lines: dict[tuple[str, int], dict[int, set[str]]],
    mark: bool = True,
) -> None:
    """Record which selectors silence which findings (and, with ``mark``, set the
    findings' ``suppressed``). SSOT007 and SSOT008 findings are left to ``vouch``."""
    for finding in findings:
        if finding.code in SUPPRESSION_CODES:
            continue
        in_file = comments.get(finding.path)
        if not in_file:
            continue
        for line in _lines(finding, name_lines):
            comment = in_file.get(line)
            if comment is None:
                continue
            if not comment.selectors:
                comment.used.add(BARE)
                finding.suppressed = finding.suppressed or mark
                continue
            for selector in comment.selectors:
                if finding.code in codes_for(selector):
                    comment.used.add(selector)
                    finding.suppressed = finding.suppressed or mark


def vouch(findings: Iterable[Finding], comments: dict[str, dict[int, Comment]]) -> None:
    """Silence the SSOT007/SSOT008 findings whose own comment names their rule."""
    for finding in findings:
        if finding.code not in SUPPRESSION_CODES:
            continue
        comment = comments.get(finding.path, {}).get(finding.line)
        if comment is not None and comment.vouches_for(finding.code):
            finding.suppressed = True


def unknown(comment: Comment) -> list[str]:
    """The selectors that name no rule."""
    return [s for s in comment.selectors if not codes_for(s)]


def unused(comment: Comment) -> list[str]:
    """The selectors that silenced nothing (``[BARE]`` for an unused bare comment).
    A selector naming SSOT007 or SSOT008 exactly is never unused: it is how a
    comment says "I know"; nor is one that names no rule (that is SSOT007's)."""
    if not comment.selectors:
        return [] if BARE in comment.used else [BARE]
    return [
        s
        for s in comment.selectors
        if s not in comment.used
        and codes_for(s)
        and not any(names_exactly(s, code) for code in SUPPRESSION_CODES)
    ]
