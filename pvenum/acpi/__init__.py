"""The ACPI channel: decode, build, validate and lay out ACPI tables.

Facade (docs/contracts.md)::

    from pvenum.acpi import parse_table, build_table
    t = parse_table(open("/sys/firmware/acpi/tables/FACP", "rb").read())
    t.signature, t.revision, t.fields["HypervisorId"], t.checksum_valid
    t.fields["ArmBootFlags"] = 0x3
    data = build_table(t, fix_checksum=True)

Readers: :func:`read_acpidump` (acpidump text), :func:`read_directory` (sysfs, acpidump -b,
acpixtract output), :func:`pvenum.acpi.memory.read_memory` (RSDP → XSDT → tables in a memory
image). Writers: :func:`write_acpidump`, :func:`pvenum.acpi.memory.layout`. Builders for
tables a confidential-VM platform needs live in :mod:`pvenum.acpi.builders`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .model import AcpiTable, AcpiTableSet, Subtable

if TYPE_CHECKING:  # pragma: no cover
    from .acpidump import DumpedTable
    from .codec import build_table, parse_table

_CODEC = ("build_table", "parse_table")


def __getattr__(name: str) -> Any:
    # The codec (Construct and every layout) loads on first use: the model classes alone are
    # what a resolver reading already-decoded tables needs.
    if name in _CODEC:
        from . import codec

        return getattr(codec, name)
    raise AttributeError(f"module 'pvenum.acpi' has no attribute {name!r}")


def read_acpidump(text: str | bytes) -> "list[DumpedTable]":
    """Tables from acpidump text, one per block, with their addresses."""
    from .acpidump import read_acpidump as _read

    return _read(text)


def write_acpidump(tables: Any) -> str:
    """acpidump text for ``tables`` (AcpiTable or (table, address) pairs) that acpixtract reads back."""
    from .acpidump import write_acpidump as _write

    return _write(tables)


def read_directory(path: Any) -> AcpiTableSet:
    """Every table under a directory (sysfs tables, acpidump -b or acpixtract .dat files)."""
    from .sysfs import read_directory as _read

    return _read(path)


__all__ = [
    "AcpiTable", "AcpiTableSet", "Subtable", "parse_table", "build_table",
    "read_acpidump", "write_acpidump", "read_directory",
]
