"""pvenum audit TARGET... — resolve a fleet of bundles and artifacts, each distinct capture once
(JSON Lines as it goes; a platform-class summary as Markdown and JSON)."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import click

from .resolve import kernel_config_option


@click.command()
@click.argument("targets", nargs=-1, required=True)
@click.option("-j", "--jobs", type=click.IntRange(min=0), default=0, help="Worker processes (default: all cores).")
@click.option("--scheduler", metavar="ADDRESS|local",
              help="Run on Dask instead (pip install 'pvenum[dask]'): a scheduler address such as "
                   "tcp://HOST:8786, or 'local' for a LocalCluster on this machine.")
@click.option("--summary", "summaries", multiple=True, type=click.Path(dir_okay=False),
              help="Also write the platform-class summary to FILE (.md for Markdown, .json for JSON); repeatable.")
@click.option("--fail-on", type=click.Choice(["never", "error", "conflict"]), default="never",
              help="Exit 1 when any target failed to load or has a bundle problem (error), or also when any model found a conflict.")
@kernel_config_option
def audit(targets: tuple[str, ...], jobs: int, scheduler: str | None, summaries: tuple[str, ...],
          fail_on: str, kernel_config=None) -> int:
    """Resolve every bundle (a directory with platform.toml, manifest.json or snapshot.json)
    and every artifact under each TARGET (a directory tree, a file, or '-' for a list of
    paths on stdin, one per line). Identical captures are resolved once; one JSON object per
    target is printed as it is done; progress goes to stderr on a terminal."""
    from .. import _output
    from .._progress import Progress
    from ..audit import Summary, expand, run

    for t in targets:
        if t != "-" and not Path(t).exists():
            raise click.UsageError(f"no such file or directory: {t}")
    for s in summaries:
        if Path(s).suffix not in (".md", ".json"):
            raise click.UsageError(f"--summary {s}: name a .md or .json file")
    paths = expand(targets, getattr(sys.stdin, "buffer", None) if "-" in targets else None)  # None: stdin closed
    if scheduler:
        import importlib.util

        if importlib.util.find_spec("distributed") is None:
            raise click.UsageError("--scheduler needs Dask: pip install 'pvenum[dask]'")
        from ..audit_dask import run_dask

        records = run_dask(paths, scheduler, kernel_config=kernel_config)
        workers = f"Dask {scheduler}"
    else:
        records = run(paths, jobs=jobs or None, kernel_config=kernel_config)
        workers = f"{jobs or os.cpu_count()} workers"
    summary = Summary()
    progress = Progress("audit")
    bad = False
    try:
        for res in records:
            sys.stdout.write(json.dumps(res) + "\n")
            summary.add(res)
            if "error" in res or res.get("problems"):
                bad |= fail_on in ("error", "conflict")
            elif fail_on == "conflict":
                bad |= any(d["mode"] == "conflict" for d in res["derivations"].values())
            progress.update(error="error" in res, distinct=len(summary.distinct))
    finally:
        progress.close()
    sys.stdout.flush()
    if not summary.targets:  # exit 2, as every command given nothing usable (an error record is a target)
        from ..errors import UsageError

        where = ", ".join("the paths on stdin" if t == "-" else t for t in targets)
        raise UsageError(f"nothing to audit: no bundle or artifact pvenum reads in {where}")
    for s in summaries:
        text = summary.to_markdown() if s.endswith(".md") else json.dumps(summary.to_json(), indent=2) + "\n"
        _output.atomic_write(s, text)
    if progress.enabled:
        click.echo(f"{summary.targets} targets, {len(summary.distinct)} distinct platforms, "
                   f"{len(summary.classes)} classes ({workers})", err=True)
    return 1 if bad else 0
