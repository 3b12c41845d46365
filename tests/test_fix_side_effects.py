"""``fix`` never drops the side effects of an import: importing a module runs it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from helpers import write_project

RunCli = Callable[..., "tuple[int, str, str]"]


def _project(plugins: str, user: str = "from pkg.plugins import REGISTRY\n") -> dict[str, str]:
    return {
        "pkg/__init__.py": "",
        "pkg/registry.py": "REGISTRY = {}\n\n\ndef register(f):\n    return f\n",
        "pkg/plugins.py": plugins,
        "app/__init__.py": "",
        "app/a.py": user,
        "app/b.py": "from pkg.registry import REGISTRY\n",
        "app/c.py": "from pkg.registry import REGISTRY\n",
    }


@pytest.mark.parametrize(
    "plugins",
    [
        'from pkg.registry import REGISTRY\n\nREGISTRY["csv"] = object()\n',
        "from pkg.registry import REGISTRY, register\n\n\n@register\ndef csv():\n    pass\n",
        "from pkg.registry import REGISTRY\n\nprint('loaded')\n",
    ],
    ids=["assignment-into-another-object", "registering-decorator", "call"],
)
def test_a_move_that_would_drop_a_side_effect_is_refused(
    tmp_path: Path, run_cli: RunCli, plugins: str
) -> None:
    # Seen: moving `from pkg.plugins import REGISTRY` to `from pkg.registry import
    # REGISTRY` lost the plugin's registration.
    write_project(tmp_path, _project(plugins))
    code, out, err = run_cli(["fix", "--no-cache"], tmp_path)
    assert code == 0
    assert "app/a.py:1: not moved: importing `pkg.plugins` runs code (line " in err
    assert (tmp_path / "app" / "a.py").read_text() == "from pkg.plugins import REGISTRY\n"
    assert "moved 0 imports" in out


def test_a_module_that_only_binds_names_is_moved_away_from(
    tmp_path: Path, run_cli: RunCli
) -> None:
    write_project(tmp_path, _project("from pkg.registry import REGISTRY\n\nX = 1\n"))
    code, _, err = run_cli(["fix", "--no-cache"], tmp_path)
    assert code == 0, err
    assert (tmp_path / "app" / "a.py").read_text() == "from pkg.registry import REGISTRY\n"


def test_a_move_is_made_when_the_file_still_imports_the_module(
    tmp_path: Path, run_cli: RunCli
) -> None:
    plugins = 'from pkg.registry import REGISTRY\n\nREGISTRY["csv"] = object()\n'
    user = "import pkg.plugins\nfrom pkg.plugins import REGISTRY\n"
    write_project(tmp_path, _project(plugins, user))
    code, _, err = run_cli(["fix", "--no-cache"], tmp_path)
    assert code == 0, err
    assert (tmp_path / "app" / "a.py").read_text() == (
        "import pkg.plugins\nfrom pkg.registry import REGISTRY\n"
    )


def test_a_move_is_made_when_the_new_modules_package_runs_the_old_one(
    tmp_path: Path, run_cli: RunCli
) -> None:
    # Importing pkg.registry runs pkg/__init__.py first, and that imports the
    # plugins: the registration still happens.
    plugins = 'from pkg.registry import REGISTRY\n\nREGISTRY["csv"] = object()\n'
    files = {**_project(plugins), "pkg/__init__.py": "import pkg.plugins\n"}
    write_project(tmp_path, files)
    code, _, err = run_cli(["fix", "--no-cache"], tmp_path)
    assert code == 0, err
    assert "not moved" not in err
    assert (tmp_path / "app" / "a.py").read_text() == "from pkg.registry import REGISTRY\n"
