"""Build the real detectors against our shim and run them on pvenum platforms.

One binary per fetched source reads many platforms from stdin (one line each, see
crosscheck/shim/pvshim.h) and prints the real code's output for each, so thousands of platforms
run in one process. Sources are compiled unchanged: the driver files in crosscheck/shim/
``#include`` the fetched .c (so its static detector can be called once per platform, with no
cache carried over), our stub headers stand in for systemd's infrastructure headers, our
<cpuid.h> (systemd) or an assembler macro (virt-what's inline "cpuid") routes CPUID to the
platform, and open()/pread()/close() of /dev/cpu/0/msr are renamed to the shim's.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from pvenum.platform import Platform

from .debsrc import Source

SHIM = Path(__file__).resolve().parent / "shim"
CFLAGS = ["-O2", "-g0", "-std=gnu11", "-Wall", "-Wno-unused-function", "-Wno-unused-variable",
          "-U_FORTIFY_SOURCE", "-fno-strict-aliasing"]


class BuildError(Exception):
    """Our shim failed to compile or link the fetched source (a bug to fix, not a skip)."""


def compiler() -> str | None:
    cc = os.environ.get("CC", "gcc")
    return shutil.which(cc)


def machine_ok() -> str | None:
    """Why the shim cannot run here, or None (it is x86-64 only)."""
    import platform

    if platform.machine() not in ("x86_64", "AMD64"):
        return f"the shim answers x86-64 CPUID; this machine is {platform.machine()}"
    return None


def _cc(args: list[str], what: str) -> None:
    cc = compiler()
    if cc is None:
        raise BuildError("no C compiler")
    try:
        res = subprocess.run([cc, *args], capture_output=True, text=True, timeout=120)
    except subprocess.TimeoutExpired:
        raise BuildError(f"{what}: compiler timed out") from None
    if res.returncode != 0:
        raise BuildError(f"{what}: {cc} {' '.join(args)}\n{res.stderr.strip()}")


@dataclass
class Detector:
    """A built binary of one real source."""

    package: str
    version: str
    binary: Path
    workdir: Path

    def run(self, lines: list[str], *, timeout: float = 120.0) -> list[tuple[list[str], list[str]]]:
        """For each platform line: (output lines of the real code, what it read)."""
        data = "".join(line + "\n" for line in lines)
        try:
            res = subprocess.run([str(self.binary)], input=data, capture_output=True, text=True, timeout=timeout)
        except subprocess.TimeoutExpired:
            raise RuntimeError(f"{self.binary.name} timed out on {len(lines)} platforms") from None
        if res.returncode != 0:
            raise RuntimeError(f"{self.binary.name} exited {res.returncode}: {res.stderr.strip()[:2000]}")
        out: list[tuple[list[str], list[str]]] = []
        pending: list[str] = []
        for raw in res.stdout.splitlines():
            if raw == "." or raw.startswith(". "):
                out.append((pending, raw[2:].split()))
                pending = []
            else:
                pending.append(raw)
        if len(out) != len(lines) or pending:
            raise RuntimeError(f"{self.binary.name}: {len(out)} answers for {len(lines)} platforms")
        return out

    def close(self) -> None:
        shutil.rmtree(self.workdir, ignore_errors=True)


def _common_objects(work: Path) -> list[Path]:
    objs = [work / "pvshim.o", work / "pvshim_cpuid.o"]
    _cc([*CFLAGS, "-c", str(SHIM / "pvshim.c"), "-o", str(objs[0])], "pvshim.c")
    # Called from inside an inline "cpuid" (virt-what): general registers only, no libc calls.
    _cc([*CFLAGS, "-mgeneral-regs-only", "-fno-builtin", "-fno-tree-loop-distribute-patterns",
         "-c", str(SHIM / "pvshim_cpuid.c"), "-o", str(objs[1])], "pvshim_cpuid.c")
    return objs


def _no_cpuid_left(binary: Path) -> None:
    """Every CPUID of the real code must go to the shim: no cpuid instruction may remain."""
    objdump = shutil.which("objdump")
    if objdump is None:
        return
    res = subprocess.run([objdump, "-d", "--no-show-raw-insn", str(binary)], capture_output=True, text=True, timeout=60)
    if re.search(r"^\s*[0-9a-f]+:\s+cpuid\b", res.stdout, re.M):
        raise BuildError(f"{binary.name} still executes a real cpuid instruction")


def build(source: Source, *, workdir: Path | None = None) -> Detector:
    """Compile ``source`` (systemd or virt-what) with the shim into one binary."""
    work = Path(tempfile.mkdtemp(prefix=f"pvenum-crosscheck-{source.package}-", dir=workdir))
    try:
        objs = _common_objects(work)
        if source.package == "systemd":
            # The fetched files alone in one directory: "#include "x.h"" inside the .c finds the
            # real confidential-virt*.h there and our stubs (first on the path) for everything else.
            srcdir = work / "src"
            srcdir.mkdir()
            for name in ("confidential-virt.c", "confidential-virt.h", "confidential-virt-fundamental.h"):
                if source.has(name):
                    shutil.copyfile(source.path(name), srcdir / name)
            if not source.has("confidential-virt-fundamental.h"):
                (srcdir / "confidential-virt-fundamental.h").write_text("/* not in this version */\n")
            main = work / "systemd_main.o"
            _cc([*CFLAGS, "-I", str(SHIM / "systemd-include"), "-I", str(SHIM), "-I", str(srcdir),
                 "-c", str(SHIM / "systemd_main.c"), "-o", str(main)], f"systemd {source.version}")
            binary = work / "systemd-cvm"
            _cc(["-o", str(binary), str(main), *map(str, objs)], "link systemd-cvm")
        elif source.package == "virt-what":
            srcdir = work / "src"
            srcdir.mkdir()
            shutil.copyfile(source.path("virt-what-cvm.c"), srcdir / "virt-what-cvm.c")
            main = work / "virt_what_main.o"
            tramp = work / "pvshim_trampoline.o"
            _cc(["-c", str(SHIM / "pvshim_trampoline.S"), "-o", str(tramp)], "pvshim_trampoline.S")
            _cc([*CFLAGS, "-mno-red-zone", "-fno-toplevel-reorder", "-I", str(SHIM / "virt-what-include"),
                 "-I", str(SHIM), "-I", str(srcdir), "-c", str(SHIM / "virt_what_main.c"), "-o", str(main)],
                f"virt-what {source.version}")
            binary = work / "virt-what-cvm"
            _cc(["-o", str(binary), str(main), str(tramp), *map(str, objs)], "link virt-what-cvm")
        else:
            raise BuildError(f"no driver for {source.package}")
        _no_cpuid_left(binary)
        return Detector(source.package, source.version, binary, work)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise


# -- platforms as shim input ------------------------------------------------------------------------


def encode(platform: Platform) -> str:
    """One stdin line for the shim: CPU 0's leaves (with pvenum's subleaf rule) and the MSRs."""
    dump = platform.cpuid
    parts: list[str] = []
    leaves = list(dump.items()) if dump is not None else []
    parts.append(f"{len(leaves):x}")
    for (leaf, sub), regs in leaves:
        parts.append(f"{leaf:x} {sub:x} {1 if dump.is_indexed(leaf) else 0} "
                     + " ".join(f"{r & 0xFFFFFFFF:x}" for r in regs))
    msrs = platform.msr
    if msrs is None:
        parts.append("0 0")
    else:
        items = sorted(msrs.items())
        parts.append(f"1 {len(items):x}")
        parts.extend(f"{k:x} {v & 0xFFFFFFFFFFFFFFFF:x}" for k, v in items)
    return " ".join(parts)
