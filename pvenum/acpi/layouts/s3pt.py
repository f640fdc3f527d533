"""S3PT — FPDT's S3 Performance Table: the short ``Signature``/``Length`` header, then
performance records (resume, suspend) with no table header of their own.

ACPI 6.5 §5.2.24.5; ACPICA ``ACPI_TABLE_S3PT`` (actbl1.h). The table is reached through the
FPDT's S3 performance table pointer, not the XSDT. Its records are declared in fpdt.py.
"""

from __future__ import annotations

from typing import Iterator

from .body import unparsed_leaf
from .common import Leaf, Record, chars, u32
from .decoded import DecodedTable
from .fpdt import S3PT_RECORDS
from .kinds import ShortHeaderKind
from .tree import Shape, decode_shape, encode_shape, shape_leaves

S3PT_HEADER = Record(
    "S3PT",
    "Signature" / chars(4) * '"S3PT"',
    "Length" / u32 * "length of the table",
    cite="ACPI 6.5 §5.2.24.5; ACPICA ACPI_TABLE_S3PT",
)
_RECORDS = Shape(Record("S3ptRecords", cite=S3PT_HEADER.cite), (S3PT_RECORDS,))


class ShortTreeKind(ShortHeaderKind):
    """A short-header table whose body is a sequence of typed records (``fields["Records"]``)."""

    def __init__(self, signature: str, header: Record, records: Shape, **kw) -> None:
        super().__init__(signature, header, **kw)
        self.records = records

    def decode(self, data: bytes, cls: type[DecodedTable] = DecodedTable) -> "DecodedTable":
        table = super().decode(data, cls)  # bounds the Length; the body comes back as unparsed
        end = table.length
        body, pos = decode_shape(self.records, data, 8, end)
        table.fields.update(body)
        table.unparsed = data[pos:end]
        return table

    def _body(self, table: "DecodedTable") -> dict:
        return {k: v for k, v in table.fields.items() if k in self.records.names()}

    def _head(self, table: "DecodedTable") -> dict:
        return {"Signature": table.signature, "Length": table.length,
                **{k: v for k, v in table.fields.items() if k not in self.records.names()}}

    def encode(self, table: "DecodedTable") -> bytes:
        return (self.record.build(self._head(table)) + encode_shape(self.records, self._body(table))
                + bytes(table.unparsed))

    def leaves(self, table: "DecodedTable") -> Iterator[Leaf]:
        head = self._head(table)
        yield from self.record.leaves(head, 0)
        base = self.record.used(head)
        body = self._body(table)
        yield from shape_leaves(self.records, body, base)
        end = base + len(encode_shape(self.records, body))
        yield from unparsed_leaf(table.unparsed, end)


S3PT = ShortTreeKind("S3PT", S3PT_HEADER, _RECORDS, name="S3PT", title="S3 Performance Table")
