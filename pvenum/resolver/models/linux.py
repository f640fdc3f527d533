"""The ``linux`` model: what upstream Linux concludes (x86: linux_x86, arm64: linux_arm64),
followed on both arches by the cross-channel rules (pvenum/resolver/crosschannel.py).

``derive(platform, release="6.1")`` mirrors that release instead of mainline
(pvenum/resolver/models/linux_releases.py): rules whose behaviour changed ask the release,
and every rule's citation names the release and source tree it mirrors.
"""

from __future__ import annotations

import functools
import importlib
import re
from typing import TYPE_CHECKING

from ...platform import Platform
from .. import crosschannel
from ..derivation import Derivation, Finding
from ..engine import Ctx, Rule, State, run
from .linux_releases import CHANGES, MAINLINE, RELEASES, Release, parse_release, read_from

if TYPE_CHECKING:  # pragma: no cover
    from ...kconfig import KernelConfig

MIRRORS = ("torvalds/linux mainline (mid-2026 tree, checked against Debian's linux 7.2.8 source: "
           "docs/linux-releases.md lists where it still differs; files and commits read: docs/sources.md)")

# Files that moved and symbols renamed: what an older release calls the code a mainline citation
# names, each (the newest release with the old name, the old name). Each boundary is placed by the
# commit that moved or renamed it (docs/linux-releases.md, "Renamed symbols in the cites"), and `make
# citecheck` reads it in every tree it has: 6.1.176, 6.12.107, 6.17.8, 6.18.15, 6.19.11, 7.1.13, 7.2.8.
# v6.16's x86/core pull (tag x86-core-2025-05-25, merge 785cdec46e92) moved the SEV and SME start-up
# code into arch/x86/boot/startup/ (234cf67fc3bd, a3cbbb4717e1, "x86/boot: Move early SME init code
# into startup/") and renamed hypervisor_cpuid_base(); 37dbd78f98a8 (tip x86/sev, v6.18) moved the
# GHCB protocol code on to arch/x86/coco/sev/vc-shared.c.
_STARTUP_SEV_SHARED = (Release(6, 6), "arch/x86/kernel/sev-shared.c"), (Release(6, 15), "arch/x86/coco/sev/shared.c")


def _ghcb_moved(fn: str) -> tuple[tuple[Release, str], ...]:
    """Where a function vc-shared.c holds from v6.18 lived before: sev-shared.c, wherever that was."""
    return (*((until, f"{path}: {fn}") for until, path in _STARTUP_SEV_SHARED),
            (Release(6, 17), f"arch/x86/boot/startup/sev-shared.c: {fn}"))


_RENAMED: dict[str, tuple[tuple[Release, str], ...]] = {
    "arch/x86/coco/sev/core.c": ((Release(6, 6), "arch/x86/kernel/sev.c"),),
    "arch/x86/boot/startup/sev-shared.c": _STARTUP_SEV_SHARED,
    "arch/x86/boot/startup/sme.c": ((Release(6, 15), "arch/x86/mm/mem_encrypt_identity.c"),),
    "arch/x86/kernel/acpi/madt_wakeup.c": ((Release(6, 6), "arch/x86/kernel/acpi/boot.c"),),
    # "arch, mm: reduce code duplication in mem_init()": MM updates for 6.15-rc1 (mm-stable-2025-03-30-16-52).
    "arch/arm64/mm/init.c: arch_mm_preinit()": ((Release(6, 14), "arch/arm64/mm/init.c: mem_init()"),),
    "tdx_setup(), disable_sept_ve()": ((Release(6, 6), "tdx_parse_tdinfo()"),),
    # <asm/cpuid/api.h> split off <asm/cpuid.h> in v6.15 ("x86/cpuid: Refactor <asm/cpuid.h>",
    # adc574269bca, in torvalds master before v6.15-rc1); the name changed in v6.16's x86/core pull.
    "arch/x86/include/asm/cpuid/api.h: cpuid_base_hypervisor()": (
        (Release(6, 1), "arch/x86/include/asm/processor.h: hypervisor_cpuid_base()"),
        (Release(6, 14), "arch/x86/include/asm/cpuid.h: hypervisor_cpuid_base()"),
        (Release(6, 15), "arch/x86/include/asm/cpuid/api.h: hypervisor_cpuid_base()")),
    "arch/x86/coco/sev/vc-shared.c: sev_es_negotiate_protocol()": _ghcb_moved("sev_es_negotiate_protocol()"),
    "arch/x86/coco/sev/vc-shared.c: sev_es_check_cpu_features()": _ghcb_moved("sev_es_check_cpu_features()"),
    "arch/x86/boot/startup/sev-startup.c: snp_init()": (
        (Release(6, 6), "arch/x86/kernel/sev.c: snp_init()"), (Release(6, 15), "arch/x86/coco/sev/core.c: snp_init()")),
    "early_snp_init()": ((Release(6, 1), "snp_init()"),),  # 6.12.107 has early_snp_init() already
    # x86/sev: Rename SNP_FEATURES_PRESENT->SNP_FEATURES_IMPL: posted 2026-02-03, after v6.19's merge window
    # (6.19.11 has the old name, 7.1.13 the new).
    "SNP_FEATURES_IMPL": ((Release(6, 19), "SNP_FEATURES_PRESENT"),),
    # x86/hyperv: Clean up hv_do_hypercall() (0e20f1f4c2cb, tip x86/core 2025-08-18: v6.18) dropped the
    # global; it came with v6.6 (the "hyperv-vtom" row).
    "ms_hyperv.paravisor_present": ((Release(6, 5), "ms_hyperv_init_platform() (no paravisor flag before v6.6)"),
                                    (Release(6, 17), "hyperv_paravisor_present")),
}


def _row(key: str) -> tuple[Release, str]:
    since = CHANGES[key].since
    return since, f"absent before {since.tag}"


# Files and names older releases lack: (the first release that has it, what the cite says before
# it). A CHANGES row places most; for the others only the trees read tell.
_ABSENT: dict[str, tuple[Release, str]] = {
    **dict.fromkeys(("arch/arm64/kernel/rsi.c", "arch/arm64/include/asm/rsi.h", "arch/arm64/include/asm/rsi_cmds.h",
                     "drivers/virt/coco/arm-cca-guest/arm-cca-guest.c", "SWIOTLB_FORCE"), _row("cca-realm")),
    "drivers/char/tpm/tpm_svsm.c": _row("tpm-svsm"),
    # The pKVM guest series brought the arm64 hooks it and the realm code register into (6.12.107 has them).
    **dict.fromkeys(("drivers/virt/coco/pkvm-guest/arm-pkvm-guest.c", "arch/arm64/mm/mem_encrypt.c",
                     "arm64_ioremap_prot_hook_register()"), _row("pkvm-guest")),
    "arch/x86/include/asm/unaccepted_memory.h": _row("unaccepted-memory"),
    "drivers/virt/coco/tdx-guest/tdx-guest.c": _row("tdx-guest-driver"),
    "svsm_setup_ca()": _row("svsm"),
    # The SNP host set-up came with the same pull (x86/sev for v6.9) as bsp_determine_snp().
    **dict.fromkeys(("bsp_determine_snp()", "arch/x86/virt/svm/sev.c", "snp_probe_rmptable_info()"),
                    _row("amd-cc-vendor")),
    "X86_FEATURE_SEV_SNP": _row("sev-snp-feature"),
    "arch/x86/kernel/cpu/bhyve.c": _row("bhyve"),
    "hv_identify_partition_type()": _row("hyperv-partition-type"),
    **dict.fromkeys(("hyperv_detect_via_acpi()", "hyperv_detect_via_smccc()"), _row("arm64-hyperv-smccc")),
    "hv_vtom_init()": (Release(6, 3), "absent before v6.3"),  # the "hyperv-vtom" row's text
    # "PCI/TSM: Establish Secure Sessions and Link Encryption" (3225f52cde56): v6.19 (6.18.15 lacks both).
    **dict.fromkeys(("drivers/pci/tsm.c", "include/linux/pci-tsm.h"), (Release(6, 19), "absent before v6.19")),
    **dict.fromkeys(("hv_is_private_mmio()", "acpi_ccel_data_init()", "EFI_CC_TYPE_*"),
                    (Release(6, 2), "absent from 6.1.176")),
}


@functools.cache
def _whole(name: str) -> re.Pattern[str]:
    """``name`` where it stands whole ("SNP_FEATURES_IMPL", not inside SNP_FEATURES_IMPL_REQ);
    compiled on first use: mainline, the default, never rewrites its cites."""
    return re.compile(rf"(?<![\w.]){re.escape(name)}(?![\w.])")


def cite_for(cite: str, release: Release) -> str:
    """A mainline citation rewritten for ``release``: the release tag, moved files and renamed symbols."""
    if release.mainline:
        return cite
    for name, olds in _RENAMED.items():
        old = next((old for until, old in olds if release <= until), None)
        if old is not None:
            cite = _whole(name).sub(old, cite)
    for name, (first, absent) in _ABSENT.items():
        if release < first:
            cite = _whole(name).sub(f"{name} ({absent})", cite)
    return cite.replace("torvalds/linux ", f"torvalds/linux {release.tag} ", 1)


def _no_model(module: str) -> Rule:
    def apply(ctx: Ctx, state: State) -> str:
        state.d.mode = "indeterminate"
        ctx.finding("warning", "linux.model-missing",
                    f"this pvenum has no {module} rules: the Linux model cannot resolve a {ctx.p.arch} platform")
        return "indeterminate: no rules for this architecture"

    return Rule(f"linux.{module}.missing", f"pvenum/resolver/models/{module}.py (not present)",
                "Linux rules for this architecture", apply)


# (arch module, release) -> the rules that release runs, cited for it, the model state class,
# and the derivation's model name and mirrors; made once per process (the arm64 module is
# imported only for an arm64 platform).
_RULES: dict[tuple[str, Release], tuple[tuple[Rule, ...], Rule, type | None, str, str]] = {}


def _rules_for(module: str, rel: Release) -> tuple[tuple[Rule, ...], Rule, type | None, str, str]:
    known = _RULES.get((module, rel))
    if known is not None:
        return known
    model = "linux" if rel.mainline else f"linux@{rel.major}.{rel.minor}"
    mirrors = MIRRORS if rel.mainline else f"torvalds/linux {rel.tag} (read: {read_from(rel)})"
    name = f"{__package__}.{module}"
    # The cross-channel rules check the platform once for every release (platform_only); their
    # citations still name what this release has.
    cross = tuple(crosschannel.RULES) if rel.mainline else \
        tuple(r._replace(cite=cite_for(r.cite, rel)) for r in crosschannel.RULES)
    try:
        mod = importlib.import_module(name)
    except ModuleNotFoundError as err:
        if err.name != name:
            raise  # a broken import inside the module is a bug, not a missing model
        # not remembered: it may appear later
        return (cross, _no_model(module), None, model, mirrors)
    else:
        rules, final = tuple(mod.RULES), mod.FINAL  # and mod.STATE, the model state class
    if not rel.mainline:
        rules = tuple(r._replace(cite=cite_for(r.cite, rel)) for r in rules)
        final = final._replace(cite=cite_for(final.cite, rel))
    known = _RULES[(module, rel)] = (rules + cross, final, mod.STATE, model, mirrors)
    return known


def derive(platform: Platform, *, release: str | Release | None = None, facts: dict | None = None,
           kernel_config: KernelConfig | None = None) -> Derivation:
    """What the kernel of ``release`` concludes on ``platform``; built with ``kernel_config`` when
    given (note_config() reads it), else with every option a modelled behaviour needs."""
    rel = MAINLINE if release is None else release if isinstance(release, Release) else parse_release(release)
    module = "linux_arm64" if platform.arch == "arm64" else "linux_x86"
    rules, final, state, model, mirrors = _rules_for(module, rel)
    # ``release`` and ``kconfig`` are every model state's first fields: passed by position.
    m = None if state is None else state(rel, kernel_config)
    if kernel_config is not None:
        mirrors = f"{mirrors}; built as {kernel_config.path} says"
    d = run(rules, platform, Derivation(model, mirrors=mirrors), final=final, m=m, facts=facts)
    if kernel_config is not None:
        d.findings.extend(_config_mismatches(kernel_config, platform.arch, rel))
    return d


# The header's SRCARCH (scripts/kconfig/confdata.c: conf_write() "Linux/%s %s Kernel Configuration"
# with SRCARCH) for each platform arch.
_SRCARCH = {"x86_64": "x86", "arm64": "arm64"}


def _config_mismatches(config: KernelConfig, arch: str, rel: Release) -> list[Finding]:
    """What the configuration's own header says that does not fit the platform or the release.
    The messages name the header, not the file: the same configuration read from two bundles is
    the same finding (`pvenum diff` compares findings by their text)."""
    out = []
    if config.arch is not None and config.arch != _SRCARCH.get(arch, arch):
        out.append(Finding("warning", "linux.kconfig-arch",
                           f"the kernel configuration is for a Linux/{config.arch} kernel; this platform is {arch}"))
    built = config.release()
    # mainline is the newest tree read (checked against 7.2.8): a config from 7.2 on fits it.
    if built is not None and Release(*built) != rel and not (rel.mainline and Release(*built) >= RELEASES["7.2"][0]):
        out.append(Finding("info", "linux.kconfig-release",
                           f"the kernel configuration is for Linux {config.version}; this model mirrors {rel.tag} "
                           f"(--model linux@{built[0]}.{built[1]} mirrors its release)"))
    return out
