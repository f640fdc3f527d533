"""pvenum.observe on real kernel output: the console logs `make kernelcheck` captured from
Debian's kernels under QEMU TCG (tests/data/kernelcheck/, index.json says how each was booted)
and this machine's own kernel through `pvenum snapshot`."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from pvenum.observe import compare, read
from pvenum.observe.live import collect
from pvenum.observe.messages import CPUINFO_FLAGS
from pvenum.resolver import resolve
from pvenum.target import load_target

ROOT = Path(__file__).resolve().parent.parent
LOGS = ROOT / "tests" / "data" / "kernelcheck"
INDEX = json.loads((LOGS / "index.json").read_text()) if (LOGS / "index.json").is_file() else []
# docs/kernelcheck.json's record of each boot, by its log.
_DOC = ROOT / "docs" / "kernelcheck.json"
PUBLISHED = {b["log"]: b for b in json.loads(_DOC.read_text())["boots"]} if _DOC.is_file() else {}


def _log(name: str) -> str:
    return (LOGS / name).read_text(errors="replace")


def _line(text: str, pattern: str) -> str | None:
    for line in text.splitlines():
        if re.search(pattern, line):
            return line
    return None


@pytest.mark.parametrize("entry", INDEX, ids=[e["log"] for e in INDEX])
def test_reader_on_committed_logs(entry):
    text = _log(entry["log"])
    obs = read(text)
    # Facts checked against the log's own lines, not against pvenum.
    uname = _line(text, r"pvenum-observe: uname-r ")
    if uname:
        assert obs.outcome == "booted"
        assert obs.kernel_release == uname.split("uname-r ", 1)[1].strip()
    panic = _line(text, r"Kernel panic - not syncing: ")
    if panic and not uname:
        assert obs.outcome == "panic"
        assert obs.panic and obs.panic in panic
    if not _line(text, r"^\[\s*\d+\.\d+\]"):
        assert obs.outcome == "stopped-before-console"
    hv = _line(text, r"Hypervisor detected: ")
    if hv:
        assert obs.hypervisor == {"KVM": "kvm", "Microsoft Hyper-V": "hyperv"}.get(hv.split(": ", 1)[1].strip(), obs.hypervisor)
        assert any(e.value == hv.split("] ", 1)[-1].strip() for e in obs.evidence)
    if obs.outcome == "booted" and not _line(text, r"Memory Encryption Features active|tdx: Guest detected|RME: Using RSI"
                                             r"|Hyper-V: Isolation Config: .*Group B 0x[0-9a-f]*[1-9a-f]\s*$"):
        assert obs.isolation == "none" and obs.mode == "not-confidential"
    for ev in obs.evidence:  # every evidence item names a line that is in the log, or a file
        if ev.source.startswith("console line "):
            n = int(ev.source.rsplit(" ", 1)[1])
            assert ev.value in text.splitlines()[n - 1]


@pytest.mark.parametrize("entry", INDEX, ids=[e["log"] for e in INDEX])
def test_replay_kernel_against_model(entry):
    """The committed boots through the reader and the comparison: the linux model, resolved on the
    platform the guest saw, must agree with what the kernel printed (or the difference is explained)."""
    sys.path.insert(0, str(ROOT))
    from kernelcheck.asbooted import as_booted
    from kernelcheck.fetch import Kernel
    from pvenum.build import write_bundle
    from pvenum.scenario import catalog

    text = _log(entry["log"])
    obs = read(text)
    built = None
    if entry["arch"] == "arm64":
        scenario = catalog.get(entry["scenario"])
        import tempfile

        built = Path(tempfile.mkdtemp())
        write_bundle(scenario.platform(), built / "b", name=scenario.name)
        built = built / "b"
    k = Kernel(entry["arch"], "", "", entry["release"], Path("."), {})
    platform, model, _ = as_booted(k, entry["scenario"], text, built or Path("."),
                                   own_smccc=entry.get("route") == "stub")
    # The booted kernel's own configuration, as docs/kernelcheck.json records it (kernelcheck/kconfig.py).
    from kernelcheck.kconfig import recorded

    built_as = recorded(json.loads(_DOC.read_text())["kernels"]).get(entry["kernel"])
    assert built_as is not None, (entry["kernel"], "no configuration recorded in docs/kernelcheck.json")
    derivation = resolve(platform, model, kernel_config=built_as)
    ag = compare(obs, derivation)
    from kernelcheck.explained import why

    unexplained = [f for f in ag.differing if not why(entry["scenario"], entry["release"], f)]
    assert not unexplained, (entry["log"], ag.to_dict())
    # Every console line the model says the kernel prints is in the log of a boot that reached
    # user space (a boot stopped or panicked earlier may not have come to it).
    if obs.outcome == "booted" and entry["arch"] == "x86_64":
        printed = {re.sub(r"^\[\s*\d+\.\d+\]\s*", "", line).strip() for line in text.splitlines()}
        unprinted = [m for m in derivation.output["dmesg"] if m not in printed]  # whole lines, timestamp off
        assert not unprinted, (entry["log"], unprinted)
    # The CPU feature flags that say what the guest runs in, where it reached user space: the
    # kernel's own /proc/cpuinfo (arch/x86/include/asm/cpufeatures.h names) against the linux
    # model's x86_features (get_cpu_cap(), early_detect_mem_encrypt(), bsp_determine_snp(),
    # tdx_early_init()); sme too, which early_detect_mem_encrypt() clears or keeps with them.
    # The committed boots are Intel without leaf 0x8000001F or AMD with its EAX 0, so today only
    # hypervisor and tdx_guest can differ here; sme/sev/sev_es/sev_snp are compared once a boot's
    # CPU gives those bits (tests/x86 checks the rule per release and MSR value).
    cpuinfo = _line(text, r"pvenum-observe: cpuinfo flags\s*:")
    if entry["arch"] == "x86_64" and cpuinfo:
        named = {*CPUINFO_FLAGS, "sme"}
        flags = set(cpuinfo.split(":", 2)[2].split()) & named
        model_flags = {f.lower() for f in derivation.output["x86_features"]} & named
        assert model_flags == flags, (entry["log"], sorted(model_flags), sorted(flags))
    # The published result (docs/kernelcheck.json, index.json) is what this pvenum concludes from the
    # same log, the derivation's evidence included: after a model change,
    # `python kernelcheck/run.py --recompare` rewrites it.
    fix = "run: python kernelcheck/run.py --recompare"
    assert ag.to_dict() == entry["agreement"], (entry["log"], fix)
    published = PUBLISHED.get(entry["log"])
    assert published is not None, (entry["log"], "not in docs/kernelcheck.json")
    derived = json.loads(json.dumps(derivation.to_dict()))
    assert published["derived"] == derived, (entry["log"], fix)
    assert published["agreement"] == entry["agreement"], (entry["log"], fix)


def test_boot_stopped_before_console_is_an_outcome():
    obs = read(b"SeaBIOS (version 1.16.2)\r\nBooting from ROM...\r\n")
    assert obs.outcome == "stopped-before-console"
    assert obs.mode is None and "*" in obs.unobserved
    assert read("").outcome == "stopped-before-console"


def test_hostile_bytes_do_not_break_the_reader():
    junk = bytes(range(256)) * 4096 + b"\n[    0.0] Hypervisor detected: " + b"\xff" * 10000
    obs = read(junk)
    assert obs.outcome in ("stopped", "stopped-before-console")


def test_snapshot_of_this_machine_agrees_with_linux(tmp_path):
    """On this machine the running kernel and the linux model must agree (a KVM guest: the kernel
    printed "Hypervisor detected: KVM")."""
    log = collect()
    if "Hypervisor detected: KVM" not in log:
        pytest.skip("not a KVM guest whose dmesg is readable (run as root on the KVM machine)")
    out = tmp_path / "snap"
    res = subprocess.run([sys.executable, "-m", "pvenum", "snapshot", "-o", str(out)], capture_output=True, text=True, timeout=300)
    assert res.returncode == 0, res.stderr
    assert (out / "kernel.log").is_file()
    res = subprocess.run([sys.executable, "-m", "pvenum", "resolve", str(out), "--json", "--model", "linux"],
                         capture_output=True, text=True, timeout=300)
    assert res.returncode == 0, res.stderr
    doc = json.loads(res.stdout)
    assert doc["observed"]["hypervisor"] == "kvm"
    assert any(e["value"] == "Hypervisor detected: KVM" for e in doc["observed"]["evidence"])
    agreement = doc["derivations"]["linux"]["observed_agreement"]
    assert agreement["agrees"], agreement
    assert doc["derivations"]["linux"]["hypervisor"] == "kvm"


def test_published_snp_guest_line_older_format():
    """AMDESE/AMDSEV README.md (branch sev-snp-devel), "verify that SNP is enabled" inside the
    guest: `dmesg | grep -i snp` prints the pre-5.19 format of print_mem_encrypt_feature_info()."""
    obs = read("[    0.000000] Hypervisor detected: KVM\n"
               "AMD Memory Encryption Features active: SEV SEV-ES SEV-SNP\n"
               "[    0.300000] smp: Brought up 1 node, 4 CPUs\n")
    assert obs.isolation == "sev-snp" and obs.mode == "enlightened" and obs.hypervisor == "kvm"
    assert any(e.value == "AMD Memory Encryption Features active: SEV SEV-ES SEV-SNP" for e in obs.evidence)


def test_hyperv_isolation_config_line_names_the_paravisor():
    """The line ms_hyperv_init_platform() prints (format read in Debian 6.1.176/6.12.117):
    Group A bit 0 is the paravisor, Group B bits 3:0 the isolation type (2 = SNP); under vTOM
    print_mem_encrypt_feature_info() says only "AMD SEV" (CC_ATTR_GUEST_MEM_ENCRYPT)."""
    obs = read("[    0.000000] Hypervisor detected: Microsoft Hyper-V\n"
               "[    0.000000] Hyper-V: Isolation Config: Group A 0x1, Group B 0xba2\n"
               "[    0.000000] Memory Encryption Features active: AMD SEV\n"
               "[    0.200000] smp: Brought up 1 node, 2 CPUs\n")
    assert (obs.mode, obs.isolation, obs.memory_acceptance) == ("paravisor", "sev-snp", "paravisor")


@pytest.mark.parametrize("release", ["6.1", "6.12"])
def test_release_without_rsi_names_no_hypervisor_on_a_realm(release):
    """Debian's 6.1.176 and 6.12.117 booted on cca-realm with the scenario's own SMCCC answers
    (tests/data/kernelcheck/*-arm64-cca-realm.log): no RSI call, no vendor UID over SMC, and the
    kernel names no hypervisor; linux@RELEASE must say the same (mainline says "unknown": the RMM)."""
    log = _log(f"{release}-arm64-cca-realm.log")
    obs = read(log)
    assert obs.hypervisor == "none" and obs.isolation == "none"
    assert "RME:" not in log
    d = resolve(load_target("cca-realm").platform, f"linux@{release}")
    assert (d.mode, d.isolation, d.hypervisor) == (obs.mode, obs.isolation, obs.hypervisor)


def test_an_smccc_version_no_kernel_prints_is_not_read_as_one():
    # psci_init_smccc() (drivers/firmware/psci/psci.c) prints two 16-bit fields with %d, so at most
    # five digits each; 5000 digits once reached int()'s 4300-digit limit (ValueError) in the reader.
    log = _log("6.1-arm64-cca-realm.log")
    assert "SMC Calling Convention v1." in log
    without = log.replace("SMC Calling Convention v1.", "SMC Calling Convention vX.")  # same lines, none read
    hostile = log.replace("SMC Calling Convention v1.", "SMC Calling Convention v" + "1" * 5000 + ".")
    assert read(hostile).hypervisor == read(without).hypervisor
    assert read(hostile).evidence == read(without).evidence


def test_no_sev_flag_in_cpuinfo_does_not_rule_out_sev():
    # A capture whose dmesg has lost the boot (no "Brought up" line, no memory encryption line)
    # but whose report ended with /proc/cpuinfo flags: a KVM SEV-SNP guest's flags hold no sev,
    # sev_es or sev_snp (arch/x86/kernel/cpu/amd.c early_detect_mem_encrypt() clears them when
    # SYSCFG.MEM_ENCRYPT reads 0, as arch/x86/kvm/x86.c kvm_get_msr_common() answers), so the
    # reader cannot call it "none"; a tdx_guest flag (forced by tdx_early_init()) still says TDX.
    text = ("pvenum-observe: uname-m x86_64\n"
            "pvenum-observe: unreadable dmesg: Operation not permitted\n"
            "pvenum-observe: cpuinfo flags\t\t: fpu msr pae hypervisor\n"
            "pvenum-observe: end\n")
    obs = read(text)
    assert obs.isolation is None and "Operation not permitted" in obs.unobserved["isolation"]
    obs = read(text.replace("hypervisor", "hypervisor tdx_guest"))
    assert obs.isolation == "tdx"
    # The same report without its cpuinfo line: still the unread log, not a log cut short.
    obs = read(text.replace("pvenum-observe: cpuinfo flags\t\t: fpu msr pae hypervisor\n", ""))
    assert "Operation not permitted" in obs.unobserved["isolation"]


def test_a_sysroots_proc_files_are_read_bounded_and_regular_only(tmp_path):
    # Under --sysroot, /proc/cpuinfo and /proc/modules are whatever the tree holds: a FIFO in
    # their place had hung the snapshot (open() waits for a writer); now it is reported.
    import os

    (tmp_path / "proc").mkdir()
    os.mkfifo(tmp_path / "proc" / "cpuinfo")
    (tmp_path / "proc" / "modules").write_text("kvm_amd 1 0 - Live 0x0\nkvm 2 1 kvm_amd, Live 0x0\n")
    (tmp_path / "sys" / "hypervisor").mkdir(parents=True)
    (tmp_path / "sys" / "hypervisor" / "type").write_text("xen\n")
    lines = collect(tmp_path).splitlines()
    assert "pvenum-observe: unreadable /proc/cpuinfo: is a FIFO, not a regular file" in lines
    assert "pvenum-observe: modules 2" in lines and "pvenum-observe: file /sys/hypervisor/type xen" in lines


def test_a_sysroots_links_out_of_it_are_reported_not_read(tmp_path):
    # A guest image linking to the reading machine's /proc, /dev or /sys: what lies behind the
    # link is the host's, not the guest's, so it is reported unreadable and never looked at
    # (the host's "xen" is not the guest's hypervisor, its /dev/tpm0 not the guest's vTPM).
    import os

    host = tmp_path / "host"
    (host / "proc").mkdir(parents=True)
    (host / "proc" / "cpuinfo").write_text("flags\t\t: fpu hypervisor sev_snp\n")
    (host / "dev").mkdir()
    (host / "dev" / "tpm0").write_bytes(b"")
    (host / "type").write_text("xen\n")
    (host / "drivers" / "tpm_tis").mkdir(parents=True)
    root = tmp_path / "root"
    (root / "sys" / "hypervisor").mkdir(parents=True)
    (root / "sys" / "hypervisor" / "type").symlink_to(host / "type")
    (root / "sys" / "class" / "tpm" / "tpm0" / "device").mkdir(parents=True)
    (root / "sys" / "class" / "tpm" / "tpm0" / "device" / "driver").symlink_to(host / "drivers" / "tpm_tis")
    (root / "proc").symlink_to(host / "proc", target_is_directory=True)
    (root / "dev").symlink_to(host / "dev", target_is_directory=True)
    lines = collect(root).splitlines()
    out = f"a symlink leading out of the sysroot {root}"
    assert f"pvenum-observe: unreadable /proc/cpuinfo: {out} (to {host}/proc/cpuinfo): not read" in lines
    assert f"pvenum-observe: unreadable /dev/tpm0: {out} (to {host}/dev): not read" in lines
    assert f"pvenum-observe: unreadable /sys/hypervisor/type: {out} (to {host}/type): not read" in lines
    assert f"pvenum-observe: unreadable /sys/class/tpm/tpm0/device/driver: {out} (to {host}/drivers/tpm_tis): not read" in lines
    assert not [line for line in lines if line.startswith(("pvenum-observe: cpuinfo", "pvenum-observe: file",
                                                           "pvenum-observe: tpm0-driver", "pvenum-observe: present /dev"))]
    # Inside the sysroot, links are read as before (sysfs is made of them).
    (root / "sys" / "hypervisor" / "type").unlink()
    (root / "sys" / "hypervisor" / "kind").write_text("kvm\n")
    os.symlink("kind", root / "sys" / "hypervisor" / "type")
    assert "pvenum-observe: file /sys/hypervisor/type kvm" in collect(root).splitlines()


def test_a_sysroot_file_swapped_for_a_link_out_after_its_check_is_not_read(tmp_path, monkeypatch):
    # The name is checked, then opened: a link swapped in between (a guest image being written
    # as it is read) must not put the host's file in the log. The file opened is checked too.
    from pvenum.observe import live

    host = tmp_path / "host-cpuinfo"
    host.write_text("flags\t\t: fpu hypervisor sev_snp\n")
    root = tmp_path / "root"
    (root / "proc").mkdir(parents=True)
    cpuinfo = root / "proc" / "cpuinfo"
    cpuinfo.write_text("flags\t\t: fpu\n")
    checked = live._inside

    def swapped_after_the_check(sysroot, path):
        found = checked(sysroot, path)
        if path == "/proc/cpuinfo":
            cpuinfo.unlink()
            cpuinfo.symlink_to(host)
        return found

    monkeypatch.setattr(live, "_inside", swapped_after_the_check)
    lines = collect(root).splitlines()
    assert f"pvenum-observe: unreadable /proc/cpuinfo: a symlink leading out of the sysroot {root} " \
           f"(to {host}): not read" in lines, lines
    assert not [line for line in lines if line.startswith("pvenum-observe: cpuinfo")]
