"""Room for deep recursion, only when a file needs it.

The front ends walk the syntax tree recursively, the way the tree is shaped: valid
code such as 500 ``elif`` branches (each one an ``If`` inside the previous one's
``orelse``) is deeper than Python's default limit of 1,000 frames. Raising the limit
for every file would risk the C stack on Python 3.9/3.10, whose Python frames live
on it; so a walk that hits the limit is run again in a thread of its own with a
large stack and a limit to match. A file deeper than even that still ends as a
clean ``RecursionError``, which the caller turns into that file's SSOT000.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable
from typing import Optional, TypeVar

Result = TypeVar("Result")

_STACK_BYTES = 512 * 1024 * 1024  # reserved, not committed, until used
_DEEP_LIMIT = 200_000
_lock = threading.Lock()  # the recursion limit is process-wide


def from_recursion(exc: BaseException) -> bool:
    """Did ``exc`` come of hitting the recursion limit? libcst's position pass turns a
    ``RecursionError`` into a ``KeyError`` for each frame it unwinds (500 ``elif``s:
    500 chained exceptions, whose ``str()`` recurses through the tree)."""
    current: Optional[BaseException] = exc
    for _ in range(100_000):
        if current is None:
            return False
        if isinstance(current, RecursionError):
            return True
        current = current.__context__
    return True


def run_deep(function: Callable[[], Result]) -> Result:
    """``function()``, again with a deep stack if it first hits the recursion limit.
    A walk too deep even then raises a plain ``RecursionError``, never the chain
    of exceptions it came wrapped in."""
    try:
        return function()
    except Exception as exc:
        if not from_recursion(exc):
            raise
    outcome: list[Result] = []
    failure: list[BaseException] = []

    def target() -> None:
        try:
            outcome.append(function())
        except BaseException as exc:  # handed to the caller's thread
            failure.append(exc)

    with _lock:
        old_limit = sys.getrecursionlimit()
        old_stack = threading.stack_size(_STACK_BYTES)
        try:
            sys.setrecursionlimit(max(old_limit, _DEEP_LIMIT))
            thread = threading.Thread(target=target, name="ssot-scan-deep-walk")
            thread.start()
            thread.join()
        finally:
            sys.setrecursionlimit(old_limit)
            threading.stack_size(old_stack)
    if failure:
        if from_recursion(failure[0]):
            raise RecursionError("too deeply nested") from None
        raise failure[0]
    return outcome[0]
