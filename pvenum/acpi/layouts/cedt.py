"""CEDT — CXL Early Discovery Table: host bridges (CHBS), fixed memory windows (CFMWS), XOR
interleave math (CXIMS); RCEC downstream ports (RDPAS) stay bytes.

CXL 3.1 §9.18; ACPICA ``ACPI_TABLE_CEDT``, ``ACPI_CEDT_*`` (actbl1.h). No fixed part after the
header; structures ``{u8 Type; u8 Reserved; u16 Length}``.
"""

from __future__ import annotations

from .common import Record, u8, u16, u32, u64
from .kinds import SdtKind
from .tree import Entries, Items, Shape, TreeBody, entry_type

HEADER = Record("CedtHeader", "Type" / u8, "HeaderReserved" / u8 * "ACPICA Header.Reserved: reserved, must be zero", "Length" / u16, cite="ACPICA ACPI_CEDT_HEADER")

CHBS = entry_type(
    0, "Chbs", "CXL Host Bridge Structure", "CXL 3.1 §9.18.2; ACPICA ACPI_CEDT_CHBS",
    "Uid" / u32 * "_UID of the host bridge",
    "CxlVersion" / u32 * "0 RCH (CXL 1.1), 1 host bridge (CXL 2.0+)",
    "Reserved" / u32 * "reserved, must be zero",
    "Base" / u64 * "component/RCRB register base",
    # ACPICA calls it Length; renamed here because the structure header has a Length.
    "RegisterLength" / u64 * "register area length",
)
CFMWS = entry_type(
    1, "Cfmws", "CXL Fixed Memory Window Structure", "CXL 3.1 §9.18.3; ACPICA ACPI_CEDT_CFMWS",
    "Reserved1" / u32 * "reserved, must be zero",
    "BaseHpa" / u64 * "window base host physical address",
    "WindowSize" / u64 * "window size",
    "InterleaveWays" / u8 * "encoded number of interleave targets",
    "InterleaveArithmetic" / u8 * "0 modulo, 1 XOR",
    "Reserved2" / u16 * "reserved, must be zero",
    "Granularity" / u32 * "encoded interleave granularity",
    "Restrictions" / u16 * "bit0 type 2, bit1 type 3, bit2 volatile, bit3 persistent, bit4 fixed config",
    "QtgId" / u16 * "QoS throttling group",
    parts=(Items("InterleaveTargets", u32, doc="_UID of a target host bridge"),),
)
CXIMS = entry_type(
    2, "Cxims", "CXL XOR Interleave Math Structure", "CXL 3.1 §9.18.4; ACPICA ACPI_CEDT_CXIMS",
    "Reserved1" / u16 * "reserved, must be zero",
    "Hbig" / u8 * "host bridge interleave granularity",
    "NrXormaps" / u8 * "number of XOR maps",
    parts=(Items("XormapList", u64, count="NrXormaps", doc="XOR bitmap"),),
)
# RDPAS (type 3) is kept as bytes: ACPICA's declaration and CXL 3.1 table 9-25 disagree on its layout.
STRUCTURES = Entries("Structures", HEADER, (CHBS, CFMWS, CXIMS))
CEDT = SdtKind("CEDT", TreeBody(Shape(Record("CEDT", cite="CXL 3.1 §9.18.1; ACPICA ACPI_TABLE_CEDT"), (STRUCTURES,)),
                                subtables="Structures"),
               title="CXL Early Discovery Table", cite="CXL 3.1 §9.18.1; ACPICA ACPI_TABLE_CEDT")
