"""The rich Console pvenum prints through (imported only by commands that print)."""

from __future__ import annotations

import functools
import os
from typing import Any

from rich.console import Console, Group
from rich.table import Table
from rich.text import Text


_WORD = 18  # "not-confidential", "0x0000000000000000" and shorter stay whole
_PROSE = 6  # the least a column of prose is given to wrap in


def _plain(cell: Any) -> str | None:
    if isinstance(cell, str):
        return cell if "[" not in cell else Text.from_markup(cell).plain
    if isinstance(cell, Text):
        return cell.plain
    return None


def unclipped(obj: Any, width: int | None = None) -> Any:
    """Make every table in ``obj`` wrap instead of cutting: a cell too wide for its column is
    folded onto more lines, never ended with "…", so no decisive value (a mode, a bit, a
    field) is hidden when the terminal or a pipe is narrow. Within ``width``, a column whose
    values are all short single words (a mode, a register, a hex number) is kept wide enough
    for them to stay whole, leftmost columns first; prose and long tokens fold."""
    if isinstance(obj, Table):
        texts = [[t for t in map(_plain, [col.header, *col._cells]) if t] for col in obj.columns]
        words = [bool(ts) and all(len(t) <= _WORD and not any(c.isspace() for c in t) for t in ts) for ts in texts]
        # What is left for the word columns once each prose column has room to wrap in.
        budget = None if width is None else width - 3 * len(obj.columns) - 1 - _PROSE * words.count(False)
        for col, ts, is_words in zip(obj.columns, texts, words):
            col.overflow = "fold"
            col.no_wrap = False
            want = max(map(len, ts), default=0)
            if budget is not None and is_words and col.width is None and want <= budget:
                # Fixed, so rich's shrinking leaves it alone and takes from the prose columns.
                col.width = want
                budget -= want
            for cell in col._cells:
                unclipped(cell)
    elif isinstance(obj, Group):
        for r in obj.renderables:
            unclipped(r, width)
    return obj


class PvConsole(Console):
    """rich's Console, except that tables wrap rather than truncate (:func:`unclipped`) and a
    closed stdout (`| head`) is left to the CLI's exit-code contract (a quiet 0) instead of
    rich's own ``SystemExit(1)``."""

    def print(self, *objects: Any, **kwargs: Any) -> None:  # type: ignore[override]
        super().print(*(unclipped(o, self.width) for o in objects), **kwargs)

    def on_broken_pipe(self) -> None:
        raise BrokenPipeError()


@functools.lru_cache(maxsize=None)
def console(stderr: bool = False, width: int | None = None) -> Console:
    # Wide enough for register tables when piped into a file or a review comment.
    if width is None:
        width = None if (os.isatty(1) and not stderr) else int(os.environ.get("COLUMNS", "120"))
    return PvConsole(stderr=stderr, width=width, highlight=False, soft_wrap=False)
