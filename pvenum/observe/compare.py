"""Does a model's derivation agree with what the kernel concluded?

Compared: mode, isolation, hypervisor, memory_acceptance, each service the observation could
see, and whether the boot completes (the model's ``linux.boot-stops.*`` findings against the
observed outcome). A field the observation left None is listed under ``not_compared`` with the
reason, never counted as agreement.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..resolver.derivation import WORD_FIELDS, Derivation
from .model import Observation



@dataclass
class Agreement:
    fields: dict[str, tuple[Any, Any]] = field(default_factory=dict)  # name -> (observed, derived)
    not_compared: dict[str, str] = field(default_factory=dict)

    @property
    def differing(self) -> list[str]:
        return [k for k, (o, d) in self.fields.items() if o != d]

    @property
    def agrees(self) -> bool:
        return bool(self.fields) and not self.differing

    def to_dict(self) -> dict[str, Any]:
        return {
            "agrees": self.agrees,
            "differs": self.differing,
            "fields": {k: {"observed": o, "derived": d, "agree": o == d} for k, (o, d) in self.fields.items()},
            "not_compared": dict(self.not_compared),
        }


def boot_stops(d: Derivation) -> str | None:
    """The reason the model says this kernel stops booting, or None: the Linux models' ``stops``
    output (every halt: terminations, panics such as hv_vtom_init()'s), else a boot-stops finding."""
    if isinstance(d.output, dict) and d.output.get("stops"):
        return str(d.output["stops"])
    for f in d.findings:
        if f.code.startswith("linux.boot-stops"):
            return f.message
    return None


def compare(obs: Observation, d: Derivation, *, skip: dict[str, str] | None = None) -> Agreement:
    """``skip``: fields the caller knows the observation cannot speak for (name -> why)."""
    ag = Agreement()
    skip = dict(skip or {})
    if obs.outcome == "stopped-before-console":
        ag.not_compared["*"] = obs.unobserved.get("*", "no kernel output")
    else:
        for name in WORD_FIELDS:
            if name in skip:
                ag.not_compared[name] = skip[name]
                continue
            value = getattr(obs, name)
            if value is None:
                ag.not_compared[name] = obs.unobserved.get(name, "not observed")
            else:
                ag.fields[name] = (value, getattr(d, name))
        for svc, seen in obs.services.items():
            key = f"services.{svc}"
            if key in skip:
                ag.not_compared[key] = skip[key]
            elif seen is None:
                ag.not_compared[key] = obs.unobserved.get(key, obs.unobserved.get("services", "not observed"))
            elif svc in d.services:
                ag.fields[key] = (seen.available, d.services[svc].available)
    stops = boot_stops(d)
    if obs.outcome in ("booted", "panic", "stopped-before-console") and "boot" not in skip:
        observed = "completes" if obs.outcome == "booted" else "stops"
        ag.fields["boot"] = (observed, "stops" if stops else "completes")
    elif "boot" in skip:
        ag.not_compared["boot"] = skip["boot"]
    else:
        ag.not_compared["boot"] = "the log ends without a panic or the init's report (timeout or reset)"
    return ag
