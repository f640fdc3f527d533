"""Build the real detectors against our shim and run them on pvenum platforms.

One binary per fetched source reads many platforms from stdin (one line each, see
crosscheck/shim/pvshim.h) and prints the real code's output for each, so thousands of platforms
run in one process. Sources are compiled unchanged: the driver files in crosscheck/shim/
``#include`` the fetched .c (so its static detector can be called once per platform, with no
cache carried over), our stub headers stand in for systemd's infrastructure headers, our
<cpuid.h> (systemd) or an assembler macro (virt-what's inline "cpuid") routes CPUID to the
platform, and open()/pread()/close() of /dev/cpu/0/msr are renamed to the shim's.

A source fetched as Debian's binary package (debsrc.WANTED_BINARY, when the archive serves the
program but not its source) is run as compiled: a copy whose cpuid instructions become
"int3; nop", with crosscheck/shim/pvshim_preload.c preloaded to answer them and the MSR device
from the same table, one forked run of the program per platform.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

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


class Answer(NamedTuple):
    """What the real code did on one platform."""

    lines: list[str]  # what it printed
    reads: list[str]  # what it read, as the shim's terminator line lists it
    status: int | None  # the program's exit status (a shipped program's run), None when only a function ran


@dataclass
class Detector:
    """A built binary of one real source."""

    package: str
    version: str
    binary: Path
    workdir: Path
    preload: Path | None = None  # the shim library a shipped binary runs with (LD_PRELOAD)
    args: tuple[str, ...] = ()  # a shipped program's arguments (systemd-detect-virt --cvm)
    library_path: Path | None = None  # where its patched shared libraries are (LD_LIBRARY_PATH)

    def env(self) -> dict[str, str] | None:
        if self.preload is None:
            return None
        # The caller's SYSTEMD_* settings stay out: they would change what systemd's programs do.
        env = {k: v for k, v in os.environ.items() if not k.startswith("SYSTEMD_")}
        env["LD_PRELOAD"] = str(self.preload)
        if self.library_path is not None:
            env["LD_LIBRARY_PATH"] = str(self.library_path)  # ahead of the program's RUNPATH
        return env

    def run(self, lines: list[str], *, timeout: float = 120.0) -> list[Answer]:
        """What the real code did on each platform line."""
        data = "".join(line + "\n" for line in lines)
        try:
            res = subprocess.run([str(self.binary), *self.args], input=data, capture_output=True, text=True,
                                 timeout=timeout, env=self.env())
        except subprocess.TimeoutExpired:
            raise RuntimeError(f"{self.binary.name} timed out on {len(lines)} platforms") from None
        if res.returncode != 0:
            raise RuntimeError(f"{self.binary.name} exited {res.returncode}: {res.stderr.strip()[:2000]}")
        out: list[Answer] = []
        pending: list[str] = []
        for raw in res.stdout.splitlines():
            if raw == "." or raw.startswith(". "):
                out.append(Answer(pending, raw[2:].split(), None))
                pending = []
            elif raw.startswith("=exit ") and out and out[-1].status is None and not pending:
                out[-1] = out[-1]._replace(status=int(raw[6:]))  # the preload's parent, after each run
            else:
                pending.append(raw)
        if len(out) != len(lines) or pending or (self.preload is not None and any(a.status is None for a in out)):
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


# -- a shipped binary ---------------------------------------------------------------------------------

# How each package's shipped program is run: its file in the binary source and its arguments.
# systemd-detect-virt's detection lives in libsystemd-shared-VERSION.so, the source's other file,
# loaded from the patched copies' directory (LD_LIBRARY_PATH).
SHIPPED: dict[str, tuple[str, tuple[str, ...]]] = {
    "virt-what": ("virt-what-cvm", ()),
    "systemd": ("systemd-detect-virt", ("--cvm",)),
}


def _objdump(args: list[str], binary: Path) -> str:
    objdump = shutil.which("objdump")
    if objdump is None:
        raise BuildError("objdump (binutils) is needed to patch a shipped binary")
    res = subprocess.run([objdump, *args, str(binary)], capture_output=True, text=True, timeout=120)
    if res.returncode != 0:
        raise BuildError(f"objdump {' '.join(args)} {binary.name}: {res.stderr.strip()[:500]}")
    return res.stdout


def cpuid_offsets(binary: Path) -> list[int]:
    """File offsets of every cpuid instruction objdump decodes in ``binary``'s code sections."""
    sections = []  # (vma, size, file offset) of each section objdump lists
    for m in re.finditer(r"^\s*\d+\s+\S+\s+([0-9a-f]+)\s+([0-9a-f]+)\s+[0-9a-f]+\s+([0-9a-f]+)\s",
                         _objdump(["-h"], binary), re.M):
        size, vma, off = (int(g, 16) for g in m.groups())
        sections.append((vma, size, off))
    offsets = []
    # Instructions only (no raw bytes: the caller checks them); a library's listing is ~10^6 lines.
    for line in _objdump(["-d", "--no-show-raw-insn"], binary).splitlines():
        if "cpuid" not in line:
            continue
        m = re.match(r"\s*([0-9a-f]+):\s+cpuid\s*$", line)
        if m is None:
            continue
        addr = int(m.group(1), 16)
        where = [off + addr - vma for vma, size, off in sections if vma <= addr < vma + size]
        if len(where) != 1:
            raise BuildError(f"{binary.name}: cpuid at 0x{addr:x} is in no single section")
        offsets.append(where[0])
    return offsets


def patch_cpuid(shipped: Path, out: Path) -> int:
    """A copy of ``shipped`` with each cpuid (0f a2) replaced by int3; nop (cc 90); how many."""
    offsets = cpuid_offsets(shipped)
    data = bytearray(shipped.read_bytes())
    for off in offsets:
        if data[off:off + 2] != b"\x0f\xa2":
            raise BuildError(f"{shipped.name}: no cpuid bytes at file offset 0x{off:x}")
        data[off:off + 2] = b"\xcc\x90"
    out.write_bytes(bytes(data))
    out.chmod(0o755)
    return len(offsets)


def _build_shipped(source: Source, work: Path) -> Detector:
    pic = [*CFLAGS, "-fPIC"]
    objs = [work / "pvshim_pic.o", work / "pvshim_cpuid_pic.o", work / "pvshim_preload.o"]
    # pvshim.c's own pass-through calls go to libc's functions, not back to the preload's.
    _cc([*pic, "-Dopen=pv_next_open", "-Dpread=pv_next_pread", "-Dclose=pv_next_close",
         "-c", str(SHIM / "pvshim.c"), "-o", str(objs[0])], "pvshim.c (preload)")
    _cc([*pic, "-mgeneral-regs-only", "-fno-builtin", "-fno-tree-loop-distribute-patterns",
         "-c", str(SHIM / "pvshim_cpuid.c"), "-o", str(objs[1])], "pvshim_cpuid.c (preload)")
    _cc([*pic, "-c", str(SHIM / "pvshim_preload.c"), "-o", str(objs[2])], "pvshim_preload.c")
    preload = work / "pvshim_preload.so"
    _cc(["-shared", "-o", str(preload), *map(str, objs), "-ldl"], "link pvshim_preload.so")
    program, args = SHIPPED.get(source.package, (None, ()))
    files = sorted(source.provenance.get("files", {}))
    if program is None:  # a program of a test's own: its one file, no arguments
        program = files[0] if len(files) == 1 else None
    if program not in files:
        raise BuildError(f"{source.package} {source.version}: no program to run among {files}")
    # The program and its libraries (under their own names, for LD_LIBRARY_PATH), every cpuid patched.
    patched_dir = work / "shipped"
    patched_dir.mkdir()
    # No second objdump pass: int3 and nop fill exactly the two bytes of each cpuid, so the copy
    # decodes to the same instruction boundaries with no cpuid left (the tests check it once).
    patched = 0
    for name in files:
        patched += patch_cpuid(source.path(name), patched_dir / name)
    if not patched:
        raise BuildError(f"{source.package} {source.version} executes no cpuid instruction: nothing for the shim to answer")
    return Detector(source.package, source.version, patched_dir / program, work, preload, args,
                    patched_dir if len(files) > 1 else None)


def build(source: Source, *, workdir: Path | None = None) -> Detector:
    """Compile ``source`` (systemd or virt-what) with the shim into one binary, or for a source in
    binary form (Debian's compiled program) patch a copy to run under the preload shim."""
    work = Path(tempfile.mkdtemp(prefix=f"pvenum-crosscheck-{source.package}-", dir=workdir))
    try:
        if source.form == "binary":
            return _build_shipped(source, work)
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
