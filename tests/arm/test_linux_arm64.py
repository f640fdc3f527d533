"""The linux model on arm64: catalog scenarios and hand-made bundles (DTB + platform.toml)."""

from __future__ import annotations

import json
import re

import pytest
from arm_helpers import (ARM_SCENARIOS, apply_edits, arm_scenario_text, bundle, codes, evidence, qemu_tree, realm_smccc,
                         rebuilt, scenario)

from pvenum.arm import smccc as S
from pvenum.resolver import resolve, resolve_all
from pvenum.resolver.models import linux_arm64
from pvenum.scenario import catalog


def linux(platform):
    return resolve(platform, "linux")


# -- the catalog -----------------------------------------------------------------------------------


def test_the_arm_catalog():
    assert {"arm64-kvm", "arm64-xen", "arm64-hyperv", "cca-realm", "cca-realm-paravisor",
            "conflict-realm-record-not-in-charge"} <= set(ARM_SCENARIOS)


@pytest.mark.parametrize("name", ARM_SCENARIOS)
def test_linux_output_is_consistent_on_every_arm_scenario(name, tmp_path):
    p = rebuilt(catalog.get(name).platform(), tmp_path)
    d = linux(p)
    out = d.output
    realm = out["is_realm_world"]
    assert realm == (d.mode == "enlightened") == (d.isolation == "cca")
    assert out["cc_attrs"] == (["CC_ATTR_MEM_ENCRYPT"] if realm else [])
    assert ("/sys/devices/platform/arm-cca-dev" in out["devices"]) == realm == ("arm-cca-guest" in out["drivers"])
    assert out["dma"]["swiotlb_force"] == realm
    assert d.memory_acceptance == ("guest" if realm else "none")
    src = evidence(d)
    if out["boot_firmware"] == "dt":
        assert src["dt /psci:method"] == out["conduit"]
    else:
        assert "acpi FACP.ArmBootFlags" in src
    # Every rule cites a file and a function.
    for step in d.trace:
        assert re.search(r"\w+\.(c|h|py|rst|md)\b", step.cite) and "(" in step.cite, step


def test_cca_realm(tmp_path):
    d = linux(rebuilt(catalog.get("cca-realm").platform(), tmp_path))
    out = d.output
    assert out["is_realm_world"] and out["ipa_bits"] == 48 and out["prot_ns_shared"] == 1 << 47
    assert out["conduit"] == out["smccc_conduit"] == "smc" and out["rsi_version"] == "1.0"
    assert "RME: Using RSI version 1.0" in out["dmesg"]
    assert out["hypervisor"] == "unknown"  # the RMM answers no vendor UID (handle_realm_rsi(): SMC_UNKNOWN)
    src = evidence(d)
    assert src["smccc 0xc4000190.x0"] == 0 and src["smccc 0xc4000196 realm_config.ipa_bits"] == 48
    assert src["dt /memory@40000000:reg"] == "00000000400000000000000008000000"
    assert d.services["attestation"].via.startswith("arm-cca-guest")
    rsi = next(e for e in d.evidence if e.source == "smccc 0xc4000190.x0")
    assert rsi.rule == "linux.arm64.rsi" and "arch/arm64/kernel/rsi.c: arm64_rsi_init()" in rsi.cite


def test_plain_kvm_guest():
    d = linux(catalog.get("arm64-kvm").platform())
    assert d.output["kvm_hyp_services"] == ["FEATURES", "PTP"]
    assert "smccc: KVM: hypervisor services detected (0x00000000 0x00000000 0x00000000 0x00000003)" in d.output["dmesg"]
    assert evidence(d)["smccc 0x8600ff01.x0"] == S.UID_KVM[0]


def test_the_kvm_uid_is_asked_as_each_release_asks_it():
    # Over SMC: 6.12.107 drivers/firmware/smccc/kvm_guest.c kvm_init_hyp_services() returns unless
    # arm_smccc_1_1_get_conduit() is SMCCC_CONDUIT_HVC; 6.16's arm_smccc_hypervisor_has_uuid()
    # (13423063c7cb) still asks over HVC only; "firmware: smccc: support both conduits for getting
    # hyp UUID" (v6.17; 6.17.8 and 7.2.8 smccc.c) asks over arm_smccc_1_1_invoke().
    smc = scenario(arm_scenario_text(extra='[override.dt]\n"/psci:method" = "smc"\n')).platform()
    for model, services in (("linux@6.12", None), ("linux@6.16", None), ("linux@6.17", ["FEATURES", "PTP"]),
                            ("linux", ["FEATURES", "PTP"])):
        d = resolve(smc, model)
        assert d.output["kvm_hyp_services"] == services, model
        assert (d.hypervisor == "kvm") == (services is not None), model
    # Each register's high half: 6.12's compare takes x0..x3 whole (res.a0 != ..._REG_0); from v6.16
    # smccc_res_to_uuid(u32 r0, ...) reads the low 32 bits only.
    high = catalog.get("arm64-kvm").platform()
    words = high.smccc.answers[S.VENDOR_HYP_CALL_UID]
    high.smccc.answers[S.VENDOR_HYP_CALL_UID] = (words[0] | 1 << 40, *words[1:])
    assert resolve(high, "linux").hypervisor == "kvm" and resolve(high, "linux@6.16").hypervisor == "kvm"
    old = resolve(high, "linux@6.12")
    assert old.hypervisor == "unknown" and old.output["kvm_hyp_services"] is None


def test_xen_guest_and_broken_xen_nodes():
    d = linux(catalog.get("arm64-xen").platform())
    assert d.hypervisor == "xen" and d.output["xen"] == {
        "version": "4.17", "grant_table": [0x38000000, 0x1000000], "events_irq": [1, 15, 0xF08], "guest_init": True}
    assert "Xen 4.17 support found" in d.output["dmesg"]
    assert evidence(d)["dt /hypervisor:compatible"] == ["xen,xen-4.17", "xen,xen"]
    no_irq = scenario(arm_scenario_text(hv="xen", extra='[override.dt]\n"/hypervisor:interrupts" = false\n'))
    d = linux(no_irq.platform())
    assert d.hypervisor == "xen" and codes(d)["linux.arm64.xen-guest-init-fails"] == "warning"
    assert "Xen event channel interrupt not found" in d.output["dmesg"]
    # xen_dt_guest_init() only logs a missing reg; xen_guest_init() then maps the grant table from
    # ballooned pages (arch/arm/xen/enlighten.c, 6.1.176, 6.12.107 and 7.2.8).
    no_reg = scenario(arm_scenario_text(hv="xen", extra='[override.dt]\n"/hypervisor:reg" = false\n'))
    d = linux(no_reg.platform())
    assert d.output["xen"]["guest_init"] is True and d.output["xen"]["grant_table"] is None
    assert "linux.arm64.xen-guest-init-fails" not in codes(d)
    assert codes(d)["linux.arm64.xen-grant-frames-ballooned"] == "info"
    assert "Xen grant table region is not found" in d.output["dmesg"]
    unversioned = scenario(arm_scenario_text(hv="xen", extra='[override.dt]\n"/hypervisor:compatible" = "xen,xen"\n'))
    d = linux(unversioned.platform())
    assert d.hypervisor == "unknown" and "linux.arm64.xen-node-ignored" in codes(d)


def test_xen_on_an_acpi_boot_takes_its_interrupt_from_the_hypervisor():
    # arch/arm/xen/enlighten.c xen_guest_init() (7.2.8): "if (!acpi_disabled) xen_acpi_guest_init();
    # else xen_dt_guest_init();" — with ACPI the event channel PPI comes from HVMOP_get_param(
    # HVM_PARAM_CALLBACK_IRQ), not from the stub DT's /hypervisor, so a DT without "interrupts"
    # is no failure there.
    p = scenario(arm_scenario_text(hv="xen", extra='[firmware]\nacpi = true\ndt = true\n')).platform()
    root = p.fdt.root
    for child in [c for c in root.children if c.name not in ("chosen", "hypervisor")]:
        root.delete_child(child.name)  # the EFI stub's tree: dt_is_stub()
    p.fdt.get_node("/hypervisor").delete_property("interrupts")
    d = linux(p)
    assert d.output["boot_firmware"] == "acpi" and d.hypervisor == "xen", d.output
    assert d.output["xen"]["guest_init"] is True and "linux.arm64.xen-guest-init-fails" not in codes(d)
    # xen_acpi_guest_init(): (a.value >> 56) == HVM_PARAM_CALLBACK_TYPE_PPI, nothing of the DT node.
    src = evidence(d)
    assert src["xen HVM_PARAM_CALLBACK_IRQ[63:56] (assumed)"] == "HVM_PARAM_CALLBACK_TYPE_PPI"
    assert not {"dt /hypervisor:reg", "dt /hypervisor:interrupts"} & set(src)


def test_hyperv_by_fadt_and_by_uid(tmp_path):
    d = linux(rebuilt(catalog.get("arm64-hyperv").platform(), tmp_path))
    assert d.hypervisor == "hyperv" and d.output["hyperv"] == "acpi" and d.output["boot_firmware"] == "acpi"
    assert evidence(d)["acpi FACP.HypervisorId"] == "MsHyperV" and d.output["conduit"] == "hvc"
    # A DT-booted Hyper-V guest (VTL2-style): only the SMCCC UID says so.
    uid = '[smccc]\n"0x80000000" = [0x10002]\n"0x84000000" = [0x10001]\n"0x8600ff01" = [0x4d32ba58, 0xcd244764, 0x8eef6c75, 0x16597024]\n'
    d = linux(bundle(tmp_path, tree=qemu_tree("hvc"), toml=uid, name="dt"))
    assert d.hypervisor == "hyperv" and d.output["hyperv"] == "smccc"
    # FADT revision 5: hyperv_detect_via_acpi() does not read HypervisorId.
    old = catalog.get("arm64-hyperv").platform()
    old.smccc.answers.pop(S.VENDOR_HYP_CALL_UID)
    fadt = old.acpi.get("FACP")
    fadt.revision = 5
    fadt.fix_checksum()
    d = linux(rebuilt(old, tmp_path, "rev5"))
    assert d.output["hyperv"] is None and "linux.arm64.hyperv-fadt-too-old" in codes(d)


def test_a_fadt_arm64_refuses_disables_acpi(tmp_path):
    # arch/arm64/kernel/acpi.c (6.1.176 and 7.2.8): acpi_boot_table_init() -> acpi_fadt_sanity_check()
    # fails for a FADT below 5.1 without ArmBootFlags, or without ACPI_FADT_HW_REDUCED (1 << 20,
    # include/acpi/actbl.h); then disable_acpi() (no acpi=force) and the EFI stub's DT is all
    # there is: no PSCI node, no conduit, and hyperv_detect_via_acpi() sees acpi_disabled.
    def booted(edit):
        p = catalog.get("arm64-hyperv").platform()
        p.smccc.answers.pop(S.VENDOR_HYP_CALL_UID)  # Hyper-V by its FADT alone
        fadt = p.acpi.get("FACP")
        edit(fadt)
        fadt.fix_checksum()
        return linux(rebuilt(p, tmp_path, f"p{len(list(tmp_path.iterdir()))}"))

    def no_hw_reduced(fadt):
        fadt.fields["Flags"] &= ~(1 << 20)

    def rev_5_0(fadt, boot_flags=None):
        fadt.revision, fadt.fields["MinorRevision"] = 5, 0
        if boot_flags is not None:
            fadt.fields["ArmBootFlags"] = boot_flags

    for edit in (no_hw_reduced, lambda f: rev_5_0(f, 0)):
        d = booted(edit)
        out = d.output
        assert (out["boot_firmware"], out["conduit"], d.hypervisor) == ("dt", "none", "none"), out
        assert "linux.arm64.acpi-disabled" in codes(d) and "Failed to init ACPI tables" in out["dmesg"]
    d = booted(rev_5_0)  # ArmBootFlags still set (PSCI_COMPLIANT | PSCI_USE_HVC): 5.1 assumed
    assert (d.output["boot_firmware"], d.output["conduit"]) == ("acpi", "hvc")
    # ... though hyperv_detect_via_acpi() reads HypervisorId only from revision 6 (mshyperv.c).
    assert d.hypervisor == "unknown" and "linux.arm64.hyperv-fadt-too-old" in codes(d)
    assert d.output["dmesg"][:2] == ["[Firmware Bug]: Unsupported FADT revision 5.0, should be 5.1+",
                                     "FADT has ARM boot flags set, assuming 5.1"]
    assert "linux.arm64.acpi-disabled" not in codes(d)


def test_cross_channel_rules_still_run_on_arm64():
    sc = scenario(arm_scenario_text(hv="hyperv", extra='[firmware]\ndt = false\nacpi = true\n[override.smccc]\n'
                                                      '"0x8600ff01" = [0xb66fb428, 0xe911c52e, 0x564bcaa9, 0x743a004d]\n'))
    d = linux(sc.platform())
    assert "cross.fadt-hypervisor-vs-smccc" in codes(d)
    assert d.trace[-2].rule.startswith("cross.") and d.trace[-1].rule == "linux.arm64.mode"


# -- arm64_rsi_init(), step by step, on hand-made bundles -------------------------------------------


def test_hvc_conduit_never_asks_rsi(tmp_path):
    d = linux(bundle(tmp_path, tree=qemu_tree("hvc"), toml=realm_smccc()))
    assert not d.output["is_realm_world"] and d.mode == "not-confidential"
    assert codes(d)["linux.arm64.rsi-not-asked"] == "info"
    assert not [line for line in d.output["dmesg"] if line.startswith("RME")]
    step = next(s for s in d.trace if s.rule == "linux.arm64.rsi")
    assert "not SMC: arm64_rsi_init() returns at once" in step.conclusion


def test_rsi_version_error_prints_the_rme_message(tmp_path):
    extra = '"0xc4000190" = [1, 0x20000, 0x20001, 0]'
    toml = realm_smccc().replace('"0xc4000190" = [0, 0x10000, 0x10000, 0]', extra)
    d = linux(bundle(tmp_path, tree=qemu_tree("smc"), toml=toml))
    assert not d.output["is_realm_world"] and d.mode == "not-confidential"
    assert "RME: RMM doesn't support RSI version 1.0. Supported range: 2.0-2.1" in d.output["dmesg"]
    assert evidence(d)["smccc 0xc4000190.x0"] == 1


def test_rsi_not_supported_is_silently_not_a_realm(tmp_path):
    toml = realm_smccc().replace('"0xc4000190" = [0, 0x10000, 0x10000, 0]', '"0xc4000190" = [-1, 0, 0, 0]')
    d = linux(bundle(tmp_path, tree=qemu_tree("smc"), toml=toml))
    assert not d.output["is_realm_world"] and d.output["dmesg"][-1].startswith("psci:")
    assert evidence(d)["smccc 0xc4000190.x0"] == S.SMCCC_RET_NOT_SUPPORTED


@pytest.mark.parametrize("ipa_bits,shared", [(33, 1 << 32), (40, 1 << 39), (48, 1 << 47), (52, 1 << 51)])
def test_prot_ns_shared_is_the_top_ipa_bit(ipa_bits, shared, tmp_path):
    d = linux(bundle(tmp_path, tree=qemu_tree("smc"), toml=realm_smccc(ipa_bits)))
    assert d.output["is_realm_world"] and d.output["prot_ns_shared"] == shared and d.output["ipa_bits"] == ipa_bits
    assert d.memory_acceptance == "guest" and d.output["cc_attrs"] == ["CC_ATTR_MEM_ENCRYPT"]


def test_realm_config_failure_and_ripas_refusal(tmp_path):
    failing = realm_smccc().replace('"0xc4000196" = [0, 0, 0, 0]', '"0xc4000196" = [1, 0, 0, 0]')
    d = linux(bundle(tmp_path, tree=qemu_tree("smc"), toml=failing, name="cfg"))
    assert not d.output["is_realm_world"] and codes(d)["linux.arm64.realm-config-fails"] == "warning"
    refused = realm_smccc().replace('"0xc4000197" = [0, 0, 0, 0]', '"0xc4000197" = [0, 0, 1, 0]')
    d = linux(bundle(tmp_path, tree=qemu_tree("smc"), toml=refused, name="ripas"))
    assert d.mode == "conflict" and d.isolation == "cca"
    assert d.output["stops"] == "panic: Failed to set memory range to protected: 0x0000000040000000-0x0000000048000000"
    assert codes(d)["linux.boot-stops.rsi-setup-memory"] == "error"


def _realm_answering_top(tmp_path, top, name, edit=None):
    tree = qemu_tree("smc")  # one memory node: 0x40000000, 128 MiB
    if edit is not None:
        edit(tree)
    toml = realm_smccc().replace('"0xc4000197" = [0, 0, 0, 0]', f'"0xc4000197" = [0, {top:#x}, 0, 0]')
    return linux(bundle(tmp_path, tree=tree, toml=toml, name=name))


@pytest.mark.parametrize("top, stops", [
    (0, None),  # pvenum's reading of 0: each range set whole
    (0x48000000, None),  # the range's end: one call sets it
    (0x40000000 - 0x1000, "panic: Failed to set memory range to protected: 0x0000000040000000-0x0000000048000000"),
    (0x48001000, "panic: Failed to set memory range to protected: 0x0000000040000000-0x0000000048000000"),
    (0x40000000, "hang: rsi_set_memory_range(0x40000000, 0x48000000) loops"),  # start: no progress
    (0x44000000, "hang: rsi_set_memory_range(0x40000000, 0x48000000) loops"),  # the same top again
])
def test_the_top_ripas_set_returns_is_checked_as_rsi_set_memory_range_does(tmp_path, top, stops):
    # torvalds/linux v7.2.8 arch/arm64/include/asm/rsi.h rsi_set_memory_range(): while (start !=
    # end) { ret = rsi_set_addr_range_state(..., &top); if (ret || top < start || top > end)
    # return -EINVAL; start = top; } and arm64_rsi_setup_memory() panics on -EINVAL with
    # for_each_mem_range()'s start and exclusive end (%pa). One answer for every call: a top
    # inside the range is returned again, so start stops moving and the loop never ends.
    d = _realm_answering_top(tmp_path, top, f"top{top:x}")
    assert evidence(d)["smccc 0xc4000197.x1"] == top
    if stops is None:
        assert d.output["is_realm_world"] and d.output["stops"] is None and d.mode != "conflict"
    else:
        assert d.mode == "conflict" and d.isolation == "cca" and d.output["stops"].startswith(stops)
        assert codes(d)["linux.boot-stops.rsi-setup-memory"] == "error"


def test_ripas_ranges_are_memblocks_in_address_order(tmp_path):
    # A second memory node listed first, above the other: memblock sorts the regions
    # (memblock_add_range()), so the first range asked is 0x40000000's; a top that ends it is
    # below the second range's start, which is then -EINVAL.
    def second_above(tree):
        mem = tree.root.add_child("memory@80000000")
        mem.set("device_type", "memory")
        mem.set("reg", [0, 0x80000000, 0, 0x1000000])
        tree.root.children.insert(0, tree.root.children.pop())

    d = _realm_answering_top(tmp_path, 0x48000000, "two", second_above)
    assert d.output["stops"] == "panic: Failed to set memory range to protected: 0x0000000080000000-0x0000000081000000"

    def adjacent(tree):  # merged with the first (memblock_merge_regions()): one range to its end
        mem = tree.root.add_child("memory@48000000")
        mem.set("device_type", "memory")
        mem.set("reg", [0, 0x48000000, 0, 0x1000000])

    d = _realm_answering_top(tmp_path, 0x49000000, "adjacent", adjacent)
    assert d.output["stops"] is None and d.output["is_realm_world"]


def test_a_top_with_no_ram_in_the_dt_is_said_to_be_assumed(tmp_path):
    # An EFI boot rebuilds memblock from the EFI memory map (drivers/firmware/efi/efi-init.c
    # reserve_regions(): memblock_remove(0, PHYS_ADDR_MAX) first), which a platform does not
    # state: the top cannot be held to a range, so the boot is not judged on it, and said so.
    def no_memory(tree):
        tree.root.children.remove(tree.get_node("/memory@40000000"))

    d = _realm_answering_top(tmp_path, 0x44000000, "nomem", no_memory)
    assert d.output["stops"] is None and d.output["is_realm_world"]
    assumed = [f.message for f in d.findings if f.code == "linux.arm64.rsi-assumed"]
    assert len(assumed) == 1 and "top 0x44000000 ends each memory range" in assumed[0]


def _refusing_realm(tmp_path, edit, name):
    tree = qemu_tree("smc")
    edit(tree)
    refused = realm_smccc().replace('"0xc4000197" = [0, 0, 0, 0]', '"0xc4000197" = [0, 0, 1, 0]')
    return linux(bundle(tmp_path, tree=tree, toml=refused, name=name))


def test_ripas_panic_names_the_memblock_range_linux_adds(tmp_path):
    # early_init_dt_scan_memory() (torvalds/linux drivers/of/fdt.c): a memory node whose status
    # is not "ok"/"okay" is skipped (of_fdt_device_is_available()), and linux,usable-memory is
    # read instead of reg when present; arm64_rsi_setup_memory() panics on the first range.
    def disabled_first(tree):
        mem = tree.root.add_child("memory@10000000")
        mem.set("device_type", "memory")
        mem.set("reg", [0, 0x10000000, 0, 0x1000000])
        mem.set("status", "disabled")
        tree.root.children.insert(0, tree.root.children.pop())

    def usable(tree):
        tree.get_node("/memory@40000000").set("linux,usable-memory", [0, 0x44000000, 0, 0x2000000])

    d = _refusing_realm(tmp_path, disabled_first, "disabled")
    assert d.output["stops"] == "panic: Failed to set memory range to protected: 0x0000000040000000-0x0000000048000000"
    # Both inputs that chose the nodes are evidence: the skipped node's status, and the status
    # (absent: available) of the one used; the PSCI node's status is read the same way.
    ev = evidence(d)
    assert ev["dt /memory@10000000:status"] == "disabled" and ev["dt /memory@10000000:device_type"] == "memory"
    assert "dt /memory@40000000:status" in ev and ev["dt /memory@40000000:status"] is None
    assert "dt /psci:status" in ev and ev["dt /psci:status"] is None
    d = _refusing_realm(tmp_path, usable, "usable")
    assert d.output["stops"] == "panic: Failed to set memory range to protected: 0x0000000044000000-0x0000000046000000"
    assert evidence(d)["dt /memory@40000000:linux,usable-memory"] == "00000000440000000000000002000000"


@pytest.mark.parametrize("psci", [
    {"compatible": "arm,psci"},  # PSCI 0.1: no SMCCC_VERSION, arm_smccc_1_1_get_conduit() = NONE
    {"version": "0x00002"},  # PSCI 0.2 < 1.0: psci_init_smccc() does not ask SMCCC_VERSION
])
def test_smccc_1_0_means_no_conduit_for_rsi(psci, tmp_path):
    tree = qemu_tree("smc")
    toml = realm_smccc()
    if "compatible" in psci:
        tree.get_node("/psci").set("compatible", psci["compatible"])
    else:
        toml = toml.replace('"0x84000000" = [0x10001, 0, 0, 0]', f'"0x84000000" = [{psci["version"]}, 0, 0, 0]')
    d = linux(bundle(tmp_path, tree=tree, toml=toml))
    assert d.output["conduit"] == "smc" and d.output["smccc_conduit"] == "none"
    assert not d.output["is_realm_world"]


@pytest.mark.parametrize(("answers", "conduit", "version"), [
    # psci_init_smccc() (6.1.176 and 7.2.8 drivers/firmware/psci/psci.c): psci_features(
    # ARM_SMCCC_VERSION_FUNC_ID) == PSCI_RET_NOT_SUPPORTED (-1, its int) leaves SMCCC 1.0 ...
    ('"0x8400000a" = [-1, 0, 0, 0]', "none", "1.0"),
    ('"0x8400000a" = [0xffffffff, 0, 0, 0]', "none", "1.0"),
    # ... otherwise SMCCC_VERSION is kept as a u32: NOT_SUPPORTED reads 0xffffffff, past 1.1.
    ('"0x8400000a" = [0, 0, 0, 0]\n"0x80000000" = [-1, 0, 0, 0]', "smc", "32767.65535"),
    ('"0x80000000" = [0x10000, 0, 0, 0]', "none", "1.0"),
])
def test_psci_init_smccc_asks_psci_features_then_a_u32_version(answers, conduit, version, tmp_path):
    toml = realm_smccc()
    for line in answers.split("\n"):
        fid = line.split(" = ")[0]
        toml = "\n".join(x for x in toml.splitlines() if not x.startswith(fid)) + "\n"
        toml = toml.replace("[smccc]\n", f"[smccc]\n{line}\n", 1)
    d = linux(bundle(tmp_path, tree=qemu_tree("smc"), toml=toml))
    assert (d.output["smccc_conduit"], d.output["smccc_version"]) == (conduit, version), toml
    assert d.output["is_realm_world"] == (conduit == "smc")


def test_missing_conduit_information_is_indeterminate(tmp_path):
    # platform.toml alone: no DTB, no ACPI.
    p = bundle(tmp_path, toml=realm_smccc(), name="toml-only")
    ds = resolve_all(p)
    assert ds["linux"].mode == "indeterminate" and "linux.arm64.no-firmware-description" in codes(ds["linux"])
    assert "devicetree or ACPI" in ds["linux"].trace[-1].conclusion
    assert ds["proposal"].mode == "indeterminate" and "SMCCC conduit" in ds["proposal"].trace[1].conclusion
    assert ds["systemd"].mode == "indeterminate" and ds["systemd"].output is None
    # A DTB over SMC but no [smccc] answers: RSI_VERSION is unknown.
    d = linux(bundle(tmp_path, tree=qemu_tree("smc"), toml=None, name="dtb-only"))
    assert d.mode == "indeterminate" and "SMCCC answers" in d.trace[-1].conclusion
    # A DTB over HVC needs no answers: arm64_rsi_init() returns before asking.
    d = linux(bundle(tmp_path, tree=qemu_tree("hvc"), toml=None, name="hvc-only"))
    assert d.mode == "not-confidential"


def test_psci_without_method(tmp_path):
    d = linux(bundle(tmp_path, tree=qemu_tree(None), toml=realm_smccc()))
    assert d.output["conduit"] == "none" and d.mode == "not-confidential"
    assert codes(d)["linux.arm64.no-psci-conduit"] == "warning" and 'psci: missing "method" property' in d.output["dmesg"]


def test_design_md_platform_toml_with_a_realm_dtb(tmp_path):
    from test_smccc import CONTRACT_EXAMPLE

    realm = catalog.get("cca-realm").platform().fdt
    p = bundle(tmp_path, tree=realm, toml=CONTRACT_EXAMPLE.decode().removeprefix('arch = "arm64"\n'))
    assert p.arch == "arm64"
    d = linux(p)
    out = d.output
    assert out["is_realm_world"] and out["rsi_version"] == "1.0" and out["prot_ns_shared"] is None
    assert d.hypervisor == "kvm"  # the example answers the KVM UID, over SMC
    assert codes(d)["linux.arm64.rsi-assumed"] == "info"  # REALM_CONFIG / IPA_STATE_SET not stated
    # KVM_FEATURES unanswered: lower_32_bits(-1) reads as every service 0..31.
    assert codes(d)["linux.arm64.kvm-features-unanswered"] == "warning"
    assert out["kvm_hyp_services"][:5] == ["FEATURES", "PTP", "HYP_MEMINFO", "MEM_SHARE", "MEM_UNSHARE"]
    assert out["pkvm"] == {"granule": None, "mem_crypt_ops": False, "mmio_guard": False}  # HYP_MEMINFO fails
    p2 = resolve(p, "proposal")
    assert p2.mode == "enlightened" and p2.isolation == "cca"


def test_pkvm_protected_guest(tmp_path):
    toml = ('[smccc]\n"0x80000000" = [0x10002]\n"0x84000000" = [0x10001]\n'
            '"0x8600ff01" = [0xb66fb428, 0xe911c52e, 0x564bcaa9, 0x743a004d]\n'
            '"0x86000000" = [0x9f, 0, 0, 0]\n"0xc6000002" = [0x1000, 0, 0, 0]\n')
    d = linux(bundle(tmp_path, tree=qemu_tree("hvc"), toml=toml))
    assert d.output["pkvm"] == {"granule": 0x1000, "mem_crypt_ops": True, "mmio_guard": True}
    assert "linux.arm64.pkvm-protected-guest" in codes(d) and d.mode == "not-confidential"


# -- DT facts ----------------------------------------------------------------------------------------

POOL = """[override.dt]
"/reserved-memory" = {{ "#address-cells" = [2], "#size-cells" = [2], ranges = true }}
"/reserved-memory/restricted-dma@50000000" = {{ compatible = "restricted-dma-pool", reg = [0, 0x50000000, 0, 0x4000000], phandle = [0x77]{more} }}
"/virtio_mmio@a000000:memory-region" = [0x77]
"""


def test_restricted_dma_pool_in_a_realm(tmp_path):
    sc = scenario(arm_scenario_text(iso="cca", extra=POOL.format(more="")))
    d = linux(rebuilt(sc.platform(), tmp_path))
    assert d.output["dma"] == {"swiotlb_force": True, "pools": [{
        "path": "/reserved-memory/restricted-dma@50000000", "compatible": "restricted-dma-pool",
        "base": 0x50000000, "size": 0x4000000, "users": ["/virtio_mmio@a000000"], "accepted": True}]}
    assert "Reserved memory: created restricted DMA pool at 0x50000000, size 64 MiB" in d.output["dmesg"]
    assert codes(d)["linux.arm64.restricted-pool-in-realm"] == "info"
    refused = scenario(arm_scenario_text(extra=POOL.format(more=', "no-map" = true')))
    d = linux(refused.platform())
    assert codes(d)["linux.arm64.restricted-pool-refused"] == "warning"
    assert d.output["dma"]["pools"][0]["accepted"] is False and not d.output["dma"]["swiotlb_force"]


@pytest.mark.parametrize("addr,warn", [("0x9000000", True), ("0x800009000000", False)])
def test_realm_earlycon_must_use_the_unprotected_alias(addr, warn):
    sc = scenario(arm_scenario_text(iso="cca", extra=f'[override.dt]\n"/chosen:bootargs" = "earlycon=pl011,{addr}"\n'))
    d = linux(sc.platform())
    assert d.output["chosen"]["bootargs"] == f"earlycon=pl011,{addr}"
    assert ("linux.arm64.earlycon-protected-alias" in codes(d)) == warn


def test_resolve_cli_on_an_arm_bundle(cli, tmp_path):
    assert cli("build", "cca-realm", "-o", str(tmp_path / "b")).returncode == 0
    doc = json.loads(cli("resolve", str(tmp_path / "b"), "--json").stdout)
    assert doc["arch"] == "arm64"
    lx = doc["derivations"]["linux"]
    assert lx["mode"] == "enlightened" and lx["output"]["is_realm_world"] is True
    assert {"source": "dt /psci:method", "value": "smc"}.items() <= next(
        e for e in lx["evidence"] if e["source"] == "dt /psci:method").items()
    assert doc["derivations"]["virt-what"]["output"] == []


def test_rules_are_data_with_citations():
    ids = [r.id for r in linux_arm64.RULES]
    assert len(ids) == len(set(ids)) and all(i.startswith("linux.arm64.") for i in ids)
    for rule in (*linux_arm64.RULES, linux_arm64.FINAL):
        assert rule.cite.startswith("torvalds/linux ") and "()" in rule.cite + "()" and rule.title


def test_hostile_devicetrees_never_raise():
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    from pvenum import fdt
    from pvenum.platform import Platform

    seed = catalog.get("arm64-xen").platform()
    smccc = catalog.get("cca-realm").platform().smccc
    pool = scenario(arm_scenario_text(iso="cca", extra=POOL.format(more=""))).platform().fdt
    targets = [("/psci", "method"), ("/psci", "compatible"), ("/psci", "status"), ("/hypervisor", "compatible"),
               ("/hypervisor", "reg"), ("/hypervisor", "interrupts"), ("/memory@40000000", "reg"),
               ("/chosen", "bootargs"), ("/reserved-memory/restricted-dma@50000000", "reg"),
               ("/reserved-memory/restricted-dma@50000000", "compatible"), ("/virtio_mmio@a000000", "memory-region"),
               ("/", "#address-cells"), ("/reserved-memory", "#size-cells")]

    @settings(max_examples=300, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
    @given(st.lists(st.tuples(st.sampled_from(targets), st.one_of(st.none(), st.binary(max_size=20))), max_size=6),
           st.booleans())
    def run(edits, realm):
        tree = apply_edits((pool if realm else seed.fdt).copy(), [(path, prop, value) for (path, prop), value in edits])
        p = Platform(arch="arm64", fdt=fdt.parse(fdt.build(tree)), smccc=smccc if realm else seed.smccc)
        for d in resolve_all(p).values():
            assert d.mode in ("not-confidential", "enlightened", "indeterminate", "conflict", "paravisor", "confidential")

    run()
