"""Expectations run in CI: `pvenum check`, [expect] validated when read, the plugin's helper.

What the models derive for the catalog scenarios is stated, with sources, in the catalog's own
[expect] tables (pvenum/fixtures/scenarios/*.toml); the mismatches below are contradictions
of those statements (e.g. Linux under the Hyper-V paravisor: ms_hyperv_init_platform() sees
HV_PARAVISOR_PRESENT, so the mode is paravisor, never enlightened).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pvtest import ROOT, assert_matches_recipe

CATALOG = ROOT / "pvenum" / "fixtures" / "scenarios"

PARAVISOR = """\
[scenario]
name = "pv"
description = "SNP behind a Hyper-V paravisor"
hypervisor = "hyperv"
isolation = "sev-snp"

[paravisor]
hides = ["isolation-cpuid"]

[expect.linux]
mode = "{mode}"
memory_acceptance = "paravisor"
[expect.proposal]
findings = ["proposal.no-services-record"]
"""


def test_the_bundled_catalog_meets_its_expectations(cli):
    proc = cli("check", str(CATALOG))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    n = len(list(CATALOG.glob("*.toml")))
    assert proc.stderr.decode().startswith(f"{n} target(s) checked, ")
    assert proc.stdout == b""


def test_a_mismatch_is_printed_as_model_field_expected_derived(cli, tmp_path):
    f = tmp_path / "pv.toml"
    f.write_text(PARAVISOR.format(mode="enlightened"))
    proc = cli("check", str(f))
    assert proc.returncode == 1
    assert proc.stdout.decode().splitlines() == [f"{f}: linux: mode: expected enlightened, derived paravisor"]
    rows = [json.loads(x) for x in cli("check", "--json", str(f)).stdout.splitlines()]
    assert rows == [{"target": str(f), "model": "linux", "field": "mode", "expected": "enlightened", "derived": "paravisor"}]
    f.write_text(PARAVISOR.format(mode="paravisor"))
    assert cli("check", str(f)).returncode == 0


def test_findings_present_and_absent(cli, tmp_path):
    f = tmp_path / "pv.toml"
    f.write_text(PARAVISOR.format(mode="paravisor") + 'findings_absent = ["proposal.no-services-record"]\n'
                 '[expect.systemd]\nfindings = ["systemd.no-such-finding"]\n')
    out = cli("check", str(f)).stdout.decode().splitlines()
    assert f"{f}: proposal: findings: expected proposal.no-services-record absent, derived proposal.no-services-record present" in out
    assert any(line.startswith(f"{f}: systemd: findings: expected systemd.no-such-finding present, derived ") for line in out)


@pytest.mark.parametrize("key, value, where", [
    ("mode", '"bananas"', "expect.linux.mode"),
    ("isolation", '"snp"', "expect.linux.isolation"),
    ("attestation", '"yes"', "expect.linux.attestation"),
    ("colour", '"red"', "expect.linux.colour"),
])
def test_expectation_values_are_refused_when_read(cli, tmp_path, key, value, where):
    f = tmp_path / "pv.toml"
    text = PARAVISOR.format(mode="paravisor").replace('memory_acceptance = "paravisor"', f"{key} = {value}")
    f.write_text(text if key != "mode" else PARAVISOR.format(mode="bananas"))
    for command in ("check", "resolve"):
        proc = cli(command, str(f))
        err = proc.stderr.decode()
        assert proc.returncode == 3, (command, err)
        assert err.startswith(f"pvenum: error: {f}: scenario at {where}: ") and err.count("\n") == 1, (command, err)
    proc = cli("validate", str(f))
    assert proc.returncode == 1
    assert proc.stdout.decode().startswith(f"{f}: scenario at {where}: error: [SCENARIO.Schema] ")


@pytest.mark.parametrize("model, why", [
    ("linux@5.0", "unknown Linux release '5.0'"),
    ("virt-what@1", "model 'virt-what' has no releases to choose from"),
    ("systemd@x", "'systemd@x': "),
])
def test_a_model_release_is_checked_when_read(cli, tmp_path, model, why):
    # The names resolve() takes (registry.split_model), refused at the [expect] key that names them.
    f = tmp_path / "pv.toml"
    f.write_text(PARAVISOR.format(mode="paravisor") + f'[expect."{model}"]\nmode = "paravisor"\n')
    proc = cli("check", str(f))
    err = proc.stderr.decode()
    assert proc.returncode == 3, err
    assert err.startswith(f'pvenum: error: {f}: scenario at expect."{model}": {why}') and err.count("\n") == 1, err


def test_a_release_models_key_is_named_as_toml_addresses_it(cli, tmp_path):
    f = tmp_path / "pv.toml"
    f.write_text(PARAVISOR.format(mode="paravisor") + '[expect."linux@6.12"]\nmode = "bananas"\n')
    err = cli("check", str(f)).stderr.decode()
    assert err.startswith(f'pvenum: error: {f}: scenario at expect."linux@6.12".mode: '), err


def test_output_words_come_from_each_guests_vocabulary(cli, tmp_path):
    f = tmp_path / "pv.toml"
    f.write_text(PARAVISOR.format(mode="paravisor") + '[expect.systemd]\noutput = "snp"\n')
    err = cli("check", str(f)).stderr.decode()
    assert err.startswith(f"pvenum: error: {f}: scenario at expect.systemd.output: 'snp' is not one of none, sev, sev-es, sev-snp")


def test_a_bundle_states_expectations_in_platform_toml(cli, tmp_path):
    bundle = tmp_path / "b"
    assert cli("build", "azure-snp-paravisor", "-o", str(bundle)).returncode == 0
    assert cli("check", str(bundle)).returncode == 0  # the catalog scenario's [expect], carried
    (bundle / "manifest.json").unlink()  # a hand-edited bundle (else verify says platform.toml changed)
    toml = bundle / "platform.toml"
    text = toml.read_text()
    toml.write_text(text[:text.index("[expect")] + '\n[expect.virt-what]\noutput = ["amd-sev-snp"]\n[expect.linux]\nmode = "paravisor"\n')
    proc = cli("check", str(tmp_path))  # a directory holding the bundle
    assert proc.returncode == 1
    assert proc.stdout.decode().splitlines() == [f"{bundle}: virt-what: output: expected [amd-sev-snp], derived [amd-sev-snp, hyperv-hcl]"]


def test_a_broken_scenario_does_not_hide_the_others(cli, tmp_path):
    # The broken file is a scenario TOML by its [scenario] table, with an isolation no catalog
    # names: it is refused when loaded. The good one is still checked, and the exit is the
    # malformed input's (3), above the mismatch's (1).
    (tmp_path / "a-bad.toml").write_text('[scenario]\nname = "bad"\nisolation = "no-such"\n')
    good = tmp_path / "b-pv.toml"
    good.write_text(PARAVISOR.format(mode="enlightened"))
    proc = cli("check", str(tmp_path))
    assert proc.returncode == 3, proc.stderr
    errors = [x for x in proc.stderr.decode().splitlines() if x.startswith("pvenum: error: ")]
    assert len(errors) == 1 and "a-bad.toml" in errors[0]
    assert proc.stdout.decode().splitlines() == [f"{good}: linux: mode: expected enlightened, derived paravisor"]
    assert proc.stderr.decode().splitlines()[-1].endswith("1 failed; 1 could not be read")
    rows = [json.loads(x) for x in cli("check", "--json", str(tmp_path)).stdout.splitlines()]
    assert [(r["target"], r["exit"]) for r in rows if "error" in r] == [(str(tmp_path / "a-bad.toml"), 3)]
    assert [r["field"] for r in rows if "error" not in r] == ["mode"]
    # Alone, the broken file is the one error line and exit 3, as before.
    proc = cli("check", str(tmp_path / "a-bad.toml"))
    assert proc.returncode == 3 and len(proc.stderr.splitlines()) == 1


def test_a_built_bundle_carries_the_expectations_its_scenario_states(cli, tmp_path):
    # The bundle is the platform the scenario describes, so what the scenario states of it holds
    # of the bundle too: build writes [expect] into platform.toml, the manifest covers it, and
    # check finds the same mismatch there.
    f = tmp_path / "pv.toml"
    f.write_text(PARAVISOR.format(mode="enlightened"))
    b = tmp_path / "built"
    assert cli("build", str(f), "-o", str(b)).returncode == 0
    assert cli("verify", str(b)).returncode == 0
    proc = cli("check", str(b))
    assert proc.returncode == 1, proc.stderr
    assert proc.stdout.decode().splitlines() == [f"{b}: linux: mode: expected enlightened, derived paravisor"]
    # Rebuilt from the bundle, or from its platform.toml alone, it carries them again.
    again = tmp_path / "again"
    assert cli("build", str(b), "-o", str(again)).returncode == 0
    alone = tmp_path / "alone"  # a platform.toml alone is not the whole platform, but states as much
    assert cli("build", str(b / "platform.toml"), "-o", str(alone)).returncode == 0
    import tomllib

    stated = [tomllib.loads((d / "platform.toml").read_text())["expect"] for d in (b, again, alone)]
    assert stated[0] == stated[1] == stated[2] == tomllib.loads(f.read_text())["expect"]


def test_the_built_catalog_meets_its_expectations(cli, tmp_path):
    # Every catalog scenario's [expect] tables, carried into its bundle, hold of the bundle:
    # building and reading back loses nothing any model reads.
    assert cli("build", "--all", "-o", str(tmp_path / "all")).returncode == 0
    proc = cli("check", str(tmp_path / "all"))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    n = len(list(CATALOG.glob("*.toml")))
    assert proc.stderr.decode().startswith(f"{n} target(s) checked, ")


def test_nothing_checkable_is_a_usage_error(cli, tmp_path):
    proc = cli("check", str(tmp_path))
    assert proc.returncode == 2 and b"nothing to check" in proc.stderr


def test_starter_scenario_names_what_reads_expect(cli, tmp_path):
    f = tmp_path / "my.toml"
    assert cli("scenario", "new", str(f)).returncode == 0
    text = f.read_text()
    assert "`pvenum check THIS.toml`" in text and "checked by tests and `pvenum validate`" not in text
    # The commented [expect.linux] example, uncommented, is read by `pvenum check`.
    f.write_text(text.replace("# [expect.linux]\n# mode", "[expect.linux]\nmode").replace('# memory_acceptance = "guest"', 'memory_acceptance = "guest"'))
    proc = cli("check", str(f))
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_plugin_helper(pvenum_check, pvenum_build):
    from pvenum.pytest_plugin import check_expectations

    pvenum_check("azure-snp-paravisor")
    pvenum_check(pvenum_build("azure-snp-paravisor"))
    with pytest.raises(AssertionError, match="linux: mode: expected enlightened, derived paravisor"):
        pvenum_check("azure-snp-paravisor", {"linux": {"mode": "enlightened"}})
    bad = check_expectations(pvenum_build("azure-snp-paravisor"), {"systemd": {"output": "none"}})
    assert [(m.model, m.field, m.expected, m.derived) for m in bad] == [("systemd", "output", "none", "sev-snp")]
    from pvenum.errors import ScenarioError

    with pytest.raises(ScenarioError, match="expect.linux.mode"):
        check_expectations("snp", {"linux": {"mode": "bananas"}})


def _readme_block(command: str) -> list[str]:
    text = (ROOT / "README.md").read_text()
    start = text.index(f"$ {command}\n") + len(f"$ {command}\n")
    return text[start:text.index("```", start)].rstrip("\n").splitlines()


@pytest.mark.parametrize("command", [
    "pvenum check tests/data/expect/paravisor-expects-enlightened.toml",
    "pvenum verify tests/data/bundles/copies-disagree",
])
def test_readme_examples_are_real_output(cli, command):
    proc = cli(*command.split()[1:])
    assert proc.returncode == 1
    # as a terminal shows it: the findings (stdout), then the summary line (stderr); tests/test_docs.py
    # runs every README example the same way
    assert proc.stdout.decode().splitlines() + proc.stderr.decode().splitlines() == _readme_block(command)


def test_bundle_fixture_matches_its_recipe():
    assert_matches_recipe(ROOT / "tests" / "data" / "bundles" / "recipe.py")


def test_a_toml_date_in_an_expected_output_table_is_json_text(cli, tmp_path):
    # TOML has dates; JSON has none: --json writes one as its text, never a traceback.
    f = tmp_path / "pv.toml"
    f.write_text(PARAVISOR.format(mode="paravisor") + "[expect.linux.output]\ncc_vendor = 1979-05-27\n")
    proc = cli("check", "--json", str(f))
    assert proc.returncode == 1, proc.stderr
    rows = [json.loads(x) for x in proc.stdout.splitlines()]
    assert any(r["field"].startswith("output") and "1979-05-27" in json.dumps(r["expected"]) for r in rows), rows
