"""KEYP — Key Programming Table: the Key Configuration Units (KCUs) that program PCIe/CXL IDE
stream keys at root ports, which a TDISP-capable guest or host locks devices through.

Not in the ACPI spec nor in ACPICA (no release knows KEYP); defined by Intel's "Root Complex
IDE Key Configuration Unit Software Programming Guide" table 2-1 (table: Reserved u32),
table 2-2 (Key Configuration Unit Structure) and table 2-3 (Root Port Information Structure);
Linux reads it in drivers/pci/ide (KEYP series, 2023-2025).
"""

from __future__ import annotations

from .common import Record, u8, u16, u32, u64
from .kinds import SdtKind
from .tree import Entries, Items, Shape, TreeBody, entry_type

CITE = "Intel Root Complex IDE Key Configuration Unit Software Programming Guide"
KEYP_FIXED = Record("KEYP", "Reserved" / u32 * "reserved, must be zero", cite=f"{CITE} table 2-1")
HEADER = Record("KeypHeader", "Type" / u8, "HeaderReserved" / u8 * "ACPICA Header.Reserved: reserved, must be zero", "Length" / u16, cite=f"{CITE} table 2-2")
ROOT_PORT = Record(
    "RootPort",
    "Segment" / u16 * "PCI segment",
    "Bus" / u8 * "bus number",
    "DevFn" / u8 * "bits[2:0] function, bits[7:3] device",
    cite=f"{CITE} table 2-3",
)
CONFIG_UNIT = entry_type(
    0, "KeyConfigUnit", "Key Configuration Unit", f"{CITE} table 2-2",
    "ProtocolType" / u8 * "1 PCIe/CXL.io IDE, 2 CXL.cachemem IDE",
    "Version" / u8 * "KCU version",
    "RootPortCount" / u8 * "number of root ports this KCU covers",
    "Flags" / u8 * "reserved flags",
    "RegisterBaseAddress" / u64 * "KCU register block base",
    parts=(Items("RootPorts", ROOT_PORT, count="RootPortCount"),),
)

UNITS = Entries("Units", HEADER, (CONFIG_UNIT,))
KEYP = SdtKind("KEYP", TreeBody(Shape(KEYP_FIXED, (UNITS,)), subtables="Units"),
               title="Key Programming Table", cite=f"{CITE} table 2-1")
