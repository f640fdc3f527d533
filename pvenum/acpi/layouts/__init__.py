"""Declarative ACPI layouts, one module per table (ACPICA struct names as field names).

:func:`kind_for` maps a signature to its :class:`~.kinds.TableKind`; signatures pvenum does not
declare get a header-only kind that keeps the body as bytes.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    from .kinds import SdtKind, TableKind

# Construct loads with the first kind asked for (.kinds and every table's module): importing
# this package — as unpickling a decoded table (.decoded) does — stays free of it.

# name -> (module, attribute), in KINDS order. Each table's module (its Construct declarations
# and struct programs) loads on first use: a caller reading one layout (``layouts.ccel``) does
# not pay for the other thirty-six.
_TABLES: dict[str, tuple[str, str]] = {
    "RSDP": ("rsdp", "RSDP_KIND"), "FACS": ("facs", "FACS_KIND"), "S3PT": ("s3pt", "S3PT"),
    "RSDT": ("xsdt", "RSDT"), "XSDT": ("xsdt", "XSDT"), "FADT": ("fadt", "FADT"), "MADT": ("madt", "MADT"),
    "MCFG": ("mcfg", "MCFG"), "SRAT": ("srat", "SRAT"), "SLIT": ("slit", "SLIT"), "HPET": ("hpet", "HPET"),
    "SPCR": ("spcr", "SPCR"), "WAET": ("waet", "WAET"), "BGRT": ("bgrt", "BGRT"), "CCEL": ("ccel", "CCEL"),
    "TDEL": ("tdel", "TDEL"), "DSDT": ("aml", "DSDT"), "SSDT": ("aml", "SSDT"), "OSDT": ("aml", "OSDT"),
    "PVSR": ("pvsr", "PVSR"),
    # device assignment (shown by name like the MADT), then the rest
    "DMAR": ("dmar", "DMAR"), "IVRS": ("ivrs", "IVRS"), "IORT": ("iort", "IORT"), "VIOT": ("viot", "VIOT"),
    "KEYP": ("keyp", "KEYP"), "CEDT": ("cedt", "CEDT"), "DBG2": ("dbg2", "DBG2"), "ERST": ("erst", "ERST"),
    "FPDT": ("fpdt", "FPDT"), "GTDT": ("gtdt", "GTDT"), "HEST": ("hest", "HEST"), "HMAT": ("hmat", "HMAT"),
    "NFIT": ("nfit", "NFIT"), "PPTT": ("pptt", "PPTT"), "RHCT": ("rhct", "RHCT"), "TCPA": ("tpm", "TCPA"),
    "TPM2": ("tpm", "TPM2"),
}

_KINDS: dict[str, TableKind] | None = None


def _table(name: str) -> TableKind:
    module, attr = _TABLES[name]
    return getattr(import_module(f"{__name__}.{module}"), attr)


def _kinds() -> dict[str, TableKind]:
    """signature -> kind for every declared table (built on first use)."""
    global _KINDS
    if _KINDS is None:
        _KINDS = {k.signature: k for k in map(_table, _TABLES)}
    return _KINDS


def __getattr__(name: str) -> Any:
    if name == "KINDS":
        return _kinds()
    if name in ("SdtKind", "TableKind"):
        from . import kinds

        return getattr(kinds, name)
    if name in _TABLES:
        return _table(name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


_RAW: dict[str, SdtKind] = {}


def kind_for(signature: str) -> TableKind:
    kind = (_KINDS or _kinds()).get(signature) or _RAW.get(signature)
    if kind is None:
        from .kinds import raw_kind

        kind = raw_kind(signature)
        if len(_RAW) < 256:  # bounded: hostile input can invent signatures
            _RAW[signature] = kind
    return kind


# The signature's 4 raw bytes -> kind_for's answer, for the kinds kind_for keeps (declared, or a
# raw kind it cached): one lookup per table instead of decoding and stripping the signature.
_BY_RAW: dict[bytes, TableKind] = {}


def kind_of(data: bytes) -> TableKind:
    """The kind of the table at the start of ``data`` (RSDP and FACS by their signatures)."""
    raw = data[:4]
    kind = _BY_RAW.get(raw)
    if kind is not None:
        return kind
    if data[:8] == b"RSD PTR ":
        return _table("RSDP")
    sig = raw.decode("latin-1").rstrip("\0")
    kind = kind_for(sig)
    if raw != b"RSD " and (kind is _kinds().get(sig) or kind is _RAW.get(sig)):
        _BY_RAW[raw] = kind  # bounded like _RAW: at most the declared kinds plus 256
    return kind


__all__ = ["KINDS", "kind_for", "kind_of", "TableKind", "SdtKind"]
