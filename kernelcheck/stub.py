"""Boot arm64 scenarios with their own [smccc] answers: the EL3/EL2 firmware stub
(kernelcheck/stub/el3.S) answers from the scenario's table and enters the kernel.

Built with binutils-aarch64-linux-gnu (as, ld, objcopy). The kernel, the DTB and the initrd are
placed by QEMU's generic loader (-device loader); the DTB is the scenario's with /chosen
(bootargs, initrd) and the memory size filled in (dtc merges the later node definitions), and
the top 1 MiB of RAM kept from Linux for the stub's stacks.
"""

from __future__ import annotations

import shutil
import struct
import subprocess
import tomllib
from pathlib import Path

HERE = Path(__file__).resolve().parent
KERNEL, DTB, INITRD = 0x40200000, 0x48000000, 0x48200000
RAM = 512 << 20
LINUX_RAM = RAM - (1 << 20)  # the stub's stacks live in the last MiB
HASH_ALGOS = {"sha256": 0, "sha512": 1}  # RSI_HASH_SHA_256 / _512 (arch/arm64/include/asm/rsi_smc.h)
TOOLS = ("aarch64-linux-gnu-as", "aarch64-linux-gnu-ld", "aarch64-linux-gnu-objcopy")


def missing() -> str | None:
    for t in TOOLS:
        if shutil.which(t) is None:
            return f"{t} not found (apt-get install binutils-aarch64-linux-gnu)"
    if shutil.which("dtc") is None:
        return "dtc not found (apt-get install device-tree-compiler)"
    return None


def firmware(cache: Path) -> bytes:
    src = HERE / "stub" / "el3.S"
    out = cache / "el3.bin"
    if not out.exists() or out.stat().st_mtime < src.stat().st_mtime:
        obj, elf = cache / "el3.o", cache / "el3.elf"
        subprocess.run([TOOLS[0], "-o", str(obj), str(src)], check=True, timeout=60)
        subprocess.run([TOOLS[1], "-Ttext=0", "-o", str(elf), str(obj)], check=True, timeout=60)
        subprocess.run([TOOLS[2], "-O", "binary", str(elf), str(out)], check=True, timeout=60)
    return out.read_bytes()


def table(platform_toml: Path) -> tuple[bytes, int, int]:
    """The answer table, ipa_bits and hash_algo from a bundle's platform.toml."""
    doc = tomllib.loads(platform_toml.read_text())
    smccc = doc.get("smccc", {})
    out = b""
    for key, regs in smccc.items():
        if not key.startswith("0x"):
            continue
        vals = [int(v) & (2**64 - 1) for v in list(regs)[:4]] + [0] * (4 - len(regs))
        out += struct.pack("<5Q", int(key, 16), *vals)
    out += struct.pack("<5Q", 2**64 - 1, 0, 0, 0, 0)
    rc = smccc.get("realm_config", {})
    return out, int(rc.get("ipa_bits", 48)), HASH_ALGOS.get(str(rc.get("hash_algo", "sha256")), 0)


def image(cache: Path, platform_toml: Path) -> bytes:
    code = firmware(cache)
    tab, ipa_bits, hash_algo = table(platform_toml)
    return code[:-16] + struct.pack("<2Q", ipa_bits, hash_algo) + tab


def dtb(scenario_dts: Path, initrd_size: int, cmdline: str, out: Path) -> None:
    extra = f"""
/ {{
	chosen {{
		bootargs = "{cmdline}";
		linux,initrd-start = <0x0 {INITRD:#x}>;
		linux,initrd-end = <0x0 {INITRD + initrd_size:#x}>;
	}};
	memory@40000000 {{
		reg = <0x0 0x40000000 0x0 {LINUX_RAM:#x}>;
	}};
}};
"""
    src = out.with_suffix(".dts")
    src.write_text(scenario_dts.read_text() + extra)
    subprocess.run(["dtc", "-q", "-I", "dts", "-O", "dtb", "-o", str(out), str(src)], check=True, timeout=60)


def argv(kernel: Path, initrd: Path, dtb_file: Path, bios: Path) -> list[str]:
    return ["qemu-system-aarch64", "-machine", "virt,secure=on,virtualization=on,gic-version=3,acpi=off",
            "-cpu", "cortex-a72", "-m", f"{RAM >> 20}M", "-smp", "1", "-display", "none", "-no-reboot",
            "-nodefaults", "-semihosting", "-bios", str(bios),
            "-device", f"loader,file={kernel},addr={KERNEL:#x},force-raw=on",
            "-device", f"loader,file={dtb_file},addr={DTB:#x},force-raw=on",
            "-device", f"loader,file={initrd},addr={INITRD:#x},force-raw=on"]
