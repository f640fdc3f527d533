"""pvenum against libfdt on every blob dtc's own test suite writes, valid and broken alike.

tests/data/fdt/dtc-testsuite/ holds every .dtb that `make check` in dtc v1.8.1's tree writes
(tests/run_tests.sh: trees.S and dumptrees.c's trees, the deliberately broken ones, the dtc,
fdtput and fdtoverlay outputs, the nopulate / mangle-layout / open_pack copies), listed with
their sha256 in SHA256SUMS; README.md there gives the recipe (scripts/dtc_testsuite.py). With
PVENUM_DTC_SUITE=DIR the same checks run on another such directory (`make dtc-suite` points it
at the blobs it just built).

For every blob:
- `pvenum.fdt.validate`, under the installed libfdt's rules (alignment, FDT_NOP after the root:
  fdt_blobs' probes), reports as its first error the code pylibfdt's fdt_check_full returns;
- `pvenum.fdt.parse` accepts exactly the blobs libfdt 1.8 accepts (fdt_blobs.libfdt_1_8_error:
  the installed libfdt, asked about a copy without the NOPs after the root when it predates
  1.8), refusing the others with libfdt's code, and reads the same header, reservations,
  paths, properties and values as a pylibfdt walk.
"""

from __future__ import annotations

import hashlib
import os
import re
from pathlib import Path

import pytest
from fdt_blobs import (
    DATA,
    ROOT,
    STRICTER,
    libfdt_1_8_error,
    libfdt_accepts_nop_after_root,
    libfdt_comparable_first,
    libfdt_error,
    libfdt_view,
    pvenum_view,
    u32,
    v17_blob,
)

from pvenum.errors import ParseError
from pvenum.fdt import parse, validate

SUITE = Path(os.environ.get("PVENUM_DTC_SUITE", DATA / "dtc-testsuite"))


def _listed() -> dict[str, str]:
    """name -> sha256 from SHA256SUMS (`sha256sum` format, written by scripts/dtc_testsuite.py)."""
    sums = SUITE / "SHA256SUMS"
    if not sums.is_file():
        return {}
    return {name: digest for digest, name in (line.split("  ", 1) for line in sums.read_text().splitlines())}


LISTED = _listed()
pytestmark = pytest.mark.skipif(not LISTED, reason=f"no SHA256SUMS in {SUITE}")


def test_the_blobs_are_the_listed_ones():
    on_disk = sorted(p.name for p in SUITE.glob("*.dtb"))
    assert on_disk == sorted(LISTED)
    bad = [n for n, digest in LISTED.items() if hashlib.sha256((SUITE / n).read_bytes()).hexdigest() != digest]
    assert bad == []


@pytest.mark.parametrize("name", sorted(LISTED))
def test_pvenum_gives_libfdts_verdict_and_tree(name):
    data = (SUITE / name).read_bytes()
    assert libfdt_comparable_first(data) == libfdt_error(data)
    expected = libfdt_1_8_error(data)
    try:
        tree = parse(data)
    except ParseError as err:
        check = re.search(r"\[([\w.]+)\]$", str(err))
        assert check is not None, str(err)
        if expected is None:  # pvenum is stricter than libfdt only where dtc refuses too
            assert check.group(1) in STRICTER, str(err)
        else:
            assert check.group(1) == expected, str(err)
        return
    assert expected is None
    assert pvenum_view(tree) == libfdt_view(data)


def test_the_suite_has_both_kinds_and_nops_after_the_root():
    verdicts = {n: libfdt_1_8_error((SUITE / n).read_bytes()) for n in LISTED}
    assert any(v is None for v in verdicts.values())
    assert any(v is not None for v in verdicts.values())
    # run_tests.sh's noppy.* blobs (tests/nopulate.c: an FDT_NOP after every token, the root's
    # FDT_END_NODE included) are valid for libfdt 1.8.0+, and only refused by an older libfdt
    # for the NOPs after the root.
    noppy = [n for n in LISTED if n.startswith("noppy.")]
    if not noppy:
        pytest.skip(f"no noppy.* blob in {SUITE}")
    for n in noppy:
        data = (SUITE / n).read_bytes()
        assert verdicts[n] is None
        assert (libfdt_error(data) is None) == libfdt_accepts_nop_after_root()
        assert [p.check for p in validate(data, nop_after_root=False) if p.severity == "error"][:1] == (
            [] if libfdt_accepts_nop_after_root() else ["FDT_ERR_BADSTRUCTURE"])


@pytest.mark.parametrize("tail, verdict", [
    # libfdt v1.8.1 libfdt/fdt_check.c fdt_check_full(): after the root closes, FDT_NOP is
    # skipped, FDT_END ends the walk, any other token is a second root; a tag read past
    # size_dt_struct is FDT_ERR_TRUNCATED (fdt_next_tag).
    ((4, 4, 9), None),
    ((4, 1, 0, 2, 9), "FDT_ERR_BADSTRUCTURE"),
    ((4, 2, 9), "FDT_ERR_BADSTRUCTURE"),
    ((4, 4), "FDT_ERR_TRUNCATED"),
])
def test_libfdt_1_8_verdict_after_the_root(tail, verdict):
    data = v17_blob(u32(1, 0, 2, *tail))
    assert libfdt_1_8_error(data) == verdict
    # parse follows the same rule
    if verdict is None:
        assert parse(data).root is not None
    else:
        with pytest.raises(ParseError, match=re.escape(f"[{verdict}]")):
            parse(data)


@pytest.mark.skipif(SUITE != DATA / "dtc-testsuite", reason="the published figures are about the committed blobs")
def test_the_published_figures_are_these():
    verdicts = [libfdt_1_8_error((SUITE / n).read_bytes()) for n in LISTED]
    valid = sum(v is None for v in verdicts)
    figure = f"{valid} valid, {len(verdicts) - valid} refused"
    for doc in ("README.md", "docs/fdt.md"):
        text = " ".join((ROOT / doc).read_text().split())
        assert f"{len(verdicts)} blobs" in text and figure in text, doc
