"""The machine the tests run on, through the real `cpuid` tool."""

from __future__ import annotations

import subprocess

from pvtest import need_tool
from pvenum.cpuid import parse
from pvenum.platform import Platform
from pvenum.resolver import resolve_all


def test_this_machine_is_not_a_confidential_vm():
    need_tool("cpuid")
    text = subprocess.run(["cpuid", "-1", "-r"], capture_output=True, text=True, timeout=60, check=True).stdout
    dump = parse(text)
    assert dump.get(0) is not None and dump.vendor in ("AuthenticAMD", "GenuineIntel", "HygonGenuine")
    for model, d in resolve_all(Platform(cpuid=dump)).items():
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
