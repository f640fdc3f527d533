"""parse_table / build_table on real and constructed tables: round trips, short and long
structures, editing with checksum repair, and the bounds every reader must keep."""

from __future__ import annotations

import struct
from pathlib import Path

import pytest
from pvtest import with_checksum

from pvenum.acpi import AcpiTableSet, build_table, builders, parse_table
from pvenum.acpi.constants import ARM_PSCI_COMPLIANT
from pvenum.acpi.layouts import fadt as fadt_layout
from pvenum.errors import ParseError


def _header(sig: bytes, length: int, revision: int = 1) -> bytes:
    return struct.pack("<4sIBB6s8sI4sI", sig, length, revision, 0, b"OEMID ", b"TABLEID ", 1, b"TEST", 2)


def _sdt(sig: bytes, body: bytes, revision: int = 1) -> bytes:
    return with_checksum(_header(sig, 36 + len(body), revision) + body)


def test_fixture_round_trips(fixture_table: Path) -> None:
    data = fixture_table.read_bytes()
    table = parse_table(data)
    assert build_table(table) == data
    assert table.checksum_valid in (True, None)
    assert table.length == len(data)


def test_header_fields_of_a_known_table() -> None:
    data = _sdt(b"WAET", struct.pack("<I", 2))
    t = parse_table(data)
    assert (t.signature, t.length, t.revision, t.oem_id, t.oem_table_id, t.oem_revision, t.creator_id,
            t.creator_revision) == ("WAET", 40, 1, "OEMID ", "TABLEID ", 1, "TEST", 2)
    assert t.fields == {"Flags": 2} and t.checksum_valid and t.checksum == data[9]


def test_unknown_table_is_kept_as_bytes() -> None:
    data = _sdt(b"OEM0", bytes(range(64)))
    t = parse_table(data)
    assert t.fields == {} and t.unparsed == bytes(range(64)) and not t.declared
    assert build_table(t) == data


def test_trailing_bytes_after_length_round_trip() -> None:
    data = _sdt(b"WAET", struct.pack("<I", 0)) + b"\xAA\xBB\xCC"
    t = parse_table(data)
    assert t.trailing == b"\xAA\xBB\xCC" and t.length == 40
    assert build_table(t) == data


@pytest.mark.parametrize("revision", sorted(fadt_layout.SIZE_BY_REVISION))
def test_fadt_every_revision_decodes_the_fields_present(revision: int) -> None:
    t = builders.fadt(revision=revision)
    size = fadt_layout.SIZE_BY_REVISION[revision]
    assert t.length == size
    again = parse_table(t.to_bytes())
    present = fadt_layout.FADT_BODY.fitting(size - 36)
    assert list(again.fields) == fadt_layout.FADT_BODY.names[:present]
    assert ("HypervisorId" in again.fields) == (revision >= 6)
    assert ("ArmBootFlags" in again.fields) == (revision >= 2)
    assert again.unparsed == b"" and again.checksum_valid


def test_fadt_cut_inside_a_field_keeps_the_remainder() -> None:
    full = builders.fadt(revision=6, hypervisor_id="MsHyperV").to_bytes()
    cut = with_checksum(full[:4] + struct.pack("<I", 272) + full[8:272])  # HypervisorId (268..275) cut in half
    t = parse_table(cut)
    assert "HypervisorId" not in t.fields and t.unparsed == full[268:272]
    assert build_table(t) == cut


def test_hypervisor_id_reads_as_text() -> None:
    t = parse_table(builders.fadt(hypervisor_id="MsHyperV").to_bytes())
    assert t.fields["HypervisorId"] == int.from_bytes(b"MsHyperV", "little")
    assert t.hypervisor_id == "MsHyperV" and t.text("hypervisor_id") == "MsHyperV"


def test_snake_case_access_and_edit_with_checksum_repair() -> None:
    t = parse_table(builders.fadt(revision=6).to_bytes())
    assert t.arm_boot_flags == 0 and t.x_dsdt == 0 and t.minor_revision == 5
    t.fields["ArmBootFlags"] = 3
    assert not t.checksum_valid
    data = build_table(t, fix_checksum=True)
    again = parse_table(data)
    assert again.arm_boot_flags == 3 and again.checksum_valid
    with pytest.raises(AttributeError):
        _ = t.no_such_field


def test_fix_checksum_recomputes_lengths_after_adding_a_subtable() -> None:
    madt = builders.madt([builders.local_apic(0, 0)])
    madt.subtables.append(builders.mp_wakeup(mailbox_address=0x7F000000, version=1, reset_vector=0x7F001000))
    assert build_table(madt.fix_checksum())[4:8] == struct.pack("<I", 44 + 8 + 24)
    again = parse_table(madt.to_bytes())
    assert again.checksum_valid and [s.name for s in again.subtables] == ["LocalApic", "MPWakeup"]
    assert again.subtables[1].reset_vector == 0x7F001000


@pytest.mark.parametrize("length", [40, 76, 80, 82, 88])
def test_gicc_every_length(length: int) -> None:
    extra = {"arm_mpidr": 0x100} if length >= 76 else {}
    madt = builders.madt([builders.gicc(3, length=length, **extra)], local_apic_address=0)
    data = madt.to_bytes()
    sub = parse_table(data).subtables[0]
    assert sub.length == length and sub.unparsed == b""
    assert sub.fields["Uid"] == 3
    assert ("ArmMpidr" in sub.fields) == (length >= 76)
    assert ("SpeInterrupt" in sub.fields) == (length >= 80)
    assert ("TrbeInterrupt" in sub.fields) == (length >= 82)
    assert ("IrsId" in sub.fields) == (length >= 88)
    assert parse_table(data).to_bytes() == data
    if length < 76:
        with pytest.raises(ParseError, match="beyond the size"):
            builders.gicc(3, length=length, arm_mpidr=1)


@pytest.mark.parametrize("version,length", [(0, 16), (1, 24)])
def test_mp_wakeup_both_versions(version: int, length: int) -> None:
    sub = builders.mp_wakeup(mailbox_address=0x7F000000, version=version,
                             reset_vector=0x7F001000 if version else None)
    t = parse_table(builders.madt([sub]).to_bytes())
    got = t.subtables[0]
    assert (got.type, got.length, got.mailbox_version, got.base_address) == (0x10, length, version, 0x7F000000)
    assert ("ResetVector" in got.fields) == (version == 1)


def _madt_with(subtables: bytes) -> bytes:
    return _sdt(b"APIC", struct.pack("<II", 0xFEE00000, 1) + subtables)


@pytest.mark.parametrize("length", [0, 1])
def test_subtable_length_below_its_header_is_an_error_with_offset(length: int) -> None:
    with pytest.raises(ParseError) as err:
        parse_table(_madt_with(bytes([0, length, 0, 0, 1, 0, 0, 0])))
    assert err.value.offset == 45 and "Length" in err.value.message


def test_subtable_overrunning_the_table_is_an_error_with_offset() -> None:
    data = _madt_with(bytes([0, 8, 0, 0, 1, 0, 0, 0]) + bytes([0x0B, 80, 0, 0]))
    with pytest.raises(ParseError) as err:
        parse_table(data)
    assert err.value.offset == 53 and "past the table end" in err.value.message


def test_unknown_subtable_types_are_kept_not_fatal() -> None:
    data = _madt_with(bytes([0x80, 6, 1, 2, 3, 4]) + bytes([0x18, 4, 9, 9]) + bytes([0, 8, 0, 0, 1, 0, 0, 0]))
    t = parse_table(data)
    assert [(s.type, s.name, s.unparsed) for s in t.subtables[:2]] == [
        (0x80, "Unknown80", b"\x01\x02\x03\x04"), (0x18, "Unknown18", b"\x09\x09")]
    assert t.subtables[2].name == "LocalApic" and build_table(t) == data


def test_a_stray_byte_after_the_last_subtable_is_kept() -> None:
    data = _madt_with(bytes([0, 8, 0, 0, 1, 0, 0, 0, 0xEE]))
    t = parse_table(data)
    assert t.unparsed == b"\xEE" and build_table(t) == data


@pytest.mark.parametrize("data,offset", [
    (b"APIC", 4), (b"APIC" + bytes(20), 24),
    (_header(b"APIC", 20), 4),  # Length below the header
    (_header(b"APIC", 4096), 4),  # Length beyond the bytes present
])
def test_header_bounds(data: bytes, offset: int) -> None:
    with pytest.raises(ParseError) as err:
        parse_table(data)
    assert err.value.offset == offset and err.value.fmt == "acpi-table"


def test_slit_with_an_impossible_locality_count_allocates_nothing() -> None:
    data = _sdt(b"SLIT", struct.pack("<Q", 1 << 62) + bytes([10]))
    t = parse_table(data)
    assert "Entry" not in t.fields and t.unparsed == b"\x0a" and build_table(t) == data


def test_slit_matrix() -> None:
    data = _sdt(b"SLIT", struct.pack("<Q", 2) + bytes([10, 20, 20, 10]))
    t = parse_table(data)
    assert t.fields["Entry"] == [[10, 20], [20, 10]] and build_table(t) == data


def test_xsdt_entries_and_a_partial_entry() -> None:
    data = _sdt(b"XSDT", struct.pack("<QQ", 0x1000, 0x2000) + b"\x01\x02\x03")
    t = parse_table(data)
    assert t.fields["TableOffsetEntry"] == [0x1000, 0x2000] and t.unparsed == b"\x01\x02\x03"
    assert build_table(t) == data


def test_rsdp_v1_and_v2() -> None:
    v2 = builders.rsdp(xsdt_address=0x1000, rsdt_address=0x2000).to_bytes()
    t = parse_table(v2)
    assert len(v2) == 36 and t.signature == "RSD PTR " and t.revision == 2 and t.length == 36
    assert t.fields["XsdtPhysicalAddress"] == 0x1000 and t.checksum_valid
    assert sum(v2[:20]) % 256 == 0 and sum(v2) % 256 == 0
    v1 = builders.rsdp(rsdt_address=0x2000, revision=0).to_bytes()
    t1 = parse_table(v1)
    assert len(v1) == 20 and t1.length == 20 and "XsdtPhysicalAddress" not in t1.fields and t1.checksum_valid
    broken = bytearray(v2)
    broken[30] ^= 1  # inside the extended checksum's range only
    tb = parse_table(bytes(broken))
    assert tb.checksum_valid is False and build_table(tb) == bytes(broken)
    assert build_table(tb, fix_checksum=True)[:20] == v2[:20]


def test_facs() -> None:
    data = builders.facs(hardware_signature=0x1234, flags=2).to_bytes()
    t = parse_table(data)
    assert (t.signature, t.length, t.revision, t.checksum, t.checksum_valid) == ("FACS", 64, 2, None, None)
    assert t.fields["HardwareSignature"] == 0x1234 and build_table(t) == data
    with pytest.raises(ParseError):
        parse_table(b"FACS" + struct.pack("<I", 128) + bytes(56))


def test_table_set_lookup_and_arm_detection() -> None:
    x86 = AcpiTableSet.from_tables([builders.fadt(), builders.madt([builders.local_apic(0, 0)]),
                                    builders.aml_table("SSDT"), builders.aml_table("SSDT")])
    assert x86.get("FADT") is x86.get("FACP") is x86.tables[0]
    assert len(x86.all("SSDT")) == 2 and x86.get("MADT").signature == "APIC"
    assert x86.get("CCEL") is None and not x86.looks_arm()
    gic = AcpiTableSet.from_tables([builders.madt([builders.gicc(0)], local_apic_address=0)])
    assert gic.looks_arm()
    psci = AcpiTableSet.from_tables([builders.fadt(arm_boot_flags=ARM_PSCI_COMPLIANT)])
    assert psci.looks_arm()


def test_first_by_signature_is_the_first_table_of_each_signature_in_order():
    # A guest walking the XSDT takes the first table of a signature (ACPICA
    # acpi_get_table(signature, instance 1)); the index a table set keeps must answer the same
    # as a scan, and follow tables added later.
    from pvenum.acpi import AcpiTableSet, builders
    from pvenum.acpi.constants import canonical_signature

    ssdt1, ssdt2 = builders.aml_table("SSDT"), builders.aml_table("SSDT")
    tables = AcpiTableSet([builders.fadt(revision=6), ssdt1, builders.facs(), ssdt2])
    index = tables.first_by_signature()
    assert list(index) == ["FACP", "SSDT", "FACS"] and index["SSDT"] is ssdt1
    for sig in ("FACP", "FADT", "SSDT", "FACS", "APIC"):
        want = next((t for t in tables.tables if t.signature == canonical_signature(sig)), None)
        assert tables.get(sig) is want and index.get(canonical_signature(sig)) is want
    madt = builders.madt()
    tables.add(madt)
    assert tables.first_by_signature()["APIC"] is madt  # added through add(): indexed anew


def test_subtables_by_type_are_the_entries_of_each_type_in_table_order():
    # acpi_table_parse_madt(type, handler, max) walks the MADT's entries in order and hands
    # over those of one type (torvalds/linux drivers/acpi/tables.c); the index must list the
    # same entries, and follow a table whose subtables were replaced.
    from pvenum.acpi import builders

    madt = builders.madt([builders.local_apic(0, 0), builders.io_apic(0), builders.local_apic(1, 1),
                          builders.mp_wakeup(mailbox_address=0x7F000000, version=1, reset_vector=0x7F001000)])
    by_type = madt.subtables_by_type()
    for type_code in {s.type for s in madt.subtables}:
        assert list(by_type[type_code]) == [(i, s) for i, s in enumerate(madt.subtables) if s.type == type_code]
    assert [i for i, _ in by_type[0x00]] == [0, 2] and 0x7F not in by_type
    madt.subtables = [s for s in madt.subtables if s.type != 0x10]  # an override dropping one
    assert 0x10 not in madt.subtables_by_type() and len(madt.subtables_by_type()[0x00]) == 2


def test_a_table_set_indexes_on_its_first_lookup_not_when_made():
    # Making a set (every load, validate, diff) builds no index; the first get() does, so a
    # table swapped in before any lookup is the one found.
    from pvenum.acpi import AcpiTableSet, builders

    madt = builders.madt([builders.local_apic(0, 0)])
    tables = AcpiTableSet([builders.fadt(revision=6), madt])
    assert "_first" not in tables.__dict__ and "_by_type" not in madt.__dict__
    fadt = builders.fadt(revision=5)
    tables.tables[0] = fadt
    assert tables.get("FADT") is fadt and tables.get("MADT") is madt
