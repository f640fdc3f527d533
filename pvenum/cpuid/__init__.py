"""The x86 CPUID channel: dumps, MSRs and SNP facts, in every format VMMs and tools use.

Facade (DESIGN.md): ``parse(data: bytes | str) -> CpuidDump`` — format detected from content
(``cpuid -r`` text, kvm_cpuid2, a complete Firecracker template, pvenum TOML).
"""

from __future__ import annotations

from ..errors import FormatUnknown, ParseError
from .model import CpuidDump, MsrSet, SnpFacts

__all__ = ["parse", "CpuidDump", "MsrSet", "SnpFacts", "FORMATS"]

FORMATS = ("cpuid-r", "kvm_cpuid2", "firecracker-template", "cpuid-toml")


def parse(data: bytes | str) -> CpuidDump:
    from ..formats import detect

    raw = data.encode("utf-8") if isinstance(data, str) else bytes(data)
    spec = detect(raw)
    if spec is None or spec.name not in FORMATS:
        raise FormatUnknown("not a CPUID dump (cpuid -r text, kvm_cpuid2, Firecracker template, pvenum TOML)")
    if spec.name == "cpuid-r":
        from . import cpuid_r

        return cpuid_r.parse(raw)
    if spec.name == "kvm_cpuid2":
        from . import kvm

        return kvm.parse(raw)
    if spec.name == "cpuid-toml":
        from . import toml_io

        return toml_io.parse(raw)[0]
    from . import firecracker

    tpl = firecracker.parse(raw)
    if not tpl.complete:
        raise ParseError("firecracker-template", "template keeps host bits ('x'); apply it to a base dump instead")
    return tpl.as_dump()
