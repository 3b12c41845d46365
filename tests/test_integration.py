"""The pre-commit hook definition and the composite GitHub Action, tested where a test
can reach: the YAML is loaded and checked, and every ``run:`` step of ``action.yml`` is
executed with bash the way a GitHub runner does (``bash --noprofile --norc -eo
pipefail``), with the environment a runner provides and ``${{ ... }}`` expressions
substituted from the inputs' defaults or test values."""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Optional

import pytest
from helpers import THREE_FINDINGS

from ssot_scan.tomlcompat import load_toml

yaml = pytest.importorskip("yaml")

MakeProject = Callable[..., Path]
RunCli = Callable[..., "tuple[int, str, str]"]

REPO = Path(__file__).resolve().parents[1]
ACTION_FILE = REPO / "action.yml"
HOOKS_FILE = REPO / ".pre-commit-hooks.yaml"
BASH = shutil.which("bash")
# GitHub runs `shell: bash` steps as `bash --noprofile --norc -eo pipefail {0}`.
GITHUB_BASH = ["--noprofile", "--norc", "-eo", "pipefail"]
SCRIPTS = Path(sys.executable).parent  # this venv's bin: python and ssot-scan
ANNOTATION = re.compile(r"^::(warning|error) file=(?P<path>[^,]+),", re.MULTILINE)
EXPRESSION = re.compile(r"\$\{\{\s*(?P<expr>.*?)\s*\}\}")

needs_bash = pytest.mark.skipif(BASH is None, reason="bash is not installed")

PROJECT = THREE_FINDINGS
FOUND = ["pkg/a.py", "pkg/b.py", "pkg/c.py"]


def load_yaml(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def action() -> dict[str, Any]:
    data: dict[str, Any] = load_yaml(ACTION_FILE)
    return data


def steps() -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = action()["runs"]["steps"]
    return found


def step_named(name: str) -> dict[str, Any]:
    for step in steps():
        if step.get("name") == name:
            return step
    raise AssertionError(f"action.yml has no step named {name!r}")


INSTALL, SCAN, FAIL = "Install ssot-scan", "Run ssot-scan", "Fail over budget"


# -- pre-commit -------------------------------------------------------------------------


def hook() -> dict[str, Any]:
    hooks = load_yaml(HOOKS_FILE)
    assert isinstance(hooks, list)
    matching = [h for h in hooks if isinstance(h, dict) and h.get("id") == "ssot-scan"]
    assert len(matching) == 1, hooks
    found: dict[str, Any] = matching[0]
    return found


def test_pre_commit_hooks_file_defines_the_ssot_scan_hook() -> None:
    definition = hook()
    assert definition["entry"] == "ssot-scan"
    assert definition["language"] == "python"
    assert definition["pass_filenames"] is False  # the scan is whole-project
    assert isinstance(definition["name"], str) and definition["name"]
    for key in ("types", "types_or", "exclude_types"):
        if key in definition:
            assert isinstance(definition[key], list)
            assert all(isinstance(tag, str) for tag in definition[key])
    if "minimum_pre_commit_version" in definition:
        assert re.fullmatch(r"\d+(\.\d+)*", str(definition["minimum_pre_commit_version"]))
    allowed = {
        "id",
        "name",
        "entry",
        "language",
        "description",
        "files",
        "exclude",
        "types",
        "types_or",
        "exclude_types",
        "args",
        "pass_filenames",
        "require_serial",
        "always_run",
        "fail_fast",
        "verbose",
        "stages",
        "minimum_pre_commit_version",
        "additional_dependencies",
        "language_version",
        "log_file",
    }
    assert set(definition) <= allowed, set(definition) - allowed


def test_the_hook_entry_is_a_console_script_of_the_package() -> None:
    project = load_toml(REPO / "pyproject.toml", "pyproject.toml")["project"]
    entry = shlex.split(hook()["entry"])[0]
    assert entry in project["scripts"]
    assert project["scripts"][entry] == "ssot_scan.console:program"


def _readme_yaml_blocks() -> list[Any]:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    return [yaml.safe_load(block) for block in re.findall(r"```yaml\n(.*?)```", text, re.S)]


def test_readme_shows_the_hook() -> None:
    for block in _readme_yaml_blocks():
        if isinstance(block, dict) and "repos" in block:
            hooks = block["repos"][0]["hooks"]
            assert hooks[0]["id"] == hook()["id"]
            return
    raise AssertionError("README.md shows no pre-commit configuration")


def _src_layout(root: Path, make_project: MakeProject) -> Path:
    files = {("src/" + k if k.startswith("pkg/") else k): v for k, v in PROJECT.items()}
    return make_project(root, files)


def test_the_hook_runs_as_pre_commit_would_with_the_readme_args(
    tmp_path: Path, make_project: MakeProject, run_cli: RunCli
) -> None:
    """pre-commit runs ``entry`` plus ``args`` (no file names) from the repo root."""
    if shutil.which("ssot-scan", path=str(SCRIPTS)) is None:
        pytest.skip(f"no ssot-scan console script in {SCRIPTS}")
    args = next(
        b["repos"][0]["hooks"][0].get("args", [])
        for b in _readme_yaml_blocks()
        if isinstance(b, dict) and "repos" in b
    )
    root = _src_layout(tmp_path, make_project)
    command = [*shlex.split(hook()["entry"]), *args]
    env = {**os.environ, "PATH": f"{SCRIPTS}{os.pathsep}{os.environ.get('PATH', '')}"}
    code, out, err = run_cli(["baseline", "--no-cache", "src"], root)
    assert code == 0, (out, err)
    done = subprocess.run(command, cwd=root, env=env, capture_output=True, text=True)
    assert done.returncode == 0, (command, done.stdout, done.stderr)
    make_project(root, {"src/pkg/e.py": "import pkg.old\n"})
    done = subprocess.run(command, cwd=root, env=env, capture_output=True, text=True)
    assert done.returncode == 1, (command, done.stdout, done.stderr)
    assert "src/pkg/e.py" in done.stdout


# -- action.yml: its shape --------------------------------------------------------------


def test_action_is_a_composite_action_with_its_inputs_and_output() -> None:
    data = action()
    assert data["runs"]["using"] == "composite"
    assert isinstance(data["name"], str) and data["name"]
    assert isinstance(data["description"], str) and data["description"]
    inputs = data["inputs"]
    for name in ("paths", "baseline", "args", "sarif-file", "upload-sarif", "python"):
        assert name in inputs, name
        assert "default" in inputs[name], name
        assert inputs[name].get("description"), name
    output = data["outputs"]["exit-code"]
    assert EXPRESSION.fullmatch(output["value"])["expr"] == "steps.scan.outputs.exit-code"
    assert any(step.get("id") == "scan" for step in steps())


def test_every_step_is_a_bash_run_step_or_an_action() -> None:
    for step in steps():
        assert ("run" in step) != ("uses" in step), step
        if "run" in step:
            # Composite actions need an explicit shell; the tests run them with bash.
            assert step["shell"] == "bash", step


def test_every_run_step_is_executed_by_these_tests() -> None:
    assert [s["name"] for s in steps() if "run" in s] == [INSTALL, SCAN, FAIL]


def test_every_expression_names_a_declared_input_or_a_known_context() -> None:
    declared = set(action()["inputs"])
    step_ids = {step["id"] for step in steps() if "id" in step}
    for match in EXPRESSION.finditer(ACTION_FILE.read_text(encoding="utf-8")):
        for name in re.findall(r"\binputs\.([A-Za-z0-9_-]+)", match["expr"]):
            assert name in declared, match[0]
        for step_id in re.findall(r"\bsteps\.([A-Za-z0-9_-]+)\.", match["expr"]):
            assert step_id in step_ids, match[0]


def test_the_sarif_upload_step_uploads_the_scan_s_sarif_file() -> None:
    upload = next(step for step in steps() if "uses" in step)
    assert upload["uses"].startswith("github/codeql-action/upload-sarif@")
    assert EXPRESSION.fullmatch(upload["with"]["sarif_file"])["expr"] == "inputs.sarif-file"
    condition = upload["if"]
    assert "always()" in condition  # upload even when a later gate fails
    assert "inputs.upload-sarif" in condition
    names = [step.get("name") for step in steps()]
    assert names.index(SCAN) < names.index(upload["name"]) < names.index(FAIL)


def test_readme_shows_the_action_with_declared_inputs_only() -> None:
    declared = set(action()["inputs"])
    for block in _readme_yaml_blocks():
        if isinstance(block, dict) and isinstance(block.get("steps"), list):
            block = block["steps"]  # a job's permissions and steps
        if not isinstance(block, list):
            continue
        for step in block:
            if isinstance(step, dict) and "with" in step and "checkout" not in step["uses"]:
                assert set(step["with"]) <= declared, step
                return
    raise AssertionError("README.md shows no use of the action")


# -- action.yml: running the steps ------------------------------------------------------


@dataclass
class Runner:
    """What a GitHub runner gives each step: its files and environment."""

    root: Path
    workspace: Path

    @property
    def temp(self) -> Path:
        return self.root / "runner-temp"

    @property
    def path_file(self) -> Path:
        return self.root / "github_path"

    @property
    def output_file(self) -> Path:
        return self.root / "github_output"

    @property
    def summary_file(self) -> Path:
        return self.root / "step_summary.md"

    def env(self) -> dict[str, str]:
        base = {k: v for k, v in os.environ.items() if not k.startswith(("GITHUB_", "RUNNER_"))}
        return {
            **base,
            "CI": "true",
            "GITHUB_ACTIONS": "true",
            "RUNNER_TEMP": str(self.temp),
            "GITHUB_PATH": str(self.path_file),
            "GITHUB_OUTPUT": str(self.output_file),
            "GITHUB_STEP_SUMMARY": str(self.summary_file),
            "GITHUB_ACTION_PATH": str(REPO),
            "GITHUB_WORKSPACE": str(self.workspace),
        }

    def outputs(self) -> dict[str, str]:
        if not self.output_file.exists():
            return {}
        pairs = [line.partition("=") for line in self.output_file.read_text().splitlines()]
        return {key: value for key, sep, value in pairs if sep}


@pytest.fixture
def runner(tmp_path: Path) -> Runner:
    made = Runner(tmp_path / "runner", tmp_path / "workspace")
    made.temp.mkdir(parents=True)
    made.workspace.mkdir()
    for file in (made.path_file, made.output_file, made.summary_file):
        file.write_text("", encoding="utf-8")
    return made


def substitute(text: str, context: dict[str, str]) -> str:
    """Replace ``${{ expr }}`` as GitHub does before the step runs; an expression the
    test does not know is an error, so a new one in action.yml cannot slip by."""

    def value(match: re.Match[str]) -> str:
        expr = match["expr"]
        if expr not in context:
            raise AssertionError(f"action.yml: no test value for ${{{{ {expr} }}}}")
        return context[expr]

    return EXPRESSION.sub(value, text)


def expressions(inputs: Optional[dict[str, str]] = None, exit_code: str = "") -> dict[str, str]:
    context = {
        f"inputs.{name}": str(spec.get("default", "")) for name, spec in action()["inputs"].items()
    }
    context.update({f"inputs.{name}": value for name, value in (inputs or {}).items()})
    context["github.action_path"] = str(REPO)
    context["steps.scan.outputs.exit-code"] = exit_code
    context["steps.scan.outputs.category"] = "ssot-scan"
    return context


def run_step(
    runner: Runner,
    name: str,
    context: dict[str, str],
    path_prefix: Optional[Path] = None,
    path: Optional[str] = None,
) -> subprocess.CompletedProcess[str]:
    assert BASH is not None
    step = step_named(name)
    script = runner.root / f"{name.replace(' ', '-')}.sh"
    script.write_text(substitute(step["run"], context), encoding="utf-8")
    env = runner.env()
    if path is not None:
        env["PATH"] = path
    if path_prefix is not None:
        env["PATH"] = f"{path_prefix}{os.pathsep}{env.get('PATH', '')}"
    env.update({key: substitute(str(value), context) for key, value in step["env"].items()})
    return subprocess.run(
        [BASH, *GITHUB_BASH, str(script)],
        cwd=runner.workspace,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,  # a guard against a hung step, not a speed assertion
    )


def test_substitution_helper() -> None:
    context = {"inputs.a": "1", "github.action_path": "/x"}
    assert substitute("${{ inputs.a }}-${{github.action_path}}", context) == "1-/x"
    with pytest.raises(AssertionError, match=r"inputs\.b"):
        substitute("${{ inputs.b }}", context)


# The install step, with a fake interpreter: no network, no real venv.

FAKE_PYTHON = """\
#!/bin/sh
printf '%s\\n' "$@" > '{log}/python3.args'
if [ "$1" = "-m" ] && [ "$2" = "venv" ]; then
  mkdir -p "$3/bin"
  cat > "$3/bin/python" <<'INNER'
#!/bin/sh
printf '%s\\n' "$@" > '{log}/venv-python.args'
INNER
  chmod +x "$3/bin/python"
fi
"""


def _fake_python(folder: Path) -> Path:
    folder.mkdir()
    python = folder / "python3"
    python.write_text(FAKE_PYTHON.format(log=folder), encoding="utf-8")
    python.chmod(0o755)
    return python


@needs_bash
def test_install_step_makes_a_venv_installs_the_action_and_puts_it_on_path(
    runner: Runner,
) -> None:
    python = _fake_python(runner.root / "fake")
    done = run_step(runner, INSTALL, expressions({"python": str(python)}))
    assert done.returncode == 0, (done.stdout, done.stderr)
    venv = runner.temp / "ssot-scan-venv"
    created = (runner.root / "fake" / "python3.args").read_text().splitlines()
    assert created == ["-m", "venv", str(venv)]
    pip = (runner.root / "fake" / "venv-python.args").read_text().splitlines()
    assert pip[:3] == ["-m", "pip", "install"], pip
    assert pip[-1] == str(REPO)  # the action's own checkout
    assert runner.path_file.read_text().splitlines() == [str(venv / "bin")]


def test_the_action_path_is_an_installable_project() -> None:
    """What the install step hands pip: the repository root, with a build backend and
    the ssot-scan console script."""
    pyproject = load_toml(REPO / "pyproject.toml", "pyproject.toml")
    assert pyproject["build-system"]["build-backend"]
    assert "ssot-scan" in pyproject["project"]["scripts"]


@needs_bash
def test_install_step_fails_when_the_interpreter_is_missing(runner: Runner) -> None:
    missing = runner.root / "no-such-python"
    done = run_step(runner, INSTALL, expressions({"python": str(missing)}))
    assert done.returncode != 0
    assert runner.path_file.read_text() == ""


@needs_bash
def test_install_step_uses_the_python_input_default() -> None:
    assert action()["inputs"]["python"]["default"] == "python3"
    assert step_named(INSTALL)["env"]["SSOT_PYTHON"].strip() == "${{ inputs.python }}"


# The scan step, with the real ssot-scan of this venv on PATH.

REQUIRED_FORMATS = ("github", "sarif", "markdown")


def _needs_scan_tools() -> None:
    if shutil.which("ssot-scan", path=str(SCRIPTS)) is None:
        pytest.skip(f"no ssot-scan console script in {SCRIPTS}")


@pytest.fixture
def workspace(runner: Runner, make_project: MakeProject) -> Path:
    return make_project(runner.workspace, PROJECT)


def _baseline(run_cli: RunCli, workspace: Path, name: str = ".ssot-baseline.json") -> None:
    code, out, err = run_cli(["baseline", "--no-cache", "--baseline", name], workspace)
    assert code == 0, (out, err)


def scan_step(runner: Runner, **inputs: str) -> subprocess.CompletedProcess[str]:
    return run_step(runner, SCAN, expressions(inputs), path_prefix=SCRIPTS)


def annotated(stdout: str) -> list[str]:
    return sorted(m["path"] for m in ANNOTATION.finditer(stdout))


def _assert_sarif(path: Path, results: int) -> None:
    assert path.is_file(), f"no SARIF at {path}"
    sarif = json.loads(path.read_text(encoding="utf-8"))
    assert sarif["version"] == "2.1.0"
    assert len(sarif["runs"]) == 1
    active = [r for r in sarif["runs"][0]["results"] if r.get("baselineState") != "unchanged"]
    assert len(active) == results


def _new_finding(workspace: Path, make_project: MakeProject) -> None:
    make_project(workspace, {"pkg/e.py": "from pkg.old import X\n"})


@needs_bash
def test_scan_step_annotates_the_findings_and_writes_sarif(
    runner: Runner, workspace: Path
) -> None:
    _needs_scan_tools()
    done = scan_step(runner)
    assert annotated(done.stdout) == FOUND, (done.stdout, done.stderr)
    _assert_sarif(workspace / "ssot-scan.sarif", results=3)


@needs_bash
def test_scan_step_under_a_baseline_annotates_only_the_new_finding(
    runner: Runner, workspace: Path, run_cli: RunCli, make_project: MakeProject
) -> None:
    _needs_scan_tools()
    _baseline(run_cli, workspace)
    _new_finding(workspace, make_project)
    done = scan_step(runner)
    assert annotated(done.stdout) == ["pkg/e.py"], (done.stdout, done.stderr)
    _assert_sarif(workspace / "ssot-scan.sarif", results=1)


@needs_bash
def test_scan_step_ignores_the_baseline_file_when_the_input_is_empty(
    runner: Runner, workspace: Path, run_cli: RunCli
) -> None:
    _needs_scan_tools()
    _baseline(run_cli, workspace)
    done = scan_step(runner, baseline="")
    assert annotated(done.stdout) == FOUND, (done.stdout, done.stderr)


@needs_bash
def test_scan_step_with_a_baseline_covering_everything_records_exit_code_0(
    runner: Runner, workspace: Path, run_cli: RunCli
) -> None:
    _needs_scan_tools()
    _baseline(run_cli, workspace)
    done = scan_step(runner)
    assert done.returncode == 0, (done.stdout, done.stderr)
    assert runner.outputs() == {"exit-code": "0", "category": "ssot-scan"}
    assert annotated(done.stdout) == []
    _assert_sarif(workspace / "ssot-scan.sarif", results=0)
    assert "ssot-scan" in runner.summary_file.read_text(encoding="utf-8")
    final = run_step(runner, FAIL, expressions(exit_code=runner.outputs()["exit-code"]))
    assert final.returncode == 0


@needs_bash
def test_scan_step_passes_paths_args_and_sarif_file_inputs(
    runner: Runner, workspace: Path
) -> None:
    _needs_scan_tools()
    done = scan_step(
        runner,
        paths="pkg",
        args="--max-warnings 5 --rules python-stdlib --no-cache",
        **{"sarif-file": "reports/ssot.sarif"},
    )
    assert done.returncode == 0, (done.stdout, done.stderr)
    # 3 findings, at most 5 allowed; the SARIF category is named for the paths.
    assert runner.outputs() == {"exit-code": "0", "category": "ssot-scan/pkg"}
    assert annotated(done.stdout) == FOUND
    _assert_sarif(workspace / "reports" / "ssot.sarif", results=3)
    assert not (workspace / ".ssot_cache").exists()  # --no-cache reached ssot-scan


SCAN_CASES = [
    pytest.param("findings", {}, "1", id="findings-no-baseline"),
    pytest.param("new-finding", {}, "1", id="baseline-plus-a-new-finding"),
    pytest.param("findings", {"args": "--max-warnings -1"}, "2", id="usage-error"),
]


@needs_bash
@pytest.mark.parametrize(("situation", "inputs", "expected"), SCAN_CASES)
def test_scan_step_records_a_failing_exit_code_and_itself_succeeds(
    runner: Runner,
    workspace: Path,
    run_cli: RunCli,
    make_project: MakeProject,
    situation: str,
    inputs: dict[str, str],
    expected: str,
) -> None:
    # Fixed bug (this test failed before the fix). The old behaviour:
    # GitHub runs `shell: bash` steps as `bash --noprofile --norc -eo pipefail {0}`
    # (documented: "set -eo pipefail" is applied when shell: bash is given explicitly).
    # The scan step's own `set -uo pipefail` does not turn -e off, so when ssot-scan exits
    # non-zero the script stops right there: `code=$?`, the `exit-code=...` line for
    # $GITHUB_OUTPUT, the step summary and the final `exit 0` never run. The step fails
    # with ssot-scan's code, the action's `exit-code` output is empty, and the Markdown
    # summary is missing exactly when there are findings. (The job still fails, and the
    # SARIF upload still runs thanks to always().) Reproduce:
    #   RUNNER_TEMP=$(mktemp -d) GITHUB_OUTPUT=$(mktemp) SSOT_PATHS=. SSOT_BASELINE= \
    #   SSOT_ARGS= SSOT_SARIF=x.sarif bash --noprofile --norc -eo pipefail scan-step.sh
    #   # in a project with a finding: exit status 1, $GITHUB_OUTPUT empty
    # Fix in action.yml: capture the status without tripping -e, e.g.
    #   code=0
    #   ssot-scan check ... $SSOT_ARGS $SSOT_PATHS || code=$?
    # (or `set +e` at the top of the step).
    _needs_scan_tools()
    if situation == "new-finding":
        _baseline(run_cli, workspace)
        _new_finding(workspace, make_project)
    done = scan_step(runner, **inputs)
    outputs = runner.outputs()
    assert outputs.pop("category") == "ssot-scan"
    assert outputs == {"exit-code": expected}, (done.stdout, done.stderr)
    assert done.returncode == 0, (done.stdout, done.stderr)
    if expected == "1":
        assert "ssot-scan" in runner.summary_file.read_text(encoding="utf-8")
        final = run_step(runner, FAIL, expressions(exit_code=expected))
        assert final.returncode == 1


@needs_bash
@pytest.mark.parametrize("code", ["0", "1", "2"])
def test_fail_step_exits_with_the_recorded_code(runner: Runner, code: str) -> None:
    done = run_step(runner, FAIL, expressions(exit_code=code))
    assert done.returncode == int(code)


@needs_bash
@pytest.mark.parametrize(
    ("covered", "job_passes"),
    [pytest.param(True, True, id="baseline-covers-all"), pytest.param(False, False, id="new")],
)
def test_the_job_passes_or_fails_with_the_scan(
    runner: Runner,
    workspace: Path,
    run_cli: RunCli,
    make_project: MakeProject,
    covered: bool,
    job_passes: bool,
) -> None:
    """The scan and gate steps in order, as a runner would: a failing step fails the job
    and skips the later steps that are not ``always()``."""
    _needs_scan_tools()
    _baseline(run_cli, workspace)
    if not covered:
        _new_finding(workspace, make_project)
    scan = scan_step(runner)
    passed = scan.returncode == 0
    if passed:
        final = run_step(
            runner, FAIL, expressions(exit_code=runner.outputs().get("exit-code", ""))
        )
        passed = final.returncode == 0
    assert passed is job_passes, (scan.stdout, scan.stderr)
    assert (workspace / "ssot-scan.sarif").is_file()  # what the always() upload sends


# -- what the issue of integrations asked of the hook and the action ---------------------


def test_the_hook_always_runs_since_deleting_a_module_stages_no_python_file() -> None:
    assert hook()["always_run"] is True


def test_the_sdist_ships_the_hook_and_the_action_files() -> None:
    pyproject = load_toml(REPO / "pyproject.toml", "pyproject.toml")
    included = pyproject["tool"]["hatch"]["build"]["targets"]["sdist"]["include"]
    for name in (".pre-commit-hooks.yaml", "action.yml", "LICENSE", "CHANGELOG.md"):
        assert f"/{name}" in included and (REPO / name).is_file(), name
    # Anchored, every one: a bare pattern matches at any depth (benchmarks/.work/...).
    assert all(pattern.startswith("/") for pattern in included)


def test_the_upload_uses_upload_sarif_v4_with_the_scan_s_category() -> None:
    upload = next(step for step in steps() if "uses" in step)
    assert upload["uses"] == "github/codeql-action/upload-sarif@v4"
    category = EXPRESSION.fullmatch(upload["with"]["category"])
    assert category is not None and category["expr"] == "steps.scan.outputs.category"


WINDOWS_PYTHON = """\
#!/bin/sh
printf '%s\\n' "$@" > '{log}/python.args'
if [ "$1" = "-m" ] && [ "$2" = "venv" ]; then
  mkdir -p "$3/Scripts"
  cat > "$3/Scripts/python" <<'INNER'
#!/bin/sh
printf '%s\\n' "$@" > '{log}/venv-python.args'
INNER
  chmod +x "$3/Scripts/python"
fi
"""


@needs_bash
def test_install_step_installs_a_released_version_when_asked(runner: Runner) -> None:
    python = _fake_python(runner.root / "fake")
    done = run_step(runner, INSTALL, expressions({"python": str(python), "version": "0.1.0"}))
    assert done.returncode == 0, (done.stdout, done.stderr)
    pip = (runner.root / "fake" / "venv-python.args").read_text().splitlines()
    assert pip == [
        "-m",
        "pip",
        "install",
        "--quiet",
        "--only-binary",
        "ssot-scan",
        "ssot-scan==0.1.0",
    ]


@needs_bash
def test_install_step_on_a_windows_runner_finds_python_and_the_scripts_folder(
    runner: Runner,
) -> None:
    # Windows runners have `python`, not `python3`, and venvs keep programs in Scripts.
    fake = runner.root / "winbin"
    fake.mkdir()
    python = fake / "python"
    python.write_text(WINDOWS_PYTHON.format(log=fake), encoding="utf-8")
    python.chmod(0o755)
    tools = runner.root / "tools"  # what the step and the fake need, and no python3
    tools.mkdir()
    for tool in ("mkdir", "cat", "chmod"):
        found = shutil.which(tool)
        assert found is not None
        (tools / tool).symlink_to(found)
    done = run_step(runner, INSTALL, expressions(), path=f"{fake}{os.pathsep}{tools}")
    assert done.returncode == 0, (done.stdout, done.stderr)
    created = (fake / "python.args").read_text().splitlines()
    assert created == ["-m", "venv", str(runner.temp / "ssot-scan-venv")]
    assert runner.path_file.read_text().splitlines() == [
        str(runner.temp / "ssot-scan-venv" / "Scripts")
    ]


@needs_bash
@pytest.mark.parametrize(
    ("paths", "given", "expected"),
    [
        (".", "", "ssot-scan"),
        ("src", "", "ssot-scan/src"),
        ("./src/ tests", "", "ssot-scan/src+tests"),
        ("src", "backend", "backend"),
    ],
)
def test_scan_step_names_a_category_per_set_of_paths(
    runner: Runner, workspace: Path, paths: str, given: str, expected: str
) -> None:
    _needs_scan_tools()
    for folder in ("src", "tests"):
        (workspace / folder).mkdir(exist_ok=True)
    done = scan_step(runner, paths=paths, category=given)
    assert done.returncode == 0, (done.stdout, done.stderr)
    assert runner.outputs()["category"] == expected


def test_readme_says_which_permission_the_upload_needs() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert "security-events: write" in readme
