"""`pvenum inspect x.dtb` into a pipe writes the DTB view without rich (pvenum/fdt/render.py
render_text): every byte must be what rich writes for render_tree() on the same console, for
every DTB in the test data and at several widths, or render_text must decline (None)."""

from __future__ import annotations

import io
import os
import sys
from pathlib import Path

import pytest
from rich.console import Console

from pvenum.fdt.artifact import DtbArtifact
from pvenum.formats import load_path
from pvenum.report.console import PvConsole

from pvtest import DATA

ALL_DTBS = sorted(DATA.rglob("*.dtb"))
# rich is slow to lay out: a spread of the test data's DTBs, every shape of header, tree and width.
DTBS = ALL_DTBS[::max(1, len(ALL_DTBS) // 40)]
CORPUS = Path(os.environ.get("PVENUM_DTB_CORPUS", ".cache/dtb-corpus"))


def _rich(art: DtbArtifact, width: int, bits: bool) -> str:
    out = io.StringIO()
    con: Console = PvConsole(file=out, width=width, highlight=False, soft_wrap=False)
    con.print(art.render(bits=bits))
    return out.getvalue()


def _artifacts(paths):
    for p in paths:
        try:
            yield from (a for a in load_path(str(p)) if hasattr(a, "render_text"))
        except Exception:  # noqa: BLE001 - malformed test blobs: inspect refuses them before printing
            continue


def test_there_are_dtbs():
    assert len(ALL_DTBS) > 50 and len(DTBS) >= 40


@pytest.mark.parametrize("width", [60, 120])
def test_plain_text_equals_rich(width):
    laid_out = 0
    for art in _artifacts(DTBS):
        for bits in (False, True):
            text = art.render_text(bits=bits, width=width)
            if text is None:
                continue
            laid_out += 1
            assert text == _rich(art, width, bits), (art.path, width, bits)
    assert laid_out > 40  # the fast path is really taken


def test_declines_what_it_does_not_lay_out(tmp_path):
    blob = tmp_path / "caf\u00e9.dtb"  # a name rich measures by its own cell table: left to rich
    blob.write_bytes((DATA / "fdt" / "dts" / "realm-guest.dtb").read_bytes())
    (art,) = load_path(str(blob))
    assert art.render_text(width=120) is None
    assert "caf\u00e9" in _rich(art, 120, False)
    (plain,) = load_path(str(DATA / "fdt" / "dts" / "realm-guest.dtb"))
    assert plain.render_text(width=120) is not None


@pytest.mark.skipif(not CORPUS.is_dir(), reason="no kernel DTB corpus (.cache/dtb-corpus: sh bench/fetch_dtb_corpus.sh, which make test runs)")
def test_plain_text_equals_rich_on_kernel_corpus():
    for art in _artifacts(sorted(CORPUS.rglob("*.dtb"))[::20]):
        text = art.render_text(width=120)
        if text is not None:
            assert text == _rich(art, 120, False), art.path


def test_cli_pipe_output_is_rich_output(cli):
    path = DATA / "fdt" / "dts" / "realm-guest.dtb"
    piped = cli("inspect", str(path), env={"COLUMNS": "120"})
    forced = cli("inspect", str(path), env={"COLUMNS": "120", "TTY_COMPATIBLE": "0"})  # rich prints it
    assert piped.returncode == forced.returncode == 0
    assert piped.stdout == forced.stdout


def test_cli_fast_path_errors_as_click_path(cli, tmp_path):
    bad = tmp_path / "cut.dtb"
    bad.write_bytes((DATA / "fdt" / "dts" / "realm-guest.dtb").read_bytes()[:200])
    empty = tmp_path / "empty"
    empty.mkdir()
    for args in ([str(bad)], [str(empty)], [str(DATA / "fdt" / "dts" / "realm-guest.dtb"), str(bad)]):
        fast = cli("inspect", *args)
        slow = cli("inspect", *args, env={"TTY_COMPATIBLE": "0"})
        assert (fast.returncode, fast.stdout, fast.stderr) == (slow.returncode, slow.stdout, slow.stderr), args
        assert fast.returncode in (2, 3)


@pytest.mark.parametrize("name, version, absent", [
    ("../dts/values-v2.dtb", 2, ["size_dt_strings", "size_dt_struct"]),
    ("ov3_test_tree1.dtb.test.dtb", 3, ["size_dt_struct"]),
    ("ov16_test_tree1.dtb.test.dtb", 16, ["size_dt_struct"]),
    ("opened.v16.mst.test_tree1.dtb", 17, []),
])
def test_a_header_field_the_version_lacks_is_shown_absent(cli, name, version, absent):
    # libfdt/fdt.h struct fdt_header: boot_cpuid_phys is a "version 2" field, size_dt_strings
    # "version 3", size_dt_struct "version 17"; an older header ends before them, so what lies
    # at their offsets is not theirs. dtc wrote these blobs (dtc -V N: its own test suite's, and
    # values-v2.dtb, tests/data/fdt/dts); libfdt reads none older than v2.
    path = DATA / "fdt" / "dtc-testsuite" / name
    assert int.from_bytes(path.read_bytes()[20:24], "big") == version
    out = cli("inspect", str(path)).stdout.decode()
    fields = ("boot_cpuid_phys", "size_dt_strings", "size_dt_struct")
    rows = {line.split()[0]: line for line in out.splitlines() if line.split()[:1] and line.split()[0] in fields}
    assert sorted(rows) == list(fields)
    for field, line in rows.items():
        assert (f"not in a v{version} header" in line) == (field in absent), line


def test_textconv_and_diff_leave_out_a_header_field_the_version_lacks():
    # The same rule for the git textconv line and diff's flattened fields: a v16 header has no
    # size_dt_struct (libfdt/fdt.h), so neither names one; a v17 header does.
    from pvenum.diff.flatten import fdt_fields

    for name, has in (("ov16_test_tree1.dtb.test.dtb", False), ("opened.v16.mst.test_tree1.dtb", True)):
        (art,) = load_path(str(DATA / "fdt" / "dtc-testsuite" / name))
        first = next(iter(art.textconv()))
        assert ("size_dt_struct=" in first) == has and "size_dt_strings=" in first, first
        assert ("header.size_dt_struct" in fdt_fields(art.tree)) == has
