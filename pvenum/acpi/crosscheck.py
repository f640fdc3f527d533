"""Differential check: does pvenum's decode of a table agree with ``iasl -d`` of the same bytes?

Agreement is by *offset*, not by field name (iasl's display names differ from ACPICA's struct
names and change between releases): every field line iasl prints, ``[offset length] name :
value``, must be covered exactly by pvenum fields starting at that offset and ending at its
end, and the value pvenum decoded must equal iasl's. So a field at the wrong offset, of the
wrong size or decoded with the wrong meaning shows up as a mismatch.

Known iasl bugs are listed in :data:`QUIRKS` with the releases they affect (the QEMU
bios-tables-test allow-list idea), and parts iasl's version cannot decode are skipped with
the version gate's reason.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from . import iasl as iasl_mod
from .asl import AML_SIGNATURES
from .layouts.common import Leaf, leaf_bytes
from .layouts.header import HEADER_SIZE
from .layouts.tree import UNPARSED

if TYPE_CHECKING:  # pragma: no cover
    from .model import AcpiTable


@dataclass(frozen=True)
class Quirk:
    signature: str
    offset: int
    length: int
    fixed_in: int  # first iasl release without the bug (0: not fixed in any release pvenum knows)
    reason: str
    name: str = ""  # match iasl's field name instead of the offset (offset -1)

    def matches(self, signature: str, line: object, version: int) -> bool:
        if self.signature != signature or (self.fixed_in and version >= self.fixed_in):
            return False
        if self.offset < 0:
            return getattr(line, "name", None) == self.name
        return self.offset == getattr(line, "offset", None) and self.length == getattr(line, "length", None)


QUIRKS = (
    Quirk("SPCR", 76, 1, 20240827,
          "iasl before 20240827 prints the byte at offset 63 (Language, then 'Reserved') with "
          "Reserved2's offset 76 (ACPICA dmtbinfo3.c, fixed by 1eeff5212)"),
    Quirk("RHCT", -1, 0, 0,
          "iasl (20260408 and before) prints the ISA string node's Optional Padding at an offset and "
          "length it derives from the string's length, not at the bytes after the string "
          "(ACPICA dmtbl2.c AcpiDmDumpRhct)", name="Optional Padding"),
    Quirk("NFIT", -1, 0, 0,
          "iasl prints an SMBIOS structure's data at the table's offset 8 instead of after the "
          "structure's header (ACPICA dmtbl2.c AcpiDmDumpNfit)", name="SMBIOS Table Entries"),
    Quirk("NFIT", -1, 0, 20260408,
          "iasl 20200925 prints an Interleave structure's LineOffset array one entry late, past "
          "its end (ACPICA dmtbl2.c AcpiDmDumpNfit; 20260408, the next release pvenum checks, "
          "prints it right)", name="Line Offset"),
    Quirk("DBG2", -1, 0, 0,
          "iasl prints a device's OEM data at OemDataOffset from the table's start and reads the "
          "bytes there, instead of from the device structure's start (ACPICA dmtbl1.c AcpiDmDumpDbg2)",
          name="OEM Data"),
    Quirk("IORT", -1, 0, 0,
          "iasl prints the padding before the first node from the table's start, not from the "
          "end of the fixed part (ACPICA dmtbl2.c AcpiDmDumpIort)", name="Optional Padding"),
    Quirk("IORT", -1, 0, 0,
          "iasl prints a named component's padding with the bytes at the table's start "
          "(ACPICA dmtbl2.c AcpiDmDumpIort)", name="Padding"),
)


@dataclass(frozen=True)
class Mismatch:
    offset: int
    length: int
    name: str
    iasl: object
    pvenum: object
    reason: str

    def __str__(self) -> str:
        return (f"[{self.offset:#05x} +{self.length}] {self.name}: iasl {self.iasl!r} vs pvenum {self.pvenum!r}"
                f" ({self.reason})")


@dataclass
class CrossCheck:
    compared: int = 0
    mismatches: list[Mismatch] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.mismatches


def _header_limit(table: "AcpiTable") -> int:
    """Where the header ends, for tables whose body pvenum keeps as bytes."""
    return sum(lf.size for lf in table.leaves() if lf.path != "unparsed") if table.kind else HEADER_SIZE


def _gated_ranges(table: "AcpiTable", version: int) -> list[tuple[int, int, str]]:
    """Byte ranges (subtables) this iasl version cannot decode, with the reason."""
    return [(sub.offset, sub.offset + sub.length,
             f"MADT subtable 0x{sub.type:02x} ({sub.length} bytes) needs iasl {since}+")
            for sub, _, since in iasl_mod.gated_subtables(table, version)]


def compare(table: "AcpiTable", text: str, *, version: int = 0, lines: list | None = None) -> CrossCheck:
    """Compare ``table`` with iasl's disassembly ``text`` (or pre-parsed ``lines``)."""
    result = CrossCheck()
    if table.signature in AML_SIGNATURES:
        header = iasl_mod.parse_aml_header(text)
        for attr, value in header.items():
            result.compared += 1
            ours = getattr(table, attr)
            if ours != value:
                result.mismatches.append(Mismatch(-1, 0, attr, value, ours, "AML header comment differs"))
        if not header:
            result.mismatches.append(Mismatch(-1, 0, "header", None, None, "no 'Original Table Header' in iasl output"))
        return result

    leaves = list(table.leaves())
    by_start: dict[int, Leaf] = {}
    for leaf in leaves:
        by_start.setdefault(leaf.offset, leaf)
    declared = table.declared
    limit = None if declared else _header_limit(table)
    gated = _gated_ranges(table, version)
    unknown_subtables = [(s.offset, s.offset + s.length, s.name) for s in table.subtables
                         if s.type is not None and s.name.startswith("Unknown")]
    # Bytes pvenum keeps undecoded (a part past its bounds, a type it does not declare).
    kept = [(lf.offset, lf.offset + lf.size, lf.path) for lf in leaves
            if lf.path.rsplit(".", 1)[-1] == UNPARSED and lf.offset >= HEADER_SIZE]
    for line in lines if lines is not None else iasl_mod.parse_disassembly(text):
        kind, value = line.parsed()
        if kind == "other":
            continue
        end = line.offset + line.length
        if limit is not None and line.offset >= limit:
            break  # header lines come first; pvenum keeps the rest of this table as bytes
        quirk = next((q for q in QUIRKS if q.matches(table.signature, line, version)), None)
        if quirk:
            result.skipped.append(f"{line.name} @ {line.offset:#x}: {quirk.reason}")
            continue
        gate = next((why for lo, hi, why in gated if lo <= line.offset < hi), None)
        if gate:
            result.skipped.append(f"{line.name} @ {line.offset:#x}: {gate}")
            continue
        unk = next((name for lo, hi, name in unknown_subtables if lo + 2 <= line.offset < hi), None)
        if unk:
            result.skipped.append(f"{line.name} @ {line.offset:#x}: pvenum keeps subtable {unk} as bytes")
            continue
        raw = next((path for lo, hi, path in kept if lo <= line.offset < hi), None)
        if raw:
            result.skipped.append(f"{line.name} @ {line.offset:#x}: pvenum keeps these bytes undecoded ({raw})")
            continue
        covering: list[Leaf] = []
        pos = line.offset
        while pos < end:
            leaf = by_start.get(pos)
            if leaf is None:
                break
            covering.append(leaf)
            pos += leaf.size
        if pos != end or not covering:
            result.mismatches.append(Mismatch(line.offset, line.length, line.name, value, None,
                                              "no pvenum fields span exactly this range"))
            continue
        ours = b"".join(leaf_bytes(lf) for lf in covering)
        result.compared += 1
        if kind == "int":
            mine: object = int.from_bytes(ours, "little")
        elif kind == "bytes":
            mine = ours
        else:
            mine = ours.split(b"\0")[0].decode("latin-1")
        if mine != value:
            names = "+".join(lf.path for lf in covering)
            result.mismatches.append(Mismatch(line.offset, line.length, line.name, value, mine,
                                              f"pvenum {names}"))
    return result


def check_with_iasl(table: "AcpiTable") -> CrossCheck:
    """Disassemble ``table`` with the installed iasl and compare (ToolError if iasl is absent)."""
    tool = iasl_mod.require()
    dis = iasl_mod.disassemble(table.to_bytes())
    return compare(table, dis.text, version=tool.version)
