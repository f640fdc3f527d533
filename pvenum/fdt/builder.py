"""DeviceTree -> DTB bytes, laid out the way dtc lays out its output.

dtc's writer (flattree.c ``dt_to_blob``/``make_fdt_header``): header; reservation map at
``ALIGN(header size, 8)`` (0x28 for v17) ending in a zero entry; structure block; strings
block; then optional padding, all counted in ``totalsize``. ``last_comp_version`` is 16 for
v16/v17 and 1 for v1-v3.

String table: a property name is looked up as ``name + NUL`` anywhere in the table built so
far and reuses the first match, else it is appended. That is dtc's ``stringtable_insert``
(and libfdt's ``fdt_find_string_``): it shares exact repeats and also *suffixes* of names
already present (``size-cells`` can point into ``#size-cells``), but only of names inserted
earlier in document order, so it is not the optimal suffix packing. Matching dtc's choice
is what makes ``build(parse(x)) == x`` byte for byte for dtc-built blobs.

Versions before 16 are written as dtc writes them: full paths as node names, a ``name``
property added to nodes that lack one, and 8-byte alignment of values of 8 bytes or more.
"""

from __future__ import annotations

import struct

from .. import _construct
from ..errors import PvenumError
from . import layouts
from .constants import (
    DEFAULT_VERSION,
    DTC_VERSIONS,
    FDT_BEGIN_NODE,
    FDT_END,
    FDT_END_NODE,
    FDT_MAGIC,
    FDT_PROP,
    INT_MAX,
    RESERVE_ENTRY_SIZE,
    align,
    header_size,
)
from .model import DeviceTree, Node, Reservation

_U32 = struct.Struct(">I").pack
_PROP_HDR = struct.Struct(">III").pack
_END_NODE = _U32(FDT_END_NODE)


class StringTable:
    """dtc's string table: first match of ``name\\0`` in the table so far, else append."""

    def __init__(self) -> None:
        self.data = bytearray()
        self._offsets: dict[str, int] = {}

    def offset(self, name: str) -> int:
        # The first lookup of a name fixes its offset (a later search would find the same
        # first occurrence), so a dict keeps dtc's O(n) scan to once per distinct name.
        off = self._offsets.get(name)
        if off is None:
            key = _name_bytes(name, "property") + b"\0"
            off = self.data.find(key)
            if off < 0:
                off = len(self.data)
                self.data += key
            self._offsets[name] = off
        return off


def _name_bytes(name: str, what: str) -> bytes:
    raw = name.encode("utf-8", "surrogateescape")
    if b"\0" in raw:
        raise PvenumError(f"cannot build: {what} name {name!r} contains NUL")
    return raw


def build_struct(root: Node, strings: StringTable, version: int) -> bytes:
    """The structure block (FDT_END included) for ``root``; names go into ``strings``."""
    old = version < 16
    out = bytearray()
    append = out.extend
    # Iterative walk: ("open", node) emits the node and schedules its children and its close.
    stack: list[tuple[bool, Node]] = [(True, root)]
    while stack:
        opening, node = stack.pop()
        if not opening:
            append(_END_NODE)
            continue
        name = _name_bytes(node.path if old else node.name, "node")
        append(_U32(FDT_BEGIN_NODE))
        append(name)
        append(b"\0" * (4 - len(name) % 4))  # NUL terminator + padding to 4
        items = node.property_items()
        if old and "name" not in node.properties:
            # dtc (FTF_NAMEPROPS) adds the node's name without unit address.
            items.append(("name", node.name_property()))
        for pname, value in items:
            if not isinstance(value, (bytes, bytearray)):
                raise PvenumError(f"cannot build: {node.path}:{pname} is {type(value).__name__}, not bytes")
            n = len(value)
            append(_PROP_HDR(FDT_PROP, n, strings.offset(pname)))
            if old and n >= 8 and len(out) % 8:
                append(b"\0\0\0\0")
            append(value)
            if n % 4:
                append(b"\0" * (4 - n % 4))
        stack.append((False, node))
        stack.extend((True, child) for child in reversed(node.children))
    append(_U32(FDT_END))
    return bytes(out)


def build(
    tree: DeviceTree,
    *,
    version: int = DEFAULT_VERSION,
    padding: int = 0,
    align_to: int = 0,
    boot_cpuid_phys: int | None = None,
    reservations: list[Reservation] | None = None,
) -> bytes:
    """The DTB for ``tree``, as ``dtc -O dtb -V version [-p padding] [-a align_to]`` writes it.

    ``boot_cpuid_phys`` and ``reservations`` default to the tree's own.
    """
    if version not in DTC_VERSIONS:
        raise ValueError(f"dtc writes versions {sorted(DTC_VERSIONS)}, not {version}")
    if padding < 0 or align_to < 0 or (align_to and align_to & (align_to - 1)):
        raise ValueError("padding must be >= 0 and align_to a power of two")
    boot = tree.boot_cpuid_phys if boot_cpuid_phys is None else boot_cpuid_phys
    rsv = list(tree.reservations if reservations is None else reservations)
    for i, (_address, size) in enumerate(rsv):
        if size == 0:
            raise PvenumError(f"cannot build: reservation {i} has size 0, which would end the map early")
    strings = StringTable()
    dt_struct = build_struct(tree.root, strings, version)
    dt_strings = bytes(strings.data)

    hsize = header_size(version)
    off_mem_rsvmap = align(hsize, 8)
    rsvmap = b"".join(
        _construct.build(layouts.fdt_reserve_entry, {"address": a, "size": s}, fmt="dtb")
        for a, s in rsv
    ) + b"\0" * RESERVE_ENTRY_SIZE
    off_dt_struct = off_mem_rsvmap + len(rsvmap)
    off_dt_strings = off_dt_struct + len(dt_struct)
    used = off_dt_strings + len(dt_strings)
    pad = padding
    if align_to:
        pad = align(used + pad, align_to) - used
    totalsize = used + pad
    if totalsize > INT_MAX:
        raise PvenumError(f"cannot build: {totalsize} bytes is more than a DTB can hold")
    header = _construct.build(
        layouts.fdt_header,
        {
            "magic": FDT_MAGIC,
            "totalsize": totalsize,
            "off_dt_struct": off_dt_struct,
            "off_dt_strings": off_dt_strings,
            "off_mem_rsvmap": off_mem_rsvmap,
            "version": version,
            "last_comp_version": DTC_VERSIONS[version],
            "boot_cpuid_phys": boot,
            "size_dt_strings": len(dt_strings),
            "size_dt_struct": len(dt_struct),
        },
        fmt="dtb",
    )
    return b"".join((
        header,
        b"\0" * (off_mem_rsvmap - len(header)),
        rsvmap,
        dt_struct,
        dt_strings,
        b"\0" * pad,
    ))
