"""The fleet audit: targets streamed from trees and stdin, each distinct capture resolved once
with the same records as resolving every target on its own, the platform-class summary, and
the same run on a Dask LocalCluster giving identical records."""

from __future__ import annotations

import json
import os
import shutil
from collections import OrderedDict
from pathlib import Path

import pytest

from pvenum.audit import Summary, audit_one, content_key, find_targets, iter_targets, keyed, run
from pvenum.build import write_bundle
from pvenum.scenario import catalog

SCENARIOS = ("snp", "tdx", "cca-realm")


@pytest.fixture(scope="module")
def fleet(tmp_path_factory) -> Path:
    """Three catalog bundles, each copied into three machine directories, plus one broken file."""
    root = tmp_path_factory.mktemp("fleet")
    built = root / "built"
    for name in SCENARIOS:
        sc = catalog.get(name)
        write_bundle(sc.platform(), built / name, name=sc.name, description=sc.description)
    for i in range(3):
        for name in SCENARIOS:
            shutil.copytree(built / name, root / "machines" / f"m{i}-{name}")
    shutil.rmtree(built)
    (root / "machines" / "zz-broken.cpuid").write_text("CPU:\n" + "   0x00000000 0x00: eax=0x1 ebx=0x0 ecx=0x0 edx=0x0\n" * 2)
    return root


def test_targets_stream_bundles_then_files(fleet):
    it = iter_targets(fleet)
    assert next(it).name == "m0-cca-realm"  # a generator: the first bundle before the tree is walked
    targets = find_targets(fleet)
    assert len(targets) == 10 and targets[-1].name == "zz-broken.cpuid"


def test_targets_are_streamed_with_numbers_by_value(tmp_path, data_dir):
    # A fleet's captures named host1 … host10: host10 is the tenth, not the second.
    capture = (data_dir / "cpuid" / "kvm-amd-zen5.cpuid").read_bytes()
    for n in (1, 2, 10):
        (tmp_path / f"host{n}.cpuid").write_bytes(capture)
    assert [t.name for t in find_targets(tmp_path)] == ["host1.cpuid", "host2.cpuid", "host10.cpuid"]


def test_dedup_gives_the_records_of_resolving_each_target_alone(fleet):
    paths = [str(p) for p in find_targets(fleet)]
    shared = list(run(paths, jobs=1))
    alone = [audit_one(p, cache=OrderedDict()) for p in paths]  # nothing remembered between targets
    assert shared == alone
    keys = {r["key"] for r in shared if "error" not in r}
    assert len(keys) == len(SCENARIOS)  # copies of one bundle are one capture
    assert all(content_key(p) == r.get("key") for p, r in zip(paths, shared) if "error" not in r)
    assert [r["name"] for r in shared[:3]] == ["m0-cca-realm", "m0-snp", "m0-tdx"]  # each keeps its own name
    assert "error" in shared[-1]


def _two_copies(fleet: Path, tmp_path: Path) -> tuple[Path, Path]:
    """Two copies of one bundle, a and b, to edit one of."""
    a, b = tmp_path / "a", tmp_path / "b"
    for copy in (a, b):
        shutil.copytree(fleet / "machines" / "m0-snp", copy)
    return a, b


def _edit_manifest_doc(bundle: Path, **fields) -> None:
    doc = json.loads((bundle / "manifest.json").read_text())
    doc.update(fields)
    (bundle / "manifest.json").write_text(json.dumps(doc, indent=1))


def test_key_changes_with_content_not_with_the_manifest(fleet, tmp_path):
    a, b = _two_copies(fleet, tmp_path)
    _edit_manifest_doc(b, description="captured elsewhere")  # what no load reads
    assert content_key(a) == content_key(b)
    (b / "platform.toml").write_text((b / "platform.toml").read_text().replace("0x7", "0x3"))
    assert content_key(a) != content_key(b)


def test_a_copy_gzipped_again_is_the_same_capture(cli, fleet, tmp_path):
    # The loader reads a gzip file inflated (pvenum._io.read_input), and verify and diff compare
    # what it read: the same DTB compressed with another header mtime and level, or not at all,
    # is one platform to them, and so one capture to the audit.
    import gzip

    dtb = (fleet / "machines" / "m0-cca-realm" / "fdt.dtb").read_bytes()
    (tmp_path / "plain.dtb").write_bytes(dtb)
    (tmp_path / "a.dtb.gz").write_bytes(gzip.compress(dtb, mtime=1))
    (tmp_path / "b.dtb.gz").write_bytes(gzip.compress(dtb, compresslevel=1, mtime=2))
    assert (tmp_path / "a.dtb.gz").read_bytes() != (tmp_path / "b.dtb.gz").read_bytes()
    paths = [str(tmp_path / n) for n in ("plain.dtb", "a.dtb.gz", "b.dtb.gz")]
    assert cli("diff", "--exit-code", paths[1], paths[2]).returncode == 0
    assert cli("diff", "--exit-code", paths[0], paths[1]).returncode == 0
    shared = list(run(paths, jobs=1))
    assert len({r["key"] for r in shared}) == 1 and "error" not in shared[0]
    assert shared == [audit_one(p, cache=OrderedDict()) for p in paths]
    # Bytes that do not inflate are keyed as stored: the load fails on them, saying where.
    (tmp_path / "cut.dtb.gz").write_bytes(gzip.compress(dtb)[:-9])
    assert content_key(tmp_path / "cut.dtb.gz") not in {r["key"] for r in shared}


def test_an_unflattened_devicetree_is_keyed_as_stored(tmp_path):
    # pvenum/fdt/fs.py reads each property file as it is (as Linux's /proc/device-tree holds
    # it): a property whose bytes are a gzip stream is that stream, not what it inflates to.
    import gzip

    keys, records = [], []
    for d, method in (("plain", b"smc\0"), ("gz", gzip.compress(b"smc\0", mtime=0))):
        root = tmp_path / d
        (root / "psci").mkdir(parents=True)
        (root / "#address-cells").write_bytes(bytes.fromhex("00000002"))
        (root / "compatible").write_bytes(b"linux,dummy-virt\0")
        (root / "psci" / "compatible").write_bytes(b"arm,psci-1.0\0")
        (root / "psci" / "method").write_bytes(method)
        keys.append(content_key(root))
        records.append(audit_one(str(root), cache=OrderedDict()))
    assert keys[0] != keys[1]
    assert records[0]["derivations"] != records[1]["derivations"]


def _edit_manifest(bundle: Path, path: str, **fields) -> None:
    doc = json.loads((bundle / "manifest.json").read_text())
    for e in doc["files"]:
        if e["path"] == path:
            e.update(fields)
    (bundle / "manifest.json").write_text(json.dumps(doc))


@pytest.mark.parametrize("edit", ["format", "sha256", "unreadable"])
def test_what_the_load_reads_of_a_manifest_is_keyed(fleet, tmp_path, edit):
    # pvenum/bundle.py read_bundle(): a file's manifest "format" decides how it is read
    # (expected_format()), its "sha256" whether the bundle has a manifest-mismatch problem
    # (check_manifest()), and a manifest that is not one is itself a problem. Copies that differ
    # there are not one capture: each record is what auditing that bundle alone gives.
    a, b = _two_copies(fleet, tmp_path)
    if edit == "format":
        _edit_manifest(b, "cpuid.kvm", format="cpuid-r")
    elif edit == "sha256":
        _edit_manifest(b, "cpuid.kvm", sha256="0" * 64)
    else:
        (b / "manifest.json").write_text("{}")
    assert content_key(a) != content_key(b)
    for first, second in ((a, b), (b, a)):
        shared = list(run([str(first), str(second)], jobs=1))
        alone = [audit_one(str(p), cache=OrderedDict()) for p in (first, second)]
        assert shared == alone
    assert "problems" not in audit_one(str(a), cache=OrderedDict())
    assert audit_one(str(b), cache=OrderedDict())["problems"]


def test_a_manifest_is_the_bundles_index_never_one_of_its_artifacts(fleet, tmp_path):
    # A manifest holding what a format detects ("cpuid_modifiers": a Firecracker template) is
    # still only the bundle's index: keyed by its file entries, and so read by the load.
    a, b = _two_copies(fleet, tmp_path)
    _edit_manifest_doc(b, cpuid_modifiers=[])
    assert content_key(a) == content_key(b)
    alone = [audit_one(str(p), cache=OrderedDict()) for p in (a, b)]
    assert "problems" not in alone[1]
    assert list(run([str(a), str(b)], jobs=1)) == alone


def test_a_reused_record_names_the_files_of_its_own_target(fleet, tmp_path):
    # Copies of a bundle whose copies disagree (a CPUID dump from another scenario beside the
    # platform.toml): one capture, resolved once, and each record names its own files, so the
    # records are those of auditing each copy alone, whatever worker or order made them.
    for m in ("m1", "m2", "m3"):
        shutil.copytree(fleet / "machines" / "m0-tdx", tmp_path / m)
        shutil.copy(fleet / "machines" / "m0-snp" / "cpuid.kvm", tmp_path / m / "cpuid.kvm")
    paths = [str(tmp_path / m) for m in ("m1", "m2", "m3")]
    shared = list(run(paths, jobs=1))
    assert len({r["key"] for r in shared}) == 1 and shared[0]["problems"]
    assert shared == [audit_one(p, cache=OrderedDict()) for p in paths]
    for p, r in zip(paths, shared):
        named = {x["file"] for x in r["problems"]} | {x.get("other") for x in r["problems"]} - {None}
        assert all(n.startswith(p + "/") for n in named), (p, named)
        assert all(f"{q}/" not in json.dumps(r) for q in paths if q != p)


def test_a_reused_record_names_its_own_acpi_table_files(fleet, tmp_path):
    # The ACPI table files are named as a group ("the ACPI table files of TARGET": pvenum/bundle.py
    # check_copies()), with no file after the target's name: still this copy's own.
    paths = []
    for m in ("m1", "m2"):
        b = tmp_path / m
        shutil.copytree(fleet / "machines" / "m0-snp", b)
        (b / "acpi" / "APIC.dat").rename(b / "APIC.dat")
        (b / "acpi" / "XSDT.dat").unlink()
        (b / "manifest.json").unlink()
        paths.append(str(b))
    shared = list(run(paths, jobs=1))
    assert len({r["key"] for r in shared}) == 1 and shared[1]["problems"]
    assert shared == [audit_one(p, cache=OrderedDict()) for p in paths]
    assert paths[0] not in json.dumps(shared[1])


def test_a_capture_is_loaded_from_the_bytes_it_was_keyed_by(fleet, tmp_path, monkeypatch):
    # A writer replacing a capture between its key and its load (an upload landing while the
    # fleet is audited) must not get another capture's records cached under this key: the load
    # reads the bytes the key hashed.
    from pvenum import audit
    from pvenum.target import load_target

    a = tmp_path / "a"
    shutil.copytree(fleet / "machines" / "m0-snp", a)
    snp = audit_one(str(a), cache=OrderedDict())
    key, held = keyed(a)
    assert key == snp["key"] and held is not None
    shutil.rmtree(a)
    shutil.copytree(fleet / "machines" / "m0-tdx", a)  # rewritten after keying
    tdx = audit_one(str(a), cache=OrderedDict())
    assert tdx["derivations"] != snp["derivations"]
    assert audit._resolve(str(a), None, held).derivations == snp["derivations"]
    # Whatever the path has become since (a file, or nothing), the held bytes are loaded.
    shutil.rmtree(a)
    a.write_bytes(b"CPU:\n")
    assert audit._resolve(str(a), None, held).derivations == snp["derivations"]
    a.unlink()
    assert load_target(str(a), files=held).kind == "bundle"
    # A target too big to hold is read again at load, so its result is not shared.
    monkeypatch.setattr(audit, "MAX_HELD", 100)
    cache: OrderedDict = OrderedDict()
    b = tmp_path / "b"
    shutil.copytree(fleet / "machines" / "m0-snp", b)
    assert keyed(b)[1] is None
    assert audit_one(str(b), cache=cache)["derivations"] == snp["derivations"] and not cache
    # An unflattened devicetree (a directory per node) is read by its own walk: not held either.
    monkeypatch.undo()
    dt = tmp_path / "base"
    dt.mkdir()
    (dt / "#address-cells").write_bytes(b"\0\0\0\x02")
    (dt / "compatible").write_bytes(b"linux,dummy-virt\0")
    assert keyed(dt)[1] is None and keyed(b)[1] is not None


def _scenario_beside(d: Path, base: str, text: str) -> Path:
    """A scenario file whose [scenario] base is a capture pvenum ships (pvenum/fixtures/base)."""
    from importlib import resources

    d.mkdir(parents=True)
    (d / "base.cpuid").write_bytes(resources.files("pvenum.fixtures.base").joinpath(base).read_bytes())
    (d / "s.toml").write_text(text)
    return d / "s.toml"


SCENARIO_WITH_BASE = '[scenario]\nname = "s"\ndescription = "d"\nbase = "base.cpuid"\nhypervisor = "kvm"\n'


def test_a_scenario_is_keyed_with_the_base_it_reads(tmp_path):
    # The same scenario text beside an AMD and an Intel capture: two platforms. The key hashed
    # the TOML alone, so the second took the first's records (cc_vendor AMD for the Intel one).
    amd = _scenario_beside(tmp_path / "a", "amd-kvm.cpuid", SCENARIO_WITH_BASE)
    intel = _scenario_beside(tmp_path / "b", "intel-xen.cpuid", SCENARIO_WITH_BASE)
    paths = [str(amd), str(intel)]
    shared = list(run(paths, jobs=1))
    assert shared == [audit_one(p, cache=OrderedDict()) for p in paths]
    assert shared[0]["key"] != shared[1]["key"]
    assert shared[0]["derivations"] != shared[1]["derivations"]
    # Spelled with escapes (TOML 1.0: a quoted key is a basic string, \u escapes and all), the
    # base is still the loader's and so the key's.
    escaped = SCENARIO_WITH_BASE.replace("[scenario]", '["\\u0073cenario"]').replace("base =", '"\\u0062ase" =')
    e_amd = _scenario_beside(tmp_path / "c", "amd-kvm.cpuid", escaped)
    e_intel = _scenario_beside(tmp_path / "d", "intel-xen.cpuid", escaped)
    assert content_key(e_amd) != content_key(e_intel)
    # The base changing under the same scenario text changes the key; a base that cannot be
    # read is an error record, the same as resolving the file alone.
    before = content_key(amd)
    (amd.parent / "base.cpuid").unlink()
    assert content_key(amd) != before
    rec = next(run([str(amd)], jobs=1))
    assert "error" in rec and "base.cpuid" in rec["error"]
    # The load reads the base from the disk again (it is not among the bytes keyed), so a base
    # replaced between the key and the load would put the new base's records under the old
    # key: such a target is resolved, never shared.
    cache: OrderedDict = OrderedDict()
    assert "error" not in audit_one(str(intel), cache=cache) and not cache
    plain = tmp_path / "plain.toml"
    plain.write_text(SCENARIO_WITH_BASE.replace('base = "base.cpuid"\n', 'cpu = "amd"\n'))
    assert "error" not in audit_one(str(plain), cache=cache), audit_one(str(plain), cache=OrderedDict())
    assert len(cache) == 1


def test_hostile_files_are_keyed_and_their_records_say_why(fleet, tmp_path):
    # A base no file can have (a NUL: a POSIX path is a C string) is an error record naming it,
    # not a crash of the audit; a gzip bomb in a bundle leaves the bundle keyed and its record
    # names the file (bundle.unreadable), as the loader reports it.
    import gzip

    sc = tmp_path / "nul.toml"
    sc.write_text('[scenario]\nname = "nul"\ndescription = "d"\nbase = "a\\u0000b"\n')
    rec = next(run([str(sc)], jobs=1))
    assert rec["key"] and "no such file" in rec["error"]
    b = tmp_path / "bomb"
    shutil.copytree(fleet / "machines" / "m0-snp", b)
    (b / "notes.gz").write_bytes(gzip.compress(bytes(65 << 20)))  # inflates past the 64 MiB input limit
    rec = next(run([str(b)], jobs=1))
    assert rec["key"] == content_key(b) and "error" not in rec
    assert [(p["code"], p["file"]) for p in rec["problems"]] == [("bundle.unreadable", str(b / "notes.gz"))]


def test_a_scenario_inside_a_bundle_is_keyed_with_its_base_outside(tmp_path):
    # A bundle's scenario may name a base outside the bundle ("../base.cpuid"): two bundles of
    # the same bytes over different bases are two captures.
    text = SCENARIO_WITH_BASE.replace('"base.cpuid"', '"../base.cpuid"')
    keys = []
    for d, base in (("a", "amd-kvm.cpuid"), ("b", "intel-xen.cpuid")):
        _scenario_beside(tmp_path / d, base, "")
        (tmp_path / d / "s.toml").unlink()
        (tmp_path / d / "bundle").mkdir()
        (tmp_path / d / "bundle" / "scenario.toml").write_text(text)
        keys.append(content_key(tmp_path / d / "bundle"))
    assert keys[0] != keys[1]
    paths = [str(tmp_path / d / "bundle") for d in ("a", "b")]
    recs = list(run(paths, jobs=1))
    assert recs == [audit_one(p, cache=OrderedDict()) for p in paths]
    assert recs[0]["derivations"] != recs[1]["derivations"]  # an AMD and an Intel base: two platforms


def test_dts_that_includes_files_is_never_taken_for_a_copy_elsewhere(tmp_path):
    # The same DTS text in two directories, each /include/-ing its own board file (dtc reads it
    # from beside the DTS): a KVM board and a Xen one. Keyed by the text alone, the second took
    # the first's records (the KVM board's hypervisor where resolving it alone finds Xen's).
    from pvtest import need_tool

    need_tool("dtc")
    paths = []
    for d, name in (("a", "arm64-kvm"), ("b", "arm64-xen")):
        sc = catalog.get(name)
        write_bundle(sc.platform(), tmp_path / "built" / name, name=sc.name, description=sc.description)
        dts = (tmp_path / "built" / name / "fdt.dts").read_text().replace("/dts-v1/;", "")
        (tmp_path / d).mkdir()
        (tmp_path / d / "board.dtsi").write_text(dts)
        (tmp_path / d / "t.dts").write_text('/dts-v1/;\n/include/ "board.dtsi"\n')
        paths.append(str(tmp_path / d / "t.dts"))
    shared = list(run(paths, jobs=1))
    alone = [audit_one(p, cache=OrderedDict()) for p in paths]
    assert shared == alone
    assert alone[0]["derivations"] != alone[1]["derivations"]  # two boards: two platforms
    # A DTS that includes nothing is keyed by its bytes alone: copies anywhere are one capture.
    plain = tmp_path / "built" / "arm64-kvm" / "fdt.dts"
    (tmp_path / "c").mkdir()
    shutil.copy(plain, tmp_path / "c" / "fdt.dts")
    assert content_key(plain) == content_key(tmp_path / "c" / "fdt.dts")
    # What dtc includes is read from the disk at load time, not from the bytes keyed: such a DTS
    # is resolved, never shared; one that includes nothing is shared.
    cache: OrderedDict = OrderedDict()
    rec = audit_one(paths[0], cache=cache)
    assert "error" not in rec, rec  # resolved (an error is never cached either)
    assert not cache and keyed(paths[0])[1] is None
    audit_one(str(plain), cache=cache)
    assert len(cache) == 1


@pytest.mark.parametrize("where", ["bundle", "scenario"])
def test_a_base_that_is_a_fifo_is_refused_not_waited_on(cli, fleet, tmp_path, where):
    # open(2) of a FIFO for reading blocks until a writer opens it (fifo(7)): a base naming one
    # stalled the audit's key for ever. The scenario loader refuses it as a base; a TOML that
    # is no scenario (notes in a bundle) names a base the loader never reads, and its audit
    # goes on as the load does.
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    if where == "bundle":
        target = tmp_path / "bundle"
        shutil.copytree(sorted((fleet / "machines").glob("m0-*"))[0], target)
        (target / "notes.toml").write_text(f'scenario.base = "{fifo}"\n')
    else:
        target = tmp_path / "s.toml"
        target.write_text(SCENARIO_WITH_BASE.replace('"base.cpuid"', f'"{fifo}"'))
    res = cli("audit", str(target), timeout=60)
    rec = json.loads(res.stdout.splitlines()[0])
    if where == "bundle":
        assert "error" not in rec and rec["derivations"], rec
    else:
        assert rec["error"].endswith("is a FIFO, not a regular file"), rec


def test_summary_counts_machines_and_distinct_captures(fleet):
    summary = Summary()
    for rec in run(find_targets(fleet), jobs=1):
        summary.add(rec)
    doc = summary.to_json()
    assert (doc["targets"], doc["distinct_platforms"], doc["errors"]) == (10, 3, 1)
    assert sum(c["machines"] for c in doc["classes"]) == 9
    by_example = {Path(c["example"]).name: c for c in doc["classes"]}
    assert set(by_example) <= {"m0-cca-realm", "m0-snp", "m0-tdx"}
    md = summary.to_markdown()
    assert md.startswith("10 targets, 3 distinct platforms") and "| machines | distinct | first example |" in md


def _cells(line: str) -> list[str]:
    """A GitHub table row's cells: split on pipes not escaped by a backslash."""
    import re

    return re.split(r"(?<!\\)\|", line.strip())[1:-1]


def test_summary_markdown_is_a_table_github_renders(fleet, tmp_path):
    # GitHub Flavored Markdown tables: the delimiter row must have as many cells as the header,
    # and a pipe inside a cell must be escaped (\|), code spans included (GFM spec 0.29, 198-205).
    odd = tmp_path / "p|x" / "ma`ch|1"
    shutil.copytree(fleet / "machines" / "m0-snp", odd)
    summary = Summary()
    for rec in run([str(odd), str(tmp_path / "none")], jobs=1):
        summary.add(rec)
    everything_failed = Summary()
    everything_failed.add({"target": "t|1", "error": "unreadable"})
    for md in (summary.to_markdown(), everything_failed.to_markdown()):
        rows = [line for line in md.splitlines() if line.startswith("|")]
        widths = {len(_cells(r)) for r in rows}
        assert len(widths) == 1, md
        assert set(_cells(rows[1])) == {"---"}
    assert "p\\|x/ma`ch\\|1" in summary.to_markdown()


def test_summary_counts_targets_with_bundle_problems(fleet, tmp_path):
    # --fail-on error fails on a resolved bundle with problems as on an error: the summary says so.
    shutil.copytree(fleet / "machines" / "m0-tdx", tmp_path / "m")
    shutil.copy(fleet / "machines" / "m0-snp" / "cpuid.kvm", tmp_path / "m" / "cpuid.kvm")
    summary = Summary()
    for rec in run([str(tmp_path / "m"), str(fleet / "machines" / "m0-snp")], jobs=1):
        summary.add(rec)
    assert (summary.to_json()["errors"], summary.to_json()["with_problems"]) == (0, 1)
    assert summary.to_markdown().splitlines()[0].endswith(f"0 errors, 1 with bundle problems (first: `{tmp_path / 'm'}`)")


def test_cli_reads_stdin_writes_json_lines_and_summaries(cli, fleet, tmp_path):
    listing = "\n".join(str(p) for p in sorted((fleet / "machines").iterdir()) if p.is_dir()) + "\n"
    md, js = tmp_path / "s.md", tmp_path / "s.json"
    res = cli("audit", "-", "-j", "1", "--summary", str(md), "--summary", str(js), input=listing.encode())
    assert res.returncode == 0, res.stderr
    lines = [json.loads(x) for x in res.stdout.decode().splitlines()]
    assert len(lines) == 9 and res.stderr == b""  # quiet in a pipe
    assert json.loads(js.read_text())["distinct_platforms"] == 3
    assert md.read_text().startswith("9 targets, 3 distinct platforms")
    assert cli("audit", str(fleet), "--summary", str(tmp_path / "s.txt")).returncode == 2


def test_dask_local_cluster_gives_identical_records(fleet):
    distributed = pytest.importorskip("distributed", reason="the test extra installs dask and distributed")
    from pvenum.audit_dask import run_dask

    paths = [str(p) for p in find_targets(fleet)]
    local = list(run(paths, jobs=1))
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False,
                                  dashboard_address=None) as cluster, distributed.Client(cluster) as client:
        on_dask = list(run_dask(paths, client=client, chunk=2, in_flight=3))
    assert on_dask == local
    a, b = Summary(), Summary()
    for r in local:
        a.add(r)
    for r in on_dask:
        b.add(r)
    assert a.to_json() == b.to_json() and a.to_markdown() == b.to_markdown()


@pytest.mark.parametrize("line", ["a\0b", "a" * 300, "snp"])
def test_a_stdin_line_that_cannot_be_a_path_is_an_error_record(cli, fleet, line):
    # POSIX paths hold no NUL byte (open(2) takes a C string) and no name longer than NAME_MAX
    # (255 on Linux: limits.h): the line names no file, which its record says, as for any
    # other path that is not there; the rest is audited. A catalog scenario's name ("snp") is
    # no path either: a fleet list read in the wrong directory gives errors, not the catalog.
    bundle = next(p for p in sorted((fleet / "machines").iterdir()) if p.is_dir())
    res = cli("audit", "-", "-j", "1", input=f"{line}\n{bundle}\n".encode())
    assert res.returncode == 0, res.stderr
    bad, good = (json.loads(x) for x in res.stdout.decode().splitlines())
    assert bad["target"] == line and "no such file" in bad["error"]
    assert good["target"] == str(bundle) and "error" not in good


def test_stdin_paths_are_bytes_decoded_as_argv_is(cli, fleet):
    # A file name is bytes; Python decodes argv with the filesystem encoding and surrogateescape
    # (os.fsdecode), whatever the locale makes of stdin (strict UTF-8 under en_US.UTF-8).
    res = cli("audit", "-", "-j", "1", input=b"caf\xe9\n", env={"PYTHONIOENCODING": "utf-8:strict"})
    assert res.returncode == 0, res.stderr
    (rec,) = (json.loads(x) for x in res.stdout.decode().splitlines())
    assert rec["target"] == "caf\udce9" and "no such file" in rec["error"]


def test_nothing_to_audit_is_a_usage_error(cli, tmp_path):
    # Exit 2 for "nothing usable given", the code every command shares (inspect and validate
    # of an empty directory too); summaries are not written for an empty fleet.
    (tmp_path / "empty").mkdir()
    (tmp_path / "empty" / "notes.txt").write_text("not an artifact\n")  # unrecognised: not a target
    md = tmp_path / "s.md"
    for args, stdin in (([str(tmp_path / "empty")], None), (["-"], b""), (["-"], b"\n\n")):
        res = cli("audit", *args, "-j", "1", "--summary", str(md), input=stdin)
        err = res.stderr.decode()
        assert res.returncode == 2 and err.startswith("pvenum: error: nothing to audit") and err.count("\n") == 1, err
        assert res.stdout == b"" and not md.exists()
    assert cli("inspect", str(tmp_path / "empty")).returncode == 2
