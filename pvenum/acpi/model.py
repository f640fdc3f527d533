"""ACPI model objects: :class:`AcpiTable`, :class:`Subtable` and :class:`AcpiTableSet`.

A table keeps everything needed to rebuild its bytes exactly: decoded header and body
``fields`` (ACPICA's field names), ``subtables``, the bytes inside its Length that pvenum does
not decode (``unparsed``) and any bytes found after its Length (``trailing``). Edit fields,
then :meth:`AcpiTable.fix_checksum` (or ``build_table(t, fix_checksum=True)``) to get a
consistent table back.

Field names are the spec's/ACPICA's (``HypervisorId``, ``ArmBootFlags``); snake_case
attribute access is a convenience: ``fadt.hypervisor_id is fadt.fields["HypervisorId"]``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Iterable, Iterator

if TYPE_CHECKING:  # pragma: no cover
    from .layouts.common import Leaf
    from .layouts.kinds import TableKind

# Names people use for a signature; ACPI signatures differ from the spec's table names.
ALIASES = {"RSDP": "RSD PTR ", "RSD PTR": "RSD PTR ", "FADT": "FACP", "MADT": "APIC"}


def canonical_signature(signature: str) -> str:
    return ALIASES.get(signature, ALIASES.get(signature.upper(), signature))


_SNAKE_1 = re.compile(r"([a-z0-9])([A-Z])")
_SNAKE_2 = re.compile(r"([A-Z]+)([A-Z][a-z])")


def snake(name: str) -> str:
    """ACPICA CamelCase → snake_case: HypervisorId → hypervisor_id, XPm1aEventBlock → x_pm1a_event_block."""
    return _SNAKE_1.sub(r"\1_\2", _SNAKE_2.sub(r"\1_\2", name)).lower()


def json_value(value: Any) -> Any:
    """A decoded value as JSON: integers stay integers, char arrays are text, byte arrays hex."""
    if isinstance(value, (bytes, bytearray, memoryview)):
        return bytes(value).hex()
    if isinstance(value, dict):
        return {str(k): json_value(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [json_value(v) for v in value]
    return value


class _FieldAccess:
    """Pythonic read/write access to ``.fields`` by snake_case name."""

    fields: dict[str, Any]

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_") or name == "fields":
            raise AttributeError(name)
        for key in self.__dict__.get("fields", {}):
            if snake(key) == name:
                return self.fields[key]
        raise AttributeError(f"{type(self).__name__} has no attribute or field {name!r}")

    def field_name(self, name: str) -> str | None:
        """The spec field name for a snake_case or spec name, if this object has it."""
        if name in self.fields:
            return name
        for key in self.fields:
            if snake(key) == name:
                return key
        return None


@dataclass(eq=False)
class Subtable(_FieldAccess):
    """One subtable / record: ``type`` (None for untyped records such as MCFG allocations),
    ``length`` (its Length field, as found), decoded ``fields`` and undecoded ``unparsed``."""

    type: int | None
    length: int
    fields: dict[str, Any] = field(default_factory=dict)
    offset: int = 0  # within the table, as found (informative; building ignores it)
    name: str = ""
    unparsed: bytes = b""

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"type": self.type, "length": self.length, "name": self.name, "offset": self.offset}
        for key, value in self.fields.items():
            out[key] = json_value(value)
        if self.unparsed:
            out["unparsed"] = bytes(self.unparsed).hex()
        return out


@dataclass(eq=False)
class AcpiTable(_FieldAccess):
    """One ACPI table (or RSDP / FACS, which have their own headers)."""

    signature: str
    length: int
    revision: int | None
    checksum: int | None
    oem_id: str | None
    oem_table_id: str | None
    oem_revision: int | None
    creator_id: str | None
    creator_revision: int | None
    fields: dict[str, Any] = field(default_factory=dict)
    subtables: list[Subtable] = field(default_factory=list)
    unparsed: bytes = b""
    trailing: bytes = b""
    kind: "TableKind | None" = field(default=None, repr=False)
    # Where the table was found (acpidump header, memory image), when known; not part of its bytes.
    address: int | None = None

    # -- identity ------------------------------------------------------------------------------
    @property
    def name(self) -> str:
        """The spec's name for the table: FADT for FACP, MADT for APIC, RSDP for 'RSD PTR '."""
        return self._kind().name

    @property
    def title(self) -> str:
        return self._kind().title

    @property
    def declared(self) -> bool:
        """True when pvenum decodes this table's body (otherwise only the header)."""
        return self._kind().body_declared()

    def __getstate__(self) -> dict[str, Any]:
        # The kind holds struct programs (not picklable) and is derived again from the signature
        # on first use, so a pickled table (pvenum/scenario/cache.py) leaves it out when it is
        # the signature's own; any other kind stays and makes pickling fail, as it should.
        state = dict(self.__dict__)
        if state.get("kind") is not None:
            from .layouts import kind_for

            if state["kind"] is kind_for(self.signature):
                state["kind"] = None
        return state

    def _kind(self) -> "TableKind":
        if self.kind is None:
            from .layouts import kind_for

            self.kind = kind_for(self.signature)
        return self.kind

    # -- bytes ---------------------------------------------------------------------------------
    def to_bytes(self) -> bytes:
        return self._kind().encode(self) + bytes(self.trailing)

    def source_bytes(self) -> bytes:
        """For a table fresh from a reader: the bytes it was parsed from (what :meth:`to_bytes`
        gives, without building again); otherwise :meth:`to_bytes`. Field edits are not
        tracked, so code that edits a table in place reads :meth:`to_bytes`."""
        source = self.__dict__.get("_source")
        return source if source is not None else self.to_bytes()

    @property
    def checksum_valid(self) -> bool | None:
        """Whether the checksum(s) of the table as it stands are right (None: FACS has none)."""
        return self._kind().checksum_valid(self)

    def fix_checksum(self, *, lengths: bool = True) -> "AcpiTable":
        """Recompute subtable and table lengths (unless ``lengths=False``) and the checksum(s)."""
        self.__dict__.pop("_source", None)
        self._kind().repair(self, lengths=lengths)
        return self

    def leaves(self) -> Iterator["Leaf"]:
        """Every decoded scalar with its absolute offset: header, body, subtables, unparsed bytes."""
        return self._kind().leaves(self)

    def subtable_offsets(self) -> list[int]:
        """Where each subtable starts in the table as it would be built now."""
        return self._kind().subtable_offsets(self)

    def text(self, name: str) -> str | None:
        """An integer field read as the ASCII it spells (HypervisorId → "MsHyperV"), if printable."""
        key = self.field_name(name)
        value = self.fields.get(key) if key else None
        if not isinstance(value, int):
            return None
        size = self._kind().field_size(key)
        if size is None:
            size = next((lf.size for lf in self.leaves() if lf.path == key), 8)
        raw = value.to_bytes(size, "little").rstrip(b"\0")
        return raw.decode("ascii") if raw and all(0x20 <= b < 0x7F for b in raw) else None

    @property
    def hypervisor_id(self) -> str | int | None:
        """FADT Hypervisor Vendor Identity as text ("MsHyperV") when printable, else the integer."""
        if "HypervisorId" not in self.fields:
            return None
        return self.text("HypervisorId") or self.fields["HypervisorId"]

    def header(self) -> dict[str, Any]:
        return {
            "signature": self.signature,
            "length": self.length,
            "revision": self.revision,
            "checksum": self.checksum,
            "checksum_valid": self.checksum_valid,
            "oem_id": self.oem_id,
            "oem_table_id": self.oem_table_id,
            "oem_revision": self.oem_revision,
            "creator_id": self.creator_id,
            "creator_revision": self.creator_revision,
        }

    def __repr__(self) -> str:
        return (f"<AcpiTable {self.signature!r} len={self.length} rev={self.revision} "
                f"oem={self.oem_id!r}/{self.oem_table_id!r} fields={len(self.fields)} subtables={len(self.subtables)}>")


_CANONICAL_RANK = {"RSD PTR ": 0, "XSDT": 1, "RSDT": 2, "FACP": 3, "FACS": 4, "DSDT": 5, "SSDT": 6}


def canonical_order(tables: Iterable[AcpiTable]) -> list[AcpiTable]:
    """Tables in one stable order whatever their source (files sorted by name, acpidump
    text, a memory layout): the roots, FADT, FACS, DSDT, SSDTs, then the rest by signature.
    Tables with the same signature keep their relative order (SSDT1 before SSDT2)."""
    return sorted(tables, key=lambda t: (_CANONICAL_RANK.get(t.signature, 7), t.signature))


class AcpiTableSet:
    """The tables one guest sees, in discovery order (RSDP/XSDT order, dump order, file order)."""

    def __init__(self, tables: Iterable[AcpiTable] = ()) -> None:
        self.tables: list[AcpiTable] = list(tables)

    @classmethod
    def from_tables(cls, tables: Iterable[AcpiTable]) -> "AcpiTableSet":
        return cls(tables)

    def __iter__(self) -> Iterator[AcpiTable]:
        return iter(self.tables)

    def __len__(self) -> int:
        return len(self.tables)

    def __contains__(self, signature: object) -> bool:
        return isinstance(signature, str) and self.get(signature) is not None

    def signatures(self) -> list[str]:
        return [t.signature for t in self.tables]

    def get(self, signature: str) -> AcpiTable | None:
        """The first table with ``signature`` ("FACP"; "FADT", "MADT", "RSDP" work too)."""
        sig = canonical_signature(signature)
        return next((t for t in self.tables if t.signature == sig), None)

    def all(self, signature: str) -> list[AcpiTable]:
        sig = canonical_signature(signature)
        return [t for t in self.tables if t.signature == sig]

    def add(self, table: AcpiTable) -> None:
        self.tables.append(table)

    def looks_arm(self) -> bool:
        """An Arm platform's tables: a MADT with GICC entries, or FADT ArmBootFlags set."""
        madt = self.get("APIC")
        if madt is not None and any(s.type == 0x0B for s in madt.subtables):
            return True
        fadt = self.get("FACP")
        return bool(fadt is not None and fadt.fields.get("ArmBootFlags"))

    # -- guest memory ----------------------------------------------------------------------------
    def layout(self, base: int = 0x7FFE0000, **options: Any) -> "Any":
        """Place the set in guest memory with RSDP → XSDT/RSDT → tables; see pvenum.acpi.memory."""
        from .memory import layout

        return layout(self, base=base, **options)

    @classmethod
    def from_memory(cls, image: bytes, base: int, rsdp_address: int | None = None) -> "AcpiTableSet":
        """Follow the pointers from the RSDP in a memory image (found by scanning if not given)."""
        from .memory import read_memory

        return read_memory(image, base, rsdp_address)

    def __repr__(self) -> str:
        return f"<AcpiTableSet {' '.join(self.signatures())}>"
