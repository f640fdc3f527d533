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

from . import messages as M

P = M.REPORT_PREFIX
LOG_NAME = "kernel.log"  # in a snapshot bundle
DMESG_TIMEOUT = 30


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
    lines.extend(res.stdout.decode(errors="replace").splitlines())


def collect(sysroot: str | Path = "/") -> str:
    root = Path(sysroot)
    lines: list[str] = []
    report: list[str] = [f"{P}begin"]
    _dmesg(root, lines, report)
    if str(root) == "/":
        report.append(f"{P}uname-r {_platform.release()}")
        report.append(f"{P}uname-m {_platform.machine()}")
    try:
        with open(root / "proc/cpuinfo", errors="replace") as f:
            for line in f:
                if line.startswith(("flags", "Features")):
                    report.append(f"{P}cpuinfo {line.rstrip()}")
                    break
    except OSError as err:
        report.append(f"{P}unreadable /proc/cpuinfo: {err.strerror or err}")
    for path in M.CHECKED_PATHS:
        present = os.path.lexists(root / path.lstrip("/"))
        report.append(f"{P}{'present' if present else 'absent'} {path}")
    for path in ("/proc/device-tree/psci/method", "/sys/hypervisor/type"):
        f = root / path.lstrip("/")
        if f.is_file():
            try:
                value = f.read_bytes()[:64].rstrip(b"\0\n").decode(errors="replace")
                report.append(f"{P}file {path} {value}")
            except OSError as err:
                report.append(f"{P}unreadable {path}: {err.strerror or err}")
    drv = root / "sys/class/tpm/tpm0/device/driver"
    if drv.exists():
        report.append(f"{P}tpm0-driver {os.path.basename(os.path.realpath(drv))}")
    try:
        with open(root / "proc/modules", errors="replace") as f:
            report.append(f"{P}modules {sum(1 for _ in f)}")
    except OSError as err:
        report.append(f"{P}unreadable /proc/modules: {err.strerror or err}")
    report.append(f"{P}end")
    return "\n".join(lines + report) + "\n"
