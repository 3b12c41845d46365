"""Which modules' facts an answer of the symbol table was made from.

An edit to one module can change only the answers that read its facts. Knowing that
set for every answer is what lets a later scan keep the answers an edit cannot
touch and work out again only the others: the ground an incremental analysis
stands on (issue 13). The import graph cannot stand in for it: in a 10,000-module
tree every module reaches nearly every other through some import (function-level
and ``TYPE_CHECKING`` ones included), while a resolution reads a handful.

Which modules and package folders exist is recorded too, under the name asked
about (``SymbolTable.module_exists``, ``is_namespace``, ``own_file``): a file added
or removed changes the answers that asked. What every answer depends on alike is
not recorded: the compiled modules and the first-party packages; a scan that reuses
answers must hold those equal. Facts every module contributes to at once (the import
finders the project installs, the modules one hands to a function) are recorded
under names no module can have, ``FINDERS`` and ``HANDED``; an answer that looked
at the file system itself, under ``FILE_SYSTEM``.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from collections.abc import Set as AbstractSet
from contextlib import contextmanager
from typing import Final

# Read by an answer that looked at every module's import finders: changed when any
# module's ``finder_serves`` changes.
FINDERS: Final = "<finders>"
# Read by an answer that looked at which modules other modules hand to a function
# (``Handover.passed``): changed when any module's handovers of that kind change.
HANDED: Final = "<handed>"
# Read by an answer that looked at the file system beyond the scanned files' facts
# (a folder beside the importer that may stand in for a package): no record of the
# files' facts can say it still holds, so such an answer is never kept.
FILE_SYSTEM: Final = "<file system>"


class Reads:
    """The modules read since each open frame began, innermost last.

    A memoised answer is computed in a frame of its own; what that frame read is
    kept with the answer (``Reads.close`` returns it), and every later use of the
    answer adds it to the frame that uses it, so a frame's set holds everything its
    answers rest on, however many of them came from the memo.
    """

    def __init__(self) -> None:
        self._frames: list[set[str]] = [set()]

    def read(self, module: str) -> None:
        self._frames[-1].add(module)

    def add(self, modules: Iterable[str]) -> None:
        self._frames[-1].update(modules)

    def current(self) -> set[str]:
        """What the innermost frame has read so far."""
        return self._frames[-1]

    def open(self) -> None:
        self._frames.append(set())

    def close(self) -> AbstractSet[str]:
        """End the innermost frame: what it read, now read by the frame around it
        (the frame's own set, no longer written to: a copy per memoised answer cost
        a tenth of the resolution time)."""
        frame = self._frames.pop()
        self._frames[-1].update(frame)
        return frame

    @contextmanager
    def recording(self) -> Iterator[set[str]]:
        """``with reads.recording() as read:``: ``read`` holds, once the block ends,
        every module whose facts the answers asked for in the block rest on."""
        self.open()
        frame = self._frames[-1]
        try:
            yield frame
        finally:
            self.close()
