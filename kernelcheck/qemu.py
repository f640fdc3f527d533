"""Booting a kernel under QEMU TCG, and what QEMU's own firmware answers.

arm64: `-machine virt` TCG with the scenario's DTB. Without EL3 firmware QEMU itself answers
SMC/HVC on the PSCI conduit: HVC when the guest starts at EL1, SMC with `virtualization=on`
(the guest starts at EL2) - QEMU hw/arm/virt.c machvirt_init() (psci_conduit). Every function id
on that conduit is answered by target/arm/psci.c arm_handle_psci_call(): PSCI 1.1 for PSCI ids,
NOT_SUPPORTED (-1) for everything else - SMCCC_VERSION, the vendor hypervisor UID, RSI - read
in QEMU 7.2 (Debian 1:7.2+dfsg-7+deb12u18). ``QEMU_SMCCC`` is that table in platform.toml form.

x86: `-machine q35` TCG, `-cpu max` (hypervisor bit on, "TCGTCGTCGTCG" at 0x40000000) or
`-cpu max,hypervisor=off`. QEMU's -cpu options cannot set arbitrary leaves (and its hv-*
options need KVM), so the guest's real CPUID is dumped by kernelcheck/cpuid-dump.c and resolved.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

NOT_SUPPORTED = -1
QEMU_SMCCC = {
    0x84000000: (0x10001, 0, 0, 0),  # PSCI_VERSION: 1.1
    0x80000000: (NOT_SUPPORTED, 0, 0, 0),  # SMCCC_VERSION (PSCI_FEATURES says NOT_SUPPORTED: v1.0 assumed)
    0x80000001: (NOT_SUPPORTED, 0, 0, 0),  # SMCCC_ARCH_FEATURES
    0x8600FF01: (NOT_SUPPORTED, 0, 0, 0),  # VENDOR_HYP_CALL_UID
    0x86000000: (NOT_SUPPORTED, 0, 0, 0),  # VENDOR_HYP_KVM_FEATURES
    0xC4000190: (NOT_SUPPORTED, 0, 0, 0),  # RSI_VERSION
}
CMDLINE = {"x86_64": "console=ttyS0 loglevel=8 panic=-1 rdinit=/init",
           "arm64": "console=ttyAMA0 earlycon=pl011,0x9000000 loglevel=8 panic=-1 rdinit=/init"}
TIMEOUT = 240.0  # seconds; a TCG boot to the init's report takes 10-40 s on a shared core


def smccc_toml() -> str:
    def v(x: int) -> str:
        return str(x) if x < 0 else f"0x{x:x}"

    lines = ["[smccc]  # what QEMU TCG itself answers (kernelcheck/qemu.py QEMU_SMCCC)"]
    lines += [f'"0x{fid:08x}" = [{", ".join(v(x) for x in regs)}]' for fid, regs in QEMU_SMCCC.items()]
    return "\n".join(lines) + "\n"


@dataclass
class Boot:
    argv: list[str]
    log: str
    seconds: float
    timed_out: bool
    returncode: int | None


def missing() -> str | None:
    for tool in ("qemu-system-x86_64", "qemu-system-aarch64"):
        if shutil.which(tool) is None:
            return f"{tool} not found (apt-get install qemu-system-x86 qemu-system-arm)"
    return None


def argv(arch: str, kernel: Path, initrd: Path, *, dtb: Path | None = None, conduit: str = "hvc",
         cpu: str = "max", smp: int = 1) -> list[str]:
    common = ["-m", "512M", "-smp", str(smp), "-display", "none", "-no-reboot", "-nodefaults",
              "-kernel", str(kernel), "-initrd", str(initrd), "-append", CMDLINE[arch]]
    if arch == "arm64":
        machine = "virt,gic-version=3" + (",virtualization=on" if conduit == "smc" else "")
        out = ["qemu-system-aarch64", "-machine", machine, "-cpu", "max,pauth-impdef=on", *common]
        if dtb is not None:
            out += ["-dtb", str(dtb)]
        return out
    # One TCG thread for all vCPUs: with multi-threaded TCG the kernel's int3-based text patching
    # raced on a second vCPU ("Oops: int3" in sched_clock_cpu(), 6.12.117 with -smp 2).
    return ["qemu-system-x86_64", "-machine", "q35", "-accel", "tcg,thread=single", "-cpu", cpu, *common]


def boot(cmd: list[str], workdir: Path, timeout: float = TIMEOUT) -> Boot:
    log = workdir / "console.log"
    full = ["nice", "-n", "10", *cmd, "-serial", f"file:{log}"]
    start = time.monotonic()
    timed_out = False
    rc = None
    try:
        rc = subprocess.run(full, capture_output=True, timeout=timeout, env={**os.environ, "LC_ALL": "C"}).returncode
    except subprocess.TimeoutExpired:
        timed_out = True
    text = log.read_text(errors="replace") if log.exists() else ""
    return Boot(cmd, text, time.monotonic() - start, timed_out, rc)
