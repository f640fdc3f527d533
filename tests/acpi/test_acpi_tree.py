"""The typed-entry tree layouts (layouts/tree.py: DMAR, IVRS, IORT, VIOT, KEYP, CEDT, HMAT, NFIT,
PPTT, RHCT, GTDT, HEST, ERST, DBG2, TCPA, TPM2, SPCR, FPDT, S3PT) beyond the iasl comparison:
every value written into a real table reads back at its offset, nested entries are bounded by
their Length, and every table kind builds and parses byte for byte.
"""

from __future__ import annotations

import re
import struct

import pytest
from acpi_helpers import QEMU, scaled
from pvtest import with_checksum
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pvenum.acpi import build_table, parse_table
from pvenum.acpi.layouts import KINDS
from pvenum.errors import ParseError

REAL = {p.stem: p.read_bytes() for p in sorted(QEMU.glob("*.dat"))}
# Fields that place or size other parts (counts, lengths, offsets, types): writing one moves the
# structure, which the mutation fuzz covers; the value test writes the others.
_STRUCTURAL = re.compile(r"(?:^type|^length|Length|Count|Offset|^Num\w*|^NumberOf\w*|^Entries|PlatformClass|Type|"
                         r"NrXormaps|Revision)$")


def _writable(data: bytes) -> list:
    table = parse_table(data)
    out = []
    for leaf in table.leaves():
        last = re.sub(r"\[\d+\]$", "", leaf.path.rsplit(".", 1)[-1])
        if leaf.kind == "int" and leaf.offset >= 36 and not _STRUCTURAL.search(last):
            out.append(leaf)
    return out


WRITABLE = {name: _writable(data) for name, data in REAL.items()}
CASES = [(n, i) for n, leaves in WRITABLE.items() for i in range(len(leaves))]


@settings(max_examples=scaled(600, 60), deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(CASES), st.integers(0, 2**64 - 1))
def test_a_value_written_into_a_real_table_reads_back(case: tuple[str, int], value: int) -> None:
    name, index = case
    leaf = WRITABLE[name][index]
    value &= (1 << (8 * leaf.size)) - 1
    data = bytearray(REAL[name])
    data[leaf.offset:leaf.offset + leaf.size] = value.to_bytes(leaf.size, "little")
    data = with_checksum(data)
    table = parse_table(data)
    assert build_table(table) == data
    again = {lf.path: lf for lf in table.leaves()}
    assert again[leaf.path].offset == leaf.offset and again[leaf.path].value == value
    assert table.checksum_valid


@pytest.mark.parametrize("name", sorted(REAL))
def test_edits_through_the_model_round_trip(name: str) -> None:
    table = parse_table(REAL[name])
    table.fix_checksum(lengths=False)
    rebuilt = parse_table(build_table(table))
    assert [(lf.path, lf.offset, lf.value) for lf in rebuilt.leaves()] == \
        [(lf.path, lf.offset, lf.value) for lf in table.leaves()]


def test_device_assignment_tables_show_their_structures_by_name() -> None:
    names = {n: [s.name for s in parse_table(REAL[n]).subtables] for n in REAL}
    assert names["x86-q35-DMAR.dmar"] == ["HardwareUnit", "RootAts"]
    assert names["x86-q35-IVRS.ivrs"] == ["Hardware10", "Hardware11"]
    assert names["aarch64-virt-IORT.smmuv3-dev"] == ["ItsGroup", "SmmuV3", "SmmuV3", "RootComplex"]
    assert names["x86-q35-VIOT.viot"] == ["VirtioIommuPci", "PciRange", "PciRange"]
    # QEMU hw/i386/acpi-build.c build_dmar_q35: the DRHD's first scope is the IOAPIC (type 3).
    drhd = parse_table(REAL["x86-q35-DMAR.dmar"]).subtables[0]
    assert drhd.fields["DeviceScope"][0]["EntryType"] == 3


def test_a_nested_entry_shorter_than_its_header_is_refused_at_its_offset() -> None:
    data = bytearray(REAL["x86-q35-DMAR.dmar"])
    data[0x41] = 1  # the first device scope's Length (VT-d §8.3.1: at least 6)
    with pytest.raises(ParseError, match=r"DeviceScope entry type 0x03 has Length 1") as err:
        parse_table(with_checksum(data))
    assert err.value.offset == 0x40


def test_a_count_past_the_bytes_keeps_them_undecoded() -> None:
    data = bytearray(REAL["aarch64-virt-IORT"])
    table = parse_table(bytes(data))
    its = table.subtables[0]
    count_at = its.offset + 16  # ItsCount, after the 16-byte node header (DEN0049E §3.5)
    data[count_at:count_at + 4] = struct.pack("<I", 0xFFFFFFFF)
    hostile = parse_table(with_checksum(data))
    assert hostile.subtables[0].fields["ItsCount"] == 0xFFFFFFFF
    assert "Identifiers" not in hostile.subtables[0].fields
    assert hostile.subtables[0].unparsed == bytes(data[count_at + 4:its.offset + its.length])
    assert build_table(hostile) == with_checksum(data)


def test_keyp_and_s3pt_records_round_trip() -> None:
    # KEYP: Intel Root Complex IDE KCU guide tables 2-1..2-3; S3PT: ACPI 6.5 §5.2.24.5-7.
    kcu = struct.pack("<BBHBBBBQ", 0, 0, 24, 1, 1, 2, 0, 0xFED00000) + struct.pack("<HBBHBB", 0, 0, 8, 0, 1, 0)
    keyp = with_checksum(b"KEYP" + struct.pack("<I", 36 + 4 + len(kcu)) + bytes(28) + bytes(4) + kcu)
    table = parse_table(keyp)
    assert build_table(table) == keyp
    (unit,) = table.subtables
    assert unit.name == "KeyConfigUnit" and unit.fields["RegisterBaseAddress"] == 0xFED00000
    assert [p["DevFn"] for p in unit.fields["RootPorts"]] == [8, 0]
    records = struct.pack("<HBBIQQ", 0, 24, 1, 3, 1000, 900) + struct.pack("<HBBQQ", 1, 20, 1, 5, 6)
    s3pt = b"S3PT" + struct.pack("<I", 8 + len(records)) + records
    table = parse_table(s3pt)
    assert build_table(table) == s3pt
    assert [r["Type"] for r in table.fields["Records"]] == [0, 1]
    assert table.fields["Records"][0]["AverageResume"] == 900


@pytest.mark.parametrize("signature", ["DMAR", "IVRS", "IORT", "VIOT", "KEYP", "CEDT", "HMAT", "NFIT", "PPTT",
                                       "RHCT", "GTDT", "HEST", "ERST", "DBG2", "TCPA", "TPM2", "FPDT"])
def test_every_new_kind_is_declared(signature: str) -> None:
    assert KINDS[signature].body_declared()


def test_validate_says_where_bytes_stay_undecoded() -> None:
    from pvenum.acpi.validate import check_table

    data = bytearray(REAL["aarch64-virt-IORT"])
    its = parse_table(bytes(data)).subtables[0]
    data[its.offset + 16:its.offset + 20] = struct.pack("<I", 0xFFFFFFFF)  # ItsCount
    problems = [p for p in check_table(parse_table(with_checksum(data))) if p.check == "ACPI.Undecoded"]
    assert [(p.offset, p.severity) for p in problems] == [(its.offset + 20, "warning")]
    assert "subtable 0 (ItsGroup)" in problems[0].message
    for name, raw in REAL.items():  # QEMU's own tables leave nothing undecoded
        assert not [p for p in check_table(parse_table(raw)) if p.check == "ACPI.Undecoded"], name


def test_diff_and_textconv_name_the_structures() -> None:
    from pvenum.diff.flatten import acpi_table_fields

    dmar = acpi_table_fields(parse_table(REAL["x86-q35-DMAR.dmar"]), "DMAR")
    # VT-d §8.3.1 scope type 3 is an IOAPIC; QEMU puts it first in its DRHD (build_dmar_q35).
    assert dmar["DMAR[0].HardwareUnit.DeviceScope[0].EntryType"].text == "0x03 (IOAPIC)"
    assert dmar["DMAR.Flags"].text == "0x01 (INTR_REMAP)"
    iort = acpi_table_fields(parse_table(REAL["aarch64-virt-IORT.smmuv3-dev"]), "IORT")
    assert iort["IORT[1].SmmuV3.BaseAddress"].text == "0x000000000C000000"
    assert iort["IORT[3].RootComplex.IdMappings[1].OutputReference"].text == "0x000000A0"


def _dmar_with_a_new_scope():
    table = parse_table(REAL["x86-q35-DMAR.dmar"])
    drhd = table.subtables[0]
    scopes = drhd.fields["DeviceScope"]
    # A PCI sub-hierarchy scope with a two-hop path (VT-d §8.3.1: 6 bytes + 2 per hop).
    scopes.append({"EntryType": 2, "Length": 0, "Flags": 0, "Reserved": 0, "EnumerationId": 0, "Bus": 0,
                   "Path": [{"Device": 2, "Function": 0}, {"Device": 0, "Function": 1}]})
    return table, drhd.length


def test_fix_checksum_recomputes_nested_and_subtable_lengths() -> None:
    table, before = _dmar_with_a_new_scope()
    data = build_table(table, fix_checksum=True)
    again = parse_table(data)
    assert again.subtables[0].length == before + 10 and again.length == len(data)
    assert again.subtables[0].fields["DeviceScope"][-1]["Length"] == 10
    assert again.subtables[0].fields["DeviceScope"][-1]["Path"][1] == {"Device": 0, "Function": 1}
    assert again.checksum_valid and again.subtables[1].name == "RootAts"


def test_an_edited_dmar_reads_the_same_in_iasl() -> None:
    from acpi_helpers import need_iasl

    from pvenum.acpi import crosscheck

    need_iasl()
    table, _ = _dmar_with_a_new_scope()
    again = parse_table(build_table(table, fix_checksum=True))
    result = crosscheck.check_with_iasl(again)
    assert result.ok, "\n".join(map(str, result.mismatches))
    # The new scope's fields were among those iasl printed and pvenum matched.
    assert result.compared > crosscheck.check_with_iasl(parse_table(REAL["x86-q35-DMAR.dmar"])).compared


def test_erst_action_and_instruction_names_match_iasl() -> None:
    """Names from ACPI 6.5 tables 18.34/18.35, checked against the bracketed names iasl 20260408
    printed in the committed disassembly."""
    from pvenum.acpi import iasl, names

    text = (QEMU / "x86-q35-ERST.acpierst.dsl").read_text()
    seen = 0
    for line in iasl.parse_disassembly(text):
        m = re.fullmatch(r"([0-9A-F]{2}) \[(.+)\]", line.value)
        if line.name in ("Action", "Instruction") and m:
            ours = names.meaning("ERST", line.name, int(m.group(1), 16))
            # iasl abbreviates a few (ACPICA dmtable.c AcpiDmErstActions).
            ours = {"BEGIN_DUMMY_WRITE_OPERATION": "BEGIN_DUMMY_WRITE",
                    "GET_ERROR_LOG_ADDRESS_RANGE": "GET_ERROR_ADDRESS_RANGE",
                    "GET_ERROR_LOG_ADDRESS_RANGE_LENGTH": "GET_ERROR_ADDRESS_LENGTH",
                    "GET_ERROR_LOG_ADDRESS_RANGE_ATTRIBUTES": "GET_ERROR_ATTRIBUTES",
                    "GET_EXECUTE_OPERATION_TIMINGS": "EXECUTE_TIMINGS"}.get(ours, ours)
            assert ours == m.group(2).upper().replace(" ", "_"), line
            seen += 1
    assert seen == 2 * 27
