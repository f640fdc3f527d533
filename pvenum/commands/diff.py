"""pvenum diff A B — raw differences by named field, then what each guest model concludes
differently. Exit 1 with --exit-code when anything differs."""

from __future__ import annotations

import sys

import click

from .resolve import model_option

FORMATS = ("rich", "markdown", "json", "html", "svg")


@click.command()
@click.argument("a")
@click.argument("b")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="rich", show_default=True,
              help="rich terminal output, Markdown for a review comment, JSON for scripts, HTML/SVG to attach.")
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write here (atomically) instead of stdout.")
@click.option("--exit-code", is_flag=True, help="Exit 1 when anything differs, 0 when nothing does.")
@click.option("--only-derived", is_flag=True, help="Show and test derivations only (no raw fields).")
@model_option
@click.option("--max-rows", type=click.IntRange(min=0), default=None,
              help="Raw rows shown per channel (0: all). Default: 200 in rich/HTML/SVG; Markdown and JSON show all.")
@click.option("--width", type=click.IntRange(min=40, max=1000), default=None,
              help="Width of the rich/HTML/SVG rendering (default: the terminal; 140 for HTML/SVG).")
def diff(a: str, b: str, fmt: str, output: str | None, exit_code: bool, only_derived: bool,
         models: tuple[str, ...], max_rows: int | None, width: int | None) -> int:
    """Compare A and B: two bundled scenario names, scenario TOMLs, bundle or `pvenum build`
    directories (compared as platforms: every channel and every model's derivation), or two
    single artifacts of one family (CPUID dumps, DTB/DTS, ACPI tables). REV:path reads a file
    or directory straight from git, e.g. `pvenum diff HEAD~1:cpuid.kvm HEAD:cpuid.kvm`."""
    from ..diff.compare import DiffUsageError, diff_targets
    from ..diff import render as R

    try:
        result = diff_targets(a, b, models=models or None)
    except DiffUsageError as err:
        raise click.UsageError(err.message) from None

    if max_rows is None:  # Markdown (a review comment) never hides a change unless asked to
        max_rows = 0 if fmt == "markdown" else 200
    if fmt == "json":
        text = R.to_json_text(result, only_derived=only_derived)
    elif fmt == "markdown":
        text = R.to_markdown(result, max_rows=max_rows, only_derived=only_derived)
    elif fmt in ("html", "svg"):
        text = R.export(result, fmt, width=width or R.EXPORT_WIDTH, max_rows=max_rows, only_derived=only_derived)
    else:
        text = _rich(result, output=output, width=width, max_rows=max_rows, only_derived=only_derived)
    if output:
        from .._output import atomic_write

        atomic_write(output, text.encode("utf-8"))
    elif text:
        sys.stdout.write(text)
    return 1 if exit_code and result.different(only_derived=only_derived) else 0


def _rich(result, *, output: str | None, width: int | None, max_rows: int, only_derived: bool) -> str:  # type: ignore[no-untyped-def]
    """Print to the terminal (returns ""), or render plain text for --output (returns it)."""
    import io

    from ..diff import render as R
    from ..report.console import PvConsole

    if output:
        con = PvConsole(file=io.StringIO(), width=width or 120, color_system=None, highlight=False, soft_wrap=False)
    else:
        from ..report.console import console

        con = console(width=width)
    con.print(R.to_rich(result, width=con.width, max_rows=max_rows, only_derived=only_derived))
    return con.file.getvalue() if output else ""  # type: ignore[attr-defined]
