"""SMCCC answers: what an Arm guest gets back from the SMC/HVC calls it makes at boot.

``SmcccAnswers`` maps a function id to the four result registers x0..x3. A function absent
from the map answers SMCCC_RET_NOT_SUPPORTED (-1), which is what firmware and hypervisors
return for a call they do not implement (include/linux/arm-smccc.h) — and what the RMM
returns to a realm for every function id outside SMCCC_VERSION, PSCI and RSI (TF-RMM
runtime/core/exit.c handle_realm_rsi(): ``default: x0 = SMC_UNKNOWN``).

Some calls also fill guest memory: RSI_REALM_CONFIG writes the 4 KiB ``struct realm_config``
at the IPA in x1. ``SmcccAnswers.memory`` holds those bytes per function id, built and read
through the one Construct declaration in pvenum/arm/layouts.py. In platform.toml they are the
named fields of ``[smccc.realm_config]`` (a granule that is mostly zeros and has no signature
cannot be recognised by content as a bundle file, so it is not a separate blob)::

    [smccc]
    "0xc4000190" = [0, 0x10000, 0x10000, 0]   # RSI_VERSION: success, 1.0
    [smccc.realm_config]                      # what RSI_REALM_CONFIG writes (implies success
    ipa_bits = 48                             # when 0xc4000196 itself is not listed)
    hash_algo = "sha256"                      # or 0 / 1 (RSI_HASH_SHA_256 / _512)
    rpv = "hex:00112233"                      # Realm Personalization Value, zero-padded to 64 bytes

The builder functions at the end produce the answers real firmware, hypervisors and the RMM
give (:func:`rsi_version`, :func:`realm_config`, :func:`vendor_uid`, :func:`kvm_features`,
:func:`smccc_version`, :func:`psci_version`), after torvalds/linux include/linux/arm-smccc.h,
arch/arm64/include/asm/rsi_smc.h and drivers/firmware/smccc/kvm_guest.c (versions: docs/sources.md).
"""

from __future__ import annotations

from typing import Any, Iterator, Mapping

from .. import tomlvalues as V
from ..errors import ScenarioError

MASK64 = (1 << 64) - 1

# Return codes (include/linux/arm-smccc.h), held as the 64-bit register value.
SMCCC_RET_SUCCESS = 0
SMCCC_RET_NOT_SUPPORTED = MASK64  # -1
SMCCC_RET_NOT_REQUIRED = MASK64 - 1  # -2
SMCCC_RET_INVALID_PARAMETER = MASK64 - 2  # -3

# Function ids a guest calls while it works out where it runs.
SMCCC_VERSION = 0x80000000
SMCCC_ARCH_FEATURES = 0x80000001
PSCI_VERSION = 0x84000000
PSCI_FEATURES = 0x8400000A  # PSCI_1_0_FN_PSCI_FEATURES (include/uapi/linux/psci.h)
VENDOR_HYP_CALL_UID = 0x8600FF01  # ARM_SMCCC_VENDOR_HYP_CALL_UID_FUNC_ID
VENDOR_HYP_KVM_FEATURES = 0x86000000  # ARM_SMCCC_VENDOR_HYP_KVM_FEATURES_FUNC_ID
RSI_VERSION = 0xC4000190  # SMC_RSI_ABI_VERSION (arch/arm64/include/asm/rsi_smc.h)
RSI_FEATURES = 0xC4000191
RSI_MEASUREMENT_READ = 0xC4000192
RSI_MEASUREMENT_EXTEND = 0xC4000193
RSI_ATTESTATION_TOKEN_INIT = 0xC4000194
RSI_ATTESTATION_TOKEN_CONTINUE = 0xC4000195
RSI_REALM_CONFIG = 0xC4000196
RSI_IPA_STATE_SET = 0xC4000197
RSI_IPA_STATE_GET = 0xC4000198
RSI_HOST_CALL = 0xC4000199
# KVM vendor hypervisor services (include/linux/arm-smccc.h ARM_SMCCC_KVM_FUNC_*): bit numbers
# in the KVM_FEATURES bitmap; the pKVM calls are SMC64 (0xC6000000 | n).
KVM_FUNC_FEATURES, KVM_FUNC_PTP = 0, 1
KVM_FUNC_HYP_MEMINFO, KVM_FUNC_MEM_SHARE, KVM_FUNC_MEM_UNSHARE, KVM_FUNC_MMIO_GUARD = 2, 3, 4, 7
KVM_FUNC_NAMES = {0: "FEATURES", 1: "PTP", 2: "HYP_MEMINFO", 3: "MEM_SHARE", 4: "MEM_UNSHARE", 7: "MMIO_GUARD"}
KVM_HYP_MEMINFO = 0xC6000002
KVM_MEM_SHARE = 0xC6000003
KVM_MEM_UNSHARE = 0xC6000004
KVM_MMIO_GUARD = 0xC6000007

# RSI status codes (arch/arm64/include/asm/rsi_smc.h; RSI_ERROR_DEVICE 5 is RMM 1.1).
RSI_SUCCESS, RSI_ERROR_INPUT, RSI_ERROR_STATE, RSI_INCOMPLETE, RSI_ERROR_UNKNOWN = 0, 1, 2, 3, 4
RSI_STATUS_NAMES = {0: "RSI_SUCCESS", 1: "RSI_ERROR_INPUT", 2: "RSI_ERROR_STATE", 3: "RSI_INCOMPLETE",
                    4: "RSI_ERROR_UNKNOWN", 5: "RSI_ERROR_DEVICE"}
RSI_ACCEPT, RSI_REJECT = 0, 1  # RSI_IPA_STATE_SET x2
# RSI_IPA_STATE_SET x1 is the top of what the call set. One stated answer stands for every call,
# so pvenum reads x1 = 0 as "each range set whole" (top = the range's end: what an RMM returns
# for a range it completes); any other value is returned to every call as it is.
RIPAS_TOP_WHOLE = 0
RSI_ABI_VERSION = 0x10000  # RSI_ABI_VERSION_MAJOR 1, _MINOR 0: what Linux requests

# Vendor hypervisor UIDs as VENDOR_HYP_CALL_UID returns them in x0..x3 (smccc_res_to_uuid()
# packs x0 as UUID bytes 0-3 little-endian, and so on).
UID_KVM = (0xB66FB428, 0xE911C52E, 0x564BCAA9, 0x743A004D)  # ARM_SMCCC_VENDOR_HYP_UID_KVM_REG_* (include/linux/arm-smccc.h)
UID_HYPERV = (0x4D32BA58, 0xCD244764, 0x8EEF6C75, 0x16597024)  # 58ba324d-6447-24cd-756c-ef8e24705916 (arch/arm64/hyperv/mshyperv.c)
UID_GUNYAH = (0xCD8FD5C1, 0xDB5F53A4, 0x36CE6592, 0x145F3D67)  # c1d58fcd-a453-5fdb-9265-ce36673d5f14 (LKML qcom_scm)
UIDS = {UID_KVM: "kvm", UID_HYPERV: "hyperv", UID_GUNYAH: "gunyah"}

FUNCTION_NAMES = {
    SMCCC_VERSION: "SMCCC_VERSION",
    SMCCC_ARCH_FEATURES: "SMCCC_ARCH_FEATURES",
    PSCI_VERSION: "PSCI_VERSION",
    PSCI_FEATURES: "PSCI_FEATURES",
    VENDOR_HYP_CALL_UID: "VENDOR_HYP_CALL_UID",
    VENDOR_HYP_KVM_FEATURES: "VENDOR_HYP_KVM_FEATURES",
    RSI_VERSION: "RSI_VERSION",
    RSI_FEATURES: "RSI_FEATURES",
    RSI_MEASUREMENT_READ: "RSI_MEASUREMENT_READ",
    RSI_MEASUREMENT_EXTEND: "RSI_MEASUREMENT_EXTEND",
    RSI_ATTESTATION_TOKEN_INIT: "RSI_ATTESTATION_TOKEN_INIT",
    RSI_ATTESTATION_TOKEN_CONTINUE: "RSI_ATTESTATION_TOKEN_CONTINUE",
    RSI_REALM_CONFIG: "RSI_REALM_CONFIG",
    RSI_IPA_STATE_SET: "RSI_IPA_STATE_SET",
    RSI_IPA_STATE_GET: "RSI_IPA_STATE_GET",
    RSI_HOST_CALL: "RSI_HOST_CALL",
    KVM_HYP_MEMINFO: "KVM_HYP_MEMINFO",
    KVM_MEM_SHARE: "KVM_MEM_SHARE",
    KVM_MEM_UNSHARE: "KVM_MEM_UNSHARE",
    KVM_MMIO_GUARD: "KVM_MMIO_GUARD",
}

# Memory a call fills in, by the table name platform.toml gives it.
MEMORY_TABLES = {"realm_config": RSI_REALM_CONFIG}

Answer = tuple[int, int, int, int]


def _reg(value: Any, key: str) -> int:
    """A 64-bit register value; negative numbers are SMCCC's signed return codes."""
    return V.fits(value, key, bits=64, signed_ok=True)


def signed(value: int, bits: int = 64) -> int:
    """A register value as the signed number SMCCC return codes are written as; ``bits=32``: the
    C ``int`` a function declared to return one makes of x0 (its low 32 bits)."""
    value &= (1 << bits) - 1
    return value - (1 << bits) if value >> (bits - 1) else value


def _realm_config_from_toml(table: Any, key: str) -> bytes:
    """``[smccc.realm_config]`` → the 4 KiB granule (through pvenum/arm/layouts.py)."""
    from .layouts import FIELD_BITS, HASH_BY_NAME, REALM_CONFIG_FIELDS, RPV_SIZE, build_realm_config

    if not isinstance(table, dict):
        raise ScenarioError("expected a table of realm_config fields", key=key)
    fields: dict[str, Any] = {}
    for name, value in table.items():
        sub = f"{key}.{name}"
        if name not in REALM_CONFIG_FIELDS:
            raise ScenarioError(f"unknown field; struct realm_config has {', '.join(REALM_CONFIG_FIELDS)}", key=sub)
        if name == "rpv":
            fields["rpv"] = _hex_bytes(value, sub, limit=RPV_SIZE)
            continue
        if name == "hash_algo" and isinstance(value, str):
            if value not in HASH_BY_NAME:
                raise ScenarioError(f"expected {' or '.join(HASH_BY_NAME)} or a number", key=sub)
            value = HASH_BY_NAME[value]
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value < 1 << FIELD_BITS[name]:
            raise ScenarioError(f"expected an integer of {FIELD_BITS[name]} bits", key=sub)
        fields[name] = value
    return build_realm_config(fields)


def _hex_bytes(value: Any, key: str, *, limit: int) -> bytes:
    if not isinstance(value, str) or not value.startswith("hex:"):
        raise ScenarioError('expected bytes written as "hex:0011..."', key=key)
    try:
        data = bytes.fromhex(value[4:])
    except ValueError:
        raise ScenarioError("not hexadecimal", key=key) from None
    if len(data) > limit:
        raise ScenarioError(f"{len(data)} bytes; at most {limit}", key=key)
    return data


_UNANSWERED: Answer = (SMCCC_RET_NOT_SUPPORTED, 0, 0, 0)


class SmcccAnswers:
    def __init__(self, answers: Mapping[int, Answer] | None = None, *,
                 memory: Mapping[int, bytes] | None = None) -> None:
        self.answers: dict[int, Answer] = {int(k): tuple(v) for k, v in (answers or {}).items()}  # type: ignore[misc]
        # Memory a call fills in, by function id (RSI_REALM_CONFIG: the 4 KiB realm_config).
        self.memory: dict[int, bytes] = {int(k): bytes(v) for k, v in (memory or {}).items()}

    @classmethod
    def from_toml(cls, table: Any, *, key: str = "smccc") -> "SmcccAnswers":
        if not isinstance(table, dict):
            raise ScenarioError("expected a table of function id -> [x0, x1, x2, x3]", key=key)
        answers: dict[int, Answer] = {}
        memory: dict[int, bytes] = {}
        for k, v in table.items():
            sub = f"{key}.{k}"
            if isinstance(v, dict):
                # [smccc.realm_config] ipa_bits = 48 ... : memory a call writes
                if k not in MEMORY_TABLES:
                    raise ScenarioError(f"unknown table; [smccc] knows {', '.join(MEMORY_TABLES)}", key=sub)
                memory[MEMORY_TABLES[k]] = _realm_config_from_toml(v, sub)
                continue
            try:
                fid = int(k, 0)
            except ValueError:
                raise ScenarioError("expected a function id such as 0xc4000190", key=sub) from None
            if not 0 <= fid <= 0xFFFFFFFF:
                raise ScenarioError("function ids are 32-bit", key=sub)
            if not isinstance(v, list) or not 1 <= len(v) <= 4:
                raise ScenarioError("expected a list [x0, x1, x2, x3]", key=sub)
            regs = [_reg(x, sub) for x in v] + [0] * (4 - len(v))
            answers[fid] = (regs[0], regs[1], regs[2], regs[3])
        for fid in memory:
            # The table is what the call writes when it succeeds: stating it implies success.
            answers.setdefault(fid, (SMCCC_RET_SUCCESS, 0, 0, 0))
        return cls(answers, memory=memory)

    def call(self, fid: int) -> Answer:
        """What the guest reads back in x0..x3; unimplemented calls return NOT_SUPPORTED."""
        return self.answers.get(fid, _UNANSWERED)

    def has(self, fid: int) -> bool:
        return fid in self.answers

    def realm_config(self, *, leading: bool = False) -> dict[str, Any] | None:
        """The realm_config RSI_REALM_CONFIG writes, parsed through the layout (None if unstated);
        ``leading``: only the fields a booting guest reads (ipa_bits, hash_algo)."""
        from .layouts import parse_realm_config  # loads Construct: only when a realm_config is stated

        data = self.memory.get(RSI_REALM_CONFIG)
        return parse_realm_config(data, leading=leading) if data is not None else None

    def merged(self, other: "SmcccAnswers") -> "SmcccAnswers":
        return SmcccAnswers({**self.answers, **other.answers}, memory={**self.memory, **other.memory})

    def memory_tables(self) -> dict[str, dict[str, Any]]:
        """``[smccc.NAME]`` tables: the named fields that are not zero (as platform.toml writes them)."""
        from .layouts import HASH_ALGOS, REALM_CONFIG_FIELDS, RESERVED

        out: dict[str, dict[str, Any]] = {}
        cfg = self.realm_config()
        if cfg is not None:
            table: dict[str, Any] = {}
            for name in REALM_CONFIG_FIELDS:
                value = cfg[name]
                if name == "rpv":
                    if any(value):
                        table["rpv"] = "hex:" + value.rstrip(b"\0").hex()
                elif name == "hash_algo":
                    table[name] = HASH_ALGOS.get(value, value)
                elif value or name == "ipa_bits":
                    table[name] = value
            if any(any(cfg[r]) for r in RESERVED):
                table["reserved_bytes_nonzero"] = True  # not representable in TOML; reported, not written
            out["realm_config"] = table
        return out

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {f"0x{fid:08x}": [signed(x) if i == 0 else x for i, x in enumerate(regs)]
                               for fid, regs in sorted(self.answers.items())}
        out.update(self.memory_tables())
        return out

    def toml_lines(self) -> list[str]:
        """The ``[smccc]`` section of platform.toml (answers, then the memory tables)."""
        lines = ["[smccc]"]
        for fid, regs in sorted(self.answers.items()):
            x0 = signed(regs[0])
            vals = ", ".join([str(x0) if x0 < 0 else f"0x{x0:x}"] + [f"0x{r:x}" for r in regs[1:]])
            lines.append(f'"0x{fid:08x}" = [{vals}]' + (f"  # {FUNCTION_NAMES[fid]}" if fid in FUNCTION_NAMES else ""))
        for name, table in self.memory_tables().items():
            lines += ["", f"[smccc.{name}]"]
            for k, v in table.items():
                if k == "reserved_bytes_nonzero":
                    lines.append("# reserved bytes are not zero; platform.toml cannot state them")
                    continue
                lines.append(f'{k} = "{v}"' if isinstance(v, str) else f"{k} = {v}")
        return lines

    def textconv(self) -> Iterator[str]:
        for fid, regs in sorted(self.answers.items()):
            name = FUNCTION_NAMES.get(fid, "")
            yield f"smccc 0x{fid:08x} {name} = " + " ".join(f"0x{x:x}" for x in regs)
        for name, table in self.memory_tables().items():
            fid = MEMORY_TABLES[name]
            for k, v in table.items():
                yield f"smccc 0x{fid:08x} {name}.{k} = {v}"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, SmcccAnswers) and self.answers == other.answers and self.memory == other.memory

    def __repr__(self) -> str:
        return f"SmcccAnswers({len(self.answers)} calls)"


# -- the builder side: what real firmware, hypervisors and the RMM answer -----------------------


def version_word(major: int, minor: int) -> int:
    """SMCCC_VERSION / PSCI_VERSION / RSI revision encoding: major[30:16] | minor[15:0]."""
    if not 0 <= major < 1 << 15 or not 0 <= minor < 1 << 16:
        raise ScenarioError(f"version {major}.{minor} does not fit major[30:16].minor[15:0]")
    return major << 16 | minor


def smccc_version(major: int = 1, minor: int = 2) -> Answer:
    """SMCCC_VERSION (0x80000000): x0 = version (arm_smccc_version_init())."""
    return (version_word(major, minor), 0, 0, 0)


def psci_version(major: int = 1, minor: int = 1) -> Answer:
    """PSCI_VERSION (0x84000000): x0 = version (psci_probe() prints "PSCIv%d.%d detected")."""
    return (version_word(major, minor), 0, 0, 0)


def rsi_version(major: int = 1, minor: int = 0, *, higher: tuple[int, int] | None = None,
                status: int = RSI_SUCCESS) -> Answer:
    """RSI_VERSION (0xC4000190): x0 status, x1 lower and x2 higher implemented revision.
    The RMM answers RSI_ERROR_INPUT (with its range) when it does not implement the requested
    revision; ``status`` may also be SMCCC_RET_NOT_SUPPORTED (outside a realm, or hidden)."""
    lower = version_word(major, minor)
    high = version_word(*higher) if higher is not None else lower
    return (status & MASK64, lower, high, 0)


def rsi_features(reg0: int = 0) -> Answer:
    """RSI_FEATURES(0): x1 = feature register 0 (bit0 DA, bit1 MRO, bit2 ATS — RMM 1.1)."""
    return (RSI_SUCCESS, reg0, 0, 0)


def realm_config(ipa_bits: int, hash_algo: int | str = 0, *, rpv: bytes = b"", num_aux_planes: int = 0,
                 gicv3_vtr: int = 0, ats_plane: int = 0) -> bytes:
    """The 4 KiB struct realm_config the RMM writes for RSI_REALM_CONFIG."""
    from .layouts import HASH_BY_NAME, build_realm_config

    algo = HASH_BY_NAME[hash_algo] if isinstance(hash_algo, str) else hash_algo
    return build_realm_config({"ipa_bits": ipa_bits, "hash_algo": algo, "rpv": rpv,
                               "num_aux_planes": num_aux_planes, "gicv3_vtr": gicv3_vtr, "ats_plane": ats_plane})


def uuid_regs(text: str) -> Answer:
    """A UUID as VENDOR_HYP_CALL_UID returns it: x0 = bytes 0-3 little-endian, … (the inverse of
    smccc_res_to_uuid() in include/linux/arm-smccc.h)."""
    import uuid

    b = uuid.UUID(text).bytes
    return tuple(int.from_bytes(b[i:i + 4], "little") for i in range(0, 16, 4))  # type: ignore[return-value]


def regs_uuid(regs: Answer) -> str:
    """smccc_res_to_uuid(): x0..x3 (low 32 bits each) → the UUID text."""
    import uuid

    return str(uuid.UUID(bytes=b"".join((r & 0xFFFFFFFF).to_bytes(4, "little") for r in regs)))


def vendor_uid(name: str) -> Answer:
    """VENDOR_HYP_CALL_UID (0x8600FF01) as hypervisor ``name`` ("kvm", "hyperv", "gunyah") answers it."""
    for regs, who in UIDS.items():
        if who == name:
            return regs
    raise ScenarioError(f"no vendor hypervisor UID known for {name!r}; known: {', '.join(UIDS.values())}")


def kvm_features(*funcs: int) -> Answer:
    """KVM_FEATURES (0x86000000): a 128-bit bitmap of ARM_SMCCC_KVM_FUNC_* over x0..x3 (32 bits
    each; kvm_init_hyp_services() takes lower_32_bits of every register)."""
    regs = [0, 0, 0, 0]
    for f in (KVM_FUNC_FEATURES, *funcs):
        if not 0 <= f < 128:
            raise ScenarioError(f"KVM function {f} is outside the 128-bit bitmap")
        regs[f // 32] |= 1 << (f % 32)
    return (regs[0], regs[1], regs[2], regs[3])


def not_supported() -> Answer:
    return (SMCCC_RET_NOT_SUPPORTED, 0, 0, 0)
