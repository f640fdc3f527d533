"""FPDT — Firmware Performance Data Table, and its performance records.

ACPI 6.5 §5.2.24; ACPICA ``ACPI_TABLE_FPDT``, ``ACPI_FPDT_*`` (actbl1.h). No fixed part;
performance records ``{u16 Type; u8 Length; u8 Revision}``: pointers to the FBPT (type 0)
and the S3PT (type 1). The S3PT's own records (resume, suspend) are declared here too and read
by s3pt.py.
"""

from __future__ import annotations

from .common import Record, u8, u16, u32, u64
from .kinds import SdtKind
from .tree import Entries, Shape, TreeBody, entry_type

RECORD_HEADER = Record("FpdtHeader", "Type" / u16, "Length" / u8, "Revision" / u8, cite="ACPICA ACPI_FPDT_HEADER")

BOOT_POINTER = entry_type(
    0, "BootPointer", "Firmware Basic Boot Performance Pointer", "ACPI 6.5 §5.2.24.4; ACPICA ACPI_FPDT_BOOT_POINTER",
    "Reserved" / u32 * "reserved, must be zero",
    "Address" / u64 * "physical address of the FBPT",
)
S3PT_POINTER = entry_type(
    1, "S3ptPointer", "S3 Performance Table Pointer", "ACPI 6.5 §5.2.24.5; ACPICA ACPI_FPDT_S3PT_POINTER",
    "Reserved" / u32 * "reserved, must be zero",
    "Address" / u64 * "physical address of the S3PT",
)
RECORDS = Entries("Records", RECORD_HEADER, (BOOT_POINTER, S3PT_POINTER))
FPDT = SdtKind("FPDT", TreeBody(Shape(Record("FPDT", cite="ACPI 6.5 §5.2.24; ACPICA ACPI_TABLE_FPDT"), (RECORDS,)),
                                subtables="Records"),
               title="Firmware Performance Data Table", cite="ACPI 6.5 §5.2.24; ACPICA ACPI_TABLE_FPDT")

# -- the records of the S3PT (reached through the FPDT, not the XSDT) --------------------------------
S3PT_RESUME = entry_type(
    0, "Resume", "Basic S3 Resume Performance Record", "ACPI 6.5 §5.2.24.6; ACPICA ACPI_S3PT_RESUME",
    "ResumeCount" / u32 * "number of S3 resumes since the last full boot",
    "FullResume" / u64 * "time of the last full resume (ns)",
    "AverageResume" / u64 * "average resume time (ns)",
)
S3PT_SUSPEND = entry_type(
    1, "Suspend", "Basic S3 Suspend Performance Record", "ACPI 6.5 §5.2.24.7; ACPICA ACPI_S3PT_SUSPEND",
    "SuspendStart" / u64 * "timer value when OSPM wrote SLP_TYP/SLP_EN (ns)",
    "SuspendEnd" / u64 * "timer value just before the S3 transition (ns)",
)
S3PT_RECORDS = Entries("Records", RECORD_HEADER, (S3PT_RESUME, S3PT_SUSPEND))
