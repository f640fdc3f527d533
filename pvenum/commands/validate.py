"""pvenum validate FILE... — structural checks with offsets; exit 1 when any check fails.

It says what it did: every file it could not validate is named with the reason (a format
with no structural checks, content not recognised), and when nothing given was validatable
it exits 2 instead of reporting "no problems".
"""

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
    """Check DTBs (libfdt fdt_check_full semantics), ACPI tables (checksums, lengths,
    revision vs size, reserved fields, subtable lengths, table-set pointers), scenario TOMLs
    (schema, overrides, [expect] values) and platform.toml. Each problem is printed with its
    stable check id and its byte offset or TOML key. Files of other formats (CPUID dumps)
    are named as not validated; exit 2 when nothing given could be validated."""
    from .. import _io
    from ..errors import FormatUnknown
    from ..formats import detect, read_in_walk, walk_inside

    failed = False
    checked = 0
    warned = 0  # warnings printed (they never fail, but "no problems" would hide them)
    skipped: dict[str, list[str]] = {}  # reason -> files
    links_out = 0  # links met walking a directory that lead out of it: named, never read

    def not_read(err: _io.LeadsOut) -> None:
        nonlocal links_out
        links_out += 1
        skipped.setdefault(err.message, []).append(str(err.path))

    # (file, the directory a walk met it in: None for a file named itself, read wherever it is)
    files: list[tuple[Path, _io.Within | None]] = []
    for p in map(Path, paths):
        if p.is_dir():
            inside = _io.Within(p)
            files.extend((Path(f), inside) for f in walk_inside(inside, p, not_read))
        else:
            files.append((p, None))
    for f, walked in files:
        try:
            data = read_in_walk(f, within=walked) if walked else _io.read_input(f)
        except _io.LeadsOut as err:  # a link swapped in after the walk looked
            skipped.setdefault(err.message, []).append(str(f))
            continue
        if data is None:
            skipped.setdefault("larger than the input limit, and not recognised", []).append(str(f))
            continue
        spec = detect(data, str(f)) if data else None
        if spec is None:
            if len(paths) == 1 and not walked and data:
                raise FormatUnknown("content not recognised as any format pvenum validates", path=str(f))
            skipped.setdefault("empty" if not data else "content not recognised", []).append(str(f))
            continue
        check = getattr(importlib.import_module(spec.module), "validate", None)
        if check is None:
            skipped.setdefault(f"{spec.name}: no structural checks for this format", []).append(str(f))
            continue
        checked += 1
        for problem in check(data, str(f), fmt=spec.name):
            if problem.severity != "error" and not warnings:
                continue
            failed |= problem.severity == "error"
            warned += problem.severity != "error"
            if as_json:
                sys.stdout.write(json.dumps(problem.to_json(str(f))) + "\n")
            else:
                click.echo(problem.line(str(f)))
    for reason, names in skipped.items():
        if reason.startswith("content") and len(names) > 5:  # a sysfs tree has many such files
            click.echo(f"{len(names)} file(s) not validated: {reason} (e.g. {names[0]})", err=True)
        else:
            for name in names:
                click.echo(f"{name}: not validated: {reason}", err=True)
    if not checked:
        met = len(files) + links_out
        if not met:
            raise click.UsageError(f"nothing to validate: no files under {', '.join(paths)}")
        raise click.UsageError(f"nothing to validate: none of {met} file(s) is of a format pvenum validates "
                               "(DTB, DTS, ACPI tables, acpidump text, scenario TOML, platform.toml)")
    if not as_json:
        n = sum(len(v) for v in skipped.values())
        rest = f"; {n} not validated" if n else ""
        verdict = ("problems found" if failed else
                   f"no errors, {warned} warning{'s' if warned != 1 else ''}" if warned else "no problems")
        click.echo(f"{checked} file(s) checked: {verdict}{rest}", err=True)
    return 1 if failed else 0
