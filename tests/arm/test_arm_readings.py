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
def test_is_memory_node_is_the_node_helpers_test(name, device_type):
    node = Node(name.replace("/", "_") or "n", Node())
    if device_type is not None:
        node.set("device_type", device_type)
    assert arm.is_memory_node(node) == (node.unit_name == "memory" or node.string("device_type") == "memory")
