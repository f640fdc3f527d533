"""RSDT and XSDT — the root tables listing every other table's physical address.

ACPI 6.5 §5.2.7 (RSDT, 32-bit entries) and §5.2.8 (XSDT, 64-bit entries); ACPICA
``ACPI_TABLE_RSDT`` / ``ACPI_TABLE_XSDT`` with ``TableOffsetEntry[]``. Entry count is
(Length − 36) / entry size; a remainder that is not a whole entry is kept as unparsed bytes.
"""

from __future__ import annotations

from .body import EntryArrayBody
from .common import u32, u64
from .kinds import SdtKind

RSDT = SdtKind("RSDT", EntryArrayBody("TableOffsetEntry", u32, "32-bit physical address of a table"),
               title="Root System Description Table", cite="ACPI 6.5 §5.2.7; ACPICA ACPI_TABLE_RSDT")
XSDT = SdtKind("XSDT", EntryArrayBody("TableOffsetEntry", u64, "64-bit physical address of a table"),
               title="Extended System Description Table", cite="ACPI 6.5 §5.2.8; ACPICA ACPI_TABLE_XSDT")
