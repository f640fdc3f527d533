"""Write every blob a platform implies into a bundle directory, reproducibly and atomically.

    cpuid                   `cpuid -1 -r` text            (x86)
    cpuid.kvm               struct kvm_cpuid2             (x86)
    cpuid-template.json     Firecracker custom CPU template stating the whole dump (x86)
    platform.toml           arch, MSRs, SNP facts, SMCCC answers, [expect.MODEL] stated
    fdt.dtb, fdt.dts        the devicetree (when there is one)
    acpi/SIG[N].dat         each ACPI table, as acpidump -b / acpixtract name them
    acpidump.txt            the same tables as acpidump text (acpixtract reads it back)
    manifest.json           each file's format and SHA-256, the pvenum version

Same input, same bytes: nothing depends on time, locale, host or dict order.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from . import __version__, _output
from .platform import Platform
from .report import num_text

TYPE_CHECKING = False
if TYPE_CHECKING:  # pragma: no cover
    from .expect import Expectation


def platform_toml(p: Platform, *, header: str = "", expect: "dict[str, Expectation] | None" = None) -> str:
    """platform.toml's text; ``expect``: the [expect.MODEL] tables the bundle carries, so that
    `pvenum check BUNDLE` checks it (pvenum.platform_toml reads them back)."""
    lines = [f"# {line}" for line in header.splitlines()] if header else []
    lines.append(f'arch = "{p.arch}"')
    if p.msr:
        lines += ["", "[msr]"] + [f'"0x{k:08x}" = 0x{v:x}' for k, v in sorted(p.msr.items())]
    if p.snp is not None and p.snp.to_dict():
        lines += ["", "[snp]"]
        for k, v in p.snp.to_dict().items():
            lines.append(f"{k} = {num_text(v)}")
    if p.tdx is not None and p.tdx.to_dict():
        lines += ["", "[tdx]"]
        for k, v in p.tdx.to_dict().items():
            lines.append(f"{k} = {num_text(v)}")
    if p.smccc is not None:
        lines += [""] + p.smccc.toml_lines()
    text = "\n".join(lines) + "\n"
    if expect:
        import tomli_w

        from .expect import tables

        text += "\n" + tomli_w.dumps({"expect": tables(expect)})
    return text


def render_files(p: Platform, *, name: str, description: str = "",
                 expect: "dict[str, Expectation] | None" = None) -> dict[str, bytes]:
    """Every file of the bundle, in memory (relative name -> bytes)."""
    files: dict[str, bytes] = {}
    if p.cpuid is not None:
        from .cpuid import cpuid_r, firecracker, kvm

        files["cpuid"] = cpuid_r.write(p.cpuid).encode()
        files["cpuid.kvm"] = kvm.write(p.cpuid)
        files["cpuid-template.json"] = firecracker.template_full(p.cpuid, p.msr).dumps().encode()
    files["platform.toml"] = platform_toml(p, header=f"pvenum {name}: {description}".strip(": "),
                                           expect=expect).encode()
    if p.fdt is not None:
        from . import fdt

        files["fdt.dtb"] = fdt.build(p.fdt)
        files["fdt.dts"] = fdt.to_dts(p.fdt).encode()
    if p.acpi is not None and len(p.acpi):
        from .acpi import write_acpidump
        from .acpi.acpidump import instance_names

        tables = list(p.acpi)
        names = instance_names([t.signature for t in tables])
        for label, table in zip(names, tables):
            files[f"acpi/{label.replace(' ', '_')}.dat"] = table.to_bytes()
        files["acpidump.txt"] = write_acpidump(tables).encode()
    return files


FORMAT_OF = {
    "cpuid": "cpuid-r", "cpuid.kvm": "kvm_cpuid2", "cpuid-template.json": "firecracker-template",
    "platform.toml": "platform-toml", "fdt.dtb": "dtb", "fdt.dts": "dts", "acpidump.txt": "acpidump",
}


def manifest(files: dict[str, bytes], *, name: str, description: str) -> bytes:
    entries = [
        {"path": path, "format": FORMAT_OF.get(path, "acpi-table" if path.startswith("acpi/") else "unknown"),
         "bytes": len(data), "sha256": hashlib.sha256(data).hexdigest()}
        for path, data in sorted(files.items())
    ]
    doc = {"pvenum": __version__, "name": name, "description": description, "files": entries}
    return (json.dumps(doc, indent=2, sort_keys=True) + "\n").encode()


def write_bundle(p: Platform, out: str | Path | _output.OutputDir, *, name: str, description: str = "",
                 force: bool = False, expect: "dict[str, Expectation] | None" = None) -> dict[str, Any]:
    """Write the bundle under the output-directory rule of :class:`pvenum._output.OutputDir`;
    ``expect`` goes into its platform.toml (:func:`platform_toml`), where its manifest covers it."""
    files = render_files(p, name=name, description=description, expect=expect)
    files["manifest.json"] = manifest(files, name=name, description=description)
    dest = out if isinstance(out, _output.OutputDir) else _output.OutputDir(out, force=force)
    with dest.staging() as tmp:
        for rel, data in files.items():
            target = _output.safe_join(tmp, rel)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
            target.chmod(0o644)
    return json.loads(files["manifest.json"])
