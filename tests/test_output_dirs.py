"""The output-directory rule (pvenum/_output.py OutputDir): pvenum writes into a new or empty
directory or one it wrote itself, and never removes or overwrites a file it did not write."""

from __future__ import annotations

import json
import os

import pytest

from pvenum import _output
from pvenum.build import write_bundle
from pvenum.errors import EXIT_ERROR, PvenumError
from pvenum.scenario import catalog


def _snp():
    return catalog.get("snp").platform()


def _tree(d):
    return sorted(p.relative_to(d).as_posix() for p in d.rglob("*"))


def test_foreign_directory_is_refused_untouched(tmp_path, cli):
    proj = tmp_path / "myproj"
    (proj / "src").mkdir(parents=True)
    (proj / "src" / "main.c").write_text("precious\n")
    before = _tree(proj)
    proc = cli("build", "snp", "-o", str(proj))
    assert proc.returncode == EXIT_ERROR
    err = proc.stderr.decode()
    assert err.count("\n") == 1 and err.startswith(f"pvenum: error: {proj}: output directory holds 1 file")
    assert "src/main.c" in err
    assert _tree(proj) == before and (proj / "src" / "main.c").read_text() == "precious\n"


def test_force_keeps_foreign_files(tmp_path, cli):
    proj = tmp_path / "myproj"
    (proj / "src").mkdir(parents=True)
    (proj / "src" / "main.c").write_text("precious\n")
    assert cli("build", "snp", "-o", str(proj), "--force").returncode == 0
    assert (proj / "src" / "main.c").read_text() == "precious\n"
    owned = {f["path"] for f in json.loads((proj / "manifest.json").read_text())["files"]}
    assert "src/main.c" not in owned and "cpuid" in owned
    # A second --force build of another scenario replaces pvenum's files only: the foreign file
    # survives, files the new platform does not have are dropped.
    assert cli("build", "cca-realm", "-o", str(proj), "--force").returncode == 0
    assert (proj / "src" / "main.c").read_text() == "precious\n"
    assert not (proj / "cpuid").exists() and (proj / "fdt.dtb").exists()
    # ...and without --force the directory is still refused: it holds a foreign file.
    assert cli("build", "snp", "-o", str(proj)).returncode == EXIT_ERROR


def test_force_never_overwrites_a_foreign_file_in_the_way(tmp_path):
    d = tmp_path / "d"
    d.mkdir()
    (d / "cpuid").write_text("mine\n")
    with pytest.raises(PvenumError, match="holds cpuid, which pvenum did not write"):
        write_bundle(_snp(), d, name="snp", force=True)
    assert _tree(d) == ["cpuid"] and (d / "cpuid").read_text() == "mine\n"


def test_foreign_manifest_is_not_ownership(tmp_path):
    d = tmp_path / "d"
    d.mkdir()
    (d / "manifest.json").write_text('{"files": [{"path": "notes.txt"}]}\n')  # not pvenum's
    (d / "notes.txt").write_text("keep\n")
    with pytest.raises(PvenumError, match="did not write"):
        write_bundle(_snp(), d, name="snp")
    with pytest.raises(PvenumError, match="holds manifest.json, which pvenum did not write"):
        write_bundle(_snp(), d, name="snp", force=True)
    assert (d / "notes.txt").read_text() == "keep\n"


def test_own_directory_is_rewritten(tmp_path):
    d = tmp_path / "b"
    write_bundle(_snp(), d, name="snp")
    write_bundle(catalog.get("tdx").platform(), d, name="tdx")
    listed = {f["path"] for f in json.loads((d / "manifest.json").read_text())["files"]}
    assert set(_tree(d)) - {"acpi"} == listed | {"manifest.json"}
    assert not [p for p in d.iterdir() if p.name.startswith(".")]  # no staging left behind


def test_edited_owned_file_needs_force(tmp_path):
    d = tmp_path / "b"
    write_bundle(_snp(), d, name="snp")
    (d / "platform.toml").write_text("# my notes\n")
    with pytest.raises(PvenumError, match="platform.toml changed since pvenum wrote it"):
        write_bundle(_snp(), d, name="snp")
    assert (d / "platform.toml").read_text() == "# my notes\n"
    write_bundle(_snp(), d, name="snp", force=True)  # it is pvenum's file: --force replaces it
    assert (d / "platform.toml").read_text() != "# my notes\n"


def test_empty_directory_and_dot(tmp_path, cli):
    empty = tmp_path / "e"
    empty.mkdir()
    proc = cli("build", "snp", "-o", ".", cwd=empty)
    assert proc.returncode == 0, proc.stderr
    assert (empty / "manifest.json").exists() and (empty / "cpuid").exists()
    assert cli("build", "snp", "-o", ".", cwd=empty).returncode == 0  # its own output again


def test_special_files_are_refused(tmp_path, cli):
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    for args in (("build", "snp", "-o", str(fifo)), ("snapshot", "--sysroot", str(tmp_path), "-o", str(fifo)),
                 ("convert", "snp", "--to", "cpuid-r", "-o", str(fifo))):
        proc = cli(*args)
        assert proc.returncode == EXIT_ERROR, args
        assert "is a FIFO" in proc.stderr.decode()
        assert fifo.is_fifo()
    d = tmp_path / "own"
    write_bundle(_snp(), d, name="snp")
    (d / "cpuid").unlink()
    os.mkfifo(d / "cpuid")  # a FIFO where pvenum's own file was: never written through
    with pytest.raises(PvenumError, match="has a FIFO at cpuid"):
        write_bundle(_snp(), d, name="snp", force=True)
    assert (d / "cpuid").is_fifo()


def test_symlinks_pointing_outside_are_refused(tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "x").write_text("x\n")
    base = tmp_path / "base"
    base.mkdir()
    (base / "link").symlink_to(outside)
    with pytest.raises(PvenumError, match="is a symlink pointing outside"):
        write_bundle(_snp(), base / "link", name="snp", force=True)
    d = tmp_path / "own"
    write_bundle(_snp(), d, name="snp")
    (d / "cpuid").unlink()
    (d / "cpuid").symlink_to(outside / "x")
    with pytest.raises(PvenumError, match="has a symlink at cpuid"):
        write_bundle(_snp(), d, name="snp", force=True)
    assert (outside / "x").read_text() == "x\n"
    with pytest.raises(PvenumError, match="is a symlink"):
        _output.atomic_write(d / "cpuid", "y")


def test_a_file_is_not_a_directory(tmp_path):
    f = tmp_path / "f"
    f.write_text("data\n")
    with pytest.raises(PvenumError, match="is a file, not a directory"):
        write_bundle(_snp(), f, name="snp")
    assert f.read_text() == "data\n"


def test_snapshot_follows_the_same_rule(tmp_path, cli):
    proj = tmp_path / "p"
    proj.mkdir()
    (proj / "keep.txt").write_text("keep\n")
    (tmp_path / "root").mkdir()
    assert cli("snapshot", "--sysroot", str(tmp_path / "root"), "-o", str(proj)).returncode == EXIT_ERROR
    assert _tree(proj) == ["keep.txt"]
    assert cli("snapshot", "--sysroot", str(tmp_path / "root"), "-o", str(proj), "--force").returncode == 0
    assert (proj / "keep.txt").read_text() == "keep\n"
    owned = {f["path"] for f in json.loads((proj / "manifest.json").read_text())["files"]}
    assert "snapshot.json" in owned and "keep.txt" not in owned


def test_build_all_checks_every_directory_first(tmp_path, cli):
    top = tmp_path / "all"
    top.mkdir()
    (top / "README").write_text("mine\n")
    assert cli("build", "--all", "-o", str(top)).returncode == EXIT_ERROR
    assert _tree(top) == ["README"]
    names = [sc.name for sc in catalog.all_scenarios()]
    (top / "README").unlink()
    (top / names[-1]).mkdir()
    (top / names[-1] / "foreign").write_text("x\n")  # the last directory is someone else's
    assert cli("build", "--all", "-o", str(top)).returncode == EXIT_ERROR
    assert _tree(top) == [names[-1], f"{names[-1]}/foreign"]  # refused before the first was written


@pytest.mark.skipif(os.geteuid() != 0, reason="creating a device node needs root")
def test_a_device_node_is_never_replaced(tmp_path, cli):
    import stat

    dev = tmp_path / "full"
    os.mknod(dev, stat.S_IFCHR | 0o666, os.makedev(1, 7))  # what /dev/full is (Documentation/admin-guide/devices.txt)
    for args in (("build", "snp", "-o", str(dev)), ("convert", "snp", "--to", "cpuid-r", "-o", str(dev))):
        proc = cli(*args)
        assert proc.returncode == EXIT_ERROR and "is a character device" in proc.stderr.decode(), args
        assert stat.S_ISCHR(dev.lstat().st_mode)
