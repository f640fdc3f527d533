"""compare-encodings: the same record through CPUID, DT and ACPI, same derivations out."""

from __future__ import annotations

import json

import pytest

from pvenum.encodings import compare
from pvenum.scenario import catalog


@pytest.mark.parametrize("name", ["azure-snp-paravisor-services", "cca-realm-paravisor"])
def test_every_encoding_decodes_the_scenarios_record(name):
    sc = catalog.get(name)
    views = {v.encoding: v for v in compare(sc)}
    assert set(views) == {"cpuid", "dt", "acpi"}
    live = [v for v in views.values() if v.available]
    assert len(live) == (3 if sc.arch == "x86_64" else 2)
    for v in live:
        assert v.decoded == sc.services.to_dict() and v.problems == [], v.encoding
        assert v.size > 0 and v.text
    # Same record in, same derivation out, whichever channel carried it.
    summaries = {v.encoding: {m: d.summary() for m, d in v.derivations.items()} for v in live}
    assert len({json.dumps(s, sort_keys=True) for s in summaries.values()}) == 1, summaries
    if sc.arch == "x86_64":
        assert views["cpuid"].size == 80 and views["acpi"].size == 96
    else:
        assert not views["cpuid"].available and "x86" in views["cpuid"].why


def test_cli(cli):
    proc = cli("compare-encodings", "azure-snp-paravisor-services", "--json")
    assert proc.returncode == 0, proc.stderr
    doc = json.loads(proc.stdout)
    assert [e["encoding"] for e in doc["encodings"]] == ["cpuid", "dt", "acpi"]
    acpi = doc["encodings"][2]
    assert bytes.fromhex(acpi["bytes"])[:4] == b"PVSR" and acpi["derivations"]["proposal"]["mode"] == "paravisor"
    text = cli("compare-encodings", "cca-realm-paravisor").stdout.decode()
    assert "linux,paravisor-services" in text and "All encodings decode to the same record." in text
    bad = cli("compare-encodings", "snp")
    assert bad.returncode == 3 and b"advertises no [services] record" in bad.stderr


def test_scenario_overriding_the_record_compares():
    """An [override.acpi] on the PVSR table (conflict-record-cpuid-vs-acpi) stays with the ACPI
    variant; the DT variant's size is measured without recompiling the scenario."""
    sc = catalog.get("conflict-record-cpuid-vs-acpi")
    views = {v.encoding: v for v in compare(sc)}
    assert views["dt"].available and views["dt"].decoded == sc.services.to_dict()
    assert views["dt"].size > 0 and "linux,paravisor-services" in views["dt"].text
    assert views["acpi"].decoded != views["cpuid"].decoded  # the override makes the ACPI record differ
