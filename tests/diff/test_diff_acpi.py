"""pvenum diff on ACPI tables: the iasl FACP template against a real FADT, MADT subtables, AML."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from pvenum.diff import diff_targets
from pvtest import DATA

IASL_DATA = DATA / "acpi" / "iasl-20200925"
FIRECRACKER = DATA / "acpi" / "firecracker"
HOST_FACP = Path("/sys/firmware/acpi/tables/FACP")


def _by_field(changes):
    return {c.field: c for c in changes}


@pytest.fixture(scope="module")
def iasl_facp(tmp_path_factory) -> Path:
    """`iasl -T FACP` compiled by the real iasl, in a temporary directory."""
    iasl = shutil.which("iasl")
    if iasl is None:
        pytest.skip("iasl not installed (Debian: apt-get install acpica-tools)")
    d = tmp_path_factory.mktemp("iasl")
    for args in ([iasl, "-T", "FACP"], [iasl, "facp.asl"]):
        proc = subprocess.run(args, cwd=d, capture_output=True, timeout=60)
        assert proc.returncode == 0, proc.stdout.decode() + proc.stderr.decode()
    return d / "facp.aml"


def test_iasl_template_vs_this_machine(iasl_facp):
    if not os.access(HOST_FACP, os.R_OK):
        pytest.skip(f"{HOST_FACP} is not readable here (no ACPI, or not root)")
    result = diff_targets(str(iasl_facp), str(HOST_FACP))
    assert result.kind == "acpi" and list(result.raw) == ["acpi"]
    acpi = _by_field(result.raw["acpi"])
    assert acpi, "the iasl template and a real FADT cannot be identical"
    assert all(f.startswith("FACP.") for f in acpi)
    assert acpi["FACP.oem_table_id"].a == '"Template"'  # what iasl -T writes; no firmware does
    # Named FADT fields, by ACPICA's names; each either changed or counted as unchanged.
    from pvenum.diff.flatten import flatten_artifacts
    from pvenum.formats import load_path

    names = set(flatten_artifacts(list(load_path(HOST_FACP)))["acpi"])
    for field in ("FACP.Flags", "FACP.Dsdt", "FACP.Pm1aEventBlock", "FACP.PreferredProfile",
                  "FACP.ResetRegister.SpaceId", "FACP.XDsdt"):
        assert field in names or field in acpi
    assert len(acpi) + result.unchanged["acpi"] >= 50


def test_iasl_template_vs_firecracker_fadt():
    """Committed tables, so the assertions are exact on every machine."""
    result = diff_targets(str(IASL_DATA / "facp.aml"), str(FIRECRACKER / "facp.dat"))
    acpi = _by_field(result.raw["acpi"])
    flags = acpi["FACP.Flags"]
    assert flags.a == "0x00000000"
    assert flags.b == "0x00100030 (PWR_BUTTON | SLP_BUTTON | HW_REDUCED_ACPI)"
    assert acpi["FACP.HypervisorId"].b == '"FIRECKVM"'
    assert acpi["FACP.BootFlags"].b == "0x0004 (VGA_NOT_PRESENT)"
    assert (acpi["FACP.ResetRegister.SpaceId"].a, acpi["FACP.ResetRegister.SpaceId"].b) == (
        "0x01 (SystemIO)", "0x00 (SystemMemory)")
    assert acpi["FACP.oem_id"].b == '"FIRECK"'
    assert "FACP.signature" not in acpi  # unchanged
    assert result.models and not result.derived_count()  # a lone FADT does not move any model


def test_madt_subtables_by_index_and_type():
    result = diff_targets(str(IASL_DATA / "apic.aml"), str(FIRECRACKER / "apic.dat"))
    acpi = _by_field(result.raw["acpi"])
    assert acpi["APIC.Flags"].a == "0x00000001 (PCAT_COMPAT)"
    assert acpi["APIC[0].IoApic.Address"].b == "0xFEC00000"  # index 0 is an I/O APIC here...
    assert acpi["APIC[0].LocalApic.type"].a == "0x00"  # ...and a local APIC in the template
    assert acpi["APIC[1].LocalApic.LapicFlags"].b == "0x00000001 (Enabled)"


def test_aml_is_one_field():
    result = diff_targets(str(IASL_DATA / "dsdt.aml"), str(FIRECRACKER / "dsdt.dat"))
    acpi = _by_field(result.raw["acpi"])
    aml = acpi["DSDT.AmlCode"]
    assert aml.a.startswith("7 bytes, sha256 ") and aml.b.startswith("3887 bytes, sha256 ")
    assert len(aml.raw_b) == 2 * 3887
    assert not any("AmlCode[" in f for f in acpi)


def test_acpidump_against_tables_of_one_file():
    """An acpidump text compares table by table with another dump (here: itself)."""
    dump = FIRECRACKER / "acpidump.txt"
    result = diff_targets(str(dump), str(dump))
    assert not result.different()
    assert result.unchanged["acpi"] > 100
