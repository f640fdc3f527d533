"""pvenum inspect PATH... — decode files or directories, format detected from content."""

from __future__ import annotations

import click

from ..formats import FORMATS_BY_NAME


@click.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=True))
@click.option("--json", "as_json", is_flag=True, help="JSON Lines: one object per artifact (docs/contracts.md).")
@click.option("--bits", is_flag=True, help="Decode registers and fields bit by bit.")
@click.option("--format", "fmt", default=None, type=click.Choice(list(FORMATS_BY_NAME)),
              help="Skip detection and read as this format.")
@click.option("--disasm", is_flag=True, help="ACPI: also show `iasl -d` disassembly (needs iasl).")
@click.option("--dts", "as_dts", is_flag=True, help="DTB: print devicetree source instead of the table view.")
@click.option("--strict", is_flag=True,
              help="cpuid -r / acpidump text must be only the tool's output: refuse pasted quoting and prose "
                   "(by default they are read and the skipped lines named).")
def inspect(paths: tuple[str, ...], as_json: bool, bits: bool, fmt: str | None, disasm: bool, as_dts: bool,
            strict: bool) -> None:
    """Decode artifacts: DTB/DTS, ACPI tables and acpidump text, cpuid -r text, kvm_cpuid2,
    Firecracker templates, pvenum TOML. Directories are read recursively; a symlink met in one
    that leads out of it is named, not read (as `grep -r` passes it by)."""
    from ._inspect import run

    run(paths, as_json=as_json, bits=bits, fmt=fmt, disasm=disasm, as_dts=as_dts, strict=strict)
