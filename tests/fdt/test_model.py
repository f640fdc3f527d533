"""The model: lookups as libfdt does them, typed readings beside raw bytes, building trees."""

from __future__ import annotations

import pytest
from fdt_blobs import libfdt, valid_blobs

from pvenum.fdt import DeviceTree, Node, build, parse
from pvenum.fdt.values import decode_reg, guess, looks_like_strings, string_list, u32_cells


def _lookups(tree: DeviceTree):
    """Every node's full path, and the same path with unit addresses dropped."""
    for node in tree.walk():
        yield node.path
        yield "/" + "/".join(p.split("@", 1)[0] for p in node.path.split("/") if p)


@pytest.mark.parametrize("name", ["qemu/virt-numa.dtb.gz", "dts/phandles.dtb", "kernel/rockchip_rk3568-rock-3a.dtb",
                                  "handmade/ok_repeated_names.dtb"])
def test_get_node_matches_libfdt_path_offset(name):
    lib = libfdt()
    data = valid_blobs()[name]
    tree = parse(data)
    fdt = lib.FdtRo(data)
    for path in _lookups(tree):
        off = fdt.path_offset(path, (lib.FDT_ERR_NOTFOUND,))
        node = tree.get_node(path)
        if off < 0:
            assert node is None, path
        else:
            assert node is not None, path
            assert node.path == fdt.get_path(off)
    for alias in ("serial0", "gic", "serial0/x", "nope"):
        off = fdt.path_offset(alias, (lib.FDT_ERR_NOTFOUND, lib.FDT_ERR_BADPATH))
        node = tree.get_node(alias)
        assert (node.path if node else None) == (fdt.get_path(off) if off >= 0 else None), alias


def test_an_alias_naming_no_node_finds_nothing_below_it_either():
    # libfdt fdt_path_offset_namelen(): an alias whose target does not resolve is FDT_ERR_NOTFOUND,
    # with or without a path after it.
    lib = libfdt()
    tree = DeviceTree()
    tree.root.add_child("aliases").set("serial0", "/nowhere")
    fdt = lib.FdtRo(build(tree))
    for alias in ("serial0", "serial0/x", "serial0/x/y"):
        assert fdt.path_offset(alias, (lib.FDT_ERR_NOTFOUND,)) < 0
        assert tree.get_node(alias) is None, alias


def test_resolver_style_lookup():
    lib = libfdt()
    for name in ("qemu/virt-gicv3.dtb.gz", "qemu/virt-secure.dtb.gz", "dts/realm-guest.dtb"):
        data = valid_blobs()[name]
        tree = parse(data)
        fdt = lib.FdtRo(data)
        off = fdt.path_offset("/psci", (lib.FDT_ERR_NOTFOUND,))
        psci = tree.get_node("/psci")
        if off < 0:
            assert psci is None
            continue
        method = fdt.getprop(off, "method", (lib.FDT_ERR_NOTFOUND,))
        assert psci.properties.get("method") == (bytes(method) if not isinstance(method, int) else None)
        assert psci.string("method") in ("hvc", "smc")


def test_repeated_names_keep_order_and_first_wins():
    tree = parse(valid_blobs()["handmade/ok_repeated_names.dtb"])
    root = tree.root
    assert root.properties["a"] == (1).to_bytes(4, "big")  # first wins, as fdt_getprop
    assert [n for n, _ in root.property_items()] == ["a", "b", "a"]
    assert root.property_items()[2][1] == (2).to_bytes(4, "big")
    assert [c.name for c in root.children] == ["n", "n"]
    assert tree.get_node("/n") is root.children[0]
    root.set("a", 7)
    assert [n for n, _ in root.property_items()] == ["a", "b"] and root.u32("a") == 7


def test_set_drops_repeats_that_hold_the_same_value():
    # Empty values are all the one b"" object: set() must not keep a repeat for being it.
    node = DeviceTree().root
    for name, value in (("a", b""), ("b", b"1"), ("a", b"")):
        node.append_property(name, value)
    node.set("a", 7)
    assert node.property_items() == [("a", (7).to_bytes(4, "big")), ("b", b"1")]
    assert not node.has_repeated_properties


def test_typed_helpers_read_values_as_their_bindings_say():
    tree = parse(valid_blobs()["dts/values.dtb"])
    cells = tree.get_node("/cells")
    assert cells.u32("u32") == 0xDEADBEEF
    assert cells.u32_cells("u32s") == (1, 2, 3, 4)
    assert cells.u64("u64") == 0x123456789ABCDEF0
    assert cells.u32("u32s") is None  # wrong length: no guess
    strings = tree.get_node("/strings")
    assert strings.strings("list") == ["first", "second", "third"]
    assert strings.strings("with-empty") == ["a", "", "b"]
    assert strings.string("one") == "hello"
    assert tree.get_node("/node@2").reg() == [(0x2000, 0x100), (0x3000, 0x100)]
    phandles = parse(valid_blobs()["dts/phandles.dtb"])  # kept: reg() reads the parent's cells
    mem = phandles.get_node("/memory")
    assert mem.reg() == [(0x40000000, 0x80000000), (0x100000000, 0x100000000)]
    uart = phandles.get_node("serial0")
    assert uart.name == "pl011@9000000"
    gic = phandles.find_phandle(uart.parent.u32("interrupt-parent"))
    assert gic is not None and gic.name == "intc@8000000"


@pytest.mark.parametrize("raw, kind", [
    (b"", "empty"), (b"okay\0", "string"), (b"a\0b\0", "strings"), (b"\0\0\0\x01", "u32"),
    (b"\0\0\0\x01\0\0\0\x02", "cells"), (b"\x01\x02\x03", "bytes"), (b"abcd", "u32"),
    (b"\0", "bytes"), (b"\xc3\xa9\0", "bytes"),
])
def test_guess_kinds(raw, kind):
    typed = guess("x", raw)
    assert typed.kind == kind
    assert typed.label


def test_guess_uses_the_property_name_and_reg_cells():
    assert guess("phandle", b"\0\0\0\x05").kind == "phandle"
    assert guess("#address-cells", b"\0\0\0\x02").value == 2
    assert guess("linux,initrd-start", (0x48000000).to_bytes(8, "big")).text == "/bits/ 64 <0x48000000>"
    assert guess("compatible", b"\x01\0").kind == "string"  # by name, escaped
    assert guess("compatible", b"\x01\0").text == '"\\x01"'
    tree = parse(valid_blobs()["qemu/virt-gicv3.dtb.gz"])
    mem = tree.get_node("/memory")
    typed = mem.typed("reg")
    assert typed.kind == "reg" and typed.value == [(0x40000000, 0x8000000)]
    assert "0x40000000+0x8000000" in typed.note


def test_value_readers_refuse_what_does_not_fit():
    assert string_list(b"abc") is None
    assert u32_cells(b"abc") is None
    assert decode_reg(b"\0" * 12, 2, 2) is None
    assert decode_reg(b"\0" * 16, 0xFFFFFFFF, 1) is None  # a hostile #address-cells
    assert not looks_like_strings(b"a\0\0\0")  # more NULs than characters: dtc says bytes


def test_build_a_tree_by_hand():
    tree = DeviceTree()
    tree.root.set("#address-cells", 2).set("#size-cells", 2).set("compatible", ["pvenum,test", "linux,dummy-virt"])
    psci = tree.root.add_child("psci")
    psci.set("compatible", "arm,psci-1.0").set("method", "smc")
    tree.root.add_child("memory@40000000").set("device_type", "memory").set("reg", [0, 0x40000000, 0, 0x8000000])
    tree.reservations.append((0x1000, 0x2000))
    blob = build(tree)
    back = parse(blob)
    assert back.same_as(tree)
    assert back.get_node("/psci").properties.get("method") == b"smc\0"
    assert back.get_node("/memory").reg() == [(0x40000000, 0x8000000)]
    with pytest.raises(ValueError):
        tree.root.add_child("a/b")
    with pytest.raises(TypeError):
        tree.root.set("x", True)


def test_walk_is_document_order_and_paths_are_full():
    tree = parse(valid_blobs()["dts/values.dtb"])
    paths = [n.path for n in tree.walk()]
    assert paths[0] == "/"
    assert paths.index("/node@1/child@0/deep/deeper/deepest") == paths.index("/node@1") + 4
    assert paths.index("/node@2") > paths.index("/node@1/child@0/deep/deeper/deepest")
    assert all(isinstance(n.properties.get("x", b""), bytes) for n in tree.walk())
    node = Node("orphan")
    assert node.path == "/"  # a parentless node is a root


def test_dts_text_is_the_guess_text_for_every_real_property():
    from pvenum.fdt.values import dts_text

    for data in valid_blobs().values():
        for node in parse(data).walk():
            for name, raw in node.property_items():
                assert dts_text(name, raw) == guess(name, raw, node).text, (node.path, name)


def test_delete_property_and_child_keep_the_rest_in_order():
    tree = DeviceTree()
    node = tree.root.add_child("n")
    for name, value in (("a", b"1"), ("b", b"2"), ("a", b"3"), ("c", b"4")):
        node.append_property(name, value)
    assert node.has_repeated_properties
    assert node.delete_property("a") and not node.delete_property("a")
    assert node.property_items() == [("b", b"2"), ("c", b"4")] and not node.has_repeated_properties
    tree.root.add_child("m@1")
    tree.root.add_child("m@2")
    assert tree.root.delete_child("m") and [c.name for c in tree.root.children] == ["n", "m@2"]
    assert tree.get_node("/m") is tree.root.children[1] and not tree.root.delete_child("zz")
    assert parse(build(tree)).same_as(tree)


def test_lookups_and_the_tree_memo_follow_edits_made_through_the_node_api():
    # Child indexes (Node.child) and what a DeviceTree remembers (DeviceTree.memo()) must never give a stale answer after an edit through the Node API.
    tree = DeviceTree()
    assert tree.get_node("/a") is None and tree.get_node("/a/b") is None
    a = tree.root.add_child("a@1")
    assert tree.get_node("/a") is a and tree.get_node("/a/b") is None
    b = a.add_child("b")
    assert tree.get_node("/a/b") is b and tree.get_node("/a@1/b") is b
    exact = tree.root.add_child("a")  # after a@1: the unit-name lookup still finds a@1 first
    assert tree.get_node("/a") is a and tree.get_node("/a@1") is a
    assert tree.root.delete_child("a@1")
    assert tree.get_node("/a") is exact and tree.get_node("/a/b") is None and tree.get_node("/a@1") is None
    deep = exact.add_child("d").add_child("e")  # an edit two levels down counts on the root too
    for edit in (lambda: exact.set("x", 1), lambda: exact.append_property("x", b"2"),
                 lambda: exact.delete_property("x"), lambda: exact.add_child("c"), lambda: exact.delete_child("c"),
                 lambda: deep.set("compatible", "v")):
        tree.memo()["kept"] = True
        assert tree.memo()
        edit()
        assert tree.memo() == {}
    tree.memo()["kept"] = True
    tree.root = Node()
    assert tree.memo() == {} and tree.get_node("/a") is None


def test_child_named_is_the_first_child_with_that_whole_name():
    # arch/arm/xen/enlighten.c fdt_find_hyper_node(): strcmp(uname, "hypervisor") at depth 1.
    root = Node()
    first_unit = root.add_child("hypervisor@0")
    exact = root.add_child("hypervisor")
    root.add_child("hypervisor")
    assert root.child("hypervisor") is first_unit  # libfdt: name or name@...
    assert root.child_named("hypervisor") is exact
    assert root.child_named("hypervisor@0") is first_unit and root.child_named("hypervisor@1") is None
    assert root.child_named("cpus") is None
    only_exact = Node()
    n = only_exact.add_child("chosen")
    assert only_exact.child_named("chosen") is n is only_exact.child("chosen")


@pytest.mark.parametrize("names", [["m", "m@1", "m@1"], ["m@2", "m@1", "m"], ["m@1"], ["x", "m@10", "m@1"]])
def test_child_with_a_unit_address_is_the_first_exact_name_whichever_index_answers(names):
    # libfdt fdt_subnode_offset_namelen(): with "@" in the name only the whole name matches.
    for warm_units_first in (False, True):
        root = Node()
        kids = [root.add_child(n) for n in names]
        if warm_units_first:
            root.child("m")  # the unit-name index exists before the exact lookups
        for query in ("m@1", "m@2", "m@3", "x@1"):
            want = next((k for k in kids if k.name == query), None)
            assert root.child(query) is want, (names, query)
        assert root.child("m") is next(k for k in kids if k.name.split("@")[0] == "m")


def test_a_tree_is_freed_by_reference_counting_and_a_node_says_when_its_tree_is_gone():
    # Parent links are weak (pvenum/fdt/model.py Node): a dropped tree must not wait for the
    # cyclic collector, whose passes over dropped trees were the largest cost of a full decode.
    import gc
    import weakref

    data = valid_blobs()["dts/phandles.dtb"]
    was = gc.isenabled()
    gc.disable()
    try:
        tree = parse(data)
        root, mem = weakref.ref(tree.root), weakref.ref(tree.get_node("/memory"))
        del tree
        assert root() is None and mem() is None  # freed without gc.collect()
    finally:
        if was:
            gc.enable()
    orphan = parse(data).get_node("/memory")  # the tree is dropped at once
    for read in (lambda: orphan.parent, lambda: orphan.path, orphan.reg):
        with pytest.raises(ReferenceError, match="keep a reference to its DeviceTree"):
            read()
    assert "memory@40000000 (its tree has been freed)" in repr(orphan)
    assert orphan.strings("device_type") == ["memory"]  # its own properties stay readable


def test_parent_links_survive_pickle_copy_and_builder_chains():
    import copy
    import pickle

    tree = parse(valid_blobs()["kernel/rockchip_rk3568-rock-3a.dtb"])
    paths = [n.path for n in tree.walk()]
    for twin in (pickle.loads(pickle.dumps(tree)), copy.deepcopy(tree), tree.copy()):
        assert twin.same_as(tree)
        nodes = list(twin.walk())
        assert [n.path for n in nodes] == paths
        assert all(c.parent is n for n in nodes for c in n.children)
    # A shallow copy shares the children, which keep their parent (copy.copy of a slotted class).
    cpus = tree.get_node("/cpus")
    twin = copy.copy(cpus)
    assert twin.children is cpus.children and twin.parent is cpus.parent
    assert all(c.parent is cpus for c in cpus.children)
    # A builder chain whose root nobody keeps still takes edits; only the parent is unknown.
    psci = Node().add_child("psci")
    psci.set("method", "hvc")
    assert psci.string("method") == "hvc"
    with pytest.raises(ReferenceError):
        psci.path
