"""Fetch the Linux source trees the ``linux`` model's releases are checked against.

    python -m crosscheck.linuxsrc [--cache .cache/linuxsrc] [RELEASE ...]

Debian's linux source package for each release (6.1 from bookworm, 6.12 from trixie, 6.17, 6.18,
6.19 and 7.1 from trixie-backports, 7.2 from sid) is downloaded with apt through the private
sources list of crosscheck/debsrc.py (apt checks the tarball against the signed Sources index;
for a backport whose .dsc the pool no longer has, the orig tarball alone, against the same
index: :func:`_orig_only`) and its SHA-256 is printed. crosscheck.linuxcites then unpacks only
the files the citations and the CHANGES markers name into ``CACHE/VERSION/tree/`` (Debian's
patches are not applied: the rules read files the patch series leaves alone). Nothing here is
committed; docs/linux-releases.md records what was read.
"""

from __future__ import annotations

import argparse
import http.client
import re
import sys
import urllib.request
from pathlib import Path

from .debsrc import Apt, FetchFailed, Unavailable, newest_first, tail
from pvenum._io import file_sha256
from pvenum._output import safe_join
from pvenum.errors import PvenumError

# Which Debian suite carries each modelled release.
# 7.2 from sid: the newest release whose orig tarball the mirror serves (7.3.4's in trixie-backports,
# 7.2.9-13 and 7.3~rc7 are listed in Sources but answer 404; fetch() falls back newest first).
RELEASES = {"6.1": "bookworm", "6.12": "trixie", "6.17": "trixie-backports", "6.18": "trixie-backports",
            "6.19": "trixie-backports", "7.1": "trixie-backports", "7.2": "sid"}
# One line of `apt-get source --print-uris`: 'URL' NAME SIZE SHA256:HEX.
_URI = re.compile(r"^'(?P<url>[^']+)' (?P<name>\S+) (?P<size>\d+) SHA256:(?P<sha256>[0-9a-f]{64})$")


def _orig_only(apt: Apt, version: str, dest: Path) -> list[Path]:
    """The orig tarball of ``version`` alone, for a backport whose .dsc and Debian tarball the
    mirror no longer serves while its orig tarball (shared with other uploads) is still there:
    ``apt-get source --print-uris`` gives its URL, size and SHA-256 from the signed Sources index;
    no more than that size is read, and the download is kept only when both match. [] when it
    cannot be had."""
    res = apt.source(f"linux={version}", uris_only=True, timeout=300)
    if res.returncode != 0:
        print(f"linux={version}: apt-get source --print-uris failed: {tail(res.stdout + res.stderr)}", file=sys.stderr)
        return []
    for line in res.stdout.splitlines():
        m = _URI.match(line)
        if m is None or not m["name"].endswith(".orig.tar.xz"):
            continue
        try:
            target, size = safe_join(dest, m["name"]), int(m["size"])  # a name from apt's output: kept under dest
        except PvenumError as err:
            print(f"{m['url']}: {err}", file=sys.stderr)
            return []
        if target.exists() and target.stat().st_size == size and file_sha256(target) == m["sha256"]:
            return [target]  # fetched before, and still what the index pins
        part = target.with_name(target.name + ".part")
        try:
            with urllib.request.urlopen(m["url"], timeout=600) as resp, open(part, "wb") as out:
                left = size + 1  # one byte more than the index says shows a longer answer
                while left and (chunk := resp.read(min(left, 1 << 20))):
                    out.write(chunk)
                    left -= len(chunk)
        except (OSError, http.client.HTTPException, ValueError) as err:  # HTTPException: a short or broken answer
            print(f"{m['url']}: {err}", file=sys.stderr)
            part.unlink(missing_ok=True)
            return []
        if part.stat().st_size != size or file_sha256(part) != m["sha256"]:
            print(f"{m['url']}: size or SHA-256 differs from the signed Sources index", file=sys.stderr)
            part.unlink()
            return []
        part.replace(target)
        return [target]
    print(f"linux={version}: apt-get source --print-uris names no orig tarball", file=sys.stderr)
    return []


def fetch(cache: Path, release: str) -> Path:
    """The orig tarball of the newest ``release``.x the mirror serves, downloaded into the cache
    (crosscheck.linuxcites unpacks the files it reads from it)."""
    apt = Apt(cache / "apt", suites=(RELEASES[release],), log=lambda s: print(s, file=sys.stderr), timeout=3000)
    apt.update()
    versions = [s.version for s in apt.served("linux") if s.version.startswith(release + ".")]
    for version in newest_first(versions):  # the newest the mirror still serves
        dest = cache / version
        dest.mkdir(parents=True, exist_ok=True)
        res = apt.source(f"linux={version}", cwd=dest)
        tarballs = sorted(dest.glob("linux_*.orig.tar.xz"))
        if res.returncode != 0 or not tarballs:
            tarballs = _orig_only(apt, version, dest)
        if not tarballs:
            continue
        print(f"{version} {tarballs[0].name} sha256 {file_sha256(tarballs[0])}")
        return tarballs[0]
    raise FetchFailed(f"no linux {release}.x source the mirror serves could be downloaded")


def check_releases(ap: argparse.ArgumentParser, releases: list[str]) -> None:
    """A usage error for a release not in RELEASES (argparse's choices= cannot check nargs="*"
    with a list default on Python 3.11)."""
    unknown = [r for r in releases if r not in RELEASES]
    if unknown:
        ap.error(f"unknown release {unknown[0]} (known: {', '.join(RELEASES)})")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cache", type=Path, default=Path(".cache/linuxsrc"))
    ap.add_argument("release", nargs="*", default=list(RELEASES))
    args = ap.parse_args(argv)
    check_releases(ap, args.release)
    try:
        for release in args.release:
            print(fetch(args.cache, release))
    except (Unavailable, FetchFailed) as err:
        print(f"linuxsrc: {err}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
