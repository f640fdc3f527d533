"""The main job's matrix: scenarios × guest models, as data, rich, Markdown and JSON."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..resolver.registry import MODELS
from .markdown import md_text

if TYPE_CHECKING:  # pragma: no cover
    from ..kconfig import KernelConfig


@dataclass
class Row:
    name: str
    description: str
    arch: str
    cells: dict[str, dict[str, Any]]
    findings: list[dict[str, Any]] = field(default_factory=list)
    # The configuration the row's linux kernel was built with (--kernel-config, else the entry's
    # own kernel.config), None for the assumed kernel: shown with the row, since it decides cells.
    kernel_config: "KernelConfig | None" = None

    @property
    def disagree(self) -> bool:
        """Models reach different conclusions about the same platform.

        "confidential" (systemd, virt-what without hyperv-hcl) cannot say who is in charge, so
        it only disagrees with "enlightened"/"paravisor" on confidential-or-not and isolation;
        two models that can say who is in charge disagree when they say it differently."""
        cls = {"not-confidential": "no", "enlightened": "cc", "paravisor": "cc", "confidential": "cc"}
        modes = [c["mode"] for c in self.cells.values()]
        if len({cls.get(m, m) for m in modes}) > 1:
            return True
        if len({m for m in modes if m in ("enlightened", "paravisor")}) > 1:
            return True
        return len({c["isolation"] for c in self.cells.values() if cls.get(c["mode"]) == "cc"}) > 1

    @property
    def cells_differ(self) -> bool:
        """Any two cells read differently (mode, isolation, memory acceptance, attestation, TDISP)."""
        return len({cell_text(c) for c in self.cells.values()}) > 1


def cell(d: Any) -> dict[str, Any]:
    """One derivation as a matrix cell (also each model's entry in `pvenum audit`)."""
    return d.summary() | {"hypervisor": d.hypervisor}


def build_rows(scenarios: list[Any], models: list[str] | None = None, *, kernel_config: "KernelConfig | None" = None) -> list[Row]:
    """One row per entry: anything with ``name``, ``description``, ``arch`` and ``platform()``
    (a bundled or user scenario, a bundle directory, a single capture), and maybe the
    ``kernel_config`` it carries; ``models`` picks the columns (default: every model);
    ``kernel_config`` (pvenum.kconfig), given, builds every row's linux kernel."""
    from ..resolver.registry import resolve_all

    rows = []
    for sc in scenarios:
        config = kernel_config if kernel_config is not None else getattr(sc, "kernel_config", None)
        ds = resolve_all(sc.platform(), models or None, kernel_config=config)
        cells = {m: cell(d) for m, d in ds.items()}
        findings = []
        seen = set()
        for m, d in ds.items():
            for f in d.findings:
                if f.severity == "info" or (f.code, f.message) in seen:
                    continue
                seen.add((f.code, f.message))
                findings.append({"model": m, **f.to_dict()})
        rows.append(Row(sc.name, sc.description, sc.arch, cells, findings, config))
    return rows


def to_json(rows: list[Row]) -> list[dict[str, Any]]:
    """Each row as `pvenum --json` prints it; ``"kernel_config"`` (as `resolve --json` names it)
    only on a row whose linux kernel a configuration built."""
    out = []
    for r in rows:
        row = {"scenario": r.name, "description": r.description, "arch": r.arch, "models_disagree": r.disagree,
               "models": r.cells, "findings": r.findings}
        if r.kernel_config is not None:
            row["kernel_config"] = r.kernel_config.to_json()
        out.append(row)
    return out


def _config_line(config: "KernelConfig") -> str:
    """The line under a row's name naming the configuration its linux kernel was built with."""
    return f"kernel config: {config.label()}"


def _mark(b: bool) -> str:
    return "yes" if b else "-"


def _details(c: dict[str, Any]) -> str:
    """A cell below its mode: isolation, memory acceptance, attestation, TDISP."""
    return (f"{c['isolation']} · mem {c['memory_acceptance']}\n"
            f"att {_mark(c['attestation'])} · tdisp {_mark(c['tdisp'])}")


def cell_text(c: dict[str, Any]) -> str:
    return f"{c['mode']}\n{_details(c)}"


def to_rich(rows: list[Row]) -> Any:
    from rich.console import Group
    from rich.table import Table
    from rich.text import Text

    from .render import SEVERITY_STYLE, mode_text

    t = Table(title="scenarios × guest models (mode; isolation · memory acceptance; attestation · TDISP)",
              title_justify="left", show_lines=True)
    t.add_column("scenario", style="bold", max_width=34, overflow="fold")
    models = _columns(rows)
    for m in models:
        t.add_column(m, overflow="fold")
    for r in rows:
        name = Text(r.name, style="bold yellow" if r.disagree else "bold")
        if r.disagree:
            name.append("\nmodels disagree", style="yellow")
        if r.kernel_config is not None:
            # One piece per line: the column is narrow, and a folded hash would not be found.
            name.append("\n" + _config_line(r.kernel_config).replace(", ", "\n"), style="dim")
        cells = []
        # Disagreeing cells are underlined against the proposal (or the last column shown).
        ref_mode = r.cells.get("proposal", r.cells[models[-1]])["mode"] if models else ""
        for m in models:
            c = r.cells[m]
            txt = mode_text(c["mode"])
            if r.disagree and c["mode"] != ref_mode:
                txt.stylize("underline")
            txt.append("\n" + _details(c))
            cells.append(txt)
        t.add_row(name, *cells)
    ft = Table(title="findings (errors and warnings)", title_justify="left")
    ft.add_column("scenario")
    ft.add_column("model")
    ft.add_column("severity")
    ft.add_column("message")
    for r in rows:
        for f in r.findings:
            ft.add_row(r.name, f["model"], Text(f["severity"], style=SEVERITY_STYLE.get(f["severity"], "")),
                       Text(f"[{f['code']}] {f['message']}"))
    return Group(t, ft)


def _columns(rows: list[Row]) -> list[str]:
    return list(rows[0].cells) if rows else list(MODELS)


def to_markdown(rows: list[Row]) -> str:
    models = _columns(rows)
    lines = ["| scenario | " + " | ".join(models) + " |", "|---|" + "---|" * len(models)]
    for r in rows:
        name = f"**{r.name}** ⚠️ models disagree" if r.disagree else f"**{r.name}**"
        if r.kernel_config is not None:
            name += f"<br>{md_text(_config_line(r.kernel_config))}"  # its header comes from the file
        cells = [cell_text(r.cells[m]).replace("\n", "<br>") for m in models]
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    lines += ["", "Findings (errors and warnings):", ""]
    for r in rows:
        for f in r.findings:
            lines.append(f"- `{r.name}` ({f['model']}, {f['severity']}) `{f['code']}`: {f['message']}")
    return "\n".join(lines) + "\n"
