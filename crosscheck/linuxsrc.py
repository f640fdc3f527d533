"""Fetch the Linux source files the ``linux@6.1``, ``linux@6.12`` and ``linux@7.2`` models were checked against.

    python -m crosscheck.linuxsrc [--cache .cache/linuxsrc]

Debian's linux source package for each release (6.1 from bookworm, 6.12 from trixie, 7.2 from sid) is
downloaded with apt through the private sources list of crosscheck/debsrc.py (apt checks the
tarball against the signed Sources index), its SHA-256 is printed, and only the few files the
rules cite are unpacked from the orig tarball into ``CACHE/VERSION/tree/`` (Debian's patches are
not applied: the rules read files the patch series leaves alone). Nothing here is committed;
docs/linux-releases.md records what was read.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

from .debsrc import Apt, FetchFailed, Unavailable, newest_first
from pvenum._io import file_sha256

# Which Debian suite carries each modelled release.
# 7.2 from sid: the newest release whose orig tarball the mirror serves (7.3.4's in trixie-backports,
# 7.2.9-13 and 7.3~rc7 are listed in Sources but answer 404; fetch() falls back newest first).
RELEASES = {"6.1": "bookworm", "6.12": "trixie", "7.2": "sid"}
# What the rules cite (fnmatch against the tarball's member names).
FILES = (
    "*/arch/x86/boot/compressed/sev.c", "*/arch/x86/boot/compressed/ident_map_64.c",
    "*/arch/x86/boot/compressed/head_64.S", "*/arch/x86/kernel/sev-shared.c", "*/arch/x86/kernel/sev.c",
    "*/arch/x86/coco/*", "*/arch/x86/mm/mem_encrypt_identity.c", "*/arch/x86/kernel/cpu/mshyperv.c",
    "*/arch/x86/hyperv/ivm.c", "*/arch/x86/kernel/cpu/hypervisor.c", "*/arch/x86/include/asm/*.h",
    "*/arch/x86/kernel/acpi/*.c", "*/arch/x86/kernel/smpboot.c", "*/arch/x86/kernel/kvm.c",
    "*/drivers/hv/hv_common.c", "*/drivers/virt/coco/*", "*/arch/arm64/kernel/rsi.c",
    "*/arch/arm64/hyperv/mshyperv.c", "*/arch/arm64/mm/init.c", "*/drivers/char/tpm/tpm_svsm.c",
    # Moved or added after 6.12: the SEV start-up code, bhyve (v6.18), Hyper-V's headers, the Kconfigs.
    "*/arch/x86/boot/startup/*", "*/arch/x86/kernel/cpu/bhyve.c", "*/include/hyperv/*", "*/arch/x86/Kconfig",
    "*/drivers/char/tpm/Kconfig", "*/arch/arm64/kernel/*.c", "*/arch/arm64/include/asm/*.h",
)


def fetch(cache: Path, release: str) -> Path:
    apt = Apt(cache / "apt", suites=(RELEASES[release],), log=lambda s: print(s, file=sys.stderr), timeout=3000)
    apt.update()
    versions = [s.version for s in apt.served("linux") if s.version.startswith(release + ".")]
    for version in newest_first(versions):  # the newest the mirror still serves
        dest = cache / version
        dest.mkdir(parents=True, exist_ok=True)
        res = subprocess.run(["apt-get", *apt.options(), "source", "--download-only", "--only-source",
                              f"linux={version}"], cwd=dest, capture_output=True, text=True, timeout=3000)
        tarballs = sorted(dest.glob("linux_*.orig.tar.xz"))
        if res.returncode != 0 or not tarballs:
            continue
        digest = file_sha256(tarballs[0])
        print(f"{version} {tarballs[0].name} sha256 {digest}")
        (dest / "tree").mkdir(exist_ok=True)
        subprocess.run(["tar", "-xJf", str(tarballs[0]), "-C", str(dest / "tree"), "--wildcards", *FILES],
                       capture_output=True, timeout=1800)
        return dest / "tree"
    raise FetchFailed(f"no linux {release}.x source the mirror serves could be downloaded")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cache", type=Path, default=Path(".cache/linuxsrc"))
    ap.add_argument("release", nargs="*", default=list(RELEASES))
    args = ap.parse_args(argv)
    try:
        for release in args.release:
            print(fetch(args.cache, release))
    except (Unavailable, FetchFailed) as err:
        print(f"linuxsrc: {err}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
