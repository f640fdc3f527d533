"""x86 facts several models share: hypervisor-base scanning and the SEV_STATUS bit masks.

Kept as tables so every model spells the same bit the same way.
"""

from __future__ import annotations

from typing import NamedTuple

from ..cpuid.leaves import HV_BASE_LEAF, HvIsolationType, declared, vendor_of_signature
from .._memo import kept
from ..cpuid.model import MSR_AMD64_SEV, CpuidDump, Regs, regs_to_str
from .engine import Ctx
from .shared import shared

SEV_STATUS = MSR_AMD64_SEV


def _bit(name: str) -> int:
    """A SEV_STATUS bit by its MSR_AMD64_*_BIT name, from the one declaration (cpuid/leaves.py)."""
    return declared(SEV_STATUS, name).lo


SEV_ENABLED, SEV_ES_ENABLED, SNP_ENABLED, SNP_VTOM = (_bit(n) for n in ("SEV_ENABLED", "SEV_ES_ENABLED", "SNP_ENABLED", "SNP_VTOM"))
SNP_REFLECT_VC, SNP_DEBUG_SWAP = _bit("SNP_REFLECT_VC"), _bit("SNP_DEBUG_SWAP")
SNP_SECURE_TSC, SNP_SECURE_AVIC = _bit("SNP_SECURE_TSC"), _bit("SNP_SECURE_AVIC")

# arch/x86/boot/compressed/sev.c: SNP_FEATURES_IMPL_REQ / SNP_FEATURES_PRESENT and
# snp_get_unsupported_features() (the same file in 6.1, 6.12 and mainline).
# Features that need guest support; reserved bits count as needing it. Newest tree:
# vTOM, ReflectVC, RestrictedInj, AltInj, DebugSwap, VMPL_SSS, SecureTSC, VMGEXIT_PARAM, bit 13,
# bit 15, VMSA_REG_PROT, SecureAVIC, reserved 19-22 and 24-63.
_IMPL_REQ_NAMED = {
    "SNP_VTOM": "vTOM", "SNP_REFLECT_VC": "ReflectVC", "SNP_RESTRICTED_INJ": "RestrictedInjection",
    "SNP_ALT_INJ": "AlternateInjection", "SNP_DEBUG_SWAP": "DebugSwap", "SNP_VMPL_SSS": "VMPL_SSS",
    "SNP_SECURE_TSC": "SecureTSC", "SNP_VMGEXIT_PARAM": "VMGEXIT_PARAM", "SNP_RESERVED_BIT13": "reserved bit 13",
    "SNP_RESERVED_BIT15": "reserved bit 15", "SNP_VMSA_REG_PROT": "VMSA_REG_PROT", "SNP_SECURE_AVIC": "SecureAVIC",
}
_RESERVED_19_22 = sum(1 << b for b in range(19, 23))
SNP_FEATURES_IMPL_REQ = (
    sum(declared(SEV_STATUS, n).mask for n in _IMPL_REQ_NAMED) | _RESERVED_19_22
    | (((1 << 64) - 1) & ~((1 << 24) - 1))
)
# The features the guest implements (SNP_FEATURES_IMPL) depend on the release: linux_x86.py
# snp_check_features() builds them from the CHANGES rows.

SNP_FEATURE_NAMES = {_bit(n): word for n, word in _IMPL_REQ_NAMED.items()}


def snp_feature_name(bit: int) -> str:
    return SNP_FEATURE_NAMES.get(bit, f"reserved bit {bit}")


def set_bits(mask: int) -> list[int]:
    """The set bits of a 64-bit register value, lowest first (a loop over the set bits only)."""
    mask &= (1 << 64) - 1
    bits = []
    while mask:
        low = mask & -mask
        bits.append(low.bit_length() - 1)
        mask ^= low
    return bits


def snp_feature_names(mask: int) -> list[str]:
    return [snp_feature_name(b) for b in set_bits(mask)]


class Scan(NamedTuple):
    found: tuple[tuple[int, Regs, str], ...]  # (base, regs, signature) in ascending base order
    by_signature: dict[str, tuple[tuple[int, int], ...]]  # signature -> its (base, eax) in that order


_NO_SCAN = Scan((), {})


def _scan(dump: CpuidDump) -> Scan:
    """The bases in ascending order with their signatures, and per signature its ``(base, eax)``
    in that order; made once per dump (kept while CPU 0's leaves stay the same)."""
    return kept(dump, "_hypervisor_bases", dump.guest_view(), lambda leaves: _scan_bases(leaves, dump.base_leaves()))


def _scan_bases(leaves: dict, bases: tuple[int, ...]) -> Scan:
    # The leaves present at subleaf 0 in the base range, in ascending order: the same answer as
    # probing all 256 bases with dump.get(base), from the index the dump made of them.
    if not bases:  # e.g. bare metal: the one empty scan (nobody changes a scan)
        return _NO_SCAN
    found: list[tuple[int, Regs, str]] = []
    by_signature: dict[str, tuple[tuple[int, int], ...]] = {}
    for base in bases:
        regs = leaves[(base, 0)]
        sig = regs_to_str(regs[1], regs[2], regs[3])
        found.append((base, regs, sig))
        by_signature[sig] = by_signature.get(sig, ()) + ((base, regs[0]),)
    return Scan(tuple(found), by_signature)


def _first_base(scan: Scan, signature: str, leaves: int) -> int:
    """cpuid_base_hypervisor(sig, leaves) (hypervisor_cpuid_base() before the cpuid/api.h split)
    over a scan: the first base whose signature matches and ``leaves == 0 || (eax - base) >=
    leaves`` in u32 arithmetic — leaves 0 ignores the max leaf, and an eax below base wraps to a
    huge value. 0 when none matches."""
    for base, eax in scan.by_signature.get(signature, ()):
        if leaves == 0 or ((eax - base) & 0xFFFFFFFF) >= leaves:
            return base
    return 0


def cpuid_base(dump: CpuidDump, signature: str, leaves: int) -> int:
    """:func:`_first_base` of ``dump``'s scan."""
    return _first_base(_scan(dump), signature, leaves)


@shared("torvalds/linux arch/x86/kernel/cpu/hypervisor.c: detect_hypervisor_vendor() (every .detect's base)")
def scan_hypervisor_bases(ctx: Ctx) -> dict[int, str]:
    """Every base whose signature is a known vendor; returned without recording evidence, so
    callers note only the bases that matter."""
    bases: dict[int, str] = {}
    for base, _, sig in hypervisor_scan(ctx).found:  # a loop: most scans have one base or none
        vendor = vendor_of_signature(sig)
        if vendor:
            bases[base] = vendor
    return bases


# The order cpuid_base_hypervisor() compares a signature's registers in, and where it searches.
SIGNATURE_ORDER = ("ebx", "ecx", "edx")
_SCAN_SOURCE = "cpuid 0x40000000-0x4000ff00 signature scan"


class BaseProbe(NamedTuple):
    """One ``cpuid_base_hypervisor(signature, leaves)`` call of a Linux ``.detect``, with the
    evidence names it records (constant, so spelled once)."""

    signature: str
    leaves: int
    name: str  # e.g. "kvm_cpuid_base()"
    max_leaf_name: str
    # The read "no base matched" records, (source, value, name) as ctx.note() logs it: most
    # probes find nothing on every platform, so the row is made once and logged as it is.
    missing_read: tuple[str, None, str]


def base_probe(signature: str, leaves: int, name: str) -> BaseProbe:
    missing = f"{name}: {signature!r} not found"
    return BaseProbe(signature, leaves, name, f"{name}: max leaf", (_SCAN_SOURCE, None, missing))


def hypervisor_scan(ctx: Ctx) -> Scan:
    """The platform's one scan of the hypervisor bases (kept on its dump), empty without CPUID."""
    return _scan(ctx.p.cpuid) if ctx.p.cpuid is not None else _NO_SCAN


def note_signature(ctx: Ctx, base: int, name: str) -> str | None:
    """The hypervisor signature at ``base`` (ebx, ecx, edx), read and recorded as cpuid_text()
    reads it (made once per platform)."""
    return ctx.cpuid_text(base, SIGNATURE_ORDER, name=name)


def probe_base(ctx: Ctx, scan: Scan, probe: BaseProbe) -> int:
    """:func:`cpuid_base` for a Linux ``.detect`` over the platform's scan, recording what it
    found: the signature and max leaf of the base, or that no base matched."""
    base = _first_base(scan, probe.signature, probe.leaves)
    if base:
        note_signature(ctx, base, probe.name)
        ctx.cpuid(base, "eax", name=probe.max_leaf_name)
    else:
        ctx._reads.append(probe.missing_read)  # ctx.note(_SCAN_SOURCE, None, "<name>: <signature> not found")
    return base


# --- direct reads the proposal model shares (each cites the Linux check it mirrors) -----------


# SEV_STATUS bits from the strongest down, and the level each one means (sme_enable(); systemd's
# detect_sev() and virt-what-cvm's cpu_sig_amd() test them in this order).
SEV_LEVELS = ((SNP_ENABLED, "sev-snp"), (SEV_ES_ENABLED, "sev-es"), (SEV_ENABLED, "sev"))


def sev_level(status: int) -> tuple[str, int | None]:
    """``(level, bit)`` for a SEV_STATUS value: the highest of SNP, SEV-ES, SEV that is set, or
    ``("none", None)``."""
    for bit, level in SEV_LEVELS:
        if status >> bit & 1:
            return level, bit
    return "none", None


@shared('torvalds/linux arch/x86/boot/startup/sme.c: sme_enable()')
def sme_enable_sev_level(ctx: Ctx) -> str | None:
    """The guest's own AMD C-bit state as sme_enable() would read it: "none", "sev", "sev-es",
    "sev-snp", or None when SEV is visible but SEV_STATUS is not known."""
    top = ctx.cpuid(0x80000000, "eax", name="max extended leaf")
    if top is None or top < SEV_LEAF:
        return "none"
    if not ctx.field(SEV_LEAF, "SEV"):
        return "none"
    status = ctx.msr(SEV_STATUS, SEV_ENABLED, SNP_VTOM, name="SEV_STATUS[3:0] (SEV, SEV-ES, SNP, vTOM)")
    return None if status is None else sev_level(status)[0]


@shared('torvalds/linux arch/x86/coco/tdx/tdx.c: tdx_early_init() (TDX_IDENT)')
def tdx_early_init_ident(ctx: Ctx) -> bool:
    """tdx_early_init(): leaf 0x21 spells "IntelTDX    " (ebx, edx, ecx)."""
    return ctx.cpuid_text(0x21, ("ebx", "edx", "ecx"), name="TDX_IDENT") == "IntelTDX    "


# Hyper-V's leaves (include/hyperv/hvgdk_mini.h), fields declared in cpuid/leaves.py.
HYPERV_CPUID_FEATURES = HV_BASE_LEAF + 0x3
HYPERV_CPUID_ISOLATION_CONFIG = HV_BASE_LEAF + 0xC
HYPERV_CPUID_VIRT_STACK_PROPERTIES = HV_BASE_LEAF + 0x82
SEV_LEAF = 0x8000001F  # AMD encrypted memory capabilities


class HypervIsolation(NamedTuple):  # immutable: shared between models (resolve_all)
    isolated: bool = False
    type: int = HvIsolationType.NONE
    paravisor: bool = False
    boundary_bits: int | None = None


@shared('torvalds/linux arch/x86/kernel/cpu/mshyperv.c: ms_hyperv_init_platform()')
def ms_hyperv_init_platform_isolation(ctx: Ctx) -> HypervIsolation:
    """ms_hyperv_init_platform()'s reading of 0x40000003/0x4000000c (only for "Microsoft Hv")."""
    if note_signature(ctx, 0x40000000, "hypervisor vendor at 0x40000000") != "Microsoft Hv":
        return HypervIsolation()
    if not ctx.field(HYPERV_CPUID_FEATURES, "HV_ISOLATION"):
        return HypervIsolation()
    iso_type = ctx.field(HYPERV_CPUID_ISOLATION_CONFIG, "HV_ISOLATION_TYPE") or 0
    para = bool(ctx.field(HYPERV_CPUID_ISOLATION_CONFIG, "HV_PARAVISOR_PRESENT"))
    active = ctx.field(HYPERV_CPUID_ISOLATION_CONFIG, "HV_SHARED_GPA_BOUNDARY_ACTIVE")
    bits = ctx.field(HYPERV_CPUID_ISOLATION_CONFIG, "HV_SHARED_GPA_BOUNDARY_BITS") if active else None
    return HypervIsolation(True, iso_type, para, bits)


@shared('systemd/systemd src/basic/confidential-virt.c: detect_hyperv_cvm(); virt-what virt-what-cvm.c: cpu_sig_cvm_hyperv()')
def detect_hyperv_cvm_type(ctx: Ctx) -> tuple[int | None, bool]:
    """The Hyper-V isolation type as systemd's detect_hyperv_cvm() and virt-what-cvm's
    cpu_sig_cvm_hyperv() read it (the two share this code): "Microsoft Hv" with a max leaf in
    [0x40000005, 0x4000FFFF], HV_ISOLATION set and HV_CPU_MANAGEMENT clear, then
    0x4000000c.ebx[3:0]. ParavisorPresent is never read. Returns (type or None, rejected
    because the partition also claims to be the root)."""
    feat = ctx.cpuid(0x40000000, "eax", name="CPUID_HYPERV_VENDOR_AND_MAX_FUNCTIONS")
    sig = note_signature(ctx, 0x40000000, "CPUID_SIG_HYPERV")
    if feat is None or not 0x40000005 <= feat <= 0x4000FFFF or sig != "Microsoft Hv":
        return None, False
    iso = ctx.field(HYPERV_CPUID_FEATURES, "HV_ISOLATION", name="CPUID_HYPERV_ISOLATION")
    mgmt = ctx.field(HYPERV_CPUID_FEATURES, "HV_CPU_MANAGEMENT", name="CPUID_HYPERV_CPU_MANAGEMENT")
    if not iso or mgmt:
        return None, bool(iso and mgmt)
    return ctx.field(HYPERV_CPUID_ISOLATION_CONFIG, "HV_ISOLATION_TYPE", name="CPUID_HYPERV_ISOLATION_TYPE_MASK"), False


# --- systemd confidential-virt.c and virt-what-cvm.c ----------------------------------------------
# virt-what-cvm.c began as a copy of systemd's detector, so the two read the same registers the
# same way; each model cites its own program's function in its rules.


_VENDOR_PATHS = {"AuthenticAMD": "amd", "GenuineIntel": "intel"}  # leaf 0 vendor -> the path taken


@shared('systemd/systemd src/basic/confidential-virt.c: detect_confidential_virtualization_impl(); virt-what virt-what-cvm.c: main()')
def cpu_vendor(ctx: Ctx) -> tuple[str | None, str | None]:
    """Leaf 0's vendor string (ebx, edx, ecx) as both programs compare it, and which path it
    picks: ("amd" | "intel" | None, the string)."""
    sig = ctx.cpuid_text(0x0, ("ebx", "edx", "ecx"), name="CPUID_SIG_AMD / CPUID_SIG_INTEL")
    return _VENDOR_PATHS.get(sig or ""), sig


@shared('systemd/systemd src/basic/confidential-virt.c: detect_sev(); virt-what virt-what-cvm.c: cpu_sig_amd()')
def sev_status_read(ctx: Ctx) -> tuple[str, int | None] | None:
    """SEV_STATUS[2:0] read through /dev/cpu/0/msr, as :func:`sev_level` ``(level, bit)``; None
    when the platform gives no SEV_STATUS."""
    status = ctx.msr(SEV_STATUS, SEV_ENABLED, SNP_ENABLED, name="MSR_AMD64_SEV via /dev/cpu/0/msr")
    return None if status is None else sev_level(status)
