"""HMAT — Heterogeneous Memory Attribute Table: memory proximity domains, latency/bandwidth
matrices and memory-side caches.

ACPI 6.5 §5.2.28; ACPICA ``ACPI_TABLE_HMAT``, ``ACPI_HMAT_*`` (actbl1.h). 4-byte fixed part;
structures ``{u16 Type; u16 Reserved; u32 Length}``.
"""

from __future__ import annotations

from .common import Record, u8, u16, u32, u64
from .kinds import SdtKind
from .tree import Entries, Items, Shape, TreeBody, entry_type

HMAT_FIXED = Record("HMAT", "Reserved" / u32 * "reserved, must be zero", cite="ACPI 6.5 §5.2.28; ACPICA ACPI_TABLE_HMAT")
HEADER = Record("HmatStructure", "Type" / u16, "HeaderReserved" / u16 * "ACPICA Header.Reserved: reserved, must be zero", "Length" / u32, cite="ACPICA ACPI_HMAT_STRUCTURE")

PROXIMITY_DOMAIN = entry_type(
    0, "ProximityDomain", "Memory Proximity Domain Attributes", "ACPI 6.5 §5.2.28.4; ACPICA ACPI_HMAT_PROXIMITY_DOMAIN",
    "Flags" / u16 * "bit0 InitiatorPD valid",
    "Reserved1" / u16 * "reserved, must be zero",
    "InitiatorPD" / u32 * "attached initiator proximity domain",
    "MemoryPD" / u32 * "memory proximity domain",
    "Reserved2" / u32 * "reserved, must be zero",
    "Reserved3" / u64 * "reserved, must be zero",
    "Reserved4" / u64 * "reserved, must be zero",
)
LOCALITY = entry_type(
    1, "Locality", "System Locality Latency and Bandwidth Information", "ACPI 6.5 §5.2.28.5; ACPICA ACPI_HMAT_LOCALITY",
    "Flags" / u8 * "bits[3:0] memory hierarchy, bits[5:4] access attributes",
    "DataType" / u8 * "0 access latency, 1 read latency, 2 write latency, 3 access bandwidth, 4 read bw, 5 write bw",
    "MinTransferSize" / u8 * "minimum transfer size",
    "Reserved1" / u8 * "reserved, must be zero",
    "NumberOfInitiatorPDs" / u32 * "initiator proximity domains in the matrix",
    "NumberOfTargetPDs" / u32 * "target proximity domains in the matrix",
    "Reserved2" / u32 * "reserved, must be zero",
    "EntryBaseUnit" / u64 * "unit of the entries (ps or MB/s)",
    parts=(Items("InitiatorPDs", u32, count="NumberOfInitiatorPDs", doc="initiator proximity domain"),
           Items("TargetPDs", u32, count="NumberOfTargetPDs", doc="target proximity domain"),
           Items("Entries", u16, count=lambda v: v["NumberOfInitiatorPDs"] * v["NumberOfTargetPDs"],
                 doc="latency or bandwidth in EntryBaseUnit (0 = no path)")),
)
CACHE = entry_type(
    2, "Cache", "Memory Side Cache Information", "ACPI 6.5 §5.2.28.6; ACPICA ACPI_HMAT_CACHE",
    "MemoryPD" / u32 * "memory proximity domain",
    "Reserved1" / u32 * "reserved, must be zero",
    "CacheSize" / u64 * "memory side cache size",
    "CacheAttributes" / u32 * "levels, associativity, write policy, line size",
    "AddressMode" / u16 * "0 unknown, 1 extended-linear (ACPI 6.6; Reserved2 before)",
    "NumberOfSMBIOSHandles" / u16 * "SMBIOS type 17 handles that follow",
    parts=(Items("SMBIOSHandles", u16, count="NumberOfSMBIOSHandles", doc="SMBIOS handle"),),
)

STRUCTURES = Entries("Structures", HEADER, (PROXIMITY_DOMAIN, LOCALITY, CACHE))
HMAT = SdtKind("HMAT", TreeBody(Shape(HMAT_FIXED, (STRUCTURES,)), subtables="Structures"),
               title="Heterogeneous Memory Attribute Table", cite=HMAT_FIXED.cite)
