"""Rich rendering of small artifacts (platform.toml) and of derivations."""

from __future__ import annotations

from typing import Any

from rich.console import Group
from rich.table import Table
from rich.text import Text

from . import num_text

MODE_STYLE = {
    "not-confidential": "dim",
    "enlightened": "green",
    "paravisor": "cyan",
    "confidential": "yellow",
    "conflict": "bold red",
    "indeterminate": "magenta",
}
SEVERITY_STYLE = {"error": "bold red", "warning": "yellow", "info": "dim"}


def render_platform_toml(art: Any, *, bits: bool = False) -> Table:
    from ..cpuid.decode import msr_summary  # here: a resolve's table render does not need the decoder

    t = Table(title=f"{art.path} — platform.toml", title_justify="left")
    t.add_column("key", style="cyan")
    t.add_column("value")
    t.add_row("arch", str(art.arch))
    for k, v in sorted((art.msr or {}).items()):  # values are numbers and declared names: no markup
        summary = msr_summary(k, v)
        t.add_row(f"msr 0x{k:08x}", f"0x{v:x}" + (f" ({summary})" if summary else ""))
    if art.snp is not None:
        for k, v in art.snp.to_dict().items():
            t.add_row(f"snp.{k}", num_text(v))
    if getattr(art, "tdx", None) is not None:
        for k, v in art.tdx.to_dict().items():
            t.add_row(f"tdx.{k}", num_text(v))
    if art.smccc is not None:
        for line in art.smccc.textconv():
            t.add_row("smccc", Text(line.removeprefix("smccc ")))
    return t


def mode_text(mode: str) -> Text:
    return Text(mode, style=MODE_STYLE.get(mode, ""))


def render_derivations(target: str, arch: str, derivations: dict[str, Any], *, explain: bool = False) -> Group:
    table = Table(title=f"{target} ({arch})", title_justify="left")
    table.add_column("model", style="bold")
    table.add_column("mode")
    table.add_column("isolation")
    table.add_column("hypervisor")
    table.add_column("memory")
    table.add_column("attestation")
    table.add_column("tdisp")
    table.add_column("vtpm")
    table.add_column("output")
    for name, d in derivations.items():
        svc = d.services
        out = d.output
        if isinstance(out, dict):
            out = ", ".join(f"{k}={v}" for k, v in out.items() if k in ("cc_vendor", "is_realm_world", "state", "stops") and v)
        elif isinstance(out, list):
            out = ", ".join(out) or "(nothing)"
        table.add_row(
            name, mode_text(d.mode), d.isolation, d.hypervisor, d.memory_acceptance,
            *(Text(svc[k].via or "-") for k in ("attestation", "tdisp", "vtpm")), Text(str(out)),
        )
    parts: list[Any] = [table]
    findings = [(name, f) for name, d in derivations.items() for f in d.findings]
    if findings:
        ft = Table(title="findings", title_justify="left")
        ft.add_column("model")
        ft.add_column("severity")
        ft.add_column("code")
        ft.add_column("message")
        for name, f in findings:
            ft.add_row(name, Text(f.severity, style=SEVERITY_STYLE.get(f.severity, "")), f.code, Text(f.message))
        parts.append(ft)
    if explain:
        for name, d in derivations.items():
            parts.append(render_trace(name, d))
    return Group(*parts)


def render_trace(name: str, d: Any) -> Text:
    """Rule by rule, as plain indented lines (pastes into a mail or a review as it is)."""
    out = Text()
    out.append(f"{name}: rule by rule — mirrors {d.mirrors}\n", style="bold")
    for i, step in enumerate(d.trace, 1):
        out.append(f"{i:>2}. {step.rule}", style="bold")
        out.append(f"  [{step.cite}]\n", style="dim")
        for ev in step.inputs:
            out.append(f"      {ev.source} = {ev.display_value()}")
            if ev.name:
                out.append(f"   ({ev.name})", style="dim")
            out.append("\n")
        if step.conclusion:
            out.append(f"    → {step.conclusion}\n", style=MODE_STYLE.get(step.conclusion.split(":")[0], "cyan"))
    return out
