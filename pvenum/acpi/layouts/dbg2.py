"""DBG2 — Debug Port Table 2.

Microsoft "Debug Port Table 2 (DBG2)" spec (2015); ACPICA ``ACPI_TABLE_DBG2``,
``ACPI_DBG2_DEVICE`` (actbl1.h). 8-byte fixed part; device information structures
``{u8 Revision; u16 Length; ...}`` from InfoOffset, each locating its register GASes, their
sizes, its namespace path and OEM data by offsets from the structure's start.
"""

from __future__ import annotations

from .common import GAS, Record, u8, u16, u32
from .kinds import SdtKind
from .tree import Entries, EntryType, Gap, Items, Rest, Shape, TreeBody

DBG2_FIXED = Record(
    "DBG2",
    "InfoOffset" / u32 * "offset of the first device information structure from the table start",
    "InfoCount" / u32 * "number of device information structures",
    cite="Microsoft DBG2 spec; ACPICA ACPI_TABLE_DBG2",
)
HEADER = Record("Dbg2Device", "Revision" / u8 * "0", "Length" / u16 * "length of this structure",
                cite="ACPICA ACPI_DBG2_DEVICE")
REGISTER = Record("BaseAddress", *GAS.subcons, cite="ACPI 6.5 §5.2.3.2; ACPICA ACPI_GENERIC_ADDRESS")
DEVICE = EntryType(0, "Device", "Debug Device Information", Shape(Record(
    "Dbg2DeviceInfo",
    "RegisterCount" / u8 * "number of base address registers",
    "NamepathLength" / u16 * "length of the namespace path, NUL included",
    "NamepathOffset" / u16 * "offset of the namespace path",
    "OemDataLength" / u16 * "length of the OEM data (0 = none)",
    "OemDataOffset" / u16 * "offset of the OEM data (0 = none)",
    "PortType" / u16 * "0x8000 serial, 0x8001 1394, 0x8002 USB, 0x8003 net",
    "PortSubtype" / u16 * "port subtype (serial: 0 16550, 3 PL011, ...)",
    "Reserved" / u16 * "reserved, must be zero",
    "BaseAddressOffset" / u16 * "offset of the base address GAS array",
    "AddressSizeOffset" / u16 * "offset of the address size array",
    cite="Microsoft DBG2 spec; ACPICA ACPI_DBG2_DEVICE"), (
    Gap("Padding", "BaseAddressOffset"),
    Items("BaseAddress", REGISTER, count="RegisterCount"),
    Gap("Padding2", "AddressSizeOffset"),
    Items("AddressSize", u32, count="RegisterCount", doc="size of the register region"),
    Gap("Padding3", "NamepathOffset"),
    Rest("Namepath", count="NamepathLength", doc="NUL-terminated ACPI namespace path", text=True),
    Gap("Padding4", "OemDataOffset"),
    Rest("OemData", count="OemDataLength", doc="OEM data"),
)))

# Device structures are untyped: one layout whatever their Revision.
DEVICES = Entries("DeviceInfo", HEADER, (), type_field="Revision", every=DEVICE)
DBG2 = SdtKind("DBG2", TreeBody(Shape(DBG2_FIXED, (Gap("Padding", lambda v: v["InfoOffset"] - 36), DEVICES))),
               title="Debug Port Table 2", cite=DBG2_FIXED.cite)
