"""The x86 CPUID channel: dumps, MSRs and SNP facts, in every format VMMs and tools use.

Facade (docs/contracts.md): ``parse(data: bytes | str) -> CpuidDump`` — format detected from content
(``cpuid -r`` text as pasted, kvm_cpuid2, a complete Firecracker template or
cpu-template-helper fingerprint, pvenum TOML, an AIDA64 CPUID report).
"""

from __future__ import annotations

from ..errors import FormatUnknown, ParseError
from .model import CpuidDump, MsrSet, SnpFacts

__all__ = ["parse", "CpuidDump", "MsrSet", "SnpFacts", "FORMATS"]

FORMATS = ("cpuid-r", "kvm_cpuid2", "firecracker-template", "cpuid-toml", "cpuid-aida64",
           "firecracker-fingerprint")


def parse(data: bytes | str) -> CpuidDump:
    from ..formats import detect
    from .artifact import load_as

    raw = data.encode("utf-8") if isinstance(data, str) else bytes(data)
    spec = detect(raw)
    if spec is None or spec.name not in FORMATS:
        raise FormatUnknown("not a CPUID dump (cpuid -r text, kvm_cpuid2, Firecracker template, pvenum TOML)")
    art = load_as(raw, "<input>", spec.name)[0]
    if art.template is not None and not art.template.complete:
        raise ParseError("firecracker-template", "template keeps host bits ('x'); apply it to a base dump instead")
    return art.dump
