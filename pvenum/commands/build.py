"""pvenum build TARGET -o DIR — every blob a scenario (or any platform) implies."""

from __future__ import annotations

from pathlib import Path

import click


@click.command()
@click.argument("target", required=False)
@click.option("-o", "--output", required=True, type=click.Path(file_okay=False), help="Directory to write.")
@click.option("--all", "build_all", is_flag=True, help="Build the whole catalog: one directory per scenario under -o.")
@click.option("--force", is_flag=True,
              help="Write into a directory holding other files too: replace only the files pvenum's "
                   "manifest.json lists, never remove or overwrite any other.")
def build(target: str | None, output: str, build_all: bool, force: bool) -> None:
    """Write `cpuid -1 -r` text, kvm_cpuid2, a Firecracker template, platform.toml, DTB and
    DTS, ACPI tables (binary and acpidump text) and a manifest with SHA-256s; the [expect]
    tables TARGET states go into platform.toml, so `pvenum check DIR` checks them. Output is
    byte-reproducible and written atomically; `pvenum resolve DIR` gives back the same
    derivation (a bundle TARGET with problems is rebuilt from what resolution reads, each
    problem named on stderr). DIR must be new, empty or written by pvenum (its manifest.json lists every
    file); anything else is refused untouched."""
    from .. import _output
    from ..build import write_bundle
    from ..target import load_target

    if build_all == bool(target):
        raise click.UsageError("give a TARGET or --all (not both)")
    if build_all:
        from .._progress import Progress
        from ..scenario import catalog

        scs = catalog.all_scenarios()
        # Every directory is checked before the first one is written.
        dests = _output.check_collection(output, [sc.name for sc in scs], force=force)
        progress = Progress("build")  # on a terminal only, as audit's
        try:
            for sc, dest in zip(scs, dests):
                m = write_bundle(sc.platform(), dest, name=sc.name, description=sc.description, expect=sc.expect)
                click.echo(f"{Path(output) / sc.name}: {len(m['files'])} files")
                progress.update()
        finally:
            progress.close()
        return
    tgt = load_target(target)  # type: ignore[arg-type]
    # A bundle with problems (copies that disagree, a file unreadable, a manifest mismatch) is
    # rebuilt from what resolution reads; the rest of it is not carried over, and the rebuilt
    # bundle no longer shows the problems: said on stderr, one line each, before writing.
    for problem in tgt.platform.problems:
        click.echo(f"pvenum: warning: [{problem.code}] {problem.line()}: not carried into {output} "
                   "(built from what resolution reads)", err=True)
    desc = tgt.scenario.description if tgt.scenario is not None else f"rebuilt from {target}"
    m = write_bundle(tgt.platform, output, name=tgt.name, description=desc, force=force,
                     expect=tgt.expectations(target))  # type: ignore[arg-type]
    click.echo(f"{output}: {len(m['files'])} files")
    for f in m["files"]:
        click.echo(f"  {f['path']:<24} {f['format']:<22} {f['sha256'][:16]}")
