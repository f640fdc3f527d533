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

from collections import namedtuple
from dataclasses import dataclass, field
from weakref import ref as _ref

from . import values as _values
from .constants import FDT_MAGIC, FIELD_SINCE, HEADER_FIELDS

TYPE_CHECKING = False  # typing is not imported at run time (start-up: pvenum/_io.py)
if TYPE_CHECKING:  # pragma: no cover
    from typing import Any, Iterator

    from .values import Typed


class Reservation(namedtuple("Reservation", ("address", "size"))):  # not typing's: see values.Typed
    """One /memreserve/ entry (struct fdt_reserve_entry)."""

    __slots__ = ()
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
    def padding(self) -> int:
        """Bytes after the strings block that totalsize still covers (dtc -p, libfdt free space).
        Before v3 the header has no strings size, so the strings block runs to the end: 0."""
        if not self.has("size_dt_strings"):
            return 0
        return max(0, self.totalsize - (self.off_dt_strings + self.size_dt_strings))

    def to_json(self) -> dict[str, int]:
        return {name: getattr(self, name) for name in HEADER_FIELDS}

    def has(self, name: str) -> bool:
        """Whether a header of this version holds the field (later versions appended some)."""
        return self.version >= FIELD_SINCE.get(name, 0)

    def present(self) -> list[tuple[str, int]]:
        """(name, value) of the fields this version's header holds, in layout order."""
        return [(name, getattr(self, name)) for name in HEADER_FIELDS if self.has(name)]


class Node:
    """One devicetree node: a name, ordered properties and ordered children.

    A node refers to its parent weakly. With a strong link both ways every tree is a reference
    cycle, which only the cyclic garbage collector frees: its passes over dropped trees were
    the largest cost left in a full decode of the kernel corpus (bench/bench_fdt.py). Without the cycle a tree
    goes as soon as its last reference does, so keep the DeviceTree (or its root) while you use
    a node's :attr:`parent` or :attr:`path`: once the tree is gone they raise ReferenceError.
    """

    __slots__ = ("name", "_up", "children", "properties", "_dups", "_by_name", "_path", "_edits",
                 "__weakref__")

    def __init__(self, name: str = "", parent: "Node | None" = None) -> None:
        self.name = name
        # None for a root, else a weakref.ref to the parent (see the class docstring).
        self._up = None if parent is None else _ref(parent)
        self.children: list[Node] = []
        # name -> value, first occurrence; what readers look at (libfdt fdt_getprop).
        self.properties: dict[str, bytes] = {}
        # Optional slots, left unset until needed (the decoder creates ~10^5 nodes per
        # corpus pass; every store counts): _path, the full path once computed; _by_name,
        # the child index; _dups, the later properties that repeat a name, as (position
        # among all properties, name, value), kept so that a blob rebuilds unchanged; _edits,
        # on a root, how many edits its tree has had (see _edited()).

    @property
    def parent(self) -> "Node | None":
        """The parent node; None for a root. ReferenceError when the tree has been freed."""
        up = self._up
        if up is None:
            return None
        node = up()
        if node is None:
            raise ReferenceError(
                f"the tree of node {self.name!r} has been freed: keep a reference to its "
                "DeviceTree (or root) while using a node's parent or path")
        return node

    @parent.setter
    def parent(self, node: "Node | None") -> None:
        self._up = None if node is None else _ref(node)

    def __getstate__(self) -> dict[str, Any]:
        # A weakref does not pickle: each node is stored without its parent link, and the
        # parent restores the links of its children (a node pickled alone loads as a root).
        state = {}
        for slot in _STATE_SLOTS:
            try:
                state[slot] = getattr(self, slot)
            except AttributeError:
                pass
        return state

    def __copy__(self) -> "Node":
        # A shallow copy shares the children list, whose nodes keep their own parent: every slot
        # as it is, the parent link too (__setstate__ would re-point the shared children at the copy).
        twin = Node.__new__(Node)
        for slot, value in self.__getstate__().items():
            setattr(twin, slot, value)
        twin._up = self._up
        return twin

    def __setstate__(self, state: dict[str, Any]) -> None:
        for slot, value in state.items():
            setattr(self, slot, value)
        self._up = None
        up = _ref(self)
        for child in self.children:
            child._up = up

    @property
    def path(self) -> str:
        """The full path, ``/`` for the root (computed once, on first use)."""
        try:
            return self._path
        except AttributeError:
            pass
        # Climb to the nearest ancestor that knows its path (no recursion: any depth works).
        chain: list[Node] = []
        node: Node | None = self
        above = ""
        while node is not None:
            try:
                above = node._path
                break
            except AttributeError:
                chain.append(node)
                node = node.parent
        for n in reversed(chain):
            if n.parent is None:
                above = "/"
            else:
                above = above + n.name if above == "/" else above + "/" + n.name
            n._path = above
        return above

    def _edited(self) -> None:
        """Count an edit made through this API on the root above: what a DeviceTree remembers
        about its nodes (:meth:`DeviceTree.memo`) holds while the count and the root stay the
        same. Decoders that fill a new tree directly do so before anything reads it. When the
        tree above has been freed (a builder chain such as ``Node().add_child("psci")``), no
        memo is left to invalidate: the count goes on the topmost node still alive."""
        node = self
        up = node._up
        while up is not None:
            above = up()
            if above is None:
                break
            node = above
            up = node._up
        node._edits = getattr(node, "_edits", 0) + 1

    # -- building -------------------------------------------------------------------------
    def add_child(self, name: str) -> "Node":
        """Append and return a new child node called ``name`` (unit address included)."""
        if not isinstance(name, str) or not name or "/" in name:
            raise ValueError(f"bad node name {name!r}")
        child = Node(name, self)
        self.children.append(child)
        self._by_name = None  # type: ignore[assignment]
        self._edited()
        return child

    def set(self, name: str, value: bytes | bytearray | str | int | list[int] | list[str]) -> "Node":
        """Set property ``name``: bytes as they are, str as a NUL-terminated string, an int or
        a list of ints as u32 cells, a list of str as a string list. Returns the node."""
        self._edited()
        encoded = encode_value(value)
        if getattr(self, "_dups", None) and name in self.properties:
            # Drop the repeats of this name; the first keeps its place with the new value.
            self._drop(name, keep_first=True)
        self.properties[name] = encoded
        return self

    def append_property(self, name: str, value: bytes) -> None:
        """Append a property as a blob holds it, keeping a repeated name (decoders use this)."""
        self._edited()
        props = self.properties
        if name in props:
            dups = getattr(self, "_dups", None)
            if dups is None:
                dups = self._dups = []
            dups.append((len(props) + len(dups), name, value))
        else:
            props[name] = value

    def delete_property(self, name: str) -> bool:
        """Remove property ``name`` (every repeat of it); False when there is none."""
        if name not in self.properties:
            return False
        self._edited()
        self._drop(name, keep_first=False)
        return True

    def _drop(self, name: str, *, keep_first: bool) -> None:
        """Remove the repeats of property ``name``, and its first occurrence unless ``keep_first``."""
        items = self.property_items()
        self.properties = {}
        self._dups = None
        for n, v in items:
            if n == name:
                if not keep_first:
                    continue
                keep_first = False
            self.append_property(n, v)

    def delete_child(self, name: str) -> bool:
        """Remove the child :meth:`child` finds for ``name``; False when there is none."""
        node = self.child(name)
        if node is None:
            return False
        self.children = [ch for ch in self.children if ch is not node]
        self._by_name = None  # type: ignore[assignment]
        self._edited()
        return True

    # -- reading --------------------------------------------------------------------------
    def property_items(self) -> list[tuple[str, bytes]]:
        """Every property in blob order, repeated names included."""
        items = list(self.properties.items())
        dups = getattr(self, "_dups", None)
        if dups:
            for position, name, value in dups:
                items.insert(position, (name, value))
        return items

    @property
    def has_repeated_properties(self) -> bool:
        return bool(getattr(self, "_dups", None))

    def child(self, name: str) -> "Node | None":
        """The first child called ``name``; without a unit address also ``name@...`` (libfdt)."""
        exact, units = self._index()
        return (exact if "@" in name else units).get(name)

    def child_named(self, name: str) -> "Node | None":
        """The first child whose whole name is ``name`` (``memory`` does not find ``memory@0``)."""
        return self._index()[0].get(name)

    def _index(self) -> tuple[dict[str, "Node"], dict[str, "Node"]]:
        # (whole names, unit names before "@"), built on first lookup: libfdt returns the first
        # child in order whose name is ``name`` or ``name@...`` — the first with that unit
        # name, since a whole-name match has it too. Filled from the last child to the first,
        # so that the first of a name is what stays.
        index = getattr(self, "_by_name", None)
        if index is None:
            exact: dict[str, Node] = {}
            units: dict[str, Node] = {}
            for ch in reversed(self.children):
                exact[ch.name] = units[ch.name.partition("@")[0]] = ch
            index = self._by_name = (exact, units)
        return index

    def walk(self) -> Iterator["Node"]:
        """This node and its descendants in document order (no recursion: depth is unbounded)."""
        stack = [self]
        pop, extend = stack.pop, stack.extend
        while stack:
            node = pop()
            yield node
            if node.children:  # most nodes are leaves
                extend(reversed(node.children))

    @property
    def unit_name(self) -> str:
        """The name without its unit address (``memory`` for ``memory@40000000``)."""
        return self.name.split("@", 1)[0]

    def name_property(self) -> bytes:
        """The ``name`` property dtc writes on every node before v16 (FTF_NAMEPROPS) and drops
        where it holds just this (checks.c check_name_properties()): the unit name, NUL-ended."""
        return self.unit_name.encode("utf-8", "surrogateescape") + b"\0"

    # -- typed readings (values stay bytes; these are labelled guesses) ---------------------
    def u32(self, name: str) -> int | None:
        raw = self.properties.get(name)
        return None if raw is None else _values.u32(raw)

    def u32_cells(self, name: str) -> tuple[int, ...] | None:
        raw = self.properties.get(name)
        return None if raw is None else _values.u32_cells(raw)

    def u64(self, name: str) -> int | None:
        raw = self.properties.get(name)
        return None if raw is None else _values.u64(raw)

    def string(self, name: str) -> str | None:
        strings = self.strings(name)
        return strings[0] if strings else None

    def strings(self, name: str) -> list[str] | None:
        raw = self.properties.get(name)
        return None if raw is None else _values.string_list(raw)

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
        raw = self.properties.get("reg")
        if raw is None:
            return None
        parent = self.parent
        ac = parent.address_cells() if parent is not None else 2
        sc = parent.size_cells() if parent is not None else 1
        return _values.decode_reg(raw, ac, sc)

    def typed(self, name: str) -> "Typed | None":
        """The labelled best-guess reading of property ``name`` (raw bytes kept beside it)."""
        raw = self.properties.get(name)
        return None if raw is None else _values.guess(name, raw, self)

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
            pairs.extend(zip(a.children, b.children, strict=True))
        return True

    def __repr__(self) -> str:
        try:
            where = self.path
        except ReferenceError:
            where = f"{self.name} (its tree has been freed)"
        return f"<Node {where} props={len(self.properties)} children={len(self.children)}>"


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


# What a pickle or copy of a Node keeps: every slot but the parent link and the weakref list.
_STATE_SLOTS = tuple(s for s in Node.__slots__ if s not in ("_up", "__weakref__"))


@dataclass(eq=False)
class DeviceTree:
    """A whole devicetree: what a DTB holds, independent of its byte layout."""

    root: Node = field(default_factory=Node)
    reservations: list[Reservation] = field(default_factory=list)
    boot_cpuid_phys: int = 0
    # The header as read from a blob (None for trees built in memory or read from a directory).
    header: Header | None = None

    def walk(self) -> Iterator[Node]:
        """Every node in document order; each has ``.path`` and ``.properties``."""
        return self.root.walk()

    def memo(self) -> dict[Any, Any]:
        """A dict for what readers work out from the whole tree (keyed by the function that
        keeps it), emptied when the root is replaced or any node of the tree
        is edited through the Node API."""
        memo = self.__dict__.get("_memo")
        root = self.root
        edits = getattr(root, "_edits", 0)
        if memo is None or memo[0] != edits or memo[1] is not root:
            memo = self.__dict__["_memo"] = (edits, root, {})
        return memo[2]

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
            node = self.get_node(target)  # target starts with "/": no alias chain
            if node is None:  # an alias naming no node
                return None
        for part in rest.split("/"):
            if not part:
                continue
            node = node.child(part)
            if node is None:
                return None
        return node

    def find_phandle(self, phandle: int) -> Node | None:
        for node in self.walk():
            if node.phandle() == phandle:
                return node
        return None

    @property
    def node_count(self) -> int:
        return sum(1 for _ in self.walk())

    def copy(self) -> "DeviceTree":
        """A deep copy of the tree (values are immutable bytes and are shared)."""
        root = Node("", None)
        pairs = [(self.root, root)]
        while pairs:
            src, dst = pairs.pop()
            for name, value in src.property_items():
                dst.append_property(name, value)
            for child in src.children:
                twin = Node(child.name, dst)
                dst.children.append(twin)
                pairs.append((child, twin))
        return DeviceTree(root=root, reservations=list(self.reservations),
                          boot_cpuid_phys=self.boot_cpuid_phys, header=self.header)

    def same_as(self, other: "DeviceTree") -> bool:
        """Same reservations, boot CPU and tree (the header's layout numbers are ignored)."""
        return (
            list(self.reservations) == list(other.reservations)
            and self.boot_cpuid_phys == other.boot_cpuid_phys
            and self.root.same_as(other.root)
        )

    def __repr__(self) -> str:
        return f"<DeviceTree nodes={self.node_count} reservations={len(self.reservations)}>"
