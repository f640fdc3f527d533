"""FDT_NOP tokens wherever libfdt accepts them: pvenum against pylibfdt's fdt_check_full().

Two sources of NOPs, both as real tools make them:
- libfdt itself: ``fdt_nop_node()`` / ``fdt_nop_property()`` (what bootloaders use to delete
  a node or property in place), run through pylibfdt on every committed real blob;
- dtc's test suite ``tests/nopulate.c`` (dgibson/dtc, read at v1.8.1): a copy of the
  structure block with an FDT_NOP after *every* token — after the root's FDT_END_NODE and
  after FDT_END too — which dtc's run_tests.sh feeds to every libfdt test as the
  ``noppy.*`` blobs. ``nopulate`` below does the same walk over the tokens.

NOPs after the root's FDT_END_NODE are accepted by libfdt 1.8.0+ (dtc commit caf7465) and
refused by 1.7.2; pvenum reads them and validates under the installed libfdt's rules when
compared (fdt_blobs.libfdt_accepts_nop_after_root).
"""

from __future__ import annotations

import struct

import pytest
from fdt_blobs import (
    blob_params,
    libfdt,
    libfdt_accepts_nop_after_root,
    libfdt_comparable_first,
    libfdt_error,
    libfdt_view,
    pvenum_view,
    u32,
    v17_blob,
    valid_blob,
)

from pvenum.fdt import parse, validate

BEGIN, END_NODE, PROP, NOP, END = 1, 2, 3, 4, 9


def _tokens(data: bytes) -> list[tuple[int, int]]:
    """(start, end) of every token of a v16+ structure block, up to and including FDT_END."""
    off_struct, _, _, version = struct.unpack_from(">IIII", data, 8)
    assert version >= 16
    off, out = off_struct, []
    while True:
        tag = struct.unpack_from(">I", data, off)[0]
        if tag == BEGIN:
            end = (data.index(b"\0", off + 4) + 4) & ~3
        elif tag == PROP:
            length = struct.unpack_from(">I", data, off + 4)[0]
            end = (off + 12 + length + 3) & ~3
        else:
            end = off + 4
        out.append((off, end))
        if tag == END:
            return out
        off = end


def nopulate(data: bytes) -> bytes:
    """The blob with an FDT_NOP after every structure token (dtc tests/nopulate.c's layout:
    header, reservation map, the new structure block, then the strings)."""
    hdr = list(struct.unpack_from(">10I", data, 0))
    off_struct, off_strings, off_rsv = hdr[2], hdr[3], hdr[4]
    new_struct = b"".join(data[a:b] + u32(NOP) for a, b in _tokens(data))
    end = off_rsv
    while struct.unpack_from(">QQ", data, end) != (0, 0):
        end += 16
    rsv = data[off_rsv:end + 16]
    strings = data[off_strings:off_strings + hdr[8]]
    hdr[4] = 40
    hdr[2] = 40 + len(rsv)
    hdr[3] = hdr[2] + len(new_struct)
    hdr[9] = len(new_struct)
    hdr[1] = hdr[3] + len(strings)
    return struct.pack(">10I", *hdr) + rsv + new_struct + strings


V16_BLOBS = [p for p in blob_params() if struct.unpack_from(">I", valid_blob(p.values[0]), 20)[0] >= 16]


@pytest.mark.parametrize("path", V16_BLOBS)
def test_nopulated_blob_reads_like_the_original(path):
    data = valid_blob(path)
    noppy = nopulate(data)
    assert noppy.count(u32(NOP)) >= len(_tokens(data))
    # The verdict is libfdt's, under the installed release's rule for NOPs after the root.
    assert libfdt_comparable_first(noppy) == libfdt_error(noppy)
    # pvenum reads it (libfdt 1.8.0+ semantics) and sees the same tree as libfdt's readers.
    tree = parse(noppy)
    assert pvenum_view(tree)["nodes"] == libfdt_view(noppy)["nodes"] == pvenum_view(parse(data))["nodes"]
    assert [p for p in validate(noppy) if p.severity == "error"] == []


def test_nops_after_the_root_follow_the_installed_libfdt():
    # The smallest blob: root, END_NODE, NOP, NOP, END.
    data = v17_blob(u32(BEGIN, 0, END_NODE, NOP, NOP, END))
    assert parse(data).root is not None
    assert [p.check for p in validate(data, nop_after_root=False)] == ["FDT_ERR_BADSTRUCTURE"]
    assert (libfdt_error(data) is None) == libfdt_accepts_nop_after_root()
    assert libfdt_comparable_first(data) == libfdt_error(data)


def test_a_second_root_after_nops_is_still_refused_by_both():
    data = v17_blob(u32(BEGIN, 0, END_NODE, NOP, BEGIN, 0, END_NODE, END))
    assert libfdt_error(data) == "FDT_ERR_BADSTRUCTURE"
    assert [p.check for p in validate(data) if p.severity == "error"][:1] == ["FDT_ERR_BADSTRUCTURE"]


@pytest.mark.parametrize("path", V16_BLOBS)
def test_libfdt_nop_node_and_nop_property_on_real_blobs(path):
    lib = libfdt()
    data = valid_blob(path)
    buf = bytearray(data)
    fdt = lib.Fdt(bytes(buf))
    # Delete the root's last child and the first property of the root in place, as a
    # bootloader does with fdt_nop_node()/fdt_nop_property().
    root = fdt.path_offset("/")  # not 0 when NOPs come first
    child = fdt.first_subnode(root, (lib.FDT_ERR_NOTFOUND,))
    last = None
    while child >= 0:
        last = child
        child = fdt.next_subnode(child, (lib.FDT_ERR_NOTFOUND,))
    if last is not None:
        assert lib.fdt_nop_node(fdt._fdt, last) == 0
    root = fdt.path_offset("/")
    first_prop = fdt.first_property_offset(root, (lib.FDT_ERR_NOTFOUND, lib.FDT_ERR_BADOFFSET))
    if first_prop >= 0:
        name = fdt.get_property_by_offset(first_prop).name
        assert lib.fdt_nop_property(fdt._fdt, root, name) == 0
    edited = bytes(fdt._fdt)
    if last is None and first_prop < 0:
        pytest.skip("the root has neither a child nor a property here: nothing to delete")
    assert edited != data
    assert libfdt_error(edited) is None
    assert libfdt_comparable_first(edited) is None
    assert pvenum_view(parse(edited))["nodes"] == libfdt_view(edited)["nodes"]
