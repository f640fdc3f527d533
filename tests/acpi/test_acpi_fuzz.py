"""Hypothesis and mutation fuzzing of every ACPI reader: binary tables (RSDP and FACS
included), acpidump text and memory images. Hostile input may only raise ParseError or
LimitError, never hang, and whatever parses must rebuild to the same bytes and survive every
consumer (leaves, JSON, textconv, validation).

Sizes scale with PVENUM_SLOW_SCALE (``make test`` runs them small; set it to 1 for full runs).
"""

from __future__ import annotations

import json
import struct

import pytest
from acpi_helpers import fixture_files, scaled
from pvtest import with_checksum
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pvenum.acpi import (
    build_table,
    builders,
    parse_table,
    read_acpidump,
    write_acpidump,
)
from pvenum.acpi.constants import FADT_HW_REDUCED_ACPI
from pvenum.acpi.artifact import AcpiArtifact, validate
from pvenum.acpi.memory import layout, read_memory
from pvenum.acpi.validate import check_table
from pvenum.errors import LimitError, ParseError
from pvenum.proposal import acpi_encoding
from pvenum.proposal.record import Interface, ParavisorServices

SEEDS: list[bytes] = [p.read_bytes() for p in fixture_files()] + [
    builders.fadt(hypervisor_id="MsHyperV").to_bytes(),
    builders.madt([builders.gicc(0, length=88), builders.gicd(base_address=0x1000),
                   builders.mp_wakeup(mailbox_address=0x1000, version=1, reset_vector=0x2000),
                   builders.local_x2apic(1, 1)]).to_bytes(),
    builders.ccel(log_area_minimum_length=1, log_area_start_address=2).to_bytes(),
    builders.tdel(log_area_minimum_length=1, log_area_start_address=2).to_bytes(),
    builders.rsdp(xsdt_address=0x1000).to_bytes(),
    builders.rsdp(rsdt_address=0x1000, revision=0).to_bytes(),
    builders.facs().to_bytes(),
    builders.sdt("SLIT", 1, {"LocalityCount": 3, "Entry": [[10, 20, 30], [20, 10, 20], [30, 20, 10]]}).to_bytes(),
    acpi_encoding.encode(ParavisorServices(isolation="tdx", shared_gpa_boundary_bits=47,
                                           vtpm=Interface("mmio", param0=0xFED40000, param1=0x5000))).to_bytes(),
]

SETTINGS = dict(deadline=2000, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
                derandomize=True)


def _consume(data: bytes) -> None:
    """Parse; if it parses, everything downstream must work and the bytes must come back."""
    try:
        table = parse_table(data)
    except (ParseError, LimitError):
        return
    assert build_table(table) == data
    list(table.leaves())
    art = AcpiArtifact(table, "fuzz", "FUZZ")
    json.dumps(art.to_json())
    list(art.textconv())
    check_table(table, data, label=art.label)


@st.composite
def mutated(draw) -> bytes:
    data = bytearray(draw(st.sampled_from(SEEDS)))
    for _ in range(draw(st.integers(0, 6))):
        op = draw(st.sampled_from(["flip", "length", "sublen", "cut", "grow"]))
        if op == "flip" and data:
            data[draw(st.integers(0, len(data) - 1))] = draw(st.integers(0, 255))
        elif op == "length" and len(data) >= 8:
            data[4:8] = struct.pack("<I", draw(st.sampled_from([0, 1, 35, 36, 44, len(data) - 1, len(data),
                                                                 len(data) + 1, 0xFFFFFFFF])))
        elif op == "sublen" and len(data) > 46:
            data[draw(st.integers(36, len(data) - 1))] = draw(st.sampled_from([0, 1, 2, 0xFF]))
        elif op == "cut":
            del data[draw(st.integers(0, len(data))):]
        elif op == "grow":
            data += draw(st.binary(max_size=64))
    if draw(st.booleans()) and len(data) >= 10 and data[:8] != b"RSD PTR ":
        return with_checksum(data)
    return bytes(data)


@pytest.mark.slow
@settings(max_examples=scaled(4000, 200), **SETTINGS)
@given(mutated())
def test_mutated_tables(data: bytes) -> None:
    _consume(data)


@pytest.mark.slow
@settings(max_examples=scaled(2000, 100), **SETTINGS)
@given(st.binary(max_size=300))
def test_random_bytes(data: bytes) -> None:
    _consume(data)


@pytest.mark.slow
@settings(max_examples=scaled(2000, 100), **SETTINGS)
@given(st.sampled_from([b"RSD PTR ", b"FACS", b"APIC", b"SLIT", b"XSDT", b"FACP", b"SRAT", b"S3PT", b"DMAR",
                        b"IVRS", b"IORT", b"VIOT", b"KEYP", b"HEST", b"DBG2", b"TCPA", b"GTDT"]),
       st.binary(max_size=120))
def test_signature_prefixed_bytes(signature: bytes, rest: bytes) -> None:
    # Random bodies behind every special signature (RSDP, FACS, the short-header S3PT ...).
    _consume(signature + rest)


_DUMP = write_acpidump([(s, 0x1000 * i) for i, s in enumerate(SEEDS[:6])])


@st.composite
def mutated_dump(draw) -> str:
    lines = _DUMP.splitlines()
    for _ in range(draw(st.integers(1, 6))):
        i = draw(st.integers(0, len(lines) - 1))
        op = draw(st.sampled_from(["drop", "dup", "edit", "insert"]))
        if op == "drop":
            del lines[i]
        elif op == "dup":
            lines.insert(i, lines[i])
        elif op == "edit" and lines[i]:
            j = draw(st.integers(0, len(lines[i]) - 1))
            lines[i] = lines[i][:j] + draw(st.sampled_from(list("0123456789abcdefABCDEF :@x\t.Z"))) + lines[i][j + 1:]
        else:
            lines.insert(i, draw(st.text(alphabet="0123456789ABCDEF :@xRSDPT\t", max_size=60)))
    return "\n".join(lines)


@pytest.mark.slow
@settings(max_examples=scaled(2000, 100), **SETTINGS)
@given(mutated_dump())
def test_mutated_acpidump_text(text: str) -> None:
    try:
        dumped = read_acpidump(text)
    except (ParseError, LimitError):
        return
    for d in dumped:
        assert build_table(d.table) == d.table.to_bytes()
    validate(text.encode(), "dump.txt", "acpidump")


_IMAGE = layout([builders.fadt(flags=FADT_HW_REDUCED_ACPI), builders.facs(), builders.aml_table("DSDT"),
                 builders.madt([builders.local_apic(0, 0)])], base=0x10000)


@pytest.mark.slow
@settings(max_examples=scaled(2000, 100), **SETTINGS)
@given(st.lists(st.tuples(st.integers(0, len(_IMAGE.data) - 1), st.integers(0, 255)), max_size=8))
def test_mutated_memory_images(edits: list[tuple[int, int]]) -> None:
    data = bytearray(_IMAGE.data)
    for off, value in edits:
        data[off] = value
    try:
        tables = read_memory(bytes(data), _IMAGE.base)
    except (ParseError, LimitError):
        return
    for t in tables:
        assert parse_table(t.to_bytes()).to_bytes() == t.to_bytes()


def test_every_seed_parses_and_round_trips() -> None:
    # The fuzzers start from valid inputs; make sure they are.
    for seed in SEEDS:
        assert build_table(parse_table(seed)) == seed
