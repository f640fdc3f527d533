"""Disagreements between a booted kernel and the linux model that are understood, with why.
docs/kernelcheck.md prints the reason next to the boot; tests/test_observe.py accepts exactly
these and no other difference."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Explained:
    scenarios: tuple[str, ...]
    releases: tuple[str, ...]  # kernel releases it applies to ("*" = any)
    fields: tuple[str, ...]
    why: str


# x86 scenarios whose SEV_STATUS turns SEV on with no Hyper-V above it, and Hyper-V SNP-isolated
# scenarios with a paravisor: where the patched QEMU (kernelcheck/qemu-cpuid.patch) boot stops.
SEV_DECOMPRESSOR = ("sev", "sev-es", "snp", "snp-svsm", "conflict-ccel-tdx-on-snp", "conflict-snp-visible-paravisor")
HYPERV_SNP_GHCB = ("azure-snp-paravisor", "azure-snp-paravisor-services", "conflict-boundary-inactive",
                   "conflict-isolation-and-root", "conflict-record-cpuid-vs-acpi")
TDX_SCENARIOS = ("tdx", "conflict-tdx-visible-paravisor", "conflict-tdx-without-mp-wakeup")

EXPLAINED = (
    Explained(SEV_DECOMPRESSOR, ("*",), ("boot",),
              "real memory encryption does not exist under TCG: the boot stops in the decompressor right after "
              "it read 0x8000001f and SEV_STATUS (the last entries of QEMU's log of what the guest read): with SEV "
              "on it maps memory encrypted (the C-bit, 0x8000001f.ebx[5:0]) and with SEV-ES/SNP it talks to the "
              "hypervisor by VMGEXIT (arch/x86/boot/compressed/sev.c sev_enable()); TCG has neither, and QEMU exits "
              "on the reset (-no-reboot) before the console. Compared: the decisions before that point, i.e. the "
              "CPUID and SEV_STATUS inputs the kernel read"),
    Explained(HYPERV_SNP_GHCB, ("*",), ("boot",),
              "the kernel takes Hyper-V's SNP-isolation path (\"Hyper-V: Isolation Config: Group A 0x1, ...\" "
              "printed) and hyperv_init() calls hv_ghcb_negotiate_protocol() (arch/x86/hyperv/ivm.c), whose "
              "VMGEXIT TCG does not implement (#UD): \"Kernel panic - not syncing: Attempted to kill the idle "
              "task!\". Compared: the decisions printed before it (hypervisor, isolation, memory encryption)"),
    Explained(TDX_SCENARIOS, ("6.12", "7.3"), ("boot",),
              "the decompressor reads leaf 0x21 (\"IntelTDX    \", the last leaf in QEMU's log of what the guest "
              "read) and from then on does its port I/O by TDCALL (arch/x86/boot/compressed/tdx.c "
              "early_tdx_detect()); TCG has no TDX module (TDCALL raises #UD), so the boot ends in a reset before "
              "the console. Compared: the decisions before that point, i.e. the CPUID inputs the kernel read"),
    Explained(("azure-tdx-paravisor",), ("6.12",), ("boot",),
              "Hyper-V TDX isolation with a paravisor: making memory shared goes through a Hyper-V hypercall "
              "(hv_vtom_set_host_visibility(), arch/x86/hyperv/ivm.c), which the patched QEMU's hypercall page "
              "fails (\"CPA VMM failure to convert memory ... to shared: -22\"), and the boot later panics. "
              "Compared: the decisions printed before it (hypervisor, isolation)"),
    Explained(("azure-tdx-paravisor", "hyperv-vbs"), ("7.3",), ("boot",),
              "Hyper-V isolation with vTOM: in start_kernel()'s console_init(), vgacon_startup() makes the VGA "
              "text buffer shared with set_memory_decrypted(), which Debian's 7.3 routes to "
              "hv_vtom_set_host_visibility() (arch/x86/hyperv/ivm.c); that page-faults on its per-CPU Hyper-V "
              "hypercall state, set up later in boot (the fault address is the CPU's per-CPU base), and the boot "
              "panics (6.12 gets there with that state set up, its hypercall fails in the patched QEMU with -22 and "
              "it warns and boots on). QEMU's emulated VGA is "
              "what brings vgacon in: a Hyper-V generation 2 VM has no VGA text console. Compared: the decisions "
              "printed before it (hypervisor, isolation: \"Hyper-V: Isolation Config\")"),
    Explained(("azure-tdx-paravisor",), ("*",), ("services.vtpm",),
              "the paravisor's vTPM is a TPM 2.0 device the paravisor itself emulates; QEMU here has no TPM "
              "(no -tpmdev), so /dev/tpm0 cannot appear whatever the kernel concluded"),
    Explained(TDX_SCENARIOS, ("6.1",), ("boot", "mode", "isolation", "memory_acceptance", "services.attestation",
                                        "services.tdx_guest"),
              "Debian's 6.1 kernel is built without TDX guest support (config-6.1.0-50-amd64, which linux@6.1 is "
              "given: \"# CONFIG_INTEL_TDX_GUEST is not set\"), so it never reads leaf 0x21 and has no #VE handler: "
              "in a TD its first #VE ends the boot, as the model says (no_ve_handler). Under TCG no TD stands behind "
              "the patched leaf 0x21 and nothing raises #VE, so the kernel boots on as the guest it takes itself for"),

    Explained(("arm64-xen",), ("*",), ("boot",),
              "neither QEMU nor the firmware stub is Xen: the kernel finds the DT /hypervisor node "
              "(\"Xen 4.17 support found\"), its first hypercalls (HVC #0xEA1) answer NOT_SUPPORTED and "
              "xen_guest_init() stops at a BUG() (arch/arm/xen/enlighten.c); the model assumes a working Xen "
              "behind the node"),
)


def why(scenario: str | None, release: str, field: str) -> str | None:
    for e in EXPLAINED:
        if scenario in e.scenarios and ("*" in e.releases or release in e.releases) and field in e.fields:
            return e.why
    return None
