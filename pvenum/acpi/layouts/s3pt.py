"""S3PT — FPDT's S3 Performance Table: the short ``Signature``/``Length`` header only.

ACPI 6.5 §5.2.24.5; ACPICA ``ACPI_TABLE_S3PT`` (actbl1.h). The table is reached through the
FPDT's S3 performance table pointer, not the XSDT; its performance records are kept as bytes.
"""

from __future__ import annotations

from .common import Record, chars, u32
from .kinds import ShortHeaderKind

S3PT_HEADER = Record(
    "S3PT",
    "Signature" / chars(4) * '"S3PT"',
    "Length" / u32 * "length of the table",
    cite="ACPI 6.5 §5.2.24.5; ACPICA ACPI_TABLE_S3PT",
)

S3PT = ShortHeaderKind("S3PT", S3PT_HEADER, name="S3PT", title="S3 Performance Table", decode_body=False)
