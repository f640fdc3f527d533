"""The bundled catalog: every scenario builds, re-reads and resolves to its expectation."""

from __future__ import annotations

import filecmp
import json
from pathlib import Path

import pytest

from pvenum.build import write_bundle
from pvenum.expect import compare
from pvenum.platform import load_bundle
from pvenum.resolver import MODELS, resolve_all
from pvenum.scenario import catalog

NAMES = catalog.names()


def test_catalog_is_complete():
    assert len(NAMES) >= 16
    for sc in catalog.all_scenarios():
        assert sc.description and set(sc.expect) == set(MODELS), sc.name


def unlisted_errors(expect, derivations) -> list[str]:
    """Error findings a scenario's [expect] does not list: an extra error is a regression, not
    noise, so the catalog states every error it expects."""
    out = []
    for model, e in expect.items():
        listed = set(e.findings)
        out += [f"{model}: {f.code}" for f in derivations[model].findings
                if f.severity == "error" and f.code not in listed]
    return out


def test_an_unlisted_error_finding_is_caught():
    from pvenum.resolver.derivation import Finding

    sc = catalog.get("snp")
    derivations = resolve_all(sc.platform())
    assert unlisted_errors(sc.expect, derivations) == []
    derivations["linux"].findings.append(Finding("error", "linux.test-extra", "an error nobody expected"))
    assert unlisted_errors(sc.expect, derivations) == ["linux: linux.test-extra"]


@pytest.mark.parametrize("name", NAMES)
def test_scenario_resolves_to_its_expectation(name):
    sc = catalog.get(name)
    derivations = resolve_all(sc.platform())
    assert compare(sc.expect, derivations) == []
    assert unlisted_errors(sc.expect, derivations) == []


@pytest.mark.parametrize("name", NAMES)
def test_built_directory_resolves_exactly_like_the_scenario(name, tmp_path):
    sc = catalog.get(name)
    platform = sc.platform()
    write_bundle(platform, tmp_path / name, name=name, description=sc.description)
    again = load_bundle(tmp_path / name)
    assert again.notes == []
    want = {m: d.to_dict() for m, d in resolve_all(platform).items()}
    got = {m: d.to_dict() for m, d in resolve_all(again).items()}
    assert got == want


def test_two_catalog_builds_are_byte_identical(cli, tmp_path):
    for run in ("a", "b"):
        proc = cli("build", "--all", "-o", str(tmp_path / run))
        assert proc.returncode == 0, proc.stderr
    cmp = filecmp.dircmp(tmp_path / "a", tmp_path / "b")

    def same(c: filecmp.dircmp) -> bool:
        if c.left_only or c.right_only or c.diff_files or c.funny_files:
            return False
        # dircmp compares shallowly (size/mtime); compare contents for real.
        for f in c.common_files:
            if (Path(c.left) / f).read_bytes() != (Path(c.right) / f).read_bytes():
                return False
        return all(same(sub) for sub in c.subdirs.values())

    assert same(cmp)
    assert sorted(p.name for p in (tmp_path / "a").iterdir()) == sorted(NAMES)


def test_manifest_hashes_the_files(tmp_path):
    import hashlib

    sc = catalog.get("snp-svsm")
    m = write_bundle(sc.platform(), tmp_path / "x", name=sc.name, description=sc.description)
    assert m["pvenum"] and m["name"] == "snp-svsm"
    for entry in m["files"]:
        data = (tmp_path / "x" / entry["path"]).read_bytes()
        assert hashlib.sha256(data).hexdigest() == entry["sha256"] and len(data) == entry["bytes"]
    assert {e["format"] for e in m["files"]} >= {"cpuid-r", "kvm_cpuid2", "firecracker-template", "platform-toml"}


def test_failed_build_leaves_nothing(tmp_path, monkeypatch):
    from pvenum import build as build_mod

    dest = tmp_path / "out"

    def boom(*a, **k):
        raise RuntimeError("disk full")

    monkeypatch.setattr(build_mod, "manifest", boom)
    with pytest.raises(RuntimeError):
        write_bundle(catalog.get("snp").platform(), dest, name="snp")
    assert not dest.exists() and list(tmp_path.iterdir()) == []


def test_scenarios_json(cli):
    items = json.loads(cli("scenarios", "--json").stdout)
    assert [i["name"] for i in items] == NAMES
    assert all(i["description"] for i in items)


def test_main_job_matrix(cli):
    proc = cli()
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout.decode()
    assert "scenarios × guest models" in out and "findings" in out
    doc = json.loads(cli("--json").stdout)
    assert [r["scenario"] for r in doc] == NAMES
    row = next(r for r in doc if r["scenario"] == "azure-snp-paravisor")
    assert row["models"]["virt-what"]["mode"] == "paravisor" and row["models"]["systemd"]["mode"] == "confidential"
    md = cli("--markdown").stdout.decode()
    assert md.startswith("| scenario | linux | systemd | virt-what | proposal |\n|---|")
    assert md.count("\n| **") == len(NAMES)
