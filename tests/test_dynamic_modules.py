"""Which modules rewire imports at run time, decided from syntax: only code that
writes the import machinery makes a missing name or submodule undecidable."""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

from ssot_scan.extract import extract

RunCli = Callable[..., "tuple[int, str, str]"]

WRITES = [
    "import sys\nsys.modules['pkg.alias'] = object()\n",
    "import sys\nsys.modules.update({'pkg.alias': object()})\n",
    "import sys\nsys.modules.setdefault('pkg.alias', object())\n",
    "import sys\nx = sys.modules.setdefault('pkg.alias', object())\n",
    "import sys\nsys.meta_path.insert(0, object())\n",
    "import sys\nsys.meta_path.append(object())\n",
    "from pkgutil import extend_path\n__path__ = extend_path(__path__, __name__)\n",
    "__path__.append('/elsewhere')\n",
    "__path__ += ['/elsewhere']\n",
    "exec('x = 1')\n",
    "globals()['late'] = 1\n",
    "globals().update(late=1)\n",
    "import sys\ndef install():\n    sys.modules['pkg.alias'] = object()\n",
]
READS = [
    '"""Aliases live in sys.modules[...] and sys.meta_path."""\n',
    "# sys.modules['x'] = y\n",
    "import sys\ndef f():\n    return sys.modules['warnings']\n",
    "import sys\nloaded = 'pkg' in sys.modules\n",
    "def f():\n    exec('x = 1')\n",
    "import sys\nfinders = list(sys.meta_path)\n",
]


@pytest.mark.parametrize("source", WRITES)
@pytest.mark.parametrize("engine", ["ast", "libcst"])
def test_writing_the_import_machinery_rewires_imports(source: str, engine: str) -> None:
    assert extract(source.encode(), "pkg", True, engine).dynamic_imports is True


@pytest.mark.parametrize("source", READS)
@pytest.mark.parametrize("engine", ["ast", "libcst"])
def test_reading_it_or_naming_it_does_not(source: str, engine: str) -> None:
    assert extract(source.encode(), "pkg", True, engine).dynamic_imports is False


def _write(root: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text))
    return root


def test_a_docstring_about_sys_modules_does_not_silence_ssot005(
    tmp_path: Path, run_cli: RunCli
) -> None:
    # Seen: a docstring mentioning `sys.modules[` made every missing name undecidable.
    root = _write(
        tmp_path,
        {
            "pkg/__init__.py": '"""Looks plugins up in sys.modules[name]."""\n',
            "app.py": "from pkg import missing\n",
        },
    )
    code, out, _ = run_cli(["--no-cache", "--select", "SSOT005", "."], root)
    assert code == 1
    assert "app.py:1:1: SSOT005 cannot import `missing` from `pkg`" in out


def test_a_package_that_extends_its_path_makes_a_missing_submodule_undecidable(
    tmp_path: Path, run_cli: RunCli
) -> None:
    root = _write(
        tmp_path,
        {
            "plugins/__init__.py": "import os\n__path__.append(os.environ.get('EXTRA', ''))\n",
            "app.py": "import plugins.extra\n",
        },
    )
    code, out, _ = run_cli(["--no-cache", "--select", "SSOT005", "."], root)
    assert (code, out.count(": SSOT005 ")) == (0, 0)


@pytest.mark.parametrize(
    "source",
    [
        "def define(name, namespace):\n    namespace[name] = 1\n\ndefine('deg', globals())\n",
        "def define(name, namespace):\n    namespace[name] = 1\n\n"
        "define('deg', namespace=globals())\n",
        "_ns = globals()\n",
    ],
    ids=["globals-passed", "globals-as-keyword", "globals-kept"],
)
@pytest.mark.parametrize("engine", ["ast", "libcst"])
def test_handing_over_the_module_namespace_rewires_it(source: str, engine: str) -> None:
    # astropy.units.si: `_ns = globals()`, then `def_unit(..., namespace=_ns)`.
    assert extract(source.encode(), "pkg", False, engine).dynamic_imports is True


CASES = {
    "a star import of a module whose __all__ is computed": (
        {
            "pkg/__init__.py": "from pkg.si import *\n",
            "pkg/si.py": "__all__ = []\n__all__ += sorted(globals())\n",
            "app.py": "from pkg import deg\n",
        },
        0,
    ),
    "an import meant to fail under pytest.raises": (
        {
            "pkg/__init__.py": "",
            "test_api.py": "import pytest\n\n\ndef test_hidden():\n"
            "    with pytest.raises(ImportError):\n        from pkg import nx\n",
        },
        0,
    ),
    "the same import outside pytest.raises": (
        {
            "pkg/__init__.py": "",
            "test_api.py": "def test_hidden():\n    from pkg import nx\n",
        },
        1,
    ),
    "a C extension a setup_package.py declares": (
        {
            "pkg/__init__.py": "",
            "pkg/setup_package.py": "from setuptools import Extension\n\n\n"
            "def get_extensions():\n"
            "    return [Extension('pkg._wcs', sources=['pkg/src/wcs.c'])]\n",
            "app.py": "from pkg._wcs import WCSSUB\n",
        },
        0,
    ),
    "a name a later star takes back from the package an earlier star filled": (
        {
            "pkg/__init__.py": "from pkg.misc import *\nfrom pkg.union_find import *\n",
            "pkg/misc.py": "__all__ = ['groups']\n\n\ndef groups():\n    pass\n",
            "pkg/union_find.py": "from pkg import groups\n",
            "app.py": "from pkg import groups\n",
        },
        0,
    ),
    # Found asking the names of a loop in the other order: a.py asks union_find
    # first, and the search met itself there, not at the package: three SSOT005.
    # Two modules star-importing each other, a third star-importing one of them: x.py
    # made the loop's names be listed from the other side first, and p.e lacked C.
    "a star-import loop listed from its other side first": (
        {
            "pkg/__init__.py": "",
            "pkg/c.py": "from pkg.d import *\n\n\nclass C:\n    pass\n",
            "pkg/d.py": "from pkg.c import *\n\n\nclass D:\n    pass\n",
            "pkg/e.py": "from pkg.d import *\n",
            "x.py": "from pkg.d import C\n",
            "y.py": "from pkg.e import C\n",
        },
        0,
    ),
    "that name asked first of the module that takes it back": (
        {
            "pkg/__init__.py": "from pkg.misc import *\nfrom pkg.union_find import *\n",
            "pkg/misc.py": "__all__ = ['groups']\n\n\ndef groups():\n    pass\n",
            "pkg/union_find.py": "from pkg import groups\n",
            "a.py": "from pkg.union_find import groups\n",
            "zz.py": "from pkg import groups\n",
        },
        0,
    ),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_what_python_provides_at_run_time_is_no_ssot005(
    tmp_path: Path, run_cli: RunCli, case: str
) -> None:
    # Seen on astropy (units defined through globals(), C extensions declared in
    # setup_package.py), networkx (utils' star-import loop, imports meant to fail).
    files, expected = CASES[case]
    root = _write(tmp_path, files)
    _, out, _ = run_cli(["--no-cache", "--select", "SSOT005", "."], root)
    assert out.count(": SSOT005 ") == expected, out


@pytest.mark.parametrize(
    "facade",
    [
        "from pkg import core\nfrom pkg.core import *\n\n__all__ = [*core.__all__]\n",
        "from pkg import core\nfrom pkg.core import *\n\n__all__ = core.__all__ + []\n",
        "from pkg import core\nfrom pkg.core import *\n\n__all__ = []\n__all__ += core.__all__\n",
        "from pkg import core\nfrom pkg.core import *\n\n__all__ = []\n"
        "__all__.extend(core.__all__)\n",
    ],
    ids=["starred", "plus", "augmented", "extend"],
)
def test_an_all_built_from_another_modules_all_is_evaluated(
    tmp_path: Path, run_cli: RunCli, facade: str
) -> None:
    # Seen: `__all__ = [*a.__all__, *b]` was "not a literal", so every star import of
    # the module became undecidable and a missing name went unreported.
    root = _write(
        tmp_path,
        {
            "pkg/__init__.py": "",
            "pkg/core.py": "__all__ = ['A']\nA = 1\nB = 2\n",
            "pkg/facade.py": facade,
            "pkg/mid.py": "from pkg.facade import *\n",
            # `core` is bound in facade but not in its __all__: the star does not pass it on.
            "app.py": "from pkg.mid import A\nfrom pkg.mid import B\nfrom pkg.mid import core\n",
        },
    )
    _, out, _ = run_cli(["--no-cache", "--select", "SSOT005", "."], root)
    assert [line.split(": SSOT005")[0] for line in out.splitlines() if ": SSOT005" in line] == [
        "app.py:2:1",
        "app.py:3:1",
    ]


@pytest.mark.parametrize("engine", ["ast", "libcst"])
def test_a_lazy_loader_package_resolves_names_at_run_time(engine: str) -> None:
    # scientific-python's lazy_loader: `__getattr__, __dir__, __all__ = lazy.attach(...)`.
    source = (
        b"import lazy_loader as lazy\n\n"
        b"__getattr__, __dir__, __all__ = lazy.attach(__name__, submodules=['sub'])\n"
    )
    facts = extract(source, "pkg", True, engine)
    assert (facts.has_getattr, facts.all_dynamic) == (True, True)


FINDER_MODULE = """\
import sys


class RedirectingFinder:
    def find_spec(self, fullname, path, target=None):
        return self._loader(fullname)

    def _loader(self, fullname):
        if fullname.split(".")[0] not in ("pkg", "elsewhere"):
            return None
        return None  # looked up in a routing table in real code


def install():
    sys.meta_path.insert(0, RedirectingFinder())
"""


@pytest.mark.parametrize("engine", ["ast", "libcst"])
def test_a_module_installing_an_import_finder_keeps_the_strings_its_finder_spells(
    engine: str,
) -> None:
    facts = extract(FINDER_MODULE.encode(), "pkg.loader", False, engine)
    assert facts.finder_serves == ["elsewhere", "pkg"]
    # The finder class alone (nothing installs it here) serves nothing.
    alone = FINDER_MODULE.replace("    sys.meta_path.insert(0, RedirectingFinder())", "    pass")
    assert extract(alone.encode(), "pkg.loader", False, engine).finder_serves == []


def test_what_a_projects_import_finder_serves_is_undecidable_not_ssot005(
    tmp_path: Path, run_cli: RunCli
) -> None:
    # Seen on ansible-core: `ansible.module_utils.formerly_core` exists in no file;
    # the collection loader's finder (on sys.meta_path, serving `ansible.*`)
    # redirects it through a YAML routing table.
    root = _write(
        tmp_path,
        {
            "pkg/__init__.py": "",
            "pkg/loader.py": FINDER_MODULE,
            "pkg/utils/__init__.py": "",
            "pkg/utils/real.py": "x = 1\n",
            "app.py": (
                "from pkg.utils import formerly_core\n"
                "import pkg.utils.gone\n"
                "from pkg.utils.real import y\n"
                "from other import missing\n"
            ),
            "other/__init__.py": "",
        },
    )
    code, out, _ = run_cli(["--no-cache", "--select", "SSOT005", "."], root)
    assert "app.py:4:1: SSOT005 cannot import `missing` from `other`" in out
    assert (code, out.count(": SSOT005 ")) == (1, 1), out
    # A finder that names no first-party package changes nothing.
    (root / "pkg/loader.py").write_text(FINDER_MODULE.replace('"pkg", ', ""))
    code, out, _ = run_cli(["--no-cache", "--select", "SSOT005", "."], root)
    assert (code, out.count(": SSOT005 ")) == (1, 4), out
