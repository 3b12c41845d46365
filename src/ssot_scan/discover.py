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
    """Exclude globs (gitignore syntax, from the project root) and .gitignore files.

    Works on strings with one cached chain of .gitignore specs per folder, because it
    is asked about every file of a 10,000-file tree.
    """

    def __init__(self, base: Path, excludes: list[str], respect_gitignore: bool) -> None:
        self.base = str(base)
        self.exclude = pathspec.GitIgnoreSpec.from_lines(excludes) if excludes else None
        self.respect_gitignore = respect_gitignore
        self._chains: dict[str, list[tuple[str, pathspec.GitIgnoreSpec]]] = {}

    @staticmethod
    def _load(folder: str) -> Optional[pathspec.GitIgnoreSpec]:
        path = os.path.join(folder, ".gitignore")
        if not os.path.isfile(path):
            return None
        try:
            with open(path, encoding="utf-8", errors="replace") as handle:
                return pathspec.GitIgnoreSpec.from_lines(handle.read().splitlines())
        except (OSError, ValueError):
            return None

    def _inside_base(self, folder: str) -> bool:
        return folder == self.base or folder.startswith(self.base + os.sep)

    def _chain(self, folder: str) -> list[tuple[str, pathspec.GitIgnoreSpec]]:
        """The .gitignore files that apply in ``folder``: its own and those above it
        up to the project root."""
        chain = self._chains.get(folder)
        if chain is not None:
            return chain
        parent = os.path.dirname(folder)
        inherited: list[tuple[str, pathspec.GitIgnoreSpec]] = []
        if folder != self.base and parent != folder and self._inside_base(folder):
            inherited = self._chain(parent)
        spec = self._load(folder)
        chain = [*inherited, (folder, spec)] if spec is not None else inherited
        self._chains[folder] = chain
        return chain

    def ignored(self, folder: str, name: str, is_dir: bool) -> bool:
        suffix = "/" if is_dir else ""
        full = os.path.join(folder, name)
        if self.exclude is not None and self._inside_base(full):
            rel = os.path.relpath(full, self.base).replace(os.sep, "/")
            if self.exclude.match_file(rel + suffix):
                return True
        if not self.respect_gitignore:
            return False
        for base, spec in self._chain(folder):
            rel = os.path.relpath(full, base).replace(os.sep, "/")
            if spec.match_file(rel + suffix):
                return True
        return False


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
    seen: set[str] = set()

    def onerror(exc: OSError) -> None:
        notices.append(f"{exc.filename}: cannot read folder: {exc.strerror}")

    for folder, dirnames, filenames in os.walk(top, onerror=onerror, followlinks=True):
        real = os.path.realpath(folder)
        if real in seen:
            notices.append(f"{folder}: symlink loop, skipped")
            dirnames[:] = []
            continue
        seen.add(real)
        kept = []
        for name in sorted(dirnames):
            child = os.path.join(folder, name)
            if ignores.ignored(folder, name, is_dir=True):
                continue
            if name in DEFAULT_EXCLUDES and not os.path.isfile(os.path.join(child, "__init__.py")):
                continue  # build/, venv/...; but pip's real package ``operations.build`` stays
            if os.path.islink(child) and not os.path.exists(child):
                notices.append(f"{child}: broken symlink or symlink loop, skipped")
                continue
            kept.append(name)
        dirnames[:] = kept
        for name in sorted(filenames):
            if not any(fnmatch(name, pattern) for pattern in include):
                if name.endswith(_OPAQUE_SUFFIXES) and on_opaque is not None:
                    on_opaque(Path(folder, name))
                continue
            if ignores.ignored(folder, name, is_dir=False):
                continue
            child = os.path.join(folder, name)
            if os.path.islink(child) and not os.path.exists(child):
                notices.append(f"{child}: broken symlink or symlink loop, skipped")
                continue
            yield Path(child)


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

    namer = _Namer(roots)
    named: dict[str, SourceFile] = {}
    under_roots: set[str] = set()
    base = str(result.base)
    for path in found:
        # Name a file by where it sits (a symlinked file is imported under the link's
        # name), with the folders above it resolved so that roots compare equal.
        folder = namer.real(str(path.parent))
        module, is_package, in_root = namer.name(folder, path.name)
        raw = str(path)
        if raw.startswith(base + os.sep):
            rel = raw[len(base) + 1 :].replace(os.sep, "/")
        else:  # through a link, or outside the project root (``--config elsewhere``)
            rel = os.path.relpath(os.path.join(folder, path.name), base).replace(os.sep, "/")
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
        if module and in_root:
            under_roots.add(module)
        result.files.append(source)
    result.files.sort(key=lambda f: f.rel)
    # First-party = the top-level names under the source roots. Files outside every
    # root (tests/, setup.py beside src/) are still scanned, but are not packages
    # anyone imports; only with no roots at all do their names count.
    result.first_party = {
        name.split(".")[0] for name in named if not roots or name in under_roots
    } or {name.split(".")[0] for name in named}
    for path in opaque:
        stem = path.name.split(".", 1)[0]
        module, _, _ = namer.name(namer.real(str(path.parent)), stem + ".py")
        if module and module not in named:  # beside a source file, the source rules
            result.opaque_modules.add(module)
    return result


class _Namer:
    """Dotted names for files, with the per-folder work (realpath, which root,
    crawling up ``__init__.py`` files) done once per folder, not once per file."""

    def __init__(self, roots: list[Path]) -> None:
        self.roots = sorted((str(r) for r in roots), key=len, reverse=True)
        self._real: dict[str, str] = {}
        self._folders: dict[str, tuple[Optional[list[str]], bool]] = {}

    def real(self, folder: str) -> str:
        found = self._real.get(folder)
        if found is None:
            found = self._real[folder] = os.path.realpath(folder)
        return found

    def _folder(self, folder: str) -> tuple[Optional[list[str]], bool]:
        """The folder's parts below its root (None: not importable) and whether
        that root is a configured one."""
        cached = self._folders.get(folder)
        if cached is not None:
            return cached
        root = next((r for r in self.roots if folder == r or folder.startswith(r + os.sep)), None)
        in_root = root is not None
        if root is None:
            root = str(_crawl_root(Path(folder, "__init__.py")))
        parts = [] if folder == root else os.path.relpath(folder, root).split(os.sep)
        value = (parts if all(p.isidentifier() for p in parts) else None, in_root)
        self._folders[folder] = value
        return value

    def name(self, folder: str, filename: str) -> tuple[str, bool, bool]:
        """(dotted name or "", is a package, under a configured root).

        Folders must be identifiers (packages are imported by dotted name). A file
        stem that is not one (``0001_initial``) is still importable with
        ``importlib.import_module``, as Django imports its migrations (grimp names
        them too), so it keeps its name; a stem with a dot in it (``a.gen.py``) is
        not, and would collide with ``a/gen.py``.
        """
        parts, in_root = self._folder(folder)
        stem = filename.rsplit(".", 1)[0]
        is_package = stem == "__init__"
        if parts is None or (not is_package and (not stem or "." in stem)):
            return "", is_package, in_root
        return ".".join(parts if is_package else [*parts, stem]), is_package, in_root


def _precedence(a: SourceFile, b: SourceFile) -> tuple[SourceFile, SourceFile]:
    """Which of two files with one dotted name Python imports: package, then .py."""

    def rank(f: SourceFile) -> tuple[int, str]:
        return (0 if f.is_package else 1 if f.path.suffix == ".py" else 2, f.rel)

    return (a, b) if rank(a) <= rank(b) else (b, a)
