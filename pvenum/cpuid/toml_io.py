"""pvenum's own CPUID TOML: readable, diffable, hex kept.

    format = "pvenum-cpuid/1"
    # optional: cpu = 0 per row, flags = 1 (KVM significant index)
    leaves = [
      { leaf = 0x00000000, subleaf = 0x0, eax = 0x0000000d, ebx = 0x68747541, ecx = 0x444d4163, edx = 0x69746e65 },
    ]
    [msr]                       # optional, as in platform.toml
    "0xc0010131" = 0x7
"""

from __future__ import annotations

from .. import tomlvalues as V
from ..errors import LimitError, ParseError, ScenarioError
from .model import CpuidDump, Key, MsrSet, Regs

FMT = "cpuid-toml"
FORMAT_TAG = "pvenum-cpuid/1"
MAX_ROWS = 65536


def parse(data: bytes | str) -> tuple[CpuidDump, MsrSet | None]:
    try:
        text = data.decode("utf-8") if isinstance(data, bytes) else data
        doc = V.loads(text)
    except UnicodeDecodeError as err:
        raise ParseError(FMT, "not UTF-8 text", offset=err.start) from None
    except ScenarioError as err:
        if err.detail == V.TOO_DEEP:
            raise LimitError(FMT, err.detail, offset=0) from None
        raise ParseError(FMT, err.detail) from None
    if doc.get("format") != FORMAT_TAG:
        raise ParseError(FMT, f"format must be {FORMAT_TAG!r}, found {doc.get('format')!r}")
    unknown = set(doc) - {"format", "leaves", "msr", "description"}
    if unknown:
        raise ParseError(FMT, f"unknown key {sorted(unknown)[0]!r}")
    rows = doc.get("leaves", [])
    if not isinstance(rows, list):
        raise ParseError(FMT, "leaves must be an array of tables")
    if len(rows) > MAX_ROWS:
        raise LimitError(FMT, f"more than {MAX_ROWS} leaves")
    cpus: dict[int, dict[Key, Regs]] = {}
    flags: dict[Key, int] = {}
    for i, row in enumerate(rows):
        where = f"leaves[{i}]"
        if not isinstance(row, dict):
            raise ParseError(FMT, f"{where}: expected a table")
        extra = set(row) - {"leaf", "subleaf", "eax", "ebx", "ecx", "edx", "flags", "cpu"}
        if extra:
            raise ParseError(FMT, f"{where}: unknown key {sorted(extra)[0]!r}")
        vals = {}
        for k in ("leaf", "subleaf", "eax", "ebx", "ecx", "edx", "flags", "cpu"):
            v = row.get(k, 0)
            if isinstance(v, bool) or not isinstance(v, int) or not 0 <= v <= 0xFFFFFFFF:
                raise ParseError(FMT, f"{where}.{k}: expected a 32-bit unsigned integer")
            vals[k] = v
        if "leaf" not in row:
            raise ParseError(FMT, f"{where}: leaf is required")
        key = (vals["leaf"], vals["subleaf"])
        leaves = cpus.setdefault(vals["cpu"], {})
        if key in leaves:
            raise ParseError(FMT, f"{where}: leaf 0x{key[0]:x} subleaf 0x{key[1]:x} appears twice")
        leaves[key] = (vals["eax"], vals["ebx"], vals["ecx"], vals["edx"])
        if "flags" in row:
            # One flags word per (leaf, subleaf), as KVM_SET_CPUID2 takes one table for every
            # vCPU: rows of several CPUs may repeat it, never state another.
            if flags.setdefault(key, vals["flags"]) != vals["flags"]:
                raise ParseError(FMT, f"{where}: leaf 0x{key[0]:x} subleaf 0x{key[1]:x} flags 0x{vals['flags']:x}, "
                                      f"another CPU's row says 0x{flags[key]:x} (one flags word per entry)")
    msrs = None
    if "msr" in doc:
        try:
            msrs = MsrSet.from_toml(doc["msr"])  # as in platform.toml
        except ScenarioError as err:
            raise ParseError(FMT, err.message) from None
    return CpuidDump(cpus or {0: {}}, flags=flags, one_cpu=len(cpus) <= 1), msrs


def write(dump: CpuidDump, msrs: MsrSet | None = None, *, description: str | None = None) -> str:
    lines = [f'format = "{FORMAT_TAG}"']
    if description:
        lines.append(f"description = {_toml_str(description)}")
    lines.append("leaves = [")
    multi = len(dump.cpus) > 1
    for cpu in sorted(dump.cpus):
        for (leaf, sub), (a, b, c, d) in dump.items(cpu):  # a leaf's KVM order kept
            extra = f", cpu = {cpu}" if multi else ""
            if (leaf, sub) in dump.flags:
                extra += f", flags = {dump.flags[(leaf, sub)]}"
            lines.append(
                f"  {{ leaf = 0x{leaf:08x}, subleaf = 0x{sub:x}, eax = 0x{a:08x}, ebx = 0x{b:08x}, "
                f"ecx = 0x{c:08x}, edx = 0x{d:08x}{extra} }},"
            )
    lines.append("]")
    if msrs:
        lines.append("")
        lines.append("[msr]")
        for idx, v in sorted(msrs.items()):
            lines.append(f'"0x{idx:08x}" = 0x{v:x}')
    return "\n".join(lines) + "\n"


def _toml_str(s: str) -> str:
    import json

    return json.dumps(s)  # a JSON string is a valid TOML basic string

