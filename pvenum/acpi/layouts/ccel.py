"""CCEL — Confidential Computing Event Log table (where the CC measurement log lives).

ACPI 6.5 §5.2.34; ACPICA ``ACPI_TABLE_CCEL`` (actbl2.h, ACPICA 20221020+), 56 bytes,
revision 1 (EDK2 ``EFI_CC_EVENTLOG_ACPI_TABLE_REVISION``). CC types (EDK2 CcMeasurement.h):
0 none, 1 SEV, 2 TDX, 3 RISC-V AP-TEE, 4 Arm CCA (``pvenum.acpi.constants.CC_TYPES``). Linux exports the log as
/sys/firmware/acpi/tables/data/CCEL and refuses zero LAML/LASA.
"""

from __future__ import annotations

from .body import FixedBody
from .common import Record, u8, u16, u64
from .kinds import SdtKind

CCEL_BODY = Record(
    "CCEL",
    "CCType" / u8 * "confidential computing type: 1 SEV, 2 TDX, 3 RISC-V AP-TEE, 4 Arm CCA",
    "CCSubType" / u8 * "CC subtype (0 for TDX)",
    "Reserved" / u16 * "reserved, must be zero",
    "LogAreaMinimumLength" / u64 * "LAML: bytes reserved for the event log",
    "LogAreaStartAddress" / u64 * "LASA: physical address of the event log",
    cite="ACPI 6.5 §5.2.34; ACPICA ACPI_TABLE_CCEL",
)

CCEL = SdtKind("CCEL", FixedBody(CCEL_BODY), title="Confidential Computing Event Log", cite=CCEL_BODY.cite)
