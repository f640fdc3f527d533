"""pvenum resolve TARGET — what each guest model derives from a platform, with evidence."""

from __future__ import annotations

import json
import sys

import click



def model_option(fn):
    """``--model NAME`` (repeatable, comma-separated): a model, or linux@RELEASE / systemd@VERSION."""

    def check(ctx: click.Context, param: click.Parameter, value: tuple[str, ...]) -> tuple[str, ...]:
        from ..errors import PvenumError
        from ..resolver import check_models

        try:
            return check_models(value)
        except PvenumError as err:
            raise click.BadParameter(str(err)) from None

    return click.option(
        "--model", "models", multiple=True, callback=check, metavar="NAME",
        help="Only these models (repeatable or comma-separated): linux, systemd, virt-what, proposal; "
             "linux@6.1, linux@6.6, linux@6.12 (linux is newest mainline), systemd@VERSION.")(fn)


def resolution_json(target_name: str, platform, derivations: dict, *, trace: bool = False, observed=None) -> dict:
    out = {
        "target": target_name,
        "arch": platform.arch,
        "derivations": {m: d.to_dict(trace=trace) for m, d in derivations.items()},
    }
    if observed is not None:  # DESIGN "Observed kernel": the kernel's own conclusion, and per model agreement
        from ..observe import compare

        out["observed"] = observed.to_dict()
        for m, d in derivations.items():
            out["derivations"][m]["observed_agreement"] = compare(observed, d).to_dict()
    if platform.notes:
        out["notes"] = list(platform.notes)
    if platform.problems:
        out["problems"] = [p.to_json() for p in platform.problems]
    return out


@click.command()
@click.argument("target")
@model_option
@click.option("--json", "as_json", is_flag=True, help="One JSON object (docs/contracts.md).")
@click.option("--explain", is_flag=True, help="Walk each derivation rule by rule: input, bits, source, conclusion.")
@click.option("--strict", is_flag=True, help="Text captures must be only the tool's output: refuse pasted quoting and prose.")
def resolve(target: str, models: tuple[str, ...], as_json: bool, explain: bool, strict: bool) -> int:
    """Resolve TARGET — a bundled scenario name, a scenario TOML, a bundle directory or a
    single artifact — under each guest model: linux, systemd, virt-what, proposal (or the --model
    list, e.g. linux@6.1,linux). Exit 1 when a bundle is not one platform (a file unreadable,
    copies disagreeing: `pvenum verify`)."""
    from ..resolver import resolve_all
    from ..target import load_target

    tgt = load_target(target, strict=strict)
    derivations = resolve_all(tgt.platform, models or None)
    if as_json:
        sys.stdout.write(json.dumps(resolution_json(tgt.name, tgt.platform, derivations, trace=explain,
                                                    observed=tgt.observed), indent=2) + "\n")
        return 1 if tgt.platform.problems else 0
    from ..report.console import console
    from ..report.render import render_derivations

    con = console()
    con.print(render_derivations(tgt.name, tgt.platform.arch, derivations, explain=explain))
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
