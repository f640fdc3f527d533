"""GTDT — Generic Timer Description Table (Arm).

ACPI 6.5 §5.2.25; ACPICA ``ACPI_TABLE_GTDT``, ``ACPI_GTDT_*`` (actbl1.h). 60-byte fixed part
(revision 3 adds the virtual EL2 timer: 68), then platform timers ``{u8 Type; u16 Length}``
at PlatformTimerOffset: GT blocks (with their timer frames) and SBSA watchdogs.
"""

from __future__ import annotations

from .common import Record, raw, u8, u16, u32, u64
from .kinds import SdtKind
from .tree import Entries, Gap, Items, Shape, TreeBody, entry_type

_FLAGS = "bit0 edge triggered, bit1 active low, bit2 always-on capable"
GTDT_FIXED = Record(
    "GTDT",
    # ACPICA spells it with three s.
    "CounterBlockAddresss" / u64 * "CntControlBase physical address (0xFFFFFFFFFFFFFFFF = none)",
    "Reserved" / u32 * "reserved, must be zero",
    "SecureEl1Interrupt" / u32 * "GSIV of the secure EL1 timer",
    "SecureEl1Flags" / u32 * _FLAGS,
    "NonSecureEl1Interrupt" / u32 * "GSIV of the non-secure EL1 timer",
    "NonSecureEl1Flags" / u32 * _FLAGS,
    "VirtualTimerInterrupt" / u32 * "GSIV of the virtual timer",
    "VirtualTimerFlags" / u32 * _FLAGS,
    "NonSecureEl2Interrupt" / u32 * "GSIV of the EL2 timer",
    "NonSecureEl2Flags" / u32 * _FLAGS,
    "CounterReadBlockAddress" / u64 * "CntReadBase physical address",
    "PlatformTimerCount" / u32 * "number of platform timers",
    "PlatformTimerOffset" / u32 * "offset of the platform timers from the table start",
    # ---- 60: revision 2 ----
    "VirtualEL2TimerGsiv" / u32 * "GSIV of the virtual EL2 timer (revision 3)",
    "VirtualEL2TimerFlags" / u32 * _FLAGS,
    # ---- 68: revision 3 ----
    cite="ACPI 6.5 §5.2.25; ACPICA ACPI_TABLE_GTDT",
)
HEADER = Record("GtdtHeader", "Type" / u8, "Length" / u16, cite="ACPICA ACPI_GTDT_HEADER")
TIMER_FRAME = Record(
    "GtdtTimerEntry",
    "FrameNumber" / u8 * "frame number",
    "Reserved" / raw(3) * "reserved, must be zero",
    "BaseAddress" / u64 * "CntBaseX",
    "El0BaseAddress" / u64 * "CntEL0BaseX (0xFFFFFFFFFFFFFFFF = none)",
    "TimerInterrupt" / u32 * "GSIV of the physical timer",
    "TimerFlags" / u32 * _FLAGS,
    "VirtualTimerInterrupt" / u32 * "GSIV of the virtual timer",
    "VirtualTimerFlags" / u32 * _FLAGS,
    "CommonFlags" / u32 * "bit0 secure, bit1 always-on",
    cite="ACPI 6.5 §5.2.25.1.1; ACPICA ACPI_GTDT_TIMER_ENTRY",
)
TIMER_BLOCK = entry_type(
    0, "TimerBlock", "Generic Timer Block", "ACPI 6.5 §5.2.25.1; ACPICA ACPI_GTDT_TIMER_BLOCK",
    "Reserved" / u8 * "reserved, must be zero",
    "BlockAddress" / u64 * "CntCtlBase physical address",
    "TimerCount" / u32 * "number of timer frames",
    "TimerOffset" / u32 * "offset of the frames from the block start",
    parts=(Gap("Padding", "TimerOffset"), Items("Timers", TIMER_FRAME, count="TimerCount")),
)
WATCHDOG = entry_type(
    1, "Watchdog", "Arm Generic Watchdog", "ACPI 6.5 §5.2.25.2; ACPICA ACPI_GTDT_WATCHDOG",
    "Reserved" / u8 * "reserved, must be zero",
    "RefreshFrameAddress" / u64 * "RefreshFrame physical address",
    "ControlFrameAddress" / u64 * "WatchdogControlFrame physical address",
    "TimerInterrupt" / u32 * "GSIV of the watchdog interrupt",
    "TimerFlags" / u32 * "bit0 edge, bit1 active low, bit2 secure",
)

TIMERS = Entries("PlatformTimers", HEADER, (TIMER_BLOCK, WATCHDOG))
GTDT = SdtKind("GTDT", TreeBody(Shape(GTDT_FIXED, (Gap("Padding", lambda v: v["PlatformTimerOffset"] - 36), TIMERS)),
                                subtables="PlatformTimers"),
               title="Generic Timer Description Table", cite=GTDT_FIXED.cite)
