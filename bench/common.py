"""What every bench/bench_*.py module shares: best-of timing and the result row.

A row is ``{"name", "subject_s", "reference", "reference_s", "ratio", "note"}`` (bench/run.py
prints them as one table); ``ratio`` is ``subject_s / reference_s``, so below 1 means pvenum
took less time than its reference.
"""

from __future__ import annotations

import subprocess
import time
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parent.parent


def best_of(fn: Callable[[], object], repeats: int) -> float:
    """The fastest of ``repeats`` calls of ``fn``, in seconds."""
    best = float("inf")
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return best


def best_of_command(cmd: list[str], repeats: int) -> float:
    """The fastest of ``repeats`` runs of a command (output discarded), in seconds."""
    return best_of(lambda: subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT,
                                          check=False), repeats)


def row(name: str, subject_s: float | None, reference: str = "", reference_s: float | None = None,
        note: str = "") -> dict:
    ratio = subject_s / reference_s if subject_s is not None and reference_s else None
    return {"name": name, "subject_s": subject_s, "reference": reference, "reference_s": reference_s,
            "ratio": ratio, "note": note}
