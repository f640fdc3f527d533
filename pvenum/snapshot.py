"""Capture the machine pvenum runs on into a bundle directory.

Sources, each optional (a missing one is listed, never fatal):
- CPUID: /dev/cpu/0/cpuid (the cpuid driver: pread at ``subleaf << 32 | leaf``), walked as `cpuid -1 -r`
  walks the CPU (the same leaves and subleaves), else `cpuid -1 -r` itself;
- MSRs: /dev/cpu/0/msr (the msr driver, root): SEV_STATUS (0xc0010131), SYSCFG (0xc0010010) and
  HWCR (0xc0010015), the last two deciding the SME/SEV CPU feature flags; one the CPU refuses
  (EIO) is listed and the next read, none is read without the driver or its permission;
- ACPI: /sys/firmware/acpi/tables (with data/ and dynamic/);
- devicetree: /sys/firmware/fdt;
- TDX TD attributes: a TDREPORT from /dev/tdx_guest (TDX_CMD_GET_REPORT0, root), TDINFO.ATTRIBUTES;
- what the running kernel concluded: kernel.log (dmesg, /proc/cpuinfo flags, device nodes, sysfs);
- how the running kernel was built: kernel.config, from /proc/config.gz (CONFIG_IKCONFIG_PROC), else
  the file the distribution installed beside it, /boot/config-RELEASE or /lib/modules/RELEASE/config
  (RELEASE from /proc/sys/kernel/osrelease, uname -r), so the linux models mirror that very kernel.

What the guest cannot read from user space is listed as missing, never guessed: the GHCB
hypervisor features and protocol range, the CC blob, the SNP CPUID table and the secrets page
are consumed by the kernel's decompressor (state them in platform.toml [snp]); the TD's GPAW
comes from TDG.VP.INFO, which only the kernel calls ([tdx] gpa_width).
"""

from __future__ import annotations

import json
import os
import re
import platform as _platform
import shutil
import subprocess
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from . import _io, _output
from .cpuid import cpuid_r
from .cpuid.leaves import vendor_of_signature
from .cpuid.model import (HV_BASE_COUNT, HV_BASE_FIRST, HV_BASE_STEP, MSR_AMD64_SEV, MSR_AMD64_SYSCFG, MSR_K7_HWCR,
                          MSR_NAMES, KVM_SIGNATURE, XEN_SIGNATURE, XEN_TSC_LEAF, CpuidDump, Key, Regs, regs_to_str)
from .errors import PvenumError
from .kconfig import BUNDLE_NAME, MAX_CONFIG_BYTES, parse_kconfig


@dataclass
class SnapshotReport:
    captured: dict[str, str] = field(default_factory=dict)  # what -> where from
    missing: dict[str, str] = field(default_factory=dict)  # what -> why


def _open_device(dev: Path, inside: _io.Within) -> int:
    """A descriptor of driver node ``dev`` (cpuid, msr), opened without waiting: a FIFO in its
    place under --sysroot is not waited on (its pread then fails, ESPIPE, as a missing read).
    Its name was checked before the open (opening a device may act); the node opened is checked
    again (a link swapped in between is refused, never read)."""
    return inside.open(_io.in_sysroot(inside, dev), os.O_RDONLY | os.O_NONBLOCK)


# --- CPUID: the leaves `cpuid -1 -r` dumps -------------------------------------------------------
#
# The walk mirrors do_real() of Todd Allen's cpuid.c (the `cpuid` Debian package), read at release
# 20230614; its ChangeLog since Debian 12's 20230120 changes no dump loop (only names: "try" became
# "sub"), and 20230120's `cpuid -1 -k -r` reads (lseek64, read) the keys this walk reads, and Xen's
# base + 3 subleaf 3, which it never prints. Every key cpuid prints is kept, an all-zero subleaf
# included; a read it makes only to decide where to stop, and does not print, is not (0x8000001d's
# last).

MAX_SUBLEAVES = 64
# At most this many leaves after a range's first (cpuid bounds only the 0x20000000 and 0xc0000000
# ranges, and an unknown hypervisor's).
MAX_RANGE_LEAVES = 0xFF

Query = Callable[[int, int], Regs]  # (leaf, subleaf) -> (eax, ebx, ecx, edx)
_EAX, _EBX, _ECX, _EDX = range(4)


class _Count(NamedTuple):
    """Subleaves 0..N, N the EAX of subleaf 0 (do_real(): ``max_subs = words[WORD_EAX]``)."""


class _UntilNull(NamedTuple):
    """Subleaves in order while a type field reads non-zero: subleaves below ``checked_from`` are
    dumped unchecked; ``keep_null`` dumps the subleaf whose field reads 0 (the loops that print,
    then test) or not (0x8000001d's, which tests, then prints: a 0 at subleaf 0 dumps nothing)."""

    reg: int
    shift: int
    mask: int
    checked_from: int = 0
    keep_null: bool = True


class _Bits(NamedTuple):
    """Subleaf 0, then subleaf n for each bit n (first..last) set in register ``reg`` of subleaf 0."""

    reg: int
    first: int
    last: int


class _Xsave(NamedTuple):
    """Leaf 0xd: subleaves 0 and 1, then n (2..62) for each bit n set in XCR0's valid bits
    (0xd/0 EDX:EAX) or IA32_XSS's (0xd/1 EDX:ECX)."""


class _Repeat(NamedTuple):
    """Leaf 2: subleaf 0 read again AL times (AL of the first read), dumped as subleaves 0..AL-1."""


_SubleafRule = _Count | _UntilNull | _Bits | _Xsave | _Repeat

# do_real()'s loop over the basic range (0..CPUID.0:EAX): the leaves it walks subleaves of, each
# with its rule. Any other leaf (0x1a, 0x1e, 0x24, ...) is dumped at subleaf 0 only.
_BASIC_RULES: dict[int, _SubleafRule] = {
    0x2: _Repeat(),
    0x4: _UntilNull(_EAX, 0, 0x1F),  # cache type 0: no more caches
    0x7: _Count(),
    0xB: _UntilNull(_ECX, 8, 0xFF),  # level type 0: invalid
    0xD: _Xsave(),
    0xF: _Bits(_EDX, 1, 1),  # L3 QoS monitoring
    0x10: _Bits(_EBX, 1, 31),  # QoS enforcement resource ids
    0x12: _UntilNull(_EAX, 0, 0xF, checked_from=2),  # SGX EPC section type 0: invalid
    0x14: _Count(),
    0x17: _Count(),
    0x18: _Count(),
    0x1B: _UntilNull(_EAX, 0, 0xFFF, checked_from=1),  # PCONFIG sub-leaf type 0: invalid
    0x1D: _Count(),
    0x1F: _UntilNull(_ECX, 8, 0xFF, checked_from=1),  # level type 0 (and fewer than 256)
    0x20: _Count(),
    0x23: _Count(),
    # 0x80000026 has a loop here too, where no basic leaf reaches it: in the extended range it is
    # dumped at subleaf 0 only, and so it is here.
}
# do_real()'s loop over the extended range (0x80000000..CPUID.0x80000000:EAX).
_EXTENDED_RULES: dict[int, _SubleafRule] = {
    0x8000001D: _UntilNull(_EAX, 0, 0x1F, keep_null=False),  # cache type 0: no more caches
    0x80000020: _Bits(_EBX, 1, 31),  # PQoS enforcement
}

# get_hypervisor(): the signatures (EBX, ECX, EDX of a base leaf) do_real() knows.
_XEN, _KVM = XEN_SIGNATURE, KVM_SIGNATURE
_KNOWN_HYPERVISORS = frozenset({"VMwareVMware", _XEN, _KVM, "Microsoft Hv", "ACRNACRNACRN"})
# The bases hypervisor_cpuid_base() probes: 0x40000000..0x4000ff00, step 0x100.
_BASES = range(HV_BASE_FIRST, HV_BASE_FIRST + HV_BASE_COUNT * HV_BASE_STEP, HV_BASE_STEP)


def _field(regs: Regs, rule: _UntilNull) -> int:
    return regs[rule.reg] >> rule.shift & rule.mask


def _walk_subleaves(q: Query, leaf: int, first: Regs, rule: _SubleafRule, out: dict[Key, Regs]) -> None:
    """Dump ``leaf``'s subleaves by ``rule`` into ``out``, ``first`` being its subleaf 0; never
    past subleaf MAX_SUBLEAVES - 1."""
    if isinstance(rule, _Repeat):
        for sub in range(min(max(first[_EAX] & 0xFF, 1), MAX_SUBLEAVES)):
            out[(leaf, sub)] = first if sub == 0 else q(leaf, 0)
        return
    if isinstance(rule, _UntilNull):
        regs = first
        for sub in range(MAX_SUBLEAVES):
            if sub:
                regs = q(leaf, sub)
            null = sub >= rule.checked_from and _field(regs, rule) == 0
            if null and not rule.keep_null:
                return
            out[(leaf, sub)] = regs
            if null:
                return
        return
    out[(leaf, 0)] = first
    if isinstance(rule, _Count):
        subs = range(1, min(first[_EAX], MAX_SUBLEAVES - 1) + 1)
    elif isinstance(rule, _Bits):
        subs = [n for n in range(rule.first, rule.last + 1) if first[rule.reg] >> n & 1]
    else:  # _Xsave
        second = out[(leaf, 1)] = q(leaf, 1)
        valid = (first[_EDX] << 32 | first[_EAX]) | (second[_EDX] << 32 | second[_ECX])
        subs = [n for n in range(2, 63) if valid >> n & 1]
    for sub in subs:
        out[(leaf, sub)] = q(leaf, sub)


def _walk_range(q: Query, first: int, out: dict[Key, Regs], rules: dict[int, _SubleafRule] | None = None,
                *, insane_above: int | None = None) -> None:
    """Dump the range starting at leaf ``first``: the first leaf always (do_real() prints it even
    when its EAX is below it), then each leaf up to its EAX, at most MAX_RANGE_LEAVES of them. An
    EAX above ``insane_above`` is taken for garbage and only the first leaf dumped."""
    regs = q(first, 0)
    top = regs[_EAX]
    if insane_above is not None and top > insane_above:
        top = first
    for leaf in range(first, max(first, min(top, first + MAX_RANGE_LEAVES)) + 1):
        here = regs if leaf == first else q(leaf, 0)
        rule = rules.get(leaf) if rules else None
        if rule is None:
            out[(leaf, 0)] = here
        else:
            _walk_subleaves(q, leaf, here, rule, out)


def walk_cpuid(q: Query) -> dict[Key, Regs]:
    """The (leaf, subleaf) -> registers `cpuid -1 -r` dumps, read through ``q``: do_real() of
    cpuid.c (release 20230614, see above) — its ranges, the same stop rule per indexed leaf, and
    all-zero subleaves kept — within the bounds MAX_RANGE_LEAVES and MAX_SUBLEAVES."""
    out: dict[Key, Regs] = {}
    _walk_range(q, 0x0, out, _BASIC_RULES)
    # Pentium 4 answers 0x20000000 with garbage (a basic leaf): an EAX above 0x20000100 dumps
    # only the first leaf.
    _walk_range(q, 0x20000000, out, insane_above=0x20000100)
    basic1 = out.get((0x1, 0))
    if basic1 is not None and basic1[_ECX] >> 31 & 1:  # CPUID.1:ECX[31], the hypervisor bit
        _walk_hypervisors(q, out)
    _walk_range(q, 0x80000000, out, _EXTENDED_RULES)
    _walk_range(q, 0x80860000, out)  # Transmeta
    _walk_range(q, 0xC0000000, out, insane_above=0xC0001000)  # Centaur
    _walk_linux_bases(q, out)
    return out


def _base_top(base: int, signature: str, eax: int) -> int:
    """The last leaf of the base at ``base``: its EAX, except KVM's EAX of 0, which means
    base + 1 (cpuid do_real(); Linux's kvm_cpuid_base() reads KVM_CPUID_FEATURES whatever EAX)."""
    return base + 1 if signature == _KVM and eax == 0 else eax


def _dump_base(q: Query, base: int, signature: str, top: int, out: dict[Key, Regs]) -> None:
    """The leaves after a base up to ``top`` (at most MAX_RANGE_LEAVES): subleaf 0, and Xen's
    TSC leaf (base + 3) at subleaves 0..2, as do_real() dumps them."""
    for leaf in range(base + 1, min(top, base + MAX_RANGE_LEAVES) + 1):
        for sub in range(3) if signature == _XEN and leaf & 0xFF == XEN_TSC_LEAF else (0,):
            out[(leaf, sub)] = q(leaf, sub)


def _walk_linux_bases(q: Query, out: dict[Key, Regs]) -> None:
    """The hypervisor bases cpuid's walk stopped before (or, without the hypervisor bit, never
    read) that a guest still finds: Linux's cpuid_base_hypervisor() (arch/x86/include/asm/cpuid/
    api.h, v7.2.8) reads every base 0x40000000..0x4000ff00 and compares its signature, and
    xen_cpuid_base() calls it without testing the hypervisor bit. A base is kept, with its leaves
    (dumped as cpuid's walk dumps them: :func:`_dump_base`), when its signature is a vendor
    pvenum knows (cpuid.leaves.vendor_of_signature: what Linux's .detect()s and systemd compare)
    or its EAX claims leaves above it (the proposal's "ParavisorSvc" block after an all-zero
    base); on a CPU with none, nothing is added and the dump stays `cpuid -1 -r`'s."""

    for base in _BASES:
        if (base, 0) in out:
            continue
        regs = q(base, 0)
        if not any(regs[1:]):
            continue
        signature = regs_to_str(regs[_EBX], regs[_ECX], regs[_EDX])
        top = _base_top(base, signature, regs[_EAX])
        claims = base < top <= base + MAX_RANGE_LEAVES
        if not claims and vendor_of_signature(signature) is None:
            continue
        out[(base, 0)] = regs
        if claims:
            _dump_base(q, base, signature, top, out)


def _walk_hypervisors(q: Query, out: dict[Key, Regs]) -> None:
    """do_real()'s walk of the hypervisor bases 0x40000000..0x4000ff00 (step 0x100, Xen's
    tools/misc/xen-detect.c range): each base leaf is dumped, valid or not, and the walk ends at
    the first base whose EAX is below it, or an unknown signature claiming more than 0x100
    leaves."""
    for base in _BASES:
        regs = out[(base, 0)] = q(base, 0)
        signature = regs_to_str(*regs[1:])
        top = _base_top(base, signature, regs[_EAX])
        if (signature not in _KNOWN_HYPERVISORS and top > base + 0x100) or top < base:
            return
        _dump_base(q, base, signature, top, out)


def _read_cpuid_dev(dev: Path, inside: _io.Within) -> CpuidDump:
    """CPU 0's leaves through the cpuid driver (arch/x86/kernel/cpuid.c cpuid_read(): a 16-byte
    read at offset ``subleaf << 32 | leaf`` runs CPUID there); a short read is an OSError."""
    fd = _open_device(dev, inside)
    try:
        def q(leaf: int, sub: int) -> Regs:
            raw = os.pread(fd, 16, (sub << 32) | leaf)
            if len(raw) != 16:
                raise OSError(f"short read at leaf 0x{leaf:x} subleaf 0x{sub:x}")
            return tuple(int.from_bytes(raw[i:i + 4], "little") for i in range(0, 16, 4))  # type: ignore[return-value]

        leaves = walk_cpuid(q)
    finally:
        os.close(fd)
    return CpuidDump({0: leaves})


def _read_msr(dev: Path, inside: _io.Within, index: int) -> int:
    fd = _open_device(dev, inside)
    try:
        raw = os.pread(fd, 8, index)
    finally:
        os.close(fd)
    if len(raw) != 8:
        raise OSError("short read")
    return int.from_bytes(raw, "little")


# Devicetree marks of an Arm CPU: a /cpus/cpu compatible "arm,..." (Documentation/devicetree/
# bindings/arm/cpus.yaml), a /psci node (arm/psci.yaml) or a GIC (interrupt-controller/arm,gic*).
_ARM_DT_COMPATIBLE = (b"arm,",)
# ACPI tables only Arm platforms carry: GTDT (ACPI 6.5 §5.2.25, the Arm generic timer) and
# IORT (Arm DEN 0049, the Arm IO remapping table).
_ARM_ACPI = ("GTDT", "IORT")


def decide_arch(captured: Path, have_cpuid: bool, *, host: bool) -> tuple[str | None, str]:
    """The architecture of the captured machine, from what was captured (not the host running
    pvenum, which may be reading another machine's tree with --sysroot), and why."""
    if have_cpuid:
        return "x86_64", "the CPUID captured"
    dtb = captured / "fdt.dtb"
    if dtb.is_file():
        from . import fdt

        try:
            tree = fdt.parse(dtb.read_bytes())
            for node in tree.walk():
                compat = node.properties.get("compatible", b"")
                if node.path == "/psci" or (node.path.startswith(("/cpus/cpu", "/intc", "/interrupt-controller"))
                                           and any(c.startswith(_ARM_DT_COMPATIBLE) for c in compat.split(b"\0"))):
                    return "arm64", f"the devicetree ({node.path})"
        except PvenumError:
            pass
    acpi = captured / "acpi"
    for sig in _ARM_ACPI:
        if (acpi / sig).is_file():
            return "arm64", f"the ACPI {sig} table"
    if host:
        machine = _platform.machine()
        arch = {"x86_64": "x86_64", "amd64": "x86_64", "aarch64": "arm64", "arm64": "arm64"}.get(machine)
        return arch, f"this machine ({machine})"
    return None, "no CPUID, and no Arm devicetree or ACPI table captured"


# Where a running kernel's configuration is, in order: the kernel's own copy, then the distribution's
# (Debian and Ubuntu install /boot/config-RELEASE; Fedora and Arch also /lib/modules/RELEASE/config).
_CONFIG_PLACES = ("boot/config-{release}", "lib/modules/{release}/config")
# What `uname -r` can say (Kbuild's KERNELRELEASE: version, LOCALVERSION, a distribution's ABI tag).
_RELEASE = re.compile(r"[\w.+~-]+")


def _why(err: Exception) -> str:
    """What went wrong reading a file, for a line that names the file already."""
    text = str(getattr(err, "strerror", None) or err)
    named = f"{err.path}: " if isinstance(err, PvenumError) and err.path else ""
    return text[len(named):] if named and text.startswith(named) else text


def _kernel_config(root: Path, inside: _io.Within) -> tuple[bytes | None, str, str]:
    """``(bytes, where from, why not)``: the running kernel's configuration, inflated and checked
    to be one (pvenum.kconfig); ``bytes`` None when none is readable, ``why not`` saying where
    pvenum looked."""
    tried = []
    places = [root / "proc/config.gz"]
    osrelease = root / "proc/sys/kernel/osrelease"
    try:
        release = _io.read_bytes(osrelease, limit=256, regular=True, within=inside).decode("ascii").strip()
    except (OSError, PvenumError, UnicodeDecodeError) as err:
        tried.append(f"{osrelease}: {_why(err)}")
    else:
        if _RELEASE.fullmatch(release) and release not in (".", ".."):  # a file name, never a path
            places += [root / pattern.format(release=release) for pattern in _CONFIG_PLACES]
    for place in places:
        if not place.exists():  # a FIFO or device in its place is read below, and refused there
            hint = " (CONFIG_IKCONFIG_PROC; when CONFIG_IKCONFIG=m: modprobe configs)" if place.name == "config.gz" else ""
            tried.append(f"{place}: not present{hint}")
            continue
        try:
            data = _io.read_input(place, limit=MAX_CONFIG_BYTES, regular=True, within=inside)  # inflated, bounded
            config = parse_kconfig(data, str(place))
        except (OSError, PvenumError) as err:
            tried.append(f"{place}: {_why(err)}")
            continue
        return data, config.describe(), ""
    return None, "", "; ".join(tried)


def take(out: str | Path, *, sysroot: str | Path = "/", force: bool = False) -> SnapshotReport:
    root = Path(sysroot)
    inside = _io.sysroot(root)
    rep = SnapshotReport()
    with _output.atomic_directory(out, force=force) as tmp:
        dump = None
        dev = root / "dev/cpu/0/cpuid"
        try:
            dump = _read_cpuid_dev(dev, inside)
            rep.captured["cpuid"] = str(dev)
        except PvenumError as err:  # out of the sysroot (under "/", nothing is)
            rep.missing["cpuid"] = str(err)
        except OSError as err:
            why = f"{dev}: {err.strerror or err}"
            tool = shutil.which("cpuid")
            if tool and str(root) == "/":
                try:
                    text = subprocess.run([tool, "-1", "-r"], capture_output=True, text=True, timeout=60, check=True).stdout
                    dump = cpuid_r.parse(text)
                    rep.captured["cpuid"] = "cpuid -1 -r"
                except (OSError, subprocess.SubprocessError, PvenumError) as err2:
                    rep.missing["cpuid"] = f"{why}; cpuid -1 -r failed: {err2}"
            else:
                rep.missing["cpuid"] = why + ("; `cpuid` not installed" if not tool else "")
        if dump is not None:
            (tmp / "cpuid").write_text(cpuid_r.write(dump))
        msr_line = ""
        mdev = root / "dev/cpu/0/msr"
        # SEV_STATUS, and what early_detect_mem_encrypt() reads for the SME/SEV feature flags, as the
        # guest's RDMSR gets them from its hypervisor. An MSR the CPU or hypervisor refuses (EIO:
        # KVM has no SEV_STATUS for a guest without SEV) is listed and the next one tried; without
        # the driver, or its permission, none is (the first one listed says so).
        msrs = (MSR_AMD64_SEV, MSR_AMD64_SYSCFG, MSR_K7_HWCR)
        for n, index in enumerate(msrs):
            what = f"msr 0x{index:08x} ({MSR_NAMES[index]})"
            try:
                value = _read_msr(mdev, inside, index)
            except (OSError, PvenumError) as err:
                rep.missing[what] = str(err) if isinstance(err, PvenumError) else f"{mdev}: {err.strerror or err}" + (
                    " (load the msr driver: modprobe msr)" if isinstance(err, FileNotFoundError) else "")
                if isinstance(err, (FileNotFoundError, PermissionError, PvenumError)):
                    if msrs[n + 1:]:
                        rep.missing[what] += f"; {' and '.join(MSR_NAMES[i] for i in msrs[n + 1:])} not read either"
                    break
                continue
            msr_line += f'"0x{index:08x}" = 0x{value:x}  # {MSR_NAMES[index]}, read from {mdev}\n'
            rep.captured[what] = str(mdev)
        if msr_line:
            msr_line = "\n[msr]\n" + msr_line
        tdx_line = ""
        tdev = root / "dev/tdx_guest"
        if tdev.exists():
            from .cpuid.tdreport import read_td_attributes

            try:
                attrs = read_td_attributes(str(_io.in_sysroot(inside, tdev)), within=inside)
                tdx_line = f"\n[tdx]\nattributes = 0x{attrs:x}  # TDREPORT TDINFO.ATTRIBUTES, from {tdev}\n"
                rep.captured["tdx attributes"] = f"{tdev} (TDX_CMD_GET_REPORT0)"
            except (OSError, PvenumError) as err:
                rep.missing["tdx attributes"] = f"{tdev}: {_why(err)}"
        acpi = root / "sys/firmware/acpi/tables"
        out_of_root = inside.link_out(acpi)  # the tree's /sys, or the directory itself, links out of it
        if out_of_root is not None:
            rep.missing["acpi"] = str(out_of_root)
        elif acpi.is_dir():
            n = 0

            def refused(err: _io.LeadsOut) -> None:  # a link out of the sysroot: listed, not read
                rep.missing[f"acpi {Path(str(err.path)).relative_to(acpi).as_posix()}"] = str(err)

            try:
                # raises for a directory it cannot list
                for rel, f in _io.iter_file_names(acpi, within=inside, refused=refused):
                    dest = _output.safe_join(tmp / "acpi", rel)
                    dest.parent.mkdir(parents=True, exist_ok=True)
                    try:
                        # Checked on the file opened (a link swapped in after the walk), and a
                        # regular file only (a FIFO put in its place is refused, not waited on).
                        dest.write_bytes(_io.read_bytes(f, regular=True, within=inside))
                        n += 1
                    except (OSError, PvenumError) as err:  # one unreadable table is not fatal
                        rep.missing[f"acpi {rel}"] = str(err)
            except PvenumError as err:
                rep.missing["acpi (part)"] = str(err)
            rep.captured["acpi"] = f"{acpi} ({n} files)"
        else:
            rep.missing["acpi"] = f"{acpi}: not present"
        fdt = root / "sys/firmware/fdt"
        try:
            # regular=True: a FIFO put in its place is refused, never waited on
            (tmp / "fdt.dtb").write_bytes(_io.read_bytes(fdt, regular=True, within=inside))
            rep.captured["fdt"] = str(fdt)
        except (OSError, PvenumError) as err:
            rep.missing["fdt"] = f"{fdt}: {getattr(err, 'message', err)}"
        arch, why = decide_arch(tmp, dump is not None, host=str(root) == "/")
        if arch == "arm64":  # CPUID and MSRs are x86's: not missing on Arm, and their hints do not fit
            for what in [w for w in rep.missing if w == "cpuid" or w.startswith("msr ")]:
                del rep.missing[what]
            rep.missing["smccc"] = ("SMCCC/RSI answers are not readable from user space; state them in "
                                    "platform.toml [smccc] to resolve CCA and hypervisor UIDs")
        head = f'arch = "{arch}"  # decided from {why}\n' if arch else f"# arch not decided: {why}\n"
        (tmp / "platform.toml").write_text(f"# pvenum snapshot of {_platform.node()}\n{head}{msr_line}{tdx_line}")
        # What the running kernel itself concluded (pvenum/observe/live.py): read back by
        # `pvenum resolve` as the "observed" object.
        from .observe import live

        log = live.collect(root, inside=inside)
        unreadable = {}
        for line in log.splitlines():
            if line.startswith(live.P + "unreadable "):
                what, _, why = line[len(live.P + "unreadable "):].partition(": ")
                unreadable[what] = why
        if "dmesg" in unreadable and "/proc/cpuinfo" in unreadable:
            rep.missing["kernel"] = "; ".join(f"{k}: {v}" for k, v in unreadable.items())
        else:
            (tmp / live.LOG_NAME).write_text(log)
            rep.captured["kernel"] = f"{live.LOG_NAME} (dmesg, /proc/cpuinfo, device nodes, sysfs)"
            for what, why in unreadable.items():
                rep.missing[f"kernel {what}"] = why
        config, config_from, why = _kernel_config(root, inside)
        if config is not None:
            (tmp / BUNDLE_NAME).write_bytes(config)
            rep.captured["kernel config"] = config_from
        else:
            rep.missing["kernel config"] = why
        (tmp / "snapshot.json").write_text(json.dumps({"captured": rep.captured, "missing": rep.missing}, indent=2) + "\n")
    return rep
