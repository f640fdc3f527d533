"""Fixtures for the diff tests: real inputs, unpacked or built once per session."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from pvtest import DATA

QEMU = DATA / "fdt" / "qemu"
ROWS = DATA / "x86" / "rows"


@pytest.fixture(scope="session")
def qemu_dtbs(tmp_path_factory) -> dict[str, Path]:
    """QEMU `dumpdtb` outputs (tests/data/fdt/qemu/*.dtb.gz, see RECIPES there), unpacked."""
    blobs = sorted(QEMU.glob("*.dtb.gz"))
    if not blobs:
        pytest.skip("tests/data/fdt/qemu has no QEMU dumpdtb blobs")
    out = tmp_path_factory.mktemp("qemu")
    paths = {}
    for gz in blobs:
        name = gz.name.removesuffix(".gz")
        (out / name).write_bytes(gzip.decompress(gz.read_bytes()))
        paths[name.removesuffix(".dtb")] = out / name
    return paths


@pytest.fixture(scope="session")
def built(tmp_path_factory) -> dict[str, Path]:
    """`pvenum build` directories of the SNP twins (what the build command writes)."""
    from pvenum.build import write_bundle
    from pvenum.scenario import catalog

    out = tmp_path_factory.mktemp("built")
    paths = {}
    for name in ("snp", "azure-snp-paravisor"):
        sc = catalog.get(name)
        write_bundle(sc.platform(), out / name, name=name, description=sc.description)
        paths[name] = out / name
    return paths
