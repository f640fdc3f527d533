"""`pvenum` with no arguments: the bundled catalog resolved under every guest model."""

from __future__ import annotations

import json
import sys

import click


@click.command()
@click.option("--json", "as_json", is_flag=True, help="The matrix as JSON.")
@click.option("--markdown", is_flag=True, help="The matrix as a Markdown table (code review, docs).")
@click.option("--scenario", "names", multiple=True, help="Only these scenarios (repeatable).")
def main(as_json: bool, markdown: bool, names: tuple[str, ...]) -> None:
    """Resolve the bundled scenario catalog and print scenarios × models: mode, isolation,
    memory acceptance, attestation and TDISP, with the rows where models disagree
    highlighted, then the findings."""
    from ..errors import UsageError
    from ..report import matrix
    from ..scenario import catalog

    scs = catalog.all_scenarios()
    if names:
        scs = [catalog.get(n) for n in names]
        missing = [n for n, sc in zip(names, scs) if sc is None]
        if missing:
            raise UsageError(f"no bundled scenario named {missing[0]!r} (see `pvenum scenarios`)")
    rows = matrix.build_rows(scs)
    if as_json:
        sys.stdout.write(json.dumps(matrix.to_json(rows), indent=2) + "\n")
    elif markdown:
        sys.stdout.write(matrix.to_markdown(rows))
    else:
        from ..report.console import console

        console().print(matrix.to_rich(rows))
