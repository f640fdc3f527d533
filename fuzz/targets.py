"""Fuzz targets: one per reader, each seeded from the real fixtures of its format.

A target takes bytes and runs the reader the way the CLI does (detection skipped: the format is
forced), then every view of the result (JSON, textconv, validation). The only exceptions
allowed out are pvenum's own (PvenumError); anything else is a bug.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import json
from pathlib import Path
from typing import Any, Callable, Iterator

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


def _convert(data: bytes) -> None:
    """A kvm_cpuid2 buffer (flags and entry order are the fuzzer's) written in every format
    `pvenum convert` writes and read back by its own reader, as convert's warning reads it: a
    kvm_cpuid2 buffer and pvenum's TOML keep flags and each leaf's order, so a guest must read
    them alike."""
    from pvenum.commands.convert import WRITABLE, read_back, written
    from pvenum.cpuid import kvm
    from pvenum.errors import PvenumError

    try:
        dump = kvm.parse(data)
    except PvenumError:
        return
    for fmt in WRITABLE:  # as `pvenum convert --to FMT` writes it and reads it back to warn
        try:
            back = read_back(written(dump, None, fmt)[0], fmt)
        except PvenumError:
            continue
        differ = dump.read_differently(back)
        if fmt in ("kvm_cpuid2", "cpuid-toml") and differ:
            raise AssertionError(f"{fmt} round trip reads {differ[:3]} differently")


def _convert_read(data: bytes) -> None:
    """The read _convert starts from (what the memory bound is about)."""
    from pvenum.cpuid import kvm
    from pvenum.errors import PvenumError

    try:
        kvm.parse(data)
    except PvenumError:
        return


_convert.read = _convert_read  # type: ignore[attr-defined]


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


# -- audit: one file of a bundle (or a scenario with a base) through keying, loading, resolving --

# The bundles whose files the audit target replaces one at a time, as `pvenum build` writes
# them but for the files left out (the manifest made again): x86 with both ACPI copies and two
# CPUID copies; a paravisor with the Firecracker template, the slowest reader (it has its own
# target); an Arm realm (fdt.dtb and fdt.dts). Index 3 is a lone scenario TOML beside the
# capture its base may name. Files no bundle has: a kernel configuration, and a name only
# detection places.
_AUDIT_BUNDLES = (
    ("snp", lambda rel: rel != "cpuid-template.json"),
    ("azure-snp-paravisor", lambda rel: rel in ("cpuid", "cpuid-template.json", "platform.toml", "acpi/FACP.dat")),
    ("cca-realm", lambda rel: True),
)
_AUDIT_EXTRA = ("kernel.config", "extra")
_SCENARIO = "scenario.toml"


@functools.lru_cache(maxsize=None)
def _audit_files() -> list[tuple[str, dict[str, bytes], list[str]]]:
    """Each bundle of _AUDIT_BUNDLES as rendered in memory: (name, its files, the file names a
    selector picks among — its own, then _AUDIT_EXTRA)."""
    from pvenum.build import manifest, render_files
    from pvenum.scenario import catalog

    out = []
    for name, keep in _AUDIT_BUNDLES:
        files = {rel: data for rel, data in render_files(catalog.get(name).platform(), name=name).items()
                 if keep(rel) and rel != "manifest.json"}
        files["manifest.json"] = manifest(files, name=name, description=f"fuzz: {name}")
        out.append((name, files, sorted(files) + list(_AUDIT_EXTRA)))
    return out


@functools.lru_cache(maxsize=None)
def _audit_place() -> Path:
    """A per-process directory with the three bundles and the base capture a scenario may name
    (pvenum/fixtures/base/amd-kvm.cpuid, as base.cpuid). Removed at exit; under libFuzzer, which
    exits without atexit, it lies in the run's own temporary directory (fuzz/run.py worker())."""
    import atexit
    import shutil
    import tempfile
    from importlib import resources

    root = Path(tempfile.mkdtemp(prefix="pvenum-fuzz-audit-"))
    atexit.register(shutil.rmtree, root, ignore_errors=True)
    for name, files, _ in _audit_files():
        for rel, data in files.items():
            (root / name / rel).parent.mkdir(parents=True, exist_ok=True)
            (root / name / rel).write_bytes(data)
    (root / "base.cpuid").write_bytes(resources.files("pvenum.fixtures.base").joinpath("amd-kvm.cpuid").read_bytes())
    return root


def _audit_slot(selector: int) -> tuple[Path, Path, bytes | None]:
    """(target, file the input is written to, what that file holds when not fuzzed: None for
    none). The selector's low two bits pick the bundle (3: the lone scenario), the rest a file."""
    root = _audit_place()
    which = selector & 3
    if which == 3:
        return root / _SCENARIO, root / _SCENARIO, None
    name, files, names = _audit_files()[which]
    rel = names[(selector >> 2) % len(names)]
    return root / name, root / name / rel, files.get(rel)


@contextlib.contextmanager
def _placed(data: bytes) -> Iterator[str]:
    """The target with the input in its file (data[0] picks which: :func:`_audit_slot`), put
    back as it was afterwards."""
    target, file, original = _audit_slot(data[0])
    file.write_bytes(data[1:])
    try:
        yield str(target)
    finally:
        if original is None:
            file.unlink(missing_ok=True)
        else:
            file.write_bytes(original)


def _audit(data: bytes) -> None:
    """A fleet's upload, hostile: the input replaces one file of a built bundle (or is a scenario
    TOML beside a capture), and the target is audited as `pvenum audit` does it — keyed, loaded
    from the bytes the key hashed, resolved by the four models. Differential: the record must be
    what loading the target from disk and resolving it alone gives, and a second audit through
    the same cache must hit the first record."""
    from collections import OrderedDict

    from pvenum.audit import _resolve, audit_one
    from pvenum.errors import PvenumError

    if not data:
        return
    with _placed(data) as target:
        cache: OrderedDict = OrderedDict()
        rec = audit_one(target, cache=cache)
        json.dumps(rec)
        try:
            alone = _resolve(target)  # from the disk, no held bytes
        except PvenumError as err:
            assert rec.get("error") == str(err), (rec.get("error"), str(err))
        else:
            assert "error" not in rec, rec["error"]
            assert (rec["derivations"], rec.get("problems", []), rec["arch"]) == (
                alone.derivations, alone.named_for(target)[0], alone.arch), "held bytes and disk resolve differently"
            assert audit_one(target, cache=cache) == rec, "a cache hit differs from the record it keeps"


def _audit_key(data: bytes) -> None:
    """Only the key (what the memory bound is about): the bytes held are the bundle's."""
    from pvenum.audit import keyed
    from pvenum.errors import PvenumError

    if not data:
        return
    with _placed(data) as target:
        try:
            keyed(target)
        except PvenumError:
            pass


_audit.read = _audit_key  # type: ignore[attr-defined]


def _audit_seeds() -> list[bytes]:
    """Every file of the three bundles at its own selector, a kernel configuration, and the
    scenarios: the catalog's and one whose base is the capture beside it."""
    out = []
    for which, (_, files, names) in enumerate(_audit_files()):
        for i, rel in enumerate(names):
            selector = which | i << 2
            if rel in files:
                out.append(bytes([selector]) + files[rel])
            elif rel == "kernel.config":
                out.append(bytes([selector]) + b"CONFIG_AMD_MEM_ENCRYPT=y\nCONFIG_X86_X2APIC=y\n")
    scenario = b'[scenario]\nname = "s"\ndescription = "d"\nbase = "base.cpuid"\nhypervisor = "kvm"\n'
    out.append(bytes([3]) + scenario)
    out += [bytes([3]) + s for s in _seeds("pvenum/fixtures/scenarios/*.toml", limit=8)]
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
    "cpuid-convert": (_convert, lambda: _converted_seeds("kvm")),
    "firecracker-template": (_via_formats("firecracker-template"), lambda: _seeds("tests/data/cpuid/*.json")),
    "platform-toml": (_via_formats("platform-toml"), lambda: _seeds("tests/data/x86/rows/*/platform.toml")),
    "scenario-toml": (_scenario, lambda: _seeds("pvenum/fixtures/scenarios/*.toml")),
    "dtb-resolve": (_resolve_dtb, lambda: _catalog_blobs(".dtb")),
    "acpi-resolve": (_resolve_acpi, lambda: _catalog_blobs(".dat")),
    "audit": (_audit, _audit_seeds),
}
# A target's share of the executions, against 1 for the others: an audit input is a bundle
# keyed, loaded and resolved twice (its time per input: fuzz/RESULTS.md, seconds over executions).
WEIGHTS = {"audit": 0.2}


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
