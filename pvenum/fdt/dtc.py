"""The bridge to dtc: DTS in, DTB out, and back (argument lists, timeouts, temp dirs).

dtc is optional: when it is absent, these raise :class:`~pvenum.errors.ToolError` with the
Debian package to install, and everything that does not read DTS keeps working.
"""

from __future__ import annotations

import os
import re
from typing import TYPE_CHECKING

from .. import tools
from ..errors import ToolError

if TYPE_CHECKING:  # pragma: no cover
    from .model import DeviceTree

TIMEOUT = 60.0


def _text(data: str | bytes) -> bytes:
    return data.encode("utf-8", "surrogateescape") if isinstance(data, str) else bytes(data)


def _run(args: list[str], inputs: dict[str, bytes], out_name: str, *, shown: str | None = None) -> bytes:
    res = tools.run("dtc", args, inputs=inputs, collect=[out_name], timeout=TIMEOUT, check=False)
    if res.returncode != 0 or out_name not in res.files:
        raise ToolError(f"dtc {' '.join(args[:4])} failed ({res.returncode}): "
                        f"{_diagnostic(res.stderr or res.stdout, args[-1], shown)}")
    return res.files[out_name]


_WHERE = re.compile(r"\S:\d+\.\d+")  # FILE:LINE.COL


def _diagnostic(output: str, source: str, shown: str | None) -> str:
    """What dtc said is wrong: its located errors ("FILE:LINE.COL-...: ERROR (check): ...",
    "Error: FILE:LINE.COL syntax error"; dtc's srcpos.c srcpos_string()), up to three, with the
    temporary input named as the user's file; else its last error line ("FATAL ERROR: Unable
    to parse input tree" alone says nothing about where)."""
    lines = [ln.strip() for ln in output.splitlines() if ln.strip()]
    errors = [ln for ln in lines if "ERROR" in ln or "Error" in ln or "FATAL" in ln]
    located = [ln for ln in errors if _WHERE.search(ln)]
    if located:
        name = shown or source
        # The temporary input's own name only, never a longer one ending in it (an included
        # "main.dts" beside "in.dts").
        own = re.compile(rf"(?<![^\s]){re.escape(source)}:")
        named = f"{name}:"  # a function, not a template: a path may hold "\\" or "\\1"
        return "; ".join(own.sub(lambda _: named, ln) for ln in located[:3])
    return (errors or lines or ["no output"])[-1]


def compile_dts(text: str | bytes, *, include_dirs: tuple[str, ...] | list[str] = (),
                boot_cpuid_phys: int | None = None, version: int = 17, path: str | None = None) -> bytes:
    """``dtc -I dts -O dtb``: DTS source to a blob (v17 unless ``version`` says otherwise).
    Every file the source names (/include/, /incbin/) must be a regular file under one of
    ``include_dirs`` (pvenum/fdt/dts_files.py); ``path`` names the source in that error."""
    from .dts_files import check

    data = _text(text)
    check(data, include_dirs, path=path)
    args = ["-q", "-I", "dts", "-O", "dtb", "-V", str(version), "-o", "out.dtb"]
    for d in include_dirs:
        args += ["-i", os.path.abspath(d)]
    if boot_cpuid_phys is not None:
        args += ["-b", str(boot_cpuid_phys)]
    return _run(args + ["in.dts"], {"in.dts": data}, "out.dtb", shown=os.path.basename(path) if path else None)


def decompile_dtb(blob: bytes) -> str:
    """``dtc -I dtb -O dts``: dtc's own DTS rendering of a blob."""
    out = _run(["-q", "-I", "dtb", "-O", "dts", "-o", "out.dts", "in.dtb"], {"in.dtb": bytes(blob)}, "out.dts")
    return out.decode("utf-8", "surrogateescape")


def recompile_dtb(blob: bytes, *, version: int = 17) -> bytes:
    """``dtc -I dtb -O dtb``: dtc's canonical layout of a blob (NOPs and free space dropped)."""
    return _run(["-q", "-I", "dtb", "-O", "dtb", "-V", str(version), "-o", "out.dtb", "in.dtb"],
                {"in.dtb": bytes(blob)}, "out.dtb")


def fs_to_dtb(path: str) -> bytes:
    """``dtc -I fs -O dtb``: dtc's reading of a /proc/device-tree style directory."""
    if not os.path.isdir(path):
        raise ToolError(f"{path} is not a directory")
    return _run(["-q", "-I", "fs", "-O", "dtb", "-o", "out.dtb", os.path.abspath(path)], {}, "out.dtb")


def as_dtc_reads(tree: "DeviceTree") -> "DeviceTree":
    """The tree as dtc holds it after reading: dtc deletes every ``name`` property that just
    repeats the node's name without unit address (checks.c ``check_name_properties``), which
    is what pre-v16 blobs carry on every node. libfdt (and pvenum's parse) keep them."""
    out = tree.copy()
    for node in out.walk():
        if node.properties.get("name") == node.name_property():
            node.delete_property("name")
    return out
