"""Evidence sources (what a model read) matched to diff field names (what changed)."""

from __future__ import annotations

import pytest

from pvenum.diff import diff_targets
from pvenum.diff.evidence import matches


@pytest.mark.parametrize("source, field, want", [
    ("cpuid 0x4000000c.eax[0]", "cpuid 0x4000000c.0 eax[0] HV_PARAVISOR_PRESENT", True),
    ("cpuid 0x4000000c.eax[0]", "cpuid 0x4000000c.0 eax", True),  # the register line too
    ("cpuid 0x4000000c.eax[0]", "cpuid 0x4000000c.0 ebx[3:0] HV_ISOLATION_TYPE", False),
    ("cpuid 0x4000000c.ebx[3:0]", "cpuid 0x4000000c.0 ebx[3:0] HV_ISOLATION_TYPE", True),
    ("cpuid 0x00000000.ebx,edx,ecx", "cpuid 0x00000000.0 signature", True),
    ("cpuid 0x40000000-0x4000ff00 signature scan", "cpuid 0x40000100.0 signature", True),
    ("cpuid 0x40000000-0x4000ff00 signature scan", "cpuid 0x40000001.0 eax", False),
    ("msr 0xc0010131[3:0]", "msr 0xc0010131[2] SNP_ENABLED", True),
    ("msr 0xc0010131[3:0]", "msr 0xc0010131[4] SNP_REFLECT_VC", False),
    ("snp vmpl (RMPADJUST probe)", "snp vmpl", True),
    ("snp secrets page svsm_caa", "snp svsm_caa", True),
    ("smccc 0xc4000190.x0", "smccc 0xc4000190 RSI_VERSION", True),
    ("acpi FACP.HypervisorId", "FACP.HypervisorId", True),
    ("acpi CCEL.Length", "CCEL.length", True),
    ("acpi CCEL", "CCEL.signature", True),
    ("acpi CCEL.CCType = 1 (AMD SEV)", "CCEL.CCType", True),
    ("acpi APIC[3].Flags", "APIC[3].GICC.Flags", True),
    ("acpi APIC[3].Flags", "APIC[2].GICC.Flags", False),
])
def test_matches(source, field, want):
    assert matches(source, field) is want


def test_acpi_fields_linked_to_models():
    result = diff_targets("azure-snp-paravisor", "snp")
    acpi = {c.field: c for c in result.raw["acpi"]}
    assert "linux" in acpi["CCEL.CCType"].read_by  # the CCEL only the enlightened twin has
    assert acpi["CCEL.oem_id"].read_by == ()
