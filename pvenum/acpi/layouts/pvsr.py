"""PVSR — Paravisor Services Record: pvenum's *draft* ACPI encoding of the paravisor services
record (docs/proposal.md §ACPI encoding). No specification defines this table and no ACPICA
release knows it; the signature is a draft placeholder until one is reserved.

A static data table, 96 bytes, revision 1, every u64 8-byte aligned from the table start so an
early-boot reader (EFI stub, decompressor, arm64 code running with the MMU off) can use plain
aligned loads::

    36  RecordVersion  u8    record layout version (1)
    37  IsolationType  u8    0 none, 1 vbs, 2 sev-snp, 3 tdx, 4 cca (Hyper-V HV_ISOLATION_TYPE + CCA)
    38  Reserved       u16   must be zero
    40  Flags          u32   [0] GUEST_NOT_IN_CHARGE [1] PARAVISOR_ACCEPTS_MEMORY
                             [2] SHARED_GPA_BOUNDARY_VALID [13:8] SHARED_GPA_BOUNDARY_BITS
    44  Services       u32   [0] ATTESTATION [1] TDISP [2] VTPM
    48  Attestation    interface }  0 Kind u8, 1 Version u8, 2 Reserved u16,
    64  Tdisp          interface }  4 Param1 u32, 8 Param0 u64   (16 bytes)
    80  Vtpm           interface }

Flags and Services use the same bit positions as the CPUID encoding's B+1.ECX/EDX
(pvenum/proposal/cpuid_encoding.py); tests/acpi/test_acpi_resolver.py asserts they agree.
Every other bit is reserved and must be zero; an interface must be all zero when its service
bit is clear. :func:`body_problems` states those rules once for the decoder and for validation.
"""

from __future__ import annotations

from typing import Any, Iterator

from ...proposal.codes import (
    BOUNDARY_MASK,
    BOUNDARY_SHIFT,
    FLAG_BOUNDARY_VALID,
    FLAG_NAMES,
    INTERFACE_KINDS,
    ISOLATION_CODES,
    SERVICE_BITS,
    SERVICES,
)
from ...proposal.record import Words
from ..constants import PVSR_SIGNATURE as SIGNATURE
from .body import FixedBody
from .common import Record, u8, u16, u32, u64
from .header import HEADER_SIZE
from .kinds import SdtKind

REVISION = 1
LENGTH = 96

SERVICE_NAMES = {bit: name.upper() for name, bit in SERVICE_BITS.items()}

# Record field of each service, in SERVICES order.
INTERFACE_FIELDS = {"attestation": "Attestation", "tdisp": "Tdisp", "vtpm": "Vtpm"}

INTERFACE_RECORD = Record(
    "Interface",
    "Kind" / u8 * "interface kind: 1 hypercall, 2 svsm-protocol, 3 mmio, 4 tpm-nv-index, 5 rsi-host-call",
    "Version" / u8 * "interface version",
    "Reserved" / u16 * "reserved, must be zero",
    "Param1" / u32 * "kind-specific: SVSM highest version, MMIO size, else 0",
    "Param0" / u64 * "kind-specific: call code, SVSM protocol, MMIO base, NV index, RSI_HOST_CALL immediate",
    cite="pvenum docs/proposal.md §ACPI encoding (draft)",
)
INTERFACE = INTERFACE_RECORD.struct
# The fields of an interface that make a record's interface word, in Interface's order (kind,
# version, param0, param1): what words() reads and the resolver's evidence names.
INTERFACE_WORDS = ("Kind", "Version", "Param0", "Param1")

PVSR_BODY = Record(
    "PVSR",
    "RecordVersion" / u8 * "paravisor services record version (1)",
    "IsolationType" / u8 * "0 none, 1 VBS, 2 SEV-SNP, 3 TDX, 4 Arm CCA",
    "Reserved" / u16 * "reserved, must be zero",
    "Flags" / u32 * "[0] GUEST_NOT_IN_CHARGE [1] PARAVISOR_ACCEPTS_MEMORY [2] SHARED_GPA_BOUNDARY_VALID "
                    "[13:8] SHARED_GPA_BOUNDARY_BITS",
    "Services" / u32 * "[0] ATTESTATION [1] TDISP [2] VTPM",
    "Attestation" / INTERFACE * "attestation interface (all zero unless Services[0])",
    "Tdisp" / INTERFACE * "TDISP interface (all zero unless Services[1])",
    "Vtpm" / INTERFACE * "vTPM interface (all zero unless Services[2])",
    cite="pvenum docs/proposal.md §ACPI encoding (draft)",
)

PVSR = SdtKind(SIGNATURE, FixedBody(PVSR_BODY), name="PVSR",
               title="Paravisor Services Record (pvenum draft)", cite=PVSR_BODY.cite)

_OFF = dict(zip(PVSR_BODY.names, PVSR_BODY.offsets))
_INTERFACE_OFF = dict(zip(INTERFACE_RECORD.names, INTERFACE_RECORD.offsets))


def offset(field: str) -> int:
    """Absolute offset of a body field ("Flags", or "Tdisp.Param0") in the table."""
    top, _, sub = field.partition(".")
    return HEADER_SIZE + _OFF[top] + (_INTERFACE_OFF[sub] if sub else 0)


_NAMES = frozenset(PVSR_BODY.names)
# (service, its record field), in SERVICES order.
_SERVICE_FIELDS = tuple((n, INTERFACE_FIELDS[n]) for n in SERVICES)
# The reserved fields, in table order: (name as "Reserved" or "Tdisp.Reserved", field, sub-field or "").
RESERVED_FIELDS = (("Reserved", "Reserved", ""), *((f"{key}.Reserved", key, "Reserved") for _, key in _SERVICE_FIELDS))


def words(fields: dict[str, Any]) -> Words | None:
    """The record's words from a decoded body; None for a short table (PVSR.Length says so)."""
    if not _NAMES <= fields.keys():
        return None
    interfaces = {}
    for name, key in _SERVICE_FIELDS:
        i = fields[key]
        interfaces[name] = tuple(i[w] for w in INTERFACE_WORDS)
    return Words(fields["RecordVersion"], fields["IsolationType"], fields["Flags"], fields["Services"], interfaces)


# The field that holds each word Words.problems() names, and the check (PVSR.<check>) that
# reports it; the interfaces are checked as "Interface".
WORD_FIELDS = {"version": "RecordVersion", "isolation": "IsolationType", "flags": "Flags", "boundary": "Flags",
               "services": "Services", **INTERFACE_FIELDS}
_CHECK = {"version": "RecordVersion", "isolation": "IsolationType", "flags": "ReservedBits", "boundary": "Boundary",
          "services": "ReservedBits"}


def word_problems(w: Words) -> list[tuple[str, str, int, str]]:
    """What is wrong with a record's words, located in the table: ``(check, message, offset,
    severity)``. The decoder reads the message, validation all four (:func:`body_problems`)."""
    out = []
    for word, severity, message in w.problems():
        field = WORD_FIELDS[word]
        check = _CHECK.get(word, "Interface")
        out.append((check, f"{message} (PVSR.{field})", offset(field), severity))
    return out


def body_problems(fields: dict[str, Any]) -> Iterator[tuple[str, str, int, str]]:
    """What is wrong with a decoded body: ``(check, message, offset, severity)``.

    ``check`` is the suffix of the validation id (``PVSR.<check>``). Reserved *fields* are left
    to the generic ``ACPI.Reserved`` check; these are the reserved *bits* and the rules only this
    table has (the same ones the CPUID encoding checks: proposal.record.Words.problems).
    Missing fields (a short table) are reported by ``PVSR.Length`` instead.
    """
    w = words(fields)
    return iter(() if w is None else word_problems(w))


def meaning(field: str, value: int) -> str:
    """Short meanings for the renderer (pvenum.acpi.names)."""
    if field == "IsolationType":
        return ISOLATION_CODES.get(value, "unknown")
    if field == "Kind":
        return INTERFACE_KINDS.get(value, "none" if value == 0 else "unknown")
    if field == "Flags":
        parts = [FLAG_NAMES[b] for b in sorted(FLAG_NAMES) if value >> b & 1]
        if value & FLAG_BOUNDARY_VALID:
            parts.append(f"boundary bits {value >> BOUNDARY_SHIFT & BOUNDARY_MASK}")
        return " | ".join(parts)
    if field == "Services":
        return " | ".join(SERVICE_NAMES[b] for b in sorted(SERVICE_NAMES) if value >> b & 1)
    return ""
