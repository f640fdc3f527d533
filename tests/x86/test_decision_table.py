"""Every x86 decision and conflict case of docs/sources.md, resolved by all four models."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from pvtest import assert_conclusions, assert_matches_recipe

from pvenum.bundle import load_bundle
from pvenum.resolver import resolve_all

DATA = Path(__file__).resolve().parents[1] / "data" / "x86"
EXPECTED = tomllib.loads((DATA / "expected.toml").read_text())
ROWS = sorted(p.name for p in (DATA / "rows").iterdir())


def test_fixtures_match_their_recipe():
    assert_matches_recipe(DATA / "recipe.py")


def test_every_row_has_expectations():
    assert set(ROWS) == set(EXPECTED)
    for row, models in EXPECTED.items():
        assert set(models) == {"linux", "systemd", "virt-what", "proposal"}, row


def _output_key(model: str, output):
    if model == "linux":
        return output["cc_vendor"]
    if model == "proposal":
        return output["state"]
    return output


@pytest.mark.parametrize("row", ROWS)
def test_row(row):
    derivations = resolve_all(load_bundle(DATA / "rows" / row))
    for model, want in EXPECTED[row].items():
        d = derivations[model]
        got = d.to_dict()
        ctx = f"{row}/{model}"
        assert_conclusions(got, want, ctx)
        if "output" in want:
            assert _output_key(model, got["output"]) == want["output"], ctx
        for svc in ("attestation", "vtpm", "tdisp"):
            if svc in want:
                assert got["services"][svc]["available"] is want[svc], f"{ctx}: {svc}"
                assert (got["services"][svc]["via"] is not None) is want[svc], f"{ctx}: {svc} via"
        if "attrs" in want:
            assert sorted(got["output"]["cc_attrs"]) == sorted(want["attrs"]), ctx
        codes = {f["code"] for f in got["findings"]}
        for code in want.get("findings", []):
            assert code in codes, f"{ctx}: finding {code} missing from {sorted(codes)}"
        if "exit" in want:
            status = [e for e in got["evidence"] if e["source"] == "systemd-detect-virt --cvm exit status"]
            assert status and status[0]["value"] == want["exit"], ctx
        # Every evidence item names its source and the rule (with its citation) that read it.
        for ev in got["evidence"]:
            assert ev["source"] and ev.get("rule") and ev.get("cite"), (ctx, ev)


def _evidence(d, source):
    return [e.value for e in d.evidence if e.source == source]


def test_azure_snp_evidence_names_the_bits():
    d = resolve_all(load_bundle(DATA / "rows" / "azure-snp-paravisor"))["linux"]
    assert _evidence(d, "cpuid 0x4000000c.eax[0]") == [1]
    assert _evidence(d, "cpuid 0x4000000c.ebx") == [0xBA2]
    assert _evidence(d, "cpuid 0x4000000c.ebx[3:0]") == [2]
    assert _evidence(d, "cpuid 0x40000003.ebx[22]") == [1]
    assert "Hyper-V: Isolation Config: Group A 0x1, Group B 0xba2" in d.output["dmesg"]
    assert d.output["sev_status"] == 1 << 3  # MSR_AMD64_SNP_VTOM, set by hv_vtom_init()
    assert d.output["cc_mask"] == 1 << 46


def test_azure_tdx_observed_values():
    d = resolve_all(load_bundle(DATA / "rows" / "azure-tdx-paravisor"))["linux"]
    assert "Hyper-V: Isolation Config: Group A 0x1, Group B 0xbe3" in d.output["dmesg"]
    assert "Memory Encryption Features active: Intel TDX" in d.output["dmesg"]
    assert "tdx-guest" not in d.output["drivers"]
    assert d.output["cc_mask"] == 1 << 47


def test_snp_unsupported_features_stop_the_boot(tmp_path):
    """SEV_STATUS with vTOM on an enlightened guest (CC blob present): SNP_FEATURES_IMPL_REQ."""
    row = DATA / "rows" / "snp-enlightened"
    (tmp_path / "cpuid").write_bytes((row / "cpuid").read_bytes())
    (tmp_path / "platform.toml").write_text('arch = "x86_64"\n[msr]\n"0xc0010131" = 0xf\n[snp]\nvmpl = 0\ncc_blob = true\n')
    d = resolve_all(load_bundle(tmp_path))["linux"]
    assert d.mode == "conflict"
    assert d.output["stops"].startswith("GHCB_SNP_UNSUPPORTED")
    # DebugSwap (bit 7) alone is implemented: the guest boots.
    (tmp_path / "platform.toml").write_text('arch = "x86_64"\n[msr]\n"0xc0010131" = 0x87\n[snp]\nvmpl = 0\ncc_blob = true\n')
    assert resolve_all(load_bundle(tmp_path))["linux"].mode == "enlightened"


@pytest.mark.parametrize(
    "snp, stop",
    [
        ("vmpl = 2\ncc_blob = true\nsvsm_size = 0", "GHCB_TERM_NO_SVSM"),
        ("vmpl = 2\ncc_blob = true\nsvsm_size = 0x1000\nsvsm_guest_vmpl = 0\nsvsm_caa = 0x1000", "GHCB_TERM_SVSM_VMPL0"),
        ("vmpl = 2\ncc_blob = true\nsvsm_size = 0x1000\nsvsm_guest_vmpl = 2\nsvsm_caa = 0x1008", "GHCB_TERM_SVSM_CAA"),
    ],
)
def test_svsm_setup_termination_codes(tmp_path, snp, stop):
    row = DATA / "rows" / "snp-svsm"
    (tmp_path / "cpuid").write_bytes((row / "cpuid").read_bytes())
    (tmp_path / "platform.toml").write_text(f'arch = "x86_64"\n[msr]\n"0xc0010131" = 0x7\n[snp]\n{snp}\n')
    d = resolve_all(load_bundle(tmp_path))["linux"]
    assert d.mode == "conflict" and d.output["stops"].startswith(stop), d.output["stops"]


def test_kvm_behind_hyperv_enlightenments_wins(tmp_path):
    """detect_hypervisor_vendor(): KVM at 0x40000100 outranks Hyper-V at 0x40000000."""
    from pvenum.cpuid import cpuid_r

    dump = cpuid_r.parse((DATA / "rows" / "plain-hyperv" / "cpuid").read_bytes())
    kvm0 = cpuid_r.parse((DATA / "rows" / "plain-kvm" / "cpuid").read_bytes()).cpu0()[(0x40000000, 0)]
    dump = dump.with_leaf(0x40000100, 0, (0x40000101, *kvm0[1:]))
    dump = dump.with_leaf(0x40000101, 0, (0, 0, 0, 0))
    (tmp_path / "cpuid").write_text(cpuid_r.write(dump))
    assert resolve_all(load_bundle(tmp_path), ["linux"])["linux"].hypervisor == "kvm"
