"""Helpers for the arm64 tests: hand-made bundles (a DTB + platform.toml) and scenarios."""

from __future__ import annotations

from pathlib import Path

from pvenum import fdt
from pvenum.build import write_bundle
from pvenum.fdt import DeviceTree
from pvenum.platform import Platform, load_bundle
from pvenum.scenario import catalog
from pvenum.scenario.dt import base_tree
from pvenum.scenario.model import parse_scenario

ARM_SCENARIOS = [sc.name for sc in catalog.all_scenarios() if sc.arch == "arm64"]

# What a realm's RMM answers (SMCCC 1.2, PSCI 1.1, RSI 1.0) with a 33-bit IPA space.
REALM_SMCCC = """[smccc]
"0x80000000" = [0x10002, 0, 0, 0]
"0x84000000" = [0x10001, 0, 0, 0]
"0xc4000190" = [0, 0x10000, 0x10000, 0]
"0xc4000196" = [0, 0, 0, 0]
"0xc4000197" = [0, 0, 0, 0]
{extra}
[smccc.realm_config]
ipa_bits = {ipa_bits}
"""


def realm_smccc(ipa_bits: int = 33, extra: str = "") -> str:
    return REALM_SMCCC.format(ipa_bits=ipa_bits, extra=extra)


def qemu_tree(method: str | None = "smc") -> DeviceTree:
    """QEMU's virt tree (the scenario base) with /psci method set (None: deleted)."""
    tree = base_tree()
    psci = tree.get_node("/psci")
    if method is None:
        psci.delete_property("method")
    else:
        psci.set("method", method)
    return tree


def apply_edits(tree: DeviceTree, edits) -> DeviceTree:
    """A fuzzer's ``[(path, property, bytes | None)]`` on ``tree``: set the property, or delete it
    when the value is None; edits on a node the tree does not have are skipped."""
    for path, prop, value in edits:
        node = tree.get_node(path)
        if node is None:
            continue
        if value is None:
            node.delete_property(prop)
        else:
            node.set(prop, value)
    return tree


def bundle(tmp_path: Path, *, tree: DeviceTree | None = None, toml: str | None = "", name: str = "b",
           arch: str | None = "arm64") -> Platform:
    """A bundle directory with fdt.dtb (when ``tree``) and platform.toml (when ``toml`` is not
    None), read back the way `pvenum resolve DIR` reads it."""
    d = tmp_path / name
    d.mkdir(parents=True)
    if tree is not None:
        (d / "fdt.dtb").write_bytes(fdt.build(tree))
    if toml is not None:
        head = f'arch = "{arch}"\n' if arch else ""
        (d / "platform.toml").write_text(head + toml)
    return load_bundle(d)


def scenario(text: str):
    return parse_scenario(text, build=False)  # tests build it themselves (sc.platform())


def arm_scenario_text(*, hv: str = "kvm", iso: str = "none", extra: str = "") -> str:
    return (f'[scenario]\nname = "t"\ndescription = "t"\narch = "arm64"\nhypervisor = "{hv}"\n'
            f'isolation = "{iso}"\n{extra}')


def rebuilt(platform: Platform, tmp_path: Path, name: str = "p") -> Platform:
    write_bundle(platform, tmp_path / name, name=name)
    again = load_bundle(tmp_path / name)
    assert again.notes == []
    return again


def codes(d) -> dict[str, str]:
    return {f.code: f.severity for f in d.findings}


def evidence(d) -> dict[str, object]:
    return {e.source: e.value for e in d.evidence}
