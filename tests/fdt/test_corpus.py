"""The full kernel DTB corpus (bench/fetch_dtb_corpus.sh fills .cache/dtb-corpus).

Skipped with the reason when the cache is absent; under ``make test`` (PVENUM_SLOW_SCALE
0.05) an evenly spread sample runs, with PVENUM_SLOW_SCALE=1 all 576 blobs.
"""

from __future__ import annotations

import pytest
from fdt_blobs import CORPUS, corpus_paths, libfdt_error, libfdt_view, need_tool, pvenum_view, scaled

from pvenum.fdt import build, parse, to_dts, validate
from pvenum.fdt import dtc as dtc_bridge


def _sample():
    paths = corpus_paths()
    if not paths:
        return [pytest.param(None, marks=pytest.mark.skip(
            reason=f"no DTB corpus in {CORPUS} (run: sh bench/fetch_dtb_corpus.sh)"), id="no-corpus")]
    n = min(len(paths), scaled(len(paths), 12))
    step = len(paths) / n
    picked = [paths[int(i * step)] for i in range(n)]
    return [pytest.param(p, id=str(p.relative_to(CORPUS))) for p in picked]


@pytest.mark.slow
@pytest.mark.parametrize("path", _sample())
def test_corpus_blob(path):
    need_tool("dtc")
    data = path.read_bytes()
    # libfdt and pvenum read the same blob the same way, and neither finds a problem.
    assert libfdt_error(data) is None and validate(data) == []
    tree = parse(data)
    assert pvenum_view(tree) == libfdt_view(data)
    # parse -> build -> parse is the identity; what pvenum builds libfdt accepts.
    built = build(tree)
    assert parse(built).same_as(tree) and libfdt_error(built) is None
    # dtc's canonical layout is pvenum's, byte for byte; and the original where dtc wrote it.
    canonical = dtc_bridge.recompile_dtb(data)
    assert built == canonical
    if canonical == data:
        assert build(tree, padding=tree.header.padding) == data
    # pvenum's DTS compiles (with dtc) to the same blob.
    # (boot_cpuid_phys has no DTS syntax: dtc takes it as -b, else guesses the first CPU.)
    assert dtc_bridge.compile_dts(to_dts(tree), boot_cpuid_phys=tree.boot_cpuid_phys) == built
