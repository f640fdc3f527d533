"""The rich Console pvenum prints through (imported only by commands that print)."""

from __future__ import annotations

import functools
import os

from rich.console import Console


class PvConsole(Console):
    """rich's Console, except that a closed stdout (`| head`) is left to the CLI's exit-code
    contract (a quiet 0) instead of rich's own ``SystemExit(1)``."""

    def on_broken_pipe(self) -> None:
        raise BrokenPipeError()


@functools.lru_cache(maxsize=None)
def console(stderr: bool = False, width: int | None = None) -> Console:
    # Wide enough for register tables when piped into a file or a review comment.
    if width is None:
        width = None if (os.isatty(1) and not stderr) else int(os.environ.get("COLUMNS", "120"))
    return PvConsole(stderr=stderr, width=width, highlight=False, soft_wrap=False)
