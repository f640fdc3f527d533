"""pvenum convert SRC --to FORMAT — write a CPUID dump (and its MSRs) in another format."""

from __future__ import annotations

import sys

import click

from ..cpuid.api import FORMATS

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
    from ..cpuid import cpuid_r, firecracker, kvm, toml_io
    from ..errors import PvenumError
    from ..target import load_target

    platform = load_target(src).platform
    if platform.cpuid is None:
        raise PvenumError("has no CPUID to convert", path=src)
    dump, msrs = platform.cpuid, platform.msr
    if fmt == "cpuid-r":
        data: bytes | str = cpuid_r.write(dump, all_cpus=all_cpus or None)
    elif fmt == "kvm_cpuid2":
        data = kvm.write(dump)
    elif fmt == "cpuid-toml":
        data = toml_io.write(dump, msrs)
    elif fmt == "firecracker-fingerprint":
        facts: dict[str, str] = {}
        for item in host_facts:
            key, sep, value = item.partition("=")
            if not sep or key not in firecracker.FINGERPRINT_FACTS:
                raise click.UsageError(f"--host {item!r}: expected KEY=VALUE with KEY one of "
                                       f"{', '.join(firecracker.FINGERPRINT_FACTS)}")
            facts[key] = value
        data = firecracker.fingerprint_of(dump, msrs, facts).dumps()
    else:
        if base:
            bp = load_target(base).platform
            if bp.cpuid is None:
                raise PvenumError("has no CPUID to use as the base", path=base)
            tpl, warnings = firecracker.template_between(bp.cpuid, dump, bp.msr, msrs)
            for w in warnings:
                click.echo(f"pvenum: warning: {w}", err=True)
        else:
            tpl = firecracker.template_full(dump, msrs)
        data = tpl.dumps()
    if output:
        _output.atomic_write(output, data)
    elif isinstance(data, bytes):
        raise click.UsageError(f"{fmt} is binary: give -o FILE")
    else:
        sys.stdout.write(data)
