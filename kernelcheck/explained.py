"""Disagreements between a booted kernel and the linux model that are understood, with why.
docs/kernelcheck.md prints the reason next to the boot; tests/test_observe.py accepts exactly
these and no other difference."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Explained:
    scenarios: tuple[str, ...]
    releases: tuple[str, ...]  # kernel releases it applies to ("*" = any)
    fields: tuple[str, ...]
    why: str


EXPLAINED = (
    Explained(("arm64-xen",), ("*",), ("boot",),
              "neither QEMU nor the firmware stub is Xen: the kernel finds the DT /hypervisor node "
              "(\"Xen 4.17 support found\"), its first hypercalls (HVC #0xEA1) answer NOT_SUPPORTED and "
              "xen_guest_init() stops at a BUG() (arch/arm/xen/enlighten.c); the model assumes a working Xen "
              "behind the node"),
)


def why(scenario: str | None, release: str, field: str) -> str | None:
    for e in EXPLAINED:
        if scenario in e.scenarios and ("*" in e.releases or release in e.releases) and field in e.fields:
            return e.why
    return None
