"""External tools (iasl, dtc, cpuid, fdtdump): found, versioned, and run safely.

Each run uses an argument list (never a shell), a timeout, a private temporary directory and a
bound on what it may write. Absence is reported, not fatal: callers get ``None`` from :func:`find` and a
:class:`~pvenum.errors.ToolError` with an actionable message from :func:`require`.
"""

from __future__ import annotations

import functools
import os
import re
import resource
import shutil
import signal
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

from .errors import ToolError

DEFAULT_TIMEOUT = 60.0
# What one run may write into any one file, its stdout and stderr included (RLIMIT_FSIZE): the
# inputs are untrusted, and a tool can turn 161 bytes into gigabytes (iasl 20200925 -d on
# tests/data/fuzz-regressions/acpi-table/timeout-2c944b…: 1.3 GB of .dsl in 30 s).
DEFAULT_MAX_OUTPUT = 256 << 20

# Debian package that provides each tool, for the error message.
PACKAGES = {
    "iasl": "acpica-tools",
    "acpixtract": "acpica-tools",
    "acpidump": "acpica-tools",
    "dtc": "device-tree-compiler",
    "fdtdump": "device-tree-compiler",
    "cpuid": "cpuid",
    "gcc": "gcc",
}

_VERSION_ARGS = {
    "iasl": (["-v"], r"version (\d{8})"),
    "acpixtract": (["-v"], r"version (\d{8})"),
    "dtc": (["--version"], r"DTC (\d+\.\d+\.\d+)"),
    "cpuid": (["--version"], r"version (\d+)"),
    "gcc": (["--version"], r"(\d+\.\d+\.\d+)"),
}


@dataclass(frozen=True)
class Tool:
    name: str
    path: str
    version: str | None

    @property
    def version_tuple(self) -> tuple[int, ...]:
        if not self.version:
            return ()
        return tuple(int(x) for x in re.findall(r"\d+", self.version))


@functools.lru_cache(maxsize=None)
def find(name: str) -> Tool | None:
    """Locate ``name`` on PATH and detect its version, or return None."""
    path = shutil.which(name)
    if path is None:
        return None
    version = None
    if name in _VERSION_ARGS:
        args, pattern = _VERSION_ARGS[name]
        try:
            out = subprocess.run(
                [path, *args], capture_output=True, text=True, timeout=10, errors="replace"
            )
            m = re.search(pattern, out.stdout + out.stderr)
            version = m.group(1) if m else None
        except (OSError, subprocess.TimeoutExpired):
            version = None
    return Tool(name, path, version)


def require(name: str, *, min_version: tuple[int, ...] | None = None, feature: str = "") -> Tool:
    tool = find(name)
    pkg = PACKAGES.get(name, name)
    if tool is None:
        raise ToolError(f"{name} not found on PATH (Debian: apt-get install {pkg})")
    if min_version and tool.version_tuple < min_version:
        need = ".".join(str(x) for x in min_version)
        raise ToolError(
            f"{name} {tool.version} is too old{' for ' + feature if feature else ''}; need {need} or newer"
        )
    return tool


@dataclass
class Result:
    returncode: int
    stdout: str
    stderr: str
    files: dict[str, bytes]


def _file_size_limit(max_output: int) -> int:
    """``max_output``, or the lower limit pvenum itself runs under (`ulimit -f`): a process may
    lower its limits, not raise them."""
    hard = resource.getrlimit(resource.RLIMIT_FSIZE)[1]
    return max_output if hard == resource.RLIM_INFINITY else min(max_output, hard)


def _prlimit() -> str | None:
    tool = find("prlimit")  # cached; prlimit has no version to ask for
    return tool.path if tool is not None else None


def _limited(cmd: list[str], size: int) -> tuple[list[str], object]:
    """``cmd`` under the tool's limits, and the preexec_fn it needs (None): no file (stdout and
    stderr are files here) of ``size`` bytes or more — a write past it kills the tool with
    SIGXFSZ — and no core file. util-linux's prlimit sets them and execs the tool (the same
    process), so no Python runs between fork and exec: a preexec_fn is unsafe beside threads
    (a Dask worker has them) and keeps subprocess from vfork, tens of milliseconds per run in a
    large process. Without prlimit, a preexec_fn sets them."""
    wrapper = _prlimit()
    if wrapper is not None:
        return [wrapper, f"--fsize={size}:{size}", "--core=0:0", "--", *cmd], None

    def apply() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (size, size))
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))

    return cmd, apply


def run(
    name: str,
    args: Sequence[str],
    *,
    inputs: dict[str, bytes] | None = None,
    collect: Sequence[str] = (),
    timeout: float = DEFAULT_TIMEOUT,
    check: bool = True,
    exe: str | None = None,
    max_output: int = DEFAULT_MAX_OUTPUT,
) -> Result:
    """Run ``name args`` inside a fresh temporary directory.

    ``inputs`` are written into the directory first (relative names only); files named in
    ``collect`` (glob patterns) are read back after the run. ``exe``: this executable instead
    of the ``name`` on PATH (another release of the tool, unpacked into a cache). No file the
    tool writes, stdout and stderr included, may reach ``max_output`` bytes: a run that tries
    is stopped and is a ToolError, whatever ``check`` says.
    """
    path = exe or require(name).path
    if not (os.path.isfile(path) and os.access(path, os.X_OK)):  # said here: under prlimit a failed exec is only an exit status
        raise ToolError(f"cannot run {name}: {path} is not an executable file")
    limit = _file_size_limit(max_output)
    with tempfile.TemporaryDirectory(prefix=f"pvenum-{name}-") as tmp:
        work = Path(tmp) / "work"  # the tool's directory; its stdout and stderr are kept beside it
        work.mkdir()
        for rel, data in (inputs or {}).items():
            if "/" in rel or rel.startswith("."):
                raise ToolError(f"bad input name {rel!r} for {name}")
            (work / rel).write_bytes(data)
        logs = (Path(tmp) / "stdout", Path(tmp) / "stderr")
        cmd, preexec = _limited([path, *args], limit)
        try:
            with open(logs[0], "wb") as out, open(logs[1], "wb") as err:
                proc = subprocess.run(
                    cmd,
                    cwd=work,
                    stdout=out,
                    stderr=err,
                    timeout=timeout,
                    stdin=subprocess.DEVNULL,
                    preexec_fn=preexec,  # type: ignore[arg-type]
                )
        except subprocess.TimeoutExpired:
            raise ToolError(f"{name} timed out after {timeout:.0f}s") from None
        except (OSError, subprocess.SubprocessError) as err:  # SubprocessError: the limits could not be set
            raise ToolError(f"cannot run {name}: {err}") from None
        written = [p for p in (*logs, *work.iterdir()) if p.is_file()]
        if proc.returncode == -signal.SIGXFSZ or any(p.stat().st_size >= limit for p in written):
            raise ToolError(f"{' '.join([name, *args])} was stopped: it wrote {limit:,} bytes to one file "
                            "(its input makes it run away)")
        files: dict[str, bytes] = {}
        for pattern in collect:
            for p in sorted(work.glob(pattern)):
                if p.is_file():
                    files[p.name] = p.read_bytes()  # below max_output: checked above
        res = Result(
            proc.returncode,
            logs[0].read_bytes().decode("utf-8", "replace"),
            logs[1].read_bytes().decode("utf-8", "replace"),
            files,
        )
    if check and res.returncode != 0:
        first = (res.stderr or res.stdout).strip().splitlines()
        raise ToolError(f"{name} {' '.join(args)} failed ({res.returncode}): {first[-1] if first else ''}")
    return res
