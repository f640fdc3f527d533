"""``pvenum.cpuid.parse``: one CPUID dump from bytes, its format detected from content."""

from __future__ import annotations

from ..errors import FormatUnknown, ParseError
from .model import CpuidDump

FORMATS = ("cpuid-r", "kvm_cpuid2", "firecracker-template", "cpuid-toml", "cpuid-aida64",
           "firecracker-fingerprint")


def parse(data: bytes | str) -> CpuidDump:
    from ..formats import detect
    from .artifact import load_as

    raw = data.encode("utf-8") if isinstance(data, str) else bytes(data)
    spec = detect(raw)
    if spec is None or spec.name not in FORMATS:
        raise FormatUnknown(f"not a CPUID dump (one of {', '.join(FORMATS)})")
    art = load_as(raw, "<input>", spec.name)[0]
    if art.template is not None and not art.template.complete:
        raise ParseError("firecracker-template", "template keeps host bits ('x'); apply it to a base dump instead")
    return art.dump
