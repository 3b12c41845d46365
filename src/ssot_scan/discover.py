"""Discovery: from the paths a user gives to ``SourceFile``s with dotted module names.

Module names come from source roots: the configured ``roots``, else ``src/`` when the
project has one, else the project root. A file outside every root (or a scan with no
project at all, e.g. a package inside site-packages) is named the way Python would
find it: by walking up while folders hold ``__init__.py``.

A package shadows a module of the same name (``pkg/`` beats ``pkg.py`` on import), so
the shadowed file is kept, for parse errors, but gets no module name.
"""

from __future__ import annotations

import importlib.machinery
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from fnmatch import fnmatch
from pathlib import Path
from typing import Optional

import pathspec

from ssot_scan.config import Config

_OPAQUE_SUFFIXES = tuple(sorted({*importlib.machinery.EXTENSION_SUFFIXES, ".so", ".pyd", ".pyi"}))

# Folders no one wants scanned by default (explicitly named paths are always scanned).
DEFAULT_EXCLUDES = (
    ".bzr",
    ".direnv",
    ".eggs",
    ".git",
    ".hg",
    ".mypy_cache",
    ".nox",
    ".pytest_cache",
    ".ruff_cache",
    ".ssot_cache",
    ".svn",
    ".tox",
    ".venv",
    "__pycache__",
    "__pypackages__",
    "_build",
    "buck-out",
    "build",
    "dist",
    "node_modules",
    "site-packages",
    "venv",
)


_TEST_DIRS = frozenset({"test", "tests", "testing"})


def is_test_path(rel: str) -> bool:
    """Test code by the usual conventions: a tests folder, test_*.py, *_test.py, conftest.py."""
    parts = rel.split("/")
    name = parts[-1]
    return (
        any(part in _TEST_DIRS for part in parts[:-1])
        or name.startswith("test_")
        or name.endswith("_test.py")
        or name == "conftest.py"
    )


@dataclass
class SourceFile:
    path: Path  # absolute
    rel: str  # relative to the project base, "/"-separated: what reports show
    module: Optional[str]  # None when shadowed by a package of the same name
    is_package: bool
    shadowed_by: Optional[str] = None  # rel path of the package that wins


@dataclass
class Discovery:
    files: list[SourceFile] = field(default_factory=list)
    base: Path = field(default_factory=Path.cwd)  # what ``rel`` paths are relative to
    first_party: set[str] = field(default_factory=set)
    notices: list[str] = field(default_factory=list)  # one line each, for stderr
    # Modules with no source to scan (C extensions, stubs): importable, contents unknown.
    opaque_modules: set[str] = field(default_factory=set)


class _Ignores:
    """Exclude globs (gitignore syntax, from the project root) and .gitignore files."""

    def __init__(self, base: Path, excludes: list[str], respect_gitignore: bool) -> None:
        self.base = base
        self.exclude = pathspec.GitIgnoreSpec.from_lines(excludes) if excludes else None
        self.respect_gitignore = respect_gitignore
        self._gitignores: dict[Path, Optional[pathspec.GitIgnoreSpec]] = {}

    def _gitignore(self, folder: Path) -> Optional[pathspec.GitIgnoreSpec]:
        if folder not in self._gitignores:
            spec = None
            path = folder / ".gitignore"
            if path.is_file():
                try:
                    spec = pathspec.GitIgnoreSpec.from_lines(
                        path.read_text(encoding="utf-8", errors="replace").splitlines()
                    )
                except (OSError, ValueError):
                    spec = None
            self._gitignores[folder] = spec
        return self._gitignores[folder]

    def ignored(self, path: Path, is_dir: bool) -> bool:
        suffix = "/" if is_dir else ""
        try:
            rel = path.relative_to(self.base).as_posix()
        except ValueError:
            rel = None
        if rel and self.exclude is not None and self.exclude.match_file(rel + suffix):
            return True
        if not self.respect_gitignore:
            return False
        folder = path.parent
        while True:
            spec = self._gitignore(folder)
            if spec is not None and spec.match_file(path.relative_to(folder).as_posix() + suffix):
                return True
            if folder == self.base or folder.parent == folder or rel is None:
                return False
            folder = folder.parent


def _crawl_root(path: Path) -> Path:
    """The folder Python would need on sys.path to import ``path`` by its full name.

    Walk up while the folder is a package, and also across a folder without
    ``__init__.py`` that sits directly inside a package (a namespace portion such as
    ``flask/sansio``, importable as ``flask.sansio``).
    """
    folder = path.parent
    while folder.parent != folder and (
        (folder / "__init__.py").is_file() or (folder.parent / "__init__.py").is_file()
    ):
        folder = folder.parent
    return folder


def _module_name(path: Path, root: Path) -> tuple[str, bool]:
    """The dotted name, or "" when no import can reach the file by name.

    Folders must be identifiers (packages are imported by dotted name). A file
    stem that is not one (``0001_initial``) is still importable with
    ``importlib.import_module``, as Django imports its migrations (grimp names them
    too), so it keeps its name; a stem with a dot in it (``a.gen.py``) is not, and
    would collide with ``a/gen.py``.
    """
    parts = list(path.relative_to(root).parts)
    parts[-1] = parts[-1].rsplit(".", 1)[0]
    is_package = parts[-1] == "__init__"
    if is_package:
        parts = parts[:-1]
    folders, stem = (parts, "") if is_package else (parts[:-1], parts[-1])
    if not all(part.isidentifier() for part in folders) or "." in stem:
        return "", is_package
    if not is_package and not stem:
        return "", is_package
    return ".".join(parts), is_package


def source_roots(config: Config) -> list[Path]:
    if config.project_root is None:
        return []
    if config.roots is not None:
        return [(config.project_root / r).resolve() for r in config.roots]
    src = config.project_root / "src"
    return [src.resolve()] if src.is_dir() else [config.project_root.resolve()]


def _walk(
    top: Path,
    ignores: _Ignores,
    include: list[str],
    notices: list[str],
    on_opaque: Optional[Callable[[Path], None]] = None,
) -> Iterator[Path]:
    """Files under ``top``; follows folder links once each, so link loops end.

    ``on_opaque`` hears of compiled extension modules and stubs, which are modules
    an import can reach although there is no source to scan.
    """
    seen: set[Path] = set()

    def onerror(exc: OSError) -> None:
        notices.append(f"{exc.filename}: cannot read folder: {exc.strerror}")

    for folder, dirnames, filenames in os.walk(top, onerror=onerror, followlinks=True):
        here = Path(folder)
        real = here.resolve()
        if real in seen:
            notices.append(f"{here}: symlink loop, skipped")
            dirnames[:] = []
            continue
        seen.add(real)
        kept = []
        for name in sorted(dirnames):
            child = here / name
            if ignores.ignored(child, is_dir=True):
                continue
            if name in DEFAULT_EXCLUDES and not (child / "__init__.py").is_file():
                continue  # build/, venv/...; but pip's real package ``operations.build`` stays
            if child.is_symlink() and not child.exists():
                notices.append(f"{child}: broken symlink or symlink loop, skipped")
                continue
            kept.append(name)
        dirnames[:] = kept
        for name in sorted(filenames):
            if not any(fnmatch(name, pattern) for pattern in include):
                if name.endswith(_OPAQUE_SUFFIXES) and on_opaque is not None:
                    on_opaque(here / name)
                continue
            child = here / name
            if ignores.ignored(child, is_dir=False):
                continue
            if child.is_symlink() and not child.exists():
                notices.append(f"{child}: broken symlink or symlink loop, skipped")
                continue
            yield child


def discover(paths: list[Path], config: Config) -> Discovery:
    """Every file to scan, named, with the first-party top-level names."""
    result = Discovery()
    roots = source_roots(config)
    scan_paths = [p.absolute() for p in (paths or [Path(".")])]
    if config.project_root is not None:
        result.base = config.project_root.resolve()
    else:
        crawl = [_crawl_root(p if p.is_file() else p / "__init__.py") for p in scan_paths]
        result.base = Path(os.path.commonpath([str(c) for c in crawl]))

    ignores = _Ignores(result.base, config.exclude, config.respect_gitignore)
    found: dict[Path, None] = {}
    opaque: list[Path] = []
    for given in scan_paths:
        if given.is_symlink() and not given.exists():
            result.notices.append(f"{given}: broken symlink or symlink loop, skipped")
        elif given.is_file():
            found.setdefault(given.resolve() if given.is_symlink() else given, None)
        elif given.is_dir():
            for path in _walk(given, ignores, config.include, result.notices, opaque.append):
                found.setdefault(path, None)
        else:
            result.notices.append(f"{given}: no such file or folder")

    named: dict[str, SourceFile] = {}
    for path in found:
        # Name a file by where it sits (a symlinked file is imported under the link's
        # name), with the folders above it resolved so that roots compare equal.
        located = path.parent.resolve() / path.name
        root = _root_for(located, roots) or _crawl_root(located)
        module, is_package = _module_name(located, root)
        try:
            rel = path.relative_to(result.base).as_posix()
        except ValueError:
            try:
                rel = located.relative_to(result.base).as_posix()
            except ValueError:  # outside the project root (``--config elsewhere``)
                rel = Path(os.path.relpath(located, result.base)).as_posix()
        source = SourceFile(path=path, rel=rel, module=module or None, is_package=is_package)
        if not module:
            # An __init__.py directly in a root, or a path no import can spell
            # (``my-script.py``, ``a.gen.py``): scanned, but not a module.
            source.module = None
        elif module in named:
            winner, loser = _precedence(named[module], source)
            loser.shadowed_by = winner.rel
            loser.module = None
            named[module] = winner
        else:
            named[module] = source
        result.files.append(source)
    result.files.sort(key=lambda f: f.rel)
    # First-party = the top-level names under the source roots. Files outside every
    # root (tests/, setup.py beside src/) are still scanned, but are not packages
    # anyone imports; only with no roots at all do their names count.
    result.first_party = {
        name.split(".")[0]
        for name, source in named.items()
        if not roots or _root_for(source.path.parent.resolve() / source.path.name, roots)
    } or {name.split(".")[0] for name in named}
    for path in opaque:
        located = path.parent.resolve() / path.name
        root = _root_for(located, roots) or _crawl_root(located)
        stem = path.name.split(".", 1)[0]
        module, _ = _module_name(located.with_name(stem + ".py"), root)
        if module and module not in named:  # beside a source file, the source rules
            result.opaque_modules.add(module)
    return result


def _root_for(path: Path, roots: list[Path]) -> Optional[Path]:
    best: Optional[Path] = None
    for root in roots:
        if path.is_relative_to(root) and (best is None or len(root.parts) > len(best.parts)):
            best = root
    return best


def _precedence(a: SourceFile, b: SourceFile) -> tuple[SourceFile, SourceFile]:
    """Which of two files with one dotted name Python imports: package, then .py."""

    def rank(f: SourceFile) -> tuple[int, str]:
        return (0 if f.is_package else 1 if f.path.suffix == ".py" else 2, f.rel)

    return (a, b) if rank(a) <= rank(b) else (b, a)
