"""systemd-detect-virt --cvm and virt-what-cvm on arm64."""

from __future__ import annotations

import pytest
from arm_helpers import ARM_SCENARIOS, bundle, codes, evidence, qemu_tree, realm_smccc

from pvenum.resolver import resolve
from pvenum.resolver.models import systemd
from pvenum.scenario import catalog

RSI_PDEV = "/sys/devices/platform/arm-cca-dev"


def hand_made(tmp_path):
    """Hand-made bundles: a realm, a realm whose REALM_CONFIG fails, an HVC guest with RSI answers."""
    failing = realm_smccc().replace('"0xc4000196" = [0, 0, 0, 0]', '"0xc4000196" = [1, 0, 0, 0]')
    return {
        "realm": bundle(tmp_path, tree=qemu_tree("smc"), toml=realm_smccc(), name="realm"),
        "config-fails": bundle(tmp_path, tree=qemu_tree("smc"), toml=failing, name="cfg"),
        "hvc": bundle(tmp_path, tree=qemu_tree("hvc"), toml=realm_smccc(), name="hvc"),
    }


def platforms(tmp_path):
    out = {name: catalog.get(name).platform() for name in ARM_SCENARIOS}
    out.update(hand_made(tmp_path))
    return out


# What systemd v258+ prints on each arm64 platform, stated by hand from the two upstream sources
# (not from pvenum's shared rsi_init(), which both the linux and the systemd model use):
#
# systemd/systemd src/basic/confidential-virt.c, detect_confidential_virtualization_impl() under
# `#elif defined(__aarch64__)`:
#     r = RET_NERRNO(access("/sys/devices/platform/arm-cca-dev", F_OK));
#     if (r < 0) return CONFIDENTIAL_VIRTUALIZATION_NONE;     -> "none"
#     return CONFIDENTIAL_VIRTUALIZATION_CCA;                  -> "cca"
# torvalds/linux arch/arm64/kernel/rsi.c: arm64_create_dummy_rsi_dev() registers "arm-cca-dev"
# when is_realm_world(), which arm64_rsi_init() enables only after, in order:
#     if (arm_smccc_1_1_get_conduit() != SMCCC_CONDUIT_SMC) return;
#     if (!rsi_version_matches()) return;                      (RSI_VERSION 0xc4000190 succeeds, 1.x)
#     if (WARN_ON(rsi_get_realm_config(&config))) return;      (RSI_REALM_CONFIG 0xc4000196 succeeds)
SYSTEMD_258_SAYS = {
    "arm64-kvm": "none",       # PSCI over HVC: not the SMC conduit
    "arm64-xen": "none",       # PSCI over HVC
    "arm64-hyperv": "none",    # ACPI ArmBootFlags PSCI_USE_HVC
    "cca-realm": "cca",        # SMC, RSI_VERSION 1.0, REALM_CONFIG succeeds
    "cca-realm-paravisor": "none",  # the paravisor hides RSI: RSI_VERSION is SMC_NOT_SUPPORTED
    "conflict-realm-record-not-in-charge": "cca",  # RSI answers the guest (the DT record does not matter)
    "realm": "cca",            # hand-made: the REALM_SMCCC answers over SMC
    "config-fails": "none",    # RSI_REALM_CONFIG returns 1: WARN_ON(...) -> return
    "hvc": "none",             # the same RSI answers, but PSCI over HVC
}


def test_systemd_258_matches_the_upstream_sources(tmp_path):
    plats = platforms(tmp_path)
    assert set(plats) == set(SYSTEMD_258_SAYS), "state systemd's answer for every arm64 platform by hand"
    for name, p in plats.items():
        want = SYSTEMD_258_SAYS[name]
        d = systemd.derive(p, version=258)
        assert d.output == want, name
        assert d.mode == ("confidential" if want == "cca" else "not-confidential"), name
        assert d.isolation == ("cca" if want == "cca" else "none"), name
        assert evidence(d)[f"sysfs {RSI_PDEV}"] is (want == "cca"), name
        # and Linux registers the device exactly there (the other side of the same fact)
        assert (RSI_PDEV in resolve(p, "linux").output["devices"]) is (want == "cca"), name


def test_systemd_257_has_no_aarch64_detection(tmp_path):
    for name, p in platforms(tmp_path).items():
        d = systemd.derive(p, version=257)  # Debian 13's v257: the `#else` branch, always "none"
        assert d.output == "none" and d.mode == "not-confidential", name
        realm = SYSTEMD_258_SAYS[name] == "cca"
        assert ("systemd.arm64-no-cca-detection" in codes(d)) == realm, name
    assert "v258+" in systemd.derive(catalog.get("cca-realm").platform(), version=257).findings[0].message
    assert systemd.derive(catalog.get("cca-realm").platform()).output == "cca"  # the default, v258


def test_systemd_cites_both_sides():
    from pvenum.resolver.models import systemd_arm64

    (rule,) = systemd_arm64.RULES
    assert "detect_confidential_virtualization_impl() (aarch64)" in rule.cite
    assert "arch/arm64/kernel/rsi.c" in rule.cite and "arm64_create_dummy_rsi_dev()" in rule.cite
    d = systemd.derive(catalog.get("cca-realm").platform(), version=262)
    assert d.output == "cca" and evidence(d)["smccc 0xc4000190.x0"] == 0


def test_systemd_indeterminate_without_the_rsi_facts(tmp_path):
    d = systemd.derive(bundle(tmp_path, tree=qemu_tree("smc"), toml=None), version=258)
    assert d.mode == "indeterminate" and d.output is None


@pytest.mark.parametrize("name", ARM_SCENARIOS)
def test_virt_what_prints_nothing_on_arm64(name):
    d = resolve(catalog.get(name).platform(), "virt-what")
    assert d.output == [] and d.mode == "not-confidential"
    assert evidence(d) == {"virt-what-cvm on arm64": None}
