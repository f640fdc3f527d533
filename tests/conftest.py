"""Shared fixtures. Helpers live in tests/pvtest.py (see its docstring for why)."""

from __future__ import annotations

from pathlib import Path

import pytest

from pvtest import DATA, run_cli


@pytest.fixture(scope="session")
def data_dir() -> Path:
    return DATA


@pytest.fixture
def cli():
    return run_cli
