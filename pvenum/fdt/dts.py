"""DeviceTree -> DTS text that dtc compiles back to the same tree.

Each value is written in the form :func:`pvenum.fdt.values.guess` picks (string list,
``<u32 cells>``, ``/bits/ 64 <...>`` or ``[bytes]``); every form is byte-exact, so
``dtc -I dts -O dtb`` of the output equals ``pvenum.fdt.build`` of the tree (tested).
Phandles stay numeric (``phandle = <0x1>;``), as in ``dtc -I dtb -O dts``: a DTB has no
labels unless it carries ``__symbols__``. ``boot_cpuid_phys`` has no DTS syntax; it is
written as a comment (dtc takes it as ``-b``).

Names dtc cannot lex (a hostile blob may hold any byte in a name) are written as they are,
which dtc then rejects; there is no DTS escape for them.
"""

from __future__ import annotations

from .model import DeviceTree, Node
from .values import dts_text, printable

INDENT = "\t"


def emit(tree: DeviceTree) -> str:
    lines = ["/dts-v1/;"]
    if tree.header is not None:
        h = tree.header
        lines.append(f"// version: {h.version}, last_comp_version: {h.last_comp_version}, "
                     f"boot_cpuid_phys: 0x{h.boot_cpuid_phys:x}")
    elif tree.boot_cpuid_phys:
        lines.append(f"// boot_cpuid_phys: 0x{tree.boot_cpuid_phys:x}")
    lines.append("")
    for address, size in tree.reservations:
        lines.append(f"/memreserve/ 0x{address:016x} 0x{size:016x};")
    if tree.reservations:
        lines.append("")
    # Iterative: ("open", node, depth) writes the node head and properties, then its
    # children, then the closing brace.
    stack: list[tuple[bool, Node, int]] = [(True, tree.root, 0)]
    while stack:
        opening, node, depth = stack.pop()
        pad = INDENT * depth
        if not opening:
            lines.append(f"{pad}}};")
            continue
        name = "/" if node.parent is None else printable(node.name)
        lines.append(f"{pad}{name} {{")
        inner = pad + INDENT
        for pname, value in node.property_items():
            if value:
                lines.append(f"{inner}{printable(pname)} = {dts_text(pname, value)};")
            else:
                lines.append(f"{inner}{printable(pname)};")
        stack.append((False, node, depth))
        stack.extend((True, child, depth + 1) for child in reversed(node.children))
    lines.append("")
    return "\n".join(lines)
