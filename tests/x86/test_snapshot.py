"""pvenum snapshot: capture this machine, list what is missing, never fail for it."""

from __future__ import annotations

import json
import os

from pvenum.platform import load_bundle
from pvenum.resolver import resolve_all


def test_snapshot_of_this_machine(cli, tmp_path):
    out = tmp_path / "snap"
    proc = cli("snapshot", "-o", str(out))
    assert proc.returncode == 0, proc.stderr
    report = json.loads((out / "snapshot.json").read_text())
    assert set(report) == {"captured", "missing"}
    assert set(report["captured"]) | set(report["missing"]) >= {"cpuid", "msr 0xc0010131 (SEV_STATUS)", "acpi", "fdt"}
    for what in report["missing"]:
        assert f"missing  {what}:" in proc.stderr.decode()
    if "cpuid" in report["captured"]:
        platform = load_bundle(out)
        assert platform.cpuid is not None and platform.arch == "x86_64"
        assert {d.mode for d in resolve_all(platform).values()} == {"not-confidential"}
    if os.path.isdir("/sys/firmware/acpi/tables") and "acpi" in report["captured"]:
        assert (out / "acpi").is_dir()


def test_snapshot_with_nothing_available(cli, tmp_path):
    root = tmp_path / "root"
    root.mkdir()
    proc = cli("snapshot", "-o", str(tmp_path / "snap"), "--sysroot", str(root))
    assert proc.returncode == 0
    report = json.loads((tmp_path / "snap" / "snapshot.json").read_text())
    assert report["captured"] == {}
    assert set(report["missing"]) == {"cpuid", "msr 0xc0010131 (SEV_STATUS)", "acpi", "fdt", "kernel"}
    assert not (tmp_path / "snap" / "kernel.log").exists()  # nothing the kernel said: no conclusion


def test_snapshot_copies_a_sysfs_tree(cli, tmp_path):
    root = tmp_path / "root"
    tables = root / "sys" / "firmware" / "acpi" / "tables"
    (tables / "data").mkdir(parents=True)
    (tables / "data" / "BERT").write_bytes(b"\x00" * 16)
    (root / "sys" / "firmware" / "fdt").write_bytes(b"\xd0\x0d\xfe\xed" + bytes(36))
    proc = cli("snapshot", "-o", str(tmp_path / "snap"), "--sysroot", str(root))
    assert proc.returncode == 0
    assert (tmp_path / "snap" / "acpi" / "data" / "BERT").read_bytes() == b"\x00" * 16
    assert (tmp_path / "snap" / "fdt.dtb").read_bytes()[:4] == b"\xd0\x0d\xfe\xed"
