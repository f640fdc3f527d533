"""What a kernel concluded about itself, in the vocabulary of a derivation."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..resolver.derivation import Evidence, Service

# How far the boot went.
OUTCOMES = (
    "booted",  # the init's report (or a live machine) was read to its end
    "panic",  # "Kernel panic - not syncing: ..."
    "stopped",  # kernel lines, then nothing: no panic line and no report (hang, reset, timeout)
    "stopped-before-console",  # not one kernel line reached the console
)


@dataclass
class Observation:
    """The running kernel's own conclusion. A field left None was not observable from the
    sources read; ``unobserved`` says why."""

    origin: str  # "console" (a boot log) or "live" (pvenum snapshot)
    outcome: str
    arch: str | None = None
    kernel_release: str | None = None
    mode: str | None = None
    isolation: str | None = None
    hypervisor: str | None = None
    memory_acceptance: str | None = None
    services: dict[str, Service | None] = field(default_factory=dict)
    panic: str | None = None
    evidence: list[Evidence] = field(default_factory=list)
    unobserved: dict[str, str] = field(default_factory=dict)  # field -> why
    unreadable: dict[str, str] = field(default_factory=dict)  # source -> why (live machines)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "origin": self.origin,
            "outcome": self.outcome,
            "arch": self.arch,
            "kernel_release": self.kernel_release,
            "mode": self.mode,
            "isolation": self.isolation,
            "hypervisor": self.hypervisor,
            "memory_acceptance": self.memory_acceptance,
            "services": {k: (v.to_dict() if v is not None else None) for k, v in self.services.items()},
            "evidence": [e.to_dict() for e in self.evidence],
        }
        if self.panic is not None:
            out["panic"] = self.panic
        if self.unobserved:
            out["unobserved"] = dict(self.unobserved)
        if self.unreadable:
            out["unreadable"] = dict(self.unreadable)
        return out
