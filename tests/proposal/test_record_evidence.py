"""The proposal derivation's evidence holds every input of the records it decoded.

The services the derivation reports are described from each interface's kind, version, param0
and param1 (Interface.describe()), and the record's version is read too: each channel that
carries a record names those reads exactly — the CPUID leaf, register and bits, the DT
property, the PVSR field — with the value the decoded record holds.
"""

from __future__ import annotations

from functools import cache

import pytest

from pvenum.acpi.layouts import pvsr
from pvenum.proposal import acpi_encoding, cpuid_encoding, dt_encoding
from pvenum.proposal.codes import INTERFACE_BY_NAME
from pvenum.resolver import resolve
from pvenum.scenario.catalog import names
from pvenum.target import load_target


def _cpuid_reads(platform, record):
    base = cpuid_encoding.find_base(platform.cpuid)
    leaf = lambda offset: f"cpuid 0x{base + offset:08x}"  # noqa: E731
    want = {f"{leaf(1)}.eax": record.version}
    for offset, (name, iface) in enumerate(record.services().items(), start=2):
        if iface is not None:
            want |= {f"{leaf(offset)}.eax[7:0]": INTERFACE_BY_NAME[iface.kind],
                     f"{leaf(offset)}.eax[15:8]": iface.version,
                     f"{leaf(offset)}.ebx": iface.param0 & 0xFFFFFFFF,
                     f"{leaf(offset)}.ecx": iface.param0 >> 32,
                     f"{leaf(offset)}.edx": iface.param1}
    return want


def _dt_reads(platform, record):
    node = dt_encoding.find_nodes(platform.fdt)[0]
    want = {f"dt {node.path}:version": record.version}
    for name, iface in record.services().items():
        if iface is not None:
            want |= {f"dt {node.path}/{name}:{prop}": value for prop, value in iface.to_dict().items()}
    return want


def _acpi_reads(platform, record):
    want = {"acpi PVSR.RecordVersion": record.version}
    for name, iface in record.services().items():
        if iface is not None:
            key = f"acpi PVSR.{pvsr.INTERFACE_FIELDS[name]}"
            want |= {f"{key}.Kind": INTERFACE_BY_NAME[iface.kind], f"{key}.Version": iface.version,
                     f"{key}.Param0": iface.param0, f"{key}.Param1": iface.param1}
    return want


CHANNELS = {
    "cpuid": (lambda p: cpuid_encoding.decode(p.cpuid) if p.cpuid is not None else None, _cpuid_reads),
    "dt": (dt_encoding.decode_platform, _dt_reads),
    "acpi": (acpi_encoding.decode_platform, _acpi_reads),
}


@cache
def _scenarios(channel: str) -> tuple[str, ...]:
    """The catalog scenarios whose proposal derivation has a record in ``channel``."""
    decode = CHANNELS[channel][0]
    out = []
    for target in names():
        platform = load_target(target).platform
        dec = decode(platform)
        if dec is None or dec.record is None:
            continue
        if dec.where in resolve(platform, "proposal").output["record_channels"]:
            out.append(target)
    return tuple(out)


@pytest.mark.parametrize("channel", sorted(CHANNELS))
def test_evidence_holds_the_record_and_every_offered_interface(channel):
    decode, reads = CHANNELS[channel]
    scenarios = _scenarios(channel)
    assert scenarios, f"no catalog scenario carries a record in {channel}"
    offered = 0
    for target in scenarios:
        platform = load_target(target).platform
        record = decode(platform).record
        evidence = {e.source: e.value for e in resolve(platform, "proposal").evidence}
        want = reads(platform, record)
        got = {source: evidence.get(source, "(not in the evidence)") for source in want}
        assert got == want, (target, channel)
        offered += sum(iface is not None for iface in record.services().values())
    assert offered, f"no scenario with a record in {channel} offers a service"
