"""resolve_all shares what the models read in common (shared predicates and the cross-channel
checks run once per platform) and makes evidence only when it is read: neither may change a
derivation. Expectations come from resolving each model on its own, with nothing shared."""

from __future__ import annotations

import pickle

import pytest

from pvenum.platform import Platform
from pvenum.resolver import crosschannel, engine, resolve, resolve_all
from pvenum.resolver.derivation import Derivation
from pvenum.scenario import catalog

MODELS = ("linux", "systemd", "virt-what", "proposal", "linux@6.1", "linux@6.12", "systemd@257")


@pytest.mark.parametrize("name", catalog.names())
def test_shared_facts_leave_every_derivation_as_if_resolved_alone(name: str) -> None:
    shared = resolve_all(catalog.get(name).platform(), MODELS)
    for model in MODELS:
        alone = resolve(catalog.get(name).platform(), model)  # a fresh platform, nothing shared
        assert shared[model].to_dict(trace=True) == alone.to_dict(trace=True), model
        assert shared[model].findings == alone.findings, model


class _NoModelState:
    def __getattr__(self, name: str) -> None:
        raise AssertionError(f"a platform-only rule read the model's state ({name})")


@pytest.mark.parametrize("name", catalog.names())
def test_platform_only_rules_never_touch_model_state(name: str) -> None:
    # The cross-channel checks are replayed from one model to the next: they must depend on the
    # platform alone. A state whose every attribute access fails proves they do not read it.
    rules = [r for r in crosschannel.RULES if r.platform_only]
    assert rules, "the cross-channel checks are the platform-only rules"
    d = engine.run(rules, catalog.get(name).platform(), Derivation("t"), m=_NoModelState())
    assert all(s.rule.startswith("cross.") for s in d.trace)
    untouched = Derivation("t")
    assert (d.summary(), d.hypervisor, d.output) == (untouched.summary(), untouched.hypervisor, untouched.output)


def test_evidence_is_made_on_first_read_and_survives_pickling() -> None:
    d = resolve(catalog.get("azure-snp-paravisor").platform(), "linux")
    assert d._evidence is None and d._log is not None  # nothing made yet
    sources = [e.source for e in d.evidence]
    # ms_hyperv_init_platform() reads HV_PARAVISOR_PRESENT, HYPERV_CPUID_ISOLATION_CONFIG eax
    # bit 0, and the isolation type, ebx bits 3:0 (torvalds/linux include/hyperv/hvgdk_mini.h),
    # spelled the evidence way.
    assert {"cpuid 0x4000000c.eax[0]", "cpuid 0x4000000c.ebx[3:0]"} <= set(sources)
    assert len(sources) == len(set((e.source, repr(e.value)) for e in d.evidence))  # each input once
    for step in d.trace:
        keys = [(e.source, repr(e.value)) for e in step.inputs]
        assert len(keys) == len(set(keys))  # each input once per step
    fresh = resolve(catalog.get("azure-snp-paravisor").platform(), "linux")
    back = pickle.loads(pickle.dumps(fresh))  # the raw log holds functions: pickling makes the lists
    assert back == d and back.to_dict(trace=True) == d.to_dict(trace=True)


def test_a_bare_platform_still_resolves_with_shared_facts() -> None:
    ds = resolve_all(Platform(arch="x86_64"))
    assert set(ds) == {"linux", "systemd", "virt-what", "proposal"}
    assert all(isinstance(e.source, str) for d in ds.values() for e in d.evidence)


@pytest.mark.parametrize("facts", [None, {}], ids=["alone", "shared"])
def test_acpi_reads_through_the_platform_index_match_the_tables(facts: dict | None) -> None:
    # The index is made once per platform; what it answers must be what the tables say:
    # AcpiTableSet.get (aliases included) and the MADT's subtables filtered by type in table
    # order (ACPI 6.5 §5.2.12: type 0x00 Local APIC, 0x01 I/O APIC, 0x10 MP wakeup).
    platform = catalog.get("tdx").platform()
    tables = platform.acpi
    for _ in range(2):  # a second model on the same facts reads the kept index
        ctx = engine.Ctx(platform, facts)
        ctx._reads = []
        for sig in ("APIC", "MADT", "FACP", "FADT", "CCEL", "NONE"):
            assert ctx.acpi_get(sig) is tables.get(sig), sig
        madt = tables.get("APIC")
        for type_code in {s.type for s in madt.subtables} | {0x7F}:
            want = [(i, s) for i, s in enumerate(madt.subtables) if s.type == type_code]
            got = ctx.acpi_subtables("APIC", type_code)
            assert got == want and all(a[1] is b[1] for a, b in zip(got, want))
            got.clear()  # the caller's list is its own: the index keeps its entries
            assert ctx.acpi_subtables("APIC", type_code) == want
        assert ctx._reads[-1][1] == len(want)


def test_cpuid_text_reads_registers_in_the_order_given() -> None:
    # KVM's signature "KVMKVMKVM\0\0\0" at 0x40000000 is ebx, ecx, edx (torvalds/linux
    # arch/x86/include/uapi/asm/kvm_para.h KVM_SIGNATURE; arch/x86/kernel/kvm.c kvm_cpuid_base()).
    ctx = engine.Ctx(catalog.get("kvm").platform())
    ctx._reads = []
    assert ctx.cpuid_text(0x40000000, ("ebx", "ecx", "edx")) == "KVMKVMKVM\0\0\0"
    assert ctx.cpuid_text(0x40000000, ["ebx", "ecx", "edx"]) == "KVMKVMKVM\0\0\0"  # any sequence
    assert ctx.cpuid_text(0x40000000, ("ebx",)) == "KVMK"
    assert ctx.cpuid_text(0x40000000, ("edx", "ecx", "ebx")) == "M\0\0\0" + "VMKV" + "KVMK"  # edx, ecx, ebx
    assert ctx.cpuid_text(0x40000000, ()) == ""
    assert ctx.cpuid_text(0x4000ff00, ("ebx",)) is None  # an absent leaf reads as absent
    assert [engine.source_text(r[0]) for r in ctx._reads[:3]] == ["cpuid 0x40000000.ebx,ecx,edx"] * 2 + [
        "cpuid 0x40000000.ebx"]


def test_dt_reads_are_decoded_once_and_each_caller_gets_its_own_list() -> None:
    # /psci "compatible" of the catalog's KVM arm64 guest lists "arm,psci-1.0" first (QEMU
    # hw/arm/boot.c fdt_add_psci_node() writes "arm,psci-1.0", "arm,psci-0.2", "arm,psci").
    facts: dict = {}
    platform = catalog.get("arm64-kvm").platform()
    first, second = engine.Ctx(platform, facts), engine.Ctx(platform, facts)
    first._reads, second._reads = [], []
    a = first.dt_prop("/psci", "compatible", kind="strings")
    assert a[0] == "arm,psci-1.0"
    a.append("mutated by a caller")
    b = second.dt_prop("/psci", "compatible", kind="strings")
    assert b[0] == "arm,psci-1.0" and "mutated by a caller" not in b
    assert second.dt_prop("/psci", "compatible") == "arm,psci-1.0"  # another kind of the same property
    assert second.dt_prop("/psci", "no-such-property", kind="present") is False
    assert [engine.source_text(r[0]) for r in second._reads] == ["dt /psci:compatible"] * 2 + [
        "dt /psci:no-such-property"]
