"""A platform or an artifact as ordered flat maps ``{named field: Value}``, one per channel.

Field names are the keys of ``pvenum textconv`` lines (``KEY = VALUE``), so what a reviewer
sees in ``git diff`` and in ``pvenum diff`` is spelled the same way:

- cpuid: ``cpuid 0x4000000c.0 eax`` (register), ``cpuid 0x4000000c.0 eax[0]
  HV_PARAVISOR_PRESENT`` (named field, from pvenum/cpuid/leaves.py) and, for formats that
  carry them (kvm_cpuid2, Firecracker templates), ``cpuid 0x00000007.0 flags``. The diff adds
  ``cpuid 0x40000000.0 signature`` (the vendor string) and keeps flags that are clear, which
  textconv leaves out for brevity; a clear flag is "quiet" (see :class:`Value`).
- msr: ``msr 0xc0010131`` and ``msr 0xc0010131[2] SNP_ENABLED``.
- snp: ``snp vmpl``; smccc: ``smccc 0xc4000190 RSI_VERSION``.
- fdt: ``/path:property`` with the typed DTS reading (raw bytes in ``Value.raw``), ``node
  /path`` for each node, ``header.totalsize`` … and ``/memreserve/ N``.
- acpi: the ACPI artifact's own textconv lines, ``FACP.HypervisorId``, ``APIC[3].GICC.Flags``;
  flags and enumerations are annotated with their meaning (``0x00100030 (PWR_BUTTON | …)``);
  AML byte runs (``DSDT.AmlCode[0x0020]`` lines) are folded into one ``DSDT.AmlCode`` field.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from typing import Any, Iterable, Iterator

CHANNELS = ("platform", "cpuid", "msr", "snp", "tdx", "fdt", "smccc", "acpi")


@dataclass(frozen=True, slots=True)
class Value:
    """One field's value: ``text`` for people, ``raw`` when the bytes say more (DT values).

    ``quiet`` marks a value that only counts when the other side has the same field too: a
    clear CPUID/MSR flag (its register line already shows a vanished leaf), a leaf's KVM flags
    word (absent from formats without one) and the FDT header (absent from DTS-built trees).
    """

    text: str
    raw: str | None = None
    quiet: bool = False
    # A definition block's whole table (DSDT/SSDT ``AmlCode`` fields): a changed one is shown
    # as an ASL diff (pvenum.acpi.asl). Not compared: ``raw`` holds the AML itself.
    aml_table: bytes | None = field(default=None, compare=False)


FlatMap = dict[str, Value]


# -- x86 --------------------------------------------------------------------------------------


def cpuid_fields(dump: Any) -> FlatMap:
    from ..cpuid.decode import flags_field, named_fields

    # A leaf's flags count only when both sides carry them: `cpuid -r` text states none, so
    # it against a kvm_cpuid2 copy of the same dump is no difference (pvenum.bundle's copies).
    flagged = {flags_field(leaf, sub) for leaf, sub in dump.flags}
    return {k: Value(text, quiet=quiet or k in flagged) for k, text, quiet in named_fields(dump)}


def msr_fields(msrs: Any) -> FlatMap:
    from ..cpuid.decode import msr_named_fields

    return {k: Value(text, quiet=quiet) for k, text, quiet in msr_named_fields(msrs)}


def facts_fields(channel: str, facts: Any) -> FlatMap:
    """SNP or TDX facts (pvenum.cpuid.model SnpFacts, TdxFacts), each named as platform.toml's
    [snp] and [tdx] tables state it: "snp vmpl", "tdx attributes"."""
    from ..report import num_text

    return {f"{channel} {k}": Value(num_text(v)) for k, v in facts.to_dict().items()}


def _split_lines(lines: Iterable[str]) -> Iterator[tuple[str, str]]:
    """``KEY = VALUE`` lines (textconv form) as pairs; other lines are ``(line, "present")``."""
    for line in lines:
        if not line or line.startswith("#"):
            continue
        key, sep, value = line.partition(" = ")
        yield (key, value) if sep else (line, "present")


def smccc_fields(smccc: Any) -> FlatMap:
    return {k: Value(v) for k, v in _split_lines(smccc.textconv())}


# -- devicetree ---------------------------------------------------------------------------------


def fdt_fields(tree: Any) -> FlatMap:
    from ..fdt.values import guess, printable

    out: FlatMap = {}
    h = tree.header
    if h is not None:
        for name, value in h.present():  # a field the version lacks is absent, not what lies there
            out[f"header.{name}"] = Value(f"0x{value:x}", quiet=True)
    elif getattr(tree, "boot_cpuid_phys", 0):
        out["header.boot_cpuid_phys"] = Value(f"0x{tree.boot_cpuid_phys:x}", quiet=True)
    for i, (address, size) in enumerate(tree.reservations):
        out[f"/memreserve/ {i}"] = Value(f"0x{address:016x} 0x{size:016x}")
    for node in tree.walk():
        path = printable(node.path)
        out[f"node {path}"] = Value("present")
        seen: dict[str, int] = {}
        for name, raw in node.property_items():
            key = f"{path}:{printable(name)}"
            n = seen.get(key, 0) + 1
            seen[key] = n
            if n > 1:  # a repeated property name (a hostile or hand-made blob)
                key = f"{key}#{n}"
            text = guess(name, raw, node).text if raw else "(empty)"
            out[key] = Value(text, raw=raw.hex())
    return out


# -- ACPI ----------------------------------------------------------------------------------------

_CHUNK = re.compile(r"^(?P<prefix>.*)\[0x(?P<off>[0-9A-F]{4,})\]$")


def _acpi_meanings(table: Any, label: str) -> dict[str, str]:
    """textconv key -> short meaning of an integer value (flag names, enumerations)."""
    from ..acpi import names

    out: dict[str, str] = {}
    try:
        leaves = list(table.leaves())
    except Exception:  # the ACPI model decides what it can decode; meanings are a garnish
        return out
    for leaf in leaves:
        if not isinstance(leaf.value, int) or isinstance(leaf.value, bool):
            continue
        path = leaf.path
        if path.startswith("["):
            idx = int(path[1:path.index("]")])
            rest = path[path.index("]") + 2:]
            if idx >= len(table.subtables) or rest == "type":
                continue
            sub = table.subtables[idx]
            meaning = names.meaning(table.name, rest.rsplit(".", 1)[-1], leaf.value, subtable=sub.name)
            key = f"{label}[{idx}].{sub.name}.{rest}"
        else:
            if path == "HypervisorId":
                continue  # textconv already spells it
            meaning = names.meaning(table.name, path.rsplit(".", 1)[-1], leaf.value)
            key = f"{label}.{path}"
        if meaning:
            out[key] = meaning
    return out


def acpi_table_fields(table: Any, label: str) -> FlatMap:
    from ..acpi.render import textconv

    meanings = _acpi_meanings(table, label)
    out: FlatMap = {}
    chunks: dict[str, list[str]] = {}
    for key, value in _split_lines(textconv(table, label=label)):
        m = _CHUNK.match(key)
        if m and re.fullmatch(r"[0-9a-f]*", value):
            prefix = m.group("prefix")
            if prefix not in chunks:
                chunks[prefix] = []
                out[prefix] = Value("")  # placeholder keeps the field where it was
            chunks[prefix].append(value)
            continue
        meaning = meanings.get(key)
        out[key] = Value(f"{value} ({meaning})" if meaning else value)
    from ..acpi.asl import is_aml

    for prefix, parts in chunks.items():
        data = bytes.fromhex("".join(parts))
        digest = hashlib.sha256(data).hexdigest()[:16]
        whole = table.to_bytes() if prefix == f"{label}.AmlCode" and is_aml(table.signature) else None
        out[prefix] = Value(f"{len(data)} bytes, sha256 {digest}…", raw=data.hex(), aml_table=whole)
    return out


def acpi_labels(signatures: list[str]) -> list[str]:
    from ..acpi.acpidump import instance_names

    return instance_names(signatures)


def acpi_fields(tables: list[Any], labels: list[str] | None = None) -> FlatMap:
    labels = labels or acpi_labels([t.signature for t in tables])
    out: FlatMap = {}
    for table, label in zip(tables, labels):
        out.update(acpi_table_fields(table, label))
    return out


# -- whole inputs -------------------------------------------------------------------------------


# The channels of [snp]/[tdx] facts, flattened alike (the platform's and an artifact's).
FACT_CHANNELS = ("snp", "tdx")


def flatten_platform(platform: Any) -> dict[str, FlatMap]:
    """Every channel of a Platform (scenario, bundle, built directory)."""
    out: dict[str, FlatMap] = {"platform": {"arch": Value(platform.arch)}}
    if platform.cpuid is not None:
        out["cpuid"] = cpuid_fields(platform.cpuid)
    if platform.msr:
        out["msr"] = msr_fields(platform.msr)
    for channel in FACT_CHANNELS:
        facts = getattr(platform, channel)
        if facts is not None:
            out[channel] = facts_fields(channel, facts)
    if platform.fdt is not None:
        out["fdt"] = fdt_fields(platform.fdt)
    if platform.smccc is not None:
        out["smccc"] = smccc_fields(platform.smccc)
    if platform.acpi is not None:
        out["acpi"] = acpi_fields(list(platform.acpi.tables))
    return out


def flatten_artifacts(artifacts: list[Any], *, acpi_by_signature: bool = False) -> dict[str, FlatMap]:
    """The artifacts of one file (or one dt-fs directory), channel by channel.

    ACPI tables keep the artifact's label (FACP, SSDT2) unless ``acpi_by_signature``: then
    they are named by signature order, so that ``ssdt1.dat`` and ``ssdt3.dat`` compare.
    """
    out: dict[str, FlatMap] = {}
    acpi: list[Any] = []
    for art in artifacts:
        fmt = getattr(art, "format", "")
        if hasattr(art, "dump"):  # CPUID formats
            out.setdefault("cpuid", {}).update(cpuid_fields(art.dump))
            if art.msrs:
                out.setdefault("msr", {}).update(msr_fields(art.msrs))
        elif hasattr(art, "tree"):  # dtb, dts, dt-fs
            out.setdefault("fdt", {}).update(fdt_fields(art.tree))
        elif hasattr(art, "table"):  # acpi-table (also from acpidump text)
            acpi.append(art)
        elif fmt == "platform-toml":
            if art.arch:
                out.setdefault("platform", {})["arch"] = Value(art.arch)
            if art.msr:
                out.setdefault("msr", {}).update(msr_fields(art.msr))
            for channel in FACT_CHANNELS:
                if getattr(art, channel) is not None:
                    out.setdefault(channel, {}).update(facts_fields(channel, getattr(art, channel)))
            if art.smccc is not None:
                out.setdefault("smccc", {}).update(smccc_fields(art.smccc))
        else:  # an artifact kind this module does not know: its textconv lines
            out.setdefault(fmt or "other", {}).update({k: Value(v) for k, v in _split_lines(art.textconv())})
    if acpi:
        tables = [a.table for a in acpi]
        labels = None if acpi_by_signature else [a.label for a in acpi]
        out["acpi"] = acpi_fields(tables, labels)
    return {c: out[c] for c in [*CHANNELS, *sorted(set(out) - set(CHANNELS))] if c in out}
