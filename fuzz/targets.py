"""Fuzz targets: one per reader, each seeded from the real fixtures of its format.

A target takes bytes and runs the reader the way the CLI does (detection skipped: the format is
forced), then every view of the result (JSON, textconv, validation). The only exceptions
allowed out are pvenum's own (PvenumError); anything else is a bug.
"""

from __future__ import annotations

import dataclasses
import functools
import json
from pathlib import Path
from typing import Any, Callable

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data"
REGRESSIONS = DATA / "fuzz-regressions"


def _seeds(*globs: str, limit: int = 40, max_bytes: int = 256 * 1024) -> list[bytes]:
    out: list[bytes] = []
    for pattern in globs:
        for p in sorted(ROOT.glob(pattern)):
            if p.is_file() and p.stat().st_size <= max_bytes:
                out.append(p.read_bytes())
            if len(out) >= limit:
                return out
    return out


def reader(fmt: str) -> Callable[[bytes], None]:
    """Only the read: bytes into model objects (what the memory bound is about)."""

    def read(data: bytes) -> None:
        from pvenum.errors import PvenumError
        from pvenum.formats import load_bytes

        try:
            load_bytes(data, "fuzz", fmt=fmt)
        except PvenumError:
            return

    return read


def _via_formats(fmt: str) -> Callable[[bytes], None]:
    """The read, then every view of the result: JSON and textconv lines."""

    def run(data: bytes) -> None:
        from pvenum.errors import PvenumError
        from pvenum.formats import load_bytes

        try:
            arts = load_bytes(data, "fuzz", fmt=fmt)
        except PvenumError:
            return
        for art in arts:
            json.dumps(art.to_json())
            for _ in art.textconv():
                pass

    run.read = reader(fmt)  # type: ignore[attr-defined]
    return run


def _validate(fmt: str, module: str) -> Callable[[bytes], None]:
    def run(data: bytes) -> None:
        import importlib

        from pvenum.errors import PvenumError

        mod = importlib.import_module(module)
        try:
            for problem in mod.validate(data, "fuzz", fmt=fmt):
                problem.line("fuzz")
        except PvenumError:
            return

    return run


def _detect(data: bytes) -> None:
    """Format detection alone: every sniffer runs on every input (the readers force a format)."""
    from pvenum.formats import detect

    detect(data, "fuzz")
    detect(data, "platform.toml")


def _scenario(data: bytes) -> None:
    from pvenum.errors import PvenumError
    from pvenum.scenario import parse_scenario

    try:
        sc = parse_scenario(data.decode("utf-8", "replace"), "fuzz")
        sc.platform()
    except PvenumError:
        return


def _resolve_bundle_cpuid(data: bytes) -> None:
    """cpuid -r text all the way through the four models."""
    from pvenum.cpuid import cpuid_r
    from pvenum.errors import PvenumError
    from pvenum.platform import Platform
    from pvenum.resolver import resolve_all

    try:
        dump = cpuid_r.parse(data)
    except PvenumError:
        return
    for d in resolve_all(Platform(cpuid=dump)).values():
        json.dumps(d.to_dict())


@functools.lru_cache(maxsize=None)
def _base(name: str) -> Any:
    from pvenum.scenario import catalog

    return catalog.get(name).platform()


def _resolve_dtb(data: bytes) -> None:
    """A DTB (with or without the draft services record) through every arm64 guest model."""
    from pvenum import fdt
    from pvenum.errors import PvenumError
    from pvenum.platform import Platform
    from pvenum.resolver import resolve_all

    try:
        tree = fdt.parse(data)
    except PvenumError:
        return
    for d in resolve_all(Platform(arch="arm64", fdt=tree, smccc=_base("cca-realm").smccc)).values():
        json.dumps(d.to_dict())


def _resolve_acpi(data: bytes) -> None:
    """One ACPI table (FADT, MADT, CCEL, the draft PVSR ...) beside a KVM CPUID dump, through
    every guest model and the cross-channel rules."""
    from pvenum.acpi import parse_table
    from pvenum.acpi.model import AcpiTableSet
    from pvenum.errors import PvenumError
    from pvenum.resolver import resolve_all

    try:
        table = parse_table(data)
    except PvenumError:
        return
    p = dataclasses.replace(_base("snp"), acpi=AcpiTableSet.from_tables([table]))
    for d in resolve_all(p).values():
        json.dumps(d.to_dict())


def _catalog_blobs(suffix: str) -> list[bytes]:
    """Every blob of a kind that `pvenum build` writes for the catalog (records included)."""
    from pvenum.build import render_files
    from pvenum.scenario import catalog

    out = []
    for sc in catalog.all_scenarios():
        for name, data in render_files(sc.platform(), name=sc.name).items():
            if name.endswith(suffix) and data not in out:
                out.append(data)
    return out


# A few files of every kind the sniffers tell apart.
DETECT_SEEDS = ("tests/data/cpuid/*", "tests/data/acpi/**/*.txt", "tests/data/acpi/**/*.dat", "tests/data/fdt/**/*.dts",
                "tests/data/fdt/**/*.dtb", "tests/data/x86/rows/*/platform.toml", "pvenum/fixtures/scenarios/*.toml")

# name -> (function, seed files)
TARGETS: dict[str, tuple[Callable[[bytes], None], Callable[[], list[bytes]]]] = {
    "detect": (_detect, lambda: [seed for pattern in DETECT_SEEDS for seed in _seeds(pattern, limit=8)]),
    "dtb": (_via_formats("dtb"), lambda: _seeds("tests/data/fdt/**/*.dtb")),
    "dtb-validate": (_validate("dtb", "pvenum.fdt.artifact"), lambda: _seeds("tests/data/fdt/**/*.dtb")),
    # The QEMU goldens (tests/data/acpi/qemu) bring every table layout in: keep room for the templates.
    "acpi-table": (_via_formats("acpi-table"),
                   lambda: _seeds("tests/data/acpi/**/*.dat", "tests/data/acpi/**/*.aml", limit=80)),
    "acpi-validate": (_validate("acpi-table", "pvenum.acpi.artifact"),
                      lambda: _seeds("tests/data/acpi/**/*.dat", "tests/data/acpi/**/*.aml", limit=80)),
    "acpidump": (_via_formats("acpidump"), lambda: _seeds("tests/data/acpi/**/*.txt", "tests/data/acpi/**/*.log")),
    "cpuid-r": (_via_formats("cpuid-r"), lambda: _seeds("tests/data/cpuid/*.cpuid", "tests/data/x86/rows/*/cpuid",
                                                        "tests/data/cpuid/pasted/*.txt")),
    "cpuid-aida64": (_via_formats("cpuid-aida64"), lambda: _seeds("tests/data/cpuid/instlatx64/*.txt")),
    "firecracker-fingerprint": (_via_formats("firecracker-fingerprint"),
                                lambda: _seeds("tests/data/cpuid/firecracker-helper/fingerprint_*.json")),
    "cpuid-resolve": (_resolve_bundle_cpuid, lambda: _seeds("tests/data/x86/rows/*/cpuid")),
    "kvm_cpuid2": (_via_formats("kvm_cpuid2"), lambda: _converted_seeds("kvm")),
    "cpuid-toml": (_via_formats("cpuid-toml"), lambda: _converted_seeds("toml_io")),
    "firecracker-template": (_via_formats("firecracker-template"), lambda: _seeds("tests/data/cpuid/*.json")),
    "platform-toml": (_via_formats("platform-toml"), lambda: _seeds("tests/data/x86/rows/*/platform.toml")),
    "scenario-toml": (_scenario, lambda: _seeds("pvenum/fixtures/scenarios/*.toml")),
    "dtb-resolve": (_resolve_dtb, lambda: _catalog_blobs(".dtb")),
    "acpi-resolve": (_resolve_acpi, lambda: _catalog_blobs(".dat")),
}


def _converted_seeds(module: str) -> list[bytes]:
    """The real `cpuid -r` dumps, written by pvenum.cpuid.<module> (formats with no fixtures)."""
    import importlib

    from pvenum.cpuid import cpuid_r

    write = importlib.import_module(f"pvenum.cpuid.{module}").write
    out = []
    for blob in _seeds("tests/data/cpuid/*.cpuid"):
        data = write(cpuid_r.parse(blob))
        out.append(data.encode() if isinstance(data, str) else data)
    return out


def regression_inputs() -> list[tuple[str, Path]]:
    """Every saved crash input: tests/data/fuzz-regressions/<target>/<file>."""
    out = []
    if REGRESSIONS.is_dir():
        for d in sorted(REGRESSIONS.iterdir()):
            if d.is_dir() and d.name in TARGETS:
                out += [(d.name, f) for f in sorted(d.iterdir()) if f.is_file()]
    return out
