"""Output formats: Markdown structure (GitHub/GitLab comments), JSON shape, rich layouts, HTML/SVG."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pytest

from pvenum.diff import diff_targets
from pvenum.diff import render as R

UNESCAPED_PIPE = re.compile(r"(?<!\\)\|")


@pytest.fixture(scope="module")
def twin():
    return diff_targets("azure-snp-paravisor", "snp")


def _differing_registers(a: str, b: str) -> set[str]:
    """``cpuid LEAF.SUB REG`` for every register whose value differs (absent reads as missing)."""
    from pvenum.scenario import catalog

    da, db = (dict(catalog.get(n).platform().cpuid.items()) for n in (a, b))
    out = set()
    for key in set(da) | set(db):
        ra, rb = da.get(key), db.get(key)
        for i, reg in enumerate(("eax", "ebx", "ecx", "edx")):
            va = None if ra is None else ra[i]
            vb = None if rb is None else rb[i]
            if va != vb:
                out.add(f"cpuid 0x{key[0]:08x}.{key[1]} {reg}")
    return out


def _tables(md: str) -> list[list[str]]:
    """Markdown pipe tables as lists of lines (header, delimiter, rows)."""
    tables, cur = [], []
    for line in md.splitlines():
        if line.startswith("|"):
            cur.append(line)
        elif cur:
            tables.append(cur)
            cur = []
    if cur:
        tables.append(cur)
    return tables


def _check_tables(md: str) -> list[list[str]]:
    tables = _tables(md)
    for t in tables:
        cols = len(UNESCAPED_PIPE.findall(t[0]))
        assert re.fullmatch(r"(\|---)+\|", t[1]), t[:2]
        for row in t:
            assert len(UNESCAPED_PIPE.findall(row)) == cols, row
    return tables


def test_markdown_structure(twin):
    md = R.to_markdown(twin)
    lines = md.splitlines()
    assert lines[0] == "### pvenum diff `azure-snp-paravisor` → `snp`"
    assert lines[2].startswith("⚠️ **guest conclusions change** — derivations change for 4 of 4 models")
    tables = _check_tables(md)
    derived = tables[0]
    assert derived[0] == "| model | field | A | B |"
    assert "| **linux** | `mode` | `paravisor` | `enlightened` |" in derived
    assert "| **linux** | `memory\\_acceptance` | `paravisor` | `guest` |" not in derived  # code spans are not escaped
    assert "| **linux** | `memory_acceptance` | `paravisor` | `guest` |" in derived
    assert any(r.startswith("| **proposal** | `attestation.via` | – | `sev-guest") for r in derived)
    # Findings, then the changed fields the models read, then the raw part folded away.
    assert "#### Findings" in md and "| **proposal** | vanished | info | `proposal.no-services-record` |" in md
    read = md.index("#### Changed fields the models read")
    details = md.index(f"<details><summary>Raw changes ({twin.raw_count()} fields)</summary>")
    assert read < details < md.index("</details>")
    assert md[details:].count("| field | A | B |") == 4  # cpuid, msr, snp, acpi
    # The cpuid section's count is its table's row count, and its register rows are exactly the
    # registers that differ between the two dumps, counted here from the dumps themselves.
    m = re.search(r"\*\*cpuid\*\* — (\d+) changed, \d+ unchanged\n\n((?:\|.*\n)+)", md)
    assert m, "no cpuid section"
    rows = m.group(2).splitlines()[2:]
    assert int(m.group(1)) == len(rows)
    shown = {r.split("`")[1] for r in rows if re.match(r"\| `cpuid 0x[0-9a-f]{8}\.\d+ e[abcd]x` \|", r)}
    assert shown == _differing_registers("azure-snp-paravisor", "snp")
    assert "| `cpuid 0x4000000c.0 eax[0] HV_PARAVISOR_PRESENT` | `true` | *(absent)* |" in md
    assert re.search(r"^\d+ fields unchanged in cpuid, \d+ in msr, \d+ in acpi\.$", md, re.M)  # snp: 0
    # A blank line around every block, so GitHub renders the tables inside <details>.
    assert "<details><summary>Raw changes" in md and "\n\n</details>\n" in md


def test_markdown_limits_rows(twin):
    md = R.to_markdown(twin, max_rows=3)
    assert re.search(r"^\| … \d+ more \| \| \|$", md, re.M)
    _check_tables(md)


@pytest.mark.parametrize("max_rows", [1, 2])
def test_a_cut_table_of_fields_the_models_read_says_how_many_more(twin, max_rows):
    # Every table the limit cuts says so, the table of changed fields the models read too.
    n = len(twin.read_changes())
    assert n > max_rows
    md = R.to_markdown(twin, max_rows=max_rows)
    part = md[md.index("#### Changed fields the models read"):md.index("<details>")]
    rows = _check_tables(part)[0][2:]
    assert len(rows) == max_rows + 1 and rows[-1] == f"| … {n - max_rows} more | | | |"
    out = io.StringIO()
    from rich.console import Console

    Console(file=out, width=200, color_system=None).print(R.to_rich(twin, width=200, max_rows=max_rows))
    assert f"… and {n - max_rows} more changed fields the models read" in out.getvalue()


def test_markdown_only_derived(twin):
    md = R.to_markdown(twin, only_derived=True)
    assert "<details>" not in md and "#### Derived changes" in md


def test_markdown_escapes_pipes_and_backticks(tmp_path):
    from pvenum.fdt import build
    from pvenum.fdt.model import DeviceTree

    paths = []
    for i, model in enumerate(("a|b", "c`|`d")):
        tree = DeviceTree()
        tree.root.set("model", model)
        tree.root.set("#address-cells", 2)
        p = tmp_path / f"{i}.dtb"
        p.write_bytes(build(tree))
        paths.append(str(p))
    result = diff_targets(*paths)
    md = R.to_markdown(result)
    (table,) = [t for t in _check_tables(md) if t[0] == "| field | A | B |"]
    assert '| `/:model` | `"a\\|b"` | ``"c`\\|`d"`` |' in table
    assert R.md_code("`x`") == "`` `x` ``"
    assert R.md_text("a|b *c* <d>") == "a\\|b \\*c\\* \\<d\\>"


def test_json_shape(twin):
    doc = json.loads(R.to_json_text(twin))
    assert {"a", "b", "raw", "unchanged", "derived", "findings", "different"} <= set(doc)
    assert doc["a"] == "azure-snp-paravisor" and doc["b"] == "snp" and doc["different"] is True
    assert set(doc["raw"]) <= {"platform", "cpuid", "msr", "snp", "fdt", "smccc", "acpi"}
    for changes in [*doc["raw"].values(), *doc["derived"].values()]:
        for c in changes:
            assert {"field", "a", "b"} <= set(c)
    assert all(isinstance(n, int) for n in doc["unchanged"].values())
    assert set(doc["findings"]["proposal"]) == {"new", "vanished"}


def _rich_text(result, width: int) -> str:
    from rich.console import Console

    con = Console(file=io.StringIO(), width=width, color_system=None, highlight=False)
    con.print(R.to_rich(result, width=width))
    return con.file.getvalue()


def test_rich_side_by_side_when_wide(twin):
    text = _rich_text(twin, 160)
    assert "A: azure-snp-paravisor" in text and "B: snp" in text and "┃ field" in text
    row = next(line for line in text.splitlines() if "HV_PARAVISOR_PRESENT" in line and "(absent)" in line)
    assert row.index("true") < row.index("(absent)")  # A left of B on one line


@pytest.mark.parametrize("width", [72, 100, 131, 200])
def test_rich_fits_the_width(twin, width):
    from rich.console import Console

    con = Console(file=io.StringIO(), width=width, color_system=None, highlight=False, soft_wrap=False)
    con.print(R.to_rich(twin, width=width, max_rows=0))
    lines = con.file.getvalue().splitlines()
    assert max(len(line) for line in lines) <= width
    # Nothing cropped: every table line ends with its right-hand rule.
    assert all(line.rstrip()[-1] in "┓┃┩│┘" for line in lines if line[:1] in "┏┃┡│└")


def test_rich_stacked_when_narrow(twin):
    text = _rich_text(twin, 72)
    assert "┃" not in text
    lines = text.splitlines()
    i = lines.index("cpuid 0x4000000c.0 eax[0] HV_PARAVISOR_PRESENT")
    assert lines[i + 1].rstrip() == "  A: true" and lines[i + 2].rstrip() == "  B: (absent)"
    assert max(len(line) for line in lines) <= 72


def test_html_and_svg_exports(twin, tmp_path, cli):
    html = R.export(twin, "html")
    assert html.startswith("<!DOCTYPE html>") and "<title>pvenum diff azure-snp-paravisor → snp</title>" in html
    assert "HV_PARAVISOR_PRESENT" in html and "</html>" in html
    svg = R.export(twin, "svg")
    assert svg.lstrip().startswith("<svg") and svg.rstrip().endswith("</svg>")
    assert "HV_PARAVISOR_PRESENT" in svg
    assert R.export(twin, "svg") == svg  # reproducible: attachments do not churn
    out = tmp_path / "review.html"
    r = cli("diff", "azure-snp-paravisor", "snp", "--format", "html", "-o", str(out))
    assert r.returncode == 0 and r.stdout == b""
    assert out.read_text().startswith("<!DOCTYPE html>")
    assert [p.name for p in tmp_path.iterdir()] == ["review.html"]  # atomic write, no leftovers


def test_names_from_inputs_are_not_markup(tmp_path, monkeypatch):
    """A hostile blob's property names and values reach the output literally (rich markup off)."""
    from pvenum.fdt import build
    from pvenum.fdt.model import DeviceTree

    # Relative names: a long temporary directory would wrap inside a name at width 72.
    monkeypatch.chdir(tmp_path)
    paths = []
    for i, value in enumerate(("[red]x", "[/]")):
        tree = DeviceTree()
        tree.root.set("#address-cells", 2)
        tree.root.set("[/bold]", value)
        Path(f"[b]{i}.dtb").write_bytes(build(tree))
        paths.append(f"[b]{i}.dtb")
    result = diff_targets(*paths)
    for width in (160, 72):
        text = _rich_text(result, width)
        assert "/:[/bold]" in text and '"[red]x"' in text and '"[/]"' in text and "[b]1.dtb" in text
    assert "/:[/bold]" in R.export(result, "html")
