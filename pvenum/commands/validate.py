"""pvenum validate FILE... — structural checks with offsets; exit 1 when any check fails."""

from __future__ import annotations

import importlib
import json
import sys
from pathlib import Path

import click


@click.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=True))
@click.option("--json", "as_json", is_flag=True, help="JSON Lines, one object per problem.")
@click.option("--warnings/--no-warnings", default=True, help="Report warnings too (they never fail).")
def validate(paths: tuple[str, ...], as_json: bool, warnings: bool) -> int:
    """Check DTBs (libfdt fdt_check_full semantics) and ACPI tables (checksums, lengths,
    revision vs size, reserved fields, subtable lengths, table-set pointers). Each problem
    is printed with its stable check id and byte offset."""
    from .. import _io
    from ..errors import FormatUnknown
    from ..formats import detect

    failed = False
    checked = 0
    files: list[Path] = []
    for p in map(Path, paths):
        files.extend(_io.iter_files(p) if p.is_dir() else [p])
    for f in files:
        data = _io.read_input(f)
        spec = detect(data, str(f))
        if spec is None:
            if len(paths) == 1 and not Path(paths[0]).is_dir():
                raise FormatUnknown("content not recognised as any format pvenum validates", path=str(f))
            continue
        mod = importlib.import_module(spec.module)
        check = getattr(mod, "validate", None)
        if check is None:
            continue
        checked += 1
        for problem in check(data, str(f), fmt=spec.name):
            if problem.severity != "error" and not warnings:
                continue
            failed |= problem.severity == "error"
            if as_json:
                sys.stdout.write(json.dumps(problem.to_json(str(f))) + "\n")
            else:
                click.echo(problem.line(str(f)))
    if not as_json:
        click.echo(f"{checked} file(s) checked: {'problems found' if failed else 'no problems'}", err=True)
    return 1 if failed else 0
