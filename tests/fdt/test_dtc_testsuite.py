"""pvenum against libfdt's fdt_check_full() on every blob dtc's own test suite writes.

`make dtc-suite` (scripts/dtc_testsuite.py) fetches Debian's device-tree-compiler source
package through a private apt sources list, runs its `make check` (which builds the test
programs and writes the valid and deliberately broken blobs of tests/run_tests.sh), and
collects the blobs into .cache/dtc-testsuite/blobs/. This test reads whatever that left; it
is skipped, saying why, until the target has run. The same comparison on committed blobs
runs in test_validation.py and test_nops.py.
"""

from __future__ import annotations

import pytest
from fdt_blobs import ROOT, libfdt_comparable_first, libfdt_error

from pvenum.errors import ParseError
from pvenum.fdt import parse

CACHE = ROOT / ".cache" / "dtc-testsuite"
BLOBS = sorted((CACHE / "blobs").glob("*")) if (CACHE / ".complete").exists() else []


@pytest.mark.skipif(not BLOBS, reason="dtc's test-suite blobs are not built (run `make dtc-suite`)")
def test_every_dtc_testsuite_blob_gets_libfdts_verdict():
    disagree = []
    for path in BLOBS:
        data = path.read_bytes()
        if len(data) < 40 or data[:4] != b"\xd0\x0d\xfe\xed":
            continue  # run_tests.sh also writes truncated and non-FDT files on purpose
        theirs, ours = libfdt_error(data), libfdt_comparable_first(data)
        if theirs != ours:
            disagree.append(f"{path.name}: libfdt {theirs}, pvenum {ours}")
        if ours is None:
            try:
                parse(data)
            except ParseError as err:
                disagree.append(f"{path.name}: valid, but parse refused it: {err}")
    assert not disagree, "\n".join(disagree[:20])
