"""The DTB, DTS and directory-tree formats as pvenum artifacts (see pvenum.formats).

``load`` is the format hook for ``dtb`` and ``dts`` (DTS goes through dtc), ``load_fs`` for
``dt-fs`` directories, ``validate`` the hook of ``pvenum validate``.
"""

from __future__ import annotations

import os

from ..formats import _is_dts
from ..validation import Problem
from . import check
from .constants import FDT_MAGIC
from .decoder import decode
from .model import DeviceTree
from .values import dts_text, printable

TYPE_CHECKING = False  # typing is not imported at run time (start-up: pvenum/_io.py)
if TYPE_CHECKING:  # pragma: no cover
    from typing import Any, Iterator

    from ..platform import PlatformBuilder

_MAGIC = FDT_MAGIC.to_bytes(4, "big")


class DtbArtifact:
    """One devicetree, from a blob, from DTS source or from a directory tree."""

    def __init__(self, tree: DeviceTree | None, path: str, fmt: str = "dtb", *, source: bytes | None = None,
                 on_disk: Any = None) -> None:
        self._tree = tree
        self._source = source  # DTS text not compiled yet (see tree)
        self.path = path
        self.format = fmt
        self._on_disk = on_disk  # where the DTS lies (pvenum.formats.OnDisk), when ``path`` only names it (a bundle's file, a git checkout)

    @property
    def tree(self) -> DeviceTree:
        """The devicetree; DTS source is compiled with dtc on first use, not while loading."""
        if self._tree is None:
            from ..errors import PvenumError

            try:
                self._tree = decode(_dts_blob(self._source or b"", self.path, self._on_disk))
            except PvenumError as err:
                raise _as_named(err.with_path(self.path), self._on_disk, self.path)
            self._source = None
        return self._tree

    @tree.setter
    def tree(self, tree: DeviceTree) -> None:
        self._tree, self._source = tree, None

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

    def render_text(self, *, bits: bool = False, width: int = 120) -> str | None:
        """render() as a colourless console ``width`` wide prints it, without rich; None when
        only rich lays it out so."""
        from .render import render_text

        return render_text(self.tree, self.path, fmt=self.format, bits=bits, width=width)

    def textconv(self) -> Iterator[str]:
        """Stable lines for ``git diff``: one per node and per property."""
        h = self.tree.header
        if h is not None:
            yield f"{self.format} " + " ".join(f"{name}=0x{value:x}" for name, value in h.present())
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

    def renders(self, tree: DeviceTree) -> bool:
        """True for DTS text, not compiled yet, that is exactly pvenum's rendering of ``tree``
        (as `pvenum build` writes fdt.dts beside fdt.dtb): to_dts() text compiles back to that
        same tree, so a reader comparing the two needs no dtc process."""
        return self._tree is None and self._source in _emitted(tree)

    def contribute(self, builder: "PlatformBuilder") -> None:
        # A copy of lower rank than the tree kept is not compiled (a DTS beside its DTB): once a
        # tree is kept, a DTS, of the lowest rank, is never taken (pvenum.bundle checks they agree).
        if builder.takes_fdt(self.format):
            builder.set_fdt(self.tree, self.path, self.format)

    def to_dts(self) -> str:
        from .dts import emit

        return emit(self.tree)


def _emitted(tree: DeviceTree) -> tuple[bytes, ...]:
    """pvenum's DTS for ``tree``: as read (with its header comment) and as written from a tree
    built in memory (no header), which is how `pvenum build` writes fdt.dts. Kept with the
    tree: a bundle's copy check and its platform both ask."""
    memo = tree.memo()
    texts = memo.get(_emitted)
    if texts is None:
        from dataclasses import replace

        from .dts import emit

        texts = memo[_emitted] = (emit(tree).encode(), emit(replace(tree, header=None)).encode())
    return texts


def _dts_blob(data: bytes, path: str, on_disk: Any = None) -> bytes:
    from .dtc import compile_dts

    # dtc looks for what the DTS /include/s beside the file as it lies on the disk (and
    # pvenum.fdt.dts_files keeps it to that directory).
    beside = on_disk.file if on_disk is not None else path
    include = [os.path.dirname(os.path.abspath(beside))] if beside else []
    return compile_dts(data, include_dirs=include, path=path or None)


def _as_named(err: Any, on_disk: Any, path: str) -> Any:
    """``err`` naming the DTS's directory as the user named it (``REV:path``), not the
    temporary directory a git tree was unpacked into."""
    if on_disk is None or on_disk.tree is None:  # the user's own file: named as it lies
        return err
    return err.shown_as(os.path.dirname(os.path.abspath(on_disk.file)), on_disk.shown_dir(path))


def names_beside(data: bytes) -> bool:
    """Whether ``data`` is a DTS that can make dtc open another file (a blob names none). A
    DTS's includes are read beside it: defining this, the module is handed ``on_disk``
    (pvenum.formats.FormatSpec.load)."""
    from .dts_files import names_files

    return data[:4] != _MAGIC and names_files(data)


def load(data: bytes, path: str, *, on_disk: Any = None) -> list[DtbArtifact]:
    """Format hook for ``dtb`` and ``dts`` (compiled with dtc, then decoded), detected."""
    return load_as(data, path, "dts" if data[:4] != _MAGIC and _is_dts(data, path) else "dtb", on_disk=on_disk)


def load_as(data: bytes, path: str, name: str, *, on_disk: Any = None) -> list[DtbArtifact]:
    """The format decided (detected or forced with ``--format``): ``dtb`` reads a blob, so a
    damaged one is named with its offset; ``dts`` goes through dtc."""
    if name == "dts":
        return [DtbArtifact(None, path, "dts", source=bytes(data), on_disk=on_disk)]
    return [DtbArtifact(decode(data), path, "dtb")]


def load_fs(path: str, within: Any = None) -> list[DtbArtifact]:
    """Format hook for ``dt-fs``: a /proc/device-tree style directory (``within``: see
    :func:`pvenum.fdt.fs.read_fs`)."""
    from .fs import read_fs

    return [DtbArtifact(read_fs(path, within=within), str(path), "dt-fs")]


def validate(data: bytes, path: str, fmt: str = "dtb") -> list[Problem]:
    """libfdt fdt_check_full's checks (every problem, with offsets); DTS is compiled first."""
    if fmt == "dts":
        from ..errors import ToolError

        try:
            data = _dts_blob(data, path)
        except ToolError as err:
            return [Problem("DTC", err.message, offset=None, fmt="dts")]
    problems = check.check_full(data, duplicates=True)
    if not any(p.severity == "error" and p.check not in check.DTC_CHECKS for p in problems):
        problems += _beyond_libfdt(data)
    return problems


# torvalds/linux drivers/of/fdt.c unflatten_dt_nodes() (v7.2.8): nps[FDT_MAX_DEPTH], and a
# node at depth FDT_MAX_DEPTH - 1 or deeper (the root at 0) is skipped under WARN_ON_ONCE.
LINUX_FDT_MAX_DEPTH = 64


def _beyond_libfdt(data: bytes) -> list[Problem]:
    """What a blob libfdt accepts may still hold: nesting Linux drops nodes of (a warning),
    or past what pvenum decodes at all (an error: inspect and resolve refuse the blob)."""
    from ..errors import LimitError

    try:
        tree = decode(data)
    except LimitError as err:
        return [Problem("PVENUM_LIMIT", f"{err.message}: pvenum does not decode it", offset=err.offset, fmt="dtb")]
    # Counted down the tree, not from path text: a node name may hold "/" (libfdt accepts it).
    deepest, level = 0, [(tree.root, 0)]
    while level:
        node, depth = level.pop()
        deepest = max(deepest, depth)
        level.extend((child, depth + 1) for child in node.children)
    if deepest < LINUX_FDT_MAX_DEPTH - 1:
        return []
    return [Problem("LINUX_FDT_MAX_DEPTH", f"nodes nested {deepest} deep: Linux's unflatten_dt_nodes() skips every "
                    f"node at depth {LINUX_FDT_MAX_DEPTH - 1} or more (drivers/of/fdt.c FDT_MAX_DEPTH "
                    f"{LINUX_FDT_MAX_DEPTH}, WARN_ON_ONCE)", severity="warning", fmt="dtb")]
