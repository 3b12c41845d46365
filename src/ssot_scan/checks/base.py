"""What a check is: a code, a name, a docstring that explains it, and ``run``."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, ClassVar

if TYPE_CHECKING:
    from ssot_scan.config import Config
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
