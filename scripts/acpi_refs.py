#!/usr/bin/env python3
"""Fetch the ACPI references pvenum's table decoders are checked against (``make acpi-refs``).

1. QEMU's ACPI test goldens (``tests/data/acpi`` of Debian's qemu source package): downloaded
   with ``apt-get source --download-only`` through a private sources list (crosscheck/debsrc.py),
   checked against the sha256 pinned below, unpacked into ``.cache/acpi/qemu-VERSION/``. With
   ``--update-fixtures`` the tables listed in tests/data/acpi/qemu/SHA256SUMS are copied into
   the repository and re-disassembled with the current iasl.
2. A current iasl: Debian's acpica-tools binary package (sid) and the libc6 it needs (Debian
   12 has glibc 2.36; acpica-tools 20260408 needs 2.38), both from the Debian archive through
   a private binary sources list, pinned by sha256, unpacked with ``dpkg -x`` into
   ``.cache/acpi/iasl-VERSION/`` with an ``iasl`` wrapper that runs it through that libc's
   loader. Debian's source packages of acpica-unix are not served here (404), so the binary
   package is the way to a current iasl; the tests find it by that path.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tarfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from crosscheck.debsrc import Apt, FetchFailed, Unavailable  # noqa: E402
from pvenum._io import file_sha256  # noqa: E402

CACHE = ROOT / ".cache" / "acpi"
FIXTURES = ROOT / "tests" / "data" / "acpi" / "qemu"

QEMU = ("qemu", "1:10.2.2+ds-1", "qemu_10.2.2+ds.orig.tar.xz",
        "be05230fe47a6937cd29f28f562932c8125f9c93c2a82c625198f7a4aa601dfb")
# (package, version, file, sha256) of the binary packages behind the current iasl.
IASL_DEBS = (
    ("acpica-tools", "20260408-1", "acpica-tools_20260408-1_amd64.deb",
     "b982e5d5ecf0f86bf1228fff4f70c07163a82466d237f50d8d6bfc0931bd15ee"),
    ("libc6", "2.41-12+deb13u5", "libc6_2.41-12+deb13u5_amd64.deb",
     "b59b0625cd1a791375d40dab23a4d5d3d0641e3d0a773501becdc3725b7f99cf"),
)
IASL_VERSION = "20260408"


def _check(path: Path, sha: str) -> None:
    got = file_sha256(path)
    if got != sha:
        raise SystemExit(f"acpi-refs: {path.name}: sha256 {got} is not the pinned {sha}")


def fetch_iasl() -> Path:
    dest = CACHE / f"iasl-{IASL_VERSION}"
    wrapper = dest / "iasl"
    if wrapper.exists():
        return wrapper
    debs = CACHE / "debs"
    debs.mkdir(parents=True, exist_ok=True)
    # trixie's and sid's amd64 Packages indexes, private (crosscheck/debsrc.py), refreshed once a day.
    apt = Apt(CACHE / "apt-bin", suites=("trixie", "sid"), binary_arch="amd64")
    apt.update()
    tree = dest / "root"
    tree.mkdir(parents=True, exist_ok=True)
    for package, version, name, sha in IASL_DEBS:
        if not (debs / name).exists():
            apt.download([f"{package}={version}"], debs)
        _check(debs / name, sha)
        subprocess.run(["dpkg", "-x", str(debs / name), str(tree)], check=True, timeout=300)
    loader = tree / "usr" / "lib64" / "ld-linux-x86-64.so.2"
    libs = tree / "usr" / "lib" / "x86_64-linux-gnu"
    wrapper.write_text(f'#!/bin/sh\nexec "{loader}" --library-path "{libs}" "{tree}/usr/bin/iasl" "$@"\n')
    wrapper.chmod(0o755)
    print(f"acpi-refs: iasl {IASL_VERSION} at {wrapper}")
    return wrapper


def fetch_qemu() -> Path:
    package, version, orig, sha = QEMU
    upstream = version.split(":")[-1].split("+")[0]
    dest = CACHE / f"qemu-{upstream}"
    if (dest / "x86").is_dir():
        return dest
    apt = Apt(CACHE / "apt-src", suites=("sid",), log=print)
    apt.update()
    work = CACHE / "src"
    work.mkdir(parents=True, exist_ok=True)
    if not (work / orig).exists():
        subprocess.run(["apt-get", *apt.options(), "source", "--download-only", "--only-source",
                        f"{package}={version}"], cwd=work, check=True, capture_output=True, timeout=1800)
    _check(work / orig, sha)
    tmp = dest.with_name(dest.name + ".tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    with tarfile.open(work / orig) as tar:
        members = [m for m in tar.getmembers() if "/tests/data/acpi/" in m.name and m.isfile()]
        for m in members:
            rel = m.name.split("/tests/data/acpi/", 1)[1]
            out = tmp / rel
            out.parent.mkdir(parents=True, exist_ok=True)
            out.write_bytes(tar.extractfile(m).read())
    tmp.rename(dest)
    print(f"acpi-refs: QEMU {upstream} ACPI goldens at {dest}")
    return dest


def update_fixtures(qemu: Path, iasl: Path) -> None:
    """Copy the pinned tables (SHA256SUMS names them as ARCH-MACHINE-FILE.dat) and disassemble them."""
    import tempfile

    for line in (FIXTURES / "SHA256SUMS").read_text().splitlines():
        sha, name = line.split()
        arch, machine, rest = name[:-len(".dat")].split("-", 2)
        src = qemu / arch / machine / rest
        _check(src, sha)
        shutil.copyfile(src, FIXTURES / name)
        with tempfile.TemporaryDirectory() as tmp:
            shutil.copyfile(src, Path(tmp) / "t.dat")
            subprocess.run([str(iasl), "-d", "t.dat"], cwd=tmp, capture_output=True, timeout=60)
            text = (Path(tmp) / "t.dsl").read_text()
        text = "".join(ln for ln in text.splitlines(True) if not ln.startswith(" * Disassembly of "))
        (FIXTURES / name).with_suffix(".dsl").write_text(text)
    print(f"acpi-refs: fixtures in {FIXTURES} refreshed")


def report() -> None:
    """Per iasl present: how many committed QEMU tables and fields pvenum compared with it."""
    from pvenum.acpi import crosscheck, iasl, parse_table

    tables = sorted(FIXTURES.glob("*.dat"))
    for tool in iasl.available(CACHE):
        compared = skipped = mismatched = 0
        for path in tables:
            table = parse_table(path.read_bytes())
            result = crosscheck.compare(table, iasl.disassemble_with(tool, path.read_bytes()), version=tool.version)
            compared += result.compared
            skipped += len(result.skipped)
            mismatched += len(result.mismatches)
        print(f"iasl {tool.version}: {len(tables)} QEMU tables, {compared} fields compared, "
              f"{mismatched} mismatches, {skipped} lines skipped with a stated reason")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--update-fixtures", action="store_true")
    ap.add_argument("--report", action="store_true", help="compare the committed tables with every iasl present")
    args = ap.parse_args()
    if args.report:
        report()
        return 0
    try:
        iasl = fetch_iasl()
        if args.update_fixtures:
            update_fixtures(fetch_qemu(), iasl)
    except (Unavailable, FetchFailed, subprocess.CalledProcessError, subprocess.TimeoutExpired) as err:
        print(f"acpi-refs: {err}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
