"""The 2026 proposal: a paravisor services record and its draft CPUID, DT and ACPI encodings.

A lazy facade (PEP 562): a name loads its defining submodule on first read, so importing one
submodule never runs the others and no import cycle closes through this package.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .._lazy import lazy_facade

if TYPE_CHECKING:  # pragma: no cover
    from .record import Interface, ParavisorServices

__all__ = ["Interface", "ParavisorServices"]
__getattr__, __dir__ = lazy_facade(__name__, {"record": __all__})
