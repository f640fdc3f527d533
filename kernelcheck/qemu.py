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
import re
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
STALL = 30.0


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
# Leaves the patched QEMU answers from the scenario: AMD's memory encryption leaf and Intel's TDX
# leaf whole; in the hypervisor range (0x40000000-0x4fffffff) each block's signature leaf whole
# and, of the other leaves, the bits the linux model reads (``read``), the rest zero: the
# enlightenments behind the other bits (kvmclock, Hyper-V's reference clock, enlightened APIC
# and EOI, PV IPIs) are MSRs and hypercalls TCG does not serve, and a kernel told they exist
# stops in them. Every other leaf stays QEMU's -cpu model, so the kernel never sees a feature
# TCG cannot execute (AVX-512, ...).
WHOLE = (0x8000001F, 0x21)
_SOURCE = re.compile(r"^cpuid (0x[0-9a-f]{8})\.([a-z,]+)(?:\[(\d+)(?::(\d+))?\])?$")
_REG = {"eax": 0, "ebx": 1, "ecx": 2, "edx": 3}


def read_masks(sources) -> dict[int, list[int]]:
    """Per leaf, the register bits named by evidence sources "cpuid 0xLEAF.REG[,REG][HI[:LO]]"."""
    out: dict[int, list[int]] = {}
    for src in sources:
        m = _SOURCE.match(src)
        if not m:
            continue
        leaf = int(m.group(1), 16)
        hi = int(m.group(3)) if m.group(3) else 31
        lo = int(m.group(4)) if m.group(4) else (hi if m.group(3) else 0)
        bits = ((1 << (hi - lo + 1)) - 1) << lo
        masks = out.setdefault(leaf, [0, 0, 0, 0])
        for reg in m.group(2).split(","):
            if reg in _REG:
                masks[_REG[reg]] |= bits
    return out


def cpuid_file(platform, read=()) -> str:
    """$PVENUM_CPUID_FILE for the patched QEMU (format: kernelcheck/qemu-cpuid.patch): the
    scenario's leaves as described above, in "cpuid -r" lines, and its MSRs (SEV_STATUS) in
    "msr" lines. ``read``: the linux model's evidence sources on the scenario. With no hypervisor
    leaf in the scenario, 0x40000000 reads as zero, so QEMU's own signature never shows."""
    masks = read_masks(read)
    leaves = dict(platform.cpuid.items()) if platform.cpuid is not None else {}
    chosen = {}
    for (leaf, sub), r in leaves.items():
        if leaf in WHOLE:
            chosen[(leaf, sub)] = r
        elif leaf & 0xF0000000 == 0x40000000:
            if leaf & 0xFF == 0:  # a block's signature and maximum leaf
                chosen[(leaf, sub)] = r
            else:
                m = masks.get(leaf, (0, 0, 0, 0))
                chosen[(leaf, sub)] = tuple(v & k for v, k in zip(r, m))
    if not any(l & 0xF0000000 == 0x40000000 for l, _ in chosen):
        chosen[(0x40000000, 0)] = (0, 0, 0, 0)
    lines = [f"   0x{leaf:08x} 0x{sub:02x}: eax=0x{r[0]:08x} ebx=0x{r[1]:08x} ecx=0x{r[2]:08x} edx=0x{r[3]:08x}"
             for (leaf, sub), r in sorted(chosen.items())]
    lines += [f"msr 0x{msr:08x}: 0x{value:016x}" for msr, value in sorted((platform.msr or {}).items())]
    return "\n".join(lines) + "\n"


# What the patched QEMU saw the guest read ($PVENUM_CPUID_LOG), appended to the console log
# under this prefix so the committed logs carry it.
SEEN_PREFIX = "pvenum-qemu: "


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
    seen = Path((env or {}).get("PVENUM_CPUID_LOG", "/nonexistent"))
    if seen.is_file():
        text += ("" if text.endswith("\n") or not text else "\n") + "".join(
            SEEN_PREFIX + line + "\n" for line in seen.read_text().splitlines())
    if proc.returncode and not timed_out and not text:  # QEMU refused to start: its stderr says why
        why = errlog.read_text(errors="replace").strip()[:400]
        raise RuntimeError(f"{Path(cmd[0]).name} exited {proc.returncode}: {why}")
    return Boot(cmd, text, time.monotonic() - start, timed_out, None if timed_out else proc.returncode)
