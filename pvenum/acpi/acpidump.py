"""acpidump text: read every variant real tools produce, write what ``acpixtract -a`` reads back.

A dump is blocks of ``SIG @ 0xADDRESS`` followed by hex rows ``OFFSET: XX XX ... ASCII``
(ACPICA ``apdump.c`` header ``"%4.4s @ 0x%8.8X%8.8X"``, ``utbuffer.c`` rows ``"%8.4X: "``).
Accepted variants (fwts ``fwts_acpi_tables.c``, open-acpica/acpica#383): any indentation,
offsets of 4 to 8+ hex digits, upper- or lowercase hex, ``RSD PTR @``, instance suffixes
(``SSDT4 @``), short last rows, with or without the ASCII column, blank lines anywhere. Rows
must continue the block's bytes (offset = bytes so far); lines that are neither headers nor
rows (tool banners, warnings) are ignored, except one that stands where the block's next row
belongs and looks like a damaged row: that is an error on its own line, never a shorter table.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Iterable

from .. import paste
from ..errors import LimitError, ParseError
from .codec import parse_table
from .model import AcpiTable

FMT = "acpidump"
MAX_TABLES = 4096

_HEADER = re.compile(
    r"^[ \t]*(?P<sig>RSD PTR|[A-Za-z0-9_!$]{4})(?P<inst>\d*)[ \t]+@[ \t]+0x(?P<addr>[0-9A-Fa-f]{1,16})[ \t]*$")
# Up to 16 two-digit bytes separated by single spaces; the ASCII column is two blanks away.
_COLUMN = r"[ \t]{2}"
_ROW = re.compile(
    r"^[ \t]*(?P<off>[0-9A-Fa-f]{4,16})[ \t]*:[ \t]+"
    r"(?P<hex>[0-9A-Fa-f]{2}(?: [0-9A-Fa-f]{2}){0,15})(?=" + _COLUMN + r"|[ \t]*$)")
# A row's offset and colon alone: a line that starts as the block's next row but whose bytes are
# not a row is that row damaged, not a banner to skip (acpixtract 20200925 reads such a row up to
# the bad token and writes a shorter table without a word: the error names the row instead).
_ROW_START = re.compile(r"^[ \t]*(?P<off>[0-9A-Fa-f]{4,16})[ \t]*:(?P<rest>.*)$")
_HEX_BYTE = re.compile(r"[0-9A-Fa-f]{2}")


@dataclass
class DumpedTable:
    """One block of an acpidump: the decoded table, its address and the block's name."""

    table: AcpiTable
    address: int
    name: str  # as printed: "FACP", "SSDT4", "RSD PTR"
    line: int  # 1-based line of the block header
    offset: int  # character offset of the block header in the text


def _text(data: str | bytes) -> str:
    if isinstance(data, str):
        return data
    return data.decode("latin-1")


def read_blocks(text: str | bytes, *, strict: bool = False,
                skipped: list[int] | None = None) -> list[tuple[str, int, bytes, int, int]]:
    """``(name, address, bytes, line, char_offset)`` for each block, bytes checked row by row.

    Lenient (default): quoting as pasted into mail (pvenum.paste) is removed and lines that
    are neither headers nor rows are skipped, their numbers appended to ``skipped`` (a damaged
    row where the block's next one belongs is an error, not skipped).
    ``strict``: no unquoting, and any such line is an error.
    """
    text = _text(text)
    blocks: list[tuple[str, int, bytes, int, int]] = []
    current: dict[str, Any] | None = None

    def close() -> None:
        if current is not None:
            if not current["data"]:
                raise ParseError(FMT, f"block {current['name']} has no hex rows", offset=current["offset"])
            blocks.append((current["name"], current["addr"], bytes(current["data"]), current["line"],
                           current["offset"]))

    for ln in paste.lines(text, unquote=not strict, latin1=True):
        lineno, here, stripped = ln.number, ln.offset, ln.text
        m = _HEADER.match(stripped)
        if m:
            close()
            if len(blocks) >= MAX_TABLES:
                raise LimitError(FMT, f"more than {MAX_TABLES} tables", offset=here)
            name = m.group("sig") + m.group("inst")
            current = {"name": name, "addr": int(m.group("addr"), 16), "data": bytearray(), "line": lineno,
                       "offset": here}
            continue
        m = _ROW.match(stripped)
        if m is None and current is not None:
            _damaged_row(current, stripped, lineno, here)
        if m is None or current is None:
            if stripped.strip():
                if strict:
                    raise ParseError(FMT, f"line {lineno}: not an acpidump header or row: "
                                     f"{stripped.strip()[:60]!r}", offset=here)
                if skipped is not None:
                    skipped.append(lineno)
            continue
        row_off = int(m.group("off"), 16)
        data: bytearray = current["data"]
        if row_off != len(data):
            # Only a block's last row may be short: name the short row before, where the bytes went
            # missing (two spaces inside the bytes read as the start of the ASCII column).
            short = current.get("short")
            where = (f" (row {short[0]} on line {short[1]} holds {short[2]} bytes, not 16)"
                     if short is not None else "")
            raise ParseError(FMT, f"{current['name']}: row offset {m.group('off')} on line {lineno} does not "
                             f"follow the {len(data)} bytes before it{where}", offset=here)
        row = bytes.fromhex(m.group("hex"))
        data.extend(row)
        current["short"] = (m.group("off"), lineno, len(row)) if len(row) < 16 else None
    close()
    return blocks


def _damaged_row(block: dict[str, Any], line: str, lineno: int, here: int) -> None:
    """Raise for ``line`` when it is the block's next row (its offset is the bytes so far) with
    bytes that are not a row; return for any other line."""
    m = _ROW_START.match(line)
    if m is None or int(m.group("off"), 16) != len(block["data"]):
        return
    # The bytes end where the ASCII column starts, as the row pattern says.
    tokens = re.split(_COLUMN, m.group("rest").strip(" \t"), maxsplit=1)[0].split(" ")
    bad = next((t for t in tokens if not _HEX_BYTE.fullmatch(t)), None)
    if m.group("rest")[:1] not in ("", " ", "\t"):
        why = "no blank after the offset's colon"
    elif tokens == [""]:
        why = "no bytes"
    elif bad is not None:
        why = f"{bad[:20]!r} is not a hex byte"
    elif len(tokens) > 16:
        why = f"{len(tokens)} bytes where a row holds at most 16"
    else:
        why = "its bytes are not followed by two blanks or the end of the line"
    raise ParseError(FMT, f"{block['name']}: row {m.group('off')} on line {lineno}: {why}", offset=here)


def read_acpidump(text: str | bytes, *, strict: bool = False,
                  skipped: list[int] | None = None) -> list[DumpedTable]:
    """Decode every table of an acpidump text, in dump order (``strict``/``skipped``: see
    :func:`read_blocks`)."""
    out = []
    for name, addr, data, line, offset in read_blocks(text, strict=strict, skipped=skipped):
        try:
            table = parse_table(data)
        except ParseError as err:
            # Name the block; the offset stays the byte offset inside that table.
            raise ParseError(FMT, f"table {name} (line {line}): {err.message}", offset=err.offset,
                             field=err.field) from None
        table.address = addr
        out.append(DumpedTable(table, addr, name, line, offset))
    return out


def _ascii(chunk: bytes) -> str:
    return "".join(chr(b) if 0x20 <= b < 0x7F else "." for b in chunk)


def format_table(name: str, address: int, data: bytes) -> str:
    """One acpidump block as ACPICA's acpidump prints it (16 bytes a row, ASCII column)."""
    lines = [f"{name[:8]:4} @ 0x{address:016X}"]
    for off in range(0, len(data), 16):
        chunk = data[off:off + 16]
        hexes = " ".join(f"{b:02X}" for b in chunk)
        # ACPICA's "%8.4X: ": at least 4 digits, right-aligned in 8 columns.
        lines.append(f"{off:04X}".rjust(8) + f": {hexes:<47}  {_ascii(chunk)}".rstrip())
    return "\n".join(lines) + "\n"


def write_acpidump(tables: Iterable[Any]) -> str:
    """acpidump text for ``tables``: AcpiTable objects (their ``.address`` or 0), or
    ``(table_or_bytes, address)`` pairs. ``acpixtract -a`` extracts each table back exactly."""
    out = []
    for item in tables:
        if isinstance(item, tuple):
            obj, address = item
        else:
            obj, address = item, getattr(item, "address", None) or 0
        data = obj if isinstance(obj, (bytes, bytearray)) else obj.to_bytes()
        sig = "RSD PTR" if bytes(data[:8]) == b"RSD PTR " else bytes(data[:4]).decode("latin-1")
        out.append(format_table(sig, address, bytes(data)))
    return "\n".join(out) + ("\n" if out else "")


def instance_names(signatures: list[str]) -> list[str]:
    """Names in Linux sysfs style: a signature seen once keeps its name, repeated ones are
    numbered from 1 (SSDT1, SSDT2, ...), as drivers/acpi/sysfs.c ``acpi_table_attr_init`` does."""
    counts: dict[str, int] = {}
    for sig in signatures:
        counts[sig] = counts.get(sig, 0) + 1
    seen: dict[str, int] = {}
    out = []
    for sig in signatures:
        base = "RSDP" if sig == "RSD PTR " else sig
        if counts[sig] > 1:
            seen[sig] = seen.get(sig, 0) + 1
            out.append(f"{base}{seen[sig]}")
        else:
            out.append(base)
    return out
