"""Configuration and rule packs: found where expected, strict about every key.

A configuration mistake is ``UsageError`` with one line naming the file and the key;
through the CLI it is exit 2 with ``ssot-scan: error:`` on stderr, never a traceback.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from ssot_scan.config import Config, load_config, load_rule_packs
from ssot_scan.errors import UsageError
from ssot_scan.rulepacks import load_pack, shipped_pack_names
from ssot_scan.scan import run_scan

MakeProject = Callable[..., Path]
RunCli = Callable[..., "tuple[int, str, str]"]

PACKAGE = {"pkg/__init__.py": "", "pkg/mod.py": "import os\n"}


def _pyproject(table: str) -> dict[str, str]:
    return {"pyproject.toml": f"[tool.ssot-scan]\n{table}\n", **PACKAGE}


def _usage_error(root: Path, explicit: Path | None = None) -> str:
    with pytest.raises(UsageError) as caught:
        config = load_config([root], explicit)
        load_rule_packs(config, [])
    message = str(caught.value)
    assert "\n" not in message, message
    return message


def _assert_cli_usage_error(run_cli: RunCli, root: Path, args: list[str] | None = None) -> str:
    code, stdout, stderr = run_cli([*(args or []), "."], root)
    assert code == 2, (stdout, stderr)
    assert stderr.startswith("ssot-scan: error: "), stderr
    assert "Traceback" not in stderr
    assert len(stderr.strip().splitlines()) == 1, stderr
    assert stdout == ""
    return stderr


# --------------------------------------------------------------------------------------
# Bad configuration: one line naming the file and the key, exit 2
# --------------------------------------------------------------------------------------

BAD_CONFIGS = [
    pytest.param(
        'rots = ["src"]',
        ["pyproject.toml", "unknown key 'rots'", "did you mean 'roots'"],
        id="unknown-key-did-you-mean",
    ),
    pytest.param(
        "colour = true",
        ["pyproject.toml", "unknown key 'colour'"],
        id="unknown-key-no-suggestion",
    ),
    pytest.param(
        'roots = "src"',
        ["pyproject.toml", "roots", "expected a list of strings", "got a string"],
        id="roots-string",
    ),
    pytest.param(
        'max-warnings = "5"',
        ["pyproject.toml", "max-warnings", "expected a whole number", "got a string"],
        id="max-warnings-string",
    ),
    pytest.param(
        "max-warnings = -1",
        ["pyproject.toml", "max-warnings", "at least 0", "-1"],
        id="max-warnings-negative",
    ),
    pytest.param(
        "max-warnings = true",
        ["pyproject.toml", "max-warnings", "expected a whole number", "boolean"],
        id="max-warnings-bool",
    ),
    pytest.param(
        'respect-gitignore = "yes"',
        ["pyproject.toml", "respect-gitignore", "expected true or false"],
        id="respect-gitignore-string",
    ),
    pytest.param(
        'exclude = ["ok", 1]',
        ["pyproject.toml", "exclude", "expected a list of strings"],
        id="exclude-mixed-list",
    ),
    pytest.param(
        'select = ["SSOT999"]',
        ["pyproject.toml", "select", "unknown rule code 'SSOT999'", "SSOT001"],
        id="select-unknown-code",
    ),
    pytest.param(
        'ignore = ["deprecated-imports"]',
        ["pyproject.toml", "ignore", "unknown rule code 'deprecated-imports'"],
        id="ignore-unknown-name",
    ),
    pytest.param(
        'canonical-policy = "best"',
        ["pyproject.toml", "canonical-policy", "'best'", "most-used"],
        id="canonical-policy",
    ),
    pytest.param(
        'engine = "fast"',
        ["pyproject.toml", "engine", "'fast'", "libcst"],
        id="engine",
    ),
    pytest.param(
        "roots = [",
        ["pyproject.toml", "invalid TOML"],
        id="invalid-toml",
    ),
    pytest.param(
        '[[tool.ssot-scan.deprecated]]\nmodule = "a"\nsymbol = "b.c"',
        ["pyproject.toml", "deprecated[0]", "exactly one of 'module' or 'symbol'"],
        id="deprecated-module-and-symbol",
    ),
    pytest.param(
        '[[tool.ssot-scan.deprecated]]\nreason = "gone"',
        ["pyproject.toml", "deprecated[0]", "exactly one of 'module' or 'symbol'"],
        id="deprecated-neither",
    ),
    pytest.param(
        '[[tool.ssot-scan.deprecated]]\nmodule = "a"\nreplacment = "b"',
        ["pyproject.toml", "deprecated[0]", "unknown key 'replacment'", "'replacement'"],
        id="deprecated-typo",
    ),
    pytest.param(
        '[[tool.ssot-scan.deprecated]]\nmodule = "a b"',
        ["pyproject.toml", "deprecated[0].module", "'a b'", "not a dotted Python path"],
        id="deprecated-module-not-dotted",
    ),
    pytest.param(
        '[[tool.ssot-scan.deprecated]]\nsymbol = "Thing"',
        ["pyproject.toml", "deprecated[0].symbol", "needs a module part"],
        id="deprecated-symbol-without-module",
    ),
    pytest.param(
        '[[tool.ssot-scan.deprecated]]\nsymbol = "a.B"\nsubmodules = true',
        ["pyproject.toml", "deprecated[0].submodules", "'module'"],
        id="deprecated-submodules-on-symbol",
    ),
    pytest.param(
        '[[tool.ssot-scan.canonical]]\nsymbol = "a.B"',
        ["pyproject.toml", "canonical[0]", "missing key 'path'"],
        id="canonical-missing-path",
    ),
    pytest.param(
        "[tool.ssot-scan.non-canonical]\nreport-publish = true",
        ["pyproject.toml", "non-canonical", "unknown key 'report-publish'"],
        id="non-canonical-typo",
    ),
    pytest.param(
        'rule-packs = ["missing-pack.toml"]',
        ["missing-pack.toml", "not found"],
        id="missing-rule-pack-file",
    ),
    pytest.param(
        'rule-packs = ["no-such-pack"]',
        ["'no-such-pack'", "no shipped pack", "python-stdlib", "websocket-app"],
        id="unknown-shipped-pack",
    ),
]


@pytest.mark.parametrize(("table", "fragments"), BAD_CONFIGS)
def test_bad_config_is_a_one_line_usage_error(
    tmp_path: Path, make_project: MakeProject, table: str, fragments: list[str]
) -> None:
    make_project(tmp_path, _pyproject(table))
    message = _usage_error(tmp_path)
    for fragment in fragments:
        assert fragment in message, (fragment, message)


@pytest.mark.parametrize(("table", "fragments"), BAD_CONFIGS)
def test_bad_config_exits_2_through_the_cli(
    tmp_path: Path,
    make_project: MakeProject,
    run_cli: RunCli,
    table: str,
    fragments: list[str],
) -> None:
    make_project(tmp_path, _pyproject(table))
    stderr = _assert_cli_usage_error(run_cli, tmp_path)
    for fragment in fragments:
        assert fragment in stderr, (fragment, stderr)


def test_tool_ssot_scan_that_is_not_a_table_is_an_error(
    tmp_path: Path, make_project: MakeProject
) -> None:
    make_project(tmp_path, {"pyproject.toml": '[tool]\nssot-scan = "on"\n', **PACKAGE})
    message = _usage_error(tmp_path)
    assert "pyproject.toml" in message
    assert "[tool.ssot-scan] must be a table" in message


def test_deprecated_that_is_not_an_array_of_tables_names_the_right_syntax(
    tmp_path: Path, make_project: MakeProject
) -> None:
    # Regression: the hint was built with ``where.rsplit('.', 1)[-1]`` and read
    # "([[ssot-scan]: deprecated]])" instead of the table header to write.
    make_project(
        tmp_path,
        {"pyproject.toml": '[tool.ssot-scan.deprecated]\nmodule = "a"\n', **PACKAGE},
    )
    message = _usage_error(tmp_path)
    assert "pyproject.toml" in message
    assert "[[tool.ssot-scan.deprecated]]" in message, message


def test_pack_deprecated_that_is_not_an_array_of_tables_names_the_right_syntax(
    tmp_path: Path, make_project: MakeProject
) -> None:
    # Regression: same as above for a rule pack; the hint read "([[toml: deprecated]])".
    make_project(tmp_path, {"pack.toml": '[deprecated]\nmodule = "a"\n'})
    with pytest.raises(UsageError) as caught:
        load_pack("pack.toml", tmp_path)
    assert "pack.toml" in str(caught.value)
    assert "[[deprecated]]" in str(caught.value), str(caught.value)


# --------------------------------------------------------------------------------------
# Rule codes: prefixes and names, config and --select
# --------------------------------------------------------------------------------------


def test_code_prefix_is_accepted(tmp_path: Path, make_project: MakeProject) -> None:
    make_project(tmp_path, _pyproject('select = ["SSOT00"]'))
    assert load_config([tmp_path]).select == [
        "SSOT000",
        "SSOT001",
        "SSOT002",
        "SSOT003",
        "SSOT004",
        "SSOT005",
        "SSOT006",
        "SSOT007",
        "SSOT008",
    ]


def test_check_name_is_accepted(tmp_path: Path, make_project: MakeProject) -> None:
    make_project(tmp_path, _pyproject('select = ["deprecated-import"]\nignore = ["SSOT000"]'))
    config = load_config([tmp_path])
    assert config.select == ["SSOT001"]
    assert config.ignore == ["SSOT000"]
    assert config.enabled_codes == ["SSOT001"]


def test_lower_case_code_is_accepted(tmp_path: Path, make_project: MakeProject) -> None:
    make_project(
        tmp_path, _pyproject('select = ["ssot000", "Ssot001", "ssot002"]\nignore = ["ssot002"]')
    )
    assert load_config([tmp_path]).enabled_codes == ["SSOT000", "SSOT001"]


def test_unknown_code_on_select_flag_exits_2(
    tmp_path: Path, make_project: MakeProject, run_cli: RunCli
) -> None:
    make_project(tmp_path, _pyproject(""))
    stderr = _assert_cli_usage_error(run_cli, tmp_path, ["--select", "SSOT001,SSOT9"])
    assert "--select" in stderr
    assert "'SSOT9'" in stderr


def test_unknown_code_on_ignore_flag_exits_2(
    tmp_path: Path, make_project: MakeProject, run_cli: RunCli
) -> None:
    make_project(tmp_path, _pyproject(""))
    stderr = _assert_cli_usage_error(run_cli, tmp_path, ["--ignore", "nonsense"])
    assert "--ignore" in stderr
    assert "'nonsense'" in stderr


def test_prefix_and_name_on_select_flag_are_accepted(
    tmp_path: Path, make_project: MakeProject, run_cli: RunCli
) -> None:
    make_project(tmp_path, {**_pyproject(""), "pkg/broken.py": "def f(:\n"})
    code, _, stderr = run_cli(["--select", "SSOT00", "."], tmp_path)
    assert code == 1, stderr  # the parse error is found: SSOT000 is selected
    code, stdout, stderr = run_cli(["--select", "deprecated-import", "."], tmp_path)
    assert code == 0, (stdout, stderr)  # only SSOT001 runs: the parse error is not counted


# --------------------------------------------------------------------------------------
# Finding the configuration
# --------------------------------------------------------------------------------------


def test_no_tool_table_gives_defaults_with_project_root(
    tmp_path: Path, make_project: MakeProject
) -> None:
    # A pyproject.toml without [tool.ssot-scan] is no config (as with ruff), but it
    # still marks the project root.
    make_project(tmp_path, {"pyproject.toml": "[project]\nname = 'x'\n", **PACKAGE})
    config = load_config([tmp_path / "pkg"])
    assert config.project_root == tmp_path
    assert config.config_file is None
    assert (config.root_how, config.root_marker) == ("marker", "pyproject.toml")
    assert (config.roots, config.max_warnings, config.engine) == (None, None, "auto")
    assert config.enabled_codes == list(Config().enabled_codes)


def test_nearest_config_above_the_scanned_path_is_found(
    tmp_path: Path, make_project: MakeProject
) -> None:
    make_project(tmp_path, {**_pyproject("max-warnings = 7"), "pkg/deep/er/m.py": ""})
    config = load_config([tmp_path / "pkg" / "deep" / "er" / "m.py"])
    assert config.config_file == tmp_path / "pyproject.toml"
    assert config.max_warnings == 7


@pytest.mark.parametrize("name", ["ssot-scan.toml", ".ssot-scan.toml"])
def test_standalone_config_file_uses_top_level_keys(
    tmp_path: Path, make_project: MakeProject, name: str
) -> None:
    make_project(tmp_path, {name: 'max-warnings = 3\nexclude = ["gen/*"]\n', **PACKAGE})
    config = load_config([tmp_path])
    assert config.config_file == tmp_path / name
    assert config.project_root == tmp_path
    assert config.max_warnings == 3
    assert config.exclude == ["gen/*"]


@pytest.mark.parametrize("name", ["ssot-scan.toml", ".ssot-scan.toml"])
def test_standalone_config_file_errors_name_it(
    tmp_path: Path, make_project: MakeProject, name: str
) -> None:
    make_project(tmp_path, {name: "rots = 1\n", **PACKAGE})
    message = _usage_error(tmp_path)
    assert message.startswith(f"{name}: ")
    assert "unknown key 'rots'" in message
    assert "did you mean 'roots'" in message


def test_standalone_config_file_wins_over_pyproject(
    tmp_path: Path, make_project: MakeProject
) -> None:
    make_project(
        tmp_path,
        {
            "ssot-scan.toml": "max-warnings = 3\n",
            "pyproject.toml": "[tool.ssot-scan]\nmax-warnings = 9\n",
            **PACKAGE,
        },
    )
    config = load_config([tmp_path])
    assert config.config_file == tmp_path / "ssot-scan.toml"
    assert config.max_warnings == 3


def test_tool_table_in_standalone_file_is_an_unknown_key(
    tmp_path: Path, make_project: MakeProject
) -> None:
    make_project(tmp_path, {"ssot-scan.toml": "[tool.ssot-scan]\nmax-warnings = 3\n", **PACKAGE})
    assert "unknown key 'tool'" in _usage_error(tmp_path)


def test_explicit_config_file_is_used(tmp_path: Path, make_project: MakeProject) -> None:
    make_project(
        tmp_path,
        {
            "pyproject.toml": "[tool.ssot-scan]\nmax-warnings = 9\n",
            "ci/strict.toml": "max-warnings = 0\nengine = 'libcst'\n",
            **PACKAGE,
        },
    )
    config = load_config([tmp_path], tmp_path / "ci" / "strict.toml")
    assert config.config_file == tmp_path / "ci" / "strict.toml"
    assert (config.max_warnings, config.engine) == (0, "libcst")


def test_explicit_pyproject_reads_the_tool_table(
    tmp_path: Path, make_project: MakeProject
) -> None:
    make_project(
        tmp_path, {"other/pyproject.toml": "[tool.ssot-scan]\nmax-warnings = 4\n", **PACKAGE}
    )
    config = load_config([tmp_path], tmp_path / "other" / "pyproject.toml")
    assert config.max_warnings == 4


def test_config_flag_changes_the_outcome(
    tmp_path: Path, make_project: MakeProject, run_cli: RunCli
) -> None:
    make_project(
        tmp_path,
        {"pyproject.toml": "", "budget.toml": "max-warnings = 1\n", "pkg/bad.py": "def f(:\n"},
    )
    assert run_cli(["."], tmp_path)[0] == 1  # one parse error, no budget
    code, stdout, stderr = run_cli(["--config", "budget.toml", "."], tmp_path)
    assert code == 0, (stdout, stderr)


def test_missing_explicit_config_file_exits_2(
    tmp_path: Path, make_project: MakeProject, run_cli: RunCli
) -> None:
    make_project(tmp_path, _pyproject(""))
    stderr = _assert_cli_usage_error(run_cli, tmp_path, ["--config", "nope.toml"])
    assert "nope.toml" in stderr
    assert "not found" in stderr


def test_explicit_config_file_errors_name_its_path(
    tmp_path: Path, make_project: MakeProject, run_cli: RunCli
) -> None:
    make_project(tmp_path, {**_pyproject(""), "ci/strict.toml": "max-warning = 0\n"})
    stderr = _assert_cli_usage_error(run_cli, tmp_path, ["--config", "ci/strict.toml"])
    assert "ci/strict.toml" in stderr
    assert "unknown key 'max-warning'" in stderr
    assert "did you mean 'max-warnings'" in stderr


# --------------------------------------------------------------------------------------
# Rule packs
# --------------------------------------------------------------------------------------


def test_shipped_packs_are_listed() -> None:
    assert {"python-stdlib", "websocket-app"} <= set(shipped_pack_names())


def test_shipped_python_stdlib_pack_loads_by_name(tmp_path: Path) -> None:
    rules = load_pack("python-stdlib", tmp_path)
    assert len(rules.deprecated) > 100
    assert rules.packs == ["python-stdlib"]
    modules = {rule.module for rule in rules.deprecated}
    assert {"asyncore", "imp", "distutils"} <= modules
    asyncore = next(rule for rule in rules.deprecated if rule.module == "asyncore")
    assert asyncore.replacement == "asyncio"


def test_shipped_websocket_app_pack_loads_by_name(tmp_path: Path) -> None:
    rules = load_pack("websocket-app", tmp_path)
    assert [r.target for r in rules.deprecated] == [
        "app.legacy",
        "app.websocket_core.unified_manager.LegacyMessageRouter",
    ]
    assert [(r.symbol, r.path) for r in rules.canonical] == [
        (
            "app.websocket_core.unified_manager.UnifiedWebSocketManager",
            "app.websocket_core.websocket_manager",
        ),
        (
            "app.websocket_core.unified_manager.WebSocketMessage",
            "app.websocket_core.websocket_manager",
        ),
    ]


def test_rule_pack_from_config_is_relative_to_project_root(
    tmp_path: Path, make_project: MakeProject, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_project(
        tmp_path,
        {
            **_pyproject('rule-packs = ["rules/ours.toml", "python-stdlib"]'),
            "rules/ours.toml": '[[deprecated]]\nmodule = "pkg.old"\nreplacement = "pkg.new"\n',
        },
    )
    monkeypatch.chdir(tmp_path / "pkg")
    config = load_config([tmp_path])
    load_rule_packs(config, [])
    assert config.rules.packs == ["rules/ours.toml", "python-stdlib"]
    assert config.rules.deprecated[0].module == "pkg.old"
    assert len(config.rules.deprecated) > 100


def test_rules_flag_loads_a_pack(
    tmp_path: Path, make_project: MakeProject, run_cli: RunCli
) -> None:
    make_project(
        tmp_path,
        {
            **_pyproject(""),
            "pkg/user.py": "import pkg.old\n",
            "pkg/old.py": "",
            "ours.toml": '[[deprecated]]\nmodule = "pkg.old"\nreplacement = "pkg.new"\n',
        },
    )
    assert run_cli(["."], tmp_path)[0] == 0
    code, stdout, _ = run_cli(["--rules", "ours.toml", "."], tmp_path)
    assert code == 1
    assert "SSOT001" in stdout
    assert "pkg/user.py:1:1" in stdout


@pytest.mark.parametrize(
    ("pack", "fragments"),
    [
        pytest.param("name = \n", ["pack.toml", "invalid TOML"], id="invalid-toml"),
        pytest.param(
            'name = "x"\ndescripton = "y"\n',
            ["pack.toml", "unknown key 'descripton'", "did you mean 'description'"],
            id="unknown-top-level-key",
        ),
        pytest.param("name = 3\n", ["pack.toml", "name", "expected a string"], id="bad-name"),
        pytest.param(
            '[[deprecated]]\nmodule = "a"\nsymbol = "b.c"\n',
            ["pack.toml", "deprecated[0]", "exactly one of 'module' or 'symbol'"],
            id="module-and-symbol",
        ),
        pytest.param(
            '[[deprecated]]\nreplacement = "b"\n',
            ["pack.toml", "deprecated[0]", "exactly one of 'module' or 'symbol'"],
            id="neither",
        ),
        pytest.param(
            '[[deprecated]]\nmodule = "ok"\n[[deprecated]]\nmodule = "a"\nreplacment = "b"\n',
            ["pack.toml", "deprecated[1]", "unknown key 'replacment'", "'replacement'"],
            id="unknown-entry-key",
        ),
        pytest.param(
            '[[deprecated]]\nmodule = "a b"\n',
            ["pack.toml", "deprecated[0].module", "not a dotted Python path"],
            id="module-not-dotted",
        ),
        pytest.param(
            '[[deprecated]]\nmodule = "a"\nreplacement = "x..y"\n',
            ["pack.toml", "deprecated[0].replacement", "not a dotted Python path"],
            id="replacement-not-dotted",
        ),
        pytest.param(
            '[[canonical]]\nsymbol = "a.B"\npath = "a"\nwhy = "x"\n',
            ["pack.toml", "canonical[0]", "unknown key 'why'"],
            id="canonical-unknown-key",
        ),
    ],
)
def test_bad_rule_pack_is_a_usage_error_naming_it(
    tmp_path: Path,
    make_project: MakeProject,
    run_cli: RunCli,
    pack: str,
    fragments: list[str],
) -> None:
    make_project(tmp_path, {**_pyproject(""), "pack.toml": pack})
    with pytest.raises(UsageError) as caught:
        load_pack("pack.toml", tmp_path)
    message = str(caught.value)
    assert "\n" not in message
    for fragment in fragments:
        assert fragment in message, (fragment, message)
    stderr = _assert_cli_usage_error(run_cli, tmp_path, ["--rules", "pack.toml"])
    for fragment in fragments:
        assert fragment in stderr, (fragment, stderr)


def test_missing_pack_on_the_command_line_exits_2(
    tmp_path: Path, make_project: MakeProject, run_cli: RunCli
) -> None:
    make_project(tmp_path, _pyproject(""))
    stderr = _assert_cli_usage_error(run_cli, tmp_path, ["--rules", "rules/absent.toml"])
    assert "rules/absent.toml" in stderr
    assert "not found" in stderr


def test_unknown_shipped_pack_on_the_command_line_lists_shipped_packs(
    tmp_path: Path, make_project: MakeProject, run_cli: RunCli
) -> None:
    make_project(tmp_path, _pyproject(""))
    stderr = _assert_cli_usage_error(run_cli, tmp_path, ["--rules", "python-stdlb"])
    assert "'python-stdlb'" in stderr
    assert "python-stdlib" in stderr
    assert "websocket-app" in stderr


def test_inline_deprecated_tables_in_pyproject_work(
    tmp_path: Path, make_project: MakeProject
) -> None:
    make_project(
        tmp_path,
        {
            "pyproject.toml": (
                "[tool.ssot-scan]\n"
                "[[tool.ssot-scan.deprecated]]\n"
                'module = "oldlib"\nreplacement = "newlib"\n'
                "[[tool.ssot-scan.deprecated]]\n"
                'module = "legacy"\nsubmodules = true\nreason = "retired"\n'
                "[[tool.ssot-scan.canonical]]\n"
                'symbol = "pkg.core.Thing"\npath = "pkg"\n'
            ),
            "pkg/__init__.py": "",
            "pkg/user.py": "import oldlib\nfrom legacy.sub import thing\nimport os\n",
        },
    )
    config = load_config([tmp_path])
    assert [(r.module, r.replacement, r.submodules) for r in config.rules.deprecated] == [
        ("oldlib", "newlib", False),
        ("legacy", None, True),
    ]
    assert [(r.symbol, r.path) for r in config.rules.canonical] == [("pkg.core.Thing", "pkg")]
    result = run_scan([tmp_path], config)
    assert sorted((f.code, f.path, f.line) for f in result.findings) == [
        ("SSOT001", "pkg/user.py", 1),
        ("SSOT001", "pkg/user.py", 2),
    ]


def test_list_with_a_non_string_names_the_item_kind(
    tmp_path: Path, make_project: MakeProject
) -> None:
    make_project(tmp_path, _pyproject("exclude = [1]"))
    with pytest.raises(
        UsageError,
        match=r"exclude: expected a list of strings, got a list "
        r"containing a number",
    ):
        load_config([tmp_path])


def test_missing_pack_in_config_names_the_config_key(
    tmp_path: Path, make_project: MakeProject
) -> None:
    make_project(tmp_path, _pyproject('rule-packs = ["nope/missing.toml"]'))
    config = load_config([tmp_path])
    with pytest.raises(UsageError, match=r"^pyproject.toml: rule-packs: rule pack "):
        load_rule_packs(config, [])


def test_a_pyproject_without_the_table_is_passed_over_for_a_config_above(
    tmp_path: Path, make_project: MakeProject
) -> None:
    # As ruff does: sub/pyproject.toml configures another tool, the config is above.
    make_project(
        tmp_path,
        {
            "ssot-scan.toml": "max-warnings = 3\n",
            "sub/pyproject.toml": "[tool.black]\nline-length = 80\n",
            "sub/pkg/__init__.py": "",
        },
    )
    config = load_config([tmp_path / "sub" / "pkg"])
    assert config.config_file == tmp_path / "ssot-scan.toml"
    assert (config.project_root, config.max_warnings) == (tmp_path, 3)


def test_a_pyproject_inside_a_package_marks_no_project(
    tmp_path: Path, make_project: MakeProject
) -> None:
    make_project(
        tmp_path,
        {
            "repo/setup.cfg": "",
            "repo/lib/pkg/__init__.py": "",
            "repo/lib/pkg/pyproject.toml": "[project]\nname = 'pkg'\n",
            "repo/lib/pkg/io/__init__.py": "",
        },
    )
    config = load_config([tmp_path / "repo" / "lib" / "pkg"])
    assert (config.project_root, config.root_marker) == (tmp_path / "repo", "setup.cfg")


def test_the_root_search_never_leaves_site_packages(
    tmp_path: Path, make_project: MakeProject
) -> None:
    # A virtualenv inside a project does not make installed packages part of it.
    site = "proj/.venv/lib/python3.11/site-packages"
    make_project(
        tmp_path,
        {"proj/pyproject.toml": "[project]\nname = 'proj'\n", f"{site}/pkg/__init__.py": ""},
    )
    config = load_config([tmp_path / site / "pkg"])
    assert config.project_root == tmp_path / site
    assert (config.config_file, config.root_how) == (None, "packages")


def test_every_plain_pattern_is_one_pathspec_accepts() -> None:
    # validate skips importing pathspec for patterns of this form: that is only
    # right while pathspec accepts all of them.
    import random

    import pathspec

    from ssot_scan.validate import _PLAIN_PATTERN

    rng = random.Random(7)
    checked = 0
    for _ in range(20_000):
        pattern = "".join(rng.choice("ab_.-*/!0é") for _ in range(rng.randint(1, 9)))
        if not _PLAIN_PATTERN.fullmatch(pattern):
            continue
        checked += 1
        pathspec.GitIgnoreSpec.from_lines([pattern])  # raises if not
    assert checked > 5_000


def test_a_pattern_outside_the_plain_form_is_still_checked() -> None:
    from ssot_scan.validate import expect_gitignore_patterns

    assert expect_gitignore_patterns(["build/", "!keep.py", "**/gen_*.py"], "x") == [
        "build/",
        "!keep.py",
        "**/gen_*.py",
    ]
    with pytest.raises(UsageError, match=r"x: invalid pattern 'a\\\\'"):
        expect_gitignore_patterns(["ok/", "a\\"], "x")
