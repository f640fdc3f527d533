"""Construct declarations of the flattened-devicetree blob (devicetree specification §5).

Field names are libfdt's (``struct fdt_header``, ``struct fdt_reserve_entry``,
``struct fdt_property`` in dtc's libfdt/fdt.h); each comment gives the meaning.

These declarations are the format's definition and are used for building headers and
reservation entries. Decoding a whole structure block goes through the hand-written loop
in :mod:`pvenum.fdt.decoder` instead (Construct is ~50x slower than ``struct`` there);
tests/fdt/test_layouts.py proves the two agree token by token on real blobs, and that the
decoder's one-call property reading (value plus the next token's header) is ``fdt_token``.

Token layouts are parsed from the structure block alone (``data[off_dt_struct:...]``), so
stream positions are offsets inside the block, which is what the pre-v16 8-byte value
alignment is measured against. Pass ``version=`` as a context parameter.
"""

from __future__ import annotations

from typing import Any

from .._construct import c, raw_default
from .constants import FDT_BEGIN_NODE, FDT_END, FDT_END_NODE, FDT_NOP, FDT_PROP, FIELD_SINCE

# struct fdt_header: big-endian u32 fields; later versions appended fields, so how many are
# present depends on `version` (sizes 28/32/36/36/40 for v1/v2/v3/v16/v17).
fdt_header = c.Struct(
    "magic" / c.Int32ub,  # FDT_MAGIC 0xd00dfeed
    "totalsize" / c.Int32ub,  # total blob size, all blocks and free space included
    "off_dt_struct" / c.Int32ub,  # structure block offset (4-aligned)
    "off_dt_strings" / c.Int32ub,  # strings block offset
    "off_mem_rsvmap" / c.Int32ub,  # memory-reservation block offset (8-aligned)
    "version" / c.Int32ub,  # format version (dtc writes 17)
    "last_comp_version" / c.Int32ub,  # oldest version this blob is compatible with (16)
    "boot_cpuid_phys" / c.If(c.this.version >= FIELD_SINCE["boot_cpuid_phys"], c.Int32ub),  # physical id of the boot CPU
    "size_dt_strings" / c.If(c.this.version >= FIELD_SINCE["size_dt_strings"], c.Int32ub),  # strings block length
    "size_dt_struct" / c.If(c.this.version >= FIELD_SINCE["size_dt_struct"], c.Int32ub),  # structure block length
)

# struct fdt_reserve_entry: one reserved physical range; the map ends at an entry whose
# size is 0 (fdt_num_mem_rsv() stops there, whatever the address).
fdt_reserve_entry = c.Struct(
    "address" / c.Int64ub,
    "size" / c.Int64ub,
)

# The whole reservation map including its terminator. RepeatUntil raises at the end of the
# data instead of truncating silently, unlike GreedyRange.
fdt_reserve_map = c.RepeatUntil(lambda entry, lst, ctx: entry.size == 0, fdt_reserve_entry)


def _pre_v16_value_pad(ctx: Any) -> bool:
    # Before v16, values of 8 bytes or more start 8-aligned within the structure block
    # (libfdt fdt_next_tag(); dtc FTF_VARALIGN): a 4-byte pad precedes them when needed.
    return ctx._params.version < 16 and ctx.len >= 8 and ctx._io.tell() % 8 != 0


# FDT_BEGIN_NODE payload: the node's name (unit address included), NUL-terminated, padded
# so that the next token is 4-aligned. Before v16 dtc wrote the full path here.
fdt_begin_node = c.Struct(
    "name" / c.Aligned(4, c.NullTerminated(c.GreedyBytes)),
)

# FDT_PROP payload (struct fdt_property without its tag).
fdt_property = c.Struct(
    "len" / c.Int32ub,  # value length in bytes
    "nameoff" / c.Int32ub,  # offset of the property's name in the strings block
    c.If(_pre_v16_value_pad, c.Padding(4)),
    "value" / c.Bytes(c.this.len),  # raw value: untyped bytes
    c.Padding(lambda ctx: -ctx.len % 4),
)

_no_payload = c.Struct()

# One structure-block token. An unknown tag has no defined length, so its explicit raw
# default is empty: a walker that meets it has to stop (libfdt: FDT_ERR_BADSTRUCTURE).
fdt_token = c.Struct(
    "tag" / c.Int32ub,
    "body" / c.Switch(
        c.this.tag,
        {
            FDT_BEGIN_NODE: fdt_begin_node,
            FDT_END_NODE: _no_payload,
            FDT_PROP: fdt_property,
            FDT_NOP: _no_payload,
            FDT_END: _no_payload,
        },
        default=raw_default(0),
    ),
)
