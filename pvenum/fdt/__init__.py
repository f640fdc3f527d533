"""The Arm devicetree channel: DTB decode, build, validation, DTS and directory forms.

Facade (docs/contracts.md)::

    tree = pvenum.fdt.parse(blob)          # DeviceTree; raises ParseError / LimitError
    for node in tree.walk():               # document order
        node.path, node.properties         # str, Mapping[str, bytes] (ordered)
    tree.get_node("/psci").properties.get("method")
    blob2 = pvenum.fdt.build(tree)         # dtc's layout: v17, rsvmap at 0x28, shared strings

Also: :func:`validate` (libfdt fdt_check_full, every problem), :func:`to_dts` /
:func:`from_dts` (DTS text; reading goes through dtc), :func:`read_fs` (/proc/device-tree
style directories), :func:`to_pyfdt` / :func:`from_pyfdt` (objects of the ``fdt`` package).
Submodules that need external tools or other packages load only when called.
"""

from __future__ import annotations

from .model import DeviceTree, Header, Node, Reservation

TYPE_CHECKING = False  # typing is not imported at run time (start-up: pvenum/_io.py)
if TYPE_CHECKING:  # pragma: no cover
    from typing import Any

    from ..validation import Problem
    from .decoder import decode as parse


def __getattr__(name: str) -> Any:
    # The decoder (and the checker it runs) loads on first use: the model classes alone are
    # what a resolver reading an already-decoded tree (a cached platform) needs.
    if name == "parse":
        from .decoder import decode

        return decode
    raise AttributeError(f"module 'pvenum.fdt' has no attribute {name!r}")

__all__ = [
    "DeviceTree",
    "Header",
    "Node",
    "Reservation",
    "build",
    "from_dts",
    "from_pyfdt",
    "parse",
    "read_fs",
    "to_dts",
    "to_pyfdt",
    "validate",
]


def build(tree: DeviceTree, *, version: int = 17, padding: int = 0, align_to: int = 0,
          boot_cpuid_phys: int | None = None, reservations: "list[Reservation] | None" = None) -> bytes:
    """The DTB for ``tree`` in dtc's layout (see :func:`pvenum.fdt.builder.build`)."""
    from .builder import build as _build  # Construct loads only when something is built

    return _build(tree, version=version, padding=padding, align_to=align_to,
                  boot_cpuid_phys=boot_cpuid_phys, reservations=reservations)


def validate(data: bytes, *, alignment: bool = True, nop_after_root: bool = True) -> "list[Problem]":
    """Every problem libfdt's fdt_check_full would stop at (see :mod:`pvenum.fdt.check`)."""
    from .check import check_full

    return check_full(data, alignment=alignment, nop_after_root=nop_after_root)


def to_dts(tree: DeviceTree) -> str:
    """DTS text that ``dtc -I dts -O dtb`` compiles back to the same tree."""
    from .dts import emit

    return emit(tree)


def from_dts(text: str | bytes, *, include_dirs: tuple[str, ...] = ()) -> DeviceTree:
    """Compile DTS with dtc and decode the result (ToolError when dtc is absent or fails). A
    file it names (/include/, /incbin/) must be a regular file under one of ``include_dirs``
    (pvenum/fdt/dts_files.py; ParseError otherwise): with none given, it may name none."""
    from .decoder import decode
    from .dtc import compile_dts

    return decode(compile_dts(text, include_dirs=include_dirs))


def read_fs(path: str) -> DeviceTree:
    """A /proc/device-tree or /sys/firmware/devicetree/base style directory."""
    from .fs import read_fs as _read_fs

    return _read_fs(path)


def to_pyfdt(tree: DeviceTree) -> Any:
    """An ``fdt.FDT`` object (the pure-Python ``fdt`` package) holding the same tree."""
    from .pyfdt import to_pyfdt as _to

    return _to(tree)


def from_pyfdt(obj: Any) -> DeviceTree:
    """A DeviceTree from an ``fdt.FDT`` object."""
    from .pyfdt import from_pyfdt as _from

    return _from(obj)
