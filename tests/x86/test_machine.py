"""The machine the tests run on, through the real `cpuid` tool."""

from __future__ import annotations

import subprocess
from pathlib import Path

from pvtest import need_tool
from pvenum.cpuid import parse
from pvenum.platform import Platform
from pvenum.resolver import resolve_all


def runner_cvm_signs() -> list[str]:
    """What the runner's own kernel shows of a confidential VM, read without CPUID: the TDX guest
    CPU flag (X86_FEATURE_TDX_GUEST, set by tdx_early_init()), the attestation devices the guest
    drivers create (sev-guest, tdx_guest), and SEV_STATUS.SEV when the msr driver can be read."""
    signs = []
    flags = set()
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("flags"):
            flags.update(line.split(":", 1)[1].split())
            break
    if "tdx_guest" in flags:
        signs.append("/proc/cpuinfo flag tdx_guest")
    for dev in ("/dev/sev-guest", "/dev/tdx_guest", "/dev/tdx-guest"):
        if Path(dev).exists():
            signs.append(dev)
    try:
        with open("/dev/cpu/0/msr", "rb") as f:
            f.seek(0xC0010131)
            if int.from_bytes(f.read(8), "little") & 1:
                signs.append("SEV_STATUS.SEV (msr 0xc0010131[0])")
    except OSError:
        pass
    return signs


def test_this_machine_resolves_as_its_kernel_sees_itself():
    """The models on the runner's own CPUID agree with what the runner's kernel shows: a
    confidential VM where it shows one, not-confidential otherwise."""
    need_tool("cpuid")
    text = subprocess.run(["cpuid", "-1", "-r"], capture_output=True, text=True, timeout=60, check=True).stdout
    dump = parse(text)
    assert dump.get(0) is not None and dump.vendor in ("AuthenticAMD", "GenuineIntel", "HygonGenuine")
    signs = runner_cvm_signs()
    derived = resolve_all(Platform(cpuid=dump))
    if signs:
        # A CVM: Linux must not conclude "not confidential" (indeterminate is fair without SEV_STATUS).
        assert derived["linux"].mode != "not-confidential", (signs, derived["linux"].mode)
    else:
        for model, d in derived.items():
            assert d.mode == "not-confidential", (model, d.mode, [f.message for f in d.findings])


def test_this_machine_all_cpus_resolve_on_cpu0():
    need_tool("cpuid")
    text = subprocess.run(["cpuid", "-r"], capture_output=True, text=True, timeout=120, check=True).stdout
    dump = parse(text)
    assert dump.cpu0_number == 0 and len(dump.cpus) >= 1
    one = parse(subprocess.run(["cpuid", "-1", "-r"], capture_output=True, text=True, timeout=60).stdout)
    # Leaves that do not depend on the CPU a thread runs on agree between the two captures.
    for leaf in (0x0, 0x80000000, 0x8000001F, 0x40000000):
        assert dump.get(leaf) == one.get(leaf)
