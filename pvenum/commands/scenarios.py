"""pvenum scenarios / pvenum scenario new — the bundled catalog and a starting file."""

from __future__ import annotations

import json
import sys

import click


@click.command()
@click.option("--json", "as_json", is_flag=True, help="A JSON array of {name, description, ...}.")
def scenarios(as_json: bool) -> None:
    """List the bundled scenario catalog."""
    from ..scenario import catalog

    items = [s.to_summary() for s in catalog.all_scenarios()]
    if as_json:
        sys.stdout.write(json.dumps(items, indent=2) + "\n")
        return
    from rich.table import Table

    from ..report.console import console

    t = Table(title=f"{len(items)} bundled scenarios", title_justify="left")
    for col in ("name", "arch", "hypervisor", "isolation", "description"):
        t.add_column(col)
    for s in items:
        t.add_row(s["name"], s["arch"], s["hypervisor"], s["isolation"] + (" + paravisor" if s["paravisor"] else ""), s["description"])
    console().print(t)


STARTER = '''# A pvenum scenario: a platform described the way you think about it.
# `pvenum resolve THIS.toml` shows what each guest derives; `pvenum build THIS.toml -o DIR`
# writes every blob (cpuid -1 -r, kvm_cpuid2, Firecracker template, DTB/DTS, ACPI, ...).

[scenario]
name = "{name}"
description = "What this platform represents, in one line"
source = ""                # where the values come from (a public source, a capture)
arch = "x86_64"            # x86_64 | arm64
hypervisor = "kvm"         # none | kvm | hyperv | xen | vmware | tcg | acrn | bhyve | jailhouse
isolation = "sev-snp"      # none | vbs | sev | sev-es | sev-snp | tdx | cca
# cpu = "amd"              # x86 base dump: amd | intel (default: what the isolation needs)

# A paravisor owns the trust boundary ("confidential, but not in charge").
# [paravisor]
# hides = ["isolation-cpuid"]     # isolation-cpuid | isolation-leaf | rsi
# shared_gpa_boundary_bits = 46

# SNP only: an SVSM at VMPL0, this guest above it.
# [svsm]
# vmpl = 2
# vtpm = true

# The draft paravisor services record (docs/proposal.md) and where it is advertised.
# [services]
# encodings = ["cpuid"]            # cpuid | dt | acpi
# guest_in_charge = false
# attestation = {{ kind = "tpm-nv-index", param0 = 0x01400001 }}
# tdisp = {{ kind = "hypercall", param0 = 0x100 }}
# vtpm = {{ kind = "mmio", param0 = 0xfed40000, param1 = 0x5000 }}

# [firmware]
# acpi = true
# dt = false

# What you expect each guest to derive: `pvenum check THIS.toml` resolves the scenario and
# prints every mismatch (exit 1); `pvenum validate` checks the values; the pytest plugin's
# pvenum_check fixture does the same in a test. Models: linux, systemd, virt-what, proposal.
# Keys: mode, isolation, hypervisor, memory_acceptance, attestation, tdisp, vtpm, output,
# findings (codes that must appear), findings_absent (codes that must not).
# [expect.linux]
# mode = "enlightened"
# memory_acceptance = "guest"

# Raw overrides, applied last.
# [override.cpuid]
# "0x8000001f" = [0x0100ff7b, 0x41b3, 0, 0]
# [override.msr]
# "0xc0010131" = 0x7
'''


@click.group()
def scenario() -> None:
    """Scenario files."""


@scenario.command("new")
@click.argument("path", type=click.Path(dir_okay=False))
@click.option("--name", default=None, help="Scenario name (default: the file name).")
def new(path: str, name: str | None) -> None:
    """Write a commented starting scenario to PATH."""
    from pathlib import Path

    from .. import _output
    from ..errors import PvenumError
    from ..scenario.model import parse_scenario

    p = Path(path)
    if p.exists():
        raise PvenumError("exists; not overwriting it", path=path)
    text = STARTER.format(name=name or p.stem)
    parse_scenario(text, path)  # the starter must itself be valid
    _output.atomic_write(p, text)
    click.echo(f"wrote {path}")
