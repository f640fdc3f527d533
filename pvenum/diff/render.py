"""A :class:`~pvenum.diff.compare.DiffResult` for people and scripts: rich (side by side when
the console is wide enough, else stacked), Markdown for review comments, JSON, and HTML/SVG
through rich's export of the same rendering the terminal shows."""

from __future__ import annotations

import io
import json
import re
from typing import Any, TypeVar

from ..report import num_text
from ..report.markdown import md_code, md_text
from .compare import DiffResult, FieldChange, unchanged_text

SIDE_BY_SIDE_MIN = 100  # columns: below this the rich view stacks A over B
MAX_CELL = 160  # characters shown of a side's name in a column heading (values are never cut)
EXPORT_WIDTH = 140


# -- values ---------------------------------------------------------------------------------


def value_text(v: Any) -> str:
    """A derived or raw value as one line of text."""
    if v is None:
        return "(absent)"
    if isinstance(v, int):
        return num_text(v)
    if isinstance(v, (list, tuple)):
        return "; ".join(value_text(x) for x in v) if v else "(none)"
    if isinstance(v, dict):
        return json.dumps(v, sort_keys=True, default=str)
    return " ".join(str(v).split()) if "\n" in str(v) else str(v)


def derived_text(v: Any) -> str:
    return "-" if v is None else value_text(v)


def _clip(text: str, limit: int = MAX_CELL) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


_Row = TypeVar("_Row")


def _limited(rows: list[_Row], max_rows: int) -> tuple[list[_Row], int]:
    if max_rows and len(rows) > max_rows:
        return rows[:max_rows], len(rows) - max_rows
    return rows, 0


# -- rich --------------------------------------------------------------------------------------


def to_rich(result: DiffResult, *, width: int, max_rows: int = 200, only_derived: bool = False) -> Any:
    from rich.console import Group
    from rich.table import Table
    from rich.text import Text

    side = width >= SIDE_BY_SIDE_MIN
    parts: list[Any] = []
    title = Text("pvenum diff ", style="bold")
    title.append(result.a.name, style="red")
    title.append(" → ")
    title.append(result.b.name, style="green")
    title.append(f"   ({_kind_text(result)})", style="dim")
    parts.append(title)
    parts.append(Text(result.summary(only_derived=only_derived)))

    def value(v: Any, style: str, derived: bool = False) -> Text:
        if v is None:
            return Text("-" if derived else "(absent)", style="dim italic")
        return Text(derived_text(v) if derived else value_text(v), style=style)  # whole: the table wraps it

    def table(title: str, rows: list[tuple[str, ...] | tuple[Any, ...]], lead: list[str]) -> Any:
        if side:
            heads = [*lead, _clip(f"A: {result.a.name}", 40), _clip(f"B: {result.b.name}", 40)]
            widths = column_widths(heads, [[str(c) for c in r] for r in rows], len(lead), width)
            # Every string becomes Text: names come from the inputs and must never be read as markup.
            t = Table(title=Text(title), title_justify="left", title_style="bold", expand=False, show_lines=False)
            for i, (name, w) in enumerate(zip(heads, widths)):
                style = ("cyan" if name == "field" else "bold") if i < len(lead) else None
                t.add_column(Text(name), style=style, overflow="fold", width=w)
            for row in rows:
                t.add_row(*(_text(c) for c in row))
            return t
        lines: list[Any] = [Text(title, style="bold")]
        for row in rows:
            *keys, a, b = row
            lines.append(Text(" ".join(str(k) for k in keys if k), style="cyan"))
            grid = Table.grid()  # a hanging indent: wrapped values stay right of "A: "
            grid.add_column(no_wrap=True)
            grid.add_column(overflow="fold")
            grid.add_row(Text("  A: ", style="red"), _text(a))
            grid.add_row(Text("  B: ", style="green"), _text(b))
            lines.append(grid)
        return Group(*lines)

    # derived
    if result.models:
        rows = []
        for model in result.models:
            for ch in result.derived.get(model, []):
                rows.append((model, ch.field, value(ch.a, "red", True), value(ch.b, "green", True)))
        if rows:
            parts.append(table("derived changes", rows, ["model", "field"]))
        frows = []
        for model, f in result.findings.items():
            for change, style in (("new", "green"), ("vanished", "red")):
                for item in f[change]:
                    frows.append((model, Text(change, style=style), item["severity"], item["code"], item["message"]))
        if frows and not side:
            lines = [Text("findings", style="bold")]
            for model, change, severity, code, message in frows:
                lines.append(Text(f"{model} ").append(change).append(f" {severity} {code}"))
                lines.append(Text(f"  {message}"))
            parts.append(Group(*lines))
        elif frows:
            ft = Table(title="findings", title_justify="left", title_style="bold")
            for col in ("model", "change", "severity"):
                ft.add_column(col, no_wrap=True)
            ft.add_column("code", overflow="fold")
            ft.add_column("message", overflow="fold")
            for r in frows:
                ft.add_row(*(_text(c) for c in r))
            parts.append(ft)

    # raw
    if not only_derived:
        read = result.read_changes()
        if read:
            shown_read, more = _limited(read, max_rows)
            rows = [(Text(ch.field, style="bold cyan"), ", ".join(ch.read_by), value(ch.a, "red"), value(ch.b, "green"))
                    for _, ch in shown_read]
            parts.append(table("changed fields the models read", rows, ["field", "read by"]))
            if more:
                parts.append(Text(f"… and {more} more changed fields the models read (--max-rows 0 shows all; "
                                  "--format json has all)", style="dim"))
        for channel, changes in result.raw.items():
            if not changes:
                continue
            shown, more = _limited(changes, max_rows)
            rows = [(Text(ch.field, style="bold cyan" if ch.read_by else "cyan"), value(ch.a, "red"),
                     value(ch.b, "green")) for ch in shown]
            head = f"{channel}: {len(changes)} changed, {result.unchanged.get(channel, 0)} unchanged"
            parts.append(table(head, rows, ["field"]))
            parts.extend(asl_rich(ch) for ch in shown if ch.asl_diff or ch.asl_note)
            if more:
                parts.append(Text(f"… and {more} more {channel} changes (--max-rows 0 shows all; --format json has all)",
                                  style="dim"))
        if result.raw_count():
            parts.append(Text(unchanged_text(result.unchanged), style="dim"))
    for note in result.notes:
        parts.append(Text(f"note: {note}", style="yellow"))
    return Group(*parts)


ASL_STYLE = {"+": "green", "-": "red", "@": "cyan"}


def asl_rich(ch: FieldChange) -> Any:
    """A changed DSDT/SSDT as a unified diff of its ASL, coloured line by line (HTML/SVG
    export keeps the colours)."""
    from rich.text import Text

    out = Text(f"{ch.field} as ASL (iasl -d, normalised)\n", style="bold")
    if not ch.asl_diff:
        return out.append(f"  {ch.asl_note}", style="yellow")
    for line in ch.asl_diff:
        style = "bold" if line.startswith(("+++", "---")) else ASL_STYLE.get(line[:1], "")
        out.append(line + "\n", style=style)
    out.rstrip()
    return out


def column_widths(heads: list[str], rows: list[list[str]], lead: int, width: int) -> list[int]:
    """Fixed column widths that fit ``width``: lead columns (model, field) as wide as their
    longest cell up to a share of the line, so field names stay on one line; A and B share
    the rest, the longer side getting what the shorter one does not need."""
    n = len(heads)
    avail = width - (3 * n + 1)  # a space either side of each cell, n + 1 rules
    longest = [max([len(heads[i]), *(len(r[i]) for r in rows)]) for i in range(n)]
    out = []
    for i in range(lead):
        share = 0.45 if heads[i] == "field" else 0.2
        out.append(max(4, min(longest[i], int(avail * share))))
    rest = max(12, avail - sum(out))
    la, lb = longest[lead], longest[lead + 1]
    a = min(la, max(rest // 2, rest - lb))
    b = min(lb, rest - a)
    return [*out, max(a, 6), max(b, 6)]


def _text(cell: Any) -> Any:
    from rich.text import Text

    return Text(cell) if isinstance(cell, str) else cell


def _kind_text(result: DiffResult) -> str:
    if result.kind == "platform":
        return f"platforms: {result.a.detail} vs {result.b.detail}"
    return f"{result.kind}: {result.a.detail} vs {result.b.detail}"


def export(result: DiffResult, fmt: str, *, width: int = EXPORT_WIDTH, max_rows: int = 200,
           only_derived: bool = False) -> str:
    """HTML or SVG of the rich rendering, via a recording console of a fixed width."""
    from ..report.console import PvConsole

    con = PvConsole(record=True, file=io.StringIO(), width=width, force_terminal=True,
                  color_system="truecolor", highlight=False, soft_wrap=False)
    con.print(to_rich(result, width=width, max_rows=max_rows, only_derived=only_derived))
    title = f"pvenum diff {result.a.name} → {result.b.name}"
    if fmt == "svg":
        return con.export_svg(title=title)
    html = con.export_html(inline_styles=True)
    return html.replace("<head>", f"<head>\n<title>{_html_escape(title)}</title>", 1)


def _html_escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


# -- Markdown ------------------------------------------------------------------------------------

def _md_value(v: Any, *, derived: bool = False) -> str:
    if v is None:
        return "–" if derived else "*(absent)*"
    return md_code(derived_text(v) if derived else value_text(v))  # whole: Markdown never cuts a value


def to_markdown(result: DiffResult, *, max_rows: int = 0, only_derived: bool = False) -> str:
    a, b = md_code(result.a.name), md_code(result.b.name)
    out = [f"### pvenum diff {a} → {b}", ""]
    changed = result.changed_models()
    verdict = "⚠️ **guest conclusions change**" if changed else "✅ **no guest conclusion changes**"
    if not result.different(only_derived=only_derived):
        verdict = "✅ **no differences**"
    out += [f"{verdict} — {md_text(result.summary(only_derived=only_derived))}", ""]

    if result.models:
        rows = [(m, ch) for m in result.models for ch in result.derived.get(m, [])]
        if rows:
            out += ["#### Derived changes", "", "| model | field | A | B |", "|---|---|---|---|"]
            for m, ch in rows:
                out.append(f"| **{md_text(m)}** | {md_code(ch.field)} | {_md_value(ch.a, derived=True)} | "
                           f"{_md_value(ch.b, derived=True)} |")
            out.append("")
        if result.findings:
            out += ["#### Findings", "", "| model | change | severity | code | message |", "|---|---|---|---|---|"]
            for m, f in result.findings.items():
                for change in ("new", "vanished"):
                    for item in f[change]:
                        out.append(f"| **{md_text(m)}** | {change} | {md_text(item['severity'])} | "
                                   f"{md_code(item['code'])} | {md_text(item['message'])} |")
            out.append("")

    if not only_derived:
        read = result.read_changes()
        if read:
            out += ["#### Changed fields the models read", "", "| field | read by | A | B |", "|---|---|---|---|"]
            shown_read, more = _limited(read, max_rows)
            for _, ch in shown_read:
                out.append(f"| {md_code(ch.field)} | {md_text(', '.join(ch.read_by))} | {_md_value(ch.a)} | "
                           f"{_md_value(ch.b)} |")
            if more:
                out.append(f"| … {more} more | | | |")
            out.append("")
        n = result.raw_count()
        if n:
            out += [f"<details><summary>Raw changes ({n} field{'s' if n != 1 else ''})</summary>", ""]
            for channel, changes in result.raw.items():
                if not changes:
                    continue
                shown, more = _limited(changes, max_rows)
                out += [f"**{md_text(channel)}** — {len(changes)} changed, "
                        f"{result.unchanged.get(channel, 0)} unchanged", "",
                        "| field | A | B |", "|---|---|---|"]
                for ch in shown:
                    out.append(f"| {md_code(ch.field)} | {_md_value(ch.a)} | {_md_value(ch.b)} |")
                if more:
                    out.append(f"| … {more} more | | |")
                out.append("")
                for ch in shown:
                    if ch.asl_diff:
                        fence = "`" * max(3, 1 + max((len(r) for l in ch.asl_diff
                                                       for r in re.findall(r"`+", l)), default=0))
                        out += [f"{md_code(ch.field)} as ASL (iasl -d, normalised):", "", f"{fence}diff",
                                *ch.asl_diff, fence, ""]
                    elif ch.asl_note:
                        out += [f"{md_code(ch.field)}: {md_text(ch.asl_note)}", ""]
            out += ["</details>", ""]
        out += [md_text(unchanged_text(result.unchanged)) + ".", ""]
    for note in result.notes:
        out += [f"> note: {md_text(note)}", ""]
    return "\n".join(out).rstrip("\n") + "\n"


# -- JSON --------------------------------------------------------------------------------------------


def to_json_text(result: DiffResult, *, only_derived: bool = False) -> str:
    return json.dumps(result.to_json(only_derived=only_derived), indent=2, default=str) + "\n"
