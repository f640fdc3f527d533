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


def unclipped(obj: Any, console: Console | None = None) -> Any:
    """Make every table in ``obj`` wrap instead of cutting: a cell too wide for its column is
    folded onto more lines, never ended with "…", so no decisive value (a mode, a bit, a
    field) is hidden when the terminal or a pipe is narrow. Printed on ``console``, a column
    whose values are all short single words (a mode, a register, a hex number) and that rich
    would make too narrow for them is widened to keep them whole, leftmost columns first,
    within what the prose columns can give up; prose and long tokens fold."""
    if isinstance(obj, Table):
        for col in obj.columns:
            col.overflow = "fold"
            col.no_wrap = False
            for cell in col._cells:
                unclipped(cell)
        if console is not None:
            _keep_words_whole(obj, console)
    elif isinstance(obj, Group):
        for r in obj.renderables:
            unclipped(r, console)
    return obj


def _keep_words_whole(table: Table, console: Console) -> None:
    texts = [[t for t in map(_plain, [col.header, *col._cells]) if t] for col in table.columns]
    words = [bool(ts) and all(len(t) <= _WORD and not any(c.isspace() for c in t) for t in ts) for ts in texts]
    if not any(words):
        return
    try:  # the widths rich would give (rich >= 13 computes them here)
        given = table._calculate_column_widths(console, console.options.update_width(console.width - table._extra_width))
    except Exception:  # noqa: BLE001 - a different rich: fall back to folding only
        return
    # What the word columns may take once each prose column keeps room to wrap in.
    budget = console.width - 3 * len(table.columns) - 1 - _PROSE * words.count(False)
    widened = False
    for i, (col, ts, is_words) in enumerate(zip(table.columns, texts, words)):
        want = max(map(len, ts), default=0)
        if is_words and col.width is None and want <= budget:
            if given[i] - table._get_padding_width(i) < want:
                col.width = want  # fixed: rich's shrinking leaves it and takes from the prose
                widened = True
            budget -= want
    if not widened and not table.expand and not any(col.ratio for col in table.columns):
        # The widths rich just computed are the ones it would compute again to print: fixing
        # them spares it measuring every cell a second time (the same table comes out).
        for i, col in enumerate(table.columns):
            col.width = given[i] - table._get_padding_width(i)


class PvConsole(Console):
    """rich's Console, except that tables wrap rather than truncate (:func:`unclipped`) and a
    closed stdout (`| head`) is left to the CLI's exit-code contract (a quiet 0) instead of
    rich's own ``SystemExit(1)``. Emoji codes are off: pvenum prints paths, registers and
    identifiers, where rich would turn ``:a:`` or ``:on:`` into a symbol (and loading its table
    of codes is a measurable part of a command's start-up)."""

    def __init__(self, *args: Any, emoji: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, emoji=emoji, **kwargs)

    def print(self, *objects: Any, **kwargs: Any) -> None:  # type: ignore[override]
        super().print(*(unclipped(o, self) for o in objects), **kwargs)

    def on_broken_pipe(self) -> None:
        raise BrokenPipeError()


@functools.lru_cache(maxsize=None)
def console(stderr: bool = False, width: int | None = None) -> Console:
    if width is None and not (os.isatty(1) and not stderr):
        from .plain import env_width

        width = env_width()
    return PvConsole(stderr=stderr, width=width, highlight=False, soft_wrap=False)
