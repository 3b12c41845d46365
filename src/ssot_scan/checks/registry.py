"""The codes every check owns, known without importing the checks themselves.

Config validation needs the list of codes at start-up; importing the checks (and
what they import) just to learn their names would slow every run down.
"""

from __future__ import annotations

from ssot_scan.errors import UsageError

CHECK_NAMES: dict[str, str] = {
    "SSOT000": "parse-error",
    "SSOT001": "deprecated-import",
    "SSOT002": "non-canonical-import",
    "SSOT003": "competing-definitions",
    "SSOT004": "import-cycle",
    "SSOT005": "unresolved-import",
    "SSOT006": "shadowed-module",
}
ALL_CODES: tuple[str, ...] = tuple(CHECK_NAMES)
_BY_NAME = {name: code for code, name in CHECK_NAMES.items()}


def expand_codes(items: list[str], where: str) -> list[str]:
    """Codes, code prefixes (``SSOT00``) or check names, to the codes they cover."""
    selected: list[str] = []
    for item in items:
        key = item.strip()
        if key.upper() == "ALL":
            matches = list(ALL_CODES)
        elif key in _BY_NAME:
            matches = [_BY_NAME[key]]
        else:
            matches = [code for code in ALL_CODES if code.startswith(key.upper())] if key else []
        if not matches:
            known = ", ".join(f"{c} ({n})" for c, n in CHECK_NAMES.items())
            raise UsageError(f"{where}: unknown rule code {item!r} (known: {known})")
        selected.extend(m for m in matches if m not in selected)
    return selected
