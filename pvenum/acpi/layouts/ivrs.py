"""IVRS — I/O Virtualization Reporting Structure (AMD-Vi) and its IVHD/IVMD blocks.

AMD IOMMU spec 48882 rev 3.08 §5.2; ACPICA ``ACPI_TABLE_IVRS``, ``ACPI_IVRS_*`` (actbl2.h).
12-byte fixed part, then ``{u8 Type; u8 Flags; u16 Length; u16 DeviceId}`` blocks. An IVHD
ends in device entries that have no Length: Type[7:6] gives 4, 8, 16 or 32 bytes (§5.2.2.2),
except type 0xF0 (ACPI HID device), whose size is 22 + its UidLength.
"""

from __future__ import annotations

from .common import Record, chars, u8, u16, u32, u64
from .kinds import SdtKind
from .tree import Entries, Rest, Shape, TreeBody, entry_type

IVRS_FIXED = Record(
    "IVRS",
    "Info" / u32 * "IVinfo: bits[14:8] virtual address size, [21:15] physical, [7:5] GVA size, bit0 EFRSup",
    "Reserved" / u64 * "reserved, must be zero",
    cite="AMD IOMMU 48882 §5.2.1; ACPICA ACPI_TABLE_IVRS",
)
HEADER = Record(
    "IvrsHeader",
    "Type" / u8 * "0x10/0x11/0x40 IVHD, 0x20..0x22 IVMD",
    "Flags" / u8 * "IVHD: bit0 HtTunEn, bit1 PassPW, bit2 ResPassPW, bit3 Isoc, bit4 IotlbSup, bit5 Coherent",
    "Length" / u16 * "length of this block",
    "DeviceId" / u16 * "IOMMU PCI BDF (IVHD) or the device it covers (IVMD)",
    cite="ACPICA ACPI_IVRS_HEADER",
)
DE_HEADER = Record(
    "DeviceEntry",
    "Type" / u8 * "device entry type (size from bits[7:6])",
    "Id" / u16 * "device ID (BDF)",
    "DataSetting" / u8 * "bit0 INITPass, bit1 EIntPass, bit2 NMIPass, bit4/5 SysMgt, bit6 Lint0Pass, bit7 Lint1Pass",
    cite="AMD IOMMU 48882 §5.2.2.2; ACPICA ACPI_IVRS_DE_HEADER",
)
_CITE8 = "AMD IOMMU 48882 §5.2.2.2; ACPICA ACPI_IVRS_DEVICE8A"
_FOUR = [entry_type(code, name, title, "AMD IOMMU 48882 §5.2.2.2; ACPICA ACPI_IVRS_DEVICE4")
         for code, name, title in ((1, "All", "Select All Devices"), (2, "Select", "Select One Device"),
                                   (3, "Start", "Start of Range"), (4, "End", "End of Range"))]
_ALIAS = [entry_type(code, name, title, _CITE8,
                     "Reserved1" / u8 * "reserved, must be zero",
                     "UsedId" / u16 * "source device ID the range is aliased to",
                     "Reserved2" / u8 * "reserved, must be zero")
          for code, name, title in ((66, "AliasSelect", "Alias Select"), (67, "AliasStart", "Alias Start of Range"))]
_EXT = [entry_type(code, name, title, "AMD IOMMU 48882 §5.2.2.2; ACPICA ACPI_IVRS_DEVICE8B",
                   "ExtendedData" / u32 * "bit31 ATS disabled")
        for code, name, title in ((70, "ExtSelect", "Extended Select"), (71, "ExtStart", "Extended Start of Range"))]
SPECIAL = entry_type(
    72, "Special", "Special Device", "AMD IOMMU 48882 §5.2.2.2; ACPICA ACPI_IVRS_DEVICE8C",
    "Handle" / u8 * "IOAPIC ID or HPET number",
    "UsedId" / u16 * "the device's source ID",
    "Variety" / u8 * "1 IOAPIC, 2 HPET",
)
ACPI_HID = 0xF0
HID = entry_type(
    ACPI_HID, "AcpiHid", "ACPI HID Named Device", "AMD IOMMU 48882 §5.2.2.2; ACPICA ACPI_IVRS_DEVICE_HID",
    "AcpiHid" / chars(8) * "_HID of the device",
    "AcpiCid" / u64 * "_CID of the device (0 = none)",
    "UidType" / u8 * "0 none, 1 integer, 2 string",
    "UidLength" / u8 * "length of the _UID that follows",
    parts=(Rest("Uid", count="UidLength", doc="_UID of the device"),),
)
_HID_FIXED = 22  # header, HID, CID, UidType, UidLength: UidLength is the last byte


def _device_entry_size(code: int, data: bytes, pos: int, end: int) -> int | None:
    if code != ACPI_HID:
        return 4 << (code >> 6)
    return _HID_FIXED + data[pos + _HID_FIXED - 1] if pos + _HID_FIXED <= end else None


DEVICE_ENTRIES = Entries("DeviceEntries", DE_HEADER, (*_FOUR, *_ALIAS, *_EXT, SPECIAL, HID), length_field=None,
                         size_of=_device_entry_size)

_IVHD_COMMON = (
    "CapabilityOffset" / u16 * "offset of the IOMMU capability block in config space",
    "BaseAddress" / u64 * "IOMMU register base",
    "PciSegmentGroup" / u16 * "PCI segment",
    "Info" / u16 * "IOMMUInfo: bits[4:0] MSI number, bits[12:8] UnitID",
)
IVHD10 = entry_type(0x10, "Hardware10", "Hardware Definition Block (IVHD type 10h)",
                    "AMD IOMMU 48882 §5.2.2.1; ACPICA ACPI_IVRS_HARDWARE1", *_IVHD_COMMON,
                    "FeatureReporting" / u32 * "IOMMU feature reporting", parts=(DEVICE_ENTRIES,))
_IVHD2 = (*_IVHD_COMMON,
          "Attributes" / u32 * "IOMMU attributes",
          "EfrRegisterImage" / u64 * "image of the Extended Feature Register",
          "Reserved" / u64 * "reserved (EFR2 image in IVHD type 40h)")
IVHD11 = entry_type(0x11, "Hardware11", "Hardware Definition Block (IVHD type 11h)",
                    "AMD IOMMU 48882 §5.2.2.1; ACPICA ACPI_IVRS_HARDWARE2", *_IVHD2, parts=(DEVICE_ENTRIES,))
IVHD40 = entry_type(0x40, "Hardware40", "Hardware Definition Block (IVHD type 40h)",
                    "AMD IOMMU 48882 §5.2.2.1; ACPICA ACPI_IVRS_HARDWARE2", *_IVHD2, parts=(DEVICE_ENTRIES,))
IVMD = [entry_type(code, name, title, "AMD IOMMU 48882 §5.2.3; ACPICA ACPI_IVRS_MEMORY",
                   "AuxData" / u16 * "reserved, must be zero",
                   "Reserved" / u64 * "reserved, must be zero",
                   "StartAddress" / u64 * "start of the memory block",
                   "MemoryLength" / u64 * "length of the memory block")
        for code, name, title in ((0x20, "MemoryAll", "Memory Definition Block (all peripherals)"),
                                  (0x21, "MemorySelect", "Memory Definition Block (one peripheral)"),
                                  (0x22, "MemoryRange", "Memory Definition Block (peripheral range)"))]

BLOCKS = Entries("Blocks", HEADER, (IVHD10, IVHD11, IVHD40, *IVMD))
IVRS = SdtKind("IVRS", TreeBody(Shape(IVRS_FIXED, (BLOCKS,)), subtables="Blocks"),
               title="I/O Virtualization Reporting Structure", cite=IVRS_FIXED.cite)
