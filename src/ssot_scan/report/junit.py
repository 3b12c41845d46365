"""JUnit XML in the Ant schema Jenkins reads: one test suite per file, one failed test
case per finding, for CI test tabs.

What Jenkins (and the Ant ``JUnit.xsd`` it follows) wants is all there: every suite
has ``id``, ``package``, ``name``, ``timestamp`` (local time, no zone), ``hostname``,
``tests``, ``failures``, ``errors``, ``skipped`` and ``time``, then ``properties``,
the test cases and ``system-out``/``system-err``; every test case has ``name``,
``classname`` and ``time``.

Names are stable across edits: a test case is named for the finding's code, rule and
what it is about (the normalised import, else its symbol), never its line, so CI
history follows a finding when lines above it move (`` #2`` and on tell apart two
findings of one name in one file). The ``classname`` is the file as a dotted module
path (``app/api/stream_api.py`` -> ``app.api.stream_api``): Jenkins splits a
classname at its last dot into package and class, and a raw path would become class
``py`` of package ``app/api/stream_api``. A clean scan is one passing test case, so
the tab shows green rather than nothing.
"""

from __future__ import annotations

import re
import socket
import xml.etree.ElementTree as ET
from collections import Counter
from itertools import groupby

from ssot_scan import __version__
from ssot_scan.findings import Finding
from ssot_scan.result import ScanResult

# Characters XML 1.0 cannot hold at all, not even escaped.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_NOT_NAME = re.compile(r"[^\w]")


def _xml(text: str) -> str:
    return _NOT_XML.sub("\ufffd", text)


def _where(finding: Finding) -> str:
    return f"{finding.path}:{finding.line}:{finding.column}"


def classname(path: str) -> str:
    """A file as a dotted module path Jenkins splits right: ``.py`` dropped, folders
    joined by dots, anything else that is not a word character made ``_``."""
    stem = path[:-3] if path.endswith(".py") else path
    return ".".join(_NOT_NAME.sub("_", part) or "_" for part in stem.split("/"))


def case_name(finding: Finding) -> str:
    """``SSOT002 non-canonical-import: from a import B``: no line numbers."""
    about = finding.statement or finding.symbol or finding.path
    return f"{finding.code} {finding.name}: {about}"


def _suite(
    root: ET.Element, number: int, name: str, package: str, result: ScanResult, **counts: str
) -> ET.Element:
    suite = ET.SubElement(
        root,
        "testsuite",
        id=str(number),
        package=_xml(package),
        name=_xml(name),
        timestamp=result.timestamp,
        hostname=_xml(socket.gethostname() or "localhost"),
        tests=counts["tests"],
        failures=counts["failures"],
        errors="0",
        skipped="0",
        time="0",
    )
    properties = ET.SubElement(suite, "properties")
    for key, value in (
        ("ssot-scan.version", __version__),
        ("project_root", result.project_root),
        ("files_scanned", str(result.files_scanned)),
        ("compliance_pct", str(result.compliance_pct)),
    ):
        ET.SubElement(properties, "property", name=key, value=_xml(value))
    return suite


def _close(suite: ET.Element, result: ScanResult) -> None:
    ET.SubElement(suite, "system-out").text = _xml(
        f"{result.total} findings; {result.files_scanned} files scanned; "
        f"{result.compliance_pct}% of files clean"
    )
    ET.SubElement(suite, "system-err").text = _xml("\n".join(result.notices))


def junit_tree(result: ScanResult) -> ET.Element:
    findings = sorted(result.findings, key=lambda f: (f.path, f.line, f.column, f.code))
    root = ET.Element(
        "testsuites",
        name="ssot-scan",
        tests=str(max(len(findings), 1)),
        failures=str(len(findings)),
        errors="0",
        time="0",
    )
    if not findings:
        suite = _suite(root, 0, "ssot-scan", "ssot-scan", result, tests="1", failures="0")
        ET.SubElement(suite, "testcase", classname="ssot-scan", name="ssot-scan", time="0")
        _close(suite, result)
        return root
    for number, (path, group) in enumerate(groupby(findings, key=lambda f: f.path)):
        cases = list(group)
        count = str(len(cases))
        dotted = classname(path)
        package = dotted.rpartition(".")[0] or "(root)"
        suite = _suite(root, number, path, package, result, tests=count, failures=count)
        seen: Counter[str] = Counter()
        for finding in cases:
            # Two findings of one name in one file (a multi-name import, a second
            # import of the same thing) stay two test cases: CI tabs merge test
            # cases of the same name.
            name = case_name(finding)
            seen[name] += 1
            if seen[name] > 1:
                name += f" #{seen[name]}"
            case = ET.SubElement(
                suite, "testcase", classname=_xml(dotted), name=_xml(name), time="0"
            )
            failure = ET.SubElement(
                case, "failure", message=_xml(finding.message), type=finding.code
            )
            failure.text = _xml(
                f"{finding.code} {finding.name}: {finding.message} ({_where(finding)})"
            )
        _close(suite, result)
    return root


def render_junit(result: ScanResult, quiet: bool = False) -> str:
    root = junit_tree(result)
    ET.indent(root)
    body = ET.tostring(root, encoding="unicode")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + body + "\n"
