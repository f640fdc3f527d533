"""ACPI decode throughput: pvenum vs ``iasl -d`` and vs a plain ``struct`` header loop.

Corpus: the binaries of ``iasl -T ALL`` (compiled with the installed iasl) plus this machine's
tables from /sys/firmware/acpi/tables when readable; without iasl, the committed fixtures.
All timings are taken in the same run, on the same corpus, as the best of a few repeats.

    python bench/bench_acpi.py [--quick]

``run(quick)`` returns rows ``{"name", "subject_s", "reference", "reference_s", "ratio", "note"}``;
times are seconds for one pass over the corpus and ratio = subject_s / reference_s (below 1:
pvenum is faster).
"""

from __future__ import annotations

import os
import struct
import sys
import time
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from pvenum.acpi import iasl, parse_table  # noqa: E402
from pvenum.acpi.layouts.header import HEADER  # noqa: E402

SYSFS = Path("/sys/firmware/acpi/tables")
FIXTURES = ROOT / "tests" / "data" / "acpi"
_HEADER = struct.Struct("<4sIBB6s8sI4sI")


def corpus() -> tuple[list[tuple[str, bytes]], str]:
    tables: list[tuple[str, bytes]] = []
    if iasl.find() is not None:
        tables += [(f"iasl:{stem}", data) for stem, data in sorted(iasl.templates(["ALL"]).items())]
        origin = f"iasl -T ALL ({iasl.find().version})"
    else:
        tables += [(f"fixture:{p.name}", p.read_bytes()) for p in sorted(FIXTURES.rglob("*.aml"))]
        origin = "committed fixtures (no iasl)"
    if SYSFS.is_dir():
        for p in sorted(SYSFS.rglob("*")):
            if p.is_file() and "data" not in p.relative_to(SYSFS).parts[:-1] and os.access(p, os.R_OK):
                tables.append((f"sysfs:{p.name}", p.read_bytes()))
        origin += " + this machine's sysfs tables"
    return tables, origin


def _best(fn: Callable[[], object], repeats: int) -> float:
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def run(quick: bool = False) -> list[dict]:
    tables, origin = corpus()
    blobs = [d for _, d in tables]
    n = len(blobs)
    repeats = 1 if quick else 5
    loops = 5 if quick else 50  # inner loops so that the fast paths are measurable

    def pvenum_decode() -> None:
        for _ in range(loops):
            for data in blobs:
                parse_table(data)

    sdt = [d for d in blobs if d[:8] != b"RSD PTR " and d[:4] not in (b"FACS", b"S3PT")]

    def pvenum_header() -> None:
        for _ in range(loops):
            for data in sdt:
                HEADER.parse(data, 0, 36)

    def struct_header() -> None:
        unpack = _HEADER.unpack_from
        for _ in range(loops):
            for data in sdt:
                unpack(data, 0)

    decode_s = _best(pvenum_decode, repeats) / loops
    header_s = _best(pvenum_header, repeats) / loops
    struct_s = _best(struct_header, repeats) / loops
    rows = []
    if iasl.find() is not None:
        # iasl -d as people run it: one process per table (temp dir, write, disassemble, read back).
        subset = blobs if not quick else blobs[:10]
        dis = [d for d in subset if d[:8] != b"RSD PTR "]  # iasl -d refuses a standalone RSDP

        def iasl_all() -> None:
            for i, data in enumerate(dis):
                iasl.disassemble(data, name=f"t{i}")

        iasl_s = _best(iasl_all, 1 if quick else 2) * n / max(1, len(dis))
        rows.append({
            "name": "acpi decode: pvenum.parse_table, whole corpus",
            "subject_s": decode_s, "reference": "iasl -d, one process per table", "reference_s": iasl_s,
            "ratio": decode_s / iasl_s,
            "note": f"{n} tables ({origin}); pvenum {n / decode_s:,.0f} tables/s, iasl -d {n / iasl_s:,.0f} tables/s"
                    + ("; iasl timed on 10 tables and scaled" if quick else ""),
        })
    rows.append({
        "name": "acpi decode: pvenum.parse_table (full decode) vs header-only struct loop",
        "subject_s": decode_s, "reference": "struct.unpack_from of the 36-byte header", "reference_s": struct_s,
        "ratio": decode_s / struct_s,
        "note": f"{n} tables; the struct loop decodes 9 header fields of {len(sdt)} tables, pvenum every field",
    })
    rows.append({
        "name": "acpi header: pvenum Construct header (one door) vs struct",
        "subject_s": header_s, "reference": "struct.unpack_from of the 36-byte header", "reference_s": struct_s,
        "ratio": header_s / struct_s,
        "note": f"{len(sdt)} headers; same work on both sides",
    })
    return rows


def main(argv: list[str]) -> int:
    rows = run(quick="--quick" in argv)
    for r in rows:
        print(f"{r['name']}\n  pvenum {r['subject_s'] * 1e3:9.3f} ms   {r['reference']}: "
              f"{r['reference_s'] * 1e3:9.3f} ms   ratio {r['ratio']:.3f}\n  {r['note']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
