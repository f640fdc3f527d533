"""pvenum: how a virtual platform describes itself to a guest, and what each guest derives.

Facades (the stable Python API, docs/contracts.md): ``pvenum.fdt.parse/build``, ``pvenum.acpi.parse_table/build_table``,
``pvenum.cpuid.parse``, ``pvenum.resolve``. Submodules load lazily so that
``pvenum --version`` and single-format commands stay fast.
"""

from __future__ import annotations

from ._version import __version__

# typing is not imported at run time: `pvenum --version` imports this package, and typing (with
# re) would be most of its start-up. Type checkers take TYPE_CHECKING = False as always true.
TYPE_CHECKING = False
if TYPE_CHECKING:  # pragma: no cover
    from typing import Any

    from .kconfig import KernelConfig
    from .platform import Platform
    from .resolver.derivation import Derivation

__all__ = ["__version__", "resolve", "load", "Platform"]


def resolve(platform: "Platform", model: str = "linux", *, kernel_config: "KernelConfig | None" = None) -> "Derivation":
    """Resolve what guest ``model`` derives from ``platform``; a ``linux`` model's kernel built with
    ``kernel_config`` (:func:`pvenum.kconfig.read_kconfig`) when given."""
    from .resolver.registry import resolve as _resolve

    return _resolve(platform, model, kernel_config=kernel_config)


def load(target: str) -> "Platform":
    """A scenario name, scenario TOML, bundle directory or single artifact → Platform."""
    from .target import load_target

    return load_target(target).platform


def __getattr__(name: str) -> Any:
    if name == "Platform":
        from .platform import Platform

        return Platform
    raise AttributeError(f"module 'pvenum' has no attribute {name!r}")
