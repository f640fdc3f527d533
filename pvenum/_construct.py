"""The one door to Construct.

Every Construct parse and build in pvenum goes through :func:`parse` / :func:`build`, which
turn Construct's exceptions into :class:`~pvenum.errors.ParseError` carrying the format, the
absolute byte offset and the field path (pyelftools' ``struct_parse`` idea). Keeping
Construct behind this adapter also keeps the pin (2.10.70) cheap to change.

Rules for layouts: every variable-length part is bounded by its length field,
every ``Switch`` has an explicit raw-bytes default, no ``GreedyRange`` over untrusted data.
"""

from __future__ import annotations

import io
from typing import Any

import construct as c

from .errors import ParseError

__all__ = ["parse", "build", "raw_default", "plain", "c"]


def _field_path(err: c.ConstructError) -> str | None:
    path = getattr(err, "path", None)
    if not path:
        return None
    # "(parsing) -> header -> length" -> "header.length"
    parts = [p.strip() for p in str(path).split("->")]
    parts = [p for p in parts if p and not p.startswith("(")]
    return ".".join(parts) or None


def _message(err: c.ConstructError) -> str:
    text = str(err)
    # Construct prefixes "Error in path ...\n"; keep the part that says what is wrong.
    if "\n" in text:
        text = text.split("\n", 1)[1]
    return text


class _FieldStream(io.BytesIO):
    """A stream that remembers where its last read began.

    Construct reads each field with one ``read(n)``; when that field fails (too few bytes, a
    Const or Enum mismatch) the stream has already moved past what was read, so ``tell()``
    points into or after the field. The start of the last read is the start of the field that
    failed (of its enclosing fixed-size block when the layout parses a sub-stream)."""

    read_start = 0

    def read(self, size: int | None = -1) -> bytes:
        self.read_start = self.tell()
        return super().read(size)


def parse(layout: c.Construct, data: bytes, *, fmt: str, offset: int = 0, **context: Any) -> Any:
    """Parse ``data[offset:]`` with ``layout``; errors become ParseError at the start of the
    field that failed, with its field path."""
    if offset < 0 or offset > len(data):
        raise ParseError(fmt, f"structure starts past the end of {len(data)} bytes", offset=offset)
    stream = _FieldStream(data)
    stream.seek(offset)
    stream.read_start = offset
    try:
        return layout.parse_stream(stream, **context)
    except c.ConstructError as err:
        raise ParseError(fmt, _message(err), offset=stream.read_start, field=_field_path(err)) from None


def build(layout: c.Construct, obj: Any, *, fmt: str, **context: Any) -> bytes:
    """Build ``obj`` with ``layout``; errors become ParseError naming the field."""
    try:
        return layout.build(obj, **context)
    except c.ConstructError as err:
        raise ParseError(fmt, f"cannot build: {_message(err)}", field=_field_path(err)) from None


def plain(obj: Any) -> Any:
    """A parsed Container as plain dicts and lists, recursively (no ``_io`` or other private keys)."""
    if isinstance(obj, dict):
        return {k: plain(v) for k, v in obj.items() if not str(k).startswith("_")}
    if isinstance(obj, list):
        return [plain(v) for v in obj]
    return obj


def raw_default(length_expr: Any) -> c.Construct:
    """The explicit unknown branch of a Switch: the bounded bytes, kept as they are."""
    return c.Bytes(length_expr)
