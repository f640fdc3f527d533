"""Views of pvenum's results: rich terminal output, Markdown, JSON."""

from __future__ import annotations

TYPE_CHECKING = False  # typing is not imported at run time (start-up: pvenum/_io.py)
if TYPE_CHECKING:  # pragma: no cover
    from typing import Any


def num_text(v: Any) -> str:
    """A value as every pvenum view shows it: small integers in decimal, the rest in hex,
    booleans spelled as TOML and JSON spell them, nothing as "(none)", a record as
    ``{key: value, ...}`` of the same — never a Python literal (None, True, {'a': 1})."""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return f"0x{v:x}" if v > 9 else str(v)
    if v is None:
        return "(none)"
    if isinstance(v, dict):
        return "{" + ", ".join(f"{k}: {num_text(x)}" for k, x in v.items()) + "}"
    if isinstance(v, (list, tuple)):
        return "[" + ", ".join(num_text(x) for x in v) + "]"
    return str(v)
