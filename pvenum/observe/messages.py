"""The kernel messages and report lines pvenum.observe reads, as data: pattern -> fact.

Each entry names the upstream source that prints the line (repository, path, function) and
the releases whose format strings were read: the Debian kernels kernelcheck boots
(linux 6.1.176 and 6.12.117, format strings read from their vmlinux images) and mainline
(torvalds/linux, for lines newer than 6.12). Console lines carry an optional printk
timestamp ("[    0.000000] ") and, from /dev/kmsg or `dmesg -r`, a "<N>" level prefix; both
are stripped before matching.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..cpuid.leaves import HV_BASE_LEAF, HvIsolationType, declared

L = "torvalds/linux "
READ = " (format read in Debian linux 6.1.176 and 6.12.117)"
READ_612 = " (format read in Debian linux 6.12.117; absent from 6.1.176)"
READ_MAINLINE = " (mainline; not in Debian 6.1.176 or 6.12.117)"


@dataclass(frozen=True)
class Message:
    fact: str  # the Facts field it fills (reader.py)
    pattern: re.Pattern[str]
    cite: str


def _m(fact: str, pattern: str, cite: str) -> Message:
    return Message(fact, re.compile(pattern), cite)


# Kernel lines. Order matters only for facts that may match twice (the first match wins).
MESSAGES: tuple[Message, ...] = (
    _m("release", r"^Linux version (\S+)",
       L + "init/version-timestamp.c: linux_banner (printed by start_kernel())" + READ),
    _m("hypervisor", r"^Hypervisor detected: (.+?)\s*$",
       L + "arch/x86/kernel/cpu/hypervisor.c: detect_hypervisor_vendor()" + READ),
    _m("hv_isolation", r"^Hyper-V: Isolation Config: Group A (0x[0-9a-f]+), Group B (0x[0-9a-f]+)",
       L + "arch/x86/kernel/cpu/mshyperv.c: ms_hyperv_init_platform()" + READ),
    _m("hv_privilege", r"^Hyper-V: privilege flags low (0x[0-9a-f]+), high (0x[0-9a-f]+)",
       L + "arch/x86/kernel/cpu/mshyperv.c: ms_hyperv_init_platform(); arch/arm64/hyperv/mshyperv.c: "
       "hyperv_init()" + READ),
    _m("mem_encrypt", r"^(?:AMD )?Memory Encryption Features active:\s*(.*?)\s*$",
       L + "arch/x86/mm/mem_encrypt.c: print_mem_encrypt_feature_info()" + READ +
       "; before 5.19 it printed \"AMD Memory Encryption Features active:\" and the SEV words alone"),
    _m("sev_status", r"^SEV: Status:\s*(.*?)\s*$",
       L + "arch/x86/coco/sev/core.c: sev_show_status()" + READ_612),
    _m("tdx_guest", r"^tdx: Guest detected",
       L + "arch/x86/coco/tdx/tdx.c: tdx_early_init()"
       " (format read in Debian linux 6.12.117; Debian 6.1.176 is built without CONFIG_INTEL_TDX_GUEST)"),
    _m("rsi", r"^RME: Using RSI version (\d+)\.(\d+)",
       L + "arch/arm64/kernel/rsi.c: rsi_version_matches()" + READ_MAINLINE),
    _m("kvm_services", r"^smccc: KVM: hypervisor services detected",
       L + "drivers/firmware/smccc/kvm_guest.c: kvm_init_hyp_services()" + READ),
    _m("xen_found", r"^Xen (\S+) support found",
       L + "arch/arm/xen/enlighten.c: xen_guest_init()" + READ),
    _m("psci_version", r"^psci: PSCIv(\d+)\.(\d+) detected in firmware",
       L + "drivers/firmware/psci/psci.c: psci_0_2_init()" + READ),
    # psci_init_smccc() prints PSCI_VERSION_MAJOR/MINOR(ver) with %d: 16-bit fields, at most 5 digits;
    # unbounded digits would reach int()'s 4300-digit limit (ValueError) in reader._hypervisor.
    _m("smccc_version", r"^psci: SMC Calling Convention v([0-9]{1,5})\.([0-9]{1,5})",
       L + "drivers/firmware/psci/psci.c: psci_init_smccc()" + READ),
    _m("brought_up", r"^smp: Brought up (\d+) nodes?, (\d+) CPUs?",
       L + "kernel/smp.c: smp_init()" + READ),
    _m("panic", r"^Kernel panic - not syncing: (.*?)\s*$",
       L + "kernel/panic.c: panic()" + READ),
    _m("cannot_accept", r"Cannot accept memory: (.*?)\s*$",
       L + "arch/x86/include/asm/unaccepted_memory.h: arch_accept_memory()" + READ_612),
)

# Report lines: written by the kernelcheck init (kernelcheck/init.sh) on the console and by
# `pvenum snapshot` (pvenum/observe/live.py) into kernel.log, in the same format.
REPORT_PREFIX = "pvenum-observe: "

# /proc/cpuinfo flag names that bear on what the guest runs in (arch/x86/include/asm/cpufeatures.h:
# X86_FEATURE_HYPERVISOR "hypervisor", X86_FEATURE_SEV "sev", X86_FEATURE_SEV_ES "sev_es",
# X86_FEATURE_SEV_SNP "sev_snp" (6.9+), X86_FEATURE_TDX_GUEST "tdx_guest", X86_FEATURE_SVSM "svsm"
# (6.11+)). tdx_guest and svsm are the kernel's own; sev, sev_es and sev_snp are CPUID's, which on
# an AMD CPU are kept only when SYSCFG.MEM_ENCRYPT and HWCR.SMMLOCK read set (arch/x86/kernel/cpu/
# amd.c early_detect_mem_encrypt()); KVM answers 0 for both (arch/x86/kvm/x86.c), so by the source
# a KVM SEV guest shows none of them.
CPUINFO_FLAGS = ("hypervisor", "sev", "sev_es", "sev_snp", "tdx_guest", "svsm")
CPUINFO_CITE = L + "arch/x86/include/asm/cpufeatures.h (flag names shown in /proc/cpuinfo)"

# Device nodes and sysfs entries that show which services bound, and the driver that makes each.
SERVICE_PATHS: dict[str, tuple[str, str, str]] = {
    # path: (service, via, cite)
    "/dev/sev-guest": ("attestation", "sev-guest (/dev/sev-guest)",
                       L + "drivers/virt/coco/sev-guest/sev-guest.c: sev_guest_probe()"),
    "/dev/tdx_guest": ("attestation", "tdx-guest (/dev/tdx_guest)",
                       L + "drivers/virt/coco/tdx-guest/tdx-guest.c: tdx_guest_init()"),
    "/sys/devices/platform/arm-cca-dev": ("attestation", "arm-cca-guest (arm-cca-dev)",
                                          L + "arch/arm64/kernel/rsi.c: arm64_create_dummy_rsi_dev()"),
    "/sys/kernel/config/tsm/report": ("attestation", "configfs-tsm (/sys/kernel/config/tsm/report)",
                                      L + "drivers/virt/coco/tsm.c: tsm_init() (configfs-tsm)"),
    "/dev/tpm0": ("vtpm", "tpm (/dev/tpm0)", L + "drivers/char/tpm/tpm-chip.c: tpm_add_char_device()"),
}
OTHER_PATHS = ("/dev/tpmrm0", "/sys/firmware/acpi/tables/data/CCEL", "/sys/hypervisor/type")
CHECKED_PATHS = tuple(SERVICE_PATHS) + OTHER_PATHS

# "Hypervisor detected: NAME" -> vocabulary; the names are each hypervisor_x86.name
# (arch/x86/kernel/cpu/{kvm,mshyperv,vmware,acrn,jailhouse,bhyve}.c, arch/x86/xen/enlighten_{hvm,pv}.c).
X86_HYPERVISOR_NAMES = {
    "KVM": "kvm",
    "Microsoft Hyper-V": "hyperv",
    "Xen HVM": "xen",
    "Xen PV": "xen",
    "VMware": "vmware",
    "ACRN": "acrn",
    "Jailhouse": "jailhouse",
    "Bhyve": "bhyve",
}

# Hyper-V isolation type, Group B bits [3:0] (include/hyperv/hvgdk_mini.h: HV_ISOLATION_TYPE_*).
HV_ISOLATION_TYPES = {t.value: t.isolation for t in HvIsolationType}
# Group A bit 0 (hvgdk_mini.h: union hv_isolation_config_a paravisor_present), as leaves.py declares it.
HV_PARAVISOR_PRESENT = declared(HV_BASE_LEAF + 0xC, "HV_PARAVISOR_PRESENT").mask
