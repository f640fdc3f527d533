"""Upstream Linux on x86: what the kernel concludes from CPUID, SEV_STATUS and the SNP facts.

Rules run in boot order: the decompressor and sme_enable() (AMD C-bit), svsm_setup_ca(),
tdx_early_init(), the AMD CPU's early_detect_mem_encrypt() (which SME/SEV feature flags survive)
and bsp_determine_snp(), then detect_hypervisor_vendor() and ms_hyperv_init_platform() /
hv_vtom_init(), the MADT multiprocessor wakeup (acpi_process_madt()), then what
cc_platform_has() answers, who accepts memory, which attestation and vTPM drivers bind and
whether the CCEL event log reaches sysfs (acpi_ccel_data_init()). Paths are torvalds/linux;
the commits read are in docs/sources.md.
"""

from __future__ import annotations

from ...acpi.constants import CC_TYPES
from dataclasses import dataclass, field
from typing import Any

from ...cpuid.model import (KVM_SIGNATURE, MSR_AMD64_RMP_BASE, MSR_AMD64_RMP_END, MSR_AMD64_SEV, MSR_AMD64_SYSCFG,
                           MSR_K7_HWCR, TD_ATTR_DEBUG, TD_ATTR_SEPT_VE_DISABLE, XEN_SIGNATURE)
from ...cpuid.leaves import declared
from ..engine import REG_INDEX, Ctx, Rule, State, field_source
from ...cpuid.leaves import HvIsolationType as HvType
from ..x86 import (
    HYPERV_CPUID_FEATURES,
    HYPERV_CPUID_ISOLATION_CONFIG,
    HYPERV_CPUID_VIRT_STACK_PROPERTIES,
    SEV_LEAF,
    SNP_DEBUG_SWAP,
    SNP_REFLECT_VC,
    SEV_ENABLED,
    SEV_ES_ENABLED,
    SNP_ENABLED,
    SNP_FEATURES_IMPL_REQ,
    SNP_SECURE_AVIC,
    SNP_SECURE_TSC,
    SNP_VTOM,
    base_probe,
    hypervisor_scan,
    note_signature,
    probe_base,
    tdx_early_init_ident,
    scan_hypervisor_bases,
    sev_level,
    set_bits,
    snp_feature_name,
    snp_feature_names,
)
from .linux_releases import MAINLINE, Release, built_without, note_config, note_has

CC_VENDOR_NONE, CC_VENDOR_AMD, CC_VENDOR_INTEL, CC_VENDOR_HYPERV = "NONE", "AMD", "INTEL", "HYPERV"
HV_ISOLATION_TYPE = {t.value: t.name for t in HvType}  # as ms_hyperv_init_platform() prints them

# arch/x86/kernel/acpi/madt_wakeup.c (include/acpi/actbl2.h): ACPI_MADT_TYPE_MULTIPROC_WAKEUP and
# ACPI_MADT_MP_WAKEUP_SIZE_V0 / _V1.
MP_WAKEUP_TYPE, MP_WAKEUP_SIZE_V0, MP_WAKEUP_SIZE_V1 = 0x10, 16, 24
CCEL_SIZE = 56  # sizeof(struct acpi_table_ccel)
CCEL_LOG = "/sys/firmware/acpi/tables/data/CCEL"

# x86_hyper_type names printed by init_hypervisor_platform() ("Hypervisor detected: %s").
HYPERVISOR_NAMES = {
    "xen": "Xen HVM", "vmware": "VMware", "hyperv": "Microsoft Hyper-V", "kvm": "KVM",
    "jailhouse": "Jailhouse", "acrn": "ACRN", "bhyve": "Bhyve",
}


@dataclass(slots=True)  # a mistyped field fails instead of reading None
class LinuxX86State:
    """What the x86 boot has established so far (the kernel variables each rule sets)."""

    release: Release = MAINLINE
    kconfig: Any = None  # the KernelConfig the kernel was built with (pvenum/kconfig.py), or None: assumed
    missing: list[str] = field(default_factory=list)  # inputs the model needed and did not get
    hv_bit: bool = False  # X86_FEATURE_HYPERVISOR
    features: list[str] = field(default_factory=list)  # X86_FEATURE_* the boot set
    dmesg: list[str] = field(default_factory=list)
    drivers: list[str] = field(default_factory=list)
    # AMD: decompressor and sme_enable()
    sev_status_hw: int | None = None  # SEV_STATUS as read (whatever stopped the boot)
    sev_status: int | None = None  # the kernel's sev_status (MSR_AMD64_SNP_VTOM under hv_vtom_init())
    cc_blob: bool = False
    ghcb_version: int = 0
    hv_features: int = 0  # GHCB HV_FEATURES
    vmpl: int | None = None  # running VMPL
    snp_vmpl: int | None = None
    svsm: bool = False
    svsm_caa: int | None = None
    snp: bool = False  # the SEV-SNP guest path (SEV_STATUS.SNP accepted)
    tdx_guest: bool = False  # X86_FEATURE_TDX_GUEST
    td_hw: bool = False  # leaf 0x21 says TD though the kernel never read it (built without TDX support)
    cc_vendor: str = CC_VENDOR_NONE
    cc_mask: int | None = None
    cc_attrs: list[str] = field(default_factory=list)
    # hypervisor and Hyper-V
    hypervisor: str = "none"
    hv_partition: str | None = None
    confidential_vmbus: bool | None = None
    hv_isolation: bool = False
    hv_paravisor: bool = False  # hyperv_paravisor_present
    hv_type: int = 0  # HV_ISOLATION_TYPE
    hv_legacy_isolation: bool = False  # before v6.6: CC_VENDOR_HYPERV
    shared_gpa_boundary: int = 0
    vtom: bool = False  # hv_vtom_init() ran
    reduced_hw_init: bool = False
    # ACPI and AP start-up
    mp_wakeup: dict | None = None
    ap_startup: str | None = None
    ccel: dict | None = None


def _paravisor_vtom(s: LinuxX86State) -> bool:
    """A paravisor owns private memory: hv_vtom_init() ran because hyperv_paravisor_present, or
    (before v6.6) an SNP/TDX isolation VM, which that kernel only runs behind a paravisor
    (both set only under HV_ISOLATION, by ms_hyperv_init_platform() and hv_vtom_init())."""
    return bool(s.vtom and s.hv_paravisor) or (
        bool(s.hv_legacy_isolation) and s.hv_type in (HvType.SNP, HvType.TDX) and not s.snp and not s.tdx_guest)


def _terminate(ctx: Ctx, state: State, code: str, message: str) -> str:
    """The boot stops here: the guest never reaches user space."""
    state.halt(f"{code}: {message}")
    ctx.finding("error", f"linux.boot-stops.{code.lower()}", f"Linux stops booting: {message} ({code})")
    return f"boot stops: {code}"


# --- rules ---------------------------------------------------------------------------------------


def hypervisor_bit(ctx: Ctx, state: State) -> str | None:
    if ctx.p.cpuid is None:
        ctx.note("cpuid", None, name="no CPUID dump in this platform")
        ctx.finding("error", "linux.no-cpuid", "no CPUID dump: the x86 Linux model needs one")
        state.m.missing = ["cpuid"]
        state.stop = True
        return "nothing to resolve"
    bit = ctx.field(0x1, "HYPERVISOR", name="X86_FEATURE_HYPERVISOR")
    state.m.hv_bit = bool(bit)
    if bit:
        state.m.features.append("HYPERVISOR")
    return "running under a hypervisor" if bit else "bare metal (no hypervisor bit)"


# GHCB MSR protocol (arch/x86/include/asm/sev.h, sev-common.h).
GHCB_PROTOCOL_MIN, GHCB_PROTOCOL_MAX = 1, 2
GHCB_HV_FT_SNP, GHCB_HV_FT_SNP_AP_CREATION, GHCB_HV_FT_SNP_MULTI_VMPL = 1 << 0, 1 << 1, 1 << 5
CC_BLOB_SEV_HDR_MAGIC = 0x45444D41  # "AMDE"
PAGE_SIZE = 4096
SNP_CPUID_COUNT_MAX = 64


# Where each SNP fact outside the secrets page comes from, as evidence names it.
_SNP_SOURCES = {
    "ghcb_protocol_min": "ghcb msr 0xc0010130 SEV_INFO[47:32]", "ghcb_protocol_max": "ghcb msr 0xc0010130 SEV_INFO[63:48]",
    "ghcb_hv_features": "ghcb msr 0xc0010130 HV_FEATURES[63:12]", "cc_blob_magic": "snp cc_blob magic",
    "secrets_len": "snp cc_blob secrets_len", "cpuid_len": "snp cc_blob cpuid_len",
    "cpuid_count": "snp CPUID table count",
}


def _snp_assumed(ctx: Ctx, field_name: str, default: Any, name: str) -> Any:
    """An SNP fact the bundle may leave out: its value, or ``default`` recorded as assumed."""
    value = getattr(ctx.p.snp, field_name) if ctx.p.snp is not None else None
    source = _SNP_SOURCES[field_name]
    if value is None:
        ctx.note(f"{source} (assumed)", default, name=f"{name}: not given in [snp]")
        return default
    return ctx.note(source, value, name=name)


def sev_enable(ctx: Ctx, state: State) -> str | None:
    """The decompressor's sev_enable() (boot/compressed/sev.c), before anything else runs:
    sev_check_cpu_support(), snp_init() (CC blob, SNP CPUID table, SVSM), SEV_STATUS, GHCB
    protocol negotiation, hypervisor features and the VMPL0-or-SVSM check."""
    s = state.m
    if built_without(ctx, state, "AMD_MEM_ENCRYPT"):
        return _without_sev_support(ctx, state)
    max_ext = ctx.cpuid(0x80000000, "eax", name="max extended leaf")
    sev_leaf = max_ext is not None and max_ext >= SEV_LEAF
    sev_bit = bool(sev_leaf and ctx.field(SEV_LEAF, "SEV"))
    if not sev_bit:
        # Under SEV-ES the CPUID above trapped to the guest's own #VC handler — unless ReflectVC
        # (SEV_STATUS[4]) sends #VC to the paravisor at VMPL0, which answers it instead.
        status = ctx.p.msr.sev_status if ctx.p.msr is not None else None
        if status is not None and status >> SEV_ES_ENABLED & 1 and not status >> SNP_REFLECT_VC & 1:
            ctx.field(MSR_AMD64_SEV, "SEV_ES_ENABLED", name="SEV_STATUS.ES (the CPUID above trapped to #VC)")
            ctx.field(MSR_AMD64_SEV, "SNP_REFLECT_VC", name="MSR_AMD64_SNP_REFLECT_VC")
            s.sev_status_hw = status
            hidden = "max extended leaf < 0x8000001f" if not sev_leaf else "0x8000001f.eax[1] (SEV) clear"
            return _terminate(ctx, state, "GHCB_SEV_ES_GEN_REQ",
                              f"SEV-ES is active but CPUID says no SEV ({hidden}): do_vc_no_ghcb() refuses "
                              "a hypervisor that hides SEV")
        return ("no leaf 0x8000001f: no SEV" if not sev_leaf else "0x8000001f.eax[1] (SEV) clear: no SEV")
    cc_blob = ctx.snp("cc_blob", name="snp_init(): CC blob found (EFI config table / setup_data)")
    status = ctx.msr(MSR_AMD64_SEV, name="SEV_STATUS")
    if status is not None:
        s.sev_status_hw = status  # what the guest is, whichever check below stops it
    if cc_blob is None:
        # Firmware that starts an SNP guest passes the blob; say that we assumed it.
        cc_blob = bool(status is not None and status >> SNP_ENABLED & 1)
        ctx.note("snp cc_blob (assumed)", cc_blob, name="not given in [snp]; assumed to match SEV_STATUS.SNP")
    s.cc_blob = bool(cc_blob)
    if cc_blob:
        magic = _snp_assumed(ctx, "cc_blob_magic", CC_BLOB_SEV_HDR_MAGIC, "CC_BLOB_SEV_HDR_MAGIC")
        if magic != CC_BLOB_SEV_HDR_MAGIC:
            return _terminate(ctx, state, "GHCB_SNP_UNSUPPORTED",
                              f"find_cc_blob(): CC blob magic 0x{magic:08x} is not CC_BLOB_SEV_HDR_MAGIC 0x{CC_BLOB_SEV_HDR_MAGIC:08x}")
        cpuid_len = _snp_assumed(ctx, "cpuid_len", PAGE_SIZE, "cc_blob_sev_info.cpuid_len")
        count = _snp_assumed(ctx, "cpuid_count", SNP_CPUID_COUNT_MAX, "snp_cpuid_table.count")
        if cpuid_len < PAGE_SIZE or not 0 < count <= SNP_CPUID_COUNT_MAX:
            why = (f"cpuid_len {cpuid_len} < PAGE_SIZE" if cpuid_len < PAGE_SIZE
                   else f"CPUID table count {count} not in 1..SNP_CPUID_COUNT_MAX ({SNP_CPUID_COUNT_MAX})")
            return _terminate(ctx, state, "GHCB_TERM_CPUID", f"setup_cpuid_table(): {why}")
        if note_has(ctx, state, "svsm"):
            stop = _svsm_setup_ca(ctx, state)
            if stop:
                return stop
    if status is None:
        s.missing.append("msr 0xc0010131 (SEV_STATUS)")
        ctx.finding(
            "warning", "linux.sev-status-missing",
            "0x8000001f shows SEV but the platform gives no SEV_STATUS (MSR 0xc0010131); "
            "sev_enable() and sme_enable() read it to choose SEV, SEV-ES, SNP or nothing",
        )
        return "SEV_STATUS unknown: cannot tell"
    s.sev_status_hw = status
    if not status & 1 << SEV_ENABLED:
        return "SEV_STATUS.SEV clear: not a SEV guest"
    if status & 1 << SEV_ES_ENABLED:
        lo = _snp_assumed(ctx, "ghcb_protocol_min", GHCB_PROTOCOL_MIN, "GHCB_MSR_PROTO_MIN (SEV_INFO)")
        hi = _snp_assumed(ctx, "ghcb_protocol_max", GHCB_PROTOCOL_MAX, "GHCB_MSR_PROTO_MAX (SEV_INFO)")
        if hi < GHCB_PROTOCOL_MIN or lo > GHCB_PROTOCOL_MAX:
            return _terminate(ctx, state, "GHCB_SEV_ES_PROT_UNSUPPORTED",
                              f"sev_es_negotiate_protocol(): the hypervisor speaks GHCB {lo}..{hi}, "
                              f"the guest {GHCB_PROTOCOL_MIN}..{GHCB_PROTOCOL_MAX}")
        s.ghcb_version = min(hi, GHCB_PROTOCOL_MAX)
    if status & 1 << SNP_ENABLED:
        # get_hv_features(): 0 below GHCB version 2.
        features = 0
        if s.ghcb_version >= 2:
            default = GHCB_HV_FT_SNP | GHCB_HV_FT_SNP_AP_CREATION | GHCB_HV_FT_SNP_MULTI_VMPL
            features = _snp_assumed(ctx, "ghcb_hv_features", default, "GHCB_MSR_HV_FT_RESP")
        s.hv_features = features
        if not features & GHCB_HV_FT_SNP:
            return _terminate(ctx, state, "GHCB_SNP_UNSUPPORTED",
                              "the hypervisor's GHCB features lack GHCB_HV_FT_SNP" +
                              ("" if s.ghcb_version >= 2 else " (GHCB version < 2 has none)"))
        vmpl = s.vmpl
        if vmpl is None:
            vmpl = s.vmpl = _running_vmpl(ctx)
        if vmpl:
            if not note_has(ctx, state, "svsm"):
                return _terminate(ctx, state, "GHCB_TERM_NOT_VMPL0",
                                  f"enforce_vmpl0(): RMPADJUST fails at VMPL{vmpl} and this kernel knows no SVSM")
            if not s.svsm:
                if not note_has(ctx, state, "snp-vmpl-from-svsm"):
                    return _terminate(ctx, state, "GHCB_TERM_NOT_VMPL0",
                                      f"RMPADJUST fails at VMPL{vmpl} and no SVSM was set up (snp_vmpl = 0: no CC blob)")
                # svsm_setup_ca() runs only from a CC blob, so without one snp_vmpl stays 0 and the
                # decompressor goes on below VMPL0 with no SVSM to PVALIDATE for it.
                ctx.finding("warning", "linux.snp-vmpl-unchecked",
                            f"VMPL{vmpl} without a CC blob: sev_enable() tests snp_vmpl (0: no svsm_setup_ca() "
                            "without a blob) instead of RMPADJUST, so the decompressor does not stop here (v6.18+); "
                            "nothing below VMPL0 may PVALIDATE, and no SVSM was set up to do it")
            elif not features & GHCB_HV_FT_SNP_MULTI_VMPL:
                return _terminate(ctx, state, "GHCB_TERM_NOT_VMPL0",
                                  f"VMPL{vmpl} with an SVSM, but the hypervisor's GHCB features lack "
                                  "GHCB_HV_FT_SNP_MULTI_VMPL")
    elif s.cc_blob:
        # The last check of sev_enable() in 6.1.176, 6.12.107 and 7.2.8: error() (boot/compressed/misc.c)
        # prints and halts, with no GHCB termination request (the EFI stub calls this sev_enable() too).
        ctx.field(MSR_AMD64_SEV, "SNP_ENABLED", name="SEV_STATUS.SNP (clear, with a CC blob)")
        return _terminate(ctx, state, "decompressor_error",
                          "sev_enable(): \"SEV-SNP supported indicated by CC blob, but not SEV status MSR.\" "
                          "(error() halts the CPU; the hypervisor sees no termination request)")
    level = "SEV-SNP" if status & 1 << SNP_ENABLED else "SEV-ES" if status & 1 << SEV_ES_ENABLED else "SEV"
    return f"{level}: GHCB protocol and hypervisor features accepted"


def _without_sev_support(ctx: Ctx, state: State) -> str:
    """A kernel built without CONFIG_AMD_MEM_ENCRYPT (v7.2.8; 6.1.176 the same): the decompressor's
    sev.o and the kernel's sme.o are not built (arch/x86/boot/compressed/Makefile,
    arch/x86/boot/startup/Makefile), sme_enable() is the empty stub of <asm/mem_encrypt.h> and
    sev_status is 0: SEV_STATUS is never read. Nor is a #VC handler installed: load_stage1_idt()
    and load_stage2_idt() (arch/x86/boot/compressed/idt_64.c) and startup_64_setup_gdt_idt()
    (arch/x86/boot/startup/gdt_idt.c, the EFI stub's path) set the X86_TRAP_VC gate only with the
    option, so under SEV-ES the guest's first #VC meets a not-present gate: a triple fault."""
    # The platform's SEV_STATUS bits decide what this kernel runs into, though it never reads them:
    # recorded either way, so a change of either bit is a change of an input.
    sev = ctx.field(MSR_AMD64_SEV, "SEV_ENABLED", name="SEV_STATUS.SEV (the platform's; this kernel never reads it)")
    es = ctx.field(MSR_AMD64_SEV, "SEV_ES_ENABLED",
                   name="SEV_STATUS.ES (the platform's; when set, every CPUID traps to #VC)")
    if not sev and not es:
        return "CONFIG_AMD_MEM_ENCRYPT not set: no SEV code (sme_enable() is the empty stub, SEV_STATUS never read)"
    if not es:
        ctx.finding("warning", "linux.sev-unsupported-kernel",
                    "SEV is active but the kernel is built without CONFIG_AMD_MEM_ENCRYPT: nothing sets the C-bit "
                    "(sme_enable() is the empty stub), so it maps the memory firmware wrote encrypted as shared; "
                    "Linux does not check and prints nothing")
        return "CONFIG_AMD_MEM_ENCRYPT not set under SEV: the kernel runs without the C-bit"
    if ctx.field(MSR_AMD64_SEV, "SNP_REFLECT_VC", name="MSR_AMD64_SNP_REFLECT_VC (#VC goes to the paravisor)"):
        return "CONFIG_AMD_MEM_ENCRYPT not set; ReflectVC: the paravisor takes every #VC, the kernel never sees one"
    s = state.m
    # What the guest is when it stops (conclude(), the paravisor cross-check); ES set: the MSR is given.
    s.sev_status_hw = ctx.p.msr.sev_status  # type: ignore[union-attr]
    level = "SEV-SNP" if ctx.field(MSR_AMD64_SEV, "SNP_ENABLED", name="SEV_STATUS.SNP (the platform's)") else "SEV-ES"
    return _terminate(ctx, state, "no_vc_handler",
                      f"built without CONFIG_AMD_MEM_ENCRYPT: no #VC handler (arch/x86/boot/compressed/idt_64.c); "
                      f"under {level} the first CPUID's #VC is a triple fault, no GHCB termination request")


def _running_vmpl(ctx: Ctx) -> int:
    vmpl = ctx.snp("vmpl", name="running VMPL (RMPADJUST of VMPL1 fails above VMPL0)")
    if vmpl is None:
        size = ctx.snp("svsm_size")
        vmpl = (ctx.snp("svsm_guest_vmpl") if size else 0) or 0
        ctx.note("snp vmpl (assumed)", vmpl, name="not given in [snp]; assumed from the secrets page")
    return vmpl


def _svsm_setup_ca(ctx: Ctx, state: State) -> str | None:
    """svsm_setup_ca() (snp_init(), v6.11+): below VMPL0 the secrets page must describe an SVSM."""
    s = state.m
    vmpl = _running_vmpl(ctx)
    s.vmpl = vmpl
    if vmpl == 0:
        s.snp_vmpl = 0
        return None
    secrets_len = _snp_assumed(ctx, "secrets_len", PAGE_SIZE, "cc_blob_sev_info.secrets_len")
    if secrets_len != PAGE_SIZE:
        return _terminate(ctx, state, "GHCB_TERM_SECRETS_PAGE",
                          f"VMPL{vmpl} but the CC blob's secrets_len is {secrets_len}, not PAGE_SIZE")
    size = ctx.snp("svsm_size")
    if not size:
        return _terminate(ctx, state, "GHCB_TERM_NO_SVSM", f"VMPL{vmpl} but secrets page svsm_size is 0")
    guest_vmpl = ctx.snp("svsm_guest_vmpl")
    if not guest_vmpl:
        return _terminate(ctx, state, "GHCB_TERM_SVSM_VMPL0", "secrets page svsm_guest_vmpl is 0")
    caa = ctx.snp("svsm_caa")
    if caa is None or caa & 0xFFF:
        return _terminate(ctx, state, "GHCB_TERM_SVSM_CAA", "SVSM calling area is not 4 KiB aligned")
    ctx.snp("svsm_max_version")
    s.snp_vmpl = guest_vmpl
    s.svsm = True
    s.svsm_caa = caa
    return None


def snp_check_features(ctx: Ctx, state: State) -> str | None:
    """Decompressor, once the identity maps exist (initialize_identity_maps())."""
    s = state.m
    status = s.sev_status_hw
    if status is None or not status >> SNP_ENABLED & 1:
        return None
    if not note_has(ctx, state, "snp-feature-check"):
        return "no SNP feature check in this release"
    for bit in set_bits(status & ~((2 << SNP_ENABLED) - 1)):  # the bits above SNP_ENABLED
        ctx.msr_bit(MSR_AMD64_SEV, bit, name=snp_feature_name(bit))
    # SNP_FEATURES_IMPL (SNP_FEATURES_PRESENT before v6.19) by release: none in 6.1.176, DebugSwap
    # in 6.12.107; SecureTSC from v6.14, SecureAVIC from v6.18 only with CONFIG_AMD_SECURE_AVIC.
    present = 0
    if note_has(ctx, state, "snp-debug-swap"):
        present |= 1 << SNP_DEBUG_SWAP
    if note_has(ctx, state, "secure-tsc"):
        present |= 1 << SNP_SECURE_TSC
    if status >> SNP_SECURE_AVIC & 1 and note_has(ctx, state, "secure-avic") and note_config(ctx, state, "AMD_SECURE_AVIC"):
        present |= 1 << SNP_SECURE_AVIC  # SNP_FEATURE_SECURE_AVIC
    unsupported = status & SNP_FEATURES_IMPL_REQ & ~present  # present: this release's SNP_FEATURES_IMPL
    if unsupported:
        names = ", ".join(snp_feature_names(unsupported))
        # The same mask, tested twice: the EFI stub refuses first and returns to the firmware;
        # entered without it (the boot path kernelcheck boots), the decompressor terminates.
        efi = ""
        if note_has(ctx, state, "efi-stub-snp-check"):
            efi = (f"; entered through the EFI stub, efi_stub_entry() refuses before the decompressor: "
                   f"\"Unsupported SEV-SNP features detected: 0x{unsupported:x}\", efi_exit(EFI_UNSUPPORTED) "
                   "back to the firmware")
        below = ""
        if s.vmpl and not s.svsm and s.ghcb_version >= 2:
            # Only the v6.18+ decompressor gets here below VMPL0 without an SVSM (snp-vmpl-from-svsm).
            below = (f"; at VMPL{s.vmpl} with no SVSM, early_setup_ghcb() first makes the boot GHCB page shared, "
                     "whose PVALIDATE only VMPL0 may execute: the guest can stop there instead "
                     "(pvalidate_4k_page(): GHCB_TERM_PVALIDATE)")
        return _terminate(
            ctx, state, "GHCB_SNP_UNSUPPORTED",
            f"SEV_STATUS enables SNP features this kernel does not implement ({names}){efi}{below}",
        )
    return "every enabled SNP feature is implemented by the guest"


def sme_enable(ctx: Ctx, state: State) -> str | None:
    """The kernel proper's sme_enable(): the CC blob / SEV_STATUS.SNP consistency check, then
    cc_vendor and the C-bit mask."""
    s = state.m
    status = s.sev_status_hw
    if status is None:
        return None
    cbit = ctx.field(SEV_LEAF, "cbit_position", name="C-bit position")
    snp_on = bool(status >> SNP_ENABLED & 1)
    cc_blob = s.cc_blob
    # snp_init() (kernel proper): the CC blob found and, from v6.13, a usable secrets page with it.
    secrets_len = None
    if cc_blob and note_has(ctx, state, "snp-init-secrets"):
        secrets_len = _snp_assumed(ctx, "secrets_len", PAGE_SIZE, "cc_blob_sev_info.secrets_len")
    snp_en = cc_blob and secrets_len in (None, PAGE_SIZE)
    # Both stops are sev_es_terminate(SEV_TERM_SET_GEN, GHCB_SNP_UNSUPPORTED): through snp_abort()
    # in 6.1.176 (arch/x86/kernel/sev.c) and 6.12.107 (arch/x86/coco/sev/core.c), called directly
    # by 7.2.8's arch/x86/boot/startup/sme.c.
    if snp_en and not snp_on:
        return _terminate(ctx, state, "GHCB_SNP_UNSUPPORTED", "CC blob present but SEV_STATUS.SNP clear")
    if snp_on and cc_blob and not snp_en:
        note_has(ctx, state, "snp-no-blob-abort")  # the snp_en ^ SEV_STATUS.SNP test that stops
        return _terminate(ctx, state, "GHCB_SNP_UNSUPPORTED",
                          f"snp_init() fails: the CC blob's secrets_len {secrets_len} is not PAGE_SIZE, "
                          "while SEV_STATUS.SNP is set")
    if snp_on and not cc_blob:
        if note_has(ctx, state, "snp-no-blob-abort"):
            return _terminate(ctx, state, "GHCB_SNP_UNSUPPORTED", "SEV_STATUS.SNP set but no CC blob")
        ctx.finding("warning", "linux.snp-without-cc-blob",
                    "SEV_STATUS.SNP set but no CC blob: this release boots without the SNP CPUID table and "
                    "secrets page (no sev-guest); from v6.13 sme_enable() stops (GHCB_SNP_UNSUPPORTED)")
    if not status & 1 << SEV_ENABLED:
        return "SEV_STATUS.SEV clear: not a SEV guest (SME is a host feature, not modelled)"
    s.sev_status = status
    s.cc_vendor = CC_VENDOR_AMD
    s.cc_mask = 1 << (cbit or 0)
    # X86_FEATURE_SEV, SEV_ES and SEV_SNP are CPUID's, not SEV_STATUS's (early_detect_mem_encrypt()).
    if snp_on:
        s.snp = True
        if s.svsm:
            s.features.append("SVSM")  # svsm_setup_ca() sets bit 28 of 0x8000001F EAX in the SNP CPUID table
    level = "SEV-SNP" if snp_on else "SEV-ES" if status & 1 << SEV_ES_ENABLED else "SEV"
    extra = f"; SVSM at CAA 0x{s.svsm_caa:x}, snp_vmpl = {s.snp_vmpl}" if s.svsm else ""
    return f"{level} guest: cc_vendor AMD, C-bit {cbit}, sme_me_mask 0x{1 << (cbit or 0):x}{extra}"


TDX_DEFAULT_GPAW = 52


def tdx_early_init(ctx: Ctx, state: State) -> str | None:
    s = state.m
    if built_without(ctx, state, "INTEL_TDX_GUEST"):
        # <asm/tdx.h>: tdx_early_init() is the empty stub and arch/x86/coco/tdx/ is not built, so
        # leaf 0x21 is never read; nor is there a #VE handler (arch/x86/kernel/idt.c: the X86_TRAP_VE
        # gate and traps.c: exc_virtualization_exception() are under CONFIG_INTEL_TDX_GUEST).
        if not tdx_early_init_ident(ctx):
            return "CONFIG_INTEL_TDX_GUEST not set: tdx_early_init() is the empty stub (not a TD either)"
        s.td_hw = True
        # arch/x86/Kconfig: "Without this support, the guest kernel can not boot or run under TDX";
        # an early #VE goes to do_early_exception(): "PANIC: early exception 0x14" (or, before the
        # kernel's IDT, to a not-present gate: a triple fault).
        return _terminate(ctx, state, "no_ve_handler",
                          "built without CONFIG_INTEL_TDX_GUEST: leaf 0x21 never read, no #VE handler "
                          "(arch/x86/kernel/idt.c); the TD's first #VE ends the boot")
    if not tdx_early_init_ident(ctx):
        return "leaf 0x21 is not \"IntelTDX    \": not a TDX guest"
    s.tdx_guest = True
    s.features.extend(["TDX_GUEST", "TSC_RELIABLE"])
    s.cc_vendor = CC_VENDOR_INTEL
    s.dmesg.append("tdx: Guest detected")
    # TDG.VP.INFO: GPAW gives the shared bit; TD_ATTRIBUTES decide whether SEPT #VEs are off.
    tdx = ctx.p.tdx
    gpaw = tdx.gpa_width if tdx is not None else None
    attrs = tdx.attributes if tdx is not None else None
    if gpaw is None:
        gpaw = TDX_DEFAULT_GPAW
        ctx.note("tdcall TDG.VP.INFO.rcx[5:0] (assumed)", gpaw, name="TDG.VP.INFO rcx[5:0] not given in [tdx]")
    else:
        ctx.note("tdcall TDG.VP.INFO.rcx[5:0]", gpaw, name="TDG.VP.INFO rcx[5:0] (GPAW)")
    if attrs is None:
        attrs = 1 << TD_ATTR_SEPT_VE_DISABLE
        ctx.note("tdcall TDG.VP.INFO.rdx (assumed)", attrs, name="TDG.VP.INFO rdx not given in [tdx]: SEPT_VE_DISABLE assumed")
    else:
        ctx.note("tdcall TDG.VP.INFO.rdx", attrs, name="TDG.VP.INFO rdx (TD_ATTRIBUTES)")
    s.cc_mask = (1 << (gpaw - 1)) if gpaw else 0
    debug = bool(attrs >> TD_ATTR_DEBUG & 1)
    sept_off = bool(attrs >> TD_ATTR_SEPT_VE_DISABLE & 1)
    ctx.note("tdcall TDG.VP.INFO.rdx[28]", int(sept_off), name="ATTR_SEPT_VE_DISABLE")
    ctx.note("tdcall TDG.VP.INFO.rdx[0]", int(debug), name="ATTR_DEBUG")
    where = "cc_mask = BIT(gpa_width - 1)"
    if not sept_off:
        flexible = bool(tdx is not None and tdx.flexible_pending_ve)
        if flexible and note_has(ctx, state, "tdx-sept-flexible"):
            ctx.note("tdcall TDG.VM.RD 0x1110000300000016 (TDCS_CONFIG_FLAGS)[1]", True, name="TDCS_CONFIG_FLAGS.FLEXIBLE_PENDING_VE")
            if not debug:
                return (f"TDX guest: {where} = 0x{s.cc_mask:x}; disable_sept_ve() writes "
                        "TD_CTLS.PENDING_VE_DISABLE (flexible pending #VE)")
        elif debug and note_has(ctx, state, "tdx-sept-relax"):
            ctx.finding("warning", "linux.tdx-sept-ve-debug",
                        "SEPT_VE_DISABLE clear in a debug TD: Linux warns \"TD misconfiguration\" and boots")
        else:
            msg = ("TD misconfiguration: SEPT_VE_DISABLE attibute must be set." if not note_has(ctx, state, "tdx-sept-relax")
                   else "TD misconfiguration: SEPT #VE has to be disabled")
            return _terminate(ctx, state, "tdx_panic", f"{msg} (TD_ATTRIBUTES 0x{attrs:x})")
    return f"TDX guest: X86_FEATURE_TDX_GUEST forced, cc_vendor INTEL, {where} = 0x{s.cc_mask:x} (GPAW {gpaw})"


# The .detect() probes in the order detect_hypervisor_vendor() calls them (x86_hyper_*), each a
# cpuid_base_hypervisor(signature, leaves) call.
_XEN = base_probe(XEN_SIGNATURE, 2, "xen_cpuid_base()")
_KVM_JAILHOUSE_ACRN = ((base_probe(KVM_SIGNATURE, 0, "kvm_cpuid_base()"), "kvm", "KVM_GUEST"),
                       (base_probe("Jailhouse\0\0\0", 0, "jailhouse_cpuid_base()"), "jailhouse", "JAILHOUSE_GUEST"),
                       (base_probe("ACRNACRNACRN", 0, "acrn_cpuid_base()"), "acrn", "ACRN_GUEST"))
_BHYVE = base_probe("bhyve bhyve ", 0, "bhyve_detect()")


# arch/x86/kernel/cpu/amd.c: amd_cpu_dev.c_ident, the leaf 0 string get_cpu_vendor() (common.c)
# takes for X86_VENDOR_AMD: "AuthenticAMD" alone in every release read, 6.1.176 to 7.2.8
# (Hygon's "HygonGenuine" is hygon.c, without bsp_determine_snp()).
_AMD_IDENT = ("AuthenticAMD",)


# X86_FEATURE_* of CPUID 0x8000001F EAX (feature word 19, read by get_cpu_cap()) that
# early_detect_mem_encrypt() may clear, in bit order. SEV_SNP has a name from v6.9.
_MEM_ENCRYPT_FLAGS = ("SME", "SEV", "SEV_ES", "SEV_SNP")
_FLAG_READS = {f: f"X86_FEATURE_{f} (get_cpu_cap())" for f in _MEM_ENCRYPT_FLAGS}
_FLAG_READS["SEV_SNP"] = "X86_FEATURE_SEV_SNP (get_cpu_cap(); from v6.9, bit 4 unnamed before)"
# What a guest reads for SYSCFG and HWCR when the platform does not say: KVM answers 0 for both
# (arch/x86/kvm/x86.c kvm_get_msr_common(): MSR_AMD64_SYSCFG with the MSRs that read as zero,
# MSR_K7_HWCR from msr_hwcr, which never holds SMMLOCK), so does QEMU TCG (qemu/qemu
# target/i386/tcg/system/misc_helper.c helper_rdmsr(): no case for either, "default: val = 0",
# read at QEMU 10.1), and a faulting RDMSR reads 0 too (arch/x86/mm/extable.c ex_handler_msr()).
_MSR_UNSAID = 0


def _msr_flag(ctx: Ctx, msr: int, name: str, label: str) -> int:
    """A declared MSR flag the platform gives, else :data:`_MSR_UNSAID`, recorded as assumed."""
    msrs = ctx.p.msr
    if msrs is not None and msr in msrs:
        return ctx.field(msr, name, name=label)  # type: ignore[return-value]  # given: 0 or 1
    ctx.note(f"{field_source(msr, name)} (assumed)", _MSR_UNSAID,
             name=f"{label}: not given, assumed 0 (what KVM and QEMU TCG answer a guest, and what a faulting "
                  "RDMSR reads; a host's firmware may set it: `pvenum snapshot` captures it)")
    return _MSR_UNSAID


def _not_amd_code(ctx: Ctx, state: State) -> str | None:
    """Why amd.c's code does not run on this platform (get_cpu_vendor() matches leaf 0 to
    amd_cpu_dev, c_ident "AuthenticAMD" alone, only in a kernel that builds amd.o), or None."""
    vendor = ctx.cpuid_text(0x0, ("ebx", "edx", "ecx"), name="x86_vendor_id (get_cpu_vendor())")
    if vendor not in _AMD_IDENT:
        return f'leaf 0 vendor "{vendor or ""}": not an AMD CPU'
    if built_without(ctx, state, "CPU_SUP_AMD"):  # arch/x86/kernel/cpu/Makefile: amd.o is not built
        return "CONFIG_CPU_SUP_AMD not set: no amd.c"
    return None


def early_detect_mem_encrypt(ctx: Ctx, state: State) -> str | None:
    """early_cpu_init() -> early_identify_cpu(): get_cpu_cap() takes X86_FEATURE_SME, SEV, SEV_ES
    and (from v6.9) SEV_SNP from CPUID 0x8000001F EAX on every vendor, then, on an AMD CPU,
    early_init_amd() -> early_detect_mem_encrypt() clears them all unless SYSCFG.MEM_ENCRYPT is
    set (SME alone when sme_me_mask is 0), and SEV, SEV_ES and SEV_SNP unless HWCR.SMMLOCK is set
    too. Nothing sets them from SEV_STATUS: a guest whose hypervisor answers 0 for both MSRs, as
    KVM does, shows none of them in /proc/cpuinfo at any SEV level."""
    s = state.m
    # get_cpu_cap(): extended_cpuid_level is 0 unless leaf 0x80000000 answers 0x8000xxxx.
    level = ctx.cpuid(0x80000000, "eax", name="extended_cpuid_level (get_cpu_cap())")
    if level is None or level & 0xFFFF0000 != 0x80000000 or level < SEV_LEAF:
        return None
    flags = [f for f in _MEM_ENCRYPT_FLAGS if ctx.field(SEV_LEAF, f, name=_FLAG_READS[f])]
    if "SEV_SNP" in flags and not note_has(ctx, state, "sev-snp-feature"):
        flags.remove("SEV_SNP")  # bit 4 names no feature before v6.9
    if not flags:
        return None
    # Hygon's CPUs go through hygon.c's early_init_hygon(), which has no early_detect_mem_encrypt()
    # (7.2.8): their flags stay as CPUID gives them. On AMD, amd.c's checks run only
    # `if (cpu_has(SME) || cpu_has(SEV))`.
    other = _not_amd_code(ctx, state)
    if other or not {"SME", "SEV"} & set(flags):
        s.features.extend(flags)
        why = f"{other}: no early_detect_mem_encrypt()" if other else "no SME or SEV: its checks do not run"
        return f"{why}; {', '.join(flags)} kept as CPUID gives them"
    if not _msr_flag(ctx, MSR_AMD64_SYSCFG, "MEM_ENCRYPT", "MSR_AMD64_SYSCFG_MEM_ENCRYPT"):
        return f"SYSCFG.MEM_ENCRYPT clear: {', '.join(flags)} cleared (clear_all)"
    kept = flags
    # `if (!sme_me_mask) setup_clear_cpu_cap(SME)`: in a guest sme_enable() sets sme_me_mask on its
    # SEV path only (sev_status), never from TDX's cc_mask.
    if "SME" in flags and s.sev_status is not None:  # sme_enable() read SEV_STATUS.SEV set
        ctx.field(MSR_AMD64_SEV, "SEV_ENABLED", name="SEV_STATUS.SEV_ENABLED (sme_enable(): sme_me_mask is the C-bit: SME kept)")
    elif "SME" in flags:
        # sme_enable() returns before its SME path under X86_FEATURE_HYPERVISOR (CPUID 1 ECX[31])
        if not ctx.field(0x1, "HYPERVISOR", name="X86_FEATURE_HYPERVISOR (sme_enable(): no SME path in a guest)"):
            # a host's own SME (mem_encrypt=on) is not modelled; where sme_enable() learns of it
            # depends on the release
            if note_has(ctx, state, "sme-xloadflag"):
                ctx.note(SME_HOST_ASSUMED, 0, name="SME on a host (mem_encrypt=on, passed on by the decompressor "
                         "or EFI stub) is not modelled: assumed off")
            else:
                ctx.note(SME_CMDLINE_ASSUMED, False, name="SME on a host (mem_encrypt=on, which sme_enable() parses "
                         "from the command line itself) is not modelled: assumed off")
        kept = [f for f in flags if f != "SME"]
    if not _msr_flag(ctx, MSR_K7_HWCR, "SMMLOCK", "MSR_K7_HWCR_SMMLOCK"):
        kept = [f for f in kept if f == "SME"]  # clear_sev
        why = "HWCR.SMMLOCK clear: SEV flags cleared (clear_sev)"
    else:
        why = "SYSCFG.MEM_ENCRYPT and HWCR.SMMLOCK set"
    s.features.extend(kept)
    return f"{why}; kept: {', '.join(kept) or 'none'}"


# What a host's path reads that no platform description carries, named as the exact inputs
# (assumed, never read): the RMP table bounds snp_probe_rmptable_info() tests (the declared
# RMP_ADDR fields of RMP_BASE and RMP_END, cpuid/leaves.py), and what sme_enable() turns SME on by
# on a host: from v6.9 boot_params.hdr.xloadflags XLF_MEM_ENCRYPTION, bit 7, which the
# decompressor or EFI stub sets for mem_encrypt=on (arch/x86/boot/startup/sme.c, 7.2.8); before,
# the command line itself (6.1.176 arch/x86/mm/mem_encrypt_identity.c: sme_enable() ->
# cmdline_find_option(cmd_line_ptr, "mem_encrypt")). linux_releases.CHANGES "sme-xloadflag".
RMP_ASSUMED = (f"{field_source(MSR_AMD64_RMP_BASE, 'RMP_ADDR')}, {field_source(MSR_AMD64_RMP_END, 'RMP_ADDR')} "
               "(RMP_BASE, RMP_END: assumed non-zero)")
SME_HOST_ASSUMED = "boot_params.hdr.xloadflags[7] (XLF_MEM_ENCRYPTION: assumed clear)"
SME_CMDLINE_ASSUMED = 'boot command line "mem_encrypt=on" (sme_enable(): assumed absent)'


def bsp_determine_snp(ctx: Ctx, state: State) -> str | None:
    """setup_arch() -> early_cpu_init() -> bsp_init_amd() -> bsp_determine_snp(), after the CC
    set-up of sme_enable() and tdx_early_init(): from v6.9 every AMD CPU gets cc_vendor AMD when
    the kernel has CONFIG_ARCH_HAS_CC_PLATFORM, confidential or not. No CC attribute follows from
    it alone: amd_cc_platform_has() answers from sme_me_mask and sev_status. In a guest
    (X86_FEATURE_HYPERVISOR) it also clears X86_FEATURE_SEV_SNP, the host's RMP capability."""
    s = state.m
    if not note_has(ctx, state, "amd-cc-vendor"):  # the release's lack is the evidence; no CPUID is read
        return None
    other = _not_amd_code(ctx, state)
    if other:
        return f"{other}: no bsp_init_amd()"
    if not note_config(ctx, state, "ARCH_HAS_CC_PLATFORM"):
        return "CONFIG_ARCH_HAS_CC_PLATFORM not set: bsp_determine_snp() is empty"
    before, s.cc_vendor = s.cc_vendor, CC_VENDOR_AMD
    cleared = ""
    # if (cpu_has(c, X86_FEATURE_SEV_SNP)) { if (!cpu_has(c, X86_FEATURE_HYPERVISOR) && ...) host
    # SNP else setup_clear_cpu_cap(X86_FEATURE_SEV_SNP); }: a guest never keeps the feature. cpu_has()
    # sees the flag as early_detect_mem_encrypt() left it (linux.x86.mem-encrypt-flags).
    if "SEV_SNP" in s.features and \
            ctx.field(0x1, "HYPERVISOR", name="X86_FEATURE_HYPERVISOR (cpu_has() in bsp_determine_snp())"):
        s.features.remove("SEV_SNP")
        cleared = "; X86_FEATURE_SEV_SNP cleared (X86_FEATURE_HYPERVISOR set: not an SNP host)"
    elif "SEV_SNP" in s.features:  # a host: the CPU model, CONFIG_KVM_AMD_SEV and the RMP table decide
        ctx.note(RMP_ASSUMED, True,
                 name="a host's SNP support is not modelled: a known CPU model (6.12: family >= 0x19; 7.2: "
                      "Zen3, Zen4 or RMPREAD), CONFIG_KVM_AMD_SEV and an RMP table assumed; from v6.9 "
                      "bsp_determine_snp() clears the flag when arch/x86/virt/svm/sev.c snp_probe_rmptable_info() "
                      "finds RMP_BASE[51:13] or RMP_END[51:13] zero (RMP_ADDR_MASK; from v6.17 with RMP_CFG's "
                      "segmented RMP, RMP_BASE alone)")
        cleared = "; X86_FEATURE_SEV_SNP kept (a host whose RMP table is assumed set up)"
    if before == CC_VENDOR_INTEL:
        ctx.finding("warning", "linux.cc-vendor-overwritten",
                    "tdx_early_init() set CC_VENDOR_INTEL, then bsp_determine_snp() on this AMD CPU (leaf 0 "
                    f'"{_AMD_IDENT[0]}") set CC_VENDOR_AMD: cc_platform_has() answers as for a guest without SEV '
                    "(no attribute) and cc_mkdec() clears the TD's shared bit instead of setting it")
    return f"AMD CPU: cc_vendor = CC_VENDOR_AMD (was {before}){cleared}"


def detect_hypervisor_vendor(ctx: Ctx, state: State) -> str | None:
    s = state.m
    scan = hypervisor_scan(ctx)  # one scan for every probe below
    # Each .detect returns a priority (its CPUID base). As the kernel's loop does, a .detect
    # is kept when its priority beats the best so far, starting from 0: a priority of 0 (a
    # bhyve max leaf of 0) never wins, and the first of equals stays.
    # Xen's alone does not test X86_FEATURE_HYPERVISOR: xen_platform_hvm() -> xen_cpuid_base()
    # (arch/x86/include/asm/xen/hypervisor.h) is cpuid_base_hypervisor("XenVMMXenVMM", 2) itself;
    # every other .detect returns 0 without the bit (VMware's DMI / backdoor fallback in
    # vmware_platform() reads nothing a platform here describes).
    # arch/x86/kernel/cpu/hypervisor.c lists x86_hyper_xen_hvm under CONFIG_XEN_PVHVM, which is
    # def_bool y on XEN (arch/x86/xen/Kconfig): without XEN the Xen leaves are never probed.
    max_pri, vendor = (0 if built_without(ctx, state, "XEN") else probe_base(ctx, scan, _XEN)), "xen"
    if not s.hv_bit:
        if max_pri:
            return _detected(ctx, s, "xen", max_pri, " without the hypervisor bit (xen_cpuid_base() does not test it)")
        s.hypervisor = "none"
        return None
    sig0 = note_signature(ctx, 0x40000000, "hypervisor vendor at 0x40000000")
    if sig0 == "VMwareVMware" and 0x40000000 > max_pri:
        max_pri, vendor = 0x40000000, "vmware"
    if sig0 == "Microsoft Hv":
        max_leaf = ctx.cpuid(0x40000000, "eax", name="HYPERV_CPUID_VENDOR_AND_MAX_FUNCTIONS.eax")
        hypercall = ctx.field(HYPERV_CPUID_FEATURES, "HV_MSR_HYPERCALL_AVAILABLE")
        vp_index = ctx.field(HYPERV_CPUID_FEATURES, "HV_MSR_VP_INDEX_AVAILABLE")
        if max_leaf is not None and 0x40000005 <= max_leaf <= 0x4000FFFF and hypercall and vp_index:
            if 0x40000000 > max_pri:
                max_pri, vendor = 0x40000000, "hyperv"
        else:
            ctx.finding(
                "warning", "linux.hyperv-rejected",
                "\"Microsoft Hv\" present but ms_hyperv_platform() rejects it (max leaf outside "
                "0x40000005-0x4000ffff or HYPERCALL/VP_INDEX MSRs not available)",
            )
    for probe, name, option in _KVM_JAILHOUSE_ACRN:
        base = probe_base(ctx, scan, probe)
        if base > max_pri and note_config(ctx, state, option):
            max_pri, vendor = base, name
    if note_has(ctx, state, "bhyve"):
        # bhyve_detect(): cpuid_base_hypervisor("bhyve bhyve ", 0), priority = that base's max leaf.
        base = probe_base(ctx, scan, _BHYVE)
        if base and note_config(ctx, state, "BHYVE_GUEST"):
            pri = ctx.cpuid(base, "eax", name="bhyve_cpuid_max (the .detect priority)") or 0
            if pri > max_pri:
                max_pri, vendor = pri, "bhyve"
    if not max_pri:
        s.hypervisor = "unknown"
        return "hypervisor bit set but no hypervisor Linux knows (e.g. QEMU TCG): X86_HYPER_NATIVE"
    return _detected(ctx, s, vendor, max_pri, " wins (highest .detect() priority)")


def _detected(ctx: Ctx, s: LinuxX86State, vendor: str, pri: int, why: str) -> str:
    s.hypervisor = vendor
    name = HYPERVISOR_NAMES[vendor]
    s.dmesg.append(f"Hypervisor detected: {name}")
    return f"{name} at 0x{pri:08x}{why}"


# Peeked at without a read when HV_ISOLATION is clear (Linux never reads it then).
_PARAVISOR_PRESENT = declared(HYPERV_CPUID_ISOLATION_CONFIG, "HV_PARAVISOR_PRESENT")
_PARAVISOR_PRESENT_REG = REG_INDEX[_PARAVISOR_PRESENT.reg]


def _partition_type(ctx: Ctx, state: State, isolation: int | None, cpu_mgmt: int | None) -> str | None:
    """Which partition Linux takes itself for, from the privileges in 0x40000003.ebx; the
    conclusion when that is root or L1VH. The boot goes on either way (the isolation checks
    and the confidential VMBus read follow, as in ms_hyperv_init_platform())."""
    s = state.m
    identify = note_has(ctx, state, "hyperv-partition-type")
    if identify and built_without(ctx, state, "HYPERV"):
        return None  # hv_identify_partition_type() is the empty stub of include/asm-generic/mshyperv.h
    if identify:
        # hv_identify_partition_type() (drivers/hv/hv_common.c): a root or L1VH claim counts only
        # without HV_ISOLATION and only in a kernel built with CONFIG_MSHV_ROOT (otherwise
        # pr_crit("Hyper-V: CONFIG_MSHV_ROOT not enabled!") and the partition stays a guest).
        create = ctx.field(HYPERV_CPUID_FEATURES, "HV_CREATE_PARTITIONS")
        if note_has(ctx, state, "hyperv-l1vh"):  # CREATE_PARTITIONS, then CPU_MANAGEMENT: root, else L1VH
            claim, kind = bool(create), "root" if cpu_mgmt else "L1VH"
        else:  # 6.15-6.17: root needs both privileges
            claim, kind = bool(create and cpu_mgmt), "root"
        why = "HV_CREATE_PARTITIONS" + (" and HV_CPU_MANAGEMENT" if kind == "root" else "")
    else:  # 6.12.107 mshyperv.c: HV_CPU_MANAGEMENT without HV_ISOLATION -> hv_root_partition
        claim, kind, why = bool(cpu_mgmt), "root", "HV_CPU_MANAGEMENT"
    if not claim:
        return None
    if isolation:
        ctx.finding(
            "info", "linux.hyperv-root-claim-ignored",
            "a root-partition privilege and HV_ISOLATION both set: Linux ignores the root claim in an "
            "isolated partition (a malicious host cannot make a CVM act as root)",
        )
        return None
    if identify and not note_config(ctx, state, "MSHV_ROOT"):
        s.dmesg.append("Hyper-V: CONFIG_MSHV_ROOT not enabled!")  # pr_crit(); HV_PARTITION_TYPE_GUEST stays
        return f"{kind} claim ({why}, no HV_ISOLATION), but CONFIG_MSHV_ROOT not set: the partition stays a guest"
    s.hv_partition = kind
    ctx.finding("info", "linux.hyperv-root" if kind == "root" else "linux.hyperv-l1vh",
                f"{why} without HV_ISOLATION: Linux runs as the {kind} partition")
    return f"{kind} partition ({why}, no HV_ISOLATION)"


def ms_hyperv_init_platform(ctx: Ctx, state: State) -> str | None:
    s = state.m
    if s.hypervisor != "hyperv":
        return None
    isolation = ctx.field(HYPERV_CPUID_FEATURES, "HV_ISOLATION")
    cpu_mgmt = ctx.field(HYPERV_CPUID_FEATURES, "HV_CPU_MANAGEMENT")
    partition = _partition_type(ctx, state, isolation, cpu_mgmt)
    if note_has(ctx, state, "confidential-vmbus"):
        # Read unconditionally: the Hyper-V stack or the paravisor answers 0x4000008x by intercept.
        cvmbus = ctx.field(HYPERV_CPUID_VIRT_STACK_PROPERTIES, "HYPERV_VS_PROPERTIES_EAX_CONFIDENTIAL_VMBUS_AVAILABLE")
        s.confidential_vmbus = bool(cvmbus)
    if not isolation:
        para = ctx.regs(HYPERV_CPUID_ISOLATION_CONFIG)
        if para is not None and _PARAVISOR_PRESENT.extract(para[_PARAVISOR_PRESENT_REG]):
            ctx.field(HYPERV_CPUID_ISOLATION_CONFIG, "HV_PARAVISOR_PRESENT", name="HV_PARAVISOR_PRESENT (not read by Linux)")
            ctx.finding(
                "warning", "x86.paravisor-without-isolation",
                "0x4000000c.eax[0] (HV_PARAVISOR_PRESENT) is set but 0x40000003.ebx[22] "
                "(HV_ISOLATION) is clear: Linux never reads leaf 0x4000000c and runs as a plain Hyper-V guest",
            )
        return partition or "no HV_ISOLATION: a plain Hyper-V guest"
    config_a = ctx.cpuid(HYPERV_CPUID_ISOLATION_CONFIG, "eax", name="isolation_config_a")
    config_b = ctx.cpuid(HYPERV_CPUID_ISOLATION_CONFIG, "ebx", name="isolation_config_b")
    paravisor = ctx.field(HYPERV_CPUID_ISOLATION_CONFIG, "HV_PARAVISOR_PRESENT")
    iso_type = ctx.field(HYPERV_CPUID_ISOLATION_CONFIG, "HV_ISOLATION_TYPE")
    active = ctx.field(HYPERV_CPUID_ISOLATION_CONFIG, "HV_SHARED_GPA_BOUNDARY_ACTIVE")
    bits = ctx.field(HYPERV_CPUID_ISOLATION_CONFIG, "HV_SHARED_GPA_BOUNDARY_BITS")
    s.dmesg.append(f"Hyper-V: Isolation Config: Group A 0x{config_a or 0:x}, Group B 0x{config_b or 0:x}")
    if built_without(ctx, state, "HYPERV"):
        # mshyperv.c is built with HYPERVISOR_GUEST and prints the line above; arch/x86/hyperv/ is
        # not, so hv_get_isolation_type() is the stub answering HV_ISOLATION_TYPE_NONE
        # (include/asm-generic/mshyperv.h) and hv_vtom_init() is not called (#if IS_ENABLED(CONFIG_HYPERV)).
        return "HV_ISOLATION, but CONFIG_HYPERV not set: hv_get_isolation_type() is HV_ISOLATION_TYPE_NONE, no isolation set-up"
    s.hv_isolation = True
    vtom_release = note_has(ctx, state, "hyperv-vtom")
    if not vtom_release:
        paravisor = 0  # never read: every isolation type becomes CC_VENDOR_HYPERV below
    s.hv_paravisor = bool(paravisor)
    s.hv_type = iso_type or 0
    s.shared_gpa_boundary = (1 << bits) if active and bits is not None else 0
    name = HV_ISOLATION_TYPE.get(iso_type or 0) or f"unknown ({iso_type})"
    if not vtom_release:
        if iso_type and built_without(ctx, state, "AMD_MEM_ENCRYPT"):
            # 6.1.176 mshyperv.c: cc_vendor = CC_VENDOR_HYPERV only if IS_ENABLED(CONFIG_AMD_MEM_ENCRYPT).
            return f"isolated partition: type {name}; CONFIG_AMD_MEM_ENCRYPT not set: cc_vendor stays CC_VENDOR_NONE"
        if iso_type:
            # CONFIG_AMD_MEM_ENCRYPT=y (Debian): "Isolation VMs are unenlightened SEV-based VMs".
            s.cc_vendor = CC_VENDOR_HYPERV
            s.hv_legacy_isolation = True
            if s.snp or s.tdx_guest:
                own = "SEV-SNP" if s.snp else "TDX"
                ctx.finding("warning", "linux.hyperv-cc-vendor-override",
                            f"the guest runs its own {own}, but ms_hyperv_init_platform() overwrites cc_vendor "
                            "with CC_VENDOR_HYPERV: only CC_ATTR_GUEST_MEM_ENCRYPT holds")
        return f"isolated partition: type {name}; cc_vendor = CC_VENDOR_HYPERV (HV_PARAVISOR_PRESENT not read)"
    if iso_type == HvType.TDX and not paravisor and note_has(ctx, state, "hyperv-tdx-reduced-hw"):
        s.reduced_hw_init = True
        s.dmesg.append("Hyper-V: TDX without a paravisor: x86_init.acpi.reduced_hw_early_init = reduced_hw_init")
    if paravisor and not active:
        ctx.finding(
            "error", "x86.shared-gpa-boundary-inactive",
            "paravisor present but HV_SHARED_GPA_BOUNDARY_ACTIVE is clear: shared_gpa_boundary = 0, "
            "so cc_set_mask(0) and shared and private aliases of guest memory collapse",
        )
    return f"isolated partition: type {name}, paravisor {'present' if paravisor else 'absent'}, " + (
        f"shared GPA boundary 1 << {bits}" if active else "no shared GPA boundary"
    )


def hv_vtom_init(ctx: Ctx, state: State) -> str | None:
    s = state.m
    if not s.hv_isolation:
        return None
    if s.hv_legacy_isolation:
        return "no hv_vtom_init() in this release: cc_vendor stays CC_VENDOR_HYPERV"
    iso_type = s.hv_type
    if not (iso_type == HvType.VBS or s.hv_paravisor):
        if iso_type == HvType.SNP and not s.snp:
            ctx.finding(
                "warning", "x86.hyperv-snp-without-snp",
                "Hyper-V says SNP isolation without a paravisor, but the guest sees no SEV-SNP (0x8000001f/SEV_STATUS)",
            )
        if iso_type == HvType.TDX and not s.tdx_guest:
            ctx.finding(
                "warning", "x86.hyperv-tdx-without-tdx",
                "Hyper-V says TDX isolation without a paravisor, but leaf 0x21 is not \"IntelTDX    \"",
            )
        return "fully enlightened isolation (no paravisor): hv_vtom_init() not called"
    # arch/x86/hyperv/ivm.c: hv_vtom_init() exists with CONFIG_AMD_MEM_ENCRYPT or
    # CONFIG_INTEL_TDX_GUEST (else the empty stub of <asm/mshyperv.h>), its SNP case only with the first.
    no_amd = built_without(ctx, state, "AMD_MEM_ENCRYPT")
    if no_amd and built_without(ctx, state, "INTEL_TDX_GUEST"):
        return "CONFIG_AMD_MEM_ENCRYPT and CONFIG_INTEL_TDX_GUEST not set: hv_vtom_init() is the empty stub"
    if iso_type in (HvType.VBS, HvType.SNP) and not no_amd:  # SNP, and VBS which falls through into it
        s.sev_status = 1 << SNP_VTOM
        s.cc_vendor = CC_VENDOR_AMD
    elif iso_type == HvType.TDX or iso_type == HvType.VBS:  # without the SNP case VBS falls through to TDX
        s.cc_vendor = CC_VENDOR_INTEL
    else:
        state.halt(f"panic: hv_vtom_init: unsupported isolation type {iso_type}")
        ctx.finding(
            "error", "x86.isolation-type-unsupported",
            f"HV_ISOLATION with isolation type {iso_type} and a paravisor: hv_vtom_init() panics "
            f"\"hv_vtom_init: unsupported isolation type {iso_type}\"",
        )
        return f"panic: unsupported isolation type {iso_type}"
    s.vtom = True
    s.cc_mask = s.shared_gpa_boundary
    return (
        f"vTOM: cc_vendor {s.cc_vendor}, cc_set_mask(0x{s.shared_gpa_boundary:x})"
        + (", sev_status = MSR_AMD64_SNP_VTOM (the real SEV_STATUS is never read)" if s.cc_vendor == CC_VENDOR_AMD else "")
    )


def acpi_mp_wakeup(ctx: Ctx, state: State) -> str | None:
    """acpi_process_madt() parses the first MADT Multiprocessor Wakeup structure on every
    x86_64 guest, TDX or not, once the LAPIC entries parsed (acpi_parse_mp_wake())."""
    s = state.m
    if ctx.p.acpi is None:
        return None  # the boot stopped before setup_arch(), or the platform states no ACPI
    s.mp_wakeup = None
    if ctx.acpi_table("APIC", name="MADT (acpi_process_madt)") is None:
        return "no MADT: no multiprocessor wakeup structure"
    lapics = len(ctx.acpi_subtables("APIC", 0x00, name="ACPI_MADT_TYPE_LOCAL_APIC"))
    lapics += len(ctx.acpi_subtables("APIC", 0x09, name="ACPI_MADT_TYPE_LOCAL_X2APIC"))
    if not lapics:
        return "acpi_parse_madt_lapic_entries(): \"No LAPIC entries present\"; the MP wakeup entry is not parsed"
    wakes = ctx.acpi_subtables("APIC", MP_WAKEUP_TYPE, name="ACPI_MADT_TYPE_MULTIPROC_WAKEUP")
    if not wakes:
        return "no multiprocessor wakeup structure (linux.x86.ap-startup says how APs start)"
    index = wakes[0][0]  # acpi_table_parse_madt(..., acpi_parse_mp_wake, 1): the first one only
    length = ctx.acpi_subfield("APIC", index, "length", name="header.length")
    if length < MP_WAKEUP_SIZE_V0:
        ctx.finding("warning", "linux.mp-wakeup-rejected",
                    f"acpi_parse_mp_wake() rejects the MADT multiprocessor wakeup structure of {length} bytes "
                    f"(< ACPI_MADT_MP_WAKEUP_SIZE_V0 {MP_WAKEUP_SIZE_V0}): APs start with INIT-SIPI-SIPI")
        return f"MP wakeup structure of {length} bytes rejected"
    version = ctx.acpi_subfield("APIC", index, "MailboxVersion", name="version")
    mailbox = ctx.acpi_subfield("APIC", index, "BaseAddress", name="base_address (acpi_mp_wake_mailbox_paddr)")
    reset = None
    v1 = version is not None and version >= 1 and length >= MP_WAKEUP_SIZE_V1
    # The TDX kexec series (v6.11) brought both the reset vector and the mailbox-0 check.
    kexec_series = (v1 or not mailbox) and note_has(ctx, state, "mp-wakeup-offline")
    if v1 and kexec_series:
        reset = ctx.acpi_subfield("APIC", index, "ResetVector", name="reset_vector (acpi_mp_setup_reset())")
    s.mp_wakeup = {"version": version, "mailbox": mailbox, "reset_vector": reset, "cpu_offlining": reset is not None}
    if not mailbox:
        # acpi_parse_mp_wake() takes the address as it is and installs acpi_wakeup_cpu() either way.
        if kexec_series:
            ctx.finding("warning", "linux.mp-wakeup-no-mailbox",
                        "MADT multiprocessor wakeup structure with mailbox address 0: acpi_wakeup_cpu() prints \"No "
                        "MADT mailbox: cannot bringup secondary CPUs. Booting with kexec?\" and returns -EOPNOTSUPP: "
                        "the guest runs on its boot CPU only")
        else:
            ctx.finding("warning", "linux.mp-wakeup-mailbox-zero",
                        "MADT multiprocessor wakeup structure with mailbox address 0, and no check for it before "
                        "v6.11: acpi_wakeup_cpu() memremap()s physical address 0, writes the wakeup command there and "
                        "spins until it reads back 0; no firmware listens at 0, so what answers decides whether the "
                        "boot CPU waits forever in smp_init()")
    return (f"wakeup_secondary_cpu_64 = acpi_wakeup_cpu(): APs start through the mailbox at 0x{mailbox or 0:x}; "
            + ("CPU offlining through the reset vector" if reset is not None
               else "cpu_hotplug_disable_offlining() (no version 1 reset vector)"))


def sev_es_init_vc_handling(ctx: Ctx, state: State) -> str | None:
    """trap_init() -> sev_es_init_vc_handling(): an SEV-ES or SNP guest (CC_ATTR_GUEST_STATE_ENCRYPT;
    not vTOM) needs RDRAND, its only trusted source of randomness, or it panics. The same check
    in the decompressor's sev_es_shutdown_ghcb() runs only if a #VC set up the boot GHCB."""
    if "CC_ATTR_GUEST_STATE_ENCRYPT" not in state.m.cc_attrs:
        return None
    if ctx.field(0x1, "RDRAND", name="X86_FEATURE_RDRAND (sev_es_check_cpu_features())"):
        return "sev_es_check_cpu_features(): RDRAND present"
    return _terminate(ctx, state, "sev_es_panic",
                      "sev_es_check_cpu_features(): \"RDRAND instruction not supported - no trusted source of "
                      "randomness available\", then panic(\"SEV-ES CPU Features missing\")")


def ap_startup(ctx: Ctx, state: State) -> str | None:
    """How do_boot_cpu() starts the APs: apic->wakeup_secondary_cpu_64 (the MADT mailbox, or
    hv_snp_boot_ap() which hv_smp_prepare_cpus() installs later and so wins), else
    apic->wakeup_secondary_cpu (wakeup_cpu_via_vmgexit() under SNP), else INIT-SIPI-SIPI."""
    s = state.m
    snp = "CC_ATTR_GUEST_SEV_SNP" in s.cc_attrs
    if (s.hv_isolation and s.hv_type == HvType.SNP and not s.hv_paravisor
            and not s.hv_legacy_isolation and note_has(ctx, state, "hyperv-snp-ap")):
        s.ap_startup = "hv_snp_boot_ap"
        return ("hv_smp_prepare_cpus(): SNP isolation without a paravisor -> wakeup_secondary_cpu_64 = "
                "hv_snp_boot_ap() (HVCALL_START_VP with a VMSA it builds)")
    if s.mp_wakeup:
        if not s.mp_wakeup["mailbox"] and note_has(ctx, state, "mp-wakeup-offline"):
            s.ap_startup = None
            return "wakeup_secondary_cpu_64 = acpi_wakeup_cpu(), which refuses mailbox address 0: no AP starts"
        s.ap_startup = "acpi_wakeup_cpu"
        return "wakeup_secondary_cpu_64 = acpi_wakeup_cpu(): the MADT mailbox is preferred over any other method"
    if snp:
        features = s.hv_features
        ctx.note("ghcb msr 0xc0010130 HV_FEATURES[13]", int(bool(features & GHCB_HV_FT_SNP_AP_CREATION)), name="GHCB_HV_FT_SNP_AP_CREATION")
        if not features & GHCB_HV_FT_SNP_AP_CREATION:
            s.ap_startup = None
            ctx.finding("error", "linux.snp-no-ap-creation",
                        "SNP guest without a MADT mailbox: snp_set_wakeup_secondary_cpu() installs "
                        "wakeup_cpu_via_vmgexit(), which returns -EOPNOTSUPP because the hypervisor lacks "
                        "GHCB_HV_FT_SNP_AP_CREATION: no APs are started (the guest runs on its boot CPU only)")
            return "wakeup_cpu_via_vmgexit(): no GHCB AP creation, so no AP starts"
        s.ap_startup = "wakeup_cpu_via_vmgexit"
        return "snp_set_wakeup_secondary_cpu(): wakeup_cpu_via_vmgexit() (VMGEXIT AP_CREATE with a VMSA per AP)"
    s.ap_startup = "INIT-SIPI-SIPI"
    return "wakeup_secondary_cpu_via_init(): INIT-SIPI-SIPI"


def acpi_ccel(ctx: Ctx, state: State) -> str | None:
    """acpi_sysfs_init() -> acpi_table_data_init(): the CCEL's log area becomes
    /sys/firmware/acpi/tables/data/CCEL unless the table is short or LASA/LAML is zero. The
    kernel never interprets CCType (the EFI stub's EFI_CC_TYPE_* only name the firmware's
    EFI_CC_MEASUREMENT_PROTOCOL); user space reading the log does."""
    s = state.m
    if ctx.p.acpi is None:
        return None
    s.ccel = None
    table = ctx.acpi_table("CCEL", name="ACPI_SIG_CCEL (acpi_data_objs[])")
    if table is None:
        return "no CCEL: no /sys/firmware/acpi/tables/data/CCEL"
    length = ctx.note("acpi CCEL.Length", table.length, name="header.length")
    cc_type = ctx.acpi_field("CCEL", "CCType", name="CCType (not read by the kernel; EFI_CC_TYPE_* in efistub.h)")
    lasa = ctx.acpi_field("CCEL", "LogAreaStartAddress", name="log_area_start_address")
    laml = ctx.acpi_field("CCEL", "LogAreaMinimumLength", name="log_area_minimum_length")
    exported = length >= CCEL_SIZE and bool(lasa) and bool(laml)
    s.ccel = {
        "cc_type": cc_type,
        "cc_type_name": CC_TYPES.get(cc_type, "reserved") if cc_type is not None else None,
        "log": CCEL_LOG if exported else None,
        "log_address": lasa,
        "log_size": laml,
    }
    if not exported:
        ctx.finding("warning", "linux.ccel-log-refused",
                    f"acpi_ccel_data_init() refuses the CCEL (Length {length}, LASA 0x{lasa or 0:x}, "
                    f"LAML 0x{laml or 0:x}): no {CCEL_LOG}, so user space cannot read the CC event log")
        return "CCEL refused: no event log in sysfs"
    return f"{CCEL_LOG}: 0x{laml:x} bytes at 0x{lasa:x} (CCType {cc_type}, {s.ccel['cc_type_name']})"


def cc_platform_has(ctx: Ctx, state: State) -> str | None:
    s = state.m
    vendor = s.cc_vendor
    attrs: list[str] = []
    if vendor == CC_VENDOR_AMD:
        status = (s.sev_status or 0)
        if status & 1 << SNP_VTOM:
            attrs = ["CC_ATTR_MEM_ENCRYPT", "CC_ATTR_GUEST_MEM_ENCRYPT"]
        elif status & 1 << SEV_ENABLED:  # sme_me_mask is set (SME, a host feature, is not modelled)
            attrs.append("CC_ATTR_MEM_ENCRYPT")
            attrs.append("CC_ATTR_GUEST_MEM_ENCRYPT")
            if status & 1 << SEV_ES_ENABLED:
                attrs.append("CC_ATTR_GUEST_STATE_ENCRYPT")
            else:
                attrs.append("CC_ATTR_GUEST_UNROLL_STRING_IO")
            if status & 1 << SNP_ENABLED:
                attrs.append("CC_ATTR_GUEST_SEV_SNP")
            if status & 1 << SNP_SECURE_TSC:
                attrs.append("CC_ATTR_GUEST_SNP_SECURE_TSC")
            if status & 1 << SNP_SECURE_AVIC:
                attrs.append("CC_ATTR_SNP_SECURE_AVIC")
    elif vendor == CC_VENDOR_INTEL:
        attrs = ["CC_ATTR_GUEST_UNROLL_STRING_IO", "CC_ATTR_GUEST_MEM_ENCRYPT", "CC_ATTR_MEM_ENCRYPT"]
    elif vendor == CC_VENDOR_HYPERV:
        attrs = ["CC_ATTR_GUEST_MEM_ENCRYPT"]  # hyperv_cc_platform_has() (before v6.6)
    s.cc_attrs = attrs
    if vendor == CC_VENDOR_INTEL:
        s.dmesg.append("Memory Encryption Features active: Intel TDX")
    elif "CC_ATTR_MEM_ENCRYPT" in attrs:  # mem_encrypt_init() prints only then (AMD: the SEV line)
        parts = [n for a, n in (("CC_ATTR_GUEST_MEM_ENCRYPT", " SEV"), ("CC_ATTR_GUEST_STATE_ENCRYPT", " SEV-ES"),
                                ("CC_ATTR_GUEST_SEV_SNP", " SEV-SNP")) if a in attrs]
        s.dmesg.append("Memory Encryption Features active: AMD" + "".join(parts))
    return f"cc_vendor {vendor}: " + (", ".join(attrs) if attrs else "no CC attributes")


def arch_accept_memory(ctx: Ctx, state: State) -> str | None:
    s = state.m
    d = state.d
    if not note_has(ctx, state, "unaccepted-memory"):
        # Firmware accepts all memory before boot; the kernel still accepts/validates what it
        # converts (tdx_enc_status_changed(), snp_set_memory_private()).
        if s.tdx_guest or "CC_ATTR_GUEST_SEV_SNP" in s.cc_attrs:
            d.memory_acceptance = "svsm" if s.snp_vmpl else "guest"
            return "no unaccepted-memory support: firmware accepts all memory, the kernel accepts what it converts"
        if _paravisor_vtom(s):
            d.memory_acceptance = "paravisor"
            return "no unaccepted-memory support: the paravisor validated all memory before boot"
        d.memory_acceptance = "none"
        return "no private-memory acceptance on this platform"
    if s.tdx_guest:
        d.memory_acceptance = "guest"
        return "X86_FEATURE_TDX_GUEST: tdx_accept_memory() (TDG.MEM.PAGE.ACCEPT)"
    if "CC_ATTR_GUEST_SEV_SNP" in s.cc_attrs:
        if s.snp_vmpl:
            d.memory_acceptance = "svsm"
            return "snp_accept_memory(): snp_vmpl != 0, so PVALIDATE goes through SVSM_CORE_PVALIDATE"
        d.memory_acceptance = "guest"
        return "snp_accept_memory(): the kernel runs PVALIDATE at VMPL0"
    if _paravisor_vtom(s):
        d.memory_acceptance = "paravisor"
        return ("vTOM with a paravisor: the paravisor validated memory before boot; unaccepted memory "
                "would panic \"Cannot accept memory: unknown platform\"")
    d.memory_acceptance = "none"
    return "no private-memory acceptance on this platform"


def attestation_drivers(ctx: Ctx, state: State) -> str | None:
    s = state.m
    drivers = s.drivers
    attrs = s.cc_attrs
    tsm = note_has(ctx, state, "configfs-tsm")
    if "CC_ATTR_GUEST_SEV_SNP" in attrs:
        # get_secrets_page(): the CC blob's secrets page, smoke-tested for PAGE_SIZE (before v6.13;
        # from v6.13 snp_init() makes the same test and sme_enable() stops, so this never fails).
        secrets_len = _snp_assumed(ctx, "secrets_len", PAGE_SIZE, "cc_blob_sev_info.secrets_len")
        if not s.cc_blob or secrets_len != PAGE_SIZE:
            why = "no CC blob" if not s.cc_blob else f"secrets_len {secrets_len} != PAGE_SIZE"
            ctx.finding("warning", "linux.snp-no-secrets-page",
                        f"snp_init_platform_device(): get_secrets_page() finds no secrets page ({why}): "
                        "\"sev-guest\" is not registered, so the guest cannot request attestation reports")
            return f"no sev-guest: {why}"
        if not note_config(ctx, state, "SEV_GUEST"):  # drivers/virt/coco/Makefile: obj-$(CONFIG_SEV_GUEST)
            return "\"sev-guest\" registered, but CONFIG_SEV_GUEST not set: no driver binds (no /dev/sev-guest)"
        drivers.append("sev-guest")
        via = "sev-guest (/dev/sev-guest" + (", configfs-tsm provider sev_guest" if tsm else " ioctls only")
        if s.svsm and note_has(ctx, state, "svsm-attestation"):
            via += f", VMPCK{s.snp_vmpl}, service_provider=svsm"
        elif s.svsm:
            via += f", VMPCK{s.snp_vmpl}"
        state.service("attestation", via + ")")
        return f"snp_init_platform_device(): \"sev-guest\" registered ({via})"
    if s.tdx_guest:
        if not note_has(ctx, state, "tdx-guest-driver"):
            return "X86_FEATURE_TDX_GUEST, but this release has no tdx-guest driver: no attestation"
        if not note_config(ctx, state, "TDX_GUEST_DRIVER"):  # drivers/virt/coco/tdx-guest/Makefile
            return "X86_FEATURE_TDX_GUEST, but CONFIG_TDX_GUEST_DRIVER not set: no tdx-guest, no attestation"
        drivers.append("tdx-guest")
        state.service("attestation", "tdx-guest (/dev/tdx_guest" + (", configfs-tsm provider tdx_guest)" if tsm else ")"))
        if s.hv_paravisor:
            ctx.finding(
                "error", "x86.tdx-visible-behind-paravisor",
                "leaf 0x21 says \"IntelTDX    \" while Hyper-V says a paravisor is in charge: "
                "tdx_early_init() forces X86_FEATURE_TDX_GUEST and tdx-guest loads, then hv_vtom_init() "
                "overwrites cc_mask with the shared GPA boundary — both sides think they own TDG.MEM.PAGE.ACCEPT",
            )
        return "X86_FEATURE_TDX_GUEST: tdx-guest loads"
    if _paravisor_vtom(s):
        state.service("attestation", "paravisor vTPM: HCL report in TPM NV index 0x01400001 (user space reads it)")
        return "no sev-guest/tdx-guest (CC_ATTR_GUEST_SEV_SNP false, no TDX_GUEST); the paravisor's vTPM carries the report"
    if (s.sev_status or 0) & 1 << SEV_ENABLED:
        return "SEV/SEV-ES: no guest-side report; launch-injected secrets only (efi_secret)"
    return "no attestation driver binds"


def vtpm(ctx: Ctx, state: State) -> str | None:
    s = state.m
    if s.svsm:
        if not note_has(ctx, state, "tpm-svsm"):
            return "SVSM present; this release has no tpm-svsm driver"
        if not note_config(ctx, state, "TCG_SVSM"):  # drivers/char/tpm/Makefile: obj-$(CONFIG_TCG_SVSM)
            return "SVSM present, but CONFIG_TCG_SVSM not set: no tpm-svsm driver"
        probe = ctx.snp("svsm_vtpm", name="SVSM_VTPM_QUERY answer (tpm_svsm_probe)")
        if probe:
            s.drivers.append("tpm-svsm")
            state.service("vtpm", "tpm-svsm (SVSM vTPM protocol 2, SVSM_VTPM_CMD)")
            return "tpm-svsm binds: the SVSM answers SVSM_VTPM_QUERY"
        if probe is None:
            ctx.finding(
                "info", "linux.svsm-vtpm-unknown",
                "an SVSM is present; whether tpm-svsm binds depends on SVSM_VTPM_QUERY at run time "
                "(state it with [snp] svsm_vtpm = true/false)",
            )
        return "SVSM without a known vTPM"
    if _paravisor_vtom(s):
        state.service("vtpm", "paravisor-emulated TPM (private MMIO at VTPM_BASE_ADDRESS, tpm_crb)")
        if s.hv_legacy_isolation:
            return "isolation VM: the paravisor emulates the TPM (tpm_crb)"
        return "hv_is_private_mmio(): the vTPM page stays encrypted; the paravisor emulates the TPM"
    return None


def tdisp(ctx: Ctx, state: State) -> str | None:
    # 7.2.8: pci_tsm_register() takes link_ops or devsec_ops (lock/unlock); the only pci_tsm_ops
    # in the tree is drivers/crypto/ccp/sev-dev-tsm.c, a host (link) TSM.
    ctx.note("linux mainline PCI/TSM", "no guest devsec_ops implementer",
             name="pci_tsm_ops.devsec_ops (lock/unlock) exists; no guest TSM driver implements it")
    return ("no guest TDISP in mainline: drivers/pci/tsm.c accepts devsec_ops, but no guest TSM driver "
            "implements them (the only pci_tsm_ops is the host's sev-dev-tsm link TSM)")


def paravisor_cross_check(ctx: Ctx, state: State) -> str | None:
    """The guest's own SEV-SNP is visible while Hyper-V's leaves say a paravisor is in charge.

    Linux never gets to read 0x4000000c when the SNP path stops the boot first; pvenum reads
    it here to name the contradiction (docs/sources.md x86 conflict 1).
    """
    s = state.m
    if not (s.sev_status_hw or 0) >> SNP_ENABLED & 1:
        return None
    if s.hv_paravisor:
        pass  # ms_hyperv_init_platform() read it already
    elif state.halted and ctx.regs(HYPERV_CPUID_ISOLATION_CONFIG) is not None:
        iso = ctx.field(HYPERV_CPUID_FEATURES, "HV_ISOLATION")
        para = ctx.field(HYPERV_CPUID_ISOLATION_CONFIG, "HV_PARAVISOR_PRESENT")
        if not (iso and para):
            return None
    else:
        return None
    ctx.finding(
        "error", "x86.snp-visible-behind-paravisor",
        "the guest sees its own SEV-SNP (0x8000001f.eax[1] and SEV_STATUS.SNP) while Hyper-V says a "
        "paravisor is in charge: the enlightened boot path runs (and stops, or fights the paravisor over PVALIDATE)",
    )
    return "SNP visible behind a paravisor"


def conclude(ctx: Ctx, state: State) -> str | None:
    s = state.m
    d = state.d
    d.hypervisor = s.hypervisor
    hv_type = s.hv_type
    vtom = s.vtom or s.hv_legacy_isolation  # both need HV_ISOLATION
    status = s.sev_status or 0
    isolation = "none"
    if s.tdx_guest or (s.hv_isolation and hv_type == HvType.TDX):
        isolation = "tdx"
    elif vtom and hv_type == HvType.VBS:
        isolation = "vbs"
    elif s.snp or (vtom and hv_type == HvType.SNP):
        isolation = "sev-snp"
    elif status & 1 << SEV_ES_ENABLED:
        isolation = "sev-es"
    elif status & 1 << SEV_ENABLED:
        isolation = "sev"
    halted = state.halted
    if halted and isolation == "none" and s.sev_status_hw:
        isolation = sev_level(s.sev_status_hw)[0]  # what the guest was when it stopped
    elif halted and isolation == "none" and s.td_hw:
        isolation = "tdx"
    d.isolation = isolation
    hypervisor = d.hypervisor
    if halted and hypervisor == "none" and s.hv_bit:
        # The boot stopped before detect_hypervisor_vendor(); name the vendor it would have met.
        bases = scan_hypervisor_bases(ctx)
        hypervisor = d.hypervisor = bases[max(bases)] if bases else "unknown"
    if halted:
        mode, conclusion = "conflict", f"conflict: {halted}"
    elif s.missing:
        mode, conclusion = "indeterminate", "indeterminate: missing " + ", ".join(s.missing)
    elif (s.snp or s.tdx_guest) and s.hv_paravisor:
        mode, conclusion = "conflict", "conflict: own CC enlightenment visible and a paravisor in charge"
    elif s.tdx_guest and s.cc_vendor == CC_VENDOR_AMD:  # bsp_determine_snp() on an AMD leaf 0
        mode, conclusion = "conflict", "conflict: a TDX guest whose cc_vendor is AMD"
    elif _paravisor_vtom(s):
        mode = "paravisor"
        conclusion = ("paravisor: Hyper-V isolation VM (before v6.6 every SNP/TDX isolation VM runs behind one)"
                      if s.hv_legacy_isolation else "paravisor: Hyper-V paravisor in charge (ms_hyperv.paravisor_present)")
    elif "CC_ATTR_GUEST_MEM_ENCRYPT" in s.cc_attrs:  # not cc_vendor: bsp_determine_snp() sets AMD on any AMD CPU
        mode, conclusion = "enlightened", f"enlightened: the kernel runs the {isolation} ABIs itself"
    else:
        mode, conclusion = "not-confidential", "not a confidential VM"
    d.mode = mode
    # hv_paravisor and reduced_hw_init are bools already (LinuxX86State): output as they are.
    d.output = {
        "cc_vendor": s.cc_vendor,
        "cc_attrs": s.cc_attrs,
        "cc_mask": s.cc_mask,
        "sev_status": s.sev_status,
        "x86_features": s.features,
        "hypervisor": HYPERVISOR_NAMES.get(hypervisor, hypervisor),
        "hyperv_paravisor_present": s.hv_paravisor,
        "snp_vmpl": s.snp_vmpl,
        "drivers": s.drivers,
        "dmesg": s.dmesg,
        "stops": halted,
        "mp_wakeup": s.mp_wakeup,
        "ap_startup": s.ap_startup,
        "reduced_hw_init": s.reduced_hw_init,
        "confidential_vmbus": s.confidential_vmbus,
        "hyperv_partition": s.hv_partition,
        "ccel": s.ccel,
    }
    return conclusion


C = "torvalds/linux "
RULES = (
    Rule("linux.x86.hypervisor-bit", C + "arch/x86/kernel/cpu/common.c: get_cpu_cap() (CPUID.1:ECX[31] -> X86_FEATURE_HYPERVISOR)",
         "Is there a hypervisor?", hypervisor_bit),
    Rule("linux.x86.sev-enable", C + "arch/x86/boot/compressed/sev.c: sev_enable(), early_snp_init(), find_cc_blob(); "
         "arch/x86/boot/compressed/misc.c: error(); arch/x86/boot/startup/sev-shared.c: setup_cpuid_table(), "
         "svsm_setup_ca(), get_hv_features(), do_vc_no_ghcb(); "
         "arch/x86/coco/sev/vc-shared.c: sev_es_negotiate_protocol()",
         "Decompressor: SEV leaf (#VC check), CC blob, SNP CPUID table, SVSM, GHCB protocol and features, VMPL0", sev_enable),
    Rule("linux.x86.snp-features", C + "arch/x86/boot/compressed/sev.c: snp_check_features() / snp_get_unsupported_features() "
         "(SNP_FEATURES_IMPL_REQ, SNP_FEATURES_IMPL); drivers/firmware/efi/libstub/x86-stub.c: efi_stub_entry(), "
         "have_unsupported_snp_features()",
         "SNP features the kernel must implement", snp_check_features),
    Rule("linux.x86.sme-enable", C + "arch/x86/boot/startup/sme.c: sme_enable(); "
         "arch/x86/boot/startup/sev-startup.c: snp_init()",
         "Kernel proper: CC blob vs SEV_STATUS.SNP, cc_vendor AMD and the C-bit mask", sme_enable),
    Rule("linux.x86.tdx", C + "arch/x86/coco/tdx/tdx.c: tdx_early_init(), tdx_setup(), disable_sept_ve()",
         "TDX guest: leaf 0x21 \"IntelTDX    \"", tdx_early_init),
    Rule("linux.x86.mem-encrypt-flags", C + "arch/x86/kernel/cpu/common.c: get_cpu_cap(), get_cpu_vendor(); "
         "arch/x86/kernel/cpu/amd.c: early_init_amd(), early_detect_mem_encrypt(); arch/x86/kernel/cpu/Makefile: "
         "CONFIG_CPU_SUP_AMD; arch/x86/include/asm/cpufeatures.h: X86_FEATURE_SME, X86_FEATURE_SEV, "
         "X86_FEATURE_SEV_ES, X86_FEATURE_SEV_SNP, X86_FEATURE_HYPERVISOR; "
         "arch/x86/include/asm/msr-index.h: MSR_AMD64_SYSCFG_MEM_ENCRYPT_BIT, MSR_K7_HWCR_SMMLOCK_BIT; "
         "arch/x86/boot/startup/sme.c: sme_enable() (sme_me_mask: in a guest, the C-bit, set on the SEV path only); "
         "arch/x86/kvm/x86.c: kvm_get_msr_common() (what a KVM guest reads for both); "
         "arch/x86/mm/extable.c: ex_handler_msr() (a faulting MSR read gives 0); "
         "arch/x86/kernel/cpu/hygon.c: early_init_hygon() (a Hygon CPU's: no memory-encryption check); "
         "qemu/qemu v10.1 target/i386/tcg/system/misc_helper.c: helper_rdmsr() (what QEMU TCG answers for both: 0)",
         "AMD CPU: which SME/SEV feature flags survive (/proc/cpuinfo)", early_detect_mem_encrypt),
    Rule("linux.x86.amd-cc-vendor", C + "arch/x86/kernel/cpu/amd.c: bsp_init_amd(), bsp_determine_snp(); "
         "arch/x86/kernel/cpu/common.c: get_cpu_vendor(); arch/x86/kernel/cpu/Makefile: CONFIG_CPU_SUP_AMD; "
         "arch/x86/include/asm/cpufeatures.h: X86_FEATURE_HYPERVISOR, X86_FEATURE_SEV_SNP; "
         "arch/x86/virt/svm/sev.c: snp_probe_rmptable_info() (a host's RMP check, assumed)",
         "AMD CPU: cc_vendor AMD from early_cpu_init()", bsp_determine_snp),
    Rule("linux.x86.hypervisor-vendor", C + "arch/x86/kernel/cpu/hypervisor.c: detect_hypervisor_vendor(); "
         "arch/x86/include/asm/cpuid/api.h: cpuid_base_hypervisor(); arch/x86/include/asm/xen/hypervisor.h: "
         "xen_cpuid_base(); arch/x86/kernel/cpu/bhyve.c: bhyve_detect()",
         "Which hypervisor (highest .detect() priority wins)", detect_hypervisor_vendor),
    Rule("linux.x86.hyperv-isolation", C + "arch/x86/kernel/cpu/mshyperv.c: ms_hyperv_init_platform(); "
         "drivers/hv/hv_common.c: hv_identify_partition_type()",
         "Hyper-V privileges and isolation configuration", ms_hyperv_init_platform),
    Rule("linux.x86.hv-vtom-init", C + "arch/x86/hyperv/ivm.c: hv_vtom_init()",
         "Paravisor or VBS: vTOM set-up", hv_vtom_init),
    Rule("linux.x86.acpi-mp-wakeup", C + "arch/x86/kernel/acpi/boot.c: acpi_process_madt(); arch/x86/kernel/acpi/madt_wakeup.c: acpi_parse_mp_wake()",
         "MADT multiprocessor wakeup: how APs start", acpi_mp_wakeup),
    Rule("linux.x86.cc-attrs", C + "arch/x86/coco/core.c: cc_platform_has(); arch/x86/mm/mem_encrypt.c: "
         "mem_encrypt_init(), print_mem_encrypt_feature_info()",
         "Which CC_ATTR_* hold", cc_platform_has),
    Rule("linux.x86.sev-es-cpu-features", C + "arch/x86/kernel/traps.c: trap_init(); arch/x86/coco/sev/core.c: "
         "sev_es_init_vc_handling(); arch/x86/coco/sev/vc-shared.c: sev_es_check_cpu_features()",
         "SEV-ES/SNP: RDRAND or panic", sev_es_init_vc_handling),
    Rule("linux.x86.ap-startup", C + "arch/x86/kernel/smpboot.c: do_boot_cpu(); arch/x86/coco/sev/core.c: "
         "snp_set_wakeup_secondary_cpu(), wakeup_cpu_via_vmgexit(); arch/x86/kernel/cpu/mshyperv.c: hv_smp_prepare_cpus()",
         "How the APs start", ap_startup),
    Rule("linux.x86.accept-memory", C + "arch/x86/include/asm/unaccepted_memory.h: arch_accept_memory()",
         "Who accepts private memory", arch_accept_memory),
    Rule("linux.x86.attestation", C + "arch/x86/coco/sev/core.c: snp_init_platform_device(); drivers/virt/coco/tdx-guest/tdx-guest.c: tdx_guest_init()",
         "Which attestation driver binds", attestation_drivers),
    Rule("linux.x86.vtpm", C + "drivers/char/tpm/tpm_svsm.c: tpm_svsm_probe(); arch/x86/hyperv/ivm.c: hv_is_private_mmio()",
         "Which vTPM the guest reaches", vtpm),
    Rule("linux.x86.acpi-ccel", C + "drivers/acpi/sysfs.c: acpi_ccel_data_init(); drivers/firmware/efi/libstub/efistub.h: EFI_CC_TYPE_*",
         "CC event log: /sys/firmware/acpi/tables/data/CCEL", acpi_ccel),
    Rule("linux.x86.tdisp", C + "drivers/pci/tsm.c: pci_tsm_register(); include/linux/pci-tsm.h: pci_tsm_ops.devsec_ops",
         "Guest TDISP (TDI lock/accept)", tdisp),
    Rule("linux.x86.paravisor-cross-check", C + "arch/x86/boot/startup/sme.c: sme_enable() vs arch/x86/kernel/cpu/mshyperv.c: ms_hyperv_init_platform() (derived: docs/sources.md)",
         "Own SNP visible while a paravisor is in charge", paravisor_cross_check, after_halt=True),
)

STATE = LinuxX86State  # what linux.py seeds each derivation with
FINAL = Rule("linux.x86.mode", C + "arch/x86/kernel/cpu/mshyperv.c: ms_hyperv.paravisor_present; arch/x86/coco/core.c: "
             "cc_platform_has() (CC_ATTR_GUEST_MEM_ENCRYPT), cc_vendor",
         "Mode the kernel ends up in", conclude)
