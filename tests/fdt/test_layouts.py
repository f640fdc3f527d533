"""Layout parity (construct's common()) and the fast decoder against the declarations."""

from __future__ import annotations

import struct

import pytest
from fdt_blobs import blob_params, u32, v17_blob, valid_blob
from parity import common

from pvenum import _construct
from pvenum.fdt import build, decoder, layouts, parse
from pvenum.fdt.check import read_header
from pvenum.fdt.constants import (
    FDT_BEGIN_NODE,
    FDT_END,
    FDT_END_NODE,
    FDT_MAGIC,
    FDT_NOP,
    FDT_PROP,
    header_size,
)
from pvenum.fdt.model import DeviceTree, Node

HEADER_VALUES = dict(magic=FDT_MAGIC, totalsize=0x1000, off_dt_struct=0x48, off_dt_strings=0x800,
                     off_mem_rsvmap=0x28, version=17, last_comp_version=16, boot_cpuid_phys=3,
                     size_dt_strings=0x40, size_dt_struct=0x7B8)


@pytest.mark.parametrize("version, size", [(1, 28), (2, 32), (3, 36), (16, 36), (17, 40)] +
                         [(v, header_size(v)) for v in range(4, 16)])
def test_header_layout_every_version(version, size):
    obj = dict(HEADER_VALUES, version=version)
    if version < 2:
        obj["boot_cpuid_phys"] = None
    if version < 3:
        obj["size_dt_strings"] = None
    if version < 17:
        obj["size_dt_struct"] = None
    present = [v for v in obj.values() if v is not None]
    data = struct.pack(f">{len(present)}I", *present)
    assert len(data) == size
    common(layouts.fdt_header, data, obj, fmt="dtb")


def test_reserve_entry_and_map():
    data = struct.pack(">QQ", 0x8000_0000, 0x1_0000)
    common(layouts.fdt_reserve_entry, data, {"address": 0x8000_0000, "size": 0x1_0000}, 16, fmt="dtb")
    # The map stops at the size-0 entry, whatever its address; RepeatUntil raises at EOF.
    two = data + struct.pack(">QQ", 0xDEAD, 0)
    parsed = _construct.parse(layouts.fdt_reserve_map, two + b"\xff" * 16, fmt="dtb")
    assert [(e.address, e.size) for e in parsed] == [(0x8000_0000, 0x1_0000), (0xDEAD, 0)]
    from pvenum.errors import ParseError

    with pytest.raises(ParseError):
        _construct.parse(layouts.fdt_reserve_map, data, fmt="dtb")


@pytest.mark.parametrize("name, padded", [(b"", b"\0\0\0\0"), (b"cpu@0", b"cpu@0\0\0\0"), (b"abc", b"abc\0")])
def test_begin_node_token(name, padded):
    data = struct.pack(">I", FDT_BEGIN_NODE) + padded
    common(layouts.fdt_token, data, {"tag": FDT_BEGIN_NODE, "body": {"name": name}}, version=17)


@pytest.mark.parametrize("tag", [FDT_END_NODE, FDT_NOP, FDT_END])
def test_payloadless_tokens(tag):
    common(layouts.fdt_token, struct.pack(">I", tag), {"tag": tag, "body": {}}, version=17)


@pytest.mark.parametrize("value", [b"", b"a", b"ab\0", b"abcd", b"0123456789"])
def test_property_token(value):
    data = struct.pack(">III", FDT_PROP, len(value), 0x1C) + value + b"\0" * (-len(value) % 4)
    common(layouts.fdt_token, data, {"tag": FDT_PROP, "body": {"len": len(value), "nameoff": 0x1C, "value": value}},
           version=17)


def test_property_token_pre_v16_alignment():
    # At block offset 0 the value would start at 12: before v16 an 8-byte value moves to 16.
    value = bytes(range(8))
    data = struct.pack(">III", FDT_PROP, 8, 4) + b"\0" * 4 + value
    common(layouts.fdt_token, data, {"tag": FDT_PROP, "body": {"len": 8, "nameoff": 4, "value": value}}, version=3)
    # Short values and v16+ are not moved.
    short = struct.pack(">III", FDT_PROP, 4, 4) + b"abcd"
    common(layouts.fdt_token, short, {"tag": FDT_PROP, "body": {"len": 4, "nameoff": 4, "value": b"abcd"}}, version=3)
    plain = struct.pack(">III", FDT_PROP, 8, 4) + value
    common(layouts.fdt_token, plain, {"tag": FDT_PROP, "body": {"len": 8, "nameoff": 4, "value": value}}, version=16)


def test_unknown_token_takes_the_raw_default():
    parsed = _construct.parse(layouts.fdt_token, struct.pack(">I", 5) + b"rest", fmt="dtb", version=17)
    assert parsed.tag == 5 and parsed.body == b""


# -- the fast decoder against the declarations, on real blobs --------------------------------


# One token and the stream position after it (Construct's Tell), to walk the block.
_token_at = _construct.c.Struct("token" / layouts.fdt_token, "end" / _construct.c.Tell)


def _tree_by_construct(data: bytes) -> DeviceTree:
    """Decode with nothing but the Construct declarations (slow, for comparison)."""
    hdr = _construct.parse(layouts.fdt_header, data, fmt="dtb")
    rsv = _construct.parse(layouts.fdt_reserve_map, data, fmt="dtb", offset=hdr.off_mem_rsvmap)
    end = hdr.off_dt_struct + hdr.size_dt_struct if hdr.version >= 17 else hdr.totalsize
    block = data[hdr.off_dt_struct:end]
    strings = data[hdr.off_dt_strings:]
    root = node = None
    off = 0
    while True:
        step = _construct.parse(_token_at, block, fmt="dtb", offset=off, version=hdr.version)
        tok, off = step.token, step.end
        if tok.tag == FDT_BEGIN_NODE:
            name = tok.body.name.decode("utf-8", "surrogateescape")
            if hdr.version < 16:
                name = name.rsplit("/", 1)[-1]
            if root is None:
                root = node = Node("", None)
            else:
                child = Node(name, node)
                node.children.append(child)
                node = child
        elif tok.tag == FDT_PROP:
            raw_name = strings[tok.body.nameoff:].split(b"\0", 1)[0]
            node.append_property(raw_name.decode("utf-8", "surrogateescape"), tok.body.value)
        elif tok.tag == FDT_END_NODE:
            node = node.parent
        elif tok.tag == FDT_END:
            break
        else:
            assert tok.tag == FDT_NOP
    return DeviceTree(root=root, reservations=[(e.address, e.size) for e in rsv[:-1]],
                      boot_cpuid_phys=hdr.boot_cpuid_phys or 0)


@pytest.mark.parametrize("path", blob_params())
def test_decoder_agrees_with_declarations(path):
    data = valid_blob(path)
    assert parse(data).same_as(_tree_by_construct(data))


# The fused reading: one unpack_from gives a property's value and the next token's header.
FUSED_LENGTHS = sorted({*range(33), 63, 64, 65, 255, 256, 511, decoder._FUSED_MAX})


def _prop_token(length: int, nameoff: int, value: bytes) -> bytes:
    obj = {"tag": FDT_PROP, "body": {"len": length, "nameoff": nameoff, "value": value}}
    return _construct.build(layouts.fdt_token, obj, fmt="dtb", version=17)


@pytest.mark.parametrize("length", FUSED_LENGTHS)
def test_fused_property_reading_is_the_declared_token(length):
    """What the decoder reads in one call == a property token built by the declaration, then
    the header of the declared token after it; ``step`` == the declared token's size."""
    value = bytes((7 * i + 1) & 0xFF for i in range(length))
    token = _prop_token(length, 0x1C, value)
    after = _prop_token(5, 0x2A, b"abcde")
    unpack, step = decoder._fused_reading(length)
    assert step == len(token)
    assert unpack(token + after, 0) == (value, FDT_PROP, 5, 0x2A)
    assert unpack(b"\xee" * 8 + token + after, 8) == (value, FDT_PROP, 5, 0x2A)
    # When the next header is cut, the one call fails (the decoder then slices the value).
    with pytest.raises(struct.error):
        unpack(token + after[:11], 0)


def _begin(name: bytes) -> bytes:
    return u32(FDT_BEGIN_NODE) + name + b"\0" * (4 - len(name) % 4)


def test_decoder_paths_agree_with_declarations():
    """A blob that takes every path of the decoder loop: values longer than the fused readings
    (sliced), a property as the last token before FDT_END_NODE/FDT_END (its next header does
    not fit), properties after a subnode and FDT_NOPs between tokens (no header reuse after
    FDT_END_NODE), consecutive FDT_END_NODEs (header reuse), names beyond ASCII in both the
    structure and the strings block (read as UTF-8, other bytes kept as surrogates)."""
    strings = b"a\0bb\0pr\xc3\xb6p\0\xfe\0"  # offsets 0, 2, 5, 11
    long_value = bytes(range(256)) * 4 + b"xyz"  # 1027 bytes: past the fused cache
    block = (
        _begin(b"")
        + _prop_token(len(long_value), 0, long_value)
        + _begin(b"n\xc3\xa9@1") + _prop_token(0, 2, b"") + _begin(b"x\xff") + u32(FDT_END_NODE) + u32(FDT_END_NODE)
        + _prop_token(3, 5, b"abc")  # after a subnode
        + u32(FDT_NOP)
        + _prop_token(decoder._FUSED_MAX + 1, 11, b"\x01" * (decoder._FUSED_MAX + 1))
        + _begin(b"plain") + _begin(b"inner") + u32(FDT_NOP) + _prop_token(4, 2, b"\0\0\0\x07")
        + u32(FDT_END_NODE) + u32(FDT_END_NODE)
        + _prop_token(5, 0, b"last\0")  # only FDT_END_NODE and FDT_END follow: 8 bytes
        + u32(FDT_END_NODE, FDT_END)
    )
    blob = v17_blob(block, strings)
    declared = _tree_by_construct(blob)
    decoder._FUSED.clear()  # a cache: the first parse slices every value, the second is fused
    assert parse(blob).same_as(declared)
    tree = parse(blob)
    assert tree.same_as(declared)
    root = tree.root
    assert root.property_items() == [("a", long_value), ("pr\u00f6p", b"abc"),
                                     ("\udcfe", b"\x01" * (decoder._FUSED_MAX + 1)), ("a", b"last\0")]
    assert root.properties["a"] == long_value  # a repeated name: the first wins (fdt_getprop)
    assert [n.name for n in root.children] == ["n\u00e9@1", "plain"]
    assert [n.name.encode("utf-8", "surrogateescape") for n in root.walk()][1:] == \
        [b"n\xc3\xa9@1", b"x\xff", b"plain", b"inner"]
    assert tree.get_node("/plain/inner").properties == {"bb": b"\0\0\0\x07"}
    assert parse(build(tree)).same_as(tree)


@pytest.mark.parametrize("path", blob_params())
def test_builder_tokens_are_the_declared_tokens(path):
    """pvenum's packed struct block == the same tokens built with the declarations."""
    tree = parse(valid_blob(path))
    blob = build(tree)
    hdr = read_header(blob)
    block = blob[hdr.off_dt_struct:hdr.off_dt_struct + hdr.size_dt_struct]
    rebuilt = bytearray()
    off = 0
    while off < len(block):
        tok = _construct.parse(layouts.fdt_token, block, fmt="dtb", offset=off, version=17)
        piece = _construct.build(layouts.fdt_token, tok, fmt="dtb", version=17)
        rebuilt += piece
        off += len(piece)
    assert bytes(rebuilt) == block
    header = _construct.build(layouts.fdt_header, hdr.to_json(), fmt="dtb")
    assert header == blob[:40]
