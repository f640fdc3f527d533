"""Each validation check fires on a table that breaks its rule, at the right offset, and stays
quiet on a table that keeps it."""

from __future__ import annotations

import pytest

from pvenum.acpi import builders as b
from pvenum.acpi.constants import FADT_HW_REDUCED_ACPI
from pvenum.acpi import parse_table
from pvenum.acpi.artifact import validate
from pvenum.acpi.model import Subtable
from pvenum.acpi.validate import check_set, check_table


def _checks(table, data: bytes | None = None) -> dict[str, int | None]:
    out: dict[str, int | None] = {}
    for p in check_table(table, data):
        out.setdefault(p.check, p.offset)  # the first place each check fired
    return out


def _wakeup(**kw):
    return b.madt([b.local_x2apic(0, 0), b.mp_wakeup(**kw)])


def _edit(table, fn):
    fn(table)
    return table.fix_checksum()


CASES = [
    # (name, table, check id, offset)
    ("clean-ccel", _edit(b.ccel(log_area_minimum_length=1, log_area_start_address=0x1000), lambda t: None),
     None, None),
    ("mp-wakeup-version-2", _edit(_wakeup(mailbox_address=0x7F000000),
                                  lambda t: t.subtables[1].fields.update(MailboxVersion=2)),
     "MADT.MPWakeup.MailboxVersion", 44 + 16 + 2),
    ("mp-wakeup-v1-short", _edit(_wakeup(mailbox_address=0x7F000000),
                                 lambda t: t.subtables[1].fields.update(MailboxVersion=1)),
     "MADT.MPWakeup.MailboxVersion", 44 + 16 + 2),
    ("mp-wakeup-unaligned", _wakeup(mailbox_address=0x7F000010), "MADT.MPWakeup.MailboxAlignment", 44 + 16 + 8),
    ("mp-wakeup-reserved", _edit(_wakeup(mailbox_address=0x7F000000),
                                 lambda t: t.subtables[1].fields.update(Reserved=5)), "ACPI.Reserved", 44 + 16 + 4),
    ("mp-wakeup-length", _edit(_wakeup(mailbox_address=0x7F000000),
                               lambda t: setattr(t.subtables[1], "unparsed", b"\0" * 4)),
     "MADT.MPWakeup.Length", 44 + 16 + 1),
    ("gicc-length", b.madt([b.gicc(0, length=50)], local_apic_address=0), "MADT.GICC.Length", 45),
    ("two-gicd", b.madt([b.gicd(base_address=0x1000), b.gicd(base_address=0x2000)], local_apic_address=0),
     "MADT.GICD.Count", 44 + 24),
    ("madt-reserved-type", _edit(b.madt([]), lambda t: t.subtables.append(Subtable(0x40, 4, unparsed=b"\0\0"))),
     "MADT.ReservedType", 44),
    ("fadt-revision-size", b.fadt(revision=5, length=276, flags=FADT_HW_REDUCED_ACPI, dsdt=1),
     "FADT.RevisionSize", 4),
    ("fadt-hypervisor-old-rev", b.fadt(revision=5, length=276, hypervisor_id="MsHyperV",
                                       flags=FADT_HW_REDUCED_ACPI, dsdt=1), "FADT.HypervisorId", 268),
    ("fadt-arm-reserved-bits", b.fadt(arm_boot_flags=0x4, flags=FADT_HW_REDUCED_ACPI, dsdt=1),
     "FADT.ArmBootFlags", 129),
    ("fadt-dsdt-mismatch", b.fadt(dsdt=0x1000, x_dsdt=0x2000, flags=FADT_HW_REDUCED_ACPI), "FADT.DsdtMismatch",
     140),
    ("fadt-no-dsdt", b.fadt(flags=FADT_HW_REDUCED_ACPI), "FADT.DsdtPointer", 40),
    ("fadt-pm-blocks", b.fadt(dsdt=1), "FADT.PmBlocks", 56),
    ("ccel-log-area", b.ccel(log_area_minimum_length=0, log_area_start_address=0x1000), "CCEL.LogArea", 40),
    ("ccel-type", b.ccel(cc_type=9, log_area_minimum_length=1, log_area_start_address=1), "CCEL.CCType", 36),
    ("ccel-revision", b.ccel(revision=2, log_area_minimum_length=1, log_area_start_address=1), "CCEL.Revision", 8),
    ("ccel-length", _edit(b.ccel(log_area_minimum_length=1, log_area_start_address=1),
                          lambda t: t.fields.pop("LogAreaStartAddress")), "CCEL.Length", 4),
    ("tdel-log-area", b.tdel(log_area_minimum_length=1, log_area_start_address=0), "TDEL.LogArea", 40),
    ("mcfg-bus-range", b.mcfg([{"Address": 0xB0000000, "StartBusNumber": 9, "EndBusNumber": 1}]),
     "MCFG.BusRange", 44 + 10),
    ("xsdt-null", b.xsdt([0x1000, 0]), "XSDT.NullEntry", 44),
    ("slit-diagonal", b.sdt("SLIT", 1, {"LocalityCount": 2, "Entry": [[10, 20], [20, 11]]}), "SLIT.Diagonal", 47),
    ("slit-distance", b.sdt("SLIT", 1, {"LocalityCount": 2, "Entry": [[10, 5], [20, 10]]}), "SLIT.Distance", 45),
    ("slit-size", b.sdt("SLIT", 1, {"LocalityCount": 3}, unparsed=b"\x0a"), "SLIT.Size", 36),
    ("fadt-cut-field", _edit(b.fadt(flags=FADT_HW_REDUCED_ACPI, dsdt=1),
                             lambda t: (t.fields.pop("HypervisorId"), setattr(t, "unparsed", b"\0\0"))),
     "ACPI.Length", 268),
    ("clean-madt", b.madt([b.local_apic(0, 0)], revision=5), None, None),
]


@pytest.mark.parametrize("name,table,check,offset", CASES, ids=[c[0] for c in CASES])
def test_check_fires_where_expected(name: str, table, check: str | None, offset: int | None) -> None:
    got = _checks(table)
    if check is None:
        assert got == {}, "a well-formed table raised problems"
        return
    assert check in got, got
    assert got[check] == offset


def test_checksum_and_trailing_bytes() -> None:
    data = bytearray(b.ccel(log_area_minimum_length=1, log_area_start_address=0x1000).to_bytes())
    data[40] ^= 0xFF
    problems = {p.check: p for p in check_table(parse_table(bytes(data)), bytes(data))}
    assert problems["ACPI.Checksum"].offset == 9 and problems["ACPI.Checksum"].severity == "error"
    longer = bytes(b.ccel(log_area_minimum_length=1, log_area_start_address=0x1000).to_bytes()) + b"\0" * 8
    problems = {p.check: p for p in check_table(parse_table(longer), longer)}
    assert problems["ACPI.Length"].severity == "warning" and problems["ACPI.Length"].offset == 56


def test_rsdp_checks() -> None:
    good = b.rsdp(xsdt_address=0x1000)
    assert check_table(good) == []
    bad = bytearray(good.to_bytes())
    bad[24] ^= 1  # XSDT address: only the extended checksum covers it
    got = {p.check: p.offset for p in check_table(parse_table(bytes(bad)))}
    assert got == {"RSDP.ExtendedChecksum": 32}
    bad[8] ^= 1
    assert "RSDP.Checksum" in {p.check for p in check_table(parse_table(bytes(bad)))}
    none = b.rsdp()
    assert {p.check for p in check_table(none)} == {"RSDP.Pointer"}


def test_facs_length() -> None:
    facs = b.facs()
    facs.fields.pop("Reserved1")
    facs.fix_checksum()
    assert _checks(facs) == {"FACS.Length": 4}


def test_duplicates_in_a_set() -> None:
    problems = check_set([b.fadt(), b.fadt()])
    assert [(p.check, p.severity) for p in problems] == [("SET.Duplicate", "warning")]


def test_validate_hook_on_binary_and_dump() -> None:
    from pvenum.acpi import write_acpidump

    bad = _wakeup(mailbox_address=0x7F000000)
    bad.subtables[1].fields["MailboxVersion"] = 3
    bad.fix_checksum()
    assert [p.check for p in validate(bad.to_bytes(), "APIC", "acpi-table")] == ["MADT.MPWakeup.MailboxVersion"]
    text = write_acpidump([(bad, 0x1000), (b.ccel(log_area_minimum_length=0, log_area_start_address=0), 0x2000)])
    checks = [p.check for p in validate(text.encode(), "dump.txt", "acpidump")]
    assert "MADT.MPWakeup.MailboxVersion" in checks and "CCEL.LogArea" in checks
    corrupt = bytearray(bad.to_bytes())
    corrupt[45] = 0
    (problem,) = validate(bytes(corrupt), "APIC", "acpi-table")
    assert problem.check == "ACPI.Parse" and problem.offset == 45


def test_well_formed_fixtures_have_no_errors(fixture_table) -> None:
    data = fixture_table.read_bytes()
    errors = [p for p in check_table(parse_table(data), data) if p.severity == "error"]
    # iasl's templates are deliberately sparse (zero addresses); only these rules may fire on them.
    allowed = {"FADT.PmBlocks", "FADT.DsdtPointer", "RSDP.Pointer", "XSDT.NullEntry", "RSDT.NullEntry"}
    assert {p.check for p in errors} <= allowed, errors
