"""Hostile input for every CPUID reader: only pvenum's own errors, never a traceback or a hang."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pvtest import GENOA_FINGERPRINT, SLOW_SCALE
from pvenum.cpuid import aida64, cpuid_r, firecracker, kvm, toml_io
from pvenum.cpuid.model import CpuidDump
from pvenum.errors import PvenumError
from pvenum.formats import load_bytes
from pvenum.platform_toml import parse_platform_toml

DATA = Path(__file__).resolve().parents[1] / "data"
SEEDS = {
    "cpuid-r": (DATA / "cpuid" / "kvm-amd-zen5.cpuid").read_bytes(),
    "kvm_cpuid2": kvm.write(cpuid_r.parse((DATA / "cpuid" / "firecracker-c3-xen-intel.cpuid").read_bytes())),
    "firecracker": (DATA / "cpuid" / "firecracker-T2S.json").read_bytes(),
    "toml": toml_io.write(cpuid_r.parse((DATA / "cpuid" / "kvm-amd-zen5.cpuid").read_bytes())).encode(),
    "platform": (DATA / "x86" / "rows" / "snp-svsm" / "platform.toml").read_bytes(),
    "cpuid-r-pasted": (DATA / "cpuid" / "pasted" / "kvm-list-2020-03-03-reply.txt").read_bytes(),
    "aida64": (DATA / "cpuid" / "instlatx64" / "AuthenticAMD0660F01_K15_Carrizo_CPUID2.txt").read_bytes(),
    "fingerprint": (GENOA_FINGERPRINT).read_bytes(),
}
READERS = {
    "cpuid-r": cpuid_r.parse,
    "kvm_cpuid2": kvm.parse,
    "firecracker": firecracker.parse,
    "toml": toml_io.parse,
    "platform": parse_platform_toml,
    "cpuid-r-pasted": cpuid_r.parse_capture,
    "aida64": aida64.parse,
    "fingerprint": firecracker.parse_fingerprint,
}
EXAMPLES = max(20, int(2000 * SLOW_SCALE))


def _mutate(seed: bytes, data: st.DataObject) -> bytes:
    blob = bytearray(seed)
    for _ in range(data.draw(st.integers(1, 8))):
        op = data.draw(st.sampled_from(["flip", "cut", "dup", "insert"]))
        if not blob:
            break
        i = data.draw(st.integers(0, len(blob) - 1))
        if op == "flip":
            blob[i] ^= 1 << data.draw(st.integers(0, 7))
        elif op == "cut":
            del blob[i:i + data.draw(st.integers(1, 64))]
        elif op == "dup":
            blob[i:i] = blob[i:i + data.draw(st.integers(1, 64))]
        else:
            blob[i:i] = data.draw(st.binary(min_size=1, max_size=16))
    return bytes(blob)


@pytest.mark.parametrize("name", sorted(READERS))
@settings(max_examples=EXAMPLES, deadline=1000, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_mutated_seeds_raise_only_our_errors(name, data):
    blob = _mutate(SEEDS[name], data)
    try:
        READERS[name](blob)
    except PvenumError:
        pass
    try:  # the generic path (detection + artifact) as the CLI uses it
        for art in load_bytes(blob, "fuzz"):
            art.to_json()
            list(art.textconv())
    except PvenumError:
        pass


@settings(max_examples=EXAMPLES, deadline=1000)
@given(st.binary(max_size=512))
def test_random_bytes_detection_and_readers(blob):
    for reader in READERS.values():
        try:
            reader(blob)
        except PvenumError:
            pass
    try:
        load_bytes(blob, "fuzz")
    except PvenumError:
        pass


@settings(max_examples=EXAMPLES, deadline=None)
@given(st.dictionaries(st.tuples(st.integers(0, 0xFFFFFFFF), st.integers(0, 0xFF)),
                       st.tuples(*[st.integers(0, 0xFFFFFFFF)] * 4), max_size=40))
def test_any_dump_round_trips_through_every_writer(leaves):
    dump = CpuidDump({0: leaves})
    assert cpuid_r.parse(cpuid_r.write(dump)).cpu0() == dump.cpu0() if leaves else True
    assert kvm.parse(kvm.write(dump)).cpu0() == dump.cpu0()
    assert toml_io.parse(toml_io.write(dump))[0].cpu0() == dump.cpu0()
    assert firecracker.parse(firecracker.template_full(dump).dumps()).as_dump().cpu0() == dump.cpu0()


def test_cli_error_is_one_line_and_exit_3(cli, tmp_path):
    bad = tmp_path / "bad.kvm"
    bad.write_bytes((3).to_bytes(4, "little") + bytes(4) + bytes(40 * 3 - 1) + b"\x07")
    bad.write_bytes(bad.read_bytes()[:-40])  # nent says 3, only 2 entries' worth of bytes
    proc = cli("inspect", str(bad))
    assert proc.returncode == 3
    err = proc.stderr.decode()
    assert err.count("\n") == 1 and err.startswith(f"pvenum: error: {bad}: ")
    # kvm_cpuid2 detection needs the exact size, so this is reported as unrecognised content;
    # forcing the format gives the kvm_cpuid2 error with its offset.
    proc = cli("inspect", "--format", "kvm_cpuid2", str(bad))
    assert proc.returncode == 3
    line = proc.stderr.decode()
    assert line.count("\n") == 1
    assert line.startswith(f"pvenum: error: {bad}: kvm_cpuid2 at offset 0x")


def test_cli_cpuid_text_error_names_line_and_offset(cli, tmp_path):
    bad = tmp_path / "bad.cpuid"
    bad.write_text("CPU:\n   0x00000000 0x00: eax=0x0000000d ebx=0x756e6547 ecx=0x6c65746e edx=0x49656e69\n   garbage\n")
    # Read as pasted by default (the line is named as skipped); --strict refuses it.
    proc = cli("resolve", str(bad))
    assert proc.returncode == 0
    assert f"{bad}: skipped 1 line that is not a row: 3" in " ".join(proc.stdout.decode().split())
    proc = cli("resolve", "--strict", str(bad))
    assert proc.returncode == 3
    assert proc.stderr.decode() == f"pvenum: error: {bad}: cpuid-r at offset 0x55: line 3: not a cpuid -r row: 'garbage'\n"
