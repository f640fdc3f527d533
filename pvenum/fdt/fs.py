"""The unflattened devicetree a running Linux exposes: /proc/device-tree, which is
/sys/firmware/devicetree/base — a directory per node, a file per property.

What the directory form loses, and so what :func:`read_fs` cannot give back:
- document order: sysfs lists entries in its own order, so properties and children are
  read in name order (properties first), which is also what makes the result reproducible;
- memory reservations and boot_cpuid_phys (not exposed; /sys/firmware/fdt has them);
- nothing is added: the ``name`` properties Linux creates for each node are real files and
  are kept, as ``dtc -I fs`` keeps them.

Reads are bounded (file size, number of entries, depth) and symlinks are not followed.
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


def looks_like_dt_dir(path: str | os.PathLike[str]) -> bool:
    """A directory that is the root of an unflattened devicetree (cheap: two stat calls)."""
    p = os.fspath(path)
    return os.path.isdir(p) and (
        os.path.isfile(os.path.join(p, "#address-cells")) or os.path.isfile(os.path.join(p, "#size-cells"))
    )


def _name(entry: str) -> str:
    # os.listdir gives str with surrogate escapes for undecodable bytes: keep them as is.
    return entry


def read_fs(path: str | os.PathLike[str]) -> DeviceTree:
    root_dir = os.fspath(path)
    if not os.path.isdir(root_dir):
        raise PvenumError("not a directory", path=root_dir)
    root = Node("", None)
    nodes = 1
    props = 0
    stack: list[tuple[str, Node, int]] = [(root_dir, root, 0)]
    while stack:
        directory, node, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise LimitError(FMT, f"nodes nested deeper than {MAX_DEPTH}", path=directory)
        try:
            entries = sorted(os.scandir(directory), key=lambda e: e.name)
        except OSError as err:
            raise PvenumError(f"cannot list: {err.strerror or err}", path=directory) from None
        subdirs = []
        for entry in entries:
            try:
                st = entry.stat(follow_symlinks=False)
            except OSError:
                continue
            if stat.S_ISLNK(st.st_mode):
                continue
            if stat.S_ISDIR(st.st_mode):
                subdirs.append(entry)
            elif stat.S_ISREG(st.st_mode):
                props += 1
                if props > MAX_PROPERTIES:
                    raise LimitError(FMT, f"more than {MAX_PROPERTIES} properties", path=root_dir)
                node.append_property(_name(entry.name), _io.read_bytes(entry.path, limit=MAX_PROPERTY_BYTES))
        children = []
        for entry in subdirs:
            nodes += 1
            if nodes > MAX_NODES:
                raise LimitError(FMT, f"more than {MAX_NODES} nodes", path=root_dir)
            child = Node(_name(entry.name), node)
            node.children.append(child)
            children.append((entry.path, child, depth + 1))
        stack.extend(reversed(children))
    return DeviceTree(root=root)
