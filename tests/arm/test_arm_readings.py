"""What pvenum/resolver/arm.py reads of the tree, held to the Node helpers and to the kernel code it mirrors."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from pvenum.fdt.model import Node
from pvenum.resolver import arm

_NAMES = st.one_of(st.sampled_from(["memory", "memory@0", "memory@40000000", "memoryx", "memor", "memory-1@0",
                                    "cpus", "memory@", "@memory"]), st.text(min_size=1, max_size=12))
_VALUES = st.one_of(st.none(), st.sampled_from([b"memory\0", b"memory", b"memory\0cpu\0", b"memory\0cpu",
                                                b"memoryx\0", b"\0", b"", b"cpu\0memory\0", b"memory\0\0"]),
                    st.binary(max_size=12))


@settings(max_examples=400, deadline=None)
@given(_NAMES, _VALUES)
def test_memory_nodes_is_the_node_helpers_test(name, device_type):
    root = Node()
    node = root.add_child(name.replace("/", "_") or "n")
    if device_type is not None:
        node.set("device_type", device_type)
    other = root.add_child("memory@0")  # order kept, several found
    other.set("device_type", "memory")
    # early_init_dt_scan_memory() (torvalds/linux drivers/of/fdt.c): device_type's string is
    # "memory", whatever the node's name.
    want = [n for n in root.children if n.string("device_type") == "memory"]
    assert arm.memory_nodes(root.children) == want and other in want


def test_a_memory_named_node_without_device_type_is_not_ram():
    # "We are scanning "memory" nodes only": a node named memory@... without device_type is
    # skipped by early_init_dt_scan_memory() (the /memory@0 name fallback is PowerPC's).
    root = Node()
    root.add_child("memory@40000000").set("reg", [0x40000000, 0x1000])
    typed = root.add_child("memory@80000000")
    typed.set("device_type", "memory")
    assert arm.memory_nodes(root.children) == [typed]


_STATUS = st.one_of(st.none(), st.sampled_from([b"okay\0", b"ok\0", b"okay", b"disabled\0", b"fail\0", b"OKAY\0",
                                                b"okay\0x\0", b"oka\0", b"\0", b""]), st.binary(max_size=8))


@settings(max_examples=300, deadline=None)
@given(_STATUS)
def test_memory_nodes_skip_unavailable_nodes(status):
    # of_fdt_device_is_available() (torvalds/linux drivers/of/fdt.c): no status, or strcmp()
    # equal to "ok" or "okay" -- the bytes up to the first NUL.
    root = Node()
    node = root.add_child("memory@0")
    node.set("device_type", "memory")
    if status is not None:
        node.set("status", status)
    want = status is None or status.split(b"\0")[0] in (b"ok", b"okay")
    assert (arm.memory_nodes(root.children) == [node]) is want


def _kernel_memblock(raw: bytes, ac: int, sc: int) -> list[tuple[int, int]]:
    # early_init_dt_scan_memory(): endp = reg + l / sizeof(__be32); while (endp - reg) >= ac + sc,
    # base and size are dt_mem_next_cell() (of_read_number() into a u64) and size 0 is skipped.
    words = [int.from_bytes(raw[i:i + 4], "big") for i in range(0, len(raw) // 4 * 4, 4)]
    out, at = [], 0
    while ac + sc and len(words) - at >= ac + sc:
        base = size = 0
        for _ in range(ac):
            base, at = ((base << 32) | words[at]) % (1 << 64), at + 1
        for _ in range(sc):
            size, at = ((size << 32) | words[at]) % (1 << 64), at + 1
        if size:
            out.append((base, size))
    return out


@settings(max_examples=400, deadline=None)
@given(st.binary(max_size=64), st.integers(0, 4), st.integers(0, 4))
def test_memblock_entries_follow_the_kernel_loop(raw, ac, sc):
    assert arm.memblock_entries(raw, ac, sc) == _kernel_memblock(raw, ac, sc)


def test_memory_uses_the_roots_cells_and_linux_defaults():
    # dt_root_addr_cells / dt_root_size_cells default to OF_ROOT_NODE_ADDR_CELLS_DEFAULT and
    # _SIZE_CELLS_DEFAULT, both 1 outside SPARC (torvalds/linux drivers/of/of_private.h), not
    # the devicetree specification's 2 and 1.
    from pvenum.fdt.model import DeviceTree
    from pvenum.platform import Platform
    from pvenum.resolver.engine import Ctx

    root = Node()
    mem = root.add_child("memory@40000000")
    mem.set("device_type", "memory")
    mem.set("reg", [0x40000000, 0x8000000, 0, 0x1000])  # 1/1 cells: two entries, the second size 0x1000
    ctx = Ctx(Platform(arch="arm64", fdt=DeviceTree(root=root)))
    assert arm.memory_ranges(ctx) == [(0x40000000, 0x8000000), (0, 0x1000)]
    root.set("#address-cells", 2)  # 2/1: one whole entry of three cells, size 0 (skipped); the fourth cell is cut
    ctx = Ctx(Platform(arch="arm64", fdt=DeviceTree(root=root)))
    assert arm.memory_ranges(ctx) == []
    root.set("#size-cells", 2)
    ctx = Ctx(Platform(arch="arm64", fdt=DeviceTree(root=root)))
    assert arm.memory_ranges(ctx) == [(0x40000000_08000000, 0x1000)]


_COMPATIBLE_PIECES = st.sampled_from([b"arm,psci-1.0", b"arm,psci-0.2", b"arm,psci", b"arm,psci-1.1", b"arm,psc",
                                      b"qcom,psci", b"", b"\xff\xfe", b"arm,psci\xff"])


@settings(max_examples=400, deadline=None)
@given(st.one_of(st.none(), st.binary(max_size=24),
                 st.lists(_COMPATIBLE_PIECES, max_size=4).map(lambda xs: b"".join(x + b"\0" for x in xs)),
                 st.lists(_COMPATIBLE_PIECES, min_size=1, max_size=4).map(b"\0".join)))
def test_psci_entry_is_the_first_listed_string(compatible):
    # psci_of_match[] order does not matter: of_match_node() takes the node's earliest
    # compatible string that the table lists (drivers/of/base.c __of_match_node()).
    node = Node().add_child("psci")
    if compatible is not None:
        node.set("compatible", compatible)
    want = next((s for s in node.strings("compatible") or () if s in arm.PSCI_COMPATIBLES), None)
    assert arm._psci_entry(node) == want


def _xen_tree(first: str | None) -> "object":
    from pvenum.fdt.model import DeviceTree

    root = Node("", None)
    root.set("#address-cells", 2)
    root.set("#size-cells", 2)
    if first is not None:
        root.add_child(first).set("compatible", ["vendor,other"])
    h = root.add_child("hypervisor")
    h.set("compatible", ["xen,xen-4.17", "xen,xen"])
    h.set("reg", [0, 0x38000000, 0, 0x1000])
    h.set("interrupts", [1, 15, 0xF08])
    return DeviceTree(root=root)


def test_xen_reads_the_depth_one_node_named_hypervisor_not_an_earlier_unit_sibling():
    # xen_early_init() scans the flat tree with fdt_find_hyper_node(): depth 1 and
    # strcmp(uname, "hypervisor") == 0 on the full node name (torvalds/linux
    # arch/arm/xen/enlighten.c, built for arm64 too), so a "hypervisor@0" node before it is
    # skipped. A "/hypervisor" path lookup (libfdt's name-or-name@unit rule) would stop there.
    from pvenum.platform import Platform
    from pvenum.resolver import resolve

    plain = resolve(Platform(arch="arm64", fdt=_xen_tree(None)), "linux")
    shadowed = resolve(Platform(arch="arm64", fdt=_xen_tree("hypervisor@0")), "linux")
    assert plain.hypervisor == shadowed.hypervisor == "xen"
    compat = [e.value for e in shadowed.evidence if e.source == "dt /hypervisor:compatible"]
    assert compat == [["xen,xen-4.17", "xen,xen"]]
    # The node it takes is recorded as found, as an absent one is recorded absent (below).
    assert [e.value for e in shadowed.evidence if e.source == "dt /hypervisor"] == [True]
    # Only the unit sibling: no node fdt_find_hyper_node() takes, recorded as absent.
    from pvenum.fdt.model import DeviceTree

    root = Node("", None)
    root.add_child("hypervisor@0").set("compatible", ["xen,xen-4.17", "xen,xen"])
    alone = resolve(Platform(arch="arm64", fdt=DeviceTree(root=root)), "linux")
    assert alone.hypervisor != "xen"
    assert [e.value for e in alone.evidence if e.source == "dt /hypervisor"] == [False]


def test_psci_is_the_first_matching_node_in_document_order_not_psci_first():
    # drivers/firmware/psci/psci.c psci_dt_init(): of_find_matching_node_and_match(NULL,
    # psci_of_match) walks every node in document order (drivers/of/base.c
    # for_each_of_allnodes_from()), so a matching node before /psci is the one read.
    from pvenum.fdt.model import DeviceTree
    from pvenum.platform import Platform
    from pvenum.resolver.engine import Ctx

    root = Node()
    early = root.add_child("firmware").add_child("psci-early")
    early.set("compatible", ["arm,psci-0.2"])
    early.set("method", "hvc")
    late = root.add_child("psci")
    late.set("compatible", ["arm,psci-1.0"])
    late.set("method", "smc")
    p = arm.psci(Ctx(Platform(arch="arm64", fdt=DeviceTree(root=root))))
    assert (p.node, p.compatible, p.conduit) == ("/firmware/psci-early", "arm,psci-0.2", "hvc")
    root.children.reverse()  # /psci first in document order now
    p = arm.psci(Ctx(Platform(arch="arm64", fdt=DeviceTree(root=root))))
    assert (p.node, p.compatible, p.conduit) == ("/psci", "arm,psci-1.0", "smc")


def test_psci_status_is_read_as_of_device_is_available_reads_it():
    # psci_dt_init(): !of_device_is_available(np) -> -ENODEV (drivers/of/base.c
    # __of_device_is_status(): a status of length 0 is not "okay", and strcmp() reads a value
    # up to its NUL, so a "disabled" without one is still disabled).
    from pvenum.fdt.model import DeviceTree
    from pvenum.platform import Platform
    from pvenum.resolver.engine import Ctx

    for status, conduit in ((None, "smc"), (b"okay\0", "smc"), (b"ok\0", "smc"), (b"okay", "smc"),
                            (b"disabled\0", "none"), (b"disabled", "none"), (b"", "none")):
        root = Node()
        node = root.add_child("psci")
        node.set("compatible", ["arm,psci-1.0"])
        node.set("method", "smc")
        if status is not None:
            node.set("status", status)
        p = arm.psci(Ctx(Platform(arch="arm64", fdt=DeviceTree(root=root))))
        assert p.conduit == conduit, status
        assert p.problem is None if conduit == "smc" else p.problem.startswith("/psci status = \"")


def test_memory_root_cells_are_read_as_the_kernel_reads_them_and_recorded():
    # early_init_dt_scan_root() (torvalds/linux drivers/of/fdt.c): dt_root_addr_cells /
    # dt_root_size_cells = be32_to_cpup() of the property, i.e. its first cell whatever its length.
    from pvenum.fdt.model import DeviceTree
    from pvenum.platform import Platform
    from pvenum.resolver.engine import Ctx

    root = Node()
    root.set("#address-cells", 1)
    root.set("#size-cells", b"\x00\x00\x00\x01\x00\x00\x00\x02")  # 8 bytes: the first cell, 1, counts
    mem = root.add_child("memory@40000000")
    mem.set("device_type", "memory")
    mem.set("reg", [0x40000000, 0x8000000])
    ctx = Ctx(Platform(arch="arm64", fdt=DeviceTree(root=root)))
    assert arm.memory_ranges(ctx) == [(0x40000000, 0x8000000)]
    read = {source[1:]: value for source, value, _ in ctx._reads if source[0] == "dt-prop"}
    assert read[("/", "#address-cells")] == 1 and read[("/", "#size-cells")] == 1
