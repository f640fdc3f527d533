"""FACS — Firmware ACPI Control Structure ("FACS"), which has no standard header or checksum.

ACPI 6.5 §5.2.10; ACPICA ``ACPI_TABLE_FACS`` (actbl.h), 64 bytes. Only the FADT points to it
(FIRMWARE_CTRL / X_FIRMWARE_CTRL); the RSDT/XSDT never list it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Iterator

from ...errors import ParseError
from .body import FixedBody
from .common import FMT, Leaf, Record, chars, raw, u8, u32, u64
from .kinds import TableKind

if TYPE_CHECKING:  # pragma: no cover
    from ..model import AcpiTable

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


class FacsKind(TableKind):
    signature = "FACS"
    name = "FACS"
    title = "Firmware ACPI Control Structure"
    cite = FACS.cite
    body = FixedBody(FACS)

    def decode(self, data: bytes) -> "AcpiTable":
        from ..model import AcpiTable

        if len(data) < 8:
            raise ParseError(FMT, f"FACS: {len(data)} bytes is shorter than its signature and length", offset=len(data))
        values, _ = FACS.parse(data, 0, 8)
        length = values["Length"]
        if length < 8:
            raise ParseError(FMT, f"FACS: Length {length} is less than its 8-byte signature and length", offset=4)
        if length > len(data):
            raise ParseError(FMT, f"FACS: Length {length} claims more than the {len(data)} bytes present", offset=4)
        values, used = FACS.parse(data, 0, length)
        del values["Signature"], values["Length"]
        return AcpiTable("FACS", length, values.get("Version"), None, None, None, None, None, None,
                         fields=values, unparsed=data[used:length], trailing=data[length:], kind=self)

    def _all(self, table: "AcpiTable") -> dict:
        return {"Signature": table.signature, "Length": table.length, **table.fields}

    def encode(self, table: "AcpiTable") -> bytes:
        return FACS.build(self._all(table)) + bytes(table.unparsed)

    def leaves(self, table: "AcpiTable") -> Iterator[Leaf]:
        values = self._all(table)
        yield from FACS.leaves(values, 0)
        if table.unparsed:
            off = sum(FACS.sizes[: FACS.present(values)])
            yield Leaf("unparsed", off, len(table.unparsed), bytes(table.unparsed), "bytes")

    def checksum_valid(self, table: "AcpiTable") -> None:
        return None

    def repair(self, table: "AcpiTable", *, lengths: bool) -> None:
        if lengths:
            table.length = len(self.encode(table))
        table.revision = table.fields.get("Version")
