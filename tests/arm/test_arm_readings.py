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
