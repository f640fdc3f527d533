"""The draft "paravisor services" record of the 2026 proposal, independent of any encoding.

The linux-coco thread '"Paravisor" Feature Enumeration' asked for a third guest state —
"you are in a confidential VM, but you are not in charge" — plus a list of the services the
paravisor offers, so that attestation, TDISP and a vTPM keep working while memory acceptance
is left to the paravisor. This module defines that record; pvenum/proposal/cpuid_encoding.py,
the devicetree binding and the ACPI table encode the same record (docs/proposal.md).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any, Mapping, NamedTuple

from ..errors import ScenarioError
from .codes import (
    RECORD_VERSION,
    ISOLATION_CODES,
    ISOLATION_BY_NAME,
    INTERFACE_KINDS,
    INTERFACE_BY_NAME,
    SERVICES,
    SERVICE_BITS,
    version_problem,
    FLAG_NOT_IN_CHARGE,
    FLAG_ACCEPTS_MEMORY,
    FLAG_BOUNDARY_VALID,
    BOUNDARY_SHIFT,
    BOUNDARY_MASK,
    FLAGS_DEFINED,
    SERVICES_DEFINED,
)

class _InterfaceFields(NamedTuple):
    kind: str
    version: int = 1
    param0: int = 0
    param1: int = 0


class Interface(_InterfaceFields):
    """How the guest calls one service. Immutable; a NamedTuple rather than a frozen dataclass:
    a decoder makes up to three per record, and a frozen dataclass's __init__ costs several
    times more."""

    __slots__ = ()

    def __new__(cls, kind: str, version: int = 1, param0: int = 0, param1: int = 0) -> "Interface":
        if kind not in INTERFACE_BY_NAME:
            raise ScenarioError(f"unknown interface kind {kind!r}; known: {', '.join(INTERFACE_BY_NAME)}")
        if not 0 <= version <= 0xFF:
            raise ScenarioError("interface version is 8-bit")
        if not 0 <= param0 < 1 << 64 or not 0 <= param1 < 1 << 32:
            raise ScenarioError("param0 is 64-bit and param1 32-bit")
        return _InterfaceFields.__new__(cls, kind, version, param0, param1)

    @classmethod
    def _make(cls, iterable: Any) -> "Interface":
        # NamedTuple's _make (and _replace, which calls it) builds the tuple directly: route it
        # through the checks above, as dataclasses.replace() re-ran a frozen dataclass's.
        return cls(*iterable)

    def describe(self) -> str:
        k = self.kind
        if k == "mmio":
            return f"mmio 0x{self.param0:x} (+0x{self.param1:x})"
        if k == "svsm-protocol":
            return f"svsm-protocol {self.param0} (v{self.version}, up to v{self.param1})"
        if k == "tpm-nv-index":
            return f"tpm-nv-index 0x{self.param0:08x}"
        if k == "hypercall":
            return f"hypercall 0x{self.param0:x} (v{self.version})"
        return f"{k} 0x{self.param0:x}"

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "version": self.version, "param0": self.param0, "param1": self.param1}

    @classmethod
    def from_dict(cls, d: Mapping[str, Any], *, key: str) -> "Interface":
        unknown = set(d) - {"kind", "version", "param0", "param1"}
        if unknown:
            raise ScenarioError(f"unknown key {sorted(unknown)[0]!r}; an interface has kind, version, param0, param1", key=key)
        numbers = {name: d.get(name, default) for name, default in (("version", 1), ("param0", 0), ("param1", 0))}
        if any(isinstance(v, bool) or not isinstance(v, int) for v in numbers.values()):
            raise ScenarioError("version, param0 and param1 are integers", key=key)
        try:
            return cls(kind=d.get("kind", ""), **numbers)
        except ScenarioError as err:
            raise err.under(key) from None


@dataclass(frozen=True, slots=True)  # slots: made per channel that carries a record, read field by field
class ParavisorServices:
    """What a paravisor tells the guest about who is in charge and which services it offers."""

    isolation: str = "none"
    guest_in_charge: bool = False  # False: "confidential, but not in charge"
    paravisor_accepts_memory: bool = True  # the guest must not PVALIDATE / TDG.MEM.PAGE.ACCEPT
    shared_gpa_boundary_bits: int | None = None  # vTOM: shared alias = address >= 1 << bits
    attestation: Interface | None = None
    tdisp: Interface | None = None
    vtpm: Interface | None = None
    version: int = RECORD_VERSION

    def __post_init__(self) -> None:
        if self.isolation not in ISOLATION_BY_NAME:
            raise ScenarioError(f"isolation must be one of {', '.join(ISOLATION_BY_NAME)}", key="isolation")
        if self.shared_gpa_boundary_bits is not None and not 0 < self.shared_gpa_boundary_bits < 64:
            raise ScenarioError("must be 1-63", key="shared_gpa_boundary_bits")
        if not 0 <= self.version <= 0xFFFFFFFF:  # CPUID eax, the DT's u32 cell (ACPI narrows it to 8 bits)
            raise ScenarioError("the record version is a u32", key="version")

    def services(self) -> dict[str, Interface | None]:
        return {"attestation": self.attestation, "tdisp": self.tdisp, "vtpm": self.vtpm}

    @property
    def memory_acceptance(self) -> str:
        if self.guest_in_charge:
            return "guest"
        return "paravisor" if self.paravisor_accepts_memory else "none"

    def problems(self) -> list[str]:
        """Internal contradictions a guest would have to resolve on its own."""
        out = []
        if not self.guest_in_charge and not self.paravisor_accepts_memory:
            out.append("the guest is not in charge and the paravisor does not accept memory: nobody accepts private memory")
        if self.guest_in_charge and self.paravisor_accepts_memory:
            out.append("the guest is in charge but the paravisor claims memory acceptance")
        if self.isolation == "none" and not self.guest_in_charge:
            out.append("a paravisor in charge of a VM with isolation 'none'")
        return out

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "version": self.version,
            "isolation": self.isolation,
            "guest_in_charge": self.guest_in_charge,
            "paravisor_accepts_memory": self.paravisor_accepts_memory,
            "shared_gpa_boundary_bits": self.shared_gpa_boundary_bits,
        }
        for name, iface in self.services().items():
            out[name] = iface.to_dict() if iface else None
        return out

    @classmethod
    def from_dict(cls, d: Mapping[str, Any], *, key: str = "paravisor_services") -> "ParavisorServices":
        known = {"version", "isolation", "guest_in_charge", "paravisor_accepts_memory", "shared_gpa_boundary_bits", *SERVICES}
        for k in d:
            if k not in known:
                raise ScenarioError(f"unknown key; the record has {', '.join(sorted(known))}", key=f"{key}.{k}")
        services = {}
        for name in SERVICES:
            v = d.get(name)
            if v is None or v is False:
                services[name] = None
            elif isinstance(v, Mapping):
                services[name] = Interface.from_dict(v, key=f"{key}.{name}")
            else:
                raise ScenarioError("expected a table {kind, version, param0, param1}", key=f"{key}.{name}")
        in_charge = d.get("guest_in_charge", False)
        flags = {"guest_in_charge": in_charge,
                 "paravisor_accepts_memory": d.get("paravisor_accepts_memory", not in_charge)}
        for name, value in flags.items():
            if not isinstance(value, bool):
                raise ScenarioError("expected true or false", key=f"{key}.{name}")
        numbers = {"version": d.get("version", RECORD_VERSION),
                   "shared_gpa_boundary_bits": d.get("shared_gpa_boundary_bits")}
        for name, value in numbers.items():
            if value is not None and (isinstance(value, bool) or not isinstance(value, int)):
                raise ScenarioError("expected an integer", key=f"{key}.{name}")
        try:
            return cls(isolation=d.get("isolation", "none"), **flags, **numbers, **services)
        except ScenarioError as err:
            raise err.under(key) from None

    def with_(self, **changes: Any) -> "ParavisorServices":
        return replace(self, **changes)


class Words(NamedTuple):  # made per channel per record found: a NamedTuple is cheap to make
    """A record as numbers: what a guest reads from CPUID registers or table fields."""

    version: int
    isolation: int
    flags: int
    services: int
    # per service: (kind code, version, param0, param1); all zero when the service is absent
    interfaces: Mapping[str, tuple[int, int, int, int]]

    @classmethod
    def of(cls, record: ParavisorServices) -> "Words":
        flags = 0 if record.guest_in_charge else FLAG_NOT_IN_CHARGE
        if record.paravisor_accepts_memory:
            flags |= FLAG_ACCEPTS_MEMORY
        if record.shared_gpa_boundary_bits is not None:
            flags |= FLAG_BOUNDARY_VALID | record.shared_gpa_boundary_bits << BOUNDARY_SHIFT
        services = 0
        interfaces = {}
        for name, iface in record.services().items():
            if iface is None:
                interfaces[name] = (0, 0, 0, 0)
                continue
            services |= 1 << SERVICE_BITS[name]
            interfaces[name] = (INTERFACE_BY_NAME[iface.kind], iface.version, iface.param0, iface.param1)
        return cls(record.version, ISOLATION_BY_NAME[record.isolation], flags, services, interfaces)

    def problems(self) -> list[tuple[str, str, str]]:
        """``(where, severity, message)``; ``where`` names the word: "version", "isolation",
        "flags", "boundary" (the flags' boundary bits), "services", or a service name (its
        interface) — each encoding says where that word sits."""
        out = []
        if self.version != RECORD_VERSION:
            out.append(("version", "error", version_problem(self.version)))
        if self.isolation not in ISOLATION_CODES:
            out.append(("isolation", "error", f"unknown isolation code {self.isolation}"))
        if self.flags & ~FLAGS_DEFINED:
            out.append(("flags", "warning", f"reserved flag bits set: 0x{self.flags & ~FLAGS_DEFINED:x}"))
        if self.flags & FLAG_BOUNDARY_VALID and not self.flags >> BOUNDARY_SHIFT & BOUNDARY_MASK:
            out.append(("boundary", "warning", "SHARED_GPA_BOUNDARY_VALID with 0 boundary bits"))
        if self.services & ~SERVICES_DEFINED:
            out.append(("services", "warning", f"reserved service bits set: 0x{self.services & ~SERVICES_DEFINED:x}"))
        for name in SERVICES:
            kind = self.interfaces[name][0]
            if not self.services >> SERVICE_BITS[name] & 1:
                if any(self.interfaces[name]):
                    out.append((name, "warning", f"{name} interface is not zero but the service bit is clear"))
            elif kind not in INTERFACE_KINDS:
                out.append((name, "error", f"{name}: unknown interface kind {kind}"))
        return out

    def record(self) -> ParavisorServices | None:
        """The record these words describe; None when the isolation code is unknown. Services
        with an unknown interface kind are left out (problems() names them)."""
        isolation = ISOLATION_CODES.get(self.isolation)
        if isolation is None:
            return None
        services, interfaces, flags = self.services, self.interfaces, self.flags
        ifaces: dict[str, Interface | None] = {}
        for name, bit in _SERVICE_BITS:
            kind, version, param0, param1 = interfaces[name]
            ifaces[name] = Interface(INTERFACE_KINDS[kind], version & 0xFF, param0, param1) \
                if services >> bit & 1 and kind in INTERFACE_KINDS else None
        bits = flags >> BOUNDARY_SHIFT & BOUNDARY_MASK if flags & FLAG_BOUNDARY_VALID else None
        return ParavisorServices(
            isolation=isolation,
            guest_in_charge=not flags & FLAG_NOT_IN_CHARGE,
            paravisor_accepts_memory=bool(flags & FLAG_ACCEPTS_MEMORY),
            shared_gpa_boundary_bits=bits or None,
            version=self.version,
            **ifaces,
        )


_SERVICE_BITS = tuple((name, SERVICE_BITS[name]) for name in SERVICES)  # (service, its bit) in SERVICES order
