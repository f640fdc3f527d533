"""pvenum snapshot -o DIR — capture this machine into a bundle directory."""

from __future__ import annotations

import click


@click.command()
@click.option("-o", "--output", required=True, type=click.Path(file_okay=False), help="Bundle directory to write.")
@click.option("--sysroot", default="/", show_default=True, type=click.Path(file_okay=False),
              help="Read /dev and /sys under this root (for offline trees and tests).")
def snapshot(output: str, sysroot: str) -> None:
    """Capture CPUID (/dev/cpu/0/cpuid, else `cpuid -1 -r`), SEV_STATUS (/dev/cpu/0/msr),
    /sys/firmware/acpi/tables and /sys/firmware/fdt into a bundle that `pvenum resolve`
    reads. Each missing source is listed; none is fatal."""
    from ..snapshot import take

    rep = take(output, sysroot=sysroot)
    for what, where in rep.captured.items():
        click.echo(f"captured {what}: {where}")
    for what, why in rep.missing.items():
        click.echo(f"missing  {what}: {why}", err=True)
    click.echo(f"wrote {output}")
