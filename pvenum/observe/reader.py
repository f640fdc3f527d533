"""Read a kernel's own output — console or dmesg lines plus the report lines of the
kernelcheck init or `pvenum snapshot` — into an :class:`Observation`.

Two steps: :func:`scan` collects facts (each with the line that showed it), :func:`conclude`
turns them into the derivation vocabulary. Every conclusion cites the kernel code that printed
its evidence (messages.py); what cannot be seen is left None with the reason.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..resolver.derivation import Evidence, Service
from . import messages as M
from .model import Observation

MAX_BYTES = 32 << 20  # a boot log is a few hundred KiB; a longer one is cut, not trusted
MAX_LINE = 1 << 16  # an ACPI table dumped as one hex line
_PREFIX = re.compile(r"^(?:<\d+>)?(?:\[\s*\d+\.\d+\]\s?)?")


@dataclass
class Seen:
    """One fact and where it came from."""

    groups: tuple[str, ...]
    source: str  # "console line 12", "/proc/cpuinfo flags", "/dev/sev-guest", ...
    text: str
    cite: str


@dataclass
class Facts:
    origin: str
    kernel_lines: int = 0
    lines: dict[str, Seen] = field(default_factory=dict)  # MESSAGES fact -> first match
    report_begun: bool = False
    report_ended: bool = False
    uname_r: Seen | None = None
    uname_m: Seen | None = None
    cpuinfo: Seen | None = None  # groups: the flag words
    paths: dict[str, Seen] = field(default_factory=dict)  # path -> groups ("present"|"absent",)
    files: dict[str, Seen] = field(default_factory=dict)  # path -> groups (content,)
    tpm0_driver: Seen | None = None
    modules: Seen | None = None  # groups: (count,)
    unreadable: dict[str, str] = field(default_factory=dict)
    acpi: dict[str, bytes] = field(default_factory=dict)  # signature -> table, as the guest dumped it

    def flags(self) -> set[str]:
        return set(self.cpuinfo.groups) if self.cpuinfo else set()


def _report(facts: Facts, body: str, n: int) -> None:
    word, _, rest = body.partition(" ")
    here = f"{facts.origin} line {n}"
    if word == "begin":
        facts.report_begun = True
    elif word == "end":
        facts.report_ended = True
    elif word == "uname-r":
        facts.uname_r = Seen((rest.strip(),), "uname -r", body, "uname(2) release")
    elif word == "uname-m":
        facts.uname_m = Seen((rest.strip(),), "uname -m", body, "uname(2) machine")
    elif word == "cpuinfo":
        _, _, words = rest.partition(":")
        facts.cpuinfo = Seen(tuple(words.split()), "/proc/cpuinfo flags", body[:200], M.CPUINFO_CITE)
    elif word in ("present", "absent"):
        path = rest.strip()
        if path in M.CHECKED_PATHS:
            facts.paths[path] = Seen((word,), path, body, here)
    elif word == "file":
        path, _, content = rest.strip().partition(" ")
        facts.files[path] = Seen((content.strip(),), path, body, here)
    elif word == "tpm0-driver":
        facts.tpm0_driver = Seen((rest.strip(),), "/sys/class/tpm/tpm0/device/driver", body, here)
    elif word == "modules":
        facts.modules = Seen((rest.strip(),), "/proc/modules", body, here)
    elif word == "unreadable":
        what, _, why = rest.partition(": ")
        facts.unreadable[what.strip()] = why.strip()
    # "cpuid" lines are left to kernelcheck/asbooted.py cpuid_text(), which merges them with
    # what QEMU logged it answered; no conclusion here reads them.
    elif word == "acpi":
        sig, _, hexdata = rest.strip().partition(" ")
        try:
            facts.acpi[sig] = bytes.fromhex(hexdata.strip())
        except ValueError:
            facts.unreadable[f"acpi {sig}"] = "the hex dump on the console is damaged"


def scan(text: str | bytes, *, origin: str = "console") -> Facts:
    if isinstance(text, bytes):
        text = text[:MAX_BYTES].decode("utf-8", errors="replace")
    else:
        text = text[:MAX_BYTES]
    facts = Facts(origin)
    for n, raw in enumerate(text.splitlines(), start=1):
        line = raw.replace("\r", "")[:MAX_LINE]
        at = line.find(M.REPORT_PREFIX)
        if at >= 0:  # report lines may share a console line with a kernel message's tail
            _report(facts, line[at + len(M.REPORT_PREFIX):], n)
            continue
        stripped = _PREFIX.sub("", line, count=1)
        if stripped != line or stripped.startswith("Linux version "):
            facts.kernel_lines += 1
        for msg in M.MESSAGES:
            if msg.fact in facts.lines:
                continue
            m = msg.pattern.search(stripped)
            if m:
                facts.lines[msg.fact] = Seen(m.groups(), f"{facts.origin} line {n}", stripped.strip(), msg.cite)
    return facts


# -- conclusions -----------------------------------------------------------------------------------


def _ev(obs: Observation, seen: Seen, name: str, rule: str) -> None:
    obs.evidence.append(Evidence(seen.source, seen.text, name=name, rule=f"observe.{rule}", cite=seen.cite))


def _arch(facts: Facts) -> str | None:
    if facts.uname_m:
        return {"x86_64": "x86_64", "aarch64": "arm64"}.get(facts.uname_m.groups[0])
    rel = facts.lines.get("release")
    if rel:
        if "arm64" in rel.groups[0] or "aarch64" in rel.text:
            return "arm64"
        if "amd64" in rel.groups[0] or "x86_64" in rel.text:
            return "x86_64"
    if facts.lines.get("hypervisor") or facts.lines.get("mem_encrypt"):
        return "x86_64"
    if facts.lines.get("psci_version"):
        return "arm64"
    return None


def _hypervisor(facts: Facts, obs: Observation) -> None:
    L = facts.lines
    if obs.arch == "x86_64":
        seen = L.get("hypervisor")
        if seen:
            obs.hypervisor = M.X86_HYPERVISOR_NAMES.get(seen.groups[0], "unknown")
            _ev(obs, seen, "hypervisor", "x86.hypervisor-detected")
        elif facts.cpuinfo:
            # No vendor matched; X86_FEATURE_HYPERVISOR (CPUID.1:ECX[31]) still says "a guest".
            obs.hypervisor = "unknown" if "hypervisor" in facts.flags() else "none"
            _ev(obs, facts.cpuinfo, "hypervisor flag " + ("set" if "hypervisor" in facts.flags() else "clear"),
                "x86.hypervisor-flag")
        else:
            obs.unobserved["hypervisor"] = "no \"Hypervisor detected\" line and no /proc/cpuinfo flags to tell none from unknown"
        return
    if obs.arch == "arm64":
        for fact, name in (("xen_found", "xen"), ("hv_privilege", "hyperv"), ("kvm_services", "kvm")):
            seen = L.get(fact)
            if seen:
                obs.hypervisor = name
                _ev(obs, seen, "hypervisor", f"arm64.{fact.replace('_', '-')}")
                return
        method = facts.files.get("/proc/device-tree/psci/method")
        smccc = L.get("smccc_version")
        if smccc and (int(smccc.groups[0]), int(smccc.groups[1])) < (1, 1):
            # SMCCC v1.0: arm_smccc_1_1_get_conduit() is SMCCC_CONDUIT_NONE, so the kernel never
            # asks for a vendor hypervisor UID: it concludes nothing about a hypervisor.
            obs.hypervisor = "none"
            _ev(obs, smccc, "SMCCC v1.0: no conduit for vendor calls", "arm64.smccc-version")
        elif method:
            # A conduit, and over HVC (EL2) something answers that names no vendor the kernel knows;
            # over SMC the same when the kernel found its realm ("RME: Using RSI version",
            # arch/arm64/kernel/rsi.c arm64_rsi_init()): a realm runs under a host hypervisor
            # (and its RMM) that names no vendor, as the linux model's arm.hypervisor() says.
            realm = L.get("rsi") if method.groups[0] == "smc" else None
            obs.hypervisor = "unknown" if method.groups[0] == "hvc" or realm else "none"
            _ev(obs, method, "psci method", "arm64.psci-method")
            if realm:
                _ev(obs, realm, "a realm (RSI)", "arm64.rsi")
        else:
            obs.unobserved["hypervisor"] = "no vendor line and no /proc/device-tree/psci/method to tell none from unknown"
        return
    obs.unobserved["hypervisor"] = "architecture unknown"


def _isolation(facts: Facts, obs: Observation) -> tuple[str | None, bool]:
    """Isolation and whether a Hyper-V paravisor is in charge."""
    L = facts.lines
    paravisor = False
    hv_type = None
    hv = L.get("hv_isolation")
    if hv:
        a, b = int(hv.groups[0], 16), int(hv.groups[1], 16)
        paravisor = bool(a & M.HV_PARAVISOR_PRESENT)
        hv_type = M.HV_ISOLATION_TYPES.get(b & 0xF, "none")
        _ev(obs, hv, f"isolation type {hv_type}, paravisor {'present' if paravisor else 'absent'}",
            "x86.hyperv-isolation-config")
    me = L.get("mem_encrypt")
    iso = None
    if me:
        words = me.groups[0].split()
        if "TDX" in words:
            iso = "tdx"
        elif "SEV-SNP" in words:
            iso = "sev-snp"
        elif "SEV-ES" in words:
            iso = "sev-es"
        elif "SEV" in words:
            iso = "sev"
        _ev(obs, me, "memory encryption features", "x86.mem-encrypt-features")
    for fact, name in (("tdx_guest", "tdx"), ("rsi", "cca")):
        seen = L.get(fact)
        if seen:
            iso = iso or name
            _ev(obs, seen, name, f"{fact.replace('_', '-')}")
    if "tdx_guest" in facts.flags() and iso is None:
        iso = "tdx"
        _ev(obs, facts.cpuinfo, "tdx_guest flag", "x86.tdx-guest-flag")  # type: ignore[arg-type]
    cca = facts.paths.get("/sys/devices/platform/arm-cca-dev")
    if cca and cca.groups[0] == "present" and iso is None:
        iso = "cca"
        _ev(obs, cca, "arm-cca-dev present", "arm64.cca-dev")
    if hv_type not in (None, "none"):
        # Hyper-V's own word wins: under vTOM (hv_vtom_init()) the features line says only
        # "AMD SEV" whatever the isolation type, and for VBS it says the same.
        iso = hv_type
    if iso is None:
        anchor = L.get("brought_up")
        if anchor:
            iso = "none"  # the lines above print before SMP bring-up; none came
            _ev(obs, anchor, "no memory encryption, TDX, RSI or Hyper-V isolation line before it",
                "no-isolation-line")
        elif facts.report_ended:  # the report came whole, the boot's lines did not
            # No tdx_guest flag rules out TDX only: on an AMD CPU a SEV guest's sev, sev_es and
            # sev_snp flags are cleared unless SYSCFG.MEM_ENCRYPT and HWCR.SMMLOCK read set, and KVM
            # answers 0 for both (arch/x86/kernel/cpu/amd.c early_detect_mem_encrypt()), so their
            # absence says nothing.
            lost = facts.unreadable.get("dmesg")
            why = f"the kernel's log was not read ({lost})" if lost else "the boot's lines are not in the log"
            obs.unobserved["isolation"] = why + (
                "; /proc/cpuinfo cannot tell: on AMD a SEV guest's sev flags are cleared unless SYSCFG.MEM_ENCRYPT "
                "and HWCR.SMMLOCK read set" if obs.arch == "x86_64" else "")
        else:
            obs.unobserved["isolation"] = "the log ends before smp_init(); the memory encryption line may not have printed yet"
    return iso, paravisor


def _services(facts: Facts, obs: Observation) -> None:
    if not facts.paths:
        for s in ("attestation", "vtpm", "tdisp"):
            obs.services[s] = None
        obs.unobserved["services"] = "no device nodes or sysfs entries were listed"
        return
    no_modules = facts.modules is not None and facts.modules.groups[0] == "0"
    for service in ("attestation", "vtpm"):
        found = None
        for path, (svc, via, cite) in M.SERVICE_PATHS.items():
            seen = facts.paths.get(path)
            if svc != service or seen is None:
                continue
            if seen.groups[0] == "present" and found is None:
                if path == "/dev/tpm0" and facts.tpm0_driver:
                    via = f"{facts.tpm0_driver.groups[0]} (/dev/tpm0)"
                found = Service(True, via)
                obs.evidence.append(Evidence(path, "present", name=via, rule=f"observe.{service}", cite=cite))
        if found is not None:
            obs.services[service] = found
        elif service == "attestation" and no_modules:
            obs.services[service] = None
            obs.unobserved["services.attestation"] = (
                "no kernel module is loaded (/proc/modules is empty) and the guest attestation drivers "
                "(sev-guest, tdx-guest, arm-cca-guest, tsm) are modules in Debian's kernels")
        else:
            obs.services[service] = Service(False, None)
    obs.services["tdisp"] = None
    obs.unobserved["services.tdisp"] = "no device node or sysfs entry shows guest TDISP in the kernels read"


def conclude(facts: Facts) -> Observation:
    L = facts.lines
    if facts.report_ended:
        outcome = "booted"
    elif "panic" in L:
        outcome = "panic"
    elif facts.kernel_lines == 0 and not facts.report_begun:
        outcome = "stopped-before-console"
    else:
        outcome = "stopped"
    obs = Observation(facts.origin, outcome, unreadable=dict(facts.unreadable))
    if "panic" in L:
        obs.panic = L["panic"].groups[0]
        _ev(obs, L["panic"], "panic", "panic")
    if outcome == "stopped-before-console":
        obs.unobserved["*"] = "boot stopped before the console: not one kernel line was printed"
        return obs
    obs.arch = _arch(facts)
    if facts.uname_r:
        obs.kernel_release = facts.uname_r.groups[0]
        _ev(obs, facts.uname_r, "kernel release", "release")
    elif "release" in L:
        obs.kernel_release = L["release"].groups[0]
        _ev(obs, L["release"], "kernel release", "release")
    _hypervisor(facts, obs)
    iso, paravisor = _isolation(facts, obs)
    obs.isolation = iso
    if iso is not None:
        if iso == "none":
            obs.mode = "not-confidential"
        else:
            obs.mode = "paravisor" if paravisor else "enlightened"
        obs.memory_acceptance = _acceptance(facts, obs, iso, paravisor)
    else:
        obs.unobserved["mode"] = obs.unobserved["memory_acceptance"] = "isolation was not observed"
    _services(facts, obs)
    return obs


def _acceptance(facts: Facts, obs: Observation, iso: str, paravisor: bool) -> str:
    # Not printed by the kernel: inferred from the isolation it reported, the way the kernel's
    # arch_accept_memory() chooses (tdx_accept_memory(), snp_accept_memory() - through the SVSM
    # when X86_FEATURE_SVSM is set - and arm64 rsi_set_memory_range_protected()); behind a
    # paravisor the kernel accepts nothing (hv_vtom_init() leaves no accept path).
    if iso == "none" or iso in ("sev", "sev-es", "vbs"):
        return "none"
    if paravisor:
        return "paravisor"
    if iso == "sev-snp" and "svsm" in facts.flags():
        _ev(obs, facts.cpuinfo, "svsm flag", "x86.svsm-flag")  # type: ignore[arg-type]
        return "svsm"
    return "guest"


def read(text: str | bytes, *, origin: str = "console") -> Observation:
    return conclude(scan(text, origin=origin))
