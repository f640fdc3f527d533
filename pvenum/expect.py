"""Stated expectations (``[expect.MODEL]`` tables) and how a derivation meets them.

A scenario TOML and a bundle's platform.toml may say what each guest model should derive:

    [expect.linux]
    mode = "paravisor"                 # not-confidential | enlightened | paravisor | confidential | conflict | indeterminate
    isolation = "sev-snp"              # none | vbs | sev | sev-es | sev-snp | tdx | cca
    hypervisor = "hyperv"              # none | hyperv | kvm | xen | vmware | tcg | acrn | bhyve | qnx | jailhouse | unknown
    memory_acceptance = "paravisor"    # none | guest | svsm | paravisor
    attestation = true                 # services: available or not (also tdisp, vtpm)
    output = "sev-snp"                 # the guest's own word or list; for a table output, its headline
                                       # (Linux x86 cc_vendor, the proposal's state) or a table of keys
    findings = ["x86.snp-visible-behind-paravisor"]     # codes that must be among the findings
    findings_absent = ["linux.boot-stops.ghcb_snp_unsupported"]    # codes that must not

Every value is checked against the vocabulary when the file is read (:func:`parse_expectations`
raises :class:`~pvenum.errors.ScenarioError` naming the key); :func:`compare` lists every
:class:`Mismatch` (model, field, expected, derived). ``pvenum check`` and the pytest plugin's
``pvenum_check`` use it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Mapping

from .errors import PvenumError, ScenarioError
from .resolver.derivation import MODES, SERVICES, WORD_FIELDS
from .resolver.registry import split_model

EXPECT_MODELS = ("linux", "systemd", "virt-what", "proposal")
# systemd-detect-virt --cvm words: confidential_virtualization_table in systemd
# src/basic/confidential-virt.c (v258; "cca" since v258 on aarch64, "protvirt" on s390x).
SYSTEMD_WORDS = ("none", "sev", "sev-es", "sev-snp", "tdx", "protvirt", "cca")
# virt-what-cvm facts (virt-what 1.27 virt-what-cvm.c main(): the puts() of each detection).
VIRT_WHAT_FACTS = ("amd-sev", "amd-sev-es", "amd-sev-snp", "intel-tdx", "hyperv-hcl")
# The proposal model's output.state (pvenum/resolver/models/proposal.py STATES) or the mode.
PROPOSAL_STATES = ("in-charge", "not-in-charge", *MODES)
_CODE = re.compile(r"^[a-z0-9][a-z0-9_.@-]*$")
KEYS = (*WORD_FIELDS, *SERVICES, "output", "findings", "findings_absent")


@dataclass(frozen=True)
class Expectation:
    """What one model should derive; None = not stated."""

    model: str
    mode: str | None = None
    isolation: str | None = None
    hypervisor: str | None = None
    memory_acceptance: str | None = None
    services: dict[str, bool] = field(default_factory=dict)
    output: Any = None
    findings: tuple[str, ...] = ()
    findings_absent: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {k: getattr(self, k) for k in WORD_FIELDS if getattr(self, k) is not None}
        out.update(self.services)
        if self.output is not None:
            out["output"] = self.output
        if self.findings:
            out["findings"] = list(self.findings)
        if self.findings_absent:
            out["findings_absent"] = list(self.findings_absent)
        return out


def tables(expect: Mapping[str, Expectation]) -> dict[str, dict[str, Any]]:
    """``expect`` as its [expect.MODEL] tables (what :func:`parse_expectations` reads back)."""
    return {m: e.to_dict() for m, e in expect.items()}


def _word(value: Any, allowed: tuple[str, ...], key: str) -> str:
    if not isinstance(value, str) or value not in allowed:
        raise ScenarioError(f"{value!r} is not one of {', '.join(allowed)}", key=key)
    return value


def _codes(value: Any, key: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(c, str) and _CODE.match(c) for c in value):
        raise ScenarioError("expected a list of finding codes such as \"x86.snp-visible-behind-paravisor\"", key=key)
    return tuple(value)


def _output(model: str, value: Any, key: str) -> Any:
    model = model.partition("@")[0]
    if model == "systemd":
        return _word(value, SYSTEMD_WORDS, key)
    if model == "virt-what":
        if not isinstance(value, list):
            raise ScenarioError("expected a list of virt-what-cvm facts, e.g. [\"amd-sev-snp\"]", key=key)
        for i, fact in enumerate(value):
            _word(fact, VIRT_WHAT_FACTS, f"{key}[{i}]")
        return list(value)
    if model == "proposal" and isinstance(value, str):
        return _word(value, PROPOSAL_STATES, key)
    if isinstance(value, (str, dict)):  # Linux: cc_vendor, or a table of output keys
        return value
    raise ScenarioError("expected a string or a table of output keys", key=key)


def parse_expectations(table: Any, *, key: str = "expect") -> dict[str, Expectation]:
    """``[expect]`` → model → Expectation; every key and value checked against the vocabulary."""
    if not isinstance(table, dict):
        raise ScenarioError("expected a table of [expect.MODEL] tables", key=key)
    out: dict[str, Expectation] = {}
    for model, want in table.items():
        # As TOML addresses the table: linux@6.12 is a quoted key (expect."linux@6.12").
        where = f"{key}.{model}" if re.fullmatch(r"[A-Za-z0-9_-]+", model) else f'{key}."{model}"'
        if model.partition("@")[0] not in EXPECT_MODELS:
            raise ScenarioError(f"unknown model; known: {', '.join(EXPECT_MODELS)} (or MODEL@RELEASE)", key=where)
        try:
            split_model(model)  # linux@6.12: a model of one release, checked as resolve() will
        except PvenumError as err:
            raise ScenarioError(err.message, key=where) from None
        if not isinstance(want, dict):
            raise ScenarioError("expected a table", key=where)
        kw: dict[str, Any] = {"services": {}}
        for k, v in want.items():
            at = f"{where}.{k}"
            if k in WORD_FIELDS:
                kw[k] = _word(v, WORD_FIELDS[k], at)
            elif k in SERVICES:
                if not isinstance(v, bool):
                    raise ScenarioError("expected true or false (is the service available)", key=at)
                kw["services"][k] = v
            elif k == "output":
                kw[k] = _output(model, v, at)
            elif k in ("findings", "findings_absent"):
                kw[k] = _codes(v, at)
            else:
                raise ScenarioError(f"unknown key; known: {', '.join(KEYS)}", key=at)
        out[model] = Expectation(model, **kw)
    return out


@dataclass(frozen=True)
class Mismatch:
    model: str
    field: str
    expected: Any
    derived: Any

    def to_json(self) -> dict[str, Any]:
        return {"model": self.model, "field": self.field, "expected": self.expected, "derived": self.derived}


def _headline(output: Any) -> Any:
    # A table output's one word: Linux x86 cc_vendor, the proposal's state.
    if isinstance(output, dict):
        for k in ("cc_vendor", "state"):
            if k in output:
                return output[k]
    return output


def compare(expect: Mapping[str, Expectation], derivations: Mapping[str, Any]) -> list[Mismatch]:
    """Every stated expectation the derivations do not meet (a model not derived is one too)."""
    out: list[Mismatch] = []
    for model, e in expect.items():
        d = derivations.get(model)
        if d is None:
            out.append(Mismatch(model, "model", "derived", "not derived"))
            continue
        for k in WORD_FIELDS:
            want = getattr(e, k)
            if want is not None and getattr(d, k) != want:
                out.append(Mismatch(model, k, want, getattr(d, k)))
        for name, want in e.services.items():
            got = d.services[name].available if name in d.services else False
            if got != want:
                out.append(Mismatch(model, name, want, got))
        if e.output is not None:
            if isinstance(e.output, dict):
                got_out = d.output if isinstance(d.output, dict) else {}
                for k, want in e.output.items():
                    if got_out.get(k) != want:
                        out.append(Mismatch(model, f"output.{k}", want, got_out.get(k)))
            elif _headline(d.output) != e.output:
                out.append(Mismatch(model, "output", e.output, _headline(d.output)))
        codes = [f.code for f in d.findings]
        for code in e.findings:
            if code not in codes:
                out.append(Mismatch(model, "findings", f"{code} present", ", ".join(codes) or "no findings"))
        for code in e.findings_absent:
            if code in codes:
                out.append(Mismatch(model, "findings", f"{code} absent", f"{code} present"))
    return out


def text(value: Any) -> str:
    """A value as TOML would write it (no Python literals in output)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return value
    if value is None:
        return "none"
    if isinstance(value, list):
        return "[" + ", ".join(text(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k} = {text(v)}" for k, v in value.items()) + "}"
    return str(value)
