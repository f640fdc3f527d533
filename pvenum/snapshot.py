"""Capture the machine pvenum runs on into a bundle directory.

Sources, each optional (a missing one is listed, never fatal):
- CPUID: /dev/cpu/0/cpuid (the cpuid driver: pread at ``subleaf << 32 | leaf``), else `cpuid -1 -r`;
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
from dataclasses import dataclass, field
from pathlib import Path

from . import _io, _output
from .cpuid import cpuid_r
from .cpuid.model import INDEXED_LEAVES, MSR_AMD64_SEV, MSR_AMD64_SYSCFG, MSR_K7_HWCR, MSR_NAMES, CpuidDump, Key, Regs
from .errors import PvenumError
from .kconfig import BUNDLE_NAME, MAX_CONFIG_BYTES, parse_kconfig

MAX_SUBLEAVES = 64


@dataclass
class SnapshotReport:
    captured: dict[str, str] = field(default_factory=dict)  # what -> where from
    missing: dict[str, str] = field(default_factory=dict)  # what -> why


def _open_device(dev: Path) -> int:
    """A descriptor of driver node ``dev`` (cpuid, msr), opened without waiting: a FIFO in its
    place under --sysroot is not waited on (its pread then fails, ESPIPE, as a missing read)."""
    return os.open(dev, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)


def _read_cpuid_dev(dev: Path) -> CpuidDump:
    fd = _open_device(dev)
    try:
        def q(leaf: int, sub: int = 0) -> Regs:
            raw = os.pread(fd, 16, (sub << 32) | leaf)
            if len(raw) != 16:
                raise OSError(f"short read at leaf 0x{leaf:x}")
            return tuple(int.from_bytes(raw[i:i + 4], "little") for i in range(0, 16, 4))  # type: ignore[return-value]

        leaves: dict[Key, Regs] = {}

        def walk(first: int, last: int) -> None:
            for leaf in range(first, min(last, first + 0xFF) + 1):
                base = q(leaf)
                leaves[(leaf, 0)] = base
                if leaf not in INDEXED_LEAVES:
                    continue
                top = base[0] if leaf in (0x7, 0x14, 0x17, 0x18, 0x1D, 0x20, 0x23, 0x24) else MAX_SUBLEAVES - 1
                for sub in range(1, min(top, MAX_SUBLEAVES - 1) + 1):
                    regs = q(leaf, sub)
                    if leaf in (0x4, 0x8000001D) and regs[0] & 0x1F == 0:
                        break
                    if leaf in (0xB, 0x1F) and (regs[2] >> 8) & 0xFF == 0:
                        break
                    if not any(regs) and leaf not in (0x7,):
                        continue
                    leaves[(leaf, sub)] = regs

        walk(0, q(0)[0])
        hv = q(0x40000000)
        if hv[0] >= 0x40000000:
            walk(0x40000000, hv[0])
            for base in range(0x40000100, 0x40010000, 0x100):
                regs = q(base)
                if regs[0] >= base and regs[0] - base < 0x100 and any(regs[1:]):
                    walk(base, regs[0])
        walk(0x80000000, q(0x80000000)[0])
    finally:
        os.close(fd)
    return CpuidDump({0: leaves})


def _read_msr(dev: Path, index: int) -> int:
    fd = _open_device(dev)
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


def _kernel_config(root: Path) -> tuple[bytes | None, str, str]:
    """``(bytes, where from, why not)``: the running kernel's configuration, inflated and checked
    to be one (pvenum.kconfig); ``bytes`` None when none is readable, ``why not`` saying where
    pvenum looked."""
    tried = []
    places = [root / "proc/config.gz"]
    osrelease = root / "proc/sys/kernel/osrelease"
    try:
        release = _io.read_bytes(_io.in_sysroot(root, osrelease), limit=256, regular=True).decode("ascii").strip()
    except (OSError, PvenumError, UnicodeDecodeError) as err:
        tried.append(f"{osrelease}: {_why(err)}")
    else:
        if _RELEASE.fullmatch(release) and release not in (".", ".."):  # a file name, never a path
            places += [root / pattern.format(release=release) for pattern in _CONFIG_PLACES]
    for place in places:
        if not place.is_file():
            hint = " (CONFIG_IKCONFIG_PROC; when CONFIG_IKCONFIG=m: modprobe configs)" if place.name == "config.gz" else ""
            tried.append(f"{place}: not present{hint}")
            continue
        try:
            data = _io.read_input(_io.in_sysroot(root, place), limit=MAX_CONFIG_BYTES, regular=True)  # inflated, bounded
            config = parse_kconfig(data, str(place))
        except (OSError, PvenumError) as err:
            tried.append(f"{place}: {_why(err)}")
            continue
        return data, config.describe(), ""
    return None, "", "; ".join(tried)


def take(out: str | Path, *, sysroot: str | Path = "/", force: bool = False) -> SnapshotReport:
    root = Path(sysroot)
    rep = SnapshotReport()
    with _output.atomic_directory(out, force=force) as tmp:
        dump = None
        dev = root / "dev/cpu/0/cpuid"
        try:
            dump = _read_cpuid_dev(_io.in_sysroot(root, dev))
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
                value = _read_msr(_io.in_sysroot(root, mdev), index)
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
                attrs = read_td_attributes(str(_io.in_sysroot(root, tdev)))
                tdx_line = f"\n[tdx]\nattributes = 0x{attrs:x}  # TDREPORT TDINFO.ATTRIBUTES, from {tdev}\n"
                rep.captured["tdx attributes"] = f"{tdev} (TDX_CMD_GET_REPORT0)"
            except (OSError, PvenumError) as err:
                rep.missing["tdx attributes"] = f"{tdev}: {_why(err)}"
        acpi = root / "sys/firmware/acpi/tables"
        out_of_root = None
        try:
            _io.in_sysroot(root, acpi)
        except PvenumError as err:  # the tree's /sys, or the directory itself, links out of it
            out_of_root = str(err)
        if out_of_root is not None:
            rep.missing["acpi"] = out_of_root
        elif acpi.is_dir():
            n = 0

            def refused(rel: str, path: str, why: str) -> None:  # a link out of the sysroot: listed, not read
                rep.missing[f"acpi {rel}"] = f"{path}: {why}"

            try:
                # raises for a directory it cannot list
                for rel, f in _io.iter_file_names(acpi, within=root, shown=f"the sysroot {root}", refused=refused):
                    dest = _output.safe_join(tmp / "acpi", rel)
                    dest.parent.mkdir(parents=True, exist_ok=True)
                    try:
                        dest.write_bytes(_io.read_bytes(f))
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
            (tmp / "fdt.dtb").write_bytes(_io.read_bytes(_io.in_sysroot(root, fdt), regular=True))
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

        log = live.collect(root)
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
        config, config_from, why = _kernel_config(root)
        if config is not None:
            (tmp / BUNDLE_NAME).write_bytes(config)
            rep.captured["kernel config"] = config_from
        else:
            rep.missing["kernel config"] = why
        (tmp / "snapshot.json").write_text(json.dumps({"captured": rep.captured, "missing": rep.missing}, indent=2) + "\n")
    return rep
