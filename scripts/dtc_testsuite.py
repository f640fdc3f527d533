#!/usr/bin/env python3
"""Build dtc's own test suite from Debian's device-tree-compiler source package and collect
every blob it writes (valid and deliberately broken) into .cache/dtc-testsuite/blobs/.

The source comes through apt with a private sources list (crosscheck/debsrc.py's Apt: the
machine's apt state is never touched); `make check` in the unpacked tree builds the test
programs and runs tests/run_tests.sh, which writes the .dtb files pvenum is then compared
on against libfdt's fdt_check_full() (tests/fdt/test_dtc_testsuite.py). Nothing built here
is committed: the few small blobs the fast test needs are copied to tests/data/fdt/dtc-suite/
by `--commit-samples` with their recipe (README.md there).

Usage: python scripts/dtc_testsuite.py [--cache DIR] [--commit-samples]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from crosscheck.debsrc import Apt, FetchFailed, Unavailable, _dpkg_source  # noqa: E402

PACKAGE = "device-tree-compiler"


def log(msg: str) -> None:
    print(f"dtc-testsuite: {msg}", file=sys.stderr, flush=True)


def build_deps() -> None:
    """dtc's `make check` needs a C compiler, flex, bison and (for the pylibfdt tests it
    skips without) nothing else; install the first three when root."""
    missing = [t for t in ("cc", "make", "flex", "bison") if shutil.which(t) is None]
    if not missing:
        return
    if os.geteuid() != 0:
        raise Unavailable(f"{', '.join(missing)} needed to build dtc's tests (not root: not installing)")
    pkgs = {"cc": "gcc", "make": "make", "flex": "flex", "bison": "bison"}
    log(f"apt-get install {' '.join(pkgs[m] for m in missing)}")
    subprocess.run(["apt-get", "install", "-y", "--no-install-recommends", *(pkgs[m] for m in missing)],
                   check=True, capture_output=True, timeout=900,
                   env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"})


def fetch_tree(cache: Path) -> tuple[Path, dict]:
    """The unpacked source tree (Debian patches applied) and its provenance."""
    tree = cache / "src"
    prov_path = cache / "provenance.json"
    if tree.is_dir() and prov_path.is_file():
        return tree, json.loads(prov_path.read_text())
    apt = Apt(cache / "apt", log=log)
    apt.update()
    served = apt.served(PACKAGE)
    if not served:
        raise Unavailable(f"no {PACKAGE} source listed in the private Debian indexes")
    # The newest version the mirror actually serves (an index may list one not yet mirrored).
    errors = []
    for pick in served:
        try:
            return _fetch_version(apt, pick, cache, tree, prov_path)
        except FetchFailed as err:
            errors.append(f"{pick.version}: {err}")
            log(f"{pick.version}: {err}")
    raise Unavailable("no version could be fetched: " + "; ".join(errors))


def _fetch_version(apt: Apt, pick, cache: Path, tree: Path, prov_path: Path) -> tuple[Path, dict]:
    work = Path(tempfile.mkdtemp(prefix="dtc-", dir=cache))
    try:
        log(f"apt-get source --download-only {PACKAGE}={pick.version}")
        res = apt._run(["apt-get", *apt.options(), "source", "--download-only", "--only-source",
                        f"{PACKAGE}={pick.version}"], cwd=work)
        dscs = sorted(work.glob("*.dsc"))
        if res.returncode != 0 or not dscs:
            raise FetchFailed(f"download failed: {res.stderr.strip()[-300:]}")
        res = apt._run([_dpkg_source(apt), "-x", dscs[0].name, str(work / "tree")], cwd=work, timeout=600)
        if res.returncode != 0:
            raise FetchFailed(f"dpkg-source -x failed: {res.stderr.strip()[-300:]}")
        if tree.exists():
            shutil.rmtree(tree)
        (work / "tree").rename(tree)
        prov = {
            "package": PACKAGE, "version": pick.version, "suites": list(pick.suites),
            "dsc": {"name": dscs[0].name, "sha256": hashlib.sha256(dscs[0].read_bytes()).hexdigest()},
            "fetched": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            "how": "apt-get source --download-only (private sources list) + dpkg-source -x",
        }
        prov_path.write_text(json.dumps(prov, indent=2) + "\n")
        return tree, prov
    finally:
        shutil.rmtree(work, ignore_errors=True)


def run_check(tree: Path) -> None:
    stamp = tree / ".pvenum-check-done"
    if stamp.exists():
        return
    build_deps()
    log("make -j2 NO_PYTHON=1 NO_YAML=1 NO_VALGRIND=1 check (builds the test programs and blobs)")
    env = {**os.environ, "NO_PYTHON": "1", "NO_YAML": "1", "NO_VALGRIND": "1"}
    res = subprocess.run(["make", "-j2", "NO_PYTHON=1", "NO_YAML=1", "check"], cwd=tree, env=env,
                         capture_output=True, text=True, timeout=3600)
    (tree.parent / "make-check.log").write_text(res.stdout + res.stderr)
    # run_tests.sh exits non-zero when any test fails (some need tools absent here); the
    # blobs it wrote are what we want either way.
    if not any((tree / "tests").glob("*.dtb")):
        raise FetchFailed(f"make check wrote no blobs (exit {res.returncode}); see make-check.log")
    stamp.touch()


def collect(tree: Path, cache: Path) -> list[Path]:
    out = cache / "blobs"
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    blobs = []
    for p in sorted((tree / "tests").rglob("*.dtb*")):
        if p.is_file() and p.suffix in (".dtb", ".dtbo") or p.name.endswith(".test.dtb"):
            dest = out / p.relative_to(tree / "tests").as_posix().replace("/", "__")
            shutil.copyfile(p, dest)
            blobs.append(dest)
    (cache / ".complete").write_text(f"{len(blobs)}\n")
    return blobs


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--cache", type=Path, default=ROOT / ".cache" / "dtc-testsuite")
    args = ap.parse_args()
    args.cache.mkdir(parents=True, exist_ok=True)
    try:
        tree, prov = fetch_tree(args.cache)
        run_check(tree)
        blobs = collect(tree, args.cache)
    except (Unavailable, FetchFailed, subprocess.SubprocessError) as err:
        log(f"unavailable: {err}")
        return 2
    log(f"{len(blobs)} blobs from {prov['package']} {prov['version']} in {args.cache / 'blobs'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
