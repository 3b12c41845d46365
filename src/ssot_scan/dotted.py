"""Dotted names (``pkg.sub.mod``, ``pkg.mod.Name``): parent, ancestors, containment.

Module and symbol names are plain strings everywhere (they are dictionary keys by the
hundred thousand); what one asks of them lives here once, instead of a hand-written
``rsplit`` or parent-package loop at every place that needs it.
"""

from __future__ import annotations

from collections.abc import Iterator


def parent(name: str) -> str:
    """``pkg.sub`` for ``pkg.sub.mod``; ``""`` for a top-level name."""
    return name.rpartition(".")[0]


def last(name: str) -> str:
    """``mod`` for ``pkg.sub.mod``."""
    return name.rpartition(".")[2]


def top(name: str) -> str:
    """``pkg`` for ``pkg.sub.mod``."""
    return name.partition(".")[0]


def ancestors(name: str) -> Iterator[str]:
    """The packages above ``name``, nearest first: ``pkg.sub``, then ``pkg``."""
    current = parent(name)
    while current:
        yield current
        current = parent(current)


def self_and_ancestors(name: str) -> Iterator[str]:
    """``name`` itself, then the packages above it, nearest first."""
    yield name
    yield from ancestors(name)


def is_within(name: str, package: str) -> bool:
    """Is ``name`` the package itself or anything below it?"""
    return name == package or name.startswith(package + ".")


def is_below(name: str, package: str) -> bool:
    """Is ``name`` strictly below ``package``?"""
    return name.startswith(package + ".")
