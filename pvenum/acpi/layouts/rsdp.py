"""RSDP — Root System Description Pointer ("RSD PTR ").

ACPI 6.5 §5.2.5.3; ACPICA ``ACPI_TABLE_RSDP`` (actbl.h). Version 1 (Revision 0, ACPI 1.0) is
20 bytes with one checksum over them; Revision 2+ adds Length, XSDT address and an extended
checksum over all 36 bytes (``ACPI_RSDP_CHECKSUM_LENGTH`` 20, ``ACPI_RSDP_XCHECKSUM_LENGTH`` 36).
"""

from __future__ import annotations

from typing import Iterator

from ...errors import ParseError
from .body import FixedBody, unparsed_leaf
from .common import FMT, Leaf, Record, chars, raw, u8, u32, u64
from .decoded import DecodedTable
from .kinds import TableKind, byte_sum


SIGNATURE = "RSD PTR "
V1_SIZE = 20
V2_SIZE = 36

RSDP = Record(
    "RSDP",
    "Signature" / chars(8) * '"RSD PTR "',
    "Checksum" / u8 * "first 20 bytes sum to zero",
    "OemId" / chars(6) * "OEM identification",
    "Revision" / u8 * "0 = ACPI 1.0 (20 bytes), 2 = ACPI 2.0+ (36 bytes)",
    "RsdtPhysicalAddress" / u32 * "32-bit physical address of the RSDT",
    "Length" / u32 * "length of the RSDP in bytes (ACPI 2.0+)",
    "XsdtPhysicalAddress" / u64 * "64-bit physical address of the XSDT (ACPI 2.0+)",
    "ExtendedChecksum" / u8 * "all 36 bytes sum to zero (ACPI 2.0+)",
    "Reserved" / raw(3) * "reserved, must be zero",
    cite="ACPI 6.5 §5.2.5.3; ACPICA ACPI_TABLE_RSDP",
)

# Kept as table attributes rather than in .fields.
_HEAD = {"Signature": "signature", "Checksum": "checksum", "OemId": "oem_id", "Revision": "revision"}


class RsdpKind(TableKind):
    signature = SIGNATURE
    name = "RSDP"
    title = "Root System Description Pointer"
    cite = RSDP.cite
    body = FixedBody(RSDP)

    def decode(self, data: bytes, cls: type[DecodedTable] = DecodedTable) -> "DecodedTable":
        if len(data) < V1_SIZE:
            raise ParseError(FMT, f"RSDP: {len(data)} bytes is shorter than the {V1_SIZE}-byte ACPI 1.0 RSDP",
                             offset=len(data))
        revision = data[15]
        # A revision-2 RSDP cut short keeps the fields present (validation reports it).
        size = min(len(data), V2_SIZE if revision >= 2 else V1_SIZE)
        values, used = RSDP.parse(data, 0, size)
        head = {attr: values.pop(k) for k, attr in _HEAD.items()}
        length = values["Length"] if "Length" in values else used
        return cls(**head, length=length, oem_table_id=None, oem_revision=None, creator_id=None,
                   creator_revision=None, fields=values, unparsed=data[used:size], trailing=data[size:], kind=self)

    def _all(self, table: "DecodedTable") -> dict:
        return {**{k: getattr(table, attr) for k, attr in _HEAD.items()}, **table.fields}

    def encode(self, table: "DecodedTable") -> bytes:
        return RSDP.build(self._all(table)) + bytes(table.unparsed)

    def leaves(self, table: "DecodedTable") -> Iterator[Leaf]:
        values = self._all(table)
        yield from RSDP.leaves(values, 0)
        yield from unparsed_leaf(table.unparsed, RSDP.used(values))

    def checksum_valid(self, table: "DecodedTable") -> bool:
        data = self.encode(table)
        ok = byte_sum(data[:V1_SIZE]) == 0
        if (table.revision or 0) >= 2:
            ok = ok and len(data) >= V2_SIZE and byte_sum(data[:V2_SIZE]) == 0
        return ok

    def repair(self, table: "DecodedTable", *, lengths: bool) -> None:
        if lengths and "Length" in table.fields:
            table.fields["Length"] = len(self.encode(table))
            table.length = table.fields["Length"]
        table.checksum = 0
        if "ExtendedChecksum" in table.fields:
            table.fields["ExtendedChecksum"] = 0
        table.checksum = (-byte_sum(self.encode(table)[:V1_SIZE])) & 0xFF
        if "ExtendedChecksum" in table.fields:
            table.fields["ExtendedChecksum"] = (-byte_sum(self.encode(table)[:V2_SIZE])) & 0xFF


RSDP_KIND = RsdpKind()
