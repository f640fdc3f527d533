"""pvenum/scenario/dt.py: the devicetree a scenario hands its arm64 guest."""

from __future__ import annotations

import gzip

import pytest
from arm_helpers import arm_scenario_text, scenario

from pvenum import fdt
from pvenum.errors import ScenarioError
from pvenum.scenario import catalog
from pvenum.scenario.dt import base_tree, build_tree
from pvtest import DATA


def test_base_is_qemus_virt_tree_without_the_padding():
    dump = gzip.decompress((DATA / "fdt" / "qemu" / "virt-gicv3.dtb.gz").read_bytes())
    assert len(dump) == 1 << 20
    qemu = fdt.parse(dump)
    assert base_tree().same_as(qemu)
    assert fdt.build(qemu) == fdt.build(base_tree())
    assert len(fdt.build(base_tree())) < 8192


@pytest.mark.parametrize("name,method,hypervisor_node,record", [
    ("arm64-kvm", "hvc", False, False),
    ("arm64-xen", "hvc", True, False),
    ("cca-realm", "smc", False, False),
    ("cca-realm-paravisor", "smc", False, True),
    ("conflict-realm-record-not-in-charge", "smc", False, True),
])
def test_catalog_trees(name, method, hypervisor_node, record):
    tree = build_tree(catalog.get(name))
    assert tree.get_node("/psci").string("method") == method
    assert (tree.get_node("/hypervisor") is not None) == hypervisor_node
    assert (tree.get_node("/firmware/paravisor") is not None) == record
    assert tree.get_node("/reserved-memory") is None  # no restricted-dma-pool by default (Linux bounces anyway)
    # Everything else is QEMU's tree.
    base = {n.path: dict(n.properties) for n in base_tree().walk()}
    for node in tree.walk():
        if node.path in base and node.path != "/psci":
            assert dict(node.properties) == base[node.path], node.path


def test_xen_node_follows_the_binding():
    tree = build_tree(catalog.get("arm64-xen"))  # kept: reg() reads the parent's cells
    node = tree.get_node("/hypervisor")
    assert node.strings("compatible") == ["xen,xen-4.17", "xen,xen"]
    assert node.reg() == [(0x38000000, 0x01000000)]
    assert node.u32_cells("interrupts") == (1, 15, 0xF08)


def test_builds_are_deterministic():
    for name in ("cca-realm-paravisor", "arm64-xen"):
        a = fdt.build(build_tree(catalog.get(name)))
        b = fdt.build(build_tree(catalog.get(name)))
        assert a == b and fdt.validate(a) == []


def test_overrides():
    extra = """[override.dt]
"/chosen:bootargs" = "console=ttyAMA0"
"/psci:compatible" = ["arm,psci-0.2", "arm,psci"]
"/memory@40000000:reg" = [0, 0x40000000, 0, 0x20000000]
"/chosen:linux,blob" = "hex:00ff10"
"/chosen:linux,flag" = true
"/chosen:kaslr-seed" = false
"/pmu" = false
"/extra" = {}
"/extra/child" = { compatible = "vendor,thing", value = 7 }
"""
    tree = build_tree(scenario(arm_scenario_text(extra=extra)))
    chosen = tree.get_node("/chosen")
    assert chosen.string("bootargs") == "console=ttyAMA0"
    assert chosen.properties["linux,blob"] == b"\x00\xff\x10" and chosen.properties["linux,flag"] == b""
    assert "kaslr-seed" not in chosen.properties
    assert tree.get_node("/psci").strings("compatible") == ["arm,psci-0.2", "arm,psci"]
    assert tree.get_node("/memory").reg() == [(0x40000000, 0x20000000)]
    assert tree.get_node("/pmu") is None
    assert tree.get_node("/extra/child").u32("value") == 7
    assert fdt.validate(fdt.build(tree)) == []


@pytest.mark.parametrize("line,key,message", [
    ('"/nope:x" = "y"', "override.dt./nope:x", "no node /nope"),
    ('"psci:method" = "smc"', "override.dt.psci:method", "expected \"/path\""),
    ('"/psci:method" = 1.5', "override.dt./psci:method", "expected a string"),
    ('"/psci:method" = [1, "a"]', "override.dt./psci:method", "expected a string"),
    ('"/psci:method" = [0x100000000]', "override.dt./psci:method", "cells are u32"),
    ('"/psci:method" = "hex:zz"', "override.dt./psci:method", "hexadecimal"),
    ('"/psci:nothing" = false', "override.dt./psci:nothing", "has no property"),
    ('"/psci:" = "x"', "override.dt./psci:", "no property name"),
    ('"/psci" = "x"', "override.dt./psci", "a node is added with {}"),
    ('"/nope" = false', "override.dt./nope", "no node /nope to delete"),
    ('"/a/b" = {}', "override.dt./a/b", "no node /a"),
    ('"/" = {}', "override.dt./", "root node"),
    ('"/a//b" = {}', "override.dt./a//b", "empty node name"),
    ('"/extra" = { value = 1.5 }', "override.dt./extra.value", "expected a string"),
])
def test_bad_overrides_name_the_key(line, key, message):
    sc = scenario(arm_scenario_text(extra=f"[override.dt]\n{line}\n"))
    with pytest.raises(ScenarioError, match=message) as err:
        sc.platform()
    assert err.value.key == key


@pytest.mark.parametrize(("override", "what"), [
    ('"/psci:cpu on" = 1', "property name 'cpu on'"),
    ('"/my node{1}" = { x = "z" }', "node name 'my node{1}'"),
    ('"/n@1@2" = {}', "node name 'n@1@2'"),
    ('"/n" = { "a=b" = "z" }', "property name 'a=b'"),
])
def test_names_dtc_refuses_are_refused(override, what):
    # Devicetree Specification v0.4 2.2.1 (node names: letters, digits, ",._+-", one @unit-address)
    # and 2.2.4.1 (property names: letters, digits, ",._+?#-"); dtc (checks.c node_name_chars,
    # property_name_chars) refuses the rest, so a built DTB's DTS would not compile back.
    import re

    with pytest.raises(ScenarioError, match=re.escape(what)):
        scenario(arm_scenario_text(extra=f"[override.dt]\n{override}\n")).platform()


def test_names_the_spec_allows_compile_back_with_dtc(tmp_path):
    import shutil
    import subprocess

    if shutil.which("dtc") is None:
        pytest.skip("dtc not installed (apt-get install device-tree-compiler)")
    sc = scenario(arm_scenario_text(extra='[override.dt]\n"/my-node@1,a" = { "#x,y?" = "z", "p*+_." = 1 }\n'))
    tree = sc.platform().fdt
    dts = tmp_path / "t.dts"
    dts.write_text(fdt.to_dts(tree))
    r = subprocess.run(["dtc", "-I", "dts", "-O", "dtb", "-o", str(tmp_path / "t.dtb"), str(dts)],
                       capture_output=True, timeout=60)
    assert r.returncode == 0 and b"ERROR" not in r.stderr, r.stderr
