"""Start-up, each against its reference command in the same run (issue 15 targets):
`pvenum --version` within 1.5× of `python3 -c pass`, `pvenum inspect` of a tiny DTB within
1.5× of the `fdt` package's `pydtc unpack` of the same file, `pvenum resolve SCENARIO` within
4× of `python3 -c pass`."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

from common import ROOT, best_pair_commands, row


def tiny_dtb() -> Path:
    return ROOT / "tests" / "data" / "fdt" / "dts" / "realm-guest.dtb"


def run(quick: bool = False) -> list[dict]:
    n = 5 if quick else 20
    py = sys.executable
    base = [py, "-c", "pass"]
    pvenum = [py, "-m", "pvenum"]
    s, r = best_pair_commands([*pvenum, "--version"], base, n)
    rows = [row("pvenum --version", s, "python3 -c pass", r, target=1 / 1.5, note="target: within 1.5×")]
    dtb = tiny_dtb()
    pydtc = shutil.which("pydtc") or str(Path(py).with_name("pydtc"))
    if Path(pydtc).exists():
        out = Path("/tmp/pvenum-bench-pydtc.dts")
        s, r = best_pair_commands([*pvenum, "inspect", str(dtb)], [pydtc, "unpack", str(dtb), "-o", str(out)], n)
        rows.append(row(f"pvenum inspect {dtb.name} ({dtb.stat().st_size} bytes)", s, "pydtc unpack (fdt package)", r,
                        target=1 / 1.5, note="the same file; target: within 1.5×"))
    else:
        rows.append(row(f"pvenum inspect {dtb.name}", None, "pydtc unpack", None, note="fdt package not installed"))
    s, r = best_pair_commands([*pvenum, "resolve", "azure-snp-paravisor"], base, n)
    rows.append(row("pvenum resolve azure-snp-paravisor (all four models, table)", s, "python3 -c pass", r,
                    target=1 / 4,
                    note="target: within 4×; the compiled catalog platform read from the per-user cache "
                         "(pvenum/scenario/cache.py), which the first run fills"))
    return rows


if __name__ == "__main__":
    from run import main

    raise SystemExit(main(["startup", *sys.argv[1:]]))
