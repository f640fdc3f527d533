#!/usr/bin/env python3
"""Boot Debian's Linux kernels on pvenum's own blobs under QEMU TCG and hold the linux model to
what each kernel concluded.

    python kernelcheck/run.py [--arch arm64|x86_64] [--scenario NAME]... [--release 6.1]...

For each kernel (bookworm's 6.1 and the newest the archive serves, amd64 and arm64; fetched by
kernelcheck/fetch.py) and each catalog scenario of its arch: `pvenum build` the scenario, boot
it (kernelcheck/qemu.py) with a static busybox initramfs whose init (kernelcheck/init.sh) prints
the facts and powers off, read the console with pvenum.observe, and compare with the linux
model, built as that kernel's own configuration says (its boot/config-ABI, kernelcheck/kconfig.py),
resolved on the platform the guest really saw ("as booted": the scenario's DTB with
QEMU's own SMCCC answers on arm64; the CPUID the guest dumped on x86). The scenario itself is
"compared" when every input the linux model read from it has the same value as booted;
otherwise it is listed with the inputs QEMU TCG could not present.

Writes docs/kernelcheck.md and docs/kernelcheck.json, and the console logs into
tests/data/kernelcheck/ (replayed by tests/test_kernelcheck.py). Exit 0 when every comparison
agrees or differs for a reason kernelcheck/explained.py gives, 1 on an unexplained
difference, 2 when nothing could be booted (the reason is printed).
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from kernelcheck import fetch, initramfs, kconfig, qemu, qemubuild, stub  # noqa: E402
from kernelcheck.asbooted import as_booted, compare_scenario, inputs, model_for, psci_method  # noqa: E402
from pvenum import observe  # noqa: E402
from pvenum.errors import PvenumError  # noqa: E402
from pvenum.resolver import resolve  # noqa: E402
from pvenum.resolver.derivation import Derivation  # noqa: E402
from pvenum.scenario import catalog  # noqa: E402

CACHE = ROOT / ".cache" / "kernelcheck"
LOGS = ROOT / "tests" / "data" / "kernelcheck"
DOC = ROOT / "docs" / "kernelcheck.md"


def cpuid_dump(cache: Path) -> Path:
    out = cache / "cpuid-dump"
    src = ROOT / "kernelcheck" / "cpuid-dump.c"
    if not out.exists() or out.stat().st_mtime < src.stat().st_mtime:
        import subprocess

        subprocess.run(["gcc", "-Os", "-static", "-nostdlib", "-fno-stack-protector", "-fno-pie", "-no-pie",
                        "-o", str(out), str(src)], check=True, timeout=120)
    return out


def x86_cpu(platform) -> tuple[str, int]:
    """The -cpu option nearest the scenario (vendor, max leaves, hypervisor bit) and -smp (its
    MADT's processor count); whatever else differs shows in the inputs comparison."""
    dump = platform.cpuid
    opts = ["max"]
    if dump is not None:
        r0, rx, r1 = dump.get(0), dump.get(0x80000000), dump.get(1)
        if r0:
            vendor = b"".join(x.to_bytes(4, "little") for x in (r0[1], r0[3], r0[2])).decode("latin-1")
            if vendor in ("AuthenticAMD", "GenuineIntel"):
                opts.append(f"vendor={vendor}")
            opts.append(f"level={r0[0]}")
        if rx:
            opts.append(f"xlevel={rx[0]}")
        if r1 and not r1[2] >> 31 & 1:
            opts.append("hypervisor=off")
    cpus = 1
    n = next((v for m in ("linux", "linux@6.1", "linux@6.12")
              if isinstance(v := inputs(platform, m).get("acpi APIC subtables of type 0x00"), int)), None)
    if isinstance(n, int) and 1 <= n <= 4:
        cpus = n
    return ",".join(opts), cpus


# ACPI tables QEMU's q35 machine builds itself; the scenario's other tables (CCEL, ...) are
# added with -acpitable (QEMU appends them to its RSDT/XSDT: hw/acpi/core.c acpi_table_add()).
QEMU_OWN_TABLES = frozenset({"RSDP", "RSDT", "XSDT", "FACP", "FACS", "DSDT", "SSDT", "APIC", "HPET", "MCFG", "WAET"})


def extra_acpi(built: Path) -> tuple[Path, ...]:
    d = built / "acpi"
    return tuple(sorted(t for t in d.glob("*.dat") if t.stem not in QEMU_OWN_TABLES)) if d.is_dir() else ()


def scenario_status(k: fetch.Kernel, name: str, rec: dict, log: str, built: Path) -> tuple[str, str | None]:
    """Whether scenario ``name`` can be compared on boot ``rec`` (its console ``log``, the
    scenario built in ``built``), and why not: asbooted.compare_scenario() on the platform the guest saw."""
    try:
        plat_booted, model, _ = as_booted(k, name if k.arch == "arm64" else None, log, built,
                                          own_smccc=rec["route"] == "stub")
    except PvenumError as err:
        return "not-booted", f"boot {rec['id']} stopped before the init's report ({err.message})"
    stopped = rec["observed"]["outcome"] != "booted"
    return compare_scenario(catalog.get(name).platform(), plat_booted, model, stopped=stopped)


def _agrees(rec: dict, status: str) -> bool | None:
    """A scenario's verdict: its boot's agreement, where the scenario could be compared at all."""
    return rec["agreement"]["agrees"] if status in ("compared", "compared-to-stop") else None


def recompare(doc: Path, logs: Path, cache: Path = CACHE) -> int:
    """The comparison of every recorded boot, redone from its committed console log: what a model
    or comparator change does to the published results, without QEMU or the kernels (each
    kernel's configuration record is refreshed from them when they are cached)."""
    from kernelcheck.report import _unexplained, write
    from pvenum.build import write_bundle

    result = json.loads(doc.with_suffix(".json").read_text())
    kconfig.refresh(result["kernels"], cache)
    configs = kconfig.recorded(result["kernels"])
    work = Path(tempfile.mkdtemp(prefix="kernelcheck-"))
    built: dict[str, Path] = {}
    try:
        def bundle(name: str) -> Path:
            if name not in built:
                built[name] = work / name
                write_bundle(catalog.get(name).platform(), built[name], name=name)
            return built[name]

        by_id = {}
        for rec in result["boots"]:
            by_id[rec["id"]] = rec
            log = (logs / rec["log"]).read_text()
            obs = observe.read(log)
            k = fetch.Kernel(rec["arch"], "", "", rec["release"], Path("."), {})
            name = rec["scenario"]
            try:
                plat, model, _ = as_booted(k, name, log, bundle(name) if name and rec["arch"] == "arm64" else work,
                                           own_smccc=rec.get("route") == "stub")
            except PvenumError:
                continue  # the boot stopped before the guest dumped its CPUID: nothing to compare, as recorded
            der = resolve(plat, model, kernel_config=configs.get(rec["kernel"]))
            rec["observed"], rec["derived"] = obs.to_dict(), der.to_dict()
            rec["agreement"] = observe.compare(obs, der).to_dict()
        for row in result["scenarios"]:
            rec = by_id.get(row["boot"])
            if rec is None:  # not booted (no devicetree): nothing to redo
                continue
            k = fetch.Kernel(rec["arch"], "", "", rec["release"], Path("."), {})
            row["status"], row["reason"] = scenario_status(k, row["scenario"], rec, (logs / rec["log"]).read_text(),
                                                           bundle(row["scenario"]))
            row["agrees"] = _agrees(rec, row["status"])
    finally:
        shutil.rmtree(work, ignore_errors=True)
    write(result, doc, logs)
    differ = [b for b in result["boots"] if _unexplained(b)]
    print(f"kernelcheck --recompare: {len(result['boots'])} boots compared again from their logs, "
          f"{len(differ)} unexplained disagreements")
    return 1 if differ else 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--arch", action="append", choices=("arm64", "x86_64"))
    ap.add_argument("--scenario", action="append")
    ap.add_argument("--release", action="append", help="only these kernel releases (6.1, 6.12, ...)")
    ap.add_argument("--cache", type=Path, default=CACHE)
    ap.add_argument("--offline", action="store_true", help="only kernels already in the cache (no apt)")
    ap.add_argument("--logs", type=Path, default=LOGS)
    ap.add_argument("--doc", type=Path, default=DOC)
    ap.add_argument("--report-only", action="store_true",
                    help="rewrite docs/kernelcheck.md from docs/kernelcheck.json without booting")
    ap.add_argument("--recompare", action="store_true",
                    help="compare the committed console logs with this pvenum's linux models again (no boot), "
                         "then rewrite docs/kernelcheck.md and .json")
    args = ap.parse_args(argv)
    if args.recompare:
        try:
            return recompare(args.doc, args.logs, args.cache)
        except PvenumError as err:  # a record the model cannot be given (kconfig.from_settings())
            print(f"kernelcheck: {err}", file=sys.stderr)
            return 1
    if args.report_only:
        from kernelcheck.report import write

        write(json.loads(args.doc.with_suffix(".json").read_text()), args.doc, args.logs)
        return 0
    why = qemu.missing()
    if why:
        print(f"kernelcheck: {why}", file=sys.stderr)
        return 2
    args.cache.mkdir(parents=True, exist_ok=True)
    t0 = time.monotonic()
    found = (fetch.cached_kernels(args.cache) if args.offline
             else fetch.kernels(args.cache, arches=tuple(args.arch) if args.arch else None))
    kernels = [k for k in found if (not args.release or k.release in args.release)
               and (not args.arch or k.arch in args.arch)]
    kernels.sort(key=lambda k: (k.arch != "arm64", k.release))
    try:
        for k in kernels:
            cfg_path = kconfig.config_file(k.image)
            if cfg_path is not None:
                k.provenance["kconfig"] = kconfig.settings(cfg_path)  # recorded in docs/kernelcheck.json
        # each kernel's own configuration, given to the model, as --recompare rebuilds it
        built_as = kconfig.recorded([k.provenance for k in kernels])
    except PvenumError as err:  # a damaged or oversized cached config: one line, as --recompare says it
        print(f"kernelcheck: {err}", file=sys.stderr)
        return 1
    scenarios = [s for s in catalog.all_scenarios() if not args.scenario or s.name in args.scenario]
    work = Path(tempfile.mkdtemp(prefix="kernelcheck-"))
    boots: list[dict] = []
    rows: list[dict] = []
    try:
        initrds = {}
        for arch in sorted({k.arch for k in kernels}):
            bb, _ = fetch.busybox(args.cache, arch)
            extra = {"bin/cpuid-dump": cpuid_dump(args.cache)} if arch == "x86_64" else None
            initrds[arch] = work / f"initrd-{arch}.gz"
            initrds[arch].write_bytes(initramfs.build(bb, ROOT / "kernelcheck" / "init.sh", extra))
        patched = qemubuild.binary(args.cache) if any(k.arch == "x86_64" for k in kernels) else None
        if any(k.arch == "x86_64" for k in kernels) and patched is None:
            print("kernelcheck: no patched QEMU in the cache (make kernelcheck builds it: kernelcheck/qemubuild.py): "
                  "x86 scenarios boot on QEMU's own -cpu leaves", flush=True)
        stub_why = stub.missing()
        stub_ok = stub_why is None
        if not stub_ok:
            print(f"kernelcheck: arm64 scenarios get QEMU's own PSCI answers, not theirs: {stub_why}", flush=True)
        plan = []
        for k in kernels:
            for s in scenarios:
                if s.platform().arch == k.arch:
                    plan.append((k, s))
        done: dict[tuple, dict] = {}
        for i, (k, s) in enumerate(plan, 1):
            built = work / f"{s.name}"
            if not built.exists():
                from pvenum.build import write_bundle

                write_bundle(s.platform(), built, name=s.name)
            plat = s.platform()
            env = None
            if k.arch == "arm64" and not (built / "fdt.dtb").exists():
                rows.append({"scenario": s.name, "arch": k.arch, "release": k.release, "kernel": k.label, "boot": None,
                             "status": "not-booted", "agrees": None,
                             "reason": "no devicetree (an ACPI platform): booting it needs UEFI firmware handing the "
                                       "scenario's ACPI tables to the kernel, not done yet"})
                print(f"[{i}/{len(plan)}] {k.release} {k.arch} {s.name}: not booted (no devicetree)", flush=True)
                continue
            if k.arch == "arm64":
                conduit = psci_method(built / "fdt.dtb") or "hvc"
                key = (k.package, s.name)
                if stub_ok:
                    bios = work / f"{s.name}.bios"
                    bios.write_bytes(stub.image(args.cache, built / "platform.toml"))
                    dropped = stub.realm_deletions(built / "fdt.dtb", built / "platform.toml")
                    stub.dtb(built / "fdt.dts", initrds["arm64"].stat().st_size, qemu.CMDLINE["arm64"],
                             work / f"{s.name}.boot.dtb", delete=dropped)
                    cmd = stub.argv(k.image, initrds["arm64"], work / f"{s.name}.boot.dtb", bios)
                    config = f"dtb {s.name}, conduit {conduit}, [smccc] by the EL3/EL2 stub" + (
                        f", without {', '.join(dropped)} (a realm's ITS tables need an RMM)" if dropped else "")
                else:
                    cmd = qemu.argv("arm64", k.image, initrds["arm64"], dtb=built / "fdt.dtb", conduit=conduit)
                    config = f"dtb {s.name}, conduit {conduit}, QEMU's PSCI ({stub_why})"
            else:
                cpu, smp = x86_cpu(plat)
                if patched is not None:
                    key = (k.package, s.name)
                    leaves = work / f"{s.name}.cpuid"
                    leaves.write_text(qemu.cpuid_file(plat, inputs(plat, model_for(k.release)[0])))
                    tables = extra_acpi(built)
                    cmd = qemu.argv("x86_64", k.image, initrds["x86_64"], cpu=cpu, smp=smp, binary=str(patched),
                                    acpitables=tables)
                    env = {"PVENUM_CPUID_FILE": str(leaves), "PVENUM_CPUID_LOG": str(work / f"{s.name}-{k.release}.seen")}
                    config = (f"patched QEMU with {s.name}'s leaves 0x8000001f, 0x21, hypervisor range (bits the model reads)"
                              + (" and MSRs" if plat.msr else "") + f"; -cpu {cpu} -smp {smp}"
                              + (f"; -acpitable {', '.join(t.stem for t in tables)}" if tables else ""))
                else:
                    key = (k.package, cpu, smp)
                    cmd = qemu.argv("x86_64", k.image, initrds["x86_64"], cpu=cpu, smp=smp)
                    config = f"-cpu {cpu} -smp {smp}"
            if key not in done:
                d = work / f"boot-{len(done)}"
                d.mkdir()
                b = qemu.boot(cmd, d, env=env if k.arch == "x86_64" else None,
                              stall=qemu.STALL if k.arch == "x86_64" and patched is not None else None)
                log_name = f"{k.release}-{k.arch}-" + s.name + ".log"  # x86 unpatched: the first scenario with this -cpu
                per_scenario = k.arch == "arm64" or patched is not None
                log_dir = args.logs
                log_dir.mkdir(parents=True, exist_ok=True)
                (log_dir / log_name).write_text(b.log)
                obs = observe.read(b.log)
                try:
                    plat_booted, model, note = as_booted(k, s.name if per_scenario else None, b.log, built,
                                                         own_smccc=stub_ok)
                except PvenumError as err:  # x86: the boot stopped before the init dumped CPUID
                    plat_booted, (model, note) = None, model_for(k.release)
                    note = f"{note}; " if note else ""
                    note += f"the platform as booted is unknown: {err.message}"
                der = (resolve(plat_booted, model, kernel_config=built_as.get(k.label)) if plat_booted is not None
                       else Derivation(model))
                ag = observe.compare(obs, der) if plat_booted is not None else observe.Agreement(
                    not_compared={"*": "the guest's CPUID was not dumped (the boot stopped before the init)"})
                rec = {"id": len(done), "arch": k.arch, "kernel": k.label, "release": k.release, "config": config,
                       "qemu": " ".join([*(f"{v}={Path(p).name}" for v, p in (env or {}).items()),
                                         *(c if "/" not in c or c.startswith("/usr/share") else Path(c).name for c in cmd)]),
                       "log": log_name, "seconds": round(b.seconds, 1), "timed_out": b.timed_out,
                       "model": model, "model_note": note, "observed": obs.to_dict(),
                       "derived": der.to_dict(), "agreement": ag.to_dict(),
                       "scenario": s.name if per_scenario else None,
                       "route": ("stub" if stub_ok else "qemu-psci") if k.arch == "arm64"
                       else ("patched-qemu" if patched is not None else "cpuid-dump")}
                done[key] = rec
                boots.append(rec)
                verdict = "agree" if ag.agrees else ("DIFFER " + ",".join(ag.differing) if ag.fields else "not compared")
                print(f"[{i}/{len(plan)}] {k.release} {k.arch} {config}: {obs.outcome} in {b.seconds:.0f} s; "
                      f"{model}: {verdict}", flush=True)
            rec = done[key]
            status, reason = scenario_status(k, s.name, rec, (args.logs / rec["log"]).read_text(), built)
            rows.append({"scenario": s.name, "arch": k.arch, "release": k.release, "kernel": k.label,
                         "boot": rec["id"], "status": status, "reason": reason,
                         "agrees": _agrees(rec, status)})
    finally:
        shutil.rmtree(work, ignore_errors=True)
    result = {"kernels": [k.provenance for k in kernels], "boots": boots, "scenarios": rows,
              "seconds": round(time.monotonic() - t0)}
    if any(b["route"] == "patched-qemu" for b in boots):
        result["qemu_build"] = qemubuild.record(args.cache)
    from kernelcheck.report import write

    write(result, args.doc, args.logs)
    from kernelcheck.report import _unexplained

    differ = [b for b in boots if _unexplained(b)]
    print(f"kernelcheck: {len(boots)} boots, {sum(1 for r in rows if r['status'] == 'compared')} scenario runs "
          f"compared, {sum(1 for r in rows if r['status'] == 'compared-to-stop')} compared up to where the boot stopped, {len(differ)} unexplained disagreements; wrote {args.doc.relative_to(ROOT) if args.doc.is_relative_to(ROOT) else args.doc}")
    if not boots:
        return 2
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())
