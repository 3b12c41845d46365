"""What a check is: a rule of the registry, ``run`` over the analysis, and examples.

A check reads its code, name, severity and docs from ``rules.RULES``; it reads the
analysis and returns findings, never another check's findings (which rule makes
another redundant is declared in the registry and applied after selection). Its
``VALID`` and ``INVALID`` examples are small projects with the findings inline: one
parametrised test runs them all, and ``--explain`` shows them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any, ClassVar, Literal, Optional, Union

import msgspec

from ssot_scan.facts import ImportContext, ImportSite
from ssot_scan.findings import Finding, Replacement, Rewrite
from ssot_scan.rules import Rule, Severity

if TYPE_CHECKING:
    from ssot_scan.analysis import Analysis
    from ssot_scan.suppressions import Comment


def shortened(
    items: Sequence[str], limit: int, separator: str = ", ", more: str = " and {} more"
) -> str:
    """The first ``limit`` items joined, then how many were left out: a message
    stays one readable line however many sites or paths there are."""
    text = separator.join(items[:limit])
    if len(items) > limit:
        text += more.format(len(items) - limit)
    return text


class Example(msgspec.Struct, frozen=True):
    """A project (rel path -> source) and where the rule reports in it.

    ``expect`` lists ``"path:line"`` for every finding of this rule; empty for a
    VALID example. ``config`` is the body of ``[tool.ssot-scan]``.
    """

    files: dict[str, str]
    expect: tuple[str, ...] = ()
    config: str = ""
    note: str = ""


class Check:
    """Base class: subclasses set ``rule`` and implement ``run``."""

    rule: ClassVar[Rule]
    VALID: ClassVar[tuple[Example, ...]] = ()
    INVALID: ClassVar[tuple[Example, ...]] = ()

    @property
    def code(self) -> str:
        return self.rule.code

    @property
    def name(self) -> str:
        return self.rule.name

    @property
    def severity(self) -> Severity:
        return self.rule.severity

    def run(self, analysis: Analysis) -> Iterable[Finding]:
        """This rule's findings over the analysis."""
        raise NotImplementedError

    def finding(
        self,
        path: str,
        where: Union[ImportSite, tuple[int, int]],
        message: str,
        *,
        end: Optional[tuple[int, int]] = None,
        symbol: Optional[str] = None,
        imported_from: Optional[str] = None,
        canonical: Optional[str] = None,
        statement: str = "",
        group: str = "",
        related: Optional[list[dict[str, Any]]] = None,
        files: Optional[list[str]] = None,
        rewrite: Optional[Rewrite] = None,
        replacement: Optional[Replacement] = None,
        context: Optional[ImportContext] = None,
        missing: Optional[Literal["module", "name"]] = None,
        modules: Optional[list[str]] = None,
        breakers: Optional[list[tuple[str, str]]] = None,
    ) -> Finding:
        """A finding of this check spanning an import statement, or at a (line,
        column) position (ending at ``end``, else where it starts)."""
        if isinstance(where, ImportSite):
            line, column, end_line, end_column = (
                where.line,
                where.column,
                where.end_line,
                where.end_column,
            )
        else:
            line, column = where
            end_line, end_column = end or where
        return Finding(
            code=self.code,
            name=self.name,
            severity=self.severity,
            path=path,
            line=line,
            column=column,
            end_line=end_line,
            end_column=end_column,
            message=message,
            symbol=symbol,
            imported_from=imported_from,
            canonical=canonical,
            statement=statement,
            group=group,
            related=related or [],
            files=files or [],
            rewrite=rewrite,
            replacement=replacement,
            context=context,
            missing=missing,
            modules=modules or [],
            breakers=breakers or [],
        )


class CommentCheck(Check):
    """A rule about the suppression comments themselves (SSOT007, SSOT008). Whether a
    comment silences anything is known only once every other rule's findings are
    in, so these rules have no ``run`` over the analysis: the scan hands them the
    comments, with what each one silenced, in ``review``."""

    def run(self, analysis: Analysis) -> Iterable[Finding]:
        return ()

    def review(self, comments: Iterable[Comment]) -> Iterable[Finding]:
        """This rule's findings over the judged comments."""
        raise NotImplementedError
