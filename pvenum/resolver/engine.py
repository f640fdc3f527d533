"""The rule engine every guest model runs on.

A model is a tuple of :class:`Rule` records evaluated in order. Each rule names the source it
mirrors (file and function), reads the platform only through :class:`Ctx` — which records
every read as :class:`Evidence` naming the exact leaf/register/bits, MSR bit, SMCCC register,
DT property or ACPI field — and returns a one-line conclusion (or None when it does not
apply). Rules change the shared :class:`State` — the derivation plus the model's own typed
state (``state.m``, a small dataclass per model). ``state.stop`` is the one way evaluation
ends early, the way an early ``return`` (or a guest that stops booting) does in the mirrored C
code: ``state.halt(reason)`` records why a boot stopped and sets it; after that only the rules
marked ``after_halt`` (checks of the platform itself, not steps of the boot) still run.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, NamedTuple, Sequence

from ..cpuid.leaves import Field, declared
from ..cpuid.model import regs_to_str
from ..platform import Platform
from .derivation import Derivation, Evidence, Finding, Service, Step

REG_INDEX = {"eax": 0, "ebx": 1, "ecx": 2, "edx": 3}
# (leaf, field name) -> its declaration as (reg, lo, hi, name, mask): rules name fields by
# literal, so this stays small.
_DECLARED: dict[tuple[int, str], tuple[str, int, int, str, int]] = {}


def bit_range(lo: int, hi: int | None) -> str:
    return f"[{lo}]" if hi is None or hi == lo else f"[{hi}:{lo}]"


def field_source(leaf: int, field_name: str) -> str:
    """How evidence names a declared field, e.g. ``cpuid 0x4000000c.ebx[3:0]``."""
    f = declared(leaf, field_name)
    return (f"msr 0x{leaf:08x}" if f.reg == "msr" else f"cpuid 0x{leaf:08x}.{f.reg}") + f.bits


class Rule(NamedTuple):  # a NamedTuple: cheap to declare and to build (every model declares dozens)
    id: str
    cite: str  # "arch/x86/kernel/cpu/mshyperv.c: ms_hyperv_init_platform()"
    title: str
    apply: Callable[["Ctx", "State"], str | None]
    after_halt: bool = False  # still runs once a boot stopped (a cross-check of the platform)
    # Reads the platform and adds findings, never the model's state (the cross-channel checks):
    # run once per platform in resolve_all, its conclusion, reads and findings replayed after.
    platform_only: bool = False


@dataclass(slots=True)
class State:
    """The derivation under construction plus the model's own typed state."""

    d: Derivation
    m: Any = None  # the model's state dataclass (LinuxX86State, SystemdState, …)
    stop: bool = False
    halted: str | None = None  # why the boot stopped ("CODE: message"), set by halt()

    def halt(self, reason: str) -> None:
        """The guest stops booting here: no further boot rule runs."""
        self.halted = reason
        self.stop = True

    def service(self, name: str, via: str | None, available: bool = True) -> None:
        self.d.services[name] = Service(available=available, via=via)


# Where each SNP fact comes from, down to the byte or bit: struct snp_secrets_page offsets
# (torvalds/linux arch/x86/include/asm/sev.h) and the SVSM_VTPM_QUERY bit tpm_svsm_probe() tests
# (7.2.8 arch/x86/coco/sev/svsm.c: snp_svsm_vtpm_probe(): rcx_out & BIT_ULL(8), TPM_SEND_COMMAND).
SNP_SOURCES = {
    "vmpl": "snp vmpl (RMPADJUST probe)",
    "cc_blob": "snp cc_blob (setup_data / EFI config table)",
    "svsm_base": "snp secrets page svsm_base @0x140 u64",
    "svsm_size": "snp secrets page svsm_size @0x148 u64",
    "svsm_caa": "snp secrets page svsm_caa @0x150 u64",
    "svsm_max_version": "snp secrets page svsm_max_version @0x158 u32",
    "svsm_guest_vmpl": "snp secrets page svsm_guest_vmpl @0x15c u8",
    "svsm_vtpm": "svsm call 0x200000000 (SVSM_VTPM_QUERY).rcx[8]",
}


_PLAIN = (int, str, bool)  # values compared as themselves when deduplicating reads; others by repr()


# A read's source is kept as the rule made it — a string, or for the hot reads a tuple
# ("cpuid", leaf, sub, reg, lo, top) / ("cpuid-text", leaf, sub, order) / ("msr", index, lo, top)
# / ("smccc", fid, reg) / ("acpi…", signature, …) / ("dt…", path, …) — and spelled out only when a
# report reads the evidence (materialise()).
def _cpuid_source(leaf: int, sub: int, reg: str, lo: int, top: int) -> str:
    rng = "" if lo == 0 and top == 31 else bit_range(lo, top)
    return f"cpuid 0x{leaf:08x}" + (f".{sub}" if sub else "") + f".{reg}{rng}"


def _cpuid_text_source(leaf: int, sub: int, order: Sequence[str]) -> str:
    return f"cpuid 0x{leaf:08x}" + (f".{sub}" if sub else "") + "." + ",".join(order)


def _msr_source(index: int, lo: int, top: int) -> str:
    return f"msr 0x{index:08x}" + ("" if lo == 0 and top == 63 else bit_range(lo, top))


def _smccc_source(fid: int, reg: int) -> str:
    return f"smccc 0x{fid:08x}.x{reg}"


_SOURCE_TEXT: dict[str, Callable[..., str]] = {
    "cpuid": _cpuid_source, "cpuid-text": _cpuid_text_source, "msr": _msr_source, "smccc": _smccc_source,
    "acpi": "acpi {}".format, "acpi-field": "acpi {}.{}".format,
    "acpi-sub": lambda sig, type_code: f"acpi {sig} subtables of type 0x{type_code:02x}",
    "acpi-subfield": "acpi {}[{}].{}".format, "dt": "dt {}".format, "dt-prop": "dt {}:{}".format,
}


_TEXTS: dict[tuple, str] = {}  # spelled sources, shared by every derivation (bounded below)


def source_text(source: str | tuple) -> str:
    """How evidence spells a read's source, e.g. ``cpuid 0x4000000c.ebx[3:0]``."""
    if type(source) is str:
        return source
    text = _TEXTS.get(source)  # type: ignore[arg-type]
    if text is None:
        if len(_TEXTS) >= 4096:  # leaves come from the platform: never let them grow the table
            _TEXTS.clear()
        text = _TEXTS[source] = _SOURCE_TEXT[source[0]](*source[1:])  # type: ignore[index]
    return text


# One step of the raw log run() keeps: the rule, its reads (source, value, name) in order, and
# its conclusion. Evidence and trace are made from it only when a report asks (materialise()).
RawStep = tuple["Rule", list, "str | None"]


def materialise(log: Sequence[RawStep]) -> tuple[list[Evidence], list[Step]]:
    """The derivation's evidence (every distinct input, first read first) and trace (per step,
    each distinct input once) from the raw log — the same lists an eager recorder would make."""
    evidence: list[Evidence] = []
    trace: list[Step] = []
    seen: set[tuple[str, Any]] = set()
    for rule, reads, conclusion in log:
        rid, cite = rule.id, rule.cite
        inputs: list[Evidence] = []
        step_keys: set[tuple[str, Any]] = set()
        for source, value, name in reads:
            text = source_text(source)
            key = (text, value if value is None or type(value) in _PLAIN else repr(value))
            if key in step_keys:
                continue  # each input once per rule step, however often read
            step_keys.add(key)
            ev = Evidence(text, value, name, rid, cite)
            inputs.append(ev)
            if key not in seen:
                seen.add(key)
                evidence.append(ev)
        trace.append(Step(rule.id, rule.cite, rule.title, tuple(inputs), conclusion))
    return evidence, trace


def _dt_decode(raw: bytes | None, kind: str) -> Any:
    """A property's bytes as ``kind`` (a new list for "strings")."""
    if kind == "present":
        return raw is not None
    if raw is None:
        return None
    if kind == "bytes":
        return raw.hex()
    if kind == "u32":
        return int.from_bytes(raw[:4], "big") if len(raw) >= 4 else None
    if kind == "u64":  # two cells (/bits/ 64)
        return int.from_bytes(raw[:8], "big") if len(raw) >= 8 else None
    parts = [s.decode("utf-8", "replace") for s in raw.split(b"\0")[:-1]] if raw.endswith(b"\0") else None
    if kind == "strings":
        return parts
    return parts[0] if parts else None


class Ctx:
    """Reads the platform on behalf of the current rule, recording every read.

    A read is logged as a raw ``(source, value, name)`` tuple; the :class:`Evidence` objects are
    made from the log only when the derivation's evidence or trace is read (most callers — the
    matrix, audit summaries, expectations — never do). Inside the resolver package, code that
    replays reads (shared predicates) or logs a row made once (a constant read) appends to
    ``_reads`` directly."""

    __slots__ = ("p", "_leaves", "findings", "_rule", "_reads", "facts", "_finding_calls", "_memo")

    def __init__(self, platform: Platform, facts: dict | None = None) -> None:
        self.p = platform
        # CPU 0's leaves as the guest reads them, read directly for the common subleaf-0 case
        # (CpuidDump.get otherwise).
        self._leaves = platform.cpuid.guest_view() if platform.cpuid is not None else None
        self.findings: list[Finding] = []
        self._rule: Rule | None = None
        self._reads: list[tuple[Any, Any, str | None]] = []
        # Facts of this platform the models share (memoised @shared predicates), or None.
        self.facts = facts
        self._finding_calls: list[tuple[str, str, str]] | None = None  # kept while a platform-only rule runs
        # What reads found, kept per platform when facts are shared (else for this model):
        # signature texts under their source ("cpuid-text", …) (cpuid_text()), declared fields
        # under (leaf, name, sub) as the read row (source, value, label) (field()), the first
        # table of a signature under ("acpi-table", signature) (acpi_get()), a devicetree node
        # under ("dt-node", path) (_dt_node()).
        self._memo: dict = {} if facts is None else facts

    # -- recording -----------------------------------------------------------------------------
    def note(self, source: str | tuple, value: Any, name: str | None = None) -> Any:
        self._reads.append((source, value, name))
        return value

    def finding(self, severity: str, code: str, message: str) -> None:
        if self._finding_calls is not None:
            self._finding_calls.append((severity, code, message))
        for f in self.findings:  # each code once per derivation (a loop: findings are few)
            if f.code == code:
                return
        self.findings.append(Finding(severity, code, message, cite=self._rule.cite if self._rule else None))

    def _apply(self, rule: Rule, state: "State") -> tuple[str | None, list]:
        """A platform-only rule under shared facts: run once per platform, then replayed (its
        conclusion, reads and findings) for every later model."""
        facts = self.facts
        # Keyed by the rule's function: a release's copy of a rule (another cite) is the same
        # check of the same platform, and a function hashes faster than the whole record.
        known = facts.get(rule.apply)  # type: ignore[union-attr]
        if known is not None:
            conclusion, reads, calls = known
            for call in calls:
                self.finding(*call)
            return conclusion, reads
        reads = self._reads = []
        calls = self._finding_calls = []
        conclusion = rule.apply(self, state)
        self._finding_calls = None
        facts[rule.apply] = (conclusion, reads, calls)  # type: ignore[index]
        return conclusion, reads

    # -- x86 -------------------------------------------------------------------------------------
    def has_cpuid(self) -> bool:
        return self.p.cpuid is not None

    def regs(self, leaf: int, sub: int = 0) -> tuple[int, int, int, int] | None:
        """CPU 0's registers of ``leaf.sub``: subleaf 0 straight from the leaves, another subleaf
        through CpuidDump.get (which answers subleaf 0 for a leaf ECX does not index)."""
        leaves = self._leaves
        if leaves is None:
            return None
        regs = leaves.get((leaf, sub))
        if regs is None and sub:
            return self.p.cpuid.get(leaf, sub)  # type: ignore[union-attr]  # the non-indexed fallback
        return regs

    def cpuid(self, leaf: int, reg: str, lo: int = 0, hi: int | None = 31, *, sub: int = 0,
              name: str | None = None) -> int | None:
        """Bits ``reg[hi:lo]`` of CPUID ``leaf.sub`` (``hi=None`` reads one bit)."""
        regs = self.regs(leaf, sub)
        top = lo if hi is None else hi
        value = None if regs is None else (regs[REG_INDEX[reg]] >> lo) & ((1 << (top - lo + 1)) - 1)
        self._reads.append((("cpuid", leaf, sub, reg, lo, top), value, name))
        return value

    def cpuid_bit(self, leaf: int, reg: str, bit: int, *, sub: int = 0, name: str | None = None) -> int | None:
        return self.cpuid(leaf, reg, bit, None, sub=sub, name=name)

    def field(self, leaf: int, field_name: str, *, sub: int = 0, name: str | None = None) -> int | None:
        """The field ``field_name`` of CPUID ``leaf`` (or of an MSR) as pvenum/cpuid/leaves.py
        declares it: the evidence takes its register, bit range and name from that declaration.
        Rules read the same declared fields on every model: each is read once per platform."""
        key = (leaf, field_name, sub)
        row = self._memo.get(key)
        if row is None:
            row = self._memo[key] = self._declared_field(leaf, field_name, sub)
        # The kept row is the read as logged under the declared name (rows are never edited).
        self._reads.append(row if name is None else (row[0], row[1], name))
        return row[1]

    def _declared_field(self, leaf: int, field_name: str, sub: int) -> tuple[tuple, int | None, str]:
        """``(source, value, label)`` of a declared field."""
        spec = _DECLARED.get((leaf, field_name))
        if spec is None:
            f = declared(leaf, field_name)
            spec = _DECLARED[(leaf, field_name)] = (f.reg, f.lo, f.hi, f.name, (1 << (f.hi - f.lo + 1)) - 1)
        reg, lo, top, label, mask = spec
        if reg == "msr":
            msrs = self.p.msr
            value = (msrs[leaf] >> lo) & mask if msrs is not None and leaf in msrs else None
            return ("msr", leaf, lo, top), value, label
        regs = self.regs(leaf, sub)
        return ("cpuid", leaf, sub, reg, lo, top), None if regs is None else (regs[REG_INDEX[reg]] >> lo) & mask, label

    def read_field(self, leaf: int, f: Field, *, sub: int = 0, name: str | None = None) -> int | None:
        """A declared :class:`Field` of ``leaf`` — for layouts placed at a base found at run time
        (the proposal's "ParavisorSvc" block)."""
        label = f.name if name is None else name
        if f.reg == "msr":
            return self.msr(leaf, f.lo, f.hi, name=label)
        return self.cpuid(leaf, f.reg, f.lo, f.hi, sub=sub, name=label)

    def cpuid_text(self, leaf: int, order: Sequence[str], *, sub: int = 0, name: str | None = None) -> str | None:
        """A signature spread over registers, read in ``order`` (e.g. ebx, edx, ecx). Each text
        is made once per platform (several models read the same signatures); every read is
        still recorded."""
        source = ("cpuid-text", leaf, sub, tuple(order))
        memo = self._memo
        if source in memo:
            value = memo[source]
        else:
            value = memo[source] = self._text(leaf, sub, source[3])
        self._reads.append((source, value, name))
        return value

    def _text(self, leaf: int, sub: int, order: tuple[str, ...]) -> str | None:
        regs = self.regs(leaf, sub)
        return None if regs is None else regs_to_str(*(regs[REG_INDEX[r]] for r in order))

    def msr(self, index: int, lo: int = 0, hi: int | None = 63, *, name: str | None = None) -> int | None:
        msrs = self.p.msr
        top = lo if hi is None else hi
        value = None
        if msrs is not None and index in msrs:
            value = (msrs[index] >> lo) & ((1 << (top - lo + 1)) - 1)
        self._reads.append((("msr", index, lo, top), value, name))
        return value

    def msr_bit(self, index: int, bit: int, *, name: str | None = None) -> int | None:
        return self.msr(index, bit, None, name=name)

    def snp(self, field_name: str, *, name: str | None = None) -> Any:
        snp = self.p.snp
        value = getattr(snp, field_name) if snp is not None else None
        return self.note(SNP_SOURCES[field_name], value, name or field_name)

    def acpi_get(self, signature: str) -> Any:
        """The first table with ``signature`` (AcpiTableSet.get; aliases such as FADT, MADT
        too), without recording a read; looked up once per platform (rules ask for a few
        signatures a dozen times)."""
        key = ("acpi-table", signature)
        memo = self._memo
        if key in memo:
            return memo[key]
        tables = self.p.acpi
        table = memo[key] = tables.get(signature) if tables is not None else None
        return table

    # -- Arm / DT / ACPI (sources spelled the same way) --------------------------------------------
    def smccc(self, fid: int, reg: int = 0, *, name: str | None = None) -> int | None:
        answers = self.p.smccc
        value = None if answers is None else answers.call(fid)[reg]
        self._reads.append((("smccc", fid, reg), value, name))
        return value

    def dt_prop(self, path: str, prop: str, *, kind: str = "str", name: str | None = None) -> Any:
        """A devicetree property as ``kind``: "str", "strings", "u32", "u64", "bytes" or "present",
        of the node at ``path`` (looked up once per platform)."""
        return self._dt_read(path, self._dt_node(path), prop, kind, name)

    def _dt_node(self, path: str) -> Any:
        """The node at ``path`` (or None), looked up once per platform."""
        key = ("dt-node", path)
        memo = self._memo
        if key in memo:
            return memo[key]
        tree = self.p.fdt
        node = memo[key] = tree.get_node(path) if tree is not None else None
        return node

    def dt_prop_of(self, node: Any, prop: str, *, kind: str = "str", name: str | None = None) -> Any:
        """:meth:`dt_prop` of a node the rule found itself (by a walk or an exact name, as the
        mirrored code does): recorded under the node's path, read from that very node (a path
        lookup could stop at an earlier ``name@unit`` sibling)."""
        return self._dt_read(node.path, node, prop, kind, name)

    def _dt_read(self, path: str, node: Any, prop: str, kind: str, name: str | None) -> Any:
        value = _dt_decode(node.properties.get(prop) if node is not None else None, kind)
        self._reads.append((("dt-prop", path, prop), value, name))
        return value

    def dt_child_named(self, parent: Any, child: str, *, name: str | None = None) -> Any:
        """The first child of ``parent`` (a node the rule holds) whose whole name is ``child``,
        or None, recorded as :meth:`dt_node` records the presence of ``<parent path>/<child>``."""
        node = parent.child_named(child)
        path = parent.path
        self._reads.append((("dt", f"{'' if path == '/' else path}/{child}"), node is not None, name))
        return node

    def dt_node(self, path: str, *, name: str | None = None) -> bool:
        present = self._dt_node(path) is not None
        self._reads.append((("dt", path), present, name))
        return present

    def acpi_table(self, signature: str, *, name: str | None = None) -> Any:
        """The first table with ``signature`` (records its presence), or None."""
        table = self.acpi_get(signature)
        self._reads.append((("acpi", signature), table is not None, name))
        return table

    def acpi_field(self, signature: str, field_name: str, *, name: str | None = None, text: bool = False) -> Any:
        """A field of the first ``signature`` table; ``text=True`` reads an ASCII identifier
        (e.g. FADT HypervisorId "MsHyperV") as a string. A field of a nested record is named by
        its path, as the table's leaves() name it (PVSR "Attestation.Kind")."""
        table = self.acpi_get(signature)
        value = None
        if table is not None:
            if text:
                value = table.text(field_name)
            else:
                value = table.fields.get(field_name)
                if value is None and "." in field_name:  # a nested record's field, by its path
                    top, _, sub = field_name.partition(".")
                    record = table.fields.get(top)
                    value = record.get(sub) if isinstance(record, dict) else None
        self._reads.append((("acpi-field", signature, field_name), value, name))
        return value

    def acpi_subtables(self, signature: str, type_code: int, *, name: str | None = None) -> tuple[tuple[int, Any], ...]:
        """``(index, subtable)`` for every subtable of ``type_code`` in the first ``signature``
        table, in table order (records how many there are)."""
        table = self.acpi_get(signature)
        found = table.subtables_by_type().get(type_code, ()) if table is not None else ()
        self._reads.append((("acpi-sub", signature, type_code), len(found) if table is not None else None, name))
        return found

    def acpi_subfield(self, signature: str, index: int, field_name: str, *, name: str | None = None) -> Any:
        """A field of subtable ``index`` of the first ``signature`` table ("length" is its Length)."""
        table = self.acpi_get(signature)
        value = None
        if table is not None and 0 <= index < len(table.subtables):
            sub = table.subtables[index]
            value = sub.length if field_name == "length" else sub.fields.get(field_name)
        self._reads.append((("acpi-subfield", signature, index, field_name), value, name))
        return value


def run(rules: Sequence[Rule], platform: Platform, derivation: Derivation, *, final: Rule | None = None,
        m: Any = None, facts: dict | None = None) -> Derivation:
    """Evaluate ``rules`` in order against ``platform``; fill and return ``derivation``.

    ``final`` always runs, even after a rule stopped evaluation: it turns the state into the
    derivation's mode, output and services. ``m`` is the model's state, seeded with what the
    caller knows before any rule runs (e.g. the systemd release mirrored). ``facts`` is shared
    by the models resolved together on one platform (resolve_all): what a @shared predicate
    found for one model is replayed, reads and all, for the next.
    """
    ctx = Ctx(platform, facts)
    state = State(derivation, m)
    log: list[RawStep] = []
    append = log.append
    apply_rule = ctx._apply if facts is not None else None
    # The rules, then ``final``, which runs even after a rule stopped evaluation.
    for stage in (rules, (final,) if final is not None else ()):
        for rule in stage:
            if state.stop and stage is rules:
                if state.halted is None:
                    break
                if not rule.after_halt:
                    continue
            # One step, inlined (it runs a few dozen times per model): the rule's reads go to a
            # list of its own, kept with its conclusion when it read or concluded anything.
            ctx._rule = rule
            if rule.platform_only and apply_rule is not None:
                conclusion, reads = apply_rule(rule, state)
            else:
                reads = ctx._reads = []
                conclusion = rule.apply(ctx, state)
            if conclusion is not None or reads:
                append((rule, reads, conclusion))
    ctx._rule = None
    derivation.findings = ctx.findings
    derivation.set_log(log, materialise)
    return derivation
