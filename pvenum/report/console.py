"""The rich Console pvenum prints through (imported only by commands that print)."""

from __future__ import annotations

import functools
import os

from rich.console import Console


@functools.lru_cache(maxsize=None)
def console(stderr: bool = False) -> Console:
    # Wide enough for register tables when piped into a file or a review comment.
    width = None if (os.isatty(1) and not stderr) else int(os.environ.get("COLUMNS", "120"))
    return Console(stderr=stderr, width=width, highlight=False, soft_wrap=False)
