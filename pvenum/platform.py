"""One guest's view of its platform, and how a bundle directory becomes one.

A :class:`Platform` holds any subset of the channels — CPUID (+ MSRs and SNP facts) on x86,
the devicetree and SMCCC answers on Arm, ACPI tables on both — plus ``arch``. Resolver models
are pure functions of it.

A bundle is a directory of artifacts detected by content plus an optional ``platform.toml``
(docs/contracts.md). This module also reads ``platform.toml`` itself (format ``platform-toml``).
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterator

from .errors import PvenumError, ScenarioError

if TYPE_CHECKING:  # pragma: no cover
    from .acpi.model import AcpiTableSet
    from .arm.smccc import SmcccAnswers
    from .bundle import BundleProblem
    from .cpuid.model import CpuidDump, MsrSet, SnpFacts, TdxFacts
    from .expect import Expectation
    from .fdt.model import DeviceTree

ARCHES = ("x86_64", "arm64")


@dataclass
class Platform:
    arch: str = "x86_64"
    cpuid: "CpuidDump | None" = None
    msr: "MsrSet | None" = None
    snp: "SnpFacts | None" = None
    tdx: "TdxFacts | None" = None
    fdt: "DeviceTree | None" = None
    smccc: "SmcccAnswers | None" = None
    acpi: "AcpiTableSet | None" = None
    # channel -> where it came from (file paths, "scenario", ...), for evidence and reports
    sources: dict[str, str] = field(default_factory=dict)
    # What the platform's inputs leave open (a template with no base dump to apply to).
    notes: list[str] = field(default_factory=list)
    # What is wrong with the bundle it was read from (pvenum.bundle.BundleProblem): unreadable
    # files, copies of a channel that disagree, manifest mismatches. Every model reports them
    # as error findings.
    problems: "list[BundleProblem]" = field(default_factory=list)

    def channels(self) -> list[str]:
        return [n for n in ("cpuid", "msr", "snp", "tdx", "fdt", "smccc", "acpi") if getattr(self, n) is not None]

    def contribute_to(self, builder: "PlatformBuilder", source: str, *, arch: bool = True) -> None:
        """Hand every channel to ``builder`` as coming from ``source`` (a scenario file, a
        platform.toml): the artifact protocol's contribute() for whole platforms."""
        if arch:
            builder.set_arch(self.arch, source)
        if self.cpuid is not None:
            builder.add_cpuid(self.cpuid, "cpuid-toml", source)
        if self.msr is not None:
            builder.add_msrs(self.msr, source)
        if self.snp is not None:
            builder.set_snp(self.snp, source)
        if self.tdx is not None:
            builder.set_tdx(self.tdx, source)
        if self.smccc is not None:
            builder.set_smccc(self.smccc, source)
        if self.fdt is not None:
            builder.set_fdt(self.fdt, source)
        for table in self.acpi or ():
            builder.add_acpi_table(table, source)


class PlatformBuilder:
    """Collects what each artifact of a bundle contributes, then makes the Platform."""

    # Which CPUID source wins when a bundle carries several (they should agree).
    _CPUID_PRIORITY = {"cpuid-toml": 0, "cpuid-r": 1, "kvm_cpuid2": 2, "firecracker-template": 3,
                       "firecracker-fingerprint": 3, "cpuid-aida64": 4}

    def __init__(self) -> None:
        self.arch: str | None = None
        self._cpuid: list[tuple[int, str, Any]] = []
        self._overlays: list[tuple[str, Any]] = []
        self.msr: Any = None
        self.snp: Any = None
        self.tdx: Any = None
        self.fdt: Any = None
        self.smccc: Any = None
        self.acpi_tables: list[Any] = []
        self._acpi_bytes: set[bytes] = set()
        self.sources: dict[str, str] = {}
        self.notes: list[str] = []

    # -- contributions -------------------------------------------------------------------
    def set_arch(self, arch: str, source: str) -> None:
        if self.arch and self.arch != arch:
            raise ScenarioError(f"{source} says {arch} but another input says {self.arch}", key="arch")
        self.arch = arch

    def add_cpuid(self, dump: Any, fmt: str, source: str) -> None:
        self._cpuid.append((self._CPUID_PRIORITY.get(fmt, 9), source, dump))

    def add_cpuid_overlay(self, template: Any, source: str) -> None:
        """A partial Firecracker template: applied over whichever full dump the bundle has."""
        self._overlays.append((source, template))

    def add_msrs(self, msrs: Any, source: str) -> None:
        if self.msr is None:
            self.msr = msrs
        else:
            self.msr = self.msr.merged(msrs)
        self.sources.setdefault("msr", source)

    def set_snp(self, snp: Any, source: str) -> None:
        self.snp = snp
        self.sources["snp"] = source

    def set_tdx(self, tdx: Any, source: str) -> None:
        self.tdx = tdx
        self.sources["tdx"] = source

    def set_fdt(self, tree: Any, source: str) -> None:
        if self.fdt is not None:  # a DTB and its DTS: pvenum.bundle checks that they agree
            return
        self.fdt = tree
        self.sources["fdt"] = source

    def set_smccc(self, answers: Any, source: str) -> None:
        self.smccc = answers if self.smccc is None else self.smccc.merged(answers)
        self.sources.setdefault("smccc", source)

    def add_acpi_table(self, table: Any, source: str) -> None:
        # The same table as a binary and inside acpidump text (as `pvenum build` writes both)
        # counts once.
        data = table.source_bytes() if hasattr(table, "source_bytes") else table.to_bytes()
        if data in self._acpi_bytes:
            return
        self._acpi_bytes.add(data)
        self.acpi_tables.append((table, source))

    # -- result ----------------------------------------------------------------------------
    def build(self) -> Platform:
        cpuid = None
        if self._cpuid:
            self._cpuid.sort(key=lambda t: t[0])
            _, src, cpuid = self._cpuid[0]
            self.sources["cpuid"] = src  # the other copies: pvenum.bundle checks that they agree
        for src, template in self._overlays:
            if cpuid is None:
                self.notes.append(f"{src}: a template with kept ('x') bits needs a base dump; none in the bundle")
                continue
            cpuid = template.apply(cpuid)
            self.sources["cpuid"] += f" + {src}"
        acpi = None
        if self.acpi_tables:
            from .acpi.model import AcpiTableSet, canonical_order

            acpi = AcpiTableSet.from_tables(canonical_order(t for t, _ in self.acpi_tables))
            self.sources["acpi"] = ", ".join(sorted({s for _, s in self.acpi_tables}))
        arch = self.arch or _infer_arch(cpuid, self.fdt, self.smccc, acpi)
        return Platform(
            arch=arch,
            cpuid=cpuid,
            msr=self.msr,
            snp=self.snp,
            tdx=self.tdx,
            fdt=self.fdt,
            smccc=self.smccc,
            acpi=acpi,
            sources=dict(self.sources),
            notes=list(self.notes),
        )


def _infer_arch(cpuid: Any, fdt: Any, smccc: Any, acpi: Any) -> str:
    if cpuid is not None:
        return "x86_64"
    if smccc is not None or fdt is not None:
        return "arm64"
    if acpi is not None and getattr(acpi, "looks_arm", lambda: False)():
        return "arm64"
    return "x86_64"


# -- platform.toml ---------------------------------------------------------------------------


def _int(value: Any, key: str, *, bits: int = 64, signed_ok: bool = False) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ScenarioError(f"expected an integer, got {type(value).__name__}", key=key)
    lo = -(1 << (bits - 1)) if signed_ok else 0
    if not lo <= value < (1 << bits):
        raise ScenarioError(f"{value} does not fit in {bits} bits", key=key)
    return value & ((1 << bits) - 1)


def _key_int(text: str, key: str, *, bits: int = 32) -> int:
    try:
        value = int(text, 0)
    except ValueError:
        raise ScenarioError(f"expected a number such as 0xc0010131, got {text!r}", key=key) from None
    return _int(value, key, bits=bits)


def msrs_from_toml(table: Any, *, key: str = "msr") -> "MsrSet":
    """``[msr]`` of platform.toml and pvenum's CPUID TOML: ``"0xINDEX" = value`` (32-bit index,
    64-bit value)."""
    from .cpuid.model import MsrSet

    if not isinstance(table, dict):
        raise ScenarioError("expected a table of \"0xINDEX\" = value", key=key)
    return MsrSet({_key_int(k, f"{key}.{k}"): _int(v, f"{key}.{k}") for k, v in table.items()})


@dataclass
class PlatformToml:
    """A decoded platform.toml: the facts a bundle states outside its binary artifacts."""

    format = "platform-toml"
    path: str
    arch: str | None
    msr: "MsrSet | None"
    snp: "SnpFacts | None"
    smccc: "SmcccAnswers | None"
    raw: dict[str, Any]
    expect: "dict[str, Expectation]" = field(default_factory=dict)  # [expect.MODEL], for `pvenum check`
    tdx: "TdxFacts | None" = None

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"format": self.format, "path": self.path, "arch": self.arch}
        if self.msr is not None:
            out["msr"] = {f"0x{k:x}": v for k, v in sorted(self.msr.items())}
        if self.snp is not None:
            out["snp"] = self.snp.to_dict()
        if self.smccc is not None:
            out["smccc"] = self.smccc.to_json()
        if self.tdx is not None:
            out["tdx"] = self.tdx.to_dict()
        if self.expect:
            out["expect"] = {m: e.to_dict() for m, e in self.expect.items()}
        return out

    def render(self, *, bits: bool = False) -> Any:
        from .report.render import render_platform_toml

        return render_platform_toml(self, bits=bits)

    def textconv(self) -> Iterator[str]:
        from .report import num_text

        yield f"platform.toml arch={self.arch}"
        if self.msr is not None:
            for k, v in sorted(self.msr.items()):
                yield f"msr 0x{k:08x} = 0x{v:016x}"
        if self.snp is not None:
            for k, v in self.snp.to_dict().items():
                yield f"snp {k} = {num_text(v)}"
        if self.tdx is not None:
            for k, v in self.tdx.to_dict().items():
                yield f"tdx {k} = {num_text(v)}"
        if self.smccc is not None:
            yield from self.smccc.textconv()

    def contribute(self, builder: PlatformBuilder) -> None:
        Platform(arch=self.arch or "x86_64", msr=self.msr, snp=self.snp, tdx=self.tdx, smccc=self.smccc).contribute_to(
            builder, self.path, arch=self.arch is not None)


def parse_platform_toml(data: bytes, path: str = "platform.toml") -> PlatformToml:
    from .arm.smccc import SmcccAnswers
    from .cpuid.model import SnpFacts, TdxFacts
    from .expect import parse_expectations

    try:
        doc = tomllib.loads(data.decode("utf-8"))
    except UnicodeDecodeError as err:
        raise ScenarioError(f"not UTF-8 text (byte {err.start})", path=path) from None
    except tomllib.TOMLDecodeError as err:
        raise ScenarioError(f"TOML syntax: {err}", path=path) from None
    except RecursionError:  # tomllib recurses once per nested array or inline table
        raise ScenarioError("TOML nested too deeply", path=path) from None
    known = {"arch", "msr", "snp", "tdx", "smccc", "expect", "format", "name", "description"}
    for key in doc:
        if key not in known:
            raise ScenarioError(f"unknown key; platform.toml knows {', '.join(sorted(known))}", key=key, path=path,
                                fmt="platform.toml")
    arch = doc.get("arch")
    if arch is not None and arch not in ARCHES:
        raise ScenarioError(f"must be one of {', '.join(ARCHES)}", key="arch", path=path, fmt="platform.toml")
    try:
        msr = msrs_from_toml(doc["msr"]) if "msr" in doc else None
        snp = SnpFacts.from_toml(doc["snp"], key="snp") if "snp" in doc else None
        smccc = SmcccAnswers.from_toml(doc["smccc"], key="smccc") if "smccc" in doc else None
        tdx = TdxFacts.from_toml(doc["tdx"], key="tdx") if "tdx" in doc else None
        expect = parse_expectations(doc["expect"]) if "expect" in doc else {}
    except ScenarioError as err:
        raise err.with_format("platform.toml").with_path(path)
    return PlatformToml(path=path, arch=arch, msr=msr, snp=snp, smccc=smccc, raw=doc, expect=expect, tdx=tdx)


def load(data: bytes, path: str) -> list[PlatformToml]:
    """Format hook for ``platform-toml`` (see pvenum.formats)."""
    return [parse_platform_toml(data, path)]


def validate(data: bytes, path: str, fmt: str = "platform-toml") -> list[Any]:
    """platform.toml's keys and values (incl. [expect]), as problems (pvenum validate)."""
    from .validation import toml_problems

    try:
        parse_platform_toml(data, path)
    except ScenarioError as err:
        return toml_problems(err, "platform.toml")
    return []


def platform_from_artifacts(artifacts: Iterator[Any] | list[Any]) -> Platform:
    builder = PlatformBuilder()
    for art in artifacts:
        art.contribute(builder)
    return builder.build()


def load_bundle(path: str | Path) -> Platform:
    """A bundle directory or a single artifact file → Platform (a directory's problems in
    ``Platform.problems``, see pvenum.bundle)."""
    from .formats import load_path

    p = Path(path)
    if not p.exists():
        raise PvenumError("no such file or directory", path=str(p))
    if p.is_dir():
        from .bundle import read_bundle

        b = read_bundle(p)
        platform = platform_from_artifacts(b.artifacts)
        platform.problems = list(b.problems)
        return platform
    return platform_from_artifacts(load_path(p))
