"""Rich rendering of a devicetree: header, reservations, and a tree of nodes whose
properties show the labelled best-guess value beside the raw bytes. rich is imported here
only, when something is printed."""

from __future__ import annotations

import re

from .constants import FDT_MAGIC, FIELD_SINCE, HEADER_FIELDS
from .model import DeviceTree
from .values import guess, printable

TYPE_CHECKING = False  # typing is not imported at run time (start-up: pvenum/_io.py)
if TYPE_CHECKING:  # pragma: no cover
    from typing import Any

_WORD = re.compile(r"\s*\S+\s*")
HEX_PREVIEW = 32  # bytes of raw value shown unless bits=True


def _hex(raw: bytes, full: bool) -> str:
    if full or len(raw) <= HEX_PREVIEW:
        return raw.hex(" ", -4) if raw else ""
    return raw[:HEX_PREVIEW].hex(" ", -4) + f" … ({len(raw)} bytes)"


def _header_rows(tree: DeviceTree) -> list[tuple[str, str, str]]:
    rows = []
    for name in HEADER_FIELDS:
        value = getattr(tree.header, name)
        if not tree.header.has(name):  # what lies there is not this field (libfdt's accessor would read it)
            rows.append((name, "-", f"not in a v{tree.header.version} header (from v{FIELD_SINCE[name]})"))
            continue
        note = ""
        if name == "magic":
            note = "FDT_MAGIC" if value == FDT_MAGIC else "bad magic"
        elif name in ("totalsize", "size_dt_strings", "size_dt_struct"):
            note = f"{value} bytes"
        rows.append((name, f"0x{value:08x}", note))
    return rows


def _property_line(name: str, raw: bytes, node: Any, bits: bool) -> list[tuple[str, str]]:
    """One property line of the node tree, as (text, rich style) pieces."""
    typed = guess(name, raw, node)
    pieces = [(printable(name), "cyan")]
    if raw:
        pieces.append((" = ", ""))
        pieces.append((typed.text, ""))
        if typed.note:
            pieces.append((f"  ({typed.note})", "green"))
    pieces.append((f"  {typed.label}", "dim italic"))
    if raw and typed.kind not in ("u32", "phandle") or bits:
        pieces.append((f"  [{_hex(raw, bits)}]", "dim"))
    return pieces


def _summary(path: str, nodes: list[Any]) -> str:
    """What follows the format name in the title line."""
    nprops = sum(len(n.property_items()) for n in nodes)
    return f" {path} — {len(nodes)} nodes, {nprops} properties"


HEADER_TITLE = "header (struct fdt_header)"
RSV_TITLE = "memory reservations (/memreserve/)"


def render_tree(tree: DeviceTree, path: str, *, fmt: str = "dtb", bits: bool = False) -> Any:
    from rich.console import Group
    from rich.table import Table
    from rich.text import Text
    from rich.tree import Tree

    parts: list[Any] = []
    nodes = list(tree.walk())
    parts.append(Text.assemble((fmt, "bold"), _summary(path, nodes)))
    if tree.header is not None:
        table = Table(title=HEADER_TITLE, show_edge=False, title_justify="left")
        table.add_column("field")
        table.add_column("value", justify="right")
        table.add_column("")
        for cells in _header_rows(tree):
            table.add_row(*cells)
        parts.append(table)
    if tree.reservations:
        rsv = Table(title=RSV_TITLE, show_edge=False, title_justify="left")
        rsv.add_column("address", justify="right")
        rsv.add_column("size", justify="right")
        for address, size in tree.reservations:
            rsv.add_row(f"0x{address:016x}", f"0x{size:016x}")
        parts.append(rsv)
    elif tree.header is not None:
        parts.append(Text(f"{RSV_TITLE}: none"))

    top = Tree(Text("/", style="bold"))
    branches = {id(tree.root): top}
    for node in nodes:
        branch = branches[id(node)]
        for name, raw in node.property_items():
            line = Text()
            for text, style in _property_line(name, raw, node, bits):
                line.append(text, style=style or None)
            branch.add(line)
        for child in node.children:
            branches[id(child)] = branch.add(Text(printable(child.name), style="bold"))
    parts.append(top)
    return Group(*parts)


# -- the same view as plain text, without rich --------------------------------------------------
# `pvenum inspect x.dtb` into a pipe or file prints no colour, so rich's only work is layout;
# render_text lays out exactly what render_tree shows, as rich 13-15 does for these few shapes
# (tests/fdt/test_render_text.py compares the two on every DTB in the test data), and answers
# None for anything it does not lay out the same way (the caller then uses rich).

_TREE_GUIDES = ("    ", "│   ", "├── ", "└── ")
_SPECIAL = str.maketrans("", "", "—…")  # one cell each, as in rich's cell table


class _NotPlain(Exception):
    pass


def _checked(text: str) -> str:
    # ASCII printable (one cell per character, nothing rich strips or expands) plus the two
    # one-cell marks pvenum itself writes.
    plain = text.translate(_SPECIAL)
    if not (plain.isascii() and plain.isprintable()):
        raise _NotPlain
    return text


def _wrap(text: str, width: int) -> list[str]:
    """rich's Text.wrap with overflow "fold", no justify (rich/_wrap.py divide_line)."""
    if width <= 0:
        raise _NotPlain
    breaks: list[int] = []
    offset = 0
    for m in _WORD.finditer(text):
        start, word = m.start(), m.group(0)
        length = len(word.rstrip())
        if width - offset >= length:
            offset += len(word)
        elif length > width:  # fold the word across lines
            chunks = [word[i:i + width] for i in range(0, len(word), width)]
            for i, chunk in enumerate(chunks):
                if start:
                    breaks.append(start)
                if i == len(chunks) - 1:
                    offset = len(chunk)
                else:
                    start += len(chunk)
        elif offset and start:
            breaks.append(start)
            offset = len(word)
    lines = [text[a:b] for a, b in zip([0, *breaks], [*breaks, len(text)])]
    out = []
    for line in lines:
        if len(line) > width:  # rstrip_end, then truncate: trailing spaces past the width go
            excess = len(line) - width
            stripped = line.rstrip()
            line = line[:len(line) - min(len(line) - len(stripped), excess)]
            line = line[:width]
        out.append(line)
    return out


def _table(title: str, headers: list[tuple[str, str]], rows: list[tuple[str, ...]], width: int) -> list[str]:
    """A rich Table(show_edge=False, title_justify="left") whose cells all fit on one line."""
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, (h, _) in enumerate(headers)]
    total = sum(w + 2 for w in widths) + len(widths) - 1
    if total > width or len(title) > total:
        raise _NotPlain

    def line(cells: tuple[str, ...] | list[str], sep: str) -> str:
        out = []
        for (_, justify), w, cell in zip(headers, widths, cells):
            out.append(" " + (cell.rjust(w) if justify == "right" else cell.ljust(w)) + " ")
        return sep.join(out)

    lines = [title.ljust(total), line([h for h, _ in headers], "┃"), "╇".join("━" * (w + 2) for w in widths)]
    lines.extend(line(r, "│") for r in rows)
    return lines


def render_text(tree: DeviceTree, path: str, *, fmt: str = "dtb", bits: bool = False, width: int = 120) -> str | None:
    """What printing render_tree() on a colourless console ``width`` wide writes, or None."""
    try:
        return _render_text(tree, path, fmt, bits, width)
    except _NotPlain:
        return None


def _render_text(tree: DeviceTree, path: str, fmt: str, bits: bool, width: int) -> str:
    nodes = list(tree.walk())
    out = _wrap(_checked(fmt + _summary(path, nodes)), width)
    if tree.header is not None:
        out += _table(HEADER_TITLE, [("field", "left"), ("value", "right"), ("", "left")], _header_rows(tree), width)
    if tree.reservations:
        rows = [(f"0x{a:016x}", f"0x{s:016x}") for a, s in tree.reservations]
        out += _table(RSV_TITLE, [("address", "right"), ("size", "right")], rows, width)
    elif tree.header is not None:
        out.append(f"{RSV_TITLE}: none")
    out.append("/")

    def label(prefix: list[str], text: str, last: bool) -> None:
        guides = "".join(prefix) + _TREE_GUIDES[3 if last else 2]
        cont = "".join(prefix) + _TREE_GUIDES[0 if last else 1]
        for i, line in enumerate(_wrap(_checked(text), width - len(guides))):
            out.append((guides if i == 0 else cont) + line)

    def walk(node: Any, prefix: list[str]) -> None:
        items = [("p", name, raw) for name, raw in node.property_items()] + [("n", child, None) for child in node.children]
        for i, (kind, item, raw) in enumerate(items):
            last = i == len(items) - 1
            if kind == "p":
                label(prefix, "".join(t for t, _ in _property_line(item, raw, node, bits)), last)
            else:
                label(prefix, printable(item.name), last)
                walk(item, [*prefix, _TREE_GUIDES[0 if last else 1]])

    walk(tree.root, [])
    return "\n".join(out) + "\n"
