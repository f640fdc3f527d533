"""ACPICA's iasl through subprocess: version gates, ``iasl -d``, data-table compiling,
``iasl -T`` templates, and a reader for the disassembly text.

Everything runs through :func:`pvenum.tools.run` (argument lists, a timeout, a private
temporary directory). iasl's absence is a :class:`~pvenum.errors.ToolError` that says how to
install it. What an iasl release knows is gated on its version (ACPICA release dates, from
the acpica/acpica git history, first release tag containing each commit), so pvenum says "iasl 20200925
does not know CCEL (ACPICA 20221020+)" instead of letting iasl fail obscurely.

Disassembly text differs between releases (``[000h 0000   4]`` before 20230331,
``[000h 0000 004h]`` after); :func:`parse_disassembly` reads both.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Iterable, Iterator

from .. import tools
from ..errors import ToolError

if TYPE_CHECKING:  # pragma: no cover
    from .model import AcpiTable, Subtable

TIMEOUT = 60.0

# First ACPICA release whose iasl decodes/compiles these signatures (ACPICA git tags).
TABLE_SINCE = {
    "CEDT": 20210331,  # changes.txt 20210331: "Add compilation support for CEDT table"
    "VIOT": 20210331,  # fc4e33319
    "SVKL": 20210604,  # b5e6bcf69
    "TDEL": 20211217,  # 403f9965a
    "CCEL": 20221020,  # 10e4763f1
    "ASPT": 20230331,  # 6771f8b75
    "RHCT": 20230331,  # changes.txt 20230331: "first batch of RISC-V related definitions"; CMO/MMU nodes 20230628
}
# Signatures no ACPICA release knows (pvenum's drafts): iasl -d decodes the header and dumps
# the body as raw data ("Unknown ACPI table signature"), and -T has no template.
NOT_IN_ACPICA = {
    "PVSR": "pvenum's draft paravisor services record, docs/proposal.md §ACPI encoding",
}
# Signatures ACPICA declares in its headers that no iasl release decodes (iasl -d prints the
# header and dumps the body): changes.txt 20251212 "Add a few new ACPI tables: IOVT, SWFT, KEYP";
# iasl 20260408 has no KEYP template nor disassembly.
NOT_DECODED = {"KEYP": 20251212}
# (MADT subtable type, minimum Length) -> first release that decodes it.
MADT_SINCE = {
    (0x10, 16): 20210331,  # Multiprocessor Wakeup, b9eb6f3a1
    (0x10, 24): 20251212,  # MP Wakeup ResetVector (ACPI 6.6), a4f629dc9
    (0x0B, 82): 20230331,  # GICC TrbeInterrupt (ACPI 6.5), 1363e35dc
    (0x0B, 88): 20251212,  # GICC Iaffid/IrsId (ACPI 6.7), 69cca52dd
}


@dataclass(frozen=True)
class Iasl:
    path: str
    version: int  # e.g. 20200925

    def knows(self, table: "AcpiTable") -> list[str]:
        """Why this iasl cannot fully decode/compile ``table`` (empty list: it can)."""
        return unsupported(table, self.version)


def find() -> Iasl | None:
    tool = tools.find("iasl")
    if tool is None:
        return None
    try:
        version = int(tool.version or 0)
    except ValueError:
        version = 0
    return Iasl(tool.path, version)


def require() -> Iasl:
    iasl = find()
    if iasl is None:
        tools.require("iasl")  # raises the ToolError with the install hint
        raise ToolError("iasl not found")  # pragma: no cover
    return iasl


def gated_subtables(table: "AcpiTable", version: int) -> "Iterator[tuple[Subtable, int, int]]":
    """``(subtable, min_length, since)`` for each MADT subtable this iasl version cannot decode."""
    if table.signature != "APIC":
        return
    for sub in table.subtables:
        for (kind, min_len), since in MADT_SINCE.items():
            if sub.type == kind and sub.length >= min_len and version < since:
                yield sub, min_len, since


def unsupported(table: "AcpiTable", version: int) -> list[str]:
    reasons = []
    since = TABLE_SINCE.get(table.signature)
    if since and version < since:
        reasons.append(f"iasl {version} does not know the {table.signature} table (ACPICA {since}+)")
    if table.signature in NOT_DECODED:
        reasons.append(f"iasl {version} does not decode the {table.signature} table (ACPICA declares it in "
                       f"actbl2.h since {NOT_DECODED[table.signature]}, but no iasl release disassembles it)")
    draft = NOT_IN_ACPICA.get(table.signature)
    if draft:
        reasons.append(f"iasl {version} does not know the {table.signature} table ({draft}; no ACPICA release)")
    for sub, min_len, since in gated_subtables(table, version):
        why = (f"iasl {version} does not decode MADT subtable type 0x{sub.type:02x} "
               f"of {min_len}+ bytes (ACPICA {since}+)")
        if why not in reasons:
            reasons.append(why)
    return reasons


# -- running iasl --------------------------------------------------------------------------------

_COUNTS = re.compile(r"(\d+)\s+Errors?,\s+(\d+)\s+Warnings?")
# Lines iasl writes into a data-table disassembly when something is wrong with the table.
_DIS_PROBLEM = re.compile(r"\*\*\*\*|Unknown|Invalid|Error|Warning", re.I)


# Complaints iasl makes about well-formed input: (signature, text) -> why it is not a problem.
LOG_QUIRKS = {
    ("FACS", "has invalid ASCII character(s)"):
        "iasl checks a FACS file's bytes 8..35 as if they were an SDT header's OEM strings "
        "(ACPICA acfileio.c); a FACS has HardwareSignature and waking vectors there",
}


@dataclass
class Disassembly:
    text: str  # the .dsl file
    log: str  # iasl's stdout + stderr
    problems: list[str] = field(default_factory=list)  # error/warning lines from both
    ignored: list[str] = field(default_factory=list)  # complaints LOG_QUIRKS explains

    @property
    def clean(self) -> bool:
        return not self.problems


def _problems(text: str, log: str) -> list[str]:
    found = []
    for line in text.splitlines():
        if line.startswith(("[", " ", "*", "/")) and "****" not in line and "Unknown" not in line:
            continue  # field lines and the banner; iasl's complaints are marked with **** or 'Unknown'
        if _DIS_PROBLEM.search(line):
            found.append(line.strip())
    for line in log.splitlines():
        if re.search(r"\b(Error|Warning)\b", line) and not _COUNTS.search(line):
            found.append(line.strip())
        elif "Unknown" in line or "Invalid" in line or "****" in line:
            found.append(line.strip())
    return found


# The most ``iasl -d`` may write for a table of N bytes: its banner and header comments, then
# DISASSEMBLY_RATIO bytes of ASL per byte of AML. Real tables stay far below it (Firecracker's
# DSDT, tests/data/acpi/firecracker/dsdt.dat: 3,923 bytes of AML, 29,279 of ASL, 7.5×); some hostile
# AML makes iasl 20200925 write without end (tests/data/fuzz-regressions/acpi-table/), and is
# stopped here within a megabyte instead of filling the disk until the timeout.
DISASSEMBLY_FLOOR = 1 << 20
DISASSEMBLY_RATIO = 64


def disassembly_bound(size: int) -> int:
    return DISASSEMBLY_FLOOR + DISASSEMBLY_RATIO * size


def disassemble(data: bytes, *, name: str = "table", timeout: float = TIMEOUT,
                tool: Iasl | None = None) -> Disassembly:
    """``iasl -d`` of one binary table; the .dsl text plus any complaints iasl made (``tool``:
    this iasl instead of the one on PATH, see :func:`available`)."""
    tool = tool or require()
    res = tools.run("iasl", ["-d", f"{name}.aml"], inputs={f"{name}.aml": data},
                    collect=[f"{name}.dsl"], timeout=timeout, check=False, exe=tool.path,
                    max_output=disassembly_bound(len(data)))
    text = res.files.get(f"{name}.dsl", b"").decode("utf-8", "replace")
    log = res.stdout + res.stderr
    if not text:
        last = [ln for ln in log.splitlines() if ln.strip()]
        raise ToolError(f"iasl -d produced no disassembly: {last[-1] if last else 'no output'}")
    signature = data[:4].decode("latin-1")
    problems, ignored = [], []
    for line in _problems(text, log):
        why = next((w for (sig, frag), w in LOG_QUIRKS.items() if sig == signature and frag in line), None)
        (ignored if why else problems).append(f"{line} [{why}]" if why else line)
    return Disassembly(text, log, problems, ignored)


@dataclass
class Compiled:
    aml: bytes
    log: str
    errors: int
    warnings: int


def _signature_of_source(source: str) -> str | None:
    m = re.search(r'Signature\s*:\s*"([^"]{4,8})"', source)
    if m:
        return m.group(1)
    m = re.search(r'DefinitionBlock\s*\(\s*"[^"]*"\s*,\s*"([^"]{4})"', source)
    return m.group(1) if m else None


def compile_source(source: str | bytes, *, name: str = "table", timeout: float = TIMEOUT) -> Compiled:
    """Compile ASL (a data-table template such as ``iasl -T`` writes, or a DefinitionBlock)."""
    iasl = require()
    text = source.decode("utf-8", "replace") if isinstance(source, bytes) else source
    sig = _signature_of_source(text)
    since = TABLE_SINCE.get(sig or "")
    if since and iasl.version < since:
        raise ToolError(f"iasl {iasl.version} cannot compile {sig} data tables (ACPICA {since}+); "
                        f"build it with pvenum.acpi.builders instead")
    if sig in NOT_IN_ACPICA:
        raise ToolError(f"iasl cannot compile {sig} data tables ({NOT_IN_ACPICA[sig]}); "
                        f"build it with pvenum.proposal.acpi_encoding.encode() instead")
    res = tools.run("iasl", [f"{name}.asl"], inputs={f"{name}.asl": text.encode()},
                    collect=[f"{name}.aml"], timeout=timeout, check=False)
    log = res.stdout + res.stderr
    m = _COUNTS.search(log)
    errors, warnings = (int(m.group(1)), int(m.group(2))) if m else (0, 0)
    aml = res.files.get(f"{name}.aml")
    if res.returncode != 0 or aml is None or errors:
        lines = [ln.strip() for ln in log.splitlines() if "Error" in ln and not _COUNTS.search(ln)]
        lines = lines or log.strip().splitlines()[-1:] or ["no output"]
        raise ToolError(f"iasl could not compile {name}.asl: {lines[0]}")
    return Compiled(aml, log, errors, warnings)


def template_sources(signatures: Iterable[str] = ("ALL",), *, timeout: float = TIMEOUT,
                     tool: Iasl | None = None) -> dict[str, str]:
    """``iasl -T SIG|ALL``: the data-table templates this iasl (``tool``, else the one on PATH)
    ships, by file name stem."""
    tool = tool or require()
    res = tools.run("iasl", ["-T", *signatures], collect=["*.asl"], timeout=timeout, exe=tool.path)
    return {n[:-4]: d.decode("utf-8", "replace") for n, d in res.files.items()}


def compile_templates(sources: dict[str, str], *, timeout: float = TIMEOUT) -> dict[str, bytes]:
    """Template sources (:func:`template_sources`) compiled to binary tables, by the same stems."""
    return {stem: compile_source(source, name=re.sub(r"[^A-Za-z0-9_]", "_", stem), timeout=timeout).aml
            for stem, source in sources.items()}


def templates(signatures: Iterable[str] = ("ALL",), *, timeout: float = TIMEOUT) -> dict[str, bytes]:
    """The templates compiled to binary tables: ``{"apic": b"APIC...", ...}``."""
    return compile_templates(template_sources(signatures, timeout=timeout), timeout=timeout)


# -- reading the disassembly text -------------------------------------------------------------

@dataclass(frozen=True)
class DisLine:
    offset: int
    length: int
    name: str
    value: str  # as printed, continuation lines joined

    def parsed(self) -> tuple[str, object]:
        """("int", n) | ("bytes", b) | ("str", s) | ("other", text)."""
        return parse_value(self.value, self.length)


# [000h 0000   4] (to 20221020) and [000h 0000 004h] (20230331 on)
_LINE = re.compile(r"^\[(?P<hex>[0-9A-Fa-f]+)h\s+(?P<dec>\d+)\s+(?P<len>[0-9A-Fa-f]+h|\d+)\]\s*(?P<rest>.*)$")
# -T template lines: [0004]   Signature : "APIC" (the length is decimal)
_TEMPLATE_LINE = re.compile(r"^\[(?P<len>\d{4})\]\s*(?P<rest>.*)$")


def _split_rest(rest: str) -> tuple[str, str] | None:
    if " : " in rest:
        name, value = rest.split(" : ", 1)
    elif rest.rstrip().endswith(" :"):
        name, value = rest.rstrip()[:-2], ""
    else:
        return None
    return name.strip(), value.strip()


def _join_continuations(lines: list[str]) -> list[str]:
    out: list[str] = []
    for line in lines:
        if out and out[-1].endswith("\\"):
            out[-1] = out[-1][:-1].rstrip() + " " + line.strip()
        else:
            out.append(line.rstrip())
    return out


def parse_disassembly(text: str) -> list[DisLine]:
    """Field lines of an ``iasl -d`` data-table disassembly, with offsets and lengths."""
    out = []
    for line in _join_continuations(text.splitlines()):
        m = _LINE.match(line)
        if not m:
            continue
        ln = m.group("len")
        length = int(ln[:-1], 16) if ln.endswith("h") else int(ln)
        parts = _split_rest(m.group("rest"))
        if parts is None:
            continue
        out.append(DisLine(int(m.group("hex"), 16), length, parts[0], parts[1]))
    return out


def parse_template(text: str) -> list[DisLine]:
    """Field lines of ``iasl -T`` source (``[0004] Name : value``); offsets are accumulated."""
    out = []
    offset = 0
    for line in _join_continuations(text.splitlines()):
        m = _TEMPLATE_LINE.match(line.strip())
        if not m:
            continue
        length = int(m.group("len"))
        parts = _split_rest(m.group("rest"))
        if parts is None:
            continue
        out.append(DisLine(offset, length, parts[0], parts[1]))
        # A GAS or other labelled group is followed by its own members; don't count it twice.
        if not parts[1].startswith("["):
            offset += length
    return out


def _quoted(value: str) -> str:
    """The text of ``"..."`` (to the end when the closing quote is missing)."""
    end = value.find('"', 1)
    return value[1:end] if end > 0 else value[1:]


def parse_value(value: str, length: int) -> tuple[str, object]:
    value = value.strip()
    if value.startswith('"'):
        return ("str", _quoted(value))
    # Long byte dumps carry an ASCII rendering per 16 bytes: /* ... */ between the hex pairs.
    tokens = re.sub(r"/\*.*?\*/", " ", value).split()
    if not tokens or not re.fullmatch(r"[0-9A-Fa-f]+", tokens[0]):
        return ("other", value)
    pairs = []
    for tok in tokens:
        if re.fullmatch(r"[0-9A-Fa-f]{2}", tok):
            pairs.append(tok)
        else:
            break
    if length > 1 and len(pairs) == length:
        return ("bytes", bytes(int(p, 16) for p in pairs))
    return ("int", int(tokens[0], 16))


_ORIGINAL_HEADER = {
    "Signature": "signature",
    "Length": "length",
    "Revision": "revision",
    "Checksum": "checksum",
    "OEM ID": "oem_id",
    "OEM Table ID": "oem_table_id",
    "OEM Revision": "oem_revision",
    "Compiler ID": "creator_id",
    "Compiler Version": "creator_revision",
}


def parse_aml_header(text: str) -> dict[str, object]:
    """The "Original Table Header" comment ``iasl -d`` writes above a DefinitionBlock."""
    out: dict[str, object] = {}
    in_header = False
    for line in text.splitlines():
        if "Original Table Header:" in line:
            in_header = True
            continue
        if not in_header:
            continue
        body = line.strip().lstrip("*").strip()
        if not body or line.strip().startswith("*/"):
            if out:
                break
            continue
        for label, attr in sorted(_ORIGINAL_HEADER.items(), key=lambda kv: -len(kv[0])):
            if body.startswith(label + " "):
                value = body[len(label):].strip()
                if value.startswith('"'):
                    out[attr] = _quoted(value)
                else:
                    m = re.match(r"0x([0-9A-Fa-f]+)", value)
                    if m:
                        out[attr] = int(m.group(1), 16)
                break
    return out


# -- several iasl releases side by side (the field comparison on real tables) --------------------

def at_path(path: str | os.PathLike) -> Iasl | None:
    """The iasl at ``path`` (e.g. the current one ``make acpi-refs`` unpacks into .cache/acpi)."""
    try:
        out = tools.run("iasl", ["-v"], exe=str(path), timeout=30, check=False)
    except ToolError:  # not runnable, or timed out
        return None
    m = re.search(r"version (\d{8})", out.stdout + out.stderr)
    return Iasl(str(Path(path).resolve()), int(m.group(1))) if m else None


def available(cache: str | os.PathLike | None = None) -> list[Iasl]:
    """Every usable iasl, oldest first: the one on PATH and any under ``cache``/iasl-*/iasl."""
    found = {}
    system = find()
    if system is not None:
        found[system.version] = system
    for wrapper in sorted(Path(cache).glob("iasl-*/iasl")) if cache else []:
        tool = at_path(wrapper)
        if tool is not None:
            found.setdefault(tool.version, tool)
    return [found[v] for v in sorted(found)]


def disassemble_with(tool: Iasl, data: bytes, *, timeout: float = TIMEOUT) -> str:
    """``iasl -d`` of one binary table with this particular iasl; the .dsl text."""
    return disassemble(data, timeout=timeout, tool=tool).text


def templates_with(tool: Iasl, *, timeout: float = TIMEOUT) -> dict[str, bytes]:
    """``iasl -T ALL`` of this particular iasl, each template compiled: ``{"apic": b"APIC...", ...}``
    (templates it cannot compile back are left out)."""
    out: dict[str, bytes] = {}
    for stem, source in template_sources(timeout=timeout, tool=tool).items():
        res = tools.run("iasl", [f"{stem}.asl"], inputs={f"{stem}.asl": source.encode()},
                        collect=[f"{stem}.aml"], timeout=timeout, check=False, exe=tool.path)
        if f"{stem}.aml" in res.files:
            out[stem] = res.files[f"{stem}.aml"]
    return out
