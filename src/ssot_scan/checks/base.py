"""What a check is: a code, a name, a docstring that explains it, and ``run``."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, ClassVar, Optional

if TYPE_CHECKING:
    from ssot_scan.config import Config
    from ssot_scan.facts import ImportSite
    from ssot_scan.findings import Finding
    from ssot_scan.index import Index


class Check:
    """Base class. The subclass docstring is the rule's documentation (``--explain``)."""

    code: ClassVar[str]
    name: ClassVar[str]
    severity: ClassVar[str] = "warning"

    def run(self, index: Index, config: Config, earlier: list[Finding]) -> Iterable[Finding]:
        """Findings for this check; ``earlier`` holds what checks before it found."""
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
