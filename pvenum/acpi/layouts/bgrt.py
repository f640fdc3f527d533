"""BGRT — Boot Graphics Resource Table.

ACPI 6.5 §5.2.23; ACPICA ``ACPI_TABLE_BGRT`` (actbl1.h), 56 bytes.
"""

from __future__ import annotations

from .body import FixedBody
from .common import Record, u8, u16, u32, u64
from .kinds import SdtKind

BGRT_BODY = Record(
    "BGRT",
    "Version" / u16 * "must be 1",
    "Status" / u8 * "bit0 displayed, bits[2:1] orientation offset",
    "ImageType" / u8 * "0 = bitmap",
    "ImageAddress" / u64 * "physical address of the image",
    "ImageOffsetX" / u32 * "X offset of the image",
    "ImageOffsetY" / u32 * "Y offset of the image",
    cite="ACPI 6.5 §5.2.23; ACPICA ACPI_TABLE_BGRT",
)

BGRT = SdtKind("BGRT", FixedBody(BGRT_BODY), title="Boot Graphics Resource Table", cite=BGRT_BODY.cite)
