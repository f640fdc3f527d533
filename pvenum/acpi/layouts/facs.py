"""FACS — Firmware ACPI Control Structure ("FACS"), which has no standard header or checksum.

ACPI 6.5 §5.2.10; ACPICA ``ACPI_TABLE_FACS`` (actbl.h), 64 bytes. Only the FADT points to it
(FIRMWARE_CTRL / X_FIRMWARE_CTRL); the RSDT/XSDT never list it.
"""

from __future__ import annotations

from .common import Record, chars, raw, u8, u32, u64
from .kinds import ShortHeaderKind

SIZE = 64

FACS = Record(
    "FACS",
    "Signature" / chars(4) * '"FACS"',
    "Length" / u32 * "length of the structure (at least 64)",
    "HardwareSignature" / u32 * "changes when the hardware configuration changes",
    "FirmwareWakingVector" / u32 * "32-bit real-mode waking vector",
    "GlobalLock" / u32 * "global lock shared between OS and firmware",
    "Flags" / u32 * "bit0 S4BIOS_F, bit1 64BIT_WAKE_SUPPORTED_F",
    "XFirmwareWakingVector" / u64 * "64-bit waking vector (ACPI 2.0+)",
    "Version" / u8 * "FACS version (2 for ACPI 4.0+)",
    "Reserved" / raw(3) * "reserved, must be zero",
    "OspmFlags" / u32 * "bit0 64BIT_WAKE_F (set by OSPM)",
    "Reserved1" / raw(24) * "reserved, must be zero",
    cite="ACPI 6.5 §5.2.10; ACPICA ACPI_TABLE_FACS",
)

FACS_KIND = ShortHeaderKind("FACS", FACS, name="FACS", title="Firmware ACPI Control Structure",
                            revision_field="Version")
