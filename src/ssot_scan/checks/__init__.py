"""The checks: one module each, reading the analysis and yielding findings.

``rules`` (the registry) knows every code without importing these modules;
``all_checks`` imports them when a scan actually runs.
"""

from __future__ import annotations

from ssot_scan.checks.base import Check


def all_checks() -> list[Check]:
    from ssot_scan.checks.competing_definitions import CompetingDefinitions
    from ssot_scan.checks.deprecated_import import DeprecatedImport
    from ssot_scan.checks.import_cycle import ImportCycle
    from ssot_scan.checks.non_canonical_import import NonCanonicalImport
    from ssot_scan.checks.parse_error import ParseErrorCheck
    from ssot_scan.checks.shadowed_module import ShadowedModule
    from ssot_scan.checks.unknown_suppression import UnknownSuppression
    from ssot_scan.checks.unresolved_import import UnresolvedImport
    from ssot_scan.checks.unused_suppression import UnusedSuppression

    # In registry order; no check reads another's findings, so order is presentation.
    return [
        ParseErrorCheck(),
        DeprecatedImport(),
        NonCanonicalImport(),
        CompetingDefinitions(),
        ImportCycle(),
        UnresolvedImport(),
        ShadowedModule(),
        UnknownSuppression(),
        UnusedSuppression(),
    ]
