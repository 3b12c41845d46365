"""What each answer of the symbol table was made from (``SymbolTable.reads``).

The property an incremental scan rests on: an edit to one module changes no answer
whose recorded reads leave that module out. Checked on random projects built as
facts (re-export chains, loops, star imports, ``__all__``, aliases, module
``__getattr__``, handovers, import finders), each edited many ways, and on a
generated tree edited the way the benchmark edits it.
"""

from __future__ import annotations

import itertools
import random
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Optional

from ssot_scan.facts import Definition, Handover, ImportedName, ImportSite, ModuleFacts
from ssot_scan.index.reads import FINDERS, Reads
from ssot_scan.index.symbols import Resolution, SymbolTable

REPO = Path(__file__).resolve().parent.parent
NAMES = ("X", "Y", "Z", "W", "_u", "m1", "m2")
PACKAGES = ("p", "p.a", "p.b")
PLAIN = ("p.a.m1", "p.a.m2", "p.b.m1", "p.b.m2", "p.c", "p.d", "p.e")
MODULES = (*PACKAGES, *PLAIN)
TARGETS = (*MODULES, "p.missing", "ext", "ext.sub")

Key = tuple[str, str]


def _site(rng: random.Random, line: int, star: bool = False) -> ImportSite:
    target = rng.choice(TARGETS)
    if rng.random() < 0.15:
        names: list[ImportedName] = []
        kind = "import"
        asname: Optional[str] = rng.choice((None, "q", "X"))
    else:
        kind = "from"
        asname = None
        names = [
            ImportedName(rng.choice(NAMES), rng.choice((None, None, None, "X", "_v", "Y")))
            for _ in range(rng.randint(1, 2))
        ]
        if star:
            names = [ImportedName("*")]
    roll = rng.random()
    return ImportSite(
        kind=kind,  # type: ignore[arg-type]
        target=target,
        raw_module=target,
        level=0,
        names=names,
        asname=asname,
        line=line,
        column=1,
        end_line=line,
        end_column=30,
        in_function=roll < 0.05,
        type_checking=0.05 <= roll < 0.1,
        guarded=0.1 <= roll < 0.15,
        conditional=0.15 <= roll < 0.25,
        is_star=star,
    )


def _definition(rng: random.Random, line: int) -> Definition:
    alias: Optional[str] = None
    if rng.random() < 0.3:
        alias = rng.choice((*NAMES, "m1.X", "q.Y", "p.a.X"))
    return Definition(
        name=rng.choice(NAMES),
        kind=rng.choice(("class", "function", "assign")),
        line=line,
        column=1,
        alias_of=alias,
        conditional=rng.random() < 0.15,
    )


def _facts(rng: random.Random) -> ModuleFacts:
    facts = ModuleFacts()
    line = 1
    for _ in range(rng.randint(0, 5)):
        line += 1
        if rng.random() < 0.6:
            facts.imports.append(_site(rng, line, star=rng.random() < 0.1))
        else:
            facts.definitions.append(_definition(rng, line))
    if rng.random() < 0.2:
        facts.all_names = rng.sample(NAMES, rng.randint(0, 3))
    facts.all_dynamic = rng.random() < 0.05
    facts.has_getattr = rng.random() < 0.1
    facts.dynamic_imports = rng.random() < 0.05
    if rng.random() < 0.1:
        facts.rewriting_functions = ["rewrite"]
        facts.definitions.append(Definition("rewrite", "function", line + 1, 1))
    if rng.random() < 0.1:
        names = rng.choice((None, ["X"], ["Y", "Z"]))
        facts.handovers = [Handover(rng.choice(("rewrite", "m1.rewrite", "q.rewrite")), 90, names)]
    if rng.random() < 0.05:
        facts.finder_serves = [rng.choice(("p", "p.a", "p.b"))]
    return facts


def _project(rng: random.Random) -> dict[str, ModuleFacts]:
    """Random modules, with a few names passed round in a loop (``a`` takes ``X``
    from ``b``, which takes it from ``a``), which random imports alone rarely make."""
    modules = {name: _facts(rng) for name in MODULES}
    for _ in range(rng.randint(0, 3)):
        first, second = rng.sample(MODULES, 2)
        name = rng.choice(NAMES)
        for here, there in ((first, second), (second, first)):
            line = 50 + len(modules[here].imports)
            site = ImportSite(
                "from", there, there, 0, [ImportedName(name)], None, line, 1, line, 9
            )
            modules[here].imports.append(site)
    return modules


def _copy(facts: ModuleFacts) -> ModuleFacts:
    """A fresh copy (its cached properties unset, as a scan would build it)."""
    return ModuleFacts.from_json(facts.to_json())


def _edits(rng: random.Random) -> list[Callable[[ModuleFacts], None]]:
    def add_import(facts: ModuleFacts) -> None:
        facts.imports.append(_site(rng, rng.randint(1, 40), star=rng.random() < 0.2))

    def drop_import(facts: ModuleFacts) -> None:
        if facts.imports:
            facts.imports.pop(rng.randrange(len(facts.imports)))

    def add_definition(facts: ModuleFacts) -> None:
        facts.definitions.append(_definition(rng, rng.randint(1, 40)))

    def drop_definition(facts: ModuleFacts) -> None:
        if facts.definitions:
            facts.definitions.pop(rng.randrange(len(facts.definitions)))

    def toggle_flags(facts: ModuleFacts) -> None:
        facts.has_getattr = not facts.has_getattr
        facts.dynamic_imports = rng.random() < 0.5

    def change_all(facts: ModuleFacts) -> None:
        facts.all_names = None if facts.all_names is not None else rng.sample(NAMES, 2)

    def guard_a_site(facts: ModuleFacts) -> None:
        for site in facts.imports:
            site.conditional = not site.conditional

    def hand_over(facts: ModuleFacts) -> None:
        facts.handovers = [Handover("m1.rewrite", 91, None)]
        facts.rewriting_functions = ["rewrite"] if rng.random() < 0.5 else []

    def serve(facts: ModuleFacts) -> None:
        facts.finder_serves = [] if facts.finder_serves else ["p.b"]

    return [
        add_import,
        drop_import,
        add_definition,
        drop_definition,
        toggle_flags,
        change_all,
        guard_a_site,
        hand_over,
        serve,
    ]


def _table(modules: dict[str, ModuleFacts], track: bool = True) -> SymbolTable:
    return SymbolTable(modules, {"p", "q"}, set(PACKAGES), track_reads=track)


def _answers(table: SymbolTable, keys: list[Key]) -> dict[Key, tuple[Resolution, set[str]]]:
    reads = table.reads
    assert reads is not None
    answers = {}
    for key in keys:
        with reads.recording() as read:
            answers[key] = (table.resolve(*key), read)
    return answers


def _keys() -> list[Key]:
    missing = ("p.missing", "p.c.missing", "p.a.m1.sub", "p.b.gone")
    return [(module, name) for module in (*MODULES, *missing) for name in NAMES]


def test_an_edit_changes_no_answer_that_did_not_read_the_edited_module() -> None:
    changed = unchanged = 0
    for seed in range(600):
        rng = random.Random(seed)
        modules = _project(rng)
        before = _answers(_table(modules), _keys())
        edited = rng.choice(MODULES)
        edit = rng.choice(_edits(rng))
        after_modules = {name: _copy(facts) for name, facts in modules.items()}
        edit(after_modules[edited])
        touched = {edited}
        if after_modules[edited].finder_serves != modules[edited].finder_serves:
            touched.add(FINDERS)
        after = _table(after_modules, track=False)
        # Asked in another order: an incremental scan asks only what an edit reached,
        # so an answer must not rest on what happened to be asked before it (a loop
        # is named by its least pair, not where the search met itself).
        keys = list(before)
        rng.shuffle(keys)
        for key in keys:
            answer, read = before[key]
            now = after.resolve(*key)
            if not read & touched:
                assert now == answer, (seed, edit.__name__, edited, key, sorted(read))
                unchanged += 1
            elif now != answer:
                changed += 1
    # The edits were real (answers changed), and reads left most answers standing.
    assert changed > 100
    assert unchanged > changed


def test_public_names_record_the_modules_a_star_import_reads() -> None:
    for seed in range(600):
        rng = random.Random(seed)
        modules = _project(rng)
        table = _table(modules)
        assert table.reads is not None
        found = {}
        for module in MODULES:
            with table.reads.recording() as read:
                found[module] = (table.public_names(module), read)
        edited = rng.choice(MODULES)
        after_modules = {name: _copy(facts) for name, facts in modules.items()}
        rng.choice(_edits(rng))(after_modules[edited])
        after = _table(after_modules, track=False)
        order = list(found)
        rng.shuffle(order)  # see the test above
        for module in order:
            names, read = found[module]
            if edited not in read:
                assert after.public_names(module) == names, (seed, module)


def test_an_answer_taken_from_the_memo_brings_its_reads_along() -> None:
    modules = {name: ModuleFacts() for name in MODULES}
    modules["p.a.m1"].definitions.append(Definition("X", "class", 1, 1))
    chain = ImportSite("from", "p.a.m1", "p.a.m1", 0, [ImportedName("X")], None, 1, 1, 1, 20)
    modules["p.a.m2"].imports.append(chain)
    table = _table(modules)
    assert table.reads is not None
    with table.reads.recording() as first:
        table.resolve("p.a.m2", "X")
    with table.reads.recording() as again:
        table.resolve("p.a.m2", "X")
    assert first == again == {"p.a.m2", "p.a.m1"}


def test_a_table_that_does_not_track_records_nothing() -> None:
    assert _table({name: ModuleFacts() for name in MODULES}, track=False).reads is None


def test_frames_nest_and_pass_what_they_read_outwards() -> None:
    reads = Reads()
    with reads.recording() as outer:
        reads.read("a")
        with reads.recording() as inner:
            reads.read("b")
        reads.add({"c"})
    assert inner == {"b"}
    assert outer == {"a", "b", "c"}


def test_the_benchmark_edit_reads_few_answers_on_a_generated_tree(tmp_path: Path) -> None:
    """Adding ``import m as _edit`` to one module of a generated tree: the answers
    that read it are few, and every other answer is unchanged."""
    from ssot_scan.config import load_config, load_rule_packs
    from ssot_scan.discover import discover
    from ssot_scan.scan import read_and_extract

    sys.path.insert(0, str(REPO / "benchmarks"))
    try:
        import synthetic
    finally:
        sys.path.pop(0)
    root = synthetic.generate(tmp_path / "generated", 250, 1.5, 11)
    config = load_config([root])
    load_rule_packs(config, [])
    found = discover([root], config)
    modules = {
        source.module: read_and_extract(source, config.engine)
        for source in found.files
        if source.module is not None
    }
    packages = {source.module for source in found.files if source.module and source.is_package}
    keys = [
        (site.target, imported.name)
        for facts in modules.values()
        for site in facts.imports
        if site.kind == "from" and site.target and not site.is_star
        for imported in site.names
    ]
    table = SymbolTable(modules, found.first_party, packages, track_reads=True)
    before = _answers(table, keys)
    rng = random.Random(3)
    edited = rng.choice(sorted(m for m in modules if m not in packages))
    after_modules = dict(modules)
    after_modules[edited] = _copy(modules[edited])
    target = rng.choice(sorted(modules))
    after_modules[edited].imports.append(
        ImportSite("import", target, target, 0, [], "_edit", 9999, 1, 9999, 40)
    )
    after = SymbolTable(after_modules, found.first_party, packages)
    reading = 0
    for key in reversed(list(before)):  # asked in the other order
        answer, read = before[key]
        if edited in read:
            reading += 1
        else:
            assert after.resolve(*key) == answer, key
    assert reading < len(before) / 10
    # Unedited, in the other order, what a star import binds is the same too.
    table, again = (SymbolTable(modules, found.first_party, packages) for _ in range(2))
    forth = {module: table.public_names(module) for module in sorted(modules)}
    back = {module: again.public_names(module) for module in sorted(modules, reverse=True)}
    assert forth == back


def test_a_name_a_later_star_takes_back_reads_the_module_that_defines_it() -> None:
    # networkx.utils: the package star-imports misc (which defines ``groups``), then
    # union_find, which imports ``groups`` back from the package. The answer kept
    # for union_find rests on misc as much as the package's own does.
    def star(target: str, line: int) -> ImportSite:
        return ImportSite(
            "from", target, target, 0, [ImportedName("*")], None, line, 1, line, 9, is_star=True
        )

    modules = {name: ModuleFacts() for name in MODULES}
    modules["p"].imports = [star("p.c", 1), star("p.d", 2)]
    modules["p.c"].all_names = ["groups"]
    modules["p.c"].definitions = [Definition("groups", "function", 4, 1)]
    back = ImportSite("from", "p", "p", 0, [ImportedName("groups")], None, 1, 1, 1, 20)
    modules["p.d"].imports = [back]
    table = _table(modules)
    assert table.reads is not None
    with table.reads.recording() as package:
        assert table.resolve("p", "groups") == Resolution("definition", "p.c.groups")
    with table.reads.recording() as taken_back:
        assert table.resolve("p.d", "groups") == Resolution("definition", "p.c.groups")
    assert "p.c" in package
    assert "p.c" in taken_back


def test_a_definition_looked_up_by_name_reads_its_module() -> None:
    modules = {name: ModuleFacts() for name in MODULES}
    modules["p.c"].definitions = [Definition("X", "class", 1, 1)]
    table = _table(modules)
    assert table.reads is not None
    with table.reads.recording() as read:
        assert table.definition("p.c.X") is not None
    assert read == {"p.c"}


def test_a_handover_asked_again_reads_the_module_of_the_rewriting_function() -> None:
    # Celery: ``recreate_module(__name__, ...)`` may bind any name in the module
    # that calls it, as long as the function rewrites what it is handed: the second
    # name asked rests on the function's module as much as the first.
    modules = {name: ModuleFacts() for name in MODULES}
    as_q = ImportSite("import", "p.d", "p.d", 0, [], "q", 1, 1, 1, 15)
    modules["p.c"].imports = [as_q]
    modules["p.c"].handovers = [Handover("q.rewrite", 3, None)]
    modules["p.d"].definitions = [Definition("rewrite", "function", 1, 1)]
    modules["p.d"].rewriting_functions = ["rewrite"]
    table = _table(modules)
    assert table.reads is not None
    for name in ("A", "B"):
        with table.reads.recording() as read:
            assert table.resolve("p.c", name).kind == "undecidable"
        assert "p.d" in read, name


def test_a_star_import_loop_answer_reads_the_module_it_stopped_at() -> None:
    # p.c and p.d star-import each other. Asked of p.c first, p.d's names are worked
    # out on the way with p.c left out (it is being listed), and kept: that answer
    # rests on p.c as much as one that read it, whichever module is asked first later.
    def star(target: str) -> ImportSite:
        return ImportSite(
            "from", target, target, 0, [ImportedName("*")], None, 1, 1, 1, 9, is_star=True
        )

    modules = {name: ModuleFacts() for name in MODULES}
    modules["p.c"].imports = [star("p.d")]
    modules["p.d"].imports = [star("p.c")]
    modules["p.d"].definitions = [Definition("D", "class", 2, 1)]
    table = _table(modules)
    assert table.reads is not None
    table.public_names("p.c")
    with table.reads.recording() as read:
        kept = table.public_names("p.d")
    after = dict(modules)
    after["p.c"] = _copy(modules["p.c"])
    after["p.c"].definitions.append(Definition("C", "class", 3, 1))
    if table.public_names("p.d") != _table(after, track=False).public_names("p.d"):
        assert "p.c" in read, kept


def _star(target: str, line: int = 1) -> ImportSite:
    return ImportSite(
        "from", target, target, 0, [ImportedName("*")], None, line, 1, line, 9, is_star=True
    )


def test_every_module_of_a_star_import_loop_lists_the_same_names_whichever_is_asked_first() -> (
    None
):
    # p.c and p.d star-import each other, p.e star-imports p.d. Asked of p.c first,
    # p.d's names had been kept without p.c's (p.c was being listed): p.e then lacked
    # C, and ``from p.e import C`` was a false SSOT005 when a file sorted first.
    modules = {name: ModuleFacts() for name in MODULES}
    modules["p.c"].imports = [_star("p.d")]
    modules["p.c"].definitions = [Definition("C", "class", 2, 1)]
    modules["p.d"].imports = [_star("p.c")]
    modules["p.d"].definitions = [Definition("D", "class", 2, 1)]
    modules["p.e"].imports = [_star("p.d")]
    answers = []
    for order in (["p.c", "p.d", "p.e"], ["p.e", "p.d", "p.c"], ["p.d", "p.e", "p.c"]):
        table = _table(modules, track=False)
        answers.append({module: table.public_names(module) for module in order})
    assert answers[0] == answers[1] == answers[2]
    assert answers[0] == {"p.c": ["C", "D"], "p.d": ["D", "C"], "p.e": ["D", "C"]}


def test_a_star_import_loop_through_an_all_entry_is_unknowable_from_any_side() -> None:
    # p.c's __all__ is p.d's (``__all__ = q.__all__``, ``*q``); p.d star-imports p.c.
    modules = {name: ModuleFacts() for name in MODULES}
    modules["p.c"].imports = [ImportSite("import", "p.d", "p.d", 0, [], "q", 1, 1, 1, 15)]
    modules["p.c"].all_names = ["*q"]
    modules["p.d"].imports = [_star("p.c")]
    modules["p.d"].definitions = [Definition("D", "class", 2, 1)]
    for order in (["p.c", "p.d"], ["p.d", "p.c"]):
        table = _table(modules, track=False)
        assert {module: table.public_names(module) for module in order} == {
            "p.c": None,
            "p.d": None,
        }, order


def test_a_star_import_loop_beside_a_chain_deeper_than_the_recursion_limit() -> None:
    # p.a star-imports p.b (which star-imports p.a back: a loop, set aside until p.a
    # is done) and then a chain of 1,500 star imports, deeper than the recursion
    # limit: resolution starts again with room to spare (``run_deep``), and the names
    # listed are those a fresh table lists.
    chain = [f"p.m{i:04d}" for i in range(1500)]
    modules = {name: ModuleFacts() for name in ("p.a", "p.b", *chain)}
    modules["p.a"].imports = [_star("p.b", 1), _star(chain[0], 2)]
    modules["p.b"].imports = [_star("p.a")]
    modules["p.b"].definitions = [Definition("B", "class", 2, 1)]
    for here, there in itertools.pairwise(chain):
        modules[here].imports = [_star(there)]
    modules[chain[-1]].definitions = [Definition("Name", "class", 1, 1)]
    cut = SymbolTable(modules, {"p"}, set())
    assert cut.resolve("p.a", "Name") == Resolution("definition", f"{chain[-1]}.Name")
    fresh = SymbolTable(modules, {"p"}, set())
    fresh.resolve("p.a", "Name")
    for module in ("p.b", "p.a", chain[0]):
        assert cut.public_names(module) == fresh.public_names(module), module
    assert cut.public_names("p.b") == ["B", "Name"]
