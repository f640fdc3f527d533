"""The draft devicetree encoding of the paravisor services record and its binding."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from arm_helpers import apply_edits, codes, evidence, rebuilt
from pvtest import record_strategies
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pvenum import fdt
from pvenum.acpi import AcpiTableSet
from pvenum.fdt import DeviceTree
from pvenum.platform import Platform
from pvenum.proposal import acpi_encoding, cpuid_encoding, dt_encoding
from pvenum.proposal.codes import INTERFACE_BY_NAME, ISOLATION_BY_NAME
from pvenum.proposal.record import Interface, ParavisorServices
from pvenum.resolver import resolve
from pvenum.scenario import catalog

ROOT = Path(__file__).resolve().parents[2]
BINDING = ROOT / "docs" / "bindings" / "paravisor-services.yaml"

interfaces, records = record_strategies()

CCA_RECORD = ParavisorServices(
    isolation="cca", guest_in_charge=False, paravisor_accepts_memory=True, shared_gpa_boundary_bits=47,
    attestation=Interface("rsi-host-call", param0=0x10), vtpm=Interface("mmio", param0=0x0C000000, param1=0x5000),
)


def through_blob(tree: DeviceTree) -> DeviceTree:
    return fdt.parse(fdt.build(tree))


# -- encode / decode ----------------------------------------------------------------------------------


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(records)
def test_dt_decodes_to_the_record_the_cpuid_and_acpi_encodings_carry(record):
    dec = dt_encoding.decode_tree(through_blob(dt_encoding.install(None, record)))
    assert dec.problems == [] and dec.record == record
    assert (dec.where, dec.channel) == ("dt /firmware/paravisor", "dt")
    table = acpi_encoding.encode(record)
    assert acpi_encoding.decode_table(table).record == dec.record
    dump = cpuid_encoding.install(catalog.get("kvm").platform().cpuid, record)
    assert cpuid_encoding.decode(dump).record == dec.record


def test_the_node_as_the_binding_describes_it():
    tree = dt_encoding.install(None, CCA_RECORD)
    node = tree.get_node("/firmware/paravisor")
    assert list(node.properties) == ["compatible", "version", "isolation", "guest-not-in-charge",
                                     "paravisor-accepts-memory", "shared-gpa-boundary-bits"]
    assert node.properties["guest-not-in-charge"] == b"" and node.u32("shared-gpa-boundary-bits") == 47
    assert [c.name for c in node.children] == ["attestation", "vtpm"]
    vtpm = node.child("vtpm")
    assert vtpm.properties["param0"] == bytes.fromhex("000000000c000000") and vtpm.u32("param1") == 0x5000
    # In charge, no acceptance, no boundary, no services: the optional parts disappear.
    bare = dt_encoding.encode(ParavisorServices(isolation="tdx", guest_in_charge=True, paravisor_accepts_memory=False))
    assert list(bare) == ["compatible", "version", "isolation"]
    # install() replaces an existing record and keeps the rest of the tree.
    again = dt_encoding.install(tree, CCA_RECORD.with_(vtpm=None))
    assert [c.name for c in again.get_node("/firmware").children] == ["paravisor"]
    assert [c.name for c in again.get_node("/firmware/paravisor").children] == ["attestation"]
    assert dt_encoding.decode_platform(Platform()) is None
    assert dt_encoding.decode_tree(DeviceTree()) is None


def mutate(**changes) -> DeviceTree:
    """CCA_RECORD's tree with properties of /firmware/paravisor (or "child:prop") set (None deletes)."""
    tree = dt_encoding.install(None, CCA_RECORD)
    node = tree.get_node("/firmware/paravisor")
    for key, value in changes.items():
        key = key.replace("_", "-")
        target = node
        if ":" in key:
            child, key = key.split(":")
            target = node.child(child)
        if value is None:
            target.delete_property(key)
        else:
            target.set(key, value)
    return through_blob(tree)


@pytest.mark.parametrize("changes,record_ok,problem", [
    ({"version": 2}, True, "record version 2; this decoder knows version 1"),
    ({"version": None}, False, "no version property"),
    ({"version": b"\0\0\0\0\0\0\0\1"}, False, "version is 8 bytes; expected one u32 cell"),
    ({"isolation": "sgx"}, False, "unknown isolation 'sgx'"),
    ({"isolation": b"\x01\x02"}, False, "isolation is not one string"),
    ({"isolation": ["cca", "tdx"]}, False, "isolation is not one string"),
    ({"guest_not_in_charge": b"\0\0\0\1"}, True, "guest-not-in-charge is a boolean property but has a 4-byte value"),
    ({"shared_gpa_boundary_bits": 0}, True, "shared-gpa-boundary-bits = 0; must be 1-63"),
    ({"shared_gpa_boundary_bits": b"\x2f"}, True, "shared-gpa-boundary-bits is 1 bytes"),
    ({"vendor,extra": "x"}, True, "unknown property 'vendor,extra'"),
    ({"status": "disabled"}, False, "status = 'disabled': the node is disabled, no record"),
    ({"attestation:kind": "smc"}, True, "attestation: unknown interface kind 'smc'"),
    ({"attestation:param0": 0x10}, True, "attestation: param0 must be a u64"),
    ({"vtpm:param1": None}, True, "vtpm: param1 must be one u32 cell"),
    ({"vtpm:version": 256}, True, "vtpm: version must be one u32 cell holding 0-255"),
])
def test_malformed_properties_are_problems(changes, record_ok, problem):
    dec = dt_encoding.decode_tree(mutate(**changes))
    assert dec is not None and (dec.record is not None) == record_ok
    assert any(problem in p for p in dec.problems), dec.problems


def test_placement_and_duplicates_are_problems():
    tree = dt_encoding.install(None, CCA_RECORD)
    misplaced = DeviceTree()
    node = misplaced.root.add_child("paravisor-services")
    for name, value in dt_encoding.encode(CCA_RECORD).items():
        node.set(name, value)
    dec = dt_encoding.decode_tree(through_blob(misplaced))
    assert dec.where == "dt /paravisor-services" and dec.record == CCA_RECORD.with_(attestation=None, vtpm=None)
    assert "the binding puts it at /firmware/paravisor" in dec.problems[0]
    tree.root.children.append(misplaced.root.children[0])
    tree.root._by_name = None
    dec = dt_encoding.decode_tree(through_blob(tree))
    assert dec.record == CCA_RECORD and "2 nodes are compatible" in dec.problems[-1]
    weird = dt_encoding.install(None, CCA_RECORD)
    weird.get_node("/firmware/paravisor").add_child("debug")
    assert "unknown child node 'debug'" in dt_encoding.decode_tree(weird).problems[0]


def test_find_nodes_is_of_find_compatible_node_and_follows_edits():
    # drivers/of/base.c of_find_compatible_node(NULL, NULL, compat): every node in document order
    # whose compatible list holds the string itself (not a prefix or a substring of another).
    tree = dt_encoding.install(None, CCA_RECORD)
    record = tree.get_node("/firmware/paravisor")
    assert dt_encoding.find_nodes(tree) == [record]
    early = tree.root.add_child("aaa")  # document order: /firmware comes first, it was added first
    early.set("compatible", ["vendor,x", "linux,paravisor-services"])
    assert dt_encoding.find_nodes(tree) == [record, early]  # the memo saw the edit
    early.set("compatible", "linux,paravisor-services")  # the record's own value
    assert dt_encoding.find_nodes(tree) == [record, early]
    early.set("compatible", ["linux,paravisor-services-v2", "xlinux,paravisor-services"])
    assert dt_encoding.find_nodes(tree) == [record]
    early.set("compatible", b"linux,paravisor-service\0linux,paravisor-services-\0")  # prefixes only
    assert dt_encoding.find_nodes(tree) == [record]
    early.set("compatible", b"linux,paravisor-services")  # the whole value, even without its NUL
    assert dt_encoding.find_nodes(tree) == [record, early]
    early.delete_property("compatible")
    record.delete_property("compatible")
    assert dt_encoding.find_nodes(tree) == [] and dt_encoding.decode_tree(tree) is None
    installed = through_blob(dt_encoding.install(tree, CCA_RECORD))  # kept: paths climb the tree
    found = [n for n in installed.walk() if "linux,paravisor-services" in (n.strings("compatible") or [])]
    assert [n.path for n in dt_encoding.find_nodes(installed)] == [n.path for n in found] == \
        ["/firmware/paravisor"]


def test_decoder_fuzz_problems_never_exceptions():
    seed = dt_encoding.install(None, CCA_RECORD)
    names = ["compatible", "version", "isolation", "guest-not-in-charge", "paravisor-accepts-memory",
             "shared-gpa-boundary-bits", "status", "kind", "param0", "param1", "junk"]
    targets = ["/firmware/paravisor", "/firmware/paravisor/attestation", "/firmware/paravisor/vtpm"]
    values = st.one_of(st.binary(max_size=24), st.sampled_from([b"", b"cca\0", b"\0\0\0\1", b"okay\0", b"mmio\0",
                                                                 b"linux,paravisor-services\0", b"\xff" * 8]))

    @settings(max_examples=600, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
    @given(st.lists(st.tuples(st.sampled_from(targets), st.sampled_from(names), st.one_of(st.none(), values)),
                    max_size=8),
           st.lists(st.sampled_from(["attestation", "tdisp", "vtpm", "x", "attestation"]), max_size=3))
    def run(edits, extra_children):
        tree = apply_edits(seed.copy(), edits)
        for child in extra_children:
            tree.get_node("/firmware/paravisor").add_child(child).set("kind", b"\xfe")
        tree = through_blob(tree)
        dec = dt_encoding.decode_tree(tree)
        if dec is None:  # the compatible was mutated away
            assert not dt_encoding.find_nodes(tree)
            return
        assert dec.channel == "dt" and isinstance(dec.problems, list)
        assert dec.record is not None or dec.problems
        if dec.record is not None:
            # A record read back re-encodes to a node that decodes to itself.
            assert dt_encoding.decode_tree(dt_encoding.install(None, dec.record)).record == dec.record
        # The proposal model takes the same tree without an exception.
        resolve(Platform(arch="arm64", fdt=tree), "proposal")

    run()


# -- the binding ------------------------------------------------------------------------------------


def binding_example() -> str:
    """The DTS of the binding's ``examples:`` entry (a YAML block scalar, indentation removed)."""
    text = BINDING.read_text()
    block = text.split("examples:\n", 1)[1]
    lines = block.splitlines()
    assert lines[0].strip() == "- |"
    body = []
    for line in lines[1:]:
        if line and not line.startswith("    "):
            break
        body.append(line[4:])
    return "\n".join(body)


def test_binding_example_compiles_with_dtc_and_decodes_to_the_expected_record():
    from pvtest import need_tool

    need_tool("dtc")
    dts = "/dts-v1/;\n/ {\n" + binding_example() + "\n};\n"
    tree = fdt.from_dts(dts)
    dec = dt_encoding.decode_tree(tree)
    assert dec.problems == [] and dec.record == CCA_RECORD
    # The example is the record of the cca-realm-paravisor scenario, byte for byte.
    built = catalog.get("cca-realm-paravisor").platform().fdt.get_node("/firmware/paravisor")
    assert tree.get_node("/firmware/paravisor").same_as(built)


def test_binding_lists_every_property_the_decoder_knows():
    text = BINDING.read_text()
    for prop in ("compatible", "version", "isolation", "guest-not-in-charge", "paravisor-accepts-memory",
                 "shared-gpa-boundary-bits", "kind", "param0", "param1"):
        assert re.search(rf"^\s+{re.escape(prop)}:$", text, re.M), prop
    assert "const: linux,paravisor-services" in text and "additionalProperties: false" in text
    assert f"enum: [{', '.join(ISOLATION_BY_NAME)}]" in text
    assert f"enum: [{', '.join(INTERFACE_BY_NAME)}]" in text
    for key in ("$id:", "$schema:", "title:", "maintainers:", "description:", "required:", "examples:"):
        assert key in text


def test_binding_passes_dt_doc_validate_when_installed(tmp_path):
    # dtschema (a test dependency) installs it beside this interpreter, which need not be on PATH.
    tool = shutil.which("dt-doc-validate", path=os.pathsep.join([str(Path(sys.executable).parent),
                                                                 os.environ.get("PATH", "")]))
    if tool is None:
        pytest.skip("dt-doc-validate not installed (pip install dtschema)")
    dest = tmp_path / "firmware" / "linux,paravisor-services.yaml"
    dest.parent.mkdir()
    dest.write_text(BINDING.read_text())
    res = subprocess.run([tool, "-u", str(tmp_path), str(dest)], capture_output=True, text=True, timeout=120)
    assert res.returncode == 0, res.stdout + res.stderr


# -- the proposal model reads it ------------------------------------------------------------------


def test_proposal_evidence_names_the_dt_properties(tmp_path):
    d = resolve(rebuilt(catalog.get("cca-realm-paravisor").platform(), tmp_path), "proposal")
    ev = evidence(d)
    assert ev["dt /firmware/paravisor"] == "present"
    assert ev["dt /firmware/paravisor:guest-not-in-charge"] is True
    assert ev["dt /firmware/paravisor:paravisor-accepts-memory"] is True
    assert ev["dt /firmware/paravisor:isolation"] == "cca" and ev["dt /firmware/paravisor:version"] == 1
    assert ev["dt /firmware/paravisor/attestation"] is True and ev["dt /firmware/paravisor/tdisp"] is False
    assert d.output["record_channels"] == ["dt /firmware/paravisor"]
    assert d.services["attestation"].via == "paravisor rsi-host-call 0x10"
    assert d.services["vtpm"].via == "paravisor mmio 0xc000000 (+0x5000)"


def test_proposal_evidence_reads_the_node_of_find_compatible_node_returned():
    # A same-named sibling with a unit address first: the path /firmware/paravisor would stop at
    # it (libfdt), but the guest reads the node of_find_compatible_node() returned, as decode does.
    p = catalog.get("cca-realm-paravisor").platform()
    firmware = p.fdt.get_node("/firmware")
    decoy = firmware.add_child("paravisor@0")
    decoy.set("isolation", "tdx")
    firmware.children.insert(0, firmware.children.pop())
    firmware._by_name = None
    assert p.fdt.get_node("/firmware/paravisor") is decoy
    d = resolve(p, "proposal")
    ev = evidence(d)
    assert ev["dt /firmware/paravisor:isolation"] == "cca" == d.output["record"]["isolation"]
    assert ev["dt /firmware/paravisor:compatible"] == ["linux,paravisor-services"]


def test_malformed_dt_record_is_a_finding():
    p = catalog.get("cca-realm-paravisor").platform()
    p.fdt.get_node("/firmware/paravisor").set("isolation", "sgx")
    d = resolve(p, "proposal")
    assert codes(d)["proposal.record-malformed.dt"] == "warning"
    assert d.mode == "not-confidential"  # no usable record, RSI hidden: today's signals say nothing


# -- the same record through DT and ACPI on arm64 --------------------------------------------------


def _arm_views(record: ParavisorServices, tmp_path: Path | None) -> dict[str, dict]:
    def base() -> Platform:
        p = catalog.get("cca-realm-paravisor").platform()
        p.fdt.get_node("/firmware").delete_child("paravisor")
        return p

    out = {}
    for channel in ("dt", "acpi"):
        p = base()
        if channel == "dt":
            p.fdt = dt_encoding.install(p.fdt, record)
        else:
            # An ACPI-booted view: the EFI stub's DT holds nothing else (dt_is_stub()).
            stub = DeviceTree()
            stub.root.add_child("chosen")
            p.fdt = stub
            from pvenum.acpi import builders
            from pvenum.acpi.constants import ARM_PSCI_COMPLIANT, FADT_HW_REDUCED_ACPI

            p.acpi = AcpiTableSet([builders.fadt(revision=6, flags=FADT_HW_REDUCED_ACPI,
                                                 arm_boot_flags=ARM_PSCI_COMPLIANT),
                                   builders.aml_table("DSDT"), acpi_encoding.encode(record)])
        if tmp_path is not None:
            p = rebuilt(p, tmp_path, channel)
        d = resolve(p, "proposal")
        out[channel] = {"mode": d.mode, "isolation": d.isolation, "memory_acceptance": d.memory_acceptance,
                        "hypervisor": d.hypervisor, "services": {k: v.to_dict() for k, v in d.services.items()},
                        "state": d.output["state"], "record": d.output["record"],
                        "findings": sorted(f.code for f in d.findings)}
    return out


@pytest.mark.parametrize("record", [
    CCA_RECORD,
    CCA_RECORD.with_(guest_in_charge=True, paravisor_accepts_memory=False, vtpm=None),
    CCA_RECORD.with_(isolation="none"),
    CCA_RECORD.with_(paravisor_accepts_memory=False, tdisp=Interface("hypercall", param0=0x100)),
], ids=["paravisor", "in-charge", "no-isolation", "nobody-accepts"])
def test_dt_and_acpi_encodings_resolve_the_same_on_arm64(record, tmp_path):
    views = _arm_views(record, tmp_path)
    assert views["dt"] == views["acpi"]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(records)
def test_dt_and_acpi_encodings_resolve_the_same_on_arm64_for_any_record(record):
    views = _arm_views(record, None)
    assert views["dt"] == views["acpi"]


def test_service_evidence_is_read_from_the_record_node_itself():
    # decode_node() reads the services from the children of the node of_find_compatible_node()
    # returned; the evidence must name those children, not what a path lookup reaches from an
    # earlier sibling of the same name (or a "vtpm@0" unit node, which decode_node() rejects).
    from pvenum.fdt.model import Node
    from pvenum.platform import Platform
    from pvenum.proposal.codes import ISOLATION_BY_NAME, INTERFACE_BY_NAME
    from pvenum.proposal.record import Interface, ParavisorServices
    from pvenum.resolver import resolve

    rec = ParavisorServices(isolation=list(ISOLATION_BY_NAME)[1], guest_in_charge=False,
                            attestation=Interface(list(INTERFACE_BY_NAME)[0]))
    tree = dt_encoding.install(None, rec)
    node = dt_encoding.find_nodes(tree)[0]
    node.add_child("vtpm@0").set("kind", "mmio")
    parent = node.parent
    decoy = Node(node.name, parent)  # an earlier same-named sibling, not compatible
    parent.children.insert(0, decoy)
    parent._by_name = None
    decoy.add_child("vtpm").set("kind", "mmio")
    decoy._edited()
    d = resolve(Platform(arch="arm64", fdt=tree), "proposal")
    offered = {e.source: e.value for e in d.evidence if (e.name or "").endswith("service offered")}
    assert offered == {f"dt {node.path}/{n}": n == "attestation" for n in ("attestation", "tdisp", "vtpm")}
    assert d.output["record"]["vtpm"] is None and d.output["record"]["attestation"] is not None
