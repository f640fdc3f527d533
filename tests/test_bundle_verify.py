"""A bundle is one platform: `pvenum verify`, and the same check inside resolve, diff and audit.

The edits below are made to the bytes of a built bundle at places named by their sources, not
by pvenum's output: HV_PARAVISOR_PRESENT is bit 0 of EAX of CPUID 0x4000000C (Hyper-V TLFS;
torvalds/linux include/hyperv/hvgdk_mini.h, HV_PARAVISOR_PRESENT BIT(0)); struct kvm_cpuid2
is an 8-byte header then 40-byte entries {function, index, flags, eax, ebx, ecx, edx, padding}
(torvalds/linux arch/x86/include/uapi/asm/kvm.h); an ACPI table header is 36 bytes, the
checksum at offset 9 makes all bytes sum to 0 and OEMRevision is the u32 at offset 24 (ACPI 6.5
§5.2.6); the PSCI node's conduit is its "method" property (Documentation/devicetree/bindings/
arm/psci.yaml).
"""

from __future__ import annotations

import json
import os
import random
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from pvenum.build import write_bundle
from pvenum.errors import PvenumError
from pvtest import GENOA_FINGERPRINT, need_tool, with_checksum
from pvenum.scenario import catalog

KVM_ENTRY, KVM_HEADER = 40, 8


def _build(name: str, dest: Path) -> Path:
    sc = catalog.get(name)
    write_bundle(sc.platform(), dest, name=name, description=sc.description)
    return dest


def flip_paravisor_present(kvm: Path) -> None:
    data = bytearray(kvm.read_bytes())
    nent = int.from_bytes(data[:4], "little")
    for i in range(nent):
        off = KVM_HEADER + i * KVM_ENTRY
        if int.from_bytes(data[off:off + 4], "little") == 0x4000000C:
            data[off + 12] ^= 1  # eax bit 0
            kvm.write_bytes(bytes(data))
            return
    raise AssertionError("no leaf 0x4000000c in the kvm_cpuid2 file")


def bumped(data: bytes, bit: int = 0x10) -> bytes:
    """The table with ``bit`` of OEMRevision's low byte (offset 24) flipped."""
    out = bytearray(data)
    out[24] ^= bit
    return with_checksum(out)


def bump_oem_revision(table: Path) -> None:
    table.write_bytes(bumped(table.read_bytes()))


@pytest.fixture
def paravisor(tmp_path) -> Path:
    return _build("azure-snp-paravisor", tmp_path / "bundle")


def test_a_fresh_build_verifies(cli, paravisor):
    proc = cli("verify", str(paravisor))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert proc.stdout == b"" and b"copies agree, manifest.json matches" in proc.stderr


def test_real_capture_acpidump_and_dat_files_agree(cli, data_dir):
    # Firecracker's tables as acpidump text and as acpixtract .dat files (tests/data/acpi/firecracker).
    proc = cli("verify", str(data_dir / "acpi" / "firecracker"))
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_cpuid_copies_disagree_named_by_channel_field_file(cli, paravisor):
    flip_paravisor_present(paravisor / "cpuid.kvm")
    proc = cli("verify", str(paravisor))
    assert proc.returncode == 1
    lines = proc.stdout.decode().splitlines()
    kvm = str(paravisor / "cpuid.kvm")
    assert f"{kvm}: cpuid: cpuid 0x4000000c.0 eax[0] HV_PARAVISOR_PRESENT: false here, true in {paravisor / 'cpuid'}" in lines
    assert any(line.startswith(f"{kvm}: manifest: sha256 ") for line in lines)
    rows = [json.loads(x) for x in cli("verify", "--json", str(paravisor)).stdout.splitlines()]
    assert {"code": "bundle.copies-disagree", "file": kvm, "channel": "cpuid",
            "field": "cpuid 0x4000000c.0 eax[0] HV_PARAVISOR_PRESENT", "other": str(paravisor / "cpuid"),
            "message": f"false here, true in {paravisor / 'cpuid'}"} in rows


def test_template_copy_disagrees_too(cli, paravisor):
    doc = json.loads((paravisor / "cpuid-template.json").read_text())
    doc["cpuid_modifiers"] = [m for m in doc["cpuid_modifiers"] if m["leaf"] not in ("0x4000000c", 0x4000000C)]
    (paravisor / "cpuid-template.json").write_text(json.dumps(doc))
    out = cli("verify", str(paravisor)).stdout.decode()
    assert f"{paravisor / 'cpuid-template.json'}: cpuid: cpuid 0x4000000c.0: absent here, present in" in out


def test_dts_beside_dtb_disagrees(cli, tmp_path):
    need_tool("dtc")
    arm = _build("arm64-kvm", tmp_path / "arm")
    dts = arm / "fdt.dts"
    assert 'method = "hvc";' in dts.read_text()
    dts.write_text(dts.read_text().replace('method = "hvc";', 'method = "smc";'))
    proc = cli("verify", str(arm))
    assert proc.returncode == 1
    assert f'{dts}: fdt: /psci:method: "smc" here, "hvc" in {arm / "fdt.dtb"}' in proc.stdout.decode().splitlines()
    # diff of the bundle before and after the edit: the gate fails and names the file.
    before = _build("arm64-kvm", tmp_path / "before")
    proc = cli("diff", str(before), str(arm), "--exit-code", "--format", "json")
    assert proc.returncode == 1
    doc = json.loads(proc.stdout)
    assert [c["field"] for c in doc["raw"]["files"]] == ["file fdt.dts"]
    new = doc["findings"]["linux"]["new"]
    assert any(f["code"] == "bundle.copies-disagree" and f["message"].startswith(f"{dts} disagrees with {arm / 'fdt.dtb'} (fdt)")
               for f in new)


def test_dts_written_by_build_is_checked_without_dtc(cli, tmp_path):
    # fdt.dts is pvenum's rendering of fdt.dtb (pvenum/fdt/dts.py emit()): that text compiles
    # back to the same tree, so verify and audit compare it without starting dtc. With no dtc
    # on PATH the bundle still verifies; a DTS whose text differs needs dtc to compare.
    import os

    arm = _build("arm64-kvm", tmp_path / "arm")
    no_dtc = tmp_path / "bin"
    no_dtc.mkdir()
    (no_dtc / "python3").symlink_to(sys.executable)
    assert shutil.which("dtc", path=str(no_dtc)) is None
    proc = cli("verify", str(arm), env={"PATH": str(no_dtc)})
    assert proc.returncode == 0, proc.stdout + proc.stderr
    dts = arm / "fdt.dts"
    dts.write_text("// edited by hand\n" + dts.read_text())
    proc = cli("verify", str(arm), env={"PATH": str(no_dtc)})
    assert proc.returncode == 3 and b"dtc not found on PATH" in proc.stderr, proc.stderr
    if shutil.which("dtc", path=os.environ.get("PATH")):  # the same tree, once compiled
        proc = cli("verify", str(arm))
        assert proc.returncode == 1 and f"{dts}: manifest: sha256".encode() in proc.stdout
        assert b"fdt:" not in proc.stdout, proc.stdout


def test_acpi_dat_and_acpidump_disagree(cli, paravisor):
    bump_oem_revision(paravisor / "acpi" / "FACP.dat")
    out = cli("verify", str(paravisor)).stdout.decode()
    assert f"{paravisor / 'acpidump.txt'}: acpi: FACP.oem_revision: 0x00000001 here, 0x00000011 in {paravisor / 'acpi'}/*.dat" in out


def test_a_differing_second_table_of_a_signature_keeps_its_label(cli, paravisor):
    # Only the tables two copies do not share are flattened to find the field, but each keeps
    # the label it has in its whole set (drivers/acpi/sysfs.c acpi_table_attr_init(): MCFG1,
    # MCFG2): the second MCFG differs, the first is shared, and the problem names MCFG2.
    original = (paravisor / "acpi" / "MCFG.dat").read_bytes()
    # oem_revision 0x01 -> 0x11 in the .dat copy, 0x01 -> 0x21 in the acpidump copy
    dump, where = _mcfgs(paravisor, {"MCFG.dat": original, "MCFG2.dat": bumped(original)},
                         [original, bumped(original, 0x20)])
    out = cli("verify", str(paravisor)).stdout.decode()
    assert f"{dump}: acpi: MCFG2.oem_revision: 0x00000021 here, 0x00000011 in {where}" in out, out
    assert "MCFG1." not in out and "acpi: MCFG." not in out, out


def _mcfgs(bundle: Path, dat: dict[str, bytes], dump: list[bytes]) -> tuple[Path, str]:
    """Make the bundle's two ACPI copies hold these MCFGs: ``dat`` as acpi/ files by name (its
    MCFG.dat replaced), ``dump`` in this order in acpidump.txt (its MCFG block replaced). Returns
    the acpidump file and the name of the .dat copy, as verify names both."""
    from pvenum.acpi.acpidump import format_table

    dats = bundle / "acpi"
    (dats / "MCFG.dat").unlink()
    for name, table in dat.items():
        (dats / name).write_bytes(table)
    text = bundle / "acpidump.txt"
    blocks = [blk for blk in text.read_text().rstrip("\n").split("\n\n") if not blk.startswith("MCFG ")]
    text.write_text("\n\n".join([*blocks, *(format_table("MCFG", 0, t).rstrip("\n") for t in dump)]) + "\n")
    return text, f"{dats}/*.dat"


def test_a_table_both_copies_hold_under_different_labels_is_still_compared(cli, paravisor):
    # Two MCFGs in each copy: the .dat copy holds A then B, the acpidump copy C then A.
    # Instances are named in table order (drivers/acpi/sysfs.c acpi_table_attr_init(): MCFG1,
    # MCFG2), so A is MCFG1 in one copy and MCFG2 in the other: both labels differ in a field,
    # and no table is absent from either copy.
    a = (paravisor / "acpi" / "MCFG.dat").read_bytes()
    b, c = bumped(a, 0x10), bumped(a, 0x20)  # oem_revision 0x01 -> 0x11, 0x21
    dump, where = _mcfgs(paravisor, {"MCFG.dat": a, "MCFG2.dat": b}, [c, a])
    out = cli("verify", str(paravisor)).stdout.decode()
    assert f"{dump}: acpi: MCFG1.oem_revision: 0x00000021 here, 0x00000001 in {where}" in out, out
    assert f"{dump}: acpi: MCFG2.oem_revision: 0x00000001 here, 0x00000011 in {where}" in out, out
    assert "absent" not in out, out


def test_copies_holding_a_signatures_tables_in_another_order_disagree(cli, paravisor):
    # A guest reads the first table of a signature (Linux acpi_get_table(sig, 1, …); the
    # instance names count in table order: drivers/acpi/sysfs.c acpi_table_attr_init()), so
    # copies holding the same two MCFGs, A then B against B then A, disagree in both.
    a = (paravisor / "acpi" / "MCFG.dat").read_bytes()
    b = bumped(a, 0x10)  # oem_revision 0x01 -> 0x11
    dump, where = _mcfgs(paravisor, {"MCFG.dat": a, "MCFG2.dat": b}, [b, a])
    out = cli("verify", str(paravisor)).stdout.decode()
    assert f"{dump}: acpi: MCFG1.oem_revision: 0x00000011 here, 0x00000001 in {where}" in out, out
    assert f"{dump}: acpi: MCFG2.oem_revision: 0x00000001 here, 0x00000011 in {where}" in out, out


def test_numbered_table_files_are_read_in_the_order_their_numbers_give(cli, paravisor):
    # Linux names the tables of a repeated signature MCFG1, MCFG2, … in table order
    # (drivers/acpi/sysfs.c acpi_table_attr_init()), `acpidump -b` mcfg1.dat, mcfg2.dat, …
    # (ACPICA apfiles.c ApWriteToBinaryFile()): MCFG10.dat is the tenth table, not the second.
    from pvenum.bundle import load_bundle

    a = (paravisor / "acpi" / "MCFG.dat").read_bytes()
    revisions = list(range(1, 12))
    tables = [with_checksum(a[:24] + bytes([n]) + a[25:]) for n in revisions]  # OEMRevision's low byte
    _mcfgs(paravisor, {f"MCFG{n}.dat": t for n, t in zip(revisions, tables)}, tables)
    platform = load_bundle(paravisor)
    assert [t.oem_revision for t in platform.acpi if t.signature == "MCFG"] == revisions
    out = cli("verify", str(paravisor)).stdout.decode()
    assert " acpi: " not in out, out  # the two copies agree, table by table


def test_verify_compares_against_the_copy_resolution_reads(cli, tmp_path):
    # Two `cpuid -r` captures of one rank: resolution reads the first in walk order (cpuid2.txt
    # before cpuid10.txt, numbers by value: pvenum._io.natural_key), so verify names the other
    # one as the copy that differs.
    from pvenum.target import load_target

    kvm = _build("kvm", tmp_path / "kvm")
    d = tmp_path / "two"
    d.mkdir()
    text = (kvm / "cpuid").read_text()
    (d / "cpuid2.txt").write_text(text)
    row = next(line for line in text.splitlines() if "0x40000001 0x00:" in line)
    (d / "cpuid10.txt").write_text(text.replace(row, row.split("eax=")[0] + "eax=0x00000000" + row[row.index(" ebx="):]))
    assert load_target(str(d)).platform.sources["cpuid"] == str(d / "cpuid2.txt")
    out = cli("verify", str(d)).stdout.decode()
    assert f"{d / 'cpuid10.txt'}: cpuid: cpuid 0x40000001.0 eax: 0x00000000 here, " in out, out
    assert f"in {d / 'cpuid2.txt'}" in out and f"{d / 'cpuid2.txt'}: cpuid" not in out, out


def test_verify_ranks_cpuid_copies_as_resolution_does(cli, tmp_path, data_dir):
    # An AIDA64 report (a.txt) and a Firecracker fingerprint (b.json): resolution reads the
    # fingerprint (PlatformBuilder.CPUID_PRIORITY ranks it first) whatever the names, so verify
    # compares the report with it, not the other way round.
    from pvenum.target import load_target

    d = tmp_path / "two"
    d.mkdir()
    shutil.copy(data_dir / "cpuid" / "instlatx64" / "AuthenticAMD0850F00_K17_Zen_CPUID3.txt", d / "a.txt")
    shutil.copy(GENOA_FINGERPRINT, d / "b.json")
    assert load_target(str(d)).platform.sources["cpuid"] == str(d / "b.json")
    out = cli("verify", str(d)).stdout.decode()
    assert f"{d / 'a.txt'}: cpuid: " in out and f"in {d / 'b.json'}" in out, out
    assert f"{d / 'b.json'}: cpuid: " not in out, out


def test_a_dtb_is_the_devicetree_resolution_reads_whatever_the_names(cli, tmp_path):
    # A DTS named to sort before the DTB: resolution reads the blob (the tree the kernel is
    # handed: PlatformBuilder.FDT_PRIORITY) and verify compares the DTS with that same blob.
    from pvenum.target import load_target

    need_tool("dtc")  # the edited DTS is compiled to be compared

    arm = _build("arm64-kvm", tmp_path / "arm")
    d = tmp_path / "dir"
    d.mkdir()
    (d / "b.dtb").write_bytes((arm / "fdt.dtb").read_bytes())
    dts = (arm / "fdt.dts").read_text()
    assert dts.count('model = "') == 1
    (d / "a.dts").write_text(dts.replace('model = "', 'model = "edited '))
    assert load_target(str(d)).platform.sources["fdt"] == str(d / "b.dtb")
    out = cli("verify", str(d)).stdout.decode()
    assert f"{d / 'a.dts'}: fdt: " in out and f"in {d / 'b.dtb'}" in out, out
    assert f"{d / 'b.dtb'}: fdt: " not in out, out


def _with_scenario(name: str, dest: Path, file: str, edit: tuple[str, str] | None = None) -> Path:
    """The built bundle of catalog scenario ``name`` with that scenario's own TOML added as
    ``file``, its first ``old`` made ``new`` when ``edit`` is given (the [scenario] table
    comes first; an [expect] table may repeat the line)."""
    from pvenum.scenario import build_id

    bundle = _build(name, dest)
    text, _ = build_id.catalog_source(name)
    if edit is not None:
        assert text.startswith("[scenario]") and edit[0] in text
        text = text.replace(*edit, 1)
    (bundle / file).write_text(text)
    return bundle


@pytest.mark.parametrize("name", ["azure-snp-paravisor", "snp-svsm", "tdx", "arm64-kvm", "cca-realm-paravisor"])
def test_a_scenario_beside_what_it_built_agrees(cli, tmp_path, name):
    # `pvenum build` writes every file of a bundle from the scenario's compiled platform, so the
    # scenario's TOML added to its own bundle is one more copy of each channel, and agrees.
    from pvenum.target import load_target

    bundle = _with_scenario(name, tmp_path / "b", "s.toml")
    proc = cli("verify", str(bundle))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert load_target(str(bundle)).platform.problems == []


def test_a_scenario_edited_after_the_build_disagrees_and_resolution_reads_it(cli, tmp_path):
    # Resolution reads a scenario's CPUID before any capture's (it hands it over as cpuid-toml:
    # PlatformBuilder.CPUID_PRIORITY), so verify compares the captures with it. Re-pointed at
    # Xen, leaf 0x40000000 carries Xen's signature (torvalds/linux arch/x86/xen/enlighten_hvm.c
    # xen_cpuid_base(): "XenVMMXenVMM") where the files built for KVM carry "KVMKVMKVM\0\0\0"
    # (arch/x86/kernel/kvm.c kvm_cpuid_base(), KVM_SIGNATURE).
    from pvenum.target import load_target

    bundle = _with_scenario("kvm", tmp_path / "b", "s.toml", ('hypervisor = "kvm"', 'hypervisor = "xen"'))
    sc = bundle / "s.toml"
    assert load_target(str(bundle)).platform.sources["cpuid"] == str(sc)
    proc = cli("verify", str(bundle))
    assert proc.returncode == 1
    lines = proc.stdout.decode().splitlines()
    for copy in ("cpuid", "cpuid.kvm", "cpuid-template.json"):
        assert (f"{bundle / copy}: cpuid: cpuid 0x40000000.0 signature: \"KVMKVMKVM\\0\\0\\0\" here, "
                f"\"XenVMMXenVMM\" in {sc}") in lines, lines
    assert not any(line.startswith(f"{sc}: ") for line in lines), lines
    # resolve sees the same: an error finding of every model, exit 1.
    doc = json.loads(cli("resolve", str(bundle), "--json").stdout)
    assert all("bundle.copies-disagree" in {f["code"] for f in d["findings"]} for d in doc["derivations"].values())


@pytest.mark.parametrize("file", ["a.toml", "z.toml"])
def test_a_scenario_devicetree_ranks_as_a_blob_in_walk_order(cli, tmp_path, file):
    # A scenario hands its devicetree over as a blob (Platform.contribute_to): of two blobs
    # resolution keeps the first in walk order (PlatformBuilder.FDT_PRIORITY, set_fdt), so a
    # scenario named before fdt.dtb is the devicetree read, and one named after it is not.
    # Xen's devicetree has /hypervisor (compatible "xen,xen": Documentation/devicetree/bindings/
    # arm/xen.txt), which the KVM board built here lacks. SMCCC answers are merged from every
    # copy, a later copy's answer replacing an earlier one's (SmcccAnswers.merged): the copy
    # later in walk order of the scenario and platform.toml is the one compared with.
    from pvenum.target import load_target

    need_tool("dtc")  # fdt.dts is not the rendering of a Xen tree: it is compiled to compare
    bundle = _with_scenario("arm64-kvm", tmp_path / "b", file, ('hypervisor = "kvm"', 'hypervisor = "xen"'))
    sc, dtb = bundle / file, bundle / "fdt.dtb"
    read, other = (sc, dtb) if file == "a.toml" else (dtb, sc)
    assert load_target(str(bundle)).platform.sources["fdt"] == str(read)
    lines = cli("verify", str(bundle)).stdout.decode().splitlines()
    assert f"{other}: fdt: node /hypervisor: {'absent' if other == dtb else 'present'} here, " \
           f"{'present' if other == dtb else 'absent'} in {read}" in lines, lines
    assert not any(line.startswith(f"{read}: fdt:") for line in lines), lines
    # fdt.dts is the rendering of fdt.dtb: it differs from the scenario's tree only.
    dts_lines = [line for line in lines if line.startswith(f"{bundle / 'fdt.dts'}: fdt: ")]
    assert bool(dts_lines) == (read == sc) and all(line.endswith(f" in {read}") for line in dts_lines), lines
    earlier, later = (sc, bundle / "platform.toml") if file == "a.toml" else (bundle / "platform.toml", sc)
    assert any(line.startswith(f"{earlier}: smccc: ") and line.endswith(f" in {later}") for line in lines), lines
    assert not any(line.startswith(f"{later}: smccc: ") for line in lines), lines


def test_a_scenario_and_platform_toml_disagreeing_on_tdx_facts(cli, tmp_path):
    # TD attributes (TDG.VP.INFO) are stated by platform.toml's [tdx] and a scenario's
    # [override.tdx] only: two copies of one channel. Resolution keeps the last in walk order
    # (PlatformBuilder.set_tdx), s.toml after platform.toml, so platform.toml is the one that
    # differs.
    from pvenum.target import load_target

    bundle = _with_scenario("tdx", tmp_path / "b", "s.toml", ("[expect", "[override.tdx]\nattributes = 0x10000000\n\n[expect"))
    with open(bundle / "platform.toml", "a") as f:
        f.write("[tdx]\nattributes = 0\n")
    assert load_target(str(bundle)).platform.sources["tdx"] == str(bundle / "s.toml")
    lines = cli("verify", str(bundle)).stdout.decode().splitlines()
    assert f"{bundle / 'platform.toml'}: tdx: tdx attributes: 0 here, 0x10000000 in {bundle / 's.toml'}" in lines, lines
    assert not any(line.startswith(f"{bundle / 's.toml'}: ") for line in lines), lines


def test_snp_facts_and_msrs_of_a_scenario_are_compared(cli, tmp_path):
    # The SVSM's VMPL (SNP secrets page) and SEV_STATUS (MSR 0xc0010131) are stated by
    # platform.toml and by a scenario, each kept from the last copy in walk order
    # (PlatformBuilder.set_snp; add_msrs: MsrSet.merged, a later value replacing an earlier one).
    bundle = _with_scenario("snp-svsm", tmp_path / "b", "s.toml", ("vmpl = 2", "vmpl = 1"))
    with open(bundle / "s.toml", "a") as f:
        f.write('[override.msr]\n"0xc0010131" = 0x3\n')  # SEV_STATUS: SEV and SEV-ES only
    lines = cli("verify", str(bundle)).stdout.decode().splitlines()
    toml, sc = bundle / "platform.toml", bundle / "s.toml"
    assert f"{toml}: snp: snp vmpl: 2 here, 1 in {sc}" in lines, lines
    assert any(line.startswith(f"{toml}: msr: msr 0xc0010131") and line.endswith(f" in {sc}") for line in lines), lines


def test_a_scenario_of_another_arch_is_a_problem_not_a_crash_of_resolve_only(cli, tmp_path):
    # Resolution refuses two arches (PlatformBuilder.set_arch); verify names them instead of
    # saying the copies agree.
    from pvenum.scenario import build_id

    bundle = _build("snp", tmp_path / "b")
    (bundle / "s.toml").write_text(build_id.catalog_source("cca-realm-paravisor")[0])
    proc = cli("verify", str(bundle))
    assert proc.returncode == 1
    assert f"{bundle / 'platform.toml'}: platform: arch: x86_64 here, arm64 in {bundle / 's.toml'}" \
        in proc.stdout.decode().splitlines(), proc.stdout


def test_a_base_named_another_way_is_still_the_scenarios_input(cli, tmp_path):
    # Through "..", from inside the bundle, and through a symlink: the same file on the disk.
    d = _scenario_on_base(tmp_path / "b3")
    sc = d / "s.toml"
    sc.write_text(sc.read_text().replace('base = "zen.cpuid"', 'base = "../b3/zen.cpuid"'))
    proc = cli("verify", ".", cwd=d)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    (d / "link.cpuid").symlink_to("zen.cpuid")
    sc.write_text(sc.read_text().replace('base = "../b3/zen.cpuid"', 'base = "link.cpuid"'))
    proc = cli("verify", str(d))
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_a_scenario_in_a_bundle_is_read_before_its_base_whatever_the_bases_format(cli, tmp_path):
    # A base in pvenum's own CPUID TOML ranked with the scenario's CPUID (both "cpuid-toml"), so
    # the bundle resolved to whichever came first in walk order, here the base, the scenario's
    # overrides lost, while verify (which takes the base for input) said the copies agree.
    from pvenum.target import load_target

    d = _scenario_on_base(tmp_path / "b")
    proc = cli("convert", "--to", "cpuid-toml", "-o", str(d / "base.toml"), str(d / "zen.cpuid"))
    assert proc.returncode == 0, proc.stderr
    (d / "zen.cpuid").unlink()
    sc = d / "s.toml"
    sc.write_text(sc.read_text().replace('base = "zen.cpuid"', 'base = "base.toml"'))
    sc.write_text(sc.read_text().replace('isolation = "sev-snp"', 'isolation = "sev-snp"\nhypervisor = "hyperv"'))
    assert load_target(str(d)).platform.cpuid.cpu0() == load_target(str(sc)).platform.cpuid.cpu0()
    assert cli("verify", str(d)).returncode == 0


def test_a_plain_directorys_scenario_may_read_a_base_outside_it(cli, tmp_path):
    # Only a git tree confines what its files read beside them: the user's own bundle may name
    # a base in a sibling directory (as resolve always took it), and a base that is a symlink
    # loop is a file that cannot be read (ELOOP), not an internal error.
    d = _scenario_on_base(tmp_path / "caps")
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "s.toml").write_text((d / "s.toml").read_text().replace('"zen.cpuid"', '"../caps/zen.cpuid"'))
    proc = cli("verify", str(tmp_path / "b"))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    (tmp_path / "b" / "loop.cpuid").symlink_to("loop.cpuid")
    (tmp_path / "b" / "s.toml").write_text((d / "s.toml").read_text().replace('"zen.cpuid"', '"loop.cpuid"'))
    proc = cli("verify", str(tmp_path / "b"))
    assert proc.returncode == 1 and b"internal error" not in proc.stderr, proc.stdout + proc.stderr
    assert f"{tmp_path / 'b' / 's.toml'}: scenario-toml: scenario at scenario.base: base ".encode() in proc.stdout, proc.stdout


def _scenario_on_base(d: Path, base_name: str = "zen.cpuid") -> Path:
    """A directory holding a scenario whose base is a CPUID capture beside it (one pvenum ships)."""
    from importlib import resources

    d.mkdir(parents=True)
    (d / base_name).write_bytes(resources.files("pvenum.fixtures.base").joinpath("amd-kvm.cpuid").read_bytes())
    (d / "s.toml").write_text(f'[scenario]\nname = "s"\ndescription = "d"\nbase = "{base_name}"\n'
                              'isolation = "sev-snp"\n')
    return d


def test_a_scenarios_base_in_the_bundle_is_its_input_not_a_copy(cli, tmp_path):
    # The scenario builds its CPUID from the base and changes it (the SEV-SNP leaves), so the
    # two differ by design; the base is not a second statement of the platform's CPUID.
    d = _scenario_on_base(tmp_path / "b")
    proc = cli("verify", str(d))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert cli("resolve", str(d)).returncode == 0
    # The same capture under a name no scenario reads is a copy, and differs.
    (d / "other.cpuid").write_bytes((d / "zen.cpuid").read_bytes())
    out = cli("verify", str(d)).stdout.decode()
    assert f"{d / 'other.cpuid'}: cpuid: " in out and f"{d / 'zen.cpuid'}: " not in out, out


# Run in a child: an audit hook cannot be removed, and the events are the interpreter's own
# (PEP 578: subprocess.Popen, os.posix_spawn, os.exec, os.fork).
_PROCESS_PROBE = """
import json, sys
started = []
sys.addaudithook(lambda event, args: started.append(event)
                 if event in ("subprocess.Popen", "os.posix_spawn", "os.exec", "os.fork") else None)
from pvenum.resolver import resolve_all
from pvenum.target import load_target
target = load_target(sys.argv[1])
resolve_all(target.platform)
print(json.dumps({"started": started, "problems": [p.to_json() for p in target.platform.problems]}))
"""


def test_a_dsdt_that_differs_between_copies_loads_without_starting_a_process(paravisor):
    # The DSDT's definition block follows its 36-byte header (ACPI 6.5 §5.2.11.1), whose Length
    # is the u32 at offset 4; the .dat copy alone gains Name (PVEN, One): NameOp 0x08, the name
    # segment, BytePrefix 0x0A and the byte (ACPI 6.5 §20.2.5.1, §20.2.3). Loading reports the
    # disagreement from the bytes; an ASL
    # diff (iasl -d of both) is for `pvenum diff`, and on every load it let one hostile upload
    # cost a fleet audit a disassembly per copy, up to its timeout (found by `make fuzz`'s audit
    # target: tests/data/fuzz-regressions/audit/timeout-cfc37bf9…).
    need_tool("iasl")  # without it the old code could not start iasl either: the test would prove nothing
    dsdt = paravisor / "acpi" / "DSDT.dat"
    data = bytearray(dsdt.read_bytes() + b"\x08PVEN\x0a\x01")
    data[4:8] = len(data).to_bytes(4, "little")
    dsdt.write_bytes(with_checksum(data))
    res = subprocess.run([sys.executable, "-c", _PROCESS_PROBE, str(paravisor)], capture_output=True, text=True,
                         timeout=120, check=True)
    got = json.loads(res.stdout)
    assert any("DSDT" in json.dumps(p) for p in got["problems"]), got["problems"]
    assert got["started"] == [], got["started"]


def test_unreadable_files_are_error_findings_with_file_format_offset(cli, paravisor):
    (paravisor / "cpuid").write_bytes(random.Random(11).randbytes(100))
    facp = paravisor / "acpi" / "FACP.dat"
    facp.write_bytes(facp.read_bytes()[:20])
    proc = cli("resolve", str(paravisor), "--json")
    assert proc.returncode == 1, proc.stderr
    doc = json.loads(proc.stdout)
    by_file = {p["file"]: p for p in doc["problems"] if p["code"] == "bundle.unreadable"}
    assert by_file[str(paravisor / "cpuid")]["format"] == "cpuid-r"
    assert isinstance(by_file[str(paravisor / "cpuid")]["offset"], int)
    assert by_file[str(facp)] == {"code": "bundle.unreadable", "file": str(facp), "format": "acpi-table",
                                  "offset": 20, "message": "20 bytes is shorter than the 36-byte table header"}
    for model, d in doc["derivations"].items():
        errors = [f["message"] for f in d["findings"] if f["code"] == "bundle.unreadable" and f["severity"] == "error"]
        assert any(m.startswith(f"{facp}: acpi-table at offset 0x14: ") for m in errors), model
        assert any(m.startswith(f"{paravisor / 'cpuid'}: cpuid-r at offset 0x") for m in errors), model


def test_audit_carries_every_problem_and_fails_on_error(cli, tmp_path):
    good = _build("snp", tmp_path / "tree" / "good")
    bad = _build("snp", tmp_path / "tree" / "bad")
    shutil.rmtree(good.parent / "good" / "acpi")  # the manifest still lists them
    flip = bad / "cpuid.kvm"
    data = bytearray(flip.read_bytes())
    data[KVM_HEADER + 12] ^= 1  # leaf 0 EAX: the highest basic leaf
    flip.write_bytes(bytes(data))
    unreadable = _build("snp", tmp_path / "tree" / "unreadable")
    (unreadable / "cpuid").write_bytes(random.Random(7).randbytes(100))
    assert cli("audit", str(tmp_path / "tree"), "-j", "1").returncode == 0
    proc = cli("audit", str(tmp_path / "tree"), "-j", "1", "--fail-on", "error")
    assert proc.returncode == 1
    rows = {Path(r["target"]).name: r for r in map(json.loads, proc.stdout.splitlines())}
    assert {p["code"] for p in rows["bad"]["problems"]} == {"bundle.copies-disagree", "bundle.manifest-mismatch"}
    assert any(p["file"] == str(good / "acpi" / "FACP.dat") and p["message"] == "listed in manifest.json but missing"
               for p in rows["good"]["problems"])
    assert "bundle.copies-disagree" in rows["bad"]["derivations"]["linux"]["findings"]
    problem = next(p for p in rows["unreadable"]["problems"] if p["code"] == "bundle.unreadable")
    assert (problem["file"], problem["format"], type(problem["offset"])) == (str(unreadable / "cpuid"), "cpuid-r", int)


@pytest.fixture
def repo(tmp_path, paravisor) -> Path:
    if shutil.which("git") is None:
        pytest.skip("git not installed")
    root = tmp_path / "repo"
    root.mkdir()
    env = {"GIT_CONFIG_NOSYSTEM": "1", "HOME": str(root), "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.org", "PATH": "/usr/bin:/bin"}

    def git(*args: str) -> None:
        subprocess.run(["git", *args], cwd=root, env=env, check=True, capture_output=True, timeout=60)

    git("init", "-q")
    shutil.copytree(paravisor, root / "bundle")
    git("add", "-A")
    git("commit", "-q", "-m", "one")
    flip_paravisor_present(root / "bundle" / "cpuid.kvm")
    (root / "bad.toml").write_text('[scenario]\nname = "b"\ndescription = "b"\n[expect.linux]\nmode = "bananas"\n')
    git("add", "-A")
    git("commit", "-q", "-m", "flip HV_PARAVISOR_PRESENT in cpuid.kvm only")
    return root


def test_git_diff_of_a_hidden_copy_change_fails_the_gate(cli, repo):
    proc = cli("diff", "HEAD~1:bundle", "HEAD:bundle", "--exit-code", "--format", "markdown", cwd=repo)
    assert proc.returncode == 1, proc.stderr
    md = proc.stdout.decode()
    assert "no differences" not in md
    assert "| `file cpuid.kvm` |" in md
    assert "HEAD:bundle/cpuid.kvm disagrees with HEAD:bundle/cpuid (cpuid)" in md
    assert "pvenum-git-" not in md and "/tmp" not in md
    doc = json.loads(cli("diff", "HEAD~1:bundle", "HEAD:bundle", "--format", "json", cwd=repo).stdout)
    assert [c["field"] for c in doc["raw"]["files"]] == ["file cpuid.kvm"]
    assert {f["code"] for f in doc["findings"]["linux"]["new"]} == {"bundle.copies-disagree", "bundle.manifest-mismatch"}
    only = cli("diff", "HEAD~1:bundle", "HEAD:bundle", "--exit-code", "--only-derived", cwd=repo)
    assert only.returncode == 1


def test_verify_a_git_tree(cli, repo):
    assert cli("verify", "HEAD~1:bundle", cwd=repo).returncode == 0
    proc = cli("verify", "HEAD:bundle", cwd=repo)
    assert proc.returncode == 1
    assert "HEAD:bundle/cpuid.kvm: cpuid: cpuid 0x4000000c.0 eax[0] HV_PARAVISOR_PRESENT: false here, true in HEAD:bundle/cpuid" \
        in proc.stdout.decode().splitlines()
    assert cli("verify", "nonexistent-dir").returncode == 2


def test_verify_errors_name_the_git_tree_not_its_checkout(cli, tmp_path):
    # read_bundle's own errors (here: nested past _io.MAX_DIR_DEPTH) name REV:path, as diff's
    # and textconv's do; they had named the temporary checkout, already removed.
    if shutil.which("git") is None:
        pytest.skip("git not installed")
    from pvenum._io import MAX_DIR_DEPTH

    root = tmp_path / "repo"
    deep = root.joinpath("b", *["d"] * (MAX_DIR_DEPTH + 2))
    deep.mkdir(parents=True)
    (deep / "x").write_text("x\n")
    (root / "b" / "platform.toml").write_text('arch = "x86_64"\n')
    env = {"GIT_CONFIG_NOSYSTEM": "1", "HOME": str(root), "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.org", "PATH": "/usr/bin:/bin"}
    for args in (["init", "-q"], ["add", "-A"], ["commit", "-q", "-m", "one"]):
        subprocess.run(["git", *args], cwd=root, env=env, check=True, capture_output=True, timeout=60)
    proc = cli("verify", "HEAD:b", cwd=root)
    err = proc.stderr.decode()
    assert proc.returncode == 3 and err.startswith("pvenum: error: HEAD:b/d/d/") and "pvenum-git-" not in err, err


def test_shown_as_replaces_the_longer_spelling_first(tmp_path):
    # A checkout whose resolved path holds its own spelling inside it (a TMPDIR under a linked
    # directory): the resolved path is replaced whole, never garbled around the shorter one.
    from pvenum.errors import PvenumError

    real = tmp_path / "t"
    target = tmp_path / "private" / str(real).lstrip("/")
    target.mkdir(parents=True)
    real.symlink_to(target)
    err = PvenumError(f"bad {target}/x.toml", path=f"{real}/y")
    assert str(err.shown_as(str(real), "HEAD:")) == "HEAD:y: bad HEAD:x.toml"


def test_a_git_trees_files_read_what_lies_beside_them_in_that_tree(cli, tmp_path):
    # A scenario's base and a DTS's /include/s are read beside the file; in a git REV:path the
    # files lie in the tree unpacked into a temporary directory, while messages name REV:path.
    # Both were looked up beside "REV:path" in the working directory, and not found.
    if shutil.which("git") is None:
        pytest.skip("git not installed")
    need_tool("dtc")
    root = tmp_path / "repo"
    _scenario_on_base(root / "sc")
    arm = _build("arm64-kvm", tmp_path / "arm")
    (root / "dt").mkdir()
    (root / "dt" / "board.dtsi").write_text((arm / "fdt.dts").read_text().replace("/dts-v1/;", ""))
    (root / "dt" / "t.dts").write_text('/dts-v1/;\n/include/ "board.dtsi"\n')
    env = {"GIT_CONFIG_NOSYSTEM": "1", "HOME": str(root), "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.org", "PATH": "/usr/bin:/bin"}
    for args in (["init", "-q"], ["add", "-A"], ["commit", "-q", "-m", "one"]):
        subprocess.run(["git", *args], cwd=root, env=env, check=True, capture_output=True, timeout=60)
    for tree in ("HEAD:sc", "HEAD:dt"):
        proc = cli("verify", tree, cwd=root)
        assert proc.returncode == 0, proc.stdout + proc.stderr
    proc = cli("diff", "HEAD:dt", "dt", "--exit-code", cwd=root)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    # A single blob that names files beside it is read with its directory's tree (only the blob
    # had been checked out, and its base and includes were not found).
    for blob, own in (("HEAD:sc/s.toml", "sc/s.toml"), ("HEAD:dt/t.dts", "dt/t.dts")):
        proc = cli("diff", blob, own, "--exit-code", cwd=root)
        assert proc.returncode == 0, proc.stdout + proc.stderr
    # Below the top of the work tree: git lists (and archives) only what lies under the current
    # directory, which had made every tree read from a subdirectory "untracked"; "./" paths
    # mean the current directory, as in git.
    for args, where in ((("verify", "HEAD:sc"), "dt"), (("diff", "HEAD:./", ".", "--exit-code"), "sc"),
                        (("diff", "HEAD:./s.toml", "s.toml", "--exit-code"), "sc")):
        proc = cli(*args, cwd=root / where)
        assert proc.returncode == 0, proc.stdout + proc.stderr
    proc = cli("textconv", "HEAD:dt/t.dts", cwd=root)
    assert proc.returncode == 0 and proc.stdout.decode() == cli("textconv", "dt/t.dts", cwd=root).stdout.decode()
    # A base missing from the tree is named as the tree's file, never the temporary copy.
    (root / "sc" / "zen.cpuid").unlink()
    subprocess.run(["git", "commit", "-qam", "two"], cwd=root, env=env, check=True, capture_output=True, timeout=60)
    proc = cli("verify", "HEAD:sc", cwd=root)
    assert proc.returncode == 1
    assert "HEAD:sc/s.toml: scenario-toml: scenario at scenario.base: base HEAD:sc/zen.cpuid: no such file" \
           in proc.stdout.decode(), proc.stdout
    assert b"pvenum-git-" not in proc.stdout + proc.stderr and str(tmp_path).encode() not in proc.stdout
    for cmd in (("diff", "HEAD:sc/s.toml", "HEAD~1:sc/s.toml"), ("textconv", "HEAD:sc/s.toml")):
        proc = cli(*cmd, cwd=root)
        if cmd[0] == "textconv":  # textconv prints the TOML, which loads (and builds) only with its base
            assert proc.returncode == 3, proc.stdout + proc.stderr
        assert proc.stderr.decode().rstrip() == "pvenum: error: HEAD:sc/s.toml: scenario at scenario.base: base " \
            "HEAD:sc/zen.cpuid: no such file", proc.stderr
    # What a tree's files name is read from within that tree: a base climbing out of it would
    # read whatever lies beside the temporary directory (another user's file in /tmp), and a
    # DTS may include only files beside it (pvenum/fdt/dts_files.py); both are refused, named
    # as the tree's files.
    planted = tmp_path / "planted.cpuid"
    planted.write_bytes((tmp_path / "repo" / "sc" / "s.toml").read_bytes())
    (root / "sc" / "s.toml").write_text((root / "sc" / "s.toml").read_text().replace(
        'base = "zen.cpuid"', 'base = "../../../../../../../../../..' + str(planted) + '"'))
    (root / "dt" / "t.dts").write_text('/dts-v1/;\n/include/ "../../../../../../../../..' + str(tmp_path / "x.dtsi") + '"\n')
    (tmp_path / "x.dtsi").write_text("/ { };\n")
    subprocess.run(["git", "commit", "-qam", "three"], cwd=root, env=env, check=True, capture_output=True, timeout=60)
    sc_out = cli("verify", "HEAD:sc", cwd=root).stdout.decode()
    assert "HEAD:sc/s.toml: scenario-toml: scenario at scenario.base: base HEAD:sc/../" in sc_out, sc_out
    assert "lies outside the git tree the scenario is read from" in sc_out, sc_out
    dt = cli("verify", "HEAD:dt", cwd=root)
    # (a DTS that cannot be compiled stops verify, exit 3, as with no dtc on PATH)
    assert dt.returncode == 3 and b"pvenum: error: HEAD:dt/t.dts: dts at offset 0x" in dt.stderr, dt.stderr
    assert dt.stderr.rstrip().endswith(b"a DTS may only name regular files under HEAD:dt"), dt.stderr
    for out in (sc_out.encode(), dt.stdout + dt.stderr):
        assert b"pvenum-git-" not in out, out
    # The same files as single blobs: read with the tree of their directory, the same bounds;
    # and textconv of the tree (it had read the planted file beside its temporary copy).
    for cmd in (("diff", "HEAD:sc/s.toml", "HEAD~1:sc/s.toml"), ("textconv", "HEAD:sc/s.toml"), ("textconv", "HEAD:sc")):
        err = cli(*cmd, cwd=root).stderr.decode()
        assert err.startswith("pvenum: error: HEAD:sc/s.toml: scenario at scenario.base: base HEAD:sc/../") and \
            err.rstrip().endswith("lies outside the git tree the scenario is read from"), err
    for cmd in (("diff", "HEAD:dt/t.dts", "HEAD~1:dt/t.dts"), ("textconv", "HEAD:dt/t.dts")):
        proc = cli(*cmd, cwd=root)
        assert proc.returncode == 3 and proc.stderr.startswith(b"pvenum: error: HEAD:dt/t.dts: dts at offset 0x"), proc.stderr
        assert proc.stderr.rstrip().endswith(b"a DTS may only name regular files under HEAD:dt"), proc.stderr
    # At the top of the tree, the directory is REV: itself, and a file in it REV:name.
    (root / "top.dts").write_text('/dts-v1/;\n/include/ "../x.dtsi"\n')
    (root / "top2.dts").write_text('/dts-v1/;\n/include/ "inc.dtsi"\n')
    (root / "inc.dtsi").write_text('/ { x = /incbin/("sc"); };\n')
    subprocess.run(["git", "add", "-A"], cwd=root, env=env, check=True, capture_output=True, timeout=60)
    subprocess.run(["git", "commit", "-qm", "four"], cwd=root, env=env, check=True, capture_output=True, timeout=60)
    top = cli("textconv", "HEAD:top.dts", cwd=root).stderr
    assert top.rstrip().endswith(b"a DTS may only name regular files under HEAD:"), top
    top = cli("textconv", "HEAD:top2.dts", cwd=root).stderr.decode()
    assert top.startswith("pvenum: error: HEAD:inc.dtsi: dts at offset 0x08: /incbin/ names \"sc\", which is a directory"), top
    blob = cli("verify", "HEAD:sc/s.toml", cwd=root)
    assert blob.returncode == 2 and b"is a git blob; verify reads a tree" in blob.stderr and b"pvenum-git-" not in blob.stderr


def test_git_scenario_errors_name_the_rev_path(cli, repo):
    proc = cli("diff", "HEAD:bad.toml", "snp", cwd=repo)
    assert proc.returncode == 3
    assert proc.stderr.decode().startswith("pvenum: error: HEAD:bad.toml: scenario at expect.linux.mode: ")


def test_a_manifest_format_that_is_not_a_string_is_ignored(cli, paravisor):
    # Hostile manifest.json: "format" as a JSON list once raised TypeError (unhashable) out of read_bundle.
    manifest = paravisor / "manifest.json"
    doc = json.loads(manifest.read_bytes())
    for entry in doc["files"]:
        entry["format"] = ["cpuid-r"]
    manifest.write_text(json.dumps(doc))
    proc = cli("verify", str(paravisor))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert b"Traceback" not in proc.stderr and b"copies agree" in proc.stderr


def test_a_git_blob_is_read_as_committed_beside_what_it_names(cli, tmp_path, monkeypatch):
    # A blob that names files beside it is written into the tree of its directory: every file as
    # committed (git archive would apply the tree's .gitattributes: ident rewrites "$Id$",
    # export-ignore drops the base), symbolic links left out. What it cannot be read with, it
    # is read without, and its errors say why; a file no TOML parser takes is an error, not an
    # internal one, even while deciding whether it names a base.
    if shutil.which("git") is None:
        pytest.skip("git not installed")
    from pvenum.diff.gitsrc import checkout

    root = tmp_path / "repo"
    _scenario_on_base(root / "sc")
    sc = root / "sc" / "s.toml"
    sc.write_text("# $Id$\n" + sc.read_text())
    (root / ".gitattributes").write_text("*.toml ident\nzen.cpuid export-ignore\n")
    (root / "sc" / "link.cpuid").symlink_to(root / "sc" / "zen.cpuid")
    (root / "sc" / "l.toml").write_text(sc.read_text().replace('base = "zen.cpuid"', 'base = "link.cpuid"'))
    (root / "sc" / "plain.toml").write_text(sc.read_text().replace('base = "zen.cpuid"\n', "").replace(
        'isolation = "sev-snp"', 'isolation = "none"'))
    (root / "top.toml").write_text(sc.read_text().replace('base = "zen.cpuid"', 'base = "nothere.cpuid"'))
    (root / "big.toml").write_text(sc.read_text() + "n = " + "1" * 5000 + "\n")
    (root / "bad.dtb.gz").write_bytes(b"\x1f\x8b\x08\x00" + b"not deflate" * 4)
    env = {"GIT_CONFIG_NOSYSTEM": "1", "HOME": str(root), "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.org", "PATH": "/usr/bin:/bin"}
    for args in (["init", "-q"], ["add", "-A"], ["commit", "-q", "-m", "one"]):
        subprocess.run(["git", *args], cwd=root, env=env, check=True, capture_output=True, timeout=60)
    proc = cli("textconv", "HEAD:sc/s.toml", cwd=root)
    assert proc.returncode == 0 and proc.stdout.startswith(b"# $Id$\n"), proc.stdout[:80] + proc.stderr
    assert cli("diff", "HEAD:sc/s.toml", "sc/s.toml", "--exit-code", cwd=root).returncode == 0
    err = cli("diff", "HEAD:sc/l.toml", "sc/s.toml", cwd=root).stderr.decode()
    assert err.rstrip() == "pvenum: error: HEAD:sc/l.toml: scenario at scenario.base: base HEAD:sc/link.cpuid: " \
                           "no such file", err
    err = cli("diff", "HEAD:top.toml", "sc/s.toml", cwd=root).stderr.decode()
    assert err.rstrip() == "pvenum: error: HEAD:top.toml: scenario at scenario.base: base HEAD:nothere.cpuid: " \
                           "no such file", err
    err = cli("diff", ":sc/s.toml", "sc/s.toml", cwd=root).stderr.decode()
    assert err.rstrip() == "pvenum: error: :sc/s.toml: scenario at scenario.base: base :sc/zen.cpuid: " \
                           "no such file (:sc/s.toml was read alone: the index holds files, not the trees they lie in)", err
    big = cli("textconv", "HEAD:big.toml", cwd=root)
    assert big.returncode == 3 and big.stderr.startswith(b"pvenum: error: HEAD:big.toml: ") \
        and b"internal error" not in big.stderr and big.stderr.count(b"\n") == 1, big.stderr
    assert cli("textconv", "--fallback", "HEAD:big.toml", cwd=root).returncode == 0
    # --fallback prints the error as a line of the text: named as committed, the same every run.
    out = cli("textconv", "--fallback", "HEAD:bad.dtb.gz", cwd=root).stdout.decode()
    assert out.startswith("# pvenum: error: HEAD:bad.dtb.gz: ") and "pvenum-git-" not in out, out
    # ... and says why a blob was read alone, as the error without --fallback does.
    out = cli("textconv", "--fallback", ":sc/s.toml", cwd=root).stdout.decode().splitlines()[0]
    assert out.endswith("(:sc/s.toml was read alone: the index holds files, not the trees they lie in)"), out
    # Only a blob that names a file beside it brings its directory along.
    monkeypatch.chdir(root)
    alone = checkout("HEAD:sc/plain.toml", tmp_path / "out1")
    assert Path(alone.path).parent == Path(alone.tree) and sorted(p.name for p in Path(alone.tree).iterdir()) == ["plain.toml"]
    beside = checkout("HEAD:sc/s.toml", tmp_path / "out2")
    assert sorted(p.name for p in Path(beside.tree).iterdir()) == ["l.toml", "plain.toml", "s.toml", "zen.cpuid"]


@pytest.mark.parametrize("moved", ["acpi", "cpuid", "manifest.json"])
def test_a_symlink_leading_out_of_a_bundle_is_refused_not_read(cli, tmp_path, moved):
    """A bundle means what its own files say, on any machine: a link out of it (``acpi`` to
    this machine's /sys/firmware/acpi/tables, any file elsewhere) is named in one line by every
    command that reads the bundle, exit 3 (unreadable input), as a DTS ``/include/`` out of its
    directory is refused. The fleet audit's key walks the bundle as the load does, and fails
    alike. Before: the bundle verified, its manifest matching the bytes read elsewhere."""
    from pvenum import audit

    bundle = _build("snp", tmp_path / "bundle")
    elsewhere = tmp_path / "elsewhere" / moved
    elsewhere.parent.mkdir()
    (bundle / moved).rename(elsewhere)
    (bundle / moved).symlink_to(elsewhere)
    line = f"pvenum: error: {bundle}/{moved}: a symlink leading out of {bundle} (to {elsewhere}): not read\n"
    for args in (("verify", str(bundle)), ("resolve", str(bundle)), ("diff", str(bundle), str(bundle))):
        proc = cli(*args)
        assert (proc.returncode, proc.stdout, proc.stderr.decode()) == (3, b"", line), args
    with pytest.raises(PvenumError) as err:
        audit.keyed(bundle)
    assert f"pvenum: error: {err.value}\n" == line
    assert audit.audit_one(str(bundle)) == {"target": str(bundle), "error": line[len("pvenum: error: "):-1]}


def test_links_inside_a_bundle_and_a_symlinked_bundle_are_read(cli, tmp_path):
    """What stays inside is read: a link to a directory of the bundle, and the bundle reached
    through a symlink (bench/bench_resolve.py's fleets are made of them), keyed as the original."""
    from pvenum import audit

    bundle = _build("snp", tmp_path / "real" / "bundle")
    (bundle / "acpi").rename(bundle / "tables")
    (bundle / "acpi").symlink_to("tables", target_is_directory=True)
    machine = tmp_path / "fleet" / "m1"
    machine.parent.mkdir()
    machine.symlink_to(bundle, target_is_directory=True)
    proc = cli("verify", str(machine))
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr.decode() == f"{machine}: 14 file(s) read; one platform: copies agree, manifest.json matches\n"
    assert audit.keyed(machine)[0] == audit.keyed(bundle)[0]
    assert "error" not in audit.audit_one(str(machine))


def test_a_bundle_file_swapped_for_a_link_out_after_the_walk_is_not_read(tmp_path, monkeypatch):
    """The walk checks names, the read opens them: a file of a bundle swapped for a link out in
    between (a tree being unpacked) is refused as the link the walk would have refused, by the
    load and the audit key alike: what is checked is the file opened (pvenum._io.Within)."""
    from pvenum import _io, audit
    from pvenum.bundle import read_bundle

    bundle = _build("snp", tmp_path / "bundle")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "cpuid").write_bytes((bundle / "cpuid").read_bytes())
    real_listing = _io.sorted_listing

    def listed_then_swapped(d, limit):
        entries = real_listing(d, limit)
        if os.fspath(d) == str(bundle) and not (bundle / "cpuid").is_symlink():
            (bundle / "cpuid").unlink()
            (bundle / "cpuid").symlink_to(elsewhere / "cpuid")
        return entries

    want = f"{bundle}/cpuid: a symlink leading out of {bundle} (to {elsewhere}/cpuid): not read"
    for read in (read_bundle, audit.keyed):
        (bundle / "cpuid").unlink(missing_ok=True)
        (bundle / "cpuid").write_bytes((elsewhere / "cpuid").read_bytes())
        monkeypatch.setattr(_io, "sorted_listing", listed_then_swapped)
        with pytest.raises(PvenumError) as err:
            read(bundle)
        monkeypatch.undo()
        assert str(err.value) == want, read


def test_the_manifest_is_read_once_and_what_is_hashed_is_what_was_checked(tmp_path, monkeypatch):
    # The manifest is read once: the entries checked against the bundle's files and the bytes
    # hashed into its list of files are the same read (two reads could see two files).
    import hashlib

    from pvenum import _io
    from pvenum.bundle import read_bundle

    bundle = _build("azure-snp-paravisor", tmp_path / "b")
    opened: list[str] = []
    real = _io.open_input
    monkeypatch.setattr(_io, "open_input", lambda path, **kw: (opened.append(os.path.basename(path)), real(path, **kw))[1])
    b = read_bundle(bundle)
    assert opened.count("manifest.json") == 1
    assert b.files["manifest.json"] == hashlib.sha256((bundle / "manifest.json").read_bytes()).hexdigest()
    assert not b.problems
