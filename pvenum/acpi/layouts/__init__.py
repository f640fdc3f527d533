"""Declarative ACPI layouts, one module per table (ACPICA struct names as field names).

:func:`kind_for` maps a signature to its :class:`~.kinds.TableKind`; signatures pvenum does not
declare get a header-only kind that keeps the body as bytes.
"""

from __future__ import annotations

from .aml import DSDT, OSDT, SSDT
from .bgrt import BGRT
from .ccel import CCEL
from .facs import FACS_KIND as FACS
from .fadt import FADT
from .hpet import HPET
from .kinds import SdtKind, TableKind, raw_kind
from .cedt import CEDT
from .dbg2 import DBG2
from .dmar import DMAR
from .erst import ERST
from .fpdt import FPDT
from .gtdt import GTDT
from .hest import HEST
from .hmat import HMAT
from .iort import IORT
from .ivrs import IVRS
from .keyp import KEYP
from .madt import MADT
from .mcfg import MCFG
from .nfit import NFIT
from .pptt import PPTT
from .pvsr import PVSR
from .rhct import RHCT
from .rsdp import RSDP_KIND as RSDP
from .s3pt import S3PT
from .slit import SLIT
from .spcr import SPCR
from .srat import SRAT
from .tdel import TDEL
from .tpm import TCPA, TPM2
from .viot import VIOT
from .waet import WAET
from .xsdt import RSDT, XSDT

KINDS: dict[str, TableKind] = {
    k.signature: k
    for k in (RSDP, FACS, S3PT, RSDT, XSDT, FADT, MADT, MCFG, SRAT, SLIT, HPET, SPCR, WAET, BGRT, CCEL, TDEL,
              DSDT, SSDT, OSDT, PVSR,
              # device assignment (shown by name like the MADT), then the rest
              DMAR, IVRS, IORT, VIOT, KEYP, CEDT, DBG2, ERST, FPDT, GTDT, HEST, HMAT, NFIT, PPTT, RHCT, TCPA, TPM2)
}

_RAW: dict[str, SdtKind] = {}


def kind_for(signature: str) -> TableKind:
    kind = KINDS.get(signature) or _RAW.get(signature)
    if kind is None:
        kind = raw_kind(signature)
        if len(_RAW) < 256:  # bounded: hostile input can invent signatures
            _RAW[signature] = kind
    return kind


def kind_of(data: bytes) -> TableKind:
    """The kind of the table at the start of ``data`` (RSDP and FACS by their signatures)."""
    if data[:8] == b"RSD PTR ":
        return RSDP
    sig = data[:4].decode("latin-1")
    return kind_for(sig.rstrip("\0"))


__all__ = ["KINDS", "kind_for", "kind_of", "TableKind", "SdtKind"]
