"""Cross-channel findings: one platform fact told by two channels that disagree.

A guest reads each channel for its own purpose — CPUID/MSRs (or SMCCC on arm64) for the TEE
and the hypervisor, ACPI for the measurement log, AP start-up and (arm64) the hypervisor — so a
platform can contradict itself without any one reader noticing. These rules compare the
channels and name both sides of every disagreement, e.g. ``acpi CCEL.CCType = 2 (Intel TDX)``
vs ``cpuid 0x8000001f / SEV_STATUS: SEV-SNP``. They add findings and evidence only; the mode
stays what the model's own rules derived, because the guests mirrored here act on one side.

Severity: ``error`` when a real guest breaks (a TD whose APs cannot start), ``warning`` when
only a reader that trusts the other channel goes wrong. The paravisor services record carried
by two channels is compared by the proposal model itself (``proposal.channels-disagree``).

Hooked into the ``linux`` model (both arches, pvenum/resolver/models/linux.py) and the
``proposal`` model. Sources: the ACPI layouts of acpica/acpica source/include/actbl*.h (FADT
HypervisorId, ACPI 6.0; MADT multiprocessor wakeup, ACPI 6.4; CCEL), tianocore/edk2
MdePkg/Include/Protocol/CcMeasurement.h (CC types), and the Linux readers each rule names
(versions: docs/sources.md).
"""

from __future__ import annotations

from typing import NamedTuple

from .engine import Ctx, Rule, State, field_source
from .x86 import HYPERV_CPUID_ISOLATION_CONFIG
from . import x86
from .models import own_signals

# CCEL CCType -> TEE family (EDK2 MdePkg/Include/Protocol/CcMeasurement.h; Linux
# drivers/firmware/efi/libstub/efistub.h defines 0-2 as EFI_CC_TYPE_NONE/AMD_SEV/INTEL_TDX).
CCEL_FAMILY = {1: "sev", 2: "tdx", 3: "riscv-ap-tee", 4: "cca"}
CCEL_NAME = {1: "AMD SEV", 2: "Intel TDX", 3: "RISC-V AP-TEE", 4: "Arm CCA"}
FAMILY_OF_ISOLATION = {"sev": "sev", "sev-es": "sev", "sev-snp": "sev", "tdx": "tdx", "cca": "cca",
                       "vbs": "vbs", "none": "none"}

# FADT Hypervisor Vendor Identity (ACPI 6.0, offset 268) -> hypervisors it can stand for.
# "MsHyperV": Hyper-V (arm64 Linux hyperv_detect_via_acpi()); "FIRECKVM": Firecracker, a KVM VMM
# (tests/data/acpi/firecracker/facp.dat); "CLOUDHYP": Cloud Hypervisor, which runs on KVM or
# MSHV (cloud-hypervisor vmm/src/acpi.rs create_facp_table()).
FADT_HYPERVISORS = {"MsHyperV": {"hyperv"}, "FIRECKVM": {"kvm"}, "CLOUDHYP": {"kvm", "hyperv"}}

MP_WAKEUP = 0x10  # ACPI_MADT_TYPE_MULTIPROC_WAKEUP
LAPIC_TYPES = (0x00, 0x09)  # Local APIC, Local x2APIC: flags bit0 Enabled, bit1 Online Capable


class CpuSide(NamedTuple):
    family: str  # sev | tdx | cca | vbs | none
    where: str  # the exact source, as the finding names it


def cpu_side(ctx: Ctx) -> CpuSide | None:
    """What the CPU-side channels say about the TEE; None when the model cannot tell."""
    own = own_signals.own_cc(ctx)
    if own.unknown:
        return None
    if ctx.p.arch == "arm64":
        if own.isolation == "cca":
            from ..arm.smccc import RSI_VERSION  # the arm64 readers load only for an arm64 platform

            return CpuSide("cca", f"smccc {RSI_VERSION:#010x} (RSI_VERSION) succeeds: Arm CCA realm")
        return CpuSide("none", "smccc: not a realm (RSI_VERSION fails or the conduit is HVC)")
    if own.isolation in ("sev", "sev-es", "sev-snp"):
        return CpuSide("sev", f"cpuid 0x8000001f / SEV_STATUS: {own.isolation.upper()}")
    if own.isolation == "tdx":
        return CpuSide("tdx", 'cpuid 0x21 "IntelTDX    ": TDX')
    legacy = own_signals.legacy_paravisor(ctx)
    if legacy is not None and legacy.isolation != "none":
        return CpuSide(FAMILY_OF_ISOLATION[legacy.isolation],
                       f"{field_source(HYPERV_CPUID_ISOLATION_CONFIG, 'HV_ISOLATION_TYPE')} HV_ISOLATION_TYPE = "
                       f"{legacy.type} ({legacy.isolation})")
    return CpuSide("none", "cpuid: no SEV (0x8000001f/SEV_STATUS), no TDX (0x21), no Hyper-V isolation (0x4000000c)")


def ccel_vs_cpu(ctx: Ctx, state: State) -> str | None:
    if ctx.acpi_get("CCEL") is None:
        return None
    cc = ctx.acpi_field("CCEL", "CCType", name="CC type (EDK2 CcMeasurement.h EFI_CC_TYPE_*)")
    family = CCEL_FAMILY.get(cc)
    if family is None:
        return f"CCEL.CCType {cc} names no TEE (validation reports CCEL.CCType)"
    cpu = cpu_side(ctx)
    if cpu is None:
        return "cannot compare: the CPU side is indeterminate"
    if cpu.family == family:
        return f"agree: CCEL and the CPU both say {family}"
    code = "cross.ccel-vs-rsi" if ctx.p.arch == "arm64" else "cross.ccel-vs-cpuid"
    ccel = f"acpi CCEL.CCType = {cc} ({CCEL_NAME[cc]})"
    if cpu.family == "none":
        why = ("the firmware claims a TEE's measurement log that the CPU does not show: either a "
               "paravisor hides the TEE or the tables were made for another platform")
    else:
        why = ("the firmware describes its measurement log for a different TEE: Linux exports it "
               "(acpi_ccel_data_init() never reads CCType), and whoever replays it maps MR indices "
               "to registers this TEE does not have")
    ctx.finding("warning", code, f"{ccel} vs {cpu.where}: {why}")
    return f"disagree: {ccel} vs {cpu.where}"


def _x86_hypervisor(ctx: Ctx) -> tuple[set[str], str]:
    """Vendors in the CPUID hypervisor leaves, and how Linux's pick is spelt."""
    found = own_signals.x86_hypervisors(ctx)
    if found is None:
        return {"none"}, "cpuid 0x1.ecx[31] = 0 (no hypervisor)"
    if not found.vendors:
        return {"unknown"}, "cpuid 0x40000000: no hypervisor signature Linux knows"
    sig = (found.signature or "").rstrip("\0")
    return set(found.vendors.values()), f'cpuid 0x{found.best:08x} = "{sig}" ({found.vendors[found.best]})'


def fadt_vs_hypervisor(ctx: Ctx, state: State) -> str | None:
    fadt_table = ctx.acpi_get("FACP")
    if fadt_table is None:
        return None
    name = "Hypervisor Vendor Identity (ACPI 6.0)"
    if not fadt_table.fields.get("HypervisorId"):
        ctx.acpi_field("FACP", "HypervisorId", name=name)  # 0, or absent in a FADT before revision 6
        return None
    hid = ctx.acpi_field("FACP", "HypervisorId", name=name, text=True)
    if not hid:
        return "FADT HypervisorId is not printable ASCII: no identity to compare"
    implied = FADT_HYPERVISORS.get(hid)
    if implied is None:
        return f'FADT HypervisorId "{hid}" is not an identity pvenum maps to a hypervisor'
    fadt = f'acpi FACP.HypervisorId = "{hid}" ({"/".join(sorted(implied))})'
    if ctx.p.arch == "arm64":
        from ..arm.smccc import VENDOR_HYP_CALL_UID  # the arm64 readers load only for an arm64 platform
        from .arm import boot_firmware, vendor_uid

        uid = vendor_uid(ctx)
        if uid is None:
            return "cannot compare: the platform states no SMCCC vendor hypervisor UID"
        if uid in implied:
            return f"agree: FADT and the SMCCC UID both say {uid}"
        revision = ctx.note("acpi FACP.Revision", fadt_table.revision, name="header.revision")
        # hyperv_detect_via_acpi() returns false when acpi_disabled: on a devicetree boot the
        # FADT is never read (arch/arm64/hyperv/mshyperv.c).
        acpi_boot = boot_firmware(ctx) == "acpi"
        if not acpi_boot:
            acted = "never reads the FADT (a devicetree boot: acpi_disabled) and goes by the SMCCC UID"
        elif hid == "MsHyperV" and (revision or 0) >= 6:
            acted = "acts on both: hyperv_init() runs its Hyper-V set-up"
        elif hid == "MsHyperV":
            acted = ("reads both (a FADT below revision 6: hyperv_init() before v6.16 acts on its HypervisorId at "
                     "any revision)")
        else:
            acted = "reads both"
        ctx.finding("warning", "cross.fadt-hypervisor-vs-smccc",
                    f"{fadt} vs smccc {VENDOR_HYP_CALL_UID:#010x} vendor hypervisor UID = {uid}: arm64 Linux {acted} "
                    "(hyperv_detect_via_acpi() and the SMCCC UID probes) on a host that is not what the FADT says")
        return f"disagree: {fadt} vs SMCCC UID {uid}"
    if ctx.p.cpuid is None:
        return "cannot compare: no CPUID"
    vendors, where = _x86_hypervisor(ctx)
    if vendors & implied:
        return f"agree: FADT and CPUID both name {'/'.join(sorted(vendors & implied))}"
    ctx.finding("warning", "cross.fadt-hypervisor-vs-cpuid",
                f"{fadt} vs {where}: x86 Linux never reads the FADT identity and follows CPUID "
                "(detect_hypervisor_vendor()); a reader trusting the FADT (arm64 Linux does) would take "
                "this guest for another hypervisor's")
    return f"disagree: {fadt} vs {where}"


def _enabled_cpus(ctx: Ctx) -> int:
    """Local APIC / x2APIC entries that are enabled or online-capable (ACPI 6.5 §5.2.12.2)."""
    table = ctx.acpi_get("APIC")
    count = 0
    for sub in table.subtables:
        if sub.type in LAPIC_TYPES and (sub.fields.get("LapicFlags") or 0) & 0b11:
            count += 1
    return ctx.note("acpi APIC enabled local APIC/x2APIC entries", count,
                    name="CPUs the MADT lists: type 0x00/0x09 subtables with LapicFlags[1:0] (Enabled, Online Capable)")


def mp_wakeup_vs_tdx(ctx: Ctx, state: State) -> str | None:
    if ctx.p.arch != "x86_64" or ctx.acpi_get("APIC") is None or ctx.p.cpuid is None:
        return None
    wakes = ctx.acpi_subtables("APIC", MP_WAKEUP, name="ACPI_MADT_TYPE_MULTIPROC_WAKEUP")
    tdx = x86.tdx_early_init_ident(ctx)
    if tdx and not wakes:
        if x86.ms_hyperv_init_platform_isolation(ctx).paravisor:
            return "TDX visible behind a paravisor: the paravisor starts the APs"
        cpus = _enabled_cpus(ctx)
        if cpus <= 1:
            return "TDX guest with one CPU: no APs to start"
        ctx.finding("error", "cross.tdx-without-mp-wakeup",
                    f'cpuid 0x21 "IntelTDX    " (TDX guest) vs acpi APIC: no multiprocessor wakeup structure '
                    f"(type 0x10) for its {cpus} CPUs: TDX does not support the INIT/SIPI protocol, so Linux's INIT-SIPI-SIPI "
                    "fallback never starts the APs and the guest runs on the boot CPU only")
        return "TDX without MP wakeup: the APs cannot start"
    if wakes and not tdx:
        index, sub = wakes[0]
        mailbox = ctx.acpi_subfield("APIC", index, "BaseAddress", name="mailbox address")
        ctx.finding("warning", "cross.mp-wakeup-without-tdx",
                    f"acpi APIC[{index}] multiprocessor wakeup (mailbox 0x{mailbox or 0:x}) vs cpuid 0x21 not "
                    '"IntelTDX    " (no TDX): Linux still starts every AP through the mailbox (acpi_parse_mp_wake() '
                    "is not TDX-specific) and acpi_wakeup_cpu() waits without a timeout, so firmware that does not "
                    "service the mailbox hangs secondary-CPU bring-up")
        return "MP wakeup without TDX"
    return "agree: " + ("TDX with an MP wakeup mailbox" if tdx else "no TDX, no MP wakeup")


RULES = (
    Rule("cross.ccel", "tianocore/edk2 MdePkg/Include/Protocol/CcMeasurement.h: EFI_CC_TYPE_* (CCEL CcType); torvalds/linux drivers/acpi/sysfs.c: "
         "acpi_ccel_data_init(); arch/x86/boot/startup/sme.c: sme_enable(); arch/x86/coco/tdx/tdx.c: tdx_early_init()",
         "CCEL CC type vs the TEE the CPU shows", ccel_vs_cpu, after_halt=True, platform_only=True),
    Rule("cross.fadt-hypervisor", "acpica/acpica source/include/actbl.h: struct acpi_table_fadt.hypervisor_id (offset 268, ACPI 6.0); torvalds/linux "
         "arch/x86/kernel/cpu/hypervisor.c: detect_hypervisor_vendor(); arch/arm64/hyperv/mshyperv.c: "
         "hyperv_detect_via_acpi()",
         "FADT Hypervisor Vendor Identity vs CPUID / SMCCC hypervisor", fadt_vs_hypervisor, after_halt=True, platform_only=True),
    Rule("cross.mp-wakeup", "acpica/acpica source/include/actbl2.h: struct acpi_madt_multiproc_wakeup (ACPI 6.4); torvalds/linux arch/x86/kernel/acpi/madt_wakeup.c: "
         "acpi_parse_mp_wake(), acpi_wakeup_cpu(); arch/x86/coco/tdx/tdx.c: tdx_early_init()",
         "MADT multiprocessor wakeup vs TDX", mp_wakeup_vs_tdx, after_halt=True, platform_only=True),
)
