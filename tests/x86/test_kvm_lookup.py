"""A dump that states KVM flags answers CPUID as KVM's lookup does, entry by entry.

The reference is KVM's own loop (torvalds/linux arch/x86/kvm/cpuid.c kvm_find_cpuid_entry2,
read in Linux 7.2.8; cpuid_entry2_find in earlier releases), written out again below: walk the
entries in array order, skip those of another function, and take the first that either lacks
KVM_CPUID_FLAG_SIGNIFCANT_INDEX (bit 0, arch/x86/include/uapi/asm/kvm.h) or has the asked
index. The buffers are struct kvm_cpuid2 (Documentation/virt/kvm/api.rst): nent, padding, then
40-byte entries of function, index, flags, eax, ebx, ecx, edx, padding[3].
"""

from __future__ import annotations

import json
import re
import struct
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from pvenum.cpuid import cpuid_r, firecracker, kvm
from pvenum.cpuid.model import CpuidDump

DATA = Path(__file__).resolve().parents[1] / "data"

Entry = tuple[int, int, int, tuple[int, int, int, int]]  # function, index, flags, registers


def buffer(entries: list[Entry]) -> bytes:
    out = struct.pack("<II", len(entries), 0)
    for fn, idx, fl, regs in entries:
        out += struct.pack("<10I", fn, idx, fl, *regs, 0, 0, 0)
    return out


def entries_of(data: bytes) -> list[Entry]:
    """The entries of a kvm_cpuid2 buffer, in array order (the inverse of :func:`buffer`)."""
    return [(fn, idx, fl, (a, b, c, d)) for fn, idx, fl, a, b, c, d, *_ in struct.iter_unpack("<10I", data[8:])]


def kvm_answer(entries: list[Entry], function: int, index: int):
    """KVM's kvm_find_cpuid_entry2 over ``entries`` in their array order."""
    for fn, idx, fl, regs in entries:
        if fn != function:
            continue
        if not fl & 1 or idx == index:
            return regs
    return None


def test_an_entry_without_the_flag_answers_every_subleaf_first_match_winning():
    r70, r71, rd0, rd1, rb0, rb1 = ((n, n, n, n) for n in range(1, 7))
    entries = [
        (7, 0, 0, r70), (7, 1, 1, r71),  # 7.0 unflagged first: it answers 7.1 too
        (0xD, 0, 1, rd0), (0xD, 1, 0, rd1),  # 0xD.1 unflagged: answers every subleaf but 0
        (0xB, 1, 1, rb1), (0xB, 0, 0, rb0),  # 0xB.1 flagged and first: answers 1; 0xB.0 the rest
    ]
    dump = kvm.parse(buffer(entries))
    assert dump.get(7, 1) == r70 and dump.get(7, 0) == r70 and dump.get(7, 9) == r70
    assert dump.get(0xD, 0) == rd0 and dump.get(0xD, 1) == rd1 and dump.get(0xD, 5) == rd1
    assert dump.get(0xB, 1) == rb1 and dump.get(0xB, 0) == rb0 and dump.get(0xB, 3) == rb0
    assert dump.get(2, 0) is None
    for fn, idx in ((7, 1), (0xD, 5), (0xB, 1), (0xB, 3)):
        assert dump.get(fn, idx) == dump.get(fn, idx, cpu=0) == kvm_answer(entries, fn, idx)
    assert dump.get(7, 1, cpu=1) is None  # no such CPU
    # Edited in place, against the grain (edits return new dumps): indexed again all the same.
    dump.cpu0()[(6, 0)] = (8, 8, 8, 8)  # no flags stated: leaf 6 ignores ECX (kvm_flags)
    assert dump.get(6, 3) == (8, 8, 8, 8) == dump.get(6, 3, cpu=0)
    dump.flags = {**dump.flags, (7, 0): 1}  # 7.0 flagged now: 7.1 answers for itself
    assert dump.get(7, 1) == r71 and dump.get(7, 9) is None


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.sampled_from((1, 7, 0xD)), st.integers(0, 2), st.integers(0, 1)),
                max_size=8, unique_by=lambda e: (e[0], e[1])),
       st.sampled_from((1, 7, 0xD)), st.integers(0, 2), st.integers(0, 1))
def test_an_entry_set_on_a_flagged_dump_sits_where_a_buffer_would_hold_it(raw, fn, idx, fl):
    # with_leaf on a dump with KVM flags: the same entry edited in place in the kvm_cpuid2
    # array, or a new one appended, then asked as KVM asks (kvm_answer above).
    entries = [(f, i, g, (n, f, i, g)) for n, (f, i, g) in enumerate(raw)]
    regs = (0xEE, fn, idx, fl)
    edited = kvm.parse(buffer(entries)).with_leaf(fn, idx, regs, flags=fl)
    at = next((n for n, e in enumerate(entries) if e[:2] == (fn, idx)), None)
    if at is None:
        entries.append((fn, idx, fl, regs))
    else:
        entries[at] = (fn, idx, fl, regs)
    for f in (1, 7, 0xD):
        for i in range(4):
            assert edited.get(f, i) == kvm_answer(entries, f, i), (f, i)


def test_the_array_order_decides_and_a_written_buffer_keeps_it():
    # The same two entries, the unflagged one first or last: KVM answers 0xB.1 differently.
    first = [(0xB, 0, 0, (1, 1, 1, 1)), (0xB, 1, 1, (2, 2, 2, 2))]
    last = first[::-1]
    for entries in (first, last):
        dump = kvm.parse(buffer(entries))
        assert dump.get(0xB, 1) == kvm_answer(entries, 0xB, 1)
        again = kvm.parse(kvm.write(dump))  # the buffer pvenum writes answers the same
        assert [again.get(0xB, i) for i in range(3)] == [kvm_answer(entries, 0xB, i) for i in range(3)]
    assert kvm.parse(buffer(first)).get(0xB, 1) != kvm.parse(buffer(last)).get(0xB, 1)
    assert kvm.write(kvm.parse(buffer(last))) == buffer(last)


def test_without_flags_the_leaf_decides_as_before():
    dump = cpuid_r.parse((DATA / "cpuid" / "kvm-amd-zen5.cpuid").read_bytes())
    assert not dump.flags
    assert dump.get(0x1, 5) == dump.get(0x1, 0) and dump.get(0x7, 5) is None


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.sampled_from((1, 4, 7, 0xD, 0x40000001)), st.integers(0, 3), st.integers(0, 7)),
                max_size=12, unique_by=lambda e: (e[0], e[1])))
def test_every_answer_is_kvms(raw):
    entries = [(fn, idx, fl, (i, fn, idx, fl)) for i, (fn, idx, fl) in enumerate(raw)]
    dump = kvm.parse(buffer(entries))
    written = kvm.parse(kvm.write(dump))
    for fn in (1, 4, 7, 0xD, 0x40000001):
        for idx in range(5):
            assert dump.get(fn, idx) == kvm_answer(entries, fn, idx), (fn, idx)
            assert written.get(fn, idx) == kvm_answer(entries, fn, idx), (fn, idx)


def test_a_firecracker_template_sets_the_flags_kvm_then_reads():
    # apply_template_to_cpuid sets entry.flags = mod_leaf.flags, and the entries reach
    # KVM_SET_CPUID2 in (leaf, subleaf) order (firecracker-microvm/firecracker v1.16.0-dev-617, 81b38b9:
    # src/vmm/src/cpu_config/x86_64/mod.rs; cpuid/mod.rs TryFrom<Cpuid> for kvm_bindings::CpuId).
    base_entries = [(7, 0, 1, (1, 1, 1, 1)), (7, 1, 1, (2, 2, 2, 2))]
    base = kvm.parse(buffer(base_entries))
    assert base.get(7, 1) == (2, 2, 2, 2) and base.get(7, 5) is None
    tpl = firecracker.parse(json.dumps({"cpuid_modifiers": [
        {"leaf": "0x7", "subleaf": "0x0", "flags": 0, "modifiers": []}]}))
    out = tpl.apply(base)
    booted = [(7, 0, 0, (1, 1, 1, 1)), (7, 1, 1, (2, 2, 2, 2))]
    for idx in range(3):
        assert out.get(7, idx) == kvm_answer(booted, 7, idx) == (1, 1, 1, 1)
    # A base whose 0xB entries KVM listed flagged 1 before unflagged 0: Firecracker keeps its
    # CPUID by (leaf, subleaf), so the guest's 0xB.0 (unflagged) comes first and answers 0xB.1.
    odd = kvm.parse(buffer([(0xB, 1, 1, (2, 2, 2, 2)), (0xB, 0, 0, (1, 1, 1, 1)), (7, 0, 1, (3, 3, 3, 3))]))
    assert odd.get(0xB, 1) == (2, 2, 2, 2)
    booted = [(7, 0, 0, (3, 3, 3, 3)), (0xB, 0, 0, (1, 1, 1, 1)), (0xB, 1, 1, (2, 2, 2, 2))]
    out = tpl.apply(odd)
    assert [out.get(0xB, i) for i in range(3)] == [kvm_answer(booted, 0xB, i) for i in range(3)] == [(1, 1, 1, 1)] * 3


def test_a_flagged_dump_indexes_once_not_per_call(monkeypatch):
    built = []
    real = CpuidDump._make_kvm_lookup
    monkeypatch.setattr(CpuidDump, "_make_kvm_lookup", lambda self, leaves: (built.append(1), real(self, leaves))[1])
    dump = kvm.parse(kvm.write(cpuid_r.parse((DATA / "cpuid" / "firecracker-c3-xen-intel.cpuid").read_bytes())))
    for _ in range(1000):
        dump.get(0xD, 5)
        dump.get(1, 3)
    assert len(built) == 1
    grown = dump.with_leaf(0xD, 5, (9, 9, 9, 9), flags=1)  # a new dump: indexed anew
    assert grown.get(0xD, 5) == (9, 9, 9, 9) and len(built) == 2


def test_the_resolver_reads_what_kvm_answers():
    """The resolver and the proposal's decoder read CPU 0's subleaf 0 directly (CpuidDump.
    guest_view); with flags stated that is KVM's answer too. An unflagged 0x8000001F.1 listed
    first answers ECX=0 as well (kvm_find_cpuid_entry2: the first match wins), so a guest sees
    its SEV bit clear although the dump lists 0x8000001F.0 with SEV set."""
    from pvenum.platform import Platform
    from pvenum.resolver.engine import Ctx

    entries = [(0, 0, 0, (0x8000001F, 0x68747541, 0x444D4163, 0x69746E65)),
               (0x80000000, 0, 0, (0x8000001F, 0, 0, 0)),
               (0x8000001F, 1, 0, (0, 0, 0, 0)), (0x8000001F, 0, 1, (0x2, 0x33, 0, 0))]
    dump = kvm.parse(buffer(entries))
    ctx = Ctx(Platform(arch="x86_64", cpuid=dump))
    assert ctx.field(0x8000001F, "SEV") == 0 == kvm_answer(entries, 0x8000001F, 0)[0] >> 1 & 1
    for fn, idx, _, _ in entries:
        assert ctx.regs(fn, idx) == dump.get(fn, idx) == kvm_answer(entries, fn, idx)
    assert CpuidDump.from_leaves({(1, 0): (1, 2, 3, 4)}).guest_view() is not None


def test_a_base_kvm_answers_for_subleaf_0_is_scanned_and_verified():
    """A hypervisor base listed only at subleaf 1 without the significant-index flag answers
    ECX=0 too (kvm_find_cpuid_entry2): Linux's base scan finds it (CpuidDump.base_leaves over
    the guest's view), and a bundle copy that lists it plainly (cpuid -r: no flags) reads
    differently, so pvenum verify must not call the two copies equal."""
    from pvenum.bundle import _value
    from pvenum.cpuid.artifact import CpuidArtifact
    from pvenum.resolver.x86 import hypervisor_scan
    from pvenum.platform import Platform
    from pvenum.resolver.engine import Ctx

    kvm_sig = (0x40000001, 0x4B4D564B, 0x564B4D56, 0x0000004D)
    entries = [(0, 0, 0, (1, 0x756E6547, 0x6C65746E, 0x49656E69)), (1, 0, 0, (0, 0, 0, 1 << 31)),
               (0x40000000, 1, 0, kvm_sig)]
    dump = kvm.parse(buffer(entries))
    assert dump.get(0x40000000, 0) == kvm_answer(entries, 0x40000000, 0) == kvm_sig  # the flagless entry, any ECX
    assert dump.base_leaves() == (0x40000000,)
    assert [b for b, _, _ in hypervisor_scan(Ctx(Platform(arch="x86_64", cpuid=dump))).found] == [0x40000000]
    plain = CpuidDump.from_leaves(dump.cpu0())
    assert plain.base_leaves() == ()
    assert _value("cpuid", [], CpuidArtifact("kvm_cpuid2", "a", dump)) != _value("cpuid", [], CpuidArtifact("cpuid-r", "b", plain))


def test_a_scenario_on_a_flagged_base_reads_what_the_guest_reads(tmp_path):
    """A scenario's base is the guest's CPUID as it reads it: an unflagged leaf-0 entry at
    subleaf 1 ("AuthenticAMD") listed before a flagged subleaf 0 ("GenuineIntel") answers ECX=0
    (kvm_find_cpuid_entry2: the first match wins), so the scenario's CPU is AMD, as the base
    file resolved alone says."""
    from pvenum.target import load_target

    amd = (0x8000001F, 0x68747541, 0x444D4163, 0x69746E65)
    intel = (0x16, 0x756E6547, 0x6C65746E, 0x49656E69)
    entries = [(0, 1, 0, amd), (0, 0, 1, intel), (0x80000000, 0, 0, (0x8000001F, 0, 0, 0))]
    (tmp_path / "base.kvm").write_bytes(buffer(entries))
    (tmp_path / "s.toml").write_text('[scenario]\nname = "s"\ndescription = "d"\nbase = "base.kvm"\n')
    alone = load_target(str(tmp_path / "base.kvm")).platform.cpuid
    scenario = load_target(str(tmp_path / "s.toml")).platform.cpuid
    assert alone.get(0) == kvm_answer(entries, 0, 0) == amd
    assert scenario.get(0) == amd


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.sampled_from((1, 7, 0xB)), st.integers(0, 2), st.integers(0, 1)),
                min_size=1, max_size=8, unique_by=lambda e: (e[0], e[1])))
def test_a_flagged_dump_written_as_toml_answers_as_kvm_did(raw):
    # The TOML rows keep each leaf's entries in the buffer's order (they had been sorted by
    # subleaf: an unflagged 0xB.1 listed before 0xB.0 then answered ECX=0 instead of 0xB.0's
    # flagged entry), and a dump equal to another answers every query alike.
    from pvenum.cpuid import toml_io

    entries = [(fn, idx, fl, (i, fn, idx, fl)) for i, (fn, idx, fl) in enumerate(raw)]
    dump = kvm.parse(buffer(entries))
    back, _ = toml_io.parse(toml_io.write(dump))
    for fn in (1, 7, 0xB):
        for idx in range(4):
            assert back.get(fn, idx) == kvm_answer(entries, fn, idx), (fn, idx)
    assert back == dump


def test_equal_dumps_answer_alike():
    first = [(0xB, 0, 0, (1, 1, 1, 1)), (0xB, 1, 1, (2, 2, 2, 2))]
    a, b = kvm.parse(buffer(first)), kvm.parse(buffer(first[::-1]))
    assert a.cpus == b.cpus and a.get(0xB, 1) != b.get(0xB, 1)
    assert a != b  # the order KVM reads them in differs
    plain = CpuidDump.from_leaves(a.cpu0())  # the same registers without flags (cpuid -r)
    assert plain != a and plain.get(0xB, 1) != a.get(0xB, 1)
    assert kvm.parse(kvm.write(a)) == a and kvm.parse(kvm.write(b)) == b


def test_a_captured_xen_subleaf_survives_the_kvm_buffer():
    # cpuid -r dumps Xen's base + 3 at subleaves 0..2 (cpuid 20230614 do_real()); the leaf is
    # not one of the CPU's indexed leaves, yet ECX selects among the captured entries. Written as
    # kvm_cpuid2, those entries carry KVM_CPUID_FLAG_SIGNIFCANT_INDEX, or KVM would answer
    # subleaf 0's registers for ECX=2 (kvm_find_cpuid_entry2: the first entry without the flag).
    dump = cpuid_r.parse((DATA / "cpuid" / "firecracker-c3-xen-intel.cpuid").read_bytes())
    assert (0x40000003, 2) in dump.cpu0() and dump.get(0x40000003, 2) != dump.get(0x40000003, 0)
    data = kvm.write(dump)
    entries = entries_of(data)
    for idx in range(4):
        assert (kvm_answer(entries, 0x40000003, idx) or (0,) * 4) == (dump.get(0x40000003, idx) or (0,) * 4)
    assert dump.read_differently(kvm.parse(data)) == []


def test_cpuid_r_text_of_a_flagged_dump_is_what_the_guest_reads():
    # An unflagged 0xB.0 listed first answers ECX=1 as well: `cpuid -r` inside that guest prints
    # 0xB.0's registers at subleaf 1, not the entry KVM never reaches.
    r0, r1 = (1, 1, 1, 1), (2, 2, 2, 2)
    entries = [(0xB, 0, 0, r0), (0xB, 1, 1, r1)]
    dump = kvm.parse(buffer(entries))
    back = cpuid_r.parse(cpuid_r.write(dump))
    assert back.get(0xB, 1) == kvm_answer(entries, 0xB, 1) == r0
    # What the text cannot say: the entry answering every ECX (subleaf 2 here).
    assert dump.read_differently(back) == [(0xB, 2)] and kvm_answer(entries, 0xB, 2) == r0


def test_convert_warns_when_the_output_reads_differently(cli, tmp_path):
    src = tmp_path / "odd.kvm"
    src.write_bytes(buffer([(0, 0, 0, (0xB, 0x756E6547, 0x6C65746E, 0x49656E69)),
                            (0xB, 0, 0, (1, 1, 1, 1)), (0xB, 1, 1, (2, 2, 2, 2))]))
    proc = cli("convert", str(src), "--to", "cpuid-r", "-o", str(tmp_path / "odd.cpuid"))
    assert proc.returncode == 0
    assert proc.stderr.decode() == (f"pvenum: warning: {src}: a guest reads CPUID 0x0000000b.2 otherwise from the "
                                    "cpuid-r output (`cpuid -r` text carries no KVM flags)\n")
    for fmt in ("kvm_cpuid2", "cpuid-toml"):  # both keep the flags and each leaf's order
        proc = cli("convert", str(src), "--to", fmt, "-o", str(tmp_path / f"odd.{fmt}"))
        assert proc.returncode == 0 and proc.stderr == b"", proc.stderr
    # Firecracker orders a leaf's entries by subleaf: the same entries, the unflagged one last.
    src.write_bytes(buffer([(0xB, 1, 1, (2, 2, 2, 2)), (0xB, 0, 0, (1, 1, 1, 1))]))
    proc = cli("convert", str(src), "--to", "firecracker-template", "-o", str(tmp_path / "odd.json"))
    assert proc.returncode == 0 and b"a guest reads CPUID 0x0000000b.1 otherwise" in proc.stderr, proc.stderr


def test_a_leaf_listed_at_several_subleaves_that_ignores_ecx_stays_unindexed():
    # Sean Christopherson's capture (kvm list, 2020-03-03): leaf 0x16 at subleaves 0, 4 and
    # 0x1d2 (`cpuid -1 -r -l 0x16 -s N`), the same registers, "CPUID.0x16 ignores the index" (SDM).
    # Listing a leaf at several subleaves does not make ECX select among them: KVM would not
    # flag 0x16 (do_cpuid_func()), so a kvm_cpuid2 buffer answers any ECX with subleaf 0's entry.
    from pvenum.target import load_target

    dump = load_target(str(DATA / "cpuid" / "pasted" / "kvm-list-2020-03-03-reply.txt")).platform.cpuid
    assert {s for l, s in dump.cpu0() if l == 0x16} == {0, 4, 0x1D2}
    assert not dump.is_indexed(0x16) and dump.get(0x16, 5) == dump.get(0x16, 0) == (0xE74, 0x125C, 0x64, 0)
    data = kvm.write(dump)
    entries = entries_of(data)
    assert {fl for fn, _, fl, _ in entries if fn == 0x16} == {0}
    assert kvm_answer(entries, 0x16, 5) == dump.get(0x16, 5)
    assert dump.read_differently(kvm.parse(data)) == []


def test_convert_writes_what_it_cannot_read_back_with_a_warning(cli, tmp_path):
    # 5,000 leaves: a Firecracker template of them is past the 4,096 modifiers pvenum reads
    # (pvenum.cpuid.firecracker), so it is not compared, but it is written as before.
    src = tmp_path / "big.cpuid"
    src.write_text("CPU:\n" + "".join(f"   0x{0x80000000 + i:08x} 0x00: eax=0x00000000 ebx=0x00000000 "
                                      "ecx=0x00000000 edx=0x00000000\n" for i in range(5000)))
    out = tmp_path / "big.json"
    proc = cli("convert", str(src), "--to", "firecracker-template", "-o", str(out))
    assert proc.returncode == 0 and out.is_file(), proc.stderr
    assert b"the firecracker-template output was not read back to compare with SRC" in proc.stderr
    assert len(json.loads(out.read_text())["cpuid_modifiers"]) == 5000
    # More entries than a kvm_cpuid2 buffer holds (KVM_MAX_CPUID_ENTRIES): SRC is named.
    proc = cli("convert", str(src), "--to", "kvm_cpuid2", "-o", str(tmp_path / "big.kvm"))
    assert proc.returncode == 3 and proc.stderr.decode() == f"pvenum: error: {src}: kvm_cpuid2: 5000 leaves exceed 4096\n"
    # A binary format to a terminal or pipe is a usage error before anything is compared.
    small = tmp_path / "small.cpuid"
    small.write_text("CPU:\n   0x00000000 0x00: eax=0x00000000 ebx=0x00000000 ecx=0x00000000 edx=0x00000000\n")
    proc = cli("convert", str(small), "--to", "kvm_cpuid2")
    assert proc.returncode == 2 and b"give -o FILE" in proc.stderr and b"warning" not in proc.stderr


def test_convert_compares_every_cpu_it_writes(cli, tmp_path):
    # Two CPUs; only CPU 1 lists leaf 0x1f, its subleaf 0 without the significant-index flag, so
    # that entry answers every ECX on CPU 1 (kvm_find_cpuid_entry2). Only `--all-cpus` text
    # shows CPU 1, and the warning names it.
    src = tmp_path / "two.toml"
    src.write_text('format = "pvenum-cpuid/1"\nleaves = [\n'
                   "  { leaf = 0x0, subleaf = 0, eax = 0x1f, ebx = 0, ecx = 0, edx = 0, cpu = 0, flags = 0 },\n"
                   "  { leaf = 0x0, subleaf = 0, eax = 0x1f, ebx = 0, ecx = 0, edx = 0, cpu = 1, flags = 0 },\n"
                   "  { leaf = 0x1f, subleaf = 0, eax = 1, ebx = 1, ecx = 1, edx = 1, cpu = 1, flags = 0 },\n"
                   "  { leaf = 0x1f, subleaf = 1, eax = 2, ebx = 2, ecx = 2, edx = 2, cpu = 1, flags = 1 },\n]\n")
    proc = cli("convert", str(src), "--to", "cpuid-r", "--all-cpus", "-o", str(tmp_path / "two.cpuid"))
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr.decode() == (f"pvenum: warning: {src}: a guest reads CPUID 0x0000001f.2 on CPU 1 otherwise "
                                    "from the cpuid-r output (`cpuid -r` text carries no KVM flags)\n")


def test_convert_over_a_base_warns_where_firecracker_reorders(cli, tmp_path):
    # SRC lists 0x7.1 without the significant-index flag before 0x7.0: KVM answers 0x7.0 with
    # 0x7.1's registers. The base holds the same two entries in (leaf, subleaf) order, so the
    # template that turns it into SRC changes nothing Firecracker can express, and the guest
    # it boots reads 0x7.0's own registers (Firecracker hands KVM a leaf's entries by subleaf).
    r0, r1 = (1, 1, 1, 1), (2, 2, 2, 2)
    src, base = tmp_path / "src.kvm", tmp_path / "base.kvm"
    src.write_bytes(buffer([(7, 1, 0, r1), (7, 0, 1, r0)]))
    base.write_bytes(buffer([(7, 0, 1, r0), (7, 1, 0, r1)]))
    assert kvm.parse(src.read_bytes()).get(7, 0) == kvm_answer([(7, 1, 0, r1), (7, 0, 1, r0)], 7, 0) == r1
    proc = cli("convert", str(src), "--to", "firecracker-template", "--base", str(base), "-o", str(tmp_path / "t.json"))
    assert proc.returncode == 0, proc.stderr
    assert b"a guest reads CPUID 0x00000007.0 otherwise from the firecracker-template output" in proc.stderr, proc.stderr


def test_a_subleaf_missing_from_the_base_hides_no_other_difference(cli, tmp_path):
    # The same reordering, with SRC also holding 0x7.2, which the base lacks: that subleaf is
    # warned about once (template_between: Firecracker refuses it), and 0x7.0, which KVM answers
    # with 0x7.1's registers from SRC but with its own from the template, is still named.
    r0, r1, r2 = (1, 1, 1, 1), (2, 2, 2, 2), (3, 3, 3, 3)
    src, base = tmp_path / "src.kvm", tmp_path / "base.kvm"
    src.write_bytes(buffer([(7, 1, 0, r1), (7, 0, 1, r0), (7, 2, 1, r2)]))
    base.write_bytes(buffer([(7, 0, 1, r0), (7, 1, 0, r1)]))
    proc = cli("convert", str(src), "--to", "firecracker-template", "--base", str(base), "-o", str(tmp_path / "t.json"))
    assert proc.returncode == 0, proc.stderr
    err = proc.stderr.decode()
    assert "leaf 0x00000007 subleaf 0x2 is not in the base" in err, err
    assert "a guest reads CPUID 0x00000007.0" in err, err


def test_a_leaf_only_the_base_has_is_warned_about_once(cli, tmp_path):
    # template_between names the base-only leaf (Firecracker keeps it from the base); its
    # past-the-last subleaf, which the base's flagless entry answers, is that same leaf, not an
    # ordering Firecracker lost.
    r0, r8 = (1, 1, 1, 1), (8, 8, 8, 8)
    src, base = tmp_path / "src.kvm", tmp_path / "base.kvm"
    src.write_bytes(buffer([(7, 0, 1, r0)]))
    base.write_bytes(buffer([(7, 0, 1, r0), (0x80000008, 0, 0, r8)]))
    proc = cli("convert", str(src), "--to", "firecracker-template", "--base", str(base), "-o", str(tmp_path / "t.json"))
    assert proc.returncode == 0, proc.stderr
    err = proc.stderr.decode()
    assert err.count("0x80000008") == 1 and "otherwise from the" not in err, err


def test_every_writable_format_says_what_it_cannot_state():
    from pvenum.commands import convert

    assert set(convert._LOST) == set(convert.WRITABLE)


def test_a_template_over_a_base_of_many_cpus_is_compared_on_cpu_0(cli, tmp_path):
    # CpuTemplate.apply puts CPU 0's registers on every CPU (Firecracker gives each vCPU one
    # configuration; KVM sets the APIC IDs), so CPU 1 of the read-back is no ordering lost.
    src = DATA / "cpuid" / "kvm-amd-zen5-allcpus.cpuid"
    base = tmp_path / "base.cpuid"
    base.write_text(re.sub(r"(0x00000001 0x00: eax=0x)[0-9a-f]{8}", r"\g<1>00a00f11", src.read_text()))
    proc = cli("convert", str(src), "--to", "firecracker-template", "--base", str(base), "-o", str(tmp_path / "t.json"))
    assert proc.returncode == 0 and proc.stderr == b"", proc.stderr
