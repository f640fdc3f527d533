"""pvenum verify DIR — a bundle's copies agree with each other and with its manifest."""

from __future__ import annotations

import json
import sys

import click


@click.command()
@click.argument("directory", type=click.Path(exists=True, file_okay=False))
@click.option("--json", "as_json", is_flag=True, help="JSON Lines, one object per problem.")
def verify(directory: str, as_json: bool) -> int:
    """Check that the bundle or build directory DIRECTORY states one platform: every file
    reads, every file matches its manifest.json entry, and the copies of each channel agree
    (cpuid / cpuid.kvm / cpuid-template.json, fdt.dtb / fdt.dts, acpi/*.dat / acpidump.txt).
    Each problem names its file, and its channel and field or its format and offset; exit 1
    when there is any."""
    from ..bundle import read_bundle

    b = read_bundle(directory)
    if not b.artifacts and not b.problems:
        raise click.UsageError(f"{directory}: no artifact pvenum reads in this directory")
    for p in b.problems:
        sys.stdout.write((json.dumps(p.to_json()) if as_json else p.line()) + "\n")
    if not as_json:
        copies = sum(1 for rel in b.by_file if rel != "manifest.json")
        manifest = ", manifest.json matches" if (b.root / "manifest.json").is_file() else " (no manifest.json)"
        verdict = f"{len(b.problems)} problem(s)" if b.problems else f"one platform: copies agree{manifest}"
        click.echo(f"{directory}: {copies} file(s) read; {verdict}", err=True)
    return 1 if b.problems else 0
