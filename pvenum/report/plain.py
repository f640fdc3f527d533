"""When printing through rich would add nothing but layout (pvenum/report/console.py's console
on a pipe or file): the width it lays out in, so a renderer can write the same text itself."""

from __future__ import annotations

import os
import sys

# Variables that make rich style or colour output that is not a terminal (rich.console.Console).
_RICH_FORCING = ("FORCE_COLOR", "TTY_COMPATIBLE", "TTY_INTERACTIVE", "JUPYTER_COLUMNS", "JUPYTER_LINES")
MIN_WIDTH = 60  # narrower consoles are left to rich
PIPE_WIDTH = 120  # a pipe or a file: wide enough for register tables in a review comment


def env_width() -> int:
    """The width COLUMNS states, or PIPE_WIDTH when it states none: like rich's Console, which
    reads only a digit string, a value that is no count of columns is ignored."""
    columns = os.environ.get("COLUMNS", "")
    return int(columns) if columns.isdigit() and int(columns) > 0 else PIPE_WIDTH


def plain_width() -> int | None:
    """console()'s width when it prints plain text (stdout not a terminal, nothing forcing
    one, a UTF-8 stream as rich's box and tree characters need), else None."""
    try:
        if os.isatty(1):
            return None
    except OSError:
        return None
    if any(k in os.environ for k in _RICH_FORCING):
        return None
    encoding = (getattr(sys.stdout, "encoding", None) or "utf-8").lower()
    if not encoding.startswith("utf"):
        return None
    width = env_width()  # as console() reads it
    return width if width >= MIN_WIDTH else None
