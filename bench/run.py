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
    from common import compile_bytecode

    compile_bytecode()  # before any group: each side runs installed-like code
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
        out = HERE / "RESULTS.md"
        tmp = out.with_name(".RESULTS.md.tmp")
        tmp.write_text(text)
        tmp.replace(out)  # atomic, like the README below
        update_readme(text)
    return 0


# -- the README's quotes of bench/RESULTS.md: made from that file alone, so a test can hold the
# README to it (tests/test_docs.py) and only `make bench` changes either.
README = HERE.parent / "README.md"
BEGIN, END = "<!-- bench/RESULTS.md: written by make bench -->", "<!-- end of bench/RESULTS.md -->"
FLEET_BEGIN, FLEET_END = "<!-- fleet estimate from bench/RESULTS.md: written by make bench -->", "<!-- end of fleet estimate -->"


def _table_rows(results: str) -> list[list[str]]:
    return [[c.strip() for c in line.strip("|").split("|")] for line in results.splitlines()
            if line.startswith("| ") and not line.startswith("| group")]


def readme_results(results: str) -> str:
    """The README's copy of the last run: machine, targets met, the whole table."""
    machine = results.splitlines()[0].removeprefix("Machine: ")
    met = next(line for line in results.splitlines() if line.startswith("Targets met:"))
    table = [line for line in results.splitlines() if line.startswith("|")]
    unmet = " (the rows marked NOT MET are not reached yet)" if "NOT MET" in results else ""
    return "\n".join([f"The last run (bench/RESULTS.md; {machine}):", "", met.rstrip(".") + unmet + ".", "", *table])


def readme_fleet(results: str) -> str:
    """A million bundles on paper, from the audit rows of the last run."""
    import re

    rows = _table_rows(results)
    rss = next(r for r in rows if r[1].startswith("pvenum audit -j 1 peak RSS"))
    distinct = next(r for r in rows if re.fullmatch(r"pvenum audit -j 1, \d+ distinct bundles", r[1]))
    m = re.search(r"([\d,]+) bundles in ([\d.]+) s = ([\d,]+) bundles/s", rss[8])
    if m is None:
        raise ValueError("bench/RESULTS.md: the peak-RSS row does not say how many bundles per second")
    bundles, secs, rate = m.group(1), m.group(2), int(m.group(3).replace(",", ""))
    n_distinct = int(re.search(r"(\d+) distinct", distinct[1]).group(1))  # type: ignore[union-attr]
    value, unit = distinct[2].split()
    per = float(value) * (1e-3 if unit == "ms" else 1.0) / n_distinct
    one_core_min = 1_000_000 / rate / 60
    worst_h = 1_000_000 * per / 3600
    on_100 = worst_h * 60 / 100

    def minutes(n: float) -> str:
        return f"{n:.0f} minute{'' if round(n) == 1 else 's'}" if n >= 0.95 else f"{n * 60:.0f} seconds"

    return (f"A million bundles, on paper, from bench/RESULTS.md (written by `make bench`): the last run audited "
            f"{bundles} bundle directories on one core in {secs} s ({rate:,} bundles/s, every bundle read and "
            f"keyed, {n_distinct} distinct among them) with a peak RSS of {rss[2]}. A million captures of a fleet "
            f"with few distinct platforms therefore take about 1,000,000 / {rate:,} ≈ {one_core_min:.0f} minutes "
            f"of one core, half that on this machine's two cores, and a fraction of it on a Dask cluster when the "
            f"storage keeps up. The worst case, every capture distinct, costs at most what the {n_distinct}-distinct "
            f"audit measured, {distinct[2]} / {n_distinct} ≈ {per * 1e3:.0f} ms a capture (process start "
            f"included): about {worst_h:.1f} core-hours, some {minutes(on_100)} on 100 workers.")


def _replace_between(text: str, begin: str, end: str, body: str) -> str:
    head, sep, rest = text.partition(begin)
    _, sep2, tail = rest.partition(end)
    if not sep or not sep2:
        raise ValueError(f"README.md has no {begin} ... {end} block")
    return f"{head}{begin}\n{body}\n{end}{tail}"


def update_readme(results: str) -> None:
    text = README.read_text()
    text = _replace_between(text, BEGIN, END, readme_results(results))
    text = _replace_between(text, FLEET_BEGIN, FLEET_END, readme_fleet(results))
    tmp = README.with_name(".README.md.bench-tmp")
    tmp.write_text(text)
    tmp.replace(README)  # atomic: never half a README


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
