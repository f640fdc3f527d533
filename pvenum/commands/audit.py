"""pvenum audit DIR — resolve every bundle or artifact under DIR, in parallel (JSON Lines)."""

from __future__ import annotations

import json
import os
import sys

import click


@click.command()
@click.argument("root", type=click.Path(exists=True))
@click.option("-j", "--jobs", type=click.IntRange(min=0), default=0, help="Worker processes (default: all cores).")
@click.option("--fail-on", type=click.Choice(["never", "error", "conflict"]), default="never",
              help="Exit 1 when any target failed to load or has a bundle problem (error), or also when any model found a conflict.")
def audit(root: str, jobs: int, fail_on: str) -> int:
    """Resolve every bundle (a directory with platform.toml, manifest.json or snapshot.json)
    and every artifact under ROOT across all cores; print one JSON object per target, with a
    progress bar on stderr when it is a terminal."""
    from ..audit import find_targets, run

    targets = find_targets(root)
    bad = False
    progress = None
    if sys.stderr.isatty() and targets:
        from rich.progress import Progress

        progress = Progress(transient=True)
        progress.start()
        task = progress.add_task("resolving", total=len(targets))
    try:
        for res in run(targets, jobs=jobs or None):
            sys.stdout.write(json.dumps(res) + "\n")
            if "error" in res or res.get("problems"):
                bad |= fail_on in ("error", "conflict")
            elif fail_on == "conflict":
                bad |= any(d["mode"] == "conflict" for d in res["derivations"].values())
            if progress is not None:
                progress.advance(task)
    finally:
        if progress is not None:
            progress.stop()
    if sys.stderr.isatty():
        click.echo(f"{len(targets)} targets under {root} ({jobs or os.cpu_count()} workers)", err=True)
    return 1 if bad else 0
