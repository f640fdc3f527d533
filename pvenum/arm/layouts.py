"""Binary structures an Arm guest reads from memory that an SMCCC call filled in.

``REALM_CONFIG`` — the 4 KiB granule RSI_REALM_CONFIG (0xC4000196) writes at the IPA the guest
passes in x1. Declared once, from the RMM side, and used in both directions (the scenario
builder writes it, the resolver reads ``ipa_bits`` back through it):

    0x000  ipa_bits        u64   RMM "ipa_width"; Linux "unsigned long ipa_bits"
    0x008  hash_algo       u8    RMM "algorithm": RSI_HASH_SHA_256 0, RSI_HASH_SHA_512 1
    0x009  reserved0       7 B   (Linux reads 0x008 as "unsigned long hash_algo": equal while these are 0)
    0x010  num_aux_planes  u64   RMM 1.1: auxiliary Planes
    0x018  gicv3_vtr       u32   RMM 1.1: GICv3 VGIC Type Register
    0x01c  reserved1       4 B
    0x020  ats_plane       u64   RMM 1.1: stage 2 used by ATS-enabled assigned devices
    0x028  reserved2       0x1d8 B
    0x200  rpv             64 B  Realm Personalization Value
    0x240  reserved3       0xdc0 B (to 0x1000)

Sources: torvalds/linux arch/arm64/include/asm/rsi_smc.h ``struct realm_config`` (ipa_bits,
hash_algo at 0, 8; rpv at 0x200; 4 KiB aligned); TF-RMM lib/smc/include/smc-rsi.h
``struct rsi_realm_config`` (RMM 1.1: algorithm u8 at 8, num_aux_planes 0x10, gicv3_vtr u32
0x18, ats_plane 0x20, rpv at 0x200); versions read: docs/sources.md. The RMM 1.1
fields are a draft specification's; RMM 1.0 leaves 0x010-0x1ff reserved (zero).
"""

from __future__ import annotations

from typing import Any

from .._construct import build, c, parse

REALM_CONFIG_SIZE = 0x1000
RPV_SIZE = 64
HASH_ALGOS = {0: "sha256", 1: "sha512"}  # RSI_HASH_SHA_256, RSI_HASH_SHA_512
HASH_BY_NAME = {v: k for k, v in HASH_ALGOS.items()}

# The fields a booting guest reads (arm64_rsi_init(): ipa_bits; hash_algo beside it), declared
# once and parsed on their own by the resolver (REALM_CONFIG_LEADING): nothing else of the
# granule is read there, and Construct's cost is per field.
LEADING_FIELDS = (
    "ipa_bits" / c.Int64ul,
    "hash_algo" / c.Int8ul,
)
REALM_CONFIG = c.Struct(
    *LEADING_FIELDS,
    "reserved0" / c.Bytes(7),
    "num_aux_planes" / c.Int64ul,
    "gicv3_vtr" / c.Int32ul,
    "reserved1" / c.Bytes(4),
    "ats_plane" / c.Int64ul,
    "reserved2" / c.Bytes(0x200 - 0x28),
    "rpv" / c.Bytes(RPV_SIZE),
    "reserved3" / c.Bytes(REALM_CONFIG_SIZE - 0x240),
)
REALM_CONFIG_LEADING = c.Struct(*LEADING_FIELDS)

# The named (non-reserved) fields, in layout order, as platform.toml spells them.
REALM_CONFIG_FIELDS = ("ipa_bits", "hash_algo", "num_aux_planes", "gicv3_vtr", "ats_plane", "rpv")
RESERVED = {"reserved0": 7, "reserved1": 4, "reserved2": 0x200 - 0x28, "reserved3": REALM_CONFIG_SIZE - 0x240}
FIELD_BITS = {"ipa_bits": 64, "hash_algo": 8, "num_aux_planes": 64, "gicv3_vtr": 32, "ats_plane": 64}
OFFSETS = {"ipa_bits": 0x000, "hash_algo": 0x008, "num_aux_planes": 0x010, "gicv3_vtr": 0x018,
           "ats_plane": 0x020, "rpv": 0x200}


def build_realm_config(fields: dict[str, Any]) -> bytes:
    """The 4 KiB granule for ``fields`` (missing named fields and every reserved byte are 0)."""
    obj: dict[str, Any] = {name: 0 for name in FIELD_BITS}
    obj["rpv"] = bytes(RPV_SIZE)
    obj.update({name: bytes(size) for name, size in RESERVED.items()})
    obj.update(fields)
    rpv = obj["rpv"]
    if len(rpv) < RPV_SIZE:
        obj["rpv"] = bytes(rpv) + bytes(RPV_SIZE - len(rpv))
    return build(REALM_CONFIG, obj, fmt="realm_config")


def parse_realm_config(data: bytes, *, leading: bool = False) -> dict[str, Any]:
    """The granule's fields (reserved areas kept as bytes, so a parse rebuilds the same bytes);
    ``leading``: only ipa_bits and hash_algo, what the guest reads at boot."""
    parsed = parse(REALM_CONFIG_LEADING if leading else REALM_CONFIG, data, fmt="realm_config")
    return {k: v for k, v in parsed.items() if not k.startswith("_")}
