"""Shared fixtures. Helpers live in tests/pvtest.py (see its docstring for why)."""

from __future__ import annotations

from pathlib import Path

import pytest

from pvtest import DATA, SLOW_SCALE, need_tool, run_cli  # noqa: F401  (re-exported for old imports)


@pytest.fixture(scope="session")
def data_dir() -> Path:
    return DATA


@pytest.fixture
def cli():
    return run_cli
