"""Directories of binary tables: /sys/firmware/acpi/tables, ``acpidump -b`` and ``acpixtract``
output.

Linux exposes each table as a file named by signature, numbered when a signature repeats
(SSDT1, SSDT2; drivers/acpi/sysfs.c), tables loaded at run time under ``dynamic/``, and
non-table blobs (BERT error records, the CCEL event log) under ``data/`` — those are skipped,
never fatal. ``acpidump -b`` writes ``facp.dat``, ``ssdt1.dat``...; ``acpixtract -a`` the same.
"""

from __future__ import annotations

from pathlib import Path

from .. import _io
from ..errors import PvenumError
from .codec import parse_table
from .model import AcpiTable, AcpiTableSet

SYSFS_ROOT = Path("/sys/firmware/acpi/tables")


def looks_like_table(data: bytes) -> bool:
    """Cheap check before decoding: an ACPI table file holds exactly one table."""
    from ..formats import _is_acpi_table

    return _is_acpi_table(data, "")


def iter_table_files(root: str | Path, *, within: _io.Within | None = None) -> list[Path]:
    """Table files under ``root`` in the order they were found (SSDT2 before SSDT10:
    pvenum._io.natural_key), skipping sysfs ``data/`` (not tables). ``within``: a symlink
    leading out of it is refused (pvenum._io.iter_file_names)."""
    return [Path(full) for rel, full in _io.iter_file_names(root, within=within) if not rel.startswith("data/")]


def read_directory(root: str | Path) -> AcpiTableSet:
    """Every table file under ``root``; files that are not tables are skipped. The directory
    may come from an untrusted machine: as every walk of a directory pvenum reads, a symlink
    leading out of ``root`` is refused (pvenum._io.LeadsOut: one line, exit 3), never followed
    to a file of the reading machine, and only regular files are read."""
    inside = _io.Within(root)
    tables: list[AcpiTable] = []
    for path in iter_table_files(root, within=inside):
        data = _io.read_bytes(path, regular=True, within=inside)
        if not data or not looks_like_table(data):
            continue
        try:
            tables.append(parse_table(data))
        except PvenumError as err:
            raise err.with_path(str(path)) from None
    return AcpiTableSet.from_tables(tables)
