"""Views of pvenum's results: rich terminal output, Markdown, JSON."""

from __future__ import annotations

from typing import Any


def num_text(v: Any) -> str:
    """A value as every pvenum view shows it: small integers in decimal, the rest in hex,
    booleans spelled as TOML and JSON spell them."""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return f"0x{v:x}" if v > 9 else str(v)
    return str(v)
