"""acpidump text: every variant real tools print, and a writer the real acpixtract reads back."""

from __future__ import annotations

import pytest
from acpi_helpers import FIRECRACKER, IASL_FIXTURES, sysfs_readable, sysfs_tables
from pvtest import need_tool

from pvenum import tools
from pvenum.acpi import (
    builders,
    crosscheck,
    iasl,
    parse_table,
    read_acpidump,
    write_acpidump,
)
from pvenum.acpi.acpidump import instance_names, read_blocks
from pvenum.acpi.artifact import validate
from pvenum.errors import ParseError

TABLES = [builders.fadt(hypervisor_id="MsHyperV"), builders.aml_table("SSDT", b"\x08PVEN\x01"),
          builders.aml_table("SSDT", b"\x08PVEM\x00"), builders.rsdp(xsdt_address=0x7FFE1000),
          builders.madt([builders.local_apic(0, 0)])]


def _variant(data: bytes, name: str, addr: int, *, indent: str = "    ", digits: int = 4, lower: bool = False,
             ascii_col: bool = True, header_digits: int = 16) -> str:
    """One block the way some acpidump / fwts / kernel tool printed it."""
    hexfmt = "{:02x}" if lower else "{:02X}"
    lines = [f"{name} @ 0x{addr:0{header_digits}{'x' if lower else 'X'}}"]
    for off in range(0, len(data), 16):
        chunk = data[off:off + 16]
        hexes = " ".join(hexfmt.format(x) for x in chunk)
        row = f"{indent}{off:0{digits}{'x' if lower else 'X'}}: {hexes}"
        if ascii_col:
            row = f"{row:<{len(indent) + digits + 2 + 48}}  " + "".join(
                chr(x) if 32 <= x < 127 else "." for x in chunk)
        lines.append(row)
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("style", [
    dict(), dict(indent="  ", lower=True, header_digits=8),  # fwts logs: two spaces, lowercase
    dict(indent="", digits=8), dict(indent="\t", digits=6, ascii_col=False), dict(indent="        ", digits=5),
])
def test_reader_variants(style: dict) -> None:
    blocks = []
    for i, t in enumerate(TABLES):
        name = "RSD PTR" if t.signature == "RSD PTR " else t.signature
        blocks.append(_variant(t.to_bytes(), name, 0x7FFE0000 + i * 0x1000, **style))
    text = "\n\n".join(blocks)  # blank lines between (and more of them) are fine
    got = read_acpidump(text)
    assert [d.table.to_bytes() for d in got] == [t.to_bytes() for t in TABLES]
    assert [d.address for d in got] == [0x7FFE0000 + i * 0x1000 for i in range(len(TABLES))]
    assert got[3].name == "RSD PTR" and got[3].table.signature == "RSD PTR "


def test_instance_suffixes_and_ascii_that_looks_like_hex() -> None:
    # An ASCII column of "AB CD EF" must not be read as bytes; "SSDT4 @" keeps its suffix.
    aml = b"AB CD EF 12 34 56"
    ssdt = builders.aml_table("SSDT", aml)
    text = _variant(ssdt.to_bytes(), "SSDT4", 0xDEAD0000)
    (block,) = read_acpidump(text)
    assert block.name == "SSDT4" and block.table.fields["AmlCode"] == aml


def test_fwts_log_example() -> None:
    # The older acpidump style quoted in fwts' test logs (fwts's test logs, ColinIanKing/fwts).
    text = ("DSDT @ 0xbf6d9b6a\n"
            "  0000: 44 53 44 54 24 00 00 00 02 11 54 4f 53 43 50 4c  DSDT$.....TOSCPL\n"
            "  0010: 43 52 45 53 54 4c 4e 45 00 00 04 06 49 4e 54 4c  CRESTLNE....INTL\n"
            "  0020: 00 00 00 00                                      ....\n")
    name, addr, data, _, _ = read_blocks(text)[0]
    assert (name, addr, len(data), data[:4]) == ("DSDT", 0xBF6D9B6A, 36, b"DSDT")


def test_large_table_offsets_beyond_16_bits() -> None:
    aml = bytes(range(256)) * 300  # 76,800 bytes: offsets need 5 hex digits
    text = write_acpidump([builders.aml_table("SSDT", aml)])
    assert "   12C00: " in text
    (block,) = read_acpidump(text)
    assert block.table.fields["AmlCode"] == aml


@pytest.mark.parametrize("text,msg", [
    ("FACP @ 0x0\n    0010: 00 01\n", "does not follow"),
    ("FACP @ 0x0\n\n", "no hex rows"),
])
def test_reader_errors_say_where(text: str, msg: str) -> None:
    with pytest.raises(ParseError, match=msg) as err:
        read_blocks(text)
    assert err.value.fmt == "acpidump" and err.value.offset is not None


@pytest.mark.parametrize("damage,why", [
    ((" 00 00 00 00 00", " 0G 00 00 00 00"), "'0G' is not a hex byte"),  # a letter O for a zero
    ((" C0 EE  ", " C0 EE 00  "), "17 bytes where a row holds at most 16"),
])
def test_a_damaged_row_is_blamed_on_its_own_line(damage: tuple[str, str], why: str) -> None:
    # The committed Firecracker dump with MCFG's row 0020 (line 4) damaged. acpixtract reads such a
    # row up to the bad token and writes a table shorter than its Length, exit 0; pvenum refuses
    # the dump and names the row and line (it had blamed line 5: "row offset 0030 does not follow").
    lines = (FIRECRACKER / "acpidump.txt").read_text().splitlines(keepends=True)
    assert lines[3].lstrip().startswith("0020:")
    lines[3] = lines[3].replace(*damage, 1)
    text = "".join(lines)
    with pytest.raises(ParseError) as err:
        read_blocks(text)
    assert err.value.message == f"MCFG: row 0020 on line 4: {why}"
    assert err.value.offset == sum(map(len, lines[:3]))  # the damaged line's first character
    if damage[1].startswith(" 0G"):
        need_tool("acpixtract")
        mcfg = tools.run("acpixtract", ["-a", "dump.txt"], inputs={"dump.txt": text.encode()},
                         collect=["*.dat"]).files["mcfg.dat"]
        assert len(mcfg) < int.from_bytes(mcfg[4:8], "little")  # its own Length: cut short, silently


def test_a_row_cut_by_two_spaces_is_named_by_the_row_after_it() -> None:
    # Two spaces inside the bytes start the ASCII column (the reader must not take "AB CD" there
    # for bytes), so MCFG's row 0020 reads as a short last row: the next row names it.
    lines = (FIRECRACKER / "acpidump.txt").read_text().splitlines(keepends=True)
    lines[3] = lines[3].replace(" 20 00 00", " 20 00  00", 1)
    with pytest.raises(ParseError) as err:
        read_blocks("".join(lines))
    assert err.value.message == ("MCFG: row offset 0030 on line 5 does not follow the 37 bytes before it "
                                 "(row 0020 on line 4 holds 5 bytes, not 16)")


def test_bad_table_inside_a_dump_names_the_block() -> None:
    data = bytearray(builders.madt([builders.local_apic(0, 0)]).to_bytes())
    data[45] = 0  # the first subtable's Length
    with pytest.raises(ParseError, match=r"table APIC \(line 1\)") as err:
        read_acpidump(_variant(bytes(data), "APIC", 0))
    assert err.value.offset == 45


def test_instance_names_follow_linux_sysfs() -> None:
    assert instance_names(["FACP", "SSDT", "SSDT", "DSDT", "RSD PTR "]) == ["FACP", "SSDT1", "SSDT2", "DSDT", "RSDP"]


def test_writer_output_extracts_byte_identically_with_acpixtract() -> None:
    need_tool("acpixtract")
    fixtures = [parse_table(p.read_bytes()) for d in IASL_FIXTURES for p in sorted(d.glob("*.aml"))
                if p.stem not in ("rsdp", "s3pt")]
    tables = [*TABLES, *fixtures]
    dump = write_acpidump([(t, 0x1000 * (i + 1)) for i, t in enumerate(tables)])
    extracted = tools.run("acpixtract", ["-a", "dump.txt"], inputs={"dump.txt": dump.encode()},
                          collect=["*.dat"]).files
    names = instance_names([t.signature for t in tables])
    for table, name in zip(tables, names):
        assert extracted[f"{name.lower()}.dat"] == table.to_bytes(), name
    # ... and pvenum reads its own output back too.
    assert [d.table.to_bytes() for d in read_acpidump(dump)] == [t.to_bytes() for t in tables]


def test_committed_firecracker_dump_matches_its_extracted_tables() -> None:
    dumped = read_acpidump((FIRECRACKER / "acpidump.txt").read_text())
    assert len(dumped) == len(list(FIRECRACKER.glob("*.dat")))
    for d in dumped:
        assert d.table.to_bytes() == (FIRECRACKER / f"{d.name.lower()}.dat").read_bytes()


def test_live_acpidump_matches_sysfs() -> None:
    need_tool("acpidump")
    if not sysfs_readable():
        pytest.skip("/sys/firmware/acpi/tables is absent or not readable (needs root)")
    proc = tools.run("acpidump", [], check=False)
    if proc.returncode != 0 or "@" not in proc.stdout:
        pytest.skip(f"acpidump cannot read this machine's tables: {proc.stderr.strip()[:200]}")
    dumped = read_acpidump(proc.stdout)
    sysfs = {p.read_bytes() for p in sysfs_tables()}
    have_iasl = iasl.find() is not None
    for d in dumped:
        if d.table.signature not in ("RSD PTR ", "XSDT", "RSDT", "FACS"):  # not all are in sysfs
            assert d.table.to_bytes() in sysfs, d.name
        assert d.table.checksum_valid in (True, None), d.name
        if have_iasl and d.table.signature != "RSD PTR ":
            result = crosscheck.check_with_iasl(d.table)
            assert result.ok, (d.name, [str(m) for m in result.mismatches])
    # The same checks as the binary tables get, plus the set's pointers where the dump has addresses.
    errors = [p for p in validate(proc.stdout.encode(), "acpidump", "acpidump") if p.severity == "error"]
    assert errors == []


@pytest.mark.parametrize("row,why", [
    ("0000: 00 01\tAB", r"'01\tAB' is not a hex byte"),  # one tab is no column gap (the row pattern's two blanks)
    ("0000:\t00\t01", r"'00\t01' is not a hex byte"),
    ("0000:00 01 02", "no blank after the offset's colon"),  # acpidump writes "%4.4X: " (tables.c)
])
def test_a_damaged_row_gets_the_reason_the_row_pattern_gives(row, why):
    with pytest.raises(ParseError) as err:
        read_blocks(f"FACP @ 0x0\n    {row}\n")
    assert err.value.message == f"FACP: row 0000 on line 2: {why}"
