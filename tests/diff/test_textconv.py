"""pvenum textconv: stable lines for every format pvenum reads, spelled like pvenum diff's fields."""

from __future__ import annotations

import re

from pathlib import Path

import pytest

from pvenum.commands.textconv import textconv_lines
from pvenum.diff.flatten import flatten_artifacts
from pvenum.formats import FORMATS_BY_NAME, load_path
from pvtest import DATA, GENOA_FINGERPRINT, ROOT, need_tool


def _dt_fs(root: Path) -> Path:
    """A small /proc/device-tree style directory."""
    root.mkdir()
    (root / "#address-cells").write_bytes((2).to_bytes(4, "big"))
    (root / "#size-cells").write_bytes((2).to_bytes(4, "big"))
    (root / "compatible").write_bytes(b"linux,dummy-virt\0")
    (root / "cpus").mkdir()
    (root / "cpus" / "#address-cells").write_bytes((1).to_bytes(4, "big"))
    return root


@pytest.fixture(scope="module")
def samples(built, qemu_dtbs, tmp_path_factory) -> dict[str, Path]:
    """One real file (or directory) per format pvenum reads."""
    from pvenum.cpuid import toml_io
    from pvenum.formats import load_path as lp

    tmp = tmp_path_factory.mktemp("textconv")
    snp = built["snp"]
    art = next(iter(lp(snp / "cpuid.kvm")))
    (tmp / "cpuid.toml").write_text(toml_io.write(art.dump))
    return {
        "cpuid-r": DATA / "cpuid" / "kvm-amd-zen5.cpuid",
        "kvm_cpuid2": snp / "cpuid.kvm",
        "firecracker-template": DATA / "cpuid" / "firecracker-T2S.json",
        "firecracker-fingerprint": GENOA_FINGERPRINT,
        "cpuid-aida64": DATA / "cpuid" / "instlatx64" / "GenuineIntel00106A2_Nehalem-EP_CPUID.txt",
        "cpuid-toml": tmp / "cpuid.toml",
        "platform-toml": snp / "platform.toml",
        "scenario-toml": ROOT / "pvenum" / "fixtures" / "scenarios" / "snp.toml",
        "dtb": qemu_dtbs["virt-gicv3"],
        "dts": DATA / "fdt" / "dts" / "values.dts",
        "dt-fs": _dt_fs(tmp / "dt"),
        "acpi-table": snp / "acpi" / "FACP.dat",
        "acpidump": DATA / "acpi" / "firecracker" / "acpidump.txt",
    }


def test_every_format_has_stable_lines(samples):
    assert set(samples) == set(FORMATS_BY_NAME), "a format pvenum reads has no textconv sample here"
    for fmt, path in samples.items():
        if fmt == "dts":
            need_tool("dtc")
        lines = list(textconv_lines(str(path)))
        assert len(lines) > 2, fmt
        assert all("\n" not in line and "\r" not in line for line in lines), fmt
        assert lines == list(textconv_lines(str(path))), f"{fmt}: not stable"


def test_bundle_directory_names_each_file(built):
    lines = list(textconv_lines(str(built["snp"])))
    heads = [line for line in lines if line.startswith("# == ")]
    assert "# == cpuid.kvm (kvm_cpuid2) ==" in heads and "# == acpi/FACP.dat (acpi-table) ==" in heads


def _keyed(lines):
    for line in lines:
        if re.match(r"^[A-Z0-9_!]{4}\d*\| ", line):
            continue  # a DSDT/SSDT as ASL ("DSDT| Local0 = 1"): not fields (pvenum.acpi.asl)
        key, sep, value = line.partition(" = ")
        if sep:
            yield key, value


def test_field_names_match_diff(samples):
    """Every `KEY = VALUE` line of textconv is a field of the diff, with the same value."""
    for fmt in ("cpuid-r", "kvm_cpuid2", "dtb", "acpidump", "acpi-table", "platform-toml"):
        arts = list(load_path(samples[fmt]))
        flat = {k: v for ch in flatten_artifacts(arts).values() for k, v in ch.items()}
        for key, value in _keyed(textconv_lines(str(samples[fmt]))):
            if "AmlCode[" in key:  # AML lines fold into one diff field
                assert key.split("[0x")[0] in flat
                continue
            assert key in flat, f"{fmt}: {key!r} is not a diff field"
            shown = flat[key]
            if fmt == "dtb":
                assert value == f"{shown.text} [{shown.raw}]"
            elif fmt == "platform-toml":
                assert value.lower() == shown.text or int(value, 0) == int(shown.text, 0)
            else:  # ACPI adds meanings after the value: "0x00100030 (HW_REDUCED_ACPI ...)"
                assert shown.text == value or shown.text.startswith(value + " ("), (key, value, shown.text)
        nodes = [line for line in textconv_lines(str(samples[fmt])) if line.startswith("node /")]
        assert all(n in flat for n in nodes)


def test_cli_textconv(samples, cli, tmp_path):
    r = cli("textconv", str(samples["kvm_cpuid2"]))
    assert r.returncode == 0, r.stderr
    assert b"cpuid 0x8000001f.0 eax[4] SEV_SNP = true\n" in r.stdout
    junk = tmp_path / "junk.bin"
    junk.write_bytes(b"\x00\x01\x02not an artifact")
    r = cli("textconv", str(junk))
    assert r.returncode == 3 and r.stderr.startswith(b"pvenum: error: ")
    r = cli("textconv", "--fallback", str(junk))
    assert r.returncode == 0
    assert r.stdout.splitlines()[1].startswith(b"00000000: 00 01 02 6e")


def test_a_directory_with_a_damaged_file_prints_nothing_half(built, cli, tmp_path):
    # A bundle whose FADT is cut short (Length 276 over 100 bytes present): without --fallback
    # nothing is printed and the error names the file (exit 3); with it ("Never fail") every
    # line read before it, then the error as a comment line, exit 0.
    import shutil

    bundle = tmp_path / "b"
    shutil.copytree(built["snp"], bundle)
    fadt = bundle / "acpi" / "FACP.dat"
    fadt.write_bytes(fadt.read_bytes()[:100])
    r = cli("textconv", str(bundle))
    assert (r.returncode, r.stdout) == (3, b"") and b"FACP.dat" in r.stderr
    r = cli("textconv", "--fallback", str(bundle))
    assert r.returncode == 0, r.stderr
    lines = r.stdout.decode().splitlines()
    assert lines[-1].startswith("# pvenum: error: ") and "FACP.dat" in lines[-1]
    assert any(line.startswith("# == acpi/APIC.dat") for line in lines)
