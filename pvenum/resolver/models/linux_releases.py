"""Which Linux release the ``linux`` model mirrors, where each modelled behaviour changed, and
which kernel configuration it assumes.

``linux`` is the newest mainline tree read (mid-2026, checked against Debian's linux 7.2.8 source
package); ``linux@6.1``, ``linux@6.6``, ``linux@6.12`` and ``linux@7.2`` are those releases. A rule asks
:func:`has` whether its behaviour exists in the release being mirrored; every change is one row
of :data:`CHANGES`, naming the release that merged it and the upstream commit subject (or the
file that shows it), and what the older kernel does instead. Rows were checked against Debian's
linux 6.1.176-1 (bookworm), 6.12.107-1 (trixie) and 7.2.8-1 (sid) source packages; the merge
release of a change newer than 6.12 comes from the pull request that carried it
(docs/linux-releases.md), and the trees of 6.17, 6.18, 6.19 and 7.1 (:data:`CHECKED_TREES`)
bracket it: `make citecheck` looks for each row's marker in all seven. Every Kconfig option a
modelled behaviour needs is one row of :data:`KCONFIG`, read through :func:`note_config`.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, NamedTuple

from ...errors import PvenumError

if TYPE_CHECKING:  # pragma: no cover
    from ...kconfig import KernelConfig
    from ..engine import Ctx, State


class Release(NamedTuple):  # ordered and hashed as (major, minor)
    major: int
    minor: int

    @property
    def mainline(self) -> bool:
        return self == MAINLINE

    @property
    def tag(self) -> str:
        return "mainline" if self.mainline else f"v{self.major}.{self.minor}"

    def __str__(self) -> str:
        return self.tag


MAINLINE = Release(999, 0)  # sorts after every numbered release
# Releases the model knows, and the source tree read for each.
RELEASES = {
    "6.1": (Release(6, 1), "Debian linux 6.1.176-1 (bookworm) source package"),
    "6.6": (Release(6, 6), "torvalds/linux v6.6 (the commits below, by the release that merged them)"),
    "6.12": (Release(6, 12), "Debian linux 6.12.107-1 (trixie) source package"),
    "7.2": (Release(7, 2), "Debian linux 7.2.8-1 (sid) source package; the differences still open are listed "
            "in docs/linux-releases.md"),
    "mainline": (MAINLINE, "torvalds/linux mainline (mid-2026 tree, checked against Debian linux 7.2.8-1)"),
}


def parse_release(text: str | None) -> Release:
    """``None``/"mainline"/"" -> mainline; "6.1", "6.6", "6.12", "7.2" -> that release. Another
    "X.Y" from 6.1 on is accepted too: each behaviour is then placed by the release that merged
    it (see :func:`read_from`)."""
    if text in (None, "", "mainline"):
        return MAINLINE
    if text in RELEASES:
        return RELEASES[text][0]
    m = re.fullmatch(r"(\d{1,2})\.(\d{1,3})", text or "")
    if not m or (int(m.group(1)), int(m.group(2))) < (6, 1):
        raise PvenumError(f"unknown Linux release {text!r}; known: {', '.join(RELEASES)} "
                          "(or another X.Y from 6.1 on)")
    return Release(int(m.group(1)), int(m.group(2)))


# Releases whose source tree checks the model without having been read rule by rule: every
# citation as that release names it, and every CHANGES row's marker (`make citecheck`).
CHECKED_TREES = {
    Release(6, 17): "Debian linux 6.17.8-1~bpo13+1 (trixie-backports)",
    Release(6, 18): "Debian linux 6.18.15-1~bpo13+1 (trixie-backports)",
    Release(6, 19): "Debian linux 6.19.11-1~bpo13+1 (trixie-backports)",
    Release(7, 1): "Debian linux 7.1.13-1~bpo13+1 (trixie-backports)",
}


def read_from(release: Release) -> str:
    known = next((src for r, src in RELEASES.values() if r == release), None)
    if known:
        return known
    checked = CHECKED_TREES.get(release)
    if checked:
        return (f"each behaviour placed by the release that merged it; its citations and every change's "
                f"marker checked in the {checked} orig tarball")
    return "not read as a tree: each behaviour placed by the release that merged it"


class Change(NamedTuple):
    since: Release
    commit: str  # the upstream commit subject (or the file/function that shows the change)
    before: str  # what a kernel before ``since`` does instead

    def text(self) -> str:
        return f"since {self.since.tag}: {self.commit}"


_R = Release
CHANGES: dict[str, Change] = {
    "snp-feature-check": Change(
        _R(6, 1), "x86/sev: Add SEV-SNP guest feature negotiation support (v6.2, in Debian's 6.1.176 via 6.1.y stable)",
        "no check of SEV_STATUS features"),
    "efi-stub-snp-check": Change(
        _R(6, 1), "x86/efistub: Perform SNP feature test while running in the firmware (31c77a50992e; x86/boot pull "
        "for v6.6, merge bd9e99f790f2; in Debian's 6.1.176 via 6.1.y stable): efi_stub_entry() -> "
        "have_unsupported_snp_features() -> efi_exit(EFI_UNSUPPORTED)",
        "only the decompressor's snp_check_features() (a GHCB termination) refuses unsupported SNP features"),
    "snp-debug-swap": Change(
        _R(6, 6), "x86/sev: Do not handle #VC for DR7 read/write (e221804dad4e, tip x86/sev 2023-08-16; "
        "SNP_FEATURES_PRESENT gains MSR_AMD64_SNP_DEBUG_SWAP; 6.1.176 has SNP_FEATURES_PRESENT (0))",
        "DebugSwap is an unsupported SNP feature"),
    "svsm": Change(
        _R(6, 11), "x86/sev: Check for the presence of an SVSM in the SNP secrets page (svsm_setup_ca())",
        "enforce_vmpl0(): RMPADJUST fails below VMPL0 -> GHCB_TERM_NOT_VMPL0"),
    "svsm-attestation": Change(
        _R(6, 11), "x86/sev: Extend the config-fs attestation support for an SVSM", "no SVSM attestation"),
    "tpm-svsm": Change(
        _R(6, 16), "tpm: add SNP SVSM vTPM driver (v6.16; drivers/char/tpm/tpm_svsm.c absent from 6.12.107)",
        "no tpm-svsm driver"),
    "secure-tsc": Change(
        _R(6, 14), "x86/sev: Add Secure TSC support for SNP guests (v6.14; SNP_FEATURES_PRESENT gains "
        "MSR_AMD64_SNP_SECURE_TSC)", "Secure TSC is an unsupported SNP feature"),
    "secure-avic": Change(
        _R(6, 18), "x86/sev: Indicate the SEV-SNP guest supports Secure AVIC (27a17e02418e; x86/apic pull for "
        "v6.18, merge 22bdd6e68bbe; SNP_FEATURE_SECURE_AVIC, only with CONFIG_AMD_SECURE_AVIC)",
        "Secure AVIC is an unsupported SNP feature"),
    "configfs-tsm": Change(
        _R(6, 7), "configfs-tsm: Introduce a shared ABI for attestation reports", "ioctls on /dev/sev-guest only"),
    "tdx-guest-driver": Change(
        _R(6, 2), "virt: Add TDX guest driver (drivers/virt/coco/tdx-guest; absent from 6.1.176)",
        "no TDX attestation driver"),
    "tdx-sept-relax": Change(
        _R(6, 2), "x86/tdx: Relax SEPT_VE_DISABLE check for debug TD",
        "tdx_parse_tdinfo() panics \"TD misconfiguration: SEPT_VE_DISABLE attibute must be set.\" even in a debug TD"),
    "tdx-sept-flexible": Change(
        _R(6, 12), "x86/tdx: Dynamically disable SEPT violations from being #VE (TDCS_CONFIG_FLEXIBLE_PENDING_VE)",
        "the attribute alone decides"),
    "hyperv-vtom": Change(
        _R(6, 6), "x86/hyperv: Introduce a global variable hyperv_paravisor_present (v6.6; hv_vtom_init() with "
        "cc_vendor AMD and the shared GPA boundary as cc_mask came in v6.3: x86/hyperv: Change vTOM handling to use "
        "standard coco mechanisms)",
        "any Hyper-V isolation type sets cc_vendor = CC_VENDOR_HYPERV, whose only attribute is "
        "CC_ATTR_GUEST_MEM_ENCRYPT; HV_PARAVISOR_PRESENT is never read"),
    "hyperv-snp-ap": Change(
        _R(6, 6), "x86/hyperv: Add smp support for SEV-SNP guest (hv_snp_boot_ap())",
        "no Hyper-V specific AP start-up"),
    "hyperv-tdx-reduced-hw": Change(
        _R(6, 6), "x86/hyperv: Support hypercalls for fully enlightened TDX guests (reduced_hw_init() for TDX "
        "without a paravisor)", "no TDX specific Hyper-V set-up"),
    "hyperv-partition-type": Change(
        _R(6, 15), "hyperv: Change hv_root_partition into a function (db912b8954c2; Hyper-V pull for 6.15, merge "
        "a5b3d8660b04): drivers/hv/hv_common.c: hv_identify_partition_type(), root only with HV_CREATE_PARTITIONS, "
        "HV_CPU_MANAGEMENT and CONFIG_MSHV_ROOT",
        "mshyperv.c: HV_CPU_MANAGEMENT without HV_ISOLATION -> root"),
    "hyperv-l1vh": Change(
        _R(6, 18), "mshv: Add support for a new parent partition configuration (Hyper-V pull for 6.18, merge "
        "221533629550): HV_CREATE_PARTITIONS without HV_ISOLATION, then HV_CPU_MANAGEMENT -> root, otherwise L1VH",
        "HV_CREATE_PARTITIONS without HV_CPU_MANAGEMENT is a guest"),
    "confidential-vmbus": Change(
        _R(6, 19), "Drivers: hv: Support confidential VMBus channels (Hyper-V pull for 6.19, merge feb06d2690bb; "
        "HYPERV_CPUID_VIRT_STACK_PROPERTIES 0x40000082)", "no confidential VMBus"),
    "bhyve": Change(
        _R(6, 18), "x86/cpu: Detect FreeBSD Bhyve hypervisor (215596ddc33f; x86/cpu pull for v6.18, merge "
        "a65879b4584f): arch/x86/kernel/cpu/bhyve.c", "bhyve is not a hypervisor Linux detects (X86_HYPER_NATIVE)"),
    "snp-no-blob-abort": Change(
        _R(6, 13), "x86/sev: Handle failures from snp_init() (f75ff17fb48b; x86/sev pull for v6.13, merge "
        "55db8eb4565f): sme_enable() stops on snp_en ^ SEV_STATUS.SNP",
        "sme_enable() stops only on a CC blob without SEV_STATUS.SNP"),
    "snp-init-secrets": Change(
        _R(6, 13), "x86/sev: Cache the secrets page address (6068754a4fff, the commit after f75ff17fb48b in the same "
        "x86/sev pull for v6.13, merge 55db8eb4565f): snp_init() fails unless secrets_phys and secrets_len == PAGE_SIZE",
        "get_secrets_page() smoke-tests the secrets page only when sev-guest registers; snp_init() takes any CC blob"),
    "arm64-hyperv-smccc": Change(
        _R(6, 16), "arm64: hyperv: Use SMCCC to detect hypervisor presence (36ebd328a57a; Hyper-V pull for v6.16, tag "
        "hyperv-next-signed-20250602, merge c00b28502470): hyperv_init() -> hyperv_detect_via_acpi() (FADT revision "
        ">= 6) || hyperv_detect_via_smccc()",
        "hyperv_init() returns when acpi_disabled, else compares the FADT's HypervisorId with \"MsHyperV\" at any "
        "FADT revision; the SMCCC UID is never asked"),
    "smccc-hyp-uuid": Change(
        _R(6, 16), "arm64: kvm, smccc: Introduce and use API for getting hypervisor UUID (13423063c7cb; the same "
        "Hyper-V pull for v6.16, merge c00b28502470): kvm_init_hyp_services() asks arm_smccc_hypervisor_has_uuid(), "
        "which compares the low 32 bits of x0-x3 (smccc_res_to_uuid()), over the HVC conduit only until v6.17",
        "kvm_init_hyp_services() returns unless arm_smccc_1_1_get_conduit() is HVC, then compares x0-x3 whole "
        "(64 bits) with ARM_SMCCC_VENDOR_HYP_UID_KVM_REG_0..3"),
    "smccc-uid-any-conduit": Change(
        _R(6, 17), "firmware: smccc: support both conduits for getting hyp UUID (applied as 1733432638f3 to "
        "sudeep.holla/linux for-next/smccc/updates 2025-06-27, for v6.17): arm_smccc_hypervisor_has_uuid() asks "
        "over arm_smccc_1_1_invoke(), SMC or HVC",
        "arm_smccc_hypervisor_has_uuid() returns false unless the conduit is HVC (arm_smccc_1_1_hvc()): a KVM or "
        "Hyper-V UID over SMC is never asked"),
    "snp-vmpl-from-svsm": Change(
        _R(6, 18), "x86/boot: Drop redundant RMPADJUST in SEV SVSM presence check (68a501d7fd82; in the x86/apic pull "
        "for v6.18, whose tag tip 1f6113ae5ac4 is on tip's x86/sev, merge 22bdd6e68bbe): sev_enable() stops below VMPL0 "
        "only when snp_vmpl, which svsm_setup_ca() sets from a CC blob, is non-zero without GHCB_HV_FT_SNP_MULTI_VMPL",
        "RMPADJUST of the boot GHCB page fails below VMPL0: GHCB_TERM_NOT_VMPL0 unless an SVSM was set up and the "
        "hypervisor offers GHCB_HV_FT_SNP_MULTI_VMPL"),
    "mp-wakeup-offline": Change(
        _R(6, 11), "x86/acpi: Add support for CPU offlining for ACPI MADT wakeup method (madt_wakeup.c); the same TDX "
        "kexec series: x86/acpi: Do not attempt to bring up secondary CPUs in kexec case (acpi_wakeup_cpu(): mailbox "
        "address 0 -> \"No MADT mailbox\", -EOPNOTSUPP)",
        "acpi_parse_mp_wake() reads the mailbox only; no reset vector, no offlining; acpi_wakeup_cpu() uses any "
        "mailbox address, 0 included"),
    "unaccepted-memory": Change(
        _R(6, 5), "x86/tdx: Add unaccepted memory support; x86/sev: Add SNP-specific unaccepted memory support", "firmware must accept all memory before boot"),
    "cca-realm": Change(
        _R(6, 13), "arm64: rsi: Add RSI definitions; arm64: Detect if in a realm and set RIPAS RAM "
        "(arch/arm64/kernel/rsi.c; absent from 6.12.107)",
        "a realm boots as an ordinary guest: RSI is never called"),
    "pkvm-guest": Change(
        _R(6, 12), "drivers/virt/coco/pkvm-guest: Add pKVM guest services (pkvm_init_hyp_services(); "
        "absent from 6.1.176)", "no pKVM guest driver: the memory sharing services are not used"),
    "mp-wakeup": Change(
        _R(5, 16), "x86/acpi, x86/boot: Add multiprocessor wake-up support", "INIT-SIPI-SIPI only"),
    "tdx-guest": Change(_R(5, 19), "x86/tdx: Detect running as a TDX guest in early boot", "not a TDX guest"),
    "sev-snp-feature": Change(
        _R(6, 9), "x86/cpufeatures: Add SEV-SNP CPU feature (b6e0f6666f74; x86/sev pull for v6.9, merge "
        "38b334fc767e): X86_FEATURE_SEV_SNP (\"sev_snp\") from CPUID 0x8000001F EAX[4], cleared with SEV and SEV_ES "
        "by early_detect_mem_encrypt()", "bit 4 has no feature name: /proc/cpuinfo never shows sev_snp"),
    "amd-cc-vendor": Change(
        _R(6, 9), "x86/CPU/AMD: Track SNP host status with cc_platform_*() (0ecaefb303de, tip x86/urgent "
        "2024-04-04, for v6.9): bsp_init_amd() -> bsp_determine_snp() sets cc_vendor = CC_VENDOR_AMD on every "
        "AMD CPU when CONFIG_ARCH_HAS_CC_PLATFORM is set", "cc_vendor is set only by the CC set-up "
        "(sme_enable(), tdx_early_init(), Hyper-V)"),
    "sme-xloadflag": Change(
        _R(6, 9), "x86/boot: Move mem_encrypt= parsing to the decompressor (cd0d9d92c8bb, tip x86/boot "
        "2024-03-04, for v6.9; 6.6.y and 6.8.y stable took it too, 6.1.176 did not): the decompressor or EFI stub sets "
        "boot_params.hdr.xloadflags XLF_MEM_ENCRYPTION for mem_encrypt=on, and sme_enable() tests that bit",
        "sme_enable() parses mem_encrypt=on from the boot command line itself (cmdline_find_option(), "
        "arch/x86/mm/mem_encrypt_identity.c)"),
    "snp-ap-creation": Change(
        _R(5, 19), "x86/sev: Use SEV-SNP AP creation to start secondary CPUs (wakeup_cpu_via_vmgexit())",
        "INIT-SIPI-SIPI"),
}


# The Debian build the Kconfig table cites: the kernel `make kernelcheck` boots as linux@7.3.
DEBIAN_CONFIG = "7.3.4-1~bpo13+1"


class Option(NamedTuple):
    """A Kconfig option a modelled behaviour needs. Every guest option has no ``default`` line
    (n) in v7.2.8 except KVM_GUEST (``default y``): "the Kconfig default" would be a kernel with
    no confidential-VM support at all, so the model assumes a kernel built with every option a
    behaviour it mirrors needs, and says so in the evidence where the option decides."""

    where: str  # its Kconfig file in v7.2.8
    default: str  # its Kconfig default there
    debian: dict[str, str]  # Debian's DEBIAN_CONFIG build per architecture: "y", "m", "not set", "absent"


_X86 = ("amd64",)
_BOTH = ("amd64", "arm64")


def _deb(value: str, arches: tuple[str, ...] = _X86) -> dict[str, str]:
    return dict.fromkeys(arches, value)


# The model assumes every option here set ("y" or "m"); note_config() records that assumption as
# a read wherever the option decides the outcome (a platform that needs it).
KCONFIG: dict[str, Option] = {
    "AMD_MEM_ENCRYPT": Option("arch/x86/Kconfig", "n", _deb("y")),
    "AMD_SECURE_AVIC": Option("arch/x86/Kconfig", "n (depends on AMD_MEM_ENCRYPT, X86_X2APIC)", _deb("not set")),
    "SEV_GUEST": Option("drivers/virt/coco/sev-guest/Kconfig", "m (inside VIRT_DRIVERS, default n)", _deb("m")),
    "TCG_SVSM": Option("drivers/char/tpm/Kconfig", "n", _deb("not set")),
    "INTEL_TDX_GUEST": Option("arch/x86/Kconfig", "n", _deb("y")),
    "TDX_GUEST_DRIVER": Option("drivers/virt/coco/tdx-guest/Kconfig", "n", _deb("m")),
    "HYPERV": Option("drivers/hv/Kconfig", "n", _deb("y", _BOTH)),
    "MSHV_ROOT": Option("drivers/hv/Kconfig", "n", _deb("not set", _BOTH)),
    "KVM_GUEST": Option("arch/x86/Kconfig", "y", _deb("y")),
    # arch/x86/kernel/cpu/Makefile: obj-$(CONFIG_CPU_SUP_AMD) += amd.o — without it no cpu_dev
    # matches "AuthenticAMD" and bsp_init_amd() is never called.
    "CPU_SUP_AMD": Option("arch/x86/Kconfig.cpu", "y (asked only with PROCESSOR_SELECT)", _deb("y")),
    # A hidden symbol (arch/Kconfig): selected by AMD_MEM_ENCRYPT, INTEL_TDX_GUEST and the host's
    # KVM_AMD_SEV (arch/x86/kvm/Kconfig), so set in a kernel without AMD_MEM_ENCRYPT too.
    "ARCH_HAS_CC_PLATFORM": Option("arch/Kconfig", "n (selected by AMD_MEM_ENCRYPT, INTEL_TDX_GUEST, KVM_AMD_SEV)",
                                   _deb("y", _BOTH)),
    "XEN": Option("arch/x86/xen/Kconfig, arch/arm64/Kconfig", "n", _deb("y", _BOTH)),
    "JAILHOUSE_GUEST": Option("arch/x86/Kconfig", "n", _deb("not set")),
    "ACRN_GUEST": Option("arch/x86/Kconfig", "n", _deb("not set")),
    "BHYVE_GUEST": Option("arch/x86/Kconfig", "n", _deb("not set")),
    "ARM_CCA_GUEST": Option("drivers/virt/coco/arm-cca-guest/Kconfig", "n", _deb("m", ("arm64",))),
    "ARM_PKVM_GUEST": Option("drivers/virt/coco/pkvm-guest/Kconfig", "n (depends on DMA_RESTRICTED_POOL, default n)",
                             _deb("absent", ("arm64",))),
}


def _assumed(option: str, o: Option) -> tuple[str, bool, str]:
    debian = ", ".join(f"{arch} {value}" for arch, value in o.debian.items())
    return f"CONFIG_{option}", True, f"assumed set (Kconfig default {o.default}, {o.where}; Debian {DEBIAN_CONFIG}: {debian})"


# (source, value, name) of every KCONFIG row: the read note_config() logs as it is.
CONFIG_NOTES: dict[str, tuple[str, bool, str]] = {option: _assumed(option, o) for option, o in KCONFIG.items()}


def note_config(ctx: "Ctx", state: "State", option: str) -> bool:
    """Whether the mirrored kernel is built with ``option`` (y or m), recorded as evidence: from
    the kernel configuration the model was given (``state.m.kconfig``), else assumed set (see
    :class:`Option`), naming its Kconfig default and Debian's setting."""
    config = state.m.kconfig
    return _logged(ctx, CONFIG_NOTES[option] if config is None else config_read(config, option))


def built_without(ctx: "Ctx", state: "State", option: str) -> bool:
    """Whether the kernel configuration the model was given leaves ``option`` unset (recorded as
    evidence). Without a configuration, False and nothing recorded: for the options whose absence
    removes a whole guest (AMD_MEM_ENCRYPT, INTEL_TDX_GUEST, HYPERV, XEN) the assumed kernel has
    them, and naming them on every platform would only repeat the assumption."""
    config = state.m.kconfig
    return config is not None and not _logged(ctx, config_read(config, option))


def config_read(config: "KernelConfig", option: str) -> tuple[str, bool, str]:
    """The read :func:`note_config` logs for ``option`` under ``config``, made once per config."""
    rows = config.memo
    row = rows.get(option)
    if row is None:
        o, is_set = KCONFIG[option], config.is_set(option)
        said = f"={config.value(option)}" if is_set else "not set"
        row = rows[option] = (f"CONFIG_{option}", is_set,
                              f"{said} in {config.path} (Kconfig default {o.default}, {o.where})")
    return row


def _logged(ctx: "Ctx", read: tuple[str, bool, str]) -> bool:
    """A prebuilt ``(source, value, name)`` read appended as it is (reads are never changed once
    logged), and its value."""
    ctx._reads.append(read)
    return read[1]


def has(release: Release, key: str) -> bool:
    return release >= CHANGES[key].since


class _ReleaseNotes(dict):
    """Release -> {key: the read note_has records}, each release's table made on first use."""

    def __missing__(self, rel: Release) -> dict[str, tuple[str, bool, str]]:
        table = self[rel] = {}
        for key, change in CHANGES.items():
            yes = has(rel, key)
            table[key] = (f"linux {rel.tag}: {key}", yes,
                          change.text() if yes else f"before {change.since.tag}: {change.before}")
        return table


# (source, value, name) of every CHANGES row per release: a rule's question is one lookup.
HAS_NOTES: dict[Release, dict[str, tuple[str, bool, str]]] = _ReleaseNotes()


def note_has(ctx: "Ctx", state: "State", key: str) -> bool:
    """Whether the mirrored release (``state.m.release``) has the
    behaviour ``key``, recorded as evidence naming the release and the commit.

    The table's row is already the read ctx.note() would log, ``(source, value, name)``: it is
    logged as it is (reads are never changed once logged), without building it again per call."""
    return _logged(ctx, HAS_NOTES[state.m.release][key])
