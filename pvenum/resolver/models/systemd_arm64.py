"""``systemd-detect-virt --cvm`` on arm64.

systemd src/basic/confidential-virt.c, ``detect_confidential_virtualization_impl()``:

- v258 and later (PR #35984 "confidential-virt: add detection for aarch64 CCA", opened
  2025-01-13, after v257 was released on 2024-12-10): ``access("/sys/devices/platform/arm-cca-dev",
  F_OK)`` — present means "cca", absent "none". Nothing else is read.
- v257 (Debian 13's 257.13, whose confidential-virt.c pvenum's crosscheck fetches: it has no
  aarch64 branch): the ``#else`` branch, "No confidential virtualization detection on this
  architecture" — always "none".

The device exists iff Linux registered it: arch/arm64/kernel/rsi.c arm64_create_dummy_rsi_dev()
registers platform device RSI_PDEV_NAME "arm-cca-dev" when is_realm_world(), i.e. when
arm64_rsi_init() got through (SMC conduit, RSI_VERSION, RSI_REALM_CONFIG, RIPAS_RAM). The rule
derives it from the same RSI facts the linux model reads (pvenum/resolver/arm.py rsi_init()).
Checked against Debian's arm64 systemd 262.1-1 (``make crosscheck``, crosscheck/aarch64.py: the
shipped systemd-detect-virt run under qemu-aarch64 with /sys/devices/platform a private tmpfs): it
prints "cca" and exits 0 when the directory exists, "none" and exits 1 when not, and looks at no
other path. Debian's 7.3 kernel registers the device on the realm scenarios and not elsewhere, as
derived here (``make kernelcheck``, tests/data/kernelcheck/7.3-arm64-*.log). That v258 is the
first release with the check is inferred from the dates (UNVERIFIED:
the Debian archive serves no 258..261 to run); an unmerged 2025 kernel series that drops the
platform device for an SMCCC auxiliary device would turn the answer back to "none" (its cover
letter says so).
"""

from __future__ import annotations

from .. import arm
from ..engine import Ctx, Rule, State

CCA_VERSION = 258  # first systemd release with the aarch64 branch (PR #35984)
_SYSFS_SOURCE = f"sysfs {arm.RSI_PDEV_SYSFS}"  # evidence source, built once
SRC = "systemd/systemd src/basic/confidential-virt.c: detect_confidential_virtualization_impl() (aarch64)"


def detect_cca(ctx: Ctx, state: State) -> str | None:
    version = state.m.version  # systemd.derive() seeds it
    r = arm.rsi_init(ctx)
    if r.missing:
        state.m.missing = r.missing
        state.stop = True
        return f"cannot tell whether Linux registered arm-cca-dev: missing {r.missing}"
    present = bool(r.realm) and r.stopped is None
    ctx.note(_SYSFS_SOURCE, present,
             name="registered by arm64_create_dummy_rsi_dev() iff is_realm_world() (arch/arm64/kernel/rsi.c)")
    if version < CCA_VERSION:
        state.m.word = "none"
        state.stop = True
        if present:
            ctx.finding("info", "systemd.arm64-no-cca-detection",
                        f"systemd v{version} has no aarch64 detection (\"No confidential virtualization detection on "
                        f"this architecture\"): it prints \"none\" in this realm; v{CCA_VERSION}+ checks "
                        f"{arm.RSI_PDEV_SYSFS} and prints \"cca\"")
        return f"\"none\": v{version} has no aarch64 branch"
    state.m.word = "cca" if present else "none"
    state.stop = True
    return f"\"{state.m.word}\": access(\"{arm.RSI_PDEV_SYSFS}\") " + ("succeeds" if present else "fails")


RULES = (
    Rule("systemd.arm64.cca", SRC + "; torvalds/linux arch/arm64/kernel/rsi.c: arm64_rsi_init(), "
         "arm64_create_dummy_rsi_dev()", "Arm CCA: does /sys/devices/platform/arm-cca-dev exist?", detect_cca),
)
