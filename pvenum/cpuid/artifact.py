"""CPUID artifacts: the format hooks of pvenum.formats for the four CPUID formats."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterator

from .model import CpuidDump, MsrSet


@dataclass
class CpuidArtifact:
    format: str
    path: str
    dump: CpuidDump
    msrs: MsrSet | None = None
    template: Any = None  # firecracker.CpuTemplate when format == "firecracker-template"
    extra: dict[str, Any] = field(default_factory=dict)
    # What the capture says about where it was taken: a Firecracker fingerprint's host facts
    # (kernel, microcode, Firecracker version, BIOS), an AIDA64 report's program and CPU.
    facts: dict[str, str] = field(default_factory=dict)
    # Lines of a pasted capture skipped as not rows (pvenum.paste), 1-based.
    skipped: tuple[int, ...] = ()

    # -- inspect JSON (docs/contracts.md) ------------------------------------------------------------
    def to_json(self) -> dict[str, Any]:
        flags = self.dump.flags
        leaves = []
        for (leaf, sub), (a, b, c, d) in self.dump.items():
            row = {"leaf": leaf, "subleaf": sub, "eax": a, "ebx": b, "ecx": c, "edx": d}
            if (leaf, sub) in flags:  # kvm_cpuid2 and Firecracker entries, TOML rows stating flags
                row["flags"] = flags[(leaf, sub)]
            leaves.append(row)
        out: dict[str, Any] = {"format": self.format, "path": self.path, "leaves": leaves}
        if len(self.dump.cpus) > 1:
            out["cpus"] = len(self.dump.cpus)
            out["resolved_cpu"] = self.dump.cpu0_number
        if self.dump.flags:
            out["flags"] = [{"leaf": l, "subleaf": s, "flags": f} for (l, s), f in sorted(self.dump.flags.items())]
        if self.template is not None and not self.template.complete:
            # Bits the template keeps from the host ('x'): leaves above show them as 0.
            out["keep_masks"] = [
                {"leaf": l, "subleaf": s, **{r: (~b.mask) & 0xFFFFFFFF for r, b in regs.items()}}
                for (l, s), regs in sorted(self.template.cpuid.items())
                if any(not b.complete for b in regs.values())
            ]
        if self.msrs:
            out["msrs"] = [{"index": i, "value": v} for i, v in sorted(self.msrs.items())]
        if self.facts:
            out["host" if self.format == "firecracker-fingerprint" else "report"] = dict(self.facts)
        if self.skipped:
            out["skipped_lines"] = list(self.skipped)
        return out

    # -- views ----------------------------------------------------------------------------------
    def render(self, *, bits: bool = False) -> Any:
        from ..report.cpuid_view import render_dump

        return render_dump(self, bits=bits)

    def textconv(self) -> Iterator[str]:
        from .. import paste
        from .decode import msr_named_fields, named_fields

        note = paste.skipped_note(self.skipped)
        if note:
            yield f"# {note}"
        for key, value in self.facts.items():
            yield f"# {key}: {value}"
        yield f"# {self.format}: {len(self.dump)} leaves" + (
            f", {len(self.dump.cpus)} CPUs (resolving CPU {self.dump.cpu0_number})" if len(self.dump.cpus) > 1 else "")
        for key, text, quiet in (*named_fields(self.dump), *msr_named_fields(self.msrs or MsrSet())):
            if not quiet:
                yield f"{key} = {text}"

    def contribute(self, builder: Any) -> None:
        from .. import paste

        note = paste.skipped_note(self.skipped)
        if note:
            builder.notes.append(f"{self.path}: {note}")
        if self.template is not None and not self.template.complete:
            # Its CPUID and MSR bitmaps go over what the bundle states (PlatformBuilder.build), as
            # Firecracker applies them over the vCPU's own values: never over zeros first.
            builder.add_cpuid_overlay(self.template, self.path)
        else:
            builder.add_cpuid(self.dump, self.format, self.path)
            if self.msrs:
                builder.add_msrs(self.msrs, self.path)


def load_as(data: bytes, path: str, name: str, *, strict: bool = False) -> list[CpuidArtifact]:
    """Format hook for the CPUID formats (see pvenum.formats): ``name`` is the format
    detection (or --format) decided; ``strict`` refuses pasted text around cpuid -r rows."""
    if name == "cpuid-r":
        from . import cpuid_r

        dump, skipped = cpuid_r.parse_capture(data, strict=strict)
        return [CpuidArtifact("cpuid-r", path, dump, skipped=tuple(skipped))]
    if name == "cpuid-aida64":
        from . import aida64

        dump, facts = aida64.parse(data)
        return [CpuidArtifact("cpuid-aida64", path, dump, facts=facts)]
    if name == "firecracker-fingerprint":
        from . import firecracker

        fp = firecracker.parse_fingerprint(data)
        tpl = fp.template
        return [CpuidArtifact("firecracker-fingerprint", path, tpl.as_dump(),
                              tpl.apply_msrs(None) if tpl.msrs else None, tpl, facts=dict(fp.facts))]
    if name == "kvm_cpuid2":
        from . import kvm

        return [CpuidArtifact("kvm_cpuid2", path, kvm.parse(data))]
    if name == "cpuid-toml":
        from . import toml_io

        dump, msrs = toml_io.parse(data)
        return [CpuidArtifact("cpuid-toml", path, dump, msrs)]
    from . import firecracker

    tpl = firecracker.parse(data)
    return [CpuidArtifact("firecracker-template", path, tpl.as_dump(), tpl.apply_msrs(None) if tpl.msrs else None, tpl)]
