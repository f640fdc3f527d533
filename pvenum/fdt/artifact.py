"""The DTB, DTS and directory-tree formats as pvenum artifacts (see pvenum.formats).

``load`` is the format hook for ``dtb`` and ``dts`` (DTS goes through dtc), ``load_fs`` for
``dt-fs`` directories, ``validate`` the hook of ``pvenum validate``.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any, Iterator

from ..formats import _is_dts
from ..validation import Problem
from . import check
from .constants import FDT_MAGIC, HEADER_FIELDS
from .decoder import decode
from .model import DeviceTree
from .values import dts_text, printable

if TYPE_CHECKING:  # pragma: no cover
    from ..platform import PlatformBuilder

_MAGIC = FDT_MAGIC.to_bytes(4, "big")


class DtbArtifact:
    """One devicetree, from a blob, from DTS source or from a directory tree."""

    def __init__(self, tree: DeviceTree, path: str, fmt: str = "dtb") -> None:
        self.tree = tree
        self.path = path
        self.format = fmt

    def to_json(self) -> dict[str, Any]:
        """The inspect JSON contract (docs/contracts.md): header, reservations, nodes in document order."""
        header = self.tree.header
        return {
            "format": self.format,
            "path": self.path,
            "header": header.to_json() if header is not None else None,
            "reservations": [{"address": a, "size": s} for a, s in self.tree.reservations],
            "nodes": [
                {
                    "path": node.path,
                    "properties": [{"name": n, "value": v.hex()} for n, v in node.property_items()],
                }
                for node in self.tree.walk()
            ],
        }

    def render(self, *, bits: bool = False) -> Any:
        from .render import render_tree

        return render_tree(self.tree, self.path, fmt=self.format, bits=bits)

    def textconv(self) -> Iterator[str]:
        """Stable lines for ``git diff``: one per node and per property."""
        h = self.tree.header
        if h is not None:
            yield f"{self.format} " + " ".join(f"{name}=0x{getattr(h, name):x}" for name in HEADER_FIELDS)
        else:
            yield f"{self.format} (no header: {self.format} form)"
        if self.tree.boot_cpuid_phys and h is None:
            yield f"boot_cpuid_phys=0x{self.tree.boot_cpuid_phys:x}"
        for address, size in self.tree.reservations:
            yield f"/memreserve/ 0x{address:016x} 0x{size:016x}"
        for node in self.tree.walk():
            path = printable(node.path)
            yield f"node {path}"
            for name, raw in node.property_items():
                text = dts_text(name, raw) if raw else "(empty)"
                yield f"{path}:{printable(name)} = {text} [{raw.hex()}]"

    def contribute(self, builder: "PlatformBuilder") -> None:
        builder.set_fdt(self.tree, self.path)

    def to_dts(self) -> str:
        from .dts import emit

        return emit(self.tree)


def _dts_blob(data: bytes, path: str) -> bytes:
    from .dtc import compile_dts

    include = [os.path.dirname(os.path.abspath(path))] if path else []
    return compile_dts(data, include_dirs=include)


def load(data: bytes, path: str) -> list[DtbArtifact]:
    """Format hook for ``dtb`` and ``dts`` (compiled with dtc, then decoded), detected."""
    return load_as(data, path, "dts" if data[:4] != _MAGIC and _is_dts(data, path) else "dtb")


def load_as(data: bytes, path: str, name: str) -> list[DtbArtifact]:
    """The format decided (detected or forced with ``--format``): ``dtb`` reads a blob, so a
    damaged one is named with its offset; ``dts`` goes through dtc."""
    if name == "dts":
        return [DtbArtifact(decode(_dts_blob(data, path)), path, "dts")]
    return [DtbArtifact(decode(data), path, "dtb")]


def load_fs(path: str) -> list[DtbArtifact]:
    """Format hook for ``dt-fs``: a /proc/device-tree style directory."""
    from .fs import read_fs

    return [DtbArtifact(read_fs(path), str(path), "dt-fs")]


def validate(data: bytes, path: str, fmt: str = "dtb") -> list[Problem]:
    """libfdt fdt_check_full's checks (every problem, with offsets); DTS is compiled first."""
    if fmt == "dts":
        from ..errors import ToolError

        try:
            data = _dts_blob(data, path)
        except ToolError as err:
            return [Problem("DTC", err.message, offset=None, fmt="dts")]
    return check.check_full(data)
