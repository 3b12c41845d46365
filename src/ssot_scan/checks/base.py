"""What a check is: a rule of the registry, ``run`` over the analysis, and examples.

A check reads its code, name, severity and docs from ``rules.RULES``; it reads the
analysis and returns findings, never another check's findings (which rule makes
another redundant is declared in the registry and applied after selection). Its
``VALID`` and ``INVALID`` examples are small projects with the findings inline: one
parametrised test runs them all, and ``--explain`` shows them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar, Optional

from ssot_scan.rules import Rule, Severity

if TYPE_CHECKING:
    from ssot_scan.analysis import Analysis
    from ssot_scan.facts import ImportSite
    from ssot_scan.findings import Finding


@dataclass(frozen=True)
class Example:
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
        line: int,
        column: int,
        message: str,
        end: Optional[tuple[int, int]] = None,
        **details: Any,
    ) -> Finding:
        """A finding of this check at a position (``end`` defaults to the start)."""
        from ssot_scan.findings import Finding

        end_line, end_column = end or (line, column)
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
            **details,
        )

    def at_site(self, path: str, site: ImportSite, message: str, **details: Any) -> Finding:
        """A finding of this check spanning an import statement."""
        return self.finding(
            path, site.line, site.column, message, (site.end_line, site.end_column), **details
        )
