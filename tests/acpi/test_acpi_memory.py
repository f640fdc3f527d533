"""A table set laid out in guest memory, and read back by following the RSDP's pointers."""

from __future__ import annotations

import struct

import pytest

from pvenum.acpi import AcpiTableSet, builders, parse_table
from pvenum.acpi.constants import FADT_HW_REDUCED_ACPI
from pvenum.acpi.memory import find_rsdp, layout, read_memory
from pvenum.acpi.validate import check_set, check_table
from pvenum.errors import LimitError, ParseError


def _set() -> list:
    return [
        builders.fadt(revision=6, hypervisor_id="MsHyperV", flags=FADT_HW_REDUCED_ACPI),
        builders.facs(),
        builders.aml_table("DSDT", b"\x08PVEN\x01"),
        builders.madt([builders.local_x2apic(0, 0), builders.mp_wakeup(mailbox_address=0x7F000000)]),
        builders.ccel(log_area_minimum_length=0x10000, log_area_start_address=0x7E000000),
        builders.aml_table("SSDT", b"\x08PVEM\x00"),
    ]


def _at(image, address: int, size: int) -> bytes:
    return image.data[address - image.base:address - image.base + size]


@pytest.mark.parametrize("pointers", ["both", "32", "64"])
def test_layout_pointers_and_checksums(pointers: str) -> None:
    image = layout(_set(), base=0x7FFE0000, pointers=pointers)
    rsdp = parse_table(_at(image, image.rsdp_address, 36))
    assert rsdp.checksum_valid and image.rsdp_address % 16 == 0
    xsdt = parse_table(_at(image, rsdp.fields["XsdtPhysicalAddress"], 4096))  # trailing bytes are the next tables
    rsdt = parse_table(_at(image, rsdp.fields["RsdtPhysicalAddress"], 4096))
    assert xsdt.signature == "XSDT" and rsdt.signature == "RSDT" and xsdt.checksum_valid and rsdt.checksum_valid
    listed = [parse_table(_at(image, a, 4096)).signature for a in xsdt.fields["TableOffsetEntry"]]
    assert listed == ["FACP", "APIC", "CCEL", "SSDT"]  # FADT first; never FACS or DSDT
    assert rsdt.fields["TableOffsetEntry"] == xsdt.fields["TableOffsetEntry"]
    fadt = parse_table(_at(image, xsdt.fields["TableOffsetEntry"][0], 276))
    assert fadt.checksum_valid
    facs_addr, dsdt_addr = image.addresses["FACS"], image.addresses["DSDT"]
    assert facs_addr % 64 == 0
    want32 = pointers in ("both", "32")
    want64 = pointers in ("both", "64")
    assert (fadt.fields["Facs"], fadt.fields["Dsdt"]) == ((facs_addr, dsdt_addr) if want32 else (0, 0))
    assert (fadt.fields["XFacs"], fadt.fields["XDsdt"]) == ((facs_addr, dsdt_addr) if want64 else (0, 0))
    assert _at(image, facs_addr, 4) == b"FACS" and _at(image, dsdt_addr, 4) == b"DSDT"


def test_read_back_follows_the_pointers() -> None:
    image = layout(_set(), base=0x7FFE0000)
    got = read_memory(image.data, image.base)  # finds the RSDP by scanning
    assert got.signatures() == ["RSD PTR ", "XSDT", "RSDT", "FACP", "FACS", "DSDT", "APIC", "CCEL", "SSDT"]
    placed = {t.signature: t for t in image.tables}
    for t in got:
        assert t.to_bytes() == placed[t.signature].to_bytes() and t.address == placed[t.signature].address
    assert check_set(got) == []
    assert all(check_table(t) == [] for t in got)


def test_layout_and_read_memory_take_a_table_set() -> None:
    tables = AcpiTableSet.from_tables(_set())
    image = layout(tables, base=0x100000)
    again = read_memory(image.data, image.base, image.rsdp_address)
    assert again.get("CCEL").to_bytes() == tables.get("CCEL").to_bytes()


def test_tables_above_4g_use_64_bit_pointers_only() -> None:
    image = layout(_set(), base=0x1_0000_0000, rsdt=False)
    rsdp = parse_table(_at(image, image.rsdp_address, 36))
    assert rsdp.fields["RsdtPhysicalAddress"] == 0
    got = read_memory(image.data, image.base, image.rsdp_address)
    fadt = got.get("FACP")
    assert fadt.fields["Facs"] == 0 and fadt.fields["XFacs"] == got.get("FACS").address
    with pytest.raises(ParseError, match="RSDT needs every table below 4 GiB"):
        layout(_set(), base=0x1_0000_0000)


def test_short_fadt_cannot_take_64_bit_pointers() -> None:
    tables = [builders.fadt(revision=1, flags=FADT_HW_REDUCED_ACPI), builders.aml_table("DSDT")]
    image = layout(tables, pointers="both")
    fadt = read_memory(image.data, image.base).get("FACP")
    assert "XDsdt" not in fadt.fields and fadt.fields["Dsdt"] == image.addresses["DSDT"]
    with pytest.raises(ParseError, match="has no XFacs"):
        layout(tables, pointers="64")


def test_check_set_catches_a_wrong_pointer() -> None:
    image = layout(_set(), base=0x7FFE0000)
    got = read_memory(image.data, image.base)
    fadt = got.get("FACP")
    fadt.fields["XDsdt"] = fadt.fields["Dsdt"] = got.get("APIC").address
    problems = check_set(got)
    assert {p.check for p in problems} == {"FADT.Pointer"}
    xsdt = got.get("XSDT")
    xsdt.fields["TableOffsetEntry"].append(0xDEAD0000)
    assert "XSDT.Pointer" in {p.check for p in check_set(got)}


def test_pointer_outside_the_image_is_an_error_with_offset() -> None:
    image = layout(_set(), base=0x7FFE0000)
    data = bytearray(image.data)
    xsdt_off = image.addresses["XSDT"] - image.base
    data[xsdt_off + 36:xsdt_off + 44] = struct.pack("<Q", 0xFFFF_0000)
    data[xsdt_off + 9] = 0
    data[xsdt_off + 9] = (-sum(data[xsdt_off:xsdt_off + 36 + 8 * 4])) & 0xFF
    with pytest.raises(ParseError, match="outside the image") as err:
        read_memory(bytes(data), image.base)
    assert err.value.fmt == "acpi-memory"


def test_self_referencing_pointers_terminate() -> None:
    # An XSDT listing itself and a FADT pointing at the XSDT: each table is read once.
    xsdt_addr = 0x1000 + 48
    xsdt = builders.xsdt([xsdt_addr, xsdt_addr])
    rsdp = builders.rsdp(xsdt_address=xsdt_addr)
    image = bytearray(0x400)
    image[0:36] = rsdp.to_bytes()
    image[48:48 + xsdt.length] = xsdt.to_bytes()
    got = read_memory(bytes(image), 0x1000)
    assert got.signatures() == ["RSD PTR ", "XSDT"]


def test_many_distinct_entries_are_capped() -> None:
    from pvenum.acpi import memory

    count = memory.MAX_TABLES + 5
    base = 0x100000
    tables_at = 0x4000  # after the 8 KiB XSDT
    entries = [base + tables_at + 40 * i for i in range(count)]
    xsdt = builders.xsdt(entries)
    image = bytearray(tables_at + 40 * count)
    image[0:36] = builders.rsdp(xsdt_address=base + 64).to_bytes()
    image[64:64 + xsdt.length] = xsdt.to_bytes()
    waet = builders.sdt("WAET", 1, {"Flags": 0}).to_bytes()
    for i in range(count):
        image[tables_at + 40 * i:tables_at + 40 * (i + 1)] = waet
    with pytest.raises(LimitError):
        read_memory(bytes(image), base)


def test_no_rsdp() -> None:
    with pytest.raises(ParseError, match="no RSDP"):
        find_rsdp(bytes(4096), 0)
