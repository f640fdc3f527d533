"""pvenum/_construct.py's parse helper: an error points at the start of the field that failed and
names its field path — not at where the stream stopped."""

from __future__ import annotations

import pytest

from pvenum import _construct
from pvenum._construct import c
from pvenum.errors import ParseError

LAYOUT = c.Struct("a" / c.Int16ub, "b" / c.Int16ub, "c" / c.Int32ub)


def _error(layout, data: bytes, **kw) -> ParseError:
    with pytest.raises(ParseError) as info:
        _construct.parse(layout, data, fmt="test", **kw)
    return info.value


def test_truncated_field_is_reported_at_its_start():
    # b starts at 0x02 and needs two bytes; one is there. The stream stops at 0x03.
    err = _error(LAYOUT, b"\x00\x01\x02")
    assert err.offset == 0x02 and err.field == "b"
    assert str(err).startswith("<input>: test at offset 0x02: b: ")


def test_field_missing_entirely_is_reported_where_it_would_start():
    err = _error(LAYOUT, b"\x00\x01\x02\x03")
    assert (err.offset, err.field) == (0x04, "c")


def test_offsets_are_absolute_when_parsing_from_inside_a_blob():
    err = _error(LAYOUT, b"\xff" * 0x10 + b"\x00\x01\x02\x03\x04", offset=0x10)
    assert (err.offset, err.field) == (0x14, "c")


def test_a_wrong_constant_points_at_the_constant():
    layout = c.Struct("len" / c.Int8ub, "magic" / c.Const(b"PV"), "rest" / c.Bytes(2))
    err = _error(layout, b"\x02PX\x00\x00")
    assert (err.offset, err.field) == (0x01, "magic")


def test_nested_field_path_is_kept():
    layout = c.Struct("header" / c.Struct("sig" / c.Bytes(4), "length" / c.Int32ul), "body" / c.Bytes(4))
    err = _error(layout, b"APIC\x30\x00")
    assert (err.offset, err.field) == (0x04, "header.length")
