"""What a kind of table is: its names and how its header and body become a DecodedTable and back.

:class:`SdtKind` covers every table with the 36-byte header; :class:`ShortHeaderKind` the
structures that start with only Signature and Length (FACS, S3PT); the RSDP has its own kind
(rsdp.py).
"""

from __future__ import annotations

from typing import Iterator

from ...errors import ParseError
from .body import Body, FixedBody, RawBody, SubtableBody, unparsed_leaf
from .common import FMT, Leaf, Record
from .decoded import DecodedTable
from .header import ATTRS, HEADER, HEADER_SIZE
from .titles import title_for

_LENGTH = HEADER.offsets[HEADER.names.index("Length")]  # where repair() patches the header's Length
_LENGTH_AT = HEADER.names.index("Length")
# SdtKind.decode passes the header's values, then these, positionally to DecodedTable (whose field
# order tests/acpi/test_layout_plans.py checks against HEADER's).
DECODED_ORDER = ("fields", "subtables", "unparsed", "trailing", "kind")


def byte_sum(data: bytes) -> int:
    return sum(data) & 0xFF


class TableKind:
    signature: str
    name: str
    title: str
    cite: str
    body: Body

    def decode(self, data: bytes, cls: type[DecodedTable] = DecodedTable) -> "DecodedTable":  # pragma: no cover
        """The table at the start of ``data`` as ``cls`` (DecodedTable or a subclass of it)."""
        raise NotImplementedError

    def encode(self, table: "DecodedTable") -> bytes:  # pragma: no cover
        raise NotImplementedError

    def leaves(self, table: "DecodedTable") -> Iterator[Leaf]:  # pragma: no cover
        raise NotImplementedError

    def checksum_valid(self, table: "DecodedTable") -> bool | None:  # pragma: no cover
        raise NotImplementedError

    def repair(self, table: "DecodedTable", *, lengths: bool) -> None:  # pragma: no cover
        raise NotImplementedError

    def field_size(self, name: str) -> int | None:
        """The declared size of a top-level field of the body's fixed part (None: not one)."""
        fixed = self.body.records[0] if self.body.records else None  # a Body lists its fixed part first
        if fixed is not None and name in fixed.names:
            return fixed.sizes[fixed.names.index(name)]
        return None

    def body_declared(self) -> bool:
        return self.body.declared()

    def subtable_offsets(self, table: "DecodedTable") -> list[int]:
        """Where each subtable starts in the table as it would be built now."""
        return self.body.subtable_offsets(table, HEADER_SIZE)


class SdtKind(TableKind):
    """A table with the standard header; ``body`` says how the rest is laid out."""

    def __init__(self, signature: str, body: Body, *, name: str | None = None, title: str = "",
                 cite: str = "") -> None:
        self.signature = signature
        self.name = name or signature
        self.title = title
        self.cite = cite
        self.body = body

    def __repr__(self) -> str:
        return f"<SdtKind {self.signature}>"

    def decode(self, data: bytes, cls: type[DecodedTable] = DecodedTable) -> "DecodedTable":
        if len(data) < HEADER_SIZE:
            raise ParseError(FMT, f"{len(data)} bytes is shorter than the {HEADER_SIZE}-byte table header",
                             offset=len(data))
        head = HEADER.row(data, 0)  # the header's values in the order of DecodedTable's first fields
        length = head[_LENGTH_AT]
        if length < HEADER_SIZE:
            raise ParseError(FMT, f"{head[0]!r}: Length {length} is less than the {HEADER_SIZE}-byte header",
                             offset=4)
        if length > len(data):
            raise ParseError(FMT, f"{head[0]!r}: Length {length} claims more than the "
                             f"{len(data)} bytes present", offset=4)
        decoded = self.body.decode(data, HEADER_SIZE, length)
        return cls(*head, decoded.fields, decoded.subtables, decoded.unparsed, data[length:], self)

    def header_fields(self, table: "DecodedTable") -> dict:
        return {k: getattr(table, attr) for k, attr in ATTRS.items()}

    def encode(self, table: "DecodedTable") -> bytes:
        return HEADER.build(self.header_fields(table)) + self.body.encode(table)

    def leaves(self, table: "DecodedTable") -> Iterator[Leaf]:
        yield from HEADER.leaves(self.header_fields(table), 0)
        yield from self.body.leaves(table, HEADER_SIZE)

    def checksum_valid(self, table: "DecodedTable") -> bool:
        return byte_sum(self.encode(table)) == 0

    def repair(self, table: "DecodedTable", *, lengths: bool) -> None:
        if lengths and isinstance(self.body, SubtableBody):
            for sub in table.subtables:
                sub.length = self.body.natural_length(sub)
        elif lengths and hasattr(self.body, "repair_lengths"):
            self.body.repair_lengths(table)  # tree bodies: every entry's Length, nested ones first
        table.checksum = 0
        data = bytearray(self.encode(table))  # the one encode: Length and Checksum are patched in
        if lengths:
            table.length = len(data)
            data[_LENGTH:_LENGTH + 4] = table.length.to_bytes(4, "little")
        table.checksum = (-byte_sum(data)) & 0xFF
        for sub, offset in zip(table.subtables, self.subtable_offsets(table)):
            sub.offset = offset


class ShortHeaderKind(TableKind):
    """A structure that starts with only ``Signature[4]`` and ``Length`` (u32) — no revision, OEM
    fields or checksum: the FACS, and FPDT's S3PT/FBPT performance records."""

    def __init__(self, signature: str, record: Record, *, name: str, title: str,
                 revision_field: str | None = None, decode_body: bool = True) -> None:
        self.signature = signature
        self.record = record
        self.name = name
        self.title = title
        self.cite = record.cite
        self.revision_field = revision_field
        self.body = FixedBody(record)
        self._declared = decode_body

    def body_declared(self) -> bool:
        return self._declared

    def decode(self, data: bytes, cls: type[DecodedTable] = DecodedTable) -> "DecodedTable":
        sig = self.signature
        if len(data) < 8:
            raise ParseError(FMT, f"{sig}: {len(data)} bytes is shorter than its signature and length",
                             offset=len(data))
        values, _ = self.record.parse(data, 0, 8)
        length = values["Length"]
        if length < 8:
            raise ParseError(FMT, f"{sig}: Length {length} is less than its 8-byte signature and length", offset=4)
        if length > len(data):
            raise ParseError(FMT, f"{sig}: Length {length} claims more than the {len(data)} bytes present", offset=4)
        values, used = self.record.parse(data, 0, length)
        del values["Signature"], values["Length"]
        revision = values.get(self.revision_field) if self.revision_field else None
        return cls(sig, length, revision, None, None, None, None, None, None,
                   fields=values, unparsed=data[used:length], trailing=data[length:], kind=self)

    def _all(self, table: "DecodedTable") -> dict:
        return {"Signature": table.signature, "Length": table.length, **table.fields}

    def encode(self, table: "DecodedTable") -> bytes:
        return self.record.build(self._all(table)) + bytes(table.unparsed)

    def leaves(self, table: "DecodedTable") -> Iterator[Leaf]:
        values = self._all(table)
        yield from self.record.leaves(values, 0)
        yield from unparsed_leaf(table.unparsed, self.record.used(values))

    def checksum_valid(self, table: "DecodedTable") -> None:
        return None

    def repair(self, table: "DecodedTable", *, lengths: bool) -> None:
        if lengths:
            table.length = len(self.encode(table))
        if self.revision_field:
            table.revision = table.fields.get(self.revision_field)


def raw_kind(signature: str) -> SdtKind:
    """A table pvenum does not decode: header plus the body as bytes."""
    title = title_for(signature)
    return SdtKind(signature, RawBody(), title=f"{title} (body not decoded by pvenum)")
