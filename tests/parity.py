"""Layout parity, after construct's own tests (tests/declarativeunittest.py `common`).

For every declared layout: parse(data) == obj, build(obj) == data, and sizeof == size (when
the layout has a static size). Use it for every layout pvenum declares.
"""

from __future__ import annotations

from typing import Any

from pvenum import _construct
from pvenum._construct import plain


def common(layout: Any, data: bytes, obj: Any, size: int | None = None, *, fmt: str = "test", **ctx: Any) -> None:
    parsed = _construct.parse(layout, data, fmt=fmt, **ctx)
    assert plain(parsed) == plain(obj)
    assert _construct.build(layout, obj, fmt=fmt, **ctx) == data
    if size is not None:
        assert layout.sizeof(**ctx) == size
