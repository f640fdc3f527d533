"""The decoded devicetree: header, memory reservations and a tree of nodes.

Property values stay raw bytes (a DTB carries no types); :mod:`pvenum.fdt.values` gives the
typed readings, and the ``Node`` helpers here put them beside the bytes.

Lookups follow libfdt: ``get_node("/memory")`` matches ``memory@40000000`` when the path
component has no unit address (fdt_subnode_offset_namelen), a path that does not start with
``/`` begins with an alias from ``/aliases`` (fdt_path_offset), and when a blob repeats a
node or property name the first one wins (fdt_getprop). Repeated property names are kept
(see :meth:`Node.property_items`) so that a blob rebuilds unchanged.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Iterator, NamedTuple

from .constants import FDT_MAGIC, HEADER_FIELDS, header_size

if TYPE_CHECKING:  # pragma: no cover
    from .values import Typed


class Reservation(NamedTuple):
    """One /memreserve/ entry (struct fdt_reserve_entry)."""

    address: int
    size: int


@dataclass(frozen=True)
class Header:
    """The ten ``struct fdt_header`` fields by their libfdt names.

    A field the blob's version does not have holds what libfdt's accessor would read at its
    offset (e.g. ``fdt_size_dt_struct()`` of a v16 blob), so that every field is an int.
    """

    magic: int = FDT_MAGIC
    totalsize: int = 0
    off_dt_struct: int = 0
    off_dt_strings: int = 0
    off_mem_rsvmap: int = 0
    version: int = 17
    last_comp_version: int = 16
    boot_cpuid_phys: int = 0
    size_dt_strings: int = 0
    size_dt_struct: int = 0

    @property
    def size(self) -> int:
        """Header bytes for this version (28/32/36/36/40)."""
        return header_size(self.version)

    @property
    def padding(self) -> int:
        """Bytes after the strings block that totalsize still covers (dtc -p, libfdt free space)."""
        return max(0, self.totalsize - (self.off_dt_strings + self.size_dt_strings))

    def to_json(self) -> dict[str, int]:
        return {name: getattr(self, name) for name in HEADER_FIELDS}


class Node:
    """One devicetree node: a name, ordered properties and ordered children."""

    __slots__ = ("name", "path", "parent", "children", "properties", "_all_props", "_by_name")

    def __init__(self, name: str = "", parent: "Node | None" = None) -> None:
        self.name = name
        self.parent = parent
        if parent is None:
            self.path = "/"
        elif parent.parent is None:
            self.path = "/" + name
        else:
            self.path = parent.path + "/" + name
        self.children: list[Node] = []
        # name -> value, first occurrence; what readers look at (libfdt fdt_getprop).
        self.properties: dict[str, bytes] = {}
        # Every (name, value) in blob order, only when the blob repeats a property name.
        self._all_props: list[tuple[str, bytes]] | None = None
        self._by_name: dict[str, Node] | None = None

    # -- building -------------------------------------------------------------------------
    def add_child(self, name: str) -> "Node":
        """Append and return a new child node called ``name`` (unit address included)."""
        if not isinstance(name, str) or not name or "/" in name:
            raise ValueError(f"bad node name {name!r}")
        child = Node(name, self)
        self.children.append(child)
        self._by_name = None
        return child

    def set(self, name: str, value: bytes | bytearray | str | int | list[int] | list[str]) -> "Node":
        """Set property ``name``: bytes as they are, str as a NUL-terminated string, an int or
        a list of ints as u32 cells, a list of str as a string list. Returns the node."""
        self.properties[name] = encode_value(value)
        if self._all_props is not None:
            self._all_props = [(n, v) for n, v in self._all_props if n != name]
            self._all_props.append((name, self.properties[name]))
        return self

    def append_property(self, name: str, value: bytes) -> None:
        """Append a property as a blob holds it, keeping a repeated name (decoders use this)."""
        props = self.properties
        if name in props:
            if self._all_props is None:
                self._all_props = list(props.items())
            self._all_props.append((name, value))
        else:
            props[name] = value
            if self._all_props is not None:
                self._all_props.append((name, value))

    # -- reading --------------------------------------------------------------------------
    def property_items(self) -> list[tuple[str, bytes]]:
        """Every property in blob order, repeated names included."""
        if self._all_props is not None:
            return list(self._all_props)
        return list(self.properties.items())

    @property
    def has_repeated_properties(self) -> bool:
        return self._all_props is not None

    def child(self, name: str) -> "Node | None":
        """The first child called ``name``; without a unit address also ``name@...`` (libfdt)."""
        by_name = self._by_name
        if by_name is None:
            by_name = {}
            for ch in self.children:
                by_name.setdefault(ch.name, ch)
            self._by_name = by_name
        hit = by_name.get(name)
        if "@" in name:
            return hit
        for ch in self.children:
            # libfdt returns the first child in order that matches either way.
            if ch is hit or ch.name.split("@", 1)[0] == name:
                return ch
        return None

    def walk(self) -> Iterator["Node"]:
        """This node and its descendants in document order (no recursion: depth is unbounded)."""
        stack = [self]
        while stack:
            node = stack.pop()
            yield node
            stack.extend(reversed(node.children))

    @property
    def depth(self) -> int:
        d, n = 0, self
        while n.parent is not None:
            d, n = d + 1, n.parent
        return d

    @property
    def unit_name(self) -> str:
        """The name without its unit address (``memory`` for ``memory@40000000``)."""
        return self.name.split("@", 1)[0]

    @property
    def unit_address(self) -> str | None:
        return self.name.split("@", 1)[1] if "@" in self.name else None

    # -- typed readings (values stay bytes; these are labelled guesses) ---------------------
    def u32(self, name: str) -> int | None:
        from .values import u32

        raw = self.properties.get(name)
        return None if raw is None else u32(raw)

    def u32_cells(self, name: str) -> tuple[int, ...] | None:
        from .values import u32_cells

        raw = self.properties.get(name)
        return None if raw is None else u32_cells(raw)

    def u64(self, name: str) -> int | None:
        from .values import u64

        raw = self.properties.get(name)
        return None if raw is None else u64(raw)

    def string(self, name: str) -> str | None:
        strings = self.strings(name)
        return strings[0] if strings else None

    def strings(self, name: str) -> list[str] | None:
        from .values import string_list

        raw = self.properties.get(name)
        return None if raw is None else string_list(raw)

    def phandle(self) -> int | None:
        """This node's phandle (``phandle``, else the older ``linux,phandle``)."""
        for prop in ("phandle", "linux,phandle"):
            value = self.u32(prop)
            if value is not None:
                return value
        return None

    def address_cells(self) -> int:
        """#address-cells this node sets for its children (devicetree spec default: 2)."""
        value = self.u32("#address-cells")
        return 2 if value is None else value

    def size_cells(self) -> int:
        """#size-cells this node sets for its children (devicetree spec default: 1)."""
        value = self.u32("#size-cells")
        return 1 if value is None else value

    def reg(self) -> list[tuple[int, int]] | None:
        """``reg`` as (address, size) pairs by the parent's #address-cells/#size-cells,
        or None when absent or when its length does not fit them."""
        from .values import decode_reg

        raw = self.properties.get("reg")
        if raw is None:
            return None
        parent = self.parent
        ac = parent.address_cells() if parent is not None else 2
        sc = parent.size_cells() if parent is not None else 1
        return decode_reg(raw, ac, sc)

    def typed(self, name: str) -> "Typed | None":
        """The labelled best-guess reading of property ``name`` (raw bytes kept beside it)."""
        from .values import guess

        raw = self.properties.get(name)
        return None if raw is None else guess(name, raw, self)

    # -- comparison ---------------------------------------------------------------------------
    def same_as(self, other: "Node") -> bool:
        """Same name, same properties in the same order, same children (recursively)."""
        pairs = [(self, other)]
        while pairs:
            a, b = pairs.pop()
            if a.name != b.name or a.property_items() != b.property_items():
                return False
            if len(a.children) != len(b.children):
                return False
            pairs.extend(zip(a.children, b.children))
        return True

    def __repr__(self) -> str:
        return f"<Node {self.path} props={len(self.properties)} children={len(self.children)}>"


def encode_value(value: Any) -> bytes:
    if isinstance(value, (bytes, bytearray, memoryview)):
        return bytes(value)
    if isinstance(value, str):
        return value.encode("utf-8", "surrogateescape") + b"\0"
    if isinstance(value, bool):
        raise TypeError("a devicetree value cannot be a bool; use b'' for an empty property")
    if isinstance(value, int):
        return value.to_bytes(4, "big")
    if isinstance(value, (list, tuple)):
        if all(isinstance(v, str) for v in value):
            return b"".join(encode_value(v) for v in value)
        if all(isinstance(v, int) and not isinstance(v, bool) for v in value):
            return b"".join(v.to_bytes(4, "big") for v in value)
    raise TypeError(f"cannot encode {type(value).__name__} as a devicetree value")


@dataclass(eq=False)
class DeviceTree:
    """A whole devicetree: what a DTB holds, independent of its byte layout."""

    root: Node = field(default_factory=Node)
    reservations: list[Reservation] = field(default_factory=list)
    boot_cpuid_phys: int = 0
    # The header as read from a blob (None for trees built in memory or read from a directory).
    header: Header | None = None

    @property
    def version(self) -> int | None:
        return self.header.version if self.header is not None else None

    def walk(self) -> Iterator[Node]:
        """Every node in document order; each has ``.path`` and ``.properties``."""
        return self.root.walk()

    def get_node(self, path: str) -> Node | None:
        """The node at ``path`` (libfdt fdt_path_offset rules), or None."""
        if not path:
            return None
        node: Node | None = self.root
        rest = path
        if not path.startswith("/"):
            alias, _, rest = path.partition("/")
            aliases = self.root.child("aliases")
            target = aliases.string(alias) if aliases is not None else None
            if not target or not target.startswith("/"):
                return None
            node = self.get_node(target) if target != path else None
        for part in rest.split("/"):
            if not part or node is None:
                continue
            node = node.child(part)
        return node

    def find_phandle(self, phandle: int) -> Node | None:
        for node in self.walk():
            if node.phandle() == phandle:
                return node
        return None

    @property
    def node_count(self) -> int:
        return sum(1 for _ in self.walk())

    def same_as(self, other: "DeviceTree") -> bool:
        """Same reservations, boot CPU and tree (the header's layout numbers are ignored)."""
        return (
            list(self.reservations) == list(other.reservations)
            and self.boot_cpuid_phys == other.boot_cpuid_phys
            and self.root.same_as(other.root)
        )

    def __repr__(self) -> str:
        return f"<DeviceTree nodes={self.node_count} reservations={len(self.reservations)}>"
