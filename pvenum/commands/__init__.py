"""The subcommands, one module each, imported only when one runs (pvenum/cli.py)."""

from __future__ import annotations

import sys


def warn_not_read(err: Exception) -> None:
    """A file a directory walk passed over without reading it (a symlink leading out of the
    directory: pvenum._io.LeadsOut), named on stderr; the walk goes on."""
    sys.stderr.write(f"pvenum: warning: {err}\n")
