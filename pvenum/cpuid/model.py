"""CPUID dumps, MSR values and SNP facts: the x86 half of a Platform."""

from __future__ import annotations

import struct

from dataclasses import dataclass, field
from typing import Any, Iterable, Iterator, Mapping, NamedTuple

from .. import tomlvalues as V
from .._memo import kept
from ..errors import ScenarioError

Regs = tuple[int, int, int, int]
Key = tuple[int, int]
REG_NAMES = ("eax", "ebx", "ecx", "edx")

# Leaves whose output depends on ECX (the subleaf). For any other leaf the CPU ignores ECX,
# so a query for subleaf N answers with subleaf 0's values. Sources: Intel SDM vol. 2A CPUID,
# AMD APM vol. 3 appendix E; KVM marks the same leaves KVM_CPUID_FLAG_SIGNIFCANT_INDEX
# (arch/x86/kvm/cpuid.c: do_cpuid_func()).
INDEXED_LEAVES = frozenset(
    {0x4, 0x7, 0xB, 0xD, 0xF, 0x10, 0x12, 0x14, 0x17, 0x18, 0x1A, 0x1B, 0x1D, 0x1E, 0x1F,
     0x20, 0x23, 0x24, 0x8000001D, 0x80000020, 0x80000026}
)

KVM_CPUID_FLAG_SIGNIFCANT_INDEX = 1  # spelled as in linux/kvm.h

# The (leaf, subleaf) key of every hypervisor base: 0x40000000..0x4000FF00, step 0x100.
HV_BASE_FIRST, HV_BASE_STEP, HV_BASE_COUNT = 0x40000000, 0x100, 0x100
_BASE_KEYS = frozenset((HV_BASE_FIRST + i * HV_BASE_STEP, 0) for i in range(HV_BASE_COUNT))


def _base_leaves(leaves: dict[Key, Regs]) -> tuple[int, ...]:
    return tuple(sorted(key[0] for key in _BASE_KEYS.intersection(leaves)))


# The one hypervisor leaf ECX indexes: Xen's base + 3, the TSC leaf, answers sub-leaves 0..2
# (xen-project/xen xen/include/public/arch-x86/cpuid.h, "Leaf 4 (0x40000x03)"; cpuid 20230614
# do_real() dumps those three). Its base moves by 0x100 (0x40000100 beside Viridian), so the
# signature places it.
XEN_SIGNATURE = "XenVMMXenVMM"
# KVM's at its base (torvalds/linux arch/x86/include/uapi/asm/kvm_para.h KVM_SIGNATURE).
KVM_SIGNATURE = "KVMKVMKVM\0\0\0"
XEN_TSC_LEAF = 3


def _xen_tsc_leaves(leaves: dict[Key, Regs]) -> frozenset[int]:
    """Base + 3 of each base whose signature is Xen's."""
    return frozenset(base + XEN_TSC_LEAF for base in _base_leaves(leaves)
                     if regs_to_str(*leaves[(base, 0)][1:]) == XEN_SIGNATURE)


def _indexed_by_flags(flags: dict[Key, int]) -> dict[int, bool]:
    """Per leaf the flags name: whether any of its entries has the significant-index flag."""
    out: dict[int, bool] = {}
    for (leaf, _), f in flags.items():
        out[leaf] = out.get(leaf, False) or bool(f & KVM_CPUID_FLAG_SIGNIFCANT_INDEX)
    return out


class _KvmLookup(NamedTuple):
    """What KVM's lookup needs of one CPU's entries, given their flags (see CpuidDump.get)."""

    flags: dict[Key, int]  # the flags it was made with (a dump's flags are replaced, not edited)
    any_subleaf: dict[int, Regs]  # per leaf: its first entry without the flag, which answers any ECX
    # What KVM returns for each entry's own (leaf, subleaf), and for subleaf 0 of each leaf an
    # entry without the flag answers.
    view: dict[Key, Regs]


_ZEROS: Regs = (0, 0, 0, 0)


def _leaf_of(key: Key) -> int:
    return key[0]


def _lowest_cpu(cpus: dict[int, dict[Key, Regs]]) -> dict[Key, Regs]:
    return cpus[min(cpus)]


class CpuidDump:
    """CPUID leaves per logical CPU: ``{cpu: {(leaf, subleaf): (eax, ebx, ecx, edx)}}``.

    Resolution uses CPU 0 (the lowest CPU number present). ``flags`` keeps per-entry KVM
    flags so a kvm_cpuid2 round trip is exact; where a source states them, :meth:`get` answers
    as KVM does. A CPU's dict is in the order the source gave its entries (a kvm_cpuid2
    buffer's array order), which KVM's lookup depends on.
    """

    def __init__(
        self,
        cpus: Mapping[int, Mapping[Key, Regs]] | None = None,
        *,
        flags: Mapping[Key, int] | None = None,
        one_cpu: bool = True,
    ) -> None:
        self.cpus: dict[int, dict[Key, Regs]] = {
            int(c): {(int(l), int(s)): tuple(int(x) & 0xFFFFFFFF for x in r) for (l, s), r in leaves.items()}  # type: ignore[misc]
            for c, leaves in (cpus or {0: {}}).items()
        }
        if not self.cpus:
            self.cpus = {0: {}}
        self.flags: dict[Key, int] = dict(flags or {})
        # Whether the source showed a single CPU (cpuid -1 -r) or per-CPU blocks.
        self.one_cpu = one_cpu and len(self.cpus) == 1

    @classmethod
    def made(cls, cpus: dict[int, dict[Key, Regs]], *, flags: dict[Key, int] | None = None,
             one_cpu: bool = True) -> "CpuidDump":
        """A dump from a reader that made every key and register itself (ints, each register
        below 2**32, at least one CPU): kept as given, not copied and checked again."""
        dump = cls.__new__(cls)
        dump.cpus = cpus
        dump.flags = flags if flags is not None else {}
        dump.one_cpu = one_cpu and len(cpus) == 1
        return dump

    def base_leaves(self) -> tuple[int, ...]:
        """CPU 0's hypervisor base leaves present at subleaf 0, ascending: the bases
        0x40000000..0x4000FF00 (step 0x100) that hypervisor_cpuid_base() probes
        (torvalds/linux arch/x86/include/asm/cpuid/api.h: cpuid_base_hypervisor()). Kept per
        leaves dict; a dump is a value (edits return new dumps), so a changed size re-indexes."""
        return kept(self, "_base_leaves", self.guest_view(), _base_leaves)

    @classmethod
    def from_leaves(cls, leaves: Mapping[Key, Regs] | Iterable[tuple[Key, Regs]], **kw: Any) -> "CpuidDump":
        return cls({0: dict(leaves)}, **kw)

    # -- queries -----------------------------------------------------------------------------
    @property
    def cpu0_number(self) -> int:
        return min(self.cpus)

    def cpu0(self) -> dict[Key, Regs]:
        # Models read CPU 0 thousands of times per platform: remember which dict that is.
        return kept(self, "_cpu0", self.cpus, _lowest_cpu)

    def get(self, leaf: int, subleaf: int = 0, *, cpu: int | None = None) -> Regs | None:
        """What CPUID(leaf, ECX=subleaf) returns, or None where no entry answers.

        A dump that states KVM flags (kvm_cpuid2, Firecracker templates, TOML rows with
        ``flags``) answers as KVM does: the first entry of the leaf, in the dump's order, that
        either lacks KVM_CPUID_FLAG_SIGNIFCANT_INDEX or has ``index == subleaf``
        (torvalds/linux arch/x86/kvm/cpuid.c kvm_find_cpuid_entry2(), read in Linux 7.2.8;
        cpuid_entry2_find() before); an entry the source left without flags has
        :meth:`kvm_flags`. Without flags the leaf decides (:meth:`is_indexed`): an unlisted
        subleaf of a leaf that ignores ECX reads subleaf 0.
        """
        leaves = self.cpu0() if cpu is None else self.cpus.get(cpu)
        if leaves is None:
            return None
        if self.flags:
            lookup = self._kvm_lookup(leaves, "_kvm" if cpu is None or leaves is self.cpu0() else f"_kvm_{cpu}")
            regs = lookup.view.get((leaf, subleaf))
            return lookup.any_subleaf.get(leaf) if regs is None else regs
        regs = leaves.get((leaf, subleaf))
        if regs is None and subleaf != 0 and not self.is_indexed(leaf):
            regs = leaves.get((leaf, 0))
        return regs

    def guest_view(self) -> dict[Key, Regs]:
        """CPU 0's registers per listed (leaf, subleaf), as the guest's CPUID returns them: what
        the resolver and the proposal's decoder read directly (subleaf 0 thousands of times).
        :meth:`cpu0` itself for a dump without flags; with flags, :meth:`get`'s answer for each
        entry and for subleaf 0 of a leaf an entry without the significant-index flag answers."""
        leaves = self.cpu0()
        return self._kvm_lookup(leaves, "_kvm").view if self.flags else leaves

    def _kvm_lookup(self, leaves: dict[Key, Regs], slot: str) -> _KvmLookup:
        """KVM's answers over one CPU's ``leaves``, made once (kept while that dict is the same,
        and made again when the dump's flags are replaced)."""
        lookup = kept(self, slot, leaves, self._make_kvm_lookup)
        if lookup.flags is not self.flags:
            del self.__dict__[slot]
            lookup = kept(self, slot, leaves, self._make_kvm_lookup)
        return lookup

    def _make_kvm_lookup(self, leaves: dict[Key, Regs]) -> _KvmLookup:
        any_subleaf: dict[int, Regs] = {}  # per leaf: its first entry without the flag
        answers: dict[Key, Regs] = {}
        for key, regs in leaves.items():  # the source's order: KVM takes the first entry that matches
            leaf = key[0]
            if leaf in any_subleaf:  # after that entry: never reached, it answers instead
                answers[key] = any_subleaf[leaf]
                continue
            answers[key] = regs
            if not self.kvm_flags(key) & KVM_CPUID_FLAG_SIGNIFCANT_INDEX:
                any_subleaf[leaf] = regs
        view = {**{(leaf, 0): regs for leaf, regs in any_subleaf.items()}, **answers}
        return _KvmLookup(self.flags, any_subleaf, view)

    def is_indexed(self, leaf: int) -> bool:
        """Whether ECX selects among ``leaf``'s entries: stated by the source when any of its
        entries carries flags (true if one has the significant-index flag), else INDEXED_LEAVES,
        or Xen's TSC leaf (base + 3) where CPU 0 shows Xen's signature. Not a leaf merely listed
        at several subleaves: `cpuid -r` repeats leaf 2 as subleaves, and a capture may list a
        leaf that ignores ECX at any subleaf. A per-leaf summary; :meth:`get` decides per entry
        where flags are stated."""
        stated = kept(self, "_indexed_by_flags", self.flags, _indexed_by_flags).get(leaf) if self.flags else None
        if stated is not None:  # the source (kvm_cpuid2, Firecracker) said so explicitly
            return stated
        return leaf in INDEXED_LEAVES or (
            HV_BASE_FIRST < leaf < HV_BASE_FIRST + HV_BASE_STEP * HV_BASE_COUNT
            and leaf in kept(self, "_xen_tsc", self.cpu0(), _xen_tsc_leaves))

    def kvm_flags(self, key: Key) -> int:
        """The flags word of a kvm_cpuid2 entry for ``key``: the source's own, else the
        significant-index flag where the leaf is indexed (as KVM sets it)."""
        flags = self.flags.get(key)
        if flags is None:
            flags = KVM_CPUID_FLAG_SIGNIFCANT_INDEX if self.is_indexed(key[0]) else 0
        return flags

    def items(self, cpu: int | None = None) -> Iterator[tuple[Key, Regs]]:
        """One CPU's entries (CPU 0's by default) as writers lay them out: leaves ascending; a
        leaf's entries by subleaf, or, in a dump that states KVM flags, in the dump's own order,
        which decides KVM's answer (the first entry that matches: :meth:`get`)."""
        leaves = self.cpus[self.cpu0_number if cpu is None else cpu]
        for key in sorted(leaves, key=_leaf_of) if self.flags else sorted(leaves):
            yield key, leaves[key]

    def read_differently(self, other: "CpuidDump", *, cpu: int | None = None) -> list[Key]:
        """The (leaf, subleaf) queries of CPU 0 (or ``cpu``, in both) that ``other`` answers
        otherwise (:meth:`get`), ascending: every entry either lists, and for each leaf the
        subleaf after its highest listed one (what an entry answering any ECX answers). A
        converted dump read back shows what its format could not keep (``cpuid -r`` has no KVM
        flags, Firecracker orders a leaf's entries by subleaf)."""
        subs: dict[int, set[int]] = {}
        for dump in (self, other):
            for leaf, sub in dump.cpu0() if cpu is None else dump.cpus.get(cpu, {}):
                subs.setdefault(leaf, set()).add(sub)
        out = []
        for leaf in sorted(subs):
            for sub in sorted(subs[leaf]) + [max(subs[leaf]) + 1]:
                # No entry answers as zeros do: KVM returns zeros where none matches
                # (arch/x86/kvm/cpuid.c kvm_cpuid()), and CPUs for a subleaf past the last.
                if (self.get(leaf, sub, cpu=cpu) or _ZEROS) != (other.get(leaf, sub, cpu=cpu) or _ZEROS):
                    out.append((leaf, sub))
        return out

    def __len__(self) -> int:
        return len(self.cpu0())

    def __eq__(self, other: object) -> bool:
        """The same entries with the same registers and flags, and, where flags are stated, each
        leaf's entries in the same order (:meth:`items`): the same dump. Two unequal dumps may
        still answer every query alike (a ``cpuid -r`` dump and its kvm_cpuid2 round trip):
        :meth:`read_differently` says which queries differ."""
        if not isinstance(other, CpuidDump) or self.cpus != other.cpus or self.flags != other.flags:
            return False
        return not self.flags or all(list(self.items(c)) == list(other.items(c)) for c in self.cpus)

    def __repr__(self) -> str:
        return f"CpuidDump(cpus={len(self.cpus)}, leaves={len(self)})"

    # -- edits (return new dumps; models stay pure) -------------------------------------------
    def with_leaf(self, leaf: int, subleaf: int, regs: Regs, *, flags: int | None = None) -> "CpuidDump":
        """A copy with ``regs`` as every CPU's entry for ``(leaf, subleaf)``. In a dump that states
        KVM flags the entry sits where a kvm_cpuid2 buffer would hold it (an existing entry keeps its
        place, a new one goes last, with ``flags`` or :meth:`kvm_flags`' default), so KVM's
        first-match lookup still decides what :meth:`get` answers: an earlier entry of the leaf
        without the significant-index flag shadows it. A scenario's edits avoid that by starting
        from the guest's view (pvenum/scenario/compile.py)."""
        cpus = {c: dict(l) for c, l in self.cpus.items()}
        for leaves in cpus.values():
            leaves[(leaf, subleaf)] = regs
        fl = dict(self.flags)
        if flags is not None:
            fl[(leaf, subleaf)] = flags
        return CpuidDump(cpus, flags=fl, one_cpu=self.one_cpu)

    def without_leaf(self, leaf: int, subleaf: int | None = None) -> "CpuidDump":
        cpus = {
            c: {k: v for k, v in l.items() if not (k[0] == leaf and (subleaf is None or k[1] == subleaf))}
            for c, l in self.cpus.items()
        }
        fl = {k: v for k, v in self.flags.items() if not (k[0] == leaf and (subleaf is None or k[1] == subleaf))}
        return CpuidDump(cpus, flags=fl, one_cpu=self.one_cpu)

    @property
    def vendor(self) -> str | None:
        regs = self.get(0)
        if regs is None:
            return None
        return regs_to_str(regs[1], regs[3], regs[2])


_PACK_REGS = {n: struct.Struct(f"<{n}I").pack for n in range(1, 5)}


def regs_to_str(*regs: int) -> str:
    """Little-endian register bytes as text; NULs kept visible as in the kernel's memcmp."""
    pack = _PACK_REGS.get(len(regs))
    if pack is not None:
        try:
            return pack(*regs).decode("latin-1")
        except struct.error:
            pass  # not u32s: the conversion below says why, as it always did
    return b"".join(int(r).to_bytes(4, "little") for r in regs).decode("latin-1")


def str_to_regs(text: str) -> tuple[int, ...]:
    raw = text.encode("latin-1")
    raw = raw + b"\0" * (-len(raw) % 4)
    return tuple(int.from_bytes(raw[i : i + 4], "little") for i in range(0, len(raw), 4))


# -- MSRs --------------------------------------------------------------------------------------

MSR_AMD64_SEV = 0xC0010131  # SEV_STATUS (arch/x86/include/asm/msr-index.h)
MSR_AMD64_SEV_ES_GHCB = 0xC0010130
MSR_SVSM_CAA = 0xC001F000
MSR_AMD64_SYSCFG = 0xC0010010  # what early_detect_mem_encrypt() reads (arch/x86/kernel/cpu/amd.c)
MSR_K7_HWCR = 0xC0010015
# A host's RMP table bounds, which snp_probe_rmptable_info() reads (arch/x86/virt/svm/sev.c): no
# guest reads them, and no platform description carries them.
MSR_AMD64_RMP_BASE = 0xC0010132
MSR_AMD64_RMP_END = 0xC0010133
MSR_NAMES = {
    MSR_AMD64_SEV: "SEV_STATUS",
    MSR_AMD64_SEV_ES_GHCB: "GHCB",
    MSR_SVSM_CAA: "SVSM_CAA",
    MSR_AMD64_SYSCFG: "SYSCFG",
    MSR_K7_HWCR: "HWCR",
    MSR_AMD64_RMP_BASE: "RMP_BASE",
    MSR_AMD64_RMP_END: "RMP_END",
}


class MsrSet(dict[int, int]):
    """MSR index -> 64-bit value, as a guest would read them (RDMSR)."""

    @classmethod
    def from_toml(cls, table: Any, *, key: str = "msr") -> "MsrSet":
        """``[msr]`` of platform.toml, pvenum's CPUID TOML and a scenario's ``[override.msr]``:
        ``"0xINDEX" = value`` (32-bit index, 64-bit value)."""
        if not isinstance(table, dict):
            raise ScenarioError("expected a table of \"0xINDEX\" = value", key=key)
        return cls({V.key_number(k, f"{key}.{k}"): V.fits(v, f"{key}.{k}") for k, v in table.items()})

    def merged(self, other: Mapping[int, int]) -> "MsrSet":
        out = MsrSet(self)
        out.update(other)
        return out

    @property
    def sev_status(self) -> int | None:
        return self.get(MSR_AMD64_SEV)


# -- SNP secrets page / VMPL ----------------------------------------------------------------------

_SNP_KEYS = {
    "vmpl": 8,
    "cc_blob": 1,
    "svsm_base": 64,
    "svsm_size": 64,
    "svsm_caa": 64,
    "svsm_max_version": 32,
    "svsm_guest_vmpl": 8,
    "svsm_vtpm": 1,
    # GHCB MSR protocol answers (GHCB spec 2.x; arch/x86/include/asm/sev-common.h): the
    # hypervisor's SEV_INFO protocol range and its HV_FEATURES (bit 0 GHCB_HV_FT_SNP, bit 1
    # GHCB_HV_FT_SNP_AP_CREATION, bit 5 GHCB_HV_FT_SNP_MULTI_VMPL).
    "ghcb_protocol_min": 16,
    "ghcb_protocol_max": 16,
    "ghcb_hv_features": 52,
    # struct cc_blob_sev_info (arch/x86/include/asm/sev.h): magic (CC_BLOB_SEV_HDR_MAGIC
    # 0x45444d41), secrets_len, cpuid_len; and the SNP CPUID table's entry count
    # (struct snp_cpuid_table.count, 1..SNP_CPUID_COUNT_MAX 64).
    "cc_blob_magic": 32,
    "secrets_len": 32,
    "cpuid_len": 32,
    "cpuid_count": 32,
}

_TDX_KEYS = {"attributes": 64, "gpa_width": 6, "flexible_pending_ve": 1, "pending_ve_disabled": 1}
TD_ATTR_DEBUG, TD_ATTR_SEPT_VE_DISABLE = 0, 28  # arch/x86/coco/tdx/tdx.c: ATTR_DEBUG, ATTR_SEPT_VE_DISABLE


@dataclass
class TdxFacts:
    """What TDG.VP.INFO (and TDG.VM.RD) tell a TD guest: outside CPUID, so a bundle states them.

    ``attributes`` is TD_ATTRIBUTES (TDG.VP.INFO rdx; bit 0 DEBUG, bit 28 SEPT_VE_DISABLE),
    ``gpa_width`` the GPAW (rcx[5:0]; the shared bit is gpa_width - 1), ``flexible_pending_ve``
    TDCS_CONFIG_FLAGS.FLEXIBLE_PENDING_VE and ``pending_ve_disabled`` TDCS_TD_CTLS.PENDING_VE_DISABLE
    (arch/x86/coco/tdx/tdx.c: tdx_parse_tdinfo() in 6.1, tdx_setup()/disable_sept_ve() later).
    """

    attributes: int | None = None
    gpa_width: int | None = None
    flexible_pending_ve: bool | None = None
    pending_ve_disabled: bool | None = None

    @classmethod
    def from_toml(cls, table: Any, *, key: str = "tdx") -> "TdxFacts":
        values: dict[str, Any] = {}
        for k, v in V.table(table, key, _TDX_KEYS, name="tdx").items():
            bits = _TDX_KEYS[k]
            values[k] = V.boolean(v, f"{key}.{k}") if bits == 1 else V.unsigned(v, f"{key}.{k}", bits)
        return cls(**values)

    def to_dict(self) -> dict[str, Any]:
        return {k: getattr(self, k) for k in _TDX_KEYS if getattr(self, k) is not None}


@dataclass
class SnpFacts:
    """What an SNP guest learns outside CPUID: its VMPL and the secrets page SVSM fields.

    Field names and widths follow ``struct snp_secrets_page`` (arch/x86/include/asm/sev.h):
    svsm_base @0x140 u64, svsm_size @0x148 u64, svsm_caa @0x150 u64, svsm_max_version @0x158
    u32, svsm_guest_vmpl @0x15c u8. ``vmpl`` is the VMPL the guest runs at (what RMPADJUST
    probing in svsm_setup_ca() finds); ``cc_blob`` whether firmware passed the CC blob
    (setup_data / EFI config table) that snp_init() looks for.
    """

    vmpl: int | None = None
    cc_blob: bool | None = None
    svsm_base: int | None = None
    svsm_size: int | None = None
    svsm_caa: int | None = None
    svsm_max_version: int | None = None
    svsm_guest_vmpl: int | None = None
    # Whether the SVSM answers SVSM_VTPM_QUERY (tpm_svsm_probe); not on the secrets page.
    svsm_vtpm: bool | None = None
    # GHCB MSR protocol answers and CC blob fields (see _SNP_KEYS).
    ghcb_protocol_min: int | None = None
    ghcb_protocol_max: int | None = None
    ghcb_hv_features: int | None = None
    cc_blob_magic: int | None = None
    secrets_len: int | None = None
    cpuid_len: int | None = None
    cpuid_count: int | None = None
    given: frozenset[str] = field(default_factory=frozenset)

    @classmethod
    def from_toml(cls, table: Any, *, key: str = "snp") -> "SnpFacts":
        values: dict[str, Any] = {}
        for k, v in V.table(table, key, _SNP_KEYS, name="snp").items():
            if k in ("cc_blob", "svsm_vtpm"):
                values[k] = V.boolean(v, f"{key}.{k}")
            else:
                values[k] = V.unsigned(v, f"{key}.{k}", _SNP_KEYS[k])
        if "vmpl" in values and values["vmpl"] > 3:
            raise ScenarioError("SNP has VMPLs 0-3", key=f"{key}.vmpl")
        # svsm_guest_vmpl defaults to the running VMPL: that is what COCONUT writes.
        if "svsm_guest_vmpl" not in values and values.get("svsm_size") and "vmpl" in values:
            values["svsm_guest_vmpl"] = values["vmpl"]
        return cls(**values, given=frozenset(table))

    def to_dict(self) -> dict[str, Any]:
        return {k: getattr(self, k) for k in _SNP_KEYS if getattr(self, k) is not None}
