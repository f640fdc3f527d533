"""Building blocks shared by every ACPI layout: scalar types, char arrays, the GAS, and
:class:`Record` — one fixed-size structure declared once with Construct.

ACPI structures are byte-packed and little-endian (ACPI 6.5 §5.2, ACPICA ``actbl.h`` uses
``#pragma pack(1)``). Tables grow by appending fields in later revisions (FADT 116 → 276
bytes, GICC 40 → 88), so a :class:`Record` is read as the *longest prefix of whole fields*
that fits in the bytes its length field grants; whatever is left (a cut field, or fields from
a newer revision) is kept verbatim by the caller. That one rule gives short FADTs, every GICC
length and both MP-wakeup versions without a layout per revision.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from typing import Any, Callable, Iterator

from ... import _construct
from ..._construct import c
from ...errors import ParseError

FMT = "acpi-table"

u8 = c.Int8ul
u16 = c.Int16ul
u32 = c.Int32ul
u64 = c.Int64ul
u24 = c.BytesInteger(3, swapped=True)  # ACPICA's UINT8[3] fields that iasl prints as one number


class _Chars(c.Adapter):
    """A fixed ``char[n]`` (signatures, OEM IDs): text, trailing NULs dropped, NUL-padded back.

    latin-1 maps every byte to one character, so any firmware bytes round-trip exactly.
    """

    def __init__(self, length: int) -> None:
        super().__init__(c.Bytes(length))
        self.length = length

    def _decode(self, obj: bytes, context: Any, path: Any) -> str:
        return obj.rstrip(b"\0").decode("latin-1")

    def _encode(self, obj: Any, context: Any, path: Any) -> bytes:
        raw = obj.encode("latin-1") if isinstance(obj, str) else bytes(obj)
        if len(raw) > self.length:
            raise c.ExplicitError(f"{raw!r} is longer than {self.length} characters")
        return raw.ljust(self.length, b"\0")


def chars(length: int) -> c.Construct:
    return _Chars(length)


def raw(length: int) -> c.Construct:
    """A byte array kept as bytes (reserved areas, UID strings, device handles)."""
    return c.Bytes(length)


# ACPI 6.5 §5.2.3.2 Generic Address Structure; ACPICA ACPI_GENERIC_ADDRESS (12 bytes).
GAS = c.Struct(
    "SpaceId" / u8 * "address space (0 memory, 1 I/O, 2 PCI config, ...)",
    "BitWidth" / u8 * "register size in bits",
    "BitOffset" / u8 * "register bit offset",
    "AccessWidth" / u8 * "access size (0 legacy, 1 byte, 2 word, 3 dword, 4 qword)",
    "Address" / u64 * "64-bit address of the register",
)


@dataclass(frozen=True)
class Leaf:
    """One decoded scalar at an absolute offset: what renderers and differential tests walk."""

    path: str  # "HypervisorId", "ResetRegister.Address", "TableOffsetEntry[3]", "[2].Uid" (subtable 2)
    offset: int
    size: int
    value: Any
    kind: str  # "int" | "chars" | "bytes"
    doc: str = ""

    @property
    def subtable(self) -> int | None:
        """The index of the subtable this leaf belongs to (paths "[i]...."), else None."""
        if not self.path.startswith("["):
            return None
        return int(self.path[1:self.path.index("]")])

    @property
    def field(self) -> str:
        """The path inside its subtable ("Uid", "type"), or the whole path for a table-level leaf."""
        if not self.path.startswith("["):
            return self.path
        return self.path[self.path.index("]") + 2:]


def _kind(subcon: c.Construct) -> str:
    subcon = _inner(subcon)
    if isinstance(subcon, _Chars):
        return "chars"
    if isinstance(subcon, (c.FormatField, c.BytesInteger)):
        return "int"
    if isinstance(subcon, c.Struct):
        return "struct"
    return "bytes"


def _inner(subcon: c.Construct) -> c.Construct:
    while isinstance(subcon, c.Renamed):
        subcon = subcon.subcon
    return subcon


class _Plan:
    """A ``struct`` program equivalent to a Struct of scalar fields, derived from its Construct
    declaration (a hot loop may use ``struct`` where a test proves it agrees with the
    declaration; tests/acpi/test_layout_plans.py does, for every Record prefix).

    Knows the little-endian integers, ``BytesInteger``, char arrays, byte arrays and nested
    Structs of those; anything else leaves the Record on Construct (``of`` returns None). The
    reader is generated once as one expression per field, as Construct's ``compile()`` does.
    """

    def __init__(self, fmt: str, names: list[str], exprs: list[str],
                 writers: list[Callable[[Any, list[Any]], None]]) -> None:
        self.struct = struct.Struct(fmt)
        self.size = self.struct.size
        self.names = names
        self.writers = writers  # append the struct items for one field's value
        body = ", ".join(f"{n!r}: {e}" for n, e in zip(names, exprs))
        scope: dict[str, Any] = {"_unpack": self.struct.unpack_from, "_int": int.from_bytes, "_chars": _CHARS}
        exec(f"def parse(data, start):\n    v = _unpack(data, start)\n    return {{{body}}}\n", scope)  # noqa: S102
        self.parse: Callable[[bytes, int], dict[str, Any]] = scope["parse"]
        self._body = body
        self._exprs = exprs

    def row(self) -> Callable[[bytes, int], tuple[Any, ...]]:
        """The reader of the field values as a tuple in declaration order (no names, no dict)."""
        scope: dict[str, Any] = {"_unpack": self.struct.unpack_from, "_int": int.from_bytes, "_chars": _CHARS}
        exec(f"def row(data, start):\n    v = _unpack(data, start)\n"  # noqa: S102
             f"    return ({', '.join(self._exprs)},)\n", scope)
        return scope["row"]

    def bounded(self, otherwise: Callable[[bytes, int, int], tuple[dict[str, Any], int]]
                ) -> Callable[[bytes, int, int], tuple[dict[str, Any], int]]:
        """``Record.parse`` as one generated function: the struct program when every field fits
        in ``data[start:end]`` and in ``data``, else ``otherwise`` (no method call in between:
        the header of every table goes through here)."""
        scope: dict[str, Any] = {"_unpack": self.struct.unpack_from, "_int": int.from_bytes, "_chars": _CHARS,
                                 "_otherwise": otherwise}
        n = self.size
        exec(f"def parse(data, start, end):\n"  # noqa: S102
             f"    if end - start >= {n} and 0 <= start and start + {n} <= len(data):\n"
             f"        v = _unpack(data, start)\n"
             f"        return {{{self._body}}}, {n}\n"
             f"    return _otherwise(data, start, end)\n", scope)
        return scope["parse"]

    @classmethod
    def of(cls, fields: list[c.Construct]) -> "_Plan | None":
        fmt: list[str] = ["<"]
        exprs: list[str] = []
        writers: list[Callable[[Any, list[Any]], None]] = []
        i = 0
        for f in fields:
            step = _step(f)
            if step is None:
                return None
            code, expr, write, items = step
            fmt.append(code)
            exprs.append(expr(i))
            writers.append(write)
            i += items
        return cls("".join(fmt), [f.name for f in fields], exprs, writers)

    def build(self, obj: dict[str, Any]) -> bytes:
        items: list[Any] = []
        for name, write in zip(self.names, self.writers):
            write(obj[name], items)
        return self.struct.pack(*items)


Step = tuple[str, Callable[[int], str], Callable[[Any, list[Any]], None], int]


def _step(f: c.Construct) -> Step | None:
    """(struct code, the reader's expression for item i, writer, item count) for one field."""
    inner = _inner(f)
    if isinstance(inner, c.FormatField) and inner.fmtstr[:1] == "<" and len(inner.fmtstr) == 2:
        code = inner.fmtstr[1]
        if code not in "BHILQ":
            return None
        limit = 1 << (8 * struct.calcsize("<" + code))

        def write_int(v: Any, out: list[Any]) -> None:
            if isinstance(v, bool) or not isinstance(v, int) or not 0 <= v < limit:
                raise _Fallback
            out.append(v)

        return code, lambda i: f"v[{i}]", write_int, 1
    if isinstance(inner, c.BytesInteger) and isinstance(inner.length, int) and inner.swapped is True \
            and not inner.signed:
        n = inner.length

        def write_le(v: Any, out: list[Any]) -> None:
            if isinstance(v, bool) or not isinstance(v, int) or not 0 <= v < 1 << (8 * n):
                raise _Fallback
            out.append(v.to_bytes(n, "little"))

        return f"{n}s", lambda i: f"_int(v[{i}], 'little')", write_le, 1
    if isinstance(inner, _Chars):
        n = inner.length

        def write_chars(v: Any, out: list[Any]) -> None:
            try:
                raw = v.encode("latin-1") if isinstance(v, str) else bytes(v)
            except (UnicodeEncodeError, TypeError, ValueError):
                raise _Fallback from None
            if len(raw) > n:
                raise _Fallback
            out.append(raw)  # struct pads "Ns" with NULs, as _Chars does

        return f"{n}s", lambda i: f"_chars[v[{i}]]", write_chars, 1
    if type(inner) is c.Bytes and isinstance(inner.length, int):
        n = inner.length

        def write_bytes(v: Any, out: list[Any]) -> None:
            if not isinstance(v, (bytes, bytearray)) or len(v) != n:
                raise _Fallback
            out.append(bytes(v))

        return f"{n}s", lambda i: f"v[{i}]", write_bytes, 1
    if type(inner) is c.Struct:
        subs = [_step(sub) for sub in inner.subcons]
        if any(s is None or not sub.name for s, sub in zip(subs, inner.subcons)):
            return None
        steps: list[Step] = [s for s in subs if s is not None]
        names = [sub.name for sub in inner.subcons]

        def expr(i: int) -> str:
            parts = []
            for name, (_, sub_expr, _, items) in zip(names, steps):
                parts.append(f"{name!r}: {sub_expr(i)}")
                i += items
            return "{" + ", ".join(parts) + "}"

        def write_struct(v: Any, out: list[Any]) -> None:
            if not isinstance(v, dict):
                raise _Fallback
            for name, (_, _, write, _) in zip(names, steps):
                if name not in v:
                    raise _Fallback
                write(v[name], out)

        return "".join(s[0] for s in steps), expr, write_struct, sum(s[3] for s in steps)
    return None


def scalar_array(item: c.Construct) -> Callable[[bytes, int, int], list[int]] | None:
    """``read(data, pos, n)``: ``n`` consecutive ``item`` integers at ``pos`` in one ``struct``
    call, derived from the Construct declaration like a Record's program (None: not a plain
    little-endian integer, Construct reads it). The caller has checked the bounds.
    tests/acpi/test_layout_plans.py holds it to Construct's ``Array``."""
    step = _step(item)
    if step is None or step[0] not in ("B", "H", "I", "L", "Q"):
        return None
    code = step[0]
    unpack = struct.unpack_from

    def read(data: bytes, pos: int, n: int) -> list[int]:
        return list(unpack(f"<{n}{code}", data, pos))

    return read


class _CharsMemo(dict):
    """raw char[n] bytes -> the text _Chars decodes them to (NULs stripped, latin-1): signatures,
    OEM and creator IDs repeat across tables, so a hit is one dict lookup instead of two method
    calls. Bounded: hostile input adds at most ``LIMIT`` entries, then is decoded unmemoised."""

    LIMIT = 4096

    def __missing__(self, raw: bytes) -> str:
        text = raw.rstrip(b"\0").decode("latin-1")
        if len(self) < self.LIMIT:
            self[raw] = text
        return text


_CHARS = _CharsMemo()


class _Fallback(Exception):
    """A value the struct program cannot pack as Construct would: let Construct build it (and
    raise its error)."""


class Record:
    """A fixed-size structure of named fields, declared with Construct and read as a prefix.

    ``cite`` names the ACPI spec section and the ACPICA struct it follows.
    """

    def __init__(self, name: str, *fields: c.Construct, cite: str) -> None:
        self.name = name
        self.cite = cite
        self.struct = c.Struct(*fields)
        self.fields = list(fields)
        self.names = [f.name for f in fields]
        if len(set(self.names)) != len(self.names):
            raise ValueError(f"{name}: duplicate field names")
        self.sizes = [f.sizeof() for f in fields]
        self.offsets = []
        off = 0
        for size in self.sizes:
            self.offsets.append(off)
            off += size
        self.size = off
        self.docs = {f.name: (f.docs or "") for f in fields}
        self._prefixes: dict[int, c.Construct] = {len(fields): self.struct}
        self._plans: dict[int, _Plan | None] = {}
        # parse() is generated on first use (the struct program's exec costs; most Records are
        # never read in one run) and then called without a method call in between.
        self.parse = self._first_parse  # type: ignore[method-assign]
        self.row = self._first_row  # type: ignore[method-assign]

    def __repr__(self) -> str:
        return f"<Record {self.name} {self.size} bytes>"

    def prefix(self, count: int) -> c.Construct:
        """The Struct of the first ``count`` fields (cached)."""
        layout = self._prefixes.get(count)
        if layout is None:
            layout = self._prefixes[count] = c.Struct(*self.fields[:count])
        return layout

    def plan(self, count: int) -> "_Plan | None":
        """The struct program of the first ``count`` fields (cached), None when not derivable."""
        if count not in self._plans:
            self._plans[count] = _Plan.of(self.fields[:count])
        return self._plans[count]

    def fitting(self, available: int) -> int:
        """How many whole fields fit in ``available`` bytes."""
        count = 0
        for off, size in zip(self.offsets, self.sizes):
            if off + size > available:
                break
            count += 1
        return count

    def _end(self, count: int) -> int:
        """Where the first ``count`` fields end."""
        return self.offsets[count] if count < len(self.offsets) else self.size

    def parse(self, data: bytes, start: int, end: int) -> tuple[dict[str, Any], int]:
        """Fields that fit in ``data[start:end]`` and how many bytes they used."""
        return self._parse(data, start, end)

    def row(self, data: bytes, start: int) -> tuple[Any, ...]:
        """Every field's value, in declaration order, from ``data[start:start + size]``, which
        the caller has checked is there (the table header: read before anything else)."""
        return self._row(data, start)

    def _first_row(self, data: bytes, start: int) -> tuple[Any, ...]:
        whole = self.plan(len(self.fields)) if self.fields else None
        self.row = whole.row() if whole is not None else self._row  # type: ignore[method-assign]
        return self.row(data, start)

    def _row(self, data: bytes, start: int) -> tuple[Any, ...]:
        values, _ = self._parse(data, start, start + self.size)
        return tuple(values[name] for name in self.names)

    def _first_parse(self, data: bytes, start: int, end: int) -> tuple[dict[str, Any], int]:
        whole = self.plan(len(self.fields)) if self.fields else None
        self.parse = whole.bounded(self._parse) if whole is not None else self._parse  # type: ignore[method-assign]
        return self.parse(data, start, end)

    def _parse(self, data: bytes, start: int, end: int) -> tuple[dict[str, Any], int]:
        # Reached when the whole Record's struct program did not apply (``bounded`` tried it):
        # a prefix, a Record with no program, or bounds past ``data`` (Construct says so).
        count = self.fitting(end - start)
        if count == 0:
            return {}, 0
        plan = self.plan(count)
        if plan is not None and 0 <= start and start + plan.size <= len(data):
            return plan.parse(data, start), plan.size
        obj = _construct.parse(self.prefix(count), data, fmt=FMT, offset=start)
        return _construct.plain(obj), self._end(count)

    def present(self, fields: dict[str, Any]) -> int:
        """How many leading fields ``fields`` holds; refuses gaps and unknown names."""
        count = 0
        while count < len(self.names) and self.names[count] in fields:
            count += 1
        extra = set(fields) - set(self.names[:count])
        if extra:
            name = sorted(extra)[0]
            if name in self.names:
                missing = self.names[count]
                raise ParseError(FMT, f"{self.name}: field {name} is set but the earlier field {missing} is not")
            raise ParseError(FMT, f"{self.name} has no field {name!r}; fields: {', '.join(self.names)}")
        return count

    def used(self, fields: dict[str, Any]) -> int:
        """How many bytes the leading fields ``fields`` holds occupy (what :meth:`build` writes)."""
        return self._end(self.present(fields))

    def build(self, fields: dict[str, Any]) -> bytes:
        count = self.present(fields)
        if count == 0:
            return b""
        plan = self.plan(count)
        if plan is not None:
            try:
                return plan.build(fields)
            except (_Fallback, struct.error):
                pass  # Construct builds it or says what is wrong, as before
        return _construct.build(self.prefix(count), fields, fmt=FMT)

    def defaults(self, count: int | None = None) -> dict[str, Any]:
        """Zero values for the first ``count`` fields (all by default): a starting point for builders."""
        count = len(self.fields) if count is None else count
        out: dict[str, Any] = {}
        for f in self.fields[:count]:
            out[f.name] = _zero(f)
        return out

    def leaves(self, fields: dict[str, Any], base: int, prefix: str = "") -> Iterator[Leaf]:
        for f, off, size in zip(self.fields, self.offsets, self.sizes):
            if f.name not in fields:
                return
            yield from _leaves(f, fields[f.name], base + off, size, prefix + f.name, self.docs[f.name])


def _zero(f: c.Construct) -> Any:
    kind = _kind(f)
    if kind == "int":
        return 0
    if kind == "chars":
        return ""
    if kind == "struct":
        return {sub.name: _zero(sub) for sub in _inner(f).subcons}
    return bytes(f.sizeof())


def _leaves(f: c.Construct, value: Any, offset: int, size: int, path: str, doc: str) -> Iterator[Leaf]:
    kind = _kind(f)
    if kind == "struct":
        off = offset
        for sub in _inner(f).subcons:
            sub_size = sub.sizeof()
            yield from _leaves(sub, value[sub.name], off, sub_size, f"{path}.{sub.name}", sub.docs or "")
            off += sub_size
        return
    yield Leaf(path, offset, size, value, kind, doc)


def leaf_bytes(leaf: Leaf) -> bytes:
    """The bytes a decoded leaf stands for (its value encoded back at its size)."""
    if leaf.kind == "int":
        return int(leaf.value).to_bytes(leaf.size, "little")
    if leaf.kind == "chars":
        return str(leaf.value).encode("latin-1").ljust(leaf.size, b"\0")
    return bytes(leaf.value)
