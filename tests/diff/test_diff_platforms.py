"""pvenum diff on platforms: the Azure-like SNP paravisor scenario against its enlightened twin,
the same pair as bundle directories and as `pvenum build` output, and exit codes."""

from __future__ import annotations

import json

import pytest

from pvenum.diff import diff_targets
from pvtest import DATA

ROWS = DATA / "x86" / "rows"


@pytest.fixture(scope="module")
def twin():
    return diff_targets("azure-snp-paravisor", "snp").to_json()


def _by_field(changes):
    return {c["field"]: c for c in changes}


def test_twin_derived_changes(twin):
    assert twin["kind"] == "platform" and twin["different"] is True
    linux = _by_field(twin["derived"]["linux"])
    assert (linux["mode"]["a"], linux["mode"]["b"]) == ("paravisor", "enlightened")
    assert (linux["memory_acceptance"]["a"], linux["memory_acceptance"]["b"]) == ("paravisor", "guest")
    via = linux["attestation.via"]
    assert "paravisor vTPM" in via["a"] and "sev-guest" in via["b"]
    assert "isolation" not in linux  # sev-snp on both sides: unchanged, so not listed
    proposal = _by_field(twin["derived"]["proposal"])
    assert (proposal["mode"]["a"], proposal["mode"]["b"]) == ("paravisor", "enlightened")
    assert (proposal["attestation.available"]["a"], proposal["attestation.available"]["b"]) == (False, True)
    assert proposal["attestation.via"]["a"] is None and "sev-guest" in proposal["attestation.via"]["b"]
    virt_what = _by_field(twin["derived"]["virt-what"])
    assert virt_what["output"]["a"] == ["amd-sev-snp", "hyperv-hcl"] and virt_what["output"]["b"] == ["amd-sev-snp"]
    # The paravisor side's finding vanishes in the enlightened twin.
    vanished = [f["code"] for f in twin["findings"]["proposal"]["vanished"]]
    assert "proposal.no-services-record" in vanished


def test_twin_raw_named_fields(twin):
    cpuid = _by_field(twin["raw"]["cpuid"])
    pv = cpuid["cpuid 0x4000000c.0 eax[0] HV_PARAVISOR_PRESENT"]
    assert (pv["a"], pv["b"]) == ("true", None)  # the Hyper-V leaves vanish on KVM
    iso = cpuid["cpuid 0x4000000c.0 ebx[3:0] HV_ISOLATION_TYPE"]
    assert iso["a"] == "2 (HV_ISOLATION_TYPE_SNP)"
    snp = cpuid["cpuid 0x8000001f.0 eax[4] SEV_SNP"]
    assert (snp["a"], snp["b"]) == ("false", "true")  # 0x8000001f hidden behind the paravisor
    sig = cpuid["cpuid 0x40000000.0 signature"]
    assert (sig["a"], sig["b"]) == ('"Microsoft Hv"', '"KVMKVMKVM\\0\\0\\0"')
    # Register lines come with the fields.
    assert cpuid["cpuid 0x4000000c.0 eax"]["a"] == "0x00000001"
    msr = _by_field(twin["raw"]["msr"])
    assert (msr["msr 0xc0010131"]["a"], msr["msr 0xc0010131"]["b"]) == ("0x00000000000000df", "0x0000000000000007")
    assert msr["msr 0xc0010131[4] SNP_REFLECT_VC"]["a"] == "true"
    snpf = _by_field(twin["raw"]["snp"])
    assert (snpf["snp vmpl"]["a"], snpf["snp vmpl"]["b"]) == ("2", "0")
    # Unchanged parts are counted, not listed.
    assert twin["unchanged"]["cpuid"] > 100 and twin["unchanged"]["acpi"] > 50
    assert all(c["a"] != c["b"] for ch in twin["raw"].values() for c in ch)


def test_twin_links_fields_to_models(twin):
    cpuid = _by_field(twin["raw"]["cpuid"])
    assert set(cpuid["cpuid 0x4000000c.0 eax[0] HV_PARAVISOR_PRESENT"]["read_by"]) >= {"linux", "proposal"}
    assert "linux" in cpuid["cpuid 0x8000001f.0 eax[1] SEV"]["read_by"]
    assert "read_by" not in cpuid["cpuid 0x40000002.0 eax[31:0] build_number"]


def test_bundle_rows_twin():
    result = diff_targets(str(ROWS / "azure-snp-paravisor"), str(ROWS / "snp-enlightened"))
    linux = _by_field(result.to_json()["derived"]["linux"])
    assert (linux["mode"]["a"], linux["mode"]["b"]) == ("paravisor", "enlightened")
    assert result.a.detail == "bundle" and result.b.detail == "bundle"
    assert any(c.field == "cpuid 0x4000000c.0 eax[0] HV_PARAVISOR_PRESENT" for c in result.raw["cpuid"])


def test_scenario_equals_its_build(built):
    """A scenario and the directory `pvenum build` wrote from it: nothing differs."""
    result = diff_targets("snp", str(built["snp"]))
    assert not result.different(), result.summary()
    assert result.unchanged["cpuid"] > 100 and result.unchanged["acpi"] > 50


def test_built_dirs_compare_like_scenarios(built):
    a = diff_targets(str(built["azure-snp-paravisor"]), str(built["snp"])).to_json()
    b = diff_targets("azure-snp-paravisor", "snp").to_json()
    # Two directories also compare file by file (pvenum.bundle); the channels compare alike.
    files = a["raw"].pop("files")
    assert a["derived"] == b["derived"] and a["raw"] == b["raw"]
    assert {"file cpuid.kvm", "file acpi/CCEL.dat", "file manifest.json"} <= {c["field"] for c in files}


def test_only_derived_ignores_fields_no_model_reads(tmp_path, cli):
    src = (ROWS / "snp-enlightened" / "cpuid").read_text()
    # Stepping 1 -> 2 in leaf 1: a raw change that no guest model reads.
    changed = src.replace("0x00000001 0x00: eax=0x00b00f21", "0x00000001 0x00: eax=0x00b00f22", 1)
    assert changed != src
    (tmp_path / "a.cpuid").write_text(src)
    (tmp_path / "b.cpuid").write_text(changed)
    a, b = str(tmp_path / "a.cpuid"), str(tmp_path / "b.cpuid")
    r = cli("diff", a, b, "--format", "json", "--exit-code")
    assert r.returncode == 1, r.stderr
    doc = json.loads(r.stdout)
    assert [c["field"] for c in doc["raw"]["cpuid"]] == ["cpuid 0x00000001.0 eax", "cpuid 0x00000001.0 eax[3:0] stepping"]
    assert doc["derived"] == {} and doc["findings"] == {}
    r = cli("diff", a, b, "--only-derived", "--exit-code")
    assert r.returncode == 0, r.stderr
    assert b"stepping" not in r.stdout


def test_exit_codes(cli):
    same = cli("diff", "snp", "snp", "--exit-code")
    assert same.returncode == 0, same.stderr
    assert b"no raw field differs" in same.stdout
    differ = cli("diff", "azure-snp-paravisor", "snp", "--exit-code", "--only-derived", "--format", "json")
    assert differ.returncode == 1
    assert json.loads(differ.stdout)["different"] is True and "raw" not in json.loads(differ.stdout)
    plain = cli("diff", "azure-snp-paravisor", "snp", "--format", "json")
    assert plain.returncode == 0  # without --exit-code differences are not a failure


def test_mismatched_kinds_are_usage_errors(cli, qemu_dtbs):
    r = cli("diff", "snp", str(DATA / "cpuid" / "kvm-amd-zen5.cpuid"))
    assert r.returncode == 2
    assert b"cannot compare 'snp' (a platform: scenario)" in r.stderr and b"cpuid artifact" in r.stderr
    r = cli("diff", str(DATA / "cpuid" / "kvm-amd-zen5.cpuid"), str(qemu_dtbs["virt-gicv2"]))
    assert r.returncode == 2 and b"devicetree artifact" in r.stderr


def test_bad_input_is_one_line_exit_3(cli, tmp_path):
    bad = tmp_path / "bad.dtb"
    bad.write_bytes(b"\xd0\x0d\xfe\xed" + b"\0" * 12)
    r = cli("diff", str(bad), str(bad))
    assert r.returncode == 3
    assert r.stderr.count(b"\n") == 1 and r.stderr.startswith(b"pvenum: error: ") and b"Traceback" not in r.stderr
    r = cli("diff", "no-such-scenario", "snp")  # an unknown name is a usage error (pvenum/cli.py EXIT_CODES)
    assert r.returncode == 2 and b"no such file" in r.stderr


def test_tdx_facts_are_a_channel(tmp_path):
    # TDG.VP.INFO's TD attributes are no CPUID leaf: a scenario states them in [override.tdx]
    # and a bundle in platform.toml's [tdx] (pvenum.cpuid.model.TdxFacts). Two platforms that
    # differ only there differed in no raw field: the diff named the platform.toml file's
    # hash at most.
    from pvenum.scenario import build_id

    text, _ = build_id.catalog_source("tdx")
    head = text[:text.index("[expect")]
    a, b = tmp_path / "a.toml", tmp_path / "b.toml"
    a.write_text(head)
    b.write_text(head + "[override.tdx]\nattributes = 0x10000000\n")  # bit 28 SEPT_VE_DISABLE
    raw = diff_targets(str(a), str(b)).to_json()["raw"]
    assert [(c["field"], c["a"], c["b"]) for c in raw["tdx"]] == [("tdx attributes", None, "0x10000000")]
    # ... and one a model reads: tdx_early_init() takes TD_ATTRIBUTES from TDG.VP.INFO rdx and
    # the GPAW from rcx[5:0] (arch/x86/coco/tdx/tdx.c), which the Linux model's evidence cites.
    b.write_text(head + "[override.tdx]\nattributes = 0x10000000\ngpa_width = 48\n")
    raw = diff_targets(str(a), str(b)).to_json()["raw"]
    assert {c["field"]: c.get("read_by") for c in raw["tdx"]} == {"tdx attributes": ["linux"], "tdx gpa_width": ["linux"]}
    # With SEPT_VE_DISABLE clear, disable_sept_ve() reads TDCS_CONFIG_FLAGS (TDG.VM.RD) for
    # FLEXIBLE_PENDING_VE.
    a.write_text(head + "[override.tdx]\nattributes = 0\n")
    b.write_text(head + "[override.tdx]\nattributes = 0\nflexible_pending_ve = true\n")
    raw = diff_targets(str(a), str(b)).to_json()["raw"]
    assert [(c["field"], c.get("read_by")) for c in raw["tdx"]] == [("tdx flexible_pending_ve", ["linux"])]


def test_a_bundle_problem_in_both_sides_is_no_change(tmp_path, cli, built):
    # A bundle whose copies disagree (the SNP twin's cpuid.kvm beside the paravisor's platform
    # stating another CPUID) has the same problem wherever it lies: its findings name each side's
    # files, so a copy elsewhere is unchanged for --only-derived --exit-code (the CI gate).
    import shutil

    for side in ("a", "b"):
        shutil.copytree(built["azure-snp-paravisor"], tmp_path / side)
        shutil.copy(built["snp"] / "cpuid.kvm", tmp_path / side / "cpuid.kvm")
    a, b = str(tmp_path / "a"), str(tmp_path / "b")
    r = cli("diff", a, b, "--only-derived", "--exit-code", "--format", "json")
    assert r.returncode == 0, r.stdout.decode()[:2000]
    assert json.loads(r.stdout)["findings"] == {}
    # The problem itself is still reported, under each side's own name.
    notes = json.loads(cli("diff", a, b, "--format", "json").stdout)["notes"]
    assert any(n.startswith(f"A: error: [bundle.copies-disagree] {a}/cpuid.kvm") for n in notes), notes
    assert any(n.startswith(f"B: error: [bundle.copies-disagree] {b}/cpuid.kvm") for n in notes), notes
    # A problem only one side has is still a change.
    shutil.copy(built["azure-snp-paravisor"] / "cpuid.kvm", tmp_path / "b" / "cpuid.kvm")
    assert cli("diff", a, b, "--only-derived", "--exit-code").returncode == 1


def test_the_acpi_table_files_of_a_bundle_are_no_change_either(tmp_path, cli, built):
    # check_copies() names the ACPI tables as a group, "the ACPI table files of SIDE" (no file after
    # the side's name): a copy elsewhere with the same problem is still unchanged.
    import shutil

    for side in ("a", "b"):
        b = tmp_path / side
        shutil.copytree(built["snp"], b)
        (b / "acpi" / "APIC.dat").rename(b / "APIC.dat")
        (b / "acpi" / "XSDT.dat").unlink()
        (b / "manifest.json").unlink()
    a, b = str(tmp_path / "a"), str(tmp_path / "b")
    notes = json.loads(cli("diff", a, b, "--format", "json").stdout)["notes"]
    assert any(f"the ACPI table files of {a}" in n for n in notes), notes
    r = cli("diff", a, b, "--only-derived", "--exit-code")
    assert r.returncode == 0, r.stdout.decode()[:2000]
