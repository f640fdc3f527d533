"""Building blocks for x86 platforms: base dumps, hypervisor leaves, CC leaves, MSRs, SNP facts.

Values are observed where a public source shows them and synthetic otherwise (said per
function); the scenario compiler and the test fixture recipe both build on these.
"""

from __future__ import annotations

import functools
from importlib import resources

from ..cpuid import cpuid_r
from ..cpuid.leaves import HV_BASE_LEAF, HvIsolationType, declared
from ..cpuid.model import MSR_AMD64_SEV, CpuidDump, Regs, str_to_regs

EAX, EBX, ECX, EDX = range(4)
SEV_LEAF = 0x8000001F  # AMD encrypted memory capabilities
HYPERV_CPUID_FEATURES = HV_BASE_LEAF + 0x3
HYPERV_CPUID_ISOLATION_CONFIG = HV_BASE_LEAF + 0xC
# include/hyperv/hvgdk_mini.h: HYPERV_CPUID_VIRT_STACK_PROPERTIES (mainline).
HYPERV_CPUID_VIRT_STACK_PROPERTIES = HV_BASE_LEAF + 0x82


def bits(leaf: int, *names: str) -> int:
    """The named flags of ``leaf`` (or an MSR) set, by their cpuid/leaves.py declarations."""
    return sum(declared(leaf, n).mask for n in names)


HYPERVISOR_BIT = bits(0x1, "HYPERVISOR")

# SEV_STATUS values (arch/x86/include/asm/msr-index.h bit names).
_SEV = ("SEV_ENABLED",)
_SEV_ES = _SEV + ("SEV_ES_ENABLED",)
_SNP = _SEV_ES + ("SNP_ENABLED",)
SEV_STATUS_FOR = {"sev": bits(MSR_AMD64_SEV, *_SEV), "sev-es": bits(MSR_AMD64_SEV, *_SEV_ES),
                  "sev-snp": bits(MSR_AMD64_SEV, *_SNP)}
# OpenHCL's VTL0 VMSA SEV_FEATURES: SNP|ES|SEV, vTOM, ReflectVC, AltInj, DebugSwap
# (microsoft/openvmm openhcl/virt_mshv_vtl/src/processor/snp/mod.rs init_vmsa).
SEV_STATUS_OPENHCL_VTL0 = bits(MSR_AMD64_SEV, *_SNP, "SNP_VTOM", "SNP_REFLECT_VC", "SNP_ALT_INJ", "SNP_DEBUG_SWAP")
# 0x8000001f EAX as a guest sees it (AMD APM vol. 3 E.4.17): SME|SEV (+ES, +SNP, +VMPL).
_SEV_LEAF = ("SME", "SEV")
SEV_LEAF_EAX = {"sev": bits(SEV_LEAF, *_SEV_LEAF), "sev-es": bits(SEV_LEAF, *_SEV_LEAF, "SEV_ES"),
                "sev-snp": bits(SEV_LEAF, *_SEV_LEAF, "SEV_ES", "SEV_SNP", "VMPL")}
# C-bit 51, 1 bit of physical address reduction.
SEV_LEAF_EBX = (declared(SEV_LEAF, "cbit_position").place(51)
                | declared(SEV_LEAF, "phys_addr_reduction").place(1))
SVSM_PRESENT_BIT = bits(SEV_LEAF, "SVSM")  # Linux/COCONUT set it in the SNP CPUID table
# The real PSP CPUID page in OpenHCL's test `real_values` (microsoft/openvmm @1488a37b).
OPENHCL_PSP_8000001F = (0x0100FF7B, 0x000041B3, 0, 0)

# Hyper-V (include/hyperv/hvgdk_mini.h). Vendor/interface/version observed on a Hyper-V client
# (SerenityOS PR #8665); feature words synthetic: VP_RUNTIME..VP_INDEX, REFERENCE_TSC,
# FREQUENCY_MSRS, REENLIGHTENMENT; privileges high POST_MESSAGES, SIGNAL_EVENTS, CONNECT_PORT,
# ENABLE_EXTENDED_HYPERCALLS.
HV_FEATURES = 0x00002A7F
HV_PRIV_HIGH = bits(HYPERV_CPUID_FEATURES, "HV_POST_MESSAGES", "HV_SIGNAL_EVENTS", "HV_CONNECT_PORT",
                    "HV_ENABLE_EXTENDED_HYPERCALLS")
HV_ISOLATION = bits(HYPERV_CPUID_FEATURES, "HV_ISOLATION")
HV_CPU_MANAGEMENT = bits(HYPERV_CPUID_FEATURES, "HV_CPU_MANAGEMENT")
HV_TYPE = {t.isolation: t.value for t in HvIsolationType if t}
HYPERV_VS_CONFIDENTIAL_VMBUS = bits(HYPERV_CPUID_VIRT_STACK_PROPERTIES,
                                    "HYPERV_VS_PROPERTIES_EAX_CONFIDENTIAL_VMBUS_AVAILABLE")
HV_PARAVISOR_PRESENT = bits(HYPERV_CPUID_ISOLATION_CONFIG, "HV_PARAVISOR_PRESENT")


def sig(text: str) -> tuple[int, int, int]:
    a, b, c = str_to_regs(text)
    return a, b, c


@functools.lru_cache(maxsize=None)
def base_dump(cpu: str) -> CpuidDump:
    name = {"amd": "amd-kvm.cpuid", "intel": "intel-xen.cpuid"}[cpu]
    return cpuid_r.parse(resources.files("pvenum.fixtures.base").joinpath(name).read_bytes())


def drop_hypervisor_leaves(d: CpuidDump) -> CpuidDump:
    for leaf in sorted({l for l, _ in d.cpu0() if 0x40000000 <= l <= 0x4FFFFFFF}):
        d = d.without_leaf(leaf)
    return d


def set_bits(d: CpuidDump, leaf: int, reg: int, set_mask: int = 0, clear_mask: int = 0, sub: int = 0) -> CpuidDump:
    regs = list(d.cpu0().get((leaf, sub), (0, 0, 0, 0)))
    regs[reg] = (regs[reg] | set_mask) & ~clear_mask & 0xFFFFFFFF
    return d.with_leaf(leaf, sub, (regs[0], regs[1], regs[2], regs[3]))


def with_leaves(d: CpuidDump, leaves: dict[int, Regs]) -> CpuidDump:
    for leaf, regs in sorted(leaves.items()):
        d = d.with_leaf(leaf, 0, regs)
    return d


def hyperv_leaves(*, max_leaf: int = HYPERV_CPUID_ISOLATION_CONFIG, priv_high: int = HV_PRIV_HIGH,
                  config_a: int = 0, config_b: int = 0) -> dict[int, Regs]:
    leaves: dict[int, Regs] = {
        0x40000000: (max_leaf, *sig("Microsoft Hv")),
        0x40000001: (0x31237648, 0, 0, 0),
        0x40000002: (19041, 0x000A0000, 0, 0),
        HYPERV_CPUID_FEATURES: (HV_FEATURES, priv_high, 0, 0x00000400),
        0x40000004: (0x0000002C, 0x00000FFF, 0x0000002E, 0),
        0x40000005: (0x00000800, 0x00000200, 0, 0),
        0x40000006: (0x0000000E, 0, 0, 0),
    }
    for leaf in range(0x40000007, HYPERV_CPUID_ISOLATION_CONFIG):
        leaves[leaf] = (0, 0, 0, 0)
    leaves[HYPERV_CPUID_ISOLATION_CONFIG] = (config_a, config_b, 0, 0)
    return {k: v for k, v in leaves.items() if k <= max_leaf}


def kvm_leaves() -> dict[int, Regs]:
    """KVM's leaves as observed on the AMD base dump."""
    amd = base_dump("amd").cpu0()
    return {0x40000000: amd[(0x40000000, 0)], 0x40000001: amd[(0x40000001, 0)]}


def xen_leaves() -> dict[int, Regs]:
    """Xen's leaves as observed on the Intel base dump (subleaf 0 of each)."""
    intel = base_dump("intel").cpu0()
    return {l: r for (l, s), r in intel.items() if 0x40000000 <= l <= 0x40000005 and s == 0}


def simple_leaves(signature: str, max_leaf: int) -> dict[int, Regs]:
    """A vendor signature and zeroed leaves up to ``max_leaf`` (TCG: max 0x40000001, observed
    in SerenityOS PR #8665; others synthetic)."""
    leaves: dict[int, Regs] = {0x40000000: (max_leaf, *sig(signature))}
    for leaf in range(0x40000001, max_leaf + 1):
        leaves[leaf] = (0, 0, 0, 0)
    return leaves


SIMPLE_VENDORS = {
    "tcg": ("TCGTCGTCGTCG", 0x40000001),
    "vmware": ("VMwareVMware", 0x40000010),
    "acrn": ("ACRNACRNACRN", 0x40000001),
    "bhyve": ("bhyve bhyve ", 0x40000001),
    "jailhouse": ("Jailhouse\0\0\0", 0x40000001),
}


def sev_leaf(level: str, *, svsm: bool = False) -> Regs:
    eax = SEV_LEAF_EAX[level] | (SVSM_PRESENT_BIT if svsm else 0)
    return (eax, SEV_LEAF_EBX, 0, 0)


def with_tdx_leaf(d: CpuidDump) -> CpuidDump:
    """Leaf 0x21 "IntelTDX    " (read ebx, edx, ecx) and leaf 0 raised to cover it."""
    a, b, c = sig("IntelTDX    ")
    leaf0 = d.cpu0()[(0, 0)]
    d = d.with_leaf(0, 0, (max(0x21, leaf0[0]), leaf0[1], leaf0[2], leaf0[3]))
    return d.with_leaf(0x21, 0, (0, a, c, b))


def hyperv_config_b(isolation: str, boundary_bits: int | None) -> int:
    config = HYPERV_CPUID_ISOLATION_CONFIG
    b = declared(config, "HV_ISOLATION_TYPE").place(HV_TYPE.get(isolation, 0))
    if boundary_bits:
        b |= bits(config, "HV_SHARED_GPA_BOUNDARY_ACTIVE") | declared(config, "HV_SHARED_GPA_BOUNDARY_BITS").place(boundary_bits)
    return b
