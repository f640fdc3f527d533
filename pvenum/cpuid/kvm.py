"""KVM ``struct kvm_cpuid2`` (KVM_GET_SUPPORTED_CPUID / KVM_SET_CPUID2), both directions.

Layout (Documentation/virt/kvm/api.rst §4.46, include/uapi/linux/kvm.h), little-endian:

    struct kvm_cpuid2 { __u32 nent; __u32 padding; struct kvm_cpuid_entry2 entries[nent]; };
    struct kvm_cpuid_entry2 { __u32 function, index, flags, eax, ebx, ecx, edx, padding[3]; };

The Construct declaration below is the definition; :func:`parse` reads entries with
``struct.iter_unpack`` for speed, and tests prove both agree on every fixture.
"""

from __future__ import annotations

import struct

from .. import _construct
from .._construct import c
from ..errors import LimitError, ParseError
from .model import CpuidDump, Key, Regs

FMT = "kvm_cpuid2"
HEADER_SIZE = 8
ENTRY_SIZE = 40
# KVM_MAX_CPUID_ENTRIES is 256; userspace buffers are sized a little above that. Anything
# larger than this is not a kvm_cpuid2 a VMM would pass.
MAX_ENTRIES = 4096

kvm_cpuid_entry2 = c.Struct(
    "function" / c.Int32ul,
    "index" / c.Int32ul,
    "flags" / c.Int32ul,
    "eax" / c.Int32ul,
    "ebx" / c.Int32ul,
    "ecx" / c.Int32ul,
    "edx" / c.Int32ul,
    "padding" / c.Array(3, c.Int32ul),
)

kvm_cpuid2 = c.Struct(
    "nent" / c.Int32ul,
    "padding" / c.Int32ul,
    "entries" / c.Array(c.this.nent, kvm_cpuid_entry2),
)

_ENTRY = struct.Struct("<10I")
assert _ENTRY.size == ENTRY_SIZE == kvm_cpuid_entry2.sizeof()


def _check(data: bytes) -> int:
    if len(data) < HEADER_SIZE:
        raise ParseError(FMT, f"{len(data)} bytes: shorter than the 8-byte header", offset=0)
    nent, padding = struct.unpack_from("<II", data)
    if nent > MAX_ENTRIES:
        raise LimitError(FMT, f"nent {nent} exceeds {MAX_ENTRIES}", offset=0, field="nent")
    need = HEADER_SIZE + nent * ENTRY_SIZE
    if len(data) < need:
        raise ParseError(FMT, f"nent {nent} needs {need} bytes, only {len(data)} present", offset=len(data), field="nent")
    if len(data) > need:
        raise ParseError(FMT, f"{len(data) - need} bytes after the last of {nent} entries", offset=need)
    if padding:
        raise ParseError(FMT, f"header padding is 0x{padding:x}, must be 0", offset=4, field="padding")
    return nent


def parse(data: bytes) -> CpuidDump:
    nent = _check(data)
    leaves: dict[Key, Regs] = {}
    flags: dict[Key, int] = {}
    for i, (fn, idx, fl, a, b, cc, d, p0, p1, p2) in enumerate(_ENTRY.iter_unpack(data[HEADER_SIZE:HEADER_SIZE + nent * ENTRY_SIZE])):
        key = (fn, idx)
        if key in leaves:
            raise ParseError(FMT, f"entry {i} repeats function 0x{fn:08x} index 0x{idx:x}",
                             offset=HEADER_SIZE + i * ENTRY_SIZE)
        if p0 or p1 or p2:
            raise ParseError(FMT, f"entry {i} padding is not zero", offset=HEADER_SIZE + i * ENTRY_SIZE + 28)
        leaves[key] = (a, b, cc, d)
        flags[key] = fl  # kept, zero included, so a round trip is exact
    return CpuidDump.made({0: leaves}, flags=flags)  # u32 fields


def parse_construct(data: bytes) -> CpuidDump:
    """The same, through the Construct declaration (reference path for tests)."""
    _check(data)
    obj = _construct.parse(kvm_cpuid2, data, fmt=FMT)
    leaves = {(e.function, e.index): (e.eax, e.ebx, e.ecx, e.edx) for e in obj.entries}
    flags = {(e.function, e.index): e.flags for e in obj.entries}
    return CpuidDump({0: leaves}, flags=flags)


def write(dump: CpuidDump) -> bytes:
    """CPU 0's leaves as a kvm_cpuid2 buffer; KVM's significant-index flag set where it applies.

    Functions ascend; one function's entries keep the dump's order (a parsed buffer's array
    order), which decides KVM's answer where an entry lacks the significant-index flag
    (arch/x86/kvm/cpuid.c kvm_find_cpuid_entry2: the first match wins), so the buffer answers
    as the dump does (CpuidDump.get)."""
    entries = []
    for (leaf, sub), (a, b, cc, d) in dump.items():  # each function's order kept where flags state it
        fl = dump.kvm_flags((leaf, sub))
        entries.append({"function": leaf, "index": sub, "flags": fl, "eax": a, "ebx": b, "ecx": cc, "edx": d,
                        "padding": [0, 0, 0]})
    if len(entries) > MAX_ENTRIES:
        raise LimitError(FMT, f"{len(entries)} leaves exceed {MAX_ENTRIES}")
    return _construct.build(kvm_cpuid2, {"nent": len(entries), "padding": 0, "entries": entries}, fmt=FMT)
