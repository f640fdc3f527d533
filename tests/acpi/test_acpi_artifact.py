"""The format hooks: JSON per docs/contracts.md, rich rendering, textconv lines, platform contribution,
disassembly, and the CLI as users run it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from acpi_helpers import FIRECRACKER, need_iasl
from pvtest import need_tool

from pvenum import tools
from pvenum.acpi import builders, parse_table, write_acpidump
from pvenum.acpi.artifact import load
from pvenum.formats import detect

CONTRACT_KEYS = ["format", "path", "signature", "length", "revision", "checksum", "checksum_valid", "oem_id",
                 "oem_table_id", "oem_revision", "creator_id", "creator_revision", "fields", "subtables"]


def _madt() -> bytes:
    return builders.madt([builders.gicc(0, arm_mpidr=0x80000001),
                          builders.mp_wakeup(mailbox_address=0x7F000000, version=1, reset_vector=0x7F001000)],
                         local_apic_address=0).to_bytes()


def test_json_contract_for_a_binary_table() -> None:
    data = _madt()
    (art,) = load(data, "tables/APIC")
    obj = json.loads(json.dumps(art.to_json()))
    assert list(obj)[: len(CONTRACT_KEYS)] == CONTRACT_KEYS
    t = parse_table(data)
    assert obj["format"] == "acpi-table" and obj["path"] == "tables/APIC"
    assert (obj["signature"], obj["length"], obj["revision"], obj["checksum"], obj["checksum_valid"]) == (
        "APIC", t.length, t.revision, t.checksum, True)
    assert obj["fields"] == {"Address": 0, "Flags": 0}
    gicc, wake = obj["subtables"]
    assert (gicc["type"], gicc["length"], gicc["ArmMpidr"]) == (0x0B, 80, 0x80000001)
    assert (wake["type"], wake["length"], wake["MailboxVersion"], wake["ResetVector"]) == (0x10, 24, 1, 0x7F001000)
    assert all(isinstance(v, int) for v in (wake["BaseAddress"], obj["oem_revision"]))


def test_json_bytes_as_hex_and_chars_as_text() -> None:
    (art,) = load(builders.aml_table("SSDT", b"\x08PVEN\x01").to_bytes(), "SSDT1")
    obj = art.to_json()
    assert obj["fields"]["AmlCode"] == "085056454e01" and obj["oem_id"] == "PVENUM" and obj["table"] == "SSDT1"
    (rsdp,) = load(builders.rsdp(xsdt_address=0x1000).to_bytes(), "rsdp.dat")
    assert rsdp.to_json()["fields"]["Reserved"] == "000000" and rsdp.to_json()["signature"] == "RSD PTR "


def test_acpidump_yields_one_artifact_per_table() -> None:
    text = (FIRECRACKER / "acpidump.txt").read_bytes()
    assert detect(text, "acpidump.txt").name == "acpidump"
    arts = load(text, "acpidump.txt")
    assert [a.format for a in arts] == ["acpi-table"] * 4
    assert [a.label for a in arts] == ["MCFG", "APIC", "DSDT", "FACP"]
    assert all(a.to_json()["path"] == "acpidump.txt" and a.to_json()["address"] == 0 for a in arts)


def test_acpidump_beginning_rsd_ptr_with_a_latin1_byte_is_text_not_a_binary_rsdp(tmp_path: Path, cli) -> None:
    # "RSD PTR @ 0x..." begins the dump as "RSD PTR " begins a binary RSDP; one byte that is
    # not UTF-8 in an ASCII column (a rendering of the hex bytes: ACPICA utbuffer.c
    # AcpiUtDumpBuffer) once made the whole text one RSDP, Length 0x45464637 read from the
    # text, and dropped the other tables. The tables are what acpixtract -a extracts from the
    # clean dump (acpixtract itself refuses any non-ASCII byte: axutils.c AxIsFileAscii).
    need_tool("acpixtract")
    tables = [builders.rsdp(xsdt_address=0x7FFE1000), builders.fadt(hypervisor_id="MsHyperV"), parse_table(_madt())]
    text = write_acpidump([(t, 0x7FFE0000 + 0x1000 * i) for i, t in enumerate(tables)])
    want = tools.run("acpixtract", ["-a", "dump.txt"], inputs={"dump.txt": text.encode()}, collect=["*.dat"]).files
    i = text.index("PVENUM")  # the RSDP's OEMID in its first row's ASCII column
    data = text[:i].encode() + b"\xb7" + text[i + 1:].encode()
    assert detect(data, "dump.txt").name == "acpidump"
    arts = load(data, "dump.txt")
    assert {a.label.lower(): a.table.to_bytes() for a in arts} == {n[:-4]: b for n, b in want.items()}
    bad = tmp_path / "dump.txt"
    bad.write_bytes(data)
    for cmd in (("inspect", "--json"), ("inspect", "--json", "--strict")):
        proc = cli(*cmd, str(bad))
        assert proc.returncode == 0, proc.stderr
        assert [json.loads(line)["table"] for line in proc.stdout.splitlines()] == ["RSDP", "FACP", "APIC"]


def test_text_beginning_with_a_signature_is_no_binary_table() -> None:
    # Latin-1 prose that begins "APIC" plus a byte that is no printable ASCII: file(1) calls it
    # text (file/file src/encoding.c, text_chars[]: no byte that never appears in text), and no
    # table header is text: a Length under 16 MiB holds a NUL. Its "Length", 0x736920B7, is
    # nowhere near the file's size either.
    data = "APIC\u00b7 is the MADT's signature; see the ACPI specification, section 5.2.12.\n".encode("latin-1")
    assert int.from_bytes(data[4:8], "little") == 0x736920B7 != len(data)
    if tools.find("file") is not None:
        assert "text" in tools.run("file", ["-b", "notes.txt"], inputs={"notes.txt": data}).stdout
    assert detect(data, "notes.txt") is None


def test_textconv_lines() -> None:
    (art,) = load(builders.fadt(hypervisor_id="MsHyperV", arm_boot_flags=3).to_bytes(), "FACP")
    lines = list(art.textconv())
    assert 'FACP.HypervisorId = "MsHyperV"' in lines
    assert "FACP.ArmBootFlags = 0x0003" in lines and "FACP.revision = 0x06" in lines
    assert "FACP.ResetRegister.SpaceId = 0x00" in lines
    assert lines == list(art.textconv())  # stable
    (madt,) = load(_madt(), "APIC")
    assert "APIC[1].MPWakeup.MailboxVersion = 0x0001" in list(madt.textconv())


def test_render_shows_offsets_fields_and_meanings() -> None:
    from rich.console import Console

    (art,) = load(_madt(), "APIC")
    console = Console(width=160, record=True)
    console.print(art.render(bits=True))
    text = console.export_text()
    assert "MailboxVersion" in text
    rows = [[cell.strip() for cell in ln.split("│")[1:5]] for ln in text.splitlines() if ln.count("│") >= 5]
    assert ["070", "8", "ArmMpidr", "0x0000000080000001"] in rows  # GICC at 0x2C + ArmMpidr at +68
    assert "subtable 1: MPWakeup" in text and "Enabled" in text and "bit 0" in text
    (fadt,) = load(builders.fadt(hypervisor_id="MsHyperV").to_bytes(), "FACP")
    console = Console(width=160, record=True)
    console.print(fadt.render())
    assert '"MsHyperV"' in console.export_text()


def test_contribute_builds_the_platform_table_set() -> None:
    from pvenum.platform import platform_from_artifacts

    arts = load(_madt(), "APIC") + load(builders.fadt(arm_boot_flags=3).to_bytes(), "FACP")
    platform = platform_from_artifacts(arts)
    assert platform.acpi.get("FACP").fields["ArmBootFlags"] == 3
    assert platform.acpi.looks_arm() and platform.arch == "arm64"
    assert platform.sources["acpi"] == "APIC, FACP"


def test_disassemble_notes_the_version_gate() -> None:
    from pvenum.acpi import iasl

    tool = need_iasl()
    (art,) = load(builders.ccel(log_area_minimum_length=1, log_area_start_address=0x1000).to_bytes(), "CCEL")
    text = art.disassemble()
    assert 'Signature : "CCEL"' in text
    if tool.version < iasl.TABLE_SINCE["CCEL"]:
        assert text.startswith(f"/* pvenum: iasl {tool.version} does not know the CCEL table")
    (fadt,) = load(builders.fadt().to_bytes(), "FACP")
    assert "Hypervisor ID" in fadt.disassemble() and not fadt.disassemble().startswith("/* pvenum")


def test_cli_inspect_json(tmp_path: Path, cli) -> None:
    dump = tmp_path / "dump.txt"
    dump.write_text(write_acpidump([(parse_table(_madt()), 0x1000), (builders.fadt(), 0x2000)]))
    proc = cli("inspect", "--json", str(dump))
    assert proc.returncode == 0, proc.stderr
    objs = [json.loads(line) for line in proc.stdout.splitlines()]
    assert [o["signature"] for o in objs] == ["APIC", "FACP"] and objs[0]["subtables"][1]["type"] == 0x10


def test_cli_corrupt_table_is_one_line_and_exit_3(tmp_path: Path, cli) -> None:
    data = bytearray(_madt())
    data[45] = 0  # the first subtable's Length: zero
    bad = tmp_path / "APIC"
    bad.write_bytes(bytes(data))
    proc = cli("inspect", str(bad))
    assert proc.returncode == 3
    lines = proc.stderr.decode().splitlines()
    assert lines == [f"pvenum: error: {bad}: acpi-table at offset 0x2d: MADT subtable type 0x0b has Length 0, "
                     "less than its 2-byte header"]
    assert proc.stdout == b""


def test_cli_corrupt_acpidump_is_one_line_and_exit_3(tmp_path: Path, cli) -> None:
    data = bytearray(_madt())
    data[45] = 0xFF  # overruns the table
    bad = tmp_path / "dump.txt"
    bad.write_text(write_acpidump([(bytes(data), 0)]))
    proc = cli("inspect", "--json", str(bad))
    assert proc.returncode == 3
    (line,) = proc.stderr.decode().splitlines()
    assert line.startswith(f"pvenum: error: {bad}: acpidump at offset 0x2d: table APIC (line 1): ")


def test_cli_validate_exit_codes(tmp_path: Path, cli) -> None:
    good = tmp_path / "good"
    good.mkdir()
    (good / "CCEL").write_bytes(builders.ccel(log_area_minimum_length=1, log_area_start_address=0x1000).to_bytes())
    proc = cli("validate", str(good))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    bad = tmp_path / "CCEL"
    bad.write_bytes(builders.ccel(log_area_minimum_length=0, log_area_start_address=0).to_bytes())
    proc = cli("validate", str(bad))
    assert proc.returncode == 1
    assert b"[CCEL.LogArea]" in proc.stdout and b"at offset 0x28" in proc.stdout


def test_a_forced_format_is_read_as_that_format(tmp_path: Path, cli) -> None:
    """--format names the reader, as dtc's -I does (dtc 1.6.1: `dtc -I dtb x.dts` fails with
    "Blob has incorrect magic number" rather than reading source): a binary table forced as
    acpidump is the dump reader's error, an acpidump forced as a table the table reader's. The
    dump's first row starts "MCFG @ 0x", so the header's Length (ACPI 6.5 §5.2.6, offset 4) is
    the bytes " @ 0": 0x30204020, more than the file holds. Before, both were sniffed again
    and read as what they are."""
    table, dump = FIRECRACKER / "facp.dat", FIRECRACKER / "acpidump.txt"
    assert dump.read_bytes()[:8] == b"MCFG @ 0"
    proc = cli("inspect", "--format", "acpi-table", str(dump))
    assert (proc.returncode, proc.stdout) == (3, b"")
    assert proc.stderr.decode() == (f"pvenum: error: {dump}: acpi-table at offset 0x04: 'MCFG': Length "
                                    f"{0x30204020} claims more than the {dump.stat().st_size} bytes present\n")
    proc = cli("inspect", "--format", "acpidump", str(table))
    assert (proc.returncode, proc.stdout) == (3, b"")
    assert proc.stderr.decode().startswith(f"pvenum: error: {table}: acpidump at offset 0x")
    # Each as what it is, forced or not.
    for f, fmt in ((table, "acpi-table"), (dump, "acpidump")):
        assert cli("inspect", "--json", "--format", fmt, str(f)).stdout == cli("inspect", "--json", str(f)).stdout


@pytest.mark.parametrize("data", [b"FACP\n", b"DSDT notes", b"FACP", b"APIC\xb7 notes\r\n"])
def test_a_short_text_file_starting_with_a_signature_is_no_cut_table(tmp_path: Path, cli, data: bytes) -> None:
    # file(1) calls each of these text (file/file src/encoding.c, text_chars[]), as it calls a
    # longer one (test_text_beginning_with_a_signature_is_no_binary_table): not a table cut
    # inside its 36-byte header, which had been "acpi-table at offset 0x05: 5 bytes is
    # shorter than the 36-byte table header". A cut binary table (a NUL in its Length) still is.
    if tools.find("file") is not None:
        assert "text" in tools.run("file", ["-b", "notes"], inputs={"notes": data}).stdout
    f = tmp_path / "notes"
    f.write_bytes(data)
    proc = cli("inspect", str(f))
    assert (proc.returncode, proc.stderr.decode()) == (
        3, f"pvenum: error: {f}: content not recognised as any format pvenum reads\n")
    f.write_bytes((FIRECRACKER / "facp.dat").read_bytes()[:8])  # signature and Length: 14 01 00 00
    assert f"{f}: acpi-table at offset 0x08: 8 bytes is shorter than" in cli("inspect", str(f)).stderr.decode()
