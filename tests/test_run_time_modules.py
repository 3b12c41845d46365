"""Modules that are filled, replaced or overlaid at run time by other code.

Each case was seen on a real project: astropy fills ``astropy.constants`` through a
helper handed the module (``_set_c(..., find_current_module())``) and ``si.py``
through ``locals()[...]``; Celery replaces itself with a lazy module built from the
names it lists (``local.recreate_module(__name__, by_module={...})``); Ansible's test
targets carry ``module_utils/`` folders the harness overlays on
``ansible.module_utils``. What such code may provide is undecidable; what it plainly
does not is still SSOT005.
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest
from helpers import write_project

from ssot_scan.extract import extract

RunCli = Callable[..., "tuple[int, str, str]"]


def _ssot005_sites(run_cli: RunCli, root: Path) -> list[str]:
    _, out, _ = run_cli(["--no-cache", "--select", "SSOT005", "."], root)
    return sorted(line.split(": SSOT005")[0] for line in out.splitlines() if ": SSOT005" in line)


@pytest.mark.parametrize(
    "source",
    [
        "for k in ('a', 'b'):\n    locals()[k] = 1\n",
        "locals().update(a=1)\n",
        "vars()['a'] = 1\n",
        "vars().update(a=1)\n",
    ],
)
@pytest.mark.parametrize("engine", ["ast", "libcst"])
def test_writing_locals_at_module_level_writes_the_module(source: str, engine: str) -> None:
    # astropy.constants.si: `locals()[_c.abbrev] = _c` in a module-level loop.
    assert extract(source.encode(), "pkg", False, engine).dynamic_imports is True


@pytest.mark.parametrize("engine", ["ast", "libcst"])
def test_writing_locals_in_a_function_writes_nothing(engine: str) -> None:
    source = b"def f():\n    locals()['a'] = 1\n    vars().update(b=2)\n"
    assert extract(source, "pkg", False, engine).dynamic_imports is False


@pytest.mark.parametrize("engine", ["ast", "libcst"])
def test_functions_that_rewrite_what_they_are_handed_are_known(engine: str) -> None:
    source = textwrap.dedent(
        """\
        import sys

        def set_all(data, module):
            for k, v in data.items():
                setattr(module, k, v)

        def fill(module, attrs):
            module.__dict__.update(attrs)

        def create(name, attrs):
            module = sys.modules[name] = type('M', (), {})()
            return module

        def recreate(name, **attrs):
            new = create(name, attrs)
            return new

        def plain(name, value):
            setattr(value, 'fixed', 1)
            print(name)
        """
    ).encode()
    facts = extract(source, "pkg.local", False, engine)
    assert facts.rewriting_functions == ["create", "fill", "recreate", "set_all"]


@pytest.mark.parametrize("engine", ["ast", "libcst"])
def test_a_module_level_call_handing_the_module_over_is_recorded(engine: str) -> None:
    source = textwrap.dedent(
        """\
        from pkg import local, utils
        VERSION = 1
        old, new = local.recreate(
            __name__, by_module={'pkg.canvas': ['Signature']}, VERSION=VERSION
        )
        utils.set_all(DATA, find_current_module())
        local.plain(__name__, 3)
        log = logging.getLogger('x')
        """
    ).encode()
    facts = extract(source, "pkg", True, engine)
    assert [(h.callee, h.line, h.names) for h in facts.handovers] == [
        ("local.recreate", 3, ["Signature", "VERSION", "by_module", "pkg.canvas"]),
        ("utils.set_all", 6, None),
        ("local.plain", 7, []),
    ]


@pytest.mark.parametrize("engine", ["ast", "libcst"])
def test_methods_that_rewrite_a_module_are_known_by_class_and_name(engine: str) -> None:
    # matplotlib's backend_bases: `_Backend.export` fills the module of the class
    # it decorates.
    source = textwrap.dedent(
        """\
        import sys

        class _Backend:
            @staticmethod
            def export(cls):
                for name in ["FigureCanvas", "show"]:
                    setattr(sys.modules[cls.__module__], name, getattr(cls, name))
                return cls

            def install(self, name):
                sys.modules[name] = self

            def reads(self, name):
                return sys.modules[name]

            class Inner:
                def export(self, module, name):
                    setattr(sys.modules[module], name, 1)

        def outer():
            class Local:
                def export(self, module, name):
                    setattr(sys.modules[module], name, 1)
        """
    ).encode()
    facts = extract(source, "pkg.backend_bases", False, engine)
    assert facts.rewriting_functions == ["_Backend.export", "_Backend.install"]


@pytest.mark.parametrize("engine", ["ast", "libcst"])
def test_both_front_ends_know_the_same_rewriting_methods(engine: str) -> None:
    # The ast front end walks only the bodies that spell a fact; libcst walks all.
    # Found by the fuzz harness on ssot-scan's own incremental.py: a method whose
    # only sign is `setattr(made, step, rows)`.
    source = textwrap.dedent(
        """\
        import sys

        _me = sys.modules[__name__]

        class Answers:
            def each(self, step, rows):
                made = self.row()
                setattr(made, step, rows)

            def hands_on(self, module):
                fill(module)

        def fill(module):
            for name in NAMES:
                setattr(module, name, 1)

        def outer():
            def inner(name):
                setattr(_me, name, 1)
            return inner
        """
    ).encode()
    facts = extract(source, "pkg.mod", False, engine)
    assert (facts.rewriting_functions, facts.dynamic_imports) == (["Answers.each", "fill"], False)


@pytest.mark.parametrize("engine", ["ast", "libcst"])
def test_a_decorator_named_without_a_call_is_handed_what_it_decorates(engine: str) -> None:
    source = textwrap.dedent(
        """\
        @_Backend.export
        class _BackendAgg(_Backend):
            pass

        @register
        @dataclass
        def f():
            pass

        @registry.register("name")
        def g():
            pass

        @property
        def h():
            pass

        class Outer:
            @export
            def method(self):
                pass

        if __name__ == "__main__":
            @export
            def main():
                pass
        """
    ).encode()
    facts = extract(source, "pkg.backend_agg", False, engine)
    assert [(h.callee, h.line, h.names) for h in facts.handovers] == [
        ("_Backend.export", 2, None),
        ("register", 7, None),
    ]


@pytest.mark.parametrize("engine", ["ast", "libcst"])
def test_functions_that_write_their_callers_namespace_rewrite_it(engine: str) -> None:
    # zope.interface._compat._use_c_impl: `globs = globs or sys._getframe(1).f_globals`,
    # then `globs[name + 'Fallback'] = py_impl`.
    source = textwrap.dedent(
        """\
        import inspect
        import sys

        def use_c_impl(py_impl, name=None, globs=None):
            name = name or py_impl.__name__
            globs = globs or sys._getframe(1).f_globals
            globs[name + 'Py'] = py_impl
            return py_impl

        def direct(name, value):
            sys._getframe(1).f_globals[name] = value

        def updating(values):
            inspect.currentframe().f_back.f_globals.update(values)

        def through_locals(values):
            frame_locals = sys._getframe(1).f_locals
            frame_locals.update(values)

        def reads(name):
            namespace = sys._getframe(1).f_globals
            namespaceXY = namespace.get(name)
            return namespaceXY

        def elsewhere(d, name):
            d[name] = 1
        """
    ).encode()
    facts = extract(source, "pkg._compat", False, engine)
    assert facts.rewriting_functions == ["direct", "through_locals", "updating", "use_c_impl"]


@pytest.mark.parametrize("engine", ["ast", "libcst"])
def test_a_module_level_call_passing_an_imported_name_hands_it_over(engine: str) -> None:
    # pyqtgraph/Qt/__init__.py: `_copy_attrs(PyQt5.QtCore, QtCore)` fills the
    # package's own `QtCore` module from PyQt5's.
    source = textwrap.dedent(
        """\
        import os
        from . import QtCore, QtGui as Gui

        if os.environ.get("QT") == "5":
            import PyQt5.QtCore
            _copy_attrs(PyQt5.QtCore, QtCore)
            copy_into(Gui, source=PyQt5)
        register(Widget)

        def later():
            from . import QtWidgets
            _copy_attrs(PyQt5.QtWidgets, QtWidgets)

        if __name__ == "__main__":
            _copy_attrs(PyQt5.QtCore, QtCore)
        """
    ).encode()
    facts = extract(source, "pkg.Qt", True, engine)
    assert [(h.callee, h.line, h.names, h.passed) for h in facts.handovers] == [
        ("_copy_attrs", 6, None, "QtCore"),
        ("copy_into", 7, None, "Gui"),
        ("copy_into", 7, None, "PyQt5"),
    ]


CONSTANTS = {
    "pkg/__init__.py": "",
    "pkg/introspection.py": "import inspect\n\n\ndef find_current_module():\n"
    "    return inspect.getmodule(inspect.currentframe().f_back)\n",
    "pkg/constants/__init__.py": (
        "from pkg.introspection import find_current_module\n"
        "from . import codata\nfrom . import utils as _utils\n\n"
        "_utils._set_c(codata, find_current_module(), set_class=True)\n"
    ),
    "pkg/constants/codata.py": "G = 6.67e-11\n",
    "pkg/constants/utils.py": (
        "def _set_c(codata, module, set_class=False):\n"
        "    for name in dir(codata):\n"
        "        setattr(module, name, getattr(codata, name))\n"
    ),
    "app.py": "from pkg.constants import G\nfrom pkg.codata import c\n",
}

LAZY = {
    "pkg/__init__.py": (
        "from pkg import local\n\nVERSION = '1.0'\n\n"
        "old_module, new_module = local.recreate_module(\n"
        "    __name__,\n"
        "    by_module={'pkg.canvas': ['Signature', 'chain']},\n"
        "    __file__=__file__, VERSION=VERSION,\n"
        ")\n"
    ),
    "pkg/canvas.py": "class Signature:\n    pass\n\n\ndef chain():\n    pass\n",
    "pkg/local.py": (
        "import sys\n\n\n"
        "def create_module(name, attrs):\n"
        "    fqdn = name\n"
        "    module = sys.modules[fqdn] = type(name, (), {})()\n"
        "    module.__dict__.update(attrs)\n"
        "    return module\n\n\n"
        "def recreate_module(name, by_module=None, **attrs):\n"
        "    old_module = sys.modules[name]\n"
        "    new_module = create_module(name, attrs)\n"
        "    return old_module, new_module\n"
    ),
    "app.py": "from pkg import Signature\nfrom pkg import VERSION\nfrom pkg import task\n",
}

BACKENDS = {
    "pkg/__init__.py": "",
    "pkg/backend_bases.py": (
        "import sys\n\n\nclass _Backend:\n"
        "    FigureCanvas = None\n\n"
        "    @staticmethod\n"
        "    def export(cls):\n"
        "        for name in ['FigureCanvas', 'new_figure_manager']:\n"
        "            setattr(sys.modules[cls.__module__], name, getattr(cls, name))\n"
        "        return cls\n\n"
        "    @staticmethod\n"
        "    def keep(cls):\n"
        "        return cls\n"
    ),
    "pkg/backend_agg.py": (
        "from pkg.backend_bases import _Backend\n\n\n"
        "@_Backend.export\nclass _BackendAgg(_Backend):\n    pass\n"
    ),
    "pkg/backend_kept.py": (
        "from pkg.backend_bases import _Backend\n\n\n"
        "@_Backend.keep\nclass _BackendKept(_Backend):\n    pass\n"
    ),
    "app.py": (
        "from pkg.backend_agg import FigureCanvas\n"
        "from pkg.backend_agg import new_figure_manager\n"
        "from pkg.backend_kept import FigureCanvas as C\n"
    ),
}

C_IMPL = {
    "pkg/__init__.py": "",
    "pkg/_compat.py": (
        "import sys\n\n\ndef _use_c_impl(py_impl, name=None, globs=None):\n"
        "    name = name or py_impl.__name__\n"
        "    globs = globs or sys._getframe(1).f_globals\n"
        "    globs[name + 'Fallback'] = py_impl\n"
        "    return py_impl\n"
    ),
    "pkg/adapter.py": (
        "from pkg._compat import _use_c_impl\n\n\n@_use_c_impl\nclass LookupBase:\n    pass\n"
    ),
    "pkg/plain.py": "class LookupBase:\n    pass\n",
    "app.py": (
        "from pkg.adapter import LookupBaseFallback\n"
        "from pkg.plain import LookupBaseFallback as F\n"
    ),
}

QT_SHIM = {
    "pkg/__init__.py": "",
    "pkg/Qt/__init__.py": (
        "def _copy_attrs(src, dst):\n    for name in dir(src):\n"
        "        setattr(dst, name, getattr(src, name))\n\n\n"
        "from . import QtCore, QtGui, QtWidgets\n\n"
        "import PyQt5.QtCore\nimport PyQt5.QtWidgets\n\n"
        "_copy_attrs(PyQt5.QtCore, QtCore)\n"
        "_copy_attrs(PyQt5.QtWidgets, QtWidgets)\n"
        "print(QtGui)\n"
    ),
    "pkg/Qt/QtCore/__init__.py": "",
    "pkg/Qt/QtGui/__init__.py": "",
    "pkg/Qt/QtWidgets/__init__.py": "",
    "app.py": (
        "from pkg.Qt.QtCore import QPointF\n"
        "from pkg.Qt.QtWidgets import QInputDialog\n"
        "from pkg.Qt.QtGui import QColor\n"
    ),
}

OVERLAY = {
    "lib/pkg/__init__.py": "",
    "lib/pkg/module_utils/__init__.py": "",
    "lib/pkg/module_utils/basic.py": "def main():\n    pass\n",
    "lib/pkg/module_utils/release.py": "version = '1'\n",
    "pyproject.toml": "[tool.setuptools.package-dir]\n'' = 'lib'\n",
    "test/targets/mu/module_utils/__init__.py": "",
    "test/targets/mu/module_utils/foo0.py": "data = 1\n",
    "test/targets/mu/module_utils/release.py": "data = 1\n",
    "test/targets/mu/module_utils/spam/ham.py": "data = 1\n",
    "test/targets/mu/library/check.py": (
        "from pkg.module_utils.basic import main\n"
        "from pkg.module_utils.foo0 import data\n"
        "from pkg.module_utils import foo0\n"
        "from pkg.module_utils.spam.ham import data as d2\n"
        "from pkg.module_utils.release import data as d3\n"
        "from pkg.module_utils.gone import data as d4\n"
        "from pkg.module_utils.basic import undefined\n"
    ),
    "lib/pkg/module_utils/other.py": "from pkg.module_utils.release import data\n",
}


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        # The helper fills the module from a module object: its names are unknown.
        (CONSTANTS, ["app.py:2:1"]),
        # The module is replaced by one built from the names the call spells out.
        (LAZY, ["app.py:3:1"]),
        # A class decorator fills the module its class is defined in (matplotlib's
        # `@_Backend.export`); one that does not leaves it as it is.
        (BACKENDS, ["app.py:3:1"]),
        # A decorator that writes its caller's namespace (zope.interface's
        # `@_use_c_impl` binds `LookupBaseFallback`).
        (C_IMPL, ["app.py:2:1"]),
        # A module another fills by handing it to a function (pyqtgraph's Qt shim);
        # one it hands to `print` is not filled.
        (QT_SHIM, ["app.py:3:1"]),
        # A test target's `module_utils/` folder overlays the package's; the real
        # package's own file is no overlay of itself.
        (
            OVERLAY,
            [
                "lib/pkg/module_utils/other.py:1:1",
                "test/targets/mu/library/check.py:6:1",
                "test/targets/mu/library/check.py:7:1",
            ],
        ),
    ],
    ids=[
        "handed-to-a-helper",
        "replaced-by-a-lazy-module",
        "filled-by-a-class-decorator",
        "filled-through-the-callers-frame",
        "filled-by-the-module-that-imports-it",
        "overlaid-by-a-test-target",
    ],
)
def test_what_run_time_code_may_provide_is_no_ssot005(
    tmp_path: Path, run_cli: RunCli, files: dict[str, str], expected: list[str]
) -> None:
    assert _ssot005_sites(run_cli, write_project(tmp_path, files)) == expected


@pytest.mark.parametrize(
    "source",
    [
        # A module-level loop (the generated-API pattern).
        "import sys\nfor _n in ['a', 'b']:\n    setattr(sys.modules[__name__], _n, 1)\n",
        # Through a name bound to the module.
        "import sys\n_me = sys.modules[__name__]\nfor _n in ['a']:\n    setattr(_me, _n, 1)\n",
        # A helper someone else calls, which imports its own module (numpy.dtypes).
        "def _add(name):\n    from pkg import me\n    setattr(me, name, 1)\n",
        "def _add(name):\n    from . import me as this\n    setattr(this, name, 1)\n",
        "def _add(name):\n    import pkg.me\n    setattr(pkg.me, name, 1)\n",
        "class Registry:\n    def add(self, name):\n        import pkg.me as m\n"
        "        setattr(m, name, 1)\n",
    ],
)
@pytest.mark.parametrize("engine", ["ast", "libcst"])
def test_setting_attributes_of_the_module_itself_binds_names_at_run_time(
    source: str, engine: str
) -> None:
    assert extract(source.encode(), "pkg.me", False, engine).dynamic_imports is True


@pytest.mark.parametrize(
    "source",
    [
        "import sys\nsetattr(sys.modules['other'], 'a', 1)\n",
        "import other\ndef f(name):\n    setattr(other, name, 1)\n",
        "def f(obj, name):\n    setattr(obj, name, 1)\n",
        "from pkg import you\nsetattr(you, 'a', 1)\n",
    ],
)
@pytest.mark.parametrize("engine", ["ast", "libcst"])
def test_setting_attributes_of_other_objects_binds_nothing_here(source: str, engine: str) -> None:
    assert extract(source.encode(), "pkg.me", False, engine).dynamic_imports is False


def test_names_a_module_sets_on_itself_are_no_ssot005(tmp_path: Path, run_cli: RunCli) -> None:
    files = {
        "pkg/__init__.py": "",
        "pkg/gen.py": "import sys\nfor _n in ['a']:\n    setattr(sys.modules[__name__], _n, 1)\n",
        "pkg/dtypes.py": (
            "__all__ = []\n\n\ndef _add_dtype_helper(DType, alias):\n"
            "    from pkg import dtypes\n\n"
            "    setattr(dtypes, DType.__name__, DType)\n"
            "    __all__.append(DType.__name__)\n"
        ),
        "pkg/plain.py": "import sys\nB = 1\n",
        "app.py": (
            "from pkg.gen import a\n"
            "from pkg.dtypes import StringDType\n"
            "from pkg.plain import missing\n"
        ),
    }
    assert _ssot005_sites(run_cli, write_project(tmp_path, files)) == ["app.py:3:1"]


@pytest.mark.parametrize("engine", ["ast", "libcst"])
def test_a_module_level_call_of_a_function_that_changes_all_makes_it_dynamic(
    engine: str,
) -> None:
    # numpy/_core/numeric.py: `extend_all(umath)` appends umath.__all__ to its own.
    source = textwrap.dedent(
        """\
        __all__ = ['ones']

        def extend_all(module):
            existing = set(__all__)
            for a in module.__all__:
                if a not in existing:
                    __all__.append(a)

        def reset():
            global __all__
            __all__ = []

        def grow(names):
            global __all__
            __all__ += names

        extend_all(umath)
        """
    ).encode()
    facts = extract(source, "pkg.numeric", False, engine)
    # Open: its literal names (published on purpose), and any others.
    assert (facts.all_names, facts.all_dynamic) == (["ones"], True)
    for helper in ("reset", "grow"):
        called = source.replace(b"extend_all(umath)", f"{helper}()".encode())
        facts = extract(called, "pkg.numeric", False, engine)
        assert (facts.all_names, facts.all_dynamic) == (["ones"], True), helper
    for uncalled in (b"", b"print(__all__)\n", b"def f():\n    return __all__[0]\n"):
        source_without = source.replace(b"extend_all(umath)\n", uncalled)
        facts = extract(source_without, "pkg.numeric", False, engine)
        assert (facts.all_names, facts.all_dynamic) == (["ones"], False)
    # Reassigned after the call, `__all__` is a literal again.
    again = source + b"__all__ = ['zeros']\n"
    facts = extract(again, "pkg.numeric", False, engine)
    assert (facts.all_names, facts.all_dynamic) == (["zeros"], False)


def test_a_star_import_of_a_module_whose_all_a_function_extends_binds_any_name(
    tmp_path: Path, run_cli: RunCli
) -> None:
    files = {
        "pkg/__init__.py": "from .numeric import *\n",
        "pkg/umath.py": "__all__ = ['add']\nadd = 1\n",
        "pkg/numeric.py": (
            "from .umath import *\n__all__ = ['ones']\nones = 1\n\n\n"
            "def extend_all(module):\n    for a in module.__all__:\n"
            "        __all__.append(a)\n\n\n"
            "from . import umath\nextend_all(umath)\n"
        ),
        "pkg/fixed.py": "from .umath import *\n__all__ = ['twos']\ntwos = 2\n",
        "pkg/other.py": "from .fixed import *\n",
        "app.py": "from pkg import add, ones\nfrom pkg.other import add as plus\n",
    }
    assert _ssot005_sites(run_cli, write_project(tmp_path, files)) == ["app.py:2:1"]


def test_the_literal_part_of_an_all_a_function_extends_still_publishes(
    tmp_path: Path, run_cli: RunCli
) -> None:
    # astropy/modeling/fitting.py lists the spline fitters it imports in `__all__`,
    # then appends its entry points' fitters: importing one of the listed through
    # it is no accident (no SSOT002), as before it appended anything.
    files = {
        "pkg/__init__.py": "",
        "pkg/spline.py": "__all__ = ['SplineFitter']\n\n\nclass SplineFitter:\n    pass\n",
        "pkg/fitting.py": (
            "from .spline import SplineFitter\n\n__all__ = ['SplineFitter']\n\n\n"
            "def populate(names):\n    for name in names:\n"
            "        __all__.append(name)\n\n\npopulate(['X'])\n"
        ),
        "a.py": "from pkg.fitting import SplineFitter\n",
        "b.py": "from pkg.spline import SplineFitter\n",
        "c.py": "from pkg.spline import SplineFitter\n",
    }
    code, out, _ = run_cli(
        ["--no-cache", "--select", "SSOT002", "."], write_project(tmp_path, files)
    )
    assert (code, out.splitlines()[0]) == (0, "Found 0 findings.")


def test_handing_the_module_name_to_a_function_that_only_reads_it_changes_nothing(
    tmp_path: Path, run_cli: RunCli
) -> None:
    files = {
        "pkg/__init__.py": "from pkg import registry\n\nregistry.register(__name__)\n",
        "pkg/registry.py": "import sys\nNAMES = []\n\n\ndef register(name):\n"
        "    NAMES.append(sys.modules[name].__name__)\n",
        "app.py": "from pkg import missing\n",
    }
    assert _ssot005_sites(run_cli, write_project(tmp_path, files)) == ["app.py:1:1"]


def test_a_namespace_packages_own_folder_is_no_overlay_of_itself(
    tmp_path: Path, run_cli: RunCli
) -> None:
    files = {
        "src/ns/mod.py": "A = 1\n",
        "src/ns/other.py": "from ns.mod import missing\n",
        "pyproject.toml": "[tool.ssot-scan]\nroots = ['src']\n",
    }
    assert _ssot005_sites(run_cli, write_project(tmp_path, files)) == ["src/ns/other.py:1:1"]


@pytest.mark.parametrize(
    "files",
    [
        # scipy.linalg: `from ._cythonized_array_utils import *` of a compiled module.
        {
            "pkg/__init__.py": "from pkg._ext import *\n",
            "pkg/_ext.cpython-311-x86_64-linux-gnu.so": "",
            "app.py": "from pkg import bandwidth\n",
        },
        # The same, one star import further.
        {
            "pkg/__init__.py": "from pkg.facade import *\n",
            "pkg/facade.py": "from pkg._ext import *\n",
            "pkg/_ext.pyd": "",
            "app.py": "from pkg import bandwidth\n",
        },
        # A star import of external code, one star import further.
        {
            "pkg/__init__.py": "from pkg.facade import *\n",
            "pkg/facade.py": "from numpy import *\n",
            "app.py": "from pkg import ndarray\n",
        },
    ],
    ids=["compiled", "compiled-through-a-facade", "external-through-a-facade"],
)
def test_a_star_import_of_a_module_with_unknown_contents_binds_unknown_names(
    tmp_path: Path, run_cli: RunCli, files: dict[str, str]
) -> None:
    assert _ssot005_sites(run_cli, write_project(tmp_path, files)) == []


def test_a_star_import_of_a_namespace_package_binds_nothing(
    tmp_path: Path, run_cli: RunCli
) -> None:
    files = {
        "pkg/__init__.py": "from pkg.ns import *\n",
        "pkg/ns/mod.py": "X = 1\n",
        "app.py": "from pkg import X\n",
    }
    assert _ssot005_sites(run_cli, write_project(tmp_path, files)) == ["app.py:1:1"]


def test_a_tests_import_of_what_it_calls_missing_is_meant_to_fail(
    tmp_path: Path, run_cli: RunCli
) -> None:
    # Sphinx's tests/roots/.../need_mocks.py imports `sphinx.missing_module4` (autodoc
    # mocks it); Ansible's test_optional.py imports `ansible.module_utils.bogus`.
    files = {
        "pkg/__init__.py": "",
        "pkg/mod.py": "A = 1\n",
        "tests/roots/need_mocks.py": (
            "import pkg.missing_module4\n"
            "from pkg.mod import missing_name2\n"
            "from pkg import alsobogus\n"
            "from pkg.nonexistent.sub import x\n"
            "import pkg.gone\n"
        ),
        "pkg/app.py": "import pkg.missing_module4\n",
    }
    assert _ssot005_sites(run_cli, write_project(tmp_path, files)) == [
        "pkg/app.py:1:1",
        "tests/roots/need_mocks.py:5:1",
    ]


def test_a_domain_word_that_says_missing_is_no_placeholder(
    tmp_path: Path, run_cli: RunCli
) -> None:
    files = {
        "pkg/__init__.py": "",
        "pkg/mod.py": "A = 1\n",
        "tests/test_mod.py": "from pkg.mod import fill_missing\nfrom pkg.mod import missing_fn\n",
    }
    assert _ssot005_sites(run_cli, write_project(tmp_path, files)) == [
        "tests/test_mod.py:1:1",
        "tests/test_mod.py:2:1",
    ]


def test_a_file_outside_the_project_root_is_judged_without_an_overlay(
    tmp_path: Path, run_cli: RunCli
) -> None:
    # Its rel path climbs out of the root (`../outside/app.py`): no folders above it
    # inside the project to hold a stand-in, and nothing to index past the root.
    write_project(tmp_path / "proj", {"pkg/__init__.py": ""})
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "app.py").write_text("import pkg.missing\n")
    code, out, err = run_cli(
        ["--no-cache", "--select", "SSOT005", "--config", "proj/pyproject.toml", "outside"],
        tmp_path,
    )
    assert (code, err) == (1, "")
    assert "../outside/app.py:1:1: SSOT005 no module `pkg.missing`" in out
