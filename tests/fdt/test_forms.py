"""The other forms of a devicetree: DTS (through dtc), /proc/device-tree directories,
and objects of the pure-Python ``fdt`` package."""

from __future__ import annotations

import json
import os
import re

import pytest
from fdt_blobs import DATA, blob_params, need_tool, run_cli, valid_blob, valid_blobs

from pvenum import tools
from pvenum.fdt import dtc as dtc_bridge
from pvenum.fdt import build, from_dts, from_pyfdt, parse, read_fs, to_dts, to_pyfdt
from pvenum.fdt.model import DeviceTree

BLOBS = blob_params()


# -- DTS ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["values", "phandles", "realm-guest"])
def test_from_dts_is_what_dtc_compiles(name):
    need_tool("dtc")
    tree = from_dts((DATA / "dts" / f"{name}.dts").read_text())
    assert tree.same_as(parse((DATA / "dts" / f"{name}.dtb").read_bytes()))


def test_dts_text_keeps_every_byte():
    need_tool("dtc")
    tree = parse(valid_blobs()["dts/values.dtb"])
    text = to_dts(tree)
    assert '"tab\\there"' in text and "/memreserve/ 0x00000000ffff0000" in text
    assert "with-empty = [61 00 00 62 00];" in text  # dtc's rule: more NULs than letters is bytes
    again = from_dts(text)
    assert again.same_as(tree)


def test_dtc_version_is_detected():
    assert need_tool("dtc").version_tuple >= (1, 4)


def test_missing_dtc_is_reported_not_fatal(tmp_path):
    src = tmp_path / "x.dts"
    src.write_text("/dts-v1/;\n/ { };\n")
    env = {"PATH": str(tmp_path)}  # nothing called dtc there
    res = run_cli("inspect", str(src), env=env)
    assert res.returncode == 3
    assert res.stderr.decode().splitlines() == [
        f"pvenum: error: {src}: dtc not found on PATH (Debian: apt-get install device-tree-compiler)"]
    # A DTB needs no dtc.
    ok = run_cli("inspect", "--json", str(DATA / "dts" / "values.dtb"), env=env)
    assert ok.returncode == 0


def test_cli_inspect_dts_json_and_dts_output():
    need_tool("dtc")
    res = run_cli("inspect", "--json", str(DATA / "dts" / "realm-guest.dts"))
    assert res.returncode == 0
    obj = json.loads(res.stdout)
    assert obj["format"] == "dts"
    assert {"path": "/psci", "properties": [
        {"name": "compatible", "value": b"arm,psci-1.0\0arm,psci-0.2\0arm,psci\0".hex()},
        {"name": "method", "value": b"smc\0".hex()}]} in obj["nodes"]
    res = run_cli("inspect", "--dts", str(DATA / "dts" / "phandles.dtb"))
    assert res.returncode == 0
    out = res.stdout.decode()
    assert out.startswith("/dts-v1/;") and "/memreserve/ 0x0000000080000000 0x0000000000010000;" in out
    assert dtc_bridge.compile_dts(out) == (DATA / "dts" / "phandles.dtb").read_bytes()


def test_dts_with_bytes_that_are_not_utf8_is_detected_and_read_as_dtc_reads_it(tmp_path):
    # dtc's lexer reads bytes (dtc/dtc-lexer.l): a Latin-1 comment or string compiles, the
    # string's bytes kept as written. Such a file is still DTS, not "content not recognised",
    # and its tree is the blob dtc itself writes.
    need_tool("dtc")
    src = b'/dts-v1/;\n// J\xe9r\xf4me\n/ {\n\tmodel = "J\xe9r\xf4me";\n};\n'
    blob = tools.run("dtc", ["-I", "dts", "-O", "dtb", "-o", "out.dtb", "in.dts"], inputs={"in.dts": src},
                     collect=["out.dtb"]).files["out.dtb"]
    want = parse(blob)
    assert want.root.properties.get("model") == b"J\xe9r\xf4me\0"
    path = tmp_path / "latin1.dts"
    path.write_bytes(src)
    res = run_cli("inspect", "--json", str(path))
    assert res.returncode == 0, res.stderr
    obj = json.loads(res.stdout)
    assert obj["format"] == "dts"
    assert obj["nodes"] == [{"path": n.path, "properties": [{"name": k, "value": v.hex()} for k, v in n.property_items()]}
                            for n in want.walk()]


# -- /proc/device-tree directories ------------------------------------------------------------


def write_fs(tree: DeviceTree, root) -> None:
    """The directory form Linux exposes: a directory per node, a file per property."""
    for node in tree.walk():
        d = os.path.join(root, *node.path.split("/")[1:]) if node.parent else str(root)
        os.makedirs(d, exist_ok=True)
        for name, value in node.property_items():
            with open(os.path.join(d, name), "wb") as fh:
                fh.write(value)


def _canonical(tree: DeviceTree):
    return sorted((n.path, sorted(n.property_items())) for n in tree.walk())


@pytest.mark.parametrize("name", ["qemu/virt-numa.dtb.gz", "dts/phandles.dtb",
                                  "kernel/broadcom_bcm2837-rpi-3-b-plus.dtb"])
def test_read_fs_agrees_with_dtc_fs(tmp_path, name):
    need_tool("dtc")
    tree = parse(valid_blobs()[name])
    write_fs(tree, tmp_path / "base")
    mine = read_fs(str(tmp_path / "base"))
    theirs = parse(dtc_bridge.fs_to_dtb(str(tmp_path / "base")))
    assert _canonical(mine) == _canonical(theirs) == _canonical(tree)
    # Name order (properties, then children) makes the result reproducible.
    for node in mine.walk():
        assert list(node.properties) == sorted(node.properties)
        assert [c.name for c in node.children] == sorted(c.name for c in node.children)


def test_read_fs_drops_the_name_files_linux_adds_as_dtc_does(tmp_path):
    # Linux's /proc/device-tree has a "name" file per node holding its base name (drivers/of/
    # fdt.c populate_properties() adds the property a flat tree lacks); dtc -I fs drops a name
    # equal to the base name (checks.c check_name_properties()), and so does read_fs.
    need_tool("dtc")
    tree = parse(valid_blobs()["qemu/virt-numa.dtb.gz"])
    write_fs(tree, tmp_path / "base")
    for node in tree.walk():
        if node.parent is not None:
            d = os.path.join(tmp_path / "base", *node.path.split("/")[1:])
            with open(os.path.join(d, "name"), "wb") as fh:
                fh.write(node.name.split("@", 1)[0].encode() + b"\0")
    mine = read_fs(str(tmp_path / "base"))
    theirs = parse(dtc_bridge.fs_to_dtb(str(tmp_path / "base")))
    assert _canonical(mine) == _canonical(theirs) == _canonical(tree)


def test_read_fs_caps_the_bytes_it_reads(tmp_path, monkeypatch):
    from pvenum import _io
    from pvenum.errors import LimitError

    (tmp_path / "#address-cells").write_bytes(b"\0\0\0\x02")
    for i in range(4):
        (tmp_path / f"blob{i}").write_bytes(b"\xff" * 1000)
    assert len(read_fs(str(tmp_path)).root.properties) == 5
    monkeypatch.setattr(_io, "MAX_INPUT_BYTES", 3000)
    with pytest.raises(LimitError, match="3000 bytes"):
        read_fs(str(tmp_path))


def test_read_fs_bounds_a_listing_before_it_sorts_it(tmp_path, monkeypatch):
    # A node directory holding more entries than a whole tree may (nodes and properties) is
    # refused as it is listed, not held and sorted first.
    from pvenum.errors import LimitError
    from pvenum.fdt import fs

    (tmp_path / "#address-cells").write_bytes(b"\0\0\0\x02")
    for i in range(4):
        (tmp_path / f"p{i}").write_bytes(b"x")
    monkeypatch.setattr(fs, "MAX_NODES", 2)
    monkeypatch.setattr(fs, "MAX_PROPERTIES", 2)
    with pytest.raises(LimitError, match="more than 4 entries"):
        read_fs(str(tmp_path))


def test_dt_fs_directory_through_load_path_and_cli(tmp_path):
    tree = parse(valid_blobs()["qemu/virt-gicv3.dtb.gz"])
    base = tmp_path / "firmware" / "devicetree" / "base"
    write_fs(tree, base)
    res = run_cli("inspect", "--json", str(base))
    assert res.returncode == 0
    lines = res.stdout.decode().splitlines()
    assert len(lines) == 1
    obj = json.loads(lines[0])
    assert obj["format"] == "dt-fs" and obj["header"] is None and obj["reservations"] == []
    assert sorted(n["path"] for n in obj["nodes"]) == sorted(n.path for n in tree.walk())
    # A symlink loop or a link out of the tree is not followed.
    os.symlink(str(base), str(base / "loop"))
    assert read_fs(str(base)).get_node("/loop") is None


# -- the fdt package ----------------------------------------------------------------------------


@pytest.mark.parametrize("path", BLOBS)
def test_pyfdt_round_trip_is_lossless(path):
    fdt = pytest.importorskip("fdt")
    tree = parse(valid_blob(path))
    if any(n.has_repeated_properties for n in tree.walk()):
        pytest.skip("the fdt package holds one value per property name")
    obj = to_pyfdt(tree)
    assert isinstance(obj, fdt.FDT)
    assert from_pyfdt(obj).same_as(tree)
    assert parse(obj.to_dtb(version=17)).same_as(tree)


def test_what_the_fdt_package_cannot_hold_is_a_parse_error():
    # libfdt accepts both; the fdt package refuses them with assert and a bare Exception.
    pytest.importorskip("fdt")
    from pvenum.errors import ParseError

    twins = DeviceTree()
    twins.root.add_child("n")
    twins.root.add_child("n")
    escape = DeviceTree()
    escape.root.add_child("n\x1b")
    control = DeviceTree()
    control.root.set("a\x01", b"")
    for tree, where in ((twins, "node '/n'"), (escape, "node '/n\\x1b'"), (control, "property /:'a\\x01'")):
        with pytest.raises(ParseError, match=re.escape(f"cannot hold {where}: ")):
            to_pyfdt(parse(build(tree)))
    with pytest.raises(ParseError, match="no root node"):
        from_pyfdt(object())


@pytest.mark.parametrize("path", BLOBS)
def test_from_pyfdt_reads_what_fdt_parsed(path):
    fdt = pytest.importorskip("fdt")
    data = valid_blob(path)
    try:
        obj = fdt.parse_dtb(data)
    except Exception as err:  # noqa: BLE001 - the fdt package fails on NOPs (molejar/pyFDT#19)
        pytest.skip(f"fdt.parse_dtb fails: {err}")
    # Our conversion reads the objects the way fdt's own serialiser writes them.
    assert from_pyfdt(obj).same_as(parse(obj.to_dtb(version=17)))
    if parse(obj.to_dtb(version=17)).root.same_as(parse(data).root):
        assert from_pyfdt(obj).root.same_as(parse(data).root)


# -- this machine's own devicetree, when it has one (Arm hosts) ----------------------------------


def test_this_machines_devicetree_when_present():
    from pathlib import Path

    from pvenum.formats import load_path

    fdt_file, base = Path("/sys/firmware/fdt"), Path("/sys/firmware/devicetree/base")
    if not fdt_file.exists() and not base.is_dir():
        pytest.skip("this machine exposes no devicetree (/sys/firmware/fdt, /sys/firmware/devicetree/base)")
    if fdt_file.exists():
        (art,) = list(load_path(fdt_file))
        assert art.format == "dtb" and art.tree.root.properties
    if base.is_dir():
        (art,) = list(load_path(base))
        assert art.format == "dt-fs"
        if fdt_file.exists():
            # The live tree is the boot blob unflattened (plus `name` properties and any
            # overlays): the root's identity is the same.
            flat = parse(fdt_file.read_bytes())
            assert art.tree.root.properties.get("compatible") == flat.root.properties.get("compatible")


def test_forced_format_is_honoured(cli):
    dts = "tests/data/fdt/dts/realm-guest.dts"
    proc = cli("inspect", "--format", "dtb", dts)  # a DTS read as a blob: bad magic, not compiled
    assert proc.returncode == 3 and b"dtb at offset 0x00: bad magic" in proc.stderr
    assert cli("inspect", "--format", "dts", "--json", dts).returncode == 0


def test_read_fs_refuses_a_property_swapped_for_a_link_out(tmp_path, monkeypatch):
    # /proc/device-tree copied from an untrusted machine: a property file replaced by a link to
    # the reading machine's file after the walk looked at it must not be read into the tree.
    from pvenum import _io

    secret = tmp_path / "secret"
    secret.write_bytes(b"host\0")
    base = tmp_path / "base"
    base.mkdir()
    (base / "compatible").write_bytes(b"guest\0")
    looked = _io.entry_lstat

    def swapped_after_the_look(entry):
        st = looked(entry)
        if entry.name == "compatible":
            os.unlink(entry.path)
            os.symlink(secret, entry.path)
        return st

    monkeypatch.setattr(_io, "entry_lstat", swapped_after_the_look)
    with pytest.raises(_io.LeadsOut):
        read_fs(str(base))
