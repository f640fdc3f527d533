"""Named fields of the CPUID leaves and MSRs pvenum decodes — one declaration per leaf.

Names are spelled as the kernel spells them (X86_FEATURE_* without the prefix for feature
words; HV_* from include/hyperv/hvgdk_mini.h; KVM_FEATURE_* from
arch/x86/include/uapi/asm/kvm_para.h; MSR_AMD64_SEV bits from arch/x86/include/asm/msr-index.h),
so a kernel developer can grep for them. Sources per leaf are in ``LeafSpec.source``.

Hypervisor leaves are declared relative to their base (0x40000000 + n): which table applies
depends on the vendor signature found at that base, as in the kernel's hypervisor_cpuid_base().
"""

from __future__ import annotations

from enum import IntEnum
from typing import Mapping, NamedTuple

from .model import (MSR_AMD64_RMP_BASE, MSR_AMD64_RMP_END, MSR_AMD64_SEV, MSR_AMD64_SYSCFG, MSR_K7_HWCR,
                    KVM_SIGNATURE, XEN_SIGNATURE)


class Field(NamedTuple):  # immutable and cheap to declare: the tables below hold hundreds
    reg: str  # eax | ebx | ecx | edx (or "msr" for MSR fields)
    lo: int
    hi: int
    name: str
    desc: str = ""
    values: Mapping[int, str] | None = None  # enumerations, e.g. isolation type
    kind: str = "int"  # "flag" (one bit), "int", "text" (part of a signature)

    @property
    def width(self) -> int:
        return self.hi - self.lo + 1

    def extract(self, value: int) -> int:
        return (value >> self.lo) & ((1 << self.width) - 1)

    @property
    def bits(self) -> str:
        return f"[{self.lo}]" if self.lo == self.hi else f"[{self.hi}:{self.lo}]"

    @property
    def mask(self) -> int:
        """The field's bits in place (``1 << lo`` for a flag)."""
        return ((1 << self.width) - 1) << self.lo

    def place(self, value: int) -> int:
        """``value`` shifted into the field (a builder sets the field by name with it)."""
        if not 0 <= value < 1 << self.width:
            raise ValueError(f"{self.name}: {value} does not fit in {self.width} bits")
        return value << self.lo


class LeafSpec(NamedTuple):
    leaf: int  # absolute leaf, or offset from the hypervisor base for vendor tables
    subleaf: int | None  # None = ECX ignored
    name: str
    source: str
    fields: tuple[Field, ...] = ()
    text: tuple[str, ...] = ()  # registers that spell a signature, in reading order

    def field(self, name: str) -> Field:
        for f in self.fields:
            if f.name == name:
                return f
        raise KeyError(f"{self.name} (0x{self.leaf:x}) declares no field {name!r}")


def flags(reg: str, table: Mapping[int, str | tuple[str, str]]) -> tuple[Field, ...]:
    out = []
    for bit, spec in sorted(table.items()):
        name, desc = (spec, "") if isinstance(spec, str) else spec
        out.append(Field(reg, bit, bit, name, desc, kind="flag"))
    return tuple(out)


def msr_flags(index: int, name: str, source: str, table: Mapping[int, str | tuple[str, str]]) -> LeafSpec:
    """An MSR declared by its flag bits (an MSR has no subleaf; its fields are read as "msr")."""
    return LeafSpec(index, None, name, source, flags("msr", table))


def ints(reg: str, *specs: tuple[int, int, str, str] | tuple[int, int, str, str, Mapping[int, str]]) -> tuple[Field, ...]:
    out = []
    for spec in specs:
        lo, hi, name, desc = spec[:4]
        values = spec[4] if len(spec) > 4 else None  # type: ignore[misc]
        out.append(Field(reg, lo, hi, name, desc, values=values))
    return tuple(out)


# --- Generic leaves (Intel SDM vol. 2A "CPUID"; AMD APM vol. 3 appendix E; Linux
#     arch/x86/include/asm/cpufeatures.h for names) ----------------------------------------------

L0 = LeafSpec(
    0x0, None, "Vendor ID and largest standard leaf", "SDM/APM; Linux get_cpu_vendor()",
    ints("eax", (0, 31, "max_basic_leaf", "largest standard function")),
    text=("ebx", "edx", "ecx"),
)

L1 = LeafSpec(
    0x1, None, "Family, model, stepping and feature flags", "SDM/APM; arch/x86/include/asm/cpufeatures.h words 0 and 4",
    ints(
        "eax",
        (0, 3, "stepping", "stepping id"),
        (4, 7, "model", "model"),
        (8, 11, "family", "family"),
        (12, 13, "type", "processor type"),
        (16, 19, "ext_model", "extended model"),
        (20, 27, "ext_family", "extended family"),
    )
    + ints(
        "ebx",
        (0, 7, "brand_index", "brand index"),
        (8, 15, "clflush_size", "CLFLUSH line size / 8"),
        (16, 23, "max_logical_cpus", "logical processors per package"),
        (24, 31, "initial_apic_id", "initial APIC id"),
    )
    + flags("ecx", {
        0: ("XMM3", "SSE3 (pni)"), 1: "PCLMULQDQ", 2: "DTES64", 3: ("MWAIT", "MONITOR/MWAIT"),
        4: "DSCPL", 5: "VMX", 6: "SMX", 7: "EST", 8: "TM2", 9: "SSSE3", 10: "CID", 11: "SDBG",
        12: "FMA", 13: "CX16", 14: "XTPR", 15: "PDCM", 17: "PCID", 18: "DCA", 19: ("XMM4_1", "SSE4.1"),
        20: ("XMM4_2", "SSE4.2"), 21: "X2APIC", 22: "MOVBE", 23: "POPCNT", 24: "TSC_DEADLINE_TIMER",
        25: "AES", 26: "XSAVE", 27: "OSXSAVE", 28: "AVX", 29: "F16C", 30: "RDRAND",
        31: ("HYPERVISOR", "running on a hypervisor (guest status)"),
    })
    + flags("edx", {
        0: "FPU", 1: "VME", 2: "DE", 3: "PSE", 4: "TSC", 5: "MSR", 6: "PAE", 7: "MCE", 8: "CX8",
        9: "APIC", 11: "SEP", 12: "MTRR", 13: "PGE", 14: "MCA", 15: "CMOV", 16: "PAT", 17: "PSE36",
        18: "PN", 19: "CLFLUSH", 21: "DS", 22: "ACPI", 23: "MMX", 24: "FXSR", 25: ("XMM", "SSE"),
        26: ("XMM2", "SSE2"), 27: "SELFSNOOP", 28: "HT", 29: "ACC", 30: "IA64", 31: "PBE",
    }),
)

L7 = LeafSpec(
    0x7, 0, "Structured extended feature flags", "SDM; arch/x86/include/asm/cpufeatures.h words 9, 16, 18",
    ints("eax", (0, 31, "max_subleaf", "largest subleaf of leaf 7"))
    + flags("ebx", {
        0: "FSGSBASE", 1: "TSC_ADJUST", 2: "SGX", 3: "BMI1", 4: "HLE", 5: "AVX2",
        6: "FDP_EXCPTN_ONLY", 7: "SMEP", 8: "BMI2", 9: "ERMS", 10: "INVPCID", 11: "RTM", 12: "CQM",
        13: "ZERO_FCS_FDS", 14: "MPX", 15: "RDT_A", 16: "AVX512F", 17: "AVX512DQ", 18: "RDSEED",
        19: "ADX", 20: "SMAP", 21: "AVX512IFMA", 23: "CLFLUSHOPT", 24: "CLWB", 25: "INTEL_PT",
        26: "AVX512PF", 27: "AVX512ER", 28: "AVX512CD", 29: "SHA_NI", 30: "AVX512BW", 31: "AVX512VL",
    })
    + flags("ecx", {
        1: "AVX512VBMI", 2: "UMIP", 3: "PKU", 4: "OSPKE", 5: "WAITPKG", 6: "AVX512_VBMI2",
        7: "SHSTK", 8: "GFNI", 9: "VAES", 10: "VPCLMULQDQ", 11: "AVX512_VNNI", 12: "AVX512_BITALG",
        13: "TME", 14: "AVX512_VPOPCNTDQ", 16: "LA57", 22: "RDPID", 24: "BUS_LOCK_DETECT",
        25: "CLDEMOTE", 27: "MOVDIRI", 28: "MOVDIR64B", 29: "ENQCMD", 30: "SGX_LC",
    })
    + flags("edx", {
        2: "AVX512_4VNNIW", 3: "AVX512_4FMAPS", 4: "FSRM", 8: "AVX512_VP2INTERSECT", 10: "MD_CLEAR",
        14: "SERIALIZE", 15: "HYBRID_CPU", 16: "TSXLDTRK", 18: "PCONFIG", 19: "ARCH_LBR", 20: "IBT",
        22: "AMX_BF16", 23: "AVX512_FP16", 24: "AMX_TILE", 25: "AMX_INT8", 26: "SPEC_CTRL",
        27: "INTEL_STIBP", 28: "FLUSH_L1D", 29: "ARCH_CAPABILITIES", 30: "CORE_CAPABILITIES",
        31: "SPEC_CTRL_SSBD",
    }),
)

L21 = LeafSpec(
    0x21, 0, "Intel TDX guest identification", "arch/x86/coco/tdx/tdx.c: tdx_early_init() (TDX_CPUID_LEAF_ID, TDX_IDENT)",
    ints("eax", (0, 31, "max_subleaf", "")),
    text=("ebx", "edx", "ecx"),
)

L80000000 = LeafSpec(
    0x80000000, None, "Largest extended leaf and vendor", "SDM/APM",
    ints("eax", (0, 31, "max_extended_leaf", "largest extended function")),
    text=("ebx", "edx", "ecx"),
)

L8000001F = LeafSpec(
    0x8000001F, None, "AMD encrypted memory capabilities (SME/SEV)",
    "AMD APM vol. 3 E.4.17; arch/x86/include/asm/cpufeatures.h word 19; arch/x86/boot/startup/sme.c",
    flags("eax", {
        0: ("SME", "Secure Memory Encryption"), 1: ("SEV", "Secure Encrypted Virtualization"),
        2: ("VM_PAGE_FLUSH", "VM Page Flush MSR"), 3: ("SEV_ES", "SEV Encrypted State"),
        4: ("SEV_SNP", "SEV Secure Nested Paging"), 5: ("VMPL", "VM Permission Levels"),
        6: ("RMPQUERY", "RMPQUERY instruction"), 7: ("VMPL_SSS", "VMPL supervisor shadow stack"),
        8: ("SECURE_TSC", "Secure TSC"), 9: ("V_TSC_AUX", "virtual TSC_AUX"),
        10: ("SME_COHERENT", "hardware-enforced cache coherency"), 11: ("HOST_64BIT", "64-bit host required"),
        12: ("RESTRICTED_INJECTION", ""), 13: ("ALTERNATE_INJECTION", ""), 14: ("DEBUG_SWAP", ""),
        15: ("PREVENT_HOST_IBS", ""), 16: ("VTE", "virtual transparent encryption"),
        17: ("VMGEXIT_PARAMETER", ""), 18: ("VIRTUAL_TOM_MSR", ""), 19: ("IBS_VIRT", ""),
        21: ("RMPREAD", ""), 23: ("SEGMENTED_RMP", ""), 24: ("VMSA_REG_PROT", "VMSA register protection"),
        26: ("SECURE_AVIC", ""), 27: ("ALLOWED_SEV_FEATURES", ""),
        28: ("SVSM", "SVSM present (set by Linux/COCONUT in the SNP CPUID table)"),
        30: ("HV_INUSE_WR_ALLOWED", ""), 31: ("IBPB_ON_ENTRY", ""),
    })
    + ints(
        "ebx",
        (0, 5, "cbit_position", "C-bit position (me_mask = 1 << cbit)"),
        (6, 11, "phys_addr_reduction", "physical address bit reduction"),
        (12, 15, "num_vmpls", "number of VMPLs"),
    )
    + flags("ebx", {31: ("COHERENCY_SFW_NO", "no software coherency flush needed (sev_snp_needs_sfw = !bit31)")})
    + ints("ecx", (0, 31, "max_encrypted_guests", "number of encrypted guests supported"))
    + ints("edx", (0, 31, "min_sev_asid", "minimum ASID of a SEV-enabled, SEV-ES-disabled guest")),
)

STANDARD = (L0, L1, L7, L21, L80000000, L8000001F)

# --- Hypervisor vendor leaves -------------------------------------------------------------------

HV_BASE = LeafSpec(
    0x0, None, "Hypervisor vendor and largest hypervisor leaf",
    "arch/x86/include/asm/processor.h: hypervisor_cpuid_base()",
    ints("eax", (0, 31, "max_hypervisor_leaf", "largest leaf of this hypervisor's range")),
    text=("ebx", "ecx", "edx"),
)



class HvIsolationType(IntEnum):
    """enum hv_isolation_type (include/hyperv/hvgdk_mini.h): 0x4000000c.ebx[3:0]."""

    NONE = 0
    VBS = 1
    SNP = 2
    TDX = 3

    @property
    def isolation(self) -> str:
        """The isolation word pvenum reports for this type."""
        return ("none", "vbs", "sev-snp", "tdx")[self]


_HV_ISOLATION_TYPES = {t.value: f"HV_ISOLATION_TYPE_{t.name}" for t in HvIsolationType}

HYPERV = (
    HV_BASE,
    LeafSpec(0x1, None, "Hyper-V interface signature", "include/hyperv/hvgdk_mini.h HYPERV_CPUID_INTERFACE",
             ints("eax", (0, 31, "interface", "'Hv#1' = 0x31237648")), text=("eax",)),
    LeafSpec(0x2, None, "Hyper-V version", "include/hyperv/hvgdk_mini.h HYPERV_CPUID_VERSION (hv_hypervisor_version_info)",
             ints("eax", (0, 31, "build_number", ""))
             + ints("ebx", (0, 15, "minor_version", ""), (16, 31, "major_version", ""))
             + ints("ecx", (0, 31, "service_pack", ""))
             + ints("edx", (0, 23, "service_number", ""), (24, 31, "service_branch", ""))),
    LeafSpec(0x3, None, "Hyper-V features and partition privileges",
             "include/hyperv/hvgdk_mini.h HYPERV_CPUID_FEATURES; arch/x86/kernel/cpu/mshyperv.c: ms_hyperv_init_platform()",
             flags("eax", {
                 0: "HV_MSR_VP_RUNTIME_AVAILABLE", 1: "HV_MSR_TIME_REF_COUNT_AVAILABLE",
                 2: "HV_MSR_SYNIC_AVAILABLE", 3: "HV_MSR_SYNTIMER_AVAILABLE",
                 4: "HV_MSR_APIC_ACCESS_AVAILABLE", 5: "HV_MSR_HYPERCALL_AVAILABLE",
                 6: "HV_MSR_VP_INDEX_AVAILABLE", 7: "HV_MSR_RESET_AVAILABLE",
                 8: "HV_MSR_STAT_PAGES_AVAILABLE", 9: "HV_MSR_REFERENCE_TSC_AVAILABLE",
                 10: "HV_MSR_GUEST_IDLE_AVAILABLE", 11: "HV_ACCESS_FREQUENCY_MSRS",
                 12: ("HV_ACCESS_DEBUG_MSRS", "debug MSRs (OpenVMM hvdef)"), 13: "HV_ACCESS_REENLIGHTENMENT",
                 14: ("HV_ACCESS_ROOT_SCHEDULER_MSR", "root scheduler MSR (OpenVMM hvdef)"), 15: "HV_ACCESS_TSC_INVARIANT",
             })
             + flags("ebx", {
                 0: "HV_CREATE_PARTITIONS", 1: "HV_ACCESS_PARTITION_ID", 2: "HV_ACCESS_MEMORY_POOL",
                 3: "HV_ADJUST_MESSAGE_BUFFERS", 4: "HV_POST_MESSAGES", 5: "HV_SIGNAL_EVENTS",
                 6: "HV_CREATE_PORT", 7: "HV_CONNECT_PORT", 8: "HV_ACCESS_STATS", 11: "HV_DEBUGGING",
                 12: ("HV_CPU_MANAGEMENT", "root partition (ignored when HV_ISOLATION is set)"),
                 13: "HV_CONFIGURE_PROFILER", 14: "HV_VP_EXIT_TRACING", 15: "HV_EXTENDED_GVA_RANGES_FLUSH",
                 16: "HV_ACCESS_VSM", 17: "HV_ACCESS_VP_REGISTERS", 19: "HV_FAST_HYPERCALL_OUTPUT",
                 20: "HV_ENABLE_EXTENDED_HYPERCALLS", 21: "HV_START_VIRTUAL_PROCESSOR",
                 22: ("HV_ISOLATION", "isolated partition: leaf 0x4000000C is valid"),
             })
             + flags("ecx", {9: "HV_VP_DISPATCH_INTERRUPT_INJECTION", 10: "HV_VP_GHCB_ROOT_MAPPING"})
             + flags("edx", {
                 0: "HV_X64_MWAIT_AVAILABLE", 1: "HV_X64_GUEST_DEBUGGING_AVAILABLE",
                 2: "HV_X64_PERF_MONITOR_AVAILABLE", 3: "HV_X64_CPU_DYNAMIC_PARTITIONING_AVAILABLE",
                 4: "HV_X64_HYPERCALL_XMM_INPUT_AVAILABLE", 5: "HV_X64_GUEST_IDLE_STATE_AVAILABLE",
                 8: "HV_FEATURE_FREQUENCY_MSRS_AVAILABLE", 10: "HV_FEATURE_GUEST_CRASH_MSR_AVAILABLE",
                 11: "HV_FEATURE_DEBUG_MSRS_AVAILABLE", 14: "HV_FEATURE_EXT_GVA_RANGES_FLUSH",
                 15: "HV_X64_HYPERCALL_XMM_OUTPUT_AVAILABLE", 19: "HV_STIMER_DIRECT_MODE_AVAILABLE",
             })),
    LeafSpec(0x4, None, "Hyper-V enlightenment recommendations",
             "include/hyperv/hvgdk_mini.h HYPERV_CPUID_ENLIGHTMENT_INFO",
             flags("eax", {
                 0: "HV_X64_AS_SWITCH_RECOMMENDED", 1: "HV_X64_LOCAL_TLB_FLUSH_RECOMMENDED",
                 2: "HV_X64_REMOTE_TLB_FLUSH_RECOMMENDED", 3: "HV_X64_APIC_ACCESS_RECOMMENDED",
                 4: "HV_X64_SYSTEM_RESET_RECOMMENDED", 5: "HV_X64_RELAXED_TIMING_RECOMMENDED",
                 9: "HV_DEPRECATING_AEOI_RECOMMENDED", 10: "HV_X64_CLUSTER_IPI_RECOMMENDED",
                 11: "HV_X64_EX_PROCESSOR_MASKS_RECOMMENDED", 12: "HV_X64_HYPERV_NESTED",
                 14: "HV_X64_ENLIGHTENED_VMCS_RECOMMENDED", 21: "HV_X64_USE_MMIO_HYPERCALLS",
             })
             + ints("ebx", (0, 31, "spinlock_retries", "recommended spinlock failure retries"))
             + ints("ecx", (0, 6, "implemented_pa_bits", "implemented physical address bits (OpenVMM hvdef)"))),
    LeafSpec(0x5, None, "Hyper-V implementation limits", "include/hyperv/hvgdk_mini.h HYPERV_CPUID_IMPLEMENT_LIMITS",
             ints("eax", (0, 31, "max_virtual_processors", ""))
             + ints("ebx", (0, 31, "max_logical_processors", ""))),
    LeafSpec(0x6, None, "Hyper-V hardware features in use", "Hyper-V TLFS HYPERV_CPUID_HARDWARE_FEATURES",
             ints("eax", (0, 31, "hardware_features", "bitmap (TLFS); used by OpenHCL isolated leaves"))),
    LeafSpec(0xC, None, "Hyper-V isolation configuration",
             "include/hyperv/hvgdk_mini.h HYPERV_CPUID_ISOLATION_CONFIG; arch/x86/kernel/cpu/mshyperv.c: ms_hyperv_init_platform()",
             flags("eax", {0: ("HV_PARAVISOR_PRESENT", "a paravisor runs in this partition")})
             + ints(
                 "ebx",
                 (0, 3, "HV_ISOLATION_TYPE", "isolation type", _HV_ISOLATION_TYPES),
                 (5, 5, "HV_SHARED_GPA_BOUNDARY_ACTIVE", "shared GPA boundary (vTOM) active"),
                 (6, 11, "HV_SHARED_GPA_BOUNDARY_BITS", "shared GPA boundary = 1 << bits"),
             )),
    LeafSpec(0x82, None, "Hyper-V virtualization stack properties",
             "include/hyperv/hvgdk_mini.h HYPERV_CPUID_VIRT_STACK_PROPERTIES",
             flags("eax", {3: ("HYPERV_VS_PROPERTIES_EAX_CONFIDENTIAL_VMBUS_AVAILABLE", "confidential VMBus")})),
)

KVM = (
    HV_BASE,
    LeafSpec(0x1, None, "KVM paravirtual features", "arch/x86/include/uapi/asm/kvm_para.h KVM_CPUID_FEATURES",
             flags("eax", {
                 0: "KVM_FEATURE_CLOCKSOURCE", 1: "KVM_FEATURE_NOP_IO_DELAY", 2: "KVM_FEATURE_MMU_OP",
                 3: "KVM_FEATURE_CLOCKSOURCE2", 4: "KVM_FEATURE_ASYNC_PF", 5: "KVM_FEATURE_STEAL_TIME",
                 6: "KVM_FEATURE_PV_EOI", 7: "KVM_FEATURE_PV_UNHALT", 9: "KVM_FEATURE_PV_TLB_FLUSH",
                 10: "KVM_FEATURE_ASYNC_PF_VMEXIT", 11: "KVM_FEATURE_PV_SEND_IPI",
                 12: "KVM_FEATURE_POLL_CONTROL", 13: "KVM_FEATURE_PV_SCHED_YIELD",
                 14: "KVM_FEATURE_ASYNC_PF_INT", 15: "KVM_FEATURE_MSI_EXT_DEST_ID",
                 16: ("KVM_FEATURE_HC_MAP_GPA_RANGE", "SEV page encryption status hypercall"),
                 17: "KVM_FEATURE_MIGRATION_CONTROL", 24: "KVM_FEATURE_CLOCKSOURCE_STABLE_BIT",
             })
             + flags("edx", {0: "KVM_HINTS_REALTIME"})),
)

GENERIC_HV = (HV_BASE,)

# Vendor signatures at a hypervisor base (12 bytes read ebx, ecx, edx). Sources:
# include/hyperv/hvgdk_mini.h, arch/x86/include/uapi/asm/kvm_para.h (KVM_SIGNATURE),
# systemd src/basic/virt.c detect_vm_cpuid() table, arch/x86/kernel/jailhouse.c.
HV_SIGNATURES: dict[str, str] = {
    "Microsoft Hv": "hyperv",
    KVM_SIGNATURE: "kvm",
    "Linux KVM Hv": "kvm",  # KVM exposing Hyper-V enlightenments
    XEN_SIGNATURE: "xen",
    "VMwareVMware": "vmware",
    "TCGTCGTCGTCG": "tcg",
    "ACRNACRNACRN": "acrn",
    "bhyve bhyve ": "bhyve",
    "Jailhouse\0\0\0": "jailhouse",
}
# QNX's signature is matched on 10 characters by systemd ("QNXQVMBSQG").
QNX_PREFIX = "QNXQVMBSQG"


def vendor_of_signature(sig: str | None) -> str | None:
    if sig is None:
        return None
    if sig in HV_SIGNATURES:
        return HV_SIGNATURES[sig]
    if sig.startswith(QNX_PREFIX):
        return "qnx"
    return None


VENDOR_TABLES: dict[str, tuple[LeafSpec, ...]] = {"hyperv": HYPERV, "kvm": KVM}

# --- SEV_STATUS (MSR 0xC0010131) ------------------------------------------------------------------

SEV_STATUS = msr_flags(
    MSR_AMD64_SEV, "SEV_STATUS (MSR_AMD64_SEV)",
    "arch/x86/include/asm/msr-index.h MSR_AMD64_SEV_*; AMD APM vol. 2 15.34.10",
    {
        0: ("SEV_ENABLED", "SEV active"), 1: ("SEV_ES_ENABLED", "SEV-ES active"),
        2: ("SNP_ENABLED", "SEV-SNP active"), 3: ("SNP_VTOM", "virtual top of memory"),
        4: ("SNP_REFLECT_VC", "#VC reflected to the (VMPL0) paravisor"),
        5: ("SNP_RESTRICTED_INJ", "restricted injection"), 6: ("SNP_ALT_INJ", "alternate injection"),
        7: ("SNP_DEBUG_SWAP", "debug register swap"), 8: ("SNP_PREVENT_HOST_IBS", ""),
        9: ("SNP_BTB_ISOLATION", ""), 10: ("SNP_VMPL_SSS", "VMPL supervisor shadow stack"),
        11: ("SNP_SECURE_TSC", ""), 12: ("SNP_VMGEXIT_PARAM", ""), 13: ("SNP_RESERVED_BIT13", "reserved"),
        14: ("SNP_IBS_VIRT", ""), 15: ("SNP_RESERVED_BIT15", "reserved"), 16: ("SNP_VMSA_REG_PROT", ""),
        17: ("SNP_SMT_PROT", ""), 18: ("SNP_SECURE_AVIC", ""), 23: ("SNP_IBPB_ON_ENTRY", ""),
    },
)

# --- SYSCFG and HWCR (MSRs 0xC0010010, 0xC0010015): what early_detect_mem_encrypt() reads ---------

SYSCFG = msr_flags(
    MSR_AMD64_SYSCFG, "SYSCFG (MSR_AMD64_SYSCFG)",
    "arch/x86/include/asm/msr-index.h MSR_AMD64_SYSCFG_*; AMD APM vol. 2, System Configuration Register",
    {19: ("MFDM", "memory fault detection mode"), 23: ("MEM_ENCRYPT", "memory encryption enabled (SME/SEV)"),
     24: ("SNP_EN", "SNP enabled"), 25: ("SNP_VMPL_EN", "VMPLs enabled")},
)

HWCR = msr_flags(
    MSR_K7_HWCR, "HWCR (MSR_K7_HWCR)",
    "arch/x86/include/asm/msr-index.h MSR_K7_HWCR_*; AMD APM vol. 2, Hardware Configuration Register",
    {0: ("SMMLOCK", "SMM code lock"), 25: ("CPB_DIS", "core performance boost disabled"),
     30: ("IRPERF_EN", "instructions retired counter enabled"), 35: ("CPUID_USER_DIS", "CPUID disabled at CPL > 0")},
)

# --- RMP_BASE and RMP_END (MSRs 0xC0010132, 0xC0010133): a host's RMP table, which
# snp_probe_rmptable_info() needs non-zero under RMP_ADDR_MASK, GENMASK_ULL(51, 13)
# (arch/x86/virt/svm/sev.c, read in Linux 7.2.8) before bsp_determine_snp() keeps SEV_SNP ---------


def _rmp_bound(index: int, name: str, what: str) -> LeafSpec:
    return LeafSpec(index, None, f"{name} (MSR_AMD64_{name})",
                    "arch/x86/include/asm/msr-index.h MSR_AMD64_RMP_BASE/END; arch/x86/virt/svm/sev.c RMP_ADDR_MASK",
                    ints("msr", (13, 51, "RMP_ADDR", f"{what} of the RMP table, in 8 KiB units (RMP_ADDR_MASK)")))


RMP_BASE = _rmp_bound(MSR_AMD64_RMP_BASE, "RMP_BASE", "first byte")
RMP_END = _rmp_bound(MSR_AMD64_RMP_END, "RMP_END", "last byte")

MSRS: dict[int, LeafSpec] = {spec.leaf: spec for spec in (SEV_STATUS, SYSCFG, HWCR, RMP_BASE, RMP_END)}

# struct kvm_cpuid_entry2's flags word (torvalds/linux include/uapi/linux/kvm.h, arch/x86): KVM
# reads ECX for an entry only with SIGNIFCANT_INDEX (arch/x86/kvm/cpuid.c: kvm_find_cpuid_entry2(),
# cpuid_entry2_find() before it, read in Linux 7.2.8); the other two are deprecated (Documentation/virt/kvm/api.rst, KVM_GET_SUPPORTED_CPUID).
KVM_CPUID_ENTRY_FLAGS = flags("flags", {0: "SIGNIFCANT_INDEX", 1: "STATEFUL_FUNC", 2: "STATE_READ_NEXT"})

HV_BASE_LEAF = 0x40000000  # Hyper-V's leaves sit at the first hypervisor base


def declared(leaf: int, name: str) -> Field:
    """The field ``name`` of absolute CPUID ``leaf`` (Hyper-V's leaves at 0x40000000 + n, KVM's
    after them) or of MSR ``leaf`` — the one declaration rules, evidence and builders read."""
    if leaf in MSRS:
        return MSRS[leaf].field(name)
    for spec in STANDARD:
        if spec.leaf == leaf:
            return spec.field(name)
    if HV_BASE_LEAF <= leaf <= HV_BASE_LEAF + 0xFF:
        for table in (HYPERV, KVM):
            for spec in table:
                if spec.leaf == leaf - HV_BASE_LEAF:
                    try:
                        return spec.field(name)
                    except KeyError:
                        pass
    raise KeyError(f"no declaration of field {name!r} in leaf/MSR 0x{leaf:x}")


def spec_for(leaf: int, subleaf: int, vendors: Mapping[int, str],
             more: Mapping[str, tuple[LeafSpec, ...]] | None = None) -> LeafSpec | None:
    """The declaration that decodes ``leaf.subleaf``, given the hypervisor bases found;
    ``more``: vendor -> leaf table for blocks declared elsewhere (``paravisor-services``)."""
    for spec in STANDARD:
        if spec.leaf == leaf and (spec.subleaf is None or spec.subleaf == subleaf):
            return spec
    if 0x40000000 <= leaf <= 0x4FFFFFFF:
        base = leaf & ~0xFF
        vendor = vendors.get(base)
        if vendor is None:
            return None
        # A block declared outside this module (the draft record's, with its encoding) comes
        # from the caller, so that this module imports no encoding that imports it.
        table = (more or {}).get(vendor) or VENDOR_TABLES.get(vendor, GENERIC_HV)
        for spec in table:
            if spec.leaf == leaf - base:
                return spec
    return None
