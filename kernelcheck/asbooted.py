"""The platform the guest really saw under QEMU TCG, and whether it is the scenario's.

arm64: the scenario's DTB with QEMU's own SMCCC answers (qemu.QEMU_SMCCC). x86: the CPUID the
guest dumped on the console (kernelcheck/cpuid-dump.c lines "pvenum-observe: cpuid ...").
A scenario counts as compared when every input the linux model read from it (its evidence
sources) holds the same value as booted.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from pvenum import fdt as _fdt
from pvenum.errors import PvenumError
from pvenum.observe.messages import REPORT_PREFIX
from pvenum.platform import Platform
from pvenum.resolver import resolve
from pvenum.target import load_target

from . import qemu

_ABSENT = object()


def psci_method(dtb: Path) -> str | None:
    tree = _fdt.parse(dtb.read_bytes())
    for node in tree.walk():
        if node.path == "/psci":
            raw = node.properties.get("method")
            return raw.rstrip(b"\0").decode(errors="replace") if raw else None
    return None


def model_for(release: str) -> tuple[str, str | None]:
    """linux@RELEASE when this pvenum has it, else mainline linux (and say so)."""
    from pvenum.resolver import MODELS

    name = f"linux@{release}"
    try:
        resolve(Platform(arch="x86_64"), name)
        return name, None
    except (PvenumError, Exception):  # noqa: BLE001 - an unknown model name is the only expected failure
        return "linux", f"no linux@{release} model in this pvenum (models: {', '.join(MODELS)}): compared with mainline linux"


def cpuid_text(log: str) -> str:
    lines = []
    for line in log.splitlines():
        at = line.find(REPORT_PREFIX + "cpuid ")
        if at >= 0:
            lines.append(line[at + len(REPORT_PREFIX) + len("cpuid "):])
    return "\n".join(lines) + "\n" if lines else ""


def as_booted(kernel: Any, scenario: str | None, log: str, built: Path, *,
              own_smccc: bool = False) -> tuple[Platform, str, str | None]:
    """``own_smccc``: the arm64 boot went through the firmware stub, which answers the scenario's
    own [smccc] table; otherwise QEMU's PSCI answered (qemu.QEMU_SMCCC). The DTB is the
    scenario's (the stub route fills in /chosen and the memory size, which no model reads)."""
    model, note = model_for(kernel.release)
    with tempfile.TemporaryDirectory() as tmp:
        d = Path(tmp)
        if kernel.arch == "arm64":
            (d / "fdt.dtb").write_bytes((built / "fdt.dtb").read_bytes())
            if own_smccc:
                (d / "platform.toml").write_text((built / "platform.toml").read_text())
            else:
                (d / "platform.toml").write_text('arch = "arm64"\n' + qemu.smccc_toml())
        else:
            text = cpuid_text(log)
            if not text:
                raise PvenumError("the boot printed no CPUID dump (did the init run?)", path=str(built))
            (d / "cpuid").write_text(text)
            from pvenum.observe import scan

            for sig, table in scan(log).acpi.items():
                (d / f"{sig}.dat").write_bytes(table)
            (d / "platform.toml").write_text('arch = "x86_64"\n')
        return load_target(d).platform, model, note


# Inputs whose absence the kernel reads as a value. ACPICA copies a short FADT into a zeroed
# full-size one (acpica drivers/acpi/acpica/tbfadt.c: acpi_tb_create_local_fadt()), so QEMU's
# revision-3 FADT, which ends before HypervisorId (ACPI 6.0, offset 268), reads as 0.
ABSENT_MEANS = {"acpi FACP.HypervisorId": 0}


def inputs(platform: Platform, model: str) -> dict[str, Any]:
    out = {e.source: e.value for e in resolve(platform, model).evidence}
    for src, value in ABSENT_MEANS.items():
        if src in out and out[src] is None:
            out[src] = value
    return out


def compare_scenario(scenario: Platform, booted: Platform, model: str) -> tuple[str, str | None]:
    want = inputs(scenario, model)
    got = inputs(booted, model)
    diff = [f"{src} = {_show(v)} in the scenario, {_show(got.get(src, _ABSENT))} as booted"
            for src, v in want.items() if got.get(src, _ABSENT) != v]
    if not diff:
        return "compared", None
    more = f" (+{len(diff) - 3} more)" if len(diff) > 3 else ""
    return "not-expressible", "; ".join(diff[:3]) + more


def _show(v: Any) -> str:
    if v is _ABSENT:
        return "not read"
    if isinstance(v, bool) or v is None:
        return str(v).lower() if v is not None else "absent"
    if isinstance(v, int):
        return f"0x{v:x}"
    return repr(v)
