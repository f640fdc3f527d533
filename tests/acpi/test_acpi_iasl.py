"""The ``iasl -T ALL`` acceptance and other differential checks against ACPICA's iasl.

For every template the installed iasl ships (generated now, in a temp dir): it parses, it
round-trips byte for byte, and the fields pvenum decodes agree, offset by offset, with ``iasl -d``
of the same binary — header fields for every table, body fields for the tables pvenum declares.
The committed fixtures repeat the check against committed disassemblies, so it runs without iasl.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from acpi_helpers import FIRECRACKER, IASL_FIXTURES, generated_templates, need_iasl

from pvenum import tools
from pvenum.acpi import build_table, crosscheck, iasl, parse_table
from pvenum.acpi.layouts import KINDS


def _check(table, text: str, version: int, *, lines=None) -> crosscheck.CrossCheck:
    result = crosscheck.compare(table, text, version=version, lines=lines)
    assert result.ok, "\n".join(str(m) for m in result.mismatches)
    return result


HEADER_ITEMS = 9  # the nine header fields every SDT disassembly starts with


def test_iasl_template(template: str) -> None:
    tool = need_iasl()
    binaries, sources = generated_templates()
    data = binaries[template]
    table = parse_table(data)
    assert build_table(table) == data
    if table.signature == "RSD PTR ":
        # iasl -d refuses a standalone RSDP; the template text iasl wrote is the reference.
        result = _check(table, "", tool.version, lines=iasl.parse_template(sources[template]))
        assert result.compared == len(iasl.parse_template(sources[template]))
        return
    dis = iasl.disassemble(data, name=template.replace("!", "_"))
    result = _check(table, dis.text, tool.version)
    if table.signature in crosscheck.AML_SIGNATURES:
        assert result.compared == HEADER_ITEMS  # the "Original Table Header" comment above the ASL
    elif table.signature in KINDS and table.declared:
        # Every field line iasl printed was compared (none skipped silently), beyond the header.
        printed = [ln for ln in iasl.parse_disassembly(dis.text) if ln.parsed()[0] != "other"]
        assert result.compared + len(result.skipped) == len(printed) > HEADER_ITEMS
    else:
        assert result.compared >= (2 if table.signature in ("FACS", "S3PT") else HEADER_ITEMS)


def test_template_corpus_is_complete() -> None:
    tool = need_iasl()
    binaries, sources = generated_templates()
    assert set(binaries) == set(sources) and len(binaries) >= 50
    declared = {parse_table(b).signature for b in binaries.values()} & set(KINDS)
    # Every table pvenum declares that this iasl has a template for is in the corpus.
    have_templates = {"APIC", "FACP", "FACS", "RSD PTR ", "RSDT", "XSDT", "MCFG", "SRAT", "SLIT", "HPET", "SPCR",
                      "WAET", "BGRT", "DSDT", "SSDT",
                      "DMAR", "IVRS", "IORT", "HEST", "ERST", "GTDT", "DBG2", "HMAT", "NFIT", "PPTT", "TCPA", "TPM2",
                      "FPDT", "S3PT"}
    assert have_templates <= declared, tool.version


@pytest.mark.parametrize("fixture_dir", IASL_FIXTURES, ids=[d.name for d in IASL_FIXTURES])
def test_committed_fixtures_agree_with_their_disassembly(fixture_dir: Path) -> None:
    version = int(fixture_dir.name.split("-")[1])
    checked = 0
    for aml in sorted(fixture_dir.glob("*.aml")):
        table = parse_table(aml.read_bytes())
        dsl = aml.with_suffix(".dsl")
        if dsl.exists():
            _check(table, dsl.read_text(), version)
        else:
            lines = iasl.parse_template(aml.with_suffix(".asl").read_text())
            assert _check(table, "", version, lines=lines).compared == len(lines)
        checked += 1
    assert checked >= 14


def test_firecracker_tables_agree_with_their_disassembly() -> None:
    for dat in sorted(FIRECRACKER.glob("*.dat")):
        table = parse_table(dat.read_bytes())
        result = _check(table, dat.with_suffix(".dsl").read_text(), 20200925)
        assert result.compared >= HEADER_ITEMS


@pytest.mark.parametrize("signature", sorted(iasl.TABLE_SINCE))
def test_version_gate_matches_the_installed_iasl(signature: str) -> None:
    """The gate table says whether this iasl has a template for SIG; iasl must agree."""
    tool = need_iasl()
    res = tools.run("iasl", ["-T", signature], collect=["*.asl"], check=False)
    knows = tool.version >= iasl.TABLE_SINCE[signature]
    assert bool(res.files) == knows, res.stdout + res.stderr


def test_gate_messages() -> None:
    from pvenum.acpi import builders

    ccel = builders.ccel(log_area_minimum_length=1, log_area_start_address=0x1000)
    assert iasl.unsupported(ccel, 20200925) == ["iasl 20200925 does not know the CCEL table (ACPICA 20221020+)"]
    assert iasl.unsupported(ccel, 20221020) == []
    wake1 = builders.madt([builders.mp_wakeup(mailbox_address=0x1000, version=1, reset_vector=0x2000)])
    assert len(iasl.unsupported(wake1, 20200925)) == 2
    assert iasl.unsupported(wake1, 20230331) == [
        "iasl 20230331 does not decode MADT subtable type 0x10 of 24+ bytes (ACPICA 20251212+)"]
    assert iasl.unsupported(wake1, 20251212) == []


def test_compile_refuses_a_gated_table_with_the_reason() -> None:
    from pvenum.errors import ToolError

    tool = need_iasl()
    source = '[0004] Signature : "CCEL"\n[0004] Table Length : 00000038\n'
    if tool.version >= iasl.TABLE_SINCE["CCEL"]:
        pytest.skip(f"iasl {tool.version} knows CCEL")
    with pytest.raises(ToolError, match=r"cannot compile CCEL .*ACPICA 20221020"):
        iasl.compile_source(source)


@pytest.mark.parametrize("text,expected", [
    ("[004h 0004   4]                 Table Length : 0000015A", (4, 4, "Table Length", ("int", 0x15A))),
    ("[004h 0004 004h]                Table Length : 0000015A", (4, 4, "Table Length", ("int", 0x15A))),
    ('[00Ah 0010 006h]                      Oem ID : "INTEL "', (10, 6, "Oem ID", ("str", "INTEL "))),
    ("[02Ch 0044  20]   Locality   0 : 0A 10 16 17 18 19 1A 1B 1C 1D 1E 1F 20 21 22 23 \\\n"
     "                                   24 25 26 27",
     (44, 20, "Locality   0", ("bytes", bytes([10, 16, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35,
                                               36, 37, 38, 39])))),
    ("[02Dh 0045   1]                   PM Profile : 00 [Unspecified]", (45, 1, "PM Profile", ("int", 0))),
])
def test_disassembly_line_formats_of_both_iasl_generations(text: str, expected: tuple) -> None:
    (line,) = iasl.parse_disassembly(text)
    assert (line.offset, line.length, line.name, line.parsed()) == expected


def test_an_iasl_at_a_path_runs_through_tools_run(tmp_path: Path) -> None:
    """iasl.at_path / disassemble(tool=) run a given executable (tools.run exe=): the one on
    PATH, named by its path, reports the version ``iasl -v`` gives tools.find, and disassembles
    as the default does; a path that is not an iasl is no tool."""
    tool = need_iasl()
    assert iasl.at_path(tool.path) == iasl.Iasl(str(Path(tool.path).resolve()), tool.version)
    assert iasl.at_path(tmp_path / "no-such-iasl") is None
    data = (FIRECRACKER / "facp.dat").read_bytes()
    mine = iasl.disassemble(data, tool=iasl.at_path(tool.path)).text
    assert iasl.parse_disassembly(mine) == iasl.parse_disassembly(iasl.disassemble(data).text)
