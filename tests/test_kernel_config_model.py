"""The linux model given the kernel's own configuration (resolve --kernel-config): each KCONFIG
option's "not set" behaviour, as the v7.2.8 source builds it (each case cites where). The
expectations come from those sources, not from pvenum's output."""

from __future__ import annotations

import pytest

from pvenum.kconfig import parse_kconfig
from pvenum.resolver.models.linux_releases import KCONFIG
from pvenum.resolver.registry import resolve
from pvenum.scenario import catalog

from pvtest import run_cli

_HEADER = {"x86_64": "# Linux/x86 7.2.8 Kernel Configuration\n", "arm64": "# Linux/arm64 7.2.8 Kernel Configuration\n"}


def config(arch: str, *unset: str, version: str = "7.2.8"):
    """Every KCONFIG option set (=y), except ``unset`` (written as conf_write() writes n)."""
    lines = [_HEADER[arch].replace("7.2.8", version)]
    for option in KCONFIG:
        lines.append(f"# CONFIG_{option} is not set\n" if option in unset else f"CONFIG_{option}=y\n")
    return parse_kconfig("".join(lines).encode(), f"config-{'-'.join(unset) or 'all'}")


def linux(name: str, cfg, model: str = "linux"):
    return resolve(catalog.get(name).platform(), model, kernel_config=cfg)


@pytest.mark.parametrize("name", catalog.names())
def test_every_option_set_concludes_as_the_assumed_kernel(name):
    """KCONFIG lists what the model assumes; a config that sets all of it changes no conclusion."""
    platform = catalog.get(name).platform()
    arch = "arm64" if platform.arch == "arm64" else "x86_64"
    assumed, built = resolve(platform, "linux"), resolve(platform, "linux", kernel_config=config(arch))
    for field in ("mode", "isolation", "hypervisor", "memory_acceptance", "services", "output"):
        assert getattr(built, field) == getattr(assumed, field), (name, field)
    assert [f.code for f in built.findings] == [f.code for f in assumed.findings]


def _stops(d) -> str | None:
    return d.output["stops"]


def test_sev_es_and_snp_without_amd_mem_encrypt_triple_fault():
    # arch/x86/boot/compressed/idt_64.c load_stage1_idt()/load_stage2_idt() and
    # arch/x86/boot/startup/gdt_idt.c set the X86_TRAP_VC gate only with CONFIG_AMD_MEM_ENCRYPT.
    for name, level in (("sev-es", "sev-es"), ("snp", "sev-snp")):
        d = linux(name, config("x86_64", "AMD_MEM_ENCRYPT"))
        assert _stops(d).startswith("no_vc_handler"), name
        assert (d.mode, d.isolation, d.output["cc_vendor"]) == ("conflict", level, "NONE")
        assert any(e.source == "CONFIG_AMD_MEM_ENCRYPT" and e.value is False for e in d.evidence)


def test_plain_sev_without_amd_mem_encrypt_runs_unknowing():
    # <asm/mem_encrypt.h>: sme_enable() is {} and sev_status 0 without the option: no C-bit, no check.
    d = linux("sev", config("x86_64", "AMD_MEM_ENCRYPT"))
    assert (d.mode, d.isolation, _stops(d)) == ("not-confidential", "none", None)
    assert [f.code for f in d.findings] == ["linux.sev-unsupported-kernel"]


def test_without_amd_mem_encrypt_the_sev_bits_that_decide_are_evidence():
    """The kernel never reads SEV_STATUS then, but the model's conclusion rests on its SEV and ES
    bits (MSR_AMD64_SEV 0xc0010131 bits 0 and 1, AMD APM vol. 2, "SEV_STATUS MSR"): on a guest without SEV too, so
    that a capture that gains either bit shows a changed input."""
    for name, sev, es in (("kvm", 0, 0), ("sev", 1, 0), ("sev-es", 1, 1)):
        d = linux(name, config("x86_64", "AMD_MEM_ENCRYPT"))
        read = {e.source: e.value for e in d.evidence}
        assert (read.get("msr 0xc0010131[0]"), read.get("msr 0xc0010131[1]")) == (sev, es), name


def test_a_td_without_intel_tdx_guest_stops_at_its_first_ve():
    # <asm/tdx.h>: tdx_early_init() is the empty stub; arch/x86/kernel/idt.c: no X86_TRAP_VE gate.
    d = linux("tdx", config("x86_64", "INTEL_TDX_GUEST"))
    assert _stops(d).startswith("no_ve_handler") and (d.mode, d.isolation) == ("conflict", "tdx")
    assert "tdx-guest" not in d.output["drivers"] and not d.services["attestation"].available
    # Not a TD: the stub does nothing and nothing stops.
    assert _stops(linux("kvm", config("x86_64", "INTEL_TDX_GUEST"))) is None


def test_drivers_not_built_leave_their_service_unavailable():
    # drivers/virt/coco/Makefile (sev-guest, tdx-guest, arm-cca-guest), drivers/char/tpm/Makefile (tpm_svsm).
    cases = [("snp", "x86_64", "SEV_GUEST", "attestation"), ("tdx", "x86_64", "TDX_GUEST_DRIVER", "attestation"),
             ("snp-svsm", "x86_64", "TCG_SVSM", "vtpm"), ("cca-realm", "arm64", "ARM_CCA_GUEST", "attestation")]
    for name, arch, option, service in cases:
        assumed, built = linux(name, None), linux(name, config(arch, option))
        assert assumed.services[service].available and not built.services[service].available, (name, option)
        assert built.mode == assumed.mode and built.isolation == assumed.isolation  # the guest itself is unchanged


def test_hypervisor_detects_are_in_the_table_only_with_their_option():
    # arch/x86/kernel/cpu/hypervisor.c: x86_hyper_kvm under CONFIG_KVM_GUEST; nothing else matches
    # KVM's leaves, so the hypervisor bit stays X86_HYPER_NATIVE ("unknown" here).
    assert linux("kvm", config("x86_64", "KVM_GUEST")).hypervisor == "unknown"
    # x86_hyper_ms_hyperv is listed unconditionally (mshyperv.c is built with HYPERVISOR_GUEST):
    # without CONFIG_HYPERV Hyper-V is still detected, but hv_get_isolation_type() is NONE.
    d = linux("azure-snp-paravisor", config("x86_64", "HYPERV"))
    assert (d.hypervisor, d.mode, d.isolation) == ("hyperv", "not-confidential", "none")
    assert "Hyper-V: Isolation Config" in " ".join(d.output["dmesg"])


def test_hv_vtom_init_without_its_snp_case():
    # arch/x86/hyperv/ivm.c hv_vtom_init(): the SNP case is under CONFIG_AMD_MEM_ENCRYPT; VBS falls
    # through to the TDX case, any other type panics "hv_vtom_init: unsupported isolation type %d".
    d = linux("azure-snp-paravisor", config("x86_64", "AMD_MEM_ENCRYPT"))
    assert _stops(d) == "panic: hv_vtom_init: unsupported isolation type 2"
    assert linux("hyperv-vbs", config("x86_64", "AMD_MEM_ENCRYPT")).output["cc_vendor"] == "INTEL"
    # Neither option: the empty stub of <asm/mshyperv.h>, no vTOM.
    d = linux("azure-tdx-paravisor", config("x86_64", "AMD_MEM_ENCRYPT", "INTEL_TDX_GUEST"))
    assert (d.mode, d.output["cc_vendor"], _stops(d)) == ("not-confidential", "NONE", None)


def test_arm64_without_xen_or_hyperv_names_neither():
    # include/xen/arm/hypervisor.h: xen_early_init() is a stub without CONFIG_XEN; arch/arm64/Kbuild
    # builds hyperv/ (hyperv_init()) only with CONFIG_HYPERV.
    assert linux("arm64-xen", None).hypervisor == "xen"
    assert linux("arm64-xen", config("arm64", "XEN")).hypervisor != "xen"
    assert linux("arm64-hyperv", None).hypervisor == "hyperv"
    assert linux("arm64-hyperv", config("arm64", "HYPERV")).hypervisor != "hyperv"


def test_a_config_for_another_arch_or_release_is_said():
    # The header conf_write() writes: "# Linux/SRCARCH VERSION Kernel Configuration".
    codes = [f.code for f in linux("kvm", config("arm64")).findings]
    assert "linux.kconfig-arch" in codes
    d = linux("kvm", config("x86_64", version="6.1.176"))
    assert [f.message for f in d.findings if f.code == "linux.kconfig-release"][0].endswith(
        "(--model linux@6.1 mirrors its release)")
    assert not [f for f in linux("kvm", config("x86_64", version="6.1.176"), "linux@6.1").findings]


def test_cli_reads_the_config_and_refuses_a_bad_one(tmp_path):
    good = tmp_path / "config-7.2.8-amd64"
    good.write_text("# Linux/x86 7.2.8 Kernel Configuration\nCONFIG_KVM_GUEST=y\n")
    proc = run_cli("resolve", "tdx", "--model", "linux", "--kernel-config", str(good), "--json")
    assert proc.returncode == 0, proc.stderr
    assert b"no_ve_handler" in proc.stdout
    bad = tmp_path / "notes.txt"
    bad.write_text("CONFIG_KVM_GUEST=y\nthe rest of my notes\n")
    proc = run_cli("resolve", "tdx", "--kernel-config", str(bad))
    assert proc.returncode == 3 and proc.stderr.decode().count("\n") == 1
    assert proc.stderr.decode().startswith(f"pvenum: error: {bad}: kconfig at offset 0x13: line 2:")
    proc = run_cli("resolve", "tdx", "--kernel-config", str(tmp_path / "missing"))
    assert proc.returncode == 2 and "no such file" in proc.stderr.decode()


# -- cc_vendor AMD on every AMD CPU (arch/x86/kernel/cpu/amd.c bsp_determine_snp(), from v6.9) ----


def _on_vendor(name: str, vendor: str):
    """A catalog platform whose leaf 0 names ``vendor`` (the max leaf kept): what get_cpu_vendor() reads."""
    import dataclasses

    p = catalog.get(name).platform()
    eax = p.cpuid.get(0)[0]
    # SDM vol. 2A CPUID leaf 0: the vendor string's bytes 0-3 in EBX, 4-7 in EDX, 8-11 in ECX, little-endian.
    raw = vendor.encode("ascii")
    ebx, edx, ecx = (int.from_bytes(raw[i:i + 4], "little") for i in (0, 4, 8))
    return dataclasses.replace(p, cpuid=p.cpuid.with_leaf(0, 0, (eax, ebx, ecx, edx)))


def test_every_amd_cpu_gets_cc_vendor_amd_and_no_attribute():
    # 0ecaefb303de (v6.9): bsp_init_amd() -> bsp_determine_snp() writes cc_vendor = CC_VENDOR_AMD
    # under #ifdef CONFIG_ARCH_HAS_CC_PLATFORM; amd_cc_platform_has() (arch/x86/coco/core.c)
    # answers CC_ATTR_MEM_ENCRYPT from sme_me_mask and the guest attributes from sev_status: 0 here,
    # so mem_encrypt_init() prints no "Memory Encryption Features active" line.
    p = _on_vendor("kvm", "AuthenticAMD")
    d = resolve(p, "linux")
    assert (d.mode, d.output["cc_vendor"], d.output["cc_attrs"]) == ("not-confidential", "AMD", [])
    assert not [line for line in d.output["dmesg"] if "Memory Encryption" in line]
    assert any(e.source == "CONFIG_ARCH_HAS_CC_PLATFORM" for e in d.evidence)
    assert resolve(_on_vendor("kvm", "GenuineIntel"), "linux").output["cc_vendor"] == "NONE"
    # Hygon's cpu_dev (hygon.c) has no bsp_determine_snp(); amd.c's c_ident is "AuthenticAMD"
    # alone (7.2.8 amd.c amd_cpu_dev), so no other leaf 0 string reaches bsp_init_amd().
    for other in ("HygonGenuine", "AMDisbetter!"):
        assert resolve(_on_vendor("kvm", other), "linux").output["cc_vendor"] == "NONE", other
    # v6.1 (before 0ecaefb303de): bsp_determine_snp() reads no CPUID and sets nothing; the release's
    # lack is the evidence. (early_init_amd() still reads leaf 0's vendor: linux.x86.mem-encrypt-flags.)
    old = resolve(p, "linux@6.1")
    assert old.output["cc_vendor"] == "NONE"
    assert not [e for e in old.evidence if e.rule == "linux.x86.amd-cc-vendor" and e.source.startswith("cpuid")]
    assert any(e.source == "linux v6.1: amd-cc-vendor" and e.value is False for e in old.evidence)


def _with_msrs(name: str, **bits: int):
    """A catalog platform that also gives SYSCFG (0xc0010010) and HWCR (0xc0010015), as a host's
    RDMSR or a hypervisor that passes them through would answer them."""
    import dataclasses

    from pvenum.cpuid.model import MsrSet

    p = catalog.get(name).platform()
    return dataclasses.replace(p, msr=MsrSet({**(p.msr or {}), 0xC0010010: bits["syscfg"], 0xC0010015: bits["hwcr"]}))


MEM_ENCRYPT, SMMLOCK = 1 << 23, 1 << 0  # msr-index.h MSR_AMD64_SYSCFG_MEM_ENCRYPT_BIT, MSR_K7_HWCR_SMMLOCK_BIT


def _cc_flags(d) -> list[str]:
    return [f for f in d.output["x86_features"] if f.startswith(("SME", "SEV"))]


def test_sev_feature_flags_come_from_cpuid_and_need_syscfg_and_hwcr():
    # arch/x86/kernel/cpu/common.c get_cpu_cap() takes X86_FEATURE_SME/SEV/SEV_ES/SEV_SNP from CPUID
    # 0x8000001F EAX (word 19; the snp scenario's EAX has bits 0, 1, 3 and 4); amd.c
    # early_detect_mem_encrypt() (6.1.176, 6.12.107 and 7.2.8 alike) clears all of them when
    # SYSCFG.MEM_ENCRYPT is clear (clear_all) and SEV, SEV_ES, SEV_SNP when HWCR.SMMLOCK is clear
    # (clear_sev). Nothing sets them from SEV_STATUS. KVM answers 0 for both MSRs
    # (arch/x86/kvm/x86.c kvm_get_msr_common()), which the catalog's KVM guests leave unsaid: none.
    snp = resolve(catalog.get("snp").platform(), "linux")
    assert _cc_flags(snp) == [] and "CC_ATTR_GUEST_SEV_SNP" in snp.output["cc_attrs"]
    assert any(e.source == "msr 0xc0010010[23] (assumed)" and e.value == 0 for e in snp.evidence)
    # MEM_ENCRYPT without SMMLOCK: clear_sev leaves SME, kept because an SEV guest's sme_me_mask is
    # its C-bit (sme_enable()).
    kept = resolve(_with_msrs("snp", syscfg=MEM_ENCRYPT, hwcr=0), "linux")
    assert _cc_flags(kept) == ["SME"]
    # ... and the step says why SME stays: SEV_STATUS bit 0 (MSR_AMD64_SEV_ENABLED, msr-index.h).
    assert [e.value for e in kept.evidence if e.rule == "linux.x86.mem-encrypt-flags"
            and e.source == "msr 0xc0010131[0]"] == [1]
    # Both set: SEV and SEV_ES stay; bsp_determine_snp() (v6.9+) clears SEV_SNP in a guest
    # (X86_FEATURE_HYPERVISOR); 6.1.176 has no X86_FEATURE_SEV_SNP at all (cpufeatures.h).
    both = _with_msrs("snp", syscfg=MEM_ENCRYPT, hwcr=SMMLOCK)
    d = resolve(both, "linux")
    assert _cc_flags(d) == ["SME", "SEV", "SEV_ES"]
    assert any(e.source == "msr 0xc0010015[0]" and e.value == 1 for e in d.evidence)
    assert _cc_flags(resolve(both, "linux@6.1")) == ["SME", "SEV", "SEV_ES"]
    assert _cc_flags(resolve(both, "linux@6.12")) == ["SME", "SEV", "SEV_ES"]
    # An AMD guest that is not SEV (kvm on an AuthenticAMD leaf 0 with the snp scenario's leaf
    # 0x8000001F): sme_enable() leaves sme_me_mask 0, so SME goes; SEV and SEV_ES stay.
    import dataclasses

    from pvenum.cpuid.model import MsrSet

    kvm = _on_vendor("kvm", "AuthenticAMD")
    snp_leaf = catalog.get("snp").platform().cpuid.get(0x8000001F)
    kvm = dataclasses.replace(kvm, cpuid=kvm.cpuid.with_leaf(0x8000001F, 0, snp_leaf),
                              msr=MsrSet({0xC0010010: MEM_ENCRYPT, 0xC0010015: SMMLOCK}))
    assert _cc_flags(resolve(kvm, "linux")) == ["SEV", "SEV_ES"]
    # get_cpu_cap() (7.2.8 common.c): extended_cpuid_level is 0 unless leaf 0x80000000 answers
    # 0x8000xxxx, and then leaf 0x8000001F is never read.
    odd = dataclasses.replace(both, cpuid=both.cpuid.with_leaf(0x80000000, 0, (0x9000001F, *both.cpuid.get(0x80000000)[1:])))
    assert _cc_flags(resolve(odd, "linux")) == []
    # Not an AMD CPU: Hygon's cpu_dev (hygon.c) has neither early_detect_mem_encrypt() nor
    # bsp_determine_snp(), so get_cpu_cap()'s flags stay as CPUID gives them, SEV_SNP included from
    # v6.9 (not named in 6.1.176), and no MSR is read for them.
    hygon = _on_vendor("snp", "HygonGenuine")
    assert _cc_flags(resolve(hygon, "linux")) == ["SME", "SEV", "SEV_ES", "SEV_SNP"]
    assert _cc_flags(resolve(hygon, "linux@6.1")) == ["SME", "SEV", "SEV_ES"]
    assert not [e for e in resolve(hygon, "linux").evidence
                if e.rule == "linux.x86.mem-encrypt-flags" and e.source.startswith("msr")]


def test_without_cpu_sup_amd_the_cpuid_flags_stay():
    # arch/x86/kernel/cpu/Makefile builds amd.o only with CONFIG_CPU_SUP_AMD; without it
    # get_cpu_vendor() falls back to default_cpu (common.c), which has no c_early_init and no
    # c_bsp_init: neither early_detect_mem_encrypt() nor bsp_determine_snp() runs, so
    # get_cpu_cap()'s flags stay as CPUID 0x8000001F EAX gives them, SEV_SNP included.
    d = resolve(catalog.get("snp").platform(), "linux", kernel_config=config("x86_64", "CPU_SUP_AMD"))
    assert _cc_flags(d) == ["SME", "SEV", "SEV_ES", "SEV_SNP"]
    assert any(e.source == "CONFIG_CPU_SUP_AMD" and e.value is False for e in d.evidence)


def test_a_host_keeps_sev_snp_only_as_an_assumption():
    # bsp_determine_snp() on bare metal keeps X86_FEATURE_SEV_SNP only for a known CPU model, with
    # CONFIG_KVM_AMD_SEV and an RMP table snp_probe_rmptable_info() finds (7.2.8 amd.c); no
    # platform describes those, so the model keeps the flag and says it assumed them.
    import dataclasses

    host = _with_msrs("snp", syscfg=MEM_ENCRYPT, hwcr=SMMLOCK)
    eax, ebx, ecx, edx = host.cpuid.get(1)
    host = dataclasses.replace(host, cpuid=host.cpuid.with_leaf(1, 0, (eax, ebx, ecx & ~(1 << 31), edx)))
    d = resolve(host, "linux")
    assert "SEV_SNP" in d.output["x86_features"]
    # RMP_ADDR_MASK is GENMASK_ULL(51, 13) of MSR_AMD64_RMP_BASE 0xc0010132 and MSR_AMD64_RMP_END
    # 0xc0010133 (7.2.8 arch/x86/virt/svm/sev.c, arch/x86/include/asm/msr-index.h).
    assert any(e.source == "msr 0xc0010132[51:13], msr 0xc0010133[51:13] (RMP_BASE, RMP_END: assumed non-zero)"
               for e in d.evidence)


def test_a_hosts_sme_is_assumed_off_where_each_release_learns_of_it():
    # Bare metal (no X86_FEATURE_HYPERVISOR, SEV_STATUS not given: a host reads 0) with SME in CPUID
    # 0x8000001F EAX[0] and SYSCFG.MEM_ENCRYPT set: SME survives early_detect_mem_encrypt() only if
    # sme_enable() set sme_me_mask, which a host does for mem_encrypt=on. From v6.9 sme_enable()
    # learns that from boot_params.hdr.xloadflags XLF_MEM_ENCRYPTION (1<<7), which the decompressor
    # sets (x86/boot: Move mem_encrypt= parsing to the decompressor, cd0d9d92c8bb; 7.2.8
    # arch/x86/boot/startup/sme.c); 6.1.176's sme_enable() parses the command line itself
    # (arch/x86/mm/mem_encrypt_identity.c: cmdline_find_option(), "mem_encrypt" / "on").
    import dataclasses

    from pvenum.cpuid.model import MSR_AMD64_SEV, MsrSet

    host = _with_msrs("snp", syscfg=MEM_ENCRYPT, hwcr=SMMLOCK)
    eax, ebx, ecx, edx = host.cpuid.get(1)
    host = dataclasses.replace(host, cpuid=host.cpuid.with_leaf(1, 0, (eax, ebx, ecx & ~(1 << 31), edx)),
                               msr=MsrSet({k: v for k, v in host.msr.items() if k != MSR_AMD64_SEV}))

    def assumed(model: str) -> list[tuple[str, object]]:
        d = resolve(host, model)
        assert "SME" not in d.output["x86_features"], model  # sme_me_mask stays 0: SME cleared
        return [(e.source, e.value) for e in d.evidence
                if e.rule == "linux.x86.mem-encrypt-flags" and "mem_encrypt" in (e.name or "")
                and not e.source.startswith("linux ")]

    flag = [("boot_params.hdr.xloadflags[7] (XLF_MEM_ENCRYPTION: assumed clear)", 0)]
    cmdline = [('boot command line "mem_encrypt=on" (sme_enable(): assumed absent)', False)]
    assert assumed("linux") == assumed("linux@6.9") == assumed("linux@7.2") == flag
    assert assumed("linux@6.1") == assumed("linux@6.8") == cmdline
    # ... and the release's lack or presence of the change is itself evidence.
    old = resolve(host, "linux@6.1")
    assert any(e.source == "linux v6.1: sme-xloadflag" and e.value is False for e in old.evidence)


def test_an_snp_guest_loses_x86_feature_sev_snp():
    # 7.2.8 arch/x86/kernel/cpu/amd.c bsp_determine_snp(): with X86_FEATURE_SEV_SNP (as
    # early_detect_mem_encrypt() left it) and X86_FEATURE_HYPERVISOR, the branch for a host's RMP
    # is not taken and setup_clear_cpu_cap(X86_FEATURE_SEV_SNP) runs; the guest is SNP all the
    # same (CC_ATTR_GUEST_SEV_SNP from sev_status).
    d = resolve(_with_msrs("snp", syscfg=MEM_ENCRYPT, hwcr=SMMLOCK), "linux")
    assert "SEV_SNP" not in d.output["x86_features"] and "CC_ATTR_GUEST_SEV_SNP" in d.output["cc_attrs"]
    assert any(e.source == "cpuid 0x8000001f.eax[4]" and e.value == 1 for e in d.evidence)
    assert "X86_FEATURE_SEV_SNP cleared" in next(s.conclusion for s in d.trace if s.rule == "linux.x86.amd-cc-vendor")


def test_amd_cc_vendor_follows_arch_has_cc_platform():
    # The hidden ARCH_HAS_CC_PLATFORM is selected by INTEL_TDX_GUEST too (arch/x86/Kconfig), so a
    # kernel without AMD_MEM_ENCRYPT can still write CC_VENDOR_AMD; without the symbol the body
    # of bsp_determine_snp() is compiled out.
    p = _on_vendor("kvm", "AuthenticAMD")
    built = resolve(p, "linux", kernel_config=config("x86_64", "AMD_MEM_ENCRYPT"))
    assert (built.output["cc_vendor"], built.output["cc_attrs"], built.mode) == ("AMD", [], "not-confidential")
    bare = resolve(p, "linux", kernel_config=config("x86_64", "AMD_MEM_ENCRYPT", "ARCH_HAS_CC_PLATFORM"))
    assert bare.output["cc_vendor"] == "NONE"
    assert any(e.source == "CONFIG_ARCH_HAS_CC_PLATFORM" and e.value is False for e in bare.evidence)


def test_a_kernel_without_amd_support_never_runs_bsp_determine_snp():
    # arch/x86/kernel/cpu/Makefile: obj-$(CONFIG_CPU_SUP_AMD) += amd.o. Without it no cpu_dev
    # takes "AuthenticAMD" (get_cpu_vendor(), common.c), so bsp_init_amd() never runs.
    p = _on_vendor("kvm", "AuthenticAMD")
    d = resolve(p, "linux", kernel_config=config("x86_64", "CPU_SUP_AMD"))
    assert d.output["cc_vendor"] == "NONE"
    assert any(e.source == "CONFIG_CPU_SUP_AMD" and e.value is False for e in d.evidence)
    assert not any(e.source == "CONFIG_CPU_SUP_AMD" for e in resolve(p, "linux").evidence)  # assumed: not named


def test_a_td_on_an_amd_leaf_0_loses_cc_vendor_intel():
    # x86_64_start_kernel() runs tdx_early_init() (CC_VENDOR_INTEL) before start_kernel() ->
    # setup_arch() -> early_cpu_init() -> bsp_init_amd(), which overwrites it with CC_VENDOR_AMD;
    # amd_cc_platform_has() then finds no SEV and answers no attribute.
    d = resolve(_on_vendor("tdx", "AuthenticAMD"), "linux")
    assert (d.mode, d.isolation, d.output["cc_vendor"], d.output["cc_attrs"]) == ("conflict", "tdx", "AMD", [])
    assert "linux.cc-vendor-overwritten" in [f.code for f in d.findings]
    intel = resolve(catalog.get("tdx").platform(), "linux")
    assert (intel.mode, intel.output["cc_vendor"]) == ("enlightened", "INTEL")
