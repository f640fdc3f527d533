"""Upstream Linux on arm64: what the kernel concludes from the devicetree or ACPI, the SMCCC
conduit, RSI and the vendor hypervisor UID.

Rules run in setup_arch() order (arch/arm64/kernel/setup.c): xen_early_init(), then
acpi_boot_table_init() picks DT or ACPI, psci_dt_init()/psci_acpi_init() set the SMCCC conduit,
arm64_rsi_init() decides is_realm_world(); kvm_init_hyp_services() and hyperv_init() identify
the hypervisor; then what cc_platform_has() answers, how DMA is bounced (arch_mm_preinit(),
reserved-memory pools), who accepts private memory, which attestation device appears, and
/chosen. The shared reads live in pvenum/resolver/arm.py; paths are torvalds/linux and the
versions read are in docs/sources.md.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from ...arm import smccc as S
from .. import arm
from ..engine import Ctx, Rule, State
from .linux_releases import MAINLINE, Release, built_without, note_config, note_has

PAGE_SIZE = 4096  # arm64 4 KiB pages (CONFIG_ARM64_4K_PAGES, the distribution default)
SZ_1M = 1 << 20




def _dmesg(state: State, *lines: str) -> None:
    state.m.dmesg.extend(lines)


def _missing(state: State, what: str) -> None:
    missing = state.m.missing
    if what not in missing:
        missing.append(what)



@dataclass(slots=True)  # a mistyped field fails instead of reading None
class LinuxArm64State:
    """What the arm64 boot has established so far."""

    release: Release = MAINLINE
    kconfig: Any = None  # the KernelConfig the kernel was built with (pvenum/kconfig.py), or None: assumed
    missing: list[str] = field(default_factory=list)  # inputs the model needed and did not get
    dmesg: list[str] = field(default_factory=list)
    fw: str | None = None  # "dt" | "acpi": what the kernel boots from
    xen: dict | None = None
    conduit: str | None = None  # the PSCI conduit the firmware description names
    smccc_conduit: str | None = None
    psci_version: str | None = None
    smccc_version: str | None = None
    rsi: Any = None  # arm.rsi_init()'s result
    realm: bool = False  # is_realm_world()
    kvm_services: list[str] | None = None
    pkvm: dict | None = None
    hyperv: str | None = None  # how Hyper-V was detected ("acpi" | "smccc")
    hypervisor: str = "none"
    cc_attrs: list[str] = field(default_factory=list)
    dma: dict | None = None
    devices: list[str] = field(default_factory=list)
    drivers: list[str] = field(default_factory=list)
    chosen: dict | None = None

# --- rules ---------------------------------------------------------------------------------------


def boot_firmware(ctx: Ctx, state: State) -> str | None:
    # arch/arm64/kernel/acpi.c: acpi_boot_table_init() tries ACPI only when the DT is a stub
    # (dt_is_stub(): nothing but /chosen and a Xen /hypervisor at depth 1), and keeps it only when
    # acpi_fadt_sanity_check() passes (acpi=on|force|off are not modelled: docs/linux-releases.md).
    fw = arm.boot_firmware(ctx)
    state.m.fw = fw
    if fw is None:
        _missing(state, "a devicetree or ACPI tables (the bundle has neither)")
        ctx.finding("error", "linux.arm64.no-firmware-description",
                    "no devicetree and no ACPI FADT: the arm64 Linux model cannot tell the SMCCC conduit")
        state.stop = True
        return "nothing to boot from"
    check = arm.acpi_attempt(ctx)  # the ACPI boot it tried, if it did: its lines, and why it gave up
    if check is not None:
        _dmesg(state, *check.dmesg)
        if not check.ok:
            ctx.finding("warning", "linux.arm64.acpi-disabled",
                        f"acpi_fadt_sanity_check() fails ({check.problem}): disable_acpi(), so the kernel boots "
                        "from the devicetree the EFI stub left (PSCI, the conduit and Hyper-V's FADT test go with it)")
            return f"devicetree: ACPI disabled ({check.problem})"
    return ("ACPI: the DT is a stub (acpi_disabled = false)" if fw == "acpi"
            else "devicetree: acpi_disabled (no ACPI tables, or a full DT without acpi=on)")


def xen_early_init(ctx: Ctx, state: State) -> str | None:
    # arch/arm/xen/enlighten.c: xen_early_init() scans the flat DT for a depth-1 "hypervisor"
    # node compatible with "xen,xen" and a "xen,xen-<version>" first string; xen_guest_init()
    # (early_initcall) then needs the grant table (reg[0]) and the event channel PPI.
    if built_without(ctx, state, "XEN"):
        return "CONFIG_XEN not set: xen_early_init() is the empty stub of include/xen/arm/hypervisor.h"
    x = arm.xen(ctx)
    s = state.m
    if not x.found:
        if x.problems:
            ctx.finding("warning", "linux.arm64.xen-node-ignored", "; ".join(x.problems))
        return "no Xen /hypervisor node: not a Xen guest"
    _dmesg(state, f"Xen {x.version} support found")
    if s.fw == "acpi":
        # xen_guest_init(): with ACPI, xen_acpi_guest_init() takes the event channel PPI from
        # HVMOP_get_param(HVM_PARAM_CALLBACK_IRQ) — a PPI when value[63:56] is
        # HVM_PARAM_CALLBACK_TYPE_PPI, its number value[7:0] — a hypercall no platform description
        # answers, and reads nothing of the DT node (xen_grant_frames stays 0: ballooned pages).
        ctx.note("xen HVM_PARAM_CALLBACK_IRQ[63:56] (assumed)", "HVM_PARAM_CALLBACK_TYPE_PPI",
                 name="xen_acpi_guest_init(): HVMOP_get_param() gives the event channel PPI (the DT's is not read)")
        s.xen = {"version": x.version, "grant_table": None, "events_irq": None, "guest_init": True}
        return f"Xen {x.version} guest (xen_domain_type = XEN_HVM_DOMAIN); ACPI boot: xen_acpi_guest_init()"
    x = arm.xen_dt_guest_init(ctx)
    s.xen = {"version": x.version, "grant_table": list(x.grant_table) if x.grant_table else None,
             "events_irq": list(x.events_irq) if x.events_irq else None, "guest_init": not x.problems}
    for p in x.notes:  # xen_dt_guest_init() logs it and goes on: the grant table comes from ballooned pages
        _dmesg(state, p)
        ctx.finding("info", "linux.arm64.xen-grant-frames-ballooned",
                    f"/hypervisor: {p}: xen_grant_frames stays 0, so xen_guest_init() maps the grant table "
                    "from ballooned pages (xen_xlate_map_ballooned_pages())")
    for p in x.problems:
        _dmesg(state, p)
        ctx.finding("warning", "linux.arm64.xen-guest-init-fails",
                    f"/hypervisor: {p}: xen_guest_init() returns -ENODEV (no grant tables, no event channels)")
    return f"Xen {x.version} guest (xen_domain_type = XEN_HVM_DOMAIN)"


def psci_init(ctx: Ctx, state: State) -> str | None:
    # drivers/firmware/psci/psci.c: psci_dt_init() (psci_of_match, get_set_conduit_method()) or
    # psci_acpi_init() (FADT ArmBootFlags); psci_probe() and psci_init_smccc() then call
    # PSCI_VERSION, PSCI_FEATURES(SMCCC_VERSION) and SMCCC_VERSION; arm_smccc_1_1_get_conduit()
    # is NONE below SMCCC 1.1.
    s = state.m
    p = arm.psci(ctx)
    s.conduit = p.conduit
    _dmesg(state, *p.dmesg)
    if p.problem:
        s.smccc_conduit = "none" if p.conduit is not None else None
        if p.conduit is None:
            _missing(state, "the SMCCC conduit (DT /psci method or FADT ArmBootFlags)")
            return f"conduit unknown: {p.problem}"
        ctx.finding("warning", "linux.arm64.no-psci-conduit",
                    f"{p.problem}: no PSCI, so no SMCCC conduit (arm_smccc_1_1_get_conduit() = NONE): no RSI, "
                    "no vendor hypervisor services, secondary CPUs need another enable-method")
        return f"no conduit: {p.problem}"
    sm = arm.smccc(ctx)
    pv, c = sm.psci_version, sm.conduit
    s.psci_version = arm._ver(pv) if pv is not None else "0.1"
    if pv is not None:
        _dmesg(state, f"psci: PSCIv{s.psci_version} detected in firmware.", "psci: Using standard PSCI v0.2 function IDs")
    s.smccc_conduit = c
    if c != "none":  # SMCCC 1.1+: SMCCC_VERSION was asked
        s.smccc_version = arm._ver(sm.version)
        _dmesg(state, f"psci: SMC Calling Convention v{s.smccc_version}")
    else:
        s.smccc_version = "1.0"
    where = f"DT {p.node}" if p.firmware == "dt" else "ACPI FADT"
    return f"PSCI conduit {p.conduit.upper()} from {where}; arm_smccc_1_1_get_conduit() = {c.upper()}"


def rsi_init(ctx: Ctx, state: State) -> str | None:
    # arch/arm64/kernel/rsi.c: arm64_rsi_init(): SMC conduit, rsi_version_matches()
    # (NOT_SUPPORTED silently, other errors "RME: RMM doesn't support RSI version"),
    # WARN_ON(rsi_get_realm_config()), prot_ns_shared = BIT(ipa_bits - 1),
    # realm_register_memory_enc_ops(), arm64_rsi_setup_memory(), static_branch_enable(&rsi_present).
    s = state.m
    if not note_has(ctx, state, "cca-realm"):
        return "no arm64_rsi_init() in this release: RSI is never called, a realm boots as an ordinary guest"
    r = arm.rsi_init(ctx)
    s.rsi = r
    pkvm = s.pkvm
    if pkvm and pkvm["mem_crypt_ops"] and (r.realm or r.stopped):
        # arch/arm64/kernel/setup.c runs psci_dt_init()/psci_acpi_init() first, and psci_probe()
        # calls kvm_init_hyp_services(): pKVM's ops are in place before arm64_rsi_init() registers
        # the realm's, and each register function refuses a second one (WARN_ON, -EBUSY).
        # What pkvm_init_hyp_services() registered on: the service bits and the granule it took.
        ctx.smccc(S.VENDOR_HYP_KVM_FEATURES, 0, name="KVM_FEATURES x0: HYP_MEMINFO, MEM_SHARE, MEM_UNSHARE "
                  f"(bits {S.KVM_FUNC_HYP_MEMINFO}-{S.KVM_FUNC_MEM_UNSHARE}), MMIO_GUARD (bit {S.KVM_FUNC_MMIO_GUARD}): pKVM registered first")
        ctx.smccc(S.KVM_HYP_MEMINFO, 0, name="HYP_MEMINFO x0 granule <= PAGE_SIZE: arm64_mem_crypt_ops_register(&pkvm_crypt_ops)")
        which = "arm64_ioremap_prot_hook_register() (pKVM's MMIO guard hook)" if pkvm["mmio_guard"] else \
            "realm_register_memory_enc_ops() -> arm64_mem_crypt_ops_register() (pKVM's memory encryption ops)"
        _dmesg(state, *r.dmesg[:1])
        ctx.finding("warning", "linux.arm64.pkvm-before-rsi",
                    "RSI answers as a realm's RMM, but pKVM's services were set up first (kvm_init_hyp_services() runs "
                    f"inside psci_probe(), before arm64_rsi_init()): {which} returns -EBUSY, so arm64_rsi_init() returns "
                    "before arm64_rsi_setup_memory() and rsi_present: not a realm")
        return f"not a realm: {which} was taken by pKVM"
    _dmesg(state, *r.dmesg)
    if r.missing:
        _missing(state, r.missing)
        return f"cannot tell: {r.reason}"
    if r.conduit in ("hvc", "none") and ctx.p.smccc is not None and ctx.p.smccc.has(S.RSI_VERSION):
        status = ctx.smccc(S.RSI_VERSION, 0, name="answer stated for RSI_VERSION (never asked over this conduit)")
        if status == S.RSI_SUCCESS:
            ctx.finding("info", "linux.arm64.rsi-not-asked",
                        f"[smccc] answers RSI_VERSION with success, but the conduit is {r.conduit.upper()}: "
                        "arm64_rsi_init() returns before calling it (a realm must use the SMC conduit)")
    if r.warn:
        ctx.finding("warning", "linux.arm64.realm-config-fails",
                    f"{r.warn}: the kernel stays out of realm mode although RSI_VERSION succeeded")
    if r.panic:
        state.halt(r.stopped)  # type: ignore[arg-type]
        ctx.finding("error", "linux.boot-stops.rsi-setup-memory",
                    f"Linux stops booting: arm64_rsi_setup_memory() panics \"{r.panic}\" (RSI_IPA_STATE_SET refused)")
        return "boot stops: RIPAS_RAM refused"
    if r.hang:
        state.halt(r.stopped)  # type: ignore[arg-type]
        ctx.finding("error", "linux.boot-stops.rsi-setup-memory",
                    f"Linux stops booting: arm64_rsi_setup_memory() never returns: {r.hang}")
        return "boot stops: RIPAS_RAM never set"
    if r.assumed:
        ctx.finding("info", "linux.arm64.rsi-assumed",
                    "RSI 1.0 calls the platform does not state were assumed to succeed: " + ", ".join(r.assumed))
    if r.realm and r.ipa_bits is not None and not 32 <= r.ipa_bits <= 52:
        ctx.finding("warning", "linux.arm64.odd-ipa-bits",
                    f"realm_config.ipa_bits = {r.ipa_bits}: Linux does not check it, and BIT(ipa_bits - 1) "
                    "outside arm64's 32..52-bit IPA range makes prot_ns_shared meaningless")
    if r.realm:
        s.realm = True
        shared = f"0x{r.prot_ns_shared:x}" if r.prot_ns_shared is not None else "unknown (ipa_bits not stated)"
        return f"is_realm_world(): RSI {arm._ver(r.lower)}, prot_ns_shared = {shared}"
    return r.reason


_KVM_FEATURES_LABELS = tuple(f"KVM_FEATURES x{i} (lower 32 bits: services {32 * i}..{32 * i + 31})" for i in range(4))


def _uid_asking(ctx: Ctx, state: State) -> tuple[tuple[str, ...], bool]:
    """How this release asks the vendor UID: over which conduits, and whether KVM's is compared on
    whole 64-bit registers (the "smccc-hyp-uuid" and "smccc-uid-any-conduit" rows)."""
    api = note_has(ctx, state, "smccc-hyp-uuid")
    any_conduit = api and note_has(ctx, state, "smccc-uid-any-conduit")
    return (arm.UID_ANY_CONDUIT if any_conduit else arm.UID_HVC_ONLY), not api


def kvm_init_hyp_services(ctx: Ctx, state: State) -> str | None:
    # drivers/firmware/smccc/kvm_guest.c: kvm_init_hyp_services(): arm_smccc_hypervisor_has_uuid(KVM)
    # (drivers/firmware/smccc/smccc.c, over arm_smccc_1_1_invoke()), then KVM_FEATURES: each
    # register's lower 32 bits form the service bitmap; kvm_arch_init_hyp_services() ->
    # drivers/virt/coco/pkvm-guest/arm-pkvm-guest.c: pkvm_init_hyp_services(). Before v6.17 the UID
    # is asked over HVC only; before v6.16 kvm_init_hyp_services() compares whole registers.
    s = state.m
    c = s.smccc_conduit
    conduits, whole = _uid_asking(ctx, state)
    if not arm.has_uuid(ctx, "kvm", c, conduits=conduits, whole_registers=whole):
        if c == "smc" and c not in conduits:
            return "the SMCCC conduit is SMC: this release asks the vendor hypervisor UID over HVC only (no KVM services)"
        return "the vendor hypervisor UID is not KVM's: no KVM services" if c in ("smc", "hvc") else \
            "no SMCCC conduit: arm_smccc_hypervisor_has_uuid() is false"
    answered = ctx.p.smccc.has(S.VENDOR_HYP_KVM_FEATURES)
    regs = [ctx.smccc(S.VENDOR_HYP_KVM_FEATURES, i, name=label) or 0 for i, label in enumerate(_KVM_FEATURES_LABELS)]
    bitmap = sum((r & 0xFFFFFFFF) << (32 * i) for i, r in enumerate(regs))
    funcs = [n for n in range(bitmap.bit_length()) if bitmap >> n & 1]  # the set bits, lowest first
    if not answered:
        ctx.finding("warning", "linux.arm64.kvm-features-unanswered",
                    "the UID says KVM but KVM_FEATURES (0x86000000) is not answered: the kernel takes "
                    "lower_32_bits(-1) as the bitmap, i.e. every service 0..31 available")
    _dmesg(state, "smccc: KVM: hypervisor services detected (" + " ".join(f"0x{regs[i]:08x}" for i in (3, 2, 1, 0)) + ")")
    s.kvm_services = [S.KVM_FUNC_NAMES.get(n, str(n)) for n in funcs]
    need = (S.KVM_FUNC_HYP_MEMINFO, S.KVM_FUNC_MEM_SHARE, S.KVM_FUNC_MEM_UNSHARE)
    if all(n in funcs for n in need) and note_has(ctx, state, "pkvm-guest") and note_config(ctx, state, "ARM_PKVM_GUEST"):
        granule = ctx.smccc(S.KVM_HYP_MEMINFO, 0, name="ARM_SMCCC_VENDOR_HYP_KVM_HYP_MEMINFO: x0 granule")
        # pkvm_init_hyp_services(): "if (res.a0 > PAGE_SIZE) return;" — error codes are huge
        # unsigned values; a granule of 0 passes (drivers/virt/coco/pkvm-guest/arm-pkvm-guest.c).
        if granule is not None and 0 <= granule <= PAGE_SIZE:
            guard = S.KVM_FUNC_MMIO_GUARD in funcs
            s.pkvm = {"granule": granule, "mem_crypt_ops": True, "mmio_guard": guard}
            ctx.finding("info", "linux.arm64.pkvm-protected-guest",
                        f"pKVM services (HYP_MEMINFO, MEM_SHARE, MEM_UNSHARE): set_memory_decrypted() shares pages "
                        f"with the host in 0x{granule:x}-byte granules" + (", MMIO guard on" if guard else "")
                        + "; cc_platform_has() stays false (arm64 answers it from is_realm_world() only)")
        else:
            s.pkvm = {"granule": None, "mem_crypt_ops": False, "mmio_guard": False}
    return "KVM: services " + ", ".join(s.kvm_services)


def hyperv_init(ctx: Ctx, state: State) -> str | None:
    # arch/arm64/hyperv/mshyperv.c: hyperv_init(): hyperv_detect_via_acpi() (!acpi_disabled, FADT
    # revision >= 6, HypervisorId "MsHyperV") || hyperv_detect_via_smccc() (the Hyper-V UID); before
    # v6.16 (the "arm64-hyperv-smccc" row) the FADT's HypervisorId alone, at any revision.
    s = state.m
    if built_without(ctx, state, "HYPERV"):  # arch/arm64/Kbuild: obj-$(subst m,y,$(CONFIG_HYPERV)) += hyperv/
        return "CONFIG_HYPERV not set: no hyperv_init() (arch/arm64/hyperv/ is not built)"
    smccc = note_has(ctx, state, "arm64-hyperv-smccc")
    # hyperv_detect_via_smccc() came with arm_smccc_hypervisor_has_uuid() (v6.16): HVC only until v6.17.
    conduits = arm.UID_ANY_CONDUIT if smccc and note_has(ctx, state, "smccc-uid-any-conduit") else arm.UID_HVC_ONLY
    h = arm.hyperv(ctx, s.fw, s.smccc_conduit, fadt_only=not smccc, conduits=conduits)
    if not h.detected:
        if smccc and s.fw == "acpi" and h.fadt_id == arm.HYPERV_ID:
            ctx.finding("info", "linux.arm64.hyperv-fadt-too-old",
                        "FADT HypervisorId is \"MsHyperV\" but the FADT revision is below 6: hyperv_detect_via_acpi() "
                        "does not read it")
        if not smccc and arm.has_uuid(ctx, "hyperv", s.smccc_conduit):
            ctx.finding("info", "linux.arm64.hyperv-uid-unread",
                        "the SMCCC vendor hypervisor UID is Hyper-V's, but this release finds Hyper-V by the FADT "
                        "only (hyperv_detect_via_smccc() came in v6.16): no Hyper-V set-up, no VMBus")
        return "neither the FADT nor the SMCCC UID says Hyper-V" if smccc else \
            "the FADT does not say Hyper-V (this release never asks the SMCCC UID)"
    s.hyperv = h.via
    how = "FADT HypervisorId \"MsHyperV\"" if h.via == "acpi" else "the Hyper-V SMCCC UID"
    if not smccc:
        revision = ctx.note("acpi FACP.Revision", ctx.p.acpi.get("FACP").revision, name="header.revision")
        if (revision or 0) < 6:
            ctx.finding("info", "linux.arm64.hyperv-fadt-any-revision",
                        f"FADT revision {revision} carries HypervisorId \"MsHyperV\": this release compares it at any "
                        "revision; from v6.16 hyperv_detect_via_acpi() wants revision 6 or later")
    if s.realm:
        ctx.finding("info", "linux.arm64.hyperv-in-realm",
                    "Hyper-V in a realm: mainline sends hypercalls over HVC, which the RMM refuses; the RSI_HOST_CALL "
                    "path is the unmerged 2026 \"arm64: hyperv: Add Realm support\" RFC")
    return f"Hyper-V guest: detected via {how}"


def which_hypervisor(ctx: Ctx, state: State) -> str | None:
    # The precedence arm64 Linux ends up with: xen_domain() from the DT, then Hyper-V, then
    # KVM's services; shared with the proposal model (pvenum/resolver/arm.py hypervisor()).
    s = state.m
    if s.missing and s.conduit is None:
        s.hypervisor = "unknown"
        return None
    # Before v6.16 Hyper-V is the FADT's word alone (the "arm64-hyperv-smccc" row).
    smccc_hv = note_has(ctx, state, "arm64-hyperv-smccc")
    no_xen, no_hyperv = built_without(ctx, state, "XEN"), built_without(ctx, state, "HYPERV")
    conduits, whole = _uid_asking(ctx, state)
    if smccc_hv and not (no_xen or no_hyperv) and conduits == arm.UID_ANY_CONDUIT:
        hv = arm.hypervisor(ctx)  # the reading the proposal model shares, memoised per platform
    else:
        hv = arm.identify_hypervisor(ctx, hyperv_fadt_only=not smccc_hv, xen_built=not no_xen, hyperv_built=not no_hyperv,
                                     uid_conduits=conduits, kvm_whole_registers=whole)
    if hv == "unknown" and s.rsi is None and arm.smccc(ctx).conduit == "smc":
        # arm.identify_hypervisor() names a realm's RMM "unknown"; a release without
        # arm64_rsi_init() (before v6.13) never asks it, nor the vendor UID over SMC (HVC only
        # before v6.17), so it names no hypervisor at all (Debian 6.1.176 and 6.12.117 booted on
        # cca-realm: tests/data/kernelcheck/6.*-arm64-cca-realm.log).
        hv = "none"
    s.hypervisor = hv
    return f"hypervisor: {s.hypervisor}"


def cc_platform_has(ctx: Ctx, state: State) -> str | None:
    # arch/arm64/kernel/rsi.c: cc_platform_has(): CC_ATTR_MEM_ENCRYPT is is_realm_world(); every
    # other attribute is false on arm64.
    s = state.m
    s.cc_attrs = ["CC_ATTR_MEM_ENCRYPT"] if s.realm else []
    return "CC_ATTR_MEM_ENCRYPT" if s.realm else "no CC attributes"


def _pool_users(ctx: Ctx, phandle: int | None) -> list[str]:
    if phandle is None or ctx.p.fdt is None:
        return []
    users = []
    for node in ctx.p.fdt.walk():
        cells = node.u32_cells("memory-region")
        if cells and phandle in cells:
            ctx.dt_prop(node.path, "memory-region", kind="bytes",
                        name="of_reserved_mem_device_init(): the pool's phandle")
            users.append(node.path)
    return users


def dma_bounce(ctx: Ctx, state: State) -> str | None:
    # arch/arm64/mm/init.c: arch_mm_preinit() (mem_init() up to v6.12): a realm sets swiotlb = true, SWIOTLB_FORCE (every DMA is
    # bounced through shared memory, commit fbf979a01375 "arm64: Enforce bounce buffers for realm
    # DMA"); drivers/of/of_reserved_mem.c + kernel/dma/swiotlb.c rmem_swiotlb_setup():
    # "restricted-dma-pool" (refused with reusable/no-map/linux,*-default), kernel/dma/coherent.c
    # rmem_dma_setup() and kernel/dma/contiguous.c rmem_cma_setup() for "shared-dma-pool".
    s = state.m
    realm = bool(s.realm)
    pools = []
    tree = ctx.p.fdt
    rmem = tree.get_node("/reserved-memory") if tree is not None and s.fw == "dt" else None
    if rmem is not None:
        ctx.dt_node("/reserved-memory", name="fdt_init_reserved_mem()")
        for node in rmem.children:
            compat = node.strings("compatible") or []
            kind = next((k for k in ("restricted-dma-pool", "shared-dma-pool") if k in compat), None)
            if kind is None:
                continue
            ctx.dt_prop(node.path, "compatible", kind="strings", name="RESERVEDMEM_OF_DECLARE match")
            ctx.dt_prop(node.path, "reg", kind="bytes", name="fdt_reserved_mem_save_node(): base, size")
            reg = node.reg() or [(0, 0)]
            base, size = reg[0]
            flags = [f for f in ("no-map", "reusable", "linux,cma-default", "linux,dma-default") if f in node.properties]
            for f in flags:
                ctx.dt_prop(node.path, f, kind="present")
            pool = {"path": node.path, "compatible": kind, "base": base, "size": size,
                    "users": _pool_users(ctx, node.phandle()), "accepted": True}
            if kind == "restricted-dma-pool":
                if flags:
                    pool["accepted"] = False
                    ctx.finding("warning", "linux.arm64.restricted-pool-refused",
                                f"{node.path}: restricted-dma-pool with {', '.join(flags)}: rmem_swiotlb_setup() "
                                "returns -EINVAL and the devices using it lose their bounce buffer")
                else:
                    _dmesg(state, f"Reserved memory: created restricted DMA pool at 0x{base:x}, size {size // SZ_1M} MiB")
                    if realm:
                        ctx.finding("info", "linux.arm64.restricted-pool-in-realm",
                                    f"{node.path}: in a realm Linux already bounces every DMA (SWIOTLB_FORCE); "
                                    "rmem_swiotlb_device_init() makes this pool shared with set_memory_decrypted()")
            elif "reusable" in node.properties:
                _dmesg(state, f"Reserved memory: created CMA memory pool at 0x{base:x}, size {size // SZ_1M} MiB")
            else:
                _dmesg(state, f"Reserved memory: created DMA memory pool at 0x{base:x}, size {size // SZ_1M} MiB")
            pools.append(pool)
    s.dma = {"swiotlb_force": realm, "pools": pools}
    what = "SWIOTLB_FORCE: all DMA bounced through shared memory" if realm else "no forced bouncing"
    return what + (f"; {len(pools)} reserved DMA pool(s)" if pools else "")


def accept_memory(ctx: Ctx, state: State) -> str | None:
    # arch/arm64/kernel/rsi.c: arm64_rsi_setup_memory(): every memblock range becomes RIPAS_RAM
    # through RSI_IPA_STATE_SET (RSI_NO_CHANGE_DESTROYED) before the kernel touches it.
    s = state.m
    d = state.d
    if not s.realm:
        d.memory_acceptance = "none"
        return "no private-memory acceptance"
    d.memory_acceptance = "guest"
    ranges = arm.memory_ranges(ctx)
    what = ", ".join(f"0x{a:x}+0x{n:x}" for a, n in ranges) or "the ACPI/EFI memory map"
    return f"the guest sets RIPAS_RAM on {what} (RSI_IPA_STATE_SET)"


def attestation(ctx: Ctx, state: State) -> str | None:
    # arch/arm64/kernel/rsi.c: arm64_create_dummy_rsi_dev() registers platform device
    # RSI_PDEV_NAME "arm-cca-dev" when is_realm_world(); drivers/virt/coco/arm-cca-guest/
    # arm-cca-guest.c is no platform driver: its module_init registers the configfs-tsm provider
    # arm_cca_guest when is_realm_world(), and its id table only lets udev load it for that
    # device's modalias (v7.2.8). (An unmerged 2025 series moves this to an SMCCC auxiliary
    # device "arm-rsi-dev".)
    s = state.m
    if not s.realm:  # also after a halt: the realm never came up
        return "no realm: no arm-cca-dev"
    s.devices.append(arm.RSI_PDEV_SYSFS)
    if not note_config(ctx, state, "ARM_CCA_GUEST"):  # drivers/virt/coco/Makefile: obj-$(CONFIG_ARM_CCA_GUEST)
        return f"{arm.RSI_PDEV_SYSFS} registered, but CONFIG_ARM_CCA_GUEST not set: no arm_cca_guest provider"
    s.drivers.append("arm-cca-guest")
    state.service("attestation", "arm-cca-guest (configfs-tsm provider arm_cca_guest, RSI_ATTESTATION_TOKEN_INIT/CONTINUE)")
    return f"{arm.RSI_PDEV_SYSFS} registered; arm-cca-guest (loaded for its modalias) registers arm_cca_guest"


def tdisp(ctx: Ctx, state: State) -> str | None:
    ctx.note("linux mainline PCI/TSM", "no guest devsec_ops implementer",
             name="pci_tsm_ops.devsec_ops exists; Arm CCA device assignment (RSI RDEV) is an unmerged RFC")
    return "no guest TDISP in mainline: the Arm CCA DA series (rsi-da.c) is unmerged"


_EARLYCON = re.compile(r"earlycon=[^\s,]+(?:,[^\s,]+)*?,(0x[0-9a-fA-F]+)")


def chosen(ctx: Ctx, state: State) -> str | None:
    # drivers/of/fdt.c: early_init_dt_scan_chosen() (bootargs, linux,initrd-*, rng-seed,
    # kaslr-seed); of_alias_scan() stdout-path. Documentation/arch/arm64/arm-cca.rst: in a
    # realm earlycon must use the unprotected (top IPA bit) alias of the UART.
    s = state.m
    tree = ctx.p.fdt
    node = tree.get_node("/chosen") if tree is not None else None
    if node is None:
        s.chosen = None
        return None
    out = {}
    for prop, kind in (("bootargs", "str"), ("stdout-path", "str")):
        if prop in node.properties:
            out[prop] = ctx.dt_prop("/chosen", prop, kind=kind, name="early_init_dt_scan_chosen()")
    for prop in ("linux,initrd-start", "linux,initrd-end", "rng-seed", "kaslr-seed"):
        if prop in node.properties:
            out[prop] = ctx.dt_prop("/chosen", prop, kind="present", name="early_init_dt_scan_chosen()")
    s.chosen = out
    r = s.rsi
    # Only a realm's earlycon needs the unprotected alias: search bootargs only then.
    m = _EARLYCON.search(out.get("bootargs") or "") if s.realm and r is not None and r.prot_ns_shared else None
    if m:
        addr = int(m.group(1), 16)
        if not addr & r.prot_ns_shared:
            ctx.finding("warning", "linux.arm64.earlycon-protected-alias",
                        f"/chosen bootargs earlycon at 0x{addr:x} is the protected alias; a realm must use the "
                        f"unprotected one (0x{addr | r.prot_ns_shared:x}, Documentation/arch/arm64/arm-cca.rst)")
    return "/chosen: " + (", ".join(out) if out else "empty")


def conclude(ctx: Ctx, state: State) -> str | None:
    s = state.m
    d = state.d
    r = s.rsi
    realm = bool(s.realm)
    d.hypervisor = s.hypervisor
    d.isolation = "cca" if realm or (r is not None and r.stopped) else "none"
    if state.halted:
        d.mode = "conflict"
        conclusion = f"conflict: {state.halted}"
    elif s.missing:
        d.mode = "indeterminate"
        conclusion = "indeterminate: missing " + ", ".join(s.missing)
    elif realm:
        d.mode = "enlightened"
        conclusion = "enlightened: an Arm CCA realm, the kernel runs RSI itself"
    else:
        d.mode = "not-confidential"
        conclusion = "not a confidential VM"
    d.output = {
        "is_realm_world": realm,
        "prot_ns_shared": r.prot_ns_shared if realm and r is not None else None,
        "ipa_bits": r.ipa_bits if r is not None else None,
        "rsi_version": arm._ver(r.lower) if r is not None and r.status == S.RSI_SUCCESS else None,
        "boot_firmware": s.fw,
        "conduit": s.conduit,
        "smccc_conduit": s.smccc_conduit,
        "smccc_version": s.smccc_version,
        "psci_version": s.psci_version,
        "hypervisor": d.hypervisor,
        "xen": s.xen,
        "hyperv": s.hyperv,
        "kvm_hyp_services": s.kvm_services,
        "pkvm": s.pkvm,
        "cc_attrs": s.cc_attrs,
        "dma": s.dma,
        "chosen": s.chosen,
        "devices": s.devices,
        "drivers": s.drivers,
        "dmesg": s.dmesg,
        "stops": state.halted,
    }
    return conclusion


C = "torvalds/linux "
RULES = (
    Rule("linux.arm64.boot-firmware", C + "arch/arm64/kernel/acpi.c: acpi_boot_table_init(), dt_is_stub(), "
         "acpi_fadt_sanity_check()",
         "Devicetree or ACPI?", boot_firmware),
    Rule("linux.arm64.xen", C + "arch/arm/xen/enlighten.c: xen_early_init(), fdt_find_hyper_node(), xen_dt_guest_init(), "
         "xen_acpi_guest_init(), xen_guest_init()",
         "Xen guest: /hypervisor \"xen,xen\"", xen_early_init),
    Rule("linux.arm64.psci", C + "drivers/firmware/psci/psci.c: psci_dt_init(), psci_acpi_init(), get_set_conduit_method(), "
         "psci_init_smccc(); drivers/firmware/smccc/smccc.c: arm_smccc_1_1_get_conduit()",
         "PSCI and the SMCCC conduit", psci_init),
    # setup_arch() (arch/arm64/kernel/setup.c): psci_dt_init()/psci_acpi_init() -> psci_probe() ->
    # kvm_init_hyp_services() before arm64_rsi_init(): the kvm rule runs first.
    Rule("linux.arm64.kvm", C + "drivers/firmware/smccc/kvm_guest.c: kvm_init_hyp_services(); "
         "drivers/virt/coco/pkvm-guest/arm-pkvm-guest.c: pkvm_init_hyp_services()",
         "KVM vendor hypervisor services (and pKVM)", kvm_init_hyp_services),
    Rule("linux.arm64.rsi", C + "arch/arm64/kernel/rsi.c: arm64_rsi_init(), rsi_version_matches(); "
         "arch/arm64/include/asm/rsi_cmds.h: rsi_request_version(), rsi_get_realm_config(); "
         "arch/arm64/mm/mem_encrypt.c: arm64_mem_crypt_ops_register(); arch/arm64/mm/ioremap.c: "
         "arm64_ioremap_prot_hook_register()",
         "Arm CCA realm: RSI_VERSION over SMC, then RSI_REALM_CONFIG", rsi_init),
    Rule("linux.arm64.hyperv", C + "arch/arm64/hyperv/mshyperv.c: hyperv_init(), hyperv_detect_via_acpi(), "
         "hyperv_detect_via_smccc()",
         "Hyper-V: FADT HypervisorId or SMCCC UID", hyperv_init),
    Rule("linux.arm64.hypervisor", C + "arch/arm/xen/enlighten.c: xen_early_init(); arch/arm64/hyperv/mshyperv.c: "
         "hyperv_init(); drivers/firmware/smccc/kvm_guest.c: kvm_init_hyp_services() "
         "(pvenum/resolver/arm.py hypervisor())",
         "Which hypervisor", which_hypervisor, after_halt=True),
    Rule("linux.arm64.cc-attrs", C + "arch/arm64/kernel/rsi.c: cc_platform_has()",
         "Which CC_ATTR_* hold", cc_platform_has, after_halt=True),
    Rule("linux.arm64.dma", C + "arch/arm64/mm/init.c: arch_mm_preinit() (SWIOTLB_FORCE in a realm); "
         "kernel/dma/swiotlb.c: rmem_swiotlb_setup(); kernel/dma/coherent.c: rmem_dma_setup()",
         "DMA bounce buffers and reserved-memory pools", dma_bounce),
    Rule("linux.arm64.accept-memory", C + "arch/arm64/kernel/rsi.c: arm64_rsi_setup_memory()",
         "Who accepts private memory", accept_memory),
    Rule("linux.arm64.attestation", C + "arch/arm64/kernel/rsi.c: arm64_create_dummy_rsi_dev(); "
         "drivers/virt/coco/arm-cca-guest/arm-cca-guest.c",
         "Attestation device arm-cca-dev", attestation, after_halt=True),
    Rule("linux.arm64.tdisp", C + "drivers/pci/tsm.c: pci_tsm_register(); include/linux/pci-tsm.h: pci_tsm_ops.devsec_ops",
         "Guest TDISP", tdisp),
    Rule("linux.arm64.chosen", C + "drivers/of/fdt.c: early_init_dt_scan_chosen(); Documentation/arch/arm64/arm-cca.rst",
         "/chosen (and earlycon in a realm)", chosen, after_halt=True),
)

STATE = LinuxArm64State  # what linux.py seeds each derivation with
FINAL = Rule("linux.arm64.mode", C + "arch/arm64/include/asm/rsi.h: is_realm_world(); arch/arm64/kernel/rsi.c: cc_platform_has()",
             "Mode the kernel ends up in", conclude)
