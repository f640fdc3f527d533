"""A kvm_cpuid2 entry's flags word is part of the platform: textconv, diff and inspect show it.

KVM matches an entry without KVM_CPUID_FLAG_SIGNIFCANT_INDEX (bit 0, include/uapi/linux/kvm.h)
whatever ECX the guest asks with (torvalds/linux arch/x86/kvm/cpuid.c: cpuid_entry2_find,
behind kvm_find_cpuid_entry_index), so two buffers differing only there are two platforms.
The layout read here by hand is struct kvm_cpuid_entry2 (Documentation/virt/kvm/api.rst):
function, index, flags, eax..edx, padding[3], 40 bytes after the 8-byte header.
"""

from __future__ import annotations

import json
import struct
from pathlib import Path

import pytest

from pvenum.commands.textconv import textconv_lines


def _flags_of(data: bytes, key: tuple[int, int]) -> int:
    for i in range(struct.unpack_from("<I", data)[0]):
        fn, idx, fl = struct.unpack_from("<III", data, 8 + 40 * i)
        if (fn, idx) == key:
            return fl
    raise KeyError(key)


def _with_flags(data: bytes, key: tuple[int, int], flags: int) -> bytes:
    out = bytearray(data)
    for i in range(struct.unpack_from("<I", out)[0]):
        if struct.unpack_from("<II", out, 8 + 40 * i) == key:
            struct.pack_into("<I", out, 8 + 40 * i + 8, flags)
            return bytes(out)
    raise KeyError(key)


@pytest.fixture
def pair(built, tmp_path) -> tuple[Path, Path]:
    """snp's cpuid.kvm as built, and a copy whose entry 7.0 lost its flags word."""
    data = (built["snp"] / "cpuid.kvm").read_bytes()
    assert _flags_of(data, (7, 0)) == 1  # leaf 7 is indexed: KVM sets the flag (cpuid.c do_cpuid_func)
    a, b = tmp_path / "a.kvm", tmp_path / "b.kvm"
    a.write_bytes(data)
    b.write_bytes(_with_flags(data, (7, 0), 0))
    return a, b


def test_textconv_shows_the_flags_word(pair):
    a, b = (list(textconv_lines(str(p))) for p in pair)
    assert "cpuid 0x00000007.0 flags = 0x1 (SIGNIFCANT_INDEX)" in a
    assert "cpuid 0x00000007.0 flags = 0x0" in b
    assert [x for x in a if x not in b] == ["cpuid 0x00000007.0 flags = 0x1 (SIGNIFCANT_INDEX)"]


def test_diff_reports_the_flags_word(pair, cli):
    r = cli("diff", "--exit-code", "--format", "json", *map(str, pair))
    assert r.returncode == 1, r.stderr
    raw = json.loads(r.stdout)["raw"]
    assert raw == {"cpuid": [{"field": "cpuid 0x00000007.0 flags", "a": "0x1 (SIGNIFCANT_INDEX)", "b": "0x0"}]}


def test_inspect_shows_the_flags_word(pair, cli):
    a, b = pair
    for path, want in ((a, 1), (b, 0)):
        r = cli("inspect", "--json", str(path))
        assert r.returncode == 0, r.stderr
        leaves = json.loads(r.stdout)["leaves"]
        data = path.read_bytes()
        # Every entry's own flags word, as the buffer holds it.
        assert all(l["flags"] == _flags_of(data, (l["leaf"], l["subleaf"])) for l in leaves)
        assert next(l for l in leaves if (l["leaf"], l["subleaf"]) == (7, 0))["flags"] == want
    r = cli("inspect", str(a))
    assert r.returncode == 0, r.stderr
    text = r.stdout.decode()
    assert "┃ flags" in text and "0x1 (SIGNIFCANT_INDEX)" in text


def test_formats_without_flags_are_unchanged(built, cli):
    """`cpuid -r` text has no flags word: no flags line, key or column, and against its
    kvm_cpuid2 twin (same registers) the missing flags are no difference."""
    cpuid_r = built["snp"] / "cpuid"
    assert not [x for x in textconv_lines(str(cpuid_r)) if " flags = " in x]
    r = cli("inspect", "--json", str(cpuid_r))
    assert all("flags" not in l for l in json.loads(r.stdout)["leaves"])
    assert "┃ flags" not in cli("inspect", str(cpuid_r)).stdout.decode()
    r = cli("diff", "--exit-code", "--format", "json", str(cpuid_r), str(built["snp"] / "cpuid.kvm"))
    assert r.returncode == 0, r.stdout
