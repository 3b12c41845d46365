"""The HTML report: one self-contained page, read here as markup and, where Chromium
is installed, as a person sees it (headless, after its script ran)."""

from __future__ import annotations

import json
import os
import re
import shutil
import stat
import subprocess
import tokenize
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path
from typing import Any, Optional

import msgspec
import pytest

from ssot_scan.config import load_config, load_rule_packs
from ssot_scan.findings import Finding
from ssot_scan.report import html as html_report
from ssot_scan.report.html import render_html
from ssot_scan.result import ScanResult
from ssot_scan.scan import run_scan

RunCli = Callable[..., "tuple[int, str, str]"]
FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "websocket_app"
HISTORY = [
    {"timestamp": "2026-11-01T10:00:00+00:00", "total": 60, "by_code": {"SSOT001": 25}},
    {"timestamp": "2026-11-08T10:00:00+00:00", "total": 52, "by_code": {"SSOT001": 20}},
    {"timestamp": "2026-11-15T10:00:00+00:00", "total": 46, "by_code": {"SSOT001": 17}},
]
_VOID = {"meta", "br", "input", "img", "hr", "link", "col", "area", "base", "source", "wbr"}
_SVG_LEAVES = {"rect", "path", "line", "polyline"}


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("html") / "websocket_app"
    shutil.copytree(FIXTURE, root)
    return root


@pytest.fixture(scope="module")
def result(project: Path) -> ScanResult:
    config = load_config([project])
    load_rule_packs(config, [])
    return run_scan([project], config)


class _Tags(HTMLParser):
    """Every start tag with its attributes, and whether the tags nest properly."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, Optional[str]]]] = []
        self.stack: list[str] = []
        self.errors: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, Optional[str]]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag not in _VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, Optional[str]]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"</{tag}> closes {self.stack[-1:] or 'nothing'}")
            return
        self.stack.pop()


def _parse(page: str) -> _Tags:
    parser = _Tags()
    parser.feed(page)
    parser.close()
    return parser


def _count(tags: _Tags, name: str, css_class: str = "") -> int:
    return sum(
        1
        for tag, attrs in tags.tags
        if tag == name and (not css_class or css_class in (attrs.get("class") or "").split())
    )


def test_the_page_is_well_formed_and_self_contained(result: ScanResult) -> None:
    page = render_html(result, history=HISTORY)
    tags = _parse(page)
    assert tags.errors == [] and tags.stack == []
    # Nothing is fetched: no scripts, styles, images or fonts from anywhere.
    for tag, attrs in tags.tags:
        assert "src" not in attrs, tag
        href = attrs.get("href")
        assert href is None or href.startswith("#"), href
    addresses = set(re.findall(r"https?://[^\s\"')]+", page))
    assert addresses == {"http://www.w3.org/2000/svg"}  # the SVG namespace, not fetched
    assert "@import" not in page and "url(http" not in page


def test_the_page_holds_totals_maps_cycles_trend_and_every_finding(result: ScanResult) -> None:
    page = render_html(result, history=HISTORY)
    tags = _parse(page)
    assert "<p class='verdict fail' id='verdict'>over budget</p>" in page
    assert "<b>69.7%</b><span>files clean</span>" in page
    # One map per fragmented symbol (3), one drawing per cycle (2).
    assert _count(tags, "svg", "map") == 5
    assert _count(tags, "article", "fragment") == 3 and _count(tags, "article", "cycle") == 2
    # The cycles' breakers are drawn as such: one per cycle in the fixture.
    assert _count(tags, "g", "breaker") == sum(len(c.breakers) for c in result.cycles) == 2
    # The trend chart: total and each code recorded, as lines.
    assert _count(tags, "svg", "trend") == 1
    assert _count(tags, "polyline", "series") == 2
    # The findings table lists every finding, as plain rows.
    rows = re.findall(r"<tr data-code='(SSOT\d+)'>", page)
    assert len(rows) == result.total == 45
    # Each importer file of the first map is a node; no file is drawn twice.
    first = page[page.index("<article class='fragment'>") :]
    first = first[: first.index("</article>")]
    files = re.findall(r"<g class=\"node file\"><title>([^<]+)</title>", first)
    assert len(files) == len(set(files)) == 13


def test_a_finding_shows_its_code_frame_and_what_to_write_instead(result: ScanResult) -> None:
    page = render_html(result)
    finding = next(
        f for f in result.findings if f.code == "SSOT002" and f.rewrite and f.rewrite.statement
    )
    with tokenize.open(FIXTURE / finding.path) as source:
        lines = source.read().splitlines()
    hit = f"<span class='hit'><i>{finding.line}</i>"
    assert hit in page
    assert f"Instead: <code>{finding.rewrite.statement}</code>" in page  # type: ignore[union-attr]
    frame = page[page.index(hit) - 400 : page.index(hit) + 400]
    assert f"<i>{finding.line - 1}</i>" in frame or finding.line == 1
    assert lines[finding.line - 1].split()[0] in frame
    deprecated = next(f for f in result.findings if f.code == "SSOT001" and f.replacement)
    assert deprecated.replacement is not None
    assert f"Instead: <code>from {deprecated.replacement.module} import" in page or (
        f"Instead: <code>import {deprecated.replacement.module}</code>" in page
    )


def test_a_latin1_source_is_framed_as_python_reads_it(result: ScanResult) -> None:
    # app/latin1_module.py:4 is a finding; line 6 of its frame spells an é in latin-1.
    page = render_html(result)
    frames = "".join(re.findall(r"<pre class='frame'>.*?</pre>", page, re.S))
    assert "GREETING = &quot;Bienvenue, connexion établie&quot;" in frames
    assert "\ufffd" not in frames


def test_a_missing_or_unreadable_source_only_loses_its_frame(
    result: ScanResult, tmp_path: Path
) -> None:
    moved = msgspec.structs.replace(result, project_root=str(tmp_path / "gone"))
    page = render_html(moved)
    assert "<pre class='frame'>" not in page
    assert len(re.findall(r"<tr data-code=", page)) == result.total


def test_a_big_result_keeps_every_count_and_says_what_it_left_out(
    result: ScanResult, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(html_report, "TABLE_ROWS", 10)
    monkeypatch.setattr(html_report, "FRAMED", 5)
    monkeypatch.setattr(html_report, "MAPS", 1)
    page = render_html(result)
    assert len(re.findall(r"<tr data-code=", page)) == 10
    assert "<b>45</b><span>findings</span>" in page
    assert "The findings table lists the first 10 of 45 findings" in page
    assert "Code frames are shown for the first 5 of 45 findings." in page
    assert "Maps are drawn for the 1 most used of 3 fragmented symbols." in page
    assert page.count("<pre class='frame'>") == 5
    assert _count(_parse(page), "svg", "map") == 1 + 2  # one symbol, both cycles


def test_markup_in_names_and_messages_is_escaped(result: ScanResult) -> None:
    hostile = Finding(
        code="SSOT005",
        name="unresolved-import",
        severity="error",
        path="app/<script>.py",
        line=1,
        column=1,
        end_line=1,
        end_column=2,
        message="cannot import `</td><script>alert(1)</script>`",
        symbol="a.<b>",
    )
    page = render_html(msgspec.structs.replace(result, findings=[*result.findings, hostile]))
    assert "<script>alert(1)</script>" not in page
    assert "&lt;/td&gt;&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert _parse(page).errors == []


def test_without_history_the_trend_says_how_to_get_one(result: ScanResult) -> None:
    page = render_html(result)
    assert "<svg" in page and 'class="trend"' not in page
    assert "Record runs with <code>--history FILE</code>" in page


def test_the_cli_writes_html_with_the_trend_keeping_the_files_mode_through_a_link(
    project: Path, tmp_path: Path, run_cli: RunCli
) -> None:
    history = tmp_path / "history.jsonl"
    for _ in range(2):
        code, _, err = run_cli(
            ["--no-cache", "--exit-zero", "-q", "--history", str(history), "."], project
        )
        assert code == 0, err
    target = tmp_path / "real.html"
    target.write_text("old")
    target.chmod(0o640)
    link = tmp_path / "report.html"
    link.symlink_to(target)
    code, out, err = run_cli(
        [
            "--no-cache",
            "--history",
            str(history),
            "-f",
            "html",
            "-o",
            str(link),
            "--report",
            f"json:{tmp_path / 'r.json'}",
            "--report",
            f"html:{tmp_path / 'second.html'}",
            ".",
        ],
        project,
    )
    assert code == 1, err
    assert out == ""
    assert link.is_symlink() and stat.S_IMODE(target.stat().st_mode) == 0o640
    page = target.read_text()
    assert page.startswith("<!DOCTYPE html>") and 'class="trend"' in page
    assert "3 runs, from" in page  # the two before and this one
    assert (tmp_path / "second.html").read_text() == page
    assert json.loads((tmp_path / "r.json").read_text())["summary"]["total"] == 45


def _chromium() -> Optional[str]:
    return shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.mark.skipif(_chromium() is None, reason="Chromium is not installed")
def test_chromium_renders_the_maps_the_trend_chart_and_the_tables(
    result: ScanResult, tmp_path: Path
) -> None:
    page = tmp_path / "report.html"
    page.write_text(render_html(result, history=HISTORY))
    browser = [
        str(_chromium()),
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--hide-scrollbars",
        "--window-size=1280,2000",
    ]
    env = {**os.environ, "HOME": str(tmp_path)}  # a profile of its own, not the user's

    def open_page(how: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [*browser, how, page.as_uri()],
            capture_output=True,
            text=True,
            timeout=120,
            env=env,
            check=False,
        )

    done = open_page("--dump-dom")
    assert done.returncode == 0, done.stderr[-2000:]
    found = re.search(r'data-rendered="([^"]*)"', done.stdout)
    assert found, "the page's script did not run"
    rendered: dict[str, Any] = json.loads(found.group(1).replace("&quot;", '"'))
    # Five drawings (three symbol maps, two cycles), each laid out at a real size.
    assert len(rendered["maps"]) == 5
    assert all(width > 300 and height > 50 for width, height in rendered["maps"])
    assert rendered["trend"] == [[720, 260]]
    assert rendered["nodes"] == sum(len(f.paths_in_use) + 1 for f in result.fragments) + sum(
        len(c.modules) for c in result.cycles
    ) + sum(
        len({file for files in f.importers.values() for file in files}) for f in result.fragments
    )
    assert rendered["breakers"] == 2
    assert rendered["rows"] == 45 and rendered["filters"] is True
    shot = tmp_path / "shot.png"
    done = open_page(f"--screenshot={shot}")
    assert done.returncode == 0, done.stderr[-2000:]
    header = shot.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = int.from_bytes(header[16:20], "big"), int.from_bytes(header[20:24], "big")
    assert (width, height) == (1280, 2000)


def test_a_clean_project_gets_a_short_page_within_budget(tmp_path: Path) -> None:
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "__init__.py").write_text("")
    (tmp_path / "pkg" / "a.py").write_text("import os\n")
    config = load_config([tmp_path])
    load_rule_packs(config, [])
    page = render_html(run_scan([tmp_path], config))
    tags = _parse(page)
    assert tags.errors == [] and tags.stack == []
    assert "<p class='verdict pass' id='verdict'>within budget</p>" in page
    assert "No findings." in page and "No symbol is imported through more than one path." in page
    assert _count(tags, "svg") == 0 and "Left out of this page" not in page


def test_a_stored_cycle_without_edges_reads_and_renders_without_a_drawing(
    result: ScanResult,
) -> None:
    # Results stored before cycles kept their edges have none to draw.
    data = json.loads(json.dumps(result.to_json()))
    for cycle in data["cycles"]:
        del cycle["edges"]
    stored = ScanResult.from_json(data, [])
    assert [c.edges for c in stored.cycles] == [[], []]
    page = render_html(stored)
    assert _count(_parse(page), "article", "cycle") == 2
    assert "comes from a stored result that kept no edges" in page  # said, not hidden
