"""Arm facts several models share: the SMCCC conduit, RSI and the vendor hypervisor UID.

Sources: torvalds/linux drivers/firmware/psci/psci.c (psci_dt_init/psci_acpi_init set the
conduit), drivers/firmware/smccc/smccc.c (arm_smccc_1_1_get_conduit, arm_smccc_hypervisor_has_uuid),
arch/arm64/kernel/rsi.c (arm64_rsi_init), include/linux/arm-smccc.h (UIDs); facts in
shared/reference/arm-acpi-enumeration.md §2–§3.
"""

from __future__ import annotations

from ..arm import smccc as S
from .engine import Ctx

UIDS = S.UIDS

RSI_ABI_VERSION = 0x10000  # 1.0 (arch/arm64/include/asm/rsi_smc.h)


def conduit(ctx: Ctx) -> str | None:
    """"smc", "hvc", "none", or None when neither /psci (DT) nor the FADT says."""
    if ctx.p.fdt is not None:
        method = ctx.dt_prop("/psci", "method", name="PSCI conduit (psci_dt_init)")
        if method in ("smc", "hvc"):
            return method
        if ctx.p.acpi is None:
            return "none"
    if ctx.p.acpi is not None and ctx.p.acpi.get("FACP") is not None:
        flags = ctx.acpi_field("FACP", "ArmBootFlags", name="ACPI_FADT_PSCI_COMPLIANT | PSCI_USE_HVC (psci_acpi_init)")
        if isinstance(flags, int):
            if not flags & 1:
                return "none"
            return "hvc" if flags & 2 else "smc"
    return None


def smccc_version(ctx: Ctx) -> int:
    """SMCCC_VERSION (arm_smccc_version_init); unanswered means the platform did not say, and
    every SMCCC 1.1+ firmware answers it, so 1.1 is assumed and recorded as such."""
    if ctx.p.smccc is not None and ctx.p.smccc.has(S.SMCCC_VERSION):
        v = ctx.smccc(S.SMCCC_VERSION, 0, name="SMCCC_VERSION")
        if v is not None and v >> 63:
            return 0x10000  # NOT_SUPPORTED: SMCCC 1.0
        return v or 0x10000
    ctx.note("smccc 0x80000000.x0 (assumed)", 0x10001, name="SMCCC_VERSION not in [smccc]; 1.1 assumed")
    return 0x10001


def rsi_version(ctx: Ctx) -> tuple[int, int | None]:
    """RSI_VERSION (0xc4000190) → (x0 status, x1 lower implemented revision)."""
    status = ctx.smccc(S.RSI_VERSION, 0, name="SMC_RSI_ABI_VERSION status")
    if status is None:
        return S.SMCCC_RET_NOT_SUPPORTED, None
    lower = ctx.smccc(S.RSI_VERSION, 1, name="RSI lower implemented revision") if status == 0 else None
    return status, lower


def vendor_uid(ctx: Ctx) -> str | None:
    if ctx.p.smccc is None or not ctx.p.smccc.has(S.VENDOR_HYP_CALL_UID):
        ctx.note("smccc 0x8600ff01", None, name="VENDOR_HYP_CALL_UID not answered")
        return None
    regs = tuple(ctx.smccc(S.VENDOR_HYP_CALL_UID, i, name=f"vendor hyp UID word {i}") for i in range(4))
    return UIDS.get(regs, "unknown")  # type: ignore[arg-type]


def own_realm(ctx: Ctx) -> bool | None:
    """arm64_rsi_init(): SMC conduit and RSI_VERSION success. None when the conduit is unknown."""
    c = conduit(ctx)
    if c is None:
        return None
    if c != "smc" or smccc_version(ctx) < 0x10001:
        return False
    status, _ = rsi_version(ctx)
    return status == 0
