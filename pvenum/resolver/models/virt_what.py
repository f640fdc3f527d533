"""The ``virt-what`` model: ``virt-what-cvm`` 1.27.

Mirrors virt-what-cvm.c of virt-what 1.27 (deepin-community/virt-what @57b836f8, whose Debian
changelog is upstream 1.27): the same CPUID/MSR logic as systemd, printed as facts, one per line
(amd-sev, amd-sev-es, amd-sev-snp, intel-tdx, plus hyperv-hcl when the answer came from the
Hyper-V isolation leaves). "hyperv-hcl" means "running unenlightened under the Hyper-V HCL",
i.e. a paravisor is in charge — the one model of today that can say so. On arm64 the program
has no detection and prints nothing (Debian's arm64 build of 1.27, run under qemu-aarch64 by
``make crosscheck``, prints nothing, exits 0 and opens no path).

Versions: virt-what-cvm first shipped in virt-what 1.26; Debian 12's 1.25 has no such program
(its source has no virt-what-cvm.c), Debian 13 and sid list 1.27. ``make crosscheck``
(docs/crosscheck.md) compiles the 1.27 virt-what-cvm.c unchanged and checks this model against it.
"""

from __future__ import annotations

from dataclasses import dataclass

from ...cpuid.leaves import declared, vendor_of_signature
from ...platform import Platform
from ..derivation import Derivation
from ..engine import REG_INDEX, Ctx, Rule, State, run
from ..x86 import cpu_vendor, detect_hyperv_cvm_type, note_signature, sev_status_read

VERSION = "1.27"  # upstream version mirrored; make crosscheck checks Debian's virt-what 1.27 source against it
MIRRORS = f"virt-what {VERSION} virt-what-cvm.c: cpu_sig()"
SRC = f"virt-what {VERSION} virt-what-cvm.c: "

FACT_ISOLATION = {"amd-sev": "sev", "amd-sev-es": "sev-es", "amd-sev-snp": "sev-snp", "intel-tdx": "tdx"}



@dataclass(slots=True)  # a mistyped field fails instead of reading None
class VirtWhatState:
    facts: list[str] | None = None  # what virt-what-cvm prints, once decided
    missing: str | None = None  # the input it needed and did not get
    path: str | None = None  # "amd" | "intel" | None: which cpu_sig_* ran
    hv: int | None = None  # CPUID.1:ECX[31] as cpu_is_hv() read it (None: not read, or no leaf 1)


# The bit cpu_is_hv() tests (conclude() reads it itself only where cpu_is_hv() did not: arm64).
_HYPERVISOR = declared(0x1, "HYPERVISOR")


def _facts(state: State, *facts: str) -> str:
    state.m.facts = list(facts)
    state.stop = True
    return "prints " + (", ".join(facts) if facts else "nothing")


def _has_leaf(ctx: Ctx, leaf: int) -> bool:
    """cpu_sig_amd() and cpu_sig_intel() both start by comparing CPUID_GET_HIGHEST_FUNCTION."""
    top = ctx.cpuid(0x80000000, "eax", name="CPUID_GET_HIGHEST_FUNCTION")
    return top is not None and top >= leaf


def cpu_sig_cvm_hyperv(ctx: Ctx, isoltype: int) -> bool:
    return detect_hyperv_cvm_type(ctx)[0] == isoltype


def cpu_is_hv(ctx: Ctx, state: State) -> str | None:
    if ctx.p.arch == "arm64":
        ctx.note("virt-what-cvm on arm64", None, name="cpu_sig() has no arm64 detection")
        return _facts(state)
    if ctx.p.cpuid is None:
        ctx.note("cpuid", None, name="no CPUID dump in this platform")
        state.m.missing = "cpuid"
        state.stop = True
        return "no CPUID: cannot run"
    hv = state.m.hv = ctx.field(0x1, "HYPERVISOR", name="CPUID_FEATURE_HYPERVISOR")
    if not hv:
        return _facts(state)
    return "hypervisor bit set"


def cpu_sig(ctx: Ctx, state: State) -> str | None:
    path, _ = cpu_vendor(ctx)
    state.m.path = path
    if path == "amd":
        return "AuthenticAMD: cpu_sig_amd()"
    if path == "intel":
        return "GenuineIntel: cpu_sig_intel()"
    return _facts(state)


def cpu_sig_amd(ctx: Ctx, state: State) -> str | None:
    if state.m.path != "amd":
        return None
    if not _has_leaf(ctx, 0x8000001F):
        return _facts(state)
    if not ctx.field(0x8000001F, "SEV", name="SEV (bit 1)"):
        if cpu_sig_cvm_hyperv(ctx, 2):
            return _facts(state, "amd-sev-snp", "hyperv-hcl")
        return _facts(state)
    read = sev_status_read(ctx)
    if read is None:
        state.m.missing = "msr 0xc0010131 (SEV_STATUS)"
        ctx.finding(
            "warning", "virt-what.sev-status-missing",
            "0x8000001f.eax[1] (SEV) is set but the platform gives no SEV_STATUS (MSR 0xc0010131); "
            "virt-what-cvm reads /dev/cpu/0/msr and prints nothing when it cannot",
        )
        state.stop = True
        return "SEV_STATUS unknown: cannot tell"
    level, _ = read
    return _facts(state) if level == "none" else _facts(state, f"amd-{level}")


def cpu_sig_intel(ctx: Ctx, state: State) -> str | None:
    if state.m.path != "intel":
        return None
    if not _has_leaf(ctx, 0x21):  # the highest *extended* leaf against 0x21: systemd v257..v261's quirk too
        return _facts(state)
    if ctx.cpuid_text(0x21, ("ebx", "edx", "ecx"), name="CPUID_SIG_INTEL_TDX") == "IntelTDX    ":
        return _facts(state, "intel-tdx")
    if cpu_sig_cvm_hyperv(ctx, 3):
        return _facts(state, "intel-tdx", "hyperv-hcl")
    return _facts(state)


def conclude(ctx: Ctx, state: State) -> str | None:
    d = state.d
    m = state.m
    facts = m.facts
    hv = m.hv
    if ctx.p.arch == "arm64":  # cpu_is_hv() stopped before reading the bit
        leaf1 = ctx.regs(0x1)
        hv = leaf1 is not None and _HYPERVISOR.extract(leaf1[REG_INDEX[_HYPERVISOR.reg]])
    if hv:  # the derivation's hypervisor word, from 0x40000000's signature: recorded like every input
        sig = note_signature(ctx, 0x40000000, "hypervisor vendor at 0x40000000 (pvenum's hypervisor word; "
                                              "virt-what-cvm itself prints no hypervisor)")
        d.hypervisor = vendor_of_signature(sig) or "unknown"
    if facts is None:
        d.mode = "indeterminate"
        d.output = None
        return "cannot tell: missing " + (state.m.missing or "?")
    d.output = facts
    iso = "none"
    for fact in facts:
        if fact in FACT_ISOLATION:
            iso = FACT_ISOLATION[fact]
            break
    d.isolation = iso
    if not facts:
        d.mode = "not-confidential"
    elif "hyperv-hcl" in facts:
        d.mode = "paravisor"
        d.memory_acceptance = "paravisor"
    else:
        d.mode = "confidential"
    return "facts: " + (", ".join(facts) if facts else "(nothing printed)")


RULES = (
    Rule("virt-what.cpu-is-hv", SRC + "cpu_is_hv()", "Skip everything on bare metal", cpu_is_hv),
    Rule("virt-what.cpu-sig", SRC + "cpu_sig()", "CPU vendor picks the path", cpu_sig),
    Rule("virt-what.amd", SRC + "cpu_sig_amd(), cpu_sig_cvm_hyperv()", "AMD: 0x8000001f, SEV_STATUS, Hyper-V fallback", cpu_sig_amd),
    Rule("virt-what.intel", SRC + "cpu_sig_intel(), cpu_sig_cvm_hyperv()", "Intel: leaf 0x21, Hyper-V fallback", cpu_sig_intel),
)
FINAL = Rule("virt-what.facts", SRC + "main() (one fact per line; nothing = not a CVM or unknown)",
             "What virt-what-cvm prints", conclude)


def derive(platform: Platform, *, facts: dict | None = None) -> Derivation:
    return run(RULES, platform, Derivation("virt-what", mirrors=MIRRORS), final=FINAL, m=VirtWhatState(), facts=facts)
