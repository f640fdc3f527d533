"""The Linux x86 model's hypervisor probes read the platform's one base scan instead of the
registers again: they must find what the kernel's probe loop finds and record exactly the reads
the generic CPUID reads would. The reference is the kernel loop itself, written out here from
torvalds/linux arch/x86/include/asm/cpuid/api.h: cpuid_base_hypervisor():

    for_each_possible_cpuid_base_hypervisor(base) {      /* 0x40000000..0x4000ff00, step 0x100 */
        cpuid(base, &eax, &signature[0], &signature[1], &signature[2]);
        if (!memcmp(sig, signature, 12) && (leaves == 0 || ((eax - base) >= leaves)))
            return base;
    }
    return 0;
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from pvenum.cpuid.model import CpuidDump
from pvenum.platform import Platform
from pvenum.resolver import x86
from pvenum.resolver.engine import Ctx, Rule, materialise
from pvenum.scenario import catalog
from pvenum.target import load_target

ROWS = Path(__file__).resolve().parents[1] / "data" / "linux" / "rows"
# Every signature a Linux .detect probes for (arch/x86/kernel/cpu/*.c), with the leaves it asks.
PROBES = [("XenVMMXenVMM", 2), ("KVMKVMKVM\0\0\0", 0), ("Jailhouse\0\0\0", 0), ("ACRNACRNACRN", 0),
          ("bhyve bhyve ", 0), ("Microsoft Hv", 0), ("VMwareVMware", 0)]


def _kernel_base(dump: CpuidDump, sig: str, leaves: int) -> int:
    for base in range(0x40000000, 0x40010000, 0x100):
        regs = dump.get(base)
        if regs is None:
            continue  # an absent leaf answers zeros: no signature matches them
        eax, ebx, ecx, edx = regs
        text = b"".join(r.to_bytes(4, "little") for r in (ebx, ecx, edx)).decode("latin-1")
        if text == sig and (leaves == 0 or ((eax - base) & 0xFFFFFFFF) >= leaves):
            return base
    return 0


def _platforms() -> list[tuple[str, Platform]]:
    out = [(name, catalog.get(name).platform()) for name in catalog.names()]
    out += [(row.name, load_target(str(row)).platform) for row in sorted(ROWS.iterdir()) if row.is_dir()]
    return [(name, p) for name, p in out if p.cpuid is not None]


def _evidence(ctx: Ctx) -> list[tuple[str, object, str | None]]:
    evidence, _ = materialise([(Rule("t", "c", "t", lambda c, s: None), ctx._reads, None)])
    return [(e.source, e.value, e.name) for e in evidence]


@pytest.mark.parametrize(("name", "platform"), _platforms(), ids=lambda v: v if isinstance(v, str) else "")
def test_probes_find_what_the_kernel_loop_finds_with_the_same_evidence(name: str, platform: Platform) -> None:
    scan = x86.hypervisor_scan(Ctx(platform))
    for sig, leaves in PROBES:
        probe = x86.base_probe(sig, leaves, "probe()")
        assert x86.probe_base(Ctx(platform), scan, probe) == _kernel_base(platform.cpuid, sig, leaves), sig
    # The signature a rule reads at a base (note_signature) is the read cpuid_text() makes.
    present = [base for base, _, _ in scan.found]
    for base in {0x40000000, 0x4000FF00, *present}:
        generic, direct = Ctx(platform), Ctx(platform)
        value = generic.cpuid_text(base, ("ebx", "ecx", "edx"), name="sig")
        assert x86.note_signature(direct, base, "sig") == value
        assert _evidence(direct) == _evidence(generic)


def test_set_bits_are_the_bits_a_64_step_scan_finds() -> None:
    rng = random.Random(15)
    for mask in [0, 1, 1 << 63, (1 << 64) - 1, 1 << 64, 0b1011 << 60] + [rng.getrandbits(70) for _ in range(500)]:
        assert x86.set_bits(mask) == [b for b in range(64) if mask >> b & 1]


def test_a_detect_priority_of_zero_never_wins() -> None:
    # torvalds/linux arch/x86/kernel/cpu/hypervisor.c: detect_hypervisor_vendor() keeps a
    # .detect() only when ``pri > max_pri``, max_pri starting at 0; bhyve_detect()
    # (arch/x86/kernel/cpu/bhyve.c) returns the bhyve base's max leaf as its priority, so a
    # max leaf of 0 leaves the guest native. With a real max leaf bhyve wins.
    from pvenum.cpuid.model import str_to_regs
    from pvenum.resolver import resolve

    ebx, ecx, edx = str_to_regs("bhyve bhyve ")
    genu, inei, ntel = str_to_regs("GenuineIntel")  # leaf 0 spells it in ebx, edx, ecx

    def platform(max_leaf: int) -> Platform:
        leaves = {(0x0, 0): (0xD, genu, ntel, inei), (0x1, 0): (0, 0, 1 << 31, 0),
                  (0x40000000, 0): (max_leaf, ebx, ecx, edx)}
        return Platform(arch="x86_64", cpuid=CpuidDump.from_leaves(leaves))

    assert resolve(platform(0), "linux").hypervisor == "unknown"
    assert resolve(platform(0x40000001), "linux").hypervisor == "bhyve"
