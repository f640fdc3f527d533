"""Rich rendering of CPUID dumps: each leaf decoded, bit by bit on request (like `cpuid`)."""

from __future__ import annotations

from typing import Any

from rich.console import Group

from . import num_text
from rich.table import Table
from rich.text import Text

from ..cpuid.decode import decode_dump, field_text, flags_text, msr_summary
from ..cpuid.model import REG_NAMES


def render_dump(art: Any, *, bits: bool = False) -> Group:
    dump = art.dump
    title = f"{art.path} — {art.format}, {len(dump)} leaves"
    if len(dump.cpus) > 1:
        title += f", {len(dump.cpus)} CPUs (CPU {dump.cpu0_number} shown)"
    table = Table(title=title, title_justify="left", show_lines=False, expand=False)
    table.add_column("leaf", style="cyan", no_wrap=True)
    table.add_column("reg", no_wrap=True)
    table.add_column("value", style="bold", no_wrap=True)
    # kvm_cpuid2 entries and Firecracker modifiers carry a flags word; other formats have none.
    flags = dump.flags
    if flags:
        table.add_column("flags")
    table.add_column("decoded")
    for dl in decode_dump(dump):
        name = dl.spec.name if dl.spec else ""
        if dl.vendor and dl.vendor not in ("unknown",):
            name = f"[{dl.vendor}] {name}".strip()
        first = True
        text = dl.text
        for reg, value in zip(REG_NAMES, dl.regs):
            leaf_cell = f"0x{dl.leaf:08x}.{dl.subleaf}" if first else ""
            if bits:
                fields = [(f, v) for f, v in dl.fields() if f.reg == reg]
                desc = Text()
                if first and name:
                    desc.append(name + "\n", style="dim")
                if text and dl.spec and reg in dl.spec.text:
                    desc.append(f"signature {text!r}\n")
                for f, v in fields:
                    style = "green" if f.kind == "flag" and v else ("dim" if f.kind == "flag" else "")
                    desc.append(f"{f.bits:>8} {f.name} = {field_text(f, v)}", style=style)
                    if f.desc:
                        desc.append(f"  ({f.desc})", style="dim")
                    desc.append("\n")
                desc.rstrip()
            else:
                parts = []
                if first and name:
                    parts.append(name + ":")
                if text and dl.spec and reg == dl.spec.text[0]:
                    parts.append(repr(text))
                for f, v in dl.fields():
                    if f.reg != reg:
                        continue
                    if f.kind == "flag":
                        if v:
                            parts.append(f.name)
                    else:
                        parts.append(f"{f.name}={field_text(f, v)}")
                desc = Text(" ".join(parts))
            cells = [leaf_cell, reg, f"0x{value:08x}", desc]
            if flags:
                fl = flags.get((dl.leaf, dl.subleaf)) if first else None
                cells.insert(3, flags_text(fl) if fl is not None else "")
            table.add_row(*cells)
            first = False
        table.add_section()
    parts: list[Any] = []
    facts = getattr(art, "facts", None) or {}
    if facts:
        head = "host" if art.format == "firecracker-fingerprint" else "report"
        parts.append(Text(f"{head}: " + ", ".join(f"{k} {v}" for k, v in facts.items())))
    from ..paste import skipped_note

    note = skipped_note(getattr(art, "skipped", ()))
    if note:
        parts.append(Text(note, style="yellow"))
    parts.append(table)
    if art.msrs:
        mt = Table(title="MSRs", title_justify="left")
        mt.add_column("msr", style="cyan")
        mt.add_column("value", style="bold")
        mt.add_column("decoded")
        for idx, value in sorted(art.msrs.items()):
            mt.add_row(f"0x{idx:08x}", f"0x{value:016x}", Text(msr_summary(idx, value)))
        parts.append(mt)
    from ..proposal.cpuid_encoding import decode

    rec = decode(dump)
    if rec is not None:
        rt = Table(title=f"draft paravisor services record at {rec.where}", title_justify="left")
        rt.add_column("field")
        rt.add_column("value")
        if rec.record is not None:
            for k, v in rec.record.to_dict().items():
                rt.add_row(k, Text(num_text(v)))
        for p in rec.problems:
            rt.add_row(Text("problem", style="red"), Text(p))
        parts.append(rt)
    return Group(*parts)
