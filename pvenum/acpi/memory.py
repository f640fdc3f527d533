"""A table set in guest memory: lay it out (RSDP → XSDT/RSDT → tables, FADT → FACS/DSDT) with
pointers and checksums right, and read one back by following the pointers from an RSDP.

Layout (ACPI 6.5 §5.2.5–§5.2.10): the RSDP (16-byte aligned) points to the XSDT (64-bit
entries) and, when every address fits in 32 bits, the RSDT; those list every table except
the FACS and the DSDT, which only the FADT points to — ``Facs``/``Dsdt`` (32-bit) and
``XFacs``/``XDsdt`` (64-bit). The FACS is 64-byte aligned (§5.2.10). ACPICA prefers the
64-bit pointers when non-zero and warns when both are set and differ (``tbfadt.c``), so
``pointers="both"`` writes equal values into both.

Reading is bounded: every pointer is checked against the image before a byte is read, each
table is read once, and the number of tables is capped.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable

from ..errors import LimitError, ParseError
from . import builders
from .acpidump import instance_names
from .codec import parse_table
from .layouts.rsdp import V1_SIZE, V2_SIZE
from .model import AcpiTable, AcpiTableSet

FMT = "acpi-memory"
MAX_TABLES = 1024
_ROOTS = ("RSD PTR ", "XSDT", "RSDT")


@dataclass
class MemoryImage:
    base: int
    data: bytes
    rsdp_address: int
    tables: AcpiTableSet  # as placed (pointers patched), each with .address
    addresses: dict[str, int] = field(default_factory=dict)  # sysfs-style name -> address

    @property
    def end(self) -> int:
        return self.base + len(self.data)


def _align(value: int, alignment: int) -> int:
    return (value + alignment - 1) // alignment * alignment


def layout(tables: Iterable[AcpiTable] | AcpiTableSet, base: int = 0x7FFE0000, *, pointers: str = "both",
           rsdt: bool = True, align: int = 16, oem_id: str = builders.OEM["oem_id"]) -> MemoryImage:
    """Place ``tables`` (any RSDP/XSDT/RSDT among them are regenerated) contiguously from
    ``base``. ``pointers``: "both", "32" or "64" for the FADT → FACS/DSDT pointers."""
    if pointers not in ("both", "32", "64"):
        raise ValueError("pointers must be 'both', '32' or '64'")
    # Each table is encoded once: its bytes place it, and a copy decoded from them takes the
    # address and the pointer patches (the caller's tables stay as they were).
    raw: dict[int, bytes] = {}
    items = []
    for t in tables:
        if t.signature not in _ROOTS:
            data = t.to_bytes()
            items.append(parse_table(data))
            raw[id(items[-1])] = data
    fadts = [t for t in items if t.signature == "FACP"]
    facs = [t for t in items if t.signature == "FACS"]
    dsdts = [t for t in items if t.signature == "DSDT"]
    if len(fadts) > 1 or len(facs) > 1 or len(dsdts) > 1:
        raise ParseError(FMT, "a table set has at most one FADT, one FACS and one DSDT")
    if (facs or dsdts) and not fadts:
        raise ParseError(FMT, "a FACS or DSDT needs a FADT to point to it")
    listed = [t for t in items if t.signature not in ("FACS", "DSDT")]
    # The FADT first, as firmware conventionally lists it.
    listed.sort(key=lambda t: t.signature != "FACP")
    n = len(listed)

    pos = _align(base, 16)
    rsdp_addr = pos
    pos = _align(pos + V2_SIZE, align)
    xsdt_addr = pos
    pos = _align(pos + 36 + 8 * n, align)
    rsdt_addr = None
    if rsdt:
        rsdt_addr = pos
        pos = _align(pos + 36 + 4 * n, align)
    placed: list[tuple[int, AcpiTable]] = []
    for table in [*listed, *facs, *dsdts]:
        if table.signature == "FACS":
            pos = _align(pos, 64)
        placed.append((pos, table))
        pos = _align(pos + len(raw[id(table)]), align)
    addr_of = {id(t): a for a, t in placed}

    if rsdt and (any(a >= 1 << 32 for a, _ in placed) or (rsdt_addr or 0) >= 1 << 32):
        raise ParseError(FMT, "an RSDT needs every table below 4 GiB; pass rsdt=False")
    if fadts:
        _patch_fadt(fadts[0], facs[0] if facs else None, dsdts[0] if dsdts else None, addr_of, pointers)
        raw[id(fadts[0])] = fadts[0].to_bytes()

    entries = [addr_of[id(t)] for t in listed]
    xsdt = builders.xsdt(entries)
    root_tables: list[tuple[int, AcpiTable]] = [(xsdt_addr, xsdt)]
    rsdt_table = None
    if rsdt_addr is not None:
        rsdt_table = builders.rsdt(entries)
        root_tables.append((rsdt_addr, rsdt_table))
    rsdp = builders.rsdp(xsdt_address=xsdt_addr, rsdt_address=rsdt_addr or 0, oem_id=oem_id)

    image = bytearray(pos - base)
    for addr, table in [(rsdp_addr, rsdp), *root_tables, *placed]:
        data = raw[id(table)] if id(table) in raw else table.to_bytes()
        image[addr - base:addr - base + len(data)] = data
        table.address = addr
    ordered = [rsdp, *(t for _, t in root_tables), *(t for _, t in placed)]
    names = instance_names([t.signature for t in ordered])
    return MemoryImage(base, bytes(image), rsdp_addr, AcpiTableSet(ordered),
                       {name: t.address for name, t in zip(names, ordered) if t.address is not None})


def _patch_fadt(fadt: AcpiTable, facs: AcpiTable | None, dsdt: AcpiTable | None, addr_of: dict[int, int],
                pointers: str) -> None:
    for target, small, large in ((facs, "Facs", "XFacs"), (dsdt, "Dsdt", "XDsdt")):
        address = addr_of[id(target)] if target is not None else 0
        use32 = pointers in ("both", "32")
        use64 = pointers in ("both", "64")
        if address >= 1 << 32:
            use32 = False
            use64 = True
        if use64 and large not in fadt.fields:
            if pointers == "64" or address >= 1 << 32:
                raise ParseError(FMT, f"FADT revision {fadt.revision} ({fadt.length} bytes) has no {large} field")
            use64 = False
        if small in fadt.fields:
            fadt.fields[small] = address if use32 else 0
        if large in fadt.fields:
            fadt.fields[large] = address if use64 else 0
    fadt.fix_checksum()


# -- reading ---------------------------------------------------------------------------------------

def find_rsdp(image: bytes, base: int) -> int:
    """The first RSDP on a 16-byte boundary with a valid ACPI 1.0 checksum (the BIOS scan rule,
    ACPICA ``AcpiTbScanMemoryForRsdp``)."""
    start = (-base) % 16
    for off in range(start, len(image) - V1_SIZE + 1, 16):
        if image[off:off + 8] == b"RSD PTR " and sum(image[off:off + V1_SIZE]) & 0xFF == 0:
            return base + off
    raise ParseError(FMT, "no RSDP (\"RSD PTR \" with a valid checksum on a 16-byte boundary) in the image")


class _Reader:
    def __init__(self, image: bytes, base: int) -> None:
        self.image = image
        self.base = base
        self.end = base + len(image)
        self.seen: dict[int, AcpiTable] = {}

    def _check(self, address: int, size: int, what: str) -> int:
        if address < self.base or address + size > self.end:
            where = max(0, min(address - self.base, len(self.image)))
            raise ParseError(FMT, f"{what} at 0x{address:x} (+{size}) is outside the image "
                             f"0x{self.base:x}..0x{self.end:x}", offset=where)
        return address - self.base

    def table(self, address: int, what: str) -> AcpiTable:
        if address in self.seen:
            return self.seen[address]
        if len(self.seen) >= MAX_TABLES:
            raise LimitError(FMT, f"more than {MAX_TABLES} tables", offset=address - self.base)
        off = self._check(address, 8, what)
        length = int.from_bytes(self.image[off + 4:off + 8], "little")
        self._check(address, length, f"{what} ({length} bytes)")
        try:
            table = parse_table(self.image[off:off + length])
        except ParseError as err:
            raise ParseError(FMT, f"{what} at 0x{address:x}: {err.message}",
                             offset=off + (err.offset or 0)) from None
        table.address = address
        self.seen[address] = table
        return table


def read_memory(image: bytes, base: int, rsdp_address: int | None = None) -> AcpiTableSet:
    """Tables reachable from the RSDP: RSDP, XSDT, RSDT, each listed table, then the FACS and
    DSDT after the FADT that points to them. Each table's ``.address`` is set."""
    reader = _Reader(bytes(image), base)
    if rsdp_address is None:
        rsdp_address = find_rsdp(reader.image, base)
    off = reader._check(rsdp_address, V1_SIZE, "RSDP")
    size = V2_SIZE if reader.image[off + 15] >= 2 else V1_SIZE
    off = reader._check(rsdp_address, size, "RSDP")
    rsdp = parse_table(reader.image[off:off + size])
    rsdp.address = rsdp_address
    out = [rsdp]
    roots = []
    xsdt_addr = rsdp.fields.get("XsdtPhysicalAddress", 0) if (rsdp.revision or 0) >= 2 else 0
    if xsdt_addr:
        roots.append(reader.table(xsdt_addr, "XSDT"))
    if rsdp.fields.get("RsdtPhysicalAddress"):
        roots.append(reader.table(rsdp.fields["RsdtPhysicalAddress"], "RSDT"))
    out.extend(roots)
    if not roots:
        return AcpiTableSet(out)
    for i, address in enumerate(roots[0].fields.get("TableOffsetEntry", [])):
        if address in reader.seen:
            continue
        table = reader.table(address, f"{roots[0].signature} entry {i}")
        out.append(table)
        if table.signature == "FACP":
            for small, large, what in (("Facs", "XFacs", "FACS"), ("Dsdt", "XDsdt", "DSDT")):
                target = table.fields.get(large) or table.fields.get(small)
                if target and target not in reader.seen:
                    out.append(reader.table(target, f"FADT → {what}"))
    return AcpiTableSet(out)
