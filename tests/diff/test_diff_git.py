"""Git integration: `git diff` through `pvenum textconv`, and `pvenum diff REV:path REV:path`."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from pvtest import DATA

ROWS = DATA / "x86" / "rows"


@pytest.fixture(scope="module")
def repo(tmp_path_factory, qemu_dtbs, built) -> Path:
    """A repository with two commits: GICv2 → GICv3 DTB, SNP → Azure paravisor CPUID and bundle."""
    if shutil.which("git") is None:
        pytest.skip("git not installed")
    root = tmp_path_factory.mktemp("repo")
    env = _env(root)

    def git(*args: str) -> None:
        subprocess.run(["git", *args], cwd=root, env=env, check=True, capture_output=True, timeout=60)

    git("init", "-q")
    (root / ".gitattributes").write_text("*.dtb diff=pvenum\n*.kvm diff=pvenum\n")
    git("config", "diff.pvenum.textconv", f"{sys.executable} -m pvenum textconv")
    shutil.copy(qemu_dtbs["virt-gicv2"], root / "virt.dtb")
    shutil.copy(built["snp"] / "cpuid.kvm", root / "cpuid.kvm")
    shutil.copytree(ROWS / "snp-enlightened", root / "bundle")
    git("add", "-A")
    git("commit", "-q", "-m", "enlightened SNP, GICv2")
    shutil.copy(qemu_dtbs["virt-gicv3"], root / "virt.dtb")
    shutil.copy(built["azure-snp-paravisor"] / "cpuid.kvm", root / "cpuid.kvm")
    shutil.rmtree(root / "bundle")
    shutil.copytree(ROWS / "azure-snp-paravisor", root / "bundle")
    git("add", "-A")
    git("commit", "-q", "-m", "Azure-like paravisor, GICv3")
    return root


def _env(home: Path) -> dict[str, str]:
    return {**os.environ, "HOME": str(home), "GIT_CONFIG_NOSYSTEM": "1", "GIT_AUTHOR_NAME": "t",
            "GIT_AUTHOR_EMAIL": "t@example.org", "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.org",
            "GIT_PAGER": "cat", "COLUMNS": "160"}


def _run(repo: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(list(args), cwd=repo, env=_env(repo), capture_output=True, timeout=120)


def test_git_diff_shows_decoded_dtb_fields(repo):
    r = _run(repo, "git", "diff", "HEAD~1", "HEAD", "--", "virt.dtb")
    assert r.returncode == 0, r.stderr
    out = r.stdout.decode()
    assert "Binary files" not in out
    assert '\n-/intc@8000000:compatible = "arm,cortex-a15-gic" [' in out
    assert '\n+/intc@8000000:compatible = "arm,gic-v3" [' in out
    assert "\n+node /intc@8000000/its@8080000\n" in out


def test_git_diff_shows_decoded_cpuid_fields(repo):
    r = _run(repo, "git", "diff", "HEAD~1", "HEAD", "--", "cpuid.kvm")
    assert r.returncode == 0, r.stderr
    out = r.stdout.decode()
    assert "\n+cpuid 0x4000000c.0 eax[0] HV_PARAVISOR_PRESENT = true\n" in out
    assert "\n-cpuid 0x8000001f.0 eax[4] SEV_SNP = true\n" in out


def test_diff_rev_paths_blob(repo):
    r = _run(repo, sys.executable, "-m", "pvenum", "diff", "HEAD~1:cpuid.kvm", "HEAD:cpuid.kvm", "--format", "json",
             "--exit-code")
    assert r.returncode == 1, r.stderr
    doc = json.loads(r.stdout)
    assert doc["a"] == "HEAD~1:cpuid.kvm" and doc["kind"] == "cpuid"
    fields = {c["field"]: c for c in doc["raw"]["cpuid"]}
    assert fields["cpuid 0x4000000c.0 eax[0] HV_PARAVISOR_PRESENT"]["b"] == "true"
    r = _run(repo, sys.executable, "-m", "pvenum", "diff", "HEAD:virt.dtb", str(repo / "virt.dtb"), "--exit-code")
    assert r.returncode == 0, r.stderr  # the committed blob against the work tree: the same


def test_diff_rev_paths_tree(repo):
    """A bundle directory read from git (git ls-tree and cat-file) compares as a platform."""
    r = _run(repo, sys.executable, "-m", "pvenum", "diff", "HEAD~1:bundle", "HEAD:bundle", "--format", "markdown",
             "--only-derived")
    assert r.returncode == 0, r.stderr
    md = r.stdout.decode()
    assert "| **linux** | `mode` | `enlightened` | `paravisor` |" in md
    assert "| **linux** | `memory_acceptance` | `guest` | `paravisor` |" in md


def test_diff_rev_path_errors(repo):
    r = _run(repo, sys.executable, "-m", "pvenum", "diff", "nosuchrev:virt.dtb", "HEAD:virt.dtb")
    assert r.returncode == 2  # a revision git does not have: a nonexistent path (pvenum/cli.py EXIT_CODES)
    assert r.stderr.startswith(b"pvenum: error: nosuchrev:virt.dtb: git cat-file:") and r.stderr.count(b"\n") == 1


def test_a_git_stream_that_outlives_the_timeout_says_so(tmp_path, monkeypatch):
    # A tree's files are streamed from one `git cat-file --batch`, killed at the timeout; what it
    # had not sent then was reported as a blob that "is not the blob the tree lists". The git
    # here is a stand-in that never answers (the real one answers too fast to be late).
    from pvenum.diff import gitsrc
    from pvenum.errors import PvenumError

    slow = tmp_path / "git"
    slow.write_text("#!/bin/sh\nexec sleep 60\n")
    slow.chmod(0o755)
    monkeypatch.setattr(gitsrc, "_exe", lambda spec: str(slow))
    monkeypatch.setattr(gitsrc, "GIT_TIMEOUT", 0.2)
    with pytest.raises(PvenumError) as err:
        gitsrc._cat_files([(b"0" * 40, 3, "a.dtb")], tmp_path / "out", "HEAD:x")
    assert str(err.value) == "HEAD:x: git cat-file took longer than 0.2 s"
    assert not (tmp_path / ".out.ids").exists()
