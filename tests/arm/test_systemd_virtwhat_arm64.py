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


def test_systemd_258_says_cca_iff_linux_registers_arm_cca_dev(tmp_path):
    seen = set()
    for name, p in platforms(tmp_path).items():
        device = RSI_PDEV in resolve(p, "linux").output["devices"]
        d = systemd.derive(p, version=258)
        assert d.output == ("cca" if device else "none"), name
        assert d.mode == ("confidential" if device else "not-confidential"), name
        assert d.isolation == ("cca" if device else "none")
        assert evidence(d)[f"sysfs {RSI_PDEV}"] is device
        seen.add(device)
    assert seen == {True, False}


def test_systemd_257_has_no_aarch64_detection(tmp_path):
    for name, p in platforms(tmp_path).items():
        d = systemd.derive(p, version=257)  # Debian 13's v257
        assert d.output == "none" and d.mode == "not-confidential", name
        device = RSI_PDEV in resolve(p, "linux").output["devices"]
        assert ("systemd.arm64-no-cca-detection" in codes(d)) == device, name
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
