"""ACPI facts in the resolver, cross-channel findings, and the draft ACPI encoding (PVSR) of the
paravisor services record.

Every resolver check runs on a real built platform: a catalog scenario (or one changed here),
written with ``pvenum.build.write_bundle`` and read back with ``load_bundle``, so the tables go
through bytes, acpidump text and the bundle reader before any rule sees them.
"""

from __future__ import annotations

import struct
from pathlib import Path
from typing import Callable

import pytest
from acpi_helpers import need_iasl, scaled
from pvtest import with_checksum
from parity import common
from pvtest import azure_record, record_strategies
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pvenum import tools
from pvenum.acpi import (AcpiTableSet, build_table, builders, crosscheck, iasl, memory, parse_table, read_acpidump,
                         write_acpidump)
from pvenum.acpi.layouts import KINDS
from pvenum.acpi.layouts import pvsr as L
from pvenum.acpi.validate import check_table
from pvenum.build import write_bundle
from pvenum.errors import ToolError
from pvenum.bundle import load_bundle
from pvenum.platform import Platform
from pvenum.proposal import acpi_encoding, cpuid_encoding, dt_encoding
from pvenum.proposal.record import Interface, ParavisorServices
from pvenum.resolver import resolve
from pvenum.scenario import catalog
from pvenum.scenario.model import parse_scenario

interfaces, records = record_strategies()

AZURE_RECORD = azure_record()


def rebuilt(platform: Platform, tmp_path: Path, name: str = "p") -> Platform:
    """``platform`` written as a bundle and read back (what `pvenum build` + `resolve DIR` do)."""
    write_bundle(platform, tmp_path / name, name=name)
    again = load_bundle(tmp_path / name)
    assert again.notes == []
    return again


def scenario_platform(name: str) -> Platform:
    return catalog.get(name).platform()


def codes(d) -> dict[str, str]:
    return {f.code: f.severity for f in d.findings}


def finding(d, code: str):
    return next(f for f in d.findings if f.code == code)


def pvsr_with(**changes) -> bytes:
    """AZURE_RECORD's table with body fields changed (``Tdisp={"Reserved": 1}`` merges)."""
    table = acpi_encoding.encode(AZURE_RECORD)
    for key, value in changes.items():
        if isinstance(value, dict):
            table.fields[key].update(value)
        else:
            table.fields[key] = value
    return table.fix_checksum().to_bytes()


# -- the PVSR layout -----------------------------------------------------------------------------


def test_pvsr_layout_parity_with_a_struct_oracle() -> None:
    # Independent oracle: the spec table in layouts/pvsr.py as a struct format; distinct values.
    fmt = "<BBHII" + "BBHIQ" * 3
    values = (1, 3, 0x0A0B, 0x2E07, 0x7, 4, 2, 0x0C0D, 0x11, 0x1400001, 1, 3, 0x0E0F, 0x22, 0x100,
              3, 5, 0x1011, 0x5000, 0xFED40000)
    data = struct.pack(fmt, *values)
    assert len(data) == L.PVSR_BODY.size == L.LENGTH - 36

    def iface(kind, version, reserved, param1, param0):
        return {"Kind": kind, "Version": version, "Reserved": reserved, "Param1": param1, "Param0": param0}

    common(L.PVSR_BODY.struct, data, {
        "RecordVersion": 1, "IsolationType": 3, "Reserved": 0x0A0B, "Flags": 0x2E07, "Services": 0x7,
        "Attestation": iface(*values[5:10]), "Tdisp": iface(*values[10:15]), "Vtpm": iface(*values[15:20]),
    }, size=len(data))
    fields, used = L.PVSR_BODY.parse(data, 0, len(data))
    assert used == len(data)
    assert fields["RecordVersion"] == 1 and fields["IsolationType"] == 3 and fields["Flags"] == 0x2E07
    assert fields["Attestation"] == {"Kind": 4, "Version": 2, "Reserved": 0x0C0D, "Param1": 0x11, "Param0": 0x1400001}
    assert fields["Vtpm"]["Param0"] == 0xFED40000 and fields["Tdisp"]["Param1"] == 0x22
    assert L.PVSR_BODY.build(fields) == data


def test_pvsr_offsets_keep_every_u64_aligned() -> None:
    assert [L.offset(f) for f in ("RecordVersion", "IsolationType", "Flags", "Services", "Attestation", "Tdisp",
                                  "Vtpm")] == [36, 37, 40, 44, 48, 64, 80]
    for name in ("Attestation", "Tdisp", "Vtpm"):
        assert L.offset(f"{name}.Param0") % 8 == 0 and L.offset(f"{name}.Param1") % 4 == 0
    table = acpi_encoding.encode(AZURE_RECORD)
    leaves = {lf.path: (lf.offset, lf.size) for lf in table.leaves()}
    assert leaves["Vtpm.Param0"] == (88, 8) and leaves["Flags"] == (40, 4) and table.length == 96


def test_pvsr_bits_are_the_cpuid_encodings() -> None:
    # Both encodings carry one record's words (proposal.record.Words): the same bit positions.
    regs = cpuid_encoding.encode(AZURE_RECORD)[cpuid_encoding.DEFAULT_BASE + 1]
    table = acpi_encoding.encode(AZURE_RECORD)
    assert (table.fields["IsolationType"], table.fields["Flags"], table.fields["Services"]) == regs[1:]


def test_pvsr_is_a_known_table() -> None:
    table = parse_table(acpi_encoding.encode(AZURE_RECORD).to_bytes())
    assert KINDS["PVSR"] is L.PVSR and table.declared and table.name == "PVSR"
    assert table.title == "Paravisor Services Record (pvenum draft)"
    assert (table.oem_id, table.oem_table_id, table.revision) == ("PVENUM", "PARAVSVC", 1)


# -- encode / decode -----------------------------------------------------------------------------


@settings(max_examples=scaled(1000, 50), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(records)
def test_cpuid_and_acpi_encodings_decode_to_the_same_record(record: ParavisorServices) -> None:
    table = parse_table(acpi_encoding.encode(record).to_bytes())
    assert check_table(table, table.to_bytes()) == []
    via_acpi = acpi_encoding.decode_table(table)
    assert via_acpi.problems == [] and via_acpi.record == record
    assert (via_acpi.where, via_acpi.channel) == ("acpi PVSR", "acpi")
    dump = cpuid_encoding.install(scenario_platform("kvm").cpuid, record)
    via_cpuid = cpuid_encoding.decode(dump)
    assert via_cpuid.record == via_acpi.record


def test_reserved_bits_and_fields_are_reported_by_decoder_and_validation() -> None:
    data = pvsr_with(Flags=0x2E07 | 1 << 20, Services=0x7 | 1 << 9, Reserved=0x1, Tdisp={"Reserved": 0x2})
    table = parse_table(data)
    dec = acpi_encoding.decode_table(table)
    assert dec.record == AZURE_RECORD  # reserved bits do not change what the defined bits say
    text = "\n".join(dec.problems)
    for needle in ("reserved flag bits set: 0x100000 (PVSR.Flags)", "reserved service bits set: 0x200 (PVSR.Services)",
                   "PVSR.Reserved is 0x1", "PVSR.Tdisp.Reserved is 0x2"):
        assert needle in text, text
    got = {(p.check, p.offset, p.severity) for p in check_table(table, data)}
    assert {("PVSR.ReservedBits", 40, "warning"), ("PVSR.ReservedBits", 44, "warning"),
            ("ACPI.Reserved", 38, "warning"), ("ACPI.Reserved", 66, "warning")} <= got


def test_interface_rules_and_unknown_codes() -> None:
    # TDISP bit clear but its interface filled in; an unknown interface kind; VALID with 0 bits.
    dec = acpi_encoding.decode_table(parse_table(pvsr_with(Services=0x5)))
    assert dec.record.tdisp is None and any("tdisp interface is not zero but the service bit is clear (PVSR.Tdisp)" in p for p in dec.problems)
    data = pvsr_with(Vtpm={"Kind": 9}, Flags=0x0007)
    dec = acpi_encoding.decode_table(parse_table(data))
    assert dec.record.vtpm is None and dec.record.shared_gpa_boundary_bits is None
    assert any("unknown interface kind 9" in p for p in dec.problems)
    assert any("SHARED_GPA_BOUNDARY_VALID with 0 boundary bits" in p for p in dec.problems)
    got = {(p.check, p.offset) for p in check_table(parse_table(data), data)}
    assert {("PVSR.Interface", 80), ("PVSR.Boundary", 40)} <= got
    # An unknown isolation code or record version: the guest cannot use the record.
    dec = acpi_encoding.decode_table(parse_table(pvsr_with(IsolationType=7)))
    assert dec.record is None and "unknown isolation code 7" in dec.problems[0]
    dec = acpi_encoding.decode_table(parse_table(pvsr_with(RecordVersion=2)))
    assert dec.record.version == 2 and "record version 2" in dec.problems[0]


def test_short_pvsr_is_refused_not_half_read() -> None:
    full = acpi_encoding.encode(AZURE_RECORD).to_bytes()
    cut = with_checksum(full[:4] + struct.pack("<I", 70) + full[8:70])
    table = parse_table(cut)
    assert build_table(table) == cut
    dec = acpi_encoding.decode_table(table)
    assert dec.record is None and "ends before Tdisp" in dec.problems[0]
    assert ("PVSR.Length", 4, "error") in {(p.check, p.offset, p.severity) for p in check_table(table, cut)}


def test_decoder_survives_mutations() -> None:
    seed = acpi_encoding.encode(AZURE_RECORD).to_bytes()

    @settings(max_examples=scaled(2000, 100), deadline=None, derandomize=True)
    @given(st.lists(st.tuples(st.integers(36, len(seed) - 1), st.integers(0, 255)), max_size=8))
    def run(flips):
        data = bytearray(seed)
        for at, value in flips:
            data[at] = value
        dec = acpi_encoding.decode_table(parse_table(bytes(data)))
        assert dec.record is not None or dec.problems

    run()


# -- iasl ---------------------------------------------------------------------------------------


def test_iasl_gate_names_the_draft_for_every_version() -> None:
    table = acpi_encoding.encode(AZURE_RECORD)
    for version in (20200925, 20251212, 29991231):
        (why,) = iasl.unsupported(table, version)
        assert "does not know the PVSR table" in why and "no ACPICA release" in why


def test_installed_iasl_treats_pvsr_as_unknown() -> None:
    tool = need_iasl()
    table = acpi_encoding.encode(AZURE_RECORD)
    dis = iasl.disassemble(table.to_bytes(), name="pvsr")
    # The gate is not a guess: iasl decodes the header and dumps the body as raw data.
    assert tool.knows(table) and not dis.clean
    assert any("Unknown ACPI table signature [PVSR]" in p for p in dis.problems), dis.problems
    result = crosscheck.compare(table, dis.text, version=tool.version)
    assert result.ok and result.compared == 9  # the nine header fields agree
    template = tools.run("iasl", ["-T", "PVSR"], collect=["*.asl"], check=False)
    assert not template.files  # no template: iasl really does not know it
    with pytest.raises(ToolError, match="cannot compile PVSR"):
        iasl.compile_source('[0004] Signature : "PVSR"\n')


# -- build / parse / round trips ----------------------------------------------------------------


def test_pvsr_round_trips_through_every_writer() -> None:
    table = acpi_encoding.encode(AZURE_RECORD)
    data = table.to_bytes()
    assert build_table(parse_table(data)) == data
    (dumped,) = read_acpidump(write_acpidump([table]))
    assert dumped.table.to_bytes() == data
    tables = AcpiTableSet.from_tables([builders.fadt(revision=6), builders.facs(), builders.aml_table("DSDT"), table])
    image = memory.layout(tables, base=0x7FFE0000)
    again = memory.read_memory(image.data, image.base)
    assert again.get("PVSR").to_bytes() == data
    platform = Platform(acpi=again)
    assert acpi_encoding.decode_platform(platform).record == AZURE_RECORD
    assert acpi_encoding.decode_platform(Platform()) is None
    assert acpi_encoding.decode_platform(Platform(acpi=AcpiTableSet([builders.fadt()]))) is None


def test_catalog_record_survives_build_and_reread(tmp_path: Path) -> None:
    platform = rebuilt(scenario_platform("azure-snp-paravisor-services"), tmp_path)
    assert (tmp_path / "p" / "acpi" / "PVSR.dat").is_file()
    assert "PVSR @" in (tmp_path / "p" / "acpidump.txt").read_text()
    dec = acpi_encoding.decode_platform(platform)
    assert dec.problems == [] and dec.record == AZURE_RECORD
    assert cpuid_encoding.decode(platform.cpuid).record == dec.record
    d = resolve(platform, "proposal")
    assert d.output["record_channels"] == ["cpuid 0x40000100", "acpi PVSR"]
    assert not [f for f in d.findings if f.severity == "error"]
    ev = {e.source: e.value for e in d.evidence}
    assert ev["acpi PVSR.Flags"] == 0x2E07 and ev["acpi PVSR.Services"] == 0b111


# -- the same record through every channel resolves the same -------------------------------------
#
# RECORD_CHANNELS maps a channel to a function putting a record into a platform through that
# channel only; every comparison below covers each entry (CPUID, the devicetree node, PVSR).


def _in_cpuid(platform: Platform, record: ParavisorServices) -> Platform:
    platform.cpuid = cpuid_encoding.install(platform.cpuid, record)
    return platform


def _in_acpi(platform: Platform, record: ParavisorServices) -> Platform:
    platform.acpi = AcpiTableSet([*platform.acpi, acpi_encoding.encode(record)])
    return platform


def _in_dt(platform: Platform, record: ParavisorServices) -> Platform:
    # An x86 guest handed a devicetree (as DT-booted x86 guests are) with the
    # record node at /firmware/paravisor and nothing else.
    platform.fdt = dt_encoding.install(platform.fdt, record)
    return platform


RECORD_CHANNELS: dict[str, Callable[[Platform, ParavisorServices], Platform]] = {
    "cpuid": _in_cpuid,
    "acpi": _in_acpi,
    "dt": _in_dt,
}


def proposal_view(platform: Platform) -> dict:
    """What the proposal guest derives, minus where the record was found."""
    d = resolve(platform, "proposal")
    return {
        "mode": d.mode, "isolation": d.isolation, "memory_acceptance": d.memory_acceptance,
        "services": {k: v.to_dict() for k, v in d.services.items()},
        "state": d.output["state"], "record": d.output["record"],
        "findings": sorted(f.code for f in d.findings),
    }


def views_per_channel(base: str, record: ParavisorServices, tmp_path: Path | None = None) -> dict[str, dict]:
    """The proposal derivation with ``record`` in each channel alone (built and re-read when
    ``tmp_path`` is given)."""
    out = {}
    for channel, put in RECORD_CHANNELS.items():
        platform = put(scenario_platform(base), record)
        if tmp_path is not None:
            platform = rebuilt(platform, tmp_path, channel)
        out[channel] = proposal_view(platform)
    return out


@pytest.mark.parametrize("base,record", [
    ("azure-snp-paravisor", AZURE_RECORD),
    ("azure-tdx-paravisor", AZURE_RECORD.with_(isolation="tdx", shared_gpa_boundary_bits=47)),
    ("snp-svsm", ParavisorServices(isolation="sev-snp", guest_in_charge=True, paravisor_accepts_memory=False,
                                   tdisp=Interface("svsm-protocol", param0=5, param1=1))),
    ("snp", AZURE_RECORD),  # not in charge while SNP is visible: the same conflict either way
], ids=["azure-snp", "azure-tdx", "svsm-in-charge", "snp-conflict"])
def test_every_channel_resolves_the_same(base: str, record: ParavisorServices, tmp_path: Path) -> None:
    views = views_per_channel(base, record, tmp_path)
    first = views.pop("cpuid")
    assert first["mode"] in ("paravisor", "enlightened", "conflict")
    for channel, view in views.items():
        assert view == first, channel


@settings(max_examples=scaled(400, 25), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(records)
def test_every_channel_resolves_the_same_for_any_record(record: ParavisorServices) -> None:
    views = views_per_channel("azure-snp-paravisor", record)
    first = views.pop("cpuid")
    assert all(view == first for view in views.values())


# -- ACPI facts in the linux model --------------------------------------------------------------


def test_tdx_mp_wakeup_and_ccel_reach_the_linux_output(tmp_path: Path) -> None:
    d = resolve(rebuilt(scenario_platform("tdx"), tmp_path), "linux")
    assert d.output["mp_wakeup"] == {"version": 1, "mailbox": 0x7F000000, "reset_vector": 0x7F001000,
                                     "cpu_offlining": True}
    assert d.output["ccel"] == {"cc_type": 2, "cc_type_name": "Intel TDX", "log": "/sys/firmware/acpi/tables/data/CCEL",
                                "log_address": 0x7E000000, "log_size": 0x10000}
    ev = {e.source: e for e in d.evidence}
    assert ev["acpi APIC[4].BaseAddress"].value == 0x7F000000
    assert "acpi_parse_mp_wake()" in ev["acpi APIC[4].BaseAddress"].cite
    assert "acpi_ccel_data_init()" in ev["acpi CCEL.CCType"].cite
    assert not [c for c in codes(d) if c.startswith("cross.")]


def test_mp_wakeup_version_0_disables_cpu_offlining(tmp_path: Path) -> None:
    p = scenario_platform("tdx")
    madt = p.acpi.get("APIC")
    madt.subtables[-1] = builders.mp_wakeup(mailbox_address=0x7F000000)
    madt.fix_checksum()
    d = resolve(rebuilt(p, tmp_path), "linux")
    assert d.output["mp_wakeup"] == {"version": 0, "mailbox": 0x7F000000, "reset_vector": None,
                                     "cpu_offlining": False}
    assert "cpu_hotplug_disable_offlining()" in next(s.conclusion for s in d.trace if s.rule == "linux.x86.acpi-mp-wakeup")


def test_short_mp_wakeup_is_rejected(tmp_path: Path) -> None:
    from pvenum.acpi.layouts import madt as madt_layout

    p = scenario_platform("tdx")
    madt = p.acpi.get("APIC")
    madt.subtables[-1] = builders.subtable(madt_layout.MP_WAKEUP, length=10)
    madt.fix_checksum()
    d = resolve(rebuilt(p, tmp_path), "linux")
    assert d.output["mp_wakeup"] is None and codes(d)["linux.mp-wakeup-rejected"] == "warning"
    assert "ACPI_MADT_MP_WAKEUP_SIZE_V0" in finding(d, "linux.mp-wakeup-rejected").message


def test_ccel_with_a_zero_log_area_is_refused(tmp_path: Path) -> None:
    p = scenario_platform("snp")
    p.acpi.get("CCEL").fields["LogAreaStartAddress"] = 0
    p.acpi.get("CCEL").fix_checksum()
    d = resolve(rebuilt(p, tmp_path), "linux")
    assert d.output["ccel"]["log"] is None and d.output["ccel"]["cc_type"] == 1
    assert codes(d)["linux.ccel-log-refused"] == "warning"


def test_no_acpi_means_no_acpi_facts_and_no_acpi_evidence() -> None:
    rows = Path(__file__).resolve().parents[1] / "data" / "x86" / "rows" / "tdx-enlightened"
    d = resolve(load_bundle(rows), "linux")
    assert d.output["mp_wakeup"] is None and d.output["ccel"] is None
    assert not [e for e in d.evidence if e.source.startswith("acpi")]


def test_no_lapic_entries_means_the_wakeup_entry_is_not_parsed(tmp_path: Path) -> None:
    p = scenario_platform("tdx")
    madt = p.acpi.get("APIC")
    madt.subtables = [s for s in madt.subtables if s.type not in (0x00, 0x09)]
    madt.fix_checksum()
    d = resolve(rebuilt(p, tmp_path), "linux")
    assert d.output["mp_wakeup"] is None
    assert "No LAPIC entries present" in next(s.conclusion for s in d.trace if s.rule == "linux.x86.acpi-mp-wakeup")


def test_acpi_facts_wait_for_a_boot_that_gets_there(tmp_path: Path) -> None:
    # GHCB_SNP_UNSUPPORTED stops the decompressor: setup_arch() never parses the MADT.
    d = resolve(rebuilt(scenario_platform("conflict-snp-visible-paravisor"), tmp_path), "linux")
    assert d.output["stops"] and d.output["mp_wakeup"] is None and d.output["ccel"] is None
    assert not [s for s in d.trace if s.rule.startswith("linux.x86.acpi-")]


# -- cross-channel findings ----------------------------------------------------------------------

CATALOG_CONFLICTS = {
    "conflict-ccel-tdx-on-snp": ("cross.ccel-vs-cpuid", "warning",
                                 ["acpi CCEL.CCType = 2 (Intel TDX)", "cpuid 0x8000001f / SEV_STATUS: SEV-SNP"]),
    "conflict-fadt-hyperv-on-kvm": ("cross.fadt-hypervisor-vs-cpuid", "warning",
                                    ['acpi FACP.HypervisorId = "MsHyperV"', 'cpuid 0x40000000 = "KVMKVMKVM" (kvm)']),
    "conflict-tdx-without-mp-wakeup": ("cross.tdx-without-mp-wakeup", "error",
                                       ['cpuid 0x21 "IntelTDX    "', "acpi APIC", "2 CPUs"]),
}
# Each finding cites the upstream declaration of the ACPI field it compares and a Linux reader.
CATALOG_CITES = {
    "conflict-ccel-tdx-on-snp": ("tianocore/edk2 MdePkg/Include/Protocol/CcMeasurement.h", "drivers/acpi/sysfs.c"),
    "conflict-fadt-hyperv-on-kvm": ("acpica/acpica source/include/actbl.h", "detect_hypervisor_vendor()"),
    "conflict-tdx-without-mp-wakeup": ("acpica/acpica source/include/actbl2.h", "madt_wakeup.c"),
}


@pytest.mark.parametrize("name", sorted(CATALOG_CONFLICTS))
def test_catalog_cross_channel_findings_name_both_sides(name: str, tmp_path: Path) -> None:
    code, severity, needles = CATALOG_CONFLICTS[name]
    platform = rebuilt(scenario_platform(name), tmp_path)
    for model in ("linux", "proposal"):
        d = resolve(platform, model)
        assert codes(d).get(code) == severity, (model, codes(d))
        f = finding(d, code)
        assert all(n in f.message for n in needles), f.message
        assert f.cite and all(c in f.cite for c in CATALOG_CITES[name]), f.cite
        # The guest's own decision stands: only the finding is added.
        assert d.mode == catalog.get(name).expect[model].mode


def test_record_in_cpuid_and_acpi_that_differ_is_a_conflict_naming_both(tmp_path: Path) -> None:
    platform = rebuilt(scenario_platform("conflict-record-cpuid-vs-acpi"), tmp_path)
    d = resolve(platform, "proposal")
    assert d.mode == "conflict" and codes(d)["proposal.channels-disagree"] == "error"
    message = finding(d, "proposal.channels-disagree").message
    assert "cpuid 0x40000100" in message and "acpi PVSR" in message and "tdisp" in message
    assert resolve(platform, "linux").mode == "paravisor"  # Linux reads neither record


def test_mp_wakeup_without_tdx_is_a_warning(tmp_path: Path) -> None:
    p = scenario_platform("kvm")
    madt = p.acpi.get("APIC")
    madt.subtables.append(builders.mp_wakeup(mailbox_address=0x7F000000, version=1, reset_vector=0x7F001000))
    madt.fix_checksum()
    platform = rebuilt(p, tmp_path)
    for model in ("linux", "proposal"):
        d = resolve(platform, model)
        assert codes(d)["cross.mp-wakeup-without-tdx"] == "warning" and d.mode == "not-confidential"
        assert "mailbox 0x7f000000" in finding(d, "cross.mp-wakeup-without-tdx").message
    # Linux itself still takes the mailbox: the kernel's choice, and the finding, both stand.
    assert resolve(platform, "linux").output["mp_wakeup"]["mailbox"] == 0x7F000000


def test_tdx_behind_a_paravisor_needs_no_mp_wakeup(tmp_path: Path) -> None:
    # The paravisor starts the APs; the guest's own TDX conflict is reported elsewhere.
    d = resolve(rebuilt(scenario_platform("conflict-tdx-visible-paravisor"), tmp_path), "linux")
    assert "cross.tdx-without-mp-wakeup" not in codes(d)
    assert "paravisor starts the APs" in next(s.conclusion for s in d.trace if s.rule == "cross.mp-wakeup")


def test_ccel_on_a_guest_that_shows_no_tee(tmp_path: Path) -> None:
    p = scenario_platform("kvm")
    p.acpi.add(builders.ccel(cc_type=1, log_area_minimum_length=0x10000, log_area_start_address=0x7E000000))
    d = resolve(rebuilt(p, tmp_path), "linux")
    assert codes(d)["cross.ccel-vs-cpuid"] == "warning"
    assert "acpi CCEL.CCType = 1 (AMD SEV) vs cpuid: no SEV" in finding(d, "cross.ccel-vs-cpuid").message
    assert d.output["ccel"]["log"] == "/sys/firmware/acpi/tables/data/CCEL"  # Linux exports it anyway


def test_ccel_behind_a_paravisor_is_compared_with_the_hyperv_isolation_type(tmp_path: Path) -> None:
    p = scenario_platform("azure-snp-paravisor")
    p.acpi.add(builders.ccel(cc_type=2, log_area_minimum_length=0x10000, log_area_start_address=0x7E000000))
    d = resolve(rebuilt(p, tmp_path), "proposal")
    assert "cpuid 0x4000000c.ebx[3:0] HV_ISOLATION_TYPE = 2 (sev-snp)" in finding(d, "cross.ccel-vs-cpuid").message
    p = scenario_platform("azure-snp-paravisor")
    p.acpi.add(builders.ccel(cc_type=1, log_area_minimum_length=0x10000, log_area_start_address=0x7E000000))
    assert "cross.ccel-vs-cpuid" not in codes(resolve(p, "proposal"))


@pytest.mark.parametrize("hid,scenario,expected", [
    ("FIRECKVM", "kvm", None),  # Firecracker's identity on KVM
    ("CLOUDHYP", "kvm", None),  # Cloud Hypervisor runs on KVM ...
    ("CLOUDHYP", "hyperv", None),  # ... or on MSHV
    ("MsHyperV", "hyperv", None),
    ("FIRECKVM", "hyperv", "cross.fadt-hypervisor-vs-cpuid"),
    ("MsHyperV", "bare-metal", "cross.fadt-hypervisor-vs-cpuid"),
    ("SomeVMM", "kvm", None),  # an identity pvenum does not map: evidence only
])
def test_fadt_hypervisor_identities(hid: str, scenario: str, expected: str | None) -> None:
    p = scenario_platform(scenario)
    fadt = p.acpi.get("FACP")
    fadt.fields["HypervisorId"] = builders.ascii_u64(hid)
    fadt.fix_checksum()
    d = resolve(p, "linux")
    found = [c for c in codes(d) if c.startswith("cross.fadt")]
    assert found == ([expected] if expected else [])
    assert {e.source: e.value for e in d.evidence}["acpi FACP.HypervisorId"] == hid


ARM_ACPI = """[scenario]
name = "arm-acpi"
description = "arm64 with ACPI only"
arch = "arm64"
hypervisor = "{hv}"
isolation = "{iso}"
[firmware]
dt = false
acpi = true
[override.acpi]
{override}
"""


def arm_platform(tmp_path: Path, *, hv: str = "kvm", iso: str = "none", override: str = "") -> Platform:
    sc = parse_scenario(ARM_ACPI.format(hv=hv, iso=iso, override=override))
    return rebuilt(sc.platform(), tmp_path, "arm")


def test_arm64_fadt_hyperv_vs_smccc_kvm(tmp_path: Path) -> None:
    p = arm_platform(tmp_path, override='"FACP.HypervisorId" = "MsHyperV"')
    d = resolve(p, "proposal")
    f = finding(d, "cross.fadt-hypervisor-vs-smccc")
    assert 'acpi FACP.HypervisorId = "MsHyperV"' in f.message and "vendor hypervisor UID = kvm" in f.message
    assert "hyperv_init()" in f.message  # FADT revision 6: arm64 Linux acts on it


def test_arm64_ccel_vs_rsi(tmp_path: Path) -> None:
    assert "cross.ccel-vs-rsi" not in codes(resolve(arm_platform(tmp_path, iso="cca"), "proposal"))
    d = resolve(arm_platform(tmp_path / "x", iso="cca", override='"CCEL.CCType" = 2'), "proposal")
    f = finding(d, "cross.ccel-vs-rsi")
    assert "acpi CCEL.CCType = 2 (Intel TDX)" in f.message and "RSI_VERSION" in f.message


def test_linux_hook_tolerates_a_missing_arm64_model(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    from pvenum.resolver.models import linux

    p = arm_platform(tmp_path, override='"FACP.HypervisorId" = "MsHyperV"')
    monkeypatch.setitem(sys.modules, "pvenum.resolver.models.linux_arm64", None)  # import fails as if absent
    monkeypatch.setattr(linux, "_RULES", {})  # forget the arm64 rules an earlier test loaded
    d = linux.derive(p)
    assert d.mode == "indeterminate" and codes(d)["linux.model-missing"] == "warning"
    assert "cross.fadt-hypervisor-vs-smccc" in codes(d)  # the cross-channel rules still run


@pytest.mark.parametrize("override,message", [
    ('"PVSR.Tdisp.Bogus" = 1', "PVSR.Tdisp has no field 'Bogus'"),
    ('"APIC.NoSuchSubtable" = false', "APIC has no field or subtable 'NoSuchSubtable'"),
    ('"PVSR.Flags" = 1.5', "expected an integer or an ASCII identifier"),
])
def test_acpi_override_errors_name_the_key(override: str, message: str) -> None:
    from pvenum.errors import ScenarioError

    text = ('[scenario]\nname = "x"\ndescription = "d"\nhypervisor = "hyperv"\nisolation = "sev-snp"\n'
            '[paravisor]\n[services]\nencodings = ["acpi"]\n[override.acpi]\n' + override + "\n")
    with pytest.raises(ScenarioError, match=message) as err:
        parse_scenario(text).platform()
    assert err.value.key.startswith("override.acpi.")
