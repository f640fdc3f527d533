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
