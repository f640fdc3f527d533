"""Format hooks for "acpi-table" (one binary table) and "acpidump" (text, one artifact per
table), per pvenum.formats: ``load_as(data, path, name)`` and ``validate(data, path, fmt)``
(``load`` sniffs text or binary first, for callers without a detected format).

Every artifact has ``format == "acpi-table"`` — also those read from acpidump text — and
``path`` = the file it came from; ``to_json()`` adds ``"table"`` (the sysfs-style instance
name: FACP, SSDT1, ...) and ``"address"`` when the dump gives one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterator

from ..errors import ParseError, ToolError
from ..validation import Problem
from .codec import parse_table
from .model import AcpiTable, json_value

if TYPE_CHECKING:  # pragma: no cover
    from ..platform import PlatformBuilder

_SYSFS_NAME = re.compile(r"^([A-Z0-9_!$]{4})(\d*)$")


@dataclass
class AcpiArtifact:
    table: AcpiTable
    path: str
    label: str  # FACP, SSDT2, RSDP: what the table is called in lines and titles
    source_format: str = "acpi-table"  # or "acpidump"
    format: str = "acpi-table"
    # Lines of a pasted acpidump skipped as not part of it (on the dump's first table only).
    skipped: tuple[int, ...] = ()

    def to_json(self) -> dict[str, Any]:
        t = self.table
        out: dict[str, Any] = {"format": self.format, "path": self.path, **t.header()}
        if self.skipped:
            out["skipped_lines"] = list(self.skipped)
        out["fields"] = json_value(t.fields)
        out["subtables"] = [s.to_json() for s in t.subtables]
        out["table"] = self.label
        if t.address is not None:
            out["address"] = t.address
        if t.unparsed:
            out["unparsed"] = bytes(t.unparsed).hex()
        if t.trailing:
            out["trailing"] = bytes(t.trailing).hex()
        return out

    def render(self, *, bits: bool = False) -> Any:
        from .render import render

        return render(self.table, label=self.label, path=self.path, bits=bits)

    def textconv(self) -> Iterator[str]:
        from .. import paste
        from .render import textconv

        note = paste.skipped_note(self.skipped)
        if note:
            yield f"# {note}"
        yield from textconv(self.table, label=self.label, asl=True)

    def contribute(self, builder: "PlatformBuilder") -> None:
        from .. import paste

        note = paste.skipped_note(self.skipped)
        if note:
            builder.notes.append(f"{self.path}: {note}")
        builder.add_acpi_table(self.table, self.path)

    def disassemble(self) -> str:
        """``iasl -d`` of this table, with pvenum's note when this iasl cannot decode all of it;
        a definition block (DSDT/SSDT) as normalised ASL (pvenum.acpi.asl)."""
        from . import asl, iasl

        tool = iasl.require()
        if asl.is_aml(self.table.signature):
            res = asl.asl_lines(self.table.to_bytes())
            if res.lines is None:
                raise ToolError(res.why)
            return "\n".join(res.lines) + "\n"
        if self.table.signature == "RSD PTR ":
            raise ToolError("iasl -d does not disassemble a standalone RSDP; pvenum's table above decodes it")
        dis = iasl.disassemble(self.table.to_bytes(), name=re.sub(r"[^A-Za-z0-9]", "_", self.label.lower()))
        notes = tool.knows(self.table)
        if notes:
            head = "".join(f"/* pvenum: {n}; pvenum decodes it above. */\n" for n in notes)
            return head + dis.text
        return dis.text


def _label_from_path(path: str, table: AcpiTable) -> str:
    """sysfs names (SSDT1), acpidump -b / acpixtract names (ssdt1.dat) → a label; else the name."""
    stem = Path(path).name
    if stem.lower().endswith(".dat"):
        stem = stem[:-4].upper()
    m = _SYSFS_NAME.match(stem)
    if m and m.group(1) == table.signature:
        return stem
    return "RSDP" if table.signature == "RSD PTR " else table.signature


def _is_text(data: bytes) -> bool:
    from ..formats import _is_acpidump

    return _is_acpidump(data, "")


def load_as(data: bytes, path: str, name: str, *, strict: bool = False) -> list[AcpiArtifact]:
    """Format hook for "acpi-table" and "acpidump" (``strict``: see :func:`load`): read as
    ``name`` says, not sniffed again, so a forced ``--format`` wins and bytes that are not
    that format get that format's own error (as ``dtc -I dtb`` reads a DTS as a blob and
    fails on its magic)."""
    if name == "acpidump":
        return _load_dump(data, path, strict=strict)
    return _load_table(data, path)


def load(data: bytes, path: str, *, strict: bool = False) -> list[AcpiArtifact]:
    """Artifacts of one file: a binary table, or every table of an acpidump text (as pasted
    into mail unless ``strict``: pvenum.acpi.acpidump.read_blocks)."""
    return load_as(data, path, "acpidump" if _is_text(data) else "acpi-table", strict=strict)


def _load_table(data: bytes, path: str) -> list[AcpiArtifact]:
    table = parse_table(data)
    return [AcpiArtifact(table, path, _label_from_path(path, table))]


def _load_dump(data: bytes, path: str, *, strict: bool = False) -> list[AcpiArtifact]:
    from .acpidump import instance_names, read_acpidump

    skipped: list[int] = []
    dumped = read_acpidump(data, strict=strict, skipped=skipped)
    if not dumped:
        raise ParseError("acpidump", "no tables in the dump", offset=0)
    labels = instance_names([d.table.signature for d in dumped])
    out = []
    for d, label in zip(dumped, labels):
        name = d.name.replace("RSD PTR", "RSDP")
        # A dump that already numbers its tables (SSDT4 @) keeps its own numbers.
        out.append(AcpiArtifact(d.table, path, name if name != d.table.signature.strip() else label,
                                source_format="acpidump", skipped=() if out else tuple(skipped)))
    return out


def validate(data: bytes, path: str, fmt: str = "acpi-table") -> list[Problem]:
    """Checks for one binary table or a whole acpidump (tables and their pointers), read as
    ``fmt`` (:func:`load_as`)."""
    from .validate import check_set, check_table

    try:
        arts = load_as(data, path, fmt)
    except ParseError as err:
        return [Problem("ACPI.Parse", err.message, err.offset, "error", err.fmt)]
    problems: list[Problem] = []
    for art in arts:
        problems.extend(check_table(art.table, data if art.source_format == "acpi-table" else None,
                                    label=art.label))
    if len(arts) > 1:
        problems.extend(check_set([a.table for a in arts], labels=[a.label for a in arts]))
    return problems
