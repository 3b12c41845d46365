"""``--diff-base REF``: the files changed since a git ref, to report only those.

The files are what ``git diff --name-only REF`` lists (committed, staged and
unstaged changes against REF) plus untracked files git does not ignore: what a
pull request would add. The analysis still covers the whole project, so a file is
judged the same whichever files changed with it.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path
from typing import Optional

from ssot_scan.errors import UsageError
from ssot_scan.gitinfo import git_line


def _git(args: list[str], cwd: Path, what: str, failure: str = "") -> bytes:
    try:
        done = subprocess.run(
            ["git", *args], cwd=cwd, capture_output=True, check=False, timeout=120
        )
    except FileNotFoundError:
        raise UsageError(f"{what}: git is not installed") from None
    except subprocess.TimeoutExpired:
        raise UsageError(f"{what}: git did not answer within 120 s") from None
    if done.returncode != 0:
        if failure:
            raise UsageError(f"{what}: {failure}")
        message = done.stderr.decode("utf-8", "replace").strip().splitlines()
        reason = message[0] if message else f"git exited with {done.returncode}"
        raise UsageError(f"{what}: {reason}")
    return done.stdout


def changed_files(ref: str, folder: Path) -> list[Path]:
    """Absolute paths of the files changed since ``ref`` in the checkout holding
    ``folder``; a usage error when there is no checkout or no such ref."""
    what = f"--diff-base {ref}"
    if ref.startswith("-"):
        raise UsageError(f"{what}: not a git ref")
    not_git = f"{folder} is not inside a git work tree"
    inside = _git(["rev-parse", "--is-inside-work-tree"], folder, what, not_git).strip()
    if inside != b"true":
        raise UsageError(f"{what}: {not_git}")
    top = Path(os.fsdecode(_git(["rev-parse", "--show-toplevel"], folder, what).strip()))
    _git(["rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}"], top, what, "no such commit")
    listed = _git(["diff", "--name-only", "-z", "--no-renames", ref, "--"], top, what)
    listed += _git(["ls-files", "-z", "--others", "--exclude-standard"], top, what)
    names = sorted({os.fsdecode(n) for n in listed.split(b"\0") if n})
    return [top / name for name in names]


def repository_root(folder: Path) -> Optional[Path]:
    """The top of the git work tree holding ``folder``, or None (no git, no work
    tree): where code scanning and annotations resolve paths from."""
    top = git_line(folder, ["rev-parse", "--show-toplevel"])
    return Path(top) if top else None
