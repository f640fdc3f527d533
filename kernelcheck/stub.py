"""Boot arm64 scenarios with their own [smccc] answers: the EL3/EL2 firmware stub
(kernelcheck/stub/el3.S) answers from the scenario's table and enters the kernel.

Built with binutils-aarch64-linux-gnu (as, ld, objcopy). The kernel, the DTB and the initrd are
placed by QEMU's generic loader (-device loader); the DTB is the scenario's with /chosen
(bootargs, initrd) and the memory size filled in (dtc merges the later node definitions), and
the top 1 MiB of RAM kept from Linux for the stub's stacks. A scenario that offers a realm boots
without its GIC ITS nodes (``realm_deletions()``): the ITS driver of a kernel with
arm64_rsi_init() shares its tables with the host (drivers/irqchip/irq-gic-v3-its.c
its_alloc_pages_node() -> set_memory_decrypted()), at the IPA alias with the top bit set, which
nothing backs without an RMM, and the first write panics the boot. No model reads the ITS
(tests/test_kernelcheck.py checks that every linux model derives the same without it).
"""

from __future__ import annotations

import shutil
import struct
import subprocess
import tomllib
from pathlib import Path, PurePosixPath
from typing import Sequence

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


ITS_COMPATIBLE = "arm,gic-v3-its"  # drivers/irqchip/irq-gic-v3-its.c: its_device_id[]


def offers_realm(platform_toml: Path) -> bool:
    """The scenario's [smccc] answers give RSI a realm configuration (the stub's RSI_REALM_CONFIG
    answer): a kernel with arm64_rsi_init() finds its realm there."""
    return "realm_config" in tomllib.loads(platform_toml.read_text()).get("smccc", {})


def realm_deletions(scenario_dtb: Path, platform_toml: Path) -> list[str]:
    """The nodes a realm boot goes without: every GIC ITS (its compatible), when the scenario
    offers a realm; none otherwise."""
    if not offers_realm(platform_toml):
        return []
    from pvenum import fdt

    tree = fdt.parse(scenario_dtb.read_bytes())
    return [n.path for n in tree.walk() if ITS_COMPATIBLE in (n.strings("compatible") or [])]


def _delete_node(path: str) -> str:
    """dtc source that deletes the node at ``path`` (/delete-node/ inside its parent's definition)."""
    *parents, leaf = PurePosixPath(path).parts[1:]
    inner = f"/delete-node/ {leaf};"
    for name in reversed(parents):
        inner = f"{name} {{ {inner} }};"
    return f"\n/ {{ {inner} }};\n"


def dtb(scenario_dts: Path, initrd_size: int, cmdline: str, out: Path, *, delete: Sequence[str] = ()) -> None:
    extra = "".join(_delete_node(p) for p in delete) + f"""
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
