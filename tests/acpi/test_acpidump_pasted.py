"""acpidump text pasted into mail: quoted, CRLF, prose around it (pvenum.paste).

The dump is the real acpidump of a Firecracker guest (tests/data/acpi/firecracker, with
acpixtract's .dat files beside it); it is quoted here the way a mail client quotes a reply.
"""

from __future__ import annotations

import json

import pytest
from pvtest import DATA

from pvenum.acpi.acpidump import read_acpidump
from pvenum.errors import ParseError
from pvenum.formats import detect, load_bytes

FC = DATA / "acpi" / "firecracker"


def mail(text: str) -> str:
    quoted = "".join(f"> {line}\n" if line else ">\n" for line in text.splitlines())
    return ("On Mon, someone wrote:\n> Here is acpidump from the guest:\n>\n" + quoted
            + "\nThanks, that shows it.\n").replace("\n", "\r\n")


def test_quoted_crlf_dump_reads_every_table_like_acpixtract():
    text = (FC / "acpidump.txt").read_text()
    skipped: list[int] = []
    tables = read_acpidump(mail(text), skipped=skipped)
    # acpixtract -a wrote one .dat per table of this dump: the same bytes come back.
    for t in tables:
        assert t.table.to_bytes() == (FC / f"{t.name.lower()}.dat").read_bytes()
    assert {t.name.lower() for t in tables} == {p.stem for p in FC.glob("*.dat")}
    assert skipped == [1, 2, len(mail(text).splitlines())]  # the two prose lines before, one after
    with pytest.raises(ParseError, match="line 1: not an acpidump header or row"):
        read_acpidump(mail(text), strict=True)


def test_inspect_json_names_the_skipped_lines(cli, tmp_path):
    pasted = tmp_path / "mail.txt"
    pasted.write_bytes(mail((FC / "acpidump.txt").read_text()).encode())
    proc = cli("inspect", "--json", str(pasted))
    assert proc.returncode == 0, proc.stderr
    objs = [json.loads(l) for l in proc.stdout.splitlines()]
    assert objs[0]["skipped_lines"][:2] == [1, 2] and all("skipped_lines" not in o for o in objs[1:])
    proc = cli("inspect", "--strict", str(pasted))
    assert proc.returncode == 3 and "not an acpidump header or row" in proc.stderr.decode()


def _ascii_column_mangled(text: str, line: int, byte: int = 0xB7) -> bytes:
    """The dump's bytes with the first character of line ``line``'s ASCII column replaced by
    ``byte`` (not UTF-8 on its own): the column only renders the row's hex bytes (ACPICA
    source/components/utilities/utbuffer.c, AcpiUtDumpBuffer), so the data are unchanged."""
    lines = text.splitlines(keepends=True)
    row = lines[line - 1]
    at = row.rindex("  ") + 2  # the ASCII column follows the hex bytes after two blanks
    data = "".join(lines[:line - 1]).encode() + row[:at].encode() + bytes([byte]) + row[at + 1:].encode()
    return data + "".join(lines[line:]).encode()


def test_a_byte_that_is_not_utf8_in_the_ascii_column_still_reads_every_table():
    # One Latin-1 byte where a character of the rendering was: still acpidump text, and its
    # tables are the bytes acpixtract -a wrote from the clean dump (the .dat files beside it).
    data = _ascii_column_mangled((FC / "acpidump.txt").read_text(), 2)
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    assert detect(data, "acpidump.txt").name == "acpidump"
    arts = load_bytes(data, "acpidump.txt")
    assert {a.label.lower() for a in arts} == {p.stem for p in FC.glob("*.dat")}
    for a in arts:
        assert a.table.to_bytes() == (FC / f"{a.label.lower()}.dat").read_bytes()
    # Strict too: the row is still the tool's row, its hex bytes intact.
    assert [a.table.to_bytes() for a in load_bytes(data, "acpidump.txt", strict=True)] == [a.table.to_bytes() for a in arts]
