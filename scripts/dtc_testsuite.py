#!/usr/bin/env python3
"""Run dtc's own test suite and collect every blob it writes (valid and deliberately broken)
into one directory with a SHA256SUMS list and a SOURCE note.

The dtc source tree comes either from a path (`--dtc-tree DIR`: a checkout or unpacked
release of https://git.kernel.org/pub/scm/utils/dtc/dtc.git, e.g. tag v1.8.1) or from
Debian's device-tree-compiler source package, fetched through apt with a private sources
list (crosscheck/debsrc.py's Apt: the machine's apt state is never touched). `make check`
in that tree builds the test programs and runs tests/run_tests.sh, which writes the .dtb
files (trees.S, dumptrees.c, the dtc/fdtput/fdtoverlay runs, the nopulate, mangle-layout
and open_pack copies) that tests/fdt/test_dtc_testsuite.py compares pvenum with libfdt on.

The blobs committed in tests/data/fdt/dtc-testsuite/ were made by
  python scripts/dtc_testsuite.py --dtc-tree DIR --out tests/data/fdt/dtc-testsuite
(recipe and licence: README.md there).

Usage: python scripts/dtc_testsuite.py [--dtc-tree DIR] [--out DIR] [--cache DIR]
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
from pvenum._io import file_sha256  # noqa: E402

PACKAGE = "device-tree-compiler"
# Python bindings and YAML output are not needed for the blobs, and may be absent.
CHECK = ["make", "-j2", "NO_PYTHON=1", "NO_YAML=1", "NO_VALGRIND=1", "check"]
SUMS = "SHA256SUMS"
SOURCE = "SOURCE"


def log(msg: str) -> None:
    print(f"dtc-testsuite: {msg}", file=sys.stderr, flush=True)


def build_deps() -> None:
    """dtc's `make check` needs a C compiler, make, flex and bison; install them when root."""
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
    """The unpacked Debian source tree (Debian patches applied) and its provenance."""
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
            "source": f"Debian {PACKAGE} {pick.version}",
            "dsc": {"name": dscs[0].name, "sha256": file_sha256(dscs[0])},
            "how": "apt-get source --download-only (private sources list) + dpkg-source -x",
        }
        prov_path.write_text(json.dumps(prov, indent=2) + "\n")
        return tree, prov
    finally:
        shutil.rmtree(work, ignore_errors=True)


def tree_provenance(tree: Path) -> dict:
    """What a given dtc tree is: its VERSION.txt and, in a git checkout, the commit."""
    version = tree / "VERSION.txt"
    prov = {"source": "dtc source tree" + (f" {version.read_text().strip()}" if version.is_file() else "")}
    if (tree / ".git").exists() and shutil.which("git"):
        res = subprocess.run(["git", "-C", str(tree), "describe", "--tags", "--always", "--dirty", "--long"],
                             capture_output=True, text=True, timeout=60)
        head = subprocess.run(["git", "-C", str(tree), "rev-parse", "HEAD"],
                              capture_output=True, text=True, timeout=60)
        if res.returncode == 0 and head.returncode == 0:
            prov["git"] = f"{res.stdout.strip()} ({head.stdout.strip()})"
    return prov


def compiler() -> str:
    """The C compiler's banner (trees.S is assembled by it into the blobs dumptrees writes)."""
    res = subprocess.run(["cc", "--version"], capture_output=True, text=True, timeout=60)
    return res.stdout.splitlines()[0] if res.returncode == 0 and res.stdout else "cc (unknown version)"


def run_check(tree: Path, log_path: Path) -> int:
    """`make check` in the tree; its exit status (the blobs are wanted even if a test fails)."""
    build_deps()
    log(f"{' '.join(CHECK)} in {tree} (builds the test programs, runs tests/run_tests.sh)")
    res = subprocess.run(CHECK, cwd=tree, capture_output=True, text=True, timeout=3600,
                         env={**os.environ, "NO_PYTHON": "1", "NO_YAML": "1", "NO_VALGRIND": "1"})
    log_path.parent.mkdir(parents=True, exist_ok=True)
    log_path.write_text(res.stdout + res.stderr)
    summary = [line for line in (res.stdout + res.stderr).splitlines() if line.startswith("*")]
    for line in summary:
        log(line)
    if not any((tree / "tests").glob("*.dtb")):
        raise FetchFailed(f"make check wrote no blobs (exit {res.returncode}); see {log_path}")
    return res.returncode


def blobs_of(tree: Path) -> list[Path]:
    """Every .dtb under tests/ (run_tests.sh writes them all there, most as *.test.dtb)."""
    return sorted(p for p in (tree / "tests").rglob("*.dtb") if p.is_file())


def _write_atomic(path: Path, data: bytes) -> None:
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def collect(tree: Path, out: Path, prov: dict, check_rc: int | None) -> list[str]:
    """Copy the blobs into out/ (flat names), write SHA256SUMS and SOURCE; drop blobs an earlier
    run listed in SHA256SUMS that this run did not write (nothing else is removed)."""
    out.mkdir(parents=True, exist_ok=True)
    old = set()
    if (out / SUMS).is_file():
        old = {line.split("  ", 1)[1] for line in (out / SUMS).read_text().splitlines() if "  " in line}
    sums, names = [], []
    for p in blobs_of(tree):
        name = p.relative_to(tree / "tests").as_posix().replace("/", "__")
        data = p.read_bytes()
        _write_atomic(out / name, data)
        sums.append(f"{hashlib.sha256(data).hexdigest()}  {name}")
        names.append(name)
    for stale in old - set(names):
        if "/" not in stale and (out / stale).is_file():
            (out / stale).unlink()
    _write_atomic(out / SUMS, ("\n".join(sums) + "\n").encode())
    lines = [f"{k}: {v}" for k, v in prov.items() if k != "dsc"]
    if "dsc" in prov:
        lines.append(f"dsc: {prov['dsc']['name']} sha256 {prov['dsc']['sha256']}")
    lines.append(f"command: {' '.join(CHECK)}" + ("" if check_rc is None else f" (exit {check_rc})"))
    if check_rc is not None:
        lines.append(f"compiler: {compiler()}")
    lines.append(f"blobs: {len(names)} (every *.dtb under tests/; list and sha256 in {SUMS})")
    _write_atomic(out / SOURCE, ("\n".join(lines) + "\n").encode())
    return names


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--dtc-tree", type=Path, help="a dtc source tree to build and test (instead of Debian's)")
    ap.add_argument("--no-check", action="store_true",
                    help="collect what an earlier `make check` in --dtc-tree left, without running it")
    ap.add_argument("--cache", type=Path, default=ROOT / ".cache" / "dtc-testsuite")
    ap.add_argument("--out", type=Path, help="where the blobs go (default: CACHE/blobs)")
    args = ap.parse_args()
    out = args.out or args.cache / "blobs"
    try:
        if args.dtc_tree is not None:
            tree = args.dtc_tree.resolve()
            if not (tree / "tests" / "run_tests.sh").is_file():
                log(f"{args.dtc_tree}: not a dtc source tree (no tests/run_tests.sh)")
                return 2
            prov = tree_provenance(tree)
            rc = None if args.no_check else run_check(tree, args.cache / "make-check.log")
        else:
            if args.no_check:
                log("--no-check needs --dtc-tree")
                return 2
            args.cache.mkdir(parents=True, exist_ok=True)
            tree, prov = fetch_tree(args.cache)
            rc = run_check(tree, args.cache / "make-check.log")
        names = collect(tree, out, prov, rc)
    except (Unavailable, FetchFailed, subprocess.SubprocessError) as err:
        log(f"unavailable: {err}")
        return 2
    log(f"{len(names)} blobs from {prov['source']} in {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
