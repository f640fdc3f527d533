"""The shortcuts pvenum/resolver/arm.py takes for speed read the tree as the Node helpers do."""

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
    want = [n for n in root.children if n.unit_name == "memory" or n.string("device_type") == "memory"]
    assert arm.memory_nodes(root.children) == want and other in want


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
