"""Meanings of ACPI values, for rendering: enumerations and flag bits (ACPI 6.5 chapter 5).

Kept apart from the layouts (pyelftools' descriptions idea): layouts say where a field is,
this module says what its values mean.
"""

from __future__ import annotations

from typing import Any

from .constants import CC_TYPES
from .layouts import pvsr
from .layouts.titles import SIGNATURE_TITLES, title_for  # noqa: F401  (names of tables, with the layouts)

SPACE_ID = {0: "SystemMemory", 1: "SystemIO", 2: "PCI config", 3: "EmbeddedControl", 4: "SMBus", 5: "SystemCMOS",
            6: "PciBarTarget", 7: "IPMI", 8: "GeneralPurposeIo", 9: "GenericSerialBus", 0x0A: "PCC", 0x0B: "PRM",
            0x7F: "FunctionalFixedHW"}
ACCESS_WIDTH = {0: "undefined/legacy", 1: "byte", 2: "word", 3: "dword", 4: "qword"}
PM_PROFILE = {0: "Unspecified", 1: "Desktop", 2: "Mobile", 3: "Workstation", 4: "Enterprise Server",
              5: "SOHO Server", 6: "Appliance PC", 7: "Performance Server", 8: "Tablet"}
GIC_VERSION = {0: "detect", 1: "GICv1", 2: "GICv2", 3: "GICv3", 4: "GICv4", 5: "GICv5"}
# (subtable or table name, field) -> {value: meaning}: enumerations inside subtables, their
# entries and table-level arrays.
ENUMS: dict[tuple[str, str], dict[int, str]] = {
    # Intel VT-d 4.1 §8.3.1 device scope types (DMAR structures that carry scopes).
    **{(sub, "EntryType"): {1: "PCI Endpoint Device", 2: "PCI Sub-hierarchy", 3: "IOAPIC", 4: "MSI Capable HPET",
                            5: "ACPI Namespace Device"}
       for sub in ("HardwareUnit", "ReservedMemory", "RootAts", "Satc", "Sidp")},
    ("Special", "Variety"): {1: "IOAPIC", 2: "HPET"},  # AMD IOMMU 48882 §5.2.2.2
    ("KeyConfigUnit", "ProtocolType"): {1: "PCIe/CXL.io IDE", 2: "CXL.cachemem IDE"},
    # ACPI 6.5 §18.5.1 tables 18.34 and 18.35: ERST serialization actions and instructions.
    ("ERST", "Action"): dict(enumerate((
        "BEGIN_WRITE_OPERATION", "BEGIN_READ_OPERATION", "BEGIN_CLEAR_OPERATION", "END_OPERATION",
        "SET_RECORD_OFFSET", "EXECUTE_OPERATION", "CHECK_BUSY_STATUS", "GET_COMMAND_STATUS",
        "GET_RECORD_IDENTIFIER", "SET_RECORD_IDENTIFIER", "GET_RECORD_COUNT", "BEGIN_DUMMY_WRITE_OPERATION",
        "reserved", "GET_ERROR_LOG_ADDRESS_RANGE", "GET_ERROR_LOG_ADDRESS_RANGE_LENGTH",
        "GET_ERROR_LOG_ADDRESS_RANGE_ATTRIBUTES", "GET_EXECUTE_OPERATION_TIMINGS"))),
    ("ERST", "Instruction"): dict(enumerate((
        "READ_REGISTER", "READ_REGISTER_VALUE", "WRITE_REGISTER", "WRITE_REGISTER_VALUE", "NOOP", "LOAD_VAR1",
        "LOAD_VAR2", "STORE_VAR1", "ADD", "SUBTRACT", "ADD_VALUE", "SUBTRACT_VALUE", "STALL", "STALL_WHILE_TRUE",
        "SKIP_NEXT_INSTRUCTION_IF_TRUE", "GOTO", "SET_SRC_ADDRESS_BASE", "SET_DST_ADDRESS_BASE", "MOVE_DATA"))),
}

# (table name, field) -> {bit: meaning}
FLAG_BITS: dict[tuple[str, str], dict[int, str]] = {
    ("FADT", "Flags"): {0: "WBINVD", 1: "WBINVD_FLUSH", 2: "PROC_C1", 3: "P_LVL2_UP", 4: "PWR_BUTTON",
                        5: "SLP_BUTTON", 6: "FIX_RTC", 7: "RTC_S4", 8: "TMR_VAL_EXT", 9: "DCK_CAP",
                        10: "RESET_REG_SUP", 11: "SEALED_CASE", 12: "HEADLESS", 13: "CPU_SW_SLP",
                        14: "PCI_EXP_WAK", 15: "USE_PLATFORM_CLOCK", 16: "S4_RTC_STS_VALID",
                        17: "REMOTE_POWER_ON_CAPABLE", 18: "FORCE_APIC_CLUSTER_MODEL",
                        19: "FORCE_APIC_PHYSICAL_DESTINATION_MODE", 20: "HW_REDUCED_ACPI",
                        21: "LOW_POWER_S0_IDLE_CAPABLE", 22: "PERSISTENT_CPU_CACHES"},
    ("FADT", "BootFlags"): {0: "LEGACY_DEVICES", 1: "8042", 2: "VGA_NOT_PRESENT", 3: "MSI_NOT_SUPPORTED",
                            4: "PCIE_ASPM_CONTROLS", 5: "CMOS_RTC_NOT_PRESENT"},
    ("FADT", "ArmBootFlags"): {0: "PSCI_COMPLIANT", 1: "PSCI_USE_HVC"},
    ("MADT", "Flags"): {0: "PCAT_COMPAT"},
    ("MADT", "LapicFlags"): {0: "Enabled", 1: "Online Capable"},
    ("GICC", "Flags"): {0: "Enabled", 1: "Performance IRQ edge", 2: "VGIC IRQ edge", 3: "Online Capable",
                        4: "GICR non-coherent"},
    ("WAET", "Flags"): {0: "RTC_NO_ACK", 1: "PM_TIMER_GOOD"},
    # Device assignment (Intel VT-d 4.1 §8, AMD IOMMU 48882 §5.2, Arm DEN0049E, ACPI 6.5 §5.2.32).
    ("DMAR", "Flags"): {0: "INTR_REMAP", 1: "X2APIC_OPT_OUT", 2: "DMA_CTRL_PLATFORM_OPT_IN"},
    # (Subtable Flags whose entries have Flags of their own, DRHD's and SMMUv3's, are left
    # unnamed: meanings are looked up by the last name of a field's path.)
    ("RootComplex", "AtsAttribute"): {0: "ATS_SUPPORTED", 1: "PRI_SUPPORTED", 2: "PASID_FWD_SUPPORTED"},
    ("FACS", "Flags"): {0: "S4BIOS_F", 1: "64BIT_WAKE_SUPPORTED_F"},
    ("FACS", "OspmFlags"): {0: "64BIT_WAKE_F"},
    # pvenum's draft table (layouts/pvsr.py); Flags[13:8] is the boundary width, not a bit.
    ("PVSR", "Flags"): pvsr.FLAG_NAMES,
    ("PVSR", "Services"): pvsr.SERVICE_NAMES,
}


def flag_bits(table: str, field: str, subtable: str | None = None) -> dict[int, str]:
    """Bit names of a flags field (table-level, or of a subtable such as GICC)."""
    if subtable is not None:
        if field == "LapicFlags":
            return FLAG_BITS[("MADT", "LapicFlags")]
        return FLAG_BITS.get((subtable, field), {})
    return FLAG_BITS.get((table, field), {})


def meaning(table: str, field: str, value: Any, *, subtable: str | None = None, text: str | None = None) -> str:
    """A short meaning for ``value`` of ``field`` ("" when there is nothing to add)."""
    if not isinstance(value, int):
        return ""
    if field == "SpaceId":
        return SPACE_ID.get(value, "")
    if field == "AccessWidth":
        return ACCESS_WIDTH.get(value, "")
    if subtable is None:
        if table == "FADT" and field == "PreferredProfile":
            return PM_PROFILE.get(value, "")
        if table == "FADT" and field == "HypervisorId" and text:
            return f'"{text}"'
        if table == "CCEL" and field == "CCType":
            return CC_TYPES.get(value, "reserved")
        if table == "PVSR":
            return pvsr.meaning(field, value)
        if (table, field) in ENUMS:
            return ENUMS[(table, field)].get(value, "")
    elif subtable == "GICD" and field == "Version":
        return GIC_VERSION.get(value, "")
    elif (subtable, field) in ENUMS:
        return ENUMS[(subtable, field)].get(value, "")
    bits = flag_bits(table, field, subtable)
    if bits:
        return " | ".join(bits[b] for b in sorted(bits) if value >> b & 1)
    return ""
