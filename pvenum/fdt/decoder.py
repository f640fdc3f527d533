"""Fast DTB decoder: bytes -> :class:`~pvenum.fdt.model.DeviceTree`.

One tight ``struct.unpack_from`` loop over the structure block (the token layouts are
declared in :mod:`pvenum.fdt.layouts`; a test proves both read real blobs the same way).
It accepts exactly what :func:`pvenum.fdt.check.check_full` accepts: when the loop meets
anything wrong it asks the checker for the first problem, so the error a user sees names
the same libfdt error code and offset that ``pvenum validate`` reports.

Hostile input is bounded before anything is allocated from it: header offsets and sizes are
checked against the bytes present, every value length against the structure block, and the
tree is capped in depth, nodes and properties (:class:`~pvenum.errors.LimitError`).
"""

from __future__ import annotations

import struct

from ..errors import LimitError, ParseError
from . import check
from .constants import (
    FDT_BEGIN_NODE,
    FDT_END,
    FDT_END_NODE,
    FDT_NOP,
    FDT_PROP,
    MAX_DEPTH,
    MAX_NODES,
    MAX_PROPERTIES,
)
from .model import DeviceTree, Node

FMT = "dtb"
MAX_RESERVATIONS = 65_536

_TAG = struct.Struct(">I").unpack_from
_PROP = struct.Struct(">III").unpack_from  # tag, len, nameoff


class _Bad(Exception):
    """Raised inside the loop; turned into the checker's first problem."""

    def __init__(self, offset: int, message: str) -> None:
        self.offset = offset
        self.message = message


def _error_from_checker(data: bytes, fallback: _Bad) -> ParseError:
    problem = check.first_error(data)
    if problem is None:  # pragma: no cover - the two walkers disagree: say so, do not crash
        return ParseError(FMT, fallback.message, offset=fallback.offset)
    return ParseError(FMT, f"{problem.message} [{problem.check}]", offset=problem.offset)


def decode(data: bytes) -> DeviceTree:
    """Decode a whole DTB. Raises ParseError (libfdt's verdict) or LimitError."""
    if not isinstance(data, (bytes, bytearray, memoryview)):
        raise TypeError(f"expected bytes, got {type(data).__name__}")
    data = bytes(data)
    hdr = check.read_header(data)
    problems = check.check_header(data, hdr)
    if problems:
        p = problems[0]
        raise ParseError(FMT, f"{p.message} [{p.check}]", offset=p.offset)
    count, end = check.scan_reservations(data, hdr)
    if end is None:
        p = check.check_reservations(data, hdr)[0]
        raise ParseError(FMT, f"{p.message} [{p.check}]", offset=p.offset)
    if count > MAX_RESERVATIONS:
        raise LimitError(FMT, f"more than {MAX_RESERVATIONS} memory reservations", offset=hdr.off_mem_rsvmap)
    try:
        root = _decode_struct(data, hdr)
    except _Bad as bad:
        raise _error_from_checker(data, bad) from None
    return DeviceTree(
        root=root,
        reservations=check.reservations(data, hdr, count),
        boot_cpuid_phys=hdr.boot_cpuid_phys if hdr.version >= 2 else 0,
        header=hdr,
    )


def _decode_struct(data: bytes, hdr) -> Node:  # type: ignore[no-untyped-def]
    base = hdr.off_dt_struct
    limit = check.struct_limit(hdr)
    old = hdr.version < 16
    find = data.find
    tag_at = _TAG
    prop_at = _PROP
    names: dict[int, str] = {}
    root: Node | None = None
    node: Node | None = None
    depth = nodes = props = 0
    off = base
    while True:
        if off + 12 <= limit:
            tag, length, nameoff = prop_at(data, off)
        elif off + 4 <= limit:
            tag = tag_at(data, off)[0]
            if tag == FDT_PROP:
                raise _Bad(off, "property header runs past the structure block")
        else:
            raise _Bad(off, "structure block ends before FDT_END")

        if tag == FDT_PROP:
            vstart = off + 12
            if old and length >= 8 and (vstart - base) & 7:
                vstart += 4
            vend = vstart + length
            if vend > limit:
                raise _Bad(off, "property value runs past the structure block")
            name = names.get(nameoff)
            if name is None:
                name, bad = check.string_at(data, hdr, nameoff)
                if bad is not None:
                    raise _Bad(off + 8, bad.message)
                names[nameoff] = name  # type: ignore[assignment]
            if node is None:
                raise _Bad(off, "property outside any node")
            value = data[vstart:vend]
            nprops = node.properties
            if name in nprops or node._all_props is not None:
                node.append_property(name, value)  # type: ignore[arg-type]
            else:
                nprops[name] = value  # type: ignore[index]
            props += 1
            if props > MAX_PROPERTIES:
                raise LimitError(FMT, f"more than {MAX_PROPERTIES} properties", offset=off)
            off = (vend + 3) & ~3
        elif tag == FDT_BEGIN_NODE:
            nul = find(b"\0", off + 4, limit)
            if nul < 0:
                raise _Bad(off, "node name runs past the structure block")
            raw_name = data[off + 4:nul]
            if node is None:
                if root is not None:
                    raise _Bad(off, "a second root node")
                leaf = raw_name.rsplit(b"/", 1) if old else [raw_name]
                if (old and len(leaf) == 1) or leaf[-1]:
                    raise _Bad(off, "root node has a name")
                root = node = Node("", None)
            else:
                name = raw_name.decode("utf-8", "surrogateescape")
                if old and "/" in name:
                    # Before v16 the name is the full path; libfdt reads its last component.
                    name = name.rsplit("/", 1)[1]
                child = Node(name, node)
                node.children.append(child)
                node = child
            depth += 1
            nodes += 1
            if depth > MAX_DEPTH:
                raise LimitError(FMT, f"nodes nested deeper than {MAX_DEPTH}", offset=off)
            if nodes > MAX_NODES:
                raise LimitError(FMT, f"more than {MAX_NODES} nodes", offset=off)
            off = (nul + 4) & ~3
        elif tag == FDT_END_NODE:
            if node is None:
                raise _Bad(off, "FDT_END_NODE with no node open")
            node = node.parent
            depth -= 1
            off += 4
        elif tag == FDT_NOP:
            if node is None and root is not None:
                raise _Bad(off, "token after the root node")
            off += 4
        elif tag == FDT_END:
            if node is not None or root is None:
                raise _Bad(off, "FDT_END in the wrong place")
            return root
        else:
            raise _Bad(off, f"unknown token 0x{tag:08x}")
