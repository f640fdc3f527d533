"""pvenum rules — every rule and shared predicate, the models that use it, and its citation."""

from __future__ import annotations

import dataclasses
import json
import sys

import click


@click.command()
@click.option("--json", "as_json", is_flag=True, help='One JSON object: {"rules": [...], "shared": [...]}.')
def rules(as_json: bool) -> None:
    """List each rule and each shared predicate with the models that use it and the upstream
    source it mirrors: what a change to one of them touches."""
    from ..resolver.rulecatalog import catalog

    infos, preds = catalog()
    if as_json:
        out = {"rules": [dataclasses.asdict(r) for r in infos], "shared": [dataclasses.asdict(p) for p in preds]}
        sys.stdout.write(json.dumps(out, indent=2) + "\n")
        return
    from rich.table import Table

    from ..report.console import console

    t = Table(title=f"{len(preds)} shared predicates (pvenum/resolver/x86.py, arm.py, models/own_signals.py)",
              title_justify="left")
    for col in ("predicate", "models", "rules", "mirrors"):
        t.add_column(col)
    for p in preds:
        t.add_row(p.name, ", ".join(p.models), ", ".join(p.rules), p.mirrors)
    console().print(t)
    t = Table(title=f"{len(infos)} rules", title_justify="left")
    for col in ("rule", "models", "shared predicates", "cites"):
        t.add_column(col)
    for r in infos:
        t.add_row(r.id, ", ".join(r.models), ", ".join(r.uses), r.cite)
    console().print(t)
