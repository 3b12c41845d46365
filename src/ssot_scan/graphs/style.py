"""The colours every picture shares (DOT, Mermaid, the report's SVG), so a
deprecated path is the same red in all of them."""

from __future__ import annotations

from typing import Any

# Fill colours by node kind and by import path role; breakers are red and dashed.
FILLS = {
    "module": "#e8eef7",
    "package": "#d5e0f0",
    "file": "#f2f2f2",
    "definition": "#fff2cc",
    "canonical": "#d9ead3",
    "facade": "#e8eef7",
    "definition-path": "#fff2cc",
    "deprecated": "#f4cccc",
    "accidental": "#fce5cd",
}
BREAKER_COLOUR = "#cc0000"


def fill(attributes: dict[str, Any]) -> str:
    """A node's fill colour: its role's for an import path, else its kind's."""
    role = attributes.get("role")
    if role == "definition":
        return FILLS["definition-path"]
    return FILLS.get(role or attributes.get("kind", ""), "#ffffff")
