"""Layout parity (construct's common()) and the fast decoder against the declarations."""

from __future__ import annotations

import struct

import pytest
from fdt_blobs import blob_params, valid_blob
from parity import common

from pvenum import _construct
from pvenum.fdt import build, layouts, parse
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
            name = tok.body.name.decode()
            if hdr.version < 16:
                name = name.rsplit("/", 1)[-1]
            if root is None:
                root = node = Node("", None)
            else:
                child = Node(name, node)
                node.children.append(child)
                node = child
        elif tok.tag == FDT_PROP:
            node.append_property(strings[tok.body.nameoff:].split(b"\0", 1)[0].decode(), tok.body.value)
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
