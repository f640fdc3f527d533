"""Run by bench_resolve.py under either interpreter (this tree's, or the baseline commit's
virtualenv): times in-process resolving of every bundle under a directory, all four models,
on freshly loaded platforms (nothing one pass learns about a platform carries to the next).
Prints one JSON object: {"platforms": N, "seconds": best pass}.

An optional fourth argument changes what a pass measures:
- ``json``: every derivation is also turned into its JSON form with the trace (what
  `resolve --json --explain` prints), so evidence and trace are made and read;
- ``warm``: each platform is resolved once before the timed pass, so what a platform keeps
  about itself (its indexes: CPU 0's leaves, the hypervisor bases, the first ACPI table per
  signature, the devicetree's path index) is already built: the cost of the rules alone;
- ``noop`` (this tree only): every rule of the four models does nothing, so what remains is the
  engine, the model states and the derivations: the least a resolve can cost with these rules.
"""

import json
import sys
import time
from pathlib import Path


def _noop_rules() -> None:
    """Make every rule of the four models a no-op, through the one name each model module
    calls the engine by (``run``), and check that it took: a model whose rules still run
    would make this row measure something else."""
    from pvenum.resolver.models import linux, proposal, systemd, virt_what

    def nothing(ctx, state):
        return None

    blank: dict = {}

    def blanked(rules):
        key = id(rules)
        if key not in blank:
            blank[key] = (rules, tuple(r._replace(apply=nothing) for r in rules))
        return blank[key][1]

    for mod in (linux, proposal, systemd, virt_what):
        real = mod.run

        def run(rules, platform, derivation, *, final=None, m=None, facts=None, _real=real):
            return _real(blanked(rules), platform, derivation, final=final and final._replace(apply=nothing),
                         m=m, facts=facts)

        mod.run = run


def main() -> None:
    root, copies, repeats = Path(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
    mode = sys.argv[4] if len(sys.argv) > 4 else ""
    if mode not in ("", "json", "warm", "noop"):
        raise SystemExit(f"unknown mode {mode!r}")
    if mode == "noop":
        _noop_rules()
    from pvenum.resolver import resolve_all
    from pvenum.target import load_target

    bundles = sorted(p for p in root.iterdir() if p.is_dir())
    for b in bundles:  # imports and module-level caches: not what is measured
        ds = resolve_all(load_target(str(b)).platform)
        if mode == "noop" and any(d.trace for d in ds.values()):
            raise SystemExit("noop: a model's rules still ran")
    best = float("inf")
    for _ in range(repeats):
        platforms = [load_target(str(b)).platform for _ in range(copies) for b in bundles]
        if mode == "warm":
            for p in platforms:
                resolve_all(p)
        t = time.perf_counter()
        for p in platforms:
            ds = resolve_all(p)
            if mode == "json":
                for d in ds.values():
                    d.to_dict(trace=True)
        best = min(best, time.perf_counter() - t)
    print(json.dumps({"platforms": len(bundles) * copies, "seconds": best}))


if __name__ == "__main__":
    main()
