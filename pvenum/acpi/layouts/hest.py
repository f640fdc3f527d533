"""HEST — Hardware Error Source Table.

ACPI 6.5 §18.3.2; ACPICA ``ACPI_TABLE_HEST``, ``ACPI_HEST_*`` (actbl1.h). 4-byte fixed part,
then error sources ``{u16 Type; u16 SourceId; ...}`` that carry no Length: the size comes from
the type. Types whose size depends on their bank count (IA-32 MCE/CMC, deferred MCE) and
types pvenum does not declare end the decode; the rest stays bytes.
"""

from __future__ import annotations

from ..._construct import c
from .common import GAS, Record, u8, u16, u32, u64
from .kinds import SdtKind
from .tree import Entries, Shape, TreeBody, EntryType

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

SOURCES = Entries("ErrorSources", HEADER, (NMI, GHES, GHES_V2), length_field=None)
HEST = SdtKind("HEST", TreeBody(Shape(HEST_FIXED, (SOURCES,)), subtables="ErrorSources"),
               title="Hardware Error Source Table", cite=HEST_FIXED.cite)
