"""The ``linux`` model: what upstream Linux concludes (x86: linux_x86, arm64: linux_arm64),
followed on both arches by the cross-channel rules (pvenum/resolver/crosschannel.py)."""

from __future__ import annotations

import importlib

from ...platform import Platform
from .. import crosschannel
from ..derivation import Derivation
from ..engine import Ctx, Rule, State, run

MIRRORS = "torvalds/linux mainline (mid-2026 tree; files and commits read: docs/sources.md)"


def _no_model(module: str) -> Rule:
    def apply(ctx: Ctx, state: State) -> str:
        state.d.mode = "indeterminate"
        ctx.finding("warning", "linux.model-missing",
                    f"this pvenum has no {module} rules: the Linux model cannot resolve a {ctx.p.arch} platform")
        return "indeterminate: no rules for this architecture"

    return Rule(f"linux.{module}.missing", f"pvenum/resolver/models/{module}.py (not present)",
                "Linux rules for this architecture", apply)


def derive(platform: Platform) -> Derivation:
    module = "linux_arm64" if platform.arch == "arm64" else "linux_x86"
    name = f"{__package__}.{module}"
    try:
        mod = importlib.import_module(name)
    except ModuleNotFoundError as err:
        if err.name != name:
            raise  # a broken import inside the module is a bug, not a missing model
        rules, final = (), _no_model(module)
    else:
        rules, final = tuple(mod.RULES), mod.FINAL
    return run(rules + crosschannel.RULES, platform, Derivation("linux", mirrors=MIRRORS), final=final)
