"""The 2026 proposal: a paravisor services record and its draft CPUID, DT and ACPI encodings.

A lazy facade (PEP 562): a name loads its defining submodule on first read, so importing one
submodule never runs the others and no import cycle closes through this package.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    from .record import Interface, ParavisorServices

__all__ = ["Interface", "ParavisorServices"]
_RECORD = frozenset(('Interface', 'ParavisorServices',))


def __getattr__(name: str) -> Any:
    if name in _RECORD:
        from . import record as module
    else:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = globals()[name] = getattr(module, name)  # later reads skip __getattr__
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
