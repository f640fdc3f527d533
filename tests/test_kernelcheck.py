"""`make test`'s slice of `make kernelcheck`: boot two arm64 scenarios (one of them a realm) and
one x86 scenario on the newest Debian kernel under QEMU TCG and require the kernel and the linux
model to agree. A kernel
already in the cache is used as it is; otherwise the newest one the archive serves for that
arch is fetched, with busybox-static, as `make kernelcheck` fetches them (kernelcheck/fetch.py:
apt through a private configuration, checked against the signed Packages index, sha256
recorded). Skipped, with the reason, without QEMU (`make test` installs it as root), without the
Debian archive, or with PVENUM_KERNELCHECK=0; PVENUM_KERNELCHECK_CACHE moves the cache."""

from __future__ import annotations

import json
import os
import re
import shutil
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CACHE = Path(os.environ.get("PVENUM_KERNELCHECK_CACHE", ROOT / ".cache" / "kernelcheck"))


def _cached(arch: str) -> list[dict]:
    out = []
    for prov in sorted((CACHE / "kernels").glob("*/provenance.json")):
        d = json.loads(prov.read_text())
        if d.get("arch") == arch and (prov.parent / "boot" / d["vmlinuz"]).is_file():
            out.append(d)
    return out


def _fetched(arch: str, deb_arch: str) -> None:
    """A kernel and busybox-static for ``arch`` in the cache: what is there, else the newest served."""
    if os.environ.get("PVENUM_KERNELCHECK") == "0":
        pytest.skip("kernel boots disabled by PVENUM_KERNELCHECK=0")
    if _cached(deb_arch) and (CACHE / f"busybox-{deb_arch}" / "bin" / "busybox").is_file():
        return
    from crosscheck import debsrc
    from kernelcheck import fetch

    quiet = lambda s: None  # noqa: E731
    try:
        if not _cached(deb_arch):
            fetch.kernels(CACHE, quiet, arches=(arch,), newest_only=True)
        fetch.busybox(CACHE, arch, log=quiet)
    except (debsrc.Unavailable, debsrc.FetchFailed) as err:
        pytest.skip(f"no Debian {deb_arch} kernel in {CACHE} and none could be fetched: {err}")


@pytest.mark.parametrize("arch,deb_arch,qemu_bin,scenario", [
    ("arm64", "arm64", "qemu-system-aarch64", "arm64-kvm"),
    # a realm: on a kernel with arm64_rsi_init() (6.13+, the newest Debian serves) the stub's RSI
    # answers make it one, and it must boot to the init agreeing with the model
    ("arm64", "arm64", "qemu-system-aarch64", "cca-realm"),
    ("x86_64", "amd64", "qemu-system-x86_64", "qemu-tcg"),
])
def test_boot_one_scenario(arch, deb_arch, qemu_bin, scenario, tmp_path):
    if shutil.which(qemu_bin) is None:
        pytest.skip(f"{qemu_bin} not installed (make test installs it as root: scripts/sysdeps.sh)")
    if arch == "x86_64" and shutil.which("gcc") is None:
        pytest.skip("gcc not installed (builds the x86 CPUID dumper)")
    sys.path.insert(0, str(ROOT))
    _fetched(arch, deb_arch)
    from kernelcheck import run

    release = max((".".join(d["version"].split(".")[:2]) for d in _cached(deb_arch)),
                  key=lambda r: tuple(int(x) for x in r.split(".")))
    doc = tmp_path / "kernelcheck.md"
    rc = run.main(["--offline", "--cache", str(CACHE), "--arch", arch, "--scenario", scenario, "--release", release,
                   "--logs", str(tmp_path / "logs"), "--doc", str(doc)])
    result = json.loads(doc.with_suffix(".json").read_text())
    (boot,) = result["boots"]
    assert boot["observed"]["outcome"] == "booted", boot["observed"]
    assert boot["agreement"]["agrees"], boot["agreement"]
    if scenario == "cca-realm" and boot["route"] == "stub" and tuple(int(x) for x in release.split(".")) >= (6, 13):
        # the stub answered RSI and arm64_rsi_init() (v6.13) found the realm: the kernel says so too
        assert boot["observed"]["isolation"] == "cca", boot["observed"]
    assert rc == 0


# The line formats kernelcheck/qemu-cpuid.patch's pvenum_parse_line() accepts (its sscanf formats).
_CPUID_LINE = re.compile(r"^\s*0x[0-9a-f]{8} 0x[0-9a-f]{2}: eax=0x[0-9a-f]{8} ebx=0x[0-9a-f]{8} "
                         r"ecx=0x[0-9a-f]{8} edx=0x[0-9a-f]{8}$")
_MSR_LINE = re.compile(r"^msr 0x[0-9a-f]{8}: 0x[0-9a-f]{16}$")


def _leaves(text: str) -> dict[tuple[int, int], tuple[int, ...]]:
    out = {}
    for line in text.splitlines():
        if _CPUID_LINE.match(line):
            head, regs = line.split(":")
            leaf, sub = (int(x, 16) for x in head.split())
            out[(leaf, sub)] = tuple(int(r.split("=")[1], 16) for r in regs.split())
    return out


def test_cpuid_file_carries_the_scenario_hypervisor_and_memory_encryption_leaves():
    sys.path.insert(0, str(ROOT))
    from kernelcheck.asbooted import inputs
    from kernelcheck.qemu import cpuid_file
    from pvenum.scenario import catalog

    plat = catalog.get("azure-snp-paravisor").platform()
    read = inputs(plat, "linux@6.12")
    text = cpuid_file(plat, read)
    assert all(_CPUID_LINE.match(l) or _MSR_LINE.match(l) for l in text.splitlines()), text
    got = _leaves(text)
    # Hyper-V's signature (TLFS: 0x40000000 ebx,ecx,edx "Microsoft Hv") and AMD's 0x8000001f, whole
    sig = b"".join(r.to_bytes(4, "little") for r in got[(0x40000000, 0)][1:])
    assert sig == b"Microsoft Hv"
    assert got[(0x8000001F, 0)] == plat.cpuid.get(0x8000001F)
    # of the other hypervisor leaves, the bits the model reads: "cpuid 0x40000003.ebx[22]" (isolation)
    assert "cpuid 0x40000003.ebx[22]" in read
    want = plat.cpuid.get(0x40000003)
    assert got[(0x40000003, 0)][1] >> 22 & 1 == want[1] >> 22 & 1 == 1
    assert got[(0x40000003, 0)][1] & ~(1 << 22 | 1 << 12) == 0
    assert got[(0x40000004, 0)] == (0, 0, 0, 0)  # hints (enlightened APIC, ...) the model does not read
    assert (1, 0) not in got and (7, 0) not in got  # feature leaves stay QEMU's (TCG must execute them)
    assert f"msr 0xc0010131: 0x{plat.msr.sev_status:016x}" in text.splitlines()


def test_read_masks_follow_the_evidence_source_syntax():
    sys.path.insert(0, str(ROOT))
    from kernelcheck.qemu import read_masks

    m = read_masks(["cpuid 0x4000000c.ebx[11:6]", "cpuid 0x4000000c.eax", "cpuid 0x40000000.ebx,ecx,edx",
                    "cpuid 0x40000003.eax[5]", "msr 0xc0010131", "cpuid 0x40000000-0x4000ff00 signature scan"])
    assert m[0x4000000C] == [0xFFFFFFFF, 0xFC0, 0, 0]
    assert m[0x40000000] == [0, 0xFFFFFFFF, 0xFFFFFFFF, 0xFFFFFFFF]
    assert m[0x40000003] == [1 << 5, 0, 0, 0]
    assert set(m) == {0x4000000C, 0x40000000, 0x40000003}


def test_cpuid_file_zeroes_the_hypervisor_range_of_a_scenario_without_one():
    sys.path.insert(0, str(ROOT))
    from kernelcheck.qemu import cpuid_file
    from pvenum.scenario import catalog

    got = _leaves(cpuid_file(catalog.get("bare-metal").platform()))
    assert got[(0x40000000, 0)] == (0, 0, 0, 0)
    assert not [k for k in got if k[0] & 0xF0000000 == 0x40000000 and k != (0x40000000, 0)]


def test_patched_qemu_presents_the_scenario_leaves(tmp_path):
    """The patched QEMU (kernelcheck/qemubuild.py) boots the hyperv scenario: the guest's own
    CPUID dump shows "Microsoft Hv", and the scenario counts as compared and agrees."""
    sys.path.insert(0, str(ROOT))
    from kernelcheck import qemubuild

    if qemubuild.binary(CACHE) is None:
        pytest.skip(f"no patched qemu-system-x86_64 in {CACHE} built from the current patch (make kernelcheck builds it)")
    if not _cached("amd64") or not (CACHE / "busybox-amd64" / "bin" / "busybox").is_file():
        pytest.skip(f"no cached Debian amd64 kernel or busybox in {CACHE} (run make kernelcheck once)")
    from kernelcheck import run

    doc = tmp_path / "kernelcheck.md"
    rc = run.main(["--offline", "--cache", str(CACHE), "--arch", "x86_64", "--scenario", "hyperv", "--release", "6.12",
                   "--logs", str(tmp_path / "logs"), "--doc", str(doc)])
    result = json.loads(doc.with_suffix(".json").read_text())
    (boot,) = result["boots"]
    assert boot["route"] == "patched-qemu"
    log = (tmp_path / "logs" / boot["log"]).read_text()
    assert "cpuid    0x40000000 0x00: eax=0x4000000c ebx=0x7263694d ecx=0x666f736f edx=0x76482074" in log
    (row,) = result["scenarios"]
    assert row["status"] == "compared", row
    assert row["agrees"], boot["agreement"]
    assert rc == 0


def test_guest_cpuid_keys_leaves_that_ignore_ecx_at_subleaf_0():
    """What the guest saw, rebuilt from a committed console log: Debian's 7.3 decompressor reads
    0x8000001f with ECX left at 0x63 (the patched QEMU logs the ECX it got), and for a leaf the CPU
    answers whatever ECX holds that is subleaf 0 (Intel SDM / AMD APM CPUID; pvenum's
    INDEXED_LEAVES); a leaf that depends on ECX (0x7) keeps each subleaf the guest dumped."""
    sys.path.insert(0, str(ROOT))
    from kernelcheck.asbooted import cpuid_text

    log = (ROOT / "tests" / "data" / "kernelcheck" / "7.3-x86_64-sev.log").read_text()
    qemu_lines = [line for line in log.splitlines() if line.startswith("pvenum-qemu:") and "0x8000001f" in line]
    assert qemu_lines and all(" 0x8000001f 0x63:" in line for line in qemu_lines)
    text = cpuid_text(log)
    (leaf,) = [line for line in text.splitlines() if line.split()[:1] == ["0x8000001f"]]
    assert leaf.split()[1] == "0x00:" and "eax=0x00000003" in leaf
    kvm = cpuid_text((ROOT / "tests" / "data" / "kernelcheck" / "7.3-x86_64-kvm.log").read_text())
    assert {line.split()[1] for line in kvm.splitlines() if line.split()[:1] == ["0x00000007"]} >= {"0x00:", "0x01:"}


def test_realm_boots_drop_only_what_no_model_reads(tmp_path):
    """A realm scenario boots without its GIC ITS (kernelcheck/stub.py): every linux model must
    derive exactly the same, evidence included, from the booted DTB with and without those nodes,
    so the boot still answers for the scenario; and the nodes really are gone."""
    if shutil.which("dtc") is None:
        pytest.skip("dtc not installed (make test installs it as root)")
    sys.path.insert(0, str(ROOT))
    from kernelcheck import stub
    from pvenum.build import write_bundle
    from pvenum.fdt import parse
    from pvenum.resolver import resolve
    from pvenum.scenario.catalog import all_scenarios
    from pvenum.target import load_target

    realms = 0
    for sc in (s for s in all_scenarios() if s.platform().arch == "arm64"):
        built = tmp_path / sc.name
        write_bundle(sc.platform(), built, name=sc.name)
        dropped = stub.realm_deletions(built / "fdt.dtb", built / "platform.toml")
        if not dropped:
            continue
        realms += 1
        platforms = []
        for delete in ((), dropped):
            d = tmp_path / f"{sc.name}-{len(delete)}"
            d.mkdir()
            (d / "platform.toml").write_text((built / "platform.toml").read_text())
            stub.dtb(built / "fdt.dts", 0x1000, "console=ttyAMA0", d / "fdt.dtb", delete=delete)
            its = [n for n in parse((d / "fdt.dtb").read_bytes()).walk()
                   if stub.ITS_COMPATIBLE in (n.strings("compatible") or [])]
            assert len(its) == (0 if delete else len(dropped))
            platforms.append(load_target(str(d)).platform)
        for model in ("linux", "linux@6.1", "linux@6.12", "linux@7.3"):
            assert resolve(platforms[0], model).to_dict() == resolve(platforms[1], model).to_dict(), (sc.name, model)
    assert realms >= 2  # cca-realm, conflict-realm-record-not-in-charge (and any realm scenario added)


def test_guest_cpuid_skips_console_lines_that_are_not_whole_answers():
    """The console is the guest's output, interleaved with the kernel's: a line cut off or with
    other text in it is left out of what the guest saw, never raised on (IndexError/ValueError)."""
    sys.path.insert(0, str(ROOT))
    from kernelcheck import qemu
    from kernelcheck.asbooted import cpuid_text
    from pvenum.observe.messages import REPORT_PREFIX

    whole = "   0x00000000 0x00: eax=0x0000000d ebx=0x756e6547 ecx=0x6c65746e edx=0x49656e69"
    log = "\n".join([
        qemu.SEEN_PREFIX + whole,
        qemu.SEEN_PREFIX + "   0x00000001 0x00: eax=0x000",          # cut off
        qemu.SEEN_PREFIX + "   0x8000001f: eax=0x00000003",            # no subleaf
        qemu.SEEN_PREFIX + "   0xzzzzzzzz 0x00: eax=0x00000000 ebx=0x00000000 ecx=0x00000000 edx=0x00000000",
        REPORT_PREFIX + "cpuid    0x00000000 0x00 eax=0x0000000d",       # no colon
    ])
    assert cpuid_text(log) == "CPU 0:\n" + whole + "\n"
    assert cpuid_text(qemu.SEEN_PREFIX + "   0x00000001 0x00: eax=") == ""


@pytest.mark.parametrize("arch,deb_arch", [("x86_64", "amd64"), ("arm64", "arm64")])
def test_kconfig_table_names_debians_settings(arch, deb_arch):
    """The linux model's Kconfig table (linux_releases.KCONFIG) says, per option, what Debian's
    build of the kernel kernelcheck boots sets; the config shipped in that very package must say
    the same ("absent": the option is not offered at all, e.g. a dependency is off)."""
    sys.path.insert(0, str(ROOT))
    from pvenum.resolver.models.linux_releases import DEBIAN_CONFIG, KCONFIG

    _fetched(arch, deb_arch)
    mine = [d for d in _cached(deb_arch) if d["version"] == DEBIAN_CONFIG]
    if not mine:
        pytest.skip(f"Debian's {DEBIAN_CONFIG} {deb_arch} kernel is not in {CACHE} (the archive serves a newer one)")
    configs = sorted((CACHE / "kernels").glob(f"*{deb_arch}_{DEBIAN_CONFIG}/boot/config-*"))
    assert configs, f"no config in the cached {DEBIAN_CONFIG} {deb_arch} package"
    text = configs[0].read_text()
    checked = 0
    for option, o in KCONFIG.items():
        if deb_arch not in o.debian:
            continue
        m = re.search(rf"^(?:CONFIG_{option}=(\w+)|# CONFIG_{option} is not set)$", text, re.M)
        got = "absent" if m is None else (m.group(1) or "not set")
        assert got == o.debian[deb_arch], (option, deb_arch, got)
        checked += 1
    assert checked >= (3 if deb_arch == "arm64" else 12)


def test_a_kconfig_record_must_name_every_option_the_model_reads():
    """docs/kernelcheck.json gives --recompare and test_observe.py each booted kernel's settings; an
    option the model reads that a record lacks was recorded before the model read it, and must not
    count as n (ARCH_HAS_CC_PLATFORM, set in Debian's amd64 configs, once did)."""
    sys.path.insert(0, str(ROOT))
    from kernelcheck.kconfig import from_settings
    from pvenum.resolver.models.linux_releases import KCONFIG

    doc = json.loads((ROOT / "docs" / "kernelcheck.json").read_text())
    for k in doc["kernels"]:
        assert set(KCONFIG) <= set(k["kconfig"]["options"]), k["kconfig"]["file"]
    stale = json.loads(json.dumps(doc["kernels"][0]["kconfig"]))
    del stale["options"]["ARCH_HAS_CC_PLATFORM"]
    from pvenum.errors import PvenumError

    with pytest.raises(PvenumError, match="records no setting for ARCH_HAS_CC_PLATFORM"):
        from_settings(stale)


def test_refresh_takes_only_the_recorded_file_and_never_parses_another(tmp_path):
    # --recompare refreshes a record from the kernel cache only when the cached config is the
    # file recorded (its SHA-256); another file there, even one that is no configuration at
    # all, is left alone instead of stopping the whole recompare.
    import hashlib

    sys.path.insert(0, str(ROOT))
    from kernelcheck.fetch import kernel_dir
    from kernelcheck.kconfig import refresh

    good = b"# Linux/x86 6.1.176 Kernel Configuration\nCONFIG_XEN=y\n"
    kernels = []
    for package, data in (("linux-image-a", good), ("linux-image-b", b"\0 not a config")):
        boot = kernel_dir(tmp_path, package, "1") / "boot"
        boot.mkdir(parents=True)
        (boot / "config-x").write_bytes(data)
        kernels.append({"package": package, "version": "1",
                        "kconfig": {"file": "config-x", "sha256": hashlib.sha256(good).hexdigest(), "options": {}}})
    refresh(kernels, tmp_path)
    assert kernels[0]["kconfig"]["options"]["XEN"] == "y" and kernels[0]["kconfig"]["version"] == "6.1.176"
    assert kernels[1]["kconfig"]["options"] == {}  # not the recorded file: untouched
