"""The two x86 behaviours of the systemd model on the inputs where they part, each expectation
taken from the real program.

- v257..v261: Debian's systemd 257.13-1~deb13u1 src/basic/confidential-virt.c, detect_tdx():
  leaf 0x21 is read only when 0x80000000.EAX >= 0x21 (make crosscheck compiles that source).
- v262: Debian's systemd 262.1-1 (sid) amd64, `systemd-detect-virt --cvm` with
  libsystemd-shared-262.so, run by make crosscheck with SYSTEMD_LOG_LEVEL=debug: it logs CPUID
  0x1, 0x0, then 0x21 on an Intel platform whose max basic leaf is 0xd, prints "tdx" when 0x21
  spells "IntelTDX    " and exits 0 (crosscheck/RESULTS.md).
"""

from __future__ import annotations

import pytest

from pvenum.cpuid.model import CpuidDump
from pvenum.platform import Platform
from pvenum.resolver.models import systemd


def _str_regs(text: str) -> tuple[int, int, int]:
    """A 12-byte signature as the three registers CPUID returns it in, in that order."""
    raw = text.encode()
    return tuple(int.from_bytes(raw[i:i + 4], "little") for i in (0, 4, 8))  # type: ignore[return-value]


def _intel(max_basic: int, max_ext: int, tdx_leaf: bool) -> Platform:
    ebx, edx, ecx = _str_regs("GenuineIntel")
    leaves = {
        (0x0, 0): (max_basic, ebx, ecx, edx),
        (0x1, 0): (0x806F8, 0, 1 << 31, 0),  # the hypervisor bit
        (0x80000000, 0): (max_ext, 0, 0, 0),
    }
    if tdx_leaf:
        tb, td, tc = _str_regs("IntelTDX    ")  # read as ebx, edx, ecx
        leaves[(0x21, 0)] = (0, tb, tc, td)
    return Platform(arch="x86_64", cpuid=CpuidDump.from_leaves(leaves))


def _cpuid_reads(d) -> set[str]:
    return {ev.source for ev in d.evidence if ev.source.startswith("cpuid 0x00000021")}


@pytest.mark.parametrize("max_basic", [0xD, 0x20, 0x21])
def test_v262_reads_leaf_0x21_whatever_the_max_leaves(max_basic):
    p = _intel(max_basic, 0x80000008, tdx_leaf=True)
    d = systemd.derive(p, version=262)
    assert (d.output, d.mode) == ("tdx", "confidential")
    assert _cpuid_reads(d), "the 0x21 read must be in the evidence"
    status = [ev.value for ev in d.evidence if ev.source == "systemd-detect-virt --cvm exit status"]
    assert status == [0]


def test_v257_reads_leaf_0x21_only_past_the_extended_max():
    # 0x80000000.EAX = 0x80000008 >= 0x21: the (extended) gate passes, the signature is read.
    assert systemd.derive(_intel(0xD, 0x80000008, True), version=257).output == "tdx"
    # 0x80000000.EAX = 0x20 < 0x21: "none" without reading 0x21, even though it spells IntelTDX.
    d = systemd.derive(_intel(0x21, 0x20, True), version=257)
    assert d.output == "none" and not _cpuid_reads(d)
    # v262 on the same platform reads it and says "tdx".
    assert systemd.derive(_intel(0x21, 0x20, True), version=262).output == "tdx"


def test_v262_without_the_signature_is_none():
    d = systemd.derive(_intel(0xD, 0x80000008, tdx_leaf=False), version=262)
    assert d.output == "none" and _cpuid_reads(d)
