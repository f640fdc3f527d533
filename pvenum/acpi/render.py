"""Human views of a table: a rich table in the spirit of ``iasl -d`` (offset, length, field,
value, meaning) and stable one-fact-per-line text for ``git diff`` textconv.

rich is imported only when rendering.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Iterator

from . import names
from .layouts.common import Leaf
from .layouts.header import ATTRS, HEADER_SIZE

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


def field_name(leaf: Leaf) -> str:
    """The one spelling of a field in every output (inspect, textconv, diff, JSON): the header
    by the ACPI spec's names as the JSON contract writes them (``oem_id``, ``creator_revision``;
    ACPI 6.5 §5.2.6 "OEM ID", "Creator Revision"), body fields by their ACPICA names."""
    if leaf.subtable is None and leaf.path in ATTRS and leaf.offset < HEADER_SIZE:
        return ATTRS[leaf.path]
    return leaf.field


def _meaning(table: "AcpiTable", leaf: Leaf) -> str:
    last = leaf.field.rsplit(".", 1)[-1]
    if leaf.subtable is not None:
        subtable = table.subtables[leaf.subtable]
        if leaf.field == "type":
            return subtable.name
        return names.meaning(table.name, last, leaf.value, subtable=subtable.name)
    if leaf.path == "Signature" and leaf.offset == 0:
        return table.title
    text = table.text(leaf.path) if leaf.path == "HypervisorId" else None
    return names.meaning(table.name, last, leaf.value, text=text)


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
        sub = leaf.subtable
        if sub is not None and sub != last_sub:
            last_sub = sub
            out.add_section()
            out.add_row("", "", Text(f"subtable {sub}: {table.subtables[sub].name}", style="bold"), "", "")
        name = leaf.field
        out.add_row(f"{leaf.offset:03X}", str(leaf.size), field_name(leaf), format_value(leaf), _meaning(table, leaf))
        if bits and isinstance(leaf.value, int):
            subname = table.subtables[sub].name if sub is not None else None
            flag = names.flag_bits(table.name, name.rsplit(".", 1)[-1], subname)
            for bit in sorted(flag):
                out.add_row("", "", f"  bit {bit}", str(leaf.value >> bit & 1), flag[bit])
    return out


def textconv(table: "AcpiTable", *, label: str, asl: bool = False) -> Iterator[str]:
    """``LABEL.Field = value`` lines; subtables as ``LABEL[i].Name.Field``; AML in 32-byte lines,
    or (``asl``, a DSDT/SSDT/OSDT) as the normalised ASL of ``iasl -d`` (pvenum.acpi.asl) when
    this machine's iasl can give it. Names and number format are inspect's (:func:`field_name`,
    :func:`format_value`)."""
    asl_text = None
    if asl:
        from . import asl as asl_mod

        if asl_mod.is_aml(table.signature):
            asl_text = asl_mod.asl_lines(table.to_bytes())
    for leaf in table.leaves():
        if leaf.subtable is None and leaf.path in ATTRS and leaf.offset < HEADER_SIZE:
            yield f"{label}.{field_name(leaf)} = {format_value(leaf, full=True)}"
            if leaf.path == "Checksum":
                yield f"{label}.checksum_valid = {'true' if table.checksum_valid else 'false'}"
            continue
        if leaf.subtable is not None:
            prefix = f"{label}[{leaf.subtable}].{table.subtables[leaf.subtable].name}.{leaf.field}"
        else:
            prefix = f"{label}.{leaf.path}"
        if leaf.path == "AmlCode" and asl_text is not None:
            if asl_text.lines is None:
                yield f"# pvenum: {asl_text.why}"
            else:
                # Each ASL line keeps its table's label ("SSDT2| ..."): a bundle's tables stay
                # apart in `git diff`, and no ASL+ "Local0 = 1" reads as a FIELD = VALUE line.
                yield f"# {label} as ASL: iasl {asl_text.iasl_version} -d, normalised (pvenum.acpi.asl)"
                yield from (f"{label}| {line}".rstrip() for line in asl_text.lines)
                continue
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
