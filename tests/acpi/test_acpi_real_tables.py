"""Every table kind pvenum decodes, field by field against ``iasl -d``, on real tables: QEMU's
own ACPI test goldens (tests/data/acpi/qemu, from Debian's qemu 10.2.2 source package; recipe
in its README.md).

Three checks, each on every committed table:
- it parses, rebuilds byte for byte, and (SLIC aside) its body is decoded, not kept as bytes;
- its fields agree by offset with the committed disassembly of iasl 20260408 (runs anywhere);
- its fields agree with a live ``iasl -d`` of every iasl present: the one on PATH (Debian 12:
  20200925, whose gaps are gated by version) and the current one ``make acpi-refs`` unpacks
  into .cache/acpi. Skipped, with the reason, only where no iasl at all is present.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from acpi_helpers import ACPI_DATA

from pvenum.acpi import build_table, crosscheck, iasl, parse_table

QEMU = ACPI_DATA / "qemu"
TABLES = sorted(QEMU.glob("*.dat"))
CACHE = Path(__file__).resolve().parents[2] / ".cache" / "acpi"
COMMITTED_IASL = 20260408
RAW = {"SLIC"}  # Microsoft's licensing table: iasl dumps it as bytes too
HEADER_ITEMS = 9


def _ids(paths: list[Path]) -> list[str]:
    return [p.stem for p in paths]


def test_the_corpus_covers_every_new_table_kind() -> None:
    sigs = {p.read_bytes()[:4].decode() for p in TABLES}
    assert {"CEDT", "DBG2", "DMAR", "ERST", "GTDT", "HEST", "HMAT", "IORT", "IVRS", "NFIT", "PPTT", "RHCT",
            "SPCR", "TCPA", "TPM2", "VIOT"} <= sigs
    # Each committed file is the one its recipe pins.
    import hashlib

    sums = dict(reversed(line.split()) for line in (QEMU / "SHA256SUMS").read_text().splitlines())
    assert sorted(sums) == [p.name for p in TABLES]
    for p in TABLES:
        assert hashlib.sha256(p.read_bytes()).hexdigest() == sums[p.name], p.name


@pytest.mark.parametrize("path", TABLES, ids=_ids(TABLES))
def test_real_table_round_trips_and_is_decoded(path: Path) -> None:
    data = path.read_bytes()
    table = parse_table(data)
    assert build_table(table) == data
    assert table.declared == (table.signature not in RAW)
    assert not table.unparsed and all(not s.unparsed for s in table.subtables)


@pytest.mark.parametrize("path", TABLES, ids=_ids(TABLES))
def test_real_table_agrees_with_committed_disassembly(path: Path) -> None:
    table = parse_table(path.read_bytes())
    text = path.with_suffix(".dsl").read_text()
    result = crosscheck.compare(table, text, version=COMMITTED_IASL)
    assert result.ok, "\n".join(map(str, result.mismatches))
    printed = [ln for ln in iasl.parse_disassembly(text) if ln.parsed()[0] != "other"]
    # Every field line iasl printed was compared or skipped with a stated reason.
    assert result.compared + len(result.skipped) == len(printed)
    if table.signature not in RAW:
        assert result.compared > HEADER_ITEMS


def _tools() -> list:
    found = iasl.available(CACHE)
    if not found:
        return [pytest.param(None, marks=pytest.mark.skip(
            reason="no iasl (Debian: apt-get install acpica-tools; a current one: make acpi-refs)"))]
    return [pytest.param(t, id=f"iasl{t.version}") for t in found]


@pytest.mark.parametrize("tool", _tools())
def test_real_tables_agree_with_every_present_iasl(tool) -> None:
    compared = 0
    for path in TABLES:
        data = path.read_bytes()
        table = parse_table(data)
        text = iasl.disassemble_with(tool, data)
        result = crosscheck.compare(table, text, version=tool.version)
        assert result.ok, f"{path.name} with iasl {tool.version}:\n" + "\n".join(map(str, result.mismatches))
        unknown = iasl.unsupported(table, tool.version)
        if unknown or table.signature in RAW:
            assert result.compared == HEADER_ITEMS, (path.name, unknown)  # iasl dumps the body as bytes
        else:
            assert result.compared > HEADER_ITEMS, path.name
        compared += result.compared
    assert compared > 2000


def _newer_tools() -> list:
    system = iasl.find()
    newer = [t for t in iasl.available(CACHE) if system is None or t.version > system.version]
    if not newer:
        return [pytest.param(None, marks=pytest.mark.skip(
            reason="no iasl newer than the one on PATH (make acpi-refs unpacks iasl 20260408 into .cache/acpi)"))]
    return [pytest.param(t, id=f"iasl{t.version}") for t in newer]


@pytest.mark.parametrize("tool", _newer_tools())
def test_templates_of_a_newer_iasl_agree(tool) -> None:
    """The -T ALL acceptance (test_acpi_iasl.py) with a current iasl: its templates cover the
    tables Debian 12's iasl does not know (CEDT, RHCT, VIOT, CCEL, TDEL ...)."""
    from pvenum.acpi.layouts import KINDS

    checked = set()
    for stem, data in sorted(iasl.templates_with(tool).items()):
        if data[:4] not in {s.encode() for s in KINDS} or stem == "rsdp":
            continue  # CDAT, tables pvenum keeps as bytes; a standalone RSDP iasl cannot disassemble
        table = parse_table(data)
        assert build_table(table) == data, stem
        text = iasl.disassemble_with(tool, data)
        result = crosscheck.compare(table, text, version=tool.version)
        assert result.ok, f"{stem}:\n" + "\n".join(map(str, result.mismatches))
        printed = [ln for ln in iasl.parse_disassembly(text) if ln.parsed()[0] != "other"]
        if table.signature not in crosscheck.AML_SIGNATURES:
            assert result.compared + len(result.skipped) == len(printed), stem
        checked.add(table.signature)
    assert {"CEDT", "RHCT", "VIOT", "DMAR", "IVRS", "IORT", "HEST", "NFIT", "HMAT", "PPTT", "GTDT", "DBG2",
            "ERST", "TCPA", "TPM2", "FPDT", "S3PT", "SPCR"} <= checked
