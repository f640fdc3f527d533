"""Scenario → Platform: the same channels a real guest would see, built from the description.

x86: CPUID (base dump, hypervisor leaves, CC leaves, what the paravisor hides, the record's
CPUID block), SEV_STATUS and the SNP facts. arm64: SMCCC answers (SMCCC/PSCI versions, vendor
hypervisor UID, RSI). Both: a devicetree and ACPI tables when the scenario asks for them
(pvenum/scenario/dt.py, acpi.py). Overrides come last.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..arm import smccc as S
from ..cpuid.model import MSR_AMD64_SEV, CpuidDump, MsrSet, SnpFacts, TdxFacts
from ..errors import PvenumError, ScenarioError
from ..platform import Platform
from ..proposal import cpuid_encoding
from . import x86

if TYPE_CHECKING:  # pragma: no cover
    from .model import Scenario

# SVSM placement as COCONUT sets it up (synthetic addresses; fields per struct snp_secrets_page).
SVSM_BASE, SVSM_SIZE, SVSM_CAA = 0x80000000, 0x400000, 0x80001000


def compile_platform(s: Scenario) -> Platform:
    p = Platform(arch=s.arch, sources={"scenario": s.path or s.name})
    if s.arch == "x86_64":
        p.cpuid, p.msr, p.snp = _x86(s)
        if s.override.get("tdx"):
            p.tdx = TdxFacts.from_toml(s.override["tdx"], key="override.tdx")
    else:
        p.smccc = _smccc(s)
    if s.dt:
        from .dt import build_tree

        p.fdt = build_tree(s)
    if s.acpi:
        from ..acpi.model import AcpiTableSet
        from .acpi import build_tables

        p.acpi = AcpiTableSet.from_tables(build_tables(s))
    for ch in ("cpuid", "msr", "snp", "tdx", "smccc", "fdt", "acpi"):
        if getattr(p, ch) is not None:
            p.sources.setdefault(ch, f"scenario {s.name}")
    return p


def default_cpu(s: Scenario) -> str:
    if s.cpu:
        return s.cpu
    return "intel" if s.isolation == "tdx" else "amd"


def _x86(s: Scenario) -> tuple[CpuidDump, MsrSet | None, SnpFacts | None]:
    cpu = default_cpu(s)
    if s.base_dump is not None:
        base = s.base_dump  # read once, when the scenario was (model._from_doc)
        # One CPU, each listed query as the guest reads it (KVM flags and entry order applied),
        # without the flags: the scenario states one guest's view, and its edits must not hide
        # behind an earlier unflagged entry. A subleaf the base does not list then answers as the
        # leaf's kind says (CpuidDump.is_indexed), not as KVM's first match would.
        base = CpuidDump({0: dict(base.guest_view())})
    else:
        base = x86.base_dump(cpu)
    d = x86.drop_hypervisor_leaves(base)
    hides = set(s.paravisor.hides) if s.paravisor else set()
    if s.hypervisor == "none":
        d = x86.set_bits(d, 0x1, x86.ECX, clear_mask=x86.HYPERVISOR_BIT)
    else:
        d = x86.set_bits(d, 0x1, x86.ECX, x86.HYPERVISOR_BIT)
        d = x86.with_leaves(d, _hypervisor_leaves(s, hides))
    msr: MsrSet | None = MsrSet({MSR_AMD64_SEV: 0}) if cpu == "amd" else None
    snp = None
    iso = s.isolation
    if iso in ("sev", "sev-es", "sev-snp"):
        if "isolation-cpuid" in hides:
            d = d.with_leaf(x86.SEV_LEAF, 0, (0, 0, 0, 0))
        elif s.paravisor is not None:
            d = d.with_leaf(x86.SEV_LEAF, 0, x86.OPENHCL_PSP_8000001F)
        else:
            d = d.with_leaf(x86.SEV_LEAF, 0, x86.sev_leaf(iso, svsm=s.svsm is not None))
        msr = MsrSet({MSR_AMD64_SEV: x86.SEV_STATUS_OPENHCL_VTL0 if s.paravisor else x86.SEV_STATUS_FOR[iso]})
        if iso == "sev-snp":
            if s.paravisor is not None:
                # VTL0 runs at VMPL2 and gets no CC blob from the paravisor.
                snp = SnpFacts(vmpl=2, cc_blob=False)
            elif s.svsm is not None:
                snp = SnpFacts(vmpl=s.svsm.vmpl, cc_blob=True, svsm_base=SVSM_BASE, svsm_size=SVSM_SIZE,
                               svsm_caa=SVSM_CAA, svsm_max_version=1, svsm_guest_vmpl=s.svsm.vmpl,
                               svsm_vtpm=s.svsm.vtpm)
            else:
                snp = SnpFacts(vmpl=0, cc_blob=True)
    elif iso == "tdx" and "isolation-cpuid" not in hides:
        d = x86.with_tdx_leaf(d)
    if s.services is not None and "cpuid" in s.encodings:
        d = cpuid_encoding.install(d, s.services)
    d, msr, snp = _x86_overrides(s, d, msr, snp)
    return d, msr, snp


def _hypervisor_leaves(s: Scenario, hides: set[str]) -> dict[int, tuple[int, int, int, int]]:
    hv = s.hypervisor
    if hv == "kvm":
        return x86.kvm_leaves()
    if hv == "xen":
        return x86.xen_leaves()
    if hv == "hyperv":
        isolated = s.isolation in ("vbs", "sev-snp", "tdx")
        if "isolation-leaf" in hides or not isolated:
            return x86.hyperv_leaves(max_leaf=0x40000005 if "isolation-leaf" in hides else x86.HYPERV_CPUID_ISOLATION_CONFIG)
        bits = s.paravisor.shared_gpa_boundary_bits if s.paravisor else None
        leaves = x86.hyperv_leaves(
            priv_high=x86.HV_PRIV_HIGH | x86.HV_ISOLATION,
            config_a=x86.HV_PARAVISOR_PRESENT if s.paravisor else 0,
            config_b=x86.hyperv_config_b(s.isolation, bits),
        )
        if s.paravisor is not None and s.paravisor.confidential_vmbus:
            # The paravisor answers the virtual-stack leaves by intercept (mshyperv.c).
            leaves[x86.HYPERV_CPUID_VIRT_STACK_PROPERTIES] = (x86.HYPERV_VS_CONFIDENTIAL_VMBUS, 0, 0, 0)
        return leaves
    signature, max_leaf = x86.SIMPLE_VENDORS[hv]
    return x86.simple_leaves(signature, max_leaf)


def _key(text: str, where: str) -> tuple[int, int]:
    try:
        leaf, _, sub = text.partition(".")
        key = int(leaf, 0), int(sub, 0) if sub else 0
    except ValueError:
        raise ScenarioError("expected \"0xLEAF\" or \"0xLEAF.SUBLEAF\"", key=where) from None
    if not all(0 <= n <= 0xFFFFFFFF for n in key):
        raise ScenarioError("leaf and subleaf are 32-bit (CPUID EAX, ECX)", key=where)
    return key


def _x86_overrides(s: Scenario, d: CpuidDump, msr: MsrSet | None, snp: SnpFacts | None):
    for k, v in s.override.get("cpuid", {}).items():
        where = f"override.cpuid.{k}"
        leaf, sub = _key(k, where)
        if v == []:
            d = d.without_leaf(leaf, sub)
            continue
        if not isinstance(v, list) or len(v) != 4 or not all(isinstance(x, int) and not isinstance(x, bool) and 0 <= x <= 0xFFFFFFFF for x in v):
            raise ScenarioError("expected [eax, ebx, ecx, edx] (32-bit each) or [] to remove", key=where)
        d = d.with_leaf(leaf, sub, (v[0], v[1], v[2], v[3]))
    if s.override.get("msr"):
        msr = (msr or MsrSet()).merged(MsrSet.from_toml(s.override["msr"], key="override.msr"))
    if s.override.get("snp"):
        base = snp.to_dict() if snp else {}
        base.update(s.override["snp"])
        snp = SnpFacts.from_toml(base, key="override.snp")
    return d, msr, snp


# --- arm64 --------------------------------------------------------------------------------------

UID_HYPERVISORS = ("kvm", "hyperv")  # the scenario hypervisors with a vendor hypervisor UID (S.UIDS)
REALM_IPA_BITS = 48  # prot_ns_shared = BIT(47): the unprotected alias is the top half of the IPA space


def _smccc(s: Scenario) -> S.SmcccAnswers:
    """What the guest's SMC/HVC calls answer (pvenum/arm/smccc.py builders).

    Outside a realm the hypervisor answers SMCCC/PSCI versions and its vendor UID (KVM adds the
    KVM_FEATURES bitmap: FEATURES and PTP, drivers/firmware/smccc/kvm_guest.c). In a realm the
    RMM answers SMCCC_VERSION, PSCI and RSI and nothing else — every other function id is
    SMC_UNKNOWN (TF-RMM runtime/core/exit.c handle_realm_rsi()), so the vendor UID is not
    answered. A paravisor that hides RSI answers the guest's RSI calls NOT_SUPPORTED (an
    auxiliary Plane's RSI call gets SMC_NOT_SUPPORTED from the RMM, same function).
    """
    answers: dict[int, tuple[int, int, int, int]] = {
        S.SMCCC_VERSION: S.smccc_version(1, 2),
        S.PSCI_VERSION: S.psci_version(1, 1),
    }
    memory: dict[int, bytes] = {}
    hides = set(s.paravisor.hides) if s.paravisor else set()
    realm = s.isolation == "cca"
    if not realm and s.hypervisor in UID_HYPERVISORS:
        answers[S.VENDOR_HYP_CALL_UID] = S.vendor_uid(s.hypervisor)
        if s.hypervisor == "kvm":
            answers[S.VENDOR_HYP_KVM_FEATURES] = S.kvm_features(S.KVM_FUNC_PTP)
    if realm and "rsi" not in hides:
        answers[S.RSI_VERSION] = S.rsi_version(1, 0)
        answers[S.RSI_FEATURES] = S.rsi_features(0)
        answers[S.RSI_REALM_CONFIG] = (S.RSI_SUCCESS, 0, 0, 0)
        # x1 (the top the RMM reached) depends on the request; pvenum models success and acceptance.
        answers[S.RSI_IPA_STATE_SET] = (S.RSI_SUCCESS, 0, S.RSI_ACCEPT, 0)
        memory[S.RSI_REALM_CONFIG] = S.realm_config(REALM_IPA_BITS, "sha256")
    answers_obj = S.SmcccAnswers(answers, memory=memory)
    if s.override.get("smccc"):
        answers_obj = answers_obj.merged(S.SmcccAnswers.from_toml(s.override["smccc"], key="override.smccc"))
    return answers_obj


def load_base(path: str, shown: str | None = None) -> Any:
    """The CPUID dump of a scenario's ``base`` file (CPU 0 of a multi-CPU capture), read at
    ``path`` and named ``shown`` (a git tree's file, not its temporary copy)."""
    from .. import _io
    from ..cpuid.api import parse as parse_cpuid

    name = shown or path
    try:
        return parse_cpuid(_io.read_input(path, regular=True))
    except PvenumError as err:
        if err.path in (None, path, "<input>"):  # cpuid.api.parse names no file
            err.path = name
        raise ScenarioError(f"base {err}", key="scenario.base") from None  # str(err) names the file
