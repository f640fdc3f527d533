#!/usr/bin/env python3
"""Cross-check the ``systemd`` and ``virt-what`` models against the real guests' code.

    python crosscheck/run.py [--generated N] [--seed S] [--all-versions] [--prefer-cache] ...

Fetches Debian's systemd (newest served version >= 257) and virt-what (the version the model
mirrors, 1.27) source packages through a private apt configuration (crosscheck/debsrc.py),
compiles their detectors unchanged against our shim (crosscheck/harness.py, crosscheck/shim/) — or,
where the archive serves a version's binary packages but not its source, runs Debian's compiled
program (virt-what-cvm, systemd-detect-virt --cvm) with its CPUID trapped and answered by the same
shim, its exit status compared too — and runs them on every x86 catalog scenario, every x86 test fixture and N generated platforms
(crosscheck/platforms.py). The arm64 builds of both programs run under qemu-aarch64 on every arm64
catalog scenario (crosscheck/aarch64.py). The model's answer must
equal the real code's on every one; a disagreement prints the platform and both answers. Prints a
summary table.

Exit status: 0 every checked source agrees (a source that cannot be had is reported as SKIPPED
with the reason), 1 a disagreement (or the real code read an input the model's evidence does not
cite), 2 a build or harness error, or a ``--require``d source skipped. docs/crosscheck.md explains the method.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from crosscheck import aarch64, debsrc, harness, platforms  # noqa: E402
from crosscheck.platforms import Case  # noqa: E402
from pvenum.cpuid.model import MSR_AMD64_SEV  # noqa: E402
from pvenum.resolver.arm import RSI_PDEV_SYSFS  # noqa: E402
from pvenum.resolver.models import systemd as systemd_model  # noqa: E402
from pvenum.resolver.models import systemd_arm64  # noqa: E402
from pvenum.resolver.models import virt_what as virt_what_model  # noqa: E402

DEFAULT_CACHE = ROOT / ".cache" / "crosscheck"
SETS = ("catalog", "fixtures", "generated")
# What a run checks: the two x86 detectors, and the arm64 builds of both programs (crosscheck/aarch64.py).
ARM64 = {"systemd-arm64": "systemd", "virt-what-arm64": "virt-what"}  # check -> source package
CHECKS = ("systemd", "virt-what", *ARM64)

# What each package's check accepts from the archive, and how that is said in a skip reason.
POLICY: dict[str, tuple[Callable[[str], bool], str]] = {
    "systemd": (lambda v: debsrc.upstream_major(v) >= systemd_model.MIN_VERSION,
                f"version {systemd_model.MIN_VERSION} or later (what the systemd model mirrors)"),
    "virt-what": (lambda v: debsrc.upstream_of(v) == virt_what_model.VERSION,
                  f"upstream {virt_what_model.VERSION} (what the virt-what model mirrors)"),
}
# Added to a skip reason: what else is known about the package's versions.
HINTS = {
    "systemd": "point --systemd-source at an unpacked systemd tree to check a local copy",
    **{check: "the arm64 program is run as Debian's arm64 binary packages under qemu-aarch64" for check in ARM64},
    "virt-what": ("Debian 12's virt-what 1.25 has no virt-what-cvm.c (the program first shipped in 1.26); "
                  "point --virt-what-source at an unpacked virt-what 1.27 tree to check a local copy"),
}


def skip_reason(package: str, err: Exception) -> str:
    return f"{err} [{HINTS[package]}]"


# -- one comparison -------------------------------------------------------------------------------


@dataclass
class Expectation:
    model_output: Any  # the model's "output" (None when indeterminate)
    real: Any  # what the real code must print
    kind: str  # "exact" | "msr-unreadable" | "indeterminate" (for another reason: always a disagreement)
    cited: set  # x86: ("cpuid", leaf, sub) / ("msr", index, 0) the model read; arm64: the paths it read
    status: int | None = None  # the exit status the program must end with (None: not known)


# virt-what virt-what-cvm.c: main() calls cpu_sig() and exits EXIT_SUCCESS whatever it found
# (virt-what-cvm(1): "If nothing is printed and the script exits with code 0 (no error) ...").
# systemd's is the model's (systemd_model.exit_status()).
VIRT_WHAT_STATUS = 0


_EV_CPUID = re.compile(r"^cpuid 0x([0-9a-f]+)(?:\.(\d+))?\.")
_EV_MSR = re.compile(r"^msr 0x([0-9a-f]+)")


def _cited(derivation) -> set[tuple[str, int, int]]:
    out = set()
    for ev in derivation.evidence:
        m = _EV_CPUID.match(ev.source)
        if m:
            out.add(("cpuid", int(m.group(1), 16), int(m.group(2) or 0)))
            continue
        m = _EV_MSR.match(ev.source)
        if m:
            out.add(("msr", int(m.group(1), 16), 0))
    return out


def expect(package: str, version: int | None, platform) -> Expectation:
    if package == "systemd":
        d = systemd_model.derive(platform, version=version)
        if d.output is not None:
            return Expectation(d.output, d.output, "exact", _cited(d), systemd_model.exit_status(d.output))
        if any(f.code == "systemd.sev-status-missing" for f in d.findings):
            # pvenum: "SEV_STATUS not given" = the guest cannot read /dev/cpu/0/msr.
            word = systemd_model.msr_unreadable_word(version)
            return Expectation(None, word, "msr-unreadable", _cited(d), systemd_model.exit_status(word))
        return Expectation(None, None, "indeterminate", _cited(d))  # never equals a real answer
    d = virt_what_model.derive(platform)
    if d.output is not None:
        return Expectation(d.output, list(d.output), "exact", _cited(d), VIRT_WHAT_STATUS)
    if any(f.code == "virt-what.sev-status-missing" for f in d.findings):
        return Expectation(None, [], "msr-unreadable", _cited(d), VIRT_WHAT_STATUS)
    return Expectation(None, None, "indeterminate", _cited(d))


_SYSFS_SOURCE = f"sysfs {RSI_PDEV_SYSFS}"


def expect_arm64(package: str, version: int | None, platform) -> tuple[Expectation, bool]:
    """The model's answer for the arm64 program on a platform, and whether the device directory
    exists there: the systemd model's own evidence row for it (what Linux registers), absent
    when the model could not tell. virt-what-cvm has no arm64 detection: it must print nothing,
    exit 0 and look at no path at all (the directory is made as for systemd, to show it ignores it)."""
    d = systemd_model.derive(platform, version=version or systemd_arm64.CCA_VERSION)
    present = next((ev.value for ev in d.evidence if ev.source == _SYSFS_SOURCE), None)
    if package == "virt-what":
        w = virt_what_model.derive(platform)
        if w.output is None:
            return Expectation(None, None, "indeterminate", set()), bool(present)
        return Expectation(w.output, list(w.output), "exact", set(), VIRT_WHAT_STATUS), bool(present)
    if d.output is None or present is None:
        return Expectation(None, None, "indeterminate", set()), False
    # Every version's model notes the device (v257 to say it is ignored); the program may read it.
    return Expectation(d.output, d.output, "exact", {RSI_PDEV_SYSFS}, systemd_model.exit_status(d.output)), bool(present)


def real_answer(package: str, lines: list[str]) -> Any:
    if package == "systemd":
        return lines[0] if len(lines) == 1 else lines
    return list(lines)


def _reads(tokens: list[str], platform) -> set[tuple[str, int, int]]:
    """What the real code read, as the model's evidence would name it. A subleaf of a leaf that
    ignores ECX counts as subleaf 0 (virt-what reads 0x40000000 with an uninitialised ECX)."""
    out = set()
    for t in tokens:
        if t == "msr:open":
            out.add(("msr", MSR_AMD64_SEV, 0))  # the only MSR either program opens the device for
        elif t.startswith("msr:"):
            out.add(("msr", int(t[4:], 16), 0))
        else:
            leaf_s, _, sub_s = t.partition(".")
            leaf, sub = int(leaf_s, 16), int(sub_s or "0", 16)
            if sub and not platform.cpuid.is_indexed(leaf):
                sub = 0
            out.add(("cpuid", leaf, sub))
    return out


def _fmt_read(r: tuple[str, int, int]) -> str:
    return f"cpuid 0x{r[1]:08x}" + (f".{r[2]}" if r[2] else "") if r[0] == "cpuid" else f"msr 0x{r[1]:x}"


# -- one source --------------------------------------------------------------------------------------


@dataclass
class Disagreement:
    case: Case
    model_output: Any
    expected_real: Any
    real: Any
    kind: str
    expected_status: int | None = None
    real_status: int | None = None  # the program's exit status, when a shipped program ran

    def render(self, package: str, version: str) -> str:
        model = {"msr-unreadable": "indeterminate (no SEV_STATUS)",
                 "indeterminate": "indeterminate"}.get(self.kind, json.dumps(self.model_output))
        extra = f" -> expects the real code to print {json.dumps(self.expected_real)}" if self.kind == "msr-unreadable" else ""
        if self.real_status is not None:
            extra += f", exit {self.expected_status}"
        real = json.dumps(self.real) + (f", exit {self.real_status}" if self.real_status is not None else "")
        return (f"DISAGREE {package} {version} on {self.case.set} {self.case.name}:\n"
                f"  model: {model}{extra}\n  real:  {real}\n"
                f"  platform: {platforms.describe(self.case.platform)}")


@dataclass
class SourceReport:
    package: str
    version: str
    suites: list[str]
    model_version: str
    counts: dict[str, Counter] = field(default_factory=lambda: {s: Counter() for s in SETS})
    disagreements: list[Disagreement] = field(default_factory=list)
    uncited: list[tuple[Case, list[str]]] = field(default_factory=list)
    answers: Counter = field(default_factory=Counter)  # what the real code printed, over all platforms
    statuses: Counter = field(default_factory=Counter)  # the exit statuses a shipped program ended with
    seconds: float = 0.0
    real_seconds: float = 0.0
    provenance: dict = field(default_factory=dict)

    @property
    def checked(self) -> int:
        return sum(sum(c.values()) for c in self.counts.values())

    def to_dict(self) -> dict[str, Any]:
        return {
            "package": self.package, "version": self.version, "suites": self.suites,
            "model": self.model_version,
            "platforms": {s: dict(c) for s, c in self.counts.items()},
            "checked": self.checked, "disagreements": len(self.disagreements),
            "uncited_reads": len(self.uncited), "answers": dict(self.answers),
            "exit_statuses": {str(k): v for k, v in sorted(self.statuses.items())},
            "seconds": round(self.seconds, 3),
            "real_code_seconds": round(self.real_seconds, 3),
        }


def _model_of(source: debsrc.Source, model_version: int | None) -> tuple[int | None, str]:
    """The model a source is compared with: systemd's version (``model_version``, else the
    source's own) and what it mirrors; virt-what has one."""
    if source.package == "systemd":
        version = model_version if model_version is not None else systemd_model.version_of(source.version)
        return version, systemd_model.mirrors(version)
    return None, virt_what_model.MIRRORS


def check_source(source: debsrc.Source, cases: list[Case], *, model_version: int | None = None,
                 detector: harness.Detector | None = None) -> SourceReport:
    """Run the real code of ``source`` (built here, or the given ``detector`` of it, left open) on
    every case and compare each answer with the model's."""
    t0 = time.monotonic()
    package = source.package
    version, model_label = _model_of(source, model_version)
    rep = SourceReport(package, source.version, source.suites, model_label)
    rep.provenance = source.provenance
    built = detector is None
    if detector is None:
        detector = harness.build(source)
    try:
        lines = [harness.encode(c.platform) for c in cases]
        t1 = time.monotonic()
        answers = detector.run(lines)
        rep.real_seconds = time.monotonic() - t1
    finally:
        if built:
            detector.close()
    for case, answer in zip(cases, answers):
        exp = expect(package, version, case.platform)
        missing = sorted(_reads(answer.reads, case.platform) - exp.cited)
        _tally(rep, case, exp, answer, [_fmt_read(r) for r in missing])
    rep.seconds = time.monotonic() - t0
    return rep


def _tally(rep: SourceReport, case: Case, exp: Expectation, answer: harness.Answer, uncited: list[str]) -> None:
    """One platform's comparison: the answer, the exit status of a program that ran whole, and
    what it read that the model's evidence does not cite."""
    real = real_answer(rep.package, answer.lines)
    rep.answers[" + ".join(answer.lines) if answer.lines else "(nothing)"] += 1
    # A shipped program's exit status is compared too (a compiled-source run calls only the detector).
    if answer.status is not None:
        rep.statuses[answer.status] += 1
    status_ok = answer.status is None or answer.status == exp.status
    if real == exp.real and status_ok:
        rep.counts[case.set]["agree" if exp.kind == "exact" else "agree-msr-unreadable"] += 1
    else:
        rep.counts[case.set]["disagree"] += 1
        rep.disagreements.append(Disagreement(case, exp.model_output, exp.real, real, exp.kind,
                                              exp.status, answer.status))
    if uncited:
        rep.uncited.append((case, uncited))


def check_arm64(source: debsrc.Source, cases: list[Case], *, model_version: int | None = None,
                invert: bool = False) -> SourceReport:
    """Run Debian's arm64 program of ``source`` (crosscheck/aarch64.py) on every arm64 case, with
    the device directory present where the model says Linux registers it (the opposite with
    ``invert``: a negative control), and compare each answer and exit status with the model's."""
    t0 = time.monotonic()
    version, label = _model_of(source, model_version)
    rep = SourceReport(source.package, f"{source.version} (arm64)", source.suites, label)
    rep.provenance = source.provenance
    expected = [expect_arm64(source.package, version, c.platform) for c in cases]
    program = aarch64.build(source)
    try:
        t1 = time.monotonic()
        answers = program.run([present != invert for _, present in expected])
        rep.real_seconds = time.monotonic() - t1
    finally:
        program.close()
    for case, (exp, _), answer in zip(cases, expected, answers):
        _tally(rep, case, exp, answer, [r for r in answer.reads if r not in exp.cited])
    rep.seconds = time.monotonic() - t0
    return rep


# -- the whole run -------------------------------------------------------------------------------------


@dataclass
class Run:
    reports: list[SourceReport] = field(default_factory=list)
    skipped: dict[str, str] = field(default_factory=dict)  # package -> reason
    notes: list[str] = field(default_factory=list)
    served: dict[str, list[debsrc.Served]] = field(default_factory=dict)
    sets: dict[str, int] = field(default_factory=dict)
    platform_skips: list[str] = field(default_factory=list)
    seed: int = 0
    seconds: float = 0.0

    @property
    def disagreements(self) -> int:
        return sum(len(r.disagreements) for r in self.reports)

    @property
    def evidence_gaps(self) -> int:
        return sum(len(r.uncited) for r in self.reports)

    def to_dict(self) -> dict[str, Any]:
        return {
            "sources": [r.to_dict() for r in self.reports],
            "skipped": self.skipped,
            "notes": self.notes,
            "served": {p: [{"version": s.version, "suites": list(s.suites)} for s in v] for p, v in self.served.items()},
            "platform_sets": self.sets,
            "seed": self.seed,
            "disagreements": self.disagreements,
            "evidence_gaps": self.evidence_gaps,
            "seconds": round(self.seconds, 3),
        }


def collect_cases(generated: int, seed: int) -> tuple[list[Case], list[str]]:
    cat, skipped_c = platforms.catalog()
    fix, skipped_f = platforms.fixtures()
    bases = [c.platform for c in cat + fix]
    gen = platforms.generated(generated, seed, bases)
    return cat + fix + gen, skipped_c + skipped_f


def crosscheck(*, packages: tuple[str, ...] = CHECKS, generated: int = 3000, seed: int = 1,
               cache: Path = DEFAULT_CACHE, prefer_cache: bool = False, all_versions: bool = False,
               local: dict[str, Path] | None = None, systemd_version: int | None = None,
               mirror: str = debsrc.DEFAULT_MIRROR, log: Callable[[str], None] = lambda s: None) -> Run:
    """Obtain, build and compare. Raises harness.BuildError on a build failure."""
    t0 = time.monotonic()
    run = Run(seed=seed)
    why = harness.machine_ok() or (None if harness.compiler() else "no C compiler (gcc) found; apt-get install gcc")
    if why:
        run.skipped = {p: why for p in packages}
        return run
    sources: list[debsrc.Source] = []
    arm64: list[debsrc.Source] = []
    for package in packages:
        if package in ARM64:
            got = _obtain_arm64(package, run, cache, prefer_cache, mirror, log)
            arm64 += [got] if got is not None else []
            continue
        if local and package in local:
            try:
                sources.append(debsrc.local_source(package, local[package]))
                run.notes.append(f"{package}: local source {local[package]}")
            except debsrc.Unavailable as err:
                run.skipped[package] = str(err)
            continue
        accept, policy = POLICY[package]
        try:
            got = debsrc.obtain(package, accept, policy, cache=cache, prefer_cache=prefer_cache,
                                all_versions=all_versions, mirror=mirror, log=log)
        except debsrc.Unavailable as err:
            run.skipped[package] = skip_reason(package, err)
            served = _served_quietly(cache, package, mirror)
            if served:
                run.served[package] = served
            continue
        sources += got.sources
        run.notes += got.notes
        if got.served is not None:
            run.served[package] = got.served
    if sources:
        cases, run.platform_skips = collect_cases(generated, seed)
        run.sets = dict(Counter(c.set for c in cases))
        for source in sources:
            log(f"checking {source.package} {source.version}")
            run.reports.append(check_source(source, cases, model_version=systemd_version if source.package == "systemd" else None))
    if arm64:
        cases, skipped = platforms.catalog("arm64")
        run.sets["arm64 catalog"] = len(cases)
        run.platform_skips += skipped
        for source in arm64:
            log(f"checking {source.package} {source.version} (arm64, under {aarch64.QEMU})")
            run.reports.append(check_arm64(source, cases, model_version=systemd_version))
    run.seconds = time.monotonic() - t0
    return run


# What each arm64 check accepts: systemd with the aarch64 branch, virt-what the version the model mirrors.
ARM64_POLICY: dict[str, tuple[Callable[[str], bool], str]] = {
    "systemd": (lambda v: debsrc.upstream_major(v) >= systemd_arm64.CCA_VERSION,
                f"version {systemd_arm64.CCA_VERSION} or later (the first with an aarch64 branch)"),
    "virt-what": POLICY["virt-what"],
}


def _obtain_arm64(check: str, run: Run, cache: Path, prefer_cache: bool, mirror: str,
                  log: Callable[[str], None]) -> debsrc.Source | None:
    """Debian's arm64 build of the check's program, or None with the skip reason recorded."""
    why = aarch64.missing()
    if why:
        run.skipped[check] = why
        return None
    package = ARM64[check]
    accept, policy = ARM64_POLICY[package]
    try:
        got = debsrc.obtain_binary(package, "arm64", accept, policy, cache=cache, prefer_cache=prefer_cache,
                                   mirror=mirror, log=log)
    except debsrc.Unavailable as err:
        run.skipped[check] = skip_reason(check, err)
        return None
    run.notes += got.notes
    return got.sources[0]


def _served_quietly(cache: Path, package: str, mirror: str) -> list[debsrc.Served]:
    apt = debsrc.Apt(Path(cache) / "apt", mirror=mirror)
    if apt.missing() or apt.lists_age() is None:
        return []
    try:
        return apt.served(package)
    except debsrc.Unavailable:
        return []


# -- output ---------------------------------------------------------------------------------------------


def _table(rows: list[list[str]], header: list[str]) -> str:
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    line = lambda r: "  ".join(str(c).ljust(w) for c, w in zip(r, widths)).rstrip()  # noqa: E731
    return "\n".join([line(header), line(["-" * w for w in widths]), *map(line, rows)])


def render(run: Run, *, max_show: int = 20) -> str:
    out: list[str] = []
    if run.served:
        rows = []
        for package, served in run.served.items():
            for s in served:
                rows.append([package, s.version, ", ".join(s.suites)])
        out += ["Debian archive (private deb-src lists):", _table(rows, ["package", "version", "suites"]), ""]
    for note in run.notes:
        out.append(f"note: {note}")
    for skip in run.platform_skips:
        out.append(f"note: {skip}")
    if run.notes or run.platform_skips:
        out.append("")
    for rep in run.reports:
        shown = 0
        for dis in rep.disagreements:
            if shown >= max_show:
                out.append(f"... {len(rep.disagreements) - shown} more disagreements for {rep.package} {rep.version}")
                break
            out += [dis.render(rep.package, rep.version), ""]
            shown += 1
    rows = []
    for rep in run.reports:
        for s in SETS:
            c = rep.counts[s]
            total = sum(c.values())
            if not total:
                continue
            rows.append([f"{rep.package} {rep.version}", s, str(total), str(c["agree"]),
                         str(c["agree-msr-unreadable"]), str(c["disagree"])])
        rows.append([f"{rep.package} {rep.version}", "total", str(rep.checked),
                     str(sum(rep.counts[s]["agree"] for s in SETS)),
                     str(sum(rep.counts[s]["agree-msr-unreadable"] for s in SETS)), str(len(rep.disagreements))])
    if rows:
        out.append(_table(rows, ["real code", "platforms", "checked", "agree", "agree (MSR unreadable)", "disagree"]))
        for rep in run.reports:
            out.append(f"{rep.package} {rep.version}: model = {rep.model_version}; real code ran "
                       f"{rep.checked} platforms in {rep.real_seconds * 1000:.0f} ms (build + compare {rep.seconds:.1f} s); "
                       f"platforms where the real code read something the model's evidence does not cite: {len(rep.uncited)}")
            out.append("  real answers: " + ", ".join(f"{a} {n}" for a, n in rep.answers.most_common()))
            if rep.statuses:
                out.append("  exit statuses: " + ", ".join(f"{k} {n}" for k, n in sorted(rep.statuses.items())))
            for case, missing in rep.uncited[:5]:
                out.append(f"  uncited on {case.set} {case.name}: {', '.join(missing)}")
    for package, reason in run.skipped.items():
        out.append(f"SKIPPED {package}: {reason}")
    checked = ", ".join(f"{r.package} {r.version} ({r.checked} platforms)" for r in run.reports) or "nothing"
    skipped = f"; skipped: {', '.join(run.skipped)}" if run.skipped else ""
    if run.disagreements or run.evidence_gaps:
        verdict = f"FAILED: {run.disagreements} disagreements, {run.evidence_gaps} evidence gaps"
    elif run.reports:
        verdict = "OK: the models agree with the real code on every platform"
    else:
        verdict = "NOTHING CHECKED"
    out.append(f"{verdict} — checked: {checked}{skipped} ({run.seconds:.1f} s, generated platforms seed {run.seed})")
    return "\n".join(out)


def _origin(rep: SourceReport) -> str:
    prov = rep.provenance
    if prov.get("local"):
        return f"local tree {prov['local']} (not from the archive)"
    if prov.get("form") == "binary":
        debs = ", ".join(f"{d.get('name', '?')} (sha256 {d.get('sha256', '?')[:16]}…)" for d in prov.get("debs") or [])
        how = (f"run under {aarch64.QEMU} with {aarch64.PLATFORM_DIR} a private tmpfs" if prov.get("arch") == "arm64"
               else "run as compiled with CPUID trapped (the source could not be downloaded)")
        return f"Debian binary packages ({', '.join(rep.suites) or '?'}, pinned): {debs}, {how}, fetched {prov.get('fetched', '?')}"
    dsc = prov.get("dsc") or {}
    pinned = debsrc.PINNED_DSC.get((rep.package, rep.version))
    pin = "pinned" if pinned and pinned == dsc.get("sha256") else "unpinned"
    return (f"Debian source package ({', '.join(rep.suites) or '?'}), .dsc sha256 {dsc.get('sha256', '?')[:16]}… "
            f"({pin}), fetched {prov.get('fetched', '?')}")


def _short(reason: str) -> str:
    """apt's failure lines without the mirror's address: the file name and the HTTP status."""
    reason = re.sub(r"E: Failed to fetch \S*/([^/\s]+)\s+(\d{3})\s+([\w ]+?)\s*\[IP:[^\]]*\]", r"\1: \2 \3", reason)
    return re.sub(r"\s*\|\s*E: Failed to fetch some archives\.", "", reason)


def write_results(run: Run, path: Path, command: str) -> None:
    """The dated summary the README and docs/crosscheck.md quote; written atomically.

    Every figure in it comes from this run; a source that could not be had is listed under
    "not reproduced here" with the reason, never with a figure."""
    import platform as _platform

    lines = ["# Cross-check results", "",
             f"Written by `make crosscheck` (`{command}`); do not edit by hand. Method: docs/crosscheck.md.", "",
             f"- date: {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}",
             f"- machine: {_platform.machine()}, Python {_platform.python_version()}, {harness.compiler() or 'no C compiler'}",
             f"- platforms: {', '.join(f'{n} {k}' for k, n in run.sets.items()) or 'none'} (generated seed {run.seed})",
             f"- verdict: {run.disagreements} disagreements, {run.evidence_gaps} evidence gaps over "
             f"{len(run.reports)} real source(s)", "",
             "| real code | model | checked | agree | agree (MSR unreadable) | disagree | evidence gaps | obtained |",
             "|---|---|---:|---:|---:|---:|---:|---|"]
    for rep in run.reports:
        agree = sum(rep.counts[s]["agree"] for s in SETS)
        unread = sum(rep.counts[s]["agree-msr-unreadable"] for s in SETS)
        lines.append(f"| {rep.package} {rep.version} | {rep.model_version} | {rep.checked} | {agree} | {unread} | "
                     f"{len(rep.disagreements)} | {len(rep.uncited)} | {_origin(rep)} |")
    for rep in run.reports:
        exits = (f" The program's exit statuses: {', '.join(f'{k} {n}' for k, n in sorted(rep.statuses.items()))}."
                 if rep.statuses else "")
        lines.append(f"\n{rep.package} {rep.version} printed (over all platforms): "
                     + ", ".join(f"{a} {n}" for a, n in rep.answers.most_common())
                     + f"; the real code ran them in {rep.real_seconds * 1000:.0f} ms." + exits)
    missing = [f"- {p}: {why}" for p, why in run.skipped.items()]
    # A source that failed but whose binary package was checked is not missing: its row says how.
    binary = {(r.package, r.version) for r in run.reports if r.provenance.get("form") == "binary"}
    missing += [f"- {n}" for n in run.notes if not n.endswith((": fetched", ": from the cache")) and "from the cache (" not in n
                and not n.startswith(tuple(f"{p}: local" for p in ("systemd", "virt-what")))
                and not any(n.startswith(f"{p} {v} (") for p, v in binary)]
    lines += ["", "## Not reproduced here", ""] + ([_short(m) for m in missing] or
                                                   ["- nothing: every source the models claim was checked"])
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text("\n".join(lines) + "\n")
    tmp.replace(path)


def save_disagreements(run: Run, root: Path) -> list[Path]:
    """Each disagreeing platform as a bundle directory pvenum can resolve again."""
    from pvenum.cpuid import cpuid_r

    saved = []
    for rep in run.reports:
        for i, dis in enumerate(rep.disagreements):
            if dis.case.platform.cpuid is None:  # an arm64 catalog scenario: its name says it (pvenum resolve NAME)
                continue
            d = root / f"{rep.package}-{rep.version.replace(':', '_')}-{i:04d}"
            d.mkdir(parents=True, exist_ok=True)
            p = dis.case.platform
            (d / "cpuid").write_text(cpuid_r.write(p.cpuid))
            toml = [f"# {dis.case.set} {dis.case.name}: model {json.dumps(dis.model_output)}, "
                    f"{rep.package} {rep.version} printed {json.dumps(dis.real)}", 'arch = "x86_64"']
            if p.msr is not None:
                toml += ["", "[msr]"] + [f'"0x{k:x}" = 0x{v:x}' for k, v in sorted(p.msr.items())]
            (d / "platform.toml").write_text("\n".join(toml) + "\n")
            saved.append(d)
    return saved


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="crosscheck/run.py", description=__doc__.split("\n\n")[0])
    ap.add_argument("--generated", type=int, default=3000, help="number of generated platforms (default 3000)")
    ap.add_argument("--seed", type=int, default=1, help="seed of the generated platforms (default 1)")
    ap.add_argument("--only", action="append", choices=CHECKS, help="check only this source")
    ap.add_argument("--cache", type=Path, default=DEFAULT_CACHE, help="cache directory (default .cache/crosscheck)")
    ap.add_argument("--prefer-cache", action="store_true", help="use cached sources without consulting the archive")
    ap.add_argument("--all-versions", action="store_true", help="check every acceptable version the archive serves")
    ap.add_argument("--mirror", default=debsrc.DEFAULT_MIRROR, help="Debian mirror (default %(default)s)")
    ap.add_argument("--systemd-source", type=Path, help="a local systemd tree instead of the archive's")
    ap.add_argument("--systemd-version", type=int, help="the systemd model version to compare with (default: from the source)")
    ap.add_argument("--virt-what-source", type=Path, help="a local virt-what tree instead of the archive's")
    ap.add_argument("--require", action="append", default=[], choices=CHECKS,
                    help="fail (exit 2) instead of skipping when this source cannot be had")
    ap.add_argument("--max-show", type=int, default=20, help="disagreements printed per source (default 20)")
    ap.add_argument("--json", type=Path, help="also write the report as JSON here")
    ap.add_argument("--results", type=Path, help="also write the dated Markdown summary here (make crosscheck: "
                    "crosscheck/RESULTS.md)")
    ap.add_argument("--save", type=Path, metavar="DIR",
                    help="write each disagreeing platform as a bundle (cpuid + platform.toml) under DIR")
    ap.add_argument("-q", "--quiet", action="store_true", help="no progress lines")
    args = ap.parse_args(argv)

    local = {}
    if args.systemd_source:
        local["systemd"] = args.systemd_source
    if args.virt_what_source:
        local["virt-what"] = args.virt_what_source
    log = (lambda s: None) if args.quiet else (lambda s: print(f"crosscheck: {s}", file=sys.stderr, flush=True))
    try:
        run = crosscheck(packages=tuple(args.only or CHECKS), generated=args.generated,
                         seed=args.seed, cache=args.cache, prefer_cache=args.prefer_cache,
                         all_versions=args.all_versions, local=local, systemd_version=args.systemd_version,
                         mirror=args.mirror, log=log)
    except (harness.BuildError, RuntimeError) as err:
        print(f"crosscheck: error: {err}", file=sys.stderr)
        return 2
    print(render(run, max_show=args.max_show))
    if args.json:
        args.json.write_text(json.dumps(run.to_dict(), indent=2) + "\n")
    if args.results:
        write_results(run, args.results,
                      " ".join(["python crosscheck/run.py", *(argv if argv is not None else sys.argv[1:])]))
    if args.save and run.disagreements:
        for path in save_disagreements(run, args.save):
            print(f"saved {path} (pvenum resolve {path} --model systemd --model virt-what)")
    if run.disagreements or run.evidence_gaps:
        return 1
    if any(p in run.skipped for p in args.require):
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
