"""Validation that says what it did, and scenario errors in the error contract.

Field widths come from the ACPI specification (6.5 §5.2.6 DESCRIPTION_HEADER: OEMID 6 bytes,
OEM Table ID 8, OEM Revision 4; §5.2.9 FADT: Preferred_PM_Profile 1 byte at offset 45,
Hypervisor Vendor Identity 8 bytes at offset 268).
"""

from __future__ import annotations

import json

import pytest

from pvtest import ROOT

HEAD = '[scenario]\nname = "t"\ndescription = "t"\nhypervisor = "kvm"\nisolation = "none"\n'


def test_cpuid_dumps_are_named_as_not_validated_exit_2(cli, tmp_path):
    assert cli("build", "snp", "-o", str(tmp_path / "b")).returncode == 0
    for name, fmt in (("cpuid", "cpuid-r"), ("cpuid.kvm", "kvm_cpuid2"), ("cpuid-template.json", "firecracker-template")):
        proc = cli("validate", str(tmp_path / "b" / name))
        assert proc.returncode == 2, name
        err = proc.stderr.decode()
        assert f"{tmp_path / 'b' / name}: not validated: {fmt}: no structural checks for this format" in err
        assert "no problems" not in err
    # A bundle: tables and platform.toml checked, the CPUID files named as not validated.
    proc = cli("validate", str(tmp_path / "b"))
    assert proc.returncode == 0
    err = proc.stderr.decode()
    assert err.splitlines()[-1].endswith("file(s) checked: no problems; 4 not validated")
    assert f"{tmp_path / 'b' / 'manifest.json'}: not validated: content not recognised" in err


def test_an_empty_directory_is_nothing_to_validate(cli, tmp_path):
    proc = cli("validate", str(tmp_path))
    assert proc.returncode == 2 and b"nothing to validate: no files under" in proc.stderr


def test_scenario_toml_is_validated(cli, tmp_path):
    good = tmp_path / "good.toml"
    good.write_text(HEAD)
    proc = cli("validate", str(good))
    assert proc.returncode == 0 and proc.stderr.decode() == "1 file(s) checked: no problems\n"
    bad = tmp_path / "bad.toml"
    bad.write_text(HEAD + '[expect.linux]\nmode = "bananas"\n')
    proc = cli("validate", "--json", str(bad))
    assert proc.returncode == 1
    row = json.loads(proc.stdout)
    assert (row["format"], row["key"], row["check"]) == ("scenario", "expect.linux.mode", "SCENARIO.Schema")


def test_platform_toml_is_validated(cli, tmp_path):
    (tmp_path / "platform.toml").write_text('arch = "x86_64"\n[expect.linux]\nisolation = "sgx"\n')
    proc = cli("validate", str(tmp_path / "platform.toml"))
    assert proc.returncode == 1
    assert proc.stdout.decode().startswith(f"{tmp_path / 'platform.toml'}: platform.toml at expect.linux.isolation: error: ")


@pytest.mark.parametrize("extra, key, what", [
    ('[override.dt]\n"/psci:method" = "smc"\n', "override.dt", "builds no devicetree"),
    ('[firmware]\nacpi = false\n[override.acpi]\n"FACP.HypervisorId" = "KVMKVMKV"\n', "override.acpi", "builds no ACPI tables"),
    ('[override.acpi]\n"FACP.HypervisorId" = "MsHyperVX"\n', 'override.acpi."FACP.HypervisorId"', "up to 8 ASCII"),
    ('[override.acpi]\n"FACP.HypervisorId" = 0x1ffffffffffffffff\n', 'override.acpi."FACP.HypervisorId"', "a 8-byte field"),
    ('[override.acpi]\n"FACP.PreferredProfile" = 300\n', 'override.acpi."FACP.PreferredProfile"', "a 1-byte field"),
    ('[override.acpi]\n"FACP.OemRevision" = -1\n', 'override.acpi."FACP.OemRevision"', "fits 4 byte(s)"),
    ('[override.acpi]\n"FACP.OemId" = "SEVENCH"\n', 'override.acpi."FACP.OemId"', "up to 6 printable ASCII"),
    ('[override.cpuid]\n"0x1.-2" = [1, 2, 3, 4]\n', 'override.cpuid."0x1.-2"', "32-bit"),
])
def test_override_errors_follow_the_contract(cli, tmp_path, extra, key, what):
    f = tmp_path / "s.toml"
    f.write_text(HEAD + extra)
    for command in ("resolve", "build"):
        args = [command, str(f)] + (["-o", str(tmp_path / "out")] if command == "build" else [])
        proc = cli(*args)
        err = proc.stderr.decode()
        assert proc.returncode == 3, (command, err)
        assert err.startswith(f"pvenum: error: {f}: scenario at {key}: ") and what in err, err
        assert err.count("\n") == 1 and "struct" not in err and "building" not in err, err
    assert not (tmp_path / "out").exists()
    proc = cli("validate", str(f))
    assert proc.returncode == 1 and proc.stdout.decode().startswith(f"{f}: scenario at {key}: error: ")


def test_services_version_the_encoding_cannot_carry_is_refused_when_read(cli, tmp_path):
    # The PVSR table carries the record version in one byte (docs/proposal.md); CPUID and DT in 32 bits.
    f = tmp_path / "s.toml"
    f.write_text('[scenario]\nname = "t"\ndescription = "t"\nhypervisor = "hyperv"\nisolation = "sev-snp"\n'
                 '[paravisor]\n[services]\nencodings = ["cpuid", "acpi"]\nversion = 99999\n')
    for command in ("resolve", "validate"):
        proc = cli(command, str(f))
        out = (proc.stdout + proc.stderr).decode()
        assert f"{f}: scenario at services.version" in out and "8-bit" in out, out
        assert proc.returncode == (3 if command == "resolve" else 1)


def test_header_fields_by_the_names_inspect_prints(cli, tmp_path):
    f = tmp_path / "s.toml"
    f.write_text(HEAD + '[override.acpi]\n"FACP.OemId" = "ACME"\n"FACP.OemTableId" = "ACMEFADT"\n"FACP.OemRevision" = 7\n')
    assert cli("build", str(f), "-o", str(tmp_path / "out")).returncode == 0
    inspected = cli("inspect", str(tmp_path / "out" / "acpi" / "FACP.dat"))
    assert b"ACME" in inspected.stdout
    row = json.loads(cli("inspect", "--json", str(tmp_path / "out" / "acpi" / "FACP.dat")).stdout)
    assert (row["oem_id"], row["oem_table_id"], row["oem_revision"], row["checksum_valid"]) == ("ACME", "ACMEFADT", 7, True)
    assert cli("validate", str(tmp_path / "out" / "acpi" / "FACP.dat")).returncode == 0


def test_a_file_with_only_warnings_is_not_called_problem_free(cli, tmp_path):
    # ACPI 6.5 §5.2.6 / ACPICA actbl3.h struct acpi_table_mcfg: the 8 bytes after the header are
    # Reserved (must be zero). Set one, fix the checksum: a warning, never an error.
    raw = bytearray((ROOT / "tests/data/acpi/firecracker/mcfg.dat").read_bytes())
    raw[36] = 1
    raw[9] = (raw[9] - 1) & 0xFF  # the byte sum stays 0 mod 256
    t = tmp_path / "mcfg.dat"
    t.write_bytes(bytes(raw))
    proc = cli("validate", str(t))
    out, err = proc.stdout.decode(), proc.stderr.decode()
    assert proc.returncode == 0 and "warning" in out and "Reserved" in out, (out, err)
    assert err == "1 file(s) checked: no errors, 1 warning\n"
    assert cli("validate", "--no-warnings", str(t)).stderr.decode() == "1 file(s) checked: no problems\n"
