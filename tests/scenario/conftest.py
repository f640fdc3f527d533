"""Fixtures of the scenario tests."""

from __future__ import annotations

import pytest


@pytest.fixture
def cache_root(tmp_path, monkeypatch):
    """pvenum's per-user cache in this test's directory, turned on whatever the runner sets:
    ``$XDG_CACHE_HOME/pvenum`` (its ``platforms`` and ``answers``, pvenum/scenario/build_id.py)."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.delenv("PVENUM_NO_CACHE", raising=False)
    return tmp_path / "pvenum"
