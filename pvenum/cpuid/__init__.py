"""The x86 CPUID channel: dumps, MSRs and SNP facts, in every format VMMs and tools use.

Facade (docs/contracts.md): ``parse(data: bytes | str) -> CpuidDump`` — format detected from content
(``cpuid -r`` text as pasted, kvm_cpuid2, a complete Firecracker template or
cpu-template-helper fingerprint, pvenum TOML, an AIDA64 CPUID report).

A lazy facade (PEP 562): a name loads its defining submodule on first read, so importing one
submodule never runs the others and no import cycle closes through this package.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .._lazy import lazy_facade

if TYPE_CHECKING:  # pragma: no cover
    from .api import parse, FORMATS
    from .model import CpuidDump, MsrSet, SnpFacts

__all__ = ["parse", "FORMATS", "CpuidDump", "MsrSet", "SnpFacts"]
__getattr__, __dir__ = lazy_facade(__name__, {"api": ("parse", "FORMATS"),
                                                "model": ("CpuidDump", "MsrSet", "SnpFacts")})
