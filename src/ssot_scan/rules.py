"""The rule registry: every rule declared once — code, name, severity, one line, docs.

A leaf module (it imports nothing of ssot-scan's but ``errors``): config validation,
the checks, the reports (SARIF rules, statistics, Markdown) and ``--explain`` all read
it, and none of them has to import the checks to learn what a code means. Each rule's
``docs`` say what it finds and why that is bad, as ruff's rule docs do; its examples
live with its check (``VALID``/``INVALID``), where a test runs them.
"""

from __future__ import annotations

from typing import Literal

import msgspec

from ssot_scan.errors import UsageError

Severity = Literal["error", "warning"]


class Rule(msgspec.Struct, frozen=True):
    """One code's registry entry: its name, severity and the docs ``ssot-scan rules``
    prints (why it matters, and how to fix it)."""

    code: str
    name: str
    severity: Severity
    docs: str
    # Codes whose finding at the same import statement makes this one redundant: an
    # import of a deprecated path is SSOT001, not also SSOT002. Applied after the
    # selection, so a code left out never hides another.
    superseded_by: tuple[str, ...] = ()

    @property
    def summary(self) -> str:
        """The docs' first paragraph, on one line."""
        return " ".join(self.docs.strip().split("\n\n")[0].split())


RULES: tuple[Rule, ...] = (
    Rule(
        code="SSOT000",
        name="parse-error",
        severity="error",
        docs="""\
A file that no front end can read (syntax, encoding or I/O error).

Why it matters: whatever the file imports or defines is invisible to every other
check, and to Python itself; an import of it fails at run time.

Example: ``def f(:`` in ``app/broken.py`` gives
``app/broken.py:1:7: SSOT000 cannot parse: SyntaxError: invalid syntax``.
""",
    ),
    Rule(
        code="SSOT001",
        name="deprecated-import",
        severity="warning",
        docs="""\
An import of a deprecated module or symbol.

Deprecated means: declared in a rule pack (``[[deprecated]] module = ...`` or
``symbol = ...``), or deprecated by the code itself — a module-level
``warnings.warn(..., DeprecationWarning)`` (also PendingDeprecationWarning,
FutureWarning and project subclasses) deprecates its module, and so does a
module-level call of the module's own function whose body warns so (a package
ending its ``__init__`` with ``_warn_on_import()``; a branch in that body, such
as a look at the caller's frame, makes it conditional, and the finding says so);
``@deprecated(...)`` deprecates its class or function. A symbol is matched by
resolution, so a re-export of a deprecated function is caught wherever it is
imported from.

Why it matters: every import of a deprecated path is one more place to migrate
before the old path can be deleted, and a count that should only go down.

Not reported: importing a submodule of a deprecated package (``import pkg.sub``
when only ``pkg`` is deprecated), imports made by a deprecated module, imports
between modules inside one deprecated package, and imports in a ``@deprecated``
body or in a test that checks a deprecation warns (``pytest.warns`` with a
deprecation category, ``pytest.deprecated_call()``, ``assertWarns``): each goes
when the deprecated thing goes.

Example::

    from app.websocket_core.manager import WebSocketManager
    # SSOT001 `app.websocket_core.manager` is deprecated; import from
    # `app.websocket_core.websocket_manager` instead
""",
    ),
    Rule(
        code="SSOT002",
        name="non-canonical-import",
        severity="warning",
        docs="""\
A symbol exported by several module paths, imported here through the wrong one.

The canonical path is declared (``[[canonical]]`` in a rule pack or the config) or
derived by ``canonical-policy``: ``most-used`` (default: the non-deprecated path
most import sites use, ties to the shortest), ``definition`` (the defining
module) or ``shortest-public`` (the shortest path without a ``_private`` part).

Why it matters: every extra path is a place the symbol can silently fork — a
compat shim rebinds it, a re-export goes stale — and a reader cannot tell that
two imports name the same thing.

A declared canonical path is strict: every other path is reported. A derived
one is cautious, because a maintainer must agree with every finding: only
*accidental* paths are reported — modules that merely import the name for their
own use and are imported from anyway. Paths the code publishes on purpose
(package re-exports, ``__all__``, ``X as X``, aliases) are reported too with
``[tool.ssot-scan.non-canonical] report-published = true``, except the
package-facade idiom: the defining module and the packages above it that
re-export it (``django.db.models`` for ``django.db.models.fields.Field``).
``[tool.ssot-scan.non-canonical] strict = true`` (or ``--strict``) reports every
usage through any path but the canonical one, facades and defining modules
included. In either mode, a deprecated module is never canonical, and neither
its re-exports nor a deprecated package facade are ever tolerated.

Two more paths are published in the cautious mode. A public name exactly one
module coins for an object (``from m import Sentinel as NoTokenSentinel``) is
that module's word for it; an abbreviation several modules spell for themselves
(``DagAttributeTypes as DAT``) belongs to none of them. And a plain module that
imports a public name and never mentions it again keeps it for others (a
compatibility surface): its own tests (``tests/basic/...``, ``test_basic.py``)
may import it there, everyone else is still told to move.

Re-export sites build paths but are not usage: imports in a package
``__init__``, of names the module lists in ``__all__``, in the ``X as X`` form,
star imports, and imports a module-level ``Y = X`` alias republishes. Imports
inside a canonical *package* may use its submodules (that avoids cycles).

Example::

    from app.websocket_core import UnifiedWebSocketManager
    # SSOT002 import `UnifiedWebSocketManager` from
    # `app.websocket_core.websocket_manager` (declared canonical; ...)
""",
        superseded_by=("SSOT001",),
    ),
    Rule(
        code="SSOT003",
        name="competing-definitions",
        severity="warning",
        docs="""\
One name, several definitions competing to be "the" one.

1. An imported name that reaches *different* definitions depending on the
   module it is imported from — ``WebSocketManager`` is the unified manager
   through the compat shim and a factory class through the canonical module.
   Reported once per name, at the first import that reaches a definition other
   than the canonical one (the one a ``[[canonical]]`` rule names, else the one
   most imports reach), with every other such import as a related location.
   Only where the definitions compete for one concept: two imports from
   sibling modules reach different definitions, and a path renames another
   module's object to the name (an ``X = Y`` alias of an imported ``Y``,
   ``import Y as X``), or is a deprecated or ``*compat*`` module, or both
   definitions are classes carrying the name themselves in modules of one
   package without one inheriting from the other. Namespaced homonyms such as
   ``django.forms.Field`` and ``django.db.models.Field`` are left alone, and
   so are imports that rename on the way in (``import Loader as
   FilesystemLoader`` knows which one it wants).
2. Watched names: a rule pack's ``[[watch]] name = "*WebSocketManager"`` with
   ``max-definitions = 1`` (the default): every class or function definition
   beyond the limit, and every module-level ``X = Y`` alias that binds a
   watched name to another object, is reported at its definition, naming the
   others. Test modules are left out unless ``include-tests = true``. The
   definitions kept are the most imported ones outside tests.
3. Without a watch list, class names defined in several modules are not
   reported (Django alone has dozens of legitimate ``Migration`` classes),
   unless ``[tool.ssot-scan.competing-definitions] all-classes = true``; then
   test modules and ``ignore-names`` (fnmatch patterns) are left out.

Why it matters: code that imports "the" ``WebSocketManager`` gets a different
class depending on the path it took; isinstance checks, registries and patches
silently apply to one and miss the other.

An import already reported as SSOT001 is not reported again.
""",
        superseded_by=("SSOT001",),
    ),
    Rule(
        code="SSOT004",
        name="import-cycle",
        severity="warning",
        docs="""\
A cycle among the modules' import-time imports.

One finding per strongly connected component of the graph of runtime,
module-level imports (a module importing itself counts). Imports under
``if TYPE_CHECKING:`` never run and do not count; imports inside functions run
late and count only with ``[tool.ssot-scan.cycles] include-lazy = true``;
imports inside ``try:`` run and count.

The finding lists the modules, one shortest cycle as a readable chain, and the
imports to remove: a small feedback arc set found by the Eades-Lin-Smyth
ordering heuristic (grimp nominates cycle breakers in the same spirit), pruned of
every edge not needed once the others are cut. It is located at the first of
those imports. The whole computation is near-linear: no enumeration of cycles.

Why it matters: a cycle makes import order matter, turns a moved import into an
``ImportError: cannot import name`` at start-up, and keeps modules that should be
separable welded together.

Example::

    # app/a.py: from app.b import g      app/b.py: from app.a import f
    # SSOT004 import cycle of 2 modules: app.a -> app.b (app/a.py:1)
    #   -> app.a (app/b.py:1); to break it, remove app.a -> app.b
""",
    ),
    Rule(
        code="SSOT005",
        name="unresolved-import",
        severity="warning",
        docs="""\
A first-party import that cannot succeed.

The module does not exist (no file, no package folder, no compiled extension or
stub), or the name is neither defined, re-exported, a submodule, nor possibly
provided by a star import. A target module with a module-level ``__getattr__``,
a star import of code outside the scan, or a compiled extension makes a name
undecidable: it is not reported, only counted (``summary.undecidable``). A
target that does not parse is reported: whatever it held is unreachable.

Each finding says what is missing (the module, or a name in it) and where the
import sits: at module level, inside a function (fails late, when called),
inside ``try/except ImportError`` (fails silently), under ``TYPE_CHECKING``.
``[tool.ssot-scan.unresolved] include-guarded = false`` leaves out imports
guarded by ``except ImportError``. Imports of third-party modules are never
checked: only the top-level packages found under the source roots are
first-party.

Why it matters: a broken import inside ``try/except`` or a function hides until
the day it runs; after a consolidation moves code, these are the leftovers.

Example::

    from app.websocket_core.manager import create_websocket_manager
    # SSOT005 cannot import `create_websocket_manager` from
    # `app.websocket_core.manager`: no such name (at module level)
""",
    ),
    Rule(
        code="SSOT006",
        name="shadowed-module",
        severity="warning",
        docs="""\
A module file that can never be imported: a package folder of the same name
beside it wins.

With ``pkg/events.py`` and ``pkg/events/__init__.py`` side by side, ``import
pkg.events`` always loads the package; the ``.py`` file is dead, and so is every
definition and every deprecation warning in it. Only that case is reported:
two files that get one name from different roots, or a folder named like a
standard-library module, are not shadowing (``--show-files`` says which file
each name imports).

Why it matters: edits to the dead file silently change nothing, and a migration
that "deprecated" it with a warning has deprecated nothing. It is its own code,
not an unresolved import, because no import statement is wrong: the file is.

Example::

    # app/websocket_core/events.py beside app/websocket_core/events/__init__.py
    # SSOT006 module file `app/websocket_core/events.py` can never be imported:
    # the package folder `app/websocket_core/events/` shadows it
    # (`app/websocket_core/events/__init__.py` makes it a package)
""",
    ),
    Rule(
        code="SSOT007",
        name="unknown-suppression",
        severity="warning",
        docs="""\
A ``# ssot: ignore[...]`` that names no rule.

Why it matters: a typo (``SSOT02``, ``non-canonical-imports``) silences nothing, and
the finding it was meant for stays, or later comes back, with the comment still
there looking as if it took care of it.

What it accepts: codes (``SSOT002``), code prefixes (``SSOT00``) and rule names
(``non-canonical-import``), in any case, separated by commas or spaces.

Fix: name the rule as ``ssot-scan rules`` lists it.""",
    ),
    Rule(
        code="SSOT008",
        name="unused-suppression",
        severity="warning",
        docs="""\
A ``# ssot: ignore`` (or one code of it) that silences no finding, like ruff's
RUF100.

Why it matters: once the import it was about is fixed, a suppression left behind
will silently swallow the next finding on that line, the one nobody looked at.

What counts: a comment is judged against every analysis rule's findings (SSOT000
to SSOT006), whatever the run selects, so the verdict does not depend on the
selection. A code the comment names that matched nothing is reported (the others
in the comment stay); a bare ``# ssot: ignore`` that matched nothing is reported
whole. A comment that names SSOT008 itself (``# ssot: ignore[SSOT002, SSOT008]``)
says "this may be unused" and is not reported.

Fix: delete the comment, or the codes it names that match nothing.""",
    ),
)
BY_CODE: dict[str, Rule] = {rule.code: rule for rule in RULES}
ALL_CODES: tuple[str, ...] = tuple(BY_CODE)
CHECK_NAMES: dict[str, str] = {rule.code: rule.name for rule in RULES}
_BY_NAME = {name: code for code, name in CHECK_NAMES.items()}


def rule(code: str) -> Rule:
    return BY_CODE[code]


def codes_for(item: str) -> list[str]:
    """The codes one selector covers: a code, a code prefix (``SSOT00``), a rule
    name (any case) or ``ALL``; none for a selector that names no rule."""
    key = item.strip()
    if key.upper() == "ALL":
        return list(ALL_CODES)
    if key.lower() in _BY_NAME:
        return [_BY_NAME[key.lower()]]
    return [code for code in ALL_CODES if code.startswith(key.upper())] if key else []


def expand_codes(items: list[str], where: str) -> list[str]:
    """Codes, code prefixes (``SSOT00``) or rule names, to the codes they cover."""
    selected: list[str] = []
    for item in items:
        matches = codes_for(item)
        if not matches:
            known = ", ".join(f"{c} ({n})" for c, n in CHECK_NAMES.items())
            raise UsageError(f"{where}: unknown rule code {item!r} (known: {known})")
        selected.extend(m for m in matches if m not in selected)
    return selected
