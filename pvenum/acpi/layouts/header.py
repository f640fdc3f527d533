"""The 36-byte System Description Table header every table except RSDP and FACS starts with.

ACPI 6.5 §5.2.6 "System Description Table Header"; ACPICA ``ACPI_TABLE_HEADER`` (actbl.h).
The checksum makes the byte sum of the whole table (Length bytes) zero modulo 256.
"""

from __future__ import annotations

from .common import Record, chars, u8, u32

HEADER_SIZE = 36

HEADER = Record(
    "Header",
    "Signature" / chars(4) * "table signature (ASCII)",
    "Length" / u32 * "length of the whole table in bytes, header included",
    "Revision" / u8 * "revision of the table's structure",
    "Checksum" / u8 * "entire table sums to zero",
    "OemId" / chars(6) * "OEM identification",
    "OemTableId" / chars(8) * "OEM table identification",
    "OemRevision" / u32 * "OEM revision number",
    "AslCompilerId" / chars(4) * "vendor ID of the tool that made the table",
    "AslCompilerRevision" / u32 * "revision of that tool",
    cite="ACPI 6.5 §5.2.6; ACPICA ACPI_TABLE_HEADER",
)

# Header field name -> table attribute (DecodedTable, AcpiTable).
ATTRS = {
    "Signature": "signature",
    "Length": "length",
    "Revision": "revision",
    "Checksum": "checksum",
    "OemId": "oem_id",
    "OemTableId": "oem_table_id",
    "OemRevision": "oem_revision",
    "AslCompilerId": "creator_id",
    "AslCompilerRevision": "creator_revision",
}
