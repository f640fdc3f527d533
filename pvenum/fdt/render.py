"""Rich rendering of a devicetree: header, reservations, and a tree of nodes whose
properties show the labelled best-guess value beside the raw bytes. rich is imported here
only, when something is printed."""

from __future__ import annotations

from typing import Any

from .constants import FDT_MAGIC, HEADER_FIELDS
from .model import DeviceTree
from .values import guess, printable

HEX_PREVIEW = 32  # bytes of raw value shown unless bits=True


def _hex(raw: bytes, full: bool) -> str:
    if full or len(raw) <= HEX_PREVIEW:
        return raw.hex(" ", -4) if raw else ""
    return raw[:HEX_PREVIEW].hex(" ", -4) + f" … ({len(raw)} bytes)"


def render_tree(tree: DeviceTree, path: str, *, fmt: str = "dtb", bits: bool = False) -> Any:
    from rich.console import Group
    from rich.table import Table
    from rich.text import Text
    from rich.tree import Tree

    parts: list[Any] = []
    nodes = list(tree.walk())
    nprops = sum(len(n.property_items()) for n in nodes)
    title = Text.assemble((fmt, "bold"), " ", path, f" — {len(nodes)} nodes, {nprops} properties")
    parts.append(title)
    if tree.header is not None:
        table = Table(title="header (struct fdt_header)", show_edge=False, title_justify="left")
        table.add_column("field")
        table.add_column("value", justify="right")
        table.add_column("")
        for name in HEADER_FIELDS:
            value = getattr(tree.header, name)
            note = ""
            if name == "magic":
                note = "FDT_MAGIC" if value == FDT_MAGIC else "bad magic"
            elif name in ("totalsize", "size_dt_strings", "size_dt_struct"):
                note = f"{value} bytes"
            table.add_row(name, f"0x{value:08x}", note)
        parts.append(table)
    if tree.reservations:
        rsv = Table(title="memory reservations (/memreserve/)", show_edge=False, title_justify="left")
        rsv.add_column("address", justify="right")
        rsv.add_column("size", justify="right")
        for address, size in tree.reservations:
            rsv.add_row(f"0x{address:016x}", f"0x{size:016x}")
        parts.append(rsv)
    elif tree.header is not None:
        parts.append(Text("memory reservations (/memreserve/): none"))

    top = Tree(Text("/", style="bold"))
    branches = {id(tree.root): top}
    for node in nodes:
        branch = branches[id(node)]
        for name, raw in node.property_items():
            typed = guess(name, raw, node)
            line = Text()
            line.append(printable(name), style="cyan")
            if raw:
                line.append(" = ")
                line.append(typed.text)
                if typed.note:
                    line.append(f"  ({typed.note})", style="green")
            line.append(f"  {typed.label}", style="dim italic")
            if raw and typed.kind not in ("u32", "phandle") or bits:
                line.append(f"  [{_hex(raw, bits)}]", style="dim")
            branch.add(line)
        for child in node.children:
            branches[id(child)] = branch.add(Text(printable(child.name), style="bold"))
    parts.append(top)
    return Group(*parts)
