"""`pvenum rules` says who uses each shared predicate; model state is typed; a boot stops one way."""

from __future__ import annotations

import dataclasses
import json

import pytest

from pvenum.platform import Platform
from pvenum.resolver import engine
from pvenum.resolver.models import linux_arm64, linux_x86, proposal, systemd, systemd_arm64, virt_what
from pvtest import run_cli


@pytest.fixture(scope="module")
def listing() -> dict:
    r = run_cli("rules", "--json")
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout)


def test_tdx_ident_reaches_linux_proposal_and_the_cross_checks(listing: dict) -> None:
    # torvalds/linux arch/x86/coco/tdx/tdx.c tdx_early_init() is mirrored once; the Linux rule,
    # the proposal's own-CC reading and the cross-channel CCEL / MP-wakeup checks all read it
    # (pvenum/resolver/models/linux_x86.py, own_signals.py, crosschannel.py call it).
    pred = {p["name"]: p for p in listing["shared"]}["x86.tdx_early_init_ident"]
    assert pred["models"] == ["linux", "proposal"]
    assert {"linux.x86.tdx", "proposal.own-cc", "cross.ccel", "cross.mp-wakeup"} <= set(pred["rules"])
    assert "tdx_early_init()" in pred["mirrors"]
    # systemd's and virt-what's Hyper-V reading is theirs, not Linux's.
    cvm = {p["name"]: p for p in listing["shared"]}["x86.detect_hyperv_cvm_type"]
    assert cvm["models"] == ["systemd", "virt-what"]


def test_predicates_imported_inside_a_branch_are_still_followed(listing: dict) -> None:
    # The arm64 readers are imported inside the arm64 branches (an x86 run never loads them):
    # crosschannel.fadt_vs_hypervisor() calls arm.vendor_uid() and own_signals.own_cc() calls
    # arm.rsi_init() that way, and `pvenum rules` still names them.
    rules = {r["id"]: r for r in listing["rules"]}
    assert {"arm.vendor_uid", "arm.boot_firmware"} <= set(rules["cross.fadt-hypervisor"]["uses"])
    assert "arm.rsi_init" in rules["proposal.own-cc"]["uses"]
    pred = {p["name"]: p for p in listing["shared"]}["arm.rsi_init"]
    assert {"linux", "systemd", "proposal"} <= set(pred["models"])


def test_every_rule_listed_with_its_models_and_citation(listing: dict) -> None:
    listed = {r["id"]: r for r in listing["rules"]}
    for model, modules in (("linux", (linux_x86, linux_arm64)), ("systemd", (systemd_arm64,)),
                           ("virt-what", (virt_what,)), ("proposal", (proposal,))):
        for mod in modules:
            for rule in (*mod.RULES, mod.FINAL) if hasattr(mod, "FINAL") else mod.RULES:
                assert model in listed[rule.id]["models"], rule.id
                assert listed[rule.id]["cite"] == rule.cite
    for rule in systemd.RULES_X86:
        assert "systemd" in listed[rule.id]["models"]


@pytest.mark.parametrize("cls", [linux_x86.LinuxX86State, linux_arm64.LinuxArm64State, systemd.SystemdState,
                                 virt_what.VirtWhatState, proposal.ProposalState])
def test_model_state_is_typed(cls: type) -> None:
    """A mistyped field fails loudly instead of silently reading None."""
    assert dataclasses.is_dataclass(cls)
    state = cls(version=258) if cls is systemd.SystemdState else cls()
    with pytest.raises(AttributeError):
        state.no_such_field = 1  # type: ignore[attr-defined]
    assert not hasattr(engine.State, "scratch")


def test_a_halted_boot_skips_boot_rules_but_not_cross_checks() -> None:
    seen: list[str] = []

    def rule(name: str, *, stop: bool = False):  # noqa: ANN202
        def apply(ctx: engine.Ctx, state: engine.State) -> str:
            seen.append(name)
            if stop:
                state.halt("TEST: stops here")
            return name
        return apply

    rules = [engine.Rule("a", "c", "t", rule("a", stop=True)), engine.Rule("b", "c", "t", rule("b")),
             engine.Rule("x", "c", "t", rule("x"), after_halt=True)]
    from pvenum.resolver.derivation import Derivation

    d = engine.run(rules, Platform(arch="x86_64"), Derivation("t", mirrors="m"), final=engine.Rule("f", "c", "t", rule("f")))
    assert seen == ["a", "x", "f"]
    assert [s.rule for s in d.trace] == ["a", "x", "f"]
