"""What the analysis saw of the file system beyond the scanned files' facts.

SSOT005 counts an import of a missing module as undecidable when a folder or module
beside the importer may stand in for it at run time (``unresolved._overlaid``: test
harnesses overlay a package's folder). Such a folder need hold no Python file the
scan reads, so neither the files' stats nor their facts change when one appears: a
result stored for them keeps, with the paths looked at, what was there, and holds
only while each still looks the same (a ``stat`` or two per path).
"""

from __future__ import annotations

import os
from collections.abc import Mapping


def present(candidate: str) -> bool:
    """Is there a folder ``candidate``, or a module file ``candidate.py``?"""
    return os.path.isdir(candidate) or os.path.isfile(candidate + ".py")


def still_as_seen(seen: Mapping[str, bool]) -> bool:
    """Does every path ``present`` was asked about still give the same answer?"""
    return all(present(path) == was for path, was in seen.items())
