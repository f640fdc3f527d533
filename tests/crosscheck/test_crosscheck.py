"""The systemd and virt-what models against the real programs' code (docs/crosscheck.md).

A small version of ``make crosscheck``: Debian's confidential-virt.c (systemd >= 257) and
virt-what-cvm.c (virt-what 1.27) compiled unchanged against our shim and run on every x86
catalog scenario, every x86 fixture and ~200 generated platforms. The fetched sources are kept
in the gitignored .cache/crosscheck, so only the first run downloads (apt, private lists).
Skipped, with the reason, without gcc, without the Debian archive, or with
PVENUM_CROSSCHECK=0.
"""

from __future__ import annotations

import os
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


def _source(package: str) -> debsrc.Source:
    if os.environ.get("PVENUM_CROSSCHECK") == "0":
        pytest.skip("cross-check disabled by PVENUM_CROSSCHECK=0")
    why = harness.machine_ok() or (None if harness.compiler() else "no C compiler (apt-get install gcc)")
    if why:
        pytest.skip(why)
    accept, policy = cc.POLICY[package]
    try:
        got = debsrc.obtain(package, accept, policy, cache=CACHE, prefer_cache=True)
    except debsrc.Unavailable as err:
        pytest.skip(f"{package} source unavailable: {cc.skip_reason(package, err)}")
    return got.sources[0]


@pytest.fixture(scope="module")
def cases() -> list[Case]:
    found, _ = cc.collect_cases(GENERATED, seed=1)
    return found


@pytest.fixture(scope="module")
def systemd_source() -> debsrc.Source:
    return _source("systemd")


@pytest.fixture(scope="module")
def virt_what_source() -> debsrc.Source:
    return _source("virt-what")


def _assert_agrees(rep: cc.SourceReport, cases: list[Case]) -> None:
    assert rep.checked == len(cases)
    shown = "\n\n".join(d.render(rep.package, rep.version) for d in rep.disagreements[:10])
    assert not rep.disagreements, f"{len(rep.disagreements)} disagreements:\n{shown}"
    gaps = "\n".join(f"{c.set} {c.name}: {', '.join(m)}" for c, m in rep.uncited[:10])
    assert not rep.uncited, f"the real code read inputs the model's evidence does not cite:\n{gaps}"
    assert {c.set for c in cases} == {"catalog", "fixtures", "generated"}


def test_systemd_model_equals_confidential_virt_c(systemd_source, cases):
    rep = cc.check_source(systemd_source, cases)
    _assert_agrees(rep, cases)
    # the generated platforms reach the detector's answers, not just "none"
    answers = {cc.expect("systemd", None, c.platform).real for c in cases}
    assert {"none", "sev", "sev-es", "sev-snp", "tdx"} <= answers


def test_virt_what_model_equals_virt_what_cvm_c(virt_what_source, cases):
    rep = cc.check_source(virt_what_source, cases)
    _assert_agrees(rep, cases)


def test_a_different_systemd_release_is_caught(systemd_source, cases):
    """Negative control: the same real code against the model of the other systemd release must
    disagree, so agreement above is not an artefact of the harness."""
    from pvenum.resolver.models import systemd as model

    fetched = model.version_of(systemd_source.version)
    other = model.MIN_VERSION if fetched >= model.NEXT_VERSION else model.NEXT_VERSION
    rep = cc.check_source(systemd_source, cases, model_version=other)
    assert rep.disagreements, f"systemd {systemd_source.version} agreed with the v{other} model everywhere"


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
