"""Which first-party imports cannot succeed, and which no static tool can decide.

Detection only: SSOT005 turns each ``Broken`` into a finding, and the undecidable
count is part of the analysis whether or not SSOT005 runs, so no report depends on
the order the checks ran in.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Final, Literal, Optional, Protocol, Union

import msgspec

from ssot_scan import dotted, stand_ins
from ssot_scan.discover import SourceFile, is_test_path
from ssot_scan.facts import ImportedName, ImportSite, ModuleFacts
from ssot_scan.index.reads import FILE_SYSTEM
from ssot_scan.index.symbols import LOOP, MODULE, UNDECIDABLE, UNRESOLVED

if TYPE_CHECKING:
    from ssot_scan.index.symbols import SymbolTable

Missing = Literal["module", "name"]


class Broken(msgspec.Struct, frozen=True):
    """One import that fails: what is missing, in words, and where the import is."""

    source: SourceFile
    site: ImportSite
    imported: Optional[ImportedName]  # None: the whole statement (a module is missing)
    text: str
    symbol: str  # the missing module, or the dotted name a chain ends at
    missing: Missing


class _Undecidable(msgspec.Struct, frozen=True):
    """A name a static tool cannot decide (module ``__getattr__``, a namespace
    package, a compiled module...): counted, never reported."""


UNDECIDABLE_IMPORT: Final = _Undecidable()
Verdict = Union[Broken, _Undecidable]


class UnresolvedImports(msgspec.Struct, frozen=True):
    """SSOT005's answer: the imports that cannot succeed, and how many could not be
    decided statically (module ``__getattr__``, star imports of external code)."""

    broken: list[Broken]
    undecidable: int


class Project(Protocol):
    """What deciding an import needs: the scan's ``Index``, or the on-demand view
    ``fix`` checks its rewrites with (``project_view.ProjectView``)."""

    @property
    def symbols(self) -> SymbolTable: ...

    @property
    def modules(self) -> Mapping[str, ModuleFacts]: ...

    @property
    def source_of(self) -> Mapping[str, SourceFile]: ...


def find_unresolved(
    project: Project, files: Iterable[tuple[SourceFile, ModuleFacts]], include_guarded: bool
) -> UnresolvedImports:
    """The imports of ``files`` that cannot succeed, and how many no tool can decide."""
    return tally_verdicts(
        verdicts_in(project, source, facts, include_guarded) for source, facts in files
    )


def tally_verdicts(verdicts: Iterable[Iterable[Verdict]]) -> UnresolvedImports:
    """Each file's verdicts, in order, as one answer."""
    broken: list[Broken] = []
    undecidable = 0
    for found in verdicts:
        for verdict in found:
            if isinstance(verdict, Broken):
                broken.append(verdict)
            else:
                undecidable += 1
    return UnresolvedImports(broken, undecidable)


def verdicts_in(
    project: Project, source: SourceFile, facts: ModuleFacts, include_guarded: bool
) -> list[Verdict]:
    """What fails (or cannot be decided) among one file's imports, in their order."""
    if source.shadowed_by is not None:
        return []
    found: list[Verdict] = []
    for site in facts.imports:
        if not include_guarded and site.guarded:  # in a function too
            continue
        if site.expects_error:  # under ``with pytest.raises(ImportError):``
            continue
        if not source.judges(site):
            continue
        _site(project, source, site, found)
    return found


def _site(index: Project, source: SourceFile, site: ImportSite, found: list[Verdict]) -> None:
    """What fails among one import statement's imports, added to ``found`` (a list
    passed in, not a generator: asked of every import site, most of which add
    nothing)."""
    symbols = index.symbols
    if site.target is None:
        text = (
            f"relative import `{'.' * site.level}{site.raw_module}` climbs above the "
            "top-level package"
        )
        found.append(Broken(source, site, None, text, site.raw_module, "module"))
        return
    if not symbols.is_first_party(site.target):
        return
    missing = _missing_module(index, site.target)
    if missing is not None:
        if _meant_to_fail(index, source, site.target, None):
            return
        if (
            symbols.provides_dynamically(site.target)
            or symbols.namespace_may_provide(site.target)
            or _overlaid(index, source, site.target)
        ):
            # a package that rewires imports, another portion, an overlay
            found.append(UNDECIDABLE_IMPORT)
        else:
            found.append(Broken(source, site, None, missing, site.target, "module"))
        return
    unparsed = _unparsed(index, site.target)
    if unparsed is not None:
        found.append(Broken(source, site, None, unparsed, site.target, "module"))
        return
    if site.kind == "import" or site.is_star:
        return
    for imported in site.names:
        resolution = symbols.resolve_any(site.target, imported.name)
        if resolution.kind == MODULE:
            unparsed = _unparsed(index, resolution.target)
            if unparsed is not None:
                found.append(Broken(source, site, imported, unparsed, resolution.target, "module"))
        elif resolution.kind == UNDECIDABLE:
            found.append(UNDECIDABLE_IMPORT)
        elif resolution.kind == UNRESOLVED:
            if _meant_to_fail(index, source, site.target, imported.name):
                continue
            if _overlaid(index, source, f"{site.target}.{imported.name}") or _overlaid(
                index, source, site.target
            ):
                found.append(UNDECIDABLE_IMPORT)
                continue
            if resolution.detail == "module":
                text = f"`{imported.name}` from `{site.target}` leads to a missing module "
                text += f"`{resolution.target}`"
            else:
                text = f"cannot import `{imported.name}` from `{site.target}`: no such name"
                if resolution.target != f"{site.target}.{imported.name}":
                    text += f" (its re-export chain ends at `{resolution.target}`)"
            found.append(Broken(source, site, imported, text, resolution.target, "name"))
        elif resolution.kind == LOOP:
            text = f"cannot import `{imported.name}` from `{site.target}`: its re-exports "
            text += f"loop back on themselves at `{resolution.target}`"
            found.append(Broken(source, site, imported, text, resolution.target, "name"))


# Placeholders a test gives what it means not to exist: ``missing_module4``,
# ``nonexistent``, ``no_such_name``, ``alsobogus``. A domain word that happens to
# say "missing" (``fill_missing``, ``missing_fn`` removed by accident) is no such name.
_MEANT_MISSING = re.compile(
    r"(?:(?:missing|non_?existent|non_?existing|does_?not_?exist|not_?existing|no_?such)"
    r"(?:_?(?:module|mod|package|pkg|submodule|name|attr|attribute|thing))?|\w*bogus\w*)\d*",
    re.IGNORECASE,
)


def _meant_to_fail(index: Project, source: SourceFile, module: str, name: Optional[str]) -> bool:
    """A test's import of a module or name it calls missing: it checks what happens
    when an import fails (autodoc's mocked imports, Ansible's optional imports), as
    ``with pytest.raises(ImportError):`` says in so many words."""
    if not is_test_path(source.rel):
        return False
    if name is not None:
        return bool(_MEANT_MISSING.fullmatch(name))
    absent = [p for p in dotted.self_and_ancestors(module) if not index.symbols.module_exists(p)]
    return any(_MEANT_MISSING.fullmatch(dotted.last(p)) for p in absent)


def _overlaid(index: Project, source: SourceFile, module: str) -> bool:
    """Is there a stand-in for ``module`` beside the importing file, in a folder
    named like one of its packages (``<folder>/module_utils/foo.py`` for
    ``pkg.module_utils.foo``)? Test harnesses and plugin loaders put such folders on
    a package's path at run time (Ansible's test targets overlay
    ``ansible.module_utils``); whether this one is, no static tool can tell. A
    package's own folder is no stand-in for itself."""
    reads = index.symbols.reads
    if reads is not None:
        reads.read(FILE_SYSTEM)
    parts = module.split(".")
    folders = source.rel.split("/")[:-1]
    if ".." in folders or len(folders) >= len(source.path.parents):
        return False  # a file reached from outside the project root: no folders above
    root = source.path.parents[len(folders)]
    own = _package_folders(index, parts)
    for depth in range(len(folders), -1, -1):
        folder = root.joinpath(*folders[:depth])
        for split in range(1, len(parts)):
            if not index.symbols.module_exists(".".join(parts[:split])):
                break
            stand_in = folder / parts[split - 1]
            if stand_in == own.get(split):
                continue
            candidate = str(stand_in.joinpath(*parts[split:]))
            found = stand_ins.present(candidate)
            index.symbols.probed[candidate] = found
            if found:
                return True
    return False


def _package_folders(index: Project, parts: list[str]) -> dict[int, Path]:
    """The folders the scan found ``parts[:n]``'s package in, keyed by ``n``: read
    off the file of the deepest module of ``parts`` that has one."""
    for size in range(len(parts), 0, -1):
        found = index.source_of.get(".".join(parts[:size]))
        if found is None:
            continue
        # The file's folder holds parts[:size] (a package) or parts[:size - 1].
        deepest = size if found.is_package else size - 1
        folder = found.path.parent
        folders = {}
        for n in range(deepest, 0, -1):
            folders[n] = folder
            folder = folder.parent
        return folders
    return {}


def _unparsed(index: Project, module: str) -> Optional[str]:
    """Why ``module`` cannot be imported when its file does not parse, else None."""
    reads = index.symbols.reads
    if reads is not None:
        reads.read(module)
    facts = index.modules.get(module)
    if facts is None or facts.parse_error is None:
        return None
    return f"`{module}` cannot be imported: {index.source_of[module].rel} does not parse"


def _missing_module(index: Project, module: str) -> Optional[str]:
    symbols = index.symbols
    if symbols.module_exists(module):
        return None
    child = module
    for parent in dotted.ancestors(module):
        if symbols.module_exists(parent):
            return f"no module `{module}`: `{parent}` has no submodule `{dotted.last(child)}`"
        child = parent
    return f"no module `{module}`"
