#!/usr/bin/env python3
"""Build qemu-system-x86_64 from Debian's qemu source package with kernelcheck/qemu-cpuid.patch,
so a TCG guest sees a scenario's own CPUID leaves and SEV_STATUS (see the patch's header).

    python kernelcheck/qemubuild.py [--cache DIR] [--jobs N]

Once, cached: the upstream tarball of Debian's qemu 1:10.2.2+ds-1 is downloaded with
``apt-get source --download-only`` through a private sources list (crosscheck/debsrc.py) and
checked against the sha256 pinned below; it is unpacked into ``.cache/kernelcheck/qemu-pvenum/src``,
patched, configured for the one target with every optional feature off, and built with ninja
(nice'd) into ``.cache/kernelcheck/qemu-pvenum/build``. Meson 1.9 (QEMU 10.2 wants >= 1.5;
bookworm has 1.0) comes from PyPI into a venv beside it. ``build.json`` records the versions and
how long each step took; docs/kernelcheck.md prints it. Debian's own patch queue is not applied
(none of it touches the files the patch changes or TCG's CPUID/RDMSR paths).

Exit 0 with the binary's path on stdout; 2 with the reason when it cannot be built here.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tarfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from pvenum._io import file_sha256  # noqa: E402  (after ROOT joins sys.path for script runs)
from pvenum._output import atomic_write  # noqa: E402

CACHE = ROOT / ".cache" / "kernelcheck"
PATCH = ROOT / "kernelcheck" / "qemu-cpuid.patch"
# (source package, version, upstream tarball, its sha256 as served by Debian)
SOURCE = ("qemu", "1:10.2.2+ds-1", "qemu_10.2.2+ds.orig.tar.xz",
          "be05230fe47a6937cd29f28f562932c8125f9c93c2a82c625198f7a4aa601dfb")
MESON = ("meson==1.9.0", "pycotap==1.3.1")  # QEMU 10.2 pythondeps.toml [meson], installed versions
CONFIGURE = ["--target-list=x86_64-softmmu", "--without-default-features", "--disable-docs",
             "--disable-werror", "--disable-tools", "--disable-user", "--disable-guest-agent",
             "--disable-download", "--disable-install-blobs"]
BUILD_DEPS = ("gcc", "ninja", "pkg-config", "patch")  # + libglib2.0-dev libfdt-dev zlib1g-dev (sysdeps.sh)


def home(cache: Path = CACHE) -> Path:
    return cache / "qemu-pvenum"


def binary(cache: Path = CACHE) -> Path | None:
    """The patched qemu-system-x86_64, when built from the current patch."""
    out = home(cache) / "build" / "qemu-system-x86_64"
    rec = home(cache) / "build.json"
    if not out.is_file() or not rec.is_file():
        return None
    if json.loads(rec.read_text()).get("patch_sha256") != file_sha256(PATCH):
        return None
    return out


def record(cache: Path = CACHE) -> dict | None:
    rec = home(cache) / "build.json"
    return json.loads(rec.read_text()) if rec.is_file() else None


def missing() -> str | None:
    for tool in BUILD_DEPS:
        if shutil.which(tool) is None:
            return f"{tool} not found (./scripts/sysdeps.sh kernelcheck installs the build dependencies)"
    if subprocess.run(["pkg-config", "--exists", "glib-2.0", "zlib"], capture_output=True).returncode:
        return "glib-2.0 or zlib development files not found (apt-get install libglib2.0-dev zlib1g-dev)"
    return None


def fetch_source(cache: Path) -> Path:
    from crosscheck.debsrc import Apt, FetchFailed, Unavailable, tail

    package, version, orig, sha = SOURCE
    work = home(cache) / "debsrc"
    work.mkdir(parents=True, exist_ok=True)
    if not (work / orig).exists():
        apt = Apt(home(cache) / "apt-src", suites=("sid",), log=print)
        why = apt.missing()
        if why:
            raise SystemExit(f"qemubuild: {why}")
        try:  # a timed-out apt-get is one line, as the failures below are
            apt.update()
            res = apt.source(f"{package}={version}", cwd=work, timeout=1800)
        except (FetchFailed, Unavailable) as err:  # Apt.update(): a timed-out or failed apt-get update
            raise SystemExit(f"qemubuild: {err}") from None
        if res.returncode != 0:
            raise SystemExit(f"qemubuild: apt-get source {package}={version} failed: {tail(res.stdout + res.stderr)}")
    got = file_sha256(work / orig)
    if got != sha:
        raise SystemExit(f"qemubuild: {orig}: sha256 {got} is not the pinned {sha}")
    return work / orig


def _step(name: str, times: dict, cmd: list[str], **kw) -> None:
    t0 = time.monotonic()
    print(f"qemubuild: {name}: {' '.join(cmd[:3])} ...", flush=True)
    subprocess.run(cmd, check=True, **kw)
    times[name] = round(time.monotonic() - t0)


def build(cache: Path = CACHE, jobs: int = 2) -> Path:
    have = binary(cache)
    if have:
        return have
    d = home(cache)
    times: dict[str, int] = {}
    t0 = time.monotonic()
    orig = fetch_source(cache)
    times["fetch"] = round(time.monotonic() - t0)
    src, bld = d / "src", d / "build"
    for p in (src, bld):
        shutil.rmtree(p, ignore_errors=True)
    t1 = time.monotonic()
    with tarfile.open(orig) as tar:
        top = tar.next().name.split("/")[0]
        tar.extractall(d, filter="tar")
    (d / top).rename(src)
    times["unpack"] = round(time.monotonic() - t1)
    _step("patch", times, ["patch", "-p1", "-i", str(PATCH)], cwd=src, capture_output=True)
    venv = d / "meson-venv"
    if not (venv / "bin" / "meson").exists():
        _step("meson", times, [sys.executable, "-m", "venv", str(venv)])
        subprocess.run([str(venv / "bin" / "pip"), "install", "-q", *MESON], check=True, timeout=600)
    bld.mkdir()
    nice = ["nice", "-n", "19"] + (["ionice", "-c3"] if shutil.which("ionice") else [])
    _step("configure", times, [*nice, str(src / "configure"), f"--python={venv / 'bin' / 'python3'}", *CONFIGURE],
          cwd=bld, stdout=subprocess.DEVNULL)
    _step("ninja", times, [*nice, "ninja", "-j", str(jobs), "qemu-system-x86_64"], cwd=bld, stdout=subprocess.DEVNULL)
    rec = {"source": f"{SOURCE[0]} {SOURCE[1]}", "tarball": SOURCE[2], "sha256": SOURCE[3],
           "patch_sha256": file_sha256(PATCH), "configure": CONFIGURE, "jobs": jobs, "nproc": os.cpu_count(),
           "seconds": times, "total_seconds": round(time.monotonic() - t0)}
    atomic_write(d / "build.json", json.dumps(rec, indent=1) + "\n")
    return bld / "qemu-system-x86_64"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--cache", type=Path, default=CACHE)
    ap.add_argument("--jobs", type=int, default=2)
    args = ap.parse_args(argv)
    why = missing()
    if why:
        print(f"qemubuild: {why}", file=sys.stderr)
        return 2
    out = build(args.cache, args.jobs)
    rec = record(args.cache)
    print(f"qemubuild: {out} ({rec['total_seconds'] if rec else '?'} s to build)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
