"""pvenum snapshot -o DIR — capture this machine into a bundle directory."""

from __future__ import annotations

import click


@click.command()
@click.option("-o", "--output", required=True, type=click.Path(file_okay=False), help="Bundle directory to write.")
@click.option("--sysroot", default="/", show_default=True, type=click.Path(exists=True, file_okay=False),
              help="Read /dev and /sys under this root (for offline trees and tests).")
@click.option("--force", is_flag=True,
              help="Write into a directory holding other files too: replace only the files pvenum's "
                   "manifest.json lists, never remove or overwrite any other.")
def snapshot(output: str, sysroot: str, force: bool) -> None:
    """Capture CPUID (/dev/cpu/0/cpuid, else `cpuid -1 -r`), SEV_STATUS, SYSCFG and HWCR
    (/dev/cpu/0/msr), a TD's attributes (/dev/tdx_guest), /sys/firmware/acpi/tables and /sys/firmware/fdt into a bundle that `pvenum resolve`
    reads. Each missing source is listed; none is fatal. DIR must be new, empty or written by
    pvenum (its manifest.json lists every file); anything else is refused untouched."""
    from ..snapshot import take

    rep = take(output, sysroot=sysroot, force=force)
    for what, where in rep.captured.items():
        click.echo(f"captured {what}: {where}")
    for what, why in rep.missing.items():
        click.echo(f"missing  {what}: {why}", err=True)
    click.echo(f"wrote {output}")
