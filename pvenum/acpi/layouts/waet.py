"""WAET — Windows ACPI Emulated Devices Table (hypervisors advertise cheap RTC/PM timer).

Microsoft WAET specification 1.0; ACPICA ``ACPI_TABLE_WAET`` (actbl3.h), 40 bytes.
"""

from __future__ import annotations

from .body import FixedBody
from .common import Record, u32
from .kinds import SdtKind

WAET_BODY = Record(
    "WAET",
    "Flags" / u32 * "bit0 RTC needs no INT ack, bit1 PM timer is good after one read",
    cite="Microsoft WAET 1.0; ACPICA ACPI_TABLE_WAET",
)

WAET = SdtKind("WAET", FixedBody(WAET_BODY), title="Windows ACPI Emulated Devices", cite=WAET_BODY.cite)
