"""Human views of a table: a rich table in the spirit of ``iasl -d`` (offset, length, field,
value, meaning) and stable one-fact-per-line text for ``git diff`` textconv.

rich is imported only when rendering.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Iterator

from . import names
from .layouts.common import Leaf

if TYPE_CHECKING:  # pragma: no cover
    from .model import AcpiTable

_BYTES_SHOWN = 32
_AML_LINE = 32


def format_value(leaf: Leaf, *, full: bool = False) -> str:
    if leaf.kind == "int":
        return f"0x{leaf.value:0{leaf.size * 2}X}"
    if leaf.kind == "chars":
        return '"' + str(leaf.value).encode("unicode_escape").decode("ascii").replace('"', '\\"') + '"'
    data = bytes(leaf.value)
    if full or len(data) <= _BYTES_SHOWN:
        return data.hex(" ").upper() if data else "(empty)"
    return data[:_BYTES_SHOWN].hex(" ").upper() + f" … ({len(data)} bytes)"


def _subtable_of(table: "AcpiTable", path: str) -> tuple[int, str] | None:
    if path.startswith("["):
        idx = int(path[1:path.index("]")])
        return idx, path[path.index("]") + 2:]
    return None


def _meaning(table: "AcpiTable", leaf: Leaf) -> str:
    sub = _subtable_of(table, leaf.path)
    if sub is not None:
        subtable = table.subtables[sub[0]]
        if sub[1] == "type":
            return subtable.name
        return names.meaning(table.name, sub[1].rsplit(".", 1)[-1], leaf.value, subtable=subtable.name)
    if leaf.path == "Signature" and leaf.offset == 0:
        return table.title
    text = table.text(leaf.path) if leaf.path == "HypervisorId" else None
    return names.meaning(table.name, leaf.path.rsplit(".", 1)[-1], leaf.value, text=text)


def render(table: "AcpiTable", *, label: str, path: str, bits: bool = False) -> Any:
    from rich.table import Table
    from rich.text import Text

    status = "" if table.checksum_valid in (None, True) else "  [checksum WRONG]"
    title = Text(f"{label} — {table.title or table.name}  ({path}){status}")
    out = Table(title=title, title_justify="left", show_lines=False, pad_edge=False, expand=False)
    out.add_column("Offset", justify="right", style="dim", no_wrap=True)
    out.add_column("Len", justify="right", style="dim", no_wrap=True)
    out.add_column("Field", no_wrap=True)
    out.add_column("Value", no_wrap=False)
    out.add_column("Meaning", style="italic")
    last_sub = None
    for leaf in table.leaves():
        sub = _subtable_of(table, leaf.path)
        if sub and sub[0] != last_sub:
            last_sub = sub[0]
            s = table.subtables[sub[0]]
            out.add_section()
            out.add_row("", "", Text(f"subtable {sub[0]}: {s.name}", style="bold"), "", "")
        name = sub[1] if sub else leaf.path
        out.add_row(f"{leaf.offset:03X}", str(leaf.size), name, format_value(leaf), _meaning(table, leaf))
        if bits and isinstance(leaf.value, int):
            subname = table.subtables[sub[0]].name if sub else None
            flag = names.flag_bits(table.name, name.rsplit(".", 1)[-1], subname)
            for bit in sorted(flag):
                out.add_row("", "", f"  bit {bit}", str(leaf.value >> bit & 1), flag[bit])
    return out


def textconv(table: "AcpiTable", *, label: str) -> Iterator[str]:
    """``LABEL.Field = value`` lines; subtables as ``LABEL[i].Name.Field``; AML in 32-byte lines."""
    yield f"{label}.Signature = {table.signature!r}".replace("'", '"')
    for key in ("length", "revision", "checksum", "oem_id", "oem_table_id", "oem_revision", "creator_id",
                "creator_revision"):
        value = getattr(table, key)
        if value is None:
            continue
        shown = f'"{value}"' if isinstance(value, str) else (f"0x{value:02X}" if key == "checksum" else str(value))
        yield f"{label}.{key} = {shown}"
    yield f"{label}.checksum_valid = {table.checksum_valid}"
    header_paths = {"Signature", "Length", "Revision", "Checksum", "OemId", "OemTableId", "OemRevision",
                    "AslCompilerId", "AslCompilerRevision"}
    for leaf in table.leaves():
        sub = _subtable_of(table, leaf.path)
        if sub is None and leaf.path in header_paths and leaf.offset < 36:
            continue
        if sub:
            s = table.subtables[sub[0]]
            prefix = f"{label}[{sub[0]}].{s.name}.{sub[1]}"
        else:
            prefix = f"{label}.{leaf.path}"
        if leaf.path == "AmlCode" or (leaf.kind == "bytes" and len(leaf.value) > _AML_LINE):
            data = bytes(leaf.value)
            for off in range(0, len(data), _AML_LINE):
                yield f"{prefix}[0x{off:04X}] = {data[off:off + _AML_LINE].hex()}"
            continue
        if leaf.path == "HypervisorId":
            text = table.text("HypervisorId")
            if text:
                yield f'{prefix} = "{text}"'
                continue
        yield f"{prefix} = {format_value(leaf, full=True)}"
