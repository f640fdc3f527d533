"""External tools (iasl, dtc, cpuid, fdtdump): found, versioned, and run safely.

Each run uses an argument list (never a shell), a timeout, and a private temporary
directory. Absence is reported, not fatal: callers get ``None`` from :func:`find` and a
:class:`~pvenum.errors.ToolError` with an actionable message from :func:`require`.
"""

from __future__ import annotations

import functools
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

from .errors import ToolError

DEFAULT_TIMEOUT = 60.0

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


def run(
    name: str,
    args: Sequence[str],
    *,
    inputs: dict[str, bytes] | None = None,
    collect: Sequence[str] = (),
    timeout: float = DEFAULT_TIMEOUT,
    check: bool = True,
    exe: str | None = None,
) -> Result:
    """Run ``name args`` inside a fresh temporary directory.

    ``inputs`` are written into the directory first (relative names only); files named in
    ``collect`` (glob patterns) are read back after the run. ``exe``: this executable instead
    of the ``name`` on PATH (another release of the tool, unpacked into a cache).
    """
    path = exe or require(name).path
    with tempfile.TemporaryDirectory(prefix=f"pvenum-{name}-") as tmp:
        for rel, data in (inputs or {}).items():
            if "/" in rel or rel.startswith("."):
                raise ToolError(f"bad input name {rel!r} for {name}")
            (Path(tmp) / rel).write_bytes(data)
        try:
            proc = subprocess.run(
                [path, *args],
                cwd=tmp,
                capture_output=True,
                timeout=timeout,
                stdin=subprocess.DEVNULL,
            )
        except subprocess.TimeoutExpired:
            raise ToolError(f"{name} timed out after {timeout:.0f}s") from None
        except OSError as err:
            raise ToolError(f"cannot run {name}: {err}") from None
        files: dict[str, bytes] = {}
        for pattern in collect:
            for p in sorted(Path(tmp).glob(pattern)):
                if p.is_file():
                    files[p.name] = p.read_bytes()
        res = Result(
            proc.returncode,
            proc.stdout.decode("utf-8", "replace"),
            proc.stderr.decode("utf-8", "replace"),
            files,
        )
    if check and res.returncode != 0:
        first = (res.stderr or res.stdout).strip().splitlines()
        raise ToolError(f"{name} {' '.join(args)} failed ({res.returncode}): {first[-1] if first else ''}")
    return res
