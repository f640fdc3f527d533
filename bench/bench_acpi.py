"""ACPI decode throughput: pvenum vs ``iasl -d`` and vs a plain ``struct`` header loop.

Corpus: the binaries of ``iasl -T ALL`` (compiled with the installed iasl) plus this machine's
tables from /sys/firmware/acpi/tables when readable; without iasl, the committed fixtures.
All timings are taken in the same run, on the same corpus, as the best of a few repeats.

    python bench/bench_acpi.py [--quick]

``run(quick)`` returns bench/common.py rows (ratio: times faster than the reference).
"""

from __future__ import annotations

import os
import struct
import sys

from common import ROOT, best_of, row

if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from pvenum import _io  # noqa: E402
from pvenum.acpi import iasl, parse_table  # noqa: E402
from pvenum.acpi.layouts.header import HEADER  # noqa: E402
from pvenum.acpi.sysfs import SYSFS_ROOT, iter_table_files  # noqa: E402

FIXTURES = ROOT / "tests" / "data" / "acpi"
_HEADER = struct.Struct("<4sIBB6s8sI4sI")


def corpus() -> tuple[list[tuple[str, bytes]], str]:
    tables: list[tuple[str, bytes]] = []
    tool = iasl.find()
    if tool is not None:
        tables += [(f"iasl:{stem}", data) for stem, data in sorted(iasl.templates(["ALL"]).items())]
        origin = f"iasl -T ALL ({tool.version})"
    else:
        tables += [(f"fixture:{p.name}", p.read_bytes()) for p in sorted(FIXTURES.rglob("*.aml"))]
        origin = "committed fixtures (no iasl)"
    if SYSFS_ROOT.is_dir():
        tables += [(f"sysfs:{p.name}", _io.read_bytes(p)) for p in iter_table_files(SYSFS_ROOT)
                   if os.access(p, os.R_OK)]
        origin += " + this machine's sysfs tables"
    return tables, origin


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

    decode_s = best_of(pvenum_decode, repeats) / loops
    header_s = best_of(pvenum_header, repeats) / loops
    struct_s = best_of(struct_header, repeats) / loops
    rows = []
    if iasl.find() is not None:
        # iasl -d as people run it: one process per table (temp dir, write, disassemble, read back).
        subset = blobs if not quick else blobs[:10]
        dis = [d for d in subset if d[:8] != b"RSD PTR "]  # iasl -d refuses a standalone RSDP

        def iasl_all() -> None:
            for i, data in enumerate(dis):
                iasl.disassemble(data, name=f"t{i}")

        iasl_s = best_of(iasl_all, 1 if quick else 2) * n / max(1, len(dis))
        rows.append(row("acpi full decode per table", decode_s / n, "iasl -d, one process per table", iasl_s / n,
                        target=100,
                        note=f"{n} tables ({origin}); pvenum {n / decode_s:,.0f} tables/s, iasl -d {n / iasl_s:,.0f} "
                        "tables/s" + ("; iasl timed on 10 tables and scaled" if quick else "")))
    header_ref = "struct.unpack_from of the 36-byte header"
    rows.append(row("acpi header decode", header_s, header_ref, struct_s, target=1 / 10,
                    note=f"{len(sdt)} headers, the same 9 fields both sides (pvenum's Record, derived from the "
                    "Construct declaration); target: within 10× of struct"))
    rows.append(row("acpi full decode, whole corpus (every field)", decode_s, header_ref + " (header only)", struct_s,
                    note=f"{n} tables; informative: pvenum decodes every field, the struct loop 9 header fields"))
    return rows


if __name__ == "__main__":
    # The same table `make bench` prints, for this module only.
    from run import main

    raise SystemExit(main(["acpi", *sys.argv[1:]]))
