"""docs/kernelcheck.md and docs/kernelcheck.json (written by `make kernelcheck`), and the index
of committed console logs that tests/test_kernelcheck.py replays."""

from __future__ import annotations

import json
import os

from kernelcheck.explained import why as explained_why
from pathlib import Path

WHY = {
    "arm64": "needs the scenario's [smccc] answers, which QEMU TCG does not give (it answers NOT_SUPPORTED "
             "to every non-PSCI call): a firmware stub of our own at EL3/EL2 is the remaining work",
    "x86_64": "QEMU's -cpu cannot present these leaves (hv-* options need KVM): a patched QEMU or a TCG "
              "plugin rewriting CPUID/RDMSR results is the remaining work",
    "patched-qemu": "the patched QEMU presents the scenario's CPUID leaves and MSRs, not these inputs",
}


def _atomic(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text)
    os.replace(tmp, path)


def _cell(v) -> str:
    if isinstance(v, bool):
        return "yes" if v else "no"
    return "–" if v is None else str(v)


def _unexplained(b: dict) -> list[str]:
    return [f for f in b["agreement"]["differs"] if not explained_why(b.get("scenario"), b["release"], f)]


def _x86_route(result: dict) -> str:
    q = result.get("qemu_build")
    if not q:
        return "`-cpu max` with the scenario's vendor, maximum leaves and hypervisor bit"
    took = q["seconds"]
    return (f"qemu-system-x86_64 built from Debian's {q['source']} with kernelcheck/qemu-cpuid.patch "
            f"(kernelcheck/qemubuild.py: configure {took.get('configure', '?')} s, ninja {took.get('ninja', '?')} s "
            f"with -j{q['jobs']} nice'd on a {q['nproc']}-core machine shared with other work; built once, cached), "
            "answering CPUID 0x4000xxxx, 0x8000001f and 0x21 and RDMSR of the scenario's MSRs (SEV_STATUS) from "
            "the scenario, `-cpu max` with its vendor, maximum leaves and hypervisor bit for every other leaf, "
            "and its ACPI tables QEMU does not build itself (CCEL) by `-acpitable`")


def markdown(result: dict) -> str:
    boots, rows = result["boots"], result["scenarios"]
    compared = [r for r in rows if r["status"] == "compared"]
    agree = [r for r in compared if r["agrees"]]
    to_stop = [r for r in rows if r["status"] == "compared-to-stop"]
    out = ["# kernelcheck: the real kernel against the linux model", "",
           "Written by `make kernelcheck` (kernelcheck/run.py); do not edit. Debian's own kernel packages are "
           "booted under QEMU TCG on the platforms pvenum builds, a static busybox init prints what the kernel "
           "concluded, `pvenum.observe` reads the console, and the linux model is resolved on the platform the "
           "guest really saw (arm64: the scenario's DTB, its `[smccc]` answers given by the EL3/EL2 firmware "
           "stub kernelcheck/stub/el3.S; x86: " + _x86_route(result) + ", the CPUID and ACPI tables the guest "
           "dumped). A scenario is *compared* when every input the model read from it has the same value as "
           "booted; otherwise it is listed with the inputs QEMU TCG could not present.", "",
           f"Kernels: {', '.join(k['package'] + ' ' + k['version'] for k in result['kernels'])}.  ",
           f"Boots: {len(boots)} ({sum(1 for b in boots if b['agreement']['agrees'])} agree with the model, "
           f"{sum(1 for b in boots if b['agreement']['fields'] and not b['agreement']['agrees'])} differ, "
           f"{sum(1 for b in boots if _unexplained(b))} of them unexplained); "
           f"scenario runs compared: {len(compared)} of {len(rows)} ({len(agree)} agree), and {len(to_stop)} more "
           f"compared up to where the boot stopped; "
           f"{result['seconds']} s in all.", ""]
    notes = sorted({b["model_note"] for b in boots if b.get("model_note")})
    for n in notes:
        out.append(f"Model: {n}.  ")
    out += ["", "## Boots", "",
            "| # | kernel | arch | QEMU | outcome | kernel concluded (mode · isolation · hypervisor · memory) | "
            "model (same) | verdict | console lines that decided it |",
            "|---|---|---|---|---|---|---|---|---|"]
    for b in boots:
        o, d, ag = b["observed"], b["derived"], b["agreement"]
        verdict = "agree" if ag["agrees"] else ("differ: " + ", ".join(ag["differs"]) if ag["fields"] else "not compared")
        reasons = sorted({w for f in ag["differs"] if (w := explained_why(b.get("scenario"), b["release"], f))})
        if reasons and not _unexplained(b):
            verdict += " (explained: " + "; ".join(reasons) + ")"
        elif ag["differs"]:
            verdict += " (UNEXPLAINED)"
        lines = "; ".join(f"`{e['value']}` ({e['source']})" for e in o["evidence"] if e["rule"] != "observe.release"
                          and not e["source"].startswith("/proc/cpuinfo"))[:400]
        if any(e["source"].startswith("/proc/cpuinfo") for e in o["evidence"]):
            lines += "; /proc/cpuinfo flags"
        out.append(f"| {b['id']} | {b['kernel']} | {b['arch']} | {b['config']} | {o['outcome']} in {b['seconds']} s | "
                   f"{_cell(o['mode'])} · {_cell(o['isolation'])} · {_cell(o['hypervisor'])} · {_cell(o['memory_acceptance'])} | "
                   f"{d['mode']} · {d['isolation']} · {d['hypervisor']} · {d['memory_acceptance']} | {verdict} | {lines} |")
    out += ["", "Not compared on every boot: " + "; ".join(sorted({f"{k}: {v}" for b in boots
                                                                 for k, v in b["agreement"]["not_compared"].items()})), ""]
    out += ["## Scenarios", "", "| scenario | arch | kernel | boot | status | agrees | why it differs, or why not compared |",
            "|---|---|---|---|---|---|---|"]
    for r in rows:
        if r["status"] in ("compared", "compared-to-stop"):
            b = boots[r["boot"]]
            why = "; ".join(sorted({f"{f}: " + (explained_why(r["scenario"], r["release"], f) or "UNEXPLAINED")
                                    for f in b["agreement"]["differs"]}))
            if r["status"] == "compared-to-stop":
                why = f"{r['reason']}. {why}" if why else r["reason"]
        else:
            route = boots[r["boot"]]["route"] if r["boot"] is not None else None
            why = r["reason"] if r["status"] == "not-booted" else f"{WHY.get(route, WHY[r['arch']])}: {r['reason']}"
        out.append(f"| {r['scenario']} | {r['arch']} | {r['release']} | {_cell(r['boot'])} | {r['status']} | "
                   f"{_cell(r['agrees'])} | {why} |")
    acpi = ("QEMU builds its own FADT, MADT and DSDT, so a scenario's values there (FADT HypervisorId, MADT "
            "wakeup structures) are not presented; only tables QEMU does not build are added"
            if result.get("qemu_build") else "ACPI tables of the scenarios are not given to the guest yet")
    out += ["", "What cannot be emulated: real memory encryption (SEV, SNP, TDX) does not exist under TCG, so "
            "an x86 boot that enters a confidential path stops there (the scenario table says where); an "
            "Arm CCA realm is the firmware stub answering RSI, with no RMM behind it, so memory the guest "
            "shares with the host has nothing behind its unprotected alias (a realm boots without its GIC "
            "ITS, whose tables the kernel would share); the guest "
            "attestation drivers are modules the initramfs does not load, so attestation is not compared; "
            f"{acpi}.", ""]
    return "\n".join(out)


def write(result: dict, doc: Path, logs: Path) -> None:
    _atomic(doc, markdown(result))
    _atomic(doc.with_suffix(".json"), json.dumps(result, indent=1) + "\n")
    index = [{k: b[k] for k in ("log", "arch", "release", "kernel", "config", "scenario", "model", "route")}
             | {"outcome": b["observed"]["outcome"], "agreement": b["agreement"]} for b in result["boots"]]
    _atomic(logs / "index.json", json.dumps(index, indent=1) + "\n")
