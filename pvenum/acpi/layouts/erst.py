"""ERST — Error Record Serialization Table: the serialization instructions (WHEA entries).

ACPI 6.5 §18.5; ACPICA ``ACPI_TABLE_ERST``, ``ACPI_WHEA_HEADER`` (actbl1.h). 12-byte fixed
part, then Entries × 32-byte instruction entries.
"""

from __future__ import annotations

from .common import GAS, Record, u8, u32, u64
from .kinds import SdtKind
from .tree import Items, Shape, TreeBody

ERST_FIXED = Record(
    "ERST",
    "HeaderLength" / u32 * "length of the serialization header (48)",
    "Reserved" / u32 * "reserved, must be zero",
    "Entries" / u32 * "number of instruction entries",
    cite="ACPI 6.5 §18.5; ACPICA ACPI_TABLE_ERST",
)
INSTRUCTION = Record(
    "Instruction",
    "Action" / u8 * "serialization action (0 begin write, 1 begin read, 2 begin clear, 3 end, ...)",
    "Instruction" / u8 * "0 read register, 1 read register value, 2 write register, 3 write register value, ...",
    "Flags" / u8 * "bit0 preserve register",
    "Reserved" / u8 * "reserved, must be zero",
    "RegisterRegion" / GAS * "register the instruction acts on",
    "Value" / u64 * "value for the instruction",
    "Mask" / u64 * "bit mask of the register",
    cite="ACPI 6.5 §18.5.1; ACPICA ACPI_WHEA_HEADER",
)
ERST = SdtKind("ERST", TreeBody(Shape(ERST_FIXED, (Items("Instructions", INSTRUCTION, count="Entries"),))),
               title="Error Record Serialization Table", cite=ERST_FIXED.cite)
