"""TOML files read with ``tomllib``, failing with one line that names the file."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from ssot_scan.errors import UsageError
from ssot_scan.safe_read import NotReadable, read_input


def load_toml(path: Path, label: str) -> dict[str, Any]:
    """Read a TOML file or fail with a one-line error naming it."""
    try:
        return tomllib.loads(read_input(str(path), label))
    except FileNotFoundError:
        raise UsageError(f"{label}: file not found") from None
    except NotReadable as exc:
        raise UsageError(str(exc)) from None
    except OSError as exc:
        raise UsageError(f"{label}: cannot read: {exc.strerror or exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise UsageError(f"{label}: invalid TOML: {exc}") from None
    except UnicodeDecodeError:
        raise UsageError(f"{label}: invalid TOML: not UTF-8") from None
    except RecursionError:
        raise UsageError(f"{label}: invalid TOML: nested too deeply") from None
