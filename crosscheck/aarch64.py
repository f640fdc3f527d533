"""Run Debian's arm64 ``systemd-detect-virt --cvm`` and ``virt-what-cvm`` on an x86 machine, under qemu-user.

systemd's aarch64 detector (src/basic/confidential-virt.c, ``detect_confidential_virtualization_impl()``
under ``#elif defined(__aarch64__)``, v258 and later) reads one thing: whether
``/sys/devices/platform/arm-cca-dev`` exists; virt-what-cvm's cpu_sig() has no aarch64 branch.
So the platform reaches the programs as that one directory, present or not, and nothing of the
machine's own /sys leaks in:

- the program (as harness.SHIPPED names it), its libraries and the arm64 glibc Debian ships (debsrc.WANTED_BINARY,
  debsrc.FOREIGN_RUNTIME) are laid out at their packaged paths in a private root, which
  ``qemu-aarch64 -L ROOT`` uses for the loader and the libraries;
- each run happens in a new mount namespace (``unshare --mount --map-root-user``: root is not
  needed where user namespaces are allowed) with a tmpfs over ``/sys/devices/platform``, in which
  the ``arm-cca-dev`` directory is made when the platform's Linux would have registered it;
- ``qemu-aarch64 -strace`` logs every system call the program makes, so the paths it looked at
  are known (its inputs: what the model's evidence must cite) and its exit status is its own.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from pvenum.resolver.arm import RSI_PDEV_NAME, RSI_PDEV_SYSFS

from .debsrc import Source
from .harness import SHIPPED, Answer, BuildError

QEMU = "qemu-aarch64"

# The directory the platform decides (arch/arm64/kernel/rsi.c arm64_create_dummy_rsi_dev():
# platform device RSI_PDEV_NAME): a tmpfs over its parent, the device made in it or not.
PLATFORM_DIR = str(PurePosixPath(RSI_PDEV_SYSFS).parent)
DEVICE = RSI_PDEV_NAME
SETUP_FAILED = 125  # the wrapper's own exit status when it could not make the view (not the program's)

# What the dynamic loader opens on the program's behalf: not the program's inputs.
_LOADER = ("/lib/", "/usr/lib/", "/etc/ld.so.")
_PATH_CALL = re.compile(r'^\d+ (\w+)\((?:AT_FDCWD,|-?\d+,)?"([^"]*)"', re.M)
# The wrapper inside the namespace: $1 the directory to cover, $2 the device to make or "", then the command.
_WRAPPER = ('mount -t tmpfs pvenum "$1" || exit %d; if [ -n "$2" ]; then mkdir "$1/$2" || exit %d; fi; '
            'shift 2; exec "$@"' % (SETUP_FAILED, SETUP_FAILED))


def interpreter(program: Path) -> PurePosixPath:
    """The program's PT_INTERP (the dynamic loader it asks for), as ``readelf -l`` prints it."""
    readelf = shutil.which("readelf")
    if readelf is None:
        raise BuildError("readelf (binutils) is needed to read an arm64 program's loader")
    res = subprocess.run([readelf, "-l", "-W", str(program)], capture_output=True, text=True, timeout=60)
    m = re.search(r"\[Requesting program interpreter: (/[^\]\s]+)\]", res.stdout)
    if res.returncode != 0 or m is None:
        raise BuildError(f"{program.name}: readelf names no program interpreter")
    return PurePosixPath(m.group(1))


def missing() -> str | None:
    """Why arm64 programs cannot be run here, or None."""
    if shutil.which(QEMU) is None:
        return f"{QEMU} not found (apt-get install qemu-user)"
    if shutil.which("unshare") is None:
        return "unshare (util-linux) not found"
    try:
        res = subprocess.run(["unshare", "--mount", "--map-root-user", "true"], capture_output=True, text=True,
                             timeout=30)
    except (OSError, subprocess.TimeoutExpired) as err:
        return f"unshare --mount --map-root-user failed: {err}"
    if res.returncode != 0:
        return f"cannot make a private mount namespace (unshare --mount --map-root-user: {res.stderr.strip()[:200]})"
    return None


def inputs(strace: str) -> list[str]:
    """The paths a run looked at (qemu-user's -strace log, the guest's view), without those the
    dynamic loader opens for the libraries and /dev/null, in order, each once."""
    seen: dict[str, None] = {}
    for _call, path in _PATH_CALL.findall(strace):
        if path.startswith(_LOADER) or path == "/dev/null":
            continue
        seen.setdefault(path, None)
    return list(seen)


@dataclass
class Aarch64Program:
    """One arm64 source in binary form, laid out in a private root."""

    package: str
    version: str
    root: Path
    program: PurePosixPath  # inside the root
    args: tuple[str, ...]
    workdir: Path

    def env(self) -> dict[str, str]:
        # The caller's SYSTEMD_* and QEMU_* settings stay out: they change what the program or qemu does.
        return {k: v for k, v in os.environ.items() if not k.startswith(("SYSTEMD_", "QEMU_"))}

    def run_one(self, device: bool, *, timeout: float = 60.0) -> Answer:
        """The program's run with ``/sys/devices/platform/arm-cca-dev`` present or not."""
        cmd = ["unshare", "--mount", "--map-root-user", "--", "sh", "-c", _WRAPPER, "sh",
               PLATFORM_DIR, DEVICE if device else "",
               QEMU, "-strace", "-L", str(self.root), str(self.root / self.program), *self.args]
        try:
            res = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, env=self.env())
        except subprocess.TimeoutExpired:
            raise RuntimeError(f"{self.program.name} (arm64) timed out") from None
        if res.returncode == SETUP_FAILED or "exit_group(" not in res.stderr:
            raise RuntimeError(f"{self.program.name} (arm64) did not run to its end (exit {res.returncode}): "
                               f"{res.stderr.strip()[-500:]}")
        return Answer(res.stdout.splitlines(), inputs(res.stderr), res.returncode)

    def run(self, devices: list[bool]) -> list[Answer]:
        return [self.run_one(d) for d in devices]

    def close(self) -> None:
        shutil.rmtree(self.workdir, ignore_errors=True)


def build(source: Source, *, workdir: Path | None = None) -> Aarch64Program:
    """Lay out ``source`` (an arm64 binary source with its runtime, debsrc.fetch_binary) as a root:
    each kept file at the path its package installs it to, /lib as usr/lib (Debian's merged /usr),
    and the loader the program names (PT_INTERP) linked to the packaged one."""
    if source.provenance.get("arch") != "arm64" or source.form != "binary":
        raise BuildError(f"{source.package} {source.version}: not an arm64 binary source")
    program, args = SHIPPED[source.package]
    work = Path(tempfile.mkdtemp(prefix=f"pvenum-crosscheck-{source.package}-arm64-", dir=workdir))
    try:
        root = work / "root"
        placed: dict[str, PurePosixPath] = {}
        for name, info in source.provenance.get("files", {}).items():
            rel = PurePosixPath(info["path"])
            if rel.is_absolute() or ".." in rel.parts or not rel.parts or rel.parts[0] != "usr":
                raise BuildError(f"{source.package} {source.version}: refusing packaged path {rel}")
            dest = root / rel
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source.path(name), dest)
            dest.chmod(0o755)
            placed[name] = rel
        if program not in placed:
            raise BuildError(f"{source.package} {source.version}: no {program} among its files")
        (root / "lib").symlink_to("usr/lib")
        # An empty loader cache of our own: qemu -L would otherwise hand the loader the machine's.
        (root / "etc").mkdir()
        (root / "etc" / "ld.so.cache").write_bytes(b"")
        interp = interpreter(root / placed[program])
        loader = placed.get(interp.name)
        if loader is None or interp.parent != PurePosixPath("/lib"):
            raise BuildError(f"{program} asks for {interp}: not a loader its runtime packages bring")
        link = root / "usr" / "lib" / interp.name
        if not link.exists():
            link.symlink_to(PurePosixPath(*loader.parts[2:]))  # relative to usr/lib
        return Aarch64Program(source.package, source.version, root, placed[program], args, work)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
