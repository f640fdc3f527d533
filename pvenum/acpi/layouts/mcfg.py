"""MCFG — PCI Express memory-mapped configuration space base addresses.

PCI Firmware Specification 3.x §4.1.2 (table listed in ACPI 6.5 §5.2.6 Table 5.6);
ACPICA ``ACPI_TABLE_MCFG`` + ``ACPI_MCFG_ALLOCATION`` (actbl2.h): 8 reserved bytes, then
16-byte allocation records.
"""

from __future__ import annotations

from .body import RecordArrayBody
from .common import Record, raw, u8, u16, u32, u64
from .kinds import SdtKind

MCFG_FIXED = Record(
    "MCFG",
    "Reserved" / raw(8) * "reserved, must be zero",
    cite="PCI Firmware 3.3 §4.1.2; ACPICA ACPI_TABLE_MCFG",
)
ALLOCATION = Record(
    "Allocation",
    "Address" / u64 * "ECAM base address",
    "PciSegment" / u16 * "PCI segment group number",
    "StartBusNumber" / u8 * "first bus decoded",
    "EndBusNumber" / u8 * "last bus decoded",
    "Reserved" / u32 * "reserved, must be zero",
    cite="PCI Firmware 3.3 §4.1.2 Table 4-3; ACPICA ACPI_MCFG_ALLOCATION",
)

MCFG = SdtKind("MCFG", RecordArrayBody(MCFG_FIXED, ALLOCATION),
               title="PCI Express Memory-mapped Configuration", cite=MCFG_FIXED.cite)
