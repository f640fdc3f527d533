"""AIDA64 / EVEREST CPUID reports, as InstLatx64's collection (github.com/InstLatx64/InstLatx64,
``<Vendor>/<Vendor><CPUID signature>_<name>_CPUID*.txt``) publishes them. Read only.

Three layouts occur in that collection (read from its files; no specification exists):

    ------[ Logical CPU #0 ]------                     EVEREST v5 (2009): a leaf's subleaves are
    CPUID 00000004: 1C004121-01C0003F-0000003F-00000000   its repeated rows, in order 0, 1, 2...

    ------[ CPUID Registers / Logical CPU #0 ]------   AIDA64 (2020s): subleaves are named,
    CPUID 0000000D: 00000100-00000240-00000000-00000000 [SL 02] [AVX]

    CPU#000 AffMask: 0x0000000000000001                AIDA64 CPUID dump tool: the same rows
    CPUID 00000007: 00000000-009C01A9-00000000-00000000 [SL 00]

Older reports separate with blanks (``CPUID 00000000 00000001 68747541 ...``); the AIDA64 dump
tool also writes ``CPUID Registers (CPU #1):`` and ``Group: 0x00 Affinity mask: 0x...`` (one
per CPU, numbered here in order), or no header at all (a CPU's rows start again at leaf 0). Registers are EAX-EBX-ECX-EDX. ``[SL nn]`` gives the subleaf in hex; without it a repeated
leaf counts up from 0. Text in other brackets (``[AuthenticAMD]``, ``[L1D: 48 KB]``) is
AIDA64's decoding and ignored. Other sections (``Versions``, ``CPU Info``, ``MSR Registers``,
``All CPUs``) end a CPU's block; their lines are not CPUID and are skipped. The report's
``Program Version`` and ``CPU Type`` lines are kept as facts about the capture.
"""

from __future__ import annotations

import re
from typing import Iterable

from .. import paste
from ..errors import LimitError, ParseError
from .model import CpuidDump, Key, Regs

FMT = "cpuid-aida64"
MAX_CPUS = 8192
MAX_LEAVES_PER_CPU = 8192

_ROW = re.compile(r"^CPUID (?P<leaf>[0-9A-Fa-f]{8})(?:[ \t]*:[ \t]*|[ \t]+)(?P<a>[0-9A-Fa-f]{8})[- ](?P<b>[0-9A-Fa-f]{8})[- ]"
                  r"(?P<c>[0-9A-Fa-f]{8})[- ](?P<d>[0-9A-Fa-f]{8})(?P<rest>.*)$")
_SUBLEAF = re.compile(r"\[SL (?P<sl>[0-9A-Fa-f]{1,8})\]")
_SECTION = re.compile(r"^-{3,}\[ (?P<title>.*?) \]-{3,}\s*$")
_SECTION_CPU = re.compile(r"Logical CPU #(?P<n>\d{1,6})$")
_AFFMASK = re.compile(r"^CPU#(?P<n>\d{1,6}) AffMask: 0x[0-9A-Fa-f]+\s*$"
                      r"|^CPUID Registers \(CPU #(?P<n2>\d{1,6})\):\s*$")
# Dumps that number no CPU: each "Group: 0x00 Affinity mask: 0x..." opens the next one.
_GROUP = re.compile(r"^Group: 0x[0-9A-Fa-f]+ Affinity mask: 0x[0-9A-Fa-f]+\s*$")
_FACT = re.compile(r"^(?P<key>Program Version|CPU Type|CPU Alias|CPUID Manufacturer)\s*: (?P<value>.+?)\s*$")


def _lines(data: str | bytes) -> Iterable[paste.Line]:
    """The report's lines, each with its byte offset in the file as written."""
    if isinstance(data, str):
        return paste.lines(data, unquote=False)
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError as err:
            raise ParseError(FMT, "not UTF-16 text", offset=err.start) from None
        # After the 2-byte BOM, 2 bytes a character (4 for a surrogate pair), either byte order.
        return paste.lines(text, unquote=False, encoding="utf-16-le", start=2)
    return paste.byte_lines(data, unquote=False)  # Windows code pages: Latin-1, a byte a character


def parse(data: str | bytes) -> tuple[CpuidDump, dict[str, str]]:
    """The dump (every logical CPU) and the facts the report states about itself."""
    cpus: dict[int, dict[Key, Regs]] = {}
    current: dict[Key, Regs] | None = None
    counts: dict[int, int] = {}  # implicit subleaf counter per leaf, for the current CPU
    facts: dict[str, str] = {}
    for ln in _lines(data):
        lineno, here, line = ln.number, ln.offset, ln.text
        m = _SECTION.match(line)
        if m:
            # "Logical CPU #n" and "CPUID Registers / Logical CPU #n" hold CPUID; "MSR
            # Registers / Logical CPU #n" does not.
            cpu = _SECTION_CPU.search(m.group("title")) if "MSR" not in m.group("title") else None
            current = _open(cpus, int(cpu.group("n")), lineno, here) if cpu else None
            counts = {}
            continue
        m = _AFFMASK.match(line)
        if m:
            current = _open(cpus, int(m.group("n") or m.group("n2")), lineno, here)
            counts = {}
            continue
        if _GROUP.match(line):
            current = _open(cpus, len(cpus), lineno, here)
            counts = {}
            continue
        m = _ROW.match(line)
        if m is None:
            f = _FACT.match(line)
            if f and f.group("key") not in facts:
                facts[f.group("key")] = f.group("value")[:200]
            continue
        if current is None:
            if cpus:  # rows in a non-CPU section after the CPU blocks: not CPUID of a CPU
                continue
            current = _open(cpus, 0, lineno, here)
        leaf = int(m.group("leaf"), 16)
        if leaf == 0 and (0, 0) in current:
            # Some reports concatenate the CPUs with no header: each CPU's rows start at leaf 0.
            current = _open(cpus, max(cpus) + 1, lineno, here)
            counts = {}
        sl = _SUBLEAF.search(m.group("rest"))
        sub = int(sl.group("sl"), 16) if sl else counts.get(leaf, 0)
        if sub > 0xFFFFFFFF:  # counted up past [SL FFFFFFFF]: ECX holds 32 bits
            raise ParseError(FMT, f"line {lineno}: leaf 0x{leaf:08x} repeated after subleaf 0xffffffff",
                             offset=here)
        counts[leaf] = sub + 1
        key = (leaf, sub)
        regs = (int(m.group("a"), 16), int(m.group("b"), 16), int(m.group("c"), 16), int(m.group("d"), 16))
        if key in current:
            if current[key] == regs:  # AIDA64 repeats some last subleaves verbatim ([SL 3E] twice)
                continue
            raise ParseError(FMT, f"line {lineno}: leaf 0x{leaf:08x} subleaf 0x{sub:x} appears twice "
                             "with different values", offset=here)
        if len(current) >= MAX_LEAVES_PER_CPU:
            raise LimitError(FMT, f"more than {MAX_LEAVES_PER_CPU} leaves for one CPU", offset=here)
        current[key] = regs
    cpus = {n: leaves for n, leaves in cpus.items() if leaves}
    if not cpus:
        raise ParseError(FMT, "no CPUID rows", offset=0)
    return CpuidDump(cpus, one_cpu=len(cpus) == 1), facts


def _open(cpus: dict[int, dict[Key, Regs]], n: int, lineno: int, here: int) -> dict[Key, Regs]:
    if n in cpus:
        raise ParseError(FMT, f"line {lineno}: logical CPU #{n} appears twice", offset=here)
    if len(cpus) >= MAX_CPUS:
        raise LimitError(FMT, f"more than {MAX_CPUS} CPU blocks", offset=here)
    cpus[n] = {}
    return cpus[n]
