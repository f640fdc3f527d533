"""PPTT — Processor Properties Topology Table: the processor hierarchy and its caches.

ACPI 6.5 §5.2.30; ACPICA ``ACPI_TABLE_PPTT``, ``ACPI_PPTT_*`` (actbl2.h). No fixed part;
``{u8 Type; u8 Length}`` structures. Cache structures grew a CacheId in revision 3 (24 → 28).
"""

from __future__ import annotations

from .body import SUBTABLE_HEAD
from .common import Record, u8, u16, u32, u64
from .kinds import SdtKind
from .tree import Entries, Items, Shape, TreeBody, entry_type

HEADER = SUBTABLE_HEAD  # ACPICA ACPI_SUBTABLE_HEADER, as MADT and SRAT

PROCESSOR = entry_type(
    0, "Processor", "Processor Hierarchy Node", "ACPI 6.5 §5.2.30.1; ACPICA ACPI_PPTT_PROCESSOR",
    "Reserved" / u16 * "reserved, must be zero",
    "Flags" / u32 * "bit0 physical package, bit1 ACPI processor ID valid, bit2 thread, bit3 leaf, bit4 identical",
    "Parent" / u32 * "offset of the parent node (0 = none)",
    "AcpiProcessorId" / u32 * "ACPI processor UID",
    "NumberOfPrivResources" / u32 * "private resources that follow",
    parts=(Items("PrivateResources", u32, count="NumberOfPrivResources", doc="offset of a cache or ID structure"),),
)
CACHE = entry_type(
    1, "Cache", "Cache Type", "ACPI 6.5 §5.2.30.2; ACPICA ACPI_PPTT_CACHE",
    "Reserved" / u16 * "reserved, must be zero",
    "Flags" / u32 * "which of the following fields are valid",
    "NextLevelOfCache" / u32 * "offset of the next level cache (0 = none)",
    "Size" / u32 * "cache size in bytes",
    "NumberOfSets" / u32 * "number of sets",
    "Associativity" / u8 * "ways",
    "Attributes" / u8 * "bits[1:0] allocation, [3:2] type, bit4 write policy",
    "LineSize" / u16 * "line size in bytes",
    "CacheId" / u32 * "unique cache ID (revision 3)",
)
ID = entry_type(
    2, "Id", "ID", "ACPI 6.5 §5.2.30.3 (removed in 6.4); ACPICA ACPI_PPTT_ID",
    "Reserved" / u16 * "reserved, must be zero",
    "VendorId" / u32 * "vendor ID",
    "Level1Id" / u64 * "vendor-specific ID 1",
    "Level2Id" / u64 * "vendor-specific ID 2",
    "MajorRev" / u16 * "major revision",
    "MinorRev" / u16 * "minor revision",
    "SpinRev" / u16 * "spin revision",
)

STRUCTURES = Entries("Structures", HEADER, (PROCESSOR, CACHE, ID))
PPTT = SdtKind("PPTT", TreeBody(Shape(Record("PPTT", cite="ACPI 6.5 §5.2.30; ACPICA ACPI_TABLE_PPTT"), (STRUCTURES,)),
                                subtables="Structures"),
               title="Processor Properties Topology Table", cite="ACPI 6.5 §5.2.30; ACPICA ACPI_TABLE_PPTT")
