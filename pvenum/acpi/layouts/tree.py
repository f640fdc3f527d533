"""Bodies that are a tree of variable-length parts: DMAR, IVRS, IORT, VIOT, HMAT, NFIT, ...

A :class:`Shape` is a :class:`~.common.Record` followed by *parts*, each bounded by the bytes
its enclosing length grants:

- :class:`Items` — fixed-size records (or scalars), counted by a field or as many as fit;
- :class:`Rest` — bytes (a string, OEM data), counted by a field or to the end;
- :class:`Gap` — bytes up to an offset a field gives (IORT MappingOffset, DBG2 NamepathOffset);
- :class:`Entries` — typed entries ``{Type; Length; ...}`` stepped by their Length (or, for
  the few families without one, the size their type implies), each an :class:`EntryType`'s
  Shape; types pvenum does not declare keep their bytes.

:class:`TreeBody` makes one Entries part the table's ``subtables`` (shown by name in inspect
and diff, like the MADT's); nested entries are lists of dicts in their parent's fields. Parts
that do not fit their bounds stop the decode there: what is left is kept as ``unparsed``
bytes, so every table rebuilds byte for byte and a hostile count allocates nothing.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Callable, Iterator, Union

from ... import _construct
from ..._construct import c
from ...errors import ParseError
from .body import Body, Decoded, unparsed_leaf
from .common import FMT, Leaf, Record, _kind, scalar_array
from .decoded import Subtable

if TYPE_CHECKING:  # pragma: no cover
    from .decoded import DecodedTable

# A count: a field of the enclosing values, a function of them, or None (as many as fit).
Count = Union[str, Callable[[dict], int], None]
UNPARSED = "unparsed"  # key of an entry's undecoded bytes


@dataclass(frozen=True)
class Items:
    name: str
    item: Any  # a Record, or a scalar Construct (a list of numbers)
    count: Count = None
    doc: str = ""

    def __post_init__(self) -> None:
        # Decode-time constants, derived once: the item size, and for a scalar item the struct
        # reader of n of them (derived from its Construct declaration; None: Construct reads them).
        size = self.item.size if isinstance(self.item, Record) else self.item.sizeof()
        object.__setattr__(self, "_size", size)
        object.__setattr__(self, "_array", None if isinstance(self.item, Record) else scalar_array(self.item))

    def size(self) -> int:
        return self._size  # type: ignore[attr-defined]


@dataclass(frozen=True)
class Rest:
    """Bytes: ``count`` of them, or to the end; with ``nul``, up to and including the first NUL
    before ``to`` (an offset from the entry start) or the end."""

    name: str
    count: Count = None
    doc: str = ""
    nul: bool = False
    to: Count = None
    text: bool = False  # a string: kept as latin-1 text (every byte, NULs included, round-trips)


@dataclass(frozen=True)
class Gap:
    """Bytes from here to ``to`` (an offset from the start of the enclosing entry)."""

    name: str
    to: Count
    doc: str = "bytes before the next part"


@dataclass(frozen=True)
class Fields:
    """More fields of the enclosing entry (merged into it), read as the prefix that fits before
    ``to`` (an offset from the entry start; None: its end): fields a later revision added in
    front of a part placed by offset (IORT root complex Flags before the ID mappings)."""

    record: Record
    to: Count = None

    @property
    def name(self) -> str:
        return self.record.name


@dataclass(frozen=True)
class Shape:
    record: Record
    parts: tuple = ()

    def names(self) -> set[str]:
        out = set(self.record.names)
        for p in self.parts:
            out |= set(p.record.names) if isinstance(p, Fields) else {p.name}
        return out


@dataclass(frozen=True)
class EntryType:
    code: int
    name: str
    title: str
    shape: Shape
    size: int | None = None  # whole-entry size, for families without a Length field


def entry_type(code: int, name: str, title: str, cite: str, *fields: c.Construct, parts: tuple = (),
               size: int | None = None) -> EntryType:
    return EntryType(code, name, title, Shape(Record(name, *fields, cite=cite), parts), size)


@dataclass(frozen=True)
class Entries:
    name: str
    header: Record
    types: tuple[EntryType, ...]
    type_field: str = "Type"
    length_field: str | None = "Length"
    # Size of an entry with no Length: from its type code and bytes, (code, data, pos, end) -> size.
    size_of: Callable[[int, bytes, int, int], int | None] | None = None
    doc: str = ""
    every: EntryType | None = None  # untyped entries: this one layout whatever the type field says

    def __post_init__(self) -> None:
        for t in (*self.types, *([self.every] if self.every else [])):  # header and body share one dict per entry: names must not clash
            clash = set(self.header.names) & t.shape.names()
            if clash:
                raise ValueError(f"{self.name} {t.name}: {sorted(clash)} in both the header and the body")
        if _kind(self.header.fields[self.header.names.index(self.type_field)]) == "struct":
            raise ValueError(f"{self.name}: the type field {self.type_field} must be a scalar (a dict key)")
        # Decode-time lookups, derived once: type code -> type (the first declared wins, as in a
        # scan of ``types``), and the header fields a subtable keeps besides Type and Length.
        by_code: dict[Any, EntryType] = {}
        for t in self.types:
            by_code.setdefault(t.code, t)
        object.__setattr__(self, "_by_code", by_code)
        object.__setattr__(self, "_kept", tuple(n for n in self.header.names
                                                 if n not in (self.type_field, self.length_field)))

    def spec(self, code: Any) -> EntryType | None:
        if self.every is not None:
            return self.every
        try:
            return self._by_code.get(code)  # type: ignore[attr-defined]
        except TypeError:  # an unhashable value (an edited table): no type has it
            return next((t for t in self.types if t.code == code), None)

    def type_name(self, code: Any) -> str:
        spec = self.spec(code)
        return spec.name if spec else f"Unknown{code:02X}" if isinstance(code, int) else "Unknown"


# -- decoding ------------------------------------------------------------------------------------


class _Stop(Exception):
    """A part does not fit its bounds: keep the rest as bytes."""


def decode_shape(shape: Shape, data: bytes, start: int, end: int, *, entry_start: int | None = None,
                 top: Entries | None = None, subs: list | None = None, head: dict | None = None) -> tuple[dict, int]:
    """``shape``'s values from ``data[start:end]`` and where decoding stopped (``head``: the
    entry's header fields, which counts and offsets may name)."""
    record = shape.record
    values, used = record.parse(data, start, end)
    pos = start + used
    if used < record.size or not shape.parts:
        return values, pos
    base = start if entry_start is None else entry_start
    for part in shape.parts:
        try:
            if isinstance(part, Entries):
                if part is top and subs is not None:
                    pos = _decode_entries(part, data, pos, end, subs, True)
                    continue
                entries: list = []
                pos = _decode_entries(part, data, pos, end, entries, False)
                values[part.name] = entries
                continue
            if isinstance(part, Fields):
                to = _count(part.to, values, head)
                limit = end if to is None else min(end, base + to)
                more, used = part.record.parse(data, pos, max(pos, limit))
                values.update(more)  # fewer fields (an older revision) is fine: the next part follows
                pos += used
                continue
            value, pos = _decode_part(part, values, head, data, pos, end, base)
        except _Stop:
            return values, pos
        values[part.name] = value
    return values, pos


def _count(count: Count, values: dict, head: dict | None) -> int | None:
    """What ``count`` (a field name or a function of the fields) says, read over the entry's
    header and values together (values win): None for no count, -1 for a missing or negative
    one. The two dicts are merged only for a function."""
    if count is None:
        return None
    if isinstance(count, str):
        value = values[count] if count in values else head.get(count) if head else None
    else:
        try:
            value = count({**head, **values} if head else values)
        except KeyError:  # a field the count needs is absent (a cut record)
            return -1
    return value if isinstance(value, int) and value >= 0 else -1


def _decode_part(part: Any, values: dict, head: dict | None, data: bytes, pos: int, end: int,
                 base: int) -> tuple[Any, int]:
    if isinstance(part, Items):
        size = part._size
        n = _count(part.count, values, head)
        if n is None:
            n = (end - pos) // size
        if n < 0 or n * size > end - pos:
            raise _Stop
        item = part.item
        if isinstance(item, Record):
            parse = item.parse
            items = []
            for _ in range(n):
                items.append(parse(data, pos, pos + size)[0])
                pos += size
            return items, pos
        if part._array is not None:  # bounds checked above: the struct program reads n in one call
            return part._array(data, pos, n), pos + n * size
        items = []
        for _ in range(n):
            items.append(_construct.parse(item, data, fmt=FMT, offset=pos))
            pos += size
        return items, pos
    if isinstance(part, Rest):
        n = _count(part.count, values, head)
        limit = end
        if part.to is not None:
            to = _count(part.to, values, head)
            if to is None or to < 0 or not pos <= base + to <= end:
                raise _Stop
            limit = base + to
        if part.nul:
            nul = data.find(b"\0", pos, limit)
            n = (nul + 1 if nul >= 0 else limit) - pos
        n = limit - pos if n is None else n
        if n < 0 or n > end - pos:
            raise _Stop
        value = data[pos:pos + n]
        return (value.decode("latin-1") if part.text else value), pos + n
    if isinstance(part, Gap):
        to = _count(part.to, values, head)
        if to is None or to < 0 or not pos <= base + to <= end:
            raise _Stop
        return data[pos:base + to], base + to
    raise TypeError(part)  # pragma: no cover


def _decode_entries(part: Entries, data: bytes, pos: int, end: int, out: list, top: bool) -> int:
    """Entries from ``pos`` while a header fits before ``end``, appended to ``out`` (as
    Subtables when ``top``, else as dicts); returns where they stop."""
    hsize = part.header.size
    head_parse = part.header.parse
    type_field, length_field = part.type_field, part.length_field
    every, by_code, size_of, kept = part.every, part._by_code, part.size_of, part._kept  # type: ignore[attr-defined]
    while end - pos >= hsize:
        head, _ = head_parse(data, pos, pos + hsize)
        code = head[type_field]
        spec = every if every is not None else by_code.get(code)
        if length_field is not None:
            length = head[length_field]
        elif spec is not None and spec.size is not None:
            length = spec.size
        else:
            length = size_of(code, data, pos, end) if size_of is not None else None
            if length is None:
                break  # no Length and a type of unknown size: the rest stays bytes
        if length < hsize:
            raise ParseError(FMT, f"{part.name} entry type 0x{code:02x} has Length {length}, less than its "
                             f"{hsize}-byte header", offset=pos)
        stop = pos + length
        if stop > end:
            raise ParseError(FMT, f"{part.name} entry type 0x{code:02x} of Length {length} at 0x{pos:x} runs past "
                             f"its end 0x{end:x}", offset=pos)
        if spec is not None:
            shape = spec.shape
            if shape.parts:
                body, used_to = decode_shape(shape, data, pos + hsize, stop, entry_start=pos, head=head)
            else:  # one Record (most entry types): what decode_shape would do, without the call
                body, used_to = shape.record.parse(data, pos + hsize, stop)
                used_to += pos + hsize
        else:
            body, used_to = {}, pos + hsize
        rest = data[used_to:stop]
        if top:
            if kept:
                fields = {k: head[k] for k in kept}
                fields.update(body)
            else:
                fields = body
            name = spec.name if spec is not None else part.type_name(code)
            out.append(Subtable(code, length, fields, pos, name, rest))
        else:
            entry = {**head, **body}
            if rest:
                entry[UNPARSED] = rest
            out.append(entry)
        pos = stop
    return pos


# -- encoding ------------------------------------------------------------------------------------


def encode_shape(shape: Shape, values: dict, *, top: Entries | None = None, subs: list | None = None,
                 where: str = "") -> bytes:
    extra = set(values) - shape.names()
    if extra:
        raise ParseError(FMT, f"{where or shape.record.name} has no field {sorted(extra)[0]!r}")
    out = [shape.record.build({k: v for k, v in values.items() if k in shape.record.names})]
    for part in shape.parts:
        if part is top and subs is not None:
            out.extend(_encode_entry(part, s.type, s.length, s.fields, bytes(s.unparsed)) for s in subs)
            continue
        if isinstance(part, Fields):
            more = {k: v for k, v in values.items() if k in part.record.names}
            out.append(part.record.build(more))
            continue
        if part.name not in values:
            break
        out.append(_encode_part(part, values[part.name]))
    return b"".join(out)


def _encode_part(part: Any, value: Any) -> bytes:
    if isinstance(part, Items):
        if isinstance(part.item, Record):
            return b"".join(part.item.build(v) for v in value)
        return b"".join(_construct.build(part.item, v, fmt=FMT) for v in value)
    if isinstance(part, Rest) and part.text:
        return str(value).encode("latin-1")
    if isinstance(part, (Rest, Gap)):
        return bytes(value)
    if isinstance(part, Entries):
        return b"".join(
            _encode_entry(part, e.get(part.type_field), e.get(part.length_field) if part.length_field else None,
                          {k: v for k, v in e.items() if k != UNPARSED}, bytes(e.get(UNPARSED, b"")))
            for e in value)
    raise TypeError(part)  # pragma: no cover


def _encode_entry(part: Entries, code: Any, length: Any, fields: dict, unparsed: bytes) -> bytes:
    head = {part.type_field: code}
    if part.length_field is not None:
        head[part.length_field] = length
    for name in part.header.names:
        if name not in head:
            head[name] = fields.get(name, 0)
    body = {k: v for k, v in fields.items() if k not in part.header.names}
    spec = part.spec(code)
    if spec is None and body:
        raise ParseError(FMT, f"{part.name} entry type {code!r} is not decoded by pvenum; edit its unparsed bytes")
    data = part.header.build(head)
    if spec is not None:
        data += encode_shape(spec.shape, body, where=f"{part.name} {spec.name}")
    return data + unparsed


# -- leaves --------------------------------------------------------------------------------------


def shape_leaves(shape: Shape, values: dict, offset: int, prefix: str = "", *, top: Entries | None = None,
                 subs: list | None = None, starts: list | None = None) -> Iterator[Leaf]:
    rec = {k: v for k, v in values.items() if k in shape.record.names}
    yield from shape.record.leaves(rec, offset, prefix)
    pos = offset + shape.record.used(rec)
    for part in shape.parts:
        if part is top and subs is not None:
            for i, sub in enumerate(subs):
                if starts is not None:
                    starts.append(pos)
                head = {part.type_field: sub.type, **({part.length_field: sub.length} if part.length_field else {})}
                size = len(_encode_entry(part, sub.type, sub.length, sub.fields, bytes(sub.unparsed)))
                for leaf in _entry_leaves(part, {**head, **sub.fields}, pos, f"[{i}].", size - len(sub.unparsed)):
                    if leaf.path == f"[{i}].{part.type_field}":
                        leaf = dataclasses.replace(leaf, path=f"[{i}].type", doc="subtable type")
                    elif part.length_field and leaf.path == f"[{i}].{part.length_field}":
                        leaf = dataclasses.replace(leaf, path=f"[{i}].length", doc="subtable length")
                    yield leaf
                yield from unparsed_leaf(sub.unparsed, pos + size - len(sub.unparsed), f"[{i}].{UNPARSED}")
                pos += size
            continue
        if isinstance(part, Fields):
            more = {k: v for k, v in values.items() if k in part.record.names}
            yield from part.record.leaves(more, pos, prefix)
            pos += part.record.used(more)
            continue
        if part.name not in values:
            break
        value = values[part.name]
        name = f"{prefix}{part.name}"
        if isinstance(part, Items):
            size = part.size()
            for j, item in enumerate(value):
                if isinstance(part.item, Record):
                    yield from part.item.leaves(item, pos, f"{name}[{j}].")
                else:
                    yield Leaf(f"{name}[{j}]", pos, size, item, _kind(part.item), part.doc)
                pos += size
        elif isinstance(part, (Rest, Gap)):
            raw = _encode_part(part, value)
            if raw:
                text = isinstance(part, Rest) and part.text
                yield Leaf(name, pos, len(raw), value if text else raw, "chars" if text else "bytes", part.doc)
            pos += len(raw)
        else:
            for j, entry in enumerate(value):
                size = len(_encode_part(part, [entry]))
                unparsed = bytes(entry.get(UNPARSED, b""))
                yield from _entry_leaves(part, entry, pos, f"{name}[{j}].", size - len(unparsed))
                yield from unparsed_leaf(unparsed, pos + size - len(unparsed), f"{name}[{j}].{UNPARSED}")
                pos += size


def _entry_leaves(part: Entries, fields: dict, pos: int, prefix: str, decoded: int) -> Iterator[Leaf]:
    """Leaves of one entry's header and declared body (``decoded`` bytes; the caller places its unparsed tail)."""
    head = {k: fields[k] for k in part.header.names if k in fields}
    yield from part.header.leaves(head, pos, prefix)
    spec = part.spec(fields.get(part.type_field))
    if spec is not None and decoded > part.header.size:
        body = {k: v for k, v in fields.items() if k not in part.header.names and k != UNPARSED}
        yield from shape_leaves(spec.shape, body, pos + part.header.size, prefix)


def _repair_shape(shape: Shape, values: dict) -> None:
    for part in shape.parts:
        if not isinstance(part, Entries) or part.name not in values:
            continue
        for entry in values[part.name]:
            spec = part.spec(entry.get(part.type_field))
            if spec is not None:
                _repair_shape(spec.shape, entry)
            if part.length_field is not None:
                entry[part.length_field] = len(_encode_part(part, [entry]))


# -- the body ------------------------------------------------------------------------------------


class TreeBody(Body):
    """A table body as a :class:`Shape`; its Entries part ``subtables`` becomes the table's subtables."""

    def __init__(self, shape: Shape, *, subtables: str | None = None) -> None:
        self.shape = shape
        self.top = next((p for p in shape.parts if isinstance(p, Entries) and p.name == subtables), None)
        self.records = (shape.record,)

    def decode(self, data: bytes, start: int, end: int) -> Decoded:
        subs: list["Subtable"] = []
        fields, pos = decode_shape(self.shape, data, start, end, top=self.top, subs=subs)
        return Decoded(fields, subs, unparsed=data[pos:end])

    def encode(self, table: "DecodedTable") -> bytes:
        return encode_shape(self.shape, table.fields, top=self.top, subs=table.subtables,
                            where=table.signature) + bytes(table.unparsed)

    def leaves(self, table: "DecodedTable", base: int) -> Iterator[Leaf]:
        yield from self._leaves(table, base, None)

    def _leaves(self, table: "DecodedTable", base: int, starts: list | None) -> Iterator[Leaf]:
        yield from shape_leaves(self.shape, table.fields, base, top=self.top, subs=table.subtables, starts=starts)
        yield from unparsed_leaf(table.unparsed, base + len(self.encode(table)) - len(table.unparsed))

    def repair_lengths(self, table: "DecodedTable") -> None:
        """Set every entry's Length to what it holds now (after edits), innermost first."""
        _repair_shape(self.shape, table.fields)
        for sub in table.subtables if self.top is not None else ():
            spec = self.top.spec(sub.type)
            if spec is not None:
                _repair_shape(spec.shape, sub.fields)
            if self.top.length_field is not None:
                sub.length = len(_encode_entry(self.top, sub.type, sub.length, sub.fields, bytes(sub.unparsed)))

    def subtable_offsets(self, table: "DecodedTable", base: int) -> list[int]:
        starts: list[int] = []
        for _ in self._leaves(table, base, starts):
            pass
        return starts


__all__ = ["Fields", "Items", "Rest", "Gap", "Shape", "EntryType", "entry_type", "Entries", "TreeBody", "UNPARSED"]
