"""fwts-style checks of ACPI tables and table sets, each with a stable check id.

Ids: ``ACPI.<Check>`` for checks every table gets (Checksum, Length, Reserved, SubtableLength,
Undecoded, ...), ``<TABLE>.<Check>`` for one table (``FADT.RevisionSize``, ``MADT.MPWakeup.MailboxVersion``,
``CCEL.LogArea``) and ``SET.<Check>``/``<TABLE>.Pointer`` for a set (pointer consistency).
Severity "error" means a guest or ACPICA would misbehave or reject the table; "warning" means
the spec is not followed but guests cope. Offsets are byte offsets inside the table.
Sources: ACPI 6.5 chapter 5, ACPICA ``tbfadt.c``/``tbxfroot.c``, Linux ``madt_wakeup.c`` and
``drivers/acpi/sysfs.c`` (CCEL), fwts ``src/acpi/*``.
"""

from __future__ import annotations

import re
from typing import Iterable

from ..validation import Problem
from .constants import ARM_PSCI_COMPLIANT, ARM_PSCI_USE_HVC, FADT_HW_REDUCED_ACPI
from .layouts import fadt as fadt_layout
from .layouts import madt as madt_layout
from .layouts import pvsr as pvsr_layout
from .layouts.body import SubtableBody
from .layouts.common import Leaf
from .layouts.header import HEADER_SIZE
from .layouts.kinds import SdtKind, byte_sum
from .layouts.rsdp import V1_SIZE, V2_SIZE
from .layouts.tree import TreeBody
from .model import AcpiTable

FMT = "acpi-table"
_SIG_OK = re.compile(r"^[A-Z0-9_!$]{4}$")
# Tables a platform has at most one of (ACPI 6.5 §5.2: FADT, FACS, DSDT, MADT, ...).
SINGLETONS = ("RSD PTR ", "XSDT", "RSDT", "FACP", "FACS", "DSDT", "APIC", "MCFG", "CCEL", "TDEL", "HPET", "WAET",
              "PVSR")


class _Out:
    def __init__(self, table: AcpiTable, label: str | None = None) -> None:
        self.problems: list[Problem] = []
        self.label = label or table.name

    def add(self, check: str, message: str, offset: int | None = None, severity: str = "error") -> None:
        self.problems.append(Problem(check, f"{self.label}: {message}", offset, severity, FMT))


def check_table(table: AcpiTable, data: bytes | None = None, *, label: str | None = None) -> list[Problem]:
    """Every check that needs only this table (``data``: the bytes it was read from, if any)."""
    out = _Out(table, label)
    for sub, offset in zip(table.subtables, table.subtable_offsets()):
        sub.offset = offset  # where it is now, also after edits
    sig = table.signature
    if sig == "RSD PTR ":
        _rsdp(table, out)
    elif isinstance(table.kind, SdtKind) or table.kind is None and sig != "FACS":
        _sdt_common(table, out)
    if data is not None and table.trailing:
        out.add("ACPI.Length", f"{len(table.trailing)} bytes follow the table's Length {table.length}",
                table.length, "warning")
    _reserved(table, out)
    _subtables(table, out)
    _undecoded(table, out)
    check = _TABLE_CHECKS.get(sig)
    if check:
        check(table, out)
    return out.problems


def _sdt_common(t: AcpiTable, out: _Out) -> None:
    if not _SIG_OK.match(t.signature):
        out.add("ACPI.Signature", f"signature {t.signature!r} is not four of A-Z, 0-9, _, !", 0, "warning")
    data = t.to_bytes()[: t.length]
    total = byte_sum(data)
    if total:
        want = ((t.checksum or 0) - total) & 0xFF
        out.add("ACPI.Checksum", f"checksum 0x{t.checksum:02x} is wrong; the table sums to 0x{total:02x}, "
                f"the checksum should be 0x{want:02x}", 9)
    record = getattr(t.kind.body, "record", None) if t.declared else None
    if record is not None and t.unparsed:
        count = record.present({k: v for k, v in t.fields.items() if k in record.names})
        if count < len(record.names):
            # Bytes that are not a whole field: the Length cuts a field in two.
            out.add("ACPI.Length", f"Length {t.length} ends inside field {record.names[count]}; "
                    f"{len(t.unparsed)} trailing bytes are not a whole field", t.length - len(t.unparsed), "warning")


def _reserved(t: AcpiTable, out: _Out) -> None:
    for leaf in t.leaves():
        name = leaf.path.rsplit(".", 1)[-1]
        if not name.startswith("Reserved"):
            continue
        value = leaf.value
        nonzero = any(value) if isinstance(value, (bytes, bytearray)) else bool(value)
        if nonzero:
            shown = value.hex() if isinstance(value, (bytes, bytearray)) else f"0x{value:x}"
            out.add("ACPI.Reserved", f"{_pretty(t, leaf)} is {shown}; reserved fields must be zero",
                    leaf.offset, "warning")


def _pretty(t: AcpiTable, leaf: Leaf) -> str:
    if leaf.subtable is None:
        return leaf.path
    return f"subtable {leaf.subtable} ({t.subtables[leaf.subtable].name}) {leaf.field}"


def _subtables(t: AcpiTable, out: _Out) -> None:
    body = getattr(t.kind, "body", None)
    if not isinstance(body, SubtableBody):
        return
    for i, sub in enumerate(t.subtables):
        spec = body.types.get(sub.type)
        if spec is None or not spec.lengths:
            continue
        if sub.length not in spec.lengths:
            want = ", ".join(str(n) for n in spec.lengths)
            out.add(f"{t.name}.{spec.name}.Length",
                    f"subtable {i} ({spec.name}) has Length {sub.length}; the spec defines {want}", sub.offset + 1)
    if t.unparsed:
        out.add("ACPI.SubtableLength", f"{len(t.unparsed)} bytes after the last subtable are too few for a subtable",
                t.length - len(t.unparsed), "warning")


def _undecoded(t: AcpiTable, out: _Out) -> None:
    """Tree tables (layouts/tree.py) keep bytes their counts, offsets or Lengths do not account
    for: say where, so a hostile or inconsistent table is not silently half-read."""
    if not isinstance(getattr(t.kind, "body", None), TreeBody):
        return
    for leaf in t.leaves():
        if leaf.path.rsplit(".", 1)[-1] != "unparsed":
            continue
        if leaf.subtable is not None and t.subtables[leaf.subtable].name.startswith("Unknown"):
            continue  # a type pvenum does not declare: kept as bytes by design
        inner = leaf.field[:-len("unparsed")].rstrip(".")
        if leaf.subtable is not None:
            where = f"in subtable {leaf.subtable} ({t.subtables[leaf.subtable].name}){' ' + inner if inner else ''}"
        else:
            where = f"in {inner}" if inner else "after the last decoded part"
        out.add("ACPI.Undecoded", f"{leaf.size} bytes {where} are kept as bytes: a count, offset or Length "
                "does not fit the bytes its structure grants, or an entry type pvenum does not declare",
                leaf.offset, "warning")


# -- per table -------------------------------------------------------------------------------------

def _rsdp(t: AcpiTable, out: _Out) -> None:
    data = t.to_bytes()
    if byte_sum(data[:V1_SIZE]):
        out.add("RSDP.Checksum", f"checksum over the first {V1_SIZE} bytes is not zero "
                f"(should be 0x{((t.checksum or 0) - byte_sum(data[:V1_SIZE])) & 0xFF:02x})", 8)
    rev = t.revision or 0
    if rev == 1 or rev > 2:
        out.add("RSDP.Revision", f"Revision {rev}: ACPI defines 0 (1.0) and 2 (2.0 and later)", 15, "warning")
    if rev >= 2:
        if len(data) < V2_SIZE:
            out.add("RSDP.Length", f"Revision {rev} RSDP is {len(data)} bytes; it needs {V2_SIZE}", len(data))
            return
        if byte_sum(data[:V2_SIZE]):
            xc = t.fields.get("ExtendedChecksum", 0)
            out.add("RSDP.ExtendedChecksum", f"extended checksum over {V2_SIZE} bytes is not zero "
                    f"(should be 0x{(xc - byte_sum(data[:V2_SIZE])) & 0xFF:02x})", 32)
        if t.fields.get("Length") != V2_SIZE:
            out.add("RSDP.Length", f"Length {t.fields.get('Length')} is not {V2_SIZE}", 20, "warning")
        if not t.fields.get("XsdtPhysicalAddress") and not t.fields.get("RsdtPhysicalAddress"):
            out.add("RSDP.Pointer", "neither an XSDT nor an RSDT address", 16)
    elif not t.fields.get("RsdtPhysicalAddress"):
        out.add("RSDP.Pointer", "RSDT address is zero", 16)


def _facs(t: AcpiTable, out: _Out) -> None:
    if t.length < 64:
        out.add("FACS.Length", f"Length {t.length} is less than 64", 4)
    if (t.fields.get("Version") or 0) > 3:
        out.add("FACS.Version", f"Version {t.fields['Version']} is not defined (2 for ACPI 4.0+)", 32, "warning")


def _fadt(t: AcpiTable, out: _Out) -> None:
    f = t.fields
    want = fadt_layout.SIZE_BY_REVISION.get(t.revision or 0)
    if want is None:
        out.add("FADT.RevisionSize", f"revision {t.revision} is not one ACPI defines (1..6)", 8, "warning")
    elif t.length != want:
        out.add("FADT.RevisionSize", f"revision {t.revision} FADTs are {want} bytes, this one is {t.length}; "
                "ACPICA reads the fields present and zeroes the rest", 4, "warning")
    if t.length < 116:
        out.add("FADT.Length", f"Length {t.length} is shorter than the ACPI 1.0 FADT (116 bytes)", 4)
    if f.get("HypervisorId") and (t.revision or 0) < 6:
        out.add("FADT.HypervisorId", f"HypervisorId is set but revision {t.revision} < 6: Linux ignores it "
                "(acpi_gbl_FADT.header.revision >= 6 check)", 268, "warning")
    arm = f.get("ArmBootFlags")
    if arm and arm & ~(ARM_PSCI_COMPLIANT | ARM_PSCI_USE_HVC):
        out.add("FADT.ArmBootFlags", f"ArmBootFlags 0x{arm:x} sets reserved bits (only 0 PSCI_COMPLIANT, "
                "1 PSCI_USE_HVC are defined)", 129, "warning")
    for small, large, loff in (("Facs", "XFacs", 132), ("Dsdt", "XDsdt", 140)):
        a, b = f.get(small) or 0, f.get(large) or 0
        if a and b and a != b:
            out.add(f"FADT.{small}Mismatch", f"32-bit {small} 0x{a:x} and 64-bit {large} 0x{b:x} differ "
                    "(ACPICA uses the 64-bit one and warns)", loff)
    if "Dsdt" in f and not f.get("Dsdt") and not f.get("XDsdt"):
        out.add("FADT.DsdtPointer", "no DSDT address (Dsdt and XDsdt are zero)", 40)
    hw_reduced = bool((f.get("Flags") or 0) & FADT_HW_REDUCED_ACPI)
    if "Flags" in f and not hw_reduced:
        # ACPICA tbfadt.c: the PM1a event and control blocks are required unless HW_REDUCED_ACPI.
        for name, xname, lname, minimum, off in (("Pm1aEventBlock", "XPm1aEventBlock", "Pm1EventLength", 4, 56),
                                                ("Pm1aControlBlock", "XPm1aControlBlock", "Pm1ControlLength", 2, 64)):
            addr = f.get(name) or (f.get(xname) or {}).get("Address", 0)
            if not addr or (f.get(lname) or 0) < minimum:
                out.add("FADT.PmBlocks", f"{name} is required unless HW_REDUCED_ACPI (Flags bit 20) is set; "
                        f"address 0x{addr:x}, length {f.get(lname)}", off)


def _madt(t: AcpiTable, out: _Out) -> None:
    if t.length < 44:
        out.add("MADT.Length", f"Length {t.length} is less than the 44-byte MADT", 4)
    wakeups = [(i, s) for i, s in enumerate(t.subtables) if s.type == madt_layout.MP_WAKEUP.code]
    if len(wakeups) > 1:
        out.add("MADT.MPWakeup.Count", f"{len(wakeups)} Multiprocessor Wakeup structures; Linux uses the first",
                wakeups[1][1].offset, "warning")
    for i, s in wakeups:
        version = s.fields.get("MailboxVersion")
        # Linux arch/x86/kernel/acpi/madt_wakeup.c: VERSION_NONE 0 (16 bytes), VERSION_V1 1 (24 bytes).
        if version is not None:
            if version > 1:
                out.add("MADT.MPWakeup.MailboxVersion", f"subtable {i}: MailboxVersion {version} is reserved "
                        "(0 = ACPI 6.4, 1 = ACPI 6.6 with ResetVector)", s.offset + 2)
            elif version == 1 and s.length < 24:
                out.add("MADT.MPWakeup.MailboxVersion", f"subtable {i}: MailboxVersion 1 needs the 24-byte "
                        f"structure with ResetVector; Length is {s.length}", s.offset + 2)
            elif version == 0 and s.length >= 24:
                out.add("MADT.MPWakeup.MailboxVersion", f"subtable {i}: Length {s.length} carries a ResetVector "
                        "but MailboxVersion 0 tells Linux not to use it", s.offset + 2, "warning")
        base = s.fields.get("BaseAddress")
        if base is not None and (base == 0 or base % 4096):
            out.add("MADT.MPWakeup.MailboxAlignment", f"subtable {i}: mailbox address 0x{base:x} is not a "
                    "non-zero 4 KiB-aligned address", s.offset + 8)
        if version == 1 and s.length >= 24 and not s.fields.get("ResetVector"):
            out.add("MADT.MPWakeup.ResetVector", f"subtable {i}: version 1 with a zero ResetVector", s.offset + 16,
                    "warning")
    gicds = [s for s in t.subtables if s.type == madt_layout.GICD.code]
    if len(gicds) > 1:
        out.add("MADT.GICD.Count", f"{len(gicds)} GIC distributors; ACPI allows one", gicds[1].offset)
    for i, s in enumerate(t.subtables):
        if isinstance(s.type, int) and 0x1F <= s.type < 0x80:
            out.add("MADT.ReservedType", f"subtable {i} has reserved type 0x{s.type:02x}", s.offset, "warning")


def _sized(name: str, size: int):
    def check(t: AcpiTable, out: _Out) -> None:
        if t.length != size:
            out.add(f"{name}.Length", f"Length {t.length}; the table is {size} bytes", 4,
                    "error" if t.length < size else "warning")
    return check


def _event_log(name: str):
    """The checks CCEL and the legacy TDEL share: 56 bytes, revision 1, a usable log area."""
    sized = _sized(name, 56)

    def check(t: AcpiTable, out: _Out) -> None:
        sized(t, out)
        if t.revision != 1:
            out.add(f"{name}.Revision", f"revision {t.revision}; {name} is revision 1", 8, "warning")
        laml, lasa = t.fields.get("LogAreaMinimumLength"), t.fields.get("LogAreaStartAddress")
        if laml is not None and lasa is not None and (not laml or not lasa):
            out.add(f"{name}.LogArea", f"log area LASA 0x{lasa:x} / LAML 0x{laml:x}: Linux ignores a log with a "
                    "zero address or length", 40)
    return check


_tdel = _event_log("TDEL")
_ccel_log = _event_log("CCEL")


def _ccel(t: AcpiTable, out: _Out) -> None:
    _ccel_log(t, out)
    cc = t.fields.get("CCType")
    if cc is not None and cc not in (1, 2, 3, 4):
        out.add("CCEL.CCType", f"CCType {cc} is not SEV (1), TDX (2), RISC-V AP-TEE (3) or Arm CCA (4)",
                36, "warning")


def _mcfg(t: AcpiTable, out: _Out) -> None:
    if t.length < 44 or (t.length - 44) % 16:
        out.add("MCFG.Length", f"Length {t.length} is not 44 + 16 × allocations", 4)
    for i, s in enumerate(t.subtables):
        lo, hi = s.fields.get("StartBusNumber", 0), s.fields.get("EndBusNumber", 0)
        if lo > hi:
            out.add("MCFG.BusRange", f"allocation {i}: start bus {lo} is above end bus {hi}", s.offset + 10)


def _root(name: str, size: int):
    def check(t: AcpiTable, out: _Out) -> None:
        if (t.length - HEADER_SIZE) % size:
            out.add(f"{name}.Length", f"Length {t.length} is not 36 + {size} × entries", 4)
        for i, addr in enumerate(t.fields.get("TableOffsetEntry", [])):
            if not addr:
                out.add(f"{name}.NullEntry", f"entry {i} is a null pointer", HEADER_SIZE + i * size)
    return check


def _slit(t: AcpiTable, out: _Out) -> None:
    n = t.fields.get("LocalityCount")
    if n is None:
        return
    if "Entry" not in t.fields:
        out.add("SLIT.Size", f"LocalityCount {n} needs {n}×{n} bytes; the table has {t.length - 44}", 36)
        return
    if t.unparsed:
        out.add("SLIT.Size", f"{len(t.unparsed)} bytes after the {n}×{n} matrix", t.length - len(t.unparsed),
                "warning")
    for i, row in enumerate(t.fields["Entry"]):
        for j, d in enumerate(row):
            off = 44 + i * n + j
            if i == j and d != 10:
                out.add("SLIT.Diagonal", f"distance [{i}][{j}] is {d}; a locality's distance to itself is 10", off)
            elif i != j and d < 10:
                out.add("SLIT.Distance", f"distance [{i}][{j}] is {d}; values below 10 are reserved", off)


def _srat(t: AcpiTable, out: _Out) -> None:
    if t.fields.get("TableRevision") not in (None, 1):
        out.add("SRAT.TableRevision", f"TableRevision {t.fields['TableRevision']} is not 1", 36, "warning")


_bgrt_size = _sized("BGRT", 56)


def _bgrt(t: AcpiTable, out: _Out) -> None:
    _bgrt_size(t, out)
    if t.fields.get("Version") not in (None, 1):
        out.add("BGRT.Version", f"Version {t.fields['Version']} is not 1", 36, "warning")


def _spcr(t: AcpiTable, out: _Out) -> None:
    if t.length < 80:
        out.add("SPCR.Length", f"Length {t.length} is less than 80", 4)


def _pvsr(t: AcpiTable, out: _Out) -> None:
    # pvenum's draft paravisor services record (layouts/pvsr.py states the rules once).
    if t.length != pvsr_layout.LENGTH:
        out.add("PVSR.Length", f"Length {t.length}; the table is {pvsr_layout.LENGTH} bytes", 4,
                "error" if t.length < pvsr_layout.LENGTH else "warning")
    if t.revision != pvsr_layout.REVISION:
        out.add("PVSR.Revision", f"revision {t.revision}; PVSR is revision {pvsr_layout.REVISION}", 8, "warning")
    for check, message, offset, severity in pvsr_layout.body_problems(t.fields):
        out.add(f"PVSR.{check}", message, offset, severity)


_TABLE_CHECKS = {
    "FACS": _facs,
    "FACP": _fadt,
    "APIC": _madt,
    "CCEL": _ccel,
    "TDEL": _tdel,
    "MCFG": _mcfg,
    "XSDT": _root("XSDT", 8),
    "RSDT": _root("RSDT", 4),
    "SLIT": _slit,
    "SRAT": _srat,
    "HPET": _sized("HPET", 56),
    "WAET": _sized("WAET", 40),
    "BGRT": _bgrt,
    "SPCR": _spcr,
    "PVSR": _pvsr,
}


# -- table sets ------------------------------------------------------------------------------------

def check_set(tables: Iterable[AcpiTable], *, labels: list[str] | None = None) -> list[Problem]:
    """Consistency of a set: duplicates, and — when the tables' addresses are known (memory
    images, acpidump with real addresses) — that every pointer lands on the right table."""
    tables = list(tables)
    labels = labels or [t.name for t in tables]
    problems: list[Problem] = []

    def add(check: str, message: str, offset: int | None = None, severity: str = "error") -> None:
        problems.append(Problem(check, message, offset, severity, FMT))

    by_sig: dict[str, list[int]] = {}
    for i, t in enumerate(tables):
        by_sig.setdefault(t.signature, []).append(i)
    for sig in SINGLETONS:
        idx = by_sig.get(sig, [])
        if len(idx) > 1:
            add("SET.Duplicate", f"{len(idx)} {tables[idx[0]].name} tables ({', '.join(labels[i] for i in idx)}); "
                "guests use the first", None, "warning")
    addressed = [t for t in tables if t.address]
    if len(addressed) < 2:
        return problems  # sysfs / acpidump of sysfs: no addresses to check pointers against
    at = {t.address: t for t in addressed}

    def expect(check: str, source: AcpiTable, what: str, address: int, want: str, offset: int) -> None:
        target = at.get(address)
        if address and (target is None or target.signature != want):
            found = f"{target.signature!r}" if target else "no table"
            add(check, f"{source.name} {what} 0x{address:x} points to {found}, not {want!r}", offset)

    for t in tables:
        if t.signature == "RSD PTR ":
            if (t.revision or 0) >= 2:
                expect("RSDP.Pointer", t, "XsdtPhysicalAddress", t.fields.get("XsdtPhysicalAddress", 0), "XSDT", 24)
            expect("RSDP.Pointer", t, "RsdtPhysicalAddress", t.fields.get("RsdtPhysicalAddress", 0), "RSDT", 16)
        elif t.signature in ("XSDT", "RSDT"):
            size = 8 if t.signature == "XSDT" else 4
            for i, addr in enumerate(t.fields.get("TableOffsetEntry", [])):
                if addr and addr not in at:
                    add(f"{t.name}.Pointer", f"{t.name} entry {i} 0x{addr:x} points to no table in the set",
                        HEADER_SIZE + i * size)
                elif addr and at[addr].signature in ("FACS", "DSDT", "XSDT", "RSDT", "RSD PTR "):
                    add(f"{t.name}.Pointer", f"{t.name} entry {i} lists the {at[addr].name}, which only "
                        f"{'the FADT' if at[addr].signature in ('FACS', 'DSDT') else 'the RSDP'} may point to",
                        HEADER_SIZE + i * size)
        elif t.signature == "FACP":
            pointers = (("Facs", "XFacs", "FACS", 36, 132), ("Dsdt", "XDsdt", "DSDT", 40, 140))
            for small, large, want, soff, loff in pointers:
                expect("FADT.Pointer", t, small, t.fields.get(small) or 0, want, soff)
                expect("FADT.Pointer", t, large, t.fields.get(large) or 0, want, loff)
        elif t.signature == "FACS" and t.address % 64:
            add("FACS.Alignment", f"FACS at 0x{t.address:x} is not 64-byte aligned", None)
    xsdt, rsdt = next((t for t in tables if t.signature == "XSDT"), None), next(
        (t for t in tables if t.signature == "RSDT"), None)
    if xsdt is not None and rsdt is not None:
        x = list(xsdt.fields.get("TableOffsetEntry", []))
        r = list(rsdt.fields.get("TableOffsetEntry", []))
        if x != r:
            add("RSDT.XsdtMismatch", "RSDT and XSDT list different tables; guests using one see another set",
                None, "warning")
    root = xsdt or rsdt
    if root is not None:
        listed = set(root.fields.get("TableOffsetEntry", []))
        for t in addressed:
            if t.signature not in ("RSD PTR ", "XSDT", "RSDT", "FACS", "DSDT") and t.address not in listed:
                add("SET.Unlisted", f"{t.name} at 0x{t.address:x} is not listed in the {root.name}", None, "warning")
    return problems
