#!/usr/bin/env python3
"""`make fuzz`: coverage-guided fuzzing (atheris/libFuzzer) of every pvenum reader.

Each target runs in its own process, seeded from the real fixtures of its format, with a
per-input timeout of one second (a hang) and a memory check: on a sample of inputs the peak
Python allocation while reading must stay under 100× the input size plus a fixed 256 KiB
floor (the interpreter's own work for an empty input). The bound covers the read — bytes into
pvenum's model objects; the views built afterwards (JSON, textconv lines) grow with what the
input decodes to and are checked for exceptions and hangs only. Crashes are written to
tests/data/fuzz-regressions/<target>/ and become regression tests
(tests/test_fuzz_regressions.py replays them on every `make test`).

Every run that covers all targets writes its summary to fuzz/RESULTS.md (date, machine, total
asked for, executions and corpus size per target, findings); the README quotes that file.

    python fuzz/run.py                          # 1,000,000 executions in total, all targets
    python fuzz/run.py --total 20000 dtb cpuid-r
    python fuzz/run.py --seconds 60             # cap each target's wall time
"""

from __future__ import annotations

import argparse
import importlib
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE))

MEMORY_FACTOR = 100
MEMORY_FLOOR = 256 * 1024
SAMPLE_EVERY = 97  # tracemalloc on ~1% of inputs: it slows the reader several times


class MemoryBlowup(Exception):
    pass


# Not imported for fuzzing: the CLI entry point (it runs on import), the Dask scheduler glue
# (an optional dependency) and the pytest plugin.
_NOT_FUZZED = ("pvenum.__main__", "pvenum.audit_dask", "pvenum.pytest_plugin")


def _pvenum_modules() -> list[str]:
    import pkgutil

    import pvenum

    return [m.name for m in pkgutil.walk_packages(pvenum.__path__, "pvenum.") if m.name not in _NOT_FUZZED]


def worker(name: str, runs: int, seconds: int, corpus: Path, artifacts: Path) -> None:
    import tracemalloc

    import atheris

    # libFuzzer ends this process without Python's atexit handlers: what a target puts in a
    # temporary directory (the audit target's bundles) goes into launch()'s, removed after the run.
    tempfile.tempdir = str(corpus.parent)

    # Every pvenum module is imported inside the instrumented block: atheris instruments only
    # what is imported there, and most of pvenum loads lazily (the resolver's models, the CPUID
    # readers behind the pvenum.cpuid facade). Imported later, a module's branches never guided
    # the fuzzer (libFuzzer's INITED line over cpuid-resolve's 21 seeds, -runs=0: 54 coverage
    # points so, 861 with every module), and its first import under the clock could pass for a hang.
    with atheris.instrument_imports(include=["pvenum"]):
        for module in _pvenum_modules():
            importlib.import_module(module)
        from targets import TARGETS

    # pvenum gives up on an external tool that runs away (iasl 20200925 -d writes some AML's .dsl
    # without end: pvenum/acpi/asl.py DISASSEMBLY_TIMEOUT, pvenum/tools.py's bound on output).
    # Under libFuzzer's one-second clock that bound must come first, or each such input ends the
    # target's run as a hang of iasl, not of pvenum, and the target never gets past it.
    from pvenum.acpi import asl

    asl.DISASSEMBLY_TIMEOUT = 0.5
    target = TARGETS[name][0]
    read = getattr(target, "read", target)
    counter = [0]

    def one(data: bytes) -> None:
        counter[0] += 1
        if counter[0] % SAMPLE_EVERY:
            target(data)
            return
        tracemalloc.start()
        try:
            read(data)
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
        if peak > MEMORY_FACTOR * len(data) + MEMORY_FLOOR:
            raise MemoryBlowup(f"{peak} bytes allocated reading {len(data)} bytes")
        target(data)

    # No input runs before atheris.Setup(): instrumented code run before it spoils the counters
    # libFuzzer then reads (the cpuid-convert target's seeds, run once each beforehand, left it
    # no coverage at all), and with every module imported above a first call has nothing to load.
    args = [sys.argv[0], str(corpus), f"-runs={runs}", f"-max_total_time={seconds}", "-timeout=1",
            "-rss_limit_mb=2048", "-print_final_stats=1", f"-artifact_prefix={artifacts}/", "-max_len=65536"]
    atheris.Setup(args, one)
    atheris.Fuzz()


def launch(name: str, runs: int, seconds: int) -> dict:
    from targets import REGRESSIONS, TARGETS

    with tempfile.TemporaryDirectory(prefix=f"pvenum-fuzz-{name}-") as tmp:
        corpus, artifacts = Path(tmp) / "corpus", Path(tmp) / "crashes"
        corpus.mkdir()
        artifacts.mkdir()
        seeds = TARGETS[name][1]()
        for i, seed in enumerate(seeds):
            (corpus / f"seed{i:03d}").write_bytes(seed)
        t0 = time.perf_counter()
        proc = subprocess.run(
            [sys.executable, str(Path(__file__)), "--worker", name, "--runs", str(runs), "--seconds", str(seconds),
             "--corpus", str(corpus), "--artifacts", str(artifacts)],
            capture_output=True, text=True, cwd=ROOT, timeout=seconds + 120,
            env={**os.environ, "PYTHONHASHSEED": "0"},
        )
        elapsed = time.perf_counter() - t0
        out = proc.stdout + proc.stderr
        m = re.findall(r"stat::number_of_executed_units:\s*(\d+)", out)
        execs = int(m[-1]) if m else 0
        crashes = []
        for f in sorted(artifacts.iterdir()):
            dest = REGRESSIONS / name / f.name
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(f, dest)
            crashes.append(str(dest.relative_to(ROOT)))
        failed = proc.returncode != 0
        lines = out.strip().splitlines()
        tail = [l for l in lines if "Error" in l or "Exception" in l or "==" in l] or lines
        reason = tail[-1] if failed and tail else ""
        # libFuzzer adds every input that reached new coverage to the first corpus directory.
        grown = sum(1 for _ in corpus.iterdir())
        return {"target": name, "execs": execs, "seconds": elapsed, "crashes": crashes, "failed": failed,
                "reason": reason, "seeds": len(seeds), "corpus": grown}


RESULTS = HERE / "RESULTS.md"


def write_results(path: Path, results: list[dict], total_asked: int, seconds: int) -> None:
    """The dated summary the README quotes; written atomically (temp file + rename)."""
    import platform

    total = sum(r["execs"] for r in results)
    findings = [r for r in results if r["failed"] or r["crashes"]]
    lines = [
        "# Fuzzing results",
        "",
        "Written by `make fuzz` (fuzz/run.py); do not edit by hand.",
        "",
        f"- date: {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}",
        f"- command: `make fuzz FUZZ_TOTAL={total_asked}` (`python fuzz/run.py --total {total_asked}`,"
        f" wall-time cap {seconds} s per target)",
        f"- machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
        f"- executions: {total:,} over {len(results)} targets",
        f"- findings: {len(findings) or 'none'}"
        + ("" if findings else " (no exception, hang or memory blow-up)"),
        "",
        "| target | executions | seeds | corpus after | seconds | result |",
        "|---|---:|---:|---:|---:|---|",
    ]
    for r in results:
        state = ("crash: " + ", ".join(r["crashes"]) if r["crashes"]
                 else ("failed: " + r["reason"] if r["failed"] else "ok"))
        lines.append(f"| {r['target']} | {r['execs']:,} | {r['seeds']} | {r['corpus']} | {r['seconds']:.1f} | {state} |")
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text("\n".join(lines) + "\n")
    tmp.replace(path)


def split(total: int, names: list[str]) -> dict[str, int]:
    """The executions of each target: ``total`` split by targets.WEIGHTS (1 unless named), the
    rounding left over given to the first ones, so the shares add up to ``total`` (each at
    least 1: below one execution per target, every target still runs once)."""
    from targets import WEIGHTS

    weight = {n: WEIGHTS.get(n, 1.0) for n in names}
    whole = sum(weight.values())
    share = {n: int(total * weight[n] / whole) for n in names}
    for n in names[: total - sum(share.values())]:
        share[n] += 1
    return {n: max(1, s) for n, s in share.items()}


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("targets", nargs="*")
    ap.add_argument("--total", type=int, default=1_000_000, help="executions in total, split over the targets")
    ap.add_argument("--seconds", type=int, default=300, help="wall-time cap per target")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    # How run() starts each target's worker process; not for people (crashes always land in
    # tests/data/fuzz-regressions/, where the suite replays them).
    ap.add_argument("--worker", help=argparse.SUPPRESS)
    ap.add_argument("--runs", type=int, help=argparse.SUPPRESS)
    ap.add_argument("--corpus", help=argparse.SUPPRESS)
    ap.add_argument("--artifacts", help=argparse.SUPPRESS)
    a = ap.parse_args(argv)
    if a.worker:
        worker(a.worker, a.runs, a.seconds, Path(a.corpus), Path(a.artifacts))
        return 0
    from targets import TARGETS

    names = a.targets or list(TARGETS)
    unknown = [n for n in names if n not in TARGETS]
    if unknown:
        print(f"unknown target {unknown[0]!r}; targets: {', '.join(TARGETS)}", file=sys.stderr)
        return 2
    share = split(a.total, names)
    with ThreadPoolExecutor(max_workers=a.jobs) as pool:
        results = list(pool.map(lambda n: launch(n, share[n], a.seconds), names))
    total = sum(r["execs"] for r in results)
    print(f"{'target':<22} {'executions':>11} {'seconds':>8}  result")
    for r in results:
        state = "crash: " + ", ".join(r["crashes"]) if r["crashes"] else ("FAILED: " + r["reason"] if r["failed"] else "ok")
        print(f"{r['target']:<22} {r['execs']:>11,} {r['seconds']:>8.1f}  {state}")
    print(f"{'total':<22} {total:>11,}")
    if not a.targets:  # a partial run does not replace the summary of a full one
        write_results(RESULTS, results, a.total, a.seconds)
        print(f"summary written to {RESULTS.relative_to(ROOT)}")
    return 1 if any(r["failed"] or r["crashes"] for r in results) else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
