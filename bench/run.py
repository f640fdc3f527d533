#!/usr/bin/env python3
"""`make bench`: every figure, each as a ratio against its reference measured in the same run.

Runs bench/bench_*.py modules (each exposes ``run(quick: bool) -> list[dict]`` of bench/common.py
``row``s), prints one table — every target next to its reference, the ratio (times faster) and
whether it is met — and writes bench/RESULTS.md with the machine it ran on (the README quotes it).
Only a full run of every module writes RESULTS.md.

    python bench/run.py            # full
    python bench/run.py --quick    # a short pass
    python bench/run.py fdt acpi   # only these modules
"""

from __future__ import annotations

import importlib
import os
import platform
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{cpu}, {os.cpu_count()} cores, Python {platform.python_version()}, {platform.system()} {platform.release()}"


def _time(v: float | None) -> str:
    return "-" if v is None else f"{v * 1e3:.2f} ms" if v < 1 else f"{v:.2f} s"


def _target(r: dict) -> str:
    t = r.get("target")
    if t is None:
        return "-"
    return f">= {t:.2f}×" if t < 1 else f">= {t:g}×"


def _met(r: dict) -> str:
    return {True: "met", False: "NOT MET", None: "-"}[r.get("met")]


def main(argv: list[str]) -> int:
    quick = "--quick" in argv
    wanted = [a for a in argv if not a.startswith("-")]
    modules = sorted(p.stem for p in HERE.glob("bench_*.py"))
    if wanted:
        modules = [m for m in modules if m.removeprefix("bench_") in wanted]
    rows = []
    for name in modules:
        mod = importlib.import_module(name)
        t0 = time.perf_counter()
        try:
            got = mod.run(quick=quick)
        except Exception as err:  # noqa: BLE001 - one failing bench must not hide the others
            got = [{"name": f"{name}: FAILED", "subject_s": None, "reference": "", "reference_s": None,
                    "ratio": None, "target": None, "met": None, "note": f"{type(err).__name__}: {err}"}]
        for r in got:
            r["group"] = name.removeprefix("bench_")
        rows += got
        print(f"{name}: {len(got)} rows in {time.perf_counter() - t0:.1f}s", file=sys.stderr)
    targets = [r for r in rows if r.get("target") is not None]
    met = sum(1 for r in targets if r.get("met"))
    lines = [f"Machine: {machine()}", "",
             "Written by `make bench` (bench/run.py). Every ratio is how many times faster pvenum is than the "
             "reference measured beside it in the same run (above 1: pvenum is faster; a target \"within 1.5× "
             "of X\" is a ratio of at least 0.67).", "",
             f"Targets met: {met} of {len(targets)}.", "",
             "| group | measurement | pvenum | reference | reference value | times faster | target | met | note |",
             "|---|---|---|---|---|---|---|---|---|"]
    for r in rows:
        ratio = "-" if r.get("ratio") is None else f"{r['ratio']:.2f}×"
        subject = r.get("subject_text") or _time(r.get("subject_s"))
        reference = r.get("reference_text") or _time(r.get("reference_s"))
        lines.append(f"| {r['group']} | {r['name']} | {subject} | {r.get('reference', '')} | {reference} | {ratio} | "
                     f"{_target(r)} | {_met(r)} | {r.get('note', '')} |")
    text = "\n".join(lines) + "\n"
    print(text)
    if not quick and not wanted:
        (HERE / "RESULTS.md").write_text(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
