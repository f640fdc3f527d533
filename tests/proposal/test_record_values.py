"""The record's interface is a checked, immutable value, and every hypervisor signature the
models record is the bytes of the dump's own registers — whichever way pvenum reads them (the
platform's one scan of the hypervisor bases, or the registers directly)."""

from __future__ import annotations

import pickle
import re
import struct

import pytest

from pvenum.errors import ScenarioError
from pvenum.proposal.record import Interface, ParavisorServices
from pvenum.resolver import resolve, resolve_all
from pvenum.scenario import catalog

# cpuid_base_hypervisor() (torvalds/linux arch/x86/include/asm/cpuid/api.h) compares the 12
# bytes of ebx, ecx, edx as stored little-endian: memcmp(signature, &regs[1], 12).
_SIGNATURE_SOURCE = re.compile(r"cpuid 0x([0-9a-f]{8})\.ebx,ecx,edx")


@pytest.mark.parametrize("name", catalog.names())
def test_every_recorded_hypervisor_signature_is_the_dumps_registers(name: str) -> None:
    platform = catalog.get(name).platform()
    dump = platform.cpuid
    for models in (resolve_all(platform), {m: resolve(catalog.get(name).platform(), m) for m in ("systemd", "proposal")}):
        for model, d in models.items():
            for e in d.evidence:
                m = _SIGNATURE_SOURCE.fullmatch(e.source)
                if m is None:
                    continue
                regs = dump.get(int(m.group(1), 16))
                expected = None if regs is None else struct.pack("<3I", regs[1], regs[2], regs[3]).decode("latin-1")
                assert e.value == expected, (model, e)


def test_azure_signature_reads_name_hyperv_in_each_model() -> None:
    # "Microsoft Hv" at 0x40000000 (include/hyperv/hvgdk_mini.h HV_PARTITION_... vendor leaf):
    # systemd's detect_vm_cpuid() and the proposal's detect_hypervisor_vendor() read it there.
    ds = resolve_all(catalog.get("azure-snp-paravisor").platform())
    for model in ("systemd", "proposal"):
        assert ("cpuid 0x40000000.ebx,ecx,edx", "Microsoft Hv") in {(e.source, e.value) for e in ds[model].evidence}, model
    assert ds["systemd"].hypervisor == ds["proposal"].hypervisor == ds["virt-what"].hypervisor == "hyperv"


# The draft record's interface (docs/proposal.md: kind code, version u8, param0 u64, param1 u32).
@pytest.mark.parametrize("bad", [
    dict(kind="doorbell"), dict(kind="mmio", version=256), dict(kind="mmio", version=-1),
    dict(kind="mmio", param0=1 << 64), dict(kind="mmio", param1=1 << 32), dict(kind="mmio", param0=-1),
])
def test_interface_refuses_what_the_encodings_cannot_carry(bad: dict) -> None:
    with pytest.raises(ScenarioError):
        Interface(**bad)
    with pytest.raises(ScenarioError):  # a copy with one value changed is checked as well
        Interface("mmio")._replace(**bad)


def test_interface_is_an_immutable_value() -> None:
    iface = Interface("mmio", 1, 0xFED40000, 0x5000)
    assert iface == Interface(kind="mmio", version=1, param0=0xFED40000, param1=0x5000)
    assert (iface.kind, iface.version, iface.param0, iface.param1) == ("mmio", 1, 0xFED40000, 0x5000)
    assert Interface("hypercall") == Interface("hypercall", 1, 0, 0)  # the defaults
    with pytest.raises(AttributeError):
        iface.version = 2  # type: ignore[misc]
    assert pickle.loads(pickle.dumps(iface)) == iface and hash(iface) == hash(Interface("mmio", 1, 0xFED40000, 0x5000))
    assert repr(iface) == "Interface(kind='mmio', version=1, param0=4275306496, param1=20480)"
    with pytest.raises(ScenarioError):
        Interface.from_dict({"kind": "mmio", "param1": 1 << 32}, key="vtpm")
    record = ParavisorServices(isolation="tdx", vtpm=iface)
    assert pickle.loads(pickle.dumps(record)) == record and record.with_(vtpm=None).vtpm is None
    with pytest.raises(AttributeError):
        record.isolation = "vbs"  # type: ignore[misc]
