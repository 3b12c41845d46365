"""Discovery: from the paths a user gives to ``SourceFile``s with dotted module names.

The whole project below its root (``project.py``) is read, whatever paths are named:
an import is judged against everything it could reach. The named paths become the
*scope*, what is reported.

Names come from the import system's rules (``naming.py``): the configured roots (or
``src/``) and the project root are the ``sys.path`` entries. A file that is not what
its name imports is kept and checked, but not importable: a ``.py`` beside a
same-named package is dead (SSOT006), any other loser is hidden.
"""

from __future__ import annotations

import functools
import os
import time
from collections.abc import Callable
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, Optional

import msgspec

from ssot_scan import dotted, listing, snapshot
from ssot_scan.config import Config
from ssot_scan.errors import UsageError
from ssot_scan.printable import printable
from ssot_scan.project import (
    BUILD_SCRIPTS,
    RootChoice,
    analysed_paths,
    declared_extensions,
    declared_roots,
    find_project_root,
    generated_modules,
    in_scope,
    start_folder,
)
from ssot_scan.walk import Ignores, find_repository, plain_name, walk_files

if TYPE_CHECKING:
    from ssot_scan.facts import ImportSite
    from ssot_scan.naming import Candidate

_TEST_DIRS = frozenset({"test", "tests", "testing"})


@functools.lru_cache(maxsize=65_536)
def is_test_path(rel: str) -> bool:
    """Test code by the usual conventions: a tests folder, test_*.py, *_test.py,
    conftest.py. Remembered: the checks ask it of every import of every file."""
    parts = rel.split("/")
    name = parts[-1]
    return (
        any(part in _TEST_DIRS for part in parts[:-1])
        or name.startswith("test_")
        or name.endswith("_test.py")
        or name == "conftest.py"
    )


_BACKUP_DIRS = {"backup", "backups", "archive", "archived", "attic", "old_tree"}


def is_backup_path(rel: str) -> bool:
    """A copy kept aside: a backup or archive folder (``backups/old_tree/``)."""
    parts = [part.lower() for part in rel.split("/")[:-1]]
    return any(
        part in _BACKUP_DIRS or part.startswith("backup") or part.endswith(("_backup", ".bak"))
        for part in parts
    )


class SourceFile(msgspec.Struct, dict=True):
    """One file to scan: where it is, the path reports show, and the module Python
    would import it as (if any), as discovery named it."""

    # Absolute, as text: a warm run takes hundreds of files from the kept discovery
    # and stats each; a Path built for every one of them (``path``, for the few that
    # are read), and stats through it, had cost Django's warm run 2-3 ms.
    location: str
    rel: str  # relative to the project base, "/"-separated: what reports show
    module: Optional[str]  # the importable name; None when the file is not importable
    is_package: bool
    shadowed_by: Optional[str] = None  # SSOT006: rel path of the package that wins
    # The name the file is known by even when an import reaches something else:
    # its relative imports resolve from it. None: no import can spell it.
    name: Optional[str] = None
    hidden_by: Optional[str] = None  # why ``name`` imports another file (not SSOT006)

    def __post_init__(self) -> None:
        if self.name is None:
            self.name = self.module

    @cached_property
    def path(self) -> Path:
        """``location`` as a Path, built when first asked."""
        return Path(self.location)

    def stat(self) -> Optional[tuple[int, int]]:
        """(size, mtime_ns) of the file now; None if it cannot be stat'ed. What the
        cache knows a file's content by, and a stored result the files it read."""
        try:
            info = os.stat(self.location)
        except OSError:
            return None
        return info.st_size, info.st_mtime_ns

    def judges(self, site: ImportSite) -> bool:
        """Can this file's import be judged? A relative import in a file that is not
        importable resolves from a name Python never gives it, into whatever package
        really holds that name: no finding can rest on it."""
        return site.level == 0 or self.module is not None

    @property
    def status(self) -> str:
        """What ``--show-files`` says of the file's name."""
        if self.module is not None:
            return self.module
        if self.shadowed_by is not None:
            return f"(not importable: the package folder {self.shadowed_by} shadows it)"
        if self.hidden_by is not None:
            return f"(not importable as {self.name}: {self.hidden_by})"
        return "(not importable: no import can spell its path)"


class Discovery(msgspec.Struct):
    """What discovery found: the files, the project root they are named from, the
    first-party top-level names, and the scope to report (the named paths)."""

    files: list[SourceFile] = msgspec.field(default_factory=list)
    # The project root; ``rel`` is relative to it.
    base: Path = msgspec.field(default_factory=Path.cwd)
    first_party: set[str] = msgspec.field(default_factory=set)
    notices: list[str] = msgspec.field(default_factory=list)  # one line each, for stderr
    # Modules with no source to scan (C extensions, stubs): importable, contents unknown.
    opaque_modules: set[str] = msgspec.field(default_factory=set)
    entries: list[Path] = msgspec.field(default_factory=list)  # the sys.path entries, in order
    root: Optional[RootChoice] = None
    # What to report: rel paths of the named files and folders; None = everything.
    scope: Optional[list[str]] = None

    def in_scope(self, rel: str) -> bool:
        return in_scope(self.scope, rel)


def _crawl_root(path: Path, there: listing.There = listing.presence) -> Path:
    """The folder Python would need on sys.path to import ``path`` by its full name.

    Walk up while the folder is a package, and also across a folder without
    ``__init__.py`` that sits directly inside a package (a namespace portion such as
    ``flask/sansio``, importable as ``flask.sansio``).
    """
    folder = path.parent
    while folder.parent != folder and (
        there(os.path.join(folder, "__init__.py"))[1]
        or there(os.path.join(folder.parent, "__init__.py"))[1]
    ):
        folder = folder.parent
    return folder


def source_roots(config: Config, root: Path, reads: snapshot.Reads) -> list[Path]:
    """The sys.path entries, in order: configured roots (else the source folders the
    packaging declares, and ``src/`` if there is one), then the project root itself.
    ``reads`` learns what the answer rests on."""
    real = reads.resolve(root)
    if config.roots is not None:
        entries = [reads.resolve(root / r) for r in config.roots]
        missing = [r for r, entry in zip(config.roots, entries, strict=True) if not entry.is_dir()]
        if missing:
            where = config.config_file.name if config.config_file else "config"
            raise UsageError(
                f"{where}: roots: {missing[0]!r} is not a folder under {root} "
                "(roots are sys.path entries, relative to the project root)"
            )
    else:
        entries = [r for r in declared_roots(root, reads) if r != real]
        src = reads.resolve(root / "src")
        if src.is_dir() and src not in entries:
            entries.append(src)
    return [*entries, real] if real not in entries else entries


def discover(
    paths: list[Path], config: Config, keeper: Optional[listing.Keeper] = None
) -> Discovery:
    """Every file of the project, named, with the first-party top-level names and
    the scope to report (the named paths). ``keeper``: where the folder listings are
    kept for the next run, which lists again only the folders that changed, and
    where the whole answer is kept for a run in which nothing it read has changed
    (``snapshot``)."""
    named = [p.absolute() for p in (paths or [Path(".")])]
    if keeper is None:
        return _discover(named, config, None, snapshot.Reads())[0]
    settings = config.settings_text()
    key = snapshot.key([str(p) for p in named], settings, keeper.tool)
    kept = snapshot.load(keeper.store, key)
    restored = _restored(kept.answer, kept.walked) if kept is not None else None
    if restored is not None:
        return restored
    started = time.time_ns()  # before anything is read: see snapshot's racy rule
    reads = snapshot.Reads()
    result, record = _discover(named, config, keeper, reads)
    if record is not None:
        snapshot.save(
            keeper.store, key, _kept(result), started, record.folders, record.files, reads
        )
    return result


def _discover(
    named: list[Path], config: Config, keeper: Optional[listing.Keeper], reads: snapshot.Reads
) -> tuple[Discovery, Optional[listing.WalkRecord]]:
    """``discover`` afresh (but for the folder listings ``keeper`` keeps); ``reads``
    learns what the answer rests on besides the walk, whose record comes back."""
    for path in named:
        folder = reads.there(str(path))[2]
        reads.resolve(path)
        # A named path outside every root is named from its package chain.
        _crawl_root(path / "__init__.py" if folder else path, reads.there)
    # The lookups upward (markers, ``__init__.py``, ``.git``) see the file system
    # through ``reads``, which keeps what they saw: that, not the folders they
    # looked in, is what the answer rests on.
    start = start_folder(named, reads.there)
    choice = config.root_choice or find_project_root(start, reads.there)
    result = Discovery(base=reads.resolve(choice.root), root=choice)
    # A folder outside every root is named from the top of its package chain, which
    # may climb past the root (see ``_crawl_root``).
    _crawl_root(result.base / "__init__.py", reads.there)  # what naming will look at
    result.entries = source_roots(config, choice.root, reads)
    reals: dict[str, str] = {}
    found, opaque, record = _collect(named, choice, config, result, reals, keeper, reads.there)
    reads.look(str(result.base / "pyproject.toml"))
    generated = generated_modules(result.base)
    walked = record.folders if record is not None else {}
    for path in generated:
        # Named from its folder's real path: a folder the walk went through rests on
        # the walk (its links are watched, the root's real path is asked again);
        # another, on every folder above it.
        if str(path.parent) not in walked:
            reads.upward(str(path.parent))
    opaque.extend(generated)  # a scanned source of one rules
    namer = _Namer([str(r) for r in result.entries], reals)
    sources, candidates = _candidates(found, namer, str(result.base))
    _judge(sources, candidates, namer.roots)
    result.files = sorted(sources, key=lambda f: f.rel)
    result.first_party = {dotted.top(f.module) for f in result.files if f.module}
    importable = {f.module for f in sources if f.module}
    for path in opaque:
        stem = path.name.split(".", 1)[0]
        candidate = namer.candidate(namer.real(str(path.parent)), stem + ".py")
        if candidate is None or not candidate.parts:
            continue
        module = ".".join(candidate.parts)
        if module not in importable:  # beside a source file, the source rules
            result.opaque_modules.add(module)
    reads.look(*(str(path) for path in found if path.name in BUILD_SCRIPTS))
    for module in declared_extensions(found):
        if dotted.top(module) in result.first_party and module not in importable:
            result.opaque_modules.add(module)
    result.scope = _scope(named, result.base)
    return result, record


def _kept(found: Discovery) -> dict[str, Any]:
    """A discovery as data (``snapshot`` keeps it): each file's path, and its name
    where it is its module's, left out where they say no more than its rel path."""
    root = found.root
    base = str(found.base)
    files = []
    for f in found.files:
        path = f.location
        files.append(
            [
                f.rel,
                f.module,
                f.is_package,
                f.shadowed_by,
                None if f.name == f.module else f.name,
                f.hidden_by,
                None if path == os.path.join(base, f.rel) else path,
            ]
        )
    return {
        "files": files,
        "base": base,
        "first_party": sorted(found.first_party),
        "notices": found.notices,
        "opaque_modules": sorted(found.opaque_modules),
        "entries": [str(entry) for entry in found.entries],
        "root": None if root is None else [str(root.root), root.how, root.marker],
        "scope": found.scope,
    }


def _restored(data: dict[str, Any], walked: Callable[[str], bool]) -> Optional[Discovery]:
    """The discovery ``_kept`` made ``data`` of; None if it cannot be read (written
    by another version, or a bug: the tree is then discovered afresh), or if it
    names a file in a folder the walk did not go through (``walked``): an edited
    cache must not make a scan read a file of its choosing."""
    try:
        root = data["root"]
        base = data["base"]
        folders: set[str] = set()
        files = []
        for rel, module, package, shadowed, name, hidden, path in data["files"]:
            location = path or os.path.join(base, rel)
            parent, filename = os.path.split(location)
            if parent not in folders:
                if not walked(parent):
                    return None
                folders.add(parent)
            if not plain_name(filename):
                return None
            files.append(SourceFile(location, rel, module, bool(package), shadowed, name, hidden))
        return Discovery(
            files=files,
            base=Path(base),
            first_party=set(data["first_party"]),
            notices=list(data["notices"]),
            opaque_modules=set(data["opaque_modules"]),
            entries=[Path(entry) for entry in data["entries"]],
            root=None if root is None else RootChoice(Path(root[0]), root[1], root[2]),
            scope=None if data["scope"] is None else list(data["scope"]),
        )
    except (KeyError, TypeError, ValueError):
        return None


def _collect(
    named: list[Path],
    choice: RootChoice,
    config: Config,
    result: Discovery,
    reals: dict[str, str],
    keeper: Optional[listing.Keeper] = None,
    there: listing.There = listing.presence,
) -> tuple[dict[Path, None], list[Path], Optional[listing.WalkRecord]]:
    """The files to scan (the project's, and the named paths' even where excludes
    would skip them), in walk order, and the compiled modules met on the way;
    ``reals`` learns the real path of every folder walked. With a ``keeper``, the
    previous run's listings of the folders that have not changed are reused
    (``listing``), and the record of the walk comes back with them."""
    record: Optional[listing.WalkRecord] = None
    tops = analysed_paths(named, choice)
    if keeper is None:
        walk = _walk(named, tops, config, result.base, None, there)
    else:
        settings = _walk_settings(choice, config, result.base)
        # Keyed by what is walked, not by what is named: every run naming paths of one
        # project walks it whole (the named paths choose what is reported), and a
        # folder's listing holds by its own signature. An editor running the scan on
        # one file, then another, had listed every folder again for each new one.
        key = listing.walk_key(tops, settings, keeper.tool)
        found = find_repository(str(result.base), there) if config.respect_gitignore else None
        record = listing.load(keeper.store, key, found)
        walk = _walk(named, tops, config, result.base, record, there)
        listing.save(keeper.store, key, record)
    result.notices.extend(walk.notices)
    reals.update(walk.reals)
    return dict.fromkeys(walk.found), walk.opaque, record


class _Walked(msgspec.Struct):
    """What the walk found: the files in walk order, the compiled modules met, what
    it had to say, and the real path of every folder walked."""

    found: list[Path]
    opaque: list[Path]
    notices: list[str]
    reals: dict[str, str]


def _walk_settings(choice: RootChoice, config: Config, base: Path) -> dict[str, object]:
    """What a walk's answer depends on besides the tree: part of its key."""
    return {
        "root": [str(choice.root), choice.how, str(choice.marker)],
        "base": str(base),
        "exclude": config.exclude,
        "include": config.include,
        "gitignore": config.respect_gitignore,
        "cwd": os.getcwd(),
    }


def _walk(
    named: list[Path],
    tops: list[Path],
    config: Config,
    base: Path,
    record: Optional[listing.WalkRecord],
    there: listing.There = listing.presence,
) -> _Walked:
    notices: list[str] = []
    ignores = Ignores(base, config.exclude, config.respect_gitignore, notices, there)
    ignores.record = record
    found: dict[Path, None] = {}
    opaque: list[Path] = []
    walked: set[str] = set()
    reals: dict[str, str] = {}
    for top in tops:  # ``analysed_paths``: the project, whatever is named in it
        walk = walk_files(
            top, ignores, config.include, notices, opaque.append, walked, reals, record
        )
        found.update(dict.fromkeys(walk))
    for given in named:
        if given.is_symlink() and not given.exists():
            notices.append(f"{given}: broken symlink or symlink loop, skipped")
        elif given.is_file():
            found.setdefault(given.resolve() if given.is_symlink() else given, None)
        elif given.is_dir():
            if os.path.realpath(given) in walked:
                continue  # the project walk went through it already
            walk = walk_files(
                given, ignores, config.include, notices, opaque.append, reals=reals, record=record
            )
            found.update(dict.fromkeys(walk))
        else:
            notices.append(f"{given}: no such file or folder")
    return _Walked(list(found), opaque, notices, reals)


def _candidates(
    found: dict[Path, None], namer: _Namer, base: str
) -> tuple[list[SourceFile], dict[str, Candidate]]:
    """A ``SourceFile`` per file, and the name each would have (by rel path)."""
    candidates: dict[str, Candidate] = {}
    sources: list[SourceFile] = []
    seen_real: set[str] = set()
    for path in found:
        # Name a file by where it sits (a symlinked file is imported under the link's
        # name), with the folders above it resolved so that roots compare equal.
        raw = str(path)
        parent, filename = os.path.split(raw)
        folder = namer.real(parent)
        real_file = folder + os.sep + filename
        if real_file in seen_real:
            continue  # one file reached twice (the root walk and a named path)
        seen_real.add(real_file)
        if raw.startswith(base + os.sep):
            rel = raw[len(base) + 1 :].replace(os.sep, "/")
        else:  # through a link, or outside the project root (``--config elsewhere``)
            rel = os.path.relpath(real_file, base).replace(os.sep, "/")
        rel = printable(rel)  # what reports, baselines and the cache carry
        candidate = namer.candidate(folder, filename)
        package = filename.rsplit(".", 1)[0] == "__init__"
        source = SourceFile(location=str(path), rel=rel, module=None, is_package=package)
        if candidate is not None:
            source.is_package = candidate.is_package
            candidates[rel] = candidate
        sources.append(source)
    return sources, candidates


def _judge(sources: list[SourceFile], candidates: dict[str, Candidate], roots: list[str]) -> None:
    """Give each file its module name if it is what its name imports; else say why
    not: shadowed by a package folder beside it (SSOT006), or hidden."""
    from ssot_scan.naming import ImportSystem  # not needed when a snapshot is taken

    entries = set(roots)
    system = ImportSystem(roots, (c for c in candidates.values() if c.entry in entries))
    by_real = {c.file: rel for rel, c in candidates.items()}

    def show(file: str) -> str:
        return by_real.get(file, file)

    for source in sources:
        candidate = candidates.get(source.rel)
        if candidate is None or not candidate.parts:
            continue  # an __init__.py directly in an entry, or a path no import spells
        source.name = ".".join(candidate.parts)
        if candidate.entry not in entries:
            source.hidden_by = _unreachable(source.rel)
            continue
        winner = system.find(candidate.parts)
        if winner is not None and winner.file == candidate.file:
            source.module = source.name
            continue
        beside = system.package_beside(candidate)
        if beside is not None:
            source.shadowed_by = show(beside)
        else:
            source.hidden_by = system.why_not(candidate, show)


def _unreachable(rel: str) -> str:
    """Why a file below a folder no import can spell (``auth-service/``) is named
    from the top of its own package chain, for its relative imports, but unreachable."""
    odd = next((f for f in rel.split("/")[:-1] if not f.isidentifier()), None)
    if odd:
        return f"its folder `{odd}` is no Python identifier, so no import reaches it"
    return "it lies outside every root"


def _scope(named: list[Path], base: Path) -> Optional[list[str]]:
    """The named paths relative to the root; None when one of them is the whole
    project (or lies outside it, where nothing narrower can be said)."""
    scope: list[str] = []
    for path in named:
        real = Path(os.path.realpath(path))
        try:
            rel = real.relative_to(base)
        except ValueError:
            try:
                rel = path.relative_to(base)
            except ValueError:
                return None
        text = rel.as_posix()
        if text in ("", "."):
            return None
        scope.append(text)
    return sorted(set(scope))


class _Namer:
    """Dotted names for files, with the per-folder work (realpath, which root,
    crawling up ``__init__.py`` files) done once per folder, not once per file."""

    def __init__(self, roots: list[str], reals: Optional[dict[str, str]] = None) -> None:
        self.roots = roots  # the sys.path entries, in order
        self._deepest = sorted(roots, key=len, reverse=True)
        self._real: dict[str, str] = dict(reals or {})  # what the walk already knows
        self._folders: dict[str, Optional[tuple[str, list[str]]]] = {}

    def real(self, folder: str) -> str:
        found = self._real.get(folder)
        if found is None:
            found = self._real[folder] = os.path.realpath(folder)
        return found

    def _folder(self, folder: str) -> Optional[tuple[str, list[str]]]:
        """(entry, the folder's parts below it), or None: no import can spell it.

        The deepest entry whose path down to the folder is made of identifiers;
        failing every entry, the top of the folder's own ``__init__.py`` chain.
        """
        if folder in self._folders:
            return self._folders[folder]
        value: Optional[tuple[str, list[str]]] = None
        for root in self._deepest:
            if folder == root or folder.startswith(root + os.sep):
                parts = [] if folder == root else folder[len(root) + 1 :].split(os.sep)
                if all(p.isidentifier() for p in parts):
                    value = (root, parts)
                    break
        if value is None:
            crawl = str(_crawl_root(Path(folder, "__init__.py")))
            parts = [] if folder == crawl else os.path.relpath(folder, crawl).split(os.sep)
            if all(p.isidentifier() for p in parts):
                value = (crawl, parts)
        self._folders[folder] = value
        return value

    def candidate(self, folder: str, filename: str) -> Optional[Candidate]:
        """The name ``filename`` in ``folder`` would have, or None.

        Folders must be identifiers (packages are imported by dotted name). A file
        stem that is not one (``0001_initial``) is still importable with
        ``importlib.import_module``, as Django imports its migrations (grimp names
        them too), so it keeps its name; a stem with a dot in it (``a.gen.py``) is
        not, and would collide with ``a/gen.py``; nor is a stem with a control character
        or a byte that is not UTF-8 in it (it could not even be printed).
        """
        place = self._folder(folder)
        stem = filename.rsplit(".", 1)[0]
        is_package = stem == "__init__"
        if place is None or (not is_package and (not stem or "." in stem)):
            return None
        if printable(stem) != stem:
            return None  # a control character or undecodable byte: no import spells it
        entry, parts = place
        from ssot_scan.naming import Candidate  # not needed when a snapshot is taken

        return Candidate(
            os.path.join(folder, filename),
            tuple(parts if is_package else [*parts, stem]),
            is_package,
            entry,
        )
