"""What the layouts decode a table into: plain data, no behaviour beyond field access.

Layouts and decoders return a :class:`DecodedTable` (header values, ``fields``, ``subtables``,
the bytes they do not decode) and :class:`Subtable` records; :mod:`pvenum.acpi.codec` turns a
DecodedTable into the model's :class:`~pvenum.acpi.model.AcpiTable`, which adds identity,
bytes and checksums on top. The dependency runs one way — the model imports the layouts,
never the reverse — as pyelftools keeps ``elftools/elf/structs.py`` free of its wrapper
classes (pyelftools v0.31, elftools/elf/structs.py, ELFStructs).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    from .kinds import TableKind

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


class FieldAccess:
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
class Subtable(FieldAccess):
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
class DecodedTable(FieldAccess):
    """One decoded ACPI table (or RSDP / FACS, which have their own headers): what a
    TableKind's decode() returns and what its encode(), leaves() and repair() read."""

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
