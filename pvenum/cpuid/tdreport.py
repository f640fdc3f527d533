"""The TDX TDREPORT a TD guest gets from /dev/tdx_guest (TDX_CMD_GET_REPORT0): declared once,
read for what the Linux model needs — TDINFO_STRUCT.ATTRIBUTES (the TD attributes that
tdx_early_init() also reads from TDG.VP.INFO; bit 0 DEBUG, bit 28 SEPT_VE_DISABLE).

Layout: Intel TDX Module ABI, TDREPORT_STRUCT (1024 bytes): REPORTMACSTRUCT (256),
TEE_TCB_INFO (239), reserved (17), TDINFO_STRUCT (512) starting with ATTRIBUTES (8), XFAM (8),
MRTD (48). The request: include/uapi/linux/tdx-guest.h struct tdx_report_req
{ __u8 reportdata[64]; __u8 tdreport[1024]; } and TDX_CMD_GET_REPORT0 = _IOWR('T', 1, ...).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .._construct import c, parse

if TYPE_CHECKING:  # pragma: no cover
    from .._io import Within

TDREPORT_SIZE = 1024
REPORTDATA_SIZE = 64
TDX_CMD_GET_REPORT0 = (3 << 30) | ((REPORTDATA_SIZE + TDREPORT_SIZE) << 16) | (ord("T") << 8) | 1

TDREPORT = c.Struct(
    "report_mac" / c.Bytes(256),     # REPORTMACSTRUCT
    "tee_tcb_info" / c.Bytes(239),   # TEE_TCB_INFO
    "reserved" / c.Bytes(17),
    "attributes" / c.Int64ul,        # TDINFO_STRUCT.ATTRIBUTES (TD_ATTRIBUTES)
    "xfam" / c.Int64ul,
    "mrtd" / c.Bytes(48),
    "tdinfo_rest" / c.Bytes(TDREPORT_SIZE - 512 - 64),
)


def td_attributes(report: bytes) -> int:
    """TDINFO_STRUCT.ATTRIBUTES of a 1024-byte TDREPORT (ParseError when it is short)."""
    return parse(TDREPORT, report, fmt="tdreport").attributes


def read_td_attributes(device: str, *, within: Within | None = None) -> int:
    """Ask ``device`` (/dev/tdx_guest) for a TDREPORT and return its TD attributes (OSError when
    the device is absent or refuses). ``within`` (a sysroot): the node opened must lie in it,
    checked before the ioctl (pvenum._io.LeadsOut when it does not)."""
    import fcntl
    import os

    req = bytearray(REPORTDATA_SIZE + TDREPORT_SIZE)
    fd = within.open(device, os.O_RDWR) if within is not None else os.open(device, os.O_RDWR | os.O_CLOEXEC)
    try:
        fcntl.ioctl(fd, TDX_CMD_GET_REPORT0, req, True)
    finally:
        os.close(fd)
    return td_attributes(bytes(req[REPORTDATA_SIZE:]))
