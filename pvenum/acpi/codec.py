"""parse_table / build_table: bytes ↔ :class:`~pvenum.acpi.model.AcpiTable` for every table.

The layouts decode bytes into plain data (:class:`~pvenum.acpi.layouts.decoded.DecodedTable`);
this is where that data becomes the model: the kind builds the model's class directly (the
layouts are handed the class, they never import the model)."""

from __future__ import annotations

from ..errors import ParseError
from .layouts import kind_of
from .layouts.common import FMT
from .model import AcpiTable


def parse_table(data: bytes) -> AcpiTable:
    """Decode one table (any signature, RSDP and FACS included) from the start of ``data``.

    Bytes after the table's Length are kept as ``.trailing``; a table shorter than its Length
    is a :class:`~pvenum.errors.ParseError`.
    """
    data = bytes(data)
    if len(data) < 4:
        raise ParseError(FMT, f"{len(data)} bytes is too short for an ACPI table signature", offset=len(data))
    table = kind_of(data).decode(data, AcpiTable)  # the layouts make the model's class directly
    # The bytes it came from: a freshly parsed table builds back to exactly these, so a bundle
    # loader comparing tables can use them instead of building it again (see source_bytes()).
    table._source = data
    return table


def build_table(table: AcpiTable, *, fix_checksum: bool = False) -> bytes:
    """The table's bytes. Unmodified tables come back byte for byte; with ``fix_checksum``
    the table's lengths and checksum(s) are first recomputed (the table is updated)."""
    if fix_checksum:
        table.fix_checksum()
    return table.to_bytes()

