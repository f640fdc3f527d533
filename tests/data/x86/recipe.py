#!/usr/bin/env python3
"""Recipe for the x86 decision-table fixtures: every x86 decision case of docs/sources.md and of its
conflict table, as a bundle (``cpuid`` in `cpuid -1 -r` format + ``platform.toml``).

Each bundle starts from a real dump in ../cpuid/ and applies the edits below, which say what
changed and why. Values quoted from public observations are marked "observed"; the rest is
synthetic and modelled on the cited source (no public raw multi-leaf dump of an Azure CVM or a
TD guest exists).

    python tests/data/x86/recipe.py          # rewrite rows/
    python tests/data/x86/recipe.py --check  # exit 1 if rows/ differs from the recipe
"""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[2]))
sys.path.insert(0, str(HERE.parent))  # recipe_io

from pvenum.cpuid import cpuid_r  # noqa: E402
from pvenum.cpuid.model import CpuidDump  # noqa: E402
from recipe_io import write_or_check  # noqa: E402
from pvenum.scenario.x86 import (  # noqa: E402  (the building blocks scenarios use too)
    ECX, HV_CPU_MANAGEMENT, HV_ISOLATION, HV_PRIV_HIGH, HYPERVISOR_BIT, OPENHCL_PSP_8000001F,
    SEV_STATUS_OPENHCL_VTL0, drop_hypervisor_leaves, hyperv_leaves, kvm_leaves, set_bits, sev_leaf, with_leaves,
    with_tdx_leaf,
)

AMD = cpuid_r.parse((HERE.parent / "cpuid" / "kvm-amd-zen5.cpuid").read_bytes())
INTEL = cpuid_r.parse((HERE.parent / "cpuid" / "firecracker-c3-xen-intel.cpuid").read_bytes())


def hyperv(d: CpuidDump, *, max_leaf: int = 0x4000000C, priv_high: int = HV_PRIV_HIGH,
           config_a: int = 0, config_b: int = 0) -> CpuidDump:
    d = set_bits(drop_hypervisor_leaves(d), 0x1, ECX, HYPERVISOR_BIT)
    return with_leaves(d, hyperv_leaves(max_leaf=max_leaf, priv_high=priv_high, config_a=config_a, config_b=config_b))


def kvm(d: CpuidDump) -> CpuidDump:
    d = set_bits(drop_hypervisor_leaves(d), 0x1, ECX, HYPERVISOR_BIT)
    return with_leaves(d, kvm_leaves())


def amd_sev(d: CpuidDump, level: str, *, svsm: bool = False) -> CpuidDump:
    """0x8000001f as a SEV guest sees it: the level's feature bits, C-bit 51, 1 bit of PA reduction."""
    return d.with_leaf(0x8000001F, 0, sev_leaf(level, svsm=svsm))


tdx = with_tdx_leaf

ROWS: dict[str, dict] = {
    # --- §4 decision table ------------------------------------------------------------------
    "bare-metal": dict(
        what="Bare metal AMD: hypervisor bit clear, no hypervisor leaves",
        cpuid=set_bits(drop_hypervisor_leaves(AMD), 0x1, ECX, clear_mask=HYPERVISOR_BIT),
        msr={0xC0010131: 0}),
    "plain-kvm": dict(what="Plain KVM guest (observed: this machine)", cpuid=AMD, msr={0xC0010131: 0}),
    "plain-hyperv": dict(what="Plain Hyper-V guest: HV_ISOLATION clear",
                         cpuid=hyperv(INTEL, max_leaf=0x40000006)),
    "sev": dict(what="SEV guest on KVM: 0x8000001f SEV, SEV_STATUS bit 0",
                cpuid=amd_sev(AMD, "sev"), msr={0xC0010131: 0x1}),
    "sev-es": dict(what="SEV-ES guest on KVM: SEV_STATUS bits 0-1",
                   cpuid=amd_sev(AMD, "sev-es"), msr={0xC0010131: 0x3}),
    "snp-enlightened": dict(what="SEV-SNP guest on KVM at VMPL0 with the CC blob",
                            cpuid=amd_sev(AMD, "sev-snp"), msr={0xC0010131: 0x7},
                            snp=dict(vmpl=0, cc_blob=True)),
    "snp-enlightened-hyperv": dict(
        what="Fully enlightened SNP on Hyper-V: HV_ISOLATION, type SNP, no paravisor (P=0, B=0x2)",
        cpuid=amd_sev(hyperv(AMD, priv_high=HV_PRIV_HIGH | HV_ISOLATION, config_a=0, config_b=0x2), "sev-snp"),
        msr={0xC0010131: 0x7}, snp=dict(vmpl=0, cc_blob=True)),
    "snp-svsm": dict(
        what="SEV-SNP under an SVSM (COCONUT-like): VMPL2, secrets page SVSM fields, 0x8000001f[28]",
        cpuid=amd_sev(AMD, "sev-snp", svsm=True), msr={0xC0010131: 0x7},
        snp=dict(vmpl=2, cc_blob=True, svsm_base=0x80000000, svsm_size=0x400000, svsm_caa=0x80001000,
                 svsm_max_version=1, svsm_guest_vmpl=2, svsm_vtpm=True)),
    "azure-snp-paravisor": dict(
        what="SNP behind the Hyper-V paravisor (Azure CVM): observed Group A 0x1, Group B 0xba2; 0x8000001f hidden",
        cpuid=hyperv(AMD, priv_high=HV_PRIV_HIGH | HV_ISOLATION, config_a=0x1, config_b=0xBA2)),
    "tdx-enlightened": dict(what="TDX guest on KVM: leaf 0x21 \"IntelTDX    \"", cpuid=tdx(kvm(INTEL))),
    "azure-tdx-paravisor": dict(
        what="TDX behind the Hyper-V paravisor (Azure TDX): observed Group A 0x1, Group B 0xbe3; leaf 0x21 hidden",
        cpuid=hyperv(INTEL, priv_high=HV_PRIV_HIGH | HV_ISOLATION, config_a=0x1, config_b=0xBE3)),
    "vbs": dict(what="VBS isolation on Hyper-V: HV_ISOLATION, type 1, no paravisor",
                cpuid=hyperv(INTEL, priv_high=HV_PRIV_HIGH | HV_ISOLATION, config_a=0, config_b=0x1)),
    # --- conflict table ---------------------------------------------------------------------
    "conflict-snp-visible-paravisor": dict(
        what="SEV visible in 0x8000001f (OpenHCL's real PSP values) behind a paravisor; SEV_STATUS = OpenHCL VTL0 features; no CC blob",
        cpuid=hyperv(AMD, priv_high=HV_PRIV_HIGH | HV_ISOLATION, config_a=0x1, config_b=0xBA2).with_leaf(
            0x8000001F, 0, OPENHCL_PSP_8000001F),
        msr={0xC0010131: SEV_STATUS_OPENHCL_VTL0}, snp=dict(cc_blob=False)),
    "conflict-tdx-visible-paravisor": dict(
        what="Leaf 0x21 visible while Hyper-V says paravisor, type TDX",
        cpuid=tdx(hyperv(INTEL, priv_high=HV_PRIV_HIGH | HV_ISOLATION, config_a=0x1, config_b=0xBE3))),
    "conflict-paravisor-no-isolation-bit": dict(
        what="HV_PARAVISOR_PRESENT set but HV_ISOLATION clear",
        cpuid=hyperv(AMD, priv_high=HV_PRIV_HIGH, config_a=0x1, config_b=0xBA2)),
    "conflict-isolation-and-root": dict(
        what="HV_ISOLATION and HV_CPU_MANAGEMENT both set (Azure SNP otherwise)",
        cpuid=hyperv(AMD, priv_high=HV_PRIV_HIGH | HV_ISOLATION | HV_CPU_MANAGEMENT, config_a=0x1, config_b=0xBA2)),
    "conflict-type0-paravisor": dict(
        what="HV_ISOLATION, isolation type 0, paravisor present",
        cpuid=hyperv(AMD, priv_high=HV_PRIV_HIGH | HV_ISOLATION, config_a=0x1, config_b=0xBA0)),
    "conflict-boundary-inactive-snp": dict(
        what="Paravisor, type SNP, shared GPA boundary inactive (B=0x2)",
        cpuid=hyperv(AMD, priv_high=HV_PRIV_HIGH | HV_ISOLATION, config_a=0x1, config_b=0x2)),
    "conflict-boundary-inactive-tdx": dict(
        what="Paravisor, type TDX, shared GPA boundary inactive (B=0x3)",
        cpuid=hyperv(INTEL, priv_high=HV_PRIV_HIGH | HV_ISOLATION, config_a=0x1, config_b=0x3)),
    "openhcl-hide-isolation": dict(
        what="OpenHCL OPENHCL_HIDE_ISOLATION: max leaf 0x40000005, HV_ISOLATION masked (OV process_hv_cpuid_leaves)",
        cpuid=hyperv(AMD, max_leaf=0x40000005, priv_high=HV_PRIV_HIGH)),
    "indeterminate-sev-without-status": dict(
        what="SEV visible in 0x8000001f but no SEV_STATUS in the bundle",
        cpuid=amd_sev(AMD, "sev-snp")),
}


def toml_for(row: dict) -> str:
    lines = [f"# {row['what']}", 'arch = "x86_64"']
    if row.get("msr") is not None:
        lines += ["", "[msr]"] + [f'"0x{k:08x}" = 0x{v:x}' for k, v in sorted(row["msr"].items())]
    if row.get("snp") is not None:
        lines += ["", "[snp]"]
        for k, v in row["snp"].items():
            lines.append(f"{k} = {str(v).lower() if isinstance(v, bool) else hex(v) if v > 9 else v}")
    return "\n".join(lines) + "\n"


def render() -> dict[str, dict[str, str]]:
    return {name: {"cpuid": cpuid_r.write(row["cpuid"]), "platform.toml": toml_for(row)} for name, row in ROWS.items()}


def main(argv: list[str]) -> int:
    wanted = {name: {f: text.encode() for f, text in files.items()} for name, files in render().items()}
    return write_or_check(HERE / "rows", wanted, argv)


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
