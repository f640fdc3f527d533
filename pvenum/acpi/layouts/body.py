"""How a table body (everything after its header) is decoded and rebuilt.

Each shape is bounded by the bytes its length field grants and keeps what it does not
decode (``unparsed``) so every table rebuilds byte for byte:

- :class:`FixedBody` — one :class:`~.common.Record` (FADT, HPET, CCEL, ...), optionally
  followed by a named byte string (AML code);
- :class:`SubtableBody` — a Record then ``{u8 Type; u8 Length; ...}`` subtables, each stepped by
  its own Length (MADT, SRAT; ACPICA ``ACPI_SUBTABLE_HEADER``);
- :class:`RecordArrayBody` — a Record then fixed-size records (MCFG allocations);
- :class:`EntryArrayBody` — an array of addresses (RSDT, XSDT);
- :class:`RawBody` — a table pvenum does not know: the body as bytes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Iterator

from ... import _construct
from ..._construct import c
from ...errors import ParseError
from .common import FMT, Leaf, Record, scalar_array, u8
from .decoded import Subtable

if TYPE_CHECKING:  # pragma: no cover
    from .decoded import DecodedTable


@dataclass
class Decoded:
    fields: dict[str, Any] = field(default_factory=dict)
    subtables: list["Subtable"] = field(default_factory=list)
    unparsed: bytes = b""


class Body:
    """Base: a body shape knows how to decode, rebuild and enumerate its leaves."""

    records: tuple[Record, ...] = ()

    def decode(self, data: bytes, start: int, end: int) -> Decoded:  # pragma: no cover
        raise NotImplementedError

    def encode(self, table: "DecodedTable") -> bytes:  # pragma: no cover
        raise NotImplementedError

    def leaves(self, table: "DecodedTable", base: int) -> Iterator[Leaf]:  # pragma: no cover
        raise NotImplementedError

    def declared(self) -> bool:
        """True when pvenum decodes this body (not just keeps it as bytes)."""
        return True

    def subtable_offsets(self, table: "DecodedTable", base: int) -> list[int]:
        """Where each of ``table.subtables`` starts as the table would be built now (bodies
        without subtables have none to place)."""
        return [0] * len(table.subtables)


def unparsed_leaf(data: bytes, offset: int, path: str = "unparsed") -> Iterator[Leaf]:
    """The leaf for bytes pvenum keeps undecoded at ``offset``, if there are any."""
    if data:
        yield Leaf(path, offset, len(data), bytes(data), "bytes")


class RawBody(Body):
    def decode(self, data: bytes, start: int, end: int) -> Decoded:
        return Decoded(unparsed=data[start:end])

    def encode(self, table: "DecodedTable") -> bytes:
        if table.fields:
            raise ParseError(FMT, f"{table.signature}: pvenum does not decode this table; "
                             "edit .unparsed instead of .fields")
        return bytes(table.unparsed)

    def leaves(self, table: "DecodedTable", base: int) -> Iterator[Leaf]:
        yield from unparsed_leaf(table.unparsed, base)

    def declared(self) -> bool:
        return False


class FixedBody(Body):
    """A Record; with ``rest`` set, the bytes after it are the field ``rest`` (e.g. AML code)."""

    def __init__(self, record: Record, *, rest: str | None = None, rest_doc: str = "") -> None:
        self.record = record
        self.rest = rest
        self.rest_doc = rest_doc
        self.records = (record,)

    def decode(self, data: bytes, start: int, end: int) -> Decoded:
        fields, used = self.record.parse(data, start, end)
        leftover = data[start + used:end]
        if self.rest is not None and used == self.record.size:
            fields[self.rest] = leftover
            return Decoded(fields)
        return Decoded(fields, unparsed=leftover)

    def encode(self, table: "DecodedTable") -> bytes:
        fields = dict(table.fields)
        rest = b""
        if self.rest is not None and self.rest in fields:
            rest = bytes(fields.pop(self.rest))
        return self.record.build(fields) + rest + bytes(table.unparsed)

    def leaves(self, table: "DecodedTable", base: int) -> Iterator[Leaf]:
        fields = {k: v for k, v in table.fields.items() if k != self.rest}
        yield from self.record.leaves(fields, base)
        off = base + self.record.used(fields)
        if self.rest is not None and self.rest in table.fields:
            value = bytes(table.fields[self.rest])
            yield Leaf(self.rest, off, len(value), value, "bytes", self.rest_doc)
            off += len(value)
        yield from unparsed_leaf(table.unparsed, off)


# ACPICA ACPI_SUBTABLE_HEADER: the {Type, Length} pair MADT and SRAT subtables start with.
SUBTABLE_HEADER = c.Struct("Type" / u8, "Length" / u8)
SUBTABLE_HEAD = Record("SubtableHeader", *SUBTABLE_HEADER.subcons, cite="ACPICA ACPI_SUBTABLE_HEADER")
SUBTABLE_HEADER_SIZE = 2


@dataclass(frozen=True)
class SubtableType:
    """One subtable type: its code, names, body Record (after the 2-byte header) and the
    whole-subtable lengths the spec defines (for validation)."""

    code: int
    name: str  # short, stable: "GICC", "MPWakeup"
    title: str  # as the spec / iasl says it
    record: Record
    lengths: tuple[int, ...] = ()


def subtable_type(code: int, name: str, title: str, cite: str, *fields: c.Construct,
                  lengths: tuple[int, ...] | None = None) -> SubtableType:
    """A subtable type whose body (after Type and Length) is ``fields``. ``lengths`` are the
    whole-subtable lengths the spec defines; by default the one length of all the fields."""
    record = Record(name, *fields, cite=cite)
    if lengths is None:
        lengths = (SUBTABLE_HEADER_SIZE + record.size,)
    return SubtableType(code, name, title, record, lengths)


class SubtableBody(Body):
    def __init__(self, fixed: Record, types: list[SubtableType], *, table: str) -> None:
        self.fixed = fixed
        self.types = {t.code: t for t in types}
        self.table = table
        self.records = (fixed, *(t.record for t in types))

    def decode(self, data: bytes, start: int, end: int) -> Decoded:
        fields, used = self.fixed.parse(data, start, end)
        if used < self.fixed.size:
            return Decoded(fields, unparsed=data[start + used:end])
        subtables: list[Subtable] = []
        pos = start + used
        head_row, types = SUBTABLE_HEAD.row, self.types
        while end - pos >= SUBTABLE_HEADER_SIZE:
            kind, length = head_row(data, pos)  # in bounds: end is at most the checked table Length
            if length < SUBTABLE_HEADER_SIZE:
                raise ParseError(FMT, f"{self.table} subtable type 0x{kind:02x} has Length {length}, "
                                 f"less than its {SUBTABLE_HEADER_SIZE}-byte header", offset=pos + 1)
            stop = pos + length
            if stop > end:
                raise ParseError(FMT, f"{self.table} subtable type 0x{kind:02x} of Length {length} at 0x{pos:x} "
                                 f"runs past the table end 0x{end:x}", offset=pos + 1)
            spec = types.get(kind)
            body_start = pos + SUBTABLE_HEADER_SIZE
            if spec is not None:
                sub_fields, sub_used = spec.record.parse(data, body_start, stop)
                name = spec.name
            else:
                sub_fields, sub_used, name = {}, 0, _unknown_name(kind)
            subtables.append(Subtable(kind, length, sub_fields, pos, name, data[body_start + sub_used:stop]))
            pos = stop
        return Decoded(fields, subtables, unparsed=data[pos:end])

    def encode(self, table: "DecodedTable") -> bytes:
        parts = [self.fixed.build(table.fields)]
        for sub in table.subtables:
            parts.append(self.encode_subtable(sub))
        parts.append(bytes(table.unparsed))
        return b"".join(parts)

    def _spec(self, sub: "Subtable") -> SubtableType | None:
        return self.types.get(sub.type) if isinstance(sub.type, int) else None

    def encode_subtable(self, sub: "Subtable") -> bytes:
        spec = self._spec(sub)
        if spec is None and sub.fields:
            raise ParseError(FMT, f"{self.table} subtable type {sub.type!r} is not decoded by pvenum; "
                             "edit its .unparsed bytes instead of .fields")
        body = (spec.record.build(sub.fields) if spec is not None else b"") + bytes(sub.unparsed)
        head = SUBTABLE_HEAD.build({"Type": sub.type, "Length": sub.length})
        return head + body

    def _body_used(self, sub: "Subtable") -> int:
        """Bytes the decoded fields of ``sub`` take after its 2-byte header."""
        spec = self._spec(sub)
        return spec.record.used(sub.fields) if spec is not None else 0

    def natural_length(self, sub: "Subtable") -> int:
        """The Length ``sub`` has when built as it stands: header, fields and unparsed bytes."""
        return SUBTABLE_HEADER_SIZE + self._body_used(sub) + len(sub.unparsed)

    def _positions(self, table: "DecodedTable", base: int) -> tuple[list[int], int]:
        """Where each subtable starts, and where the last one ends, as the table would be built."""
        pos = base + self.fixed.used(table.fields)
        starts = []
        for sub in table.subtables:
            starts.append(pos)
            pos += self.natural_length(sub)
        return starts, pos

    def subtable_offsets(self, table: "DecodedTable", base: int) -> list[int]:
        return self._positions(table, base)[0]

    def leaves(self, table: "DecodedTable", base: int) -> Iterator[Leaf]:
        yield from self.fixed.leaves(table.fields, base)
        starts, end = self._positions(table, base)
        for i, (sub, pos) in enumerate(zip(table.subtables, starts)):
            yield Leaf(f"[{i}].type", pos, 1, sub.type, "int", "subtable type")
            yield Leaf(f"[{i}].length", pos + 1, 1, sub.length, "int", "subtable length")
            body = pos + SUBTABLE_HEADER_SIZE
            spec = self._spec(sub)
            if spec is not None:
                yield from spec.record.leaves(sub.fields, body, f"[{i}].")
            yield from unparsed_leaf(sub.unparsed, body + self._body_used(sub), f"[{i}].unparsed")
        yield from unparsed_leaf(table.unparsed, end)


def _unknown_name(kind: int) -> str:
    return f"Unknown{kind:02X}"


class RecordArrayBody(Body):
    """A Record, then as many whole ``item`` records as fit (MCFG allocations)."""

    def __init__(self, fixed: Record, item: Record) -> None:
        self.fixed = fixed
        self.item = item
        self.records = (fixed, item)

    def decode(self, data: bytes, start: int, end: int) -> Decoded:
        fields, used = self.fixed.parse(data, start, end)
        if used < self.fixed.size:
            return Decoded(fields, unparsed=data[start + used:end])
        pos = start + used
        items = []
        while end - pos >= self.item.size:
            obj, size = self.item.parse(data, pos, pos + self.item.size)
            items.append(Subtable(None, size, obj, offset=pos, name=self.item.name))
            pos += size
        return Decoded(fields, items, unparsed=data[pos:end])

    def encode(self, table: "DecodedTable") -> bytes:
        parts = [self.fixed.build(table.fields)]
        for sub in table.subtables:
            if sub.type is not None:
                raise ParseError(FMT, f"{table.signature} records have no type; got {sub.type!r}")
            parts.append(self.item.build(sub.fields) + bytes(sub.unparsed))
        parts.append(bytes(table.unparsed))
        return b"".join(parts)

    def subtable_offsets(self, table: "DecodedTable", base: int) -> list[int]:
        start = base + self.fixed.used(table.fields)
        return [start + i * self.item.size for i in range(len(table.subtables))]

    def leaves(self, table: "DecodedTable", base: int) -> Iterator[Leaf]:
        yield from self.fixed.leaves(table.fields, base)
        starts = self.subtable_offsets(table, base)
        for i, (sub, pos) in enumerate(zip(table.subtables, starts)):
            yield from self.item.leaves(sub.fields, pos, f"[{i}].")
        end = base + self.fixed.used(table.fields) + len(starts) * self.item.size
        yield from unparsed_leaf(table.unparsed, end)


class EntryArrayBody(Body):
    """An array of ``entry``-sized addresses named ``name`` (RSDT u32, XSDT u64)."""

    def __init__(self, name: str, entry: c.Construct, doc: str) -> None:
        self.name = name
        self.entry = entry
        self.size = entry.sizeof()
        self.doc = doc
        self.array_cache: dict[int, c.Construct] = {}
        self.read = scalar_array(entry)  # the struct program for n entries, when derivable

    def _array(self, count: int) -> c.Construct:
        layout = self.array_cache.get(count)
        if layout is None:
            layout = c.Array(count, self.entry)
            if len(self.array_cache) < 64:
                self.array_cache[count] = layout
        return layout

    def decode(self, data: bytes, start: int, end: int) -> Decoded:
        count = (end - start) // self.size
        if not count:
            entries = []
        elif self.read is not None and 0 <= start and start + count * self.size <= len(data):
            entries = self.read(data, start, count)
        else:
            entries = list(_construct.parse(self._array(count), data, fmt=FMT, offset=start))
        return Decoded({self.name: entries}, unparsed=data[start + count * self.size:end])

    def encode(self, table: "DecodedTable") -> bytes:
        extra = set(table.fields) - {self.name}
        if extra:
            raise ParseError(FMT, f"{table.signature} has no field {sorted(extra)[0]!r}")
        entries = list(table.fields.get(self.name, []))
        return _construct.build(self._array(len(entries)), entries, fmt=FMT) + bytes(table.unparsed)

    def leaves(self, table: "DecodedTable", base: int) -> Iterator[Leaf]:
        pos = base
        for i, value in enumerate(table.fields.get(self.name, [])):
            yield Leaf(f"{self.name}[{i}]", pos, self.size, value, "int", self.doc)
            pos += self.size
        yield from unparsed_leaf(table.unparsed, pos)


__all__ = [
    "Body", "Decoded", "RawBody", "FixedBody", "SubtableType", "subtable_type", "SubtableBody", "RecordArrayBody",
    "EntryArrayBody", "SUBTABLE_HEADER", "SUBTABLE_HEADER_SIZE", "unparsed_leaf",
]
