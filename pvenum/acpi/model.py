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

from typing import TYPE_CHECKING, Any, Iterable, Iterator

from .._memo import kept
from .constants import canonical_signature
from .layouts import kind_for
from .layouts.decoded import DecodedTable, FieldAccess, Subtable, json_value, snake

if TYPE_CHECKING:  # pragma: no cover
    from .layouts.common import Leaf
    from .layouts.kinds import TableKind



# The decoded-data classes live with the layouts (one-way: the layouts never import this
# module); the model adds behaviour on top of them and re-exports them.
__all__ = ["AcpiTable", "AcpiTableSet", "DecodedTable", "FieldAccess", "Subtable", "canonical_order",
           "canonical_signature", "json_value", "snake"]


class AcpiTable(DecodedTable):
    """One ACPI table (or RSDP / FACS, which have their own headers): a decoded table with its
    kind's behaviour — name, bytes, checksums, leaves."""

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
            if state["kind"] is kind_for(self.signature):
                state["kind"] = None
        return state

    def _kind(self) -> "TableKind":
        if self.kind is None:
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

    def subtables_by_type(self) -> dict[int | None, tuple[tuple[int, Subtable], ...]]:
        """``(index, subtable)`` per subtable type, in table order (what a guest's
        acpi_table_parse_entries() walk finds per type). Kept while ``subtables`` is the same
        list of the same length (a rebuilt table gets a new list)."""
        return kept(self, "_by_type", self.subtables, _by_type)

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
    """Tables in one stable order whatever their source (files in walk order, numbers by value:
    pvenum._io.natural_key; acpidump text; a memory layout): the roots, FADT, FACS, DSDT,
    SSDTs, then the rest by signature. Tables with the same signature keep their relative order
    (SSDT1 before SSDT2)."""
    return sorted(tables, key=lambda t: (_CANONICAL_RANK.get(t.signature, 7), t.signature))


def _by_type(subtables: list[Subtable]) -> dict[int | None, tuple[tuple[int, Subtable], ...]]:
    by_type: dict[int | None, list[tuple[int, Subtable]]] = {}
    for i, sub in enumerate(subtables):
        by_type.setdefault(sub.type, []).append((i, sub))
    return {t: tuple(v) for t, v in by_type.items()}


def _first_by_signature(tables: list[AcpiTable]) -> dict[str, AcpiTable]:
    index: dict[str, AcpiTable] = {}
    for t in tables:
        if t.signature not in index:
            index[t.signature] = t
    return index


class AcpiTableSet:
    """The tables one guest sees, in discovery order (RSDP/XSDT order, dump order, file order)."""

    def __init__(self, tables: Iterable[AcpiTable] = ()) -> None:
        self.tables: list[AcpiTable] = list(tables)

    def first_by_signature(self) -> dict[str, AcpiTable]:
        """The first table of each signature, as a guest walking the XSDT finds it. Built on the
        first lookup and kept while ``tables`` is the same list of the same length (tables are
        added through add())."""
        return kept(self, "_first", self.tables, _first_by_signature)

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
        return self.first_by_signature().get(canonical_signature(signature))

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

    def __repr__(self) -> str:
        return f"<AcpiTableSet {' '.join(self.signatures())}>"
