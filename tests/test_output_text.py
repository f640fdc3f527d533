"""What users read: decisive values never cut, one spelling per field, no Python literals,
every leaf decoded by name, errors that say where (and never print raw bytes)."""

from __future__ import annotations

import json
import re

import pytest

from pvenum import cli as pvcli
from pvenum.scenario import catalog
from pvtest import DATA

FACP = DATA / "acpi" / "firecracker" / "facp.dat"  # a real Firecracker FADT (tests/data/acpi/README.md)
PY_LITERAL = re.compile(r"\b(None|True|False)\b|\{'|': ")


def run(capsys, *argv: str) -> tuple[int, str, str]:
    status = pvcli.main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


def test_resolve_piped_at_120_columns_keeps_every_mode_whole(cli):
    for name in ("azure-snp-paravisor-services", "bare-metal", "conflict-record-cpuid-vs-acpi"):
        proc = cli("resolve", name, env={"COLUMNS": "120"})
        out = proc.stdout.decode()
        assert proc.returncode == 0 and "…" not in out, out
        assert max(map(len, out.splitlines())) <= 120
        doc = json.loads(cli("resolve", name, "--json").stdout)
        for model, d in doc["derivations"].items():
            row = next(line for line in out.splitlines() if line.startswith(f"│ {model} "))
            assert f"│ {d['mode']} " in row, (model, d["mode"], row)


def test_markdown_diff_cells_are_never_cut(cli, tmp_path):
    # The catalog's services scenario with TDISP's param0 moved from 0x100 to 0x300.
    from pvtest import ROOT

    src = (ROOT / "pvenum" / "fixtures" / "scenarios" / "azure-snp-paravisor-services.toml").read_text()
    assert "tdisp = { kind = \"hypercall\", param0 = 0x0100 }" in src
    b = tmp_path / "b.toml"
    b.write_text(src.replace('name = "azure-snp-paravisor-services"', 'name = "moved"')
                 .replace("param0 = 0x0100 }", "param0 = 0x0300 }"))
    md = cli("diff", "azure-snp-paravisor-services", str(b), "--format", "markdown").stdout.decode()
    assert "…" not in md
    assert '"param0": 768' in md  # the record's whole value, not "paravisor_accepts_memor…"
    assert "| `cpuid 0x40000103.0 ebx[31:0] TDISP_PARAM0_LO` | `0x100` | `0x300` |" in md


def test_acpi_header_has_one_spelling_everywhere(capsys):
    data = FACP.read_bytes()
    creator_revision = int.from_bytes(data[32:36], "little")  # ACPI 6.5 §5.2.6: offset 32, 4 bytes
    oem_id = data[10:16].decode()
    _, rich, _ = run(capsys, "inspect", str(FACP))
    _, text, _ = run(capsys, "textconv", str(FACP))
    _, js, _ = run(capsys, "inspect", "--json", str(FACP))
    doc = json.loads(js)
    assert doc["creator_revision"] == creator_revision and doc["oem_id"] == oem_id
    shown = f"0x{creator_revision:08X}"
    assert re.search(rf"│ creator_revision\s+│ {shown} ", rich), rich
    assert re.search(rf'│ oem_id\s+│ "{oem_id}" ', rich)
    assert f"FACP.creator_revision = {shown}" in text and f'FACP.oem_id = "{oem_id}"' in text
    assert "AslCompiler" not in rich + text and "OemId" not in rich + text
    assert "FACP.checksum_valid = true" in text


def test_diff_names_acpi_header_fields_like_textconv(capsys, tmp_path):
    data = bytearray(FACP.read_bytes())
    data[32:36] = (0x20250101).to_bytes(4, "little")
    data[9] = (data[9] - sum(data)) % 256  # keep the checksum right: only the revision differs
    b = tmp_path / "facp.dat"
    b.write_bytes(bytes(data))
    status, out, _ = run(capsys, "diff", str(FACP), str(b), "--format", "json")
    assert status == 0
    changes = {c["field"]: (c["a"], c["b"]) for ch in json.loads(out)["raw"].values() for c in ch}
    assert changes["FACP.creator_revision"] == ("0x20240119", "0x20250101"), changes


def test_no_python_literals_in_user_output(capsys, tmp_path):
    from pvenum.build import write_bundle

    seen = []
    for sc in catalog.all_scenarios():
        seen.append(run(capsys, "resolve", sc.name, "--explain")[1])
    for name in ("azure-snp-paravisor-services", "conflict-record-cpuid-vs-acpi", "cca-realm-paravisor"):
        seen.append(run(capsys, "compare-encodings", name)[1])
        write_bundle(catalog.get(name).platform(), tmp_path / name, name=name)
        seen.append(run(capsys, "inspect", "--bits", str(tmp_path / name))[1])
        seen.append(run(capsys, "textconv", str(tmp_path / name))[1])
    seen.append(run(capsys, "diff", "snp", "azure-snp-paravisor-services", "--format", "markdown")[1])
    seen.append(run(capsys, "--markdown")[1])
    for text in seen:
        hits = [line for line in text.splitlines() if PY_LITERAL.search(line)]
        assert not hits, hits[:5]


@pytest.mark.parametrize("command", ["inspect", "textconv"])
def test_format_choices_are_listed_in_help(capsys, command):
    from pvenum.formats import FORMATS_BY_NAME

    _, out, _ = run(capsys, command, "--help")
    assert "[" + "|".join(FORMATS_BY_NAME) + "]" in " ".join(out.split())


def test_services_leaves_are_decoded_by_name(capsys, tmp_path):
    from pvenum.build import write_bundle
    from pvenum.cpuid.decode import decode_dump

    sc = catalog.get("azure-snp-paravisor-services")
    platform = sc.platform()
    named = {d.leaf for d in decode_dump(platform.cpuid) if d.spec is not None}
    assert {0x40000100, 0x40000101, 0x40000102, 0x40000103, 0x40000104} <= named
    write_bundle(platform, tmp_path / "b", name=sc.name)
    _, text, _ = run(capsys, "textconv", str(tmp_path / "b" / "cpuid"))
    # The scenario states attestation tpm-nv-index 0x01400001, tdisp hypercall 0x100, vTPM mmio
    # 0xfed40000 + 0x5000, not in charge, accepts memory, boundary bit 46; docs/proposal.md lays
    # them out at B+1 .. B+4.
    for line in ("cpuid 0x40000101.0 ecx[0] GUEST_NOT_IN_CHARGE = true",
                 "cpuid 0x40000101.0 ecx[1] PARAVISOR_ACCEPTS_MEMORY = true",
                 "cpuid 0x40000101.0 ecx[13:8] SHARED_GPA_BOUNDARY_BITS = 0x2e",
                 "cpuid 0x40000101.0 edx[1] TDISP = true",
                 "cpuid 0x40000102.0 eax[7:0] ATTESTATION_KIND = 4 (tpm-nv-index)",
                 "cpuid 0x40000102.0 ebx[31:0] ATTESTATION_PARAM0_LO = 0x1400001",
                 "cpuid 0x40000103.0 eax[7:0] TDISP_KIND = 1 (hypercall)",
                 "cpuid 0x40000103.0 ebx[31:0] TDISP_PARAM0_LO = 0x100",
                 "cpuid 0x40000104.0 ebx[31:0] VTPM_PARAM0_LO = 0xfed40000",
                 "cpuid 0x40000104.0 edx[31:0] VTPM_PARAM1 = 0x5000"):
        assert line in text, line


def test_inspect_empty_directory_says_so(capsys, tmp_path):
    status, out, err = run(capsys, "inspect", str(tmp_path))
    assert status == 2 and out == ""
    assert err == f"pvenum: error: {tmp_path}: found nothing pvenum reads here (see `pvenum inspect --help` for the formats)\n"


def test_truncated_inputs_get_the_offset_bearing_error(capsys, tmp_path):
    from pvenum.build import write_bundle

    write_bundle(catalog.get("snp").platform(), tmp_path / "b", name="snp")
    kvm = (tmp_path / "b" / "cpuid.kvm").read_bytes()
    nent = int.from_bytes(kvm[:4], "little")
    for n in (100, 8 + 40 * 2):  # mid-entry, and on an entry boundary
        f = tmp_path / f"cut{n}.kvm"
        f.write_bytes(kvm[:n])
        status, _, err = run(capsys, "inspect", str(f))
        assert status == 3 and err.startswith(f"pvenum: error: {f}: kvm_cpuid2 at offset 0x{n:02x}: "), err
        assert f"nent {nent} needs {8 + 40 * nent} bytes, only {n} present" in err
    facp = tmp_path / "short.dat"
    facp.write_bytes(FACP.read_bytes()[:20])
    status, _, err = run(capsys, "inspect", str(facp))
    assert status == 3 and err == (f"pvenum: error: {facp}: acpi-table at offset 0x14: "
                                   "20 bytes is shorter than the 36-byte table header\n")
    # pvenum's own PVSR, cut short, gets the same offset-bearing error as any table it decodes
    # (it had been "content not recognised", and validate's "nothing to validate").
    write_bundle(catalog.get("azure-snp-paravisor-services").platform(), tmp_path / "pv", name="pv")
    pvsr = (tmp_path / "pv" / "acpi" / "PVSR.dat").read_bytes()
    for n in (len(pvsr) - 5, 30):
        f = tmp_path / f"PVSR{n}.dat"
        f.write_bytes(pvsr[:n])
        status, _, err = run(capsys, "inspect", str(f))
        assert status == 3 and err.startswith(f"pvenum: error: {f}: acpi-table at offset 0x"), err


def test_errors_never_print_raw_bytes(capsys, tmp_path):
    f = tmp_path / "junk.dat"
    f.write_bytes(b"1\xdb\xf7@" + (0xCA69F46A).to_bytes(4, "little") + bytes(92))
    status, _, err = run(capsys, "inspect", "--format", "acpi-table", str(f))
    assert status == 3 and err.isascii() and "\\xdb\\xf7" in err, err
    status, _, err = run(capsys, "inspect", "--format", "cpuid-r", str(f))
    assert status == 3 and err.isascii()


def test_snapshot_of_an_arm64_tree(cli, tmp_path):
    from pvenum.build import write_bundle

    write_bundle(catalog.get("arm64-kvm").platform(), tmp_path / "b", name="arm64-kvm")
    root = tmp_path / "root"
    (root / "sys" / "firmware").mkdir(parents=True)
    (root / "sys" / "firmware" / "fdt").write_bytes((tmp_path / "b" / "fdt.dtb").read_bytes())
    proc = cli("snapshot", "--sysroot", str(root), "-o", str(tmp_path / "snap"))
    assert proc.returncode == 0, proc.stderr
    toml = (tmp_path / "snap" / "platform.toml").read_text()
    assert re.search(r'^arch = "arm64"', toml, re.M)
    report = json.loads((tmp_path / "snap" / "snapshot.json").read_text())
    assert "cpuid" not in report["missing"] and not any(k.startswith("msr") for k in report["missing"])
    assert "modprobe msr" not in proc.stderr.decode() and "smccc" in report["missing"]
    doc = json.loads(cli("resolve", str(tmp_path / "snap"), "--json").stdout)
    assert doc["arch"] == "arm64"


def test_error_lines_escape_control_characters_in_file_names(capsys, tmp_path):
    f = tmp_path / "bad\nname\x1b[31m"
    f.write_bytes(b"x")
    status, _, err = run(capsys, "inspect", str(f))
    assert status == 3 and err.count("\n") == 1 and "\x1b" not in err
    assert "bad\\x0aname\\x1b[31m: content not recognised" in err


def test_snapshot_arch_comes_from_what_was_captured(tmp_path):
    from pvenum.snapshot import decide_arch

    (tmp_path / "acpi").mkdir()
    assert decide_arch(tmp_path, False, host=False) == (None, "no CPUID, and no Arm devicetree or ACPI table captured")
    (tmp_path / "acpi" / "GTDT").write_bytes(b"GTDT")  # the Arm generic timer table (ACPI 6.5 §5.2.25)
    assert decide_arch(tmp_path, False, host=False)[0] == "arm64"
    assert decide_arch(tmp_path, True, host=False)[0] == "x86_64"  # CPUID was read: an x86 machine


def test_platform_toml_msrs_are_decoded_by_name(tmp_path):
    # arch/x86/include/asm/msr-index.h: SEV_STATUS bits 0-2 MSR_AMD64_SEV_ENABLED, SEV_ES_ENABLED,
    # SNP_ENABLED; SYSCFG bit 23 MSR_AMD64_SYSCFG_MEM_ENCRYPT; HWCR bit 0 MSR_K7_HWCR_SMMLOCK. An
    # MSR pvenum declares no layout for keeps its bare value.
    (tmp_path / "platform.toml").write_text('arch = "x86_64"\n[msr]\n"0xc0010131" = 0x7\n"0xc0010010" = 0x840000\n'
                                            '"0xc0010015" = 0x1\n"0x10" = 0x5\n')
    import io

    from rich.console import Console

    from pvenum.formats import load_path

    [art] = load_path(str(tmp_path / "platform.toml"))
    out = io.StringIO()
    Console(file=out, width=200, color_system=None).print(art.render())  # wide: no cell wraps
    text = out.getvalue()
    rows = {line.split("│")[1].strip(): line.split("│")[2].strip() for line in text.splitlines() if line.count("│") == 3}
    assert rows["msr 0xc0010131"] == "0x7 (SEV_STATUS (MSR_AMD64_SEV): SEV_ENABLED SEV_ES_ENABLED SNP_ENABLED)"
    # Bit 18 (MtrrFixDramEn in AMD's APM) is set on hosts and declared by neither: shown as such.
    assert rows["msr 0xc0010010"] == "0x840000 (SYSCFG (MSR_AMD64_SYSCFG): MEM_ENCRYPT other bits 0x40000)"
    assert rows["msr 0xc0010015"] == "0x1 (HWCR (MSR_K7_HWCR): SMMLOCK)"
    assert rows["msr 0x00000010"] == "0x5"
