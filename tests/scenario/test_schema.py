"""Scenario TOML: clear errors that name the key; `scenario new` writes a valid start."""

from __future__ import annotations

import pytest

from pvenum.errors import ScenarioError
from pvenum.resolver import resolve_all
from pvenum.scenario import load_scenario_file, parse_scenario

GOOD = '[scenario]\nname = "x"\ndescription = "d"\n'


@pytest.mark.parametrize(
    "extra, key",
    [
        ('bogus = 1\n', "scenario.bogus"),
        ('source = 5\n', "scenario.source"),
        ('isolation = "sgx"\n', "scenario.isolation"),
        ('arch = "riscv"\n', "scenario.arch"),
        ('isolation = "tdx"\ncpu = "amd"\n', "scenario.cpu"),
        ('arch = "arm64"\nisolation = "sev"\n', "scenario.isolation"),
        ('isolation = "vbs"\n', "scenario.isolation"),
        ('isolation = "tdx"\nhypervisor = "none"\n', "scenario.hypervisor"),
        ('[paravisor]\n', "paravisor"),
        ('isolation = "tdx"\n[svsm]\n', "svsm"),
        ('isolation = "sev-snp"\n[svsm]\nvmpl = 7\n', "svsm.vmpl"),
        ('isolation = "tdx"\n[paravisor]\nhides = ["everything"]\n', "paravisor.hides[0]"),
        ('[services]\nencodings = ["smoke"]\n', "services.encodings[0]"),
        ('[services]\nattestation = { kind = "carrier-pigeon" }\n', "services.attestation"),
        ('[services]\nisolation = "sev-snp"\nfrobnicate = 1\n', "services.frobnicate"),
        ('[services]\nguest_in_charge = "false"\n', "services.guest_in_charge"),  # not silently true
        ('[services]\nshared_gpa_boundary_bits = "46"\n', "services.shared_gpa_boundary_bits"),
        ('[services]\nversion = "x"\n', "services.version"),
        ('[services]\nversion = -1\n', "services.version"),
        ('[services]\nattestation = { kind = "mmio", param0 = "16" }\n', "services.attestation"),
        ('[expect.linux]\nmood = "happy"\n', "expect.linux.mood"),
        ('[expect.windows]\nmode = "x"\n', "expect.windows"),
        ('[override]\nregisters = {}\n', "override.registers"),
        ('[override.cpuid]\n"0x1" = [1, 2]\n', "override.cpuid.0x1"),
        ('[override.cpuid]\n"leaf1" = [1, 2, 3, 4]\n', "override.cpuid.leaf1"),
        ('[override.cpuid]\n"0x1ffffffff" = [1, 2, 3, 4]\n', "override.cpuid.0x1ffffffff"),
        ('[override.cpuid]\n"0x1.-2" = [1, 2, 3, 4]\n', "override.cpuid.0x1.-2"),
        ('[override.msr]\n"0xc0010131" = -1\n', "override.msr.0xc0010131"),
        # hostile ACPI overrides: a ScenarioError naming the key, never a construct or codec error
        ('[services]\nencodings = ["acpi"]\n[override.acpi]\n"PVSR.Tdisp" = 1\n', "override.acpi.PVSR.Tdisp"),
        ('[override.acpi]\n"FACP.HypervisorId" = "MsHyperVX"\n', "override.acpi.FACP.HypervisorId"),
        ('[override.acpi]\n"FACP.HypervisorId" = "\u00e9"\n', "override.acpi.FACP.HypervisorId"),
    ],
)
def test_errors_name_the_key(extra, key):
    text = GOOD + extra if not extra.startswith("[") else GOOD + extra
    with pytest.raises(ScenarioError) as err:
        sc = parse_scenario(text, "t.toml")
        sc.platform()
    assert err.value.key == key, str(err.value)


def test_missing_name():
    with pytest.raises(ScenarioError, match="scenario.name: required"):
        parse_scenario('[scenario]\ndescription = "d"\n')


def test_cli_reports_scenario_errors_in_one_line(cli, tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text(GOOD + 'isolation = "sgx"\n')
    proc = cli("resolve", str(bad))
    assert proc.returncode == 3
    assert proc.stderr.decode() == f"pvenum: error: {bad}: scenario at scenario.isolation: 'sgx' is not one of none, vbs, sev, sev-es, sev-snp, tdx, cca\n"


def test_scenario_new_writes_a_valid_commented_file(cli, tmp_path):
    path = tmp_path / "mine.toml"
    proc = cli("scenario", "new", str(path))
    assert proc.returncode == 0, proc.stderr
    text = path.read_text()
    assert text.count("#") > 20
    sc = load_scenario_file(path)
    assert sc.name == "mine" and sc.isolation == "sev-snp"
    assert resolve_all(sc.platform())["linux"].mode == "enlightened"
    assert cli("scenario", "new", str(path)).returncode == 3  # never overwrites


def test_overrides_apply_last():
    sc = parse_scenario(GOOD + 'isolation = "sev-snp"\n[override.msr]\n"0xc0010131" = 0x3\n[override.snp]\ncc_blob = false\n')
    p = sc.platform()
    assert p.msr[0xC0010131] == 0x3 and p.snp.cc_blob is False
    assert resolve_all(p)["linux"].isolation == "sev-es"


def test_record_errors_name_the_key_once():
    with pytest.raises(ScenarioError) as err:
        parse_scenario(GOOD + '[services]\nisolation = "sgx"\n', "t.toml")
    assert str(err.value) == "t.toml: scenario at services.isolation: isolation must be one of none, vbs, sev-snp, tdx, cca"


def test_deeply_nested_scenario_is_a_one_line_error(cli, tmp_path):
    deep = tmp_path / "deep.toml"
    deep.write_text(GOOD + '[override.cpuid]\n"0x1" = ' + "[" * 5000 + "1" + "]" * 5000 + "\n")
    proc = cli("resolve", str(deep))
    assert proc.returncode == 3
    assert proc.stderr.decode() == f"pvenum: error: {deep}: TOML nested too deeply\n"
