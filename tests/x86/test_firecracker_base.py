"""Firecracker templates change only what their base has.

Expectations come from Firecracker v1.16.0-dev-617 (81b38b9; src/vmm/src/cpu_config/x86_64/mod.rs):
``apply_template_to_cpuid`` returns CpuidFeatureNotSupported for a modifier of a (leaf,
subleaf) missing from the base CPUID (KVM_GET_SUPPORTED_CPUID, src/vmm/src/arch/x86_64/mod.rs
configure_vcpus_for_boot), ``apply_template_to_msrs`` MsrNotSupported for an MSR missing from
what vCPU 0 read back; for every modified leaf it sets ``entry.flags = mod_leaf.flags``.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pvenum.cpuid import cpuid_r, firecracker, kvm
from pvenum.cpuid.model import CpuidDump, MsrSet


@pytest.fixture(scope="module")
def bundles(tmp_path_factory) -> dict[str, Path]:
    from pvenum.build import write_bundle
    from pvenum.scenario import catalog

    out = tmp_path_factory.mktemp("fcbase")
    for name in ("kvm", "azure-snp-paravisor"):
        sc = catalog.get(name)
        write_bundle(sc.platform(), out / name, name=name, description=sc.description)
    return {"kvm": out / "kvm", "azure-snp-paravisor": out / "azure-snp-paravisor"}


def test_convert_base_warns_for_each_leaf_the_base_lacks(bundles, cli, tmp_path):
    base = cpuid_r.parse((bundles["kvm"] / "cpuid").read_bytes())
    target = cpuid_r.parse((bundles["azure-snp-paravisor"] / "cpuid").read_bytes())
    added = sorted(set(target.cpu0()) - set(base.cpu0()))
    assert added  # the paravisor's Hyper-V leaves, which plain KVM does not have
    out = tmp_path / "t.json"
    r = cli("convert", str(bundles["azure-snp-paravisor"] / "cpuid"), "--to", "firecracker-template",
            "--base", str(bundles["kvm"] / "cpuid"), "-o", str(out))
    assert r.returncode == 0, r.stderr
    refused = [line for line in r.stderr.decode().splitlines() if "CpuidFeatureNotSupported" in line]
    assert refused == [f"pvenum: warning: leaf 0x{leaf:08x} subleaf 0x{sub:x} is not in the base; Firecracker "
                       "refuses the template (apply_template_to_cpuid: CpuidFeatureNotSupported)" for leaf, sub in added]
    # The modifiers are still written, so the template states the whole target.
    written = {(int(m["leaf"], 16), int(m["subleaf"], 16)) for m in json.loads(out.read_text())["cpuid_modifiers"]}
    assert set(added) <= written


def test_template_between_warns_for_an_msr_the_base_lacks():
    dump = CpuidDump.from_leaves({(0, 0): (1, 2, 3, 4)})
    _, warnings = firecracker.template_between(dump, dump, MsrSet({0x10A: 1}), MsrSet({0x10A: 5, 0xC0010131: 7}))
    assert warnings == ["MSR 0xc0010131 is not in the base; Firecracker refuses the template "
                        "(apply_template_to_msrs: MsrNotSupported)"]


def test_template_between_carries_a_flags_only_difference():
    # Same registers, the significant-index flag dropped from 7.0: a modifier sets an entry's
    # flags whatever its bitmaps, so the template needs one for 7.0 with no bitmap.
    base = kvm.parse(kvm.write(CpuidDump.from_leaves({(0, 0): (7, 0, 0, 0), (7, 0): (1, 2, 3, 4)})))
    assert base.flags[(7, 0)] == 1
    target = CpuidDump.from_leaves(base.cpu0(), flags={**base.flags, (7, 0): 0})
    tpl, warnings = firecracker.template_between(base, target)
    assert not warnings
    doc = tpl.to_json()
    assert doc["cpuid_modifiers"] == [{"leaf": "0x7", "subleaf": "0x0", "flags": 0, "modifiers": []}]
    assert firecracker.parse(json.dumps(doc)).apply(base).flags[(7, 0)] == 0


def _bundle_with_template(tmp_path: Path, base: Path, modifiers: list[dict]) -> Path:
    d = tmp_path / "overlay"
    d.mkdir()
    (d / "cpuid").write_bytes(base.read_bytes())
    (d / "template.json").write_text(json.dumps({"cpuid_modifiers": modifiers}))
    return d


def test_platform_notes_a_template_leaf_the_base_lacks(bundles, tmp_path):
    from pvenum.target import load_target

    base = cpuid_r.parse((bundles["kvm"] / "cpuid").read_bytes())
    assert (0x40000005, 0) not in base.cpu0() and (1, 0) in base.cpu0()
    d = _bundle_with_template(tmp_path, bundles["kvm"] / "cpuid", [
        {"leaf": "0x40000005", "subleaf": "0x0", "flags": 0, "modifiers": [{"register": "eax", "bitmap": "0bxx1"}]},
        {"leaf": "0x1", "subleaf": "0x0", "flags": 0, "modifiers": [{"register": "ecx", "bitmap": "0bxx1"}]},
    ])
    notes = load_target(str(d)).platform.notes
    assert [n for n in notes if "leaf 0x" in n] == [
        f"{d / 'template.json'}: leaf 0x40000005 subleaf 0x0 is not in the base; Firecracker refuses the template "
        "(apply_template_to_cpuid: CpuidFeatureNotSupported); pvenum applied it over zeros"]


def test_platform_has_no_such_note_when_the_base_has_every_leaf(bundles, tmp_path):
    from pvenum.target import load_target

    d = _bundle_with_template(tmp_path, bundles["kvm"] / "cpuid", [
        {"leaf": "0x1", "subleaf": "0x0", "flags": 0, "modifiers": [{"register": "ecx", "bitmap": "0bxx1"}]},
    ])
    platform = load_target(str(d)).platform
    assert not [n for n in platform.notes if "Firecracker refuses" in n]
    base = cpuid_r.parse((bundles["kvm"] / "cpuid").read_bytes())
    assert platform.cpuid.get(1)[2] == base.get(1)[2] | 1


def test_a_complete_template_still_states_a_dump_on_its_own():
    dump = CpuidDump.from_leaves({(0, 0): (7, 1, 2, 3), (0x40000005, 0): (4, 5, 6, 7)})
    tpl = firecracker.parse(firecracker.template_full(dump).dumps())
    assert tpl.complete and tpl.as_dump().cpu0() == dump.cpu0()


def test_a_partial_templates_msr_bitmap_goes_over_the_msr_the_bundle_states(bundles, tmp_path):
    """Firecracker applies a template's MSR bitmap over what KVM_GET_MSRS read back from the
    vCPU (apply_template_to_msrs: (value & !filter) | bits): a bit the bitmap keeps ('x') is the
    vCPU's. In a bundle the vCPU's value is the one the bundle states (platform.toml [msr]): the
    kept bits come from it, not from 0; an MSR the bundle does not state gets a note."""
    from pvenum.target import load_target

    src = bundles["azure-snp-paravisor"]
    d = tmp_path / "msr-overlay"
    d.mkdir()
    for name in ("cpuid", "platform.toml"):
        (d / name).write_bytes((src / name).read_bytes())
    stated = load_target(str(d)).platform.msr[0xC0010131]
    assert stated & 0b100 and stated & 0b10  # SNP and SEV-ES: the kept bits must keep them
    (d / "template.json").write_text(json.dumps({
        "cpuid_modifiers": [
            {"leaf": "0x1", "subleaf": "0x0", "flags": 0, "modifiers": [{"register": "ecx", "bitmap": "0bxx1"}]}],
        "msr_modifiers": [{"addr": "0xc0010131", "bitmap": "0b0xxx"}, {"addr": "0x10a", "bitmap": "0b1x"}]}))
    platform = load_target(str(d)).platform
    assert platform.msr[0xC0010131] == stated & ~0b1000  # bit 3 cleared, bits 0-2 (and above) the bundle's
    assert platform.msr[0x10A] == 0b10
    assert [n for n in platform.notes if "MSR 0x" in n] == [
        f"{d / 'template.json'}: MSR 0x10a keeps bits ('x') Firecracker takes from the vCPU (KVM_GET_MSRS, "
        "apply_template_to_msrs); no value for it here: pvenum applied them over 0"]
