"""pvenum snapshot: capture this machine, list what is missing, never fail for it."""

from __future__ import annotations

import json
import os

from pvenum.bundle import load_bundle
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
    assert set(report["missing"]) == {"cpuid", "msr 0xc0010131 (SEV_STATUS)", "acpi", "fdt", "kernel", "kernel config"}
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


def test_snapshot_names_a_tdx_device_that_refuses(cli, tmp_path):
    # A regular file stands in for /dev/tdx_guest: the ioctl fails (ENOTTY) and is listed, not fatal.
    root = tmp_path / "root"
    (root / "dev").mkdir(parents=True)
    (root / "dev" / "tdx_guest").write_bytes(b"")
    proc = cli("snapshot", "-o", str(tmp_path / "snap"), "--sysroot", str(root))
    assert proc.returncode == 0
    report = json.loads((tmp_path / "snap" / "snapshot.json").read_text())
    assert "tdx attributes" in report["missing"] and "tdx attributes" not in report["captured"]
    assert "[tdx]" not in (tmp_path / "snap" / "platform.toml").read_text()


def test_tdreport_attributes():
    import pytest

    from pvenum.cpuid.tdreport import TDX_CMD_GET_REPORT0, td_attributes
    from pvenum.errors import ParseError

    # include/uapi/asm-generic/ioctl.h: _IOWR('T', 1, struct tdx_report_req) with a 64 + 1024-byte request.
    assert TDX_CMD_GET_REPORT0 == 0xC4405401
    report = bytearray(1024)
    report[512:520] = (1 << 28 | 1).to_bytes(8, "little")  # TDINFO_STRUCT.ATTRIBUTES: SEPT_VE_DISABLE | DEBUG
    assert td_attributes(bytes(report)) == 0x10000001
    with pytest.raises(ParseError):
        td_attributes(bytes(report[:600]))


def test_snapshot_reads_the_msrs_the_sev_feature_flags_need(tmp_path, monkeypatch):
    # The msr driver answers a pread at the MSR index (arch/x86/kernel/msr.c msr_read()): SEV_STATUS
    # of an SNP guest, SYSCFG.MEM_ENCRYPT and HWCR.SMMLOCK set, the two MSRs Linux's
    # early_detect_mem_encrypt() (arch/x86/kernel/cpu/amd.c) reads; the bundle carries all three.
    from pvenum import snapshot
    from pvenum.cpuid.model import MsrSet

    values = {0xC0010131: 0x7, 0xC0010010: 1 << 23, 0xC0010015: 1}
    asked = []

    def driver(dev, inside, index):
        assert dev == tmp_path / "dev" / "cpu" / "0" / "msr"
        asked.append(index)
        return values[index]

    monkeypatch.setattr(snapshot, "_read_msr", driver)
    report = snapshot.take(tmp_path / "snap", sysroot=tmp_path)
    assert asked == [0xC0010131, 0xC0010010, 0xC0010015]
    assert {"msr 0xc0010131 (SEV_STATUS)", "msr 0xc0010010 (SYSCFG)", "msr 0xc0010015 (HWCR)"} <= set(report.captured)
    platform = load_bundle(tmp_path / "snap")
    assert dict(platform.msr) == values and isinstance(platform.msr, MsrSet)


def test_snapshot_skips_syscfg_and_hwcr_without_the_msr_driver(cli, tmp_path):
    # No msr driver: the other two are not tried, nor listed twice; SEV_STATUS's line says so.
    proc = cli("snapshot", "-o", str(tmp_path / "snap"), "--sysroot", str(tmp_path))
    assert proc.returncode == 0
    report = json.loads((tmp_path / "snap" / "snapshot.json").read_text())
    assert "msr 0xc0010131 (SEV_STATUS)" in report["missing"]
    assert "SYSCFG and HWCR not read either" in report["missing"]["msr 0xc0010131 (SEV_STATUS)"]
    assert not [k for k in {**report["missing"], **report["captured"]} if k.startswith(("msr 0xc0010010", "msr 0xc0010015"))]


def test_read_msr_is_one_8_byte_pread_at_the_index(tmp_path):
    # The msr driver's interface (arch/x86/kernel/msr.c msr_read()): the file offset is the MSR
    # index, 8 bytes little-endian; fewer bytes is an error, never a value. A small index keeps
    # the stand-in file small (the offset arithmetic is the same).
    import pytest

    from pvenum import _io
    from pvenum.snapshot import _read_msr

    inside = _io.Within(tmp_path)
    dev = tmp_path / "msr"
    dev.write_bytes(bytes(0x10) + (0x807).to_bytes(8, "little"))
    assert _read_msr(dev, inside, 0x10) == 0x807
    dev.write_bytes(bytes(0x10) + (0x807).to_bytes(4, "little"))
    with pytest.raises(OSError):
        _read_msr(dev, inside, 0x10)


def test_snapshot_reads_syscfg_and_hwcr_when_sev_status_faults(tmp_path, monkeypatch):
    # A guest without SEV on KVM: RDMSR of SEV_STATUS faults and the msr driver answers EIO
    # (arch/x86/kernel/msr.c msr_read()); SYSCFG and HWCR still answer and are what the model
    # would otherwise assume.
    import errno

    from pvenum import snapshot

    def driver(dev, inside, index):
        if index == 0xC0010131:
            raise OSError(errno.EIO, "Input/output error")
        return 0

    monkeypatch.setattr(snapshot, "_read_msr", driver)
    report = snapshot.take(tmp_path / "snap", sysroot=tmp_path)
    assert "msr 0xc0010131 (SEV_STATUS)" in report.missing
    assert {"msr 0xc0010010 (SYSCFG)", "msr 0xc0010015 (HWCR)"} <= set(report.captured)
    assert dict(load_bundle(tmp_path / "snap").msr) == {0xC0010010: 0, 0xC0010015: 0}


def test_a_fifo_for_the_msr_device_is_not_waited_on(tmp_path):
    """Under --sysroot a FIFO where the msr driver's node belongs is opened without waiting for a
    writer; its pread fails (ESPIPE) as an OSError, the read the snapshot lists as missing."""
    import os
    import threading

    import pytest

    from pvenum import _io
    from pvenum.snapshot import _read_msr

    fifo = tmp_path / "msr"
    os.mkfifo(fifo)
    failed = []
    t = threading.Thread(target=lambda: failed.append(pytest.raises(OSError, _read_msr, fifo, _io.Within(tmp_path), 0x10)), daemon=True)
    t.start()
    t.join(timeout=30)
    assert failed and not t.is_alive()


def test_fifos_for_the_sysroots_files_are_not_waited_on(cli, tmp_path):
    """FIFOs where /sys/firmware/fdt, /proc/sys/kernel/osrelease and /proc/config.gz belong (an
    untrusted sysroot): each is listed as missing, and the snapshot ends (it had hung on the
    first, waiting for a writer, and left its temporary directory behind)."""
    import os

    root = tmp_path / "root"
    for rel in ("sys/firmware/fdt", "proc/sys/kernel/osrelease", "proc/config.gz"):
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        os.mkfifo(root / rel)
    res = cli("snapshot", "--sysroot", str(root), "-o", str(tmp_path / "snap"), timeout=120)
    assert res.returncode == 0, res.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["root", "snap"]
    text = res.stdout.decode() + res.stderr.decode()
    for rel in ("sys/firmware/fdt", "proc/sys/kernel/osrelease", "proc/config.gz"):
        assert f"{root / rel}: is a FIFO, not a regular file" in text, (rel, text)


def test_a_sysroot_is_read_as_itself_never_through_a_link_out_of_it(cli, tmp_path, data_dir):
    """A sysroot may be an untrusted guest image: a link in it to the reading machine's own
    files (/etc/passwd, its /dev, /proc, /sys) is listed as missing with where it leads, never
    copied into the bundle; links that stay inside the sysroot are read. Before: the host's
    file was captured as the ACPI table FACP, and the bundle verified."""
    host = tmp_path / "host"  # the reading machine's own files, outside the sysroot
    (host / "dev" / "cpu" / "0").mkdir(parents=True)
    (host / "proc" / "sys" / "kernel").mkdir(parents=True)
    (host / "proc" / "sys" / "kernel" / "osrelease").write_text("6.12.57\n")
    (host / "passwd").write_text("root:x:0:0:root:/root:/bin/bash\n")
    (host / "fdt").write_bytes(b"\xd0\x0d\xfe\xed" + bytes(36))
    (host / "dynamic").mkdir()
    (host / "dynamic" / "SSDT9").write_bytes(b"host")
    root = tmp_path / "root"
    tables = root / "sys" / "firmware" / "acpi" / "tables"
    tables.mkdir(parents=True)
    apic = (data_dir / "acpi" / "firecracker" / "apic.dat").read_bytes()
    (root / "image-apic").write_bytes(apic)
    (tables / "APIC").symlink_to("../../../../image-apic")  # inside the sysroot: read
    (tables / "FACP").symlink_to(host / "passwd")
    (tables / "dynamic").symlink_to(host / "dynamic", target_is_directory=True)
    (root / "sys" / "firmware" / "fdt").symlink_to(host / "fdt")
    (root / "dev").symlink_to(host / "dev", target_is_directory=True)
    (root / "proc").symlink_to(host / "proc", target_is_directory=True)
    out = tmp_path / "snap"
    proc = cli("snapshot", "--sysroot", str(root), "-o", str(out))
    assert proc.returncode == 0, proc.stderr
    report = json.loads((out / "snapshot.json").read_text())
    assert report["captured"] == {"acpi": f"{tables} (1 files)"}
    out_of = f"a symlink leading out of the sysroot {root}"
    assert report["missing"]["acpi FACP"] == f"{tables}/FACP: {out_of} (to {host}/passwd): not read"
    assert report["missing"]["acpi dynamic"] == f"{tables}/dynamic: {out_of} (to {host}/dynamic): not read"
    assert report["missing"]["fdt"] == f"{root}/sys/firmware/fdt: {out_of} (to {host}/fdt): not read"
    assert report["missing"]["cpuid"] == f"{root}/dev/cpu/0/cpuid: {out_of} (to {host}/dev/cpu/0/cpuid): not read"
    assert report["missing"]["msr 0xc0010131 (SEV_STATUS)"] == (
        f"{root}/dev/cpu/0/msr: {out_of} (to {host}/dev/cpu/0/msr): not read; SYSCFG and HWCR not read either")
    assert f"{root}/proc/sys/kernel/osrelease: {out_of}" in report["missing"]["kernel config"]
    assert sorted(p.name for p in (out / "acpi").iterdir()) == ["APIC"]
    assert (out / "acpi" / "APIC").read_bytes() == apic and not (out / "fdt.dtb").exists()
    assert cli("verify", str(out)).returncode == 0


def test_a_driver_node_swapped_for_a_link_out_after_its_check_is_not_read(tmp_path, monkeypatch):
    # The sysroot's /dev/cpu/0/msr is checked by name, then opened: a link swapped in between
    # (to the reading machine's own node) is refused on the descriptor, never read.
    import pytest

    from pvenum import _io, snapshot

    host = tmp_path / "host-msr"
    host.write_bytes(bytes(0x10) + (0x807).to_bytes(8, "little"))
    root = tmp_path / "root"
    (root / "dev").mkdir(parents=True)
    node = root / "dev" / "msr"
    node.write_bytes(bytes(0x18))
    inside = _io.sysroot(root)
    checked = _io.in_sysroot

    def swapped_after_the_check(within, path):
        found = checked(within, path)
        node.unlink()
        node.symlink_to(host)
        return found

    monkeypatch.setattr(_io, "in_sysroot", swapped_after_the_check)
    with pytest.raises(_io.LeadsOut):
        snapshot._read_msr(node, inside, 0x10)
