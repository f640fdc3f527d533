"""The draft paravisor services record: CPUID encoding and the proposal model."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from pvtest import SLOW_SCALE, azure_record, record_strategies
from pvenum.cpuid import cpuid_r
from pvenum.bundle import load_bundle
from pvenum.platform import Platform
from pvenum.proposal import cpuid_encoding as enc
from pvenum.proposal.record import Interface, ParavisorServices
from pvenum.resolver import resolve, resolve_all

ROWS = Path(__file__).resolve().parents[1] / "data" / "x86" / "rows"

interfaces, records = record_strategies()

AZURE_RECORD = azure_record()


@settings(max_examples=max(50, int(1000 * SLOW_SCALE)))
@given(records, st.sampled_from([0x40000100, 0x40000200, 0x4000FF00]))
def test_encode_decode_round_trip(record, base):
    dump = enc.install(cpuid_r.parse((ROWS / "plain-kvm" / "cpuid").read_bytes()), record, base)
    dec = enc.decode(dump)
    assert dec is not None and dec.problems == [] and dec.record == record
    assert dec.where == f"cpuid 0x{base:08x}"


def test_reserved_bits_are_reported():
    dump = enc.install(cpuid_r.parse((ROWS / "plain-kvm" / "cpuid").read_bytes()), AZURE_RECORD)
    a, b, c, d = dump.get(0x40000101)
    dump = dump.with_leaf(0x40000101, 0, (a, b, c | 1 << 20, d | 1 << 9))
    dec = enc.decode(dump)
    assert any("reserved flag bits" in p for p in dec.problems)
    assert any("reserved service bits" in p for p in dec.problems)


def test_a_boundary_flag_without_bits_is_located_in_the_flags_register():
    # docs/proposal.md §CPUID: B+1.ECX[2] SHARED_GPA_BOUNDARY_VALID, [13:8] the bits.
    dump = enc.install(cpuid_r.parse((ROWS / "plain-kvm" / "cpuid").read_bytes()), AZURE_RECORD)
    a, b, c, d = dump.get(0x40000101)
    dump = dump.with_leaf(0x40000101, 0, (a, b, (c & ~(0x3F << 8)) | 1 << 2, d))
    dec = enc.decode(dump)
    assert "SHARED_GPA_BOUNDARY_VALID with 0 boundary bits (in 0x40000101.ecx)" in dec.problems


def test_signature_needs_enough_leaves():
    dump = enc.install(cpuid_r.parse((ROWS / "plain-kvm" / "cpuid").read_bytes()), AZURE_RECORD)
    a, b, c, d = dump.get(0x40000100)
    assert enc.decode(dump.with_leaf(0x40000100, 0, (0x40000102, b, c, d))) is None


def _with_record(row: str, record: ParavisorServices) -> Platform:
    platform = load_bundle(ROWS / row)
    platform.cpuid = enc.install(platform.cpuid, record)
    return platform


def test_azure_with_record_is_paravisor_with_services():
    p = _with_record("azure-snp-paravisor", AZURE_RECORD)
    d = resolve(p, "proposal")
    assert (d.mode, d.isolation, d.memory_acceptance) == ("paravisor", "sev-snp", "paravisor")
    assert all(d.services[s].available for s in ("attestation", "tdisp", "vtpm"))
    assert d.services["vtpm"].via == "paravisor mmio 0xfed40000 (+0x5000)"
    assert d.output["record_channels"] == ["cpuid 0x40000100"]
    assert not [f for f in d.findings if f.severity == "error"]
    # Today's guests do not read the record: Linux still has no TDISP there.
    assert resolve(p, "linux").services["tdisp"].available is False
    ev = {e.source: e.value for e in d.evidence}
    assert ev["cpuid 0x40000101.ecx[0]"] == 1 and ev["cpuid 0x40000101.edx[2:0]"] == 0b111


def test_record_not_in_charge_while_snp_visible_is_conflict():
    d = resolve(_with_record("snp-enlightened", AZURE_RECORD), "proposal")
    assert d.mode == "conflict"
    assert any(f.code == "proposal.not-in-charge-but-enlightened" and "PVALIDATE" in f.message for f in d.findings)


def test_record_not_in_charge_while_tdx_visible_is_conflict():
    rec = AZURE_RECORD.with_(isolation="tdx")
    d = resolve(_with_record("tdx-enlightened", rec), "proposal")
    assert d.mode == "conflict" and "TDG.MEM.PAGE.ACCEPT" in d.findings[0].message


def test_svsm_in_charge_record_adds_services():
    rec = ParavisorServices(isolation="sev-snp", guest_in_charge=True, paravisor_accepts_memory=False,
                            tdisp=Interface("svsm-protocol", param0=5, param1=1))
    d = resolve(_with_record("snp-svsm", rec), "proposal")
    assert (d.mode, d.memory_acceptance) == ("enlightened", "svsm")
    assert d.services["tdisp"].via == "paravisor svsm-protocol 5 (v1, up to v1)"
    assert d.services["vtpm"].via.startswith("svsm-protocol 2")  # native, found without the record


def test_nobody_accepts_memory_is_reported():
    rec = AZURE_RECORD.with_(paravisor_accepts_memory=False)
    d = resolve(_with_record("azure-snp-paravisor", rec), "proposal")
    assert d.memory_acceptance == "none"
    assert any(f.code == "proposal.record-inconsistent" for f in d.findings)


def test_record_isolation_disagrees_with_hyperv_leaf():
    d = resolve(_with_record("azure-snp-paravisor", AZURE_RECORD.with_(isolation="tdx")), "proposal")
    assert any(f.code == "proposal.isolation-mismatch" for f in d.findings)


def test_other_models_are_unchanged_by_the_record():
    base = resolve_all(load_bundle(ROWS / "azure-snp-paravisor"))
    withrec = resolve_all(_with_record("azure-snp-paravisor", AZURE_RECORD))
    for model in ("linux", "systemd", "virt-what"):
        assert base[model].summary() == withrec[model].summary(), model
