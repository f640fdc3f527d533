"""CPUID readers and writers: cpuid -r text, kvm_cpuid2, Firecracker templates, pvenum TOML."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from parity import common
from pvenum import cpuid as cpuid_facade
from pvenum.cpuid import cpuid_r, firecracker, kvm, toml_io
from pvenum.cpuid.model import MsrSet
from pvenum.errors import ParseError
from pvenum.formats import detect

DATA = Path(__file__).resolve().parents[1] / "data"
DUMPS = sorted((DATA / "cpuid").glob("*.cpuid")) + sorted((DATA / "x86" / "rows").glob("*/cpuid"))


@pytest.mark.parametrize("path", DUMPS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_cpuid_r_round_trip(path):
    dump = cpuid_r.parse(path.read_bytes())
    assert len(dump) > 20
    again = cpuid_r.parse(cpuid_r.write(dump))
    assert again == dump and again.one_cpu == dump.one_cpu
    assert detect(path.read_bytes(), str(path)).name == "cpuid-r"


def test_cpuid_r_keeps_every_cpu_and_resolves_cpu0():
    dump = cpuid_r.parse((DATA / "cpuid" / "kvm-amd-zen5-allcpus.cpuid").read_bytes())
    assert sorted(dump.cpus) == [0, 1] and not dump.one_cpu
    # The initial APIC id (leaf 1 ebx[31:24]) tells the CPUs apart.
    assert dump.get(1, cpu=0)[1] >> 24 == 0 and dump.get(1, cpu=1)[1] >> 24 == 1
    assert dump.get(1) == dump.get(1, cpu=0)
    text = cpuid_r.write(dump)
    assert "CPU 0:" in text and "CPU 1:" in text


def test_cpuid_r_unknown_subleaf_of_unindexed_leaf_reads_subleaf_0():
    dump = cpuid_r.parse((DATA / "cpuid" / "kvm-amd-zen5.cpuid").read_bytes())
    assert dump.get(0x1, 5) == dump.get(0x1, 0)
    assert dump.get(0x7, 5) is None  # leaf 7 depends on ECX


@pytest.mark.parametrize("path", DUMPS[:3], ids=lambda p: p.name)
def test_kvm_cpuid2_round_trip_and_construct_parity(path):
    dump = cpuid_r.parse(path.read_bytes())
    blob = kvm.write(dump)
    assert len(blob) == 8 + 40 * len(dump)
    fast = kvm.parse(blob)
    assert fast == kvm.parse_construct(blob)
    assert fast.flags == kvm.parse_construct(blob).flags
    assert fast.cpu0() == dump.cpu0()
    assert kvm.write(fast) == blob  # flags kept: byte-identical
    assert detect(blob).name == "kvm_cpuid2"


def test_kvm_cpuid2_layout_parity():
    entry = {"function": 7, "index": 0, "flags": 1, "eax": 2, "ebx": 3, "ecx": 4, "edx": 5, "padding": [0, 0, 0]}
    data = (7).to_bytes(4, "little") + (0).to_bytes(4, "little") + (1).to_bytes(4, "little") + b"".join(
        v.to_bytes(4, "little") for v in (2, 3, 4, 5)) + bytes(12)
    common(kvm.kvm_cpuid_entry2, data, entry, 40)
    whole = (1).to_bytes(4, "little") + bytes(4) + data
    common(kvm.kvm_cpuid2, whole, {"nent": 1, "padding": 0, "entries": [entry]})


def test_kvm_significant_index_flags():
    dump = cpuid_r.parse((DATA / "cpuid" / "firecracker-c3-xen-intel.cpuid").read_bytes())
    parsed = kvm.parse(kvm.write(dump))
    assert parsed.flags[(0x4, 0)] == 1 and parsed.flags[(0x1, 0)] == 0


@pytest.mark.parametrize(
    "blob, what",
    [
        (b"\x01\x00\x00", "shorter than the 8-byte header"),
        ((2).to_bytes(4, "little") + bytes(4) + bytes(40), "needs 88 bytes"),
        ((1).to_bytes(4, "little") + bytes(4) + bytes(44), "bytes after the last"),
        ((1).to_bytes(4, "little") + b"\x01\0\0\0" + bytes(40), "padding"),
        ((0xFFFFFFFF).to_bytes(4, "little") + bytes(4), "exceeds"),
    ],
)
def test_kvm_cpuid2_hostile(blob, what):
    with pytest.raises(ParseError, match=what) as err:
        kvm.parse(blob)
    assert err.value.offset is not None


def test_firecracker_partial_template_applies_over_a_base():
    tpl = firecracker.parse((DATA / "cpuid" / "firecracker-T2S.json").read_bytes())
    assert not tpl.complete
    base = cpuid_r.parse((DATA / "cpuid" / "firecracker-c3-xen-intel.cpuid").read_bytes())
    out = tpl.apply(base)
    eax_bits = tpl.cpuid[(1, 0)]["eax"]
    assert out.get(1)[0] == (base.get(1)[0] & ~eax_bits.mask) | eax_bits.value
    # 'x' bits keep the host's: ecx bit 31 (hypervisor) is 'x' in T2S.
    assert out.get(1)[2] >> 31 & 1 == base.get(1)[2] >> 31 & 1
    assert tpl.apply_msrs(None)[0x10A] == 0b1100000010100000110001001100
    # Writing it back gives the same template.
    assert firecracker.parse(tpl.dumps()).to_json() == tpl.to_json()
    assert detect((DATA / "cpuid" / "firecracker-T2S.json").read_bytes()).name == "firecracker-template"


def test_firecracker_template_between_turns_one_dump_into_another():
    rows = DATA / "x86" / "rows"
    base = cpuid_r.parse((rows / "plain-hyperv" / "cpuid").read_bytes())
    target = cpuid_r.parse((rows / "azure-tdx-paravisor" / "cpuid").read_bytes())
    tpl, warnings = firecracker.template_between(base, target, MsrSet(), MsrSet({0xC0010131: 0}))
    assert tpl.apply(base).cpu0() == {**base.cpu0(), **target.cpu0()}
    # Firecracker refuses a modifier of a leaf or MSR its base lacks (v1.16.0-dev-617, 81b38b9:
    # src/vmm/src/cpu_config/x86_64/mod.rs apply_template_to_cpuid, apply_template_to_msrs):
    # each one target adds is written and warned about.
    added = sorted(set(target.cpu0()) - set(base.cpu0()))
    assert added and [w.split(" is ")[0] for w in warnings] == [
        *(f"leaf 0x{leaf:08x} subleaf 0x{sub:x}" for leaf, sub in added), "MSR 0xc0010131"]
    assert all("Firecracker refuses" in w for w in warnings)
    tpl2, warnings2 = firecracker.template_between(target, base)
    assert warnings2  # base lacks the 0x40000007..c leaves target has: cannot remove
    assert tpl.apply_msrs(None) == {0xC0010131: 0}


def test_firecracker_full_template_states_a_dump():
    dump = cpuid_r.parse((DATA / "x86" / "rows" / "snp-svsm" / "cpuid").read_bytes())
    tpl = firecracker.template_full(dump, MsrSet({0xC0010131: 7}))
    assert tpl.complete
    again = firecracker.parse(tpl.dumps())
    assert again.as_dump().cpu0() == dump.cpu0()
    assert again.apply_msrs(None) == {0xC0010131: 7}
    assert cpuid_facade.parse(tpl.dumps()).cpu0() == dump.cpu0()


def _entry(**fields) -> str:
    """A template of one cpuid_modifiers entry that Firecracker reads, ``fields`` changed."""
    entry = {"leaf": "0x1", "subleaf": "0x0", "flags": 0, "modifiers": [{"register": "eax", "bitmap": "0b1"}]}
    return json.dumps({"cpuid_modifiers": [{**entry, **fields}]})


@pytest.mark.parametrize(
    "doc, what",
    [
        ("[]", "top level"),
        (_entry(leaf="0xzz"), "cpuid_modifiers[0].leaf: '0xzz' is not a number"),
        (_entry(modifiers=[{"register": "eax", "bitmap": "0b012"}]), "modifiers[0]: bitmap character '2'"),
        (_entry(modifiers=[{"register": "eax", "bitmap": "0b" + "1" * 33}]), "33 bits"),
        (_entry(modifiers=[{"register": "esi", "bitmap": "0b1"}]), "modifiers[0].register"),
        ('{"msr_modifiers": [{"addr": "0x10a", "bitmap": 5}]}', "msr_modifiers[0]: bitmap must be"),
        ('{"cpuid_modifiers": [], "bogus": 1}', "unknown key"),
        ("{", "not JSON"),
    ],
)
def test_firecracker_hostile(doc, what):
    with pytest.raises(ParseError, match=re.escape(what)):
        firecracker.parse(doc)


@settings(max_examples=300, deadline=None)
@given(st.sampled_from((32, 64)).flatmap(
    lambda w: st.tuples(st.just(w), st.text(alphabet="01xX_+- \tB", min_size=0, max_size=w + 3))),
    st.sampled_from(("0b", "0B", "")))
@example((32, "_" + "1" * 32), "0b")  # a '_' left of a full register: too long
@example((64, "x" * 64 + "_"), "")  # one right of it: read
@example((32, "0b1"), "0b")  # "0b" is stripped once
def test_a_bitmap_sets_each_bit_as_its_character_says(width_body, prefix):
    # Firecracker's reader (firecracker-microvm/firecracker v1.16.0-dev-617, 81b38b9:
    # src/vmm/src/cpu_config/templates.rs, RegisterValueFilter's Deserialize), a character at a
    # time: one lowercase "0b" stripped, then from the right '0'/'1' set the bit, 'x' keeps
    # it, '_' is skipped; any other character is an error, and so is any character, '_'
    # included, met once the register's width of bits is read. Unwritten high bits are kept.
    width, body = width_body
    text = prefix + body
    stripped = text[2:] if text.startswith("0b") else text
    value = mask = bit = 0
    refused = False
    for ch in reversed(stripped):
        if bit == width:
            refused = True
            break
        if ch == "_":
            continue
        if ch not in "01x":
            refused = True
            break
        if ch != "x":
            mask |= 1 << bit
            value |= int(ch) << bit
        bit += 1
    if refused:
        with pytest.raises(ParseError):
            firecracker.Bits.parse(text, width)
        return
    assert firecracker.Bits.parse(text, width) == firecracker.Bits(value, mask, width)


def test_a_full_bitmap_with_a_sign_or_spaces_is_refused():
    for text in ("0b+" + "1" * 31, "0b " + "1" * 31, "0b" + "1" * 31 + " ", "0b-" + "0" * 31):
        with pytest.raises(ParseError, match="character"):
            firecracker.Bits.parse(text, 32)


def test_toml_round_trip_with_msrs_and_flags():
    dump = cpuid_r.parse((DATA / "cpuid" / "firecracker-c3-xen-intel.cpuid").read_bytes())
    dump = kvm.parse(kvm.write(dump))  # gives it flags
    msrs = MsrSet({0xC0010131: 0x7})
    text = toml_io.write(dump, msrs, description="test")
    again, msrs2 = toml_io.parse(text)
    assert again == dump and again.flags == dump.flags and msrs2 == msrs
    assert detect(text.encode()).name == "cpuid-toml"



def test_toml_rows_of_two_cpus_cannot_state_two_flags_for_one_entry():
    # KVM_SET_CPUID2 gives every vCPU one table of entries, each with one flags word
    # (Documentation/virt/kvm/api.rst, struct kvm_cpuid_entry2): a second CPU's row may repeat
    # an entry's flags, never change them (it had silently overwritten the first).
    rows = ('format = "pvenum-cpuid/1"\nleaves = [\n'
            "  { leaf = 1, subleaf = 0, cpu = 0, flags = 0 },\n  { leaf = 1, subleaf = 0, cpu = 1, flags = FL },\n]\n")
    dump, _ = toml_io.parse(rows.replace("FL", "0"))
    assert dump.flags == {(1, 0): 0} and sorted(dump.cpus) == [0, 1]
    with pytest.raises(ParseError, match=r"leaves\[1\]: leaf 0x1 subleaf 0x0 flags 0x1, another CPU's row says 0x0"):
        toml_io.parse(rows.replace("FL", "1"))


def test_facade_detects_every_format():
    dump = cpuid_r.parse((DATA / "cpuid" / "kvm-amd-zen5.cpuid").read_bytes())
    for blob in (cpuid_r.write(dump), kvm.write(dump), toml_io.write(dump), firecracker.template_full(dump).dumps()):
        assert cpuid_facade.parse(blob).cpu0() == dump.cpu0()
    assert cpuid_facade.parse(cpuid_r.write(dump)).get(0, 0) == dump.get(0)


@pytest.mark.parametrize(
    "text, what",
    [
        ("CPU:\n   0x00000000 0x00: eax=0x1 ebx=0x2\n", "not a cpuid -r row"),
        ("CPU 0:\nCPU 0:\n", "appears twice"),
        ("CPU:\n   0x00000000 0x00: eax=0x1 ebx=0x2 ecx=0x3 edx=0x4\n   0x00000000 0x00: eax=0x1 ebx=0x2 ecx=0x3 edx=0x4\n", "appears twice"),
        ("Disclaimer: x\n", "no cpuid rows"),
    ],
)
def test_cpuid_r_hostile(text, what):
    with pytest.raises(ParseError, match=what) as err:
        cpuid_r.parse(text)
    assert err.value.offset is not None


def test_inspect_json_contract(cli):
    proc = cli("inspect", "--json", str(DATA / "cpuid" / "kvm-amd-zen5.cpuid"), str(DATA / "cpuid" / "firecracker-T2S.json"))
    assert proc.returncode == 0, proc.stderr
    lines = [json.loads(l) for l in proc.stdout.splitlines()]
    assert [l["format"] for l in lines] == ["cpuid-r", "firecracker-template"]
    for obj in lines:
        assert {"format", "path", "leaves"} <= set(obj)
        # A Firecracker modifier carries its entry's KVM flags (docs/cpu_templates/cpu-templates.md);
        # cpuid -r text has none.
        extra = {"flags"} if obj["format"] == "firecracker-template" else set()
        for leaf in obj["leaves"]:
            assert set(leaf) == {"leaf", "subleaf", "eax", "ebx", "ecx", "edx", *extra}
            assert all(isinstance(v, int) for v in leaf.values())
    t2s = json.loads((DATA / "cpuid" / "firecracker-T2S.json").read_text())["cpuid_modifiers"]
    assert {(l["leaf"], l["subleaf"]): l["flags"] for l in lines[1]["leaves"]} == {
        (int(m["leaf"], 16), int(m["subleaf"], 16)): m["flags"] for m in t2s}
    dump = cpuid_r.parse((DATA / "cpuid" / "kvm-amd-zen5.cpuid").read_bytes())
    assert [(l["leaf"], l["subleaf"]) for l in lines[0]["leaves"]] == [k for k, _ in dump.items()]


def test_inspect_rich_and_bits(cli):
    proc = cli("inspect", "--bits", str(DATA / "x86" / "rows" / "azure-snp-paravisor" / "cpuid"))
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout.decode()
    assert "HV_PARAVISOR_PRESENT = true" in out
    assert "HV_ISOLATION_TYPE = 2 (HV_ISOLATION_TYPE_SNP)" in out
    assert "HV_SHARED_GPA_BOUNDARY_BITS = 0x2e" in out


def test_convert_between_formats(cli, tmp_path):
    src = DATA / "cpuid" / "kvm-amd-zen5.cpuid"
    for fmt in ("kvm_cpuid2", "cpuid-toml", "firecracker-template", "cpuid-r"):
        out = tmp_path / f"x.{fmt}"
        proc = cli("convert", str(src), "--to", fmt, "-o", str(out))
        assert proc.returncode == 0, proc.stderr
        assert cpuid_facade.parse(out.read_bytes()).cpu0() == cpuid_r.parse(src.read_bytes()).cpu0()


def test_base_leaves_index_is_the_probe_of_every_hypervisor_base():
    # hypervisor_cpuid_base() probes 0x40000000..0x4000FF00 in steps of 0x100 (torvalds/linux
    # arch/x86/include/asm/cpuid/api.h: cpuid_base_hypervisor()); the index made with the dump
    # must list exactly the bases that probe finds, ascending, on every format's dumps.
    from pvenum.cpuid.model import CpuidDump

    def probed(dump: CpuidDump) -> tuple[int, ...]:
        return tuple(b for b in range(0x40000000, 0x40010000, 0x100) if (b, 0) in dump.cpu0())

    from pvenum.target import load_target

    rows = sorted(Path(__file__).parent.parent.glob("data/*/rows/*/cpuid"))
    dumps = [load_target(str(row.parent)).platform.cpuid for row in rows]
    assert len(dumps) > 20 and any(d.base_leaves()[1:] for d in dumps)  # some with more than one base
    for dump in dumps:
        assert dump.base_leaves() == probed(dump)
    # Edits return new dumps, indexed anew: a base added high, one removed, a subleaf-1 leaf
    # and a leaf between bases are not bases.
    dump = CpuidDump.from_leaves({(0x40000000, 0): (0x40000001, 1, 2, 3), (0x40000001, 0): (0, 0, 0, 0),
                                  (0x40000100, 1): (0, 0, 0, 0), (0x4000ff00, 0): (0x4000ff01, 0, 0, 0)})
    assert dump.base_leaves() == (0x40000000, 0x4000FF00) == probed(dump)
    grown = dump.with_leaf(0x40000300, 0, (0x40000301, 0, 0, 0))
    assert grown.base_leaves() == (0x40000000, 0x40000300, 0x4000FF00) == probed(grown)
    assert grown.without_leaf(0x40000000).base_leaves() == (0x40000300, 0x4000FF00)
    dump.cpu0()[(0x40000200, 0)] = (0, 0, 0, 0)  # edited in place, against the grain: re-indexed
    assert dump.base_leaves() == (0x40000000, 0x40000200, 0x4000FF00) == probed(dump)
