"""MADT — Multiple APIC Description Table (signature "APIC") and its interrupt-controller
subtables.

ACPI 6.5 §5.2.12 (6.6 for the Multiprocessor Wakeup ResetVector); ACPICA ``ACPI_TABLE_MADT``
and ``ACPI_MADT_*`` (actbl2.h). 44-byte fixed part, then ``{u8 Type; u8 Length; ...}``
subtables stepped by Length. Subtables grew across revisions (GICC: 40 bytes in ACPI 5.0, 76 in
5.1, 80 in 6.0/6.3, 82 in 6.5, 88 in 6.7; MP Wakeup: 16 in 6.4, 24 in 6.6); each is read as the
fields its Length holds. Types pvenum does not declare are kept as bytes.
"""

from __future__ import annotations

from .body import SubtableBody, subtable_type
from .common import Record, raw, u8, u16, u32, u64
from .kinds import SdtKind

MADT_FIXED = Record(
    "MADT",
    "Address" / u32 * "physical address of the local APIC",
    "Flags" / u32 * "bit0 PCAT_COMPAT: dual 8259s present",
    cite="ACPI 6.5 §5.2.12; ACPICA ACPI_TABLE_MADT",
)

_INTI = "MPS INTI flags: bits[1:0] polarity, bits[3:2] trigger mode"
_LAPIC_FLAGS = "bit0 Enabled, bit1 Online Capable"

# Each type's Length is 2 + its fields unless ``lengths`` lists the revisions' lengths.
LOCAL_APIC = subtable_type(
    0x00, "LocalApic", "Processor Local APIC", "ACPI 6.5 §5.2.12.2; ACPICA ACPI_MADT_LOCAL_APIC",
    "ProcessorId" / u8 * "ACPI processor UID",
    "Id" / u8 * "the processor's local APIC ID",
    "LapicFlags" / u32 * _LAPIC_FLAGS,
)
IO_APIC = subtable_type(
    0x01, "IoApic", "I/O APIC", "ACPI 6.5 §5.2.12.3; ACPICA ACPI_MADT_IO_APIC",
    "Id" / u8 * "I/O APIC ID",
    "Reserved" / u8 * "reserved, must be zero",
    "Address" / u32 * "I/O APIC physical address",
    "GlobalIrqBase" / u32 * "first global system interrupt of this I/O APIC",
)
INTERRUPT_OVERRIDE = subtable_type(
    0x02, "InterruptOverride", "Interrupt Source Override", "ACPI 6.5 §5.2.12.5; ACPICA ACPI_MADT_INTERRUPT_OVERRIDE",
    "Bus" / u8 * "0 = ISA",
    "SourceIrq" / u8 * "bus-relative interrupt source (IRQ)",
    "GlobalIrq" / u32 * "global system interrupt it maps to",
    "IntiFlags" / u16 * _INTI,
)
NMI_SOURCE = subtable_type(
    0x03, "NmiSource", "NMI Source", "ACPI 6.5 §5.2.12.6; ACPICA ACPI_MADT_NMI_SOURCE",
    "IntiFlags" / u16 * _INTI,
    "GlobalIrq" / u32 * "global system interrupt of the NMI",
)
LOCAL_APIC_NMI = subtable_type(
    0x04, "LocalApicNmi", "Local APIC NMI", "ACPI 6.5 §5.2.12.7; ACPICA ACPI_MADT_LOCAL_APIC_NMI",
    "ProcessorId" / u8 * "ACPI processor UID (0xFF = all)",
    "IntiFlags" / u16 * _INTI,
    "Lint" / u8 * "local APIC LINTn input",
)
LOCAL_APIC_OVERRIDE = subtable_type(
    0x05, "LocalApicOverride", "Local APIC Address Override",
    "ACPI 6.5 §5.2.12.8; ACPICA ACPI_MADT_LOCAL_APIC_OVERRIDE",
    "Reserved" / u16 * "reserved, must be zero",
    "Address" / u64 * "64-bit local APIC address",
)
IO_SAPIC = subtable_type(
    0x06, "IoSapic", "I/O SAPIC", "ACPI 6.5 §5.2.12.9; ACPICA ACPI_MADT_IO_SAPIC",
    "Id" / u8 * "I/O SAPIC ID",
    "Reserved" / u8 * "reserved, must be zero",
    "GlobalIrqBase" / u32 * "first global system interrupt",
    "Address" / u64 * "I/O SAPIC physical address",
)
LOCAL_SAPIC = subtable_type(
    0x07, "LocalSapic", "Local SAPIC", "ACPI 6.5 §5.2.12.10; ACPICA ACPI_MADT_LOCAL_SAPIC",
    "ProcessorId" / u8 * "ACPI processor ID",
    "Id" / u8 * "local SAPIC ID",
    "Eid" / u8 * "local SAPIC EID",
    "Reserved" / raw(3) * "reserved, must be zero",
    "LapicFlags" / u32 * _LAPIC_FLAGS,
    "Uid" / u32 * "ACPI processor UID value",
    # The NUL-terminated UidString that follows is kept as the subtable's unparsed bytes,
    # so the Length varies: no fixed lengths to check.
    lengths=(),
)
INTERRUPT_SOURCE = subtable_type(
    0x08, "InterruptSource", "Platform Interrupt Sources", "ACPI 6.5 §5.2.12.11; ACPICA ACPI_MADT_INTERRUPT_SOURCE",
    "IntiFlags" / u16 * _INTI,
    "Type" / u8 * "1 PMI, 2 INIT, 3 corrected platform error",
    "Id" / u8 * "processor ID of the destination",
    "Eid" / u8 * "processor EID of the destination",
    "IoSapicVector" / u8 * "I/O SAPIC vector (PMI)",
    "GlobalIrq" / u32 * "global system interrupt",
    "Flags" / u32 * "bit0 CPEI processor override",
)
LOCAL_X2APIC = subtable_type(
    0x09, "LocalX2Apic", "Processor Local x2APIC", "ACPI 6.5 §5.2.12.12; ACPICA ACPI_MADT_LOCAL_X2APIC",
    "Reserved" / u16 * "reserved, must be zero",
    "LocalApicId" / u32 * "the processor's x2APIC ID",
    "LapicFlags" / u32 * _LAPIC_FLAGS,
    "Uid" / u32 * "ACPI processor UID",
)
LOCAL_X2APIC_NMI = subtable_type(
    0x0A, "LocalX2ApicNmi", "Local x2APIC NMI", "ACPI 6.5 §5.2.12.13; ACPICA ACPI_MADT_LOCAL_X2APIC_NMI",
    "IntiFlags" / u16 * _INTI,
    "Uid" / u32 * "ACPI processor UID (0xFFFFFFFF = all)",
    "Lint" / u8 * "local x2APIC LINTn input",
    "Reserved" / raw(3) * "reserved, must be zero",
)
GICC = subtable_type(
    0x0B, "GICC", "GIC CPU Interface (GICC)", "ACPI 6.5 §5.2.12.14; ACPICA ACPI_MADT_GENERIC_INTERRUPT",
    "Reserved" / u16 * "reserved, must be zero",
    "CpuInterfaceNumber" / u32 * "GIC CPU interface number",
    "Uid" / u32 * "ACPI processor UID",
    "Flags" / u32 * "bit0 Enabled, bit1 perf IRQ edge, bit2 VGIC IRQ edge, bit3 Online Capable",
    "ParkingVersion" / u32 * "parking protocol version (0 = not supported)",
    "PerformanceInterrupt" / u32 * "GSIV of the performance-monitoring interrupt",
    "ParkedAddress" / u64 * "physical address of the parking protocol mailbox",
    "BaseAddress" / u64 * "GICv2 CPU interface physical base",
    # ---- 40: ACPI 5.0 ----
    "GicvBaseAddress" / u64 * "GICV: virtual CPU interface base",
    "GichBaseAddress" / u64 * "GICH: virtual interface control base",
    "VgicInterrupt" / u32 * "GSIV of the VGIC maintenance interrupt",
    "GicrBaseAddress" / u64 * "GICR base for this processor",
    "ArmMpidr" / u64 * "MPIDR of the processor (affinity fields)",
    # ---- 76: ACPI 5.1 ----
    "EfficiencyClass" / u8 * "relative power efficiency",
    "Reserved2" / u8 * "reserved, must be zero",
    "SpeInterrupt" / u16 * "GSIV of the SPE overflow interrupt (ACPI 6.3)",
    # ---- 80: ACPI 6.0 / 6.3 ----
    "TrbeInterrupt" / u16 * "GSIV of the TRBE interrupt (ACPI 6.5)",
    # ---- 82: ACPI 6.5 ----
    "Iaffid" / u16 * "GICv5 interrupt affinity ID (ACPI 6.7)",
    "IrsId" / u32 * "GICv5 IRS ID (ACPI 6.7)",
    # ---- 88: ACPI 6.7 ----
    lengths=(40, 76, 80, 82, 88),
)
GICD = subtable_type(
    0x0C, "GICD", "GIC Distributor (GICD)", "ACPI 6.5 §5.2.12.15; ACPICA ACPI_MADT_GENERIC_DISTRIBUTOR",
    "Reserved" / u16 * "reserved, must be zero",
    "GicId" / u32 * "GIC distributor hardware ID",
    "BaseAddress" / u64 * "distributor physical base",
    "GlobalIrqBase" / u32 * "reserved, must be zero (system vector base)",
    "Version" / u8 * "GIC version (0 = detect, 1..4 = GICv1..v4)",
    "Reserved2" / raw(3) * "reserved, must be zero",
)
GIC_MSI_FRAME = subtable_type(
    0x0D, "GICMsiFrame", "GIC MSI Frame", "ACPI 6.5 §5.2.12.16; ACPICA ACPI_MADT_GENERIC_MSI_FRAME",
    "Reserved" / u16 * "reserved, must be zero",
    "MsiFrameId" / u32 * "MSI frame ID",
    "BaseAddress" / u64 * "MSI frame physical base",
    "Flags" / u32 * "bit0 SPI count/base select",
    "SpiCount" / u16 * "number of SPIs",
    "SpiBase" / u16 * "first SPI",
)
GICR = subtable_type(
    0x0E, "GICR", "GIC Redistributor (GICR)", "ACPI 6.5 §5.2.12.17; ACPICA ACPI_MADT_GENERIC_REDISTRIBUTOR",
    "Flags" / u8 * "bit0 GICR non-coherent (ACPI 6.6; reserved before)",
    "Reserved" / u8 * "reserved, must be zero",
    "BaseAddress" / u64 * "redistributor discovery range base",
    "Length" / u32 * "length of the discovery range",
)
GIC_ITS = subtable_type(
    0x0F, "GICIts", "GIC Interrupt Translation Service (ITS)",
    "ACPI 6.5 §5.2.12.18; ACPICA ACPI_MADT_GENERIC_TRANSLATOR",
    "Flags" / u8 * "bit0 ITS non-coherent (ACPI 6.6; reserved before)",
    "Reserved" / u8 * "reserved, must be zero",
    "TranslationId" / u32 * "GIC ITS ID",
    "BaseAddress" / u64 * "ITS physical base",
    "Reserved2" / u32 * "reserved, must be zero",
)
MP_WAKEUP = subtable_type(
    0x10, "MPWakeup", "Multiprocessor Wakeup",
    "ACPI 6.5 §5.2.12.19 (ResetVector: ACPI 6.6); ACPICA ACPI_MADT_MULTIPROC_WAKEUP",
    "MailboxVersion" / u16 * "0 = 16-byte structure (ACPI 6.4), 1 = with ResetVector (ACPI 6.6)",
    "Reserved" / u32 * "reserved, must be zero",
    "BaseAddress" / u64 * "physical address of the 4 KiB-aligned wakeup mailbox",
    # ---- 16: version 0 ----
    "ResetVector" / u64 * "physical address of the reset vector, for CPU offlining/kexec (version 1)",
    # ---- 24: version 1 ----
    lengths=(16, 24),
)

SUBTABLE_TYPES = [
    LOCAL_APIC, IO_APIC, INTERRUPT_OVERRIDE, NMI_SOURCE, LOCAL_APIC_NMI, LOCAL_APIC_OVERRIDE, IO_SAPIC,
    LOCAL_SAPIC, INTERRUPT_SOURCE, LOCAL_X2APIC, LOCAL_X2APIC_NMI, GICC, GICD, GIC_MSI_FRAME, GICR, GIC_ITS,
    MP_WAKEUP,
]

# Types the spec defines that pvenum keeps as bytes (LoongArch, RISC-V, GICv5; ACPI 6.5+).
OTHER_TYPES = {
    0x11: "CorePic", 0x12: "LioPic", 0x13: "HtPic", 0x14: "EioPic", 0x15: "MsiPic", 0x16: "BioPic",
    0x17: "LpcPic", 0x18: "Rintc", 0x19: "Imsic", 0x1A: "Aplic", 0x1B: "Plic", 0x1C: "GicV5Irs",
    0x1D: "GicV5Its", 0x1E: "GicV5ItsTranslate",
}

MADT = SdtKind("APIC", SubtableBody(MADT_FIXED, SUBTABLE_TYPES, table="MADT"), name="MADT",
               title="Multiple APIC Description Table", cite=MADT_FIXED.cite)
