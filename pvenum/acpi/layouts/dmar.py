"""DMAR — DMA Remapping Table (Intel VT-d) and its remapping structures.

Intel VT-d spec rev 4.1 §8; ACPICA ``ACPI_TABLE_DMAR``, ``ACPI_DMAR_*`` (actbl1.h). 12-byte fixed
part, then ``{u16 Type; u16 Length}`` structures; DRHD/RMRR/ATSR/SATC/SIDP end in device scopes
``{u8 EntryType; u8 Length; ...}`` whose PCI path is ``{Device, Function}`` pairs.
"""

from __future__ import annotations

from .common import Record, raw, u8, u16, u32, u64
from .kinds import SdtKind
from .tree import Entries, Items, Rest, Shape, TreeBody, entry_type

DMAR_FIXED = Record(
    "DMAR",
    "Width" / u8 * "host address width - 1 (N-1 of an N-bit DMA address)",
    "Flags" / u8 * "bit0 INTR_REMAP, bit1 X2APIC_OPT_OUT, bit2 DMA_CTRL_PLATFORM_OPT_IN",
    "Reserved" / raw(10) * "reserved, must be zero",
    cite="Intel VT-d 4.1 §8.1; ACPICA ACPI_TABLE_DMAR",
)
HEADER = Record("DmarHeader", "Type" / u16, "Length" / u16, cite="ACPICA ACPI_DMAR_HEADER")
PCI_PATH = Record("PciPath", "Device" / u8, "Function" / u8, cite="Intel VT-d 4.1 §8.3.1; ACPICA ACPI_DMAR_PCI_PATH")
SCOPE_HEADER = Record(
    "DeviceScope",
    "EntryType" / u8 * "1 PCI endpoint, 2 PCI bridge, 3 IOAPIC, 4 HPET, 5 ACPI namespace device",
    "Length" / u8 * "length of this scope entry",
    cite="Intel VT-d 4.1 §8.3.1; ACPICA ACPI_DMAR_DEVICE_SCOPE",
)
_SCOPE = entry_type(
    0, "Scope", "Device Scope", "Intel VT-d 4.1 §8.3.1; ACPICA ACPI_DMAR_DEVICE_SCOPE",
    "Flags" / u8 * "bit0 Req WO PASID Nested, bit1 Req WO PASID PWSNP, bit2 Req WO PASID PGSNP, bit3 ATC hardened",
    "Reserved" / u8 * "reserved, must be zero",
    "EnumerationId" / u8 * "IOAPIC/HPET ID or ACPI device number",
    "Bus" / u8 * "start bus number of the path",
    parts=(Items("Path", PCI_PATH),),
)
# Every scope type has the same body; Entries dispatch needs one declaration per code.
SCOPES = Entries("DeviceScope", SCOPE_HEADER, tuple(
    type(_SCOPE)(code, name, title, _SCOPE.shape) for code, name, title in (
        (1, "PciEndpoint", "PCI Endpoint Device"), (2, "PciBridge", "PCI Sub-hierarchy"),
        (3, "IoApic", "IOAPIC Device"), (4, "Hpet", "MSI Capable HPET"), (5, "Namespace", "ACPI Namespace Device"))),
    type_field="EntryType")

DRHD = entry_type(
    0, "HardwareUnit", "Hardware Unit Definition (DRHD)", "Intel VT-d 4.1 §8.3; ACPICA ACPI_DMAR_HARDWARE_UNIT",
    "Flags" / u8 * "bit0 INCLUDE_PCI_ALL",
    "Size" / u8 * "register set size: 2^(4 + n) 4 KiB pages",
    "Segment" / u16 * "PCI segment",
    "Address" / u64 * "register base address",
    parts=(SCOPES,),
)
RMRR = entry_type(
    1, "ReservedMemory", "Reserved Memory Region (RMRR)", "Intel VT-d 4.1 §8.4; ACPICA ACPI_DMAR_RESERVED_MEMORY",
    "Reserved" / u16 * "reserved, must be zero",
    "Segment" / u16 * "PCI segment",
    "BaseAddress" / u64 * "region base (4 KiB aligned)",
    "EndAddress" / u64 * "region limit (last byte)",
    parts=(SCOPES,),
)
ATSR = entry_type(
    2, "RootAts", "Root Port ATS Capability (ATSR)", "Intel VT-d 4.1 §8.5; ACPICA ACPI_DMAR_ATSR",
    "Flags" / u8 * "bit0 ALL_PORTS",
    "Reserved" / u8 * "reserved, must be zero",
    "Segment" / u16 * "PCI segment",
    parts=(SCOPES,),
)
RHSA = entry_type(
    3, "HardwareAffinity", "Remapping Hardware Static Affinity (RHSA)", "Intel VT-d 4.1 §8.6; ACPICA ACPI_DMAR_RHSA",
    "Reserved" / u32 * "reserved, must be zero",
    "BaseAddress" / u64 * "register base of the remapping unit",
    "ProximityDomain" / u32 * "proximity domain",
)
ANDD = entry_type(
    4, "Namespace", "ACPI Namespace Device Declaration (ANDD)", "Intel VT-d 4.1 §8.7; ACPICA ACPI_DMAR_ANDD",
    "Reserved" / raw(3) * "reserved, must be zero",
    "DeviceNumber" / u8 * "ACPI device number (device scope EnumerationId)",
    parts=(Rest("DeviceName", doc="NUL-terminated ACPI object name", text=True),),
)
SATC = entry_type(
    5, "Satc", "SoC Integrated Address Translation Cache (SATC)", "Intel VT-d 4.1 §8.8; ACPICA ACPI_DMAR_SATC",
    "Flags" / u8 * "bit0 ATC_REQUIRED",
    "Reserved" / u8 * "reserved, must be zero",
    "Segment" / u16 * "PCI segment",
    parts=(SCOPES,),
)
SIDP = entry_type(
    6, "Sidp", "SoC Integrated Device Property (SIDP)", "Intel VT-d 4.1 §8.9; ACPICA ACPI_DMAR_SIDP",
    "Reserved" / u16 * "reserved, must be zero",
    "Segment" / u16 * "PCI segment",
    parts=(SCOPES,),
)

STRUCTURES = Entries("Structures", HEADER, (DRHD, RMRR, ATSR, RHSA, ANDD, SATC, SIDP))
DMAR = SdtKind("DMAR", TreeBody(Shape(DMAR_FIXED, (STRUCTURES,)), subtables="Structures"),
               title="DMA Remapping Table", cite=DMAR_FIXED.cite)
