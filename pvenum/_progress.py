"""A one-line progress report on stderr for long runs (audit, build --all): only on a
terminal, so a pipe or a log stays clean."""

from __future__ import annotations

import sys
import time
from typing import IO


class Progress:
    """``done N · R/s · distinct D · errors E`` rewritten in place at most 5 times a second."""

    def __init__(self, what: str, stream: IO[str] | None = None, *, enabled: bool | None = None) -> None:
        self.stream = stream or sys.stderr
        self.enabled = self.stream.isatty() if enabled is None else enabled
        self.what = what
        self.start = time.monotonic()
        self._last = 0.0
        self.done = self.errors = 0
        self.distinct: int | None = None

    def update(self, *, done: int = 1, error: bool = False, distinct: int | None = None) -> None:
        self.done += done
        self.errors += bool(error)
        if distinct is not None:
            self.distinct = distinct
        now = time.monotonic()
        if self.enabled and now - self._last >= 0.2:
            self._last = now
            self._write(self.line(now), end="\r")

    def line(self, now: float | None = None) -> str:
        elapsed = max((now or time.monotonic()) - self.start, 1e-9)
        parts = [f"{self.what}: {self.done:,} done", f"{self.done / elapsed:,.0f}/s"]
        if self.distinct is not None:
            parts.append(f"{self.distinct:,} distinct")
        parts.append(f"{self.errors:,} errors")
        return " · ".join(parts)

    def close(self) -> None:
        if self.enabled:
            self._write(self.line(), end="\n")

    def _write(self, text: str, *, end: str) -> None:
        try:
            self.stream.write("\x1b[2K" + text + end)
            self.stream.flush()
        except (OSError, ValueError):
            self.enabled = False
