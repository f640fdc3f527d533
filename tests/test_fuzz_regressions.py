"""Replay every input the fuzzer ever crashed on, and smoke-test the harness itself."""

from __future__ import annotations

import subprocess
import sys

import pytest

from pvtest import ROOT, load_script

_RUN = load_script(ROOT / "fuzz" / "run.py", "pvenum_fuzz_run")
_TARGETS = load_script(ROOT / "fuzz" / "targets.py", "targets")
MEMORY_FACTOR, MEMORY_FLOOR = _RUN.MEMORY_FACTOR, _RUN.MEMORY_FLOOR
TARGETS, regression_inputs = _TARGETS.TARGETS, _TARGETS.regression_inputs

CASES = regression_inputs()


@pytest.mark.parametrize("target, path", CASES or [pytest.param(None, None, marks=pytest.mark.skip(reason="no saved crash inputs"))],
                         ids=[f"{t}/{p.name}" for t, p in CASES] or None)
def test_saved_crash_inputs_no_longer_crash(target, path):
    import tracemalloc

    data = path.read_bytes()
    fn = TARGETS[target][0]
    fn(data)  # no exception, and (below) within the fuzzer's memory bound once imports are warm
    tracemalloc.start()
    try:
        getattr(fn, "read", fn)(data)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak <= MEMORY_FACTOR * len(data) + MEMORY_FLOOR


@pytest.mark.parametrize("saved, file", [
    ("crash-ee52dc408645805d7cfc3df2a67418e491676af5", "scenario.toml"),
    ("timeout-cfc37bf9eff3b9a0a80f3b6d65a096dfbcff40ef", "snp/acpi/DSDT.dat"),  # the DSDT tests cite
])
def test_a_saved_audit_input_still_lands_in_its_file(saved, file):
    # An audit input's first byte picks the file it replaces, by position among the rendered
    # bundles' files: a change to what `build` writes would move a saved input elsewhere.
    data = (ROOT / "tests" / "data" / "fuzz-regressions" / "audit" / saved).read_bytes()
    where = _TARGETS._audit_slot(data[0])[1]
    assert where.relative_to(_TARGETS._audit_place()).as_posix() == file


@pytest.mark.parametrize("name", sorted(TARGETS))
def test_every_target_has_seeds_and_survives_them(name):
    fn, seeds = TARGETS[name]
    got = seeds()
    assert got, f"{name} has no seed fixtures"
    for blob in got:
        fn(blob)


def test_harness_runs_under_atheris():
    pytest.importorskip("atheris", reason="atheris not installed (pip install '.[fuzz]')")
    proc = subprocess.run([sys.executable, str(ROOT / "fuzz" / "run.py"), "--total", "4000", "--seconds", "20",
                           "cpuid-r", "kvm_cpuid2"], capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "total" in proc.stdout and "4,000" in proc.stdout
