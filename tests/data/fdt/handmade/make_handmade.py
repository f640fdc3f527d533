#!/usr/bin/env python3
"""Write the hand-made blobs in this directory: dtc's negative test cases recreated, and
odd-but-valid layouts dtc never writes. Stand-alone on purpose (plain ``struct``, no pvenum),
so the code under test does not make its own test data.

    python3 tests/data/fdt/handmade/make_handmade.py

dtc's tests (tests/trees.S, run_tests.sh) keep truncated_property, truncated_string,
truncated_memrsv, two_roots and named_root as assembler; these are re-made from their
description, not copied. MANIFEST lists what each file is meant to show; the tests ask
pylibfdt for the verdict instead of trusting this list.
"""

from __future__ import annotations

import struct
from pathlib import Path

HERE = Path(__file__).resolve().parent
MAGIC = 0xD00DFEED
BEGIN, END_NODE, PROP, NOP, END = 1, 2, 3, 4, 9


def u32(*values: int) -> bytes:
    return struct.pack(f">{len(values)}I", *values)


def pad4(b: bytes) -> bytes:
    return b + b"\0" * (-len(b) % 4)


def begin(name: str) -> bytes:
    return u32(BEGIN) + pad4(name.encode() + b"\0")


def prop(nameoff: int, value: bytes, length: int | None = None) -> bytes:
    return u32(PROP, len(value) if length is None else length, nameoff) + pad4(value)


def blob(struct_block: bytes, strings: bytes, *, rsv: bytes = b"\0" * 16, trailer: bytes = b"",
         rsv_at_end: bool = False) -> bytes:
    """A v17 layout: header(40) | rsvmap | struct | strings | trailer (header damage is
    spliced into a good blob afterwards)."""
    off_rsvmap = 40
    if rsv_at_end:
        off_struct = 40
        off_strings = off_struct + len(struct_block)
        gap = b"\0" * (-(off_strings + len(strings)) % 8)  # the map must be 8-aligned
        off_rsvmap = off_strings + len(strings) + len(gap)
        body = struct_block + strings + gap + rsv
    else:
        off_struct = off_rsvmap + len(rsv)
        off_strings = off_struct + len(struct_block)
        body = rsv + struct_block + strings
    body += trailer
    header = u32(MAGIC, 40 + len(body), off_struct, off_strings, off_rsvmap, 17, 16, 0, len(strings),
                 len(struct_block))
    return header + body


def simple_tree() -> tuple[bytes, bytes]:
    strings = b"compatible\0#address-cells\0"
    s = begin("") + prop(0, b"pvenum,handmade\0") + prop(11, u32(2))
    s += begin("child@0") + prop(0, b"leaf\0") + u32(END_NODE) + u32(END_NODE) + u32(END)
    return s, strings


CASES: dict[str, tuple[str, bytes]] = {}


def case(name: str, what: str, data: bytes) -> None:
    CASES[name] = (what, data)


def main() -> None:
    s, strings = simple_tree()
    good = blob(s, strings)

    # -- dtc's negative cases ---------------------------------------------------------------
    # A property whose value the structure block does not contain.
    tp = begin("") + u32(PROP, 4, 0)
    case("truncated_property", "property header present, its 4-byte value past the structure block",
         blob(tp, b"truncated\0"))
    # A property name whose string has no NUL before the strings block ends.
    ts = begin("") + prop(0, b"\0\0\0\0") + prop(5, b"") + u32(END_NODE) + u32(END)
    case("truncated_string", "second property's name runs off the end of the strings block",
         blob(ts, b"good\0bad_string"))
    # A reservation map that never reaches its size-0 terminator inside totalsize.
    case("truncated_memrsv", "memory reservation map at the end of the blob, no terminating entry",
         blob(s, strings, rsv=struct.pack(">QQ", 0x1000, 0x2000), rsv_at_end=True))
    two = begin("") + u32(END_NODE) + begin("") + u32(END_NODE) + u32(END)
    case("two_roots", "two top-level nodes", blob(two, b""))
    case("named_root", "root node named 'fake'",
         blob(begin("fake") + u32(END_NODE) + u32(END), b""))

    # -- header damage -------------------------------------------------------------------------
    case("bad_magic", "magic zeroed", b"\0\0\0\0" + good[4:])
    case("bad_version_1", "version 1 (libfdt reads 2 and later)",
         good[:0x14] + u32(1, 1) + good[0x1C:])
    case("bad_last_comp_18", "last_comp_version 18 (newer than libfdt's 17)",
         good[:0x18] + u32(18) + good[0x1C:])
    case("bad_version_below_comp", "version 16 below last_comp_version 17",
         good[:0x14] + u32(16, 17) + good[0x1C:])
    case("totalsize_past_end", "totalsize 100 bytes more than the file",
         good[:4] + u32(len(good) + 100) + good[8:])
    case("strings_past_end", "size_dt_strings 0x1000 runs past totalsize",
         good[:0x20] + u32(0x1000) + good[0x24:])
    case("short_header", "20 bytes: not even a v1 header", good[:20])
    case("misaligned_rsvmap", "off_mem_rsvmap 41 (libfdt >= 1.7.x-git: FDT_ERR_ALIGNMENT; dtc accepts)",
         good[:0x10] + u32(41) + good[0x14:])
    case("misaligned_struct", "off_dt_struct 0x39 (not 4-aligned)",
         good[:0x08] + u32(0x39) + good[0x0C:])

    # -- structure damage ------------------------------------------------------------------------
    case("unknown_token", "token 5 where a property was",
         blob(begin("") + u32(5) + u32(END_NODE) + u32(END), b""))
    case("bad_nameoff", "property name offset 0x7fff",
         blob(begin("") + prop(0x7FFF, u32(1)) + u32(END_NODE) + u32(END), b"x\0"))
    case("negative_nameoff", "property name offset 0x80000000 (negative as libfdt's int)",
         blob(begin("") + prop(0x80000000, u32(1)) + u32(END_NODE) + u32(END), b"x\0"))
    case("unclosed_node", "FDT_END with the root still open",
         blob(begin("") + begin("a") + u32(END_NODE) + u32(END), b""))
    case("extra_end_node", "FDT_END_NODE with no node open",
         blob(u32(END_NODE) + begin("") + u32(END_NODE) + u32(END), b""))
    case("nop_after_root", "FDT_NOP after the root node closed",
         blob(begin("") + u32(END_NODE) + u32(NOP) + u32(END), b""))
    case("no_end", "structure block ends without FDT_END",
         blob(begin("") + u32(END_NODE), b""))
    case("unterminated_name", "node name runs past the structure block",
         blob(begin("") + u32(BEGIN) + b"abcd", b""))
    case("prop_before_root", "a property before the root node (libfdt accepts; dtc and pvenum do not)",
         blob(prop(0, u32(1)) + begin("") + u32(END_NODE) + u32(END), b"x\0"))
    case("no_root", "an empty structure block (libfdt accepts; dtc and pvenum do not)",
         blob(u32(END), b""))

    # -- valid, but not as dtc would write it ------------------------------------------------------
    nops = (u32(NOP) + begin("") + u32(NOP) + prop(0, b"pvenum,nops\0") + u32(NOP, NOP)
            + begin("gone") + u32(NOP) + u32(END_NODE) + u32(NOP) + u32(END_NODE) + u32(END))
    case("ok_nops", "NOP tokens before the root and inside nodes (libfdt fdt_nop_* leave these)",
         blob(nops, b"compatible\0"))
    dup = (begin("") + prop(0, u32(1)) + prop(2, b"v\0") + prop(0, u32(2)) + begin("n") + u32(END_NODE)
           + begin("n") + u32(END_NODE) + u32(END_NODE) + u32(END))
    case("ok_repeated_names", "a property name and a node name each used twice in one node",
         blob(dup, b"a\0b\0"))
    case("ok_free_space", "libfdt-style: 64 bytes of free space after the strings block",
         blob(s, strings, trailer=b"\0" * 64))
    case("ok_rsv_after_strings", "blocks in another order: struct, strings, then reservations",
         blob(s, strings, rsv=struct.pack(">QQQQ", 0x1000, 0x2000, 0, 0), rsv_at_end=True))
    # The strings block is the 'x\0' of node x's name inside the structure block.
    ov = begin("") + prop(0, u32(1)) + begin("x") + u32(END_NODE) + u32(END_NODE) + u32(END)
    data = blob(ov, b"")
    off_strings = 40 + 16 + ov.index(b"x\0")
    data = data[:0x0C] + u32(off_strings) + data[0x10:0x20] + u32(2) + data[0x24:]
    case("ok_overlapping_blocks", "strings block inside the structure block (libfdt reads it)", data)

    manifest = []
    for name, (what, data) in CASES.items():
        (HERE / f"{name}.dtb").write_bytes(data)
        manifest.append(f"{name}.dtb\t{what}")
    (HERE / "MANIFEST").write_text("\n".join(manifest) + "\n")


if __name__ == "__main__":
    main()
