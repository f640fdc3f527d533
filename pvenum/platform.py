"""One guest's view of its platform: the model every reader builds and every resolver reads.

A :class:`Platform` holds any subset of the channels — CPUID (+ MSRs and SNP facts) on x86,
the devicetree and SMCCC answers on Arm, ACPI tables on both — plus ``arch``. Resolver models
are pure functions of it. :class:`PlatformBuilder` collects what each artifact contributes.

Readers live elsewhere and import this module, never the reverse: a bundle directory is read
by :func:`pvenum.bundle.load_bundle` (docs/contracts.md), ``platform.toml`` by
:mod:`pvenum.platform_toml`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Iterator

from .errors import ScenarioError

if TYPE_CHECKING:  # pragma: no cover
    from .acpi.model import AcpiTableSet
    from .arm.smccc import SmcccAnswers
    from .bundle import BundleProblem
    from .cpuid.model import CpuidDump, MsrSet, SnpFacts, TdxFacts
    from .fdt.model import DeviceTree


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
            builder.add_cpuid(self.cpuid, "scenario", source)  # only a scenario's platform has CPUID
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

    # Which CPUID source wins when a bundle carries several (they should agree). A scenario's
    # (Platform.contribute_to) comes before any capture: one in the bundle may be its base, its
    # input, whatever its format, which the scenario's overrides change.
    CPUID_PRIORITY = {"scenario": -1, "cpuid-toml": 0, "cpuid-r": 1, "kvm_cpuid2": 2, "firecracker-template": 3,
                       "firecracker-fingerprint": 3, "cpuid-aida64": 4}
    # Which devicetree wins: the blob the kernel is handed, a live tree, then source text; the
    # first of the best rank (walk order). pvenum.bundle compares the others with it.
    FDT_PRIORITY = {"dtb": 0, "dt-fs": 1, "dts": 2}

    def __init__(self) -> None:
        self.arch: str | None = None
        self._cpuid: list[tuple[int, str, Any]] = []
        self._overlays: list[tuple[str, Any]] = []
        self.msr: Any = None
        self.snp: Any = None
        self.tdx: Any = None
        self.fdt: Any = None
        self._fdt_rank = len(self.FDT_PRIORITY)
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
        self._cpuid.append((self.CPUID_PRIORITY.get(fmt, 9), source, dump))

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

    def takes_fdt(self, fmt: str) -> bool:
        """Whether a devicetree in ``fmt`` would replace the one kept (FDT_PRIORITY)."""
        return self.fdt is None or self.FDT_PRIORITY.get(fmt, len(self.FDT_PRIORITY)) < self._fdt_rank

    def set_fdt(self, tree: Any, source: str, fmt: str = "dtb") -> None:
        if not self.takes_fdt(fmt):  # a DTB and its DTS: pvenum.bundle checks that they agree
            return
        self.fdt = tree
        self._fdt_rank = self.FDT_PRIORITY.get(fmt, len(self.FDT_PRIORITY))
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

    def _overlay_msrs(self, src: str, template: Any) -> None:
        """A partial template's MSR bitmaps over the MSRs the bundle states. Firecracker applies
        them over what KVM_GET_MSRS reads back from the vCPU (firecracker-microvm/firecracker
        v1.16.0-dev-617, 81b38b9: src/vmm/src/cpu_config/x86_64/mod.rs apply_template_to_msrs); where the
        bundle states no value for an MSR whose bitmap keeps bits ('x'), those read 0, noted."""
        from .cpuid.firecracker import kept_msr_bits_note

        stated = self.msr if self.msr is not None else {}
        self.notes.extend(f"{src}: {kept_msr_bits_note(addr)}" for addr, bits in sorted(template.msrs.items())
                          if not bits.complete and addr not in stated)
        self.msr = template.apply_msrs(self.msr)
        self.sources["msr"] = f"{self.sources['msr']} + {src}" if "msr" in self.sources else src

    # -- result ----------------------------------------------------------------------------
    def build(self) -> Platform:
        cpuid = None
        if self._cpuid:
            self._cpuid.sort(key=lambda t: t[0])
            _, src, cpuid = self._cpuid[0]
            self.sources["cpuid"] = src  # the other copies: pvenum.bundle checks that they agree
        for src, template in self._overlays:
            if template.msrs:
                self._overlay_msrs(src, template)
            if cpuid is None:
                self.notes.append(f"{src}: a template with kept ('x') bits needs a base dump; none in the bundle")
                continue
            missing = template.missing_leaves(cpuid)
            if missing:
                # pvenum makes such a leaf from zeros; Firecracker does not boot with the template.
                from .cpuid.firecracker import not_in_base

                self.notes.extend(f"{src}: {not_in_base(key)}; pvenum applied it over zeros" for key in missing)
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


def platform_from_artifacts(artifacts: Iterator[Any] | list[Any]) -> Platform:
    builder = PlatformBuilder()
    for art in artifacts:
        art.contribute(builder)
    return builder.build()
