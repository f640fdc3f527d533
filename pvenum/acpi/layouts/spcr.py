"""SPCR — Serial Port Console Redirection Table.

Microsoft SPCR specification (revisions 2–4); ACPICA ``ACPI_TABLE_SPCR`` (actbl3.h). 80 bytes
up to revision 2; revision 3+ turns the last reserved u32 into UartClkFreq and adds
PreciseBaudrate and a namespace string (88 bytes + string at NameSpaceStringOffset).
"""

from __future__ import annotations

from .common import GAS, Record, raw, u8, u16, u32
from .kinds import SdtKind
from .tree import Gap, Rest, Shape, TreeBody

SPCR_BODY = Record(
    "SPCR",
    "InterfaceType" / u8 * "serial interface type (DBG2 port subtypes; 0 = 16550)",
    "Reserved" / raw(3) * "reserved, must be zero",
    "SerialPort" / GAS * "base address of the serial port",
    "InterruptType" / u8 * "bit0 8259, bit1 I/O APIC, bit2 I/O SAPIC, bit3 GIC",
    "PcInterrupt" / u8 * "PC-AT IRQ",
    "Interrupt" / u32 * "global system interrupt",
    "BaudRate" / u8 * "3 = 9600, 4 = 19200, 6 = 57600, 7 = 115200 (0 = as is)",
    "Parity" / u8 * "0 = no parity",
    "StopBits" / u8 * "1 = 1 stop bit",
    "FlowControl" / u8 * "bit0 DCD, bit1 RTS/CTS, bit2 XON/XOFF",
    "TerminalType" / u8 * "0 VT100, 1 VT100+, 2 VT-UTF8, 3 ANSI",
    "Language" / u8 * "reserved, must be zero (Reserved1 before ACPICA 2023)",
    "PciDeviceId" / u16 * "PCI device ID (0xFFFF = not PCI)",
    "PciVendorId" / u16 * "PCI vendor ID",
    "PciBus" / u8 * "PCI bus",
    "PciDevice" / u8 * "PCI device",
    "PciFunction" / u8 * "PCI function",
    "PciFlags" / u32 * "bit0 do not disable the device",
    "PciSegment" / u8 * "PCI segment",
    "UartClkFreq" / u32 * "UART clock frequency (revision 3+; reserved before)",
    # ---- 80: revision 2 ----
    "PreciseBaudrate" / u32 * "exact baud rate (revision 4)",
    "NameSpaceStringLength" / u16 * "length of the namespace string (revision 4)",
    "NameSpaceStringOffset" / u16 * "offset of the namespace string (revision 4)",
    # ---- 88: revision 4 ----
    cite="Microsoft SPCR spec rev 4; ACPICA ACPI_TABLE_SPCR",
)

# Revision 4: the namespace string sits at NameSpaceStringOffset (from the table start).
SPCR_SHAPE = Shape(SPCR_BODY, (Gap("Padding", lambda v: v["NameSpaceStringOffset"] - 36),
                               Rest("NameSpaceString", count="NameSpaceStringLength",
                                    doc="NUL-terminated ACPI namespace path of the port", text=True)))
SPCR = SdtKind("SPCR", TreeBody(SPCR_SHAPE), title="Serial Port Console Redirection", cite=SPCR_BODY.cite)
