"""Bugs found by scanning real packages (Django, sympy, pip, setuptools, flask, rich).

Each test rebuilds the smallest project that shows the pattern and names where it
was found; each failed before its fix.
"""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import Optional

from helpers import located

from ssot_scan.config import load_config, load_rule_packs
from ssot_scan.discover import discover
from ssot_scan.result import ScanResult
from ssot_scan.scan import run_scan


def scan(root: Path, files: dict[str, str], select: Optional[list[str]] = None) -> ScanResult:
    for rel, text in {"pyproject.toml": "[tool.ssot-scan]\n", **files}.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
    config = load_config([root])
    if select is not None:
        config.select = select
    load_rule_packs(config, [])
    return run_scan([root], config)


def test_imports_under_main_guard_do_not_make_cycles(tmp_path: Path) -> None:
    # rich/live.py and rich/box.py import the package's own modules in their
    # ``if __name__ == "__main__":`` demos; those never run on import.
    result = scan(
        tmp_path,
        {
            "pkg/__init__.py": "",
            "pkg/a.py": "from pkg.b import g\n",
            "pkg/b.py": 'g = 1\nif __name__ == "__main__":\n    from pkg.a import g\n',
            "pkg/c.py": 'if "__main__" == __name__:\n    import pkg.c\n',
        },
        ["SSOT004"],
    )
    assert located(result) == set()


def test_type_checking_through_a_module_alias(tmp_path: Path) -> None:
    # flask/templating.py: ``import typing as t`` ... ``if t.TYPE_CHECKING:``.
    result = scan(
        tmp_path,
        {
            "pkg/__init__.py": "",
            "pkg/a.py": "import typing as t\nfrom pkg.b import g\nif t.TYPE_CHECKING:\n"
            "    from pkg.b import h\n",
            "pkg/b.py": "g = h = 1\nimport typing as t\nif t.TYPE_CHECKING:\n"
            "    from pkg.a import x\n",
        },
        ["SSOT004"],
    )
    assert located(result) == set()


def test_package_that_rewires_imports_makes_its_names_undecidable(tmp_path: Path) -> None:
    # setuptools/extern installs a VendorImporter on sys.meta_path; requests.packages
    # aliases modules through sys.modules[...].
    result = scan(
        tmp_path,
        {
            "pkg/__init__.py": "",
            "pkg/extern/__init__.py": "import sys\n\ndef install():\n"
            "    sys.meta_path.append(object())\n\ninstall()\n",
            "pkg/use.py": "from pkg.extern import packaging\nimport pkg.extern.tomli\n",
        },
        ["SSOT005"],
    )
    assert located(result) == set()
    assert result.undecidable == 2


def test_name_bound_differently_on_two_python_versions_resolves(tmp_path: Path) -> None:
    # setuptools/_importlib.py: ``if sys.version_info < (3, 10): from
    # setuptools.extern import importlib_metadata as metadata`` / ``else: import
    # importlib.metadata as metadata``; the first branch does not resolve.
    result = scan(
        tmp_path,
        {
            "pkg/__init__.py": "",
            "pkg/compat.py": "import sys\nif sys.version_info < (3, 10):\n"
            "    from pkg.gone import metadata\nelse:\n"
            "    import importlib.metadata as metadata\n",
            "pkg/use.py": "from pkg.compat import metadata\n",
        },
        ["SSOT005"],
    )
    # The import of the missing pkg.gone is itself reported; its users are not.
    assert located(result) == {("pkg/compat.py", 3, "SSOT005")}


def test_namespace_folder_inside_a_package_is_named_under_it(tmp_path: Path) -> None:
    # flask/sansio has no __init__.py but is imported as flask.sansio; its relative
    # imports (``from .. import typing``) were reported as climbing above the top.
    pkg = tmp_path / "site" / "flask"
    for rel, text in {
        "__init__.py": "",
        "typing.py": "X = 1\n",
        "sansio/app.py": "from .. import typing as ft\nfrom ..typing import X\n",
    }.items():
        (pkg / rel).parent.mkdir(parents=True, exist_ok=True)
        (pkg / rel).write_text(text)
    config = load_config([pkg])
    found = discover([pkg], config)
    names = {f.rel: f.module for f in found.files}
    assert names["flask/sansio/app.py"] == "flask.sansio.app"
    assert [f for f in run_scan([pkg], config).findings if f.code == "SSOT005"] == []


def test_real_package_named_build_is_scanned(tmp_path: Path) -> None:
    # pip/_internal/operations/build/ is a package; "build" is a default exclude for
    # output folders, which have no __init__.py.
    result = scan(
        tmp_path,
        {
            "pkg/__init__.py": "",
            "pkg/build/__init__.py": "",
            "pkg/build/tracker.py": "T = 1\n",
            "pkg/use.py": "from pkg.build.tracker import T\n",
            "build/lib/pkg/use.py": "from pkg.nothing import T\n",
        },
        ["SSOT005"],
    )
    assert located(result) == set()
    assert result.files_scanned == 4


def test_rewiring_marker_does_not_hide_the_packages_real_names(tmp_path: Path) -> None:
    # pip/_vendor/__init__.py mentions sys.modules[...]; applying that to every
    # module below it made 2,133 of pip's names undecidable. Only the module's own
    # missing names, and missing modules right under it (six.moves.*), are.
    result = scan(
        tmp_path,
        {
            "pkg/__init__.py": "import sys\nsys.modules['pkg.alias'] = sys\n",
            "pkg/sub.py": "X = 1\n",
            "pkg/six.py": "import sys\nsys.meta_path.append(object())\n",
            "pkg/use.py": "from pkg.sub import X\nfrom pkg.sub import Missing\n"
            "from pkg.six.moves.http_client import HTTPException\nfrom pkg import alias\n",
        },
        ["SSOT005"],
    )
    assert located(result) == {("pkg/use.py", 2, "SSOT005")}
    assert result.undecidable == 2


def test_template_files_are_not_scanned_as_python(tmp_path: Path) -> None:
    # salt's templates/module/salt/modules/{{module_name}}.py: a cookiecutter
    # template, reported as four SSOT000 parse errors.
    result = scan(
        tmp_path,
        {
            "templates/module/{{module_name}}.py": "def {{function}}():\n    pass\n",
            "templates/{% if tests %}tests{% endif %}/test_x.py": "import {{ pkg }}\n",
            "pkg/__init__.py": "",
            "pkg/broken.py": "def (:\n",
        },
    )
    assert located(result) == {("pkg/broken.py", 1, "SSOT000")}


def test_a_package_imported_by_its_init_file_name_resolves(tmp_path: Path) -> None:
    # statsmodels/api.py: ``from .__init__ import test``. Python imports the package's
    # own file a second time as ``statsmodels.__init__``; a namespace folder has no
    # such file, and a name the file lacks is still missing (checked in CPython).
    result = scan(
        tmp_path,
        {
            "pkg/__init__.py": "def test():\n    pass\n",
            "pkg/ns/m.py": "",
            "pkg/api.py": (
                "from .__init__ import test\n"
                "import pkg.__init__\n"
                "from pkg.__init__ import nothing\n"
                "from pkg.ns.__init__ import x\n"
            ),
        },
        ["SSOT005"],
    )
    assert located(result) == {("pkg/api.py", 3, "SSOT005"), ("pkg/api.py", 4, "SSOT005")}


def test_a_plain_module_with_getattr_may_have_submodules(tmp_path: Path) -> None:
    # dask/distributed.py forwards every attribute, ``__path__`` included, to the
    # ``distributed`` package, so ``dask.distributed.protocol`` imports. A package's
    # ``__getattr__`` is never asked for ``__path__``: its missing submodule is still
    # SSOT005, and so is one of a plain module without ``__getattr__`` (CPython agrees).
    result = scan(
        tmp_path,
        {
            "fwd/__init__.py": "",
            "fwd/proto/__init__.py": "x = 1\n",
            "pkg/__init__.py": "def __getattr__(name):\n    raise AttributeError(name)\n",
            "pkg/dist.py": "import fwd\n\ndef __getattr__(name):\n    return getattr(fwd, name)\n",
            "pkg/plain.py": "a = 1\n",
            "pkg/use.py": (
                "from pkg.dist.proto import x\n"
                "from pkg.missing import y\n"
                "from pkg.plain.sub import z\n"
            ),
        },
        ["SSOT005"],
    )
    assert located(result) == {("pkg/use.py", 2, "SSOT005"), ("pkg/use.py", 3, "SSOT005")}
