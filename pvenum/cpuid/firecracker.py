"""Firecracker custom CPU templates (docs/cpu_templates/cpu-templates.md, schema.json).

    {"cpuid_modifiers": [{"leaf": "0x1", "subleaf": "0x0", "flags": 0,
        "modifiers": [{"register": "eax", "bitmap": "0bxxxx000000000011xx00011011110010"}]}],
     "msr_modifiers": [{"addr": "0xc0010131", "bitmap": "0b...64 chars..."}],
     "kvm_capabilities": ["!56"]}

Bitmaps are MSB first: '0'/'1' set the bit, 'x' keeps the base's bit, '_' separates, and a
short bitmap is left-padded with 'x'. A template applies over a base dump and changes only
leaves and MSRs the base has; pvenum also writes a template that turns one dump into another,
or that states a whole dump (no 'x' at all).

pvenum reads what Firecracker's x86_64 deserializer reads (firecracker-microvm/firecracker
v1.16.0-dev-617 (81b38b9, Cargo 1.17.0-dev), serde 1.0.229 / serde_json 1.0.151 in its Cargo.lock): see from_json.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from .. import tomlvalues as V
from ..errors import LimitError, ParseError
from .model import CpuidDump, Key, MsrSet, Regs, REG_NAMES

FMT = "firecracker-template"
MAX_MODIFIERS = 4096
M32 = 0xFFFFFFFF


# The bitmap as Firecracker reads it (src/vmm/src/cpu_config/templates.rs, RegisterValueFilter's
# Deserialize): one optional lowercase "0b", then '0', '1', 'x' (lowercase) and '_', read from
# the right; a character met once all the register's bits are read is an error, '_' included.
_BITMAP = re.compile(r"[01x_]*")
_VALUE_DIGITS = str.maketrans("x", "0")
_MASK_DIGITS = str.maketrans("01x", "110")


class Bits(NamedTuple):
    """A bitmap: which bits it sets (``mask``) and to what (``value``). Immutable; a tuple
    because a full template makes ~2,000 of them (a frozen dataclass costs twice as much)."""

    value: int
    mask: int
    width: int

    @classmethod
    def parse(cls, text: Any, width: int) -> "Bits":
        """A bitmap string of ``width`` bits; an error's message begins ": ", the caller names the field."""
        if not isinstance(text, str):
            raise ParseError(FMT, ": bitmap must be a string like \"0b01xx\"")
        if len(text) == width + 2 and text[:2] == "0b" and not text[2:].strip("01"):
            # What cpu-template-helper and pvenum write for a stated register: every bit 0 or 1
            # (checked by the strip, as int() would also take a sign, spaces or underscores).
            return cls(int(text[2:], 2), (1 << width) - 1, width)
        body = text[2:] if text[:2] == "0b" else text
        if _BITMAP.fullmatch(body) is None:
            bad = next(ch for ch in body if ch not in "01x_")
            raise ParseError(FMT, f": bitmap character {bad!r} is not 0, 1, x or _ (Firecracker reads "
                             "only these, lowercase, after one optional 0b)")
        digits = body.replace("_", "") if "_" in body else body
        if len(digits) > width:
            raise ParseError(FMT, f": bitmap has {len(digits)} bits, register has {width}")
        if len(digits) == width and body[:1] == "_":
            # Read from the right, a '_' left of the last bit is one character too many.
            raise ParseError(FMT, f": bitmap has a '_' before its {width} bits; Firecracker refuses it "
                             "(string is too long)")
        # Two int() conversions instead of a loop per bit: value takes the 1s, mask every
        # stated bit; unwritten high bits are 'x'.
        return cls(int(digits.translate(_VALUE_DIGITS) or "0", 2), int(digits.translate(_MASK_DIGITS) or "0", 2), width)

    def text(self) -> str:
        out = []
        for bit in range(self.width - 1, -1, -1):
            out.append(("1" if self.value >> bit & 1 else "0") if self.mask >> bit & 1 else "x")
        return "0b" + "".join(out)

    def apply(self, base: int) -> int:
        return (base & ~self.mask) | (self.value & self.mask)

    def then(self, later: "Bits") -> "Bits":
        """This bitmap, then ``later`` over its result, as one bitmap: Firecracker applies a
        template's modifiers one after the other, a repeated register or MSR included."""
        return Bits((self.value & ~later.mask) | later.value, self.mask | later.mask, self.width)

    @property
    def complete(self) -> bool:
        return self.mask == (1 << self.width) - 1


@dataclass
class CpuTemplate:
    cpuid: dict[Key, dict[str, Bits]] = field(default_factory=dict)
    flags: dict[Key, int] = field(default_factory=dict)
    msrs: dict[int, Bits] = field(default_factory=dict)
    kvm_capabilities: list[str] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        """True when no bit is 'x': the template states a dump on its own. Asked of every
        template a bundle holds, twice: a plain loop (every CPUID bitmap is 32 bits wide, as
        from_json, template_full and template_between make them) is a third of all(Bits.complete)."""
        leaves = self.cpuid.values()
        if not all(len(regs) == 4 for regs in leaves):
            return False
        for regs in leaves:
            for b in regs.values():
                if b.mask != M32:
                    return False
        return all(b.complete for b in self.msrs.values())

    def missing_leaves(self, base: CpuidDump) -> list[Key]:
        """The leaves this template modifies that ``base`` lacks: Firecracker refuses such a
        template, where :meth:`apply` creates them from zeros (see :func:`not_in_base`)."""
        cpu0 = base.cpu0()
        return sorted(k for k in self.cpuid if k not in cpu0)

    def apply(self, base: CpuidDump) -> CpuidDump:
        """``base`` with every modifier applied (to each CPU's copy of the leaf, as CPU 0 has it).

        A leaf ``base`` lacks is made from zeros (what :meth:`as_dump` needs to read a complete
        template on its own); Firecracker refuses it instead (:meth:`missing_leaves`)."""
        cpu0 = base.cpu0()
        changed: dict[Key, Regs] = {}
        for key, regs in sorted(self.cpuid.items()):
            cur = list(cpu0.get(key, (0, 0, 0, 0)))
            for name, bits in regs.items():
                i = REG_NAMES.index(name)
                cur[i] = bits.apply(cur[i])
            changed[key] = (cur[0], cur[1], cur[2], cur[3])
        # One new dump, not one per leaf: a template may hold thousands of modifiers. Firecracker
        # keeps CPUID in a BTreeMap by (leaf, subleaf) and hands KVM_SET_CPUID2 its entries in
        # that order (src/vmm/src/cpu_config/x86_64/cpuid/mod.rs, TryFrom<Cpuid> for
        # kvm_bindings::CpuId), the order KVM's lookup takes (CpuidDump.get).
        cpus = {cpu: dict(sorted({**leaves, **changed}.items())) for cpu, leaves in base.cpus.items()}
        # Every modified leaf takes the modifier's flags, whatever its registers (Firecracker
        # v1.16.0-dev-617 (81b38b9) src/vmm/src/cpu_config/x86_64/mod.rs apply_template_to_cpuid:
        # entry.flags = mod_leaf.flags); every modifier read states them (from_json).
        flags = {**base.flags, **{k: self.flags.get(k, 0) for k in changed}}
        # The base's registers, or those with 32-bit bitmaps applied: already checked.
        return CpuidDump.made(cpus, flags=flags, one_cpu=base.one_cpu)

    def apply_msrs(self, base: MsrSet | None) -> MsrSet:
        """``base`` with every MSR modifier applied. An MSR ``base`` lacks (all of them when it
        is None) is applied over 0: its 'x' bits read 0, where Firecracker keeps what
        KVM_GET_MSRS read back from the vCPU (mod.rs apply_template_to_msrs)."""
        out = MsrSet(base or {})
        for addr, bits in self.msrs.items():
            out[addr] = bits.apply(out.get(addr, 0))
        return out

    def as_dump(self) -> CpuidDump:
        return self.apply(CpuidDump())

    # -- JSON ---------------------------------------------------------------------------------
    def to_json(self, *, kvm_capabilities_always: bool = False) -> dict[str, Any]:
        cpuid = []
        for (leaf, sub), regs in sorted(self.cpuid.items()):
            cpuid.append({
                "leaf": f"0x{leaf:x}",
                "subleaf": f"0x{sub:x}",
                "flags": self.flags.get((leaf, sub), 0),
                "modifiers": [{"register": r, "bitmap": regs[r].text()} for r in REG_NAMES if r in regs],
            })
        out: dict[str, Any] = {
            "cpuid_modifiers": cpuid,
            "msr_modifiers": [{"addr": f"0x{a:x}", "bitmap": b.text()} for a, b in sorted(self.msrs.items())],
        }
        if kvm_capabilities_always:
            # cpu-template-helper writes it first, empty or not (serde field order).
            out = {"kvm_capabilities": list(self.kvm_capabilities), **out}
        elif self.kvm_capabilities:
            out["kvm_capabilities"] = list(self.kvm_capabilities)
        return out

    def dumps(self) -> str:
        return json.dumps(self.to_json(), indent=2) + "\n"


# Numbers as Firecracker reads leaf, subleaf and addr (src/vmm/src/cpu_config/templates_serde.rs
# deserialize_from_str_u32): a JSON string, "0x" or "0b" (lowercase), then what Rust's
# u32::from_str_radix takes: an optional '+' and one or more digits of that base, either case
# for hex (rustc 1.95: "+1f" -> 31; "", "-0", "1_0", " 1" are errors).
_RADIX_DIGITS = {"0x": (16, re.compile(r"\+?[0-9a-fA-F]+")), "0b": (2, re.compile(r"\+?[01]+"))}
_DECIMAL = re.compile(r"\+?[0-9]+")


def _number(value: Any, where: str) -> int:
    """A 32-bit number written as Firecracker's deserialize_from_str_u32 reads it."""
    if not isinstance(value, str):
        raise ParseError(FMT, f"{where}: must be a string like \"0x1\" (Firecracker reads no JSON number here)")
    radix = _RADIX_DIGITS.get(value[:2])
    if radix is None:
        raise ParseError(FMT, f"{where}: {value[:40]!r} has no 0x or 0b prefix (Firecracker reads only these)")
    if radix[1].fullmatch(value, 2) is None:
        raise ParseError(FMT, f"{where}: {value[:40]!r} is not a number")
    n = int(value[2:], radix[0])  # digits checked above: int()'s '_' and spaces never reach it
    if n > M32:
        raise ParseError(FMT, f"{where}: {V.shown_int(n)} is not a 32-bit value")
    return n


def _shown(value: Any) -> str:
    """A JSON value for an error message, without serialising a list or object of any size."""
    if type(value) is int:
        return V.shown_int(value)
    return f"a JSON {'array' if isinstance(value, list) else 'object'}" if isinstance(value, (list, dict)) \
        else json.dumps(value[:40] if isinstance(value, str) else value)[:42]


def _flags(value: Any) -> int:
    """A modifier's flags: a JSON integer that fits a u32 (serde_json refuses a float, -0 too,
    which it reads as -0.0: src/de.rs parse_number)."""
    if type(value) is not int or not 0 <= value <= M32:
        shown = _shown(value)
        raise ParseError(FMT, f".flags: {shown} is not a 32-bit unsigned integer")
    return value


def _kvm_capability(value: Any) -> None:
    """"N" adds KVM capability N to the checks, "!N" removes it; N as Rust's str::parse::<u32>
    reads it (src/vmm/src/cpu_config/templates.rs, KvmCapability's Deserialize)."""
    if isinstance(value, str):
        digits = value[1:] if value[:1] == "!" else value
        if _DECIMAL.fullmatch(digits):
            digits = digits.lstrip("+").lstrip("0")
            if len(digits) <= 10 and int(digits or "0") <= M32:
                return
    raise ParseError(FMT, f": {_shown(value)} is not a KVM capability (\"N\" or \"!N\", N a 32-bit number)")


class _Object(dict):
    """A JSON object that names a key more than once: ``repeated`` lists those keys."""

    repeated: frozenset[str] = frozenset()


def _object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    obj = dict(pairs)
    if len(obj) != len(pairs):
        seen: set[str] = set()
        obj = _Object(obj)
        obj.repeated = frozenset(k for k, _ in pairs if k in seen or seen.add(k))  # type: ignore[func-returns-value]
    return obj


def _int(text: str) -> int | float:
    # serde_json reads "-0" as the float -0.0 and an integer past 64 bits as a float (src/de.rs
    # parse_number, parse_long_integer), so no integer field takes either; a float also spares
    # int() a number of more digits than it converts (sys.get_int_max_str_digits), which
    # serde_json skips unread in a field no struct declares.
    if text == "-0" or len(text) > 20:
        return float(text)
    return int(text)


def _constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")  # NaN, Infinity, -Infinity: Python's json takes them, serde_json not


def _fields(obj: dict[str, Any], known: tuple[str, ...], fmt: str = FMT, *, top: bool = False) -> None:
    """serde's derived Deserialize refuses a field named twice (duplicate field), where Python's
    json keeps the last; a key it does not know it skips (IgnoredAny), twice or not
    (serde-rs/serde serde_derive/src/de/struct_.rs, 1.0.229, the release Firecracker's Cargo.lock pins)."""
    if isinstance(obj, _Object):
        twice = [k for k in known if k in obj.repeated]
        if twice:
            raise ParseError(fmt, f"{'' if top else '.'}{twice[0]}{' ' if top else ': '}appears twice")


_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")


def _load_json(data: bytes | str, fmt: str) -> dict[str, Any]:
    """JSON as serde_json reads it: UTF-8 only, no NaN or Infinity; a repeated key is kept for
    the reader to refuse where serde would."""
    try:
        text = data if isinstance(data, str) else bytes(data).decode("utf-8")
        doc = json.loads(text, object_pairs_hook=_object, parse_int=_int, parse_constant=_constant)
    except (UnicodeDecodeError, ValueError) as err:
        pos = getattr(err, "pos", None) if not isinstance(err, UnicodeDecodeError) else err.start
        raise ParseError(fmt, f"not JSON: {getattr(err, 'msg', err)}", offset=pos) from None
    except RecursionError:  # json recurses once per nesting level: "[[[[..." exhausts the stack
        raise LimitError(fmt, "JSON nested too deeply", offset=0) from None
    # serde_json refuses a \u escape of a lone surrogate (src/read.rs: "lone leading surrogate
    # in hex escape"); Python's json keeps it, and it could not be printed. Only a text that
    # has such an escape at all is checked whole.
    if _SURROGATE_ESCAPE.search(text) is not None:
        try:
            json.dumps(doc, ensure_ascii=False).encode("utf-8")
        except UnicodeEncodeError:
            raise ParseError(fmt, "not JSON: a \\u escape of a lone surrogate (serde_json refuses it)") from None
    if not isinstance(doc, dict):
        raise ParseError(fmt, "top level must be an object")
    return doc


def parse(data: bytes | str) -> CpuTemplate:
    """A custom CPU template; also what ``cpu-template-helper template dump`` writes (the
    guest's whole CPU configuration as a template with no 'x': src/cpu-template-helper/src/
    template/dump/x86_64.rs ``config_to_template``)."""
    return from_json(_load_json(data, FMT))


# cpu-template-helper's Fingerprint (src/cpu-template-helper/src/fingerprint/mod.rs,
# firecracker v1.16.0-dev-617, 81b38b9): host facts as strings, then the guest CPU configuration as a
# CustomCpuTemplate. The facts are read in fingerprint/dump.rs ``dump`` from uname's release,
# /sys/devices/system/cpu/cpu0/microcode/version (x86_64; revidr_el1 on aarch64) and DMI's
# bios_version / bios_release.
FINGERPRINT_FMT = "firecracker-fingerprint"
FINGERPRINT_FACTS = ("firecracker_version", "kernel_version", "microcode_version", "bios_version", "bios_revision")
MAX_FACT_LEN = 256


@dataclass
class Fingerprint:
    facts: dict[str, str]
    template: CpuTemplate

    def to_json(self) -> dict[str, Any]:
        return {**self.facts, "guest_cpu_config": self.template.to_json(kvm_capabilities_always=True)}

    def dumps(self) -> str:
        # serde_json::to_string_pretty, written as is: two-space indents, no final newline.
        return json.dumps(self.to_json(), indent=2)


def parse_fingerprint(data: bytes | str) -> Fingerprint:
    doc = _load_json(data, FINGERPRINT_FMT)
    # Fingerprint derives Deserialize without deny_unknown_fields: a key it does not declare
    # (a later release's new fact) is skipped, as cpu-template-helper's own `fingerprint
    # compare` skips it.
    _fields(doc, (*FINGERPRINT_FACTS, "guest_cpu_config"), FINGERPRINT_FMT, top=True)
    facts: dict[str, str] = {}
    for key in FINGERPRINT_FACTS:
        value = doc.get(key)
        if not isinstance(value, str):
            raise ParseError(FINGERPRINT_FMT, f"{key} must be a string (cpu-template-helper writes all five)")
        if len(value) > MAX_FACT_LEN:
            raise LimitError(FINGERPRINT_FMT, f"{key} is longer than {MAX_FACT_LEN} characters")
        facts[key] = value
    config = doc.get("guest_cpu_config")
    if not isinstance(config, dict):
        raise ParseError(FINGERPRINT_FMT, "guest_cpu_config must be an object (a CPU template)")
    if "reg_modifiers" in config and not config.get("cpuid_modifiers"):
        raise ParseError(FINGERPRINT_FMT, "an aarch64 fingerprint (reg_modifiers): pvenum reads x86 CPUID only")
    try:
        tpl = from_json(config)
    except ParseError as err:  # a LimitError stays one
        raise type(err)(FINGERPRINT_FMT, f"guest_cpu_config: {err.message}", offset=err.offset) from None
    if not tpl.complete:
        raise ParseError(FINGERPRINT_FMT, "guest_cpu_config keeps host bits ('x'); cpu-template-helper "
                         "writes every bit of the guest's configuration")
    return Fingerprint(facts, tpl)


def fingerprint_of(dump: CpuidDump, msrs: MsrSet | None, facts: dict[str, str]) -> Fingerprint:
    """A fingerprint stating ``dump`` as the guest's CPU configuration, with ``facts`` (the
    five host facts; missing ones are written as "unknown")."""
    return Fingerprint({k: facts.get(k, "unknown") for k in FINGERPRINT_FACTS}, template_full(dump, msrs))


# What Firecracker's x86_64 CustomCpuTemplate reads (src/vmm/src/cpu_config/x86_64/
# custom_cpu_template.rs, v1.16.0-dev-617 (81b38b9, Cargo 1.17.0-dev)): the template denies
# unknown fields (so an aarch64 template's reg_modifiers or vcpu_features is refused) and defaults each of its three lists to
# empty; a cpuid_modifiers entry (CpuidLeafModifier) needs leaf, subleaf, flags and modifiers, a
# register modifier register and bitmap, an msr_modifiers entry (RegisterModifier) addr and
# bitmap, none with a serde default; those three skip a key they do not know. Modifiers are
# applied in order (x86_64/mod.rs apply_template_to_cpuid, apply_template_to_msrs), so a repeated
# leaf, register or MSR is read as the one bitmap doing the same (Bits.then), the last flags kept.
TEMPLATE_KEYS = ("kvm_capabilities", "cpuid_modifiers", "msr_modifiers")
_LEAF_KEYS = ("leaf", "subleaf", "flags", "modifiers")
_REGISTER_KEYS = ("register", "bitmap")
_MSR_KEYS = ("addr", "bitmap")
_AARCH64_KEYS = ("reg_modifiers", "vcpu_features")


def from_json(doc: dict[str, Any]) -> CpuTemplate:
    _fields(doc, TEMPLATE_KEYS, top=True)
    unknown = set(doc) - set(TEMPLATE_KEYS)
    if unknown:
        name = sorted(unknown)[0]
        why = " (an aarch64 template's; Firecracker on x86_64 refuses it)" if name in _AARCH64_KEYS else ""
        raise ParseError(FMT, f"unknown key {name!r}{why}")
    tpl = CpuTemplate()
    mods = doc.get("cpuid_modifiers", [])
    msrs = doc.get("msr_modifiers", [])
    if not isinstance(mods, list) or not isinstance(msrs, list):
        raise ParseError(FMT, "cpuid_modifiers and msr_modifiers must be lists")
    caps = doc.get("kvm_capabilities", [])
    if not isinstance(caps, list):
        raise ParseError(FMT, "kvm_capabilities must be a list of strings")
    # Every list is bounded before it is read: the entries, the register modifiers inside them
    # (four registers an entry, counted as a repeated register is applied), the capabilities.
    nregs = sum(len(r) for m in mods if isinstance(m, dict) and isinstance(r := m.get("modifiers"), list))
    for count, limit, what in ((len(mods) + len(msrs), MAX_MODIFIERS, "modifiers"),
                               (nregs, 4 * MAX_MODIFIERS, "register modifiers"),
                               (len(caps), MAX_MODIFIERS, "KVM capabilities")):
        if count > limit:
            raise LimitError(FMT, f"more than {limit} {what}")
    # An entry's errors name the field from the entry on (".leaf: ..."); the entry's own name is
    # put in front only when one is raised, not formatted for each of a full template's entries.
    for i, m in enumerate(mods):
        try:
            key, flags, regs = _cpuid_modifier(m)
        except ParseError as err:
            raise ParseError(FMT, f"cpuid_modifiers[{i}]{err.message}") from None
        earlier = tpl.cpuid.get(key)
        if earlier is not None:  # applied after the earlier entry: its bits over those
            regs = {**earlier, **{r: earlier[r].then(b) if r in earlier else b for r, b in regs.items()}}
        tpl.flags[key] = flags
        tpl.cpuid[key] = regs
    for i, m in enumerate(msrs):
        try:
            if not isinstance(m, dict):
                raise ParseError(FMT, ": expected an object")
            _fields(m, _MSR_KEYS)
            addr = _number(_required(m, "addr"), ".addr")
            bits = Bits.parse(_required(m, "bitmap"), 64)
        except ParseError as err:
            raise ParseError(FMT, f"msr_modifiers[{i}]{err.message}") from None
        earlier_bits = tpl.msrs.get(addr)
        tpl.msrs[addr] = bits if earlier_bits is None else earlier_bits.then(bits)
    for i, c in enumerate(caps):
        try:
            _kvm_capability(c)
        except ParseError as err:
            raise ParseError(FMT, f"kvm_capabilities[{i}]{err.message}") from None
    tpl.kvm_capabilities = list(caps)
    return tpl


def _required(m: dict[str, Any], name: str) -> Any:
    if name not in m:
        raise ParseError(FMT, f".{name}: missing; Firecracker requires it (no serde default)")
    return m[name]


def _cpuid_modifier(m: Any) -> tuple[Key, int, dict[str, Bits]]:
    """One entry of cpuid_modifiers: its leaf and subleaf, flags and register bitmaps."""
    if not isinstance(m, dict):
        raise ParseError(FMT, ": expected an object")
    _fields(m, _LEAF_KEYS)
    key = (_number(_required(m, "leaf"), ".leaf"), _number(_required(m, "subleaf"), ".subleaf"))
    flags = _flags(_required(m, "flags"))
    rmods = _required(m, "modifiers")
    if not isinstance(rmods, list):
        raise ParseError(FMT, ".modifiers: must be a list")
    regs: dict[str, Bits] = {}
    for j, r in enumerate(rmods):
        try:
            if not isinstance(r, dict):
                raise ParseError(FMT, ": expected an object")
            _fields(r, _REGISTER_KEYS)
            name = _required(r, "register")
            if name not in REG_NAMES:  # deserialize_cpuid_register: exactly these, lowercase
                raise ParseError(FMT, ".register: must be one of eax, ebx, ecx, edx")
            bits = Bits.parse(_required(r, "bitmap"), 32)
        except ParseError as err:
            raise ParseError(FMT, f".modifiers[{j}]{err.message}") from None
        regs[name] = regs[name].then(bits) if name in regs else bits
    return key, flags, regs


def template_full(dump: CpuidDump, msrs: MsrSet | None = None) -> CpuTemplate:
    """A template with no 'x': it states ``dump`` (and ``msrs``) completely."""
    tpl = CpuTemplate()
    for key, regs in dump.items():
        tpl.cpuid[key] = {r: Bits(v, M32, 32) for r, v in zip(REG_NAMES, regs)}
        tpl.flags[key] = dump.kvm_flags(key)
    for addr, value in sorted((msrs or {}).items()):
        tpl.msrs[addr] = Bits(value, (1 << 64) - 1, 64)
    return tpl


# Firecracker changes only what its base has: a modifier of a leaf (exact leaf and subleaf)
# missing from KVM_GET_SUPPORTED_CPUID, or of an MSR missing from what KVM_GET_MSRS read back
# from vCPU 0, fails the boot (v1.16.0-dev-617 (81b38b9) src/vmm/src/cpu_config/x86_64/mod.rs
# apply_template_to_cpuid, apply_template_to_msrs; src/vmm/src/arch/x86_64/mod.rs
# configure_vcpus_for_boot).
def not_in_base(key: Key) -> str:
    return (f"leaf 0x{key[0]:08x} subleaf 0x{key[1]:x} is not in the base; Firecracker refuses the template "
            "(apply_template_to_cpuid: CpuidFeatureNotSupported)")


def msr_not_in_base(addr: int) -> str:
    return f"MSR 0x{addr:x} is not in the base; Firecracker refuses the template (apply_template_to_msrs: MsrNotSupported)"


def kept_msr_bits_note(addr: int) -> str:
    return (f"MSR 0x{addr:x} keeps bits ('x') Firecracker takes from the vCPU (KVM_GET_MSRS, "
            "apply_template_to_msrs); no value for it here: pvenum applied them over 0")


def template_between(base: CpuidDump, target: CpuidDump, base_msrs: MsrSet | None = None,
                     target_msrs: MsrSet | None = None) -> tuple[CpuTemplate, list[str]]:
    """The template that turns ``base`` into ``target``: only differing bits are set.

    Firecracker templates change leaves and MSRs the base has; they can neither add nor
    remove any. A leaf or MSR only in ``target`` is still written (a full bitmap), with a
    warning that Firecracker refuses it; one only in ``base`` is a warning too.
    """
    tpl = CpuTemplate()
    warnings: list[str] = []
    b0, t0 = base.cpu0(), target.cpu0()
    for key in sorted(t0):
        want: Regs = t0[key]
        have = b0.get(key)
        flags = target.kvm_flags(key)
        if have is None:
            warnings.append(not_in_base(key))
            regs = {name: Bits(want[i], M32, 32) for i, name in enumerate(REG_NAMES)}
        else:
            regs = {name: Bits(want[i] & (have[i] ^ want[i]), have[i] ^ want[i], 32)
                    for i, name in enumerate(REG_NAMES) if have[i] != want[i]}
        # A modifier sets the entry's flags (apply_template_to_cpuid), so one that differs
        # only in flags is a modifier with no register bitmap.
        if regs or flags != base.kvm_flags(key):
            tpl.cpuid[key] = regs
            tpl.flags[key] = flags
    for key in sorted(set(b0) - set(t0)):
        warnings.append(f"leaf 0x{key[0]:08x} subleaf 0x{key[1]:x} is in the base only; a template cannot remove it")
    bm, tm = base_msrs or {}, target_msrs or {}
    for addr in sorted(tm):
        have_v = bm.get(addr)
        if have_v is None:
            tpl.msrs[addr] = Bits(tm[addr], (1 << 64) - 1, 64)
            warnings.append(msr_not_in_base(addr))
        elif have_v != tm[addr]:
            diff = have_v ^ tm[addr]
            tpl.msrs[addr] = Bits(tm[addr] & diff, diff, 64)
    return tpl, warnings
