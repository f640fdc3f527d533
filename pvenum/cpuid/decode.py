"""Apply the leaf declarations to a dump: named fields per leaf, for inspect, textconv and diff."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterator

from .leaves import HV_BASE, KVM_CPUID_ENTRY_FLAGS, MSRS, Field, LeafSpec, spec_for, vendor_of_signature
from ..report import num_text
from .model import REG_NAMES, CpuidDump, MsrSet, Regs, regs_to_str


@dataclass(frozen=True)
class DecodedLeaf:
    leaf: int
    subleaf: int
    regs: Regs
    spec: LeafSpec | None
    vendor: str | None  # for hypervisor leaves: whose table decoded it

    def fields(self) -> Iterator[tuple[Field, int]]:
        if self.spec is None:
            return
        values = dict(zip(REG_NAMES, self.regs))
        for f in self.spec.fields:
            yield f, f.extract(values[f.reg])

    @property
    def text(self) -> str | None:
        if self.spec is None or not self.spec.text:
            return None
        values = dict(zip(REG_NAMES, self.regs))
        return regs_to_str(*(values[r] for r in self.spec.text))

    def key(self) -> str:
        return f"0x{self.leaf:08x}.{self.subleaf}"


def vendor_bases(dump: CpuidDump) -> dict[int, str]:
    """Hypervisor bases with a known signature, plus the draft paravisor record's block."""
    from ..proposal.cpuid_encoding import SIGNATURE

    out: dict[int, str] = {}
    for base in range(0x40000000, 0x40010000, 0x100):
        regs = dump.get(base)
        if regs is None:
            continue
        sig = regs_to_str(regs[1], regs[2], regs[3])
        vendor = vendor_of_signature(sig)
        if vendor:
            out[base] = vendor
        elif sig == SIGNATURE:
            out[base] = "paravisor-services"
        else:
            out[base] = "unknown"
    return out


def decode_dump(dump: CpuidDump, cpu: int | None = None) -> list[DecodedLeaf]:
    from ..proposal.cpuid_encoding import LEAF_SPECS

    bases = vendor_bases(dump)
    # The draft record's block is declared with its encoding (pvenum.proposal.cpuid_encoding).
    more = {"paravisor-services": (HV_BASE, *LEAF_SPECS)}
    out = []
    for (leaf, sub), regs in dump.items(cpu):
        spec = spec_for(leaf, sub, bases, more)
        vendor = bases.get(leaf & ~0xFF) if 0x40000000 <= leaf <= 0x4FFFFFFF else None
        out.append(DecodedLeaf(leaf, sub, regs, spec, vendor))
    return out


def field_text(f: Field, value: int) -> str:
    if f.kind == "flag":
        return "true" if value else "false"
    if f.values and value in f.values:
        return f"{value} ({f.values[value]})"
    return num_text(value)


def decode_msrs(msrs: MsrSet) -> Iterator[tuple[int, int, LeafSpec | None]]:
    for idx, value in sorted(msrs.items()):
        yield idx, value, MSRS.get(idx)


def msr_summary(idx: int, value: int) -> str:
    """An MSR's declared name and the flags set in ``value`` ("SEV_STATUS (MSR_AMD64_SEV):
    SEV_ENABLED SEV_ES_ENABLED"), then the bits set that it declares no flag for (a host's
    SYSCFG has many), or "" for an MSR pvenum declares no layout for."""
    spec = MSRS.get(idx)
    if spec is None:
        return ""
    return f"{spec.name}: {' '.join(set_names(spec.fields, value)) or 'no flag set'}"


def set_names(fields: tuple[Field, ...], value: int) -> list[str]:
    """The names of the declared flags set in ``value`` (``NAME=value`` for a field wider than a
    bit, e.g. RMP_BASE's address), then "other bits 0x…" for the set bits no field declares."""
    names = []
    for f in fields:
        v = f.extract(value)
        if v:
            names.append(f.name if f.width == 1 else f"{f.name}={field_text(f, v)}")
    declared = 0
    for f in fields:  # OR, not sum: two fields may share bits (a multi-bit field and its flag)
        declared |= f.mask
    other = value & ~declared
    if other:
        names.append(f"other bits 0x{other:x}")
    return names


def quote(text: str) -> str:
    """A signature as a stable, printable, quoted string ("KVMKVMKVM\\0\\0\\0")."""
    out = []
    for ch in text:
        o = ord(ch)
        if ch == "\0":
            out.append("\\0")
        elif ch in '"\\':
            out.append("\\" + ch)
        elif 0x20 <= o < 0x7F:
            out.append(ch)
        else:
            out.append(f"\\x{o:02x}")
    return '"' + "".join(out) + '"'


def flags_text(flags: int) -> str:
    """An entry's KVM flags word as every output spells it: "0x1 (SIGNIFCANT_INDEX)", "0x0"."""
    names = set_names(KVM_CPUID_ENTRY_FLAGS, flags)
    return f"0x{flags:x}" + (f" ({' | '.join(names)})" if names else "")


def flags_field(leaf: int, subleaf: int) -> str:
    """The field naming a leaf's KVM flags, for dumps whose format carries them (kvm_cpuid2,
    Firecracker templates, TOML rows with ``flags``)."""
    return f"cpuid 0x{leaf:08x}.{subleaf} flags"


def named_fields(dump: CpuidDump) -> Iterator[tuple[str, str, bool]]:
    """(field name, value text, quiet) for every register, signature and declared field, and
    each leaf's KVM flags where the dump carries them (:func:`flags_field`).

    ``quiet`` marks a clear flag: it matters only when the other side of a diff has it set.
    These names are what ``pvenum textconv`` prints and what ``pvenum diff`` compares."""
    flags = dump.flags
    for dl in decode_dump(dump):
        key = dl.key()
        fl = flags.get((dl.leaf, dl.subleaf))
        if fl is not None:
            yield flags_field(dl.leaf, dl.subleaf), flags_text(fl), False
        for reg, value in zip(REG_NAMES, dl.regs):
            yield f"cpuid {key} {reg}", f"0x{value:08x}", False
        if dl.text is not None:
            yield f"cpuid {key} signature", quote(dl.text), False
        for f, v in dl.fields():
            yield f"cpuid {key} {f.reg}{f.bits} {f.name}", field_text(f, v), f.kind == "flag" and not v


def msr_named_fields(msrs: MsrSet) -> Iterator[tuple[str, str, bool]]:
    for idx, value, spec in decode_msrs(msrs):
        yield f"msr 0x{idx:08x}", f"0x{value:016x}", False
        if spec:
            for f in spec.fields:
                on = bool(f.extract(value))
                yield f"msr 0x{idx:08x}{f.bits} {f.name}", "true" if on else "false", not on
