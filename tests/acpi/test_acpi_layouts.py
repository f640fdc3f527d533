"""Layout parity (tests/parity.py ``common``) for every declared ACPI structure.

The oracle is an independent ``struct`` format per structure, written from the spec tables, plus
the offsets found by compiling acpica/acpica source/include/actbl*.h with gcc
(offsetof/sizeof): parse == expected values, build == bytes, sizeof ==
the spec size. Each field gets a distinct value so a swapped or shifted field cannot pass.
"""

from __future__ import annotations

import struct

import pytest
from parity import common

from pvenum.acpi.layouts import (
    bgrt,
    ccel,
    cedt,
    dbg2,
    dmar,
    erst,
    fpdt,
    gtdt,
    hest,
    hmat,
    iort,
    ivrs,
    keyp,
    nfit,
    pptt,
    rhct,
    tpm,
    viot,
    facs,
    fadt,
    header,
    hpet,
    madt,
    mcfg,
    rsdp,
    slit,
    spcr,
    srat,
    tdel,
    waet,
)
from pvenum.acpi.layouts.body import SUBTABLE_HEADER
from pvenum.acpi.layouts.common import GAS, Record

# Per structure, one token per field: B/H/I/Q little-endian ints, "Ns" a byte array,
# "Nc" a char array (decoded as text), "G" a Generic Address Structure, "X3" a 3-byte integer.
CASES: list[tuple[Record, str]] = [
    (header.HEADER, "4c I B B 6c 8c I 4c I"),
    (rsdp.RSDP, "8c B 6c B I I Q B 3s"),
    (facs.FACS, "4c I I I I I Q B 3s I 24s"),
    (fadt.FADT_BODY, "I I B B H I B B B B I I I I I I I I B B B B B B B B H H H H B B B B B H B I "
                     "G B H B Q Q G G G G G G G G G G Q"),
    (madt.MADT_FIXED, "I I"),
    (madt.LOCAL_APIC.record, "B B I"),
    (madt.IO_APIC.record, "B B I I"),
    (madt.INTERRUPT_OVERRIDE.record, "B B I H"),
    (madt.NMI_SOURCE.record, "H I"),
    (madt.LOCAL_APIC_NMI.record, "B H B"),
    (madt.LOCAL_APIC_OVERRIDE.record, "H Q"),
    (madt.IO_SAPIC.record, "B B I Q"),
    (madt.LOCAL_SAPIC.record, "B B B 3s I I"),
    (madt.INTERRUPT_SOURCE.record, "H B B B B I I"),
    (madt.LOCAL_X2APIC.record, "H I I I"),
    (madt.LOCAL_X2APIC_NMI.record, "H I B 3s"),
    (madt.GICC.record, "H I I I I I Q Q Q Q I Q Q B B H H H I"),
    (madt.GICD.record, "H I Q I B 3s"),
    (madt.GIC_MSI_FRAME.record, "H I Q I H H"),
    (madt.GICR.record, "B B Q I"),
    (madt.GIC_ITS.record, "B B I Q I"),
    (madt.MP_WAKEUP.record, "H I Q Q"),
    (mcfg.MCFG_FIXED, "8s"),
    (mcfg.ALLOCATION, "Q H B B I"),
    (srat.SRAT_FIXED, "I Q"),
    (srat.CPU_AFFINITY.record, "B B I B X3 I"),
    (srat.MEMORY_AFFINITY.record, "I H Q Q I I Q"),
    (srat.X2APIC_CPU_AFFINITY.record, "H I I I I I"),
    (srat.GICC_AFFINITY.record, "I I I I"),
    (srat.GIC_ITS_AFFINITY.record, "I H I"),
    (srat.GENERIC_AFFINITY.record, "B B I 16s I I"),
    (srat.GENERIC_PORT_AFFINITY.record, "B B I 16s I I"),
    (slit.SLIT_FIXED, "Q"),
    (hpet.HPET_BODY, "I G B H B"),
    (spcr.SPCR_BODY, "B 3s G B B I B B B B B B H H B B B I B I I H H"),
    (waet.WAET_BODY, "I"),
    (bgrt.BGRT_BODY, "H B B Q I I"),
    (ccel.CCEL_BODY, "B B H Q Q"),
    (tdel.TDEL_BODY, "I Q Q"),
    # The tree layouts (layouts/tree.py): fixed parts, entry headers and entry bodies.
    (dmar.DMAR_FIXED, "B B 10s"), (dmar.HEADER, "H H"), (dmar.PCI_PATH, "B B"), (dmar.SCOPE_HEADER, "B B"),
    (dmar.SCOPES.types[0].shape.record, "B B B B"), (dmar.DRHD.shape.record, "B B H Q"),
    (dmar.RMRR.shape.record, "H H Q Q"), (dmar.ATSR.shape.record, "B B H"), (dmar.RHSA.shape.record, "I Q I"),
    (dmar.ANDD.shape.record, "3s B"), (dmar.SATC.shape.record, "B B H"), (dmar.SIDP.shape.record, "H H"),
    (ivrs.IVRS_FIXED, "I Q"), (ivrs.HEADER, "B B H H"), (ivrs.DE_HEADER, "B H B"),
    (ivrs.SPECIAL.shape.record, "B H B"), (ivrs.HID.shape.record, "8c Q B B"),
    (ivrs.IVHD10.shape.record, "H Q H H I"), (ivrs.IVHD11.shape.record, "H Q H H I Q Q"),
    (ivrs.IVMD[0].shape.record, "H Q Q Q"),
    (viot.VIOT_FIXED, "H H 8s"), (viot.HEADER, "B B H"), (viot.PCI_RANGE.shape.record, "I H H H H H 6s"),
    (viot.MMIO.shape.record, "I Q H 6s"), (viot.VIRTIO_PCI.shape.record, "H H 8s"),
    (viot.VIRTIO_MMIO.shape.record, "4s Q"),
    (iort.IORT_FIXED, "I I I"), (iort.HEADER, "B H B I I I"), (iort.ID_MAPPING, "I I I I I"),
    (iort.ITS_GROUP.shape.record, "I"), (iort.SMMU.shape.record, "Q Q I I I I I I I"),
    (iort.SMMU_V3.shape.record, "Q I I Q I I I I I I I"), (iort.PMCG.shape.record, "Q I I Q"),
    (iort.RMR_DESCRIPTOR, "Q Q I"), (iort.RMR.shape.record, "I I I"), (iort.SMMU_GLOBAL, "I I I I"),
    (iort.SMMU_IRQ, "I I"), (iort.IWB.shape.record, "Q H"),
    (cedt.HEADER, "B B H"), (cedt.CHBS.shape.record, "I I I Q Q"), (cedt.CFMWS.shape.record, "I Q Q B B H I H H"),
    (cedt.CXIMS.shape.record, "H B B"),
    (keyp.KEYP_FIXED, "I"), (keyp.HEADER, "B B H"), (keyp.ROOT_PORT, "H B B"), (keyp.CONFIG_UNIT.shape.record, "B B B B Q"),
    (hmat.HMAT_FIXED, "I"), (hmat.HEADER, "H H I"), (hmat.PROXIMITY_DOMAIN.shape.record, "H H I I I Q Q"),
    (hmat.LOCALITY.shape.record, "B B B B I I I Q"), (hmat.CACHE.shape.record, "I I Q I H H"),
    (nfit.NFIT_FIXED, "I"), (nfit.HEADER, "H H"), (nfit.SPA.shape.record, "H H I I 16s Q Q Q Q"),
    (nfit.MEMORY_MAP.shape.record, "I H H H H Q Q Q H H H H"), (nfit.INTERLEAVE.shape.record, "H H I I"),
    (nfit.SMBIOS.shape.record, "I"),
    (nfit.CONTROL_REGION.shape.record, "H H H H H H H B B H 2s I H H Q Q Q Q Q H 6s"),
    (nfit.DATA_REGION.shape.record, "H H Q Q Q Q"), (nfit.FLUSH.shape.record, "I H 6s"),
    (nfit.CAPABILITIES.shape.record, "B 3s I I"),
    (pptt.HEADER, "B B"), (pptt.PROCESSOR.shape.record, "H I I I I"), (pptt.CACHE.shape.record, "H I I I I B B H I"),
    (pptt.ID.shape.record, "H I Q Q H H H"),
    (rhct.RHCT_FIXED, "I Q I I"), (rhct.HEADER, "H H H"), (rhct.ISA_STRING.shape.record, "H"),
    (rhct.CMO.shape.record, "B B B B"), (rhct.MMU.shape.record, "B B"), (rhct.HART_INFO.shape.record, "H I"),
    (gtdt.GTDT_FIXED, "Q I I I I I I I I I Q I I I I"), (gtdt.HEADER, "B H"),
    (gtdt.TIMER_FRAME, "B 3s Q Q I I I I I"), (gtdt.TIMER_BLOCK.shape.record, "B Q I I"),
    (gtdt.WATCHDOG.shape.record, "B Q Q I I"),
    (hest.HEST_FIXED, "I"), (hest.HEADER, "H H"), (hest.NMI.shape.record, "I I I I"),
    (hest.BANK, "B B B B I Q I I I"), (hest.MACHINE_CHECK.shape.record, "H B B I I Q Q B 7s"),
    (hest.AER_ENDPOINT.shape.record, "H B B I I I H H H H I I I I"),
    (hest.AER_ROOT.shape.record, "H B B I I I H H H H I I I I I"),
    (hest.AER_BRIDGE.shape.record, "H B B I I I H H H H I I I I I I I"),
    (erst.ERST_FIXED, "I I I"), (erst.INSTRUCTION, "B B B B G Q Q"),
    (dbg2.DBG2_FIXED, "I I"), (dbg2.HEADER, "B H"), (dbg2.DEVICE.shape.record, "B H H H H H H H H H"),
    (dbg2.REGISTER, "B B B B Q"),
    (tpm.TCPA_HEADER, "H"), (tpm.CLIENT.shape.record, "I Q"), (tpm.SERVER.shape.record, "H Q Q H B B B 3s I G I G B B B B"),
    (tpm.TPM2_BODY, "H H Q I 12s I Q"),
    (fpdt.RECORD_HEADER, "H B B"), (fpdt.BOOT_POINTER.shape.record, "I Q"), (fpdt.S3PT_POINTER.shape.record, "I Q"),
    (fpdt.S3PT_RESUME.shape.record, "I Q Q"), (fpdt.S3PT_SUSPEND.shape.record, "Q Q"),
]


def _oracle(tokens: str) -> tuple[bytes, list]:
    """Bytes packed with ``struct`` and the values a correct decode must give, field by field."""
    data = b""
    values: list = []
    for n, tok in enumerate(tokens.split(), 1):
        if tok == "G":
            gas = [n % 200 + 1, n % 200 + 2, n % 200 + 3, n % 5, 0x1122334455660000 + n]
            data += struct.pack("<BBBBQ", *gas)
            values.append(dict(zip(["SpaceId", "BitWidth", "BitOffset", "AccessWidth", "Address"], gas)))
        elif tok == "X3":
            value = 0x030200 + n
            data += value.to_bytes(3, "little")
            values.append(value)
        elif tok[-1] in "sc":
            raw = bytes((n * 7 + j) % 26 + 0x41 for j in range(int(tok[:-1])))
            data += raw
            values.append(raw.decode("latin-1") if tok[-1] == "c" else raw)
        else:
            size = struct.calcsize("<" + tok)
            value = (0x0102030405060708 * n + 0x10) & ((1 << (8 * size)) - 1)
            data += struct.pack("<" + tok, value)
            values.append(value)
    return data, values


@pytest.mark.parametrize("record,tokens", CASES, ids=[r.name for r, _ in CASES])
def test_record_parity(record: Record, tokens: str) -> None:
    data, values = _oracle(tokens)
    assert len(values) == len(record.names), "the oracle and the layout disagree on the number of fields"
    common(record.struct, data, dict(zip(record.names, values)), size=len(data))
    assert record.size == len(data)


def test_subtable_header_parity() -> None:
    common(SUBTABLE_HEADER, b"\x0b\x50", {"Type": 0x0B, "Length": 0x50}, size=2)


def test_gas_parity() -> None:
    common(GAS, struct.pack("<BBBBQ", 1, 8, 0, 1, 0xCF9), {"SpaceId": 1, "BitWidth": 8, "BitOffset": 0,
                                                         "AccessWidth": 1, "Address": 0xCF9}, size=12)


def _offset(record: Record, name: str, base: int) -> int:
    return base + record.offsets[record.names.index(name)]


# Offsets and sizes from gcc on acpica/acpica's structs (offsetof/sizeof).
@pytest.mark.parametrize("record,name,base,offset", [
    (fadt.FADT_BODY, "Facs", 36, 36), (fadt.FADT_BODY, "Dsdt", 36, 40), (fadt.FADT_BODY, "BootFlags", 36, 109),
    (fadt.FADT_BODY, "Flags", 36, 112), (fadt.FADT_BODY, "ResetRegister", 36, 116),
    (fadt.FADT_BODY, "ArmBootFlags", 36, 129), (fadt.FADT_BODY, "MinorRevision", 36, 131),
    (fadt.FADT_BODY, "XFacs", 36, 132), (fadt.FADT_BODY, "XDsdt", 36, 140),
    (fadt.FADT_BODY, "SleepControl", 36, 244), (fadt.FADT_BODY, "SleepStatus", 36, 256),
    (fadt.FADT_BODY, "HypervisorId", 36, 268),
    (madt.GICC.record, "CpuInterfaceNumber", 2, 4), (madt.GICC.record, "Uid", 2, 8),
    (madt.GICC.record, "Flags", 2, 12), (madt.GICC.record, "BaseAddress", 2, 32),
    (madt.GICC.record, "ArmMpidr", 2, 68), (madt.GICC.record, "EfficiencyClass", 2, 76),
    (madt.GICC.record, "SpeInterrupt", 2, 78),
    (madt.MP_WAKEUP.record, "MailboxVersion", 2, 2), (madt.MP_WAKEUP.record, "Reserved", 2, 4),
    (madt.MP_WAKEUP.record, "BaseAddress", 2, 8), (madt.MP_WAKEUP.record, "ResetVector", 2, 16),
    (ccel.CCEL_BODY, "CCType", 36, 36), (ccel.CCEL_BODY, "CCSubType", 36, 37),
    (ccel.CCEL_BODY, "LogAreaMinimumLength", 36, 40), (ccel.CCEL_BODY, "LogAreaStartAddress", 36, 48),
    (tdel.TDEL_BODY, "LogAreaMinimumLength", 36, 40), (tdel.TDEL_BODY, "LogAreaStartAddress", 36, 48),
    (spcr.SPCR_BODY, "InterfaceType", 36, 36), (spcr.SPCR_BODY, "SerialPort", 36, 40),
    (spcr.SPCR_BODY, "BaudRate", 36, 58),
    (rsdp.RSDP, "Revision", 0, 15), (rsdp.RSDP, "RsdtPhysicalAddress", 0, 16), (rsdp.RSDP, "Length", 0, 20),
    (rsdp.RSDP, "XsdtPhysicalAddress", 0, 24), (rsdp.RSDP, "ExtendedChecksum", 0, 32),
    (madt.MADT_FIXED, "Flags", 36, 40),
])
def test_spec_offsets(record: Record, name: str, base: int, offset: int) -> None:
    assert _offset(record, name, base) == offset


@pytest.mark.parametrize("record,total", [
    (fadt.FADT_BODY, 276 - 36), (madt.GICC.record, 88 - 2), (madt.MP_WAKEUP.record, 24 - 2),
    (ccel.CCEL_BODY, 56 - 36), (tdel.TDEL_BODY, 56 - 36), (rsdp.RSDP, 36), (facs.FACS, 64),
    (spcr.SPCR_BODY, 88 - 36), (hpet.HPET_BODY, 56 - 36), (bgrt.BGRT_BODY, 56 - 36), (mcfg.ALLOCATION, 16),
    (header.HEADER, 36), (madt.MADT_FIXED, 44 - 36), (srat.SRAT_FIXED, 48 - 36),
])
def test_spec_sizes(record: Record, total: int) -> None:
    assert record.size == total


# Whole-subtable Lengths the spec defines for each type (ACPI 6.5 §5.2.12 MADT, §5.2.16 SRAT
# tables; GICC and MP Wakeup by revision), which validation checks subtables against.
SPEC_SUBTABLE_LENGTHS = {
    madt.LOCAL_APIC: (8,), madt.IO_APIC: (12,), madt.INTERRUPT_OVERRIDE: (10,), madt.NMI_SOURCE: (8,),
    madt.LOCAL_APIC_NMI: (6,), madt.LOCAL_APIC_OVERRIDE: (12,), madt.IO_SAPIC: (16,), madt.LOCAL_SAPIC: (),
    madt.INTERRUPT_SOURCE: (16,), madt.LOCAL_X2APIC: (16,), madt.LOCAL_X2APIC_NMI: (12,),
    madt.GICC: (40, 76, 80, 82, 88), madt.GICD: (24,), madt.GIC_MSI_FRAME: (24,), madt.GICR: (16,),
    madt.GIC_ITS: (20,), madt.MP_WAKEUP: (16, 24),
    srat.CPU_AFFINITY: (16,), srat.MEMORY_AFFINITY: (40,), srat.X2APIC_CPU_AFFINITY: (24,),
    srat.GICC_AFFINITY: (18,), srat.GIC_ITS_AFFINITY: (12,), srat.GENERIC_AFFINITY: (32,),
    srat.GENERIC_PORT_AFFINITY: (32,),
}


def test_every_subtable_type_has_its_spec_lengths() -> None:
    assert set(SPEC_SUBTABLE_LENGTHS) == set(madt.SUBTABLE_TYPES) | set(srat.SUBTABLE_TYPES)
    for spec, lengths in SPEC_SUBTABLE_LENGTHS.items():
        assert spec.lengths == lengths, spec.name
        # The longest defined Length holds every declared field.
        assert not lengths or max(lengths) == 2 + spec.record.size, spec.name


@pytest.mark.parametrize("revision,size", sorted(fadt.SIZE_BY_REVISION.items()))
def test_fadt_revision_sizes_end_on_field_boundaries(revision: int, size: int) -> None:
    # Each revision's size must be a whole number of fields: that is what lets a short FADT
    # decode exactly the fields it holds.
    body = size - 36
    assert body in {off + sz for off, sz in zip(fadt.FADT_BODY.offsets, fadt.FADT_BODY.sizes)}


@pytest.mark.parametrize("length", madt.GICC.lengths)
def test_gicc_lengths_end_on_field_boundaries(length: int) -> None:
    rec = madt.GICC.record
    assert length - 2 in {off + sz for off, sz in zip(rec.offsets, rec.sizes)}


def test_prefix_parse_stops_at_whole_fields() -> None:
    rec = madt.MP_WAKEUP.record
    data = struct.pack("<HIQQ", 1, 0, 0x7F000000, 0x7F001000)
    fields, used = rec.parse(data, 0, 14)  # the 16-byte (version 0) structure's body
    assert fields == {"MailboxVersion": 1, "Reserved": 0, "BaseAddress": 0x7F000000} and used == 14
    fields, used = rec.parse(data, 0, 20)  # a cut ResetVector is not decoded
    assert "ResetVector" not in fields and used == 14
    assert rec.build(fields) == data[:14]


def test_record_build_refuses_gaps_and_unknown_names() -> None:
    from pvenum.errors import ParseError

    rec = madt.MP_WAKEUP.record
    with pytest.raises(ParseError, match="earlier field"):
        rec.build({"MailboxVersion": 0, "BaseAddress": 1})
    with pytest.raises(ParseError, match="no field"):
        rec.build({"MailboxVersion": 0, "Bogus": 1})
