"""The checks: one module each, reading the index and yielding findings.

``checks.registry`` knows the codes without importing these modules; ``all_checks``
imports them when a scan actually runs.
"""

from __future__ import annotations

from ssot_scan.checks.base import Check


def all_checks() -> list[Check]:
    from ssot_scan.checks.deprecated_import import DeprecatedImport
    from ssot_scan.checks.non_canonical_import import NonCanonicalImport
    from ssot_scan.checks.parse_error import ParseErrorCheck

    return [ParseErrorCheck(), DeprecatedImport(), NonCanonicalImport()]
