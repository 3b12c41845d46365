"""The ``ssot-scan`` console script and ``python -m ssot_scan``: the command line,
imported with the cyclic collector already off.

Start-up is mostly imports (click, typing, dataclasses, then this package's own
modules), and imports allocate tens of thousands of objects, which set the
collector off again and again to walk every object made so far and free none of
it. The one-shot process keeps the collector off for its whole run anyway (see
``cli.program``); turning it off before the imports rather than after them spared
a warm run on Django 3-4 ms of its 80-90 (alternated, 60 runs each). This module
imports nothing but ``gc``, so that nothing runs before the collector is off.
"""

from __future__ import annotations

import gc
from typing import NoReturn


def program() -> NoReturn:
    """``cli.program``, with the collector off from before its import."""
    gc.disable()
    from ssot_scan.cli import program as run

    run()
