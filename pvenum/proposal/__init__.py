"""The 2026 proposal: a paravisor services record and its draft CPUID, DT and ACPI encodings."""

from .record import Interface, ParavisorServices

__all__ = ["Interface", "ParavisorServices"]
