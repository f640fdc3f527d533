"""What a guest learns without any paravisor record: its own CC ABI and today's signals.

Used by the ``proposal`` model for the "in charge" state and for the fallback when no record
is advertised. Each read cites the Linux check it mirrors (see pvenum/resolver/x86.py, arm.py).
"""

from __future__ import annotations

from typing import NamedTuple

from ...cpuid.leaves import HvIsolationType
from ..engine import Ctx, State
from ..shared import shared
from .. import x86

HV_TYPES = {t.value: t.isolation for t in HvIsolationType}  # enum hv_isolation_type (hvgdk_mini.h)


class Own(NamedTuple):  # immutable: shared between models (resolve_all)
    isolation: str = "none"  # none | sev | sev-es | sev-snp | tdx | cca
    evidence: str = ""
    accept_op: str = ""  # what the guest runs itself to accept private memory ("" for SEV, SEV-ES)
    unknown: str | None = None
    vmpl: int = 0
    svsm: bool = False

    @property
    def in_charge_abi(self) -> bool:
        """The guest would run PVALIDATE / TDG.MEM.PAGE.ACCEPT / RSI itself."""
        return bool(self.accept_op)


# The answers that never vary, made once (an Own is immutable).
_NONE = Own()
_NO_CPUID = Own(unknown="cpuid")
_NO_SEV_STATUS = Own(unknown="msr 0xc0010131 (SEV_STATUS)")
_CCA = Own("cca", "RSI_VERSION succeeds over SMC", "RSI_IPA_STATE_SET")
_TDX = Own("tdx", "leaf 0x21 \"IntelTDX    \"", "TDG.MEM.PAGE.ACCEPT")
_SEV = {level: Own(level, f"SEV_STATUS {level}") for level in ("sev", "sev-es")}  # no RMP: nothing to accept


class Legacy(NamedTuple):  # immutable: shared between models (resolve_all)
    isolation: str
    paravisor: bool
    type: int  # 0x4000000c.ebx[3:0] HV_ISOLATION_TYPE


@shared('torvalds/linux arch/x86/coco/tdx/tdx.c: tdx_early_init(); arch/x86/boot/startup/sme.c: sme_enable(); arch/arm64/kernel/rsi.c: arm64_rsi_init()')
def own_cc(ctx: Ctx) -> Own:
    if ctx.p.arch == "arm64":
        from ..arm import rsi_init  # the arm64 readers load only for an arm64 platform

        r = rsi_init(ctx)
        if r.realm is None:
            return Own(unknown=r.missing)
        if r.realm:  # RSI_VERSION over SMC and RSI_REALM_CONFIG succeeded
            return _CCA
        return _NONE
    if ctx.p.cpuid is None:
        return _NO_CPUID
    # No CPUID.1:ECX[31] check: tdx_early_init() never reads it, and sme_enable() reads it only
    # on the SME (host) branch — a TDX or SEV guest with the bit clear is still confidential.
    if x86.tdx_early_init_ident(ctx):
        return _TDX
    level = x86.sme_enable_sev_level(ctx)
    if level is None:
        return _NO_SEV_STATUS
    if level == "sev-snp":
        vmpl = ctx.snp("vmpl", name="running VMPL") or 0
        svsm = bool(vmpl and ctx.snp("svsm_size"))
        return Own("sev-snp", "0x8000001f.eax[1] and SEV_STATUS.SNP", "PVALIDATE", vmpl=vmpl, svsm=svsm)
    return _SEV.get(level, _NONE)


@shared('torvalds/linux arch/x86/kernel/cpu/mshyperv.c: ms_hyperv_init_platform() (hyperv_paravisor_present)')
def legacy_paravisor(ctx: Ctx) -> Legacy | None:
    """Today's only paravisor signal: Hyper-V's HV_PARAVISOR_PRESENT (x86)."""
    if ctx.p.arch == "arm64" or ctx.p.cpuid is None:
        return None
    iso = x86.ms_hyperv_init_platform_isolation(ctx)
    if not iso.isolated:
        return None
    return Legacy(HV_TYPES.get(iso.type, "none"), iso.paravisor, iso.type)


class X86Hypervisors(NamedTuple):  # immutable: shared between models (resolve_all)
    vendors: dict[int, str]  # base -> vendor, for every base whose signature Linux knows
    best: int  # the base detect_hypervisor_vendor() picks (the highest); 0 when none is known
    signature: str | None  # that base's signature (ebx, ecx, edx)


_NO_KNOWN_VENDOR = X86Hypervisors({}, 0, None)


@shared('torvalds/linux arch/x86/kernel/cpu/hypervisor.c: detect_hypervisor_vendor()')
def x86_hypervisors(ctx: Ctx) -> X86Hypervisors | None:
    """The hypervisor vendors CPUID shows and the one x86 Linux picks; None when
    X86_FEATURE_HYPERVISOR is clear. The proposal's hypervisor and the FADT cross-check read
    the same three things (the bit, the scan, the winner's signature): read once per platform."""
    if not ctx.field(0x1, "HYPERVISOR", name="X86_FEATURE_HYPERVISOR"):
        return None
    bases = x86.scan_hypervisor_bases(ctx)
    if not bases:
        return _NO_KNOWN_VENDOR
    best = max(bases)  # detect_hypervisor_vendor(): the highest .detect() priority (base) wins
    sig = x86.note_signature(ctx, best, "hypervisor signature (detect_hypervisor_vendor())")
    return X86Hypervisors(bases, best, sig)


def hypervisor(ctx: Ctx) -> str:
    """torvalds/linux arch/x86/kernel/cpu/hypervisor.c: detect_hypervisor_vendor(); arch/arm64:
    see arm.hypervisor() (both shared: this picks one per arch)."""
    if ctx.p.arch == "arm64":
        from ..arm import hypervisor as arm_hypervisor

        return arm_hypervisor(ctx)
    if ctx.p.cpuid is None:
        return "none"
    found = x86_hypervisors(ctx)
    if found is None:
        return "none"
    return found.vendors[found.best] if found.vendors else "unknown"


def apply(ctx: Ctx, state: State, own: Own) -> None:
    """Mode, isolation, memory acceptance and native services of a guest in charge."""
    d = state.d
    d.isolation = own.isolation
    if own.isolation == "none":
        d.mode = "not-confidential"
        return
    d.mode = "enlightened"
    if own.isolation == "sev-snp":
        d.memory_acceptance = "svsm" if own.svsm else "guest"
        state.service("attestation", f"sev-guest (SNP guest request, VMPCK{own.vmpl})")
        if own.svsm and ctx.snp("svsm_vtpm", name="SVSM_VTPM_QUERY answer"):
            state.service("vtpm", "svsm-protocol 2 (SVSM vTPM)")
    elif own.isolation == "tdx":
        d.memory_acceptance = "guest"
        state.service("attestation", "tdx-guest (TDG.MR.REPORT + quote)")
    elif own.isolation == "cca":
        d.memory_acceptance = "guest"
        state.service("attestation", "arm-cca-guest (RSI_ATTESTATION_TOKEN_INIT/CONTINUE)")
        from ...arm.smccc import RSI_FEATURES

        features = ctx.smccc(RSI_FEATURES, 1, name="RSI_FEATURES reg0 (bit0 DA)") if ctx.p.smccc and ctx.p.smccc.has(RSI_FEATURES) else None
        if features is not None and features & 1:
            state.service("tdisp", "RSI device assignment (RMM 1.1 RSI_RDEV_*)")
    else:  # sev, sev-es: no RMP, nothing to accept, launch-time secrets only
        d.memory_acceptance = "none"
