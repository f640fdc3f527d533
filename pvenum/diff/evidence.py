"""Which raw fields a guest model read: evidence sources matched to diff field names.

Models cite what they read as ``cpuid 0x4000000c.eax[0]``, ``msr 0xc0010131[3:0]``, ``snp
vmpl (RMPADJUST probe)``, ``cpuid 0x40000000-0x4000ff00 signature scan``; the diff names fields
``cpuid 0x4000000c.0 eax[0] HV_PARAVISOR_PRESENT``, ``msr 0xc0010131[2] SNP_ENABLED``, ``snp
vmpl``, ``tdx attributes`` (read as ``tdcall TDG.VP.INFO.rdx``). A raw change that a model
read is what connects a changed field to a changed conclusion, so reviewers see those first.
"""

from __future__ import annotations

import re
from functools import lru_cache

_REGS = ("eax", "ebx", "ecx", "edx")
_CPUID_SRC = re.compile(r"^cpuid (0x[0-9a-f]+)\.([a-z,]+)(\[[0-9:]+\])?$")
_CPUID_SCAN = re.compile(r"^cpuid (0x[0-9a-f]+)-(0x[0-9a-f]+) signature scan$")
_MSR_SRC = re.compile(r"^msr (0x[0-9a-f]+)(\[[0-9:]+\])?$")
_CPUID_KEY = re.compile(r"^cpuid (0x[0-9a-f]{8})\.(\d+) (eax|ebx|ecx|edx|signature)(\[[0-9:]+\])?(?: \S+)?$")
_MSR_KEY = re.compile(r"^msr (0x[0-9a-f]{8})(\[[0-9:]+\])?(?: \S+)?$")


def _bits(spec: str | None) -> frozenset[int] | None:
    if not spec:
        return None
    inner = spec.strip("[]")
    hi, _, lo = inner.partition(":")
    h, l = int(hi), int(lo or hi)
    return frozenset(range(min(h, l), max(h, l) + 1))


def _strip(source: str) -> str:
    return re.sub(r"\s*\(.*\)$", "", source.strip())


@lru_cache(maxsize=4096)
def matches(source: str, field: str) -> bool:
    """Whether the evidence ``source`` read the diff field ``field``."""
    src = _strip(source)
    if src == field:
        return True
    m = _CPUID_SRC.match(src)
    k = _CPUID_KEY.match(field)
    if m and k:
        if int(m.group(1), 16) != int(k.group(1), 16) or k.group(2) != "0":
            return False
        regs = m.group(2).split(",")
        reg, bits = k.group(3), _bits(k.group(4))
        if reg == "signature":
            return len(regs) > 1
        if reg not in regs:
            return False
        want = _bits(m.group(3))
        if bits is None:  # the register line
            return True
        return want is not None and bits <= want
    m = _CPUID_SCAN.match(src)
    if m and k:
        leaf = int(k.group(1), 16)
        lo, hi = int(m.group(1), 16), int(m.group(2), 16)
        return lo <= leaf <= hi and leaf & 0xFF == 0 and k.group(3) in ("signature", "ebx", "ecx", "edx") \
            and k.group(4) is None
    m = _MSR_SRC.match(src)
    k = _MSR_KEY.match(field)
    if m and k:
        if int(m.group(1), 16) != int(k.group(1), 16):
            return False
        bits = _bits(k.group(2))
        if bits is None:
            return True
        want = _bits(m.group(2))
        return want is not None and bits <= want
    if src.startswith("tdcall "):
        return any(src.startswith(call) and field == name for call, name in _TDCALLS)
    if src.startswith("snp ") and field.startswith("snp "):
        name = src.removeprefix("snp ").removeprefix("secrets page ").split()[0]
        return field == f"snp {name}"
    m = _SMCCC_SRC.match(src)
    if m:
        return field.startswith("smccc ") and field.split()[1:2] == [f"0x{int(m.group(1), 16):08x}"]
    if src.startswith("acpi "):
        return _acpi_matches(src.removeprefix("acpi ").split(" = ")[0].strip(), field)
    for prefix in ("fdt ", "dt ", "devicetree "):  # DT evidence spelled as a diff field
        if src.startswith(prefix) and src.removeprefix(prefix) == field:
            return True
    return False


_SMCCC_SRC = re.compile(r"^smccc (0x[0-9a-f]+)\b")
# The TDX facts (pvenum.cpuid.model.TdxFacts, platform.toml's [tdx]) under the TDCALL that returns
# each, as the Linux model cites them (pvenum/resolver/models/linux_x86.py, after
# arch/x86/coco/tdx/tdx.c: tdx_parse_tdinfo()/tdx_setup(): TDG.VP.INFO rcx[5:0] GPAW, rdx
# TD_ATTRIBUTES; disable_sept_ve(): TDG.VM.RD of TDCS_CONFIG_FLAGS, field 0x1110000300000016).
_TDCALLS = (("tdcall TDG.VP.INFO.rcx", "tdx gpa_width"), ("tdcall TDG.VP.INFO.rdx", "tdx attributes"),
            ("tdcall TDG.VM.RD 0x1110000300000016", "tdx flexible_pending_ve"))
_ACPI_SUB_KEY = re.compile(r"^([^.\[]+)\[(\d+)\]\.[^.]+\.(.+)$")  # APIC[3].GICC.Flags


def _norm(text: str) -> str:
    return text.lower().replace("_", "")


def _acpi_matches(src: str, field: str) -> bool:
    """``acpi FACP.HypervisorId``, ``acpi CCEL.Length``, ``acpi APIC[3].Flags``, ``acpi CCEL``."""
    if re.fullmatch(r"[A-Z0-9_!]{4}\d*", src):  # the table's presence
        return field == f"{src}.signature"
    m = _ACPI_SUB_KEY.match(field)
    if m:
        field = f"{m.group(1)}[{m.group(2)}].{m.group(3)}"
    return _norm(src) == _norm(field)


def read_by(field: str, sources: dict[str, set[str]]) -> tuple[str, ...]:
    """The models (in order) whose evidence includes ``field``."""
    return tuple(m for m, srcs in sources.items() if any(matches(s, field) for s in srcs))
