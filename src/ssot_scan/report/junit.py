"""JUnit XML: one test case per finding, one test suite per file, for CI test tabs.

A finding is a failed test case named ``CODE path:line:column`` (`` #2`` and on for a
second finding of one code at one place); a clean scan is one
passing test case named ``ssot-scan``, so the tab shows green rather than nothing.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections import Counter
from itertools import groupby

from ssot_scan.findings import Finding
from ssot_scan.result import ScanResult

# Characters XML 1.0 cannot hold at all, not even escaped.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _xml(text: str) -> str:
    return _NOT_XML.sub("\ufffd", text)


def _where(finding: Finding) -> str:
    return f"{finding.path}:{finding.line}:{finding.column}"


def junit_tree(result: ScanResult) -> ET.Element:
    findings = sorted(result.findings, key=lambda f: (f.path, f.line, f.column, f.code))
    root = ET.Element(
        "testsuites",
        name="ssot-scan",
        tests=str(max(len(findings), 1)),
        failures=str(len(findings)),
        errors="0",
    )
    if not findings:
        suite = ET.SubElement(
            root, "testsuite", name="ssot-scan", tests="1", failures="0", errors="0"
        )
        ET.SubElement(suite, "testcase", classname="ssot-scan", name="ssot-scan")
        return root
    for path, group in groupby(findings, key=lambda f: f.path):
        cases = list(group)
        count = str(len(cases))
        suite = ET.SubElement(
            root, "testsuite", name=_xml(path), tests=count, failures=count, errors="0"
        )
        seen: Counter[str] = Counter()
        for finding in cases:
            # Two findings of one code at one place (a multi-name import) stay two
            # test cases: CI tabs merge test cases of the same name.
            name = f"{finding.code} {_where(finding)}"
            seen[name] += 1
            if seen[name] > 1:
                name += f" #{seen[name]}"
            case = ET.SubElement(suite, "testcase", classname=_xml(path), name=_xml(name))
            failure = ET.SubElement(
                case, "failure", message=_xml(finding.message), type=finding.code
            )
            failure.text = _xml(
                f"{finding.code} {finding.name}: {finding.message} ({_where(finding)})"
            )
    return root


def render_junit(result: ScanResult, quiet: bool = False) -> str:
    root = junit_tree(result)
    ET.indent(root)
    body = ET.tostring(root, encoding="unicode")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + body + "\n"
