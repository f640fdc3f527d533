"""Layout parity, after construct's own tests (tests/declarativeunittest.py `common`).

For every declared layout: parse(data) == obj, build(obj) == data, and sizeof == size (when
the layout has a static size). Use it for every layout pvenum declares.
"""

from __future__ import annotations

from typing import Any

from pvenum import _construct


def _plain(obj: Any) -> Any:
    # construct Containers carry an `_io` key and ListContainers; compare plain values.
    if isinstance(obj, dict):
        return {k: _plain(v) for k, v in obj.items() if not str(k).startswith("_")}
    if isinstance(obj, list):
        return [_plain(v) for v in obj]
    return obj


def common(layout: Any, data: bytes, obj: Any, size: int | None = None, *, fmt: str = "test", **ctx: Any) -> None:
    parsed = _construct.parse(layout, data, fmt=fmt, **ctx)
    assert _plain(parsed) == _plain(obj)
    assert _construct.build(layout, obj, fmt=fmt, **ctx) == data
    if size is not None:
        assert _construct.sizeof(layout, **ctx) == size
