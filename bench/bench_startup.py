"""Start-up: `pvenum --version` against `python3 -c pass`, `pvenum inspect x.dtb` against the
`fdt` package's `pydtc unpack` of the same file (issue 7 targets: under 3× and 10× of
`python3 -c pass`)."""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def best_of(cmd: list[str], n: int) -> float:
    best = float("inf")
    for _ in range(n):
        t0 = time.perf_counter()
        subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT, check=False)
        best = min(best, time.perf_counter() - t0)
    return best


def small_dtb() -> Path | None:
    blobs = sorted((ROOT / "tests" / "data" / "fdt").rglob("*.dtb"), key=lambda p: p.stat().st_size)
    return blobs[len(blobs) // 2] if blobs else None


def run(quick: bool = False) -> list[dict]:
    n = 5 if quick else 20
    py = sys.executable
    base = best_of([py, "-c", "pass"], n)
    pvenum = [py, "-m", "pvenum"]
    rows = []
    v = best_of([*pvenum, "--version"], n)
    rows.append({"name": "pvenum --version", "subject_s": v, "reference": "python3 -c pass", "reference_s": base,
                 "ratio": v / base, "note": "target < 3×"})
    dtb = small_dtb()
    if dtb is not None:
        i = best_of([*pvenum, "inspect", str(dtb)], n)
        rows.append({"name": f"pvenum inspect {dtb.name} (rich)", "subject_s": i, "reference": "python3 -c pass",
                     "reference_s": base, "ratio": i / base, "note": "target < 10×"})
        pydtc = shutil.which("pydtc") or str(Path(py).with_name("pydtc"))
        if Path(pydtc).exists():
            out = Path("/tmp/pvenum-bench-pydtc.dts")
            u = best_of([pydtc, "unpack", str(dtb), "-o", str(out)], n)
            rows.append({"name": f"pvenum inspect {dtb.name}", "subject_s": i, "reference": "pydtc unpack (fdt package)",
                         "reference_s": u, "ratio": i / u, "note": "< 1× = pvenum faster"})
    cpuid = ROOT / "tests" / "data" / "cpuid" / "kvm-amd-zen5.cpuid"
    r = best_of([*pvenum, "resolve", str(cpuid)], n)
    rows.append({"name": "pvenum resolve kvm-amd-zen5.cpuid", "subject_s": r, "reference": "python3 -c pass",
                 "reference_s": base, "ratio": r / base, "note": ""})
    return rows


if __name__ == "__main__":
    for row in run(quick="--quick" in sys.argv):
        print(row)
