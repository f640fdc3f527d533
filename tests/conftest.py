"""Shared fixtures. Helpers live in tests/pvtest.py (see its docstring for why)."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

from pvtest import DATA, run_cli

# pvenum's per-user cache (compiled catalog platforms, pvenum/scenario/cache.py) goes to a
# directory of this run, never the user's own ~/.cache; subprocesses inherit it.
_CACHE = tempfile.TemporaryDirectory(prefix="pvenum-test-cache-")
os.environ["XDG_CACHE_HOME"] = _CACHE.name


@pytest.fixture(scope="session")
def data_dir() -> Path:
    return DATA


@pytest.fixture
def cli():
    return run_cli
