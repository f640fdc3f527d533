"""pvenum compare-encodings SCENARIO — one services record in the CPUID, DT and ACPI encodings."""

from __future__ import annotations

import json
import sys

import click


@click.command("compare-encodings")
@click.argument("scenario")
@click.option("--json", "as_json", is_flag=True, help="JSON: per encoding the bytes, decoded fields, size and derivations.")
def compare_encodings(scenario: str, as_json: bool) -> None:
    """Build SCENARIO's paravisor services record three times — advertised only through CPUID,
    only through the devicetree, only through ACPI — and show the bytes, decoded fields and
    size of each, and what every guest model derives from each platform."""
    from ..encodings import compare, to_rich
    from ..errors import PvenumError
    from ..target import load_target

    tgt = load_target(scenario)
    if tgt.scenario is None:
        raise PvenumError("is not a scenario (a catalog name or a scenario TOML)", path=scenario)
    views = compare(tgt.scenario)
    if as_json:
        sys.stdout.write(json.dumps({"scenario": tgt.name, "encodings": [v.to_json() for v in views]}, indent=2) + "\n")
        return
    from ..report.console import console

    console().print(to_rich(tgt.scenario, views))
