"""The draft devicetree encoding of the paravisor services record (docs/proposal.md §Devicetree
encoding; binding docs/bindings/paravisor-services.yaml).

One node, ``/firmware/paravisor``, beside the other firmware-services nodes Linux knows
(linaro,optee-tz, arm,scmi, SDEI), carrying the same fields as the CPUID block
and the ACPI PVSR table, by name instead of by bit::

    firmware {
        paravisor {
            compatible = "linux,paravisor-services";
            version = <1>;                        /* record layout version */
            isolation = "cca";                    /* none | vbs | sev-snp | tdx | cca */
            guest-not-in-charge;                  /* flags: boolean properties */
            paravisor-accepts-memory;
            shared-gpa-boundary-bits = <46>;      /* optional: vTOM boundary */
            attestation {                         /* one child per service offered */
                kind = "rsi-host-call";           /* hypercall | svsm-protocol | mmio | tpm-nv-index | rsi-host-call */
                version = <1>;
                param0 = /bits/ 64 <0x10>;        /* u64: two cells */
                param1 = <0>;
            };
        };
    };

    encode(record) -> dict[str, bytes]            # the node's properties
    install(tree, record) -> DeviceTree           # a copy of tree with the node
    decode_node(node) -> Decoded                  # channel "dt", where "dt /firmware/paravisor"
    decode_tree(tree) -> Decoded | None           # None when no node has the compatible
    decode_platform(platform) -> Decoded | None
    note_evidence(ctx)                            # the properties a guest reads, as evidence

The decoder never raises: every malformed property is a problem; a record whose version,
isolation or a flag cannot be read is ``None``, an unreadable service is left out (as the CPUID
and ACPI decoders do).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Callable, Mapping

from .cpuid_encoding import Decoded
from ..errors import ScenarioError
from .codes import INTERFACE_BY_NAME, ISOLATION_BY_NAME, RECORD_VERSION, SERVICES, version_problem

if TYPE_CHECKING:  # pragma: no cover
    from ..fdt.model import DeviceTree, Node
    from .record import Interface, ParavisorServices
    from ..platform import Platform

COMPATIBLE = "linux,paravisor-services"
PATH = "/firmware/paravisor"
PARENT, NODE = "firmware", "paravisor"
CHANNEL = "dt"

FLAG_NOT_IN_CHARGE = "guest-not-in-charge"
FLAG_ACCEPTS_MEMORY = "paravisor-accepts-memory"
BOUNDARY = "shared-gpa-boundary-bits"
RECORD_PROPS = ("compatible", "version", "isolation", FLAG_NOT_IN_CHARGE, FLAG_ACCEPTS_MEMORY, BOUNDARY,
                "status", "phandle")
SERVICE_PROPS = ("kind", "version", "param0", "param1")
_RECORD_PROPS, _SERVICE_PROPS = frozenset(RECORD_PROPS), frozenset(SERVICE_PROPS + ("phandle",))  # membership


def _u64(value: int) -> bytes:
    return value.to_bytes(8, "big")


def encode(record: ParavisorServices) -> dict[str, bytes]:
    """The record node's own properties, in binding order."""
    from ..fdt.model import encode_value  # to write; the decoder reads any node (an x86 resolve has none)

    props: dict[str, bytes] = {
        "compatible": encode_value(COMPATIBLE),
        "version": encode_value(record.version),
        "isolation": encode_value(record.isolation),
    }
    if not record.guest_in_charge:
        props[FLAG_NOT_IN_CHARGE] = b""
    if record.paravisor_accepts_memory:
        props[FLAG_ACCEPTS_MEMORY] = b""
    if record.shared_gpa_boundary_bits is not None:
        props[BOUNDARY] = encode_value(record.shared_gpa_boundary_bits)
    return props


def encode_service(iface: Interface) -> dict[str, bytes]:
    from ..fdt.model import encode_value

    return {"kind": encode_value(iface.kind), "version": encode_value(iface.version),
            "param0": _u64(iface.param0), "param1": encode_value(iface.param1)}


def install(tree: DeviceTree | None, record: ParavisorServices) -> DeviceTree:
    """A copy of ``tree`` (an empty tree when None) with the record at /firmware/paravisor
    (an existing record node there is replaced)."""
    from ..fdt.model import DeviceTree

    out = tree.copy() if tree is not None else DeviceTree()
    firmware = out.root.child(PARENT)
    if firmware is None:
        firmware = out.root.add_child(PARENT)
    old = firmware.child(NODE)
    if old is not None:
        firmware.delete_child(old.name)
    node = firmware.add_child(NODE)
    for name, value in encode(record).items():
        node.set(name, value)
    for name, iface in record.services().items():
        if iface is not None:
            child = node.add_child(name)
            for prop, value in encode_service(iface).items():
                child.set(prop, value)
    return out


# -- decoding -------------------------------------------------------------------------------------


_COMPATIBLE = COMPATIBLE.encode()
_AT_LEAST = len(_COMPATIBLE)  # shorter values cannot hold it


def find_nodes(tree: DeviceTree) -> list[Node]:
    """Every node compatible with the record, in document order (of_find_compatible_node()):
    one walk remembered on the tree (DeviceTree.memo()), as the proposal model decodes the
    record and then notes its evidence from the same nodes."""
    memo = tree.memo()
    found = memo.get(find_nodes)
    if found is None:
        found = memo[find_nodes] = _search(tree)
    return list(found)


def _search(tree: DeviceTree) -> tuple[Node, ...]:
    # Every node of every DT platform is looked at: breadth first, a list read while it grows (no
    # pop and no reversed() per node, as a document-order stack walk needs); a second compatible
    # node is rare, and then the matches are put back in document order.
    out = []
    todo = [tree.root]
    for node in todo:
        raw = node.properties.get("compatible")
        # Length, then substring, then the split: most values fail the first, and `in` costs more than len().
        if raw is not None and len(raw) >= _AT_LEAST and _COMPATIBLE in raw and _has_compatible(raw):
            out.append(node)
        if node.children:
            todo += node.children
    if len(out) > 1:
        found = set(out)  # nodes compare by identity
        out = [node for node in tree.walk() if node in found]
    return tuple(out)


def _has_compatible(raw: bytes) -> bool:
    return _COMPATIBLE in raw.split(b"\0")


def _string(raw: bytes) -> str | None:
    """One NUL-terminated printable string, or None."""
    if len(raw) < 2 or raw[-1] != 0 or raw.find(0) != len(raw) - 1:  # one NUL, the last byte
        return None
    try:
        text = raw[:-1].decode("ascii")
    except UnicodeDecodeError:
        return None
    return text if text.isprintable() else None


def _cell(raw: bytes) -> int | None:
    return int.from_bytes(raw, "big") if len(raw) == 4 else None


def _read(props: Mapping[str, bytes], name: str, parse: Callable[[bytes], Any], problems: list[str], *,
          missing: str | None, malformed: str) -> Any:
    """Property ``name`` through ``parse`` (None when absent or unreadable, with the problem:
    ``missing`` when it is required, ``malformed`` formatted with the value's length ``n`` and
    first bytes ``hex``)."""
    raw = props.get(name)
    if raw is None:
        if missing is not None:
            problems.append(missing)
        return None
    value = parse(raw)
    if value is None:
        problems.append(malformed.format(n=len(raw), hex=raw[:16].hex()))
    return value


def decode_node(node: Node) -> Decoded:
    """The record a guest reads from one record node, with every problem it would meet."""
    where = f"{CHANNEL} {node.path}"
    problems: list[str] = []
    props = node.properties
    if node.path != PATH:
        problems.append(f"the record node is at {node.path}; the binding puts it at {PATH}")
    if node.has_repeated_properties:
        problems.append("a property name repeats; the first one is read (fdt_getprop)")
    for name in props:
        if name not in _RECORD_PROPS:
            problems.append(f"unknown property {name!r} (the binding allows no others)")
    status = props.get("status")
    if status is not None:
        text = _string(status)
        if text not in ("okay", "ok"):
            problems.append(f"status = {text or status.hex()!r}: the node is disabled, no record")
            return Decoded(where, None, problems, channel=CHANNEL)
    version = _read(props, "version", _cell, problems, missing="no version property: the record layout is unknown",
                    malformed="version is {n} bytes; expected one u32 cell")
    if version is not None and version != RECORD_VERSION:
        problems.append(version_problem(version))
    isolation = _read(props, "isolation", _string, problems, missing="no isolation property",
                      malformed="isolation is not one string ({hex})")
    if isolation is not None and isolation not in ISOLATION_BY_NAME:
        problems.append(f"unknown isolation {isolation!r}; known: {', '.join(ISOLATION_BY_NAME)}")
        isolation = None
    # flags: boolean properties (presence is what a guest tests, of_property_read_bool())
    flags = {}
    for name in (FLAG_NOT_IN_CHARGE, FLAG_ACCEPTS_MEMORY):
        raw = props.get(name)
        flags[name] = raw is not None
        if raw:
            problems.append(f"{name} is a boolean property but has a {len(raw)}-byte value")
    bits = _read(props, BOUNDARY, _cell, problems, missing=None,
                 malformed=f"{BOUNDARY} is {{n}} bytes; expected one u32 cell")
    if bits is not None and not 0 < bits < 64:
        problems.append(f"{BOUNDARY} = {bits}; must be 1-63")
        bits = None
    from .record import Interface, ParavisorServices  # loaded once a record node is found

    # services: child nodes
    ifaces: dict[str, Interface | None] = dict.fromkeys(SERVICES)
    seen: set[str] = set()
    for child in node.children:
        name = child.name
        if name not in SERVICES:
            problems.append(f"unknown child node {name!r}; services are {', '.join(SERVICES)}")
            continue
        if name in seen:
            problems.append(f"{name} appears twice; the first is read")
            continue
        seen.add(name)
        fields = _service(child, problems)
        if fields is not None:
            try:
                ifaces[name] = Interface(*fields)
            except ScenarioError as err:  # the interface's own checks
                problems.append(f"{name}: {err}")
    if version is None or isolation is None:
        return Decoded(where, None, problems, channel=CHANNEL)
    try:
        record = ParavisorServices(
            isolation=isolation,
            guest_in_charge=not flags[FLAG_NOT_IN_CHARGE],
            paravisor_accepts_memory=flags[FLAG_ACCEPTS_MEMORY],
            shared_gpa_boundary_bits=bits,
            version=version,
            **ifaces,
        )
    except ScenarioError as err:  # the record's own checks: report, never raise
        problems.append(f"not a valid record: {err}")
        return Decoded(where, None, problems, channel=CHANNEL)
    return Decoded(where, record, problems, channel=CHANNEL)


def _service(node: Node, problems: list[str]) -> tuple[str, int, int, int] | None:
    """A service node's (kind, version, param0, param1), each as the binding types it; None
    (with the problem) when one cannot be read."""
    name = node.name
    props = node.properties
    for prop in props:
        if prop not in _SERVICE_PROPS:
            problems.append(f"{name}: unknown property {prop!r}")
    if node.children:
        problems.append(f"{name}: unexpected child nodes")
    raw = props.get("kind")
    kind = _string(raw) if raw is not None else None
    if kind is None or kind not in INTERFACE_BY_NAME:
        problems.append(f"{name}: " + ("no kind property" if raw is None else
                                       f"unknown interface kind {kind or raw[:16].hex()!r}"))
        return None
    raw = props.get("version")
    version = _cell(raw) if raw is not None else None
    if version is None or not 0 <= version <= 0xFF:
        problems.append(f"{name}: version must be one u32 cell holding 0-255")
        return None
    raw = props.get("param0")
    if raw is None or len(raw) != 8:
        problems.append(f"{name}: param0 must be a u64 (two cells, /bits/ 64)")
        return None
    param0 = int.from_bytes(raw, "big")
    raw = props.get("param1")
    param1 = _cell(raw) if raw is not None else None
    if param1 is None:
        problems.append(f"{name}: param1 must be one u32 cell")
        return None
    return kind, version, param0, param1


def decode_tree(tree: DeviceTree) -> Decoded | None:
    """The record in ``tree`` (the first compatible node in document order, as
    of_find_compatible_node() finds it); None when no node has the compatible."""
    nodes = find_nodes(tree)
    if not nodes:
        return None
    dec = decode_node(nodes[0])
    if len(nodes) > 1:
        dec.problems.append(f"{len(nodes)} nodes are compatible with {COMPATIBLE!r} "
                            f"({', '.join(n.path for n in nodes)}); the first is read")
    return dec


def decode_platform(platform: "Platform") -> Decoded | None:
    """The record in ``platform``'s devicetree; None without a DT or without a record node."""
    if platform.fdt is None:
        return None
    return decode_tree(platform.fdt)


# The evidence names note_evidence() records, spelled once.
_COMPATIBLE_NAME = f"of_find_compatible_node({COMPATIBLE!r})"
_OFFERED = tuple((name, f"{name} service offered") for name in SERVICES)  # (service, its evidence name)
# A service node's properties in the order _service() reads them, each as the binding types it:
# (property, dt_prop_of kind, evidence name).
_SERVICE_TYPES = {"kind": "str", "version": "u32", "param0": "u64", "param1": "u32"}
_SERVICE_EVIDENCE = tuple((prop, _SERVICE_TYPES[prop], f"interface {prop}") for prop in SERVICE_PROPS)


def note_evidence(ctx: Any) -> None:
    """Record the properties a guest reads, for the proposal model's evidence (resolver Ctx)."""
    tree = ctx.p.fdt
    nodes = find_nodes(tree) if tree is not None else []
    if not nodes:
        return
    # The node of_find_compatible_node() returned, read as itself (what decode_node() read): no
    # path lookup, which could stop at an earlier same-named sibling.
    node = nodes[0]
    ctx.dt_prop_of(node, "compatible", kind="strings", name=_COMPATIBLE_NAME)
    ctx.dt_prop_of(node, "version", kind="u32", name="record layout version")
    ctx.dt_prop_of(node, "isolation", name="isolation")
    ctx.dt_prop_of(node, FLAG_NOT_IN_CHARGE, kind="present", name="GUEST_NOT_IN_CHARGE")
    ctx.dt_prop_of(node, FLAG_ACCEPTS_MEMORY, kind="present", name="PARAVISOR_ACCEPTS_MEMORY")
    if BOUNDARY in node.properties:
        ctx.dt_prop_of(node, BOUNDARY, kind="u32", name="SHARED_GPA_BOUNDARY_BITS")
    for name, offered in _OFFERED:
        # The service node decode_node() read: the node's first child of that whole name (not a
        # path lookup, which takes "name@unit" too and starts from the first node of this path).
        child = ctx.dt_child_named(node, name, name=offered)
        if child is not None:
            # _service()'s reads, in its order: the interface the derivation describes.
            for prop, kind, label in _SERVICE_EVIDENCE:
                ctx.dt_prop_of(child, prop, kind=kind, name=label)
