"""The DTB artifact: the JSON contract of docs/contracts.md, textconv, rendering, platform contribution."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest
from fdt_blobs import DATA, ROOT, libfdt_view, run_cli, valid_blobs
from pvtest import imported_modules

from pvenum.fdt import parse
from pvenum.fdt.artifact import DtbArtifact, load
from pvenum.fdt.constants import HEADER_FIELDS
from pvenum.platform import platform_from_artifacts


def test_json_is_the_inspect_contract_and_agrees_with_libfdt():
    data = valid_blobs()["dts/phandles.dtb"]
    (art,) = load(data, "phandles.dtb")
    obj = art.to_json()
    assert list(obj) == ["format", "path", "header", "reservations", "nodes"]
    assert obj["format"] == "dtb" and obj["path"] == "phandles.dtb"
    ref = libfdt_view(data)
    assert obj["header"] == ref["header"] and list(obj["header"]) == list(HEADER_FIELDS)
    assert all(type(v) is int for v in obj["header"].values())
    assert obj["reservations"] == [{"address": a, "size": s} for a, s in ref["reservations"]]
    assert obj["nodes"] == [{"path": p, "properties": [{"name": n, "value": v.hex()} for n, v in props]}
                            for p, props in ref["nodes"]]
    assert all(re.fullmatch(r"[0-9a-f]*", p["value"]) for n in obj["nodes"] for p in n["properties"])
    json.dumps(obj)


def test_cli_json_lines_one_object_per_blob(tmp_path):
    for name in ("values.dtb", "phandles.dtb"):
        (tmp_path / name).write_bytes((DATA / "dts" / name).read_bytes())
    (tmp_path / "notes.txt").write_text("not an artifact\n")
    res = run_cli("inspect", "--json", str(tmp_path))
    assert res.returncode == 0, res.stderr
    objs = [json.loads(line) for line in res.stdout.decode().splitlines()]
    assert [o["path"] for o in objs] == [str(tmp_path / "phandles.dtb"), str(tmp_path / "values.dtb")]
    values = parse((DATA / "dts" / "values.dtb").read_bytes())
    assert objs[1]["header"]["size_dt_struct"] == values.header.size_dt_struct


def test_repeated_properties_all_appear_in_json():
    (art,) = load(valid_blobs()["handmade/ok_repeated_names.dtb"], "x.dtb")
    root = art.to_json()["nodes"][0]
    assert [p["name"] for p in root["properties"]] == ["a", "b", "a"]


def test_textconv_one_line_per_property_with_typed_and_hex():
    tree = parse(valid_blobs()["qemu/virt-gicv3.dtb.gz"])
    lines = list(DtbArtifact(tree, "virt.dtb").textconv())
    assert lines[0].startswith("dtb magic=0xd00dfeed totalsize=0x100000 ")
    props = [ln for ln in lines if not ln.startswith(("dtb ", "node ", "/memreserve/"))]
    assert len(props) == sum(len(n.property_items()) for n in tree.walk())
    assert '/psci:method = "hvc" [68766300]' in lines
    assert "/memory@40000000:reg = <0x0 0x40000000 0x0 0x8000000> [0000000040000000000000000800000" \
           "0]" in lines
    assert all("\n" not in ln for ln in lines)
    assert lines == list(DtbArtifact(parse(valid_blobs()["qemu/virt-gicv3.dtb.gz"]), "virt.dtb").textconv())


def test_textconv_and_render_neutralise_hostile_names():
    from pvenum.fdt import DeviceTree

    tree = DeviceTree()
    tree.root.set("evil\nname[bold]", b"\x1b[31m\0")
    tree.root.add_child("n\x1bode").set("x", 1)
    lines = list(DtbArtifact(tree, "h.dtb").textconv())
    assert "/:evil\\x0aname[bold] = [1b 5b 33 31 6d 00] [1b5b33316d00]" in lines
    assert "node /n\\x1bode" in lines
    from rich.console import Console

    con = Console(width=200, record=True, file=open("/dev/null", "w"))
    con.print(DtbArtifact(tree, "h.dtb").render())
    text = con.export_text()
    assert "evil\\x0aname[bold]" in text and "\x1b" not in text


def test_render_shows_header_reservations_typed_and_raw():
    from rich.console import Console

    tree = parse(valid_blobs()["dts/phandles.dtb"])
    con = Console(width=200, record=True, file=open("/dev/null", "w"))
    con.print(DtbArtifact(tree, "p.dtb").render())
    text = con.export_text()
    assert "off_mem_rsvmap" in text and "0x0000000080000000" in text
    assert 'clock-names = "uartclk", "apb_pclk"' in text and "string list" in text
    assert "[75617274 636c6b00 6170625f 70636c6b 00]" in text


def test_contribute_gives_the_resolver_its_tree():
    (art,) = load(valid_blobs()["dts/realm-guest.dtb"], "realm.dtb")
    platform = platform_from_artifacts([art])
    assert platform.arch == "arm64" and platform.sources["fdt"] == "realm.dtb"
    assert platform.fdt.get_node("/psci").properties.get("method") == b"smc\0"


def test_inspect_dtb_imports_only_the_dtb_channel():
    path = DATA / "dts" / "values.dtb"
    res = subprocess.run([sys.executable, "-X", "importtime", "-m", "pvenum", "inspect", "--json", str(path)],
                         capture_output=True, cwd=ROOT, timeout=120)
    assert res.returncode == 0
    modules = imported_modules(res.stderr)
    assert "pvenum.fdt.decoder" in modules
    heavy = {m for m in modules if m.startswith(("pvenum.acpi", "pvenum.cpuid", "pvenum.resolver", "pvenum.scenario",
                                                "construct", "libfdt", "fdt.", "rich"))}
    assert heavy == set()


@pytest.mark.parametrize("name", ["kernel/qcom_sc7280-herobrine-crd.dtb"])
def test_cli_inspect_renders_a_big_tree(name, tmp_path):
    p = tmp_path / "big.dtb"
    p.write_bytes(valid_blobs()[name])
    res = run_cli("inspect", str(p))
    assert res.returncode == 0 and res.stderr == b""
    assert b"qcom,sc7280" in res.stdout
