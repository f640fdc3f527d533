"""libfdt's ``fdt_check_full()`` in Python, reporting every problem it can find.

The checks and their order follow dtc's libfdt (fdt.c ``fdt_check_header``, fdt_check.c
``fdt_check_full``, fdt.c ``fdt_next_tag``/``fdt_offset_ptr``, fdt_ro.c ``fdt_get_string``,
``fdt_num_mem_rsv``, ``fdt_get_name``), so the first error reported here is the error code
libfdt returns; check ids are libfdt's error names. Where libfdt stops, this walker goes on
when the layout still tells it where the next token is, so one run reports every bad
property name, every misplaced token and every header field that is out of bounds.

Not mirrored: libfdt's check that the blob's *memory address* is 8-aligned (a Python copy is
always aligned). ``alignment=False`` drops the block-offset alignment checks, for libfdt
before 1.7.x-git/1.8, which did not make them (pylibfdt 1.7.2 is such a one).
FDT_NOP tokens between the root node's FDT_END_NODE and FDT_END (fdt_nop_node() of the last
node, dtc's tests/nopulate.c) are accepted as libfdt 1.8.0+ does (dtc commit caf7465,
"libfdt: fdt_check_full: Handle FDT_NOP when FDT_END is expected"); ``nop_after_root=False``
reports them as libfdt up to 1.7.2 did (FDT_ERR_BADSTRUCTURE).

pvenum is stricter than libfdt in two places, both where dtc itself refuses the blob
("Device tree blob doesn't begin with FDT_BEGIN_NODE"): a structure block with no root node
(``FDT.NoRootNode``) and a property before the root node (``FDT.PropertyOutsideNode``).
Blocks that overlap each other are reported as a warning (``FDT_ERR_BADLAYOUT``): libfdt's
read functions accept them, its read-write functions refuse them.
"""

from __future__ import annotations

import struct
from dataclasses import replace
from itertools import islice

from ..validation import Problem
from .constants import (
    FDT_BEGIN_NODE,
    FDT_END,
    FDT_END_NODE,
    FDT_FIRST_SUPPORTED_VERSION,
    FDT_LAST_SUPPORTED_VERSION,
    FDT_MAGIC,
    FDT_NOP,
    FDT_PROP,
    FDT_V1_SIZE,
    INT_MAX,
    RESERVE_ENTRY_SIZE,
    header_size,
)
from .model import Header, Reservation
from .values import printable

TYPE_CHECKING = False  # typing is not imported at run time (start-up: pvenum/_io.py)
if TYPE_CHECKING:  # pragma: no cover
    from typing import Iterator

FMT = "dtb"
NO_ROOT = "FDT.NoRootNode"
PROP_OUTSIDE_NODE = "FDT.PropertyOutsideNode"
TOO_MANY = "FDT.TooManyProblems"
# Two nodes of one name under one parent, two properties of one name in one node: libfdt reads
# such a blob (fdt_getprop answers the first), dtc refuses it. dtc 1.6.1 checks.c
# check_duplicate_node_names() and check_duplicate_property_names(), ERROR checks run whatever
# the input format ("ERROR (duplicate_node_names): /x: Duplicate node name", then "Input tree
# has errors, aborting"). Named as dtc names them (names escaped: values.printable()), at each
# repeat's token, in dtc's order: node names before property names (check_table[]), by the node
# whose children or properties repeat in document order (check_nodes_props() visits a node
# before its children), then by the first of the name (its loop is over the first copy, then the
# later ones). dtc runs no check after the first that fails (process_checks()) and names one
# line per pair of equal names; pvenum names each repeat once. Asked of a blob libfdt accepts.
DUP_NODE = "DTC.duplicate_node_names"  # dtc's check names
DUP_PROP = "DTC.duplicate_property_names"
DTC_CHECKS = (DUP_NODE, DUP_PROP)
# A hostile blob can hold a misplaced token in every word: the list stops here (one problem
# per 4 bytes of a 64 MiB input would be 16 million of them).
MAX_PROBLEMS = 1000


def _problem(check: str, message: str, offset: int | None, severity: str = "error") -> Problem:
    return Problem(check, message, offset=offset, severity=severity, fmt=FMT)


def read_header(data: bytes) -> Header:
    """The ten header fields as libfdt's accessors read them: a u32 at each fixed offset,
    whatever the version says is present (bytes past the buffer read as zero)."""
    head = bytes(data[:40]).ljust(40, b"\0")
    return Header(*struct.unpack(">10I", head))


# -- header (fdt_check_full's buffer checks + fdt_check_header) ------------------------------


def check_header(data: bytes, hdr: Header | None = None, *, alignment: bool = True) -> list[Problem]:
    """Header problems in libfdt's order; an empty list means the blocks can be read."""
    n = len(data)
    if n < FDT_V1_SIZE:
        return [_problem("FDT_ERR_TRUNCATED", f"{n} bytes cannot hold a {FDT_V1_SIZE}-byte header", 0)]
    hdr = hdr or read_header(data)
    hsize = header_size(hdr.version)
    if n < hsize:
        return [_problem("FDT_ERR_TRUNCATED", f"{n} bytes cannot hold the {hsize}-byte v{hdr.version} header", 0)]
    if hdr.magic != FDT_MAGIC:
        # Not a devicetree at all: nothing else in it means anything.
        return [_problem("FDT_ERR_BADMAGIC", f"bad magic 0x{hdr.magic:08x}, expected 0x{FDT_MAGIC:08x}", 0x00)]
    out: list[Problem] = []

    def bad(check: str, message: str, field_offset: int) -> None:
        out.append(_problem(check, message, field_offset))

    v, lcv = hdr.version, hdr.last_comp_version
    if v < FDT_FIRST_SUPPORTED_VERSION:
        bad("FDT_ERR_BADVERSION",
            f"version {v} is older than {FDT_FIRST_SUPPORTED_VERSION}, the first libfdt reads", 0x14)
    if lcv > FDT_LAST_SUPPORTED_VERSION:
        bad("FDT_ERR_BADVERSION",
            f"last_comp_version {lcv} is newer than {FDT_LAST_SUPPORTED_VERSION}, the last libfdt reads", 0x18)
    if v < lcv:
        bad("FDT_ERR_BADVERSION", f"version {v} is older than its own last_comp_version {lcv}", 0x14)
    total = hdr.totalsize
    if total < hsize or total > INT_MAX:
        bad("FDT_ERR_TRUNCATED", f"totalsize {total} is not between the header size {hsize} and INT_MAX", 0x04)
        return out
    if alignment:
        if hdr.off_mem_rsvmap % 8:
            bad("FDT_ERR_ALIGNMENT", f"off_mem_rsvmap 0x{hdr.off_mem_rsvmap:x} is not 8-byte aligned", 0x10)
        if hdr.off_dt_struct % 4:
            bad("FDT_ERR_ALIGNMENT", f"off_dt_struct 0x{hdr.off_dt_struct:x} is not 4-byte aligned", 0x08)

    def within(off: int) -> bool:
        return hsize <= off <= total

    bounds = f"[header end 0x{hsize:x}, totalsize 0x{total:x}]"
    if not within(hdr.off_mem_rsvmap):
        bad("FDT_ERR_TRUNCATED", f"off_mem_rsvmap 0x{hdr.off_mem_rsvmap:x} is outside {bounds}", 0x10)
    if not hdr.has("size_dt_struct"):
        if not within(hdr.off_dt_struct):
            bad("FDT_ERR_TRUNCATED", f"off_dt_struct 0x{hdr.off_dt_struct:x} is outside {bounds}", 0x08)
    elif not (within(hdr.off_dt_struct) and within(hdr.off_dt_struct + hdr.size_dt_struct)):
        bad("FDT_ERR_TRUNCATED",
            f"structure block 0x{hdr.off_dt_struct:x}+0x{hdr.size_dt_struct:x} is outside {bounds}", 0x08)
    if not (within(hdr.off_dt_strings) and within(hdr.off_dt_strings + hdr.size_dt_strings)):
        bad("FDT_ERR_TRUNCATED",
            f"strings block 0x{hdr.off_dt_strings:x}+0x{hdr.size_dt_strings:x} is outside {bounds}", 0x0C)
    if not out and n < total:
        out.append(_problem("FDT_ERR_TRUNCATED", f"totalsize {total} is more than the {n} bytes present", 0x04))
    return out


# -- memory reservation map (fdt_num_mem_rsv) -------------------------------------------------


def scan_reservations(data: bytes, hdr: Header) -> tuple[int, int | None]:
    """(number of entries before the terminator, offset of the terminator or None if the map
    runs out of totalsize first). Scans without allocating per entry."""
    start = hdr.off_mem_rsvmap
    stop = hdr.totalsize - RESERVE_ENTRY_SIZE  # the last place an entry may start
    if start > stop:
        return 0, None
    span = memoryview(data)[start:stop + RESERVE_ENTRY_SIZE]
    span = span[: len(span) - len(span) % RESERVE_ENTRY_SIZE]
    for i, (_address, size) in enumerate(struct.iter_unpack(">QQ", span)):
        if size == 0:
            return i, start + i * RESERVE_ENTRY_SIZE
    return len(span) // RESERVE_ENTRY_SIZE, None


def reservations(data: bytes, hdr: Header, count: int) -> list[Reservation]:
    start = hdr.off_mem_rsvmap
    return [Reservation(*struct.unpack_from(">QQ", data, start + i * RESERVE_ENTRY_SIZE)) for i in range(count)]


def _unterminated_map(hdr: Header, count: int) -> Problem:
    where = hdr.off_mem_rsvmap + count * RESERVE_ENTRY_SIZE
    return _problem("FDT_ERR_TRUNCATED", "memory reservation map has no terminating entry (size 0) "
                    f"within totalsize after {count} entries", where)


# -- structure block (fdt_check_full's tag walk) --------------------------------------------------


def struct_limit(hdr: Header) -> int:
    """Absolute end of the bytes the structure block may use (fdt_offset_ptr's bound)."""
    if hdr.has("size_dt_struct"):
        return hdr.off_dt_struct + hdr.size_dt_struct
    return hdr.totalsize


def string_at(data: bytes, hdr: Header, nameoff: int) -> tuple[str | None, Problem | None]:
    """A property name from the strings block (fdt_get_string), or the problem with it."""
    where = hdr.off_dt_strings + nameoff
    if nameoff > INT_MAX or where >= hdr.totalsize:
        return None, _problem("FDT_ERR_BADOFFSET", f"name offset 0x{nameoff:x} is past the end of the blob",
                              None)
    end = hdr.totalsize
    if hdr.has("size_dt_struct"):
        if nameoff >= hdr.size_dt_strings:
            return None, _problem(
                "FDT_ERR_BADOFFSET",
                f"name offset 0x{nameoff:x} is past the strings block (size 0x{hdr.size_dt_strings:x})", None)
        end = min(end, hdr.off_dt_strings + hdr.size_dt_strings)
    nul = data.find(b"\0", where, end)
    if nul < 0:
        return None, _problem("FDT_ERR_TRUNCATED",
                              f"property name at strings offset 0x{nameoff:x} has no terminating NUL", None)
    return bytes(data[where:nul]).decode("utf-8", "surrogateescape"), None


def check_struct(data: bytes, hdr: Header, *, nop_after_root: bool = True,
                 duplicates: bool = False) -> Iterator[Problem]:
    """Walk the structure block token by token, yielding problems in walk order.
    ``duplicates``: also, at FDT_END, the names dtc refuses a blob for and libfdt does not look
    at (:data:`DTC_CHECKS`)."""
    base = hdr.off_dt_struct
    limit = struct_limit(hdr)
    old = hdr.version < 16
    u32 = struct.Struct(">I").unpack_from
    off = base
    depth = 0
    seen_root = False
    expect_end = False
    # With duplicates: per open node, its path, its place in document order, and where the
    # first of each child and property name stands among them; what is found is held (at most
    # MAX_PROBLEMS + 1) and given in dtc's order at FDT_END (see DTC_CHECKS).
    open_nodes: list[tuple[str, int, dict[bytes, int], dict[str, int]]] = []
    found: list[tuple[int, int, int, int, Problem]] = []
    nodes_met = 0
    while True:
        if off + 4 > limit:
            yield _problem("FDT_ERR_TRUNCATED",
                           f"structure block ends at 0x{limit:x} before FDT_END", off)
            return
        tag = u32(data, off)[0]
        if expect_end and tag != FDT_END and not (nop_after_root and tag == FDT_NOP):
            # libfdt stops here; we report once and read on as if a second tree started.
            yield _problem("FDT_ERR_BADSTRUCTURE",
                           f"token 0x{tag:x} after the root node closed (only FDT_END may follow it)", off)
            expect_end = False
        if tag == FDT_BEGIN_NODE:
            nul = data.find(b"\0", off + 4, limit)
            if nul < 0:
                yield _problem("FDT_ERR_BADSTRUCTURE", "node name runs past the structure block", off)
                return
            depth += 1
            name = bytes(data[off + 4:nul])
            if depth == 1:
                if seen_root:
                    pass  # already reported as a token after the root node
                elif old and b"/" not in name:
                    yield _problem("FDT_ERR_BADSTRUCTURE",
                                   f"v{hdr.version} root node name {name!r} is not a path", off)
                elif (name.rsplit(b"/", 1)[-1] if old else name):
                    yield _problem("FDT_ERR_BADSTRUCTURE", f"root node has a name, {name!r}; it must be empty", off)
                seen_root = True
            if duplicates:
                if old:  # a full path before v16: its last component is the name
                    name = name.rsplit(b"/", 1)[-1]
                path = "/"
                if open_nodes:
                    parent_path, parent_at, children, _ = open_nodes[-1]
                    path = parent_path.rstrip("/") + "/" + printable(name.decode("utf-8", "surrogateescape"))
                    if name not in children:
                        children[name] = len(children)
                    elif len(found) <= MAX_PROBLEMS:
                        found.append((0, parent_at, children[name], len(found),
                                      _problem(DUP_NODE, f"{path}: Duplicate node name", off)))
                open_nodes.append((path, nodes_met, {}, {}))
                nodes_met += 1
            off = (nul + 4) & ~3
        elif tag == FDT_PROP:
            if off + 12 > limit:
                yield _problem("FDT_ERR_BADSTRUCTURE", "property header runs past the structure block", off)
                return
            length, nameoff = struct.unpack_from(">II", data, off + 4)
            vstart = off + 12
            if old and length >= 8 and (vstart - base) % 8:
                vstart += 4
            vend = vstart + length
            if vend > limit:
                yield _problem("FDT_ERR_BADSTRUCTURE",
                               f"property value of {length} bytes runs past the structure block", off)
                return
            pname, bad = string_at(data, hdr, nameoff)
            if bad is not None:
                yield replace(bad, offset=off + 8)
            if depth == 0:
                yield _problem(PROP_OUTSIDE_NODE,
                               "property before the root node (libfdt accepts this; dtc does not)", off)
            elif duplicates and pname is not None:
                path, at, _, props = open_nodes[-1]
                if pname not in props:
                    props[pname] = len(props)
                elif len(found) <= MAX_PROBLEMS:
                    found.append((1, at, props[pname], len(found),
                                  _problem(DUP_PROP, f"{path}:{printable(pname)}: Duplicate property name", off)))
            off = (vend + 3) & ~3
        elif tag == FDT_END_NODE:
            if depth == 0:
                yield _problem("FDT_ERR_BADSTRUCTURE", "FDT_END_NODE with no node open", off)
            else:
                depth -= 1
                if depth == 0:
                    expect_end = True
                if open_nodes:
                    open_nodes.pop()
            off += 4
        elif tag == FDT_NOP:
            off += 4
        elif tag == FDT_END:
            if depth != 0:
                yield _problem("FDT_ERR_BADSTRUCTURE", f"FDT_END with {depth} node(s) still open", off)
            elif not seen_root:
                yield _problem(NO_ROOT, "structure block has no root node (libfdt accepts this; dtc does not)", off)
            yield from (p for *_, p in sorted(found, key=lambda f: f[:4]))
            return
        else:
            yield _problem("FDT_ERR_BADSTRUCTURE", f"unknown token 0x{tag:08x}", off)
            return


def _skim(data: bytes, hdr: Header) -> tuple[int | None, int, int]:
    """Walk tokens without allocating: (offset past FDT_END or None, nodes, properties)."""
    base, limit, old = hdr.off_dt_struct, struct_limit(hdr), hdr.version < 16
    off = base
    nodes = props = 0
    u32 = struct.Struct(">I").unpack_from
    while off + 4 <= limit:
        tag = u32(data, off)[0]
        if tag == FDT_BEGIN_NODE:
            nul = data.find(b"\0", off + 4, limit)
            if nul < 0:
                break
            nodes += 1
            off = (nul + 4) & ~3
        elif tag == FDT_PROP:
            if off + 12 > limit:
                break
            length = u32(data, off + 4)[0]
            vstart = off + 12
            if old and length >= 8 and (vstart - base) % 8:
                vstart += 4
            props += 1
            off = (vstart + length + 3) & ~3
        elif tag in (FDT_END_NODE, FDT_NOP):
            off += 4
        elif tag == FDT_END:
            return off + 4, nodes, props
        else:
            break
    return None, nodes, props


def struct_end(data: bytes, hdr: Header) -> int | None:
    """Offset just past FDT_END (None if the walk does not reach it)."""
    return _skim(data, hdr)[0]


def count_tokens(data: bytes, hdr: Header) -> tuple[int, int]:
    """(nodes, properties) in the structure block, counted without allocating."""
    _, nodes, props = _skim(data, hdr)
    return nodes, props


def check_layout(data: bytes, hdr: Header, rsv_count: int) -> list[Problem]:
    """Warn when blocks overlap (libfdt's read-write functions call that FDT_ERR_BADLAYOUT)."""
    end = struct_end(data, hdr)
    if end is None:
        return []
    blocks = [
        ("memory reservation map", hdr.off_mem_rsvmap, hdr.off_mem_rsvmap + (rsv_count + 1) * RESERVE_ENTRY_SIZE, 0x10),
        ("structure block", hdr.off_dt_struct, end, 0x08),
        ("strings block", hdr.off_dt_strings, hdr.off_dt_strings + hdr.size_dt_strings, 0x0C),
    ]
    out = []
    for i, (name_a, a0, a1, _) in enumerate(blocks):
        for name_b, b0, b1, field_off in blocks[i + 1:]:
            if a0 < b1 and b0 < a1 and a1 > a0 and b1 > b0:
                out.append(_problem("FDT_ERR_BADLAYOUT",
                                    f"{name_a} 0x{a0:x}..0x{a1:x} overlaps the {name_b} 0x{b0:x}..0x{b1:x}",
                                    field_off, severity="warning"))
    return out


# -- all of it --------------------------------------------------------------------------------------


def iter_problems(data: bytes, *, alignment: bool = True, nop_after_root: bool = True,
                  duplicates: bool = False) -> Iterator[Problem]:
    """The problems of :func:`check_full`, found one at a time (and no further than asked)."""
    hdr = read_header(data)
    problems = check_header(data, hdr, alignment=alignment)
    if problems:
        yield from problems
        return
    count, end = scan_reservations(data, hdr)
    clean = end is not None
    if not clean:
        yield _unterminated_map(hdr, count)
    named: list[Problem] = []  # dtc's: given for a blob libfdt accepts, after the rest
    for problem in check_struct(data, hdr, nop_after_root=nop_after_root, duplicates=duplicates):
        if problem.check in DTC_CHECKS:
            named.append(problem)
            continue
        clean = False
        yield problem
    if clean:
        yield from check_layout(data, hdr, count)
        yield from named


def check_full(data: bytes, *, alignment: bool = True, nop_after_root: bool = True,
               duplicates: bool = False) -> list[Problem]:
    """Every problem libfdt's fdt_check_full(data, len(data)) would stop at, and more
    (at most :data:`MAX_PROBLEMS`, then one saying the list stops there).

    The first error (severity "error") is the one libfdt returns; an empty list of errors
    means libfdt returns 0 (apart from the two stricter checks described above).
    ``duplicates``: where libfdt finds none, also the names dtc refuses (:data:`DTC_CHECKS`),
    in the same walk.
    """
    problems = list(islice(iter_problems(data, alignment=alignment, nop_after_root=nop_after_root,
                                         duplicates=duplicates), MAX_PROBLEMS + 1))
    if len(problems) > MAX_PROBLEMS:
        last = problems.pop()
        problems.append(_problem(TOO_MANY, f"more than {MAX_PROBLEMS} problems; the rest are not listed",
                                 last.offset))
    return problems


def first_error(data: bytes, *, alignment: bool = True, nop_after_root: bool = True) -> Problem | None:
    """The error libfdt would return, without walking past it."""
    return next((p for p in iter_problems(data, alignment=alignment, nop_after_root=nop_after_root)
                 if p.severity == "error"), None)


__all__ = [
    "check_full",
    "check_header",
    "check_struct",
    "first_error",
    "iter_problems",
    "read_header",
    "scan_reservations",
    "string_at",
]
