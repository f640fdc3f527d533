"""The `pvenum resolve --json` contract of docs/contracts.md, exactly."""

from __future__ import annotations

import json
import re
from pathlib import Path

from pvenum import resolve as api_resolve
from pvenum.bundle import load_bundle

ROW = Path(__file__).resolve().parent / "data" / "x86" / "rows" / "azure-snp-paravisor"
DERIVATION_KEYS = {"mode", "isolation", "hypervisor", "memory_acceptance", "services", "output", "evidence", "findings"}
MODES = {"not-confidential", "enlightened", "paravisor", "confidential", "conflict", "indeterminate"}
ISOLATIONS = {"none", "vbs", "sev", "sev-es", "sev-snp", "tdx", "cca"}
HYPERVISORS = {"none", "hyperv", "kvm", "xen", "vmware", "tcg", "acrn", "bhyve", "qnx", "jailhouse", "unknown"}


def test_resolve_json_contract(cli):
    proc = cli("resolve", str(ROW), "--json")
    assert proc.returncode == 0, proc.stderr
    doc = json.loads(proc.stdout)
    assert set(doc) >= {"target", "arch", "derivations"}
    assert doc["target"] == "azure-snp-paravisor" and doc["arch"] == "x86_64"
    assert list(doc["derivations"]) == ["linux", "systemd", "virt-what", "proposal"]
    for model, d in doc["derivations"].items():
        assert DERIVATION_KEYS <= set(d), model
        assert d["mode"] in MODES and d["isolation"] in ISOLATIONS and d["hypervisor"] in HYPERVISORS
        assert d["memory_acceptance"] in {"none", "guest", "svsm", "paravisor"}
        assert {"attestation", "tdisp", "vtpm"} <= set(d["services"])
        for svc in d["services"].values():
            assert set(svc) == {"available", "via"} and isinstance(svc["available"], bool)
            assert svc["via"] is None or isinstance(svc["via"], str)
        for ev in d["evidence"]:
            assert isinstance(ev["source"], str) and "value" in ev
        for f in d["findings"]:
            assert set(f) >= {"severity", "code", "message"} and f["severity"] in {"error", "warning", "info"}
    assert doc["derivations"]["systemd"]["output"] == "sev-snp"
    assert doc["derivations"]["virt-what"]["output"] == ["amd-sev-snp", "hyperv-hcl"]
    assert {"cc_vendor", "cc_attrs"} <= set(doc["derivations"]["linux"]["output"])


def test_model_option_narrows(cli):
    proc = cli("resolve", str(ROW), "--json", "--model", "systemd", "--model", "proposal")
    assert list(json.loads(proc.stdout)["derivations"]) == ["systemd", "proposal"]


def test_python_api_matches_cli(cli):
    doc = json.loads(cli("resolve", str(ROW), "--json", "--model", "linux").stdout)
    assert api_resolve(load_bundle(ROW), "linux").to_dict() == doc["derivations"]["linux"]


def test_explain_walks_rules_with_sources(cli):
    proc = cli("resolve", str(ROW), "--explain", "--model", "linux")
    out = proc.stdout.decode()
    assert proc.returncode == 0
    for needle in ("ms_hyperv_init_platform()", "hv_vtom_init()", "cpuid 0x4000000c.eax[0] = 1", "HV_PARAVISOR_PRESENT"):
        assert needle in out, needle
    doc = json.loads(cli("resolve", str(ROW), "--explain", "--json", "--model", "linux").stdout)
    trace = doc["derivations"]["linux"]["trace"]
    assert [s["rule"] for s in trace][:2] == ["linux.x86.hypervisor-bit", "linux.x86.sev-enable"]
    assert all(s["cite"] for s in trace)


def test_unknown_target_is_an_error(cli):
    # An unknown name or nonexistent path is a usage error (pvenum/cli.py EXIT_CODES).
    proc = cli("resolve", "no-such-thing")
    assert proc.returncode == 2 and proc.stderr.decode().startswith("pvenum: error: no-such-thing: ")


def test_usage_error_exit_2(cli):
    assert cli("resolve").returncode == 2
    assert cli("resolve", str(ROW), "--model", "windows").returncode == 2


# What an evidence source on a register channel must name: the leaf, register and bit range; the
# MSR (and bits); the SMCCC function and result register (or the struct field it returned); the
# GHCB MSR response bits; the TDCALL result register and bits; the SVSM call and result bit; the
# secrets-page field's offset; a devicetree path. "smccc 0x8600ff01" or "dt" alone says which
# channel was read, not what in it.
_CHANNEL = re.compile(r"(cpuid|msr|smccc|ghcb|tdcall|svsm|dt|snp secrets page) ")
_EXACT = re.compile(
    r"cpuid 0x[0-9a-f]{8}(\.\d+)?\.(e[abcd]x)(,e[abcd]x)*(\[\d+(:\d+)?\])?"
    r"|cpuid 0x[0-9a-f]{8}-0x[0-9a-f]{8} signature scan"
    r"|msr 0x[0-9a-f]{8}(\[\d+(:\d+)?\])?"
    r"|smccc 0x[0-9a-f]{8}(\.x\d+| realm_config\.\w+)"
    r"|ghcb msr 0xc0010130 \w+\[\d+(:\d+)?\]"
    r"|tdcall TDG\.VP\.INFO\.r[a-d]x(\[\d+(:\d+)?\])?|tdcall TDG\.VM\.RD 0x[0-9a-f]{16} \(\w+\)\[\d+\]"
    r"|svsm call 0x[0-9a-f]+ \(\w+\)\.r[a-d]x\[\d+\]"
    r"|snp secrets page \w+ @0x[0-9a-f]+ u\d+"
    r"|dt /\S*")


def test_evidence_names_the_exact_bits_it_read():
    """Every catalog scenario and x86/Linux test row, under each model: an evidence item on a
    register channel names the bits (above)."""
    from pvenum.scenario.catalog import names
    from pvenum.target import load_target

    data = Path(__file__).resolve().parent / "data"
    targets = [*names(), *sorted((data / "x86" / "rows").iterdir()), *sorted((data / "linux" / "rows").iterdir())]
    checked = 0
    for target in targets:
        platform = load_target(str(target)).platform
        for model in ("linux", "linux@6.1", "systemd", "virt-what", "proposal"):
            for ev in api_resolve(platform, model).to_dict()["evidence"]:
                checked += 1
                if _CHANNEL.match(ev["source"]):
                    assert _EXACT.fullmatch(ev["source"].removesuffix(" (assumed)")), (str(target), model, ev)
    assert checked > 4000, checked


def test_virt_what_hypervisor_word_is_an_input_it_recorded():
    """The virt-what derivation's hypervisor word comes from the 0x40000000 signature; that read
    is in its evidence with the dump's bytes (ebx, ecx, edx little-endian, as the kernel's and
    systemd's signature compares lay them out), like every other input."""
    from pvenum.scenario.catalog import names
    from pvenum.target import load_target

    seen = 0
    for target in names():
        platform = load_target(target).platform
        d = api_resolve(platform, "virt-what")
        if d.hypervisor in ("none", None) or platform.cpuid is None:
            continue
        regs = platform.cpuid.get(0x40000000)
        want = None if regs is None else b"".join(r.to_bytes(4, "little") for r in regs[1:]).decode("latin-1")
        reads = [e for e in d.evidence if e.source == "cpuid 0x40000000.ebx,ecx,edx"]
        assert reads and reads[0].value == want, (target, reads)
        seen += 1
    assert seen >= 10, seen
