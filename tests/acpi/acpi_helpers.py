"""Shared helpers for the ACPI tests (a module with a unique name, so tests can import it)."""

from __future__ import annotations

import functools
import importlib.util
import os
from pathlib import Path

ACPI_DATA = Path(__file__).resolve().parents[1] / "data" / "acpi"
IASL_FIXTURES = sorted(ACPI_DATA.glob("iasl-*"))
FIRECRACKER = ACPI_DATA / "firecracker"
SYSFS = Path("/sys/firmware/acpi/tables")


def _root_conftest():
    # The suite-wide settings live in tests/conftest.py; load it by path (no package import).
    spec = importlib.util.spec_from_file_location("_pvenum_root_conftest",
                                                  Path(__file__).resolve().parents[1] / "conftest.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


try:
    from pvtest import SLOW_SCALE  # tests/pvtest.py: the suite-wide test settings
except ImportError:  # the earlier layout kept them in tests/conftest.py
    SLOW_SCALE = _root_conftest().SLOW_SCALE


def scaled(full: int, minimum: int = 10) -> int:
    """``full`` examples scaled by PVENUM_SLOW_SCALE (``make test`` runs them small)."""
    return max(minimum, int(full * SLOW_SCALE))


@functools.lru_cache(maxsize=None)
def generated_templates() -> tuple[dict[str, bytes], dict[str, str]] | None:
    """``({stem: aml}, {stem: asl})`` from the installed iasl's ``iasl -T ALL``, or None."""
    from pvenum.acpi import iasl

    if iasl.find() is None:
        return None
    sources = iasl.template_sources(["ALL"])
    binaries = {}
    for stem, source in sources.items():
        binaries[stem] = iasl.compile_source(source, name=stem.replace("!", "_")).aml
    return binaries, sources


def fixture_files() -> list[Path]:
    return [p for d in IASL_FIXTURES for p in sorted(d.glob("*.aml"))] + sorted(FIRECRACKER.glob("*.dat"))


def sysfs_tables() -> list[Path]:
    """Table files of this machine (data/ holds non-table blobs and is left out)."""
    if not SYSFS.is_dir():
        return []
    out = []
    for p in sorted(SYSFS.rglob("*")):
        if p.is_file() and "data" not in p.relative_to(SYSFS).parts[:-1]:
            out.append(p)
    return out


def sysfs_readable() -> bool:
    files = sysfs_tables()
    return bool(files) and os.access(files[0], os.R_OK)


def normalise_creator(data: bytes, creator: bytes) -> bytes:
    """``data`` with AslCompilerId/Revision replaced by ``creator`` (8 bytes) and the checksum
    fixed: iasl stamps its own ID and version when it recompiles (QEMU bios-tables-test and
    ACPICA templates.sh normalise the same way)."""
    out = bytearray(data)
    out[28:36] = creator
    out[9] = 0
    out[9] = (-sum(out)) & 0xFF
    return bytes(out)
