"""How a one-shot ``ssot-scan`` process ends: at once, without freeing what it built.

A process that exits normally frees every object it still holds, one by one, and
then runs the interpreter's finalisation, which tears down every module. For a
scan that is pure cost: freeing the facts and the index of 10,000 modules takes
0.2-0.4 s, and finalisation takes 15-20 ms even after a warm run (a sixth of one on
Django). ``program`` (the console script, ``python -m ssot_scan``) therefore lets
the scan keep what it built (``keep``) and ends with ``exit_now``: the output
flushed, then ``os._exit``, as mypy's ``hard_exit`` does. Code that calls ``main``
in-process (tests, a library user) never turns either on, so nothing is kept there.

What ``os._exit`` skips is ``atexit`` handlers and finalisers; by the time a
command returns, every file it writes is closed (``writes``), the cache is closed
and any process pool has been shut down, so none of them has work left.
"""

from __future__ import annotations

import os
import sys
from typing import NoReturn, Optional

# What the last scan built, held until the process ends; None: free as usual.
_kept: Optional[list[object]] = None


def end_without_freeing() -> None:
    """This process ends with its command (``exit_now``): scans may keep what
    they build instead of freeing it."""
    global _kept
    if _kept is None:
        _kept = []


def keep(*objects: object) -> None:
    """Hold ``objects`` until the process ends, where that is allowed (see
    ``end_without_freeing``); otherwise do nothing, and they are freed as usual."""
    if _kept is not None:
        _kept.extend(objects)


def release() -> None:
    """Free what an earlier scan kept: a command that scans again (``fix``
    verifies its rewrite with a second scan) must not hold two at its peak."""
    if _kept is not None:
        _kept.clear()


def exit_status(code: object) -> int:
    """The status ``SystemExit(code)`` would end the process with: None is 0, an
    int is itself, anything else is printed to stderr and is 1."""
    if code is None:
        return 0
    if isinstance(code, int):
        return code
    print(code, file=sys.stderr)
    return 1


def exit_now(code: object) -> NoReturn:
    """End the process with ``SystemExit(code)``'s status, skipping the freeing and
    the finalisation. When the output cannot be flushed (a closed pipe), the
    ordinary exit is taken instead, so that Python reports it as it always does."""
    status = exit_status(code)
    try:
        for stream in (sys.stdout, sys.stderr):
            if stream is not None:  # None: started with that descriptor closed
                stream.flush()
    except (OSError, ValueError):
        raise SystemExit(status) from None
    os._exit(status)
