"""The draft CPUID encoding of the paravisor services record (docs/proposal.md §CPUID).

The paravisor is "just another hypervisor": it advertises a leaf block at a base B in
0x40000000-0x4000FF00 (step 0x100) with the signature "ParavisorSvc", found the way Linux's
hypervisor_cpuid_base(sig, leaves) finds KVM or Jailhouse (arch/x86/include/asm/processor.h).

    B+0  eax = B+4 (highest leaf)          ebx,ecx,edx = "ParavisorSvc"
    B+1  eax = record version               ebx = isolation code
         ecx = flags: [0] GUEST_NOT_IN_CHARGE [1] PARAVISOR_ACCEPTS_MEMORY
                      [2] SHARED_GPA_BOUNDARY_VALID [13:8] SHARED_GPA_BOUNDARY_BITS
         edx = services: [0] ATTESTATION [1] TDISP [2] VTPM
    B+2  attestation interface   } eax = kind[7:0] | version[15:8]
    B+3  TDISP interface         } ebx = param0[31:0], ecx = param0[63:32]
    B+4  vTPM interface          } edx = param1

Every other bit is reserved and must be zero; a decoder reports reserved bits set.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..cpuid.leaves import LeafSpec, flags, ints
from ..cpuid.model import CpuidDump, Regs, str_to_regs
from ..resolver.x86 import cpuid_base
from .codes import (BOUNDARY_MASK, BOUNDARY_SHIFT, FLAG_NAMES, INTERFACE_KINDS, ISOLATION_CODES, SERVICE_BITS, SERVICES)

if TYPE_CHECKING:  # pragma: no cover
    from .record import ParavisorServices

SIGNATURE = "ParavisorSvc"
LEAVES = 4  # B+1 .. B+4
DEFAULT_BASE = 0x40000100

# The leaves B+1 .. B+4 by name, for inspect, textconv and diff (the same layout encode() and
# decode() below write and read; the block's B+0 is every hypervisor's vendor leaf).
_SOURCE = "docs/proposal.md §CPUID (draft paravisor services record)"


def _interface_leaf(offset: int, service: str) -> LeafSpec:
    up = service.upper()
    return LeafSpec(
        offset, None, f"Paravisor services: {service} interface", _SOURCE,
        ints("eax", (0, 7, f"{up}_KIND", "interface kind", INTERFACE_KINDS),
             (8, 15, f"{up}_VERSION", "interface version"), (16, 31, f"{up}_RESERVED", "reserved, must be zero"))
        + ints("ebx", (0, 31, f"{up}_PARAM0_LO", "param0[31:0]"))
        + ints("ecx", (0, 31, f"{up}_PARAM0_HI", "param0[63:32]"))
        + ints("edx", (0, 31, f"{up}_PARAM1", "param1")),
    )


LEAF_SPECS: tuple[LeafSpec, ...] = (
    LeafSpec(
        1, None, "Paravisor services record", _SOURCE,
        ints("eax", (0, 31, "RECORD_VERSION", "record version"))
        + ints("ebx", (0, 31, "ISOLATION", "isolation code", ISOLATION_CODES))
        + flags("ecx", FLAG_NAMES)
        + ints("ecx", (BOUNDARY_SHIFT, BOUNDARY_SHIFT + BOUNDARY_MASK.bit_length() - 1, "SHARED_GPA_BOUNDARY_BITS",
                       "shared GPA boundary bit (valid with SHARED_GPA_BOUNDARY_VALID)"))
        + flags("edx", {bit: name.upper() for name, bit in SERVICE_BITS.items()}),
    ),
    *(_interface_leaf(2 + i, name) for i, name in enumerate(SERVICES)),
)


def encode(record: ParavisorServices, base: int = DEFAULT_BASE) -> dict[int, Regs]:
    """The leaves ``base .. base+4`` that carry ``record``."""
    from .record import Words  # the record classes load to write, or once a block is found

    w = Words.of(record)
    sig = str_to_regs(SIGNATURE)
    leaves: dict[int, Regs] = {
        base: (base + LEAVES, sig[0], sig[1], sig[2]),
        base + 1: (w.version, w.isolation, w.flags, w.services),
    }
    for i, name in enumerate(SERVICES):
        kind, version, param0, param1 = w.interfaces[name]
        leaves[base + 2 + i] = (kind | version << 8, param0 & 0xFFFFFFFF, param0 >> 32, param1)
    return leaves


def install(dump: CpuidDump, record: ParavisorServices, base: int = DEFAULT_BASE) -> CpuidDump:
    for leaf, regs in encode(record, base).items():
        dump = dump.with_leaf(leaf, 0, regs)
    return dump


@dataclass(slots=True)  # made per channel that carries a record
class Decoded:
    """A record found in one channel (the DT and ACPI decoders return the same shape)."""

    where: str  # e.g. "cpuid 0x40000100"
    record: ParavisorServices | None
    problems: list[str]
    channel: str = "cpuid"


def find_base(dump: CpuidDump) -> int | None:
    """hypervisor_cpuid_base("ParavisorSvc", 4)."""
    return cpuid_base(dump, SIGNATURE, LEAVES) or None


_ZEROS: Regs = (0, 0, 0, 0)
_WORD_REG = {"version": "eax", "isolation": "ebx", "flags": "ecx", "boundary": "ecx", "services": "edx"}  # in B+1
_INTERFACE_LEAF = {name: 2 + i for i, name in enumerate(SERVICES)}  # offset from B


def _leaf(leaves: dict, leaf: int, problems: list[str]) -> Regs:
    regs = leaves.get((leaf, 0))
    if regs is None:
        problems.append(f"leaf 0x{leaf:08x} missing (reads as zeros)")
        return _ZEROS
    return regs


def decode(dump: CpuidDump, base: int | None = None) -> Decoded | None:
    """The record a guest reads from ``dump``; None when no block is advertised."""
    base = find_base(dump) if base is None else base
    if base is None:
        return None
    leaves = dump.guest_view()  # CPU 0, subleaf 0: what dump.get(leaf) reads
    problems: list[str] = []
    version, isolation, flags, services = _leaf(leaves, base + 1, problems)
    interfaces = {}
    for name, offset in _INTERFACE_LEAF.items():
        eax, ebx, ecx, edx = _leaf(leaves, base + offset, problems)
        if eax >> 16:
            problems.append(f"{name}: reserved bits set in 0x{base + offset:08x}.eax[31:16]")
        interfaces[name] = (eax & 0xFF, eax >> 8 & 0xFF, ebx | ecx << 32, edx)
    from .record import Words  # the record classes load once a block is found

    words = Words(version, isolation, flags, services, interfaces)
    for word, _, message in words.problems():
        loc = f"0x{base + 1:08x}.{_WORD_REG[word]}" if word in _WORD_REG else f"0x{base + _INTERFACE_LEAF[word]:08x}"
        problems.append(f"{message} (in {loc})")
    return Decoded(f"cpuid 0x{base:08x}", words.record(), problems)
