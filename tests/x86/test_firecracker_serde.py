"""pvenum reads a custom CPU template exactly as Firecracker's x86_64 deserializer does.

Sources (firecracker-microvm/firecracker v1.16.0-dev-617, commit 81b38b9, Cargo 1.17.0-dev; serde 1.0.229 and
serde_json 1.0.151 in its Cargo.lock):
- src/vmm/src/cpu_config/x86_64/custom_cpu_template.rs: CustomCpuTemplate is
  ``#[serde(deny_unknown_fields)]`` with kvm_capabilities, cpuid_modifiers, msr_modifiers each
  ``#[serde(default)]``; CpuidLeafModifier (leaf, subleaf, flags, modifiers), CpuidRegisterModifier
  (register, bitmap) and RegisterModifier (addr, bitmap) have no serde default on any field and
  no deny_unknown_fields; flags is read by ``u32::deserialize``, register by
  deserialize_cpuid_register (exactly "eax", "ebx", "ecx", "edx").
- src/vmm/src/cpu_config/templates_serde.rs deserialize_from_str_u32: a string, "0b" or "0x",
  then u32::from_str_radix.
- src/vmm/src/cpu_config/templates.rs: RegisterValueFilter's and KvmCapability's Deserialize.
- src/vmm/src/cpu_config/x86_64/mod.rs apply_template_to_cpuid / apply_template_to_msrs: the
  modifiers are applied in order, a bitmap as ``(value & !filter) | value``.
- serde-rs/serde serde_derive/src/de/struct_.rs: a known field named twice is a
  duplicate_field error, an unknown one is skipped (IgnoredAny).
- What u32::from_str_radix and str::parse::<u32> take was checked with rustc 1.95.0:
  "+1f" (hex) is 31, "+56" is 56; "", "+", "-0", "1_0", " 1" are errors.
"""

from __future__ import annotations

import json
import re

import pytest

from pvenum.cpuid import firecracker
from pvenum.cpuid.model import CpuidDump, MsrSet
from pvenum.errors import ParseError

from pvtest import DATA, genoa_fingerprint

# docs/cpu_templates/cpu-templates.md, "An example of configuring a custom CPU template on
# x86_64" (the body of its PUT /cpu-config request), as written there.
DOC_EXAMPLE = """{
        "kvm_capabilities": ["!56"],
        "cpuid_modifiers": [
          {
            "leaf": "0x1",
            "subleaf": "0x0",
            "flags": 0,
            "modifiers": [
              {
                "register": "eax",
                "bitmap": "0bxxxx000000000011xx00011011110010"
              }
            ]
          }
        ],
        "msr_modifiers": [
          {
            "addr": "0x10a",
            "bitmap": "0b0000000000000000000000000000000000000000000000000000000000000000"
          }
        ]
      }"""

# src/vmm/src/cpu_config/x86_64/test_utils.rs TEST_TEMPLATE_JSON (the entries' values; its
# test_deserialization_lifecycle reads 5 cpuid and 4 msr modifiers from it).
TEST_TEMPLATE = {
    "cpuid_modifiers": [
        {"leaf": "0x80000001", "subleaf": "0x0007", "flags": 0,
         "modifiers": [{"register": "eax", "bitmap": "0bx00100xxx1xxxxxxxxxxxxxxxxxxxxx1"}]},
        {"leaf": "0x80000002", "subleaf": "0x0004", "flags": 0,
         "modifiers": [{"register": "ebx", "bitmap": "0bxxx1xxxxxxxxxxxxxxxxxxxxx1"},
                       {"register": "ecx", "bitmap": "0bx00100xxx1xxxxxxxxxxx0xxxxx0xxx1"}]},
        {"leaf": "0x80000003", "subleaf": "0x0004", "flags": 0,
         "modifiers": [{"register": "edx", "bitmap": "0bx00100xxx1xxxxxxxxxxx0xxxxx0xxx1"}]},
        {"leaf": "0x80000004", "subleaf": "0x0004", "flags": 0,
         "modifiers": [{"register": "edx", "bitmap": "0b00100xxx1xxxxxx1xxxxxxxxxxxxxx1"},
                       {"register": "ecx", "bitmap": "0bx00100xxx1xxxxxxxxxxxxx111xxxxx1"}]},
        {"leaf": "0x80000005", "subleaf": "0x0004", "flags": 0,
         "modifiers": [{"register": "eax", "bitmap": "0bx00100xxx1xxxxx00xxxxxx000xxxxx1"},
                       {"register": "edx", "bitmap": "0bx10100xxx1xxxxxxxxxxxxx000xxxxx1"}]},
    ],
    "msr_modifiers": [
        {"addr": "0x0", "bitmap": "0bx00100xxx1xxxx00xxx1xxxxxxxxxxx1"},
        {"addr": "0x1", "bitmap": "0bx00111xxx1xxxx111xxxxx101xxxxxx1"},
        {"addr": "0b11", "bitmap": "0bx00100xxx1xxxxxx0000000xxxxxxxx1"},
        {"addr": "0xbbca", "bitmap": "0bx00100xxx1xxxxxxxxx1"},
    ],
}

ENTRY = {"leaf": "0x1", "subleaf": "0x0", "flags": 0, "modifiers": [{"register": "eax", "bitmap": "0b1"}]}
MSR = {"addr": "0x10a", "bitmap": "0b1"}


def one(**fields) -> str:
    """A template of one cpuid_modifiers entry Firecracker reads, ``fields`` changed (None drops one)."""
    return json.dumps({"cpuid_modifiers": [{k: v for k, v in {**ENTRY, **fields}.items() if v is not None}]})


def reg(**fields) -> str:
    r = {k: v for k, v in {"register": "eax", "bitmap": "0b1", **fields}.items() if v is not None}
    return one(modifiers=[r])


def msr(**fields) -> str:
    return json.dumps({"msr_modifiers": [{k: v for k, v in {**MSR, **fields}.items() if v is not None}]})


def fc_apply(bitmap: str, value: int) -> int:
    """RegisterValueFilter::apply on a bitmap read by RegisterValueFilter's Deserialize."""
    filt = val = 0
    for bit, ch in enumerate(reversed(bitmap.removeprefix("0b").replace("_", ""))):
        if ch != "x":
            filt |= 1 << bit
            val |= int(ch) << bit
    return (value & ~filt) | val


def test_firecrackers_documented_example_and_test_template_are_read():
    tpl = firecracker.parse(DOC_EXAMPLE)
    assert tpl.kvm_capabilities == ["!56"] and list(tpl.cpuid) == [(1, 0)] and tpl.flags == {(1, 0): 0}
    assert tpl.cpuid[(1, 0)]["eax"].text() == "0bxxxx000000000011xx00011011110010"
    assert tpl.apply_msrs(MsrSet({0x10A: 0xFFFF})) == {0x10A: 0}
    tpl = firecracker.parse(json.dumps(TEST_TEMPLATE))
    assert len(tpl.cpuid) == 5 and len(tpl.msrs) == 4
    assert (0x80000001, 7) in tpl.cpuid and sorted(tpl.msrs) == [0, 1, 3, 0xBBCA]  # "0x0007", "0b11"
    base = CpuidDump.from_leaves({key: (0x5A5A5A5A,) * 4 for key in tpl.cpuid})
    out = tpl.apply(base)
    for m in TEST_TEMPLATE["cpuid_modifiers"]:
        key = (int(m["leaf"], 16), int(m["subleaf"], 16))
        for r in m["modifiers"]:
            i = ("eax", "ebx", "ecx", "edx").index(r["register"])
            assert out.get(*key)[i] == fc_apply(r["bitmap"], 0x5A5A5A5A)


def test_the_committed_t2s_fixture_and_an_empty_template_are_read():
    # T2S.json is tests/data/custom_cpu_templates/T2S.json of Firecracker (tests/data/cpuid/README.md);
    # "{ }" is what src/firecracker/src/api_server/request/cpu_configuration.rs
    # test_parse_put_cpu_config_request expects to succeed.
    assert firecracker.parse((DATA / "cpuid" / "firecracker-T2S.json").read_bytes()).cpuid
    assert firecracker.parse("{ }") == firecracker.CpuTemplate()


@pytest.mark.parametrize("doc", [
    one(note="a key no struct declares"),  # CpuidLeafModifier: no deny_unknown_fields
    one(note=1, **{"x-y": [1, {"a": None}]}),
    # serde_json skips a field no struct declares without reading its value (src/de.rs
    # ignore_value, ignore_integer): any JSON number will do, and a key may come twice.
    one().replace('"flags": 0', '"flags": 0, "n": ' + "9" * 5000 + ', "e": 1e400, "n": -0'),
    reg(comment="kept bits"),  # CpuidRegisterModifier: none either
    msr(comment="IA32_ARCH_CAPABILITIES"),  # RegisterModifier: none either
    one(leaf="0x+1"), one(leaf="0xA"), one(subleaf="0b+0"), msr(addr="0x0000010A"),  # from_str_radix
    one(flags=4294967295),
    reg(bitmap=""), reg(bitmap="0b"), reg(bitmap="1x0_"), reg(bitmap="0b" + "1" * 32 + "_"),  # RegisterValueFilter
    json.dumps({"kvm_capabilities": ["+56", "!056", "4294967295"]}),  # str::parse::<u32>
])
def test_what_firecracker_accepts_pvenum_reads(doc):
    firecracker.parse(doc)


@pytest.mark.parametrize("doc, what", [
    # A field without a serde default is required (custom_cpu_template.rs):
    (one(flags=None), "cpuid_modifiers[0].flags: missing"),
    (one(modifiers=None), "cpuid_modifiers[0].modifiers: missing"),
    (one(subleaf=None), "cpuid_modifiers[0].subleaf: missing"),
    (one(leaf=None), "cpuid_modifiers[0].leaf: missing"),
    (reg(bitmap=None), "cpuid_modifiers[0].modifiers[0].bitmap: missing"),
    (reg(register=None), "cpuid_modifiers[0].modifiers[0].register: missing"),
    (msr(addr=None), "msr_modifiers[0].addr: missing"),
    (msr(bitmap=None), "msr_modifiers[0].bitmap: missing"),
    # deserialize_from_str_u32: a string with a lowercase 0x or 0b, then from_str_radix.
    (one(leaf=1), "cpuid_modifiers[0].leaf: must be a string"),
    (one(leaf="1"), "no 0x or 0b prefix"),  # templates_serde.rs test_deserialize_from_str: "69"
    (one(leaf="k"), "no 0x or 0b prefix"),  # custom_cpu_template.rs test_malformed_json
    (msr(addr="0jj0"), "msr_modifiers[0].addr: '0jj0' has no 0x or 0b prefix"),  # test_malformed_json
    (one(leaf="0X1"), "no 0x or 0b prefix"),
    (one(leaf="0x"), "is not a number"), (one(leaf="0x-1"), "is not a number"), (one(leaf="0x1_0"), "is not a number"),
    (one(leaf="0x 1"), "is not a number"), (one(subleaf="0b2"), "is not a number"),
    (one(leaf="0x100000000"), "4294967296 is not a 32-bit value"),
    # flags: u32::deserialize of a JSON number (serde_json reads -0 as -0.0, de.rs parse_number).
    (one(flags="0"), "cpuid_modifiers[0].flags: \"0\" is not a 32-bit unsigned integer"),
    (one(flags=1.0), ".flags: 1.0 is not"), (one(flags=-1), ".flags: -1 is not"), (one(flags=True), ".flags: true is not"),
    (one(flags=4294967296), ".flags: 4294967296 is not"),
    (one(flags=2 ** 64), ".flags: 18446744073709551616 is not"),  # past u64: a float (parse_long_integer)
    (one(flags=10 ** 20), ".flags: 1e+20 is not"),
    (one().replace('"flags": 0', '"flags": -0'), ".flags: -0.0 is not"),
    # deserialize_cpuid_register:
    (reg(register="ekx"), "modifiers[0].register: must be one of"),  # test_malformed_json
    (reg(register="EAX"), "modifiers[0].register: must be one of"),
    # RegisterValueFilter: 0/1/x/_ after one lowercase 0b, nothing left of the width's bits.
    (msr(bitmap="0bx0?1_0_0x_?x1xxxx00xxx1xxxxxxxxxxx1"), "bitmap character '?'"),  # test_malformed_json
    (msr(bitmap="0bx00100x0x1xxxx05xxx1xxxxxxxxxxx1"), "bitmap character '5'"),  # test_malformed_json
    (reg(bitmap="0B1"), "bitmap character 'B'"), (reg(bitmap="0bX"), "bitmap character 'X'"),
    (reg(bitmap="0b0b1"), "bitmap character 'b'"),
    (reg(bitmap="0b_" + "1" * 32), "a '_' before its 32 bits"),
    (msr(bitmap="_" + "x" * 64), "a '_' before its 64 bits"),
    # CustomCpuTemplate denies unknown fields; on x86_64 the aarch64 ones are unknown
    # (x86_64/test_utils.rs TEST_INVALID_TEMPLATE_JSON, refused by cpu_configuration.rs
    # test_parse_put_cpu_config_request_errors).
    ('{"reg_modifiers": [{"addr": "0x0AAC", "bitmap": "0b1xx1"}]}', "unknown key 'reg_modifiers' (an aarch64"),
    ('{"vcpu_features": [{"index": 0, "bitmap": "0b1"}]}', "unknown key 'vcpu_features'"),
    # serde's derived structs: a known field twice is an error.
    (one().replace('"leaf": "0x1"', '"leaf": "0x1", "leaf": "0x2"'), "cpuid_modifiers[0].leaf: appears twice"),
    ('{"cpuid_modifiers": [], "cpuid_modifiers": []}', "cpuid_modifiers appears twice"),
    (reg().replace('"register": "eax"', '"register": "eax", "register": "ebx"'), "modifiers[0].register: appears twice"),
    # KvmCapability: "N" or "!N", N by str::parse::<u32>.
    ('{"kvm_capabilities": ["0x38"]}', "kvm_capabilities[0]: \"0x38\" is not a KVM capability"),
    ('{"kvm_capabilities": [""]}', "kvm_capabilities[0]"), ('{"kvm_capabilities": ["!"]}', "kvm_capabilities[0]"),
    ('{"kvm_capabilities": ["!!5"]}', "kvm_capabilities[0]"), ('{"kvm_capabilities": [56]}', "kvm_capabilities[0]"),
    ('{"kvm_capabilities": ["4294967296"]}', "kvm_capabilities[0]"),
    # serde_json reads JSON: no NaN or Infinity, even in a skipped field.
    (one().replace('"flags": 0', '"flags": 0, "note": NaN'), "not JSON: NaN is not JSON"),
])
def test_what_firecracker_refuses_pvenum_refuses(doc, what):
    with pytest.raises(ParseError, match=re.escape(what)):
        firecracker.parse(doc)


def test_repeated_modifiers_apply_in_order_as_firecracker_does():
    # apply_template_to_cpuid and apply_template_to_msrs walk the modifiers in order: the same
    # register, leaf or MSR twice is the second bitmap over the first's result, the last flags kept.
    first, second = "0b1100xx", "0bx0x1x0"
    doc = {"cpuid_modifiers": [
        {"leaf": "0x1", "subleaf": "0x0", "flags": 1, "modifiers": [{"register": "eax", "bitmap": first}]},
        {"leaf": "0x1", "subleaf": "0x0", "flags": 0, "modifiers": [{"register": "eax", "bitmap": second},
                                                                    {"register": "ebx", "bitmap": first},
                                                                    {"register": "ebx", "bitmap": second}]}],
        "msr_modifiers": [{"addr": "0x10a", "bitmap": first}, {"addr": "0x10a", "bitmap": second}]}
    tpl = firecracker.parse(json.dumps(doc))
    for value in (0, 0b101010, 0xFFFFFFFF, 0x12345678):
        want = fc_apply(second, fc_apply(first, value))
        out = tpl.apply(CpuidDump.from_leaves({(1, 0): (value, value, 0, 0)}))
        assert out.get(1)[:2] == (want, want) and out.flags[(1, 0)] == 0
        assert tpl.apply_msrs(MsrSet({0x10A: value})) == {0x10A: want}
    assert firecracker.parse(tpl.dumps()).to_json() == tpl.to_json()  # written back as one modifier each


def test_a_refused_template_is_one_line_naming_the_file_and_entry(cli, tmp_path):
    path = tmp_path / "t.json"
    unflagged = {k: v for k, v in ENTRY.items() if k != "flags"} | {"leaf": "0x7"}
    path.write_text(json.dumps({"cpuid_modifiers": [ENTRY, unflagged]}))
    proc = cli("inspect", str(path))
    err = proc.stderr.decode()
    assert proc.returncode == 3 and err.count("\n") == 1, err
    assert err == (f"pvenum: error: {path}: firecracker-template: cpuid_modifiers[1].flags: missing; "
                   "Firecracker requires it (no serde default)\n")


def test_a_lone_surrogate_escape_is_not_json_as_serde_json_reads_it():
    # serde_json src/read.rs refuses "\ud800" alone ("lone leading surrogate in hex escape");
    # a pair is one character. Before: the fingerprint parsed and `inspect` failed printing it.
    fp = genoa_fingerprint()
    text = json.dumps(fp)
    version = json.dumps(fp["firecracker_version"])
    with pytest.raises(ParseError, match="lone surrogate"):
        firecracker.parse_fingerprint(text.replace(version, '"\\ud800"'))
    with pytest.raises(ParseError, match="lone surrogate"):
        firecracker.parse(json.dumps({"kvm_capabilities": ["\\udc00"]}).replace("\\\\", "\\"))
    pair = firecracker.parse_fingerprint(text.replace(version, '"\\ud83d\\ude00"'))
    assert pair.facts["firecracker_version"] == "\U0001F600"


@pytest.mark.parametrize("doc,what", [
    ({"cpuid_modifiers": [{"leaf": "0x1", "subleaf": "0x0", "flags": 0,
                           "modifiers": [{"register": "eax", "bitmap": "0b1"}] * (4 * firecracker.MAX_MODIFIERS + 1)}]},
     "register modifiers"),
    ({"kvm_capabilities": ["1"] * (firecracker.MAX_MODIFIERS + 1)}, "KVM capabilities"),
])
def test_every_list_of_a_template_is_bounded_before_it_is_read(doc, what):
    from pvenum.errors import LimitError

    with pytest.raises(LimitError, match=f"more than [0-9]+ {what}$"):
        firecracker.parse(json.dumps(doc))
    fp = {**genoa_fingerprint(), "guest_cpu_config": doc}
    with pytest.raises(LimitError):  # a fingerprint's template: still the limit, not a ParseError
        firecracker.parse_fingerprint(json.dumps(fp))
