"""The ``proposal`` model: the 2026 linux-coco three-state model with enumerated services.

A guest following the proposal ('"Paravisor" Feature Enumeration', linux-coco 2026) knows three
states: not a confidential VM; confidential and in charge of its trust boundary; confidential
but not in charge (a paravisor is). It learns the third state, and which services the
paravisor offers and how to call them, from the paravisor services record (docs/proposal.md),
advertised through any of three draft encodings: a CPUID leaf block, a devicetree node or an
ACPI table. Without a record it falls back to today's signals. When the record says "not in
charge" while the guest also sees its own SNP/TDX/RSI enlightenment, the two sides would fight
over PVALIDATE / TDG.MEM.PAGE.ACCEPT: that is ``conflict``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ...platform import Platform
from ...proposal import acpi_encoding, cpuid_encoding, dt_encoding
from ...proposal.codes import SERVICE_BITS, SERVICES
from ...proposal.cpuid_encoding import Decoded
from ...report import num_text  # user text: never a Python literal
from .. import crosschannel, x86
from ..derivation import Derivation
from ..engine import Ctx, Rule, State, run
from . import own_signals

if TYPE_CHECKING:  # pragma: no cover
    from ...proposal.record import ParavisorServices  # loaded by the decoders once a record is found

MIRRORS = "linux-coco 2026 '\"Paravisor\" Feature Enumeration' three-state model; record draft in docs/proposal.md"
DOC = "pvenum docs/proposal.md"
# output.state, the proposal's words for the modes of a confidential VM; other modes keep their name.
STATES = {"enlightened": "in-charge", "paravisor": "not-in-charge"}



@dataclass(slots=True)  # a mistyped field fails instead of reading None
class ProposalState:
    """The record found, where, and what the guest sees of its own CC ABI."""

    record: ParavisorServices | None = None
    record_where: list[str] = field(default_factory=list)  # channels carrying the record
    disagree: bool = False  # two channels carry different records
    own: own_signals.Own | None = None


# The record leaf B+1 and the fields of it a guest reads, as cpuid_encoding declares them.
_RECORD_LEAF = cpuid_encoding.LEAF_SPECS[0]
_RECORD_VERSION = _RECORD_LEAF.field("RECORD_VERSION")
_NOT_IN_CHARGE = _RECORD_LEAF.field("GUEST_NOT_IN_CHARGE")
_ACCEPTS_MEMORY = _RECORD_LEAF.field("PARAVISOR_ACCEPTS_MEMORY")
_BOUNDARY_VALID = _RECORD_LEAF.field("SHARED_GPA_BOUNDARY_VALID")
_BOUNDARY_BITS = _RECORD_LEAF.field("SHARED_GPA_BOUNDARY_BITS")
# Per service (its interface leaf follows B+1 in SERVICES order): its bit in B+1.edx, the leaf's
# offset from B and the fields decode() makes the interface of, in its order.
_INTERFACES = tuple(
    (SERVICE_BITS[name], spec.leaf,
     tuple(spec.field(f"{name.upper()}_{f}") for f in ("KIND", "VERSION", "PARAM0_LO", "PARAM0_HI", "PARAM1")))
    for name, spec in zip(SERVICES, cpuid_encoding.LEAF_SPECS[1:], strict=True)
)


def _records(ctx: Ctx) -> list[Decoded]:
    """The record as each channel carries it, noting the fields a guest reads."""
    found: list[Decoded] = []
    p = ctx.p
    dump = p.cpuid
    if dump is not None:
        base = cpuid_encoding.find_base(dump)  # cpuid_base() over the dump's one kept scan
        if base is not None:
            x86.note_signature(ctx, base, 'hypervisor_cpuid_base("ParavisorSvc", 4)')
            leaf = base + _RECORD_LEAF.leaf
            ctx.read_field(leaf, _RECORD_VERSION)
            ctx.read_field(leaf, _NOT_IN_CHARGE)
            ctx.read_field(leaf, _ACCEPTS_MEMORY)
            if ctx.read_field(leaf, _BOUNDARY_VALID):
                ctx.read_field(leaf, _BOUNDARY_BITS)
            ctx.cpuid(base + 1, "ebx", name="isolation code")
            services = ctx.cpuid(base + 1, "edx", 0, 2, name="services: [0] attestation [1] TDISP [2] vTPM")
            for bit, offset, fields in _INTERFACES:
                if services and services >> bit & 1:  # the interface of a service offered
                    for f in fields:
                        ctx.read_field(base + offset, f)
            found.append(cpuid_encoding.decode(dump, base))
        else:
            ctx.note("cpuid 0x40000000-0x4000ff00 signature scan", None, name="no \"ParavisorSvc\" block")
    for encoding in (dt_encoding, acpi_encoding):
        # None without a DT / without ACPI or a PVSR table (the first PVSR, as a guest walking the XSDT finds it).
        dec = encoding.decode_platform(p)
        if dec is not None:
            ctx.note(dec.where, "present", name=f"paravisor services record ({dec.channel} encoding)")
            encoding.note_evidence(ctx)  # the exact fields it read (e.g. "acpi PVSR.Flags")
            found.append(dec)
    return found


def find_records(ctx: Ctx, state: State) -> str | None:
    decs = _records(ctx)
    for dec in decs:
        for problem in dec.problems:
            ctx.finding("warning", f"proposal.record-malformed.{dec.channel}", f"{dec.where}: {problem}")
    good = [d for d in decs if d.record is not None]
    if not good:
        return "no paravisor services record in any channel"
    first = good[0]
    for other in good[1:]:
        if other.record != first.record:
            diff = _differences(first.record, other.record)
            ctx.finding(
                "error", "proposal.channels-disagree",
                f"{first.where} and {other.where} carry different paravisor services records ({diff})",
            )
            state.m.disagree = True
    state.m.record = first.record
    state.m.record_where = [d.where for d in good]
    r = first.record
    return (f"record in {', '.join(d.where for d in good)}: isolation {r.isolation}, "
            f"{'guest in charge' if r.guest_in_charge else 'guest NOT in charge'}")


def _differences(a: ParavisorServices, b: ParavisorServices) -> str:
    da, db = a.to_dict(), b.to_dict()
    keys = [k for k in da if da[k] != db[k]]
    return ", ".join(f"{k}: {num_text(da[k])} vs {num_text(db[k])}" for k in keys) or "same fields"


def own_enlightenment(ctx: Ctx, state: State) -> str | None:
    own = own_signals.own_cc(ctx)
    state.m.own = own
    if own.unknown:
        return f"cannot tell whether the guest sees its own CC ABI: missing {own.unknown}"
    return f"own CC enlightenment: {own.isolation}" if own.isolation != "none" else "no CC enlightenment of its own"


def decide(ctx: Ctx, state: State) -> str | None:
    s = state.m
    d = state.d
    record: ParavisorServices | None = s.record
    own: own_signals.Own = s.own
    legacy = own_signals.legacy_paravisor(ctx)
    d.hypervisor = own_signals.hypervisor(ctx)
    if record is not None:
        for p in record.problems():
            ctx.finding("warning", "proposal.record-inconsistent", p)
        if s.disagree:
            d.mode = "conflict"
            d.isolation = record.isolation
            return "conflict: the channels advertise different records"
        if not record.guest_in_charge:
            if own.in_charge_abi:
                ctx.finding(
                    "error", "proposal.not-in-charge-but-enlightened",
                    f"the record says a paravisor is in charge, yet the guest sees its own {own.isolation} "
                    f"({own.evidence}): it would run {own.accept_op} itself and fight the paravisor",
                )
                d.mode, d.isolation = "conflict", record.isolation
                return "conflict: own enlightenment visible and the record says not in charge"
            if own.unknown:
                d.mode, d.isolation = "indeterminate", record.isolation
                return f"indeterminate: missing {own.unknown}"
            if legacy is not None and legacy.isolation != record.isolation:
                ctx.finding(
                    "warning", "proposal.isolation-mismatch",
                    f"the record says isolation {record.isolation}, the hypervisor's own leaves say {legacy.isolation}",
                )
            d.mode = "paravisor"
            d.isolation = record.isolation
            d.memory_acceptance = record.memory_acceptance
            for name, iface in record.services().items():
                if iface is not None:
                    state.service(name, f"paravisor {iface.describe()}")
            return "paravisor: confidential, not in charge; services from the record"
        # The record only adds services to a guest that is in charge (e.g. an SVSM's vTPM).
        if own.isolation == "none":
            ctx.finding(
                "warning", "proposal.in-charge-without-cc",
                "the record says the guest is in charge of a confidential VM, but the guest sees no CC enlightenment",
            )
        own_signals.apply(ctx, state, own)
        for name, iface in record.services().items():
            if iface is not None and not d.services[name].available:
                state.service(name, f"paravisor {iface.describe()}")
        return f"{d.mode}: guest in charge; record adds services"
    # No record: today's signals.
    if legacy is not None and legacy.paravisor:
        if own.in_charge_abi:
            ctx.finding(
                "error", "proposal.legacy-paravisor-but-enlightened",
                f"Hyper-V says a paravisor is in charge while the guest sees its own {own.isolation} ({own.evidence})",
            )
            d.mode, d.isolation = "conflict", legacy.isolation
            return "conflict: own enlightenment and a (Hyper-V) paravisor"
        if legacy.isolation == "none":
            ctx.finding("error", "proposal.paravisor-without-isolation-type",
                        "Hyper-V says a paravisor is present with isolation type 0")
            d.mode = "conflict"
            return "conflict: paravisor with isolation type 0"
        d.mode, d.isolation, d.memory_acceptance = "paravisor", legacy.isolation, "paravisor"
        ctx.finding(
            "info", "proposal.no-services-record",
            "a paravisor is in charge (HV_PARAVISOR_PRESENT) but advertises no services record: "
            "the guest cannot discover its attestation, TDISP or vTPM interfaces",
        )
        return "paravisor (Hyper-V leaf): services unknown without a record"
    if own.unknown:
        d.mode = "indeterminate"
        return f"indeterminate: missing {own.unknown}"
    own_signals.apply(ctx, state, own)
    if legacy is not None and legacy.isolation == "vbs" and d.mode == "not-confidential":
        d.mode, d.isolation = "enlightened", "vbs"
    return f"{d.mode}: {d.isolation}"


def conclude(ctx: Ctx, state: State) -> str | None:
    s = state.m
    record = s.record
    mode = state.d.mode
    word = STATES.get(mode, mode)
    state.d.output = {
        "state": word,
        "record": record.to_dict() if record is not None else None,
        "record_channels": s.record_where,
    }
    return f"state {word}"


RULES = (
    Rule("proposal.records", DOC + " (CPUID/DT/ACPI encodings); torvalds/linux v6.12 arch/x86/include/asm/processor.h: "
         "hypervisor_cpuid_base() (mainline: arch/x86/include/asm/cpuid/api.h: cpuid_base_hypervisor())",
         "Find the paravisor services record in every channel", find_records),
    Rule("proposal.own-cc", "torvalds/linux arch/x86/boot/startup/sme.c: sme_enable(); arch/x86/coco/tdx/tdx.c: tdx_early_init(); arch/arm64/kernel/rsi.c: arm64_rsi_init()",
         "Does the guest see its own CC ABI?", own_enlightenment),
    Rule("proposal.decide", DOC + " §Guest algorithm", "Three states and the services each reaches", decide),
)
# Cross-channel facts (CCEL vs the TEE, FADT vs the hypervisor, MP wakeup vs TDX) after the
# decision; the records themselves are compared in find_records().
RULES = RULES + crosschannel.RULES
FINAL = Rule("proposal.output", DOC, "What the proposal guest records", conclude)


def derive(platform: Platform, *, facts: dict | None = None) -> Derivation:
    return run(RULES, platform, Derivation("proposal", mirrors=MIRRORS), final=FINAL, m=ProposalState(), facts=facts)
