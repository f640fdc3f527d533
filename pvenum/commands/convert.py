"""pvenum convert SRC --to FORMAT — write a CPUID dump (and its MSRs) in another format."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

import click

from ..cpuid.api import FORMATS

if TYPE_CHECKING:  # pragma: no cover
    from ..cpuid.model import CpuidDump, MsrSet

# Every CPUID format pvenum reads, except AIDA64 reports (read only).
WRITABLE = tuple(f for f in FORMATS if f != "cpuid-aida64")


@click.command()
@click.argument("src")
@click.option("--to", "fmt", required=True, type=click.Choice(WRITABLE), help="Output format.")
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Output file (default: stdout; binary formats need -o).")
@click.option("--base", type=click.Path(exists=True), help="Firecracker: write the template that turns BASE into SRC; warns for each "
              "leaf or MSR BASE lacks (Firecracker refuses a template that changes one) and each leaf only BASE has (a "
              "template cannot remove one).")
@click.option("--all-cpus", is_flag=True, help="cpuid-r: write every CPU block, not just CPU 0.")
@click.option("--host", "host_facts", multiple=True, metavar="KEY=VALUE",
              help="firecracker-fingerprint: a host fact (kernel_version=6.1.0, ...); others are \"unknown\".")
def convert(src: str, fmt: str, output: str | None, base: str | None, all_cpus: bool,
            host_facts: tuple[str, ...]) -> None:
    """Convert SRC (any CPUID artifact, or a bundle/scenario with CPUID) to FORMAT: `cpuid -r`
    text, a KVM kvm_cpuid2 buffer, a Firecracker CPU template (what `cpu-template-helper
    template dump` writes when complete) or fingerprint, or pvenum's TOML."""
    from .. import _output
    from ..cpuid import firecracker
    from ..errors import PvenumError
    from ..target import load_target

    platform = load_target(src).platform
    if platform.cpuid is None:
        raise PvenumError("has no CPUID to convert", path=src)
    facts: dict[str, str] = {}
    for item in host_facts if fmt == "firecracker-fingerprint" else ():
        key, sep, value = item.partition("=")
        if not sep or key not in firecracker.FINGERPRINT_FACTS:
            raise click.UsageError(f"--host {item!r}: expected KEY=VALUE with KEY one of "
                                   f"{', '.join(firecracker.FINGERPRINT_FACTS)}")
        facts[key] = value
    over = over_msrs = None  # the base a template is written against
    if base and fmt == "firecracker-template":
        bp = load_target(base).platform
        if bp.cpuid is None:
            raise PvenumError("has no CPUID to use as the base", path=base)
        over, over_msrs = bp.cpuid, bp.msr
    try:  # what SRC holds past what FORMAT can (4096 kvm_cpuid2 entries) names SRC
        data, warnings = written(platform.cpuid, platform.msr, fmt, all_cpus=all_cpus, facts=facts,
                                 base=over, base_msrs=over_msrs)
    except PvenumError as err:
        raise err.with_path(src) from None
    for w in warnings:
        click.echo(f"pvenum: warning: {w}", err=True)
    if not output and isinstance(data, bytes):
        raise click.UsageError(f"{fmt} is binary: give -o FILE")
    _warn_read_differently(platform.cpuid, fmt, data, src, over=over)
    if output:
        _output.atomic_write(output, data)
    else:
        sys.stdout.write(data)  # type: ignore[arg-type]


def written(dump: "CpuidDump", msrs: "MsrSet | None", fmt: str, *, all_cpus: bool = False,
            facts: dict[str, str] | None = None, base: "CpuidDump | None" = None,
            base_msrs: "MsrSet | None" = None) -> tuple[bytes | str, list[str]]:
    """What ``convert --to fmt`` writes of ``dump`` (and its MSRs), and the warnings of writing
    it: a Firecracker template against ``base`` names what Firecracker would refuse."""
    from ..cpuid import cpuid_r, firecracker, kvm, toml_io

    if fmt == "cpuid-r":
        return cpuid_r.write(dump, all_cpus=all_cpus or None), []
    if fmt == "kvm_cpuid2":
        return kvm.write(dump), []
    if fmt == "cpuid-toml":
        return toml_io.write(dump, msrs), []
    if fmt == "firecracker-fingerprint":
        return firecracker.fingerprint_of(dump, msrs, facts or {}).dumps(), []
    if base is not None:
        tpl, warnings = firecracker.template_between(base, dump, base_msrs, msrs)
        return tpl.dumps(), warnings
    return firecracker.template_full(dump, msrs).dumps(), []


def read_back(data: bytes | str, fmt: str, over: "CpuidDump | None" = None) -> "CpuidDump":
    """What a guest reads from ``data`` written as ``fmt``, by the format's own reader
    (pvenum.cpuid.artifact.load_as); a template applied over ``over`` (its base) or over nothing.
    A PvenumError when the output is past one of its reader's bounds."""
    from ..cpuid.artifact import load_as

    art = load_as(data if isinstance(data, bytes) else data.encode("utf-8"), "<output>", fmt)[0]
    return art.template.apply(over) if over is not None else art.dump


_SHOWN = 3  # queries named in the warning; the rest counted


# What each format cannot state, for the warning.
_LOST = {
    "cpuid-r": "`cpuid -r` text carries no KVM flags",
    "kvm_cpuid2": "an entry without KVM's significant-index flag answers every subleaf",
    "cpuid-toml": "the rows do not state what SRC does",
    "firecracker-template": "Firecracker hands KVM each leaf's entries by subleaf",
    "firecracker-fingerprint": "Firecracker hands KVM each leaf's entries by subleaf",
}


def _warn_read_differently(dump: CpuidDump, fmt: str, data: bytes | str, src: str, *,
                           over: CpuidDump | None = None) -> None:
    """A warning when the written file answers some CPUID query otherwise than SRC does, on any
    CPU both hold: what the format cannot state (KVM flags in ``cpuid -r`` text; a leaf's entry
    order, which KVM's first match depends on, in a Firecracker template) changed what a guest
    reads. The file is read back by the format's own reader (pvenum.cpuid.artifact.load_as); a
    template is applied over ``over`` (its base) or over nothing, and what is in one of SRC and
    the base only (firecracker.template_between warned about it: each such query, and every
    query of a leaf only one side has) is not named again. An output pvenum cannot
    read back (past one of its reader's bounds) is written all the same, with a warning that it
    was not compared."""
    from ..errors import PvenumError

    try:
        back = read_back(data, fmt, over)
    except PvenumError as err:
        click.echo(f"pvenum: warning: {src}: the {fmt} output was not read back to compare with SRC "
                   f"({err.message})", err=True)
        return
    warned: set[tuple[int, int]] = set()
    lone_leaves: set[int] = set()
    if over is not None:
        warned = set(over.cpu0()) ^ set(dump.cpu0())
        lone_leaves = {leaf for leaf, _ in over.cpu0()} ^ {leaf for leaf, _ in dump.cpu0()}
    # One CPU written (CPU 0's leaves, whatever its number), or a template applied over a base
    # (CPU 0's registers on every CPU: CpuTemplate.apply): CPU 0 of each; else each CPU both hold.
    cpus: list[int | None] = [None] if over is not None or len(back.cpus) == 1 else \
        sorted(set(dump.cpus) & set(back.cpus))
    for cpu in cpus:
        differ = [key for key in dump.read_differently(back, cpu=cpu)
                  if key not in warned and key[0] not in lone_leaves]
        if differ:
            named = ", ".join(f"0x{leaf:08x}.{sub}" for leaf, sub in differ[:_SHOWN])  # as inspect keys them
            more = f" and {len(differ) - _SHOWN} more" if len(differ) > _SHOWN else ""
            on = "" if cpu is None else f" on CPU {cpu}"
            click.echo(f"pvenum: warning: {src}: a guest reads CPUID {named}{more}{on} otherwise from the {fmt} "
                       f"output ({_LOST[fmt]})", err=True)
            return  # the first CPU that differs: the others usually differ alike
