"""RHCT — RISC-V Hart Capabilities Table: ISA string, CMO/MMU properties and per-hart nodes.

RISC-V ACPI RHCT spec v1.0; ACPICA ``ACPI_TABLE_RHCT``, ``ACPI_RHCT_*`` (actbl2.h). 20-byte
fixed part; nodes ``{u16 Type; u16 Length; u16 Revision}`` from NodeOffset.
"""

from __future__ import annotations

from .common import Record, u8, u16, u32, u64
from .kinds import SdtKind
from .tree import Entries, Gap, Items, Rest, Shape, TreeBody, entry_type

RHCT_FIXED = Record(
    "RHCT",
    "Flags" / u32 * "bit0 timer cannot wake the CPU",
    "TimeBaseFreq" / u64 * "timebase frequency (Hz)",
    "NodeCount" / u32 * "number of nodes",
    "NodeOffset" / u32 * "offset of the first node from the table start",
    cite="RISC-V RHCT v1.0; ACPICA ACPI_TABLE_RHCT",
)
HEADER = Record("RhctNode", "Type" / u16, "Length" / u16, "Revision" / u16, cite="ACPICA ACPI_RHCT_NODE_HEADER")

ISA_STRING = entry_type(
    0, "IsaString", "RISC-V ISA string structure", "RISC-V RHCT v1.0; ACPICA ACPI_RHCT_ISA_STRING",
    "IsaLength" / u16 * "length of the ISA string, NUL included",
    parts=(Rest("Isa", count="IsaLength", doc="ISA string", text=True), Rest("Padding", doc="padding to a 2-byte boundary")),
)
CMO = entry_type(
    1, "Cmo", "RISC-V CMO node structure", "RISC-V RHCT v1.0; ACPICA ACPI_RHCT_CMO_NODE",
    "Reserved" / u8 * "reserved, must be zero",
    "CbomSize" / u8 * "log2 of the Zicbom block size",
    "CbopSize" / u8 * "log2 of the Zicbop block size",
    "CbozSize" / u8 * "log2 of the Zicboz block size",
)
MMU = entry_type(
    2, "Mmu", "RISC-V MMU node structure", "RISC-V RHCT v1.0; ACPICA ACPI_RHCT_MMU_NODE",
    "Reserved" / u8 * "reserved, must be zero",
    "MmuType" / u8 * "0 Sv39, 1 Sv48, 2 Sv57",
)
HART_INFO = entry_type(
    0xFFFF, "HartInfo", "RISC-V Hart Info structure", "RISC-V RHCT v1.0; ACPICA ACPI_RHCT_HART_INFO",
    "NumOffsets" / u16 * "number of node offsets",
    "Uid" / u32 * "ACPI processor UID",
    parts=(Items("Offsets", u32, count="NumOffsets", doc="offset of a node this hart has"),),
)

NODES = Entries("Nodes", HEADER, (ISA_STRING, CMO, MMU, HART_INFO))
RHCT = SdtKind("RHCT", TreeBody(Shape(RHCT_FIXED, (Gap("Padding", lambda v: v["NodeOffset"] - 36), NODES)),
                                subtables="Nodes"),
               title="RISC-V Hart Capabilities Table", cite=RHCT_FIXED.cite)
