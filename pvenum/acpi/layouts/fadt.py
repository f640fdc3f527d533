"""FADT — Fixed ACPI Description Table (signature "FACP").

ACPI 6.5 §5.2.9; ACPICA ``ACPI_TABLE_FADT`` (actbl.h). The table grew by appending fields;
sizes by revision (ACPICA ``ACPI_FADT_V1_SIZE`` .. ``V6_SIZE``): rev 1 → 116 (ACPI 1.0, ends
after Flags), rev 2 → 132 (ACPI 1.0b/2.0 subset incl. ArmBootFlags@129, MinorRevision@131 as
later defined by ACPI 5.1), rev 3/4 → 244 (X_ blocks), rev 5 → 268 (SleepControl/Status),
rev 6 → 276 (HypervisorId@268, ACPI 6.0). A short FADT decodes the whole fields it holds.
"""

from __future__ import annotations

from .body import FixedBody
from .common import GAS, Record, u8, u16, u32, u64
from .kinds import SdtKind

FADT_BODY = Record(
    "FADT",
    "Facs" / u32 * "FIRMWARE_CTRL: 32-bit physical address of the FACS",
    "Dsdt" / u32 * "32-bit physical address of the DSDT",
    "Model" / u8 * "INT_MODEL (ACPI 1.0 only)",
    "PreferredProfile" / u8 * "preferred power-management profile",
    "SciInterrupt" / u16 * "SCI interrupt vector",
    "SmiCommand" / u32 * "SMI command port",
    "AcpiEnable" / u8 * "value written to SMI_CMD to enable ACPI",
    "AcpiDisable" / u8 * "value written to SMI_CMD to disable ACPI",
    "S4BiosRequest" / u8 * "value written to SMI_CMD to enter S4BIOS",
    "PstateControl" / u8 * "value written to SMI_CMD to take over P-state control",
    "Pm1aEventBlock" / u32 * "PM1a event register block port",
    "Pm1bEventBlock" / u32 * "PM1b event register block port",
    "Pm1aControlBlock" / u32 * "PM1a control register block port",
    "Pm1bControlBlock" / u32 * "PM1b control register block port",
    "Pm2ControlBlock" / u32 * "PM2 control register block port",
    "PmTimerBlock" / u32 * "PM timer register block port",
    "Gpe0Block" / u32 * "GPE0 register block port",
    "Gpe1Block" / u32 * "GPE1 register block port",
    "Pm1EventLength" / u8 * "bytes decoded by PM1x_EVT_BLK",
    "Pm1ControlLength" / u8 * "bytes decoded by PM1x_CNT_BLK",
    "Pm2ControlLength" / u8 * "bytes decoded by PM2_CNT_BLK",
    "PmTimerLength" / u8 * "bytes decoded by PM_TMR_BLK",
    "Gpe0BlockLength" / u8 * "bytes decoded by GPE0_BLK",
    "Gpe1BlockLength" / u8 * "bytes decoded by GPE1_BLK",
    "Gpe1Base" / u8 * "GPE number where GPE1 events start",
    "CstControl" / u8 * "value written to SMI_CMD for _CST support",
    "C2Latency" / u16 * "worst-case C2 latency (µs)",
    "C3Latency" / u16 * "worst-case C3 latency (µs)",
    "FlushSize" / u16 * "cache flush size (legacy)",
    "FlushStride" / u16 * "cache flush stride (legacy)",
    "DutyOffset" / u8 * "duty-cycle setting offset in P_CNT",
    "DutyWidth" / u8 * "duty-cycle setting width in P_CNT",
    "DayAlarm" / u8 * "RTC CMOS index of the day-of-month alarm",
    "MonthAlarm" / u8 * "RTC CMOS index of the month alarm",
    "Century" / u8 * "RTC CMOS index of the century",
    "BootFlags" / u16 * "IA-PC boot architecture flags (ACPI 2.0+)",
    "Reserved" / u8 * "reserved, must be zero",
    "Flags" / u32 * "fixed feature flags (bit20 HW_REDUCED_ACPI)",
    # ---- 116: end of ACPI 1.0 (revision 1) ----
    "ResetRegister" / GAS * "reset register (ACPI 2.0+)",
    "ResetValue" / u8 * "value written to ResetRegister",
    "ArmBootFlags" / u16 * "Arm boot flags: bit0 PSCI_COMPLIANT, bit1 PSCI_USE_HVC (ACPI 5.1)",
    "MinorRevision" / u8 * "FADT minor revision (ACPI 5.1)",
    # ---- 132: revision 2 ----
    "XFacs" / u64 * "X_FIRMWARE_CTRL: 64-bit physical address of the FACS",
    "XDsdt" / u64 * "X_DSDT: 64-bit physical address of the DSDT",
    "XPm1aEventBlock" / GAS * "X_PM1a_EVT_BLK",
    "XPm1bEventBlock" / GAS * "X_PM1b_EVT_BLK",
    "XPm1aControlBlock" / GAS * "X_PM1a_CNT_BLK",
    "XPm1bControlBlock" / GAS * "X_PM1b_CNT_BLK",
    "XPm2ControlBlock" / GAS * "X_PM2_CNT_BLK",
    "XPmTimerBlock" / GAS * "X_PM_TMR_BLK",
    "XGpe0Block" / GAS * "X_GPE0_BLK",
    "XGpe1Block" / GAS * "X_GPE1_BLK",
    # ---- 244: revisions 3 and 4 ----
    "SleepControl" / GAS * "SLEEP_CONTROL_REG (ACPI 5.0)",
    "SleepStatus" / GAS * "SLEEP_STATUS_REG (ACPI 5.0)",
    # ---- 268: revision 5 ----
    "HypervisorId" / u64 * "Hypervisor Vendor Identity (ACPI 6.0), e.g. \"MsHyperV\"",
    # ---- 276: revision 6 ----
    cite="ACPI 6.5 §5.2.9; ACPICA ACPI_TABLE_FADT",
)

# Table length each FADT revision defines (ACPICA ACPI_FADT_V1_SIZE .. ACPI_FADT_V6_SIZE).
SIZE_BY_REVISION = {1: 116, 2: 132, 3: 244, 4: 244, 5: 268, 6: 276}

FADT = SdtKind("FACP", FixedBody(FADT_BODY), name="FADT", title="Fixed ACPI Description Table",
               cite=FADT_BODY.cite)
