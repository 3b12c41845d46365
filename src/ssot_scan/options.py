"""The values options and config keys take, in one home for the CLI and the config.

A leaf module, cheap to import: the CLI builds its ``click.Choice`` lists from it at
start-up, and the config validates the same keys against it.
"""

from __future__ import annotations

ENGINES: tuple[str, ...] = ("auto", "ast", "libcst")
CANONICAL_POLICIES: tuple[str, ...] = ("most-used", "definition", "shortest-public")
