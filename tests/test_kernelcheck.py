"""`make test`'s slice of `make kernelcheck`: boot one arm64 and one x86 scenario on the newest
cached Debian kernel under QEMU TCG and require the kernel and the linux model to agree.
Skipped, with the reason, when QEMU or the cached kernels (`make kernelcheck` fetches them) are absent."""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / ".cache" / "kernelcheck"


def _cached(arch: str) -> list[dict]:
    out = []
    for prov in sorted((CACHE / "kernels").glob("*/provenance.json")):
        d = json.loads(prov.read_text())
        if d.get("arch") == arch and (prov.parent / "boot" / d["vmlinuz"]).is_file():
            out.append(d)
    return out


@pytest.mark.parametrize("arch,deb_arch,qemu_bin,scenario", [
    ("arm64", "arm64", "qemu-system-aarch64", "arm64-kvm"),
    ("x86_64", "amd64", "qemu-system-x86_64", "qemu-tcg"),
])
def test_boot_one_scenario(arch, deb_arch, qemu_bin, scenario, tmp_path):
    if shutil.which(qemu_bin) is None:
        pytest.skip(f"{qemu_bin} not installed (make kernelcheck installs it as root)")
    if not _cached(deb_arch):
        pytest.skip(f"no cached Debian {deb_arch} kernel in {CACHE} (run make kernelcheck once)")
    if not any((CACHE / f"busybox-{deb_arch}" / "bin" / "busybox").is_file() for _ in [0]):
        pytest.skip(f"no cached busybox-static {deb_arch} (run make kernelcheck once)")
    if arch == "x86_64" and shutil.which("gcc") is None:
        pytest.skip("gcc not installed (builds the x86 CPUID dumper)")
    sys.path.insert(0, str(ROOT))
    from kernelcheck import run

    release = max((".".join(d["version"].split(".")[:2]) for d in _cached(deb_arch)),
                  key=lambda r: tuple(int(x) for x in r.split(".")))
    doc = tmp_path / "kernelcheck.md"
    rc = run.main(["--offline", "--arch", arch, "--scenario", scenario, "--release", release,
                   "--logs", str(tmp_path / "logs"), "--doc", str(doc)])
    result = json.loads(doc.with_suffix(".json").read_text())
    (boot,) = result["boots"]
    assert boot["observed"]["outcome"] == "booted", boot["observed"]
    assert boot["agreement"]["agrees"], boot["agreement"]
    assert rc == 0
