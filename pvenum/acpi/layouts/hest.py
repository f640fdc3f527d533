"""HEST — Hardware Error Source Table.

ACPI 6.5 §18.3.2; ACPICA ``ACPI_TABLE_HEST``, ``ACPI_HEST_*`` (actbl1.h). 4-byte fixed part,
then error sources ``{u16 Type; u16 SourceId; ...}`` that carry no Length: the size comes from
the type, and for the IA-32 machine-check types from their NumHardwareBanks (28-byte banks
follow). Types pvenum does not declare end the decode; the rest stays bytes.
"""

from __future__ import annotations

from ..._construct import c
from .common import GAS, Record, u8, u16, u32, u64
from .kinds import SdtKind
from .common import raw
from .tree import Entries, EntryType, Items, Shape, TreeBody

HEST_FIXED = Record("HEST", "ErrorSourceCount" / u32 * "number of error sources",
                    cite="ACPI 6.5 §18.3.2; ACPICA ACPI_TABLE_HEST")
HEADER = Record("HestHeader", "Type" / u16, "SourceId" / u16, cite="ACPICA ACPI_HEST_HEADER")

# ACPI 6.5 §18.3.2.7 Hardware Error Notification Structure; ACPICA ACPI_HEST_NOTIFY.
NOTIFY = c.Struct(
    "Type" / u8 * "0 polled, 1 external interrupt, 2 local interrupt, 3 SCI, 4 NMI, 5 CMCI, 6 MCE, "
                  "7 GPIO, 8 SEA, 9 SEI, 10 GSIV, 11 software delegated",
    "Length" / u8 * "28",
    "ConfigWriteEnable" / u16 * "which of the following fields OSPM may write",
    "PollInterval" / u32 * "poll interval (ms)",
    "Vector" / u32 * "interrupt vector",
    "PollingThresholdValue" / u32 * "polling threshold value",
    "PollingThresholdWindow" / u32 * "polling threshold window (ms)",
    "ErrorThresholdValue" / u32 * "error threshold value",
    "ErrorThresholdWindow" / u32 * "error threshold window (ms)",
)
_GHES = (
    "RelatedSourceId" / u16 * "alternate source ID (0xFFFF = none)",
    "Reserved" / u8 * "reserved, must be zero",
    "Enabled" / u8 * "1 = enabled",
    "RecordsToPreallocate" / u32 * "error records to preallocate",
    "MaxSectionsPerRecord" / u32 * "maximum sections per record",
    "MaxRawDataLength" / u32 * "maximum raw data length",
    "ErrorStatusAddress" / GAS * "address of the error status block pointer",
    "Notify" / NOTIFY * "how the source notifies OSPM",
    "ErrorBlockLength" / u32 * "error status block length",
)
GHES = EntryType(9, "Ghes", "Generic Hardware Error Source",
                 Shape(Record("Ghes", *_GHES, cite="ACPI 6.5 §18.3.2.7; ACPICA ACPI_HEST_GENERIC")), size=64)
GHES_V2 = EntryType(10, "GhesV2", "Generic Hardware Error Source V2", Shape(Record(
    "GhesV2", *_GHES,
    "ReadAckRegister" / GAS * "read acknowledge register",
    "ReadAckPreserve" / u64 * "bits of the register to preserve",
    "ReadAckWrite" / u64 * "bits to write to acknowledge",
    cite="ACPI 6.5 §18.3.2.8; ACPICA ACPI_HEST_GENERIC_V2")), size=92)
NMI = EntryType(2, "Nmi", "IA-32 Non-Maskable Interrupt", Shape(Record(
    "Nmi",
    "Reserved" / u32 * "reserved, must be zero",
    "RecordsToPreallocate" / u32 * "error records to preallocate",
    "MaxSectionsPerRecord" / u32 * "maximum sections per record",
    "MaxRawDataLength" / u32 * "maximum raw data length",
    cite="ACPI 6.5 §18.3.2.3; ACPICA ACPI_HEST_IA_NMI")), size=20)

BANK = Record(
    "Bank",
    "BankNumber" / u8 * "bank number",
    "ClearStatusOnInit" / u8 * "1 = clear the status at initialisation",
    "StatusFormat" / u8 * "0 IA-32 MCA, 1 Intel 64 MCA, 2 AMD64 MCA",
    "Reserved" / u8 * "reserved, must be zero",
    "ControlRegister" / u32 * "IA32_MCi_CTL MSR",
    "ControlData" / u64 * "value written to the control register",
    "StatusRegister" / u32 * "IA32_MCi_STATUS MSR",
    "AddressRegister" / u32 * "IA32_MCi_ADDR MSR",
    "MiscRegister" / u32 * "IA32_MCi_MISC MSR",
    cite="ACPI 6.5 §18.3.2.1.1; ACPICA ACPI_HEST_IA_ERROR_BANK",
)
_BANKS = (Items("Banks", BANK, count="NumHardwareBanks"),)
MACHINE_CHECK = EntryType(0, "MachineCheck", "IA-32 Machine Check Exception", Shape(Record(
    "MachineCheck",
    "Reserved1" / u16 * "reserved, must be zero",
    "Flags" / u8 * "bit0 firmware first, bit2 GHES assist",
    "Enabled" / u8 * "1 = enabled",
    "RecordsToPreallocate" / u32 * "error records to preallocate",
    "MaxSectionsPerRecord" / u32 * "maximum sections per record",
    "GlobalCapabilityData" / u64 * "IA32_MCG_CAP value",
    "GlobalControlData" / u64 * "IA32_MCG_CTL value to write",
    "NumHardwareBanks" / u8 * "number of bank structures that follow",
    "Reserved3" / raw(7) * "reserved, must be zero",
    cite="ACPI 6.5 §18.3.2.1; ACPICA ACPI_HEST_IA_MACHINE_CHECK"), _BANKS))
_CORRECTED = (
    "Reserved1" / u16 * "reserved, must be zero",
    "Flags" / u8 * "bit0 firmware first, bit2 GHES assist",
    "Enabled" / u8 * "1 = enabled",
    "RecordsToPreallocate" / u32 * "error records to preallocate",
    "MaxSectionsPerRecord" / u32 * "maximum sections per record",
    "Notify" / NOTIFY * "how the source notifies OSPM",
    "NumHardwareBanks" / u8 * "number of bank structures that follow",
    "Reserved2" / raw(3) * "reserved, must be zero",
)
CORRECTED_CHECK = EntryType(1, "CorrectedCheck", "IA-32 Corrected Machine Check", Shape(Record(
    "CorrectedCheck", *_CORRECTED, cite="ACPI 6.5 §18.3.2.2; ACPICA ACPI_HEST_IA_CORRECTED"), _BANKS))
DEFERRED_CHECK = EntryType(11, "DeferredCheck", "IA-32 Deferred Machine Check", Shape(Record(
    "DeferredCheck", *_CORRECTED, cite="ACPI 6.5 §18.3.2.9; ACPICA ACPI_HEST_IA_DEFERRED_CHECK"), _BANKS))
_AER = (
    "Reserved1" / u16 * "reserved, must be zero",
    "Flags" / u8 * "bit0 firmware first, bit1 global",
    "Enabled" / u8 * "1 = enabled",
    "RecordsToPreallocate" / u32 * "error records to preallocate",
    "MaxSectionsPerRecord" / u32 * "maximum sections per record",
    "Bus" / u32 * "PCI segment (bits 31:8) and bus",
    "Device" / u16 * "PCI device",
    "Function" / u16 * "PCI function",
    "DeviceControl" / u16 * "PCIe Device Control register value",
    "Reserved2" / u16 * "reserved, must be zero",
    "UncorrectableMask" / u32 * "Uncorrectable Error Mask value",
    "UncorrectableSeverity" / u32 * "Uncorrectable Error Severity value",
    "CorrectableMask" / u32 * "Correctable Error Mask value",
    "AdvancedCapabilities" / u32 * "Advanced Error Capabilities and Control value",
)
AER_ROOT = EntryType(6, "AerRoot", "PCI Express Root Port AER", Shape(Record(
    "AerRoot", *_AER, "RootErrorCommand" / u32 * "Root Error Command value",
    cite="ACPI 6.5 §18.3.2.4; ACPICA ACPI_HEST_AER_ROOT")), size=48)
AER_ENDPOINT = EntryType(7, "Aer", "PCI Express AER (AER Endpoint)", Shape(Record(
    "Aer", *_AER, cite="ACPI 6.5 §18.3.2.5; ACPICA ACPI_HEST_AER")), size=44)
AER_BRIDGE = EntryType(8, "AerBridge", "PCI Express/PCI-X Bridge AER", Shape(Record(
    "AerBridge", *_AER,
    "UncorrectableMask2" / u32 * "secondary Uncorrectable Error Mask value",
    "UncorrectableSeverity2" / u32 * "secondary Uncorrectable Error Severity value",
    "AdvancedCapabilities2" / u32 * "secondary Advanced Error Capabilities and Control value",
    cite="ACPI 6.5 §18.3.2.6; ACPICA ACPI_HEST_AER_BRIDGE")), size=56)

# Where NumHardwareBanks sits in the machine-check entries (from the entry start), and their fixed size.
_BANKED = {0: (32, 40), 1: (44, 48), 11: (44, 48)}


def _banked_size(code: int, data: bytes, pos: int, end: int) -> int | None:
    if code not in _BANKED:
        return None
    at, fixed = _BANKED[code]
    if pos + at >= end:
        return None
    return fixed + BANK.size * data[pos + at]


SOURCES = Entries("ErrorSources", HEADER, (MACHINE_CHECK, CORRECTED_CHECK, NMI, AER_ROOT, AER_ENDPOINT, AER_BRIDGE,
                                           GHES, GHES_V2, DEFERRED_CHECK), length_field=None, size_of=_banked_size)
HEST = SdtKind("HEST", TreeBody(Shape(HEST_FIXED, (SOURCES,)), subtables="ErrorSources"),
               title="Hardware Error Source Table", cite=HEST_FIXED.cite)
