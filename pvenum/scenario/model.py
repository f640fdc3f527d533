"""Scenario TOML: a platform described the way people think about it.

    [scenario]
    name = "azure-snp-paravisor"
    description = "SNP behind the Hyper-V paravisor (Azure-like)"
    source = "where the values come from"
    arch = "x86_64"            # x86_64 | arm64
    cpu = "amd"                # x86 base dump: amd | intel (default: what the isolation needs)
    base = "zen.txt"           # or: a CPUID capture as the base (any CPUID format pvenum reads, e.g.
                               # an InstLatx64 AIDA64 report), relative to this file; sets cpu
    hypervisor = "hyperv"      # none | kvm | hyperv | xen | vmware | tcg | acrn | bhyve | jailhouse
    isolation = "sev-snp"      # none | vbs | sev | sev-es | sev-snp | tdx | cca

    [paravisor]                # a paravisor owns the trust boundary
    hides = ["isolation-cpuid"]   # what it filters from the guest's view (see HIDES)
    shared_gpa_boundary_bits = 46
    confidential_vmbus = false # Hyper-V: 0x40000082.eax[3] (HYPERV_VS_PROPERTIES_EAX_CONFIDENTIAL_VMBUS_AVAILABLE)

    [svsm]                     # SNP only: an SVSM at VMPL0, the guest above it
    vmpl = 2
    vtpm = true

    [services]                 # the draft paravisor services record (docs/proposal.md)
    encodings = ["cpuid", "dt", "acpi"]
    guest_in_charge = false
    attestation = { kind = "tpm-nv-index", param0 = 0x01400001 }

    [firmware]
    acpi = true                # ACPI tables (default: x86 yes; arm64 no)
    dt = true                  # a devicetree (default: arm64 yes; x86 no)

    [expect.linux]             # what each model should derive (pvenum/expect.py; `pvenum check`)
    mode = "paravisor"

    [override.cpuid]           # raw overrides, applied last
    "0x8000001f" = [0x0100ff7b, 0x41b3, 0, 0]    # leaf or "leaf.subleaf"; [] removes the leaf
    [override.msr]
    "0xc0010131" = 0xdf
    [override.snp]             # SNP facts outside CPUID: VMPL, CC blob, secrets page, GHCB answers
    cc_blob = false
    ghcb_hv_features = 0x3     # GHCB HV_FEATURES: SNP | AP_CREATION (no MULTI_VMPL)
    [override.tdx]             # TDG.VP.INFO: TD attributes (bit 28 SEPT_VE_DISABLE), GPAW
    attributes = 0x10000000
    gpa_width = 52
    [override.smccc]
    "0xc4000190" = [-1, 0, 0, 0]
    [override.dt]
    "/psci:method" = "hvc"     # "path:property" = string | [u32 cells] | bytes as "hex:..."; "/node" = {} adds a node; = false deletes
    [override.acpi]
    "FACP.HypervisorId" = "KVMKVMKV"   # "SIG.Field" = integer | ASCII identifier; "SIG" = false drops a table
    "PVSR.Tdisp.Param0" = 0x200        # a field inside a structure field
    "APIC.MPWakeup" = false            # drops the table's subtables of that name

Every key is checked; an error names the key (``ScenarioError``).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping

from .. import tomlvalues as V
from ..errors import ScenarioError
from ..expect import Expectation, parse_expectations
from ..proposal.record import ParavisorServices
from ..resolver.derivation import ISOLATIONS
from .refs import base_path

ARCHES = V.ARCHES
HYPERVISORS = ("none", "kvm", "hyperv", "xen", "vmware", "tcg", "acrn", "bhyve", "jailhouse")
ENCODINGS = ("cpuid", "dt", "acpi")
# What a paravisor can hide from its guest:
#   isolation-cpuid  the guest's own CC enlightenment in CPUID (0x8000001f SEV bits, leaf 0x21)
#   isolation-leaf   Hyper-V's HV_ISOLATION bit and leaves past 0x40000005 (OpenHCL OPENHCL_HIDE_ISOLATION)
#   rsi              Arm CCA: RSI calls from the guest are not answered (the paravisor owns the RMM ABI)
HIDES = ("isolation-cpuid", "isolation-leaf", "rsi")

TOP = {"scenario", "paravisor", "svsm", "services", "firmware", "expect", "override"}
SCENARIO_KEYS = {"name", "description", "source", "arch", "cpu", "base", "hypervisor", "isolation"}


def _table(doc: Mapping[str, Any], key: str, known: set[str] | None = None) -> dict[str, Any]:
    return V.table(doc.get(key, {}), key, known)


@dataclass
class Paravisor:
    hides: tuple[str, ...] = ("isolation-cpuid",)
    shared_gpa_boundary_bits: int | None = None
    confidential_vmbus: bool = False


@dataclass
class Svsm:
    vmpl: int = 2
    vtpm: bool = True


@dataclass
class Scenario:
    name: str
    description: str
    arch: str = "x86_64"
    cpu: str | None = None
    base: str | None = None  # path of a CPUID capture used as the x86 base dump, as the scenario names it
    base_at: str | None = field(default=None, compare=False)  # that file on the disk, as read
    hypervisor: str = "kvm"
    isolation: str = "none"
    source: str = ""
    paravisor: Paravisor | None = None
    svsm: Svsm | None = None
    services: ParavisorServices | None = None
    encodings: tuple[str, ...] = ()
    acpi: bool = False
    dt: bool = False
    expect: dict[str, Expectation] = field(default_factory=dict)  # [expect.MODEL], see pvenum.expect
    override: dict[str, dict[str, Any]] = field(default_factory=dict)
    path: str | None = None
    text: str = ""
    # The base's CPUID dump, read once when the file was (compile_platform builds from it, so a
    # base that changes or goes away later — a git tree's temporary copy — changes nothing).
    base_dump: Any = field(default=None, repr=False, compare=False)

    def platform(self) -> Any:
        from .compile import compile_platform

        try:
            return compile_platform(self)
        except ScenarioError as err:
            raise err.with_path(self.path) if self.path else err

    def to_summary(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "description": self.description,
            "arch": self.arch,
            "hypervisor": self.hypervisor,
            "isolation": self.isolation,
            "paravisor": self.paravisor is not None,
            "svsm": self.svsm is not None,
            "encodings": list(self.encodings),
            "source": self.source,
        }


def parse_scenario(text: str, path: str | None = None, *, build: bool = True, on_disk: Any = None) -> Scenario:
    """A scenario from its TOML text, every key checked. ``build`` (the default) also builds the
    platform once, so an override or a record the encodings cannot carry is refused when the
    file is read, not when it is first built (the catalog, built by its tests, skips it).
    ``on_disk`` (pvenum.formats.OnDisk): where the file lies when ``path`` only names it (a git
    ``REV:path`` written elsewhere): the base is read beside it, from within its tree, and
    named beside ``path``."""
    try:
        doc = V.loads(text)
    except ScenarioError as err:
        raise err.with_path(path) if path else err from None
    try:
        sc = _from_doc(doc, text, path, on_disk)
    except ScenarioError as err:
        raise err.with_path(path) if path else err
    if build:
        sc.platform()
    return sc


def _from_doc(doc: Mapping[str, Any], text: str, path: str | None, on_disk: Any) -> Scenario:
    for k in doc:
        if k not in TOP:
            raise ScenarioError(f"unknown table; a scenario has {', '.join(sorted(TOP))}", key=k)
    sc = _table(doc, "scenario", SCENARIO_KEYS)
    for req in ("name", "description"):
        if not isinstance(sc.get(req), str) or not sc.get(req):
            raise ScenarioError("required (a non-empty string)", key=f"scenario.{req}")
    if not isinstance(sc.get("source", ""), str):
        raise ScenarioError("expected a string", key="scenario.source")
    name = sc["name"]
    if not all(ch.isalnum() or ch in "-_." for ch in name) or name.startswith("."):
        raise ScenarioError("use letters, digits, '-', '_' and '.' (it names a directory)", key="scenario.name")
    arch = V.choice(sc.get("arch", "x86_64"), ARCHES, "scenario.arch")
    isolation = V.choice(sc.get("isolation", "none"), ISOLATIONS, "scenario.isolation")
    hypervisor = V.choice(sc.get("hypervisor", "kvm"), HYPERVISORS, "scenario.hypervisor")
    cpu = sc.get("cpu")
    if cpu is not None:
        V.choice(cpu, ("amd", "intel"), "scenario.cpu")
    base = sc.get("base")
    base_dump = base_at = None
    if base is not None:
        if not isinstance(base, str) or not base:
            raise ScenarioError("expected a file name (a CPUID capture)", key="scenario.base")
        if arch != "x86_64":
            raise ScenarioError("a CPUID base is x86's", key="scenario.base")
        from .compile import load_base

        shown = base_path(base, path)
        if on_disk is not None and (top := on_disk.shown_dir(path or "")).endswith(":"):
            shown = top + str(Path(base))  # REV:base, beside a scenario at the top of a git tree
        base_at = base_path(base, on_disk.file if on_disk is not None else path)
        if on_disk is not None and on_disk.tree is not None and not _within(base_at, on_disk.tree):
            raise ScenarioError(f"base {shown} lies outside the git tree the scenario is read from", key="scenario.base")
        base_dump = load_base(base_at, shown=shown)  # read once, kept for compile_platform
        base = shown
        base_cpu = _base_vendor(base_dump)
        if cpu is not None and cpu != base_cpu:
            raise ScenarioError(f"the base dump is {base_cpu}, not {cpu}", key="scenario.cpu")
        cpu = base_cpu
    if arch == "arm64" and isolation not in ("none", "cca"):
        raise ScenarioError(f"{isolation} is an x86 technology; arm64 has none or cca", key="scenario.isolation")
    if arch == "x86_64" and isolation == "cca":
        raise ScenarioError("cca is Arm's; x86_64 has vbs, sev, sev-es, sev-snp or tdx", key="scenario.isolation")
    if isolation == "vbs" and hypervisor != "hyperv":
        raise ScenarioError("VBS isolation is Hyper-V's", key="scenario.isolation")
    if isolation != "none" and hypervisor == "none":
        raise ScenarioError("a confidential VM needs a hypervisor", key="scenario.hypervisor")
    if cpu == "intel" and isolation in ("sev", "sev-es", "sev-snp"):
        raise ScenarioError("SEV needs an AMD CPU", key="scenario.cpu")
    if cpu == "amd" and isolation == "tdx":
        raise ScenarioError("TDX needs an Intel CPU", key="scenario.cpu")

    paravisor = None
    if "paravisor" in doc:
        pv = _table(doc, "paravisor", {"hides", "shared_gpa_boundary_bits", "confidential_vmbus"})
        hides = pv.get("hides", ["isolation-cpuid"])
        if not isinstance(hides, list):
            raise ScenarioError("expected a list", key="paravisor.hides")
        for i, h in enumerate(hides):
            V.choice(h, HIDES, f"paravisor.hides[{i}]")
        bits = pv.get("shared_gpa_boundary_bits")
        if bits is not None:
            bits = V.in_range(bits, "paravisor.shared_gpa_boundary_bits", 0, 63)
        if isolation == "none":
            raise ScenarioError("a paravisor needs an isolation technology", key="paravisor")
        cvmbus = V.boolean(pv.get("confidential_vmbus", False), "paravisor.confidential_vmbus")
        if cvmbus and hypervisor != "hyperv":
            raise ScenarioError("confidential VMBus is Hyper-V's", key="paravisor.confidential_vmbus")
        paravisor = Paravisor(tuple(hides), bits, cvmbus)

    svsm = None
    if "svsm" in doc:
        sv = _table(doc, "svsm", {"vmpl", "vtpm"})
        if isolation != "sev-snp":
            raise ScenarioError("an SVSM needs isolation = \"sev-snp\"", key="svsm")
        svsm = Svsm(V.in_range(sv.get("vmpl", 2), "svsm.vmpl", 1, 3), V.boolean(sv.get("vtpm", True), "svsm.vtpm"))

    services = None
    encodings: tuple[str, ...] = ()
    if "services" in doc:
        sv = dict(_table(doc, "services"))
        enc = sv.pop("encodings", ["cpuid"] if arch == "x86_64" else ["dt"])
        if not isinstance(enc, list) or not enc:
            raise ScenarioError("expected a non-empty list", key="services.encodings")
        for i, e in enumerate(enc):
            V.choice(e, ENCODINGS, f"services.encodings[{i}]")
        if "cpuid" in enc and arch != "x86_64":
            raise ScenarioError("the CPUID encoding is x86's", key="services.encodings")
        encodings = tuple(enc)
        sv.setdefault("isolation", isolation)
        sv.setdefault("guest_in_charge", paravisor is None)
        if paravisor is not None and paravisor.shared_gpa_boundary_bits:
            sv.setdefault("shared_gpa_boundary_bits", paravisor.shared_gpa_boundary_bits)
        services = ParavisorServices.from_dict(sv, key="services")

    fw = _table(doc, "firmware", {"acpi", "dt"})
    acpi = V.boolean(fw.get("acpi", arch == "x86_64" or "acpi" in encodings), "firmware.acpi")
    dt = V.boolean(fw.get("dt", arch == "arm64" or "dt" in encodings), "firmware.dt")
    if "acpi" in encodings and not acpi:
        raise ScenarioError("the ACPI encoding needs firmware.acpi = true", key="firmware.acpi")
    if "dt" in encodings and not dt:
        raise ScenarioError("the DT encoding needs firmware.dt = true", key="firmware.dt")

    expect = parse_expectations(doc.get("expect", {}))

    override = _table(doc, "override", {"cpuid", "msr", "snp", "tdx", "smccc", "dt", "acpi"})
    for k, v in override.items():
        if not isinstance(v, dict):
            raise ScenarioError("expected a table", key=f"override.{k}")
    if arch != "x86_64" and any(k in override for k in ("cpuid", "msr", "snp", "tdx")):
        raise ScenarioError("CPUID, MSR, SNP and TDX overrides are x86's", key="override")
    if arch != "arm64" and "smccc" in override:
        raise ScenarioError("SMCCC answers are Arm's", key="override.smccc")
    if "dt" in override and not dt:
        raise ScenarioError("this scenario builds no devicetree (firmware.dt = false)", key="override.dt")
    if "acpi" in override and not acpi:
        raise ScenarioError("this scenario builds no ACPI tables (firmware.acpi = false)", key="override.acpi")

    return Scenario(
        name=name, description=sc["description"], arch=arch, cpu=cpu, base=base, hypervisor=hypervisor,
        isolation=isolation, source=sc.get("source", ""), paravisor=paravisor, svsm=svsm, services=services,
        encodings=encodings, acpi=acpi, dt=dt, expect=expect, override=override, path=path, text=text,
        base_at=base_at, base_dump=base_dump,
    )


def _within(path: str, tree: str) -> bool:
    from .._io import is_within

    # realpath, not Path.resolve(): a symlink loop is then a base that cannot be read, not a RuntimeError.
    return is_within(Path(os.path.realpath(path)), Path(os.path.realpath(tree)))


def _base_vendor(dump: Any) -> str:
    """amd or intel, from the vendor string of the base's CPUID ``dump``."""
    vendor = dump.vendor
    cpu = {"AuthenticAMD": "amd", "GenuineIntel": "intel"}.get(vendor or "")
    if cpu is None:
        raise ScenarioError(f"the base dump's vendor is {vendor!r}; AuthenticAMD or GenuineIntel is needed",
                            key="scenario.base")
    return cpu


def load_scenario_file(path: str | Path) -> Scenario:
    from .. import _io

    data = _io.read_bytes(path)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        raise ScenarioError(f"not UTF-8 text (byte {err.start})", path=str(path)) from None
    return parse_scenario(text, str(path))
