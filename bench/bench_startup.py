"""Start-up: `pvenum --version` against `python3 -c pass`, `pvenum inspect x.dtb` against the
`fdt` package's `pydtc unpack` of the same file (issue 7 targets: under 3× and 10× of
`python3 -c pass`)."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

from common import ROOT, best_of_command, row


def small_dtb() -> Path | None:
    blobs = sorted((ROOT / "tests" / "data" / "fdt").rglob("*.dtb"), key=lambda p: p.stat().st_size)
    return blobs[len(blobs) // 2] if blobs else None


def run(quick: bool = False) -> list[dict]:
    n = 5 if quick else 20
    py = sys.executable
    base = best_of_command([py, "-c", "pass"], n)
    pvenum = [py, "-m", "pvenum"]
    rows = [row("pvenum --version", best_of_command([*pvenum, "--version"], n), "python3 -c pass", base,
                "target < 3×")]
    dtb = small_dtb()
    if dtb is not None:
        i = best_of_command([*pvenum, "inspect", str(dtb)], n)
        rows.append(row(f"pvenum inspect {dtb.name} (rich)", i, "python3 -c pass", base, "target < 10×"))
        pydtc = shutil.which("pydtc") or str(Path(py).with_name("pydtc"))
        if Path(pydtc).exists():
            out = Path("/tmp/pvenum-bench-pydtc.dts")
            u = best_of_command([pydtc, "unpack", str(dtb), "-o", str(out)], n)
            rows.append(row(f"pvenum inspect {dtb.name}", i, "pydtc unpack (fdt package)", u, "< 1× = pvenum faster"))
    cpuid = ROOT / "tests" / "data" / "cpuid" / "kvm-amd-zen5.cpuid"
    rows.append(row("pvenum resolve kvm-amd-zen5.cpuid", best_of_command([*pvenum, "resolve", str(cpuid)], n),
                    "python3 -c pass", base))
    return rows


if __name__ == "__main__":
    for r in run(quick="--quick" in sys.argv):
        print(r)
