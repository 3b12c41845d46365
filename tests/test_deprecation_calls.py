"""A package that deprecates itself through a module-level call of its own helper."""

from __future__ import annotations

from pathlib import Path

from helpers import located, scan_project

HELPER = """\
import warnings

from pkg.core import Thing


def _warn_on_import():
{body}


{call}
"""
WARN = '    warnings.warn("pkg.legacy is deprecated, use pkg.core", DeprecationWarning)'
FRAME = (
    "    import sys\n\n"
    "    if sys._getframe(2).f_globals.get('__name__', '').startswith('app'):\n"
    "        warnings.warn('pkg.legacy is deprecated, use pkg.core', DeprecationWarning)"
)


def _scan(tmp_path: Path, body: str = WARN, call: str = "_warn_on_import()") -> list[str]:
    files = {
        "pkg/__init__.py": "",
        "pkg/core.py": "class Thing:\n    pass\n",
        "pkg/legacy/__init__.py": HELPER.format(body=body, call=call),
        "app/__init__.py": "",
        "app/main.py": "from pkg.legacy import Thing\n",
    }
    result = scan_project(tmp_path, files, select=["SSOT001"])
    assert located(result) <= {("app/main.py", 1, "SSOT001")}
    return [f.message for f in result.findings]


def test_a_module_level_call_of_a_warning_helper_deprecates_the_package(tmp_path: Path) -> None:
    (message,) = _scan(tmp_path)
    assert message.startswith("`Thing` is imported from deprecated module `pkg.legacy`")
    assert "deprecated at pkg/legacy/__init__.py:10 (through _warn_on_import()" in message
    assert "conditionally" not in message and "under a condition" not in message


def test_a_helper_that_looks_at_its_caller_makes_it_conditional(tmp_path: Path) -> None:
    (message,) = _scan(tmp_path, body=FRAME)
    assert "it warns only under a condition" in message


def test_a_helper_nobody_calls_at_module_level_deprecates_nothing(tmp_path: Path) -> None:
    assert _scan(tmp_path, call="") == []
    assert _scan(tmp_path, call="def later():\n    _warn_on_import()") == []


def test_a_helper_that_warns_otherwise_deprecates_nothing(tmp_path: Path) -> None:
    body = '    warnings.warn("pkg.legacy is slow", UserWarning)'
    assert _scan(tmp_path, body=body) == []


def test_a_guarded_call_whose_warning_names_something_else_deprecates_nothing(
    tmp_path: Path,
) -> None:
    body = '    warnings.warn("cx_Oracle is deprecated", DeprecationWarning)'
    call = "try:\n    import cx_Oracle\nexcept ImportError:\n    _warn_on_import()"
    assert _scan(tmp_path, body=body, call=call) == []


EARLY_RETURN = (
    "    import os\n\n"
    "    found = [k for k in os.environ if k.startswith('PKG_OLD_')]\n"
    "    if not found:\n"
    "        return\n"
    "    warnings.warn({message!r}, DeprecationWarning)"
)


def test_a_helper_that_returns_early_warns_conditionally_about_what_it_names(
    tmp_path: Path,
) -> None:
    # prefect/settings/models/plugins.py: the helper warns only when legacy
    # environment variables are set, and about them, not about the module.
    message = "The PKG_OLD_* environment variables are deprecated; rename them"
    assert _scan(tmp_path, body=EARLY_RETURN.format(message=message)) == []
    (found,) = _scan(tmp_path, body=EARLY_RETURN.format(message="pkg.legacy is deprecated"))
    assert "it warns only under a condition" in found
