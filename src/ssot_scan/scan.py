"""The pipeline, in order: discover, extract, index, check, then tally.

Each stage is its own module; this one only wires them and owns no logic of its own
beyond reading files (where an unreadable file becomes a parse-error fact).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Optional

from ssot_scan.checks import all_checks
from ssot_scan.checks.import_cycle import cycles
from ssot_scan.checks.unresolved_import import undecidable_count
from ssot_scan.config import Config
from ssot_scan.discover import SourceFile, discover
from ssot_scan.extract import extract
from ssot_scan.facts import ModuleFacts, ParseError
from ssot_scan.findings import Finding
from ssot_scan.fragmentation import fragmentation
from ssot_scan.index import build_index
from ssot_scan.result import ScanResult, tally

Progress = Callable[[int, int], None]


def read_and_extract(source: SourceFile, engine: str) -> ModuleFacts:
    """Facts for one file; whatever goes wrong becomes that file's SSOT000, not a crash."""
    try:
        data = source.path.read_bytes()
    except OSError as exc:
        return ModuleFacts(parse_error=ParseError(f"cannot read: {exc.strerror or exc}", 1, 1))
    try:
        return extract(data, source.module or "", source.is_package, engine)
    except Exception as exc:  # one odd file must not stop a 10,000-file scan
        message = f"internal error while reading this file: {type(exc).__name__}: {exc}"
        return ModuleFacts(parse_error=ParseError(message, 1, 1))


def run_scan(paths: list[Path], config: Config, progress: Optional[Progress] = None) -> ScanResult:
    found = discover(paths, config)
    files: list[tuple[SourceFile, ModuleFacts]] = []
    for number, source in enumerate(found.files, start=1):
        files.append((source, read_and_extract(source, config.engine)))
        if progress is not None:
            progress(number, len(found.files))
    index = build_index(files, found.first_party, config.rules, found.opaque_modules)
    enabled = set(config.enabled_codes)
    findings: list[Finding] = []
    for check in all_checks():
        produced = list(check.run(index, config, findings))
        findings.extend(produced)
    findings = [f for f in findings if f.code in enabled]
    fragments = fragmentation(index, config) if "SSOT002" in enabled else []
    found_cycles = cycles(index, config) if "SSOT004" in enabled else []
    notices = [*found.notices, *index.notices]
    return tally(
        findings,
        index,
        fragments,
        notices,
        config,
        found_cycles,
        undecidable_count(index) if "SSOT005" in enabled else 0,
    )
