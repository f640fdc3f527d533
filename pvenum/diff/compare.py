"""The differences between two inputs of the same kind, as data.

Raw differences come from the flat maps of :mod:`pvenum.diff.flatten`; derived differences
from the guest models (:func:`pvenum.resolver.resolve_all`) run on the platform each side
implies. :meth:`DiffResult.to_json` is the ``--format json`` contract.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable

from ..errors import PvenumError, UsageError
from ..resolver.derivation import WORD_FIELDS
from .flatten import CHANNELS, FlatMap, Value, flatten_artifacts, flatten_platform
from .maps import FieldChange, _merged_order, compare_maps, with_asl  # noqa: F401  (FieldChange: the rows pvenum.diff.render shows)

if TYPE_CHECKING:  # pragma: no cover
    from .gitsrc import Checkout

# What an input is, for "same kind": platforms (scenario, bundle, built directory) compare
# with platforms; single artifacts with artifacts of the same family.
FAMILIES = {
    "cpuid-r": "cpuid", "kvm_cpuid2": "cpuid", "firecracker-template": "cpuid", "cpuid-toml": "cpuid",
    "dtb": "devicetree", "dts": "devicetree", "dt-fs": "devicetree",
    "acpi-table": "acpi", "acpidump": "acpi",
    "platform-toml": "platform.toml",
}
DERIVED_FIELDS = tuple(WORD_FIELDS)  # the one-word cells each model derives


class DiffUsageError(UsageError):
    """Two inputs that cannot be compared (mismatched kinds): a usage error, exit 2."""


@dataclass
class Side:
    name: str  # as the user wrote it
    kind: str  # "platform" | "cpuid" | "devicetree" | "acpi" | "platform.toml"
    detail: str  # what it is, for messages: "scenario", "bundle", "kvm_cpuid2 file", ...
    platform: Any
    artifacts: list[Any] = field(default_factory=list)
    files: dict[str, str] = field(default_factory=dict)  # a bundle's files: relative path -> sha256
    kernel_config: Any = None  # pvenum.kconfig.KernelConfig: a bundle's own kernel.config


def load_side(arg: str, checkout: Checkout | None = None) -> Side:
    """``arg`` (what the user typed) read from ``checkout`` when it is a git REV:path."""
    from ..formats import _is_dt_fs_dir
    from ..target import load_target

    src = checkout.path if checkout is not None else arg
    if checkout is None:
        tgt = load_target(src)
    else:  # named REV:path (its files REV:path/FILE), never the temporary copy
        try:
            tgt = load_target(src, label=arg, tree=checkout.tree)
        except PvenumError as err:
            raise checkout.explain(err, arg) from None
    p = Path(src)
    if tgt.kind == "bundle" and p.is_dir() and _is_dt_fs_dir(p):
        return Side(arg, "devicetree", "dt-fs directory", tgt.platform, tgt.artifacts)
    if tgt.kind in ("scenario", "bundle"):
        return Side(arg, "platform", tgt.kind, tgt.platform, tgt.artifacts, tgt.files, tgt.kernel_config)
    formats = {getattr(a, "source_format", None) or a.format for a in tgt.artifacts}
    families = {FAMILIES.get(f, f) for f in formats}
    kind = families.pop() if len(families) == 1 else "mixed"
    return Side(arg, kind, f"{'/'.join(sorted(formats))} file", tgt.platform, tgt.artifacts)


def check_same_kind(a: Side, b: Side) -> None:
    if a.kind == b.kind and a.kind != "mixed":
        return
    raise DiffUsageError(
        f"cannot compare {a.name!r} ({_what(a)}) with {b.name!r} ({_what(b)}): give two inputs of the same "
        "kind — two scenarios, bundles or built directories (platforms), or two single artifacts of one "
        "family (CPUID dumps, devicetrees, ACPI tables)"
    )


def _what(s: Side) -> str:
    return f"a platform: {s.detail}" if s.kind == "platform" else f"a {s.kind} artifact: {s.detail}"


# -- derived -------------------------------------------------------------------------------------


def derivation_fields(d: Any) -> dict[str, Any]:
    """A derivation as named fields: the four conclusions, each service, the guest's output."""
    out: dict[str, Any] = {k: getattr(d, k) for k in DERIVED_FIELDS}
    for name, svc in d.services.items():
        out[f"{name}.available"] = svc.available
        out[f"{name}.via"] = svc.via
    o = d.output
    if isinstance(o, dict):
        for k, v in o.items():
            out[f"output.{k}"] = v
    else:
        out["output"] = o
    return out


def _finding_key(f: Any, side: "Side") -> tuple[str, str, str]:
    """A finding as compared across sides: a bundle problem's message names the side's files
    ("A/cpuid.kvm disagrees with A/cpuid", "the ACPI table files of A"), so each side's own name
    is taken out of it where it stands as a path (after a blank or "(", before "/", a blank,
    punctuation or the end), and the same problem in a bundle and its copy elsewhere (or at
    another git revision) is no change."""
    message = f.message
    for label in {side.name, os.fspath(Path(side.name))}:
        message = re.sub(rf"(?<![^\s(]){re.escape(label.rstrip('/'))}(?=[/\s),:;]|$)", "\0", message)
    return (f.severity, f.code, message)


# -- the result ----------------------------------------------------------------------------------


@dataclass
class DiffResult:
    a: Side
    b: Side
    raw: dict[str, list[FieldChange]]
    unchanged: dict[str, int]
    derived: dict[str, list[FieldChange]]
    findings: dict[str, dict[str, list[dict[str, Any]]]]
    models: list[str]
    notes: list[str] = field(default_factory=list)

    @property
    def kind(self) -> str:
        return self.a.kind

    def read_changes(self) -> list[tuple[str, FieldChange]]:
        """Raw changes some model read: where a changed field meets a conclusion."""
        return [(c, ch) for c, v in self.raw.items() for ch in v if ch.read_by]

    def raw_count(self) -> int:
        return sum(len(v) for v in self.raw.values())

    def derived_count(self) -> int:
        return sum(len(v) for v in self.derived.values()) + sum(
            len(f["new"]) + len(f["vanished"]) for f in self.findings.values())

    def changed_models(self) -> list[str]:
        return [m for m in self.models if self.derived.get(m) or self.findings.get(m)]

    def different(self, *, only_derived: bool = False) -> bool:
        if only_derived:
            return self.derived_count() > 0
        return self.raw_count() > 0 or self.derived_count() > 0

    def to_json(self, *, only_derived: bool = False) -> dict[str, Any]:
        out: dict[str, Any] = {"a": self.a.name, "b": self.b.name, "kind": self.kind}
        if not only_derived:
            out["raw"] = {c: [ch.to_json() for ch in v] for c, v in self.raw.items() if v}
            out["unchanged"] = {c: n for c, n in self.unchanged.items()}
        out["derived"] = {m: [ch.to_json() for ch in v] for m, v in self.derived.items() if v}
        out["findings"] = {m: f for m, f in self.findings.items()}
        out["different"] = self.different(only_derived=only_derived)
        if self.notes:
            out["notes"] = list(self.notes)
        return out

    def summary(self, *, only_derived: bool = False) -> str:
        """One line: what changed, where; what did not."""
        parts = []
        changed = self.changed_models()
        if changed:
            parts.append(f"derivations change for {len(changed)} of {len(self.models)} models ({', '.join(changed)})")
        elif self.models:
            parts.append(f"derivations unchanged ({', '.join(self.models)})")
        if not only_derived:
            n = self.raw_count()
            if n:
                per = ", ".join(f"{c} {len(v)}" for c, v in self.raw.items() if v)
                parts.append(f"{n} raw field{'s' if n != 1 else ''} differ ({per})")
            else:
                parts.append("no raw field differs")
            parts.append(unchanged_text(self.unchanged))
        return "; ".join(p for p in parts if p)


def unchanged_text(unchanged: dict[str, int]) -> str:
    # "platform" holds only arch: worth a row when it changes, not a mention when it does not.
    items = [(c, n) for c, n in unchanged.items() if n and c != "platform"]
    if not items:
        return "nothing unchanged"
    first, *rest = items
    text = f"{first[1]} field{'s' if first[1] != 1 else ''} unchanged in {first[0]}"
    return ", ".join([text, *(f"{n} in {c}" for c, n in rest)])


def diff_sides(a: Side, b: Side, *, models: Iterable[str] | None = None, derive: bool = True) -> DiffResult:
    """Compare two loaded inputs (same kind; see :func:`check_same_kind`)."""
    check_same_kind(a, b)
    if a.kind == "platform":
        fa, fb = flatten_platform(a.platform), flatten_platform(b.platform)
    else:
        fa, fb = flatten_artifacts(a.artifacts), flatten_artifacts(b.artifacts)
        if _one_table(a) and _one_table(b) and _labels(fa["acpi"]) != _labels(fb["acpi"]):
            # ssdt1.dat vs ssdt3.dat (sysfs-style names of one table each): name by signature
            fa = flatten_artifacts(a.artifacts, acpi_by_signature=True)
            fb = flatten_artifacts(b.artifacts, acpi_by_signature=True)
    if a.files and b.files:
        # Every file of two bundles, by content: an edit to a copy resolution does not read
        # (cpuid.kvm beside cpuid) is still a change.
        fa["files"], fb["files"] = _file_fields(a.files), _file_fields(b.files)
    if a.kernel_config is not None or b.kernel_config is not None:
        fa["kconfig"], fb["kconfig"] = _kconfig_fields(a.kernel_config, b.kernel_config)
    raw: dict[str, list[FieldChange]] = {}
    unchanged: dict[str, int] = {}
    order = [c for c in (*CHANNELS, *sorted((set(fa) | set(fb)) - set(CHANNELS))) if c in fa or c in fb]
    for channel in order:
        ma, mb = fa.get(channel, {}), fb.get(channel, {})
        changes, same = compare_maps(ma, mb)
        raw[channel] = with_asl(changes, ma, mb)
        unchanged[channel] = same

    derived: dict[str, list[FieldChange]] = {}
    findings: dict[str, dict[str, list[dict[str, Any]]]] = {}
    model_list: list[str] = []
    skipped: list[str] = []
    if derive:
        from ..resolver.registry import MODELS, resolve

        da, db = {}, {}
        for m in models or MODELS:
            try:
                # Each side's kernel as its own bundle's kernel.config says, when it has one.
                da[m] = resolve(a.platform, m, kernel_config=a.kernel_config)
                db[m] = resolve(b.platform, m, kernel_config=b.kernel_config)
            except (ImportError, PvenumError) as err:  # e.g. a model without this architecture yet
                skipped.append(f"model {m} not compared: {' '.join(str(err).split())}")
                continue
            model_list.append(m)
        for m in model_list:
            xa, xb = derivation_fields(da[m]), derivation_fields(db[m])
            changes = []
            for key in _merged_order(list(xa), list(xb)):
                va, vb = xa.get(key), xb.get(key)
                if _canon(va) != _canon(vb):
                    changes.append(FieldChange(key, va, vb))
            derived[m] = changes
            ka = {_finding_key(f, a): f for f in da[m].findings}
            kb = {_finding_key(f, b): f for f in db[m].findings}
            new = [f.to_dict() for k, f in kb.items() if k not in ka]
            gone = [f.to_dict() for k, f in ka.items() if k not in kb]
            if new or gone:
                findings[m] = {"new": new, "vanished": gone}
    if model_list:
        from dataclasses import replace

        from .evidence import read_by

        sources = {m: {e.source for e in da[m].evidence} | {e.source for e in db[m].evidence} for m in model_list}
        raw = {c: [replace(ch, read_by=read_by(ch.field, sources)) for ch in v] for c, v in raw.items()}
    notes = [f"A: {n}" for n in a.platform.notes] + [f"B: {n}" for n in b.platform.notes] + skipped
    notes += [f"{side}: error: [{p.code}] {p.line()}" for side, s in (("A", a), ("B", b)) for p in s.platform.problems]
    return DiffResult(a, b, raw, unchanged, derived, findings, model_list, notes)


def _file_fields(files: dict[str, str]) -> FlatMap:
    return {f"file {rel}": Value(f"sha256 {digest[:16]}…", raw=digest) for rel, digest in sorted(files.items())}


# The other side of a bundle without kernel.config: the kernel the linux models assume.
_ASSUMED_KERNEL = "none: the assumed kernel (every option a mirrored behaviour needs)"


def _kconfig_fields(a: Any, b: Any) -> tuple[FlatMap, FlatMap]:
    """Two sides' kernel configurations as fields: which configuration (header and SHA-256), and
    when both sides have one, every option either sets, each as its file writes it, ``n`` where
    it is unset or missing (scripts/kconfig/confdata.c: conf_write() writes "# CONFIG_X is not
    set"). Options are named ``CONFIG_X``, as the linux models' evidence names what they read,
    so a changed option a model read is marked as such."""
    sides = []
    for cfg in (a, b):
        sides.append({"kernel config": Value(_ASSUMED_KERNEL) if cfg is None else
                      Value(f"{cfg.header_text()}, sha256 {cfg.sha256[:16]}…", raw=cfg.sha256)})
    if a is not None and b is not None:
        for name in sorted(set(a.options) | set(b.options)):
            for side, cfg in zip(sides, (a, b)):
                side[f"CONFIG_{name}"] = Value(cfg.value(name))
    return sides[0], sides[1]


def _one_table(s: Side) -> bool:
    return sum(1 for x in s.artifacts if hasattr(x, "table")) == 1


def _labels(m: FlatMap) -> set[str]:
    return {k.split(".", 1)[0].split("[", 1)[0] for k in m}


def _canon(v: Any) -> str:
    return json.dumps(v, sort_keys=True, default=str)


def diff_targets(a: str, b: str, **kw: Any) -> DiffResult:
    """``pvenum diff A B`` as a function: scenario names, files, directories or REV:path."""
    from .gitsrc import materialize

    with materialize([a, b]) as paths:
        sa = load_side(a, paths[0])
        sb = load_side(b, paths[1])
        return diff_sides(sa, sb, **kw)
