"""The ``linux`` model: what upstream Linux concludes (x86: linux_x86, arm64: linux_arm64)."""

from __future__ import annotations

import importlib

from ...platform import Platform
from ..derivation import Derivation
from ..engine import run

MIRRORS = "torvalds/linux mainline (mid-2026 tree; see shared/reference)"


def derive(platform: Platform) -> Derivation:
    module = "linux_arm64" if platform.arch == "arm64" else "linux_x86"
    mod = importlib.import_module(f"{__package__}.{module}")
    return run(mod.RULES, platform, Derivation("linux", mirrors=MIRRORS), final=mod.FINAL)
