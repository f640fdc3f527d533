"""`make fuzz` writes the dated summary the README quotes (fuzz/run.py write_results)."""

from __future__ import annotations

import re

from pvtest import ROOT, load_script


def _run_module():
    return load_script(ROOT / "fuzz" / "run.py", "pvenum_fuzz_run")


def test_summary_counts_every_target_and_names_findings(tmp_path):
    run = _run_module()
    results = [
        {"target": "dtb", "execs": 1200, "seconds": 3.0, "crashes": [], "failed": False, "reason": "", "seeds": 40, "corpus": 90},
        {"target": "acpidump", "execs": 800, "seconds": 2.0, "crashes": ["tests/data/fuzz-regressions/acpidump/crash-1"],
         "failed": True, "reason": "", "seeds": 1, "corpus": 7},
    ]
    out = tmp_path / "RESULTS.md"
    run.write_results(out, results, 2000, 300)
    text = out.read_text()
    assert re.search(r"^- date: \d{4}-\d\d-\d\d \d\d:\d\d UTC$", text, re.M)
    assert "`make fuzz FUZZ_TOTAL=2000`" in text
    assert "- executions: 2,000 over 2 targets" in text
    assert "- findings: 1\n" in text
    assert "| dtb | 1,200 | 40 | 90 | 3.0 | ok |" in text
    assert "| acpidump | 800 | 1 | 7 | 2.0 | crash: tests/data/fuzz-regressions/acpidump/crash-1 |" in text
    assert not list(tmp_path.glob(".*.tmp"))  # written through a temp file, then renamed


def test_stored_summary_covers_every_current_target():
    """fuzz/RESULTS.md is the run the README quotes: it must cover the targets fuzz/targets.py
    declares today (a new target means a new `make fuzz` run)."""
    TARGETS = _targets().TARGETS
    text = (ROOT / "fuzz" / "RESULTS.md").read_text()
    listed = re.findall(r"^\| ([\w-]+) \| [\d,]+ \|", text, re.M)
    assert sorted(listed) == sorted(TARGETS), "fuzz/RESULTS.md is stale: run make fuzz"


def _targets():
    """fuzz/targets.py, as fuzz/run.py imports it (``from targets import ...``)."""
    return load_script(ROOT / "fuzz" / "targets.py", "targets")


def test_the_total_is_split_by_weight_and_adds_up():
    # `make fuzz FUZZ_TOTAL=N` runs N executions in all; a weighted target (an audit input is a
    # bundle resolved twice) gets its weight times another target's share.
    run = _run_module()
    targets = _targets()
    names, WEIGHTS = list(targets.TARGETS), targets.WEIGHTS
    for total in (1_000_000, 4_000, 100):
        share = run.split(total, names)
        assert sum(share.values()) == total
        for n, w in WEIGHTS.items():
            assert abs(share[n] - share["dtb"] * w) <= 1 + w
    assert run.split(3, ["audit", "dtb"]) == {"audit": 1, "dtb": 2}


def test_the_worker_instruments_every_pvenum_module():
    # atheris instruments only what is imported inside instrument_imports(); pvenum loads most
    # of its modules lazily, so the worker imports each one there (fuzz/run.py). Every module
    # file of the package must be in that list, or be one of the three left out on purpose.
    run = _run_module()
    listed = set(run._pvenum_modules())
    pkg = ROOT / "pvenum"
    on_disk = {".".join(("pvenum", *p.relative_to(pkg).with_suffix("").parts)).removesuffix(".__init__")
               for p in pkg.rglob("*.py")}
    on_disk.discard("pvenum")
    assert on_disk - listed == set(run._NOT_FUZZED)
    assert {"pvenum.resolver.models.linux", "pvenum.cpuid.kvm", "pvenum.commands.convert"} <= listed


def test_no_target_remembers_its_inputs():
    # A target wrapped in a cache would skip inputs libFuzzer runs again and hold every input
    # for the whole run; the catalog platforms the resolve targets read are what is cached.
    targets = _targets()
    assert all(not hasattr(fn, "cache_info") for fn, _ in targets.TARGETS.values())
    assert hasattr(targets._base, "cache_info")
