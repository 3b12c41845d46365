"""Trend: ``--history FILE`` appends one JSON line per run; ``ssot-scan trend FILE``
prints them as a table with the change since the previous and the first run."""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from ssot_scan.rules import ALL_CODES

MakeProject = Callable[..., Path]
RunCli = Callable[..., "tuple[int, str, str]"]

PROJECT = {
    "pyproject.toml": """\
[tool.ssot-scan]

[[tool.ssot-scan.deprecated]]
module = "pkg.old"
replacement = "pkg.core"
""",
    "pkg/__init__.py": "",
    "pkg/old.py": "X = 1\n",
    "pkg/core.py": "X = 1\n",
    "pkg/a.py": "import pkg.old\n",
    "pkg/b.py": "from pkg.old import X\n",
}
HEADER_CELLS = ["run", "timestamp", "commit", "total", "vs previous", "vs first"]


@pytest.fixture
def project(tmp_path: Path, make_project: MakeProject, monkeypatch: pytest.MonkeyPatch) -> Path:
    # Never let git find a repository above the test's folder.
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path.parent))
    for name in ("GIT_DIR", "GIT_WORK_TREE"):
        monkeypatch.delenv(name, raising=False)
    return make_project(tmp_path, PROJECT)


def scan(run_cli: RunCli, cwd: Path, *args: str) -> int:
    code, out, err = run_cli(["check", "--no-cache", "-q", "--history", "h.jsonl", *args], cwd)
    assert code in (0, 1), (out, err)
    return code


def records(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def parse_table(out: str) -> list[dict[str, str]]:
    """Rows of the trend table as header -> cell; cells are right-aligned in columns
    two spaces apart, so a column ends where its header ends."""
    lines = out.rstrip("\n").splitlines()
    header = lines[0]
    names: list[str] = []
    ends: list[int] = []
    position = 0
    for word in header.split():
        # "vs previous" and "vs first" are one header each.
        if names and names[-1] == "vs":
            names[-1] = f"vs {word}"
            position = header.index(word, position) + len(word)
            ends[-1] = position
            continue
        position = header.index(word, position) + len(word)
        names.append(word)
        ends.append(position)
    rows = []
    for line in lines[1:]:
        cells = {}
        start = 0
        for name, end in zip(names, ends, strict=True):
            cells[name] = line[start:end].strip()
            start = end
        rows.append(cells)
    return rows


def history_line(total: int, commit: Any = None, **by_code: int) -> str:
    return json.dumps(
        {
            "timestamp": "2024-05-01T12:00:00+00:00",
            "commit": commit,
            "by_code": by_code,
            "total": total,
            "files_scanned": 3,
        }
    )


# -- --history --------------------------------------------------------------------------


def test_history_appends_one_record_per_run(
    project: Path, run_cli: RunCli, make_project: MakeProject
) -> None:
    assert scan(run_cli, project, ".") == 1
    make_project(project, {"pkg/c.py": "import pkg.old\n"})
    assert scan(run_cli, project, ".") == 1
    runs = records(project / "h.jsonl")
    assert len(runs) == 2
    first, second = runs
    for run in runs:
        assert {"timestamp", "commit", "by_code", "total", "files_scanned"} <= set(run)
        assert datetime.fromisoformat(run["timestamp"]).tzinfo is not None
        assert run["commit"] is None  # not a git repository
        assert set(run["by_code"]) == set(ALL_CODES)
        assert run["total"] == sum(run["by_code"].values())
    assert (first["total"], first["by_code"]["SSOT001"], first["files_scanned"]) == (2, 2, 5)
    assert (second["total"], second["by_code"]["SSOT001"], second["files_scanned"]) == (3, 3, 6)


def test_history_counts_every_finding_and_the_new_ones_apart(
    project: Path, run_cli: RunCli, make_project: MakeProject
) -> None:
    # A trend is about how many findings remain: with a baseline, counting only the
    # new ones would read zero run after run.
    code, out, err = run_cli(["baseline", "--no-cache"], project)
    assert code == 0, (out, err)
    make_project(project, {"pkg/c.py": "import pkg.old\n"})
    assert scan(run_cli, project, "--baseline", ".ssot-baseline.json", ".") == 1
    (run,) = records(project / "h.jsonl")
    assert (run["total"], run["new"], run["baselined"]) == (3, 1, 2)
    assert run["by_code"]["SSOT001"] == 3


def test_history_folder_is_created(project: Path, run_cli: RunCli) -> None:
    code, out, err = run_cli(
        ["check", "--no-cache", "-q", "--history", "reports/ssot/h.jsonl", "."], project
    )
    assert code == 1, (out, err)
    assert len(records(project / "reports" / "ssot" / "h.jsonl")) == 1


def test_history_with_exit_zero_still_records(project: Path, run_cli: RunCli) -> None:
    assert scan(run_cli, project, "--exit-zero", ".") == 0
    assert records(project / "h.jsonl")[0]["total"] == 2


def test_history_records_the_git_commit(
    project: Path, run_cli: RunCli, monkeypatch: pytest.MonkeyPatch
) -> None:
    git = shutil.which("git")
    if git is None:
        pytest.skip("git is not installed")
    env = {
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.com",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.com",
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_CONFIG_GLOBAL": str(project / "no-gitconfig"),
    }
    for key, value in env.items():
        monkeypatch.setenv(key, value)

    def run_git(*args: str) -> str:
        done = subprocess.run(
            [git, *args], cwd=project, capture_output=True, text=True, check=True
        )
        return done.stdout.strip()

    run_git("init", "-q")
    run_git("add", "-A")
    run_git("commit", "-q", "--no-verify", "--no-gpg-sign", "-m", "initial")
    head = run_git("rev-parse", "HEAD")
    assert scan(run_cli, project / "pkg", "--history", str(project / "h.jsonl"), ".") == 1
    (run,) = records(project / "h.jsonl")
    assert run["commit"] == head
    code, out, _ = run_cli(["trend", "h.jsonl"], project)
    assert code == 0
    assert parse_table(out)[0]["commit"] == head[:10]


# -- ssot-scan trend --------------------------------------------------------------------


def test_trend_prints_one_row_per_run_with_the_deltas(tmp_path: Path, run_cli: RunCli) -> None:
    lines = [
        history_line(5, "aaaaaaaaaaaaaaaa", SSOT001=4, SSOT002=1),
        history_line(4, "bbbbbbbbbbbbbbbb", SSOT001=3, SSOT002=1),
        history_line(4, None, SSOT001=2, SSOT002=2),
        history_line(7, "cccc", SSOT001=5, SSOT002=2),
        history_line(1, "dddd", SSOT001=0, SSOT002=1),
    ]
    (tmp_path / "h.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    code, out, err = run_cli(["trend", "h.jsonl"], tmp_path)
    assert code == 0, (out, err)
    assert err == ""
    rows = parse_table(out)
    assert len(rows) == 5
    header = out.splitlines()[0]
    for cell in HEADER_CELLS:
        assert cell in header
    assert [r["run"] for r in rows] == ["1", "2", "3", "4", "5"]
    assert [r["total"] for r in rows] == ["5", "4", "4", "7", "1"]
    assert [r["SSOT001"] for r in rows] == ["4", "3", "2", "5", "0"]
    assert [r["SSOT002"] for r in rows] == ["1", "1", "2", "2", "1"]
    assert [r["vs previous"] for r in rows] == ["", "-1", "0", "+3", "-6"]
    assert [r["vs first"] for r in rows] == ["", "-1", "-1", "+2", "-4"]
    assert [r["commit"] for r in rows] == ["aaaaaaaaaa", "bbbbbbbbbb", "", "cccc", "dddd"]
    assert rows[0]["timestamp"] == "2024-05-01T12:00:00"


def test_trend_shows_a_code_missing_from_older_runs_as_0(tmp_path: Path, run_cli: RunCli) -> None:
    lines = [history_line(1, SSOT001=1), history_line(3, SSOT001=1, SSOT004=2)]
    (tmp_path / "h.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    code, out, _ = run_cli(["trend", "h.jsonl"], tmp_path)
    assert code == 0
    rows = parse_table(out)
    assert [r["SSOT004"] for r in rows] == ["0", "2"]
    assert [r["vs first"] for r in rows] == ["", "+2"]


def test_trend_of_real_runs(project: Path, run_cli: RunCli, make_project: MakeProject) -> None:
    scan(run_cli, project, ".")  # 2
    make_project(project, {"pkg/c.py": "import pkg.old\n", "pkg/d.py": "import pkg.old\n"})
    scan(run_cli, project, ".")  # 4
    (project / "pkg" / "d.py").unlink()
    make_project(project, {"pkg/a.py": "import pkg.core\n"})
    scan(run_cli, project, ".")  # 2
    code, out, _ = run_cli(["trend", "h.jsonl"], project)
    assert code == 0
    rows = parse_table(out)
    assert [r["total"] for r in rows] == ["2", "4", "2"]
    assert [r["vs previous"] for r in rows] == ["", "+2", "-2"]
    assert [r["vs first"] for r in rows] == ["", "+2", "0"]


@pytest.mark.parametrize(
    "bad",
    [
        pytest.param("this is not json", id="not-json"),
        pytest.param('{"total": 3, "by_code": {"SSOT0', id="half-written"),
        pytest.param("[1, 2, 3]", id="not-an-object"),
        pytest.param('{"total": 3}', id="no-by-code"),
    ],
)
def test_trend_skips_a_corrupt_line_with_a_warning(
    tmp_path: Path, run_cli: RunCli, bad: str
) -> None:
    lines = [history_line(3, SSOT001=3), bad, "", history_line(1, SSOT001=1)]
    (tmp_path / "h.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    code, out, err = run_cli(["trend", "h.jsonl"], tmp_path)
    assert code == 0, (out, err)
    rows = parse_table(out)
    assert [r["total"] for r in rows] == ["3", "1"]
    assert [r["vs previous"] for r in rows] == ["", "-2"]
    warnings = err.strip().splitlines()
    assert len(warnings) == 1, err
    assert warnings[0].startswith("ssot-scan: warning: h.jsonl:2:"), err
    assert "skipped" in warnings[0]


def test_trend_of_an_empty_history(tmp_path: Path, run_cli: RunCli) -> None:
    (tmp_path / "h.jsonl").write_text("", encoding="utf-8")
    code, out, err = run_cli(["trend", "h.jsonl"], tmp_path)
    assert code == 0, (out, err)
    assert "no runs" in out


def test_trend_of_a_missing_file_is_exit_2(tmp_path: Path, run_cli: RunCli) -> None:
    code, out, err = run_cli(["trend", "nowhere.jsonl"], tmp_path)
    assert code == 2
    assert out == ""
    assert err.startswith("ssot-scan: error: "), err
    assert "nowhere.jsonl" in err
    assert len(err.strip().splitlines()) == 1


def test_trend_of_a_file_that_is_not_utf8_is_exit_2(tmp_path: Path, run_cli: RunCli) -> None:
    (tmp_path / "h.jsonl").write_bytes(b"\xff\xfe\x00\x81")
    code, _, err = run_cli(["trend", "h.jsonl"], tmp_path)
    assert code == 2
    assert err.startswith("ssot-scan: error: "), err
    assert "h.jsonl" in err


def test_trend_needs_a_file_argument(tmp_path: Path, run_cli: RunCli) -> None:
    code, _, _ = run_cli(["trend"], tmp_path)
    assert code == 2
