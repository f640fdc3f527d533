"""TDEL — legacy TD Event Log table (Intel GHCI, Sept 2020), superseded by CCEL.

Intel TDX GHCI 1.0 §4.4; ACPICA ``ACPI_TABLE_TDEL`` (actbl2.h, ACPICA 20211217+), 56 bytes.
"""

from __future__ import annotations

from .body import FixedBody
from .common import Record, u32, u64
from .kinds import SdtKind

TDEL_BODY = Record(
    "TDEL",
    "Reserved" / u32 * "reserved, must be zero",
    "LogAreaMinimumLength" / u64 * "LAML: bytes reserved for the TD event log",
    "LogAreaStartAddress" / u64 * "LASA: physical address of the TD event log",
    cite="Intel TDX GHCI §4.4; ACPICA ACPI_TABLE_TDEL",
)

TDEL = SdtKind("TDEL", FixedBody(TDEL_BODY), title="TD Event Log (legacy)", cite=TDEL_BODY.cite)
