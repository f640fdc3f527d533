"""SRAT — System Resource Affinity Table and its affinity subtables.

ACPI 6.5 §5.2.16; ACPICA ``ACPI_TABLE_SRAT`` and ``ACPI_SRAT_*`` (actbl3.h): 12-byte fixed
part (TableRevision, Reserved), then ``{u8 Type; u8 Length}`` subtables.
"""

from __future__ import annotations

from .body import SubtableBody, subtable_type
from .common import Record, raw, u8, u16, u24, u32, u64
from .kinds import SdtKind

SRAT_FIXED = Record(
    "SRAT",
    "TableRevision" / u32 * "must be 1",
    "Reserved" / u64 * "reserved, must be zero",
    cite="ACPI 6.5 §5.2.16; ACPICA ACPI_TABLE_SRAT",
)

_ENABLED = "bit0 Enabled"

CPU_AFFINITY = subtable_type(
    0, "CpuAffinity", "Processor Local APIC/SAPIC Affinity", "ACPI 6.5 §5.2.16.1; ACPICA ACPI_SRAT_CPU_AFFINITY",
    "ProximityDomainLo" / u8 * "proximity domain bits [7:0]",
    "ApicId" / u8 * "local APIC ID",
    "Flags" / u32 * _ENABLED,
    "LocalSapicEid" / u8 * "local SAPIC EID",
    "ProximityDomainHi" / u24 * "proximity domain bits [31:8]",
    "ClockDomain" / u32 * "clock domain",
)
MEMORY_AFFINITY = subtable_type(
    1, "MemoryAffinity", "Memory Affinity", "ACPI 6.5 §5.2.16.2; ACPICA ACPI_SRAT_MEM_AFFINITY",
    "ProximityDomain" / u32 * "proximity domain",
    "Reserved" / u16 * "reserved, must be zero",
    "BaseAddress" / u64 * "range base address",
    "Length" / u64 * "range length",
    "Reserved1" / u32 * "reserved, must be zero",
    "Flags" / u32 * "bit0 Enabled, bit1 Hot Pluggable, bit2 Non-Volatile",
    "Reserved2" / u64 * "reserved, must be zero",
)
X2APIC_CPU_AFFINITY = subtable_type(
    2, "X2ApicCpuAffinity", "Processor Local x2APIC Affinity",
    "ACPI 6.5 §5.2.16.3; ACPICA ACPI_SRAT_X2APIC_CPU_AFFINITY",
    "Reserved" / u16 * "reserved, must be zero",
    "ProximityDomain" / u32 * "proximity domain",
    "ApicId" / u32 * "x2APIC ID",
    "Flags" / u32 * _ENABLED,
    "ClockDomain" / u32 * "clock domain",
    "Reserved2" / u32 * "reserved, must be zero",
)
GICC_AFFINITY = subtable_type(
    3, "GiccAffinity", "GICC Affinity", "ACPI 6.5 §5.2.16.4; ACPICA ACPI_SRAT_GICC_AFFINITY",
    "ProximityDomain" / u32 * "proximity domain",
    "AcpiProcessorUid" / u32 * "ACPI processor UID (matches a GICC Uid)",
    "Flags" / u32 * _ENABLED,
    "ClockDomain" / u32 * "clock domain",
)
GIC_ITS_AFFINITY = subtable_type(
    4, "GicItsAffinity", "GIC ITS Affinity", "ACPI 6.5 §5.2.16.5; ACPICA ACPI_SRAT_GIC_ITS_AFFINITY",
    "ProximityDomain" / u32 * "proximity domain",
    "Reserved" / u16 * "reserved, must be zero",
    "ItsId" / u32 * "GIC ITS ID",
)
_GENERIC_FIELDS = (
    "Reserved" / u8 * "reserved, must be zero",
    "DeviceHandleType" / u8 * "0 ACPI device handle, 1 PCI device handle",
    "ProximityDomain" / u32 * "proximity domain",
    "DeviceHandle" / raw(16) * "ACPI _HID/_UID or PCI segment/BDF",
    "Flags" / u32 * "bit0 Enabled, bit1 Architectural Transactions",
    "Reserved1" / u32 * "reserved, must be zero",
)
GENERIC_AFFINITY = subtable_type(
    5, "GenericAffinity", "Generic Initiator Affinity", "ACPI 6.5 §5.2.16.6; ACPICA ACPI_SRAT_GENERIC_AFFINITY",
    *_GENERIC_FIELDS,
)
GENERIC_PORT_AFFINITY = subtable_type(
    6, "GenericPortAffinity", "Generic Port Affinity", "ACPI 6.5 §5.2.16.7; ACPICA ACPI_SRAT_GENERIC_AFFINITY",
    *_GENERIC_FIELDS,
)

SUBTABLE_TYPES = [CPU_AFFINITY, MEMORY_AFFINITY, X2APIC_CPU_AFFINITY, GICC_AFFINITY, GIC_ITS_AFFINITY,
                  GENERIC_AFFINITY, GENERIC_PORT_AFFINITY]

SRAT = SdtKind("SRAT", SubtableBody(SRAT_FIXED, SUBTABLE_TYPES, table="SRAT"),
               title="System Resource Affinity Table", cite=SRAT_FIXED.cite)
