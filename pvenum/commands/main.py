"""`pvenum` with no arguments: the bundled catalog resolved under every guest model;
`pvenum main PATH...`: the same matrix for your own scenario files, bundles and captures."""

from __future__ import annotations

import json
import sys

import click

from . import warn_not_read
from .resolve import kernel_config_option


def _models(values: tuple[str, ...]) -> list[str] | None:
    """--model values (repeatable, comma-separated), checked as `pvenum resolve --model` checks them."""
    from ..errors import PvenumError
    from ..resolver.registry import check_models

    try:
        return list(check_models(values)) or None
    except PvenumError as err:
        raise click.BadParameter(str(err), param_hint="--model") from None


@click.command()
@click.argument("paths", nargs=-1)
@click.option("--json", "as_json", is_flag=True, help="The matrix as JSON.")
@click.option("--markdown", is_flag=True, help="The matrix as a Markdown table (code review, docs).")
@click.option("--scenario", "names", multiple=True, help="Only these bundled scenarios (repeatable).")
@click.option("--model", "model_opts", multiple=True, metavar="NAME[,NAME...]",
              help="Only these guest models, in this order (repeatable or comma-separated); "
                   "linux@6.1,linux@6.12,linux puts kernel releases side by side.")
@kernel_config_option
@click.option("--differ", is_flag=True, help="Only the scenarios whose cells differ between the models "
              "(e.g. releases: --model linux@6.1,linux@6.12,linux --differ).")
def main(paths: tuple[str, ...], as_json: bool, markdown: bool, names: tuple[str, ...],
         model_opts: tuple[str, ...] = (), kernel_config=None, differ: bool = False) -> None:
    """Resolve the bundled scenario catalog — or PATHs: scenario TOML files, bundle
    directories, single captures, or directories of them — and print scenarios × models:
    mode, isolation, memory acceptance, attestation and TDISP, with the rows where models
    disagree highlighted, then the findings."""
    from ..errors import UsageError
    from ..report import matrix

    models = _models(model_opts)
    if paths:
        if names:
            raise click.UsageError("--scenario picks bundled scenarios; give either it or PATHs")
        from ..userplatforms import entries

        scs: list = entries(list(paths), warn_not_read)
    else:
        from ..scenario import catalog

        scs = catalog.all_scenarios()
        if names:
            scs = [catalog.get(n) for n in names]
            missing = [n for n, sc in zip(names, scs) if sc is None]
            if missing:
                raise UsageError(f"no bundled scenario named {missing[0]!r} (see `pvenum scenarios`)")
    rows = matrix.build_rows(scs, models, kernel_config=kernel_config)
    if differ:
        rows = [r for r in rows if r.cells_differ]
    if as_json:
        sys.stdout.write(json.dumps(matrix.to_json(rows), indent=2) + "\n")
    elif markdown:
        sys.stdout.write(matrix.to_markdown(rows))
    else:
        from ..report.console import console

        console().print(matrix.to_rich(rows))
