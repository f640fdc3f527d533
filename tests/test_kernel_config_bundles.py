"""A guest kernel's configuration travelling with its platform: `pvenum snapshot` captures the running
kernel's (/proc/config.gz, else /boot/config-RELEASE or /lib/modules/RELEASE/config) into the
bundle's kernel.config, and resolve, check, diff, audit and the matrix build the linux models'
kernel as it says; `--kernel-config FILE` overrides it on each of those commands.

The expected conclusions are the source's, as tests/test_kernel_config_model.py cites them: a
SEV-SNP guest whose kernel lacks CONFIG_AMD_MEM_ENCRYPT has no #VC handler
(arch/x86/boot/compressed/idt_64.c sets the X86_TRAP_VC gate only with the option) and stops at
its first #VC; the same guest with every option set is the assumed kernel."""

from __future__ import annotations

import gzip
import hashlib
import json
import re
import shutil
from pathlib import Path

import pytest

from pvenum.audit import audit_one, find_targets, run
from pvenum.build import write_bundle
from pvenum.kconfig import parse_kconfig
from pvenum.resolver.models.linux_releases import KCONFIG
from pvenum.scenario import catalog

from pvtest import run_cli


def config_text(*unset: str, header: str = "# Linux/x86 6.12.57 Kernel Configuration") -> bytes:
    """A config as scripts/kconfig/confdata.c conf_write() writes it: every option the model
    reads set (=y) but ``unset`` ("# CONFIG_X is not set")."""
    lines = ["#", "# Automatically generated file; DO NOT EDIT.", header, "#"]
    lines += [f"# CONFIG_{o} is not set" if o in unset else f"CONFIG_{o}=y" for o in KCONFIG]
    return ("\n".join(lines) + "\n").encode()


WITHOUT_SEV = config_text("AMD_MEM_ENCRYPT")
EVERYTHING = config_text()


@pytest.fixture(scope="module")
def snp(tmp_path_factory) -> Path:
    """The snp catalog platform as `pvenum build` writes it, without a kernel.config."""
    out = tmp_path_factory.mktemp("snp") / "snp"
    sc = catalog.get("snp")
    write_bundle(sc.platform(), out, name=sc.name, description=sc.description)
    return out


def with_config(bundle: Path, where: Path, data: bytes) -> Path:
    shutil.copytree(bundle, where)
    (where / "manifest.json").unlink()  # the manifest hashes what build wrote; this is a capture now
    (where / "kernel.config").write_bytes(data)
    return where


def resolve_json(*args: str) -> dict:
    proc = run_cli("resolve", *args, "--json", "--model", "linux")
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


# -- snapshot ------------------------------------------------------------------------------------


def _snapshot(root: Path, out: Path) -> dict:
    proc = run_cli("snapshot", "--sysroot", str(root), "-o", str(out))
    assert proc.returncode == 0, proc.stderr
    return json.loads((out / "snapshot.json").read_text())


def test_snapshot_takes_the_kernels_own_copy_first(tmp_path):
    # kernel/configs.c (CONFIG_IKCONFIG_PROC): /proc/config.gz is the gzip of the build's .config.
    root = tmp_path / "root"
    (root / "proc/sys/kernel").mkdir(parents=True)
    (root / "proc/config.gz").write_bytes(gzip.compress(WITHOUT_SEV))
    (root / "proc/sys/kernel/osrelease").write_text("6.12.57+deb13-amd64\n")
    (root / "boot").mkdir()
    (root / "boot/config-6.12.57+deb13-amd64").write_bytes(EVERYTHING)
    report = _snapshot(root, tmp_path / "snap")
    assert (tmp_path / "snap/kernel.config").read_bytes() == WITHOUT_SEV  # inflated, byte for byte
    assert report["captured"]["kernel config"] == f"{root}/proc/config.gz (Linux/x86 6.12.57)"
    assert "kernel config" not in report["missing"]
    manifest = json.loads((tmp_path / "snap/manifest.json").read_text())
    assert "kernel.config" in {e["path"] for e in manifest["files"]}


@pytest.mark.parametrize("place", ["boot/config-{r}", "lib/modules/{r}/config"])
def test_snapshot_falls_back_to_the_distributions_copy(tmp_path, place):
    # Debian installs /boot/config-$(uname -r); Fedora and Arch /lib/modules/$(uname -r)/config.
    root = tmp_path / "root"
    (root / "proc/sys/kernel").mkdir(parents=True)
    (root / "proc/sys/kernel/osrelease").write_text("6.12.57+deb13-amd64\n")
    f = root / place.format(r="6.12.57+deb13-amd64")
    f.parent.mkdir(parents=True)
    f.write_bytes(EVERYTHING)
    report = _snapshot(root, tmp_path / "snap")
    assert (tmp_path / "snap/kernel.config").read_bytes() == EVERYTHING
    assert report["captured"]["kernel config"].startswith(str(f) + " (Linux/x86 6.12.57)")


def test_snapshot_lists_where_it_looked_and_never_writes_a_damaged_config(tmp_path):
    root = tmp_path / "root"
    (root / "proc/sys/kernel").mkdir(parents=True)
    (root / "proc/config.gz").write_bytes(gzip.compress(b"CONFIG_X=y\nnot a config line\n"))
    (root / "proc/sys/kernel/osrelease").write_text("../../etc\n")  # a hostile release names no path
    report = _snapshot(root, tmp_path / "snap")
    assert not (tmp_path / "snap/kernel.config").exists()
    why = report["missing"]["kernel config"]
    assert f"{root}/proc/config.gz: " in why and "line 2: expected CONFIG_NAME=value" in why
    assert "etc" not in why.replace(str(root), "")  # no /boot/config-../../etc was tried


def test_snapshot_names_the_module_that_provides_proc_config_gz(tmp_path):
    root = tmp_path / "root"
    root.mkdir()
    report = _snapshot(root, tmp_path / "snap")
    why = report["missing"]["kernel config"]
    assert "config.gz: not present (CONFIG_IKCONFIG_PROC; when CONFIG_IKCONFIG=m: modprobe configs)" in why
    assert "osrelease" in why


# -- resolve, check, diff, the matrix -------------------------------------------------------------


def test_resolve_builds_the_kernel_as_the_bundles_config_says(snp, tmp_path):
    plain = resolve_json(str(snp))
    assert "kernel_config" not in plain and plain["derivations"]["linux"]["mode"] == "enlightened"
    bundle = with_config(snp, tmp_path / "captured", WITHOUT_SEV)
    doc = resolve_json(str(bundle))
    linux = doc["derivations"]["linux"]
    assert linux["output"]["stops"].startswith("no_vc_handler")
    assert (linux["mode"], linux["isolation"]) == ("conflict", "sev-snp")
    assert doc["kernel_config"] == {"path": f"{bundle}/kernel.config", "arch": "x86", "version": "6.12.57",
                                    "sha256": parse_kconfig(WITHOUT_SEV).sha256}
    assert any(e["source"] == "CONFIG_AMD_MEM_ENCRYPT" and e["value"] is False for e in linux["evidence"])
    # --kernel-config overrides the bundle's own.
    (tmp_path / "all.config").write_bytes(EVERYTHING)
    over = resolve_json(str(bundle), "--kernel-config", str(tmp_path / "all.config"))
    assert over["derivations"]["linux"]["mode"] == "enlightened"
    assert over["kernel_config"]["path"] == str(tmp_path / "all.config")


def test_a_damaged_kernel_config_is_a_bundle_problem(snp, tmp_path):
    bundle = with_config(snp, tmp_path / "captured", EVERYTHING + b"CONFIG_BROKEN\n")
    proc = run_cli("resolve", str(bundle), "--json", "--model", "linux")
    assert proc.returncode == 1, proc.stderr
    problems = json.loads(proc.stdout)["problems"]
    assert [(p["code"], p["file"], p["format"], p["offset"]) for p in problems] == [
        ("bundle.unreadable", f"{bundle}/kernel.config", "kconfig", len(EVERYTHING))]
    proc = run_cli("verify", str(bundle))
    assert proc.returncode == 1 and b"kernel.config" in proc.stdout + proc.stderr


def test_a_bundles_kernel_config_has_the_same_bound_as_any_other(snp, tmp_path):
    # --kernel-config and snapshot read at most MAX_CONFIG_BYTES; a bundle's kernel.config, read
    # with the bundle's 64 MiB input limit, is held to the same bound by the parser itself.
    from pvenum.kconfig import MAX_CONFIG_BYTES

    pad = b"# " + b"x" * 1021 + b"\n"
    bundle = with_config(snp, tmp_path / "captured", EVERYTHING + pad * (MAX_CONFIG_BYTES // len(pad) + 1))
    proc = run_cli("resolve", str(bundle), "--json", "--model", "linux")
    assert proc.returncode == 1, proc.stderr
    problems = json.loads(proc.stdout)["problems"]
    assert [(p["code"], p["file"], p["format"], p["offset"]) for p in problems] == [
        ("bundle.unreadable", f"{bundle}/kernel.config", "kconfig", MAX_CONFIG_BYTES)]


def test_check_uses_the_bundles_config_and_the_option(snp, tmp_path):
    bundle = with_config(snp, tmp_path / "captured", EVERYTHING)
    toml = bundle / "platform.toml"
    toml.write_text(toml.read_text() + '\n[expect.linux]\nmode = "enlightened"\n')
    assert run_cli("check", str(bundle)).returncode == 0
    (tmp_path / "nosev.config").write_bytes(WITHOUT_SEV)
    proc = run_cli("check", str(bundle), "--kernel-config", str(tmp_path / "nosev.config"))
    assert proc.returncode == 1
    assert "linux: mode: expected enlightened, derived conflict" in proc.stdout.decode()
    (bundle / "kernel.config").write_bytes(WITHOUT_SEV)
    assert run_cli("check", str(bundle)).returncode == 1


def test_diff_builds_each_side_as_its_own_config_says(snp, tmp_path):
    a = with_config(snp, tmp_path / "a", EVERYTHING)
    b = with_config(snp, tmp_path / "b", WITHOUT_SEV)
    proc = run_cli("diff", str(a), str(b), "--format", "json")
    doc = json.loads(proc.stdout)
    changed = {c["field"]: (c["a"], c["b"]) for c in doc["derived"]["linux"]}
    assert changed["mode"] == ("enlightened", "conflict")
    assert "kernel.config" in json.dumps(doc["raw"]["files"])


def test_diff_lists_the_options_that_differ_and_those_a_model_read(snp, tmp_path):
    """Two captures whose kernels differ: every option either file sets, as the file writes it
    and n where it is not set (scripts/kconfig/confdata.c conf_write()), the ones the linux
    model read marked as read; a finding that names only the header is not a change."""
    a = with_config(snp, tmp_path / "a", EVERYTHING)
    b = with_config(snp, tmp_path / "b", WITHOUT_SEV + b"CONFIG_VIRTIO_BLK=m\n")
    doc = json.loads(run_cli("diff", str(a), str(b), "--format", "json").stdout)
    rows = {c["field"]: c for c in doc["raw"]["kconfig"]}
    assert set(rows) == {"kernel config", "CONFIG_AMD_MEM_ENCRYPT", "CONFIG_VIRTIO_BLK"}
    assert (rows["CONFIG_AMD_MEM_ENCRYPT"]["a"], rows["CONFIG_AMD_MEM_ENCRYPT"]["b"]) == ("y", "n")
    assert rows["CONFIG_AMD_MEM_ENCRYPT"]["read_by"] == ["linux"]
    assert (rows["CONFIG_VIRTIO_BLK"]["a"], rows["CONFIG_VIRTIO_BLK"]["b"]) == ("n", "m")
    assert not rows["CONFIG_VIRTIO_BLK"].get("read_by")
    assert (rows["kernel config"]["raw_a"], rows["kernel config"]["raw_b"]) == (
        hashlib.sha256(EVERYTHING).hexdigest(), hashlib.sha256(WITHOUT_SEV + b"CONFIG_VIRTIO_BLK=m\n").hexdigest())
    assert doc["unchanged"]["kconfig"] == len(KCONFIG) - 1
    # Both headers say 6.12.57 for a mainline model: the same info finding on both sides.
    assert "linux.kconfig-release" not in json.dumps(doc["findings"])
    md = run_cli("diff", str(a), str(b), "--format", "markdown").stdout.decode()
    assert "CONFIG_AMD_MEM_ENCRYPT" in md and "CONFIG_VIRTIO_BLK" in md
    # Against a bundle without kernel.config: which kernel each side is, not thousands of options.
    doc = json.loads(run_cli("diff", str(snp), str(b), "--format", "json").stdout)
    (row,) = doc["raw"]["kconfig"]
    assert row["field"] == "kernel config" and row["a"].startswith("none: the assumed kernel")


def test_matrix_takes_kernel_config(snp, tmp_path):
    (tmp_path / "nosev.config").write_bytes(WITHOUT_SEV)
    proc = run_cli("main", "--scenario", "snp", "--model", "linux", "--json", "--kernel-config",
                   str(tmp_path / "nosev.config"))
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)[0]["models"]["linux"]["mode"] == "conflict"
    captured = with_config(snp, tmp_path / "captured", WITHOUT_SEV)
    rows = json.loads(run_cli("main", str(captured), "--model", "linux", "--json").stdout)
    assert rows[0]["models"]["linux"]["mode"] == "conflict"
    assert "its kernel built as" in rows[0]["description"]


def _md_cells(line: str) -> list[str]:
    """A Markdown table row's cells, split at the pipes GFM reads as separators (not ``\\|``)."""
    return [c.strip() for c in re.split(r"(?<!\\)\|", line.strip())[1:-1]]


def test_matrix_rows_name_the_config_that_built_their_kernel(snp, tmp_path):
    """A reviewer reading a pasted matrix sees which kernel each row's linux cell is: the header
    the file carries and its SHA-256 (two builds of one version differ there); rows of the
    assumed kernel say nothing."""
    captured = with_config(snp, tmp_path / "captured", WITHOUT_SEV)
    short = hashlib.sha256(WITHOUT_SEV).hexdigest()[:12]
    proc = run_cli("main", str(snp), str(captured), "--model", "linux", "--markdown")
    assert proc.returncode == 0, proc.stderr
    rows = {_md_cells(line)[0]: _md_cells(line) for line in proc.stdout.decode().splitlines()
            if line.startswith("| **")}
    assert rows == {
        "**snp**": ["**snp**", "enlightened<br>sev-snp · mem guest<br>att yes · tdisp -"],
        f"**captured**<br>kernel config: Linux/x86 6.12.57, sha256 {short}":
            [f"**captured**<br>kernel config: Linux/x86 6.12.57, sha256 {short}",
             "conflict<br>sev-snp · mem none<br>att - · tdisp -"],
    }
    doc = {r["scenario"]: r for r in json.loads(run_cli("main", str(snp), str(captured), "--json").stdout)}
    assert "kernel_config" not in doc["snp"]
    assert doc["captured"]["kernel_config"] == {"path": f"{captured}/kernel.config", "arch": "x86",
                                                "version": "6.12.57", "sha256": hashlib.sha256(WITHOUT_SEV).hexdigest()}
    text = run_cli("main", str(captured), "--model", "linux").stdout.decode()
    assert "kernel config: Linux/x86 6.12.57" in text and f"sha256 {short}" in text
    # --kernel-config builds every row's kernel, catalog rows included, and each row says so.
    (tmp_path / "all.config").write_bytes(EVERYTHING)
    doc = json.loads(run_cli("main", "--scenario", "snp", "--scenario", "tdx", "--json",
                             "--kernel-config", str(tmp_path / "all.config")).stdout)
    assert [r["kernel_config"]["path"] for r in doc] == [str(tmp_path / "all.config")] * 2


def test_a_config_header_cannot_break_the_markdown_row(snp, tmp_path):
    """The header is the file's text: a ``|`` or markup in it stays inside the scenario cell."""
    hostile = config_text("AMD_MEM_ENCRYPT", header="# Linux/x|86 6.1<b>|` Kernel Configuration")
    captured = with_config(snp, tmp_path / "captured", hostile)
    proc = run_cli("main", str(captured), "--model", "linux,systemd", "--markdown")
    assert proc.returncode == 0, proc.stderr
    (row,) = [line for line in proc.stdout.decode().splitlines() if line.startswith("| **")]
    cells = _md_cells(row)
    assert len(cells) == 3 and cells[1].startswith("conflict<br>"), row
    assert "<b>" not in row and "\\<b\\>" in row


@pytest.mark.parametrize("command", ["resolve", "check", "audit", "main"])
def test_every_command_refuses_a_config_that_is_not_one(snp, tmp_path, command):
    bad = tmp_path / "bad.config"
    bad.write_bytes(b"hello\n")
    args = [command, "--kernel-config", str(bad)] + ([] if command == "main" else [str(snp)])
    proc = run_cli(*args)
    assert proc.returncode == 3, (command, proc.stderr)
    assert proc.stderr.decode().startswith(f"pvenum: error: {bad}: kconfig at offset 0x00: line 1:")
    assert run_cli(command, "--kernel-config", str(tmp_path / "none"), *args[3:]).returncode == 2


# -- audit ---------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def fleet(snp, tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("kfleet")
    for i in range(2):
        shutil.copytree(snp, root / f"m{i}-plain")
        with_config(snp, root / f"m{i}-nosev", WITHOUT_SEV)
    return root


def test_audit_keys_and_builds_each_capture_by_its_own_config(fleet):
    recs = {Path(r["target"]).name: r for r in run(find_targets(fleet), jobs=1)}
    plain, nosev = recs["m0-plain"], recs["m0-nosev"]
    assert plain["key"] != nosev["key"] and recs["m1-nosev"]["key"] == nosev["key"]
    assert plain["derivations"]["linux"]["mode"] == "enlightened" and "kernel_config" not in plain
    assert nosev["derivations"]["linux"]["mode"] == "conflict"
    assert nosev["kernel_config"] == {"from": "bundle", "arch": "x86", "version": "6.12.57",
                                      "sha256": parse_kconfig(WITHOUT_SEV).sha256}


def test_audit_option_overrides_and_is_part_of_the_cache_slot(fleet):
    cfg = parse_kconfig(EVERYTHING, "all.config")
    target = str(fleet / "m0-nosev")
    from collections import OrderedDict

    cache: OrderedDict = OrderedDict()  # one worker's cache, seeing the capture under two configs
    own, given = audit_one(target, cache), audit_one(target, cache, kernel_config=cfg)
    assert own["key"] == given["key"]  # the same capture...
    assert (own["derivations"]["linux"]["mode"], given["derivations"]["linux"]["mode"]) == ("conflict", "enlightened")
    assert given["kernel_config"]["from"] == "--kernel-config"
    assert list(run(find_targets(fleet), jobs=2, chunk=1, kernel_config=cfg)) == \
        list(run(find_targets(fleet), jobs=1, kernel_config=cfg))


def test_audit_cli_and_dask_take_kernel_config(fleet, tmp_path):
    (tmp_path / "all.config").write_bytes(EVERYTHING)
    proc = run_cli("audit", "-j", "1", str(fleet), "--kernel-config", str(tmp_path / "all.config"))
    assert proc.returncode == 0, proc.stderr
    recs = [json.loads(line) for line in proc.stdout.splitlines()]
    assert {r["derivations"]["linux"]["mode"] for r in recs} == {"enlightened"}
    distributed = pytest.importorskip("distributed", reason="the test extra installs dask and distributed")
    from pvenum.audit_dask import run_dask

    cfg = parse_kconfig(WITHOUT_SEV, "nosev.config")
    paths = [str(p) for p in find_targets(fleet)]
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False,
                                  dashboard_address=None) as cluster, distributed.Client(cluster) as client:
        on_dask = list(run_dask(paths, client=client, chunk=1, kernel_config=cfg))
    assert on_dask == list(run(paths, jobs=1, kernel_config=cfg))
    assert {r["derivations"]["linux"]["mode"] for r in on_dask} == {"conflict"}
