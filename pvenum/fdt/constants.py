"""Numbers of the flattened-devicetree format (devicetree specification §5; dtc libfdt/fdt.h).

Only constants live here, so the decoder, the builder and the checker share one spelling.
"""

from __future__ import annotations

FDT_MAGIC = 0xD00DFEED

# Structure-block tokens (big-endian u32, each 4-byte aligned).
FDT_BEGIN_NODE = 0x1  # + NUL-terminated name, padded to 4
FDT_END_NODE = 0x2
FDT_PROP = 0x3  # + u32 len, u32 nameoff, len bytes of value, padded to 4
FDT_NOP = 0x4
FDT_END = 0x9

# libfdt.h: the versions libfdt reads.
FDT_FIRST_SUPPORTED_VERSION = 0x02
FDT_LAST_SUPPORTED_VERSION = 0x11

# The v1 header's size; later versions appended one u32 field each (FIELD_SINCE).
FDT_V1_SIZE = 28

# The versions dtc can write, with the last_comp_version it stamps on each (flattree.c).
DTC_VERSIONS = {1: 1, 2: 1, 3: 1, 16: 16, 17: 16}
DEFAULT_VERSION = 17

# Header fields in layout order, by their libfdt names (struct fdt_header).
HEADER_FIELDS = (
    "magic",
    "totalsize",
    "off_dt_struct",
    "off_dt_strings",
    "off_mem_rsvmap",
    "version",
    "last_comp_version",
    "boot_cpuid_phys",  # the three FIELD_SINCE lists
    "size_dt_strings",
    "size_dt_struct",
)

# The header fields later versions appended, and the version each first appears in (dtc's
# libfdt/fdt.h struct fdt_header comments: "version 2 fields below", "3", "17").
FIELD_SINCE = {"boot_cpuid_phys": 2, "size_dt_strings": 3, "size_dt_struct": 17}

RESERVE_ENTRY_SIZE = 16  # struct fdt_reserve_entry { fdt64 address; fdt64 size; }
INT_MAX = 0x7FFFFFFF  # libfdt keeps every offset in an int

# Caps on what one blob may make pvenum allocate. Real trees are far below them: the largest
# DTB the Linux arm64 kernel package ships has about 3,000 nodes and 15,000 properties.
MAX_DEPTH = 256
MAX_NODES = 100_000
MAX_PROPERTIES = 500_000


def header_size(version: int) -> int:
    """Bytes of header a blob of ``version`` carries (libfdt fdt_header_size_(): 28, 32, 36, 36
    and 40 for v1, v2, v3, v16 and v17): the v1 fields and those appended since."""
    return FDT_V1_SIZE + 4 * sum(version >= since for since in FIELD_SINCE.values())


def align(value: int, to: int) -> int:
    return (value + to - 1) & -to
