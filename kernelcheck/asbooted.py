"""The platform the guest really saw under QEMU TCG, and whether it is the scenario's.

arm64: the scenario's DTB with QEMU's own SMCCC answers (qemu.QEMU_SMCCC). x86: the CPUID the
guest dumped on the console (kernelcheck/cpuid-dump.c lines "pvenum-observe: cpuid ...").
A scenario counts as compared when every input the linux model read from it (its evidence
sources) holds the same value as booted.
"""

from __future__ import annotations

import re
import tempfile
from pathlib import Path
from typing import Any

from pvenum import fdt as _fdt
from pvenum.cpuid.model import INDEXED_LEAVES
from pvenum.errors import PvenumError
from pvenum.observe.messages import REPORT_PREFIX
from pvenum.platform import Platform
from pvenum.resolver import resolve
from pvenum.target import load_target

from . import qemu

_ABSENT = object()


def psci_method(dtb: Path) -> str | None:
    tree = _fdt.parse(dtb.read_bytes())
    for node in tree.walk():
        if node.path == "/psci":
            raw = node.properties.get("method")
            return raw.rstrip(b"\0").decode(errors="replace") if raw else None
    return None


def model_for(release: str) -> tuple[str, str | None]:
    """linux@RELEASE when this pvenum has it, else mainline linux (and say so)."""
    from pvenum.resolver import MODELS

    name = f"linux@{release}"
    try:
        resolve(Platform(arch="x86_64"), name)
        return name, None
    except (PvenumError, Exception):  # noqa: BLE001 - an unknown model name is the only expected failure
        return "linux", f"no linux@{release} model in this pvenum (models: {', '.join(MODELS)}): compared with mainline linux"


# One "cpuid -r" answer as the patched QEMU logs it and the init dumps it: leaf, subleaf, registers.
_CPUID_LINE = re.compile(r"^\s*0x([0-9a-f]{8}) 0x([0-9a-f]{2,8}):(\s*eax=0x([0-9a-f]{8}) ebx=0x[0-9a-f]{8} "
                         r"ecx=0x[0-9a-f]{8} edx=0x[0-9a-f]{8})\s*$")


def cpuid_text(log: str) -> str:
    """The CPUID the guest saw, "cpuid -r" lines: what the patched QEMU answered (its
    qemu.SEEN_PREFIX lines, present even when the boot stopped early), then the init's own
    dump (the same answers, and leaves the kernel never asked for), one line per leaf. A console
    line that is not a whole answer (cut off, interleaved with other output) is left out."""
    seen: dict[tuple[int, int], tuple[int, str]] = {}  # (leaf, subleaf) -> (eax, registers)
    for line in log.splitlines():
        if line.startswith(qemu.SEEN_PREFIX + "   0x"):
            body = line[len(qemu.SEEN_PREFIX):]
        else:
            at = line.find(REPORT_PREFIX + "cpuid ")
            if at < 0:
                continue
            body = line[at + len(REPORT_PREFIX) + len("cpuid "):]
        m = _CPUID_LINE.match(body)
        if m is None:
            continue
        leaf, sub = int(m.group(1), 16), int(m.group(2), 16)
        if leaf not in INDEXED_LEAVES:
            # The CPU ignores ECX for this leaf, and the guest asked with whatever ECX held
            # (Debian's 7.3 decompressor reads 0x8000001f with ECX=0x63): the answer is subleaf 0's.
            sub = 0
        seen[(leaf, sub)] = (int(m.group(4), 16), m.group(3))
    # A leaf above its range's maximum (leaf 0 / 0x80000000 EAX) is not the CPU's: the kernel
    # asked for it (0x21, TDX) and got the out-of-range answer; a dump ("cpuid -r") omits it.
    top = {base: seen[(base, 0)][0] for base in (0, 0x80000000) if (base, 0) in seen}
    kept = [f"   0x{leaf:08x} 0x{sub:02x}:{regs}" for (leaf, sub), (_, regs) in seen.items()
            if not ((base := leaf & 0x80000000) in top and leaf > top[base] and leaf & 0xF0000000 != 0x40000000)]
    return "CPU 0:\n" + "\n".join(kept) + "\n" if kept else ""


def msr_text(log: str) -> str:
    """platform.toml [msr] lines for the MSRs the patched QEMU answered the guest's RDMSR with."""
    out = []
    for line in log.splitlines():
        if line.startswith(qemu.SEEN_PREFIX + "msr "):
            index, value = line[len(qemu.SEEN_PREFIX) + 4:].split(":")
            out.append(f'"{index.strip()}" = {int(value, 16):#x}\n')
    return "\n[msr]\n" + "".join(out) if out else ""


def as_booted(kernel: Any, scenario: str | None, log: str, built: Path, *,
              own_smccc: bool = False) -> tuple[Platform, str, str | None]:
    """``own_smccc``: the arm64 boot went through the firmware stub, which answers the scenario's
    own [smccc] table; otherwise QEMU's PSCI answered (qemu.QEMU_SMCCC). The DTB is the
    scenario's (the stub route fills in /chosen and the memory size and drops a realm's GIC ITS,
    which no model reads: kernelcheck/stub.py).
    x86: the CPUID and MSRs the guest saw (``cpuid_text``, ``msr_text``) and the ACPI tables it dumped."""
    model, note = model_for(kernel.release)
    with tempfile.TemporaryDirectory() as tmp:
        d = Path(tmp)
        if kernel.arch == "arm64":
            (d / "fdt.dtb").write_bytes((built / "fdt.dtb").read_bytes())
            if own_smccc:
                (d / "platform.toml").write_text((built / "platform.toml").read_text())
            else:
                (d / "platform.toml").write_text('arch = "arm64"\n' + qemu.smccc_toml())
        else:
            text = cpuid_text(log)
            if not text:
                raise PvenumError("the boot printed no CPUID dump and QEMU saw no CPUID (did the kernel start?)", path=str(built))
            (d / "cpuid").write_text(text)
            from pvenum.observe import scan

            for sig, table in scan(log).acpi.items():
                (d / f"{sig}.dat").write_bytes(table)
            (d / "platform.toml").write_text('arch = "x86_64"\n' + msr_text(log))
        return load_target(d).platform, model, note


# Inputs whose absence the kernel reads as a value. ACPICA copies a short FADT into a zeroed
# full-size one (acpica drivers/acpi/acpica/tbfadt.c: acpi_tb_create_local_fadt()), so QEMU's
# revision-3 FADT, which ends before HypervisorId (ACPI 6.0, offset 268), reads as 0.
# Likewise a Hyper-V virtualization-stack leaf the scenario does not describe: from v6.19
# ms_hyperv_init_platform() reads HYPERV_CPUID_VIRT_STACK_PROPERTIES (0x40000082) whatever the
# maximum leaf, the patched QEMU answers a 0x4000xxxx leaf the scenario lacks with zeros
# (kernelcheck/qemu-cpuid.patch), and the linux model takes the absent bit as clear.
ABSENT_MEANS = {"acpi FACP.HypervisorId": 0, "cpuid 0x40000082.eax[3]": 0}


def inputs(platform: Platform, model: str) -> dict[str, Any]:
    out = {e.source: e.value for e in resolve(platform, model).evidence}
    for src, value in ABSENT_MEANS.items():
        if src in out and out[src] is None:
            out[src] = value
    return out


def compare_scenario(scenario: Platform, booted: Platform, model: str, *,
                     stopped: bool = False) -> tuple[str, str | None]:
    """``stopped``: the boot ended before the init's report (real memory encryption, a hypervisor
    interface TCG lacks); inputs the guest never got to (absent as booted) are then set aside, and
    the scenario is compared up to the stop when every input it did read matches."""
    want = inputs(scenario, model)
    got = inputs(booted, model)
    unseen = [src for src, v in want.items() if got.get(src, _ABSENT) in (_ABSENT, None) and v is not None]
    diff = [f"{src} = {_show(v)} in the scenario, {_show(got.get(src, _ABSENT))} as booted"
            for src, v in want.items() if got.get(src, _ABSENT) != v and not (stopped and src in unseen)]
    if not diff and stopped and unseen:
        reached = [src for src in want if src not in unseen]
        return "compared-to-stop", (f"inputs read before the stop: {len(reached)} of {len(want)}"
                                    + (f"; not reached: {', '.join(unseen[:4])}" + (" ..." if len(unseen) > 4 else "")
                                       if unseen else ""))
    if not diff:
        return "compared", None
    more = f" (+{len(diff) - 3} more)" if len(diff) > 3 else ""
    return "not-expressible", "; ".join(diff[:3]) + more


def _show(v: Any) -> str:
    if v is _ABSENT:
        return "not read"
    if isinstance(v, bool) or v is None:
        return str(v).lower() if v is not None else "absent"
    if isinstance(v, int):
        return f"0x{v:x}"
    return repr(v)
