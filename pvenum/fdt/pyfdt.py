"""Conversion to and from objects of the pure-Python ``fdt`` package (molejar/pyFDT).

``fdt`` types every property when it parses (``PropStrings``, ``PropWords``, ``PropBytes``
or a bare ``Property``); its ``to_dtb`` writes them back. pvenum picks the ``fdt`` class
whose ``to_dtb`` reproduces the raw bytes exactly: ``PropStrings`` only for printable ASCII
strings none of which is empty (``fdt`` drops empty strings), ``PropWords`` for whole u32
cells, ``PropBytes`` otherwise. So ``from_pyfdt(to_pyfdt(t))`` is ``t`` again. ``fdt`` keeps
neither repeated property names nor NOPs; pvenum's tree has no NOPs, and a repeated name
is written once (first value), as ``fdt`` can hold only one.

What ``fdt`` cannot hold at all (two sibling nodes of one name, a name with a byte outside
printable ASCII; libfdt accepts both) it refuses with ``assert`` or a bare ``Exception``;
those become a :class:`~pvenum.errors.ParseError` naming the node or property.
"""

from __future__ import annotations

import string
import struct
from typing import Any

from ..errors import ParseError, ToolError
from .model import DeviceTree, Node, Reservation
from .values import looks_like_strings

FMT = "fdt"
_WORD = struct.Struct(">I")
_PRINTABLE = frozenset(string.printable.encode())


def _import() -> Any:
    try:
        import fdt  # type: ignore[import-untyped]
    except ImportError as err:  # pragma: no cover - optional dependency
        raise ToolError("the 'fdt' package is not installed (pip install fdt)") from err
    return fdt


def _refused(where: str, err: Exception) -> ParseError:
    return ParseError(FMT, f"the fdt package cannot hold {where}: {err or type(err).__name__}")


def _to_prop(fdt: Any, name: str, raw: bytes) -> Any:
    if not raw:
        return fdt.Property(name)
    if looks_like_strings(raw) and _PRINTABLE.issuperset(raw[:-1].replace(b"\0", b"")):
        parts = raw[:-1].split(b"\0")
        if all(parts):  # fdt.PropStrings refuses empty strings and non-printable characters
            return fdt.PropStrings(name, *(p.decode("ascii") for p in parts))
    if len(raw) % 4 == 0:
        return fdt.PropWords(name, *(w for (w,) in _WORD.iter_unpack(raw)))
    return fdt.PropBytes(name, data=raw)


def _from_prop(prop: Any) -> bytes:
    cls = type(prop).__name__
    if cls == "PropStrings":
        return b"".join(s.encode("utf-8", "surrogateescape") + b"\0" for s in prop.data)
    if cls == "PropWords":
        return b"".join(_WORD.pack(w) for w in prop.data)
    if cls in ("PropBytes", "PropIncBin"):
        return bytes(prop.data)
    return b""


def to_pyfdt(tree: DeviceTree) -> Any:
    fdt = _import()
    obj = fdt.FDT(entries=[{"address": a, "size": s} for a, s in tree.reservations])
    obj.header.boot_cpuid_phys = tree.boot_cpuid_phys
    pairs: list[tuple[Node, Any]] = [(tree.root, obj.root)]
    while pairs:
        node, target = pairs.pop()
        for name, value in node.properties.items():  # first value of a repeated name
            try:
                target.append(_to_prop(fdt, name, value))
            except Exception as err:  # noqa: BLE001 - fdt refuses with assert and bare Exception
                raise _refused(f"property {node.path}:{name!r}", err) from None
        for child in node.children:
            try:
                sub = fdt.Node(child.name)
                target.append(sub)
            except Exception as err:  # noqa: BLE001 - as above
                raise _refused(f"node {child.path!r}", err) from None
            pairs.append((child, sub))
    return obj


def from_pyfdt(obj: Any) -> DeviceTree:
    if getattr(obj, "root", None) is None:
        raise ParseError(FMT, "the fdt object has no root node")
    root = Node("", None)
    pairs: list[tuple[Any, Node]] = [(obj.root, root)]
    while pairs:
        source, node = pairs.pop()
        for prop in source.props:
            node.append_property(prop.name, _from_prop(prop))
        for sub in source.nodes:
            child = Node(sub.name, node)
            node.children.append(child)
            pairs.append((sub, child))
    reservations = [Reservation(int(e["address"]), int(e["size"])) for e in (obj.entries or [])]
    boot = getattr(obj.header, "boot_cpuid_phys", 0) or 0
    return DeviceTree(root=root, reservations=reservations, boot_cpuid_phys=int(boot))
