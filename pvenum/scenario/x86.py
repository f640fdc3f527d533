"""Building blocks for x86 platforms: base dumps, hypervisor leaves, CC leaves, MSRs, SNP facts.

Values are observed where a public source shows them and synthetic otherwise (said per
function); the scenario compiler and the test fixture recipe both build on these.
"""

from __future__ import annotations

import functools
from importlib import resources

from ..cpuid import cpuid_r
from ..cpuid.model import CpuidDump, Regs, str_to_regs

EAX, EBX, ECX, EDX = range(4)
HYPERVISOR_BIT = 1 << 31

# SEV_STATUS values (arch/x86/include/asm/msr-index.h bit names).
SEV_STATUS_FOR = {"sev": 0x1, "sev-es": 0x3, "sev-snp": 0x7}
# OpenHCL's VTL0 VMSA SEV_FEATURES: SNP|ES|SEV, vTOM, ReflectVC, AltInj, DebugSwap
# (microsoft/openvmm openhcl/virt_mshv_vtl/src/processor/snp/mod.rs init_vmsa).
SEV_STATUS_OPENHCL_VTL0 = 0b1101_1111
# 0x8000001f EAX as a guest sees it (AMD APM vol. 3 E.4.17): SME|SEV (+ES, +SNP, +VMPL).
SEV_LEAF_EAX = {"sev": 0x00000003, "sev-es": 0x0000000B, "sev-snp": 0x0000003B}
SEV_LEAF_EBX = 0x00000073  # C-bit 51, 1 bit of physical address reduction
SVSM_PRESENT_BIT = 1 << 28  # Linux/COCONUT set it in the SNP CPUID table
# The real PSP CPUID page in OpenHCL's test `real_values` (microsoft/openvmm @1488a37b).
OPENHCL_PSP_8000001F = (0x0100FF7B, 0x000041B3, 0, 0)

# Hyper-V (include/hyperv/hvgdk_mini.h). Vendor/interface/version observed on a Hyper-V client
# (SerenityOS PR #8665); feature words synthetic: VP_RUNTIME..VP_INDEX, REFERENCE_TSC,
# FREQUENCY_MSRS, REENLIGHTENMENT; privileges high POST_MESSAGES, SIGNAL_EVENTS, CONNECT_PORT,
# ENABLE_EXTENDED_HYPERCALLS.
HV_FEATURES = 0x00002A7F
HV_PRIV_HIGH = (1 << 4) | (1 << 5) | (1 << 7) | (1 << 20)
HV_ISOLATION = 1 << 22
HV_CPU_MANAGEMENT = 1 << 12
HV_TYPE = {"vbs": 1, "sev-snp": 2, "tdx": 3}
# include/hyperv/hvgdk_mini.h: HYPERV_CPUID_VIRT_STACK_PROPERTIES and
# HYPERV_VS_PROPERTIES_EAX_CONFIDENTIAL_VMBUS_AVAILABLE (mainline).
HYPERV_CPUID_VIRT_STACK_PROPERTIES = 0x40000082
HYPERV_VS_CONFIDENTIAL_VMBUS = 1 << 3


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


def hyperv_leaves(*, max_leaf: int = 0x4000000C, priv_high: int = HV_PRIV_HIGH,
                  config_a: int = 0, config_b: int = 0) -> dict[int, Regs]:
    leaves: dict[int, Regs] = {
        0x40000000: (max_leaf, *sig("Microsoft Hv")),
        0x40000001: (0x31237648, 0, 0, 0),
        0x40000002: (19041, 0x000A0000, 0, 0),
        0x40000003: (HV_FEATURES, priv_high, 0, 0x00000400),
        0x40000004: (0x0000002C, 0x00000FFF, 0x0000002E, 0),
        0x40000005: (0x00000800, 0x00000200, 0, 0),
        0x40000006: (0x0000000E, 0, 0, 0),
    }
    for leaf in range(0x40000007, 0x4000000C):
        leaves[leaf] = (0, 0, 0, 0)
    leaves[0x4000000C] = (config_a, config_b, 0, 0)
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
    b = HV_TYPE.get(isolation, 0)
    if boundary_bits:
        b |= 1 << 5 | boundary_bits << 6
    return b
