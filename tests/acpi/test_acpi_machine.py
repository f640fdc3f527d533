"""This machine's own tables (/sys/firmware/acpi/tables, when readable) pass the same checks as
the fixtures: they parse, round-trip, agree with iasl -d, validate without errors — and the
directory reader copes with sysfs' layout (numbered names, dynamic/, non-table data/)."""

from __future__ import annotations

from pathlib import Path

import pytest

from acpi_helpers import need_iasl, sysfs_tables

from pvenum.acpi import build_table, crosscheck, parse_table, read_directory
from pvenum.acpi.validate import check_set, check_table


def test_sysfs_tables_parse_round_trip_and_validate(need_sysfs: None) -> None:
    files = sysfs_tables()
    tables = []
    for path in files:
        data = path.read_bytes()
        table = parse_table(data)
        assert build_table(table) == data, path
        assert table.checksum_valid in (True, None), path
        errors = [p for p in check_table(table, data) if p.severity == "error"]
        assert errors == [], (path, errors)
        tables.append(table)
    assert [p for p in check_set(tables) if p.severity == "error"] == []


def test_sysfs_tables_agree_with_iasl(need_sysfs: None) -> None:
    need_iasl()
    for path in sysfs_tables():
        result = crosscheck.check_with_iasl(parse_table(path.read_bytes()))
        assert result.ok and result.compared >= 2, (path, [str(m) for m in result.mismatches])


def test_read_directory_on_sysfs(need_sysfs: None) -> None:
    got = read_directory("/sys/firmware/acpi/tables")
    assert sorted(t.to_bytes() for t in got) == sorted(p.read_bytes() for p in sysfs_tables())


def test_read_directory_skips_data_blobs_and_reads_dynamic_tables(tmp_path: Path) -> None:
    from pvenum.acpi import builders

    (tmp_path / "data").mkdir()
    (tmp_path / "dynamic").mkdir()
    ssdt1 = builders.aml_table("SSDT", b"\x08PVEN\x01").to_bytes()
    ssdt2 = builders.aml_table("SSDT", b"\x08PVEM\x00").to_bytes()
    (tmp_path / "SSDT1").write_bytes(ssdt1)
    (tmp_path / "SSDT2").write_bytes(ssdt2)
    (tmp_path / "FACP").write_bytes(builders.fadt().to_bytes())
    (tmp_path / "dynamic" / "SSDT3").write_bytes(ssdt1)
    # data/ holds the CCEL event log and BERT error records: not tables, even when they
    # start with four capital letters.
    (tmp_path / "data" / "CCEL").write_bytes(b"TCG_" + bytes(100))
    (tmp_path / "data" / "BERT").write_bytes(ssdt1)
    (tmp_path / "empty").write_bytes(b"")
    (tmp_path / "notes.txt").write_text("not a table\n")
    got = read_directory(tmp_path)
    assert got.signatures() == ["FACP", "SSDT", "SSDT", "SSDT"]
    assert [t.to_bytes() for t in got.all("SSDT")] == [ssdt1, ssdt2, ssdt1]


def test_load_path_on_a_sysfs_like_tree_labels_tables(tmp_path: Path) -> None:
    from pvenum.acpi import builders
    from pvenum.formats import load_path

    (tmp_path / "data").mkdir()
    (tmp_path / "SSDT1").write_bytes(builders.aml_table("SSDT").to_bytes())
    (tmp_path / "facp.dat").write_bytes(builders.fadt().to_bytes())
    (tmp_path / "data" / "BERT").write_bytes(b"\x01\x02\x03")
    arts = list(load_path(tmp_path))
    assert [(a.format, a.label) for a in arts] == [("acpi-table", "SSDT1"), ("acpi-table", "FACP")]


def test_read_directory_refuses_a_symlink_leading_out(tmp_path: Path) -> None:
    # A tables directory copied from an untrusted machine: a link in it to a file of the
    # reading machine must not be read as one of its tables (as grep -r, the walk passes
    # links inside the directory and refuses the rest).
    from pvenum import _io
    from pvenum.acpi import builders

    outside = tmp_path / "host-FACP"
    outside.write_bytes(builders.fadt().to_bytes())
    tables = tmp_path / "tables"
    tables.mkdir()
    ssdt = builders.aml_table("SSDT", b"\x08PVEN\x01").to_bytes()
    (tables / "SSDT1").write_bytes(ssdt)
    (tables / "SSDT2").symlink_to("SSDT1")  # inside: read
    assert [t.to_bytes() for t in read_directory(tables)] == [ssdt, ssdt]
    (tables / "FACP").symlink_to(outside)
    with pytest.raises(_io.LeadsOut) as err:
        read_directory(tables)
    assert err.value.path == str(tables / "FACP") and str(outside) in str(err.value)
    (tables / "FACP").unlink()
    (tables / "dynamic").symlink_to(tmp_path, target_is_directory=True)  # a directory leading out
    with pytest.raises(_io.LeadsOut):
        read_directory(tables)
