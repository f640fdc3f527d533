"""Run by bench_resolve.py under either interpreter (this tree's, or the baseline commit's
virtualenv): times in-process resolving of every bundle under a directory, all four models,
on freshly loaded platforms (nothing one pass learns about a platform carries to the next).
With a fourth argument ``json`` every derivation is also turned into its JSON form with the
trace (what `resolve --json --explain` prints), so evidence and trace are made and read.
Prints one JSON object: {"platforms": N, "seconds": best pass}."""

import json
import sys
import time
from pathlib import Path


def main() -> None:
    root, copies, repeats = Path(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
    as_json = sys.argv[4:5] == ["json"]
    from pvenum.resolver import resolve_all
    from pvenum.target import load_target

    bundles = sorted(p for p in root.iterdir() if p.is_dir())
    for b in bundles:  # imports and module-level caches: not what is measured
        resolve_all(load_target(str(b)).platform)
    best = float("inf")
    for _ in range(repeats):
        platforms = [load_target(str(b)).platform for _ in range(copies) for b in bundles]
        t = time.perf_counter()
        for p in platforms:
            ds = resolve_all(p)
            if as_json:
                for d in ds.values():
                    d.to_dict(trace=True)
        best = min(best, time.perf_counter() - t)
    print(json.dumps({"platforms": len(bundles) * copies, "seconds": best}))


if __name__ == "__main__":
    main()
