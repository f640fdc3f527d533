"""`pvenum compare-encodings`: one paravisor services record in its three draft encodings.

For a scenario with a ``[services]`` record, build one platform per encoding — the record
advertised through CPUID only, the devicetree only, ACPI only — and show, side by side, the
bytes each encoding costs, the fields a guest decodes from it, and what each guest model
derives from that platform. This is the comparison the linux-coco thread asked for.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any

from .errors import PvenumError
from .scenario.model import Scenario
from .report import num_text

ENCODINGS = ("cpuid", "dt", "acpi")


@dataclass
class EncodingView:
    encoding: str
    available: bool
    why: str = ""
    where: str = ""
    size: int = 0
    raw: bytes = b""
    text: str = ""  # a readable rendering of the raw part (leaves, DTS, table fields)
    decoded: dict[str, Any] | None = None
    problems: list[str] = field(default_factory=list)
    derivations: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {
            "encoding": self.encoding,
            "available": self.available,
            "why": self.why or None,
            "where": self.where or None,
            "size": self.size,
            "bytes": self.raw.hex(),
            "text": self.text,
            "decoded": self.decoded,
            "problems": self.problems,
            "derivations": {m: d.summary() | {"output": d.output if not isinstance(d.output, dict) else d.output.get("state", d.output.get("cc_vendor"))}
                            for m, d in self.derivations.items()},
        }


def _variant(s: Scenario, enc: str) -> Scenario:
    return dataclasses.replace(
        s, encodings=(enc,), dt=s.dt or enc == "dt", acpi=s.acpi or enc == "acpi",
        override={k: v for k, v in s.override.items() if k not in ("dt", "acpi") or k == enc},
    )


def _cpuid_view(view: EncodingView, p: Any) -> None:
    from .proposal import cpuid_encoding

    base = cpuid_encoding.find_base(p.cpuid)
    dec = cpuid_encoding.decode(p.cpuid, base)
    leaves = [(base + i, p.cpuid.get(base + i)) for i in range(cpuid_encoding.LEAVES + 1)]
    view.raw = b"".join(r.to_bytes(4, "little") for _, regs in leaves for r in regs)
    view.size = len(view.raw)
    view.text = "\n".join(f"0x{leaf:08x}: eax=0x{a:08x} ebx=0x{b:08x} ecx=0x{c:08x} edx=0x{d:08x}"
                          for leaf, (a, b, c, d) in leaves)
    view.where, view.decoded, view.problems = dec.where, dec.record.to_dict() if dec.record else None, dec.problems


def _acpi_view(view: EncodingView, p: Any) -> None:
    from .proposal import acpi_encoding

    table = p.acpi.get(acpi_encoding.SIGNATURE)
    dec = acpi_encoding.decode_table(table)
    view.raw = table.to_bytes()
    view.size = len(view.raw)
    from .acpi.render import textconv

    # The body: what the record adds beyond a standard header.
    view.text = "\n".join(line for line in textconv(table, label="PVSR") if line[5:6].isupper() and
                          not line.startswith("PVSR.signature"))
    view.where, view.decoded, view.problems = dec.where, dec.record.to_dict() if dec.record else None, dec.problems


def _dts_block(node: Any, path: str) -> str:
    """The record node as DTS (what a firmware author writes)."""
    from .fdt.dts import dts_text

    INDENT = "    "
    out: list[str] = []

    def emit(n: Any, depth: int) -> None:
        pad = INDENT * depth
        out.append(f"{pad}{path if depth == 0 else n.name} {{")
        for name, value in n.property_items():
            out.append(f"{pad}{INDENT}{name} = {dts_text(name, value)};" if value else f"{pad}{INDENT}{name};")
        for child in n.children:
            emit(child, depth + 1)
        out.append(f"{pad}}};")

    emit(node, 0)  # the record is a handful of nodes deep, never more
    return "\n".join(out)


def _dt_view(view: EncodingView, p: Any) -> None:
    from . import fdt
    from .proposal import dt_encoding

    dec = dt_encoding.decode_platform(p)
    node = dt_encoding.find_nodes(p.fdt)[0]  # the node decode_platform() read
    path = node.path
    # What the binding adds to the blob: the DTB with the record minus the same DTB without it
    # (and without the parent install() added for it, when nothing else is left there).
    bare = p.fdt.copy()
    parent_path = path.rsplit("/", 1)[0] or "/"
    parent = bare.get_node(parent_path)
    parent.delete_child(node.name)
    if parent_path != "/" and not parent.children and not parent.properties:
        bare.get_node(parent_path.rsplit("/", 1)[0] or "/").delete_child(parent.name)
    view.size = len(fdt.build(p.fdt)) - len(fdt.build(bare))
    view.text = _dts_block(node, path)
    view.where, view.decoded, view.problems = dec.where, dec.record.to_dict() if dec.record else None, dec.problems


def compare(s: Scenario) -> list[EncodingView]:
    from .resolver.registry import resolve_all

    if s.services is None:
        raise PvenumError(f"scenario {s.name} advertises no [services] record; compare-encodings needs one")
    views = []
    for enc in ENCODINGS:
        view = EncodingView(enc, True)
        if enc == "cpuid" and s.arch != "x86_64":
            view.available, view.why = False, "CPUID is x86's"
            views.append(view)
            continue
        p = _variant(s, enc).platform()
        if enc == "cpuid":
            _cpuid_view(view, p)
        elif enc == "acpi":
            _acpi_view(view, p)
        else:
            _dt_view(view, p)
        view.derivations = resolve_all(p)
        views.append(view)
    return views


def to_rich(s: Scenario, views: list[EncodingView]) -> Any:
    from rich.console import Group
    from rich.table import Table
    from rich.text import Text

    from .report.render import mode_text

    t = Table(title=f"{s.name}: the paravisor services record in each draft encoding", title_justify="left",
              show_lines=True)
    t.add_column("")
    for v in views:
        t.add_column(v.encoding)
    t.add_row("where", *(Text(v.where or v.why) for v in views))
    t.add_row("size", *(Text(f"{v.size} bytes" if v.available else "-") for v in views))
    t.add_row("raw", *(Text(v.text) for v in views))
    keys = next((list(v.decoded) for v in views if v.decoded), [])
    for k in keys:
        t.add_row(Text(k, style="cyan"), *(Text(num_text(v.decoded.get(k)) if v.decoded else "-") for v in views))
    t.add_row("problems", *(Text("\n".join(v.problems) or "none") for v in views))
    for model in ("linux", "systemd", "virt-what", "proposal"):
        cells = []
        for v in views:
            d = v.derivations.get(model)
            if d is None:
                cells.append(Text("-"))
                continue
            cell = mode_text(d.mode)
            svc = ", ".join(n for n in ("attestation", "tdisp", "vtpm") if d.services[n].available) or "no services"
            cell.append(f"\n{d.isolation} · mem {d.memory_acceptance}\n{svc}")
            cells.append(cell)
        t.add_row(Text(model, style="bold"), *cells)
    same = {repr(v.decoded) for v in views if v.available}
    note = Text("All encodings decode to the same record." if len(same) == 1 else "The encodings decode DIFFERENTLY.",
                style="green" if len(same) == 1 else "bold red")
    return Group(t, note)
