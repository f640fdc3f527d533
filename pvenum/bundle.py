"""A bundle directory read as one platform, and what is wrong with it.

A bundle (what ``pvenum build`` and ``pvenum snapshot`` write, or any directory of artifacts)
states one platform, often several times: ``cpuid``, ``cpuid.kvm`` and ``cpuid-template.json``
are three copies of one CPUID dump, ``fdt.dtb`` and ``fdt.dts`` of one devicetree,
``acpi/*.dat`` and ``acpidump.txt`` of one table set, and ``manifest.json`` hashes every file.
Resolution reads one copy per channel, so an edit to another copy would change nothing a
reader sees. :func:`read_bundle` therefore keeps, beside the artifacts:

- every file it could not read (a file whose name or manifest entry says what it is, or whose
  content was recognised, but which does not parse): the file, the format and the offset;
- every field on which two copies of one channel disagree;
- every file whose bytes do not match its manifest entry.

These are :class:`BundleProblem`s. ``pvenum verify`` prints them; ``resolve``, ``diff``,
``audit`` and the matrix see them as error findings of every model (``Platform.problems``).
Files are named as the user named the bundle — ``HEAD:bundle/cpuid.kvm`` for a git tree, never
the temporary directory it was unpacked into.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import _io
from ._io import MANIFEST
from .errors import ParseError, PvenumError
from .formats import FORMATS_BY_NAME, OnDisk, _is_dt_fs_dir, detect, load_path
from .kconfig import BUNDLE_NAME as KERNEL_CONFIG
from .kconfig import KernelConfig, parse_kconfig
from .diff.maps import compare_maps
from .platform import Platform, PlatformBuilder, platform_from_artifacts

# What `pvenum build` calls each file (pvenum/build.py); a bundle without a manifest is read
# with the same expectations, so a damaged `cpuid` is reported instead of skipped.
KNOWN_NAMES = {
    "cpuid": "cpuid-r", "cpuid.kvm": "kvm_cpuid2", "cpuid-template.json": "firecracker-template",
    "platform.toml": "platform-toml", "fdt.dtb": "dtb", "fdt.dts": "dts", "acpidump.txt": "acpidump",
}

UNREADABLE = "bundle.unreadable"
DISAGREE = "bundle.copies-disagree"
MANIFEST_MISMATCH = "bundle.manifest-mismatch"


@dataclass(frozen=True)
class BundleProblem:
    """One thing wrong with a bundle, named by file (and channel, field, format, offset)."""

    code: str  # UNREADABLE | DISAGREE | MANIFEST_MISMATCH
    file: str
    message: str
    channel: str | None = None
    field: str | None = None
    fmt: str | None = None
    offset: int | None = None
    other: str | None = None  # DISAGREE: the copy this file was compared with

    def line(self) -> str:
        """``FILE: FORMAT at offset 0xNN: what`` — the error contract's shape."""
        if self.code == DISAGREE:
            return f"{self.file}: {self.channel}: {self.field}: {self.message}"
        where = f" at offset 0x{self.offset:02x}" if self.offset is not None else ""
        fmt = f"{self.fmt}{where}: " if self.fmt else ""
        return f"{self.file}: {fmt}{self.message}"

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"code": self.code, "file": self.file, "message": self.message}
        for key in ("channel", "field", "fmt", "offset", "other"):
            value = getattr(self, key)
            if value is not None:
                out["format" if key == "fmt" else key] = value
        return out


def findings(problems: list[BundleProblem]) -> list[Any]:
    """Problems as error findings: one per file and kind (a flipped bit shows as several
    fields), the first fields named."""
    from .resolver.derivation import Finding

    groups: dict[tuple[str, str], list[BundleProblem]] = {}
    for p in problems:
        groups.setdefault((p.code, p.file), []).append(p)
    out = []
    for (code, file), ps in groups.items():
        if code == DISAGREE:
            fields = [p.field for p in ps]
            shown = "; ".join(f"{p.field}: {p.message}" for p in ps[:3])
            more = f" (+{len(fields) - 3} more)" if len(fields) > 3 else ""
            msg = f"{file} disagrees with {ps[0].other} ({ps[0].channel}): {shown}{more}; `pvenum verify` lists all"
        else:
            msg = "; ".join(p.line() for p in ps)
        out.append(Finding("error", code, msg, cite="pvenum verify (a bundle states one platform)"))
    return out


def load_bundle(path: str | Path) -> Platform:
    """A bundle directory or a single artifact file → Platform (a directory's problems in
    ``Platform.problems``)."""
    p = Path(path)
    if not p.exists():
        raise PvenumError("no such file or directory", path=str(p))
    if p.is_dir():
        b = read_bundle(p)
        platform = platform_from_artifacts(b.artifacts)
        platform.problems = list(b.problems)
        return platform
    return platform_from_artifacts(load_path(p))


@dataclass
class Bundle:
    root: Path
    label: str  # how files are named: the directory as given, or REV:path
    artifacts: list[Any] = field(default_factory=list)
    problems: list[BundleProblem] = field(default_factory=list)
    files: dict[str, str] = field(default_factory=dict)  # relative path -> sha256 of the bytes read
    by_file: dict[str, list[Any]] = field(default_factory=dict)  # relative path -> its artifacts
    formats: dict[str, str] = field(default_factory=dict)  # relative path -> format read as
    # The guest kernel's configuration (kernel.config, pvenum.kconfig): not the platform, but
    # how the kernel the linux models mirror was built.
    kernel_config: KernelConfig | None = None
    # A snapshot's kernel.log as read (what the kernel concluded: pvenum.observe), or None.
    kernel_log: bytes | None = None

    def name(self, rel: str) -> str:
        return f"{self.label.rstrip('/')}/{rel}"


def _manifest(root: Path, inside: _io.Within) -> tuple[bytes | None, bool]:
    """The manifest's bytes (None when it cannot be read) and whether the bundle has the file
    at all; read only inside the bundle, as its walk reads every file, and once: the walk
    loads and hashes these same bytes."""
    p = root / MANIFEST
    if not p.is_file():
        return None, False
    try:
        return _io.read_bytes(p, regular=True, within=inside), True
    except _io.LeadsOut:  # a link out: refused as the walk refuses one, not a manifest problem
        raise
    except PvenumError:
        return None, True  # the walk reads it again and reports why; check_manifest says so too


def manifest_entries(data: bytes) -> dict[str, dict[str, Any]] | None:
    try:
        doc = json.loads(data)
        entries = doc["files"]
        return {e["path"]: e for e in entries if isinstance(e, dict) and isinstance(e.get("path"), str)}
    except (ValueError, KeyError, TypeError, RecursionError):
        return None  # reported by check_manifest


def expected_format(rel: str, manifest: dict[str, dict[str, Any]] | None) -> str | None:
    fmt = (manifest or {}).get(rel, {}).get("format")
    if isinstance(fmt, str) and fmt in FORMATS_BY_NAME:  # hostile JSON: a list here is unhashable
        return fmt
    if rel in KNOWN_NAMES:
        return KNOWN_NAMES[rel]
    if rel.startswith("acpi/") and rel.count("/") == 1 and rel.endswith(".dat"):
        return "acpi-table"
    return None


def read_bundle(root: str | Path, *, label: str | None = None, strict: bool = False,
                files: dict[str, bytes] | None = None, names_as: str | None = None,
                within: _io.Within | None = None) -> Bundle:
    """Load every file of the bundle at ``root``; what cannot be read, or disagrees, becomes a
    problem rather than an error (a nonexistent or unlistable directory, or a symlink in it
    leading out of it, still raises).
    ``label``: the name of what ``root`` stands in for, given only when it does (a git
    ``REV:path`` unpacked into ``root``); files are then named under it. ``strict``: text captures must be the tool's own output (pvenum.formats). ``files``: the
    bundle's files as the caller read them (relative name -> bytes as stored, in walk order:
    pvenum.audit's key), loaded instead of reading the disk again, so what was keyed is what
    is loaded even while the files change. ``names_as``: the name files are given under instead
    of ``label`` or ``root`` (nothing else changes: pvenum.target.load_target). ``within``: the
    directory a walk met the bundle in, which the bundle must lie inside when it is read
    (pvenum.userplatforms: the walk's check and this read see one boundary)."""
    root = Path(root)
    b = Bundle(root, names_as if names_as is not None else label if label is not None else str(root))
    if _is_dt_fs_dir(root):  # an unflattened devicetree is one artifact, not a bundle of files
        from .fdt.artifact import load_fs

        b.artifacts = load_fs(root, within=within)
        return b
    if files is None:
        # Confined: a symlink leading out of the bundle is refused, never read, so a bundle means
        # the same on every machine (pvenum.audit keys it by the same walk).
        inside: _io.Within | None = _io.Within(root) if within is None else within.inner(root)
        raw, has_manifest = _manifest(root, inside)
        manifest = manifest_entries(raw) if raw is not None else None
        walk: Any = ((rel, full, raw if rel == MANIFEST else None)
                     for rel, full in _io.iter_file_names(root, within=inside))
    else:
        manifest = manifest_entries(files[MANIFEST]) if MANIFEST in files else None
        has_manifest = MANIFEST in files
        inside = None
        walk = ((rel, str(root / rel), stored) for rel, stored in files.items())
    # A git REV:path is unpacked into ``root``: what its files read beside them stays inside.
    tree = str(root) if label is not None else None
    for rel, full, stored in walk:
        name = b.name(rel)
        want = expected_format(rel, manifest)
        try:
            # The file opened is checked, not only its name (a link swapped in after the walk).
            data = _io.read_input(full, regular=True, within=inside) if stored is None else _io.inflate(stored, full)
        except _io.LeadsOut:
            raise
        except PvenumError as err:
            b.problems.append(_unreadable(err, name, want))
            continue
        b.files[rel] = hashlib.sha256(data).hexdigest()
        if rel == MANIFEST:  # the bundle's index (read above), never one of its artifacts
            continue
        if rel == _io.KERNEL_LOG:
            b.kernel_log = data
        if rel == KERNEL_CONFIG:  # not an artifact: how the guest's kernel was built
            _read_kernel_config(b, data, name)
            continue
        if not data:
            if want is not None:
                b.problems.append(BundleProblem(UNREADABLE, name, "empty file", fmt=want, offset=0))
            continue
        spec = FORMATS_BY_NAME[want] if want is not None else detect(data, rel)
        if spec is None:
            continue  # not an artifact (a README, notes): skipped as before
        try:
            arts = spec.load(data, name, strict=strict, on_disk=OnDisk(full, tree))
        except PvenumError as err:
            b.problems.append(_unreadable(err, name, spec.name))
            continue
        b.artifacts.extend(arts)
        b.by_file[rel] = arts
        b.formats[rel] = spec.name
    b.problems.extend(check_manifest(b, manifest, has_manifest))
    b.problems.extend(check_copies(b))
    return b


def _read_kernel_config(b: Bundle, data: bytes, name: str) -> None:
    try:
        b.kernel_config = parse_kconfig(data, name)
    except PvenumError as err:  # an empty or damaged config: the bundle is not what it says
        b.problems.append(_unreadable(err, name, "kconfig"))


def _unreadable(err: PvenumError, name: str, fmt: str | None) -> BundleProblem:
    if isinstance(err, ParseError):
        what = f"{err.field}: {err.message}" if err.field else err.message
        return BundleProblem(UNREADABLE, name, what, fmt=err.fmt, offset=err.offset)
    return BundleProblem(UNREADABLE, name, err.message, fmt=fmt)


def check_manifest(b: Bundle, manifest: dict[str, dict[str, Any]] | None, present: bool) -> list[BundleProblem]:
    """Each file the manifest lists exists with the bytes it hashed (``present``: the bundle
    has a manifest file, readable or not)."""
    if not present:
        return []
    name = b.name(MANIFEST)
    if manifest is None:
        return [BundleProblem(MANIFEST_MISMATCH, name, "not a pvenum manifest (JSON with a \"files\" list)", fmt="manifest")]
    out = []
    unreadable = {p.file for p in b.problems}  # once: a hostile manifest may list 100,000 files
    for rel, entry in manifest.items():
        digest = b.files.get(rel)
        if digest is None and b.name(rel) not in unreadable:
            out.append(BundleProblem(MANIFEST_MISMATCH, b.name(rel), f"listed in {MANIFEST} but missing", fmt="manifest"))
        elif digest is not None and digest != entry.get("sha256"):
            out.append(BundleProblem(MANIFEST_MISMATCH, b.name(rel),
                                     f"sha256 {digest[:16]}… does not match {MANIFEST} ({str(entry.get('sha256'))[:16]}…)",
                                     fmt="manifest"))
    return out


# -- copies ------------------------------------------------------------------------------------

# Which copy of a channel resolution reads (pvenum.platform.PlatformBuilder) is the reference
# the others are compared with: the CPUID dump of the best CPUID_PRIORITY and the devicetree of
# the best FDT_PRIORITY, each the first in walk order of its rank, and the first ACPI table of a
# signature (AcpiTableSet.get: canonical_order keeps walk order within a signature); the last
# copy of the arch, the MSRs, SNP and TDX facts and SMCCC answers (set_snp and set_tdx keep the
# last; add_msrs and set_smccc merge, a later value replacing an earlier one). Ranked by the
# format of the artifact that states the channel: a scenario hands its CPUID over as
# "scenario", first of all, and its devicetree as a "dtb" (Platform.contribute_to).
_FIRST_OF_RANK = {"cpuid": PlatformBuilder.CPUID_PRIORITY, "fdt": PlatformBuilder.FDT_PRIORITY, "acpi": {}}
SCENARIO = "scenario-toml"


def _order(channel: str, fmt: str, index: int) -> tuple[int, int]:
    """Where the copy at walk position ``index``, stating ``channel`` in ``fmt``, stands."""
    ranks = _FIRST_OF_RANK.get(channel)
    return (0, -index) if ranks is None else (ranks.get(fmt, len(ranks)), index)


def _named_groups(b: Bundle) -> list[tuple[str, list[Any]]]:
    """The copies of a bundle, named, in walk order: the ``acpi/*.dat`` binaries together are
    one copy of the table set; a scenario TOML is what it hands the platform (:class:`_Handed`);
    every other file is one copy. The CPUID capture a scenario of the bundle reads as its
    ``base`` (the same file on the disk) is that scenario's input, not a copy of the channel."""
    groups: dict[str, list[Any]] = {}
    bases = set()
    for rel, arts in b.by_file.items():
        if b.formats[rel] == "acpi-table":
            groups.setdefault("*.dat", []).extend(arts)
            continue
        if b.formats[rel] == SCENARIO:
            bases.update(os.path.realpath(a.scenario.base_at) for a in arts if a.scenario.base_at is not None)
            arts = [handed for a in arts for handed in _Handed.by(a)]
        groups[rel] = arts
    out = []
    for key, arts in groups.items():
        if bases and key != "*.dat" and os.path.realpath(b.root / key) in bases:
            continue
        # A partial Firecracker template applies over a dump; it is not a copy of one.
        arts = [a for a in arts if getattr(getattr(a, "template", None), "complete", True)]
        if not arts:
            continue
        name = b.name(key)
        if key == "*.dat":
            rels = [r for r, f in b.formats.items() if f == "acpi-table"]
            name = b.name("acpi/*.dat") if all(r.startswith("acpi/") for r in rels) else \
                f"the ACPI table files of {b.label}"
        out.append((name, arts))
    return out


class _Handed:
    """What a scenario artifact hands a builder (Platform.contribute_to, through the builder's
    own calls), kept as the artifacts of each channel named by the scenario file, so that its
    copies compare, and rank, as a capture's do."""

    def __init__(self) -> None:
        self.arts: list[Any] = []
        self.facts = _StatedFacts()  # a scenario always states its arch

    @classmethod
    def by(cls, art: Any) -> list[Any]:
        handed = cls()
        art.contribute(handed)
        return [*handed.arts, handed.facts]

    def add_cpuid(self, dump: Any, fmt: str, source: str) -> None:
        from .cpuid.artifact import CpuidArtifact

        self.arts.append(CpuidArtifact(fmt, source, dump))

    def set_fdt(self, tree: Any, source: str, fmt: str = "dtb") -> None:
        from .fdt.artifact import DtbArtifact

        self.arts.append(DtbArtifact(tree, source, fmt))

    def add_acpi_table(self, table: Any, source: str) -> None:
        from .acpi.artifact import AcpiArtifact

        self.arts.append(AcpiArtifact(table, source, table.signature))

    def set_arch(self, arch: str, source: str) -> None:
        self.facts.arch = arch

    def add_msrs(self, msrs: Any, source: str) -> None:
        self.facts.msr = msrs

    def set_snp(self, snp: Any, source: str) -> None:
        self.facts.snp = snp

    def set_tdx(self, tdx: Any, source: str) -> None:
        self.facts.tdx = tdx

    def set_smccc(self, answers: Any, source: str) -> None:
        self.facts.smccc = answers


@dataclass
class _StatedFacts:
    """A scenario's arch, MSRs, SNP and TDX facts and SMCCC answers, read as platform.toml's are
    (pvenum.platform_toml.PlatformToml, not imported here: it reads [expect] through
    pvenum.expect, which imports the resolver, which reads bundles — a cycle closed by run-time
    imports, which tests/test_import_graph.py refuses)."""

    arch: str | None = None
    msr: Any = None
    snp: Any = None
    tdx: Any = None
    smccc: Any = None
    format: str = "platform-toml"


def _copies(groups: list[tuple[str, list[Any]]]) -> dict[str, list[tuple[str, Any, Any]]]:
    """channel -> [(copy name, what it states, the artifact stating it)], the copy resolution
    reads first (_order)."""
    stated = sorted((_order(channel, art.format, i), channel, name, arts, art)
                    for i, (name, arts) in enumerate(groups) for channel, art in _stated(arts).items())
    out: dict[str, list[tuple[str, Any, Any]]] = {}
    first: tuple[Any, Any] | None = None  # the devicetree copy resolution reads, and what it states
    for _, channel, name, arts, art in stated:
        if channel == "fdt":
            value, first = _fdt_value(art, first)
        else:
            value = _value(channel, arts, art)
        out.setdefault(channel, []).append((name, value, art))
    return out


_FDT_FORMATS = frozenset(PlatformBuilder.FDT_PRIORITY)
_FACTS = ("snp", "tdx", "smccc")


def _stated(arts: list[Any]) -> dict[str, Any]:
    """The channels one copy states, each with the artifact stating it (the last, as the
    builder keeps it; a DTS is not compiled to say so)."""
    out: dict[str, Any] = {}
    for a in arts:
        fmt = getattr(a, "format", "")
        if getattr(a, "dump", None) is not None:
            out["cpuid"] = a
        if getattr(a, "msrs", None) or (fmt == "platform-toml" and a.msr):
            out["msr"] = a
        if fmt in _FDT_FORMATS:
            out["fdt"] = a
        if getattr(a, "table", None) is not None:
            out["acpi"] = a
        if fmt == "platform-toml":
            out.update((c, a) for c in _FACTS if getattr(a, c) is not None)
            if a.arch is not None:
                out["platform"] = a
    return out


def _value(channel: str, arts: list[Any], art: Any) -> Any:
    """What one copy (``arts``; ``art`` states ``channel`` in it) states of ``channel``, in a
    form cheap to compare (equal copies, the usual case, are never flattened into named
    fields)."""
    if channel == "acpi":
        # A guest reads the first table of a signature, so two copies holding the same SSDTs in
        # another order disagree; the order between signatures is no part of what it finds.
        return sorted(_labelled([a.table for a in arts if getattr(a, "table", None) is not None]))
    if channel == "cpuid":
        return art.dump.guest_view()  # what a guest reads: KVM flags and entry order count
    if channel == "msr":
        return dict((art.msr if art.format == "platform-toml" else art.msrs).items())
    if channel == "platform":
        return art.arch
    facts = getattr(art, channel)  # snp, tdx, smccc
    return facts.to_dict() if channel != "smccc" else (facts.answers, facts.memory)


def _fdt_value(art: Any, first: tuple[Any, Any] | None) -> tuple[Any, tuple[Any, Any]]:
    """What a devicetree copy states, and ``first``: ``(tree, what it states)`` of the first
    devicetree copy read, so that DTS which is its rendering is not compiled."""
    if first is not None and getattr(art, "renders", None) is not None and art.renders(first[0]):
        return first[1], first
    value = [(n.path, dict(n.properties)) for n in art.tree.walk()]
    return value, first if first is not None else (art.tree, value)


def _labelled(tables: list[Any]) -> list[tuple[str, bytes]]:
    """``(label, bytes as read)`` of each table of one copy, labelled across the whole set as
    flattening names them: by instance in table order (the second SSDT is SSDT2)."""
    from .acpi.acpidump import instance_names

    labels = instance_names([t.signature for t in tables])
    return [(label, t.source_bytes()) for label, t in zip(labels, tables)]


def _flat(channel: str, art: Any) -> dict[str, Any]:
    """The named fields of ``channel`` that the artifact ``art`` states (only that artifact of
    its copy: a scenario's hands over every channel)."""
    from .diff.flatten import flatten_artifacts

    return flatten_artifacts([art]).get(channel, {})


def _acpi_flat(arts: list[Any], theirs: set[tuple[str, bytes]]) -> dict[str, Any]:
    """The named fields of one ACPI copy's tables that the copy it is compared with (``theirs``:
    its :func:`_labelled` pairs) does not hold under the same label with the same bytes: a
    textconv per table is the cost of a copy that differs, and such a table has no field that
    can (a table held under another label, the copies' order differing, still is)."""
    from .diff.flatten import acpi_fields

    tables = [a.table for a in arts if getattr(a, "table", None) is not None]
    mine = _labelled(tables)
    kept = [i for i, pair in enumerate(mine) if pair not in theirs]
    return acpi_fields([tables[i] for i in kept], [mine[i][0] for i in kept]) if kept else {}


def _unit(channel: str, key: str) -> str | None:
    """The whole a field belongs to (an ACPI table, a CPUID leaf), so that a table or leaf
    missing from one copy is one problem, not one per field."""
    if channel == "acpi":
        return key.split(".", 1)[0].split("[", 1)[0]
    if channel == "cpuid":
        return " ".join(key.split()[:2])
    return None


def check_copies(b: Bundle) -> list[BundleProblem]:
    """Every field on which a copy of a channel differs from the copy resolution reads."""
    groups = _named_groups(b)
    arts_of = dict(groups)
    out = []
    for channel, copies in _copies(groups).items():
        (ref_name, ref_value, ref_art), *others = copies
        ref = None
        for name, value, art in others:
            if value == ref_value:
                continue
            if channel == "acpi":  # the tables this pair does not share (values: _labelled pairs)
                ref = _acpi_flat(arts_of[ref_name], set(value))
                fields = _acpi_flat(arts_of[name], set(ref_value))
            else:
                if ref is None:
                    ref = _flat(channel, ref_art)
                fields = _flat(channel, art)
            ref_units = {_unit(channel, k) for k in ref}
            units = {_unit(channel, k) for k in fields}
            for unit in sorted(u for u in ref_units ^ units if u is not None):
                here, there = ("present", "absent") if unit in units else ("absent", "present")
                out.append(BundleProblem(DISAGREE, name, f"{here} here, {there} in {ref_name}",
                                         channel=channel, field=unit, other=ref_name))
            # Field names and values only: no ASL diff, so loading a bundle never starts iasl
            # (a DSDT that differs between copies would cost a disassembly, up to its timeout,
            # per load: seconds per hostile upload in a fleet audit).
            changes, _ = compare_maps(ref, fields)
            for ch in changes:
                if _unit(channel, ch.field) in ref_units ^ units:
                    continue
                here = "absent" if ch.b is None else ch.b
                there = "absent" if ch.a is None else ch.a
                out.append(BundleProblem(DISAGREE, name, f"{here} here, {there} in {ref_name}",
                                         channel=channel, field=ch.field, other=ref_name))
    return out
