"""Resolving and auditing against the code of commit f08b4cf (main before issue 15's round),
installed in a temporary virtualenv and run side by side on the same bundles — built by that
older code, so both sides read the same bytes. Also the audit's peak memory over 100,000
bundles against 1,000 (streaming: it must not grow with the number of targets).

Rows (ratio = times faster than the baseline):
- in-process resolve, all four models, on freshly loaded platforms of the 30 catalog bundles
  (what the matrix, audit summaries and expectations read), and the same with every derivation
  turned into its JSON with the trace (evidence made and read: `resolve --json --explain`);
- the same resolve of platforms each resolved once before (their indexes built: the rules' own
  cost), and this tree's resolve with every rule a no-op (the engine's floor), which together
  say where the first row's time goes;
- `pvenum audit -j 1` of a fleet of 990 bundles (each catalog bundle on 33 machines: what a
  fleet looks like, and what the content-key dedup is for);
- `pvenum audit -j 1` of the 30 distinct bundles (no duplicates: loading and resolving only);
- peak RSS of `pvenum audit -j 1` over 100,000 bundles (symlinks to the 30) vs 1,000.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from common import best_pair_commands, row
from reference import BASELINE, reference_install


def _copy_fleet(built: Path, dest: Path, copies: int) -> None:
    """``copies`` machines per bundle, files hard-linked (cheap, and real files for both walkers)."""
    for i in range(copies):
        for b in sorted(built.iterdir()):
            for f in b.rglob("*"):
                target = dest / f"m{i:03d}-{b.name}" / f.relative_to(b)
                if f.is_dir():
                    target.mkdir(parents=True, exist_ok=True)
                else:
                    target.parent.mkdir(parents=True, exist_ok=True)
                    os.link(f, target)


def _link_fleet(built: Path, dest: Path, n: int) -> None:
    """``n`` bundle directories as symlinks to the built ones, 1,000 per directory."""
    bundles = sorted(built.iterdir())
    for i in range(n):
        d = dest / f"rack{i // 1000:03d}"
        if i % 1000 == 0:
            d.mkdir(parents=True)
        (d / f"m{i:06d}").symlink_to(bundles[i % len(bundles)], target_is_directory=True)


def _peak_rss_kib(cmd: list[str]) -> tuple[int, float]:
    """Peak RSS of ``cmd`` (its largest process, KiB) and its wall time, in a fresh wrapper."""
    probe = ("import resource, subprocess, sys, time; t = time.perf_counter(); "
             "subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, check=True); "
             "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, time.perf_counter() - t)")
    out = subprocess.run([sys.executable, "-c", probe, *cmd], capture_output=True, text=True, check=True,
                         cwd=tempfile.gettempdir()).stdout
    rss, secs = out.split()
    return int(rss), float(secs)


def run(quick: bool = False) -> list[dict]:
    repeats = 1 if quick else 3
    here = [sys.executable, "-m", "pvenum"]
    driver = str(Path(__file__).with_name("_resolve_driver.py"))
    rows = []
    with reference_install(BASELINE) as ref, tempfile.TemporaryDirectory(prefix="pvenum-bench-fleet-") as tmp:
        built = Path(tmp) / "built"
        subprocess.run([*ref.pvenum, "build", "--all", "-o", str(built)], check=True, capture_output=True, cwd=tmp)
        n_built = len(list(built.iterdir()))

        copies = 2 if quick else 4
        # Best of several passes in each process and of several processes per side, alternating:
        # one pass per process let a single slow moment on either side move the ratio by 10-20%.
        passes = 2 if quick else 5

        def driver_seconds(python: str, *extra: str) -> float:
            out = subprocess.run([python, driver, str(built), str(copies), str(passes), *extra], check=True,
                                 capture_output=True, text=True, cwd=tmp).stdout
            return json.loads(out)["seconds"]

        n = n_built * copies
        fresh_ref = None
        fresh = "freshly loaded platforms"
        for extra, label, target, loaded, what in (
            ((), "in-process resolve, all four models", 10, fresh, "evidence and trace made only when read"),
            (("json",), "in-process resolve + JSON with trace, all four models", None, fresh,
             "every derivation's evidence and trace made and serialised"),
            (("warm",), "in-process resolve, platforms resolved once before", None,
             "platforms, each resolved once before the timed pass",
             "what each keeps about itself (its indexes) already built, on both sides: the rules' own cost"),
        ):
            s_in, r_in = [], []
            for _ in range(repeats):
                s_in.append(driver_seconds(sys.executable, *extra))
                r_in.append(driver_seconds(ref.python, *extra))
            s, r = min(s_in), min(r_in)
            if not extra:
                fresh_ref = r
            rows.append(row(label, s, f"commit {BASELINE}", r, target=target,
                            note=f"{n} {loaded} ({n_built} catalog bundles × {copies}); {what}; "
                            f"{n / s:,.0f} vs {n / r:,.0f} platforms/s"))
        # The floor under the first row: the same run with every rule a no-op (this tree only),
        # against the baseline's full resolve measured above. 10x that baseline leaves the rules
        # what is left of a tenth of it once this floor is paid.
        s = min(driver_seconds(sys.executable, "noop") for _ in range(repeats))
        rows.append(row("in-process resolve with every rule a no-op (engine, model states, derivations)", s,
                        f"commit {BASELINE}, full resolve", fresh_ref,
                        note=f"{n} {fresh}; the least a resolve costs with these models; "
                        f"a 10x resolve leaves the rules {(fresh_ref / 10 - s) * 1e3:.2f} ms of its "
                        f"{fresh_ref / 10 * 1e3:.2f} ms"))

        fleet = Path(tmp) / "fleet"
        machines = 3 if quick else 33
        _copy_fleet(built, fleet, machines)
        nf = n_built * machines
        s, r = best_pair_commands([*here, "audit", str(fleet), "-j", "1"],
                                  [*ref.pvenum, "audit", str(fleet), "-j", "1"], repeats, cwd=tmp)
        rows.append(row(f"pvenum audit -j 1, fleet of {nf} bundles", s, f"commit {BASELINE}", r, target=10,
                        note=f"{n_built} distinct bundles on {machines} machines each (hard-linked copies); "
                        f"{nf / s:,.0f} vs {nf / r:,.0f} bundles/s"))
        s, r = best_pair_commands([*here, "audit", str(built), "-j", "1"],
                                  [*ref.pvenum, "audit", str(built), "-j", "1"], repeats, cwd=tmp)
        rows.append(row(f"pvenum audit -j 1, {n_built} distinct bundles", s, f"commit {BASELINE}", r,
                        note=f"no duplicates to skip: loading and resolving every bundle; "
                        f"{n_built / s:,.0f} vs {n_built / r:,.0f} bundles/s (process start included)"))

        big = 5_000 if quick else 100_000
        small = 1_000
        _link_fleet(built, Path(tmp) / "big", big)
        _link_fleet(built, Path(tmp) / "small", small)
        rss_small, _ = _peak_rss_kib([*here, "audit", str(Path(tmp) / "small"), "-j", "1"])
        rss_big, secs = _peak_rss_kib([*here, "audit", str(Path(tmp) / "big"), "-j", "1"])
        rows.append(row(f"pvenum audit -j 1 peak RSS, {big:,} bundles", rss_big, f"the same over {small:,} bundles",
                        rss_small, target=0.8, subject_text=f"{rss_big / 1024:.1f} MiB",
                        reference_text=f"{rss_small / 1024:.1f} MiB",
                        note=f"streaming in and out: memory does not grow with targets (ratio = small/big peak, "
                        f"target >= 0.8); {big:,} bundles in {secs:.0f} s = {big / secs:,.0f} bundles/s, "
                        f"one core, every bundle read and keyed"))
    return rows


if __name__ == "__main__":
    from run import main

    raise SystemExit(main(["resolve", *sys.argv[1:]]))
