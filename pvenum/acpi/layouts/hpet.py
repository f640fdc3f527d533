"""HPET — IA-PC High Precision Event Timer Table.

IA-PC HPET Specification 1.0a §3.2.4; ACPICA ``ACPI_TABLE_HPET`` (actbl1.h), 56 bytes.
"""

from __future__ import annotations

from .body import FixedBody
from .common import GAS, Record, u8, u16, u32
from .kinds import SdtKind

HPET_BODY = Record(
    "HPET",
    "Id" / u32 * "event timer block ID (hardware revision, comparators, vendor)",
    "Address" / GAS * "base address of the event timer block",
    "Sequence" / u8 * "HPET number",
    "MinimumTick" / u16 * "main counter minimum clock tick in periodic mode",
    "Flags" / u8 * "bits[1:0] page protection (0 none, 1 4 KiB, 2 64 KiB)",
    cite="IA-PC HPET 1.0a §3.2.4; ACPICA ACPI_TABLE_HPET",
)

HPET = SdtKind("HPET", FixedBody(HPET_BODY), title="High Precision Event Timer", cite=HPET_BODY.cite)
