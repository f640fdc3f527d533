#!/usr/bin/env python3
"""Recipe for the Linux release fixtures: one bundle per behaviour the ``linux`` model mirrors
(a fix, a boot input, or a release difference), each with the upstream source that decides it.

Every bundle starts from the x86 decision-table dumps (../x86/recipe.py, ../cpuid/) and applies
the edits below. ``why`` cites the file and function whose code gives the expectation written
in expected.toml; releases were read from Debian's linux 6.1.176-1, 6.12.107-1 and 7.2.8-1
source packages (docs/linux-releases.md).

    python tests/data/linux/recipe.py          # rewrite rows/
    python tests/data/linux/recipe.py --check  # exit 1 if rows/ differs from the recipe
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[2]))
sys.path.insert(0, str(HERE.parent))  # recipe_io

from pvenum.acpi import builders  # noqa: E402
from recipe_io import write_or_check  # noqa: E402
from pvenum.build import platform_toml  # noqa: E402
from pvenum.cpuid import cpuid_r  # noqa: E402
from pvenum.cpuid.model import CpuidDump, MsrSet, SnpFacts, TdxFacts  # noqa: E402
from pvenum.platform import Platform  # noqa: E402
from pvenum.scenario.x86 import (  # noqa: E402
    ECX, HV_CPU_MANAGEMENT, HV_ISOLATION, HV_PRIV_HIGH, HYPERVISOR_BIT, set_bits, sig, with_leaves,
)

_spec = importlib.util.spec_from_file_location("x86_recipe", HERE.parent / "x86" / "recipe.py")
X = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(X)  # type: ignore[union-attr]

AMD, INTEL = X.AMD, X.INTEL
HV_CREATE_PARTITIONS = 1 << 0  # include/hyperv/hvgdk_mini.h (0x40000003.ebx[0])
SEPT_VE_DISABLE, DEBUG = 1 << 28, 1 << 0  # arch/x86/coco/tdx/tdx.c: ATTR_SEPT_VE_DISABLE, ATTR_DEBUG
SNP_STATUS = 0x7
SVSM = dict(vmpl=2, cc_blob=True, svsm_base=0x80000000, svsm_size=0x400000, svsm_caa=0x80001000,
            svsm_max_version=1, svsm_guest_vmpl=2, svsm_vtpm=True)


def snp(**facts) -> SnpFacts:
    return SnpFacts.from_toml(facts)


def no_hv_bit(d: CpuidDump) -> CpuidDump:
    return set_bits(X.drop_hypervisor_leaves(d), 0x1, ECX, clear_mask=HYPERVISOR_BIT)


def with_hv_bit(d: CpuidDump, leaves: dict) -> CpuidDump:
    return with_leaves(set_bits(X.drop_hypervisor_leaves(d), 0x1, ECX, HYPERVISOR_BIT), leaves)


def snp_hyperv_enlightened() -> CpuidDump:
    return X.amd_sev(X.hyperv(AMD, priv_high=HV_PRIV_HIGH | HV_ISOLATION, config_a=0, config_b=0x2), "sev-snp")


def kvm_snp(status: int = SNP_STATUS, *, svsm: bool = False, **facts) -> dict:
    """A KVM SEV-SNP guest's row fields (at VMPL0 with a CC blob, or below an SVSM), ``facts``
    changed: most SNP rows vary one boot input of this guest."""
    base = SVSM if svsm else dict(vmpl=0, cc_blob=True)
    return dict(cpuid=X.amd_sev(X.kvm(AMD), "sev-snp", svsm=svsm), msr={0xC0010131: status},
                snp=snp(**{**base, **facts}))


def madt_with_mailbox() -> list:
    return [builders.madt([builders.local_x2apic(0, 0), builders.local_x2apic(1, 1),
                           builders.mp_wakeup(mailbox_address=0x7F000000, version=1, reset_vector=0x7F001000)])]


ROWS: dict[str, dict] = {
    # --- item 1: the hypervisor bit is not part of Linux's own-CC check -----------------------
    "tdx-no-hypervisor-bit": dict(
        why="arch/x86/coco/tdx/tdx.c: tdx_early_init() tests only leaf 0x21; CPUID.1:ECX[31] clear",
        cpuid=X.tdx(no_hv_bit(INTEL))),
    "sev-no-hypervisor-bit": dict(
        why="arch/x86/boot/startup/sme.c: sme_enable() reads the hypervisor bit only on the SME branch; "
            "SEV_STATUS.SEV set, CPUID.1:ECX[31] clear",
        cpuid=X.amd_sev(no_hv_bit(AMD), "sev"), msr={0xC0010131: 0x1}),
    # --- item 2: SNP AP start-up -----------------------------------------------------------------
    "snp-no-ap-creation": dict(
        why="arch/x86/coco/sev/core.c: snp_set_wakeup_secondary_cpu() installs wakeup_cpu_via_vmgexit(), "
            "which returns -EOPNOTSUPP without GHCB_HV_FT_SNP_AP_CREATION (\"no APs will be started\")",
        **kvm_snp(ghcb_hv_features=0x1)),
    "snp-ap-creation": dict(
        why="arch/x86/coco/sev/core.c: wakeup_cpu_via_vmgexit() with GHCB_HV_FT_SNP | GHCB_HV_FT_SNP_AP_CREATION: "
            "VMGEXIT AP_CREATE",
        **kvm_snp(ghcb_hv_features=0x3)),
    "snp-madt-mailbox": dict(
        why="arch/x86/kernel/smpboot.c: do_boot_cpu() prefers apic->wakeup_secondary_cpu_64 (acpi_wakeup_cpu() "
            "from the MADT mailbox) over apic->wakeup_secondary_cpu (wakeup_cpu_via_vmgexit())",
        **kvm_snp(ghcb_hv_features=0x1), acpi=madt_with_mailbox()),
    "tdx-madt-mailbox-zero": dict(
        why="arch/x86/kernel/acpi/madt_wakeup.c (6.12.107, 7.2.8): acpi_parse_mp_wake() installs acpi_wakeup_cpu(), "
            "which returns -EOPNOTSUPP for mailbox address 0 (\"No MADT mailbox: cannot bringup secondary CPUs\"); "
            "6.1.176 arch/x86/kernel/acpi/boot.c: acpi_wakeup_cpu() memremap()s address 0 and spins on its command",
        cpuid=X.tdx(X.kvm(INTEL)), tdx=TdxFacts(attributes=SEPT_VE_DISABLE, gpa_width=52),
        acpi=[builders.madt([builders.local_x2apic(0, 0), builders.local_x2apic(1, 1),
                             builders.mp_wakeup(mailbox_address=0, version=1, reset_vector=0x7F001000)])]),
    "snp-hyperv-no-paravisor": dict(
        why="arch/x86/kernel/cpu/mshyperv.c: hv_smp_prepare_cpus() sets wakeup_secondary_cpu_64 = hv_snp_boot_ap "
            "for SNP isolation without a paravisor (v6.6+); before v6.6 ms_hyperv_init_platform() sets "
            "cc_vendor = CC_VENDOR_HYPERV for any isolation type (6.1.176)",
        cpuid=snp_hyperv_enlightened(), msr={0xC0010131: SNP_STATUS}, snp=snp(vmpl=0, cc_blob=True)),
    # --- items 3, 4: hypervisor base search -----------------------------------------------------
    "kvm-max-leaf-zero": dict(
        why="arch/x86/include/asm/cpuid.h (6.12) / processor.h (6.1): hypervisor_cpuid_base(sig, 0) ignores the "
            "max leaf (leaves == 0 ||); kvm_cpuid_base() passes 0",
        cpuid=with_hv_bit(AMD, {0x40000000: (0, *sig("KVMKVMKVM\0\0\0"))})),
    "xen-max-leaf-below-base": dict(
        why="arch/x86/include/asm/cpuid.h: hypervisor_cpuid_base(): (eax - base) >= leaves in u32 wraps for "
            "eax < base, so xen_cpuid_base() (leaves 2) matches eax 0",
        cpuid=with_hv_bit(INTEL, {0x40000000: (0, *sig("XenVMMXenVMM"))})),
    "xen-without-hv-bit": dict(
        why="arch/x86/xen/enlighten_hvm.c: xen_platform_hvm() -> xen_cpuid_base() = cpuid_base_hypervisor(XEN_SIGNATURE, 2) "
            "(arch/x86/include/asm/xen/hypervisor.h, 7.2.8; hypervisor_cpuid_base() in 6.1.176/6.12.107): no "
            "X86_FEATURE_HYPERVISOR test, unlike kvm_cpuid_base(), ms_hyperv_platform(), bhyve_detect()",
        cpuid=set_bits(with_hv_bit(INTEL, {0x40000000: (0x40000002, *sig("XenVMMXenVMM")),
                                           0x40000001: (0x0004000E, 0, 0, 0), 0x40000002: (1, 0x40000000, 0, 0)}),
                       0x1, ECX, clear_mask=HYPERVISOR_BIT)),
    "bhyve-priority": dict(
        why="arch/x86/kernel/cpu/bhyve.c (v6.18+): bhyve_detect() = cpuid_base_hypervisor(\"bhyve bhyve \", 0) "
            "and returns cpuid_eax(base), the max leaf, as its priority; KVM at 0x40000100 returns its base",
        cpuid=with_hv_bit(AMD, {0x40000000: (0x40000105, *sig("bhyve bhyve ")),
                                0x40000100: (0x40000101, *sig("KVMKVMKVM\0\0\0")),
                                0x40000101: (0, 0, 0, 0)})),
    # --- item 5: Hyper-V partition type ------------------------------------------------------------
    "hyperv-root-privileges": dict(
        why="drivers/hv/hv_common.c: hv_identify_partition_type() (v6.15+, CONFIG_MSHV_ROOT): HV_CREATE_PARTITIONS and "
            "HV_CPU_MANAGEMENT without HV_ISOLATION -> HV_PARTITION_TYPE_ROOT; 6.12.107 mshyperv.c: HV_CPU_MANAGEMENT alone",
        cpuid=X.hyperv(INTEL, max_leaf=0x40000006, priv_high=HV_PRIV_HIGH | HV_CREATE_PARTITIONS | HV_CPU_MANAGEMENT)),
    "hyperv-root-claim-isolated": dict(
        why="drivers/hv/hv_common.c: hv_identify_partition_type() (v6.15+) and 6.12.107 mshyperv.c: a root claim "
            "counts only without HV_ISOLATION (\"ignore the root partition setting if also a Confidential VM\")",
        cpuid=X.hyperv(INTEL, max_leaf=0x40000006,
                       priv_high=HV_PRIV_HIGH | HV_CREATE_PARTITIONS | HV_CPU_MANAGEMENT | HV_ISOLATION)),
    "hyperv-cpu-management-only": dict(
        why="drivers/hv/hv_common.c: hv_identify_partition_type() (v6.15+) needs HV_CREATE_PARTITIONS; "
            "6.12.107 mshyperv.c: HV_CPU_MANAGEMENT without HV_ISOLATION -> hv_root_partition",
        cpuid=X.hyperv(INTEL, max_leaf=0x40000006, priv_high=HV_PRIV_HIGH | HV_CPU_MANAGEMENT)),
    "hyperv-l1vh": dict(
        why="drivers/hv/hv_common.c: hv_identify_partition_type() (7.2.8): HV_CREATE_PARTITIONS without HV_CPU_MANAGEMENT "
            "-> HV_PARTITION_TYPE_L1VH (v6.18); v6.15-v6.17 need both privileges for root, no L1VH",
        cpuid=X.hyperv(INTEL, max_leaf=0x40000006, priv_high=HV_PRIV_HIGH | HV_CREATE_PARTITIONS)),
    # --- item 7: SNP feature masks -------------------------------------------------------------------
    "snp-secure-tsc": dict(
        why="arch/x86/boot/compressed/sev.c: SNP_FEATURES_PRESENT has MSR_AMD64_SNP_SECURE_TSC in mainline, "
            "DEBUG_SWAP only in 6.12.107, (0) in 6.1.176",
        **kvm_snp(SNP_STATUS | 1 << 11)),
    "snp-secure-avic": dict(
        why="arch/x86/boot/compressed/sev.c (v6.18+): SNP_FEATURE_SECURE_AVIC is MSR_AMD64_SNP_SECURE_AVIC with "
            "CONFIG_AMD_SECURE_AVIC (assumed built, as every option the model mirrors); bits 18-22 are reserved "
            "(required) in 6.1/6.12",
        **kvm_snp(SNP_STATUS | 1 << 18)),
    "snp-debug-swap": dict(
        why="arch/x86/boot/compressed/sev.c: SNP_FEATURES_PRESENT is (0) in 6.1.176, MSR_AMD64_SNP_DEBUG_SWAP in 6.12.107",
        **kvm_snp(SNP_STATUS | 1 << 7)),
    # --- inputs: GHCB protocol and hypervisor features -----------------------------------------------
    "snp-svsm-no-multi-vmpl": dict(
        why="arch/x86/boot/compressed/sev.c: sev_enable(): RMPADJUST fails and !(snp_vmpl && "
            "GHCB_HV_FT_SNP_MULTI_VMPL) -> GHCB_TERM_NOT_VMPL0 (6.12); enforce_vmpl0() in 6.1",
        **kvm_snp(svsm=True, ghcb_hv_features=0x3)),
    "snp-svsm-multi-vmpl": dict(
        why="arch/x86/boot/compressed/sev.c: sev_enable() with GHCB_HV_FT_SNP_MULTI_VMPL (bit 5) and snp_vmpl from "
            "svsm_setup_ca(): the SVSM boot goes on (v6.11+)",
        **kvm_snp(svsm=True, ghcb_hv_features=0x23)),
    "snp-no-hv-ft-snp": dict(
        why="arch/x86/boot/compressed/sev.c: sev_enable(): !(get_hv_features() & GHCB_HV_FT_SNP) -> GHCB_SNP_UNSUPPORTED",
        **kvm_snp(ghcb_hv_features=0x2)),
    "snp-ghcb-v1": dict(
        why="sev-shared.c: get_hv_features() returns 0 when ghcb_version < 2, so GHCB_HV_FT_SNP is missing",
        **kvm_snp(ghcb_protocol_min=1, ghcb_protocol_max=1, ghcb_hv_features=0x23)),
    "sev-es-protocol-unsupported": dict(
        why="sev-shared.c: sev_es_negotiate_protocol() fails when the hypervisor's range misses 1..2 "
            "-> sev_enable() GHCB_SEV_ES_PROT_UNSUPPORTED",
        cpuid=X.amd_sev(X.kvm(AMD), "sev-es"), msr={0xC0010131: 0x3},
        snp=snp(ghcb_protocol_min=3, ghcb_protocol_max=4)),
    # --- inputs: CC blob, CPUID table, secrets page ---------------------------------------------------
    "snp-cc-blob-bad-magic": dict(
        why="arch/x86/boot/compressed/sev.c: find_cc_blob(): magic != CC_BLOB_SEV_HDR_MAGIC -> GHCB_SNP_UNSUPPORTED",
        **kvm_snp(cc_blob_magic=0x12345678)),
    "snp-cpuid-table-empty": dict(
        why="sev-shared.c: setup_cpuid_table(): !cpuid_table_fw->count -> GHCB_TERM_CPUID",
        **kvm_snp(cpuid_count=0)),
    "snp-secrets-len-short": dict(
        why="7.2.8 arch/x86/boot/startup/sev-startup.c: snp_init(): secrets_len != PAGE_SIZE -> false, and "
            "sme_enable(): snp_en ^ SEV_STATUS.SNP -> GHCB_SNP_UNSUPPORTED (v6.13, 6068754a4fff); 6.12.107 "
            "arch/x86/coco/sev/core.c: get_secrets_page() -> 0, so snp_init_platform_device() registers no "
            "sev-guest and the boot goes on",
        **kvm_snp(secrets_len=0x800)),
    "sev-es-cc-blob-without-snp": dict(
        why="arch/x86/boot/compressed/sev.c: sev_enable(): a CC blob, SEV on, SEV_STATUS.SNP clear -> error(\"SEV-SNP "
            "supported indicated by CC blob, but not SEV status MSR.\"), which halts (6.1.176, 6.12.107, 7.2.8)",
        cpuid=X.amd_sev(X.kvm(AMD), "sev-es"), msr={0xC0010131: 0x3}, snp=snp(vmpl=0, cc_blob=True)),
    "cc-blob-sev-off-secrets-short": dict(
        why="sme_enable(): with SEV off the decompressor's sev_enable() returns before its CC blob check; 6.12.107 "
            "arch/x86/mm/mem_encrypt_identity.c: snp_init() finds the blob -> snp_abort() (GHCB_SNP_UNSUPPORTED); "
            "7.2.8 arch/x86/boot/startup/sev-startup.c: snp_init() fails on secrets_len != PAGE_SIZE, so snp_en ^ "
            "SEV_STATUS.SNP is 0 and the boot goes on without SEV",
        cpuid=X.amd_sev(X.kvm(AMD), "sev-snp"), msr={0xC0010131: 0x0},
        snp=snp(vmpl=0, cc_blob=True, secrets_len=0x800)),
    "snp-svsm-secrets-len-short": dict(
        why="sev-shared.c: svsm_setup_ca(): below VMPL0, secrets_len != PAGE_SIZE -> GHCB_TERM_SECRETS_PAGE (v6.11+)",
        **kvm_snp(svsm=True, secrets_len=0x800)),
    "snp-without-cc-blob": dict(
        why="7.2.8 arch/x86/boot/startup/sme.c: sme_enable(): snp_en ^ SEV_STATUS.SNP -> "
            "sev_es_terminate(SEV_TERM_SET_GEN, GHCB_SNP_UNSUPPORTED) (v6.13, f75ff17fb48b); 6.12.107 and 6.1.176 "
            "mem_encrypt_identity.c snp_abort() (the same termination) only on a blob without SNP",
        **kvm_snp(cc_blob=False)),
    "snp-vmpl2-without-cc-blob": dict(
        why="6.12.107 boot/compressed/sev.c: sev_enable(): RMPADJUST fails below VMPL0 and snp_vmpl is 0 (svsm_setup_ca() "
            "runs only from a CC blob) -> GHCB_TERM_NOT_VMPL0 (6.1.176: enforce_vmpl0()); 7.2.8 tests snp_vmpl alone "
            "(68a501d7fd82, v6.18) and goes on, and arch/x86/boot/startup/sme.c: sme_enable() stops on snp_en ^ "
            "SEV_STATUS.SNP (GHCB_SNP_UNSUPPORTED)",
        **kvm_snp(vmpl=2, cc_blob=False)),
    "sev-es-no-rdrand": dict(
        why="arch/x86/kernel/traps.c: trap_init() -> arch/x86/coco/sev/core.c: sev_es_init_vc_handling(): with "
            "CC_ATTR_GUEST_STATE_ENCRYPT, !sev_es_check_cpu_features() (no X86_FEATURE_RDRAND, CPUID 0x1.ecx[30]) -> "
            "panic(\"SEV-ES CPU Features missing\") (6.1.176 kernel/sev.c, 6.12.107 and 7.2.8 coco/sev/core.c)",
        cpuid=set_bits(X.amd_sev(X.kvm(AMD), "sev-es"), 0x1, ECX, clear_mask=1 << 30), msr={0xC0010131: 0x3}),
    # --- inputs: the #VC CPUID check ------------------------------------------------------------------
    "sev-es-hidden-sev-bit": dict(
        why="sev-shared.c: do_vc_no_ghcb(): under SEV-ES, CPUID 0x8000001f without the SEV bit -> "
            "sev_es_terminate(GHCB_SEV_ES_GEN_REQ)",
        cpuid=X.kvm(AMD).with_leaf(0x8000001F, 0, (0x1, 0x73, 0, 0)), msr={0xC0010131: 0x3}),
    # --- inputs: TDX TDINFO ------------------------------------------------------------------------------
    "tdx-sept-ve-enabled": dict(
        why="arch/x86/coco/tdx/tdx.c: disable_sept_ve() (6.12, mainline) tdx_panic(\"TD misconfiguration: SEPT #VE "
            "has to be disabled\"); tdx_parse_tdinfo() (6.1) panic(\"...SEPT_VE_DISABLE attibute must be set.\")",
        cpuid=X.tdx(X.kvm(INTEL)), tdx=TdxFacts(attributes=0, gpa_width=52)),
    "tdx-debug-sept-ve-enabled": dict(
        why="arch/x86/coco/tdx/tdx.c: disable_sept_ve(): a debug TD only warns (6.12, mainline); 6.1.176 "
            "tdx_parse_tdinfo() panics regardless of ATTR_DEBUG",
        cpuid=X.tdx(X.kvm(INTEL)), tdx=TdxFacts(attributes=DEBUG, gpa_width=52)),
    "tdx-flexible-pending-ve": dict(
        why="arch/x86/coco/tdx/tdx.c: disable_sept_ve(): TDCS_CONFIG_FLEXIBLE_PENDING_VE lets the guest write "
            "TD_CTLS.PENDING_VE_DISABLE itself (6.12, mainline)",
        cpuid=X.tdx(X.kvm(INTEL)), tdx=TdxFacts(attributes=0, gpa_width=52, flexible_pending_ve=True)),
    "tdx-gpaw-48": dict(
        why="arch/x86/coco/tdx/tdx.c: tdx_setup() / tdx_parse_tdinfo(): cc_mask = BIT_ULL(gpa_width - 1) from "
            "TDG.VP.INFO rcx[5:0]",
        cpuid=X.tdx(X.kvm(INTEL)), tdx=TdxFacts(attributes=SEPT_VE_DISABLE, gpa_width=48)),
    # --- inputs: Hyper-V virtual stack properties, reduced_hw_init --------------------------------------
    "azure-snp-paravisor-confidential-vmbus": dict(
        why="arch/x86/kernel/cpu/mshyperv.c (mainline): ms_hyperv.confidential_vmbus_available = "
            "cpuid_eax(HYPERV_CPUID_VIRT_STACK_PROPERTIES) & BIT(3); absent from 6.12.107",
        cpuid=X.hyperv(AMD, priv_high=HV_PRIV_HIGH | HV_ISOLATION, config_a=0x1, config_b=0xBA2).with_leaf(
            0x40000082, 0, (0x8, 0, 0, 0))),
    "hyperv-tdx-no-paravisor": dict(
        why="arch/x86/kernel/cpu/mshyperv.c: ms_hyperv_init_platform(): TDX isolation without a paravisor sets "
            "x86_init.acpi.reduced_hw_early_init = reduced_hw_init (v6.6+); 6.1.176 sets CC_VENDOR_HYPERV",
        cpuid=X.tdx(X.hyperv(INTEL, priv_high=HV_PRIV_HIGH | HV_ISOLATION, config_a=0, config_b=0x3))),
}


def bundle(row: dict) -> dict[str, bytes]:
    msr = MsrSet(row["msr"]) if row.get("msr") else None
    p = Platform(arch="x86_64", cpuid=row["cpuid"], msr=msr, snp=row.get("snp"), tdx=row.get("tdx"))
    files = {"cpuid": cpuid_r.write(row["cpuid"]).encode(), "platform.toml": platform_toml(p, header=row["why"]).encode()}
    for table in row.get("acpi", ()):
        files[f"{table.signature}.dat"] = table.to_bytes()
    return files


def main(argv: list[str]) -> int:
    return write_or_check(HERE / "rows", {name: bundle(row) for name, row in ROWS.items()}, argv)


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
