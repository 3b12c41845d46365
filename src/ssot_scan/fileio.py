"""Writing files so that no reader ever sees half of one."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from ssot_scan.errors import UsageError


def write_atomic(path: Path, text: str, what: str = "file") -> None:
    """Write to a temporary file beside ``path``, then rename it into place.

    A rename within one folder is atomic, so a CI job reading a report or a baseline
    while another writes it sees the old file or the new one, never a mix. Failure
    is a usage error naming the file.
    """
    tmp = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
        os.replace(tmp, path)
    except OSError as exc:
        if tmp is not None and os.path.exists(tmp):
            os.unlink(tmp)
        raise UsageError(f"{path}: cannot write the {what}: {exc.strerror or exc}") from None
