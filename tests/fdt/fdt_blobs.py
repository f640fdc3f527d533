"""Blobs and reference readers shared by the devicetree tests (a uniquely named module)."""

from __future__ import annotations

import functools
import os
import struct
from pathlib import Path

import pvtest
import pytest
from pvtest import ROOT, SLOW_SCALE, need_tool, run_cli  # noqa: F401  (suite-wide helpers, re-exported)

from pvenum._io import read_input
from pvenum.fdt import check, validate

DATA = pvtest.DATA / "fdt"
# Where bench/fetch_dtb_corpus.sh puts the full kernel corpus.
CORPUS = Path(os.environ.get("PVENUM_DTB_CORPUS", ROOT / ".cache" / "dtb-corpus"))


def scaled(full: int, minimum: int = 10) -> int:
    return max(minimum, int(full * SLOW_SCALE))


@functools.lru_cache(maxsize=None)
def valid_blob_paths() -> tuple[Path, ...]:
    """Every committed blob that is a valid devicetree (QEMU, dtc-compiled, kernel subset,
    hand-made ok_*), except dtc's v1 output, which libfdt does not read."""
    paths = sorted((DATA / "qemu").glob("*.dtb.gz"))
    paths += [p for p in sorted((DATA / "dts").glob("*.dtb")) if p.name != "values-v1.dtb"]
    paths += sorted((DATA / "kernel").glob("*.dtb"))
    paths += sorted((DATA / "handmade").glob("ok_*.dtb"))
    return tuple(paths)


def blob_id(path: Path) -> str:
    return f"{path.parent.name}/{path.name}"


@functools.lru_cache(maxsize=None)
def valid_blobs() -> dict[str, bytes]:
    """blob_id -> bytes (the QEMU dumps inflated) for every valid_blob_paths() entry."""
    return {blob_id(p): read_input(p) for p in valid_blob_paths()}


def valid_blob(path: Path) -> bytes:
    return valid_blobs()[blob_id(path)]


def blob_params() -> list:
    """valid_blob_paths() as pytest parameters named by their blob_id."""
    return [pytest.param(p, id=blob_id(p)) for p in valid_blob_paths()]


def u32(*values: int) -> bytes:
    return struct.pack(f">{len(values)}I", *values)


def v17_blob(struct_block: bytes, strings: bytes = b"") -> bytes:
    """A v17 blob around a hand-written structure block: header, an empty reservation map
    (the structure block starts at 56), the block, the strings."""
    off_struct = 40 + 16
    off_strings = off_struct + len(struct_block)
    header = u32(0xD00DFEED, off_strings + len(strings), off_struct, off_strings, 40, 17, 16, 0,
                 len(strings), len(struct_block))
    return header + b"\0" * 16 + struct_block + strings


def corpus_paths() -> list[Path]:
    if not (CORPUS / ".complete").exists():
        return []
    return sorted(CORPUS.rglob("*.dtb"))


def handmade_paths() -> list[Path]:
    return sorted((DATA / "handmade").glob("*.dtb"))


# -- pylibfdt as the reference ------------------------------------------------------------------


def libfdt():
    return pytest.importorskip("libfdt", reason="pylibfdt not installed (pip install pylibfdt)")


def libfdt_error(data: bytes) -> str | None:
    """libfdt's fdt_check_full verdict: None, or its error name (FDT_ERR_...)."""
    lib = libfdt()
    rc = lib.fdt_check_full(bytearray(data), len(data))
    if rc == 0:
        return None
    names = {getattr(lib, n): n for n in dir(lib) if n.startswith("FDT_ERR_")}
    return names.get(-rc, f"error {rc}")


@functools.lru_cache(maxsize=None)
def libfdt_checks_alignment() -> bool:
    """Whether the installed libfdt rejects a misaligned off_mem_rsvmap (1.8 does, 1.7.2 not)."""
    return libfdt_error((DATA / "handmade" / "misaligned_rsvmap.dtb").read_bytes()) == "FDT_ERR_ALIGNMENT"


@functools.lru_cache(maxsize=None)
def libfdt_accepts_nop_after_root() -> bool:
    """Whether the installed libfdt lets FDT_NOP follow the root's FDT_END_NODE (1.8.0+, dtc
    commit caf7465; pylibfdt 1.7.2 refuses it)."""
    return libfdt_error(v17_blob(u32(1, 0, 2, 4, 9))) is None


def _past_root(data: bytes) -> int | None:
    """Offset just past the root node's FDT_END_NODE in a v17 blob, by a plain walk of the
    structure tokens (BEGIN_NODE 1, END_NODE 2, PROP 3, NOP 4); None when the walk goes wrong."""
    off, version = struct.unpack_from(">I", data, 8)[0], struct.unpack_from(">I", data, 20)[0]
    if version < 17:
        return None
    depth = 0
    try:
        while True:
            tag = struct.unpack_from(">I", data, off)[0]
            if tag == 1:
                depth, off = depth + 1, (data.index(b"\0", off + 4) + 4) & ~3
            elif tag == 3:
                off = (off + 12 + struct.unpack_from(">I", data, off + 4)[0] + 3) & ~3
            elif tag == 4:
                off += 4
            elif tag == 2 and depth > 0:
                depth, off = depth - 1, off + 4
                if depth == 0:
                    return off
            else:
                return None
    except (struct.error, ValueError):
        return None


def libfdt_1_8_error(data: bytes) -> str | None:
    """libfdt 1.8's fdt_check_full verdict (the rules pvenum.fdt.parse follows), asked of the
    installed libfdt. When that one predates dtc commit caf7465 (libfdt_accepts_nop_after_root()
    is false) and refuses a v17 blob whose root's FDT_END_NODE is followed by FDT_NOPs, 1.8 would
    read on past them: ask again about a copy with that run of NOPs cut out of the structure
    block (size_dt_struct shrinks by as much, the freed words become a gap before the strings),
    which the older libfdt judges as 1.8 judges the original."""
    err = libfdt_error(data)
    if err != "FDT_ERR_BADSTRUCTURE" or libfdt_accepts_nop_after_root():
        return err
    end = _past_root(data)
    if end is None:
        return err
    nops = 0
    while data[end + 4 * nops:end + 4 * nops + 4] == u32(4):
        nops += 1
    if nops == 0:
        return err
    off_struct, size_struct = struct.unpack_from(">I", data, 8)[0], struct.unpack_from(">I", data, 36)[0]
    block_end = off_struct + size_struct
    if end + 4 * nops > block_end:
        return "FDT_ERR_TRUNCATED"  # the NOPs run to the end of the block: no FDT_END (1.8: truncated)
    cut = bytearray(data[:end] + data[end + 4 * nops:block_end] + bytes(4 * nops) + data[block_end:])
    struct.pack_into(">I", cut, 36, size_struct - 4 * nops)
    return libfdt_error(bytes(cut))


STRICTER = {check.NO_ROOT, check.PROP_OUTSIDE_NODE}  # dtc refuses these; libfdt does not


def libfdt_comparable_first(data: bytes) -> str | None:
    """pvenum's first error under the installed libfdt's alignment rules, leaving out the
    two places pvenum is stricter: what libfdt_error(data) must be."""
    errors = [p for p in validate(data, alignment=libfdt_checks_alignment(),
                                  nop_after_root=libfdt_accepts_nop_after_root())
              if p.severity == "error" and p.check not in STRICTER]
    return errors[0].check if errors else None


def libfdt_view(data: bytes) -> dict:
    """What pylibfdt reads: header accessors, reservations, and every node (path from the
    names libfdt gives) with its properties in order."""
    lib = libfdt()
    fdt = lib.FdtRo(data)
    header = {
        "magic": fdt.magic(), "totalsize": fdt.totalsize(), "off_dt_struct": fdt.off_dt_struct(),
        "off_dt_strings": fdt.off_dt_strings(), "off_mem_rsvmap": fdt.off_mem_rsvmap(),
        "version": fdt.version(), "last_comp_version": fdt.last_comp_version(),
        "boot_cpuid_phys": fdt.boot_cpuid_phys(), "size_dt_strings": fdt.size_dt_strings(),
        "size_dt_struct": fdt.size_dt_struct(),
    }
    rsv = [tuple(fdt.get_mem_rsv(i)) for i in range(fdt.num_mem_rsv())]
    nodes = []
    stack: list[str] = []
    quiet = (lib.FDT_ERR_NOTFOUND,)
    # The root is the first FDT_BEGIN_NODE, not necessarily offset 0 (NOPs may come first).
    off, depth = fdt.next_node(-1, -1)
    while True:
        name = fdt.get_name(off)
        del stack[depth:]
        stack.append(name)
        path = "/" + "/".join(stack[1:])
        props = []
        p = fdt.first_property_offset(off, quiet)
        while p >= 0:
            if header["version"] >= 16:
                prop = fdt.get_property_by_offset(p)
                props.append((prop.name, bytes(prop)))
            else:
                # libfdt reads properties by offset only from v16 on; before that, take
                # the name offset from the token and ask libfdt for the string and value.
                nameoff = int.from_bytes(data[header["off_dt_struct"] + p + 8:][:4], "big")
                pname = lib.fdt_string(fdt._fdt, nameoff)
                props.append((pname, bytes(fdt.getprop(off, pname))))
            p = fdt.next_property_offset(p, quiet)
        nodes.append((path, props))
        r = fdt.next_node(off, depth, quiet)
        if isinstance(r, int) or r[0] < 0 or r[1] < 0:
            break
        off, depth = r
    return {"header": header, "reservations": rsv, "nodes": nodes}


def pvenum_view(tree) -> dict:
    return {
        "header": tree.header.to_json() if tree.header is not None else None,
        "reservations": [tuple(r) for r in tree.reservations],
        "nodes": [(n.path, n.property_items()) for n in tree.walk()],
    }
