"""What one guest model derives from one platform, with the evidence for it.

The JSON form (:meth:`Derivation.to_dict`) is a contract (docs/contracts.md):
``{"mode", "isolation", "hypervisor", "memory_acceptance", "services", "output", "evidence",
"findings"}``; extra keys may be added, none removed.

The immutable records (Evidence, Finding, Step, Service) are NamedTuples: made by the thousand per
resolve and declared on every start of the CLI, where a frozen dataclass costs several times
more of both.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar, NamedTuple

MODES = ("not-confidential", "enlightened", "paravisor", "confidential", "conflict", "indeterminate")
ISOLATIONS = ("none", "vbs", "sev", "sev-es", "sev-snp", "tdx", "cca")
HYPERVISORS = ("none", "hyperv", "kvm", "xen", "vmware", "tcg", "acrn", "bhyve", "qnx", "jailhouse", "unknown")
MEMORY_ACCEPTANCE = ("none", "guest", "svsm", "paravisor")
# The derivation's one-word fields and each one's vocabulary (expectations and observations
# compare these by name).
WORD_FIELDS = {"mode": MODES, "isolation": ISOLATIONS, "hypervisor": HYPERVISORS, "memory_acceptance": MEMORY_ACCEPTANCE}
SERVICES = ("attestation", "tdisp", "vtpm")
SEVERITIES = ("error", "warning", "info")


class Evidence(NamedTuple):
    """One input the model read: where exactly, what it held, and which rule read it."""

    source: str  # e.g. "cpuid 0x4000000c.eax[0]", "msr 0xc0010131[2]", "smccc 0xc4000190.x0"
    value: Any  # int for registers and bits, str for signatures, None when absent
    name: str | None = None  # the name the mirrored source uses, e.g. "HV_PARAVISOR_PRESENT"
    rule: str | None = None
    cite: str | None = None

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"source": self.source, "value": self.value}
        if self.name:
            out["name"] = self.name
        if self.rule:
            out["rule"] = self.rule
        if self.cite:
            out["cite"] = self.cite
        return out

    def display_value(self) -> str:
        v = self.value
        if v is None:
            return "absent"
        if isinstance(v, bool):
            return str(v).lower()
        if isinstance(v, int):
            return f"0x{v:x}" if v > 9 else str(v)
        return repr(v) if isinstance(v, str) else str(v)


class Finding(NamedTuple):
    severity: str  # error | warning | info
    code: str  # stable id, e.g. "x86.snp-visible-behind-paravisor"
    message: str
    cite: str | None = None

    def to_dict(self) -> dict[str, Any]:
        out = {"severity": self.severity, "code": self.code, "message": self.message}
        if self.cite:
            out["cite"] = self.cite
        return out


class Step(NamedTuple):
    """One rule evaluation, for ``resolve --explain``."""

    rule: str
    cite: str
    title: str
    inputs: tuple[Evidence, ...]
    conclusion: str | None


class Service(NamedTuple):  # immutable: a model replaces a service, never edits one
    available: bool = False
    via: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"available": self.available, "via": self.via}


_NO_SERVICES = {s: Service() for s in SERVICES}  # copied into every new derivation


class _MadeOnRead:
    """A derivation list made from the raw log on first read (:meth:`Derivation._made`), and
    settable like the plain attribute it stands for."""

    def __set_name__(self, owner: type, name: str) -> None:
        self.slot = "_" + name

    def __get__(self, d: Any, owner: type | None = None) -> Any:
        if d is None:
            return self
        value = getattr(d, self.slot)
        if value is None:
            d._made()
            value = getattr(d, self.slot)
        return value

    def __set__(self, d: Any, value: list) -> None:
        d._made()
        setattr(d, self.slot, value)


@dataclass(eq=False)
class Derivation:
    model: str
    mode: str = "indeterminate"
    isolation: str = "none"
    hypervisor: str = "none"
    memory_acceptance: str = "none"
    services: dict[str, Service] = field(default_factory=_NO_SERVICES.copy)
    output: Any = None
    findings: list[Finding] = field(default_factory=list)
    mirrors: str = ""  # which guest and version the model follows
    # The engine's raw read log and the function that turns it into (evidence, trace): both
    # are made on first access, since most callers read only the summary cells. Class-level
    # defaults, not fields: set per derivation only when there is something to keep.
    _log: ClassVar[Any] = None
    _materialise: ClassVar[Any] = None
    _evidence: ClassVar[list[Evidence] | None] = None
    _trace: ClassVar[list[Step] | None] = None

    def set_log(self, log: Any, materialise: Any) -> None:
        self._log, self._materialise = log, materialise
        self._evidence = self._trace = None

    def _made(self) -> None:
        if self._log is not None:
            self._evidence, self._trace = self._materialise(self._log)
            self._log = self._materialise = None
        if self._evidence is None:
            self._evidence, self._trace = [], []

    # Every distinct input the model read, in the order first read; and one Step per rule
    # that read something or concluded, for ``--explain``. Both made on first read.
    evidence = _MadeOnRead()
    trace = _MadeOnRead()

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Derivation):
            return NotImplemented
        return self.model == other.model and self.to_dict(trace=True) == other.to_dict(trace=True)

    __hash__ = None  # type: ignore[assignment]  # mutable, like the dataclass it was

    def __getstate__(self) -> dict[str, Any]:
        self._made()  # the raw log holds rule functions: send what they concluded instead
        return dict(self.__dict__)

    def to_dict(self, *, trace: bool = False) -> dict[str, Any]:
        out: dict[str, Any] = {
            "mode": self.mode,
            "isolation": self.isolation,
            "hypervisor": self.hypervisor,
            "memory_acceptance": self.memory_acceptance,
            "services": {k: v.to_dict() for k, v in self.services.items()},
            "output": self.output,
            "evidence": [e.to_dict() for e in self.evidence],
            "findings": [f.to_dict() for f in self.findings],
        }
        if self.mirrors:
            out["mirrors"] = self.mirrors
        if trace:
            out["trace"] = [
                {
                    "rule": s.rule,
                    "cite": s.cite,
                    "title": s.title,
                    "inputs": [e.to_dict() for e in s.inputs],
                    "conclusion": s.conclusion,
                }
                for s in self.trace
            ]
        return out

    def summary(self) -> dict[str, Any]:
        """The matrix cells: what a reviewer compares across models."""
        return {
            "mode": self.mode,
            "isolation": self.isolation,
            "memory_acceptance": self.memory_acceptance,
            "attestation": self.services["attestation"].available,
            "tdisp": self.services["tdisp"].available,
            "vtpm": self.services["vtpm"].available,
        }
