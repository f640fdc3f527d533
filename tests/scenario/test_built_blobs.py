"""Blobs `pvenum build` writes pass the reference tools: pvenum's own validation, iasl for
every ACPI table iasl knows (and dtc/libfdt for devicetrees, in tests/fdt)."""

from __future__ import annotations

from pathlib import Path

import pytest

from pvtest import need_tool
from pvenum.acpi import iasl
from pvenum.acpi.codec import parse_table
from pvenum.build import write_bundle
from pvenum.scenario import catalog

NAMES = catalog.names()


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("catalog")
    out = {}
    for sc in catalog.all_scenarios():
        out[sc.name] = root / sc.name
        write_bundle(sc.platform(), out[sc.name], name=sc.name, description=sc.description)
    return out


@pytest.mark.parametrize("name", NAMES)
def test_pvenum_validate_passes(name, built, cli):
    proc = cli("validate", str(built[name]))
    assert proc.returncode == 0, proc.stdout.decode() + proc.stderr.decode()


def test_every_acpi_table_disassembles_cleanly_with_iasl(built):
    tool = need_tool("iasl")
    version = int(tool.version or 0)
    seen: dict[bytes, str] = {}
    for name, d in built.items():
        for f in sorted((d / "acpi").glob("*.dat")) if (d / "acpi").is_dir() else []:
            seen.setdefault(f.read_bytes(), f"{name}/{f.name}")
    checked = gated = 0
    for data, where in seen.items():
        table = parse_table(data)
        if table.signature == "RSD PTR ":
            continue  # iasl -d does not take a standalone RSDP ("does not contain a valid ACPI table")
        if iasl.unsupported(table, version):
            gated += 1  # iasl's version gate: asserted in tests/acpi
            continue
        dis = iasl.disassemble(data)
        assert dis.clean, (where, dis.problems)
        checked += 1
    assert checked >= 10 and gated >= 1, (checked, gated)


def _built_dtbs(built: dict[str, Path]) -> dict[str, bytes]:
    return {name: (d / "fdt.dtb").read_bytes() for name, d in built.items() if (d / "fdt.dtb").is_file()}


def test_every_built_dtb_passes_libfdt_check(built):
    libfdt = pytest.importorskip("libfdt", reason="pylibfdt not installed (pip install pylibfdt)")
    from pvenum import fdt

    blobs = _built_dtbs(built)
    assert len(blobs) >= 5  # the Arm scenarios that boot from a devicetree
    for name, data in blobs.items():
        assert libfdt.fdt_check_full(bytearray(data), len(data)) == 0, name  # libfdt's full structure walk
        lib = libfdt.Fdt(data)
        assert lib.totalsize() == len(data), name
        # libfdt finds what the resolver reads, with the same bytes.
        tree = fdt.parse(data)
        for path, prop in (("/psci", "method"), ("/chosen", "stdout-path")):
            assert lib.getprop(lib.path_offset(path), prop) == tree.get_node(path).properties[prop], (name, path)
        record = tree.get_node("/firmware/paravisor")
        if record is not None:
            off = lib.path_offset("/firmware/paravisor")
            assert lib.get_name(off) == "paravisor", name
            assert lib.getprop(off, "compatible") == record.properties["compatible"], name


def test_every_built_dtb_decompiles_with_dtc(built):
    need_tool("dtc")
    from pvenum import fdt
    from pvenum.fdt.dtc import compile_dts, decompile_dtb

    for name, data in _built_dtbs(built).items():
        text = decompile_dtb(data)
        assert text.startswith("/dts-v1/;"), name
        # dtc's DTS compiles back to the same tree, and the bundle's fdt.dts to the same bytes.
        assert fdt.parse(compile_dts(text)).same_as(fdt.parse(data)), name
        assert compile_dts((built[name] / "fdt.dts").read_bytes()) == data, name
