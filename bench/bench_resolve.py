"""Resolve throughput: bundles per second through `pvenum audit`, one core against all cores,
on the built catalog replicated to a few hundred bundles."""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

from common import ROOT, row

sys.path.insert(0, str(ROOT))


def run(quick: bool = False) -> list[dict]:
    from pvenum.audit import find_targets
    from pvenum.audit import run as audit_run
    from pvenum.build import write_bundle
    from pvenum.scenario import catalog

    copies = 2 if quick else 10
    with tempfile.TemporaryDirectory(prefix="pvenum-bench-") as tmp:
        for sc in catalog.all_scenarios():
            write_bundle(sc.platform(), Path(tmp) / "0" / sc.name, name=sc.name, description=sc.description)
        for i in range(1, copies):
            shutil.copytree(Path(tmp) / "0", Path(tmp) / str(i))
        targets = find_targets(tmp)
        timings = {}
        for jobs in (1, os.cpu_count() or 1):
            t0 = time.perf_counter()
            results = list(audit_run(targets, jobs=jobs))
            timings[jobs] = time.perf_counter() - t0
            assert len(results) == len(targets) and not any("error" in r for r in results)
    n = len(targets)
    one, allc = timings[1], timings[max(timings)]
    return [
        row(f"audit {n} bundles, 1 core", one, note=f"{n / one:.0f} bundles/s"),
        row(f"audit {n} bundles, {max(timings)} cores", allc, "1 core", one, f"{n / allc:.0f} bundles/s"),
    ]


if __name__ == "__main__":
    for r in run(quick="--quick" in sys.argv):
        print(r)
