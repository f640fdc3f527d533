"""SMCCC answers: what an Arm guest gets back from the SMC/HVC calls it makes at boot.

``SmcccAnswers`` maps a function id to the four result registers x0..x3. A function absent
from the map answers SMCCC_RET_NOT_SUPPORTED (-1), which is what firmware and hypervisors
return for a call they do not implement (include/linux/arm-smccc.h).
"""

from __future__ import annotations

from typing import Any, Iterator, Mapping

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
VENDOR_HYP_CALL_UID = 0x8600FF01  # ARM_SMCCC_VENDOR_HYP_CALL_UID_FUNC_ID
VENDOR_HYP_KVM_FEATURES = 0x86000000  # ARM_SMCCC_VENDOR_HYP_KVM_FEATURES_FUNC_ID
RSI_VERSION = 0xC4000190  # SMC_RSI_ABI_VERSION (arch/arm64/include/asm/rsi_smc.h)
RSI_FEATURES = 0xC4000191
RSI_REALM_CONFIG = 0xC4000196
RSI_HOST_CALL = 0xC4000199

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
    VENDOR_HYP_CALL_UID: "VENDOR_HYP_CALL_UID",
    VENDOR_HYP_KVM_FEATURES: "VENDOR_HYP_KVM_FEATURES",
    RSI_VERSION: "RSI_VERSION",
    RSI_FEATURES: "RSI_FEATURES",
    RSI_REALM_CONFIG: "RSI_REALM_CONFIG",
    RSI_HOST_CALL: "RSI_HOST_CALL",
}

Answer = tuple[int, int, int, int]


def _reg(value: Any, key: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ScenarioError(f"expected integers, got {type(value).__name__}", key=key)
    if not -(1 << 63) <= value <= MASK64:
        raise ScenarioError(f"{value} does not fit in a 64-bit register", key=key)
    return value & MASK64


def signed(value: int) -> int:
    """A 64-bit register value as the signed number SMCCC return codes are written as."""
    return value - (1 << 64) if value & (1 << 63) else value


class SmcccAnswers:
    def __init__(self, answers: Mapping[int, Answer] | None = None, *, extras: Mapping[str, Any] | None = None) -> None:
        self.answers: dict[int, Answer] = {int(k): tuple(v) for k, v in (answers or {}).items()}  # type: ignore[misc]
        # Extra per-call data a guest reads from memory, e.g. RSI_REALM_CONFIG's ipa_bits.
        self.extras: dict[str, Any] = dict(extras or {})

    @classmethod
    def from_toml(cls, table: Any, *, key: str = "smccc") -> "SmcccAnswers":
        if not isinstance(table, dict):
            raise ScenarioError("expected a table of function id -> [x0, x1, x2, x3]", key=key)
        answers: dict[int, Answer] = {}
        extras: dict[str, Any] = {}
        for k, v in table.items():
            sub = f"{key}.{k}"
            if isinstance(v, dict):
                # [smccc.realm_config] ipa_bits = 48 ... : memory a call points at
                extras[k] = dict(v)
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
        return cls(answers, extras=extras)

    def call(self, fid: int) -> Answer:
        """What the guest reads back in x0..x3; unimplemented calls return NOT_SUPPORTED."""
        return self.answers.get(fid, (SMCCC_RET_NOT_SUPPORTED, 0, 0, 0))

    def has(self, fid: int) -> bool:
        return fid in self.answers

    def merged(self, other: "SmcccAnswers") -> "SmcccAnswers":
        return SmcccAnswers({**self.answers, **other.answers}, extras={**self.extras, **other.extras})

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {f"0x{fid:08x}": [signed(x) if i == 0 else x for i, x in enumerate(regs)]
                               for fid, regs in sorted(self.answers.items())}
        out.update(self.extras)
        return out

    def textconv(self) -> Iterator[str]:
        for fid, regs in sorted(self.answers.items()):
            name = FUNCTION_NAMES.get(fid, "")
            yield f"smccc 0x{fid:08x} {name} = " + " ".join(f"0x{x:x}" for x in regs)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, SmcccAnswers) and self.answers == other.answers and self.extras == other.extras

    def __repr__(self) -> str:
        return f"SmcccAnswers({len(self.answers)} calls)"
