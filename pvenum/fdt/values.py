"""Typed readings of property values, always beside the raw bytes.

A DTB value is untyped bytes (dt-schema learned this the hard way: it validates DTBs, not
YAML, because types were being guessed wrongly). pvenum keeps the bytes as the truth and
offers readings: u32/u64 cells, string lists, phandles, and ``reg`` split by the parent's
#address-cells/#size-cells. :func:`guess` picks one and labels it as a guess.

Every :class:`Typed` ``text`` is valid DTS for exactly the raw bytes (strings with escapes,
``<cells>``, ``/bits/ 64 <...>`` or ``[bytes]``), so the DTS writer can use it unchanged.
"""

from __future__ import annotations

import struct
from collections import namedtuple

TYPE_CHECKING = False  # typing is not imported at run time (start-up: pvenum/_io.py)
if TYPE_CHECKING:  # pragma: no cover
    from typing import Any

    from .model import Node

# Properties whose binding says what they hold (devicetree specification §2.3, §2.4, §3).
STRING_PROPS = frozenset({
    "compatible", "model", "status", "name", "device_type", "method", "bootargs",
    "stdout-path", "stdin-path", "enable-method", "clock-output-names", "label",
    "entry-method", "linux,stdout-path", "rng-seed-type",
})
U32_PROPS = frozenset({
    "#address-cells", "#size-cells", "#interrupt-cells", "#clock-cells", "#gpio-cells",
    "#reset-cells", "#phy-cells", "#pwm-cells", "#dma-cells", "#mbox-cells", "#iommu-cells",
    "#msi-cells", "#power-domain-cells", "#thermal-sensor-cells", "#cooling-cells",
    "#sound-dai-cells", "#io-channel-cells", "#nvmem-cell-cells", "clock-frequency",
    "timebase-frequency", "virtual-reg", "cpu_on", "cpu_off", "cpu_suspend", "migrate",
    "linux,pci-domain", "numa-node-id", "migration-cost",
})
PHANDLE_PROPS = frozenset({"phandle", "linux,phandle", "interrupt-parent", "msi-parent"})
U64_PROPS = frozenset({
    "linux,initrd-start", "linux,initrd-end", "linux,elfcorehdr", "linux,usable-memory-range",
    "kaslr-seed", "linux,uefi-system-table", "linux,uefi-mmap-start",
    "xen,uefi-system-table", "xen,uefi-mmap-start",
})

_ESCAPES = {0x07: "\\a", 0x08: "\\b", 0x09: "\\t", 0x0A: "\\n", 0x0B: "\\v", 0x0C: "\\f",
            0x0D: "\\r", 0x22: '\\"', 0x5C: "\\\\"}
# dtc's isstring(): printable ASCII, NUL, or a C escape character. As byte strings, so that
# bytes.translate(None, delete) can test a whole value in C.
_STRINGISH = bytes(range(0x20, 0x7F)) + b"\0\a\b\t\n\v\f\r"
# Characters a DTS string holds as they are (no escape needed).
_PLAIN = bytes(b for b in range(0x20, 0x7F) if b not in (0x22, 0x5C))
_PLAIN_OR_NUL = _PLAIN + b"\0"


# collections.namedtuple, not typing.NamedTuple: typing is not imported at run time (start-up:
# pvenum/_io.py). The annotations name each field's type; the tuple declares the fields.
class Typed(namedtuple("Typed", ("kind", "value", "text", "note"), defaults=("",))):
    """A labelled reading of a value: ``kind``, the Python ``value`` and its DTS ``text``."""

    __slots__ = ()
    kind: str  # empty | string | strings | u32 | cells | u64 | phandle | reg | bytes
    value: Any
    text: str  # DTS syntax for exactly the raw bytes
    note: str  # a further reading, e.g. reg split into address/size pairs ("" by default)

    @property
    def label(self) -> str:
        return {
            "empty": "empty (boolean true)",
            "string": "string",
            "strings": "string list",
            "u32": "u32",
            "cells": "u32 cells",
            "u64": "u64 cells",
            "phandle": "phandle",
            "reg": "reg",
            "bytes": "bytes",
        }.get(self.kind, self.kind)


# -- plain readings --------------------------------------------------------------------------


def u32(raw: bytes) -> int | None:
    return int.from_bytes(raw, "big") if len(raw) == 4 else None


def u64(raw: bytes) -> int | None:
    return int.from_bytes(raw, "big") if len(raw) == 8 else None


def u32_cells(raw: bytes) -> tuple[int, ...] | None:
    if len(raw) % 4:
        return None
    return struct.unpack(f">{len(raw) // 4}I", raw)


def string_list(raw: bytes) -> list[str] | None:
    """NUL-terminated strings, or None when the value does not end in NUL."""
    if not raw or raw[-1] != 0:
        return None
    return [s.decode("utf-8", "surrogateescape") for s in raw[:-1].split(b"\0")]


def looks_like_strings(raw: bytes) -> bool:
    """dtc's test when it decompiles (treesource.c guess_value_type): NUL-terminated,
    only printable characters or C escapes, and no more NULs than other characters."""
    if not raw or raw[-1] != 0:
        return False
    nul = raw.count(0)
    return nul <= len(raw) - nul and not raw.translate(None, _STRINGISH)


def cells_to_int(cells: tuple[int, ...] | list[int]) -> int:
    value = 0
    for cell in cells:
        value = (value << 32) | cell
    return value


def decode_reg(raw: bytes, address_cells: int, size_cells: int) -> list[tuple[int, int]] | None:
    """``reg`` as (address, size) pairs; None if the cell counts do not divide the value.

    Linux caps #address-cells at 4 (OF_MAX_ADDR_CELLS); larger counts are not decoded.
    """
    if not (0 < address_cells <= 4 and 0 <= size_cells <= 4):
        return None
    stride = 4 * (address_cells + size_cells)
    if not raw or len(raw) % stride:
        return None
    cells = u32_cells(raw)
    assert cells is not None
    out = []
    for i in range(0, len(cells), address_cells + size_cells):
        addr = cells_to_int(cells[i:i + address_cells])
        size = cells_to_int(cells[i + address_cells:i + address_cells + size_cells])
        out.append((addr, size))
    return out


# -- DTS text -----------------------------------------------------------------------------


def dts_string(raw: bytes) -> str:
    """One quoted DTS string for ``raw`` (no NUL inside): escapes keep it byte-exact."""
    if not raw.translate(None, _PLAIN):
        return '"' + raw.decode("ascii") + '"'
    out = []
    for b in raw:
        if b in _ESCAPES:
            out.append(_ESCAPES[b])
        elif 0x20 <= b < 0x7F:
            out.append(chr(b))
        else:
            out.append(f"\\x{b:02x}")
    return '"' + "".join(out) + '"'


def dts_strings(raw: bytes) -> str:
    """A NUL-terminated value as a DTS string list (``"a", "b"``)."""
    if not raw.translate(None, _PLAIN_OR_NUL):  # the common case: nothing to escape
        return '"' + raw[:-1].decode("ascii").replace("\0", '", "') + '"'
    return ", ".join(dts_string(s) for s in raw[:-1].split(b"\0"))


def dts_cells(cells: tuple[int, ...] | list[int], bits: int = 32) -> str:
    body = " ".join(map(hex, cells))
    return f"<{body}>" if bits == 32 else f"/bits/ {bits} <{body}>"


def dts_bytes(raw: bytes) -> str:
    return "[" + " ".join(f"{b:02x}" for b in raw) + "]"


# -- the best guess -------------------------------------------------------------------------


# One lookup decides whether the name says what the value holds.
_HINTS = {**{n: "phandle" for n in PHANDLE_PROPS}, **{n: "u32" for n in U32_PROPS},
          **{n: "u64" for n in U64_PROPS}, **{n: "string" for n in STRING_PROPS}, "reg": "reg"}


def _pick(name: str, raw: bytes) -> tuple[str, Any]:
    """The form :func:`guess` and :func:`dts_text` both write ``raw`` in, and the numbers
    read for it: ("empty"|"strings"|"bytes", None), ("u32"|"phandle", int),
    ("u64", u64 tuple), ("cells"|"reg", u32 tuple)."""
    n = len(raw)
    if n == 0:
        return "empty", None
    hint = _HINTS.get(name)
    if hint is not None:
        if n == 4 and hint in ("phandle", "u32"):
            return hint, int.from_bytes(raw, "big")
        if hint == "u64" and n % 8 == 0:
            return "u64", struct.unpack(f">{n // 8}Q", raw)
        if hint == "reg" and n % 4 == 0:
            return "reg", struct.unpack(f">{n // 4}I", raw)
        if hint == "string" and raw[-1] == 0:
            return "strings", None
    elif raw[-1] == 0 and name.endswith("-names"):
        return "strings", None
    if raw[-1] == 0 and looks_like_strings(raw):
        return "strings", None
    if n % 4 == 0:
        if n == 4:
            return "u32", int.from_bytes(raw, "big")
        return "cells", struct.unpack(f">{n // 4}I", raw)
    return "bytes", None


def _text(form: str, numbers: Any, raw: bytes) -> str:
    if form == "strings":
        return dts_strings(raw)
    if form in ("u32", "phandle"):
        return f"<{numbers:#x}>"
    if form in ("cells", "reg"):
        return dts_cells(numbers)
    if form == "u64":
        return dts_cells(numbers, 64)
    return "" if form == "empty" else dts_bytes(raw)


def dts_text(name: str, raw: bytes) -> str:
    """DTS syntax for exactly ``raw``, in the form :func:`guess` picks (its ``text``), without
    building the typed reading: what the DTS writer and textconv need, fast."""
    form, numbers = _pick(name, raw)
    return _text(form, numbers, raw)


def guess(name: str, raw: bytes, node: "Node | None" = None) -> Typed:
    """Read ``raw`` the way its name suggests, else by dtc's heuristic; label the result.
    Its ``text`` is always :func:`dts_text` of the same value."""
    form, numbers = _pick(name, raw)
    text = _text(form, numbers, raw)
    if form == "empty":
        return Typed("empty", True, text)
    if form == "strings":
        strings = [s.decode("utf-8", "surrogateescape") for s in raw[:-1].split(b"\0")]
        return Typed("string", strings[0], text) if len(strings) == 1 else Typed("strings", strings, text)
    if form == "u64":
        return Typed("u64", numbers[0] if len(numbers) == 1 else numbers, text)
    if form == "reg":
        parent = node.parent if node is not None else None
        pairs = decode_reg(raw, parent.address_cells(), parent.size_cells()) if parent is not None else None
        if pairs is None:
            return Typed("cells", numbers, text)
        return Typed("reg", pairs, text, ", ".join(f"0x{a:x}+0x{s:x}" for a, s in pairs))
    return Typed(form, raw if form == "bytes" else numbers, text)


def printable(name: str) -> str:
    """A node or property name for one line of text: control characters and undecodable
    bytes shown as escapes, so a hostile name cannot break a line or a terminal."""
    if name.isascii() and name.isprintable():
        return name
    raw = name.encode("utf-8", "surrogateescape")
    return "".join(chr(b) if 0x20 <= b < 0x7F else f"\\x{b:02x}" for b in raw)
