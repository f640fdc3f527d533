"""The devicetree a scenario's VMM or firmware hands an arm64 guest.

Starts from the tree QEMU 7.2 gives a ``-machine virt,gic-version=3`` guest
(pvenum/fixtures/base/qemu-virt-gicv3.dtb, provenance in its README) and changes only:

- ``/psci`` ``method``: ``"smc"`` for an Arm CCA realm — arm64_rsi_init() returns at once
  unless the conduit is SMC, and the RMM handles the realm's PSCI calls (TF-RMM
  handle_realm_rsi(); an HVC from a realm is an undefined instruction) — else ``"hvc"``, what
  QEMU writes for a KVM guest (hw/arm/boot.c fdt_add_psci_node()).
- Xen: a ``/hypervisor`` node per Documentation/devicetree/bindings/arm/xen.txt —
  ``compatible = "xen,xen-4.17", "xen,xen"``, ``reg`` = the grant-table window Xen gives
  guests (GUEST_GNTTAB_BASE 0x38000000, GUEST_GNTTAB_SIZE 16 MiB, xen/include/public/arch-arm.h),
  ``interrupts = <1 15 0xf08>`` (PPI 31, GUEST_EVTCHN_PPI, the binding's example value).
- The draft paravisor services record at ``/firmware/paravisor`` when the scenario's
  ``[services] encodings`` list ``"dt"`` (pvenum/proposal/dt_encoding.py).
- ``[override.dt]``, in the order written:

      "/path:prop" = "string" | ["string", ...] | [u32, ...] | "hex:0011..." (raw bytes)
                     | true (an empty, boolean property) | false (delete the property)
      "/path" = {}                 add the node (its parent must exist)
      "/path" = { prop = value }   add the node (or reuse it) and set those properties
      "/path" = false              delete the node

No restricted-dma-pool is added for realms: Linux bounces every DMA of a realm through SWIOTLB
anyway (arch/arm64/mm/init.c mem_init(), SWIOTLB_FORCE), and neither QEMU nor
kvmtool writes one. ``[override.dt]`` adds one where a scenario wants to show it.

Deterministic: the base blob is fixed, every change is a pure function of the scenario.
"""

from __future__ import annotations

import functools
import re
from importlib import resources
from typing import TYPE_CHECKING, Any

from ..errors import ScenarioError
from ..fdt import DeviceTree, parse
from ..fdt.model import Node, encode_value

if TYPE_CHECKING:  # pragma: no cover
    from .model import Scenario

BASE = "qemu-virt-gicv3.dtb"
XEN_VERSION = "4.17"
XEN_GNTTAB = (0x38000000, 0x01000000)  # GUEST_GNTTAB_BASE / _SIZE (xen/include/public/arch-arm.h)
XEN_EVTCHN_INTERRUPTS = [1, 15, 0xF08]  # GIC_PPI, 31 - 16, edge/level flags as in the binding example


@functools.lru_cache(maxsize=1)
def _base_blob() -> bytes:
    return resources.files("pvenum.fixtures.base").joinpath(BASE).read_bytes()


def base_tree() -> DeviceTree:
    """A fresh copy of QEMU's virt tree."""
    return parse(_base_blob()).copy()


def build_tree(s: Scenario) -> DeviceTree:
    tree = base_tree()
    tree.header = None  # built, not read: the builder lays it out anew
    psci = tree.get_node("/psci")
    if psci is not None:
        psci.set("method", "smc" if s.isolation == "cca" else "hvc")
    if s.hypervisor == "xen":
        _xen_node(tree)
    if s.services is not None and "dt" in s.encodings:
        from ..proposal import dt_encoding

        tree = dt_encoding.install(tree, s.services)
    for key, value in s.override.get("dt", {}).items():
        _override(tree, key, value, f"override.dt.{key}")
    return tree


def _xen_node(tree: DeviceTree) -> None:
    node = tree.root.child("hypervisor") or tree.root.add_child("hypervisor")
    node.set("compatible", [f"xen,xen-{XEN_VERSION}", "xen,xen"])
    base, size = XEN_GNTTAB
    node.set("reg", [base >> 32, base & 0xFFFFFFFF, size >> 32, size & 0xFFFFFFFF])
    node.set("interrupts", XEN_EVTCHN_INTERRUPTS)


# -- [override.dt] ------------------------------------------------------------------------------


def _value(value: Any, where: str) -> bytes:
    if value is True:
        return b""
    if isinstance(value, str):
        if value.startswith("hex:"):
            try:
                return bytes.fromhex(value[4:])
            except ValueError:
                raise ScenarioError("\"hex:\" must be followed by hexadecimal bytes", key=where) from None
        return encode_value(value)
    if isinstance(value, int) and not isinstance(value, bool):
        value = [value]
    if isinstance(value, list) and value:
        if all(isinstance(v, str) for v in value):
            return encode_value(value)
        if all(isinstance(v, int) and not isinstance(v, bool) for v in value):
            if not all(0 <= v <= 0xFFFFFFFF for v in value):
                raise ScenarioError("cells are u32: 0..0xffffffff", key=where)
            return encode_value(value)
    raise ScenarioError("expected a string, a list of strings, a list of u32 cells, \"hex:...\", true or false",
                        key=where)


# The names a built DTB may hold, so that dtc compiles its DTS back: node names of the Devicetree
# Specification v0.4 section 2.2.1 (Table 2.1: letters, digits and ",._+-", then one
# "@unit-address" of the same), property names of section 2.2.4.1 (Table 2.2: letters, digits and
# ",._+?#-") and the "*" dtc also takes (dtc checks.c NODECHARS / PROPCHARS, checks
# node_name_chars and property_name_chars, both errors).
_NODE_NAME = re.compile(r"[A-Za-z0-9,._+-]+(@[A-Za-z0-9,._+-]*)?")
_PROPERTY_NAME = re.compile(r"[A-Za-z0-9,._+*#?-]+")


def _checked_node(name: str, where: str) -> str:
    if not _NODE_NAME.fullmatch(name):
        raise ScenarioError(f"node name {name!r}: the Devicetree Specification allows letters, digits and "
                            "\",._+-\", then one @unit-address of the same (dtc refuses others)", key=where)
    return name


def _checked_property(name: str, where: str) -> str:
    if not _PROPERTY_NAME.fullmatch(name):
        raise ScenarioError(f"property name {name!r}: the Devicetree Specification allows letters, digits and "
                            "\",._+?#-\" (and dtc \"*\"; it refuses others)", key=where)
    return name


def _split(key: str, where: str) -> tuple[str, str | None]:
    if not key.startswith("/"):
        raise ScenarioError("expected \"/path\" or \"/path:property\"", key=where)
    path, sep, prop = key.partition(":")
    if sep and not prop:
        raise ScenarioError("no property name after ':'", key=where)
    if any(not part for part in path.split("/")[1:]) and path != "/":
        raise ScenarioError("empty node name in the path", key=where)
    return path, (prop if sep else None)


def _node(tree: DeviceTree, path: str, where: str) -> Node:
    node = tree.get_node(path)
    if node is None:
        raise ScenarioError(f"no node {path} in this scenario's devicetree", key=where)
    return node


def _override(tree: DeviceTree, key: str, value: Any, where: str) -> None:
    path, prop = _split(key, where)
    if prop is not None:
        node = _node(tree, path, where)
        if value is False:
            if not node.delete_property(prop):
                raise ScenarioError(f"{path} has no property {prop!r}", key=where)
            return
        node.set(_checked_property(prop, where), _value(value, where))
        return
    if path == "/":
        raise ScenarioError("the root node cannot be added or deleted", key=where)
    parent_path, _, name = path.rpartition("/")
    parent = _node(tree, parent_path or "/", where)
    if value is False:
        if not parent.delete_child(name):
            raise ScenarioError(f"no node {path} to delete", key=where)
        return
    if not isinstance(value, dict):
        raise ScenarioError("a node is added with {} or a table of properties, deleted with false", key=where)
    node = parent.child_named(name)
    if node is None:
        try:
            node = parent.add_child(_checked_node(name, where))
        except ValueError as err:
            raise ScenarioError(str(err), key=where) from None
    for prop_name, prop_value in value.items():
        if prop_value is False:
            node.delete_property(prop_name)
            continue
        node.set(_checked_property(prop_name, f"{where}.{prop_name}"), _value(prop_value, f"{where}.{prop_name}"))
