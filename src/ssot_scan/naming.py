"""Dotted module names, given the way the import system gives them.

The project's ``sys.path`` entries are the configured roots (or ``src/`` when there
is one), then the project root. A file is named from the deepest entry that holds
it: below an entry, a folder with ``__init__.py`` is a regular package and one
without is a PEP 420 namespace portion, so ``frontend/tests/__init__.py`` is
``frontend.tests``, never ``tests``. A file below a folder whose name no import can
spell (``auth-service/``, ``.github/``) is named from the top of its own
``__init__.py`` chain, as the script that runs it would find it.

Several files can claim one name. Which one Python loads is decided as ``PathFinder``
does: entry by entry, a regular package beats a module file in the same folder,
which beats a namespace portion; portions count only when no entry has anything
else, and then they merge. A package's submodules are looked for only in its own
``__path__``. Only the winner is importable; a ``.py`` file beside a same-named
package folder is dead (SSOT006), and any other loser is *hidden*: still checked,
never imported.

A namespace portion can never hide a regular module elsewhere, so a top-level
folder named like a standard-library module (``io/`` without ``__init__.py``) does
not make ``io`` first-party; nor can anything hide a module the interpreter
imports before user code runs (``sys``, ``os``, ``io``...).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterable
from functools import cache
from typing import Final, Literal, Optional

import msgspec

# Modules every CPython has loaded before user code runs: a file of the same name
# can never be imported under it.
_STARTUP_MODULES = frozenset(
    {
        "abc",
        "builtins",
        "codecs",
        "encodings",
        "genericpath",
        "io",
        "marshal",
        "ntpath",
        "os",
        "posix",
        "posixpath",
        "site",
        "stat",
        "sys",
        "time",
        "zipimport",
    }
)


@cache
def stdlib_modules() -> frozenset[str]:
    """Top-level names of the standard library (the project needs Python 3.11, and
    ``sys.stdlib_module_names`` exists from 3.10)."""
    return frozenset(sys.stdlib_module_names)


def unshadowable(name: str) -> bool:
    """A top-level name no project file can take: built in, or loaded at start-up."""
    return name in sys.builtin_module_names or name in _STARTUP_MODULES


FoundKind = Literal["package", "module", "namespace", "outside"]
PACKAGE: Final = "package"
MODULE: Final = "module"
NAMESPACE: Final = "namespace"
OUTSIDE: Final = "outside"  # a standard-library module that no project file can hide


class Found(msgspec.Struct, frozen=True):
    """What the import system finds for one name: a regular package (its
    ``__init__`` file), a module file, or a namespace package (its portions)."""

    kind: FoundKind
    file: Optional[str]  # the __init__ or module file; None for a namespace
    path: tuple[str, ...]  # the package's __path__; () for a module


class Candidate(msgspec.Struct):
    """One file with the name it would have: entry, dotted parts, kind of file."""

    file: str  # the file's path, folders resolved
    parts: tuple[str, ...]  # () for an __init__.py directly in an entry
    is_package: bool  # an __init__ file
    entry: str  # the sys.path entry it is named from


class ImportSystem:
    """Which file (if any) Python loads for a dotted name, over the scanned files.

    Only what was discovered counts: the model is built from files, so a folder is
    a namespace portion only when it holds Python files somewhere below it.
    """

    def __init__(self, entries: list[str], candidates: Iterable[Candidate]) -> None:
        self.entries = tuple(entries)
        self._init: dict[str, str] = {}  # package folder -> its __init__ file
        self._modules: dict[tuple[str, str], str] = {}  # (folder, stem) -> file
        self._folders: set[str] = set()  # folders holding Python files below them
        for candidate in candidates:
            folder = os.path.dirname(candidate.file)
            if candidate.is_package:
                self._init.setdefault(folder, candidate.file)
            elif candidate.parts:
                self._modules.setdefault((folder, candidate.parts[-1]), candidate.file)
            while folder not in self._folders and folder != candidate.entry:
                self._folders.add(folder)
                parent = os.path.dirname(folder)
                if parent == folder:
                    break
                folder = parent
        self._memo: dict[tuple[str, ...], Optional[Found]] = {}

    def _find(self, path: tuple[str, ...], name: str) -> Optional[Found]:
        portions: list[str] = []
        for folder in path:
            sub = os.path.join(folder, name)
            init = self._init.get(sub)
            if init is not None:
                return Found(PACKAGE, init, (sub,))
            module = self._modules.get((folder, name))
            if module is not None:
                return Found(MODULE, module, ())
            if sub in self._folders:
                portions.append(sub)
        return Found(NAMESPACE, None, tuple(portions)) if portions else None

    def find(self, parts: tuple[str, ...]) -> Optional[Found]:
        """What ``import a.b.c`` loads, given ``("a", "b", "c")``."""
        if parts in self._memo:
            return self._memo[parts]
        if len(parts) == 1:
            found = self._find(self.entries, parts[0])
            name = parts[0]
            if unshadowable(name) or (
                found is not None and found.kind == NAMESPACE and name in stdlib_modules()
            ):
                found = Found(OUTSIDE, None, ())
        else:
            parent = self.find(parts[:-1])
            found = (
                self._find(parent.path, parts[-1])
                if parent is not None and parent.kind in (PACKAGE, NAMESPACE)
                else None
            )
        self._memo[parts] = found
        return found

    def package_beside(self, candidate: Candidate) -> Optional[str]:
        """For ``x.py`` beside a package folder ``x/``: that package's ``__init__``."""
        if candidate.is_package or not candidate.parts:
            return None
        folder = os.path.dirname(candidate.file)
        return self._init.get(os.path.join(folder, candidate.parts[-1]))

    def why_not(self, candidate: Candidate, show: Callable[[str], str]) -> str:
        """Why ``candidate`` is not what its name imports: the first step of the
        name where the import system goes elsewhere."""
        folder = candidate.entry
        for depth in range(1, len(candidate.parts) + 1):
            prefix = candidate.parts[:depth]
            dotted = ".".join(prefix)
            found = self.find(prefix)
            last = depth == len(candidate.parts)
            if found is None:
                return f"`{dotted}` cannot be reached: its parent is a module, not a package"
            if found.kind == OUTSIDE:
                what = "built in" if unshadowable(dotted) else "in the standard library"
                return f"`{dotted}` is {what}; a folder of that name cannot hide it"
            folder = os.path.join(folder, prefix[-1])
            if last or found.kind == MODULE or folder not in found.path:
                if found.file is not None:
                    return f"`{dotted}` is {show(found.file)}"
                return f"`{dotted}` is a namespace package elsewhere"
        return "not importable"
