"""Helpers shared by every test directory (import as `from pvtest import ...`).

Kept out of conftest.py because several directories have their own conftest.py and a bare
`import conftest` would pick whichever comes first on sys.path.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data"

# Slow differential and fuzz tests run at this fraction of their full size under `make test`;
# PVENUM_SLOW_SCALE=1 runs them in full.
SLOW_SCALE = float(os.environ.get("PVENUM_SLOW_SCALE", "0.05"))


def need_tool(name: str):
    """Skip (with the reason) when an external tool is absent."""
    from pvenum import tools

    tool = tools.find(name)
    if tool is None:
        pytest.skip(f"{name} not installed (Debian: apt-get install {tools.PACKAGES.get(name, name)})")
    return tool


def run_cli(*args: str, input: bytes | None = None, env: dict[str, str] | None = None,
            cwd: str | os.PathLike[str] | None = None) -> subprocess.CompletedProcess:
    """Run the real `pvenum` entry point in a subprocess (exit codes and stderr as users see them)."""
    return subprocess.run(
        [sys.executable, "-m", "pvenum", *args],
        capture_output=True,
        input=input,
        cwd=cwd or ROOT,
        env={**os.environ, "COLUMNS": "160", **(env or {})},
        timeout=300,
    )
