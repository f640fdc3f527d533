"""The Linux model release by release: fixtures whose expectations come from the cited source
(tests/data/linux/recipe.py, scenarios/*.toml, expected.toml), and the release parameter itself."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path
from typing import Any

import pytest
from pvtest import assert_conclusions, assert_matches_recipe

from pvenum.errors import PvenumError
from pvenum.bundle import load_bundle
from pvenum.resolver import check_models, resolve, split_model
from pvenum.resolver.models.linux_releases import CHANGES, MAINLINE, RELEASES, parse_release
from pvenum.scenario import catalog
from pvenum.scenario.model import load_scenario_file

DATA = Path(__file__).resolve().parents[1] / "data" / "linux"
EXPECTED = tomllib.loads((DATA / "expected.toml").read_text())


def _platform(target: str):
    if target.startswith("catalog:"):
        return catalog.get(target.removeprefix("catalog:")).platform()
    path = DATA / target
    return load_scenario_file(path).platform() if path.suffix == ".toml" else load_bundle(path)


def _subset(got: Any, want: Any, where: str) -> None:
    if want is False:
        assert not got, f"{where}: {got!r} should be absent"
    elif isinstance(want, dict):
        assert isinstance(got, dict), f"{where}: {got!r}"
        for k, v in want.items():
            _subset(got.get(k), v, f"{where}.{k}")
    else:
        assert got == want, f"{where}: {got!r} != {want!r}"


def test_fixtures_match_their_recipe():
    assert_matches_recipe(DATA / "recipe.py")


CASES = [(row, model) for row, spec in EXPECTED.items() for model in spec if model != "target"]


@pytest.mark.parametrize(("row", "model"), CASES, ids=[f"{r}-{m}" for r, m in CASES])
def test_release_fixture(row: str, model: str):
    want = EXPECTED[row][model]
    d = resolve(_platform(EXPECTED[row]["target"]), model)
    got = d.to_dict()
    ctx = f"{row}/{model}"
    assert_conclusions(got, want, ctx)
    if "attestation" in want:
        assert got["services"]["attestation"]["available"] is want["attestation"], ctx
    if "attestation_via" in want:
        assert want["attestation_via"] in (got["services"]["attestation"]["via"] or ""), ctx
    codes = {f["code"]: f["message"] for f in got["findings"]}
    for code in want.get("findings", []):
        assert code in codes, f"{ctx}: {code} missing from {sorted(codes)}"
    for code in want.get("no_findings", []):
        assert code not in codes, f"{ctx}: {code} present"
    for code, text in want.get("finding_text", {}).items():
        assert text in codes.get(code, ""), f"{ctx}: {code}: {codes.get(code)!r}"
    if model.startswith("linux"):
        stops = got["output"]["stops"]
        if "stops" in want:
            if want["stops"] is False:
                assert stops is None, f"{ctx}: stops {stops!r}"
            else:
                assert stops and stops.split(":")[0] == want["stops"], f"{ctx}: stops {stops!r}"
        if "stops_text" in want:
            assert want["stops_text"] in (stops or ""), ctx
    if "output" in want:
        _subset(got["output"], want["output"], f"{ctx}: output")
    for ev in got["evidence"]:
        assert ev["source"] and ev.get("rule") and ev.get("cite"), (ctx, ev)


def test_every_row_names_its_source():
    for row, spec in EXPECTED.items():
        target = spec["target"]
        if target.startswith("rows/"):
            head = (DATA / target / "platform.toml").read_text().splitlines()[0]
            assert head.startswith("# ") and ("()" in head or ".c" in head), row
        elif target.startswith("scenarios/"):
            assert "source = " in (DATA / target).read_text(), row


# -- the release parameter ---------------------------------------------------------------------------


def test_model_names():
    assert split_model("linux@6.1") == ("linux", "6.1")
    assert split_model("linux") == ("linux", None)
    assert split_model("systemd@257") == ("systemd", "257")
    assert check_models(["linux@6.1,linux", "linux@6.12"]) == ("linux@6.1", "linux", "linux@6.12")
    for bad in ("linux@5.4", "proposal@1", "virt-what@1.27", "windows", "systemd@200"):
        with pytest.raises(PvenumError):
            split_model(bad)


def test_releases_order_and_mainline():
    assert parse_release(None) == MAINLINE and parse_release("mainline") == MAINLINE
    assert parse_release("6.1") < parse_release("6.6") < parse_release("6.12") < parse_release("7.2") < MAINLINE
    assert set(RELEASES) == {"6.1", "6.6", "6.12", "7.2", "mainline"}
    # The newest tree read (7.2.8) is mainline: every behaviour is placed by the release that
    # merged it, so linux@X.Y is exact for every X.Y up to 7.2 (and 7.3, which kernelcheck boots).
    assert all(c.since < MAINLINE for c in CHANGES.values()), [k for k, c in CHANGES.items() if c.since == MAINLINE]
    for key in ("svsm", "cca-realm", "hyperv-vtom", "tdx-guest", "secure-tsc", "secure-avic", "configfs-tsm",
                "mp-wakeup"):
        assert CHANGES[key].commit and CHANGES[key].before, key


def test_derivation_names_the_release_it_mirrors():
    p = catalog.get("snp-svsm").platform()
    d = resolve(p, "linux@6.1")
    assert d.model == "linux@6.1" and "v6.1" in d.mirrors and "6.1.176" in d.mirrors
    # Moved files are cited where that release keeps them.
    cites = {s.rule: s.cite for s in d.trace}
    assert "torvalds/linux v6.1 arch/x86/mm/mem_encrypt_identity.c" in cites.get("linux.x86.sme-enable", "") or \
        "torvalds/linux v6.1 " in cites["linux.x86.sev-enable"]
    assert any(e.source == "linux v6.1: svsm" and e.value is False for e in d.evidence)
    assert resolve(p, "linux").model == "linux"


def test_cli_main_shows_releases_side_by_side(cli):
    proc = cli("main", "--model", "linux@6.1,linux", "--scenario", "snp-svsm", "--json")
    assert proc.returncode == 0
    row = json.loads(proc.stdout)[0]
    assert list(row["models"]) == ["linux@6.1", "linux"]
    assert row["models"]["linux@6.1"]["mode"] == "conflict" and row["models"]["linux"]["mode"] == "enlightened"


def test_cli_explain_says_which_release(cli):
    proc = cli("resolve", "cca-realm", "--model", "linux@6.12", "--explain")
    out = proc.stdout.decode()
    assert proc.returncode == 0
    assert "torvalds/linux v6.12" in out and "before v6.13" in out


def test_cli_rejects_unknown_release(cli):
    proc = cli("resolve", "snp", "--model", "linux@5.4")
    assert proc.returncode == 2 and b"unknown Linux release" in proc.stderr


def test_release_doc_table_is_the_commands_output(cli):
    doc = (Path(__file__).resolve().parents[2] / "docs" / "linux-releases.md").read_text()
    proc = cli("main", "--model", "linux@6.1,linux@6.12,linux", "--differ", "--markdown")
    assert proc.returncode == 0
    assert proc.stdout.decode() in doc


# -- the new inputs through platform.toml and the scenario schema ------------------------------------


def test_platform_toml_reads_tdx_and_ghcb_facts(tmp_path):
    from pvenum.errors import ScenarioError
    from pvenum.platform_toml import parse_platform_toml

    doc = parse_platform_toml(b'arch = "x86_64"\n[snp]\nghcb_hv_features = 0x23\ncc_blob_magic = 0x45444d41\n'
                              b'[tdx]\nattributes = 0x10000000\ngpa_width = 48\nflexible_pending_ve = true\n')
    assert doc.snp.ghcb_hv_features == 0x23 and doc.snp.cc_blob_magic == 0x45444D41
    assert doc.tdx.attributes == 1 << 28 and doc.tdx.gpa_width == 48 and doc.tdx.flexible_pending_ve is True
    assert doc.to_json()["tdx"] == {"attributes": 1 << 28, "gpa_width": 48, "flexible_pending_ve": True}
    for bad, key in ((b"[tdx]\ngpaw = 48\n", "tdx.gpaw"), (b"[tdx]\ngpa_width = 64\n", "tdx.gpa_width"),
                     (b"[tdx]\nflexible_pending_ve = 1\n", "tdx.flexible_pending_ve"),
                     (b"[snp]\nghcb_protocol_max = 0x10000\n", "snp.ghcb_protocol_max")):
        with pytest.raises(ScenarioError) as err:
            parse_platform_toml(bad)
        assert err.value.key == key


def test_scenario_overrides_reach_the_model():
    from pvenum.scenario.model import parse_scenario

    text = ('[scenario]\nname = "t"\ndescription = "t"\nhypervisor = "kvm"\nisolation = "tdx"\n'
            '[override.tdx]\nattributes = 0\ngpa_width = 52\n')
    d = resolve(parse_scenario(text).platform(), "linux")
    assert d.mode == "conflict" and d.output["stops"].startswith("tdx_panic")
    text = ('[scenario]\nname = "t"\ndescription = "t"\nhypervisor = "kvm"\nisolation = "sev-snp"\n'
            '[svsm]\nvmpl = 2\n[override.snp]\nghcb_hv_features = 0x3\n')
    d = resolve(parse_scenario(text).platform(), "linux")
    assert d.output["stops"].startswith("GHCB_TERM_NOT_VMPL0")


def test_built_bundle_keeps_the_tdx_facts(tmp_path, cli):
    from pvenum.scenario.model import parse_scenario

    path = tmp_path / "t.toml"
    path.write_text('[scenario]\nname = "t"\ndescription = "t"\nhypervisor = "kvm"\nisolation = "tdx"\n'
                    '[override.tdx]\nattributes = 0x1\ngpa_width = 48\n')
    proc = cli("build", str(path), "-o", str(tmp_path / "out"))
    assert proc.returncode == 0, proc.stderr
    again = load_bundle(tmp_path / "out")
    assert again.tdx is not None and again.tdx.attributes == 1 and again.tdx.gpa_width == 48
    assert resolve(again, "linux@6.12").output["cc_mask"] == 1 << 47
    assert parse_scenario(path.read_text()).platform().tdx.gpa_width == 48


def test_scenario_states_confidential_vmbus():
    from pvenum.errors import ScenarioError
    from pvenum.scenario.model import parse_scenario

    head = '[scenario]\nname = "t"\ndescription = "t"\nhypervisor = "{hv}"\nisolation = "sev-snp"\n'
    sc = parse_scenario(head.format(hv="hyperv") + "[paravisor]\nconfidential_vmbus = true\n")
    p = sc.platform()
    assert p.cpuid.get(0x40000082)[0] & 1 << 3  # HYPERV_VS_PROPERTIES_EAX_CONFIDENTIAL_VMBUS_AVAILABLE
    assert resolve(p, "linux").output["confidential_vmbus"] is True
    assert resolve(p, "linux@6.12").output["confidential_vmbus"] is None  # not read before mainline
    with pytest.raises(ScenarioError):
        parse_scenario(head.format(hv="kvm") + "[paravisor]\nconfidential_vmbus = true\n")


def test_cross_channel_cpu_side_ignores_the_hypervisor_bit():
    # Item 1: crosschannel.cpu_side() follows tdx_early_init(), which never reads CPUID.1:ECX[31];
    # the catalog TD's CCEL (CCType 2, Intel TDX) agrees with a TD whose hypervisor bit is clear.
    from pvenum.scenario.x86 import ECX, HYPERVISOR_BIT, set_bits

    p = catalog.get("tdx").platform()
    p.cpuid = set_bits(p.cpuid, 0x1, ECX, clear_mask=HYPERVISOR_BIT)
    for model in ("linux", "proposal"):
        d = resolve(p, model)
        assert "cross.ccel-vs-cpuid" not in {f.code for f in d.findings}, model
        assert d.isolation == "tdx", model


def test_citations_follow_the_release():
    # Item 7: arm64 DMA set-up is arch_mm_preinit() in mainline, mem_init() up to 6.12; the SNP
    # feature masks are cited in boot/compressed/sev.c.
    realm = catalog.get("cca-realm").platform()
    cites = {s.rule: s.cite for s in resolve(realm, "linux").trace}
    assert "arch/arm64/mm/init.c: arch_mm_preinit()" in cites["linux.arm64.dma"]
    from pvenum.resolver.models import linux_arm64
    from pvenum.resolver.models.linux import cite_for
    from pvenum.resolver.models.linux_releases import parse_release

    dma = next(r for r in linux_arm64.RULES if r.id == "linux.arm64.dma")
    assert "arch/arm64/mm/init.c: mem_init()" in cite_for(dma.cite, parse_release("6.12"))
    snp = {s.rule: s.cite for s in resolve(catalog.get("snp").platform(), "linux@6.12").trace}
    assert "arch/x86/boot/compressed/sev.c: snp_check_features()" in snp["linux.x86.snp-features"]


def test_moved_files_are_cited_where_each_release_keeps_them():
    # The releases between the trees read, placed by the commits' own diffstats: a3cbbb4717e1
    # (v6.16's x86/core pull) moved arch/x86/coco/sev/{shared,startup}.c to
    # arch/x86/boot/startup/sev-{shared,startup}.c; 37dbd78f98a8 (tip x86/sev, v6.18) took
    # sev_es_negotiate_protocol() out of startup/sev-shared.c into coco/sev/vc-shared.c; the
    # mm_init rework of MM updates for 6.15-rc1 brought arch_mm_preinit().
    from pvenum.resolver.models import linux_arm64, linux_x86
    from pvenum.resolver.models.linux import cite_for
    from pvenum.resolver.models.linux_releases import parse_release

    sev = next(r for r in linux_x86.RULES if r.id == "linux.x86.sev-enable").cite
    where = {rel: cite_for(sev, parse_release(rel)) for rel in ("6.12", "6.15", "6.16", "6.17", "6.18")}
    assert "arch/x86/coco/sev/shared.c: sev_es_negotiate_protocol()" in where["6.12"]
    assert "arch/x86/coco/sev/shared.c: sev_es_negotiate_protocol()" in where["6.15"]
    for rel in ("6.16", "6.17"):
        assert "arch/x86/boot/startup/sev-shared.c: sev_es_negotiate_protocol()" in where[rel], rel
    assert "arch/x86/coco/sev/vc-shared.c: sev_es_negotiate_protocol()" in where["6.18"]
    dma = next(r for r in linux_arm64.RULES if r.id == "linux.arm64.dma").cite
    assert "arch/arm64/mm/init.c: mem_init()" in cite_for(dma, parse_release("6.14"))
    assert "arch/arm64/mm/init.c: arch_mm_preinit()" in cite_for(dma, parse_release("6.15"))
    tdisp = next(r for r in linux_x86.RULES if r.id == "linux.x86.tdisp").cite
    assert "drivers/pci/tsm.c (absent before v6.19)" in cite_for(tdisp, parse_release("6.18"))
    assert "(absent" not in cite_for(tdisp, parse_release("6.19"))


def test_every_config_assumption_is_recorded_where_it_decides():
    """Each option note_config() is asked about is a KCONFIG row, and its read names the
    assumption, the Kconfig default and Debian's setting (the Secure AVIC fixture needs one)."""
    from pvenum.resolver.models.linux_releases import KCONFIG

    # A KVM SNP guest with Secure AVIC on: kvm_cpuid_base() (CONFIG_KVM_GUEST), sev-guest
    # (CONFIG_SEV_GUEST), from v6.18 SNP_FEATURE_SECURE_AVIC (CONFIG_AMD_SECURE_AVIC) and, on its
    # AMD CPU from v6.9, bsp_determine_snp() (CONFIG_ARCH_HAS_CC_PLATFORM).
    d = resolve(_platform(EXPECTED["snp-secure-avic"]["target"]), "linux")
    rows = {e.source: e for e in d.evidence if e.source.startswith("CONFIG_")}
    assert set(rows) == {"CONFIG_KVM_GUEST", "CONFIG_SEV_GUEST", "CONFIG_AMD_SECURE_AVIC", "CONFIG_ARCH_HAS_CC_PLATFORM"}
    avic = rows["CONFIG_AMD_SECURE_AVIC"]
    assert avic.value is True and "Kconfig default n" in avic.name and "amd64 not set" in avic.name
    assert all(e.rule for e in rows.values())
    # v6.17 stops in the decompressor (snp_check_features()), before any of the three is reached.
    before = resolve(_platform(EXPECTED["snp-secure-avic"]["target"]), "linux@6.17")
    assert before.to_dict()["output"]["stops"].startswith("GHCB_SNP_UNSUPPORTED")
    assert not [e for e in before.evidence if e.source.startswith("CONFIG_")]
    assert all(o.debian and o.where and o.default for o in KCONFIG.values())
