"""The ``systemd`` model: ``systemd-detect-virt --cvm``.

Mirrors systemd/systemd src/basic/confidential-virt.c and src/detect-virt/detect-virt.c
(ONLY_CVM: print the word, exit non-zero for "none"). systemd tells confidential from not, but
never who is in charge, so its mode is ``confidential`` or ``not-confidential``; it enumerates
no services.

Two behaviours, picked by ``derive(platform, version=N)`` (default :data:`DEFAULT_VERSION`):

- v257 .. v261 (the default is v258: systemd/systemd src/basic/confidential-virt.c @10f20809;
  Debian 13 trixie ships 257, which `make crosscheck` checks): the Hyper-V TDX fallback of PR
  #33872; ``detect_tdx()`` gates on 0x80000000.EAX >= 0x21 (the highest *extended* leaf — a
  quirk) and returns "none" without trying the fallback when that fails; an unreadable
  /dev/cpu/0/msr reads as 0, so an SEV guest whose SEV_STATUS cannot be read says "none".
- v262 and later (PR #42697, merged 2026-06 after v261): ``detect_tdx()`` reads the 0x21
  signature with no max-leaf check at all (neither 0x80000000.EAX nor leaf 0's max basic leaf) and
  tries the Hyper-V fallback when it does not match; an unreadable SEV_STATUS makes it assume
  plain "sev". What 262 does is taken from Debian's systemd 262.1-1 (sid) binary, which
  `make crosscheck` runs (its source is not served): with ``SYSTEMD_LOG_LEVEL=debug`` it logs
  CPUID 0x1, 0x0, then 0x21 on a platform whose max basic leaf is 0xd. An earlier reading of the
  PR had the signature gated on leaf 0's max basic leaf; the binary disagreed on 72 of 3,000
  generated platforms.

On arm64 the rules are systemd_arm64.py: v257 has no aarch64 detection and prints "none";
(the x86 behaviour of v257 and v258 is the same)
v258+ (PR #35984) prints "cca" iff /sys/devices/platform/arm-cca-dev exists, which Linux
registers exactly when it is a realm.

``make crosscheck`` (docs/crosscheck.md) compiles Debian's confidential-virt.c unchanged and
checks this model against it on every platform pvenum knows plus thousands of generated ones.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ...cpuid.leaves import vendor_of_signature
from ...platform import Platform
from ..derivation import Derivation
from ..engine import Ctx, Rule, State, run
from ..x86 import cpu_vendor, detect_hyperv_cvm_type, note_signature, sev_status_read


@dataclass(slots=True)  # a mistyped field fails instead of reading None
class SystemdState:
    """systemd-detect-virt --cvm: the release mirrored and what it prints."""

    version: int  # the systemd major version (systemd.version_of())
    word: str | None = None  # the word printed, once decided
    missing: str | None = None  # the input it needed and did not get
    path: str | None = None  # "amd" | "intel" | None: detect_sev() or detect_tdx()


MIN_VERSION = 257  # the oldest systemd the model mirrors (the Hyper-V TDX fallback, PR #33872)
NEXT_VERSION = 262  # the first release with PR #42697 (TDX max-leaf fix, unreadable MSR -> "sev")
DEFAULT_VERSION = 258  # systemd/systemd @10f20809: x86 as v257, plus the aarch64 CCA branch
SRC = "systemd/systemd src/basic/confidential-virt.c: "
_VERSION_RE = re.compile(r"(?:\d+:)?(\d+)")  # [epoch:]major of a Debian version string


def version_of(text: str | int | None) -> int:
    """The systemd major version in a version string ("257.13-1~deb13u1" -> 257)."""
    if text is None:
        return DEFAULT_VERSION
    if isinstance(text, int):
        return text
    m = _VERSION_RE.match(str(text))
    if not m:
        raise ValueError(f"not a systemd version: {text!r}")
    return int(m.group(1))


def _behaviour(version: int | None) -> int:
    v = DEFAULT_VERSION if version is None else version
    if v < MIN_VERSION:
        raise ValueError(f"the systemd model mirrors v{MIN_VERSION} and later, not v{v}")
    return NEXT_VERSION if v >= NEXT_VERSION else MIN_VERSION


def mirrors(version: int | None = None) -> str:
    span = f"v{NEXT_VERSION}+" if _behaviour(version) == NEXT_VERSION else f"v{MIN_VERSION}..v{NEXT_VERSION - 1}"
    return f"systemd {span} src/basic/confidential-virt.c: detect_confidential_virtualization()"


MIRRORS = mirrors(DEFAULT_VERSION)
_MIRRORS = {b: mirrors(b) for b in (MIN_VERSION, NEXT_VERSION)}  # per behaviour, spelled once


def msr_unreadable_word(version: int | None = None) -> str:
    """What systemd prints for an SEV guest when /dev/cpu/0/msr cannot be read (no root, no msr
    driver): v257..v261 read 0 and say "none", v262+ assume "sev"."""
    return "sev" if _behaviour(version) == NEXT_VERSION else "none"



# systemd src/basic/virt.c detect_vm_cpuid(): vendor strings it knows at 0x40000000.
SYSTEMD_VM_CPUID = {"kvm", "hyperv", "xen", "vmware", "tcg", "acrn", "bhyve", "qnx"}


def _word(state: State, word: str, why: str) -> str:
    state.m.word = word
    state.stop = True
    return f"\"{word}\": {why}"


def detect_hyperv_cvm(ctx: Ctx, isoltype: int) -> bool:
    """detect_hyperv_cvm(): the isolation type asked for (pvenum.resolver.x86.detect_hyperv_cvm_type)."""
    found, root = detect_hyperv_cvm_type(ctx)
    if root:
        ctx.finding(
            "info", "systemd.hyperv-root-rejects",
            "HV_ISOLATION and HV_CPU_MANAGEMENT both set: systemd's Hyper-V fallback rejects the "
            "partition (Linux honours the isolation)",
        )
    return found == isoltype


def hypervisor(ctx: Ctx, state: State) -> str | None:
    if ctx.p.cpuid is None:
        ctx.note("cpuid", None, name="no CPUID dump in this platform")
        state.m.missing = "cpuid"
        state.stop = True
        return "no CPUID: cannot run"
    is_hv = ctx.field(0x1, "HYPERVISOR", name="CPUID_FEATURE_HYPERVISOR")
    sig = note_signature(ctx, 0x40000000, "detect_vm_cpuid() vendor")
    vendor = vendor_of_signature(sig) if is_hv else None
    state.d.hypervisor = "none" if not is_hv else (vendor if vendor in SYSTEMD_VM_CPUID else "unknown")
    if not is_hv:
        return _word(state, "none", "CPUID.1:ECX[31] clear: bare metal, everything skipped")
    return "hypervisor bit set"


def vendor(ctx: Ctx, state: State) -> str | None:
    path, sig = cpu_vendor(ctx)
    state.m.path = path
    if path == "amd":
        return "AuthenticAMD: detect_sev()"
    if path == "intel":
        return "GenuineIntel: detect_tdx()"
    return _word(state, "none", f"vendor {sig!r} is neither AMD nor Intel")


def detect_sev(ctx: Ctx, state: State) -> str | None:
    if state.m.path != "amd":
        return None
    top = ctx.cpuid(0x80000000, "eax", name="CPUID_GET_HIGHEST_FUNCTION")
    if top is None or top < 0x8000001F:
        return _word(state, "none", "0x80000000.eax < 0x8000001f")
    sev = ctx.field(0x8000001F, "SEV", name="EAX_SEV")
    if not sev:
        if detect_hyperv_cvm(ctx, 2):
            return _word(state, "sev-snp", "SEV bit hidden; Hyper-V isolation type SNP (Azure fallback)")
        return _word(state, "none", "SEV bit clear and no Hyper-V SNP isolation")
    read = sev_status_read(ctx)
    if read is None:
        state.m.missing = "msr 0xc0010131 (SEV_STATUS)"
        fallback = msr_unreadable_word(state.m.version)
        ctx.finding(
            "warning", "systemd.sev-status-missing",
            "0x8000001f.eax[1] (SEV) is set but the platform gives no SEV_STATUS (MSR 0xc0010131); systemd "
            f"reads it through /dev/cpu/0/msr (root and the msr driver) and says \"{fallback}\" when it cannot",
        )
        state.stop = True
        return "SEV_STATUS unknown: cannot tell"
    word, bit = read
    return _word(state, word, f"SEV_STATUS bit {bit}" if bit is not None else "SEV_STATUS has no SEV bit")


def detect_tdx(ctx: Ctx, state: State) -> str | None:
    if state.m.path != "intel":
        return None
    if _behaviour(state.m.version) == NEXT_VERSION:
        # v262+: the 0x21 signature is read whatever the max leaves say (systemd 262.1-1's
        # detect_tdx() as Debian's binary runs it: 0x21 right after leaf 0); the Hyper-V fallback
        # runs when it does not match.
        hidden = "no TDX signature"
    else:
        # Quirk: v257..v261 compare the highest *extended* leaf with 0x21 (a basic leaf).
        top = ctx.cpuid(0x80000000, "eax", name="CPUID_GET_HIGHEST_FUNCTION")
        basic_max = ctx.cpuid(0x0, "eax", name="max basic leaf (what the check should compare)")
        read_sig, hidden = top is not None and top >= 0x21, "leaf 0x21 hidden"
        if read_sig != (basic_max is not None and basic_max >= 0x21):
            ctx.finding(
                "warning", "systemd.tdx-max-leaf-quirk",
                f"detect_tdx() compares 0x80000000.eax (0x{top or 0:x}) with 0x21 instead of leaf 0's max "
                f"basic leaf (0x{basic_max or 0:x}): here the two disagree",
            )
        else:
            ctx.note("systemd detect_tdx() quirk", "0x80000000.eax compared with 0x21",
                     name="harmless on this platform (both comparisons agree)")
        if not read_sig:
            return _word(state, "none", "0x80000000.eax < 0x21")
    # Either release reads the signature here (v257..v261 only when the quirky gate passed).
    if ctx.cpuid_text(0x21, ("ebx", "edx", "ecx"), name="CPUID_SIG_INTEL_TDX") == "IntelTDX    ":
        return _word(state, "tdx", "leaf 0x21 \"IntelTDX    \"")
    if detect_hyperv_cvm(ctx, 3):
        return _word(state, "tdx", f"{hidden}; Hyper-V isolation type TDX (PR #33872 fallback)")
    return _word(state, "none", "no TDX signature and no Hyper-V TDX isolation")


def exit_status(word: str) -> int:
    """What systemd-detect-virt --cvm exits with after printing ``word``: non-zero for "none"
    (src/detect-virt/detect-virt.c: run(), ONLY_CVM)."""
    return 1 if word == "none" else 0


def conclude(ctx: Ctx, state: State) -> str | None:
    d = state.d
    word = state.m.word
    if word is None:
        d.mode = "indeterminate"
        d.output = status = None
    else:
        d.output = d.isolation = word  # systemd's words are the isolation vocabulary ("none", "sev", ... "cca")
        d.mode = "not-confidential" if word == "none" else "confidential"
        status = exit_status(word)
    ctx.note("systemd-detect-virt --cvm exit status", status, name="non-zero when the answer is \"none\"")
    return f"prints {word!r}, exit status {status}" if word else "cannot tell: " + (state.m.missing or "?")


RULES_X86 = (
    Rule("systemd.x86.hypervisor", SRC + "detect_hypervisor()", "Skip everything on bare metal", hypervisor),
    Rule("systemd.x86.vendor", SRC + "detect_confidential_virtualization_impl()", "CPU vendor picks the path", vendor),
    Rule("systemd.x86.sev", SRC + "detect_sev()", "AMD: 0x8000001f, then SEV_STATUS or the Hyper-V fallback", detect_sev),
    Rule("systemd.x86.tdx", SRC + "detect_tdx()", "Intel: leaf 0x21, then the Hyper-V fallback", detect_tdx),
)


FINAL = Rule("systemd.exit-status", "systemd/systemd src/detect-virt/detect-virt.c: run() (ONLY_CVM)",
             "What systemd-detect-virt --cvm prints and returns", conclude)


def derive(platform: Platform, *, version: int | str | None = None, facts: dict | None = None) -> Derivation:
    """``version``: the systemd release to mirror (default :data:`DEFAULT_VERSION`)."""
    v = version_of(version)
    rules = RULES_X86
    if platform.arch == "arm64":
        from .systemd_arm64 import RULES as rules  # the arm64 readers load only for an arm64 platform
    return run(rules, platform, Derivation("systemd", mirrors=_MIRRORS[_behaviour(v)]), final=FINAL,
               m=SystemdState(version=v), facts=facts)
