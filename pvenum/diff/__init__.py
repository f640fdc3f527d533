"""``pvenum diff``: what a change to a CPUID table, a DTB or an ACPI table means, down to the
named field and up to each guest model's conclusion.

- :mod:`.flatten`: a platform or an artifact → ordered ``{named field: Value}`` per channel;
- :mod:`.compare`: raw and derived differences as data (:class:`DiffResult`);
- :mod:`.render`: rich, Markdown, JSON, HTML/SVG;
- :mod:`.gitsrc`: ``REV:path`` arguments read from git.
"""

from __future__ import annotations

from .compare import DiffResult, DiffUsageError, diff_sides, diff_targets, load_side

__all__ = ["DiffResult", "DiffUsageError", "diff_sides", "diff_targets", "load_side"]
