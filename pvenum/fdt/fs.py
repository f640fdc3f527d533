"""The unflattened devicetree a running Linux exposes: /proc/device-tree, which is
/sys/firmware/devicetree/base — a directory per node, a file per property.

What the directory form loses, and so what :func:`read_fs` cannot give back:
- document order: sysfs lists entries in its own order, so properties and children are
  read in name order (properties first), which is also what makes the result reproducible;
- memory reservations and boot_cpuid_phys (not exposed; /sys/firmware/fdt has them);
- nothing is added, and the ``name`` property Linux creates for each node (a file holding the
  node's base name) is dropped, as ``dtc -I fs`` drops it (dtc checks.c check_name_properties():
  a ``name`` equal to the base name is redundant and deleted; any other value is kept, which dtc
  reports as an error).

Reads are bounded (file size, bytes in all, number of entries, depth) and symlinks are not
followed. Names keep undecodable bytes as surrogate escapes, as os.scandir gives them.
"""

from __future__ import annotations

import os
import stat

from .. import _io
from ..errors import LimitError, PvenumError
from .constants import MAX_DEPTH, MAX_NODES, MAX_PROPERTIES
from .model import DeviceTree, Node

FMT = "dt-fs"
# A property file larger than this is not a devicetree property (the largest real ones,
# firmware blobs in FIT images, are read from the DTB instead).
MAX_PROPERTY_BYTES = 16 * 1024 * 1024


def read_fs(path: str | os.PathLike[str], within: _io.Within | None = None) -> DeviceTree:
    """``within``: the directory a walk met the tree in, which it must lie inside when read
    (pvenum._io.Within.inner)."""
    root_dir = os.fspath(path)
    if not os.path.isdir(root_dir):
        raise PvenumError("not a directory", path=root_dir)
    # Links are passed over below; a file swapped for one after that look is refused on the
    # descriptor opened (pvenum._io.Within.check_open), never read from outside the tree.
    inside = _io.Within(root_dir) if within is None else within.inner(root_dir)
    root = Node("", None)
    nodes = 1
    props = 0
    size = 0  # bytes read in all, capped like one input file (a DTB cannot hold more)
    stack: list[tuple[str, Node, int]] = [(root_dir, root, 0)]
    while stack:
        directory, node, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise LimitError(FMT, f"nodes nested deeper than {MAX_DEPTH}", path=directory)
        # a node holds at most every node and property a tree may: bounded before it is sorted
        entries = sorted(_io.listing(directory, MAX_NODES + MAX_PROPERTIES, fmt=FMT), key=lambda e: e.name)
        subdirs = []
        for entry in entries:
            st = _io.entry_lstat(entry)
            if st is None:
                continue
            if stat.S_ISLNK(st.st_mode):
                continue
            if stat.S_ISDIR(st.st_mode):
                subdirs.append(entry)
            elif stat.S_ISREG(st.st_mode):
                props += 1
                if props > MAX_PROPERTIES:
                    raise LimitError(FMT, f"more than {MAX_PROPERTIES} properties", path=root_dir)
                value = _io.read_bytes(entry.path, limit=MAX_PROPERTY_BYTES, regular=True, within=inside)
                size += len(value)
                if size > _io.MAX_INPUT_BYTES:
                    raise LimitError(FMT, f"properties add up to more than {_io.MAX_INPUT_BYTES} bytes",
                                     path=root_dir)
                if entry.name == "name" and value == node.name_property():
                    continue  # the node's own base name: dropped, as dtc -I fs drops it
                node.append_property(entry.name, value)
        children = []
        for entry in subdirs:
            nodes += 1
            if nodes > MAX_NODES:
                raise LimitError(FMT, f"more than {MAX_NODES} nodes", path=root_dir)
            child = Node(entry.name, node)
            node.children.append(child)
            children.append((entry.path, child, depth + 1))
        stack.extend(reversed(children))
    return DeviceTree(root=root)
