"""Todd Allen's ``cpuid -r`` / ``cpuid -1 -r`` text, in both directions.

    CPU 0:                                    (or "CPU:" for -1)
       0x00000000 0x00: eax=0x0000000d ebx=0x756e6547 ecx=0x6c65746e edx=0x49656e69

Per-CPU blocks are all kept; resolution uses CPU 0. The writer emits what ``cpuid -r`` prints,
so ``cpuid -f FILE`` and other consumers (Firecracker's provenance comments) read it back.
"""

from __future__ import annotations

import re

from .. import paste
from ..errors import LimitError, ParseError
from .model import CpuidDump, Key, Regs

FMT = "cpuid-r"
MAX_CPUS = 8192
MAX_LEAVES_PER_CPU = 8192

_ROW = re.compile(
    r"^\s*0x(?P<leaf>[0-9a-fA-F]{1,8})\s+0x(?P<sub>[0-9a-fA-F]{1,8}):\s+"
    r"eax=0x(?P<eax>[0-9a-fA-F]{1,8})\s+ebx=0x(?P<ebx>[0-9a-fA-F]{1,8})\s+"
    r"ecx=0x(?P<ecx>[0-9a-fA-F]{1,8})\s+edx=0x(?P<edx>[0-9a-fA-F]{1,8})\s*$"
)
_CPU = re.compile(r"^\s*CPU(?:\s+(?P<n>\d{1,6}))?:\s*$")


# The start of a row: a line that begins like one but does not parse is damage, not prose.
_ROW_START = re.compile(r"^\s*0x[0-9a-fA-F]{1,8}\s+0x[0-9a-fA-F]{1,8}:")


def parse(text: str | bytes, *, strict: bool = False) -> CpuidDump:
    return parse_capture(text, strict=strict)[0]


def parse_capture(text: str | bytes, *, strict: bool = False) -> tuple[CpuidDump, list[int]]:
    """The dump and the numbers of the lines skipped as not part of it.

    Lenient (default): a capture as shared — quoted (``> ``), commented (``/// ``, ``# ``),
    CRLF, with a shell prompt and prose around it (pvenum.paste); several ``cpuid -1 -r -l``
    runs pasted in a row are one CPU (a leaf shown twice must show the same values). ``strict``: only what
    ``cpuid -r`` itself prints (rows, ``CPU n:`` headers, its ``Disclaimer:`` line, blanks).
    """
    cpus: dict[int, dict[Key, Regs]] = {}
    current: dict[Key, Regs] | None = None
    one_cpu = True
    skipped: list[int] = []
    this_run: set[Key] = set()  # keys read since the last "CPU:" header
    # cpuid -f reads lines of bytes (fgets, sscanf): a line that is not UTF-8 is prose or damage.
    for ln in paste.byte_lines(text, unquote=not strict):
        lineno, here, line = ln.number, ln.offset, ln.text
        stripped = line.strip()
        if not stripped or stripped.startswith("Disclaimer:"):
            continue
        m = _CPU.match(line)
        if m:
            n = int(m.group("n")) if m.group("n") is not None else 0
            one_cpu = one_cpu and m.group("n") is None
            if n in cpus and not strict and m.group("n") is None and one_cpu:
                # Several `cpuid -1 -r -l LEAF` runs pasted one after another: one CPU's rows.
                current = cpus[n]
                this_run = set()
                continue
            if n in cpus:
                raise ParseError(FMT, f"line {lineno}: CPU {n} appears twice", offset=here)
            if len(cpus) >= MAX_CPUS:
                raise LimitError(FMT, f"more than {MAX_CPUS} CPU blocks", offset=here)
            current = cpus[n] = {}
            this_run = set()
            continue
        m = _ROW.match(line)
        if m is None:
            if strict or _ROW_START.match(line):
                raise ParseError(FMT, f"line {lineno}: not a cpuid -r row: {stripped[:60]!r}", offset=here)
            skipped.append(lineno)
            continue
        if current is None:  # rows before any "CPU" header: treat as the single CPU
            current = cpus[0] = {}
        key = (int(m["leaf"], 16), int(m["sub"], 16))
        regs = (int(m["eax"], 16), int(m["ebx"], 16), int(m["ecx"], 16), int(m["edx"], 16))
        if key in current and key not in this_run and current[key] == regs:
            continue  # the same leaf shown again by a later run in the paste
        this_run.add(key)
        if key in current:
            raise ParseError(FMT, f"line {lineno}: leaf 0x{key[0]:08x} subleaf 0x{key[1]:x} appears twice", offset=here)
        if len(current) >= MAX_LEAVES_PER_CPU:
            raise LimitError(FMT, f"more than {MAX_LEAVES_PER_CPU} leaves for one CPU", offset=here)
        current[key] = regs
    if not cpus or not any(cpus.values()):
        raise ParseError(FMT, "no cpuid rows", offset=0)
    return CpuidDump.made(cpus, one_cpu=one_cpu), skipped  # keys and registers from 8 hex digits


def write(dump: CpuidDump, *, all_cpus: bool | None = None) -> str:
    """``cpuid -1 -r`` text for one CPU (default for single-CPU dumps), else per-CPU blocks.
    Each listed (leaf, subleaf) with what the guest reads there: for a dump stating KVM flags,
    KVM's answer (CpuidDump.get), which an earlier entry without the significant-index flag
    may give instead of the entry's own registers; the text has no flags to say so."""
    one = dump.one_cpu if all_cpus is None else not all_cpus
    lines: list[str] = []
    cpus = [dump.cpu0_number] if one else sorted(dump.cpus)
    for cpu in cpus:
        lines.append("CPU:" if one else f"CPU {cpu}:")
        leaves = dump.cpus[cpu]
        for leaf, sub in sorted(leaves):
            a, b, c, d = dump.get(leaf, sub, cpu=cpu)  # type: ignore[misc]  # a listed entry always answers
            lines.append(f"   0x{leaf:08x} 0x{sub:02x}: eax=0x{a:08x} ebx=0x{b:08x} ecx=0x{c:08x} edx=0x{d:08x}")
    return "\n".join(lines) + "\n"
