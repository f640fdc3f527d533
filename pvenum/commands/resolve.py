"""pvenum resolve TARGET — what each guest model derives from a platform, with evidence."""

from __future__ import annotations

import json
import sys

import click

from ..resolver import MODELS


def resolution_json(target_name: str, platform, derivations: dict, *, trace: bool = False) -> dict:
    out = {
        "target": target_name,
        "arch": platform.arch,
        "derivations": {m: d.to_dict(trace=trace) for m, d in derivations.items()},
    }
    if platform.notes:
        out["notes"] = list(platform.notes)
    return out


@click.command()
@click.argument("target")
@click.option("--model", "models", multiple=True, type=click.Choice(MODELS), help="Only these models (repeatable).")
@click.option("--json", "as_json", is_flag=True, help="One JSON object (docs/contracts.md).")
@click.option("--explain", is_flag=True, help="Walk each derivation rule by rule: input, bits, source, conclusion.")
@click.option("--strict", is_flag=True, help="Text captures must be only the tool's output: refuse pasted quoting and prose.")
def resolve(target: str, models: tuple[str, ...], as_json: bool, explain: bool, strict: bool) -> None:
    """Resolve TARGET — a bundled scenario name, a scenario TOML, a bundle directory or a
    single artifact — under each guest model: linux, systemd, virt-what, proposal."""
    from ..resolver import resolve_all
    from ..target import load_target

    tgt = load_target(target, strict=strict)
    derivations = resolve_all(tgt.platform, models or None)
    if as_json:
        sys.stdout.write(json.dumps(resolution_json(tgt.name, tgt.platform, derivations, trace=explain), indent=2) + "\n")
        return
    from ..report.console import console
    from ..report.render import render_derivations

    con = console()
    con.print(render_derivations(tgt.name, tgt.platform.arch, derivations, explain=explain))
    for note in tgt.platform.notes:
        con.print(f"[yellow]note:[/yellow] {note}")
