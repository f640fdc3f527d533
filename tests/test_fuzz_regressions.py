"""Replay every input the fuzzer ever crashed on, and smoke-test the harness itself."""

from __future__ import annotations

import subprocess
import sys

import pytest

from pvtest import ROOT

sys.path.insert(0, str(ROOT / "fuzz"))
from run import MEMORY_FACTOR, MEMORY_FLOOR  # noqa: E402  (fuzz/run.py)
from targets import TARGETS, regression_inputs  # noqa: E402

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
