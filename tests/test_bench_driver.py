"""bench/_resolve_driver.py, the in-process resolve `make bench` times on both sides, runs every
mode on this tree: a model change that slips past its no-op patch stops the bench, not its figures."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from pvenum.build import write_bundle
from pvenum.scenario import catalog

DRIVER = Path(__file__).resolve().parent.parent / "bench" / "_resolve_driver.py"


@pytest.fixture(scope="module")
def bundles(tmp_path_factory):
    root = tmp_path_factory.mktemp("bundles")
    for name in ("azure-snp-paravisor", "arm64-kvm"):  # one x86 and one arm64 platform
        write_bundle(catalog.get(name).platform(), root / name, name=name)
    return root


@pytest.mark.parametrize("mode", ["", "json", "warm", "noop"])
def test_driver_mode_runs(bundles, mode):
    res = subprocess.run([sys.executable, str(DRIVER), str(bundles), "2", "1", *([mode] if mode else [])],
                         capture_output=True, text=True, timeout=120)
    assert res.returncode == 0, res.stderr
    out = json.loads(res.stdout)
    assert out["platforms"] == 4 and out["seconds"] > 0


def test_noop_mode_blanks_every_rule(bundles):
    # What the no-op row measures: the engine over the same rule lists, no rule body run.
    sys.path.insert(0, str(DRIVER.parent))
    try:
        import _resolve_driver
    finally:
        sys.path.remove(str(DRIVER.parent))
    from pvenum.resolver import resolve_all
    from pvenum.resolver.models import linux, proposal, systemd, virt_what
    from pvenum.target import load_target

    saved = {m: m.run for m in (linux, proposal, systemd, virt_what)}
    try:
        _resolve_driver._noop_rules()
        for b in sorted(bundles.iterdir()):
            ds = resolve_all(load_target(str(b)).platform)
            assert set(ds) == {"linux", "systemd", "virt-what", "proposal"}
            assert all(not d.trace and not d.evidence for d in ds.values())
    finally:
        for m, run in saved.items():
            m.run = run
    ds = resolve_all(load_target(str(bundles / "azure-snp-paravisor")).platform)
    assert ds["linux"].mode == "paravisor"  # the real rules are back
