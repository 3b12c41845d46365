"""SymbolTable resolution, exports, and the ImportGraph, on small projects on disk."""

from __future__ import annotations

import textwrap
from pathlib import Path

from ssot_scan.config import load_config, load_rule_packs
from ssot_scan.discover import discover
from ssot_scan.index import Index, build_index
from ssot_scan.index.symbols import Resolution
from ssot_scan.scan import read_and_extract


def build(root: Path, files: dict[str, str]) -> Index:
    """Write a project (``[tool.ssot-scan]`` at ``root``) and index it."""
    files = {"pyproject.toml": "[tool.ssot-scan]\n", **files}
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
    config = load_config([root])
    load_rule_packs(config, [])
    found = discover([root], config)
    facts = [(source, read_and_extract(source, config.engine)) for source in found.files]
    return build_index(facts, found.first_party, config.rules)


def definition(target: str) -> Resolution:
    return Resolution("definition", target)


# -- resolution ---------------------------------------------------------------------


def test_definition_resolves_in_its_own_module(tmp_path: Path) -> None:
    symbols = build(tmp_path, {"pkg/__init__.py": "", "pkg/a.py": "class Y:\n    pass\n"}).symbols
    assert symbols.resolve("pkg.a", "Y") == definition("pkg.a.Y")


def test_from_import_chain_over_three_modules_reaches_the_definition(tmp_path: Path) -> None:
    symbols = build(
        tmp_path,
        {
            "pkg/__init__.py": "",
            "pkg/a.py": "class Y:\n    pass\n",
            "pkg/b.py": "from pkg.a import Y\n",
            "pkg/c.py": "from pkg.b import Y\n",
            "pkg/d.py": "from .c import Y\n",
        },
    ).symbols
    assert symbols.resolve("pkg.b", "Y") == definition("pkg.a.Y")
    assert symbols.resolve("pkg.c", "Y") == definition("pkg.a.Y")
    assert symbols.resolve("pkg.d", "Y") == definition("pkg.a.Y")


def test_import_as_binds_the_new_name_not_the_old_one(tmp_path: Path) -> None:
    symbols = build(
        tmp_path,
        {
            "pkg/__init__.py": "",
            "pkg/a.py": "class Y:\n    pass\n",
            "pkg/b.py": "from pkg.a import Y as Z\n",
            "pkg/c.py": "from pkg.b import Z as W\n",
        },
    ).symbols
    assert symbols.resolve("pkg.b", "Z") == definition("pkg.a.Y")
    assert symbols.resolve("pkg.c", "W") == definition("pkg.a.Y")
    assert symbols.resolve("pkg.b", "Y") == Resolution("unresolved", "pkg.b.Y", "name")


def test_module_level_alias_resolves_to_the_aliased_definition(tmp_path: Path) -> None:
    symbols = build(
        tmp_path,
        {
            "pkg/__init__.py": "",
            "pkg/a.py": "class Y:\n    pass\n\nX = Y\n",
            "pkg/b.py": "from pkg.a import Y\n\nAlias = Y\n",
        },
    ).symbols
    assert symbols.resolve("pkg.a", "X") == definition("pkg.a.Y")
    assert symbols.resolve("pkg.b", "Alias") == definition("pkg.a.Y")


def test_attribute_alias_through_import_as_module_resolves(tmp_path: Path) -> None:
    symbols = build(
        tmp_path,
        {
            "pkg/__init__.py": "",
            "pkg/mod.py": "class Y:\n    pass\n",
            "pkg/b.py": "import pkg.mod as mod\n\nX = mod.Y\n",
        },
    ).symbols
    assert symbols.resolve("pkg.b", "mod") == Resolution("module", "pkg.mod")
    assert symbols.resolve("pkg.b", "X") == definition("pkg.mod.Y")


def test_alias_of_a_builtin_is_its_own_definition(tmp_path: Path) -> None:
    symbols = build(tmp_path, {"pkg/__init__.py": "", "pkg/a.py": "X = str\n"}).symbols
    assert symbols.resolve("pkg.a", "X") == definition("pkg.a.X")


def test_all_limits_what_a_star_import_binds(tmp_path: Path) -> None:
    symbols = build(
        tmp_path,
        {
            "pkg/__init__.py": "",
            "pkg/a.py": '__all__ = ["Y"]\n\nclass Y:\n    pass\n\nclass Other:\n    pass\n',
            "pkg/b.py": "from pkg.a import *\n",
        },
    ).symbols
    assert symbols.resolve("pkg.b", "Y") == definition("pkg.a.Y")
    assert symbols.resolve("pkg.b", "Other") == Resolution("unresolved", "pkg.b.Other", "name")


def test_star_import_without_all_binds_public_names_only(tmp_path: Path) -> None:
    symbols = build(
        tmp_path,
        {
            "pkg/__init__.py": "",
            "pkg/a.py": "class Y:\n    pass\n\n_hidden = 1\n",
            "pkg/b.py": "from pkg.a import *\n",
        },
    ).symbols
    assert symbols.resolve("pkg.b", "Y") == definition("pkg.a.Y")
    assert symbols.resolve("pkg.b", "_hidden") == Resolution("unresolved", "pkg.b._hidden", "name")


def test_star_import_chain_reaches_the_definition(tmp_path: Path) -> None:
    symbols = build(
        tmp_path,
        {
            "pkg/__init__.py": "",
            "pkg/a.py": "class Y:\n    pass\n",
            "pkg/b.py": "from pkg.a import *\n",
            "pkg/c.py": "from pkg.b import *\n",
        },
    ).symbols
    assert symbols.resolve("pkg.c", "Y") == definition("pkg.a.Y")


def test_star_import_of_external_module_makes_unknown_name_undecidable(tmp_path: Path) -> None:
    symbols = build(
        tmp_path,
        {"pkg/__init__.py": "", "pkg/a.py": "from os.path import *\n\nOWN = 1\n"},
    ).symbols
    assert symbols.resolve("pkg.a", "whatever").kind == "undecidable"
    assert symbols.resolve("pkg.a", "OWN") == definition("pkg.a.OWN")


def test_module_getattr_makes_unknown_name_undecidable(tmp_path: Path) -> None:
    symbols = build(
        tmp_path,
        {
            "pkg/__init__.py": "",
            "pkg/a.py": "OWN = 1\n\ndef __getattr__(name):\n    raise AttributeError(name)\n",
        },
    ).symbols
    assert symbols.resolve("pkg.a", "whatever").kind == "undecidable"
    assert symbols.resolve("pkg.a", "OWN") == definition("pkg.a.OWN")


def test_from_package_import_submodule_resolves_to_the_module(tmp_path: Path) -> None:
    symbols = build(
        tmp_path,
        {
            "pkg/__init__.py": "",
            "pkg/sub.py": "X = 1\n",
            "pkg/user.py": "from pkg import sub\n",
        },
    ).symbols
    assert symbols.resolve("pkg", "sub") == Resolution("module", "pkg.sub")
    assert symbols.resolve("pkg.user", "sub") == Resolution("module", "pkg.sub")


def test_namespace_package_without_init_resolves(tmp_path: Path) -> None:
    symbols = build(tmp_path, {"ns/inner/mod.py": "class N:\n    pass\n"}).symbols
    assert symbols.resolve("ns", "inner") == Resolution("module", "ns.inner")
    assert symbols.resolve("ns.inner", "mod") == Resolution("module", "ns.inner.mod")
    assert symbols.resolve("ns.inner.mod", "N") == definition("ns.inner.mod.N")


def test_reexport_loop_resolves_to_loop_without_recursion_error(tmp_path: Path) -> None:
    symbols = build(
        tmp_path,
        {
            "pkg/__init__.py": "",
            "pkg/a.py": "from pkg.b import Y\n",
            "pkg/b.py": "from pkg.a import Y\n",
        },
    ).symbols
    assert symbols.resolve("pkg.a", "Y").kind == "loop"
    assert symbols.resolve("pkg.b", "Y").kind == "loop"


def test_self_rebinding_alias_resolves_through_the_earlier_import(tmp_path: Path) -> None:
    # Fixed bug (this test failed before the fix). The old behaviour:
    # `Thing = Thing` after `from pkg.a import Thing` evaluates its right-hand
    # side against the import, so it names pkg.a.Thing; SymbolTable resolves the
    # alias in the module's final namespace, where `Thing` is the alias itself, and
    # reports a loop: resolve("pkg.m", "Thing") == Resolution("loop", "pkg.m.Thing").
    symbols = build(
        tmp_path,
        {
            "pkg/__init__.py": "",
            "pkg/a.py": "class Thing:\n    pass\n",
            "pkg/m.py": "from pkg.a import Thing\n\nThing = Thing\n",
        },
    ).symbols
    assert symbols.resolve("pkg.m", "Thing") == definition("pkg.a.Thing")


def test_alias_loop_resolves_to_loop_without_recursion_error(tmp_path: Path) -> None:
    symbols = build(
        tmp_path,
        {
            "pkg/__init__.py": "",
            "pkg/a.py": "from pkg.b import Y as X\nY = X\n",
            "pkg/b.py": "from pkg.a import Y\n",
        },
    ).symbols
    assert symbols.resolve("pkg.b", "Y").kind == "loop"


def test_name_leaving_the_scanned_code_resolves_to_external_path(tmp_path: Path) -> None:
    symbols = build(
        tmp_path,
        {
            "pkg/__init__.py": "",
            "pkg/a.py": "from os.path import join\n",
            "pkg/b.py": "from pkg.a import join\n",
        },
    ).symbols
    assert symbols.resolve("pkg.a", "join") == Resolution("external", "os.path.join")
    assert symbols.resolve("pkg.b", "join") == Resolution("external", "os.path.join")


def test_missing_first_party_module_is_unresolved_module(tmp_path: Path) -> None:
    symbols = build(
        tmp_path,
        {"pkg/__init__.py": "", "pkg/a.py": "from pkg.missing import X\n"},
    ).symbols
    resolution = symbols.resolve("pkg.a", "X")
    assert (resolution.kind, resolution.detail) == ("unresolved", "module")
    assert resolution.target == "pkg.missing"


def test_missing_name_in_existing_module_is_unresolved_name(tmp_path: Path) -> None:
    symbols = build(
        tmp_path,
        {
            "pkg/__init__.py": "",
            "pkg/a.py": "X = 1\n",
            "pkg/b.py": "from pkg.a import Nope\n",
        },
    ).symbols
    assert symbols.resolve("pkg.a", "Nope") == Resolution("unresolved", "pkg.a.Nope", "name")
    assert symbols.resolve("pkg.b", "Nope") == Resolution("unresolved", "pkg.a.Nope", "name")


def test_try_import_fallback_resolves_to_the_try_body(tmp_path: Path) -> None:
    symbols = build(
        tmp_path,
        {
            "pkg/__init__.py": "",
            "pkg/fast.py": "class X:\n    pass\n",
            "pkg/slow.py": "class X:\n    pass\n",
            "pkg/a.py": """\
                try:
                    from .fast import X
                except ImportError:
                    from .slow import X
                """,
        },
    ).symbols
    assert symbols.resolve("pkg.a", "X") == definition("pkg.fast.X")


def test_type_checking_import_loses_to_a_runtime_binding(tmp_path: Path) -> None:
    symbols = build(
        tmp_path,
        {
            "pkg/__init__.py": "",
            "pkg/runtime.py": "class X:\n    pass\n",
            "pkg/typing_only.py": "class X:\n    pass\n",
            "pkg/before.py": """\
                from typing import TYPE_CHECKING
                if TYPE_CHECKING:
                    from pkg.typing_only import X
                from pkg.runtime import X
                """,
            "pkg/after.py": """\
                from typing import TYPE_CHECKING
                from pkg.runtime import X
                if TYPE_CHECKING:
                    from pkg.typing_only import X
                """,
        },
    ).symbols
    assert symbols.resolve("pkg.before", "X") == definition("pkg.runtime.X")
    assert symbols.resolve("pkg.after", "X") == definition("pkg.runtime.X")


# -- exports ------------------------------------------------------------------------

_EXPORTING_PROJECT = {
    "pkg/__init__.py": "",
    "pkg/impl.py": "class Y:\n    pass\n",
    "pkg/api/__init__.py": "from pkg.impl import Y\n",
    "pkg/listed.py": '__all__ = ["Y"]\nfrom pkg.impl import Y\n',
    "pkg/explicit.py": "from pkg.impl import Y as Y\n",
    "pkg/starred.py": "from pkg.impl import *\n",
    "pkg/aliased.py": "from pkg.impl import Y\n\nManager = Y\n",
    "pkg/user.py": "from pkg.impl import Y\n\ndef use():\n    return Y()\n",
    "pkg/renamed_user.py": "from pkg.impl import Y as Z\n\ndef use():\n    return Z()\n",
}


def test_exports_lists_every_module_that_publishes_the_definition(tmp_path: Path) -> None:
    exports = build(tmp_path, _EXPORTING_PROJECT).symbols.exports()
    published = {module: sorted(names) for module, names in exports["pkg.impl.Y"].items()}
    assert published == {
        "pkg.aliased": ["Manager", "Y"],
        "pkg.api": ["Y"],
        "pkg.explicit": ["Y"],
        "pkg.impl": ["Y"],
        "pkg.listed": ["Y"],
        "pkg.starred": ["Y"],
    }


def test_exports_leave_out_modules_that_import_for_their_own_use(tmp_path: Path) -> None:
    exports = build(tmp_path, _EXPORTING_PROJECT).symbols.exports()
    assert "pkg.user" not in exports["pkg.impl.Y"]
    assert "pkg.renamed_user" not in exports["pkg.impl.Y"]


# -- import graph -------------------------------------------------------------------


def test_import_graph_edges_carry_every_import_site(tmp_path: Path) -> None:
    index = build(
        tmp_path,
        {
            "pkg/__init__.py": "",
            "pkg/a.py": "X = 1\nY = 2\n",
            "pkg/b.py": "import pkg.a\nfrom pkg.a import X\n\ndef f():\n    from pkg.a import Y\n",
        },
    )
    sites = index.graph.sites("pkg.b", "pkg.a")
    assert [(site.kind, site.line, site.in_function) for site in sites] == [
        ("import", 1, False),
        ("from", 2, False),
        ("from", 5, True),
    ]
    assert index.graph.sites("pkg.a", "pkg.b") == []


def test_from_package_import_submodule_makes_an_edge_to_the_submodule(tmp_path: Path) -> None:
    index = build(
        tmp_path,
        {
            "pkg/__init__.py": "CONST = 1\n",
            "pkg/sub.py": "X = 1\n",
            "pkg/user.py": "from pkg import sub, CONST\n",
        },
    )
    edges = set(index.graph.graph.out_edges("pkg.user"))
    assert edges == {("pkg.user", "pkg.sub"), ("pkg.user", "pkg")}
    assert [site.line for site in index.graph.sites("pkg.user", "pkg.sub")] == [1]


def test_import_graph_marks_external_modules_as_not_first_party(tmp_path: Path) -> None:
    index = build(tmp_path, {"pkg/__init__.py": "", "pkg/a.py": "import os.path\n"})
    assert index.graph.graph.nodes["os.path"]["first_party"] is False
    assert index.graph.graph.nodes["pkg.a"]["first_party"] is True
    assert "os.path" not in index.graph.first_party_modules


def test_dotted_names() -> None:
    from ssot_scan import dotted

    assert dotted.parent("pkg.sub.mod") == "pkg.sub" and dotted.parent("pkg") == ""
    assert dotted.last("pkg.sub.mod") == "mod" and dotted.top("pkg.sub.mod") == "pkg"
    assert list(dotted.ancestors("a.b.c")) == ["a.b", "a"]
    assert list(dotted.self_and_ancestors("a.b")) == ["a.b", "a"]
    assert dotted.is_within("a.b", "a.b") and dotted.is_within("a.b.c", "a.b")
    assert not dotted.is_within("a.bc", "a.b") and not dotted.is_below("a.b", "a.b")


def test_a_re_export_chain_thousands_of_modules_long_resolves(tmp_path: Path) -> None:
    # Seen: past about 330 hops the recursion limit made the name undecidable ("re-export
    # chain too long"), and each hop copied the set of pairs on the way (quadratic).
    size = 3000
    files = {"pkg/__init__.py": "", f"pkg/m{size:05d}.py": "class Name:\n    pass\n"}
    for i in range(size):
        files[f"pkg/m{i:05d}.py"] = f"from pkg.m{i + 1:05d} import Name as Name\n"
    index = build(tmp_path, files)
    assert index.symbols.resolve("pkg.m00000", "Name") == definition(f"pkg.m{size:05d}.Name")
    # A loop as long still ends as a loop, not as a crash.
    files[f"pkg/m{size:05d}.py"] = "from pkg.m00000 import Name as Name\n"
    index = build(tmp_path, files)
    assert index.symbols.resolve("pkg.m00000", "Name").kind == "loop"


def test_a_definition_is_looked_up_in_its_own_module_only() -> None:
    """Asking for one definition reads that module's facts, not every module's (``fix``
    reads facts on demand, and a check asking about a few definitions paid for a table
    of all of them)."""
    from collections.abc import Iterator, Mapping

    from ssot_scan.facts import Definition, ModuleFacts
    from ssot_scan.index.symbols import SymbolTable

    class Recording(Mapping[str, ModuleFacts]):
        def __init__(self, modules: dict[str, ModuleFacts]) -> None:
            self.modules = modules
            self.read: list[str] = []

        def __getitem__(self, module: str) -> ModuleFacts:
            self.read.append(module)
            return self.modules[module]

        def __iter__(self) -> Iterator[str]:
            return iter(self.modules)

        def __len__(self) -> int:
            return len(self.modules)

    def defining(*names: str) -> ModuleFacts:
        return ModuleFacts(
            definitions=[Definition(n, "class", i + 1, 1) for i, n in enumerate(names)]
        )

    modules = Recording({"p.a": defining("X", "X"), "p.b": defining("Y"), "p.c": defining("Z")})
    table = SymbolTable(modules, {"p"})
    found = table.definition("p.a.X")
    assert found is modules.modules["p.a"].definitions[0]  # the first of two
    assert table.definition("p.a.Missing") is None and table.definition("p.z.X") is None
    assert table.definition("p.b.Y") is modules.modules["p.b"].definitions[0]
    assert "p.c" not in modules.read
