"""Build the tables a (confidential) virtual platform hands its guest, field by field.

Every builder returns an :class:`~pvenum.acpi.model.AcpiTable` with lengths and checksums
already consistent; edit ``.fields`` and call ``.fix_checksum()`` to change it. Field values
default to zero; keyword arguments take the spec's field names (``HypervisorId``) or their
snake_case forms (``hypervisor_id``).

    fadt(revision=6, hypervisor_id="MsHyperV", arm_boot_flags=0x3)
    madt(subtables=[gicc(uid=0, arm_mpidr=0), gicd(base_address=0x8000000, version=3),
                    mp_wakeup(mailbox_address=0x7F000000, version=1, reset_vector=0x7F001000)])
    ccel(cc_type=2, log_area_minimum_length=0x10000, log_area_start_address=0x7E000000)
"""

from __future__ import annotations

from typing import Any, Iterable

from ..errors import ParseError
from .layouts import KINDS, kind_for
from .layouts import fadt as fadt_layout
from .layouts import madt as madt_layout
from .layouts.body import SUBTABLE_HEADER_SIZE, SubtableType
from .layouts.ccel import CCEL_BODY
from .layouts.common import FMT, Record
from .layouts.facs import FACS as FACS_RECORD
from .layouts.mcfg import ALLOCATION
from .layouts.tdel import TDEL_BODY
from .model import AcpiTable, Subtable, snake

OEM = {"oem_id": "PVENUM", "oem_table_id": "PVENUM01", "oem_revision": 1, "creator_id": "PVEN",
       "creator_revision": 1}


def ascii_u64(text: str) -> int:
    """An 8-character identifier as the little-endian u64 the FADT stores ("MsHyperV")."""
    raw = text.encode("ascii")
    if len(raw) > 8:
        raise ValueError(f"{text!r} is longer than 8 characters")
    return int.from_bytes(raw.ljust(8, b"\0"), "little")


def _apply(record: Record, fields: dict[str, Any], overrides: dict[str, Any]) -> dict[str, Any]:
    by_snake = {snake(n): n for n in record.names}
    for key, value in overrides.items():
        name = key if key in record.names else by_snake.get(key)
        if name is None:
            raise ParseError(FMT, f"{record.name} has no field {key!r}; fields: {', '.join(record.names)}")
        if name not in fields:
            raise ParseError(FMT, f"{record.name}.{name} is beyond the size being built")
        fields[name] = value
    return fields


def sdt(signature: str, revision: int, fields: dict[str, Any] | None = None,
        subtables: Iterable[Subtable] = (), *, unparsed: bytes = b"", **oem: Any) -> AcpiTable:
    """Any table with the standard header; lengths and checksum computed."""
    header = {**OEM, **oem}
    table = AcpiTable(signature, 0, revision, 0, header["oem_id"], header["oem_table_id"],
                      header["oem_revision"], header["creator_id"], header["creator_revision"],
                      fields=dict(fields or {}), subtables=list(subtables), unparsed=unparsed,
                      kind=kind_for(signature))
    return table.fix_checksum()


# -- FADT ------------------------------------------------------------------------------------------

def fadt(*, revision: int = 6, hypervisor_id: str | int | None = None, length: int | None = None,
         oem: dict[str, Any] | None = None, **values: Any) -> AcpiTable:
    """A FADT of ``revision`` (1..6) at that revision's size (or ``length``); e.g.
    ``fadt(hypervisor_id="MsHyperV", flags=FADT_HW_REDUCED_ACPI, arm_boot_flags=3)``."""
    size = length if length is not None else fadt_layout.SIZE_BY_REVISION.get(revision, 276)
    record = fadt_layout.FADT_BODY
    count = record.fitting(size - 36)
    fields = record.defaults(count)
    if "MinorRevision" in fields:
        fields["MinorRevision"] = {5: 1, 6: 5}.get(revision, 0)
    if hypervisor_id is not None:
        values["HypervisorId"] = ascii_u64(hypervisor_id) if isinstance(hypervisor_id, str) else hypervisor_id
    _apply(record, fields, values)
    return sdt("FACP", revision, fields, **(oem or {}))


# -- MADT ------------------------------------------------------------------------------------------

def subtable(spec: SubtableType, *, length: int | None = None, **values: Any) -> Subtable:
    """A subtable of type ``spec`` holding the fields that fit in ``length`` (default: all)."""
    size = length if length is not None else SUBTABLE_HEADER_SIZE + spec.record.size
    fields = spec.record.defaults(spec.record.fitting(size - SUBTABLE_HEADER_SIZE))
    _apply(spec.record, fields, values)
    used = SUBTABLE_HEADER_SIZE + spec.record.used(fields)
    return Subtable(spec.code, size, fields, name=spec.name, unparsed=bytes(size - used))


def local_apic(processor_id: int, apic_id: int, *, flags: int = 1) -> Subtable:
    return subtable(madt_layout.LOCAL_APIC, ProcessorId=processor_id, Id=apic_id, LapicFlags=flags)


def io_apic(apic_id: int, address: int = 0xFEC00000, global_irq_base: int = 0) -> Subtable:
    return subtable(madt_layout.IO_APIC, Id=apic_id, Address=address, GlobalIrqBase=global_irq_base)


def interrupt_override(source_irq: int, global_irq: int, *, flags: int = 0, bus: int = 0) -> Subtable:
    return subtable(madt_layout.INTERRUPT_OVERRIDE, Bus=bus, SourceIrq=source_irq, GlobalIrq=global_irq,
                    IntiFlags=flags)


def local_x2apic(apic_id: int, uid: int, *, flags: int = 1) -> Subtable:
    return subtable(madt_layout.LOCAL_X2APIC, LocalApicId=apic_id, Uid=uid, LapicFlags=flags)


def gicc(uid: int, *, length: int = 80, flags: int = 1, **values: Any) -> Subtable:
    """GIC CPU interface; ``length`` 40, 76, 80 (ACPI 6.0/6.3), 82 (6.5) or 88 (6.7)."""
    interface = values.pop("cpu_interface_number", uid)
    return subtable(madt_layout.GICC, length=length, Uid=uid, CpuInterfaceNumber=interface, Flags=flags, **values)


def gicd(*, base_address: int, version: int = 3, gic_id: int = 0) -> Subtable:
    return subtable(madt_layout.GICD, GicId=gic_id, BaseAddress=base_address, Version=version)


def gicr(*, base_address: int, length: int) -> Subtable:
    return subtable(madt_layout.GICR, BaseAddress=base_address, Length=length)


def gic_its(*, translation_id: int, base_address: int) -> Subtable:
    return subtable(madt_layout.GIC_ITS, TranslationId=translation_id, BaseAddress=base_address)


def gic_msi_frame(*, frame_id: int, base_address: int, flags: int = 0, spi_count: int = 0,
                  spi_base: int = 0) -> Subtable:
    return subtable(madt_layout.GIC_MSI_FRAME, MsiFrameId=frame_id, BaseAddress=base_address, Flags=flags,
                    SpiCount=spi_count, SpiBase=spi_base)


def mp_wakeup(*, mailbox_address: int, version: int = 0, reset_vector: int | None = None) -> Subtable:
    """Multiprocessor Wakeup (TDX AP bring-up): version 0 is the 16-byte ACPI 6.4 form,
    version 1 the 24-byte ACPI 6.6 form with ResetVector."""
    extra = {"ResetVector": reset_vector or 0} if version >= 1 or reset_vector is not None else {}
    return subtable(madt_layout.MP_WAKEUP, length=24 if extra else 16, MailboxVersion=version,
                    BaseAddress=mailbox_address, **extra)


def madt(subtables: Iterable[Subtable] = (), *, local_apic_address: int = 0xFEE00000, flags: int = 0,
         revision: int = 5, oem: dict[str, Any] | None = None) -> AcpiTable:
    """MADT; ``flags`` bit0 PCAT_COMPAT. Arm platforms pass ``local_apic_address=0``."""
    return sdt("APIC", revision, {"Address": local_apic_address, "Flags": flags}, subtables, **(oem or {}))


# -- small fixed tables ----------------------------------------------------------------------------

def ccel(*, cc_type: int = 2, cc_sub_type: int = 0, log_area_minimum_length: int,
         log_area_start_address: int, revision: int = 1, oem: dict[str, Any] | None = None) -> AcpiTable:
    """CCEL (CC type 1 SEV, 2 TDX, 4 Arm CCA), 56 bytes, revision 1."""
    fields = _apply(CCEL_BODY, CCEL_BODY.defaults(), {
        "CCType": cc_type, "CCSubType": cc_sub_type, "LogAreaMinimumLength": log_area_minimum_length,
        "LogAreaStartAddress": log_area_start_address})
    return sdt("CCEL", revision, fields, **(oem or {}))


def tdel(*, log_area_minimum_length: int, log_area_start_address: int, revision: int = 1,
         oem: dict[str, Any] | None = None) -> AcpiTable:
    fields = _apply(TDEL_BODY, TDEL_BODY.defaults(), {
        "LogAreaMinimumLength": log_area_minimum_length, "LogAreaStartAddress": log_area_start_address})
    return sdt("TDEL", revision, fields, **(oem or {}))


def mcfg(allocations: Iterable[dict[str, Any]], *, revision: int = 1, oem: dict[str, Any] | None = None) -> AcpiTable:
    """MCFG from ``[{"Address": ..., "PciSegment": 0, "StartBusNumber": 0, "EndBusNumber": 255}]``."""
    subs = []
    for alloc in allocations:
        fields = _apply(ALLOCATION, ALLOCATION.defaults(), alloc)
        subs.append(Subtable(None, ALLOCATION.size, fields, name=ALLOCATION.name))
    return sdt("MCFG", revision, {"Reserved": bytes(8)}, subs, **(oem or {}))


def aml_table(signature: str = "DSDT", aml: bytes = b"", *, revision: int = 2,
              oem: dict[str, Any] | None = None) -> AcpiTable:
    """A definition block (DSDT/SSDT) around ``aml`` byte code (empty by default)."""
    return sdt(signature, revision, {"AmlCode": bytes(aml)}, **(oem or {}))


def facs(*, version: int = 2, **values: Any) -> AcpiTable:
    fields = FACS_RECORD.defaults()
    del fields["Signature"], fields["Length"]
    fields["Version"] = version
    _apply(FACS_RECORD, fields, values)
    table = AcpiTable("FACS", 64, version, None, None, None, None, None, None, fields=fields, kind=KINDS["FACS"])
    return table.fix_checksum()


def xsdt(addresses: Iterable[int], *, revision: int = 1, oem: dict[str, Any] | None = None) -> AcpiTable:
    return sdt("XSDT", revision, {"TableOffsetEntry": list(addresses)}, **(oem or {}))


def rsdt(addresses: Iterable[int], *, revision: int = 1, oem: dict[str, Any] | None = None) -> AcpiTable:
    return sdt("RSDT", revision, {"TableOffsetEntry": list(addresses)}, **(oem or {}))


def rsdp(*, xsdt_address: int = 0, rsdt_address: int = 0, revision: int = 2, oem_id: str = OEM["oem_id"]) -> AcpiTable:
    """RSDP: revision 2 (36 bytes, both checksums) or 0 (ACPI 1.0, 20 bytes)."""
    fields: dict[str, Any] = {"RsdtPhysicalAddress": rsdt_address}
    if revision >= 2:
        fields.update(Length=36, XsdtPhysicalAddress=xsdt_address, ExtendedChecksum=0, Reserved=bytes(3))
    table = AcpiTable("RSD PTR ", 36 if revision >= 2 else 20, revision, 0, oem_id, None, None, None, None,
                      fields=fields, kind=KINDS["RSD PTR "])
    return table.fix_checksum()
