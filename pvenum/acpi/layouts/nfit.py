"""NFIT — NVDIMM Firmware Interface Table.

ACPI 6.5 §5.2.26; ACPICA ``ACPI_TABLE_NFIT``, ``ACPI_NFIT_*`` (actbl2.h). 4-byte fixed part;
structures ``{u16 Type; u16 Length}``. The SPA range grew a LocationCookie in ACPI 6.3
(56 → 64 bytes); each structure is read as the fields its Length holds.
"""

from __future__ import annotations

from .common import Record, raw, u8, u16, u32, u64
from .kinds import SdtKind
from .tree import Entries, Items, Rest, Shape, TreeBody, entry_type

NFIT_FIXED = Record("NFIT", "Reserved" / u32 * "reserved, must be zero", cite="ACPI 6.5 §5.2.26; ACPICA ACPI_TABLE_NFIT")
HEADER = Record("NfitHeader", "Type" / u16, "Length" / u16, cite="ACPICA ACPI_NFIT_HEADER")

SPA = entry_type(
    0, "SystemAddress", "System Physical Address Range", "ACPI 6.5 §5.2.26.2; ACPICA ACPI_NFIT_SYSTEM_ADDRESS",
    "RangeIndex" / u16 * "SPA range structure index",
    "Flags" / u16 * "bit0 control region for management only, bit1 proximity domain valid, bit2 location cookie valid",
    "Reserved" / u32 * "reserved, must be zero",
    "ProximityDomain" / u32 * "proximity domain",
    "RangeGuid" / raw(16) * "address range type GUID",
    "Address" / u64 * "range base",
    # ACPICA calls it Length; renamed here because the structure header has a Length.
    "RangeLength" / u64 * "range length",
    "MemoryMapping" / u64 * "EFI memory attributes",
    "LocationCookie" / u64 * "location cookie (ACPI 6.3)",
)
MEMORY_MAP = entry_type(
    1, "MemoryMap", "Memory Device to SPA Range Map", "ACPI 6.5 §5.2.26.3; ACPICA ACPI_NFIT_MEMORY_MAP",
    "DeviceHandle" / u32 * "NFIT device handle",
    "PhysicalId" / u16 * "NVDIMM physical ID (SMBIOS handle)",
    "RegionId" / u16 * "NVDIMM region ID",
    "RangeIndex" / u16 * "SPA range structure index",
    "RegionIndex" / u16 * "control region structure index",
    "RegionSize" / u64 * "region size",
    "RegionOffset" / u64 * "region offset",
    "Address" / u64 * "NVDIMM physical address region base",
    "InterleaveIndex" / u16 * "interleave structure index",
    "InterleaveWays" / u16 * "interleave ways",
    "Flags" / u16 * "state flags",
    "Reserved" / u16 * "reserved, must be zero",
)
INTERLEAVE = entry_type(
    2, "Interleave", "Interleave", "ACPI 6.5 §5.2.26.4; ACPICA ACPI_NFIT_INTERLEAVE",
    "InterleaveIndex" / u16 * "interleave structure index",
    "Reserved" / u16 * "reserved, must be zero",
    "LineCount" / u32 * "number of lines",
    "LineSize" / u32 * "line size",
    parts=(Items("LineOffset", u32, count="LineCount", doc="line offset"),),
)
SMBIOS = entry_type(
    3, "Smbios", "SMBIOS Management Information", "ACPI 6.5 §5.2.26.5; ACPICA ACPI_NFIT_SMBIOS",
    "Reserved" / u32 * "reserved, must be zero",
    parts=(Rest("Data", doc="SMBIOS table data"),),
)
CONTROL_REGION = entry_type(
    4, "ControlRegion", "NVDIMM Control Region", "ACPI 6.5 §5.2.26.6; ACPICA ACPI_NFIT_CONTROL_REGION",
    "RegionIndex" / u16 * "control region structure index",
    "VendorId" / u16 * "vendor ID",
    "DeviceId" / u16 * "device ID",
    "RevisionId" / u16 * "revision ID",
    "SubsystemVendorId" / u16 * "subsystem vendor ID",
    "SubsystemDeviceId" / u16 * "subsystem device ID",
    "SubsystemRevisionId" / u16 * "subsystem revision ID",
    "ValidFields" / u8 * "bit0 manufacturing location/date valid",
    "ManufacturingLocation" / u8 * "manufacturing location",
    "ManufacturingDate" / u16 * "manufacturing date",
    "Reserved" / raw(2) * "reserved, must be zero",
    "SerialNumber" / u32 * "serial number",
    "Code" / u16 * "region format interface code",
    "Windows" / u16 * "number of block control windows",
    "WindowSize" / u64 * "block control window size",
    "CommandOffset" / u64 * "command register offset",
    "CommandSize" / u64 * "command register size",
    "StatusOffset" / u64 * "status register offset",
    "StatusSize" / u64 * "status register size",
    "Flags" / u16 * "bit0 buffered",
    "Reserved1" / raw(6) * "reserved, must be zero",
)
DATA_REGION = entry_type(
    5, "DataRegion", "NVDIMM Block Data Window Region", "ACPI 6.5 §5.2.26.7; ACPICA ACPI_NFIT_DATA_REGION",
    "RegionIndex" / u16 * "control region structure index",
    "Windows" / u16 * "number of block data windows",
    "Offset" / u64 * "block data window start offset",
    "Size" / u64 * "block data window size",
    "Capacity" / u64 * "accessible block capacity",
    "StartAddress" / u64 * "first accessible block address",
)
FLUSH = entry_type(
    6, "FlushAddress", "Flush Hint Address", "ACPI 6.5 §5.2.26.8; ACPICA ACPI_NFIT_FLUSH_ADDRESS",
    "DeviceHandle" / u32 * "NFIT device handle",
    "HintCount" / u16 * "number of flush hint addresses",
    "Reserved" / raw(6) * "reserved, must be zero",
    parts=(Items("HintAddress", u64, count="HintCount", doc="flush hint address"),),
)
CAPABILITIES = entry_type(
    7, "Capabilities", "Platform Capabilities", "ACPI 6.5 §5.2.26.9; ACPICA ACPI_NFIT_CAPABILITIES",
    "HighestCapability" / u8 * "highest valid capability bit",
    "Reserved" / raw(3) * "reserved, must be zero",
    "Capabilities" / u32 * "bit0 cache flush to NVDIMM, bit1 memory flush, bit2 hardware mirroring",
    "Reserved2" / u32 * "reserved, must be zero",
)

STRUCTURES = Entries("Structures", HEADER, (SPA, MEMORY_MAP, INTERLEAVE, SMBIOS, CONTROL_REGION, DATA_REGION,
                                            FLUSH, CAPABILITIES))
NFIT = SdtKind("NFIT", TreeBody(Shape(NFIT_FIXED, (STRUCTURES,)), subtables="Structures"),
               title="NVDIMM Firmware Interface Table", cite=NFIT_FIXED.cite)
