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

from ..cpuid.model import CpuidDump, Regs, regs_to_str, str_to_regs
from .record import (
    INTERFACE_BY_NAME,
    INTERFACE_KINDS,
    ISOLATION_BY_NAME,
    ISOLATION_CODES,
    SERVICE_BITS,
    SERVICES,
    Interface,
    ParavisorServices,
)

SIGNATURE = "ParavisorSvc"
LEAVES = 4  # B+1 .. B+4
DEFAULT_BASE = 0x40000100

FLAG_NOT_IN_CHARGE = 1 << 0
FLAG_ACCEPTS_MEMORY = 1 << 1
FLAG_BOUNDARY_VALID = 1 << 2
BOUNDARY_SHIFT, BOUNDARY_MASK = 8, 0x3F
FLAGS_DEFINED = FLAG_NOT_IN_CHARGE | FLAG_ACCEPTS_MEMORY | FLAG_BOUNDARY_VALID | (BOUNDARY_MASK << BOUNDARY_SHIFT)
SERVICES_DEFINED = sum(1 << b for b in SERVICE_BITS.values())


def encode(record: ParavisorServices, base: int = DEFAULT_BASE) -> dict[int, Regs]:
    """The leaves ``base .. base+4`` that carry ``record``."""
    flags = 0
    if not record.guest_in_charge:
        flags |= FLAG_NOT_IN_CHARGE
    if record.paravisor_accepts_memory:
        flags |= FLAG_ACCEPTS_MEMORY
    if record.shared_gpa_boundary_bits is not None:
        flags |= FLAG_BOUNDARY_VALID | (record.shared_gpa_boundary_bits << BOUNDARY_SHIFT)
    services = 0
    leaves: dict[int, Regs] = {}
    sig = str_to_regs(SIGNATURE)
    leaves[base] = (base + LEAVES, sig[0], sig[1], sig[2])
    for i, name in enumerate(SERVICES):
        iface = record.services()[name]
        if iface is None:
            leaves[base + 2 + i] = (0, 0, 0, 0)
            continue
        services |= 1 << SERVICE_BITS[name]
        leaves[base + 2 + i] = (
            INTERFACE_BY_NAME[iface.kind] | iface.version << 8,
            iface.param0 & 0xFFFFFFFF,
            iface.param0 >> 32,
            iface.param1,
        )
    leaves[base + 1] = (record.version, ISOLATION_BY_NAME[record.isolation], flags, services)
    return dict(sorted(leaves.items()))


def install(dump: CpuidDump, record: ParavisorServices, base: int = DEFAULT_BASE) -> CpuidDump:
    for leaf, regs in encode(record, base).items():
        dump = dump.with_leaf(leaf, 0, regs)
    return dump


@dataclass
class Decoded:
    """A record found in one channel (the DT and ACPI decoders return the same shape)."""

    where: str  # e.g. "cpuid 0x40000100"
    record: ParavisorServices | None
    problems: list[str]
    channel: str = "cpuid"


def find_base(dump: CpuidDump) -> int | None:
    """hypervisor_cpuid_base("ParavisorSvc", 4)."""
    for base in range(0x40000000, 0x40010000, 0x100):
        regs = dump.get(base)
        if regs and regs_to_str(regs[1], regs[2], regs[3]) == SIGNATURE and regs[0] - base >= LEAVES:
            return base
    return None


def decode(dump: CpuidDump, base: int | None = None) -> Decoded | None:
    """The record a guest reads from ``dump``; None when no block is advertised."""
    base = find_base(dump) if base is None else base
    if base is None:
        return None
    problems: list[str] = []

    def leaf(n: int) -> Regs:
        regs = dump.get(base + n)
        if regs is None:
            problems.append(f"leaf 0x{base + n:08x} missing (reads as zeros)")
            return (0, 0, 0, 0)
        return regs

    version, iso_code, flags, services = leaf(1)
    if version != 1:
        problems.append(f"record version {version}; this decoder knows version 1")
    if flags & ~FLAGS_DEFINED:
        problems.append(f"reserved flag bits set in 0x{base + 1:08x}.ecx: 0x{flags & ~FLAGS_DEFINED:x}")
    if services & ~SERVICES_DEFINED:
        problems.append(f"reserved service bits set in 0x{base + 1:08x}.edx: 0x{services & ~SERVICES_DEFINED:x}")
    isolation = ISOLATION_CODES.get(iso_code)
    if isolation is None:
        problems.append(f"unknown isolation code {iso_code} in 0x{base + 1:08x}.ebx")
        return Decoded(f"cpuid 0x{base:08x}", None, problems)
    ifaces: dict[str, Interface | None] = {}
    for i, name in enumerate(SERVICES):
        eax, ebx, ecx, edx = leaf(2 + i)
        if not services >> SERVICE_BITS[name] & 1:
            if eax or ebx or ecx or edx:
                problems.append(f"{name} leaf 0x{base + 2 + i:08x} is not zero but the service bit is clear")
            ifaces[name] = None
            continue
        kind = INTERFACE_KINDS.get(eax & 0xFF)
        if kind is None:
            problems.append(f"{name}: unknown interface kind {eax & 0xFF} in 0x{base + 2 + i:08x}.eax")
            ifaces[name] = None
            continue
        if eax >> 16:
            problems.append(f"{name}: reserved bits set in 0x{base + 2 + i:08x}.eax[31:16]")
        ifaces[name] = Interface(kind, version=eax >> 8 & 0xFF, param0=ebx | ecx << 32, param1=edx)
    bits = flags >> BOUNDARY_SHIFT & BOUNDARY_MASK if flags & FLAG_BOUNDARY_VALID else None
    if bits == 0:
        problems.append("SHARED_GPA_BOUNDARY_VALID with 0 boundary bits")
        bits = None
    record = ParavisorServices(
        isolation=isolation,
        guest_in_charge=not flags & FLAG_NOT_IN_CHARGE,
        paravisor_accepts_memory=bool(flags & FLAG_ACCEPTS_MEMORY),
        shared_gpa_boundary_bits=bits,
        version=version,
        **ifaces,
    )
    return Decoded(f"cpuid 0x{base:08x}", record, problems)
