"""The draft ACPI encoding of the paravisor services record (docs/proposal.md §ACPI encoding).

A static data table with the draft signature "PVSR", laid out once in
pvenum/acpi/layouts/pvsr.py. It carries exactly the fields of the CPUID encoding
(cpuid_encoding.py) — same flag and service bit positions, same codes — so both decode to the
same :class:`~pvenum.proposal.record.ParavisorServices`. A data table rather than an SSDT
object because the guest decides about memory acceptance in the EFI stub / decompressor, long
before the AML interpreter exists (the doc gives the whole argument).

    encode(record) -> AcpiTable
    decode_table(table) -> Decoded            # channel "acpi", where "acpi PVSR"
    decode_platform(platform) -> Decoded | None
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..acpi.constants import PVSR_SIGNATURE as SIGNATURE
from ..errors import ScenarioError
from .cpuid_encoding import Decoded
from .codes import SERVICE_BITS, SERVICES

if TYPE_CHECKING:  # pragma: no cover
    from ..acpi.model import AcpiTable
    from .record import ParavisorServices
    from ..platform import Platform

WHERE = f"acpi {SIGNATURE}"
# Header identity of the tables pvenum writes; a guest identifies the table by signature only.
OEM = {"oem_id": "PVENUM", "oem_table_id": "PARAVSVC"}


def encode(record: ParavisorServices) -> "AcpiTable":
    """The PVSR table that carries ``record`` (length and checksum consistent)."""
    if not 0 <= record.version <= 0xFF:
        raise ScenarioError("the ACPI encoding's RecordVersion is 8-bit", key="version")
    from ..acpi.layouts import pvsr as L  # the layout (Construct) loads to write or decode a table

    from .record import Words

    w = Words.of(record)
    fields: dict[str, Any] = {
        "RecordVersion": w.version,
        "IsolationType": w.isolation,
        "Reserved": 0,
        "Flags": w.flags,
        "Services": w.services,
    }
    for name in SERVICES:
        kind, version, param0, param1 = w.interfaces[name]
        fields[L.INTERFACE_FIELDS[name]] = {"Kind": kind, "Version": version, "Reserved": 0,
                                            "Param1": param1, "Param0": param0}
    from ..acpi import builders  # only to write: the resolver reads tables without it

    return builders.sdt(SIGNATURE, L.REVISION, fields, **OEM)


def decode_table(table: "AcpiTable") -> Decoded:
    """The record a guest reads from one PVSR table, with every problem it would meet."""
    from ..acpi.layouts import pvsr as L  # the layout (Construct) loads to write or decode a table

    f = table.fields
    w = L.words(f)
    if w is None:
        missing = next(n for n in L.PVSR_BODY.names if n not in f)
        # A short table: the guest cannot trust a record it only half read.
        return Decoded(WHERE, None, [f"Length {table.length} ends before {missing} (the table is {L.LENGTH} bytes)"],
                       channel="acpi")
    problems: list[str] = []
    if table.revision != L.REVISION:
        problems.append(f"table revision {table.revision}; this decoder knows revision {L.REVISION}")
    for _, message, _, _ in L.word_problems(w):
        problems.append(message)
    # Reserved fields (validation reports them as ACPI.Reserved); the CPUID decoder reports the
    # same as reserved register bits.
    for key, top, sub in L.RESERVED_FIELDS:
        value = f[top][sub] if sub else f[top]
        if value:
            problems.append(f"reserved field PVSR.{key} is 0x{value:x}, must be zero")
    return Decoded(WHERE, w.record(), problems, channel="acpi")


def decode_platform(platform: "Platform") -> Decoded | None:
    """The record in ``platform``'s ACPI tables (the first PVSR, as a guest walking the XSDT
    would find it); None when there is no ACPI or no PVSR table."""
    tables = platform.acpi
    table = tables.get(SIGNATURE) if tables is not None else None
    if table is None:
        return None
    return decode_table(table)


def note_evidence(ctx: "Any") -> None:
    """Record the fields a guest reads, for the proposal model's evidence (resolver Ctx): the
    record's words, then the interface of each service offered, as decode_table() reads them."""
    from ..acpi.layouts import pvsr as L  # loaded already: called once decode_platform() found a table

    ctx.acpi_field(SIGNATURE, "RecordVersion", name="record layout version")
    ctx.acpi_field(SIGNATURE, "IsolationType", name="isolation code")
    ctx.acpi_field(SIGNATURE, "Flags", name="[0] GUEST_NOT_IN_CHARGE [1] PARAVISOR_ACCEPTS_MEMORY "
                   "[2] SHARED_GPA_BOUNDARY_VALID [13:8] boundary bits")
    services = ctx.acpi_field(SIGNATURE, "Services", name="services: [0] attestation [1] TDISP [2] vTPM")
    if not isinstance(services, int):  # a short table: no record, no interfaces read
        return
    for name in SERVICES:
        if services >> SERVICE_BITS[name] & 1:
            key = L.INTERFACE_FIELDS[name]
            for sub in L.INTERFACE_WORDS:
                ctx.acpi_field(SIGNATURE, f"{key}.{sub}", name=f"interface {sub.lower()}")
