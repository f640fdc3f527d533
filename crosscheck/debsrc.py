"""Debian source packages, fetched with apt through a private configuration.

The machine's own apt state is never touched: a sources list of ours (deb-src lines for
bookworm, bookworm-backports, trixie and sid) and private ``Dir::State::Lists`` /
``Dir::Cache`` directories live under the cache directory (``.cache/crosscheck/apt``).
``apt-get source --download-only`` downloads the .dsc and its tarballs (apt checks them against
the signed Sources index), ``dpkg-source -x`` unpacks them with Debian's patches applied, the
few files the cross-check compiles are copied into ``.cache/crosscheck/sources/PKG_VERSION/``
with a provenance record, and the rest is deleted.

When a version's source files cannot be downloaded but its binary package can (the archive may
serve one and not the other), a package listed in WANTED_BINARY falls back to the program Debian
compiled from that very source: ``apt-get download`` (checked against the signed Packages indexes
of the same suites, and against PINNED_DEB) and ``dpkg-deb -x``;
crosscheck/harness.py runs that binary instead of compiling (provenance "form": "binary").

Every way this can fail raises :class:`Unavailable` with a sentence saying why; callers show it
as the skip reason.
"""

from __future__ import annotations

import fnmatch
import functools
import json
import os
import re
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Sequence

from pvenum._io import file_sha256

DEFAULT_MIRROR = os.environ.get("PVENUM_DEBIAN_MIRROR", "http://deb.debian.org/debian")
SUITES = ("bookworm", "bookworm-backports", "trixie", "sid")
KEYRING = Path("/usr/share/keyrings/debian-archive-keyring.gpg")
LISTS_MAX_AGE = 24 * 3600  # seconds before the private Sources indexes are refreshed

# What the cross-check compiles, per source package: name in the cache -> path pattern in the
# unpacked tree (fnmatch against the path relative to the tree). Optional files may be absent.
WANTED: dict[str, dict[str, tuple[str, bool]]] = {
    "systemd": {
        "confidential-virt.c": ("src/basic/confidential-virt.c", True),
        "confidential-virt.h": ("src/basic/confidential-virt.h", True),
        "confidential-virt-fundamental.h": ("src/*/confidential-virt-fundamental.h", False),
    },
    "virt-what": {
        "virt-what-cvm.c": ("virt-what-cvm.c", True),
    },
}


# A source package whose compiled program can stand in for its source: per binary package built
# from it, name in the cache -> path pattern in the unpacked .deb (fnmatch). Only programs whose
# CPUID and MSR reads the preload shim answers (crosscheck/shim/pvshim_preload.c): virt-what-cvm
# executes one inline "cpuid"; systemd-detect-virt --cvm runs detect_confidential_virtualization()
# inside libsystemd-shared-VERSION.so, which it loads from LD_LIBRARY_PATH ahead of its RUNPATH.
WANTED_BINARY: dict[str, dict[str, dict[str, str]]] = {
    "virt-what": {"virt-what": {"virt-what-cvm": "usr/sbin/virt-what-cvm"}},
    "systemd": {
        "systemd": {"systemd-detect-virt": "usr/bin/systemd-detect-virt"},
        "libsystemd-shared": {"libsystemd-shared-*.so": "usr/lib/*/systemd/libsystemd-shared-*.so"},
    },
}


# The source packages whose results pvenum publishes, pinned by the sha256 of their .dsc (as the
# signed Sources index of the suite lists it; the .dsc in turn pins every tarball's sha256). A
# fetched or cached source of a pinned version whose .dsc differs is refused; a version not
# listed here is still checked, and its provenance and the results say "unpinned".
PINNED_DSC: dict[tuple[str, str], str] = {
    ("systemd", "257.13-1~deb13u1"): "1b3405d671a82d1e20c9d99f52d4336aafe8543b28d04e91b7f1f586d3a667c7",  # trixie
    ("systemd", "262.1-1"): "57060371066771ba54178f23a1672ee3462248a638c404887b35c739161638b1",  # sid
    ("virt-what", "1.27-1"): "3effdc5f076f8762bc4c75d7ddcefffa8458ac3f836bbfbdbaa87c7e383587f4",  # trixie, sid
}


# The binary packages a fallback may run, pinned by the sha256 of the .deb (as the signed Packages
# index lists it). Unlike a source, an unpinned binary is refused: pvenum publishes what it ran.
PINNED_DEB: dict[tuple[str, str, str], str] = {
    ("virt-what", "1.27-1", "amd64"): "734a7fd02e41ced2cce7975a6dff6b01932a50170f36f8153274541a6c59452f",  # trixie, sid
    ("systemd", "262.1-1", "amd64"): "17cfb580aa1ad0a06bb68e7c284d06cd4ee856269a0c3e4f2a89205c3f9a1608",  # sid
    ("libsystemd-shared", "262.1-1", "amd64"): "0fdbfa3a91fa6b2279468d3cb9d0012f7c637616acaa8babeaa123470e4a2f4a",  # sid
    # systemd-detect-virt's aarch64 branch, run under qemu-aarch64 (crosscheck/aarch64.py)
    ("systemd", "262.1-1", "arm64"): "529d0a026f68eacaf9a0f0ebe23e154470cbadb1bef44e96f73d6124afe3c8cb",  # sid
    ("libsystemd-shared", "262.1-1", "arm64"): "f465cc7b36123da25df588375852b67f6551e769faaae641493673c4659f9587",  # sid
    ("libc6", "2.41-12+deb13u5", "arm64"): "0966fc3da1a26cc57647c68b5736f791b6e7eb498173a7993f63b6c89b4ed4f5",  # trixie
    # virt-what-cvm on aarch64 (no detection there): sid's binNMU and trixie's build of 1.27-1
    ("virt-what", "1.27-1+b1", "arm64"): "17633ac67fb270dc0280e8f33dde42c110749cfca5e97d1b4b301cc3759a584d",  # sid
    ("virt-what", "1.27-1", "arm64"): "6769c00cf2c3157f52f7df6b10770f110dcad250d15f25f9f0fbe82764cd7f67",  # trixie
}

# What a program of a foreign architecture needs besides its own packages to run under
# qemu-user: per Debian architecture, binary package -> (version, name -> path pattern). Debian
# 262.1's systemd-detect-virt and libsystemd-shared need libc.so.6 and libm.so.6 alone (readelf -d:
# NEEDED; the rest is dlopen()ed, and Depends names libc6 (>= 2.34) alone); trixie's
# libc6 is the one picked because a stable release changes it least often.
FOREIGN_RUNTIME: dict[str, dict[str, tuple[str, dict[str, str]]]] = {
    "arm64": {"libc6": ("2.41-12+deb13u5", {
        "ld-linux-aarch64.so.1": "usr/lib/aarch64-linux-gnu/ld-linux-aarch64.so.1",
        "libc.so.6": "usr/lib/aarch64-linux-gnu/libc.so.6",
        "libm.so.6": "usr/lib/aarch64-linux-gnu/libm.so.6",  # NEEDED by both of systemd's files
    })},
}


def pin_problem(package: str, version: str, dsc_sha256: str | None) -> str | None:
    """Why a source of this version does not match its pin (None: it matches or is not pinned)."""
    want = PINNED_DSC.get((package, version))
    if want is None or dsc_sha256 == want:
        return None
    return f"{package} {version}: .dsc sha256 {dsc_sha256} is not the pinned {want}"


def deb_pin_problem(package: str, version: str, arch: str, deb_sha256: str | None) -> str | None:
    """Why a binary package does not match its pin (None: it matches); an unpinned one is refused."""
    want = PINNED_DEB.get((package, version, arch))
    if want is None:
        return f"{package} {version} {arch}: no pinned .deb sha256 (crosscheck/debsrc.py PINNED_DEB)"
    if deb_sha256 != want:
        return f"{package} {version} {arch}: .deb sha256 {deb_sha256} is not the pinned {want}"
    return None


def binary_packages(package: str, version: str, arch: str) -> dict[str, tuple[str, dict[str, str]]]:
    """What a binary check of ``package`` ``version`` on ``arch`` downloads: binary package ->
    (its version, name -> path pattern); the FOREIGN_RUNTIME too when ``arch`` is not this machine's."""
    out = {binary: (version, names) for binary, names in WANTED_BINARY[package].items()}
    if arch != host_arch():
        out.update(FOREIGN_RUNTIME.get(arch, {}))
    return out


@functools.cache  # asked once per cache entry and per fetch; the answer does not change
def host_arch() -> str:
    """Debian's name for this machine's architecture (dpkg --print-architecture)."""
    try:
        res = subprocess.run(["dpkg", "--print-architecture"], capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        return "unknown"
    return res.stdout.strip() or "unknown"


class Unavailable(Exception):
    """The source cannot be had on this machine; the message says why."""


class FetchFailed(Exception):
    """One version could not be downloaded or unpacked (another may still work)."""


# -- Debian version ordering (dpkg's verrevcmp) --------------------------------------------------


def _order(c: str) -> int:
    if c.isdigit():
        return 0
    if c.isalpha():
        return ord(c)
    if c == "~":
        return -1
    return ord(c) + 256


def _verrevcmp(a: str, b: str) -> int:
    i = j = 0
    while i < len(a) or j < len(b):
        first_diff = 0
        while (i < len(a) and not a[i].isdigit()) or (j < len(b) and not b[j].isdigit()):
            ac = _order(a[i]) if i < len(a) else 0
            bc = _order(b[j]) if j < len(b) else 0
            if ac != bc:
                return ac - bc
            i += 1
            j += 1
        while i < len(a) and a[i] == "0":
            i += 1
        while j < len(b) and b[j] == "0":
            j += 1
        while i < len(a) and a[i].isdigit() and j < len(b) and b[j].isdigit():
            if not first_diff:
                first_diff = ord(a[i]) - ord(b[j])
            i += 1
            j += 1
        if i < len(a) and a[i].isdigit():
            return 1
        if j < len(b) and b[j].isdigit():
            return -1
        if first_diff:
            return first_diff
    return 0


def _split(version: str) -> tuple[int, str, str]:
    epoch, _, rest = version.rpartition(":") if ":" in version else ("0", "", version)
    upstream, _, revision = rest.rpartition("-") if "-" in rest else (rest, "", "")
    return int(epoch or 0), upstream, revision


def compare_versions(a: str, b: str) -> int:
    """<0, 0, >0 as Debian orders versions a and b (epoch, upstream, revision)."""
    ea, ua, ra = _split(a)
    eb, ub, rb = _split(b)
    if ea != eb:
        return ea - eb
    return _verrevcmp(ua, ub) or _verrevcmp(ra, rb)


def upstream_of(version: str) -> str:
    return _split(version)[1]


def upstream_major(version: str) -> int:
    m = re.match(r"\d+", upstream_of(version))
    return int(m.group()) if m else -1


def newest_first(versions: Iterable[str]) -> list[str]:
    import functools

    return sorted(set(versions), key=functools.cmp_to_key(compare_versions), reverse=True)


# -- records -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Served:
    """One version of a source package and the suites whose Sources index lists it."""

    package: str
    version: str
    suites: tuple[str, ...]


@dataclass
class Source:
    """Files of one fetched source version, ready to compile."""

    package: str
    version: str
    directory: Path
    provenance: dict = field(default_factory=dict)

    @property
    def suites(self) -> list[str]:
        return list(self.provenance.get("suites", []))

    @property
    def form(self) -> str:
        """"source" (files to compile) or "binary" (Debian's compiled program, WANTED_BINARY)."""
        return self.provenance.get("form", "source")

    def path(self, name: str) -> Path:
        return self.directory / name

    def has(self, name: str) -> bool:
        return (self.directory / name).is_file()


def tail(text: str, lines: int = 3) -> str:
    kept = [ln.strip() for ln in text.strip().splitlines() if ln.strip()]
    errors = [ln for ln in kept if ln.startswith(("E:", "Err:", "dpkg-source: error"))]
    return " | ".join((errors or kept)[-lines:])


# -- the private apt -------------------------------------------------------------------------------


class Apt:
    """apt-get / apt-cache with a private sources list, lists and cache under ``root``: the
    suites' Sources indexes, or with ``binary_arch`` their Packages indexes for that
    architecture (a root of its own, so neither list replaces the other)."""

    def __init__(self, root: Path, *, mirror: str = DEFAULT_MIRROR, suites: Iterable[str] = SUITES,
                 timeout: float = 240.0, log: Callable[[str], None] = lambda s: None,
                 binary_arch: str | None = None) -> None:
        self.root = Path(root).resolve()  # apt reads its Dir:: options relative to its own root, not ours
        self.mirror = mirror
        self.suites = tuple(suites)
        self.timeout = timeout
        self.log = log
        self.binary_arch = binary_arch

    # -- configuration -------------------------------------------------------------------------
    def missing(self) -> str | None:
        """Why apt cannot be used here, or None."""
        for tool in ("apt-get", "apt-cache"):
            if shutil.which(tool) is None:
                return f"{tool} not found (not a Debian-like system)"
        if not KEYRING.is_file():
            return f"{KEYRING} not found (apt-get install debian-archive-keyring)"
        return None

    @property
    def sources_list(self) -> Path:
        return self.root / "sources.list"

    def options(self) -> list[str]:
        opts = {
            "Dir::Etc::sourcelist": str(self.sources_list),
            "Dir::Etc::sourceparts": "-",
            "Dir::State::Lists": str(self.root / "lists"),
            "Dir::Cache": str(self.root / "cache"),
            "Dir::Cache::archives": str(self.root / "cache" / "archives"),
            "APT::Get::List-Cleanup": "1",
            "Acquire::http::Timeout": "30",
            "Acquire::https::Timeout": "30",
            "Acquire::Retries": "1",
            "Acquire::Languages": "none",
            "Debug::NoLocking": "1",  # our private lists need no lock against the system's apt
        }
        if self.binary_arch is not None:
            # The Packages indexes apt reads, and the architectures "PKG:ARCH=VERSION" may name.
            opts["APT::Architectures"] = self.binary_arch
        if os.geteuid() == 0:
            # apt would hand downloads to the _apt user, who cannot write into our cache.
            opts["APT::Sandbox::User"] = "root"
        out: list[str] = []
        for k, v in opts.items():
            out += ["-o", f"{k}={v}"]
        return out

    def _write_config(self) -> None:
        (self.root / "lists" / "partial").mkdir(parents=True, exist_ok=True)
        (self.root / "cache" / "archives" / "partial").mkdir(parents=True, exist_ok=True)
        kind = "deb-src" if self.binary_arch is None else "deb"
        arch = "" if self.binary_arch is None else f"arch={self.binary_arch} "
        text = "".join(
            f"{kind} [{arch}signed-by={KEYRING}] {self.mirror} {suite} main\n" for suite in self.suites
        )
        if not self.sources_list.exists() or self.sources_list.read_text() != text:
            self.sources_list.write_text(text)
            stamp = self.root / "lists" / ".updated"
            if stamp.exists():
                stamp.unlink()

    def _run(self, args: list[str], *, cwd: Path | None = None, timeout: float | None = None) -> subprocess.CompletedProcess:
        env = {**os.environ, "LC_ALL": "C", "DEBIAN_FRONTEND": "noninteractive"}
        try:
            return subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True,
                                  timeout=timeout or self.timeout)
        except subprocess.TimeoutExpired:
            raise FetchFailed(f"{' '.join(args[:2])} timed out after {timeout or self.timeout:.0f} s") from None

    # -- indexes ---------------------------------------------------------------------------------
    def lists_age(self) -> float | None:
        stamp = self.root / "lists" / ".updated"
        return time.time() - stamp.stat().st_mtime if stamp.exists() else None

    def update(self, *, max_age: float = LISTS_MAX_AGE) -> None:
        why = self.missing()
        if why:
            raise Unavailable(why)
        self._write_config()
        age = self.lists_age()
        if age is not None and age < max_age:
            return
        what = "Sources" if self.binary_arch is None else f"{self.binary_arch} Packages"
        self.log(f"apt-get update (private lists: {', '.join(self.suites)} {what} from {self.mirror})")
        try:
            res = self._run(["apt-get", *self.options(), "update"])
        except FetchFailed as err:
            raise Unavailable(f"cannot refresh the Debian {what} indexes: {err}") from None
        if res.returncode != 0 or "Err:" in res.stdout:
            # Partial success (one suite unreachable) still leaves usable indexes.
            if not any((self.root / "lists").glob(f"*{what.split()[-1]}*")):
                raise Unavailable(f"apt-get update failed: {tail(res.stdout + res.stderr)}")
            self.log(f"apt-get update: some indexes failed: {tail(res.stdout + res.stderr)}")
        (self.root / "lists" / ".updated").touch()

    def served(self, package: str) -> list[Served]:
        """Versions the private indexes list for source ``package``, newest first; with
        ``binary_arch``, the versions of its program's binary package (WANTED_BINARY's first)."""
        name = package if self.binary_arch is None else f"{next(iter(WANTED_BINARY[package]))}:{self.binary_arch}"
        index = "Sources" if self.binary_arch is None else "Packages"
        try:
            res = self._run(["apt-cache", *self.options(), "madison", name], timeout=60)
        except FetchFailed as err:
            raise Unavailable(str(err)) from None
        by_version: dict[str, list[str]] = {}
        for line in res.stdout.splitlines():
            parts = [p.strip() for p in line.split("|")]
            if len(parts) != 3 or parts[0] not in (package, name) or not parts[2].endswith(index):
                continue
            fields = parts[2].split()
            suite = fields[1].split("/")[0] if len(fields) >= 3 else "?"
            by_version.setdefault(parts[1], []).append(suite)
        return [Served(package, v, tuple(by_version[v])) for v in newest_first(by_version)]

    def download(self, specs: Sequence[str], into: Path) -> list[Path]:
        """``apt-get download`` of binary packages (``PKG=VERSION``; apt checks each against the
        signed Packages index), in one run: each run first reads every index. The .deb files are
        moved into ``into`` and returned, one per spec; FetchFailed says why not."""
        into.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(dir=into) as tmp:
            res = self._run(["apt-get", *self.options(), "download", *specs], cwd=Path(tmp), timeout=900)
            debs = sorted(Path(tmp).glob("*.deb"))
            if res.returncode != 0 or len(debs) != len(specs):
                raise FetchFailed(f"apt-get download {' '.join(specs)}: {tail(res.stdout + res.stderr)}")
            out = []
            for deb in debs:
                out.append(into / deb.name)
                deb.rename(out[-1])
            return out

    def source(self, spec: str, *, cwd: Path | None = None, uris_only: bool = False,
               timeout: float | None = None) -> subprocess.CompletedProcess:
        """``apt-get source --only-source SPEC`` (``PKG=VERSION``): its files downloaded into
        ``cwd``, each checked by apt against the signed Sources index; with ``uris_only``, only
        a line per file naming its URL, file name, size and SHA-256 (``--print-uris``)."""
        mode = "--print-uris" if uris_only else "--download-only"
        return self._run(["apt-get", *self.options(), "source", mode, "--only-source", spec], cwd=cwd, timeout=timeout)

    # -- one version ------------------------------------------------------------------------------
    def fetch(self, served: Served, dest: Path) -> Source:
        """Download, unpack (with Debian's patches) and keep only the WANTED files in ``dest``."""
        wanted = WANTED[served.package]
        tmp_root = self.root.parent / "tmp"
        tmp_root.mkdir(parents=True, exist_ok=True)
        work = Path(tempfile.mkdtemp(prefix=f"{served.package}-", dir=tmp_root))
        try:
            self.log(f"apt-get source --download-only {served.package}={served.version}")
            res = self.source(f"{served.package}={served.version}", cwd=work)
            dscs = sorted(work.glob("*.dsc"))
            if res.returncode != 0 or not dscs:
                raise FetchFailed(f"download failed: {tail(res.stdout + res.stderr)}")
            dsc = dscs[0]
            mismatch = pin_problem(served.package, served.version, file_sha256(dsc))
            if mismatch:
                raise FetchFailed(mismatch)
            dpkg_source = _dpkg_source(self)
            tree = work / "tree"
            self.log(f"dpkg-source -x {dsc.name}")
            res = self._run([dpkg_source, "-x", dsc.name, str(tree)], cwd=work, timeout=600)
            if res.returncode != 0 or not tree.is_dir():
                raise FetchFailed(f"dpkg-source -x failed: {tail(res.stdout + res.stderr)}")
            rel_files = [p.relative_to(tree).as_posix() for p in tree.rglob("*") if p.is_file()]
            staged = work / "staged"
            staged.mkdir()
            files: dict[str, dict[str, str]] = {}
            for name, (pattern, required) in wanted.items():
                hits = sorted(r for r in rel_files if fnmatch.fnmatchcase(r, pattern))
                if not hits:
                    if required:
                        raise FetchFailed(f"{served.package} {served.version} has no {pattern}")
                    continue
                shutil.copyfile(tree / hits[0], staged / name)
                files[name] = {"path": hits[0], "sha256": file_sha256(staged / name)}
            series = tree / "debian" / "patches" / "series"
            patches = [ln.strip() for ln in series.read_text().splitlines()
                       if ln.strip() and not ln.startswith("#")] if series.is_file() else []
            return self._keep(served, staged, dest, {
                "dsc": {"name": dsc.name, "sha256": file_sha256(dsc),
                        "pinned": (served.package, served.version) in PINNED_DSC},
                "debian_patches": patches,
                "files": files,
                "how": "apt-get source --download-only (private sources list) + dpkg-source -x",
            })
        finally:
            shutil.rmtree(work, ignore_errors=True)

    def fetch_binary(self, served: Served, dest: Path) -> Source:
        """The binary packages built from ``served`` (WANTED_BINARY, same version) for this Apt's
        architecture, with the FOREIGN_RUNTIME that architecture needs when it is not this
        machine's: download them, check their pins, unpack them with dpkg-deb and keep only the
        wanted files in ``dest``. FetchFailed says why not."""
        arch = self.binary_arch or "?"
        wanted = binary_packages(served.package, served.version, arch)
        tmp_root = self.root.parent / "tmp"
        tmp_root.mkdir(parents=True, exist_ok=True)
        work = Path(tempfile.mkdtemp(prefix=f"{served.package}-bin-", dir=tmp_root))
        try:
            try:
                self.update()
            except Unavailable as err:
                raise FetchFailed(str(err)) from None
            staged = work / "staged"
            staged.mkdir()
            files: dict[str, dict[str, str]] = {}
            debs: list[dict[str, str]] = []
            specs = [f"{binary}:{arch}={version}" for binary, (version, _) in wanted.items()]
            self.log(f"apt-get download {' '.join(specs)}")
            downloaded = self.download(specs, work / "debs")
            for binary, (version, names) in wanted.items():
                found = [d for d in downloaded if d.name.startswith(f"{binary}_")]
                if len(found) != 1:
                    raise FetchFailed(f"{binary} {version}: apt-get download left {len(found)} .deb files")
                deb = found[0]
                got = work / binary
                got.mkdir()
                deb_sha = file_sha256(deb)
                mismatch = deb_pin_problem(binary, version, arch, deb_sha)
                if mismatch:
                    raise FetchFailed(mismatch)
                tree = got / "tree"
                res = self._run(["dpkg-deb", "-x", str(deb), str(tree)], cwd=got, timeout=120)
                if res.returncode != 0:
                    raise FetchFailed(f"dpkg-deb -x {deb.name} failed: {tail(res.stdout + res.stderr)}")
                rel_files = sorted(p.relative_to(tree).as_posix() for p in tree.rglob("*")
                                   if p.is_file() and not p.is_symlink())
                for name, pattern in names.items():
                    hits = [r for r in rel_files if fnmatch.fnmatchcase(r, pattern)]
                    if len(hits) != 1:
                        raise FetchFailed(f"{deb.name}: {len(hits)} regular files match {pattern}, not one")
                    kept_name = hits[0].rsplit("/", 1)[1]  # a library keeps its soname
                    shutil.copyfile(tree / hits[0], staged / kept_name)
                    files[kept_name] = {"path": hits[0], "sha256": file_sha256(staged / kept_name)}
                debs.append({"package": binary, "version": version, "name": deb.name, "arch": arch, "sha256": deb_sha})
            return self._keep(served, staged, dest, {
                "form": "binary",
                "arch": arch,
                "debs": debs,
                "files": files,
                "how": "apt-get download (private sources list, signed Packages index) + dpkg-deb -x",
            })
        finally:
            shutil.rmtree(work, ignore_errors=True)

    def _keep(self, served: Served, staged: Path, dest: Path, record: dict) -> Source:
        """``staged`` (the kept files) with its provenance record, moved into the cache at ``dest``."""
        provenance = {"package": served.package, "version": served.version, "suites": list(served.suites),
                      "mirror": self.mirror, **record,
                      "fetched": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}
        (staged / "provenance.json").write_text(json.dumps(provenance, indent=2) + "\n")
        if dest.exists():
            shutil.rmtree(dest)
        dest.parent.mkdir(parents=True, exist_ok=True)
        staged.rename(dest)
        return Source(served.package, served.version, dest, provenance)


def _dpkg_source(apt: Apt) -> str:
    """dpkg-source, installing dpkg-dev first when root; FetchFailed/Unavailable otherwise."""
    found = shutil.which("dpkg-source")
    if found:
        return found
    if os.geteuid() != 0:
        raise Unavailable("dpkg-source (package dpkg-dev) is needed to unpack Debian sources; "
                          "not root, so not installing it (apt-get install dpkg-dev)")
    apt.log("apt-get install dpkg-dev (for dpkg-source)")
    try:
        res = subprocess.run(["apt-get", "install", "-y", "--no-install-recommends", "dpkg-dev"],
                             capture_output=True, text=True, timeout=600,
                             env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"})
    except subprocess.TimeoutExpired:
        raise Unavailable("apt-get install dpkg-dev timed out") from None
    found = shutil.which("dpkg-source")
    if res.returncode != 0 or not found:
        raise Unavailable(f"could not install dpkg-dev: {tail(res.stdout + res.stderr)}")
    return found


# -- the cache ----------------------------------------------------------------------------------------


def cached(cache: Path, package: str, *, binary_arch: str | None = None) -> list[Source]:
    """Fetched sources of ``package`` in the cache, newest first: its sources and its binary
    packages for ``binary_arch`` (this machine's when None) — never another architecture's."""
    arch = binary_arch or host_arch()
    out = []
    root = Path(cache) / "sources"
    for prov_path in root.glob(f"{package}_*/provenance.json") if root.is_dir() else []:
        try:
            prov = json.loads(prov_path.read_text())
        except (OSError, ValueError):
            continue
        src = Source(package, prov.get("version", ""), prov_path.parent, prov)
        if src.form == "binary":
            if not _binary_entry_ok(src, arch):
                continue
        elif binary_arch is not None:
            continue
        elif pin_problem(package, src.version, (prov.get("dsc") or {}).get("sha256")):
            continue
        if prov.get("package") == package and all(src.has(n) for n in prov.get("files", {})) and \
                all(file_sha256(src.directory / n) == f.get("sha256") for n, f in prov.get("files", {}).items()):
            out.append(src)
    order = newest_first(s.version for s in out)
    # Newest first; of one version, its source before its binary.
    return sorted(out, key=lambda s: (order.index(s.version), s.form != "source"))


def _binary_entry_ok(src: Source, arch: str) -> bool:
    """A cached binary entry is for ``arch``, holds exactly the packages a check of it downloads,
    and each .deb it records is the pinned one."""
    debs = src.provenance.get("debs") or []
    if src.package not in WANTED_BINARY or any(d.get("arch") != arch for d in debs):
        return False
    if {d.get("package") for d in debs} != set(binary_packages(src.package, src.version, arch)):
        return False
    return not any(deb_pin_problem(d.get("package", "?"), d.get("version", src.version), arch, d.get("sha256"))
                   for d in debs)


def cache_dir(cache: Path, package: str, version: str, *, binary_arch: str | None = None) -> Path:
    suffix = "" if binary_arch is None else f"_bin-{binary_arch}"
    return Path(cache) / "sources" / f"{package}_{version.replace(':', '%3a')}{suffix}"


@dataclass
class Obtained:
    """What :func:`obtain` found: the sources to check, what the archive serves, and notes."""

    package: str
    sources: list[Source]
    served: list[Served] | None  # None when the indexes were not consulted (cache only)
    notes: list[str]


def obtain(package: str, accept: Callable[[str], bool], policy: str, *, cache: Path,
           prefer_cache: bool = False, all_versions: bool = False, mirror: str = DEFAULT_MIRROR,
           log: Callable[[str], None] = lambda s: None) -> Obtained:
    """The newest version of ``package`` that ``accept``s (all of them with ``all_versions``).

    With ``prefer_cache`` an acceptable cached source is used without touching the network.
    Otherwise the private indexes are refreshed when older than a day, the versions they list are
    tried newest first, and one that cannot be downloaded is reported and skipped for the next.
    Raises :class:`Unavailable` when no acceptable version can be had.
    """
    cache = Path(cache)
    have = [s for s in cached(cache, package) if accept(s.version)]
    if prefer_cache and have:
        return Obtained(package, have if all_versions else have[:1], None,
                        [f"{package} {s.version}: from the cache ({s.directory})" for s in (have if all_versions else have[:1])])
    failures = cache / "unavailable.json"
    if prefer_cache:
        # A source that could not be had is not retried for a day by cache-preferring runs
        # (make test); make crosscheck always retries.
        recorded = _read_json(failures).get(package)
        if recorded and time.time() - recorded.get("at", 0) < LISTS_MAX_AGE:
            raise Unavailable(f"{recorded['reason']} (as of {recorded.get('when', '?')}; make crosscheck retries)")
    try:
        got = _obtain(package, accept, policy, cache, have, all_versions, mirror, log)
    except Unavailable as err:
        _record(failures, package, str(err))
        raise
    _record(failures, package, None)
    return got


def _read_json(path: Path) -> dict:
    try:
        return json.loads(path.read_text())
    except (OSError, ValueError):
        return {}


def _record(path: Path, package: str, reason: str | None) -> None:
    data = _read_json(path)
    if reason is None:
        if package not in data:
            return
        data.pop(package)
    else:
        data[package] = {"reason": reason, "at": time.time(),
                         "when": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())}
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(data, indent=2) + "\n")
    except OSError:
        pass


def _obtain(package: str, accept: Callable[[str], bool], policy: str, cache: Path, have: list[Source],
            all_versions: bool, mirror: str, log: Callable[[str], None]) -> Obtained:
    apt = Apt(cache / "apt", mirror=mirror, log=log)
    apt.update()
    served = apt.served(package)
    if not served:
        raise Unavailable(f"the Debian archive ({mirror}; {', '.join(SUITES)}) lists no source package {package!r}")
    candidates = [s for s in served if accept(s.version)]
    listing = "; ".join(f"{s.version} ({', '.join(s.suites)})" for s in served)
    if not candidates:
        raise Unavailable(f"the Debian archive serves {package} {listing}: none is {policy}")
    notes: list[str] = []
    got: list[Source] = []
    for cand in candidates:
        where = f"{package} {cand.version} ({', '.join(cand.suites)})"
        hit = next((s for s in have if s.version == cand.version), None)
        if hit is not None and hit.form == "source":
            notes.append(f"{where}: from the cache")
            got.append(hit)
        else:
            # Only the binary package cached (or nothing): the source is tried again first.
            try:
                got.append(apt.fetch(cand, cache_dir(cache, package, cand.version)))
                notes.append(f"{where}: fetched")
            except FetchFailed as err:
                notes.append(f"{where}: {err}")
                log(f"{package} {cand.version}: {err}")
                if hit is not None:
                    notes.append(f"{package} {cand.version} (the binary package): from the cache")
                    binary = hit
                else:
                    binary = _binary_instead(cand, cache, mirror, log, notes)
                if binary is None:
                    continue
                got.append(binary)
        if not all_versions:
            break
    if not got:
        raise Unavailable(f"no {policy} source of {package} could be fetched: " + "; ".join(notes))
    return Obtained(package, got, served, notes)


def _binary_apt(cache: Path, arch: str, mirror: str, log: Callable[[str], None]) -> Apt:
    """The Packages indexes of every suite for ``arch``, as for the Sources: one configuration,
    refreshed once a day whichever package asks (a version is looked up by name=version, so any
    suite serving it does)."""
    return Apt(cache / f"apt-{arch}", mirror=mirror, binary_arch=arch, log=log)


def _fetch_binary(apt: Apt, cache: Path, cand: Served) -> Source:
    """``cand``'s binary packages for ``apt``'s architecture, into their place in the cache."""
    return apt.fetch_binary(cand, cache_dir(cache, cand.package, cand.version, binary_arch=apt.binary_arch))


def _binary_instead(cand: Served, cache: Path, mirror: str, log: Callable[[str], None],
                    notes: list[str]) -> Source | None:
    """The binary package of a version whose source could not be downloaded, when the package
    has one that can stand in (WANTED_BINARY); notes what happened either way."""
    if cand.package not in WANTED_BINARY:
        return None
    arch = host_arch()
    apt = _binary_apt(cache, arch, mirror, log)
    where = f"{cand.package} {cand.version} ({arch} binary package)"
    try:
        src = _fetch_binary(apt, cache, cand)
    except FetchFailed as err:
        notes.append(f"{where}: {err}")
        log(f"{where}: {err}")
        return None
    notes.append(f"{where}: fetched instead of the source, run as Debian compiled it")
    return src


def obtain_binary(package: str, arch: str, accept: Callable[[str], bool], policy: str, *, cache: Path,
                  prefer_cache: bool = False, mirror: str = DEFAULT_MIRROR,
                  log: Callable[[str], None] = lambda s: None) -> Obtained:
    """The binary packages of the newest version of ``package`` for ``arch`` that ``accept``s,
    from the cache or the archive's Packages index (as :func:`obtain` does for sources);
    Unavailable says why not."""
    cache = Path(cache)
    have = [s for s in cached(cache, package, binary_arch=arch) if accept(s.version)]
    if prefer_cache and have:
        return Obtained(package, have[:1], None, [f"{package} {have[0].version} ({arch}): from the cache ({have[0].directory})"])
    apt = _binary_apt(cache, arch, mirror, log)
    apt.update()
    served = apt.served(package)
    candidates = [s for s in served if accept(s.version)]
    if not candidates:
        listing = "; ".join(f"{s.version} ({', '.join(s.suites)})" for s in served) or "nothing"
        raise Unavailable(f"the Debian archive's {arch} Packages list {package} {listing}: none is {policy}")
    failed: list[str] = []
    for cand in candidates:  # newest first; one that cannot be had (or is not pinned) gives way to the next
        where = f"{package} {cand.version} ({arch})"
        hit = next((s for s in have if s.version == cand.version), None)
        if hit is not None:
            return Obtained(package, [hit], served, [f"{where}: from the cache"])
        try:
            src = _fetch_binary(apt, cache, cand)
        except FetchFailed as err:
            failed.append(f"{where}: {err}")
            log(failed[-1])
            continue
        return Obtained(package, [src], served, [f"{where}: fetched"])
    raise Unavailable("; ".join(failed))


def local_source(package: str, path: Path) -> Source:
    """A source the user points at (``--systemd-source`` / ``--virt-what-source``): a directory
    holding the WANTED files (an unpacked tree or a flat copy). Its version comes from
    debian/changelog when present."""
    path = Path(path)
    if not path.is_dir():
        raise Unavailable(f"{path}: not a directory")
    rel_files = [p.relative_to(path).as_posix() for p in path.rglob("*") if p.is_file()]
    files = {}
    for name, (pattern, required) in WANTED[package].items():
        hits = sorted(r for r in rel_files if fnmatch.fnmatchcase(r, pattern) or r == name)
        if not hits:
            if required:
                raise Unavailable(f"{path}: no {pattern}")
            continue
        files[name] = hits[0]
    version = "local"
    changelog = path / "debian" / "changelog"
    if changelog.is_file():
        m = re.match(r"\S+ \(([^)]+)\)", changelog.read_text(errors="replace"))
        if m:
            version = m.group(1)
    staged = Path(tempfile.mkdtemp(prefix=f"pvenum-local-{package}-"))
    for name, rel in files.items():
        shutil.copyfile(path / rel, staged / name)
    prov = {"package": package, "version": version, "suites": [], "local": str(path),
            "files": {n: {"path": r, "sha256": file_sha256(staged / n)} for n, r in files.items()}}
    return Source(package, version, staged, prov)
