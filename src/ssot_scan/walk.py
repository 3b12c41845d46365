"""Which files a tree holds: the folder walk, with excludes, .gitignore files and
links, and nothing read but folder listings (and the .gitignore files themselves).

Discovery (``discover.py``) names what this finds; keeping the walk apart keeps the
part that touches every folder of a 10,000-file tree small enough to read.
"""

from __future__ import annotations

import functools
import importlib.machinery
import operator
import os
import re
from collections.abc import Callable, Iterator
from fnmatch import translate as fnmatch_translate
from pathlib import Path
from typing import TYPE_CHECKING, Optional

from ssot_scan.listing import Listing, There, WalkRecord, link_state, presence, signature

if TYPE_CHECKING:
    import pathspec

# Modules an import reaches with no Python source to read: compiled extensions, stubs,
# Cython sources (and the Tempita templates that generate them), which a build turns
# into an extension module of the same name, and ``X.py.in`` templates a build fills
# in as ``X.py`` (matplotlib's ``_version.py.in``).
OPAQUE_SUFFIXES = tuple(
    sorted(
        {
            *importlib.machinery.EXTENSION_SUFFIXES,
            ".so",
            ".pyd",
            ".pyi",
            ".pyx",
            ".pyx.tp",
            ".pyx.in",
            ".py.in",
        }
    )
)

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


def _spec(lines: list[str]) -> pathspec.GitIgnoreSpec:
    """Patterns as git reads them. pathspec is imported on first use: a run whose
    walk is reused (``listing``) reads no ignore file and never needs it."""
    import pathspec

    return pathspec.GitIgnoreSpec.from_lines(lines)


class Ignores:
    """Exclude globs (gitignore syntax, from the project root) and .gitignore files.

    Works on strings with one cached chain of .gitignore specs per folder, because it
    is asked about every file of a 10,000-file tree.
    """

    def __init__(
        self,
        base: Path,
        excludes: list[str],
        respect_gitignore: bool,
        notices: Optional[list[str]] = None,
        there: There = presence,
    ) -> None:
        """``there``: how ``find_repository`` looks at paths (a kept discovery
        records it)."""
        self.base = str(base)
        self.there = there
        self._excludes = excludes
        self.respect_gitignore = respect_gitignore
        self.notices = notices if notices is not None else []
        self._chains: dict[str, list[tuple[str, pathspec.GitIgnoreSpec]]] = {}
        # Set by discovery when the walk is to be kept: every ignore file looked for.
        self.record: Optional[WalkRecord] = None

    @functools.cached_property
    def exclude(self) -> Optional[pathspec.GitIgnoreSpec]:
        """The exclude globs, compiled when a folder is first listed (a walk whose
        listings are all kept lists none)."""
        return _spec(self._excludes) if self._excludes else None

    def _load(self, folder: str, name: str = ".gitignore") -> Optional[pathspec.GitIgnoreSpec]:
        """The folder's .gitignore (or another file of patterns): a line git would
        reject is skipped with a notice, the rest kept (one bad line must not
        unignore every file)."""
        path = os.path.join(folder, name)
        if self.record is not None:
            self.record.file(path)
        if not os.path.isfile(path):
            return None
        try:
            with open(path, encoding="utf-8", errors="replace") as handle:
                lines = handle.read().splitlines()
        except OSError as exc:
            self.notices.append(f"{path}: cannot read: {exc.strerror or exc}")
            return None
        try:
            return _spec(lines)
        except ValueError:
            pass
        kept = []
        for number, line in enumerate(lines, 1):
            try:
                _spec([line])
            except ValueError:
                self.notices.append(f"{path}:{number}: invalid pattern {line!r}, skipped")
                continue
            kept.append(line)
        return _spec(kept)

    def _inside_base(self, folder: str) -> bool:
        return folder == self.base or folder.startswith(self.base + os.sep)

    def _chain(
        self, folder: str, has_gitignore: Optional[bool] = None
    ) -> list[tuple[str, pathspec.GitIgnoreSpec]]:
        """The .gitignore files that apply in ``folder``: its own and those above it
        up to the project root."""
        chain = self._chains.get(folder)
        if chain is not None:
            return chain
        parent = os.path.dirname(folder)
        inherited: list[tuple[str, pathspec.GitIgnoreSpec]] = []
        if folder != self.base and parent != folder and self._inside_base(folder):
            inherited = self._chain(parent)
        elif folder == self.base:
            inherited = self._repository_excludes()
        spec = self._load(folder) if has_gitignore is not False else None
        chain = [*inherited, (folder, spec)] if spec is not None else inherited
        self._chains[folder] = chain
        return chain

    def _repository_excludes(self) -> list[tuple[str, pathspec.GitIgnoreSpec]]:
        """``.git/info/exclude`` of the work tree holding the project, as the
        weakest spec of every chain (git reads it after every .gitignore)."""
        dot_git = find_repository(self.base, self.there)
        if dot_git is None:
            return []
        folder = os.path.dirname(dot_git)
        if self.there(dot_git)[2]:
            spec = self._load(os.path.join(dot_git, "info"), "exclude")
            return [(folder, spec)] if spec is not None else []
        # A linked work tree: "gitdir: <its git dir>", which names the common one.
        if self.record is not None:
            self.record.file(dot_git)
        common = _common_git_dir(dot_git, self.record)
        spec = self._load(os.path.join(common, "info"), "exclude") if common else None
        return [(folder, spec)] if spec is not None else []

    def checker(
        self, folder: str, has_gitignore: Optional[bool] = None
    ) -> Optional[Callable[[str, bool], bool]]:
        """``ignored`` for the entries of one folder, or None when nothing can
        ignore them (the usual case: no excludes, no .gitignore on the way down).
        ``has_gitignore``: whether the folder's listing holds a .gitignore, when the
        caller has the listing (saves a stat per folder)."""
        chain = self._chain(folder, has_gitignore) if self.respect_gitignore else []
        if self.exclude is None and not chain:
            return None
        if not self._inside_base(folder):  # a named path outside the project: rare
            return lambda name, is_dir: self._ignored(folder, name, is_dir, chain)
        # Each spec matches paths relative to its own folder: work out the folder's
        # once, not a relpath per entry.
        exclude = self.exclude
        here = self._relative(folder, self.base)
        specs = [(self._relative(folder, base), spec) for base, spec in chain]

        def ignored(name: str, is_dir: bool) -> bool:
            tail = name + "/" if is_dir else name
            if exclude is not None and exclude.match_file(here + tail):
                return True
            # As git decides: the deepest .gitignore with a pattern that matches
            # (its last such pattern: ``!keep.py`` re-includes) has the last word.
            for prefix, spec in reversed(specs):
                verdict = spec.check_file(prefix + tail).include
                if verdict is not None:
                    return verdict
            return False

        return ignored

    @staticmethod
    def _relative(folder: str, base: str) -> str:
        """``folder`` below ``base``, "/"-separated with a trailing "/"; "" for ``base``."""
        if folder == base:
            return ""
        if folder.startswith(base + os.sep):
            return folder[len(base) + 1 :].replace(os.sep, "/") + "/"
        return os.path.relpath(folder, base).replace(os.sep, "/") + "/"

    def _ignored(
        self,
        folder: str,
        name: str,
        is_dir: bool,
        chain: list[tuple[str, pathspec.GitIgnoreSpec]],
    ) -> bool:
        suffix = "/" if is_dir else ""
        full = os.path.join(folder, name)
        if self.exclude is not None and self._inside_base(full):
            rel = os.path.relpath(full, self.base).replace(os.sep, "/")
            if self.exclude.match_file(rel + suffix):
                return True
        for base, spec in reversed(chain):
            rel = os.path.relpath(full, base).replace(os.sep, "/")
            verdict = spec.check_file(rel + suffix).include
            if verdict is not None:
                return verdict
        return False


def walk_files(
    top: Path,
    ignores: Ignores,
    include: list[str],
    notices: list[str],
    on_opaque: Optional[Callable[[Path], None]] = None,
    seen: Optional[set[str]] = None,
    reals: Optional[dict[str, str]] = None,
    record: Optional[WalkRecord] = None,
) -> Iterator[Path]:
    """Files under ``top``, folder by folder in sorted order (``os.walk``'s top-down
    order); follows folder links once each, so link loops end.

    ``on_opaque`` hears of compiled extension modules and stubs, which are modules
    an import can reach although there is no source to scan. ``seen`` collects the
    real path of every folder walked, ``reals`` each folder's real path by its path.
    A folder's real path is its parent's plus its name unless the folder is a link:
    only links are resolved, so a tree of thousands of folders costs one
    ``realpath`` and one ``scandir`` per folder, not an ``lstat`` per path component.
    ``record`` (see ``listing``) keeps each folder's listing for the next walk and
    offers the last walk's: a folder that has not changed is not listed again.
    """
    seen = set() if seen is None else seen
    reals = {} if reals is None else reals
    included = _matcher(include)
    # (folder, its real path, whether every listing below it must be taken afresh:
    # a .gitignore came or went above it)
    stack = [(str(top), os.path.realpath(top), False)]
    while stack:
        folder, real, fresh = stack.pop()
        if real in seen:
            notices.append(f"{folder}: symlink loop, skipped")
            continue
        seen.add(real)
        reals[folder] = real
        now = signature(folder) if record is not None else None
        kept = None if record is None or fresh else record.reusable(folder, now)
        replayed = _replay(folder, real, kept) if kept is not None else None
        if replayed is not None:
            files, opaque, said, subfolders = replayed
            notices.extend(said)
            if on_opaque is not None:
                for path in opaque:
                    on_opaque(path)
            stack.extend(reversed(subfolders))
            yield from files
            continue
        try:
            entries = _list(folder)
        except OSError as exc:
            notices.append(f"{exc.filename or folder}: cannot read folder: {exc.strerror}")
            if record is not None:  # unreadable: listed again next time
                record.begin(folder, False, None).entries.append(["notice", notices[-1]])
            continue
        has_gitignore = any(e.name == ".gitignore" for e in entries)
        listing = record.begin(folder, has_gitignore, now) if record is not None else None
        if record is not None and not fresh:
            before = record.previous.get(folder)
            fresh = before is not None and before.has_gitignore != has_gitignore
        folders: list[tuple[str, str, bool]] = []
        here: Optional[Path] = None
        ignored = ignores.checker(folder, has_gitignore)
        for entry in entries:
            name = entry.name
            try:
                is_folder = entry.is_dir()  # through a link, as os.walk(followlinks=True)
            except OSError:
                is_folder = False
            child = entry.path
            linked = entry.is_symlink()
            if listing is not None and linked:
                listing.watched.append(["link", child, link_state(child)])
            if is_folder:
                if (ignored is not None and ignored(name, True)) or _is_template(name):
                    continue
                if name in DEFAULT_EXCLUDES:
                    init = os.path.join(child, "__init__.py")
                    if listing is not None:  # not the folder: .git, caches change all the time
                        listing.watched.append(["file", init, signature(init)])
                    # build/, venv/...; but pip's real package ``operations.build`` stays
                    if not os.path.isfile(init):
                        continue
                child_real = os.path.realpath(child) if linked else real + os.sep + name
                folders.append((child, child_real, fresh))
                if listing is not None:
                    listing.entries.append(["folder", name, child_real if linked else None])
                continue
            if not included(os.path.normcase(name)):
                if name.endswith(OPAQUE_SUFFIXES) and on_opaque is not None:
                    on_opaque(Path(child))
                    if listing is not None:
                        listing.entries.append(["opaque", name])
                continue
            if (ignored is not None and ignored(name, False)) or _is_template(name):
                continue
            if linked and not os.path.exists(child):
                notices.append(f"{child}: broken symlink or symlink loop, skipped")
                if listing is not None:
                    listing.entries.append(["notice", notices[-1]])
                continue
            if listing is not None:
                listing.entries.append(["file", name])
            if here is None:
                here = Path(folder)
            yield here / name  # a child of one parsed path: half the cost of Path(child)
        stack.extend(reversed(folders))


def _list(folder: str) -> list[os.DirEntry[str]]:
    """A folder's entries, sorted by name (one place, so tests can count listings)."""
    with os.scandir(folder) as listing:
        return sorted(listing, key=_entry_name)


def _replay(
    folder: str, real: str, kept: Listing
) -> Optional[tuple[list[Path], list[Path], list[str], list[tuple[str, str, bool]]]]:
    """What a kept listing said: its files, its compiled modules, its notices and
    its subfolders to walk, in order; None if the listing cannot be read (one written
    by another version or a bug: the folder is then listed afresh)."""
    prefix = folder if folder.endswith(os.sep) else folder + os.sep
    here: Optional[Path] = None  # made for the first file: most folders hold none
    files: list[Path] = []
    opaque: list[Path] = []
    said: list[str] = []
    subfolders: list[tuple[str, str, bool]] = []
    try:
        for entry in kept.entries:
            kind = entry[0]
            if kind != "notice" and not plain_name(entry[1]):
                return None  # a name a listing never holds: a path, "..", not text
            if kind == "file":
                here = here or Path(folder)
                files.append(here / entry[1])
            elif kind == "folder":
                name, linked_real = entry[1], entry[2]
                if linked_real is not None and linked_real != os.path.realpath(prefix + name):
                    return None  # where a link leads is asked again, never taken on trust
                subfolders.append(
                    (
                        prefix + name,
                        linked_real if linked_real is not None else real + os.sep + name,
                        False,
                    )
                )
            elif kind == "opaque":
                here = here or Path(folder)
                opaque.append(here / entry[1])
            elif kind == "notice":
                said.append(str(entry[1]))
            else:
                return None
    except (IndexError, TypeError, KeyError):
        return None
    return files, opaque, said, subfolders


def plain_name(name: object) -> bool:
    """One entry's name, as ``scandir`` gives it: text naming no other folder."""
    return (
        isinstance(name, str)
        and name not in ("", ".", "..")
        and os.sep not in name
        and not (os.altsep and os.altsep in name)
    )


_entry_name = operator.attrgetter("name")


def _matcher(patterns: list[str]) -> Callable[[str], bool]:
    """One compiled test for a list of ``fnmatch`` patterns (``*.py``), applied to a
    ``normcase``d name as ``fnmatch`` would: asked of every file of the tree."""
    joined = "|".join(fnmatch_translate(os.path.normcase(p)) for p in patterns)
    pattern = re.compile(joined or "(?!)")

    def matches(name: str) -> bool:
        return pattern.match(name) is not None

    return matches


def _is_template(name: str) -> bool:
    """A file or folder a template engine names (cookiecutter's ``{{module_name}}.py``,
    Jinja's ``{% if %}``): its text is a template, not Python, until rendered."""
    return "{{" in name or "{%" in name


def find_repository(base: str, there: There = presence) -> Optional[str]:
    """The ``.git`` (folder, or a linked work tree's file) of the work tree holding
    ``base``, or None outside any. ``there``: how a path is looked at
    (``snapshot.Reads.there`` records it)."""
    folder = base
    while True:
        dot_git = os.path.join(folder, ".git")
        found = there(dot_git)
        if found[1] or found[2]:
            return dot_git
        parent = os.path.dirname(folder)
        if parent == folder:
            return None
        folder = parent


def _common_git_dir(dot_git_file: str, record: Optional[WalkRecord] = None) -> Optional[str]:
    """The git dir shared by a linked work tree (whose ``.git`` is a file naming
    its own git dir, which names the common one in ``commondir``), or None."""
    try:
        with open(dot_git_file, encoding="utf-8") as handle:
            first = handle.readline().strip()
    except OSError:
        return None
    if not first.startswith("gitdir:"):
        return None
    own = os.path.join(os.path.dirname(dot_git_file), first[len("gitdir:") :].strip())
    if record is not None:
        record.file(os.path.join(own, "commondir"))
    try:
        with open(os.path.join(own, "commondir"), encoding="utf-8") as handle:
            return os.path.normpath(os.path.join(own, handle.readline().strip()))
    except OSError:
        return own
