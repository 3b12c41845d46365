"""SSOT006 shadowed-module."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from ssot_scan.checks.base import Check
from ssot_scan.findings import Finding

if TYPE_CHECKING:
    from ssot_scan.config import Config
    from ssot_scan.index import Index


class ShadowedModule(Check):
    """A module file that can never be imported: a package folder of the same name
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
    """

    code = "SSOT006"
    name = "shadowed-module"

    def run(self, index: Index, config: Config, earlier: list[Finding]) -> Iterator[Finding]:
        for source, _ in index.files:
            if source.shadowed_by is None:
                continue
            folder = source.shadowed_by.rsplit("/", 1)[0]
            yield self.finding(
                source.rel,
                1,
                1,
                f"module file `{source.rel}` can never be imported: the package folder "
                f"`{folder}/` shadows it (`{source.shadowed_by}` makes it a package)",
                symbol=source.rel,
                statement=source.shadowed_by,
                group=source.rel,
            )
