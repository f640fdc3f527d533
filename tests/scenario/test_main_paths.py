"""`pvenum main PATH...`: the catalog's matrix for your own scenario files, bundles and
captures, in every output form."""

from __future__ import annotations

import json
import shutil

import pytest

from pvtest import DATA, GENOA_FINGERPRINT, ROOT

SCENARIOS = ROOT / "pvenum" / "fixtures" / "scenarios"


def _json(cli, *args):
    proc = cli("main", *args, "--json")
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def test_the_catalogs_own_files_give_the_catalogs_matrix(cli):
    # The bundled catalog read as files from a directory: the same rows, cell for cell.
    catalog = {r["scenario"]: r for r in _json(cli)}
    mine = {r["scenario"]: r for r in _json(cli, str(SCENARIOS))}
    assert mine == catalog


def test_a_built_bundle_resolves_like_its_scenario(cli, tmp_path):
    # `pvenum build` writes the blobs a scenario implies; the bundle read back is the same row.
    proc = cli("build", "azure-tdx-paravisor", "-o", str(tmp_path / "tdx"))
    assert proc.returncode == 0, proc.stderr
    (row,) = _json(cli, str(tmp_path / "tdx"))
    (want,) = [r for r in _json(cli) if r["scenario"] == "azure-tdx-paravisor"]
    assert row["scenario"] == "tdx"
    assert row["models"] == want["models"]


def test_a_collection_mixes_scenarios_bundles_and_captures(cli, tmp_path):
    coll = tmp_path / "fleet"
    coll.mkdir()
    shutil.copy(SCENARIOS / "azure-snp-paravisor.toml", coll)
    shutil.copy(GENOA_FINGERPRINT, coll)
    shutil.copy(DATA / "cpuid" / "instlatx64" / "AuthenticAMD0850F00_K17_Zen_CPUID3.txt", coll)
    (coll / "notes.txt").write_text("not a capture\n")
    assert cli("build", "arm64-kvm", "-o", str(coll / "arm")).returncode == 0
    rows = _json(cli, str(coll))
    # Sorted by file name; a scenario is named by its [scenario] name, the rest by path.
    assert [r["scenario"] for r in rows] == [
        "fleet/AuthenticAMD0850F00_K17_Zen_CPUID3.txt", "fleet/arm", "azure-snp-paravisor",
        "fleet/fingerprint_AMD_GENOA_6.1host.json"]
    by = {r["scenario"]: r for r in rows}
    assert by["fleet/arm"]["arch"] == "arm64"
    assert by["fleet/AuthenticAMD0850F00_K17_Zen_CPUID3.txt"]["models"]["linux"]["hypervisor"] == "hyperv"
    assert by["azure-snp-paravisor"]["models"]["proposal"]["mode"] == "paravisor"


def test_numbered_captures_are_listed_with_numbers_by_value(cli, tmp_path):
    # host10 is the tenth machine, not the second (pvenum._io.natural_key, as README says).
    coll = tmp_path / "fleet"
    coll.mkdir()
    capture = DATA / "cpuid" / "kvm-amd-zen5.cpuid"
    for n in (1, 2, 10):  # one directory of captures per machine
        (coll / f"host{n}").mkdir()
        shutil.copy(capture, coll / f"host{n}" / "cpuid")
    rows = _json(cli, str(coll))
    assert [r["scenario"] for r in rows] == ["fleet/host1", "fleet/host2", "fleet/host10"]


def test_markdown_and_model_selection(cli):
    path = SCENARIOS / "azure-snp-paravisor.toml"
    proc = cli("main", str(path), "--markdown", "--model", "linux,proposal")
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.decode().splitlines()
    assert lines[0] == "| scenario | linux | proposal |"
    assert lines[2].startswith("| **azure-snp-paravisor**")
    rows = _json(cli, str(path), "--model", "proposal", "--model", "linux")
    assert list(rows[0]["models"]) == ["proposal", "linux"]


def test_usage_errors(cli, tmp_path):
    assert cli("main", str(tmp_path / "missing")).returncode == 2
    (tmp_path / "empty").mkdir()
    proc = cli("main", str(tmp_path / "empty"))
    assert proc.returncode == 2 and "no scenario, bundle or capture" in proc.stderr.decode()
    assert cli("main", str(SCENARIOS), "--model", "nonesuch").returncode == 2


def test_a_fifo_among_the_files_is_skipped_unopened(cli, tmp_path):
    # A directory of captures (a bundle without platform.toml) holding a FIFO: open(2) on it would
    # block for ever (fifo(7)); pvenum reads regular files only, so the capture beside it resolves.
    import os

    proc = cli("build", "kvm", "-o", str(tmp_path / "kvm"))
    assert proc.returncode == 0, proc.stderr
    (tmp_path / "m").mkdir()
    shutil.copy(tmp_path / "kvm" / "cpuid", tmp_path / "m" / "cpuid")
    os.mkfifo(tmp_path / "m" / "pipe")
    proc = cli("main", str(tmp_path / "m"), "--json", timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert [r["scenario"] for r in json.loads(proc.stdout)] == ["m"]


def test_a_directory_that_cannot_be_entered_is_a_one_line_error(cli, tmp_path):
    # A subdirectory that can be listed but not searched (mode 0644): stat(2) of anything in it
    # is EACCES, which Path.is_file() does not swallow, and `pvenum main` ended in an internal
    # error (PermissionError); a file there that cannot be read is the error contract's one
    # line, exit 3. Run as a user the mode applies to: root passes every check.
    import os
    import subprocess
    import sys
    import tempfile

    proc = cli("build", "kvm", "-o", str(tmp_path / "kvm"))
    assert proc.returncode == 0, proc.stderr
    top = tempfile.mkdtemp(prefix="pvenum-eacces-")
    try:
        os.chmod(top, 0o755)
        col = os.path.join(top, "col")
        os.makedirs(os.path.join(col, "m"))
        shutil.copy(tmp_path / "kvm" / "cpuid", os.path.join(col, "m", "cpuid"))
        os.makedirs(os.path.join(col, "sub"))
        shutil.copy(tmp_path / "kvm" / "cpuid", os.path.join(col, "sub", "cpuid"))
        for d in (col, os.path.join(col, "m")):
            os.chmod(d, 0o755)
        os.chmod(os.path.join(col, "m", "cpuid"), 0o644)
        os.chmod(os.path.join(col, "sub"), 0o644)  # readable, not searchable
        user = {"user": 65534, "group": 65534} if os.getuid() == 0 else {}
        if user:
            try:
                probe = subprocess.run([sys.executable, "-c", "import pvenum"], capture_output=True, cwd=top,
                                       timeout=60, **user)
            except PermissionError as err:
                pytest.skip(f"run as root, and uid 65534 cannot run this interpreter ({err}): the mode would not apply")
            if probe.returncode != 0:
                pytest.skip(f"run as root, and uid 65534 cannot import pvenum here: {probe.stderr.decode()[-200:]}")
        run = subprocess.run([sys.executable, "-m", "pvenum", "main", col, "--json"], capture_output=True,
                             cwd=top, env={**os.environ, "PVENUM_NO_CACHE": "1", "HOME": top}, timeout=120, **user)
        assert b"internal error" not in run.stderr, run.stderr
        assert run.returncode == 3 and run.stderr.decode().strip() == \
            f"pvenum: error: {os.path.join(col, 'sub', 'cpuid')}: cannot read: Permission denied", run.stderr
    finally:
        os.chmod(os.path.join(top, "col", "sub"), 0o755)
        shutil.rmtree(top)


def test_a_link_out_of_a_directory_is_named_not_read(cli, tmp_path):
    """`main DIR` walks a directory as `inspect` does, after GNU grep -r, which follows
    "symbolic links only if they are on the command line" (grep(1), -r): a scenario file and a
    bundle directory linked in from outside are named on stderr and not resolved; a link that
    stays inside is; the outside scenario named on the command line is resolved."""
    host = tmp_path / "host"
    host.mkdir()
    shutil.copy(SCENARIOS / "azure-tdx-paravisor.toml", host / "outside.toml")
    proc = cli("build", "azure-snp-paravisor", "-o", str(host / "snp"))
    assert proc.returncode == 0, proc.stderr
    coll = tmp_path / "fleet"
    coll.mkdir()
    shutil.copy(SCENARIOS / "bare-metal.toml", coll / "metal.toml")
    (coll / "again.toml").symlink_to("metal.toml")
    (coll / "outside.toml").symlink_to(host / "outside.toml")
    (coll / "snp").symlink_to(host / "snp", target_is_directory=True)
    proc = cli("main", str(coll), "--json")
    assert proc.returncode == 0, proc.stderr
    assert sorted(r["scenario"] for r in json.loads(proc.stdout)) == ["bare-metal", "bare-metal"]
    assert proc.stderr.decode().splitlines() == [
        f"pvenum: warning: {coll}/{name}: a symlink leading out of {coll} (to {host}/{name}): not read"
        for name in ("outside.toml", "snp")]
    (row,) = _json(cli, str(coll / "outside.toml"))
    assert row["scenario"] == "azure-tdx-paravisor"


def test_a_file_named_itself_over_the_input_limit_is_the_limit_error(cli, tmp_path):
    """A file named on the command line is read as inspect reads one: past the input limit it
    is the limit error (exit 3), not passed by as a walk passes a big unrelated file by."""
    from pvenum import _io

    big = tmp_path / "vmlinux"
    with open(big, "wb") as fh:
        fh.truncate(_io.MAX_INPUT_BYTES + 1)
    proc = cli("main", str(big), "--json")
    assert proc.returncode == cli("inspect", str(big)).returncode == 3, proc.stderr
    assert f"larger than the {_io.MAX_INPUT_BYTES}-byte input limit" in proc.stderr.decode()


def test_a_bad_base_is_named_once(cli, tmp_path):
    # "base b.cpuid: b.cpuid: not a CPUID dump" had named the file twice.
    (tmp_path / "b.cpuid").write_text("hello\n")
    (tmp_path / "s.toml").write_text('[scenario]\nname = "s"\ndescription = "d"\nbase = "b.cpuid"\n')
    proc = cli("resolve", str(tmp_path / "s.toml"))
    assert proc.returncode == 3
    assert f"scenario at scenario.base: base {tmp_path}/b.cpuid: not a CPUID dump" in proc.stderr.decode()
    assert proc.stderr.decode().count("b.cpuid") == 1


def test_a_walked_capture_is_opened_once_and_loaded_as_stored(tmp_path, monkeypatch):
    # The walk reads each file once (its format and the bytes the load gets), and hands the load
    # the bytes as stored: a capture gzipped twice is inflated once, as `pvenum inspect` reads it
    # (gzip(1) -d gives back the inner stream), so it is no capture here either; the walk had
    # inflated it twice.
    import gzip

    from pvenum import _io
    from pvenum.userplatforms import NothingUsable, entries

    capture = (DATA / "cpuid" / "kvm-amd-zen5.cpuid").read_bytes()
    (tmp_path / "a.cpuid").write_bytes(capture)
    (tmp_path / "b.cpuid.gz").write_bytes(gzip.compress(gzip.compress(capture)))
    (tmp_path / "more").mkdir()  # a directory beside them: a collection, not one bundle
    opened: list[str] = []
    real = _io.open_input
    monkeypatch.setattr(_io, "open_input", lambda path, **kw: (opened.append(str(path)), real(path, **kw))[1])
    got = entries([str(tmp_path)])
    assert len(got) == 1 and got[0].name.endswith("a.cpuid")
    assert sorted(opened) == [str(tmp_path / "a.cpuid"), str(tmp_path / "b.cpuid.gz")]
    with pytest.raises(NothingUsable):
        entries([str(tmp_path / "b.cpuid.gz")])


def test_a_directory_above_a_bundle_swapped_for_a_link_out_is_not_read(tmp_path, monkeypatch):
    """The walk tells a bundle by its files, the load reads it: a directory above the bundle
    swapped for a link out in between must not lead the read out of the PATH walked (the load
    reads inside the walk's boundary: pvenum._io.Within.inner)."""
    from pvenum import userplatforms
    from pvenum.build import write_bundle
    from pvenum.scenario import catalog

    host, coll = tmp_path / "host", tmp_path / "fleet"
    for top, name in ((host, "tdx"), (coll, "snp")):
        sc = catalog.get({"tdx": "azure-tdx-paravisor", "snp": "azure-snp-paravisor"}[name])
        write_bundle(sc.platform(), top / "rack" / "m0", name=sc.name, description=sc.description)
    from pvenum import target

    load = target.load_target

    def swapped_before_the_load(path, **kw):  # after every check the walk made by name
        shutil.rmtree(coll / "rack")
        (coll / "rack").symlink_to(host / "rack", target_is_directory=True)
        return load(path, **kw)

    monkeypatch.setattr(target, "load_target", swapped_before_the_load)
    refused = []
    try:
        found = userplatforms.entries([str(coll)], refused.append)
    except userplatforms.NothingUsable:
        found = []
    assert found == [] and len(refused) == 1
    assert f"a symlink leading out of {coll}" in refused[0].message


def test_a_link_out_of_a_bundle_met_in_a_walk_is_the_bundles_error(tmp_path):
    """A bundle is read as a bundle wherever it is met: a link in it leading out of it is its
    error (pvenum.bundle.read_bundle), not a file the walk passes over."""
    from pvenum import _io, userplatforms
    from pvenum.build import write_bundle
    from pvenum.scenario import catalog

    sc = catalog.get("azure-snp-paravisor")
    bundle = tmp_path / "fleet" / "m0"
    write_bundle(sc.platform(), bundle, name=sc.name, description=sc.description)
    (tmp_path / "outside.txt").write_text("x")
    (bundle / "notes.txt").symlink_to(tmp_path / "outside.txt")
    with pytest.raises(_io.LeadsOut) as exc:
        userplatforms.entries([str(tmp_path / "fleet")], lambda err: None)
    assert exc.value.path == str(bundle / "notes.txt")
