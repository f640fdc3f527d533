"""SLIT — System Locality Distance Information Table.

ACPI 6.5 §5.2.17; ACPICA ``ACPI_TABLE_SLIT`` (actbl3.h): LocalityCount (u64), then a
LocalityCount × LocalityCount matrix of u8 distances (10 = local). The count is checked
against the bytes present before any row is read, so a hostile count allocates nothing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Iterator

from ... import _construct
from ...errors import ParseError
from .body import Body, Decoded, unparsed_leaf
from .common import FMT, Leaf, Record, raw, u64
from .kinds import SdtKind

if TYPE_CHECKING:  # pragma: no cover
    from .decoded import DecodedTable

SLIT_FIXED = Record(
    "SLIT",
    "LocalityCount" / u64 * "number of system localities",
    cite="ACPI 6.5 §5.2.17; ACPICA ACPI_TABLE_SLIT",
)


class SlitBody(Body):
    records = (SLIT_FIXED,)

    def decode(self, data: bytes, start: int, end: int) -> Decoded:
        fields, used = SLIT_FIXED.parse(data, start, end)
        pos = start + used
        count = fields.get("LocalityCount", 0)
        # Only a matrix that fits is decoded; otherwise the bytes stay unparsed (validation says why).
        if used and 0 < count and count * count <= end - pos:
            entries = []
            for _ in range(count):  # a row is raw(count): its bytes, which the bound above grants
                entries.append(list(data[pos:pos + count]))
                pos += count
            fields["Entry"] = entries
        return Decoded(fields, unparsed=data[pos:end])

    def encode(self, table: "DecodedTable") -> bytes:
        fields = dict(table.fields)
        rows = fields.pop("Entry", [])
        out = SLIT_FIXED.build(fields)
        for row in rows:
            if any(not 0 <= v <= 0xFF for v in row):
                raise ParseError(FMT, "SLIT distances are bytes (0..255)")
            out += _construct.build(raw(len(row)), bytes(row), fmt=FMT)
        return out + bytes(table.unparsed)

    def leaves(self, table: "DecodedTable", base: int) -> Iterator[Leaf]:
        fields = {k: v for k, v in table.fields.items() if k != "Entry"}
        yield from SLIT_FIXED.leaves(fields, base)
        pos = base + SLIT_FIXED.used(fields)
        for i, row in enumerate(table.fields.get("Entry", [])):
            yield Leaf(f"Entry[{i}]", pos, len(row), bytes(row), "bytes", f"distances from locality {i}")
            pos += len(row)
        yield from unparsed_leaf(table.unparsed, pos)


SLIT = SdtKind("SLIT", SlitBody(), title="System Locality Distance Information Table", cite=SLIT_FIXED.cite)
