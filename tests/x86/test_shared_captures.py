"""CPUID captures the way people share them, each read from a real sample (see
tests/data/cpuid/README.md for the source of every file).

Expected values are read from the samples' own text (the rows a person would copy), never
from pvenum's output.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from pvtest import DATA, GENOA_FINGERPRINT, genoa_fingerprint, need_tool

from pvenum import tools
from pvenum.cpuid import aida64, cpuid_r, firecracker
from pvenum.cpuid import parse as parse_cpuid
from pvenum.errors import ParseError
from pvenum.formats import detect, load_bytes

PASTED = DATA / "cpuid" / "pasted"
INSTLAT = DATA / "cpuid" / "instlatx64"
HELPER = DATA / "cpuid" / "firecracker-helper"
ROW = re.compile(r"0x([0-9a-f]{8}) 0x([0-9a-f]+): eax=0x([0-9a-f]{8}) ebx=0x([0-9a-f]{8}) ecx=0x([0-9a-f]{8}) edx=0x([0-9a-f]{8})")


def not_rows(text: str, marker: str) -> list[int]:
    """Line numbers a reader sees are neither rows, nor cpuid's own header lines, nor blank."""
    out = []
    for n, line in enumerate(text.splitlines(), 1):
        body = line[len(marker):].strip() if line.startswith(marker) else line.strip()
        if body and not ROW.search(body) and body != "CPU:" and not body.startswith("Disclaimer:"):
            out.append(n)
    return out


def rows_in(text: str) -> dict[tuple[int, int], tuple[int, ...]]:
    return {(int(m[1], 16), int(m[2], 16)): tuple(int(m[i], 16) for i in range(3, 7)) for m in ROW.finditer(text)}


# -- cpuid -r as pasted -----------------------------------------------------------------------


def test_rust_doc_comment_with_prompt_and_prose():
    # Firecracker's t2.rs: `/// $ cpuid -1 -r`, cpuid's Disclaimer, rows, then references.
    text = (PASTED / "firecracker-t2-doc-comment.txt").read_text()
    dump, skipped = cpuid_r.parse_capture(text)
    assert dump.cpu0() == rows_in(text)
    assert dump.get(1) == (0x000306F2, 0x00010800, 0xFFFA3203, 0x178BFBFF)  # t2.rs line 16
    assert skipped == not_rows(text, "///")
    assert 7 in skipped  # "/// $ cpuid -1 -r": the shell prompt line
    with pytest.raises(ParseError, match=r"line 1: not a cpuid -r row: '/// T2 template'"):
        cpuid_r.parse(text, strict=True)


def test_mail_quoted_reply_with_several_runs_and_elision():
    # A KVM list reply: "> " quoting, "> ...", four cpuid runs (-l 0x16, -s 4, -s 466).
    text = (PASTED / "kvm-list-2020-03-03-reply.txt").read_text()
    dump, skipped = cpuid_r.parse_capture(text)
    assert dump.cpu0() == rows_in(text)
    assert dump.get(0x16, 0x1D2) == (0x00000E74, 0x0000125C, 0x00000064, 0)
    assert set(dump.cpu0()) == {(0, 0), (0x16, 0), (0x16, 4), (0x16, 0x1D2)}
    assert skipped == not_rows(text, ">")
    assert 1 in skipped and 15 in skipped  # the prose line and "> ..."
    assert detect(text.encode()).name == "cpuid-r"


def test_crlf_line_ends_read_the_same():
    text = (PASTED / "kvm-list-2020-03-03-reply.txt").read_text()
    crlf = text.replace("\n", "\r\n").encode()
    assert cpuid_r.parse_capture(crlf) == cpuid_r.parse_capture(text)


def test_a_damaged_row_is_an_error_not_prose():
    text = "> $ cpuid -1 -r\n> CPU:\n>    0x00000000 0x00: eax=0x0000000d ebx=0x756e6547\n"
    with pytest.raises(ParseError, match="line 3: not a cpuid -r row"):
        cpuid_r.parse(text)


def test_conflicting_runs_in_one_paste_are_refused():
    text = "CPU:\n 0x00000000 0x00: eax=0x1 ebx=0x2 ecx=0x3 edx=0x4\nCPU:\n 0x00000000 0x00: eax=0x9 ebx=0x2 ecx=0x3 edx=0x4\n"
    with pytest.raises(ParseError, match="appears twice"):
        cpuid_r.parse(text.replace("0x1 ", "0x00000001 ").replace("0x9 ", "0x00000009 ")
                      .replace("0x2 ", "0x00000002 ").replace("0x3 ", "0x00000003 ").replace("0x4\n", "0x00000004\n"))


def test_inspect_says_what_was_skipped_and_strict_refuses(cli):
    path = PASTED / "firecracker-t2-doc-comment.txt"
    proc = cli("inspect", "--json", str(path))
    assert proc.returncode == 0, proc.stderr
    obj = json.loads(proc.stdout)
    assert obj["format"] == "cpuid-r" and 7 in obj["skipped_lines"]
    expected = not_rows(path.read_text(), "///")
    assert obj["skipped_lines"] == expected
    proc = cli("inspect", str(path))
    assert f"skipped {len(expected)} lines that are not rows: 1, 3, 5-7, 48" in " ".join(proc.stdout.decode().split())
    proc = cli("inspect", "--strict", str(path))
    assert proc.returncode == 3
    assert proc.stderr.decode().startswith(f"pvenum: error: {path}: cpuid-r at offset 0x00: line 1:")


def test_a_latin1_comment_line_is_prose_not_a_reason_to_refuse_the_capture():
    # `cpuid -1 -r` output (kvm-amd-zen5.cpuid) under a comment written in Latin-1: cpuid -f
    # reads lines of bytes, so only that line is not the tool's (strict refuses it, as cpuid -f
    # does: "unexpected input with -f option"); the rows are the capture's own.
    text = (DATA / "cpuid" / "kvm-amd-zen5.cpuid").read_text()
    data = b"# captured by J\xe9r\xf4me\n" + text.encode()
    assert detect(data, "capture.txt").name == "cpuid-r"
    dump, skipped = cpuid_r.parse_capture(data)
    assert dump.cpu0() == rows_in(text) and skipped == [1]
    with pytest.raises(ParseError, match="line 1: not a cpuid -r row") as err:
        cpuid_r.parse(data, strict=True)
    assert err.value.offset == 0
    # A byte that is not UTF-8 inside a row is damage, named where it stands.
    row = text.splitlines()[2]
    bad = text.encode().replace(row.encode(), row.encode().replace(b"eax=0x", b"eax=\xb7x", 1))
    with pytest.raises(ParseError, match="line 3: not a cpuid -r row") as err:
        cpuid_r.parse(bad)
    assert err.value.offset == bad.index(row.encode()[:20])  # the row's line starts there


def test_strict_refuses_what_cpuid_f_refuses():
    need_tool("cpuid")
    text = (DATA / "cpuid" / "kvm-amd-zen5.cpuid").read_bytes()
    data = b"# captured by J\xe9r\xf4me\n" + text
    ran = tools.run("cpuid", ["-f", "capture.txt"], inputs={"capture.txt": data}, check=False)
    assert ran.returncode != 0 and "unexpected input" in ran.stderr
    with pytest.raises(ParseError, match="line 1: "):
        cpuid_r.parse(data, strict=True)
    assert tools.run("cpuid", ["-f", "capture.txt"], inputs={"capture.txt": text}).returncode == 0
    assert cpuid_r.parse(text, strict=True).cpu0() == rows_in(text.decode())


# -- InstLatx64's AIDA64 / EVEREST reports ----------------------------------------------------

AIDA_ROW = re.compile(r"^CPUID ([0-9A-F]{8}):? ?([0-9A-F]{8})-([0-9A-F]{8})-([0-9A-F]{8})-([0-9A-F]{8})(.*)$", re.M)


@pytest.mark.parametrize("name", sorted(p.name for p in INSTLAT.glob("*.txt")))
def test_instlatx64_reports_read_every_cpu(name):
    text = (INSTLAT / name).read_text(encoding="latin-1")
    dump, facts = aida64.parse(text)
    first_block = text.split("CPUID 00000000", 2)[1]
    rows = AIDA_ROW.findall("CPUID 00000000" + first_block)
    # CPU 0's rows: as many leaves as the report's first block prints, leaf 0 and 1 as written.
    assert len(dump.cpu0()) == len(rows)
    assert dump.get(0) == tuple(int(x, 16) for x in rows[0][1:5])
    assert dump.get(1) == tuple(int(x, 16) for x in rows[1][1:5])
    assert len(dump.cpus) == len(re.findall(r"^CPUID 00000000", text, re.M))
    # The file name carries the CPUID signature (leaf 1 EAX) after the vendor string.
    m = re.match(r"(AuthenticAMD|GenuineIntel)([0-9A-F]{7})_", name)
    assert dump.vendor == m.group(1) and dump.get(1)[0] == int(m.group(2), 16)


def test_everest_repeated_rows_are_subleaves_and_sl_tags_are_read():
    nehalem, _ = aida64.parse((INSTLAT / "GenuineIntel00106A2_Nehalem-EP_CPUID.txt").read_text())
    assert nehalem.get(4, 3) == (0x1C03C163, 0x03C0003F, 0x00001FFF, 0x00000002)  # 4th "CPUID 00000004" row
    assert nehalem.get(0xB, 1) == (0x00000004, 0x00000008, 0x00000201, 0)
    zen, _ = aida64.parse((INSTLAT / "AuthenticAMD0850F00_K17_Zen_CPUID3.txt").read_text())
    assert zen.get(0xD, 1) == (0x0000000B, 0x00000340, 0, 0)  # "[SL 01]"
    assert zen.get(0x40000000)[0] == 0x4000000A  # Hyper-V's leaves in a guest


def test_an_instlatx64_report_resolves_and_serves_as_a_scenario_base(cli, tmp_path):
    report = INSTLAT / "AuthenticAMD0850F00_K17_Zen_CPUID3.txt"
    proc = cli("resolve", "--json", str(report))
    assert proc.returncode == 0, proc.stderr
    linux = json.loads(proc.stdout)["derivations"]["linux"]
    assert linux["hypervisor"] == "hyperv"  # "Microsoft Hv" at 0x40000000 in the report
    sc = tmp_path / "zen.toml"
    sc.write_text(f'[scenario]\nname = "zen-snp"\ndescription = "d"\nbase = "{report}"\n'
                  'hypervisor = "kvm"\nisolation = "sev-snp"\n')
    proc = cli("convert", str(sc), "--to", "cpuid-r")
    assert proc.returncode == 0, proc.stderr
    built = cpuid_r.parse(proc.stdout)
    # The report's brand string leaves survive; the scenario adds SNP's leaf.
    for leaf in (0x80000002, 0x80000003, 0x80000004):
        assert built.get(leaf) == aida64.parse(report.read_text())[0].get(leaf)
    assert built.get(0x8000001F)[0] & 0x10  # SEV-SNP bit (AMD APM E.4.17)
    sc.write_text(sc.read_text().replace('isolation = "sev-snp"', 'isolation = "tdx"'))
    proc = cli("resolve", str(sc))
    assert proc.returncode == 3 and "TDX needs an Intel CPU" in proc.stderr.decode()


# -- Firecracker cpu-template-helper ------------------------------------------------------------


def test_fingerprint_dump_reads_with_its_host_facts(cli):
    path = GENOA_FINGERPRINT
    doc = json.loads(path.read_text())
    fp = firecracker.parse_fingerprint(path.read_bytes())
    assert fp.facts["kernel_version"] == doc["kernel_version"] == "6.1.172-216.329.amzn2023.x86_64"
    leaf1 = next(m for m in doc["guest_cpu_config"]["cpuid_modifiers"] if m["leaf"] == "0x1")
    eax = int(leaf1["modifiers"][0]["bitmap"][2:], 2)
    assert fp.template.as_dump().get(1)[0] == eax
    assert len(fp.template.msrs) == len(doc["guest_cpu_config"]["msr_modifiers"])
    proc = cli("inspect", "--json", str(path))
    obj = json.loads(proc.stdout)
    assert obj["format"] == "firecracker-fingerprint"
    assert obj["host"]["microcode_version"] == doc["microcode_version"]
    text = " ".join(cli("inspect", str(path)).stdout.decode().split())
    assert "kernel_version 6.1.172-216.329.amzn2023.x86_64" in text and "firecracker_version 1.16.0-dev" in text


def test_fingerprint_written_back_is_byte_identical(cli, tmp_path):
    path = GENOA_FINGERPRINT
    doc = json.loads(path.read_text())
    hosts = [f"--host={k}={doc[k]}" for k in firecracker.FINGERPRINT_FACTS]
    out = tmp_path / "fp.json"
    proc = cli("convert", str(path), "--to", "firecracker-fingerprint", *hosts, "-o", str(out))
    assert proc.returncode == 0, proc.stderr
    assert out.read_bytes() == path.read_bytes()


def test_template_dump_is_the_fingerprints_guest_config_and_converts_back():
    fp = genoa_fingerprint()
    dumped = (HELPER / "template-dump_AMD_GENOA_6.1host.json").read_bytes()
    assert json.loads(dumped) == fp["guest_cpu_config"]
    arts = load_bytes(dumped, "template-dump.json")
    assert arts[0].format == "firecracker-template" and arts[0].template.complete
    dump = parse_cpuid(dumped)
    again = firecracker.template_full(dump, arts[0].msrs)
    assert again.to_json(kvm_capabilities_always=True) == json.loads(dumped)


def test_fingerprint_hostile_shapes():
    good = genoa_fingerprint()
    with pytest.raises(ParseError, match="kernel_version must be a string"):
        firecracker.parse_fingerprint(json.dumps({**good, "kernel_version": 6}))
    # A key Fingerprint does not declare is skipped, as serde's derived Deserialize skips it
    # (no deny_unknown_fields: firecracker-microvm/firecracker 81b38b9
    # src/cpu-template-helper/src/fingerprint/mod.rs), twice or not; a declared one twice is refused.
    plain = firecracker.parse_fingerprint(json.dumps(good))
    extra = firecracker.parse_fingerprint('{"extra": [1, {"x": null}], "extra": 2, ' + json.dumps(good)[1:])
    assert (extra.facts, extra.template.to_json()) == (plain.facts, plain.template.to_json())
    with pytest.raises(ParseError, match="kernel_version appears twice"):
        firecracker.parse_fingerprint('{"kernel_version": "6.1", ' + json.dumps(good)[1:])
    with pytest.raises(ParseError, match="guest_cpu_config must be an object"):
        firecracker.parse_fingerprint(json.dumps({**good, "guest_cpu_config": []}))


def _conflicting(text: str) -> tuple[str, str]:
    """The report with a copy of its first "CPUID 00000001" row, EAX changed and tagged as
    subleaf 0, appended to the first CPU's block: the row the reader must refuse, and the
    new text."""
    row = next(line for line in text.splitlines() if line.startswith("CPUID 00000001"))
    bad = row[:16] + ("0" if row[16] != "0" else "1") + row[17:] + " [SL 00]"
    first_block_end = text.index("CPUID 00000002")
    return bad, text[:first_block_end] + bad + "\r\n" + text[first_block_end:]


@pytest.mark.parametrize("encoding, bom", [("utf-16-le", b"\xff\xfe"), ("utf-16-be", b"\xfe\xff"), ("cp1252", b"")])
def test_aida64_error_offsets_are_byte_offsets_in_the_file(encoding, bom):
    # AIDA64 writes its reports in UTF-16 or in the Windows code page; the offset an error
    # names must be where the row's bytes are in the file, whatever the encoding. A cp1252
    # "…" (0x85, NEL once decoded) in prose must not count as a line end either.
    text = (INSTLAT / "GenuineIntel00106A2_Nehalem-EP_CPUID.txt").read_text()
    text = text.replace("\n", "\r\n").replace("BenchDLL Version", "BenchDLL Version\u2026 caf\u00e9")
    bad, text = _conflicting(text)
    data = bom + text.encode(encoding)
    line = text[:text.index(bad)].count("\n") + 1
    with pytest.raises(ParseError, match=f"line {line}: leaf 0x00000001 subleaf 0x0 appears twice") as err:
        aida64.parse(data)
    assert err.value.offset == data.index(bad.encode(encoding))


def test_an_aida64_report_in_the_windows_code_page_is_detected():
    # AIDA64 writes reports in the Windows code page (the reader decodes them one byte a
    # character): a "café" in cp1252 is not UTF-8, and the report is still AIDA64's.
    text = (INSTLAT / "GenuineIntel00106A2_Nehalem-EP_CPUID.txt").read_text()
    data = text.replace("BenchDLL Version", "BenchDLL Version caf\u00e9").encode("cp1252")
    assert detect(data, "report.txt").name == "cpuid-aida64"


@pytest.mark.parametrize("marker", ["> ", ">> ", "> > ", ">", "#", "# ", "  # ", "//", "/// ", "#>"])
def test_what_the_sniffer_calls_cpuid_r_the_reader_reads(marker):
    # Format detection and the reader take the same quoting (pvenum.paste): a paste is either
    # detected and read, or not detected (exit 2), never detected and then found to hold no row.
    rows = [f"   0x{leaf:08x} 0x00: eax=0x0000000d ebx=0x68747541 ecx=0x444d4163 edx=0x69746e65" for leaf in (0, 1)]
    data = "".join(marker + row.lstrip() + "\n" for row in rows).encode()
    spec = detect(data, "paste.txt")
    try:
        cpuid_r.parse(data)
        read = True
    except ParseError:
        read = False
    assert (spec is not None and spec.name == "cpuid-r") == read


def test_aida64_implicit_subleaf_stays_32_bit():
    # An untagged repeat of a leaf counts up from the last subleaf ([SL nn] is hex); after
    # [SL FFFFFFFF] there is no next 32-bit subleaf (ECX is 32 bits), so the row is refused
    # where it stands instead of becoming subleaf 0x100000000.
    rows = ["CPUID 00000000: 00000007-756E6547-6C65746E-49656E69",
            "CPUID 00000007: 00000000-00000000-00000000-00000000 [SL FFFFFFFF]",
            "CPUID 00000007: 00000000-00000000-00000000-00000001"]
    data = "\r\n".join(rows).encode() + b"\r\n"
    with pytest.raises(ParseError, match="line 3: ") as err:
        aida64.parse(data)
    assert err.value.offset == data.index(rows[2].encode())
