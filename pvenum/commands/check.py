"""pvenum check PATH... — stated [expect] tables against what each model derives."""

from __future__ import annotations

import json
import sys

import click

from . import warn_not_read
from .resolve import kernel_config_option


@click.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--json", "as_json", is_flag=True,
              help="JSON Lines, one object per mismatch (and per target that cannot be read: \"error\").")
@kernel_config_option
def check(paths: tuple[str, ...], as_json: bool, kernel_config=None) -> int:
    """Resolve every target that states expectations — scenario TOMLs ([expect.MODEL]), bundle
    directories ([expect.MODEL] in platform.toml), bundled scenario names, or directories
    holding them — and compare each stated field (mode, isolation, hypervisor,
    memory_acceptance, attestation/tdisp/vtpm, output, findings, findings_absent) with the
    derivation. Prints each mismatch as TARGET: MODEL: FIELD: expected …, derived …; exit 1
    on any mismatch (or bundle problem), 2 when nothing given states an expectation. A
    target that cannot be read is named on stderr as any error is, and the others are still
    checked; the exit is then that error's (3 for malformed input)."""
    from ..check import check_target, find_targets
    from ..errors import PvenumError
    from ..expect import text

    targets = [t for arg in paths for t in find_targets(arg, warn_not_read)]
    checked = skipped = failed = fields = unread = 0
    worst = 0  # the highest exit code of a target that could not be read
    for t in targets:
        try:
            res = check_target(t, kernel_config)
        except PvenumError as err:  # one bad scenario in a directory does not hide the rest
            sys.stderr.write(f"pvenum: error: {err}\n")
            if as_json:  # a JSON Lines reader sees every target it gave, as audit's error records
                sys.stdout.write(json.dumps({"target": t, "error": str(err), "exit": err.exit_code}) + "\n")
            unread += 1
            worst = max(worst, err.exit_code)
            continue
        if not res.expect:
            skipped += 1
            click.echo(f"{res.name}: no [expect] table; not checked", err=True)
            continue
        checked += 1
        fields += sum(len(e.to_dict()) for e in res.expect.values())
        failed += bool(res.mismatches or res.problems)
        for m in res.mismatches:
            if as_json:
                sys.stdout.write(json.dumps({"target": res.name, **m.to_json()}, default=str) + "\n")  # a TOML date as text
            else:
                click.echo(f"{res.name}: {m.model}: {m.field}: expected {text(m.expected)}, derived {text(m.derived)}")
        for p in res.problems:
            if as_json:
                sys.stdout.write(json.dumps({"target": res.name, "problem": p.to_json()}) + "\n")
            else:
                click.echo(f"{res.name}: error: [{p.code}] {p.line()}")
    if not checked and unread:
        return worst  # every error is named above; none of the rest states an expectation
    if not checked:
        what = "nothing given" if not targets else f"none of {len(targets)} target(s)"
        raise click.UsageError(f"{what} states an [expect] table: nothing to check")
    verdict = f"{failed} failed" if failed else "all expectations met"
    click.echo(f"{checked} target(s) checked, {fields} expectation(s): {verdict}"
               + (f"; {skipped} without [expect]" if skipped else "")
               + (f"; {unread} could not be read" if unread else ""), err=True)
    return max(worst, 1 if failed else 0)
