"""What `pvenum resolve` does, without click: the command (resolve.py) and the CLI's fast path
for `pvenum resolve TARGET` (pvenum/cli.py) both run it."""

from __future__ import annotations

import sys


def resolution_json(target_name: str, platform, derivations: dict, *, trace: bool = False, observed=None,
                    kernel_config=None) -> dict:
    out = {
        "target": target_name,
        "arch": platform.arch,
        "derivations": {m: d.to_dict(trace=trace) for m, d in derivations.items()},
    }
    if kernel_config is not None:  # the configuration the linux models' kernel was built with
        out["kernel_config"] = kernel_config.to_json()
    if observed is not None:  # the running kernel's own conclusion (pvenum/observe), and per-model agreement
        from ..observe import compare

        out["observed"] = observed.to_dict()
        for m, d in derivations.items():
            out["derivations"][m]["observed_agreement"] = compare(observed, d).to_dict()
    if platform.notes:
        out["notes"] = list(platform.notes)
    if platform.problems:
        out["problems"] = [p.to_json() for p in platform.problems]
    return out


def run(target: str, models: tuple[str, ...] = (), *, as_json: bool = False, explain: bool = False,
        strict: bool = False, kernel_config=None) -> int:
    """``kernel_config``: a pvenum.kconfig.KernelConfig that overrides the target's own."""
    from ..resolver.registry import resolve_all
    from ..target import load_target

    tgt = load_target(target, strict=strict)
    # The one given, else the bundle's own (a snapshot's kernel.config), when it has one.
    config = kernel_config if kernel_config is not None else tgt.kernel_config
    derivations = resolve_all(tgt.platform, models or None, kernel_config=config)
    if as_json:
        import json

        sys.stdout.write(json.dumps(resolution_json(tgt.name, tgt.platform, derivations, trace=explain,
                                                    observed=tgt.observed, kernel_config=config), indent=2) + "\n")
        return 1 if tgt.platform.problems else 0
    from ..report.console import console
    from ..report.render import render_derivations

    con = console()
    con.print(render_derivations(tgt.name, tgt.platform.arch, derivations, explain=explain))
    if config is not None:
        con.print(f"linux models built as {config.describe()} says")
    if tgt.observed is not None:
        from ..observe import compare

        o = tgt.observed
        con.print(f"running kernel {o.kernel_release or '?'} concluded: mode {o.mode or '?'}, isolation "
                  f"{o.isolation or '?'}, hypervisor {o.hypervisor or '?'}, memory {o.memory_acceptance or '?'} "
                  f"(boot {o.outcome})")
        for m, d in derivations.items():
            ag = compare(o, d)
            verdict = "agrees" if ag.agrees else ("differs on " + ", ".join(ag.differing) if ag.fields else "not compared")
            con.print(f"  {m}: {verdict}")
    for note in tgt.platform.notes:
        con.print(f"[yellow]note:[/yellow] {note}")
    # Problems are in every model's findings above (code bundle.*).
    return 1 if tgt.platform.problems else 0
