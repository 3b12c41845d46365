"""One-line answers from git about the work tree holding a folder (its top, its
commit): None when there is no git, no work tree or no answer in time, since these
only enrich a report and never decide a scan."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path
from typing import Optional


def git_line(folder: Path, args: list[str], timeout: float = 30) -> Optional[str]:
    """The first line git prints for ``args`` run in ``folder``, or None."""
    try:
        done = subprocess.run(
            ["git", *args], cwd=folder, capture_output=True, check=False, timeout=timeout
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    answer = os.fsdecode(done.stdout).strip()
    return answer if done.returncode == 0 and answer else None
