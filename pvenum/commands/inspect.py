"""pvenum inspect PATH... — decode files or directories, format detected from content."""

from __future__ import annotations

import json
import sys

import click

from ..formats import FORMATS_BY_NAME


@click.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=True))
@click.option("--json", "as_json", is_flag=True, help="JSON Lines: one object per artifact (DESIGN.md contract).")
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
    Firecracker templates, pvenum TOML. Directories are read recursively."""
    from ..errors import UsageError
    from ..formats import load_path

    empty: list[str] = []
    if as_json:
        out = sys.stdout
        for path in paths:
            n = 0
            for n, art in enumerate(load_path(path, fmt=fmt, strict=strict), 1):
                out.write(json.dumps(art.to_json(), sort_keys=False) + "\n")
            if not n:
                empty.append(path)
    else:
        from ..report.plain import plain_width

        con = None
        width = plain_width()
        for path in paths:
            n = 0
            for n, art in enumerate(load_path(path, fmt=fmt, strict=strict), 1):
                text = None
                if width is not None and not as_dts and not disasm and hasattr(art, "render_text"):
                    text = art.render_text(bits=bits, width=width)  # the same text, without rich
                if text is not None:
                    sys.stdout.write(text)
                    continue
                if con is None:
                    from ..report.console import console

                    con = console()
                if as_dts and hasattr(art, "to_dts"):
                    con.print(art.to_dts(), markup=False, highlight=False, soft_wrap=True)
                    continue
                con.print(art.render(bits=bits))
                if disasm and hasattr(art, "disassemble"):
                    con.print(art.disassemble(), markup=False, highlight=False, soft_wrap=True)
            if not n:
                empty.append(path)
    if empty:  # a directory holding nothing pvenum reads: say so, never a silent success
        raise UsageError("found nothing pvenum reads here (see `pvenum inspect --help` for the formats)",
                         path=empty[0])
