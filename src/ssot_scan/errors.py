"""Errors that end a run with exit code 2: the user's input, not the code, is wrong."""

from __future__ import annotations


class UsageError(Exception):
    """Bad configuration, rule pack or flag: one line naming the file and the key."""
