"""Benchmark: full DTB decode by pvenum against pylibfdt, the `fdt` package and dtc.

Corpus: the Debian arm64 kernel's DTBs when bench/fetch_dtb_corpus.sh has cached them
(.cache/dtb-corpus, 576 blobs), else the committed subset in tests/data/fdt/kernel/.

Each comparison times both sides in the same run, alternating, best of several repetitions:
- pvenum: ``pvenum.fdt.parse`` of every blob, then a walk reading every node's name and every
  property's name and value (what a consumer of the whole tree does);
- (a) pylibfdt: ``FdtRo(blob)``, then a walk reading every node name and every property
  (``next_node``, ``first/next_property_offset``, ``get_property_by_offset``);
- (b) the ``fdt`` package: ``fdt.parse_dtb`` (it builds typed objects for everything), against
  ``pvenum.fdt.parse`` alone (which also builds the whole tree: like for like) and against
  parse + walk (conservative);
- (c) ``dtc -I dtb -O dts`` per file (a process per blob) against pvenum's parse + DTS text.

Targets (issue 15): full decode >= 2x the pylibfdt walk and >= 10x the fdt package.

    python bench/bench_fdt.py [--quick]
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from common import best_pair, row

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

# Where bench/fetch_dtb_corpus.sh puts the corpus (PVENUM_DTB_CORPUS, as for tests/fdt).
CORPUS = Path(os.environ.get("PVENUM_DTB_CORPUS", ROOT / ".cache" / "dtb-corpus"))
SUBSET = ROOT / "tests" / "data" / "fdt" / "kernel"


def corpus() -> tuple[str, list[bytes]]:
    if (CORPUS / ".complete").exists():
        paths = sorted(CORPUS.rglob("*.dtb"))
        where = f"kernel corpus ({len(paths)} DTBs, {os.path.relpath(CORPUS, ROOT)})"
    else:
        paths = sorted(SUBSET.glob("*.dtb"))
        where = f"committed subset ({len(paths)} DTBs; run bench/fetch_dtb_corpus.sh for all 576)"
    return where, [p.read_bytes() for p in paths]


def pvenum_full_decode(blobs: list[bytes]) -> int:
    from pvenum.fdt import parse

    n = 0
    for blob in blobs:
        for node in parse(blob).walk():
            n += len(node.name)
            for name, value in node.properties.items():
                n += len(name) + len(value)
    return n


def pvenum_parse(blobs: list[bytes]) -> int:
    from pvenum.fdt import parse

    return sum(len(parse(blob).root.children) for blob in blobs)


def pylibfdt_walk(blobs: list[bytes]) -> int:
    import libfdt

    quiet = (libfdt.FDT_ERR_NOTFOUND,)
    n = 0
    for blob in blobs:
        fdt = libfdt.FdtRo(blob)
        off, depth = 0, 0
        while True:
            n += len(fdt.get_name(off))
            p = fdt.first_property_offset(off, quiet)
            while p >= 0:
                prop = fdt.get_property_by_offset(p)
                n += len(prop.name) + len(prop)
                p = fdt.next_property_offset(p, quiet)
            r = fdt.next_node(off, depth, quiet)
            if isinstance(r, int) or r[0] < 0 or r[1] < 0:
                break
            off, depth = r
    return n


def pyfdt_parse(blobs: list[bytes]) -> int:
    import fdt

    return sum(len(fdt.parse_dtb(blob).root.nodes) for blob in blobs)


def pvenum_dts(blobs: list[bytes]) -> int:
    from pvenum.fdt import parse, to_dts

    return sum(len(to_dts(parse(blob))) for blob in blobs)


def dtc_dts(blobs: list[bytes]) -> int:
    from pvenum.fdt.dtc import decompile_dtb

    return sum(len(decompile_dtb(blob)) for blob in blobs)


def _row(name: str, subject_s: float, reference: str, reference_s: float, note: str,
         target: float | None = None) -> dict:
    return row(name, subject_s or None, reference, reference_s or None, target=target, note=note)


def run(quick: bool = False) -> list[dict]:
    """Rows {name, subject_s, reference, reference_s, ratio, note}; ratio = reference / pvenum."""
    where, blobs = corpus()
    if quick:
        blobs = blobs[:: max(1, len(blobs) // 40)]
        where += f", quick: {len(blobs)} of them"
    reps = 2 if quick else 5
    rows = []
    pvenum_full_decode(blobs)  # warm imports and caches for every side
    try:
        import libfdt  # noqa: F401

        s, r = best_pair(lambda: pvenum_full_decode(blobs), lambda: pylibfdt_walk(blobs), reps)
        rows.append(_row("dtb full decode (every node, every property value)", s,
                         "pylibfdt walk (FdtRo, every property)", r, where, target=2))
    except ImportError:
        rows.append(_row("dtb full decode", 0.0, "pylibfdt walk", 0.0, "pylibfdt not installed: skipped"))
    try:
        import fdt

        readable = []
        for blob in blobs:
            try:
                fdt.parse_dtb(blob)
                readable.append(blob)
            except Exception:  # noqa: BLE001 - fdt fails on NOPs and repeated names
                pass
        fdt_reps = max(1, reps - 2)
        s, r = best_pair(lambda: pvenum_full_decode(readable), lambda: pyfdt_parse(readable), fdt_reps)
        rows.append(_row("dtb full decode (every node, every property value)", s, "fdt package parse_dtb", r,
                         f"{len(readable)} blobs the fdt package reads; pvenum also walks every property, "
                         "fdt only builds its tree: the conservative ratio", target=10))
        s, r = best_pair(lambda: pvenum_parse(readable), lambda: pyfdt_parse(readable), fdt_reps)
        rows.append(_row("dtb parse", s, "fdt package parse_dtb", r,
                         f"like for like: both build the whole object tree; {len(readable)} blobs"))
    except ImportError:
        rows.append(_row("dtb full decode", 0.0, "fdt package parse_dtb", 0.0, "fdt not installed: skipped"))
    from pvenum import tools

    if tools.find("dtc") is not None:
        sample = blobs if quick else blobs[:: max(1, len(blobs) // 100)]
        s, r = best_pair(lambda: pvenum_dts(sample), lambda: dtc_dts(sample), 1 if quick else 2)
        rows.append(_row("dtb -> dts text", s, "dtc -I dtb -O dts, one process per file", r,
                         f"{len(sample)} blobs; dtc's time is mostly process start"))
    else:
        rows.append(_row("dtb -> dts text", 0.0, "dtc", 0.0, "dtc not installed: skipped"))
    return rows


def main(argv: list[str]) -> int:
    rows = run(quick="--quick" in argv)
    head = f"{'name':<17} {'pvenum s':>9} {'ref s':>9} {'ratio':>7}  reference / note"
    print(head)
    print("-" * len(head))
    for row in rows:
        print(f"{row['name']:<17} {row['subject_s']:>9.4f} {row['reference_s']:>9.4f} "
              f"{(row['ratio'] or 0):>6.2f}x  {row['reference']} — {row['note']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
