"""Shared fixtures: paths to committed test data, external tools, the CLI runner."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data"

# Slow differential and fuzz tests run at this fraction of their full size under `make test`.
SLOW_SCALE = float(os.environ.get("PVENUM_SLOW_SCALE", "0.05"))


@pytest.fixture(scope="session")
def data_dir() -> Path:
    return DATA


def need_tool(name: str):
    """Skip (with the reason) when an external tool is absent."""
    from pvenum import tools

    tool = tools.find(name)
    if tool is None:
        pytest.skip(f"{name} not installed (Debian: apt-get install {tools.PACKAGES.get(name, name)})")
    return tool


def run_cli(*args: str, input: bytes | None = None, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """Run the real `pvenum` entry point in a subprocess (exit codes and stderr as users see them)."""
    return subprocess.run(
        [sys.executable, "-m", "pvenum", *args],
        capture_output=True,
        input=input,
        cwd=ROOT,
        env={**os.environ, "COLUMNS": "160", **(env or {})},
        timeout=300,
    )


@pytest.fixture
def cli():
    return run_cli
