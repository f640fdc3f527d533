"""What every bench/bench_*.py module shares: best-of timing and the result row.

A row is ``{"name", "subject_s", "reference", "reference_s", "ratio", "target", "met", "note"}``
(bench/run.py prints them as one table). Every ratio reads the same way: how many times faster
pvenum is than its reference (``reference_s / subject_s``; above 1 pvenum is faster). A target
"within 1.5× of X" is the ratio ≥ 1/1.5 = 0.67.
"""

from __future__ import annotations

import subprocess
import time
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parent.parent


def compile_bytecode() -> None:
    """pvenum's modules compiled to bytecode, as `pip install` leaves them: the reference
    commit's virtualenv and the references' packages have theirs, and from an editable install
    under PYTHONDONTWRITEBYTECODE=1 (set on this machine) every pvenum process — `audit`, the
    startup rows — would otherwise compile each module it imports again."""
    import compileall

    compileall.compile_dir(str(ROOT / "pvenum"), quiet=1)


def best_of(fn: Callable[[], object], repeats: int) -> float:
    """The fastest of ``repeats`` calls of ``fn``, in seconds."""
    best = float("inf")
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return best


def best_pair(subject: Callable[[], object], reference: Callable[[], object], repeats: int) -> tuple[float, float]:
    """Both sides timed alternately (contention from other work hits both), best of ``repeats``."""
    best_s = best_r = float("inf")
    for _ in range(repeats):
        t = time.perf_counter()
        subject()
        best_s = min(best_s, time.perf_counter() - t)
        t = time.perf_counter()
        reference()
        best_r = min(best_r, time.perf_counter() - t)
    return best_s, best_r


def run_quiet(cmd: list[str], cwd: str | Path = ROOT, env: dict[str, str] | None = None) -> None:
    """Run ``cmd`` (output discarded; ``env``: its whole environment, else this one's); a failure
    is an error, not a fast time."""
    res = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=cwd, env=env, check=False)
    if res.returncode not in (0, 1):
        raise RuntimeError(f"{' '.join(cmd)} exited {res.returncode}: {res.stderr.decode(errors='replace')[-300:]}")


def best_of_command(cmd: list[str], repeats: int, cwd: str | Path = ROOT) -> float:
    """The fastest of ``repeats`` runs of a command (output discarded), in seconds."""
    return best_of(lambda: run_quiet(cmd, cwd), repeats)


def best_pair_commands(subject: list[str], reference: list[str], repeats: int,
                       cwd: str | Path = ROOT) -> tuple[float, float]:
    """``cwd``: where both run; outside the source tree when ``python -m pvenum`` must import the
    installed package, not ./pvenum."""
    return best_pair(lambda: run_quiet(subject, cwd), lambda: run_quiet(reference, cwd), repeats)


def row(name: str, subject_s: float | None, reference: str = "", reference_s: float | None = None, *,
        target: float | None = None, note: str = "", subject_text: str | None = None,
        reference_text: str | None = None) -> dict:
    """``target``: the least ratio (times faster) that meets the goal; None when there is none."""
    ratio = reference_s / subject_s if subject_s and reference_s else None
    met = None if target is None or ratio is None else ratio >= target
    return {"name": name, "subject_s": subject_s, "reference": reference, "reference_s": reference_s,
            "ratio": ratio, "target": target, "met": met, "note": note, "subject_text": subject_text,
            "reference_text": reference_text}
