"""pvenum verify DIR — a bundle's copies agree with each other and with its manifest."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click


@click.command()
@click.argument("directory")
@click.option("--json", "as_json", is_flag=True, help="JSON Lines, one object per problem.")
def verify(directory: str, as_json: bool) -> int:
    """Check that the bundle or build directory DIRECTORY (or a git tree, REV:path) states
    one platform: every file reads, every file matches its manifest.json entry, and the
    copies of each channel agree (cpuid / cpuid.kvm / cpuid-template.json, fdt.dtb /
    fdt.dts, acpi/*.dat / acpidump.txt). Each problem names its file, and its channel and
    field or its format and offset; exit 1 when there is any."""
    from ..bundle import MANIFEST, read_bundle
    from ..diff.gitsrc import is_git_spec, materialize
    from ..errors import PvenumError

    p = Path(directory)
    if not p.exists() and not is_git_spec(directory):
        raise click.BadParameter(f"{directory!r}: no such directory", param_hint="DIRECTORY")
    if p.exists() and not p.is_dir():
        raise click.BadParameter(f"{directory!r} is a file; verify reads a bundle directory", param_hint="DIRECTORY")
    with materialize([directory], beside=False) as paths:
        got = paths[0]
        if got is not None and not Path(got.path).is_dir():
            raise click.BadParameter(f"{directory!r} is a git blob; verify reads a tree", param_hint="DIRECTORY")
        # Labelled only as a git tree's stand-in (read_bundle confines what its files read beside them).
        if got is None:
            b = read_bundle(directory)
        else:
            try:
                b = read_bundle(got.path, label=directory)
            except PvenumError as err:  # named as the user named it, never the temporary checkout
                raise got.explain(err, directory) from None
    if not b.artifacts and not b.problems:
        raise click.UsageError(f"{directory}: no artifact pvenum reads in this directory")
    for problem in b.problems:
        sys.stdout.write((json.dumps(problem.to_json()) if as_json else problem.line()) + "\n")
    if not as_json:
        copies = sum(1 for rel in b.by_file if rel != MANIFEST)
        manifest = f", {MANIFEST} matches" if MANIFEST in b.files else f" (no {MANIFEST})"
        verdict = f"{len(b.problems)} problem(s)" if b.problems else f"one platform: copies agree{manifest}"
        click.echo(f"{directory}: {copies} file(s) read; {verdict}", err=True)
    return 1 if b.problems else 0
