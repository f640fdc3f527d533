"""Collect what the running kernel concluded into kernel.log, in the format reader.py reads:
the kernel's own messages (`dmesg`), then report lines ("pvenum-observe: ...") for
/proc/cpuinfo, uname, the device nodes and sysfs entries of messages.CHECKED_PATHS, the TPM's
driver and the PSCI method. Each source that cannot be read is listed as
"pvenum-observe: unreadable SOURCE: why", never fatal.
"""

from __future__ import annotations

import os
import platform as _platform
import shutil
import subprocess
from pathlib import Path

from .. import _io
from ..errors import PvenumError
from . import messages as M
from .reader import MAX_BYTES

P = M.REPORT_PREFIX
LOG_NAME = _io.KERNEL_LOG  # in a snapshot bundle
DMESG_TIMEOUT = 30
# The kernel's messages kept, so that the report lines after them fit what reader.py reads
# (MAX_BYTES): a longer log keeps its start, where the boot's conclusions are.
DMESG_BYTES = MAX_BYTES - (1 << 20)
PROC_BYTES = 16 << 20  # /proc/cpuinfo of thousands of CPUs is a few MiB
CUT = "\0\n"  # what ends a devicetree string or a sysfs value


def _dmesg(root: Path, lines: list[str], report: list[str]) -> None:
    if str(root) != "/":
        report.append(f"{P}unreadable dmesg: only read on the live machine (a sysroot was given)")
        return
    tool = shutil.which("dmesg")
    if tool is None:
        report.append(f"{P}unreadable dmesg: `dmesg` (util-linux) not installed")
        return
    try:
        res = subprocess.run([tool], capture_output=True, timeout=DMESG_TIMEOUT, env={**os.environ, "LC_ALL": "C"})
    except (OSError, subprocess.SubprocessError) as err:
        report.append(f"{P}unreadable dmesg: {err}")
        return
    if res.returncode != 0:
        why = res.stderr.decode(errors="replace").strip().splitlines()
        report.append(f"{P}unreadable dmesg: {why[-1] if why else f'exit {res.returncode}'}"
                      " (kernel.dmesg_restrict: run as root)")
        return
    lines.extend(res.stdout[:DMESG_BYTES].decode(errors="replace").splitlines())


class _Sysroot:
    """The sysroot read: its path, and the directory every read stays inside."""

    __slots__ = ("path", "inside")

    def __init__(self, path: Path, inside: _io.Within | None = None) -> None:
        self.path, self.inside = path, inside if inside is not None else _io.sysroot(path)


def _inside(root: _Sysroot, path: str) -> Path:
    """``path`` (absolute on the machine) under ``root``, as :func:`pvenum._io.in_sysroot` allows."""
    return _io.in_sysroot(root.inside, root.path / path.lstrip("/"))


def _read(root: _Sysroot, path: str, limit: int, report: list[str]) -> str | None:
    """``path`` under the sysroot ``root`` as text, bounded and a regular file only (under
    --sysroot a FIFO or device in its place is refused, not waited on), or None with its report
    line. The name is checked before anything is opened, and the file opened is checked again
    (a link swapped in between cannot put the host's file in the log)."""
    try:
        return _io.read_bytes(_inside(root, path), limit=limit, regular=True, within=root.inside).decode(errors="replace")
    except PvenumError as err:
        report.append(f"{P}unreadable {path}: {err.message}")
        return None


def collect(sysroot: str | Path = "/", *, inside: _io.Within | None = None) -> str:
    """``inside``: the sysroot's Within when the caller made it already (pvenum.snapshot)."""
    root = _Sysroot(Path(sysroot), inside)
    lines: list[str] = []
    report: list[str] = [f"{P}begin"]
    _dmesg(root.path, lines, report)
    if str(root.path) == "/":
        report.append(f"{P}uname-r {_platform.release()}")
        report.append(f"{P}uname-m {_platform.machine()}")
    cpuinfo = _read(root, "/proc/cpuinfo", PROC_BYTES, report)
    for line in (cpuinfo or "").splitlines():
        if line.startswith(("flags", "Features")):
            report.append(f"{P}cpuinfo {line.rstrip()}")
            break
    for path in M.CHECKED_PATHS:
        # The entry itself may be a link (sysfs has many); the directories holding it may not
        # lead out of the sysroot, or the host's /dev would be reported as the guest's.
        try:
            _inside(root, os.path.dirname(path))
        except PvenumError as err:
            report.append(f"{P}unreadable {path}: {err.message}")
            continue
        present = os.path.lexists(root.path / path.lstrip("/"))
        report.append(f"{P}{'present' if present else 'absent'} {path}")
    for path in ("/proc/device-tree/psci/method", "/sys/hypervisor/type"):
        try:
            there = _inside(root, path).is_file()  # a link out is reported, not looked through
        except PvenumError as err:
            report.append(f"{P}unreadable {path}: {err.message}")
            continue
        if there:
            value = _read(root, path, 4096, report)
            if value is not None:
                report.append(f"{P}file {path} {value[:64].rstrip(CUT)}")
    tpm = "/sys/class/tpm/tpm0/device/driver"
    try:
        drv = _inside(root, tpm)  # before exists(): nothing of the host is looked at
    except PvenumError as err:
        report.append(f"{P}unreadable {tpm}: {err.message}")
    else:
        if drv.exists():
            report.append(f"{P}tpm0-driver {os.path.basename(os.path.realpath(drv))}")
    modules = _read(root, "/proc/modules", PROC_BYTES, report)
    if modules is not None:
        report.append(f"{P}modules {len(modules.splitlines())}")
    report.append(f"{P}end")
    return "\n".join(lines + report) + "\n"
