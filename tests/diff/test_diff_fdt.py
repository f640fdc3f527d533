"""pvenum diff on devicetrees: pairs of QEMU `dumpdtb` configurations (tests/data/fdt/qemu/RECIPES)."""

from __future__ import annotations

import json

from pvenum.diff import diff_targets
from pvtest import DATA, need_tool


def _by_field(changes):
    return {c.field: c for c in changes}


def test_gic_version_2_vs_3(qemu_dtbs):
    """-machine virt,gic-version=2 vs gic-version=3: the interrupt controller node changes."""
    result = diff_targets(str(qemu_dtbs["virt-gicv2"]), str(qemu_dtbs["virt-gicv3"]))
    assert result.kind == "devicetree" and list(result.raw) == ["fdt"]
    fdt = _by_field(result.raw["fdt"])
    compat = fdt["/intc@8000000:compatible"]
    assert (compat.a, compat.b) == ('"arm,cortex-a15-gic"', '"arm,gic-v3"')
    assert compat.raw_b == b"arm,gic-v3\0".hex()  # the bytes beside the typed reading
    assert fdt["/intc@8000000:#redistributor-regions"].a is None
    assert fdt["/intc@8000000:#redistributor-regions"].b == "<0x1>"
    # GICv2m MSI frame replaced by a GICv3 ITS: nodes and their properties vanish and appear.
    assert (fdt["node /intc@8000000/v2m@8020000"].a, fdt["node /intc@8000000/v2m@8020000"].b) == ("present", None)
    assert fdt["/intc@8000000/its@8080000:compatible"].b == '"arm,gic-v3-its"'
    # The PPI flags cell: GICv2 encodes the CPU mask (0x104), GICv3 does not (0x4).
    assert (fdt["/pmu:interrupts"].a, fdt["/pmu:interrupts"].b) == ("<0x1 0x7 0x104>", "<0x1 0x7 0x4>")
    # Everything else is summarized, not listed.
    assert "/memory@40000000:reg" not in fdt and result.unchanged["fdt"] > 200


def test_smp4_adds_cpu_nodes(qemu_dtbs):
    result = diff_targets(str(qemu_dtbs["virt-gicv3"]), str(qemu_dtbs["virt-smp4"]))
    fdt = _by_field(result.raw["fdt"])
    for n in (1, 2, 3):
        assert fdt[f"node /cpus/cpu@{n}"].a is None and fdt[f"node /cpus/cpu@{n}"].b == "present"
        assert fdt[f"/cpus/cpu@{n}:reg"].b == f"<0x{n:x}>"
    assert "node /cpus/cpu@0" not in fdt


def test_dtb_cli_json_carries_raw_bytes(qemu_dtbs, cli):
    r = cli("diff", str(qemu_dtbs["virt-gicv2"]), str(qemu_dtbs["virt-gicv3"]), "--format", "json", "--exit-code")
    assert r.returncode == 1, r.stderr
    doc = json.loads(r.stdout)
    row = next(c for c in doc["raw"]["fdt"] if c["field"] == "/intc@8000000:compatible")
    assert row["raw_a"] == b"arm,cortex-a15-gic\0".hex()


def test_dts_against_its_dtb():
    """The source and the blob dtc made from it (tests/data/fdt/dts) hold the same tree."""
    need_tool("dtc")
    d = DATA / "fdt" / "dts"
    result = diff_targets(str(d / "values.dts"), str(d / "values.dtb"))
    assert result.kind == "devicetree"
    assert [c.field for c in result.raw["fdt"] if not c.field.startswith("header.")] == []
