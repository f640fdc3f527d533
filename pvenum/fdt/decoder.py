"""Fast DTB decoder: bytes -> :class:`~pvenum.fdt.model.DeviceTree`.

One tight ``struct.unpack_from`` loop over the structure block (the token layouts are
declared in :mod:`pvenum.fdt.layouts`; tests/fdt/test_layouts.py proves both read real blobs
the same way). Each property takes one call, which reads its value together with the header
of the token after it (a struct program per value length, checked against the declaration),
and an FDT_END_NODE reuses the words its own header read already holds.
It accepts exactly what :func:`pvenum.fdt.check.check_full` accepts: when the loop meets
anything wrong it asks the checker for the first problem, so the error a user sees names
the same libfdt error code and offset that ``pvenum validate`` reports.

Hostile input is bounded before anything is allocated from it: header offsets and sizes are
checked against the bytes present, every read against the end of the structure block (proven
once for the whole loop, see :func:`_decode_struct`), and the tree is capped in depth, nodes
and properties (:class:`~pvenum.errors.LimitError`).
"""

from __future__ import annotations

import struct
from weakref import ref

from ..errors import LimitError, ParseError
from . import check
from .constants import (
    FDT_BEGIN_NODE,
    FDT_END,
    FDT_NOP,
    MAX_DEPTH,
    MAX_NODES,
    MAX_PROPERTIES,
)
from .model import DeviceTree, Header, Node

TYPE_CHECKING = False  # typing is not imported at run time (start-up: pvenum/_io.py)
if TYPE_CHECKING:  # pragma: no cover
    from typing import Callable

FMT = "dtb"
MAX_RESERVATIONS = 65_536

_TAG = struct.Struct(">I").unpack_from
_PROP = struct.Struct(">III").unpack_from  # tag, len, nameoff


class _Bad(Exception):
    """Raised inside the loop; turned into the checker's first problem."""

    def __init__(self, offset: int, message: str) -> None:
        self.offset = offset
        self.message = message


def _refused(data: bytes, fallback: _Bad | None = None) -> ParseError:
    """The checker's first error, as the ParseError parse raises."""
    problem = check.first_error(data)
    if problem is None:  # pragma: no cover - the two walkers disagree: say so, do not crash
        bad = fallback or _Bad(0, "refused, but the checker finds no error")
        return ParseError(FMT, bad.message, offset=bad.offset)
    return ParseError(FMT, f"{problem.message} [{problem.check}]", offset=problem.offset)


def decode(data: bytes) -> DeviceTree:
    """Decode a whole DTB. Raises ParseError (libfdt's verdict) or LimitError."""
    if not isinstance(data, (bytes, bytearray, memoryview)):
        raise TypeError(f"expected bytes, got {type(data).__name__}")
    data = bytes(data)
    hdr = check.read_header(data)
    if check.check_header(data, hdr):
        raise _refused(data)
    count, end = check.scan_reservations(data, hdr)
    if end is None:
        raise _refused(data)
    if count > MAX_RESERVATIONS:
        raise LimitError(FMT, f"more than {MAX_RESERVATIONS} memory reservations", offset=hdr.off_mem_rsvmap)
    _check_counts(data, hdr)
    try:
        root = _decode_struct(data, hdr)
    except _Bad as bad:
        raise _refused(data, bad) from None
    return DeviceTree(
        root=root,
        reservations=check.reservations(data, hdr, count),
        boot_cpuid_phys=hdr.boot_cpuid_phys if hdr.has("boot_cpuid_phys") else 0,
        header=hdr,
    )


def _check_counts(data: bytes, hdr: Header) -> None:
    """LimitError before allocating, when the structure block is big enough to exceed the caps.

    Every node takes at least 8 bytes of structure block and every property 12, so blocks
    below that size cannot exceed the caps and skip this count (the decode loop stays lean).
    """
    size = check.struct_limit(hdr) - hdr.off_dt_struct
    if size < 8 * min(MAX_NODES, MAX_PROPERTIES):
        return
    nodes, props = check.count_tokens(data, hdr)
    if nodes > MAX_NODES:
        raise LimitError(FMT, f"more than {MAX_NODES} nodes", offset=hdr.off_dt_struct)
    if props > MAX_PROPERTIES:
        raise LimitError(FMT, f"more than {MAX_PROPERTIES} properties", offset=hdr.off_dt_struct)


# Decode the whole strings block up front when it is of a plausible size (real ones are a few
# KiB): one split is cheaper than one lookup per distinct name offset.
_PREDECODE_STRINGS = 256 * 1024


def _names_table(data: bytes, hdr: Header) -> dict[int, str]:
    """nameoff -> name for every string that starts a strings-block entry. Offsets into the
    middle of an entry (dtc's suffix sharing) and bad offsets are looked up on demand."""
    start = hdr.off_dt_strings
    size = min(hdr.size_dt_strings, hdr.totalsize - start)
    if size > _PREDECODE_STRINGS:
        return {}
    names: dict[int, str] = {}
    pos = 0
    for raw in data[start:start + size].split(b"\0")[:-1]:  # the last piece has no NUL
        names[pos] = raw.decode("utf-8", "surrogateescape")
        pos += len(raw) + 1
    return names


def _read_tag(data: bytes, off: int, limit: int) -> int:
    if off + 4 > limit:
        raise _Bad(off, "structure block ends before FDT_END")
    return _TAG(data, off)[0]


def _header(view: bytes, off: int, limit: int) -> tuple[int, int, int]:
    """(tag, len, nameoff) of the token at ``off``; near the end of the block, where only a
    4-byte token fits, (tag, -1, -1)."""
    try:
        return _PROP(view, off)
    except struct.error:
        tag = _read_tag(view, off, limit)
        if tag == 3:  # FDT_PROP
            raise _Bad(off, "property header runs past the structure block") from None
        return tag, -1, -1


# A whole FDT_PROP token whose value has one length, read together with the header of the
# token after it: one unpack_from per property instead of a value slice and a header read.
# The layout is fdt_token/fdt_property in pvenum.fdt.layouts (v16+: no value alignment);
# tests/fdt/test_layouts.py builds every cached length with the declaration and checks this
# reading against it. A reading is (unpack_from, step): the bound method (the interpreter
# calls it faster than a method looked up per call) and the token's size, header, value and
# padding to 4 included, which is where the next token starts.
if TYPE_CHECKING:  # pragma: no cover
    Fused = tuple[Callable[[bytes, int], tuple[bytes, int, int, int]], int]


def _fused_reading(length: int) -> Fused:
    pad = -length % 4
    # tag, len, nameoff (skipped: already read); value; padding; the next tag, len, nameoff
    return struct.Struct(f">12x{length}s{pad}xIII").unpack_from, 12 + length + pad


# Made on first use: 99.97% of the values in the kernel corpus are at most 512 bytes; longer
# ones are sliced, so the cache stays small whatever a blob holds.
_FUSED_MAX = 512
_FUSED: dict[int, Fused] = {}


def _value(view: bytes, off: int, length: int, base: int, old: bool) -> tuple[bytes, int]:
    """(value, offset of the next token) of the FDT_PROP token at ``off``, by slicing: pre-v16
    blobs (whose values may be moved to 8-byte alignment), lengths not cached yet, and the last
    tokens of the block. A value cut by the end of the block leaves the next offset past it."""
    vstart = off + 12
    if old and length >= 8 and (vstart - base) & 7:
        # Before v16, values of 8 bytes or more start 8-aligned in the block (libfdt
        # fdt_next_tag(), dtc FTF_VARALIGN).
        vstart += 4
    elif not old and length <= _FUSED_MAX and length not in _FUSED:
        _FUSED[length] = _fused_reading(length)  # the next one of this length is fused
    vend = vstart + length
    return view[vstart:vend], (vend + 3) & -4


def _decode_struct(data: bytes, hdr: Header) -> Node:
    """The structure block as a Node tree; _Bad on the first malformed token."""
    base = hdr.off_dt_struct
    limit = check.struct_limit(hdr)
    old = hdr.version < 16

    # Before the root: only NOPs may precede FDT_BEGIN_NODE (libfdt also lets properties
    # and FDT_END through here; dtc does not, and pvenum cannot hold them).
    off = base
    tag = _read_tag(data, off, limit)
    while tag == FDT_NOP:
        off += 4
        tag = _read_tag(data, off, limit)
    if tag != FDT_BEGIN_NODE:
        raise _Bad(off, "the structure block does not start with the root node")
    nul = data.find(b"\0", off + 4, limit)
    if nul < 0:
        raise _Bad(off, "root node name runs past the structure block")
    raw_name = data[off + 4:nul]
    if old:
        if b"/" not in raw_name or raw_name.rsplit(b"/", 1)[1]:
            raise _Bad(off, "root node has a name")
    elif raw_name:
        raise _Bad(off, "root node has a name")
    root = node = Node("", None)
    nprops = node.properties
    off = (nul + 4) & -4

    # From here `node` is never None: the root's FDT_END_NODE leaves the loop.
    # `view` ends at the structure block's limit, which proves every bound once: a read that
    # does not fit raises struct.error (the fused reading of a property included), and a
    # value sliced past the limit leaves `off` past it, so the very next header read raises
    # before that (cut) value can escape; the loop only leaves through a token it has read.
    view = data[:limit]
    # Node names are sliced from one latin-1 str of the same bytes (offsets equal, no bytes
    # object and no decode call per node); a name with a byte above 0x7f is decoded from the
    # bytes as UTF-8 instead.
    text = view.decode("latin-1")
    find = text.find
    names = _names_table(data, hdr)
    # Pre-v16 value alignment depends on where the value lies, so those blobs slice every value.
    fused = {} if old else _FUSED
    new_node = Node.__new__
    open_nodes: list[Node] = []  # the ancestors of `node`, root first
    weak = ref
    max_depth = MAX_DEPTH
    prop_at = _PROP
    tag, length, nameoff = _header(view, off, limit)
    while True:
        # A run of properties (literals: this loop runs ~10^6 times per corpus); each fused
        # reading also returns the next token's header.
        while tag == 3:  # FDT_PROP
            try:
                name = names[nameoff]
            except KeyError:
                name, bad = check.string_at(data, hdr, nameoff)
                if bad is not None:
                    raise _Bad(off + 8, bad.message) from None
                names[nameoff] = name  # type: ignore[assignment]
            try:
                unpack, step = fused[length]
                value, tag, length, nameoff = unpack(view, off)
                off += step
            except (KeyError, struct.error):
                value, off = _value(view, off, length, base, old)
                tag, length, nameoff = _header(view, off, limit)
            if name in nprops:
                node.append_property(name, value)  # type: ignore[arg-type]
            else:
                nprops[name] = value
        if tag == 2:  # FDT_END_NODE
            off += 4
            if not open_nodes:
                break
            node = open_nodes.pop()
            nprops = node.properties
            if length == 2 or length == 1:
                # The header read at this FDT_END_NODE holds the next token's tag and the word
                # after it; FDT_END_NODE and FDT_BEGIN_NODE need nothing more.
                tag = length
                length = nameoff
                nameoff = -1
                continue
        elif tag == 1:  # FDT_BEGIN_NODE
            start = off + 4
            nul = find("\0", start)
            if nul < 0:
                raise _Bad(off, "node name runs past the structure block")
            name = text[start:nul]
            if not name.isascii():
                name = view[start:nul].decode("utf-8", "surrogateescape")
            if old and "/" in name:
                # Before v16 the name is the full path; libfdt reads its last component.
                name = name.rsplit("/", 1)[1]
            # Node() without __init__: the four slots every node needs, nothing else. The
            # parent link is Node's weak reference (one weakref.ref per parent: CPython hands
            # back the same object for each sibling); the loop climbs back through open_nodes.
            child = new_node(Node)
            child.name = name
            child._up = weak(node)
            child.children = []
            child.properties = nprops = {}
            node.children.append(child)
            open_nodes.append(node)
            node = child
            if len(open_nodes) >= max_depth:  # the new node's depth is len(open_nodes) + 1
                raise LimitError(FMT, f"nodes nested deeper than {MAX_DEPTH}", offset=off)
            off = (nul + 4) & -4
        elif tag == 4:  # FDT_NOP
            off += 4
        else:
            # FDT_END with nodes open, or a token that does not exist.
            raise _Bad(off, f"unexpected token 0x{tag:08x}")
        try:
            tag, length, nameoff = prop_at(view, off)
        except struct.error:
            tag, length, nameoff = _header(view, off, limit)

    # After the root node only FDT_NOP and FDT_END may follow (libfdt 1.8.0+ fdt_check_full,
    # dtc commit caf7465: a second root is an error, NOPs from fdt_nop_node() are not).
    tag = _read_tag(data, off, limit)
    while tag == FDT_NOP:
        off += 4
        tag = _read_tag(data, off, limit)
    if tag != FDT_END:
        raise _Bad(off, "token after the root node")
    return root
