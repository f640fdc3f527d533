"""pvenum build TARGET -o DIR — every blob a scenario (or any platform) implies."""

from __future__ import annotations

from pathlib import Path

import click


@click.command()
@click.argument("target", required=False)
@click.option("-o", "--output", required=True, type=click.Path(file_okay=False), help="Directory to write.")
@click.option("--all", "build_all", is_flag=True, help="Build the whole catalog: one directory per scenario under -o.")
def build(target: str | None, output: str, build_all: bool) -> None:
    """Write `cpuid -1 -r` text, kvm_cpuid2, a Firecracker template, platform.toml, DTB and
    DTS, ACPI tables (binary and acpidump text) and a manifest with SHA-256s. Output is
    byte-reproducible and written atomically; `pvenum resolve DIR` gives back the same
    derivation."""
    from ..build import write_bundle
    from ..target import load_target

    if build_all == bool(target):
        raise click.UsageError("give a TARGET or --all (not both)")
    if build_all:
        from .._progress import Progress
        from ..scenario import catalog

        progress = Progress("build")  # on a terminal only, as audit's
        try:
            for sc in catalog.all_scenarios():
                dest = Path(output) / sc.name
                m = write_bundle(sc.platform(), dest, name=sc.name, description=sc.description)
                click.echo(f"{dest}: {len(m['files'])} files")
                progress.update()
        finally:
            progress.close()
        return
    tgt = load_target(target)  # type: ignore[arg-type]
    desc = tgt.scenario.description if tgt.scenario is not None else f"rebuilt from {target}"
    m = write_bundle(tgt.platform, output, name=tgt.name, description=desc)
    click.echo(f"{output}: {len(m['files'])} files")
    for f in m["files"]:
        click.echo(f"  {f['path']:<24} {f['format']:<22} {f['sha256'][:16]}")
