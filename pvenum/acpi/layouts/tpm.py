"""TCPA (TPM 1.2) and TPM2 — the TPM's event log area and control interface.

TCG ACPI Specification 1.3 §7 (TCPA client/server), §8 (TPM2); ACPICA ``ACPI_TABLE_TCPA_HDR``,
``ACPI_TABLE_TCPA_CLIENT``/``_SERVER`` and ``ACPI_TABLE_TPM2`` (actbl2.h, actbl3.h). TCPA's
layout depends on PlatformClass (0 client, 1 server); TPM2 is read as the fields its Length
holds (52 bytes; + 12 bytes of start-method parameters; + the log area, 76 bytes).
"""

from __future__ import annotations

from .common import GAS, Record, raw, u8, u16, u32, u64
from .kinds import SdtKind
from .tree import Entries, EntryType, Shape, TreeBody

_TCG = "TCG ACPI Specification 1.3"
TCPA_HEADER = Record("TcpaHeader", "PlatformClass" / u16 * "0 client, 1 server", cite=f"{_TCG} §7; ACPICA ACPI_TABLE_TCPA_HDR")
CLIENT = EntryType(0, "Client", "TCPA Client", Shape(Record(
    "TcpaClient",
    "MinimumLogLength" / u32 * "minimum length of the event log area",
    "LogAddress" / u64 * "event log area address",
    cite=f"{_TCG} §7.1; ACPICA ACPI_TABLE_TCPA_CLIENT")), size=14)
SERVER = EntryType(1, "Server", "TCPA Server", Shape(Record(
    "TcpaServer",
    "Reserved" / u16 * "reserved, must be zero",
    "MinimumLogLength" / u64 * "minimum length of the event log area",
    "LogAddress" / u64 * "event log area address",
    "SpecRevision" / u16 * "TCG spec revision (BCD)",
    "DeviceFlags" / u8 * "bit0 PCI device, bit1 bus is PNP, bit2 address valid",
    "InterruptFlags" / u8 * "bit0 mode, bit1 polarity, bit2 GPE, bit3 GSI",
    "GpeNumber" / u8 * "SCI GPE",
    "Reserved2" / raw(3) * "reserved, must be zero",
    "GlobalInterrupt" / u32 * "GSI",
    "AddressSpace" / GAS * "TPM base address",
    "Reserved3" / u32 * "reserved, must be zero",
    "ConfigAddress" / GAS * "configuration address",
    "Group" / u8 * "PCI segment",
    "Bus" / u8 * "PCI bus",
    "Device" / u8 * "PCI device",
    "Function" / u8 * "PCI function",
    cite=f"{_TCG} §7.2; ACPICA ACPI_TABLE_TCPA_SERVER")), size=64)
TCPA = SdtKind("TCPA", TreeBody(Shape(Record("TCPA", cite=f"{_TCG} §7"), (
    Entries("Platform", TCPA_HEADER, (CLIENT, SERVER), type_field="PlatformClass", length_field=None),))),
    title="Trusted Computing Platform Alliance Capabilities (TPM 1.2)", cite=f"{_TCG} §7; ACPICA ACPI_TABLE_TCPA_HDR")

TPM2_BODY = Record(
    "TPM2",
    "PlatformClass" / u16 * "0 client, 1 server",
    "Reserved" / u16 * "reserved, must be zero",
    "ControlAddress" / u64 * "address of the CRB control area (0 for TIS)",
    "StartMethod" / u32 * "2 ACPI, 6 TIS/MMIO, 7 CRB, 8 CRB+ACPI, 11 CRB+SMC, 12 FIFO over I2C, ...",
    # ---- 52 ----
    "MethodParameters" / raw(12) * "start-method specific parameters",
    # ---- 64 ----
    "MinimumLogLength" / u32 * "minimum length of the event log area (LAML)",
    "LogAddress" / u64 * "event log area address (LASA)",
    # ---- 76 ----
    cite=f"{_TCG} §8; ACPICA ACPI_TABLE_TPM2, ACPI_TPM2_TRAILER",
)
TPM2 = SdtKind("TPM2", TreeBody(Shape(TPM2_BODY)), title="Trusted Platform Module 2 Table", cite=TPM2_BODY.cite)
