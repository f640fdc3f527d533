"""The systemd and virt-what models against the real programs' code (docs/crosscheck.md).

A small version of ``make crosscheck``: Debian's confidential-virt.c (systemd >= 257) and
virt-what-cvm.c (virt-what 1.27) compiled unchanged against our shim — or, where the archive serves
virt-what's binary package but not its source, Debian's compiled virt-what-cvm with its cpuid
trapped — and run on every x86 catalog scenario, every x86 fixture and ~200 generated platforms. The fetched sources are kept
in the gitignored .cache/crosscheck, so only the first run downloads (apt, private lists).
Skipped, with the reason, without gcc, without the Debian archive, or with
PVENUM_CROSSCHECK=0.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from pvtest import ROOT, SLOW_SCALE

if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from crosscheck import debsrc, harness  # noqa: E402
from crosscheck import run as cc  # noqa: E402
from crosscheck.platforms import Case  # noqa: E402

pytestmark = [pytest.mark.slow, pytest.mark.crosscheck]

GENERATED = max(200, int(3000 * SLOW_SCALE))
CACHE = Path(os.environ.get("PVENUM_CROSSCHECK_CACHE", ROOT / ".cache" / "crosscheck"))


def _sources(package: str) -> list[debsrc.Source]:
    """Every acceptable version the archive serves (the cache's, once fetched): for systemd both
    behaviours the model has, each from its source or, where only that is served, its binary."""
    if os.environ.get("PVENUM_CROSSCHECK") == "0":
        pytest.skip("cross-check disabled by PVENUM_CROSSCHECK=0")
    why = harness.machine_ok() or (None if harness.compiler() else "no C compiler (apt-get install gcc)")
    if why:
        pytest.skip(why)
    accept, policy = cc.POLICY[package]
    try:
        got = debsrc.obtain(package, accept, policy, cache=CACHE, prefer_cache=True, all_versions=True)
    except debsrc.Unavailable as err:
        pytest.skip(f"{package} source unavailable: {cc.skip_reason(package, err)}")
    return got.sources


@pytest.fixture(scope="module")
def cases() -> list[Case]:
    found, _ = cc.collect_cases(GENERATED, seed=1)
    return found


@pytest.fixture(scope="module")
def systemd_sources() -> list[debsrc.Source]:
    return _sources("systemd")


@pytest.fixture(scope="module")
def virt_what_source() -> debsrc.Source:
    return _sources("virt-what")[0]


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """Each source built once for the module (patching a shipped library reads its whole
    disassembly): ``built(source)`` -> its Detector, closed at the end."""
    made: dict[tuple[str, str, str], harness.Detector] = {}

    def get(source: debsrc.Source) -> harness.Detector:
        key = (source.package, source.version, source.form)
        if key not in made:
            made[key] = harness.build(source, workdir=tmp_path_factory.mktemp("built"))
        return made[key]

    yield get
    for det in made.values():
        det.close()


def _shipped_sources(*groups: list[debsrc.Source]) -> list[debsrc.Source]:
    found = [s for group in groups for s in group if s.form == "binary"]
    if not found:
        pytest.skip("every source was fetched as source: the shipped-binary path is not used here")
    return found


def _assert_agrees(rep: cc.SourceReport, cases: list[Case]) -> None:
    assert rep.checked == len(cases)
    shown = "\n\n".join(d.render(rep.package, rep.version) for d in rep.disagreements[:10])
    assert not rep.disagreements, f"{len(rep.disagreements)} disagreements:\n{shown}"
    gaps = "\n".join(f"{c.set} {c.name}: {', '.join(m)}" for c, m in rep.uncited[:10])
    assert not rep.uncited, f"the real code read inputs the model's evidence does not cite:\n{gaps}"
    assert {c.set for c in cases} == {"catalog", "fixtures", "generated"}


def test_systemd_model_equals_confidential_virt_c(systemd_sources, cases, built):
    for source in systemd_sources:
        rep = cc.check_source(source, cases, detector=built(source))
        _assert_agrees(rep, cases)
        if source.form == "binary":  # the program ran: its exit status was compared on every platform
            assert sum(rep.statuses.values()) == len(cases) and set(rep.statuses) == {0, 1}
    # the generated platforms reach the detector's answers, not just "none"
    answers = {cc.expect("systemd", None, c.platform).real for c in cases}
    assert {"none", "sev", "sev-es", "sev-snp", "tdx"} <= answers


def test_virt_what_model_equals_virt_what_cvm_c(virt_what_source, cases, built):
    rep = cc.check_source(virt_what_source, cases, detector=built(virt_what_source))
    if virt_what_source.form == "binary":  # the program ran: it exited 0 on every platform, as the model says
        assert rep.statuses == {0: len(cases)}
    _assert_agrees(rep, cases)


def test_shipped_programs_are_changed_only_at_their_cpuid(systemd_sources, virt_what_source, built):
    """Each copy that runs differs from Debian's file in the two bytes of each cpuid objdump
    decodes, now int3; nop, and objdump finds no cpuid left in it."""
    for src in _shipped_sources(systemd_sources, [virt_what_source]):
        det = built(src)
        patched = 0
        for name in src.provenance["files"]:
            shipped, copy = src.path(name), det.binary.parent / name
            offsets = harness.cpuid_offsets(shipped)
            a, b = shipped.read_bytes(), copy.read_bytes()
            assert len(a) == len(b)
            diff = [i for i, (x, y) in enumerate(zip(a, b)) if x != y]
            assert diff == sorted(o + k for o in offsets for k in (0, 1))
            assert all(a[o:o + 2] == b"\x0f\xa2" and b[o:o + 2] == b"\xcc\x90" for o in offsets)
            assert harness.cpuid_offsets(copy) == []
            patched += len(offsets)
        assert patched, src.version


_DEBUG_CPUID = re.compile(r"^CPUID func ([0-9a-f]+) ([0-9a-f]+)\nCPUID result ([0-9a-f]+) ([0-9a-f]+) ([0-9a-f]+) ([0-9a-f]+)$", re.M)
_DEBUG_MSR = re.compile(r"^MSR ([0-9a-f]+) result ([0-9a-f]+)$", re.M)  # virt-what-cvm's (systemd logs decimal)
# How each program is told to log every CPUID it executes and what came back: virt-what-cvm
# --debug; systemd's cpuid() in confidential-virt.c log_debug()s the same two lines.
_DEBUG = {"virt-what": (("--debug",), {}), "systemd": ((), {"SYSTEMD_LOG_LEVEL": "debug"})}


def test_shipped_programs_see_the_platform(systemd_sources, virt_what_source, cases, built):
    """Debug logging makes each program print every CPUID it executed with what came back
    (and virt-what-cvm every MSR it read): on each catalog and fixture platform those are the
    platform's own registers (zeros for a leaf it lacks), so the trap handler answers what the
    cross-check thinks it answers."""
    for src in _shipped_sources(systemd_sources, [virt_what_source]):
        det = built(src)
        extra_args, extra_env = _DEBUG[src.package]
        args = [*det.args, *extra_args]
        env = {**det.env(), **extra_env}
        seen_cpuid = seen_msr = 0
        for case in (c for c in cases if c.set in ("catalog", "fixtures")):
            res = subprocess.run([str(det.binary), *args], input=harness.encode(case.platform) + "\n",
                                 capture_output=True, text=True, env=env, timeout=60)
            assert res.returncode == 0, res.stderr
            dump, msrs = case.platform.cpuid, case.platform.msr or {}
            for m in _DEBUG_CPUID.finditer(res.stderr):
                leaf, sub, *regs = (int(g, 16) for g in m.groups())
                assert tuple(regs) == tuple(dump.get(leaf, sub) or (0, 0, 0, 0)), f"{case.name}: cpuid 0x{leaf:x}.{sub:x}"
                seen_cpuid += 1
            for m in _DEBUG_MSR.finditer(res.stderr) if src.package == "virt-what" else ():
                index, value = (int(g, 16) for g in m.groups())
                assert msrs[index] == value, case.name
                seen_msr += 1
        assert seen_cpuid > 100, (src.package, src.version)
        assert src.package != "virt-what" or seen_msr > 5


_PROBE = r"""
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>
int main(void) {
        unsigned a = 0x40000000, b, c = 7, d;
        unsigned long long v = 0;
        int fd;
        __asm__ volatile("cpuid" : "+a"(a), "=b"(b), "+c"(c), "=d"(d));
        printf("%x %x %x %x\n", a, b, c, d);
        a = 0x7; c = 1;
        __asm__ volatile("cpuid" : "+a"(a), "=b"(b), "+c"(c), "=d"(d));
        printf("%x %x %x %x\n", a, b, c, d);
        fd = open("/dev/cpu/0/msr", O_RDONLY);
        if (fd < 0) { puts("no msr device"); return 4; }
        if (pread(fd, &v, 8, 0xc0010131) == 8) printf("msr %llx\n", v); else puts("msr faults");
        close(fd);
        return 0;
}
"""


def _probe_program(tmp_path: Path, source: str = _PROBE) -> Path:
    if harness.compiler() is None or harness.machine_ok():
        pytest.skip(harness.machine_ok() or "no C compiler (apt-get install gcc)")
    c, exe = tmp_path / "probe.c", tmp_path / "probe"
    c.write_text(source)
    subprocess.run([harness.compiler(), "-O0", "-U_FORTIFY_SOURCE", "-o", str(exe), str(c)], check=True)
    return exe


def test_preload_shim_answers_a_program_of_ours(tmp_path):
    """The shipped-binary path on a program whose reads this test wrote: two cpuid (one with ECX
    set on a leaf that ignores it, one on an indexed leaf) and the SEV_STATUS MSR, over three
    platforms in one run. Each answer is what the platform line (pvshim.h's format) says, and
    the exit status is the program's (4 when the MSR device does not open)."""
    exe = _probe_program(tmp_path)
    src = debsrc.Source("probe", "0", tmp_path, {"form": "binary", "files": {"probe": {}}})
    det = harness.build(src, workdir=tmp_path)
    lines = [
        # 0x40000000 (ignores ECX), 0x7.1 (indexed); the MSR device opens and holds SEV_STATUS = 7
        "2 40000000 0 0 4000000c 7263694d 666f736f 76482074 7 1 1 11 22 33 44 1 1 c0010131 7",
        # only 0x7.0 (indexed, so 0x7.1 reads zeros); the device opens but holds no SEV_STATUS
        "1 7 0 1 1 2 3 4 1 0",
        # nothing at all, and no MSR device (no root)
        "0 0 0",
    ]
    try:
        got = det.run(lines)
    finally:
        det.close()
    assert got == [
        (["4000000c 7263694d 666f736f 76482074", "11 22 33 44", "msr 7"],
         ["40000000.0", "7.1", "msr:open", "msr:c0010131"], 0),
        # a leaf the platform lacks is recorded under the subleaf asked (pvshim_cpuid.c)
        (["0 0 0 0", "0 0 0 0", "msr faults"], ["40000000.7", "7.1", "msr:open", "msr:c0010131"], 0),
        (["0 0 0 0", "0 0 0 0", "no msr device"], ["40000000.7", "7.1", "msr:open"], 4),
    ]


def test_preload_shim_refuses_what_it_cannot_answer(tmp_path):
    """A program with no cpuid is refused at build; one that opens the MSR device with fopen()
    (which the shim does not answer) stops the run instead of being misread."""
    no_cpuid = _probe_program(tmp_path, "int main(void) { return 0; }\n")
    with pytest.raises(harness.BuildError, match="no cpuid"):
        harness.build(debsrc.Source("p", "0", tmp_path, {"form": "binary", "files": {no_cpuid.name: {}}}), workdir=tmp_path)
    (tmp_path / "other").mkdir()
    around = _probe_program(tmp_path / "other", _PROBE.replace("int main(void) {", "int main(void) {\n        fopen(\"/dev/cpu/0/msr\", \"r\");"))
    det = harness.build(debsrc.Source("p", "0", around.parent, {"form": "binary", "files": {around.name: {}}}), workdir=tmp_path)
    try:
        with pytest.raises(RuntimeError, match="fopen"):
            det.run(["0 0 0"])
    finally:
        det.close()


def test_pinned_binaries_refuse_another_deb():
    """A binary package is run only when its .deb is the one pinned; an unpinned one is refused."""
    deb = debsrc.PINNED_DEB[("virt-what", "1.27-1", "amd64")]
    assert debsrc.deb_pin_problem("virt-what", "1.27-1", "amd64", deb) is None
    assert "not the pinned" in debsrc.deb_pin_problem("virt-what", "1.27-1", "amd64", "0" * 64)
    assert "no pinned" in debsrc.deb_pin_problem("virt-what", "1.28-1", "amd64", deb)


def test_a_different_systemd_release_is_caught(systemd_sources, cases, built):
    """Negative control: the same real code against the model of the other systemd release must
    disagree, so agreement above is not an artefact of the harness."""
    from pvenum.resolver.models import systemd as model

    for source in systemd_sources:
        fetched = model.version_of(source.version)
        other = model.MIN_VERSION if fetched >= model.NEXT_VERSION else model.NEXT_VERSION
        rep = cc.check_source(source, cases, model_version=other, detector=built(source))
        assert rep.disagreements, f"systemd {source.version} agreed with the v{other} model everywhere"


def test_platform_line_matches_the_dump(cases):
    """The shim input carries CPU 0's leaves with pvenum's subleaf rule and the MSRs as given."""
    case = next(c for c in cases if c.set == "catalog" and c.platform.msr)
    line = harness.encode(case.platform).split()
    n = int(line[0], 16)
    assert n == len(case.platform.cpuid)
    rest = line[1 + 7 * n:]
    assert rest[0] == "1" and int(rest[1], 16) == len(case.platform.msr)


def test_debian_version_order():
    """The newest served version is picked by dpkg's ordering (epochs, '~', revisions)."""
    assert debsrc.newest_first(["252.39-1~deb12u2", "262.1-1", "257.13-1~deb13u1", "254.26-1~bpo12+1"]) == [
        "262.1-1", "257.13-1~deb13u1", "254.26-1~bpo12+1", "252.39-1~deb12u2"]
    assert debsrc.compare_versions("1.27-1", "1.25-1") > 0
    assert debsrc.compare_versions("257~rc1-1", "257-1") < 0
    assert debsrc.compare_versions("1:1.0-1", "2.0-1") > 0
    assert debsrc.compare_versions("257.13-1~deb13u1", "257.13-1") < 0
    assert debsrc.upstream_major("1:257.13-1~deb13u1") == 257
    assert debsrc.upstream_of("1.27-1") == "1.27"


def test_pinned_sources_refuse_another_dsc(tmp_path):
    """A pinned version whose .dsc (or a cached file) is not the one pinned is not used."""
    version = "257.13-1~deb13u1"
    pinned = debsrc.PINNED_DSC[("systemd", version)]
    assert debsrc.pin_problem("systemd", version, pinned) is None
    assert "not the pinned" in debsrc.pin_problem("systemd", version, "0" * 64)
    assert debsrc.pin_problem("systemd", "999-1", "0" * 64) is None  # unpinned: checked, labelled so
    # A cache entry claiming the pinned version with another .dsc is ignored.
    d = debsrc.cache_dir(tmp_path, "systemd", version)
    d.mkdir(parents=True)
    (d / "confidential-virt.c").write_text("int x;\n")
    import hashlib
    import json

    digest = hashlib.sha256(b"int x;\n").hexdigest()
    prov = {"package": "systemd", "version": version, "dsc": {"sha256": "0" * 64},
            "files": {"confidential-virt.c": {"sha256": digest}}}
    (d / "provenance.json").write_text(json.dumps(prov))
    assert debsrc.cached(tmp_path, "systemd") == []
    prov["dsc"]["sha256"] = pinned
    (d / "provenance.json").write_text(json.dumps(prov))
    assert [s.version for s in debsrc.cached(tmp_path, "systemd")] == [version]
    (d / "confidential-virt.c").write_text("int y;\n")  # the file changed after it was fetched
    assert debsrc.cached(tmp_path, "systemd") == []


def test_results_name_what_was_not_reproduced(tmp_path):
    run = cc.Run(seed=1)
    run.skipped["virt-what"] = ("download failed: E: Failed to fetch http://mirror.invalid/debian/pool/main/v/"
                                "virt-what/virt-what_1.27-1.debian.tar.xz  404  Not Found [IP: 192.0.2.1 80] | "
                                "E: Failed to fetch some archives.")
    run.notes.append("systemd 262.1-1 (sid): download failed: E: Failed to fetch http://mirror.invalid/x/"
                     "systemd_262.1-1.dsc  404  Not Found [IP: 192.0.2.1 80]")
    run.notes.append("systemd 257.13-1~deb13u1 (trixie): from the cache")
    out = tmp_path / "RESULTS.md"
    cc.write_results(run, out, "python crosscheck/run.py --all-versions")
    text = out.read_text()
    not_here = text.split("## Not reproduced here", 1)[1]
    assert "virt-what: download failed: virt-what_1.27-1.debian.tar.xz: 404 Not Found" in not_here
    assert "systemd 262.1-1 (sid)" in not_here and "257.13" not in not_here
    assert "mirror.invalid" not in text and "192.0.2.1" not in text
    assert "0 real source(s)" in text


# -- systemd-detect-virt's aarch64 branch, Debian's arm64 binary under qemu-user ------------------


def _arm64_source(package: str) -> debsrc.Source:
    if os.environ.get("PVENUM_CROSSCHECK") == "0":
        pytest.skip("cross-check disabled by PVENUM_CROSSCHECK=0")
    from crosscheck import aarch64

    why = aarch64.missing()
    if why:
        pytest.skip(why)
    accept, policy = cc.ARM64_POLICY[package]
    try:
        got = debsrc.obtain_binary(package, "arm64", accept, policy, cache=CACHE, prefer_cache=True)
    except debsrc.Unavailable as err:
        pytest.skip(f"arm64 {package} unavailable: {err}")
    return got.sources[0]


@pytest.fixture(scope="module")
def arm64_systemd() -> debsrc.Source:
    return _arm64_source("systemd")


@pytest.fixture(scope="module")
def arm64_virt_what() -> debsrc.Source:
    return _arm64_source("virt-what")


def _arm64_report(source: debsrc.Source, **kw) -> tuple[cc.SourceReport, int]:
    from crosscheck import platforms

    arm_cases, _ = platforms.catalog("arm64")
    return cc.check_arm64(source, arm_cases, **kw), len(arm_cases)


def test_systemd_arm64_model_equals_the_shipped_program(arm64_systemd):
    """On every arm64 catalog scenario, Debian's arm64 systemd-detect-virt --cvm (run under
    qemu-aarch64, the device directory made where the model says Linux registers it) prints the
    model's word, exits with the model's status and reads nothing the model does not cite; the
    scenarios reach both answers."""
    rep, n = _arm64_report(arm64_systemd)
    assert rep.checked == n >= 2
    shown = "\n\n".join(d.render(rep.package, rep.version) for d in rep.disagreements)
    assert not rep.disagreements, shown
    assert not rep.uncited, rep.uncited
    assert set(rep.answers) == {"cca", "none"} and set(rep.statuses) == {0, 1}


def test_virt_what_arm64_model_equals_the_shipped_program(arm64_virt_what):
    """virt-what-cvm 1.27 has no aarch64 detection: on every arm64 catalog scenario (realms
    included) Debian's arm64 build prints nothing and exits 0, as the model says, and looks at no
    path at all (not even the device systemd reads)."""
    rep, n = _arm64_report(arm64_virt_what)
    assert rep.checked == n >= 2
    assert not rep.disagreements and not rep.uncited
    assert dict(rep.answers) == {"(nothing)": n} and dict(rep.statuses) == {0: n}


def test_systemd_arm64_program_reads_the_device_and_follows_it(arm64_systemd, tmp_path):
    """The program itself, without the model: with the directory it prints "cca" and exits 0,
    without it "none" and exit 1 (systemd's detect-virt.c run(): non-zero for none); either way
    the one input it looks at is /sys/devices/platform/arm-cca-dev."""
    from crosscheck import aarch64

    program = aarch64.build(arm64_systemd, workdir=tmp_path)
    try:
        there, absent = program.run([True, False])
        assert (there.lines, there.status) == (["cca"], 0)
        assert (absent.lines, absent.status) == (["none"], 1)
        assert there.reads == absent.reads == ["/sys/devices/platform/arm-cca-dev"]
    finally:
        program.close()


def test_systemd_arm64_negative_control(arm64_systemd, arm64_virt_what):
    """With the directory the other way round from the model, every scenario disagrees for
    systemd (the agreement above depends on the device the model derives), and none for
    virt-what-cvm, which does not look."""
    rep, n = _arm64_report(arm64_systemd, invert=True)
    assert len(rep.disagreements) == rep.checked == n
    rep, n = _arm64_report(arm64_virt_what, invert=True)
    assert not rep.disagreements and rep.checked == n


def test_arm64_root_refuses_paths_outside_usr(tmp_path):
    """A cached provenance record is input too: a kept file may only land under the root's usr/."""
    from crosscheck import aarch64

    (tmp_path / "systemd-detect-virt").write_bytes(b"\x7fELF")
    for bad in ("../../etc/passwd", "/usr/bin/x", "etc/ld.so.preload"):
        prov = {"form": "binary", "arch": "arm64", "files": {"systemd-detect-virt": {"path": bad}}}
        with pytest.raises(harness.BuildError, match="refusing packaged path"):
            aarch64.build(debsrc.Source("systemd", "262.1-1", tmp_path, prov), workdir=tmp_path)


def test_cache_keeps_architectures_apart(tmp_path):
    """An arm64 binary entry in the cache is never offered to the x86 check (and the other way
    round): cached() returns binaries of the architecture asked for, pins checked per package."""
    import hashlib
    import json

    version = "262.1-1"
    for arch in ("amd64", "arm64"):
        d = debsrc.cache_dir(tmp_path, "systemd", version, binary_arch=arch)
        d.mkdir(parents=True)
        (d / "f").write_bytes(arch.encode())
        debs = [{"package": b, "version": v, "arch": arch, "sha256": debsrc.PINNED_DEB[(b, v, arch)]}
                for b, (v, _) in debsrc.binary_packages("systemd", version, arch).items()
                if (b, v, arch) in debsrc.PINNED_DEB]
        prov = {"package": "systemd", "version": version, "form": "binary", "arch": arch, "debs": debs,
                "files": {"f": {"sha256": hashlib.sha256(arch.encode()).hexdigest()}}}
        (d / "provenance.json").write_text(json.dumps(prov))
    host = debsrc.host_arch()
    assert [s.provenance["arch"] for s in debsrc.cached(tmp_path, "systemd")] == [host]
    assert [s.provenance["arch"] for s in debsrc.cached(tmp_path, "systemd", binary_arch="arm64")] == ["arm64"]
    if host != "arm64":  # an arm64 entry without its runtime (libc6) is incomplete: not offered
        d = debsrc.cache_dir(tmp_path, "systemd", version, binary_arch="arm64")
        prov = json.loads((d / "provenance.json").read_text())
        prov["debs"] = [x for x in prov["debs"] if x["package"] != "libc6"]
        (d / "provenance.json").write_text(json.dumps(prov))
        assert debsrc.cached(tmp_path, "systemd", binary_arch="arm64") == []


def test_arm64_device_is_the_one_a_real_kernel_registers():
    """The directory the arm64 checks make is the model's claim of what Linux registers. Debian's
    7.3 kernel, booted by `make kernelcheck` on each arm64 catalog scenario with the stub answering
    its SMCCC/RSI (tests/data/kernelcheck/7.3-arm64-*.log, the init's "present"/"absent" line),
    registers /sys/devices/platform/arm-cca-dev exactly where the model says; both answers occur."""
    from crosscheck import platforms
    from pvenum.resolver.arm import RSI_PDEV_SYSFS

    logs = ROOT / "tests" / "data" / "kernelcheck"
    arm_cases, _ = platforms.catalog("arm64")
    seen = {}
    for case in arm_cases:
        log = logs / f"7.3-arm64-{case.name}.log"
        if not log.is_file():  # not booted (an ACPI-only scenario)
            continue
        line = next((ln for ln in log.read_text().splitlines() if ln.endswith(" " + RSI_PDEV_SYSFS)), None)
        if line is None:  # the boot stopped before the init's report (arm64-xen: neither QEMU nor the stub is Xen)
            continue
        booted = line.split()[1] == "present"
        _, modelled = cc.expect_arm64("systemd", 262, case.platform)
        assert modelled == booted, case.name
        seen[case.name] = booted
    assert set(seen.values()) == {True, False}, seen
