"""platform.toml (format ``platform-toml``): the facts a bundle states outside its binary
artifacts — ``arch``, ``[msr]``, ``[snp]``, ``[tdx]``, ``[smccc]`` and ``[expect.MODEL]``.

Values are checked by :mod:`pvenum.tomlvalues`, the checkers every TOML reader shares.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Iterator

from . import tomlvalues as V
from .errors import ScenarioError
from .platform import Platform, PlatformBuilder
from .tomlvalues import ARCHES

if TYPE_CHECKING:  # pragma: no cover
    from .arm.smccc import SmcccAnswers
    from .cpuid.model import MsrSet, SnpFacts, TdxFacts
    from .expect import Expectation


@dataclass
class PlatformToml:
    """A decoded platform.toml: the facts a bundle states outside its binary artifacts."""

    format = "platform-toml"
    path: str
    arch: str | None
    msr: "MsrSet | None"
    snp: "SnpFacts | None"
    smccc: "SmcccAnswers | None"
    tdx: "TdxFacts | None"
    expect: "dict[str, Expectation]" = field(default_factory=dict)  # [expect.MODEL], for `pvenum check`

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
            from .expect import tables

            out["expect"] = tables(self.expect)
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
    from .cpuid.model import MsrSet, SnpFacts, TdxFacts
    from .expect import parse_expectations

    try:
        doc = V.loads(data.decode("utf-8"))
    except UnicodeDecodeError as err:
        raise ScenarioError(f"not UTF-8 text (byte {err.start})", path=path) from None
    except ScenarioError as err:
        raise err.with_path(path) from None
    known = {"arch", "msr", "snp", "tdx", "smccc", "expect", "format", "name", "description"}
    for key in doc:
        if key not in known:
            raise ScenarioError(f"unknown key; platform.toml knows {', '.join(sorted(known))}", key=key, path=path,
                                fmt="platform.toml")
    arch = doc.get("arch")
    if arch is not None and arch not in ARCHES:
        raise ScenarioError(f"must be one of {', '.join(ARCHES)}", key="arch", path=path, fmt="platform.toml")
    try:
        msr = MsrSet.from_toml(doc["msr"]) if "msr" in doc else None
        snp = SnpFacts.from_toml(doc["snp"], key="snp") if "snp" in doc else None
        smccc = SmcccAnswers.from_toml(doc["smccc"], key="smccc") if "smccc" in doc else None
        tdx = TdxFacts.from_toml(doc["tdx"], key="tdx") if "tdx" in doc else None
        expect = parse_expectations(doc["expect"]) if "expect" in doc else {}
    except ScenarioError as err:
        raise err.with_format("platform.toml").with_path(path)
    return PlatformToml(path=path, arch=arch, msr=msr, snp=snp, smccc=smccc, tdx=tdx, expect=expect)


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
