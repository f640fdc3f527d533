"""Booting a kernel under QEMU TCG, and what QEMU's own firmware answers.

arm64: `-machine virt` TCG with the scenario's DTB. Without EL3 firmware QEMU itself answers
SMC/HVC on the PSCI conduit: HVC when the guest starts at EL1, SMC with `virtualization=on`
(the guest starts at EL2) - QEMU hw/arm/virt.c machvirt_init() (psci_conduit). Every function id
on that conduit is answered by target/arm/psci.c arm_handle_psci_call(): PSCI 1.1 for PSCI ids,
NOT_SUPPORTED (-1) for everything else - SMCCC_VERSION, the vendor hypervisor UID, RSI - read
in QEMU 7.2 (Debian 1:7.2+dfsg-7+deb12u18). ``QEMU_SMCCC`` is that table in platform.toml form.

x86: `-machine q35` TCG, `-cpu max` (hypervisor bit on, "TCGTCGTCGTCG" at 0x40000000) or
`-cpu max,hypervisor=off`. QEMU's -cpu options cannot set arbitrary leaves (and its hv-*
options need KVM), so when kernelcheck/qemubuild.py has built QEMU with kernelcheck/qemu-cpuid.patch
that binary boots instead, given the scenario's leaves and MSRs in $PVENUM_CPUID_FILE (written
by ``cpuid_file()``). Either way the guest's real CPUID is dumped by kernelcheck/cpuid-dump.c
and resolved.
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
# earlyprintk: the decompressor and the kernel before its console print too (arch/x86/boot/
# early_serial_console.c), so a boot stopped early shows how far it got
CMDLINE = {"x86_64": "console=ttyS0 earlyprintk=serial,ttyS0,115200 loglevel=8 panic=-1 rdinit=/init",
           "arm64": "console=ttyAMA0 earlycon=pl011,0x9000000 loglevel=8 panic=-1 rdinit=/init"}
TIMEOUT = 240.0  # seconds; a TCG boot to the init's report takes 10-40 s on a shared core
# seconds without console output after which a boot is stopped: a guest given a confidential
# platform's leaves under TCG can halt on an early exception and print nothing more
STALL = 45.0


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


# The patched build installs no firmware (Debian's +ds source has none): SeaBIOS and the
# linuxboot option ROM come from Debian's seabios and qemu-system-data packages.
FIRMWARE_DIRS = ("/usr/share/seabios", "/usr/share/qemu")
# Leaves the patched QEMU answers from the scenario, whole: the hypervisor range (0x40000000-
# 0x4fffffff), AMD's memory encryption leaf and Intel's TDX leaf. Every other leaf stays QEMU's
# -cpu model, so the kernel never sees a feature TCG cannot execute (AVX-512, ...).
SCENARIO_LEAVES = (lambda leaf: leaf & 0xF0000000 == 0x40000000, lambda leaf: leaf in (0x8000001F, 0x21))


def cpuid_file(platform) -> str:
    """$PVENUM_CPUID_FILE for the patched QEMU: the scenario's leaves chosen by SCENARIO_LEAVES in
    "cpuid -r" lines and its MSRs (SEV_STATUS) in "msr" lines (format: kernelcheck/qemu-cpuid.patch).
    With no hypervisor leaf in the scenario, 0x40000000 reads as zero, so QEMU's own signature
    never shows."""
    lines = []
    leaves = dict(platform.cpuid.items()) if platform.cpuid is not None else {}
    chosen = {k: r for k, r in leaves.items() if any(f(k[0]) for f in SCENARIO_LEAVES)}
    if not any(l & 0xF0000000 == 0x40000000 for l, _ in chosen):
        chosen[(0x40000000, 0)] = (0, 0, 0, 0)
    for (leaf, sub), r in sorted(chosen.items()):
        lines.append(f"   0x{leaf:08x} 0x{sub:02x}: eax=0x{r[0]:08x} ebx=0x{r[1]:08x} ecx=0x{r[2]:08x} edx=0x{r[3]:08x}")
    for msr, value in sorted((platform.msr or {}).items()):
        lines.append(f"msr 0x{msr:08x}: 0x{value:016x}")
    return "\n".join(lines) + "\n"


def argv(arch: str, kernel: Path, initrd: Path, *, dtb: Path | None = None, conduit: str = "hvc",
         cpu: str = "max", smp: int = 1, binary: str = "qemu-system-x86_64",
         acpitables: tuple[Path, ...] = ()) -> list[str]:
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
    out = [binary, "-machine", "q35", "-accel", "tcg,thread=single", "-cpu", cpu, *common]
    if binary != "qemu-system-x86_64":
        for d in FIRMWARE_DIRS:
            out += ["-L", d]
    for t in acpitables:
        out += ["-acpitable", f"file={t}"]
    return out


def boot(cmd: list[str], workdir: Path, timeout: float = TIMEOUT, env: dict[str, str] | None = None,
         stall: float | None = None) -> Boot:
    """Run QEMU until it exits (the init powers off; -no-reboot turns a panic or triple fault into an
    exit), ``timeout`` passes, or, with ``stall``, the console has not grown for that many seconds
    (a guest halted on an early exception prints nothing more)."""
    log = workdir / "console.log"
    full = ["nice", "-n", "10", *cmd, "-serial", f"file:{log}"]
    start = time.monotonic()
    timed_out = False
    errlog = workdir / "qemu.stderr"
    with errlog.open("wb") as err:
        proc = subprocess.Popen(full, stdout=subprocess.DEVNULL, stderr=err,
                                env={**os.environ, "LC_ALL": "C", **(env or {})})
    size, grew = -1, start
    while proc.poll() is None:
        now = time.monotonic()
        cur = log.stat().st_size if log.exists() else 0
        if cur != size:
            size, grew = cur, now
        if now - start > timeout or (stall is not None and now - grew > stall):
            timed_out = True
            proc.kill()
            break
        time.sleep(0.5)
    proc.wait()
    text = log.read_text(errors="replace") if log.exists() else ""
    if proc.returncode and not timed_out and not text:  # QEMU refused to start: its stderr says why
        why = errlog.read_text(errors="replace").strip()[:400]
        raise RuntimeError(f"{Path(cmd[0]).name} exited {proc.returncode}: {why}")
    return Boot(cmd, text, time.monotonic() - start, timed_out, None if timed_out else proc.returncode)
