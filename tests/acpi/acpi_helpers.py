"""Shared helpers for the ACPI tests (a module with a unique name, so tests can import it)."""

from __future__ import annotations

import functools
import os
from pathlib import Path

from pvtest import SLOW_SCALE, need_tool, with_checksum

ACPI_DATA = Path(__file__).resolve().parents[1] / "data" / "acpi"
IASL_FIXTURES = sorted(ACPI_DATA.glob("iasl-*"))
FIRECRACKER = ACPI_DATA / "firecracker"
QEMU = ACPI_DATA / "qemu"  # QEMU 10.2.2's test goldens (recipe: qemu/README.md)
SYSFS = Path("/sys/firmware/acpi/tables")


def scaled(full: int, minimum: int = 10) -> int:
    """``full`` examples scaled by PVENUM_SLOW_SCALE (``make test`` runs them small)."""
    return max(minimum, int(full * SLOW_SCALE))


def need_iasl():
    """The installed iasl (:class:`pvenum.acpi.iasl.Iasl`), or skip with the install hint."""
    from pvenum.acpi import iasl

    need_tool("iasl")
    return iasl.find()


@functools.lru_cache(maxsize=None)
def generated_templates() -> tuple[dict[str, bytes], dict[str, str]] | None:
    """``({stem: aml}, {stem: asl})`` from the installed iasl's ``iasl -T ALL``, or None."""
    from pvenum.acpi import iasl

    if iasl.find() is None:
        return None
    sources = iasl.template_sources(["ALL"])
    return iasl.compile_templates(sources), sources


def fixture_files() -> list[Path]:
    return ([p for d in IASL_FIXTURES for p in sorted(d.glob("*.aml"))] + sorted(FIRECRACKER.glob("*.dat"))
            + sorted(QEMU.glob("*.dat")))


def sysfs_tables() -> list[Path]:
    """Table files of this machine, as pvenum's directory reader finds them (data/ holds
    non-table blobs and is left out)."""
    from pvenum.acpi.sysfs import iter_table_files

    return iter_table_files(SYSFS) if SYSFS.is_dir() else []


def sysfs_readable() -> bool:
    files = sysfs_tables()
    return bool(files) and os.access(files[0], os.R_OK)



def normalise_creator(data: bytes, creator: bytes) -> bytes:
    """``data`` with AslCompilerId/Revision replaced by ``creator`` (8 bytes) and the checksum
    fixed: iasl stamps its own ID and version when it recompiles (QEMU bios-tables-test and
    ACPICA templates.sh normalise the same way)."""
    return with_checksum(data[:28] + creator + data[36:])
