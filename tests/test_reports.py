"""Output formats: JSON (and its schema), SARIF, GitHub, GitLab, JUnit, Markdown, statistics.

Every format renders a real ``ScanResult``: a copy of ``fixtures/websocket_app`` (the
same copy under a baseline that tolerates half of its findings), a small project with
budgets, a suppression and one fixable import, and a clean project. Scans run once per
module; renderers are pure, so the tests share them.
"""

from __future__ import annotations

import copy
import json
import re
import shutil
import subprocess
import textwrap
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jsonschema
import msgspec
import pytest
from jsonschema.validators import validator_for

from ssot_scan import __version__, baseline
from ssot_scan.checks import all_checks
from ssot_scan.config import load_config, load_rule_packs
from ssot_scan.findings import Finding
from ssot_scan.report import FORMATS, ReportOptions, renderer
from ssot_scan.report.github import annotation, escape_data, escape_property, render_github
from ssot_scan.report.gitlab import render_gitlab
from ssot_scan.report.json_report import SCHEMA_VERSION, render_json, report_schema
from ssot_scan.report.junit import case_name, classname, render_junit
from ssot_scan.report.markdown import cell, render_markdown
from ssot_scan.report.sarif import FINGERPRINT_KEY, render_sarif
from ssot_scan.report.statistics import render_statistics_json, render_statistics_text
from ssot_scan.result import ScanResult
from ssot_scan.rules import ALL_CODES, BY_CODE, CHECK_NAMES
from ssot_scan.scan import run_scan

RunCli = Callable[..., "tuple[int, str, str]"]

REPO = Path(__file__).resolve().parents[1]
FIXTURE = REPO / "fixtures" / "websocket_app"
# The official schema lives beside the checkout, never in it.
SARIF_SCHEMA = (
    Path(__file__).resolve().parents[2] / "shared" / "schemas" / "sarif-schema-2.1.0.json"
)
RESULTS = ("websocket", "websocket_baselined", "small", "clean")

SMALL = {
    "pyproject.toml": """\
        [tool.ssot-scan]
        max-warnings = 10

        [tool.ssot-scan.budget]
        SSOT001 = 0
        SSOT002 = 5

        [[tool.ssot-scan.canonical]]
        symbol = "pkg.core.Thing"
        path = "pkg.api"

        [[tool.ssot-scan.canonical]]
        symbol = "pkg.core.Other"
        path = "pkg.api"

        [[tool.ssot-scan.deprecated]]
        module = "pkg.old"
        replacement = "pkg.api"
        reason = "100% gone, really: yes"
        """,
    "pkg/__init__.py": "",
    "pkg/core.py": "class Thing:\n    pass\n\n\nclass Other:\n    pass\n",
    "pkg/api.py": 'from pkg.core import Other, Thing\n\n__all__ = ["Other", "Thing"]\n',
    "pkg/old.py": "X = 1\n",
    "pkg/single.py": '"""One name: replaceable."""\n\nfrom pkg.core import Thing\n',
    "pkg/multi.py": "from pkg.core import Other, Thing\n",
    "pkg/good.py": (
        "from pkg.api import Other, Thing\n"
        "from pkg.core import Thing as T  # ssot: ignore[SSOT002]\n"
    ),
    "pkg/we:ird,name.py": "from pkg.old import X\n",
}

CLEAN = {
    "pyproject.toml": "[tool.ssot-scan]\n",
    "pkg/__init__.py": "",
    "pkg/a.py": "def f() -> int:\n    return 1\n",
    "pkg/b.py": "from pkg.a import f\n\nprint(f())\n",
}


def write(root: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
    return root


def scan(root: Path) -> ScanResult:
    config = load_config([root])
    load_rule_packs(config, [])
    return run_scan([root], config)


@pytest.fixture(scope="module")
def websocket(tmp_path_factory: pytest.TempPathFactory) -> ScanResult:
    root = tmp_path_factory.mktemp("reports") / "websocket_app"
    shutil.copytree(FIXTURE, root)
    return scan(root)


STALE_ENTRY = {
    "fingerprint": "0123456789abcdef0123",
    "code": "SSOT001",
    "path": "app/fixed.py",
    "symbol": "app.legacy",
    "message": "fixed since",
}


@pytest.fixture(scope="module")
def websocket_baselined(websocket: ScanResult) -> ScanResult:
    """The fixture under a baseline of its first half of findings and one fixed entry."""
    result = copy.deepcopy(websocket)
    half = result.findings[: len(result.findings) // 2]
    baseline.apply(result, [*baseline.entries_for(half), STALE_ENTRY], ".ssot-baseline.json")
    return result


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> ScanResult:
    return scan(write(tmp_path_factory.mktemp("small"), SMALL))


@pytest.fixture(scope="module")
def clean(tmp_path_factory: pytest.TempPathFactory) -> ScanResult:
    return scan(write(tmp_path_factory.mktemp("clean"), CLEAN))


def get(request: pytest.FixtureRequest, name: str) -> ScanResult:
    result: ScanResult = request.getfixturevalue(name)
    return result


def only(result: ScanResult, path: str, code: str = "SSOT002") -> list[Finding]:
    return [f for f in result.findings if f.path == path and f.code == code]


def test_the_scans_hold_what_the_tests_rely_on(
    websocket: ScanResult, websocket_baselined: ScanResult, small: ScanResult, clean: ScanResult
) -> None:
    assert websocket.total == 45 and len(websocket.suppressed) == 2
    assert websocket.by_code["SSOT000"] == 1  # an error-severity finding
    assert any(f.related for f in websocket.findings)
    assert websocket_baselined.total == 23 and len(websocket_baselined.baselined) == 22
    assert [(f.path, f.line) for f in small.findings] == [
        ("pkg/we:ird,name.py", 1),
        ("pkg/multi.py", 1),
        ("pkg/multi.py", 1),
        ("pkg/single.py", 3),
    ]
    assert [(f.path, f.line) for f in small.suppressed] == [("pkg/good.py", 2)]
    assert clean.total == 0 and not clean.suppressed


def test_renderer_dispatches_every_format() -> None:
    assert FORMATS == (
        "text",
        "json",
        "sarif",
        "github",
        "gitlab",
        "junit",
        "markdown",
        "html",
        "concise",
        "full",
        "grouped",
    )
    for name in FORMATS:
        assert renderer(name).__name__ == f"render_{name}"


@pytest.mark.parametrize("name", RESULTS)
def test_every_format_is_deterministic_and_pure(request: pytest.FixtureRequest, name: str) -> None:
    result = get(request, name)
    before = copy.deepcopy(result)
    for fmt in FORMATS:
        assert renderer(fmt)(result, False) == renderer(fmt)(result, False)
    assert result == before


# =====================================================================================
# json
# =====================================================================================


def _closed(schema: Any) -> Any:
    """The schema with every object closed to undeclared keys: what this version
    writes, exactly (the shipped schema stays open for later minor versions)."""
    if isinstance(schema, dict):
        closed = {key: _closed(value) for key, value in schema.items()}
        if "properties" in closed:
            closed["additionalProperties"] = False
        return closed
    if isinstance(schema, list):
        return [_closed(item) for item in schema]
    return schema


def test_json_schema_is_a_valid_draft7_schema_for_this_version() -> None:
    schema = report_schema()
    jsonschema.Draft7Validator.check_schema(schema)
    assert SCHEMA_VERSION == "1.5"
    assert re.fullmatch(schema["properties"]["schema_version"]["pattern"], SCHEMA_VERSION)


def test_json_schema_accepts_a_later_minor_version_and_no_other_major(
    websocket: ScanResult,
) -> None:
    # A consumer pinned to this schema must not reject 1.6 output with a new key.
    validator = jsonschema.Draft7Validator(report_schema())
    report = json.loads(render_json(websocket))
    later = copy.deepcopy(report)
    later["schema_version"] = "1.6"
    later["summary"]["a_key_added_in_1_6"] = 3
    later["findings"][0]["another"] = {"x": 1}
    assert validator.is_valid(later)
    for version in ("2.0", "1", "1.x", "0.9"):
        assert not validator.is_valid({**report, "schema_version": version}), version


@pytest.mark.parametrize("name", RESULTS)
def test_json_report_validates_against_the_shipped_schema(
    request: pytest.FixtureRequest, name: str
) -> None:
    report = json.loads(render_json(get(request, name)))
    jsonschema.Draft7Validator(report_schema()).validate(report)
    # Every key this version writes is declared (documented) in the schema.
    jsonschema.Draft7Validator(_closed(report_schema())).validate(report)


def test_json_schema_rejects_what_it_should(websocket: ScanResult) -> None:
    validator = jsonschema.Draft7Validator(report_schema())
    closed = jsonschema.Draft7Validator(_closed(report_schema()))
    report = json.loads(render_json(websocket))
    broken: list[dict[str, Any]] = []
    for mutate in (
        lambda r: r.pop("budget"),
        lambda r: r["summary"].pop("baselined"),
        lambda r: r["findings"][0].update(line="3"),
        lambda r: r["findings"][0].update(severity="fatal"),
        lambda r: r.update(baseline={"path": "b.json"}),
    ):
        mutated = copy.deepcopy(report)
        mutate(mutated)
        broken.append(mutated)
    assert all(not validator.is_valid(r) for r in broken)
    assert not closed.is_valid({**report, "extra_key": 1})  # undeclared in this version


def test_json_budget_block(small: ScanResult) -> None:
    report = json.loads(render_json(small))
    assert report["budget"] == {
        "over_budget": True,
        "budgets": [
            {"name": "total", "limit": 10, "count": 4, "passed": True},
            {"name": "SSOT001", "limit": 0, "count": 1, "passed": False},
            {"name": "SSOT002", "limit": 5, "count": 3, "passed": True},
        ],
    }
    assert report["summary"]["max_warnings"] == 10


def test_json_without_budgets_or_baseline(clean: ScanResult, websocket: ScanResult) -> None:
    assert json.loads(render_json(clean))["budget"] == {"over_budget": False, "budgets": []}
    report = json.loads(render_json(websocket))
    assert report["budget"] == {"over_budget": True, "budgets": []}
    assert report["baseline"] is None
    assert report["summary"]["baselined"] == 0


def test_json_baseline_block(websocket_baselined: ScanResult) -> None:
    report = json.loads(render_json(websocket_baselined))
    assert report["schema_version"] == "1.5"
    assert report["baseline"] == {
        "path": ".ssot-baseline.json",
        "entries": 23,
        "matched": 22,
        "stale": 1,
        "stale_findings": [STALE_ENTRY],
    }
    assert report["summary"]["baselined"] == 22
    assert report["summary"]["total"] == len(report["findings"]) == 23


# =====================================================================================
# sarif
# =====================================================================================


def sarif(result: ScanResult, **options: Any) -> dict[str, Any]:
    log: dict[str, Any] = json.loads(render_sarif(result, options=ReportOptions(**options)))
    return log


@pytest.fixture(scope="module")
def sarif_schema() -> dict[str, Any]:
    if not SARIF_SCHEMA.parent.is_dir():
        pytest.skip(f"{SARIF_SCHEMA.parent} is absent")
    schema: dict[str, Any] = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
    return schema


@pytest.mark.parametrize("name", RESULTS)
def test_sarif_validates_against_the_official_schema(
    request: pytest.FixtureRequest, name: str, sarif_schema: dict[str, Any]
) -> None:
    log = sarif(get(request, name))
    # The file declares draft-04; check with that and with draft-07 alike.
    for cls in {validator_for(sarif_schema), jsonschema.Draft7Validator}:
        errors = [e.message for e in cls(sarif_schema).iter_errors(log)]
        assert errors == [], cls.__name__


def test_sarif_driver_has_every_rule_with_its_help(clean: ScanResult) -> None:
    log = sarif(clean)
    assert log["version"] == "2.1.0" and len(log["runs"]) == 1
    run = log["runs"][0]
    driver = run["tool"]["driver"]
    assert driver["name"] == "ssot-scan" and driver["version"] == __version__
    assert driver["informationUri"] == "https://pypi.org/project/ssot-scan/"
    assert [r["id"] for r in driver["rules"]] == list(ALL_CODES)
    checks = {check.code: check for check in all_checks()}
    for rule in driver["rules"]:
        check = checks[rule["id"]]
        doc = BY_CODE[rule["id"]].docs.strip()
        assert rule["name"] == CHECK_NAMES[rule["id"]] == check.name
        assert rule["shortDescription"]["text"] == " ".join(doc.split("\n\n")[0].split())
        assert rule["fullDescription"]["text"] == rule["help"]["text"] == doc
        assert "``" not in rule["help"]["markdown"]
        level = "error" if check.severity == "error" else "warning"
        assert rule["defaultConfiguration"]["level"] == level
    assert driver["rules"][0]["defaultConfiguration"]["level"] == "error"  # SSOT000
    assert "%SRCROOT%" in run["originalUriBaseIds"]
    assert run["results"] == []


def test_sarif_leaves_suppressed_findings_out_unless_asked(websocket: ScanResult) -> None:
    # GitHub code scanning opens an alert for every result, suppressed or not.
    results = sarif(websocket)["runs"][0]["results"]
    assert len(results) == websocket.total == 45
    assert not any("suppressions" in r for r in results)
    kept = sarif(websocket, include_suppressed=True)["runs"][0]["results"]
    assert len(kept) == 47
    assert [r["suppressions"] for r in kept[-2:]] == [[{"kind": "inSource"}]] * 2


def test_sarif_results_mirror_the_findings(websocket: ScanResult) -> None:
    run = sarif(websocket, include_suppressed=True)["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    results = run["results"]
    findings = websocket.findings + websocket.suppressed
    assert len(results) == len(findings) == 47
    for finding, result in zip(findings, results, strict=True):
        assert result["ruleId"] == finding.code == rules[result["ruleIndex"]]["id"]
        assert result["level"] == ("error" if finding.severity == "error" else "warning")
        if not finding.related:
            assert result["message"]["text"] == finding.message
        assert result["partialFingerprints"] == {FINGERPRINT_KEY: finding.fingerprint}
        physical = result["locations"][0]["physicalLocation"]
        assert physical["artifactLocation"] == {"uri": finding.path, "uriBaseId": "%SRCROOT%"}
        region = physical["region"]
        assert (region["startLine"], region["startColumn"]) == (finding.line, finding.column)
        if (finding.end_line, finding.end_column) != (finding.line, finding.column):
            assert (region["endLine"], region["endColumn"]) == (
                finding.end_line,
                finding.end_column,
            )
        else:  # an empty span is left open: it runs to the end of the line
            assert "endLine" not in region and "endColumn" not in region
        assert ("suppressions" in result) == finding.suppressed
        assert "baselineState" not in result
    assert [r["suppressions"] for r in results[-2:]] == [[{"kind": "inSource"}]] * 2
    fingerprints = [r["partialFingerprints"][FINGERPRINT_KEY] for r in results]
    assert len(set(fingerprints)) == len(fingerprints)


def test_sarif_related_locations(websocket: ScanResult) -> None:
    results = sarif(websocket)["runs"][0]["results"]
    with_related = [(f, r) for f, r in zip(websocket.findings, results, strict=True) if f.related]
    assert with_related
    for finding, result in with_related:
        assert [
            (
                loc["id"],
                loc["physicalLocation"]["artifactLocation"]["uri"],
                loc["physicalLocation"]["region"],
            )
            for loc in result["relatedLocations"]
        ] == [
            (n, rel["path"], {"startLine": rel["line"], "startColumn": rel["column"]})
            for n, rel in enumerate(finding.related, start=1)
        ]
        # The message links each one: `[path:line](id)`, as viewers render them.
        links = ", ".join(
            f"[{rel['path']}:{rel['line']}]({n})" for n, rel in enumerate(finding.related, 1)
        )
        text = finding.message.replace("[", "\\[").replace("]", "\\]")
        assert result["message"]["text"] == f"{text} Related: {links}."


def test_sarif_fix_for_a_single_name_import_only(small: ScanResult) -> None:
    results = sarif(small, include_suppressed=True)["runs"][0]["results"]
    by_uri: dict[str, list[dict[str, Any]]] = {}
    for result in results:
        uri = result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        by_uri.setdefault(uri, []).append(result)
    (single,) = by_uri["pkg/single.py"]
    assert single["fixes"] == [
        {
            "description": {"text": "Replace the import with `from pkg.api import Thing`"},
            "artifactChanges": [
                {
                    "artifactLocation": {"uri": "pkg/single.py", "uriBaseId": "%SRCROOT%"},
                    "replacements": [
                        {
                            "deletedRegion": {
                                "startLine": 3,
                                "startColumn": 1,
                                "endLine": 3,
                                "endColumn": 27,
                            },
                            "insertedContent": {"text": "from pkg.api import Thing"},
                        }
                    ],
                }
            ],
        }
    ]
    assert len(by_uri["pkg/multi.py"]) == 2
    assert all("fixes" not in r for r in by_uri["pkg/multi.py"])
    # The suppressed import keeps its fix (and its alias), marked suppressed.
    (good,) = by_uri["pkg/good.py"]
    assert good["suppressions"] == [{"kind": "inSource"}]
    fix = good["fixes"][0]["artifactChanges"][0]["replacements"][0]["insertedContent"]
    assert fix == {"text": "from pkg.api import Thing as T"}


def test_sarif_uri_is_percent_encoded(small: ScanResult) -> None:
    results = sarif(small)["runs"][0]["results"]
    uris = [r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in results]
    assert uris[0] == "pkg/we%3Aird%2Cname.py"  # ``pkg/we:ird,...`` would read as a scheme


def test_sarif_baseline_states(websocket_baselined: ScanResult) -> None:
    result = websocket_baselined
    assert [r["baselineState"] for r in sarif(result)["runs"][0]["results"]] == ["new"] * 23
    results = sarif(result, include_suppressed=True)["runs"][0]["results"]
    states = [r["baselineState"] for r in results]
    assert states == ["new"] * 23 + ["unchanged"] * 22 + ["new"] * 2
    unchanged = [r["partialFingerprints"][FINGERPRINT_KEY] for r in results[23:45]]
    assert unchanged == [f.fingerprint for f in result.baselined]


# =====================================================================================
# github
# =====================================================================================


def test_github_escaping_rules() -> None:
    assert escape_data("100%\r\nx, a: b") == "100%25%0D%0Ax, a: b"
    assert escape_property("a:b,c%d\ne") == "a%3Ab%2Cc%25d%0Ae"


def test_github_one_annotation_per_finding_then_a_notice(small: ScanResult) -> None:
    lines = render_github(small).splitlines()
    assert lines == [
        "::warning file=pkg/we%3Aird%2Cname.py,line=1,col=1,endLine=1,endColumn=22,"
        "title=SSOT001 deprecated-import::`X` is imported from deprecated module `pkg.old`; "
        "use `pkg.api` instead (rule pack pyproject.toml: 100%25 gone, really: yes)",
        "::warning file=pkg/multi.py,line=1,col=1,endLine=1,endColumn=34,"
        "title=SSOT002 non-canonical-import::import `Other` from `pkg.api`, not `pkg.core` "
        "(declared canonical: 1 site; this path: 1 site; 2 paths export `pkg.core.Other`)",
        "::warning file=pkg/multi.py,line=1,col=1,endLine=1,endColumn=34,"
        "title=SSOT002 non-canonical-import::import `Thing` from `pkg.api`, not `pkg.core` "
        "(declared canonical: 1 site; this path: 3 sites; 2 paths export `pkg.core.Thing`)",
        "::warning file=pkg/single.py,line=3,col=1,endLine=3,endColumn=27,"
        "title=SSOT002 non-canonical-import::import `Thing` from `pkg.api`, not `pkg.core` "
        "(declared canonical: 1 site; this path: 3 sites; 2 paths export `pkg.core.Thing`)",
        "::notice title=ssot-scan::4 findings (SSOT001 1, SSOT002 3); 1 suppressed; "
        "budgets: total 4/10 pass, SSOT001 1/0 FAIL, SSOT002 3/5 pass; 8 files scanned; "
        "result: fail",
    ]
    assert render_github(small, quiet=True).splitlines() == lines[:-1]


def test_github_escapes_a_multiline_message(small: ScanResult) -> None:
    finding = msgspec.structs.replace(small.findings[0], message="50% done\r\nnext, a: b")
    assert annotation(finding) == (
        "::warning file=pkg/we%3Aird%2Cname.py,line=1,col=1,endLine=1,endColumn=22,"
        "title=SSOT001 deprecated-import::50%25 done%0D%0Anext, a: b"
    )


def test_github_errors_and_point_locations(websocket: ScanResult) -> None:
    lines = render_github(websocket).splitlines()
    assert lines[0] == (
        "::error file=app/broken.py,line=6,col=23,title=SSOT000 parse-error::"
        "cannot parse: SyntaxError: invalid syntax"
    )
    assert lines[-2].startswith("::notice title=ssot-scan::45 findings (SSOT000 1, SSOT001 16,")


def test_github_shows_ten_of_each_kind_most_important_first_then_says_the_rest(
    websocket: ScanResult,
) -> None:
    # GitHub shows at most 10 warning and 10 error annotations per step.
    lines = render_github(websocket).splitlines()
    errors = [line for line in lines if line.startswith("::error ")]
    warnings = [line for line in lines if line.startswith("::warning ")]
    assert len(errors) == 1  # SSOT000, the one error
    assert len(warnings) == 10
    assert lines[: len(errors)] == errors  # errors first
    codes = [line.split("title=")[1].split()[0] for line in warnings]
    assert codes == ["SSOT001"] * 10  # by rule order: deprecated imports before the rest
    assert lines[-1] == (
        "::notice title=ssot-scan%3A more findings::34 more findings are not annotated: "
        "GitHub shows at most 10 warnings and 10 errors per step; add `--report "
        "sarif:FILE` (or run ssot-scan with `-f text`) for all of them"
    )
    told = render_github(websocket, options=ReportOptions(full_reports=("ssot.sarif",)))
    assert told.splitlines()[-1].endswith("per step; the full report: ssot.sarif")


def test_github_and_sarif_paths_start_at_the_repository_root(small: ScanResult) -> None:
    options = ReportOptions(path_prefix="services/api", repository_root="/repo")
    first = render_github(small, options=options).splitlines()[0]
    assert first.startswith("::warning file=services/api/pkg/we%3Aird%2Cname.py,line=1,")
    run = sarif(small, path_prefix="services/api", repository_root="/repo")["runs"][0]
    location = run["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
    assert location == {"uri": "services/api/pkg/we%3Aird%2Cname.py", "uriBaseId": "%SRCROOT%"}
    assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"] == "file:///repo/"


def test_github_notice_under_a_baseline(
    websocket_baselined: ScanResult, clean: ScanResult
) -> None:
    notice = render_github(websocket_baselined).splitlines()[-2]
    assert "; 2 suppressed; 22 baselined; 1 baseline entry fixed; 66 files scanned;" in notice
    assert render_github(clean) == (
        "::notice title=ssot-scan::0 findings; 3 files scanned; result: pass\n"
    )
    assert render_github(clean, quiet=True) == ""


# =====================================================================================
# gitlab
# =====================================================================================


def test_gitlab_code_quality_issues(small: ScanResult, websocket: ScanResult) -> None:
    issues = json.loads(render_gitlab(small))
    assert issues[-1] == {
        "description": small.findings[-1].message,
        "check_name": "SSOT002",
        "fingerprint": small.findings[-1].fingerprint,
        "severity": "major",
        "location": {"path": "pkg/single.py", "lines": {"begin": 3}},
    }
    issues = json.loads(render_gitlab(websocket))
    assert len(issues) == websocket.total
    assert [i["fingerprint"] for i in issues] == [f.fingerprint for f in websocket.findings]
    assert len({i["fingerprint"] for i in issues}) == len(issues)
    assert {i["severity"] for i in issues} == {"critical", "major"}
    assert [i["check_name"] for i in issues if i["severity"] == "critical"] == ["SSOT000"]
    for item in issues:
        assert set(item) == {"description", "check_name", "fingerprint", "severity", "location"}


def test_gitlab_clean_is_an_empty_list(clean: ScanResult) -> None:
    assert json.loads(render_gitlab(clean)) == []


# =====================================================================================
# junit
# =====================================================================================


# What the Ant JUnit schema (the one Jenkins reads) requires, checked element by element.
_ANT_TIMESTAMP = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}")
_SUITE_ATTRIBUTES = {
    "id",
    "package",
    "name",
    "timestamp",
    "hostname",
    "tests",
    "failures",
    "errors",
    "time",
}


def assert_ant_junit(root: ET.Element) -> None:
    assert root.tag == "testsuites"
    for number, suite in enumerate(root):
        assert suite.tag == "testsuite"
        assert set(suite.attrib) >= _SUITE_ATTRIBUTES, suite.attrib
        assert suite.get("id") == str(number)
        assert _ANT_TIMESTAMP.fullmatch(suite.get("timestamp", ""))
        assert suite.get("hostname") and suite.get("package") and suite.get("name")
        for key in ("tests", "failures", "errors"):
            assert int(suite.get(key, "")) >= 0
        float(suite.get("time", ""))
        children = [child.tag for child in suite]
        # properties, then the test cases, then system-out and system-err, in order.
        assert children[0] == "properties" and children[-2:] == ["system-out", "system-err"]
        assert set(children[1:-2]) <= {"testcase"}
        for prop in suite.find("properties") or []:
            assert prop.tag == "property" and set(prop.attrib) == {"name", "value"}
        for case in suite.findall("testcase"):
            assert {"name", "classname", "time"} <= set(case.attrib)
            float(case.get("time", ""))
            for failure in case:
                assert failure.tag == "failure"
                assert {"message", "type"} <= set(failure.attrib)


def test_junit_passes_the_ant_schema(websocket: ScanResult, clean: ScanResult) -> None:
    assert_ant_junit(ET.fromstring(render_junit(websocket)))
    assert_ant_junit(ET.fromstring(render_junit(clean)))


def test_junit_one_case_per_finding_grouped_per_file(websocket: ScanResult) -> None:
    root = ET.fromstring(render_junit(websocket))
    assert root.tag == "testsuites" and root.get("name") == "ssot-scan"
    assert root.get("tests") == root.get("failures") == "45"
    suites = root.findall("testsuite")
    paths = sorted({f.path for f in websocket.findings})
    assert [s.get("name") for s in suites] == paths
    assert len(suites) == websocket.files_with_findings
    assert sum(int(s.get("tests", "")) for s in suites) == 45
    for suite in suites:
        cases = suite.findall("testcase")
        assert suite.get("tests") == suite.get("failures") == str(len(cases))
        assert len({c.get("name") for c in cases}) == len(cases)
        # No line numbers in a name: CI history follows a finding when lines move.
        assert not any(re.search(r":\d+:\d+", c.get("name", "")) for c in cases)
    # The classname is the file as a module path: Jenkins splits it at the last dot.
    (stream,) = [s for s in suites if s.get("name") == "app/api/stream_api.py"]
    assert {c.get("classname") for c in stream.findall("testcase")} == {"app.api.stream_api"}
    assert stream.get("package") == "app.api"
    # The multi-name import yields two findings, named for the name each imports.
    names = [c.get("name") for c in stream.findall("testcase")]
    assert names[:2] == [
        "SSOT002 non-canonical-import: from app.websocket_core.canonical_imports "
        "import WebSocketMessage",
        "SSOT002 non-canonical-import: from app.websocket_core.canonical_imports "
        "import UnifiedWebSocketManager",
    ]


def test_junit_two_findings_of_one_name_in_a_file_stay_two_cases(small: ScanResult) -> None:
    result = copy.deepcopy(small)
    twice = copy.deepcopy(result.findings[0])
    twice.line += 10
    result.findings.append(twice)
    root = ET.fromstring(render_junit(result))
    names = [c.get("name") for c in root.iter("testcase")]
    assert names.count(case_name(twice)) == 1
    assert f"{case_name(twice)} #2" in names


def test_junit_names_survive_a_line_moving(websocket: ScanResult) -> None:
    moved = copy.deepcopy(websocket)
    for finding in moved.findings:
        finding.line += 3
    names = [c.get("name") for c in ET.fromstring(render_junit(websocket)).iter("testcase")]
    again = [c.get("name") for c in ET.fromstring(render_junit(moved)).iter("testcase")]
    assert names == again


def test_junit_classname_of_odd_file_names() -> None:
    assert classname("app/api/stream_api.py") == "app.api.stream_api"
    assert classname("pkg/we:ird,name.py") == "pkg.we_ird_name"
    assert classname("a.b/c.d.py") == "a_b.c_d"
    assert classname("setup.py") == "setup"


def test_junit_failure_content(websocket: ScanResult) -> None:
    root = ET.fromstring(render_junit(websocket))
    (broken,) = [s for s in root.findall("testsuite") if s.get("name") == "app/broken.py"]
    (case,) = broken.findall("testcase")
    assert case.get("name") == "SSOT000 parse-error: SyntaxError: invalid syntax"
    failure = case.find("failure")
    assert failure is not None
    assert failure.get("type") == "SSOT000"
    assert failure.get("message") == "cannot parse: SyntaxError: invalid syntax"
    assert failure.text == (
        "SSOT000 parse-error: cannot parse: SyntaxError: invalid syntax (app/broken.py:6:23)"
    )


def test_junit_clean_scan_is_one_passing_case(clean: ScanResult) -> None:
    text = render_junit(clean)
    assert text.startswith('<?xml version="1.0" encoding="UTF-8"?>\n')
    root = ET.fromstring(text)
    assert (root.get("tests"), root.get("failures")) == ("1", "0")
    (suite,) = root.findall("testsuite")
    (case,) = suite.findall("testcase")
    assert suite.get("name") == case.get("name") == "ssot-scan"
    assert list(case) == []


def test_junit_survives_characters_xml_cannot_hold(small: ScanResult) -> None:
    result = copy.deepcopy(small)
    result.findings[0].message = "bad \x00 byte & <tag>"
    root = ET.fromstring(render_junit(result))
    failure = root.find(".//failure[@type='SSOT001']")
    assert failure is not None and failure.get("message") == "bad \ufffd byte & <tag>"


# =====================================================================================
# markdown
# =====================================================================================


def test_markdown_summary(small: ScanResult) -> None:
    text = render_markdown(small)
    lines = text.splitlines()
    assert lines[0] == "## ssot-scan: 4 findings, failed"
    start = lines.index("| code | name | findings |")
    assert lines[start : start + 12] == [
        "| code | name | findings |",
        "| --- | --- | ---: |",
        "| `SSOT000` | parse-error | 0 |",
        "| `SSOT001` | deprecated-import | 1 |",
        "| `SSOT002` | non-canonical-import | 3 |",
        "| `SSOT003` | competing-definitions | 0 |",
        "| `SSOT004` | import-cycle | 0 |",
        "| `SSOT005` | unresolved-import | 0 |",
        "| `SSOT006` | shadowed-module | 0 |",
        "| `SSOT007` | unknown-suppression | 0 |",
        "| `SSOT008` | unused-suppression | 0 |",
        "| **total** |  | **4** |",
    ]
    start = lines.index("### Budgets")
    assert lines[start + 2 : start + 7] == [
        "| budget | limit | count | result |",
        "| --- | ---: | ---: | --- |",
        "| total | 10 | 4 | pass |",
        "| SSOT001 | 0 | 1 | **fail** |",
        "| SSOT002 | 5 | 3 | pass |",
    ]
    start = lines.index("### Top fragmented symbols")
    assert lines[start + 2 :] == [
        "| symbol | canonical | paths in use | sites | unused exports |",
        "| --- | --- | ---: | ---: | ---: |",
        "| `pkg.core.Thing` | `pkg.api` | 2 | 4 | 0 |",
        "| `pkg.core.Other` | `pkg.api` | 2 | 2 | 0 |",
    ]
    assert "Baseline" not in text


def test_markdown_only_enabled_codes_and_top_ten(websocket: ScanResult) -> None:
    result = copy.deepcopy(websocket)
    result.by_code = {"SSOT001": 17, "SSOT002": 12}
    fragment = result.fragments[0]
    result.fragments = [
        msgspec.structs.replace(fragment, symbol=f"pkg.mod{n:02}.Thing", site_count=n)
        for n in range(1, 13)
    ]
    lines = render_markdown(result).splitlines()
    assert [line for line in lines if line.startswith("| `SSOT")] == [
        "| `SSOT001` | deprecated-import | 17 |",
        "| `SSOT002` | non-canonical-import | 12 |",
    ]
    rows = [line for line in lines if line.startswith("| `pkg.mod")]
    assert [row.split(" | ")[0] for row in rows] == [
        f"| `pkg.mod{n:02}.Thing`" for n in range(12, 2, -1)
    ]
    assert lines[-1] == "... and 2 more."
    assert "### Budgets" not in lines


def test_markdown_baseline_line(websocket_baselined: ScanResult, clean: ScanResult) -> None:
    lines = render_markdown(websocket_baselined).splitlines()
    assert lines[0] == "## ssot-scan: 23 findings, failed"
    assert (
        "Baseline `.ssot-baseline.json`: 22 findings baselined; "
        "1 of its 23 entries no longer occur (fixed)."
    ) in lines
    assert render_markdown(clean).splitlines()[0] == "## ssot-scan: 0 findings, passed"


def test_markdown_escapes_pipes(small: ScanResult) -> None:
    assert cell("a|b\nc") == "a\\|b c"
    result = copy.deepcopy(small)
    result.fragments[0].symbol = "pkg.core.A|B"
    assert "| `pkg.core.A\\|B` | `pkg.api` | 2 | 2 | 0 |" in render_markdown(result).splitlines()


# =====================================================================================
# statistics
# =====================================================================================


def test_statistics_text(small: ScanResult) -> None:
    assert render_statistics_text(small) == (
        "code     name                   count\n"
        "SSOT000  parse-error                0\n"
        "SSOT001  deprecated-import          1\n"
        "SSOT002  non-canonical-import       3\n"
        "SSOT003  competing-definitions      0\n"
        "SSOT004  import-cycle               0\n"
        "SSOT005  unresolved-import          0\n"
        "SSOT006  shadowed-module            0\n"
        "SSOT007  unknown-suppression        0\n"
        "SSOT008  unused-suppression         0\n"
        "total                               4\n"
    )


def test_statistics_json(websocket: ScanResult, websocket_baselined: ScanResult) -> None:
    assert json.loads(render_statistics_json(websocket)) == {
        "total": 45,
        "by_code": {
            "SSOT000": 1,
            "SSOT001": 16,
            "SSOT002": 12,
            "SSOT003": 5,
            "SSOT004": 2,
            "SSOT005": 8,
            "SSOT006": 1,
            "SSOT007": 0,
            "SSOT008": 0,
        },
    }
    data = json.loads(render_statistics_json(websocket_baselined))
    assert data["total"] == sum(data["by_code"].values()) == 23


# =====================================================================================
# through the CLI
# =====================================================================================


@pytest.mark.parametrize("fmt", FORMATS)
def test_cli_prints_every_format(fmt: str, tmp_path: Path, run_cli: RunCli) -> None:
    write(tmp_path, SMALL)
    code, out, _ = run_cli(["--no-cache", "-f", fmt, "."], tmp_path)
    assert code == 1
    if fmt in ("json", "sarif", "gitlab"):
        json.loads(out)
    elif fmt == "junit":
        assert ET.fromstring(out).get("failures") == "4"
    elif fmt == "github":
        assert out.count("::warning ") == 4
    elif fmt == "markdown":
        assert out.startswith("## ssot-scan: 4 findings, failed\n")
    elif fmt in ("text", "grouped", "concise", "full"):
        assert out.count(": SSOT00") == 4
    elif fmt == "html":
        assert out.startswith("<!DOCTYPE html>\n") and "<title>ssot-scan report: 4 findings" in out


def test_text_summary_lists_paths_in_use_never_unused_exports(websocket: ScanResult) -> None:
    from ssot_scan.report.text import render_text

    lines = render_text(websocket).splitlines()
    start = lines.index("Fragmented symbols: 3")
    assert lines[start + 1 : start + 7] == [
        "  app.websocket_core.unified_manager._UnifiedWebSocketManagerImplementation: "
        "8 paths in use, 20 sites; 2 unused exports",
        "    app.websocket_core (facade): 6 sites, as UnifiedWebSocketManager",
        "    app.websocket_core.manager (deprecated): 5 sites, as UnifiedWebSocketManager, "
        "WebSocketManager",
        "    app.websocket_core.websocket_manager (canonical): 4 sites, "
        "as UnifiedWebSocketManager",
        "    app.services.broadcast_service (facade): 1 site, as WebSocketManager",
        "    app.websocket_core.canonical_import_patterns (facade): 1 site, "
        "as UnifiedWebSocketManager",
    ]
    summary = "\n".join(lines[start:])
    assert ": 0 sites" not in summary
    assert "caller_check" not in summary  # an unused export of the first symbol


def test_fragment_roles_and_unused_exports(websocket: ScanResult) -> None:
    fragment = next(f for f in websocket.fragments if f.symbol.endswith("WebSocketMessage"))
    assert [(p.path, p.sites, p.role) for p in fragment.paths_in_use] == [
        ("app.websocket_core.websocket_manager", 3, "canonical"),
        ("app.websocket_core", 2, "facade"),
        ("app.websocket_core.__init___compat", 1, "deprecated"),
        ("app.websocket_core.canonical_imports", 1, "facade"),
    ]
    assert fragment.unused_exports == [
        "app.websocket_core.canonical_import_patterns",
        "app.websocket_core.unified_manager",
    ]
    # A stored result (the cache's warm run) keeps them.
    again = ScanResult.from_json(json.loads(json.dumps(websocket.to_json())), [])
    assert again.fragments == websocket.fragments


def test_a_stored_result_is_every_field_but_the_run_s_own(websocket: ScanResult) -> None:
    # ``to_json`` spells out the records it holds (to skip deep copies): a field
    # added to one of them must reach the cache as a deep conversion would write it.
    expected = msgspec.to_builtins(websocket)
    for transient in ("notices", "reused", "baselined", "baseline", "scope", "timestamp"):
        expected.pop(transient)
    assert any(f["rewrite"] for f in expected["findings"])
    assert any(f["replacement"] for f in expected["findings"])
    assert json.dumps(websocket.to_json(), sort_keys=True) == json.dumps(expected, sort_keys=True)


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_cli_sarif_and_annotations_resolve_from_the_git_root_in_a_monorepo(
    tmp_path: Path, run_cli: RunCli
) -> None:
    project = write(tmp_path / "services" / "api", SMALL)
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    sarif_file = tmp_path / "out.sarif"
    code, out, err = run_cli(
        ["--no-cache", "-f", "github", "--report", f"sarif:{sarif_file}", "."], project
    )
    assert code == 1, err
    assert out.splitlines()[0].startswith("::warning file=services/api/pkg/")
    run = json.loads(sarif_file.read_text())["runs"][0]
    uri = run["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
    assert uri.startswith("services/api/pkg/")
    assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"] == tmp_path.resolve().as_uri() + "/"
    # --path-prefix says it instead of git.
    code, out, _ = run_cli(["--no-cache", "-f", "github", "--path-prefix", "x/", "."], project)
    assert out.splitlines()[0].startswith("::warning file=x/pkg/")


def test_text_styles_grouped_concise_full(websocket: ScanResult) -> None:
    from ssot_scan.report.text import render_text

    grouped = render_text(websocket, quiet=True).splitlines()
    concise = render_text(websocket, quiet=True, style="concise").splitlines()
    full = render_text(websocket, quiet=True, style="full").splitlines()
    # concise: one line per finding, nothing between; grouped: a blank line per file.
    assert len(concise) == websocket.total and "" not in concise
    assert [line for line in grouped if line] == concise
    assert grouped.count("") == websocket.files_with_findings - 1
    # full: each finding with its frame; the line marked, a caret under the column.
    start = full.index(concise[0])
    frame = full[start + 1 : full.index("", start)]
    finding = sorted(websocket.findings, key=lambda f: (f.path, f.line, f.column))[0]
    marked = [line for line in frame if line.startswith(f"  > {finding.line} | ")]
    assert len(marked) == 1
    caret = frame[frame.index(marked[0]) + 1]
    assert caret.endswith("| " + " " * (finding.column - 1) + "^")
    assert all(line in full for line in concise)
    helps = [line for line in full if line.startswith("  help: write `")]
    assert helps and all(line.endswith("` instead") for line in helps)


def test_cli_show_source_is_the_full_style(tmp_path: Path, run_cli: RunCli) -> None:
    write(tmp_path, SMALL)
    _, shown, _ = run_cli(["--no-cache", "--show-source", "."], tmp_path)
    _, full, _ = run_cli(["--no-cache", "-f", "full", "."], tmp_path)
    assert shown == full and " | " in full
    _, concise, _ = run_cli(["--no-cache", "-q", "-f", "concise", "."], tmp_path)
    assert len(concise.splitlines()) == 4


def test_the_repository_prefix_keeps_a_dot_folder(tmp_path: Path) -> None:
    from ssot_scan.cli import path_inside

    (tmp_path / ".config" / "app").mkdir(parents=True)
    assert path_inside(tmp_path / ".config" / "app", tmp_path) == ".config/app"
    assert path_inside(tmp_path, tmp_path) == ""
    assert path_inside(tmp_path, tmp_path / ".config") == ""  # not inside it
