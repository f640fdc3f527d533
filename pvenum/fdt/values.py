"""Typed readings of property values, always beside the raw bytes.

A DTB value is untyped bytes (dt-schema learned this the hard way: it validates DTBs, not
YAML, because types were being guessed wrongly). pvenum keeps the bytes as the truth and
offers readings: u32/u64 cells, string lists, phandles, and ``reg`` split by the parent's
#address-cells/#size-cells. :func:`guess` picks one and labels it as a guess.

Every :class:`Typed` ``text`` is valid DTS for exactly the raw bytes (strings with escapes,
``<cells>``, ``/bits/ 64 <...>`` or ``[bytes]``), so the DTS writer can use it unchanged.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
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
# dtc's isstring(): printable ASCII, NUL, or a C escape character.
_STRINGISH = frozenset(range(0x20, 0x7F)) | {0, 0x07, 0x08, 0x09, 0x0A, 0x0B, 0x0C, 0x0D}


@dataclass(frozen=True)
class Typed:
    """A labelled reading of a value: ``kind``, the Python ``value`` and its DTS ``text``."""

    kind: str  # empty | string | strings | u32 | cells | u64 | phandle | reg | bytes
    value: Any
    text: str  # DTS syntax for exactly the raw bytes
    note: str = ""  # a further reading, e.g. reg split into address/size pairs

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
    return tuple(int.from_bytes(raw[i:i + 4], "big") for i in range(0, len(raw), 4))


def u64_cells(raw: bytes) -> tuple[int, ...] | None:
    if len(raw) % 8:
        return None
    return tuple(int.from_bytes(raw[i:i + 8], "big") for i in range(0, len(raw), 8))


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
    return nul <= len(raw) - nul and _STRINGISH.issuperset(raw)


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
    assert raw and raw[-1] == 0
    return ", ".join(dts_string(s) for s in raw[:-1].split(b"\0"))


def dts_cells(cells: tuple[int, ...] | list[int], bits: int = 32) -> str:
    body = " ".join(f"0x{c:x}" for c in cells)
    return f"<{body}>" if bits == 32 else f"/bits/ {bits} <{body}>"


def dts_bytes(raw: bytes) -> str:
    return "[" + " ".join(f"{b:02x}" for b in raw) + "]"


def dts_value(raw: bytes) -> str:
    """The DTS form dtc itself would choose when decompiling (strings, cells or bytes)."""
    return guess("", raw).text


# -- the best guess -------------------------------------------------------------------------


def guess(name: str, raw: bytes, node: "Node | None" = None) -> Typed:
    """Read ``raw`` the way its name suggests, else by dtc's heuristic; label the result."""
    n = len(raw)
    if n == 0:
        return Typed("empty", True, "")
    if name in PHANDLE_PROPS and n == 4:
        value = int.from_bytes(raw, "big")
        return Typed("phandle", value, dts_cells((value,)))
    if name in U32_PROPS and n == 4:
        value = int.from_bytes(raw, "big")
        return Typed("u32", value, dts_cells((value,)))
    if name in U64_PROPS and n % 8 == 0:
        values = u64_cells(raw)
        assert values is not None
        return Typed("u64", values[0] if n == 8 else values, dts_cells(values, 64))
    if name == "reg" and node is not None and node.parent is not None and n % 4 == 0:
        pairs = decode_reg(raw, node.parent.address_cells(), node.parent.size_cells())
        if pairs is not None:
            cells = u32_cells(raw)
            assert cells is not None
            note = ", ".join(f"0x{a:x}+0x{s:x}" for a, s in pairs)
            return Typed("reg", pairs, dts_cells(cells), note)
    if (name in STRING_PROPS or name.endswith("-names")) and raw[-1] == 0:
        strings = string_list(raw)
        assert strings is not None
        if len(strings) == 1:
            return Typed("string", strings[0], dts_strings(raw))
        return Typed("strings", strings, dts_strings(raw))
    if looks_like_strings(raw):
        strings = string_list(raw)
        assert strings is not None
        if len(strings) == 1:
            return Typed("string", strings[0], dts_strings(raw))
        return Typed("strings", strings, dts_strings(raw))
    if n % 4 == 0:
        cells = u32_cells(raw)
        assert cells is not None
        if n == 4:
            return Typed("u32", cells[0], dts_cells(cells))
        return Typed("cells", cells, dts_cells(cells))
    return Typed("bytes", raw, dts_bytes(raw))
