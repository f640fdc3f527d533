"""Debian kernel and busybox-static binary packages, fetched with apt through a private
configuration (the sources list, lists and cache live under .cache/kernelcheck/apt; the
machine's apt state is untouched). apt verifies every .deb against the signed Packages index;
we record the sha256 of each downloaded .deb and of each file unpacked from it.
"""

from __future__ import annotations

import fnmatch
import json
import re
import shutil
import subprocess
import tarfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from crosscheck import debsrc
from pvenum._io import file_sha256
from pvenum._output import atomic_write

SUITES = ("bookworm", "trixie", "trixie-backports")
ARCHES = {"x86_64": "amd64", "arm64": "arm64"}
# Debian's own packages: the newest the archive serves (trixie-backports' 7.3 at the time of
# writing, held to `linux@7.3`: mainline placed by merge release), and the two stable kernels pvenum models by release:
# trixie's 6.12 (`linux@6.12`) and bookworm's 6.1 (`linux@6.1`); busybox from bookworm for both arches.
STABLE_LINES = ("6.12.", "6.1.")
KERNEL_META = "linux-image-{arch}"
BUSYBOX = "busybox-static"


class BinaryApt(debsrc.Apt):
    """debsrc.Apt over binary (deb) lines for amd64 and arm64."""

    def __init__(self, root: Path, **kw) -> None:
        super().__init__(root, binary_arch="amd64,arm64", **kw)

    def show(self, spec: str) -> dict[str, str]:
        res = self._run(["apt-cache", *self.options(), "show", spec], timeout=60)
        fields: dict[str, str] = {}
        for line in res.stdout.split("\n\n")[0].splitlines():
            k, sep, v = line.partition(": ")
            if sep and not line.startswith(" "):
                fields[k] = v
        return fields

    def versions(self, package: str) -> list[str]:
        res = self._run(["apt-cache", *self.options(), "madison", package], timeout=60)
        return debsrc.newest_first(p.split("|")[1].strip() for p in res.stdout.splitlines() if p.count("|") == 2)


@dataclass
class Kernel:
    arch: str  # "x86_64" | "arm64"
    package: str  # linux-image-6.1.0-50-amd64
    version: str  # 6.1.176-1
    release: str  # "6.1", "6.12": what linux@RELEASE calls it
    image: Path  # vmlinuz
    provenance: dict

    @property
    def label(self) -> str:
        return kernel_label(self.package, self.version)


def kernel_label(package: str, version: str) -> str:
    """How reports and docs/kernelcheck.json name a kernel: ``linux-image-6.1.0-50-amd64 6.1.176-1``."""
    return f"{package} {version}"


def kernel_dir(cache: Path, package: str, version: str) -> Path:
    """Where one kernel package is unpacked (its boot/ and provenance.json)."""
    return Path(cache) / "kernels" / f"{package}_{version}"


def _unpack(deb: Path, members: list[str], dest: Path) -> None:
    """The regular files matching ``members`` (fnmatch patterns on the tar names, "./boot/vmlinuz-*")
    from ``deb``'s data, written under ``dest``. The data is read as a stream and given up once every
    pattern has matched: a kernel package keeps /boot first and ~400 MB of modules after it."""
    dest.mkdir(parents=True, exist_ok=True)
    proc = subprocess.Popen(["dpkg-deb", "--fsys-tarfile", str(deb)], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    missing = list(members)
    try:
        assert proc.stdout is not None
        with tarfile.open(fileobj=proc.stdout, mode="r|") as tar:
            for member in tar:
                hit = next((m for m in missing if fnmatch.fnmatchcase(member.name, m)), None)
                if hit is None or not member.isfile():
                    continue
                name = PurePosixPath(member.name)
                if name.is_absolute() or ".." in name.parts:
                    raise debsrc.FetchFailed(f"{deb.name}: refusing member {member.name!r}")
                target = dest.joinpath(*name.parts[1:] if name.parts[0] == "." else name.parts)
                target.parent.mkdir(parents=True, exist_ok=True)
                src = tar.extractfile(member)
                assert src is not None
                with open(target, "wb") as out:
                    shutil.copyfileobj(src, out)
                target.chmod(member.mode & 0o755)  # busybox stays executable
                missing.remove(hit)
                if not missing:
                    break
    except tarfile.TarError as err:
        raise debsrc.FetchFailed(f"{deb.name}: unreadable data ({err})") from None
    finally:
        proc.kill()
        proc.wait(timeout=60)
    if missing:
        raise debsrc.FetchFailed(f"{deb.name} has no {', '.join(missing)}")


def _download_image(apt: BinaryApt, package: str, spec_arch: str, version: str, debs_dir: Path, where: Path,
                    log) -> list[Path]:
    """``package``'s vmlinuz and config into ``where``/boot (vmlinuz-ABI, config-ABI), from the
    .deb files that hold them, which are returned."""
    abi = package[len("linux-image-"):]
    if f"linux-binary-{abi}" not in apt.show(f"{package}{spec_arch}={version}").get("Depends", ""):
        log(f"apt-get download {package}{spec_arch}={version}")
        debs = apt.download([f"{package}{spec_arch}={version}"], debs_dir)
        _unpack(debs[0], ["./boot/vmlinuz-*", "./boot/config-*"], where)
        return debs
    # Debian's 7.x packaging: linux-image-ABI is empty; vmlinuz is in linux-binary-ABI and the
    # config in linux-base-ABI, both under /usr/lib/modules/ABI/.
    specs = [f"linux-binary-{abi}{spec_arch}={version}", f"linux-base-{abi}{spec_arch}={version}"]
    log(f"apt-get download {' '.join(specs)}")
    debs = sorted(apt.download(specs, debs_dir), key=lambda d: not d.name.startswith("linux-binary-"))
    staged = where / "staged"
    for deb, name in zip(debs, ("vmlinuz", "config")):
        _unpack(deb, [f"./usr/lib/modules/{abi}/{name}"], staged)
    (where / "boot").mkdir(parents=True, exist_ok=True)
    for name in ("vmlinuz", "config"):
        (staged / "usr" / "lib" / "modules" / abi / name).rename(where / "boot" / f"{name}-{abi}")
    shutil.rmtree(staged)
    return debs


def kernels(cache: Path, log=print, *, arches: tuple[str, ...] | None = None, newest_only: bool = False) -> list[Kernel]:
    """The newest served kernel per arch and the newest of each STABLE_LINES (cached after the
    first run); only ``arches`` ("x86_64", "arm64") when given, and only the newest with
    ``newest_only``."""
    apt = BinaryApt(Path(cache).resolve() / "apt", suites=SUITES, log=log)
    apt.update()
    out = []
    for arch, deb_arch in ARCHES.items():
        if arches is not None and arch not in arches:
            continue
        meta = KERNEL_META.format(arch=deb_arch)
        spec_arch = "" if deb_arch == "amd64" else f":{deb_arch}"
        versions = apt.versions(f"{meta}{spec_arch}")
        picks = versions[:1]  # the newest, then the newest of each stable line
        for line in STABLE_LINES:
            v = next((v for v in versions if v.startswith(line)), None)
            if v is not None and v not in picks:
                picks.append(v)
        for v in picks[:1] if newest_only else picks:
            dep = apt.show(f"{meta}{spec_arch}={v}").get("Depends", "")
            m = re.search(r"\b(linux-image-\d\S*?)(?=[\s,]|$)", dep)  # 7.x: linux-base-ARCH comes first
            if not m:
                raise debsrc.FetchFailed(f"{meta}={v} names no linux-image package: {dep!r}")
            package = m.group(1)
            where = kernel_dir(cache, package, v)
            prov_path = where / "provenance.json"
            if prov_path.is_file():
                prov = json.loads(prov_path.read_text())
            else:
                debs = _download_image(apt, package, spec_arch, v, cache / "debs", where, log)
                image = next((where / "boot").glob("vmlinuz-*"))
                prov = {"package": package, "version": v, "arch": deb_arch, "deb": debs[0].name,
                        "deb_sha256": file_sha256(debs[0]), "vmlinuz": image.name, "vmlinuz_sha256": file_sha256(image),
                        "debs": [{"name": d.name, "sha256": file_sha256(d)} for d in debs],
                        "how": f"apt-get download (private sources list: {', '.join(SUITES)}) + dpkg-deb"}
                atomic_write(prov_path, json.dumps(prov, indent=2) + "\n")  # an interrupted run leaves none
            image = where / "boot" / prov["vmlinuz"]
            release = ".".join(v.split(".")[:2])
            out.append(Kernel(arch, package, v, release, image, prov))
    return out


def cached_kernels(cache: Path) -> list[Kernel]:
    """The kernels already fetched (no network): what `make test`'s boots use."""
    out = []
    for prov_path in sorted((Path(cache) / "kernels").glob("*/provenance.json")):
        prov = json.loads(prov_path.read_text())
        image = prov_path.parent / "boot" / prov["vmlinuz"]
        arch = {v: k for k, v in ARCHES.items()}.get(prov.get("arch"))
        if arch and image.is_file():
            out.append(Kernel(arch, prov["package"], prov["version"], ".".join(prov["version"].split(".")[:2]),
                              image, prov))
    return out


def busybox(cache: Path, arch: str, log=print) -> tuple[Path, dict]:
    deb_arch = ARCHES[arch]
    where = cache / f"busybox-{deb_arch}"
    prov_path = where / "provenance.json"
    if not prov_path.is_file():
        apt = BinaryApt(Path(cache).resolve() / "apt", suites=SUITES, log=log)
        apt.update()
        bookworm = [v for v in apt.versions(f"{BUSYBOX}:{deb_arch}") if "deb12" in v] or apt.versions(f"{BUSYBOX}:{deb_arch}")
        spec = f"{BUSYBOX}:{deb_arch}={bookworm[0]}"
        log(f"apt-get download {spec}")
        (deb,) = apt.download([spec], cache / "debs")
        _unpack(deb, ["./bin/busybox"], where)
        prov = {"package": BUSYBOX, "version": bookworm[0], "arch": deb_arch, "deb": deb.name,
                "deb_sha256": file_sha256(deb), "busybox_sha256": file_sha256(where / "bin" / "busybox")}
        atomic_write(prov_path, json.dumps(prov, indent=2) + "\n")
    return where / "bin" / "busybox", json.loads(prov_path.read_text())
