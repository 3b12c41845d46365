"""Where the project is: its config file, its root, and what a run analyses.

Settings are found the way ruff finds them: walking up from the scanned paths, the
first ``ssot-scan.toml``, ``.ssot-scan.toml``, or ``pyproject.toml`` *with a
``[tool.ssot-scan]`` table* is the config, and its folder is the project root. A
``pyproject.toml`` without that table says nothing about ssot-scan: large packages
ship one inside their package folder, and taking it as the root renamed their
subpackages (``pkg/io/`` became the top-level ``io``).

Without a config, the root is the nearest folder above the paths that marks a
project (``pyproject.toml``, ``setup.py``, ``setup.cfg``, ``.git``) and is not itself
inside a package (it has no ``__init__.py``); failing that, the folder above the top
of the ``__init__.py`` chain, which is where Python would need ``sys.path`` to point.
The upward walk never leaves a ``site-packages`` folder: a virtualenv inside a
project does not make installed packages part of it.

The root is a ``sys.path`` entry, so the whole project below it is what a run
*analyses*; the paths on the command line only choose what is *reported*. With no
project marker at all, the project is the top-level package holding each path.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Optional

import msgspec

from ssot_scan.errors import UsageError
from ssot_scan.listing import There, presence
from ssot_scan.snapshot import Reads
from ssot_scan.tomlcompat import load_toml

CONFIG_FILES = ("ssot-scan.toml", ".ssot-scan.toml", "pyproject.toml")
PROJECT_MARKERS = ("pyproject.toml", "setup.py", "setup.cfg", ".git")
_INSTALL_FOLDERS = frozenset({"site-packages", "dist-packages"})

# How the root was decided, as --show-settings says it.
FROM_CONFIG = "config"
FROM_MARKER = "marker"
FROM_PACKAGES = "packages"


class RootChoice(msgspec.Struct, frozen=True):
    """The project root and why: a config file, a project marker, or neither."""

    root: Path
    how: str  # FROM_CONFIG, FROM_MARKER or FROM_PACKAGES
    marker: Optional[str] = None  # the marker file or folder that decided it


def start_folder(paths: Sequence[Path], there: There = presence) -> Path:
    """The deepest folder holding every given path (the current folder if none).
    ``there``: how a path is looked at (``snapshot.Reads.there`` records it)."""
    given = [p.absolute() for p in paths] or [Path.cwd()]
    folders = [str(p if there(str(p))[2] else p.parent) for p in given]
    return Path(os.path.commonpath(folders))


def _upward(start: Path) -> list[Path]:
    """``start`` and the folders above it, up to (not past) a site-packages folder."""
    chain = []
    for folder in (start, *start.parents):
        chain.append(folder)
        if folder.name in _INSTALL_FOLDERS:
            break
    return chain


def has_ssot_table(pyproject: Path) -> bool:
    """Does this pyproject.toml configure ssot-scan? A broken file is an error: it
    may well be the config the user meant, and guessing past it would mislead."""
    data = load_toml(pyproject, str(pyproject))
    tool = data.get("tool")
    return isinstance(tool, dict) and "ssot-scan" in tool


def find_config_file(start: Path) -> Optional[Path]:
    """The nearest config walking up from ``start``: an ssot-scan file, or a
    pyproject.toml with a ``[tool.ssot-scan]`` table."""
    folder = start if start.is_dir() else start.parent
    for candidate in _upward(folder.absolute()):
        for name in CONFIG_FILES:
            path = candidate / name
            if not path.is_file():
                continue
            if name != "pyproject.toml" or has_ssot_table(path):
                return path
    return None


def find_project_root(start: Path, there: There = presence) -> RootChoice:
    """The root of a project with no config file (see the module docstring).
    ``there``: how a path is looked at (``snapshot.Reads.there`` records it)."""
    folder = (start if there(str(start))[2] else start.parent).absolute()
    for candidate in _upward(folder):
        if there(os.path.join(candidate, "__init__.py"))[1]:
            continue  # inside a package: its pyproject.toml is the package's data
        for marker in PROJECT_MARKERS:
            if there(os.path.join(candidate, marker))[0]:
                return RootChoice(candidate, FROM_MARKER, marker)
    top = folder
    while there(os.path.join(top, "__init__.py"))[1] and top.parent != top:
        top = top.parent
    return RootChoice(top, FROM_PACKAGES)


def top_package(path: Path) -> Path:
    """The top-level package folder holding ``path`` (``path`` itself when it is in
    no package): what to analyse when there is no project around it."""
    path = path.absolute()
    folder = path if path.is_dir() else path.parent
    if not (folder / "__init__.py").is_file():
        return path
    while (folder.parent / "__init__.py").is_file() and folder.parent != folder:
        folder = folder.parent
    return folder


def analysed_paths(named: Sequence[Path], choice: RootChoice) -> list[Path]:
    """What a run must read so that the named paths are judged against the whole
    project: the root, or (no project marker at all) each path's top package."""
    if choice.how != FROM_PACKAGES:
        return [choice.root]
    result: list[Path] = []
    for path in named:
        top = top_package(path)
        if top not in result:
            result.append(top)
    return result


def explicit_config(path: Path) -> Path:
    """A ``--config FILE`` given by the user: it must exist; its folder is the root."""
    if not path.is_file():
        raise UsageError(f"{path}: config file not found")
    return path.resolve()


def in_scope(scope: Optional[Sequence[str]], rel: str) -> bool:
    """Is ``rel`` (relative to the root) one of the reported paths or below one?
    ``None`` is the whole project; an empty scope reports nothing."""
    if scope is None:
        return True
    return any(rel == s or rel.startswith(s + "/") for s in scope)


def _setup_cfg_roots(path: Path, names: list[str]) -> list[str]:
    import configparser

    parser = configparser.ConfigParser(interpolation=None)
    try:
        parser.read(path, encoding="utf-8")
    except (configparser.Error, OSError, UnicodeDecodeError):
        return []
    if parser.has_option("metadata", "name"):
        names.append(parser.get("metadata", "name"))
    found: list[str] = []
    if parser.has_option("options", "package_dir"):
        for line in parser.get("options", "package_dir").splitlines():
            key, sep, value = line.partition("=")
            if sep and not key.strip() and value.strip():
                found.append(value.strip())
    if parser.has_option("options.packages.find", "where"):
        found.extend(w.strip() for w in parser.get("options.packages.find", "where").split())
    return found


def _get(data: object, *keys: str) -> object:
    for key in keys:
        if not isinstance(data, dict):
            return None
        data = data.get(key)
    return data


def _pyproject_roots(path: Path, names: list[str]) -> list[str]:
    try:
        data = load_toml(path, str(path))
    except UsageError:
        return []
    name = _get(data, "project", "name") or _get(data, "tool", "poetry", "name")
    if isinstance(name, str):
        names.append(name)
    found: list[str] = []
    for tool, key in (("ruff", "src"), ("isort", "src_paths")):
        listed = _get(data, "tool", tool, key)
        if isinstance(listed, list):
            found.extend(p for p in listed if isinstance(p, str))
    package_dir = _get(data, "tool", "setuptools", "package-dir")
    if isinstance(package_dir, dict) and isinstance(package_dir.get(""), str):
        found.append(package_dir[""])
    where = _get(data, "tool", "setuptools", "packages", "find", "where")
    if isinstance(where, list):
        found.extend(w for w in where if isinstance(w, str))
    hatch = _get(data, "tool", "hatch", "build", "targets", "wheel", "packages")
    if isinstance(hatch, list):
        found.extend(str(Path(p).parent) for p in hatch if isinstance(p, str) and "/" in p)
    poetry = _get(data, "tool", "poetry", "packages")
    if isinstance(poetry, list):
        found.extend(p["from"] for p in poetry if isinstance(p, dict) and "from" in p)
    pythonpath = _get(data, "tool", "pytest", "ini_options", "pythonpath")
    if isinstance(pythonpath, list):
        found.extend(p for p in pythonpath if isinstance(p, str))
    elif isinstance(pythonpath, str):
        found.extend(pythonpath.split())
    return found


def _package_home(root: Path, project_names: list[str], reads: Reads) -> Optional[str]:
    """The folder (below the root, one or two levels down, itself no package) that
    holds the distribution's own import package: matplotlib's ``lib/matplotlib``.
    None when the package sits at the root, or nowhere to be seen. ``reads`` learns
    every folder whose entries the answer rests on."""
    wanted = {n.lower().replace("-", "_").replace(".", "_") for n in project_names}
    if not wanted:
        return None
    reads.look(*(str(root / n) for n in sorted(wanted)))
    if any((root / n / "__init__.py").is_file() for n in wanted):
        return None
    folders = [root]
    for depth in range(2):
        deeper: list[Path] = []
        for folder in folders:
            reads.look(str(folder))
            try:
                children = sorted(os.scandir(folder), key=lambda e: e.name)
            except OSError:
                continue
            for child in children:
                if not child.is_dir() or child.name.startswith((".", "_")):
                    continue
                reads.look(child.path)
                if child.name.lower() in wanted and folder != root:
                    if (Path(child.path) / "__init__.py").is_file():
                        return str(Path(folder).relative_to(root))
                elif not (Path(child.path) / "__init__.py").is_file() and depth == 0:
                    deeper.append(Path(child.path))
        folders = deeper
    return None


def declared_roots(root: Path, reads: Reads) -> list[Path]:
    """Source folders the project declares: ``package_dir = =lib`` in setup.cfg;
    setuptools, hatch and poetry tables, pytest's ``pythonpath``, ruff's ``src`` and
    isort's ``src_paths`` in pyproject.toml; and the folder holding the package named
    like the project (``[project] name``). That is where an install or a test run puts
    ``sys.path``: SQLAlchemy's ``lib/sqlalchemy`` is imported as ``sqlalchemy``, never
    as ``lib.sqlalchemy``. ``reads`` learns what the answer rests on (``snapshot``)."""
    reads.look(str(root / "setup.cfg"), str(root / "pyproject.toml"))
    names: list[str] = []
    project_names: list[str] = []
    if (root / "setup.cfg").is_file():
        names.extend(_setup_cfg_roots(root / "setup.cfg", project_names))
    if (root / "pyproject.toml").is_file():
        names.extend(_pyproject_roots(root / "pyproject.toml", project_names))
    home = _package_home(root, project_names, reads)
    if home is not None:
        names.append(home)
    result: list[Path] = []
    real = root.resolve()
    for name in names:
        folder = reads.resolve(root / name)
        inside = folder == real or real in folder.parents
        if inside and folder.is_dir() and folder not in result:
            result.append(folder)
    return result


_EXTENSION = re.compile(r"""\bExtension\(\s*(?:name\s*=\s*)?["']([A-Za-z_][\w.]*)["']""")
BUILD_SCRIPTS = ("setup.py", "setup_package.py")


def declared_extensions(files: Iterable[Path]) -> set[str]:
    """Dotted names of the C extensions ``setup.py`` and astropy-style
    ``setup_package.py`` scripts declare (``Extension("pkg.mod", sources=...)``):
    modules every build has and no checkout shows as a file."""
    names: set[str] = set()
    for path in files:
        if path.name not in BUILD_SCRIPTS:
            continue
        try:
            text = path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            continue
        names.update(_EXTENSION.findall(text))
    return names


def generated_modules(root: Path) -> list[Path]:
    """Version modules the build writes (setuptools-scm's ``version_file``/``write_to``,
    hatch-vcs's ``version-file``, versioningit's ``write.file``): absent from a fresh
    checkout, present in every install, so an import of one is not broken."""
    path = root / "pyproject.toml"
    if not path.is_file():
        return []
    try:
        data = load_toml(path, str(path))
    except UsageError:
        return []
    candidates = [
        _get(data, "tool", "setuptools_scm", "version_file"),
        _get(data, "tool", "setuptools_scm", "write_to"),
        _get(data, "tool", "hatch", "build", "hooks", "vcs", "version-file"),
        _get(data, "tool", "versioningit", "write", "file"),
    ]
    return [root / c for c in candidates if isinstance(c, str) and c.endswith(".py")]
