"""``pvenum diff``: what a change to a CPUID table, a DTB or an ACPI table means, down to the
named field and up to each guest model's conclusion.

- :mod:`.flatten`: a platform or an artifact → ordered ``{named field: Value}`` per channel;
- :mod:`.compare`: raw and derived differences as data (:class:`DiffResult`);
- :mod:`.render`: rich, Markdown, JSON, HTML/SVG;
- :mod:`.gitsrc`: ``REV:path`` arguments read from git.

A lazy facade (PEP 562): a name loads its defining submodule on first read, so importing one
submodule never runs the others and no import cycle closes through this package.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .._lazy import lazy_facade

if TYPE_CHECKING:  # pragma: no cover
    from .compare import DiffResult, DiffUsageError, diff_sides, diff_targets, load_side

__all__ = ["DiffResult", "DiffUsageError", "diff_sides", "diff_targets", "load_side"]
__getattr__, __dir__ = lazy_facade(__name__, {"compare": __all__})
